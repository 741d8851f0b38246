//! A facility's size when callcap does not know it exactly.
//!
//! The FCC's tiers are by average daily population (ADP: the daily counts of a year, averaged;
//! 47 CFR § 64.6000). When the ADP is given (a tariff's `average_daily_population`, `--adp`), it
//! is used as it is. When it comes from somewhere else, callcap says so and where:
//!
//! - [`AdpSource::Reported`]: a population a source reported on a day (the facility directory's
//!   HIFLD figures, 2003–2020) is taken as the ADP. It is not the ADP, so the ADP is taken to
//!   lie within [`NEAR_TIER_PERCENT`] of it either way; when that span reaches into another
//!   tier, every tier it could be in is listed with its caps ([`caps_by_tier`],
//!   [`estimates_by_tier`]), never one silently chosen.
//! - [`AdpSource::Unknown`]: no population at all. The facility is priced in its kind's
//!   smallest tier (ADP 1), whose caps are the highest in every regime of the rate book (a test
//!   holds the rate book to that), so that a violation found is one whatever the size; and
//!   every tier of its kind is listed.
//!
//! The tier bounds always come from the rate book's tier table for the date.

use crate::error::Result;
use crate::estimate::{estimate, FamilyPlan};
use crate::facility::Facility;
use crate::money::display;
use crate::ratebook::{RateBook, TierInfo};
use crate::tariff::Tariff;
use chrono::NaiveDate;
use serde::Serialize;

pub use crate::facility::{AdpSource, NEAR_TIER_PERCENT, UNKNOWN_ADP};

/// What callcap assumed about a facility's size, as JSON shows it (`size`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SizeView {
    /// `given`, `population_reported` or `unknown`.
    pub basis: &'static str,
    /// The ADP the report was computed with.
    pub average_daily_population: u32,
    /// The population reported, when that is where the ADP comes from.
    pub population: Option<u32>,
    /// The day the population was reported.
    pub population_as_of: Option<NaiveDate>,
    /// The source of the population, or why there is none.
    pub source: Option<String>,
    /// The lowest ADP the facility could have, as callcap reads the source.
    pub adp_min: Option<u32>,
    /// The highest (null: no upper bound, or the ADP was given).
    pub adp_max: Option<u32>,
    /// The same in words: what was assumed, and how to correct it.
    pub note: String,
}

impl SizeView {
    /// What was assumed about `facility`'s size.
    pub fn of(facility: &Facility) -> SizeView {
        let adp = facility.average_daily_population;
        let range = facility.adp_source.possible_adp();
        let (adp_min, adp_max) = match range {
            Some((lo, hi)) => (Some(lo), hi),
            None => (None, None),
        };
        match &facility.adp_source {
            AdpSource::Given => SizeView {
                basis: "given",
                average_daily_population: adp,
                population: None,
                population_as_of: None,
                source: None,
                adp_min,
                adp_max,
                note: format!("average daily population {adp}, as given"),
            },
            AdpSource::Reported {
                population,
                as_of,
                source,
            } => SizeView {
                basis: "population_reported",
                average_daily_population: adp,
                population: Some(*population),
                population_as_of: *as_of,
                source: Some(source.clone()),
                adp_min,
                adp_max,
                note: facility
                    .adp_source
                    .note(facility.kind, adp)
                    .unwrap_or_default(),
            },
            AdpSource::Unknown { reason } => SizeView {
                basis: "unknown",
                average_daily_population: adp,
                population: None,
                population_as_of: None,
                source: Some(reason.clone()),
                adp_min,
                adp_max,
                note: facility
                    .adp_source
                    .note(facility.kind, adp)
                    .unwrap_or_default(),
            },
        }
    }
}

/// The tiers of `facility`'s kind that its ADP could fall in on `date`, in the tier table's
/// order: one tier (the one its ADP is in) when the ADP was given.
pub fn tiers_possible(book: &RateBook, date: NaiveDate, facility: &Facility) -> Vec<TierInfo> {
    let (low, high) = facility.adp_source.possible_adp().unwrap_or((
        facility.average_daily_population,
        Some(facility.average_daily_population),
    ));
    let mut tiers: Vec<TierInfo> = book
        .tier_table(date)
        .into_iter()
        .filter(|t| t.kind == facility.kind)
        .filter(|t| t.adp_max.is_none_or(|max| max >= low) && high.is_none_or(|h| t.adp_min <= h))
        .collect();
    tiers.sort_by_key(|t| t.adp_min);
    tiers
}

/// An ADP inside `tier` and inside what the facility's ADP could be: the one a tier's row is
/// computed with.
fn adp_in(tier: &TierInfo, facility: &Facility) -> u32 {
    let low = facility.adp_source.possible_adp().map_or(0, |(lo, _)| lo);
    tier.adp_min.max(low).max(1)
}

/// One tier the facility could be in, with its per-minute caps (`tiers_possible` of `caps`).
#[derive(Debug, Clone, Serialize)]
pub struct TierCaps {
    /// The tier's id.
    pub tier: String,
    /// Its name.
    pub tier_name: String,
    /// Its lowest ADP.
    pub adp_min: u32,
    /// Its highest ADP (null: no upper bound).
    pub adp_max: Option<u32>,
    /// The per-minute caps in that tier.
    pub caps: Vec<TierCap>,
}

/// One per-minute cap in a [`TierCaps`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierCap {
    /// Audio or video.
    pub service: crate::call::Service,
    /// Where the call goes.
    pub jurisdiction: crate::call::Jurisdiction,
    /// How it is paid.
    pub payment: crate::call::Payment,
    /// The cap (null: no federal cap covered the call).
    pub per_minute: Option<String>,
    /// The most that may be added above it.
    pub additive: String,
    /// International caps that add the provider's termination cost abroad.
    pub plus_termination_cost: bool,
}

/// The caps of every tier `facility` could be in on `date` (empty when its ADP was given, or
/// when it can be in only one tier).
pub fn caps_by_tier(
    book: &RateBook,
    date: NaiveDate,
    facility: &Facility,
    contract: Option<&crate::tariff::Contract>,
) -> Vec<TierCaps> {
    let tiers = tiers_possible(book, date, facility);
    if facility.adp_source.is_given() || tiers.len() < 2 {
        return Vec::new();
    }
    tiers
        .into_iter()
        .map(|t| {
            let mut f = facility.clone();
            f.average_daily_population = adp_in(&t, facility);
            let rules = book.rules_for(date, &f, contract);
            TierCaps {
                caps: rules
                    .caps
                    .iter()
                    .map(|c| TierCap {
                        service: c.service,
                        jurisdiction: c.jurisdiction,
                        payment: c.payment,
                        per_minute: c.per_minute.map(display),
                        additive: display(c.additive()),
                        plus_termination_cost: c.plus_termination_cost,
                    })
                    .collect(),
                tier: t.id,
                tier_name: t.name,
                adp_min: t.adp_min,
                adp_max: t.adp_max,
            }
        })
        .collect()
}

/// One tier the facility could be in, with the month's legal maximum and verdict there
/// (`tiers_possible` of `estimate`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierEstimate {
    /// The tier's id.
    pub tier: String,
    /// Its name.
    pub tier_name: String,
    /// Its lowest ADP.
    pub adp_min: u32,
    /// Its highest ADP (null: no upper bound).
    pub adp_max: Option<u32>,
    /// The most a minute could lawfully cost there (null: no federal cap covered the call).
    pub legal_max_per_minute: Option<String>,
    /// The month at the legal maximum there (null: no federal cap).
    pub legal_maximum: Option<String>,
    /// What the month charges above what the rules allow there (null: nothing to compare).
    pub overcharge: Option<String>,
    /// No finding of the check there is a violation.
    pub compliant: bool,
}

/// The family's month in every tier the tariff's facility could be in on `date` (empty when
/// its ADP was given, or when it can be in only one tier).
pub fn estimates_by_tier(
    book: &RateBook,
    tariff: &Tariff,
    plan: &FamilyPlan,
    date: NaiveDate,
) -> Result<Vec<TierEstimate>> {
    let facility = &tariff.facility;
    let tiers = tiers_possible(book, date, facility);
    if facility.adp_source.is_given() || tiers.len() < 2 {
        return Ok(Vec::new());
    }
    tiers
        .into_iter()
        .map(|t| {
            let mut priced = tariff.clone();
            priced.facility.average_daily_population = adp_in(&t, facility);
            let e = estimate(book, &priced, plan, date)?;
            Ok(TierEstimate {
                legal_max_per_minute: e.at_cap.as_ref().map(|a| display(a.per_minute)),
                legal_maximum: e.at_cap.as_ref().map(|a| display(a.month.total)),
                overcharge: e.overcharge.map(display),
                compliant: e.compliant,
                tier: t.id,
                tier_name: t.name,
                adp_min: t.adp_min,
                adp_max: t.adp_max,
            })
        })
        .collect()
}

/// The family's month at the legal maximum (no tariff: [`crate::estimate::at_legal_maximum`])
/// in every tier `facility` could be in on `date` (empty when its ADP was given, or when it can
/// be in only one tier). `overcharge` is null and `compliant` true: there are no prices to judge.
pub fn maxima_by_tier(
    book: &RateBook,
    facility: &Facility,
    plan: &FamilyPlan,
    date: NaiveDate,
) -> Result<Vec<TierEstimate>> {
    let tiers = tiers_possible(book, date, facility);
    if facility.adp_source.is_given() || tiers.len() < 2 {
        return Ok(Vec::new());
    }
    tiers
        .into_iter()
        .map(|t| {
            let mut f = facility.clone();
            f.average_daily_population = adp_in(&t, facility);
            let e = crate::estimate::at_legal_maximum(book, &f, plan, date)?;
            Ok(TierEstimate {
                legal_max_per_minute: e.at_cap.as_ref().map(|a| display(a.per_minute)),
                legal_maximum: e.at_cap.as_ref().map(|a| display(a.month.total)),
                overcharge: None,
                compliant: true,
                tier: t.id,
                tier_name: t.name,
                adp_min: t.adp_min,
                adp_max: t.adp_max,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::CallKind;
    use crate::facility::FacilityKind;

    fn day(s: &str) -> NaiveDate {
        crate::dated::parse_date(s).expect("a date")
    }

    fn reported(kind: FacilityKind, population: u32) -> Facility {
        let mut f = Facility::new(kind, population.max(1));
        f.adp_source = AdpSource::Reported {
            population,
            as_of: Some(day("2018-04-30")),
            source: "test".into(),
        };
        f
    }

    fn ids(tiers: &[TierInfo]) -> Vec<&str> {
        tiers.iter().map(|t| t.id.as_str()).collect()
    }

    #[test]
    fn a_reported_population_stands_for_a_span_of_ten_percent() {
        let f = reported(FacilityKind::Jail, 340);
        assert_eq!(f.adp_source.possible_adp(), Some((306, Some(374))));
        let f = reported(FacilityKind::Jail, 5);
        assert_eq!(f.adp_source.possible_adp(), Some((4, Some(6))));
        assert_eq!(
            Facility::new(FacilityKind::Jail, 5)
                .adp_source
                .possible_adp(),
            None
        );
    }

    #[test]
    fn near_a_boundary_both_tiers_far_from_one_only_its_own() {
        let book = RateBook::bundled().expect("bundled");
        let date = day("2026-06-01");
        // 340 is within 10% of 350, where small jails end and medium ones begin.
        let near = reported(FacilityKind::Jail, 340);
        assert_eq!(
            ids(&tiers_possible(&book, date, &near)),
            ["small_jail", "medium_jail"]
        );
        let caps = caps_by_tier(&book, date, &near, None);
        assert_eq!(caps.len(), 2);
        assert_ne!(caps[0].caps, caps[1].caps, "the two tiers' caps differ");
        // 600 is far from 350 and from 1,000.
        let far = reported(FacilityKind::Jail, 600);
        assert_eq!(ids(&tiers_possible(&book, date, &far)), ["medium_jail"]);
        assert!(caps_by_tier(&book, date, &far, None).is_empty());
        // Given exactly, 340 is in one tier and nothing is listed.
        let given = Facility::new(FacilityKind::Jail, 340);
        assert_eq!(ids(&tiers_possible(&book, date, &given)), ["small_jail"]);
        assert!(caps_by_tier(&book, date, &given, None).is_empty());
    }

    #[test]
    fn an_unknown_size_lists_every_tier_of_its_kind() {
        let book = RateBook::bundled().expect("bundled");
        let date = day("2026-06-01");
        let mut f = Facility::new(FacilityKind::Jail, UNKNOWN_ADP);
        f.adp_source = AdpSource::Unknown {
            reason: "test".into(),
        };
        let tiers = caps_by_tier(&book, date, &f, None);
        let names: Vec<&str> = tiers.iter().map(|t| t.tier.as_str()).collect();
        assert_eq!(
            names,
            [
                "extremely_small_jail",
                "very_small_jail",
                "small_jail",
                "medium_jail",
                "large_jail"
            ]
        );
        // A prison's size does not matter: one tier, nothing listed.
        let mut p = Facility::new(FacilityKind::Prison, UNKNOWN_ADP);
        p.adp_source = f.adp_source.clone();
        assert!(caps_by_tier(&book, date, &p, None).is_empty());
        let view = SizeView::of(&f);
        assert_eq!(view.basis, "unknown");
        assert!(view.note.contains("smallest jail tier"), "{}", view.note);
    }

    /// What pricing an unknown size in the smallest tier rests on: on every date the rate book
    /// changes, no tier of a kind allows more per minute than its smallest tier.
    #[test]
    fn the_smallest_tier_has_the_highest_caps_on_every_date() {
        let book = RateBook::bundled().expect("bundled");
        let mut checked = 0;
        for date in book.change_dates() {
            for &kind in FacilityKind::ALL {
                let smallest = book.rules(date, &Facility::new(kind, UNKNOWN_ADP));
                for t in book.tier_table(date).iter().filter(|t| t.kind == kind) {
                    let other = book.rules(date, &Facility::new(kind, t.adp_min.max(1)));
                    for call in CallKind::all_capped() {
                        let most = |r: &crate::Rules| {
                            r.cap(call).and_then(|c| Some(c.per_minute? + c.additive()))
                        };
                        if let (Some(s), Some(o)) = (most(&smallest), most(&other)) {
                            assert!(s >= o, "{date} {kind} {}: {s} < {o} for {call}", t.id);
                            checked += 1;
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "only {checked} caps compared");
    }

    #[test]
    fn the_note_says_the_year_the_source_and_how_to_correct_it() {
        let view = SizeView::of(&reported(FacilityKind::Jail, 438));
        assert_eq!(view.basis, "population_reported");
        assert!(
            view.note.contains("as reported in 2018 (test)"),
            "{}",
            view.note
        );
        assert!(
            view.note.contains("correct it if you know"),
            "{}",
            view.note
        );
        assert_eq!((view.adp_min, view.adp_max), (Some(394), Some(482)));
    }

    #[test]
    fn at_the_legal_maximum_each_possible_tier_has_its_month() {
        let book = RateBook::bundled().expect("bundled");
        let date = day("2026-06-01");
        let call = CallKind {
            service: crate::call::Service::Audio,
            jurisdiction: crate::call::Jurisdiction::Intrastate,
            payment: crate::call::Payment::Prepaid,
        };
        let plan = FamilyPlan::from_inputs(
            call,
            None,
            Some(4),
            15,
            None,
            crate::tariff::FeeKind::AutomatedPayment,
        )
        .expect("a plan");
        // 340 is within 10% of 350: small and medium jails, each with its own maximum.
        let near =
            maxima_by_tier(&book, &reported(FacilityKind::Jail, 340), &plan, date).expect("maxima");
        assert_eq!(near.len(), 2);
        assert!(near
            .iter()
            .all(|t| t.legal_maximum.is_some() && t.compliant));
        assert_ne!(near[0].legal_maximum, near[1].legal_maximum);
        // Given: one tier, nothing listed.
        let given = Facility::new(FacilityKind::Jail, 340);
        assert!(maxima_by_tier(&book, &given, &plan, date)
            .expect("maxima")
            .is_empty());
    }
}
