// Presentation helpers for the core's results: grouping rows that read the same. No figure is
// computed here.
import type { CapView, Payment } from "./core";

export interface CapRow {
  cap: CapView;
  /** The payments the row covers, or "all". */
  payments: Payment[] | "all";
}

/** Cap lines that differ only by payment, as one row (as `callcap caps` prints them). */
export function groupCaps(caps: CapView[]): CapRow[] {
  const rows: { cap: CapView; payments: Payment[] }[] = [];
  for (const c of caps) {
    const same = rows.find(
      (r) =>
        r.cap.service === c.service &&
        r.cap.jurisdiction === c.jurisdiction &&
        r.cap.per_minute === c.per_minute &&
        r.cap.additive === c.additive &&
        r.cap.source === c.source &&
        r.cap.citation === c.citation,
    );
    if (same) same.payments.push(c.payment);
    else rows.push({ cap: c, payments: [c.payment] });
  }
  return rows.map((r) => ({ cap: r.cap, payments: r.payments.length === 3 ? "all" : r.payments }));
}

/** A name for a file from its path: "rates/examples/bids/a-b.toml" → "a-b". */
export function stem(path: string): string {
  const base = path.slice(path.lastIndexOf("/") + 1);
  return base.endsWith(".toml") ? base.slice(0, -5) : base;
}

/** The 1-based line range of `line` in `text`, as offsets for a textarea selection. */
export function lineRange(text: string, line: number): [number, number] {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const next = text.indexOf("\n", start);
    if (next < 0) return [text.length, text.length];
    start = next + 1;
  }
  const end = text.indexOf("\n", start);
  return [start, end < 0 ? text.length : end];
}

/** The line number an error message names ("file.toml:12:5: ..."), if any. */
export function errorLine(message: string): number | null {
  const m = /^[^\n]*?:(\d+)(?::\d+)?: /.exec(message);
  return m ? Number(m[1]) : null;
}
