//! Any bytes as a tariff or bid file: parsing never panics, every error names the file and a
//! line inside it, and a tariff that parses checks the same way twice on every date, with
//! `compliant` agreeing with its findings and every amount in the JSON a decimal.

#![no_main]

use callcap::{check, RateBook, Severity, Tariff};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::OnceLock;

fn book() -> &'static RateBook {
    static BOOK: OnceLock<RateBook> = OnceLock::new();
    BOOK.get_or_init(|| RateBook::bundled().expect("the bundled rate book loads"))
}

/// Before the first cap, and the first day of each regime and of the compliance dates.
const DATES: [(i32, u32, u32); 8] = [
    (2013, 6, 1),
    (2014, 2, 11),
    (2016, 6, 20),
    (2021, 10, 26),
    (2025, 6, 30),
    (2026, 4, 6),
    (2026, 6, 1),
    (2031, 1, 1),
];

fuzz_target!(|data: &[u8]| {
    match Tariff::from_bytes("fuzz.toml", data) {
        Err(e) => {
            assert_eq!(e.file_name(), Some("fuzz.toml"));
            // Once found here: a control character in a comment and a value cut off at the end
            // of the file gave errors with no message (tests/bad/control-character-in-comment.toml,
            // tests/bad/truncated.toml; fixed in src/error.rs).
            assert!(
                !e.message().trim().is_empty(),
                "an error without a message: {e}"
            );
            assert!(e.to_string().starts_with("fuzz.toml"));
            if let Some(key) = e.key() {
                // Keys are shown shortened and without control characters.
                assert!(key.chars().count() <= 130, "a {}-character key", key.len());
                assert!(
                    !key.chars().any(char::is_control),
                    "control character in {key:?}"
                );
            }
            if let Some(line) = e.line() {
                let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
                assert!(
                    (1..=lines).contains(&line),
                    "error at line {line} of a {lines}-line file: {e}"
                );
            }
        }
        Ok(tariff) => {
            assert!(!tariff.rates.is_empty());
            let again = Tariff::from_bytes("fuzz.toml", data).expect("parses twice");
            assert_eq!(again, tariff, "the same bytes parse to the same tariff");
            for (y, m, d) in DATES {
                let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");
                let result = check(book(), &tariff, date);
                assert_eq!(
                    result,
                    check(book(), &again, date),
                    "checks are deterministic"
                );
                assert_eq!(
                    result.compliant,
                    !result
                        .findings
                        .iter()
                        .any(|f| f.severity == Severity::Violation)
                );
                assert_eq!(result.counts, callcap::check::Counts::of(&result.findings));
                for f in &result.findings {
                    for amount in [&f.actual, &f.limit].into_iter().flatten() {
                        Decimal::from_str(amount).expect("amounts in findings are decimals");
                    }
                }
                let json = serde_json::to_string(&result).expect("serializes");
                let back: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
                assert_eq!(back, serde_json::to_value(&result).expect("a JSON value"));
            }
        }
    }
});
