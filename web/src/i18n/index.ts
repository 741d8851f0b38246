// The page's words, in English and Spanish. Every string the page shows comes from a catalog
// (src/i18n/en.ts, src/i18n/es.ts); the core's own messages (findings, notes, errors) are
// written by the core in English and shown in Spanish through a catalog keyed by message type
// (src/i18n/messages-es.ts, `tm`). The Spanish catalogs are their own file, fetched the first
// time Spanish is chosen (and cached with the rest of the page for offline use), so an English
// visit does not download them.
import { en, type Key } from "./en";
import type { Lang } from "../state";

export type { Key };

const catalogs: Partial<Record<Lang, Record<Key, string>>> = { en };
/** The core's messages in a language other than English (the core writes English). */
const messages: Partial<Record<Lang, (message: string, words: (kind: string, value: string) => string) => string | null>> = {};
let current: Lang = "en";

/**
 * Switches the page's language, loading its catalog first if need be. If the catalog cannot be
 * loaded (offline before the page was ever cached), the page stays in English and says so in
 * the console.
 */
export async function setLang(lang: Lang): Promise<void> {
  if (!catalogs[lang]) {
    try {
      // size: the Spanish catalog (its words and the core's sentences) is its own chunk (13.5 KB
      // gzip), not in an English first load.
      if (lang === "es") {
        const es = await import("./es");
        catalogs.es = es.es;
        messages.es = es.messages;
      }
    } catch (e) {
      console.warn(`callcap: the ${lang} catalog could not be loaded; staying in English`, e);
    }
  }
  current = catalogs[lang] ? lang : "en";
}

export function lang(): Lang {
  return current;
}

/** A string from the current catalog, with `{name}` placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = catalogs[current]?.[key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** The core's words inside its English sentences that are a vocabulary's or a key's. */
const IN_WORDS: [RegExp, string][] = [
  [/\b(automated_payment|live_agent|paper_statement|third_party_transaction|single_call|account_setup|account_maintenance)\b/g, ""],
  [/\(give `operator`\)/g, "(say who runs it)"],
  [/\(give `county_fips`\)/g, "(give the county FIPS code)"],
  [/ \(null in JSON\)/g, " "],
];
const WORDS_EN: Record<string, string> = {
  automated_payment: "automated payment", live_agent: "live agent", paper_statement: "paper statement",
  third_party_transaction: "third-party transaction", single_call: "single-call", account_setup: "account setup",
  account_maintenance: "account maintenance",
};

/** The core's English sentence with its vocabulary words and keys said as words. */
export function inWords(message: string): string {
  return IN_WORDS.reduce((m, [re, to]) => m.replace(re, (w) => (to === " " ? "" : to || WORDS_EN[w] || w)), message);
}

/**
 * A message of the core (an error, a finding, a note) in the page's language: the catalog's
 * sentence for its message type; as the core wrote it in English, or when the catalog has no
 * such type (test/messages.test.ts keeps that from happening for the messages it knows).
 */
export function tm(message: string): string {
  return messages[current]?.(message, word) ?? inWords(message);
}

/** A vocabulary word of the core (`service.audio`, `fee.live_agent`, ...), or the word itself. */
export function word(kind: string, value: string): string {
  const key = `${kind}.${value}`;
  return key in en ? t(key as Key) : value;
}
