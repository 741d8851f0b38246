//! The published JSON Schemas (schema/) stay in step with the parser: every table's properties
//! are exactly the keys the parser accepts, and every enum lists exactly the parser's words.

use callcap::tariff::ContractBasis;
use callcap::{FacilityKind, FeeKind, Jurisdiction, Payment, Service, Tariff};
use serde_json::Value;
use std::collections::BTreeSet;

fn schema() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/tariff.schema.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The keys the parser accepts in a table, read from its unknown-key error.
fn accepted(table_header: &str, base: &str) -> BTreeSet<String> {
    let text = base.replace(table_header, &format!("{table_header}\nzz_unknown = 1"));
    let e = Tariff::from_toml("t.toml", &text).unwrap_err().to_string();
    expected_words(&e)
}

/// The words in backticks after "expected" in a serde unknown-field error
/// ("expected `a`", "expected `a` or `b`", "expected one of `a`, `b`, `c`").
fn expected_words(error: &str) -> BTreeSet<String> {
    let list = error
        .split("expected")
        .nth(1)
        .unwrap_or_else(|| panic!("{error}"));
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

fn properties(v: &Value) -> BTreeSet<String> {
    v["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

const FULL: &str = r#"
[facility]
kind = "jail"
average_daily_population = 10
[provider]
name = "p"
[[rate]]
per_minute = "0.1"
[[fee]]
kind = "refund"
amount = "1"
[[tax]]
name = "t"
percent = "1"
[commission]
percent_of_revenue = "1"
[bid]
name = "b"
term_years = 1
start = "2026-01-01"
[contract]
signed = "2024-01-01"
ends = "2027-01-01"
basis = "contractual"
"#;

#[test]
fn table_properties_match_the_parser() {
    let s = schema();
    let root: BTreeSet<String> = properties(&s);
    let zz_root = FULL.replacen("[facility]", "zz_unknown = 1\n[facility]", 1);
    let e = Tariff::from_toml("t.toml", &zz_root)
        .unwrap_err()
        .to_string();
    let parser_root = expected_words(&e);
    assert_eq!(root, parser_root);
    let p = &s["properties"];
    assert_eq!(properties(&p["facility"]), accepted("[facility]", FULL));
    assert_eq!(properties(&p["provider"]), accepted("[provider]", FULL));
    assert_eq!(properties(&p["rate"]["items"]), accepted("[[rate]]", FULL));
    assert_eq!(properties(&p["fee"]["items"]), accepted("[[fee]]", FULL));
    assert_eq!(properties(&p["tax"]["items"]), accepted("[[tax]]", FULL));
    assert_eq!(properties(&p["commission"]), accepted("[commission]", FULL));
    assert_eq!(properties(&s["$defs"]["bid"]), accepted("[bid]", FULL));
    assert_eq!(properties(&p["contract"]), accepted("[contract]", FULL));
}

#[test]
fn enums_match_the_vocabulary() {
    let s = schema();
    let p = &s["properties"];
    let words = |v: &Value| -> Vec<String> {
        v["enum"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect()
    };
    let all = |xs: Vec<&str>| -> Vec<String> { xs.into_iter().map(String::from).collect() };
    assert_eq!(
        words(&p["facility"]["properties"]["kind"]),
        all(FacilityKind::ALL.iter().map(|x| x.as_str()).collect())
    );
    let rate = &p["rate"]["items"]["properties"];
    assert_eq!(
        words(&rate["service"]),
        all(Service::ALL.iter().map(|x| x.as_str()).collect())
    );
    assert_eq!(
        words(&rate["jurisdiction"]),
        all(Jurisdiction::ALL.iter().map(|x| x.as_str()).collect())
    );
    assert_eq!(
        words(&rate["payment"]),
        all(Payment::ALL.iter().map(|x| x.as_str()).collect())
    );
    assert_eq!(
        words(&p["fee"]["items"]["properties"]["kind"]),
        all(FeeKind::ALL.iter().map(|x| x.as_str()).collect())
    );
    assert_eq!(
        words(&p["contract"]["properties"]["basis"]),
        all(ContractBasis::ALL.iter().map(|x| x.as_str()).collect())
    );
}

#[test]
fn the_bid_schema_requires_a_bid_table() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/bid.schema.json"
    ))
    .unwrap();
    let bid: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(bid["allOf"][0]["$ref"], "tariff.schema.json");
    assert_eq!(bid["allOf"][1]["required"][0], "bid");
}
