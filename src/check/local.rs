//! State and local rules applied to a tariff: the findings of a check (`check`) and what a
//! call may cost under them (`lawful`), judged alike so that `check` and `estimate` agree.
//!
//! The rules come resolved for the facility's place with the federal ones
//! ([`Rules::local`]): each certainly applies, or only may apply because the tariff does not
//! say something the rule depends on (who runs the facility, its county). A breach of a rule
//! that only may apply is a warning that says what is unknown, never a violation; a rule that
//! may apply and is met is reported as information, so none is silently dropped.

use crate::call::CallKind;
use crate::check::{binding, Allowed, Basis, Draft, Message};
use crate::cost::call_charge;
use crate::money::display;
use crate::ratebook::{LocalRule, PerCallRule, Provenance, Rules, Severity, StateRuleValue};
use crate::tariff::{Rate, Tariff};
use crate::vocab::{Doubt, Level, RuleId};
use rust_decimal::Decimal;

/// The per-minute cap a rule sets on `call`: its own, or the FCC's cap it is defined by (the
/// cap plus any flat additive, for the same date, facility, service and payment, as if the
/// call went to the rule's jurisdiction). `None` when the rule sets none, or refers to a
/// federal cap that was not in force.
pub(crate) fn cap_of(rules: &Rules, rule: &LocalRule, call: CallKind) -> Option<Decimal> {
    match &rule.rule.value {
        StateRuleValue::RateCap { per_minute, .. } => *per_minute,
        StateRuleValue::CapRefFederal { jurisdiction } => {
            let line = rules.cap(CallKind {
                jurisdiction: *jurisdiction,
                ..call
            })?;
            Some(line.per_minute? + line.additive())
        }
        _ => None,
    }
}

/// The rules covering `call`: those that certainly apply first, then those that may.
fn covering(rules: &Rules, call: CallKind) -> Vec<&LocalRule> {
    let (mut sure, maybe): (Vec<&LocalRule>, Vec<&LocalRule>) = rules
        .local
        .rules
        .iter()
        .filter(|r| r.rule.covers(call))
        .partition(|r| r.rule.applies());
    sure.extend(maybe);
    sure
}

/// Whether a rule's breach is a violation: it certainly applies and its source is not of low
/// confidence.
fn surely(rule: &LocalRule) -> bool {
    rule.rule.applies() && binding(Some(&rule.provenance))
}

/// What `call` of `seconds` may cost under the state and local rules covering it, from the
/// tariff's `rate` (cost `cost`): a ban on per-call charges takes them out, caps lower the
/// per-minute price (and a first minute above it), a cap on a call of a given length lowers
/// the price in proportion until that call is within it, and a free-calls rule makes it
/// nothing. Parts forbidden by a rule that only may apply, or whose source is of low
/// confidence, are in `all` only.
pub(crate) fn lawful(
    rules: &Rules,
    rate: &Rate,
    call: CallKind,
    seconds: u32,
    cost: Decimal,
) -> Allowed {
    let rules_here = covering(rules, call);
    let (mut sure, mut all) = (cost, cost);
    let mut r = rate.clone();
    let take = |amount: Decimal, certain: bool, sure: &mut Decimal, all: &mut Decimal| {
        if amount > Decimal::ZERO {
            *all -= amount;
            if certain {
                *sure -= amount;
            }
        }
    };
    let mut lowest: Option<(Decimal, &LocalRule)> = None;
    for rule in &rules_here {
        let certain = surely(rule);
        let before = call_charge(&r, seconds).charge;
        match &rule.rule.value {
            StateRuleValue::FeeRule {
                per_call_charges: Some(PerCallRule::Prohibited),
                ..
            } => {
                r.per_call = Decimal::ZERO;
                if r.first_minute.is_some_and(|f| f > r.per_minute) {
                    r.first_minute = Some(r.per_minute);
                }
            }
            StateRuleValue::RateCap { .. } | StateRuleValue::CapRefFederal { .. } => {
                if let Some(cap) = cap_of(rules, rule, call) {
                    if certain && lowest.is_none_or(|(l, _)| cap < l) {
                        lowest = Some((cap, rule));
                    }
                    r.per_minute = r.per_minute.min(cap);
                    r.first_minute = r.first_minute.map(|f| f.min(cap));
                }
                if let StateRuleValue::RateCap {
                    per_call: Some(total),
                    ..
                } = &rule.rule.value
                {
                    let of_length = call_charge(&r, total.minutes * 60).charge;
                    if of_length > total.max {
                        // Lowered in proportion (multiplied before dividing; `of_length > 0`).
                        let now = call_charge(&r, seconds).charge;
                        take(
                            now - now * total.max / of_length,
                            certain,
                            &mut sure,
                            &mut all,
                        );
                    }
                }
            }
            _ => continue,
        }
        take(
            before - call_charge(&r, seconds).charge,
            certain,
            &mut sure,
            &mut all,
        );
    }
    // Free calls last: nothing of what is left may be charged.
    let free = rules_here
        .iter()
        .filter(|r| matches!(r.rule.value, StateRuleValue::Free {}))
        .max_by_key(|r| surely(r));
    let mut legal_max = lowest.map(|(cap, _)| cap * Decimal::from(seconds.div_ceil(60)));
    let mut per_minute = lowest.map(|(cap, _)| cap);
    let mut basis = lowest.map(|(_, r)| Basis::of(r.rule.provenance.level, &r.provenance));
    if let Some(rule) = free {
        all = Decimal::ZERO;
        if surely(rule) {
            sure = Decimal::ZERO;
            legal_max = Some(Decimal::ZERO);
            per_minute = Some(Decimal::ZERO);
            basis = Some(Basis::of(rule.rule.provenance.level, &rule.provenance));
        }
    }
    Allowed {
        sure: sure.max(Decimal::ZERO),
        all: all.max(Decimal::ZERO),
        legal_max,
        per_minute,
        basis,
    }
}

/// The most a minute of `call` may cost under the state and local rules that certainly apply:
/// the lowest cap, or nothing under a free-calls law (none: no such rule caps it).
pub(crate) fn per_minute_cap(rules: &Rules, call: CallKind) -> Option<Decimal> {
    let mut lowest: Option<Decimal> = None;
    for rule in covering(rules, call).into_iter().filter(|r| surely(r)) {
        let cap = match &rule.rule.value {
            StateRuleValue::Free {} => Some(Decimal::ZERO),
            _ => cap_of(rules, rule, call),
        };
        if let Some(c) = cap {
            lowest = Some(lowest.map_or(c, |l| l.min(c)));
        }
    }
    lowest
}

/// What the rules covering a call change in what a family pays, apart from what a call may
/// cost: an agency's share of the cost, and free allowances. Only rules that certainly apply
/// are used; the others are returned so the estimate can say they may.
pub(crate) struct Family<'a> {
    /// The agency's share of the cost, from 0 to 1, and its rule.
    pub(crate) share: Option<(Decimal, &'a LocalRule)>,
    /// Free calls each month for calls of `minutes_per_call`, and its rule.
    pub(crate) free_calls: Option<(u32, &'a LocalRule)>,
    /// Rules of these kinds that only may apply (or are of low confidence): not used.
    pub(crate) unsure: Vec<&'a LocalRule>,
}

/// A free-calls rule that certainly applies to `call` (families pay nothing; the agency pays
/// the provider), if any.
pub(crate) fn free_for(rules: &Rules, call: CallKind) -> Option<&LocalRule> {
    covering(rules, call)
        .into_iter()
        .find(|r| matches!(r.rule.value, StateRuleValue::Free {}) && surely(r))
}

/// The agency's share and the free allowance for `call` (calls of `minutes_per_call`).
///
/// An allowance of minutes gives as many whole free calls as its minutes a month hold; one of
/// calls gives its calls, when each may last as long as the family's (otherwise their minutes,
/// as whole calls). A week is 52/12 of a month and a day 365/12 of one, rounded down.
pub(crate) fn family(rules: &Rules, call: CallKind, minutes_per_call: u32) -> Family<'_> {
    let mut f = Family {
        share: None,
        free_calls: None,
        unsure: Vec::new(),
    };
    for rule in covering(rules, call) {
        let sure = surely(rule);
        match &rule.rule.value {
            StateRuleValue::AgencyShare { share }
                if sure && f.share.is_none_or(|(s, _)| *share > s) =>
            {
                f.share = Some((*share, rule));
            }
            StateRuleValue::AgencyShare { .. } if sure => {}
            StateRuleValue::Allowance {
                minutes,
                free_calls,
                call_minutes,
                period,
            } if sure => {
                let (num, den) = match period {
                    crate::vocab::AllowancePeriod::Day => (365, 12),
                    crate::vocab::AllowancePeriod::Week => (52, 12),
                    crate::vocab::AllowancePeriod::Month => (1, 1),
                };
                let per_month =
                    |n: u32| u32::try_from(u64::from(n) * num / den).unwrap_or(u32::MAX);
                let calls = match (minutes, free_calls) {
                    (Some(m), _) => per_month(*m) / minutes_per_call.max(1),
                    (None, Some(n)) => match call_minutes {
                        Some(len) if *len < minutes_per_call => {
                            per_month(n.saturating_mul(*len)) / minutes_per_call.max(1)
                        }
                        _ => per_month(*n),
                    },
                    (None, None) => 0,
                };
                if f.free_calls.is_none_or(|(c, _)| calls > c) {
                    f.free_calls = Some((calls, rule));
                }
            }
            StateRuleValue::AgencyShare { .. } | StateRuleValue::Allowance { .. } => {
                f.unsure.push(rule)
            }
            _ => {}
        }
    }
    f
}

/// What a rule does, in words (`at most $0.11 a minute`), for the caps' table and the page;
/// a cap defined by reference says what it resolves to for this facility.
pub fn summary(rules: &Rules, rule: &LocalRule) -> String {
    let calls = match rule.rule.scope.calls {
        crate::vocab::CallScope::InState => "in-state calls",
        crate::vocab::CallScope::Domestic => "calls within the U.S.",
        crate::vocab::CallScope::International => "international calls",
        crate::vocab::CallScope::All => "all calls",
    };
    let what = match &rule.rule.value {
        StateRuleValue::Free {} => "free to families".to_string(),
        StateRuleValue::AgencyShare { share } => format!(
            "the agency pays {}% of the cost",
            (*share * Decimal::ONE_HUNDRED).normalize()
        ),
        StateRuleValue::RateCap {
            per_minute,
            per_call,
        } => {
            let mut parts = Vec::new();
            if let Some(p) = per_minute {
                parts.push(format!("at most ${} a minute", display(*p)));
            }
            if let Some(t) = per_call {
                parts.push(format!(
                    "at most ${} for a {}-minute call",
                    display(t.max),
                    t.minutes
                ));
            }
            parts.join(" and ")
        }
        StateRuleValue::CapRefFederal { jurisdiction } => {
            let call = CallKind {
                service: crate::call::Service::Audio,
                jurisdiction: *jurisdiction,
                payment: crate::call::Payment::Prepaid,
            };
            match cap_of(rules, rule, call) {
                Some(c) => format!(
                    "at most the FCC's {jurisdiction} cap (${} a minute for audio prepaid calls here today)",
                    display(c)
                ),
                None => format!("at most the FCC's {jurisdiction} cap (none in force today)"),
            }
        }
        StateRuleValue::FeeRule {
            banned,
            capped,
            per_call_charges,
            reference,
        } => {
            let mut parts = Vec::new();
            if !banned.is_empty() {
                let kinds: Vec<&str> = banned.iter().map(|k| k.as_str()).collect();
                parts.push(format!("bans {} fees", kinds.join(", ")));
            }
            for c in capped {
                parts.push(format!("{} fees at most ${}", c.kind, display(c.limit)));
            }
            if *per_call_charges == Some(PerCallRule::Prohibited) {
                parts.push("bans per-call charges".into());
            }
            if let Some(j) = reference {
                parts.push(format!("applies the FCC's fee rules for {j} calls"));
            }
            parts.join("; ")
        }
        StateRuleValue::NoCommission {
            cost_recovery: true,
        } => "no commission beyond the agency's reasonable costs".into(),
        StateRuleValue::NoCommission { .. } => "no commission".into(),
        StateRuleValue::Allowance {
            minutes,
            free_calls,
            call_minutes,
            period,
        } => match (minutes, free_calls) {
            (Some(m), _) => format!("{m} free minutes a {period}"),
            (None, Some(n)) => format!(
                "{n} free call{} a {period}{}",
                if *n == 1 { "" } else { "s" },
                call_minutes.map_or(String::new(), |m| format!(", up to {m} minutes each"))
            ),
            (None, None) => format!("free calls each {period}"),
        },
    };
    let services: Vec<&str> = rule
        .rule
        .scope
        .services
        .iter()
        .map(|s| s.as_str())
        .collect();
    let services = match services.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => services.join(""),
    };
    format!("{services}, {calls}: {what}")
}

/// Who a rule is by, for messages: `NJ (N.J.S.A. 30:4-8.12)`, `San Diego County, CA (...)`.
pub(crate) fn named(rule: &LocalRule) -> String {
    let p = &rule.rule.provenance;
    let who = match &p.locality {
        Some(l) => format!("{l}, {}", rule.rule.state),
        None => rule.rule.state.clone(),
    };
    format!("{who} ({})", p.source)
}

/// Why a rule only may apply, for messages.
pub(crate) fn why_maybe(rule: &LocalRule) -> String {
    let reasons: Vec<String> = rule
        .rule
        .doubts
        .iter()
        .map(|d| match d {
            Doubt::StateUnknown => "the state is not given".to_string(),
            Doubt::OperatorUnknown => format!(
                "it covers facilities run by {} only, and the tariff does not say who runs this one (give `operator`)",
                rule.rule
                    .scope
                    .operators
                    .iter()
                    .map(|o| o.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Doubt::CountyUnknown => "it is a local rule and the tariff does not name the county (give `county_fips`)".to_string(),
            Doubt::FacilityUnknown => "it covers only some kinds of facility".to_string(),
            Doubt::Condition => format!(
                "its condition, which callcap cannot check: {}",
                rule.rule.scope.condition.as_deref().unwrap_or("not stated")
            ),
        })
        .collect();
    reasons.join("; ")
}

/// A finding on a state or local rule: a breach is a violation when the rule certainly
/// applies, a warning saying what is unknown when it only may.
#[allow(clippy::too_many_arguments)]
fn draft<'a>(
    rules: &Rules,
    rule: &'a LocalRule,
    id: RuleId,
    breach: bool,
    actual: Option<Decimal>,
    limit: Option<Decimal>,
    message: String,
    line: Option<usize>,
    calls: Vec<CallKind>,
) -> Draft<'a> {
    // A rule that only may apply is said once, whatever it would find on each line.
    let (severity, message, actual, limit, line) = match (breach, rule.rule.applies()) {
        (true, true) => (Severity::Violation, message, actual, limit, line),
        (true, false) => (
            Severity::Warning,
            format!(
                "{} — {}; the tariff breaks it if it applies, which depends on what callcap does not know: {}",
                named(rule),
                summary(rules, rule),
                why_maybe(rule)
            ),
            None,
            None,
            None,
        ),
        (false, _) => (Severity::Info, message, actual, limit, line),
    };
    Draft {
        rule: id,
        severity,
        actual,
        limit,
        message: Message::Text(message),
        line,
        provenance: Some(&rule.provenance),
        calls,
        level: rule.rule.provenance.level,
    }
}

/// A finding with no rule behind it (no state given, a state not yet researched).
fn unknown<'a>(message: String) -> Draft<'a> {
    Draft {
        rule: RuleId::StateRulesUnknown,
        severity: Severity::Info,
        actual: None,
        limit: None,
        message: Message::Text(message),
        line: None,
        provenance: None::<&Provenance>,
        calls: Vec::new(),
        level: Level::State,
    }
}

/// The state and local findings for a tariff: each of its rates against every rule covering
/// its calls, its fees (judged on a deposit of `deposit`, or the rules' reference deposit) and
/// its commission against every fee rule and commission ban.
pub(crate) fn check<'a>(
    rules: &'a Rules,
    tariff: &Tariff,
    deposit: Option<Decimal>,
    out: &mut Vec<Draft<'a>>,
) {
    let Some(state) = &rules.local.state else {
        out.push(unknown(
            "no state given: state and local rules were not checked (give the facility's `state`, who runs it, `operator`, and its `county_fips`)".to_string(),
        ));
        return;
    };
    if !rules.local.state_covered {
        out.push(unknown(format!(
            "callcap has no state or local rules for {state} yet: only the FCC's rules were checked"
        )));
        return;
    }
    // Per rule (by its place in the list): none, not covering anything; false, met; true,
    // breached.
    let mut judged: Vec<Option<bool>> = vec![None; rules.local.rules.len()];
    let mark = |judged: &mut Vec<Option<bool>>, i: usize, breached: bool| {
        judged[i] = Some(judged[i].unwrap_or(false) || breached);
    };
    for rate in &tariff.rates {
        let calls = rate.calls();
        for (i, rule) in rules.local.rules.iter().enumerate() {
            // The calls of the rate the rule covers, those a cap by reference resolves alike
            // judged together (one finding for all of them, not one a call).
            let mut groups: Vec<(Option<Decimal>, Vec<CallKind>)> = Vec::new();
            for &call in calls.iter().filter(|c| rule.rule.covers(**c)) {
                let cap = cap_of(rules, rule, call);
                match groups.iter_mut().find(|(c, _)| *c == cap) {
                    Some((_, members)) => members.push(call),
                    None => groups.push((cap, vec![call])),
                }
            }
            for (_, group) in groups {
                let before = out.len();
                judge_call(rules, rule, rate, group, out);
                mark(&mut judged, i, out.len() > before);
            }
        }
    }
    for (i, rule) in rules.local.rules.iter().enumerate() {
        let before = out.len();
        judge_tariff(rules, rule, tariff, deposit, out);
        if out.len() > before {
            mark(&mut judged, i, true);
        } else if matches!(
            rule.rule.value,
            StateRuleValue::NoCommission { .. } | StateRuleValue::FeeRule { .. }
        ) {
            mark(&mut judged, i, false);
        }
    }
    // A rule that may apply and that the tariff meets is said once, as information.
    for (rule, judged) in rules.local.rules.iter().zip(judged) {
        if judged == Some(false) && !rule.rule.applies() {
            out.push(draft(
                rules,
                rule,
                RuleId::StateRuleMayApply,
                false,
                None,
                None,
                format!(
                    "{} — {}; it may apply ({}), and the tariff meets it",
                    named(rule),
                    summary(rules, rule),
                    why_maybe(rule)
                ),
                None,
                Vec::new(),
            ));
        }
    }
}

/// One rate's calls that a rule treats alike (covered, the same cap) against the rule.
fn judge_call<'a>(
    rules: &'a Rules,
    rule: &'a LocalRule,
    rate: &Rate,
    calls: Vec<CallKind>,
    out: &mut Vec<Draft<'a>>,
) {
    let line = Some(rate.line);
    let Some(&call) = calls.first() else {
        return;
    };
    match &rule.rule.value {
        StateRuleValue::Free {} => {
            let charges = rate.per_minute > Decimal::ZERO
                || rate.per_call > Decimal::ZERO
                || rate.first_minute.is_some_and(|f| f > Decimal::ZERO);
            if charges {
                out.push(draft(
                rules,
                    rule,
                    RuleId::StateFreeCalls,
                    true,
                    Some(rate.per_minute),
                    Some(Decimal::ZERO),
                    format!(
                        "these calls are free to families under {}: the tariff charges ${} a minute{}",
                        named(rule),
                        display(rate.per_minute),
                        if rate.per_call.is_zero() {
                            String::new()
                        } else {
                            format!(" and ${} a call", display(rate.per_call))
                        }
                    ),
                    line,
                    calls,
                ));
            }
        }
        StateRuleValue::RateCap { .. } | StateRuleValue::CapRefFederal { .. } => {
            let per_call = match &rule.rule.value {
                StateRuleValue::RateCap { per_call, .. } => *per_call,
                _ => None,
            };
            if let Some(cap) = cap_of(rules, rule, call) {
                let price = rate
                    .first_minute
                    .map_or(rate.per_minute, |f| f.max(rate.per_minute));
                if price > cap {
                    let basis = match &rule.rule.value {
                        StateRuleValue::CapRefFederal { jurisdiction } => {
                            format!(", the FCC's {jurisdiction} cap for this facility on this day")
                        }
                        _ => String::new(),
                    };
                    out.push(draft(
                        rules,
                        rule,
                        RuleId::StateRateCap,
                        true,
                        Some(price),
                        Some(cap),
                        format!(
                            "{} is above the ${} cap of {}{basis}",
                            if price > rate.per_minute {
                                format!("the first minute's ${}", display(price))
                            } else {
                                format!("${} a minute", display(price))
                            },
                            display(cap),
                            named(rule)
                        ),
                        line,
                        calls.clone(),
                    ));
                }
            }
            if let Some(total) = per_call {
                let cost = call_charge(rate, total.minutes * 60).charge;
                if cost > total.max {
                    out.push(draft(
                        rules,
                        rule,
                        RuleId::StateCallTotal,
                        true,
                        Some(cost),
                        Some(total.max),
                        format!(
                            "a {}-minute call costs ${}, above the ${} that {} allows for it",
                            total.minutes,
                            display(cost),
                            display(total.max),
                            named(rule)
                        ),
                        line,
                        calls,
                    ));
                }
            }
        }
        StateRuleValue::FeeRule {
            per_call_charges: Some(PerCallRule::Prohibited),
            ..
        } => {
            if !rate.per_call.is_zero() {
                out.push(draft(
                    rules,
                    rule,
                    RuleId::StatePerCallCharge,
                    true,
                    Some(rate.per_call),
                    Some(Decimal::ZERO),
                    format!(
                        "a ${} charge per call; {} bans per-call charges",
                        display(rate.per_call),
                        named(rule)
                    ),
                    line,
                    calls.clone(),
                ));
            }
            if let Some(first) = rate.first_minute.filter(|f| *f > rate.per_minute) {
                out.push(draft(
                rules,
                    rule,
                    RuleId::StatePerCallCharge,
                    true,
                    Some(first),
                    Some(rate.per_minute),
                    format!(
                        "the first minute costs ${}, more than the ${} of the others: a per-call charge, which {} bans",
                        display(first),
                        display(rate.per_minute),
                        named(rule)
                    ),
                    line,
                    calls,
                ));
            }
        }
        StateRuleValue::AgencyShare { share } => out.push(draft(
            rules,
            rule,
            RuleId::StateAgencyShare,
            false,
            Some(*share),
            None,
            format!(
                "under {} the agency pays {}% of the cost of these calls; families pay the rest",
                named(rule),
                (*share * Decimal::ONE_HUNDRED).normalize()
            ),
            line,
            calls,
        )),
        StateRuleValue::Allowance {
            minutes,
            free_calls,
            call_minutes,
            period,
        } => {
            let what = match (minutes, free_calls) {
                (Some(m), _) => format!("{m} free minutes"),
                (None, Some(n)) => format!(
                    "{n} free call{}{}",
                    if *n == 1 { "" } else { "s" },
                    call_minutes.map_or(String::new(), |m| format!(" of up to {m} minutes"))
                ),
                (None, None) => "free calls".to_string(),
            };
            out.push(draft(
                rules,
                rule,
                RuleId::StateAllowance,
                false,
                None,
                None,
                format!(
                    "under {} families get {what} each {period} before the tariff applies",
                    named(rule)
                ),
                line,
                calls,
            ));
        }
        _ => {}
    }
}

/// The tariff's fees and commission against a fee rule or a commission ban.
fn judge_tariff<'a>(
    rules: &'a Rules,
    rule: &'a LocalRule,
    tariff: &Tariff,
    deposit: Option<Decimal>,
    out: &mut Vec<Draft<'a>>,
) {
    let deposit = deposit
        .or(rules.percent_fee_reference_deposit)
        .unwrap_or_default();
    match &rule.rule.value {
        StateRuleValue::NoCommission { cost_recovery } => {
            let in_kind = tariff
                .bid
                .as_ref()
                .is_some_and(|b| !b.in_kind_per_year.is_zero());
            if tariff.commission.is_paid() || in_kind {
                let but = if *cost_recovery {
                    " beyond the agency's reasonable costs"
                } else {
                    ""
                };
                out.push(draft(
                    rules,
                    rule,
                    RuleId::StateCommissionProhibited,
                    true,
                    None,
                    Some(Decimal::ZERO),
                    format!(
                        "{} bans commissions{but}; this tariff pays one",
                        named(rule)
                    ),
                    None,
                    Vec::new(),
                ));
            }
        }
        StateRuleValue::FeeRule {
            banned,
            capped,
            reference,
            ..
        } => {
            for fee in &tariff.fees {
                let value = fee.on_deposit(deposit);
                if value.is_zero() && fee.percent.is_zero() {
                    continue;
                }
                let on = if fee.percent.is_zero() {
                    String::new()
                } else {
                    format!(" on a ${} deposit", display(deposit))
                };
                let federal = reference.and_then(|_| rules.fee(fee.kind));
                let limit = if banned.contains(&fee.kind)
                    || federal.is_some_and(|f| f.regulated && !f.allowed)
                {
                    Some(Decimal::ZERO)
                } else {
                    capped
                        .iter()
                        .find(|c| c.kind == fee.kind)
                        .map(|c| c.limit)
                        .or_else(|| federal.filter(|f| f.regulated).and_then(|f| f.limit))
                };
                let Some(limit) = limit.filter(|l| value > *l) else {
                    continue;
                };
                let (id, words) = if limit.is_zero() {
                    (RuleId::StateFeeProhibited, "bans it".to_string())
                } else {
                    (
                        RuleId::StateFeeCap,
                        format!("allows at most ${}", display(limit)),
                    )
                };
                let how = if reference.is_some() && federal.is_some() {
                    ", applying the FCC's fee rules"
                } else {
                    ""
                };
                out.push(draft(
                    rules,
                    rule,
                    id,
                    true,
                    Some(value),
                    Some(limit),
                    format!(
                        "{} {} fee (${}{on}): {}{how} {words}",
                        if fee.kind.as_str().starts_with(['a', 'e', 'i', 'o', 'u']) {
                            "an"
                        } else {
                            "a"
                        },
                        fee.kind,
                        display(value),
                        named(rule)
                    ),
                    Some(fee.line),
                    Vec::new(),
                ));
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::{Jurisdiction, Payment, Service};
    use crate::facility::{Facility, FacilityKind, Operator};
    use crate::ratebook::RateBook;

    fn rules(date: &str, state: &str, operator: Option<Operator>, kind: FacilityKind) -> Rules {
        let mut f = Facility::new(kind, 300);
        f.state = Some(state.into());
        f.operator = operator;
        let book = RateBook::bundled().expect("bundled");
        book.rules(crate::dated::parse_date(date).expect("date"), &f)
    }

    fn rate(per_minute: &str) -> Rate {
        Rate {
            service: None,
            jurisdiction: None,
            payment: None,
            per_minute: per_minute.parse().expect("decimal"),
            first_minute: None,
            per_call: Decimal::ZERO,
            billing_increment_seconds: 60,
            line: 1,
        }
    }

    const IN_STATE: CallKind = CallKind {
        service: Service::Audio,
        jurisdiction: Jurisdiction::Intrastate,
        payment: Payment::Prepaid,
    };

    #[test]
    fn a_massachusetts_county_jail_call_is_free_and_may_be_if_who_runs_it_is_unknown() {
        let r = rules(
            "2024-06-01",
            "MA",
            Some(Operator::County),
            FacilityKind::Jail,
        );
        let a = lawful(&r, &rate("0.21"), IN_STATE, 600, "2.10".parse().unwrap());
        assert_eq!(
            (a.sure, a.all, a.legal_max),
            (Decimal::ZERO, Decimal::ZERO, Some(Decimal::ZERO))
        );
        let r = rules("2024-06-01", "MA", None, FacilityKind::Jail);
        let a = lawful(&r, &rate("0.21"), IN_STATE, 600, "2.10".parse().unwrap());
        // The day before the law, nothing.
        assert_eq!(a.all, Decimal::ZERO);
        assert_eq!(
            a.sure,
            "2.10".parse::<Decimal>().unwrap(),
            "not applied silently"
        );
        let r = rules(
            "2023-11-30",
            "MA",
            Some(Operator::County),
            FacilityKind::Jail,
        );
        let a = lawful(&r, &rate("0.21"), IN_STATE, 600, "2.10".parse().unwrap());
        assert_eq!(a.sure, "2.10".parse::<Decimal>().unwrap());
    }

    #[test]
    fn a_new_jersey_county_jail_is_held_to_eleven_cents() {
        let r = rules(
            "2026-06-01",
            "NJ",
            Some(Operator::County),
            FacilityKind::Jail,
        );
        let a = lawful(&r, &rate("0.16"), IN_STATE, 600, "1.60".parse().unwrap());
        assert_eq!(a.sure, "1.10".parse::<Decimal>().unwrap());
        assert_eq!(a.legal_max, Some("1.10".parse().unwrap()));
    }
}
