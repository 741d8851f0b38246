// The core, compiled to WebAssembly (built by scripts/build-wasm.sh). Every number and every
// verdict on the page comes from these calls; this module only loads the modules, times each
// call (performance.measure "callcap:<name>", read by the budget test) and turns thrown errors
// into values the page can show.
//
// size: one module in two parts (scripts/build-wasm.sh, "the split"; web/README.md). The first
// load is web/pkg-page/callcap_page_bg.wasm: what My calls at the legal maximum needs (the
// exports web/wasm/split.json names `first`). The rest (the TOML reader, check, compare, the
// caps, the facility finder) is callcap_page_rest.wasm, fetched when first used (`loadFull`)
// and instantiated with the first part's memory, table and functions: no code is sent twice.
// Both are cached for offline use with the rest of the build.
import init, * as page from "../pkg-page/callcap_page.js";
import restUrl from "../pkg-page/callcap_page_rest.wasm?url";
import { first as firstExports } from "../wasm/split.json";
import type { BookInfo, DirectoryInfo, FacilitiesFound } from "../pkg-page/callcap_page.js";
import type { SheetRead } from "../pkg-page/callcap_page.js";
type Full = typeof page;

export type * from "../pkg-page/callcap_page.js";


/**
 * A form field the binding names in an error: the argument the bad value came in
 * (web/wasm/src/api.rs, `BadInput`).
 */
export type Field = "date" | "facility" | "adp" | "state" | "operator" | "county_fips" | "service" | "jurisdiction"
  | "payment" | "minutes" | "deposit_method" | "calls_per_week" | "calls_per_month" | "deposit" | "tariff" | "bids"
  | "demand" | "per_minute" | "per_call" | "fee" | "fee_third_party" | "call_price" | "call_minutes" | "amount" | "finder"
  | "finder_state" | "sheet";

/** Bad input: the core's message, the field it is in, and for a file its key, line and reason. */
export interface Bad {
  ok: false;
  /** The core's message (for a file: with its name, line and key). */
  error: string;
  field?: Field;
  /** In a file: the key (`[[rate]] per_minute`). */
  key?: string;
  line?: number;
  /** In a file: what is wrong, without file, line and key. */
  reason?: string;
}

/**
 * A result, or the core's message saying what is wrong with the input, and the field it is in
 * when it is one field's.
 */
export type Outcome<T> = { ok: true; value: T } | Bad;

let book: BookInfo | undefined;
let first: WebAssembly.Exports | undefined;
let full: Full | undefined;
let fullLoading: Promise<Full> | undefined;

/** Loads and starts the module's first part; resolves to the bundled rate book's sources and dates. */
export async function loadCore(): Promise<BookInfo> {
  if (!book) {
    first = (await init()) as unknown as WebAssembly.Exports;
    performance.mark("callcap:wasm-ready");
    book = page.rateBook() as BookInfo;
    performance.mark("callcap:rate-book-ready");
  }
  return book;
}

/**
 * Loads the rest of the module (a tariff's reader, check, compare, the caps, the finder), once;
 * the sections that need it await it before their first call. A failed fetch can be retried.
 */
export function loadFull(): Promise<Full> {
  fullLoading ??= (async () => {
    await loadCore();
    const response = await fetch(restUrl);
    if (!response.ok) throw new Error(`the rest of the calculator could not be fetched (${response.status})`);
    // The rest imports the first part's memory, table and functions ("primary", wasm-split's
    // name) and fills the table's placeholders with its own functions.
    await WebAssembly.instantiate(await response.arrayBuffer(), { primary: first as WebAssembly.ModuleImports });
    full = page;
    performance.mark("callcap:full-ready");
    return page;
  })();
  fullLoading.catch(() => { fullLoading = undefined; });
  return fullLoading;
}

// The facility directory in the page's compact form (built by scripts/build-wasm.sh), fetched
// when the finder is first used and cached for offline use with the rest of the build.
import directoryUrl from "../pkg-page/directory.txt?url";

let directoryText: Promise<string> | undefined;

/**
 * Fetches the facility directory (once) and the rest of the module (the finder is in it) and
 * gives the directory to the core; resolves when the finder can search.
 */
export async function loadDirectory(): Promise<Outcome<DirectoryInfo>> {
  directoryText ??= fetch(directoryUrl).then((r) => {
    if (!r.ok) throw new Error(`the facility directory could not be fetched (${r.status})`);
    return r.text();
  });
  try {
    const [text, m] = await Promise.all([directoryText, loadFull()]);
    return { ok: true, value: m.loadDirectory(text) as DirectoryInfo };
  } catch (e) {
    directoryText = undefined;
    return { ok: false, error: e instanceof Error ? e.message : String(e), field: "finder" };
  }
}

type SheetModule = typeof import("../pkg-sheets/callcap_sheets.js");
const sheetModules = new Map<string, Promise<SheetModule>>();

/**
 * A spreadsheet of bids or a rate table read by the core, in the spreadsheet module: CSV's
 * (`callcap_sheets`) or, for an XLSX file, XLSX's (`callcap_xlsx`, the core's XLSX reader),
 * each fetched when such a file is first opened. Each bid or facility comes back as a tariff file.
 */
export async function readSheet(layout: "bids" | "rates", file: string, bytes: Uint8Array): Promise<Outcome<SheetRead>> {
  const xlsx = /\.xlsx$/i.test(file);
  const key = xlsx ? "xlsx" : "csv";
  let loading = sheetModules.get(key);
  if (!loading) {
    loading = (xlsx ? import("../pkg-sheets/callcap_xlsx.js") : import("../pkg-sheets/callcap_sheets.js"))
      .then(async (m) => { await m.default(); return m as SheetModule; });
    sheetModules.set(key, loading);
  }
  const m = await loading;
  return timed("sheet", m.readSheet as (l: "bids" | "rates", f: string, b: Uint8Array) => SheetRead)(layout, file, bytes);
}

/** Whether the rest of the module is loaded (a section shows that it is loading, not stale figures). */
export function fullReady(): boolean {
  return full !== undefined;
}

/** The exports of the module's first part (web/wasm/split.json); every other one needs `loadFull`. */
const inFirst = new Set<string>(firstExports);

/** The export `name`, which throws a clear error when it is in the rest and that is not loaded yet. */
function exported<K extends keyof Full>(name: K): Full[K] {
  const f = page[name] as (...args: unknown[]) => unknown;
  if (inFirst.has(name)) return f as Full[K];
  return ((...args: unknown[]) => {
    if (!full) throw new Error(`callcap: ${name} is in the rest of the module, not loaded yet (loadFull)`);
    return f(...args);
  }) as Full[K];
}

/** The bundled rate book's information, once `loadCore` has resolved. */
export function rateBook(): BookInfo {
  if (!book) throw new Error("callcap: the core is not loaded yet");
  return book;
}

/** Most timings kept per function (a long session should not grow the timeline forever). */
const KEEP = 2000;

/** `f` (an export of the module, with its own arguments) timed, its errors returned as values. */
function timed<A extends unknown[], O>(name: string, f: (...args: A) => O): (...args: A) => Outcome<O> {
  const label = `callcap:${name}`;
  let kept = 0;
  const record = (start: number) => {
    if (++kept > KEEP) {
      performance.clearMeasures(label);
      kept = 1;
    }
    performance.measure(label, { start, end: performance.now() });
  };
  return (...args: A) => {
    const start = performance.now();
    try {
      const value = f(...args);
      record(start);
      return { ok: true, value };
    } catch (e) {
      record(start);
      const { field, key, line, reason } = (e ?? {}) as Omit<Bad, "ok" | "error">;
      return { ok: false, error: e instanceof Error ? e.message : String(e), field, key, line, reason };
    }
  };
}

// The first part's functions; `estimate` with a tariff needs the rest (its reader).
export const caps = timed("caps", exported("caps"));
export const amount = timed("amount", exported("amount"));
export const callPrice = timed("call-price", exported("callPrice"));
const estimateIn = exported("estimate");
export const estimate = timed("estimate", ((...args) => {
  if ((args[9] != null || args[10] != null) && !full) throw new Error("callcap: a tariff's estimate needs the rest of the module, not loaded yet (loadFull)");
  return estimateIn(...args);
}) as Full["estimate"]);
export const tiers = timed("tiers", exported("tiers"));
/** The core's search of the directory (`loadDirectory` first). */
export const facilities = timed("facilities", exported("facilities") as (...a: Parameters<Full["facilities"]>) => FacilitiesFound);
export const regime = timed("regime", exported("regime"));
// The rest's (loadFull first).
export const check = timed("check", exported("check"));
export const compare = timed("compare", exported("compare"));
export const compareCsv = timed("compare-csv", exported("compareCsv"));
export const compareBids = timed("compare", exported("compareBids"));
