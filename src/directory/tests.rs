//! Tests of the directory on the bundled data: the file, the mapping it holds, search quality
//! on real names, and filling in a facility.

use super::*;

fn directory() -> &'static Directory {
    Directory::bundled().expect("the bundled directory reads")
}

/// The ids of the first `n` results.
fn top(query: &str, state: Option<&str>, n: usize) -> Vec<String> {
    directory()
        .search(query, state, n)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
        .into_iter()
        .map(|m| m.entry.id.clone())
        .collect()
}

fn first(query: &str, state: Option<&str>) -> String {
    let found = top(query, state, 1);
    assert!(!found.is_empty(), "{query}: nothing found");
    found[0].clone()
}

#[test]
fn the_bundled_directory_holds_every_hifld_facility() {
    let d = directory();
    assert_eq!(d.entries().len(), 6737);
    assert_eq!(d.edition(), "2026-12-01");
    let e = d.get("10002798").expect("Midland");
    assert_eq!(e.name, "MIDLAND COUNTY CENTRAL DETENTION CENTER");
    assert_eq!(e.city, "MIDLAND");
    assert_eq!(e.county_fips.as_deref(), Some("48329"));
    assert_eq!(e.kind, Some(FacilityKind::Jail));
    assert_eq!(e.operator, Some(Operator::County));
    assert_eq!(e.population, Some(438));
    assert_eq!(
        e.population_as_of,
        crate::dated::parse_date("2018-04-30").ok()
    );
    assert_eq!(e.capacity, Some(498));
    assert_eq!(e.status, FacilityStatus::Open);
    assert!(d.get("99999999").is_none());
    // About 1,900 rows have no population; none has a date for a population it lacks.
    let unknown = d
        .entries()
        .iter()
        .filter(|e| e.population.is_none())
        .count();
    assert!((1800..2000).contains(&unknown), "{unknown}");
    assert!(d
        .entries()
        .iter()
        .all(|e| e.population.is_some() || e.population_as_of.is_none()));
}

/// The committed file is what the generator makes from HIFLD's CSV, when the source is
/// beside the repository (`../shared/data/hifld/`, as on the project's machines and in CI).
#[test]
fn the_committed_directory_is_what_the_generator_makes_from_hifld() {
    let source = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/hifld/prison_boundaries.csv");
    let Ok(text) = std::fs::read_to_string(&source) else {
        eprintln!("skipped: {} is not here", source.display());
        return;
    };
    let made = directory_from_hifld("prison_boundaries.csv", &text, directory().edition())
        .expect("the generator reads HIFLD's file");
    assert!(
        made == TEXT,
        "rates/facilities/directory.csv is not what examples/build_directory.rs makes: run it again"
    );
}

/// Every row's kind is what the mapping gives its HIFLD type and name (the security level is
/// not kept: a `juvenile` basis stands for it).
#[test]
fn every_row_has_the_kind_the_mapping_gives() {
    for e in directory().entries() {
        let level = if e.kind_basis == KindBasis::Juvenile {
            "JUVENILE"
        } else {
            "NOT AVAILABLE"
        };
        assert_eq!(
            kind_from_hifld(&e.hifld_type, level, &e.name, &e.state),
            (e.kind, e.kind_basis),
            "{} {}",
            e.id,
            e.name
        );
        assert_eq!(operator_from_hifld(&e.hifld_type).0, e.operator, "{}", e.id);
    }
}

#[test]
fn an_exact_name_comes_first() {
    assert_eq!(first("SAN QUENTIN STATE PRISON (SQ)", None), "10000790");
    assert_eq!(first("Harris County Detention Center", None), "10000231");
    assert_eq!(
        first("midland county central detention center", None),
        "10002798"
    );
    assert_eq!(first("Twin Towers Correctional Facility", None), "10005375");
}

#[test]
fn part_of_a_name_finds_it() {
    assert_eq!(first("san quentin", None), "10000790");
    assert_eq!(first("pelican bay", None), "10002309");
    assert_eq!(first("twin towers", None), "10005375");
    // the start of a word
    assert_eq!(first("midland central det", None), "10002798");
    let harris = top("harris county jail", Some("TX"), 10);
    assert!(
        harris.contains(&"10002866".to_string()),
        "{}",
        harris.join(", ")
    );
}

#[test]
fn a_typo_still_finds_it() {
    assert_eq!(first("san quentn", None), "10000790", "a letter missing");
    assert_eq!(
        first("pelican bay state prisno", None),
        "10002309",
        "two letters swapped"
    );
    assert_eq!(
        first("harris county detension center", None),
        "10000231",
        "a letter changed"
    );
    assert_eq!(first("twin towerss", None), "10005375", "a letter added");
}

#[test]
fn a_city_finds_its_facilities() {
    assert_eq!(first("coldspring", None), "10002836");
    // two words of one: COLDSPRING, beside a jail named COLD SPRINGS
    let cold = top("cold spring", Some("TX"), 3);
    assert!(
        cold.contains(&"10002836".to_string()),
        "{}",
        cold.join(", ")
    );
    let houston = top("houston", Some("TX"), 30);
    assert!(
        houston.contains(&"10000231".to_string()),
        "{}",
        houston.join(", ")
    );
}

#[test]
fn the_state_filter_keeps_one_state() {
    // Cook County, Georgia, not Cook County, Illinois or Minnesota.
    assert_eq!(first("cook county jail", Some("GA")), "10004546");
    assert_eq!(first("cook county jails", Some("IL")), "10000634");
    for m in directory().search("county jail", Some("VT"), 50).unwrap() {
        assert_eq!(m.entry.state, "VT");
    }
    assert!(top("san quentin", Some("TX"), 5)
        .iter()
        .all(|id| id != "10000790"));
}

#[test]
fn word_order_and_accents_do_not_matter() {
    assert_eq!(first("prison state quentin san", None), "10000790");
    assert_eq!(first("detention center county harris", None), "10000231");
    assert_eq!(first("centro detencion bayamon", None), "10005724");
    assert_eq!(first("CENTRO DETENCIÓN BAYAMÓN", None), "10005724");
    assert_eq!(first("dona ana county detention", None), "10003796");
}

#[test]
fn an_id_finds_its_facility_and_nonsense_finds_nothing() {
    assert_eq!(first("10002798", None), "10002798");
    assert!(top("xqzzyv", None, 10).is_empty());
    let e = directory().search("  --  ", None, 10).unwrap_err();
    assert!(e.message().contains("no letters or digits"), "{e}");
    let e = directory().search("jail", Some("tx"), 10).unwrap_err();
    assert!(e.message().contains("two-letter"), "{e}");
    assert!(directory().search("jail", None, 0).is_err());
    let found = directory().search("county jail", None, 7).unwrap();
    assert_eq!(found.len(), 7, "the limit");
    assert!(
        found.windows(2).all(|w| w[0].score >= w[1].score),
        "best first"
    );
}

#[test]
fn filling_in_takes_what_the_file_leaves_out_and_says_what_it_assumed() {
    let d = directory();
    let f = d.fill("10002798", Given::default()).unwrap();
    assert_eq!(
        f.name.as_deref(),
        Some("MIDLAND COUNTY CENTRAL DETENTION CENTER")
    );
    assert_eq!(f.kind, FacilityKind::Jail);
    assert_eq!(f.state.as_deref(), Some("TX"));
    assert_eq!(f.county_fips.as_deref(), Some("48329"));
    assert_eq!(f.operator, Some(Operator::County));
    assert_eq!(f.average_daily_population, 438);
    assert_eq!(
        f.filled_from_directory,
        [
            "name",
            "state",
            "county_fips",
            "kind",
            "operator",
            "population"
        ]
    );
    assert!(matches!(
        f.adp_source,
        AdpSource::Reported {
            population: 438,
            ..
        }
    ));
    let notes = d.notes(&f).join("\n");
    assert!(
        notes.contains("population as reported in 2018 (HIFLD, facility 10002798)"),
        "{notes}"
    );

    // What the file gives wins, and nothing is assumed about it.
    let given = Given {
        name: Some("Midland jail".into()),
        kind: Some(FacilityKind::Prison),
        average_daily_population: Some(500),
        ..Given::default()
    };
    let f = d.fill("10002798", given).unwrap();
    assert_eq!(f.name.as_deref(), Some("Midland jail"));
    assert_eq!(f.kind, FacilityKind::Prison);
    assert_eq!(
        (f.average_daily_population, f.adp_source.clone()),
        (500, AdpSource::Given)
    );
    assert_eq!(
        f.filled_from_directory,
        ["state", "county_fips", "operator"]
    );

    // No population: the size is unknown, priced at the smallest tier.
    let f = d.fill("10000001", Given::default()).unwrap();
    assert_eq!(f.average_daily_population, UNKNOWN_ADP);
    assert!(matches!(f.adp_source, AdpSource::Unknown { .. }));

    // A kind the directory guesses is said to be a guess.
    let f = d.fill("10003235", Given::default()).unwrap(); // MCC NEW YORK
    assert_eq!(f.kind, FacilityKind::Jail);
    let notes = d.notes(&f).join("\n");
    assert!(notes.contains("is a guess"), "{notes}");

    // An id not in the directory, and one whose kind it does not know.
    match d.fill("99999999", Given::default()) {
        Err(FillError::UnknownId(m)) => assert!(m.contains("callcap facilities"), "{m}"),
        other => panic!("not an unknown id: {}", other.is_ok()),
    }
    match d.fill("10001825", Given::default()) {
        Err(FillError::NoKind(m)) => assert!(m.contains("GROSSMAN CENTER"), "{m}"),
        other => panic!("not a missing kind: {}", other.is_ok()),
    }
}

#[test]
fn a_bad_directory_file_is_an_error_naming_the_line_and_column() {
    let header = format!("# edition 2026-12-01\n{}\n", COLUMNS.join(","));
    let row =
        "10000001,A JAIL,A CITY,TX,48001,COUNTY,jail,local_agency,county,12,2018-01-01,20,open";
    assert!(Directory::from_csv("d.csv", &format!("{header}{row}\n")).is_ok());
    let e = Directory::from_csv(
        "d.csv",
        &format!("{header}{}\n", row.replace(",12,", ",twelve,")),
    )
    .unwrap_err();
    assert_eq!((e.line(), e.key()), (Some(3), Some("population")), "{e}");
    let e = Directory::from_csv(
        "d.csv",
        &format!("{header}{}\n", row.replace("local_agency", "guess")),
    )
    .unwrap_err();
    assert_eq!(e.key(), Some("kind_basis"), "{e}");
    let e = Directory::from_csv("d.csv", &format!("{header}{row}\n{row}\n")).unwrap_err();
    assert!(e.message().contains("out of order"), "{e}");
    let e = Directory::from_csv("d.csv", row).unwrap_err();
    assert_eq!(e.line(), Some(1), "{e}");
}
