// Pieces the four sections share: labelled fields, citations, findings, error messages.
import { h, uid } from "./dom";
import { longDate } from "./format";
import { lang, t, tm, word, type Key } from "./i18n";
import { rateBook, regime, type SheetError, type Basis, type Confidence, type Field, type Finding, type Level } from "./core";

export interface FieldOptions {
  hint?: string;
  inputmode?: string;
  autocomplete?: string;
  width?: "short" | "medium" | "long";
  placeholder?: string;
  /** The binding's argument this field's value goes to: its errors are shown under it. */
  field?: Field;
}

/** A text input with its label (and hint, tied by aria-describedby). */
export function textField(
  label: string,
  value: string,
  onInput: (v: string) => void,
  o: FieldOptions = {},
): HTMLElement {
  const id = uid("f");
  const hintId = o.hint ? `${id}-hint` : undefined;
  const input = h("input", {
    id,
    type: "text",
    value,
    inputmode: o.inputmode,
    autocomplete: o.autocomplete ?? "off",
    spellcheck: "false",
    placeholder: o.placeholder,
    class: `input input-${o.width ?? "medium"}`,
    "aria-describedby": hintId,
    "data-input": o.field,
  });
  input.addEventListener("input", () => onInput(input.value));
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    o.hint ? h("p", { class: "hint", id: hintId }, o.hint) : null,
    input);
}

/** A date input; `value` is the date in use (the state keeps "" for "today"). */
export function dateField(label: string, value: string, onInput: (v: string) => void, hint?: string): HTMLElement {
  const id = uid("d");
  const hintId = hint ? `${id}-hint` : undefined;
  const input = h("input", { id, type: "date", value, class: "input input-medium", "aria-describedby": hintId, "data-input": "date" });
  input.addEventListener("input", () => onInput(input.value));
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    input);
}

/** A select with its label. */
export function selectField(
  label: string,
  value: string,
  options: [string, string][],
  onChange: (v: string) => void,
  hint?: string,
  field?: Field,
): HTMLElement {
  const id = uid("s");
  const hintId = hint ? `${id}-hint` : undefined;
  const select = h("select", { id, class: "input", "aria-describedby": hintId, "data-input": field },
    options.map(([v, text]) => h("option", { value: v, selected: v === value }, text)));
  select.addEventListener("change", () => onChange(select.value));
  return h("div", { class: "field" },
    h("label", { for: id }, label),
    hint ? h("p", { class: "hint", id: hintId }, hint) : null,
    select);
}

/** Radio buttons in a fieldset. */
export function radioGroup(
  legend: string,
  name: string,
  value: string,
  options: [string, string, string?][],
  onChange: (v: string) => void,
): HTMLElement {
  return h("fieldset", { class: "radios" },
    h("legend", {}, legend),
    options.map(([v, text, hint]) => {
      const id = uid(name);
      const input = h("input", { type: "radio", id, name, value: v, checked: v === value });
      input.addEventListener("change", () => input.checked && onChange(v));
      return h("div", { class: "radio" }, input,
        h("label", { for: id }, h("span", { class: "radio-label" }, text),
          hint ? h("span", { class: "hint" }, hint) : null));
    }));
}

/**
 * Shows the core's message for bad input under the field it names (marked invalid and
 * described by the message for screen readers) and returns true; false when no field of
 * `form` takes that argument (the caller shows the message with the results instead).
 */
export function showFieldError(form: HTMLElement, field: Field | undefined, message: string): boolean {
  clearFieldErrors(form);
  const input = field ? form.querySelector<HTMLElement>(`[data-input="${field}"]`) : null;
  if (!input) return false;
  const id = `${input.id}-error`;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
  input.insertAdjacentElement("afterend", h("p", { id, class: "field-error", role: "alert", "data-error-for": field }, tm(message)));
  return true;
}

/** Takes away every message `showFieldError` put in `form`. */
export function clearFieldErrors(form: HTMLElement): void {
  for (const p of form.querySelectorAll("[data-error-for]")) {
    const input = p.previousElementSibling;
    p.remove();
    if (!input) continue;
    input.removeAttribute("aria-invalid");
    const rest = (input.getAttribute("aria-describedby") ?? "").split(" ").filter((x) => x && x !== p.id).join(" ");
    if (rest) input.setAttribute("aria-describedby", rest);
    else input.removeAttribute("aria-describedby");
  }
}

/** Where the facility is and who runs it: state, operator and county FIPS, each optional. */
export function placeFields(
  place: { state: string; operator: string; county: string },
  set: (part: "state" | "operator" | "county", v: string) => void,
  hint?: string,
): HTMLElement {
  return h("fieldset", { class: "place" },
    h("legend", {}, t("place.legend")),
    hint ? h("p", { class: "hint" }, hint) : null,
    textField(t("field.state"), place.state, (v) => set("state", v),
      { width: "short", hint: t("field.state.hint"), autocomplete: "off", field: "state" }),
    selectField(t("field.operator"), place.operator,
      [["", t("operator.unknown")], ...words("operator", ["state", "county", "city", "private", "federal"])],
      (v) => set("operator", v), t("field.operator.hint"), "operator"),
    textField(t("field.county"), place.county, (v) => set("county", v),
      { width: "short", inputmode: "numeric", hint: t("field.county.hint"), field: "county_fips" }));
}

/** "State rule" / "Local rule: Dallas County" / "Federal rule". */
export function levelName(level: Level, locality?: string | null): string {
  return t(`level.${level}` as Key) + (locality ? `: ${locality}` : "");
}

/** The rule that sets a legal maximum, with its source: "Set by a state rule: ...". */
export function setBy(basis: Basis): HTMLElement {
  return h("div", { class: "set-by", "data-field": "set_by" },
    h("p", { class: "set-by-level" }, t(`setby.${basis.level}` as Key)),
    citation(basis));
}

/** Options for a vocabulary select: [word, translated label]. */
export function words(kind: string, values: string[]): [string, string][] {
  return values.map((v) => [v, word(kind, v)]);
}

/**
 * "medium confidence" (nothing when high: the page says so only when it is not), a button that
 * opens what it means, in the page itself (phones have no hover tooltip).
 */
export function confidenceBadge(c: Confidence | null | undefined): HTMLElement | null {
  if (!c || c === "high") return null;
  const id = uid("conf");
  const explain = h("span", { id, class: "confidence-explain", hidden: true }, t(`confidence.${c}.explain` as Key));
  const button = h("button", { type: "button", class: `confidence confidence-${c}`, "aria-expanded": "false", "aria-controls": id },
    t(`confidence.${c}` as Key));
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    explain.hidden = !open;
  });
  return h("span", { class: "confidence-wrap" }, button, explain);
}

export interface Cited {
  source?: string | null;
  citation?: string | null;
  link?: string | null;
  effective?: string | null;
  confidence?: Confidence | null;
}

/** Where a rule comes from: CFR citation, document, the day it took effect, confidence, link. */
export function citation(c: Cited): HTMLElement | null {
  if (!c.source && !c.citation) return null;
  return h("p", { class: "cite" },
    h("span", { class: "cite-label" }, t("cite.label")), " ",
    c.citation ? h("span", { class: "cite-cfr" }, c.citation) : null,
    c.citation && c.source ? " · " : null,
    c.source ?? null,
    c.effective ? ` · ${t("cite.since", { date: longDate(c.effective, lang()) })}` : null,
    c.confidence && c.confidence !== "high" ? " · " : null,
    confidenceBadge(c.confidence),
    c.link ? [" · ", h("a", { href: c.link, rel: "noopener noreferrer external", target: "_blank" }, t("cite.read"))] : null);
}

/** "audio intrastate prepaid, video interstate debit": kinds of call as the core lists them, in words. */
export function callsInWords(calls: string): string {
  return calls.split(", ").map((c) => {
    const [service, jurisdiction, payment] = c.split(" ");
    return [word("service", service), word("jurisdiction", jurisdiction), payment ? word("payment", payment) : ""]
      .filter(Boolean).join(" · ");
  }).join("; ");
}

/** Findings, most severe first, each with its citation. */
export function findingsList(findings: Finding[], onLine?: (line: number) => void): HTMLElement {
  if (findings.length === 0) return h("p", { class: "muted" }, t("findings.none"));
  return h("ul", { class: "findings" },
    findings.map((f) => h("li", { class: `finding finding-${f.severity}` },
      h("p", { class: "finding-head" },
        h("span", { class: `badge badge-${f.severity}` }, word("severity", f.severity)), " ",
        f.level !== "federal" ? [h("span", { class: "tag", "data-level": f.level }, levelName(f.level)), " "] : null,
        h("strong", {}, word("rule", f.rule))),
      h("p", { class: "finding-message" }, tm(f.message)),
      f.calls || f.line ? h("p", { class: "finding-where" },
        f.calls ? t("findings.calls", { calls: callsInWords(f.calls) }) : null,
        f.calls && f.line ? " · " : null,
        f.line ? (onLine
          ? h("button", { type: "button", class: "link-button", onclick: () => onLine(f.line ?? 1) }, t("findings.line", { line: f.line }))
          : t("findings.line", { line: f.line })) : null) : null,
      citation(f))));
}

/** A readable error box (role=alert) for bad input: the core's message, as written. */
export function errorBox(message: string, onLine?: (line: number) => void, line?: number | null): HTMLElement {
  return h("div", { class: "error", role: "alert" },
    h("p", { class: "error-title" }, t("error.title")),
    h("p", { class: "error-message" }, message),
    onLine && line ? h("button", { type: "button", class: "link-button", onclick: () => onLine(line) }, t("findings.line", { line })) : null,
    h("p", { class: "hint" }, t("error.fix")));
}

/** "Rules in force on June 1, 2026". */
export function rulesDate(date: string): HTMLElement {
  return h("p", { class: "eyebrow" }, t("rules.on", { date: longDate(date, lang()) }));
}

/** What a verdict was judged under: the regime in force on the date, with its citation. */
export function judgedUnder(date: string): HTMLElement | null {
  const r = regime(date);
  if (!r.ok) return null;
  if (!r.value) return h("p", { class: "cite" }, t("judged.none"));
  return h("div", { class: "judged" },
    h("p", { class: "cite" }, h("span", { class: "cite-label" }, t("judged.label")), " ", tm(r.value.name)),
    citation(r.value));
}

/**
 * A file chosen in a file input, read as text, or `null` (with a message under the input, in
 * the page's language) when it is larger than the core reads: such a file is refused before
 * it is read, so a huge file cannot stall the page.
 */
export async function readChosenFile(file: File, input: HTMLInputElement): Promise<string | null> {
  const id = `${input.id}-error`;
  document.getElementById(id)?.remove();
  input.removeAttribute("aria-invalid");
  const max = rateBook().max_file_bytes;
  if (file.size > max) {
    const message = h("p", { id, class: "field-error", role: "alert" },
      t("file.tooLarge", { name: file.name, size: file.size.toLocaleString(lang()), max: max.toLocaleString(lang()) }));
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
    input.insertAdjacentElement("afterend", message);
    input.value = "";
    return null;
  }
  return file.text();
}

/**
 * The core's error about a whole spreadsheet (not a workbook, no sheet; not a cell's), under its
 * file field: the file, and the core's reason in the page's language.
 */
export function showSheetFileError(form: HTMLElement, file: string, bad: { error: string; reason?: string }): void {
  showFieldError(form, "sheet", bad.reason ? `${file}: ${tm(bad.reason)}` : bad.error);
}

/**
 * The core's errors about a spreadsheet, under its file field (`data-input="sheet"`), each with
 * its sheet, row and column, in the page's language.
 */
export function showSheetErrors(form: HTMLElement, sheet: string, errors: SheetError[]): void {
  clearFieldErrors(form);
  const input = form.querySelector<HTMLElement>('[data-input="sheet"]');
  if (!input || !errors.length) return;
  const id = `${input.id}-error`;
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
  input.insertAdjacentElement("afterend", h("ul", { id, class: "field-error", role: "alert", "data-error-for": "sheet" },
    errors.map((e) => h("li", {}, e.row === null || e.row === undefined ? tm(e.message)
      : e.column ? t("sheet.where", { sheet, row: e.row, column: e.column, reason: tm(e.reason) })
        : t("sheet.where.row", { sheet, row: e.row, reason: tm(e.reason) })))));
}

/** A chosen file's bytes, or null (the message under the field) when it is too large. */
export async function readChosenBytes(f: File, input: HTMLInputElement): Promise<Uint8Array | null> {
  const max = rateBook().max_file_bytes;
  if (f.size > max) {
    const form = input.closest("form");
    if (form) showFieldError(form, "sheet", t("file.tooLarge", { name: f.name, size: f.size.toLocaleString(lang()), max: max.toLocaleString(lang()) }));
    input.value = "";
    return null;
  }
  return new Uint8Array(await f.arrayBuffer());
}
