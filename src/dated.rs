//! Dated values: a table per effective date, in force until the next date.

use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Tables keyed by the day they take effect. Before the first key there is no table.
///
/// Held as a list sorted by date, each date once (a rate book has a handful of periods per
/// file; a list is looked up as fast as a map and costs the browser build far less code).
// size: a sorted list, not a BTreeMap (less code in the page's build; not re-measured).
#[derive(Debug, Clone, PartialEq)]
pub struct Periods<T>(Vec<(NaiveDate, T)>);

impl<T> Periods<T> {
    /// The table in force on `date` (the latest on or before it) and the day it took effect.
    pub fn at(&self, date: NaiveDate) -> Option<(NaiveDate, &T)> {
        let after = self.0.partition_point(|(d, _)| *d <= date);
        after
            .checked_sub(1)
            .and_then(|i| self.0.get(i))
            .map(|(d, t)| (*d, t))
    }

    /// Every effective date, in order.
    pub fn dates(&self) -> impl Iterator<Item = NaiveDate> + '_ {
        self.0.iter().map(|(d, _)| *d)
    }

    /// Each period's value, to change in place (the dates, and so their order, stay).
    #[cfg(any(test, feature = "pack-writer"))]
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut T> {
        self.0.iter_mut().map(|(_, t)| t)
    }

    /// Every table with its effective date, in order.
    pub fn iter(&self) -> impl Iterator<Item = (NaiveDate, &T)> {
        self.0.iter().map(|(d, t)| (*d, t))
    }

    /// Periods from a list already sorted by date, each date once; `None` otherwise.
    pub fn from_sorted(list: Vec<(NaiveDate, T)>) -> Option<Periods<T>> {
        list.windows(2)
            .all(|w| w[0].0 < w[1].0)
            .then_some(Periods(list))
    }
}

impl<T> From<BTreeMap<NaiveDate, T>> for Periods<T> {
    fn from(map: BTreeMap<NaiveDate, T>) -> Self {
        Periods(map.into_iter().collect())
    }
}

/// Parses a `YYYY-MM-DD` date, saying what is wrong with it if it is not one.
///
/// Read by hand (four, two and two digits), not with chrono's format-string parser, which
/// would add its whole `strftime` machinery to the browser build.
// size: chrono's format-string parser is left out of the page's build (not re-measured); the
// hand reader is also the input rule (exactly YYYY-MM-DD).
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    let t = crate::error::trim(text).as_bytes();
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
        format!(
            "{} is not a real date; write it as YYYY-MM-DD, like \"2026-04-06\"{}",
            crate::error::quoted(text),
            crate::error::invisible_note(text)
        )
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
        let p = Periods::from(BTreeMap::from([
            (d("2021-10-26"), "a"),
            (d("2025-04-01"), "b"),
        ]));
        assert_eq!(p.at(d("2021-10-25")), None);
        assert_eq!(p.at(d("2021-10-26")), Some((d("2021-10-26"), &"a")));
        assert_eq!(p.at(d("2025-03-31")).map(|x| *x.1), Some("a"));
        assert_eq!(p.at(d("2025-04-01")).map(|x| *x.1), Some("b"));
        assert_eq!(p.at(d("2099-01-01")).map(|x| *x.1), Some("b"));
        assert_eq!(
            Periods::<&str>::from_sorted(Vec::new()).map(|p| p.at(d("2026-01-01")).is_none()),
            Some(true)
        );
    }

    #[test]
    fn from_sorted_refuses_unsorted_or_repeated_dates() {
        let (a, b) = (d("2021-10-26"), d("2025-04-01"));
        assert!(Periods::from_sorted(vec![(a, 1), (b, 2)]).is_some());
        assert!(Periods::from_sorted(vec![(b, 1), (a, 2)]).is_none());
        assert!(Periods::from_sorted(vec![(a, 1), (a, 2)]).is_none());
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
