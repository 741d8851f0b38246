// Issue 13, item 1: errors where they happen, in the page's words. Each bad value is shown under
// its field, in the page's language, marked invalid for screen readers; no flag, file name or
// TOML line of a file the page wrote is shown for what was typed into a form; money is read as
// people type it ("$0.21", and "0,21" in Spanish).
import { expect, test, type Locator, type Page } from "@playwright/test";
import { cliEstimate, DATE, field, open, tempFile } from "./helpers";

/** The message under a field: visible, the field marked invalid and described by it. */
async function errorUnder(page: Page, input: Locator, binding: string): Promise<Locator> {
  const message = page.locator(`[data-error-for="${binding}"]`);
  await expect(message).toBeVisible();
  await expect(input).toHaveAttribute("aria-invalid", "true");
  expect((await input.getAttribute("aria-describedby"))?.split(" ")).toContain(await message.getAttribute("id"));
  // The message is next to its field, not far below.
  const [a, b] = [await input.boundingBox(), await message.boundingBox()];
  expect(Math.abs((b?.y ?? 0) - ((a?.y ?? 0) + (a?.height ?? 0)))).toBeLessThan(40);
  return message;
}

/** Nothing the page shows names a flag, the file it wrote, or a line of it. */
async function noInternals(page: Page): Promise<void> {
  const text = await page.locator("main").innerText();
  expect(text).not.toMatch(/--[a-z]/);
  expect(text).not.toContain("my-prices.toml");
  expect(text).not.toMatch(/\[\[rate\]\]|\[facility\]/);
}

test("money as people type it: $0.21 is 0.21, priced as the CLI prices it", async ({ page }) => {
  await open(page, `#calls?date=${DATE}&c.mode=rates`);
  await page.getByLabel("Price per minute, in dollars").fill("$0.25");
  await page.getByLabel("Fee per deposit, in dollars", { exact: true }).fill("$3.95");
  await page.getByLabel("Each deposit, in dollars").fill("$25");
  await page.getByText("The tariff written from your prices").click();
  const toml = await page.getByTestId("built-tariff").textContent();
  expect(toml).toContain('per_minute = "0.25"');
  expect(toml).toContain('amount = "3.95"');
  const cli = cliEstimate(tempFile("prices.toml", toml ?? ""));
  expect(await field(page, "month.total")).toBe(cli.month.total);
  await expect(page.locator("[data-error-for]")).toHaveCount(0);
});

test("a bad price: under its field, in words, with no file, key or line of the tariff the page wrote", async ({ page }) => {
  await open(page, `#calls?date=${DATE}&c.mode=rates`);
  const price = page.getByLabel("Price per minute, in dollars");
  await price.fill("21 cents");
  const message = await errorUnder(page, price, "per_minute");
  await expect(message).toHaveText('"21 cents" is not an amount of money; write it like 0.21');
  await expect(page.locator(".quick-total")).toContainText("Fix the field marked in the form");
  await noInternals(page);
  // A value the price reader accepts but the tariff does not: still under the price's field.
  await price.fill("0.12345");
  await expect(await errorUnder(page, price, "per_minute")).toContainText("decimal places");
  await noInternals(page);
  await price.fill("0.21");
  await expect(page.locator("[data-error-for]")).toHaveCount(0);
  await expect(price).not.toHaveAttribute("aria-invalid", "true");
  // A bad size goes into the tariff the page writes; the tariff's error comes back to its field.
  const adp = page.getByLabel("Size (average daily population)");
  await adp.fill("lots");
  await errorUnder(page, adp, "adp");
  await noInternals(page);
});

test("counts and sizes: each under its field, saying what to type", async ({ page }) => {
  await open(page, `#calls?date=${DATE}`);
  const minutes = page.getByLabel("Minutes per call");
  await minutes.fill("");
  await expect(await errorUnder(page, minutes, "minutes")).toHaveText("give the minutes per call, like 15");
  await minutes.fill("15");
  const week = page.getByLabel("Calls a week");
  await week.fill("100000");
  const message = await errorUnder(page, week, "calls_per_week");
  await expect(message).toContainText("calls a week");
  await noInternals(page);
  await week.fill("4");
  const adp = page.getByLabel("Size (average daily population)");
  await adp.fill("lots");
  await expect(await errorUnder(page, adp, "adp")).toContainText("give the average daily population, like 640");
  await adp.fill("640");
  await expect(page.locator("[data-error-for]")).toHaveCount(0);
});

test("en español: 0,21 es 0.21, y los errores en español bajo su campo", async ({ page }) => {
  await open(page, `#calls?date=${DATE}&c.mode=rates&lang=es`);
  const price = page.getByLabel("Precio por minuto, en dólares");
  await price.fill("0,25");
  await page.getByText("La tarifa escrita con sus precios").click();
  await expect(page.getByTestId("built-tariff")).toContainText('per_minute = "0.25"');
  await price.fill("veinte");
  await expect(await errorUnder(page, price, "per_minute")).toHaveText('"veinte" no es una cantidad de dinero; escríbala como 0,21');
  await price.fill("0,25");
  const week = page.getByLabel("Llamadas por semana");
  await week.fill("cuatro");
  await expect(await errorUnder(page, week, "calls_per_week"))
    .toHaveText('"cuatro" no es un número entero de llamadas por semana; escríbalo como 4');
  await week.fill("4");
  const state = page.getByLabel("Estado (opcional)");
  await state.fill("Texas");
  await expect(await errorUnder(page, state, "state")).toContainText("debe ser un código postal de dos letras");
  await noInternals(page);
});

test("Compare bids: a bad size under its field", async ({ page }) => {
  await open(page, "#bids?date=2026-07-01");
  const adp = page.getByLabel("Facility size (average daily population)");
  await adp.fill("0");
  await expect(await errorUnder(page, adp, "adp")).toContainText("at least 1");
  await adp.fill("");
  await expect(page.locator("[data-error-for]")).toHaveCount(0);
});

test("The caps: a bad size under its field", async ({ page }) => {
  await open(page, "#caps?date=2026-06-01");
  const caps = page.getByLabel("Size (average daily population)", { exact: true });
  await caps.fill("x");
  await errorUnder(page, caps, "adp");
});
