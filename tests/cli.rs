//! The command line: exit codes, stdout and stderr pinned with snapshots.

use std::process::Command;

/// Runs `callcap` from the repository root and renders exit code, stdout and stderr.
fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run callcap");
    format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or("signal".into(), |c| c.to_string()),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn code(args: &[&str]) -> i32 {
    Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run callcap")
        .status
        .code()
        .unwrap_or(-1)
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
