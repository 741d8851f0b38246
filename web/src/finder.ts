// "Find the facility": a type-ahead over the facility directory (fetched when first used). The
// search, the filling in and the sizing are the core's (`facilities`, and `caps`/`estimate` with
// the facility's id); this module only asks and shows, and says how honest the size is.
import { facilities, loadDirectory, type Entry, type TierCaps, type TierEstimate } from "./core";
import type { Chosen } from "./state";
import { h, fill } from "./dom";
import { t, word } from "./i18n";
import { clearFieldErrors, showFieldError, textField } from "./ui";

/** What a chosen facility fills in: the form's fields, and what the directory gave. */
export interface Filled extends Chosen {
  kind: string;
  adp: string;
  state: string;
  operator: string;
  county: string;
}

/** A directory entry as the form's fields (a kind the directory does not give keeps `kind`). */
export function filledFrom(e: Entry, kind: string): Filled {
  const adp = e.population && e.population > 0 ? String(e.population) : "";
  return {
    facilityId: e.id,
    facilityName: `${e.name}, ${e.city}, ${e.state}`,
    dirKind: e.kind ?? "",
    dirAdp: adp,
    dirYear: e.population_as_of?.slice(0, 4) ?? "",
    kind: e.kind ?? kind,
    adp,
    state: e.state,
    operator: e.operator ?? "",
    county: e.county_fips ?? "",
  };
}

/**
 * The arguments for a facility chosen in the directory: a field still holding what the
 * directory gave is left to it (""), so the core says where it came from and how sure it is; a
 * field the person corrected is given. None chosen: the fields as they are, and no id.
 */
export function chosenArgs(c: Chosen & { kind: string; adp: string }): { kind: string; adp: string; id: string } {
  if (!c.facilityId) return { kind: c.kind, adp: c.adp, id: "" };
  return {
    kind: c.dirKind && c.kind === c.dirKind ? "" : c.kind,
    adp: c.adp.trim() === c.dirAdp ? "" : c.adp,
    id: c.facilityId,
  };
}

/** The size as the finder found it, in honest words (nothing when no facility is chosen). */
export function sizeWords(c: Chosen & { adp: string }): HTMLElement | null {
  if (!c.facilityId) return null;
  const text = c.adp.trim() !== c.dirAdp ? t("finder.size.given", { n: c.adp.trim() })
    : !c.dirAdp ? t("finder.size.unknown")
      : c.dirYear ? t("finder.size.reported", { year: c.dirYear, n: c.dirAdp })
        : t("finder.size.reported.nodate", { n: c.dirAdp });
  return h("p", { class: "size-note", "data-field": "size" }, text);
}

/** One result: its name, where it is, its kind and reported population. */
function label(e: Entry): string {
  const parts = [
    `${e.city}, ${e.state}`,
    e.kind ? word("kind", e.kind) : null,
    e.population ? t("finder.population", { n: e.population }) : t("finder.population.none"),
    e.status === "closed" ? t("finder.closed") : null,
  ].filter(Boolean);
  return parts.join(" · ");
}

/**
 * The finder: a name-or-city field, an optional state, the matches as buttons. `chosen` is the
 * facility chosen now; `choose` gets the one chosen (or null: cleared).
 */
export function finder(chosen: Chosen, choose: (e: Entry | null) => void): HTMLElement {
  let query = "";
  let state = "";
  let timer = 0;
  let asked = 0;
  const list = h("div", { class: "finder-results", "aria-live": "polite" });
  const box = h("fieldset", { class: "finder" },
    h("legend", {}, t("finder.legend")),
    h("p", { class: "hint" }, t("finder.hint")));
  const ask = async () => {
    const mine = ++asked;
    clearFieldErrors(box);
    if (query.trim().length < 2) {
      list.replaceChildren();
      return;
    }
    fill(list, h("p", { class: "muted" }, t("finder.loading")));
    const loaded = await loadDirectory();
    if (mine !== asked) return;
    if (!loaded.ok) {
      list.replaceChildren();
      showFieldError(box, "finder", loaded.error);
      return;
    }
    const r = facilities(query, state.trim() || null, null);
    if (!r.ok) {
      list.replaceChildren();
      showFieldError(box, r.field === "finder_state" ? "finder_state" : "finder", r.error);
      return;
    }
    const found = r.value.facilities;
    if (!found.length) {
      fill(list, h("p", { class: "muted", "data-field": "finder.none" }, t("finder.none")));
      return;
    }
    fill(list,
      h("p", { class: "muted" }, t("finder.results", { n: found.length })),
      h("ul", { class: "finder-list" }, found.map((e) => h("li", {},
        h("button", {
          type: "button", class: "finder-choice", "data-facility": e.id, "aria-label": t("finder.choose", { name: `${e.name}, ${e.city}, ${e.state}` }),
          onclick: () => choose(e),
        }, h("strong", {}, e.name), h("span", { class: "finder-where" }, label(e)))))));
  };
  const later = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(() => void ask(), 120);
  };
  const parts: (HTMLElement | null)[] = [
    h("div", { class: "row" },
      textField(t("finder.query"), "", (v) => { query = v; later(); }, { field: "finder", autocomplete: "off" }),
      textField(t("finder.state"), "", (v) => { state = v; later(); },
        { width: "short", hint: t("finder.state.hint"), field: "finder_state", autocomplete: "off" })),
    list,
    chosen.facilityId ? h("p", { class: "finder-chosen", "data-field": "finder.chosen" },
      t("finder.chosen", { name: chosen.facilityName || chosen.facilityId }), " ",
      h("button", { type: "button", class: "link-button", onclick: () => choose(null) }, t("finder.clear"))) : null,
    chosen.facilityId && !chosen.dirKind ? h("p", { class: "hint" }, t("finder.kind.unknown")) : null];
  box.append(...parts.filter((p): p is HTMLElement => p !== null));
  // The directory starts loading as soon as the field is used.
  box.querySelector("input")?.addEventListener("focus", () => void loadDirectory(), { once: true });
  return box;
}

/** "350 to 999" / "1,000 or more": a tier's span of average daily population. */
function span(min: number, max: number | null | undefined): string {
  return max === null || max === undefined ? t("tiers.from", { min }) : t("tiers.range", { min, max });
}

/** Each tier a facility's size could put it in, with the month's legal maximum there. */
export function tierMonths(tiers: TierEstimate[], money: (s: string) => string, name: (s: string) => string): HTMLElement | null {
  if (tiers.length < 2) return null;
  return h("div", { class: "tiers", "data-field": "tiers_possible" },
    h("h3", {}, t("tiers.title", { n: tiers.length })),
    h("p", {}, t("tiers.lede")),
    h("p", { class: "verdict verdict-info", "data-field": "tiers.verdict" }, t("tiers.verdict", {
      list: tiers.map((x) => `${x.legal_maximum ? money(x.legal_maximum) : "—"} (${name(x.tier_name)})`).join("; "),
    })),
    h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("tiers.title", { n: tiers.length }) },
      h("table", { class: "data" },
        h("thead", {}, h("tr", {}, [t("tiers.col.tier"), t("tiers.col.adp"), t("tiers.col.month"), t("tiers.col.minute")]
          .map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, tiers.map((x) => h("tr", { "data-tier": x.tier },
          h("th", { scope: "row" }, name(x.tier_name)),
          h("td", { "data-label": t("tiers.col.adp") }, span(x.adp_min, x.adp_max)),
          h("td", { "data-label": t("tiers.col.month"), "data-field": `tier.${x.tier}.month` }, x.legal_maximum ? money(x.legal_maximum) : "—"),
          h("td", { "data-label": t("tiers.col.minute") }, x.legal_max_per_minute ? money(x.legal_max_per_minute) : "—")))))));
}

/** Each tier a facility's size could put it in, with its audio and video per-minute caps. */
export function tierCaps(tiers: TierCaps[], money: (s: string) => string, name: (s: string) => string): HTMLElement | null {
  if (tiers.length < 2) return null;
  const cap = (x: TierCaps, service: string) =>
    x.caps.find((c) => c.service === service && c.jurisdiction === "intrastate" && c.payment === "prepaid")?.per_minute ?? null;
  return h("div", { class: "tiers", "data-field": "tiers_possible" },
    h("h3", {}, t("tiers.title", { n: tiers.length })),
    h("p", {}, t("tiers.lede")),
    h("div", { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("tiers.title", { n: tiers.length }) },
      h("table", { class: "data" },
        h("thead", {}, h("tr", {}, [t("tiers.col.tier"), t("tiers.col.adp"), t("tiers.col.audio"), t("tiers.col.video")]
          .map((c) => h("th", { scope: "col" }, c)))),
        h("tbody", {}, tiers.map((x) => {
          const audio = cap(x, "audio");
          const video = cap(x, "video");
          return h("tr", { "data-tier": x.tier },
            h("th", { scope: "row" }, name(x.tier_name)),
            h("td", { "data-label": t("tiers.col.adp") }, span(x.adp_min, x.adp_max)),
            h("td", { "data-label": t("tiers.col.audio"), "data-field": `tier.${x.tier}.audio` }, audio ? money(audio) : "—"),
            h("td", { "data-label": t("tiers.col.video") }, video ? money(video) : "—"));
        })))));
}
