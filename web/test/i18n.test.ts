import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { es } from "../src/i18n/es";
import { setLang, t, word } from "../src/i18n";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("the two catalogs", () => {
  it("have the same keys", () => {
    expect(Object.keys(es).sort()).toEqual(Object.keys(en).sort());
  });
  it("use the same placeholders in every string", () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(es[key]), key).toEqual(placeholders(en[key]));
    }
  });
  it("have no empty strings", () => {
    for (const [key, value] of [...Object.entries(en), ...Object.entries(es)]) {
      expect(value.trim(), key).not.toBe("");
    }
  });
  it("name every word of the core's vocabulary", async () => {
    const types = (await import("node:fs")).readFileSync(new URL("../wasm/types.d.ts", import.meta.url), "utf8");
    for (const [kind, type] of [["service", "Service"], ["jurisdiction", "Jurisdiction"], ["payment", "Payment"],
      ["kind", "FacilityKind"], ["fee", "FeeKind"], ["severity", "Severity"], ["rule", "RuleId"], ["percall", "PerCallRule"],
      ["level", "Level"], ["operator", "Operator"], ["certainty", "Certainty"]]) {
      const line = types.split("\n").find((l) => l.startsWith(`export type ${type} =`));
      expect(line, type).toBeDefined();
      for (const w of [...(line ?? "").matchAll(/"(\w+)"/g)].map((m) => m[1])) {
        expect(`${kind}.${w}` in en, `${kind}.${w}`).toBe(true);
      }
    }
  });
});

describe("t", () => {
  it("fills placeholders and switches language, loading Spanish on demand", async () => {
    await setLang("en");
    expect(t("findings.line", { line: 7 })).toBe("Line 7");
    await setLang("es");
    expect(t("findings.line", { line: 7 })).toBe("Línea 7");
    expect(word("jurisdiction", "interstate")).toBe("Fuera del estado");
    expect(word("jurisdiction", "unheard_of")).toBe("unheard_of");
    await setLang("en");
    expect(t("findings.line", { line: 7 })).toBe("Line 7");
  });
});

describe("the core's English sentences, as the page shows them", () => {
  it("says vocabulary words and keys as words, and drops what is about JSON", async () => {
    const { inWords } = await import("../src/i18n");
    expect(inWords("calls shown with no federal cap (null in JSON) had no federal per-minute cap on this date"))
      .toBe("calls shown with no federal cap had no federal per-minute cap on this date");
    expect(inWords("an automated_payment fee ($3.00) may not be charged")).toBe("an automated payment fee ($3.00) may not be charged");
    expect(inWords("it covers facilities run by county only (give `operator`)")).toBe("it covers facilities run by county only (say who runs it)");
  });
});
