//! The public JSON shapes (the contract in the README): plain views of the core's results,
//! shared by the command line and the browser so both print the same keys; and beside them the
//! CSV layouts, one row struct each ([`CapRow`], [`CheckRow`], [`EstimateRow`],
//! [`ComparisonRow`]), whose field names are the header and whose cells serde writes as it
//! writes the JSON.

use crate::call::{Jurisdiction, Payment, Service};
use crate::check::CheckResult;
use crate::facility::FacilityKind;
use crate::money::display;
use crate::ratebook::{Applies, Confidence, Provenance, Rules, Versions};
use crate::vocab::FeeKind;
use chrono::NaiveDate;
use serde::Serialize;

mod csv_text;
#[cfg(feature = "directory")]
mod facilities;
mod rows;
pub use csv_text::{comparison_csv, csv_header};
#[cfg(feature = "directory")]
pub use facilities::{
    DirectoryVersion, FacilitiesReport, FacilityCaps, FacilityEstimate, FacilityRow,
    FACILITY_CSV_HEADER, POPULATION_NOTE,
};
#[cfg(feature = "directory")]
use rows::safe_text;
pub use rows::{CapRow, CheckRow, ComparisonRow, EstimateRow};

/// `callcap caps`: the rules in force for a date and facility.
#[derive(Debug, Clone, Serialize)]
pub struct CapsReport {
    /// What produced it: callcap's version and the rate book's edition.
    pub version: Versions,
    /// The date.
    pub date: NaiveDate,
    /// The governing regime, or null before the first FCC cap.
    pub regime: Option<RegimeView>,
    /// The facility and its tier.
    pub facility: FacilityView,
    /// Per-minute caps, one per service × jurisdiction × payment.
    pub caps: Vec<CapView>,
    /// The caps as a person reads them: lines that differ only by payment, as one group (what
    /// the CLI's table and the page show).
    pub cap_groups: Vec<CapGroup>,
    /// The rule on each kind of ancillary fee.
    pub ancillary_fees: Vec<FeeView>,
    /// The rule on taxes and fees passed through (null: no federal rule on the date).
    pub taxes: Option<crate::ratebook::TaxRule>,
    /// Whether site commissions may be paid, and how much may be recovered per minute.
    pub site_commissions: SiteCommissionView,
    /// Per-call, first-minute and billing-increment rules.
    pub call_charges: Vec<CallChargeView>,
    /// Orders adopted but never in force whose span covers the date (for historical audits).
    pub never_effective: Vec<crate::ratebook::NeverEffective>,
    /// The state the state and local rules were looked up for (none: no state given).
    pub state: Option<String>,
    /// Whether callcap has rules for that state (false: none known, not none in force).
    pub state_covered: bool,
    /// The state and local rules in force for the facility's place.
    pub state_rules: Vec<StateRuleView>,
    /// An existing-contract exception that applies or may apply on the date (null: none could).
    pub contract_exception: Option<crate::ratebook::ContractException>,
    /// Plain-language notes (no federal cap, uncertain sources).
    pub notes: Vec<String>,
}

/// A state or local rule as the caps show it: the rule, what it does in words and, when it
/// only may apply, why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateRuleView {
    /// The rule: id, state, kind, value, scope, certainty, doubts and provenance (with its
    /// `level`).
    #[serde(flatten)]
    pub rule: crate::ratebook::StateRule,
    /// What it does, in words.
    pub summary: String,
    /// Why it only may apply (none: it applies).
    pub may_apply_because: Option<String>,
}

/// Cap lines that differ only by payment, shown as one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapGroup {
    /// The index in `caps` of the group's first line (its cap, additive and source).
    pub cap: usize,
    /// The payments the group covers, in the order of `caps`.
    pub payments: Vec<Payment>,
    /// It covers every payment.
    pub all_payments: bool,
}

impl CapGroup {
    /// Groups cap lines that have the same service, jurisdiction, cap, additive and source.
    pub fn of(caps: &[CapView]) -> Vec<CapGroup> {
        let mut groups: Vec<CapGroup> = Vec::new();
        for (i, c) in caps.iter().enumerate() {
            let same = groups.iter_mut().find(|g| {
                let first = &caps[g.cap];
                first.service == c.service
                    && first.jurisdiction == c.jurisdiction
                    && first.per_minute == c.per_minute
                    && first.additive == c.additive
                    && first.source == c.source
                    && first.citation == c.citation
            });
            match same {
                Some(g) => g.payments.push(c.payment),
                None => groups.push(CapGroup {
                    cap: i,
                    payments: vec![c.payment],
                    all_payments: false,
                }),
            }
        }
        for g in &mut groups {
            g.all_payments = Payment::ALL.iter().all(|p| g.payments.contains(p));
        }
        groups
    }
}

/// The governing regime.
#[derive(Debug, Clone, Serialize)]
pub struct RegimeView {
    /// Short id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Source document.
    pub source: String,
    /// CFR citation.
    pub citation: String,
    /// Link to the source.
    pub link: String,
    /// The day it took effect.
    pub effective: NaiveDate,
    /// How sure the sources are.
    pub confidence: Confidence,
    /// Notes, doubts included.
    pub note: Option<String>,
}

/// The facility and its tier.
#[derive(Debug, Clone, Serialize)]
pub struct FacilityView {
    /// Prison or jail.
    pub kind: FacilityKind,
    /// Average daily population.
    pub average_daily_population: u32,
    /// The tier id, or null before the first tier table.
    pub tier: Option<String>,
    /// The tier's name.
    pub tier_name: Option<String>,
}

/// One per-minute cap.
#[derive(Debug, Clone, Serialize)]
pub struct CapView {
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// How it is paid.
    pub payment: Payment,
    /// The cap, or null when no federal cap covered the call.
    pub per_minute: Option<String>,
    /// The most that may be added per minute above the cap.
    pub additive: String,
    /// `always` (a flat additive), `site_commission` (only the commission actually paid, up to
    /// the additive), or null.
    pub additive_applies: Option<Applies>,
    /// International caps that add the provider's termination cost abroad.
    pub plus_termination_cost: bool,
    /// The regime id.
    pub regime: Option<String>,
    /// Source document.
    pub source: String,
    /// CFR citation.
    pub citation: String,
    /// Link to the source.
    pub link: String,
    /// The day the cap took effect.
    pub effective: NaiveDate,
    /// How sure the sources are.
    pub confidence: Confidence,
}

/// The rule on one kind of ancillary fee.
#[derive(Debug, Clone, Serialize)]
pub struct FeeView {
    /// The fee.
    pub kind: FeeKind,
    /// Whether it may be charged.
    pub allowed: bool,
    /// The most per use, or null; where the limit depends on how the deposit is made, the
    /// higher one.
    pub limit: Option<String>,
    /// Where the limit depends on how the deposit is made: the limit through an automated
    /// payment system (else null).
    pub limit_automated_payment: Option<String>,
    /// Where the limit depends on how the deposit is made: the limit through a live agent
    /// (else null).
    pub limit_live_agent: Option<String>,
    /// Only the third party's own charge, without markup.
    pub pass_through: bool,
    /// Whether a federal rule covered it at all.
    pub regulated: bool,
    /// Source document.
    pub source: Option<String>,
    /// CFR citation.
    pub citation: Option<String>,
    /// How sure the sources are.
    pub confidence: Option<Confidence>,
}

/// Whether site commissions may be paid.
#[derive(Debug, Clone, Serialize)]
pub struct SiteCommissionView {
    /// Whether they may be paid at all.
    pub allowed: bool,
    /// The most recoverable through rates per minute (contractual commissions), or null.
    pub limit_per_minute: Option<String>,
    /// Legally mandated commissions may be recovered in full up to this total rate.
    pub legally_mandated_max_total: Option<String>,
    /// Whether a federal rule covered them at all.
    pub regulated: bool,
    /// Source document.
    pub source: Option<String>,
    /// CFR citation.
    pub citation: Option<String>,
    /// How sure the sources are.
    pub confidence: Option<Confidence>,
}

/// The per-call rule for one service and jurisdiction.
#[derive(Debug, Clone, Serialize)]
pub struct CallChargeView {
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// `prohibited`, `fifteen_minute_equivalence` or `not_regulated`.
    pub per_call: crate::ratebook::PerCallRule,
    /// The call length the equivalence is judged on.
    pub equivalence_minutes: Option<u32>,
    /// Longest billing increment that does not bill for time not used.
    pub max_billing_increment_seconds: Option<u32>,
    /// Source document.
    pub source: String,
    /// CFR citation.
    pub citation: String,
    /// How sure the sources are.
    pub confidence: Confidence,
}

fn cited(p: &Option<Provenance>) -> (Option<String>, Option<String>, Option<Confidence>) {
    match p {
        Some(p) => (
            Some(p.source.to_string()),
            Some(p.citation.to_string()),
            Some(p.confidence),
        ),
        None => (None, None, None),
    }
}

impl CapsReport {
    /// The report for resolved rules.
    pub fn new(rules: &Rules) -> CapsReport {
        let regime_id = rules.regime.as_ref().map(|r| r.id.clone());
        let mut notes = Vec::new();
        match &rules.regime {
            None => notes.push(format!("no federal (FCC) cap applied on {}", rules.date)),
            Some(r) => {
                if let Some(n) = &r.provenance.note {
                    notes.push(n.to_string());
                }
            }
        }
        if let Some(x) = &rules.contract_exception {
            notes.push(x.message.clone());
        }
        if rules.caps.iter().any(|c| c.per_minute.is_none()) && !rules.caps.is_empty() {
            notes.push("calls shown with no federal cap (null in JSON) had no federal per-minute cap on this date".into());
        }
        let commission_component = rules
            .caps
            .iter()
            .filter_map(|c| c.facility_component.as_ref())
            .find(|c| c.applies == Applies::SiteCommission);
        let (source, citation, confidence) = cited(&rules.site_commissions.provenance);
        let caps: Vec<CapView> = rules
            .caps
            .iter()
            .map(|c| CapView {
                service: c.service,
                jurisdiction: c.jurisdiction,
                payment: c.payment,
                per_minute: c.per_minute.map(display),
                additive: display(c.additive()),
                additive_applies: c.facility_component.as_ref().map(|f| f.applies),
                plus_termination_cost: c.plus_termination_cost,
                regime: regime_id.clone(),
                source: c.provenance.source.to_string(),
                citation: c.provenance.citation.to_string(),
                link: c.provenance.link.to_string(),
                effective: c.provenance.effective,
                confidence: c.provenance.confidence,
            })
            .collect();
        let cap_groups = CapGroup::of(&caps);
        CapsReport {
            version: rules.version.clone(),
            cap_groups,
            caps,
            date: rules.date,
            regime: rules.regime.as_ref().map(|r| RegimeView {
                id: r.id.clone(),
                name: r.name.clone(),
                source: r.provenance.source.to_string(),
                citation: r.provenance.citation.to_string(),
                link: r.provenance.link.to_string(),
                effective: r.provenance.effective,
                confidence: r.provenance.confidence,
                note: r.provenance.note.as_deref().map(str::to_string),
            }),
            facility: FacilityView {
                kind: rules.facility.kind,
                average_daily_population: rules.facility.average_daily_population,
                tier: rules.facility.tier.as_ref().map(|t| t.id.clone()),
                tier_name: rules.facility.tier.as_ref().map(|t| t.name.clone()),
            },

            ancillary_fees: rules
                .ancillary_fees
                .iter()
                .map(|f| {
                    let (source, citation, confidence) = cited(&f.provenance);
                    FeeView {
                        kind: f.kind,
                        allowed: f.allowed,
                        limit: f.limit.map(display),
                        limit_automated_payment: f
                            .limit_by_method
                            .map(|m| display(m.automated_payment)),
                        limit_live_agent: f.limit_by_method.map(|m| display(m.live_agent)),
                        pass_through: f.pass_through,
                        regulated: f.regulated,
                        source,
                        citation,
                        confidence,
                    }
                })
                .collect(),
            taxes: rules.taxes.clone(),
            site_commissions: SiteCommissionView {
                allowed: rules.site_commissions.allowed,
                limit_per_minute: commission_component
                    .filter(|_| rules.site_commissions.allowed)
                    .map(|c| display(c.amount)),
                legally_mandated_max_total: commission_component
                    .filter(|_| rules.site_commissions.allowed)
                    .and_then(|c| c.legally_mandated_max_total)
                    .map(display),
                regulated: rules.site_commissions.regulated,
                source,
                citation,
                confidence,
            },
            call_charges: rules
                .call_charges
                .iter()
                .map(|r| CallChargeView {
                    service: r.service,
                    jurisdiction: r.jurisdiction,
                    per_call: r.per_call,
                    equivalence_minutes: r.equivalence_minutes,
                    max_billing_increment_seconds: r.max_billing_increment_seconds,
                    source: r.provenance.source.to_string(),
                    citation: r.provenance.citation.to_string(),
                    confidence: r.provenance.confidence,
                })
                .collect(),
            never_effective: rules.never_effective.clone(),
            state: rules.local.state.clone(),
            state_covered: rules.local.state_covered,
            state_rules: rules
                .local
                .rules
                .iter()
                .map(|r| StateRuleView {
                    rule: r.rule.clone(),
                    summary: crate::check::local::summary(rules, r),
                    may_apply_because: (!r.rule.applies())
                        .then(|| crate::check::local::why_maybe(r)),
                })
                .collect(),
            contract_exception: rules.contract_exception.clone(),
            notes,
        }
    }
}

/// `callcap check`: findings per file.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// The date checked.
    pub date: NaiveDate,
    /// One result per file, in the order given.
    pub results: Vec<FileResult>,
}

/// The result for one file: findings, or the error that kept it from being checked.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum FileResult {
    /// The file was checked.
    Checked(CheckResult),
    /// The file could not be read.
    Failed {
        /// The file.
        file: String,
        /// Always false.
        compliant: bool,
        /// The error, naming line and key.
        error: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Facility, FacilityKind, RateBook};

    #[test]
    fn cap_groups_join_lines_that_differ_only_by_payment() {
        let book = RateBook::bundled().expect("bundled");
        let day = |s: &str| crate::dated::parse_date(s).expect("a date");
        // 2015: interstate debit/prepaid at $0.21, collect at $0.25.
        let r = CapsReport::new(
            &book.rules(day("2015-06-01"), &Facility::new(FacilityKind::Jail, 400)),
        );
        let covered: usize = r.cap_groups.iter().map(|g| g.payments.len()).sum();
        assert_eq!(covered, r.caps.len(), "every line is in one group");
        for g in &r.cap_groups {
            let first = &r.caps[g.cap];
            assert_eq!(first.payment, g.payments[0]);
            assert_eq!(g.all_payments, g.payments.len() == Payment::ALL.len());
        }
        let interstate: Vec<&CapGroup> = r
            .cap_groups
            .iter()
            .filter(|g| {
                let c = &r.caps[g.cap];
                c.service == Service::Audio && c.jurisdiction == Jurisdiction::Interstate
            })
            .collect();
        assert_eq!(interstate.len(), 2, "{interstate:?}");
        assert_eq!(interstate[1].payments, [Payment::Collect]);
        // 2026: one cap for every payment.
        let r = CapsReport::new(
            &book.rules(day("2026-06-01"), &Facility::new(FacilityKind::Jail, 400)),
        );
        assert!(
            r.cap_groups.iter().all(|g| g.all_payments),
            "{:?}",
            r.cap_groups
        );
    }
}
