// The core, compiled to WebAssembly (built by scripts/build-wasm.sh). Every number and every
// verdict on the page comes from these calls; this module only loads the modules, times each
// call (performance.measure "callcap:<name>", read by the budget test) and turns thrown errors
// into values the page can show.
//
// size: two builds of the same binding. The first load is web/pkg-lite (the binding without its
// `full` feature: the rules, caps and the month at the legal maximum, no TOML reader, no check
// or compare; 65 KB gzip smaller). The full module (web/pkg) is fetched when a tariff, bids or a
// check is first used (`loadFull`), and cached for offline use with the rest.
import init, * as lite from "../pkg-lite/callcap_lite.js";
import type { BookInfo, DirectoryInfo, FacilitiesFound } from "../pkg/callcap_wasm.js";
import type { SheetRead } from "../pkg/callcap_wasm.js";
type Full = typeof import("../pkg/callcap_wasm.js");

export type * from "../pkg/callcap_wasm.js";


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
let full: Full | undefined;
let fullLoading: Promise<Full> | undefined;

/** Loads and starts the first-load module; resolves to the bundled rate book's sources and dates. */
export async function loadCore(): Promise<BookInfo> {
  if (!book) {
    await init();
    performance.mark("callcap:wasm-ready");
    book = lite.rateBook() as BookInfo;
    performance.mark("callcap:rate-book-ready");
  }
  return book;
}

/**
 * Loads and starts the full module (a tariff's reader, check, compare), once; the sections that
 * read TOML await it before their first call.
 */
export function loadFull(): Promise<Full> {
  fullLoading ??= import("../pkg/callcap_wasm.js").then(async (m) => {
    await m.default();
    // A facility chosen before: the full module needs the directory too.
    if (directoryText) m.loadDirectory(await directoryText);
    full = m;
    performance.mark("callcap:full-ready");
    return m;
  });
  return fullLoading;
}

// The facility directory in the page's compact form (built by scripts/build-wasm.sh), fetched
// when the finder is first used and cached for offline use with the rest of the build.
import directoryUrl from "../pkg-lite/directory.txt?url";

let directoryText: Promise<string> | undefined;

/**
 * Fetches the facility directory (once) and gives it to the first-load module and, when it is
 * loaded, to the full one; resolves when the finder can search.
 */
export async function loadDirectory(): Promise<Outcome<DirectoryInfo>> {
  directoryText ??= fetch(directoryUrl).then((r) => {
    if (!r.ok) throw new Error(`the facility directory could not be fetched (${r.status})`);
    return r.text();
  });
  try {
    const text = await directoryText;
    if (full) full.loadDirectory(text);
    return { ok: true, value: lite.loadDirectory(text) as DirectoryInfo };
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

/** Whether the full module is loaded (a section shows that it is loading, not stale figures). */
export function fullReady(): boolean {
  return full !== undefined;
}

/** The full module, once `loadFull` has resolved. */
function needFull(): Full {
  if (!full) throw new Error("callcap: the full module is not loaded yet (loadFull)");
  return full;
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

// The first-load module's functions; `estimate` with a tariff needs the full module (its
// reader), which then does the whole call.
export const caps = timed("caps", lite.caps as Full["caps"]);
export const amount = timed("amount", lite.amount);
export const callPrice = timed("call-price", lite.callPrice as Full["callPrice"]);
export const estimate = timed("estimate", ((...args) =>
  (args[9] != null || args[10] != null ? needFull().estimate : lite.estimate as Full["estimate"])(...args)) as Full["estimate"]);
export const tiers = timed("tiers", lite.tiers as Full["tiers"]);
/** The core's search of the directory (`loadDirectory` first). */
export const facilities = timed("facilities", lite.facilities as (...a: Parameters<Full["facilities"]>) => FacilitiesFound);
export const regime = timed("regime", lite.regime as Full["regime"]);
// The full module's (loadFull first).
export const check = timed("check", ((...args) => needFull().check(...args)) as Full["check"]);
export const compare = timed("compare", ((...args) => needFull().compare(...args)) as Full["compare"]);
export const compareCsv = timed("compare-csv", ((...args) => needFull().compareCsv(...args)) as Full["compareCsv"]);
export const compareBids = timed("compare", ((...args) => needFull().compareBids(...args)) as Full["compareBids"]);
