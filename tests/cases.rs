//! Data-driven tests: hand-written expectations in `tests/cases/` checked against the bundled
//! rate book and the example tariffs.
//!
//! * `cases/rules.toml`: the rules in force for a facility on a date (regime, tier, caps,
//!   facility component, site commissions, ancillary fees, per-call rules). The expected values
//!   are written by hand from `shared/reference/fcc-rules.md`, never computed from `rates/`.
//! * `cases/examples.toml`: the verdict and the set of violation/warning rule ids expected for
//!   every file under `rates/examples/`.
//! * `cases/tariffs.toml`: small tariffs and bids, written in the case, checked, estimated or
//!   compared on a date, with the findings (rule, severity, limit) expected and those that must
//!   not appear: rules that depend on more than the facility (the deposit method, a contract).
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
    /// The limit through an automated payment system, or "none" (no limit by method).
    #[serde(default)]
    limit_automated_payment: Option<String>,
    /// The limit through a live agent, or "none".
    #[serde(default)]
    limit_live_agent: Option<String>,
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
                    let by_method = [
                        (
                            "automated_payment",
                            &fee.limit_automated_payment,
                            rule.limit_by_method.map(|m| m.automated_payment),
                        ),
                        (
                            "live_agent",
                            &fee.limit_live_agent,
                            rule.limit_by_method.map(|m| m.live_agent),
                        ),
                    ];
                    for (method, text, actual) in by_method {
                        if let Some(text) = text {
                            match expected_decimal(text) {
                                Ok(expected) if expected != actual => out.push(format!(
                                    "{kind} fee limit by {method}: expected {}, got {}",
                                    show(expected),
                                    show(actual)
                                )),
                                Ok(_) => {}
                                Err(e) => out.push(e),
                            }
                        }
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

// ---------------------------------------------------------------------------------------------
// tariffs.toml

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TariffCases {
    case: Vec<TariffCase>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TariffCase {
    name: String,
    /// Where the expectation comes from (free text, not checked).
    #[allow(dead_code)]
    source: String,
    date: String,
    /// The tariff or bid, as TOML.
    tariff: String,
    /// `check` (the default), `estimate` or `compare`.
    #[serde(default)]
    run: Option<String>,
    /// estimate: how deposits are made (default `automated_payment`).
    #[serde(default)]
    deposit_method: Option<String>,
    /// estimate: the call (default audio interstate prepaid).
    #[serde(default)]
    service: Option<String>,
    #[serde(default)]
    jurisdiction: Option<String>,
    #[serde(default)]
    payment: Option<String>,
    /// estimate: each deposit's size (default: one deposit of what the month costs).
    #[serde(default)]
    deposit: Option<String>,
    /// Whether the result (check, estimate; compare: on `date`) is compliant.
    #[serde(default)]
    compliant: Option<bool>,
    /// Findings that must be there (on `date`).
    #[serde(default)]
    expect: Vec<ExpectedFinding>,
    /// Rule ids no finding may have (on `date`), or `rule:severity`.
    #[serde(default)]
    absent: Vec<String>,
    /// estimate: the fee at the legal maximum.
    #[serde(default)]
    at_cap_fee: Option<AtCapFee>,
    /// estimate: the most a minute may cost (cap plus any allowed additive).
    #[serde(default)]
    at_cap_per_minute: Option<String>,
    /// compare: the dates the bid is checked on, in order.
    #[serde(default)]
    compliance_dates: Option<Vec<String>>,
    /// compare: findings expected on another date of the term.
    #[serde(default)]
    on: Vec<OnDate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedFinding {
    rule: String,
    severity: String,
    /// The limit the finding states.
    #[serde(default)]
    limit: Option<String>,
    /// Text the message must contain.
    #[serde(default)]
    message: Option<String>,
    /// Text the citation must contain.
    #[serde(default)]
    citation: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AtCapFee {
    kind: String,
    per_use: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OnDate {
    date: String,
    #[serde(default)]
    compliant: Option<bool>,
    #[serde(default)]
    expect: Vec<ExpectedFinding>,
    #[serde(default)]
    absent: Vec<String>,
}

/// Compares findings with what a case expects; returns the mismatches.
fn judge(
    findings: &[callcap::Finding],
    expect: &[ExpectedFinding],
    absent: &[String],
) -> Vec<String> {
    let mut out = Vec::new();
    let show = |f: &callcap::Finding| {
        format!(
            "{} {} (limit {}): {}",
            f.rule.as_str(),
            f.severity.as_str(),
            f.limit.as_deref().unwrap_or("-"),
            f.message
        )
    };
    for e in expect {
        let found = findings.iter().any(|f| {
            f.rule.as_str() == e.rule
                && f.severity.as_str() == e.severity
                && e.limit.as_ref().is_none_or(|l| f.limit.as_ref() == Some(l))
                && e.message
                    .as_ref()
                    .is_none_or(|m| f.message.contains(m.as_str()))
                && e.citation.as_ref().is_none_or(|c| {
                    f.citation
                        .as_deref()
                        .is_some_and(|fc| fc.contains(c.as_str()))
                })
        });
        if !found {
            out.push(format!(
                "expected a {} {} finding{}{}{}; got [{}]",
                e.severity,
                e.rule,
                e.limit
                    .as_ref()
                    .map(|l| format!(" with limit {l}"))
                    .unwrap_or_default(),
                e.message
                    .as_ref()
                    .map(|m| format!(" saying `{m}`"))
                    .unwrap_or_default(),
                e.citation
                    .as_ref()
                    .map(|c| format!(" citing `{c}`"))
                    .unwrap_or_default(),
                findings.iter().map(show).collect::<Vec<_>>().join("; ")
            ));
        }
    }
    for a in absent {
        let (rule, severity) = a
            .split_once(':')
            .map_or((a.as_str(), None), |(r, s)| (r, Some(s)));
        if let Some(f) = findings
            .iter()
            .find(|f| f.rule.as_str() == rule && severity.is_none_or(|s| f.severity.as_str() == s))
        {
            out.push(format!("expected no {a} finding; got {}", show(f)));
        }
    }
    out
}

fn run_tariff_case(book: &RateBook, case: &TariffCase) -> Vec<String> {
    let mut out = Vec::new();
    let on = match date(&case.date) {
        Ok(d) => d,
        Err(e) => return vec![e],
    };
    let tariff = match Tariff::from_toml(&format!("{}.toml", case.name), &case.tariff) {
        Ok(t) => t,
        Err(e) => return vec![format!("the tariff does not load: {e}")],
    };
    let check_compliant = |compliant: bool, out: &mut Vec<String>| {
        if let Some(want) = case.compliant {
            expect(out, "compliant", want, compliant);
        }
    };
    match case.run.as_deref().unwrap_or("check") {
        "check" => {
            let r = check(book, &tariff, on);
            check_compliant(r.compliant, &mut out);
            out.extend(judge(&r.findings, &case.expect, &case.absent));
        }
        "estimate" => {
            let word = |w: &Option<String>, default: &str| w.clone().unwrap_or(default.into());
            let call = match (
                Service::parse(&word(&case.service, "audio")),
                Jurisdiction::parse(&word(&case.jurisdiction, "interstate")),
                Payment::parse(&word(&case.payment, "prepaid")),
            ) {
                (Ok(service), Ok(jurisdiction), Ok(payment)) => CallKind {
                    service,
                    jurisdiction,
                    payment,
                },
                (s, j, p) => return [s.err(), j.err(), p.err()].into_iter().flatten().collect(),
            };
            let method = match FeeKind::parse(&word(&case.deposit_method, "automated_payment")) {
                Ok(m) => m,
                Err(e) => return vec![e],
            };
            let deposit = match case.deposit.as_deref().map(expected_decimal).transpose() {
                Ok(d) => d.flatten(),
                Err(e) => return vec![e],
            };
            let plan = match callcap::estimate::FamilyPlan::from_inputs(
                call,
                Some(4),
                None,
                15,
                deposit,
                method,
            ) {
                Ok(p) => p,
                Err(e) => return vec![e.to_string()],
            };
            let e = match callcap::estimate::estimate(book, &tariff, &plan, on) {
                Ok(e) => e,
                Err(e) => return vec![format!("the estimate fails: {e}")],
            };
            check_compliant(e.compliant, &mut out);
            out.extend(judge(&e.findings, &case.expect, &case.absent));
            if let Some(text) = &case.at_cap_per_minute {
                let actual = e.at_cap.as_ref().map(|a| a.per_minute);
                match expected_decimal(text) {
                    Ok(want) if want != actual => out.push(format!(
                        "at the legal maximum, a minute: expected {}, got {}",
                        show(want),
                        show(actual)
                    )),
                    Ok(_) => {}
                    Err(e) => out.push(e),
                }
            }
            if let Some(fee) = &case.at_cap_fee {
                let actual = e.at_cap.as_ref().and_then(|a| {
                    a.month
                        .fee_items
                        .iter()
                        .find(|f| f.kind.as_str() == fee.kind)
                        .map(|f| f.per_use)
                });
                match expected_decimal(&fee.per_use) {
                    Ok(want) if want != actual => out.push(format!(
                        "at the legal maximum, {} per use: expected {}, got {}",
                        fee.kind,
                        show(want),
                        show(actual)
                    )),
                    Ok(_) => {}
                    Err(e) => out.push(e),
                }
            }
        }
        "compare" => {
            let demand = callcap::demand::Demand::bundled().expect("the bundled demand");
            let c = match callcap::compare::compare(book, &[tariff], &demand, on, None) {
                Ok(c) => c,
                Err(e) => return vec![format!("the comparison fails: {e}")],
            };
            let bid = &c.bids[0];
            check_compliant(bid.compliant, &mut out);
            out.extend(judge(&bid.findings, &case.expect, &case.absent));
            let dates: Vec<String> = bid.compliance.iter().map(|d| d.date.to_string()).collect();
            if let Some(want) = &case.compliance_dates {
                if want != &dates {
                    out.push(format!(
                        "compliance dates: expected {want:?}, got {dates:?}"
                    ));
                }
            }
            for o in &case.on {
                match bid.compliance.iter().find(|d| d.date.to_string() == o.date) {
                    None => out.push(format!("no compliance on {} (dates: {dates:?})", o.date)),
                    Some(d) => {
                        if let Some(want) = o.compliant {
                            expect(
                                &mut out,
                                &format!("compliant on {}", o.date),
                                want,
                                d.compliant,
                            );
                        }
                        out.extend(
                            judge(&d.findings, &o.expect, &o.absent)
                                .into_iter()
                                .map(|m| format!("on {}: {m}", o.date)),
                        );
                    }
                }
            }
        }
        other => out.push(format!("unknown run `{other}`: check, estimate or compare")),
    }
    out
}

#[test]
fn tariff_cases_check_estimate_and_compare_as_expected() {
    let book = book();
    let text = read("tests/cases/tariffs.toml");
    let file: TariffCases = toml::from_str(&text)
        .unwrap_or_else(|e| panic!("tests/cases/tariffs.toml does not parse: {e}"));
    assert!(
        !file.case.is_empty(),
        "tests/cases/tariffs.toml has no cases"
    );
    let mut mismatches = Vec::new();
    let mut names = BTreeSet::new();
    for case in &file.case {
        if !names.insert(case.name.as_str()) {
            mismatches.push(format!("[{}] the case name is used twice", case.name));
        }
        if case.expect.is_empty() && case.absent.is_empty() && case.on.is_empty() {
            mismatches.push(format!("[{}] the case asserts no finding", case.name));
        }
        for m in run_tariff_case(&book, case) {
            mismatches.push(format!("[{}] ({}) {m}", case.name, case.date));
        }
    }
    fail(&mismatches, "tariff case");
}
