// The caps: the rules in force for a date and facility, each with its source and confidence.
import { caps, type CapsReport, type CapsResult, type Entry, type FacilityKind, type Operator, type StateRuleView } from "../core";
import { chosenArgs, filledFrom, finder, sizeWords, tierCaps } from "../finder";
import { NONE_CHOSEN } from "../state";
import type { Ctx, SectionView } from "../context";
import { h, fill } from "../dom";
import { longDate, money } from "../format";
import { lang, t, tm, word, type Key } from "../i18n";
import {
  citation, clearFieldErrors, confidenceBadge, dateField, errorBox, levelName, rulesDate, selectField, showFieldError, textField,
  words,
} from "../ui";

export function capsSection(ctx: Ctx): SectionView {
  const results = h("div", { class: "results results-wide", id: "caps-results" });
  const form = h("form", { class: "form form-inline", "aria-labelledby": "h-caps", onsubmit: (e: Event) => e.preventDefault() });
  // A facility chosen in the directory fills the fields (the core fills and sizes it).
  const choose = (e: Entry | null) => {
    ctx.update((s) => {
      if (e) Object.assign(s.caps, filledFrom(e, s.caps.kind));
      else Object.assign(s.caps, NONE_CHOSEN);
    });
    buildForm();
  };
  const buildForm = () => fill(form,
    finder(ctx.state.caps, choose),
    dateField(t("field.date"), ctx.date(), (v) => ctx.update((s) => (s.date = v)), t("field.date.hint")),
    selectField(t("field.kind"), ctx.state.caps.kind, words("kind", ["jail", "prison"]), (v) => ctx.update((s) => (s.caps.kind = v)),
      undefined, "facility"),
    textField(t("field.adp"), ctx.state.caps.adp, (v) => ctx.update((s) => (s.caps.adp = v)),
      { inputmode: "numeric", width: "short", hint: t("caps.adp.hint"), field: "adp" }),
    textField(t("field.state"), ctx.state.caps.state, (v) => ctx.update((s) => (s.caps.state = v)),
      { width: "short", hint: t("field.state.hint"), autocomplete: "off", field: "state" }),
    selectField(t("field.operator"), ctx.state.caps.operator,
      [["", t("operator.unknown")], ...words("operator", ["state", "county", "city", "private", "federal"])],
      (v) => ctx.update((s) => (s.caps.operator = v)), t("field.operator.hint"), "operator"),
    textField(t("field.county"), ctx.state.caps.county, (v) => ctx.update((s) => (s.caps.county = v)),
      { width: "short", inputmode: "numeric", hint: t("field.county.hint"), field: "county_fips" }));
  buildForm();

  function compute(): void {
    const { state, operator, county } = ctx.state.caps;
    const chosen = chosenArgs(ctx.state.caps);
    const r = caps(ctx.date(), chosen.kind as FacilityKind, chosen.adp, state, operator as Operator | "", county, chosen.id || null);
    if (!r.ok) {
      // The message goes under its field when it is one field's; else with the results.
      fill(results, showFieldError(form, r.field, r.error) ? h("p", { class: "muted" }, t("error.field")) : errorBox(r.error));
      ctx.announce(t("error.title"));
      return;
    }
    clearFieldErrors(form);
    fill(results, ...render(r.value));
    ctx.announce(r.value.regime ? t("caps.announce", { regime: tm(r.value.regime.name) }) : t("caps.none"));
  }

  const dash = "—";
  function render(r: CapsResult): (Element | null)[] {
    const g = r.regime;
    const sc = r.site_commissions;
    const commission = !sc.regulated ? t("caps.sc.none")
      : !sc.allowed ? t("caps.sc.banned")
        : sc.limit_per_minute ? t("caps.sc.limit", { limit: money(sc.limit_per_minute) })
          : t("caps.sc.incap");
    return [
      h("div", { class: "summary" },
        rulesDate(r.date),
        g ? h("p", { class: "regime" }, h("strong", {}, tm(g.name))) : h("p", { class: "verdict verdict-info" }, t("caps.none")),
        g ? citation(g) : null,
        h("p", { "data-field": "tier" }, r.facility.tier_name
          ? t("caps.tier", { kind: word("kind", r.facility.kind), adp: r.facility.average_daily_population, tier: tm(r.facility.tier_name) })
          : t("caps.notier", { kind: word("kind", r.facility.kind), adp: r.facility.average_daily_population })),
        sizeWords(ctx.state.caps)),
      tierCaps(r.tiers_possible ?? [], money, tm),
      stateRules(r),
      r.caps.length ? h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("caps.table") },
        h("table", { class: "data" },
          h("caption", {}, t("caps.table")),
          h("thead", {}, h("tr", {},
            [t("caps.col.call"), t("caps.col.payment"), t("caps.col.cap"), t("caps.col.additive"), t("caps.col.source")]
              .map((c) => h("th", { scope: "col" }, c)))),
          // The core groups lines that differ only by payment (CapsReport.cap_groups).
          h("tbody", {}, r.cap_groups.map((g) => ({ cap: r.caps[g.cap], payments: g.all_payments ? "all" as const : g.payments }))
            .map(({ cap, payments }) => h("tr", {},
            h("th", { scope: "row" }, `${word("service", cap.service)} · ${word("jurisdiction", cap.jurisdiction)}`),
            h("td", { "data-label": t("caps.col.payment") }, payments === "all" ? t("caps.allpayments") : payments.map((p) => word("payment", p)).join(", ")),
            h("td", { "data-label": t("caps.col.cap"), "data-field": `cap.${cap.service}.${cap.jurisdiction}.${payments === "all" ? "all" : payments.join("-")}` },
              cap.per_minute === null ? t("caps.nocap")
                : cap.plus_termination_cost ? t("caps.plustermination", { cap: money(cap.per_minute) }) : money(cap.per_minute)),
            h("td", { "data-label": t("caps.col.additive") }, cap.per_minute !== null && cap.additive_applies && cap.additive !== "0.00"
              ? t(cap.additive_applies === "site_commission" ? "caps.additive.sc" : "caps.additive.always", { amount: money(cap.additive) })
              : dash),
            h("td", { class: "small", "data-label": t("caps.col.source") }, cap.citation, h("br"), cap.source, " ", confidenceBadge(cap.confidence))))))) : null,
      h("h3", {}, t("caps.sc")),
      h("p", {}, commission),
      sc.legally_mandated_max_total ? h("p", { class: "muted" }, t("caps.sc.mandated", { total: money(sc.legally_mandated_max_total) })) : null,
      citation({ source: sc.source, citation: sc.citation, confidence: sc.confidence }),
      h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("caps.fees") },
        h("table", { class: "data" },
          h("caption", {}, t("caps.fees")),
          h("thead", {}, h("tr", {}, [t("caps.col.fee"), t("caps.col.rule"), t("caps.col.source")].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, r.ancillary_fees.map((f) => h("tr", {},
            h("th", { scope: "row" }, word("fee", f.kind)),
            h("td", { "data-label": t("caps.col.rule") }, !f.regulated ? t("caps.fee.none") : !f.allowed ? t("caps.fee.banned")
              : f.limit ? t(f.pass_through ? "caps.fee.limit.pass" : "caps.fee.limit", { limit: money(f.limit) })
                : f.pass_through ? t("caps.fee.pass") : t("caps.fee.allowed")),
            h("td", { class: "small", "data-label": t("caps.col.source") }, f.citation ?? dash, f.source ? [h("br"), f.source] : null, " ", confidenceBadge(f.confidence))))))),
      r.call_charges.length ? h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("caps.percall") },
        h("table", { class: "data" },
          h("caption", {}, t("caps.percall")),
          h("thead", {}, h("tr", {}, [t("caps.col.call"), t("caps.col.rule"), t("caps.col.increment"), t("caps.col.source")].map((c) => h("th", { scope: "col" }, c)))),
          h("tbody", {}, r.call_charges.map((c) => h("tr", {},
            h("th", { scope: "row" }, `${word("service", c.service)} · ${word("jurisdiction", c.jurisdiction)}`),
            h("td", { "data-label": t("caps.col.rule") }, t(`percall.${c.per_call}` as Key, { minutes: c.equivalence_minutes ?? "" })),
            h("td", { "data-label": t("caps.col.increment") }, c.max_billing_increment_seconds ? t("caps.increment", { s: c.max_billing_increment_seconds }) : dash),
            h("td", { class: "small", "data-label": t("caps.col.source") }, c.citation, h("br"), c.source, " ", confidenceBadge(c.confidence))))))) : null,
      r.never_effective.length ? h("div", {},
        h("h3", {}, t("caps.never")),
        r.never_effective.map((n) => h("div", { class: "never" },
          h("p", {}, h("strong", {}, n.name), n.tier ? ` — ${n.tier}` : ""),
          h("p", {}, n.caps.map((c) => money(c.per_minute)).join(", ")),
          citation(n)))) : null,
      r.notes.length ? h("ul", { class: "notes" }, r.notes.map((n) => h("li", {}, tm(n)))) : null,
      h("details", { class: "sources" },
        h("summary", {}, t("caps.sources", { n: Object.keys(ctx.book.sources).length })),
        h("ul", {}, Object.entries(ctx.book.sources).map(([id, d]) => h("li", { id: `source-${id}` },
          h("strong", {}, d.document), d.federal_register ? `, ${d.federal_register}` : "", " — ", d.title, " ",
          h("a", { href: d.link, rel: "noopener noreferrer external", target: "_blank" }, t("cite.read"))))),
        h("p", { class: "muted" }, t("caps.changes", {
          dates: ctx.book.change_dates.map((d) => longDate(d, lang())).join(" · "),
        }))),
    ];
  }

  /** The state and local rules of the place, or why there are none to show. */
  function stateRules(r: CapsReport): HTMLElement {
    const state = r.state;
    const said = !state ? t("state.none")
      : !r.state_covered ? t("state.uncovered", { state })
        : r.state_rules.length === 0 ? t("state.empty", { state }) : null;
    return h("section", { class: "state-rules", "aria-labelledby": "h-state-rules", "data-field": "state_rules" },
      h("h3", { id: "h-state-rules" }, state ? t("state.title.of", { state }) : t("state.title")),
      said ? h("p", { class: "verdict verdict-info", "data-field": "state_rules.none" }, said)
        : h("ul", { class: "rules" }, r.state_rules.map(stateRule)));
  }

  function stateRule(rule: StateRuleView): HTMLElement {
    const p = rule.provenance;
    const applies = rule.certainty === "applies";
    return h("li", { class: `rule rule-${rule.certainty}`, "data-rule": rule.id },
      h("p", { class: "finding-head" },
        h("span", { class: `badge ${applies ? "badge-applies" : "badge-warning"}`, "data-field": "certainty" },
          word("certainty", rule.certainty)), " ",
        h("span", { class: "tag" }, levelName(p.level, p.locality)), " ",
        h("strong", { "data-field": "summary" }, tm(rule.summary))),
      rule.may_apply_because ? h("p", { class: "finding-message", "data-field": "why" },
        t("state.why", { why: tm(rule.may_apply_because) })) : null,
      p.until ? h("p", { class: "muted" }, t("state.until", { date: longDate(p.until, lang()) })) : null,
      citation(p));
  }

  const el = h("section", { class: "section", id: "caps", "aria-labelledby": "h-caps" },
    h("div", { class: "section-head" },
      h("h2", { id: "h-caps", tabindex: "-1" }, t("caps.title")),
      h("p", { class: "lede" }, t("caps.lede"))),
    form, results);
  return { el, compute };
}
