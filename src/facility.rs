//! Facilities: kind, average daily population, and the FCC size tier they fall in.

use serde::Serialize;

#[cfg(feature = "directory")]
use chrono::NaiveDate;

pub use crate::vocab::{FacilityKind, Operator};

/// A correctional facility as the caps see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facility {
    /// The facility's name, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Average daily population (the FCC's ADP), a whole number of at least 1.
    pub average_daily_population: u32,
    /// Two-letter state code, if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Who runs it, if given (state and local rules depend on it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operator: Option<Operator>,
    /// The county it is in: five-digit FIPS code (state and county), if given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county_fips: Option<String>,
    /// Its id in the facility directory (HIFLD's `FACILITYID`), if given. (This field and the
    /// next two exist with the `directory` feature, so that the page's build stays as it was.)
    #[cfg(feature = "directory")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Where `average_daily_population` comes from: given, or assumed (a population reported
    /// in the facility directory, or unknown). See [`crate::sizing`].
    #[cfg(feature = "directory")]
    #[serde(skip)]
    pub adp_source: AdpSource,
    /// The fields the facility directory filled in (`name`, `kind`, `population`, …), in
    /// that order; empty when it filled in nothing.
    #[cfg(feature = "directory")]
    #[serde(skip)]
    pub filled_from_directory: Vec<&'static str>,
}

impl Facility {
    /// A facility of a kind and size, without name or state.
    pub fn new(kind: FacilityKind, average_daily_population: u32) -> Self {
        Facility {
            name: None,
            kind,
            average_daily_population,
            state: None,
            operator: None,
            county_fips: None,
            #[cfg(feature = "directory")]
            id: None,
            #[cfg(feature = "directory")]
            adp_source: AdpSource::Given,
            #[cfg(feature = "directory")]
            filled_from_directory: Vec::new(),
        }
    }
}

/// Where a facility's average daily population comes from.
#[cfg(feature = "directory")]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum AdpSource {
    /// Given (in the file, on the command line, in a form): used as it is.
    #[default]
    Given,
    /// A population a source reported, taken as the ADP (which it is not).
    Reported {
        /// The population reported.
        population: u32,
        /// The day the source reported it, if known.
        as_of: Option<NaiveDate>,
        /// The source (`HIFLD Prison Boundaries, facility 10002798`).
        source: String,
    },
    /// Not known at all: the ADP used is 1, the smallest tier's.
    Unknown {
        /// Why (`HIFLD reports no population for facility 10002796`).
        reason: String,
    },
}

/// How far from a reported population the true ADP is taken to be, in percent either way: a
/// reported population of 340 stands for an ADP of 306 to 374. A margin, not a measurement: a
/// year's average and one day's count of the same jail commonly differ by this much.
#[cfg(feature = "directory")]
pub const NEAR_TIER_PERCENT: u32 = 10;

/// The ADP used when the size is unknown: in every tier table the smallest tier of each kind
/// starts at 0, so 1 is in it on every date.
#[cfg(feature = "directory")]
pub const UNKNOWN_ADP: u32 = 1;

#[cfg(feature = "directory")]
impl AdpSource {
    /// Whether the ADP was given (nothing assumed).
    pub fn is_given(&self) -> bool {
        matches!(self, AdpSource::Given)
    }

    /// The ADPs the facility's true ADP may be, lowest and highest (none: no upper bound); none
    /// when the ADP was given.
    pub fn possible_adp(&self) -> Option<(u32, Option<u32>)> {
        match self {
            AdpSource::Given => None,
            AdpSource::Reported { population, .. } => {
                let p = u64::from(*population);
                let margin = (p * u64::from(NEAR_TIER_PERCENT)).div_ceil(100);
                let low = p.saturating_sub(margin);
                let high = p + margin;
                Some((
                    u32::try_from(low).unwrap_or(u32::MAX),
                    Some(u32::try_from(high).unwrap_or(u32::MAX)),
                ))
            }
            AdpSource::Unknown { .. } => Some((0, None)),
        }
    }

    /// What was assumed, in words, for a facility of `kind` priced at `adp`; none when the ADP
    /// was given.
    pub fn note(&self, kind: FacilityKind, adp: u32) -> Option<String> {
        match self {
            AdpSource::Given => None,
            AdpSource::Reported {
                population,
                as_of,
                source,
            } => {
                let when = as_of.map_or_else(
                    || "on an unknown date".to_string(),
                    |d| format!("in {}", chrono::Datelike::year(&d)),
                );
                Some(format!(
                    "average daily population {population}: the population as reported {when} ({source}), not the FCC's average daily population (a year's daily counts averaged); taken to be within {NEAR_TIER_PERCENT}% of it; correct it if you know the average daily population"
                ))
            }
            AdpSource::Unknown { reason } => Some(format!(
                "size unknown ({reason}): priced in the smallest {kind} tier (ADP {adp}), whose caps are the highest, and every tier it could be in is listed; give the average daily population if you know it"
            )),
        }
    }
}

/// Where a facility is and who runs it, as given on the command line or in a form: each part
/// given replaces the file's (`--state`, `--operator`, `--county-fips`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlaceOverride {
    /// Two-letter state code.
    pub state: Option<String>,
    /// Who runs the facility.
    pub operator: Option<Operator>,
    /// Five-digit county FIPS code.
    pub county_fips: Option<String>,
}

impl PlaceOverride {
    /// Puts what was given into `facility`, keeping what was not.
    pub fn apply(&self, facility: &mut Facility) {
        if let Some(s) = &self.state {
            facility.state = Some(s.clone());
        }
        if let Some(o) = self.operator {
            facility.operator = Some(o);
        }
        if let Some(c) = &self.county_fips {
            facility.county_fips = Some(c.clone());
        }
    }
}

/// Checks a county FIPS code: five digits (two for the state, three for the county), as the
/// Census Bureau writes them (`"06073"`, San Diego County, California).
pub fn validate_county_fips(fips: &str) -> Result<(), String> {
    if fips.len() == 5 && fips.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "county FIPS code {} must be five digits (state and county), like \"06073\"{}",
            crate::error::quoted(fips),
            crate::error::invisible_note(fips)
        ))
    }
}

/// Checks a facility id: HIFLD's `FACILITYID`, digits (`"10002798"`), as the facility
/// directory keys facilities.
pub fn validate_facility_id(id: &str) -> Result<(), String> {
    if !id.is_empty() && id.len() <= 12 && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(format!(
            "facility id {} must be digits, HIFLD's FACILITYID like \"10002798\"; find it with `callcap facilities NAME`{}",
            crate::error::quoted(id),
            crate::error::invisible_note(id)
        ))
    }
}

/// The largest ADP accepted (a sanity bound: the largest U.S. facilities hold under 20,000).
pub const MAX_ADP: u32 = 1_000_000;

/// Checks an ADP and says what would be valid.
pub fn validate_adp(adp: i64) -> Result<u32, String> {
    if adp < 1 {
        return Err(format!(
            "average daily population `{adp}` must be a whole number of at least 1"
        ));
    }
    u32::try_from(adp)
        .ok()
        .filter(|&a| a <= MAX_ADP)
        .ok_or_else(|| format!("average daily population `{adp}` is too large (at most {MAX_ADP})"))
}

/// Reads an average daily population as typed (`" 640 "`), or says what to type.
pub fn parse_adp(text: &str) -> Result<u32, String> {
    let t = text.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    if !body.is_empty() && body.bytes().all(|b| b.is_ascii_digit()) {
        return match t.parse() {
            Ok(n) => validate_adp(n),
            // A whole number beyond i64: too large (or below 1) for any population.
            Err(_) if t.starts_with('-') => Err(format!(
                "average daily population {} must be a whole number of at least 1",
                crate::error::quoted(text)
            )),
            Err(_) => Err(format!(
                "average daily population {} is too large (at most {MAX_ADP})",
                crate::error::quoted(text)
            )),
        };
    }
    Err(format!(
        "{} is not a whole number; give the average daily population, like 640{}",
        crate::error::quoted(text),
        crate::error::invisible_note(text)
    ))
}

/// Checks a two-letter state code (upper case letters).
pub fn validate_state(state: &str) -> Result<(), String> {
    if state.len() == 2 && state.chars().all(|c| c.is_ascii_uppercase()) {
        Ok(())
    } else {
        Err(format!(
            "state `{state}` must be a two-letter postal code in capitals, like \"TX\""
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validates_adp_and_state() {
        assert_eq!(validate_adp(1), Ok(1));
        assert!(validate_adp(0).is_err());
        assert!(validate_adp(-5).is_err());
        assert!(validate_adp(i64::from(MAX_ADP) + 1).is_err());
        assert!(validate_state("TX").is_ok());
        for bad in ["tx", "Texas", "T", "T1"] {
            assert!(validate_state(bad).is_err(), "{bad}");
        }
        assert!(validate_county_fips("06073").is_ok());
        for bad in ["6073", "060730", "06O73", "", "06 73", "\u{200f}06073"] {
            assert!(validate_county_fips(bad).is_err(), "{bad:?}");
        }
    }
}
