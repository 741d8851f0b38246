//! Criterion benchmarks of the hot paths: loading the rate book, resolving the rules in force,
//! parsing and checking a tariff, a family's estimate, and a comparison of three bids.
//!
//! Run: `cargo bench --bench engine` (figures in the README).

use callcap::compare::compare;
use callcap::demand::Demand;
use callcap::estimate::{estimate, FamilyPlan};
use callcap::{
    check, CallKind, Facility, FacilityKind, FeeKind, Jurisdiction, Payment, RateBook, Service,
    Tariff,
};
use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use std::path::Path;

fn read(rel: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)).expect("example file")
}

fn benches(c: &mut Criterion) {
    let book = RateBook::bundled().expect("bundled rate book");
    let date = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let tariff_text = read("rates/examples/ca-county-jail-medium-2026-over-cap-first-minute.toml");
    let tariff = Tariff::from_toml("t.toml", &tariff_text).expect("tariff");
    let bids: Vec<Tariff> = [
        "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
        "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
        "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
    ]
    .iter()
    .map(|p| Tariff::from_toml(p, &read(p)).expect("bid"))
    .collect();
    let demand = Demand::bundled().expect("demand");
    let plan = FamilyPlan {
        call: CallKind {
            service: Service::Audio,
            jurisdiction: Jurisdiction::Intrastate,
            payment: Payment::Prepaid,
        },
        calls_per_month: 16,
        calls_given: callcap::estimate::CallsGiven::PerMonth,
        minutes_per_call: 15,
        deposit: Some(rust_decimal::Decimal::from(25)),
        deposit_method: FeeKind::AutomatedPayment,
    };

    c.bench_function("load the bundled rate book", |b| {
        b.iter(|| RateBook::bundled().expect("book"))
    });
    c.bench_function("rules in force (jail, 2026-06-01)", |b| {
        let f = Facility::new(FacilityKind::Jail, 640);
        b.iter(|| book.rules(black_box(date), &f))
    });
    c.bench_function("parse a tariff", |b| {
        b.iter(|| Tariff::from_toml("t.toml", black_box(&tariff_text)).expect("tariff"))
    });
    c.bench_function("check a tariff", |b| {
        b.iter(|| check(&book, black_box(&tariff), date))
    });
    c.bench_function("check a tariff (rules cached, as in bulk)", |b| {
        let mut checker = callcap::check::Checker::new(&book);
        b.iter(|| checker.check(black_box(&tariff), date))
    });
    c.bench_function("parse and check a tariff", |b| {
        b.iter(|| {
            check(
                &book,
                &Tariff::from_toml("t.toml", black_box(&tariff_text)).expect("tariff"),
                date,
            )
        })
    });
    c.bench_function("estimate a family's month", |b| {
        b.iter(|| estimate(&book, black_box(&tariff), &plan, date).expect("estimate"))
    });
    c.bench_function("compare three bids", |b| {
        b.iter(|| compare(&book, black_box(&bids), &demand, date, None).expect("compare"))
    });

    // The largest tariff accepted: 1 MiB, nearly all of it `other` fees (the one kind that may
    // repeat), each a finding to merge. It must be checked in well under a second.
    let mut largest = String::from(
        "[facility]\nkind = \"jail\"\naverage_daily_population = 640\n\
         [[rate]]\nper_minute = \"0.10\"\n",
    );
    let mut fees = 0;
    while largest.len() < callcap::error::MAX_FILE_BYTES - 64 {
        largest.push_str(&format!(
            "[[fee]]\nkind = \"other\"\namount = \"{}.00\"\n",
            fees % 90 + 1
        ));
        fees += 1;
    }
    let big = Tariff::from_toml("largest.toml", &largest).expect("the largest tariff");
    let mut g = c.benchmark_group(format!("the largest tariff (1 MiB, {fees} fees)"));
    g.sample_size(10);
    g.bench_function("parse", |b| {
        b.iter(|| Tariff::from_toml("largest.toml", black_box(&largest)).expect("tariff"))
    });
    g.bench_function("check", |b| b.iter(|| check(&book, black_box(&big), date)));
    g.finish();
}

criterion_group!(engine, benches);
criterion_main!(engine);
