// Spreadsheets in the page (issue 12 §2–§3): a price sheet of bids in Compare bids, a rate table
// in Check a tariff, each read by the core's sheet reader (web/sheets), loaded only then.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, test } from "@playwright/test";
import { cliJson, cliJsonWithErrors, copyWholeLink, field, open, repo } from "./helpers";

const DATE = "2026-07-01";
const TEMPLATE = "rates/examples/bids/bids-template";

for (const ext of ["csv", "xlsx"] as const) {
  test(`the bids template as a ${ext.toUpperCase()} price sheet compares as the CLI compares it, its reader loaded only then`, async ({ page }) => {
    const wasm: string[] = [];
    page.on("request", (r) => { if (r.url().endsWith(".wasm")) wasm.push(r.url()); });
    await open(page, `#bids?date=${DATE}&b.ex=none`);
    expect(wasm.some((u) => /callcap_(sheets|xlsx)_bg/.test(u))).toBe(false);
    await page.locator("#bids-file").setInputFiles(`${repo}${TEMPLATE}.${ext}`);
    await expect(page.locator(".bid-list li")).toHaveCount(3);
    expect(wasm.some((u) => u.includes(ext === "xlsx" ? "callcap_xlsx_bg" : "callcap_sheets_bg"))).toBe(true);
    const c = cliJson("compare", `${TEMPLATE}.${ext}`, "--date", DATE);
    await expect(page.locator("table.compare thead th")).toHaveCount(c.bids.length);
    for (const [i, b] of c.bids.entries()) {
      await expect(page.locator("table.compare thead th").nth(i)).toHaveText(b.name);
      for (const key of ["annual_family_cost", "annual_commission", "effective_per_minute"]) {
        expect(await field(page, `${key}.${i}`), `${b.name} ${key}`).toBe(b[key]);
      }
    }
  });
}

for (const [lang, where, what] of [
  ["en", "bids-bad.csv, row 3, column commission_percent: cell F3:", "is 20 here but 55 on row 2"],
  ["es", "bids-bad.csv, fila 3, columna commission_percent: celda F3:", "es 20 aquí pero 55 en la fila 2"],
] as const) {
  test(`a bad cell in a price sheet: its sheet, row and column under the file field, no bid added (${lang})`, async ({ page }) => {
    await open(page, `#bids?date=${DATE}&b.ex=none&lang=${lang}`);
    await page.locator("#bids-file").setInputFiles(`${repo}tests/sheets/bids-bad.csv`);
    const error = page.locator("#bids-file-error");
    await expect(error).toContainText(where);
    await expect(error).toContainText(what);
    await expect(page.locator("#bids-file")).toHaveAttribute("aria-invalid", "true");
    await expect(page.locator(".bid-list li.muted")).toHaveCount(1);
  });
}

for (const [lang, facilities, notRead, cell] of [
  ["en", "3 facilities from table-bad.csv", "Rows that could not be read: 4", "table-bad.csv, row 3, column per_minute: cell E3:"],
  ["es", "3 centros de table-bad.csv", "Filas que no se pudieron leer: 4", "table-bad.csv, fila 3, columna per_minute: celda E3:"],
] as const) {
  test(`a rate table: every facility checked as the CLI checks it, every bad row said (${lang})`, async ({ page }) => {
    await open(page, `#check?date=${DATE}&lang=${lang}`);
    await page.locator("#check-file").setInputFiles(`${repo}tests/sheets/table-bad.csv`);
    await expect(page.locator('[data-field="table"]')).toHaveText(facilities);
    const errors = page.locator('[data-field="table-errors"]');
    await expect(errors).toContainText(notRead);
    await expect(errors).toContainText(cell);
    // Not "lawful" in green while rows went unread.
    await expect(page.locator('[data-field="table-verdict"]')).not.toHaveClass(/verdict-good/);
    const cli = cliJsonWithErrors("check", "tests/sheets/table-bad.csv", "--date", DATE).results
      .filter((r: { error?: string }) => !r.error);
    const results = page.locator(".table-result");
    await expect(results).toHaveCount(cli.length);
    for (const [i, r] of cli.entries()) {
      await expect(results.nth(i).locator(".finding")).toHaveCount(r.findings.length);
      await expect(results.nth(i).locator('[data-field="compliant"]')).toHaveClass(r.compliant ? /verdict-good/ : /verdict-bad/);
    }
    // The mixed facility says which of its rows were left out.
    await expect(results.nth(2).locator("h3")).toContainText("Mixed Jail; row 9 not read");
  });
}

test("the share link carries a rate table opened from a spreadsheet", async ({ page, browser }) => {
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await open(page, `#check?date=${DATE}`);
  await page.locator("#check-file").setInputFiles(`${repo}tests/sheets/table-bad.csv`);
  await expect(page.locator(".table-result")).toHaveCount(3);
  const link = await copyWholeLink(page);
  const other = await browser.newPage();
  await other.goto(link);
  await expect(other.locator(".table-result")).toHaveCount(3);
  await expect(other.locator('[data-field="table-errors"]')).toContainText("Rows that could not be read: 4");
  await other.close();
});

test("a file that is not a spreadsheet: said under the field", async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), "callcap-"));
  const bad = join(dir, "bids.xlsx");
  writeFileSync(bad, "not a workbook");
  await open(page, `#bids?date=${DATE}&b.ex=none`);
  await page.locator("#bids-file").setInputFiles(bad);
  await expect(page.locator("#bids-file-error")).toContainText("not an XLSX workbook");
});
