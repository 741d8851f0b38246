//! A family's month: what calls and deposits really cost, against the legal maximum.
//!
//! Every charge a payer sees is rounded to the cent by [`crate::money::round_to_cent`] where a
//! bill would round it: each call, each deposit's fees, the month's taxes. Totals add those
//! rounded amounts, so the itemised parts always add up to the total.

use crate::call::{CallKind, Payment};
use crate::check::{allowance, check_rules_for, lawful_call, Counts, Finding};
use crate::cost::call_charge;
use crate::error::{Error, Result};
use crate::money::{round_rate, round_to_cent, Exact};
use crate::ratebook::{PerCallRule, RateBook, Rules, Versions};
use crate::tariff::{FeeKind, Rate, Tariff};
use chrono::NaiveDate;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

/// How a family uses the phone in a month and how it pays. Front ends make it with
/// [`FamilyPlan::from_inputs`], which decides calls a month from what was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyPlan {
    /// The kind of call.
    pub call: CallKind,
    /// Calls a month.
    pub calls_per_month: u32,
    /// How the number of calls was given (the estimate's notes say what was assumed).
    pub calls_given: CallsGiven,
    /// Minutes talked per call (whole minutes).
    pub minutes_per_call: u32,
    /// The size of each deposit (none: one deposit a month of exactly what is needed).
    pub deposit: Option<Decimal>,
    /// How deposits are made: `automated_payment` or `live_agent`.
    pub deposit_method: FeeKind,
}

/// Calls a month for a number of calls a week: 52 weeks over 12 months, rounded to the
/// nearest whole call (half up). Four calls a week are 17 calls a month (4 × 52 / 12 = 17.33).
pub fn calls_per_month_from_week(calls_per_week: u32) -> u32 {
    let exact = Decimal::from(calls_per_week) * Decimal::from(52) / Decimal::from(12);
    exact
        .round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        .to_u32()
        .unwrap_or(u32::MAX)
}

/// How the number of calls in a [`FamilyPlan`] was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallsGiven {
    /// As calls a month.
    PerMonth,
    /// As this many calls a week, turned into calls a month by [`calls_per_month_from_week`].
    PerWeek(u32),
    /// Not at all: [`DEFAULT_CALLS_PER_MONTH`] is assumed.
    Assumed,
}

/// Calls a month assumed when none are given: an illustration (about four a week), said in the
/// estimate's notes, not a measured figure.
pub const DEFAULT_CALLS_PER_MONTH: u32 = 16;

pub use crate::tariff::{MAX_CALLS_PER_MONTH, MAX_MINUTES_PER_CALL};

impl FamilyPlan {
    /// The plan from what a person gives: calls a month or calls a week (not both; neither:
    /// [`DEFAULT_CALLS_PER_MONTH`], and the estimate says so), minutes per call, an optional
    /// deposit size and how deposits are made. Checked by [`FamilyPlan::validate`]; a bad value
    /// is a usage error naming the input (`calls_per_week`).
    pub fn from_inputs(
        call: CallKind,
        calls_per_month: Option<u32>,
        calls_per_week: Option<u32>,
        minutes_per_call: u32,
        deposit: Option<Decimal>,
        deposit_method: FeeKind,
    ) -> Result<FamilyPlan> {
        let (calls_per_month, calls_given) = match (calls_per_month, calls_per_week) {
            (Some(_), Some(_)) => {
                return Err(Error::usage(
                    "calls_per_week",
                    "give calls a month or calls a week, not both",
                ))
            }
            (Some(m), None) => (m, CallsGiven::PerMonth),
            (None, Some(w)) => {
                let month = calls_per_month_from_week(w);
                if month > MAX_CALLS_PER_MONTH {
                    // Said of what was given: calls a week.
                    let most = MAX_CALLS_PER_MONTH * 12 / 52;
                    return Err(Error::usage(
                        "calls_per_week",
                        format!(
                            "{w} calls a week are {month} a month; at most {most} calls a week ({MAX_CALLS_PER_MONTH} a month) are accepted"
                        ),
                    ));
                }
                (month, CallsGiven::PerWeek(w))
            }
            (None, None) => (DEFAULT_CALLS_PER_MONTH, CallsGiven::Assumed),
        };
        let plan = FamilyPlan {
            call,
            calls_per_month,
            calls_given,
            minutes_per_call,
            deposit,
            deposit_method,
        };
        plan.validate()?;
        Ok(plan)
    }

    /// What the estimate assumed about the number of calls, if anything.
    fn calls_note(&self) -> Option<String> {
        match self.calls_given {
            CallsGiven::PerMonth => None,
            CallsGiven::PerWeek(w) => Some(format!(
                "{w} calls a week are {} calls a month (52 weeks over 12 months, to the nearest call)",
                self.calls_per_month
            )),
            CallsGiven::Assumed => Some(format!(
                "no number of calls was given: {DEFAULT_CALLS_PER_MONTH} calls a month are assumed"
            )),
        }
    }

    /// Checks the plan and says what would be valid; a bad value is a usage error naming the
    /// input (`minutes_per_call`).
    pub fn validate(&self) -> Result<()> {
        let bad = |what: &str, m: String| Err(Error::usage(what, m));
        if self.calls_per_month > MAX_CALLS_PER_MONTH {
            return bad(
                "calls_per_month",
                format!("at most {MAX_CALLS_PER_MONTH} calls a month"),
            );
        }
        if self.minutes_per_call == 0 || self.minutes_per_call > MAX_MINUTES_PER_CALL {
            return bad(
                "minutes_per_call",
                format!("minutes per call must be from 1 to {MAX_MINUTES_PER_CALL}"),
            );
        }
        if !matches!(
            self.deposit_method,
            FeeKind::AutomatedPayment | FeeKind::LiveAgent
        ) {
            return bad(
                "deposit_method",
                format!(
                    "`{}` is not a way to deposit; use automated_payment or live_agent",
                    self.deposit_method
                ),
            );
        }
        if self.deposit.is_some_and(|d| d < crate::money::MIN_DEPOSIT) {
            return bad(
                "deposit",
                format!(
                    "a deposit is in dollars and at least ${}, like 25",
                    crate::money::MIN_DEPOSIT
                ),
            );
        }
        Ok(())
    }
}

/// One call's charge, as billed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerCall {
    /// Seconds billed (partial increments round up): exact.
    pub seconds_billed: u64,
    /// Minutes billed, as shown ([`crate::money::round_quantity`] of the seconds over 60).
    #[serde(serialize_with = "crate::money::serialize_quantity")]
    pub minutes_billed: Decimal,
    /// The charge, rounded to the cent.
    #[serde(serialize_with = "crate::money::serialize")]
    pub charge: Decimal,
}

/// One kind of fee in the month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FeeItem {
    /// The fee.
    pub kind: FeeKind,
    /// Charged per use, rounded to the cent.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_use: Decimal,
    /// Uses in the month.
    pub uses: u64,
    /// per_use × uses.
    #[serde(serialize_with = "crate::money::serialize")]
    pub total: Decimal,
}

/// A month's itemised cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Month {
    /// Calls.
    pub calls: u32,
    /// Of them, calls free under a state or local allowance (not charged).
    pub free_calls: u32,
    /// Minutes talked per call.
    pub minutes_per_call: u32,
    /// Minutes talked.
    pub minutes: u32,
    /// Seconds billed: exact.
    pub seconds_billed: u64,
    /// Minutes billed, as shown ([`crate::money::round_quantity`] of the seconds over 60).
    #[serde(serialize_with = "crate::money::serialize_quantity")]
    pub minutes_billed: Decimal,
    /// calls × the per-call charge.
    #[serde(serialize_with = "crate::money::serialize")]
    pub call_charges: Decimal,
    /// Deposits made.
    pub deposits: u64,
    /// Each deposit's size.
    #[serde(serialize_with = "crate::money::serialize")]
    pub deposit_amount: Decimal,
    /// The fees, itemised.
    pub fee_items: Vec<FeeItem>,
    /// Sum of the fee items.
    #[serde(serialize_with = "crate::money::serialize")]
    pub fees: Decimal,
    /// Taxes and regulatory fees passed through (on call charges), rounded to the cent.
    #[serde(serialize_with = "crate::money::serialize")]
    pub taxes: Decimal,
    /// call_charges + fees + taxes.
    #[serde(serialize_with = "crate::money::serialize")]
    pub total: Decimal,
}

/// The same month at the legal maximum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AtCap {
    /// The most a minute could lawfully cost (cap plus any allowed additive).
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_minute: Decimal,
    /// The rule that sets it: the FCC's cap, or a lower state or local cap (or a free-calls
    /// law).
    pub set_by: Option<crate::check::Basis>,
    /// The month priced at that rate, fees limited to what the rules allow.
    #[serde(flatten)]
    pub month: Month,
}

/// A family's month under a tariff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Estimate {
    /// What produced it: callcap's version and the rate book's edition.
    pub version: Versions,
    /// The date whose rules apply.
    pub date: NaiveDate,
    /// The kind of call.
    pub call: CallKind,
    /// One call.
    pub per_call: PerCall,
    /// The month.
    pub month: Month,
    /// total ÷ minutes talked, rounded by [`crate::money::round_rate`].
    #[serde(serialize_with = "crate::money::serialize")]
    pub effective_per_minute: Decimal,
    /// The month at the legal maximum (null when no federal cap covered the call).
    pub at_cap: Option<AtCap>,
    /// What the month charges above the legal maximum, component by component (null when
    /// no federal cap covered the call).
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub overcharge: Option<Decimal>,
    /// The part of the call charges that goes to the facility as site commission.
    #[serde(serialize_with = "crate::money::serialize")]
    pub commission_share: Decimal,
    /// No finding of the full check is a violation.
    pub compliant: bool,
    /// The month costs more than the legal maximum (false when there is none to compare).
    pub overcharged: bool,
    /// How many findings are violations, warnings and information.
    pub counts: Counts,
    /// Findings of a full check of the tariff on the date.
    pub findings: Vec<Finding>,
    /// What the estimate assumed.
    pub notes: Vec<String>,
}

/// A tariff's price for one kind of call (one call, as billed), fees and taxes, as the month
/// needs them: the tariff's own, or the same lowered to what the rules allow.
struct Pricing<'a> {
    per_call: PerCall,
    fees: Vec<(FeeKind, &'a crate::tariff::Fee, Decimal)>,
    tax_percent: Decimal,
    /// Calls a month that are free under an allowance.
    free_calls: u32,
}

impl PerCall {
    /// One call billed `seconds_billed` seconds for `charge` (exact; rounded here).
    fn billed(seconds_billed: u64, charge: Decimal) -> PerCall {
        PerCall {
            seconds_billed,
            minutes_billed: crate::money::round_quantity(Decimal::from(seconds_billed) / SIXTY),
            charge: round_to_cent(charge),
        }
    }
}

const SIXTY: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

impl Pricing<'_> {
    fn month(&self, plan: &FamilyPlan) -> Result<(PerCall, Month)> {
        let per_call = self.per_call.clone();
        let calls = plan.calls_per_month;
        let free_calls = self.free_calls.min(calls);
        let call_charges = per_call.charge * Decimal::from(calls - free_calls);
        let taxes = round_to_cent(call_charges * self.tax_percent / Decimal::ONE_HUNDRED);
        let needed = call_charges + taxes;
        let collect = plan.call.payment == Payment::Collect;
        let (deposits, deposit_amount) = match (collect, plan.deposit) {
            (true, _) => (0, Decimal::ZERO),
            (false, _) if needed.is_zero() => (0, plan.deposit.unwrap_or_default()),
            (false, None) => (1, needed),
            (false, Some(d)) => {
                let n = needed.over(d)?.ceil().to_u64().ok_or_else(|| {
                    Error::usage(
                        "deposit",
                        "too many deposits to count; give a larger deposit",
                    )
                })?;
                (n.max(1), d)
            }
        };
        let mut fee_items = Vec::new();
        for (kind, fee, limit) in &self.fees {
            let uses = match kind {
                FeeKind::AccountMaintenance => 1,
                k if *k == plan.deposit_method || *k == FeeKind::ThirdPartyTransaction => deposits,
                _ => 0,
            };
            if uses == 0 {
                continue;
            }
            let per_use = round_to_cent(fee.on_deposit(deposit_amount).min(*limit));
            fee_items.push(FeeItem {
                kind: *kind,
                per_use,
                uses,
                total: per_use * Decimal::from(uses),
            });
        }
        let fees: Decimal = fee_items.iter().map(|f| f.total).sum();
        let month = Month {
            calls,
            free_calls,
            minutes_per_call: plan.minutes_per_call,
            minutes: calls * plan.minutes_per_call,
            seconds_billed: per_call.seconds_billed * u64::from(calls),
            minutes_billed: crate::money::round_quantity(
                Decimal::from(per_call.seconds_billed * u64::from(calls)) / SIXTY,
            ),
            call_charges,
            deposits,
            deposit_amount,
            fee_items,
            fees,
            taxes,
            total: call_charges + fees + taxes,
        };
        Ok((per_call, month))
    }
}

/// The highest amount any fee can be (no limit).
const NO_LIMIT: Decimal = Decimal::MAX;

/// A family's month under `tariff` on `date`.
pub fn estimate(
    book: &RateBook,
    tariff: &Tariff,
    plan: &FamilyPlan,
    date: NaiveDate,
) -> Result<Estimate> {
    estimate_month(book, tariff, plan, date).map_err(|e| e.in_file(&tariff.file))
}

fn estimate_month(
    book: &RateBook,
    tariff: &Tariff,
    plan: &FamilyPlan,
    date: NaiveDate,
) -> Result<Estimate> {
    plan.validate()?;
    let rules = book.rules_for(date, &tariff.facility, tariff.contract.as_ref());
    let rate = tariff.rate_for(plan.call).ok_or_else(|| {
        Error::file(
            &tariff.file,
            format!(
                "the tariff has no [[rate]] for {} calls; add one or choose another call",
                plan.call
            ),
        )
    })?;
    let tax_percent = tariff.tax_percent();
    let seconds = plan.minutes_per_call * 60;
    let one = call_charge(rate, seconds);
    let judged = lawful_call(&rules, tariff, rate, plan.call, seconds);
    // What an agency pays and free allowances change what the family pays, lawful or not.
    let family = crate::check::local::family(&rules, plan.call, plan.minutes_per_call);
    let families_part = |charge: Decimal| match family.share {
        Some((share, _)) => charge * (Decimal::ONE - share),
        None => charge,
    };
    let free_calls = family.free_calls.map_or(0, |(n, _)| n);
    let actual = Pricing {
        per_call: PerCall::billed(one.seconds_billed, families_part(one.charge)),
        fees: tariff.fees.iter().map(|f| (f.kind, f, NO_LIMIT)).collect(),
        tax_percent,
        free_calls,
    };
    let (per_call, month) = actual.month(plan)?;
    let mut notes: Vec<String> = plan.calls_note().into_iter().collect();
    notes.extend([
        "each call and each deposit fee is rounded to the cent; taxes are rounded once for the month".to_string(),
        "deposit fees: the deposit method's fee and any third-party transaction fee, per deposit; an account_maintenance fee once a month; other fees are not part of a regular month".to_string(),
    ]);
    if plan.deposit.is_none() && plan.call.payment != Payment::Collect {
        notes.push(
            "no deposit size given: one deposit a month of exactly what the calls cost".into(),
        );
    }
    if plan.call.payment == Payment::Collect {
        notes.push("collect calls are billed to the called party: no deposits".into());
    }
    // The same month with every part a rule forbids taken out, and at the legal maximum.
    let (fee_limits, uncertain_fees) = lawful_fees(&rules, tariff, plan.deposit_method);
    let lawful = Pricing {
        per_call: PerCall::billed(one.seconds_billed, families_part(judged.lawful)),
        fees: fee_limits.clone(),
        tax_percent,
        free_calls,
    };
    let (_, lawful_month) = lawful.month(plan)?;
    let over = overcharge(&month, &lawful_month);
    let at_cap = match judged.legal_max {
        Some(most) => {
            // Where the rules leave part of the price unlimited (billing increments before
            // 2021), this tariff's own lawful charge can be above the formula: it is lawful.
            let (seconds_billed, charge) = if most >= judged.lawful {
                (u64::from(seconds), most)
            } else {
                notes.push(format!(
                    "the rules in force on {date} do not limit billing increments on these calls: the legal maximum counts this tariff's {}-second increments",
                    rate.billing_increment_seconds
                ));
                (one.seconds_billed, judged.lawful)
            };
            let legal = Pricing {
                per_call: PerCall::billed(seconds_billed, families_part(charge)),
                fees: fee_limits,
                tax_percent,
                free_calls,
            };
            Some(AtCap {
                per_minute: judged.per_minute_limit.unwrap_or_default(),
                set_by: judged.basis.clone(),
                month: legal.month(plan)?.1,
            })
        }
        None => {
            notes.push(format!(
                "no federal, state or local cap covered {} calls on {date}: there is no legal maximum to compare",
                plan.call
            ));
            None
        }
    };
    if let Some(n) = rules
        .call_charge(plan.call.service, plan.call.jurisdiction)
        .filter(|c| c.per_call == PerCallRule::FifteenMinuteEquivalence)
        .and_then(|c| c.equivalence_minutes)
        .filter(|_| at_cap.is_some())
    {
        notes.push(format!(
            "under the {n}-minute equivalence a per-call charge is lawful if a {n}-minute call, with it, costs no more than {n} minutes at the cap: the legal maximum of a shorter call is {n} minutes at the cap"
        ));
    }
    let overcharge = (at_cap.is_some() || over > Decimal::ZERO).then_some(over);
    let overcharged = over > Decimal::ZERO || judged.excess() > Decimal::ZERO;
    if overcharged && over.is_zero() {
        notes.push(format!(
            "each call costs ${} more than the rules allow: less than a cent once rounded",
            crate::money::display(judged.excess())
        ));
    }
    if let Some((share, rule)) = family.share {
        notes.push(format!(
            "under {} the agency pays {}% of the cost of these calls: the month shows the family's part, {}% of the tariff",
            crate::check::local::named(rule),
            (share * Decimal::ONE_HUNDRED).normalize(),
            ((Decimal::ONE - share) * Decimal::ONE_HUNDRED).normalize()
        ));
    }
    if let Some((n, rule)) = family.free_calls {
        notes.push(format!(
            "under {}, {} of the month's {}-minute calls are free (its allowance, as whole calls): they are not charged",
            crate::check::local::named(rule),
            n.min(plan.calls_per_month),
            plan.minutes_per_call
        ));
    }
    for rule in &family.unsure {
        notes.push(format!(
            "{} may change what the family pays ({}): not applied",
            crate::check::local::named(rule),
            crate::check::local::why_maybe(rule)
        ));
    }
    if let Some(b) = judged
        .basis
        .as_ref()
        .filter(|b| b.level != crate::vocab::Level::Federal)
    {
        notes.push(format!(
            "the legal maximum is set by a {} rule: {}, {}",
            b.level, b.source, b.citation
        ));
    }
    if judged.uncertain > Decimal::ZERO {
        notes.push(format!(
            "each call may cost ${} more than the rules allow, under a rule that may apply or whose text is uncertain (a warning in the findings): not counted in the overcharge",
            crate::money::display(judged.uncertain)
        ));
    }
    if !tax_percent.is_zero() {
        // The legal maximum keeps the tariff's taxes: say so, and what they come to.
        let names: Vec<String> = tariff
            .taxes
            .iter()
            .map(|t| {
                format!(
                    "{} {}%",
                    crate::error::quoted(&t.name),
                    t.percent.normalize()
                )
            })
            .collect();
        let legal_taxes = at_cap.as_ref().map_or(month.taxes, |a| a.month.taxes);
        notes.push(format!(
            "taxes and fees passed through ({}) are unverified: callcap cannot tell a tax a government requires from a provider's own surcharge; the legal maximum counts them as lawful taxes (${} of it); if they are not, the legal maximum is that much lower",
            names.join(", "),
            crate::money::display(legal_taxes)
        ));
    }
    for kind in uncertain_fees {
        notes.push(format!(
            "the rule limiting {kind} fees on {date} is uncertain (a warning in the findings): the legal maximum counts the tariff's fee"
        ));
    }
    let c = &tariff.commission;
    let commission_share = round_to_cent(
        month.call_charges * c.percent_of_revenue / Decimal::ONE_HUNDRED
            + crate::cost::per_minute_for(c.per_minute, month.seconds_billed),
    )
    .min(month.call_charges);
    let effective_per_minute = if month.minutes == 0 {
        Decimal::ZERO
    } else {
        round_rate(month.total / Decimal::from(month.minutes))
    };
    // Percentage fees are judged on the family's own deposit, as the month charges them, and
    // a fee whose limit depends on how the deposit is made by the plan's method.
    let deposit = (month.deposits > 0).then_some(month.deposit_amount);
    let findings = check_rules_for(&rules, tariff, Some(plan.deposit_method), deposit);
    if rules
        .ancillary_fees
        .iter()
        .any(|f| f.limit_by_method.is_some())
    {
        notes.push(format!(
            "fee limits that depend on how the deposit is made are those for deposits by {}",
            plan.deposit_method
        ));
    }
    let counts = Counts::of(&findings);
    Ok(Estimate {
        version: book.versions(),
        date,
        call: plan.call,
        per_call,
        month,
        effective_per_minute,
        at_cap,
        overcharged,
        overcharge,
        commission_share,
        compliant: counts.violations == 0,
        counts,
        findings,
        notes,
    })
}

/// Each fee of the tariff with the most it may lawfully be per use: nothing where it is
/// banned, its cap where it has one, unlimited where no rule limits it. A rule whose text is
/// uncertain (low confidence: a warning in the findings) does not limit it, and is returned.
fn lawful_fees<'a>(
    rules: &Rules,
    tariff: &'a Tariff,
    method: FeeKind,
) -> (
    Vec<(FeeKind, &'a crate::tariff::Fee, Decimal)>,
    Vec<FeeKind>,
) {
    let mut uncertain = Vec::new();
    let fees = tariff
        .fees
        .iter()
        .map(|fee| {
            let limit = match rules.fee(fee.kind).filter(|r| r.regulated) {
                Some(r) if !crate::check::binding(r.provenance.as_ref()) => {
                    if !uncertain.contains(&fee.kind) {
                        uncertain.push(fee.kind);
                    }
                    NO_LIMIT
                }
                Some(r) if !r.allowed => Decimal::ZERO,
                Some(r) => r.limit_for(Some(method)).unwrap_or(NO_LIMIT),
                None => NO_LIMIT,
            };
            (fee.kind, fee, limit)
        })
        .collect();
    (fees, uncertain)
}

/// What `month` charges above `legal`, component by component: call charges above the legal
/// call charges (with their taxes), and each fee above its legal amount.
fn overcharge(month: &Month, legal: &Month) -> Decimal {
    let calls = (month.call_charges - legal.call_charges).max(Decimal::ZERO);
    let taxes = (month.taxes - legal.taxes).max(Decimal::ZERO);
    let fees: Decimal = month
        .fee_items
        .iter()
        .map(|f| {
            let lawful = legal
                .fee_items
                .iter()
                .find(|l| l.kind == f.kind)
                .map_or(Decimal::ZERO, |l| l.per_use * Decimal::from(f.uses));
            (f.total - lawful).max(Decimal::ZERO)
        })
        .sum();
    calls + taxes + fees
}

/// A family's month at the legal maximum for a facility, when the family does not have the
/// provider's tariff: every minute at the cap plus any flat additive, billed by the minute,
/// with no fees and no commission. An error when no federal cap covered the call that day.
pub fn at_legal_maximum(
    book: &RateBook,
    facility: &crate::facility::Facility,
    plan: &FamilyPlan,
    date: NaiveDate,
) -> Result<Estimate> {
    let rules = book.rules(date, facility);
    let federal = rules.cap(plan.call).and_then(|line| {
        let cap = line.per_minute?;
        Some(cap + allowance(line, cap, &crate::tariff::Commission::default(), cap))
    });
    // A lower state or local cap (or a free-calls law) that certainly applies sets it instead.
    let local = crate::check::local::per_minute_cap(&rules, plan.call);
    let per_minute = match (federal, local) {
        (Some(f), Some(l)) => Some(f.min(l)),
        (f, l) => f.or(l),
    }
    .ok_or_else(|| {
        Error::file(
            "facility",
            format!(
                "no federal, state or local cap covered {} calls from a {} on {date}; enter the provider's rates instead",
                plan.call, facility.kind
            ),
        )
    })?;
    let tariff = Tariff {
        file: "legal maximum".into(),
        facility: facility.clone(),
        provider: None,
        rates: vec![Rate {
            service: Some(plan.call.service),
            jurisdiction: Some(plan.call.jurisdiction),
            payment: Some(plan.call.payment),
            per_minute,
            first_minute: None,
            per_call: Decimal::ZERO,
            billing_increment_seconds: crate::tariff::DEFAULT_BILLING_INCREMENT_SECONDS,
            line: 0,
        }],
        fees: Vec::new(),
        taxes: Vec::new(),
        commission: crate::tariff::Commission::default(),
        bid: None,
        contract: None,
    };
    let mut e = estimate(book, &tariff, plan, date)?;
    e.notes.insert(0, "no tariff given: the month is priced at the legal maximum (cap plus any additive, no fees)".into());
    Ok(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_become_months_at_52_over_12() {
        for (week, month) in [(0, 0), (1, 4), (3, 13), (4, 17), (7, 30), (21, 91)] {
            assert_eq!(calls_per_month_from_week(week), month, "{week} a week");
        }
    }
}
