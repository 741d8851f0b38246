// The core's messages have Spanish (src/i18n/messages-es.ts): every message the binding writes
// for bad form input, collected here by giving it bad values, matches a message type of the
// catalog. A new kind of message in the core without Spanish fails this test.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MESSAGES_ES, messageEs, nameEs, summaryEs, whyEs } from "../src/i18n/messages-es";
import { es } from "../src/i18n/es";
import { binding, repo } from "./helpers";
import type { Operator } from "../pkg/callcap_wasm.js";

/** The Spanish words of the core's vocabularies, as the page has them. */
const words = (kind: string, value: string) => (es as Record<string, string>)[`${kind}.${value}`] ?? value;

/** The message `f` throws. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error("no error thrown");
}

const month = (o: Partial<{ minutes: string; week: string | null; monthly: string | null; deposit: string; date: string }>) =>
  () => binding.estimate(o.date ?? "2026-06-01", "audio", "intrastate", "prepaid", o.minutes ?? "15", "automated_payment",
    o.week ?? null, o.monthly ?? null, o.deposit ?? "", null, null, "jail", "640");

/** Bad form input, each as a user could type it. */
const FORM_MESSAGES: string[] = [
  thrown(month({ minutes: "" })),
  thrown(month({ minutes: "0" })),
  thrown(month({ minutes: "fifteen" })),
  thrown(month({ minutes: "99999999999" })),
  thrown(month({ week: "four" })),
  thrown(month({ week: "-3" })),
  thrown(month({ week: "4\u200f" })),
  thrown(month({ week: "100000" })),
  thrown(month({ monthly: "100000" })),
  thrown(month({ monthly: "4", week: "4" })),
  thrown(month({ deposit: "abc" })),
  thrown(month({ deposit: "0.50" })),
  thrown(month({ date: "June 1" })),
  thrown(month({ date: "2013-06-01" })),
  thrown(() => binding.caps("2026-06-01", "jail", "")),
  thrown(() => binding.caps("2026-06-01", "jail", "0")),
  thrown(() => binding.caps("2026-06-01", "jail", "-5")),
  thrown(() => binding.caps("2026-06-01", "jail", "lots")),
  thrown(() => binding.caps("2026-06-01", "jail", "99999999")),
  thrown(() => binding.caps("2026-06-01", "jail", "640", "Texas")),
  thrown(() => binding.caps("2026-06-01", "jail", "640", "CA", "", "6073")),
  thrown(() => binding.amount("21 cents", "en", "per_minute")),
  thrown(() => binding.amount("veinte", "es", "per_minute")),
  thrown(() => binding.amount("-1", "en", "fee")),
  thrown(() => binding.amount("0.12345", "en", "fee")),
  thrown(() => binding.amount("99999999999", "en", "deposit")),
  thrown(() => binding.callPrice("3.15", "", "en")),
  thrown(() => binding.callPrice(" ", "15", "en")),
  thrown(() => binding.callPrice("3.15", "0", "en")),
  thrown(() => binding.callPrice("3.15", "quince", "es")),
  thrown(() => binding.callPrice("tres", "15", "es")),
];

describe("the core's messages in Spanish", () => {
  it.each(FORM_MESSAGES)("has Spanish for: %s", (message) => {
    const es = messageEs(message);
    expect(es, message).not.toBeNull();
    expect(es).not.toBe(message);
  });

  it("carries what was typed and the numbers over", () => {
    expect(messageEs(thrown(month({ week: "four" }))))
      .toBe('"four" no es un número entero de llamadas por semana; escríbalo como 4');
    expect(messageEs(thrown(month({ week: "4\u200f" })))).toContain("carácter invisible U+200F");
  });

  // The XLSX reader's errors (src/sheet/xlsx.rs), as tests/sheets.rs pins them: the spreadsheet
  // modules are not loaded under Node here, so their sentences are given as the core writes them.
  it.each([
    "not an XLSX workbook (not a zip archive); save it as .xlsx or .csv",
    "an encrypted workbook or an Excel 97-2003 (.xls) file, which callcap does not read; save it as .xlsx without a password, or as .csv",
    "the workbook has no sheet",
    "not an XLSX workbook that can be read: `xl/worksheets/sheet1.xml` is damaged (its CRC-32 does not match); save it again as .xlsx or .csv",
    "not an XLSX workbook: it has no `xl/workbook.xml`; save it as .xlsx or .csv",
    "`xl/worksheets/sheet1.xml` is not UTF-8 text (byte 11); save the workbook again as .xlsx (Excel writes UTF-8) or as .csv UTF-8",
    "this part of the page reads XLSX only; the page reads a .csv with its CSV reader",
  ])("has Spanish for the XLSX reader's: %s", (message) => {
    const es = messageEs(message);
    expect(es, message).not.toBeNull();
    expect(es).not.toBe(message);
  });

  it("names each message type once", () => {
    const ids = MESSAGES_ES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("leaves a message it does not know as it is (the page then shows the English)", () => {
    expect(messageEs("something the core has never said")).toBeNull();
  });
});

/**
 * The core's sentences a page shows, gathered from the binding: every example tariff checked
 * and priced, every facility's caps, and the example bids compared, on dates across the
 * regimes, with no place and with places in covered and uncovered states. The regimes' own
 * notes (research text of the rate book, shown in The caps) are left out: they stay English
 * (README, "Spanish").
 */
function corpus(): { kind: string; text: string }[] {
  const read = (p: string) => readFileSync(`${repo}${p}`, "utf8");
  const ex = readdirSync(`${repo}rates/examples`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/${f}`);
  const bids = readdirSync(`${repo}rates/examples/bids`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/bids/${f}`);
  const seen = new Map<string, string>();
  const add = (kind: string, text: string | null | undefined) => { if (text) seen.set(`${kind}\t${text}`, kind); };
  const dates = ["2013-06-01", "2016-06-01", "2019-06-01", "2022-06-01", "2024-06-01", "2025-07-01", "2026-06-01"];
  const places: [string, string, string][] = [["", "", ""], ["CA", "county", ""], ["CA", "", ""], ["MA", "county", ""], ["NY", "", ""],
    ["TX", "county", "48113"], ["WA", "", ""], ["NJ", "state", ""], ["IN", "", ""], ["FL", "county", "12001"], ["NM", "state", ""], ["CO", "", ""]];
  for (const d of dates) for (const [s, o, c] of places) {
    for (const p of ex) {
      try { binding.check(d, p, read(p), s, o as Operator, c).findings.forEach((f) => add("finding", f.message)); } catch { /* a date before the file's rules */ }
      try {
        binding.estimate(d, "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", p, read(p), null, null, s, o as Operator, c)
          .estimate.notes.forEach((n) => add("note", n));
      } catch { /* as above */ }
    }
    for (const k of ["jail", "prison"] as const) for (const adp of ["40", "640", "2500"]) {
      const r = binding.caps(d, k, adp, s, o as Operator, c);
      r.notes.filter((n) => n !== r.regime?.note).forEach((n) => add("caps note", n));
      r.state_rules.forEach((x) => { add("summary", x.summary); add("why", x.may_apply_because); });
      add("name", r.facility.tier_name);
      add("name", r.regime?.name);
      try {
        binding.estimate(d, "audio", "interstate", "prepaid", "15", "automated_payment", "4", null, "", null, null, k, adp, s, o as Operator, c)
          .estimate.notes.forEach((n) => add("note", n));
      } catch (e) { add("error", (e as Error).message); }
    }
    const cmp = binding.compare(d, bids, bids.map(read));
    cmp.bids.forEach((b) => { b.notes.forEach((n) => add("note", n)); b.compliance.forEach((x) => x.findings.forEach((f) => add("finding", f.message))); });
  }
  return [...seen].map(([key, kind]) => ({ kind, text: key.slice(kind.length + 1) }));
}

describe("every sentence of the core the page shows has Spanish", () => {
  const all = corpus();
  it("gathers enough to mean something", () => {
    expect(all.length).toBeGreaterThan(300);
  });
  it.each(["finding", "note", "caps note", "summary", "why", "name", "error"])("%s", (kind) => {
    const es = (text: string) => kind === "summary" ? summaryEs(text, words) : kind === "why" ? whyEs(text)
      : kind === "name" ? nameEs(text) : messageEs(text, words);
    const missing = all.filter((x) => x.kind === kind && es(x.text) === null).map((x) => x.text);
    expect(missing).toEqual([]);
  });
});
