//! The exported functions as JavaScript sees them, run under Node by wasm-bindgen-test:
//! plain arguments in (strings, optional strings, arrays of strings), plain objects out, errors
//! as JS `Error`s carrying the core's message.
//!
//! Run with `scripts/build-wasm.sh --test` (it picks the same build route as the page's build
//! and the wasm-bindgen-test-runner of Cargo.lock's wasm-bindgen version).
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn s(text: &str) -> String {
    text.to_string()
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

fn message(e: JsValue) -> String {
    let error: js_sys::Error = e.dyn_into().expect("a JS Error");
    error.message().into()
}

/// The form field a JS error names (`field`), if any.
fn field_of(e: &JsValue) -> Option<String> {
    Reflect::get(e, &JsValue::from_str("field"))
        .ok()
        .and_then(|f| f.as_string())
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
    let r =
        callcap_wasm::caps(s("2026-06-01"), s("jail"), s("640"), None, None, None, None).unwrap();
    assert_eq!(text(&r, &["date"]), "2026-06-01");
    assert_eq!(text(&r, &["facility", "tier"]), "medium_jail");
    let caps: Array = get(&r, &["caps"]).dyn_into().unwrap();
    assert!(caps.length() >= 6);
    assert!(get(&caps.get(0), &["citation"]).is_string());
}

#[wasm_bindgen_test]
fn the_regime_of_a_date() {
    let r = callcap_wasm::regime(s("2026-06-01")).unwrap();
    assert!(!text(&r, &["citation"]).is_empty());
    let none = callcap_wasm::regime(s("2010-01-01")).unwrap();
    assert!(none.is_null());
}

#[wasm_bindgen_test]
fn tiers_on_a_date() {
    let r = callcap_wasm::tiers(s("2026-06-01")).unwrap();
    let tiers: Array = r.dyn_into().unwrap();
    assert!(tiers.length() >= 6);
}

#[wasm_bindgen_test]
fn check_finds_the_over_cap_rate_with_its_citation() {
    let r = callcap_wasm::check(s("2026-06-01"), s("t.toml"), s(TARIFF), None, None, None).unwrap();
    assert_eq!(get(&r, &["compliant"]), JsValue::FALSE);
    let findings: Array = get(&r, &["findings"]).dyn_into().unwrap();
    let first = findings.get(0);
    assert_eq!(text(&first, &["severity"]), "violation");
    assert!(!text(&first, &["citation"]).is_empty());
}

#[wasm_bindgen_test]
fn estimate_with_a_tariff_and_at_the_legal_maximum() {
    let r = callcap_wasm::estimate(
        s("2026-06-01"),
        s("audio"),
        s("intrastate"),
        s("prepaid"),
        s("15"),
        s("automated_payment"),
        Some(s("4")),
        None,
        Some(s("25")),
        Some(s("t.toml")),
        Some(s(TARIFF)),
        None,
        None,
        None,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        get(&r, &["estimate", "month", "calls"]).as_f64(),
        Some(17.0)
    );
    assert_eq!(text(&r, &["estimate", "per_call", "charge"]), "3.75");
    assert!(get(&r, &["estimate", "overcharge"]).is_string());
    assert!(get(&r, &["legal_cap", "citation"]).is_string());

    let r = callcap_wasm::estimate(
        s("2026-06-01"),
        s("audio"),
        s("interstate"),
        s("debit"),
        s("20"),
        s("live_agent"),
        None,
        Some(s("8")),
        None,
        None,
        None,
        Some(s("prison")),
        Some(s("2000")),
        None,
        None,
        None,
        None,
    )
    .unwrap();
    assert_eq!(
        get(&r, &["estimate", "month", "minutes"]).as_f64(),
        Some(160.0)
    );
}

#[wasm_bindgen_test]
fn compare_the_bundled_demand() {
    let bid = format!("{TARIFF}\n[bid]\nname = \"A\"\nterm_years = 2\nstart = \"2026-01-01\"\n");
    let (files, texts) = (vec![s("a.toml")], vec![bid]);
    let r = callcap_wasm::compare(
        s("2026-06-01"),
        files.clone(),
        texts.clone(),
        None,
        None,
        None,
    )
    .unwrap();
    let bids: Array = get(&r, &["bids"]).dyn_into().unwrap();
    assert_eq!(text(&bids.get(0), &["name"]), "A");
    assert!(text(&bids.get(0), &["annual_family_cost"]).contains('.'));
    let csv = callcap_wasm::compare_csv(s("2026-06-01"), files, texts, None, None, None).unwrap();
    assert!(csv.starts_with("date,name,file,"), "{csv}");
}

#[wasm_bindgen_test]
fn errors_are_js_errors_with_the_core_message() {
    let e = callcap_wasm::check(
        s("2026-06-01"),
        s("bad.toml"),
        s("[facility]\nkind = \"castle\"\n"),
        None,
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(field_of(&e).as_deref(), Some("tariff"));
    let m = message(e);
    assert!(m.starts_with("bad.toml:2:8: [facility] kind:"), "{m}");

    let e =
        callcap_wasm::caps(s("2026-13-01"), s("jail"), s("5"), None, None, None, None).unwrap_err();
    assert_eq!(field_of(&e).as_deref(), Some("date"));
    assert!(message(e).contains("not a real date"));

    let e = callcap_wasm::caps(
        s("2026-06-01"),
        s("jail"),
        s("5"),
        Some(s("MA")),
        Some(s("sheriff")),
        None,
        None,
    )
    .unwrap_err();
    assert_eq!(field_of(&e).as_deref(), Some("operator"));

    let e = callcap_wasm::caps(s("2026-06-01"), s("castle"), s("5"), None, None, None, None)
        .unwrap_err();
    assert_eq!(
        message(e),
        callcap::FacilityKind::parse("castle").unwrap_err()
    );

    let e = callcap_wasm::compare(s("2026-06-01"), vec![s("a.toml")], vec![], None, None, None)
        .unwrap_err();
    assert_eq!(field_of(&e), None);
    assert!(message(e).starts_with("give as many bid texts"));
}
