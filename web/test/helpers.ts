// Shared by the Node tests: the binding as built for Node (web/pkg-node) and the CLI.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../..", import.meta.url));

const require = createRequire(import.meta.url);
/** The binding, loaded from web/pkg-node (the same module the page loads from web/pkg). */
export const binding = require("../pkg-node/callcap_wasm.js") as typeof import("../pkg/callcap_wasm.js");

/** The callcap CLI: $CALLCAP_BIN, else target/release/callcap, else target/debug/callcap. */
export function cliPath(): string {
  const candidates = [process.env.CALLCAP_BIN, `${repo}target/release/callcap`, `${repo}target/debug/callcap`];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error("no callcap binary: run `cargo build` (or set CALLCAP_BIN)");
  return found;
}

/** Runs the CLI from the repository root; returns stdout (exit codes 0 and 1 are results). */
export function cli(...args: string[]): string {
  const r = spawnSync(cliPath(), args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) {
    throw new Error(`callcap ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  }
  return r.stdout;
}

export function cliJson<T = unknown>(...args: string[]): T {
  return JSON.parse(cli(...args, "--format", "json")) as T;
}

/**
 * A result without the notes of its rules: the page's copy of the rate book leaves out the
 * rules' research notes (src/ratebook/load.rs, `for_page`), so only they may differ from the
 * CLI's: every `note` key is null or gone, and the caps' `notes` lose the regime's note.
 */
export function shown<T>(result: T): T {
  const regimeNote = (result as { regime?: { note?: string | null } | null }).regime?.note;
  const strip = (v: unknown, key = ""): unknown => {
    if (Array.isArray(v)) return v.filter((x) => key !== "notes" || x !== regimeNote).map((x) => strip(x));
    if (v && typeof v === "object") {
      return Object.fromEntries(Object.entries(v)
        .filter(([k]) => k !== "note" || key === "regime")
        .map(([k, x]) => [k, k === "note" ? null : strip(x, k)]));
    }
    return v;
  };
  return strip(result) as T;
}
