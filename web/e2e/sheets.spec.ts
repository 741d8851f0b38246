// Spreadsheets (issue 12 §2–§3): bids in Compare bids and rate tables in Check a tariff, as CSV
// and XLSX, read by the core in the spreadsheet module (fetched when such a file is opened);
// compared and checked as the CLI does, errors with their row and column under the file field.
import { expect, test } from "@playwright/test";
import { cliJson, field, open, repo, tempFile } from "./helpers";

const DATE = "2026-07-01";
const TEMPLATE = "rates/examples/bids/bids-template";

for (const ext of ["csv", "xlsx"]) {
  test(`the bid template as ${ext.toUpperCase()}: each bid compared as the CLI compares the sheet`, async ({ page }) => {
    const requests: string[] = [];
    page.on("request", (r) => requests.push(new URL(r.url()).pathname));
    await open(page, `#bids?date=${DATE}&b.ex=none`);
    expect(requests.some((p) => /callcap_(sheets|xlsx)/.test(p))).toBe(false);
    await page.locator("#bids-sheet").setInputFiles(`${repo}${TEMPLATE}.${ext}`);
    const c = cliJson("compare", `${TEMPLATE}.${ext}`, "--date", DATE);
    await expect(page.locator('[data-field="sheet.status"]')).toContainText(`${c.bids.length} bid(s) added from bids-template.${ext}`);
    expect(requests.some((p) => new RegExp(ext === "xlsx" ? "callcap_xlsx_bg" : "callcap_sheets_bg").test(p))).toBe(true);
    await expect(page.locator("table.compare thead th")).toHaveCount(c.bids.length);
    for (const [i, b] of c.bids.entries()) {
      await expect(page.locator("table.compare thead th").nth(i)).toHaveText(b.name);
      for (const key of ["annual_family_cost", "annual_fees", "annual_commission", "effective_per_minute"]) {
        expect(await field(page, `${key}.${i}`), `${b.name} ${key}`).toBe(b[key]);
      }
    }
  });
}

test("a bad cell: its row and column under the file field, in English and in Spanish", async ({ page }) => {
  const bad = tempFile("bad-bids.csv",
    "bid,facility,kind,average_daily_population,start,term_years,service,per_minute\nA,Riverbend,jail,640,2026-07-01,5,audio,twelve\n");
  await open(page, `#bids?date=${DATE}`);
  await page.locator("#bids-sheet").setInputFiles(bad);
  const input = page.locator("#bids-sheet");
  await expect(input).toHaveAttribute("aria-invalid", "true");
  expect(await input.getAttribute("aria-describedby")).toContain("bids-sheet-error");
  const error = page.locator('[data-error-for="sheet"]');
  await expect(error).toContainText('bad-bids.csv, row 2, column per_minute: cell H2: "twelve" is not a decimal amount; write it like 0.21 or $0.21');
  await expect(page.locator("table.compare thead th")).toHaveCount(3);

  // A new document (a hash change alone would not reload the page).
  await page.goto("about:blank");
  await open(page, `#bids?date=${DATE}&lang=es`);
  await page.locator("#bids-sheet").setInputFiles(bad);
  await expect(page.locator('[data-error-for="sheet"]')).toContainText(
    'bad-bids.csv, fila 2, columna per_minute: celda H2: "twelve" no es un monto decimal; escríbalo como 0.21 o $0.21');
});

test("a file named .xlsx that is not a workbook: the XLSX reader's error under the file field, in English and in Spanish", async ({ page }) => {
  const notBook = tempFile("not-a-workbook.xlsx", "bid,per_minute\nA,0.21\n");
  await open(page, `#bids?date=${DATE}`);
  await page.locator("#bids-sheet").setInputFiles(notBook);
  await expect(page.locator("#bids-sheet")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[data-error-for="sheet"]')).toContainText(
    "not an XLSX workbook (not a zip archive); save it as .xlsx or .csv");
  await page.goto("about:blank");
  await open(page, `#bids?date=${DATE}&lang=es`);
  await page.locator("#bids-sheet").setInputFiles(notBook);
  await expect(page.locator('[data-error-for="sheet"]')).toContainText(
    "no es un libro XLSX (no es un archivo zip); guárdelo como .xlsx o .csv");
});

test("a rate table: each facility checked as the CLI checks it, a bad row beside the field (both languages)", async ({ page }) => {
  const table = tempFile("table.csv", "facility,kind,average_daily_population,service,per_minute\n"
    + "Example County Jail,jail,640,audio,$0.30\nSmall Town Jail,jail,abc,audio,0.10\nLakeside Jail,jail,90,audio,0.05\n");
  // The CLI checks the same facilities (it exits 2 on the bad row: checked without it here).
  const good = tempFile("table.csv", "facility,kind,average_daily_population,service,per_minute\n"
    + "Example County Jail,jail,640,audio,$0.30\nLakeside Jail,jail,90,audio,0.05\n");
  const cli = cliJson("check", good, "--date", "2026-06-01");
  await open(page, "#check?date=2026-06-01");
  await page.locator("#check-sheet").setInputFiles(table);
  await expect(page.locator('[data-field="sheet.table"]')).toHaveText("2 facilities in table.csv");
  const results = cli.results.filter((r: any) => r.compliant !== undefined);
  expect(results.length).toBe(2);
  for (const [i, r] of results.entries()) {
    await expect(page.locator(`[data-field="sheet.verdict.${i}"]`)).toHaveText(r.compliant ? "Lawful: no violations." : /^Not lawful\. Violations: \d+\.$/);
  }
  await expect(page.locator("#check-sheet")).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator('[data-error-for="sheet"]')).toContainText("table.csv, row 3, column average_daily_population");

  // A new document (a hash change alone would not reload the page).
  await page.goto("about:blank");
  await open(page, "#check?date=2026-06-01&lang=es");
  await page.locator("#check-sheet").setInputFiles(table);
  await expect(page.locator('[data-field="sheet.table"]')).toHaveText("2 centros en table.csv");
  await expect(page.locator('[data-error-for="sheet"]')).toContainText("table.csv, fila 3, columna average_daily_population: celda C3:");
  await expect(page.locator('[data-error-for="sheet"]')).toContainText("no es un número entero");
});
