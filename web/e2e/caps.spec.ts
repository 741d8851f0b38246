// The caps: the rules in force for a date and facility, as the CLI reports them.
import { expect, test } from "@playwright/test";
import { cliJson, field, open } from "./helpers";

test("a medium jail today and in 2013, as the CLI reports them", async ({ page }) => {
  await open(page, "#caps?date=2026-06-01");
  await expect(page.getByRole("heading", { level: 2, name: "The caps" })).toBeVisible();
  const r = cliJson("caps", "--date", "2026-06-01", "--facility", "jail", "--adp", "640");
  await expect(page.locator('[data-field="tier"]')).toContainText(r.facility.tier_name);
  await expect(page.locator(".summary")).toContainText(r.regime.name);
  await expect(page.locator(".summary .cite")).toContainText(r.regime.citation);
  const audio = r.caps.filter((c: any) => c.service === "audio" && c.jurisdiction === "interstate");
  const same = audio.every((c: any) => c.per_minute === audio[0].per_minute);
  if (same) expect(await field(page, "cap.audio.interstate.all")).toBe(audio[0].per_minute);
  // Every cap line shows its source; non-high confidence is said.
  if (r.caps.some((c: any) => c.confidence !== "high")) await expect(page.locator("table.data .confidence").first()).toBeVisible();

  // The page says what produced its answers: the CLI's version and rate book edition.
  await expect(page.locator('[data-field="versions"]')).toContainText(`rate book edition ${r.version.rates}, callcap ${r.version.callcap}`);

  await page.getByLabel("Rules in force on").fill("2013-06-01");
  await expect(page.locator(".summary")).toContainText("No federal (FCC) cap applied on this date.");
  await expect(page.getByText("Rules in force on June 1, 2013")).toBeVisible();
});

test("a bad size: a readable message", async ({ page }) => {
  await open(page, "#caps?date=2026-06-01");
  await page.getByLabel("Size (average daily population)").fill("0");
  await expect(page.getByRole("alert")).toContainText("must be a whole number of at least 1");
  await page.getByLabel("State (optional)").fill("texas");
  await page.getByLabel("Size (average daily population)").fill("100");
  await expect(page.getByRole("alert")).toContainText("two-letter postal code");
  await page.getByLabel("State (optional)").fill("TX");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.getByText(/All \d+ sources in the rate book/).click();
  await expect(page.locator(".sources li").first()).toBeVisible();
});
