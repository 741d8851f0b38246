//! WebAssembly binding of `callcap` for the browser calculator.
//!
//! Thin by design, like ruff's and biome's wasm crates: each exported function reads its input
//! (a plain JS object holding what a form holds: decimals, dates and counts as strings), calls
//! the core, and returns the core's own result as a plain object, the same JSON the command line
//! prints with `--format json`. Errors become JS `Error`s carrying the core's message. There is
//! no pricing or compliance logic here: only conversion in and out.
//!
//! The functions in [`api`] do the work on Rust values and are tested on the host; the exported
//! functions convert JS objects to and from them through `JSON`: inputs are read by [`json`],
//! results written by `serde_json`.
//!
//! The TypeScript types of the generated `.d.ts` come from the Rust types: `tests/typescript.rs`
//! reads this crate and the core (`src/`) and writes `types.d.ts`, included below.
#![deny(missing_docs)]

use serde::Serialize;
use wasm_bindgen::prelude::{wasm_bindgen, JsError, JsValue};

pub mod api;
pub mod json;

/// The allocator: talc in place of std's dlmalloc (a single-threaded module: no atomics).
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

pub use api::{
    BookInfo, CapsInput, CheckInput, CompareInput, DateInput, EstimateInput, EstimateResult,
    FacilityInput, TomlText,
};

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types.d.ts");

/// Converts a JS object to `I`, runs `f`, converts its result back: the whole of every export.
fn call<I: json::FromJson, O: Serialize>(
    input: JsValue,
    f: impl FnOnce(I) -> Result<O, String>,
) -> Result<JsValue, JsError> {
    let text = js_sys::JSON::stringify(&input)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| JsError::new("the input must be an object"))?;
    to_js(api::call_json(&text, f))
}

/// A JSON result as a JS object, or its error as a JS `Error`.
fn to_js(result: Result<String, String>) -> Result<JsValue, JsError> {
    let json = result.map_err(|m| JsError::new(&m))?;
    js_sys::JSON::parse(&json).map_err(|_| JsError::new("internal error: unreadable JSON result"))
}

/// The version of this binding crate, e.g. `"0.1.0"`.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// The bundled rate book: its sources, the dates its rules change, the default bid-comparison
/// demand.
#[wasm_bindgen(js_name = rateBook, unchecked_return_type = "BookInfo")]
pub fn rate_book() -> Result<JsValue, JsError> {
    to_js(api::rate_book().and_then(|b| api::to_json(&b)))
}

/// The FCC size tiers in force on a date.
#[wasm_bindgen(unchecked_return_type = "TierInfo[]")]
pub fn tiers(
    #[wasm_bindgen(unchecked_param_type = "DateInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::tiers)
}

/// The regime governing a date, with its source (null before the first federal cap).
#[wasm_bindgen(unchecked_return_type = "RegimeInfo | null")]
pub fn regime(
    #[wasm_bindgen(unchecked_param_type = "DateInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::regime)
}

/// The rules in force for a date and facility (`callcap caps --format json`).
#[wasm_bindgen(unchecked_return_type = "CapsReport")]
pub fn caps(
    #[wasm_bindgen(unchecked_param_type = "CapsInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::caps)
}

/// A tariff checked against the rules in force (one result of `callcap check --format json`).
#[wasm_bindgen(unchecked_return_type = "CheckResult")]
pub fn check(
    #[wasm_bindgen(unchecked_param_type = "CheckInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::check)
}

/// A family's month under a tariff, or at the legal maximum for a facility
/// (`callcap estimate --format json`), with the cap that applies to the call.
#[wasm_bindgen(unchecked_return_type = "EstimateResult")]
pub fn estimate(
    #[wasm_bindgen(unchecked_param_type = "EstimateInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::estimate)
}

/// Bids side by side (`callcap compare --format json`).
#[wasm_bindgen(unchecked_return_type = "Comparison")]
pub fn compare(
    #[wasm_bindgen(unchecked_param_type = "CompareInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::compare)
}

/// Bids side by side as CSV, written by the core (`callcap compare --format csv`).
#[wasm_bindgen(js_name = compareCsv, unchecked_return_type = "string")]
pub fn compare_csv(
    #[wasm_bindgen(unchecked_param_type = "CompareInput")] input: JsValue,
) -> Result<JsValue, JsError> {
    call(input, api::compare_csv)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_is_the_crate_version() {
        assert_eq!(version(), env!("CARGO_PKG_VERSION"));
    }
}
