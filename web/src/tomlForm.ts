// A tariff file built from the prices a family reads off its bill. The page only writes the
// TOML; the core reads it (with its own checks and messages) like any other tariff file.

export interface Prices {
  kind: string;
  adp: string;
  service: string;
  jurisdiction: string;
  payment: string;
  perMinute: string;
  perCall: string;
  depositFee: string;
  depositMethod: string;
  /** A third-party fee on each deposit, beside the provider's (a money-transfer company's). */
  thirdPartyFee: string;
}

/** A TOML basic string: quoted, with backslashes, quotes and control characters escaped. */
export function tomlString(value: string): string {
  let out = '"';
  for (const ch of value) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\r") out += "\\r";
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** A whole number stays a TOML integer; anything else is quoted, so the core names the key. */
function integer(value: string): string {
  const t = value.trim();
  return /^\d{1,9}$/.test(t) ? t : tomlString(value);
}

/** The tariff file for the prices entered (empty optional prices are left out). */
export function tariffFromPrices(p: Prices): string {
  const lines = [
    "# Built by the callcap page from the prices entered.",
    "[facility]",
    `kind = ${tomlString(p.kind)}`,
    `average_daily_population = ${integer(p.adp)}`,
    "",
    "[[rate]]",
    `service = ${tomlString(p.service)}`,
    `jurisdiction = ${tomlString(p.jurisdiction)}`,
    `payment = ${tomlString(p.payment)}`,
    `per_minute = ${tomlString(p.perMinute.trim())}`,
  ];
  if (p.perCall.trim() !== "") lines.push(`per_call = ${tomlString(p.perCall.trim())}`);
  if (p.depositFee.trim() !== "") {
    lines.push("", "[[fee]]", `kind = ${tomlString(p.depositMethod)}`);
    lines.push(`amount = ${tomlString(p.depositFee.trim())}`);
  }
  if (p.thirdPartyFee.trim() !== "") {
    lines.push("", "[[fee]]", 'kind = "third_party_transaction"');
    lines.push(`amount = ${tomlString(p.thirdPartyFee.trim())}`);
  }
  return `${lines.join("\n")}\n`;
}
