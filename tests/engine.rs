//! The cost engine: hand-worked estimates and comparisons (the arithmetic is written out so a
//! reader can follow it), and property tests of its invariants.

use callcap::compare::compare;
use callcap::demand::Demand;
use callcap::estimate::{estimate, FamilyPlan};
use callcap::{CallKind, FeeKind, Jurisdiction, Payment, RateBook, Service, Tariff};
use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// The bundled rate book, loaded once for all tests in this binary.
fn book() -> &'static RateBook {
    static BOOK: std::sync::OnceLock<RateBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| RateBook::bundled().unwrap())
}

fn plan(jurisdiction: Jurisdiction, calls: u32, minutes: u32, deposit: Option<&str>) -> FamilyPlan {
    FamilyPlan {
        call: CallKind {
            service: Service::Audio,
            jurisdiction,
            payment: Payment::Prepaid,
        },
        calls_per_month: calls,
        calls_given: callcap::estimate::CallsGiven::PerMonth,
        minutes_per_call: minutes,
        deposit: deposit.map(d),
        deposit_method: FeeKind::AutomatedPayment,
    }
}

const MEDIUM_JAIL: &str = r#"
[facility]
kind = "jail"
average_daily_population = 640

[[rate]]
service = "audio"
jurisdiction = "intrastate"
per_minute = "0.25"

[[fee]]
kind = "automated_payment"
amount = "3.00"

[[fee]]
kind = "third_party_transaction"
percent = "2.9"
amount = "0.30"

[[tax]]
name = "state sales tax"
percent = "6.25"

[commission]
percent_of_revenue = "55"
"#;

#[test]
fn a_medium_jail_family_month_in_2026_by_hand() {
    let t = Tariff::from_toml("medium.toml", MEDIUM_JAIL).unwrap();
    let e = estimate(
        book(),
        &t,
        &plan(Jurisdiction::Intrastate, 16, 15, Some("25")),
        date("2026-06-01"),
    )
    .unwrap();
    // one call: 15 minutes × $0.25 = $3.75; 16 calls = $60.00
    assert_eq!(e.per_call.charge, d("3.75"));
    assert_eq!(e.month.call_charges, d("60.00"));
    // taxes: 6.25% × $60.00 = $3.75
    assert_eq!(e.month.taxes, d("3.75"));
    // needed $63.75 in $25 deposits: 3 deposits
    assert_eq!(e.month.deposits, 3);
    // per deposit: automated payment $3.00; third party 2.9% × $25 + $0.30 = $1.025 → $1.03
    // (half away from zero); fees = 3 × $3.00 + 3 × $1.03 = $9.00 + $3.09 = $12.09
    assert_eq!(e.month.fees, d("12.09"));
    // total = $60.00 + $12.09 + $3.75 = $75.84; per minute talked $75.84 / 240 = $0.316
    assert_eq!(e.month.total, d("75.84"));
    assert_eq!(e.effective_per_minute, d("0.316"));
    // legal maximum on 2026-06-01 (FCC 25-75, medium jail): $0.12 + $0.02 additive = $0.14;
    // a call $2.10, 16 calls $33.60, taxes 6.25% = $2.10, fees not allowed: $35.70
    let cap = e.at_cap.as_ref().unwrap();
    assert_eq!(cap.per_minute, d("0.14"));
    assert_eq!(cap.month.call_charges, d("33.60"));
    assert_eq!(cap.month.total, d("35.70"));
    // overcharge: calls $60.00 − $33.60 = $26.40, taxes $3.75 − $2.10 = $1.65, every fee $12.09
    // = $40.14
    assert_eq!(e.overcharge, Some(d("40.14")));
    // commission: 55% of $60.00 = $33.00
    assert_eq!(e.commission_share, d("33.00"));
    assert!(e
        .findings
        .iter()
        .any(|f| f.rule.as_str() == "per_minute_cap"));
}

#[test]
fn a_2022_large_jail_month_with_a_contractual_commission_by_hand() {
    let t = Tariff::from_toml(
        "large.toml",
        r#"
[facility]
kind = "jail"
average_daily_population = 1200
[[rate]]
jurisdiction = "interstate"
per_minute = "0.16"
[[fee]]
kind = "automated_payment"
amount = "3.00"
[commission]
percent_of_revenue = "10"
"#,
    )
    .unwrap();
    let e = estimate(
        book(),
        &t,
        &plan(Jurisdiction::Interstate, 10, 10, None),
        date("2022-06-01"),
    )
    .unwrap();
    // a call: 10 × $0.16 = $1.60; 10 calls $16.00; one deposit of exactly $16.00, fee $3.00
    assert_eq!(e.month.call_charges, d("16.00"));
    assert_eq!((e.month.deposits, e.month.deposit_amount), (1, d("16.00")));
    assert_eq!(e.month.total, d("19.00"));
    // FCC 21-60: $0.14 cap for jails of 1,000+, plus the commission actually paid per minute up
    // to $0.02: 10% × $0.16 = $0.016 → the legal rate is $0.156
    let cap = e.at_cap.as_ref().unwrap();
    assert_eq!(cap.per_minute, d("0.156"));
    // at cap: 10 × $0.156 = $1.56 a call, $15.60; the $3.00 fee is within the $3.00 cap: $18.60
    assert_eq!(cap.month.total, d("18.60"));
    // overcharge: $16.00 − $15.60 = $0.40 on calls, nothing on the fee
    assert_eq!(e.overcharge, Some(d("0.40")));
    assert_eq!(e.effective_per_minute, d("0.19"));
}

#[test]
fn uncapped_calls_have_no_legal_maximum() {
    let t = Tariff::from_toml("m.toml", MEDIUM_JAIL).unwrap();
    let e = estimate(
        book(),
        &t,
        &plan(Jurisdiction::Intrastate, 4, 10, None),
        date("2019-06-01"),
    )
    .unwrap();
    assert!(e.at_cap.is_none() && e.overcharge.is_none());
    assert!(e
        .notes
        .iter()
        .any(|n| n.contains("no federal, state or local cap")));
}

#[test]
fn estimate_errors_are_clear() {
    let t = Tariff::from_toml("m.toml", MEDIUM_JAIL).unwrap();
    let e = estimate(
        book(),
        &t,
        &plan(Jurisdiction::Interstate, 4, 10, None),
        date("2026-06-01"),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("no [[rate]] for audio interstate prepaid"),
        "{e}"
    );
    let e = estimate(
        book(),
        &t,
        &plan(Jurisdiction::Intrastate, 4, 0, None),
        date("2026-06-01"),
    )
    .unwrap_err();
    assert_eq!(
        (e.kind(), e.key()),
        (callcap::ErrorKind::Usage, Some("minutes_per_call")),
        "{e}"
    );
    let e = FamilyPlan::from_inputs(
        plan(Jurisdiction::Intrastate, 4, 10, None).call,
        Some(4),
        Some(1),
        10,
        None,
        FeeKind::AutomatedPayment,
    )
    .unwrap_err();
    assert!(e.to_string().contains("not both"), "{e}");
    let week = FamilyPlan::from_inputs(
        plan(Jurisdiction::Intrastate, 4, 10, None).call,
        None,
        Some(4),
        10,
        None,
        FeeKind::AutomatedPayment,
    )
    .unwrap();
    assert_eq!(week.calls_per_month, 17);
    let e = estimate(book(), &t, &week, date("2026-06-01")).unwrap();
    assert!(
        e.notes[0].starts_with("4 calls a week are 17 calls a month"),
        "{:?}",
        e.notes
    );
    let mut p = plan(Jurisdiction::Intrastate, 4, 10, None);
    p.deposit_method = FeeKind::Refund;
    let e = estimate(book(), &t, &p, date("2026-06-01")).unwrap_err();
    assert!(e.to_string().contains("not a way to deposit"), "{e}");
}

const SMALL_BID: &str = r#"
[facility]
name = "Hill County Jail"
kind = "jail"
average_daily_population = 100
[[rate]]
service = "audio"
jurisdiction = "intrastate"
per_minute = "0.20"
[[fee]]
kind = "automated_payment"
amount = "2.00"
[commission]
percent_of_revenue = "50"
minimum_annual_guarantee = "10000"
signing_bonus = "5000"
[bid]
name = "Hill bid"
term_years = 5
start = "2025-10-01"
in_kind_per_year = "2000"
"#;

const SMALL_DEMAND: &str = r#"
[[calls]]
service = "audio"
jurisdiction = "intrastate"
payment = "prepaid"
minutes_per_person_per_month = "30"
minutes_per_call = 15
[deposits]
amount = "25.00"
[[deposits.method]]
kind = "automated_payment"
share = "100"
"#;

#[test]
fn a_bid_costed_by_hand() {
    let bid = Tariff::from_toml("hill.toml", SMALL_BID).unwrap();
    let demand = Demand::from_toml("demand.toml", SMALL_DEMAND).unwrap();
    let c = compare(book(), &[bid], &demand, date("2025-10-01"), None).unwrap();
    let b = &c.bids[0];
    // minutes: 100 people × 30 minutes × 12 months = 36,000; calls of 15 minutes: 2,400
    assert_eq!(b.annual_minutes, d("36000"));
    // a call: 15 × $0.20 = $3.00; 2,400 calls = $7,200.00
    assert_eq!(b.annual_call_charges, d("7200.00"));
    // deposits: $7,200 / $25 = 288, each with a $2.00 fee: $576.00
    assert_eq!(b.annual_fees, d("576.00"));
    assert_eq!(b.annual_family_cost, d("7776.00"));
    // commission: 50% × $7,200 = $3,600, topped up to the $10,000 guarantee (+$6,400),
    // + $5,000 bonus over 5 years ($1,000) + $2,000 in kind = $13,000
    assert_eq!(b.commission_breakdown.guarantee_top_up, d("6400.00"));
    assert_eq!(b.annual_commission, d("13000.00"));
    // $7,776 / 36,000 minutes = $0.216 a minute
    assert_eq!(b.effective_per_minute, d("0.216"));
    assert_eq!(
        b.family_cost_per_15_min_call[&Jurisdiction::Intrastate].as_deref(),
        Some("3.00")
    );
    assert_eq!(
        b.family_cost_per_15_min_call[&Jurisdiction::Interstate],
        None
    );
    // compliance on the start date and at each rule change in the term (2025-12-05, 2026-04-06)
    let dates: Vec<String> = b.compliance.iter().map(|x| x.date.to_string()).collect();
    assert_eq!(dates, ["2025-10-01", "2025-12-05", "2026-04-06"]);
    // FCC 25-75 (2026-04-06), small jail (100–349): $0.13 + $0.02; $0.20 is over, and the
    // commission and the fee are not allowed
    let last = b.compliance.last().unwrap();
    assert!(!last.compliant);
    for rule in [
        "per_minute_cap",
        "site_commission_prohibited",
        "ancillary_fee_prohibited",
    ] {
        assert!(
            last.findings.iter().any(|f| f.rule.as_str() == rule),
            "{rule}"
        );
    }
}

#[test]
fn compare_refuses_a_tariff_that_is_not_a_bid() {
    let t = Tariff::from_toml("m.toml", MEDIUM_JAIL).unwrap();
    let e = compare(
        book(),
        &[t],
        &Demand::bundled().unwrap(),
        date("2026-06-01"),
        None,
    )
    .unwrap_err();
    assert!(e.to_string().contains("not a bid"), "{e}");
}

#[test]
fn a_what_if_population_prices_every_bid_at_it_and_says_so() {
    let bid = Tariff::from_toml(
        "b.toml",
        &std::fs::read_to_string("rates/examples/bids/riverbend-vendor-a-high-commission.toml")
            .unwrap(),
    )
    .unwrap();
    let demand = Demand::bundled().unwrap();
    let own = compare(
        book(),
        std::slice::from_ref(&bid),
        &demand,
        date("2026-06-01"),
        None,
    )
    .unwrap();
    let adp = own.bids[0].average_daily_population;
    let what_if = compare(book(), &[bid], &demand, date("2026-06-01"), Some(adp * 2)).unwrap();
    let b = &what_if.bids[0];
    assert_eq!(b.average_daily_population, adp * 2);
    assert_eq!(what_if.what_if_adp, Some(adp * 2));
    assert!(
        b.notes[0].contains(&format!("not the {adp} the bid file gives")),
        "{:?}",
        b.notes
    );
    // Twice the population calls twice as much.
    assert!(b.annual_call_charges > own.bids[0].annual_call_charges);
    let e = compare(book(), &[], &demand, date("2026-06-01"), Some(0)).unwrap_err();
    assert_eq!(e.kind(), callcap::ErrorKind::Usage);
}

fn tariff(
    rate: &str,
    first: Option<&str>,
    per_call: &str,
    increment: u32,
    fee: &str,
    fee_pct: &str,
    tax: &str,
) -> Tariff {
    let first = first
        .map(|f| format!("first_minute = \"{f}\"\n"))
        .unwrap_or_default();
    Tariff::from_toml(
        "p.toml",
        &format!(
            "[facility]\nkind = \"jail\"\naverage_daily_population = 640\n[[rate]]\nper_minute = \"{rate}\"\n{first}per_call = \"{per_call}\"\nbilling_increment_seconds = {increment}\n[[fee]]\nkind = \"automated_payment\"\namount = \"{fee}\"\n[[fee]]\nkind = \"third_party_transaction\"\npercent = \"{fee_pct}\"\n[[tax]]\nname = \"t\"\npercent = \"{tax}\"\n"
        ),
    )
    .unwrap()
}

fn cents() -> impl Strategy<Value = String> {
    (0u32..2000).prop_map(|c| format!("{}.{:02}", c / 100, c % 100))
}

fn rate_text() -> impl Strategy<Value = String> {
    (0u32..5000).prop_map(|r| format!("{}.{:04}", r / 10000, r % 10000))
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Every decimal a JSON value holds as text, with its key path.
fn decimals(v: &serde_json::Value, path: &str, out: &mut Vec<(String, String)>) {
    match v {
        serde_json::Value::String(s) if Decimal::from_str(s).is_ok() => {
            out.push((path.to_string(), s.clone()))
        }
        serde_json::Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| decimals(x, &format!("{path}[{i}]"), out)),
        serde_json::Value::Object(o) => o
            .iter()
            .for_each(|(k, x)| decimals(x, &format!("{path}.{k}"), out)),
        _ => {}
    }
}

#[test]
fn billed_seconds_are_priced_exactly_and_shown_without_artifacts() {
    // A 2015 prison tariff at $0.189 a minute in 200-second increments: a 15-minute call bills
    // 1,000 s, exactly $3.15, which is 15 minutes at the $0.21 cap: lawful.
    let t = Tariff::from_toml(
        "p.toml",
        "[facility]\nkind = \"prison\"\naverage_daily_population = 2000\n\
         [[rate]]\njurisdiction = \"interstate\"\nper_minute = \"0.189\"\n\
         billing_increment_seconds = 200\n",
    )
    .unwrap();
    let r = callcap::check(book(), &t, date("2015-06-01"));
    assert!(
        r.findings
            .iter()
            .all(|f| f.rule != callcap::RuleId::FifteenMinuteEquivalence),
        "{:?}",
        r.findings
    );
    let p = plan(Jurisdiction::Interstate, 4, 15, None);
    let e = estimate(book(), &t, &p, date("2015-06-01")).unwrap();
    assert_eq!(e.per_call.seconds_billed, 1000);
    assert_eq!(e.per_call.charge.to_string(), "3.15");
    let json = serde_json::to_value(&e).unwrap();
    assert_eq!(json["per_call"]["minutes_billed"], "16.6667");
    let mut all = Vec::new();
    decimals(&json, "estimate", &mut all);
    for (path, d) in all {
        let places = d.split_once('.').map_or(0, |(_, f)| f.len());
        assert!(places <= 4, "{path} = {d}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The worst call found from the increments' starts is the worst of every call length, by
    /// brute force over two repeats of the pattern.
    #[test]
    fn the_worst_increment_call_is_the_worst_of_all_call_lengths(
        increment in 1u32..400, rate_cents in 1i64..=21, cap_cents in 10i64..=25,
    ) {
        let t = tariff(&format!("0.{rate_cents:02}"), None, "0", increment, "1.00", "0", "0");
        let rate = &t.rates[0];
        let limit = Decimal::new(cap_cents, 2);
        let found = callcap::cost::worst_increment_call(rate, limit);
        let n = u64::from(increment);
        let period = n * 60 / gcd(n, 60);
        let mut best: Option<(Decimal, u64)> = None;
        let price = rate.per_minute.min(limit);
        for s in 1..=2 * period {
            let billed = s.div_ceil(n) * n;
            let excess = price * Decimal::from(billed) - limit * Decimal::from(s.div_ceil(60) * 60);
            if excess > Decimal::ZERO && best.is_none_or(|(b, _)| excess > b) {
                best = Some((excess, s));
            }
        }
        prop_assert_eq!(found.map(|w| u64::from(w.seconds)), best.map(|(_, s)| s));
    }

    #[test]
    fn no_output_shows_more_than_four_decimal_places(
        rate in rate_text(), per_call in cents(), increment in 1u32..600, minutes in 1u32..60,
    ) {
        let t = tariff(&rate, None, &per_call, increment, "1.00", "0", "0");
        for day in ["2015-06-01", "2022-06-01", "2026-06-01"] {
            let e = estimate(book(), &t, &plan(Jurisdiction::Intrastate, 5, minutes, None), date(day)).unwrap();
            let r = callcap::check(book(), &t, date(day));
            let mut all = Vec::new();
            decimals(&serde_json::to_value(&e).unwrap(), "estimate", &mut all);
            decimals(&serde_json::to_value(&r).unwrap(), "check", &mut all);
            for (path, d) in all {
                let places = d.split_once('.').map_or(0, |(_, f)| f.len());
                prop_assert!(places <= 4, "{} = {}", path, d);
            }
        }
    }

    #[test]
    fn the_itemised_total_equals_its_parts(
        rate in rate_text(), per_call in cents(), fee in cents(), pct in 0u32..10, tax in 0u32..15,
        calls in 0u32..60, minutes in 1u32..60, increment in 1u32..600, deposit in proptest::option::of(1u32..100),
    ) {
        let t = tariff(&rate, None, &per_call, increment, &fee, &pct.to_string(), &tax.to_string());
        let dep = deposit.map(|x| x.to_string());
        let e = estimate(book(), &t, &plan(Jurisdiction::Intrastate, calls, minutes, dep.as_deref()), date("2026-06-01")).unwrap();
        let m = &e.month;
        prop_assert_eq!(m.fees, m.fee_items.iter().map(|f| f.total).sum::<Decimal>());
        for f in &m.fee_items {
            prop_assert_eq!(f.total, f.per_use * Decimal::from(f.uses));
        }
        prop_assert_eq!(m.total, m.call_charges + m.fees + m.taxes);
        prop_assert_eq!(m.call_charges, e.per_call.charge * Decimal::from(calls));
        if let Some(cap) = &e.at_cap {
            prop_assert_eq!(cap.month.total, cap.month.call_charges + cap.month.fees + cap.month.taxes);
        }
    }

    #[test]
    fn cost_never_falls_as_minutes_grow(
        rate in rate_text(), first in proptest::option::of(cents()), per_call in cents(), fee in cents(),
        pct in 0u32..10, tax in 0u32..15, calls in 1u32..40, minutes in 1u32..120, increment in 1u32..900,
        deposit in proptest::option::of(1u32..100),
    ) {
        let t = tariff(&rate, first.as_deref(), &per_call, increment, &fee, &pct.to_string(), &tax.to_string());
        let dep = deposit.map(|x| x.to_string());
        let at = |m| estimate(book(), &t, &plan(Jurisdiction::Intrastate, calls, m, dep.as_deref()), date("2026-06-01")).unwrap();
        let (a, b) = (at(minutes), at(minutes + 1));
        prop_assert!(b.per_call.charge >= a.per_call.charge);
        prop_assert!(b.month.call_charges >= a.month.call_charges);
        if deposit.is_some() {
            // with a fixed deposit size, more spending never means fewer deposits or fees
            prop_assert!(b.month.total >= a.month.total, "{} < {}", b.month.total, a.month.total);
        }
    }

    #[test]
    fn a_higher_rate_never_costs_less(
        low in 0u32..3000, extra in 0u32..3000, per_call in cents(), fee in cents(), tax in 0u32..15,
        calls in 1u32..40, minutes in 1u32..60, increment in 1u32..600, deposit in 1u32..100,
    ) {
        let r = |x: u32| format!("{}.{:04}", x / 10000, x % 10000);
        let dep = deposit.to_string();
        let p = plan(Jurisdiction::Intrastate, calls, minutes, Some(&dep));
        let a = estimate(book(), &tariff(&r(low), None, &per_call, increment, &fee, "0", &tax.to_string()), &p, date("2026-06-01")).unwrap();
        let b = estimate(book(), &tariff(&r(low + extra), None, &per_call, increment, &fee, "0", &tax.to_string()), &p, date("2026-06-01")).unwrap();
        prop_assert!(b.month.total >= a.month.total);
        prop_assert!(b.effective_per_minute >= a.effective_per_minute);
    }

    #[test]
    fn commission_never_exceeds_revenue_without_a_guarantee(
        rate in 1u32..5000, pct in 0u32..=100, per_minute_share in 0u32..=100, guarantee in 0u32..200_000,
    ) {
        // the per-minute commission is at most what is left of the rate after the percentage
        let rate_d = Decimal::new(i64::from(rate), 4);
        let per_minute = (rate_d * Decimal::from(100 - pct) / Decimal::ONE_HUNDRED
            * Decimal::from(per_minute_share) / Decimal::ONE_HUNDRED)
            .round_dp_with_strategy(4, rust_decimal::RoundingStrategy::ToZero);
        let bid = Tariff::from_toml("b.toml", &format!(
            "[facility]\nkind = \"jail\"\naverage_daily_population = 300\n[[rate]]\nper_minute = \"{rate_d}\"\n[commission]\npercent_of_revenue = \"{pct}\"\nper_minute = \"{per_minute}\"\nminimum_annual_guarantee = \"{guarantee}\"\n[bid]\nname = \"b\"\nterm_years = 3\nstart = \"2026-07-01\"\n"
        )).unwrap();
        let c = compare(book(), &[bid], &Demand::bundled().unwrap(), date("2026-07-01"), None).unwrap();
        let b = &c.bids[0];
        let earned = b.commission_breakdown.percent_of_revenue + b.commission_breakdown.per_minute;
        // revenue is the sum of calls each rounded to the cent, so it may fall short of the exact
        // minutes × rate by up to half a cent a call (the default demand's calls are 15 or 20
        // minutes: at most annual_minutes / 15 calls)
        let rounding = b.annual_minutes / Decimal::from(15) * Decimal::new(5, 3);
        prop_assert!(earned <= b.annual_call_charges + rounding, "{} > {} + {}", earned, b.annual_call_charges, rounding);
        if b.annual_commission > b.annual_call_charges + rounding {
            prop_assert!(b.commission_breakdown.guarantee_top_up > Decimal::ZERO);
        }
    }
}

#[test]
fn the_legal_maximum_without_a_tariff() {
    use callcap::estimate::at_legal_maximum;
    use callcap::{Facility, FacilityKind};
    // FCC 25-75, very small jail (50–99): $0.15 + $0.02 additive = $0.17 a minute;
    // 20 calls × 15 minutes × $0.17 = 20 × $2.55 = $51.00, no fees
    let e = at_legal_maximum(
        book(),
        &Facility::new(FacilityKind::Jail, 75),
        &plan(Jurisdiction::Intrastate, 20, 15, None),
        date("2026-11-24"),
    )
    .unwrap();
    assert_eq!(e.per_call.charge, d("2.55"));
    assert_eq!(e.month.total, d("51.00"));
    assert_eq!(e.overcharge, Some(Decimal::ZERO));
    // 2019: no federal cap on in-state calls
    let err = at_legal_maximum(
        book(),
        &Facility::new(FacilityKind::Jail, 75),
        &plan(Jurisdiction::Intrastate, 20, 15, None),
        date("2019-01-01"),
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("no federal, state or local cap covered audio intrastate prepaid calls"),
        "{err}"
    );
}

#[test]
fn billing_increments_are_judged_by_what_the_worst_call_costs() {
    let priced = |rate: &str, increment: u32| {
        Tariff::from_toml(
            "inc.toml",
            &format!(
                "[facility]\nkind = \"jail\"\naverage_daily_population = 640\n\
                 [[rate]]\nservice = \"audio\"\njurisdiction = \"intrastate\"\n\
                 per_minute = \"{rate}\"\nbilling_increment_seconds = {increment}\n"
            ),
        )
        .unwrap()
    };
    let at_cap = |increment: u32| priced("0.10", increment);
    let day = date("2026-06-01");
    let increment_findings = |t: &Tariff| -> Vec<callcap::Finding> {
        callcap::check(book(), t, day)
            .findings
            .into_iter()
            .filter(|f| f.rule == callcap::RuleId::BillingIncrement)
            .collect()
    };
    // 59 s: a one-minute call is billed 118 s. Under 60 s, but it bills unused time: a
    // violation, which the estimate's overcharge agrees with.
    let f = increment_findings(&at_cap(59));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].severity, callcap::Severity::Violation);
    assert!(
        f[0].message.contains("a 60-second call as 118 seconds"),
        "{}",
        f[0].message
    );
    let e = estimate(
        book(),
        &at_cap(59),
        &plan(Jurisdiction::Intrastate, 10, 1, None),
        day,
    )
    .unwrap();
    assert!(e.overcharged && !e.compliant, "{:?}", e.overcharge);
    // An hour's increment bills a one-second call as an hour: a violation, not a warning.
    let f = increment_findings(&at_cap(3600));
    assert_eq!(f[0].severity, callcap::Severity::Violation);
    assert!(
        f[0].message.contains("a 1-second call as 3600 seconds"),
        "{}",
        f[0].message
    );
    // 30 s divides a minute: nothing. 90 s at $0.10 under the $0.14 cap: a 91-second call
    // is billed 180 s, $0.30 against its two minutes' $0.28: a violation, found though no
    // 60-second multiple shows it.
    assert!(increment_findings(&at_cap(30)).is_empty());
    let f = increment_findings(&at_cap(90));
    assert!(
        f[0].message.contains("a 91-second call as 180 seconds"),
        "{}",
        f[0].message
    );
    // At $0.05 no call costs more than its minutes at the cap: information only.
    let f = increment_findings(&priced("0.05", 90));
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0].severity, callcap::Severity::Info);
}

/// Issue 10, class 3: `check` and `estimate` say the same thing of the same tariff.
mod check_and_estimate_agree {
    use super::*;
    use callcap::check;

    fn tariff(kind: &str, jurisdiction: &str, rate: &str) -> Tariff {
        let text = format!(
            "[facility]\nkind = \"{kind}\"\naverage_daily_population = 640\n\n[[rate]]\nservice = \"audio\"\njurisdiction = \"{jurisdiction}\"\n{rate}\n"
        );
        Tariff::from_toml("t.toml", &text).unwrap()
    }

    #[test]
    fn a_2015_per_call_charge_inside_the_15_minute_equivalence_is_no_overcharge() {
        // $1.00 a call + $0.10 a minute: a 15-minute interstate call costs $2.50, within 15
        // minutes at the $0.21 cap ($3.15): lawful under FCC 13-113.
        let t = tariff(
            "jail",
            "interstate",
            "per_minute = \"0.10\"\nper_call = \"1.00\"",
        );
        let day = date("2015-06-01");
        assert!(check(book(), &t, day).compliant);
        // A 5-minute call costs $1.50, more than 5 minutes at the cap ($1.05), but it is lawful:
        // its legal maximum is 15 minutes at the cap.
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Interstate, 10, 5, None),
            day,
        )
        .unwrap();
        assert_eq!(e.per_call.charge, d("1.50"));
        assert!(!e.overcharged, "{e:#?}");
        assert_eq!(e.overcharge, Some(Decimal::ZERO));
        let at_cap = e.at_cap.as_ref().unwrap();
        assert_eq!(at_cap.month.call_charges, d("31.50"));
        assert!(e.notes.iter().any(|n| n.contains("15-minute equivalence")));
        // $1.00 a call + $0.20 a minute: $4.00 for 15 minutes, over $3.15: a violation, and
        // the month is overcharged: lowered in proportion, a 5-minute call ($2.00) is lawful
        // at 3.15 / 4.00 of it, $1.575: $0.425 a call over.
        let t = tariff(
            "jail",
            "interstate",
            "per_minute = \"0.20\"\nper_call = \"1.00\"",
        );
        assert!(!check(book(), &t, day).compliant);
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Interstate, 10, 5, None),
            day,
        )
        .unwrap();
        assert!(e.overcharged);
        // 10 × $2.00 = $20.00 against 10 × $1.58 (the lawful $1.575, rounded to the cent)
        assert_eq!(e.month.call_charges, d("20.00"));
        assert_eq!(e.overcharge, Some(d("4.20")));
    }

    #[test]
    fn a_2018_first_minute_charge_on_in_state_calls_is_a_violation_and_an_overcharge() {
        // A Kentucky jail, 2018, in-state calls: $3.32 for the first minute, $0.20 after. No
        // federal cap covered in-state calls, but FCC 15-136 banned per-call charges (and a
        // first minute dearer than the others is one) on every call until FCC 20-111.
        let t = tariff(
            "jail",
            "intrastate",
            "per_minute = \"0.20\"\nfirst_minute = \"3.32\"",
        );
        let day = date("2018-05-01");
        let r = check(book(), &t, day);
        assert!(
            r.findings
                .iter()
                .any(|f| f.rule.as_str() == "first_minute_charge"
                    && f.severity == callcap::Severity::Violation),
            "{:#?}",
            r.findings
        );
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Intrastate, 10, 10, None),
            day,
        )
        .unwrap();
        assert!(e.at_cap.is_none());
        assert!(e.overcharged);
        // each call: $3.32 + 9 × $0.20 = $5.12 against $0.20 + 9 × $0.20 = $2.00: $3.12 over
        assert_eq!(e.overcharge, Some(d("31.20")));
        // After FCC 20-111 (2020-11-23) the federal ban no longer reaches in-state calls.
        let later = date("2021-01-04");
        assert!(check(book(), &t, later).compliant);
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Intrastate, 10, 10, None),
            later,
        )
        .unwrap();
        assert!(!e.overcharged);
        assert_eq!(e.overcharge, None);
    }

    #[test]
    fn an_increment_that_bills_unused_time_is_an_overcharge_on_the_calls_it_bites() {
        // 2026-06-01, a medium jail: 59-second increments at the cap (and its additive, read
        // from the rate book) bill a one-minute call 118 s.
        let day = date("2026-06-01");
        let rules = book().rules(
            day,
            &callcap::Facility::new(callcap::FacilityKind::Jail, 640),
        );
        let call = CallKind {
            service: Service::Audio,
            jurisdiction: Jurisdiction::Interstate,
            payment: Payment::Prepaid,
        };
        let cap =
            rules.cap(call).unwrap().per_minute.unwrap() + rules.cap(call).unwrap().additive();
        let t = tariff(
            "jail",
            "interstate",
            &format!("per_minute = \"{cap}\"\nbilling_increment_seconds = 59"),
        );
        let r = check(book(), &t, day);
        assert!(r
            .findings
            .iter()
            .any(|f| f.rule.as_str() == "billing_increment"
                && f.severity == callcap::Severity::Violation));
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Interstate, 10, 1, None),
            day,
        )
        .unwrap();
        assert!(e.overcharged);
        // 118 s at the cap against 60 s: 58/60 of a minute's price over, each call
        let per_call = callcap::money::round_to_cent(cap * d("118") / d("60"))
            - callcap::money::round_to_cent(cap);
        assert_eq!(e.overcharge, Some(per_call * d("10")));
    }

    #[test]
    fn a_surcharge_passed_through_as_a_tax_is_unverified_and_the_legal_maximum_says_so() {
        let text = "[facility]\nkind = \"jail\"\naverage_daily_population = 640\n\n[[rate]]\nservice = \"audio\"\njurisdiction = \"intrastate\"\nper_minute = \"0.10\"\n\n[[tax]]\nname = \"cost recovery\"\npercent = \"50\"\n";
        let t = Tariff::from_toml("t.toml", text).unwrap();
        // 2026: the 2024 definitions, all calls; 2015: no federal rule on taxes.
        for (day, cited) in [("2026-06-01", true), ("2015-06-01", false)] {
            let r = check(book(), &t, date(day));
            let f = r
                .findings
                .iter()
                .find(|f| f.rule.as_str() == "pass_through_tax")
                .unwrap_or_else(|| panic!("{day}: {:#?}", r.findings));
            assert_eq!(f.severity, callcap::Severity::Info);
            assert_eq!(f.line, Some(10));
            assert!(
                f.message
                    .contains("\"cost recovery\" (50% of call charges)"),
                "{}",
                f.message
            );
            assert_eq!(f.citation.is_some(), cited, "{day}: {f:#?}");
            if cited {
                assert!(f.citation.as_deref().unwrap().contains("64.6000"));
                assert!(f.message.contains("cannot verify"));
            } else {
                assert!(f.message.contains("no federal rule"), "{}", f.message);
            }
        }
        let e = estimate(
            book(),
            &t,
            &plan(Jurisdiction::Intrastate, 10, 10, None),
            date("2026-06-01"),
        )
        .unwrap();
        // 10 calls × $1.00 = $10.00, and $5.00 of "tax", counted in the legal maximum: said.
        assert_eq!(e.month.taxes, d("5.00"));
        assert!(
            e.notes
                .iter()
                .any(|n| n.contains("unverified") && n.contains("\"cost recovery\" 50%")),
            "{:#?}",
            e.notes
        );
    }
}

/// Issue 11 §3: where calls are free or an agency pays a share, `compare` shows the family's
/// cost and the agency's apart.
#[test]
fn free_calls_and_an_agency_share_are_shown_apart_in_a_comparison() {
    let demand = Demand::from_toml("demand.toml", SMALL_DEMAND).unwrap();
    let with = |facility: &str, start: &str| {
        SMALL_BID
            .replace(
                "kind = \"jail\"\naverage_daily_population = 100",
                facility,
            )
            .replace("start = \"2025-10-01\"", &format!("start = \"{start}\""))
            .replace("[commission]\npercent_of_revenue = \"50\"\nminimum_annual_guarantee = \"10000\"\nsigning_bonus = \"5000\"\n", "")
            .replace("in_kind_per_year = \"2000\"\n", "")
    };
    // A Massachusetts county jail in 2024: calls are free to families (c. 127 § 87A); the
    // county pays the provider the 2,400 calls × $3.00 = $7,200.00.
    let ma = with(
        "kind = \"jail\"\naverage_daily_population = 100\nstate = \"MA\"\noperator = \"county\"",
        "2024-06-01",
    );
    let bid = Tariff::from_toml("ma.toml", &ma).unwrap();
    let c = compare(book(), &[bid], &demand, date("2024-06-01"), None).unwrap();
    let b = &c.bids[0];
    assert_eq!(b.annual_call_charges, d("0"));
    assert_eq!(b.annual_agency_cost, d("7200.00"));
    assert_eq!(b.annual_fees, d("0"), "no deposits for free calls");
    assert_eq!(
        b.family_cost_per_15_min_call[&Jurisdiction::Intrastate].as_deref(),
        Some("0.00")
    );
    assert!(
        b.notes.iter().any(|n| n.contains("free to families")),
        "{:#?}",
        b.notes
    );
    // The same jail the day before the law (2023-11-30): families pay it all.
    let before = Tariff::from_toml("ma.toml", &ma).unwrap();
    let c = compare(book(), &[before], &demand, date("2023-11-30"), None).unwrap();
    assert_eq!(c.bids[0].annual_call_charges, d("7200.00"));
    assert_eq!(c.bids[0].annual_agency_cost, d("0"));
    // A Colorado state prison on 2024-08-01: the DOC pays 35% (HB23-1133): families pay
    // $7,200 × 0.65 = $4,680.00, the DOC $2,520.00.
    let co = with(
        "kind = \"prison\"\naverage_daily_population = 100\nstate = \"CO\"\noperator = \"state\"",
        "2024-08-01",
    );
    let bid = Tariff::from_toml("co.toml", &co).unwrap();
    let c = compare(book(), &[bid], &demand, date("2024-08-01"), None).unwrap();
    let b = &c.bids[0];
    assert_eq!(b.annual_call_charges, d("4680.00"));
    assert_eq!(b.annual_agency_cost, d("2520.00"));
    assert_eq!(
        b.family_cost_per_15_min_call[&Jurisdiction::Intrastate].as_deref(),
        Some("1.95")
    );
}

/// Issue 11: the legal maximum is the lower of the federal and the state caps, whichever it is.
#[test]
fn the_lower_of_the_federal_and_the_state_cap_sets_the_legal_maximum() {
    let tariff = |state: &str, operator: &str| {
        Tariff::from_toml(
            "t.toml",
            &format!(
                "[facility]\nkind = \"prison\"\naverage_daily_population = 2000\nstate = \"{state}\"\noperator = \"{operator}\"\n\n[[rate]]\nservice = \"audio\"\njurisdiction = \"intrastate\"\nper_minute = \"0.30\"\n"
            ),
        )
        .unwrap()
    };
    let level = |t: &Tariff, day: &str| {
        let e = estimate(
            book(),
            t,
            &plan(Jurisdiction::Intrastate, 10, 15, None),
            date(day),
        )
        .unwrap();
        let at_cap = e.at_cap.expect("a legal maximum");
        (
            at_cap.set_by.expect("a rule sets it").level,
            at_cap.per_minute,
        )
    };
    // New Mexico's PRC cap (15 cents, 2012) is the only cap on in-state calls in 2015; from
    // 2025 the FCC's in-state prison cap is lower, and sets it.
    let nm = tariff("NM", "state");
    assert_eq!(
        level(&nm, "2015-06-01"),
        (callcap::vocab::Level::State, d("0.15"))
    );
    let (lvl, cap) = level(&nm, "2025-06-01");
    assert_eq!(lvl, callcap::vocab::Level::Federal);
    assert!(cap < d("0.15"), "{cap}");
    // New Jersey's 11 cents is below the FCC's 2026 in-state cap for a large jail.
    let nj = Tariff::from_toml(
        "t.toml",
        "[facility]\nkind = \"jail\"\naverage_daily_population = 2000\nstate = \"NJ\"\noperator = \"county\"\n\n[[rate]]\nservice = \"audio\"\njurisdiction = \"intrastate\"\nper_minute = \"0.30\"\n",
    )
    .unwrap();
    assert_eq!(
        level(&nj, "2026-06-01"),
        (callcap::vocab::Level::State, d("0.11"))
    );
}
