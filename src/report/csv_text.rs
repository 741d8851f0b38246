//! A small CSV writer for the row structs of `rows.rs`, for the page's comparison CSV.
//!
// size: the `csv` crate (with serde) adds 17.6 KB gzip to the page's module: measured with
// `scripts/build-wasm.sh --no-node` (rustup route, std built for size), the shipped
// web/pkg/callcap_wasm_bg.wasm went from 124,675 to 142,328 bytes (gzip -9) when
// `comparison_csv` wrote its rows with `csv::Writer::serialize`. The page can spare about 3 KB,
// so it writes the same row structs with this writer instead (header from their field names,
// quoting as the csv crate quotes): 125,062 bytes, 387 more than the hand-written header and row
// arrays it replaces. The CLI writes every CSV, this layout included, with the csv crate; a test
// checks that both write the same text.

use crate::compare::Comparison;
use serde::ser::{Impossible, Serialize, SerializeStruct, Serializer};
use std::fmt;

/// A comparison as CSV for county staff (the page's download; the CLI's `compare --format csv`
/// writes the same rows with the csv crate): a header, then one line per bid, each ending in
/// `\n`.
pub fn comparison_csv(c: &Comparison) -> String {
    lines(&c.csv_rows())
}

/// The header of a CSV layout: the field names of a row of it, in order.
pub fn csv_header<R: Serialize>(row: &R) -> Vec<&'static str> {
    let mut names = Vec::new();
    // A row struct always serializes (see `Sink`); anything else gives no header.
    let _ = row.serialize(Sink::Names(&mut names));
    names
}

/// The header (from the first row) and one line per row, each ending in `\n`; empty without
/// rows. A row of a type this writer cannot write (see `Sink`) ends the text before it.
fn lines<R: Serialize>(rows: &[R]) -> String {
    let mut out = String::new();
    if let Some(first) = rows.first() {
        for name in csv_header(first) {
            cell(&mut out, name);
        }
        end_line(&mut out);
    }
    for row in rows {
        let start = out.len();
        if row.serialize(Sink::Cells(&mut out)).is_err() {
            out.truncate(start);
            break;
        }
        end_line(&mut out);
    }
    out
}

/// Appends one cell and its comma, quoted as the csv crate quotes (only when it holds a comma,
/// a quote or a line end).
fn cell(out: &mut String, text: &str) {
    if text
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
    {
        out.push('"');
        out.push_str(&text.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(text);
    }
    out.push(',');
}

/// Ends a line: the last cell's comma becomes the line end.
fn end_line(out: &mut String) {
    if out.ends_with(',') {
        out.pop();
    }
    out.push('\n');
}

/// Where a row struct goes: its field names (the header), or its cells (a line). In `Cells`
/// the writer takes text, whole numbers, booleans, unit enum variants (the vocabulary words,
/// renamed as serde renames them) and options of these (none is an empty cell); anything else,
/// and anything but a struct in `Names`, is refused with [`fmt::Error`]. A test writes every
/// row struct.
enum Sink<'o> {
    Names(&'o mut Vec<&'static str>),
    Cells(&'o mut String),
}

impl Sink<'_> {
    fn text(self, text: &str) -> fmt::Result {
        match self {
            Sink::Cells(out) => {
                cell(out, text);
                Ok(())
            }
            Sink::Names(_) => Err(fmt::Error),
        }
    }
}

impl SerializeStruct for Sink<'_> {
    type Ok = ();
    type Error = fmt::Error;
    fn serialize_field<T: ?Sized + Serialize>(&mut self, key: &'static str, v: &T) -> fmt::Result {
        match self {
            Sink::Names(names) => {
                names.push(key);
                Ok(())
            }
            Sink::Cells(out) => v.serialize(Sink::Cells(out)),
        }
    }
    fn end(self) -> fmt::Result {
        Ok(())
    }
}

/// Serializer methods, each writing its value as displayed text.
macro_rules! displayed {
    ($($method:ident: $ty:ty),* $(,)?) => {
        $(fn $method(self, v: $ty) -> fmt::Result {
            self.text(&v.to_string())
        })*
    };
}

/// Serializer methods, each refusing its value.
macro_rules! refused {
    ($($method:ident($($arg:ty),*) -> $ret:ty;)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<$ret, fmt::Error> {
            Err(fmt::Error)
        })*
    };
}

impl Serializer for Sink<'_> {
    type Ok = ();
    type Error = fmt::Error;
    type SerializeSeq = Impossible<(), fmt::Error>;
    type SerializeTuple = Impossible<(), fmt::Error>;
    type SerializeTupleStruct = Impossible<(), fmt::Error>;
    type SerializeTupleVariant = Impossible<(), fmt::Error>;
    type SerializeMap = Impossible<(), fmt::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), fmt::Error>;

    displayed! {
        serialize_bool: bool, serialize_char: char,
        serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64,
        serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64,
    }

    fn serialize_str(self, v: &str) -> fmt::Result {
        self.text(v)
    }
    fn serialize_none(self) -> fmt::Result {
        self.text("")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, v: &T) -> fmt::Result {
        v.serialize(self)
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> fmt::Result {
        self.text(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        v: &T,
    ) -> fmt::Result {
        v.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> fmt::Result {
        Err(fmt::Error)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, fmt::Error> {
        Ok(self)
    }

    refused! {
        serialize_f32(f32) -> ();
        serialize_f64(f64) -> ();
        serialize_bytes(&[u8]) -> ();
        serialize_unit() -> ();
        serialize_unit_struct(&'static str) -> ();
        serialize_seq(Option<usize>) -> Self::SerializeSeq;
        serialize_tuple(usize) -> Self::SerializeTuple;
        serialize_tuple_struct(&'static str, usize) -> Self::SerializeTupleStruct;
        serialize_tuple_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeTupleVariant;
        serialize_map(Option<usize>) -> Self::SerializeMap;
        serialize_struct_variant(&'static str, u32, &'static str, usize)
            -> Self::SerializeStructVariant;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{CallKind, Jurisdiction, Payment, Service};
    use crate::check::RuleId;
    use crate::facility::{Facility, FacilityKind};
    use crate::ratebook::{Applies, Confidence, PerCallRule, RateBook, Severity};
    use crate::report::{CapRow, CapsReport, CheckRow, FileResult};
    use crate::tariff::{CommissionBasis, FeeKind, Tariff};
    use crate::vocab::Word;
    use chrono::NaiveDate;

    /// What the csv crate writes for the same rows (the CLI's writer).
    fn by_csv_crate<R: Serialize>(rows: &[R]) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        for row in rows {
            w.serialize(row).expect("the csv crate writes the row");
        }
        String::from_utf8(w.into_inner().expect("flush")).expect("UTF-8")
    }

    fn assert_same<R: Serialize>(what: &str, rows: &[R]) {
        let ours = lines(rows);
        assert!(ours.lines().count() > rows.len(), "{what}: {ours}");
        assert_eq!(ours, by_csv_crate(rows), "{what}");
    }

    fn date(s: &str) -> NaiveDate {
        crate::dated::parse_date(s).expect("a date")
    }

    fn example(name: &str) -> Tariff {
        let path = format!("{}/rates/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).expect("an example file");
        Tariff::from_toml(&path, &text).expect("an example tariff")
    }

    fn examples() -> Vec<Tariff> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rates/examples");
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .expect("rates/examples")
            .map(|e| {
                e.expect("an entry")
                    .file_name()
                    .to_string_lossy()
                    .into_owned()
            })
            .filter(|n| n.ends_with(".toml"))
            .collect();
        names.sort();
        names.iter().map(|n| example(n)).collect()
    }

    /// The page's writer and the csv crate write every layout the same, on the examples.
    #[test]
    fn every_layout_is_written_as_the_csv_crate_writes_it() {
        let book = RateBook::bundled().expect("bundled");
        for day in ["2013-06-01", "2016-07-01", "2022-06-01", "2026-06-01"] {
            for (kind, adp) in [(FacilityKind::Jail, 300), (FacilityKind::Prison, 2000)] {
                let report = CapsReport::new(&book.rules(date(day), &Facility::new(kind, adp)));
                let rows = report.csv_rows();
                if rows.is_empty() {
                    let header = csv_header(&CapRow::blank()).join(",");
                    assert!(by_csv_crate(&[CapRow::blank()]).starts_with(&header));
                } else {
                    assert_same(day, &rows);
                }
            }
        }
        let tariffs = examples();
        for day in ["2015-06-01", "2019-06-01", "2026-06-01"] {
            let results: Vec<FileResult> = tariffs
                .iter()
                .map(|t| FileResult::Checked(crate::check(&book, t, date(day))))
                .chain([FileResult::Failed {
                    file: "bad, \"quoted\".toml".into(),
                    compliant: false,
                    error: "bad.toml:1:1: two\nlines".into(),
                }])
                .collect();
            let version = book.versions();
            let rows: Vec<CheckRow> = results
                .iter()
                .flat_map(|r| r.csv_rows(date(day), &version))
                .collect();
            assert_same(day, &rows);
        }
        let calls: Vec<CallKind> = CallKind::all_capped().collect();
        let mut estimates = 0;
        for (t, &call) in tariffs.iter().zip(calls.iter().cycle()) {
            let plan = crate::estimate::FamilyPlan {
                call,
                calls_per_month: 16,
                calls_given: crate::estimate::CallsGiven::PerMonth,
                minutes_per_call: 15,
                deposit: None,
                deposit_method: FeeKind::AutomatedPayment,
            };
            let Ok(e) = crate::estimate::estimate(&book, t, &plan, date("2026-06-01")) else {
                continue; // a tariff without a rate for this call
            };
            assert_same("estimate", &[e.csv_row()]);
            estimates += 1;
        }
        assert!(estimates > 10, "{estimates} estimates");
        let bids: Vec<Tariff> = [
            "riverbend-vendor-a-high-commission.toml",
            "riverbend-vendor-b-no-commission-under-cap.toml",
            "riverbend-vendor-c-middle-starts-2025.toml",
        ]
        .iter()
        .map(|n| example(&format!("bids/{n}")))
        .collect();
        let demand = crate::demand::Demand::bundled().expect("demand");
        let c = crate::compare::compare(&book, &bids, &demand, date("2025-10-01"), None)
            .expect("a comparison");
        assert_eq!(comparison_csv(&c), by_csv_crate(&c.csv_rows()));
        assert!(comparison_csv(&c).starts_with("date,name,file,average_daily_population,"));
    }

    /// Text that must be quoted, and text that must not.
    #[test]
    fn cells_are_quoted_as_the_csv_crate_quotes_them() {
        #[derive(serde::Serialize)]
        struct Row<'a> {
            text: &'a str,
            none: Option<&'a str>,
        }
        for text in [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "two\nlines",
            "cr\rlf",
            " lead",
            "trail ",
            "#hash",
            "'single'",
            "tab\there",
            "§ 64.6030 — FCC",
            "a;b",
            "=1+1",
        ] {
            let row = [Row { text, none: None }];
            assert_eq!(lines(&row), by_csv_crate(&row), "{text:?}");
        }
    }

    /// A row with a value this writer does not write (a float) is left out whole, not cut.
    #[test]
    fn a_row_it_cannot_write_is_left_out_whole() {
        #[derive(serde::Serialize)]
        struct Row {
            name: &'static str,
            share: f64,
        }
        let rows = [Row {
            name: "a",
            share: 0.5,
        }];
        assert_eq!(lines(&rows), "name,share\n");
        assert_eq!(csv_header(&rows[0]), ["name", "share"]);
        assert!(csv_header(&"not a struct").is_empty());
    }

    /// Every vocabulary word is written in a CSV cell as the JSON spells it (as serde renames
    /// the variant), by this writer and by the csv crate, and as files, the CLI and the tables
    /// spell it (`word`).
    #[test]
    fn every_vocabulary_word_is_spelled_as_in_json() {
        fn spelled_alike<T: Serialize + Copy>(words: &[T], word: fn(T) -> &'static str) -> usize {
            #[derive(serde::Serialize)]
            struct One<T> {
                word: T,
            }
            for &w in words {
                assert_eq!(serde_json::to_value(w).ok(), Some(word(w).into()));
                let expected = format!("word\n{}\n", word(w));
                assert_eq!(lines(&[One { word: w }]), expected);
                assert_eq!(by_csv_crate(&[One { word: w }]), expected);
            }
            words.len()
        }
        let counted = spelled_alike(RuleId::ALL, RuleId::as_str)
            + spelled_alike(CommissionBasis::ALL, Word::word)
            + spelled_alike(Service::ALL, Word::word)
            + spelled_alike(Jurisdiction::ALL, Word::word)
            + spelled_alike(Payment::ALL, Word::word)
            + spelled_alike(FacilityKind::ALL, Word::word)
            + spelled_alike(FeeKind::ALL, Word::word)
            + spelled_alike(Applies::ALL, Word::word)
            + spelled_alike(Confidence::ALL, Word::word)
            + spelled_alike(Severity::ALL, Word::word)
            + spelled_alike(PerCallRule::ALL, Word::word);
        assert!(counted > 35, "{counted} words");
    }
}
