//! Spreadsheets: bids and rate tables from CSV and XLSX (src/sheet.rs), and the command line
//! reading them. CSV fixtures are in tests/sheets/; XLSX ones are written here at test time
//! with rust_xlsxwriter (numeric cells, merged cells), as is the 10,000-row table.
#![cfg(feature = "sheets")]

use callcap::sheet::{self, Sheet};
use callcap::{RateBook, Tariff};
use chrono::NaiveDate;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
}

fn open(path: &Path) -> Sheet<'static> {
    let label = path.file_name().unwrap().to_string_lossy().to_string();
    sheet::open(&label, std::fs::read(path).unwrap()).unwrap()
}

/// A comparison as JSON, without the files the bids came from and the lines (rows) of findings.
fn compared(bids: &[Tariff]) -> serde_json::Value {
    let book = RateBook::bundled().unwrap();
    let demand = callcap::demand::Demand::bundled().unwrap();
    let c = callcap::compare::compare(&book, bids, &demand, date(), None).unwrap();
    let mut v = serde_json::to_value(&c).unwrap();
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("file");
                m.remove("line");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    strip(&mut v);
    v
}

#[test]
fn the_templates_compare_as_the_toml_bids_do() {
    let dir = root().join("rates/examples/bids");
    let mut toml: Vec<Tariff> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| Tariff::from_toml("b.toml", &std::fs::read_to_string(p).unwrap()).unwrap())
        .collect();
    toml.sort_by_key(Tariff::label);
    // The provider's effective date is not a column; a comparison does not use it.
    for t in &mut toml {
        if let Some(p) = &mut t.provider {
            p.effective = None;
        }
    }
    let want = compared(&toml);
    for name in ["bids-template.csv", "bids-template.xlsx"] {
        let bids = sheet::bids(open(&dir.join(name))).unwrap();
        assert_eq!(bids.len(), 3, "{name}");
        assert_eq!(compared(&bids), want, "{name}");
        // Written as TOML (as the page hands a sheet's bids to the module that compares them),
        // they compare the same.
        let written: Vec<Tariff> = bids
            .iter()
            .map(|b| Tariff::from_toml(&b.file, &b.to_toml()).unwrap())
            .collect();
        assert_eq!(compared(&written), want, "{name}, written as TOML");
        for (s, t) in bids.iter().zip(&toml) {
            assert_eq!(s.rates.len(), t.rates.len());
            assert_eq!(
                s.fees
                    .iter()
                    .map(|f| (f.kind, f.amount))
                    .collect::<Vec<_>>(),
                t.fees
                    .iter()
                    .map(|f| (f.kind, f.amount))
                    .collect::<Vec<_>>()
            );
            assert_eq!(s.commission, t.commission);
            assert_eq!(s.bid, t.bid);
        }
    }
}

#[test]
fn a_rate_table_gives_a_tariff_per_facility() {
    let out: Vec<_> =
        sheet::rate_table(open(&root().join("tests/sheets/table-good.csv"))).collect();
    assert_eq!(out.len(), 2);
    let jail = out[0].as_ref().unwrap();
    assert_eq!(jail.rates.len(), 2);
    assert_eq!(jail.rates[0].per_minute.to_string(), "0.12");
    let prison = out[1].as_ref().unwrap();
    assert_eq!(
        prison.file,
        "table-good.csv rows 4–4 (Lakeside State Prison)"
    );
    assert_eq!(prison.fees.len(), 1);
    assert_eq!(prison.commission.percent_of_revenue.to_string(), "10");
}

#[test]
fn bad_cells_fail_their_facility_only() {
    let out: Vec<String> = sheet::rate_table(open(&root().join("tests/sheets/table-bad.csv")))
        .map(|r| match r {
            Ok(t) => format!("ok: {}", t.facility.name.unwrap()),
            Err(e) => format!("error: {e}"),
        })
        .collect();
    insta::assert_snapshot!(out.join("\n"));
}

#[test]
fn extra_columns_and_conflicting_bid_values_are_errors() {
    let e = sheet::rate_table(open(&root().join("tests/sheets/table-extra-column.csv")))
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("table-extra-column.csv:1:5: colour: cell E1: unknown column \"colour\""),
        "{e}"
    );
    assert!(e.contains("header starting with `note`"), "{e}");
    let e = sheet::bids(open(&root().join("tests/sheets/bids-bad.csv")))
        .unwrap_err()
        .to_string();
    assert!(e.starts_with("bids-bad.csv:3:6: commission_percent: cell F3: `commission_percent` is 20 here but 55 on row 2"), "{e}");
}

fn xlsx(name: &str, write: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("callcap-sheets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let mut book = Workbook::new();
    write(book.add_worksheet().set_name("Rates").unwrap());
    book.save(&path).unwrap();
    path
}

const HEAD: &[&str] = &[
    "facility",
    "kind",
    "average_daily_population",
    "service",
    "per_minute",
];

#[test]
fn xlsx_numbers_are_read_exactly_and_bad_cells_named() {
    let path = xlsx("numbers.xlsx", |s| {
        // an empty first row and column: the header is the first row with a value
        for (c, h) in HEAD.iter().enumerate() {
            s.write_string(1, c as u16 + 1, *h).unwrap();
        }
        s.write_string(2, 1, "A Jail").unwrap();
        s.write_string(2, 2, "Jail").unwrap();
        s.write_number(2, 3, 640.0).unwrap();
        s.write_string(2, 4, "audio").unwrap();
        s.write_number(2, 5, 0.21).unwrap();
        s.write_string(3, 1, "B Jail").unwrap();
        s.write_string(3, 2, "jail").unwrap();
        s.write_number(3, 3, 640.0).unwrap();
        s.write_number(3, 5, 0.1 + 0.2).unwrap();
    });
    let out: Vec<_> = sheet::rate_table(open(&path)).collect();
    assert_eq!(
        out[0].as_ref().unwrap().rates[0].per_minute.to_string(),
        "0.21"
    );
    let e = out[1].as_ref().unwrap_err().to_string();
    assert!(e.starts_with("numbers.xlsx [Rates]:4:6: per_minute: cell F4: `0.30000000000000004` has 17 decimal places"), "{e}");
}

#[test]
fn merged_cells_in_the_header_are_an_error_below_it_a_value_for_each_cell() {
    let path = xlsx("merged-header.xlsx", |s| {
        s.merge_range(0, 0, 0, 1, "facility", &rust_xlsxwriter::Format::new())
            .unwrap();
        s.write_string(0, 2, "per_minute").unwrap();
    });
    let e = sheet::rate_table(open(&path))
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("merged-header.xlsx [Rates]:1: the header has merged cells (A1:B1)"),
        "{e}"
    );
    let path = xlsx("merged-body.xlsx", |s| {
        for (c, h) in HEAD.iter().enumerate() {
            s.write_string(0, c as u16, *h).unwrap();
        }
        let f = rust_xlsxwriter::Format::new();
        s.merge_range(1, 0, 2, 0, "A Jail", &f).unwrap();
        s.merge_range(1, 1, 2, 1, "jail", &f).unwrap();
        s.write_number(1, 2, 640.0).unwrap();
        s.write_string(1, 3, "audio").unwrap();
        s.write_string(2, 3, "video").unwrap();
        s.write_string(1, 4, "$0.12").unwrap();
        s.write_number(2, 4, 0.19).unwrap();
    });
    let out: Vec<_> = sheet::rate_table(open(&path)).collect();
    assert_eq!(out.len(), 1, "{out:?}");
    assert_eq!(out[0].as_ref().unwrap().rates.len(), 2);
}

/// `rows` rows, two a facility, with the rates of `per_minute`.
pub fn table(rows: usize) -> String {
    let mut text =
        String::from("facility,kind,average_daily_population,state,service,per_minute\n");
    for i in 0..rows {
        let service = if i % 2 == 0 { "audio" } else { "video" };
        text.push_str(&format!(
            "Facility {},jail,{},TX,{service},0.{:02}\n",
            i / 2,
            100 + (i / 2) % 900,
            10 + i % 20
        ));
    }
    text
}

#[test]
fn a_table_of_10000_rows_is_checked() {
    let book = RateBook::bundled().unwrap();
    let mut checker = callcap::check::Checker::new(&book);
    let text = table(10_000);
    let mut n = 0;
    for t in sheet::rate_table(Sheet::from_csv("big.csv", text.as_bytes())) {
        let t = t.unwrap();
        assert_eq!(t.rates.len(), 2);
        checker.check(&t, date());
        n += 1;
    }
    assert_eq!(n, 5000);
}

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(root())
        .output()
        .unwrap();
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn cli_checks_a_rate_table_and_reports_bad_rows_exiting_2() {
    insta::assert_snapshot!(run(&[
        "check",
        "--date",
        "2026-07-01",
        "tests/sheets/table-good.csv",
        "tests/sheets/table-bad.csv"
    ]));
}

#[test]
fn cli_compares_the_template_like_the_toml_bids() {
    let sheet = run(&[
        "compare",
        "--date",
        "2026-07-01",
        "--format",
        "json",
        "rates/examples/bids/bids-template.xlsx",
    ]);
    insta::assert_snapshot!(run(&[
        "compare",
        "--date",
        "2026-07-01",
        "rates/examples/bids/bids-template.csv"
    ]));
    assert!(sheet.starts_with("exit: 1"), "{sheet}");
}
