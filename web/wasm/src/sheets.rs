//! Spreadsheets of bids and rate tables, read by the core (`callcap::sheet`, the `sheets`
//! feature: csv and calamine), for the page's spreadsheet module (`web/pkg-sheets`, loaded when
//! a spreadsheet is first opened). Each bid or facility the core reads is handed back as the
//! tariff file that says the same thing ([`tariff_file`]), which the full module reads with the
//! core's TOML reader and compares or checks like any other: the two modules share no code, and
//! this one carries no rate book. Nothing here prices or judges.

use crate::api::BadInput;
use callcap::error::escaped;
use callcap::tariff::Tariff;
use rust_decimal::Decimal;
use serde::Serialize;
use std::fmt::Write as _;

/// One bid or facility of a sheet, as a tariff file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetTariff {
    /// The name the core gave it (the sheet and the bid or facility).
    pub file: String,
    /// The bid's name, or the facility's (null when the sheet names none).
    pub name: Option<String>,
    /// The tariff file saying the same thing, for the core's TOML reader.
    pub text: String,
}

/// A row of a sheet the core could not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetError {
    /// The core's message, with the sheet, the row and the column.
    pub message: String,
    /// The row (1-based, as the spreadsheet shows it).
    pub row: Option<u32>,
    /// The column's header, when the message is about one cell.
    pub column: Option<String>,
    /// What is wrong, without the sheet, row and column.
    pub reason: String,
}

/// `readSheet`'s result: what was read, and each error (a bad bid stops a sheet of bids; a bad
/// facility of a rate table leaves the others read).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRead {
    /// The sheet as the core names it in messages.
    pub sheet: String,
    /// The bids or facilities read, in the sheet's order.
    pub tariffs: Vec<SheetTariff>,
    /// The errors, in the sheet's order.
    pub errors: Vec<SheetError>,
}

fn sheet_error(e: &callcap::Error) -> SheetError {
    SheetError {
        message: e.to_string(),
        row: e.line().and_then(|l| u32::try_from(l).ok()),
        column: e.key().map(str::to_string),
        reason: escaped(e.message()).into_owned(),
    }
}

/// A sheet of bids (`layout` `"bids"`) or a rate table (`"rates"`), CSV or XLSX by `file`'s
/// name, read by the core.
pub fn read_sheet(layout: &str, file: &str, bytes: Vec<u8>) -> Result<SheetRead, BadInput> {
    // size: without the `xlsx` feature, CSV only (the core's CSV reader; calamine and what it
    // brings, 200 KB gzip of text-encoding tables, are left out of the module).
    #[cfg(not(feature = "xlsx"))]
    let opened = if file.to_ascii_lowercase().ends_with(".csv") {
        Ok(callcap::sheet::Sheet::from_csv(
            file,
            std::io::Cursor::new(bytes),
        ))
    } else {
        Err(callcap::Error::file(
            file,
            "this part of the page reads CSV only; save the sheet as .csv",
        ))
    };
    #[cfg(feature = "xlsx")]
    let opened = callcap::sheet::open(file, bytes);
    let sheet = opened.map_err(|e| BadInput {
        field: Some("sheet"),
        message: e.to_string(),
        reason: Some(escaped(e.message()).into_owned()),
        ..BadInput::default()
    })?;
    let label = sheet.label().to_string();
    let (mut tariffs, mut errors) = (Vec::new(), Vec::new());
    let mut keep = |t: Tariff| {
        tariffs.push(SheetTariff {
            name: t
                .bid
                .as_ref()
                .map(|b| b.name.clone())
                .or_else(|| t.facility.name.clone()),
            text: tariff_file(&t),
            file: t.file,
        })
    };
    match layout {
        "bids" => match callcap::sheet::bids(sheet) {
            Ok(bids) => bids.into_iter().for_each(&mut keep),
            Err(e) => errors.push(sheet_error(&e)),
        },
        "rates" => {
            for r in callcap::sheet::rate_table(sheet) {
                match r {
                    Ok(t) => keep(t),
                    Err(e) => errors.push(sheet_error(&e)),
                }
            }
        }
        _ => return Err("the layout is `bids` or `rates`".into()),
    }
    Ok(SheetRead {
        sheet: label,
        tariffs,
        errors,
    })
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn amount(d: &Decimal) -> String {
    quoted(&d.to_string())
}

/// The tariff file saying what `t` says (the core's TOML reader reads it back into `t`, but for
/// its line numbers and its file name: a test holds it to that).
pub fn tariff_file(t: &Tariff) -> String {
    let mut out = String::new();
    let mut line = |s: String| {
        out.push_str(&s);
        out.push('\n');
    };
    line(format!(
        "# Read from {} by the callcap page.",
        t.file.replace('\n', " ")
    ));
    let f = &t.facility;
    line("[facility]".into());
    if let Some(n) = &f.name {
        line(format!("name = {}", quoted(n)));
    }
    line(format!("kind = {}", quoted(f.kind.as_str())));
    line(format!(
        "average_daily_population = {}",
        f.average_daily_population
    ));
    if let Some(s) = &f.state {
        line(format!("state = {}", quoted(s)));
    }
    if let Some(o) = f.operator {
        line(format!("operator = {}", quoted(o.as_str())));
    }
    if let Some(c) = &f.county_fips {
        line(format!("county_fips = {}", quoted(c)));
    }
    if let Some(id) = &f.id {
        line(format!("id = {}", quoted(id)));
    }
    if let Some(p) = &t.provider {
        line(String::new());
        line("[provider]".into());
        line(format!("name = {}", quoted(&p.name)));
        if let Some(e) = p.effective {
            line(format!("effective = {}", quoted(&e.to_string())));
        }
    }
    for r in &t.rates {
        line(String::new());
        line("[[rate]]".into());
        if let Some(s) = r.service {
            line(format!("service = {}", quoted(s.as_str())));
        }
        if let Some(j) = r.jurisdiction {
            line(format!("jurisdiction = {}", quoted(j.as_str())));
        }
        if let Some(p) = r.payment {
            line(format!("payment = {}", quoted(p.as_str())));
        }
        line(format!("per_minute = {}", amount(&r.per_minute)));
        if let Some(m) = &r.first_minute {
            line(format!("first_minute = {}", amount(m)));
        }
        line(format!("per_call = {}", amount(&r.per_call)));
        line(format!(
            "billing_increment_seconds = {}",
            r.billing_increment_seconds
        ));
    }
    for fee in &t.fees {
        line(String::new());
        line("[[fee]]".into());
        line(format!("kind = {}", quoted(fee.kind.as_str())));
        line(format!("amount = {}", amount(&fee.amount)));
        if !fee.percent.is_zero() {
            line(format!("percent = {}", amount(&fee.percent)));
        }
    }
    for tax in &t.taxes {
        line(String::new());
        line("[[tax]]".into());
        line(format!("name = {}", quoted(&tax.name)));
        line(format!("percent = {}", amount(&tax.percent)));
    }
    let c = &t.commission;
    line(String::new());
    line("[commission]".into());
    line(format!(
        "percent_of_revenue = {}",
        amount(&c.percent_of_revenue)
    ));
    line(format!("per_minute = {}", amount(&c.per_minute)));
    line(format!(
        "minimum_annual_guarantee = {}",
        amount(&c.minimum_annual_guarantee)
    ));
    line(format!("signing_bonus = {}", amount(&c.signing_bonus)));
    line(format!("basis = {}", quoted(c.basis.as_str())));
    if let Some(b) = &t.bid {
        line(String::new());
        line("[bid]".into());
        line(format!("name = {}", quoted(&b.name)));
        line(format!("term_years = {}", b.term_years));
        line(format!("start = {}", quoted(&b.start.to_string())));
        line(format!(
            "in_kind_per_year = {}",
            amount(&b.in_kind_per_year)
        ));
    }
    if let Some(k) = &t.contract {
        line(String::new());
        line("[contract]".into());
        line(format!("signed = {}", quoted(&k.signed.to_string())));
        line(format!("ends = {}", quoted(&k.ends.to_string())));
        line(format!("basis = {}", quoted(k.basis.as_str())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE_CSV: &str = "../../rates/examples/bids/bids-template.csv";

    /// `t` without what differs on purpose: its file name and its line numbers.
    fn same(mut t: Tariff) -> Tariff {
        t.file = String::new();
        for r in &mut t.rates {
            r.line = 0;
        }
        for f in &mut t.fees {
            f.line = 0;
        }
        for x in &mut t.taxes {
            x.line = 0;
        }
        if let Some(c) = &mut t.contract {
            c.line = 0;
        }
        t
    }

    #[test]
    fn each_bid_of_the_template_reads_back_from_its_tariff_file() {
        // XLSX only with the `xlsx` feature (calamine).
        let names: &[&str] = if cfg!(feature = "xlsx") {
            &["bids-template.csv", "bids-template.xlsx"]
        } else {
            &["bids-template.csv"]
        };
        for &name in names {
            let path = format!(
                "{}/{}",
                env!("CARGO_MANIFEST_DIR"),
                TEMPLATE_CSV.replace("bids-template.csv", name)
            );
            let bytes = std::fs::read(&path).expect("the template");
            let read = read_sheet("bids", name, bytes.clone()).expect("read");
            assert!(read.errors.is_empty(), "{:?}", read.errors);
            assert_eq!(read.tariffs.len(), 3);
            let sheet = callcap::sheet::open(name, bytes).expect("open");
            let bids = callcap::sheet::bids(sheet).expect("bids");
            for (t, b) in read.tariffs.iter().zip(bids) {
                let back = Tariff::from_bytes("back.toml", t.text.as_bytes()).expect("reads back");
                assert_eq!(same(back), same(b), "{}", t.text);
            }
        }
    }

    #[test]
    fn a_bad_cell_names_the_sheet_row_and_column() {
        let csv =
            "bid,facility,kind,average_daily_population,start,term_years,service,per_minute\n\
                   A,Riverbend,jail,640,2026-07-01,5,audio,twelve\n";
        let read = read_sheet("bids", "bad.csv", csv.as_bytes().to_vec()).expect("read");
        assert!(read.tariffs.is_empty());
        let e = &read.errors[0];
        assert_eq!(e.row, Some(2));
        assert_eq!(e.column.as_deref(), Some("per_minute"));
        assert!(e.message.starts_with("bad.csv"), "{}", e.message);
        let r = read_sheet("rates", "table.ods", Vec::new()).unwrap_err();
        assert_eq!(r.field, Some("sheet"));
    }
}
