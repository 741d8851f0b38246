// Issue 13, item 3: Spanish all the way through. On the Spanish page the core's own sentences
// (findings, notes, errors, rule summaries, tier and regime names) are in Spanish, through the
// catalog keyed by message type (src/i18n/messages-es.ts); vocabulary words are words, never
// `automated_payment`; dates are Spanish dates.
import { expect, test, type Page } from "@playwright/test";
import { cliJson, open, tempFile } from "./helpers";
import { coreEs } from "../src/i18n/messages-es";
import { es } from "../src/i18n/es";

const words = (kind: string, value: string) => (es as Record<string, string>)[`${kind}.${value}`] ?? value;
/** The Spanish the page must show for a sentence of the core: the catalog's, never the English. */
function spanish(text: string): string {
  const said = coreEs(text, words);
  expect(said, `no Spanish for: ${text}`).not.toBeNull();
  return said ?? text;
}

/** No raw vocabulary word (`automated_payment`, `live_agent`) in the results (but the TOML shown). */
async function noRawWords(page: Page): Promise<void> {
  const text = await page.locator("main .results").first().evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("pre").forEach((p) => p.remove());
    return copy.textContent ?? "";
  });
  expect(text.match(/\b[a-z]+_[a-z_]+\b/g) ?? []).toEqual([]);
}

test("Revisar una tarifa: every finding in Spanish", async ({ page }) => {
  const path = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
  await open(page, "#check?date=2026-06-01&lang=es&k.ex=nv-county-jail-large-2026-deposit-fees");
  const r = cliJson("check", path, "--date", "2026-06-01").results[0];
  const shown = page.locator(".finding-message");
  await expect(shown).toHaveCount(r.findings.length);
  for (const [i, f] of r.findings.entries()) await expect(shown.nth(i)).toHaveText(spanish(f.message));
  await noRawWords(page);
});

test("Mis llamadas: findings and notes in Spanish, the state's rule too", async ({ page }) => {
  await open(page, "#calls?date=2023-06-01&lang=es&c.mode=rates&c.ppm=0.21&c.fee=3.95&c.st=CA&c.op=county");
  await page.getByText("La tarifa escrita con sus precios").click();
  const toml = await page.getByTestId("built-tariff").textContent();
  const cli = cliJson("estimate", "--tariff", tempFile("prices.toml", toml ?? ""), "--calls-per-week", "4", "--minutes", "15",
    "--jurisdiction", "intrastate", "--payment", "prepaid", "--service", "audio", "--deposit", "25.00",
    "--deposit-method", "automated_payment", "--date", "2023-06-01", "--state", "CA", "--operator", "county");
  const findings = page.locator(".finding-message");
  await expect(findings).toHaveCount(cli.findings.length);
  for (const [i, f] of cli.findings.entries()) await expect(findings.nth(i)).toHaveText(spanish(f.message));
  await page.getByText("Lo que suponen estas cifras").click();
  const notes = page.locator("details.notes li");
  await expect(notes).toHaveCount(cli.notes.length);
  for (const [i, n] of cli.notes.entries()) await expect(notes.nth(i)).toHaveText(spanish(n));
  await noRawWords(page);
});

test("Los límites: tier, regime and state rules in Spanish", async ({ page }) => {
  await open(page, "#caps?date=2023-06-01&lang=es&p.st=CA&p.adp=640");
  const r = cliJson("caps", "--date", "2023-06-01", "--facility", "jail", "--adp", "640", "--state", "CA");
  await expect(page.locator('[data-field="tier"]')).toContainText(spanish(r.facility.tier_name));
  await expect(page.locator(".regime")).toHaveText(spanish(r.regime.name));
  for (const rule of r.state_rules) {
    const li = page.locator(`[data-rule="${rule.id}"]`);
    await expect(li.locator('[data-field="summary"]')).toHaveText(spanish(rule.summary));
    if (rule.may_apply_because) await expect(li.locator('[data-field="why"]')).toContainText(spanish(rule.may_apply_because));
    await expect(li.locator('[data-field="certainty"]')).toHaveText(rule.certainty === "applies" ? "Se aplica" : "Puede aplicarse");
  }
  await noRawWords(page);
});

test("Comparar ofertas: notes, terms and regimes in Spanish", async ({ page }) => {
  await open(page, "#bids?date=2024-06-01&lang=es");
  await expect(page.locator("table.compare")).toContainText("1 de julio de 2026");
  await expect(page.locator("table.compare")).not.toContainText("2026-07-01");
  await page.evaluate(() => document.querySelectorAll("details").forEach((d) => ((d as HTMLDetailsElement).open = true)));
  await expect(page.locator(".bid-findings .notes li").first()).toContainText("está fuera del plazo");
  await expect(page.locator(".timeline").first()).toContainText("Límites");
  await noRawWords(page);
});
