// The page as a whole: languages, the share link, privacy (no request leaves the origin),
// the keyboard, and an automated accessibility check of each section.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { expect, test } from "@playwright/test";
import { field, open } from "./helpers";

test("English and Spanish, kept in the link", async ({ page }) => {
  await open(page, "#calls?date=2026-06-01");
  const total = await field(page, "month.total");
  await page.getByLabel("Language").selectOption("es");
  await expect(page.getByRole("heading", { level: 2, name: "Mis llamadas" })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("lang", "es");
  await expect(page.getByRole("link", { name: "Comparar ofertas" })).toBeVisible();
  expect(await field(page, "month.total")).toBe(total);
  expect(page.url()).toContain("lang=es");
  await page.reload();
  await page.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  await expect(page.getByText("Reglas vigentes el 1 de junio de 2026").first()).toBeVisible();
  await page.getByRole("link", { name: "Los límites" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "Los límites" })).toBeFocused();
  await page.getByLabel("Idioma").selectOption("en");
  await expect(page.getByRole("heading", { level: 2, name: "The caps" })).toBeVisible();
});

test("the share link reopens the page as it was", async ({ page, browser }) => {
  await open(page, "#calls?date=2026-06-01");
  await page.getByLabel("My provider's prices").check();
  await page.getByLabel("Price per minute, in dollars").fill("0.30");
  await page.getByLabel("Calls a week").fill("6");
  await page.getByLabel("Where the calls go").selectOption("interstate");
  const total = await field(page, "month.total");
  const over = await field(page, "overcharge");
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.getByRole("button", { name: "Copy a link to this page" }).click();
  await expect(page.getByText("Link copied.")).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toBe(page.url());

  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  await expect(other.getByLabel("Price per minute, in dollars")).toHaveValue("0.30");
  await expect(other.getByLabel("Calls a week")).toHaveValue("6");
  await expect(other.getByLabel("Where the calls go")).toHaveValue("interstate");
  expect(await field(other, "month.total")).toBe(total);
  expect(await field(other, "overcharge")).toBe(over);
  await other.close();
});

test("no request goes to any other origin, in any section", async ({ page, baseURL }) => {
  const origin = new URL(baseURL ?? "").origin;
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  await open(page);
  for (const name of ["Compare bids", "Check a tariff", "The caps", "My calls"]) {
    await page.getByRole("link", { name }).click();
    await page.waitForLoadState("networkidle");
  }
  await page.getByLabel("A tariff file").check();
  await page.getByLabel("Example tariff").selectOption("pa-state-prison-2026-compliant");
  await page.getByRole("link", { name: "Compare bids" }).click();
  await page.getByRole("button", { name: "Download CSV" }).click();
  await page.waitForLoadState("networkidle");
  expect(requests.length).toBeGreaterThan(3);
  const foreign = requests.filter((u) => !u.startsWith("blob:") && new URL(u).origin !== origin);
  expect(foreign).toEqual([]);
  // And the page declares a strict policy with no inline script.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).not.toContain("unsafe-inline");
  expect(await page.locator("script:not([src])").count()).toBe(0);
});

test("the keyboard: skip link first, sections by Enter, focus on the heading", async ({ page }) => {
  await open(page);
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to the calculator" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.locator("main")).toBeFocused();
  await page.getByRole("link", { name: "Check a tariff" }).focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "Check a tariff" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Example tariff")).toBeFocused();
  // Results are announced politely to screen readers.
  await expect(page.locator('[aria-live="polite"]')).toHaveCount(1);
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

for (const [section, hash] of [["My calls", "#calls"], ["My calls (prices)", "#calls?c.mode=rates"], ["Compare bids", "#bids"],
  ["Check a tariff", "#check"], ["The caps", "#caps"], ["Spanish", "#calls?lang=es"]] as const) {
  test(`no accessibility violations (axe, WCAG 2 AA): ${section}`, async ({ browser }) => {
    // axe is injected as a script, which the page's own policy rightly forbids: a separate
    // context that bypasses CSP, for this check only.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await open(page, `${hash}${hash.includes("?") ? "&" : "?"}date=2026-06-01`);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      const axe = (window as unknown as { axe: { run: (o: object) => Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
      const r = await axe.run({ runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } });
      return r.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    });
    expect(result).toEqual([]);
    await context.close();
  });
}

// Issue 13, item 9: the share link holds what it promises.
test("the share link holds a long pasted tariff and the user's own bid, compressed", async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, "#check?date=2026-06-01");
  await page.getByLabel("Example tariff").selectOption("");
  const tariff = `[facility]\nkind = "jail"\naverage_daily_population = 640\n\n[[rate]]\nservice = "audio"\nper_minute = "0.30"\n${"# notes from the county's rate sheet\n".repeat(150)}`;
  expect(tariff.length).toBeGreaterThan(4000);
  await page.getByLabel("Tariff (TOML)").fill(tariff);
  await expect(page.locator('[data-field="compliant"]')).toBeVisible();
  // A bid of my own, pasted in Compare bids.
  await page.getByRole("link", { name: "Compare bids" }).click();
  await page.getByText("Paste a bid").click();
  const bid = readFileSync(new URL("../../rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml", import.meta.url), "utf8")
    .replace(/^name = "Vendor B —[^"]*"/m, 'name = "My own bid"');
  expect(bid).toContain('name = "My own bid"');
  await page.getByLabel("Bid (TOML)").fill(bid);
  await page.getByRole("button", { name: "Add this bid" }).click();
  await expect(page.locator("table.compare thead th")).toHaveCount(4);
  await page.getByRole("button", { name: "Copy a link to this page" }).click();
  await expect(page.getByText("Link copied. It holds everything you entered here.")).toBeVisible();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toContain("z=");

  const other = await browser.newPage();
  await other.goto(link);
  await other.waitForFunction(() => performance.getEntriesByName("callcap:first-result").length > 0);
  await expect(other.locator("table.compare thead th", { hasText: "My own bid" })).toHaveCount(1);
  await other.getByRole("link", { name: "Check a tariff" }).click();
  await expect(other.getByLabel("Tariff (TOML)")).toHaveValue(tariff);
  await other.close();
});

test("what a link cannot hold is said, and offered as a file", async ({ page }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, "#check?date=2026-06-01");
  await page.getByLabel("Example tariff").selectOption("");
  // Text that does not compress: too long for a link even compressed.
  let x = 3, noise = "";
  for (let i = 0; i < 30000; i++) { x = (x * 48271) % 2147483647; noise += String.fromCharCode(97 + (x % 26)); }
  const text = `[facility]\nkind = "jail"\naverage_daily_population = 640\n\n[[rate]]\nper_minute = "0.10"\n# ${noise}\n`;
  await page.getByLabel("Tariff (TOML)").fill(text);
  await page.getByRole("button", { name: "Copy a link to this page" }).click();
  await expect(page.getByText("Link copied, but it could not hold everything you entered:")).toBeVisible();
  const left = page.locator('[data-field="share.left"]');
  await expect(left).toContainText("1 part(s) left out");
  const [download] = await Promise.all([page.waitForEvent("download"), left.getByRole("button", { name: "Download pasted-tariff.toml" }).click()]);
  expect(readFileSync(await download.path(), "utf8")).toBe(text);
  expect((await page.evaluate(() => navigator.clipboard.readText())).length).toBeLessThanOrEqual(16_100);
});
