// The generated TypeScript types (web/wasm/types.d.ts, from the Rust types) against real
// results: every result below is written into a TypeScript file as an object literal typed
// with its declared type, and the compiler must accept it. Object literals get excess-property
// checks, so a key the types lack fails as surely as a key the result lacks.
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { binding, repo } from "./helpers";

const read = (path: string) => readFileSync(`${repo}${path}`, "utf8");

describe("the generated types describe real results", () => {
  it("tsc accepts every result as its declared type", () => {
    const out: string[] = ['import type * as T from "../../pkg/callcap_wasm.js";'];
    let n = 0;
    const add = (type: string, value: unknown) => out.push(`export const v${n++}: ${type} = ${JSON.stringify(value)};`);
    add("T.BookInfo", binding.rateBook());
    for (const date of ["2013-06-01", "2016-06-01", "2021-12-01", "2025-07-01", "2026-06-01"]) {
      add("T.TierInfo[]", binding.tiers(date));
      add("T.RegimeInfo | null", binding.regime(date));
      for (const [facility, adp] of [["jail", "30"], ["jail", "640"], ["prison", "5000"]] as const) {
        add("T.CapsReport", binding.caps(date, facility, adp, "TX"));
      }
    }
    const examples = readdirSync(`${repo}rates/examples`).filter((f) => f.endsWith(".toml"));
    for (const f of examples) {
      const file = `rates/examples/${f}`;
      const text = read(file);
      for (const date of ["2015-06-01", "2026-06-01"]) add("T.CheckResult", binding.check(date, file, text));
      for (const payment of ["prepaid", "collect"] as const) {
        try {
          add("T.EstimateResult", binding.estimate("2026-06-01", "audio", "intrastate", payment, "15",
            "automated_payment", "4", null, "20", file, text));
        } catch {
          // a tariff without a rate for this call: an error, not a result
        }
      }
    }
    add("T.EstimateResult", binding.estimate("2026-06-01", "video", "interstate", "debit", "5", "live_agent",
      null, "3", null, null, null, "jail", "100"));
    const bids = readdirSync(`${repo}rates/examples/bids`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/bids/${f}`);
    for (const date of ["2024-01-01", "2026-07-01"]) add("T.Comparison", binding.compare(date, bids, bids.map(read)));

    mkdirSync(new URL("generated", import.meta.url), { recursive: true });
    const file = new URL("generated/outputs.ts", import.meta.url).pathname;
    writeFileSync(file, out.join("\n") + "\n");
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler, skipLibCheck: false,
    });
    const problems = ts.getPreEmitDiagnostics(program).map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, "\n").slice(0, 400));
    expect(problems).toEqual([]);
    expect(n).toBeGreaterThan(60);
  }, 60_000);
});
