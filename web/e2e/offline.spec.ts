// Offline once loaded: the service worker caches every file; offline, a reload still works.
import { expect, test } from "@playwright/test";
import { field, open, repo } from "./helpers";

test.use({ serviceWorkers: "allow" });

test("goes offline and reloads: every section still works", async ({ page, context }) => {
  await open(page, "#calls?date=2026-06-01");
  const total = await field(page, "month.total");
  await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    const sw = reg.active;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true }));
    }
    return sw?.state;
  });
  await context.setOffline(true);
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  expect(await field(page, "month.total")).toBe(total);
  for (const [name, selector] of [["Compare bids", "table.compare"], ["Check a tariff", ".finding"], ["The caps", "table.data"]]) {
    await page.getByRole("link", { name }).click();
    await expect(page.locator(selector).first()).toBeVisible();
  }
  // The facility directory (fetched when the finder is first used) is cached too.
  await page.getByLabel("Name or city").fill("harris county detention");
  await expect(page.locator('.finder-choice[data-facility="10000231"]')).toBeVisible();
  // So are the spreadsheet readers (fetched when a CSV or XLSX is first opened).
  await page.getByRole("link", { name: "Compare bids" }).click();
  for (const ext of ["csv", "xlsx"]) {
    await page.locator("#bids-sheet").setInputFiles(`${repo}rates/examples/bids/bids-template.${ext}`);
    await expect(page.locator('[data-field="sheet.status"]')).toContainText(`bid(s) added from bids-template.${ext}`);
  }
  await context.setOffline(false);
});
