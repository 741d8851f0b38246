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

/** A rate line of a bid, as typed (money already read by the core: plain decimals). */
export interface BidRate {
  service: string;
  /** "" for every jurisdiction. */
  jurisdiction: string;
  /** "" for every way of paying. */
  payment: string;
  perMinute: string;
  firstMinute: string;
  perCall: string;
  increment: string;
}

/** A bid as the bid form holds it (money already read by the core: plain decimals). */
export interface BidForm {
  name: string;
  vendor: string;
  facility: string;
  kind: string;
  adp: string;
  state: string;
  operator: string;
  term: string;
  start: string;
  rates: BidRate[];
  fees: { kind: string; amount: string }[];
  percent: string;
  commissionPerMinute: string;
  guarantee: string;
  bonus: string;
  inKind: string;
}

/**
 * The bid file for a bid entered in the form, and the form field each of its lines came from
 * (`line` -> field name, as the form tags its inputs), so that the core's message about a line
 * goes under the field. Empty optional fields are left out.
 */
export function bidFromForm(b: BidForm): { text: string; fields: Map<number, string> } {
  const lines: string[] = ["# Entered in the callcap page's bid form."];
  const fields = new Map<number, string>();
  const put = (line: string, field?: string) => {
    lines.push(line);
    if (field) fields.set(lines.length, field);
  };
  const opt = (key: string, value: string, field: string, write = tomlString) => {
    if (value.trim() !== "") put(`${key} = ${write(value.trim())}`, field);
  };
  put("[facility]");
  opt("name", b.facility, "bid.facility");
  put(`kind = ${tomlString(b.kind)}`, "bid.kind");
  put(`average_daily_population = ${integer(b.adp)}`, "bid.adp");
  opt("state", b.state, "bid.state");
  opt("operator", b.operator, "bid.operator");
  if (b.vendor.trim()) {
    put("");
    put("[provider]");
    opt("name", b.vendor, "bid.vendor");
  }
  b.rates.forEach((r, i) => {
    put("");
    put("[[rate]]", `bid.rate.${i}.service`);
    put(`service = ${tomlString(r.service)}`, `bid.rate.${i}.service`);
    opt("jurisdiction", r.jurisdiction, `bid.rate.${i}.jurisdiction`);
    opt("payment", r.payment, `bid.rate.${i}.payment`);
    put(`per_minute = ${tomlString(r.perMinute.trim())}`, `bid.rate.${i}.per_minute`);
    opt("first_minute", r.firstMinute, `bid.rate.${i}.first_minute`);
    opt("per_call", r.perCall, `bid.rate.${i}.per_call`);
    opt("billing_increment_seconds", r.increment, `bid.rate.${i}.increment`, integer);
  });
  b.fees.forEach((f, i) => {
    if (f.amount.trim() === "") return;
    put("");
    put("[[fee]]", `bid.fee.${i}.kind`);
    put(`kind = ${tomlString(f.kind)}`, `bid.fee.${i}.kind`);
    put(`amount = ${tomlString(f.amount.trim())}`, `bid.fee.${i}.amount`);
  });
  const commission = [b.percent, b.commissionPerMinute, b.guarantee, b.bonus].some((v) => v.trim() !== "");
  if (commission) {
    put("");
    put("[commission]");
    opt("percent_of_revenue", b.percent, "bid.percent");
    opt("per_minute", b.commissionPerMinute, "bid.commission_per_minute");
    opt("minimum_annual_guarantee", b.guarantee, "bid.guarantee");
    opt("signing_bonus", b.bonus, "bid.bonus");
  }
  put("");
  put("[bid]", "bid.name");
  put(`name = ${tomlString(b.name)}`, "bid.name");
  put(`term_years = ${integer(b.term)}`, "bid.term");
  put(`start = ${tomlString(b.start.trim())}`, "bid.start");
  opt("in_kind_per_year", b.inKind, "bid.in_kind");
  return { text: `${lines.join("\n")}\n`, fields };
}
