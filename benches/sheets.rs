//! Criterion benchmark of rate tables (src/sheet.rs): checking a 100,000-row table (25,000
//! facilities × 4 rate lines), per row, read from CSV (streamed) and from XLSX (callcap's XLSX
//! reader, src/sheet/xlsx.rs, reads the sheet into memory first), against the same rates as
//! 25,000 TOML texts (`Tariff::from_toml`). Every path ends in `Checker::check` with the rules
//! cached per tier, as `callcap check` does. Throughput is in rows per second, on one core.
//!
//! Run: `cargo bench --bench sheets` (figures in docs/scale.md).

use callcap::check::Checker;
use callcap::sheet::{self, Sheet};
use callcap::{RateBook, Tariff};
use chrono::NaiveDate;
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};

const FACILITIES: usize = 25_000;
const LINES: [(&str, &str); 4] = [
    ("audio", "local"),
    ("audio", "intrastate"),
    ("audio", "interstate"),
    ("video", ""),
];

fn rate(f: usize, l: usize) -> String {
    format!("0.{:02}", 8 + (f + l) % 20)
}

fn adp(f: usize) -> usize {
    50 + (f * 37) % 3000
}

fn csv_table() -> String {
    let mut t = String::from(
        "facility,state,operator,kind,average_daily_population,service,jurisdiction,per_minute,fee_automated_payment\n",
    );
    for f in 0..FACILITIES {
        for (l, (service, jurisdiction)) in LINES.iter().enumerate() {
            t.push_str(&format!(
                "Facility {f},TX,county,jail,{},{service},{jurisdiction},{},{}\n",
                adp(f),
                rate(f, l),
                if f % 3 == 0 { "2.50" } else { "" }
            ));
        }
    }
    t
}

fn toml_texts() -> Vec<String> {
    (0..FACILITIES)
        .map(|f| {
            let mut t = format!(
                "[facility]\nname = \"Facility {f}\"\nstate = \"TX\"\noperator = \"county\"\nkind = \"jail\"\naverage_daily_population = {}\n",
                adp(f)
            );
            for (l, (service, jurisdiction)) in LINES.iter().enumerate() {
                t.push_str(&format!("[[rate]]\nservice = \"{service}\"\n"));
                if !jurisdiction.is_empty() {
                    t.push_str(&format!("jurisdiction = \"{jurisdiction}\"\n"));
                }
                t.push_str(&format!("per_minute = \"{}\"\n", rate(f, l)));
            }
            if f % 3 == 0 {
                t.push_str("[[fee]]\nkind = \"automated_payment\"\namount = \"2.50\"\n");
            }
            t
        })
        .collect()
}

fn xlsx_table(csv: &str) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let s = book.add_worksheet();
    for (r, line) in csv.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            if v.is_empty() {
                continue;
            }
            match v.parse::<f64>() {
                Ok(n) if r > 0 => s.write_number(r as u32, c as u16, n).map(|_| ()),
                _ => s.write_string(r as u32, c as u16, v).map(|_| ()),
            }
            .expect("cell");
        }
    }
    book.save_to_buffer().expect("xlsx")
}

fn benches(c: &mut Criterion) {
    let book = RateBook::bundled().expect("bundled rate book");
    let date = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
    let csv = csv_table();
    let texts = toml_texts();
    let xlsx = xlsx_table(&csv);
    let rows = (FACILITIES * LINES.len()) as u64;

    let mut g = c.benchmark_group("rate table (100,000 rows, 25,000 facilities)");
    g.throughput(Throughput::Elements(rows));
    g.sample_size(10);
    g.bench_function("TOML texts: from_toml + check", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&book);
            for (i, text) in texts.iter().enumerate() {
                let t = Tariff::from_toml(&format!("t{i}.toml"), text).expect("valid");
                black_box(checker.check(&t, date));
            }
        })
    });
    g.bench_function("CSV table: stream + check", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&book);
            for t in sheet::rate_table(Sheet::from_csv("t.csv", csv.as_bytes())) {
                black_box(checker.check(&t.expect("valid"), date));
            }
        })
    });
    g.bench_function("TOML texts: from_toml only", |b| {
        b.iter(|| {
            for (i, text) in texts.iter().enumerate() {
                black_box(Tariff::from_toml(&format!("t{i}.toml"), text).expect("valid"));
            }
        })
    });
    g.bench_function("CSV table: stream only", |b| {
        b.iter(|| {
            for t in sheet::rate_table(Sheet::from_csv("t.csv", csv.as_bytes())) {
                black_box(t.expect("valid"));
            }
        })
    });
    g.bench_function("XLSX table: load sheet + check", |b| {
        b.iter(|| {
            let mut checker = Checker::new(&book);
            let s = Sheet::from_xlsx("t.xlsx", xlsx.clone()).expect("xlsx");
            for t in sheet::rate_table(s) {
                black_box(checker.check(&t.expect("valid"), date));
            }
        })
    });
    g.finish();
}

criterion_group!(sheets, benches);
criterion_main!(sheets);
