// "Find the facility" in My calls and The caps: the core's search of the facility directory
// (fetched when first used), the fields it fills, the honest size, and every tier the size could
// put the facility in, compared with the CLI.
import { expect, test, type Page } from "@playwright/test";
import { cliJson, DATE, open, plain, tempFile } from "./helpers";

const GUADALUPE = "10002881"; // GUADALUPE COUNTY ADULT DETENTION CENTER, SEGUIN, TX: 338 reported in 2018
const NO_POPULATION = "10000232"; // HARRIS COUNTY IPD - HUMBLE JAIL: HIFLD reports no population

/** The ids of the facilities the finder lists, in order. */
async function listed(page: Page): Promise<string[]> {
  await expect(page.locator(".finder-choice").first()).toBeVisible();
  return page.locator(".finder-choice").evaluateAll((els) => els.map((e) => e.getAttribute("data-facility") ?? ""));
}

/** Waits until the finder lists what `check` accepts (it answers as the words are typed). */
async function until(page: Page, check: (ids: string[]) => boolean): Promise<string[]> {
  await expect.poll(async () => check(await listed(page))).toBe(true);
  return listed(page);
}

async function search(page: Page, query: string, state = ""): Promise<void> {
  await page.getByLabel("Only in this state").fill(state);
  await page.getByLabel("Name or city").fill(query);
}

/** The CLI's ids for a query. */
function cliIds(query: string, state?: string): string[] {
  const r = cliJson("facilities", query, ...(state ? ["--state", state] : []));
  return r.facilities.map((f: { id: string }) => f.id);
}

test("My calls: exact name, partial, typo, city and state filter find what the CLI finds", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (r) => requests.push(new URL(r.url()).pathname));
  await open(page, `#calls?date=${DATE}`);
  // The directory is not part of the first load.
  expect(requests.some((p) => /directory/.test(p))).toBe(false);
  await expect(page.getByRole("group", { name: "Find the facility" })).toBeVisible();

  // Exact name: first, as the CLI ranks it.
  const exact = cliIds("guadalupe county adult detention center");
  expect(exact[0]).toBe(GUADALUPE);
  await search(page, "guadalupe county adult detention center");
  await until(page, (ids) => ids[0] === GUADALUPE);
  expect(requests.some((p) => /directory-.*\.txt$/.test(p))).toBe(true);
  // Partial, typo (with the state filter), city: the CLI's own results, in its order.
  for (const [query, state] of [["guadalupe", "TX"], ["gudalupe cunty adult", "TX"], ["seguin", ""]]) {
    const want = cliIds(query, state || undefined).slice(0, 8);
    await search(page, query, state);
    await until(page, (ids) => JSON.stringify(ids) === JSON.stringify(want));
  }
  expect(cliIds("gudalupe cunty adult", "TX")[0]).toBe(GUADALUPE);
  // State filter: every result in that state.
  await search(page, "county jail", "WV");
  await until(page, (ids) => ids.length > 0 && !ids.includes(GUADALUPE));
  const where = await page.locator(".finder-where").allTextContents();
  expect(where.length).toBeGreaterThan(0);
  expect(where.every((w) => w.includes(", WV"))).toBe(true);
  await search(page, "zzzz qqqq xxxx");
  await expect(page.locator('[data-field="finder.none"]')).toBeVisible();
});

test("My calls: choosing fills the fields, says how sure the size is, and shows each tier's legal maximum", async ({ page }) => {
  await open(page, `#calls?date=${DATE}`);
  await search(page, "guadalupe county adult detention", "TX");
  await page.locator(`.finder-choice[data-facility="${GUADALUPE}"]`).click();
  await expect(page.locator('[data-field="finder.chosen"]')).toContainText("GUADALUPE COUNTY ADULT DETENTION CENTER, SEGUIN, TX");
  await expect(page.getByLabel("Size (average daily population)")).toHaveValue("338");
  await expect(page.getByLabel("State (optional)", { exact: true })).toHaveValue("TX");
  await expect(page.getByLabel("County FIPS code (optional)")).toHaveValue("48187");
  await expect(page.locator('select[data-input="operator"]')).toHaveValue("county");
  await expect(page.locator('select[data-input="facility"]')).toHaveValue("jail");
  await expect(page.locator('[data-field="size"]')).toContainText(
    "population as reported in 2018 (HIFLD): 338. That is not the average daily population the FCC's tiers use; correct it if you know the average daily population");
  // 338 is within 10% of 350: two tiers, each with its month at the legal maximum.
  const caps = cliJson("caps", "--facility-id", GUADALUPE, "--date", DATE);
  const tiers = page.locator('[data-field="tiers_possible"] tbody tr');
  await expect(tiers).toHaveCount(caps.tiers_possible.length);
  expect(caps.tiers_possible.length).toBe(2);
  // Each is the month at the legal maximum for an ADP in that tier: the CLI's, for a tariff
  // charging nothing at that facility of the directory.
  const zero = tempFile("zero.toml", `[facility]\nid = "${GUADALUPE}"\n\n[[rate]]\nper_minute = "0.00"\n`);
  const cliTiers = cliJson("estimate", "--tariff", zero, "--calls-per-week", "4", "--minutes", "15", "--jurisdiction", "intrastate",
    "--payment", "prepaid", "--service", "audio", "--deposit", "25.00", "--deposit-method", "automated_payment", "--date", DATE).tiers_possible;
  expect(cliTiers.length).toBe(2);
  for (const [i, t] of cliTiers.entries()) {
    await expect(tiers.nth(i)).toHaveAttribute("data-tier", t.tier);
    expect(plain(await page.locator(`[data-field="tier.${t.tier}.month"]`).textContent())).toBe(t.legal_maximum);
  }
  await expect(page.locator('[data-field="tiers.verdict"]')).toContainText("one of these, depending on its size");

  // Corrected: the size typed is the average daily population, one tier, said so.
  await page.getByLabel("Size (average daily population)").fill("340");
  await expect(page.locator('[data-field="size"]')).toHaveText("Size: average daily population 340, as you gave it.");
  await expect(page.locator('[data-field="tiers_possible"]')).toHaveCount(0);
  const given = tempFile("given.toml", `[facility]\nkind = "jail"\naverage_daily_population = 340\nstate = "TX"\noperator = "county"\ncounty_fips = "48187"\n\n[[rate]]\nper_minute = "0.00"\n`);
  const cli = cliJson("estimate", "--tariff", given, "--calls-per-week", "4", "--minutes", "15", "--jurisdiction", "intrastate",
    "--payment", "prepaid", "--service", "audio", "--deposit", "25.00", "--deposit-method", "automated_payment", "--date", DATE);
  await expect.poll(async () => plain(await page.locator('[data-field="month.total"]').first().textContent())).toBe(cli.at_cap.total);

  // The link keeps the choice.
  const url = page.url();
  const other = await page.context().newPage();
  await other.goto(url);
  await expect(other.locator('[data-field="finder.chosen"]')).toContainText("GUADALUPE");
  await other.close();
});

test("The caps: a facility with no population reported shows every tier of its kind, as the CLI does", async ({ page }) => {
  await open(page, `#caps?date=${DATE}`);
  await search(page, "harris county ipd humble jail", "TX");
  await page.locator(`.finder-choice[data-facility="${NO_POPULATION}"]`).click();
  await expect(page.locator('[data-field="size"]')).toContainText("HIFLD reports no population for this facility");
  const r = cliJson("caps", "--facility-id", NO_POPULATION, "--date", DATE);
  const rows = page.locator('[data-field="tiers_possible"] tbody tr');
  await expect(rows).toHaveCount(r.tiers_possible.length);
  for (const t of r.tiers_possible) {
    const cap = t.caps.find((c: any) => c.service === "audio" && c.jurisdiction === "intrastate" && c.payment === "prepaid");
    expect(plain(await page.locator(`[data-field="tier.${t.tier}.audio"]`).textContent())).toBe(cap.per_minute);
  }
  await expect(page.locator('[data-field="tier"]')).toContainText(r.facility.tier_name);
});

test("finder errors sit under their field, in English and in Spanish", async ({ page }) => {
  await open(page, `#caps?date=${DATE}`);
  await search(page, "guadalupe", "Texas");
  const state = page.getByLabel("Only in this state");
  await expect(state).toHaveAttribute("aria-invalid", "true");
  const id = await state.getAttribute("aria-describedby");
  expect(id).toContain("-error");
  await expect(page.locator(`[data-error-for="finder_state"]`)).toContainText("two-letter");

  // A new document (a hash change alone would not reload the page).
  await page.goto("about:blank");
  await open(page, `#caps?date=${DATE}&lang=es`);
  await page.getByLabel("Solo en este estado").fill("Texas");
  await page.getByLabel("Nombre o ciudad").fill("guadalupe");
  await expect(page.getByLabel("Solo en este estado")).toHaveAttribute("aria-invalid", "true");
  const es = await page.locator(`[data-error-for="finder_state"]`).textContent();
  expect(es).not.toContain("two-letter");
});

test("Spanish: the finder, the size and the tiers in Spanish", async ({ page }) => {
  await open(page, `#calls?date=${DATE}&lang=es`);
  await expect(page.getByRole("group", { name: "Buscar el centro" })).toBeVisible();
  await page.getByLabel("Solo en este estado").fill("TX");
  await page.getByLabel("Nombre o ciudad").fill("guadalupe county adult detention");
  await page.locator(`.finder-choice[data-facility="${GUADALUPE}"]`).click();
  await expect(page.locator('[data-field="finder.chosen"]')).toContainText("Elegido: GUADALUPE COUNTY ADULT DETENTION CENTER");
  await expect(page.locator('[data-field="size"]')).toContainText("población informada en 2018 (HIFLD): 338");
  await expect(page.locator('[data-field="size"]')).toContainText("corríjala si conoce la población diaria promedio");
  await expect(page.locator('[data-field="tiers_possible"] h3')).toHaveText("Por su tamaño podría estar en 2 niveles");
  await expect(page.locator('[data-field="tiers.verdict"]')).toContainText("según su tamaño");
  // The core's notes about the directory and the size are in Spanish too.
  const notes = await page.locator("details.notes li").allTextContents();
  expect(notes.some((n) => /HIFLD/.test(n))).toBe(true);
  expect(notes.join(" ")).not.toMatch(/correct it if you know|in callcap's facility directory/);
});
