// "Enter a bid": a bid typed into fields instead of written as TOML. The page writes the bid
// file from the fields (tomlForm.ts, bidFromForm) with the money read by the core as typed; the
// core reads it like any bid, and its message about a line goes under the field it came from.
import { amount, compareBids, type Field } from "../core";
import type { OwnBid } from "../entered";
import { h, fill } from "../dom";
import { lang, t } from "../i18n";
import { bidFromForm, type BidForm, type BidRate } from "../tomlForm";
import { clearFieldErrors, errorBox, selectField, showFieldError, textField, words } from "../ui";

const SERVICES = ["audio", "video"];
const JURISDICTIONS = ["local", "intrastate", "interstate", "international"];
const PAYMENTS = ["prepaid", "debit", "collect"];
const FEES = ["automated_payment", "live_agent", "paper_statement", "third_party_transaction", "single_call", "account_setup",
  "account_maintenance", "inactivity", "refund", "other"];
const OPERATORS = ["state", "county", "city", "private", "federal"];

const emptyRate = (): BidRate => ({ service: "audio", jurisdiction: "", payment: "", perMinute: "", firstMinute: "", perCall: "", increment: "" });

function emptyBid(date: string): BidForm {
  return {
    name: "", vendor: "", facility: "", kind: "jail", adp: "", state: "", operator: "", term: "5", start: date,
    rates: [emptyRate()], fees: [], percent: "", commissionPerMinute: "", guarantee: "", bonus: "", inKind: "",
  };
}

/** A file name for a bid's name: its letters and digits, dashed. */
function fileName(name: string): string {
  const slug = name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");
  return `${slug || "bid"}.toml`;
}

/**
 * The bid form. `date` is the comparison date (the start's default); `add` gets the bid file,
 * once the core has read it without an error.
 */
export function bidForm(date: () => string, add: (bid: OwnBid) => void, announce: (text: string) => void): HTMLElement {
  let b = emptyBid(date());
  const box = h("div", { class: "bid-form" });
  const status = h("div", { class: "bid-form-status", role: "status" });
  const field = (label: string, get: () => string, set: (v: string) => void, name: string, o: { hint?: string; width?: "short" | "medium" | "long"; inputmode?: string } = {}) =>
    textField(label, get(), set, { field: name as Field, width: o.width ?? "short", hint: o.hint, inputmode: o.inputmode as "decimal" | undefined });

  const render = () => {
    fill(box,
      h("fieldset", {},
        h("legend", {}, t("bidform.who")),
        field(t("bidform.name"), () => b.name, (v) => (b.name = v), "bid.name", { width: "long", hint: t("bidform.name.hint") }),
        field(t("bidform.vendor"), () => b.vendor, (v) => (b.vendor = v), "bid.vendor", { width: "long" }),
        field(t("bidform.facility"), () => b.facility, (v) => (b.facility = v), "bid.facility", { width: "long" }),
        h("div", { class: "row" },
          selectField(t("field.kind"), b.kind, words("kind", ["jail", "prison"]), (v) => (b.kind = v), undefined, "bid.kind" as Field),
          field(t("field.adp"), () => b.adp, (v) => (b.adp = v), "bid.adp", { inputmode: "numeric" })),
        h("div", { class: "row" },
          field(t("field.state"), () => b.state, (v) => (b.state = v), "bid.state", { hint: t("field.state.hint") }),
          selectField(t("field.operator"), b.operator, [["", t("operator.unknown")], ...words("operator", OPERATORS)],
            (v) => (b.operator = v), undefined, "bid.operator" as Field)),
        h("div", { class: "row" },
          field(t("bidform.term"), () => b.term, (v) => (b.term = v), "bid.term", { inputmode: "numeric" }),
          field(t("bidform.start"), () => b.start, (v) => (b.start = v), "bid.start", { hint: t("bidform.start.hint"), width: "medium" }))),
      h("fieldset", {},
        h("legend", {}, t("bidform.rates")),
        h("p", { class: "hint" }, t("bidform.rates.hint")),
        b.rates.map((r, i) => h("fieldset", { class: "bid-line", "data-line": `rate-${i}` },
          h("legend", {}, t("bidform.rate", { n: i + 1 })),
          h("div", { class: "row" },
            selectField(t("field.service"), r.service, words("service", SERVICES), (v) => (r.service = v), undefined, `bid.rate.${i}.service` as Field),
            selectField(t("field.jurisdiction"), r.jurisdiction, [["", t("bidform.all")], ...words("jurisdiction", JURISDICTIONS)],
              (v) => (r.jurisdiction = v), undefined, `bid.rate.${i}.jurisdiction` as Field),
            selectField(t("field.payment"), r.payment, [["", t("bidform.all")], ...words("payment", PAYMENTS)],
              (v) => (r.payment = v), undefined, `bid.rate.${i}.payment` as Field)),
          h("div", { class: "row" },
            field(t("field.perMinute"), () => r.perMinute, (v) => (r.perMinute = v), `bid.rate.${i}.per_minute`, { inputmode: "decimal" }),
            field(t("bidform.firstMinute"), () => r.firstMinute, (v) => (r.firstMinute = v), `bid.rate.${i}.first_minute`, { inputmode: "decimal" }),
            field(t("field.perCall"), () => r.perCall, (v) => (r.perCall = v), `bid.rate.${i}.per_call`, { inputmode: "decimal" }),
            field(t("bidform.increment"), () => r.increment, (v) => (r.increment = v), `bid.rate.${i}.increment`, { inputmode: "numeric" })),
          b.rates.length > 1 ? h("button", { type: "button", class: "button-small", onclick: () => { b.rates.splice(i, 1); render(); } },
            t("bidform.rate.remove", { n: i + 1 })) : null)),
        h("button", { type: "button", class: "button-small", onclick: () => { b.rates.push(emptyRate()); render(); } }, t("bidform.rate.add"))),
      h("fieldset", {},
        h("legend", {}, t("bidform.fees")),
        b.fees.map((f, i) => h("div", { class: "row bid-line", "data-line": `fee-${i}` },
          selectField(t("bidform.fee.kind", { n: i + 1 }), f.kind, words("fee", FEES),
            (v) => (f.kind = v), undefined, `bid.fee.${i}.kind` as Field),
          field(t("bidform.fee.amount", { n: i + 1 }), () => f.amount, (v) => (f.amount = v), `bid.fee.${i}.amount`, { inputmode: "decimal" }),
          h("button", { type: "button", class: "button-small", onclick: () => { b.fees.splice(i, 1); render(); } }, t("bidform.fee.remove", { n: i + 1 })))),
        h("button", { type: "button", class: "button-small", onclick: () => { b.fees.push({ kind: "automated_payment", amount: "" }); render(); } },
          t("bidform.fee.add"))),
      h("fieldset", {},
        h("legend", {}, t("bidform.commission")),
        h("p", { class: "hint" }, t("bidform.commission.hint")),
        h("div", { class: "row" },
          field(t("bidform.percent"), () => b.percent, (v) => (b.percent = v), "bid.percent", { inputmode: "decimal" }),
          field(t("bidform.commissionPerMinute"), () => b.commissionPerMinute, (v) => (b.commissionPerMinute = v), "bid.commission_per_minute", { inputmode: "decimal" })),
        h("div", { class: "row" },
          field(t("bidform.guarantee"), () => b.guarantee, (v) => (b.guarantee = v), "bid.guarantee", { inputmode: "decimal" }),
          field(t("bidform.bonus"), () => b.bonus, (v) => (b.bonus = v), "bid.bonus", { inputmode: "decimal" }),
          field(t("bidform.inKind"), () => b.inKind, (v) => (b.inKind = v), "bid.in_kind", { inputmode: "decimal" }))),
      h("div", { class: "buttons" },
        h("button", { type: "button", class: "button", "data-action": "bid-add", onclick: submit }, t("bidform.add"))),
      status);
  };

  /** Money as typed, read by the core in the page's language; a bad amount goes under its field. */
  const money = (text: string, name: string): string | null => {
    if (text.trim() === "") return "";
    const r = amount(text, lang(), "amount");
    if (r.ok) return r.value;
    showFieldError(box, name as Field, r.error);
    return null;
  };

  function submit(): void {
    clearFieldErrors(box);
    status.replaceChildren();
    const read: BidForm = { ...b, rates: [], fees: [] };
    const pairs: [keyof BidForm, string][] = [["percent", "bid.percent"], ["commissionPerMinute", "bid.commission_per_minute"],
      ["guarantee", "bid.guarantee"], ["bonus", "bid.bonus"], ["inKind", "bid.in_kind"]];
    for (const [key, name] of pairs) {
      const v = money(b[key] as string, name);
      if (v === null) return;
      (read[key] as string) = v;
    }
    for (const [i, r] of b.rates.entries()) {
      const perMinute = money(r.perMinute, `bid.rate.${i}.per_minute`);
      const firstMinute = perMinute === null ? null : money(r.firstMinute, `bid.rate.${i}.first_minute`);
      const perCall = firstMinute === null ? null : money(r.perCall, `bid.rate.${i}.per_call`);
      if (perMinute === null || firstMinute === null || perCall === null) return;
      read.rates.push({ ...r, perMinute, firstMinute, perCall });
    }
    for (const [i, f] of b.fees.entries()) {
      const v = money(f.amount, `bid.fee.${i}.amount`);
      if (v === null) return;
      read.fees.push({ ...f, amount: v });
    }
    const { text, fields } = bidFromForm(read);
    const file = fileName(b.name);
    // The core reads the bid as it will compare it; its message goes under the field.
    const r = compareBids(date(), [file], [text], null, null, null);
    const e = !r.ok ? { line: r.line, reason: r.reason ?? r.error, message: r.error } : r.value.errors[0];
    if (e) {
      const at = e.line ? fields.get(e.line) : undefined;
      if (!showFieldError(box, at as Field | undefined, e.reason)) fill(status, errorBox(e.reason));
      announce(t("error.title"));
      return;
    }
    add({ file, text, pasted: false });
    fill(status, h("p", { class: "muted", "data-field": "bidform.added" }, t("bidform.added", { file })),
      h("details", { class: "built" }, h("summary", {}, t("bidform.file")), h("pre", { class: "code", "data-testid": "bid-file" }, text)));
    announce(t("bidform.added", { file }));
  }

  render();
  return box;
}
