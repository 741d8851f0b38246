//! The exported functions as JavaScript sees them, run under Node by wasm-bindgen-test:
//! plain objects in, plain objects out, errors as JS `Error`s carrying the core's message.
//!
//! Run with `scripts/build-wasm.sh --test` (it picks the same build route as the page's build
//! and the wasm-bindgen-test-runner of Cargo.lock's wasm-bindgen version).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn obj(json: &str) -> JsValue {
    JSON::parse(json).expect("test input is JSON")
}

fn get(v: &JsValue, path: &[&str]) -> JsValue {
    path.iter().fold(v.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).expect("an object")
    })
}

fn text(v: &JsValue, path: &[&str]) -> String {
    get(v, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path:?} is not a string"))
}

fn message(e: wasm_bindgen::JsError) -> String {
    let value: JsValue = e.into();
    let error: js_sys::Error = value.dyn_into().expect("a JS Error");
    error.message().into()
}

const TARIFF: &str = r#"[facility]
kind = "jail"
average_daily_population = 640

[[rate]]
service = "audio"
per_minute = "0.25"

[[fee]]
kind = "automated_payment"
amount = "3.00"
"#;

fn tariff_json() -> String {
    format!(
        r#"{{"file":"t.toml","text":{}}}"#,
        String::from(JSON::stringify(&JsValue::from_str(TARIFF)).unwrap())
    )
}

#[wasm_bindgen_test]
fn version_and_rate_book() {
    assert_eq!(callcap_wasm::version(), env!("CARGO_PKG_VERSION"));
    let book = callcap_wasm::rate_book().unwrap();
    assert_eq!(text(&book, &["origin"]), "bundled");
    assert!(get(&book, &["sources", "fcc-21-60", "document"]).is_string());
    let dates: Array = get(&book, &["change_dates"]).dyn_into().unwrap();
    assert!(dates.length() > 5);
}

#[wasm_bindgen_test]
fn caps_for_a_medium_jail() {
    let r = callcap_wasm::caps(obj(
        r#"{"date":"2026-06-01","facility":"jail","adp":"640"}"#,
    ))
    .unwrap();
    assert_eq!(text(&r, &["date"]), "2026-06-01");
    assert_eq!(text(&r, &["facility", "tier"]), "medium_jail");
    let caps: Array = get(&r, &["caps"]).dyn_into().unwrap();
    assert!(caps.length() >= 6);
    assert!(get(&caps.get(0), &["citation"]).is_string());
}

#[wasm_bindgen_test]
fn the_regime_of_a_date() {
    let r = callcap_wasm::regime(obj(r#"{"date":"2026-06-01"}"#)).unwrap();
    assert!(!text(&r, &["citation"]).is_empty());
    let none = callcap_wasm::regime(obj(r#"{"date":"2010-01-01"}"#)).unwrap();
    assert!(none.is_null());
}

#[wasm_bindgen_test]
fn tiers_on_a_date() {
    let r = callcap_wasm::tiers(obj(r#"{"date":"2026-06-01"}"#)).unwrap();
    let tiers: Array = r.dyn_into().unwrap();
    assert!(tiers.length() >= 6);
}

#[wasm_bindgen_test]
fn check_finds_the_over_cap_rate_with_its_citation() {
    let r = callcap_wasm::check(obj(&format!(
        r#"{{"date":"2026-06-01","tariff":{}}}"#,
        tariff_json()
    )))
    .unwrap();
    assert_eq!(get(&r, &["compliant"]), JsValue::FALSE);
    let findings: Array = get(&r, &["findings"]).dyn_into().unwrap();
    let first = findings.get(0);
    assert_eq!(text(&first, &["severity"]), "violation");
    assert!(!text(&first, &["citation"]).is_empty());
}

#[wasm_bindgen_test]
fn estimate_with_a_tariff_and_at_the_legal_maximum() {
    let r = callcap_wasm::estimate(obj(&format!(
        r#"{{"date":"2026-06-01","tariff":{},"service":"audio","jurisdiction":"intrastate",
            "payment":"prepaid","calls_per_week":"4","minutes":"15","deposit":"25",
            "deposit_method":"automated_payment"}}"#,
        tariff_json()
    )))
    .unwrap();
    assert_eq!(
        get(&r, &["estimate", "month", "calls"]).as_f64(),
        Some(17.0)
    );
    assert_eq!(text(&r, &["estimate", "per_call", "charge"]), "3.75");
    assert!(get(&r, &["estimate", "overcharge"]).is_string());
    assert!(get(&r, &["legal_cap", "citation"]).is_string());

    let r = callcap_wasm::estimate(obj(
        r#"{"date":"2026-06-01","facility":{"kind":"prison","adp":"2000"},"service":"audio",
            "jurisdiction":"interstate","payment":"debit","calls_per_month":"8","minutes":"20",
            "deposit_method":"live_agent"}"#,
    ))
    .unwrap();
    assert_eq!(
        get(&r, &["estimate", "month", "minutes"]).as_f64(),
        Some(160.0)
    );
}

#[wasm_bindgen_test]
fn compare_the_bundled_demand() {
    let bid = format!("{TARIFF}\n[bid]\nname = \"A\"\nterm_years = 2\nstart = \"2026-01-01\"\n");
    let input = format!(
        r#"{{"date":"2026-06-01","bids":[{{"file":"a.toml","text":{}}}]}}"#,
        String::from(JSON::stringify(&JsValue::from_str(&bid)).unwrap())
    );
    let r = callcap_wasm::compare(obj(&input)).unwrap();
    let bids: Array = get(&r, &["bids"]).dyn_into().unwrap();
    assert_eq!(text(&bids.get(0), &["name"]), "A");
    assert!(text(&bids.get(0), &["annual_family_cost"]).contains('.'));
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_the_core_message() {
    let e = callcap_wasm::check(obj(
        r#"{"date":"2026-06-01","tariff":{"file":"bad.toml","text":"[facility]\nkind = \"castle\"\n"}}"#,
    ))
    .unwrap_err();
    let m = message(e);
    assert!(m.starts_with("bad.toml:2:8: [facility] kind:"), "{m}");

    let e = callcap_wasm::caps(obj(r#"{"date":"2026-13-01","facility":"jail","adp":"5"}"#))
        .unwrap_err();
    assert!(message(e).contains("not a real date"));

    let e = callcap_wasm::caps(JsValue::UNDEFINED).unwrap_err();
    assert_eq!(message(e), "the input must be an object");
}
