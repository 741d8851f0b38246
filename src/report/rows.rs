//! The CSV layouts: one row struct per layout, its columns in order. The header is the fields'
//! names and every cell is written by serde, as in the JSON: a vocabulary word is spelled the
//! same in both, a decimal is the string [`crate::money::display`] gives, and an absent value is an empty cell.

use super::{CapsReport, FileResult};
use crate::call::{Jurisdiction, Payment, Service};
use crate::check::RuleId;
use crate::compare::Comparison;
use crate::estimate::Estimate;
use crate::facility::FacilityKind;
use crate::ratebook::{Applies, Confidence, Severity, Versions};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};

/// A row of `callcap caps --format csv`: one per-minute cap, with the date and the facility.
#[derive(Debug, Clone, Serialize)]
pub struct CapRow<'a> {
    /// The date whose rules these are.
    pub date: NaiveDate,
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Average daily population.
    pub average_daily_population: u32,
    /// The tier id (empty before the first tier table).
    #[serde(serialize_with = "safe_text_opt")]
    pub tier: Option<&'a str>,
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// How it is paid.
    pub payment: Payment,
    /// The cap (empty when no federal cap covered the call).
    pub per_minute: Option<&'a str>,
    /// The most that may be added per minute above the cap.
    pub additive: &'a str,
    /// `always`, `site_commission`, or empty.
    pub additive_applies: Option<Applies>,
    /// The regime id.
    #[serde(serialize_with = "safe_text_opt")]
    pub regime: Option<&'a str>,
    /// Source document.
    #[serde(serialize_with = "safe_text")]
    pub source: &'a str,
    /// CFR citation.
    #[serde(serialize_with = "safe_text")]
    pub citation: &'a str,
    /// How sure the sources are.
    pub confidence: Confidence,
    /// The day the cap took effect.
    pub effective: NaiveDate,
    /// callcap's version (every row says what produced it).
    pub callcap_version: &'a str,
    /// The rate book's edition.
    pub rates_version: &'a str,
}

impl CapRow<'static> {
    /// A row of no cap, whose use is the header of a report without caps (before the first
    /// federal cap).
    pub fn blank() -> Self {
        CapRow {
            date: NaiveDate::MIN,
            kind: FacilityKind::Prison,
            average_daily_population: 0,
            tier: None,
            service: Service::Audio,
            jurisdiction: Jurisdiction::Local,
            payment: Payment::Debit,
            per_minute: None,
            additive: "",
            additive_applies: None,
            regime: None,
            source: "",
            citation: "",
            confidence: Confidence::Low,
            effective: NaiveDate::MIN,
            callcap_version: "",
            rates_version: "",
        }
    }
}

impl CapsReport {
    /// The report's caps as CSV rows, one per cap line.
    pub fn csv_rows(&self) -> Vec<CapRow<'_>> {
        self.caps
            .iter()
            .map(|c| CapRow {
                date: self.date,
                kind: self.facility.kind,
                average_daily_population: self.facility.average_daily_population,
                tier: self.facility.tier.as_deref(),
                service: c.service,
                jurisdiction: c.jurisdiction,
                payment: c.payment,
                per_minute: c.per_minute.as_deref(),
                additive: &c.additive,
                additive_applies: c.additive_applies,
                regime: c.regime.as_deref(),
                source: &c.source,
                citation: &c.citation,
                confidence: c.confidence,
                effective: c.effective,
                callcap_version: self.version.callcap,
                rates_version: &self.version.rates,
            })
            .collect()
    }
}

/// A row of `callcap check --format csv`: one finding, or a file with no findings, or a file that
/// could not be read (its `error`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct CheckRow<'a> {
    /// The date checked.
    #[serde(serialize_with = "iso_date")]
    pub date: NaiveDate,
    /// The file.
    #[serde(serialize_with = "safe_text")]
    pub file: &'a str,
    /// Whether the file is compliant (false when it could not be read).
    pub compliant: bool,
    /// The rule of the finding.
    pub rule: Option<RuleId>,
    /// Violation, warning or info.
    pub severity: Option<Severity>,
    /// What the tariff charges.
    pub actual: Option<&'a str>,
    /// What the rule allows.
    pub limit: Option<&'a str>,
    /// The kinds of call the finding concerns.
    #[serde(serialize_with = "safe_text_opt")]
    pub calls: Option<&'a str>,
    /// The line of the tariff entry it concerns.
    pub line: Option<usize>,
    /// What was found.
    #[serde(serialize_with = "safe_text_opt")]
    pub message: Option<&'a str>,
    /// Source document.
    #[serde(serialize_with = "safe_text_opt")]
    pub source: Option<&'a str>,
    /// CFR citation.
    #[serde(serialize_with = "safe_text_opt")]
    pub citation: Option<&'a str>,
    /// How sure the sources are.
    pub confidence: Option<Confidence>,
    /// The day the rule applied took effect.
    #[serde(serialize_with = "iso_date_opt")]
    pub effective: Option<NaiveDate>,
    /// Why the file could not be checked.
    #[serde(serialize_with = "safe_text_opt")]
    pub error: Option<&'a str>,
    /// callcap's version (every row says what produced it).
    pub callcap_version: &'a str,
    /// The rate book's edition.
    pub rates_version: &'a str,
}

/// Writes a date as chrono does (`2026-06-01`), without its formatting machinery: a bulk check
/// writes two dates a row, and chrono's `Display` (with serde's `collect_str`, which allocates)
/// was a tenth of a row's cost.
fn iso_date<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let year = date.year();
    let Ok(y @ 0..=9999) = u32::try_from(year) else {
        return s.collect_str(date);
    };
    let mut text = *b"0000-00-00";
    for (at, n) in [
        (0, y / 100),
        (2, y % 100),
        (5, date.month()),
        (8, date.day()),
    ] {
        // each part is below 100
        text[at] = b'0' + (n / 10) as u8;
        text[at + 1] = b'0' + (n % 10) as u8;
    }
    s.serialize_str(std::str::from_utf8(&text).unwrap_or_default())
}

/// A text cell from input (a name, a path, a message) as CSV writes it: a cell that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
/// return) gets a leading `'`, so that opening the CSV cannot run anything a file put there.
pub(crate) fn safe_text<S: Serializer>(text: &&str, s: S) -> Result<S::Ok, S::Error> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        s.collect_str(&format_args!("'{text}"))
    } else {
        s.serialize_str(text)
    }
}

fn safe_text_opt<S: Serializer>(text: &Option<&str>, s: S) -> Result<S::Ok, S::Error> {
    match text {
        Some(t) => safe_text(t, s),
        None => s.serialize_none(),
    }
}

fn iso_date_opt<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match date {
        Some(d) => iso_date(d, s),
        None => s.serialize_none(),
    }
}

impl FileResult {
    /// The result as CSV rows for the date checked: one per finding, or one for the file.
    pub fn csv_rows<'a>(&'a self, date: NaiveDate, version: &'a Versions) -> Vec<CheckRow<'a>> {
        let (callcap_version, rates_version) = (version.callcap, version.rates.as_str());
        match self {
            FileResult::Checked(c) if c.findings.is_empty() => vec![CheckRow {
                date,
                file: &c.file,
                compliant: c.compliant,
                callcap_version,
                rates_version,
                ..CheckRow::default()
            }],
            FileResult::Checked(c) => c
                .findings
                .iter()
                .map(|f| CheckRow {
                    date,
                    file: &c.file,
                    compliant: c.compliant,
                    rule: Some(f.rule),
                    severity: Some(f.severity),
                    actual: f.actual.as_deref(),
                    limit: f.limit.as_deref(),
                    calls: f.calls.as_deref(),
                    line: f.line,
                    message: Some(&f.message),
                    source: f.source.as_deref(),
                    citation: f.citation.as_deref(),
                    confidence: f.confidence,
                    effective: f.effective,
                    error: None,
                    callcap_version,
                    rates_version,
                })
                .collect(),
            FileResult::Failed { file, error, .. } => vec![CheckRow {
                date,
                file,
                compliant: false,
                error: Some(error),
                callcap_version,
                rates_version,
                ..CheckRow::default()
            }],
        }
    }
}

/// The row of `callcap estimate --format csv`: a family's month.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateRow<'a> {
    /// The date whose rules apply.
    pub date: NaiveDate,
    /// Audio or video.
    pub service: Service,
    /// Where the calls go.
    pub jurisdiction: Jurisdiction,
    /// How they are paid.
    pub payment: Payment,
    /// Calls a month.
    pub calls: u32,
    /// Minutes talked a month.
    pub minutes: u32,
    /// The price of one call.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_call_charge: Decimal,
    /// The month's call charges.
    #[serde(serialize_with = "crate::money::serialize")]
    pub call_charges: Decimal,
    /// Deposits a month.
    pub deposits: u64,
    /// Each deposit's size.
    #[serde(serialize_with = "crate::money::serialize")]
    pub deposit_amount: Decimal,
    /// The month's ancillary fees.
    #[serde(serialize_with = "crate::money::serialize")]
    pub fees: Decimal,
    /// The month's taxes and regulatory fees.
    #[serde(serialize_with = "crate::money::serialize")]
    pub taxes: Decimal,
    /// What the family pays in the month.
    #[serde(serialize_with = "crate::money::serialize")]
    pub total: Decimal,
    /// The total per minute talked.
    #[serde(serialize_with = "crate::money::serialize")]
    pub effective_per_minute: Decimal,
    /// The cap per minute (empty when no federal cap covered the calls).
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub at_cap_per_minute: Option<Decimal>,
    /// The same month at the cap.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub at_cap_total: Option<Decimal>,
    /// What the family pays above the legal maximum.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub overcharge: Option<Decimal>,
    /// Of the call charges, what is paid to the facility as site commission.
    #[serde(serialize_with = "crate::money::serialize")]
    pub commission_share: Decimal,
    /// Whether no finding is a violation.
    pub compliant: bool,
    /// callcap's version (every row says what produced it).
    pub callcap_version: &'a str,
    /// The rate book's edition.
    pub rates_version: &'a str,
}

impl Estimate {
    /// The estimate as its CSV row.
    pub fn csv_row(&self) -> EstimateRow<'_> {
        let m = &self.month;
        EstimateRow {
            date: self.date,
            service: self.call.service,
            jurisdiction: self.call.jurisdiction,
            payment: self.call.payment,
            calls: m.calls,
            minutes: m.minutes,
            per_call_charge: self.per_call.charge,
            call_charges: m.call_charges,
            deposits: m.deposits,
            deposit_amount: m.deposit_amount,
            fees: m.fees,
            taxes: m.taxes,
            total: m.total,
            effective_per_minute: self.effective_per_minute,
            at_cap_per_minute: self.at_cap.as_ref().map(|a| a.per_minute),
            at_cap_total: self.at_cap.as_ref().map(|a| a.month.total),
            overcharge: self.overcharge,
            commission_share: self.commission_share,
            compliant: self.compliant,
            callcap_version: self.version.callcap,
            rates_version: &self.version.rates,
        }
    }
}

/// A row of a comparison as CSV for county staff (`callcap compare --format csv` and the page's
/// download): one bid.
#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow<'a> {
    /// The date compared on.
    pub date: NaiveDate,
    /// The bid's name.
    #[serde(serialize_with = "safe_text")]
    pub name: &'a str,
    /// Its file.
    #[serde(serialize_with = "safe_text")]
    pub file: &'a str,
    /// The facility's average daily population.
    pub average_daily_population: u32,
    /// The contract's first day.
    pub start: NaiveDate,
    /// Its last day.
    pub end: NaiveDate,
    /// What families pay a year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_family_cost: Decimal,
    /// Of that, call charges.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_call_charges: Decimal,
    /// Of that, deposit fees.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_fees: Decimal,
    /// Of that, taxes.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_taxes: Decimal,
    /// What the agency pays the provider a year for calls families do not pay for.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_agency_cost: Decimal,
    /// What the facility receives a year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_commission: Decimal,
    /// A 15-minute local call (empty when the bid has no rate for it).
    pub local_15_min_call: Option<&'a str>,
    /// A 15-minute intrastate call.
    pub intrastate_15_min_call: Option<&'a str>,
    /// A 15-minute interstate call.
    pub interstate_15_min_call: Option<&'a str>,
    /// A 15-minute international call.
    pub international_15_min_call: Option<&'a str>,
    /// What families pay per minute talked.
    #[serde(serialize_with = "crate::money::serialize")]
    pub effective_per_minute: Decimal,
    /// Whether the bid is compliant over its whole term.
    pub compliant: bool,
    /// Violations on the date compared on.
    pub violations: usize,
    /// The first date in the term on which it is not compliant.
    pub first_noncompliant_date: Option<NaiveDate>,
    /// Every kind of call in the demand has a price in the bid (when not, its figures leave
    /// those calls out).
    pub prices_all_demand: bool,
    /// The kinds of call it has no rate for, separated by `; `.
    pub unpriced_calls: Option<String>,
    /// Its place by annual family cost among the bids that price all the demand.
    pub rank: Option<usize>,
    /// callcap's version (every row says what produced it).
    pub callcap_version: &'a str,
    /// The rate book's edition.
    pub rates_version: &'a str,
}

impl Comparison {
    /// The comparison as CSV rows, one per bid.
    pub fn csv_rows(&self) -> Vec<ComparisonRow<'_>> {
        self.bids
            .iter()
            .map(|b| {
                let call = |j: Jurisdiction| {
                    b.family_cost_per_15_min_call
                        .get(&j)
                        .and_then(|p| p.as_deref())
                };
                ComparisonRow {
                    date: self.date,
                    name: &b.name,
                    file: &b.file,
                    average_daily_population: b.average_daily_population,
                    start: b.start,
                    end: b.end,
                    annual_family_cost: b.annual_family_cost,
                    annual_call_charges: b.annual_call_charges,
                    annual_fees: b.annual_fees,
                    annual_taxes: b.annual_taxes,
                    annual_agency_cost: b.annual_agency_cost,
                    annual_commission: b.annual_commission,
                    local_15_min_call: call(Jurisdiction::Local),
                    intrastate_15_min_call: call(Jurisdiction::Intrastate),
                    interstate_15_min_call: call(Jurisdiction::Interstate),
                    international_15_min_call: call(Jurisdiction::International),
                    effective_per_minute: b.effective_per_minute,
                    compliant: b.compliant,
                    violations: b.compliance.first().map_or(0, |x| x.violations),
                    first_noncompliant_date: b
                        .compliance
                        .iter()
                        .find(|x| !x.compliant)
                        .map(|x| x.date),
                    prices_all_demand: b.prices_all_demand,
                    unpriced_calls: (!b.unpriced_calls.is_empty()).then(|| {
                        b.unpriced_calls
                            .iter()
                            .map(|c| c.to_string())
                            .collect::<Vec<_>>()
                            .join("; ")
                    }),
                    rank: b.rank,
                    callcap_version: self.version.callcap,
                    rates_version: &self.version.rates,
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_are_neutralised() {
        #[derive(Serialize)]
        struct Cell<'a>(#[serde(serialize_with = "safe_text")] &'a str);
        for (text, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Vendor A", "Vendor A"),
            ("a=b", "a=b"),
        ] {
            let written = serde_json::to_value(Cell(text)).expect("a cell");
            assert_eq!(written, serde_json::Value::from(want), "{text}");
        }
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        #[derive(Serialize)]
        struct Day(#[serde(serialize_with = "iso_date")] NaiveDate);
        let check = |d: NaiveDate| {
            let written = serde_json::to_value(Day(d)).expect("a date");
            assert_eq!(written, serde_json::Value::from(d.to_string()));
        };
        let mut d = NaiveDate::from_ymd_opt(1999, 12, 1).expect("a date");
        while d.year() < 2031 {
            check(d);
            d = d.succ_opt().expect("a next day");
        }
        for y in [0, 9, 10, 99, 100, 999, 1000, 9999, 10000, -1, 262_000] {
            check(NaiveDate::from_ymd_opt(y, 1, 31).expect("a date"));
        }
    }
}
