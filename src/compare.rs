//! Bids side by side: what each costs families a year, what the facility gets, and whether it
//! is lawful now and at every rule change within its term.
//!
//! Annual figures are computed exactly from the demand assumptions and rounded to the cent once,
//! at the end. Each call's charge is first rounded to the cent, as a bill would.

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::check::{check_rules, Finding};
use crate::cost::call_charge;
use crate::demand::Demand;
use crate::error::{Error, Result};
use crate::money::{round_rate, round_to_cent, Exact};
use crate::ratebook::{RateBook, Severity, Versions};
use crate::tariff::{FeeKind, Tariff};
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The call length the side-by-side price of a call is quoted for, in minutes (the length
/// families and the FCC's own comparisons use; not a rule).
pub const COMPARISON_CALL_MINUTES: u32 = 15;

const MONTHS_PER_YEAR: u32 = 12;

/// Where a bid's commission comes from, a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommissionBreakdown {
    /// Percentage of call revenue.
    #[serde(serialize_with = "crate::money::serialize")]
    pub percent_of_revenue: Decimal,
    /// Per-minute commission on billed minutes.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_minute: Decimal,
    /// What the minimum annual guarantee adds to reach its floor.
    #[serde(serialize_with = "crate::money::serialize")]
    pub guarantee_top_up: Decimal,
    /// The signing bonus spread over the term.
    #[serde(serialize_with = "crate::money::serialize")]
    pub signing_bonus_per_year: Decimal,
    /// In-kind value a year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub in_kind_per_year: Decimal,
}

/// Compliance on one date within a bid's term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DatedCompliance {
    /// The date: the comparison date, the bid's start, or a later rule change.
    pub date: NaiveDate,
    /// The regime in force.
    pub regime: Option<String>,
    /// No violations that day.
    pub compliant: bool,
    /// Violations that day.
    pub violations: usize,
    /// The findings.
    pub findings: Vec<Finding>,
}

/// One bid, costed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BidResult {
    /// The bid's name.
    pub name: String,
    /// Its file.
    pub file: String,
    /// Its facility's average daily population.
    pub average_daily_population: u32,
    /// First day of the contract.
    pub start: NaiveDate,
    /// Day after the last day.
    pub end: NaiveDate,
    /// Contract length.
    pub term_years: u32,
    /// Calls, fees and taxes families pay a year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_family_cost: Decimal,
    /// Of which call charges.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_call_charges: Decimal,
    /// Of which deposit fees.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_fees: Decimal,
    /// Of which taxes.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_taxes: Decimal,
    /// What the agency pays the provider a year for calls families do not pay for: calls a
    /// state or local law makes free, an agency's share of the cost, free allowances (zero
    /// where no such rule applies). Families' figures above leave it out.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_agency_cost: Decimal,
    /// Everything the facility receives a year.
    #[serde(serialize_with = "crate::money::serialize")]
    pub annual_commission: Decimal,
    /// Where it comes from.
    pub commission_breakdown: CommissionBreakdown,
    /// Minutes talked a year under the demand assumptions.
    #[serde(serialize_with = "crate::money::serialize_quantity")]
    pub annual_minutes: Decimal,
    /// The charge for a 15-minute prepaid audio call, by jurisdiction (null: not offered).
    pub family_cost_per_15_min_call: BTreeMap<Jurisdiction, Option<String>>,
    /// annual_family_cost ÷ annual_minutes.
    #[serde(serialize_with = "crate::money::serialize")]
    pub effective_per_minute: Decimal,
    /// Compliant on the comparison date.
    pub compliant: bool,
    /// Every kind of call in the demand has a price in the bid. When not, its annual figures
    /// leave those calls out and look cheaper than the bid is: it is not ranked.
    pub prices_all_demand: bool,
    /// The kinds of call in the demand the bid has no rate for.
    pub unpriced_calls: Vec<CallKind>,
    /// Its place by annual family cost among the bids that price all the demand (1: families
    /// pay least); none for a bid that prices only part of it.
    pub rank: Option<usize>,
    /// Findings on the comparison date.
    pub findings: Vec<Finding>,
    /// Compliance on the comparison date, the start date and each later rule change in the term.
    pub compliance: Vec<DatedCompliance>,
    /// What the figures assumed or left out.
    pub notes: Vec<String>,
}

/// Bids compared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// What produced it: callcap's version and the rate book's edition.
    pub version: Versions,
    /// The comparison date.
    pub date: NaiveDate,
    /// The average daily population every bid was priced at, when one was given in place of
    /// the bid files' own (a what-if); null when each bid's own was used.
    pub what_if_adp: Option<u32>,
    /// The demand assumptions used.
    pub demand: Demand,
    /// The bids, in the order given.
    pub bids: Vec<BidResult>,
}

/// The day after a term of `years` whole years from `start`: the same day `years` later, or,
/// for a start on 29 February when that year has none, 1 March (so the term is whole years:
/// adding months would end it on 28 February, a day short).
fn term_end(start: NaiveDate, years: u32) -> Option<NaiveDate> {
    let same_day = start.checked_add_months(Months::new(years.checked_mul(MONTHS_PER_YEAR)?))?;
    if start.month() == 2 && start.day() == 29 && same_day.day() == 28 {
        return same_day.succ_opt();
    }
    Some(same_day)
}

/// Ranks the bids that price all the demand by annual family cost, lowest first (equal costs
/// keep the order given); the others stay unranked, apart.
fn rank_by_family_cost(bids: &mut [BidResult]) {
    let mut complete: Vec<usize> = (0..bids.len())
        .filter(|&i| bids[i].prices_all_demand)
        .collect();
    complete.sort_by_key(|&i| bids[i].annual_family_cost);
    for (place, i) in complete.into_iter().enumerate() {
        bids[i].rank = Some(place + 1);
    }
}

impl Comparison {
    /// Every bid is compliant on every date it was checked (the comparison date, its start,
    /// and each rule change in its term).
    pub fn compliant_throughout(&self) -> bool {
        self.bids
            .iter()
            .all(|b| b.compliance.iter().all(|d| d.compliant))
    }
}

/// Costs and checks `bids` under `demand`, as of `date`. With `adp`, every bid is priced
/// and checked at that average daily population instead of its file's (a what-if: the tier,
/// and so the caps, may change); each bid so changed says so in its notes.
pub fn compare(
    book: &RateBook,
    bids: &[Tariff],
    demand: &Demand,
    date: NaiveDate,
    adp: Option<u32>,
) -> Result<Comparison> {
    if bids.is_empty() {
        return Err(Error::usage("bids", "give at least one bid file"));
    }
    if let Some(n) = adp {
        crate::facility::validate_adp(i64::from(n)).map_err(|m| Error::usage("adp", m))?;
    }
    let bids = bids
        .iter()
        .map(|b| match adp {
            Some(n) if n != b.facility.average_daily_population => {
                let mut what_if = b.clone();
                what_if.facility.average_daily_population = n;
                #[cfg(feature = "directory")]
                {
                    what_if.facility.adp_source = crate::facility::AdpSource::Given;
                }
                let mut r = cost_bid(book, &what_if, demand, date).map_err(|e| e.in_file(&b.file))?;
                r.notes.insert(
                    0,
                    format!(
                        "priced at an average daily population of {n}, not the {} the bid file gives",
                        b.facility.average_daily_population
                    ),
                );
                Ok(r)
            }
            _ => cost_bid(book, b, demand, date).map_err(|e| e.in_file(&b.file)),
        })
        .collect::<Result<Vec<_>>>()?;
    let mut bids = bids;
    rank_by_family_cost(&mut bids);
    Ok(Comparison {
        version: book.versions(),
        date,
        what_if_adp: adp,
        demand: demand.clone(),
        bids,
    })
}

fn cost_bid(book: &RateBook, bid: &Tariff, demand: &Demand, date: NaiveDate) -> Result<BidResult> {
    let terms = bid.bid.as_ref().ok_or_else(|| {
        Error::file(
            &bid.file,
            "not a bid: add a [bid] table with name, term_years and start (see the README)",
        )
    })?;
    let end = term_end(terms.start, terms.term_years)
        .ok_or_else(|| Error::file(&bid.file, "the term runs past the calendar's end"))?;
    let adp = Decimal::from(bid.facility.average_daily_population);
    let months = Decimal::from(MONTHS_PER_YEAR);
    let mut notes = Vec::new();

    let (mut call_charges, mut minutes, mut billed) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    let mut prepaid_spend = Decimal::ZERO;
    let mut agency = Decimal::ZERO;
    let mut unpriced_calls = Vec::new();
    // Who pays: state and local rules may make calls free to families or have the agency pay
    // part (the rules of the comparison date; the compliance dates below judge the rest).
    let place_rules = book.rules_for(date, &bid.facility, bid.contract.as_ref());
    for d in &demand.calls {
        let Some(rate) = bid.rate_for(d.call) else {
            notes.push(format!(
                "the bid has no rate for {} calls: their demand is left out, so its annual figures are not comparable and it is not ranked",
                d.call
            ));
            unpriced_calls.push(d.call);
            continue;
        };
        let year_minutes = adp.times(d.minutes_per_person_per_month)?.times(months)?;
        let calls = year_minutes.over(Decimal::from(d.minutes_per_call))?;
        let one = call_charge(rate, d.minutes_per_call * 60);
        let all_charges = calls.times(round_to_cent(one.charge))?;
        let family = crate::check::local::family(&place_rules, d.call, d.minutes_per_call);
        let (charges, paid_by_agency) = match crate::check::local::free_for(&place_rules, d.call) {
            Some(rule) => {
                notes.push(format!(
                    "{} calls are free to families under {}: the agency pays for them",
                    d.call,
                    crate::check::local::named(rule)
                ));
                (Decimal::ZERO, all_charges)
            }
            None => {
                let free = family.free_calls.map_or(Decimal::ZERO, |(n, _)| {
                    // Free calls a month per person, for a year, as part of these calls.
                    Decimal::from(n) * adp * months
                });
                let free = free.min(calls);
                let paid = all_charges - free.times(round_to_cent(one.charge))?;
                if let Some((n, rule)) = family.free_calls {
                    notes.push(format!(
                            "{n} of each person's {} calls a month are free under {}: the agency pays for them",
                            d.call,
                            crate::check::local::named(rule)
                        ));
                }
                match family.share {
                    Some((share, rule)) => {
                        notes.push(format!(
                            "the agency pays {}% of the cost of {} calls under {}",
                            (share * Decimal::ONE_HUNDRED).normalize(),
                            d.call,
                            crate::check::local::named(rule)
                        ));
                        let by_agency = paid.times(share)?;
                        (paid - by_agency, all_charges - paid + by_agency)
                    }
                    None => (paid, all_charges - paid),
                }
            }
        };
        agency = agency.plus(paid_by_agency)?;
        call_charges = call_charges.plus(charges)?;
        minutes = minutes.plus(year_minutes)?;
        // Minutes billed from exact seconds: multiplied first, then divided by 60.
        billed = billed.plus(
            calls
                .times(Decimal::from(one.seconds_billed))?
                .over(Decimal::from(60))?,
        )?;
        if d.call.payment != Payment::Collect {
            prepaid_spend = prepaid_spend.plus(charges)?;
        }
    }
    let tax_rate = bid.tax_percent() / Decimal::ONE_HUNDRED;
    let taxes = call_charges.times(tax_rate)?;
    let deposit = demand.deposits.amount;
    let deposits = match demand.deposits.per_person_per_month {
        Some(n) => adp.times(n)?.times(months)?,
        None => prepaid_spend
            .times(Decimal::ONE + tax_rate)?
            .over(deposit)?,
    };
    let third_party = fee_on(bid, FeeKind::ThirdPartyTransaction, deposit)?;
    let mut per_deposit = Decimal::ZERO;
    for m in &demand.deposits.methods {
        let fee = fee_on(bid, m.kind, deposit)?.plus(third_party)?;
        per_deposit = per_deposit.plus(fee.times(m.share / Decimal::ONE_HUNDRED)?)?;
    }
    let fees = deposits.times(per_deposit)?;
    if bid.fees.iter().any(|f| {
        !matches!(
            f.kind,
            FeeKind::AutomatedPayment | FeeKind::LiveAgent | FeeKind::ThirdPartyTransaction
        )
    }) {
        notes.push("fees other than deposit fees (account, paper, refund, single-call) are not in the annual cost: their use is not in the demand".into());
    }

    let c = &bid.commission;
    // On the provider's calling revenue: what families pay and what the agency pays.
    let revenue = call_charges.plus(agency)?;
    let percent = revenue.times(c.percent_of_revenue / Decimal::ONE_HUNDRED)?;
    let per_minute = billed.times(c.per_minute)?;
    let earned = percent.plus(per_minute)?;
    let top_up = (c.minimum_annual_guarantee - earned).max(Decimal::ZERO);
    let bonus = c.signing_bonus / Decimal::from(terms.term_years);
    let breakdown = CommissionBreakdown {
        percent_of_revenue: round_to_cent(percent),
        per_minute: round_to_cent(per_minute),
        guarantee_top_up: round_to_cent(top_up),
        signing_bonus_per_year: round_to_cent(bonus),
        in_kind_per_year: round_to_cent(terms.in_kind_per_year),
    };
    let annual_commission = breakdown
        .percent_of_revenue
        .plus(breakdown.per_minute)?
        .plus(breakdown.guarantee_top_up)?
        .plus(breakdown.signing_bonus_per_year)?
        .plus(breakdown.in_kind_per_year)?;

    let (annual_call_charges, annual_fees, annual_taxes) = (
        round_to_cent(call_charges),
        round_to_cent(fees),
        round_to_cent(taxes),
    );
    let annual_family_cost = annual_call_charges.plus(annual_fees)?.plus(annual_taxes)?;

    // size: inserted one by one: collecting into the map sorts, 303 bytes gzip more in the
    // page's module (measured 2026-12-01: 135,316 -> 135,619 B).
    let mut family_cost_per_15_min_call = BTreeMap::new();
    for j in [
        Jurisdiction::Local,
        Jurisdiction::Intrastate,
        Jurisdiction::Interstate,
        Jurisdiction::International,
    ] {
        let call = CallKind {
            service: Service::Audio,
            jurisdiction: j,
            payment: Payment::Prepaid,
        };
        // What a family pays for it: nothing where calls are free, its part where the agency
        // pays a share.
        let price = bid.rate_for(call).map(|r| {
            let charge = call_charge(r, COMPARISON_CALL_MINUTES * 60).charge;
            let family = crate::check::local::family(&place_rules, call, COMPARISON_CALL_MINUTES);
            let charge = match (
                crate::check::local::free_for(&place_rules, call),
                family.share,
            ) {
                (Some(_), _) => Decimal::ZERO,
                (None, Some((share, _))) => charge * (Decimal::ONE - share),
                (None, None) => charge,
            };
            crate::money::display(round_to_cent(charge))
        });
        family_cost_per_15_min_call.insert(j, price);
    }

    let mut dates = vec![date];
    if terms.start > date {
        dates.push(terms.start);
    }
    dates.extend(
        book.change_dates()
            .into_iter()
            .filter(|d| *d > date && *d > terms.start && *d < end),
    );
    // An existing-contract exception applied on one of those dates ends on a day of its own
    // (the contract's end, or the exception's): the rules change for this bid then too.
    // (`dates` is in order: each end is put in its place, not sorted in.)
    let contract = bid.contract.as_ref();
    let mut i = 0;
    while i < dates.len() {
        let x = book
            .rules_for(dates[i], &bid.facility, contract)
            .contract_exception;
        if let Some(u) = x
            .filter(|x| x.status == crate::ratebook::ExceptionStatus::Applied)
            .and_then(|x| x.until)
            .filter(|u| *u > date && *u > terms.start && *u < end)
        {
            if let Err(at) = dates.binary_search(&u) {
                dates.insert(at, u);
            }
        }
        i += 1;
    }
    let compliance: Vec<DatedCompliance> = dates
        .into_iter()
        .map(|d| {
            let rules = book.rules_for(d, &bid.facility, contract);
            let findings = check_rules(&rules, bid);
            let violations = findings
                .iter()
                .filter(|f| f.severity == Severity::Violation)
                .count();
            DatedCompliance {
                date: d,
                regime: rules.regime.map(|r| r.id),
                compliant: violations == 0,
                violations,
                findings,
            }
        })
        .collect();
    if date < terms.start || date >= end {
        notes.push(format!(
            "the comparison date {date} is outside the term ({} to {end})",
            terms.start
        ));
    }

    Ok(BidResult {
        name: terms.name.clone(),
        file: bid.file.clone(),
        average_daily_population: bid.facility.average_daily_population,
        start: terms.start,
        end,
        term_years: terms.term_years,
        annual_family_cost,
        annual_call_charges,
        annual_fees,
        annual_taxes,
        annual_agency_cost: round_to_cent(agency),
        annual_commission,
        commission_breakdown: breakdown,
        annual_minutes: minutes,
        family_cost_per_15_min_call,
        effective_per_minute: if minutes.is_zero() {
            Decimal::ZERO
        } else {
            round_rate(annual_family_cost.over(minutes)?)
        },
        compliant: compliance[0].compliant,
        prices_all_demand: unpriced_calls.is_empty(),
        unpriced_calls,
        rank: None,
        findings: compliance[0].findings.clone(),
        compliance,
        notes,
    })
}

/// The tariff's fee of a kind on a deposit, rounded to the cent (zero when it has none).
fn fee_on(bid: &Tariff, kind: FeeKind, deposit: Decimal) -> Result<Decimal> {
    match bid.fees.iter().find(|f| f.kind == kind) {
        Some(f) => Ok(round_to_cent(f.on_deposit(deposit))),
        None => Ok(Decimal::ZERO),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::dated::parse_date(s).expect("a date")
    }

    #[test]
    fn a_term_is_whole_years_even_from_29_february() {
        assert_eq!(term_end(day("2026-07-01"), 5), Some(day("2031-07-01")));
        // 2028-02-29 + 1 year: the term's last day is 2029-02-28, so it ends (the day after)
        // on 2029-03-01, not a day short on 2029-02-28.
        assert_eq!(term_end(day("2028-02-29"), 1), Some(day("2029-03-01")));
        // Four years on, 29 February exists again.
        assert_eq!(term_end(day("2028-02-29"), 4), Some(day("2032-02-29")));
        assert_eq!(term_end(day("2027-02-28"), 1), Some(day("2028-02-28")));
        assert_eq!(term_end(NaiveDate::MAX, 1), None);
    }
}
