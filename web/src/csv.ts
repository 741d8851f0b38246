// The comparison as CSV, for county staff: the columns and values of
// `callcap compare --format csv`, written from the core's result.
import type { Comparison, Jurisdiction } from "./core";

const JURISDICTIONS: Jurisdiction[] = ["local", "intrastate", "interstate", "international"];

const HEADER = [
  "date",
  "name",
  "file",
  "average_daily_population",
  "start",
  "end",
  "annual_family_cost",
  "annual_call_charges",
  "annual_fees",
  "annual_taxes",
  "annual_commission",
  "local_15_min_call",
  "intrastate_15_min_call",
  "interstate_15_min_call",
  "international_15_min_call",
  "effective_per_minute",
  "compliant",
  "violations",
  "first_noncompliant_date",
];

/** A CSV field, quoted when it must be. */
export function csvField(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The comparison as CSV text (one line per bid, `\n` line ends). */
export function comparisonCsv(c: Comparison): string {
  const rows = [HEADER];
  for (const b of c.bids) {
    rows.push([
      c.date,
      b.name,
      b.file,
      String(b.average_daily_population),
      b.start,
      b.end,
      b.annual_family_cost,
      b.annual_call_charges,
      b.annual_fees,
      b.annual_taxes,
      b.annual_commission,
      ...JURISDICTIONS.map((j) => b.family_cost_per_15_min_call[j] ?? ""),
      b.effective_per_minute,
      String(b.compliant),
      String(b.compliance[0]?.violations ?? 0),
      b.compliance.find((d) => !d.compliant)?.date ?? "",
    ]);
  }
  return rows.map((r) => r.map(csvField).join(",")).join("\n") + "\n";
}
