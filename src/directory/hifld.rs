//! HIFLD's Prison Boundaries CSV to the directory's CSV: what `examples/build_directory.rs`
//! runs, here so that a test can hold the committed file to it.

use super::{
    kind_from_hifld, operator_from_hifld, status_from_hifld, Directory, COLUMNS,
    HIFLD_SECURITY_LEVELS, HIFLD_TYPES, SOURCE,
};
use crate::error::quoted;
use std::collections::BTreeMap;

/// HIFLD's columns the directory reads.
const NEEDED: &[&str] = &[
    "FACILITYID",
    "NAME",
    "CITY",
    "STATE",
    "COUNTYFIPS",
    "TYPE",
    "SECURELVL",
    "POPULATION",
    "SOURCEDATE",
    "CAPACITY",
    "STATUS",
];

/// HIFLD's word for a missing text value, and its number for a missing count.
const NOT_AVAILABLE: &str = "NOT AVAILABLE";
const MISSING: i64 = -999;

/// The text of `directory.csv` made from HIFLD's CSV (`source` names it in messages), with
/// its first line naming `edition`; an error names the line and column of a row it cannot
/// read, and what would be valid. The result is read back with [`Directory::from_csv`].
pub fn directory_from_hifld(source: &str, text: &str, edition: &str) -> Result<String, String> {
    crate::dated::parse_date(edition).map_err(|m| format!("edition: {m}"))?;
    let text = text.trim_start_matches('\u{feff}');
    let rows = read_hifld(source, text)?;
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    w.write_record(COLUMNS).map_err(|e| e.to_string())?;
    for row in rows.values() {
        w.write_record(row).map_err(|e| e.to_string())?;
    }
    let body = w.into_inner().map_err(|e| e.to_string())?;
    let mut file = format!(
        "# edition {edition}; {} facilities from {SOURCE}; made by examples/build_directory.rs; see README.md\n",
        rows.len(),
    )
    .into_bytes();
    file.extend_from_slice(&body);
    let written = String::from_utf8(file).map_err(|e| e.to_string())?;
    Directory::from_csv(super::FILE, &written).map_err(|e| e.to_string())?;
    Ok(written)
}

/// Sorted as text, as the library looks ids up (HIFLD's are all eight digits).
fn read_hifld(source: &str, text: &str) -> Result<BTreeMap<String, Vec<String>>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| format!("{source}: {e}"))?
        .clone();
    let mut at = BTreeMap::new();
    for name in NEEDED {
        let i = header.iter().position(|h| h == *name).ok_or_else(|| {
            format!(
                "{source}: no column {name} (the directory needs {})",
                NEEDED.join(", ")
            )
        })?;
        at.insert(*name, i);
    }
    let mut rows = BTreeMap::new();
    for record in reader.records() {
        let record = record.map_err(|e| format!("{source}: {e}"))?;
        let line = record.position().map_or(0, |p| p.line());
        let bad = |column: &str, message: String| format!("{source}:{line}: {column}: {message}");
        let get = |column: &str| record.get(at[column]).unwrap_or_default().trim();
        let id: u64 = get("FACILITYID").parse().map_err(|_| {
            bad(
                "FACILITYID",
                format!("{} is not a whole number", quoted(get("FACILITYID"))),
            )
        })?;
        let hifld_type = get("TYPE");
        if !HIFLD_TYPES.contains(&hifld_type) {
            return Err(bad(
                "TYPE",
                format!(
                    "{} is not one of {}",
                    quoted(hifld_type),
                    HIFLD_TYPES.join(", ")
                ),
            ));
        }
        let level = get("SECURELVL");
        if !HIFLD_SECURITY_LEVELS.contains(&level) {
            return Err(bad(
                "SECURELVL",
                format!(
                    "{} is not one of {}",
                    quoted(level),
                    HIFLD_SECURITY_LEVELS.join(", ")
                ),
            ));
        }
        let state = get("STATE");
        crate::facility::validate_state(state).map_err(|m| bad("STATE", m))?;
        let name = get("NAME");
        let city = get("CITY");
        for (column, value) in [("NAME", name), ("CITY", city)] {
            if value.is_empty() || value == NOT_AVAILABLE {
                return Err(bad(column, "is empty".into()));
            }
        }
        let fips = match get("COUNTYFIPS") {
            NOT_AVAILABLE | "" => String::new(),
            f => {
                crate::facility::validate_county_fips(f).map_err(|m| bad("COUNTYFIPS", m))?;
                f.to_string()
            }
        };
        let count = |column: &str| -> Result<String, String> {
            match get(column).parse::<i64>() {
                Ok(MISSING) => Ok(String::new()),
                Ok(n) if (0..=i64::from(u32::MAX)).contains(&n) => Ok(n.to_string()),
                _ => Err(bad(
                    column,
                    format!("{} is not a count (or -999, unknown)", quoted(get(column))),
                )),
            }
        };
        let population = count("POPULATION")?;
        let capacity = count("CAPACITY")?;
        // SOURCEDATE: `2018/04/30 00:00:00+00`; the population's date when there is one.
        let source_date = get("SOURCEDATE");
        let day = source_date.get(..10).unwrap_or_default().replace('/', "-");
        let as_of = match crate::dated::parse_date(&day) {
            Ok(d) if !population.is_empty() => d.to_string(),
            Ok(_) => String::new(),
            Err(_) => {
                return Err(bad(
                    "SOURCEDATE",
                    format!("{} is not a date like 2018/04/30", quoted(source_date)),
                ))
            }
        };
        let (kind, basis) = kind_from_hifld(hifld_type, level, name, state);
        let (operator, _) = operator_from_hifld(hifld_type);
        let status = status_from_hifld(get("STATUS"));
        let row = vec![
            id.to_string(),
            name.to_string(),
            city.to_string(),
            state.to_string(),
            fips,
            hifld_type.to_string(),
            kind.map(|k| k.to_string()).unwrap_or_default(),
            basis.to_string(),
            operator.map(|o| o.to_string()).unwrap_or_default(),
            population,
            as_of,
            capacity,
            status.to_string(),
        ];
        if rows.insert(id.to_string(), row).is_some() {
            return Err(bad("FACILITYID", format!("{id} appears twice")));
        }
    }
    Ok(rows)
}
