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

// ---------------------------------------------------------------------------------------------
// The core's XLSX reader (src/sheet/xlsx.rs) against calamine, and its errors.

use callcap::sheet::xlsx::{first_sheet, FirstSheet, Merge};
use callcap::sheet::{Cell, Row};

/// The first sheet as calamine reads it, converted as the core converted calamine's cells
/// when it read XLSX with calamine: the oracle the core's own reader is held to.
fn calamine_first_sheet(bytes: &[u8]) -> FirstSheet {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    book.load_merged_regions().unwrap();
    let merges = book
        .merged_regions_by_sheet(&name)
        .into_iter()
        .map(|(_, _, d)| Merge {
            first: (d.start.0 as usize, d.start.1 as usize),
            last: (d.end.0 as usize, d.end.1 as usize),
        })
        .collect();
    let (top, left) = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, r)| {
            let mut cells = vec![Cell::Empty; left as usize];
            cells.extend(r.iter().map(|d| match d {
                Data::Empty => Cell::Empty,
                Data::String(s) => Cell::Text(s.clone()),
                Data::Int(n) => Cell::Number(*n as f64),
                Data::Float(f) => Cell::Number(*f),
                Data::DateTime(d) => Cell::Date(d.as_f64()),
                Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
                Data::Bool(b) => Cell::Other(b.to_string()),
                Data::Error(e) => Cell::Other(format!("{e}")),
            }));
            Row {
                number: top as usize + i + 1,
                cells,
            }
        })
        .collect();
    FirstSheet { name, rows, merges }
}

/// A workbook of the given parts (path, text), stored uncompressed: for what rust_xlsxwriter
/// does not write.
fn zip_of(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, text) in parts {
        w.start_file(*name, stored).unwrap();
        w.write_all(text).unwrap();
    }
    w.finish().unwrap().into_inner()
}

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#;

fn workbook_xml(pr: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">{pr}<sheets><sheet name="Hand &amp; made" sheetId="1" r:id="rId1"/></sheets></workbook>"#
    )
}

const STYLES: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd"/><numFmt numFmtId="165" formatCode="&quot;$&quot;#,##0.00"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs></styleSheet>"#;

const STRINGS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="5"><si><t>facility</t></si><si><r><rPr><b/></rPr><t xml:space="preserve">Rich </t></r><r><t>text</t></r><rPh sb="0" eb="1"><t>PHONETIC</t></rPh></si><si><t>a_x000D_b _x005F_x000D_ &lt;&amp;&gt; &#233;&#x4E2D; Se&#241;ora</t></si><si/><si><t>line
two</t></si></sst>"#;

/// Every kind of cell the reader knows, as Excel and LibreOffice write them (and some only a
/// hand writes: cells and rows without `r`, inline strings, a formula's cached text).
fn hand_made_sheet() -> String {
    r#"<?xml version="1.0" encoding="UTF-8"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="B2:H9"/><sheetData>
<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c><c r="E2" t="s"><v>3</v></c><c r="F2" t="s"><v>4</v></c></row>
<row r="3"><c r="B3"><v>0.21</v></c><c r="C3"><v>0.30000000000000004</v></c><c r="D3" s="1"><v>46204</v></c><c r="E3" s="3"><v>46204.5</v></c><c r="F3" s="2"><v>1.5</v></c><c r="G3" s="4"><v>0.75</v></c><c r="H3" s="9"><v>7</v></c></row>
<row r="4"><c r="B4" t="b"><v>1</v></c><c r="C4" t="b"><v>0</v></c><c r="D4" t="e"><v>#DIV/0!</v></c><c r="E4" t="str"><f>A1&amp;"x"</f><v>cached &amp; text</v></c><c r="F4" t="inlineStr"><is><t>inline</t></is></c><c r="G4" t="d"><v>2026-07-01T00:00:00</v></c></row>
<row r="5"><c r="B5" s="1"/><c r="C5"><f>1+1</f><v>2</v></c><c r="D5"><v></v></c><c r="E5"><v>not a number</v></c><c r="F5" t="n"><v>-1.5E+3</v></c></row>
<row><c><v>6</v></c><c><v>7</v></c></row>
<row r="9"><c r="H9" t="s"><v>0</v></c></row>
</sheetData><mergeCells count="2"><mergeCell ref="B7:C8"/><mergeCell ref="H9"/></mergeCells></worksheet>"#
        .to_string()
}

fn hand_made(pr: &str, sheet: &str) -> Vec<u8> {
    zip_of(&[
        ("xl/workbook.xml", workbook_xml(pr).as_bytes()),
        ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
        ("xl/styles.xml", STYLES.as_bytes()),
        ("xl/sharedStrings.xml", STRINGS.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// Every XLSX workbook of the repository, and ones written here as Excel does (rust_xlsxwriter:
/// numbers, dates, booleans, formulas, rich text, merged cells, a second sheet) and by hand.
fn workbooks() -> Vec<(String, Vec<u8>)> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(&p, out);
            } else if p
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
            {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    for dir in ["rates", "tests", "examples", "web/public", "web/e2e"] {
        if root().join(dir).is_dir() {
            walk(&root().join(dir), &mut paths);
        }
    }
    assert!(!paths.is_empty(), "the repository's workbooks");
    let mut books: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| (p.display().to_string(), std::fs::read(p).unwrap()))
        .collect();
    let mut book = Workbook::new();
    let s = book.add_worksheet().set_name("Kinds").unwrap();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let plain = rust_xlsxwriter::Format::new();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    let builtin = rust_xlsxwriter::Format::new().set_num_format_index(14);
    let money = rust_xlsxwriter::Format::new().set_num_format("$#,##0.00");
    s.write_string(1, 1, "facility").unwrap();
    s.write_string(1, 2, "a & b < c \"q\"").unwrap();
    s.write_string(1, 3, "line\r\nbreak\ttab _x000D_ Señora 日本")
        .unwrap();
    s.write_rich_string(1, 4, &[(&bold, "Rich "), (&plain, "text")])
        .unwrap();
    s.write_number(2, 1, 0.21).unwrap();
    s.write_number(2, 2, 0.1 + 0.2).unwrap();
    s.write_number(2, 3, 1e20).unwrap();
    s.write_number_with_format(2, 4, 12.5, &money).unwrap();
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 7, 1).unwrap();
    s.write_date_with_format(3, 1, &day, &date).unwrap();
    s.write_date_with_format(3, 2, &day, &builtin).unwrap();
    s.write_boolean(3, 3, true).unwrap();
    s.write_boolean(3, 4, false).unwrap();
    s.write_formula(
        4,
        1,
        rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!"),
    )
    .unwrap();
    s.write_formula(
        4,
        2,
        rust_xlsxwriter::Formula::new("=\"a\"&\"b\"").set_result("ab"),
    )
    .unwrap();
    s.write_formula(4, 3, "=2+2").unwrap();
    s.write_blank(4, 4, &date).unwrap();
    s.merge_range(6, 1, 7, 2, "merged", &plain).unwrap();
    s.write_string(30, 10, "far").unwrap();
    book.add_worksheet()
        .set_name("Second")
        .unwrap()
        .write_string(0, 0, "not read")
        .unwrap();
    books.push(("kinds.xlsx".into(), book.save_to_buffer().unwrap()));
    let mut empty = Workbook::new();
    empty.add_worksheet();
    books.push(("empty.xlsx".into(), empty.save_to_buffer().unwrap()));
    books.push(("hand-made.xlsx".into(), hand_made("", &hand_made_sheet())));
    books
}

#[test]
fn the_xlsx_reader_reads_every_workbook_as_calamine_does() {
    let books = workbooks();
    for (name, bytes) in &books {
        let ours = first_sheet(name, bytes.clone()).unwrap();
        let theirs = calamine_first_sheet(bytes);
        assert_eq!(ours.name, theirs.name, "{name}");
        assert_eq!(ours.merges, theirs.merges, "{name}");
        assert_eq!(ours.rows.len(), theirs.rows.len(), "{name}");
        for (a, b) in ours.rows.iter().zip(&theirs.rows) {
            assert_eq!(a, b, "{name}, row {}", b.number);
        }
    }
    // The hand-made workbook holds what it is meant to (so the agreement is not of two blanks).
    let hand = first_sheet("h.xlsx", hand_made("", &hand_made_sheet())).unwrap();
    assert_eq!(hand.name, "Hand & made");
    let row = |n: usize| &hand.rows.iter().find(|r| r.number == n).unwrap().cells;
    assert_eq!(
        row(2)[1..6],
        [
            Cell::Text("facility".into()),
            Cell::Text("Rich text".into()),
            Cell::Text("a\rb _x000D_ <&> é中 Señora".into()),
            Cell::Text(String::new()),
            Cell::Text("line\ntwo".into()),
        ]
    );
    assert_eq!(
        row(3)[1..8],
        [
            Cell::Number(0.21),
            Cell::Number(0.30000000000000004),
            Cell::Date(46204.0),
            Cell::Date(46204.5),
            Cell::Number(1.5),
            Cell::Date(0.75),
            Cell::Number(7.0),
        ]
    );
    assert_eq!(
        row(4)[1..7],
        [
            Cell::Other("true".into()),
            Cell::Other("false".into()),
            Cell::Other("#DIV/0!".into()),
            Cell::Text("cached & text".into()),
            Cell::Text("inline".into()),
            Cell::Text("2026-07-01T00:00:00".into()),
        ]
    );
    assert_eq!(
        row(5)[1..6],
        [
            Cell::Empty,
            Cell::Number(2.0),
            Cell::Empty,
            Cell::Text("not a number".into()),
            Cell::Number(-1500.0)
        ]
    );
    // A row without `r` follows the one before; its cells without `r` follow each other.
    assert_eq!(row(6)[0..2], [Cell::Number(6.0), Cell::Number(7.0)]);
    assert_eq!(hand.rows.first().unwrap().number, 2);
    assert_eq!(hand.rows.last().unwrap().number, 9);
    assert!(books.len() >= 4);
}

#[test]
fn a_workbook_of_the_1904_date_system_gives_dates_of_the_1900_system() {
    // calamine hands over the stored serial; the core reads serials of the 1900 system, so the
    // reader moves a 1904 serial by 1,462 days (its dates were read 4 years early before).
    let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" s="1"><v>44742</v></c><c r="B1"><v>44742</v></c></row></sheetData></worksheet>"#;
    let book = hand_made(r#"<workbookPr date1904="1"/>"#, sheet);
    let read = first_sheet("mac.xlsx", book).unwrap();
    assert_eq!(
        read.rows[0].cells,
        [Cell::Date(44742.0 + 1462.0), Cell::Number(44742.0)]
    );
}

#[test]
fn a_file_that_is_not_a_readable_workbook_is_an_error_naming_what_is_wrong() {
    let template = std::fs::read(root().join("rates/examples/bids/bids-template.xlsx")).unwrap();
    let sheet_with = |cells: &str| {
        format!("<worksheet><sheetData><row r=\"1\">{cells}</row></sheetData></worksheet>")
    };
    let mut damaged = hand_made("", &hand_made_sheet());
    let at = damaged.windows(8).position(|w| w == b"cached &").unwrap();
    damaged[at] = b'C';
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("text", b"facility,per_minute\n".to_vec(), "t.xlsx: not an XLSX workbook (not a zip archive); save it as .xlsx or .csv"),
        ("empty", Vec::new(), "t.xlsx: not an XLSX workbook (not a zip archive)"),
        ("cut short", template[..template.len() / 2].to_vec(), "t.xlsx: not an XLSX workbook (not a zip archive)"),
        ("an .xls or encrypted", [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0].to_vec(), "t.xlsx: an encrypted workbook or an Excel 97-2003 (.xls) file"),
        ("damaged data", damaged, "t.xlsx: not an XLSX workbook that can be read: `xl/worksheets/sheet1.xml` is damaged (its CRC-32 does not match)"),
        ("no relationships", zip_of(&[("xl/workbook.xml", workbook_xml("").as_bytes())]), "t.xlsx: not an XLSX workbook: it has no `xl/_rels/workbook.xml.rels`"),
        ("no workbook", zip_of(&[("xl/_rels/workbook.xml.rels", RELS.as_bytes())]), "t.xlsx: not an XLSX workbook: it has no `xl/workbook.xml`"),
        ("no sheet", zip_of(&[("xl/workbook.xml", b"<workbook><sheets/></workbook>"), ("xl/_rels/workbook.xml.rels", RELS.as_bytes())]), "t.xlsx: the workbook has no sheet"),
        ("sheet missing", zip_of(&[("xl/workbook.xml", workbook_xml("").as_bytes()), ("xl/_rels/workbook.xml.rels", RELS.as_bytes())]), "t.xlsx: the sheet `Hand & made` is missing from the workbook (no `xl/worksheets/sheet1.xml`)"),
        ("not a worksheet", hand_made("", "<chartsheet><drawing/></chartsheet>"), "t.xlsx: `xl/worksheets/sheet1.xml`: the first sheet `Hand & made` is not a worksheet"),
        ("bad XML", hand_made("", &sheet_with("<c r=\"A1\" t=s><v>1</v></c>")), "t.xlsx: not an XLSX workbook that can be read: `xl/worksheets/sheet1.xml`, byte "),
        ("cut-off XML", hand_made("", "<worksheet><sheetData><row><c r=\"A1\"><v>1"), "t.xlsx: not an XLSX workbook that can be read: `xl/worksheets/sheet1.xml`, byte "),
        ("not UTF-8", zip_of(&[("xl/workbook.xml", workbook_xml("").as_bytes()), ("xl/_rels/workbook.xml.rels", RELS.as_bytes()), ("xl/worksheets/sheet1.xml", b"<worksheet>\xE9</worksheet>")]), "t.xlsx: `xl/worksheets/sheet1.xml` is not UTF-8 text (byte 11); save the workbook again as .xlsx (Excel writes UTF-8) or as .csv UTF-8"),
        ("a shared string that is not there", hand_made("", &sheet_with("<c r=\"A1\" t=\"s\"><v>99</v></c>")), "t.xlsx: `xl/worksheets/sheet1.xml`: cell A1: shared string `99` is not in the workbook's 5 shared strings"),
        ("a bad cell name", hand_made("", &sheet_with("<c r=\"1A\"><v>1</v></c>")), "t.xlsx: `xl/worksheets/sheet1.xml`: `1A` is not a cell's name like B3"),
        ("a bad number", hand_made("", &sheet_with("<c r=\"B1\" t=\"n\"><v>twelve</v></c>")), "t.xlsx: `xl/worksheets/sheet1.xml`: cell B1: `twelve` is not a number"),
        ("an unknown type", hand_made("", &sheet_with("<c r=\"C1\" t=\"x\"><v>1</v></c>")), "t.xlsx: `xl/worksheets/sheet1.xml`: cell C1: unknown cell type `x`"),
        ("a bad merge", hand_made("", "<worksheet><sheetData/><mergeCells><mergeCell ref=\"A1:ZZZZ9\"/></mergeCells></worksheet>"), "t.xlsx: `xl/worksheets/sheet1.xml`: merged cells `A1:ZZZZ9` are not a range of cells"),
        ("too far apart", hand_made("", &sheet_with("<c r=\"A1\"><v>1</v></c><c r=\"XFD1048576\"><v>1</v></c>")), "t.xlsx: the sheet `Hand & made` spans 1048576 rows and 16384 columns, more cells than callcap holds"),
    ];
    for (what, bytes, want) in cases {
        let e = Sheet::from_xlsx("t.xlsx", bytes)
            .err()
            .unwrap_or_else(|| panic!("{what}: read"));
        assert!(e.to_string().starts_with(want), "{what}: {e}");
    }
}

#[test]
fn a_damaged_workbook_is_an_error_never_a_panic() {
    // Every prefix and single-byte change of a workbook, at strides: each is read or refused.
    let books = workbooks();
    for (name, bytes) in books.iter().filter(|(n, _)| !n.ends_with("empty.xlsx")) {
        for len in (0..bytes.len()).step_by(61) {
            let _ = first_sheet(name, bytes[..len].to_vec());
        }
        for at in (0..bytes.len()).step_by(37) {
            for x in [0x00, 0xFF, b'<', b'9'] {
                let mut b = bytes.clone();
                b[at] = x;
                let _ = first_sheet(name, b);
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// A workbook whose XML is damaged but whose archive is whole (so the damage reaches the
    /// XML and the cells, not only the CRC check): read or refused, never a panic.
    #[test]
    fn damaged_xml_in_a_whole_archive_is_an_error_never_a_panic(
        edits in proptest::collection::vec((0usize..4096, proptest::prelude::any::<u8>()), 1..8),
        part in 0usize..3,
    ) {
        let mut texts = [hand_made_sheet().into_bytes(), STRINGS.as_bytes().to_vec(), STYLES.as_bytes().to_vec()];
        let text = &mut texts[part];
        for (at, b) in edits {
            let at = at % text.len();
            text[at] = b;
        }
        let book = zip_of(&[
            ("xl/workbook.xml", workbook_xml("").as_bytes()),
            ("xl/_rels/workbook.xml.rels", RELS.as_bytes()),
            ("xl/styles.xml", &texts[2]),
            ("xl/sharedStrings.xml", &texts[1]),
            ("xl/worksheets/sheet1.xml", &texts[0]),
        ]);
        let _ = first_sheet("fuzz.xlsx", book);
    }
}
