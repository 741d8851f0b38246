//! Criterion benchmarks of the facility directory: reading it (once per process in use) and
//! searching all 6,737 facilities.
//!
//! Run: `cargo bench --bench directory` (figures in the README, "Performance").

use callcap::directory::Directory;
use criterion::{black_box, criterion_group, criterion_main, Criterion};

fn benches(c: &mut Criterion) {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rates/facilities/directory.csv"),
    )
    .expect("directory.csv");
    c.bench_function("directory: read and index 6,737 facilities", |b| {
        b.iter(|| Directory::from_csv("directory.csv", black_box(&text)).expect("reads"))
    });
    let directory = Directory::bundled().expect("bundled directory");
    for (name, query, state) in [
        ("exact name", "san quentin state prison", None),
        ("two words", "harris county", None),
        ("a typo", "sna quentin", None),
        ("a city, one state", "coldspring", Some("TX")),
        ("a common word", "county jail", None),
    ] {
        c.bench_function(&format!("directory: search, {name}"), |b| {
            b.iter(|| {
                directory
                    .search(black_box(query), state, 10)
                    .expect("searches")
            })
        });
    }
}

criterion_group!(directory, benches);
criterion_main!(directory);
