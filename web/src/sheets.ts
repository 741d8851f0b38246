// Spreadsheets (CSV, XLSX) of bids or rate tables, read by the core's sheet reader
// (web/sheets: `callcap::sheet`, every cell checked there) in a module of its own, loaded only
// when such a file is first opened: web/pkg-sheets for CSV, web/pkg-xlsx for XLSX (calamine,
// much larger: web/README.md, Budgets). It gives each tariff back as TOML, which the page hands
// to its main module like any tariff file; the errors name the sheet, row and column.
import { t, tm } from "./i18n";

/** An error of a sheet (web/sheets/src/lib.rs, `CellError`). */
export interface SheetError {
  message: string;
  sheet: string | null;
  row: number | null;
  column: string | null;
  reason: string;
}

/** What a sheet gave (web/sheets/src/lib.rs, `SheetRead`). */
export interface SheetRead {
  tariffs: { file: string; toml: string }[];
  errors: SheetError[];
}

type Reader = (file: string, bytes: Uint8Array, layout: string) => SheetRead;

const readers = new Map<"csv" | "xlsx", Promise<Reader>>();

/** The reader for a kind of file, loaded and started the first time it is needed. */
function reader(kind: "csv" | "xlsx"): Promise<Reader> {
  let r = readers.get(kind);
  if (!r) {
    r = (kind === "xlsx"
      ? import("../pkg-xlsx/callcap_xlsx.js").then(async (m) => { await m.default(); return m.readSheet as Reader; })
      : import("../pkg-sheets/callcap_sheets.js").then(async (m) => { await m.default(); return m.readSheet as Reader; }));
    r.catch(() => readers.delete(kind));
    readers.set(kind, r);
  }
  return r;
}

/** Whether a file is a spreadsheet the page reads (by its name, as the core decides). */
export function isSheet(name: string): boolean {
  return /\.(csv|xlsx)$/i.test(name);
}

/** Reads a chosen file as bids or as a rate table. */
export async function readSheet(file: File, layout: "bids" | "table"): Promise<SheetRead> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const read = await reader(/\.xlsx$/i.test(file.name) ? "xlsx" : "csv");
  return read(file.name, bytes, layout);
}

/** A sheet's error in the page's words: where it is (sheet, row, column), then what is wrong. */
export function sheetError(e: SheetError): string {
  if (e.row === null) return tm(e.reason);
  const where = e.column
    ? t("sheet.where.column", { sheet: e.sheet ?? "", row: e.row, column: e.column })
    : t("sheet.where", { sheet: e.sheet ?? "", row: e.row });
  return `${where}: ${tm(e.reason)}`;
}
