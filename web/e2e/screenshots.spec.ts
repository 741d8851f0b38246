// Screenshots of each section at phone and desktop width, into web/screenshots/ (committed).
// Run with SCREENSHOTS=1 (scripts/test-web.sh --screenshots); skipped otherwise.
import { expect, test } from "@playwright/test";
import { open } from "./helpers";

test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to write web/screenshots/");

const SHOTS: [string, string][] = [
  ["calls", "#calls?date=2026-06-01&c.mode=rates&c.ppm=0.25&c.fee=3.95"],
  ["calls-maximum", "#calls?date=2026-06-01"],
  ["bids", "#bids?date=2026-07-01"],
  ["check", "#check?date=2026-06-01"],
  ["caps", "#caps?date=2026-06-01"],
];

for (const width of [360, 1280]) {
  for (const [name, hash] of SHOTS) {
    test(`${name} at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await open(page, hash);
      await page.waitForLoadState("networkidle");
      await expect(page.locator(".results").first()).not.toBeEmpty();
      await page.screenshot({ path: `screenshots/${name}-${width}.png`, fullPage: true });
    });
  }
}

test("bids, print view", async ({ page }) => {
  await page.setViewportSize({ width: 1000, height: 800 });
  await open(page, "#bids?date=2026-07-01");
  await page.emulateMedia({ media: "print" });
  await page.screenshot({ path: "screenshots/bids-print.png", fullPage: true });
});

test("Spanish at 360 px", async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 800 });
  await open(page, "#calls?date=2026-06-01&lang=es&c.mode=rates&c.ppm=0.25&c.fee=3.95");
  await page.screenshot({ path: "screenshots/calls-es-360.png", fullPage: true });
});
