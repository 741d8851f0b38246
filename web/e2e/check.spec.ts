// Check a tariff: findings with citations, as the CLI finds them; bad TOML, readably.
import { expect, test } from "@playwright/test";
import { cliJson, open } from "./helpers";
import { inWords } from "../src/i18n";

const DATE = "2026-06-01";

test("an example tariff's findings, as the CLI finds them, each with its citation", async ({ page }) => {
  const path = "rates/examples/mi-state-prison-2026-account-and-paper-fees.toml";
  await open(page, `#check?date=${DATE}&k.ex=mi-state-prison-2026-account-and-paper-fees`);
  await expect(page.getByRole("heading", { level: 2, name: "Check a tariff" })).toBeVisible();
  const r = cliJson("check", path, "--date", DATE).results[0];
  const findings = page.locator(".finding");
  await expect(findings).toHaveCount(r.findings.length);
  for (const [i, f] of r.findings.entries()) {
    // The core's sentence, its vocabulary words said as words ("a paper statement fee").
    await expect(findings.nth(i).locator(".finding-message")).toHaveText(inWords(f.message));
    await expect(findings.nth(i).locator(".finding-message")).not.toHaveText(/\b[a-z]+_[a-z_]+\b/);
    if (f.citation) await expect(findings.nth(i).locator(".cite")).toContainText(f.citation);
    if (f.confidence && f.confidence !== "high") await expect(findings.nth(i).locator(".confidence")).toHaveText(`${f.confidence} confidence`);
  }
  await expect(page.locator('[data-field="compliant"]')).toHaveText(r.compliant ? /Lawful/ : /Not lawful/);
  await expect(page.getByText("Rules in force on June 1, 2026")).toBeVisible();
});

test("pasted TOML with a mistake: the message names the line, and the button goes there", async ({ page }) => {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  await open(page, `#check?date=${DATE}`);
  await page.getByLabel("Example tariff").selectOption("");
  const area = page.getByLabel("Tariff (TOML)");
  await area.fill('[facility]\nkind = "jail"\naverage_daily_population = 640\n\n[[rate]]\nper_minute = 0.21\n');
  const alert = page.getByRole("alert");
  await expect(alert).toContainText("Line 6: [[rate]] per_minute:");
  await expect(alert).not.toContainText("pasted-tariff.toml");
  await alert.getByRole("button", { name: "Line 6" }).click();
  await expect(area).toBeFocused();
  const selected = await area.evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd));
  expect(selected).toBe("per_minute = 0.21");
  await area.fill("");
  await page.getByRole("button", { name: "Start from a blank template" }).click();
  await expect(page.locator('[data-field="compliant"]')).toBeVisible();
  await page.getByLabel("Tariff (TOML)").fill("\u0000\u0001 not toml at all [[[");
  await expect(page.getByRole("alert")).toBeVisible();
  expect(errors).toEqual([]);
});

test("a file larger than the core reads is refused before it is read, next to its field", async ({ page }) => {
  await open(page, "#check");
  const big = Buffer.alloc(1024 * 1024 + 1, "#");
  await page.locator("#check-file").setInputFiles({ name: "huge.toml", mimeType: "text/plain", buffer: big });
  const message = page.locator("#check-file-error");
  await expect(message).toContainText("huge.toml is 1,048,577 bytes; callcap reads files of at most 1,048,576 bytes");
  await expect(page.locator("#check-file")).toHaveAttribute("aria-invalid", "true");
  // The text area was left as it was: nothing was read.
  await expect(page.locator("#check-toml")).not.toHaveValue(/^#{100}/);
});

// The place in Check a tariff: each part given replaces the tariff's, and the state's rules
// are judged as the CLI judges them with --state/--operator; a bad state is said under its field.
for (const [lang, stateLabel, bad] of [["en", "State (optional)", "two-letter postal code"], ["es", "Estado (opcional)", "dos letras mayúsculas"]] as const) {
  test(`the facility's place, as the CLI takes it, and a bad state under its field (${lang})`, async ({ page }) => {
    const path = "rates/examples/nv-county-jail-large-2026-deposit-fees.toml";
    await open(page, `#check?date=${DATE}&lang=${lang}&k.ex=nv-county-jail-large-2026-deposit-fees&k.st=CA&k.op=county`);
    const r = cliJson("check", path, "--date", DATE, "--state", "CA", "--operator", "county").results[0];
    const findings = page.locator(".finding");
    await expect(findings).toHaveCount(r.findings.length);
    expect(r.findings.some((f: { level: string }) => f.level === "state")).toBe(true);
    const input = page.getByLabel(stateLabel, { exact: true });
    await expect(input).toHaveValue("CA");
    await input.fill("Cal");
    await expect(input).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator('[data-error-for="state"]')).toContainText(bad);
    await expect(page.locator('[data-error-for="state"]')).not.toContainText("--state");
  });
}
