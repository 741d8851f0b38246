// Compare bids: what each bid costs families a year, what the county receives, whether it is
// lawful now and at every rule change in its term; a chart, a CSV file and a print view for a
// public meeting. Every figure is the core's (`compare`).
import {
  compareBids, compareCsv, regime, type BidError, type BidResult, type Comparison, type DatedCompliance, type Demand,
  type TomlText,
} from "../core";
import type { Ctx, SectionView } from "../context";
import { h, fill } from "../dom";
import { exampleBids, exampleText } from "../examples";
import { longDate, money, quantity } from "../format";
import { lang, t, tm, word } from "../i18n";
import { groupedBars } from "../chart";
import { entered } from "../entered";
import { bidForm } from "./bidForm";
import { readSheet } from "../core";
import {
  clearFieldErrors, dateField, errorBox, findingsList, judgedUnder, readChosenBytes, readChosenFile, rulesDate, showFieldError,
  showSheetErrors, showSheetFileError, textField,
} from "../ui";

/** Bids opened from files or pasted: kept for the session, carried by the share link (entered.ts). */
const ownBids = entered.bids;

export function bidsSection(ctx: Ctx): SectionView {
  const results = h("div", { class: "results results-wide", id: "bids-results" });
  const list = h("ul", { class: "bid-list", "aria-label": t("bids.list") });
  let demand: TomlText | null = entered.demand;
  let last: { args: Parameters<typeof compareCsv>; result: Comparison } | null = null;
  let run = 0;
  /** The core's error about each bid it could not compare, by the bid (its file name for an example). */
  let errors = new Map<TomlText | string, BidError>();

  /** A bid's error, beside it: its line and key for pasted text, else the core's message. */
  const errorOf = (key: TomlText | string, pasted: boolean) => {
    const e = errors.get(key);
    if (!e) return null;
    const text = pasted && e.line ? `${t("findings.line", { line: e.line })}: ${e.key ? `${e.key}: ` : ""}${tm(e.reason)}` : tm(e.message);
    return h("p", { class: "field-error bid-error", role: "alert" }, text);
  };

  const refreshList = () => {
    const examples = exampleBids.filter((e) => ctx.state.bids.examples.includes(e.name));
    fill(list,
      examples.map((e) => h("li", {},
        h("span", { class: "bid-name" }, e.name), " ",
        h("span", { class: "tag" }, t("bids.example")),
        errorOf(e.path, false),
        h("button", { type: "button", class: "button-small",
          "aria-label": t("bids.remove.named", { name: e.name }),
          onclick: () => { ctx.update((s) => (s.bids.examples = s.bids.examples.filter((n) => n !== e.name))); refreshList(); } },
          t("bids.remove")))),
      ownBids.map((b, i) => h("li", {},
        h("span", { class: "bid-name" }, b.file),
        errorOf(b, b.pasted),
        h("button", { type: "button", class: "button-small",
          "aria-label": t("bids.remove.named", { name: b.file }),
          onclick: () => { ownBids.splice(i, 1); ctx.update(() => {}); refreshList(); } },
          t("bids.remove")))),
      examples.length + ownBids.length === 0 ? h("li", { class: "muted" }, t("bids.empty")) : null);
  };

  const file = h("input", { type: "file", id: "bids-file", accept: ".toml,text/plain", multiple: true, class: "file-input" });
  file.addEventListener("change", async () => {
    for (const f of Array.from(file.files ?? [])) {
      const text = await readChosenFile(f, file);
      if (text !== null) ownBids.push({ file: f.name, text, pasted: false });
    }
    file.value = "";
    refreshList();
    ctx.update(() => {});
  });
  // A spreadsheet of bids: read by the core in the spreadsheet module (loaded when first used);
  // each bid joins the bids entered, its errors go under this field with their row and column.
  const sheet = h("input", { type: "file", id: "bids-sheet", accept: ".csv,.xlsx", class: "file-input", "data-input": "sheet",
    "aria-describedby": "bids-sheet-hint" });
  const sheetStatus = h("p", { class: "muted", role: "status", "data-field": "sheet.status" });
  sheet.addEventListener("change", async () => {
    const f = sheet.files?.[0];
    if (!f) return;
    clearFieldErrors(form);
    const bytes = await readChosenBytes(f, sheet);
    if (!bytes) return;
    sheetStatus.textContent = t("sheet.loading");
    const r = await readSheet("bids", f.name, bytes);
    sheet.value = "";
    sheetStatus.textContent = "";
    if (!r.ok) {
      showSheetFileError(form, f.name, r);
      ctx.announce(t("error.title"));
      return;
    }
    if (r.value.errors.length) {
      showSheetErrors(form, r.value.sheet, r.value.errors);
      ctx.announce(t("error.title"));
      return;
    }
    for (const b of r.value.tariffs) ownBids.push({ file: b.file, text: b.text, pasted: false });
    sheetStatus.textContent = t("sheet.added", { n: r.value.tariffs.length, sheet: r.value.sheet });
    refreshList();
    ctx.update(() => {});
  });
  const paste = h("textarea", { id: "bids-paste", class: "input code", rows: 8, spellcheck: "false" });
  const demandArea = h("textarea", { id: "bids-demand", class: "input code", rows: 10, spellcheck: "false" });
  demandArea.value = demand?.text ?? ctx.book.demand.text;
  demandArea.addEventListener("input", () => {
    demand = demandArea.value === ctx.book.demand.text ? null : { file: t("bids.demand.file"), text: demandArea.value };
    entered.demand = demand;
    ctx.update(() => {});
  });

  const form = h("form", { class: "form form-panel", "aria-labelledby": "h-bids", onsubmit: (e: Event) => e.preventDefault() },
    h("fieldset", { class: "panel-main" },
      h("legend", {}, t("bids.bids")),
      list,
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "button", onclick: () => {
          ctx.update((s) => (s.bids.examples = exampleBids.map((e) => e.name)));
          refreshList();
        } }, t("bids.load"))),
      h("div", { class: "field" }, h("label", { for: "bids-file" }, t("bids.open")), file),
      h("div", { class: "field" },
        h("label", { for: "bids-sheet" }, t("sheet.bids")),
        h("p", { class: "hint", id: "bids-sheet-hint" }, t("sheet.bids.hint")),
        sheet, sheetStatus),
      h("details", { class: "bid-form-details" },
        h("summary", {}, t("bidform.title")),
        h("p", { class: "hint" }, t("bidform.hint")),
        bidForm(ctx.date, (bid) => { ownBids.push(bid); refreshList(); ctx.update(() => {}); }, ctx.announce)),
      h("details", {},
        h("summary", {}, t("bids.paste")),
        h("div", { class: "field" }, h("label", { for: "bids-paste" }, t("bids.paste.label")), paste),
        h("button", { type: "button", class: "button", onclick: () => {
          if (!paste.value.trim()) return;
          ownBids.push({ file: t("bids.pasted.file", { n: ownBids.length + 1 }), text: paste.value, pasted: true });
          paste.value = "";
          refreshList();
          ctx.update(() => {});
        } }, t("bids.paste.add")))),
    h("div", { class: "panel-side" },
    textField(t("bids.adp"), ctx.state.bids.adp, (v) => ctx.update((s) => (s.bids.adp = v)),
      { inputmode: "numeric", width: "short", hint: t("bids.adp.hint"), field: "adp" }),
    dateField(t("field.date"), ctx.date(), (v) => ctx.update((s) => (s.date = v)), t("bids.date.hint")),
    h("details", {},
      h("summary", {}, t("bids.demand")),
      h("p", { class: "hint" }, t("bids.demand.hint")),
      h("div", { class: "field" }, h("label", { for: "bids-demand" }, t("bids.demand.label")), demandArea),
      h("button", { type: "button", class: "button-small", onclick: () => {
        demandArea.value = ctx.book.demand.text; demand = null; entered.demand = null; ctx.update(() => {});
      } }, t("bids.demand.reset")))));
  refreshList();

  function downloadCsv(): void {
    if (!last) return;
    // The core writes the CSV (the same file as `callcap compare --format csv`).
    const csv = compareCsv(...last.args);
    if (!csv.ok) return;
    const blob = new Blob([csv.value], { type: "text/csv;charset=utf-8" });
    const a = h("a", { href: URL.createObjectURL(blob), download: `callcap-bids-${last.result.date}.csv` });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function compute(): Promise<void> {
    const mine = ++run;
    const examples = exampleBids.filter((e) => ctx.state.bids.examples.includes(e.name));
    const bids: TomlText[] = [];
    for (const e of examples) bids.push({ file: e.path, text: await exampleText(e) });
    if (mine !== run) return;
    bids.push(...ownBids);
    if (bids.length === 0) {
      last = null;
      fill(results, h("p", { class: "muted" }, t("bids.none")));
      return;
    }
    const args: Parameters<typeof compareBids> = [ctx.date(), bids.map((b) => b.file), bids.map((b) => b.text),
      demand?.file, demand?.text, ctx.state.bids.adp];
    const r = compareBids(...args);
    if (!r.ok) {
      last = null;
      errors = new Map();
      refreshList();
      fill(results, showFieldError(form, r.field, r.error) ? h("p", { class: "muted" }, t("error.field")) : errorBox(tm(r.error)));
      ctx.announce(t("error.title"));
      return;
    }
    clearFieldErrors(form);
    // A bid the core could not compare shows its error beside it; the others are compared.
    const keys = [...examples.map((e): TomlText | string => e.path), ...ownBids];
    errors = new Map(r.value.errors.map((e) => [keys[e.index], e]));
    refreshList();
    const c = r.value.comparison;
    if (!c) {
      last = null;
      fill(results, h("p", { class: "muted" }, t("bids.allbad")));
      ctx.announce(t("bids.allbad"));
      return;
    }
    const good = bids.filter((_, i) => !r.value.errors.some((e) => e.index === i));
    last = { args: [args[0], good.map((b) => b.file), good.map((b) => b.text), args[3], args[4], args[5]], result: c };
    fill(results, ...render(c, r.value.facilities));
    ctx.announce(t("bids.announce", { n: c.bids.length }));
  }

  /**
   * The day a bid is judged on: the comparison date when it is in force then, else its first
   * day (the core judges both: DatedCompliance). Dates are YYYY-MM-DD, so they compare as text.
   */
  const judgedOn = (b: BidResult, date: string): DatedCompliance | undefined =>
    date < b.start ? b.compliance.find((d) => d.date === b.start) : b.compliance.find((d) => d.date === date);

  function verdict(b: BidResult, date: string): HTMLElement {
    const d = judgedOn(b, date);
    const said = !d ? h("span", {}, "—")
      : d.compliant ? h("span", { class: "verdict-inline good" }, t("bids.compliant"))
        : h("span", { class: "verdict-inline bad" }, t("bids.violations", { n: d.violations }));
    // Not in force on the comparison date: said, and judged from its start.
    return date < b.start
      ? h("span", { "data-not-in-force": "true" }, t("bids.notyet", { start: longDate(b.start, lang()) }), " ", said)
      : said;
  }

  /** What "a year" assumes: the demand the core priced the bids under, in words. */
  function demandTable(d: Demand): HTMLElement {
    const per = d.deposits.per_person_per_month;
    return h("details", { class: "demand", "data-field": "demand" },
      h("summary", {}, t("bids.assumes")),
      h("p", { class: "muted" }, t("bids.demand.used", { file: tm(d.file) })),
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("bids.assumes") },
        h("table", { class: "data" },
          h("caption", {}, t("bids.assumes.calls")),
          h("thead", {}, h("tr", {}, [t("caps.col.call"), t("bids.assumes.minutes"), t("bids.assumes.length")]
            .map((x) => h("th", { scope: "col" }, x)))),
          h("tbody", {}, d.calls.map((c) => h("tr", {},
            h("th", { scope: "row" }, `${word("service", c.call.service)} · ${word("jurisdiction", c.call.jurisdiction)} · ${word("payment", c.call.payment)}`),
            h("td", { "data-label": t("bids.assumes.minutes") }, quantity(c.minutes_per_person_per_month)),
            h("td", { "data-label": t("bids.assumes.length") }, t("bids.assumes.each", { minutes: c.minutes_per_call }))))))),
      h("p", {}, t("bids.assumes.deposits", {
        amount: money(d.deposits.amount),
        per: per === null ? t("bids.assumes.asneeded") : t("bids.assumes.per", { n: quantity(per) }),
        methods: d.deposits.methods.map((m) => `${word("method", m.kind)} ${quantity(m.share)}%`).join(", "),
      })));
  }

  /** A regime by its name (the core's id is not for readers). */
  const regimeName = (date: string) => {
    const r = regime(date);
    return r.ok && r.value ? tm(r.value.name) : null;
  };

  function render(c: Comparison, facilities: (string | null)[]): (HTMLElement | null)[] {
    const cols = c.bids;
    const names = [...new Set(facilities.filter((f): f is string => !!f))];
    const row = (label: string, cell: (b: BidResult) => Node | string, cls = "", field?: string) =>
      h("tr", { class: cls }, h("th", { scope: "row" }, label),
        cols.map((b, i) => h("td", { "data-field": field ? `${field}.${i}` : undefined }, cell(b))));
    return [
      h("div", { class: "actions no-print" },
        h("button", { type: "button", class: "button", onclick: downloadCsv }, t("bids.csv")),
        h("button", { type: "button", class: "button", onclick: () => window.print() }, t("bids.print"))),
      rulesDate(c.date),
      names.length ? h("p", { class: "facility-name", "data-field": "facility" }, names.join(" · ")) : null,
      h("h3", { class: "print-title" }, t("bids.result.title", { n: cols.length })),
      demandTable(c.demand),
      h("figure", { class: "figure" },
        h("figcaption", {}, t("bids.chart")),
        h("p", { class: "legend", "aria-hidden": "true" },
          h("span", { class: "swatch fill-1" }), t("bids.chart.families"), "  ",
          h("span", { class: "swatch fill-2" }), t("bids.chart.county")),
        groupedBars(cols.map((b) => ({
          name: b.name,
          bars: [
            { label: t("bids.chart.families"), amount: b.annual_family_cost, cls: "fill-1" },
            { label: t("bids.chart.county"), amount: b.annual_commission, cls: "fill-2" },
          ],
        })), ctx.chartWidth(results), t("bids.chart.label", {
          list: cols.map((b) => `${b.name}: ${money(b.annual_family_cost)} / ${money(b.annual_commission)}`).join("; "),
        }))),
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("bids.table") },
        h("table", { class: "compare" },
          h("caption", {}, t("bids.table")),
          h("thead", {}, h("tr", {}, h("td", {}), cols.map((b) => h("th", { scope: "col" }, b.name)))),
          h("tbody", {},
            row(t("bids.row.verdict", { date: longDate(c.date, lang()) }), (b) => verdict(b, c.date), "", "verdict"),
            row(t("bids.row.term"), (b) => t("bids.term", { start: longDate(b.start, lang()), end: longDate(b.end, lang()), years: b.term_years })),
            row(t("bids.row.adp"), (b) => quantity(b.average_daily_population)),
            row(t("bids.row.family"), (b) => money(b.annual_family_cost), "strong", "annual_family_cost"),
            row(t("bids.row.calls"), (b) => money(b.annual_call_charges), "sub", "annual_call_charges"),
            row(t("bids.row.fees"), (b) => money(b.annual_fees), "sub", "annual_fees"),
            row(t("bids.row.taxes"), (b) => money(b.annual_taxes), "sub", "annual_taxes"),
            row(t("bids.row.commission"), (b) => money(b.annual_commission), "strong", "annual_commission"),
            row(t("bids.row.percent"), (b) => money(b.commission_breakdown.percent_of_revenue), "sub"),
            row(t("bids.row.perminute"), (b) => money(b.commission_breakdown.per_minute), "sub"),
            row(t("bids.row.guarantee"), (b) => money(b.commission_breakdown.guarantee_top_up), "sub"),
            row(t("bids.row.bonus"), (b) => money(b.commission_breakdown.signing_bonus_per_year), "sub"),
            row(t("bids.row.inkind"), (b) => money(b.commission_breakdown.in_kind_per_year), "sub"),
            row(t("bids.row.minutes"), (b) => quantity(b.annual_minutes)),
            row(t("bids.row.ppm"), (b) => money(b.effective_per_minute), "", "effective_per_minute"),
            (["local", "intrastate", "interstate", "international"] as const).map((j) =>
              row(t("bids.row.call15", { where: word("jurisdiction", j) }), (b) => {
                const p = b.family_cost_per_15_min_call[j];
                return p ? money(p) : t("bids.notoffered");
              }, "", `call15.${j}`)),
            row(t("bids.row.later"), (b) => h("ul", { class: "timeline" },
              // Only the days the bid is in force.
              b.compliance.filter((d) => d.date >= b.start).map((d) => h("li", { class: d.compliant ? "good" : "bad" },
                h("span", {}, longDate(d.date, lang())), ": ",
                d.compliant ? t("bids.compliant") : t("bids.violations", { n: d.violations }),
                d.regime ? h("span", { class: "muted" }, ` (${regimeName(d.date) ?? ""})`) : null))))))),
      judgedUnder(c.date) ?? h("span"),
      h("p", { class: "muted" }, t("bids.judged")),
      h("h3", {}, t("findings.title")),
      ...cols.map((b) => h("details", { class: "bid-findings" },
        h("summary", {}, b.name, " — ", verdict(b, c.date)),
        findingsList(judgedOn(b, c.date)?.findings ?? b.findings),
        b.notes.length ? h("ul", { class: "notes" }, b.notes.map((n) => h("li", {}, tm(n)))) : null)),
    ];
  }

  const el = h("section", { class: "section", id: "bids", "aria-labelledby": "h-bids" },
    h("div", { class: "section-head" },
      h("h2", { id: "h-bids", tabindex: "-1" }, t("bids.title")),
      h("p", { class: "lede" }, t("bids.lede"))),
    form, results);
  return { el, compute };
}
