//! Dated values: a table per effective date, in force until the next date.

use chrono::NaiveDate;
use serde::{de, Deserialize, Deserializer};
use std::collections::BTreeMap;
use std::fmt;

/// Tables keyed by the day they take effect. Before the first key there is no table.
#[derive(Debug, Clone, Deserialize)]
#[serde(transparent)]
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

/// A calendar date written as a quoted string (`"2026-04-06"`) in a file.
///
/// TOML's bare dates do not deserialize into `chrono` types, so files quote them; an impossible
/// date (`"2026-02-30"`) is an error naming the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct QuotedDate(pub NaiveDate);

impl<'de> Deserialize<'de> for QuotedDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = QuotedDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date in quotes, like \"2026-04-06\"")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<QuotedDate, E> {
                parse_date(v).map(QuotedDate).map_err(E::custom)
            }
        }
        d.deserialize_any(V)
    }
}

/// Parses a `YYYY-MM-DD` date, saying what is wrong with it if it is not one.
pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|_| text.trim().len() == 10)
        .ok_or_else(|| {
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
        #[derive(Deserialize, Debug)]
        struct R {
            #[allow(dead_code)]
            start: QuotedDate,
        }
        let e = toml::from_str::<R>("start = 2026-01-01").unwrap_err();
        assert!(e.message().contains("in quotes"), "{}", e.message());
        let e = toml::from_str::<R>("start = \"2025-02-29\"").unwrap_err();
        assert!(e.message().contains("not a real date"), "{}", e.message());
    }

    #[test]
    fn date_keys_reject_duplicates_and_impossible_dates() {
        #[derive(Deserialize, Debug)]
        struct F {
            #[allow(dead_code)]
            periods: Periods<u8>,
        }
        assert!(toml::from_str::<F>("[periods]\n2021-10-26 = 1\n2021-10-26 = 2\n").is_err());
        assert!(toml::from_str::<F>("[periods]\n2021-02-30 = 1\n").is_err());
    }
}
