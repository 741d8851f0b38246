//! Criterion benchmarks of the bulk-check hot paths, per file, on 1,000 synthetic tariffs from
//! `examples/generate_tariffs.rs` (seed 1): a floor (parsing into the `toml` crate's document,
//! `toml::de::DeTable`, as the core does before its strict reader), parsing into
//! a `Tariff`, resolving the rules in force, checking (with the rules resolved per tariff, and
//! cached per tier as `callcap check` does), and the whole per-file pipeline up to the JSON of
//! the result. Throughput is in files per second, on one core.
//!
//! Run: `cargo bench --bench bulk` (figures in docs/scale.md).

use callcap::check::Checker;
use callcap::{check, RateBook, Tariff};
use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

#[path = "../examples/generate_tariffs.rs"]
#[allow(dead_code)]
mod generate_tariffs;

const FILES: u64 = 1_000;
const SEED: u64 = 1;

fn benches(c: &mut Criterion) {
    let book = RateBook::bundled().expect("bundled rate book");
    let date = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let texts: Vec<(String, String)> = (0..FILES)
        .map(|i| (format!("t{i:06}.toml"), generate_tariffs::tariff(SEED, i)))
        .collect();
    let tariffs: Vec<Tariff> = texts
        .iter()
        .map(|(name, text)| Tariff::from_toml(name, text).expect("generated tariffs are valid"))
        .collect();

    let mut g = c.benchmark_group("bulk (1,000 synthetic tariffs)");
    g.throughput(Throughput::Elements(FILES));
    g.sample_size(20);
    g.bench_function("floor: parse into a toml::de::DeTable document", |b| {
        b.iter(|| {
            for (_, text) in &texts {
                black_box(toml::de::DeTable::parse(black_box(text.as_str())).expect("TOML"));
            }
        })
    });
    g.bench_function("parse into a Tariff", |b| {
        b.iter(|| {
            for (name, text) in &texts {
                black_box(Tariff::from_toml(name, black_box(text)).expect("tariff"));
            }
        })
    });
    g.bench_function("rules in force", |b| {
        b.iter(|| {
            for t in &tariffs {
                black_box(book.rules(black_box(date), &t.facility));
            }
        })
    });
    g.bench_function("check a parsed tariff", |b| {
        b.iter(|| {
            for t in &tariffs {
                black_box(check(&book, black_box(t), date));
            }
        })
    });
    g.bench_function(
        "check with a Checker (rules cached per tier, as the CLI does)",
        |b| {
            b.iter(|| {
                let mut checker = Checker::new(&book);
                for t in &tariffs {
                    black_box(checker.check(black_box(t), date));
                }
            })
        },
    );
    g.bench_function("parse, check and write JSON", |b| {
        b.iter(|| {
            for (name, text) in &texts {
                let t = Tariff::from_bytes(name, black_box(text.as_bytes())).expect("tariff");
                let r = check(&book, &t, date);
                black_box(serde_json::to_string(&r).expect("JSON"));
            }
        })
    });
    g.finish();
}

criterion_group!(bulk, benches);
criterion_main!(bulk);
