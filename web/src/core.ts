// The core, compiled to WebAssembly (web/pkg, built by scripts/build-wasm.sh). Every number and
// every verdict on the page comes from these calls; this module only loads the module, times
// each call (performance.measure "callcap:<name>", read by the budget test) and turns thrown
// errors into values the page can show.
import init, * as wasm from "../pkg/callcap_wasm.js";
import type { BookInfo } from "../pkg/callcap_wasm.js";

export type * from "../pkg/callcap_wasm.js";

/**
 * A form field the binding names in an error: the argument the bad value came in
 * (web/wasm/src/api.rs, `BadInput`).
 */
export type Field = "date" | "facility" | "adp" | "state" | "operator" | "county_fips" | "service" | "jurisdiction"
  | "payment" | "minutes" | "deposit_method" | "calls_per_week" | "calls_per_month" | "deposit" | "tariff" | "bids"
  | "demand" | "per_minute" | "per_call" | "fee" | "fee_third_party" | "call_price" | "call_minutes" | "amount";

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

/** Loads and starts the module; resolves to the bundled rate book's sources and dates. */
export async function loadCore(): Promise<BookInfo> {
  if (!book) {
    await init();
    performance.mark("callcap:wasm-ready");
    book = wasm.rateBook();
    performance.mark("callcap:rate-book-ready");
  }
  return book;
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

export const caps = timed("caps", wasm.caps);
export const amount = timed("amount", wasm.amount);
export const callPrice = timed("call-price", wasm.callPrice);
export const check = timed("check", wasm.check);
export const estimate = timed("estimate", wasm.estimate);
export const compare = timed("compare", wasm.compare);
export const compareCsv = timed("compare-csv", wasm.compareCsv);
export const compareBids = timed("compare", wasm.compareBids);
export const tiers = timed("tiers", wasm.tiers);
export const regime = timed("regime", wasm.regime);
