//! Printing reports as tables, JSON or CSV. Presentation only.

use callcap::ratebook::Applies;
use callcap::report::{csv_header, CapRow, CapView, CapsReport, CheckRow, FileResult};
use callcap::{Confidence, Finding, Severity, Versions};
use clap::ValueEnum;
use serde::Serialize;
use std::io::Write;

/// Prints a line to standard output. A closed pipe (`callcap ... | head`) ends the program
/// quietly instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            exit_on_write_error(e);
        }
    }};
}

/// The exit code when standard output is closed while a result is printed: the result's own
/// verdict (set by [`closed_pipe_exits_with`] before printing), so `callcap estimate ... | head
/// -1` still says whether the tariff violates a rule.
static ON_CLOSED_PIPE: std::sync::atomic::AtomicI32 = std::sync::atomic::AtomicI32::new(0);

/// Sets the exit code for a closed pipe while the result now computed is printed.
pub fn closed_pipe_exits_with(code: i32) {
    ON_CLOSED_PIPE.store(code, std::sync::atomic::Ordering::Relaxed);
}

/// Ends the program after stdout failed: quietly, with the result's verdict, for a closed pipe;
/// with a message otherwise.
fn exit_on_write_error(e: std::io::Error) -> ! {
    if e.kind() != std::io::ErrorKind::BrokenPipe {
        eprintln!("callcap: cannot write to standard output: {e}");
        std::process::exit(super::EXIT_BAD_INPUT);
    }
    std::process::exit(ON_CLOSED_PIPE.load(std::sync::atomic::Ordering::Relaxed))
}

/// How to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Aligned text for people.
    Table,
    /// The JSON contract in the README.
    Json,
    /// One row per cap or finding, for spreadsheets.
    Csv,
}

fn json<T: Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(s) => out!("{s}"),
        Err(e) => eprintln!("callcap: cannot write JSON: {e}"),
    }
}

/// Prints CSV with the csv crate: `header`, then one line per row.
fn csv_out<R: Serialize>(header: &[&str], rows: &[R]) {
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(std::io::stdout().lock());
    let written = w
        .write_record(header)
        .and_then(|()| rows.iter().try_for_each(|row| w.serialize(row)))
        .and_then(|()| Ok(w.flush()?));
    if let Err(e) = written {
        if !e.is_io_error() {
            eprintln!("callcap: cannot write CSV: {e}");
            std::process::exit(super::EXIT_BAD_INPUT);
        }
        if let csv::ErrorKind::Io(e) = e.into_kind() {
            exit_on_write_error(e);
        }
    }
}

/// Text from input files (names, paths, the rate book's words) as tables and lines show it:
/// control and invisible characters escaped, so that a value cannot print a line of its own.
fn e(text: &str) -> std::borrow::Cow<'_, str> {
    callcap::error::escaped(text)
}

/// Rows of cells printed with aligned columns; every cell escaped ([`e`]).
fn table(header: &[&str], rows: &[Vec<String>]) {
    let header: Vec<String> = header.iter().map(|h| e(h).into_owned()).collect();
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| e(c).into_owned()).collect())
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in &rows {
        for (i, cell) in row.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut out = String::new();
        for (i, c) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                out.push_str(c);
            } else {
                out.push_str(&format!("{c:<w$}  ", w = widths[i]));
            }
        }
        out!("  {}", out.trim_end());
    };
    line(header.iter().map(String::as_str).collect());
    for row in &rows {
        line(row.iter().map(String::as_str).collect());
    }
}

/// Whether an amount the core wrote (an additive above a cap, `"0.00"` when none) adds
/// anything: read as the decimal it is, not compared with one way of writing zero.
fn adds(amount: &str) -> bool {
    amount
        .parse::<rust_decimal::Decimal>()
        .is_ok_and(|d| !d.is_zero())
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

/// Prints `callcap caps`.
pub fn caps(r: &CapsReport, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => csv_out(&csv_header(&CapRow::blank()), &r.csv_rows()),
        Format::Table => {
            caps_table(r, None);
            out!("{}", produced_by(&r.version));
        }
    }
}

/// `caps` with its facility line given (a facility of the directory) or as the report has it.
fn caps_table(r: &CapsReport, facility_line: Option<&str>) {
    out!("Rules in force on {}", r.date);
    match &r.regime {
        Some(g) => out!(
            "Regime: {} ({}, {}; since {})",
            e(&g.name),
            e(&g.source),
            e(&g.citation),
            g.effective
        ),
        None => out!("Regime: none — no federal (FCC) cap applied on this date"),
    }
    match facility_line {
        Some(line) => out!("{}", e(line)),
        None => out!(
            "Facility: {} with an average daily population of {}{}",
            r.facility.kind,
            r.facility.average_daily_population,
            r.facility
                .tier_name
                .as_ref()
                .map(|t| format!(" → tier: {t}"))
                .unwrap_or_default()
        ),
    }
    if !r.caps.is_empty() {
        out!("\nPer-minute caps");
        let rows: Vec<Vec<String>> = r
            .cap_groups
            .iter()
            .filter_map(|g| Some((g, r.caps.get(g.cap)?)))
            .map(|(g, c)| {
                let payments = if g.all_payments {
                    "all".to_string()
                } else {
                    g.payments
                        .iter()
                        .map(|p| p.as_str())
                        .collect::<Vec<_>>()
                        .join("/")
                };
                let additive = match (&c.per_minute, c.additive_applies) {
                    (Some(_), Some(applies)) if adds(&c.additive) => {
                        let kind = match applies {
                            Applies::SiteCommission => " (site commission paid, up to)",
                            Applies::Always => "",
                        };
                        format!("+{}{kind}", c.additive)
                    }
                    _ => String::new(),
                };
                let cap = match &c.per_minute {
                    Some(p) if c.plus_termination_cost => format!("${p} + termination"),
                    Some(p) => format!("${p}"),
                    None => "no federal cap".into(),
                };
                vec![
                    c.service.to_string(),
                    c.jurisdiction.to_string(),
                    payments,
                    cap,
                    additive,
                    format!("{} · {}", c.source, c.citation),
                    c.confidence.as_str().into(),
                ]
            })
            .collect();
        table(
            &[
                "service",
                "jurisdiction",
                "payment",
                "cap/min",
                "additive",
                "source",
                "confidence",
            ],
            &rows,
        );
    }
    out!(
        "\nSite commissions: {}",
        match (&r.site_commissions.regulated, r.site_commissions.allowed) {
            (false, _) => "no federal rule".to_string(),
            (true, false) => "not allowed".to_string(),
            (true, true) => match &r.site_commissions.limit_per_minute {
                Some(l) => format!(
                    "allowed; up to ${l}/min recoverable through rates (contractual){}",
                    r.site_commissions
                        .legally_mandated_max_total
                        .as_ref()
                        .map(|t| format!(", legally mandated in full up to a ${t}/min total"))
                        .unwrap_or_default()
                ),
                None => "allowed; included in the cap".to_string(),
            },
        } + &r
            .site_commissions
            .source
            .as_ref()
            .map(|s| format!("  [{s} · {}]", opt(&r.site_commissions.citation)))
            .unwrap_or_default()
    );
    out!("\nAncillary fees");
    let fee_rows: Vec<Vec<String>> = r
        .ancillary_fees
        .iter()
        .map(|f| {
            let rule = if !f.regulated {
                "no federal rule".to_string()
            } else if !f.allowed {
                "not allowed".to_string()
            } else {
                let limit = match (&f.limit_automated_payment, &f.limit_live_agent, &f.limit) {
                    (Some(a), Some(l), _) => Some(format!("${a} automated, ${l} live agent")),
                    (_, _, Some(l)) => Some(format!("${l}")),
                    _ => None,
                };
                match (limit, f.pass_through) {
                    (Some(l), true) => format!("up to {l}, pass-through only"),
                    (Some(l), false) => format!("up to {l}"),
                    (None, true) => "third party's charge only, no markup".into(),
                    (None, false) => "allowed".into(),
                }
            };
            vec![
                f.kind.to_string(),
                rule,
                f.source
                    .as_ref()
                    .map(|s| format!("{s} · {}", opt(&f.citation)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    let mut fee_rows = fee_rows;
    fee_rows.push(match &r.taxes {
        Some(t) => {
            let calls = if t.jurisdictions.len() == callcap::Jurisdiction::CAPPED.len() {
                String::new()
            } else {
                let names: Vec<&str> = t.jurisdictions.iter().map(|j| j.as_str()).collect();
                format!(" ({} calls)", names.join(" and "))
            };
            vec![
                "taxes passed through".into(),
                format!(
                    "only taxes and fees a government requires or authorizes, no markup{calls}"
                ),
                format!("{} · {}", t.provenance.source, t.provenance.citation),
            ]
        }
        None => vec![
            "taxes passed through".into(),
            "no federal rule".into(),
            String::new(),
        ],
    });
    table(&["fee", "rule", "source"], &fee_rows);
    if !r.call_charges.is_empty() {
        out!("\nPer-call and first-minute charges");
        let mut rows: Vec<Vec<String>> = Vec::new();
        for c in &r.call_charges {
            let rule = match c.per_call {
                callcap::ratebook::PerCallRule::Prohibited => "prohibited".to_string(),
                callcap::ratebook::PerCallRule::NotRegulated => "no federal rule".to_string(),
                callcap::ratebook::PerCallRule::FifteenMinuteEquivalence => format!(
                    "allowed if a {}-minute call costs no more than {} minutes at the cap",
                    c.equivalence_minutes.unwrap_or_default(),
                    c.equivalence_minutes.unwrap_or_default()
                ),
            };
            let increment = c
                .max_billing_increment_seconds
                .map(|s| format!("≤ {s} s"))
                .unwrap_or_default();
            rows.push(vec![
                c.service.to_string(),
                c.jurisdiction.to_string(),
                rule,
                increment,
                format!("{} · {}", c.source, c.citation),
            ]);
        }
        table(
            &[
                "service",
                "jurisdiction",
                "per-call / first-minute",
                "billing increment",
                "source",
            ],
            &rows,
        );
    }
    for n in &r.never_effective {
        let caps: Vec<String> = n
            .caps
            .iter()
            .map(|c| format!("${}", callcap::money::display(c.per_minute)))
            .collect();
        out!(
            "\nNever in force: {} ({}) — would have set {} for {}; {}",
            e(&n.name),
            e(&n.provenance.source),
            caps.join(" / "),
            e(n.tier.as_deref().unwrap_or("this facility")),
            e(n.provenance.note.as_deref().unwrap_or_default())
        );
    }
    let uncertain: Vec<&CapView> = r
        .caps
        .iter()
        .filter(|c| c.confidence != Confidence::High)
        .collect();
    if !uncertain.is_empty() {
        out!("\nNote: some values are not confirmed in rule text (confidence column); see rates/ for the doubts.");
    }
    match (&r.state, r.state_covered) {
        (None, _) => out!(
            "\nState and local rules: not looked up (give --state, and --operator and --county-fips)"
        ),
        (Some(s), false) => out!(
            "\nState and local rules: callcap has none for {} yet (not researched): only the FCC's rules are shown",
            e(s)
        ),
        (Some(s), true) if r.state_rules.is_empty() => {
            out!("\nState and local rules ({}): none in force on this date", e(s))
        }
        (Some(s), true) => {
            out!("\nState and local rules ({})", e(s));
            let rows: Vec<Vec<String>> = r
                .state_rules
                .iter()
                .map(|v| {
                    let p = &v.rule.provenance;
                    let applies = match &v.may_apply_because {
                        None => "applies".to_string(),
                        Some(why) => format!("may apply: {why}"),
                    };
                    let confidence = if p.confidence == callcap::Confidence::High {
                        String::new()
                    } else {
                        format!("; {} confidence", p.confidence)
                    };
                    vec![
                        p.locality.clone().unwrap_or_else(|| p.level.to_string()),
                        v.summary.clone(),
                        applies,
                        format!("{} · {} · {}{confidence}", p.source, p.citation, p.link),
                    ]
                })
                .collect();
            table(&["level", "rule", "applies", "source"], &rows);
        }
    }
    for n in &r.notes {
        out!("Note: {}", e(n));
    }
}

/// One file's result, rendered for output on a worker thread (so formatting, like checking,
/// uses every core) and written in input order by [`CheckWriter`].
pub struct Rendered {
    bytes: Vec<u8>,
    /// Whether the file was compliant (none: it could not be read).
    pub compliant: Option<bool>,
    /// Whether any finding is a violation.
    pub violated: bool,
    /// The error, when the file could not be read.
    pub error: Option<String>,
}

/// Renders one file's result in `format` for the run's date.
pub fn render(
    format: Format,
    date: chrono::NaiveDate,
    version: &Versions,
    res: &FileResult,
) -> Rendered {
    let mut bytes = Vec::with_capacity(2048);
    let (compliant, violated, error) = match res {
        FileResult::Checked(c) => (Some(c.compliant), c.counts.violations > 0, None),
        FileResult::Failed { error, .. } => (None, false, Some(error.clone())),
    };
    match format {
        Format::Json => {
            // the result as it stands inside the report's "results" array: indented 4 spaces
            let mut text = Vec::with_capacity(2048);
            if serde_json::to_writer_pretty(&mut text, res).is_ok() {
                bytes.extend_from_slice(b"    ");
                for &b in &text {
                    bytes.push(b);
                    if b == b'\n' {
                        bytes.extend_from_slice(b"    ");
                    }
                }
            }
        }
        Format::Csv => {
            // A small buffer: it only batches writes into `bytes` (the csv crate's default, 8
            // KB, zeroed for every file, was a fifth of the CSV's cost in a bulk check).
            let mut w = csv::WriterBuilder::new()
                .has_headers(false)
                .buffer_capacity(512)
                .from_writer(&mut bytes);
            let written = res
                .csv_rows(date, version)
                .iter()
                .try_for_each(|row| w.serialize(row))
                .and_then(|()| Ok(w.flush()?));
            if let Err(e) = written {
                eprintln!("callcap: cannot write CSV: {e}");
            }
        }
        Format::Table => {
            let _ = match res {
                FileResult::Failed { file, error, .. } => writeln!(
                    bytes,
                    "\n{}: NOT CHECKED\n  error: {}",
                    e(file),
                    e(error
                        .strip_prefix(&format!("{}:", e(file)))
                        .unwrap_or(error)
                        .trim_start())
                ),
                FileResult::Checked(c) => {
                    let (v, w, i) = (c.counts.violations, c.counts.warnings, c.counts.infos);
                    writeln!(
                        bytes,
                        "\n{}: {} ({v} violation{}, {w} warning{}, {i} info)",
                        e(&c.file),
                        if c.compliant {
                            "compliant"
                        } else {
                            "NOT COMPLIANT"
                        },
                        if v == 1 { "" } else { "s" },
                        if w == 1 { "" } else { "s" },
                    )
                    .and_then(|()| write_findings(&mut bytes, &c.findings))
                }
            };
        }
    }
    Rendered {
        bytes,
        compliant,
        violated,
        error,
    }
}

/// Writes rendered results in input order, between the report's header and its end.
pub struct CheckWriter {
    out: std::io::BufWriter<std::io::Stdout>,
    format: Format,
    version: Versions,
    written: usize,
    compliant: usize,
    not_compliant: usize,
    unreadable: usize,
}

impl CheckWriter {
    /// Starts the output.
    pub fn new(
        format: Format,
        date: chrono::NaiveDate,
        version: Versions,
    ) -> std::io::Result<Self> {
        let mut w = CheckWriter {
            out: std::io::BufWriter::with_capacity(1 << 16, std::io::stdout()),
            format,
            version,
            written: 0,
            compliant: 0,
            not_compliant: 0,
            unreadable: 0,
        };
        match format {
            Format::Json => {
                let version = serde_json::to_string(&w.version).map_err(std::io::Error::other)?;
                write!(
                    w.out,
                    "{{\n  \"version\": {version},\n  \"date\": \"{date}\",\n  \"results\": ["
                )?
            }
            Format::Csv => {
                let mut header = csv::Writer::from_writer(&mut w.out);
                header.write_record(csv_header(&CheckRow::default()))?;
                header.flush()?;
            }
            Format::Table => writeln!(w.out, "Checked against the rules in force on {date}")?,
        }
        Ok(w)
    }

    /// Writes one file's rendered result.
    pub fn result(&mut self, r: &Rendered) -> std::io::Result<()> {
        match r.compliant {
            Some(true) => self.compliant += 1,
            Some(false) => self.not_compliant += 1,
            None => self.unreadable += 1,
        }
        if self.format == Format::Json {
            self.out
                .write_all(if self.written == 0 { b"\n" } else { b",\n" })?;
        }
        self.written += 1;
        self.out.write_all(&r.bytes)
    }

    /// Ends the output.
    pub fn finish(mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => write!(
                self.out,
                "{}]\n}}\n",
                if self.written == 0 { "" } else { "\n  " }
            )?,
            Format::Csv => {}
            Format::Table => {
                writeln!(
                    self.out,
                    "\n{} file{} checked: {} compliant, {} not compliant, {} unreadable",
                    self.written,
                    if self.written == 1 { "" } else { "s" },
                    self.compliant,
                    self.not_compliant,
                    self.unreadable
                )?;
                writeln!(self.out, "{}", produced_by(&self.version))?
            }
        }
        self.out.flush()
    }
}

/// The footer of every table: what produced it.
fn produced_by(v: &Versions) -> String {
    format!("\ncallcap {}, rate book edition {}", v.callcap, v.rates)
}

/// Findings as indented lines, each with its source and citation.
fn write_findings(out: &mut impl Write, findings: &[Finding]) -> std::io::Result<()> {
    for f in findings {
        let at = f.line.map(|l| format!(" line {l}")).unwrap_or_default();
        let calls = f
            .calls
            .as_ref()
            .map(|c| format!(" [{c}]"))
            .unwrap_or_default();
        writeln!(
            out,
            "  {:<9} {}{at}{calls}: {}",
            f.severity.as_str(),
            f.rule.as_str(),
            e(&f.message)
        )?;
        if let Some(src) = &f.source {
            let conf = match f.confidence {
                Some(Confidence::High) | None => String::new(),
                Some(c) => format!("; {} confidence", c.as_str()),
            };
            writeln!(
                out,
                "            {} · {}{conf}",
                e(src),
                e(f.citation.as_deref().unwrap_or("—"))
            )?;
        }
    }
    Ok(())
}

fn money(d: rust_decimal::Decimal) -> String {
    format!("${}", callcap::money::display_grouped(d))
}

fn findings_table(findings: &[Finding]) {
    if let Err(e) = write_findings(&mut std::io::stdout().lock(), findings) {
        exit_on_write_error(e);
    }
}

/// Prints `callcap estimate`.
pub fn estimate(e: &callcap::estimate::Estimate, format: Format) {
    match format {
        Format::Json => json(e),
        Format::Csv => {
            let row = e.csv_row();
            csv_out(&csv_header(&row), std::slice::from_ref(&row));
        }
        Format::Table => {
            estimate_table(e, true);
        }
    }
}

/// The table of an estimate, and its footer if `footer`.
fn estimate_table(e: &callcap::estimate::Estimate, footer: bool) {
    {
        {
            let m = &e.month;
            out!(
                "A family's month under the rules in force on {}: {} calls",
                e.date,
                e.call
            );
            out!(
                "  {} calls × {} minutes = {} minutes talked ({} billed)",
                m.calls,
                m.minutes_per_call,
                m.minutes,
                callcap::money::display(m.minutes_billed).trim_end_matches(".00")
            );
            let mut rows = vec![
                vec!["One call".to_string(), money(e.per_call.charge)],
                vec![
                    format!("Call charges ({} × {})", m.calls, money(e.per_call.charge)),
                    money(m.call_charges),
                ],
            ];
            for f in &m.fee_items {
                rows.push(vec![
                    format!("{} fee ({} × {})", f.kind, f.uses, money(f.per_use)),
                    money(f.total),
                ]);
            }
            rows.push(vec!["Taxes and regulatory fees".into(), money(m.taxes)]);
            rows.push(vec!["Total".into(), money(m.total)]);
            rows.push(vec![
                "Effective price per minute talked".into(),
                money(e.effective_per_minute),
            ]);
            match &e.at_cap {
                Some(a) => {
                    rows.push(vec![
                        format!(
                            "Legal maximum for the same month ({}/min)",
                            money(a.per_minute)
                        ),
                        money(a.month.total),
                    ]);
                    rows.push(vec![
                        "Overcharge".into(),
                        money(e.overcharge.unwrap_or_default()),
                    ]);
                }
                None => rows.push(vec![
                    "Legal maximum".into(),
                    "no federal cap covered these calls".into(),
                ]),
            }
            rows.push(vec![
                "Of the call charges, paid to the facility as site commission".into(),
                money(e.commission_share),
            ]);
            if m.deposits > 0 {
                out!(
                    "  {} deposit{} of {}",
                    m.deposits,
                    if m.deposits == 1 { "" } else { "s" },
                    money(m.deposit_amount)
                );
            }
            out!();
            table(&["", "amount"], &rows);
            if !e.findings.is_empty() {
                out!("\nFindings");
                findings_table(&e.findings);
            }
            for n in &e.notes {
                out!("Note: {}", self::e(n));
            }
            if footer {
                out!("{}", produced_by(&e.version));
            }
        }
    }
}

/// Prints `callcap compare`.
pub fn compare(c: &callcap::compare::Comparison, format: Format) {
    match format {
        Format::Json => json(c),
        Format::Csv => {
            let rows = c.csv_rows();
            csv_out(&rows.first().map(csv_header).unwrap_or_default(), &rows);
        }
        Format::Table => {
            out!(
                "Bids compared on {} (demand: {})",
                c.date,
                e(&c.demand.file)
            );
            let mut header = vec![""];
            header.extend(c.bids.iter().map(|b| b.name.as_str()));
            let row = |label: &str, f: &dyn Fn(&callcap::compare::BidResult) -> String| {
                let mut r = vec![label.to_string()];
                r.extend(c.bids.iter().map(f));
                r
            };
            let mut rows = vec![
                row("Facility ADP", &|b| b.average_daily_population.to_string()),
                row("Term", &|b| format!("{} to {}", b.start, b.end)),
                row("Prices all the demand", &|b| {
                    if b.prices_all_demand {
                        "yes".into()
                    } else {
                        let calls: Vec<String> =
                            b.unpriced_calls.iter().map(|c| c.to_string()).collect();
                        format!("NO: no rate for {}", calls.join(", "))
                    }
                }),
                row("Rank by family cost", &|b| match b.rank {
                    Some(r) => r.to_string(),
                    None => "not ranked (prices part of the demand)".into(),
                }),
                row("Families pay a year", &|b| {
                    let cost = money(b.annual_family_cost);
                    if b.prices_all_demand {
                        cost
                    } else {
                        format!("{cost} (part of the demand only)")
                    }
                }),
                row("  calls", &|b| money(b.annual_call_charges)),
                row("  deposit fees", &|b| money(b.annual_fees)),
                row("  taxes", &|b| money(b.annual_taxes)),
                row("The agency pays a year (free calls, its share)", &|b| {
                    money(b.annual_agency_cost)
                }),
                row("Facility receives a year", &|b| money(b.annual_commission)),
            ];
            for j in [
                callcap::Jurisdiction::Local,
                callcap::Jurisdiction::Intrastate,
                callcap::Jurisdiction::Interstate,
                callcap::Jurisdiction::International,
            ] {
                rows.push(row(&format!("15-minute {j} call"), &|b| {
                    b.family_cost_per_15_min_call
                        .get(&j)
                        .cloned()
                        .flatten()
                        .map(|p| format!("${p}"))
                        .unwrap_or_else(|| "—".into())
                }));
            }
            rows.push(row("Effective price per minute", &|b| {
                money(b.effective_per_minute)
            }));
            rows.push(row(&format!("Compliant on {}", c.date), &|b| {
                verdict(&b.compliance[0])
            }));
            let later: std::collections::BTreeSet<chrono::NaiveDate> = c
                .bids
                .iter()
                .flat_map(|b| b.compliance.iter().skip(1).map(|d| d.date))
                .collect();
            for d in later {
                rows.push(row(&format!("Compliant on {d}"), &|b| {
                    b.compliance
                        .iter()
                        .find(|x| x.date == d)
                        .map(verdict)
                        .unwrap_or_else(|| "—".into())
                }));
            }
            table(&header, &rows);
            for b in &c.bids {
                let bad: Vec<&callcap::compare::DatedCompliance> =
                    b.compliance.iter().filter(|d| !d.compliant).collect();
                if let Some(first) = bad.first() {
                    out!(
                        "\n{} — violations on {} ({})",
                        e(&b.name),
                        first.date,
                        e(first.regime.as_deref().unwrap_or_default())
                    );
                    let v: Vec<Finding> = first
                        .findings
                        .iter()
                        .filter(|f| f.severity == Severity::Violation)
                        .cloned()
                        .collect();
                    findings_table(&v);
                }
                for n in &b.notes {
                    out!("Note ({}): {}", e(&b.name), e(n));
                }
            }
            out!("{}", produced_by(&c.version));
        }
    }
}

fn verdict(d: &callcap::compare::DatedCompliance) -> String {
    if d.compliant {
        "yes".into()
    } else {
        format!(
            "no ({} violation{})",
            d.violations,
            if d.violations == 1 { "" } else { "s" }
        )
    }
}

/// "Facility: NAME (directory ID; CITY, ST): jail, …": a facility of the directory, with what
/// was assumed about its size.
fn directory_facility_line(
    entry: Option<&callcap::directory::Entry>,
    kind: callcap::FacilityKind,
    size: &callcap::sizing::SizeView,
    tier_name: Option<&str>,
) -> String {
    let who = entry.map_or_else(String::new, |d| {
        format!(" {} (directory {}; {}, {})", d.name, d.id, d.city, d.state)
    });
    let adp = size.average_daily_population;
    let how = match size.basis {
        "population_reported" => format!(
            "average daily population {adp} assumed (the population HIFLD reports{})",
            size.population_as_of
                .map(|d| format!(" for {}", chrono::Datelike::year(&d)))
                .unwrap_or_default()
        ),
        "unknown" => format!("size unknown: priced at an average daily population of {adp}"),
        _ => format!("average daily population {adp}"),
    };
    let tier = tier_name
        .map(|t| format!(" → tier: {t}"))
        .unwrap_or_default();
    format!("Facility:{who}: {kind}, {how}{tier}")
}

/// Prints `callcap caps --facility-id`.
pub fn facility_caps(r: &callcap::report::FacilityCaps, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => {
            // The CSV has the caps for the ADP used; what was assumed goes to stderr.
            for n in &r.report.notes {
                eprintln!("callcap: note: {}", e(n));
            }
            csv_out(&csv_header(&CapRow::blank()), &r.report.csv_rows())
        }
        Format::Table => {
            let line = directory_facility_line(
                r.facility_directory,
                r.report.facility.kind,
                &r.size,
                r.report.facility.tier_name.as_deref(),
            );
            caps_table(&r.report, Some(&line));
            if !r.tiers_possible.is_empty() {
                out!("\nEvery tier it could be in (per-minute cap, + what may be added)");
                let mut header = vec!["service", "jurisdiction", "payment"];
                header.extend(r.tiers_possible.iter().map(|t| t.tier_name.as_str()));
                // Lines that differ only by payment, with the same caps in every tier, as one.
                let mut rows: Vec<Vec<String>> = Vec::new();
                let lines = r.tiers_possible[0].caps.len();
                for i in 0..lines {
                    let c = &r.tiers_possible[0].caps[i];
                    let cells: Vec<String> = r
                        .tiers_possible
                        .iter()
                        .map(|t| match t.caps.get(i) {
                            Some(l) => {
                                let plus = if l.plus_termination_cost {
                                    " + termination"
                                } else {
                                    ""
                                };
                                match &l.per_minute {
                                    Some(p) if adds(&l.additive) => {
                                        format!("${p}{plus} +{}", l.additive)
                                    }
                                    Some(p) => format!("${p}{plus}"),
                                    None => "no federal cap".into(),
                                }
                            }
                            None => "—".into(),
                        })
                        .collect();
                    let same = rows.iter_mut().find(|row| {
                        row[0] == c.service.as_str()
                            && row[1] == c.jurisdiction.as_str()
                            && row[3..] == cells[..]
                    });
                    match same {
                        Some(row) => row[2] = format!("{}/{}", row[2], c.payment),
                        None => {
                            let mut row = vec![
                                c.service.to_string(),
                                c.jurisdiction.to_string(),
                                c.payment.to_string(),
                            ];
                            row.extend(cells);
                            rows.push(row);
                        }
                    }
                }
                for row in &mut rows {
                    if row[2] == "debit/prepaid/collect" {
                        row[2] = "all".into();
                    }
                }
                table(&header, &rows);
            }
            out!("{}", produced_by(&r.report.version));
        }
    }
}

/// Prints `callcap estimate` for a tariff whose facility has a directory id.
pub fn facility_estimate(r: &callcap::report::FacilityEstimate, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => {
            for n in &r.estimate.notes {
                eprintln!("callcap: note: {}", e(n));
            }
            estimate(&r.estimate, Format::Csv)
        }
        Format::Table => {
            let line = directory_facility_line(r.facility_directory, r.kind, &r.size, None);
            out!("{}", e(&line));
            estimate_table(&r.estimate, false);
            if !r.tiers_possible.is_empty() {
                out!("\nEvery tier it could be in");
                let rows: Vec<Vec<String>> = r
                    .tiers_possible
                    .iter()
                    .map(|t| {
                        let dollars = |v: &Option<String>| {
                            v.as_ref()
                                .map_or_else(|| "—".to_string(), |v| format!("${v}"))
                        };
                        vec![
                            t.tier_name.clone(),
                            dollars(&t.legal_max_per_minute),
                            dollars(&t.legal_maximum),
                            dollars(&t.overcharge),
                            if t.compliant {
                                "yes".into()
                            } else {
                                "no".into()
                            },
                        ]
                    })
                    .collect();
                table(
                    &[
                        "tier",
                        "legal max/min",
                        "legal maximum",
                        "overcharge",
                        "compliant",
                    ],
                    &rows,
                );
            }
            out!("{}", produced_by(&r.estimate.version));
        }
    }
}

/// Prints `callcap facilities`.
pub fn facilities(r: &callcap::report::FacilitiesReport, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => csv_out(callcap::report::FACILITY_CSV_HEADER, &r.csv_rows()),
        Format::Table => {
            let within = r
                .state
                .as_ref()
                .map(|s| format!(" in {s}"))
                .unwrap_or_default();
            if r.facilities.is_empty() {
                out!(
                    "No facility matches {}{within}",
                    callcap::error::quoted(&r.query)
                );
            } else {
                out!(
                    "Facilities matching {}{within}, best first",
                    callcap::error::quoted(&r.query)
                );
                let rows: Vec<Vec<String>> = r
                    .facilities
                    .iter()
                    .map(|f| {
                        let guess = |g: bool| if g { "?" } else { "" };
                        vec![
                            f.id.clone(),
                            f.name.clone(),
                            f.city.clone(),
                            f.state.clone(),
                            f.kind.map_or_else(
                                || "unknown".to_string(),
                                |k| format!("{k}{}", guess(f.kind_guessed)),
                            ),
                            f.operator.map_or_else(
                                || "—".to_string(),
                                |o| format!("{o}{}", guess(f.operator_guessed)),
                            ),
                            match (f.population, f.population_as_of) {
                                (Some(p), Some(d)) => {
                                    format!("{} ({})", group(p), chrono::Datelike::year(&d))
                                }
                                (Some(p), None) => group(p),
                                (None, _) => "unknown".into(),
                            },
                            f.status.to_string(),
                        ]
                    })
                    .collect();
                table(
                    &[
                        "id",
                        "name",
                        "city",
                        "state",
                        "kind",
                        "operator",
                        "population (year)",
                        "status",
                    ],
                    &rows,
                );
                if r.facilities
                    .iter()
                    .any(|f| f.kind_guessed || f.operator_guessed)
                {
                    out!("  ?: a guess (rates/facilities/README.md)");
                }
            }
            for n in &r.notes {
                out!("Note: {}", e(n));
            }
            out!(
                "\ncallcap {}, facility directory edition {}, {}",
                r.version.callcap,
                r.version.directory,
                r.version.source
            );
        }
    }
}

/// 3559 as "3,559".
fn group(n: u32) -> String {
    callcap::money::display_grouped(rust_decimal::Decimal::from(n))
        .trim_end_matches(".00")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::adds;

    #[test]
    fn an_additive_adds_when_it_is_not_zero_however_written() {
        assert!(adds("0.02") && adds("0.0001"));
        assert!(!adds("0.00") && !adds("0") && !adds("0.0000"));
        // Not an amount: nothing is shown as added.
        assert!(!adds("") && !adds("n/a"));
    }
}
