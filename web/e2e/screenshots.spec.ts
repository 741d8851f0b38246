// Screenshots of each section at phone and desktop width, into web/screenshots/ (committed).
// Run with SCREENSHOTS=1 (scripts/test-web.sh --screenshots); skipped otherwise.
import { expect, test } from "@playwright/test";
import { open } from "./helpers";

test.skip(!process.env.SCREENSHOTS, "set SCREENSHOTS=1 to write web/screenshots/");

const SHOTS: [string, string][] = [
  ["calls", "#calls?date=2026-06-01&c.mode=rates&c.ppm=0.25&c.fee=3.95"],
  ["calls-maximum", "#calls?date=2024-06-01&c.adp=300&c.st=MA&c.op=county"],
  ["bids", "#bids?date=2026-07-01"],
  ["check", "#check?date=2026-06-01"],
  ["caps", "#caps?date=2023-06-01&p.st=CA&p.op=county"],
];

// Every section at phone and desktop width, in English and in Spanish (`-es`).
for (const lang of ["en", "es"]) {
  for (const width of [360, 1280]) {
    for (const [name, hash] of SHOTS) {
      test(`${name} at ${width} px (${lang})`, async ({ page }) => {
        await page.setViewportSize({ width, height: 800 });
        await open(page, `${hash}&lang=${lang}`);
        await page.waitForLoadState("networkidle");
        await expect(page.locator(".results").first()).not.toBeEmpty();
        await page.screenshot({ path: `screenshots/${name}${lang === "es" ? "-es" : ""}-${width}.png`, fullPage: true });
      });
    }
  }
}

for (const lang of ["en", "es"]) {
  test(`bids, print view (${lang})`, async ({ page }) => {
    await page.setViewportSize({ width: 1000, height: 800 });
    await open(page, `#bids?date=2026-07-01&lang=${lang}`);
    await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
    await page.emulateMedia({ media: "print" });
    await page.screenshot({ path: `screenshots/bids-print${lang === "es" ? "-es" : ""}.png`, fullPage: true });
  });
}
