// Compare bids: a bid entered in the form, without TOML (issue 12 §2): compared as the CLI
// compares the file the page wrote, its errors under its fields in both languages, and kept in
// the share link.
import { expect, test, type Page } from "@playwright/test";
import { cliJson, field, open, tempFile } from "./helpers";

const DATE = "2026-07-01";
const BIDS = [
  "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
  "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
  "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
];

/** Fills the form with a bid: two rate lines, a fee, a commission. */
async function enterBid(page: Page, o: { perMinute?: string; start?: string } = {}): Promise<void> {
  await page.getByText("Enter a bid (no file needed)").click();
  const form = page.locator(".bid-form");
  await form.getByLabel("Name of the bid").fill("Vendor D — per minute only");
  await form.getByLabel("Vendor (optional)").fill("Vendor D");
  await form.getByLabel("Facility's name (optional)").fill("Riverbend County Jail");
  await form.getByLabel("Size (average daily population)").fill("640");
  await form.getByLabel("State (optional)").fill("OH");
  await form.locator('select[data-input="bid.operator"]').selectOption("county");
  await form.getByLabel("Term (years)").fill("3");
  await form.getByLabel("Start", { exact: true }).fill(o.start ?? DATE);
  await form.locator('input[data-input="bid.rate.0.per_minute"]').fill(o.perMinute ?? "$0.11");
  await form.getByRole("button", { name: "Add a rate line" }).click();
  await form.locator('select[data-input="bid.rate.1.service"]').selectOption("video");
  await form.locator('input[data-input="bid.rate.1.per_minute"]').fill("0.18");
  await form.locator('input[data-input="bid.rate.1.increment"]').fill("60");
  await form.getByRole("button", { name: "Add a fee" }).click();
  await form.locator('select[data-input="bid.fee.0.kind"]').selectOption("paper_statement");
  await form.locator('input[data-input="bid.fee.0.amount"]').fill("2.00");
  await form.getByLabel("Commission per minute").fill("0.01");
  await form.getByLabel("Signing bonus").fill("$10,000");
}

test("a bid entered in the form is compared as the CLI compares the file the page wrote", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await enterBid(page);
  await page.getByRole("button", { name: "Compare this bid" }).click();
  await expect(page.locator('[data-field="bidform.added"]')).toHaveText("Added to the comparison as vendor-d-per-minute-only.toml.");
  await expect(page.locator("table.compare thead th")).toHaveCount(4);
  const text = (await page.getByTestId("bid-file").textContent()) ?? "";
  expect(text).toContain('per_minute = "0.11"');
  expect(text).toContain('signing_bonus = "10000"');
  expect(text).toContain("billing_increment_seconds = 60");
  const c = cliJson("compare", ...BIDS, tempFile("vendor-d-per-minute-only.toml", text), "--date", DATE);
  const i = c.bids.findIndex((b: any) => b.name === "Vendor D — per minute only");
  expect(i).toBeGreaterThanOrEqual(0);
  await expect(page.locator("table.compare thead th").nth(i)).toHaveText("Vendor D — per minute only");
  for (const key of ["annual_family_cost", "annual_fees", "annual_commission", "effective_per_minute"]) {
    expect(await field(page, `${key}.${i}`), key).toBe(c.bids[i][key]);
  }
});

test("a bad amount and a bad date go under their fields, in English and in Spanish", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await enterBid(page, { perMinute: "twelve cents" });
  await page.getByRole("button", { name: "Compare this bid" }).click();
  const perMinute = page.locator('input[data-input="bid.rate.0.per_minute"]');
  await expect(perMinute).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[data-error-for="bid.rate.0.per_minute"]')).toContainText("is not an amount of money");
  expect(await perMinute.getAttribute("aria-describedby")).toContain("-error");
  await expect(page.locator("table.compare thead th")).toHaveCount(3);
  // The core's message about a line of the file goes under the field it came from.
  await perMinute.fill("0.11");
  await page.locator(".bid-form").getByLabel("Start", { exact: true }).fill("2026-13-01");
  await page.getByRole("button", { name: "Compare this bid" }).click();
  const start = page.locator('input[data-input="bid.start"]');
  await expect(start).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[data-error-for="bid.start"]')).toContainText("not a real date");
  await expect(page.locator('[data-error-for="bid.start"]')).not.toContainText(".toml");

  // A new document (a hash change alone would not reload the page).
  await page.goto("about:blank");
  await open(page, `#bids?date=${DATE}&lang=es`);
  await page.getByText("Ingresar una oferta (sin archivo)").click();
  const form = page.locator(".bid-form");
  await form.getByLabel("Nombre de la oferta").fill("Proveedor D");
  await form.getByLabel("Tamaño (población diaria promedio)").fill("640");
  await form.locator('input[data-input="bid.rate.0.per_minute"]').fill("doce centavos");
  await page.getByRole("button", { name: "Comparar esta oferta" }).click();
  await expect(form.locator('input[data-input="bid.rate.0.per_minute"]')).toHaveAttribute("aria-invalid", "true");
  const es = (await page.locator('[data-error-for="bid.rate.0.per_minute"]').textContent()) ?? "";
  expect(es).not.toContain("is not an amount of money");
  expect(es).toContain("doce centavos");
  // A decimal comma is money on the Spanish page.
  await form.locator('input[data-input="bid.rate.0.per_minute"]').fill("0,11");
  await page.getByRole("button", { name: "Comparar esta oferta" }).click();
  await expect(page.locator('[data-field="bidform.added"]')).toContainText("Agregada a la comparación como proveedor-d.toml");
  await expect(page.locator("table.compare thead th")).toHaveCount(4);
});

test("a bid entered in the form stays in the share link", async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, `#bids?date=${DATE}`);
  await enterBid(page);
  await page.getByRole("button", { name: "Compare this bid" }).click();
  await expect(page.locator("table.compare thead th")).toHaveCount(4);
  await page.getByRole("button", { name: "Copy a link to this page" }).click();
  await expect(page.getByText("Link copied. It holds everything you entered here.")).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("z=");
  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  await expect(other.locator("table.compare thead th", { hasText: "Vendor D — per minute only" })).toHaveCount(1);
  await other.close();
});
