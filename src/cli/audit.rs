//! `callcap audit`: call records read as a stream of CSV rows, judged by the core
//! ([`callcap::audit`]), totalled, and printed.

use super::{Format, EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATION};
use callcap::audit::{
    call_from_fields, facility_from_row, AuditFacility, Auditor, CallRecord, FacilityRowError,
    Judged, Report, Tally, Totals, CALL_COLUMNS,
};
use callcap::money::display;
use callcap::{Error, RateBook};
use std::io::Write;
use std::path::Path;

/// At most this many bad rows are described on stderr (all are counted).
const SHOWN_BAD_ROWS: u64 = 100;

fn open(path: &Path) -> Result<csv::Reader<std::fs::File>, Error> {
    let label = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| Error::io(label.clone(), format!("cannot read: {e}")))?;
    Ok(csv::ReaderBuilder::new()
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(file))
}

fn headers(reader: &mut csv::Reader<std::fs::File>, label: &str) -> Result<Vec<String>, Error> {
    Ok(reader
        .headers()
        .map_err(|e| Error::file(label, format!("cannot read its header: {e}")))?
        .iter()
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect())
}

/// Reads the facilities table (small: read whole). A facility the table leaves without kind or
/// population is filled in from the facility directory by its id.
pub fn read_facilities(path: &Path) -> Result<Vec<AuditFacility>, Error> {
    let label = path.display().to_string();
    let mut reader = open(path)?;
    let names = headers(&mut reader, &label)?;
    let column = |c: &str| names.iter().position(|n| n == c);
    if column("facility_id").is_none() {
        return Err(Error::file(&label, "no `facility_id` column"));
    }
    let mut out = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 2;
        let record = record.map_err(|e| Error::file(&label, format!("row {row}: {e}")))?;
        let get = |c: &str| column(c).and_then(|i| record.get(i));
        let facility = facility_from_row(get).map_err(|e| match e {
            FacilityRowError::Directory { id, message } => {
                Error::file(&label, format!("row {row}, facility {id}: {message}"))
            }
            FacilityRowError::Field { column, message } => {
                Error::file(&label, format!("row {row}, column {column}: {message}"))
            }
        })?;
        out.push(facility);
    }
    Ok(out)
}

/// Runs the audit and prints it; returns the exit code.
pub fn run(
    book: &RateBook,
    calls: &Path,
    facilities: &Path,
    format: Format,
    calls_out: Option<&Path>,
) -> Result<i32, Error> {
    let label = calls.display().to_string();
    let facilities_label = facilities.display().to_string();
    let facilities = read_facilities(facilities)?;
    let mut auditor =
        Auditor::new(book, facilities).map_err(|m| Error::file(&facilities_label, m))?;
    let mut reader = open(calls)?;
    let names = headers(&mut reader, &label)?;
    let mut columns = [None; 9];
    for (slot, name) in columns
        .iter_mut()
        .zip(CALL_COLUMNS.iter().copied().chain(["account_id"]))
    {
        *slot = names.iter().position(|n| n == name);
    }
    if let Some(missing) = CALL_COLUMNS
        .iter()
        .zip(&columns)
        .find(|(_, c)| c.is_none())
        .map(|(n, _)| n)
    {
        return Err(Error::file(
            &label,
            format!(
                "no `{missing}` column; the columns are {} and, optionally, account_id",
                CALL_COLUMNS.join(", ")
            ),
        ));
    }
    let mut out = match calls_out {
        Some(p) => Some(over_writer(p)?),
        None => None,
    };
    let mut tally = Tally::default();
    let mut record = csv::StringRecord::new();
    let mut row = 1u64;
    let mut shown = 0u64;
    let stderr = std::io::stderr();
    let mut bad = |row: u64, column: &str, message: &str| {
        if shown < SHOWN_BAD_ROWS {
            let _ = writeln!(
                stderr.lock(),
                "callcap: {label}: row {row}, column {column}: {message}"
            );
        }
        shown += 1;
    };
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                row += 1;
                bad(row, "-", &e.to_string());
                tally.reject();
                continue;
            }
        }
        row += 1;
        let fields = columns.map(|c| c.and_then(|i| record.get(i)));
        let call = match call_from_fields(fields) {
            Ok(c) => c,
            Err((column, message)) => {
                bad(row, column, &message);
                tally.reject();
                continue;
            }
        };
        let Some(judged) = auditor.judge(&call) else {
            bad(
                row,
                "facility_id",
                &format!(
                    "facility `{}` is not in the facilities file",
                    call.facility_id
                ),
            );
            tally.reject();
            continue;
        };
        if judged.overcharge > rust_decimal::Decimal::ZERO {
            if let Some(w) = out.as_mut() {
                write_over(w, &call, &judged)
                    .map_err(|e| Error::io("--calls-out", e.to_string()))?;
            }
        }
        tally.add(&call, &judged);
    }
    if shown > SHOWN_BAD_ROWS {
        eprintln!(
            "callcap: {label}: {} more bad rows not shown",
            shown - SHOWN_BAD_ROWS
        );
    }
    if let Some(mut w) = out {
        w.flush()
            .map_err(|e| Error::io("--calls-out", e.to_string()))?;
    }
    let report = tally.report();
    if report.summary.totals.calls == 0 {
        eprintln!("callcap: {label}: no row could be audited");
        return Ok(EXIT_BAD_INPUT);
    }
    let code = if report.summary.totals.calls_over > 0 {
        EXIT_VIOLATION
    } else {
        EXIT_OK
    };
    super::output::closed_pipe_exits_with(code);
    print(&report, format);
    Ok(code)
}

fn over_writer(path: &Path) -> Result<csv::Writer<std::fs::File>, Error> {
    let label = path.display().to_string();
    let mut w = csv::Writer::from_path(path)
        .map_err(|e| Error::io(label.clone(), format!("cannot write: {e}")))?;
    w.write_record([
        "call_id",
        "facility_id",
        "date",
        "minutes_billed",
        "service",
        "jurisdiction",
        "payment",
        "charged",
        "legal_maximum",
        "overcharge",
        "level",
        "citation",
    ])
    .map_err(|e| Error::io(label, e.to_string()))?;
    Ok(w)
}

fn write_over(
    w: &mut csv::Writer<std::fs::File>,
    call: &CallRecord,
    j: &Judged,
) -> csv::Result<()> {
    let jurisdiction = match call.jurisdiction {
        callcap::audit::CallJurisdiction::Known(j) => j.as_str(),
        callcap::audit::CallJurisdiction::Unknown => "unknown",
    };
    let (level, citation) = j
        .basis
        .as_ref()
        .map_or(("", ""), |b| (b.level.as_str(), &*b.citation));
    w.write_record([
        call.call_id,
        call.facility_id,
        &call.date.to_string(),
        &j.minutes_billed.to_string(),
        call.service.as_str(),
        jurisdiction,
        call.payment.as_str(),
        &display(call.charged),
        &j.legal_max.map(display).unwrap_or_default(),
        &display(j.overcharge),
        level,
        citation,
    ])
}

const FIGURES: [&str; 9] = [
    "calls",
    "minutes_billed",
    "charged",
    "legal_maximum",
    "overcharge",
    "calls_over",
    "calls_uncapped",
    "calls_unknown_jurisdiction",
    "calls_assumed_exception",
];

fn figures(t: &Totals) -> [String; 9] {
    [
        t.calls.to_string(),
        t.minutes_billed.to_string(),
        display(t.charged),
        display(t.legal_maximum),
        display(t.overcharge),
        t.calls_over.to_string(),
        t.calls_uncapped.to_string(),
        t.calls_unknown_jurisdiction.to_string(),
        t.calls_assumed_exception.to_string(),
    ]
}

fn print(report: &Report, format: Format) {
    let stdout = std::io::stdout();
    let mut o = std::io::BufWriter::new(stdout.lock());
    match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(report).unwrap_or_default();
            let _ = writeln!(o, "{text}");
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(&mut o);
            let mut head = vec!["scope", "facility_id", "month", "account_id"];
            head.extend(FIGURES);
            head.push("rows_rejected");
            let _ = w.write_record(&head);
            let s = &report.summary;
            let mut row = vec![
                "summary".to_string(),
                String::new(),
                String::new(),
                String::new(),
            ];
            row.extend(figures(&s.totals));
            row.push(s.rows_rejected.to_string());
            let _ = w.write_record(&row);
            for m in &report.by_facility_month {
                let mut row = vec![
                    "facility_month".to_string(),
                    m.facility_id.clone(),
                    m.month.clone(),
                    String::new(),
                ];
                row.extend(figures(&m.totals));
                row.push(String::new());
                let _ = w.write_record(&row);
            }
            for a in &report.by_account {
                let mut row = vec![
                    "account".to_string(),
                    String::new(),
                    String::new(),
                    a.account_id.clone(),
                ];
                row.extend(figures(&a.totals));
                row.push(String::new());
                let _ = w.write_record(&row);
            }
            let _ = w.flush();
        }
        Format::Table => {
            let s = &report.summary;
            let _ = writeln!(o, "summary");
            for (name, value) in FIGURES.iter().zip(figures(&s.totals)) {
                let _ = writeln!(o, "  {name:<27} {value}");
            }
            let _ = writeln!(o, "  {:<27} {}", "rows_rejected", s.rows_rejected);
            let table = |o: &mut dyn Write, key: &str, rows: Vec<(String, &Totals)>| {
                let _ = writeln!(o);
                let _ = writeln!(
                    o,
                    "{key:<24} {:>7} {:>9} {:>12} {:>13} {:>12} {:>5} {:>8}",
                    "calls", "minutes", "charged", "legal_max", "overcharge", "over", "uncapped"
                );
                for (k, t) in rows {
                    let _ = writeln!(
                        o,
                        "{k:<24} {:>7} {:>9} {:>12} {:>13} {:>12} {:>5} {:>8}",
                        t.calls,
                        t.minutes_billed,
                        display(t.charged),
                        display(t.legal_maximum),
                        display(t.overcharge),
                        t.calls_over,
                        t.calls_uncapped
                    );
                }
            };
            table(
                &mut o,
                "facility_id  month",
                report
                    .by_facility_month
                    .iter()
                    .map(|m| (format!("{}  {}", m.facility_id, m.month), &m.totals))
                    .collect(),
            );
            if !report.by_account.is_empty() {
                table(
                    &mut o,
                    "account_id",
                    report
                        .by_account
                        .iter()
                        .map(|a| (a.account_id.clone(), &a.totals))
                        .collect(),
                );
            }
        }
    }
    let _ = o.flush();
}
