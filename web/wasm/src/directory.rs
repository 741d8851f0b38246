//! The facility directory in the page's compact form: the same facilities as
//! `rates/facilities/directory.csv` (the core reads that), column by column, for the page to
//! fetch when its finder is first used. Only the form differs; the search, the filling in and
//! the sizing are the core's ([`callcap::directory`], [`callcap::sizing`]).
//!
//! ```text
//! callcap page directory 1
//! edition 2026-12-01
//! combos N            then N lines: hifld_type TAB kind TAB kind_basis TAB operator TAB status
//! dates N             then N lines: YYYY-MM-DD (the days populations were reported)
//! states N            then N lines: ST TAB facilities TAB the two FIPS digits of its counties
//! rows N              then 7 columns of N lines each, rows by state (in that order), then by id:
//!                     id (the first of a state whole, then the difference from the one before),
//!                     name, city, county FIPS (its last three digits when it begins with the
//!                     state's two, else all five; empty: none), combo (its line, from 0),
//!                     population (empty: none), date (its line, from 0; empty: none)
//! ```
//!
//! Grouping by state and by column, and the combinations and dates written once, make it
//! compress to about 96 KB gzip against the CSV's 158 KB (measured in `web/README.md`). The
//! capacity is left out: the page does not show it.

use callcap::directory::{operator_from_hifld, Directory, Entry};
use callcap::facility::{FacilityKind, Operator};
use callcap::vocab::{FacilityStatus, KindBasis};
use std::collections::BTreeMap;
use std::fmt::Write as _;

const MAGIC: &str = "callcap page directory 1";

/// The directory in the compact form.
pub fn write(directory: &Directory) -> String {
    let mut entries: Vec<&Entry> = directory.entries().iter().collect();
    entries.sort_by(|a, b| (a.state.as_str(), id(a)).cmp(&(b.state.as_str(), id(b))));
    let combo = |e: &Entry| {
        format!(
            "{}\t{}\t{}\t{}\t{}",
            e.hifld_type,
            e.kind.map_or("", FacilityKind::as_str),
            e.kind_basis.as_str(),
            e.operator.map_or("", Operator::as_str),
            e.status.as_str()
        )
    };
    let mut combos: Vec<String> = entries.iter().map(|e| combo(e)).collect();
    combos.sort();
    combos.dedup();
    let mut dates: Vec<String> = entries
        .iter()
        .filter_map(|e| e.population_as_of.map(|d| d.to_string()))
        .collect();
    dates.sort();
    dates.dedup();
    // Each state's FIPS digits: those most of its counties begin with.
    let mut states: BTreeMap<&str, (usize, BTreeMap<&str, usize>)> = BTreeMap::new();
    for e in &entries {
        let s = states.entry(e.state.as_str()).or_default();
        s.0 += 1;
        if let Some(f) = &e.county_fips {
            *s.1.entry(&f[..2]).or_default() += 1;
        }
    }
    let prefix = |s: &BTreeMap<&str, usize>| -> String {
        s.iter()
            .max_by_key(|(_, n)| **n)
            .map_or(String::new(), |(p, _)| p.to_string())
    };
    let mut out = format!("{MAGIC}\nedition {}\n", directory.edition());
    let _ = writeln!(out, "combos {}", combos.len());
    for c in &combos {
        let _ = writeln!(out, "{c}");
    }
    let _ = writeln!(out, "dates {}", dates.len());
    for d in &dates {
        let _ = writeln!(out, "{d}");
    }
    let _ = writeln!(out, "states {}", states.len());
    let prefixes: BTreeMap<&str, String> =
        states.iter().map(|(s, (_, p))| (*s, prefix(p))).collect();
    for (s, (n, _)) in &states {
        let _ = writeln!(out, "{s}\t{n}\t{}", prefixes[s]);
    }
    let _ = writeln!(out, "rows {}", entries.len());
    let mut before: Option<(&str, u64)> = None;
    for e in &entries {
        let n = id(e);
        match before {
            Some((s, b)) if s == e.state => {
                let _ = writeln!(out, "{}", n - b);
            }
            _ => {
                let _ = writeln!(out, "{n}");
            }
        }
        before = Some((e.state.as_str(), n));
    }
    for e in &entries {
        let _ = writeln!(out, "{}", e.name);
    }
    for e in &entries {
        let _ = writeln!(out, "{}", e.city);
    }
    for e in &entries {
        let f = e.county_fips.as_deref().unwrap_or("");
        let p = &prefixes[e.state.as_str()];
        let short = f.strip_prefix(p.as_str()).filter(|_| !p.is_empty());
        let _ = writeln!(out, "{}", short.unwrap_or(f));
    }
    for e in &entries {
        let at = combos.binary_search(&combo(e)).unwrap_or(0);
        let _ = writeln!(out, "{at}");
    }
    for e in &entries {
        let _ = writeln!(
            out,
            "{}",
            e.population.map(|p| p.to_string()).unwrap_or_default()
        );
    }
    for e in &entries {
        let at = e
            .population_as_of
            .and_then(|d| dates.binary_search(&d.to_string()).ok())
            .map(|i| i.to_string());
        let _ = writeln!(out, "{}", at.unwrap_or_default());
    }
    out
}

/// The directory as the repository has it (`rates/facilities/directory.csv`, read by the core):
/// what [`write`] is given by the build (`examples/page_directory.rs`) and the tests. Not in the
/// page's module: nothing there calls it.
pub fn from_repository() -> Directory {
    const TEXT: &str = include_str!("../../../rates/facilities/directory.csv");
    match Directory::from_csv(callcap::directory::FILE, TEXT) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

fn id(e: &Entry) -> u64 {
    e.id.parse().unwrap_or(0)
}

/// Reads the compact form (as [`write`] writes it) into the core's directory.
pub fn read(text: &str) -> Result<Directory, String> {
    let mut lines = text.lines();
    let mut next = || {
        lines
            .next()
            .ok_or("the page's directory ends too soon".to_string())
    };
    if next()? != MAGIC {
        return Err("this is not the page's facility directory".into());
    }
    let edition = next()?
        .strip_prefix("edition ")
        .ok_or("no edition line")?
        .to_string();
    let count = |what: &str, line: &str| -> Result<usize, String> {
        line.strip_prefix(what)
            .and_then(|n| n.trim().parse().ok())
            .ok_or(format!("no `{what}` line"))
    };
    let n = count("combos ", next()?)?;
    let mut combos = Vec::with_capacity(n);
    for _ in 0..n {
        let line = next()?;
        let c: Vec<&str> = line.split('\t').collect();
        let [hifld_type, kind, basis, operator, status] = c[..] else {
            return Err(format!("a bad combination: {line}"));
        };
        fn word(w: &str) -> Option<&str> {
            (!w.is_empty()).then_some(w)
        }
        combos.push((
            hifld_type.to_string(),
            word(kind).map(FacilityKind::parse).transpose()?,
            KindBasis::parse(basis)?,
            word(operator).map(Operator::parse).transpose()?,
            FacilityStatus::parse(status)?,
        ));
    }
    let n = count("dates ", next()?)?;
    let mut dates = Vec::with_capacity(n);
    for _ in 0..n {
        dates.push(callcap::dated::parse_date(next()?)?);
    }
    let n = count("states ", next()?)?;
    let mut states = Vec::with_capacity(n);
    for _ in 0..n {
        let line = next()?;
        let c: Vec<&str> = line.split('\t').collect();
        let [state, facilities, prefix] = c[..] else {
            return Err(format!("a bad state line: {line}"));
        };
        let facilities: usize = facilities
            .parse()
            .map_err(|_| format!("a bad state line: {line}"))?;
        states.push((state.to_string(), facilities, prefix.to_string()));
    }
    let rows = count("rows ", next()?)?;
    let mut column = || -> Result<Vec<&str>, String> { (0..rows).map(|_| next()).collect() };
    let (ids, names, cities, counties, kinds, populations, as_of) = (
        column()?,
        column()?,
        column()?,
        column()?,
        column()?,
        column()?,
        column()?,
    );
    let number = |t: &str| t.parse::<u32>().map_err(|_| format!("a bad number: {t}"));
    let mut entries = Vec::with_capacity(rows);
    let mut row = 0;
    for (state, facilities, prefix) in &states {
        let mut before: Option<u64> = None;
        for _ in 0..*facilities {
            let i = row;
            row += 1;
            let step: u64 = ids
                .get(i)
                .and_then(|t| t.parse().ok())
                .ok_or("a bad id".to_string())?;
            let id = before.map_or(step, |b| b + step);
            before = Some(id);
            let (hifld_type, kind, kind_basis, operator, status) = combos
                .get(number(kinds[i])? as usize)
                .ok_or("a bad combination number".to_string())?
                .clone();
            let county = counties[i];
            let county_fips = match county.len() {
                0 => None,
                3 => Some(format!("{prefix}{county}")),
                _ => Some(county.to_string()),
            };
            entries.push(Entry {
                id: id.to_string(),
                name: names[i].to_string(),
                city: cities[i].to_string(),
                state: state.clone(),
                county_fips,
                kind,
                kind_guessed: kind_basis.is_guess(),
                kind_basis,
                operator,
                operator_guessed: operator_from_hifld(&hifld_type).1,
                hifld_type,
                population: Some(populations[i])
                    .filter(|t| !t.is_empty())
                    .map(number)
                    .transpose()?,
                population_as_of: Some(as_of[i])
                    .filter(|t| !t.is_empty())
                    .map(|t| {
                        number(t).and_then(|d| {
                            dates
                                .get(d as usize)
                                .copied()
                                .ok_or("a bad date number".to_string())
                        })
                    })
                    .transpose()?,
                capacity: None,
                status,
            });
        }
    }
    if row != rows {
        return Err(format!("the states hold {row} facilities, the rows {rows}"));
    }
    Directory::from_entries(&edition, entries).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_compact_form_holds_the_directory_but_its_capacities() {
        let bundled = &from_repository();
        let text = write(bundled);
        let read = read(&text).expect("read back");
        assert_eq!(read.edition(), bundled.edition());
        assert_eq!(read.entries().len(), bundled.entries().len());
        for (a, b) in read.entries().iter().zip(bundled.entries()) {
            let mut b = b.clone();
            b.capacity = None;
            assert_eq!(a, &b);
        }
        let found = read
            .search("harris county", Some("TX"), 3)
            .expect("a search");
        assert!(!found.is_empty());
    }

    #[test]
    fn bad_text_is_an_error() {
        assert!(read("hello").is_err());
        assert!(read(MAGIC).is_err());
    }
}
