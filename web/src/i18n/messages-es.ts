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

/** An amount as the core writes it in a sentence (`$1,250.00`, `$0.21`). */
const M = "(\\$[\\d,]+(?:\\.\\d+)?)";
/** A day as the core writes it (`2026-06-01`). */
const DAY = "(\\d{4}-\\d{2}-\\d{2})";
/** A day in Spanish words: "1 de junio de 2026" (the page's own convention, es-US). */
const day = (iso: string) => {
  const d = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat("es-US", { dateStyle: "long", timeZone: "UTC" }).format(d);
};
/** A fee kind in words, lower case after its first word ("cargo por agente en vivo"). */
const fee = (kind: string, w: Words) => w("fee", kind).replace(/^./, (c) => c.toLowerCase());
const FEE_UP = (kind: string, w: Words) => w("fee", kind);
/** A list of words the core joins with commas ("state, county, city"). */
const list = (text: string, f: (x: string) => string) => text.split(", ").map(f).join(", ");
const OPERATORS: Record<string, string> = {
  state: "el estado", county: "el condado", city: "una ciudad", private: "una empresa privada", federal: "el gobierno federal",
};
const SERVICES: Record<string, string> = { audio: "audio", video: "video", messaging: "mensajes" };
const JURISDICTIONS: Record<string, string> = {
  local: "locales", intrastate: "dentro del estado", interstate: "interestatales", international: "internacionales",
};
const PERIODS: Record<string, string> = { day: "día", week: "semana", month: "mes" };
const CALLS: Record<string, string> = {
  "all calls": "todas las llamadas", "in-state calls": "las llamadas dentro del estado",
  "calls within the U.S.": "las llamadas dentro de EE. UU.", "international calls": "las llamadas internacionales",
};
/** "audio, video and messaging" */
const services = (text: string) => text.replace(/ and /, ", ").split(", ").map((x) => SERVICES[x] ?? x)
  .join(", ").replace(/, ([^,]+)$/, " y $1");

/** What a tariff pays as commission ("55% of revenue, a $150,000.00 minimum annual guarantee"). */
function commissionParts(text: string): string {
  return text.split(", ").map((p) => {
    let m: RegExpExecArray | null;
    if ((m = /^([\d.]+)% of revenue$/.exec(p))) return `el ${m[1]}% de los ingresos`;
    if ((m = new RegExp(`^a ${M} minimum annual guarantee$`).exec(p))) return `una garantía mínima anual de ${m[1]}`;
    if ((m = new RegExp(`^a ${M} signing bonus$`).exec(p))) return `un bono por firma de ${m[1]}`;
    if ((m = new RegExp(`^${M} a year in kind$`).exec(p))) return `${m[1]} al año en especie`;
    if ((m = new RegExp(`^${M} a minute$`).exec(p))) return `${m[1]} por minuto`;
    return p;
  }).join(", ");
}

/** What a state or local rule does, as the core says it (`summary`), in Spanish, or null. */
export function summaryEs(text: string, w: Words): string | null {
  const m = /^(.+?), (all calls|in-state calls|calls within the U\.S\.|international calls): (.+)$/s.exec(text);
  if (!m) return null;
  const what = whatEs(m[3], w);
  return what === null ? null : `${services(m[1])}, ${CALLS[m[2]]}: ${what}`;
}

function whatEs(text: string, w: Words): string | null {
  const parts = text.split("; ");
  const out: string[] = [];
  for (const part of parts) {
    const pieces = part.split(" and at most ").map((x, i) => (i ? `at most ${x}` : x));
    const said: string[] = [];
    for (const x of pieces) {
      const e = pieceEs(x, w);
      if (e === null) return null;
      said.push(e);
    }
    out.push(said.join(" y "));
  }
  return out.join("; ");
}

function pieceEs(x: string, w: Words): string | null {
  let m: RegExpExecArray | null;
  if (x === "free to families") return "gratuitas para las familias";
  if (x === "no commission") return "ninguna comisión";
  if (x === "no commission beyond the agency's reasonable costs") return "ninguna comisión más allá de los costos razonables de la agencia";
  if (x === "bans per-call charges") return "prohíbe los cargos por llamada";
  if ((m = new RegExp(`^at most ${M} a minute$`).exec(x))) return `como máximo ${m[1]} por minuto`;
  if ((m = new RegExp(`^at most ${M} for a (\\d+)-minute call$`).exec(x))) return `como máximo ${m[1]} por una llamada de ${m[2]} minutos`;
  if ((m = /^the agency pays ([\d.]+)% of the cost$/.exec(x))) return `la agencia paga el ${m[1]}% del costo`;
  if ((m = new RegExp(`^at most the FCC's (\\w+) cap \\(${M} a minute for audio prepaid calls here today\\)$`).exec(x))) {
    return `como máximo el límite de la FCC para llamadas ${JURISDICTIONS[m[1]] ?? m[1]} (${m[2]} por minuto para llamadas de audio prepagadas aquí hoy)`;
  }
  if ((m = /^at most the FCC's (\w+) cap \(none in force today\)$/.exec(x))) {
    return `como máximo el límite de la FCC para llamadas ${JURISDICTIONS[m[1]] ?? m[1]} (ninguno vigente hoy)`;
  }
  if ((m = /^bans (.+) fees$/.exec(x))) return `prohíbe estos cargos: ${list(m[1], (k) => fee(k, w))}`;
  if ((m = new RegExp(`^(\\w+) fees at most ${M}$`).exec(x))) return `${fee(m[1], w)}: como máximo ${m[2]}`;
  if ((m = /^applies the FCC's fee rules for (\w+) calls$/.exec(x))) return `aplica las reglas de cargos de la FCC para llamadas ${JURISDICTIONS[m[1]] ?? m[1]}`;
  if ((m = /^(\d+) free minutes a (\w+)$/.exec(x))) return `${m[1]} minutos gratis por ${PERIODS[m[2]] ?? m[2]}`;
  if ((m = /^(\d+) free calls? a (\w+)(?:, up to (\d+) minutes each)?$/.exec(x))) {
    return `${m[1]} llamada${m[1] === "1" ? "" : "s"} gratis por ${PERIODS[m[2]] ?? m[2]}${m[3] ? `, de hasta ${m[3]} minutos cada una` : ""}`;
  }
  if ((m = /^free calls each (\w+)$/.exec(x))) return `llamadas gratis cada ${PERIODS[m[1]] ?? m[1]}`;
  return null;
}

/** Why a rule only may apply, as the core says it (`may_apply_because`), in Spanish, or null. */
export function whyEs(text: string): string | null {
  const out: string[] = [];
  for (const r of text.split(/; (?=it |its |the state)/)) {
    let m: RegExpExecArray | null;
    if (r === "the state is not given") out.push("no se indica el estado");
    else if (r === "it covers only some kinds of facility") out.push("solo cubre algunos tipos de centro");
    else if (r === "it is a local rule and the tariff does not name the county (give `county_fips`)") {
      out.push("es una regla local y no se indica el condado (indique el código FIPS del condado)");
    } else if ((m = /^it covers facilities run by (.+) only, and the tariff does not say who runs this one \(give `operator`\)$/.exec(r))) {
      out.push(`solo cubre centros administrados por ${list(m[1], (o) => OPERATORS[o] ?? o).replace(/, ([^,]+)$/, " o $1")}, y no se indica quién administra este (indique quién lo administra)`);
    } else if ((m = /^its condition, which callcap cannot check: (.+)$/s.exec(r))) {
      // The condition is the rate book's own words (English): quoted as written.
      out.push(`su condición, que callcap no puede comprobar (en inglés en los datos): «${m[1]}»`);
    } else return null;
  }
  return out.join("; ");
}

/** A size tier's name (`Medium jail, ADP 350–999`), in Spanish, or null. */
export function tierEs(text: string): string | null {
  const sizes: Record<string, string> = {
    "Extremely small jail": "Cárcel extremadamente pequeña", "Very small jail": "Cárcel muy pequeña", "Small jail": "Cárcel pequeña",
    "Medium jail": "Cárcel mediana", "Large jail": "Cárcel grande", "Jail": "Cárcel", "Prison": "Prisión",
  };
  const m = /^(Extremely small jail|Very small jail|Small jail|Medium jail|Large jail|Jail|Prison)(?:, ADP (?:(under )?([\d,]+)(–[\d,]+| or more)?))?( \(FCC (\d+-\d+) rules until (\d{4}-\d{2}-\d{2})\))?$/.exec(text);
  if (!m) return null;
  let adp = "";
  if (m[3]) adp = m[2] ? `, población diaria promedio menor de ${m[3]}`
    : m[4] === " or more" ? `, población diaria promedio de ${m[3]} o más` : `, población diaria promedio ${m[3]}${m[4] ?? ""}`;
  const until = m[5] ? ` (reglas de la FCC ${m[6]} hasta el ${day(m[7])})` : "";
  return `${sizes[m[1]]}${adp}${until}`;
}

/** The regimes' names (the rate book's, regimes.toml), in Spanish. */
const REGIMES: Record<string, string> = {
  "FCC 13-113 interim interstate caps": "Límites interestatales provisionales de la FCC 13-113",
  "FCC 13-113 caps with the FCC 15-136 ancillary-fee and per-call rules that took effect":
    "Límites de la FCC 13-113 con las reglas de cargos auxiliares y por llamada de la FCC 15-136 que entraron en vigor",
  "FCC 20-111 order on remand": "Orden de la FCC 20-111 tras la devolución del tribunal",
  "FCC 21-60 interstate and international caps": "Límites interestatales e internacionales de la FCC 21-60",
  "FCC 21-60 caps with FCC 22-76 ancillary changes": "Límites de la FCC 21-60 con los cambios de cargos auxiliares de la FCC 22-76",
  "FCC 24-75 in effect; 2021 caps continue until its compliance dates":
    "FCC 24-75 vigente; los límites de 2021 siguen hasta sus fechas de cumplimiento",
  "FCC 24-75 caps for prisons and jails with ADP 1,000+; 2021 rules for smaller jails":
    "Límites de la FCC 24-75 para prisiones y cárceles con población diaria promedio de 1,000 o más; reglas de 2021 para cárceles más pequeñas",
  "FCC 24-75 audio and video caps, all facilities": "Límites de audio y video de la FCC 24-75, todos los centros",
  "DA 25-565 waiver: 2021 interstate and international caps again":
    "Dispensa DA 25-565: de nuevo los límites interestatales e internacionales de 2021",
  "FCC 25-75 in effect; waiver regime continues until its compliance date":
    "FCC 25-75 vigente; el régimen de la dispensa sigue hasta su fecha de cumplimiento",
  "FCC 25-75 interim audio and video caps plus $0.02 facility rate additive":
    "Límites provisionales de audio y video de la FCC 25-75 más el adicional de $0.02 para el centro",
};

/** A name from the rate book (a regime's or a tier's), in Spanish, or null. */
export function nameEs(text: string): string | null {
  return REGIMES[text] ?? tierEs(text);
}

/** The fields a facility of the directory had filled in from it (`took name, state, ...`). */
const DIR_FIELDS: Record<string, string> = {
  name: "nombre", state: "estado", county_fips: "código FIPS del condado", kind: "tipo", operator: "quién lo administra",
  population: "población",
};

/** Why a facility's size is unknown, in Spanish. */
function reasonEs(reason: string): string {
  const none = /^HIFLD reports no population for facility (\d+)$/.exec(reason);
  if (none) return `HIFLD no informa la población del centro ${none[1]}`;
  const zero = /^HIFLD reports a population of 0 for facility (\d+)$/.exec(reason);
  if (zero) return `HIFLD informa una población de 0 para el centro ${zero[1]}`;
  return reason;
}

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
  m("call_price.required", "give the price of one call as your bill shows it, like 3.15",
    () => "escriba el precio de una llamada como aparece en su factura, como 3,15"),
  m("call_minutes.required", "give the call's length in minutes, like 15", () => "escriba la duración de la llamada en minutos, como 15"),
  m("call_price.no_length", "a price per call needs the call's length: 1 minute or more",
    () => "un precio por llamada necesita la duración de la llamada: 1 minuto o más"),
  m("plan.minutes", "minutes per call must be from 1 to (\\d+)",
    (g) => `los minutos por llamada deben ser de 1 a ${g[1]}`),
  m("plan.calls_month", "at most (\\d+) calls a month", (g) => `como máximo ${g[1]} llamadas al mes`),
  m("plan.calls_week", "(\\d+) calls a week are (\\d+) a month; at most (\\d+) calls a week \\((\\d+) a month\\) are accepted",
    (g) => `${g[1]} llamadas por semana son ${g[2]} al mes; se aceptan como máximo ${g[3]} llamadas por semana (${g[4]} al mes)`),
  m("plan.both", "give calls a month or calls a week, not both",
    () => "indique llamadas al mes o llamadas por semana, no ambas"),
  m("estimate.no_maximum", "no federal, state or local cap covered (\\w+ \\w+ \\w+) calls from a (\\w+) on (\\d{4}-\\d{2}-\\d{2}); enter the provider's rates instead",
    (g, w) => `ningún límite federal, estatal o local cubría las llamadas (${call(g[1], w)}) desde una ${w("kind", g[2]).toLowerCase()} el ${day(g[3])}; escriba en su lugar las tarifas del proveedor`),
  // Findings (src/check/).
  m("free_calls", "these calls are free to families under (.+): the tariff charges " + M + " a minute(?: and " + M + " a call)?",
    (g) => `según ${g[1]} estas llamadas son gratuitas para las familias: la tarifa cobra ${g[2]} por minuto${g[3] ? ` y ${g[3]} por llamada` : ""}`),
  m("call_total", "a (\\d+)-minute call costs " + M + ", above the " + M + " that (.+) allows for it",
    (g) => `una llamada de ${g[1]} minutos cuesta ${g[2]}, más de los ${g[3]} que permite ${g[4]}`),
  m("state_cap", M + " a minute is above the " + M + " cap of (.+?)(, the FCC's interstate cap for this facility on this day)?",
    (g) => `${g[1]} por minuto supera el límite de ${g[2]} de ${g[3]}${g[4] ? ", el límite interestatal de la FCC para este centro en este día" : ""}`),
  m("first_minute_state", "the first minute's " + M + " is above the " + M + " cap of (.+?)(, the FCC's interstate cap for this facility on this day)?",
    (g) => `el primer minuto, de ${g[1]}, supera el límite de ${g[2]} de ${g[3]}${g[4] ? ", el límite interestatal de la FCC para este centro en este día" : ""}`),
  m("cap", M + " a minute is above the " + M + " cap(?: \\+ " + M + " facility component)? for (.+?)(; lawful only if the excess is the provider's pass-through cost of terminating the call abroad)?",
    (g) => `${g[1]} por minuto supera el límite de ${g[2]}${g[3] ? ` + ${g[3]} del componente del centro` : ""} para ${nameEs(g[4])?.replace(/^./, (c) => c.toLowerCase()) ?? g[4]}${g[5] ? "; es legal solo si el exceso es el costo que el proveedor traslada por terminar la llamada en el extranjero" : ""}`),
  m("no_cap", "no federal cap covered these calls on " + DAY, (g) => `ningún límite federal cubría estas llamadas el ${day(g[1])}`),
  m("no_cap_any", "no FCC rate cap applied to any call on " + DAY, (g) => `ningún límite de tarifa de la FCC se aplicaba a ninguna llamada el ${day(g[1])}`),
  m("per_call", "a " + M + " charge per call; per-call \\(connection\\) charges are not allowed",
    (g) => `un cargo de ${g[1]} por llamada; no se permiten cargos por llamada (de conexión)`),
  m("per_call_state", "a " + M + " charge per call; (.+) bans per-call charges",
    (g) => `un cargo de ${g[1]} por llamada; ${g[2]} prohíbe los cargos por llamada`),
  m("first_minute", "the first minute costs " + M + ", more than the " + M + " of every other minute: a per-call charge by another name",
    (g) => `el primer minuto cuesta ${g[1]}, más que los ${g[2]} de cada uno de los demás: un cargo por llamada con otro nombre`),
  m("first_minute_banned", "the first minute costs " + M + ", more than the " + M + " of the others: a per-call charge, which (.+) bans",
    (g) => `el primer minuto cuesta ${g[1]}, más que los ${g[2]} de los demás: un cargo por llamada, que ${g[3]} prohíbe`),
  m("equivalence", "a (\\d+)-minute call costs " + M + ", above (\\d+) minutes at the " + M + " cap \\(" + M + "\\)",
    (g) => `una llamada de ${g[1]} minutos cuesta ${g[2]}, más que ${g[3]} minutos al límite de ${g[4]} (${g[5]})`),
  m("increment", "billing in (\\d+)-second increments bills a (\\d+)-second call as (\\d+) seconds: " + M + ", above its (\\d+) minutes? at the " + M + " cap \\(" + M + "\\), by " + M,
    (g) => `cobrar en incrementos de ${g[1]} segundos cobra una llamada de ${g[2]} segundos como de ${g[3]} segundos: ${g[4]}, más que sus ${g[5]} minuto(s) al límite de ${g[6]} (${g[7]}), por ${g[8]}`),
  m("fee_banned", "an? (\\w+) fee \\(" + M + "(?: on a " + M + " deposit)?\\) may not be charged",
    (g, w) => `${FEE_UP(g[1], w)} (${g[2]}${g[3] ? ` en un depósito de ${g[3]}` : ""}): no se puede cobrar`),
  m("fee_pass", "an? (\\w+) fee \\(" + M + "(?: on a " + M + " deposit)?\\) is allowed only as the third party's own charge, without markup; callcap cannot see the third party's charge",
    (g, w) => `${FEE_UP(g[1], w)} (${g[2]}${g[3] ? ` en un depósito de ${g[3]}` : ""}): solo se permite como el cargo propio del tercero, sin recargo; callcap no puede ver el cargo del tercero`),
  m("fee_state_banned", "an? (\\w+) fee \\(" + M + "(?: on a " + M + " deposit)?\\): (.+?)(, applying the FCC's fee rules)? bans it",
    (g, w) => `${FEE_UP(g[1], w)} (${g[2]}${g[3] ? ` en un depósito de ${g[3]}` : ""}): ${g[4]}${g[5] ? ", que aplica las reglas de cargos de la FCC," : ""} lo prohíbe`),
  m("fee_state_cap", "an? (\\w+) fee \\(" + M + "(?: on a " + M + " deposit)?\\): (.+?)(, applying the FCC's fee rules)? allows at most " + M,
    (g, w) => `${FEE_UP(g[1], w)} (${g[2]}${g[3] ? ` en un depósito de ${g[3]}` : ""}): ${g[4]}${g[5] ? ", que aplica las reglas de cargos de la FCC," : ""} permite como máximo ${g[6]}`),
  m("fee_cap", "an? (\\w+) fee of " + M + " is above the " + M + " cap",
    (g, w) => `${FEE_UP(g[1], w)} de ${g[2]} supera el límite de ${g[3]}`),
  m("commission", "site commissions \\(monetary or in kind\\) are not allowed; this tariff pays (.+)",
    (g) => `no se permiten comisiones para el centro (en dinero o en especie); esta tarifa paga ${commissionParts(g[1])}`),
  m("commission_state", "(.+) bans commissions( beyond the agency's reasonable costs)?; this tariff pays one",
    (g) => `${g[1]} prohíbe las comisiones${g[2] ? " más allá de los costos razonables de la agencia" : ""}; esta tarifa paga una`),
  m("tax", '"(.+)" \\(([\\d.]+)% of call charges\\) is passed through as a tax or fee: no federal rule limited taxes and fees passed through on ' + DAY + "; callcap cannot verify it",
    (g) => `«${g[1]}» (${g[2]}% de los cargos por llamadas) se traslada como impuesto o cargo: ninguna regla federal limitaba los impuestos y cargos trasladados el ${day(g[3])}; callcap no puede verificarlo`),
  m("tax_rule", '"(.+)" \\(([\\d.]+)% of call charges\\) is passed through as a tax or fee: the rules allow (on interstate and international calls )?only taxes and fees that a government requires or authorizes the provider to collect, with no markup; callcap cannot verify that it is one \\(a provider\'s own surcharge, such as "cost recovery", is not\\)',
    (g) => `«${g[1]}» (${g[2]}% de los cargos por llamadas) se traslada como impuesto o cargo: las reglas permiten${g[3] ? " en llamadas interestatales e internacionales" : ""} solo impuestos y cargos que un gobierno exige o autoriza al proveedor a cobrar, sin recargo; callcap no puede verificar que lo sea (un recargo propio del proveedor, como "recuperación de costos", no lo es)`),
  m("allowance_minutes", "under (.+) families get (\\d+) free minutes each (\\w+) before the tariff applies",
    (g) => `según ${g[1]} las familias reciben ${g[2]} minutos gratis cada ${PERIODS[g[3]] ?? g[3]} antes de que se aplique la tarifa`),
  m("allowance_calls", "under (.+) families get (\\d+) free calls?(?: of up to (\\d+) minutes)? each (\\w+) before the tariff applies",
    (g) => `según ${g[1]} las familias reciben ${g[2]} llamada${g[2] === "1" ? "" : "s"} gratis${g[3] ? ` de hasta ${g[3]} minutos` : ""} cada ${PERIODS[g[4]] ?? g[4]} antes de que se aplique la tarifa`),
  m("agency_share", "under (.+) the agency pays ([\\d.]+)% of the cost of these calls; families pay the rest",
    (g) => `según ${g[1]} la agencia paga el ${g[2]}% del costo de estas llamadas; las familias pagan el resto`),
  m("no_state_rules", "callcap has no state or local rules for (\\w\\w) yet: only the FCC's rules were checked",
    (g) => `callcap aún no tiene reglas estatales ni locales de ${g[1]}: solo se revisaron las reglas de la FCC`),
  m("may_apply_breaks", "(.+?) — (.+); the tariff breaks it if it applies, which depends on what callcap does not know: (.+)",
    (g, w) => `${g[1]} — ${summaryEs(g[2], w) ?? g[2]}; la tarifa la viola si se aplica, lo que depende de lo que callcap no sabe: ${whyEs(g[3]) ?? g[3]}`),
  m("may_apply_meets", "(.+?) — (.+); it may apply \\((.+)\\), and the tariff meets it",
    (g, w) => `${g[1]} — ${summaryEs(g[2], w) ?? g[2]}; puede aplicarse (${whyEs(g[3]) ?? g[3]}), y la tarifa la cumple`),
  // Notes of an estimate (src/estimate.rs) and of a comparison (src/compare.rs).
  m("note.per_week", "(\\d+) calls a week are (\\d+) calls a month \\(52 weeks over 12 months, to the nearest call\\)",
    (g) => `${g[1]} llamadas por semana son ${g[2]} llamadas al mes (52 semanas en 12 meses, redondeado a la llamada)`),
  m("note.assumed", "no number of calls was given: (\\d+) calls a month are assumed", (g) => `no se indicó el número de llamadas: se suponen ${g[1]} llamadas al mes`),
  m("note.rounding", "each call and each deposit fee is rounded to the cent; taxes are rounded once for the month",
    () => "cada llamada y cada cargo por depósito se redondean al centavo; los impuestos se redondean una vez al mes"),
  m("note.fees", "deposit fees: the deposit method's fee and any third-party transaction fee, per deposit; an account_maintenance fee once a month; other fees are not part of a regular month",
    () => "cargos por depósito: el cargo del método de depósito y cualquier cargo por transacción de terceros, por depósito; un cargo por mantenimiento de cuenta una vez al mes; los demás cargos no forman parte de un mes normal"),
  m("note.one_deposit", "no deposit size given: one deposit a month of exactly what the calls cost",
    () => "no se indicó el tamaño del depósito: un depósito al mes de exactamente lo que cuestan las llamadas"),
  m("note.method", "fee limits that depend on how the deposit is made are those for deposits by (\\w+)",
    (g, w) => `los límites de cargos que dependen de cómo se hace el depósito son los de depósitos ${w("method", g[1]).replace(/^./, (c) => c.toLowerCase())}`),
  m("note.at_max", "no tariff given: the month is priced at the legal maximum \\(cap plus any additive, no fees\\)",
    () => "no se indicó una tarifa: el mes se calcula al máximo legal (el límite más cualquier adicional, sin cargos)"),
  m("note.no_max", "no federal, state or local cap covered (\\w+ \\w+ \\w+) calls on " + DAY + ": there is no legal maximum to compare",
    (g, w) => `ningún límite federal, estatal o local cubría las llamadas (${call(g[1], w)}) el ${day(g[2])}: no hay máximo legal con qué comparar`),
  m("note.set_by", "the legal maximum is set by a (state|local) rule: (.+)",
    (g) => `el máximo legal lo fija una regla ${g[1] === "state" ? "estatal" : "local"}: ${g[2]}`),
  m("note.uncertain_call", "each call may cost " + M + " more than the rules allow, under a rule that may apply or whose text is uncertain \\(a warning in the findings\\): not counted in the overcharge",
    (g) => `cada llamada puede costar ${g[1]} más de lo que permiten las reglas, según una regla que puede aplicarse o cuyo texto es incierto (una advertencia en los hallazgos): no se cuenta en el cobro excesivo`),
  m("note.uncertain_fee", "the rule limiting (\\w+) fees on " + DAY + " is uncertain \\(a warning in the findings\\): the legal maximum counts the tariff's fee",
    (g, w) => `la regla que limita el ${fee(g[1], w)} el ${day(g[2])} es incierta (una advertencia en los hallazgos): el máximo legal cuenta el cargo de la tarifa`),
  m("note.increments", "the rules in force on " + DAY + " do not limit billing increments on these calls: the legal maximum counts this tariff's (\\d+)-second increments",
    (g) => `las reglas vigentes el ${day(g[1])} no limitan los incrementos de cobro de estas llamadas: el máximo legal cuenta los incrementos de ${g[2]} segundos de esta tarifa`),
  m("note.taxes", 'taxes and fees passed through \\("(.+)" ([\\d.]+)%\\) are unverified: callcap cannot tell a tax a government requires from a provider\'s own surcharge; the legal maximum counts them as lawful taxes \\(' + M + " of it\\); if they are not, the legal maximum is that much lower",
    (g) => `los impuestos y cargos trasladados («${g[1]}» ${g[2]}%) no están verificados: callcap no distingue un impuesto que exige un gobierno de un recargo propio del proveedor; el máximo legal los cuenta como impuestos legales (${g[3]} de él); si no lo son, el máximo legal es esa cantidad menor`),
  m("note.agency_share", "under (.+) the agency pays ([\\d.]+)% of the cost of these calls: the month shows the family's part, ([\\d.]+)% of the tariff",
    (g) => `según ${g[1]} la agencia paga el ${g[2]}% del costo de estas llamadas: el mes muestra la parte de la familia, el ${g[3]}% de la tarifa`),
  m("note.may_change", "(.+?) may change what the family pays \\((.+)\\): not applied",
    (g) => `${g[1]} puede cambiar lo que paga la familia (${whyEs(g[2]) ?? g[2]}): no se aplica`),
  m("note.equivalence", "under the (\\d+)-minute equivalence a per-call charge is lawful if a (\\d+)-minute call, with it, costs no more than (\\d+) minutes at the cap: the legal maximum of a shorter call is (\\d+) minutes at the cap",
    (g) => `con la equivalencia de ${g[1]} minutos, un cargo por llamada es legal si una llamada de ${g[2]} minutos, con él, no cuesta más que ${g[3]} minutos al límite: el máximo legal de una llamada más corta es ${g[4]} minutos al límite`),
  m("note.outside_term", "the comparison date " + DAY + " is outside the term \\(" + DAY + " to " + DAY + "\\)",
    (g) => `la fecha de comparación, ${day(g[1])}, está fuera del plazo (del ${day(g[2])} al ${day(g[3])})`),
  m("note.what_if", "priced at an average daily population of (\\d+), not the (\\d+) the bid file gives",
    (g) => `calculado con una población diaria promedio de ${g[1]}, no los ${g[2]} que indica el archivo de la oferta`),
  // Notes of The caps (src/report/).
  m("caps.no_fcc", "no federal \\(FCC\\) cap applied on " + DAY, (g) => `ningún límite federal (FCC) aplicaba el ${day(g[1])}`),
  m("caps.no_cap_lines", "calls shown with no federal cap \\(null in JSON\\) had no federal per-minute cap on this date",
    () => "las llamadas que aparecen sin límite federal no tenían un límite federal por minuto en esta fecha"),
  // Spreadsheets (src/sheet.rs): a cell, and what is wrong with it.
  m("sheet.cell", "cell ([A-Z]+\\d+): (.+)", (g, w) => `celda ${g[1]}: ${messageEs(g[2], w) ?? g[2]}`),
  m("sheet.amount", `${Q} is not a decimal amount; write it like 0\\.21 or \\$0\\.21`,
    (g) => `${g[1]} no es un monto decimal; escríbalo como 0.21 o $0.21`),
  m("sheet.whole", `${Q} is not a whole number; write a whole number, like (\\d+)`,
    (g) => `${g[1]} no es un número entero; escriba un número entero, como ${g[2]}`),
  m("sheet.column", 'unknown column (".+?"); the columns are one of (.+)',
    (g) => `columna desconocida ${g[1]}; las columnas son ${g[2].replace(/ and /g, " y ").replace(/one of /g, "")}`),
  m("sheet.csv_only", "this part of the page reads CSV only; save the sheet as \\.csv",
    () => "esta parte de la página lee solo CSV; guarde la hoja como .csv"),
  m("sheet.not_sheet", "not a spreadsheet callcap reads; save it as \\.csv or \\.xlsx",
    () => "no es una hoja de cálculo que callcap lea; guárdela como .csv o .xlsx"),
  // The XLSX reader (src/sheet/xlsx.rs): a file it cannot read. What is wrong inside a part
  // (the archive's or the XML's own words) is carried over as it is.
  m("sheet.xlsx_only", "this part of the page reads XLSX only; the page reads a \\.csv with its CSV reader",
    () => "esta parte de la página lee solo XLSX; la página lee un .csv con su lector de CSV"),
  m("xlsx.not_zip", "not an XLSX workbook \\(not a zip archive\\); save it as \\.xlsx or \\.csv",
    () => "no es un libro XLSX (no es un archivo zip); guárdelo como .xlsx o .csv"),
  m("xlsx.encrypted", "an encrypted workbook or an Excel 97-2003 \\(\\.xls\\) file, which callcap does not read; save it as \\.xlsx without a password, or as \\.csv",
    () => "un libro cifrado o un archivo de Excel 97-2003 (.xls), que callcap no lee; guárdelo como .xlsx sin contraseña, o como .csv"),
  m("xlsx.no_sheet", "the workbook has no sheet", () => "el libro no tiene ninguna hoja"),
  m("xlsx.unreadable", "not an XLSX workbook( that can be read)?: (.+); save it (again )?as \\.xlsx or \\.csv",
    (g) => `no es un libro XLSX${g[1] ? " que se pueda leer" : ""}: ${g[2]}; guárdelo ${g[3] ? "de nuevo " : ""}como .xlsx o .csv`),
  m("xlsx.not_utf8", "`(.+?)` is not UTF-8 text \\(byte (\\d+)\\); save the workbook again as \\.xlsx \\(Excel writes UTF-8\\) or as \\.csv UTF-8",
    (g) => `\`${g[1]}\` no es texto UTF-8 (byte ${g[2]}); guarde el libro de nuevo como .xlsx (Excel escribe UTF-8) o como .csv UTF-8`),
  // The facility directory and the sizes it gives (src/directory/, src/facility.rs).
  m("dir.entry", "facility (\\d+) in callcap's facility directory \\(edition (\\d{4}-\\d\\d-\\d\\d), from (.+?)\\): (.+); (took (.+)|nothing taken from it)",
    (g) => `centro ${g[1]} del directorio de centros de callcap (edición ${day(g[2])}, de ${g[3]}): ${g[4]}; ${g[6] ? `se tomó: ${g[6].split(", ").map((f) => DIR_FIELDS[f] ?? f).join(", ")}` : "no se tomó nada de él"}`),
  m("dir.reported", "average daily population (\\d+): the population as reported (in (\\d{4})|on an unknown date) \\((.+)\\), not the FCC's average daily population \\(a year's daily counts averaged\\); taken to be within (\\d+)% of it; correct it if you know the average daily population",
    (g) => `población diaria promedio ${g[1]}: la población informada ${g[3] ? `en ${g[3]}` : "en una fecha desconocida"} (${g[4]}), no la población diaria promedio de la FCC (el promedio de los conteos diarios de un año); se toma como dentro de un ${g[5]}% de ella; corríjala si conoce la población diaria promedio`),
  m("dir.unknown", "size unknown \\((.+)\\): priced in the smallest (\\w+) tier \\(ADP (\\d+)\\), whose caps are the highest, and every tier it could be in is listed; give the average daily population if you know it",
    (g, w) => `tamaño desconocido (${reasonEs(g[1])}): se calcula en el nivel más pequeño de ${w("kind", g[2]).toLowerCase()} (población ${g[3]}), cuyos límites son los más altos, y se listan todos los niveles en que podría estar; indique la población diaria promedio si la conoce`),
  m("dir.closed", "HIFLD lists facility (\\d+) as closed \\(its data are of 2003–2020\\)",
    (g) => `HIFLD indica que el centro ${g[1]} está cerrado (sus datos son de 2003 a 2020)`),
  m("dir.open_unknown", "HIFLD does not say whether facility (\\d+) is open", (g) => `HIFLD no dice si el centro ${g[1]} está abierto`),
  m("dir.operator_guess", "the directory's operator `city` is a guess from HIFLD type (.+) \\(a city, a town or a regional authority\\)",
    (g) => `que lo administre una ciudad es una suposición del directorio a partir del tipo ${g[1]} de HIFLD (una ciudad, un pueblo o una autoridad regional)`),
  m("dir.tiers", "the facility's size could put it in any of (\\d+) tiers, whose limits differ: each is listed \\(tiers_possible\\); the rest of this answer is for the average daily population used",
    (g) => `por su tamaño el centro podría estar en cualquiera de ${g[1]} niveles, cuyos límites difieren: se lista cada uno; el resto de esta respuesta es para la población diaria promedio usada`),
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

/** Where the page's default demand comes from (`Demand.file`). */
const DEMAND: Record<string, string> = { "bundled default": "supuestos incluidos (ilustrativos)" };

/**
 * Any sentence or name of the core the page shows, in Spanish: a message, a rule's summary or
 * why it may apply, a regime's or a tier's name; `null` when the catalog has none.
 */
export function coreEs(text: string, w: Words = (_, v) => v): string | null {
  return messageEs(text, w) ?? nameEs(text) ?? summaryEs(text, w) ?? whyEs(text) ?? DEMAND[text] ?? null;
}
