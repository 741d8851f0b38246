// Check a tariff: paste or open a TOML tariff, or pick an example → findings with citations.
import { check, readSheet, type CheckResult, type Operator, type SheetRead } from "../core";
import type { Ctx, SectionView } from "../context";
import { h, fill } from "../dom";
import { exampleTariffs, exampleText } from "../examples";
import { t, tm } from "../i18n";
import { errorLine, lineRange } from "../present";
import {
  clearFieldErrors, dateField, errorBox, findingsList, judgedUnder, placeFields, readChosenBytes, readChosenFile, rulesDate,
  selectField, showFieldError, showSheetErrors, showSheetFileError,
} from "../ui";

const TEMPLATE = `[facility]
name = "Example County Jail"
kind = "jail"
average_daily_population = 640

[provider]
name = "Example Communications"

[[rate]]
service = "audio"
per_minute = "0.14"

[[fee]]
kind = "automated_payment"
amount = "0.00"
`;

export function checkSection(ctx: Ctx): SectionView {
  const results = h("div", { class: "results", id: "check-results" });
  const area = h("textarea", { id: "check-toml", class: "input code", rows: 18, spellcheck: "false",
    "aria-describedby": "check-toml-hint" });
  area.value = ctx.state.check.text;
  area.addEventListener("input", () => { table = null; ctx.update((s) => { s.check.text = area.value; s.check.example = ""; }); });
  const file = h("input", { type: "file", id: "check-file", accept: ".toml,text/plain", class: "file-input" });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    const text = await readChosenFile(f, file);
    if (text === null) return;
    area.value = text;
    fileName = f.name;
    ctx.update((s) => { s.check.text = area.value; s.check.example = ""; });
  });
  let fileName = "";
  let run = 0;
  // A rate table opened as a spreadsheet: each facility the core read is checked (kept for the
  // session; a tariff chosen or typed replaces it).
  let table: SheetRead | null = null;
  const sheet = h("input", { type: "file", id: "check-sheet", accept: ".csv,.xlsx", class: "file-input", "data-input": "sheet",
    "aria-describedby": "check-sheet-hint" });
  const sheetStatus = h("p", { class: "muted", role: "status" });
  sheet.addEventListener("change", async () => {
    const f = sheet.files?.[0];
    if (!f) return;
    clearFieldErrors(form);
    const bytes = await readChosenBytes(f, sheet);
    if (!bytes) return;
    sheetStatus.textContent = t("sheet.loading");
    const r = await readSheet("rates", f.name, bytes);
    sheet.value = "";
    sheetStatus.textContent = "";
    if (!r.ok) {
      table = null;
      showSheetFileError(form, f.name, r);
      ctx.announce(t("error.title"));
      return;
    }
    table = r.value;
    void compute();
  });

  const goToLine = (line: number) => {
    const [a, b] = lineRange(area.value, line);
    area.focus();
    area.setSelectionRange(a, b);
  };

  const form = h("form", { class: "form", "aria-labelledby": "h-check", onsubmit: (e: Event) => e.preventDefault() },
    selectField(t("field.example"), ctx.state.check.example,
      [["", t("field.example.none")], ...exampleTariffs.map((e): [string, string] => [e.name, e.name])],
      (v) => { table = null; ctx.update((s) => { s.check.example = v; if (v) s.check.text = ""; }); }),
    h("div", { class: "field" }, h("label", { for: "check-file" }, t("field.open")), file),
    h("div", { class: "field" },
      h("label", { for: "check-sheet" }, t("sheet.rates")),
      h("p", { class: "hint", id: "check-sheet-hint" }, t("sheet.rates.hint")),
      sheet, sheetStatus),
    h("div", { class: "field" },
      h("label", { for: "check-toml" }, t("check.toml")),
      h("p", { class: "hint", id: "check-toml-hint" }, t("check.toml.hint")),
      area),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "button-small", onclick: () => {
        area.value = TEMPLATE;
        ctx.update((s) => { s.check.text = TEMPLATE; s.check.example = ""; });
      } }, t("check.template"))),
    // Where the facility is, when the tariff does not say (each part given replaces the tariff's).
    placeFields(ctx.state.check, (part, v) => ctx.update((s) => (s.check[part] = v)), t("place.hint.tariff")),
    dateField(t("field.date"), ctx.date(), (v) => ctx.update((s) => (s.date = v)), t("field.date.hint")));

  /** Each facility of the rate table, checked; the rows the core could not read under the field. */
  function computeTable(tbl: SheetRead): void {
    clearFieldErrors(form);
    showSheetErrors(form, tbl.sheet, tbl.errors);
    const checked = tbl.tariffs.map((x) => ({ x, r: check(ctx.date(), x.file, x.text) }));
    fill(results,
      h("div", { class: "summary" },
        rulesDate(ctx.date()),
        h("p", { class: "summary-label", "data-field": "sheet.table" }, t("sheet.table", { n: tbl.tariffs.length, sheet: tbl.sheet })),
        tbl.errors.length ? h("p", { class: "verdict verdict-bad", "data-field": "sheet.bad" }, t("sheet.table.bad", { n: tbl.errors.length })) : null,
        judgedUnder(ctx.date())),
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("sheet.table", { n: tbl.tariffs.length, sheet: tbl.sheet }) },
        h("table", { class: "data" },
          h("thead", {}, h("tr", {}, [t("sheet.col.facility"), t("sheet.col.verdict")].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, checked.map(({ x, r }, i) => h("tr", {},
            h("th", { scope: "row" }, x.file),
            h("td", { "data-field": `sheet.verdict.${i}` }, !r.ok ? tm(r.error)
              : r.value.compliant ? t("check.ok") : t("check.bad", { n: count(r.value) }))))))),
      ...checked.map(({ x, r }) => r.ok && r.value.findings.length ? h("details", { class: "sheet-findings" },
        h("summary", {}, x.file), findingsList(r.value.findings)) : null),
      h("button", { type: "button", class: "button-small", onclick: () => { table = null; void compute(); } }, t("sheet.clear")));
    ctx.announce(t("sheet.table", { n: tbl.tariffs.length, sheet: tbl.sheet }));
  }

  async function compute(): Promise<void> {
    const mine = ++run;
    if (table) {
      computeTable(table);
      return;
    }
    const example = exampleTariffs.find((e) => e.name === ctx.state.check.example);
    let file = fileName || t("check.pasted.file");
    let text = ctx.state.check.text;
    if (example) {
      text = await exampleText(example);
      file = example.path;
      if (mine !== run) return;
      if (area.value !== text) area.value = text;
    }
    if (!text.trim()) {
      fill(results, h("p", { class: "muted" }, t("check.empty")));
      return;
    }
    const c = ctx.state.check;
    const r = check(ctx.date(), file, text, c.state, c.operator as Operator | "", c.county);
    if (!r.ok) {
      if (showFieldError(form, r.field === "tariff" ? undefined : r.field, r.error)) {
        fill(results, h("p", { class: "muted" }, t("error.field")));
      } else {
        // Pasted text has no file name of its own: its line and key say where the error is.
        const where = file === t("check.pasted.file") && r.line && r.reason
          ? `${t("findings.line", { line: r.line })}: ${r.key ? `${r.key}: ` : ""}${tm(r.reason)}` : tm(r.error);
        fill(results, errorBox(where, goToLine, r.line ?? errorLine(r.error)));
      }
      ctx.announce(t("error.title"));
      return;
    }
    clearFieldErrors(form);
    fill(results, ...render(r.value));
    ctx.announce(r.value.compliant ? t("check.ok") : t("check.bad", { n: count(r.value) }));
  }

  const count = (r: CheckResult) => r.findings.filter((f) => f.severity === "violation").length;

  function render(r: CheckResult): HTMLElement[] {
    return [
      h("div", { class: "summary" },
        rulesDate(ctx.date()),
        h("p", { class: "summary-label" }, r.file),
        r.compliant
          ? h("p", { class: "verdict verdict-good", "data-field": "compliant" }, t("check.ok"))
          : h("p", { class: "verdict verdict-bad", "data-field": "compliant" }, t("check.bad", { n: count(r) })),
        judgedUnder(ctx.date())),
      h("h3", {}, t("findings.title")),
      findingsList(r.findings, goToLine),
    ];
  }

  const el = h("section", { class: "section", id: "check", "aria-labelledby": "h-check" },
    h("div", { class: "section-head" },
      h("h2", { id: "h-check", tabindex: "-1" }, t("check.title")),
      h("p", { class: "lede" }, t("check.lede"))),
    h("div", { class: "columns" }, form, results));
  return { el, compute };
}
