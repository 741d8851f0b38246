// My calls: a family's month — what it costs, where the money goes, the legal maximum, the
// overcharge, with the rule's citation. Every figure is the core's (`estimate`).
import {
  amount, callPrice, estimate, fullReady, loadFull, type Bad, type CallPrice, type EstimateResult, type FacilityKind, type FeeKind, type Field,
  type Jurisdiction, type Operator,
  type Outcome, type Payment, type Service,
} from "../core";
import type { Ctx, SectionView } from "../context";
import { h, fill } from "../dom";
import { exampleTariffs, exampleText } from "../examples";
import { money, quantity } from "../format";
import { lang, t, tm, word } from "../i18n";
import { stackedBar } from "../chart";
import { complaints, whatToDo } from "../complaints";
import { tariffFromPrices } from "../tomlForm";
import { chosenArgs, filledFrom, finder, sizeWords, tierMonths } from "../finder";
import { NONE_CHOSEN } from "../state";
import { errorLine, lineRange } from "../present";
import {
  citation, clearFieldErrors, dateField, errorBox, findingsList, placeFields, radioGroup, readChosenFile, rulesDate,
  selectField, setBy, showFieldError, textField, words,
} from "../ui";

const SERVICES = ["audio", "video"];
const JURISDICTIONS = ["local", "intrastate", "interstate", "international"];
const PAYMENTS = ["prepaid", "debit", "collect"];
const METHODS = ["automated_payment", "live_agent"];

/** The field of "my provider's prices" each key of the tariff the page writes comes from. */
const PRICE_KEYS: Record<string, Field> = {
  "[[rate]] per_minute": "per_minute",
  "[[rate]] per_call": "per_call",
  "[[fee]] amount": "fee",
  "[facility] average_daily_population": "adp",
  "[facility] kind": "facility",
};

/** Money as typed, read by the core in the page's language ("" stays ""). */
function typed(text: string, field: Field): Outcome<string> {
  return text.trim() === "" ? { ok: true, value: "" } : amount(text, lang(), field);
}

export function callsSection(ctx: Ctx): SectionView {
  const s = () => ctx.state.calls;
  const set = (f: (c: Ctx["state"]["calls"]) => void) => ctx.update((st) => f(st.calls));
  const results = h("div", { class: "results", id: "calls-results", tabindex: "-1" });
  // On a phone the results are below the form: a bar at the bottom keeps the total in view.
  const quick = h("div", { class: "quick-total no-print" });
  const seeResults = () => {
    results.scrollIntoView({ block: "start" });
    results.focus({ preventScroll: true });
  };
  const showQuick = (text: string) => fill(quick, h("span", {}, text),
    h("button", { type: "button", class: "link-button quick-see", onclick: seeResults }, t("calls.quick.see")));
  const modeFields = h("div", { class: "mode-fields" });
  let textarea: HTMLTextAreaElement | null = null;
  let built = "";
  /** The price a minute the core made of a price per call, when the bill gives one. */
  let fromCall: { value: CallPrice } | null = null;
  let run = 0;

  const facilityFields = () => h("fieldset", {},
    h("legend", {}, t("calls.facility")),
    selectField(t("field.kind"), s().kind, words("kind", ["jail", "prison"]), (v) => set((c) => (c.kind = v)), undefined, "facility"),
    textField(t("field.adp"), s().adp, (v) => set((c) => (c.adp = v)),
      { hint: t("field.adp.hint"), inputmode: "numeric", width: "short", field: "adp" }));

  const priceSlot = h("div", { class: "price-by" });
  // The price as the bill shows it: a price a minute, or a price per call of some minutes
  // (which the core turns into a price a minute; the results say so).
  const showPriceBy = () => fill(priceSlot, s().priceBy === "call"
    ? h("div", { class: "row" },
      textField(t("field.callPrice"), s().callPrice, (v) => set((c) => (c.callPrice = v)),
        { inputmode: "decimal", width: "short", hint: t("field.callPrice.hint"), field: "call_price" }),
      textField(t("field.callMinutes"), s().callMinutes, (v) => set((c) => (c.callMinutes = v)),
        { inputmode: "numeric", width: "short", field: "call_minutes" }))
    : textField(t("field.perMinute"), s().perMinute, (v) => set((c) => (c.perMinute = v)),
      { inputmode: "decimal", width: "short", hint: t("field.perMinute.hint"), field: "per_minute" }));
  const priceFields = () => {
    showPriceBy();
    return h("fieldset", {},
      h("legend", {}, t("calls.prices")),
      h("p", { class: "hint" }, t("calls.prices.hint")),
      radioGroup(t("calls.priceby"), "calls-price-by", s().priceBy, [
        ["minute", t("calls.priceby.minute")],
        ["call", t("calls.priceby.call")],
      ], (v) => { set((c) => (c.priceBy = v)); showPriceBy(); }),
      priceSlot,
      textField(t("field.perCall"), s().perCall, (v) => set((c) => (c.perCall = v)),
        { inputmode: "decimal", width: "short", hint: t("field.perCall.hint"), field: "per_call" }),
      textField(t("field.fee"), s().fee, (v) => set((c) => (c.fee = v)),
        { inputmode: "decimal", width: "short", hint: t("field.fee.hint"), field: "fee" }),
      textField(t("field.fee3"), s().fee3, (v) => set((c) => (c.fee3 = v)),
        { inputmode: "decimal", width: "short", hint: t("field.fee3.hint"), field: "fee_third_party" }));
  };

  const tariffFields = () => {
    const area = h("textarea", { id: "calls-toml", class: "input code", rows: 12, spellcheck: "false" });
    area.value = s().text;
    area.addEventListener("input", () => set((c) => { c.text = area.value; c.example = ""; }));
    textarea = area;
    const file = h("input", { type: "file", id: "calls-file", accept: ".toml,text/plain", class: "file-input" });
    file.addEventListener("change", async () => {
      const f = file.files?.[0];
      if (!f) return;
      const text = await readChosenFile(f, file);
      if (text === null) return;
      area.value = text;
      set((c) => { c.text = text; c.example = ""; });
    });
    return h("fieldset", {},
      h("legend", {}, t("calls.tariff")),
      selectField(t("field.example"), s().example,
        [["", t("field.example.none")], ...exampleTariffs.map((e): [string, string] => [e.name, e.name])],
        (v) => set((c) => { c.example = v; if (v) c.text = ""; }), t("field.example.hint")),
      h("div", { class: "field" }, h("label", { for: "calls-file" }, t("field.open")), file),
      h("div", { class: "field" }, h("label", { for: "calls-toml" }, t("field.paste")), area));
  };

  // A facility chosen in the directory fills the form's fields (the core fills and sizes it).
  const choose = (e: Parameters<Parameters<typeof finder>[1]>[0]) => {
    set((c) => {
      if (e) Object.assign(c, filledFrom(e, c.kind));
      else Object.assign(c, NONE_CHOSEN);
    });
    showMode();
  };

  const showMode = () => {
    textarea = null;
    const mode = s().mode;
    fill(modeFields,
      mode === "tariff" ? null : finder(s(), choose),
      mode === "tariff" ? tariffFields() : facilityFields(),
      placeFields(s(), (part, v) => set((c) => (c[part] = v)), mode === "tariff" ? t("place.hint.tariff") : t("place.hint")),
      mode === "rates" ? priceFields() : null);
  };

  const form = h("form", { class: "form", "aria-labelledby": "h-calls", onsubmit: (e: Event) => e.preventDefault() },
    radioGroup(t("calls.mode"), "calls-mode", s().mode, [
      ["max", t("calls.mode.max"), t("calls.mode.max.hint")],
      ["rates", t("calls.mode.rates"), t("calls.mode.rates.hint")],
      ["tariff", t("calls.mode.tariff"), t("calls.mode.tariff.hint")],
    ], (v) => { set((c) => (c.mode = v as typeof c.mode)); showMode(); }),
    modeFields,
    h("fieldset", {},
      h("legend", {}, t("calls.calls")),
      h("p", { class: "hint" }, t("field.perWeek.hint")),
      h("div", { class: "row" },
        textField(t("field.perWeek"), s().perWeek, (v) => set((c) => (c.perWeek = v)),
          { inputmode: "numeric", width: "short", field: "calls_per_week" }),
        textField(t("field.minutes"), s().minutes, (v) => set((c) => (c.minutes = v)),
          { inputmode: "numeric", width: "short", field: "minutes" })),
      selectField(t("field.jurisdiction"), s().jurisdiction, words("jurisdiction", JURISDICTIONS), (v) => set((c) => (c.jurisdiction = v)),
        undefined, "jurisdiction"),
      selectField(t("field.service"), s().service, words("service", SERVICES), (v) => set((c) => (c.service = v)), undefined, "service"),
      selectField(t("field.payment"), s().payment, words("payment", PAYMENTS), (v) => set((c) => (c.payment = v)), t("field.payment.hint"),
        "payment")),
    h("fieldset", {},
      h("legend", {}, t("calls.deposits")),
      selectField(t("field.method"), s().method, words("method", METHODS), (v) => set((c) => (c.method = v)), undefined, "deposit_method"),
      textField(t("field.deposit"), s().deposit, (v) => set((c) => (c.deposit = v)),
        { inputmode: "decimal", width: "short", hint: t("field.deposit.hint"), field: "deposit" })),
    dateField(t("field.date"), ctx.date(), (v) => ctx.update((st) => (st.date = v)), t("field.date.hint")));
  showMode();

  const goToLine = (line: number) => {
    if (!textarea) return;
    const [a, b] = lineRange(textarea.value, line);
    textarea.focus();
    textarea.setSelectionRange(a, b);
  };

  /**
   * The arguments of `estimate`: the form's call and month, then a tariff or a facility; or
   * the bad money amount that keeps them from being written.
   */
  async function input(): Promise<Outcome<Parameters<typeof estimate>>> {
    const c = s();
    const deposit = typed(c.deposit, "deposit");
    if (!deposit.ok) return deposit;
    const args = (file?: string, text?: string, kind?: string, adp?: string): Outcome<Parameters<typeof estimate>> => ({ ok: true, value: [
      ctx.date(), c.service as Service, c.jurisdiction as Jurisdiction, c.payment as Payment, c.minutes,
      c.method as FeeKind, c.perWeek, null, deposit.value, file, text, kind as FacilityKind | undefined, adp,
      c.state, c.operator as Operator | "", c.county] });
    if (c.mode === "max") {
      // A facility chosen in the directory: what still holds its values is left to it.
      const chosen = chosenArgs(c);
      const a = args(undefined, undefined, chosen.kind, chosen.adp);
      if (a.ok && chosen.id) a.value.push(chosen.id);
      return a;
    }
    if (c.mode === "rates") {
      // The prices are read by the core as typed ("$0.21", "0,21" in Spanish) before they are
      // written into the tariff.
      fromCall = null;
      let perMinute: Outcome<string>;
      if (c.priceBy === "call") {
        const r = callPrice(c.callPrice, c.callMinutes, lang());
        if (!r.ok) return r;
        fromCall = { value: r.value };
        perMinute = { ok: true, value: r.value.per_minute };
      } else {
        perMinute = typed(c.perMinute, "per_minute");
      }
      if (!perMinute.ok) return perMinute;
      const perCall = typed(c.perCall, "per_call");
      if (!perCall.ok) return perCall;
      const fee = typed(c.fee, "fee");
      if (!fee.ok) return fee;
      const fee3 = typed(c.fee3, "fee_third_party");
      if (!fee3.ok) return fee3;
      built = tariffFromPrices({
        kind: c.kind, adp: c.adp, service: c.service, jurisdiction: c.jurisdiction, payment: c.payment,
        perMinute: perMinute.value, perCall: perCall.value, depositFee: fee.value, depositMethod: c.method,
        thirdPartyFee: fee3.value,
      });
      return args(t("calls.prices.file"), built);
    }
    const example = exampleTariffs.find((e) => e.name === c.example);
    if (example) {
      const text = await exampleText(example);
      if (textarea && textarea.value !== text) textarea.value = text;
      return args(example.path, text);
    }
    return args(t("calls.pasted.file"), c.text);
  }

  /** Bad input shown where it is: under its field, or (a pasted tariff's) with its line. */
  function showBad(r: Bad): void {
    const mode = s().mode;
    if (mode === "max" && r.field === "facility") {
      // No cap covered these calls: there is no legal maximum to show, which is not bad input.
      clearFieldErrors(form);
      fill(results, h("div", { class: "summary" }, rulesDate(ctx.date()),
        h("p", { class: "verdict verdict-info", "data-field": "no_maximum" }, tm(r.error))));
      showQuick(t("calls.quick.nomax"));
      ctx.announce(tm(r.error));
      return;
    }
    // A key of the tariff written from the prices is that price's field; its reason is shown.
    const priced = mode === "rates" && r.field === "tariff" && r.key
      ? r.key === "[[rate]] per_minute" && s().priceBy === "call" ? "call_price" : PRICE_KEYS[r.key]
      : undefined;
    const field = priced ?? (r.field === "tariff" ? undefined : r.field);
    const inField = showFieldError(form, field, priced ? r.reason ?? r.error : r.error);
    // Pasted text has no file name of its own: its line and key say where the error is.
    const pasted = mode === "tariff" && !s().example && r.line && r.reason;
    const message = mode === "rates" ? tm(r.reason ?? r.error)
      : pasted ? `${t("findings.line", { line: r.line ?? 0 })}: ${r.key ? `${r.key}: ` : ""}${tm(r.reason ?? "")}` : tm(r.error);
    fill(results, inField ? h("p", { class: "muted" }, t("error.field"))
      : errorBox(message, mode === "tariff" ? goToLine : undefined, mode === "tariff" ? r.line ?? errorLine(r.error) : null),
    mode === "rates" ? builtTariff() : null);
    showQuick(t("error.quick"));
    ctx.announce(t("error.title"));
  }

  async function compute(): Promise<void> {
    const mine = ++run;
    // A tariff (written from the prices, or given) is read by the rest of the module: until it is
    // loaded the results say so, rather than show the figures of another mode.
    if (s().mode !== "max" && !fullReady()) {
      fill(results, h("p", { class: "muted", "data-field": "loading" }, t("loading.full")));
      fill(quick, h("span", {}, t("loading.full")));
      await loadFull();
      if (mine !== run) return;
    }
    const request = await input();
    if (mine !== run) return;
    if (!request.ok) {
      showBad(request);
      return;
    }
    const r = estimate(...request.value);
    if (!r.ok) {
      showBad(r);
      return;
    }
    clearFieldErrors(form);
    fill(results, ...render(r.value));
    const e = r.value.estimate;
    // Each total says what it is: at the legal maximum it is the most she could be charged,
    // not what she pays.
    const max = s().mode === "max";
    showQuick(t(max ? "calls.quick.max" : "calls.quick", { total: money(e.month.total) }));
    ctx.announce(t(max ? "calls.announce.max" : "calls.announce", { total: money(e.month.total) }) +
      (e.overcharged ? ` ${t("calls.verdict.over", { amount: money(e.overcharge ?? "0") })}` : ""));
  }

  /**
   * Where to complain and what to keep, when the core says the month is overcharged or the
   * tariff breaks a rule (loaded the first time it is needed).
   */
  function todo(e: EstimateResult["estimate"]): HTMLElement | null {
    if (s().mode === "max" || (!e.overcharged && e.counts.violations === 0)) return null;
    const slot = h("div", { class: "todo-slot" });
    const state = s().state.trim();
    void complaints().then((c) => slot.replaceChildren(whatToDo(c, state)));
    return slot;
  }

  function builtTariff(): HTMLElement {
    return h("details", { class: "built" },
      h("summary", {}, t("calls.built")),
      h("pre", { class: "code", "data-testid": "built-tariff" }, built));
  }

  function render(result: EstimateResult): (Element | null)[] {
    const e = result.estimate;
    const m = e.month;
    const cap = result.legal_cap;
    const mode = s().mode;
    // The core decides (exactly, before rounding): an overcharge under a cent is still one.
    const over = e.overcharged;
    const verdict = mode === "max"
      ? h("p", { class: "verdict verdict-info" }, t("calls.verdict.max"))
      : e.overcharge === null
        ? h("p", { class: "verdict verdict-info" }, t("calls.verdict.nocap"))
        : over
          ? h("p", { class: "verdict verdict-bad" }, t("calls.verdict.over", { amount: money(e.overcharge ?? "0") }))
          : h("p", { class: "verdict verdict-good" }, t("calls.verdict.ok"));
    const parts = [
      { label: t("calls.part.calls"), amount: m.call_charges, cls: "fill-1" },
      ...(mode === "max" ? [] : [{ label: t("calls.part.fees"), amount: m.fees, cls: "fill-2" }]),
      { label: t("calls.part.taxes"), amount: m.taxes, cls: "fill-3" },
    ];
    const summaryLabel = parts.map((p) => `${p.label} ${money(p.amount)}`).join(", ");
    const row = (label: string, value: string, field: string, cls = "") =>
      h("tr", { class: cls }, h("th", { scope: "row" }, label), h("td", { "data-field": field }, money(value)));
    return [
      h("div", { class: "summary" },
        rulesDate(e.date),
        mode !== "tariff" ? sizeWords(s()) : null,
        h("p", { class: "summary-label" }, mode === "max" ? t("calls.total.max") : t("calls.total")),
        h("p", { class: "big", "data-field": "month.total" }, money(m.total)),
        h("p", {}, t("calls.howmany", { calls: m.calls, minutes: quantity(m.minutes), each: s().minutes })),
        // A price per call from the bill was turned into a price a minute: said, with how.
        mode === "rates" && fromCall ? h("p", { class: "muted", "data-field": "from-call" },
          t(fromCall.value.rounded ? "calls.fromcall.rounded" : "calls.fromcall", {
            price: money(fromCall.value.price), minutes: fromCall.value.minutes, rate: money(fromCall.value.per_minute),
          })) : null,
        verdict,
        // The rule that sets the legal maximum: a state or local one when it is lower than the
        // FCC's cap (the core decides), else the FCC's cap line with the day it took effect.
        e.at_cap?.set_by && e.at_cap.set_by.level !== "federal" ? setBy(e.at_cap.set_by) : cap ? citation(cap) : null),
      mode === "max" ? tierMonths(result.tiers_possible ?? [], money, tm) : null,
      h("h3", {}, t("calls.where")),
      stackedBar(parts, ctx.chartWidth(results), summaryLabel),
      h("table", { class: "breakdown" },
        h("caption", { class: "sr-only" }, t("calls.where")),
        h("tbody", {},
          h("tr", {}, h("th", { scope: "row" }, h("span", { class: "swatch fill-1", "aria-hidden": "true" }),
            t("calls.row.calls", { calls: m.calls, each: money(e.per_call.charge) })),
            h("td", { "data-field": "month.call_charges" }, money(m.call_charges))),
          m.fee_items.map((f) => h("tr", {},
            h("th", { scope: "row" }, h("span", { class: "swatch fill-2", "aria-hidden": "true" }),
              t("calls.row.fee", { fee: word("fee", f.kind), uses: f.uses, each: money(f.per_use) })),
            h("td", { "data-field": `fee.${f.kind}` }, money(f.total)))),
          // At the legal maximum the month has no fees (the core prices calls only): said so,
          // not shown as $0.00.
          m.fee_items.length === 0 && mode === "max" ? h("tr", {}, h("th", { scope: "row" },
            h("span", { class: "swatch fill-2", "aria-hidden": "true" }), t("calls.row.fees.max")),
            h("td", { "data-field": "month.fees", class: "muted" }, t("calls.notincluded"))) : null,
          m.fee_items.length === 0 && mode !== "max" ? h("tr", {}, h("th", { scope: "row" },
            h("span", { class: "swatch fill-2", "aria-hidden": "true" }), t("calls.row.nofees")),
            h("td", { "data-field": "month.fees" }, money(m.fees))) : null,
          h("tr", {}, h("th", { scope: "row" }, h("span", { class: "swatch fill-3", "aria-hidden": "true" }), t("calls.row.taxes")),
            h("td", { "data-field": "month.taxes" }, money(m.taxes))),
          row(t(mode === "max" ? "calls.row.total.max" : "calls.row.total"), m.total, "month.total.row", "total"))),
      mode !== "max" ? h("p", { class: "fees-share" }, t("calls.feeshare", { fees: money(m.fees), total: money(m.total) })) : null,
      m.deposits > 0 ? h("p", { class: "muted" }, t("calls.deposits.n", { n: m.deposits, amount: money(m.deposit_amount) })) : null,
      h("dl", { class: "facts" },
        h("div", {}, h("dt", {}, t("calls.fact.ppm")), h("dd", { "data-field": "effective_per_minute" }, money(e.effective_per_minute))),
        e.at_cap ? h("div", {}, h("dt", {}, t("calls.fact.max")),
          h("dd", {}, h("span", { "data-field": "at_cap.total" }, money(e.at_cap.total)), " ",
            h("span", { class: "muted" }, t("calls.fact.maxrate", { rate: money(e.at_cap.per_minute) })))) : null,
        e.overcharge !== null && mode !== "max" ? h("div", {}, h("dt", {}, t("calls.fact.over")),
          h("dd", { "data-field": "overcharge", class: over ? "bad" : "" }, money(e.overcharge))) : null,
        // The prices from a bill do not say what the facility receives: unknown, not $0.00.
        mode === "tariff" ? h("div", {}, h("dt", {}, t("calls.fact.commission")),
          h("dd", { "data-field": "commission_share" }, money(e.commission_share))) : null,
        mode === "rates" ? h("div", {}, h("dt", {}, t("calls.fact.commission")),
          h("dd", { "data-field": "commission_share", "data-unknown": "true" }, t("calls.commission.unknown"))) : null),
      mode !== "max" ? h("h3", {}, t("findings.title")) : null,
      mode !== "max" ? findingsList(e.findings, s().mode === "tariff" ? goToLine : undefined) : null,
      mode === "rates" ? builtTariff() : null,
      todo(e),
      h("details", { class: "notes" }, h("summary", {}, t("notes.title")),
        h("ul", {}, e.notes.map((n) => h("li", {}, tm(n))))),
    ];
  }

  const el = h("section", { class: "section has-quick-total", id: "calls", "aria-labelledby": "h-calls" },
    h("div", { class: "section-head" },
      h("h2", { id: "h-calls", tabindex: "-1" }, t("calls.title")),
      h("p", { class: "lede" }, t("calls.lede"))),
    h("div", { class: "columns" }, form, results), quick);
  return { el, compute };
}
