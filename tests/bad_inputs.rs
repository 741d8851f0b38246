//! The bad-input catalog (`tests/bad/`): malformed and hostile tariff, bid and demand files.
//!
//! Every file in `tests/bad/*.toml` must be refused by `callcap check`, `callcap estimate` and
//! `callcap compare` with exit code 2 and one error naming the file, the line and the key, and
//! saying what would be valid; every file in `tests/bad/demand/` likewise by
//! `callcap compare BID --demand FILE`. One snapshot lists them all. A 50 MB tariff is made at
//! run time in Cargo's temporary directory (never committed).
//!
//! `tests/bad/accepted/` holds valid files in unusual encodings that are ACCEPTED: a UTF-8
//! byte-order mark and Windows (CRLF) line endings are read exactly like the plain file
//! (`tests/bad/.gitattributes` keeps git from converting them).
//!
//! A bulk check over the whole catalog and the example tariffs must report every bad file and
//! still check every good one.
//!
//! `tests/bad/rates/CASE/` holds the rate book's catalog: state files (`XX.toml`, and for some
//! cases a `states.toml`) that the loader must refuse beside the bundled federal files, with
//! one error naming the file, the line and the key; one snapshot lists them all.

#[path = "support/files.rs"]
mod support;
use callcap::demand::Demand;
use callcap::Tariff;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

const DATE: &str = "2026-06-01";
/// The bid that demand files are tried with.
const BID: &str = "rates/examples/bids/riverbend-vendor-b-no-commission-under-cap.toml";
/// The size of the generated oversized tariff.
const HUGE_BYTES: usize = 50 * 1024 * 1024;

/// Errors about a whole file, with no line to point at.
const WHOLE_FILE: &[&str] = &[
    "tests/bad/empty.toml",
    "tests/bad/no-rates.toml",
    "huge-50mb.toml",
];

/// Errors with a line but no key: the file is not TOML text at all, or the key is missing.
const NO_KEY: &[&str] = &[
    "tests/bad/binary-garbage.toml",
    "tests/bad/utf16-with-bom.toml",
    "tests/bad/non-utf8-latin1.toml",
    "tests/bad/html-not-toml.toml",
    "tests/bad/json-not-toml.toml",
    "tests/bad/comments-only.toml",
    "tests/bad/missing-facility.toml",
    "tests/bad/demand/empty.toml",
    "tests/bad/demand/missing-deposits.toml",
    // The offending character is in a comment: there is no key to name.
    "tests/bad/control-character-in-comment.toml",
];

/// Files whose parser error once had no message (fixed in src/error.rs): see
/// `every_error_has_a_message`.
const EMPTY_MESSAGE: &[&str] = &[
    "tests/bad/control-character-in-comment.toml",
    "tests/bad/truncated.toml",
];

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn callcap_in(dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_callcap"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run callcap");
    Run {
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn callcap(args: &[&str]) -> Run {
    callcap_in(root(), args)
}

/// `*.toml` files directly in a directory of the repository, sorted, as relative paths.
fn toml_files(dir: &str) -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(root().join(dir))
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .map(|p| format!("{dir}/{}", p.file_name().unwrap().to_string_lossy()))
        .collect();
    out.sort();
    out
}

/// The 50 MB tariff: a valid tariff followed by 50 MB of comment lines, in a temporary
/// directory of Cargo's target directory, made once per run.
fn huge_file() -> &'static Path {
    static HUGE: OnceLock<PathBuf> = OnceLock::new();
    HUGE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("bad_inputs");
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("huge-50mb.toml");
        let mut text = String::with_capacity(HUGE_BYTES + 80);
        text.push_str(
            "[facility]\nkind = \"jail\"\naverage_daily_population = 200\n\n[[rate]]\nper_minute = \"0.10\"\n",
        );
        let line = "# padding padding padding padding padding padding padding padding padding\n";
        while text.len() + line.len() <= HUGE_BYTES {
            text.push_str(line);
        }
        while text.len() < HUGE_BYTES {
            text.push('#');
        }
        let tmp = dir.join(format!("huge-50mb.{}.tmp", std::process::id()));
        std::fs::write(&tmp, &text).expect("write the 50 MB file");
        std::fs::rename(&tmp, &path).expect("rename");
        path
    })
}

/// The error line printed on stderr (without `callcap: `), which may run over several lines.
fn error_of(run: &Run) -> String {
    run.stderr
        .strip_prefix("callcap: ")
        .unwrap_or_else(|| panic!("stderr does not start with `callcap: `: {}", run.stderr))
        .trim_end()
        .to_string()
}

/// The error the library gives for a catalog file (what the page would show), or none when
/// the library cannot be given the file (a demand file that is not UTF-8 text).
fn library_error(label: &str, path: &Path) -> Option<callcap::Error> {
    let bytes = std::fs::read(path).expect("read");
    if label.starts_with("tests/bad/demand/") {
        let text = std::str::from_utf8(&bytes).ok()?;
        Some(Demand::from_toml(label, text).expect_err(label))
    } else {
        Some(Tariff::from_bytes(label, &bytes).expect_err(label))
    }
}

/// Checks what every catalog error must have: the file, a line unless the error is about the
/// whole file, a key unless there is none to name, and a message; and that the command line
/// prints exactly the library's error.
fn assert_located(label: &str, path: &Path, printed: &str) {
    assert!(
        printed.starts_with(label),
        "the error does not start with the file name {label}: {printed}"
    );
    let Some(e) = library_error(label, path) else {
        return;
    };
    assert_eq!(
        e.to_string().trim_end(),
        printed,
        "{label}: the CLI prints the library's error"
    );
    assert_eq!(e.file_name(), Some(label));
    if !WHOLE_FILE.contains(&label) {
        assert!(
            e.line().is_some(),
            "{label}: the error names no line: {printed}"
        );
    }
    if !NO_KEY.contains(&label) && !WHOLE_FILE.contains(&label) {
        assert!(
            e.key().is_some_and(|k| !k.trim().is_empty()),
            "{label}: the error names no key: {printed}"
        );
    }
    assert!(
        !e.message().trim().is_empty(),
        "{label}: the error has no message: {printed}"
    );
}

/// Runs every catalog file through the command that reads it; returns (label, command, run).
fn run_catalog() -> Vec<(String, String, Run)> {
    let mut out = Vec::new();
    for file in toml_files("tests/bad") {
        let args = ["check", file.as_str(), "--date", DATE, "--format", "json"];
        let run = callcap(&args);
        out.push((file.clone(), format!("callcap {}", args.join(" ")), run));
    }
    for file in toml_files("tests/bad/demand") {
        let args = [
            "compare", BID, "--demand", &file, "--date", DATE, "--format", "json",
        ];
        let run = callcap(&args);
        out.push((file.clone(), format!("callcap {}", args.join(" ")), run));
    }
    let huge = huge_file();
    let args = [
        "check",
        "huge-50mb.toml",
        "--date",
        DATE,
        "--format",
        "json",
    ];
    let run = callcap_in(huge.parent().unwrap(), &args);
    out.push((
        "huge-50mb.toml".into(),
        format!("callcap {}   (50 MB, made at run time)", args.join(" ")),
        run,
    ));
    out
}

#[test]
fn the_catalog_has_at_least_thirty_bad_files() {
    let n = toml_files("tests/bad").len() + toml_files("tests/bad/demand").len() + 1;
    assert!(n >= 30, "only {n} bad files");
}

#[test]
fn every_bad_file_exits_2_with_an_error_naming_file_line_and_key() {
    let mut snapshot = String::new();
    for (label, command, run) in run_catalog() {
        assert_eq!(
            run.code,
            Some(2),
            "{command}: exit {:?}, stderr: {}",
            run.code,
            run.stderr
        );
        let error = error_of(&run);
        let path = match label.as_str() {
            "huge-50mb.toml" => huge_file().to_path_buf(),
            _ => root().join(&label),
        };
        assert_located(&label, &path, &error);
        if command.starts_with("callcap check") {
            // The JSON report carries the same error for the file, and no findings.
            let json: Value = serde_json::from_str(&run.stdout).expect("check prints JSON");
            let result = &json["results"][0];
            assert_eq!(
                result["error"].as_str().map(str::trim_end),
                Some(error.as_str()),
                "{label}"
            );
            assert!(result.get("findings").is_none(), "{label}");
            assert_eq!(result["compliant"], Value::Bool(false), "{label}");
        } else {
            assert!(run.stdout.is_empty(), "{label}: {}", run.stdout);
        }
        snapshot.push_str(&format!(
            "$ {command}\nexit {}\n{error}\n\n",
            run.code.unwrap()
        ));
    }
    insta::assert_snapshot!(snapshot);
}

#[test]
fn bad_tariffs_are_refused_the_same_way_by_every_command_and_the_library() {
    for file in toml_files("tests/bad") {
        let check = callcap(&["check", &file, "--date", DATE, "--format", "json"]);
        let error = error_of(&check);
        let estimate = callcap(&["estimate", "--tariff", &file, "--date", DATE]);
        assert_eq!(estimate.code, Some(2), "estimate {file}");
        assert_eq!(error_of(&estimate), error, "estimate {file}");
        let compare = callcap(&["compare", &file, "--date", DATE]);
        assert_eq!(compare.code, Some(2), "compare {file}");
        assert_eq!(error_of(&compare), error, "compare {file}");
        // The page reads files with the library: it must give the very same error.
        let bytes = std::fs::read(root().join(&file)).expect("read");
        let lib = Tariff::from_bytes(&file, &bytes).expect_err(&file);
        assert_eq!(lib.to_string().trim_end(), error, "library {file}");
    }
    let bytes = std::fs::read(huge_file()).expect("read");
    let e = Tariff::from_bytes("huge-50mb.toml", &bytes).expect_err("50 MB");
    assert!(e.message().contains("at most"), "{e}");
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted() {
    let book = callcap::RateBook::bundled().expect("book");
    let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let accepted = toml_files("tests/bad/accepted");
    assert!(accepted.len() >= 3);
    for file in &accepted {
        let bytes = std::fs::read(root().join(file)).expect("read");
        let odd = Tariff::from_bytes(file, &bytes).unwrap_or_else(|e| panic!("{e}"));
        let plain_text = String::from_utf8(bytes)
            .expect("UTF-8")
            .trim_start_matches('\u{feff}')
            .replace("\r\n", "\n");
        let plain = Tariff::from_toml(file, &plain_text).expect("plain parses");
        assert_eq!(odd, plain, "{file} reads like its plain form");
        assert_eq!(
            callcap::check(&book, &odd, date),
            callcap::check(&book, &plain, date)
        );
        let run = callcap(&["check", file, "--date", DATE, "--format", "json"]);
        assert!(matches!(run.code, Some(0 | 1)), "{file}: {}", run.stderr);
    }
}

#[test]
fn bulk_check_reports_every_bad_file_and_still_checks_every_good_one() {
    let huge = huge_file().to_string_lossy().into_owned();
    let args = [
        "check",
        "tests/bad",
        "rates/examples",
        huge.as_str(),
        "--date",
        DATE,
        "--format",
        "json",
    ];
    let run = callcap(&args);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let results = json["results"].as_array().expect("results");

    // Input order: each directory's files sorted, then the next argument.
    let mut expected = Vec::new();
    for dir in ["tests/bad", "rates/examples"] {
        // A directory's `.toml` files at any depth, in the order `callcap check DIR` takes them.
        let found = support::with_extension(&root().join(dir), "toml");
        expected.extend(found.into_iter().map(|p| {
            p.strip_prefix(root())
                .expect("under the root")
                .to_string_lossy()
                .into_owned()
        }));
    }
    expected.push(huge.clone());
    let files: Vec<&str> = results
        .iter()
        .map(|r| r["file"].as_str().expect("file"))
        .collect();
    assert_eq!(files, expected, "every file reported once, in input order");

    let (mut good, mut bad) = (0, 0);
    for r in results {
        let file = r["file"].as_str().unwrap();
        let is_good =
            file.starts_with("rates/examples/") || file.starts_with("tests/bad/accepted/");
        if is_good {
            good += 1;
            assert!(r.get("error").is_none(), "{file} was not checked: {r}");
            assert!(r["findings"].is_array(), "{file}: {r}");
            assert!(r["compliant"].is_boolean(), "{file}: {r}");
        } else {
            bad += 1;
            let error = r["error"].as_str().unwrap_or_else(|| panic!("{file}: {r}"));
            assert!(error.starts_with(file), "{file}: {error}");
            assert!(r.get("findings").is_none(), "{file}: {r}");
            assert_eq!(r["compliant"], Value::Bool(false));
            assert!(
                run.stderr.contains(&format!("callcap: {error}")),
                "{file}: the error is also on stderr"
            );
        }
    }
    assert!(good >= 25 && bad >= 60, "{good} good, {bad} bad");
    // The examples include violations: good files really were checked.
    assert!(results
        .iter()
        .any(|r| r["findings"].as_array().is_some_and(|f| !f.is_empty())));

    // The CSV report names every file too, bad ones with their error in the last column.
    let csv = callcap(&[
        "check",
        "tests/bad",
        "rates/examples",
        "--date",
        DATE,
        "--format",
        "csv",
    ]);
    assert_eq!(csv.code, Some(2));
    for file in expected.iter().filter(|f| **f != huge) {
        assert!(
            csv.stdout.lines().any(|l| l.contains(file.as_str())),
            "{file} missing from the CSV"
        );
    }
}

/// Bugs the catalog found (empty messages, a non-UTF-8 demand file, a BOM, parser jargon), now
/// fixed in the core: each test asserts the behaviour the catalog requires.
#[test]
fn every_error_has_a_message() {
    for file in EMPTY_MESSAGE {
        let run = callcap(&["check", file, "--date", DATE]);
        assert_eq!(run.code, Some(2));
        let e = library_error(file, &root().join(file)).expect("an error");
        assert!(!e.message().trim().is_empty(), "empty message: {e}");
    }
}

#[test]
fn a_non_utf8_demand_file_names_its_line() {
    let run = callcap(&[
        "compare",
        BID,
        "--demand",
        "tests/bad/demand/non-utf8.toml",
        "--date",
        DATE,
    ]);
    assert_eq!(run.code, Some(2));
    let error = error_of(&run);
    assert!(
        error.starts_with("tests/bad/demand/non-utf8.toml:1") && error.contains("UTF-8"),
        "{error}"
    );
}

#[test]
fn a_bom_keeps_the_key_and_column_of_line_1() {
    let run = callcap(&["check", "tests/bad/bom-then-error.toml", "--date", DATE]);
    let plain = callcap(&["check", "tests/bad/syntax-error.toml", "--date", DATE]);
    let strip = |e: String, f: &str| e.strip_prefix(f).map(str::to_string).unwrap_or(e);
    assert_eq!(
        strip(error_of(&run), "tests/bad/bom-then-error.toml"),
        strip(error_of(&plain), "tests/bad/syntax-error.toml")
    );
}

#[test]
fn every_error_says_what_would_be_valid_in_the_formats_words() {
    let jargon = [
        "i64",
        "invalid type: map",
        "expected a sequence",
        "target type",
        "invalid basic string",
        "recursion limit",
        "expected newline",
    ];
    let mut unclear = Vec::new();
    for (label, _, run) in run_catalog() {
        let error = error_of(&run);
        if jargon.iter().any(|j| error.contains(j)) || error.contains('\r') || error.len() > 400 {
            unclear.push(format!(
                "{label}: {}",
                error.chars().take(160).collect::<String>()
            ));
        }
    }
    assert!(
        unclear.is_empty(),
        "unclear errors:\n{}",
        unclear.join("\n")
    );
}

/// The rate book's catalog: each case's files, as (path from the repository root, text), with
/// any `states.toml` first.
fn rate_book_cases() -> Vec<(String, Vec<(String, String)>)> {
    let dir = root().join("tests/bad/rates");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/bad/rates")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
        .into_iter()
        .map(|case| {
            let mut files: Vec<(String, String)> = support::with_extension(&case, "toml")
                .into_iter()
                .map(|p| {
                    let label = p
                        .strip_prefix(root())
                        .unwrap()
                        .to_string_lossy()
                        .into_owned();
                    (label, std::fs::read_to_string(&p).expect("read"))
                })
                .collect();
            files.sort_by_key(|(label, _)| !label.ends_with("/states.toml"));
            let name = case.file_name().unwrap().to_string_lossy().into_owned();
            (name, files)
        })
        .collect()
}

#[test]
fn every_bad_state_file_is_refused_with_file_line_and_key() {
    use callcap::ratebook::{BUNDLED, FILES};
    let cases = rate_book_cases();
    assert!(cases.len() >= 30, "only {} rate book cases", cases.len());
    let mut snapshot = String::new();
    for (case, files) in &cases {
        // The bundled federal files, the case's states.toml in place of the bundled one, then
        // its state files: what `--rates DIR` reads from a directory holding them.
        let states_list = files.iter().find(|(l, _)| l.ends_with("/states.toml"));
        let mut book: Vec<(&str, &str)> = BUNDLED[..FILES.len()]
            .iter()
            .map(|&(name, text)| match (name, states_list) {
                ("states.toml", Some((label, text))) => (label.as_str(), text.as_str()),
                _ => (name, text),
            })
            .collect();
        book.extend(
            files
                .iter()
                .filter(|(l, _)| !l.ends_with("/states.toml"))
                .map(|(l, t)| (l.as_str(), t.as_str())),
        );
        let e = match callcap::RateBook::from_files(book, case) {
            Ok(_) => panic!("{case}: the rate book loaded"),
            Err(e) => e,
        };
        let file = e
            .file_name()
            .unwrap_or_else(|| panic!("{case}: no file: {e}"));
        assert!(
            files.iter().any(|(l, _)| l == file),
            "{case}: the error names {file}, not the case's file: {e}"
        );
        assert!(e.line().is_some(), "{case}: no line: {e}");
        assert!(
            e.key().is_some_and(|k| !k.trim().is_empty()),
            "{case}: no key: {e}"
        );
        assert!(!e.message().trim().is_empty(), "{case}: no message");
        snapshot.push_str(&format!("{case}\n{e}\n\n"));
    }
    insta::assert_snapshot!(snapshot);
}

// -------------------------------------------------------------------------------------------
// Regressions (tests/fuzz_regressions/): inputs that crashed or silently misled, found while
// fuzzing. Each test asserts the fixed behaviour; the `known_bug_*` ones are ignored until the
// lead fixes src/.

#[test]
fn known_bug_compare_with_extreme_amounts_does_not_panic() {
    let run = callcap(&[
        "compare",
        "tests/fuzz_regressions/compare-overflow-bid.toml",
        "--demand",
        "tests/fuzz_regressions/compare-overflow-demand.toml",
        "--date",
        DATE,
        "--format",
        "json",
    ]);
    assert!(
        matches!(run.code, Some(0..=2)) && !run.stderr.contains("panicked"),
        "exit {:?}: {}",
        run.code,
        run.stderr
    );
}

#[test]
fn known_bug_estimate_deposits_cover_the_calls() {
    let run = callcap(&[
        "estimate",
        "--tariff",
        "tests/fuzz_regressions/estimate-dollar-a-minute.toml",
        "--calls-per-month",
        "3100",
        "--minutes",
        "240",
        "--deposit",
        "0.0001",
        "--date",
        "2013-01-01",
        "--format",
        "json",
    ]);
    if run.code == Some(2) {
        return; // refusing a deposit this small is a fine answer too
    }
    let json: Value = serde_json::from_str(&run.stdout).expect("JSON");
    let m = &json["month"];
    let dec = |v: &Value| {
        v.as_str()
            .and_then(|s| s.parse::<rust_decimal::Decimal>().ok())
            .or_else(|| v.as_u64().map(rust_decimal::Decimal::from))
            .unwrap_or_else(|| panic!("{v}"))
    };
    let deposited = dec(&m["deposits"]) * dec(&m["deposit_amount"]);
    assert!(
        deposited >= dec(&m["call_charges"]) + dec(&m["taxes"]),
        "deposits of {deposited} do not cover the month: {m}"
    );
}

/// The inputs libFuzzer found (tests/fuzz_regressions/tariff_check-*.toml, exactly as it wrote
/// them): each once gave an error with no message. Each must be refused with a located error
/// that says what is wrong.
#[test]
fn fuzz_crash_inputs_are_refused_with_clear_errors() {
    let mut found = 0;
    for file in toml_files("tests/fuzz_regressions") {
        if !file.starts_with("tests/fuzz_regressions/tariff_check-") {
            continue;
        }
        found += 1;
        let bytes = std::fs::read(root().join(&file)).expect("read");
        let e = Tariff::from_bytes(&file, &bytes).expect_err(&file);
        assert!(e.line().is_some(), "{e}");
        assert!(!e.message().trim().is_empty(), "{file}: no message: {e}");
        let run = callcap(&["check", &file, "--date", DATE]);
        assert_eq!(run.code, Some(2), "{file}: {}", run.stderr);
        assert_eq!(error_of(&run), e.to_string().trim_end());
    }
    assert_eq!(found, 3);
}
