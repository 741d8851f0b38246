//! The rate book as a whole: it loads strictly, and every kind of bad data is refused with
//! its file and line.

use callcap::ratebook::{BUNDLED, FILES, STATE_FILES};
use callcap::{Facility, FacilityKind, RateBook};
use chrono::NaiveDate;
use std::path::Path;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// Loads the bundled book with one file's text replaced by `edit(text)`.
fn with_edit(file: &str, edit: impl Fn(&str) -> String) -> Result<RateBook, callcap::Error> {
    let edited: Vec<(&str, String)> = BUNDLED
        .iter()
        .map(|(name, text)| {
            (
                *name,
                if *name == file {
                    edit(text)
                } else {
                    text.to_string()
                },
            )
        })
        .collect();
    let changed = edited.iter().zip(BUNDLED).any(|((_, a), (_, b))| a != b);
    assert!(changed, "the edit to {file} changed nothing");
    RateBook::from_files(edited.iter().map(|(n, t)| (*n, t.as_str())), "edited")
}

fn err(file: &str, edit: impl Fn(&str) -> String) -> String {
    match with_edit(file, edit) {
        Ok(_) => panic!("an edit to {file} should have been refused"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_bundled_book_loads_and_matches_the_directory() {
    let bundled = RateBook::bundled().unwrap_or_else(|e| panic!("{e}"));
    let dir = RateBook::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("rates"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(bundled.change_dates(), dir.change_dates());
    let f = Facility::new(FacilityKind::Jail, 640);
    for d in bundled.change_dates() {
        let a = serde_json::to_string(&bundled.rules(d, &f)).unwrap();
        let b = serde_json::to_string(&dir.rules(d, &f)).unwrap();
        assert_eq!(a, b, "rules differ on {d}");
    }
    // The bundled book is the federal files, then the state files; `--rates DIR` reads the
    // same, the state files from DIR/states/.
    let names: Vec<&str> = BUNDLED.iter().map(|(n, _)| *n).collect();
    let expected: Vec<&str> = FILES.iter().chain(STATE_FILES).copied().collect();
    assert_eq!(names, expected);
    let mut dir = dir;
    dir.origin = bundled.origin.clone();
    assert!(
        dir == bundled,
        "rates/ read as a directory is the bundled book"
    );
}

#[test]
fn every_source_is_linked_and_every_period_cited() {
    let book = RateBook::bundled().unwrap();
    for (id, doc) in book.sources() {
        assert!(doc.link.starts_with("http"), "source {id} has no link");
        assert!(
            !doc.document.is_empty() && !doc.title.is_empty(),
            "source {id}"
        );
    }
    // Every rule resolved on every change date carries a source and a citation.
    for kind in [FacilityKind::Prison, FacilityKind::Jail] {
        for adp in [10, 75, 200, 640, 5000] {
            for d in book.change_dates() {
                let r = book.rules(d, &Facility::new(kind, adp));
                for c in &r.caps {
                    assert!(!c.provenance.source.is_empty() && !c.provenance.citation.is_empty());
                }
                for f in r.ancillary_fees.iter().filter(|f| f.regulated) {
                    let p = f.provenance.as_ref().expect("regulated fee has a source");
                    assert!(!p.source.is_empty() && !p.citation.is_empty());
                }
            }
        }
    }
}

#[test]
fn decimals_in_rates_are_quoted_strings() {
    // The loader refuses bare floats (see below); this scan also catches one in a comment-free
    // value the loader might not read, such as a key of a future file.
    for (name, text) in BUNDLED {
        for (i, line) in text.lines().enumerate() {
            let code = line.split('#').next().unwrap_or("");
            if let Some((_, value)) = code.split_once('=') {
                let v = value.trim();
                let bare_decimal = v.contains('.')
                    && !v.starts_with('"')
                    && !v.starts_with('[')
                    && v.chars()
                        .next()
                        .is_some_and(|c| c.is_ascii_digit() || c == '-');
                assert!(
                    !bare_decimal,
                    "{name}:{}: bare decimal `{v}`; quote it",
                    i + 1
                );
            }
        }
    }
}

#[test]
fn bad_data_is_refused_with_file_and_line() {
    type Edit = Box<dyn Fn(&str) -> String>;
    let cases: Vec<(&str, &str, Edit)> = vec![
        (
            "caps.toml",
            "floating point",
            Box::new(|t: &str| t.replacen("per_minute = \"0.21\"", "per_minute = 0.21", 1)),
        ),
        (
            "caps.toml",
            "is defined twice (first at line",
            Box::new(|t: &str| {
                format!("{t}\n[periods.2014-02-11]\nsource = \"fcc-13-113\"\ncitation = \"x\"\nconfidence = \"high\"\ncap = []\n")
            }),
        ),
        (
            "caps.toml",
            "\"2026-02-30\" is not a real date",
            Box::new(|t: &str| {
                format!("{t}\n[periods.2026-02-30]\nsource = \"fcc-13-113\"\ncitation = \"x\"\nconfidence = \"high\"\ncap = []\n")
            }),
        ),
        (
            "caps.toml",
            "unknown field `per_minut`",
            Box::new(|t: &str| t.replacen("per_minute = \"0.21\"", "per_minut = \"0.21\"", 1)),
        ),
        (
            "caps.toml",
            "missing field `source`",
            Box::new(|t: &str| t.replacen("source = \"fcc-13-113\"\n", "", 1)),
        ),
        (
            "caps.toml",
            "unknown source `fcc-99-1`",
            Box::new(|t: &str| t.replacen("source = \"fcc-13-113\"", "source = \"fcc-99-1\"", 1)),
        ),
        (
            "caps.toml",
            "unknown tier `castle`",
            Box::new(|t: &str| {
                t.replacen("tiers = [\"prison\", \"jail\"]", "tiers = [\"castle\"]", 1)
            }),
        ),
        (
            "caps.toml",
            "entries apply to tier `prison` audio interstate debit",
            Box::new(|t: &str| {
                t.replacen(
                    "payments = [\"collect\"]",
                    "payments = [\"collect\", \"debit\"]",
                    1,
                )
            }),
        ),
        (
            "caps.toml",
            "unknown service \"radio\"",
            Box::new(|t: &str| t.replacen("services = [\"audio\"]", "services = [\"radio\"]", 1)),
        ),
        (
            "caps.toml",
            "unknown confidence \"certain\"",
            Box::new(|t: &str| t.replacen("confidence = \"high\"", "confidence = \"certain\"", 1)),
        ),
        (
            // A table may not be surer than an entry it holds (the first 2014 cap entry, made
            // `low`, under a table marked `high`).
            "caps.toml",
            "the table is marked confidence `high` but its [[cap]] entry #1 is `low`",
            Box::new(|t: &str| {
                t.replacen(
                    "payments = [\"debit\", \"prepaid\"]      # includes the CFR's \"prepaid collect\"",
                    "payments = [\"debit\", \"prepaid\"]\nconfidence = \"low\"",
                    1,
                )
            }),
        ),
        (
            // Nor may a regime be surer than the caps that take effect with it.
            "regimes.toml",
            "the regime is marked confidence `high` but the caps that take effect with it (caps.toml [periods.2025-06-30]) are `medium`",
            Box::new(|t: &str| {
                let at = t.find("[periods.2025-06-30]").unwrap();
                let (head, tail) = t.split_at(at);
                format!(
                    "{head}{}",
                    tail.replacen("confidence = \"medium\"", "confidence = \"high\"", 1)
                )
            }),
        ),
        (
            "tiers.toml",
            "uncovered",
            Box::new(|t: &str| t.replacen("adp_max = 999", "adp_max = 998", 1)),
        ),
        (
            "tiers.toml",
            "overlaps",
            Box::new(|t: &str| t.replacen("adp_min = 1000", "adp_min = 999", 1)),
        ),
        (
            "ancillary_fees.toml",
            "none for",
            Box::new(|t: &str| t.replacen("\"account_setup\", ", "", 1)),
        ),
        (
            "ancillary_fees.toml",
            "gives both `limit_automated_payment` and `limit_live_agent`, and no `limit`",
            Box::new(|t: &str| t.replacen("limit_live_agent = \"5.95\"\n", "", 1)),
        ),
        (
            "ancillary_fees.toml",
            "gives both `limit_automated_payment` and `limit_live_agent`, and no `limit`",
            Box::new(|t: &str| {
                t.replacen(
                    "limit_live_agent = \"5.95\"\n",
                    "limit_live_agent = \"5.95\"\nlimit = \"5.95\"\n",
                    1,
                )
            }),
        ),
        (
            "contract_exceptions.toml",
            "unknown regime `fcc-24-76`",
            Box::new(|t: &str| t.replacen("\"fcc-24-75\"]", "\"fcc-24-76\"]", 1)),
        ),
        (
            "contract_exceptions.toml",
            "unknown tier `jail_under_1000` on 2025-04-01",
            Box::new(|t: &str| {
                t.replacen("[\"medium_jail\", \"small_jail\", \"very_small_jail\"]", "[\"jail_under_1000\"]", 1)
            }),
        ),
        (
            "contract_exceptions.toml",
            "a window runs from after `existing_on` (2024-06-27) to a later `until`",
            Box::new(|t: &str| t.replacen("until = \"2026-01-01\"", "until = \"2024-12-01\"", 1)),
        ),
        (
            "contract_exceptions.toml",
            "unknown contract basis \"renegotiated\"",
            Box::new(|t: &str| t.replacen("basis = \"contractual\"", "basis = \"renegotiated\"", 1)),
        ),
        (
            "contract_exceptions.toml",
            "unknown rule concept \"fees\"",
            Box::new(|t: &str| t.replacen("defers = [\"caps\"", "defers = [\"fees\"", 1)),
        ),
        (
            "call_charges.toml",
            "needs equivalence_minutes",
            Box::new(|t: &str| t.replacen("equivalence_minutes = 15", "", 1)),
        ),
        (
            "sources.toml",
            "missing field `link`",
            Box::new(|t: &str| {
                let i = t.find("link = ").unwrap();
                let j = i + t[i..].find('\n').unwrap();
                format!("{}{}", &t[..i], &t[j + 1..])
            }),
        ),
    ];
    let mut failures = Vec::new();
    for (file, want, edit) in &cases {
        let e = err(file, edit);
        let located = e.starts_with(file) && e[file.len()..].starts_with(':');
        let has_line = e[file.len()..]
            .trim_start_matches(':')
            .starts_with(|c: char| c.is_ascii_digit());
        if !e.contains(want) || !located || !has_line {
            failures.push(format!(
                "{file}: want `{want}` with a line number, got: {e}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_file_is_named() {
    let dir = std::env::temp_dir().join(format!("callcap-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let e = RateBook::load_dir(&dir).unwrap_err().to_string();
    assert!(
        e.contains("sources.toml") && e.contains("cannot read"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn tier_tables_cover_every_adp() {
    let book = RateBook::bundled().unwrap();
    for d in book.change_dates() {
        for kind in [FacilityKind::Prison, FacilityKind::Jail] {
            for adp in [1, 49, 50, 99, 100, 349, 350, 999, 1000, 1001, 1_000_000] {
                let r = book.rules(d, &Facility::new(kind, adp));
                assert!(
                    r.facility.tier.is_some(),
                    "{kind} ADP {adp} has no tier on {d}"
                );
            }
        }
    }
    assert!(book
        .rules(date("2014-02-10"), &Facility::new(FacilityKind::Jail, 5))
        .facility
        .tier
        .is_none());
}

#[test]
fn the_edition_is_the_newest_changelog_entry() {
    let changelog = std::fs::read_to_string("rates/CHANGELOG.md").expect("rates/CHANGELOG.md");
    let newest = changelog
        .lines()
        .find_map(|l| l.strip_prefix("## "))
        .and_then(|l| l.get(..10))
        .expect("an entry headed `## YYYY-MM-DD: ...`");
    let book = RateBook::bundled().expect("bundled");
    assert_eq!(
        book.edition().to_string(),
        newest,
        "rates/edition.toml and the newest entry of rates/CHANGELOG.md name the same day"
    );
    assert_eq!(book.versions().rates, newest);
    assert_eq!(book.versions().callcap, env!("CARGO_PKG_VERSION"));
}

#[test]
fn every_state_file_is_bundled_and_every_state_rule_cited() {
    use callcap::ratebook::Place;
    use callcap::Confidence;
    let mut on_disk: Vec<String> = std::fs::read_dir("rates/states")
        .expect("rates/states")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .map(|n| format!("states/{n}"))
        .collect();
    on_disk.sort();
    assert_eq!(
        on_disk, STATE_FILES,
        "every file in rates/states/ is in STATE_FILES"
    );

    let book = RateBook::bundled().unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for date in book.state_change_dates() {
        for r in book.state_rules(date, &Place::default()).rules {
            let p = &r.provenance;
            assert!(
                !p.source.is_empty() && !p.title.is_empty() && !p.citation.is_empty(),
                "{}: cited",
                r.id
            );
            assert!(p.link.starts_with("http"), "{}: linked", r.id);
            assert!(
                p.confidence == Confidence::High || p.note.is_some(),
                "{}: a rule not read in its text says why in its note",
                r.id
            );
            assert!(r.id.starts_with(&format!("{}-", r.state.to_lowercase())));
            seen.insert(r.id);
        }
    }
    assert!(seen.len() >= 55, "{} rules", seen.len());
    let states: Vec<&str> = book.states_covered().collect();
    assert_eq!(states.len(), STATE_FILES.len());
}

#[test]
fn a_directory_without_states_has_no_state_rules_and_a_bad_state_file_is_named() {
    let dir = std::env::temp_dir().join(format!("callcap-states-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("states")).unwrap();
    for name in FILES {
        std::fs::copy(Path::new("rates").join(name), dir.join(name)).unwrap();
    }
    std::fs::remove_dir(dir.join("states")).unwrap();
    let book = RateBook::load_dir(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(book.states_covered().count(), 0);
    std::fs::create_dir_all(dir.join("states")).unwrap();
    std::fs::write(dir.join("states/README.md"), "not read").unwrap();
    std::fs::write(dir.join("states/NJ.toml"), "state = \"NJ\"\nrule = 3\n").unwrap();
    let e = RateBook::load_dir(&dir).unwrap_err();
    assert!(
        e.file_name().is_some_and(|f| f.ends_with("NJ.toml")) && e.line() == Some(2),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
