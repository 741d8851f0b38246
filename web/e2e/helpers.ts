// Shared by the end-to-end tests: the CLI, and reading the page's figures.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, type Page } from "@playwright/test";

export const repo = fileURLToPath(new URL("../..", import.meta.url));

/** The callcap CLI: $CALLCAP_BIN, else target/release/callcap, else target/debug/callcap. */
function cliPath(): string {
  const candidates = [process.env.CALLCAP_BIN, `${repo}target/release/callcap`, `${repo}target/debug/callcap`];
  const found = candidates.find((c) => c && existsSync(c));
  if (!found) throw new Error("no callcap binary: run `cargo build` (or set CALLCAP_BIN)");
  return found;
}

/** `callcap ARGS --format json`, run from the repository root. */
export function cliJson<T = any>(...args: string[]): T {
  return JSON.parse(cli(...args, "--format", "json")) as T;
}

export function cli(...args: string[]): string {
  const r = spawnSync(cliPath(), args, { cwd: repo, encoding: "utf8" });
  if (r.status !== 0 && r.status !== 1) throw new Error(`callcap ${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The date the sections' tests use. */
export const DATE = "2026-06-01";

/** The CLI's estimate for a tariff file and the page's default calls (4 a week, 15 minutes...). */
export function cliEstimate(tariff: string, extra: string[] = []) {
  return cliJson("estimate", "--tariff", tariff, "--calls-per-week", "4", "--minutes", "15",
    "--jurisdiction", "intrastate", "--payment", "prepaid", "--service", "audio",
    "--deposit", "25.00", "--deposit-method", "automated_payment", "--date", DATE, ...extra);
}

/** Writes text to a temporary file and returns its path. */
export function tempFile(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), "callcap-e2e-")), name);
  writeFileSync(path, text);
  return path;
}

/** A figure as the page shows it ("$1,234.50"), as the core wrote it ("1234.50"). */
export function plain(shown: string | null): string {
  return (shown ?? "").trim().replace(/^−/, "-").replace(/[$,\s]/g, "");
}

/** The figure in the element with data-field=NAME. */
export async function field(page: Page, name: string): Promise<string> {
  const el = page.locator(`[data-field="${name}"]`).first();
  await expect(el).toBeVisible();
  return plain(await el.textContent());
}

/** Opens the page at a hash and waits for the first result. */
export async function open(page: Page, hash = ""): Promise<void> {
  await page.goto(`./${hash}`);
  await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
}
