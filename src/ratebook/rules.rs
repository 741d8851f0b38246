//! The rules in force, resolved for one date and facility: what [`RateBook::rules`] returns.
//!
//! [`RateBook::rules`]: super::RateBook::rules

use super::schema::TierDef;
use super::words::{Applies, Concept, Confidence, ExceptionStatus, PerCallRule};
use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::facility::FacilityKind;
use crate::vocab::FeeKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::sync::Arc;

/// Where a value comes from: the day it took effect, its document and CFR citation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// The day the table holding the value took effect.
    pub effective: NaiveDate,
    /// The document (`FCC 21-60`, with its Federal Register citation when known).
    pub source: Arc<str>,
    /// The CFR section / paragraph.
    pub citation: Arc<str>,
    /// Where to read the document.
    pub link: Arc<str>,
    /// How sure the sources are.
    pub confidence: Confidence,
    /// Anything a reader should know, doubts included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Arc<str>>,
}

/// A size tier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TierInfo {
    /// Stable id (`medium_jail`).
    pub id: String,
    /// Its name (`Medium jail, ADP 350–999`).
    pub name: String,
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Lowest ADP in the tier.
    pub adp_min: u32,
    /// Highest ADP in the tier (none: no upper bound).
    pub adp_max: Option<u32>,
}

impl From<&TierDef> for TierInfo {
    fn from(t: &TierDef) -> Self {
        TierInfo {
            id: t.id.clone(),
            name: t.name.clone(),
            kind: t.kind,
            adp_min: t.adp_min,
            adp_max: t.adp_max,
        }
    }
}

/// The regime governing a date.
#[derive(Debug, Clone, Serialize)]
pub struct RegimeInfo {
    /// Short id (`fcc-25-75`).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Where it comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// The facility as the rules classify it.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityTier {
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Average daily population.
    pub average_daily_population: u32,
    /// Its tier (none before the first tier table).
    pub tier: Option<TierInfo>,
}

/// What may be charged above the per-minute cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacilityComponent {
    /// The most per minute.
    #[serde(serialize_with = "crate::money::serialize")]
    pub amount: Decimal,
    /// Whether it is only the site commission actually paid, or a flat additive.
    pub applies: Applies,
    /// A legally mandated commission may be recovered in full up to this total rate.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub legally_mandated_max_total: Option<Decimal>,
    /// Where it comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// The cap on one kind of call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapLine {
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// How it is paid.
    pub payment: Payment,
    /// The per-minute cap, or none when no federal cap covered this call.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub per_minute: Option<Decimal>,
    /// What may be charged above the cap, if anything.
    pub facility_component: Option<FacilityComponent>,
    /// International: the provider's cost of terminating the call abroad may be added.
    pub plus_termination_cost: bool,
    /// Where the cap (or the table that leaves this call uncapped) comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

impl CapLine {
    /// The most the facility component can add to this cap (zero when there is none).
    pub fn additive(&self) -> Decimal {
        self.facility_component
            .as_ref()
            .map_or(Decimal::ZERO, |c| c.amount)
    }
}

/// Limits that depend on how the deposit is made (FCC 22-76's third-party and single-call fees:
/// one through an automated payment system, another through a live agent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MethodLimits {
    /// The most per use when paid through an automated payment system.
    #[serde(serialize_with = "crate::money::serialize")]
    pub automated_payment: Decimal,
    /// The most per use when paid through a live agent.
    #[serde(serialize_with = "crate::money::serialize")]
    pub live_agent: Decimal,
}

impl MethodLimits {
    /// The limit for a deposit made by `method` (`automated_payment` or `live_agent`).
    pub fn of(&self, method: FeeKind) -> Option<Decimal> {
        match method {
            FeeKind::AutomatedPayment => Some(self.automated_payment),
            FeeKind::LiveAgent => Some(self.live_agent),
            _ => None,
        }
    }

    /// The (method, limit) pairs, the lower limit first.
    pub fn ordered(&self) -> [(FeeKind, Decimal); 2] {
        let a = (FeeKind::AutomatedPayment, self.automated_payment);
        let l = (FeeKind::LiveAgent, self.live_agent);
        if a.1 <= l.1 {
            [a, l]
        } else {
            [l, a]
        }
    }
}

/// The rule on one kind of ancillary fee.
#[derive(Debug, Clone, Serialize)]
pub struct FeeRule {
    /// Which fee.
    pub kind: FeeKind,
    /// Whether any federal rule covered it.
    pub regulated: bool,
    /// Whether it may be charged.
    pub allowed: bool,
    /// The most per use, if capped; where the limit depends on how the deposit is made, the
    /// higher of the two (the most any deposit may be charged).
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub limit: Option<Decimal>,
    /// The limits by deposit method, where the rule sets them.
    pub limit_by_method: Option<MethodLimits>,
    /// Only the third party's own charge, without markup.
    pub pass_through: bool,
    /// Where the rule comes from.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

/// The rule on taxes and fees passed through to users (47 CFR § 64.6070): only taxes and fees
/// a government requires or authorizes the provider to collect (Mandatory Taxes, Mandatory
/// Fees, Authorized Fees), with no markup. callcap cannot tell from a tariff which a `[[tax]]`
/// is, so the check says so rather than judging it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaxRule {
    /// The calls it covers (all, when the rule names none).
    pub jurisdictions: Vec<Jurisdiction>,
    /// Where the rule comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// Whether site commissions may be paid.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCommissionRule {
    /// Whether any federal rule covered them.
    pub regulated: bool,
    /// Whether they may be paid at all.
    pub allowed: bool,
    /// Where the rule comes from.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl FeeRule {
    /// The most per use for a deposit made by `method` (`automated_payment` or `live_agent`):
    /// that method's limit where the rule sets limits by method, else [`FeeRule::limit`]
    /// (also when the method is not known: the higher limit).
    pub fn limit_for(&self, method: Option<FeeKind>) -> Option<Decimal> {
        match (self.limit_by_method, method) {
            (Some(by), Some(m)) => by.of(m).or(self.limit),
            _ => self.limit,
        }
    }
}

impl SiteCommissionRule {
    pub(super) fn unregulated() -> Self {
        SiteCommissionRule {
            regulated: false,
            allowed: true,
            provenance: None,
        }
    }
}

/// The rule on per-call and first-minute charges and billing increments for one kind of call.
#[derive(Debug, Clone, Serialize)]
pub struct CallChargeRule {
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// The per-call rule.
    pub per_call: PerCallRule,
    /// With the fifteen-minute equivalence: the call length it is judged on.
    pub equivalence_minutes: Option<u32>,
    /// Calls are priced by the minute: billing increments are judged against each call's
    /// minutes, rounded up, at the cap; an increment longer than this (60 s) that never costs
    /// more is reported as information.
    pub max_billing_increment_seconds: Option<u32>,
    /// Where the rule comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A cap adopted but never in force, for historical audits.
#[derive(Debug, Clone, Serialize)]
pub struct NeverEffectiveCap {
    /// Services it would have covered (none: all).
    pub services: Option<Vec<Service>>,
    /// Jurisdictions it would have covered (none: all).
    pub jurisdictions: Option<Vec<Jurisdiction>>,
    /// Payments it would have covered (none: all).
    pub payments: Option<Vec<Payment>>,
    /// The cap.
    #[serde(serialize_with = "crate::money::serialize")]
    pub per_minute: Decimal,
}

/// An order adopted but never in force whose span covers the date.
#[derive(Debug, Clone, Serialize)]
pub struct NeverEffective {
    /// The order.
    pub name: String,
    /// The tier it would have put the facility in.
    pub tier: Option<String>,
    /// The caps it would have set for that tier.
    pub caps: Vec<NeverEffectiveCap>,
    /// Where it comes from.
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// A state or local rule in force for the facility's place, with its source in the form every
/// finding cites (the same fields as a federal rule's).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalRule {
    /// The rule, its scope and whether it certainly applies.
    #[serde(flatten)]
    pub rule: super::StateRule,
    /// Its source as a finding cites it.
    #[serde(skip)]
    pub provenance: Provenance,
}

/// The state and local rules in force for the facility's place (`Facility::state`,
/// `operator`, `county_fips`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct LocalRules {
    /// The state they were looked up for (none: the facility names no state or county, and no
    /// state or local rule was looked up).
    pub state: Option<String>,
    /// Whether the rate book has rules for that state (false: none are known, which does not
    /// mean there are none).
    pub state_covered: bool,
    /// The rules, each certainly applying or only possibly applying.
    pub rules: Vec<LocalRule>,
}

/// An exception for contracts existing when a rule was adopted (`contract_exceptions.toml`), as
/// it stands for one facility, contract and date: applied, possibly applicable (no contract
/// dates given), not met, or ended.
#[derive(Debug, Clone, Serialize)]
pub struct ContractException {
    /// What the exception means here.
    pub status: ExceptionStatus,
    /// The exceptions concerned, by id (`fcc-24-75-d1`): the one judged, or every one that may
    /// apply.
    pub exceptions: Vec<String>,
    /// Applied: the rules kept in force are those of this day (the day before the rules the
    /// exception defers took effect for the facility).
    pub keeps_rules_of: Option<NaiveDate>,
    /// Applied: the first day the deferred rules apply (the earlier of the contract's end and
    /// the exception's own end); ended: the day the exception ended.
    pub until: Option<NaiveDate>,
    /// The parts of the rules the exception keeps (`caps`, `site_commissions`).
    pub defers: Vec<Concept>,
    /// A sentence saying what it means.
    pub message: String,
    /// Where the exception comes from (for several that may apply, every citation).
    #[serde(flatten)]
    pub provenance: Provenance,
}

/// Everything in force on one date for one facility, with sources.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
    /// What resolved them: callcap's version and the rate book's edition.
    pub version: super::Versions,
    /// The date.
    pub date: NaiveDate,
    /// The governing regime (none before 2014-02-11).
    pub regime: Option<RegimeInfo>,
    /// The facility and its tier.
    pub facility: FacilityTier,
    /// Caps for every service × jurisdiction × payment (empty when no cap table was in force).
    pub caps: Vec<CapLine>,
    /// Percentage fees are judged on a deposit of this size.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub percent_fee_reference_deposit: Option<Decimal>,
    /// The rule on each kind of ancillary fee.
    pub ancillary_fees: Vec<FeeRule>,
    /// The rule on taxes and fees passed through (none: no federal rule on the date).
    pub taxes: Option<TaxRule>,
    /// Whether site commissions may be paid.
    pub site_commissions: SiteCommissionRule,
    /// Per-call / first-minute / billing-increment rules by service and jurisdiction.
    pub call_charges: Vec<CallChargeRule>,
    /// Orders adopted but never in force whose span covers the date.
    pub never_effective: Vec<NeverEffective>,
    /// The state and local rules in force for the facility's place.
    pub local: LocalRules,
    /// An existing-contract exception that applies, may apply, or was judged for the
    /// facility's contract on the date (none: no exception could apply).
    pub contract_exception: Option<ContractException>,
}

impl Rules {
    /// The cap on one kind of call (local calls use the intrastate cap).
    pub fn cap(&self, call: CallKind) -> Option<&CapLine> {
        let j = call.jurisdiction.for_caps();
        self.caps
            .iter()
            .find(|c| c.service == call.service && c.jurisdiction == j && c.payment == call.payment)
    }

    /// The rule on one kind of fee.
    pub fn fee(&self, kind: FeeKind) -> Option<&FeeRule> {
        self.ancillary_fees.iter().find(|f| f.kind == kind)
    }

    /// The per-call rule for a service and jurisdiction, if any.
    pub fn call_charge(
        &self,
        service: Service,
        jurisdiction: Jurisdiction,
    ) -> Option<&CallChargeRule> {
        let j = jurisdiction.for_caps();
        self.call_charges
            .iter()
            .find(|r| r.service == service && r.jurisdiction == j)
    }
}
