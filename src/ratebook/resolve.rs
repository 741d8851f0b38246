//! Resolving the rules in force on a date for a facility, with the provenance of each value.

use super::rules::{
    CallChargeRule, CapLine, FacilityComponent, FacilityTier, FeeRule, MethodLimits,
    NeverEffective, NeverEffectiveCap, Provenance, RegimeInfo, Rules, SiteCommissionRule, TierInfo,
};
use super::schema::{selected, Cite, Cited, TierDef};
use super::words::Confidence;
use super::RateBook;
use crate::call::{CallKind, Jurisdiction, Service};
use crate::facility::Facility;
use crate::vocab::FeeKind;
use chrono::NaiveDate;

impl RateBook {
    /// The tier table in force on a date, as (kind, adp_min, adp_max, id, name) rows.
    pub fn tier_table(&self, date: NaiveDate) -> Vec<TierInfo> {
        self.tiers
            .at(date)
            .map(|(_, p)| p.tier.iter().map(TierInfo::from).collect())
            .unwrap_or_default()
    }

    fn provenance(&self, effective: NaiveDate, period: Cite, entry: Cite) -> Provenance {
        let source_id = entry.source.or(period.source).unwrap_or_default();
        let doc = self.sources.get(source_id);
        let source = match doc {
            Some(d) => match &d.federal_register {
                Some(fr) => format!("{}, {fr}", d.document),
                None => d.document.clone(),
            },
            None => source_id.to_string(),
        };
        Provenance {
            effective,
            source: source.into(),
            citation: entry
                .citation
                .or(period.citation)
                .unwrap_or_default()
                .into(),
            link: doc.map_or_else(|| "".into(), |d| d.link.as_str().into()),
            confidence: entry
                .confidence
                .or(period.confidence)
                .unwrap_or(Confidence::Low),
            note: entry.note.or(period.note).map(str::to_string),
        }
    }

    /// The tier `facility` falls in on `date` (none before the first tier table).
    fn tier(&self, date: NaiveDate, facility: &Facility) -> Option<&TierDef> {
        self.tiers
            .at(date)
            .and_then(|(_, p)| tier_of(&p.tier, facility))
    }

    /// The id of the tier `facility` falls in on `date` (none before the first tier table).
    pub fn tier_id(&self, date: NaiveDate, facility: &Facility) -> Option<&str> {
        self.tier(date, facility).map(|t| t.id.as_str())
    }

    /// The rules in force on `date` for calls from `facility`.
    pub fn rules(&self, date: NaiveDate, facility: &Facility) -> Rules {
        let tier = self.tier(date, facility);
        let on_tier = |sel: &Option<Vec<String>>| tier.is_some_and(|t| selected(sel, &t.id));
        let regime = self.regimes.at(date).map(|(d, p)| RegimeInfo {
            id: p.regime.clone(),
            name: p.name.clone(),
            provenance: self.provenance(d, p.cite(), Cite::default()),
        });

        let component = |service: Service| {
            self.components.at(date).and_then(|(d, p)| {
                p.component
                    .iter()
                    .find(|c| on_tier(&c.tiers) && selected(&c.services, &service))
                    .map(|c| FacilityComponent {
                        amount: c.amount,
                        applies: c.applies,
                        legally_mandated_max_total: c.legally_mandated_max_total,
                        provenance: self.provenance(d, p.cite(), c.cite()),
                    })
            })
        };

        let mut caps = Vec::new();
        if let Some((d, p)) = self.caps.at(date) {
            for call in CallKind::all_capped() {
                let entry = p.cap.iter().find(|c| {
                    on_tier(&c.tiers)
                        && selected(&c.services, &call.service)
                        && selected(&c.jurisdictions, &call.jurisdiction)
                        && selected(&c.payments, &call.payment)
                });
                caps.push(CapLine {
                    service: call.service,
                    jurisdiction: call.jurisdiction,
                    payment: call.payment,
                    per_minute: entry.map(|c| c.per_minute),
                    facility_component: entry.and_then(|_| component(call.service)),
                    plus_termination_cost: entry.is_some_and(|c| c.plus_termination_cost),
                    provenance: self.provenance(
                        d,
                        p.cite(),
                        entry.map(Cited::cite).unwrap_or_default(),
                    ),
                });
            }
        }

        let site_commissions = match self.commissions.at(date) {
            Some((d, p)) => match p.rule.iter().find(|r| on_tier(&r.tiers)) {
                Some(r) => SiteCommissionRule {
                    regulated: true,
                    allowed: r.allowed,
                    provenance: Some(self.provenance(d, p.cite(), r.cite())),
                },
                None => SiteCommissionRule::unregulated(),
            },
            None => SiteCommissionRule::unregulated(),
        };

        let fee_period = self.fees.at(date);
        let ancillary_fees = FeeKind::ALL
            .iter()
            .map(|&kind| {
                let found = fee_period.and_then(|(d, p)| {
                    p.fee
                        .iter()
                        .find(|f| on_tier(&f.tiers) && f.kinds.contains(&kind))
                        .map(|f| (d, p, f))
                });
                match found {
                    Some((d, p, f)) => FeeRule {
                        kind,
                        regulated: true,
                        allowed: f.allowed,
                        limit_by_method: match (f.limit_automated_payment, f.limit_live_agent) {
                            (Some(automated_payment), Some(live_agent)) => Some(MethodLimits {
                                automated_payment,
                                live_agent,
                            }),
                            _ => None,
                        },
                        limit: match (f.limit_automated_payment, f.limit_live_agent) {
                            (Some(a), Some(l)) => Some(a.max(l)),
                            _ => f.limit,
                        },
                        pass_through: f.pass_through,
                        provenance: Some(self.provenance(d, p.cite(), f.cite())),
                    },
                    None => FeeRule {
                        kind,
                        regulated: false,
                        allowed: true,
                        limit: None,
                        limit_by_method: None,
                        pass_through: false,
                        provenance: None,
                    },
                }
            })
            .collect();

        let mut call_charges = Vec::new();
        if let Some((d, p)) = self.call_charges.at(date) {
            for &service in Service::ALL {
                for &jurisdiction in Jurisdiction::CAPPED {
                    if let Some(r) = p.rule.iter().find(|r| {
                        on_tier(&r.tiers)
                            && selected(&r.services, &service)
                            && selected(&r.jurisdictions, &jurisdiction)
                    }) {
                        call_charges.push(CallChargeRule {
                            service,
                            jurisdiction,
                            per_call: r.per_call,
                            equivalence_minutes: r.equivalence_minutes,
                            max_billing_increment_seconds: r.max_billing_increment_seconds,
                            provenance: self.provenance(d, p.cite(), r.cite()),
                        });
                    }
                }
            }
        }

        let never_effective = self
            .never_effective
            .values()
            .filter(|o| o.from <= date && date < o.to)
            .map(|o| {
                let tier = tier_of(&o.tier, facility);
                let caps = o
                    .cap
                    .iter()
                    .filter(|c| tier.is_some_and(|t| selected(&c.tiers, &t.id)))
                    .map(|c| NeverEffectiveCap {
                        services: c.services.clone(),
                        jurisdictions: c.jurisdictions.clone(),
                        payments: c.payments.clone(),
                        per_minute: c.per_minute,
                    })
                    .collect();
                NeverEffective {
                    name: o.name.clone(),
                    tier: tier.map(|t| t.name.clone()),
                    caps,
                    provenance: self.provenance(o.from, o.cite(), Cite::default()),
                }
            })
            .collect();

        Rules {
            version: self.versions(),
            date,
            regime,
            facility: FacilityTier {
                kind: facility.kind,
                average_daily_population: facility.average_daily_population,
                tier: tier.map(TierInfo::from),
            },
            caps,
            percent_fee_reference_deposit: fee_period
                .and_then(|(_, p)| p.percent_fee_reference_deposit),
            ancillary_fees,
            site_commissions,
            call_charges,
            never_effective,
        }
    }
}

/// The tier of a tier table that `facility` falls in: its kind, and its ADP within the tier's
/// bounds (validation makes it at most one).
fn tier_of<'t>(tiers: &'t [TierDef], facility: &Facility) -> Option<&'t TierDef> {
    let adp = facility.average_daily_population;
    tiers.iter().find(|t| {
        t.kind == facility.kind && adp >= t.adp_min && t.adp_max.is_none_or(|max| adp <= max)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::facility::FacilityKind;

    /// `tier_id` and `rules` find the same tier, at both ends of every tier on every date the
    /// tier table changes, and neither finds one of the other kind.
    #[test]
    fn tier_id_and_rules_agree_at_every_tier_bound() {
        let book = RateBook::bundled().expect("bundled");
        let mut checked = 0;
        for date in book.change_dates() {
            for t in book.tier_table(date) {
                let ends = [Some(t.adp_min), t.adp_max].into_iter().flatten();
                for adp in ends.filter(|&a| a > 0) {
                    let facility = Facility::new(t.kind, adp);
                    assert_eq!(book.tier_id(date, &facility), Some(t.id.as_str()));
                    let rules = book.rules(date, &facility);
                    assert_eq!(rules.facility.tier.as_ref(), Some(&t), "{date} ADP {adp}");
                    for &other in FacilityKind::ALL.iter().filter(|&&k| k != t.kind) {
                        let tid = book.tier_id(date, &Facility::new(other, adp));
                        assert_ne!(tid, Some(t.id.as_str()), "{date} ADP {adp}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked > 10, "only {checked} tier bounds checked");
    }
}
