//! From HIFLD's fields to the FCC's words: kind (prison or jail, as 47 CFR § 64.6000 defines
//! them), operator and status. The table is in `rates/facilities/README.md`; the generator
//! (`examples/build_directory.rs`) applies it to every row and a test holds the committed
//! directory to it.
//!
//! § 64.6000 (2022 text, 87 FR 75514): a *prison* is a facility operated by a territorial,
//! state or federal agency used primarily to confine people convicted of felonies and
//! sentenced to more than a year (and facilities that house such people for other agencies); a
//! *jail* is a facility of a local, state or federal law-enforcement agency used primarily to
//! hold people awaiting adjudication, serving sentences of a year or less, or awaiting
//! transfer, and includes juvenile detention centers, secure mental-health facilities, and
//! facilities that detain people for the Bureau of Prisons or ICE. HIFLD says who runs a
//! facility (`TYPE`) and its security level (`SECURELVL`), not whom it holds: beyond juvenile
//! facilities and local ones, the kind is a reading of the name, and marked a guess.

use crate::vocab::{FacilityKind, FacilityStatus, KindBasis, Operator};

/// HIFLD's `TYPE` words (who operates the facility).
pub const HIFLD_TYPES: &[&str] = &[
    "STATE",
    "COUNTY",
    "LOCAL",
    "FEDERAL",
    "MULTI",
    "NOT AVAILABLE",
];

/// HIFLD's `SECURELVL` words.
pub const HIFLD_SECURITY_LEVELS: &[&str] = &[
    "MAXIMUM",
    "CLOSE",
    "MEDIUM",
    "MINIMUM",
    "JUVENILE",
    "NOT AVAILABLE",
];

/// States whose state government runs the jails too (unified correctional systems): a state
/// facility there may hold people awaiting trial.
pub const UNIFIED_SYSTEM_STATES: &[&str] = &["AK", "CT", "DE", "HI", "RI", "VT"];

/// Words of a name (normalised, [`super::normalize`]) that say a facility holds people before
/// trial or for other agencies: a jail.
const JAIL_WORDS: &[&str] = &[
    "jail",
    "detention",
    "detencion",
    "carcel",
    "pretrial",
    "booking",
    "processing",
    "holding",
    "lockup",
    "ice",
    "spc",
    "mdc",
    "mcc",
    "fdc",
    "staging",
    "policia",
];

/// Words of a state facility's name that say it holds people before trial: a jail. Spanish
/// names in Puerto Rico included (`centro de detención`, `centro de ingresos`: intake).
const STATE_JAIL_WORDS: &[&str] = &[
    "jail",
    "pretrial",
    "booking",
    "intake",
    "detention",
    "detencion",
    "ingresos",
    "carcel",
];

/// Words of a name that say a facility confines sentenced people: a prison. `ci` is the Bureau
/// of Prisons' contract institutions; the others its institutions and the usual state names.
const PRISON_WORDS: &[&str] = &[
    "prison",
    "penitentiary",
    "correctional",
    "fci",
    "usp",
    "ausp",
    "fpc",
    "fmc",
    "fsl",
    "ftc",
    "mcfp",
    "ci",
];

fn has_any(name: &str, words: &[&str]) -> bool {
    name.split_whitespace().any(|w| words.contains(&w))
}

/// The kind HIFLD's fields give a facility, and why; `None` when nothing in them says.
///
/// `hifld_type` and `security_level` are HIFLD's words (`STATE`, `JUVENILE`); `name` its name;
/// `state` the two-letter code. The order of the rules is the table's in the README.
pub fn kind_from_hifld(
    hifld_type: &str,
    security_level: &str,
    name: &str,
    state: &str,
) -> (Option<FacilityKind>, KindBasis) {
    use FacilityKind::{Jail, Prison};
    let name = super::normalize(name);
    let says_jail = has_any(&name, JAIL_WORDS);
    let says_prison = has_any(&name, PRISON_WORDS) || name.contains("correction");
    if security_level == "JUVENILE" {
        return (Some(Jail), KindBasis::Juvenile);
    }
    match hifld_type {
        "STATE" if has_any(&name, STATE_JAIL_WORDS) => (Some(Jail), KindBasis::StateNamedJail),
        "STATE" if UNIFIED_SYSTEM_STATES.contains(&state) => {
            (Some(Prison), KindBasis::StateUnifiedSystem)
        }
        "STATE" => (Some(Prison), KindBasis::StateAgency),
        "COUNTY" | "LOCAL" if has_any(&name, &["prison"]) => {
            (Some(Jail), KindBasis::LocalNamedPrison)
        }
        "COUNTY" | "LOCAL" => (Some(Jail), KindBasis::LocalAgency),
        // ICE's family detention centers are "residential centers".
        "FEDERAL" if says_jail || has_any(&name, &["residential"]) => {
            (Some(Jail), KindBasis::FederalDetention)
        }
        "FEDERAL" if says_prison => (Some(Prison), KindBasis::FederalInstitution),
        _ if says_jail => (Some(Jail), KindBasis::NamedJail),
        _ if says_prison => (Some(Prison), KindBasis::NamedPrison),
        _ => (None, KindBasis::Unknown),
    }
}

/// Who runs the facility, as HIFLD's `TYPE` says, and whether that is a guess: `LOCAL` is
/// taken as a city (it also covers towns and regional jail authorities). HIFLD has no field
/// for private operation, so `private` never comes from it; `MULTI` and `NOT AVAILABLE` give
/// none.
pub fn operator_from_hifld(hifld_type: &str) -> (Option<Operator>, bool) {
    match hifld_type {
        "STATE" => (Some(Operator::State), false),
        "COUNTY" => (Some(Operator::County), false),
        "LOCAL" => (Some(Operator::City), true),
        "FEDERAL" => (Some(Operator::Federal), false),
        _ => (None, false),
    }
}

/// HIFLD's `STATUS` as a word: `OPEN`, `CLOSED`, anything else unknown.
pub fn status_from_hifld(status: &str) -> FacilityStatus {
    match status {
        "OPEN" => FacilityStatus::Open,
        "CLOSED" => FacilityStatus::Closed,
        _ => FacilityStatus::Unknown,
    }
}

/// What a kind basis means, for notes: "HIFLD type FEDERAL, named a detention or processing
/// center".
pub fn explain(basis: KindBasis, hifld_type: &str) -> String {
    match basis {
        KindBasis::Juvenile => "HIFLD security level JUVENILE (juvenile detention is a jail, 47 CFR § 64.6000)".into(),
        KindBasis::StateAgency => "HIFLD type STATE (run by a state agency)".into(),
        KindBasis::StateUnifiedSystem => "HIFLD type STATE, in a state that runs its jails too".into(),
        KindBasis::StateNamedJail => "HIFLD type STATE, named a jail, pretrial, booking, intake or detention facility".into(),
        KindBasis::LocalAgency => format!("HIFLD type {hifld_type} (a prison, in 47 CFR § 64.6000, is run by a territorial, state or federal agency)"),
        KindBasis::LocalNamedPrison => format!("HIFLD type {hifld_type}, named a prison (one housing state prisoners may be a prison under 47 CFR § 64.6000)"),
        KindBasis::FederalDetention => "HIFLD type FEDERAL, named a detention, processing or holding center".into(),
        KindBasis::FederalInstitution => "HIFLD type FEDERAL, named a correctional institution".into(),
        KindBasis::NamedJail => format!("HIFLD type {hifld_type}, named a jail or detention center"),
        KindBasis::NamedPrison => format!("HIFLD type {hifld_type}, named a prison or correctional facility"),
        KindBasis::Unknown => format!("HIFLD type {hifld_type}, and a name that says neither"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FacilityKind::{Jail, Prison};

    /// TYPE, SECURELVL, name, state; the kind, its basis, and whether it is a guess.
    type Case = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        Option<FacilityKind>,
        KindBasis,
        bool,
    );

    /// (TYPE, SECURELVL, name, state) → (kind, basis, guess): every TYPE with and without
    /// JUVENILE, and each rule that reads the name, on names from the HIFLD file.
    #[test]
    fn hifld_fields_map_to_the_fcc_kinds() {
        #[rustfmt::skip]
        let cases: &[Case] = &[
            ("COUNTY", "MAXIMUM", "MIDLAND COUNTY CENTRAL DETENTION CENTER", "TX", Some(Jail), KindBasis::LocalAgency, false),
            ("COUNTY", "JUVENILE", "BARBARA CULVER JUVENILE DETENTION CENTER", "TX", Some(Jail), KindBasis::Juvenile, false),
            ("COUNTY", "NOT AVAILABLE", "BLAIR COUNTY PRISON", "PA", Some(Jail), KindBasis::LocalNamedPrison, true),
            ("LOCAL", "NOT AVAILABLE", "PARSONS CITY PRISON", "KS", Some(Jail), KindBasis::LocalNamedPrison, true),
            ("LOCAL", "MAXIMUM", "SOME CITY JAIL", "NY", Some(Jail), KindBasis::LocalAgency, false),
            ("LOCAL", "JUVENILE", "A YOUTH CENTER", "NY", Some(Jail), KindBasis::Juvenile, false),
            ("STATE", "MEDIUM", "SAN QUENTIN STATE PRISON", "CA", Some(Prison), KindBasis::StateAgency, false),
            ("STATE", "JUVENILE", "GIDDINGS STATE SCHOOL", "TX", Some(Jail), KindBasis::Juvenile, false),
            ("STATE", "MEDIUM", "LOPEZ STATE JAIL", "TX", Some(Jail), KindBasis::StateNamedJail, true),
            ("STATE", "NOT AVAILABLE", "BALTIMORE CENTRAL BOOKING AND INTAKE CENTER", "MD", Some(Jail), KindBasis::StateNamedJail, true),
            ("STATE", "CLOSE", "MAT-SU PRETRIAL", "AK", Some(Jail), KindBasis::StateNamedJail, true),
            ("STATE", "NOT AVAILABLE", "CENTRO DETENCIÓN BAYAMÓN (1072)", "PR", Some(Jail), KindBasis::StateNamedJail, true),
            ("STATE", "NOT AVAILABLE", "INSTITUCIÓN CORRECCIONAL GUERRERO", "PR", Some(Prison), KindBasis::StateAgency, false),
            ("STATE", "MEDIUM", "SPRING CREEK CORRECTIONAL CENTER", "AK", Some(Prison), KindBasis::StateUnifiedSystem, true),
            ("FEDERAL", "MEDIUM", "FCI CUMBERLAND", "MD", Some(Prison), KindBasis::FederalInstitution, true),
            ("FEDERAL", "MAXIMUM", "USP TERRE HAUTE", "IN", Some(Prison), KindBasis::FederalInstitution, true),
            ("FEDERAL", "MINIMUM", "CI GREAT PLAINS", "OK", Some(Prison), KindBasis::FederalInstitution, true),
            ("FEDERAL", "MAXIMUM", "MDC BROOKLYN", "NY", Some(Jail), KindBasis::FederalDetention, true),
            ("FEDERAL", "MAXIMUM", "FCI TALLAHASSEE DETENTION CENTER", "FL", Some(Jail), KindBasis::FederalDetention, true),
            ("FEDERAL", "NOT AVAILABLE", "ADELANTO ICE PROCESSING CENTER", "CA", Some(Jail), KindBasis::FederalDetention, true),
            ("FEDERAL", "NOT AVAILABLE", "SOUTH TEXAS FAMILY RESIDENTIAL CENTER", "TX", Some(Jail), KindBasis::FederalDetention, true),
            ("FEDERAL", "MINIMUM", "GROSSMAN CENTER", "KS", None, KindBasis::Unknown, true),
            ("MULTI", "MINIMUM", "MESA VERDE DETENTION FACILITY", "CA", Some(Jail), KindBasis::NamedJail, true),
            ("MULTI", "MAXIMUM", "CROSSROADS CORRECTIONAL CENTER", "MT", Some(Prison), KindBasis::NamedPrison, true),
            ("MULTI", "JUVENILE", "CROSSROADS HOPE ACADEMY", "FL", Some(Jail), KindBasis::Juvenile, false),
            ("MULTI", "NOT AVAILABLE", "RENEWAL INCORPORATED", "PA", None, KindBasis::Unknown, true),
            ("NOT AVAILABLE", "NOT AVAILABLE", "POLICIA DE MUNICIPAL CATANO", "PR", Some(Jail), KindBasis::NamedJail, true),
            ("NOT AVAILABLE", "NOT AVAILABLE", "GOLDEN GROVE ADULT CORRECTIONAL FACILITY", "VI", Some(Prison), KindBasis::NamedPrison, true),
            ("NOT AVAILABLE", "JUVENILE", "SUMMIT ACADEMY", "PA", Some(Jail), KindBasis::Juvenile, false),
            ("NOT AVAILABLE", "MINIMUM", "RIVERSIDE RESIDENTIAL CENTER", "IN", None, KindBasis::Unknown, true),
        ];
        for &(t, level, name, state, kind, basis, guess) in cases {
            assert_eq!(
                kind_from_hifld(t, level, name, state),
                (kind, basis),
                "{t} / {level} / {name}"
            );
            assert_eq!(basis.is_guess(), guess, "{name}");
        }
    }

    #[test]
    fn every_type_and_level_gives_a_kind_basis_and_juvenile_is_always_a_jail() {
        for t in HIFLD_TYPES {
            for level in HIFLD_SECURITY_LEVELS {
                let (kind, basis) = kind_from_hifld(t, level, "X", "TX");
                if *level == "JUVENILE" {
                    assert_eq!(
                        (kind, basis),
                        (Some(FacilityKind::Jail), KindBasis::Juvenile)
                    );
                }
                assert_eq!(kind.is_none(), basis == KindBasis::Unknown, "{t} {level}");
                assert!(!explain(basis, t).is_empty());
            }
        }
    }

    #[test]
    fn operators_come_from_the_type_and_private_never_does() {
        assert_eq!(operator_from_hifld("STATE"), (Some(Operator::State), false));
        assert_eq!(
            operator_from_hifld("COUNTY"),
            (Some(Operator::County), false)
        );
        assert_eq!(operator_from_hifld("LOCAL"), (Some(Operator::City), true));
        assert_eq!(
            operator_from_hifld("FEDERAL"),
            (Some(Operator::Federal), false)
        );
        assert_eq!(operator_from_hifld("MULTI"), (None, false));
        assert_eq!(operator_from_hifld("NOT AVAILABLE"), (None, false));
        for t in HIFLD_TYPES {
            assert_ne!(operator_from_hifld(t).0, Some(Operator::Private));
        }
        assert_eq!(status_from_hifld("OPEN"), FacilityStatus::Open);
        assert_eq!(status_from_hifld("CLOSED"), FacilityStatus::Closed);
        assert_eq!(status_from_hifld("NOT AVAILABLE"), FacilityStatus::Unknown);
    }
}
