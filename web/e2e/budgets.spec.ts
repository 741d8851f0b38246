// The budgets of issue 4 (the transfer budget as raised by issue 9), measured in Debian's
// headless Chromium against the built page served with gzip on 127.0.0.1. Figures go to
// test-results/budgets.json and the console; web/README.md says how to read them.
import { cpus, loadavg } from "node:os";
import { gzipSync } from "node:zlib";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { open } from "./helpers";

const report: Record<string, unknown> = {};
// One run's figures, kept across the workers Playwright restarts after a failed test (a failed
// budget must not lose the others' figures): merged by the run (the workers' parent process).
const RUN = String(process.ppid);
test.afterAll(() => {
  mkdirSync("test-results", { recursive: true });
  const file = "test-results/budgets.json";
  let before: Record<string, unknown> = {};
  try {
    before = JSON.parse(readFileSync(file, "utf8"));
  } catch { /* the first of the run */ }
  const merged = before.run === RUN ? { ...before, ...report } : { run: RUN, ...report };
  writeFileSync(file, JSON.stringify(merged, null, 2) + "\n");
  console.log(`budgets: ${JSON.stringify(report, null, 2)}`);
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const BUDGET_TRANSFER = 175_000; // bytes, gzip: HTML + JS + CSS + wasm (issue 9: raised from 150 KB)
const BUDGET_FIRST_RESULT = 300; // ms after navigation start
const BUDGET_RECOMPUTE = 2; // ms per input change, the wasm call
const BUDGET_ON_DEMAND = 100_000; // bytes, gzip: each part fetched when first needed (issue 13)
const BUDGET_THROTTLED = 2000; // ms to the first result, a mid-range phone on a weak connection (issue 13)

/** The files of a cold load (bytes on the wire), and every other file of the build (gzip -9 from disk). */
async function coldLoad(browser: import("@playwright/test").Browser) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const sizes: { url: string; type: string; bytes: number }[] = [];
  page.on("requestfinished", async (r) => {
    const s = await r.sizes();
    const url = new URL(r.url());
    const ext = url.pathname.endsWith("/") ? "html" : url.pathname.split(".").pop() ?? "";
    sizes.push({ url: url.pathname, type: ext, bytes: s.responseBodySize });
  });
  await open(page);
  await page.waitForLoadState("networkidle");
  await context.close();
  // What the service worker caches for offline use (every file of the build), gzip -9 from disk.
  const sw = readFileSync("dist/sw.js", "utf8");
  const assets: string[] = JSON.parse(sw.slice(sw.indexOf("["), sw.indexOf("];") + 1));
  const offline = assets.filter((a) => a !== "./").reduce((sum, a) => sum + gzipSync(readFileSync(`dist/${a.slice(2)}`), { level: 9 }).length, 0);
  // Every other file of the build is fetched on demand (a section's code, the rest of the module, the
  // Spanish words, an example, the places to complain, the share link's compression).
  const first = new Set(sizes.map((f) => f.url.replace(/^\//, "./")));
  const onDemand = assets.filter((a) => a !== "./" && !first.has(a) && /\.(js|css|wasm|txt)$/.test(a))
    .map((a) => ({ file: a, gzip: gzipSync(readFileSync(`dist/${a.slice(2)}`), { level: 9 }).length }))
    .sort((a, b) => b.gzip - a.gzip);
  return { sizes, offline, onDemand };
}

test("transfer: the page's HTML + JS + CSS + wasm, gzip, at most 175 KB", async ({ browser }) => {
  const { sizes, offline, onDemand } = await coldLoad(browser);
  const byType: Record<string, number> = {};
  for (const s of sizes) byType[s.type] = (byType[s.type] ?? 0) + s.bytes;
  const counted = ["html", "js", "css", "wasm"].reduce((sum, k) => sum + (byType[k] ?? 0), 0);
  report.transfer = { bytes_by_type: byType, html_js_css_wasm: counted, budget: BUDGET_TRANSFER, files: sizes, offline_cache_gzip: offline };
  report.on_demand = { budget_each: BUDGET_ON_DEMAND, largest: onDemand.slice(0, 6), parts: onDemand.length };
  // The first load is the module's first part (web/pkg-page), never its rest.
  expect(sizes.some((f) => FIRST_PART.test(f.url))).toBe(true);
  expect(sizes.some((f) => REST.test(f.url))).toBe(false);
  expect(counted).toBeLessThanOrEqual(BUDGET_TRANSFER);
});

/** The page's module in two parts (web/pkg-page, scripts/build-wasm.sh "the split"). */
const FIRST_PART = /callcap_page_bg.*\.wasm$/;
/** The rest: a tariff's reader, check, compare, the caps, the finder. */
const REST = /callcap_page_rest.*\.wasm$/;

test("each part loaded on demand: at most 100 KB gzip", async ({ browser }) => {
  // The rest of the module, the XLSX reader (callcap_xlsx, the core's own reader: 94 KB), the
  // CSV reader, the facility directory, the Spanish catalog and every section's code.
  const { onDemand } = await coldLoad(browser);
  expect(onDemand.filter((p) => REST.test(p.file))).toHaveLength(1);
  expect(onDemand.some((p) => /callcap_xlsx_bg.*\.wasm$/.test(p.file))).toBe(true);
  expect(onDemand.filter((p) => p.gzip > BUDGET_ON_DEMAND)).toEqual([]);
});

test("first result on a weak phone: at most 2 s (1.6 Mbit/s down, 150 ms round trip, CPU 4x slower)", async ({ browser }) => {
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", {
      offline: false, latency: 150, downloadThroughput: 1_600_000 / 8, uploadThroughput: 750_000 / 8,
    });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    await page.goto("./#calls");
    await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0, null, { timeout: 20_000 });
    times.push(await firstResult(page));
    await context.close();
  }
  report.first_result_throttled_ms = { runs: times.map((x) => round(x, 1)), median: round(median(times), 1), budget: BUDGET_THROTTLED,
    conditions: "1.6 Mbit/s down, 750 kbit/s up, 150 ms latency, CPU 4x (Chrome DevTools Protocol)" };
  expect(median(times)).toBeLessThanOrEqual(BUDGET_THROTTLED);
});

test("first result: at most 300 ms after navigation (median of 7 cold loads)", async ({ browser }) => {
  const cold: number[] = [];
  for (let i = 0; i < 7; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await open(page, "#calls");
    cold.push(await firstResult(page));
    await context.close();
  }
  const context = await browser.newContext();
  const page = await context.newPage();
  await open(page, "#calls");
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    await page.reload();
    await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
    warm.push(await firstResult(page));
  }
  await context.close();
  // On a machine busier than it has cores (other builds, a fuzzer) the median measures the
  // neighbours; then the fastest load, what the page itself needs, is held to the budget.
  const load = loadavg()[0];
  const busy = load > cpus().length;
  report.first_result_ms = {
    cold: cold.map((x) => round(x, 1)), cold_median: round(median(cold), 1), cold_fastest: round(Math.min(...cold), 1),
    warm_median: round(median(warm), 1), budget: BUDGET_FIRST_RESULT,
    load_average: round(load, 2), cores: cpus().length, judged_on: busy ? "fastest (machine busy)" : "median",
  };
  expect(busy ? Math.min(...cold) : median(cold)).toBeLessThanOrEqual(BUDGET_FIRST_RESULT);
});

async function firstResult(page: Page): Promise<number> {
  return page.evaluate(() => performance.getEntriesByName("callcap:first-result")[0].startTime);
}

/** Types `values` into the field with `label`, one input event each, waiting for each result. */
async function typeMany(page: Page, label: string, values: string[]): Promise<void> {
  const id = await page.getByLabel(label).getAttribute("id");
  await page.evaluate(async ({ id, values }) => {
    const input = document.getElementById(id ?? "") as HTMLInputElement | HTMLTextAreaElement;
    for (const v of values) {
      input.value = v;
      input.dispatchEvent(new Event("input", { bubbles: true }));
      await new Promise((r) => setTimeout(r, 0));
    }
  }, { id, values });
}

async function durations(page: Page, name: string): Promise<number[]> {
  return page.evaluate((n) => performance.getEntriesByName(n).map((e) => e.duration), name);
}

test("recompute: at most 2 ms per input change (the wasm call, median of 300)", async ({ page }) => {
  await open(page, "#calls?date=2026-06-01&c.mode=rates");
  await page.evaluate(() => performance.clearMeasures());
  const values = Array.from({ length: 300 }, (_, i) => `0.${String(10 + (i % 80)).padStart(2, "0")}`);
  await typeMany(page, "Price per minute, in dollars", values);
  const wasm = await durations(page, "callcap:estimate");
  const update = await durations(page, "callcap:update");
  expect(wasm.length).toBe(300);

  await open(page, "#check?date=2026-06-01&k.ex=nv-county-jail-large-2026-deposit-fees");
  const text = await page.getByLabel("Tariff (TOML)").inputValue();
  await page.evaluate(() => performance.clearMeasures());
  await typeMany(page, "Tariff (TOML)", Array.from({ length: 100 }, (_, i) => `${text}\n# edit ${i}\n`));
  const check = await durations(page, "callcap:check");

  await open(page, "#bids?date=2026-07-01");
  await page.evaluate(() => performance.clearMeasures());
  await typeMany(page, "Facility size (average daily population)", Array.from({ length: 100 }, (_, i) => String(100 + i * 10)));
  const compare = await durations(page, "callcap:compare");

  const stats = (xs: number[]) => ({ runs: xs.length, median: round(median(xs)), p95: round(pct(xs, 0.95)), max: round(Math.max(...xs)) });
  report.recompute_ms = {
    estimate_wasm_call: stats(wasm),
    estimate_input_to_screen: stats(update),
    check_wasm_call: stats(check),
    compare_3_bids_wasm_call: stats(compare),
    budget: BUDGET_RECOMPUTE,
    timer_resolution_note: "performance.now() in a cross-origin-isolation-free page is coarsened to 0.1 ms in Chromium",
  };
  expect(median(wasm)).toBeLessThanOrEqual(BUDGET_RECOMPUTE);
  expect(median(check)).toBeLessThanOrEqual(BUDGET_RECOMPUTE);
});
