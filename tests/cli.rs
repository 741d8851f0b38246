//! The command line: exit codes, stdout and stderr pinned with snapshots.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Runs `callcap` from the repository root.
fn output(args: &[&str]) -> std::process::Output {
    output_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// Runs `callcap` in a directory.
fn output_in(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run callcap")
}

/// Runs `callcap` from the repository root and renders exit code, stdout and stderr.
fn run(args: &[&str]) -> String {
    rendered(output(args))
}

fn rendered(out: std::process::Output) -> String {
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn code(args: &[&str]) -> i32 {
    output(args).status.code().unwrap_or(-1)
}

/// Standard output of a command that ran to its end (exit 0, 1, or 2 for a bad file among
/// good ones).
fn stdout(args: &[&str]) -> String {
    let out = output(args);
    assert!(
        matches!(out.status.code(), Some(0..=2)),
        "{args:?}: {out:?}"
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn caps_json_for_a_very_small_jail_today() {
    insta::assert_snapshot!(run(&[
        "caps",
        "--date",
        "2026-11-24",
        "--facility",
        "jail",
        "--adp",
        "75",
        "--format",
        "json"
    ]));
}

#[test]
fn caps_under_an_existing_contract_exception() {
    let caps = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "caps",
            "--date",
            "2025-02-01",
            "--facility",
            "prison",
            "--adp",
            "2500",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        serde_json::from_str(&stdout(&args)).expect("JSON")
    };
    // Without the contract: the 2024 caps, and the exception may apply.
    let interstate = |r: &serde_json::Value| -> serde_json::Value {
        r["caps"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["service"] == "audio" && c["jurisdiction"] == "interstate")
            .cloned()
            .unwrap()
    };
    let r = caps(&[]);
    assert_eq!(r["contract_exception"]["status"], "may_apply");
    assert_eq!(interstate(&r)["per_minute"], "0.06");
    // With a qualifying contract: the 2021 caps, citing the exception.
    let r = caps(&[
        "--contract-signed",
        "2023-05-01",
        "--contract-ends",
        "2027-06-30",
        "--contract-basis",
        "contractual",
    ]);
    assert_eq!(r["contract_exception"]["status"], "applied");
    let interstate = interstate(&r);
    assert_eq!(interstate["per_minute"], "0.12");
    assert!(
        interstate["citation"]
            .as_str()
            .unwrap()
            .contains("kept in force by 47 CFR § 64.6010(d)(1)"),
        "{interstate}"
    );
    assert_eq!(r["site_commissions"]["allowed"], true);
    // The three flags go together; the contract must end after it was signed.
    assert_eq!(
        code(&[
            "caps",
            "--facility",
            "prison",
            "--adp",
            "5",
            "--contract-signed",
            "2023-05-01"
        ]),
        2
    );
    let out = output(&[
        "caps",
        "--facility",
        "prison",
        "--adp",
        "5",
        "--contract-signed",
        "2023-05-01",
        "--contract-ends",
        "2023-01-01",
        "--contract-basis",
        "contractual",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--contract-ends"),
        "{out:?}"
    );
}

#[test]
fn caps_table_under_the_2021_rules() {
    insta::assert_snapshot!(run(&[
        "caps",
        "--date",
        "2022-06-01",
        "--facility",
        "prison",
        "--adp",
        "2500",
        "--format",
        "table"
    ]));
}

#[test]
fn caps_before_any_federal_cap() {
    insta::assert_snapshot!(run(&[
        "caps",
        "--date",
        "2013-06-01",
        "--facility",
        "jail",
        "--adp",
        "300",
        "--format",
        "table"
    ]));
}

#[test]
fn caps_csv_in_2016_shows_never_effective_orders_in_json_only() {
    insta::assert_snapshot!(run(&[
        "caps",
        "--date",
        "2016-07-01",
        "--facility",
        "jail",
        "--adp",
        "400",
        "--format",
        "csv"
    ]));
}

#[test]
fn caps_csv_with_a_site_commission_additive_and_before_any_cap() {
    let mut out = String::new();
    for date in ["2022-06-01", "2013-06-01"] {
        let args = [
            "caps",
            "--date",
            date,
            "--facility",
            "prison",
            "--adp",
            "2000",
            "--format",
            "csv",
        ];
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), run(&args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn check_examples_json() {
    insta::assert_snapshot!(run(&[
        "check",
        "rates/examples/",
        "--date",
        "2026-06-01",
        "--format",
        "json"
    ]));
}

#[test]
fn check_examples_table() {
    insta::assert_snapshot!(run(&[
        "check",
        "rates/examples/",
        "--date",
        "2026-06-01",
        "--format",
        "table"
    ]));
}

#[test]
fn check_csv_for_two_files() {
    insta::assert_snapshot!(run(&[
        "check",
        "rates/examples/mo-county-jail-2019-ancillary-fees.toml",
        "rates/examples/pa-state-prison-2026-compliant.toml",
        "--date",
        "2019-06-01",
        "--format",
        "csv"
    ]));
}

#[test]
fn exit_codes() {
    let compliant = "rates/examples/pa-state-prison-2026-compliant.toml";
    let violating = "rates/examples/mi-state-prison-2026-account-and-paper-fees.toml";
    assert_eq!(code(&["check", compliant, "--date", "2026-06-01"]), 0);
    assert_eq!(code(&["check", violating, "--date", "2026-06-01"]), 1);
    assert_eq!(
        code(&["check", compliant, violating, "--date", "2026-06-01"]),
        1
    );
    assert_eq!(
        code(&[
            "check",
            "tests/bad/unknown-key.toml",
            compliant,
            "--date",
            "2026-06-01"
        ]),
        2
    );
    assert_eq!(code(&["caps", "--facility", "jail", "--adp", "10"]), 0);
}

#[test]
fn bulk_check_reports_bad_files_and_still_checks_good_ones() {
    insta::assert_snapshot!(run(&[
        "check",
        "tests/bad/unknown-key.toml",
        "rates/examples/pa-state-prison-2026-compliant.toml",
        "--date",
        "2026-06-01",
        "--format",
        "json"
    ]));
}

#[test]
fn bad_input_errors_name_file_line_and_key() {
    let mut out = String::new();
    for file in [
        "unknown-key.toml",
        "bare-float.toml",
        "negative-rate.toml",
        "impossible-date.toml",
        "adp-zero.toml",
        "unknown-service.toml",
        "contradicting-rates.toml",
        "empty.toml",
        "syntax-error.toml",
    ] {
        out.push_str(
            &run(&[
                "check",
                &format!("tests/bad/{file}"),
                "--date",
                "2026-06-01",
                "--format",
                "json",
            ])
            .lines()
            .filter(|l| l.starts_with("exit") || l.starts_with("callcap:"))
            .collect::<Vec<_>>()
            .join("\n"),
        );
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn bad_arguments_exit_2_with_a_message() {
    let mut out = String::new();
    for args in [
        &[
            "caps",
            "--date",
            "2026-02-30",
            "--facility",
            "jail",
            "--adp",
            "10",
        ][..],
        &["caps", "--facility", "jail", "--adp", "0"],
        &["caps", "--facility", "castle", "--adp", "10"],
        &[
            "caps",
            "--facility",
            "jail",
            "--adp",
            "10",
            "--state",
            "Texas",
        ],
        &["check", "no/such/file.toml"],
        &[
            "check",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--rates",
            "no/such/dir",
        ],
        // Each said of what was given, in callcap's own words (not the argument parser's).
        &["caps", "--facility", "jail", "--adp", "-5"],
        &["caps", "--facility", "jail", "--adp", "9223372036854775808"],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--calls-per-week",
            "716",
        ],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--calls-per-week",
            "-5",
        ],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--calls-per-month",
            "9223372036854775808",
        ],
        // Where the facility is and who runs it.
        &[
            "caps",
            "--facility",
            "jail",
            "--adp",
            "300",
            "--county-fips",
            "6073",
        ],
        &[
            "caps",
            "--facility",
            "jail",
            "--adp",
            "300",
            "--operator",
            "sheriff",
        ],
        &[
            "check",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--county-fips",
            "25O25",
        ],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--state",
            "ma",
        ],
    ] {
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), run(args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn estimate_json_for_a_jail_family() {
    insta::assert_snapshot!(run(&[
        "estimate",
        "--tariff",
        "rates/examples/wi-county-jail-small-2026-compliant.toml",
        "--calls-per-month",
        "16",
        "--minutes",
        "15",
        "--jurisdiction",
        "intrastate",
        "--payment",
        "prepaid",
        "--deposit",
        "25",
        "--deposit-method",
        "automated_payment",
        "--date",
        "2026-11-24",
        "--format",
        "json"
    ]));
}

#[test]
fn estimate_table_with_an_overcharge() {
    insta::assert_snapshot!(run(&[
        "estimate",
        "--tariff",
        "rates/examples/nv-county-jail-large-2026-deposit-fees.toml",
        "--deposit",
        "25",
        "--date",
        "2026-06-01",
        "--format",
        "table"
    ]));
}

#[test]
fn estimate_csv_and_errors() {
    let mut out = run(&[
        "estimate",
        "--tariff",
        "rates/examples/pa-state-prison-2026-compliant.toml",
        "--date",
        "2026-06-01",
        "--format",
        "csv",
    ]);
    for args in [
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--jurisdiction",
            "mars",
        ][..],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--deposit=-5",
        ],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--deposit-method",
            "refund",
        ],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--minutes",
            "0",
        ],
        &["estimate", "--tariff", "tests/bad/bare-float.toml"],
    ] {
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), run(args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn compare_the_riverbend_bids() {
    let bids = [
        "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
        "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
        "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
    ];
    let mut out = String::new();
    for format in ["table", "csv"] {
        let mut args = vec!["compare"];
        args.extend(bids);
        args.extend(["--date", "2025-10-01", "--format", format]);
        out.push_str(&run(&args));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn compare_json_with_a_demand_file() {
    insta::assert_snapshot!(run(&[
        "compare",
        "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
        "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
        "--demand",
        "rates/demand.toml",
        "--date",
        "2026-07-01",
        "--format",
        "json"
    ]));
}

#[test]
fn compare_errors() {
    let mut out = String::new();
    for args in [
        &[
            "compare",
            "rates/examples/pa-state-prison-2026-compliant.toml",
        ][..],
        &[
            "compare",
            "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
            "--demand",
            "tests/bad/empty.toml",
        ],
    ] {
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), run(args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn a_closed_pipe_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    for args in [
        &[
            "check",
            "rates/examples/",
            "--date",
            "2026-06-01",
            "--format",
            "table",
        ][..],
        &[
            "check",
            "rates/examples/",
            "--date",
            "2026-06-01",
            "--format",
            "csv",
        ],
        &[
            "caps",
            "--facility",
            "jail",
            "--adp",
            "75",
            "--date",
            "2026-06-01",
            "--format",
            "table",
        ],
        &[
            "compare",
            "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
            "--format",
            "table",
        ],
    ] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_callcap"))
            .args(args)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run callcap");
        let mut first = [0u8; 10];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        // the reading end is now closed
        let out = child.wait_with_output().expect("wait");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_ne!(out.status.code(), Some(101), "{args:?}");
    }
}

#[test]
fn compare_prices_every_bid_at_a_what_if_population() {
    let args = |adp: &'static str| {
        let mut a = vec![
            "compare",
            "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
            "--date",
            "2026-06-01",
            "--format",
            "json",
        ];
        if !adp.is_empty() {
            a.extend(["--adp", adp]);
        }
        a
    };
    let json = |adp| -> serde_json::Value {
        let out = Command::new(env!("CARGO_BIN_EXE_callcap"))
            .args(args(adp))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run callcap");
        serde_json::from_slice(&out.stdout).expect("JSON")
    };
    let own = json("");
    let what_if = json("6400");
    assert_eq!(own["what_if_adp"], serde_json::Value::Null);
    assert_eq!(what_if["what_if_adp"], 6400);
    assert_eq!(what_if["bids"][0]["average_daily_population"], 6400);
    let note = what_if["bids"][0]["notes"][0].as_str().unwrap_or_default();
    assert!(note.contains("average daily population of 6400"), "{note}");
    assert_ne!(
        own["bids"][0]["annual_family_cost"],
        what_if["bids"][0]["annual_family_cost"]
    );
    // A population that is not one is bad input, named by its flag.
    let bad = run(&args("0"));
    assert!(bad.starts_with("exit: 2"), "{bad}");
    assert!(bad.contains("--adp"), "{bad}");
}

/// The rows of a CSV text, each as (column, cell) pairs in order.
fn csv_rows(text: &str) -> Vec<Vec<(String, String)>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().expect("a header").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV record");
            header
                .iter()
                .map(String::from)
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// A JSON value as the CSV cell for it: text as it is, null (or absent) empty, numbers and
/// booleans as JSON writes them.
fn cell(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => String::new(),
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

/// Every CSV cell is what the JSON says for the same key (vocabulary words included: the CSV
/// once wrote `sitecommission` where the JSON said `site_commission`). `json_of` finds the JSON
/// value for a row's column.
fn assert_cells_match_json<'j>(
    what: &str,
    rows: &[Vec<(String, String)>],
    json_of: impl Fn(usize, &str) -> Option<&'j serde_json::Value>,
) -> std::collections::BTreeSet<String> {
    let mut words = std::collections::BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        for (column, value) in row {
            if column.ends_with("_version") || column == "unpriced_calls" {
                // The JSON says the version once, at the top (every_answer_says_what_...), and
                // the unpriced calls as a list of objects; the CSV joins them in one cell
                // (a_bid_that_prices_part_of_the_demand_is_marked_and_not_ranked).
                continue;
            }
            assert_eq!(
                value,
                &cell(json_of(i, column)),
                "{what}: row {i}, column {column}"
            );
            words.insert(value.clone());
        }
    }
    words
}

#[test]
fn csv_and_json_spell_every_word_the_same() {
    let mut words = std::collections::BTreeSet::new();
    for (date, kind, adp) in [
        ("2016-07-01", "jail", "400"),
        ("2022-06-01", "prison", "2000"),
        ("2026-06-01", "jail", "300"),
        ("2026-06-01", "prison", "5000"),
    ] {
        let args = [
            "caps",
            "--date",
            date,
            "--facility",
            kind,
            "--adp",
            adp,
            "--format",
        ];
        let rows = csv_rows(&stdout(&[&args[..], &["csv"]].concat()));
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&[&args[..], &["json"]].concat())).expect("JSON");
        assert_eq!(rows.len(), json["caps"].as_array().expect("caps").len());
        words.extend(assert_cells_match_json(
            &args.join(" "),
            &rows,
            |i, column| match column {
                "date" => json.get("date"),
                "kind" | "average_daily_population" | "tier" => json["facility"].get(column),
                _ => json["caps"][i].get(column),
            },
        ));
    }
    for word in [
        "site_commission",
        "always",
        "audio",
        "video",
        "intrastate",
        "prepaid",
    ] {
        assert!(words.contains(word), "no caps row says `{word}`");
    }

    let check = ["check", "rates/examples/", "tests/bad/unknown-key.toml"];
    for date in ["2015-06-01", "2019-06-01", "2026-06-01"] {
        let args = [&check[..], &["--date", date, "--format"]].concat();
        let rows = csv_rows(&stdout(&[&args[..], &["csv"]].concat()));
        let json: serde_json::Value =
            serde_json::from_str(&stdout(&[&args[..], &["json"]].concat())).expect("JSON");
        // the results, one row for each finding, or one for a file without any
        let mut of_row = Vec::new();
        for result in json["results"].as_array().expect("results") {
            match result["findings"].as_array() {
                Some(findings) if !findings.is_empty() => {
                    of_row.extend(findings.iter().map(|f| (result, Some(f))))
                }
                _ => of_row.push((result, None)),
            }
        }
        assert_eq!(rows.len(), of_row.len(), "check on {date}");
        words.extend(assert_cells_match_json(date, &rows, |i, column| {
            let (result, finding) = of_row[i];
            match column {
                "date" => json.get("date"),
                "file" | "compliant" | "error" => result.get(column),
                _ => finding.and_then(|f| f.get(column)),
            }
        }));
    }
    for word in [
        "violation",
        "warning",
        "info",
        "high",
        "medium",
        "per_minute_cap",
    ] {
        assert!(words.contains(word), "no check row says `{word}`");
    }

    let bids = [
        "compare",
        "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
        "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
        "rates/examples/bids/riverbend-vendor-c-middle-starts-2025.toml",
        "--date",
        "2025-10-01",
        "--format",
    ];
    let rows = csv_rows(&stdout(&[&bids[..], &["csv"]].concat()));
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&[&bids[..], &["json"]].concat())).expect("JSON");
    let bids = json["bids"].as_array().expect("bids");
    let violations: Vec<&serde_json::Value> = bids
        .iter()
        .map(|b| &b["compliance"][0]["violations"])
        .collect();
    let first_bad: Vec<Option<&serde_json::Value>> = bids
        .iter()
        .map(|b| {
            let dates = b["compliance"].as_array().expect("compliance");
            dates
                .iter()
                .find(|d| d["compliant"] == false)
                .map(|d| &d["date"])
        })
        .collect();
    assert_cells_match_json("compare", &rows, |i, column| {
        let bid = &json["bids"][i];
        match column {
            "date" => json.get("date"),
            "local_15_min_call"
            | "intrastate_15_min_call"
            | "interstate_15_min_call"
            | "international_15_min_call" => {
                bid["family_cost_per_15_min_call"].get(column.split('_').next().expect("word"))
            }
            "violations" => Some(violations[i]),
            "first_noncompliant_date" => first_bad[i],
            _ => bid.get(column),
        }
    });
}

/// A fresh directory for one test, under Cargo's temporary directory for integration tests.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("remove the old scratch directory");
    }
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    dir
}

/// Writes a compliant tariff at each path below `dir`.
fn tariffs(dir: &Path, paths: &[&str]) {
    let text = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("rates/examples/pa-state-prison-2026-compliant.toml"),
    )
    .expect("an example");
    for p in paths {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("its directory");
        std::fs::write(path, &text).expect("a tariff");
    }
}

/// A directory holding `a.toml` and `self -> .` was checked 41 times, `a.toml` down to
/// `self/self/.../a.toml`, with exit 0. The link is reported, not followed.
#[cfg(unix)]
#[test]
fn check_dir_reports_a_link_to_a_directory_that_would_loop_and_checks_the_file_once() {
    let dir = scratch("link-loop");
    tariffs(&dir, &["tree/a.toml"]);
    std::os::unix::fs::symlink(".", dir.join("tree/self")).expect("a link");
    let mut out = String::new();
    for format in ["json", "table"] {
        let args = ["check", "tree", "--date", "2026-06-01", "--format", format];
        out.push_str(&format!(
            "$ callcap {}\n{}\n",
            args.join(" "),
            rendered(output_in(&dir, &args))
        ));
    }
    insta::assert_snapshot!(out);
}

/// `check DIR` walks depth first in byte order of the names, as a sort of the whole paths did;
/// links to files are checked, links to directories reported.
#[cfg(unix)]
#[test]
fn check_dir_walks_a_nested_tree_in_sorted_order() {
    let dir = scratch("nested");
    tariffs(
        &dir,
        &[
            "tree/b.toml",
            "tree/a.toml",
            "tree/a/z.toml",
            "tree/a/b/c.toml",
            "tree/c/d.toml",
            "tree/Z.toml",
            "outside/o.toml",
        ],
    );
    std::fs::write(dir.join("tree/a/notes.txt"), "not a tariff").expect("a note");
    for (target, link) in [
        ("b.toml", "tree/link.toml"),
        ("a/b", "tree/again"),
        ("../outside", "tree/ext"),
    ] {
        std::os::unix::fs::symlink(target, dir.join(link)).expect("a link");
    }
    let args = ["check", "tree", "--date", "2026-06-01", "--format", "json"];
    let out = output_in(&dir, &args);
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let results = json["results"].as_array().expect("results");
    let files: Vec<&str> = results
        .iter()
        .map(|r| r["file"].as_str().expect("a file"))
        .collect();
    assert_eq!(
        files,
        [
            "tree/Z.toml",
            "tree/a/b/c.toml",
            "tree/a/z.toml",
            "tree/a.toml",
            "tree/again",
            "tree/b.toml",
            "tree/c/d.toml",
            "tree/ext",
            "tree/link.toml",
        ]
    );
    let error = |file: &str| {
        results
            .iter()
            .find(|r| r["file"] == file)
            .and_then(|r| r["error"].as_str())
            .map(String::from)
    };
    let again = error("tree/again").expect("the inner link is reported");
    assert!(
        again.contains("inside the one being checked (`a/b`): not followed"),
        "{again}"
    );
    let ext = error("tree/ext").expect("the outer link is reported");
    assert!(
        ext.contains("outside the one being checked (`../outside`): not followed"),
        "{ext}"
    );
    assert_eq!(error("tree/link.toml"), None, "a link to a file is checked");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("callcap: {again}")), "{stderr}");
    // The directory named on the command line may itself be a link.
    std::os::unix::fs::symlink("tree/a", dir.join("named")).expect("a link");
    let named = output_in(
        &dir,
        &["check", "named", "--date", "2026-06-01", "--format", "csv"],
    );
    assert_eq!(named.status.code(), Some(0), "{named:?}");
    let csv = String::from_utf8_lossy(&named.stdout);
    let files: Vec<&str> = csv
        .lines()
        .skip(1)
        .filter_map(|l| l.split(',').nth(1))
        .collect();
    assert_eq!(files, ["named/b/c.toml", "named/z.toml"], "{csv}");
}

#[test]
fn every_answer_says_what_produced_it_in_every_format() {
    let edition = callcap::RateBook::bundled().unwrap().edition().to_string();
    let version = env!("CARGO_PKG_VERSION");
    let commands: [&[&str]; 4] = [
        &[
            "caps",
            "--date",
            "2026-06-01",
            "--facility",
            "jail",
            "--adp",
            "75",
        ],
        &["check", "rates/examples", "--date", "2026-06-01"],
        &[
            "estimate",
            "--tariff",
            "rates/examples/pa-state-prison-2026-compliant.toml",
            "--date",
            "2026-06-01",
        ],
        &["compare", "rates/examples/bids", "--date", "2026-06-01"],
    ];
    for args in commands {
        let args: Vec<&str> = if args[0] == "compare" {
            let mut a = vec!["compare"];
            a.extend([
                "rates/examples/bids/riverbend-vendor-a-high-commission.toml",
                "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
            ]);
            a.extend(&args[2..]);
            a
        } else {
            args.to_vec()
        };
        let out = |format: &str| {
            let out = Command::new(env!("CARGO_BIN_EXE_callcap"))
                .args(&args)
                .args(["--format", format])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .output()
                .expect("run callcap");
            String::from_utf8(out.stdout).expect("UTF-8")
        };
        let json: serde_json::Value = serde_json::from_str(&out("json")).expect("JSON");
        assert_eq!(json["version"]["callcap"], version, "{args:?}");
        assert_eq!(json["version"]["rates"], edition.as_str(), "{args:?}");
        let csv = out("csv");
        let rows = csv_rows(&csv);
        assert!(!rows.is_empty(), "{args:?}: {csv}");
        for row in rows {
            let cell = |name: &str| {
                row.iter()
                    .find(|(c, _)| c == name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            assert_eq!(cell("callcap_version"), version, "{args:?}");
            assert_eq!(cell("rates_version"), edition, "{args:?}");
        }
        let table = out("table");
        assert!(
            table
                .trim_end()
                .ends_with(&format!("callcap {version}, rate book edition {edition}")),
            "{args:?}: {table}"
        );
    }
}

/// Runs callcap, reads `lines` lines of its standard output and closes it (as `| head -N`
/// does), and returns its exit code. With 0 lines the output is closed before callcap writes.
fn code_with_closed_stdout(args: &[&str], lines: usize) -> Option<i32> {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run callcap");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = std::io::BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        let _ = reader.read_line(&mut line);
    }
    drop(reader);
    child.wait().expect("wait").code()
}

#[test]
fn a_closed_pipe_never_turns_a_verdict_into_success() {
    let violating = "rates/examples/ga-county-jail-2015-per-call-over-equivalence.toml";
    let date = ["--date", "2015-06-01", "--format", "json"];
    let estimate = [&["estimate", "--tariff", violating][..], &date].concat();
    assert_eq!(code_with_closed_stdout(&estimate, 0), Some(1), "estimate");
    // `check ... | head -1`: the header read, then the output closed; the violation decides
    // whether the check was cut short or had finished.
    let check = [&["check", violating, "rates/examples"][..], &date].concat();
    assert_eq!(
        code_with_closed_stdout(&check, 1),
        Some(1),
        "check | head -1"
    );
    // Every file checked before the (buffered) output failed: the verdict stands.
    let compliant = "rates/examples/pa-state-prison-2026-compliant.toml";
    let check = [
        "check",
        compliant,
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ];
    assert_eq!(
        code_with_closed_stdout(&check, 0),
        Some(0),
        "check, all checked"
    );
    // Cut short with nothing found (400 compliant files, more output than the write buffer):
    // the run did not finish, which is not "compliant".
    let dir = scratch("callcap-closed-pipe");
    let text = std::fs::read_to_string(compliant).unwrap();
    for i in 0..400 {
        std::fs::write(dir.join(format!("t{i:03}.toml")), &text).unwrap();
    }
    let dir_arg = dir.display().to_string();
    let check = [
        "check",
        &dir_arg,
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ];
    assert_eq!(
        code_with_closed_stdout(&check, 0),
        Some(141),
        "check cut short"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    // caps has no verdict: done.
    let caps = [
        "caps",
        "--facility",
        "jail",
        "--adp",
        "75",
        "--format",
        "json",
    ];
    assert_eq!(code_with_closed_stdout(&caps, 0), Some(0), "caps");
}

#[test]
fn text_from_a_file_cannot_print_lines_of_its_own_or_run_in_a_spreadsheet() {
    let dir = scratch("callcap-hostile");
    let bid = std::fs::read_to_string(
        "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml",
    )
    .unwrap();
    let name_line = bid
        .lines()
        .find(|l| l.starts_with("name = ") && bid.find(l) > bid.find("[bid]"))
        .expect("the bid's name")
        .to_string();
    let hostile = bid.replacen(
        &name_line,
        "name = \"=HYPERLINK(\\\"http://x\\\")\\n\\u001b[32mcompliant: yes\"",
        1,
    );
    let file = dir.join("evil\ncompliant.toml");
    std::fs::write(&file, &hostile).unwrap();
    let file = file.display().to_string();
    let out = |format: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_callcap"))
            .args(["compare", &file, "--date", "2026-06-01", "--format", format])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run callcap");
        String::from_utf8(o.stdout).unwrap()
    };
    let table = out("table");
    assert!(
        !table.contains('\u{1b}'),
        "an escape sequence got through: {table}"
    );
    assert!(
        !table
            .lines()
            .any(|l| l.trim_start().starts_with("compliant: yes")),
        "a line of the file's own: {table}"
    );
    assert!(table.contains("\\u{1b}[32mcompliant: yes"), "{table}");
    let csv = out("csv");
    let rows = csv_rows(&csv);
    let name = &rows[0].iter().find(|(c, _)| c == "name").unwrap().1;
    assert!(name.starts_with("'=HYPERLINK"), "{name}");
    // The checked file's name, in a table: escaped too.
    let o = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(["check", &file, "--date", "2026-06-01", "--format", "table"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run callcap");
    let table = String::from_utf8(o.stdout).unwrap();
    assert!(table.contains("evil\\ncompliant.toml"), "{table}");
    assert!(
        !table.lines().any(|l| l.starts_with("compliant.toml")),
        "{table}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_bid_that_prices_part_of_the_demand_is_marked_and_not_ranked() {
    let dir = scratch("callcap-partial");
    let full = "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml";
    let text = std::fs::read_to_string(full).unwrap();
    // The same bid with its audio rates pricing only interstate calls: the demand's intrastate
    // and local calls have no price, so its figures leave them out and look cheaper.
    let partial = dir.join("partial.toml");
    let only_interstate = text.replace("[[rate]]\n", "[[rate]]\njurisdiction = \"interstate\"\n");
    assert_ne!(only_interstate, text, "the example has [[rate]] tables");
    std::fs::write(&partial, only_interstate).unwrap();
    let partial = partial.display().to_string();
    let out = |format: &str| {
        let o = Command::new(env!("CARGO_BIN_EXE_callcap"))
            .args([
                "compare",
                full,
                &partial,
                "--date",
                "2026-06-01",
                "--format",
                format,
            ])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .output()
            .expect("run callcap");
        String::from_utf8(o.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&out("json")).unwrap();
    let (a, b) = (&json["bids"][0], &json["bids"][1]);
    assert_eq!(
        (a["prices_all_demand"].as_bool(), a["rank"].as_u64()),
        (Some(true), Some(1))
    );
    assert_eq!(b["prices_all_demand"], false);
    assert_eq!(b["rank"], serde_json::Value::Null);
    assert!(!b["unpriced_calls"].as_array().unwrap().is_empty());
    let csv = out("csv");
    let rows = csv_rows(&csv);
    let cell =
        |row: usize, name: &str| rows[row].iter().find(|(c, _)| c == name).unwrap().1.clone();
    assert_eq!(cell(1, "prices_all_demand"), "false");
    assert_eq!(cell(1, "rank"), "");
    assert!(
        cell(1, "unpriced_calls").contains("audio intrastate"),
        "{csv}"
    );
    let table = out("table");
    assert!(
        table.contains("not ranked (prices part of the demand)"),
        "{table}"
    );
    assert!(table.contains("(part of the demand only)"), "{table}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn check_dir_skips_what_is_not_a_file_and_reports_empty_directories() {
    let dir = scratch("callcap-tree");
    std::fs::create_dir_all(dir.join("empty")).unwrap();
    std::fs::copy(
        "rates/examples/pa-state-prison-2026-compliant.toml",
        dir.join("a.toml"),
    )
    .unwrap();
    // A FIFO named like a tariff: opening it would wait for a writer forever.
    let fifo = dir.join("pipe.toml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo");
    let dir_arg = dir.display().to_string();
    let mut child = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args([
            "check",
            &dir_arg,
            "--date",
            "2026-06-01",
            "--format",
            "json",
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run callcap");
    // It must finish on its own: give it ten seconds, then fail (and stop it).
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > std::time::Duration::from_secs(10) {
            let _ = child.kill();
            panic!("callcap check hung on a FIFO");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let out = child.wait_with_output().expect("output");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pipe.toml: not a regular file"), "{stderr}");
    assert!(
        stderr.contains("empty: no .toml files in this directory"),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let results = json["results"].as_array().expect("results");
    assert_eq!(
        results.len(),
        2,
        "a.toml checked, the FIFO reported: {stdout}"
    );
    assert_eq!(results[0]["compliant"], true);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// `callcap facilities`: best match first, in every format.
#[test]
fn facilities_finds_real_names_in_every_format() {
    let mut out = String::new();
    for args in [
        &[
            "facilities",
            "san",
            "quentn",
            "--limit",
            "3",
            "--format",
            "table",
        ][..],
        &[
            "facilities",
            "harris county jail",
            "--state",
            "TX",
            "--limit",
            "3",
            "--format",
            "json",
        ],
        &[
            "facilities",
            "coldspring",
            "--limit",
            "2",
            "--format",
            "csv",
        ],
        &["facilities", "zzqx", "--format", "table"],
    ] {
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), run(args)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn facilities_json_has_the_documented_keys() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout(&["facilities", "10002798", "--format", "json"]))
            .expect("JSON");
    let f = &json["facilities"][0];
    for key in [
        "id",
        "name",
        "city",
        "state",
        "county_fips",
        "kind",
        "operator",
        "population",
        "population_as_of",
        "capacity",
        "status",
        "kind_basis",
        "kind_guessed",
    ] {
        assert!(f.get(key).is_some(), "{key}: {f}");
    }
    assert_eq!(f["id"], "10002798");
    assert_eq!(f["population"], 438);
    assert_eq!(f["population_as_of"], "2018-04-30");
    assert_eq!(json["version"]["directory"], "2026-12-01");
}

/// A population near a tier boundary (96, by 100): both tiers' caps, and what was assumed.
#[test]
fn caps_for_a_directory_facility_near_a_tier_boundary() {
    insta::assert_snapshot!(run(&[
        "caps",
        "--facility-id",
        "10002836",
        "--date",
        "2026-06-01",
        "--format",
        "json"
    ]));
}

/// No population: every tier of its kind, in the table.
#[test]
fn caps_table_for_a_directory_facility_of_unknown_size() {
    let out = run(&[
        "caps",
        "--facility-id",
        "10000001",
        "--date",
        "2026-06-01",
        "--format",
        "table",
    ]);
    assert!(out.contains("size unknown"), "{out}");
    assert!(out.contains("Every tier it could be in"), "{out}");
    // Given an ADP, nothing is assumed and no tier is listed.
    let given = run(&[
        "caps",
        "--facility-id",
        "10000001",
        "--adp",
        "40",
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(
        given
            .split("--- stdout\n")
            .nth(1)
            .unwrap()
            .split("--- stderr")
            .next()
            .unwrap(),
    )
    .expect("JSON");
    assert_eq!(json["size"]["basis"], "given");
    assert_eq!(json["tiers_possible"].as_array().map(Vec::len), Some(0));
    assert_eq!(json["facility"]["tier"], "extremely_small_jail");
    insta::assert_snapshot!(out);
}

/// A tariff naming its facility by id: the estimate in every tier it could be in.
#[test]
fn estimate_for_a_tariff_that_names_its_facility_by_id() {
    insta::assert_snapshot!(run(&[
        "estimate",
        "--tariff",
        "tests/facilities/san-jacinto-by-id.toml",
        "--date",
        "2026-06-01",
        "--format",
        "json"
    ]));
    // The flag replaces the file's id: a facility of unknown size, five tiers, one verdict
    // that depends on the size.
    let out = run(&[
        "estimate",
        "--tariff",
        "tests/facilities/san-jacinto-by-id.toml",
        "--facility-id",
        "10000001",
        "--date",
        "2026-06-01",
        "--format",
        "table",
    ]);
    assert!(out.contains("HANCOCK COUNTY SHERIFF DEPARTMENT"), "{out}");
    assert!(out.contains("the verdict depends on the size"), "{out}");
    assert!(out.contains("Large jail, ADP 1,000 or more"), "{out}");
    // The file's ADP wins: nothing assumed, no tiers listed.
    let json: serde_json::Value = serde_json::from_str(&stdout(&[
        "estimate",
        "--tariff",
        "tests/facilities/san-jacinto-by-id-with-adp.toml",
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ]))
    .expect("JSON");
    assert_eq!(json["size"]["basis"], "given");
    assert_eq!(json["size"]["average_daily_population"], 90);
    assert_eq!(json["tiers_possible"].as_array().map(Vec::len), Some(0));
}

#[test]
fn facility_id_errors_name_the_id_and_what_to_do() {
    let mut out = String::new();
    for args in [
        &["caps", "--facility-id", "99999999", "--date", "2026-06-01"][..],
        &["caps", "--facility-id", "TX1", "--date", "2026-06-01"],
        &["caps", "--facility-id", "10001825", "--date", "2026-06-01"],
        &[
            "estimate",
            "--tariff",
            "tests/facilities/san-jacinto-by-id.toml",
            "--facility-id",
            "12",
            "--date",
            "2026-06-01",
        ],
        &["caps", "--date", "2026-06-01", "--facility", "jail"],
        &["facilities", "--", "--"],
        &["facilities", "jail", "--state", "Texas"],
        &["facilities", "jail", "--limit", "0"],
    ] {
        let o = output(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        out.push_str(&format!("$ callcap {}\n{}\n", args.join(" "), rendered(o)));
    }
    insta::assert_snapshot!(out);
}

/// `check` has no place in its report for what the directory assumed: it says it on stderr.
#[test]
fn check_says_on_stderr_what_the_directory_filled_in() {
    let out = output(&[
        "check",
        "tests/facilities",
        "--date",
        "2026-06-01",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("san-jacinto-by-id.toml: average daily population 96: the population as reported in 2018 (HIFLD, facility 10002836)"),
        "{stderr}"
    );
    // Given its ADP, the other file assumes nothing about the size.
    assert!(
        !stderr.contains("san-jacinto-by-id-with-adp.toml: average daily population"),
        "{stderr}"
    );
}

// --- callcap audit ---------------------------------------------------------------------------

const AUDIT_CALLS: &str = "rates/audit/sample/calls.csv";
const AUDIT_FACILITIES: &str = "rates/audit/sample/facilities.csv";

#[test]
fn audit_of_the_sample_files_as_a_table() {
    insta::assert_snapshot!(run(&[
        "audit",
        AUDIT_CALLS,
        "--facilities",
        AUDIT_FACILITIES,
        "--format",
        "table"
    ]));
}

#[test]
fn audit_of_the_sample_files_as_csv() {
    insta::assert_snapshot!(run(&[
        "audit",
        AUDIT_CALLS,
        "--facilities",
        AUDIT_FACILITIES,
        "--format",
        "csv"
    ]));
}

#[test]
fn audit_json_adds_up_and_calls_out_lists_the_calls_over() {
    let dir = scratch("callcap-audit");
    let over = dir.join("over.csv");
    let out = output(&[
        "audit",
        AUDIT_CALLS,
        "--facilities",
        AUDIT_FACILITIES,
        "--format",
        "json",
        "--calls-out",
        over.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s = &v["summary"];
    assert_eq!(s["rows_rejected"], 3);
    let months = v["by_facility_month"].as_array().unwrap();
    let calls: u64 = months.iter().map(|m| m["calls"].as_u64().unwrap()).sum();
    assert_eq!(Some(calls), s["calls"].as_u64());
    let mut r = csv::Reader::from_path(&over).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(Some(rows.len() as u64), s["calls_over"].as_u64());
    let _ = std::fs::remove_dir_all(&dir);
}

/// A file of `rows` calls (several of `callcap audit`'s 4 MiB chunks) made from the sample's
/// rows: bad rows, blank lines and CRLF line ends among them, and, from row `quote_at` on, a
/// quoted field (from which the file is read as one stream).
fn many_calls(rows: usize, quote_at: Option<usize>) -> String {
    let sample = std::fs::read_to_string(AUDIT_CALLS).unwrap();
    let mut lines = sample.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    let body: Vec<&str> = lines.collect();
    for i in 0..rows {
        let line = body[i % body.len()];
        let rest = &line[line.find(',').unwrap()..];
        let id = match quote_at {
            Some(q) if i >= q => format!("\"q,{i}\""),
            _ => i.to_string(),
        };
        text.push_str(&id);
        text.push_str(rest);
        text.push_str(if i % 7 == 0 { "\r\n" } else { "\n" });
        if i % 1001 == 0 {
            text.push('\n');
        }
        if i % 997 == 0 {
            text.push_str("x,ca-prison,2026-13-01,60,audio,interstate,debit,0.10\n");
        }
    }
    text
}

#[test]
fn audit_gives_the_same_on_any_number_of_threads() {
    let dir = scratch("callcap-audit-jobs");
    for (name, quote_at) in [("plain", None), ("quoted", Some(90_000))] {
        let calls = dir.join(format!("{name}.csv"));
        std::fs::write(&calls, many_calls(160_000, quote_at)).unwrap();
        assert!(std::fs::metadata(&calls).unwrap().len() > 2 * (4 << 20));
        let audit = |jobs: &str| {
            let over = dir.join(format!("{name}-over-{jobs}.csv"));
            let out = output(&[
                "audit",
                calls.to_str().unwrap(),
                "--facilities",
                AUDIT_FACILITIES,
                "--format",
                "json",
                "--jobs",
                jobs,
                "--calls-out",
                over.to_str().unwrap(),
            ]);
            assert_eq!(out.status.code(), Some(1), "{out:?}");
            (out.stdout, out.stderr, std::fs::read(&over).unwrap())
        };
        let one = audit("1");
        let v: serde_json::Value = serde_json::from_slice(&one.0).unwrap();
        // Rejected: the sample's own bad rows and the month 13 every 997th row.
        assert!(v["summary"]["rows_rejected"].as_u64().unwrap() > 160_000 / 997);
        let stderr = String::from_utf8_lossy(&one.1);
        assert!(stderr.contains("row 3, column started_at"), "{stderr}");
        assert!(stderr.contains("more bad rows not shown"), "{stderr}");
        for jobs in ["2", "3"] {
            let many = audit(jobs);
            assert!(
                one.0 == many.0,
                "{name}: the report on {jobs} threads differs"
            );
            assert!(one.1 == many.1, "{name}: stderr on {jobs} threads differs");
            assert!(
                one.2 == many.2,
                "{name}: --calls-out on {jobs} threads differs"
            );
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_names_a_field_that_is_not_utf8_and_reads_the_rest() {
    let dir = scratch("callcap-audit-utf8");
    let calls = dir.join("calls.csv");
    let mut text = b"call_id,facility_id,started_at,duration_seconds,service,jurisdiction,payment,charged,account_id,note\n".to_vec();
    // A byte that is not UTF-8 in a column the audit does not read: audited.
    text.extend_from_slice(b"1,ca-prison,2026-01-01,60,audio,interstate,debit,0.10,A1,\xff\n");
    // One in call_id: rejected, naming it.
    text.extend_from_slice(b"\xfe2,ca-prison,2026-01-01,60,audio,interstate,debit,0.10,A1,\n");
    // A character cut by a comma (its first byte ends one field, the rest begins the next).
    text.extend_from_slice(b"3,ca-prison,2026-01-01,60,audio,interstate,debit,0.10,A\xc3,\xa9\n");
    // A character whole, in the account: audited.
    text.extend_from_slice(
        "4,ca-prison,2026-01-01,60,audio,interstate,debit,0.10,Zoë,\n".as_bytes(),
    );
    std::fs::write(&calls, text).unwrap();
    for jobs in ["1", "2"] {
        let out = output(&[
            "audit",
            calls.to_str().unwrap(),
            "--facilities",
            AUDIT_FACILITIES,
            "--format",
            "json",
            "--jobs",
            jobs,
        ]);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(v["summary"]["calls"], 2, "{v}");
        assert_eq!(v["summary"]["rows_rejected"], 2);
        let accounts: Vec<&str> = v["by_account"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap())
            .collect();
        assert_eq!(accounts, ["A1", "Zoë"]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("row 3, column call_id: invalid UTF-8"),
            "{stderr}"
        );
        assert!(
            stderr.contains("row 4, column account_id: invalid UTF-8"),
            "{stderr}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn audit_without_a_valid_row_or_a_column_exits_2() {
    let dir = scratch("callcap-audit2");
    let bad = dir.join("bad.csv");
    std::fs::write(
        &bad,
        "CALL_ID,Facility_ID,started_at,duration_seconds,service,jurisdiction,payment,charged\n\
         1,ca-prison,2026-01-01,-1,audio,interstate,debit,0.10\n\
         2,ca-prison,2026-01-01,60,audio,interstate,debit\n",
    )
    .unwrap();
    let missing = dir.join("missing.csv");
    std::fs::write(
        &missing,
        "call_id,facility_id,started_at\n1,ca-prison,2026-01-01\n",
    )
    .unwrap();
    let text = |p: &Path| {
        run(&[
            "audit",
            p.to_str().unwrap(),
            "--facilities",
            AUDIT_FACILITIES,
            "--format",
            "json",
        ])
        .replace(&*dir.to_string_lossy(), "DIR")
    };
    insta::assert_snapshot!(format!("{}\n{}", text(&bad), text(&missing)));
    let _ = std::fs::remove_dir_all(&dir);
}

/// `callcap audit` of Parquet: fixtures written here with the Arrow writer.
#[cfg(feature = "parquet")]
mod audit_parquet {
    use super::*;
    use arrow_array::{
        ArrayRef, Date32Array, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
        TimestampSecondArray,
    };
    use std::sync::Arc;

    fn write(path: &Path, columns: Vec<(&str, ArrayRef)>) {
        let batch = RecordBatch::try_from_iter(columns).unwrap();
        let file = std::fs::File::create(path).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    fn text(values: &[Option<&str>]) -> ArrayRef {
        Arc::new(StringArray::from(values.to_vec()))
    }

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("callcap-pq-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    /// The sample calls, as Parquet with typed columns where they can be: durations as
    /// integers, charges as DECIMAL(10,2) (a field that is not a number: null), the service
    /// dictionary-encoded.
    fn sample_as_parquet(path: &Path, upper_case: bool) {
        let mut r = csv::Reader::from_path(Path::new(env!("CARGO_MANIFEST_DIR")).join(AUDIT_CALLS))
            .unwrap();
        let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        let col = |i: usize| -> Vec<Option<String>> {
            rows.iter()
                .map(|row| Some(row[i].to_string()).filter(|v| !v.is_empty()))
                .collect()
        };
        let strs = |i: usize| -> ArrayRef { Arc::new(StringArray::from(col(i))) };
        let durations: Int64Array = col(3)
            .iter()
            .map(|v| v.as_ref().and_then(|v| v.parse::<i64>().ok()))
            .collect();
        let charged = Decimal128Array::from(
            col(7)
                .iter()
                .map(|v| {
                    v.as_ref()
                        .and_then(|v| v.replace('.', "").parse::<i128>().ok())
                })
                .collect::<Vec<_>>(),
        )
        .with_precision_and_scale(10, 2)
        .unwrap();
        let name = |n: &'static str| {
            if upper_case {
                n.to_uppercase().leak() as &str
            } else {
                n
            }
        };
        write(
            path,
            vec![
                (name("call_id"), strs(0)),
                (name("facility_id"), strs(1)),
                (name("started_at"), strs(2)),
                (name("duration_seconds"), Arc::new(durations)),
                // Words as a dictionary (as a pandas category is written): read as text.
                (
                    name("service"),
                    Arc::new(
                        col(4)
                            .iter()
                            .map(|v| v.as_deref())
                            .collect::<arrow_array::DictionaryArray<arrow_array::types::Int32Type>>(
                            ),
                    ),
                ),
                (name("jurisdiction"), strs(5)),
                (name("payment"), strs(6)),
                (name("charged"), Arc::new(charged)),
                (name("account_id"), strs(8)),
            ],
        );
    }

    fn json(calls: &Path) -> (i32, serde_json::Value, String) {
        let out = output(&[
            "audit",
            calls.to_str().unwrap(),
            "--facilities",
            AUDIT_FACILITIES,
            "--format",
            "json",
        ]);
        let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
        (
            out.status.code().unwrap_or(-1),
            v,
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    }

    #[test]
    fn parquet_calls_give_the_csv_audit_to_the_cent() {
        let d = dir("same");
        let pq = d.join("calls.parquet");
        // Column names in capitals: matched case-insensitively, as in CSV.
        sample_as_parquet(&pq, true);
        let (code, from_parquet, stderr) = json(&pq);
        let (csv_code, from_csv, _) = json(Path::new(AUDIT_CALLS));
        assert_eq!((code, csv_code), (1, 1), "{stderr}");
        assert_eq!(from_parquet, from_csv);
        // Bad records are reported by their number (from 1) and column, as CSV rows are.
        assert!(
            stderr.contains("row 10, column started_at: \"2026-13-02\" is not a real date"),
            "{stderr}"
        );
        assert!(
            stderr.contains("row 12, column duration_seconds: `-60` is negative"),
            "{stderr}"
        );
        assert_eq!(from_parquet["summary"]["rows_rejected"], 3);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn dates_and_timestamps_decide_by_the_date_as_written() {
        // 2021-10-25, the last day of the $0.21 interstate debit cap for a prison (FCC 21-60's
        // $0.12 starts on 10-26): 23:30 at -05:00 is 04:30 on the 26th in UTC, and the date
        // as written (the 25th) decides.
        let d = dir("dates");
        let csv_path = d.join("calls.csv");
        std::fs::write(
            &csv_path,
            "call_id,facility_id,started_at,duration_seconds,service,jurisdiction,payment,charged\n\
             1,ca-prison,2021-10-25,600,audio,interstate,debit,2.10\n\
             2,ca-prison,2021-10-25T23:30:00-05:00,600,audio,interstate,debit,2.10\n\
             3,ca-prison,2021-10-26,600,audio,interstate,debit,2.10\n",
        )
        .unwrap();
        let day = |s: &str| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .unwrap()
                .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap())
                .num_days() as i32
        };
        let common = |started: ArrayRef| -> Vec<(&'static str, ArrayRef)> {
            vec![
                ("call_id", text(&[Some("1"), Some("2"), Some("3")])),
                ("facility_id", text(&[Some("ca-prison"); 3])),
                ("started_at", started),
                ("duration_seconds", Arc::new(Int64Array::from(vec![600; 3]))),
                ("service", text(&[Some("audio"); 3])),
                ("jurisdiction", text(&[Some("interstate"); 3])),
                ("payment", text(&[Some("debit"); 3])),
                ("charged", text(&[Some("2.10"); 3])),
            ]
        };
        let dates = d.join("dates.parquet");
        write(
            &dates,
            common(Arc::new(Date32Array::from(vec![
                day("2021-10-25"),
                day("2021-10-25"),
                day("2021-10-26"),
            ]))),
        );
        // At -05:00: 2021-10-25T00:00, 2021-10-25T23:30 (the 26th in UTC), 2021-10-26T00:00.
        let stamps = d.join("stamps.parquet");
        write(
            &stamps,
            common(Arc::new(
                TimestampSecondArray::from(vec![1_635_138_000, 1_635_222_600, 1_635_224_400])
                    .with_timezone("-05:00"),
            )),
        );
        let (_, from_csv, _) = json(&csv_path);
        for p in [&dates, &stamps] {
            let (code, v, stderr) = json(p);
            assert_eq!(code, 1, "{stderr}");
            assert_eq!(v["summary"], from_csv["summary"], "{}", p.display());
        }
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn float_money_a_wrong_type_or_a_missing_column_is_exit_2() {
        let d = dir("types");
        let base = |charged: ArrayRef, call_id: ArrayRef| -> Vec<(&'static str, ArrayRef)> {
            vec![
                ("call_id", call_id),
                ("facility_id", text(&[Some("ca-prison")])),
                ("started_at", text(&[Some("2025-01-01")])),
                ("duration_seconds", Arc::new(Int64Array::from(vec![60]))),
                ("service", text(&[Some("audio")])),
                ("jurisdiction", text(&[Some("interstate")])),
                ("payment", text(&[Some("debit")])),
                ("charged", charged),
            ]
        };
        let float = d.join("float.parquet");
        write(
            &float,
            base(Arc::new(Float64Array::from(vec![0.21])), text(&[Some("1")])),
        );
        let (code, _, stderr) = json(&float);
        assert_eq!(code, 2);
        assert!(
            stderr.contains("column `charged` is of type Float64: a binary floating-point number cannot hold amounts like 0.21 exactly"),
            "{stderr}"
        );
        let int_id = d.join("int_id.parquet");
        write(
            &int_id,
            base(text(&[Some("0.21")]), Arc::new(Int64Array::from(vec![1]))),
        );
        let (code, _, stderr) = json(&int_id);
        assert_eq!(code, 2);
        assert!(
            stderr.contains("column `call_id` is of type Int64; it must be text"),
            "{stderr}"
        );
        let missing = d.join("missing.parquet");
        let mut columns = base(text(&[Some("0.21")]), text(&[Some("1")]));
        columns.retain(|(n, _)| *n != "payment");
        write(&missing, columns);
        let (code, _, stderr) = json(&missing);
        assert_eq!(code, 2);
        assert!(stderr.contains("no `payment` column"), "{stderr}");
        let _ = std::fs::remove_dir_all(&d);
    }

    #[test]
    fn calls_out_parquet_holds_the_calls_over_with_exact_money() {
        use arrow_array::cast::AsArray;
        use arrow_array::types::Decimal128Type;
        let d = dir("out");
        let over = d.join("over.parquet");
        let out = output(&[
            "audit",
            AUDIT_CALLS,
            "--facilities",
            AUDIT_FACILITIES,
            "--format",
            "json",
            "--calls-out",
            over.to_str().unwrap(),
        ]);
        assert_eq!(out.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let file = std::fs::File::open(&over).unwrap();
        let reader = parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
            .unwrap()
            .build()
            .unwrap();
        let (mut rows, mut overcharge) = (0u64, 0i128);
        for batch in reader {
            let batch = batch.unwrap();
            rows += batch.num_rows() as u64;
            let o = batch
                .column_by_name("overcharge")
                .unwrap()
                .as_primitive::<Decimal128Type>();
            assert_eq!(o.scale(), 10);
            overcharge += o.values().iter().sum::<i128>();
        }
        assert_eq!(Some(rows), v["summary"]["calls_over"].as_u64());
        let total: rust_decimal::Decimal = v["summary"]["overcharge"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert_eq!(
            rust_decimal::Decimal::from_i128_with_scale(overcharge, 10),
            total
        );
        let _ = std::fs::remove_dir_all(&d);
    }
}
