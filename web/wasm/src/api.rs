//! The binding's work on Rust values: inputs as a form holds them, results as the core gives
//! them. Everything here converts (text to dates, amounts and counts, with the core's parsers
//! and their messages) and calls the core; nothing prices or judges.

use crate::json::{FromJson, Json};
use callcap::compare::Comparison;
use callcap::demand::{Demand, DEFAULT_DEMAND};
use callcap::estimate::{Estimate, FamilyPlan};
use callcap::ratebook::{CapLine, RegimeInfo, SourceDoc, TierInfo};
use callcap::report::CapsReport;
use callcap::{
    CallKind, CheckResult, Facility, FacilityKind, FeeKind, Jurisdiction, Payment, RateBook,
    Service, Tariff,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

thread_local! {
    /// The bundled rate book, parsed once, on first use.
    static BOOK: Result<RateBook, String> = RateBook::bundled().map_err(|e| e.to_string());
}

/// Runs `f` with the bundled rate book.
fn with_book<T>(f: impl FnOnce(&RateBook) -> Result<T, String>) -> Result<T, String> {
    BOOK.with(|book| match book {
        Ok(book) => f(book),
        Err(e) => Err(format!("the bundled rate book did not load: {e}")),
    })
}

/// Reads `input` (JSON) as `I`, runs `f`, writes its result as JSON.
pub fn call_json<I: FromJson, O: Serialize>(
    input: &str,
    f: impl FnOnce(I) -> Result<O, String>,
) -> Result<String, String> {
    let input = I::from_json(&crate::json::parse(input)?)?;
    to_json(&f(input)?)
}

/// A result as JSON.
pub fn to_json<O: Serialize>(output: &O) -> Result<String, String> {
    // serde_json's own message is not shown: formatting it would bring all its parser's
    // messages into the browser build, and writing a result cannot fail on bad input.
    serde_json::to_string(output)
        .map_err(|_| "internal error: the result could not be written as JSON".to_string())
}

/// Text a form field holds: `None` when empty.
fn filled(text: &Option<String>) -> Option<&str> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
}

fn date(text: &str) -> Result<NaiveDate, String> {
    callcap::dated::parse_date(text)
}

fn adp(text: &str) -> Result<u32, String> {
    callcap::facility::parse_adp(text)
}

fn count(text: &str, what: &str) -> Result<u32, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("`{text}` is not a whole number of {what}"))
}

fn tariff(t: &TomlText) -> Result<Tariff, String> {
    Tariff::from_bytes(&t.file, t.text.as_bytes()).map_err(|e| e.to_string())
}

/// A file's text and the name to report it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TomlText {
    /// The file name shown in messages (`my-tariff.toml`).
    pub file: String,
    /// The TOML text.
    pub text: String,
}

/// A date alone.
#[derive(Debug, Clone)]
pub struct DateInput {
    /// The date whose rules apply, `YYYY-MM-DD`.
    pub date: String,
}

/// `caps`: a date and a facility.
#[derive(Debug, Clone)]
pub struct CapsInput {
    /// The date whose rules apply, `YYYY-MM-DD`.
    pub date: String,
    /// Prison or jail.
    pub facility: FacilityKind,
    /// Average daily population, as typed (`"640"`).
    pub adp: String,
    /// Two-letter state, optional.
    pub state: Option<String>,
}

/// `check`: a tariff and a date.
#[derive(Debug, Clone)]
pub struct CheckInput {
    /// The date whose rules apply, `YYYY-MM-DD`.
    pub date: String,
    /// The tariff or bid file.
    pub tariff: TomlText,
}

/// A facility by kind and size.
#[derive(Debug, Clone)]
pub struct FacilityInput {
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Average daily population, as typed (`"640"`).
    pub adp: String,
}

/// `estimate`: a family's month, under a tariff or at the legal maximum for a facility.
#[derive(Debug, Clone)]
pub struct EstimateInput {
    /// The date whose rules apply, `YYYY-MM-DD`.
    pub date: String,
    /// The provider's tariff. Without one, `facility` is required and the month is priced at the
    /// legal maximum.
    pub tariff: Option<TomlText>,
    /// The facility, when there is no tariff.
    pub facility: Option<FacilityInput>,
    /// Audio or video.
    pub service: Service,
    /// Where the calls go.
    pub jurisdiction: Jurisdiction,
    /// How they are paid.
    pub payment: Payment,
    /// Calls a week, as typed; the core turns weeks into months. Give this or `calls_per_month`.
    pub calls_per_week: Option<String>,
    /// Calls a month, as typed.
    pub calls_per_month: Option<String>,
    /// Minutes per call, as typed.
    pub minutes: String,
    /// Each deposit's size in dollars, as typed (empty: one deposit a month of what is needed).
    pub deposit: Option<String>,
    /// How deposits are made: `automated_payment` or `live_agent`.
    pub deposit_method: FeeKind,
}

/// `estimate`'s result: the month, and the cap on the call with its source.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateResult {
    /// The month (`callcap estimate --format json`).
    pub estimate: Estimate,
    /// The per-minute cap on this kind of call that day, with its citation (null before the
    /// first federal cap).
    pub legal_cap: Option<CapLine>,
}

/// `compare`: bids, optional demand assumptions, a date.
#[derive(Debug, Clone)]
pub struct CompareInput {
    /// The date of the comparison, `YYYY-MM-DD`.
    pub date: String,
    /// The bid files.
    pub bids: Vec<TomlText>,
    /// Demand assumptions (default: the bundled, illustrative ones).
    pub demand: Option<TomlText>,
    /// The facility's average daily population, as typed, in place of the one in each bid
    /// (empty: as in the bids).
    pub adp: Option<String>,
}

/// The bundled rate book.
#[derive(Debug, Clone, Serialize)]
pub struct BookInfo {
    /// The version of the binding (and of the core it was built with).
    pub version: String,
    /// Where the rate book came from (`bundled`).
    pub origin: String,
    /// Every source document, by id.
    pub sources: BTreeMap<String, SourceDoc>,
    /// Every date on which some rule changes, in order.
    pub change_dates: Vec<NaiveDate>,
    /// The default demand assumptions for comparing bids.
    pub demand: TomlText,
}

impl FromJson for TomlText {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["file", "text"])?;
        Ok(TomlText {
            file: o.req("file", Json::string)?,
            text: o.req("text", Json::string)?,
        })
    }
}

impl FromJson for DateInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["date"])?;
        Ok(DateInput {
            date: o.req("date", Json::string)?,
        })
    }
}

impl FromJson for CapsInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["date", "facility", "adp", "state"])?;
        Ok(CapsInput {
            date: o.req("date", Json::string)?,
            facility: o.req("facility", Json::word)?,
            adp: o.req("adp", Json::string)?,
            state: o.opt("state", Json::string)?,
        })
    }
}

impl FromJson for CheckInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["date", "tariff"])?;
        Ok(CheckInput {
            date: o.req("date", Json::string)?,
            tariff: o.req("tariff", TomlText::from_json)?,
        })
    }
}

impl FromJson for FacilityInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["kind", "adp"])?;
        Ok(FacilityInput {
            kind: o.req("kind", Json::word)?,
            adp: o.req("adp", Json::string)?,
        })
    }
}

impl FromJson for EstimateInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&[
            "date",
            "tariff",
            "facility",
            "service",
            "jurisdiction",
            "payment",
            "calls_per_week",
            "calls_per_month",
            "minutes",
            "deposit",
            "deposit_method",
        ])?;
        Ok(EstimateInput {
            date: o.req("date", Json::string)?,
            tariff: o.opt("tariff", TomlText::from_json)?,
            facility: o.opt("facility", FacilityInput::from_json)?,
            service: o.req("service", Json::word)?,
            jurisdiction: o.req("jurisdiction", Json::word)?,
            payment: o.req("payment", Json::word)?,
            calls_per_week: o.opt("calls_per_week", Json::string)?,
            calls_per_month: o.opt("calls_per_month", Json::string)?,
            minutes: o.req("minutes", Json::string)?,
            deposit: o.opt("deposit", Json::string)?,
            deposit_method: o.req("deposit_method", Json::word)?,
        })
    }
}

impl FromJson for CompareInput {
    fn from_json(v: &Json) -> Result<Self, String> {
        let o = v.object()?;
        o.keys(&["date", "bids", "demand", "adp"])?;
        Ok(CompareInput {
            date: o.req("date", Json::string)?,
            bids: o.req("bids", |b| b.array(TomlText::from_json))?,
            demand: o.opt("demand", TomlText::from_json)?,
            adp: o.opt("adp", Json::string)?,
        })
    }
}

/// The bundled rate book's sources and change dates.
pub fn rate_book() -> Result<BookInfo, String> {
    with_book(|book| {
        Ok(BookInfo {
            version: env!("CARGO_PKG_VERSION").to_string(),
            origin: book.origin.clone(),
            sources: book.sources().clone(),
            change_dates: book.change_dates(),
            demand: TomlText {
                file: "rates/demand.toml".into(),
                text: DEFAULT_DEMAND.into(),
            },
        })
    })
}

/// The size tiers in force on a date.
pub fn tiers(input: DateInput) -> Result<Vec<TierInfo>, String> {
    let date = date(&input.date)?;
    with_book(|book| Ok(book.tier_table(date)))
}

/// The regime governing a date (the same for every facility), with its source: what a verdict
/// without findings was judged under.
pub fn regime(input: DateInput) -> Result<Option<RegimeInfo>, String> {
    let date = date(&input.date)?;
    let any = Facility::new(FacilityKind::Jail, 1);
    with_book(|book| Ok(book.rules(date, &any).regime))
}

/// The rules in force for a date and facility.
pub fn caps(input: CapsInput) -> Result<CapsReport, String> {
    let date = date(&input.date)?;
    let mut facility = Facility::new(input.facility, adp(&input.adp)?);
    if let Some(state) = filled(&input.state) {
        callcap::facility::validate_state(state)?;
        facility.state = Some(state.to_string());
    }
    with_book(|book| Ok(CapsReport::new(&book.rules(date, &facility))))
}

/// A tariff checked on a date.
pub fn check(input: CheckInput) -> Result<CheckResult, String> {
    let date = date(&input.date)?;
    let tariff = tariff(&input.tariff)?;
    with_book(|book| Ok(callcap::check(book, &tariff, date)))
}

/// A family's month.
pub fn estimate(input: EstimateInput) -> Result<EstimateResult, String> {
    let date = date(&input.date)?;
    let calls_per_month = match (
        filled(&input.calls_per_month),
        filled(&input.calls_per_week),
    ) {
        (Some(m), _) => count(m, "calls a month")?,
        (None, Some(w)) => callcap::estimate::calls_per_month_from_week(count(w, "calls a week")?),
        (None, None) => return Err("give the number of calls a week or a month".into()),
    };
    let deposit = filled(&input.deposit)
        .map(callcap::money::parse_amount)
        .transpose()?;
    let plan = FamilyPlan {
        call: CallKind {
            service: input.service,
            jurisdiction: input.jurisdiction,
            payment: input.payment,
        },
        calls_per_month,
        calls_given: callcap::estimate::CallsGiven::PerMonth,
        minutes_per_call: count(&input.minutes, "minutes")?,
        deposit,
        deposit_method: input.deposit_method,
    };
    let (tariff, facility) = match (&input.tariff, &input.facility) {
        (Some(t), _) => {
            let t = tariff(t)?;
            let f = t.facility.clone();
            (Some(t), f)
        }
        (None, Some(f)) => (None, Facility::new(f.kind, adp(&f.adp)?)),
        (None, None) => return Err("give a tariff or a facility".into()),
    };
    with_book(|book| {
        let estimate = match &tariff {
            Some(t) => callcap::estimate::estimate(book, t, &plan, date),
            None => callcap::estimate::at_legal_maximum(book, &facility, &plan, date),
        }
        .map_err(|e| e.to_string())?;
        let legal_cap = book.rules(date, &facility).cap(plan.call).cloned();
        Ok(EstimateResult {
            estimate,
            legal_cap,
        })
    })
}

/// Bids compared on a date, as CSV (`callcap compare --format csv`, written by the core).
pub fn compare_csv(input: CompareInput) -> Result<String, String> {
    compare(input).map(|c| callcap::report::comparison_csv(&c))
}

/// Bids compared on a date.
pub fn compare(input: CompareInput) -> Result<Comparison, String> {
    let date = date(&input.date)?;
    let bids = input
        .bids
        .iter()
        .map(tariff)
        .collect::<Result<Vec<_>, _>>()?;
    let what_if = filled(&input.adp).map(adp).transpose()?;
    let demand = match &input.demand {
        Some(d) => Demand::from_toml(&d.file, &d.text),
        None => Demand::bundled(),
    }
    .map_err(|e| e.to_string())?;
    with_book(|book| {
        callcap::compare::compare(book, &bids, &demand, date, what_if).map_err(|e| e.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const TARIFF: &str = r#"
[facility]
kind = "jail"
average_daily_population = 640

[[rate]]
service = "audio"
per_minute = "0.25"
"#;

    fn estimate_json(extra: &str) -> Result<String, String> {
        let text = serde_json::to_string(TARIFF).unwrap();
        call_json(
            &format!(
                r#"{{"date":"2026-06-01","tariff":{{"file":"t.toml","text":{text}}},
                "service":"audio","jurisdiction":"intrastate","payment":"prepaid",
                "minutes":"15","deposit_method":"automated_payment"{extra}}}"#
            ),
            estimate,
        )
    }

    #[test]
    fn caps_are_the_core_report() {
        let json = call_json(
            r#"{"date":"2026-06-01","facility":"jail","adp":"640","state":""}"#,
            caps,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["date"], "2026-06-01");
        assert_eq!(v["facility"]["average_daily_population"], 640);
        assert!(v["caps"].as_array().unwrap().len() >= 6);
    }

    #[test]
    fn bad_form_values_get_the_core_messages() {
        let e = call_json::<CapsInput, _>(
            r#"{"date":"2026-02-30","facility":"jail","adp":"640"}"#,
            caps,
        )
        .unwrap_err();
        assert!(e.contains("not a real date"), "{e}");
        let e =
            call_json::<CapsInput, _>(r#"{"date":"2026-06-01","facility":"jail","adp":"0"}"#, caps)
                .unwrap_err();
        assert!(e.contains("at least 1"), "{e}");
        let e = call_json::<CapsInput, _>(
            r#"{"date":"2026-06-01","facility":"castle","adp":"5"}"#,
            caps,
        )
        .unwrap_err();
        assert!(e.starts_with("unknown variant `castle`"), "{e}");
        assert!(!e.contains("line"), "{e}");
        let e = estimate_json(r#","calls_per_week":"4","deposit":"abc""#).unwrap_err();
        assert!(e.contains("not a decimal amount"), "{e}");
        let e = estimate_json(r#","calls_per_week":"four""#).unwrap_err();
        assert_eq!(e, "`four` is not a whole number of calls a week");
    }

    #[test]
    fn toml_errors_name_file_line_and_key() {
        let e = call_json::<CheckInput, _>(
            r#"{"date":"2026-06-01","tariff":{"file":"mine.toml","text":"[facility]\nkind = \"castle\"\n"}}"#,
            check,
        )
        .unwrap_err();
        assert!(e.starts_with("mine.toml:2:8: [facility] kind:"), "{e}");
    }

    #[test]
    fn estimate_turns_weeks_into_months_in_the_core() {
        let json = estimate_json(r#","calls_per_week":"4""#).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(
            v["estimate"]["month"]["calls"],
            callcap::estimate::calls_per_month_from_week(4)
        );
        assert_eq!(v["legal_cap"]["jurisdiction"], "intrastate");
    }

    #[test]
    fn legal_maximum_without_a_tariff() {
        let json = call_json(
            r#"{"date":"2026-06-01","facility":{"kind":"jail","adp":"640"},
            "service":"audio","jurisdiction":"local","payment":"prepaid",
            "calls_per_month":"10","minutes":"15","deposit_method":"automated_payment"}"#,
            estimate,
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["estimate"]["month"]["calls"], 10);
        assert!(v["legal_cap"]["per_minute"].is_string());
    }

    #[test]
    fn compare_overrides_the_population() {
        let bid =
            format!("{TARIFF}\n[bid]\nname = \"A\"\nterm_years = 3\nstart = \"2026-01-01\"\n");
        let input = serde_json::json!({
            "date": "2026-06-01",
            "bids": [{"file": "a.toml", "text": bid}],
            "adp": "100",
        });
        let json = call_json(&input.to_string(), compare).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["bids"][0]["average_daily_population"], 100);
        let csv = call_json(&input.to_string(), compare_csv).unwrap();
        let csv: String = serde_json::from_str(&csv).unwrap();
        assert!(csv.starts_with("date,name,file,"), "{csv}");
    }

    #[test]
    fn the_regime_of_a_date() {
        let r = regime(DateInput {
            date: "2026-06-01".into(),
        })
        .unwrap()
        .unwrap();
        assert!(!r.provenance.citation.is_empty());
        let none = regime(DateInput {
            date: "2010-01-01".into(),
        })
        .unwrap();
        assert!(none.is_none());
    }

    #[test]
    fn the_rate_book_lists_sources_and_change_dates() {
        let info = rate_book().unwrap();
        assert!(info.sources.contains_key("fcc-21-60"));
        assert!(info.change_dates.windows(2).all(|w| w[0] < w[1]));
        assert!(Demand::from_toml(&info.demand.file, &info.demand.text).is_ok());
    }
}
