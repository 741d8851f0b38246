import { describe, expect, it } from "vitest";
import { forDrawing, longDate, money, quantity, today } from "../src/format";

describe("money", () => {
  it("groups thousands and keeps every decimal the core gave", () => {
    expect(money("254702.59")).toBe("$254,702.59");
    expect(money("0.021")).toBe("$0.021");
    expect(money("3.00")).toBe("$3.00");
    expect(money("999.50")).toBe("$999.50");
    expect(money("1000")).toBe("$1,000");
    expect(money("-1234.50")).toBe("−$1,234.50");
  });
  it("never rounds: a value with many places stays exact", () => {
    expect(money("0.30000000000000004")).toBe("$0.30000000000000004");
    expect(money("12345678901234567890.12")).toBe("$12,345,678,901,234,567,890.12");
  });
});

describe("quantity", () => {
  it("groups counts", () => {
    expect(quantity(2336000)).toBe("2,336,000");
    expect(quantity("1.5")).toBe("1.5");
    expect(quantity("255")).toBe("255");
  });
});

describe("dates", () => {
  it("writes the core's dates in words in both languages", () => {
    expect(longDate("2026-06-01", "en")).toBe("June 1, 2026");
    expect(longDate("2026-06-01", "es")).toBe("1 de junio de 2026");
    expect(longDate("not a date", "en")).toBe("not a date");
  });
  it("today is the local date", () => {
    expect(today(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});

describe("forDrawing", () => {
  it("gives a length for a bar, never negative or NaN", () => {
    expect(forDrawing("12.50")).toBe(12.5);
    expect(forDrawing("-3")).toBe(0);
    expect(forDrawing("abc")).toBe(0);
  });
});
