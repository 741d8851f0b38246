// The core's messages have Spanish (src/i18n/messages-es.ts): every message the binding writes
// for bad form input, collected here by giving it bad values, matches a message type of the
// catalog. A new kind of message in the core without Spanish fails this test.
import { describe, expect, it } from "vitest";
import { MESSAGES_ES, messageEs } from "../src/i18n/messages-es";
import { binding } from "./helpers";

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

  it("names each message type once", () => {
    const ids = MESSAGES_ES.map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("leaves a message it does not know as it is (the page then shows the English)", () => {
    expect(messageEs("something the core has never said")).toBeNull();
  });
});
