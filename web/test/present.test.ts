import { describe, expect, it } from "vitest";
import { errorLine, groupCaps, lineRange, stem } from "../src/present";
import type { CapView } from "../src/core";

const cap = (payment: CapView["payment"], per_minute: string | null, jurisdiction: CapView["jurisdiction"] = "intrastate"): CapView => ({
  service: "audio", jurisdiction, payment, per_minute, additive: "0.02", additive_applies: "always",
  plus_termination_cost: false, regime: "fcc-25-75", source: "FCC 25-75", citation: "47 CFR § 64.6010",
  link: "https://example.org", effective: "2026-04-06", confidence: "medium",
});

describe("groupCaps", () => {
  it("merges lines that differ only by payment", () => {
    const rows = groupCaps([cap("debit", "0.12"), cap("prepaid", "0.12"), cap("collect", "0.12")]);
    expect(rows).toHaveLength(1);
    expect(rows[0].payments).toBe("all");
  });
  it("keeps different caps apart", () => {
    const rows = groupCaps([cap("debit", "0.12"), cap("prepaid", "0.12"), cap("collect", "0.14"), cap("debit", "0.12", "interstate")]);
    expect(rows.map((r) => r.payments)).toEqual([["debit", "prepaid"], ["collect"], ["debit"]]);
  });
});

describe("small helpers", () => {
  it("stem", () => {
    expect(stem("../../rates/examples/bids/a-b.toml")).toBe("a-b");
    expect(stem("x")).toBe("x");
  });
  it("lineRange selects a line", () => {
    const text = "one\ntwo\nthree";
    expect(lineRange(text, 2)).toEqual([4, 7]);
    expect(lineRange(text, 3)).toEqual([8, 13]);
    expect(lineRange(text, 9)).toEqual([13, 13]);
  });
  it("errorLine reads the core's file:line:col prefix", () => {
    expect(errorLine("my.toml:12:5: [[rate]] per_minute: bad")).toBe(12);
    expect(errorLine("pasted-tariff.toml:3: x")).toBe(3);
    expect(errorLine("`x` is not a real date")).toBeNull();
  });
});
