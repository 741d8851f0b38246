//! Printing reports as tables, JSON or CSV. Presentation only.

use callcap::report::{CapView, CapsReport, CheckReport, FileResult};
use callcap::{Confidence, Finding, Severity};
use clap::ValueEnum;
use serde::Serialize;

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
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("callcap: cannot write JSON: {e}"),
    }
}

/// A CSV field, quoted when it must be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv_row(fields: &[String]) {
    println!(
        "{}",
        fields
            .iter()
            .map(|f| csv_field(f))
            .collect::<Vec<_>>()
            .join(",")
    );
}

/// Rows of cells printed with aligned columns.
fn table(header: &[&str], rows: &[Vec<String>]) {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
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
        println!("  {}", out.trim_end());
    };
    line(header.to_vec());
    for row in rows {
        line(row.iter().map(String::as_str).collect());
    }
}

fn opt(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "—".into())
}

fn confidence(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// Prints `callcap caps`.
pub fn caps(r: &CapsReport, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => {
            csv_row(
                &[
                    "date",
                    "kind",
                    "average_daily_population",
                    "tier",
                    "service",
                    "jurisdiction",
                    "payment",
                    "per_minute",
                    "additive",
                    "additive_applies",
                    "regime",
                    "source",
                    "citation",
                    "confidence",
                    "effective",
                ]
                .map(String::from),
            );
            for c in &r.caps {
                csv_row(&[
                    r.date.to_string(),
                    r.facility.kind.to_string(),
                    r.facility.average_daily_population.to_string(),
                    opt(&r.facility.tier),
                    c.service.to_string(),
                    c.jurisdiction.to_string(),
                    c.payment.to_string(),
                    c.per_minute.clone().unwrap_or_default(),
                    c.additive.clone(),
                    c.additive_applies
                        .map(|a| format!("{a:?}").to_lowercase())
                        .unwrap_or_default(),
                    c.regime.clone().unwrap_or_default(),
                    c.source.clone(),
                    c.citation.clone(),
                    confidence(c.confidence).into(),
                    c.effective.to_string(),
                ]);
            }
        }
        Format::Table => caps_table(r),
    }
}

/// Cap lines that differ only by payment, shown as one row.
fn grouped_caps(caps: &[CapView]) -> Vec<(String, &CapView)> {
    let mut rows: Vec<(Vec<String>, &CapView)> = Vec::new();
    for c in caps {
        match rows.iter_mut().find(|(_, g)| {
            g.service == c.service
                && g.jurisdiction == c.jurisdiction
                && g.per_minute == c.per_minute
                && g.additive == c.additive
                && g.source == c.source
                && g.citation == c.citation
        }) {
            Some((payments, _)) => payments.push(c.payment.to_string()),
            None => rows.push((vec![c.payment.to_string()], c)),
        }
    }
    rows.into_iter()
        .map(|(p, c)| {
            (
                if p.len() == 3 {
                    "all".into()
                } else {
                    p.join("/")
                },
                c,
            )
        })
        .collect()
}

fn caps_table(r: &CapsReport) {
    println!("Rules in force on {}", r.date);
    match &r.regime {
        Some(g) => println!(
            "Regime: {} ({}, {}; since {})",
            g.name, g.source, g.citation, g.effective
        ),
        None => println!("Regime: none — no federal (FCC) cap applied on this date"),
    }
    println!(
        "Facility: {} with an average daily population of {}{}",
        r.facility.kind,
        r.facility.average_daily_population,
        r.facility
            .tier_name
            .as_ref()
            .map(|t| format!(" → tier: {t}"))
            .unwrap_or_default()
    );
    if !r.caps.is_empty() {
        println!("\nPer-minute caps");
        let rows: Vec<Vec<String>> = grouped_caps(&r.caps)
            .into_iter()
            .map(|(payments, c)| {
                let additive = match (&c.per_minute, c.additive_applies) {
                    (Some(_), Some(_)) if c.additive != "0.00" => {
                        let kind = if format!("{:?}", c.additive_applies).contains("SiteCommission")
                        {
                            " (site commission paid, up to)"
                        } else {
                            ""
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
                    confidence(c.confidence).into(),
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
    println!(
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
    println!("\nAncillary fees");
    let fee_rows: Vec<Vec<String>> = r
        .ancillary_fees
        .iter()
        .map(|f| {
            let rule = if !f.regulated {
                "no federal rule".to_string()
            } else if !f.allowed {
                "not allowed".to_string()
            } else {
                match (&f.limit, f.pass_through) {
                    (Some(l), true) => format!("up to ${l}, pass-through only"),
                    (Some(l), false) => format!("up to ${l}"),
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
    table(&["fee", "rule", "source"], &fee_rows);
    if !r.call_charges.is_empty() {
        println!("\nPer-call and first-minute charges");
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
        println!(
            "\nNever in force: {} ({}) — would have set {} for {}; {}",
            n.name,
            n.provenance.source,
            caps.join(" / "),
            n.tier.clone().unwrap_or_else(|| "this facility".into()),
            n.provenance.note.clone().unwrap_or_default()
        );
    }
    let uncertain: Vec<&CapView> = r
        .caps
        .iter()
        .filter(|c| c.confidence != Confidence::High)
        .collect();
    if !uncertain.is_empty() {
        println!("\nNote: some values are not confirmed in rule text (confidence column); see rates/ for the doubts.");
    }
    for n in &r.notes {
        println!("Note: {n}");
    }
}

/// Prints `callcap check`.
pub fn check(r: &CheckReport, format: Format) {
    match format {
        Format::Json => json(r),
        Format::Csv => {
            csv_row(
                &[
                    "date",
                    "file",
                    "compliant",
                    "rule",
                    "severity",
                    "actual",
                    "limit",
                    "calls",
                    "line",
                    "message",
                    "source",
                    "citation",
                    "confidence",
                    "effective",
                    "error",
                ]
                .map(String::from),
            );
            for res in &r.results {
                match res {
                    FileResult::Checked(c) if c.findings.is_empty() => csv_row(&[
                        r.date.to_string(),
                        c.file.clone(),
                        c.compliant.to_string(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]),
                    FileResult::Checked(c) => {
                        for f in &c.findings {
                            csv_row(&finding_row(r, &c.file, c.compliant, f));
                        }
                    }
                    FileResult::Failed { file, error, .. } => csv_row(&[
                        r.date.to_string(),
                        file.clone(),
                        "false".into(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        error.clone(),
                    ]),
                }
            }
        }
        Format::Table => check_table(r),
    }
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Violation => "violation",
        Severity::Warning => "warning",
        Severity::Info => "info",
    }
}

fn finding_row(r: &CheckReport, file: &str, compliant: bool, f: &Finding) -> Vec<String> {
    vec![
        r.date.to_string(),
        file.to_string(),
        compliant.to_string(),
        f.rule.as_str().into(),
        severity(f.severity).into(),
        f.actual.clone().unwrap_or_default(),
        f.limit.clone().unwrap_or_default(),
        f.calls.clone().unwrap_or_default(),
        f.line.map(|l| l.to_string()).unwrap_or_default(),
        f.message.clone(),
        f.source.clone().unwrap_or_default(),
        f.citation.clone().unwrap_or_default(),
        f.confidence
            .map(|c| confidence(c).to_string())
            .unwrap_or_default(),
        f.effective.map(|d| d.to_string()).unwrap_or_default(),
        String::new(),
    ]
}

fn check_table(r: &CheckReport) {
    println!("Checked against the rules in force on {}", r.date);
    let (mut ok, mut bad, mut failed) = (0, 0, 0);
    for res in &r.results {
        match res {
            FileResult::Failed { file, error, .. } => {
                failed += 1;
                println!(
                    "\n{file}: NOT CHECKED\n  error: {}",
                    error
                        .strip_prefix(&format!("{file}:"))
                        .unwrap_or(error)
                        .trim_start()
                );
            }
            FileResult::Checked(c) => {
                let count = |s| c.findings.iter().filter(|f| f.severity == s).count();
                let (v, w, i) = (
                    count(Severity::Violation),
                    count(Severity::Warning),
                    count(Severity::Info),
                );
                if c.compliant {
                    ok += 1
                } else {
                    bad += 1
                }
                println!(
                    "\n{}: {} ({v} violation{}, {w} warning{}, {i} info)",
                    c.file,
                    if c.compliant {
                        "compliant"
                    } else {
                        "NOT COMPLIANT"
                    },
                    if v == 1 { "" } else { "s" },
                    if w == 1 { "" } else { "s" },
                );
                for f in &c.findings {
                    let at = f.line.map(|l| format!(" line {l}")).unwrap_or_default();
                    let calls = f
                        .calls
                        .as_ref()
                        .map(|c| format!(" [{c}]"))
                        .unwrap_or_default();
                    println!(
                        "  {:<9} {}{at}{calls}: {}",
                        severity(f.severity),
                        f.rule.as_str(),
                        f.message
                    );
                    if let Some(src) = &f.source {
                        let conf = match f.confidence {
                            Some(Confidence::High) | None => String::new(),
                            Some(c) => format!("; {} confidence", confidence(c)),
                        };
                        println!("            {src} · {}{conf}", opt(&f.citation));
                    }
                }
            }
        }
    }
    println!(
        "\n{} file{} checked: {ok} compliant, {bad} not compliant, {failed} unreadable",
        r.results.len(),
        if r.results.len() == 1 { "" } else { "s" }
    );
}
