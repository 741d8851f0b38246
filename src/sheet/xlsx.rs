//! The first sheet of an XLSX workbook, as cells: `archive` (src/sheet/xlsx/archive.rs) opens the
//! zip archive (its deflate by miniz_oxide), `quick-xml` reads its parts, and this module knows
//! only which parts and elements of the format (ECMA-376, SpreadsheetML) hold the cells.
//!
//! Why not calamine, which did this before: calamine cannot be built without `encoding_rs` (a plain
//! dependency, and quick-xml's `encoding` feature, which it turns on for its `.xls` and `.ods`
//! readers), and that links every text encoding's tables: the page's XLSX reader was 303 KB gzip
//! with it, three times its 100 KB budget (web/README.md, "Budgets"). An XLSX workbook's parts are
//! UTF-8 XML (what Excel, LibreOffice and Google Sheets write), so nothing here needs another
//! encoding; a part that is not UTF-8 is refused by name. Inflating and XML are left to libraries;
//! the zip archive's directory is read by `archive` (the `zip` crate measured 21 KB gzip more of
//! the page: `archive` says why). What is written here is the mapping from the format's parts to
//! cells, and the CLI uses it too: the page and the command line read a workbook the same way, with
//! one reader to keep. It follows calamine 0.35's reading rule for rule (the cells, shared strings
//! with rich text and phonetic runs, `_x000D_` escapes, dates by the cell's number format, merged
//! cells), and a test (tests/sheets.rs) reads every XLSX workbook of the repo and of the tests with
//! both and compares the cells; calamine is a dev-dependency for it.
//!
//! One difference on purpose: a workbook of the 1904 date system gives its dates as serial numbers
//! of the 1900 system (the core reads serials as 1900-based, `Cell::Date`), where calamine hands
//! over the stored number and such a workbook's dates were read 4 years early.

use super::{cell_name, Cell, Row};
use crate::error::{Error, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::collections::HashMap;

mod archive;

/// A merged range of cells, 0-based (row, column) of its first and last cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Merge {
    /// The top left cell.
    pub first: (usize, usize),
    /// The bottom right cell.
    pub last: (usize, usize),
}

/// The first sheet of a workbook: its name, its rows and its merged cells.
#[derive(Debug, Clone, PartialEq)]
pub struct FirstSheet {
    /// The sheet's name, as its tab shows it.
    pub name: String,
    /// The rows from the first to the last with a value, each with its cells from column A to
    /// the last column with a value in any row (as calamine's range gives them).
    pub rows: Vec<Row>,
    /// The merged ranges, as the sheet lists them.
    pub merges: Vec<Merge>,
}

/// Largest part read (uncompressed): a guard against a small archive that inflates without end.
const MAX_PART_BYTES: u64 = 512 << 20;
/// Largest grid of cells held (rows × columns between the first and last value): 10 million
/// cells are 160 MB in the page (16 bytes a cell in wasm32), 320 MB in the CLI; a table of
/// 100,000 rate lines of 30 columns is 3 million. Two far-apart cells (A1 and XFD1048576) would
/// otherwise ask for 17 billion.
const MAX_CELLS: usize = 10_000_000;
/// The sheet's limits in Excel: 1,048,576 rows, 16,384 columns (XFD).
const MAX_ROWS: usize = 1 << 20;
const MAX_COLUMNS: usize = 1 << 14;
/// Days from 1899-12-30 (day 0 of the 1900 system) to 1904-01-01 (day 0 of the 1904 system).
const DAYS_1900_TO_1904: f64 = 1462.0;

/// Reads the first sheet of the workbook in `bytes`; `file` names it in errors.
pub fn first_sheet(file: &str, bytes: Vec<u8>) -> Result<FirstSheet> {
    let bad = |m: String| Error::file(file, m);
    // An encrypted workbook (or an .xls) is an OLE compound file, not a zip archive.
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return Err(bad(
            "an encrypted workbook or an Excel 97-2003 (.xls) file, which callcap does not read; save it as .xlsx without a password, or as .csv".into(),
        ));
    }
    let zip = archive::Archive::new(bytes).map_err(|e| {
        bad(format!(
            "not an XLSX workbook ({e}); save it as .xlsx or .csv"
        ))
    })?;
    let parts = Parts { file, zip: &zip };
    let strings = match parts.text("xl/sharedStrings.xml")? {
        Some(xml) => shared_strings(parts.at("xl/sharedStrings.xml"), &xml)?,
        None => Vec::new(),
    };
    let formats = match parts.text("xl/styles.xml")? {
        Some(xml) => styles(parts.at("xl/styles.xml"), &xml)?,
        None => Vec::new(),
    };
    let rels = "xl/_rels/workbook.xml.rels";
    let targets = match parts.text(rels)? {
        Some(xml) => relationships(parts.at(rels), &xml)?,
        None => {
            return Err(bad(format!(
                "not an XLSX workbook: it has no `{rels}`; save it as .xlsx or .csv"
            )))
        }
    };
    let Some(xml) = parts.text("xl/workbook.xml")? else {
        return Err(bad(
            "not an XLSX workbook: it has no `xl/workbook.xml`; save it as .xlsx or .csv".into(),
        ));
    };
    let book = workbook(parts.at("xl/workbook.xml"), &xml, &targets)?;
    let Some((name, path)) = book.first else {
        return Err(bad("the workbook has no sheet".into()));
    };
    let Some(xml) = parts.text(&path)? else {
        return Err(bad(format!(
            "the sheet `{name}` is missing from the workbook (no `{path}`); save it again as .xlsx or .csv"
        )));
    };
    let context = Context {
        strings: &strings,
        formats: &formats,
        is_1904: book.is_1904,
    };
    let (cells, merges) = worksheet(parts.at(&path), &xml, &name, &context)?;
    let rows = dense(file, &name, cells)?;
    Ok(FirstSheet { name, rows, merges })
}

/// The archive's parts, found by name as calamine finds them (case-insensitively, `\` as `/`).
struct Parts<'a> {
    file: &'a str,
    zip: &'a archive::Archive,
}

impl<'a> Parts<'a> {
    /// The part named `name` of this file, for messages.
    fn at<'n>(&self, name: &'n str) -> Part<'n>
    where
        'a: 'n,
    {
        Part {
            file: self.file,
            name,
        }
    }

    /// The part's text, or `None` when the archive has no such part.
    fn text(&self, part: &str) -> Result<Option<String>> {
        let found = self
            .zip
            .names()
            .find(|n| n.replace('\\', "/").eq_ignore_ascii_case(part));
        let Some(name) = found else {
            return Ok(None);
        };
        let bytes = self.zip.read(name, MAX_PART_BYTES).map_err(|e| {
            let m = match e {
                archive::Bad::TooLarge(..) => format!("{e}, too large to read; save the sheet as .csv, which callcap reads as a stream"),
                _ => format!("not an XLSX workbook that can be read: {e}; save it again as .xlsx or .csv"),
            };
            Error::file(self.file, m)
        })?;
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        String::from_utf8(bytes).map(Some).map_err(|e| {
            Error::file(self.file, format!(
                "`{part}` is not UTF-8 text (byte {}); save the workbook again as .xlsx (Excel writes UTF-8) or as .csv UTF-8",
                e.utf8_error().valid_up_to()
            ))
        })
    }
}

/// A part of the workbook, for messages: the file and the part's name (`xl/workbook.xml`).
#[derive(Clone, Copy)]
struct Part<'a> {
    file: &'a str,
    name: &'a str,
}

/// A reader of one part, set as calamine sets its own (text kept as it is, no end-name check).
fn reader(xml: &str) -> Reader<&[u8]> {
    let mut r = Reader::from_reader(xml.as_bytes());
    let config = r.config_mut();
    config.trim_text(false);
    config.check_end_names = false;
    config.check_comments = false;
    r
}

/// An error of the XML of `part` (`file: part`), at its byte offset.
fn xml_error(part: Part, r: &Reader<&[u8]>, e: impl std::fmt::Display) -> Error {
    Error::file(
        part.file,
        format!(
            "not an XLSX workbook that can be read: `{}`, byte {}: {e}; save it again as .xlsx or .csv",
            part.name,
            r.error_position()
        ),
    )
}

fn part_error(part: Part, message: String) -> Error {
    Error::file(part.file, format!("`{}`: {message}", part.name))
}

/// The next event of `r`, an XML error named by `part`.
fn next<'x>(part: Part, r: &mut Reader<&'x [u8]>) -> Result<Event<'x>> {
    r.read_event().map_err(|e| xml_error(part, r, e))
}

/// The value of attribute `key` (its full name, as `r:id` or `numFmtId`), unescaped.
fn attribute(part: Part, r: &Reader<&[u8]>, e: &BytesStart, key: &[u8]) -> Result<Option<String>> {
    for a in e.attributes() {
        let a = a.map_err(|x| xml_error(part, r, x))?;
        if a.key.as_ref() == key {
            let v = a
                .decode_and_unescape_value(r.decoder())
                .map_err(|x| xml_error(part, r, x))?;
            return Ok(Some(v.into_owned()));
        }
    }
    Ok(None)
}

/// Text up to the end of the element just started (`end`), entities resolved; `escapes` also
/// turns Excel's `_x00HH_` escapes into their character (as calamine does for `<t>`).
fn text_until(part: Part, r: &mut Reader<&[u8]>, end: &[u8], escapes: bool) -> Result<String> {
    let mut out = String::new();
    loop {
        match next(part, r)? {
            Event::Text(t) => {
                let t = t.xml10_content().map_err(|x| xml_error(part, r, x))?;
                if escapes {
                    unescape_excel(&t, &mut out);
                } else {
                    out.push_str(&t);
                }
            }
            Event::CData(t) => out.push_str(&t.xml10_content().map_err(|x| xml_error(part, r, x))?),
            Event::GeneralRef(g) => {
                let name = g.decode().map_err(|x| xml_error(part, r, x))?;
                if let Some(s) = quick_xml::escape::resolve_xml_entity(&name) {
                    out.push_str(s);
                } else if let Some(c) = g.resolve_char_ref().map_err(|x| xml_error(part, r, x))? {
                    out.push(c);
                } else {
                    return Err(xml_error(part, r, format!("unknown entity `&{name};`")));
                }
            }
            Event::End(e) if e.local_name().as_ref() == end => return Ok(out),
            Event::Eof => return Err(xml_error(part, r, "the file ends inside an element")),
            _ => {}
        }
    }
}

/// Excel writes a control character such as `\r` as `_x000D_` (and a literal `_x000D_` as
/// `_x005F_x000D_`): calamine's `unescape_xml`, which reads two hex digits after `_x00`.
fn unescape_excel(text: &str, out: &mut String) {
    let mut rest = text;
    while let Some(i) = rest.find("_x00") {
        let hex = rest.get(i + 4..i + 6);
        let code = hex
            .filter(|_| rest.as_bytes().get(i + 6) == Some(&b'_'))
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match code {
            Some(c) => {
                out.push_str(&rest[..i]);
                out.push(c as char);
                rest = &rest[i + 7..];
            }
            None => {
                out.push_str(&rest[..i + 4]);
                rest = &rest[i + 4..];
            }
        }
    }
    out.push_str(rest);
}

/// Skips to the end of the element just started (`end`).
fn skip(part: Part, r: &mut Reader<&[u8]>, end: &[u8]) -> Result<()> {
    let mut depth = 0usize;
    loop {
        match next(part, r)? {
            Event::Start(e) if e.local_name().as_ref() == end => depth += 1,
            Event::End(e) if e.local_name().as_ref() == end => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
            }
            Event::Eof => return Err(xml_error(part, r, "the file ends inside an element")),
            _ => {}
        }
    }
}

/// A string of `<si>` or `<is>` (just started; `end` its name): its `<t>`, or the `<t>` of its
/// rich-text runs joined, without phonetic runs (`<rPh>`).
fn string_until(part: Part, r: &mut Reader<&[u8]>, end: &[u8]) -> Result<String> {
    let mut out = String::new();
    loop {
        match next(part, r)? {
            Event::Start(e) if e.local_name().as_ref() == b"rPh" => skip(part, r, b"rPh")?,
            Event::Start(e) if e.local_name().as_ref() == b"t" => {
                out.push_str(&text_until(part, r, b"t", true)?)
            }
            Event::End(e) if e.local_name().as_ref() == end => return Ok(out),
            Event::Eof => return Err(xml_error(part, r, "the file ends inside a string")),
            _ => {}
        }
    }
}

/// `xl/sharedStrings.xml`: the strings cells of type `s` refer to by index.
fn shared_strings(part: Part, xml: &str) -> Result<Vec<String>> {
    let mut r = reader(xml);
    let mut strings = Vec::new();
    loop {
        match next(part, &mut r)? {
            Event::Start(e) if e.local_name().as_ref() == b"si" => {
                strings.push(string_until(part, &mut r, b"si")?)
            }
            Event::Empty(e) if e.local_name().as_ref() == b"si" => strings.push(String::new()),
            Event::Eof => return Ok(strings),
            _ => {}
        }
    }
}

/// Whether a cell style's number format shows a date or time (its number is then a serial day).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Format {
    Date,
    Other,
}

/// `xl/styles.xml`: for each cell style (`cellXfs`), whether its number format is a date's.
fn styles(part: Part, xml: &str) -> Result<Vec<Format>> {
    let mut r = reader(xml);
    let mut custom: HashMap<String, String> = HashMap::new();
    let mut formats = Vec::new();
    let mut in_xfs = false;
    loop {
        match next(part, &mut r)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"numFmt" => {
                let id = attribute(part, &r, &e, b"numFmtId")?;
                let code = attribute(part, &r, &e, b"formatCode")?;
                if let (Some(id), Some(code)) = (id, code.filter(|c| !c.is_empty())) {
                    custom.insert(id, code);
                }
            }
            Event::Start(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = true,
            Event::End(e) if e.local_name().as_ref() == b"cellXfs" => in_xfs = false,
            Event::Start(e) | Event::Empty(e) if in_xfs && e.local_name().as_ref() == b"xf" => {
                let format = match attribute(part, &r, &e, b"numFmtId")? {
                    Some(id) => match custom.get(&id) {
                        Some(code) => custom_format(code),
                        None => builtin_format(&id),
                    },
                    None => Format::Other,
                };
                formats.push(format);
            }
            Event::Eof => return Ok(formats),
            _ => {}
        }
    }
}

/// The built-in number formats that show dates and times (14-22, 45-47), as calamine has them.
fn builtin_format(id: &str) -> Format {
    match id {
        "14" | "15" | "16" | "17" | "18" | "19" | "20" | "21" | "22" | "45" | "46" | "47" => {
            Format::Date
        }
        _ => Format::Other,
    }
}

/// Whether a custom format code (`dd/mm/yyyy`, `[h]:mm`) shows a date or time: calamine's
/// `detect_custom_number_format` (calamine 0.35, src/formats.rs, MIT, © Johann Tuffe), where a
/// duration (`[h]:mm`) counts as a date too, as calamine's `DateTime` cells do.
fn custom_format(code: &str) -> Format {
    let mut escaped = false;
    let mut is_quote = false;
    let mut brackets = 0u8;
    let mut prev = ' ';
    let mut hms = false;
    let mut ap = false;
    for s in code.chars() {
        match (s, escaped, is_quote, ap, brackets) {
            (_, true, ..) => escaped = false,
            ('_' | '\\', ..) => escaped = true,
            ('"', _, true, _, _) => is_quote = false,
            (_, _, true, _, _) => (),
            ('"', _, _, _, _) => is_quote = true,
            (';', ..) => return Format::Other,
            ('[', ..) => brackets += 1,
            (']', .., 1) if hms => return Format::Date,
            (']', ..) => brackets = brackets.saturating_sub(1),
            ('a' | 'A', _, _, false, 0) => ap = true,
            ('p' | 'm' | '/' | 'P' | 'M', _, _, true, 0) => return Format::Date,
            ('d' | 'm' | 'h' | 'y' | 's' | 'D' | 'M' | 'H' | 'Y' | 'S', _, _, false, 0) => {
                return Format::Date
            }
            _ => {
                if !(hms && s.eq_ignore_ascii_case(&prev)) {
                    hms = prev == '[' && matches!(s, 'm' | 'h' | 's' | 'M' | 'H' | 'S');
                }
            }
        }
        prev = s;
    }
    Format::Other
}

/// `xl/_rels/workbook.xml.rels`: each relationship's id and target.
fn relationships(part: Part, xml: &str) -> Result<HashMap<String, String>> {
    let mut r = reader(xml);
    let mut targets = HashMap::new();
    loop {
        match next(part, &mut r)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"Relationship" => {
                let id = attribute(part, &r, &e, b"Id")?;
                let target = attribute(part, &r, &e, b"Target")?;
                if let (Some(id), Some(target)) = (id, target) {
                    targets.insert(id, target);
                }
            }
            Event::Eof => return Ok(targets),
            _ => {}
        }
    }
}

struct Book {
    /// The first sheet's name and its part (`xl/worksheets/sheet1.xml`).
    first: Option<(String, String)>,
    is_1904: bool,
}

/// `xl/workbook.xml`: the first sheet (hidden or not, as calamine's first sheet name) and the
/// date system.
fn workbook(part: Part, xml: &str, targets: &HashMap<String, String>) -> Result<Book> {
    let mut r = reader(xml);
    let mut book = Book {
        first: None,
        is_1904: false,
    };
    loop {
        match next(part, &mut r)? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == b"sheet" && book.first.is_none() =>
            {
                let name = attribute(part, &r, &e, b"name")?.unwrap_or_default();
                // The relationship's id: `r:id`, whatever the namespace's prefix.
                let mut id = None;
                for a in e.attributes() {
                    let a = a.map_err(|x| xml_error(part, &r, x))?;
                    if a.key.local_name().as_ref() == b"id" {
                        let v = a
                            .decode_and_unescape_value(r.decoder())
                            .map_err(|x| xml_error(part, &r, x))?;
                        id = Some(v.into_owned());
                    }
                }
                let target = id.as_ref().and_then(|id| targets.get(id)).ok_or_else(|| {
                    part_error(
                        part,
                        format!("the sheet `{name}` has no relationship to its part; save the workbook again as .xlsx or .csv"),
                    )
                })?;
                // A target is relative to xl/, or absolute (`/xl/...`), as calamine takes it.
                let path = if let Some(p) = target.strip_prefix('/') {
                    p.to_string()
                } else if target.starts_with("xl/") {
                    target.clone()
                } else {
                    format!("xl/{target}")
                };
                book.first = Some((name, path));
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"workbookPr" => {
                let v = attribute(part, &r, &e, b"date1904")?;
                book.is_1904 = matches!(v.as_deref(), Some("1" | "true"));
            }
            Event::Eof => return Ok(book),
            _ => {}
        }
    }
}

/// What a worksheet's cells refer to.
struct Context<'a> {
    strings: &'a [String],
    formats: &'a [Format],
    is_1904: bool,
}

/// A cell with a value, 0-based.
struct Placed {
    row: usize,
    column: usize,
    cell: Cell,
}

/// `A1` as 0-based (row, column), or `None` when it is not a cell's name in Excel's limits.
fn parse_cell(name: &str) -> Option<(usize, usize)> {
    let digits = name.find(|c: char| c.is_ascii_digit())?;
    let (letters, number) = name.split_at(digits);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let column = letters
        .bytes()
        .fold(0usize, |n, b| n * 26 + usize::from(b - b'A' + 1));
    let row: usize = number.parse().ok()?;
    ((1..=MAX_ROWS).contains(&row) && (1..=MAX_COLUMNS).contains(&column))
        .then(|| (row - 1, column - 1))
}

/// The worksheet's cells with a value (in the order it lists them) and its merged ranges.
fn worksheet(
    part: Part,
    xml: &str,
    sheet: &str,
    context: &Context,
) -> Result<(Vec<Placed>, Vec<Merge>)> {
    let mut r = reader(xml);
    let mut cells = Vec::new();
    let mut merges = Vec::new();
    let (mut in_data, mut seen_data) = (false, false);
    // The position of a row or cell without an `r` attribute follows the one before.
    let (mut row, mut column) = (0usize, 0usize);
    loop {
        let event = next(part, &mut r)?;
        let empty = matches!(event, Event::Empty(_));
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"sheetData" => {
                (in_data, seen_data) = (!empty, true);
            }
            Event::End(e) if e.local_name().as_ref() == b"sheetData" => in_data = false,
            Event::Start(e) | Event::Empty(e) if in_data && e.local_name().as_ref() == b"row" => {
                if let Some(n) = attribute(part, &r, &e, b"r")? {
                    row = n
                        .parse::<usize>()
                        .ok()
                        .filter(|n| (1..=MAX_ROWS).contains(n))
                        .ok_or_else(|| {
                            part_error(part, format!("row number `{n}` is not one of 1 to {MAX_ROWS}; save the workbook again as .xlsx or .csv"))
                        })?
                        - 1;
                }
                if empty {
                    (row, column) = (row + 1, 0);
                }
            }
            Event::End(e) if in_data && e.local_name().as_ref() == b"row" => {
                (row, column) = (row + 1, 0);
            }
            Event::Start(e) | Event::Empty(e) if in_data && e.local_name().as_ref() == b"c" => {
                let at = match attribute(part, &r, &e, b"r")? {
                    Some(name) => parse_cell(&name).ok_or_else(|| {
                        part_error(part, format!("`{name}` is not a cell's name like B3; save the workbook again as .xlsx or .csv"))
                    })?,
                    None => (row, column),
                };
                let style = attribute(part, &r, &e, b"s")?;
                let kind = attribute(part, &r, &e, b"t")?;
                let cell = if empty {
                    Cell::Empty
                } else {
                    let name = cell_name(at.0 + 1, at.1 + 1);
                    let cell = Value {
                        part,
                        name: &name,
                        style: style.as_deref(),
                        kind: kind.as_deref(),
                        context,
                    };
                    cell.read(&mut r)?
                };
                column = at.1 + 1;
                if cell != Cell::Empty {
                    cells.push(Placed {
                        row: at.0,
                        column: at.1,
                        cell,
                    });
                }
            }
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"mergeCell" => {
                if let Some(range) = attribute(part, &r, &e, b"ref")? {
                    merges.push(merge(part, &range)?);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !seen_data {
        return Err(part_error(
            part,
            format!("the first sheet `{sheet}` is not a worksheet (a chart?); move the table to the first sheet and save it as .xlsx or .csv"),
        ));
    }
    Ok((cells, merges))
}

/// A cell being read (`<c>` just started): where it is, its style and type (`t`).
struct Value<'a> {
    part: Part<'a>,
    name: &'a str,
    style: Option<&'a str>,
    kind: Option<&'a str>,
    context: &'a Context<'a>,
}

impl Value<'_> {
    fn error(&self, m: String) -> Error {
        part_error(
            self.part,
            format!(
                "cell {}: {m}; save the workbook again as .xlsx or .csv",
                self.name
            ),
        )
    }

    /// The cell's value from its children up to `</c>`: `<v>` (the value, read by the type),
    /// `<is>` (an inline string); a formula (`<f>`) and anything else are skipped.
    fn read(&self, r: &mut Reader<&[u8]>) -> Result<Cell> {
        let mut cell = Cell::Empty;
        loop {
            let event = next(self.part, r)?;
            let empty = matches!(event, Event::Empty(_));
            match event {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"v" => {
                    let text = if empty {
                        String::new()
                    } else {
                        text_until(self.part, r, b"v", false)?
                    };
                    cell = self.value(&text)?;
                }
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == b"is" => {
                    cell = Cell::Text(if empty {
                        String::new()
                    } else {
                        string_until(self.part, r, b"is")?
                    });
                }
                Event::Start(e) => skip(self.part, r, e.local_name().as_ref())?,
                Event::End(e) if e.local_name().as_ref() == b"c" => return Ok(cell),
                Event::Eof => return Err(xml_error(self.part, r, "the file ends inside a cell")),
                _ => {}
            }
        }
    }

    /// `<v>`'s text as the cell's type says (calamine's `read_v`).
    fn value(&self, v: &str) -> Result<Cell> {
        // An empty value of a number, shared string, boolean or error is no value.
        if v.is_empty() && matches!(self.kind, None | Some("n" | "s" | "b" | "e")) {
            return Ok(Cell::Empty);
        }
        Ok(match self.kind {
            Some("s") => {
                let index = v.parse::<usize>().ok();
                match index.and_then(|i| self.context.strings.get(i)) {
                    Some(s) => Cell::Text(s.clone()),
                    None => {
                        return Err(self.error(format!(
                            "shared string `{v}` is not in the workbook's {} shared strings",
                            self.context.strings.len()
                        )))
                    }
                }
            }
            Some("b") => Cell::Other((v != "0").to_string()),
            Some("e") => Cell::Other(v.to_string()),
            Some("str" | "d") => Cell::Text(v.to_string()),
            Some("inlineStr" | "is") => Cell::Empty,
            None | Some("n") => match v.parse::<f64>() {
                Ok(n) => {
                    let format = match self.style {
                        Some(s) => self.context.formats.get(s.parse::<usize>().unwrap_or(0)),
                        None => None,
                    };
                    if format == Some(&Format::Date) {
                        // The core reads serial days of the 1900 system.
                        Cell::Date(if self.context.is_1904 {
                            n + DAYS_1900_TO_1904
                        } else {
                            n
                        })
                    } else {
                        Cell::Number(n)
                    }
                }
                // A value without a type that is not a number is text, as calamine has it.
                Err(_) if self.kind.is_none() => Cell::Text(v.to_string()),
                Err(_) => return Err(self.error(format!("`{v}` is not a number"))),
            },
            Some(t) => return Err(self.error(format!("unknown cell type `{t}`"))),
        })
    }
}

/// A merged range's `ref` (`A1:B2`, or one cell).
fn merge(part: Part, range: &str) -> Result<Merge> {
    let (a, b) = range.split_once(':').unwrap_or((range, range));
    match (parse_cell(a), parse_cell(b)) {
        (Some(first), Some(last)) => Ok(Merge { first, last }),
        _ => Err(part_error(
            part,
            format!("merged cells `{range}` are not a range of cells like A1:B2; save the workbook again as .xlsx or .csv"),
        )),
    }
}

/// The rows between the first and last cell with a value, each from column A to the last
/// column with a value (calamine's `Range` of the cells, with the columns before its first).
fn dense(file: &str, sheet: &str, cells: Vec<Placed>) -> Result<Vec<Row>> {
    let (Some(top), Some(bottom)) = (
        cells.iter().map(|c| c.row).min(),
        cells.iter().map(|c| c.row).max(),
    ) else {
        return Ok(Vec::new());
    };
    let width = cells.iter().map(|c| c.column).max().unwrap_or(0) + 1;
    let height = bottom - top + 1;
    if height.saturating_mul(width) > MAX_CELLS {
        return Err(Error::file(
            file,
            format!(
                "the sheet `{sheet}` spans {} rows and {width} columns, more cells than callcap holds ({MAX_CELLS}); save the sheet as .csv, which callcap reads as a stream",
                height
            ),
        ));
    }
    let mut rows: Vec<Row> = (0..height)
        .map(|i| Row {
            number: top + i + 1,
            cells: vec![Cell::Empty; width],
        })
        .collect();
    for c in cells {
        rows[c.row - top].cells[c.column] = c.cell;
    }
    Ok(rows)
}
