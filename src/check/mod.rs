//! Compliance checks: a tariff against the rules in force on a date.
//!
//! A check returns findings, each with its rule, severity, the actual value and the limit, and
//! the source and CFR citation of the rule applied. Findings are results, not errors.

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::cost::call_charge;
use crate::facility::FacilityKind;
use crate::money::{display, display_grouped};
use crate::ratebook::{
    Applies, CallChargeRule, CapLine, Concept, Confidence, ExceptionStatus, PerCallRule,
    Provenance, RateBook, Rules, Severity,
};
use crate::tariff::{Commission, CommissionBasis, FeeKind, Rate, Tariff};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub mod local;

use crate::vocab::Level;
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
    /// Whose rule it is: `federal`, `state` or `local`.
    pub level: Level,
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
pub(crate) enum Message<'a> {
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

/// A finding before findings that differ only in their calls are merged.
pub(crate) struct Draft<'a> {
    pub(crate) rule: RuleId,
    pub(crate) severity: Severity,
    pub(crate) actual: Option<Decimal>,
    pub(crate) limit: Option<Decimal>,
    pub(crate) message: Message<'a>,
    pub(crate) line: Option<usize>,
    pub(crate) provenance: Option<&'a Provenance>,
    pub(crate) calls: Vec<CallKind>,
    /// Whose rule: the FCC's, a state's or a locality's.
    pub(crate) level: Level,
}

/// Checks a tariff against the rules in force on `date` for its facility (and its contract,
/// when it states one).
pub fn check(book: &RateBook, tariff: &Tariff, date: NaiveDate) -> CheckResult {
    let rules = book.rules_for(date, &tariff.facility, tariff.contract.as_ref());
    CheckResult::new(&tariff.file, check_rules(&rules, tariff))
}

/// Checks many tariffs, resolving the rules in force once per date, facility kind, tier and
/// place rather than once per tariff (the rules depend on the facility only through these).
pub struct Checker<'b> {
    book: &'b RateBook,
    cache: HashMap<RulesKey, Rules>,
}

/// What the rules depend on: the date, the facility's kind and tier, and its place (the state
/// and local rules).
type RulesKey = (
    NaiveDate,
    FacilityKind,
    Option<String>,
    Option<String>,
    Option<crate::facility::Operator>,
    Option<String>,
);

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
        let f = &tariff.facility;
        let key = (
            date,
            f.kind,
            book.tier_id(date, f).map(str::to_string),
            f.state.clone(),
            f.operator,
            f.county_fips.clone(),
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
    check_rules_for(rules, tariff, None, None)
}

/// [`check_rules`] for deposits made by `deposit_method` (`automated_payment` or `live_agent`;
/// none: not known), as an estimate knows it: each fee is judged against that method's limit;
/// and percentage fees judged on a deposit of `deposit` (none: the rules' reference deposit),
/// as an estimate of a family's month does with the family's deposit.
pub fn check_rules_for(
    rules: &Rules,
    tariff: &Tariff,
    deposit_method: Option<FeeKind>,
    deposit: Option<Decimal>,
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
            level: Level::Federal,
        });
    }
    for rate in &tariff.rates {
        for calls in same_rules(rules, rate.calls()) {
            check_call(rules, tariff, rate, calls, tier, &mut drafts);
        }
    }
    check_commission(rules, tariff, &mut drafts);
    check_fees(rules, tariff, deposit_method, deposit, &mut drafts);
    check_taxes(rules, tariff, &mut drafts);
    crate::check::local::check(rules, tariff, deposit, &mut drafts);
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

/// The terms the rules set for one kind of call under a tariff's rate: the cap line, the most a
/// minute may cost (the cap plus what may be added to it) and the rule on per-call charges and
/// billing increments. [`check_rules`] and [`lawful_call`] both start from these, so that the
/// check of a tariff and the estimate of a month judge a call alike.
struct CallTerms<'a> {
    cap_line: Option<&'a CapLine>,
    /// The per-minute cap (none: the line has none).
    cap: Option<Decimal>,
    /// What may be added to the cap a minute (a facility component or additive).
    allowance: Decimal,
    /// `cap + allowance`.
    limit: Option<Decimal>,
    charges: Option<&'a CallChargeRule>,
}

impl<'a> CallTerms<'a> {
    fn of(rules: &'a Rules, commission: &Commission, rate: &Rate, call: CallKind) -> Self {
        let cap_line = rules.cap(call);
        let cap = cap_line.and_then(|c| c.per_minute);
        let allowance = match (cap_line, cap) {
            (Some(line), Some(cap)) => allowance(line, cap, commission, rate.per_minute),
            _ => Decimal::ZERO,
        };
        CallTerms {
            cap_line,
            cap,
            allowance,
            limit: cap.map(|c| c + allowance),
            charges: rules.call_charge(call.service, call.jurisdiction),
        }
    }

    /// The 15-minute equivalence (FCC 13-113), where it decides and a cap covers the call.
    fn equivalence(&self) -> Option<(&'a CallChargeRule, Decimal)> {
        let eq = self
            .charges
            .filter(|c| c.per_call == PerCallRule::FifteenMinuteEquivalence)?;
        Some((eq, self.limit?))
    }

    /// The rule banning per-call and first-minute charges, where it applies.
    fn per_call_ban(&self) -> Option<&'a CallChargeRule> {
        self.charges
            .filter(|c| c.per_call == PerCallRule::Prohibited)
    }

    /// Whether a price above the cap may be the provider's cost of terminating abroad.
    fn termination(&self) -> bool {
        self.cap_line.is_some_and(|c| c.plus_termination_cost)
    }
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
    let commission = &tariff.commission;
    let terms = CallTerms::of(rules, commission, rate, call);
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
            level: Level::Federal,
        };
    if let (Some(cap_line), None) = (terms.cap_line, terms.cap) {
        out.push(draft(
            RuleId::NoFederalCap,
            Severity::Info,
            Some(rate.per_minute),
            None,
            Message::NoCap { date: rules.date },
            &cap_line.provenance,
        ));
    }

    // The per-minute rule: the 15-minute equivalence where it decides, else the cap.
    if let (Some(cap_line), Some(cap), Some(limit)) = (terms.cap_line, terms.cap, terms.limit) {
        match terms.equivalence() {
            Some((eq, limit)) => {
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
                let termination = terms.termination();
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
                        allowance: terms.allowance,
                        tier,
                        termination,
                    },
                    &cap_line.provenance,
                ));
            }
            None => {}
        }
    }

    // The ban on per-call and first-minute charges covers calls whether or not a per-minute
    // cap does (FCC 15-136 banned them on intrastate calls too, with no intrastate cap).
    if let Some(cc) = terms.per_call_ban() {
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
    if let (Some(cc), Some(cap_line), Some(limit)) = (terms.charges, terms.cap_line, terms.limit) {
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

    if let (Some(cap_line), Some(cap)) = (terms.cap_line, terms.cap) {
        if commission.is_paid() && rules.site_commissions.allowed {
            if let Some(comp) = cap_line
                .facility_component
                .as_ref()
                .filter(|c| c.applies == Applies::SiteCommission)
            {
                let equivalent = commission.per_minute_equivalent(rate.per_minute);
                let recoverable = match (commission.basis, comp.legally_mandated_max_total) {
                    (CommissionBasis::LegallyMandated, Some(total)) => {
                        (total - cap).max(comp.amount)
                    }
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
}

/// One call judged against the rules: what it costs under the tariff and what it may lawfully
/// cost, for the estimate of a month. See [`lawful_call`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LawfulCall {
    /// The call's exact cost under the tariff.
    pub cost: Decimal,
    /// What the same call may cost under this tariff once every part that a rule in force
    /// forbids is taken out: the parts that [`check_rules`] reports as violations.
    pub lawful: Decimal,
    /// Parts forbidden only by a rule whose text is uncertain (reported as warnings, not
    /// violations): not taken out of `lawful`.
    pub uncertain: Decimal,
    /// The most any tariff could lawfully charge for the call, where a per-minute cap covers
    /// it: its minutes, rounded up, at the cap plus what may be added; under the 15-minute
    /// equivalence (FCC 13-113) at least that many minutes, since a per-call charge inside it
    /// is lawful.
    pub legal_max: Option<Decimal>,
    /// The most a minute may cost under the rules that set `legal_max`.
    pub per_minute_limit: Option<Decimal>,
    /// The rule that sets `legal_max` (the lower of the federal and the state or local).
    pub basis: Option<Basis>,
}

impl LawfulCall {
    /// What the call costs above what the rules allow.
    pub fn excess(&self) -> Decimal {
        self.cost - self.lawful
    }
}

/// Judges a call of `seconds` of kind `call` under `rate` of `tariff`, by the same terms as
/// [`check_rules`]: each part of its cost that a check reports as a violation is taken out, in
/// the order the rules name them:
///
/// - under the 15-minute equivalence, when the 15-minute call costs more than 15 minutes at
///   the cap, the whole price is lowered in proportion until it does not (a per-call charge
///   inside the equivalence is lawful, so nothing else is taken);
/// - otherwise a banned per-call charge, then a first minute priced above the other minutes,
///   then a per-minute price above the cap (and a first minute above it), then what billing
///   in increments charges above the call's minutes, rounded up, at the cap, counted as the
///   check counts it (at the lower of the price and the cap).
///
/// So `cost > lawful` exactly when the check has a violation that this call's cost shows; a
/// violation that a call of this length does not show (an increment that bills only some
/// lengths past their minutes) leaves `lawful` at `cost`.
pub fn lawful_call(
    rules: &Rules,
    tariff: &Tariff,
    rate: &Rate,
    call: CallKind,
    seconds: u32,
) -> LawfulCall {
    let cost = call_charge(rate, seconds).charge;
    let federal = federal_lawful(rules, tariff, rate, call, seconds, cost);
    let local = crate::check::local::lawful(rules, rate, call, seconds, cost);
    // The least of what each set of rules allows: the tariff lowered to every rule at once.
    let lawful = federal.sure.min(local.sure);
    let all = federal.all.min(local.all);
    // The legal maximum is set by whichever set of rules allows less.
    let local_sets = match (federal.legal_max, local.legal_max) {
        (Some(a), Some(b)) => b < a,
        (a, b) => a.is_none() && b.is_some(),
    };
    let (legal_max, per_minute_limit, basis) = if local_sets {
        (local.legal_max, local.per_minute, local.basis)
    } else {
        (federal.legal_max, federal.per_minute, federal.basis)
    };
    LawfulCall {
        cost,
        lawful,
        uncertain: lawful - all.min(lawful),
        legal_max,
        per_minute_limit,
        basis,
    }
}

/// The rule that sets a legal maximum: whose it is and where to read it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Basis {
    /// `federal`, `state` or `local`.
    pub level: Level,
    /// The document.
    pub source: Arc<str>,
    /// The section.
    pub citation: Arc<str>,
    /// Where to read it.
    pub link: Arc<str>,
    /// How sure the sources are.
    pub confidence: Confidence,
}

impl Basis {
    pub(crate) fn of(level: Level, p: &Provenance) -> Basis {
        Basis {
            level,
            source: p.source.clone(),
            citation: p.citation.clone(),
            link: p.link.clone(),
            confidence: p.confidence,
        }
    }
}

/// What one set of rules allows a call to cost: with only the parts it surely forbids taken
/// out (`sure`), and with the parts it may forbid too (`all`); and the most any tariff could
/// charge for the call under it, where it caps the call.
pub(crate) struct Allowed {
    pub(crate) sure: Decimal,
    pub(crate) all: Decimal,
    pub(crate) legal_max: Option<Decimal>,
    /// The most a minute may cost under these rules, where they cap it.
    pub(crate) per_minute: Option<Decimal>,
    /// The rule that sets `legal_max`.
    pub(crate) basis: Option<Basis>,
}

fn federal_lawful(
    rules: &Rules,
    tariff: &Tariff,
    rate: &Rate,
    call: CallKind,
    seconds: u32,
    cost: Decimal,
) -> Allowed {
    let terms = CallTerms::of(rules, &tariff.commission, rate, call);
    let mut lawful = cost;
    let mut uncertain = Decimal::ZERO;
    let mut take = |amount: Decimal, provenance: &Provenance| {
        if amount <= Decimal::ZERO {
            return;
        }
        if binding(Some(provenance)) {
            lawful -= amount;
        } else {
            uncertain += amount;
        }
    };
    let minutes = seconds.div_ceil(60);
    let legal_max;
    if let Some((eq, limit)) = terms.equivalence() {
        let m = eq.equivalence_minutes.unwrap_or_default();
        let fifteen = call_charge(rate, m * 60).charge;
        let most = limit * Decimal::from(m);
        if fifteen > most {
            // Multiplied before dividing; `fifteen > most >= 0`, so no division by zero.
            take(cost - cost * most / fifteen, &eq.provenance);
        }
        legal_max = Some(limit * Decimal::from(minutes.max(m)));
    } else {
        let mut r = rate.clone();
        let mut step = |r: &mut Rate, change: &dyn Fn(&mut Rate), provenance: &Provenance| {
            let before = call_charge(r, seconds).charge;
            change(r);
            take(before - call_charge(r, seconds).charge, provenance);
        };
        if let Some(cc) = terms.per_call_ban() {
            if !rate.per_call.is_zero() {
                step(&mut r, &|r| r.per_call = Decimal::ZERO, &cc.provenance);
            }
            if rate.first_minute.is_some_and(|f| f > rate.per_minute) {
                step(
                    &mut r,
                    &|r| r.first_minute = Some(r.per_minute),
                    &cc.provenance,
                );
            }
        }
        if let (Some(line), Some(limit)) = (terms.cap_line, terms.limit) {
            if rate.per_minute > limit && !terms.termination() {
                step(
                    &mut r,
                    &|r| {
                        r.per_minute = limit;
                        r.first_minute = r.first_minute.map(|f| f.min(limit));
                    },
                    &line.provenance,
                );
            }
            if terms
                .charges
                .is_some_and(|c| c.max_billing_increment_seconds.is_some())
            {
                let n = rate.billing_increment_seconds.max(1);
                let billed = u64::from(seconds.div_ceil(n)) * u64::from(n);
                let price = rate.per_minute.min(limit);
                let excess =
                    crate::cost::per_minute_for(price, billed) - limit * Decimal::from(minutes);
                take(excess, &line.provenance);
            }
        }
        legal_max = terms.limit.map(|l| l * Decimal::from(minutes));
    }
    let basis = match (terms.equivalence(), terms.cap_line) {
        (Some((eq, _)), _) => Some(Basis::of(Level::Federal, &eq.provenance)),
        (None, Some(line)) if terms.limit.is_some() => {
            Some(Basis::of(Level::Federal, &line.provenance))
        }
        _ => None,
    };
    Allowed {
        sure: lawful,
        all: lawful - uncertain,
        legal_max,
        per_minute: terms.limit,
        basis,
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
        level: Level::Federal,
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
        level: Level::Federal,
    });
}

fn check_fees<'a>(
    rules: &'a Rules,
    tariff: &Tariff,
    method: Option<FeeKind>,
    deposit: Option<Decimal>,
    out: &mut Vec<Draft<'a>>,
) {
    for fee in &tariff.fees {
        let Some(rule) = rules.fee(fee.kind).filter(|r| r.regulated) else {
            continue;
        };
        let deposit = deposit
            .or(rules.percent_fee_reference_deposit)
            .unwrap_or_default();
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
                level: Level::Federal,
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

/// Taxes and fees passed through: callcap cannot tell a tax a government requires from a
/// provider's own surcharge named like one ("cost recovery"), so each is reported, with the
/// rule that limits them when there is one, as unverified (the estimate counts it in the
/// legal maximum and says so).
fn check_taxes<'a>(rules: &'a Rules, tariff: &Tariff, out: &mut Vec<Draft<'a>>) {
    for tax in &tariff.taxes {
        let what = format!(
            "{} ({}% of call charges) is passed through as a tax or fee",
            crate::error::quoted(&tax.name),
            tax.percent.normalize()
        );
        let message = match &rules.taxes {
            Some(rule) => {
                let calls = if rule.jurisdictions.len() == Jurisdiction::CAPPED.len() {
                    String::new()
                } else {
                    let names: Vec<&str> = rule.jurisdictions.iter().map(|j| j.as_str()).collect();
                    format!(" on {} calls", names.join(" and "))
                };
                format!(
                    "{what}: the rules allow{calls} only taxes and fees that a government requires or authorizes the provider to collect, with no markup; callcap cannot verify that it is one (a provider's own surcharge, such as \"cost recovery\", is not)"
                )
            }
            None => format!(
                "{what}: no federal rule limited taxes and fees passed through on {}; callcap cannot verify it",
                rules.date
            ),
        };
        out.push(Draft {
            rule: RuleId::PassThroughTax,
            severity: Severity::Info,
            actual: None,
            limit: None,
            message: Message::Text(message),
            line: Some(tax.line),
            provenance: rules.taxes.as_ref().map(|r| &r.provenance),
            calls: Vec::new(),
            level: Level::Federal,
        });
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
pub(crate) fn graded(severity: Severity, provenance: Option<&Provenance>) -> Severity {
    match (severity, provenance.map(|p| p.confidence)) {
        (Severity::Violation, Some(Confidence::Low)) => Severity::Warning,
        (s, _) => s,
    }
}

/// Whether a breach of a rule from `provenance` is a violation (not only a warning).
pub(crate) fn binding(provenance: Option<&Provenance>) -> bool {
    graded(Severity::Violation, provenance) == Severity::Violation
}

/// Whether two drafts apply the same rule: the same object, or one with the same source (its
/// document, citation, link, date and confidence; not its note, which the page's copy of the
/// book leaves out of state rules, so that the page and the command line merge alike).
fn same_source(a: Option<&Provenance>, b: Option<&Provenance>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => {
            std::ptr::eq(a, b)
                || (a.effective == b.effective
                    && a.source == b.source
                    && a.citation == b.citation
                    && a.link == b.link
                    && a.confidence == b.confidence)
        }
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
            level: d.level,
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
