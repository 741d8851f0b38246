//! The directory's answers as JSON and CSV show them: a search (`callcap facilities`), and the
//! caps and estimate of a facility filled in from the directory, with what was assumed.

use super::CapsReport;
use crate::directory::{Directory, Entry, Match, SOURCE};
use crate::error::Result;
use crate::estimate::{Estimate, FamilyPlan};
use crate::facility::Facility;
use crate::ratebook::RateBook;
use crate::sizing::{caps_by_tier, estimates_by_tier, SizeView, TierCaps, TierEstimate};
use crate::tariff::Tariff;
use chrono::NaiveDate;
use serde::Serialize;

/// What produced a directory answer: callcap's version and the directory's edition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DirectoryVersion {
    /// callcap's version.
    pub callcap: &'static str,
    /// The directory's edition.
    pub directory: String,
    /// Where its data come from.
    pub source: &'static str,
}

/// `callcap facilities`: the facilities matching a query, best first.
#[derive(Debug, Clone, Serialize)]
pub struct FacilitiesReport<'d> {
    /// What produced it.
    pub version: DirectoryVersion,
    /// The query, as given.
    pub query: String,
    /// The state searched in, if one was given.
    pub state: Option<String>,
    /// The facilities, best match first.
    pub facilities: Vec<&'d Entry>,
    /// What a reader should know about the figures.
    pub notes: Vec<String>,
}

/// The note every search answer carries about HIFLD's populations.
pub const POPULATION_NOTE: &str = "population: as HIFLD's source reported it on population_as_of, not the FCC's average daily population; kind: as 47 CFR § 64.6000 defines prisons and jails, read from HIFLD's fields (kind_guessed: a guess; see rates/facilities/README.md); operator: from HIFLD's type (HIFLD does not say whether a company runs it)";

impl Directory {
    /// What produced this directory's answers.
    pub fn version(&self) -> DirectoryVersion {
        DirectoryVersion {
            callcap: crate::VERSION,
            directory: self.edition().to_string(),
            source: SOURCE,
        }
    }

    /// The report of a search.
    pub fn report<'d>(
        &'d self,
        query: &str,
        state: Option<&str>,
        found: &[Match<'d>],
    ) -> FacilitiesReport<'d> {
        FacilitiesReport {
            version: self.version(),
            query: query.to_string(),
            state: state.map(str::to_string),
            facilities: found.iter().map(|m| m.entry).collect(),
            notes: vec![POPULATION_NOTE.into()],
        }
    }
}

/// A row of `callcap facilities --format csv`: one facility.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityRow<'a> {
    /// HIFLD's id.
    pub id: &'a str,
    /// Its name.
    #[serde(serialize_with = "super::safe_text")]
    pub name: &'a str,
    /// Its city.
    #[serde(serialize_with = "super::safe_text")]
    pub city: &'a str,
    /// Its state.
    pub state: &'a str,
    /// Its county's FIPS code.
    pub county_fips: Option<&'a str>,
    /// Prison or jail (empty: unknown).
    pub kind: Option<crate::facility::FacilityKind>,
    /// Why.
    pub kind_basis: crate::vocab::KindBasis,
    /// Whether the kind is a guess.
    pub kind_guessed: bool,
    /// Who runs it.
    pub operator: Option<crate::facility::Operator>,
    /// Whether the operator is a guess.
    pub operator_guessed: bool,
    /// HIFLD's type.
    #[serde(serialize_with = "super::safe_text")]
    pub hifld_type: &'a str,
    /// The population as reported.
    pub population: Option<u32>,
    /// When.
    pub population_as_of: Option<NaiveDate>,
    /// Rated capacity.
    pub capacity: Option<u32>,
    /// Open, closed or unknown.
    pub status: crate::vocab::FacilityStatus,
    /// callcap's version.
    pub callcap_version: &'a str,
    /// The directory's edition.
    pub directory_version: &'a str,
}

impl FacilitiesReport<'_> {
    /// The report as CSV rows, one per facility.
    pub fn csv_rows(&self) -> Vec<FacilityRow<'_>> {
        self.facilities
            .iter()
            .map(|e| FacilityRow {
                id: &e.id,
                name: &e.name,
                city: &e.city,
                state: &e.state,
                county_fips: e.county_fips.as_deref(),
                kind: e.kind,
                kind_basis: e.kind_basis,
                kind_guessed: e.kind_guessed,
                operator: e.operator,
                operator_guessed: e.operator_guessed,
                hifld_type: &e.hifld_type,
                population: e.population,
                population_as_of: e.population_as_of,
                capacity: e.capacity,
                status: e.status,
                callcap_version: self.version.callcap,
                directory_version: &self.version.directory,
            })
            .collect()
    }
}

/// The CSV header of [`FacilityRow`].
pub const FACILITY_CSV_HEADER: &[&str] = &[
    "id",
    "name",
    "city",
    "state",
    "county_fips",
    "kind",
    "kind_basis",
    "kind_guessed",
    "operator",
    "operator_guessed",
    "hifld_type",
    "population",
    "population_as_of",
    "capacity",
    "status",
    "callcap_version",
    "directory_version",
];

/// `callcap caps --facility-id`: the rules in force for a facility of the directory, with what
/// was assumed about it and, when its size is not known closely enough, every tier it could be
/// in with its caps.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityCaps<'d> {
    /// The rules, for the facility as filled in (its notes say what was taken from the
    /// directory and assumed).
    #[serde(flatten)]
    pub report: CapsReport,
    /// The directory's entry.
    pub facility_directory: Option<&'d Entry>,
    /// What was assumed about its size.
    pub size: SizeView,
    /// Each tier it could be in, with its caps (empty: its tier is certain).
    pub tiers_possible: Vec<TierCaps>,
}

impl Directory {
    /// The rules in force on `date` for `facility` (filled in with [`Directory::fill`]), and
    /// its contract if one is given (for the exceptions for existing contracts).
    pub fn caps(
        &self,
        book: &RateBook,
        date: NaiveDate,
        facility: &Facility,
        contract: Option<&crate::tariff::Contract>,
    ) -> FacilityCaps<'_> {
        let mut report = CapsReport::new(&book.rules_for(date, facility, contract));
        let tiers_possible = caps_by_tier(book, date, facility, contract);
        report.notes.extend(self.notes(facility));
        if !tiers_possible.is_empty() {
            report.notes.push(tiers_note(tiers_possible.len()));
        }
        FacilityCaps {
            report,
            facility_directory: facility.id.as_deref().and_then(|id| self.get(id)),
            size: SizeView::of(facility),
            tiers_possible,
        }
    }

    /// A family's month under `tariff`, whose facility has a directory id: the estimate, with
    /// what was taken from the directory and assumed, and every tier the facility could be
    /// in with the month's legal maximum there.
    pub fn estimate<'d>(
        &'d self,
        book: &RateBook,
        tariff: &Tariff,
        plan: &FamilyPlan,
        date: NaiveDate,
        mut estimate: Estimate,
    ) -> Result<FacilityEstimate<'d>> {
        let facility = &tariff.facility;
        let tiers_possible = estimates_by_tier(book, tariff, plan, date)?;
        estimate.notes.extend(self.notes(facility));
        if !tiers_possible.is_empty() {
            estimate.notes.push(tiers_note(tiers_possible.len()));
            let (ok, not): (Vec<&TierEstimate>, Vec<&TierEstimate>) =
                tiers_possible.iter().partition(|t| t.compliant);
            if !ok.is_empty() && !not.is_empty() {
                let names = |ts: &[&TierEstimate]| {
                    ts.iter()
                        .map(|t| t.tier_name.as_str())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                estimate.notes.push(format!(
                    "the verdict depends on the size: compliant in {}; not compliant in {}; `compliant` and the exit code are for the average daily population used: give the facility's average daily population to decide",
                    names(&ok),
                    names(&not)
                ));
            }
        }
        Ok(FacilityEstimate {
            estimate,
            kind: facility.kind,
            facility_directory: facility.id.as_deref().and_then(|id| self.get(id)),
            size: SizeView::of(facility),
            tiers_possible,
        })
    }
}

fn tiers_note(n: usize) -> String {
    format!(
        "the facility's size could put it in any of {n} tiers, whose limits differ: each is listed (tiers_possible); the rest of this answer is for the average daily population used"
    )
}

/// `callcap estimate` for a tariff whose facility has a directory id.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityEstimate<'d> {
    /// The estimate, for the facility as filled in (its notes say what was taken from the
    /// directory and assumed).
    #[serde(flatten)]
    pub estimate: Estimate,
    /// The facility's kind, as priced.
    pub kind: crate::facility::FacilityKind,
    /// The directory's entry.
    pub facility_directory: Option<&'d Entry>,
    /// What was assumed about its size.
    pub size: SizeView,
    /// Each tier it could be in, with the month's legal maximum and verdict there (empty: its
    /// tier is certain).
    pub tiers_possible: Vec<TierEstimate>,
}
