// Compare bids: the side-by-side figures, the CSV and the print view, against the CLI's.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { cli, cliJson, field, open } from "./helpers";

const DATE = "2026-07-01";
const BIDS = [
  "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
  "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
  "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
];

test("the example bids side by side, as the CLI compares them", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await expect(page.getByRole("heading", { level: 2, name: "Compare bids" })).toBeVisible();
  const c = cliJson("compare", ...BIDS, "--date", DATE);
  await expect(page.locator("table.compare thead th")).toHaveCount(c.bids.length);
  for (const [i, b] of c.bids.entries()) {
    await expect(page.locator("table.compare thead th").nth(i)).toHaveText(b.name);
    for (const key of ["annual_family_cost", "annual_call_charges", "annual_fees", "annual_taxes", "annual_commission", "effective_per_minute"]) {
      expect(await field(page, `${key}.${i}`), `${b.name} ${key}`).toBe(b[key]);
    }
    for (const j of ["local", "intrastate", "interstate"]) {
      const want = b.family_cost_per_15_min_call[j];
      if (want) expect(await field(page, `call15.${j}.${i}`)).toBe(want);
    }
    await expect(page.locator(`[data-field="verdict.${i}"]`)).toHaveText(b.compliant ? "Yes" : /^No/);
  }
  // The chart: one group of two bars per bid, each labelled with the core's figures.
  const chart = page.locator("figure svg");
  await expect(chart.locator("rect")).toHaveCount(c.bids.length * 2);
  for (const i of c.bids.keys()) {
    await expect(chart).toContainText((await page.locator(`[data-field="annual_family_cost.${i}"]`).textContent()) ?? "-");
    await expect(chart).toContainText((await page.locator(`[data-field="annual_commission.${i}"]`).textContent()) ?? "-");
  }
});

test("the CSV download is the CLI's CSV", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`callcap-bids-${DATE}.csv`);
  const text = readFileSync(await download.path(), "utf8");
  expect(text).toBe(cli("compare", ...BIDS, "--date", DATE, "--format", "csv"));
});

test("the print view shows the results without the form", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await page.emulateMedia({ media: "print" });
  await expect(page.locator("form")).toBeHidden();
  await expect(page.locator("nav.tabs")).toBeHidden();
  await expect(page.locator("table.compare")).toBeVisible();
  await expect(page.locator("figure svg")).toBeVisible();
});

test("a size for the facility, a removed bid, a bad pasted bid", async ({ page }) => {
  await open(page, `#bids?date=${DATE}`);
  await page.getByLabel("Facility size (average daily population)").fill("200");
  const c = cliJson("compare", ...BIDS.slice(0, 1), "--date", DATE);
  expect(c.bids[0].average_daily_population).toBe(640);
  await expect(page.locator("table.compare tbody tr").nth(2)).toContainText("200");

  await page.getByRole("button", { name: `Remove riverbend-vendor-c-middle-starts-2025` }).click();
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
  expect(page.url()).toContain("b.ex=");

  await page.getByText("Paste a bid").click();
  await page.getByLabel("Bid (TOML)").fill("[facility]\nkind = \"jail\"\naverage_daily_population = 100\n\n[[rate]]\nper_minute = \"0.10\"\n");
  await page.getByRole("button", { name: "Add this bid" }).click();
  await expect(page.getByRole("alert")).toContainText("not a bid: add a [bid] table");
  await page.getByRole("button", { name: "Remove pasted-bid-1.toml" }).click();
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.locator("table.compare thead th")).toHaveCount(2);
});
