//! Resolving the rules in force on a date for a facility, with the provenance of each value.

use super::rules::{
    CallChargeRule, CapLine, ContractException, FacilityComponent, FacilityTier, FeeRule,
    LocalRule, LocalRules, MethodLimits, NeverEffective, NeverEffectiveCap, Provenance, RegimeInfo,
    Rules, SiteCommissionRule, TaxRule, TierInfo,
};
use super::schema::{selected, Cite, Cited, ExceptionDef, ExceptionWindow, TierDef};
use super::words::{Concept, Confidence, ExceptionStatus};
use super::Place;
use super::RateBook;
use crate::call::{CallKind, Jurisdiction, Service};
use crate::facility::Facility;
use crate::tariff::Contract;
use crate::vocab::FeeKind;
use chrono::NaiveDate;
use std::sync::Arc;

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
        Provenance {
            effective,
            source: doc.map_or_else(|| source_id.into(), |d| d.label.clone()),
            citation: entry
                .citation
                .or(period.citation)
                .map_or_else(|| "".into(), Arc::clone),
            link: doc.map_or_else(|| "".into(), |d| d.link.clone()),
            confidence: entry
                .confidence
                .or(period.confidence)
                .unwrap_or(Confidence::Low),
            note: entry.note.or(period.note).cloned(),
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

    /// The rules in force on `date` for calls from `facility`, whose contract is not known: an
    /// existing-contract exception that could apply is said (`contract_exception`, `may_apply`),
    /// never applied.
    pub fn rules(&self, date: NaiveDate, facility: &Facility) -> Rules {
        self.rules_for(date, facility, None)
    }

    /// The rules in force on `date` for calls from `facility` under `contract` (none: not
    /// known). When the contract qualifies for an exception of `contract_exceptions.toml` (it
    /// existed on the exception's day, expires late enough and has its basis), the parts of the
    /// rules the exception defers are those of the day before the deferred rules took effect
    /// for the facility, each citing the exception beside its own source, until the earlier of
    /// the contract's end and the exception's end.
    pub fn rules_for(
        &self,
        date: NaiveDate,
        facility: &Facility,
        contract: Option<&Contract>,
    ) -> Rules {
        let mut rules = self.resolve(date, facility);
        rules.contract_exception = self.contract_exception(date, facility, contract, &rules);
        let applied = rules
            .contract_exception
            .as_ref()
            .filter(|x| x.status == ExceptionStatus::Applied)
            .and_then(|x| Some((x.keeps_rules_of?, x.defers.clone(), x.provenance.clone())));
        if let Some((day, defers, by)) = applied {
            let kept = self.resolve(day, facility);
            keep(&mut rules, kept, &defers, &by);
        }
        rules
    }

    /// Whether some existing-contract exception could apply on `date` to some facility (the
    /// rules then depend on more than the facility's tier).
    pub fn exceptions_cover(&self, date: NaiveDate) -> bool {
        self.exceptions
            .iter()
            .flat_map(|(_, x)| &x.window)
            .any(|w| w.from <= date && date < w.until)
    }

    /// Every day on which the rules for `facility` may change, in order: the days of
    /// [`change_dates`](Self::change_dates), of [`exception_dates`](Self::exception_dates) and
    /// those of the state and local rules that can apply where it is (not other states'
    /// rules: [`state_change_dates_at`](Self::state_change_dates_at)). Between two of them,
    /// [`rules_for`](Self::rules_for) gives the facility the same rules under any contract.
    pub fn change_dates_for(&self, facility: &Facility) -> Vec<NaiveDate> {
        let mut dates = self.change_dates();
        dates.extend(self.exception_dates());
        if let Some(place) = place_of(facility) {
            dates.extend(self.state_change_dates_at(&place));
        }
        dates.sort();
        dates.dedup();
        dates
    }

    /// Every day an existing-contract exception's window opens or closes, in order (the
    /// rules for a facility whose contract is known may change on them).
    pub fn exception_dates(&self) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = self
            .exceptions
            .iter()
            .flat_map(|(_, x)| &x.window)
            .flat_map(|w| [w.from, w.until])
            .collect();
        dates.sort();
        dates.dedup();
        dates
    }

    /// The existing-contract exception that applies, may apply, or was judged on `date`.
    fn contract_exception(
        &self,
        date: NaiveDate,
        facility: &Facility,
        contract: Option<&Contract>,
        rules: &Rules,
    ) -> Option<ContractException> {
        let regime = rules.regime.as_ref()?.id.as_str();
        // The exceptions that could apply: under a regime whose rules they defer, within a
        // window whose tiers hold the facility's tier on the window's first day.
        let mut candidates: Vec<(&String, &ExceptionDef, &ExceptionWindow)> = Vec::new();
        for (id, x) in &self.exceptions {
            if !x.regimes.iter().any(|r| r == regime) {
                continue;
            }
            let tier_on = |w: &ExceptionWindow| self.tier_id(w.from, facility);
            if let Some(w) = x.window.iter().find(|w| {
                w.from <= date
                    && date < w.until
                    && tier_on(w).is_some_and(|t| w.tiers.iter().any(|i| i == t))
            }) {
                candidates.push((id, x, w));
            }
        }
        let &(first_id, first, first_window) = candidates.first()?;
        let cite =
            |x: &ExceptionDef, w: &ExceptionWindow| self.provenance(w.from, x.cite(), w.cite());
        let mut out = ContractException {
            status: ExceptionStatus::MayApply,
            exceptions: Vec::new(),
            keeps_rules_of: None,
            until: None,
            defers: first.defers.clone(),
            message: String::new(),
            provenance: cite(first, first_window),
        };
        let Some(c) = contract else {
            let (mut citations, mut each) = (Vec::new(), Vec::new());
            for &(id, x, w) in &candidates {
                let p = cite(x, w);
                out.provenance.confidence = weaker(out.provenance.confidence, p.confidence);
                each.push(format!(
                    "{} ({}, a `{}` basis: contracts expiring on or after {}): until the earlier of the contract's end and {}",
                    p.citation, x.name, x.basis, w.expires_on_or_after, w.until
                ));
                citations.push(p.citation.to_string());
                out.exceptions.push(id.clone());
            }
            out.provenance.citation = citations.join("; ").into();
            out.message = format!(
                "an exception for contracts existing on {} may apply, keeping the {} of {}: {}; give the contract's dates and basis ([contract] signed, ends, basis) to apply it",
                first.existing_on,
                concepts(&first.defers),
                first_window.from.pred_opt().unwrap_or(first_window.from),
                each.join("; ")
            );
            return Some(out);
        };
        // The exception for the contract's basis, else the first (to say why it does not apply).
        let &(id, x, w) = candidates
            .iter()
            .find(|(_, x, _)| x.basis == c.basis)
            .unwrap_or(&(first_id, first, first_window));
        out.exceptions = vec![id.clone()];
        out.defers = x.defers.clone();
        out.provenance = cite(x, w);
        let unmet = if x.basis != c.basis {
            Some(format!("it is for a `{}` basis", x.basis))
        } else if c.signed > x.existing_on {
            Some(format!("it was signed after {}", x.existing_on))
        } else if c.ends < w.expires_on_or_after {
            Some(format!(
                "it expires before {}, the earliest end the exception allows",
                w.expires_on_or_after
            ))
        } else {
            None
        };
        let the_contract = format!(
            "the contract (signed {}, ending {}, basis `{}`)",
            c.signed, c.ends, c.basis
        );
        let exception = format!("the exception of {} ({})", out.provenance.citation, x.name);
        let until = c.ends.min(w.until);
        let why = if c.ends < w.until {
            format!(
                "the contract's end; the exception ends on {} at the latest",
                w.until
            )
        } else {
            "the exception's end".to_string()
        };
        (out.status, out.message) = match unmet {
            Some(unmet) => (
                ExceptionStatus::NotMet,
                format!("{the_contract} does not qualify for {exception}: {unmet}"),
            ),
            None if date >= until => (
                ExceptionStatus::Ended,
                format!("{exception} for {the_contract} ended on {until} ({why})"),
            ),
            None => {
                let day = w.from.pred_opt().unwrap_or(w.from);
                out.keeps_rules_of = Some(day);
                (
                    ExceptionStatus::Applied,
                    format!(
                        "{the_contract} qualifies for {exception}: the {} of {day} stay in force until {until} ({why})",
                        concepts(&x.defers)
                    ),
                )
            }
        };
        if out.status != ExceptionStatus::NotMet {
            out.until = Some(until);
        }
        Some(out)
    }

    /// The rules in force on `date` for calls from `facility`, whatever its contract.
    fn resolve(&self, date: NaiveDate, facility: &Facility) -> Rules {
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

        let taxes = fee_period.and_then(|(d, p)| {
            let found = p.taxes.iter().flatten().find(|t| on_tier(&t.tiers));
            found.map(|t| TaxRule {
                jurisdictions: Jurisdiction::CAPPED
                    .iter()
                    .copied()
                    .filter(|j| selected(&t.jurisdictions, j))
                    .collect(),
                provenance: self.provenance(d, p.cite(), t.cite()),
            })
        });

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

        let local = self.local_rules(date, facility);
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
            taxes,
            site_commissions,
            call_charges,
            never_effective,
            local,
            contract_exception: None,
        }
    }

    /// The state and local rules for the facility's place on `date`, none when it names no
    /// state or county (every state's rules would only "may apply": a check says instead that
    /// none were looked up).
    fn local_rules(&self, date: NaiveDate, facility: &Facility) -> LocalRules {
        let Some(place) = place_of(facility) else {
            return LocalRules::default();
        };
        let found = self.state_rules(date, &place);
        LocalRules {
            state: found.state,
            state_covered: found.state_covered,
            rules: found
                .rules
                .into_iter()
                .map(|rule| {
                    let p = &rule.provenance;
                    let source = if p.title.is_empty() {
                        p.source.clone()
                    } else {
                        format!("{}, {}", p.source, p.title)
                    };
                    let provenance = Provenance {
                        effective: p.effective,
                        source: source.into(),
                        citation: p.citation.as_str().into(),
                        link: p.link.as_str().into(),
                        confidence: p.confidence,
                        note: p.note.as_deref().map(Into::into),
                    };
                    LocalRule { rule, provenance }
                })
                .collect(),
        }
    }
}

/// The weaker of two confidences.
fn weaker(a: Confidence, b: Confidence) -> Confidence {
    match (a, b) {
        (Confidence::Low, _) | (_, Confidence::Low) => Confidence::Low,
        (Confidence::Medium, _) | (_, Confidence::Medium) => Confidence::Medium,
        _ => Confidence::High,
    }
}

/// How the parts of the rules an exception keeps are named in messages.
fn concepts(defers: &[Concept]) -> String {
    let words: Vec<&str> = defers
        .iter()
        .map(|c| match c {
            Concept::Caps => "rate caps",
            Concept::SiteCommissions => "site-commission rules",
        })
        .collect();
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => "rules".into(),
    }
}

/// A value kept in force by an exception: its own source, citing the exception beside its
/// own citation, and no surer than either.
fn kept_by(p: &Provenance, by: &Provenance) -> Provenance {
    Provenance {
        citation: format!("{}; kept in force by {}", p.citation, by.citation).into(),
        confidence: weaker(p.confidence, by.confidence),
        ..p.clone()
    }
}

/// Puts the parts `defers` of `kept` (the rules of an earlier day) into `rules`, each citing
/// the exception `by`.
fn keep(rules: &mut Rules, kept: Rules, defers: &[Concept], by: &Provenance) {
    let Rules {
        mut caps,
        mut site_commissions,
        ..
    } = kept;
    for concept in defers {
        match concept {
            Concept::Caps => {
                for c in &mut caps {
                    c.provenance = kept_by(&c.provenance, by);
                    if let Some(f) = &mut c.facility_component {
                        f.provenance = kept_by(&f.provenance, by);
                    }
                }
                rules.caps = std::mem::take(&mut caps);
            }
            Concept::SiteCommissions => {
                if let Some(p) = &mut site_commissions.provenance {
                    *p = kept_by(p, by);
                }
                rules.site_commissions = site_commissions.clone();
            }
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

/// Where `facility` is, for the state and local rules; none when it names neither a state
/// nor a county (then none are looked up).
fn place_of(facility: &Facility) -> Option<Place<'_>> {
    if facility.state.is_none() && facility.county_fips.is_none() {
        return None;
    }
    Some(Place {
        state: facility.state.as_deref(),
        operator: facility.operator,
        county_fips: facility.county_fips.as_deref(),
        facility: Some(facility.kind),
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
