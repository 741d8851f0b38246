// The caps: the rules in force for a date and facility, as the CLI reports them.
import { expect, test } from "@playwright/test";
import { cli, cliJson, field, open } from "./helpers";

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
  await expect(page.getByLabel("State (optional)")).toHaveAttribute("aria-invalid", "true");
  await page.getByLabel("State (optional)").fill("TX");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await page.getByText(/All \d+ sources in the rate book/).click();
  await expect(page.locator(".sources li").first()).toBeVisible();
});

/** The CLI's caps for a place, as the page's test compares them. */
function cliCaps(date: string, adp: string, place: string[]) {
  return cliJson("caps", "--date", date, "--facility", "jail", "--adp", adp, ...place);
}

test("a Massachusetts county jail in 2024: free calls under state law, with the law's citation", async ({ page }) => {
  await open(page, "#caps?date=2024-06-01&p.adp=300");
  await page.getByLabel("State (optional)").fill("MA");
  await page.getByLabel("Who runs the facility").selectOption("county");
  const r = cliCaps("2024-06-01", "300", ["--state", "MA", "--operator", "county"]);
  const free = r.state_rules.find((s: any) => s.kind === "free" && s.scope.services.includes("audio"));
  expect(free.certainty).toBe("applies");
  const rule = page.locator(`[data-rule="${free.id}"]`);
  await expect(rule.locator('[data-field="summary"]')).toHaveText(free.summary);
  await expect(rule.locator('[data-field="certainty"]')).toHaveText("Applies");
  await expect(rule).toContainText("State rule");
  await expect(rule.locator(".cite")).toContainText(free.provenance.citation);
  await expect(rule.locator(".cite")).toContainText(free.provenance.source);
  await expect(rule.getByRole("link", { name: "Read the source" })).toHaveAttribute("href", free.provenance.link);
  // Every rule of the place is shown, as the CLI lists them.
  await expect(page.locator(".state-rules .rule")).toHaveCount(r.state_rules.length);
  expect(page.url()).toContain("p.st=MA");
  expect(page.url()).toContain("p.op=county");
});

test("who runs it unknown: the rules that depend on it are shown as may apply, with why", async ({ page }) => {
  await open(page, "#caps?date=2023-06-01&p.adp=300&p.st=CA");
  const r = cliCaps("2023-06-01", "300", ["--state", "CA"]);
  const cap = r.state_rules.find((s: any) => s.kind === "rate_cap");
  expect(cap.certainty).toBe("may_apply");
  const rule = page.locator(`[data-rule="${cap.id}"]`);
  await expect(rule.locator('[data-field="certainty"]')).toHaveText("May apply");
  // The core's reason, its key said in words: "(give `operator`)" is "(say who runs it)".
  await expect(rule.locator('[data-field="why"]')).toContainText(cap.may_apply_because.replace("(give `operator`)", "(say who runs it)"));
  await expect(rule.locator(".cite")).toContainText(cap.provenance.citation);
  // Said who runs it, the CPUC's cap applies.
  await page.getByLabel("Who runs the facility").selectOption("county");
  await expect(rule.locator('[data-field="certainty"]')).toHaveText("Applies");
  await expect(rule.locator('[data-field="why"]')).toHaveCount(0);
});

test("a state callcap has no rules for, and no state at all, are said as such", async ({ page }) => {
  await open(page, "#caps?date=2026-06-01&p.st=WA");
  expect(cliCaps("2026-06-01", "640", ["--state", "WA"]).state_covered).toBe(false);
  await expect(page.locator('[data-field="state_rules.none"]')).toHaveText("callcap has no rules for WA yet: only the federal rules were checked.");
  await page.getByLabel("State (optional)").fill("ZZ");
  await expect(page.locator('[data-field="state_rules.none"]')).toHaveText("callcap has no rules for ZZ yet: only the federal rules were checked.");
  await page.getByLabel("State (optional)").fill("");
  await expect(page.locator('[data-field="state_rules.none"]')).toContainText("No state given");
  // Texas: only Dallas County's rules are in the data; they may apply to a jail whose county is not given.
  await page.getByLabel("State (optional)").fill("TX");
  await expect(page.locator(".state-rules .rule").first().locator('[data-field="certainty"]')).toHaveText("May apply");
  await page.getByLabel("Who runs the facility").selectOption("county");
  await page.getByLabel("County FIPS code (optional)").fill("48201");
  await expect(page.locator('[data-field="state_rules.none"]')).toHaveText("callcap's data has no TX rule in force for this facility on this date.");
});

test("a bad place: the core's message under its field, marked invalid", async ({ page }) => {
  await open(page, "#caps?date=2026-06-01");
  const fips = page.getByLabel("County FIPS code (optional)");
  await fips.fill("6073");
  const message = page.locator('[data-error-for="county_fips"]');
  await expect(message).toContainText("must be five digits");
  await expect(fips).toHaveAttribute("aria-invalid", "true");
  const described = await fips.getAttribute("aria-describedby");
  expect(described?.split(" ")).toContain(await message.getAttribute("id"));
  await fips.fill("06073");
  await expect(message).toHaveCount(0);
  await expect(fips).not.toHaveAttribute("aria-invalid", "true");
});

// Issue 13, item 5: confidence explained in the page itself, by a tap (no hover on a phone).
for (const [lang, badge, opens] of [["en", "medium confidence", "Medium confidence: part of this rule"],
  ["es", "confianza media", "Confianza media: parte de esta regla"]] as const) {
  test(`a rule's confidence opens its explanation with a tap (${lang})`, async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 800 });
    await open(page, `#caps?date=2026-06-01&lang=${lang}`);
    const button = page.getByRole("button", { name: badge }).first();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    const explain = page.locator(`#${await button.getAttribute("aria-controls")}`);
    await expect(explain).toBeHidden();
    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(explain).toBeVisible();
    await expect(explain).toContainText(opens);
    await button.click();
    await expect(explain).toBeHidden();
  });
}

// Issue 13, item 10: what The caps shows cites sources a reader can open, not the rate book's
// research notes (its file names and source ids).
test("no internal note: every date's caps cite openable sources, no file names or source ids", async ({ page }) => {
  const book = JSON.parse(cli("caps", "--date", "2016-06-01", "--facility", "jail", "--adp", "640", "--format", "json"));
  expect(book.regime.note).toContain("never_effective.toml");
  for (const date of ["2014-06-01", "2016-06-01", "2021-12-01", "2025-07-01", "2026-06-01"]) {
    await page.goto("about:blank");
    await open(page, `#caps?date=${date}`);
    const text = await page.locator(".results").innerText();
    expect(text, date).not.toMatch(/\.toml\b/);
    expect(text, date).not.toMatch(/\b(fcc|gtl|da|ppi|cd|itt|cn)-[a-z0-9-]*\d{4}\b/);
    expect(text, date).not.toContain("open question");
    expect(text, date).not.toContain("JSON");
    // The regime's source opens.
    await expect(page.locator(".summary .cite a").first()).toHaveAttribute("href", /^https?:\/\//);
  }
});
