//! Compliance checks: a tariff against the rules in force on a date.
//!
//! A check returns findings, each with its rule, severity, the actual value and the limit, and
//! the source and CFR citation of the rule applied. Findings are results, not errors.

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::cost::call_charge;
use crate::facility::FacilityKind;
use crate::money::{display, display_grouped};
use crate::ratebook::{
    Applies, CapLine, Concept, Confidence, ExceptionStatus, PerCallRule, Provenance, RateBook,
    Rules, Severity,
};
use crate::tariff::{Commission, CommissionBasis, FeeKind, Rate, Tariff};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub use crate::vocab::RuleId;

/// One result of a check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The rule.
    pub rule: RuleId,
    /// Violation, warning or info.
    pub severity: Severity,
    /// What the tariff charges.
    pub actual: Option<String>,
    /// What the rule allows.
    pub limit: Option<String>,
    /// A sentence saying what was found.
    pub message: String,
    /// The kinds of call it concerns (none: the whole tariff).
    pub calls: Option<String>,
    /// The line of the tariff entry it concerns.
    pub line: Option<usize>,
    /// The source document (none before the first FCC rule).
    pub source: Option<Arc<str>>,
    /// The CFR citation.
    pub citation: Option<Arc<str>>,
    /// Where to read the source.
    pub link: Option<Arc<str>>,
    /// The day the rule applied took effect.
    pub effective: Option<NaiveDate>,
    /// How sure the sources are of the rule applied.
    pub confidence: Option<Confidence>,
}

/// The findings for one tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckResult {
    /// The file checked.
    pub file: String,
    /// No violations.
    pub compliant: bool,
    /// How many findings are violations, warnings and information.
    pub counts: Counts,
    /// Findings, most severe first.
    pub findings: Vec<Finding>,
}

/// How many findings of each severity a result has: counted once, here, for every front end.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Findings that break a rule in force.
    pub violations: usize,
    /// Findings that probably break a rule, or break one whose text is uncertain.
    pub warnings: usize,
    /// Findings worth knowing, not breaches.
    pub infos: usize,
}

impl Counts {
    /// The counts of some findings.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match f.severity {
                Severity::Violation => c.violations += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

impl CheckResult {
    /// The result of checking `file`: compliant when no finding is a violation.
    pub fn new(file: &str, findings: Vec<Finding>) -> CheckResult {
        let counts = Counts::of(&findings);
        CheckResult {
            file: file.to_string(),
            compliant: counts.violations == 0,
            counts,
            findings,
        }
    }
}

/// What a finding says, kept as values until the findings are merged, so a message is written
/// once per finding rather than once per kind of call checked.
#[derive(Debug, PartialEq)]
enum Message<'a> {
    Text(String),
    NoCapAny {
        date: NaiveDate,
    },
    NoCap {
        date: NaiveDate,
    },
    Equivalence {
        minutes: u32,
        cost: Decimal,
        limit: Decimal,
        most: Decimal,
    },
    PerMinute {
        rate: Decimal,
        cap: Decimal,
        allowance: Decimal,
        tier: &'a str,
        termination: bool,
    },
    PerCall {
        amount: Decimal,
    },
    FirstMinute {
        first: Decimal,
        per_minute: Decimal,
    },
    Increment {
        seconds: u32,
        max: u32,
    },
    IncrementCost {
        increment: u32,
        worst: crate::cost::IncrementExcess,
        limit: Decimal,
    },
    CommissionComponent {
        equivalent: Decimal,
        recoverable: Decimal,
    },
}

impl Message<'_> {
    fn text(self) -> String {
        match self {
            Message::Text(text) => text,
            Message::NoCapAny { date } => format!("no FCC rate cap applied to any call on {date}"),
            Message::NoCap { date } => format!("no federal cap covered these calls on {date}"),
            Message::Equivalence { minutes, cost, limit, most } => format!(
                "a {minutes}-minute call costs ${}, above {minutes} minutes at the ${} cap (${})",
                display(cost),
                display(limit),
                display(most)
            ),
            Message::PerMinute { rate, cap, allowance, tier, termination } => {
                let plus = if allowance.is_zero() {
                    String::new()
                } else {
                    format!(" + ${} facility component", display(allowance))
                };
                let why = if termination {
                    "; lawful only if the excess is the provider's pass-through cost of terminating the call abroad"
                } else {
                    ""
                };
                format!(
                    "${} a minute is above the ${} cap{plus} for {tier}{why}",
                    display(rate),
                    display(cap)
                )
            }
            Message::PerCall { amount } => format!(
                "a ${} charge per call; per-call (connection) charges are not allowed",
                display(amount)
            ),
            Message::FirstMinute { first, per_minute } => format!(
                "the first minute costs ${}, more than the ${} of every other minute: a per-call charge by another name",
                display(first),
                display(per_minute)
            ),
            Message::Increment { seconds, max } => format!(
                "billing in {seconds}-second increments charges for time not used (per-minute pricing bills at most {max} s); no call costs more than its minutes, rounded up, at the cap"
            ),
            Message::IncrementCost {
                increment,
                worst,
                limit,
            } => {
                let minutes = worst.seconds.div_ceil(60);
                format!(
                    "billing in {increment}-second increments bills a {}-second call as {} seconds: ${}, above its {minutes} minute{} at the ${} cap (${}), by ${}",
                    worst.seconds,
                    worst.seconds_billed,
                    display(worst.cost),
                    if minutes == 1 { "" } else { "s" },
                    display(limit),
                    display(worst.legal),
                    display(worst.cost - worst.legal)
                )
            }
            Message::CommissionComponent { equivalent, recoverable } => format!(
                "the site commission comes to ${} a minute at this rate; only ${} a minute may be recovered through rates",
                display(equivalent),
                display(recoverable)
            ),
        }
    }
}

struct Draft<'a> {
    rule: RuleId,
    severity: Severity,
    actual: Option<Decimal>,
    limit: Option<Decimal>,
    message: Message<'a>,
    line: Option<usize>,
    provenance: Option<&'a Provenance>,
    calls: Vec<CallKind>,
}

/// Checks a tariff against the rules in force on `date` for its facility (and its contract,
/// when it states one).
pub fn check(book: &RateBook, tariff: &Tariff, date: NaiveDate) -> CheckResult {
    let rules = book.rules_for(date, &tariff.facility, tariff.contract.as_ref());
    CheckResult::new(&tariff.file, check_rules(&rules, tariff))
}

/// Checks many tariffs, resolving the rules in force once per date, facility kind and tier
/// rather than once per tariff (the rules depend on the facility only through its tier).
pub struct Checker<'b> {
    book: &'b RateBook,
    cache: HashMap<(NaiveDate, FacilityKind, Option<String>), Rules>,
}

impl<'b> Checker<'b> {
    /// A checker over a rate book.
    pub fn new(book: &'b RateBook) -> Self {
        Checker {
            book,
            cache: HashMap::new(),
        }
    }

    /// The same result as [`check`], faster over many tariffs.
    pub fn check(&mut self, tariff: &Tariff, date: NaiveDate) -> CheckResult {
        let book = self.book;
        // Where an existing-contract exception could apply, the rules depend on more than the
        // tier: resolved for the tariff itself.
        if tariff.contract.is_some() || book.exceptions_cover(date) {
            return check(book, tariff, date);
        }
        let key = (
            date,
            tariff.facility.kind,
            book.tier_id(date, &tariff.facility).map(str::to_string),
        );
        let rules = self
            .cache
            .entry(key)
            .or_insert_with(|| book.rules(date, &tariff.facility));
        CheckResult::new(&tariff.file, check_rules(rules, tariff))
    }
}

/// Checks a tariff against rules already resolved for its facility and a date.
///
/// Where a fee's limit depends on how the deposit is made (FCC 22-76's third-party and
/// single-call fees), a check does not know the method: a fee above the higher limit is a
/// violation, a fee between the two limits a warning (lawful only on deposits made the dearer
/// way). [`check_rules_for`] judges a known method.
pub fn check_rules(rules: &Rules, tariff: &Tariff) -> Vec<Finding> {
    check_rules_for(rules, tariff, None)
}

/// [`check_rules`] for deposits made by `deposit_method` (`automated_payment` or `live_agent`;
/// none: not known), as an estimate knows it: each fee is judged against that method's limit.
pub fn check_rules_for(
    rules: &Rules,
    tariff: &Tariff,
    deposit_method: Option<FeeKind>,
) -> Vec<Finding> {
    let mut drafts: Vec<Draft> = Vec::new();
    let tier = rules
        .facility
        .tier
        .as_ref()
        .map_or("this facility", |t| t.name.as_str());
    if rules.regime.is_none() || rules.caps.is_empty() {
        drafts.push(Draft {
            rule: RuleId::NoFederalCap,
            severity: Severity::Info,
            actual: None,
            limit: None,
            message: Message::NoCapAny { date: rules.date },
            line: None,
            provenance: rules.regime.as_ref().map(|r| &r.provenance),
            calls: Vec::new(),
        });
    }
    for rate in &tariff.rates {
        for calls in same_rules(rules, rate.calls()) {
            check_call(rules, tariff, rate, calls, tier, &mut drafts);
        }
    }
    check_commission(rules, tariff, &mut drafts);
    check_fees(rules, tariff, deposit_method, &mut drafts);
    check_contract_exception(rules, tariff, &mut drafts);
    merge(drafts)
}

/// Groups calls that the rules treat alike (the same cap, additive and per-call rule, from the
/// same source), so each group is checked once: its findings are those of any of its calls.
fn same_rules(rules: &Rules, calls: Vec<CallKind>) -> Vec<Vec<CallKind>> {
    let terms = |call: CallKind| {
        let cap = rules.cap(call).map(|c| {
            (
                c.per_minute,
                c.facility_component.as_ref(),
                c.plus_termination_cost,
                &c.provenance,
            )
        });
        let charges = rules.call_charge(call.service, call.jurisdiction).map(|r| {
            (
                r.per_call,
                r.equivalence_minutes,
                r.max_billing_increment_seconds,
                &r.provenance,
            )
        });
        (cap, charges)
    };
    let mut groups: Vec<(_, Vec<CallKind>)> = Vec::new();
    for call in calls {
        let t = terms(call);
        match groups.iter_mut().find(|(g, _)| *g == t) {
            Some((_, members)) => members.push(call),
            None => groups.push((t, vec![call])),
        }
    }
    groups.into_iter().map(|(_, members)| members).collect()
}

fn check_call<'a>(
    rules: &'a Rules,
    tariff: &Tariff,
    rate: &Rate,
    calls: Vec<CallKind>,
    tier: &'a str,
    out: &mut Vec<Draft<'a>>,
) {
    let Some(&call) = calls.first() else {
        return;
    };
    let Some(cap_line) = rules.cap(call) else {
        return;
    };
    let line = Some(rate.line);
    let draft =
        |rule, severity, actual, limit, message: Message<'a>, provenance: &'a Provenance| Draft {
            rule,
            severity,
            actual,
            limit,
            message,
            line,
            provenance: Some(provenance),
            calls: calls.clone(),
        };
    let Some(cap) = cap_line.per_minute else {
        out.push(draft(
            RuleId::NoFederalCap,
            Severity::Info,
            Some(rate.per_minute),
            None,
            Message::NoCap { date: rules.date },
            &cap_line.provenance,
        ));
        return;
    };
    let commission = &tariff.commission;
    let equivalent = commission.per_minute_equivalent(rate.per_minute);
    let allowance = allowance(cap_line, cap, commission, rate.per_minute);
    let limit = cap + allowance;
    let charges = rules.call_charge(call.service, call.jurisdiction);

    match charges.filter(|c| c.per_call == PerCallRule::FifteenMinuteEquivalence) {
        Some(eq) => {
            let minutes = eq.equivalence_minutes.unwrap_or_default();
            let cost = call_charge(rate, minutes * 60).charge;
            let most = limit * Decimal::from(minutes);
            if cost > most {
                out.push(draft(
                    RuleId::FifteenMinuteEquivalence,
                    Severity::Violation,
                    Some(cost),
                    Some(most),
                    Message::Equivalence {
                        minutes,
                        cost,
                        limit,
                        most,
                    },
                    &eq.provenance,
                ));
            }
        }
        None if rate.per_minute > limit => {
            let termination = cap_line.plus_termination_cost;
            let severity = if termination {
                Severity::Warning
            } else {
                Severity::Violation
            };
            out.push(draft(
                RuleId::PerMinuteCap,
                severity,
                Some(rate.per_minute),
                Some(limit),
                Message::PerMinute {
                    rate: rate.per_minute,
                    cap,
                    allowance,
                    tier,
                    termination,
                },
                &cap_line.provenance,
            ));
        }
        None => {}
    }

    if let Some(cc) = charges {
        if cc.per_call == PerCallRule::Prohibited {
            if !rate.per_call.is_zero() {
                out.push(draft(
                    RuleId::PerCallCharge,
                    Severity::Violation,
                    Some(rate.per_call),
                    Some(Decimal::ZERO),
                    Message::PerCall {
                        amount: rate.per_call,
                    },
                    &cc.provenance,
                ));
            }
            if let Some(first) = rate.first_minute.filter(|f| *f > rate.per_minute) {
                out.push(draft(
                    RuleId::FirstMinuteCharge,
                    Severity::Violation,
                    Some(first),
                    Some(rate.per_minute),
                    Message::FirstMinute {
                        first,
                        per_minute: rate.per_minute,
                    },
                    &cc.provenance,
                ));
            }
        }
        // Where the rules price by the minute, an increment is judged by what it costs: a call
        // billed more than its minutes, rounded up, at the cap exceeds the per-minute cap
        // whatever rule on partial minutes applies (rounding up is the most any allows).
        if let Some(max) = cc.max_billing_increment_seconds {
            match crate::cost::worst_increment_call(rate, limit) {
                Some(worst) => out.push(draft(
                    RuleId::BillingIncrement,
                    Severity::Violation,
                    Some(worst.cost),
                    Some(worst.legal),
                    Message::IncrementCost {
                        increment: rate.billing_increment_seconds,
                        worst,
                        limit,
                    },
                    &cap_line.provenance,
                )),
                None if rate.billing_increment_seconds > max => out.push(draft(
                    RuleId::BillingIncrement,
                    Severity::Info,
                    Some(Decimal::from(rate.billing_increment_seconds)),
                    Some(Decimal::from(max)),
                    Message::Increment {
                        seconds: rate.billing_increment_seconds,
                        max,
                    },
                    &cc.provenance,
                )),
                None => {}
            }
        }
    }

    if commission.is_paid() && rules.site_commissions.allowed {
        if let Some(comp) = cap_line
            .facility_component
            .as_ref()
            .filter(|c| c.applies == Applies::SiteCommission)
        {
            let recoverable = match (commission.basis, comp.legally_mandated_max_total) {
                (CommissionBasis::LegallyMandated, Some(total)) => (total - cap).max(comp.amount),
                _ => comp.amount,
            };
            if equivalent > recoverable {
                out.push(draft(
                    RuleId::SiteCommissionComponent,
                    Severity::Warning,
                    Some(equivalent),
                    Some(recoverable),
                    Message::CommissionComponent {
                        equivalent,
                        recoverable,
                    },
                    &comp.provenance,
                ));
            }
        }
    }
}

/// What may be charged per minute above `cap` for a call priced at `rate` under a tariff paying
/// `commission`: a flat additive, or (2021 rules) the site commission's per-minute equivalent up
/// to the facility component, or in full up to a total when the commission is legally mandated.
pub fn allowance(
    cap_line: &CapLine,
    cap: Decimal,
    commission: &Commission,
    rate: Decimal,
) -> Decimal {
    let Some(comp) = &cap_line.facility_component else {
        return Decimal::ZERO;
    };
    match comp.applies {
        Applies::Always => comp.amount,
        Applies::SiteCommission if !commission.is_paid() => Decimal::ZERO,
        Applies::SiteCommission => {
            let per_minute = commission.per_minute_equivalent(rate);
            let contractual = per_minute.min(comp.amount);
            match (commission.basis, comp.legally_mandated_max_total) {
                (CommissionBasis::LegallyMandated, Some(total)) => {
                    contractual.max(per_minute.min((total - cap).max(Decimal::ZERO)))
                }
                _ => contractual,
            }
        }
    }
}

fn check_commission<'a>(rules: &'a Rules, tariff: &Tariff, out: &mut Vec<Draft<'a>>) {
    let c = &tariff.commission;
    let in_kind = tariff
        .bid
        .as_ref()
        .map_or(Decimal::ZERO, |b| b.in_kind_per_year);
    let rule = &rules.site_commissions;
    let pays = c.is_paid() || !in_kind.is_zero();
    if rule.allowed || !rule.regulated || !pays {
        return;
    }
    let mut parts = Vec::new();
    if !c.percent_of_revenue.is_zero() {
        parts.push(format!("{}% of revenue", c.percent_of_revenue.normalize()));
    }
    if !c.per_minute.is_zero() {
        parts.push(format!("${} a minute", display(c.per_minute)));
    }
    if !c.minimum_annual_guarantee.is_zero() {
        parts.push(format!(
            "a ${} minimum annual guarantee",
            display_grouped(c.minimum_annual_guarantee)
        ));
    }
    if !c.signing_bonus.is_zero() {
        parts.push(format!(
            "a ${} signing bonus",
            display_grouped(c.signing_bonus)
        ));
    }
    if !in_kind.is_zero() {
        parts.push(format!("${} a year in kind", display_grouped(in_kind)));
    }
    out.push(Draft {
        rule: RuleId::SiteCommissionProhibited,
        severity: Severity::Violation,
        actual: None,
        limit: Some(Decimal::ZERO),
        message: Message::Text(format!(
            "site commissions (monetary or in kind) are not allowed; this tariff pays {}",
            parts.join(", ")
        )),
        line: None,
        provenance: rule.provenance.as_ref(),
        calls: Vec::new(),
    });
}

/// Says what an existing-contract exception means for the tariff: applied (information, citing
/// it), not met or ended (information), or possibly applicable for want of the contract's
/// dates: a warning when the tariff breaks a rule the exception would defer (the verdict may
/// be wrong), else information.
fn check_contract_exception<'a>(rules: &'a Rules, tariff: &Tariff, out: &mut Vec<Draft<'a>>) {
    let Some(x) = &rules.contract_exception else {
        return;
    };
    let deferred = |rule: RuleId| {
        x.defers.iter().any(|c| match c {
            Concept::Caps => matches!(
                rule,
                RuleId::PerMinuteCap | RuleId::FifteenMinuteEquivalence | RuleId::BillingIncrement
            ),
            Concept::SiteCommissions => matches!(
                rule,
                RuleId::SiteCommissionProhibited | RuleId::SiteCommissionComponent
            ),
        })
    };
    let severity = match x.status {
        ExceptionStatus::MayApply
            if out
                .iter()
                .any(|d| d.severity != Severity::Info && deferred(d.rule)) =>
        {
            Severity::Warning
        }
        _ => Severity::Info,
    };
    out.push(Draft {
        rule: RuleId::ContractException,
        severity,
        actual: None,
        limit: None,
        message: Message::Text(x.message.clone()),
        line: tariff
            .contract
            .as_ref()
            .filter(|_| x.status != ExceptionStatus::MayApply)
            .map(|c| c.line),
        provenance: Some(&x.provenance),
        calls: Vec::new(),
    });
}

fn check_fees<'a>(
    rules: &'a Rules,
    tariff: &Tariff,
    method: Option<FeeKind>,
    out: &mut Vec<Draft<'a>>,
) {
    for fee in &tariff.fees {
        let Some(rule) = rules.fee(fee.kind).filter(|r| r.regulated) else {
            continue;
        };
        let deposit = rules.percent_fee_reference_deposit.unwrap_or_default();
        let value = fee.on_deposit(deposit);
        let on = if fee.percent.is_zero() {
            String::new()
        } else {
            format!(" on a ${} deposit", display(deposit))
        };
        let mut push = |rule_id, severity, limit: Option<Decimal>, message: String| {
            out.push(Draft {
                rule: rule_id,
                severity,
                actual: Some(value),
                limit,
                message: Message::Text(message),
                line: Some(fee.line),
                provenance: rule.provenance.as_ref(),
                calls: Vec::new(),
            })
        };
        if !rule.allowed {
            if !value.is_zero() || !fee.percent.is_zero() {
                push(
                    RuleId::AncillaryFeeProhibited,
                    Severity::Violation,
                    Some(Decimal::ZERO),
                    format!(
                        "{} {} fee (${}{on}) may not be charged",
                        article(fee.kind.as_str()),
                        fee.kind,
                        display(value)
                    ),
                );
            }
        } else if let Some(limit) = rule.limit_for(method).filter(|l| value > *l) {
            let which = match (rule.limit_by_method, method) {
                (Some(_), Some(m)) => format!(" for deposits through {}", through(m)),
                (Some(by), None) => {
                    let [(low_method, low), (high_method, _)] = by.ordered();
                    format!(
                        ", the higher limit (deposits through {}; ${} through {})",
                        through(high_method),
                        display(low),
                        through(low_method)
                    )
                }
                _ => String::new(),
            };
            push(
                RuleId::AncillaryFeeCap,
                Severity::Violation,
                Some(limit),
                format!(
                    "{} {} fee of ${}{on} is above the ${} cap{which}",
                    article(fee.kind.as_str()),
                    fee.kind,
                    display(value),
                    display(limit)
                ),
            );
        } else if let Some([(low_method, low), (high_method, high)]) = rule
            .limit_by_method
            .filter(|_| method.is_none())
            .map(|by| by.ordered())
            .filter(|[(_, low), _]| value > *low)
        {
            push(
                RuleId::AncillaryFeeCap,
                Severity::Warning,
                Some(low),
                format!(
                    "{} {} fee of ${}{on} is within the ${} limit for deposits through {} but above the ${} limit for deposits through {}: lawful only on deposits through {}",
                    article(fee.kind.as_str()),
                    fee.kind,
                    display(value),
                    display(high),
                    through(high_method),
                    display(low),
                    through(low_method),
                    through(high_method)
                ),
            );
        } else if rule.pass_through {
            push(
                RuleId::ThirdPartyPassThrough,
                Severity::Info,
                None,
                format!(
                    "{} {} fee (${}{on}) is allowed only as the third party's own charge, without markup; callcap cannot see the third party's charge",
                    article(fee.kind.as_str()),
                    fee.kind,
                    display(value)
                ),
            );
        }
    }
}

/// How a deposit method is named in messages.
fn through(method: FeeKind) -> &'static str {
    match method {
        FeeKind::LiveAgent => "a live agent",
        _ => "an automated payment system",
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// A breach of a rule whose very existence is uncertain (`low` confidence: e.g. whether the
/// 2025 waiver also suspended the ancillary-fee ban) is reported as a warning, not a
/// violation: callcap does not claim more certainty than its sources have. `medium` rules
/// (values from consistent secondary sources) still give violations, with their confidence.
fn graded(severity: Severity, provenance: Option<&Provenance>) -> Severity {
    match (severity, provenance.map(|p| p.confidence)) {
        (Severity::Violation, Some(Confidence::Low)) => Severity::Warning,
        (s, _) => s,
    }
}

/// Whether two drafts apply the same rule: the same object, or one with the same source.
fn same_source(a: Option<&Provenance>, b: Option<&Provenance>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => std::ptr::eq(a, b) || a == b,
        (None, None) => true,
        _ => false,
    }
}

/// Merges drafts that differ only in the calls they concern; orders by severity, rule, line.
fn merge(drafts: Vec<Draft<'_>>) -> Vec<Finding> {
    // Indexed by what is cheap to compare, so that a tariff with thousands of entries (a
    // 1 MiB file holds 29,000 fees) merges in near-linear time, not by a scan per draft.
    type Key = (
        RuleId,
        Severity,
        Option<usize>,
        Option<Decimal>,
        Option<Decimal>,
    );
    let mut merged: Vec<Draft> = Vec::new();
    let mut index: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for d in drafts {
        let bucket = index
            .entry((d.rule, d.severity, d.line, d.actual, d.limit))
            .or_default();
        let same = bucket.iter().copied().find(|&i| {
            merged
                .get(i)
                .is_some_and(|m| m.message == d.message && same_source(m.provenance, d.provenance))
        });
        match same.and_then(|i| merged.get_mut(i)) {
            Some(m) => m.calls.extend(d.calls),
            None => {
                bucket.push(merged.len());
                merged.push(d);
            }
        }
    }
    // Severity first, then rule, then line; stable. (This was an insertion sort to keep std's
    // sort out of the page; with std built for size the sort costs nothing: audit 2026-12 §1.3.)
    merged.sort_by_key(|d| (d.severity, d.rule, d.line));
    merged
        .into_iter()
        .map(|d| Finding {
            rule: d.rule,
            severity: graded(d.severity, d.provenance),
            actual: d.actual.map(display),
            limit: d.limit.map(display),
            message: d.message.text(),
            calls: (!d.calls.is_empty()).then(|| describe_calls(&d.calls)),
            line: d.line,
            source: d.provenance.map(|p| p.source.clone()),
            citation: d.provenance.map(|p| p.citation.clone()),
            link: d.provenance.map(|p| p.link.clone()),
            effective: d.provenance.map(|p| p.effective),
            confidence: d.provenance.map(|p| p.confidence),
        })
        .collect()
}

/// Describes a set of calls compactly: `audio interstate+international, all payments` when
/// they are every combination of their services, jurisdictions and payments, else one by one.
pub fn describe_calls(calls: &[CallKind]) -> String {
    // From the vocabularies, so that every index below stays in range if one grows.
    const J: usize = Jurisdiction::ALL.len();
    const P: usize = Payment::ALL.len();
    // Every kind of call is one bit of a u32: a vocabulary that grew past that would wrap.
    const _: () = assert!(Service::ALL.len() * J * P <= 32);
    let bit = |c: &CallKind| {
        1u32 << (c.service as usize * J * P + c.jurisdiction as usize * P + c.payment as usize)
    };
    let set = calls.iter().fold(0u32, |set, c| set | bit(c));
    let (mut services, mut jurisdictions, mut payments) = (0u32, 0u32, 0u32);
    for c in calls {
        services |= 1 << c.service as usize;
        jurisdictions |= 1 << c.jurisdiction as usize;
        payments |= 1 << c.payment as usize;
    }
    let product = services.count_ones() * jurisdictions.count_ones() * payments.count_ones();
    if set.count_ones() != product {
        // Each kind once, in order: the bits of `set` ascend as `CallKind`'s order does.
        return (0..Service::ALL.len() * J * P)
            .filter(|i| set & (1 << i) != 0)
            .map(|i| {
                CallKind {
                    service: Service::ALL[i / (J * P)],
                    jurisdiction: Jurisdiction::ALL[i / P % J],
                    payment: Payment::ALL[i % P],
                }
                .to_string()
            })
            .collect::<Vec<_>>()
            .join("; ");
    }
    fn words(out: &mut String, mask: u32, all: impl Iterator<Item = &'static str>) {
        let mut first = true;
        for (i, w) in all.enumerate() {
            if mask & (1 << i) != 0 {
                if !first {
                    out.push('+');
                }
                out.push_str(w);
                first = false;
            }
        }
    }
    let mut out = String::with_capacity(48);
    words(&mut out, services, Service::ALL.iter().map(|x| x.as_str()));
    out.push(' ');
    words(
        &mut out,
        jurisdictions,
        Jurisdiction::ALL.iter().map(|x| x.as_str()),
    );
    out.push_str(", ");
    if payments.count_ones() as usize == Payment::ALL.len() {
        out.push_str("all payments");
    } else {
        words(&mut out, payments, Payment::ALL.iter().map(|x| x.as_str()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(s: Service, j: Jurisdiction, p: Payment) -> CallKind {
        CallKind {
            service: s,
            jurisdiction: j,
            payment: p,
        }
    }

    #[test]
    fn describe_calls_lists_odd_sets_once_each_in_order() {
        use Jurisdiction::{Interstate, Local};
        use Payment::{Debit, Prepaid};
        use Service::{Audio, Video};
        let calls = [
            kind(Video, Local, Prepaid),
            kind(Audio, Interstate, Debit),
            kind(Audio, Interstate, Debit),
            kind(Audio, Local, Prepaid),
        ];
        assert_eq!(
            describe_calls(&calls),
            "audio local prepaid; audio interstate debit; video local prepaid"
        );
        // A full product is compact.
        let all_payments: Vec<CallKind> = Payment::ALL
            .iter()
            .flat_map(|&p| [kind(Audio, Interstate, p), kind(Video, Interstate, p)])
            .collect();
        assert_eq!(
            describe_calls(&all_payments),
            "audio+video interstate, all payments"
        );
    }
}
