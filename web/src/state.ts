// The page's state, and its place in the URL: `#<section>?key=value&...` holds every input that
// differs from its default, so a link reopens the page as it was. The hash is never sent to
// the server. Values are kept as typed; the core checks them when they are used.

export type Section = "calls" | "bids" | "check" | "caps";
export type Lang = "en" | "es";
export type CallsMode = "max" | "rates" | "tariff";

export const SECTIONS: Section[] = ["calls", "bids", "check", "caps"];

export interface State {
  section: Section;
  lang: Lang;
  /** The date whose rules apply (empty: today). */
  date: string;
  calls: {
    mode: CallsMode;
    kind: string;
    adp: string;
    perWeek: string;
    minutes: string;
    service: string;
    jurisdiction: string;
    payment: string;
    method: string;
    deposit: string;
    /** How the bill shows the price: `minute` (a price a minute) or `call` (a price per call of some minutes). */
    priceBy: string;
    perMinute: string;
    /** A price per call of `callMinutes` minutes, as the bill shows it. */
    callPrice: string;
    callMinutes: string;
    perCall: string;
    fee: string;
    /** A third-party fee on each deposit. */
    fee3: string;
    /** An example tariff's name, or "" for pasted text. */
    example: string;
    text: string;
    /** Where the facility is and who runs it (each "" when not known). */
    state: string;
    operator: string;
    county: string;
  } & Chosen;
  bids: {
    /** The example bids included, by name. */
    examples: string[];
    adp: string;
  };
  /** The tariff to check, and where its facility is (each "" when not known). */
  check: { example: string; text: string; state: string; operator: string; county: string };
  caps: { kind: string; adp: string; state: string; operator: string; county: string } & Chosen;
}

/**
 * A facility chosen in the directory (the finder): its id, its name as shown, and the kind and
 * population the directory gave (so that a field still holding them is left to the directory,
 * and one corrected is given). All "" when none is chosen.
 */
export interface Chosen {
  facilityId: string;
  facilityName: string;
  dirKind: string;
  dirAdp: string;
  /** The year the directory's population was reported. */
  dirYear: string;
}

export const NONE_CHOSEN: Chosen = { facilityId: "", facilityName: "", dirKind: "", dirAdp: "", dirYear: "" };

export function defaults(): State {
  return {
    section: "calls",
    lang: "en",
    date: "",
    calls: {
      mode: "max",
      kind: "jail",
      adp: "640",
      perWeek: "4",
      minutes: "15",
      service: "audio",
      jurisdiction: "intrastate",
      payment: "prepaid",
      method: "automated_payment",
      deposit: "25.00",
      priceBy: "minute",
      perMinute: "0.21",
      callPrice: "",
      callMinutes: "15",
      perCall: "",
      fee: "3.00",
      fee3: "",
      example: "tx-county-jail-large-2026-compliant",
      text: "",
      state: "",
      operator: "",
      county: "",
      ...NONE_CHOSEN,
    },
    bids: {
      examples: [
        "riverbend-vendor-a-high-commission",
        "riverbend-vendor-b-no-commission-under-cap",
        "riverbend-vendor-c-middle-starts-2025",
      ],
      adp: "",
    },
    check: { example: "nv-county-jail-large-2026-deposit-fees", text: "", state: "", operator: "", county: "" },
    caps: { kind: "jail", adp: "640", state: "", operator: "", county: "", ...NONE_CHOSEN },
  };
}

/** URL keys of the string fields, per section. */
const KEYS = {
  calls: {
    mode: "c.mode",
    kind: "c.kind",
    adp: "c.adp",
    perWeek: "c.cpw",
    minutes: "c.min",
    service: "c.svc",
    jurisdiction: "c.jur",
    payment: "c.pay",
    method: "c.dm",
    deposit: "c.dep",
    priceBy: "c.pby",
    perMinute: "c.ppm",
    callPrice: "c.cp",
    callMinutes: "c.cpm",
    perCall: "c.ppc",
    fee: "c.fee",
    fee3: "c.fee3",
    example: "c.ex",
    text: "c.t",
    state: "c.st",
    operator: "c.op",
    county: "c.fips",
    facilityId: "c.fid",
    facilityName: "c.fn",
    dirKind: "c.fk",
    dirAdp: "c.fa",
    dirYear: "c.fy",
  },
  check: { example: "k.ex", text: "k.t", state: "k.st", operator: "k.op", county: "k.fips" },
  caps: {
    kind: "p.kind", adp: "p.adp", state: "p.st", operator: "p.op", county: "p.fips",
    facilityId: "p.fid", facilityName: "p.fn", dirKind: "p.fk", dirAdp: "p.fa", dirYear: "p.fy",
  },
} as const;

/** Longest pasted text kept in a link (longer text is left out, and the page says so). */
export const MAX_TEXT_IN_LINK = 4000;

/** The URL hash for a state: only what differs from the defaults. */
export function encode(state: State): string {
  const d = defaults();
  const params = new URLSearchParams();
  if (state.lang !== d.lang) params.set("lang", state.lang);
  if (state.date !== d.date) params.set("date", state.date);
  for (const part of ["calls", "check", "caps"] as const) {
    const keys = KEYS[part] as Record<string, string>;
    const values = state[part] as Record<string, string>;
    const base = d[part] as Record<string, string>;
    for (const [field, key] of Object.entries(keys)) {
      const v = values[field] ?? "";
      if (field === "text" && v.length > MAX_TEXT_IN_LINK) continue;
      if (v !== base[field]) params.set(key, v);
    }
  }
  if (state.bids.examples.join(",") !== d.bids.examples.join(",")) {
    params.set("b.ex", state.bids.examples.length ? state.bids.examples.join(",") : "none");
  }
  if (state.bids.adp !== d.bids.adp) params.set("b.adp", state.bids.adp);
  const query = params.toString();
  return `#${state.section}${query ? `?${query}` : ""}`;
}

/** The state a URL hash describes (unknown keys are ignored; missing ones take defaults). */
export function decode(hash: string): State {
  const state = defaults();
  const h = hash.startsWith("#") ? hash.slice(1) : hash;
  const q = h.indexOf("?");
  const section = q < 0 ? h : h.slice(0, q);
  if ((SECTIONS as string[]).includes(section)) state.section = section as Section;
  const params = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  const lang = params.get("lang");
  if (lang === "en" || lang === "es") state.lang = lang;
  state.date = params.get("date") ?? state.date;
  for (const part of ["calls", "check", "caps"] as const) {
    const keys = KEYS[part] as Record<string, string>;
    const values = state[part] as Record<string, string>;
    for (const [field, key] of Object.entries(keys)) {
      const v = params.get(key);
      if (v !== null) values[field] = v;
    }
  }
  const mode = state.calls.mode;
  if (mode !== "max" && mode !== "rates" && mode !== "tariff") state.calls.mode = "max";
  const examples = params.get("b.ex");
  if (examples !== null) {
    state.bids.examples = examples === "none" ? [] : examples.split(",").filter(Boolean);
  }
  state.bids.adp = params.get("b.adp") ?? state.bids.adp;
  return state;
}
