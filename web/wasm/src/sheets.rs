//! Spreadsheets of bids and rate tables, read by the core (`callcap::sheet`, the `sheets`
//! feature: the csv crate, and the core's XLSX reader), for the page's spreadsheet modules
//! (`web/pkg-sheets`: `callcap_sheets` reads CSV, `callcap_xlsx` XLSX, each loaded when such a
//! file is first opened). Each bid or facility the core reads is handed back as the
//! tariff file that says the same thing ([`tariff_file`]), which the full module reads with the
//! core's TOML reader and compares or checks like any other: the two modules share no code, and
//! this one carries no rate book. Nothing here prices or judges.

use crate::api::BadInput;
use callcap::error::escaped;
use callcap::tariff::Tariff;
use serde::Serialize;

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
    // size: without the `xlsx` feature, CSV only (the core's CSV reader; the XLSX reader, 37 KB
    // gzip, is left out of the module).
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
    // size: with it, XLSX only (the core's XLSX reader, src/sheet/xlsx.rs): the page sends an
    // .xlsx to this module and a .csv to the CSV one, so the csv crate is left out of it.
    #[cfg(feature = "xlsx")]
    let opened = if file.to_ascii_lowercase().ends_with(".xlsx") {
        callcap::sheet::Sheet::from_xlsx(file, bytes)
    } else {
        Err(callcap::Error::file(
            file,
            "this part of the page reads XLSX only; the page reads a .csv with its CSV reader",
        ))
    };
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

/// The tariff file saying what `t` says: the core's [`Tariff::to_toml`] (its TOML reader reads
/// it back as the same tariff, but for its file name and line numbers: a test holds it to that).
pub fn tariff_file(t: &Tariff) -> String {
    t.to_toml()
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
        // The XLSX module (`xlsx`) reads XLSX only, the CSV one CSV only.
        let name = if cfg!(feature = "xlsx") {
            "bids-template.xlsx"
        } else {
            "bids-template.csv"
        };
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

    #[test]
    #[cfg(not(feature = "xlsx"))]
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
    }

    #[test]
    fn a_file_it_does_not_read_is_an_error_of_the_sheet_field() {
        let other = if cfg!(feature = "xlsx") {
            "bids.csv"
        } else {
            "bids.xlsx"
        };
        for name in [other, "table.ods"] {
            let r = read_sheet("rates", name, Vec::new()).unwrap_err();
            assert_eq!(r.field, Some("sheet"), "{name}");
            assert!(r.message.starts_with(name), "{}", r.message);
        }
    }

    #[test]
    #[cfg(feature = "xlsx")]
    fn a_file_that_is_not_a_workbook_is_an_error_of_the_sheet_field() {
        let r = read_sheet("bids", "bids.xlsx", b"bid,per_minute\n".to_vec()).unwrap_err();
        assert_eq!(r.field, Some("sheet"));
        assert!(
            r.message
                .starts_with("bids.xlsx: not an XLSX workbook (not a zip archive)"),
            "{}",
            r.message
        );
    }
}
