// The page's module in two parts (web/pkg-page, scripts/build-wasm.sh "the split"): the first
// part alone answers every call the first load makes (web/wasm/split.json's `first`) exactly as
// the whole module does (web/pkg-node); each function of the rest throws a clear error until
// the rest is instantiated with the first part's exports, and then answers as the whole module
// does too.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { binding, repo } from "./helpers";
import type { FacilityKind, FeeKind, Jurisdiction, Operator, Payment, Service } from "../pkg-page/callcap_page.js";
import * as page from "../pkg-page/callcap_page.js";
import split from "../wasm/split.json";

const dir = `${repo}web/pkg-page/`;
const read = (path: string) => readFileSync(`${repo}${path}`, "utf8");
let first: WebAssembly.Exports;

/** What a call returns or throws, to compare two modules' answers. */
function outcome(f: () => unknown): unknown {
  try {
    return { value: f() };
  } catch (e) {
    const { field, key, line, reason } = (e ?? {}) as Record<string, unknown>;
    return { error: e instanceof Error ? e.message : String(e), field, key, line, reason };
  }
}

type Estimate = typeof page.estimate;
const estimates: Parameters<Estimate>[] = [];
for (const date of ["2013-06-01", "2016-06-01", "2021-11-01", "2024-12-01", "2025-07-01", "2026-06-01"]) {
  for (const [kind, adp] of [["jail", "30"], ["jail", "640"], ["jail", "1200"], ["prison", "2500"]]) {
    for (const [jurisdiction, payment, service] of [["intrastate", "prepaid", "audio"], ["interstate", "collect", "audio"], ["international", "debit", "audio"], ["intrastate", "prepaid", "video"]]) {
      estimates.push([date, service as Service, jurisdiction as Jurisdiction, payment as Payment, "15", "automated_payment" as FeeKind,
        "4", null, "", null, null, kind as FacilityKind, adp]);
    }
  }
}
// With a place (state and local rules), and bad input in each field.
estimates.push(
  ["2026-06-01", "audio", "intrastate", "prepaid", "15", "live_agent", null, "20", "50", null, null, "jail", "900", "CA", "county", "06073"],
  ["2026-06-01", "audio", "local", "prepaid", "20", "automated_payment", "7", null, "", null, null, "jail", "900", "TX", "county" as Operator, "48113"],
  ["2024-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, "jail", "300", "MA", "county", ""],
  ["2026-06-01", "audio", "intrastate", "prepaid", "0", "automated_payment", "4", null, "", null, null, "jail", "640"],
  ["June 1", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, "jail", "640"],
  ["2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, "jail", "x"],
  ["2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, "castle" as FacilityKind, "5"],
  ["2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, null, null],
  ["2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "four", null, "$25", null, null, "jail", "640", "texas"],
);

/** A module with the binding's functions: the split one, or the whole one. */
type Module = typeof page;
/** The whole module (web/pkg-node): the same binding, unsplit. */
const whole = binding as unknown as Module;
/** A named call, made on either module. */
type Call = [string, (m: Module) => unknown];

/** Every call the first load makes. */
const firstCalls: Call[] = [
  ["version", (m) => m.version()],
  ["rateBook", (m) => m.rateBook()],
  ...["2014-03-01", "2021-11-01", "2025-07-01", "2026-06-01", "1999-01-01", "June"].flatMap((d): Call[] => [
    [`regime ${d}`, (m) => m.regime(d)],
    [`tiers ${d}`, (m) => m.tiers(d)],
  ]),
  ...estimates.map((args): Call => [`estimate ${args.slice(0, 3).join(" ")} ${args.slice(11).join(" ")}`, (m) => m.estimate(...args)]),
  ...[["$0.21", "en"], ["0,21", "es"], ["21 cents", "en"], ["-1", "en"], ["99999999999", "en"]].map(([text, lang]): Call =>
    [`amount ${text}`, (m) => m.amount(text, lang, "per_minute")]),
  ...[["3.15", "15", "en"], ["3,15", "15", "es"], ["3.15", "0", "en"], [" ", "15", "en"]].map(([price, minutes, lang]): Call =>
    [`callPrice ${price} ${minutes}`, (m) => m.callPrice(price, minutes, lang)]),
];

const tariff = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
const bids = ["riverbend-vendor-a-high-commission", "riverbend-vendor-b-no-commission-under-cap"].map((b) => `rates/examples/bids/${b}.toml`);
const directory = readFileSync(`${dir}directory.txt`, "utf8");

/** An estimate of a facility chosen in the directory (the rest reads the directory). */
const directoryEstimate: Call = ["estimate of a facility in the directory",
  (m) => m.estimate("2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "", null, null, "jail", null, null, null, null, "10000231")];

/** A call of each function of the rest. */
const restCalls: Call[] = [
  ["check", (m) => m.check("2026-06-01", tariff, read(tariff))],
  ["caps", (m) => m.caps("2026-06-01", "jail", "640", "CA", "county", "06073")],
  ["compare", (m) => m.compare("2026-07-01", bids, bids.map(read))],
  ["compareBids", (m) => m.compareBids("2026-07-01", bids, bids.map(read))],
  ["compareCsv", (m) => m.compareCsv("2026-07-01", bids, bids.map(read))],
  ["loadDirectory", (m) => m.loadDirectory(directory)],
  ["facilities", (m) => m.facilities("harris county", "TX", null)],
  ["estimate of a tariff",
    (m) => m.estimate("2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "25", tariff, read(tariff))],
];

beforeAll(() => {
  first = page.initSync({ module: readFileSync(`${dir}callcap_page_bg.wasm`) }) as unknown as WebAssembly.Exports;
});

describe("the module's first part, alone", () => {
  it("is what the build split: the split.json's first exports, and a rest to load", () => {
    const rest = new WebAssembly.Module(readFileSync(`${dir}callcap_page_rest.wasm`));
    // The rest takes the first part's memory, table and functions.
    expect(WebAssembly.Module.imports(rest).every((i) => i.module === "primary")).toBe(true);
    expect(WebAssembly.Module.imports(rest).length).toBeGreaterThan(100);
    for (const name of split.first) expect(typeof page[name as keyof typeof page]).toBe("function");
  });

  it.each(firstCalls)("answers %s as the whole module does", (_name, call) => {
    expect(outcome(() => call(page))).toEqual(outcome(() => call(whole)));
  });

  it("throws a clear error for each function of the rest, and goes on answering", () => {
    // The directory's estimate before the directory is read: the same answer as the whole module's.
    expect(outcome(() => directoryEstimate[1](page))).toEqual(outcome(() => directoryEstimate[1](whole)));
    const [, rateBook] = firstCalls[1];
    for (const [name, call] of restCalls) {
      expect(outcome(() => call(page)), name).toMatchObject({ error: expect.stringMatching(/part of the module loaded on demand, not loaded yet/) });
      expect(outcome(() => rateBook(page))).toEqual(outcome(() => rateBook(whole)));
    }
  });
});

describe("with the rest instantiated", () => {
  beforeAll(async () => {
    await WebAssembly.instantiate(readFileSync(`${dir}callcap_page_rest.wasm`), { primary: first as WebAssembly.ModuleImports });
  });

  it.each([...restCalls, directoryEstimate])("answers %s as the whole module does", (_name, call) => {
    const answer = outcome(() => call(page));
    expect(answer).toHaveProperty("value");
    expect(answer).toEqual(outcome(() => call(whole)));
  });

  it.each(firstCalls.slice(0, 12))("still answers %s as the whole module does", (_name, call) => {
    expect(outcome(() => call(page))).toEqual(outcome(() => call(whole)));
  });
});
