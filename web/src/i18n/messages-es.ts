// The core's messages in Spanish, keyed by message type: each kind of sentence the core writes
// (web/wasm and src/), as the pattern of its English words, with its Spanish. The core's values
// (what was typed, numbers, citations) are carried over as they are. Loaded with the Spanish
// words (es.ts imports it); test/messages.test.ts fails when a message the core writes has no
// entry here.

/** Words the core puts into its sentences (what a count is of, and the like). */
const PHRASES: Record<string, string> = {
  "calls a week": "llamadas por semana",
  "calls a month": "llamadas al mes",
  "minutes": "minutos",
};

const phrase = (p: string) => PHRASES[p] ?? p;

/** `; it contains an invisible character U+200F: type it again without it` */
const INVISIBLE = "(?:; it contains an invisible character (U\\+[0-9A-F]{4,6}): type it again without it)?";
const invisible = (code: string | undefined) =>
  code ? `; contiene un carácter invisible ${code}: escríbalo de nuevo sin él` : "";

/** A word of the core's vocabularies in the page's language (`word("service", "audio")`). */
export type Words = (kind: string, value: string) => string;

export type MessageType = {
  /** The message type: a name for the kind of sentence. */
  id: string;
  /** The English sentence, as a pattern (the whole message). */
  en: RegExp;
  /** The Spanish sentence, from the pattern's groups (and the vocabulary's Spanish words). */
  es: (g: string[], w: Words) => string;
};

const m = (id: string, en: string, es: (g: string[], w: Words) => string): MessageType =>
  ({ id, en: new RegExp(`^${en}$`, "s"), es });

/** "audio intrastate prepaid", a kind of call as the core writes it, in words. */
const call = (text: string, w: Words) => {
  const [service, jurisdiction, payment] = text.split(" ");
  return `${w("service", service).toLowerCase()}, ${w("jurisdiction", jurisdiction).toLowerCase()}, ${w("payment", payment).toLowerCase()}`;
};

/** A quoted value as the core quotes it: `"..."` with `\"` escaped. */
const Q = '("(?:[^"\\\\]|\\\\.)*")';

export const MESSAGES_ES: MessageType[] = [
  // Counts (src/money.rs, parse_count).
  m("count.negative", `${Q} is negative; give a whole number of (.+), 0 or more`,
    (g) => `${g[1]} es negativo; escriba un número entero de ${phrase(g[2])}, 0 o más`),
  m("count.not_whole", `${Q} is not a whole number of (.+); write it like (\\d+)${INVISIBLE}`,
    (g) => `${g[1]} no es un número entero de ${phrase(g[2])}; escríbalo como ${g[3]}${invisible(g[4])}`),
  m("count.too_large", `${Q} is too large a number of (.+) \\(at most (\\d+)\\)`,
    (g) => `${g[1]} es un número demasiado grande de ${phrase(g[2])} (como máximo ${g[3]})`),
  // Money typed in a form (src/money.rs, parse_typed_amount, parse_amount).
  m("amount.not_money", `${Q} is not an amount of money; write it like ([\\d.,]+)${INVISIBLE}`,
    (g) => `${g[1]} no es una cantidad de dinero; escríbala como ${g[2]}${invisible(g[3])}`),
  m("amount.not_decimal", `${Q} is not a decimal amount; write it like "0.21"${INVISIBLE}`,
    (g) => `${g[1]} no es una cantidad decimal; escríbala como "0.21"${invisible(g[2])}`),
  m("amount.negative", "`(.*)` is negative; amounts are 0 or more",
    (g) => `«${g[1]}» es negativo; las cantidades son 0 o más`),
  m("amount.places", "`(.*)` has (\\d+) decimal places; at most (\\d+) are accepted",
    (g) => `«${g[1]}» tiene ${g[2]} decimales; se aceptan como máximo ${g[3]}`),
  m("amount.too_large", "`(.*)` is too large; amounts up to (\\d+) are accepted",
    (g) => `«${g[1]}» es demasiado grande; se aceptan cantidades de hasta ${g[2]}`),
  // The facility (src/facility.rs) and the binding's required fields (web/wasm/src/api.rs).
  m("adp.required", "give the average daily population, like 640",
    () => "escriba la población diaria promedio, como 640"),
  m("adp.not_whole", `${Q} is not a whole number; give the average daily population, like 640${INVISIBLE}`,
    (g) => `${g[1]} no es un número entero; escriba la población diaria promedio, como 640${invisible(g[2])}`),
  m("adp.at_least_one", "average daily population (`-?\\d+`|" + Q + ") must be a whole number of at least 1",
    (g) => `la población diaria promedio ${g[1]} debe ser un número entero de al menos 1`),
  m("adp.too_large", "average daily population (`\\d+`|" + Q + ") is too large \\(at most (\\d+)\\)",
    (g) => `la población diaria promedio ${g[1]} es demasiado grande (como máximo ${g[3]})`),
  m("state.bad", "state `(.*)` must be a two-letter postal code in capitals, like \"TX\"",
    (g) => `el estado «${g[1]}» debe ser un código postal de dos letras mayúsculas, como "TX"`),
  m("county_fips.bad", `county FIPS code ${Q} must be five digits \\(state and county\\), like "06073"${INVISIBLE}`,
    (g) => `el código FIPS del condado ${g[1]} debe tener cinco dígitos (estado y condado), como "06073"${invisible(g[2])}`),
  m("date.bad", `${Q} is not a real date; write it as YYYY-MM-DD, like "2026-04-06"${INVISIBLE}`,
    (g) => `${g[1]} no es una fecha real; escríbala como AAAA-MM-DD, como "2026-04-06"${invisible(g[2])}`),
  // The family's plan (src/estimate.rs, FamilyPlan; web/wasm/src/api.rs).
  m("minutes.required", "give the minutes per call, like 15", () => "escriba los minutos por llamada, como 15"),
  m("plan.minutes", "minutes per call must be from 1 to (\\d+)",
    (g) => `los minutos por llamada deben ser de 1 a ${g[1]}`),
  m("plan.calls_month", "at most (\\d+) calls a month", (g) => `como máximo ${g[1]} llamadas al mes`),
  m("plan.calls_week", "(\\d+) calls a week are (\\d+) a month; at most (\\d+) calls a week \\((\\d+) a month\\) are accepted",
    (g) => `${g[1]} llamadas por semana son ${g[2]} al mes; se aceptan como máximo ${g[3]} llamadas por semana (${g[4]} al mes)`),
  m("plan.both", "give calls a month or calls a week, not both",
    () => "indique llamadas al mes o llamadas por semana, no ambas"),
  m("estimate.no_maximum", "no federal, state or local cap covered (\\w+ \\w+ \\w+) calls from a (\\w+) on (\\d{4}-\\d{2}-\\d{2}); enter the provider's rates instead",
    (g, w) => `ningún límite federal, estatal o local cubría las llamadas (${call(g[1], w)}) desde una ${w("kind", g[2]).toLowerCase()} el ${g[3]}; escriba en su lugar las tarifas del proveedor`),
  m("plan.deposit", "a deposit is in dollars and at least \\$(\\d+(?:\\.\\d+)?), like 25",
    (g) => `un depósito es en dólares y de al menos $${g[1]}, como 25`),
];

/** The Spanish of a message of the core, or `null` when its type is not in the catalog. */
export function messageEs(message: string, w: Words = (_, v) => v): string | null {
  for (const t of MESSAGES_ES) {
    const g = t.en.exec(message);
    if (g) return t.es([...g].map((x) => x ?? ""), w);
  }
  return null;
}
