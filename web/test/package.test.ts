// The npm package `callcap-wasm` (web/pkg, written by scripts/build-wasm.sh) as another site
// gets it: `npm pack`, `npm install --no-save` of the tarball into an empty directory (offline:
// it has no dependencies), then the example of its README run under Node, exactly as written,
// and its results compared with the CLI's. The README's example is the code this test runs.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { cliJson, repo, shown } from "./helpers";

const pkg = `${repo}web/pkg`;

function run(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

/** The first ```js block of a Markdown text. */
function firstJsBlock(markdown: string): string {
  const m = /^```js\n([\s\S]*?)^```$/m.exec(markdown);
  if (!m) throw new Error("the README has no ```js example");
  return m[1];
}

describe("the npm package callcap-wasm", () => {
  it("packs, installs offline and runs its README's example", () => {
    const manifest = JSON.parse(readFileSync(`${pkg}/package.json`, "utf8"));
    const crate = /^\[package\][\s\S]*?^version = "([^"]+)"/m.exec(readFileSync(`${repo}web/wasm/Cargo.toml`, "utf8"));
    expect(manifest).toMatchObject({
      name: "callcap-wasm", version: crate?.[1], type: "module", license: "MIT OR Apache-2.0",
      main: "callcap_wasm.js", module: "callcap_wasm.js", types: "callcap_wasm.d.ts",
    });

    const work = mkdtempSync(join(tmpdir(), "callcap-npm-"));
    const [packed] = JSON.parse(run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work], pkg));
    expect(packed.files.map((f: { path: string }) => f.path).sort()).toEqual([
      "README.md", "callcap_wasm.d.ts", "callcap_wasm.js", "callcap_wasm_bg.wasm", "callcap_wasm_bg.wasm.d.ts", "package.json",
    ]);

    const site = join(work, "site");
    mkdirSync(site);
    writeFileSync(join(site, "package.json"), JSON.stringify({ name: "a-site", private: true, type: "module" }));
    run("npm", ["install", "--no-save", "--offline", "--ignore-scripts", "--no-audit", "--no-fund", join(work, packed.filename)], site);

    // The example from the installed README, as written; the test only adds a line that hands
    // its results back.
    const installed = join(site, "node_modules", "callcap-wasm");
    const example = firstJsBlock(readFileSync(join(installed, "README.md"), "utf8"));
    expect(example).toBe(firstJsBlock(readFileSync(`${repo}web/wasm/npm/README.md`, "utf8")));
    const file = join(site, "example.mjs");
    writeFileSync(file, `${example}\nconsole.log("RESULTS " + JSON.stringify({ report, result, month }));\n`);

    // The example type-checks against the package's own declarations.
    const program = ts.createProgram([file], {
      allowJs: true, checkJs: true, noEmit: true, strict: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      types: ["node"], typeRoots: [`${repo}web/node_modules/@types`],
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    expect(problems).toEqual([]);

    const out = run("node", [file], site).split("\n");
    const results = JSON.parse(out.find((l) => l.startsWith("RESULTS "))!.slice("RESULTS ".length));
    expect(results.report.caps.length).toBeGreaterThan(0);
    expect(results.report).toEqual(shown(cliJson("caps", "--date", "2026-06-01", "--facility", "jail", "--adp", "640")));
    expect(results.result.compliant).toBe(false);
    expect(results.month.estimate.month.calls).toBe(17);
    expect(results.month.estimate.overcharge).toMatch(/^\d+\.\d\d$/);
    // What the example prints, line by line: the tier, the verdict, the month, the error.
    expect(out.slice(0, 4)).toEqual([
      expect.stringMatching(/^Medium jail, ADP 350–999: audio \w+, \$0\.\d+ a minute$/),
      expect.stringMatching(/above the \$0\.\d+ cap/),
      expect.stringMatching(/^\$\d+\.\d\d a month, \$\d+\.\d\d above the legal maximum$/),
      expect.stringMatching(/at least 1/),
    ]);
  }, 60_000);
});
