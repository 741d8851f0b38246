import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { comparisonCsv, csvField } from "../src/csv";
import { binding, cli, repo } from "./helpers";

describe("csvField", () => {
  it("quotes only when it must", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("Vendor A, Inc.")).toBe('"Vendor A, Inc."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
  });
});

describe("comparisonCsv", () => {
  it("is byte for byte what `callcap compare --format csv` prints", () => {
    const bids = readdirSync(`${repo}rates/examples/bids`).map((f) => `rates/examples/bids/${f}`);
    const result = binding.compare({
      date: "2026-07-01",
      bids: bids.map((file) => ({ file, text: readFileSync(`${repo}${file}`, "utf8") })),
    });
    expect(comparisonCsv(result)).toBe(cli("compare", ...bids, "--date", "2026-07-01", "--format", "csv"));
  });
});
