// The page's words, in English and Spanish. Every string the page shows comes from a catalog
// (src/i18n/en.ts, src/i18n/es.ts); the core's own messages (findings, notes, errors) are shown
// as the core writes them, in English.
import { en, type Key } from "./en";
import { es } from "./es";
import type { Lang } from "../state";

export type { Key };

const catalogs: Record<Lang, Record<Key, string>> = { en, es };
let current: Lang = "en";

export function setLang(lang: Lang): void {
  current = lang;
}

export function lang(): Lang {
  return current;
}

/** A string from the current catalog, with `{name}` placeholders filled in. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = catalogs[current][key] ?? en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name: string) =>
    name in params ? String(params[name]) : m,
  );
}

/** A vocabulary word of the core (`service.audio`, `fee.live_agent`, ...), or the word itself. */
export function word(kind: string, value: string): string {
  const key = `${kind}.${value}`;
  return key in en ? t(key as Key) : value;
}
