// The page's words, in English and Spanish. Every string the page shows comes from a catalog
// (src/i18n/en.ts, src/i18n/es.ts); the core's own messages (findings, notes, errors) are shown
// as the core writes them, in English. The Spanish catalog is its own file, fetched the first
// time Spanish is chosen (and cached with the rest of the page for offline use), so an English
// visit does not download it.
import { en, type Key } from "./en";
import type { Lang } from "../state";

export type { Key };

const catalogs: Partial<Record<Lang, Record<Key, string>>> = { en };
let current: Lang = "en";

/**
 * Switches the page's language, loading its catalog first if need be. If the catalog cannot be
 * loaded (offline before the page was ever cached), the page stays in English and says so in
 * the console.
 */
export async function setLang(lang: Lang): Promise<void> {
  if (!catalogs[lang]) {
    try {
      // size: the Spanish catalog is its own chunk (4.5 KB gzip), not in an English first load.
      if (lang === "es") catalogs.es = (await import("./es")).es;
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

/** A vocabulary word of the core (`service.audio`, `fee.live_agent`, ...), or the word itself. */
export function word(kind: string, value: string): string {
  const key = `${kind}.${value}`;
  return key in en ? t(key as Key) : value;
}
