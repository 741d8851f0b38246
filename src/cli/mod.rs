//! Argument parsing and dispatch.

mod audit;
#[cfg(feature = "parquet")]
mod audit_parquet;
mod bulk;
mod output;
mod walk;

use callcap::check::Checker;
use callcap::compare::compare;
use callcap::dated::parse_date;
use callcap::demand::Demand;
use callcap::estimate::{estimate, FamilyPlan};
use callcap::facility::{Operator, PlaceOverride};
use callcap::report::{CapsReport, FileResult};
use callcap::tariff::ContractBasis;
use callcap::{
    CallKind, Error, ErrorKind, Facility, FacilityKind, FeeKind, Jurisdiction, Payment, RateBook,
    Service, Tariff,
};
use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

pub use output::Format;

/// The flag that gives an input the core names (`minutes_per_call` is `--minutes`).
fn flag(input: &str) -> String {
    match input {
        "minutes_per_call" => "--minutes".into(),
        "query" => "QUERY".into(),
        other => format!("--{}", other.replace('_', "-")),
    }
}

/// Exit code: standard output was closed (`| head`) before a bulk check finished, with no
/// violation or bad file found until then: as a program stopped by SIGPIPE (128 + 13).
pub const EXIT_CLOSED_PIPE: i32 = 141;

/// Exit code: done, nothing violates a rule.
pub const EXIT_OK: i32 = 0;
/// Exit code: done, at least one violation.
pub const EXIT_VIOLATION: i32 = 1;
/// Exit code: bad input.
pub const EXIT_BAD_INPUT: i32 = 2;

#[derive(Parser)]
#[command(
    name = "callcap",
    version,
    about = "The price of calls from U.S. prisons and jails, checked against the FCC's rate caps",
    long_about = "The price of calls from U.S. prisons and jails, checked against the FCC's rate caps \
                  in force on any date since 2014. Every cap comes from the bundled rate book \
                  (rates/), dated and cited.\n\n\
                  Exit codes: 0 done and compliant, 1 done with at least one violation, 2 bad input \
                  (the message on stderr names the file, line and key), 141 standard output closed \
                  before a bulk check finished with nothing found yet (a violation or bad file \
                  found before that still gives 1 or 2; other commands exit with their verdict)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// The date whose rules apply (YYYY-MM-DD; default: today).
    #[arg(long, value_parser = date_arg)]
    date: Option<NaiveDate>,
    /// Output format (default: table on a terminal, json otherwise).
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Use the rate book in this directory instead of the bundled one.
    #[arg(long, value_name = "DIR")]
    rates: Option<PathBuf>,
}

/// Where the facility is and who runs it: each replaces the file's (state and local rules
/// depend on them).
#[derive(Args, Clone, Default)]
struct PlaceArgs {
    /// Two-letter state, like TX (replaces the file's).
    #[arg(long)]
    state: Option<String>,
    /// Who runs the facility: state, county, city, private or federal (replaces the file's).
    #[arg(long, value_parser = |s: &str| Operator::parse(s))]
    operator: Option<Operator>,
    /// The county's five-digit FIPS code, like 06073 (replaces the file's).
    #[arg(long, value_name = "FIPS")]
    county_fips: Option<String>,
}

impl PlaceArgs {
    /// The place given, checked; a bad value is a usage error naming its flag.
    fn place(&self) -> Result<PlaceOverride, Error> {
        if let Some(s) = &self.state {
            callcap::facility::validate_state(s).map_err(|m| Error::usage("--state", m))?;
        }
        if let Some(c) = &self.county_fips {
            callcap::facility::validate_county_fips(c)
                .map_err(|m| Error::usage("--county-fips", m))?;
        }
        Ok(PlaceOverride {
            state: self.state.clone(),
            operator: self.operator,
            county_fips: self.county_fips.clone(),
        })
    }
}

#[derive(Subcommand)]
enum Command {
    /// The rules in force for a date and facility: caps, additives, fee and commission rules.
    Caps {
        /// Prison or jail (with --facility-id: replaces the directory's).
        #[arg(long, value_enum, required_unless_present = "facility_id")]
        facility: Option<KindArg>,
        /// Average daily population (a whole number, at least 1; with --facility-id: replaces
        /// the population the directory reports).
        #[arg(long, allow_negative_numbers = true, value_parser = callcap::facility::parse_adp,
              required_unless_present = "facility_id")]
        adp: Option<u32>,
        /// A facility of the directory (`callcap facilities NAME` finds its id): fills in what
        /// --facility, --adp and PLACE leave out, and says what it assumed.
        #[arg(long, value_name = "ID")]
        facility_id: Option<String>,
        #[command(flatten)]
        place: PlaceArgs,
        /// The facility's contract: the day it was signed (with --contract-ends and
        /// --contract-basis), for the exceptions for existing contracts.
        #[arg(long, value_parser = date_arg, requires_all = ["contract_ends", "contract_basis"])]
        contract_signed: Option<NaiveDate>,
        /// The contract's expiration date.
        #[arg(long, value_parser = date_arg, requires_all = ["contract_signed", "contract_basis"])]
        contract_ends: Option<NaiveDate>,
        /// Why new rules would require renegotiating it: contractual or legally_mandated.
        #[arg(long, value_parser = |s: &str| ContractBasis::parse(s),
              requires_all = ["contract_signed", "contract_ends"])]
        contract_basis: Option<ContractBasis>,
        #[command(flatten)]
        common: Common,
    },
    /// Check tariff and bid files (or every .toml under directories), and rate tables (.csv,
    /// .xlsx: one tariff per facility), against the caps.
    Check {
        /// Tariff files, rate tables (.csv, .xlsx; see the README) or directories (their .toml
        /// files only).
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        place: PlaceArgs,
        #[command(flatten)]
        common: Common,
    },
    /// A family's month under a tariff: calls, deposit fees, taxes, the legal maximum, the overcharge.
    Estimate {
        /// The tariff (or bid) file.
        #[arg(long, value_name = "FILE")]
        tariff: PathBuf,
        /// Calls a month (default 16).
        #[arg(long, conflicts_with = "calls_per_week", allow_negative_numbers = true,
              value_parser = |s: &str| callcap::money::parse_count(s, "calls a month"))]
        calls_per_month: Option<u32>,
        /// Calls a week, instead of a month (52 weeks over 12 months, to the nearest call).
        #[arg(long, allow_negative_numbers = true,
              value_parser = |s: &str| callcap::money::parse_count(s, "calls a week"))]
        calls_per_week: Option<u32>,
        /// Minutes per call.
        #[arg(long, default_value_t = 15, allow_negative_numbers = true,
              value_parser = |s: &str| callcap::money::parse_count(s, "minutes"))]
        minutes: u32,
        /// local, intrastate, interstate or international.
        #[arg(long, default_value = "intrastate", value_parser = |s: &str| Jurisdiction::parse(s))]
        jurisdiction: Jurisdiction,
        /// debit, prepaid or collect.
        #[arg(long, default_value = "prepaid", value_parser = |s: &str| Payment::parse(s))]
        payment: Payment,
        /// audio or video.
        #[arg(long, default_value = "audio", value_parser = |s: &str| Service::parse(s))]
        service: Service,
        /// Each deposit's size in dollars (default: one deposit a month of what the calls cost).
        #[arg(long, allow_negative_numbers = true, value_parser = |s: &str| callcap::money::parse_amount(s))]
        deposit: Option<Decimal>,
        /// How deposits are made: automated_payment or live_agent.
        #[arg(long, default_value = "automated_payment", value_parser = |s: &str| FeeKind::parse(s))]
        deposit_method: FeeKind,
        /// A facility of the directory (`callcap facilities NAME` finds its id), instead of the
        /// tariff's `id`: fills in what its [facility] leaves out, and says what it assumed.
        #[arg(long, value_name = "ID")]
        facility_id: Option<String>,
        #[command(flatten)]
        place: PlaceArgs,
        #[command(flatten)]
        common: Common,
    },
    /// Find facilities in the directory by name or city (HIFLD's 6,737 prisons and jails), best match first.
    #[command(
        long_about = "Find facilities in callcap's facility directory (HIFLD Prison Boundaries, \
                      2020: 6,737 U.S. prisons and jails) by name or city, best match first: \
                      case and accents do not matter, nor word order, and a small typo is \
                      forgiven. Each has an id for --facility-id (caps, estimate) and a \
                      tariff's `id`. Its population is as HIFLD's source reported it, not the \
                      FCC's average daily population; its kind is read from HIFLD's fields, \
                      and marked when that is a guess (rates/facilities/README.md)."
    )]
    Facilities {
        /// Words of a name or city (or an id), like `harris county jail`.
        #[arg(required = true, value_name = "QUERY")]
        query: Vec<String>,
        /// Only facilities in this state (two capital letters, like TX).
        #[arg(long)]
        state: Option<String>,
        /// At most this many facilities (1 to 1000).
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        /// Output format (default: table on a terminal, json otherwise).
        #[arg(long, value_enum)]
        format: Option<Format>,
    },
    /// Call records audited: each call's legal maximum under the rules of its day, what was
    /// billed above it, totals by facility and month (and account). Exit 1 when a call was
    /// billed above its legal maximum, 2 when no row could be audited.
    Audit {
        /// The calls, CSV or Parquet (a name ending in .parquet): call_id, facility_id,
        /// started_at, duration_seconds, service, jurisdiction, payment, charged, and optionally
        /// account_id. Parquet columns may be text or typed: integers for duration_seconds,
        /// dates or timestamps for started_at, decimals for charged (not floats).
        #[arg(value_name = "CALLS")]
        calls: PathBuf,
        /// The facilities (CSV): facility_id, kind, average_daily_population, state, operator,
        /// county_fips, and optionally commission_basis, facility_component_per_minute,
        /// contract_signed, contract_ends, contract_basis.
        #[arg(long, value_name = "FACILITIES")]
        facilities: PathBuf,
        /// Write each call billed above its legal maximum to this file: Parquet when its name
        /// ends in .parquet (money as DECIMAL(38,10), the date as a date), CSV otherwise.
        #[arg(long, value_name = "FILE")]
        calls_out: Option<PathBuf>,
        /// Output format (default: table on a terminal, json otherwise).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Use the rate book in this directory instead of the bundled one.
        #[arg(long, value_name = "DIR")]
        rates: Option<PathBuf>,
        /// Audit a CSV file on this many threads (default: one per core), beside the one
        /// reading it. The output is the same for any number. Parquet is read on one.
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
        jobs: Option<u16>,
    },
    /// The terms `audit` judges calls on, as CSV: for each facility and kind of call, each
    /// span of dates over which they do not change, the per-minute limit and the least minutes
    /// a call is judged on (legal maximum = per_minute × max(minutes, floor_minutes); an empty
    /// per_minute: uncapped). What an SQL or dataframe audit joins against (benches/peers/).
    AuditTerms {
        /// The facilities (CSV), as for `audit`.
        #[arg(long, value_name = "FACILITIES")]
        facilities: PathBuf,
        /// Use the rate book in this directory instead of the bundled one.
        #[arg(long, value_name = "DIR")]
        rates: Option<PathBuf>,
    },
    /// Bids side by side: annual cost to families, commission to the facility, compliance over the term.
    Compare {
        /// Bid files (tariffs with a [bid] table), or spreadsheets of bids (.csv, .xlsx: one
        /// row per rate line; see the README).
        #[arg(required = true, value_name = "BID")]
        bids: Vec<PathBuf>,
        /// Demand assumptions (default: the bundled, illustrative rates/demand.toml).
        #[arg(long, value_name = "FILE")]
        demand: Option<PathBuf>,
        /// Price every bid at this average daily population instead of its file's (a what-if).
        #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = callcap::facility::parse_adp)]
        adp: Option<u32>,
        #[command(flatten)]
        common: Common,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum KindArg {
    Prison,
    Jail,
}

fn date_arg(s: &str) -> Result<NaiveDate, String> {
    parse_date(s)
}

/// Runs the command line and returns the exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                EXIT_BAD_INPUT
            } else {
                EXIT_OK
            };
        }
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            let e = match (e.kind(), e.key()) {
                (ErrorKind::Usage, Some(input)) if !input.starts_with('-') => {
                    let flag = flag(input);
                    e.with_key(flag)
                }
                _ => e,
            };
            eprintln!("callcap: {e}");
            EXIT_BAD_INPUT
        }
    }
}

impl Common {
    fn date(&self) -> NaiveDate {
        self.date
            .unwrap_or_else(|| chrono::Local::now().date_naive())
    }
    fn format(&self) -> Format {
        self.format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Json
        })
    }
    fn book(&self) -> Result<RateBook, Error> {
        match &self.rates {
            Some(dir) => RateBook::load_dir(dir),
            None => RateBook::bundled(),
        }
    }
}

fn dispatch(command: Command) -> Result<i32, Error> {
    match command {
        Command::Caps {
            facility,
            adp,
            facility_id,
            place,
            contract_signed,
            contract_ends,
            contract_basis,
            common,
        } => {
            let place = place.place()?;
            let book = common.book()?;
            let kind = facility.map(|k| match k {
                KindArg::Prison => FacilityKind::Prison,
                KindArg::Jail => FacilityKind::Jail,
            });
            let date = common.date();
            // clap asks for the three together.
            let contract = callcap::tariff::Contract::from_parts(
                contract_signed,
                contract_ends,
                contract_basis,
            )
            .map_err(|(field, m)| Error::usage(format!("--{}", field.replace('_', "-")), m))?;
            if let Some(id) = facility_id {
                let directory = callcap::directory::Directory::bundled()?;
                let given = callcap::directory::Given::at(kind, adp, &place);
                let f = directory.fill(&id, given).map_err(fill_error)?;
                let report = directory.caps(&book, date, &f, contract.as_ref());
                output::facility_caps(&report, common.format());
                return Ok(EXIT_OK);
            }
            let (Some(kind), Some(adp)) = (kind, adp) else {
                return Err(Error::usage(
                    "--facility",
                    "give --facility and --adp, or --facility-id",
                ));
            };
            let mut f = Facility::new(kind, adp);
            place.apply(&mut f);
            let report = CapsReport::new(&book.rules_for(date, &f, contract.as_ref()));
            output::caps(&report, common.format());
            Ok(EXIT_OK)
        }
        Command::Facilities {
            query,
            state,
            limit,
            format,
        } => {
            let directory = callcap::directory::Directory::bundled()?;
            let text = query.join(" ");
            let found = directory.search(&text, state.as_deref(), limit)?;
            let report = directory.report(&text, state.as_deref(), &found);
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            });
            output::facilities(&report, format);
            Ok(EXIT_OK)
        }
        Command::Check {
            paths,
            place,
            common,
        } => {
            let place = place.place()?;
            let book = common.book()?;
            let date = common.date();
            let (inputs, notes) = walk::inputs(&paths)?;
            for note in &notes {
                eprintln!("callcap: note: {}", callcap::error::escaped(note));
            }
            let io = |e: std::io::Error| Error::io("standard output", e.to_string());
            let format = common.format();
            let version = book.versions();
            let mut out = match output::CheckWriter::new(format, date, version.clone()) {
                Ok(out) => out,
                // Closed before anything was checked: the run did not happen.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(EXIT_CLOSED_PIPE)
                }
                Err(e) => return Err(io(e)),
            };
            let mut progress = bulk::Progress::new(inputs.len());
            let (mut failed, mut violated, mut write_error) = (false, false, None);
            // One tariff read (or not) into what the output writes.
            let one = |checker: &mut Checker, read: Result<Tariff, Error>, label: String| {
                let result = match read {
                    Ok(mut t) => {
                        place.apply(&mut t.facility);
                        say_what_the_directory_filled_in(&t);
                        FileResult::Checked(checker.check(&t, date))
                    }
                    Err(e) => FileResult::Failed {
                        file: label,
                        compliant: false,
                        error: e.to_string(),
                    },
                };
                output::render(format, date, &version, &result)
            };
            let work = |checker: &mut Checker, input: &walk::Input| {
                let label = input.path().display().to_string();
                let read = match input {
                    walk::Input::File(file) => read_tariff(file, &label),
                    walk::Input::Skipped(skipped) => {
                        Err(Error::file(&label, skipped.reason.as_str()))
                    }
                };
                (one(checker, read, label), true)
            };
            // Each result as it comes, with whether it ends an input (for the progress line).
            let mut emit = |(rendered, ends_input): (output::Rendered, bool)| {
                if ends_input {
                    progress.tick();
                }
                violated |= rendered.violated;
                if let Some(error) = &rendered.error {
                    failed = true;
                    progress.finish();
                    eprintln!("callcap: {error}");
                }
                match out.result(&rendered) {
                    Ok(()) => true,
                    Err(e) => {
                        write_error = Some(e);
                        false
                    }
                }
            };
            // Files in parallel, in order; a rate table (.csv, .xlsx named on the command
            // line) where it is named, a facility at a time, streamed.
            let mut rest: &[walk::Input] = &inputs;
            while !rest.is_empty() {
                let n = rest
                    .iter()
                    .position(walk::Input::is_table)
                    .unwrap_or(rest.len());
                if n > 0 {
                    let stopped = std::cell::Cell::new(false);
                    bulk::in_order(
                        &rest[..n],
                        || Checker::new(&book),
                        work,
                        |r| {
                            let go = emit(r);
                            stopped.set(!go);
                            go
                        },
                    );
                    rest = &rest[n..];
                    if stopped.get() {
                        break;
                    }
                    continue;
                }
                let path = rest[0].path();
                rest = &rest[1..];
                let label = path.display().to_string();
                let mut checker = Checker::new(&book);
                let go = match read_sheet(path, &label) {
                    Ok(sheet) => {
                        let mut go = true;
                        let mut facilities = callcap::sheet::rate_table(sheet).peekable();
                        while let Some(read) = facilities.next() {
                            let name = read
                                .as_ref()
                                .err()
                                .and_then(|e| e.file_name().map(str::to_string))
                                .unwrap_or_else(|| label.clone());
                            let last = facilities.peek().is_none();
                            if !emit((one(&mut checker, read, name), last)) {
                                go = false;
                                break;
                            }
                        }
                        go
                    }
                    Err(e) => emit((one(&mut checker, Err(e), label), true)),
                };
                if !go {
                    break;
                }
            }
            progress.finish();
            match write_error {
                // Output closed before every file was checked: a violation or a bad file found
                // so far still decides; otherwise the run did not finish, which is not "compliant".
                Some(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    return Ok(if failed {
                        EXIT_BAD_INPUT
                    } else if violated {
                        EXIT_VIOLATION
                    } else {
                        EXIT_CLOSED_PIPE
                    })
                }
                Some(e) => return Err(io(e)),
                None => match out.finish() {
                    // Every file was checked: the verdict stands.
                    Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(io(e)),
                    _ => {}
                },
            }
            Ok(if failed {
                EXIT_BAD_INPUT
            } else if violated {
                EXIT_VIOLATION
            } else {
                EXIT_OK
            })
        }
        Command::Estimate {
            tariff,
            calls_per_month,
            calls_per_week,
            minutes,
            jurisdiction,
            payment,
            service,
            deposit,
            deposit_method,
            facility_id,
            place,
            common,
        } => {
            let place = place.place()?;
            let book = common.book()?;
            let label = tariff.display().to_string();
            let mut tariff = Tariff::from_bytes_with_id(
                &label,
                &read_limited(&tariff, &label)?,
                facility_id.as_deref(),
            )?;
            place.apply(&mut tariff.facility);
            let call = CallKind {
                service,
                jurisdiction,
                payment,
            };
            let plan = FamilyPlan::from_inputs(
                call,
                calls_per_month,
                calls_per_week,
                minutes,
                deposit,
                deposit_method,
            )?;
            let date = common.date();
            let e = estimate(&book, &tariff, &plan, date)?;
            let code = if e.compliant { EXIT_OK } else { EXIT_VIOLATION };
            output::closed_pipe_exits_with(code);
            if tariff.facility.id.is_some() {
                let directory = callcap::directory::Directory::bundled()?;
                let e = directory
                    .estimate(&book, &tariff, &plan, date, e)
                    .map_err(|e| e.in_file(&tariff.file))?;
                output::facility_estimate(&e, common.format());
            } else {
                output::estimate(&e, common.format());
            }
            Ok(code)
        }
        Command::Audit {
            calls,
            facilities,
            calls_out,
            format,
            rates,
            jobs,
        } => {
            let book = match &rates {
                Some(dir) => RateBook::load_dir(dir)?,
                None => RateBook::bundled()?,
            };
            let format = format.unwrap_or(if std::io::stdout().is_terminal() {
                Format::Table
            } else {
                Format::Json
            });
            let jobs = jobs.map_or_else(
                || std::thread::available_parallelism().map_or(1, usize::from),
                usize::from,
            );
            audit::run(
                &book,
                &calls,
                &facilities,
                format,
                calls_out.as_deref(),
                jobs,
            )
        }
        Command::AuditTerms { facilities, rates } => {
            let book = match &rates {
                Some(dir) => RateBook::load_dir(dir)?,
                None => RateBook::bundled()?,
            };
            audit::terms(&book, &facilities)
        }
        Command::Compare {
            bids,
            demand,
            adp,
            common,
        } => {
            let book = common.book()?;
            let demand = match demand {
                Some(path) => {
                    let label = path.display().to_string();
                    let bytes = read_limited(&path, &label)?;
                    Demand::from_bytes(&label, &bytes)?
                }
                None => Demand::bundled()?,
            };
            let mut tariffs = Vec::with_capacity(bids.len());
            for p in &bids {
                let label = p.display().to_string();
                if callcap::sheet::is_sheet_name(&label) {
                    tariffs.extend(callcap::sheet::bids(read_sheet(p, &label)?)?);
                } else {
                    tariffs.push(read_tariff(p, &label)?);
                }
            }
            tariffs.iter().for_each(say_what_the_directory_filled_in);
            let c = compare(&book, &tariffs, &demand, common.date(), adp)?;
            let code = if c.compliant_throughout() {
                EXIT_OK
            } else {
                EXIT_VIOLATION
            };
            output::closed_pipe_exits_with(code);
            output::compare(&c, common.format());
            Ok(code)
        }
    }
}

/// Reads a file, refusing one too large for callcap before reading it.
fn read_limited(path: &Path, label: &str) -> Result<Vec<u8>, Error> {
    // A file that changes while it is read is read again once; if it changes again, it is
    // reported, never taken as it was half-written.
    match read_once(path, label)? {
        Some(bytes) => Ok(bytes),
        None => read_once(path, label)?.ok_or_else(|| {
            Error::io(
                label,
                "the file changed while it was read (its size or time changed); check it again once it is written",
            )
        }),
    }
}

/// Reads a file if it is a regular file within the size limit; `None` when it changed (size or
/// modification time) between the start and the end of the read.
fn read_once(path: &Path, label: &str) -> Result<Option<Vec<u8>>, Error> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Error::io(label, format!("cannot read: {e}"));
    // Looked at before it is opened: opening a FIFO would wait for a writer forever.
    let before = std::fs::metadata(path).map_err(cannot)?;
    if !before.is_file() {
        return Err(Error::io(
            label,
            "not a regular file (a FIFO, socket or device): not read",
        ));
    }
    let len = before.len();
    let max = callcap::error::MAX_FILE_BYTES;
    if len > max as u64 {
        return Err(Error::file(
            label,
            format!("the file is {len} bytes; at most {max} bytes are accepted"),
        ));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::with_capacity(len as usize);
    // read one byte past the limit, in case the file grew since it was measured
    (&file)
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() > max {
        return Err(Error::file(
            label,
            format!("the file is over {max} bytes; at most {max} bytes are accepted"),
        ));
    }
    let after = file.metadata().map_err(cannot)?;
    let unchanged = after.len() == len
        && bytes.len() as u64 == len
        && after.modified().ok() == before.modified().ok();
    Ok(unchanged.then_some(bytes))
}

/// Reads a tariff file.
pub fn read_tariff(path: &Path, label: &str) -> Result<Tariff, Error> {
    Tariff::from_bytes(label, &read_limited(path, label)?)
}

/// The largest spreadsheet read: CSV is streamed (a 100,000-row table is about 8 MB), an
/// XLSX sheet is read whole into memory (`callcap::sheet::xlsx`).
const MAX_SHEET_BYTES: u64 = 1 << 30;
const MAX_XLSX_BYTES: u64 = 64 << 20;

/// Opens a spreadsheet (`.csv` streamed, `.xlsx` read whole), refusing one too large.
fn read_sheet(path: &Path, label: &str) -> Result<callcap::sheet::Sheet<'static>, Error> {
    let cannot = |e: std::io::Error| Error::io(label, format!("cannot read: {e}"));
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if !meta.is_file() {
        return Err(Error::io(
            label,
            "not a regular file (a FIFO, socket or device): not read",
        ));
    }
    let xlsx = label.to_ascii_lowercase().ends_with(".xlsx");
    let max = if xlsx {
        MAX_XLSX_BYTES
    } else {
        MAX_SHEET_BYTES
    };
    if meta.len() > max {
        return Err(Error::file(
            label,
            format!(
                "the file is {} bytes; at most {max} bytes are accepted",
                meta.len()
            ),
        ));
    }
    let file = std::fs::File::open(path).map_err(cannot)?;
    if xlsx {
        use std::io::Read;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        (&file)
            .take(max + 1)
            .read_to_end(&mut bytes)
            .map_err(cannot)?;
        callcap::sheet::Sheet::from_xlsx(label, bytes)
    } else {
        use std::io::Read;
        Ok(callcap::sheet::Sheet::from_csv(
            label,
            std::io::BufReader::with_capacity(1 << 16, file.take(max + 1)),
        ))
    }
}

/// A facility id the directory cannot fill in from, as the flag that gave it.
fn fill_error(e: callcap::directory::FillError) -> Error {
    match e {
        callcap::directory::FillError::UnknownId(m) => Error::usage("--facility-id", m),
        callcap::directory::FillError::NoKind(m) => Error::usage(
            "--facility",
            format!("{m}: --facility prison or --facility jail"),
        ),
    }
}

/// Notes on standard error, for a tariff whose facility the directory filled in (`check`,
/// `compare`: their reports have no place for them): what it took and what it assumed.
fn say_what_the_directory_filled_in(t: &Tariff) {
    if t.facility.id.is_none() {
        return;
    }
    if let Ok(directory) = callcap::directory::Directory::bundled() {
        for note in directory.notes(&t.facility) {
            eprintln!(
                "callcap: note: {}: {}",
                callcap::error::escaped(&t.file),
                callcap::error::escaped(&note)
            );
        }
    }
}
