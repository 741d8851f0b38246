// Showing the core's values. Money stays a decimal string from end to end: these helpers only
// group digits and add a dollar sign; they never turn an amount into a floating-point number.

/** "1234.50" → "$1,234.50"; "0.021" → "$0.021"; "-3.00" → "−$3.00". */
export function money(amount: string): string {
  const negative = amount.startsWith("-");
  const body = negative ? amount.slice(1) : amount;
  const dot = body.indexOf(".");
  const whole = dot < 0 ? body : body.slice(0, dot);
  const fraction = dot < 0 ? "" : body.slice(dot);
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${negative ? "−" : ""}$${grouped}${fraction}`;
}

/** A count or quantity with thousands grouped: "2336000" → "2,336,000"; "1.5" → "1.5". */
export function quantity(value: string | number): string {
  const text = String(value);
  const dot = text.indexOf(".");
  const whole = dot < 0 ? text : text.slice(0, dot);
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",") + (dot < 0 ? "" : text.slice(dot));
}

/** A date the core used (YYYY-MM-DD) in words: "June 1, 2026" / "1 de junio de 2026". */
export function longDate(iso: string, lang: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const date = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === "es" ? "es-US" : "en-US", {
    dateStyle: "long",
    timeZone: "UTC",
  }).format(date);
}

/** Today in the browser's time zone, as YYYY-MM-DD. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * An amount as a length for drawing a chart bar. The one place a decimal becomes a binary
 * number: it sets pixels, and no figure shown or computed comes from it.
 */
export function forDrawing(amount: string): number {
  const n = Number(amount);
  return Number.isFinite(n) && n > 0 ? n : 0;
}
