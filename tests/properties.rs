//! Properties of the whole engine, beyond the cost invariants: lowering a price never makes a
//! tariff less compliant; checks are deterministic and do not depend on the order of the files;
//! the JSON output round-trips, every decimal string in it parsing back to the same decimal.
//!
//! Tariffs are generated as TOML text, so the parser is part of every property.

use callcap::money::display;
use callcap::{check, RateBook, Severity, Tariff};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;
use std::sync::OnceLock;

fn book() -> &'static RateBook {
    static BOOK: OnceLock<RateBook> = OnceLock::new();
    BOOK.get_or_init(|| RateBook::bundled().expect("the bundled rate book"))
}

/// Days around every regime change the rules know, and a few ordinary days.
const DATES: &[&str] = &[
    "2013-06-01",
    "2014-02-11",
    "2016-03-17",
    "2016-06-20",
    "2021-10-26",
    "2023-01-09",
    "2025-06-30",
    "2026-04-06",
    "2026-06-01",
    "2027-01-01",
];

const SERVICES: &[&str] = &["audio", "video"];
/// States with state or local rules of every kind (free calls, shares, caps, caps by
/// reference, call totals, fee and commission bans, allowances), and one without.
const STATES: &[&str] = &[
    "MA", "CA", "NJ", "IN", "NM", "CO", "NY", "IL", "FL", "TX", "OH",
];
const OPERATORS: &[&str] = &["state", "county", "city", "private", "federal"];
const JURISDICTIONS: &[&str] = &["local", "intrastate", "interstate", "international"];
const PAYMENTS: &[&str] = &["debit", "prepaid", "collect"];
const FEE_KINDS: &[&str] = &[
    "automated_payment",
    "live_agent",
    "paper_statement",
    "third_party_transaction",
    "single_call",
    "account_setup",
    "account_maintenance",
    "inactivity",
    "refund",
    "other",
];

/// One `[[rate]]` entry; amounts in ten-thousandths of a dollar.
#[derive(Debug, Clone)]
struct RateSpec {
    service: Option<&'static str>,
    jurisdiction: Option<&'static str>,
    payment: Option<&'static str>,
    per_minute: i64,
    first_minute: Option<i64>,
    per_call: Option<i64>,
    increment: Option<u32>,
}

/// One `[[fee]]`; amount in ten-thousandths of a dollar, percent in hundredths.
#[derive(Debug, Clone)]
struct FeeSpec {
    kind: &'static str,
    amount: Option<i64>,
    percent: Option<i64>,
}

#[derive(Debug, Clone)]
struct CommissionSpec {
    percent: i64,
    per_minute: i64,
    legally_mandated: bool,
}

#[derive(Debug, Clone)]
struct TariffSpec {
    prison: bool,
    adp: u32,
    /// The facility's state and who runs it (state and local rules), if given.
    place: Option<(&'static str, Option<&'static str>)>,
    rates: Vec<RateSpec>,
    fees: Vec<FeeSpec>,
    tax: Option<i64>,
    commission: Option<CommissionSpec>,
    bid_term: Option<u32>,
}

fn amount(ten_thousandths: i64) -> String {
    Decimal::new(ten_thousandths, 4).normalize().to_string()
}

fn percent(hundredths: i64) -> String {
    Decimal::new(hundredths, 2).normalize().to_string()
}

impl TariffSpec {
    /// The tariff as TOML. Every value has a line of its own, and lowering a value never moves
    /// a line, so findings before and after can be matched by line.
    fn toml(&self) -> String {
        let mut s = format!(
            "[facility]\nname = \"Generated\"\nkind = \"{}\"\naverage_daily_population = {}\n",
            if self.prison { "prison" } else { "jail" },
            self.adp
        );
        if let Some((state, operator)) = self.place {
            s.push_str(&format!("state = \"{state}\"\n"));
            if let Some(o) = operator {
                s.push_str(&format!("operator = \"{o}\"\n"));
            }
        }
        for r in &self.rates {
            s.push_str("\n[[rate]]\n");
            for (key, value) in [
                ("service", r.service),
                ("jurisdiction", r.jurisdiction),
                ("payment", r.payment),
            ] {
                if let Some(v) = value {
                    s.push_str(&format!("{key} = \"{v}\"\n"));
                }
            }
            s.push_str(&format!("per_minute = \"{}\"\n", amount(r.per_minute)));
            if let Some(f) = r.first_minute {
                s.push_str(&format!("first_minute = \"{}\"\n", amount(f)));
            }
            if let Some(c) = r.per_call {
                s.push_str(&format!("per_call = \"{}\"\n", amount(c)));
            }
            if let Some(i) = r.increment {
                s.push_str(&format!("billing_increment_seconds = {i}\n"));
            }
        }
        for f in &self.fees {
            s.push_str(&format!("\n[[fee]]\nkind = \"{}\"\n", f.kind));
            if let Some(a) = f.amount {
                s.push_str(&format!("amount = \"{}\"\n", amount(a)));
            }
            if let Some(p) = f.percent {
                s.push_str(&format!("percent = \"{}\"\n", percent(p)));
            }
        }
        if let Some(t) = self.tax {
            s.push_str(&format!(
                "\n[[tax]]\nname = \"sales tax\"\npercent = \"{}\"\n",
                percent(t)
            ));
        }
        if let Some(c) = &self.commission {
            s.push_str(&format!(
                "\n[commission]\npercent_of_revenue = \"{}\"\nper_minute = \"{}\"\nbasis = \"{}\"\n",
                percent(c.percent),
                amount(c.per_minute),
                if c.legally_mandated {
                    "legally_mandated"
                } else {
                    "contractual"
                }
            ));
        }
        if let Some(term) = self.bid_term {
            s.push_str(&format!(
                "\n[bid]\nname = \"Generated bid\"\nterm_years = {term}\nstart = \"2026-07-01\"\n"
            ));
        }
        s
    }

    fn parse(&self, file: &str) -> Tariff {
        Tariff::from_toml(file, &self.toml()).unwrap_or_else(|e| panic!("{e}\n{}", self.toml()))
    }
}

/// Which calls the rate entries name, without overlaps: one entry for everything, one per
/// service, one per service and jurisdiction, or one per service, jurisdiction and payment.
fn rate_keys() -> impl Strategy<Value = Vec<[Option<&'static str>; 3]>> {
    let all: Vec<[Option<&'static str>; 3]> = vec![[None, None, None]];
    let by_service: Vec<_> = SERVICES.iter().map(|s| [Some(*s), None, None]).collect();
    let by_jurisdiction: Vec<_> = SERVICES
        .iter()
        .flat_map(|s| {
            JURISDICTIONS
                .iter()
                .map(move |j| [Some(*s), Some(*j), None])
        })
        .collect();
    let by_all: Vec<_> = SERVICES
        .iter()
        .flat_map(|s| {
            JURISDICTIONS
                .iter()
                .flat_map(move |j| PAYMENTS.iter().map(move |p| [Some(*s), Some(*j), Some(*p)]))
        })
        .collect();
    prop_oneof![
        Just(all),
        proptest::sample::subsequence(by_service, 1..=2),
        proptest::sample::subsequence(by_jurisdiction, 1..=8),
        proptest::sample::subsequence(by_all, 1..=12),
    ]
}

/// Tariffs of every kind; `cheap` keeps prices low enough that many are compliant.
fn tariff(cheap: bool) -> impl Strategy<Value = TariffSpec> {
    let max_rate: i64 = if cheap { 1_000 } else { 6_000 };
    let rate_values = (
        0..=max_rate,
        proptest::option::weighted(if cheap { 0.1 } else { 0.4 }, 0..=20_000i64),
        proptest::option::weighted(if cheap { 0.1 } else { 0.3 }, 0..=30_000i64),
        proptest::option::of(proptest::sample::select(vec![
            1u32, 6, 30, 60, 60, 120, 300,
        ])),
    );
    let fee = (
        proptest::sample::select(FEE_KINDS),
        proptest::option::of(0..=100_000i64),
        proptest::option::of(0..=1_000i64),
    )
        .prop_map(|(kind, amount, percent)| FeeSpec {
            kind,
            amount: if amount.is_none() && percent.is_none() {
                Some(0)
            } else {
                amount
            },
            percent,
        });
    let commission = (0..=7_000i64, 0..=500i64, any::<bool>()).prop_map(
        |(percent, per_minute, legally_mandated)| CommissionSpec {
            percent,
            per_minute,
            legally_mandated,
        },
    );
    let place = proptest::option::weighted(
        0.5,
        (
            proptest::sample::select(STATES),
            proptest::option::of(proptest::sample::select(OPERATORS)),
        ),
    );
    (
        (any::<bool>(), place),
        prop_oneof![1..=100u32, 100..=1_000u32, 1_000..=20_000u32],
        rate_keys(),
        proptest::collection::vec(rate_values, 12),
        // one fee of each kind (a tariff may not list a kind twice, but for `other`)
        proptest::collection::vec(fee, 0..=if cheap { 1 } else { 4 }).prop_map(|mut fees| {
            let mut seen = Vec::new();
            fees.retain(|f: &FeeSpec| {
                !seen.contains(&f.kind) && {
                    seen.push(f.kind);
                    true
                }
            });
            fees
        }),
        proptest::option::of(0..=1_500i64),
        proptest::option::weighted(if cheap { 0.1 } else { 0.5 }, commission),
        proptest::option::of(1..=10u32),
    )
        .prop_map(
            |((prison, place), adp, keys, values, fees, tax, commission, bid_term)| TariffSpec {
                prison,
                adp,
                place,
                rates: keys
                    .into_iter()
                    .zip(values)
                    .map(
                        |([service, jurisdiction, payment], (per_minute, first, call, inc))| {
                            RateSpec {
                                service,
                                jurisdiction,
                                payment,
                                per_minute,
                                first_minute: first,
                                per_call: call,
                                increment: inc,
                            }
                        },
                    )
                    .collect(),
                fees,
                tax,
                commission,
                bid_term,
            },
        )
}

fn date() -> impl Strategy<Value = NaiveDate> {
    proptest::sample::select(DATES).prop_map(|d| NaiveDate::from_str(d).expect("date"))
}

/// A price lowered: which entry, which price, and by how much (a fraction of it, in 1/256).
#[derive(Debug, Clone, Copy)]
enum Lower {
    /// The whole per-minute schedule of a rate entry (per-minute and first-minute prices).
    Rate(usize, u8),
    /// Only the first minute.
    FirstMinute(usize, u8),
    /// Only the per-call charge.
    PerCall(usize, u8),
    /// A fee's flat amount and percentage.
    Fee(usize, u8),
}

fn lowered(value: i64, by: u8) -> i64 {
    value - value * i64::from(by) / 256
}

fn lower(spec: &TariffSpec, how: Lower) -> TariffSpec {
    let mut s = spec.clone();
    match how {
        Lower::Rate(i, by) => {
            let r = &mut s.rates[i % spec.rates.len()];
            let cut = r.per_minute - lowered(r.per_minute, by);
            r.per_minute -= cut;
            r.first_minute = r.first_minute.map(|f| (f - cut).max(0));
        }
        Lower::FirstMinute(i, by) => {
            let r = &mut s.rates[i % spec.rates.len()];
            r.first_minute = r.first_minute.map(|f| lowered(f, by));
        }
        Lower::PerCall(i, by) => {
            let r = &mut s.rates[i % spec.rates.len()];
            r.per_call = r.per_call.map(|c| lowered(c, by));
        }
        Lower::Fee(i, by) => {
            if !s.fees.is_empty() {
                let n = s.fees.len();
                let f = &mut s.fees[i % n];
                f.amount = f.amount.map(|a| lowered(a, by));
                f.percent = f.percent.map(|p| lowered(p, by));
            }
        }
    }
    s
}

fn lowering() -> impl Strategy<Value = Lower> {
    prop_oneof![
        (0..12usize, any::<u8>()).prop_map(|(i, b)| Lower::Rate(i, b)),
        (0..12usize, any::<u8>()).prop_map(|(i, b)| Lower::FirstMinute(i, b)),
        (0..12usize, any::<u8>()).prop_map(|(i, b)| Lower::PerCall(i, b)),
        (0..4usize, any::<u8>()).prop_map(|(i, b)| Lower::Fee(i, b)),
    ]
}

/// The violations of a check, by rule and tariff line.
fn violations(t: &Tariff, date: NaiveDate) -> BTreeSet<(String, Option<usize>)> {
    check(book(), t, date)
        .findings
        .into_iter()
        .filter(|f| f.severity == Severity::Violation)
        .map(|f| (f.rule.as_str().to_string(), f.line))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, max_global_rejects: 100_000, ..ProptestConfig::default() })]

    /// A compliant tariff stays compliant when any price in it is lowered.
    ///
    /// (Not commissions: under the 2021 rules a rate may exceed the cap by the site commission
    /// actually paid, so a smaller commission can rightly make a rate unlawful. And the
    /// per-minute price is lowered together with the first minute's: a first minute dearer than
    /// the others is a per-call charge by another name, so lowering only the other minutes can
    /// rightly create one.)
    #[test]
    fn a_compliant_tariff_stays_compliant_when_a_price_is_lowered(
        spec in tariff(true),
        date in date(),
        how in proptest::collection::vec(lowering(), 1..4),
    ) {
        let before = spec.parse("t.toml");
        prop_assume!(check(book(), &before, date).compliant);
        let mut lower_spec = spec.clone();
        for h in how {
            lower_spec = lower(&lower_spec, h);
        }
        let after = lower_spec.parse("t.toml");
        let result = check(book(), &after, date);
        prop_assert!(
            result.compliant,
            "lowering made it non-compliant on {}:\n{}\nfindings: {:#?}",
            date,
            lower_spec.toml(),
            result.findings
        );
    }

    /// Stronger, for any tariff: lowering a price never adds a violation (by rule and line).
    #[test]
    fn lowering_a_price_never_adds_a_violation(
        spec in tariff(false),
        date in date(),
        how in lowering(),
    ) {
        let before = violations(&spec.parse("t.toml"), date);
        let after_spec = lower(&spec, how);
        let after = violations(&after_spec.parse("t.toml"), date);
        prop_assert!(
            after.is_subset(&before),
            "{how:?} on {date} added {:?}\nbefore:\n{}\nafter:\n{}",
            after.difference(&before).collect::<Vec<_>>(),
            spec.toml(),
            after_spec.toml()
        );
    }

    /// The same tariff checks the same way every time, whatever was checked before it.
    #[test]
    fn checks_are_deterministic_and_independent_of_order(
        specs in proptest::collection::vec(tariff(false), 2..6),
        date in date(),
        seed in any::<u64>(),
    ) {
        let tariffs: Vec<Tariff> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| s.parse(&format!("t{i}.toml")))
            .collect();
        let forward: Vec<_> = tariffs.iter().map(|t| check(book(), t, date)).collect();
        let mut order: Vec<usize> = (0..tariffs.len()).collect();
        shuffle(&mut order, seed);
        for &i in &order {
            prop_assert_eq!(&check(book(), &tariffs[i], date), &forward[i]);
        }
    }

    /// Every amount in the JSON of an estimate and a comparison parses back to the very
    /// decimal the engine computed, and the JSON re-serializes to itself.
    #[test]
    fn estimate_and_compare_json_decimals_round_trip(
        spec in tariff(false),
        date in date(),
        calls in 0..200u32,
        minutes in 1..60u32,
    ) {
        use callcap::estimate::{estimate, FamilyPlan};
        let t = spec.parse("t.toml");
        let plan = FamilyPlan {
            call: callcap::CallKind {
                service: callcap::Service::Audio,
                jurisdiction: callcap::Jurisdiction::Intrastate,
                payment: callcap::Payment::Prepaid,
            },
            calls_per_month: calls,
            calls_given: callcap::estimate::CallsGiven::PerMonth,
            minutes_per_call: minutes,
            deposit: Some(Decimal::from(25)),
            deposit_method: callcap::FeeKind::AutomatedPayment,
        };
        if let Ok(e) = estimate(book(), &t, &plan, date) {
            let json = serde_json::to_value(&e).expect("JSON");
            round_trips(&json)?;
            let m = &json["month"];
            for (key, value) in [
                ("call_charges", e.month.call_charges),
                ("fees", e.month.fees),
                ("taxes", e.month.taxes),
                ("total", e.month.total),
            ] {
                prop_assert_eq!(decimal(&m[key]), value, "month.{}", key);
            }
            prop_assert_eq!(decimal(&json["per_call"]["charge"]), e.per_call.charge);
            prop_assert_eq!(decimal(&json["effective_per_minute"]), e.effective_per_minute);
            if let Some(over) = e.overcharge {
                prop_assert_eq!(decimal(&json["overcharge"]), over);
            }
        }
        if t.bid.is_some() {
            let demand = callcap::demand::Demand::bundled().expect("demand");
            let c = callcap::compare::compare(book(), std::slice::from_ref(&t), &demand, date, None)
                .expect("compare");
            let json = serde_json::to_value(&c).expect("JSON");
            round_trips(&json)?;
            let b = &json["bids"][0];
            prop_assert_eq!(decimal(&b["annual_family_cost"]), c.bids[0].annual_family_cost);
            prop_assert_eq!(decimal(&b["annual_commission"]), c.bids[0].annual_commission);
            prop_assert_eq!(decimal(&b["effective_per_minute"]), c.bids[0].effective_per_minute);
        }
    }
}

/// A kind of call, from its words.
fn call_kind() -> impl Strategy<Value = callcap::CallKind> {
    (
        proptest::sample::select(SERVICES),
        proptest::sample::select(JURISDICTIONS),
        proptest::sample::select(PAYMENTS),
    )
        .prop_map(|(s, j, p)| callcap::CallKind {
            service: callcap::Service::parse(s).expect("service"),
            jurisdiction: callcap::Jurisdiction::parse(j).expect("jurisdiction"),
            payment: callcap::Payment::parse(p).expect("payment"),
        })
}

/// `spec` with one rate entry, naming exactly `call`: every finding on its line concerns
/// that call and no other.
fn only_for(spec: &TariffSpec, call: callcap::CallKind) -> TariffSpec {
    let mut rate = spec.rates[0].clone();
    rate.service = Some(call.service.as_str());
    rate.jurisdiction = Some(call.jurisdiction.as_str());
    rate.payment = Some(call.payment.as_str());
    TariffSpec {
        rates: vec![rate],
        ..spec.clone()
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// `check` and `estimate` never contradict each other (issue 10, class 3). For one kind
    /// of call, on any date:
    /// - a call of any length that costs more than the rules allow (the estimate's lawful
    ///   charge, [`callcap::check::lawful_call`]) is one the check has a violation for;
    /// - a violation of the check on the call shows in the cost of a call of some length:
    ///   an hour (a price per minute, a per-call charge, a first minute, the 15-minute
    ///   equivalence) or a whole number of minutes within one repeat of the increment's pattern;
    /// - an estimate reports an overcharge only with a violation among its findings, and a
    ///   month with no violation (a 2014 per-call charge inside the 15-minute equivalence,
    ///   say) is never "overcharged"; where the call's own cost breaks a rule, the estimate of
    ///   a month of such calls is overcharged.
    #[test]
    fn check_and_estimate_never_contradict(
        spec in tariff(false),
        date in date(),
        call in call_kind(),
        seconds in 1..=7_200u32,
        minutes in 1..=90u32,
    ) {
        use callcap::check::lawful_call;
        use callcap::estimate::{estimate, CallsGiven, FamilyPlan};
        let spec = only_for(&spec, call);
        let t = spec.parse("t.toml");
        let rate = &t.rates[0];
        let rules = book().rules(date, &t.facility);
        let checked = check(book(), &t, date);
        let call_violation = checked
            .findings
            .iter()
            .any(|f| f.severity == Severity::Violation && f.line == Some(rate.line));

        let judged = lawful_call(&rules, &t, rate, call, seconds);
        prop_assert!(judged.lawful <= judged.cost && judged.lawful >= Decimal::ZERO);
        if judged.excess() > Decimal::ZERO {
            prop_assert!(
                call_violation,
                "a {seconds}-second call costs {} of which {} is lawful, but the check has no violation on {date}:\n{}\n{:#?}",
                judged.cost, judged.lawful, spec.toml(), checked.findings
            );
        }
        if call_violation {
            let repeat = rate.billing_increment_seconds.max(60);
            let shows = std::iter::once(3_600)
                .chain((1..=repeat).map(|m| m * 60))
                .any(|s| lawful_call(&rules, &t, rate, call, s).excess() > Decimal::ZERO);
            prop_assert!(
                shows,
                "the check has a violation on {date} that no call's cost shows:\n{}\n{:#?}",
                spec.toml(), checked.findings
            );
        }

        let plan = FamilyPlan {
            call,
            calls_per_month: 10,
            calls_given: CallsGiven::PerMonth,
            minutes_per_call: minutes,
            deposit: Some(Decimal::from(25)),
            deposit_method: callcap::FeeKind::AutomatedPayment,
        };
        let e = estimate(book(), &t, &plan, date).expect("the tariff prices the call");
        if e.overcharged {
            prop_assert!(
                e.counts.violations > 0,
                "overcharged with no violation on {date}:\n{}\n{:#?}", spec.toml(), e
            );
        }
        if e.counts.violations == 0 {
            prop_assert!(!e.overcharged);
            prop_assert!(e.overcharge.is_none_or(|o| o.is_zero()));
        }
        let month_call = lawful_call(&rules, &t, rate, call, minutes * 60);
        if month_call.excess() > Decimal::ZERO {
            prop_assert!(e.overcharged, "a call costs more than allowed, the month is not overcharged:\n{}\n{:#?}", spec.toml(), e);
        }
        // The legal maximum is never below what the same tariff may lawfully charge.
        if let (Some(at_cap), Some(over)) = (&e.at_cap, e.overcharge) {
            prop_assert!(
                at_cap.month.call_charges >= e.month.call_charges - over.min(e.month.call_charges),
                "the legal maximum's call charges are below the lawful ones:\n{}\n{:#?}", spec.toml(), e
            );
        }
    }
}

/// Fisher–Yates with a small xorshift generator (no extra dependency).
fn shuffle<T>(items: &mut [T], seed: u64) {
    let mut x = seed | 1;
    for i in (1..items.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        items.swap(i, (x % (i as u64 + 1)) as usize);
    }
}

fn decimal(v: &Value) -> Decimal {
    Decimal::from_str(v.as_str().unwrap_or_else(|| panic!("not a string: {v}")))
        .unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn is_decimal_text(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.chars().all(|c| c.is_ascii_digit())
        && fraction.chars().all(|c| c.is_ascii_digit())
        && (!digits.contains('.') || !fraction.is_empty())
}

/// The JSON re-serializes to itself, and every decimal string in it (money, rates, minutes)
/// parses to a decimal that prints back as the same string.
fn round_trips(json: &Value) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(json).expect("serializes");
    let again: Value = serde_json::from_str(&text).expect("parses");
    prop_assert_eq!(&again, json);
    let mut strings = Vec::new();
    collect_strings(json, &mut strings);
    for s in strings.into_iter().filter(|s| is_decimal_text(s)) {
        let d = Decimal::from_str(&s).expect("a decimal");
        let money = display(d);
        let quantity = d.normalize().to_string();
        prop_assert!(
            money == s || quantity == s,
            "`{}` prints back as `{}` / `{}`",
            s,
            money,
            quantity
        );
    }
    Ok(())
}

fn collect_strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(a) => a.iter().for_each(|x| collect_strings(x, out)),
        Value::Object(o) => o.values().for_each(|x| collect_strings(x, out)),
        _ => {}
    }
}

// -------------------------------------------------------------------------------------------
// The command line: the same files in any order give the same results, in the order given,
// equal to what the library computes, and the JSON round-trips.

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("properties")
        .join(format!("{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn check_json(files: &[PathBuf], date: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .arg("check")
        .args(files)
        .args(["--date", date, "--format", "json"])
        .output()
        .expect("run callcap");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    serde_json::from_str(&text).expect("JSON")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn cli_check_is_independent_of_file_order_and_matches_the_library(
        specs in proptest::collection::vec(tariff(false), 3..40),
        date in date(),
        seed in any::<u64>(),
    ) {
        let dir = scratch("order");
        let files: Vec<PathBuf> = specs
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let path = dir.join(format!("t{i:03}.toml"));
                std::fs::write(&path, s.toml()).expect("write");
                path
            })
            .collect();
        let mut shuffled = files.clone();
        shuffle(&mut shuffled, seed);
        let date_text = date.to_string();
        let a = check_json(&files, &date_text);
        let b = check_json(&shuffled, &date_text);
        round_trips(&a)?;

        let by_file = |v: &Value| -> BTreeMap<String, Value> {
            v["results"]
                .as_array()
                .expect("results")
                .iter()
                .map(|r| (r["file"].as_str().expect("file").to_string(), r.clone()))
                .collect()
        };
        prop_assert_eq!(by_file(&a), by_file(&b), "same results in any order");
        let order: Vec<String> = b["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["file"].as_str().expect("file").to_string())
            .collect();
        let given: Vec<String> = shuffled.iter().map(|p| p.display().to_string()).collect();
        prop_assert_eq!(order, given, "results come in the order given");

        // What the command line prints is exactly what the library computes.
        for (path, spec) in files.iter().zip(&specs) {
            let label = path.display().to_string();
            let lib = serde_json::to_value(check(book(), &spec.parse(&label), date)).expect("JSON");
            prop_assert_eq!(&by_file(&a)[&label], &lib, "{}", label);
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

#[test]
fn the_examples_check_json_round_trips() {
    let mut files = Vec::new();
    for dir in ["rates/examples", "rates/examples/bids"] {
        for e in std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(dir)).expect("dir") {
            let p = e.expect("entry").path();
            if p.extension().is_some_and(|x| x == "toml") {
                files.push(p);
            }
        }
    }
    files.sort();
    for date in DATES {
        let json = check_json(&files, date);
        round_trips(&json).expect("round trip");
        let results = json["results"].as_array().expect("results");
        assert_eq!(results.len(), files.len());
    }
}
