import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bidFromForm, tariffFromPrices, tomlString, type BidForm, type Prices } from "../src/tomlForm";
import { binding, cliJson } from "./helpers";

const prices: Prices = {
  kind: "jail", adp: "640", service: "audio", jurisdiction: "intrastate", payment: "prepaid",
  perMinute: "0.21", perCall: "", depositFee: "3.00", depositMethod: "automated_payment", thirdPartyFee: "",
};

describe("tomlString", () => {
  it("escapes what TOML requires", () => {
    expect(tomlString('a "b" \\ c\nd\u0001')).toBe('"a \\"b\\" \\\\ c\\nd\\u0001"');
  });
});

/** The month the binding prices from `text`, after checking the CLI prices the same file alike. */
function pricedAsTheCli(text: string) {
  const dir = mkdtempSync(join(tmpdir(), "callcap-"));
  const file = join(dir, "prices.toml");
  writeFileSync(file, text);
  const page = binding.estimate("2026-06-01", "audio", "intrastate", "prepaid", "15", "automated_payment",
    "4", null, "25", file, text);
  const cli = cliJson("estimate", "--tariff", file, "--calls-per-week", "4", "--minutes", "15",
    "--jurisdiction", "intrastate", "--payment", "prepaid", "--deposit", "25", "--date", "2026-06-01");
  expect(page.estimate).toEqual(cli);
  return page;
}

describe("tariffFromPrices", () => {
  it("writes a tariff the core reads, priced as the CLI prices the same file", () => {
    const text = tariffFromPrices({ ...prices, perCall: "0.50" });
    expect(text).toContain('per_call = "0.50"');
    const page = pricedAsTheCli(text);
    expect(page.estimate.month.fee_items[0]?.kind).toBe("automated_payment");
  });

  it("writes a third-party fee beside the provider's, both charged on each deposit as the CLI charges them", () => {
    const text = tariffFromPrices({ ...prices, thirdPartyFee: "1.95" });
    expect(text).toContain('kind = "third_party_transaction"');
    const page = pricedAsTheCli(text);
    const kinds = page.estimate.month.fee_items.map((f: { kind: string }) => f.kind);
    expect(kinds).toEqual(expect.arrayContaining(["automated_payment", "third_party_transaction"]));
    const third = page.estimate.month.fee_items.find((f: { kind: string }) => f.kind === "third_party_transaction");
    expect(third?.uses).toBe(page.estimate.month.deposits);
  });

  it("leaves out empty optional prices", () => {
    const text = tariffFromPrices({ ...prices, depositFee: " " });
    expect(text).not.toContain("[[fee]]");
    expect(text).not.toContain("per_call");
  });

  it("passes bad input through for the core to name", () => {
    const text = tariffFromPrices({ ...prices, adp: "lots", perMinute: "twenty cents" });
    expect(() => binding.check("2026-06-01", "p.toml", text))
      .toThrowError(/^p\.toml:4:\d+: \[facility\] average_daily_population: /);
    const text2 = tariffFromPrices({ ...prices, perMinute: "twenty cents" });
    expect(() => binding.check("2026-06-01", "p.toml", text2))
      .toThrowError(/per_minute: .*not a decimal amount/);
  });

  it("survives hostile text", () => {
    const text = tariffFromPrices({ ...prices, perMinute: '0.21"\n[commission]\npercent_of_revenue = "99' });
    expect(() => binding.check("2026-06-01", "p.toml", text)).toThrowError(/per_minute/);
    void spawnSync;
  });
});

describe("bidFromForm", () => {
  const bid: BidForm = {
    name: 'Vendor "D"', vendor: "", facility: "Riverbend", kind: "jail", adp: "640", state: "OH", operator: "",
    term: "3", start: "2026-07-01",
    rates: [{ service: "audio", jurisdiction: "", payment: "", perMinute: "0.11", firstMinute: "", perCall: "", increment: "" },
      { service: "video", jurisdiction: "interstate", payment: "debit", perMinute: "0.18", firstMinute: "0.30", perCall: "", increment: "60" }],
    fees: [{ kind: "paper_statement", amount: "2.00" }, { kind: "live_agent", amount: "" }],
    percent: "", commissionPerMinute: "0.01", guarantee: "", bonus: "", inKind: "500",
  };

  it("writes a bid file, leaving out what is empty, and says which field each line came from", () => {
    const { text, fields } = bidFromForm(bid);
    expect(text).toContain('name = "Vendor \\"D\\""');
    expect(text).not.toContain("[provider]");
    expect(text).not.toContain("live_agent");
    expect(text).toContain('jurisdiction = "interstate"');
    expect(text).toContain("billing_increment_seconds = 60");
    expect(text).toContain('[commission]\nper_minute = "0.01"');
    expect(text).toContain('in_kind_per_year = "500"');
    const lines = text.split("\n");
    const at = (needle: string) => lines.findIndex((l) => l.startsWith(needle)) + 1;
    expect(fields.get(at("start = "))).toBe("bid.start");
    expect(fields.get(at('first_minute = '))).toBe("bid.rate.1.first_minute");
    expect(fields.get(at("average_daily_population"))).toBe("bid.adp");
  });

  it("keeps a count that is not a whole number quoted, so the core names its key", () => {
    expect(bidFromForm({ ...bid, term: "three" }).text).toContain('term_years = "three"');
  });
});
