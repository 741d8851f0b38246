import { describe, expect, it } from "vitest";
import { errorLine, lineRange, stem } from "../src/present";

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
