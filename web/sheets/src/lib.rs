//! The browser calculator's spreadsheet reader, a WebAssembly module of its own that the page
//! loads only when a spreadsheet is first opened (its size does not count against the first
//! load; web/README.md, Budgets).
//!
//! It reads bids or a rate table from a CSV or XLSX file with the core (`callcap::sheet`:
//! every cell checked there, each error naming its sheet, row and column) and writes each
//! tariff back as TOML (`Tariff::to_toml`), which the page hands to its main module to compare
//! or check like any tariff file. There is no pricing or compliance logic here, and no rate
//! book: only the reading, so that this module stays small.
#![deny(missing_docs)]

use serde::Serialize;
use wasm_bindgen::prelude::{wasm_bindgen, JsValue};

/// The allocator: talc in place of std's dlmalloc, as in the page's main module.
#[cfg(all(target_arch = "wasm32", not(target_feature = "atomics")))]
#[global_allocator]
static ALLOCATOR: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();

/// The largest spreadsheet the page reads (32 MiB: a rate table of about 300,000 rows as CSV).
pub const MAX_BYTES: usize = 32 << 20;

/// What a sheet gave: its tariffs (bids or a rate table's facilities) as TOML, and the errors
/// of its rows, in the order of the sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SheetRead {
    /// The tariffs read, each as a file: its name (`bids.xlsx [Bids] rows 2–5 (Vendor A)`) and
    /// its TOML.
    pub tariffs: Vec<Written>,
    /// The rows (or the file) that could not be read.
    pub errors: Vec<CellError>,
}

/// A tariff read from a sheet, written as TOML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    /// The name it goes by: the sheet, its rows and its bid or facility.
    pub file: String,
    /// The tariff as TOML ([`callcap::Tariff::to_toml`]).
    pub toml: String,
}

/// An error of a sheet: the core's message, and where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CellError {
    /// The whole message (`bids.csv:3:6: per_minute: cell F3: …`).
    pub message: String,
    /// The sheet's label (`bids.xlsx [Bids]`), when the error is in it.
    pub sheet: Option<String>,
    /// The row (1 is the first), when the error is in one.
    pub row: Option<usize>,
    /// The column's header (`per_minute`), when the error is in one.
    pub column: Option<String>,
    /// What is wrong, without the sheet, row and column (`cell F3: "abc" is not …`).
    pub reason: String,
}

impl From<callcap::Error> for CellError {
    fn from(e: callcap::Error) -> Self {
        CellError {
            message: e.to_string(),
            sheet: e.file_name().map(str::to_string),
            row: e.line(),
            column: e.key().map(str::to_string),
            reason: e.message().to_string(),
        }
    }
}

/// Reads `bytes`, the file `file` (`.csv` or `.xlsx`), as bids (`layout` `"bids"`: every bid
/// whole, or the first error) or as a rate table (`"table"`: each facility, and each bad row's
/// error, the facility still read from its other rows).
pub fn read(file: &str, bytes: Vec<u8>, layout: &str) -> SheetRead {
    let mut out = SheetRead {
        tariffs: Vec::new(),
        errors: Vec::new(),
    };
    // The page reads a sheet whole, in memory; a larger one is for the command line, which
    // streams CSV.
    if bytes.len() > MAX_BYTES {
        out.errors.push(
            callcap::Error::file(
                file,
                format!(
                    "the file is {} bytes; the page reads spreadsheets of up to {MAX_BYTES} bytes (check a larger one with the command line: `callcap check FILE`)",
                    bytes.len()
                ),
            )
            .into(),
        );
        return out;
    }
    let sheet = match callcap::sheet::open(file, bytes) {
        Ok(s) => s,
        Err(e) => {
            out.errors.push(e.into());
            return out;
        }
    };
    let mut take = |read: callcap::Result<callcap::Tariff>| match read {
        Ok(t) => out.tariffs.push(Written {
            toml: t.to_toml(),
            file: t.file,
        }),
        Err(e) => out.errors.push(e.into()),
    };
    if layout == "bids" {
        match callcap::sheet::bids(sheet) {
            Ok(bids) => bids.into_iter().map(Ok).for_each(&mut take),
            Err(e) => take(Err(e)),
        }
    } else {
        callcap::sheet::rate_table(sheet).for_each(take);
    }
    out
}

/// [`read`], for the page: a plain object (through JSON), `{tariffs, errors}`.
#[wasm_bindgen(js_name = readSheet)]
pub fn read_sheet(file: String, bytes: Vec<u8>, layout: String) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(&read(&file, bytes, &layout))
        .map_err(|e| JsValue::from_str(&format!("internal error: {e}")))?;
    js_sys::JSON::parse(&json)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(path: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../..")
                .join(path),
        )
        .unwrap()
    }

    #[test]
    fn the_template_gives_its_bids_as_toml_the_core_reads_back() {
        for name in ["bids-template.csv", "bids-template.xlsx"] {
            let bytes = fixture(&format!("rates/examples/bids/{name}"));
            let r = read(name, bytes, "bids");
            // The CSV build (no `xlsx` feature, and no other crate of the build turning on the
            // core's XLSX reading) says so instead of reading the workbook.
            if name.ends_with(".xlsx") && r.errors.iter().any(|e| e.reason.contains("CSV only")) {
                let with_xlsx = cfg!(feature = "xlsx");
                assert!(!with_xlsx, "{:?}", r.errors);
                continue;
            }
            assert!(r.errors.is_empty(), "{:?}", r.errors);
            assert_eq!(r.tariffs.len(), 3);
            for w in &r.tariffs {
                let t = callcap::Tariff::from_toml(&w.file, &w.toml).unwrap();
                assert!(t.bid.is_some(), "{}", w.toml);
            }
        }
    }

    #[test]
    fn a_rate_table_gives_every_facility_and_every_bad_row() {
        let r = read(
            "table-bad.csv",
            fixture("tests/sheets/table-bad.csv"),
            "table",
        );
        assert_eq!(r.tariffs.len(), 3, "{:?}", r.tariffs);
        assert_eq!(r.errors.len(), 4, "{:?}", r.errors);
        let e = &r.errors[0];
        assert_eq!(e.sheet.as_deref(), Some("table-bad.csv"));
        assert_eq!(e.row, Some(3));
        assert_eq!(e.column.as_deref(), Some("per_minute"));
        assert!(e.reason.starts_with("cell E3: "), "{}", e.reason);
        assert!(
            e.message
                .starts_with("table-bad.csv:3:5: per_minute: cell E3"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_sheet_too_large_for_the_page_is_refused_before_it_is_read() {
        let r = read("big.csv", vec![b'x'; MAX_BYTES + 1], "table");
        assert_eq!(r.errors.len(), 1);
        assert!(
            r.errors[0].reason.contains("callcap check FILE"),
            "{:?}",
            r.errors
        );
    }

    #[test]
    fn a_file_that_is_no_spreadsheet_is_one_error() {
        let r = read("bids.xlsx", b"not a zip".to_vec(), "bids");
        assert!(r.tariffs.is_empty());
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].row, None);
    }
}
