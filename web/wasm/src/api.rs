//! The binding's work on Rust values: the exported functions' arguments as a form holds them
//! (text), results as the core gives them. Everything here converts (text to dates, amounts,
//! counts and vocabulary words, with the core's parsers and their messages) and calls the core;
//! nothing prices or judges.
//!
//! Without the `full` feature (the spreadsheet modules, `crate::sheets`) none of this is
//! exported, and link-time optimisation leaves it out of the module.
#![cfg_attr(not(feature = "full"), allow(dead_code, unused_imports))]

use callcap::compare::Comparison;
use callcap::demand::{Demand, DEFAULT_DEMAND};
use callcap::directory::{Directory, Entry, FillError, Given};
use callcap::estimate::{Estimate, FamilyPlan};
use callcap::facility::{Operator, PlaceOverride};
use callcap::ratebook::{CapLine, RegimeInfo, SourceDoc, TierInfo};
use callcap::report::CapsReport;
use callcap::sizing::{SizeView, TierCaps, TierEstimate};
use callcap::{
    CallKind, CheckResult, Facility, FacilityKind, FeeKind, Jurisdiction, Payment, RateBook,
    Service, Tariff,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

thread_local! {
    /// The bundled rate book, parsed once, on first use.
    static BOOK: Result<RateBook, String> = RateBook::bundled().map_err(|e| e.to_string());
}

/// Bad input: what is wrong and, when it is one form field's, which field: the exported
/// function's argument it came in (`calls_per_week`, `state`, `tariff`), so the page can show
/// the message next to that field. The page's forms have one field per argument.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadInput {
    /// The argument the bad value came in (none: the input as a whole).
    pub field: Option<&'static str>,
    /// The core's message (for a file: its name, line and key).
    pub message: String,
    /// In a file: the key (`[[rate]] per_minute`), so a page that wrote the file from its own
    /// fields can show the message under the field the key came from.
    pub key: Option<String>,
    /// In a file: the line.
    pub line: Option<usize>,
    /// In a file: what is wrong, without the file, line and key.
    pub reason: Option<String>,
}

impl From<String> for BadInput {
    fn from(message: String) -> Self {
        BadInput {
            message,
            ..BadInput::default()
        }
    }
}

impl From<&str> for BadInput {
    fn from(message: &str) -> Self {
        message.to_string().into()
    }
}

/// The message of bad input in the argument `field`.
fn at(field: &'static str) -> impl Fn(String) -> BadInput {
    move |message| BadInput {
        field: Some(field),
        message,
        ..BadInput::default()
    }
}

/// A core error as bad input: a usage error names the argument the core names (its key, the
/// field of the plan it checked), without the key in the message; a file's error keeps its
/// file, line and key, in the field the file came in.
fn from_core(e: callcap::Error, file_field: &'static str) -> BadInput {
    if e.kind() == callcap::ErrorKind::Usage {
        let field = match e.key() {
            Some("minutes_per_call") => Some("minutes"),
            Some("calls_per_week") => Some("calls_per_week"),
            Some("calls_per_month") => Some("calls_per_month"),
            Some("deposit") => Some("deposit"),
            Some("deposit_method") => Some("deposit_method"),
            _ => None,
        };
        return BadInput {
            field,
            message: e.message().to_string(),
            ..BadInput::default()
        };
    }
    let field = e.file_name().map(|_| file_field);
    BadInput {
        field,
        message: e.to_string(),
        key: e.key().map(str::to_string),
        line: e.line(),
        reason: Some(callcap::error::escaped(e.message()).into_owned()),
    }
}

/// Runs `f` with the bundled rate book.
fn with_book<T>(f: impl FnOnce(&RateBook) -> Result<T, BadInput>) -> Result<T, BadInput> {
    BOOK.with(|book| match book {
        Ok(book) => f(book),
        Err(e) => Err(format!("the bundled rate book did not load: {e}").into()),
    })
}

/// A result as JSON.
pub fn to_json<O: Serialize>(output: &O) -> Result<String, String> {
    // size: serde_json's own message is not shown: 1.0 KB gzip (its formatting machinery).
    // Writing a result cannot fail on bad input, so the message would never be seen.
    serde_json::to_string(output)
        .map_err(|_| "internal error: the result could not be written as JSON".to_string())
}

/// Text a form field holds: `None` when empty.
fn filled(text: Option<&str>) -> Option<&str> {
    text.map(str::trim).filter(|t| !t.is_empty())
}

/// The text of a form field that must be filled, or what to type in it.
fn required<'a>(text: &'a str, say: &str) -> Result<&'a str, String> {
    filled(Some(text)).ok_or_else(|| say.to_string())
}

/// A file given as its name and its text, both or neither.
fn file_pair<'a>(
    file: Option<&'a str>,
    text: Option<&'a str>,
    what: &str,
) -> Result<Option<(&'a str, &'a str)>, BadInput> {
    match (file, text) {
        (Some(file), Some(text)) => Ok(Some((file, text))),
        (None, None) => Ok(None),
        _ => Err(format!("give the {what}'s file name and its text together").into()),
    }
}

fn date(text: &str) -> Result<NaiveDate, BadInput> {
    callcap::dated::parse_date(text).map_err(at("date"))
}

fn adp(text: &str) -> Result<u32, BadInput> {
    required(text, "give the average daily population, like 640")
        .and_then(callcap::facility::parse_adp)
        .map_err(at("adp"))
}

fn kind(text: &str) -> Result<FacilityKind, BadInput> {
    FacilityKind::parse(text).map_err(at("facility"))
}

/// A tariff read from its TOML. size: the page's split stops here (web/wasm/split.json's
/// `boundary`): the TOML reader behind it is in the part of the module loaded on demand, so it
/// must stay a function of its own, never inlined into `estimate`.
#[inline(never)]
fn tariff(file: &str, text: &str, field: &'static str) -> Result<Tariff, BadInput> {
    Tariff::from_bytes(file, text.as_bytes()).map_err(|e| from_core(e, field))
}

/// An amount of money as a person types it in a form (`"$0.21"`; in Spanish, `lang` `"es"`,
/// also `"0,21"`), read by the core ([`callcap::money::parse_typed_amount`]), as a plain
/// decimal (`"0.21"`): what the page writes into a tariff or passes on. Bad text is bad input
/// in the argument `field` names (the form field's argument, or the key of the file the page
/// writes: `per_minute`).
pub fn amount(text: &str, lang: &str, field: &str) -> Result<String, BadInput> {
    typed_amount(text, lang, field).map(|d| d.to_string())
}

/// [`amount`] as a decimal.
fn typed_amount(text: &str, lang: &str, field: &str) -> Result<Decimal, BadInput> {
    let mark = if lang == "es" {
        callcap::money::DecimalMark::Comma
    } else {
        callcap::money::DecimalMark::Point
    };
    let field = match field {
        "deposit" => "deposit",
        "per_minute" => "per_minute",
        "per_call" => "per_call",
        "fee" => "fee",
        "fee_third_party" => "fee_third_party",
        "call_price" => "call_price",
        _ => "amount",
    };
    callcap::money::parse_typed_amount(text, mark).map_err(at(field))
}

/// A price per call as a bill shows it ("$3.15 for a 15-minute call") as a price a minute,
/// by the core ([`callcap::money::per_minute_from_call_price`]), with whether it was rounded,
/// so the page can say what it turned the price into.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallPrice {
    /// The price of the call, as read.
    pub price: Decimal,
    /// The call's minutes.
    pub minutes: u32,
    /// The price a minute.
    pub per_minute: Decimal,
    /// Whether the division was rounded (to the hundredth of a cent).
    pub rounded: bool,
}

/// [`CallPrice`] of `price` (as typed, in the page's language, see [`amount`]) for a call of
/// `minutes` minutes; bad text is an error in `call_price` or `call_minutes`.
pub fn call_price(price: &str, minutes: &str, lang: &str) -> Result<CallPrice, BadInput> {
    let price = required(
        price,
        "give the price of one call as your bill shows it, like 3.15",
    )
    .map_err(at("call_price"))?;
    let price = typed_amount(price, lang, "call_price")?;
    let minutes = required(minutes, "give the call's length in minutes, like 15")
        .and_then(|m| callcap::money::parse_count(m, "minutes"))
        .map_err(at("call_minutes"))?;
    let (per_minute, rounded) =
        callcap::money::per_minute_from_call_price(price, minutes).map_err(at("call_minutes"))?;
    Ok(CallPrice {
        price,
        minutes,
        per_minute,
        rounded,
    })
}

/// Where a facility is and who runs it, as a form gives them (each empty when not known): a
/// two-letter state, who runs it (`state`, `county`, `city`, `private`, `federal`) and its
/// county's five-digit FIPS code. Each given part replaces a tariff's own.
pub fn place(
    state: Option<&str>,
    operator: Option<&str>,
    county_fips: Option<&str>,
) -> Result<PlaceOverride, BadInput> {
    let state = filled(state)
        .map(|s| callcap::facility::validate_state(s).map(|()| s.to_string()))
        .transpose()
        .map_err(at("state"))?;
    let operator = filled(operator)
        .map(Operator::parse)
        .transpose()
        .map_err(at("operator"))?;
    let county_fips = filled(county_fips)
        .map(|c| callcap::facility::validate_county_fips(c).map(|()| c.to_string()))
        .transpose()
        .map_err(at("county_fips"))?;
    Ok(PlaceOverride {
        state,
        operator,
        county_fips,
    })
}

/// A file's text and the name to report it by.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TomlText {
    /// The file name shown in messages (`my-tariff.toml`).
    pub file: String,
    /// The TOML text.
    pub text: String,
}

/// `estimate`'s result: the month, and the cap on the call with its source.
#[derive(Debug, Clone, Serialize)]
pub struct EstimateResult {
    /// The month (`callcap estimate --format json`).
    pub estimate: Estimate,
    /// The per-minute cap on this kind of call that day, with its citation (null before the
    /// first federal cap).
    pub legal_cap: Option<CapLine>,
    /// The facility's entry in the directory, when it was chosen there (`facility_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_directory: Option<Entry>,
    /// What was assumed about its size, when it was chosen in the directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<SizeView>,
    /// Each tier its size could put it in, with the month's legal maximum there (empty: its
    /// tier is certain).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers_possible: Vec<TierEstimate>,
}

/// `caps`' result: the rules (`callcap caps --format json`) and, for a facility chosen in the
/// directory, its entry, what was assumed about its size and every tier it could be in.
#[derive(Debug, Clone, Serialize)]
pub struct CapsResult {
    /// The rules in force.
    #[serde(flatten)]
    pub report: CapsReport,
    /// The facility's entry in the directory, when it was chosen there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facility_directory: Option<Entry>,
    /// What was assumed about its size, when it was chosen in the directory.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<SizeView>,
    /// Each tier it could be in, with its caps (empty: its tier is certain).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tiers_possible: Vec<TierCaps>,
}

/// The directory the page gave: its edition and how many facilities it holds.
#[derive(Debug, Clone, Serialize)]
pub struct DirectoryInfo {
    /// The edition (`YYYY-MM-DD`).
    pub edition: String,
    /// How many facilities.
    pub facilities: u32,
}

/// `facilities`' result: the facilities found, best first (`callcap facilities --format json`).
#[derive(Debug, Clone, Serialize)]
pub struct FacilitiesFound {
    /// The facilities, best first.
    pub facilities: Vec<Entry>,
}

/// Reads the facility directory in the page's compact form ([`crate::directory`]) and keeps
/// it for [`facilities`], and for `caps` and `estimate` of a facility chosen in it.
pub fn load_directory(text: &str) -> Result<DirectoryInfo, BadInput> {
    // Installed in the core (`Directory::bundled` gives it from then on, also to a tariff's
    // `[facility] id`); a second load keeps the first.
    if Directory::bundled().is_err() {
        Directory::install(crate::directory::read(text).map_err(at("finder"))?);
    }
    with_directory(|d| {
        Ok(DirectoryInfo {
            edition: d.edition().to_string(),
            facilities: u32::try_from(d.entries().len()).unwrap_or(u32::MAX),
        })
    })
}

/// Runs `f` with the directory the page gave ([`load_directory`]).
fn with_directory<T>(f: impl FnOnce(&Directory) -> Result<T, BadInput>) -> Result<T, BadInput> {
    match Directory::bundled() {
        Ok(d) => f(d),
        Err(_) => Err(at("finder")(
            "the facility directory is not loaded yet".into(),
        )),
    }
}

/// Facilities whose name or city matches `query` (case, accents, word order and small typos
/// aside), best first, at most `limit` (as typed; empty: 8), in `state` when given: the core's
/// search ([`Directory::search`]).
pub fn facilities(
    query: &str,
    state: Option<&str>,
    limit: Option<&str>,
) -> Result<FacilitiesFound, BadInput> {
    let limit = match filled(limit) {
        Some(l) => callcap::money::parse_count(l, "facilities").map_err(at("finder"))? as usize,
        None => 8,
    };
    with_directory(|d| {
        let found = d.search(query, filled(state), limit).map_err(|e| {
            let field = if e.key() == Some("state") {
                "finder_state"
            } else {
                "finder"
            };
            at(field)(e.message().to_string())
        })?;
        Ok(FacilitiesFound {
            facilities: found.into_iter().map(|m| m.entry.clone()).collect(),
        })
    })
}

/// The facility `id` of the directory, with what the form gives (each `None`: take the
/// directory's) in place of the directory's.
fn from_directory(
    d: &Directory,
    id: &str,
    kind_text: Option<&str>,
    adp_text: Option<&str>,
    place: &PlaceOverride,
) -> Result<Facility, BadInput> {
    let given = Given::at(
        filled(kind_text).map(kind).transpose()?,
        filled(adp_text).map(adp).transpose()?,
        place,
    );
    d.fill(id, given).map_err(|e| match e {
        FillError::UnknownId(m) => at("finder")(m),
        FillError::NoKind(m) => at("facility")(m),
    })
}

/// The bundled rate book.
#[derive(Debug, Clone, Serialize)]
pub struct BookInfo {
    /// What produces the page's answers: callcap's version and the rate book's edition.
    pub version: callcap::Versions,
    /// Where the rate book came from (`bundled`).
    pub origin: String,
    /// Every source document, by id.
    pub sources: BTreeMap<String, SourceDoc>,
    /// Every date on which some rule changes, in order.
    pub change_dates: Vec<NaiveDate>,
    /// The default demand assumptions for comparing bids.
    pub demand: TomlText,
    /// The largest file the core reads, in bytes: the page refuses a larger one before reading
    /// it.
    pub max_file_bytes: u32,
}

/// The bundled rate book's sources and change dates.
pub fn rate_book() -> Result<BookInfo, BadInput> {
    with_book(|book| {
        Ok(BookInfo {
            version: book.versions(),
            origin: book.origin.clone(),
            sources: book.sources().clone(),
            change_dates: book.change_dates(),
            max_file_bytes: u32::try_from(callcap::error::MAX_FILE_BYTES).unwrap_or(u32::MAX),
            demand: TomlText {
                file: "rates/demand.toml".into(),
                text: DEFAULT_DEMAND.into(),
            },
        })
    })
}

/// The size tiers in force on a date.
pub fn tiers(date_text: &str) -> Result<Vec<TierInfo>, BadInput> {
    let date = date(date_text)?;
    with_book(|book| Ok(book.tier_table(date)))
}

/// The regime governing a date (the same for every facility), with its source: what a verdict
/// without findings was judged under.
pub fn regime(date_text: &str) -> Result<Option<RegimeInfo>, BadInput> {
    let date = date(date_text)?;
    let any = Facility::new(FacilityKind::Jail, 1);
    with_book(|book| Ok(book.rules(date, &any).regime))
}

/// The rules in force for a date and facility (`prison` or `jail`, its ADP as typed) at a
/// place ([`place`]): the federal rules, and the state and local rules of the place.
///
/// With `facility_id`, the facility of the directory ([`load_directory`]) that id names: what
/// the form leaves empty (the kind, the ADP, the place) is the directory's, and a population
/// the directory reports stands for the ADP, with every tier it could put the facility in.
pub fn caps(
    date_text: &str,
    facility: &str,
    adp_text: &str,
    state: Option<&str>,
    operator: Option<&str>,
    county_fips: Option<&str>,
) -> Result<CapsResult, BadInput> {
    caps_of(
        date_text,
        facility,
        adp_text,
        state,
        operator,
        county_fips,
        None,
    )
}

/// [`caps`] of a facility chosen in the directory (`facility_id`), or of none.
#[allow(clippy::too_many_arguments)] // one positional argument per form field
pub fn caps_of(
    date_text: &str,
    facility: &str,
    adp_text: &str,
    state: Option<&str>,
    operator: Option<&str>,
    county_fips: Option<&str>,
    facility_id: Option<&str>,
) -> Result<CapsResult, BadInput> {
    let date = date(date_text)?;
    let place = place(state, operator, county_fips)?;
    if let Some(id) = filled(facility_id) {
        return with_directory(|d| {
            let facility = from_directory(d, id, Some(facility), Some(adp_text), &place)?;
            with_book(|book| {
                let c = d.caps(book, date, &facility, None);
                Ok(CapsResult {
                    report: c.report,
                    facility_directory: c.facility_directory.cloned(),
                    size: Some(c.size),
                    tiers_possible: c.tiers_possible,
                })
            })
        });
    }
    let mut facility = Facility::new(kind(facility)?, adp(adp_text)?);
    place.apply(&mut facility);
    with_book(|book| {
        Ok(CapsResult {
            report: CapsReport::new(&book.rules(date, &facility)),
            facility_directory: None,
            size: None,
            tiers_possible: Vec::new(),
        })
    })
}

/// A tariff (its file name and text) checked on a date, at a place ([`place`]: each part given
/// replaces the tariff's own).
pub fn check(
    date_text: &str,
    file: &str,
    text: &str,
    state: Option<&str>,
    operator: Option<&str>,
    county_fips: Option<&str>,
) -> Result<CheckResult, BadInput> {
    let date = date(date_text)?;
    let place = place(state, operator, county_fips)?;
    let mut tariff = tariff(file, text, "tariff")?;
    place.apply(&mut tariff.facility);
    with_book(|book| Ok(callcap::check(book, &tariff, date)))
}

/// A family's month: the kind of call, how much they call and deposit, and either the provider's
/// tariff (file name and text) or a facility (`prison` or `jail` and its ADP) to price the month
/// at the legal maximum, at a place ([`place`]: each part given replaces the tariff's own).
/// Counts and amounts are text as typed; calls a month win over calls a week when both are
/// given.
#[allow(clippy::too_many_arguments)] // the binding's positional arguments, one per form field
pub fn estimate(
    date_text: &str,
    service: &str,
    jurisdiction: &str,
    payment: &str,
    minutes: &str,
    deposit_method: &str,
    calls_per_week: Option<&str>,
    calls_per_month: Option<&str>,
    deposit: Option<&str>,
    tariff_file: Option<&str>,
    tariff_text: Option<&str>,
    facility: Option<&str>,
    facility_adp: Option<&str>,
    state: Option<&str>,
    operator: Option<&str>,
    county_fips: Option<&str>,
    facility_id: Option<&str>,
) -> Result<EstimateResult, BadInput> {
    let date = date(date_text)?;
    let call = CallKind {
        service: Service::parse(service).map_err(at("service"))?,
        jurisdiction: Jurisdiction::parse(jurisdiction).map_err(at("jurisdiction"))?,
        payment: Payment::parse(payment).map_err(at("payment"))?,
    };
    // The core decides calls a month from what was given (a month or a week; neither: its
    // default, said in the notes).
    let plan = FamilyPlan::from_inputs(
        call,
        filled(calls_per_month)
            .map(|m| callcap::money::parse_count(m, "calls a month"))
            .transpose()
            .map_err(at("calls_per_month"))?,
        filled(calls_per_week)
            .map(|w| callcap::money::parse_count(w, "calls a week"))
            .transpose()
            .map_err(at("calls_per_week"))?,
        required(minutes, "give the minutes per call, like 15")
            .and_then(|m| callcap::money::parse_count(m, "minutes"))
            .map_err(at("minutes"))?,
        filled(deposit)
            .map(callcap::money::parse_amount)
            .transpose()
            .map_err(at("deposit"))?,
        FeeKind::parse(deposit_method).map_err(at("deposit_method"))?,
    )
    .map_err(|e| from_core(e, "tariff"))?;
    let place = place(state, operator, county_fips)?;
    let (tariff, facility) = match (file_pair(tariff_file, tariff_text, "tariff")?, facility) {
        (Some((file, text)), _) => {
            let mut t = tariff(file, text, "tariff")?;
            place.apply(&mut t.facility);
            let f = t.facility.clone();
            (Some(t), f)
        }
        (None, Some(k)) if filled(facility_id).is_some() => {
            let id = filled(facility_id).unwrap_or_default();
            let f = with_directory(|d| from_directory(d, id, Some(k), facility_adp, &place))?;
            (None, f)
        }
        (None, Some(k)) => {
            let adp = adp(facility_adp.unwrap_or_default())?;
            let mut f = Facility::new(kind(k)?, adp);
            place.apply(&mut f);
            (None, f)
        }
        (None, None) => return Err("give a tariff or a facility".into()),
    };
    with_book(|book| {
        let estimate = match &tariff {
            Some(t) => callcap::estimate::estimate(book, t, &plan, date)
                .map_err(|e| from_core(e, "tariff")),
            // No cap for the call at that facility on that date: said of the facility.
            None => {
                callcap::estimate::at_legal_maximum(book, &facility, &plan, date).map_err(|e| {
                    BadInput {
                        field: Some("facility"),
                        message: e.message().to_string(),
                        ..BadInput::default()
                    }
                })
            }
        }?;
        let legal_cap = book.rules(date, &facility).cap(plan.call).cloned();
        let mut estimate = estimate;
        // A facility of the directory: what was taken from it and assumed, and the month's
        // legal maximum in each tier its size could put it in.
        let (facility_directory, size, tiers_possible) = match facility.id.as_deref() {
            Some(id) if tariff.is_none() => {
                let (entry, notes) =
                    with_directory(|d| Ok((d.get(id).cloned(), d.notes(&facility))))?;
                estimate.notes.extend(notes);
                let tiers = callcap::sizing::maxima_by_tier(book, &facility, &plan, date)
                    .map_err(|e| from_core(e, "facility"))?;
                (entry, Some(SizeView::of(&facility)), tiers)
            }
            _ => (None, None, Vec::new()),
        };
        Ok(EstimateResult {
            estimate,
            legal_cap,
            facility_directory,
            size,
            tiers_possible,
        })
    })
}

/// Bids (one file name and one text each) compared on a date, under the demand assumptions of a
/// demand file (default: the bundled, illustrative ones), optionally all at one facility size
/// (ADP as typed; empty: as in each bid).
pub fn compare(
    date_text: &str,
    files: &[String],
    texts: &[String],
    demand_file: Option<&str>,
    demand_text: Option<&str>,
    adp_text: Option<&str>,
) -> Result<Comparison, BadInput> {
    let date = date(date_text)?;
    if files.len() != texts.len() {
        return Err(format!(
            "give as many bid texts as bid file names (got {} and {})",
            files.len(),
            texts.len()
        )
        .into());
    }
    let bids = files
        .iter()
        .zip(texts)
        .map(|(file, text)| tariff(file, text, "bids"))
        .collect::<Result<Vec<_>, _>>()?;
    let what_if = filled(adp_text).map(adp).transpose()?;
    let demand = match file_pair(demand_file, demand_text, "demand")? {
        Some((file, text)) => Demand::from_toml(file, text),
        None => Demand::bundled(),
    }
    .map_err(|e| from_core(e, "demand"))?;
    with_book(|book| {
        callcap::compare::compare(book, &bids, &demand, date, what_if)
            .map_err(|e| from_core(e, "bids"))
    })
}

/// A bid that could not be compared: its place in the list, its file and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BidError {
    /// Its place among the bids given (0 first).
    pub index: u32,
    /// Its file name.
    pub file: String,
    /// The core's message (with the file, line and key).
    pub message: String,
    /// The line, when the message is about one.
    pub line: Option<u32>,
    /// The key (`[bid] start`), when the message is about one.
    pub key: Option<String>,
    /// What is wrong, without the file, line and key.
    pub reason: String,
}

/// `compareBids`: the bids that could be compared, compared; and each bid that could not, with
/// its own error.
#[derive(Debug, Clone, Serialize)]
pub struct BidsResult {
    /// The comparison of every bid without an error (null when none is left).
    pub comparison: Option<Comparison>,
    /// The facility each compared bid names (`[facility] name`, null when it names none), in
    /// the order of the comparison's bids: what a handout is titled by.
    pub facilities: Vec<Option<String>>,
    /// The bids left out, each with the core's message about it.
    pub errors: Vec<BidError>,
}

/// Bids compared as [`compare`] compares them, except that a bad bid does not stop the
/// others: each one the core cannot read or cost is left out with its own error (found by
/// comparing the bids one by one, only when the comparison of all of them fails). Bad input
/// that is not one bid's (the date, the size, the demand file) is an error, as for `compare`.
pub fn compare_bids(
    date_text: &str,
    files: &[String],
    texts: &[String],
    demand_file: Option<&str>,
    demand_text: Option<&str>,
    adp_text: Option<&str>,
) -> Result<BidsResult, BadInput> {
    if files.len() != texts.len() {
        return compare(date_text, files, texts, demand_file, demand_text, adp_text).map(|c| {
            BidsResult {
                comparison: Some(c),
                facilities: Vec::new(),
                errors: Vec::new(),
            }
        });
    }
    let error = |index: usize, file: &str, bad: BadInput| BidError {
        index: u32::try_from(index).unwrap_or(u32::MAX),
        file: file.to_string(),
        line: bad.line.and_then(|l| u32::try_from(l).ok()),
        key: bad.key,
        reason: bad.reason.unwrap_or_else(|| bad.message.clone()),
        message: bad.message,
    };
    // All the bids at once (the usual case); one by one only when a bid's error stops that.
    // The facility's name, from each bid's file (read again: the core's comparison does not
    // carry it).
    let facilities = |files: &[String], texts: &[String]| -> Vec<Option<String>> {
        files
            .iter()
            .zip(texts)
            .map(|(f, t)| tariff(f, t, "bids").ok().and_then(|t| t.facility.name))
            .collect()
    };
    let all = compare(date_text, files, texts, demand_file, demand_text, adp_text);
    match all {
        Ok(c) => {
            return Ok(BidsResult {
                comparison: Some(c),
                facilities: facilities(files, texts),
                errors: Vec::new(),
            })
        }
        Err(e) if e.field != Some("bids") => return Err(e),
        Err(_) => {}
    }
    let (mut good_files, mut good_texts, mut errors) = (Vec::new(), Vec::new(), Vec::new());
    for (index, (file, text)) in files.iter().zip(texts).enumerate() {
        let one = |x: &String| std::slice::from_ref(x).to_vec();
        match compare(
            date_text,
            &one(file),
            &one(text),
            demand_file,
            demand_text,
            adp_text,
        ) {
            Ok(_) => {
                good_files.push(file.clone());
                good_texts.push(text.clone());
            }
            Err(e) if e.field == Some("bids") => errors.push(error(index, file, e)),
            Err(e) => return Err(e),
        }
    }
    let names = facilities(&good_files, &good_texts);
    let comparison = if good_files.is_empty() {
        None
    } else {
        Some(compare(
            date_text,
            &good_files,
            &good_texts,
            demand_file,
            demand_text,
            adp_text,
        )?)
    };
    Ok(BidsResult {
        comparison,
        facilities: names,
        errors,
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

    /// The arguments of an estimate of 15-minute prepaid audio calls that vary between tests.
    struct Month<'a> {
        jurisdiction: &'a str,
        per_week: Option<&'a str>,
        per_month: Option<&'a str>,
        deposit: Option<&'a str>,
        file: Option<&'a str>,
        text: Option<&'a str>,
        /// A jail's ADP: the month at the legal maximum.
        jail: Option<&'a str>,
    }

    /// Four intrastate calls a week under `TARIFF`.
    const MONTH: Month = Month {
        jurisdiction: "intrastate",
        per_week: Some("4"),
        per_month: None,
        deposit: None,
        file: Some("t.toml"),
        text: Some(TARIFF),
        jail: None,
    };

    fn month(m: Month) -> Result<EstimateResult, BadInput> {
        estimate(
            "2026-06-01",
            "audio",
            m.jurisdiction,
            "prepaid",
            "15",
            "automated_payment",
            m.per_week,
            m.per_month,
            m.deposit,
            m.file,
            m.text,
            m.jail.map(|_| "jail"),
            m.jail,
            None,
            None,
            None,
            None,
        )
    }

    /// The message of bad input, checking the field it names.
    fn bad(r: Result<impl std::fmt::Debug, BadInput>, field: Option<&str>) -> String {
        let e = r.unwrap_err();
        assert_eq!(e.field, field, "{}", e.message);
        e.message
    }

    fn json<O: Serialize>(o: &O) -> serde_json::Value {
        serde_json::from_str(&to_json(o).unwrap()).unwrap()
    }

    #[test]
    fn caps_are_the_core_report() {
        let v = json(&caps("2026-06-01", "jail", "640", Some(""), None, None).unwrap());
        assert_eq!(v["date"], "2026-06-01");
        assert_eq!(v["facility"]["average_daily_population"], 640);
        assert!(v["caps"].as_array().unwrap().len() >= 6);
    }

    #[test]
    fn bad_form_values_get_the_core_messages_in_their_field() {
        let caps = |date, kind, adp| caps(date, kind, adp, None, None, None);
        let e = bad(caps("2026-02-30", "jail", "640"), Some("date"));
        assert!(e.contains("not a real date"), "{e}");
        let e = bad(caps("2026-06-01", "jail", "0"), Some("adp"));
        assert!(e.contains("at least 1"), "{e}");
        let e = bad(caps("2026-06-01", "castle", "5"), Some("facility"));
        assert_eq!(e, FacilityKind::parse("castle").unwrap_err());
        assert!(
            e.contains("\"castle\"") && e.contains("`prison` or `jail`"),
            "{e}"
        );
        let e = bad(
            month(Month {
                deposit: Some("abc"),
                ..MONTH
            }),
            Some("deposit"),
        );
        assert!(e.contains("not a decimal amount"), "{e}");
        let e = bad(
            month(Month {
                per_week: Some("four"),
                ..MONTH
            }),
            Some("calls_per_week"),
        );
        assert_eq!(
            e,
            callcap::money::parse_count("four", "calls a week").unwrap_err()
        );
        let e = bad(
            month(Month {
                jurisdiction: "nearby",
                ..MONTH
            }),
            Some("jurisdiction"),
        );
        assert_eq!(e, Jurisdiction::parse("nearby").unwrap_err());
    }

    #[test]
    fn the_plan_s_usage_errors_name_the_form_field_not_a_flag() {
        let e = bad(
            month(Month {
                per_week: Some("100000"),
                ..MONTH
            }),
            Some("calls_per_week"),
        );
        assert!(!e.contains("--") && e.contains("calls a week"), "{e}");
        let e = bad(
            estimate(
                "2026-06-01",
                "audio",
                "intrastate",
                "prepaid",
                "0",
                "automated_payment",
                Some("4"),
                None,
                None,
                Some("t.toml"),
                Some(TARIFF),
                None,
                None,
                None,
                None,
                None,
                None,
            ),
            Some("minutes"),
        );
        assert!(!e.contains("--") && e.contains("minutes per call"), "{e}");
    }

    #[test]
    fn money_as_people_type_it_in_their_language() {
        assert_eq!(amount("$0.21", "en", "per_minute"), Ok("0.21".into()));
        assert_eq!(amount("0,21", "es", "per_minute"), Ok("0.21".into()));
        assert_eq!(amount(" 25 ", "en", "deposit"), Ok("25".into()));
        let e = bad(amount("0,21", "en", "deposit"), Some("deposit"));
        assert!(e.contains("write it like 0.21"), "{e}");
        let e = bad(amount("abc", "es", "fee"), Some("fee"));
        assert!(e.contains("write it like 0,21"), "{e}");
    }

    #[test]
    fn no_legal_maximum_is_said_of_the_facility() {
        let at_max = |date| {
            estimate(
                date,
                "audio",
                "intrastate",
                "prepaid",
                "15",
                "automated_payment",
                Some("4"),
                None,
                None,
                None,
                None,
                Some("jail"),
                Some("640"),
                None,
                None,
                None,
                None,
            )
        };
        let e = bad(at_max("2013-06-01"), Some("facility"));
        assert!(
            e.starts_with("no federal, state or local cap covered"),
            "{e}"
        );
    }

    #[test]
    fn empty_required_fields_say_what_to_type() {
        let e = bad(
            caps("2026-06-01", "jail", " ", None, None, None),
            Some("adp"),
        );
        assert_eq!(e, "give the average daily population, like 640");
    }

    #[test]
    fn a_file_s_error_carries_its_key_line_and_reason() {
        let e = check(
            "2026-06-01",
            "mine.toml",
            "[facility]\nkind = \"castle\"\n",
            None,
            None,
            None,
        )
        .unwrap_err();
        assert_eq!(e.key.as_deref(), Some("[facility] kind"));
        assert_eq!(e.line, Some(2));
        let reason = e.reason.unwrap();
        assert!(e.message.ends_with(&reason) && !reason.contains("mine.toml"));
    }

    #[test]
    fn a_price_per_call_becomes_a_price_a_minute_by_the_core() {
        let p = call_price("$3.15", "15", "en").unwrap();
        assert_eq!(
            (p.per_minute.to_string(), p.rounded),
            ("0.21".into(), false)
        );
        assert_eq!((p.price.to_string(), p.minutes), ("3.15".into(), 15));
        let p = call_price("1,00", "15", "es").unwrap();
        assert_eq!(
            (p.per_minute.to_string(), p.rounded),
            ("0.0667".into(), true)
        );
        bad(call_price("abc", "15", "en"), Some("call_price"));
        bad(call_price("3.15", "", "en"), Some("call_minutes"));
        bad(call_price("3.15", "0", "en"), Some("call_minutes"));
        bad(call_price("3.15", "1.5", "en"), Some("call_minutes"));
    }

    #[test]
    fn the_place_is_checked_field_by_field() {
        let place = |s, o, c| caps("2026-06-01", "jail", "640", s, o, c);
        let e = bad(place(Some("texas"), None, None), Some("state"));
        assert_eq!(e, callcap::facility::validate_state("texas").unwrap_err());
        let e = bad(place(Some("TX"), Some("sheriff"), None), Some("operator"));
        assert_eq!(e, Operator::parse("sheriff").unwrap_err());
        let e = bad(place(Some("CA"), None, Some("6073")), Some("county_fips"));
        assert_eq!(
            e,
            callcap::facility::validate_county_fips("6073").unwrap_err()
        );
        // Empty parts are not known, not errors.
        assert!(place(Some(""), Some(""), Some(" ")).is_ok());
    }

    #[test]
    fn the_place_reaches_the_state_rules() {
        let r = caps(
            "2024-06-01",
            "jail",
            "300",
            Some("MA"),
            Some("county"),
            None,
        )
        .unwrap();
        assert_eq!(r.report.state.as_deref(), Some("MA"));
        assert!(r.report.state_covered);
        let v = json(&r);
        assert!(v["state_rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kind"] == "free" && r["certainty"] == "applies"));
        // The form's place replaces the tariff's: a Massachusetts county jail's calls are free.
        let m = json(
            &estimate(
                "2024-06-01",
                "audio",
                "intrastate",
                "prepaid",
                "15",
                "automated_payment",
                Some("4"),
                None,
                None,
                None,
                None,
                Some("jail"),
                Some("300"),
                Some("MA"),
                Some("county"),
                None,
                None,
            )
            .unwrap(),
        );
        assert_eq!(m["estimate"]["at_cap"]["per_minute"], "0.00");
        assert_eq!(m["estimate"]["at_cap"]["set_by"]["level"], "state");
        let c = check(
            "2024-06-01",
            "t.toml",
            TARIFF,
            Some("MA"),
            Some("county"),
            None,
        )
        .unwrap();
        assert!(c
            .findings
            .iter()
            .any(|f| f.rule == callcap::RuleId::StateFreeCalls));
    }

    #[test]
    fn a_file_needs_its_name_and_its_text() {
        let e = bad(
            month(Month {
                file: None,
                ..MONTH
            }),
            None,
        );
        assert_eq!(e, "give the tariff's file name and its text together");
        let files = ["a.toml".to_string()];
        let e = bad(compare("2026-06-01", &files, &[], None, None, None), None);
        assert_eq!(e, "give as many bid texts as bid file names (got 1 and 0)");
    }

    #[test]
    fn toml_errors_name_file_line_and_key() {
        let e = bad(
            check(
                "2026-06-01",
                "mine.toml",
                "[facility]\nkind = \"castle\"\n",
                None,
                None,
                None,
            ),
            Some("tariff"),
        );
        assert!(e.starts_with("mine.toml:2:8: [facility] kind:"), "{e}");
    }

    #[test]
    fn estimate_turns_weeks_into_months_in_the_core() {
        let v = json(&month(MONTH).unwrap());
        assert_eq!(
            v["estimate"]["month"]["calls"],
            callcap::estimate::calls_per_month_from_week(4)
        );
        assert_eq!(v["legal_cap"]["jurisdiction"], "intrastate");
    }

    #[test]
    fn legal_maximum_without_a_tariff() {
        let v = json(
            &month(Month {
                per_week: None,
                per_month: Some("10"),
                file: None,
                text: None,
                jail: Some("640"),
                ..MONTH
            })
            .unwrap(),
        );
        assert_eq!(v["estimate"]["month"]["calls"], 10);
        assert!(v["legal_cap"]["per_minute"].is_string());
    }

    #[test]
    fn compare_overrides_the_population() {
        let bid =
            format!("{TARIFF}\n[bid]\nname = \"A\"\nterm_years = 3\nstart = \"2026-01-01\"\n");
        let (files, texts) = (["a.toml".to_string()], [bid]);
        let v = json(&compare("2026-06-01", &files, &texts, None, None, Some("100")).unwrap());
        assert_eq!(v["bids"][0]["average_daily_population"], 100);
    }

    #[test]
    fn a_bad_bid_is_left_out_with_its_own_error_and_the_others_compared() {
        let bid = |name: &str| {
            format!("{TARIFF}\n[bid]\nname = \"{name}\"\nterm_years = 3\nstart = \"2026-01-01\"\n")
        };
        let files = ["a.toml", "bad.toml", "c.toml", "nobid.toml"].map(String::from);
        let texts = [
            bid("A"),
            "[facility]\nkind = \"castle\"\n".to_string(),
            bid("C"),
            TARIFF.to_string(),
        ];
        let r = compare_bids("2026-06-01", &files, &texts, None, None, None).unwrap();
        let names: Vec<_> = r
            .comparison
            .unwrap()
            .bids
            .iter()
            .map(|b| b.name.clone())
            .collect();
        assert_eq!(names, ["A", "C"]);
        assert_eq!(r.facilities, [None, None]);
        let bad: Vec<_> = r
            .errors
            .iter()
            .map(|e| (e.index, e.file.as_str()))
            .collect();
        assert_eq!(bad, [(1, "bad.toml"), (3, "nobid.toml")]);
        assert_eq!(r.errors[0].line, Some(2));
        assert!(
            r.errors[1].reason.starts_with("not a bid"),
            "{:?}",
            r.errors[1]
        );
        // Bad input that is not a bid's is still an error of its own field.
        let e = compare_bids("2026-06-01", &files, &texts, None, None, Some("0")).unwrap_err();
        assert_eq!(e.field, Some("adp"));
        // Good bids: the same comparison as compare's.
        let (f, t) = (["a.toml".to_string()], [bid("A")]);
        let both = compare_bids("2026-06-01", &f, &t, None, None, None).unwrap();
        assert!(both.errors.is_empty());
        assert_eq!(
            json(&both.comparison.unwrap()),
            json(&compare("2026-06-01", &f, &t, None, None, None).unwrap())
        );
    }

    #[test]
    fn the_regime_of_a_date() {
        let r = regime("2026-06-01").unwrap().unwrap();
        assert!(!r.provenance.citation.is_empty());
        assert!(regime("2010-01-01").unwrap().is_none());
    }

    #[test]
    fn the_rate_book_lists_sources_and_change_dates() {
        let info = rate_book().unwrap();
        assert!(info.sources.contains_key("fcc-21-60"));
        assert!(info.change_dates.windows(2).all(|w| w[0] < w[1]));
        assert!(Demand::from_toml(&info.demand.file, &info.demand.text).is_ok());
    }

    /// The directory in the page's form, loaded as the page loads it.
    fn load_bundled_directory() {
        let info = load_directory(&crate::directory::write(
            &crate::directory::from_repository(),
        ))
        .expect("loaded");
        assert_eq!(info.facilities, 6737);
    }

    #[test]
    fn the_finder_finds_and_sizes_honestly() {
        load_bundled_directory();
        let found = facilities("guadalupe county adult detention", Some("TX"), None).unwrap();
        let e = &found.facilities[0];
        assert_eq!(e.id, "10002881");
        assert_eq!(e.population, Some(338));
        // A typo, and the state filter.
        let found = facilities("guadalupe county adlt detention", Some("TX"), None).unwrap();
        assert_eq!(found.facilities[0].id, "10002881");
        assert!(
            facilities("guadalupe", Some("Texas"), None)
                .unwrap_err()
                .field
                == Some("finder_state")
        );
        assert_eq!(
            facilities("", None, None).unwrap_err().field,
            Some("finder")
        );
        // 338 reported: within 10% of 350, so two tiers, each with its caps.
        let c = caps_of("2026-06-01", "", "", None, None, None, Some("10002881")).unwrap();
        assert_eq!(c.tiers_possible.len(), 2);
        assert_eq!(
            c.size.as_ref().map(|s| s.basis),
            Some("population_reported")
        );
        assert_eq!(
            c.facility_directory.as_ref().map(|e| e.id.as_str()),
            Some("10002881")
        );
        // Corrected: an ADP typed is used as given, one tier.
        let c = caps_of("2026-06-01", "", "340", None, None, None, Some("10002881")).unwrap();
        assert!(c.tiers_possible.is_empty());
        let e = estimate(
            "2026-06-01",
            "audio",
            "intrastate",
            "prepaid",
            "15",
            "automated_payment",
            Some("4"),
            None,
            None,
            None,
            None,
            Some(""),
            None,
            None,
            None,
            None,
            Some("10002881"),
        )
        .unwrap();
        assert_eq!(e.tiers_possible.len(), 2);
        assert!(e.tiers_possible.iter().all(|t| t.legal_maximum.is_some()));
        assert!(e
            .estimate
            .notes
            .iter()
            .any(|n| n.contains("correct it if you know")));
        assert_eq!(
            caps_of("2026-06-01", "", "", None, None, None, Some("1"))
                .unwrap_err()
                .field,
            Some("finder")
        );
    }
}
