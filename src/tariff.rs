//! Tariffs and bids: what a provider charges at a facility, read from TOML.
//!
//! The format is in the README and `rates/README.md`; a JSON Schema is in `schema/`. Reading is
//! strict: unknown keys, bare floats, negative or over-precise amounts, impossible dates and
//! rate entries that contradict each other are errors naming the file, line and key.

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::error::{Error, Result};
#[cfg(feature = "directory")]
use crate::facility::validate_facility_id;
use crate::facility::{validate_adp, validate_county_fips, validate_state, Facility, FacilityKind};
use crate::toml_reader::{Doc, Field, Spot, Table};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use crate::vocab::{CommissionBasis, ContractBasis, FeeKind};

/// The largest tariff file accepted, in bytes.
pub use crate::error::MAX_FILE_BYTES;

/// The longest billing increment accepted, in seconds (a sanity bound, not a rule).
pub const MAX_BILLING_INCREMENT_SECONDS: u32 = 3600;

/// The billing increment when a rate does not give one: whole minutes.
pub const DEFAULT_BILLING_INCREMENT_SECONDS: u32 = 60;

/// Calls a month accepted (a sanity bound: 100 a day).
pub const MAX_CALLS_PER_MONTH: u32 = 3100;

/// Minutes per call accepted (estimates and demand files; a sanity bound, not a rule).
pub const MAX_MINUTES_PER_CALL: u32 = 240;

/// The longest bid term accepted, in years.
pub const MAX_TERM_YEARS: u32 = 30;

/// A per-minute rate entry. An omitted service, jurisdiction or payment means "all".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rate {
    /// Audio or video (none: both).
    pub service: Option<Service>,
    /// Where the call goes (none: all).
    pub jurisdiction: Option<Jurisdiction>,
    /// How it is paid (none: all).
    pub payment: Option<Payment>,
    /// The price of each minute.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_minute: Decimal,
    /// The first minute's price, if different.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub first_minute: Option<Decimal>,
    /// A flat charge per call.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_call: Decimal,
    /// Calls are billed in whole increments of this many seconds (partial ones round up).
    pub billing_increment_seconds: u32,
    /// The line of its `[[rate]]` header.
    pub line: usize,
}

impl Rate {
    /// Whether this entry prices a kind of call (`local` calls match `local` or `intrastate`
    /// entries, preferring `local`).
    pub fn covers(&self, call: CallKind) -> bool {
        self.service.is_none_or(|s| s == call.service)
            && self.payment.is_none_or(|p| p == call.payment)
            && self.jurisdiction.is_none_or(|j| j == call.jurisdiction)
    }

    /// The kinds of call this entry prices, as the caps distinguish them.
    pub fn calls(&self) -> Vec<CallKind> {
        // (one allocation: a bulk check asks every rate of every file)
        fn one_or<'a, T>(given: &'a Option<T>, all: &'a [T]) -> &'a [T] {
            given.as_ref().map_or(all, std::slice::from_ref)
        }
        let services = one_or(&self.service, Service::ALL);
        let jurisdictions = one_or(&self.jurisdiction, Jurisdiction::CAPPED);
        let payments = one_or(&self.payment, Payment::ALL);
        let mut out = Vec::with_capacity(services.len() * jurisdictions.len() * payments.len());
        for &service in services {
            for &jurisdiction in jurisdictions {
                for &payment in payments {
                    out.push(CallKind {
                        service,
                        jurisdiction,
                        payment,
                    });
                }
            }
        }
        out
    }
}

/// An ancillary fee: flat, a percentage of the deposit, or both.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fee {
    /// Which fee.
    pub kind: FeeKind,
    /// Flat amount per use.
    #[serde(serialize_with = "crate::money::serialize")]
    pub amount: Decimal,
    /// Percentage of the deposit.
    #[serde(serialize_with = "crate::money::serialize")]
    pub percent: Decimal,
    /// The line of its `[[fee]]` header.
    pub line: usize,
}

impl Fee {
    /// The fee on a deposit of `deposit`: flat amount plus percentage (exact; not rounded).
    pub fn on_deposit(&self, deposit: Decimal) -> Decimal {
        self.amount + deposit * self.percent / Decimal::ONE_HUNDRED
    }
}

/// A tax or regulatory fee passed through as a percentage of call charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tax {
    /// Its name.
    pub name: String,
    /// Percentage of call charges.
    #[serde(serialize_with = "crate::money::serialize")]
    pub percent: Decimal,
    /// The line of its `[[tax]]` header.
    pub line: usize,
}

/// The site commission the provider pays the facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Commission {
    /// Percentage of calling revenue.
    #[serde(serialize_with = "crate::money::serialize")]
    pub percent_of_revenue: Decimal,
    /// Amount per billed minute.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_minute: Decimal,
    /// The least paid per year whatever the revenue.
    #[serde(serialize_with = "crate::money::serialize")]
    pub minimum_annual_guarantee: Decimal,
    /// Paid once at signing.
    #[serde(serialize_with = "crate::money::serialize")]
    pub signing_bonus: Decimal,
    /// Contractual or legally mandated.
    pub basis: CommissionBasis,
}

impl Default for Commission {
    fn default() -> Self {
        Commission {
            percent_of_revenue: Decimal::ZERO,
            per_minute: Decimal::ZERO,
            minimum_annual_guarantee: Decimal::ZERO,
            signing_bonus: Decimal::ZERO,
            basis: CommissionBasis::Contractual,
        }
    }
}

impl Commission {
    /// Whether any money or value goes to the facility.
    pub fn is_paid(&self) -> bool {
        !(self.percent_of_revenue.is_zero()
            && self.per_minute.is_zero()
            && self.minimum_annual_guarantee.is_zero()
            && self.signing_bonus.is_zero())
    }

    /// The per-minute equivalent on a minute priced at `rate`: per-minute commission plus the
    /// percentage of the rate.
    pub fn per_minute_equivalent(&self, rate: Decimal) -> Decimal {
        self.per_minute + rate * self.percent_of_revenue / Decimal::ONE_HUNDRED
    }
}

/// The contract terms of a bid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BidTerms {
    /// The bid's name.
    pub name: String,
    /// Contract length in whole years.
    pub term_years: u32,
    /// First day of the contract.
    pub start: NaiveDate,
    /// Value of goods or services given to the facility each year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub in_kind_per_year: Decimal,
}

/// The facility's contract with the provider, as a tariff or bid may state it (`[contract]`):
/// rules adopted while it ran may have exceptions for it (`rates/contract_exceptions.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contract {
    /// The day it was signed (it existed from then).
    pub signed: NaiveDate,
    /// Its expiration date, as the contract states it: an exception that lasts until the
    /// contract's end stops on this day.
    pub ends: NaiveDate,
    /// Why new rules would require renegotiating it: `contractual` (its rates, contractual site
    /// commissions or pass-through charges) or `legally_mandated` (legally mandated site
    /// commissions).
    pub basis: ContractBasis,
    /// The line of its `[contract]` header.
    pub line: usize,
}

/// A contract must end after the day it was signed.
fn ends_after_signed(signed: NaiveDate, ends: NaiveDate) -> std::result::Result<(), String> {
    if ends <= signed {
        return Err(format!(
            "the contract ends on {ends}, not after it was signed ({signed}); give its expiration date"
        ));
    }
    Ok(())
}

impl Contract {
    /// A contract from its facts; it must end after the day it was signed (an error says so,
    /// for its end).
    pub fn new(
        signed: NaiveDate,
        ends: NaiveDate,
        basis: ContractBasis,
        line: usize,
    ) -> std::result::Result<Contract, String> {
        ends_after_signed(signed, ends)?;
        Ok(Contract {
            signed,
            ends,
            basis,
            line,
        })
    }

    /// A contract from facts given apart, as a table's columns or a call's arguments
    /// `contract_signed`, `contract_ends` and `contract_basis` give it: all three, or none (no
    /// contract stated). An error names the field it is in.
    pub fn from_parts(
        signed: Option<NaiveDate>,
        ends: Option<NaiveDate>,
        basis: Option<ContractBasis>,
    ) -> std::result::Result<Option<Contract>, (&'static str, String)> {
        match (signed, ends, basis) {
            (Some(signed), Some(ends), Some(basis)) => Contract::new(signed, ends, basis, 0)
                .map(Some)
                .map_err(|m| ("contract_ends", m)),
            (None, None, None) => Ok(None),
            _ => Err((
                "contract_signed",
                "give contract_signed, contract_ends and contract_basis together, or none"
                    .to_string(),
            )),
        }
    }
}

/// The provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provider {
    /// Its name.
    pub name: String,
    /// When the rate sheet took effect.
    pub effective: Option<NaiveDate>,
}

/// What a provider charges at a facility.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tariff {
    /// The file it came from.
    pub file: String,
    /// The facility.
    pub facility: Facility,
    /// The provider, if named.
    pub provider: Option<Provider>,
    /// Per-minute rates (no two cover the same kind of call).
    pub rates: Vec<Rate>,
    /// Ancillary fees.
    pub fees: Vec<Fee>,
    /// Taxes and regulatory fees passed through.
    pub taxes: Vec<Tax>,
    /// The site commission (all zero when none).
    pub commission: Commission,
    /// Bid terms, when the file is a bid.
    pub bid: Option<BidTerms>,
    /// The facility's contract, when the file states it.
    pub contract: Option<Contract>,
}

impl Tariff {
    /// The rate entry pricing a kind of call, if the tariff offers it. A `local` call uses a
    /// `local` entry if there is one, else the `intrastate` one.
    pub fn rate_for(&self, call: CallKind) -> Option<&Rate> {
        self.rates.iter().find(|r| r.covers(call)).or_else(|| {
            (call.jurisdiction == Jurisdiction::Local)
                .then(|| {
                    let intrastate = CallKind {
                        jurisdiction: Jurisdiction::Intrastate,
                        ..call
                    };
                    self.rates.iter().find(|r| r.covers(intrastate))
                })
                .flatten()
        })
    }

    /// The taxes and regulatory fees passed through, as one percentage of call charges.
    pub fn tax_percent(&self) -> Decimal {
        self.taxes.iter().map(|t| t.percent).sum()
    }

    /// The bid's name, else the facility's and provider's, else the file name.
    pub fn label(&self) -> String {
        if let Some(b) = &self.bid {
            return b.name.clone();
        }
        match (&self.provider, &self.facility.name) {
            (Some(p), Some(f)) => format!("{} at {}", p.name, f),
            (Some(p), None) => p.name.clone(),
            (None, Some(f)) => f.clone(),
            (None, None) => self.file.clone(),
        }
    }

    /// Reads a tariff or bid from raw bytes (as read from `file`).
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Tariff> {
        Tariff::from_toml(file, crate::error::decode(file, bytes)?)
    }

    /// Reads a tariff or bid from raw bytes, its facility named by `facility_id` (a facility
    /// directory id, `--facility-id`) instead of the file's `id` when given.
    pub fn from_bytes_with_id(
        file: &str,
        bytes: &[u8],
        facility_id: Option<&str>,
    ) -> Result<Tariff> {
        Tariff::from_toml_with_id(file, crate::error::decode(file, bytes)?, facility_id)
    }

    /// Reads a tariff or bid from TOML text.
    pub fn from_toml(file: &str, text: &str) -> Result<Tariff> {
        Tariff::from_toml_with_id(file, text, None)
    }

    /// Reads a tariff or bid from TOML text, its facility named by `facility_id` instead of
    /// the file's `id` when given. With an id (and the `directory` feature), what `[facility]`
    /// leaves out comes from the facility directory; what it gives is kept.
    pub fn from_toml_with_id(file: &str, text: &str, facility_id: Option<&str>) -> Result<Tariff> {
        if text.trim().is_empty() {
            return Err(Error::file(
                file,
                "the file is empty; a tariff needs a [facility] table and at least one [[rate]]",
            ));
        }
        let doc = Doc::parse(file, text)?;
        let raw = RawTariff::read(doc.root())?;

        let facility = raw.facility.resolve(facility_id)?;

        if raw.rate.is_empty() {
            return Err(Error::file(
                file,
                "no [[rate]] entries; a tariff needs at least one per-minute rate",
            ));
        }
        let mut lines = crate::error::LineCounter::new(text);
        let mut rates: Vec<Rate> = Vec::with_capacity(raw.rate.len());
        for r in &raw.rate {
            let start = r.at.at;
            let rate = Rate {
                service: r.service,
                jurisdiction: r.jurisdiction,
                payment: r.payment,
                per_minute: r.per_minute,
                first_minute: r.first_minute,
                per_call: r.per_call.unwrap_or(Decimal::ZERO),
                billing_increment_seconds: r
                    .billing_increment_seconds
                    .unwrap_or(DEFAULT_BILLING_INCREMENT_SECONDS),
                line: lines.line(start),
            };
            if let Some((other, both)) = overlapping(&rates, &rate) {
                return Err(r.at.err(format!(
                    "this rate overlaps the [[rate]] at line {}{both}; give each kind of call \
                         one entry (an omitted service, jurisdiction or payment means all)",
                    other.line
                )));
            }
            rates.push(rate);
        }

        let mut fees = Vec::with_capacity(raw.fee.len());
        for f in &raw.fee {
            if f.amount.is_none() && f.percent.is_none() {
                return Err(f
                    .at
                    .err("a fee needs `amount` (flat), `percent` (of the deposit), or both"));
            }
            let twice = fees
                .iter()
                .find(|o: &&Fee| o.kind == f.kind && f.kind != FeeKind::Other);
            if let Some(other) = twice {
                return Err(f.at.err(format!(
                    "a second `{}` fee (the first is at line {}); give each kind of fee one entry (only `other` may repeat)",
                    f.kind, other.line
                )));
            }
            fees.push(Fee {
                kind: f.kind,
                amount: f.amount.unwrap_or(Decimal::ZERO),
                percent: f.percent.unwrap_or(Decimal::ZERO),
                line: lines.line(f.at.at),
            });
        }

        let mut taxes: Vec<Tax> = Vec::with_capacity(raw.tax.len());
        let mut total = Decimal::ZERO;
        for t in raw.tax {
            total += t.percent;
            if total > Decimal::ONE_HUNDRED {
                return Err(t.at.err(format!(
                    "taxes add up to {total}% of call charges; they may add up to at most 100%"
                )));
            }
            taxes.push(Tax {
                name: t.name,
                percent: t.percent,
                line: lines.line(t.at.at),
            });
        }

        let contract = raw.contract.map(|(at, signed, ends, basis)| Contract {
            signed,
            ends,
            basis,
            line: lines.line(at.at),
        });
        Ok(Tariff {
            file: file.to_string(),
            facility,
            provider: raw.provider,
            rates,
            fees,
            taxes,
            commission: raw.commission.unwrap_or_default(),
            bid: raw.bid,
            contract,
        })
    }
}

/// The rate among `rates` that prices a kind of call `rate` prices too, with words naming one
/// such call (" (both price audio interstate prepaid calls)"): the TOML and spreadsheet
/// readers refuse the second entry.
pub(crate) fn overlapping<'r>(rates: &'r [Rate], rate: &Rate) -> Option<(&'r Rate, String)> {
    let other = rates.iter().find(|o| overlaps(o, rate))?;
    let both = rate
        .calls()
        .into_iter()
        .find(|c| other.covers(*c))
        .map_or_else(String::new, |c| format!(" (both price {c} calls)"));
    Some((other, both))
}

fn overlaps(a: &Rate, b: &Rate) -> bool {
    fn dim<T: PartialEq>(x: Option<T>, y: Option<T>) -> bool {
        match (x, y) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
    }
    dim(a.service, b.service) && dim(a.jurisdiction, b.jurisdiction) && dim(a.payment, b.payment)
}

// ---------------------------------------------------------------------------------------------
// The file as written.

struct RawTariff<'a> {
    facility: RawFacility<'a>,
    provider: Option<Provider>,
    rate: Vec<RawRate<'a>>,
    fee: Vec<RawFee<'a>>,
    tax: Vec<RawTax<'a>>,
    commission: Option<Commission>,
    bid: Option<BidTerms>,
    contract: Option<(Spot<'a>, NaiveDate, NaiveDate, ContractBasis)>,
}

struct RawFacility<'a> {
    at: Spot<'a>,
    name: Option<String>,
    kind: Option<FacilityKind>,
    average_daily_population: Option<u32>,
    state: Option<String>,
    operator: Option<crate::facility::Operator>,
    county_fips: Option<String>,
    #[cfg(feature = "directory")]
    id: Option<(String, Field<'a>)>,
    #[cfg(not(feature = "directory"))]
    id: Option<()>,
}

struct RawRate<'a> {
    at: Spot<'a>,
    service: Option<Service>,
    jurisdiction: Option<Jurisdiction>,
    payment: Option<Payment>,
    per_minute: Decimal,
    first_minute: Option<Decimal>,
    per_call: Option<Decimal>,
    billing_increment_seconds: Option<u32>,
}

struct RawFee<'a> {
    at: Spot<'a>,
    kind: FeeKind,
    amount: Option<Decimal>,
    percent: Option<Decimal>,
}

struct RawTax<'a> {
    at: Spot<'a>,
    name: String,
    percent: Decimal,
}

/// Decimals default to zero when a key is left out.
fn zero_if_absent<'a>(
    t: &Table<'a>,
    key: &str,
    read: fn(Field<'a>) -> Result<Decimal>,
) -> Result<Decimal> {
    Ok(t.opt(key, read)?.unwrap_or(Decimal::ZERO))
}

impl<'a> RawTariff<'a> {
    fn read(root: Table<'a>) -> Result<RawTariff<'a>> {
        root.keys(&[
            "facility",
            "provider",
            "rate",
            "fee",
            "tax",
            "commission",
            "bid",
            "contract",
        ])?;
        let facility = root.req("facility", |f| RawFacility::read(f.table()?))?;
        let provider = root.opt("provider", |f| {
            let p = f.table()?;
            p.keys(&["name", "effective"])?;
            Ok(Provider {
                name: p.req("name", Field::string)?,
                effective: p.opt("effective", Field::date)?,
            })
        })?;
        let rate = root
            .tables("rate")?
            .into_iter()
            .map(|r| {
                r.keys(&[
                    "service",
                    "jurisdiction",
                    "payment",
                    "per_minute",
                    "first_minute",
                    "per_call",
                    "billing_increment_seconds",
                ])?;
                Ok(RawRate {
                    at: r.spot(),
                    service: r.opt("service", Field::word)?,
                    jurisdiction: r.opt("jurisdiction", Field::word)?,
                    payment: r.opt("payment", Field::word)?,
                    per_minute: r.req("per_minute", Field::amount)?,
                    first_minute: r.opt("first_minute", Field::amount)?,
                    per_call: r.opt("per_call", Field::amount)?,
                    billing_increment_seconds: r.opt("billing_increment_seconds", |f| {
                        f.bounded("billing increment", 1, MAX_BILLING_INCREMENT_SECONDS)
                    })?,
                })
            })
            .collect::<Result<_>>()?;
        let fee = root
            .tables("fee")?
            .into_iter()
            .map(|f| {
                f.keys(&["kind", "amount", "percent"])?;
                Ok(RawFee {
                    at: f.spot(),
                    kind: f.req("kind", Field::word)?,
                    amount: f.opt("amount", Field::amount)?,
                    percent: f.opt("percent", Field::percent)?,
                })
            })
            .collect::<Result<_>>()?;
        let tax = root
            .tables("tax")?
            .into_iter()
            .map(|t| {
                t.keys(&["name", "percent"])?;
                Ok(RawTax {
                    at: t.spot(),
                    name: t.req("name", Field::string)?,
                    percent: t.req("percent", Field::percent)?,
                })
            })
            .collect::<Result<_>>()?;
        let commission = root.opt("commission", |f| {
            let c = f.table()?;
            c.keys(&[
                "percent_of_revenue",
                "per_minute",
                "minimum_annual_guarantee",
                "signing_bonus",
                "basis",
            ])?;
            Ok(Commission {
                percent_of_revenue: zero_if_absent(&c, "percent_of_revenue", Field::percent)?,
                per_minute: zero_if_absent(&c, "per_minute", Field::amount)?,
                minimum_annual_guarantee: zero_if_absent(
                    &c,
                    "minimum_annual_guarantee",
                    Field::amount,
                )?,
                signing_bonus: zero_if_absent(&c, "signing_bonus", Field::amount)?,
                basis: c
                    .opt("basis", Field::word)?
                    .unwrap_or(CommissionBasis::Contractual),
            })
        })?;
        let bid = root.opt("bid", |f| {
            let b = f.table()?;
            b.keys(&["name", "term_years", "start", "in_kind_per_year"])?;
            Ok(BidTerms {
                name: b.req("name", Field::string)?,
                term_years: b.req("term_years", |f| f.bounded("term", 1, MAX_TERM_YEARS))?,
                start: b.req("start", Field::date)?,
                in_kind_per_year: zero_if_absent(&b, "in_kind_per_year", Field::amount)?,
            })
        })?;
        let contract = root.opt("contract", |f| {
            let c = f.table()?;
            c.keys(&["signed", "ends", "basis"])?;
            let signed = c.req("signed", Field::date)?;
            let ends = c.req("ends", |f| {
                let ends = f.date()?;
                ends_after_signed(signed, ends).map_err(|m| f.err(m))?;
                Ok(ends)
            })?;
            Ok((c.spot(), signed, ends, c.req("basis", Field::word)?))
        })?;
        Ok(RawTariff {
            facility,
            provider,
            rate,
            fee,
            tax,
            commission,
            bid,
            contract,
        })
    }
}

/// What to give instead of a missing key: the key, or a facility directory id.
#[cfg(feature = "directory")]
const OR_ID: &str = "or `id`, the facility's id in callcap's facility directory (find it with `callcap facilities NAME`)";

impl<'a> RawFacility<'a> {
    fn read(t: Table<'a>) -> Result<RawFacility<'a>> {
        t.keys(&[
            "name",
            "kind",
            "average_daily_population",
            "state",
            "operator",
            "county_fips",
            "id",
        ])?;
        Ok(RawFacility {
            at: t.spot(),
            name: t.opt("name", Field::string)?,
            kind: t.opt("kind", Field::word)?,
            average_daily_population: t.opt("average_daily_population", |f| {
                validate_adp(f.int()?).map_err(|m| f.err(m))
            })?,
            state: t.opt("state", |f| {
                let s = f.string()?;
                validate_state(&s).map_err(|m| f.err(m))?;
                Ok(s)
            })?,
            operator: t.opt("operator", Field::word)?,
            county_fips: t.opt("county_fips", |f| {
                let s = f.string().map_err(|_| {
                    f.err("a county FIPS code is five digits in quotes, like \"06073\" (as a number it would lose its leading zero)")
                })?;
                validate_county_fips(&s).map_err(|m| f.err(m))?;
                Ok(s)
            })?,
            #[cfg(feature = "directory")]
            id: t.opt("id", |f| {
                let s = f.string().map_err(|_| {
                    f.err("a facility id is text in quotes, like id = \"10002798\" (find it with `callcap facilities NAME`)")
                })?;
                validate_facility_id(&s).map_err(|m| f.err(m))?;
                Ok((s, f))
            })?,
            // Without the directory (the page), an id is text that fills in nothing.
            #[cfg(not(feature = "directory"))]
            id: t.opt("id", Field::string)?.map(|_| ()),
        })
    }

    /// The facility: as the file gives it, or, with an id (`facility_id` replaces the file's),
    /// with what the file leaves out filled from the facility directory.
    #[cfg(feature = "directory")]
    fn resolve(self, facility_id: Option<&str>) -> Result<Facility> {
        use crate::directory::{Directory, FillError, Given};
        let id = match facility_id {
            Some(id) => {
                validate_facility_id(id).map_err(|m| Error::usage("--facility-id", m))?;
                Some((id.to_string(), None))
            }
            None => self.id.map(|(id, f)| (id, Some(f))),
        };
        let Some((id, field)) = id else {
            let kind = self.kind.ok_or_else(|| {
                self.at.err(format!(
                    "missing field `kind`: give `kind` (`prison` or `jail`), {OR_ID}"
                ))
            })?;
            let average_daily_population = self.average_daily_population.ok_or_else(|| {
                self.at.err(format!(
                    "missing field `average_daily_population`: give the average daily population (a whole number, at least 1), {OR_ID}"
                ))
            })?;
            let mut facility = Facility::new(kind, average_daily_population);
            facility.name = self.name;
            facility.state = self.state;
            facility.operator = self.operator;
            facility.county_fips = self.county_fips;
            return Ok(facility);
        };
        let given = Given {
            name: self.name,
            kind: self.kind,
            average_daily_population: self.average_daily_population,
            state: self.state,
            operator: self.operator,
            county_fips: self.county_fips,
        };
        Directory::bundled()?.fill(&id, given).map_err(|e| match e {
            // At the file's `id`, or naming the flag that gave it.
            FillError::UnknownId(m) => match field {
                Some(f) => f.err(m),
                None => Error::usage("--facility-id", m),
            },
            FillError::NoKind(m) => self
                .at
                .err(format!("{m}: `kind = \"prison\"` or `kind = \"jail\"`")),
        })
    }

    /// The facility as the file gives it. Without the facility directory (the page's build),
    /// an `id` is read and checked but fills in nothing: `kind` and `average_daily_population`
    /// are needed.
    #[cfg(not(feature = "directory"))]
    fn resolve(self, facility_id: Option<&str>) -> Result<Facility> {
        let _ = (facility_id, self.id);
        let kind = self
            .kind
            .ok_or_else(|| self.at.err("missing field `kind`"))?;
        let average_daily_population = self
            .average_daily_population
            .ok_or_else(|| self.at.err("missing field `average_daily_population`"))?;
        Ok(Facility {
            name: self.name,
            kind,
            average_daily_population,
            state: self.state,
            operator: self.operator,
            county_fips: self.county_fips,
        })
    }
}

/// Writing a tariff back as TOML, for a front end that reads tariffs somewhere else than it
/// checks them (the page reads spreadsheets in a module of their own and hands the tariffs to
/// the one that checks them as files).
impl Tariff {
    /// The tariff as a TOML file that [`Tariff::from_toml`] reads back as the same tariff, all
    /// but its lines (the file's own) and what a directory filled in. Defaults are left out
    /// (`per_call = "0"`, a 60-second increment, an unpaid commission), amounts are written as
    /// they are held, exactly.
    pub fn to_toml(&self) -> String {
        // Written by hand: the library reads TOML without serde and without the `toml` crate's
        // writer (size, for the page), and what is written here is a few kinds of line.
        let mut out = String::new();
        let mut line = |key: &str, value: String| {
            out.push_str(key);
            out.push_str(" = ");
            out.push_str(&value);
            out.push('\n');
        };
        let q = |s: &str| toml_string(s);
        let d = |x: Decimal| toml_string(&x.to_string());
        let f = &self.facility;
        line("[facility]\nkind", q(f.kind.as_str()));
        line(
            "average_daily_population",
            f.average_daily_population.to_string(),
        );
        for (key, value) in [
            ("name", f.name.as_deref()),
            ("state", f.state.as_deref()),
            ("operator", f.operator.map(|o| o.as_str())),
            ("county_fips", f.county_fips.as_deref()),
        ] {
            if let Some(v) = value {
                line(key, q(v));
            }
        }
        if let Some(p) = &self.provider {
            line("\n[provider]\nname", q(&p.name));
            if let Some(e) = p.effective {
                line("effective", q(&e.to_string()));
            }
        }
        for r in &self.rates {
            line("\n[[rate]]\nper_minute", d(r.per_minute));
            if let Some(s) = r.service {
                line("service", q(s.as_str()));
            }
            if let Some(j) = r.jurisdiction {
                line("jurisdiction", q(j.as_str()));
            }
            if let Some(p) = r.payment {
                line("payment", q(p.as_str()));
            }
            if let Some(m) = r.first_minute {
                line("first_minute", d(m));
            }
            if !r.per_call.is_zero() {
                line("per_call", d(r.per_call));
            }
            if r.billing_increment_seconds != DEFAULT_BILLING_INCREMENT_SECONDS {
                line(
                    "billing_increment_seconds",
                    r.billing_increment_seconds.to_string(),
                );
            }
        }
        for fee in &self.fees {
            line("\n[[fee]]\nkind", q(fee.kind.as_str()));
            line("amount", d(fee.amount));
            if !fee.percent.is_zero() {
                line("percent", d(fee.percent));
            }
        }
        for tax in &self.taxes {
            line("\n[[tax]]\nname", q(&tax.name));
            line("percent", d(tax.percent));
        }
        let c = &self.commission;
        if c.is_paid() || c.basis != CommissionBasis::Contractual {
            line(
                "\n[commission]\npercent_of_revenue",
                d(c.percent_of_revenue),
            );
            line("per_minute", d(c.per_minute));
            line("minimum_annual_guarantee", d(c.minimum_annual_guarantee));
            line("signing_bonus", d(c.signing_bonus));
            line("basis", q(c.basis.as_str()));
        }
        if let Some(b) = &self.bid {
            line("\n[bid]\nname", q(&b.name));
            line("term_years", b.term_years.to_string());
            line("start", q(&b.start.to_string()));
            if !b.in_kind_per_year.is_zero() {
                line("in_kind_per_year", d(b.in_kind_per_year));
            }
        }
        if let Some(k) = &self.contract {
            line("\n[contract]\nsigned", q(&k.signed.to_string()));
            line("ends", q(&k.ends.to_string()));
            line("basis", q(k.basis.as_str()));
        }
        out
    }
}

/// A TOML basic string: quoted, with backslashes, quotes and control characters escaped.
fn toml_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for ch in value.chars() {
        match ch {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if u32::from(c) < 0x20 || u32::from(c) == 0x7f => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contract_from_its_parts_has_all_three_and_ends_after_it_was_signed() {
        let day = |s: &str| crate::dated::parse_date(s).unwrap();
        let basis = Some(ContractBasis::LegallyMandated);
        let c = Contract::from_parts(Some(day("2020-05-01")), Some(day("2027-04-30")), basis);
        assert_eq!(c.unwrap().unwrap().ends, day("2027-04-30"));
        assert_eq!(Contract::from_parts(None, None, None), Ok(None));
        let (field, _) = Contract::from_parts(Some(day("2020-05-01")), None, basis).unwrap_err();
        assert_eq!(field, "contract_signed");
        let (field, m) =
            Contract::from_parts(Some(day("2020-05-01")), Some(day("2019-05-01")), basis)
                .unwrap_err();
        assert_eq!(field, "contract_ends");
        assert_eq!(
            m,
            "the contract ends on 2019-05-01, not after it was signed (2020-05-01); give its expiration date"
        );
    }

    /// A tariff with its file and lines (the file's own) taken out, to compare contents.
    fn contents(mut t: Tariff) -> Tariff {
        t.file = String::new();
        t.rates.iter_mut().for_each(|r| r.line = 0);
        t.fees.iter_mut().for_each(|f| f.line = 0);
        t.taxes.iter_mut().for_each(|x| x.line = 0);
        if let Some(c) = t.contract.as_mut() {
            c.line = 0;
        }
        t
    }

    #[test]
    fn written_as_toml_every_example_reads_back_the_same() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rates/examples");
        let mut files: Vec<_> = ["", "bids"]
            .iter()
            .flat_map(|d| std::fs::read_dir(root.join(d)).unwrap())
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .collect();
        files.sort();
        assert!(files.len() > 20, "{files:?}");
        let mut seen = (false, false);
        for path in files {
            let name = path.display().to_string();
            let t = Tariff::from_toml(&name, &std::fs::read_to_string(&path).unwrap()).unwrap();
            seen.0 |= t.bid.is_some();
            seen.1 |= !t.taxes.is_empty();
            let text = t.to_toml();
            let back = Tariff::from_toml("written.toml", &text)
                .unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
            assert_eq!(contents(back), contents(t), "{name}:\n{text}");
        }
        assert_eq!(seen, (true, true), "the examples cover bids and taxes");
    }

    #[test]
    fn written_strings_are_escaped_and_defaults_left_out() {
        let with_contract = format!(
            "{GOOD}\n[contract]\nsigned = \"2023-05-01\"\nends = \"2027-06-30\"\nbasis = \"legally_mandated\"\n"
        );
        let mut t = Tariff::from_toml("t.toml", &with_contract).unwrap();
        assert!(t.contract.is_some());
        t.facility.name = Some("A \"B\" \\ C\nD\u{1}".into());
        let text = t.to_toml();
        assert!(text.contains(r#"name = "A \"B\" \\ C\nD\u0001""#), "{text}");
        assert_eq!(
            contents(Tariff::from_toml("w.toml", &text).unwrap()),
            contents(t.clone())
        );
        t.rates.iter_mut().for_each(|r| {
            r.per_call = Decimal::ZERO;
            r.billing_increment_seconds = DEFAULT_BILLING_INCREMENT_SECONDS;
        });
        t.commission = Commission::default();
        let text = t.to_toml();
        assert!(
            !text.contains("per_call")
                && !text.contains("billing_increment")
                && !text.contains("[commission]"),
            "{text}"
        );
    }

    const GOOD: &str = r#"
[facility]
name = "Example County Jail"
kind = "jail"
average_daily_population = 640
state = "TX"

[provider]
name = "Example Communications"
effective = "2026-01-01"

[[rate]]
service = "audio"
jurisdiction = "interstate"
payment = "prepaid"
per_minute = "0.21"
first_minute = "0.50"
billing_increment_seconds = 60

[[rate]]
service = "video"
per_minute = "0.30"

[[fee]]
kind = "third_party_transaction"
percent = "2.9"
amount = "0.30"

[[tax]]
name = "state sales tax"
percent = "6.25"

[commission]
percent_of_revenue = "55"
"#;

    #[test]
    fn reads_the_design_example() {
        let t = Tariff::from_toml("t.toml", GOOD).unwrap();
        assert_eq!(t.facility.average_daily_population, 640);
        assert_eq!(t.rates.len(), 2);
        assert_eq!(t.rates[0].line, 12);
        assert_eq!(t.rates[1].billing_increment_seconds, 60);
        assert_eq!(t.fees[0].on_deposit(Decimal::from(50)).to_string(), "1.750");
        assert_eq!(t.commission.basis, CommissionBasis::Contractual);
        assert_eq!(t.label(), "Example Communications at Example County Jail");
    }

    fn err(text: &str) -> String {
        Tariff::from_toml("t.toml", text).unwrap_err().to_string()
    }

    #[test]
    fn toml_1_1_documents_are_read_as_the_toml_crate_reads_them() {
        // TOML 1.1: an inline table over several lines, with a trailing comma.
        let t = Tariff::from_toml(
            "t.toml",
            "provider = {\n  name = \"Example\",\n  effective = \"2026-01-01\",\n}\n\
             [facility]\nkind = \"jail\"\naverage_daily_population = 640\n\
             [[rate]]\nper_minute = \"0.12\"\n",
        )
        .unwrap();
        assert_eq!(t.provider.map(|p| p.name).as_deref(), Some("Example"));
    }

    #[test]
    fn errors_name_file_line_and_key() {
        let e = err(&GOOD.replace("per_minute = \"0.30\"", "per_minute = 0.30"));
        assert!(
            e.starts_with("t.toml:22:14: [[rate]] per_minute: invalid type: floating point"),
            "{e}"
        );
        let e = err(&GOOD.replace(
            "average_daily_population = 640",
            "average_daily_population = 0",
        ));
        assert!(e.starts_with("t.toml:5:"), "{e}");
        assert!(e.contains("[facility] average_daily_population"), "{e}");
        assert!(e.contains("at least 1"), "{e}");
        let e = err(&GOOD.replace("kind = \"jail\"", "kind = \"castle\""));
        assert!(
            e.contains("[facility] kind") && e.contains("expected `prison` or `jail`"),
            "{e}"
        );
        let e = err(&GOOD.replace("state = \"TX\"", "state = \"TX\"\ncolour = \"red\""));
        assert!(
            e.contains(":7:1: [facility] colour") && e.contains("unknown field `colour`"),
            "{e}"
        );
    }

    #[test]
    fn contradicting_rates_are_an_error_at_the_second() {
        let text = format!("{GOOD}\n[[rate]]\nservice = \"audio\"\nper_minute = \"0.10\"\n");
        let e = err(&text);
        assert!(e.contains("overlaps the [[rate]] at line 12"), "{e}");
        assert!(e.contains("audio interstate prepaid"), "{e}");
    }

    #[test]
    fn rejects_empty_files_missing_rates_and_bad_bytes() {
        assert!(err("  \n").contains("the file is empty"));
        assert!(
            err("[facility]\nkind = \"jail\"\naverage_daily_population = 5\n")
                .contains("no [[rate]]")
        );
        let e = Tariff::from_bytes("b.toml", b"[facility]\nname = \"\xff\"\n").unwrap_err();
        assert_eq!(e.line(), Some(2));
        assert!(e.message().contains("not UTF-8"));
        let e = err(&GOOD.replace(
            "[[fee]]\nkind = \"third_party_transaction\"\npercent = \"2.9\"\namount = \"0.30\"",
            "[[fee]]\nkind = \"refund\"",
        ));
        assert!(e.contains("a fee needs"), "{e}");
    }

    #[test]
    fn contradicting_fees_and_excessive_taxes_are_errors() {
        let twice =
            format!("{GOOD}\n[[fee]]\nkind = \"third_party_transaction\"\namount = \"1\"\n");
        assert!(
            err(&twice)
                .contains("a second `third_party_transaction` fee (the first is at line 24)"),
            "{}",
            err(&twice)
        );
        let others = format!("{GOOD}\n[[fee]]\nkind = \"other\"\namount = \"1\"\n[[fee]]\nkind = \"other\"\namount = \"2\"\n");
        assert_eq!(Tariff::from_toml("t.toml", &others).unwrap().fees.len(), 3);
        let taxes = format!("{GOOD}\n[[tax]]\nname = \"b\"\npercent = \"94\"\n");
        assert!(
            err(&taxes).contains("taxes add up to 100.25%"),
            "{}",
            err(&taxes)
        );
    }

    #[cfg(feature = "directory")]
    #[test]
    fn a_facility_needs_its_kind_and_size_or_a_directory_id() {
        let e = err("[facility]\naverage_daily_population = 5\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(
            e.starts_with("t.toml:1:1: [facility]: missing field `kind`"),
            "{e}"
        );
        assert!(
            e.contains("or `id`") && e.contains("callcap facilities NAME"),
            "{e}"
        );
        let e = err("[facility]\nkind = \"jail\"\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(
            e.contains("missing field `average_daily_population`"),
            "{e}"
        );
        let e = err("[facility]\nid = 10002798\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(e.starts_with("t.toml:2:6: [facility] id:"), "{e}");
        assert!(e.contains("in quotes"), "{e}");
        let e = err("[facility]\nid = \"TX-1\"\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(e.contains("must be digits"), "{e}");
    }

    #[cfg(feature = "directory")]
    #[test]
    fn a_directory_id_fills_in_what_the_file_leaves_out() {
        use crate::sizing::AdpSource;
        let text = "[facility]\nid = \"10002798\"\n[[rate]]\nper_minute = \"0.1\"\n";
        let t = Tariff::from_toml("t.toml", text).unwrap();
        assert_eq!(t.facility.kind, FacilityKind::Jail);
        assert_eq!(t.facility.average_daily_population, 438);
        assert_eq!(t.facility.state.as_deref(), Some("TX"));
        assert!(matches!(t.facility.adp_source, AdpSource::Reported { .. }));
        // The file's size wins, and nothing is assumed.
        let text = text.replace("[[rate]]", "average_daily_population = 1200\n[[rate]]");
        let t = Tariff::from_toml("t.toml", &text).unwrap();
        assert_eq!(t.facility.average_daily_population, 1200);
        assert_eq!(t.facility.adp_source, AdpSource::Given);
        // An id not in the directory names the key, and the flag that replaces the file's.
        let e = err("[facility]\nid = \"99999999\"\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(
            e.starts_with("t.toml:2:6: [facility] id: no facility \"99999999\""),
            "{e}"
        );
        let e = Tariff::from_toml_with_id("t.toml", &text, Some("1")).unwrap_err();
        assert_eq!(e.key(), Some("--facility-id"), "{e}");
        let t = Tariff::from_toml_with_id("t.toml", &text, Some("10002836")).unwrap();
        assert_eq!(t.facility.name.as_deref(), Some("SAN JACINTO COUNTY JAIL"));
        // No kind in the file or the directory.
        let e = err("[facility]\nid = \"10001825\"\n[[rate]]\nper_minute = \"0.1\"\n");
        assert!(
            e.contains("GROSSMAN CENTER") && e.contains("kind = \"jail\""),
            "{e}"
        );
    }

    #[test]
    fn local_calls_fall_back_to_intrastate_rates() {
        let text = "[facility]\nkind = \"jail\"\naverage_daily_population = 5\n[[rate]]\njurisdiction = \"intrastate\"\nper_minute = \"0.10\"\n";
        let t = Tariff::from_toml("t.toml", text).unwrap();
        let local = CallKind {
            service: Service::Audio,
            jurisdiction: Jurisdiction::Local,
            payment: Payment::Debit,
        };
        assert_eq!(
            t.rate_for(local)
                .map(|r| r.per_minute.to_string())
                .as_deref(),
            Some("0.10")
        );
    }
}
