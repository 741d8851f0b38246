// The binding from Node (web/pkg-node): for the same inputs it returns exactly what the CLI
// prints with --format json, so the page and the command line can never disagree.
import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { binding, cliJson, repo, shown } from "./helpers";
import type { FacilityKind, FeeKind, Jurisdiction, Operator, Payment } from "../pkg/callcap_wasm.js";

const read = (path: string) => readFileSync(`${repo}${path}`, "utf8");
const examples = readdirSync(`${repo}rates/examples`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/${f}`);
const bids = readdirSync(`${repo}rates/examples/bids`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/bids/${f}`);

describe("the binding agrees with the CLI", () => {
  it.each([
    ["2026-06-01", "jail", "640"],
    ["2026-06-01", "prison", "2500"],
    ["2024-01-01", "jail", "49"],
    ["2013-06-01", "jail", "300"],
    ["2016-06-01", "jail", "1200"],
  ])("caps on %s for a %s of %s", (date, facility, adp) => {
    const page = binding.caps(date, facility as FacilityKind, adp);
    expect(page).toEqual(shown(cliJson("caps", "--date", date, "--facility", facility, "--adp", adp)));
  });

  it.each([
    ["2024-06-01", "jail", "300", "MA", "county", ""],
    ["2023-06-01", "jail", "300", "CA", "county", ""],
    ["2023-06-01", "jail", "300", "CA", "", ""],
    ["2026-06-01", "jail", "900", "CA", "county", "06073"],
    ["2026-06-01", "jail", "900", "TX", "county", "48113"],
    ["2026-06-01", "prison", "900", "WA", "state", ""],
  ])("caps on %s for a %s of %s in %s run by %s (county %s)", (date, facility, adp, state, operator, county) => {
    const page = binding.caps(date, facility as FacilityKind, adp, state, operator as Operator | "", county);
    const args = ["caps", "--date", date, "--facility", facility, "--adp", adp, "--state", state];
    if (operator) args.push("--operator", operator);
    if (county) args.push("--county-fips", county);
    expect(page).toEqual(shown(cliJson(...args)));
  });

  it.each([
    ["rates/examples/nv-county-jail-large-2026-deposit-fees.toml", "CA", "county", "06073"],
    ["rates/examples/tx-county-jail-large-2026-compliant.toml", "TX", "county", "48113"],
    ["rates/examples/pa-state-prison-2026-compliant.toml", "MA", "state", ""],
  ])("check %s in %s, run by %s (county %s): the form's place replaces the file's", (path, state, operator, county) => {
    const page = binding.check("2026-06-01", path, read(path), state, operator as Operator, county);
    const args = ["check", path, "--date", "2026-06-01", "--state", state, "--operator", operator];
    if (county) args.push("--county-fips", county);
    expect(page).toEqual(cliJson<{ results: unknown[] }>(...args).results[0]);
  });

  it.each(examples)("check %s", (path) => {
    const page = binding.check("2026-06-01", path, read(path));
    const cli = cliJson<{ results: unknown[] }>("check", path, "--date", "2026-06-01");
    expect(page).toEqual(cli.results[0]);
  });

  it.each([
    ["rates/examples/nv-county-jail-large-2026-deposit-fees.toml", "4", "15", "intrastate", "prepaid", "25", "automated_payment"],
    ["rates/examples/tx-county-jail-large-2026-compliant.toml", "7", "20", "local", "prepaid", "", "live_agent"],
    ["rates/examples/ky-county-jail-very-small-2026-collect-surcharge.toml", "3", "10", "intrastate", "collect", "", "automated_payment"],
    ["rates/examples/bids/riverbend-vendor-a-high-commission.toml", "5", "15", "interstate", "prepaid", "50", "live_agent"],
  ])("estimate %s", (path, perWeek, minutes, jurisdiction, payment, deposit, method) => {
    const page = binding.estimate("2026-06-01", "audio", jurisdiction as Jurisdiction, payment as Payment, minutes,
      method as FeeKind, perWeek, null, deposit, path, read(path));
    const args = ["estimate", "--tariff", path, "--calls-per-week", perWeek, "--minutes", minutes,
      "--jurisdiction", jurisdiction, "--payment", payment, "--service", "audio", "--deposit-method", method, "--date", "2026-06-01"];
    if (deposit) args.push("--deposit", deposit);
    expect(page.estimate).toEqual(cliJson(...args));
  });

  it("estimate with the place given in the form, as the CLI's --state and --operator", () => {
    const path = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
    const page = binding.estimate("2023-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment", "4", null, "",
      path, read(path), null, null, "CA", "county", "");
    expect(page.estimate).toEqual(cliJson("estimate", "--tariff", path, "--calls-per-week", "4", "--minutes", "15",
      "--jurisdiction", "intrastate", "--payment", "prepaid", "--service", "audio", "--deposit-method", "automated_payment",
      "--date", "2023-06-01", "--state", "CA", "--operator", "county"));
    expect(page.estimate.at_cap?.per_minute).toBe("0.07");
    expect(page.estimate.at_cap?.set_by?.level).toBe("state");
  });

  it.each(["2013-06-01", "2014-03-01", "2021-12-01", "2025-07-01", "2026-06-01"])("the regime on %s", (date) => {
    const caps = cliJson<{ regime: { id: string; name: string; citation: string } | null }>(
      "caps", "--date", date, "--facility", "jail", "--adp", "100");
    const page = binding.regime(date);
    expect(page?.id ?? null).toBe(caps.regime?.id ?? null);
    expect(page?.name).toBe(caps.regime?.name);
    expect(page?.citation).toBe(caps.regime?.citation);
  });

  it("compare the Riverbend bids", () => {
    const page = binding.compare("2026-07-01", bids, bids.map(read));
    expect(page).toEqual(shown(cliJson("compare", ...bids, "--date", "2026-07-01")));
  });

  it("compareBids: the same comparison, and a bad bid beside the others with its own error", () => {
    const good = binding.compareBids("2026-07-01", bids, bids.map(read));
    expect(good.errors).toEqual([]);
    expect(good.comparison).toEqual(binding.compare("2026-07-01", bids, bids.map(read)));
    const files = [bids[0], "pasted.toml", bids[1]];
    const r = binding.compareBids("2026-07-01", files, [read(bids[0]), "[facility]\nkind = 1\n", read(bids[1])]);
    expect(r.errors.map((e) => [e.index, e.file, e.line])).toEqual([[1, "pasted.toml", 2]]);
    expect(r.comparison?.bids.map((b) => b.file)).toEqual([bids[0], bids[1]]);
  });

  it("compare with a demand file", () => {
    const page = binding.compare("2026-07-01", bids, bids.map(read), "rates/demand.toml", read("rates/demand.toml"));
    expect(page).toEqual(shown(cliJson("compare", ...bids, "--demand", "rates/demand.toml", "--date", "2026-07-01")));
  });
});

describe("errors reach JavaScript as Errors with the core's message", () => {
  it("a bad TOML key names the file, line and key", () => {
    expect(() => binding.check("2026-06-01", "x.toml", "[facility]\nkind = \"castle\"\n"))
      .toThrowError(/^x\.toml:2:8: \[facility\] kind: /);
  });
  it("a bad form value names its field (the argument it came in) and says what would be valid", () => {
    const fieldOf = (f: () => unknown) => {
      try { f(); } catch (e) { return (e as { field?: string }).field; }
      throw new Error("no error");
    };
    expect(fieldOf(() => binding.caps("2026-06-01", "jail", "x"))).toBe("adp");
    expect(fieldOf(() => binding.caps("2026-06-01", "jail", "5", "texas"))).toBe("state");
    expect(fieldOf(() => binding.caps("2026-06-01", "jail", "5", "TX", "sheriff" as Operator))).toBe("operator");
    expect(fieldOf(() => binding.caps("2026-06-01", "jail", "5", "TX", "", "123"))).toBe("county_fips");
    expect(fieldOf(() => binding.check("2026-06-01", "x.toml", "[facility]\nkind = 1\n"))).toBe("tariff");
    expect(fieldOf(() => binding.estimate("2026-06-01", "audio", "intrastate", "prepaid", "0", "automated_payment",
      "4", null, "", null, null, "jail", "640"))).toBe("minutes");
    expect(() => binding.caps("2026-06-01", "jail", "0")).toThrowError(/at least 1/);
    expect(() => binding.caps("June 1", "jail", "5")).toThrowError(/YYYY-MM-DD/);
    // A word outside the vocabulary (possible from plain JavaScript) gets the core's message.
    expect(() => binding.caps("2026-06-01", "castle" as FacilityKind, "5")).toThrowError(/unknown facility kind "castle", expected `prison` or `jail`/);
  });
});

describe("the rate book", () => {
  it("lists sources and the dates its rules change", () => {
    const book = binding.rateBook();
    expect(book.origin).toBe("bundled");
    expect(Object.keys(book.sources).length).toBeGreaterThan(5);
    expect(book.demand.text).toBe(readFileSync(`${repo}rates/demand.toml`, "utf8"));
  });
});
