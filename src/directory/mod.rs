//! The facility directory: 6,737 U.S. prisons and jails from HIFLD's Prison Boundaries layer,
//! to find a facility by name or city and fill in what a tariff or the command line leaves
//! out (`id = "…"` in a tariff's `[facility]`, `--facility-id`).
//!
//! The data is `rates/facilities/directory.csv` (its README gives the source, licence, vintage
//! and the mapping from HIFLD's fields), embedded in the library when the `directory` feature
//! is on (the CLI turns it on; the browser build leaves it off, so the page's module does not
//! grow). It is reference data, not regulation: the rate book never reads it.
//!
//! ```
//! use callcap::directory::Directory;
//!
//! let directory = Directory::bundled()?;
//! let found = directory.search("midland central detention", Some("TX"), 3)?;
//! assert_eq!(found[0].entry.name, "MIDLAND COUNTY CENTRAL DETENTION CENTER");
//! let entry = directory.get("10002798").expect("an id");
//! assert_eq!(entry.population, Some(438));
//! # Ok::<(), callcap::Error>(())
//! ```
//!
//! A population HIFLD reports is not the FCC's average daily population: a facility filled in
//! from the directory says so ([`crate::sizing`]; the answers that show it are in [`crate::report`]), and lists every tier its size could put it
//! in.

mod hifld;
mod mapping;
mod search;

pub use hifld::directory_from_hifld;

pub use crate::facility::validate_facility_id as validate_id;
pub use mapping::{
    explain, kind_from_hifld, operator_from_hifld, status_from_hifld, HIFLD_SECURITY_LEVELS,
    HIFLD_TYPES, UNIFIED_SYSTEM_STATES,
};
pub use search::{normalize, words, MAX_QUERY_WORDS};

use crate::error::{Error, ErrorKind, Result};
use crate::facility::{AdpSource, UNKNOWN_ADP};
use crate::facility::{Facility, FacilityKind, Operator};
use crate::vocab::{FacilityStatus, KindBasis};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::OnceLock;

/// Where the directory is in the repository (for messages).
pub const FILE: &str = "rates/facilities/directory.csv";

/// The directory's text, as committed (embedded with the `directory-data` feature, which the
/// CLI turns on; without it the directory is the one [`Directory::install`] was given: the
/// page's, fetched when its finder is first used).
#[cfg(feature = "directory-data")]
const TEXT: &str = include_str!("../../rates/facilities/directory.csv");

/// The directory given to [`Directory::install`].
static INSTALLED: OnceLock<Directory> = OnceLock::new();

/// The columns of `directory.csv`, in order.
pub const COLUMNS: &[&str] = &[
    "id",
    "name",
    "city",
    "state",
    "county_fips",
    "hifld_type",
    "kind",
    "kind_basis",
    "operator",
    "population",
    "population_as_of",
    "capacity",
    "status",
];

/// The source, as notes and JSON name it.
pub const SOURCE: &str = "HIFLD Prison Boundaries, Oak Ridge National Laboratory, 2020-09-30";

/// The most results a search returns.
pub const MAX_LIMIT: usize = 1000;

/// One facility of the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    /// HIFLD's `FACILITYID`.
    pub id: String,
    /// Its name, as HIFLD writes it (upper case).
    pub name: String,
    /// The city it is in.
    pub city: String,
    /// Two-letter state (or territory) code.
    pub state: String,
    /// The county's five-digit FIPS code, when HIFLD gives one.
    pub county_fips: Option<String>,
    /// Prison or jail, as 47 CFR § 64.6000 defines them; null when HIFLD's fields do not say.
    pub kind: Option<FacilityKind>,
    /// Why it has that kind (see `rates/facilities/README.md`).
    pub kind_basis: KindBasis,
    /// Whether the kind is a guess.
    pub kind_guessed: bool,
    /// Who runs it, from HIFLD's type (null for MULTI and NOT AVAILABLE; never `private`:
    /// HIFLD does not say).
    pub operator: Option<Operator>,
    /// Whether the operator is a guess (HIFLD's LOCAL, taken as a city).
    pub operator_guessed: bool,
    /// HIFLD's `TYPE` as published.
    pub hifld_type: String,
    /// The population as HIFLD reports it (not the average daily population); null: unknown.
    pub population: Option<u32>,
    /// The day HIFLD's source reported it.
    pub population_as_of: Option<NaiveDate>,
    /// Rated capacity, as HIFLD reports it; null: unknown.
    pub capacity: Option<u32>,
    /// Open, closed, or unknown, as HIFLD reports it.
    pub status: FacilityStatus,
}

/// A search result.
#[derive(Debug, Clone, PartialEq)]
pub struct Match<'d> {
    /// The facility.
    pub entry: &'d Entry,
    /// How well it matches (higher is better; 1.2 or more is every word matched exactly).
    pub score: f32,
}

/// The facility directory.
#[derive(Debug)]
pub struct Directory {
    edition: String,
    entries: Vec<Entry>,
    index: search::Index,
}

impl Directory {
    /// The directory bundled with callcap (read once), or the one given to
    /// [`Directory::install`]; without the `directory-data` feature, an error until one is.
    pub fn bundled() -> Result<&'static Directory> {
        if let Some(d) = INSTALLED.get() {
            return Ok(d);
        }
        #[cfg(feature = "directory-data")]
        {
            static BUNDLED: OnceLock<Result<Directory>> = OnceLock::new();
            BUNDLED
                .get_or_init(|| Directory::from_csv(FILE, TEXT))
                .as_ref()
                .map_err(Clone::clone)
        }
        #[cfg(not(feature = "directory-data"))]
        INSTALLED.get().ok_or_else(|| {
            Error::usage(
                "facility_id",
                "the facility directory is not loaded yet (this build does not embed it)",
            )
        })
    }

    /// Makes `directory` the one [`Directory::bundled`] gives: for a build without the
    /// `directory-data` feature (the page's, whose directory is fetched when first used).
    /// Once only: false when one was installed already.
    pub fn install(directory: Directory) -> bool {
        INSTALLED.set(directory).is_ok()
    }

    /// Reads a directory in the format of `directory.csv`: a first line `# edition
    /// YYYY-MM-DD …`, then the header [`COLUMNS`] and one facility a line. A bad line is an
    /// error naming the line and column.
    pub fn from_csv(file: &str, text: &str) -> Result<Directory> {
        let first = text.lines().next().unwrap_or_default();
        let edition = first
            .strip_prefix("# edition ")
            .and_then(|rest| rest.split([' ', ';']).next())
            .filter(|e| crate::dated::parse_date(e).is_ok())
            .ok_or_else(|| {
                Error::located(
                    ErrorKind::Syntax,
                    file,
                    1,
                    None,
                    None,
                    "the first line must be `# edition YYYY-MM-DD …`",
                )
            })?
            .to_string();
        let mut reader = csv::ReaderBuilder::new()
            .comment(Some(b'#'))
            .from_reader(text.as_bytes());
        let header = reader
            .headers()
            .map_err(|e| Error::located(ErrorKind::Syntax, file, 2, None, None, e.to_string()))?
            .clone();
        if header.iter().collect::<Vec<_>>() != COLUMNS {
            return Err(Error::located(
                ErrorKind::Invalid,
                file,
                2,
                None,
                None,
                format!("the header must be {}", COLUMNS.join(",")),
            ));
        }
        let mut entries = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| {
                let line = e.position().map_or(0, |p| p.line() as usize);
                Error::located(ErrorKind::Syntax, file, line, None, None, e.to_string())
            })?;
            let line = record.position().map_or(0, |p| p.line() as usize);
            let entry = read_entry(&record).map_err(|(column, message)| {
                Error::located(
                    ErrorKind::Invalid,
                    file,
                    line,
                    None,
                    Some(column.to_string()),
                    message,
                )
            })?;
            if entries.last().is_some_and(|e: &Entry| e.id >= entry.id) {
                return Err(Error::located(
                    ErrorKind::Invalid,
                    file,
                    line,
                    None,
                    Some("id".into()),
                    format!(
                        "id {} is out of order (ids are sorted, each once)",
                        entry.id
                    ),
                ));
            }
            entries.push(entry);
        }
        let index = search::Index::new(&entries);
        Ok(Directory {
            edition,
            entries,
            index,
        })
    }

    /// A directory of `entries` (sorted here by id), of the edition `edition` (`YYYY-MM-DD`):
    /// for a reader of another form of the same data (the page's compact one, `web/wasm`). Two
    /// entries with one id are an error.
    pub fn from_entries(edition: &str, mut entries: Vec<Entry>) -> Result<Directory> {
        crate::dated::parse_date(edition).map_err(|m| Error::usage("edition", m))?;
        entries.sort_by(|a, b| a.id.cmp(&b.id));
        if let Some(w) = entries.windows(2).find(|w| w[0].id == w[1].id) {
            return Err(Error::usage(
                "id",
                format!("id {} is given twice", crate::error::quoted(&w[0].id)),
            ));
        }
        let index = search::Index::new(&entries);
        Ok(Directory {
            edition: edition.to_string(),
            entries,
            index,
        })
    }

    /// The edition (`YYYY-MM-DD`, the day the file was made from its source).
    pub fn edition(&self) -> &str {
        &self.edition
    }

    /// Every facility, sorted by id.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The facility with HIFLD id `id`.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.entries
            .binary_search_by(|e| e.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.entries[i])
    }

    /// Facilities whose name or city matches `query`, best first, at most `limit`, in `state`
    /// if given (two capital letters). An id (all digits) finds that facility first. A query
    /// with no letters or digits, or more than [`MAX_QUERY_WORDS`] words, is a usage error.
    pub fn search(&self, query: &str, state: Option<&str>, limit: usize) -> Result<Vec<Match<'_>>> {
        let q = words(query);
        if q.is_empty() {
            return Err(Error::usage(
                "query",
                format!(
                    "{} has no letters or digits; give part of a facility's name or city, like \"harris county jail\"",
                    crate::error::quoted(query)
                ),
            ));
        }
        if q.len() > MAX_QUERY_WORDS {
            return Err(Error::usage(
                "query",
                format!(
                    "{} words; give at most {MAX_QUERY_WORDS} words of a name or city",
                    q.len()
                ),
            ));
        }
        if let Some(s) = state {
            crate::facility::validate_state(s).map_err(|m| Error::usage("state", m))?;
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::usage(
                "limit",
                format!("the limit must be from 1 to {MAX_LIMIT}"),
            ));
        }
        let in_state = |row: usize| state.is_none_or(|s| self.entries[row].state == s);
        let by_id = (q.len() == 1 && q[0].bytes().all(|b| b.is_ascii_digit()))
            .then(|| {
                self.entries
                    .binary_search_by(|e| e.id.as_str().cmp(&q[0]))
                    .ok()
            })
            .flatten()
            .filter(|&row| in_state(row));
        let mut found = self.index.search(&q, in_state);
        // Equal scores: open facilities first, then by id.
        found.sort_by(|a, b| {
            let open = |row: usize| self.entries[row].status != FacilityStatus::Open;
            b.1.total_cmp(&a.1)
                .then(open(a.0).cmp(&open(b.0)))
                .then(a.0.cmp(&b.0))
        });
        let mut out: Vec<Match<'_>> = Vec::with_capacity(limit);
        if let Some(row) = by_id {
            out.push(Match {
                entry: &self.entries[row],
                score: 2.0,
            });
        }
        for (row, score) in found {
            if out.len() == limit {
                break;
            }
            if Some(row) != by_id {
                out.push(Match {
                    entry: &self.entries[row],
                    score,
                });
            }
        }
        Ok(out)
    }
}

fn read_entry(r: &csv::StringRecord) -> std::result::Result<Entry, (&'static str, String)> {
    let cell = |i: usize| r.get(i).unwrap_or_default();
    let text = |i: usize| -> std::result::Result<String, (&'static str, String)> {
        let t = cell(i);
        if t.is_empty() || t.trim() != t {
            return Err((
                COLUMNS[i],
                format!("{} must be given, without spaces around it", COLUMNS[i]),
            ));
        }
        Ok(t.to_string())
    };
    let opt = |i: usize| Some(cell(i)).filter(|t| !t.is_empty());
    let number = |i: usize| -> std::result::Result<Option<u32>, (&'static str, String)> {
        opt(i)
            .map(|t| {
                t.parse::<u32>().map_err(|_| {
                    (
                        COLUMNS[i],
                        format!(
                            "{} {} is not a whole number (or empty: unknown)",
                            COLUMNS[i],
                            crate::error::quoted(t)
                        ),
                    )
                })
            })
            .transpose()
    };
    let word =
        |i: usize| -> std::result::Result<Option<&str>, (&'static str, String)> { Ok(opt(i)) };
    let id = text(0)?;
    if !id.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            "id",
            format!("id {} must be digits", crate::error::quoted(&id)),
        ));
    }
    let state = text(3)?;
    crate::facility::validate_state(&state).map_err(|m| ("state", m))?;
    let county_fips = opt(4).map(str::to_string);
    if let Some(f) = &county_fips {
        crate::facility::validate_county_fips(f).map_err(|m| ("county_fips", m))?;
    }
    let kind = word(6)?
        .map(FacilityKind::parse)
        .transpose()
        .map_err(|m| ("kind", m))?;
    let kind_basis = KindBasis::parse(&text(7)?).map_err(|m| ("kind_basis", m))?;
    if kind.is_none() != (kind_basis == KindBasis::Unknown) {
        return Err((
            "kind",
            "a kind is empty exactly when its basis is `unknown`".into(),
        ));
    }
    let hifld_type = text(5)?;
    let operator = word(8)?
        .map(Operator::parse)
        .transpose()
        .map_err(|m| ("operator", m))?;
    let population_as_of = opt(10)
        .map(|t| crate::dated::parse_date(t).map_err(|m| ("population_as_of", m)))
        .transpose()?;
    Ok(Entry {
        id,
        name: text(1)?,
        city: text(2)?,
        state,
        county_fips,
        kind,
        kind_guessed: kind_basis.is_guess(),
        kind_basis,
        operator_guessed: operator_from_hifld(&hifld_type).1,
        operator,
        hifld_type,
        population: number(9)?,
        population_as_of,
        capacity: number(11)?,
        status: FacilityStatus::parse(&text(12)?).map_err(|m| ("status", m))?,
    })
}

/// A facility as a file or the command line gives it, before the directory fills in what it
/// leaves out.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Given {
    /// The facility's name.
    pub name: Option<String>,
    /// Prison or jail.
    pub kind: Option<FacilityKind>,
    /// Average daily population.
    pub average_daily_population: Option<u32>,
    /// Two-letter state.
    pub state: Option<String>,
    /// Who runs it.
    pub operator: Option<Operator>,
    /// Five-digit county FIPS code.
    pub county_fips: Option<String>,
}

impl Given {
    /// A facility given by its kind and size (each if known) and its place, without a name:
    /// what a form or a command's options give.
    pub fn at(
        kind: Option<FacilityKind>,
        average_daily_population: Option<u32>,
        place: &crate::facility::PlaceOverride,
    ) -> Given {
        Given {
            name: None,
            kind,
            average_daily_population,
            state: place.state.clone(),
            operator: place.operator,
            county_fips: place.county_fips.clone(),
        }
    }
}

/// Why a facility cannot be filled in: the id is not in the directory, or the directory does
/// not give the kind the file leaves out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FillError {
    /// The id is not one of the directory's.
    UnknownId(String),
    /// The directory gives no kind, and none was given.
    NoKind(String),
}

impl Directory {
    /// The facility `id` names, with what `given` leaves out filled from the directory: name,
    /// kind, state, county FIPS, operator, and the average daily population from the
    /// population HIFLD reports ([`AdpSource::Reported`]; [`AdpSource::Unknown`] when it
    /// reports none, or 0). What `given` has is kept, and nothing about it is assumed.
    pub fn fill(&self, id: &str, given: Given) -> std::result::Result<Facility, FillError> {
        validate_id(id).map_err(FillError::UnknownId)?;
        let e = self.get(id).ok_or_else(|| {
            FillError::UnknownId(format!(
                "no facility {} in callcap's facility directory (edition {}, {} facilities); find the id with `callcap facilities NAME`",
                crate::error::quoted(id),
                self.edition,
                self.entries.len()
            ))
        })?;
        // The fields taken from the directory: those `given` leaves out and it has.
        let filled: Vec<&'static str> = [
            ("name", given.name.is_none()),
            ("state", given.state.is_none()),
            (
                "county_fips",
                given.county_fips.is_none() && e.county_fips.is_some(),
            ),
            ("kind", given.kind.is_none()),
            ("operator", given.operator.is_none() && e.operator.is_some()),
            ("population", given.average_daily_population.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, taken)| taken.then_some(field))
        .collect();
        let kind = match given.kind.or(e.kind) {
            Some(k) => k,
            None => {
                return Err(FillError::NoKind(format!(
                    "the facility directory does not say whether facility {} ({}) is a prison or a jail ({}); give the kind",
                    e.id,
                    crate::error::escaped(&e.name),
                    explain(e.kind_basis, &e.hifld_type)
                )))
            }
        };
        let (average_daily_population, adp_source) = match given.average_daily_population {
            Some(adp) => (adp, AdpSource::Given),
            None => match e.population.filter(|&p| p >= 1) {
                Some(p) => (
                    p.min(crate::facility::MAX_ADP),
                    AdpSource::Reported {
                        population: p,
                        as_of: e.population_as_of,
                        source: format!("HIFLD, facility {}", e.id),
                    },
                ),
                None => (
                    UNKNOWN_ADP,
                    AdpSource::Unknown {
                        reason: match e.population {
                            Some(0) => {
                                format!("HIFLD reports a population of 0 for facility {}", e.id)
                            }
                            _ => format!("HIFLD reports no population for facility {}", e.id),
                        },
                    },
                ),
            },
        };
        Ok(Facility {
            name: given.name.or_else(|| Some(e.name.clone())),
            kind,
            average_daily_population,
            state: given.state.or_else(|| Some(e.state.clone())),
            operator: given.operator.or(e.operator),
            county_fips: given.county_fips.or_else(|| e.county_fips.clone()),
            id: Some(e.id.clone()),
            adp_source,
            filled_from_directory: filled,
        })
    }

    /// What was taken from the directory for `facility` (its `filled_from_directory`) and what
    /// of it is a guess, in words; empty when the facility has no directory id or is not in
    /// the directory.
    pub fn notes(&self, facility: &Facility) -> Vec<String> {
        let Some(e) = facility.id.as_deref().and_then(|id| self.get(id)) else {
            return Vec::new();
        };
        let filled = &facility.filled_from_directory;
        let taken = if filled.is_empty() {
            "nothing taken from it".to_string()
        } else {
            format!("took {}", filled.join(", "))
        };
        let mut notes = vec![format!(
            "facility {} in callcap's facility directory (edition {}, from {}): {}, {}, {}; {taken}",
            e.id,
            self.edition,
            SOURCE,
            crate::error::escaped(&e.name),
            crate::error::escaped(&e.city),
            e.state,
        )];
        if filled.contains(&"kind") && e.kind_guessed {
            notes.push(format!(
                "the directory's kind `{}` is a guess from {}; give the kind if you know it",
                facility.kind,
                explain(e.kind_basis, &e.hifld_type)
            ));
        }
        if filled.contains(&"operator") && e.operator_guessed {
            notes.push(format!(
                "the directory's operator `city` is a guess from HIFLD type {} (a city, a town or a regional authority)",
                e.hifld_type
            ));
        }
        match e.status {
            FacilityStatus::Closed => notes.push(format!(
                "HIFLD lists facility {} as closed (its data are of 2003–2020)",
                e.id
            )),
            FacilityStatus::Unknown => notes.push(format!(
                "HIFLD does not say whether facility {} is open",
                e.id
            )),
            FacilityStatus::Open => {}
        }
        if !facility.adp_source.is_given() {
            notes.extend(
                facility
                    .adp_source
                    .note(facility.kind, facility.average_daily_population),
            );
        }
        notes
    }
}

#[cfg(test)]
mod tests;
