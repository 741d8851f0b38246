//! Tariffs and bids: what a provider charges at a facility, read from TOML.
//!
//! The format is in the README and `rates/README.md`; a JSON Schema is in `schema/`. Reading is
//! strict: unknown keys, bare floats, negative or over-precise amounts, impossible dates and
//! rate entries that contradict each other are errors naming the file, line and key.

use crate::call::{vocabulary, CallKind, Jurisdiction, Payment, Service};
use crate::dated::QuotedDate;
use crate::error::{Error, Result};
use crate::facility::{validate_adp, validate_state, Facility, FacilityKind};
use crate::money::{Amount, Percent};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer, Serialize};
use toml::Spanned;

vocabulary! {
    /// Kinds of ancillary fee (charges other than the per-minute price of calls).
    FeeKind {
        /// Paying by an automated system (web, app, phone menu).
        AutomatedPayment = "automated_payment",
        /// Paying through a live agent.
        LiveAgent = "live_agent",
        /// A paper bill or statement.
        PaperStatement = "paper_statement",
        /// A third party's charge for moving money (card or money-transfer fees).
        ThirdPartyTransaction = "third_party_transaction",
        /// A single call paid for on its own (text-to-pay, bill-to-card).
        SingleCall = "single_call",
        /// Opening an account.
        AccountSetup = "account_setup",
        /// Keeping an account open.
        AccountMaintenance = "account_maintenance",
        /// An account not used for a while.
        Inactivity = "inactivity",
        /// Refunding a balance.
        Refund = "refund",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// Why a site commission is paid.
    CommissionBasis {
        /// Required by the facility's contract.
        Contractual = "contractual",
        /// Required by state statute or rules adopted with notice and comment.
        LegallyMandated = "legally_mandated",
    }
}

/// The largest tariff file accepted, in bytes.
pub use crate::error::MAX_FILE_BYTES;

/// The longest billing increment accepted, in seconds (a sanity bound, not a rule).
pub const MAX_BILLING_INCREMENT_SECONDS: u32 = 3600;

/// The billing increment when a rate does not give one: whole minutes.
pub const DEFAULT_BILLING_INCREMENT_SECONDS: u32 = 60;

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
        let services = self.service.map_or(Service::ALL.to_vec(), |s| vec![s]);
        let jurisdictions = self
            .jurisdiction
            .map_or(Jurisdiction::CAPPED.to_vec(), |j| vec![j]);
        let payments = self.payment.map_or(Payment::ALL.to_vec(), |p| vec![p]);
        let mut out = Vec::new();
        for &service in &services {
            for &jurisdiction in &jurisdictions {
                for &payment in &payments {
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

    /// Reads a tariff or bid from TOML text.
    pub fn from_toml(file: &str, text: &str) -> Result<Tariff> {
        if text.trim().is_empty() {
            return Err(Error::file(
                file,
                "the file is empty; a tariff needs a [facility] table and at least one [[rate]]",
            ));
        }
        let raw: RawTariff = toml::from_str(text).map_err(|e| Error::from_toml(file, text, &e))?;
        let at = |offset: usize, message: String| Error::at(file, text, offset, message);

        let facility = Facility {
            name: raw.facility.name,
            kind: raw.facility.kind,
            average_daily_population: raw.facility.average_daily_population,
            state: raw.facility.state,
        };

        if raw.rate.is_empty() {
            return Err(Error::file(
                file,
                "no [[rate]] entries; a tariff needs at least one per-minute rate",
            ));
        }
        let mut lines = crate::error::LineCounter::new(text);
        let mut rates: Vec<Rate> = Vec::with_capacity(raw.rate.len());
        for spanned in &raw.rate {
            let start = spanned.span().start;
            let r = spanned.get_ref();
            let rate = Rate {
                service: r.service,
                jurisdiction: r.jurisdiction,
                payment: r.payment,
                per_minute: r.per_minute.0,
                first_minute: r.first_minute.map(|a| a.0),
                per_call: r.per_call.map_or(Decimal::ZERO, |a| a.0),
                billing_increment_seconds: r
                    .billing_increment_seconds
                    .unwrap_or(DEFAULT_BILLING_INCREMENT_SECONDS),
                line: lines.line(start),
            };
            if let Some(other) = rates.iter().find(|o| overlaps(o, &rate)) {
                let both = rate
                    .calls()
                    .into_iter()
                    .find(|c| other.covers(*c))
                    .map_or_else(String::new, |c| format!(" (both price {c} calls)"));
                return Err(at(
                    start,
                    format!(
                        "this rate overlaps the [[rate]] at line {}{both}; give each kind of call \
                         one entry (an omitted service, jurisdiction or payment means all)",
                        other.line
                    ),
                ));
            }
            rates.push(rate);
        }

        let mut fees = Vec::with_capacity(raw.fee.len());
        for spanned in &raw.fee {
            let f = spanned.get_ref();
            if f.amount.is_none() && f.percent.is_none() {
                return Err(at(
                    spanned.span().start,
                    "a fee needs `amount` (flat), `percent` (of the deposit), or both".into(),
                ));
            }
            let twice = fees
                .iter()
                .find(|o: &&Fee| o.kind == f.kind && f.kind != FeeKind::Other);
            if let Some(other) = twice {
                return Err(at(
                    spanned.span().start,
                    format!(
                        "a second `{}` fee (the first is at line {}); give each kind of fee one entry (only `other` may repeat)",
                        f.kind, other.line
                    ),
                ));
            }
            fees.push(Fee {
                kind: f.kind,
                amount: f.amount.map_or(Decimal::ZERO, |a| a.0),
                percent: f.percent.map_or(Decimal::ZERO, |p| p.0),
                line: lines.line(spanned.span().start),
            });
        }

        let mut taxes: Vec<Tax> = Vec::with_capacity(raw.tax.len());
        let mut total = Decimal::ZERO;
        for t in raw.tax {
            total += t.get_ref().percent.0;
            if total > Decimal::ONE_HUNDRED {
                return Err(at(
                    t.span().start,
                    format!(
                        "taxes add up to {total}% of call charges; they may add up to at most 100%"
                    ),
                ));
            }
            let t = t.into_inner();
            taxes.push(Tax {
                name: t.name,
                percent: t.percent.0,
            });
        }

        let commission = raw
            .commission
            .map_or_else(Commission::default, |c| Commission {
                percent_of_revenue: c.percent_of_revenue.map_or(Decimal::ZERO, |p| p.0),
                per_minute: c.per_minute.map_or(Decimal::ZERO, |a| a.0),
                minimum_annual_guarantee: c.minimum_annual_guarantee.map_or(Decimal::ZERO, |a| a.0),
                signing_bonus: c.signing_bonus.map_or(Decimal::ZERO, |a| a.0),
                basis: c.basis.unwrap_or(CommissionBasis::Contractual),
            });

        let bid = raw.bid.map(|b| BidTerms {
            name: b.name,
            term_years: b.term_years,
            start: b.start.0,
            in_kind_per_year: b.in_kind_per_year.map_or(Decimal::ZERO, |a| a.0),
        });

        Ok(Tariff {
            file: file.to_string(),
            facility,
            provider: raw.provider.map(|p| Provider {
                name: p.name,
                effective: p.effective.map(|d| d.0),
            }),
            rates,
            fees,
            taxes,
            commission,
            bid,
        })
    }
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

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTariff {
    facility: RawFacility,
    #[serde(default)]
    provider: Option<RawProvider>,
    #[serde(default)]
    rate: Vec<Spanned<RawRate>>,
    #[serde(default)]
    fee: Vec<Spanned<RawFee>>,
    #[serde(default)]
    tax: Vec<Spanned<RawTax>>,
    #[serde(default)]
    commission: Option<RawCommission>,
    #[serde(default)]
    bid: Option<RawBid>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFacility {
    #[serde(default)]
    name: Option<String>,
    kind: FacilityKind,
    #[serde(deserialize_with = "de_adp")]
    average_daily_population: u32,
    #[serde(default, deserialize_with = "de_state")]
    state: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProvider {
    name: String,
    #[serde(default)]
    effective: Option<QuotedDate>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRate {
    #[serde(default)]
    service: Option<Service>,
    #[serde(default)]
    jurisdiction: Option<Jurisdiction>,
    #[serde(default)]
    payment: Option<Payment>,
    per_minute: Amount,
    #[serde(default)]
    first_minute: Option<Amount>,
    #[serde(default)]
    per_call: Option<Amount>,
    #[serde(default, deserialize_with = "de_increment")]
    billing_increment_seconds: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFee {
    kind: FeeKind,
    #[serde(default)]
    amount: Option<Amount>,
    #[serde(default)]
    percent: Option<Percent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTax {
    name: String,
    percent: Percent,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommission {
    #[serde(default)]
    percent_of_revenue: Option<Percent>,
    #[serde(default)]
    per_minute: Option<Amount>,
    #[serde(default)]
    minimum_annual_guarantee: Option<Amount>,
    #[serde(default)]
    signing_bonus: Option<Amount>,
    #[serde(default)]
    basis: Option<CommissionBasis>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBid {
    name: String,
    #[serde(deserialize_with = "de_term")]
    term_years: u32,
    start: QuotedDate,
    #[serde(default)]
    in_kind_per_year: Option<Amount>,
}

fn de_adp<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    validate_adp(i64::deserialize(d)?).map_err(serde::de::Error::custom)
}

fn de_state<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<String>, D::Error> {
    let s = String::deserialize(d)?;
    validate_state(&s).map_err(serde::de::Error::custom)?;
    Ok(Some(s))
}

fn bounded<'de, D: Deserializer<'de>>(
    d: D,
    what: &str,
    max: u32,
) -> std::result::Result<u32, D::Error> {
    let n = i64::deserialize(d)?;
    u32::try_from(n)
        .ok()
        .filter(|&n| (1..=max).contains(&n))
        .ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{what} `{n}` must be a whole number from 1 to {max}"
            ))
        })
}

fn de_increment<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Option<u32>, D::Error> {
    bounded(d, "billing increment", MAX_BILLING_INCREMENT_SECONDS).map(Some)
}

fn de_term<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<u32, D::Error> {
    bounded(d, "term", MAX_TERM_YEARS)
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("not UTF-8"));
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
