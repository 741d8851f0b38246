//! `callcap audit`: call records read as a stream of CSV rows, judged by the core
//! ([`callcap::audit`]), totalled, and printed.

use super::{Format, EXIT_BAD_INPUT, EXIT_OK, EXIT_VIOLATION};
use callcap::audit::{
    call_columns, call_from_fields, column_name, facility_from_row, AuditFacility, AuditRun,
    Auditor, CallRecord, FacilityRowError, Judged, Rejection, Report, RowOutcome, Totals,
    CALL_COLUMNS, TOTALS_FIGURES,
};
use callcap::money::display;
use callcap::{Error, RateBook};
use std::io::{Read, Write};
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

fn headers(
    reader: &mut csv::Reader<impl std::io::Read>,
    label: &str,
) -> Result<Vec<String>, Error> {
    Ok(reader
        .headers()
        .map_err(|e| Error::file(label, format!("cannot read its header: {e}")))?
        .iter()
        .map(column_name)
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

/// Whether a path names a Parquet file (by its extension).
fn is_parquet(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("parquet"))
}

/// Where the calls over their legal maximum go.
enum Over {
    Csv(csv::Writer<std::fs::File>),
    #[cfg(feature = "parquet")]
    Parquet(super::audit_parquet::OverWriter),
}

/// Where the bad rows and the calls over their legal maximum go: written as they come
/// ([`Direct`]), or kept with their chunk of the file until the chunks before it are written
/// ([`Kept`]).
trait Sink {
    /// A row that could not be audited; `row` is the line of the file (the header being 1),
    /// counted from the chunk's start for a kept chunk.
    fn bad(&mut self, row: u64, column: &'static str, message: String);
    /// A call billed above its legal maximum.
    fn over(&mut self, call: &CallRecord, j: &Judged) -> Result<(), Error>;

    /// What the audit made of row `row`: a call over its legal maximum or a bad row goes here.
    fn take(&mut self, row: u64, outcome: RowOutcome) -> Result<(), Error> {
        match outcome {
            Ok((call, judged)) if judged.overcharge > rust_decimal::Decimal::ZERO => {
                self.over(call, judged)
            }
            Ok(_) => Ok(()),
            Err((column, message)) => {
                self.bad(row, column, message.clone());
                Ok(())
            }
        }
    }
}

/// Bad rows described on stderr (the first [`SHOWN_BAD_ROWS`]; all are counted), calls over
/// their legal maximum written out, as they come.
struct Direct {
    label: String,
    out: Option<Over>,
    shown: u64,
}

impl Sink for Direct {
    fn bad(&mut self, row: u64, column: &'static str, message: String) {
        if self.shown < SHOWN_BAD_ROWS {
            let _ = writeln!(
                std::io::stderr().lock(),
                "callcap: {}: row {row}, column {column}: {message}",
                self.label
            );
        }
        self.shown += 1;
    }

    fn over(&mut self, call: &CallRecord, j: &Judged) -> Result<(), Error> {
        match self.out.as_mut() {
            Some(Over::Csv(w)) => {
                write_over(w, call, j).map_err(|e| Error::io("--calls-out", e.to_string()))
            }
            #[cfg(feature = "parquet")]
            Some(Over::Parquet(w)) => w.add(call, j),
            None => Ok(()),
        }
    }
}

/// What a chunk audited on another thread leaves to be written, in the file's order: its bad
/// rows (the first [`SHOWN_BAD_ROWS`] described, all counted) and its calls over their legal
/// maximum (only when `--calls-out` asks for them).
#[derive(Default)]
struct Kept {
    keep_over: bool,
    bad: Vec<(u64, &'static str, String)>,
    bad_rows: u64,
    over: Vec<KeptCall>,
}

/// A call over its legal maximum, with its judgement, kept until its chunk is written.
struct KeptCall {
    call_id: String,
    facility_id: String,
    call: CallRecord<'static>,
    judged: Judged,
}

impl Sink for Kept {
    fn bad(&mut self, row: u64, column: &'static str, message: String) {
        if self.bad_rows < SHOWN_BAD_ROWS {
            self.bad.push((row, column, message));
        }
        self.bad_rows += 1;
    }

    fn over(&mut self, call: &CallRecord, j: &Judged) -> Result<(), Error> {
        if self.keep_over {
            self.over.push(KeptCall {
                call_id: call.call_id.to_string(),
                facility_id: call.facility_id.to_string(),
                // The ids are kept above; the account is not written out.
                call: CallRecord {
                    call_id: "",
                    facility_id: "",
                    account_id: None,
                    ..call.clone()
                },
                judged: j.clone(),
            });
        }
        Ok(())
    }
}

impl Kept {
    /// Writes the chunk's bad rows and calls out; its first row is line `first_row` + 1.
    fn write(self, first_row: u64, direct: &mut Direct) -> Result<(), Error> {
        let described = self.bad.len() as u64;
        for (row, column, message) in self.bad {
            direct.bad(first_row + row, column, message);
        }
        direct.shown += self.bad_rows - described;
        for k in self.over {
            let call = CallRecord {
                call_id: &k.call_id,
                facility_id: &k.facility_id,
                ..k.call
            };
            direct.over(&call, &k.judged)?;
        }
        Ok(())
    }
}

/// The call in a CSV record, its fields found by `columns`; an error names the column.
fn call_of<'r>(
    record: &'r csv::ByteRecord,
    columns: &[Option<usize>; 9],
) -> Result<CallRecord<'r>, Rejection> {
    // Each field used is checked to be UTF-8 (as a StringRecord checks every field): the whole
    // record at once, then each field is its text between its bounds (a bound inside a
    // character, or a record that is not all UTF-8, and the field is checked alone).
    let whole = std::str::from_utf8(record.as_slice()).ok();
    let mut not_utf8 = None;
    let mut fields = [None; 9];
    for (k, (slot, c)) in fields.iter_mut().zip(columns).enumerate() {
        let Some(range) = c.and_then(|i| record.range(i)) else {
            continue;
        };
        let text = whole.and_then(|w| w.get(range.clone())).or_else(|| {
            let bytes = record.as_slice().get(range)?;
            std::str::from_utf8(bytes).ok()
        });
        match text {
            Some(t) => *slot = Some(t),
            None => not_utf8 = not_utf8.or(Some(k)),
        }
    }
    if let Some(k) = not_utf8 {
        let column = CALL_COLUMNS.get(k).copied().unwrap_or("account_id");
        return Err((column, "invalid UTF-8".to_string()));
    }
    call_from_fields(fields)
}

/// Records read and audited at a time ([`AuditRun::rows`]).
const BATCH: usize = 64;

/// Audits the records `reader` gives (the header already read), their lines counted from
/// `first_row` + 1; returns how many records it read.
fn audit_records(
    label: &str,
    mut reader: csv::Reader<impl std::io::Read>,
    columns: &[Option<usize>; 9],
    first_row: u64,
    run: &mut AuditRun,
    sink: &mut impl Sink,
) -> Result<u64, Error> {
    let mut records = vec![csv::ByteRecord::new(); BATCH];
    let mut row = first_row;
    loop {
        let mut n = 0;
        while n < BATCH {
            // Byte records of a flexible reader: only reading the file can fail.
            let more = reader
                .read_byte_record(&mut records[n])
                .map_err(|e| Error::io(label, format!("cannot read: {e}")))?;
            if !more {
                break;
            }
            n += 1;
        }
        if n == 0 {
            break;
        }
        let calls: Vec<_> = records[..n]
            .iter()
            .map(|record| call_of(record, columns))
            .collect();
        run.rows(&calls, |i, outcome| sink.take(row + 1 + i as u64, outcome))?;
        row += n as u64;
        if n < BATCH {
            break;
        }
    }
    Ok(row - first_row)
}

/// The records of CSV text without a quote character, as the csv crate reads them: each line
/// (ended by `\n`, `\r\n` or `\r`; blank lines skipped) a record, its fields what commas
/// separate. Split by hand, not by the csv crate, for the chunks the threads audit, which never
/// hold a quote (`audit_csv`): those records are their lines, so each field is a slice of the
/// chunk's text, checked for UTF-8 once for the whole chunk, where the csv crate copies each
/// record into its own buffer and each record is checked apart. The test
/// `lines_are_split_as_the_csv_crate_reads_them` holds it to the csv crate.
fn records_of(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    let ends = memchr::memchr2_iter(b'\n', b'\r', text.as_bytes()).chain([text.len()]);
    ends.filter_map(move |end| {
        // Each end is an ASCII byte (or the text's end): a character's boundary.
        let line = text.get(start..end);
        start = end + 1;
        line.filter(|l| !l.is_empty())
    })
}

/// The fields of a line without a quote character: what commas separate, the first
/// `count` of them.
fn fields_of<'t>(line: &'t str, count: usize, into: &mut Vec<&'t str>) {
    into.clear();
    let mut start = 0;
    for end in memchr::memchr_iter(b',', line.as_bytes()).chain([line.len()]) {
        if into.len() == count {
            return;
        }
        // A comma is ASCII: a character's boundary (so `get` always gives the field; were it
        // not to, an empty field keeps the others in their columns).
        into.push(line.get(start..end).unwrap_or_default());
        start = end + 1;
    }
}

/// Audits a chunk of CSV text without a quote character ([`records_of`]); returns how many
/// records it read.
fn audit_lines(
    text: &str,
    columns: &[Option<usize>; 9],
    run: &mut AuditRun,
    sink: &mut impl Sink,
) -> Result<u64, Error> {
    let last = columns.iter().flatten().copied().max().unwrap_or(0);
    let mut lines = records_of(text);
    let (mut calls, mut fields) = (Vec::with_capacity(BATCH), Vec::new());
    let mut row = 0u64;
    loop {
        calls.clear();
        for line in lines.by_ref().take(BATCH) {
            fields_of(line, last + 1, &mut fields);
            calls.push(call_from_fields(
                columns.map(|c| c.and_then(|i| fields.get(i).copied())),
            ));
        }
        if calls.is_empty() {
            return Ok(row);
        }
        run.rows(&calls, |i, outcome| sink.take(row + 1 + i as u64, outcome))?;
        row += calls.len() as u64;
    }
}

/// The records of a CSV file as the csv crate reads them: any line ending, fields quoted or
/// not, blank lines skipped.
fn records_reader<R: std::io::Read>(from: R) -> csv::Reader<R> {
    csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(from)
}

/// How much of the file a thread audits at a time.
const CHUNK: usize = 4 << 20;

/// Reads from `file` into `buf` until it holds `CHUNK` bytes or the file ends; whether it ended.
fn fill(file: &mut impl std::io::Read, buf: &mut Vec<u8>, label: &str) -> Result<bool, Error> {
    let start = buf.len();
    buf.resize(start.max(CHUNK), 0);
    let mut at = start;
    while at < buf.len() {
        match file.read(&mut buf[at..]) {
            Ok(0) => {
                buf.truncate(at);
                return Ok(true);
            }
            Ok(n) => at += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(label, format!("cannot read: {e}"))),
        }
    }
    Ok(false)
}

/// Audits a CSV file of calls on `jobs` threads, each chunk of about [`CHUNK`] bytes on the
/// next free one while this thread reads the file, and the bad rows and calls over written in
/// the file's order: the output is the same for any number of threads. (One thread audits
/// chunks too, not the file as a stream: a chunk's lines are split by hand, `audit_lines`.)
///
/// A chunk ends at a line's end, found by hand (`memchr`; the csv crate reads a stream, it does
/// not split one): that is a record's end only outside a quoted field, so from the first quote
/// character in the file on, the rest is audited on this thread as one stream (call records
/// rarely quote a field; a file that does is audited exactly, on fewer threads).
fn audit_csv(
    path: &Path,
    auditor: &Auditor,
    jobs: usize,
    direct: &mut Direct,
) -> Result<Report, Error> {
    let label = path.display().to_string();
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::io(label.clone(), format!("cannot read: {e}")))?;
    let mut buf = Vec::new();
    let ended = fill(&mut file, &mut buf, &label)?;
    // The header is the first line, unless a quote may make it more than a line: then the
    // whole file is one stream.
    let header_end = match memchr::memchr(b'\n', &buf) {
        Some(i) if !buf[..i].contains(&b'"') => Some(i + 1),
        None if ended && !buf.contains(&b'"') => Some(buf.len()),
        _ => None,
    };
    let Some(header_end) = header_end else {
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .buffer_capacity(1 << 16)
            .from_reader(std::io::Cursor::new(buf).chain(file));
        let columns =
            call_columns(&headers(&mut reader, &label)?).map_err(|m| Error::file(&label, m))?;
        let mut run = AuditRun::new(auditor.clone());
        audit_records(&label, reader, &columns, 1, &mut run, direct)?;
        return Ok(run.report());
    };
    let mut header = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(&buf[..header_end]);
    let columns =
        call_columns(&headers(&mut header, &label)?).map_err(|m| Error::file(&label, m))?;
    buf.drain(..header_end);
    let keep_over = direct.out.is_some();
    let (work, queue) = std::sync::mpsc::sync_channel::<(u64, Vec<u8>)>(jobs);
    let queue = std::sync::Mutex::new(queue);
    let (done, results) = std::sync::mpsc::channel::<(u64, u64, Kept, Vec<u8>)>();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..jobs)
            .map(|_| {
                let (queue, done, label) = (&queue, done.clone(), &label);
                scope.spawn(move || {
                    let mut run = AuditRun::new(auditor.clone());
                    loop {
                        let next = queue.lock().map(|q| q.recv());
                        let Ok(Ok((n, bytes))) = next else { break };
                        let mut kept = Kept {
                            keep_over,
                            ..Kept::default()
                        };
                        // A chunk in memory: reading it cannot fail, nor can keeping its rows.
                        let records = match std::str::from_utf8(&bytes) {
                            Ok(text) => audit_lines(text, &columns, &mut run, &mut kept),
                            Err(_) => audit_records(
                                label,
                                records_reader(&bytes[..]),
                                &columns,
                                0,
                                &mut run,
                                &mut kept,
                            ),
                        }
                        .unwrap_or(0);
                        if done.send((n, records, kept, bytes)).is_err() {
                            break;
                        }
                    }
                    run
                })
            })
            .collect();
        drop(done);
        // Chunks are handed out in order and written in order as they come back.
        let mut written = 0u64;
        let mut rows_before = 1u64;
        let mut back = std::collections::BTreeMap::new();
        let mut spare: Vec<Vec<u8>> = Vec::new();
        let mut write_back =
            |result: (u64, u64, Kept, Vec<u8>), spare: &mut Vec<Vec<u8>>| -> Result<(), Error> {
                back.insert(result.0, (result.1, result.2));
                spare.push(result.3);
                while let Some((records, kept)) = back.remove(&written) {
                    kept.write(rows_before, direct)?;
                    rows_before += records;
                    written += 1;
                }
                Ok(())
            };
        let mut sent = 0u64;
        let mut ended = ended;
        let mut quoted = buf.contains(&b'"');
        let outcome = (|| -> Result<(), Error> {
            while !quoted && !buf.is_empty() {
                // A chunk: up to the last line's end (or the file's).
                let cut = if ended {
                    buf.len()
                } else {
                    match memchr::memrchr(b'\n', &buf) {
                        Some(i) => i + 1,
                        // A line longer than a chunk: the rest as one stream.
                        None => break,
                    }
                };
                let mut next = spare.pop().unwrap_or_default();
                next.clear();
                next.extend_from_slice(&buf[cut..]);
                buf.truncate(cut);
                let chunk = std::mem::replace(&mut buf, next);
                let mut job = Some((sent, chunk));
                // Waits for a free place in the queue, writing what comes back meanwhile.
                while let Some(j) = job.take() {
                    match work.try_send(j) {
                        Ok(()) => {}
                        Err(std::sync::mpsc::TrySendError::Full(j)) => {
                            job = Some(j);
                            // Every thread gone (none would send again): stop, never wait.
                            let Ok(r) = results.recv() else {
                                return Err(Error::io(&label, "an audit thread stopped"));
                            };
                            write_back(r, &mut spare)?;
                        }
                        Err(std::sync::mpsc::TrySendError::Disconnected(_)) => {
                            return Err(Error::io(&label, "an audit thread stopped"));
                        }
                    }
                }
                sent += 1;
                while let Ok(r) = results.try_recv() {
                    write_back(r, &mut spare)?;
                }
                if !ended {
                    let from = buf.len();
                    ended = fill(&mut file, &mut buf, &label)?;
                    quoted = buf[from..].contains(&b'"');
                }
            }
            Ok(())
        })();
        drop(work);
        let mut outcome = outcome;
        for r in results.iter() {
            if outcome.is_ok() {
                outcome = write_back(r, &mut spare);
            }
        }
        // The threads' sums are joined as they are, and made a report once.
        let mut whole = AuditRun::new(auditor.clone());
        for w in workers {
            let part = w
                .join()
                .map_err(|_| Error::io(&label, "an audit thread stopped"))?;
            whole.merge(part).map_err(|m| Error::io(&label, &m))?;
        }
        outcome?;
        if written != sent {
            return Err(Error::io(&label, "an audit thread stopped"));
        }
        // After a quote (or a line longer than a chunk), the rest as one stream, here.
        if !buf.is_empty() || !ended {
            let rest = std::io::Cursor::new(std::mem::take(&mut buf)).chain(&mut file);
            audit_records(
                &label,
                records_reader(rest),
                &columns,
                rows_before,
                &mut whole,
                direct,
            )?;
        }
        Ok(whole.report())
    })
}

/// Runs the audit and prints it; returns the exit code.
pub fn run(
    book: &RateBook,
    calls: &Path,
    facilities: &Path,
    format: Format,
    calls_out: Option<&Path>,
    jobs: usize,
) -> Result<i32, Error> {
    let label = calls.display().to_string();
    let facilities_label = facilities.display().to_string();
    let facilities = read_facilities(facilities)?;
    let auditor = Auditor::new(book, facilities).map_err(|m| Error::file(&facilities_label, m))?;
    let out = match calls_out {
        #[cfg(feature = "parquet")]
        Some(p) if is_parquet(p) => {
            Some(Over::Parquet(super::audit_parquet::OverWriter::create(p)?))
        }
        Some(p) => Some(Over::Csv(over_writer(p)?)),
        None => None,
    };
    let mut direct = Direct {
        label: label.clone(),
        out,
        shown: 0,
    };
    let report = if is_parquet(calls) {
        #[cfg(feature = "parquet")]
        {
            let mut run = AuditRun::new(auditor);
            super::audit_parquet::read_calls(calls, |row, call| {
                let outcome = run.row(call);
                direct.take(row, outcome.as_ref().map(|(c, j)| (c, j)))
            })?;
            run.report()
        }
        #[cfg(not(feature = "parquet"))]
        return Err(Error::file(
            &label,
            "this callcap was built without the `parquet` feature",
        ));
    } else {
        audit_csv(calls, &auditor, jobs, &mut direct)?
    };
    if direct.shown > SHOWN_BAD_ROWS {
        eprintln!(
            "callcap: {label}: {} more bad rows not shown",
            direct.shown - SHOWN_BAD_ROWS
        );
    }
    match direct.out {
        Some(Over::Csv(mut w)) => w
            .flush()
            .map_err(|e| Error::io("--calls-out", e.to_string()))?,
        #[cfg(feature = "parquet")]
        Some(Over::Parquet(w)) => w.finish()?,
        None => {}
    }
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

/// Prints the terms table (`callcap audit-terms`) as CSV; returns the exit code.
pub fn terms(book: &RateBook, facilities: &Path) -> Result<i32, Error> {
    let label = facilities.display().to_string();
    let facilities = read_facilities(facilities)?;
    let mut auditor = Auditor::new(book, facilities).map_err(|m| Error::file(&label, m))?;
    let rows = auditor.terms_table();
    super::output::closed_pipe_exits_with(EXIT_OK);
    let stdout = std::io::stdout();
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(stdout.lock()));
    let _ = w.write_record([
        "facility_id",
        "from",
        "until",
        "service",
        "jurisdiction",
        "payment",
        "per_minute",
        "floor_minutes",
        "assumed_exception",
        "level",
        "citation",
    ]);
    for r in &rows {
        let (level, citation) = r
            .basis
            .as_ref()
            .map_or(("", ""), |b| (b.level.as_str(), &*b.citation));
        let _ = w.write_record([
            r.facility_id.as_str(),
            // The first span starts at the beginning of time: 0001-01-01 is before any call.
            &r.from
                .max(chrono::NaiveDate::from_ymd_opt(1, 1, 1).unwrap_or_default())
                .to_string(),
            &r.until.map(|d| d.to_string()).unwrap_or_default(),
            r.service.as_str(),
            r.jurisdiction.as_str(),
            r.payment.as_str(),
            &r.per_minute
                .map(|d| d.normalize().to_string())
                .unwrap_or_default(),
            &r.floor_minutes.to_string(),
            if r.assumed_exception { "true" } else { "false" },
            level,
            citation,
        ]);
    }
    let _ = w.flush();
    Ok(EXIT_OK)
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
        call.jurisdiction.as_str(),
        call.payment.as_str(),
        &display(call.charged),
        &j.legal_max.map(display).unwrap_or_default(),
        &display(j.overcharge),
        level,
        citation,
    ])
}

/// Each figure of `t`, in the order of [`TOTALS_FIGURES`], written into `scratch` and handed
/// to `put` (one buffer for all, not a `String` each: written as strings, the 97,000 rows of
/// totals of an audit of 1 million calls were a tenth of its instructions, callgrind).
fn each_figure<E>(
    t: &Totals,
    scratch: &mut String,
    mut put: impl FnMut(&str) -> Result<(), E>,
) -> Result<(), E> {
    use std::fmt::Write as _;
    enum Figure {
        Count(u64),
        Money(rust_decimal::Decimal),
    }
    let figures = [
        Figure::Count(t.calls),
        Figure::Count(t.minutes_billed),
        Figure::Money(t.charged),
        Figure::Money(t.legal_maximum),
        Figure::Money(t.overcharge),
        Figure::Count(t.calls_over),
        Figure::Count(t.calls_uncapped),
        Figure::Count(t.calls_unknown_jurisdiction),
        Figure::Count(t.calls_assumed_exception),
    ];
    for figure in figures {
        scratch.clear();
        match figure {
            Figure::Count(n) => {
                let _ = write!(scratch, "{n}");
            }
            Figure::Money(d) => scratch.push_str(&display(d)),
        }
        put(scratch)?;
    }
    Ok(())
}

/// One CSV row of totals: its scope and ids, its figures, and `rows_rejected` (empty where
/// the row has none), written field by field.
fn totals_row<W: Write>(
    w: &mut csv::Writer<W>,
    scratch: &mut String,
    ids: [&str; 4],
    t: &Totals,
    rows_rejected: Option<u64>,
) -> csv::Result<()> {
    for id in ids {
        w.write_field(id)?;
    }
    each_figure(t, scratch, |f| w.write_field(f))?;
    w.write_field(rows_rejected.map(|n| n.to_string()).unwrap_or_default())?;
    w.write_record(None::<&[u8]>)
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
            head.extend(TOTALS_FIGURES);
            head.push("rows_rejected");
            let _ = w.write_record(&head);
            let s = &report.summary;
            let scratch = &mut String::new();
            let mut rows = || {
                totals_row(
                    &mut w,
                    scratch,
                    ["summary", "", "", ""],
                    &s.totals,
                    Some(s.rows_rejected),
                )?;
                for m in &report.by_facility_month {
                    let ids = ["facility_month", &m.facility_id, &m.month, ""];
                    totals_row(&mut w, scratch, ids, &m.totals, None)?;
                }
                for a in &report.by_account {
                    let ids = ["account", "", "", &a.account_id];
                    totals_row(&mut w, scratch, ids, &a.totals, None)?;
                }
                csv::Result::Ok(())
            };
            let _ = rows();
            let _ = w.flush();
        }
        Format::Table => {
            let s = &report.summary;
            let _ = writeln!(o, "summary");
            let mut names = TOTALS_FIGURES.iter();
            let _ = each_figure(&s.totals, &mut String::new(), |value| {
                let name = names.next().copied().unwrap_or_default();
                writeln!(o, "  {name:<27} {value}")
            });
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The records and fields of `text` as the csv crate reads them, set up as the audit's
    /// readers are.
    fn by_csv(text: &str) -> Vec<Vec<String>> {
        let mut reader = records_reader(text.as_bytes());
        let (mut out, mut record) = (Vec::new(), csv::ByteRecord::new());
        while reader.read_byte_record(&mut record).unwrap() {
            let text = |f: &[u8]| String::from_utf8(f.to_vec()).unwrap();
            out.push(record.iter().map(text).collect());
        }
        out
    }

    fn by_hand(text: &str) -> Vec<Vec<String>> {
        let mut fields = Vec::new();
        records_of(text)
            .map(|line| {
                fields_of(line, usize::MAX, &mut fields);
                fields.iter().map(|f| f.to_string()).collect()
            })
            .collect()
    }

    #[test]
    fn lines_are_split_as_the_csv_crate_reads_them() {
        for text in [
            "",
            "a,b\r\n\r\nc\rd,\n",
            "\n\n,\n , \r\r\n",
            "é,,x\ny",
            "last line, no end",
        ] {
            assert_eq!(by_hand(text), by_csv(text), "{text:?}");
        }
        let mut fields = Vec::new();
        fields_of("a,b,c,d", 2, &mut fields);
        assert_eq!(fields, ["a", "b"]);
        fields_of("a", 3, &mut fields);
        assert_eq!(fields, ["a"]);
    }

    proptest! {
        /// Any text without a quote character: the same records and fields as the csv crate.
        #[test]
        fn any_text_without_quotes_is_split_as_the_csv_crate_splits_it(
            text in r"[ab, é\n\r\t]{0,80}"
        ) {
            prop_assert_eq!(by_hand(&text), by_csv(&text));
        }
    }
}
