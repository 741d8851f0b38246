import { readFileSync, readdirSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { binding, cli, repo } from "./helpers";

describe("the comparison CSV", () => {
  it("is written by the core: byte for byte `callcap compare --format csv`", () => {
    const bids = readdirSync(`${repo}rates/examples/bids`).filter((f) => f.endsWith(".toml")).map((f) => `rates/examples/bids/${f}`);
    const texts = bids.map((file) => readFileSync(`${repo}${file}`, "utf8"));
    expect(binding.compareCsv("2026-07-01", bids, texts)).toBe(cli("compare", ...bids, "--date", "2026-07-01", "--format", "csv"));
  });
});
