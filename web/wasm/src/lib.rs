//! WebAssembly binding of `callcap` for the browser calculator.
//!
//! Thin by design, like ruff's and biome's wasm crates: each exported function takes plain
//! arguments (strings, optional strings, arrays of strings: what a form holds, decimals, dates,
//! counts and vocabulary words as text), calls the core, and returns the core's own result as a
//! plain object, the same JSON the command line prints with `--format json`. Errors become JS
//! `Error`s carrying the core's message, and in `field` the argument (form field) it is about. There is no pricing or compliance logic here: only
//! conversion in and out.
//!
//! The functions in [`api`] do the work on Rust values and are tested on the host; the exported
//! functions below pass their arguments on and turn the result into a JS object (`serde_json`
//! text, then `JSON.parse`).
//!
//! The TypeScript types of the generated `.d.ts` come from the Rust types: `tests/typescript.rs`
//! reads this file's exports and the core (`src/`) and writes `types.d.ts`, included below.
//! wasm-bindgen writes the functions' own signatures; a word argument is typed with its
//! vocabulary (`unchecked_param_type = "Service"`), so the page is compiled against the words
//! the core accepts.
#![deny(missing_docs)]

use serde::Serialize;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};

pub mod api;
pub mod directory;
#[cfg(feature = "sheets")]
pub mod sheets;

/// The allocator: talc in place of std's dlmalloc (a single-threaded module: no atomics).
// size: talc, not std's dlmalloc: 1.7 KB gzip smaller (and faster).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use api::{
    BadInput, BidError, BidsResult, BookInfo, CallPrice, CapsResult, DirectoryInfo, EstimateResult,
    FacilitiesFound, TomlText,
};
#[cfg(feature = "sheets")]
pub use sheets::{SheetError, SheetRead, SheetTariff};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types.d.ts");

/// Bad input as a JS `Error`: its message, and in `field` the argument it came in (when it is
/// one form field's), so the page shows it next to that field.
/// For a file, also `key`, `line` and `reason` (the message without file, line and key).
fn js_error(bad: BadInput) -> JsValue {
    let error = js_sys::Error::new(&bad.message);
    // Setting a property on a fresh Error cannot fail.
    let set = |name: &str, value: JsValue| {
        let _ = js_sys::Reflect::set(&error, &name.into(), &value);
    };
    if let Some(field) = bad.field {
        set("field", field.into());
    }
    if let Some(key) = bad.key {
        set("key", key.into());
    }
    if let Some(line) = bad.line {
        set("line", JsValue::from(line as u32));
    }
    if let Some(reason) = bad.reason {
        set("reason", reason.into());
    }
    error.into()
}

/// A result as a JS object (through JSON), or its error as a JS `Error` ([`js_error`]).
// size: serde_json text read by JSON.parse, not serde-wasm-bindgen: 3.5 KB gzip smaller.
fn to_js<O: Serialize>(result: Result<O, BadInput>) -> Result<JsValue, JsValue> {
    let json = result
        .and_then(|o| api::to_json(&o).map_err(BadInput::from))
        .map_err(js_error)?;
    js_sys::JSON::parse(&json)
        .map_err(|_| js_error("internal error: unreadable JSON result".into()))
}

#[cfg(feature = "full")]
/// An amount of money as a person types it in a form (`"$0.21"`; with `lang` `"es"` also
/// `"0,21"`), read by the core, as a plain decimal (`"0.21"`); bad text throws the core's
/// message, in `field` the `field` given (`deposit`, `per_minute`, `per_call`, `fee`).
#[wasm_bindgen]
pub fn amount(text: String, lang: String, field: String) -> Result<String, JsValue> {
    api::amount(&text, &lang, &field).map_err(js_error)
}

#[cfg(feature = "full")]
/// A price per call as a bill shows it (`price` as typed, in `lang`) for a call of `minutes`
/// minutes, as a price a minute (`{per_minute, rounded}`); bad text throws the core's message,
/// in `field` `call_price` or `call_minutes`.
#[wasm_bindgen(js_name = callPrice, unchecked_return_type = "CallPrice")]
pub fn call_price(price: String, minutes: String, lang: String) -> Result<JsValue, JsValue> {
    to_js(api::call_price(&price, &minutes, &lang))
}

/// The version of this binding crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

#[cfg(feature = "full")]
/// The bundled rate book: its sources, the dates its rules change, the default bid-comparison
/// demand.
#[wasm_bindgen(js_name = rateBook, unchecked_return_type = "BookInfo")]
pub fn rate_book() -> Result<JsValue, JsValue> {
    to_js(api::rate_book())
}

#[cfg(feature = "full")]
/// The FCC size tiers in force on a date (`YYYY-MM-DD`).
#[wasm_bindgen(unchecked_return_type = "TierInfo[]")]
pub fn tiers(date: String) -> Result<JsValue, JsValue> {
    to_js(api::tiers(&date))
}

#[cfg(feature = "full")]
/// The regime governing a date, with its source (null before the first federal cap).
#[wasm_bindgen(unchecked_return_type = "RegimeInfo | null")]
pub fn regime(date: String) -> Result<JsValue, JsValue> {
    to_js(api::regime(&date))
}

#[cfg(feature = "full")]
/// The rules in force for a date and facility (`callcap caps --format json`): `prison` or
/// `jail`, the average daily population as typed (`"640"`), and where it is and who runs it,
/// each optional (empty: not known): a two-letter state, `state`, `county`, `city`, `private`
/// or `federal`, the county's five-digit FIPS code (`callcap caps --state --operator
/// --county-fips`); last, optional, the id of a facility of the directory (`loadDirectory`):
/// what the form leaves empty is the directory's, and its reported population stands for the
/// ADP, with every tier it could put the facility in (`callcap caps --facility-id`).
#[wasm_bindgen(unchecked_return_type = "CapsResult")]
pub fn caps(
    date: String,
    #[wasm_bindgen(unchecked_param_type = "FacilityKind")] facility: String,
    adp: String,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] state: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "Operator | \"\" | null")] operator: Option<
        String,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] county_fips: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] facility_id: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::caps_of(
        &date,
        &facility,
        &adp,
        state.as_deref(),
        operator.as_deref(),
        county_fips.as_deref(),
        facility_id.as_deref(),
    ))
}

#[cfg(feature = "full")]
/// A tariff, by its file name (shown in messages) and its TOML text, checked against the rules
/// in force on a date (one result of `callcap check --format json`), with the place given
/// (state, who runs the facility, county FIPS; each replaces the tariff's own when given).
#[wasm_bindgen(unchecked_return_type = "CheckResult")]
pub fn check(
    date: String,
    file: String,
    text: String,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] state: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "Operator | \"\" | null")] operator: Option<
        String,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] county_fips: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::check(
        &date,
        &file,
        &text,
        state.as_deref(),
        operator.as_deref(),
        county_fips.as_deref(),
    ))
}

#[cfg(feature = "full")]
/// A family's month (`callcap estimate --format json`), with the cap that applies to the call.
/// The kind of call, minutes per call and how deposits are made; calls a week or a month (a
/// month wins), each deposit's size (empty: one deposit a month of what is needed); then either
/// the provider's tariff (file name and text) or, to price the month at the legal maximum, a
/// facility (`prison` or `jail`) and its average daily population; last the place, as for
/// `check` (each part replaces the tariff's own when given).
#[wasm_bindgen(unchecked_return_type = "EstimateResult")]
#[allow(clippy::too_many_arguments)] // one positional argument per form field
pub fn estimate(
    date: String,
    #[wasm_bindgen(unchecked_param_type = "Service")] service: String,
    #[wasm_bindgen(unchecked_param_type = "Jurisdiction")] jurisdiction: String,
    #[wasm_bindgen(unchecked_param_type = "Payment")] payment: String,
    minutes: String,
    #[wasm_bindgen(unchecked_param_type = "FeeKind")] deposit_method: String,
    calls_per_week: Option<String>,
    calls_per_month: Option<String>,
    deposit: Option<String>,
    tariff_file: Option<String>,
    tariff_text: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "FacilityKind | null")] facility: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] adp: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] state: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "Operator | \"\" | null")] operator: Option<
        String,
    >,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] county_fips: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] facility_id: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::estimate(
        &date,
        &service,
        &jurisdiction,
        &payment,
        &minutes,
        &deposit_method,
        calls_per_week.as_deref(),
        calls_per_month.as_deref(),
        deposit.as_deref(),
        tariff_file.as_deref(),
        tariff_text.as_deref(),
        facility.as_deref(),
        adp.as_deref(),
        state.as_deref(),
        operator.as_deref(),
        county_fips.as_deref(),
        facility_id.as_deref(),
    ))
}

#[cfg(feature = "full")]
/// Reads the facility directory in the page's compact form (fetched when the finder is first
/// used) and keeps it for `facilities`, and for `caps` and `estimate` of a facility chosen in
/// it (`facility_id`); returns its edition and size.
#[wasm_bindgen(js_name = loadDirectory, unchecked_return_type = "DirectoryInfo")]
pub fn load_directory(text: String) -> Result<JsValue, JsValue> {
    to_js(api::load_directory(&text))
}

#[cfg(feature = "full")]
/// Facilities of the directory whose name or city matches `query` (case, accents, word order
/// and small typos aside), best first, at most `limit` (empty: 8), in `state` when given
/// (`callcap facilities QUERY --state XX --format json`).
#[wasm_bindgen(unchecked_return_type = "FacilitiesFound")]
pub fn facilities(
    query: String,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] state: Option<String>,
    #[wasm_bindgen(unchecked_optional_param_type = "string | null")] limit: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::facilities(&query, state.as_deref(), limit.as_deref()))
}

#[cfg(feature = "full")]
/// Bids side by side (`callcap compare --format json`): one file name and one TOML text per
/// bid, an optional demand file (name and text; default: the bundled, illustrative
/// assumptions), and an optional average daily population in place of each bid's.
#[wasm_bindgen(unchecked_return_type = "Comparison")]
pub fn compare(
    date: String,
    files: Vec<String>,
    texts: Vec<String>,
    demand_file: Option<String>,
    demand_text: Option<String>,
    adp: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::compare(
        &date,
        &files,
        &texts,
        demand_file.as_deref(),
        demand_text.as_deref(),
        adp.as_deref(),
    ))
}

#[cfg(feature = "full")]
/// Bids side by side, as `compare`, except that a bid the core cannot read or cost is left out
/// with its own error (`errors`: its place, file and message) and the others are compared.
#[wasm_bindgen(js_name = compareBids, unchecked_return_type = "BidsResult")]
pub fn compare_bids(
    date: String,
    files: Vec<String>,
    texts: Vec<String>,
    demand_file: Option<String>,
    demand_text: Option<String>,
    adp: Option<String>,
) -> Result<JsValue, JsValue> {
    to_js(api::compare_bids(
        &date,
        &files,
        &texts,
        demand_file.as_deref(),
        demand_text.as_deref(),
        adp.as_deref(),
    ))
}

#[cfg(feature = "full")]
/// Bids side by side as CSV, written by the core (`callcap compare --format csv`); the same
/// arguments as `compare`.
#[wasm_bindgen(js_name = compareCsv)]
pub fn compare_csv(
    date: String,
    files: Vec<String>,
    texts: Vec<String>,
    demand_file: Option<String>,
    demand_text: Option<String>,
    adp: Option<String>,
) -> Result<String, JsValue> {
    api::compare(
        &date,
        &files,
        &texts,
        demand_file.as_deref(),
        demand_text.as_deref(),
        adp.as_deref(),
    )
    .map(|c| callcap::report::comparison_csv(&c))
    .map_err(js_error)
}

/// A spreadsheet of bids (`layout` `"bids"`) or a rate table (`"rates"`), CSV or XLSX by its
/// file name, read by the core (`callcap::sheet`): each bid or facility as the tariff file the
/// core's TOML reader reads the same way (so the full module compares or checks it), and each
/// error with its sheet, row and column (`callcap compare BIDS.csv`, `callcap check TABLE.xlsx`).
#[cfg(feature = "sheets")]
#[wasm_bindgen(js_name = readSheet, unchecked_return_type = "SheetRead")]
pub fn read_sheet(layout: String, file: String, bytes: Vec<u8>) -> Result<JsValue, JsValue> {
    to_js(sheets::read_sheet(&layout, &file, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
