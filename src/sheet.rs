//! Bids and rate tables from spreadsheets: CSV and XLSX, one row per rate line.
//!
//! A sheet is read as a table of cells ([`Sheet`]): its first non-empty row is the header,
//! matched case-insensitively and trimmed; rows with no value are skipped. Its rows are then
//! grouped into the same [`Tariff`] values the TOML reader builds, with the same rules (rates
//! that overlap, amounts, bounds, vocabularies): every error names the sheet, the row, the
//! column and what would be valid.
//!
//! - **Bids** ([`bids`]): rows grouped by `bid`; bid-level columns may be given on any row of
//!   the bid, and values that conflict are an error.
//! - **Rate tables** ([`rate_table`]): rows grouped by `facility` (with `facility_id`), one
//!   tariff each. A facility's rows must be next to each other (a table is read as a stream,
//!   so memory does not grow with it); a bad row fails its facility only.
//!
//! Unknown columns are an error naming them and the valid ones (a typo in `fee_live_agent`
//! would otherwise drop a fee unseen); a column for notes has a header starting with `note`.
//! An XLSX header with merged cells is an error naming them; merged cells below the header
//! give their value to every cell they cover. CSV is streamed; an XLSX workbook's first sheet is
//! read into memory ([`xlsx`]).

use crate::call::{Jurisdiction, Payment, Service};
use crate::error::{Error, ErrorKind, Result};
use crate::facility::{validate_adp, validate_county_fips, validate_state, Facility};
use crate::money::{amount_from_f64, parse_cell_amount};
use crate::tariff::{
    BidTerms, Commission, CommissionBasis, Fee, FeeKind, Provider, Rate, Tariff,
    DEFAULT_BILLING_INCREMENT_SECONDS, MAX_BILLING_INCREMENT_SECONDS, MAX_TERM_YEARS,
};
use crate::vocab::{parse_word, Word};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::HashSet;

#[cfg(feature = "sheets")]
pub mod xlsx;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text (every CSV cell is text).
    Text(String),
    /// A number (XLSX stores numbers as binary doubles, so this is one): never used as money
    /// as it is, but read as the shortest decimal that is the same double
    /// ([`crate::money::amount_from_f64`]), or as a whole count.
    Number(f64),
    /// A date (XLSX), its serial day number (a double, as the file stores it), read as a date
    /// only when it is a whole day (a time of day is refused).
    Date(f64),
    /// Anything else (a boolean, an error such as `#DIV/0!`), as text for messages.
    Other(String),
}

impl Cell {
    fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    fn text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_string(),
            Cell::Number(n) | Cell::Date(n) => format!("{n}"),
            Cell::Other(t) => t.clone(),
        }
    }
}

/// A row: its 1-based number in the sheet, and its cells from the first column.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based row number, as the spreadsheet shows it (a CSV's line).
    pub number: usize,
    /// The cells, from column A.
    pub cells: Vec<Cell>,
}

/// A table of cells: its label (`table.csv`, `table.xlsx [Sheet1]`) and its rows.
pub struct Sheet<'r> {
    label: String,
    rows: Box<dyn Iterator<Item = Result<Row>> + 'r>,
    header_merges: Vec<String>,
}

impl<'r> Sheet<'r> {
    /// A sheet of rows (tests and other readers).
    pub fn from_rows(label: &str, rows: impl IntoIterator<Item = Row> + 'r) -> Sheet<'r> {
        Sheet {
            label: label.to_string(),
            rows: Box::new(rows.into_iter().map(Ok)),
            header_merges: Vec::new(),
        }
    }

    /// A CSV file, streamed from `reader` (UTF-8, a leading byte-order mark dropped).
    #[cfg(feature = "sheets")]
    pub fn from_csv(label: &str, reader: impl std::io::Read + 'r) -> Sheet<'r> {
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(reader);
        let file = label.to_string();
        let rows = reader.into_records().map(move |r| {
            let record = r.map_err(|e| {
                let line = e.position().map_or(1, |p| p.line() as usize);
                Error::located(
                    ErrorKind::Syntax,
                    &file,
                    line,
                    None,
                    None,
                    format!("not valid CSV: {e}; save the sheet as CSV UTF-8"),
                )
            })?;
            Ok(Row {
                number: record.position().map_or(0, |p| p.line() as usize),
                cells: record
                    .iter()
                    .map(|c| {
                        let c = c.strip_prefix('\u{feff}').unwrap_or(c);
                        if c.trim().is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_string())
                        }
                    })
                    .collect(),
            })
        });
        Sheet {
            label: label.to_string(),
            rows: Box::new(rows),
            header_merges: Vec::new(),
        }
    }

    /// The first sheet of an XLSX workbook (read into memory by [`xlsx::first_sheet`]).
    #[cfg(feature = "sheets")]
    pub fn from_xlsx(file: &str, bytes: Vec<u8>) -> Result<Sheet<'static>> {
        let xlsx::FirstSheet {
            name,
            mut rows,
            merges,
        } = xlsx::first_sheet(file, bytes)?;
        let label = format!("{file} [{name}]");
        let top = rows.first().map_or(0, |r| r.number - 1);
        // The header is the first row with a value; merged cells there are an error, below
        // it they give their value to every cell they cover.
        let header = rows
            .iter()
            .position(|r| r.cells.iter().any(|c| !c.is_empty()));
        let mut header_merges = Vec::new();
        for m in &merges {
            let ((r0, c0), (r1, c1)) = (m.first, m.last);
            let first = |r: usize| r.checked_sub(top);
            let is_header = header.is_some_and(|h| {
                let h = h + top;
                (r0..=r1).contains(&h)
            });
            if is_header {
                header_merges.push(format!(
                    "{}:{}",
                    cell_name(r0 + 1, c0 + 1),
                    cell_name(r1 + 1, c1 + 1)
                ));
                continue;
            }
            let value = first(r0)
                .and_then(|i| rows.get(i))
                .and_then(|r| r.cells.get(c0))
                .cloned()
                .unwrap_or(Cell::Empty);
            for r in r0..=r1 {
                let Some(row) = first(r).and_then(|i| rows.get_mut(i)) else {
                    continue;
                };
                if row.cells.len() <= c1 {
                    row.cells.resize(c1 + 1, Cell::Empty);
                }
                for c in c0..=c1 {
                    row.cells[c] = value.clone();
                }
            }
        }
        Ok(Sheet {
            label,
            rows: Box::new(rows.into_iter().map(Ok)),
            header_merges,
        })
    }

    /// The sheet's label: the file, with the sheet's name for a workbook.
    pub fn label(&self) -> &str {
        &self.label
    }
}

/// Reads a sheet from a file's bytes by its name's extension (`.csv` or `.xlsx`).
#[cfg(feature = "sheets")]
pub fn open(file: &str, bytes: Vec<u8>) -> Result<Sheet<'static>> {
    let lower = file.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        Sheet::from_xlsx(file, bytes)
    } else if lower.ends_with(".csv") {
        Ok(Sheet::from_csv(file, std::io::Cursor::new(bytes)))
    } else {
        Err(Error::file(
            file,
            "not a spreadsheet callcap reads; save it as .csv or .xlsx",
        ))
    }
}

/// Whether a file name is a spreadsheet's (`.csv`, `.xlsx`).
pub fn is_sheet_name(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".csv") || lower.ends_with(".xlsx")
}

/// `D3`: a cell's name from its 1-based row and column.
pub fn cell_name(row: usize, column: usize) -> String {
    let mut letters = Vec::new();
    let mut c = column;
    while c > 0 {
        letters.push(b'A' + ((c - 1) % 26) as u8);
        c = (c - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", String::from_utf8_lossy(&letters))
}

// ---------------------------------------------------------------------------------------------
// Columns.

/// The columns of a rate line.
pub const RATE_COLUMNS: &[&str] = &[
    "service",
    "jurisdiction",
    "payment",
    "per_minute",
    "first_minute",
    "per_call",
    "billing_increment_seconds",
];

/// The columns of a facility (the same on every row of it).
pub const FACILITY_COLUMNS: &[&str] = &[
    "facility",
    "kind",
    "state",
    "operator",
    "average_daily_population",
    "county_fips",
    "facility_id",
    "provider",
    "commission_percent",
    "commission_per_minute",
    "minimum_annual_guarantee",
    "signing_bonus",
    "commission_basis",
];

/// The columns only bids have (the same on every row of a bid).
pub const BID_COLUMNS: &[&str] = &["bid", "start", "term_years", "in_kind_per_year"];

#[derive(Clone, Copy, PartialEq)]
enum Layout {
    Bids,
    RateTable,
}

/// A fee column: `fee_KIND` (flat amount) or `fee_KIND_percent` (of the deposit).
fn fee_column(header: &str) -> Option<(FeeKind, bool)> {
    let rest = header.strip_prefix("fee_")?;
    let (kind, percent) = match rest.strip_suffix("_percent") {
        Some(k) => (k, true),
        None => (rest, false),
    };
    FeeKind::ALL
        .iter()
        .copied()
        .find(|k| k.as_str() == kind)
        .map(|k| (k, percent))
}

struct Columns {
    label: String,
    /// For each column, its header (lowercase), or `None` when ignored (notes, blank).
    names: Vec<Option<String>>,
    /// The kinds of fee that have a column.
    fee_kinds: Vec<FeeKind>,
}

impl Columns {
    fn read(label: &str, row: &Row, layout: Layout, merges: &[String]) -> Result<Columns> {
        if !merges.is_empty() {
            return Err(Error::located(
                ErrorKind::Invalid,
                label,
                row.number,
                None,
                None,
                format!(
                    "the header has merged cells ({}); give each column its own header cell, like `per_minute`",
                    merges.join(", ")
                ),
            ));
        }
        let mut names = Vec::with_capacity(row.cells.len());
        let mut seen: Vec<(String, usize)> = Vec::new();
        for (i, cell) in row.cells.iter().enumerate() {
            let h = cell.text().trim().to_lowercase();
            let at = |m: String| {
                Error::located(
                    ErrorKind::Invalid,
                    label,
                    row.number,
                    Some(i + 1),
                    Some(h.clone()),
                    m,
                )
            };
            if h.is_empty() || h.starts_with("note") {
                names.push(None);
                continue;
            }
            let known = RATE_COLUMNS.contains(&h.as_str())
                || FACILITY_COLUMNS.contains(&h.as_str())
                || fee_column(&h).is_some()
                || (layout == Layout::Bids && BID_COLUMNS.contains(&h.as_str()));
            if !known {
                return Err(at(format!(
                    "cell {}: unknown column {}; the columns are {}, `fee_KIND` and `fee_KIND_percent` (KIND one of {}); a column for notes has a header starting with `note`",
                    cell_name(row.number, i + 1),
                    crate::error::quoted(&h),
                    valid_columns(layout),
                    crate::vocab::expected_words(FeeKind::ALL.iter().map(|k| k.as_str())),
                )));
            }
            if let Some((_, first)) = seen.iter().find(|(s, _)| *s == h) {
                return Err(at(format!(
                    "cell {}: a second `{h}` column (the first is column {}); give each column once",
                    cell_name(row.number, i + 1),
                    cell_name(0, *first).trim_end_matches('0')
                )));
            }
            seen.push((h.clone(), i + 1));
            names.push(Some(h));
        }
        let fee_kinds = names
            .iter()
            .flatten()
            .filter_map(|n| fee_column(n).map(|(k, _)| k))
            .collect();
        let columns = Columns {
            label: label.to_string(),
            names,
            fee_kinds,
        };
        let need: &[&str] = match layout {
            Layout::Bids => &["bid", "per_minute"],
            Layout::RateTable => &["facility", "per_minute"],
        };
        for n in need {
            if columns.index(n).is_none() {
                return Err(Error::located(
                    ErrorKind::Invalid,
                    label,
                    row.number,
                    None,
                    None,
                    format!(
                        "no `{n}` column in the header row; {}",
                        match layout {
                            Layout::Bids => "a bid sheet needs `bid` and `per_minute` (and the facility's `kind` and `average_daily_population`)",
                            Layout::RateTable => "a rate table needs `facility` and `per_minute` (and `kind` and `average_daily_population`)",
                        }
                    ),
                ));
            }
        }
        Ok(columns)
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n.as_deref() == Some(name))
    }
}

fn valid_columns(layout: Layout) -> String {
    let mut all: Vec<&str> = Vec::new();
    if layout == Layout::Bids {
        all.extend(BID_COLUMNS);
    }
    all.extend(FACILITY_COLUMNS);
    all.extend(RATE_COLUMNS);
    crate::vocab::expected_words(all)
}

/// A row's cells by column name, with errors naming the cell.
struct Cells<'a> {
    columns: &'a Columns,
    row: &'a Row,
}

impl<'a> Cells<'a> {
    fn get(&self, name: &str) -> Option<(usize, &'a Cell)> {
        let i = self.columns.index(name)?;
        let cell = self.row.cells.get(i)?;
        (!cell.is_empty()).then_some((i, cell))
    }

    fn err(&self, i: usize, message: impl std::fmt::Display) -> Error {
        let name = self.columns.names[i].clone();
        Error::located(
            ErrorKind::Invalid,
            &self.columns.label,
            self.row.number,
            Some(i + 1),
            name,
            format!("cell {}: {message}", cell_name(self.row.number, i + 1)),
        )
    }

    fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(|(_, c)| c.text())
    }

    fn amount(&self, name: &str) -> Result<Option<Decimal>> {
        let Some((i, cell)) = self.get(name) else {
            return Ok(None);
        };
        let read = match cell {
            Cell::Text(t) => parse_cell_amount(t),
            Cell::Number(n) => amount_from_f64(*n),
            other => Err(format!(
                "{} is not an amount; write it like 0.21 or $0.21",
                crate::error::quoted(&other.text())
            )),
        };
        read.map(Some).map_err(|m| self.err(i, m))
    }

    fn percent(&self, name: &str) -> Result<Option<Decimal>> {
        let p = self.amount(name)?;
        if let (Some(p), Some((i, _))) = (p, self.get(name)) {
            if p > Decimal::ONE_HUNDRED {
                return Err(self.err(
                    i,
                    format!("`{p}` is over 100; a percentage is from 0 to 100"),
                ));
            }
        }
        Ok(p)
    }

    fn int(&self, name: &str, example: &str) -> Result<Option<(usize, i64)>> {
        let Some((i, cell)) = self.get(name) else {
            return Ok(None);
        };
        let n = match cell {
            Cell::Number(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(*f as i64),
            Cell::Text(t) => t.trim().parse::<i64>().ok(),
            _ => None,
        };
        n.map(|n| Some((i, n))).ok_or_else(|| {
            self.err(
                i,
                format!(
                    "{} is not a whole number; write a whole number, like {example}",
                    crate::error::quoted(&cell.text())
                ),
            )
        })
    }

    fn bounded(&self, name: &str, what: &str, min: u32, max: u32) -> Result<Option<u32>> {
        let Some((i, n)) = self.int(name, &min.max(1).to_string())? else {
            return Ok(None);
        };
        u32::try_from(n)
            .ok()
            .filter(|n| (min..=max).contains(n))
            .map(Some)
            .ok_or_else(|| {
                self.err(
                    i,
                    format!("{what} `{n}` must be a whole number from {min} to {max}"),
                )
            })
    }

    /// A word of a vocabulary, matched case-insensitively (`Audio` is `audio`).
    fn word<T: Word>(&self, name: &str) -> Result<Option<T>> {
        let Some((i, cell)) = self.get(name) else {
            return Ok(None);
        };
        let text = cell.text().to_lowercase();
        parse_word(&text)
            .map(Some)
            .map_err(|m| self.err(i, format!("{m} (leave the cell empty to mean all)")))
    }

    fn date(&self, name: &str) -> Result<Option<NaiveDate>> {
        let Some((i, cell)) = self.get(name) else {
            return Ok(None);
        };
        let read = match cell {
            // Serial day numbers of the 1900 date system: day 25569 is 1970-01-01.
            Cell::Date(d) | Cell::Number(d)
                if d.fract() == 0.0 && *d >= 1.0 && *d < 2_958_466.0 =>
            {
                NaiveDate::from_ymd_opt(1899, 12, 30)
                    .and_then(|base| base.checked_add_days(chrono::Days::new(*d as u64)))
                    .ok_or_else(|| "not a date; write it like 2026-07-01".to_string())
            }
            Cell::Text(t) => crate::dated::parse_date(t.trim()),
            other => Err(format!(
                "{} is not a date; write it like 2026-07-01",
                crate::error::quoted(&other.text())
            )),
        };
        read.map(Some).map_err(|m| self.err(i, m))
    }
}

// ---------------------------------------------------------------------------------------------
// Rows into tariffs.

/// A value given once for a whole group (a bid, a facility): on any of its rows, the same
/// wherever it is given.
struct Once<T> {
    value: Option<(T, usize)>,
}

impl<T: PartialEq + std::fmt::Display> Once<T> {
    fn new() -> Self {
        Once { value: None }
    }

    fn give(&mut self, cells: &Cells, name: &str, value: Option<T>, group: &str) -> Result<()> {
        let Some(v) = value else { return Ok(()) };
        match &self.value {
            None => self.value = Some((v, cells.row.number)),
            Some((first, row)) if *first != v => {
                let i = cells.columns.index(name).unwrap_or(0);
                return Err(cells.err(
                    i,
                    format!(
                        "`{name}` is {v} here but {first} on row {row} for {}; give it once, or the same on every row",
                        crate::error::quoted(group)
                    ),
                ));
            }
            Some(_) => {}
        }
        Ok(())
    }

    fn get(self) -> Option<T> {
        self.value.map(|(v, _)| v)
    }
}

struct Show<T>(T);
impl<T: Word> std::fmt::Display for Show<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.word())
    }
}
impl<T: Word + PartialEq> PartialEq for Show<T> {
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0
    }
}

/// What the rows of one bid or facility give, as they are read.
struct Group {
    key: String,
    first_row: usize,
    last_row: usize,
    name: Once<String>,
    kind: Once<Show<crate::facility::FacilityKind>>,
    state: Once<String>,
    operator: Once<Show<crate::facility::Operator>>,
    adp: Once<u32>,
    county_fips: Once<String>,
    facility_id: Once<String>,
    provider: Once<String>,
    commission_percent: Once<Decimal>,
    commission_per_minute: Once<Decimal>,
    minimum_annual_guarantee: Once<Decimal>,
    signing_bonus: Once<Decimal>,
    commission_basis: Once<Show<CommissionBasis>>,
    start: Once<NaiveDate>,
    term_years: Once<u32>,
    in_kind_per_year: Once<Decimal>,
    fees: Vec<(FeeKind, Once<Decimal>, Once<Decimal>)>,
    rates: Vec<Rate>,
    /// Each bad row's error (the row's other cells are not used); the group's other rows are
    /// still read and checked.
    errors: Vec<Error>,
    /// The rows of `errors`, in order.
    bad_rows: Vec<usize>,
}

impl Group {
    fn new(key: String, row: usize) -> Group {
        Group {
            key,
            first_row: row,
            last_row: row,
            name: Once::new(),
            kind: Once::new(),
            state: Once::new(),
            operator: Once::new(),
            adp: Once::new(),
            county_fips: Once::new(),
            facility_id: Once::new(),
            provider: Once::new(),
            commission_percent: Once::new(),
            commission_per_minute: Once::new(),
            minimum_annual_guarantee: Once::new(),
            signing_bonus: Once::new(),
            commission_basis: Once::new(),
            start: Once::new(),
            term_years: Once::new(),
            in_kind_per_year: Once::new(),
            fees: FeeKind::ALL
                .iter()
                .map(|&k| (k, Once::new(), Once::new()))
                .collect(),
            rates: Vec::new(),
            errors: Vec::new(),
            bad_rows: Vec::new(),
        }
    }

    fn add(&mut self, cells: &Cells, layout: Layout) {
        self.last_row = cells.row.number;
        if let Err(e) = self.read(cells, layout) {
            self.errors.push(e);
            self.bad_rows.push(cells.row.number);
        }
    }

    fn read(&mut self, c: &Cells, layout: Layout) -> Result<()> {
        // (named in messages only, so not formatted per row)
        let g = self.key.as_str();
        self.name.give(c, "facility", c.text("facility"), g)?;
        self.kind.give(c, "kind", c.word("kind")?.map(Show), g)?;
        let state = c.text("state");
        if let (Some(s), Some((i, _))) = (&state, c.get("state")) {
            validate_state(s).map_err(|m| c.err(i, m))?;
        }
        self.state.give(c, "state", state, g)?;
        self.operator
            .give(c, "operator", c.word("operator")?.map(Show), g)?;
        let adp = match c.int("average_daily_population", "640")? {
            Some((i, n)) => Some(validate_adp(n).map_err(|m| c.err(i, m))?),
            None => None,
        };
        self.adp.give(c, "average_daily_population", adp, g)?;
        let fips = c.text("county_fips");
        if let (Some(s), Some((i, _))) = (&fips, c.get("county_fips")) {
            validate_county_fips(s).map_err(|m| {
                c.err(
                    i,
                    format!("{m} (format the column as text, so that a leading 0 is kept)"),
                )
            })?;
        }
        self.county_fips.give(c, "county_fips", fips, g)?;
        let id = c.text("facility_id");
        if let (Some(s), Some((i, _))) = (&id, c.get("facility_id")) {
            crate::facility::validate_facility_id(s).map_err(|m| c.err(i, m))?;
        }
        self.facility_id.give(c, "facility_id", id, g)?;
        self.provider.give(c, "provider", c.text("provider"), g)?;
        self.commission_percent.give(
            c,
            "commission_percent",
            c.percent("commission_percent")?,
            g,
        )?;
        self.commission_per_minute.give(
            c,
            "commission_per_minute",
            c.amount("commission_per_minute")?,
            g,
        )?;
        self.minimum_annual_guarantee.give(
            c,
            "minimum_annual_guarantee",
            c.amount("minimum_annual_guarantee")?,
            g,
        )?;
        self.signing_bonus
            .give(c, "signing_bonus", c.amount("signing_bonus")?, g)?;
        self.commission_basis.give(
            c,
            "commission_basis",
            c.word("commission_basis")?.map(Show),
            g,
        )?;
        if layout == Layout::Bids {
            self.start.give(c, "start", c.date("start")?, g)?;
            self.term_years.give(
                c,
                "term_years",
                c.bounded("term_years", "term", 1, MAX_TERM_YEARS)?,
                g,
            )?;
            self.in_kind_per_year
                .give(c, "in_kind_per_year", c.amount("in_kind_per_year")?, g)?;
        }
        for (kind, amount, percent) in &mut self.fees {
            if !c.columns.fee_kinds.contains(kind) {
                continue;
            }
            let a = format!("fee_{kind}");
            amount.give(c, &a, c.amount(&a)?, g)?;
            let p = format!("fee_{kind}_percent");
            percent.give(c, &p, c.percent(&p)?, g)?;
        }
        // The rate line: a row with no rate cell at all gives only bid or facility values.
        if RATE_COLUMNS.iter().all(|n| c.get(n).is_none()) {
            return Ok(());
        }
        let per_minute = match c.amount("per_minute")? {
            Some(p) => p,
            None => {
                let i = c.columns.index("per_minute").unwrap_or(0);
                return Err(c.err(
                    i,
                    "this rate line has no `per_minute`; give the price of each minute, like 0.21",
                ));
            }
        };
        let rate = Rate {
            service: c.word::<Service>("service")?,
            jurisdiction: c.word::<Jurisdiction>("jurisdiction")?,
            payment: c.word::<Payment>("payment")?,
            per_minute,
            first_minute: c.amount("first_minute")?,
            per_call: c.amount("per_call")?.unwrap_or(Decimal::ZERO),
            billing_increment_seconds: c
                .bounded(
                    "billing_increment_seconds",
                    "billing increment",
                    1,
                    MAX_BILLING_INCREMENT_SECONDS,
                )?
                .unwrap_or(DEFAULT_BILLING_INCREMENT_SECONDS),
            line: c.row.number,
        };
        if let Some((other, both)) = crate::tariff::overlapping(&self.rates, &rate) {
            let i = c
                .columns
                .index("service")
                .unwrap_or(c.columns.index("per_minute").unwrap_or(0));
            return Err(c.err(
                i,
                format!(
                    "this rate overlaps the rate on row {}{both}; give each kind of call one row (an empty service, jurisdiction or payment means all)",
                    other.line
                ),
            ));
        }
        self.rates.push(rate);
        Ok(())
    }

    /// The group's bad rows' errors, in order, then its tariff from the other rows (if they
    /// make one: a group all of whose rate lines are bad gives only their errors).
    fn finish(mut self, label: &str, layout: Layout) -> Vec<Result<Tariff>> {
        let mut out: Vec<Result<Tariff>> = std::mem::take(&mut self.errors)
            .into_iter()
            .map(Err)
            .collect();
        if out.is_empty() || !self.rates.is_empty() {
            out.push(self.tariff(label, layout));
        }
        out
    }

    fn tariff(self, label: &str, layout: Layout) -> Result<Tariff> {
        let group = |m: String| {
            Error::located(
                ErrorKind::Invalid,
                label,
                self.first_row,
                None,
                Some(match layout {
                    Layout::Bids => "bid".to_string(),
                    Layout::RateTable => "facility".to_string(),
                }),
                format!(
                    "{} (rows {}–{}): {m}",
                    crate::error::quoted(&self.key),
                    self.first_row,
                    self.last_row
                ),
            )
        };
        if self.rates.is_empty() {
            return Err(group(
                "no rate line; give at least one row with `per_minute`".into(),
            ));
        }
        let name = self.name.get();
        let kind = self.kind.get().map(|s| s.0);
        let adp = self.adp.get();
        let state = self.state.get();
        let operator = self.operator.get().map(|s| s.0);
        let county_fips = self.county_fips.get();
        let facility = match self.facility_id.get() {
            #[cfg(feature = "directory")]
            Some(id) => {
                use crate::directory::{Directory, FillError, Given};
                let given = Given {
                    name,
                    kind,
                    average_daily_population: adp,
                    state,
                    operator,
                    county_fips,
                };
                Directory::bundled()?
                    .fill(&id, given)
                    .map_err(|e| match e {
                        FillError::UnknownId(m) | FillError::NoKind(m) => {
                            group(format!("{m} (give `kind`: prison or jail)"))
                        }
                    })?
            }
            _ => {
                let kind = kind.ok_or_else(|| {
                    group("no `kind` on any of its rows; give `prison` or `jail`".into())
                })?;
                let adp = adp.ok_or_else(|| {
                    group("no `average_daily_population` on any of its rows; give a whole number, at least 1".into())
                })?;
                let mut f = Facility::new(kind, adp);
                f.name = name;
                f.state = state;
                f.operator = operator;
                f.county_fips = county_fips;
                f
            }
        };
        let mut fees = Vec::new();
        for (kind, amount, percent) in self.fees {
            let (a, p) = (amount.get(), percent.get());
            if a.is_none() && p.is_none() {
                continue;
            }
            fees.push(Fee {
                kind,
                amount: a.unwrap_or(Decimal::ZERO),
                percent: p.unwrap_or(Decimal::ZERO),
                line: self.first_row,
            });
        }
        let commission = Commission {
            percent_of_revenue: self.commission_percent.get().unwrap_or(Decimal::ZERO),
            per_minute: self.commission_per_minute.get().unwrap_or(Decimal::ZERO),
            minimum_annual_guarantee: self.minimum_annual_guarantee.get().unwrap_or(Decimal::ZERO),
            signing_bonus: self.signing_bonus.get().unwrap_or(Decimal::ZERO),
            basis: self
                .commission_basis
                .get()
                .map_or(CommissionBasis::Contractual, |s| s.0),
        };
        let bid = match layout {
            Layout::RateTable => None,
            Layout::Bids => Some(BidTerms {
                name: self.key.clone(),
                term_years: self.term_years.get().ok_or_else(|| {
                    group("no `term_years` on any of its rows; give the contract's length in whole years, like 5".into())
                })?,
                start: self.start.get().ok_or_else(|| {
                    group("no `start` on any of its rows; give the contract's first day, like 2026-07-01".into())
                })?,
                in_kind_per_year: self.in_kind_per_year.get().unwrap_or(Decimal::ZERO),
            }),
        };
        // The result names its rows and its facility or bid, and the rows left out of it.
        let not_read = match self.bad_rows.as_slice() {
            [] => String::new(),
            [one] => format!("; row {one} not read, see its error"),
            rows => format!(
                "; rows {} not read, see their errors",
                rows.iter()
                    .map(usize::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        Ok(Tariff {
            file: format!(
                "{label} rows {}–{} ({}{not_read})",
                self.first_row, self.last_row, self.key
            ),
            facility,
            provider: self.provider.get().map(|name| Provider {
                name,
                effective: None,
            }),
            rates: self.rates,
            fees,
            taxes: Vec::new(),
            commission,
            bid,
            contract: None,
        })
    }
}

/// The groups of a sheet, as an iterator: each a tariff or the error that stops it.
struct Groups<'r> {
    sheet: Sheet<'r>,
    layout: Layout,
    columns: Option<Columns>,
    current: Option<Group>,
    seen: HashSet<String>,
    /// What a finished group gave that is not yet handed out.
    pending: std::collections::VecDeque<Result<Tariff>>,
    done: bool,
}

impl Groups<'_> {
    fn new(sheet: Sheet<'_>, layout: Layout) -> Groups<'_> {
        Groups {
            sheet,
            layout,
            columns: None,
            current: None,
            seen: HashSet::new(),
            pending: std::collections::VecDeque::new(),
            done: false,
        }
    }

    /// Hands out the first of a finished group's results, keeping the rest.
    fn hand_out(&mut self, results: Vec<Result<Tariff>>) -> Option<Result<Tariff>> {
        self.pending.extend(results);
        self.pending.pop_front()
    }

    fn key(&self, columns: &Columns, row: &Row) -> Option<String> {
        let name = match self.layout {
            Layout::Bids => "bid",
            Layout::RateTable => "facility",
        };
        let cells = Cells { columns, row };
        let mut key = cells.text(name).unwrap_or_default();
        if self.layout == Layout::RateTable {
            if let Some(id) = cells.text("facility_id") {
                key = format!("{key} ({id})");
            }
        }
        (!key.is_empty()).then_some(key)
    }
}

impl Iterator for Groups<'_> {
    type Item = Result<Tariff>;

    fn next(&mut self) -> Option<Result<Tariff>> {
        if let Some(r) = self.pending.pop_front() {
            return Some(r);
        }
        if self.done {
            return None;
        }
        loop {
            let row = match self.sheet.rows.next() {
                None => {
                    self.done = true;
                    if self.columns.is_none() {
                        return Some(Err(Error::file(
                            &self.sheet.label,
                            "the sheet is empty; its first row names the columns (`bid` or `facility`, `per_minute`, …)",
                        )));
                    }
                    let label = self.sheet.label.clone();
                    let last = self.current.take()?.finish(&label, self.layout);
                    return self.hand_out(last);
                }
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                Some(Ok(row)) => row,
            };
            if row.cells.iter().all(Cell::is_empty) {
                continue;
            }
            let Some(columns) = self.columns.take() else {
                match Columns::read(
                    &self.sheet.label,
                    &row,
                    self.layout,
                    &self.sheet.header_merges,
                ) {
                    Ok(c) => self.columns = Some(c),
                    Err(e) => {
                        self.done = true;
                        return Some(Err(e));
                    }
                }
                continue;
            };
            let key = self.key(&columns, &row);
            let cells = Cells {
                columns: &columns,
                row: &row,
            };
            let Some(key) = key else {
                let name = if self.layout == Layout::Bids {
                    "bid"
                } else {
                    "facility"
                };
                let i = columns.index(name).unwrap_or(0);
                let e = cells.err(
                    i,
                    format!("no `{name}` on this row; every row names its {name}"),
                );
                self.columns = Some(columns);
                return Some(Err(e));
            };
            let same = self.current.as_ref().is_some_and(|g| g.key == key);
            if same {
                if let Some(g) = self.current.as_mut() {
                    g.add(&cells, self.layout);
                }
                self.columns = Some(columns);
                continue;
            }
            if self.seen.contains(&key) {
                let name = if self.layout == Layout::Bids {
                    "bid"
                } else {
                    "facility"
                };
                let i = columns.index(name).unwrap_or(0);
                let e = cells.err(
                    i,
                    format!(
                        "the rows of {name} {} are not together (it has rows above); keep each {name}'s rows next to each other (sort the sheet by `{name}`)",
                        crate::error::quoted(&key)
                    ),
                );
                self.columns = Some(columns);
                return Some(Err(e));
            }
            self.seen.insert(key.clone());
            let mut g = Group::new(key, row.number);
            g.add(&cells, self.layout);
            self.columns = Some(columns);
            let label = self.sheet.label.clone();
            if let Some(done) = self.current.replace(g) {
                let results = done.finish(&label, self.layout);
                return self.hand_out(results);
            }
        }
    }
}

/// The facilities of a rate table, one tariff each, in the order of the sheet. A bad row
/// gives its own error (with its row and column), before its facility's tariff; the
/// facility's other rows and the other facilities are still read, and the tariff's `file`
/// names the rows it leaves out. A sheet whose header cannot be read gives one error.
pub fn rate_table<'r>(sheet: Sheet<'r>) -> impl Iterator<Item = Result<Tariff>> + 'r {
    Groups::new(sheet, Layout::RateTable)
}

/// The bids of a sheet, one tariff each, in the order of the sheet; the first error stops it.
pub fn bids(sheet: Sheet<'_>) -> Result<Vec<Tariff>> {
    Groups::new(sheet, Layout::Bids).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(lines: &[&[&str]]) -> Vec<Row> {
        lines
            .iter()
            .enumerate()
            .map(|(i, l)| Row {
                number: i + 1,
                cells: l
                    .iter()
                    .map(|c| {
                        if c.is_empty() {
                            Cell::Empty
                        } else {
                            Cell::Text(c.to_string())
                        }
                    })
                    .collect(),
            })
            .collect()
    }

    #[test]
    fn names_cells_as_spreadsheets_do() {
        assert_eq!(cell_name(3, 4), "D3");
        assert_eq!(cell_name(1, 26), "Z1");
        assert_eq!(cell_name(10, 27), "AA10");
    }

    #[test]
    fn groups_a_rate_table_by_facility_and_names_bad_cells() {
        let sheet = Sheet::from_rows(
            "t.csv",
            rows(&[
                &[
                    "Facility",
                    " KIND ",
                    "average_daily_population",
                    "service",
                    "per_minute",
                    "notes",
                ],
                &["A", "jail", "640", "audio", "$0.21", "x"],
                &["A", "", "", "Video", " 0.30 ", ""],
                &["", "", "", "", "", ""],
                &["B", "prison", "100", "audio", "abc", ""],
                &["C", "prison", "100", "audio", "0.10", ""],
            ]),
        );
        let out: Vec<_> = rate_table(sheet).collect();
        assert_eq!(out.len(), 3);
        let a = out[0].as_ref().unwrap();
        assert_eq!(a.rates.len(), 2);
        assert_eq!(a.facility.name.as_deref(), Some("A"));
        assert_eq!(a.file, "t.csv rows 2–3 (A)");
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("t.csv:5:5: per_minute: cell E5: \"abc\" is not a decimal amount; write it like 0.21 or $0.21"), "{e}");
        assert!(out[2].is_ok());
    }

    #[test]
    fn reports_every_bad_row_and_still_reads_the_facilitys_other_rows() {
        let sheet = Sheet::from_rows(
            "t.csv",
            rows(&[
                &[
                    "facility",
                    "kind",
                    "average_daily_population",
                    "service",
                    "jurisdiction",
                    "per_minute",
                ],
                &["A", "jail", "640", "audio", "interstate", "0.21"],
                &["A", "", "", "audio", "intrastate", "0,21"],
                &["A", "", "", "video", "interstate", "0.30"],
                &["A", "", "", "video", "intrastate", "-1"],
                &["B", "prison", "100", "audio", "", "0.10"],
            ]),
        );
        let out: Vec<_> = rate_table(sheet).collect();
        assert_eq!(out.len(), 4, "{out:?}");
        let e = out[0].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("t.csv:3:6: per_minute: cell F3:"), "{e}");
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("t.csv:5:6: per_minute: cell F5:"), "{e}");
        let a = out[2].as_ref().unwrap();
        assert_eq!(a.rates.len(), 2);
        assert_eq!(
            a.file,
            "t.csv rows 2–5 (A; rows 3, 5 not read, see their errors)"
        );
        let b = out[3].as_ref().unwrap();
        assert_eq!(b.file, "t.csv rows 6–6 (B)");
        // A bid with a bad row is refused with that row's error: a comparison needs every bid whole.
        let e = bids(Sheet::from_rows(
            "b.csv",
            rows(&[
                &[
                    "bid",
                    "kind",
                    "average_daily_population",
                    "start",
                    "term_years",
                    "per_minute",
                ],
                &["X", "jail", "640", "2026-07-01", "5", "0.21"],
                &["X", "", "", "", "", "abc"],
            ]),
        ))
        .unwrap_err()
        .to_string();
        assert!(e.starts_with("b.csv:3:6: per_minute: cell F3:"), "{e}");
    }

    #[test]
    fn refuses_unknown_columns_conflicts_and_scattered_rows() {
        let e = rate_table(Sheet::from_rows(
            "t.csv",
            rows(&[&["facility", "per_minut"]]),
        ))
        .next()
        .unwrap()
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("unknown column \"per_minut\"") && e.contains("`per_minute`"),
            "{e}"
        );
        let out: Vec<_> = rate_table(Sheet::from_rows(
            "t.csv",
            rows(&[
                &[
                    "facility",
                    "kind",
                    "average_daily_population",
                    "per_minute",
                    "service",
                ],
                &["A", "jail", "640", "0.1", "audio"],
                &["A", "prison", "", "0.1", "video"],
                &["B", "jail", "5", "0.1", ""],
                &["A", "jail", "5", "0.1", ""],
            ]),
        ))
        .collect();
        let e = out[0].as_ref().unwrap_err().to_string();
        assert!(e.contains("`kind` is prison here but jail on row 2"), "{e}");
        // A's error, A from its other row, B, and the error of A's scattered row.
        assert_eq!(out.len(), 4);
        assert_eq!(
            out[1].as_ref().unwrap().file,
            "t.csv rows 2–3 (A; row 3 not read, see its error)"
        );
        assert!(
            out.iter()
                .any(|r| r.as_ref().is_err_and(|e| e.to_string().contains(
                    "t.csv:5:1: facility: cell A5: the rows of facility \"A\" are not together"
                ))),
            "{out:?}"
        );
        let out: Vec<_> = rate_table(Sheet::from_rows(
            "t.csv",
            rows(&[
                &[
                    "facility",
                    "kind",
                    "average_daily_population",
                    "per_minute",
                    "service",
                ],
                &["A", "jail", "640", "0.1", "audio"],
                &["A", "", "", "0.2", ""],
            ]),
        ))
        .collect();
        let e = out[0].as_ref().unwrap_err().to_string();
        assert!(
            e.contains("t.csv:3:5: service:") && e.contains("overlaps the rate on row 2"),
            "{e}"
        );
    }
}
