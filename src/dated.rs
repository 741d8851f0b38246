//! Dated values: a table per effective date, in force until the next date.

use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Tables keyed by the day they take effect. Before the first key there is no table.
#[derive(Debug, Clone)]
pub struct Periods<T>(pub BTreeMap<NaiveDate, T>);

impl<T> Periods<T> {
    /// The table in force on `date` (the latest on or before it) and the day it took effect.
    pub fn at(&self, date: NaiveDate) -> Option<(NaiveDate, &T)> {
        self.0.range(..=date).next_back().map(|(d, t)| (*d, t))
    }

    /// Every effective date, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.0.keys().copied()
    }

    /// Every table with its effective date, in order.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, &T)> {
        self.0.iter().map(|(d, t)| (*d, t))
    }
}

/// Parses a `YYYY-MM-DD` date, saying what is wrong with it if it is not one.
///
/// Read by hand (four, two and two digits), not with chrono's format-string parser, which
/// would add its whole `strftime` machinery to the browser build.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = text.trim().as_bytes();
    let digits = |from: usize, to: usize| {
        t[from..to].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    let date = (t.len() == 10 && t[4] == b'-' && t[7] == b'-')
        .then(|| Some((digits(0, 4)?, digits(5, 7)?, digits(8, 10)?)))
        .flatten()
        .and_then(|(y, m, d)| NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d));
    date.ok_or_else(|| {
        format!("`{text}` is not a real date; write it as YYYY-MM-DD, like \"2026-04-06\"")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn looks_up_the_table_in_force() {
        let p = Periods(BTreeMap::from([
            (d("2021-10-26"), "a"),
            (d("2025-04-01"), "b"),
        ]));
        assert_eq!(p.at(d("2021-10-25")), None);
        assert_eq!(p.at(d("2021-10-26")), Some((d("2021-10-26"), &"a")));
        assert_eq!(p.at(d("2025-03-31")).map(|x| *x.1), Some("a"));
        assert_eq!(p.at(d("2025-04-01")).map(|x| *x.1), Some("b"));
        assert_eq!(p.at(d("2099-01-01")).map(|x| *x.1), Some("b"));
    }

    #[test]
    fn rejects_impossible_and_malformed_dates() {
        for bad in [
            "2026-02-30",
            "2026-13-01",
            "26-01-01",
            "2026-1-1",
            "tomorrow",
            "",
        ] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(d(" 2024-02-29 "), d("2024-02-29"));
    }
}
