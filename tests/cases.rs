//! Data-driven tests: hand-written expectations in `tests/cases/` checked against the bundled
//! rate book and the example tariffs.
//!
//! * `cases/rules.toml`: the rules in force for a facility on a date (regime, tier, caps,
//!   facility component, site commissions, ancillary fees, per-call rules). The expected values
//!   are written by hand from `shared/reference/fcc-rules.md`, never computed from `rates/`.
//! * `cases/examples.toml`: the verdict and the set of violation/warning rule ids expected for
//!   every file under `rates/examples/`.
//!
//! Every test collects all mismatches and fails once, listing them all. Two more tests keep the
//! case file in step with the rate book: every date on which a rule changes needs a case on that
//! day and on the day before, and every tier boundary (ADP ±1) of every tier table needs cases.

use callcap::ratebook::PerCallRule;
use callcap::{
    check, CallKind, Facility, FacilityKind, FeeKind, Jurisdiction, Payment, RateBook, Rules,
    Service, Severity, Tariff,
};
use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::path::{Path, PathBuf};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn book() -> RateBook {
    RateBook::bundled().unwrap_or_else(|e| panic!("the bundled rate book does not load: {e}"))
}

fn read(rel: &str) -> String {
    let path = manifest().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .filter(|_| text.len() == 10)
        .ok_or_else(|| format!("`{text}` is not a YYYY-MM-DD date"))
}

/// A quoted decimal, or "none".
fn expected_decimal(text: &str) -> Result<Option<Decimal>, String> {
    if text == "none" {
        return Ok(None);
    }
    Decimal::from_str_exact(text)
        .map(Some)
        .map_err(|e| format!("`{text}` is not a decimal in quotes or \"none\": {e}"))
}

fn show(value: Option<Decimal>) -> String {
    value.map_or_else(|| "none".to_string(), |d| d.to_string())
}

fn fail(mismatches: &[String], what: &str) {
    if !mismatches.is_empty() {
        panic!(
            "{} {what} mismatch(es):\n  - {}",
            mismatches.len(),
            mismatches.join("\n  - ")
        );
    }
}

// ---------------------------------------------------------------------------------------------
// rules.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RulesFile {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    date: String,
    kind: String,
    adp: u32,
    /// Where the expectation comes from (free text, not checked).
    #[serde(default)]
    #[allow(dead_code)]
    source: Option<String>,
    #[serde(default)]
    regime: Option<String>,
    #[serde(default)]
    tier: Option<String>,
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    jurisdiction: Option<String>,
    #[serde(default)]
    payment: Option<String>,
    #[serde(default)]
    per_minute: Option<String>,
    #[serde(default)]
    additive: Option<String>,
    #[serde(default)]
    plus_termination_cost: Option<bool>,
    #[serde(default)]
    site_commissions_allowed: Option<bool>,
    #[serde(default)]
    fee: Option<FeeExpectation>,
    #[serde(default)]
    per_call: Option<String>,
    /// The confidence of the cap line for service + jurisdiction + payment.
    #[serde(default)]
    confidence: Option<String>,
    /// The confidence of the regime in force.
    #[serde(default)]
    regime_confidence: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeeExpectation {
    kind: String,
    /// Whether any federal rule covered this fee kind that day.
    #[serde(default)]
    regulated: Option<bool>,
    #[serde(default)]
    allowed: Option<bool>,
    /// The most per use, or "none".
    #[serde(default)]
    limit: Option<String>,
    #[serde(default)]
    pass_through: Option<bool>,
}

fn load_cases() -> Vec<Case> {
    let text = read("tests/cases/rules.toml");
    let file: RulesFile = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("tests/cases/rules.toml does not parse: {e}"));
    file.case
}

/// Compares and records a mismatch.
fn expect<T: PartialEq + Display>(out: &mut Vec<String>, what: &str, expected: T, actual: T) {
    if expected != actual {
        out.push(format!("{what}: expected {expected}, got {actual}"));
    }
}

fn per_call_word(rule: Option<PerCallRule>) -> &'static str {
    match rule {
        // No rule and an explicit "not regulated" both mean no federal per-call rule.
        None | Some(PerCallRule::NotRegulated) => "none",
        Some(PerCallRule::Prohibited) => "prohibited",
        Some(PerCallRule::FifteenMinuteEquivalence) => "fifteen_minute_equivalence",
    }
}

/// Runs one case; returns what did not match (or why the case itself is malformed).
fn run_case(book: &RateBook, case: &Case) -> Vec<String> {
    let mut out = Vec::new();
    let on = match date(&case.date) {
        Ok(d) => d,
        Err(e) => return vec![e],
    };
    let kind = match FacilityKind::parse(&case.kind) {
        Ok(k) => k,
        Err(e) => return vec![e],
    };
    let rules: Rules = book.rules(on, &Facility::new(kind, case.adp));
    let mut asserted = 0;

    if let Some(regime) = &case.regime {
        asserted += 1;
        let actual = rules.regime.as_ref().map_or("none", |r| r.id.as_str());
        expect(&mut out, "regime", regime.as_str(), actual);
    }
    if let Some(expected) = &case.regime_confidence {
        asserted += 1;
        let actual = rules
            .regime
            .as_ref()
            .map_or("none", |r| r.provenance.confidence.as_str());
        expect(&mut out, "regime confidence", expected.as_str(), actual);
    }
    if let Some(tier) = &case.tier {
        asserted += 1;
        let actual = rules
            .facility
            .tier
            .as_ref()
            .map_or("none", |t| t.id.as_str());
        expect(&mut out, "tier", tier.as_str(), actual);
    }
    if let Some(allowed) = case.site_commissions_allowed {
        asserted += 1;
        expect(
            &mut out,
            "site commissions allowed",
            allowed,
            rules.site_commissions.allowed,
        );
    }

    let service = case.service.as_deref().map(Service::parse).transpose();
    let jurisdiction = case
        .jurisdiction
        .as_deref()
        .map(Jurisdiction::parse)
        .transpose();
    let payment = case.payment.as_deref().map(Payment::parse).transpose();
    let (service, jurisdiction, payment) = match (service, jurisdiction, payment) {
        (Ok(s), Ok(j), Ok(p)) => (s, j, p),
        (s, j, p) => {
            out.extend([s.err(), j.err(), p.err()].into_iter().flatten());
            return out;
        }
    };

    let wants_cap = case.per_minute.is_some()
        || case.additive.is_some()
        || case.plus_termination_cost.is_some()
        || case.confidence.is_some();
    if wants_cap {
        match (service, jurisdiction, payment) {
            (Some(service), Some(jurisdiction), Some(payment)) => {
                let call = CallKind {
                    service,
                    jurisdiction,
                    payment,
                };
                let line = rules.cap(call);
                if let Some(text) = &case.per_minute {
                    asserted += 1;
                    match expected_decimal(text) {
                        Ok(expected) => {
                            let actual = line.and_then(|l| l.per_minute);
                            if expected != actual {
                                out.push(format!(
                                    "{call} cap: expected {}, got {}",
                                    show(expected),
                                    show(actual)
                                ));
                            }
                        }
                        Err(e) => out.push(e),
                    }
                }
                if let Some(text) = &case.additive {
                    asserted += 1;
                    match expected_decimal(text) {
                        Ok(expected) => {
                            let expected = expected.unwrap_or(Decimal::ZERO);
                            let actual = line.map_or(Decimal::ZERO, |l| l.additive());
                            if expected != actual {
                                out.push(format!(
                                    "{call} facility component: expected {}, got {}",
                                    show(Some(expected)),
                                    show(Some(actual))
                                ));
                            }
                        }
                        Err(e) => out.push(e),
                    }
                }
                if let Some(expected) = &case.confidence {
                    asserted += 1;
                    let actual = line.map_or("none", |l| l.provenance.confidence.as_str());
                    expect(
                        &mut out,
                        &format!("{call} cap confidence"),
                        expected.as_str(),
                        actual,
                    );
                }
                if let Some(expected) = case.plus_termination_cost {
                    asserted += 1;
                    let actual = line.is_some_and(|l| l.plus_termination_cost);
                    expect(
                        &mut out,
                        &format!("{call} plus_termination_cost"),
                        expected,
                        actual,
                    );
                }
            }
            _ => out.push(
                "per_minute / additive / plus_termination_cost / confidence need service, jurisdiction and payment"
                    .into(),
            ),
        }
    }

    if let Some(expected) = &case.per_call {
        asserted += 1;
        match (service, jurisdiction) {
            (Some(s), Some(j)) => {
                let actual = per_call_word(rules.call_charge(s, j).map(|r| r.per_call));
                let expected = if expected == "not_regulated" {
                    "none"
                } else {
                    expected.as_str()
                };
                expect(
                    &mut out,
                    &format!("{s} {j} per-call rule"),
                    expected,
                    actual,
                );
            }
            _ => out.push("per_call needs service and jurisdiction".into()),
        }
    }

    if let Some(fee) = &case.fee {
        asserted += 1;
        match FeeKind::parse(&fee.kind) {
            Ok(kind) => match rules.fee(kind) {
                None => out.push(format!("no {kind} fee rule in the rules at all")),
                Some(rule) => {
                    if let Some(regulated) = fee.regulated {
                        expect(
                            &mut out,
                            &format!("{kind} fee regulated"),
                            regulated,
                            rule.regulated,
                        );
                    }
                    if let Some(allowed) = fee.allowed {
                        expect(
                            &mut out,
                            &format!("{kind} fee allowed"),
                            allowed,
                            rule.allowed,
                        );
                    }
                    if let Some(pass) = fee.pass_through {
                        expect(
                            &mut out,
                            &format!("{kind} fee pass_through"),
                            pass,
                            rule.pass_through,
                        );
                    }
                    if let Some(text) = &fee.limit {
                        match expected_decimal(text) {
                            Ok(expected) if expected != rule.limit => out.push(format!(
                                "{kind} fee limit: expected {}, got {}",
                                show(expected),
                                show(rule.limit)
                            )),
                            Ok(_) => {}
                            Err(e) => out.push(e),
                        }
                    }
                }
            },
            Err(e) => out.push(e),
        }
    }

    if asserted == 0 {
        out.push("the case asserts nothing".into());
    }
    out
}

#[test]
fn rules_cases_match_the_rate_book() {
    let book = book();
    let cases = load_cases();
    assert!(!cases.is_empty(), "tests/cases/rules.toml has no cases");
    let mut mismatches = Vec::new();
    let mut names = BTreeSet::new();
    for case in &cases {
        if !names.insert(case.name.as_str()) {
            mismatches.push(format!("[{}] the case name is used twice", case.name));
        }
        for m in run_case(&book, case) {
            mismatches.push(format!(
                "[{}] ({} {} ADP {}) {m}",
                case.name, case.date, case.kind, case.adp
            ));
        }
    }
    fail(&mismatches, "rules case");
}

#[test]
fn every_change_date_has_cases_on_the_day_and_the_day_before() {
    let book = book();
    let dates: BTreeSet<NaiveDate> = load_cases()
        .iter()
        .filter_map(|c| date(&c.date).ok())
        .collect();
    let mut missing = Vec::new();
    for d in book.change_dates() {
        let before = d - Days::new(1);
        if !dates.contains(&before) {
            missing.push(format!("{d}: no case on the day before ({before})"));
        }
        if !dates.contains(&d) {
            missing.push(format!("{d}: no case on the day itself"));
        }
    }
    fail(
        &missing,
        "change-date coverage (add cases to tests/cases/rules.toml)",
    );
}

#[test]
fn every_tier_boundary_has_cases_on_each_tier_date() {
    let book = book();
    let cases = load_cases();
    // (date, kind, adp) of the cases that assert both the tier and the audio cap.
    let covered: BTreeSet<(NaiveDate, FacilityKind, u32)> = cases
        .iter()
        .filter(|c| c.tier.is_some() && c.per_minute.is_some())
        .filter(|c| c.service.as_deref() == Some("audio"))
        .filter_map(|c| {
            Some((
                date(&c.date).ok()?,
                FacilityKind::parse(&c.kind).ok()?,
                c.adp,
            ))
        })
        .collect();
    let mut missing = Vec::new();
    let mut tier_dates = 0;
    for d in book.change_dates() {
        let table = book.tier_table(d);
        if table == book.tier_table(d - Days::new(1)) {
            continue;
        }
        tier_dates += 1;
        for t in table.iter().filter(|t| t.adp_min > 0) {
            for adp in [t.adp_min - 1, t.adp_min, t.adp_min + 1] {
                if !covered.contains(&(d, t.kind, adp)) {
                    missing.push(format!(
                        "{d}: no {} case at ADP {adp} (boundary of `{}`) asserting tier and audio cap",
                        t.kind, t.id
                    ));
                }
            }
        }
    }
    assert!(tier_dates > 0, "the rate book has no tier tables");
    fail(
        &missing,
        "tier-boundary coverage (add cases to tests/cases/rules.toml)",
    );
}

// ---------------------------------------------------------------------------------------------
// examples.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExamplesFile {
    example: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Example {
    /// Path under `rates/examples/`.
    file: String,
    date: String,
    compliant: bool,
    /// Rule ids of every violation or warning expected (info findings are not listed).
    rules: Vec<String>,
    /// Where the expectation comes from (free text, not checked).
    #[serde(default)]
    #[allow(dead_code)]
    why: Option<String>,
}

fn example_files(dir: &Path, base: &Path, out: &mut Vec<String>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()));
    for entry in entries {
        let path: PathBuf = entry.unwrap().path();
        if path.is_dir() {
            example_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "toml") {
            let rel = path.strip_prefix(base).unwrap();
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_example_is_listed_and_checks_as_expected() {
    let book = book();
    let base = manifest().join("rates/examples");
    let mut files = Vec::new();
    example_files(&base, &base, &mut files);
    files.sort();
    assert!(!files.is_empty(), "no example files under rates/examples");

    let text = read("tests/cases/examples.toml");
    let listed: ExamplesFile = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("tests/cases/examples.toml does not parse: {e}"));

    let mut mismatches = Vec::new();
    let listed_files: BTreeSet<&str> = listed.example.iter().map(|e| e.file.as_str()).collect();
    for f in &files {
        if !listed_files.contains(f.as_str()) {
            mismatches.push(format!("{f}: not listed in tests/cases/examples.toml"));
        }
    }
    let mut seen = BTreeMap::new();
    for ex in &listed.example {
        let key = (ex.file.as_str(), ex.date.as_str());
        if seen.insert(key, ()).is_some() {
            mismatches.push(format!("{} on {}: listed twice", ex.file, ex.date));
        }
        let on = match date(&ex.date) {
            Ok(d) => d,
            Err(e) => {
                mismatches.push(format!("{}: {e}", ex.file));
                continue;
            }
        };
        let path = base.join(&ex.file);
        let Ok(source) = std::fs::read_to_string(&path) else {
            mismatches.push(format!("{}: no such example file", ex.file));
            continue;
        };
        let tariff = match Tariff::from_toml(&ex.file, &source) {
            Ok(t) => t,
            Err(e) => {
                mismatches.push(format!("{}: does not load: {e}", ex.file));
                continue;
            }
        };
        let result = check(&book, &tariff, on);
        let actual: BTreeSet<&str> = result
            .findings
            .iter()
            .filter(|f| matches!(f.severity, Severity::Violation | Severity::Warning))
            .map(|f| f.rule.as_str())
            .collect();
        let expected: BTreeSet<&str> = ex.rules.iter().map(String::as_str).collect();
        let mut problems = Vec::new();
        if result.compliant != ex.compliant {
            problems.push(format!(
                "compliant: expected {}, got {}",
                ex.compliant, result.compliant
            ));
        }
        if actual != expected {
            let missing: Vec<&str> = expected.difference(&actual).copied().collect();
            let extra: Vec<&str> = actual.difference(&expected).copied().collect();
            problems.push(format!(
                "rules: expected {expected:?}, got {actual:?} (missing {missing:?}, unexpected {extra:?})"
            ));
        }
        if !problems.is_empty() {
            let detail: Vec<String> = result
                .findings
                .iter()
                .filter(|f| f.severity != Severity::Info)
                .map(|f| {
                    format!(
                        "{} {:?} {} (actual {}, limit {})",
                        f.rule.as_str(),
                        f.severity,
                        f.calls.as_deref().unwrap_or("-"),
                        f.actual.as_deref().unwrap_or("-"),
                        f.limit.as_deref().unwrap_or("-")
                    )
                })
                .collect();
            mismatches.push(format!(
                "{} on {}: {}; findings: [{}]",
                ex.file,
                ex.date,
                problems.join("; "),
                detail.join("; ")
            ));
        }
    }
    fail(&mismatches, "example");
}
