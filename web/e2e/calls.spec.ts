// My calls: each way of pricing a month, its figures checked against the CLI's.
import { expect, test } from "@playwright/test";
import { cliEstimate, cliJson, DATE, field, open, tempFile } from "./helpers";

test("the legal maximum for a facility, as the CLI prices a month at the cap", async ({ page }) => {
  await open(page, `#calls?date=${DATE}`);
  await expect(page.getByRole("heading", { level: 2, name: "My calls" })).toBeVisible();
  await expect(page.getByText("Rules in force on June 1, 2026").first()).toBeVisible();
  // A tariff charging nothing, at the same facility: the CLI's "at_cap" month is the legal maximum.
  const zero = tempFile("zero.toml", `[facility]\nkind = "jail"\naverage_daily_population = 640\n\n[[rate]]\nper_minute = "0.00"\n`);
  const cli = cliEstimate(zero);
  expect(await field(page, "month.total")).toBe(cli.at_cap.total);
  expect(await field(page, "at_cap.total")).toBe(cli.at_cap.total);
  expect(await field(page, "month.call_charges")).toBe(cli.at_cap.call_charges);
  // The verdict shows its citation and the date used.
  await expect(page.locator(".summary .cite")).toContainText("47 CFR");
  await expect(page.locator(".summary .cite")).toContainText("in force since");
});

test("my provider's prices: the tariff the page writes, priced by the CLI", async ({ page }) => {
  await open(page, `#calls?date=${DATE}`);
  await page.getByLabel("My provider's prices").check();
  await page.getByLabel("Price per minute, in dollars").fill("0.25");
  await page.getByLabel("Charge per call, in dollars (if any)").fill("0.50");
  await page.getByLabel("Fee per deposit, in dollars", { exact: true }).fill("3.95");
  await page.getByText("The tariff written from your prices").click();
  const toml = await page.getByTestId("built-tariff").textContent();
  const cli = cliEstimate(tempFile("prices.toml", toml ?? ""));
  expect(await field(page, "month.total")).toBe(cli.month.total);
  expect(await field(page, "month.call_charges")).toBe(cli.month.call_charges);
  expect(await field(page, "fee.automated_payment")).toBe(cli.month.fee_items[0].total);
  expect(await field(page, "month.taxes")).toBe(cli.month.taxes);
  expect(await field(page, "effective_per_minute")).toBe(cli.effective_per_minute);
  expect(await field(page, "at_cap.total")).toBe(cli.at_cap.total);
  expect(await field(page, "overcharge")).toBe(cli.overcharge);
  // The prices typed say nothing of the facility's commission: unknown, not the core's $0.00.
  expect(cli.commission_share).toBe("0.00");
  await expect(page.locator('[data-field="commission_share"]')).toHaveText("Not known: your prices do not say");
  await expect(page.locator(".verdict-bad")).toContainText("more than the legal maximum");
  // Each finding carries its citation.
  const findings = page.locator(".finding");
  await expect(findings).toHaveCount(cli.findings.length);
  await expect(findings.first().locator(".cite")).toContainText(cli.findings[0].citation);
});

test("an example tariff, as the CLI prices it", async ({ page }) => {
  const path = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
  await open(page, `#calls?date=${DATE}&c.mode=tariff&c.ex=nv-county-jail-large-2026-deposit-fees`);
  const cli = cliEstimate(path);
  await expect(page.locator('[data-field="month.total"]').first()).toHaveText(/\$/);
  expect(await field(page, "month.total")).toBe(cli.month.total);
  for (const fee of cli.month.fee_items) expect(await field(page, `fee.${fee.kind}`)).toBe(fee.total);
  expect(await field(page, "overcharge")).toBe(cli.overcharge);
  expect(await field(page, "effective_per_minute")).toBe(cli.effective_per_minute);
  await expect(page.locator(".finding")).toHaveCount(cli.findings.length);
});

test("bad input shows a readable message, and fixing it brings the results back", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await open(page, `#calls?date=${DATE}`);
  const perWeek = page.getByLabel("Calls a week");
  await perWeek.fill("four");
  await expect(page.getByRole("alert")).toContainText("\"four\" is not a whole number of calls a week");
  await perWeek.fill("4");
  await expect(page.getByRole("alert")).toHaveCount(0);
  await expect(page.locator('[data-field="month.total"]').first()).toBeVisible();

  await page.getByLabel("A tariff file").check();
  await page.getByLabel("Example tariff").selectOption("");
  await page.getByLabel("Or paste the tariff (TOML)").fill('[facility]\nkind = "castle"\n');
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Line 2: [facility] kind:");
  await expect(alert).not.toContainText("my-tariff.toml");
  await alert.getByRole("button", { name: "Line 2" }).click();
  await expect(page.getByLabel("Or paste the tariff (TOML)")).toBeFocused();
  expect(errors).toEqual([]);
});

/** The CLI's month for a tariff charging nothing at a place: its `at_cap` is the legal maximum. */
function cliAtCap(date: string, adp: string, place: string[]) {
  const zero = tempFile("zero.toml", `[facility]\nkind = "jail"\naverage_daily_population = ${adp}\n\n[[rate]]\nper_minute = "0.00"\n`);
  return cliJson("estimate", "--tariff", zero, "--calls-per-week", "4", "--minutes", "15", "--jurisdiction", "intrastate",
    "--payment", "prepaid", "--service", "audio", "--deposit", "25.00", "--deposit-method", "automated_payment",
    "--date", date, ...place);
}

test("a Massachusetts county jail in 2024: the calls are free under state law, with its citation", async ({ page }) => {
  await open(page, "#calls?date=2024-06-01&c.adp=300");
  await page.getByLabel("State (optional)").fill("MA");
  await page.getByLabel("Who runs the facility").selectOption("county");
  const cli = cliAtCap("2024-06-01", "300", ["--state", "MA", "--operator", "county"]);
  expect(cli.at_cap.per_minute).toBe("0.00");
  expect(cli.at_cap.set_by.level).toBe("state");
  await expect(page.locator('[data-field="set_by"]')).toContainText("The legal maximum is set by a state rule:");
  expect(await field(page, "month.total")).toBe(cli.at_cap.total);
  const cite = page.locator('[data-field="set_by"] .cite');
  await expect(cite).toContainText(cli.at_cap.set_by.citation);
  await expect(cite).toContainText(cli.at_cap.set_by.source);
  await expect(cite.getByRole("link", { name: "Read the source" })).toHaveAttribute("href", cli.at_cap.set_by.link);
  // The notes say which rule sets it, as the CLI's.
  await page.getByText("What these figures assume").click();
  const note = cli.notes.find((n: string) => n.startsWith("the legal maximum is set by a state rule"));
  await expect(page.locator(".notes li", { hasText: note })).toHaveCount(1);
  expect(page.url()).toContain("c.st=MA");
});

test("a California county jail in 2023, in-state: the CPUC's 7 cents a minute is the legal maximum", async ({ page }) => {
  await open(page, "#calls?date=2023-06-01&c.adp=300&c.st=CA&c.op=county");
  const cli = cliAtCap("2023-06-01", "300", ["--state", "CA", "--operator", "county"]);
  expect(cli.at_cap.per_minute).toBe("0.07");
  expect(await field(page, "month.total")).toBe(cli.at_cap.total);
  expect(await field(page, "at_cap.total")).toBe(cli.at_cap.total);
  await expect(page.locator(".facts")).toContainText("(at $0.07 a minute)");
  const cite = page.locator('[data-field="set_by"] .cite');
  await expect(cite).toContainText("D.21-08-037");
  await expect(cite).toContainText(cli.at_cap.set_by.source);
  // My provider's prices: the state's cap judges them, and the finding says it is the state's.
  await page.getByLabel("My provider's prices").check();
  await page.getByLabel("Price per minute, in dollars").fill("0.21");
  await expect(page.locator(".finding", { hasText: "State rule" }).first()).toBeVisible();
});

test("the place given in the form replaces a tariff's own", async ({ page }) => {
  const path = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
  await open(page, `#calls?date=2026-06-01&c.mode=tariff&c.ex=nv-county-jail-large-2026-deposit-fees&c.st=CA&c.op=county`);
  const cli = cliEstimate(path, ["--state", "CA", "--operator", "county"]);
  await expect(page.locator('[data-field="month.total"]').first()).toHaveText(/\$/);
  expect(await field(page, "month.total")).toBe(cli.month.total);
  expect(await field(page, "overcharge")).toBe(cli.overcharge);
  await expect(page.locator(".finding")).toHaveCount(cli.findings.length);
});

test("a bad state: the message under the State field, no flag named", async ({ page }) => {
  await open(page, `#calls?date=${DATE}`);
  const state = page.getByLabel("State (optional)");
  await state.fill("Mass");
  const message = page.locator('[data-error-for="state"]');
  await expect(message).toContainText("two-letter postal code");
  await expect(message).not.toContainText("--");
  await expect(state).toHaveAttribute("aria-invalid", "true");
  await state.fill("MA");
  await expect(message).toHaveCount(0);
});

// Issue 13, item 2: the cap is never shown as what she pays; what the page does not know is
// shown as not known.
for (const [lang, max, fees, none, unknown] of [
  ["en", "Legal maximum for your month:", "not included", "No legal maximum for these calls on this date", "Not known"],
  ["es", "Máximo legal de su mes:", "no incluidos", "Estas llamadas no tienen máximo legal en esta fecha", "No se sabe"],
] as const) {
  test(`every total says what it is, and unknown is unknown (${lang})`, async ({ page }) => {
    await open(page, `#calls?date=${DATE}&lang=${lang}`);
    const total = await field(page, "month.total");
    const quick = page.locator(".quick-total");
    await expect(quick).toContainText(`${max} $${total.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`);
    await expect(page.locator('[data-field="month.fees"]')).toHaveText(fees);
    // Priced with prices from a bill: the facility's share is not known.
    await page.goto("about:blank");
    await open(page, `#calls?date=${DATE}&lang=${lang}&c.mode=rates`);
    await expect(page.locator('[data-field="commission_share"]')).toContainText(unknown);
    await expect(page.locator('[data-field="commission_share"]')).not.toContainText("$");
    await expect(quick).not.toContainText(max);
    // No cap at all on the date: no legal maximum, said as such (not an input error).
    await page.goto("about:blank");
    await open(page, `#calls?date=2013-06-01&lang=${lang}`);
    await expect(quick).toContainText(none);
    await expect(page.locator('[data-field="no_maximum"]')).toBeVisible();
    await expect(page.locator('[data-field="month.total"]')).toHaveCount(0);
    await expect(page.getByRole("alert")).toHaveCount(0);
  });
}

// Issue 13, item 4: what to do next, when the core says the month is overcharged.
for (const [lang, title, keep] of [["en", "What you can do", "What to keep"], ["es", "Qué puede hacer", "Qué debe guardar"]] as const) {
  test(`overcharged: where to complain, with sources, and what to keep (${lang})`, async ({ page }) => {
    await open(page, `#calls?date=${DATE}&lang=${lang}&c.mode=rates&c.ppm=0.25&c.st=CA&c.op=county`);
    await expect(page.locator(".verdict-bad")).toBeVisible();
    const todo = page.locator('[data-field="todo"]');
    await expect(todo.getByRole("heading", { name: title })).toBeVisible();
    await expect(todo.locator('[data-place="federal"] a').first()).toHaveAttribute("href", "https://consumercomplaints.fcc.gov/hc/en-us");
    await expect(todo.locator('[data-place="CA"]')).toContainText("CPUC");
    await expect(todo.locator('[data-place="federal"] .cite a').first()).toHaveAttribute("href", /^https:\/\/consumercomplaints\.fcc\.gov\//);
    await expect(todo.getByRole("heading", { name: keep })).toBeVisible();
    await expect(todo.locator(".todo-keep li")).toHaveCount(4);
    // At the legal maximum there is nothing to complain about: nothing is said.
    await page.getByLabel(lang === "en" ? "The legal maximum" : "El máximo legal").check();
    await expect(page.locator('[data-field="todo"]')).toHaveCount(0);
  });
}

// Issue 12 §4: prices as a bill shows them — a price per call of some minutes (turned into a
// price a minute by the core, and said so) and two fees on each deposit.
for (const [lang, byCall, price, minutes, fee3, said, bad] of [
  ["en", "A price per call of some minutes", "Price of one call, in dollars", "Minutes in that call",
    "Third-party fee per deposit, in dollars", "was turned into $0.21 a minute", "give the call's length in minutes"],
  ["es", "Un precio por llamada de ciertos minutos", "Precio de una llamada, en dólares", "Minutos de esa llamada",
    "Cargo de terceros por depósito, en dólares", "se convirtió en $0.21 por minuto", "escriba la duración de la llamada"],
] as const) {
  test(`a price per call from the bill and two fees a deposit, priced as the CLI prices them (${lang})`, async ({ page }) => {
    await open(page, `#calls?date=${DATE}&lang=${lang}&c.mode=rates`);
    await page.getByLabel(byCall).check();
    await page.getByLabel(price, { exact: true }).fill(lang === "es" ? "3,15" : "$3.15");
    await page.getByLabel(minutes).fill("15");
    await page.getByLabel(fee3).fill("1.95");
    await expect(page.locator('[data-field="from-call"]')).toContainText(said);
    await page.locator("details.built summary").click();
    const toml = (await page.getByTestId("built-tariff").textContent()) ?? "";
    expect(toml).toContain('per_minute = "0.21"');
    expect(toml).toContain('kind = "third_party_transaction"');
    const cli = cliEstimate(tempFile("bill.toml", toml));
    expect(await field(page, "month.total")).toBe(cli.month.total);
    expect(await field(page, "fee.automated_payment")).toBe(cli.month.fee_items.find((f: { kind: string }) => f.kind === "automated_payment").total);
    expect(await field(page, "fee.third_party_transaction")).toBe(
      cli.month.fee_items.find((f: { kind: string }) => f.kind === "third_party_transaction").total);
    // A price that does not divide evenly is rounded, and the page says so.
    await page.getByLabel(price, { exact: true }).fill("1.00");
    await expect(page.locator('[data-field="from-call"]')).toContainText("$0.0667");
    // No minutes: the message under that field, in the page's language.
    await page.getByLabel(minutes).fill("");
    const input = page.getByLabel(minutes);
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator('[data-error-for="call_minutes"]')).toContainText(bad);
    await expect(input).toHaveAttribute("aria-describedby", /-error/);
  });
}
