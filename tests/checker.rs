//! The caching checker used for bulk runs gives exactly the results of `check`.

use callcap::check::Checker;
use callcap::{check, RateBook, Tariff};
use std::path::Path;

#[path = "support/files.rs"]
mod support;

#[test]
fn the_cached_checker_agrees_with_check_on_every_example_and_date() {
    let book = RateBook::bundled().unwrap();
    let files = support::with_extension(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("rates/examples"),
        "toml",
    );
    assert!(files.len() >= 12);
    let tariffs: Vec<Tariff> = files
        .iter()
        .map(|f| {
            Tariff::from_toml(
                &f.display().to_string(),
                &std::fs::read_to_string(f).unwrap(),
            )
            .unwrap()
        })
        .collect();
    let mut checker = Checker::new(&book);
    let mut dates = book.change_dates();
    dates.extend(book.change_dates().iter().filter_map(|d| d.pred_opt()));
    // twice over, so the second pass reads every result from the cache
    for _ in 0..2 {
        for &date in &dates {
            for t in &tariffs {
                assert_eq!(
                    checker.check(t, date),
                    check(&book, t, date),
                    "{} on {date}",
                    t.file
                );
            }
        }
    }
}
