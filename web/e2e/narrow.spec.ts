// Issue 13, item 8: 360 px means 360 px. Every section, in both languages, at a 360-px-wide
// viewport: the page does not scroll sideways, and nothing sticks out of the viewport, except
// inside a region made to scroll (a wide table in its own scrolling box).
import { expect, test, type Page } from "@playwright/test";
import { open } from "./helpers";

const VIEWS: [string, string][] = [
  ["My calls, legal maximum", "#calls?date=2026-06-01&c.st=CA&c.op=county"],
  ["My calls, prices", "#calls?date=2026-06-01&c.mode=rates&c.ppm=0.25&c.fee=3.95"],
  ["My calls, tariff", "#calls?date=2026-06-01&c.mode=tariff"],
  ["Compare bids", "#bids?date=2026-07-01"],
  ["Check a tariff", "#check?date=2026-06-01"],
  ["The caps", "#caps?date=2023-06-01&p.st=CA"],
];

/** What sticks out of the viewport: each element outside it, by a short description. */
async function overflow(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    if (document.documentElement.scrollWidth > width) out.push(`the page scrolls sideways: ${document.documentElement.scrollWidth} px`);
    const scrolls = (el: Element) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX);
    for (const el of document.querySelectorAll("body *")) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) continue;
      // Inside a box that scrolls sideways on purpose, only the box itself must fit.
      let inner = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) if (scrolls(p)) inner = true;
      if (inner) continue;
      const sr = el.closest(".sr-only, .skip");
      if (sr) continue;
      if (box.right > width + 0.5 || box.left < -0.5) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}.${[...el.classList].join(".")} ${Math.round(box.left)}–${Math.round(box.right)} px: ${(el.textContent ?? "").trim().slice(0, 40)}`);
      }
    }
    return out;
  });
}

for (const lang of ["en", "es"]) {
  for (const [name, hash] of VIEWS) {
    test(`${name} (${lang}) fits 360 px`, async ({ page }) => {
      await page.setViewportSize({ width: 360, height: 800 });
      await open(page, `${hash}&lang=${lang}`);
      await page.waitForLoadState("networkidle");
      await expect(page.locator(".results").first()).not.toBeEmpty();
      // Closed parts open too (the print view and curious readers open them).
      for (const d of await page.locator("main details").all()) await d.evaluate((el) => ((el as HTMLDetailsElement).open = true));
      expect(await overflow(page)).toEqual([]);
      // Every tab is whole on screen.
      for (const tab of await page.locator("nav.tabs a").all()) {
        const box = await tab.boundingBox();
        expect(box && box.x >= 0 && box.x + box.width <= 360.5, await tab.textContent() ?? "").toBe(true);
      }
    });
  }
}
