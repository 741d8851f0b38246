// Check a tariff: paste or open a TOML tariff, or pick an example → findings with citations.
// Or open a rate table (CSV, XLSX): every facility checked, every bad row said.
import { check, type CheckResult, type Operator } from "../core";
import { entered } from "../entered";
import { isSheet, readSheet, sheetError, type SheetError } from "../sheets";
import type { Ctx, SectionView } from "../context";
import { h, fill } from "../dom";
import { exampleTariffs, exampleText } from "../examples";
import { t, tm } from "../i18n";
import { errorLine, lineRange } from "../present";
import {
  clearFieldErrors, dateField, errorBox, fileErrors, findingsList, judgedUnder, placeFields, readChosenFile, rulesDate,
  selectField, showFieldError,
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
  area.addEventListener("input", () => { entered.table = null; ctx.update((s) => { s.check.text = area.value; s.check.example = ""; }); });
  const file = h("input", { type: "file", id: "check-file", accept: ".toml,.csv,.xlsx,text/plain", class: "file-input",
    "aria-describedby": "check-file-hint" });
  file.addEventListener("change", async () => {
    const f = file.files?.[0];
    if (!f) return;
    if (isSheet(f.name)) {
      // A rate table: read by the core's sheet reader (loaded now, the first time); each of its
      // facilities is checked as a tariff, each bad row said, under this field and with the results.
      fileErrors(file, [t("sheet.reading")]);
      const read = await readSheet(f, "table");
      fileErrors(file, read.errors.length ? [t("check.table.errors", { n: read.errors.length })] : []);
      entered.table = { file: f.name, tariffs: read.tariffs.map((x) => ({ file: x.file, text: x.toml })), errors: read.errors };
      file.value = "";
      ctx.update(() => {});
      return;
    }
    const text = await readChosenFile(f, file);
    if (text === null) return;
    area.value = text;
    fileName = f.name;
    entered.table = null;
    ctx.update((s) => { s.check.text = area.value; s.check.example = ""; });
  });
  let fileName = "";
  let run = 0;

  const goToLine = (line: number) => {
    const [a, b] = lineRange(area.value, line);
    area.focus();
    area.setSelectionRange(a, b);
  };

  const form = h("form", { class: "form", "aria-labelledby": "h-check", onsubmit: (e: Event) => e.preventDefault() },
    selectField(t("field.example"), ctx.state.check.example,
      [["", t("field.example.none")], ...exampleTariffs.map((e): [string, string] => [e.name, e.name])],
      (v) => { entered.table = null; ctx.update((s) => { s.check.example = v; if (v) s.check.text = ""; }); }),
    h("div", { class: "field" }, h("label", { for: "check-file" }, t("check.open")),
      h("p", { class: "hint", id: "check-file-hint" }, t("check.open.hint")), file),
    h("div", { class: "field" },
      h("label", { for: "check-toml" }, t("check.toml")),
      h("p", { class: "hint", id: "check-toml-hint" }, t("check.toml.hint")),
      area),
    h("div", { class: "buttons" },
      h("button", { type: "button", class: "button-small", onclick: () => {
        area.value = TEMPLATE;
        entered.table = null;
        ctx.update((s) => { s.check.text = TEMPLATE; s.check.example = ""; });
      } }, t("check.template"))),
    // Where the facility is, when the tariff does not say (each part given replaces the tariff's).
    placeFields(ctx.state.check, (part, v) => ctx.update((s) => (s.check[part] = v)), t("place.hint.tariff")),
    dateField(t("field.date"), ctx.date(), (v) => ctx.update((s) => (s.date = v)), t("field.date.hint")));

  async function compute(): Promise<void> {
    const mine = ++run;
    if (entered.table) {
      renderTable(entered.table.file, entered.table.tariffs, entered.table.errors);
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

  /** A rate table's results: its bad rows, then each facility's verdict and findings. */
  function renderTable(name: string, tariffs: { file: string; text: string }[], tableErrors: SheetError[]): void {
    const c = ctx.state.check;
    const parts = tariffs.map((x) => ({ x, r: check(ctx.date(), x.file, x.text, c.state, c.operator as Operator | "", c.county) }));
    const bad = parts.filter((p) => !p.r.ok);
    const over = parts.filter((p) => p.r.ok && !p.r.value.compliant).length;
    fill(results,
      h("div", { class: "summary" },
        rulesDate(ctx.date()),
        h("p", { class: "summary-label", "data-field": "table" }, t("check.table", { n: tariffs.length, file: name })),
        // Not "lawful" in green while rows went unread: what was not read was not judged.
        h("p", { class: over ? "verdict verdict-bad" : tableErrors.length || bad.length ? "verdict verdict-info" : "verdict verdict-good",
          "data-field": "table-verdict" }, t("check.table.over", { n: over })),
        judgedUnder(ctx.date()),
        h("button", { type: "button", class: "button-small", onclick: () => { entered.table = null; fileErrors(file, []); ctx.update(() => {}); } },
          t("check.table.clear"))),
      tableErrors.length || bad.length ? h("div", { class: "error-box", "data-field": "table-errors" },
        h("p", {}, t("check.table.errors", { n: tableErrors.length + bad.length })),
        h("ul", {}, tableErrors.map((e) => h("li", {}, sheetError(e))),
          bad.map((p) => h("li", {}, p.r.ok ? "" : tm(p.r.error))))) : null,
      parts.map(({ x, r }) => r.ok ? h("section", { class: "table-result", "data-facility": x.file },
        h("h3", {}, r.value.file),
        r.value.compliant
          ? h("p", { class: "verdict verdict-good", "data-field": "compliant" }, t("check.ok"))
          : h("p", { class: "verdict verdict-bad", "data-field": "compliant" }, t("check.bad", { n: count(r.value) })),
        findingsList(r.value.findings),
        h("details", { class: "built" }, h("summary", {}, t("sheet.written")), h("pre", { class: "code" }, x.text))) : null));
    ctx.announce(`${t("check.table", { n: tariffs.length, file: name })}. ${t("check.table.over", { n: over })}`);
  }

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
