//! The state and local rules in force for a place on a date ([`RateBook::state_rules`]), each
//! marked as certainly applying or only possibly applying, with its provenance; which of them
//! cover a kind of call ([`StateRules::for_call`]); and the federal caps and fee rules that
//! the rules defined by reference resolve to ([`RateBook::referenced_cap`],
//! [`RateBook::referenced_fees`]).
//!
//! How the rules combine on a call (`rates/README.md`, "How the rules combine", after
//! `shared/reference/field-2026-12.md` §1.3): the price is the least of the tariff, the federal
//! cap and every state or local cap that applies ([`CallStateRules::lowest_cap`]); then an
//! agency's share is taken off ([`StateRuleValue::AgencyShare`]), free allowances are used
//! first ([`StateRuleValue::Allowance`]), and a `free` rule makes the call cost nothing. Fee
//! rules and commission bans are judged beside the price. A rule that only
//! [`may apply`](Certainty::MayApply) is never applied silently nor dropped: it is returned
//! with the [`Doubt`]s that keep it from certainly applying.

use super::rules::{CapLine, FeeRule};
use super::states::StateRuleDef;
use super::words::{Confidence, PerCallRule};
use super::RateBook;
use crate::call::{CallKind, Jurisdiction, Payment};
use crate::facility::{Facility, FacilityKind};
use crate::vocab::{
    AllowancePeriod, CallScope, Certainty, Communication, Doubt, FeeKind, Level, Operator, RuleKind,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

/// Where a facility is and who runs it, as far as known. Every field may be unknown: a rule
/// that depends on an unknown field is returned as one that [`may apply`](Certainty::MayApply).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Place<'a> {
    /// The state's postal code (`"NJ"`). When unknown, a county FIPS code names it.
    pub state: Option<&'a str>,
    /// Who runs the facility.
    pub operator: Option<Operator>,
    /// The five-digit FIPS code of the facility's county (`"06073"`).
    pub county_fips: Option<&'a str>,
    /// Prison or jail.
    pub facility: Option<FacilityKind>,
}

/// Where a state or local rule comes from and when it is in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateProvenance {
    /// A state's rule or a county's or city's.
    pub level: Level,
    /// The county or city of a local rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locality: Option<String>,
    /// The first day in force.
    pub effective: NaiveDate,
    /// The last day in force (inclusive), when the rule ended.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The document (`N.J.S.A. 30:4-8.12 (P.L. 2016, c. 37)`).
    pub source: String,
    /// Its title.
    pub title: String,
    /// The section or paragraph.
    pub citation: String,
    /// Where to read it.
    pub link: String,
    /// How sure the sources are.
    pub confidence: Confidence,
    /// Anything a reader should know, doubts included.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a rule covers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateScope {
    /// Who runs the facilities it covers.
    pub operators: Vec<Operator>,
    /// The services it covers.
    pub services: Vec<Communication>,
    /// The calls it covers, by where they go.
    pub calls: CallScope,
    /// The payments it covers (none: all).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub payments: Option<Vec<Payment>>,
    /// Prisons or jails only (none: both).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facilities: Option<Vec<FacilityKind>>,
    /// The counties of a local rule (empty for a state rule: the whole state).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub county_fips: Vec<String>,
    /// A condition callcap cannot check (eligibility, youth facilities only, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A cap on a call of a given length, every charge included (New Mexico: a 15-minute prepaid
/// call at most $2.25).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CallTotal {
    /// The length of call the cap is for.
    pub minutes: u32,
    /// The most such a call may cost.
    #[serde(serialize_with = "crate::money::serialize")]
    pub max: Decimal,
}

/// A capped fee.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FeeCap {
    /// Which fee.
    pub kind: FeeKind,
    /// The most per use.
    #[serde(serialize_with = "crate::money::serialize")]
    pub limit: Decimal,
    /// Only the third party's own charge, without markup.
    pub pass_through: bool,
}

/// What a rule does, with its values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum StateRuleValue {
    /// Calls cost the person calling and the person called nothing.
    Free {},
    /// The agency pays `share` of the cost; the family pays the rest.
    AgencyShare {
        /// The agency's part, from 0 to 1 (`0.35`).
        #[serde(serialize_with = "crate::money::serialize")]
        share: Decimal,
    },
    /// A ceiling on what a call may cost.
    RateCap {
        /// The most per minute.
        #[serde(serialize_with = "crate::money::serialize_opt")]
        per_minute: Option<Decimal>,
        /// The most a call of a given length may cost, every charge included.
        per_call: Option<CallTotal>,
    },
    /// The cap is the FCC's cap for the same call as if it went to `jurisdiction`, for the same
    /// date and facility: resolve it with [`RateBook::referenced_cap`].
    CapRefFederal {
        /// The federal jurisdiction referred to (Indiana: interstate).
        jurisdiction: Jurisdiction,
    },
    /// Ancillary fees banned or capped, or (with `reference`) the federal fee rules for
    /// `reference` calls applied to these calls ([`RateBook::referenced_fees`]).
    FeeRule {
        /// Fees that may not be charged.
        banned: Vec<FeeKind>,
        /// Fees that may be charged up to a limit.
        capped: Vec<FeeCap>,
        /// The rule on per-call (connection) charges, if the rule has one.
        per_call_charges: Option<PerCallRule>,
        /// The federal fee rules apply, as for calls of this jurisdiction.
        reference: Option<Jurisdiction>,
    },
    /// The agency may take no commission (with `cost_recovery`: nothing beyond its reasonable
    /// costs).
    NoCommission {
        /// The agency may recover its reasonable operating costs, no more.
        cost_recovery: bool,
    },
    /// Free minutes or calls each period, used before the tariff applies.
    Allowance {
        /// Free minutes each period.
        minutes: Option<u32>,
        /// Free calls each period, each of up to `call_minutes`.
        free_calls: Option<u32>,
        /// How long each free call may be.
        call_minutes: Option<u32>,
        /// The period.
        period: AllowancePeriod,
    },
}

/// A state or local rule in force for a place on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateRule {
    /// Its id, unique in the book (`nj-30-4-8-12-cap`).
    pub id: String,
    /// The state it belongs to (`NJ`).
    pub state: String,
    /// What kind of rule it is.
    pub kind: RuleKind,
    /// What it does.
    pub value: StateRuleValue,
    /// What it covers.
    pub scope: StateScope,
    /// Whether it certainly applies to the place, or may apply.
    pub certainty: Certainty,
    /// Why it only may apply (empty when it applies).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub doubts: Vec<Doubt>,
    /// Where it comes from.
    pub provenance: StateProvenance,
}

impl StateRule {
    /// Whether the rule covers a kind of call (its service, where it goes, how it is paid).
    pub fn covers(&self, call: CallKind) -> bool {
        self.scope
            .services
            .contains(&Communication::from(call.service))
            && self.scope.calls.covers(call.jurisdiction)
            && self
                .scope
                .payments
                .as_ref()
                .is_none_or(|p| p.contains(&call.payment))
    }

    /// True when the rule certainly applies to the place.
    pub fn applies(&self) -> bool {
        self.certainty == Certainty::Applies
    }
}

/// The state and local rules in force for a place on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateRules {
    /// The date.
    pub date: NaiveDate,
    /// The place's state: as given, or named by its county's FIPS code (none: unknown).
    pub state: Option<String>,
    /// Whether the book has a file for the place's state (false when the state is unknown
    /// or not yet researched: no rules then means none are known, not that there are none).
    pub state_covered: bool,
    /// The rules, state by state in file order; each certainly applies or may apply.
    pub rules: Vec<StateRule>,
}

impl StateRules {
    /// The rules that cover a kind of call, grouped by what they do.
    pub fn for_call(&self, call: CallKind) -> CallStateRules<'_> {
        CallStateRules {
            call,
            rules: self.rules.iter().filter(|r| r.covers(call)).collect(),
        }
    }

    /// The rule with an id, if it is in force for the place.
    pub fn get(&self, id: &str) -> Option<&StateRule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// The state and local rules that cover one kind of call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallStateRules<'r> {
    /// The call.
    pub call: CallKind,
    /// Every rule covering it, certain or not.
    pub rules: Vec<&'r StateRule>,
}

/// The lowest of the state and local per-minute caps on a call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LowestCap<'r> {
    /// The cap per minute.
    pub per_minute: Decimal,
    /// The rule that sets it.
    pub rule: &'r StateRule,
    /// For a cap defined by reference, the federal cap it resolved to.
    pub federal: Option<CapLine>,
}

impl<'r> CallStateRules<'r> {
    /// The rules of one kind.
    pub fn of_kind(&self, kind: RuleKind) -> impl Iterator<Item = &'r StateRule> + '_ {
        self.rules.iter().copied().filter(move |r| r.kind == kind)
    }

    /// Whether the call is free: [`Certainty::Applies`] when a `free` rule certainly applies,
    /// [`Certainty::MayApply`] when one only may, `None` when none covers it.
    pub fn free(&self) -> Option<Certainty> {
        let mut free = self.of_kind(RuleKind::Free).map(|r| r.certainty);
        let first = free.next()?;
        Some(if first == Certainty::Applies {
            first
        } else {
            free.find(|c| *c == Certainty::Applies).unwrap_or(first)
        })
    }

    /// The lowest per-minute cap among the caps that certainly apply (`rate_cap` rules with a
    /// `per_minute`, and `cap_ref_federal` rules resolved through the federal rules of the
    /// same date and facility). Caps that only may apply are left to the caller, in
    /// [`rules`](Self::rules).
    pub fn lowest_cap(
        &self,
        book: &RateBook,
        date: NaiveDate,
        facility: &Facility,
    ) -> Option<LowestCap<'r>> {
        let mut best: Option<LowestCap<'r>> = None;
        for rule in self.rules.iter().copied().filter(|r| r.applies()) {
            let (per_minute, federal) = match &rule.value {
                StateRuleValue::RateCap {
                    per_minute: Some(p),
                    ..
                } => (*p, None),
                StateRuleValue::CapRefFederal { .. } => {
                    let Some(line) = book.referenced_cap(rule, date, facility, self.call) else {
                        continue;
                    };
                    let Some(p) = line.per_minute else { continue };
                    (p, Some(line))
                }
                _ => continue,
            };
            if best.as_ref().is_none_or(|b| per_minute < b.per_minute) {
                best = Some(LowestCap {
                    per_minute,
                    rule,
                    federal,
                });
            }
        }
        best
    }
}

/// Whether a rule applies to a place: `None` when the place is outside its scope, else the
/// doubts that keep it from certainly applying (none: it applies).
fn doubts(code: &str, fips: &str, def: &StateRuleDef, place: &Place) -> Option<Vec<Doubt>> {
    let mut doubts = Vec::new();
    let county_state = place.county_fips.and_then(|c| c.get(..2));
    match (place.state, county_state) {
        (Some(s), _) if s != code => return None,
        (None, Some(prefix)) if prefix != fips => return None,
        (None, None) => doubts.push(Doubt::StateUnknown),
        _ => {}
    }
    if Operator::ALL.iter().any(|o| !def.operators.contains(o)) {
        match place.operator {
            Some(o) if !def.operators.contains(&o) => return None,
            Some(_) => {}
            None => doubts.push(Doubt::OperatorUnknown),
        }
    }
    if def.level == Level::Local {
        match place.county_fips {
            Some(c) if !def.county_fips.iter().any(|x| x == c) => return None,
            Some(_) => {}
            None => doubts.push(Doubt::CountyUnknown),
        }
    }
    if let Some(kinds) = &def.facilities {
        if FacilityKind::ALL.iter().any(|k| !kinds.contains(k)) {
            match place.facility {
                Some(k) if !kinds.contains(&k) => return None,
                Some(_) => {}
                None => doubts.push(Doubt::FacilityUnknown),
            }
        }
    }
    if def.condition.is_some() {
        doubts.push(Doubt::Condition);
    }
    Some(doubts)
}

fn value(def: &StateRuleDef) -> StateRuleValue {
    match def.kind {
        RuleKind::Free => StateRuleValue::Free {},
        RuleKind::AgencyShare => StateRuleValue::AgencyShare {
            share: def.share.unwrap_or_default(),
        },
        RuleKind::RateCap => StateRuleValue::RateCap {
            per_minute: def.per_minute,
            per_call: def
                .per_call
                .zip(def.call_minutes)
                .map(|(max, minutes)| CallTotal { minutes, max }),
        },
        RuleKind::CapRefFederal => StateRuleValue::CapRefFederal {
            jurisdiction: def.reference.unwrap_or(Jurisdiction::Interstate),
        },
        RuleKind::FeeRule => StateRuleValue::FeeRule {
            banned: def.banned.clone(),
            capped: def
                .capped
                .iter()
                .map(|c| FeeCap {
                    kind: c.kind,
                    limit: c.limit,
                    pass_through: c.pass_through,
                })
                .collect(),
            per_call_charges: def.per_call_charges,
            reference: def.reference,
        },
        RuleKind::NoCommission => StateRuleValue::NoCommission {
            cost_recovery: def.cost_recovery,
        },
        RuleKind::Allowance => StateRuleValue::Allowance {
            minutes: def.minutes,
            free_calls: def.free_calls,
            call_minutes: def.call_minutes,
            period: def.period.unwrap_or(AllowancePeriod::Month),
        },
    }
}

impl RateBook {
    /// The state and local rules in force on `date` for `place`, each marked as certainly
    /// applying, or as one that may apply with the [`Doubt`]s why (a rule that depends on
    /// something the place does not say is never silently applied nor dropped).
    ///
    /// A rule is in force from its `from` through its `until`, both days included.
    ///
    /// ```
    /// use callcap::ratebook::Place;
    /// use callcap::vocab::{Certainty, Operator, RuleKind};
    /// use callcap::RateBook;
    /// use chrono::NaiveDate;
    ///
    /// let book = RateBook::bundled()?;
    /// let date = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    /// let place = Place { state: Some("NJ"), operator: Some(Operator::County), ..Place::default() };
    /// let rules = book.state_rules(date, &place);
    /// let cap = rules.rules.iter().find(|r| r.kind == RuleKind::RateCap).unwrap();
    /// assert_eq!(cap.certainty, Certainty::Applies);
    /// # Ok::<(), callcap::Error>(())
    /// ```
    pub fn state_rules(&self, date: NaiveDate, place: &Place) -> StateRules {
        let mut rules = Vec::new();
        for (code, file) in &self.state_rules {
            let fips = self.states.get(code).map_or("", |s| s.fips.as_str());
            for def in &file.rule {
                if date < def.from || def.until.is_some_and(|u| date > u) {
                    continue;
                }
                let Some(doubts) = doubts(code, fips, def, place) else {
                    continue;
                };
                let doc = file.sources.get(&def.source);
                rules.push(StateRule {
                    id: def.id.clone(),
                    state: code.clone(),
                    kind: def.kind,
                    value: value(def),
                    scope: StateScope {
                        operators: def.operators.clone(),
                        services: def.services.clone(),
                        calls: def.calls,
                        payments: def.payments.clone(),
                        facilities: def.facilities.clone(),
                        county_fips: def.county_fips.clone(),
                        condition: def.condition.clone(),
                    },
                    certainty: if doubts.is_empty() {
                        Certainty::Applies
                    } else {
                        Certainty::MayApply
                    },
                    doubts,
                    provenance: StateProvenance {
                        level: def.level,
                        locality: def.locality.clone(),
                        effective: def.from,
                        until: def.until,
                        source: doc.map_or_else(|| def.source.clone(), |d| d.document.clone()),
                        title: doc.map_or_else(String::new, |d| d.title.clone()),
                        citation: def.citation.clone(),
                        link: doc.map_or_else(String::new, |d| d.link.to_string()),
                        confidence: def.confidence,
                        note: def.note.clone(),
                    },
                });
            }
        }
        let state = place.state.map(str::to_string).or_else(|| {
            let prefix = place.county_fips.and_then(|c| c.get(..2))?;
            self.states
                .iter()
                .find(|(_, s)| s.fips == prefix)
                .map(|(c, _)| c.clone())
        });
        StateRules {
            date,
            state_covered: state
                .as_ref()
                .is_some_and(|s| self.state_rules.contains_key(s)),
            state,
            rules,
        }
    }

    /// The federal cap a `cap_ref_federal` rule refers to for `call`: the FCC's cap on the same
    /// service and payment as if the call went to the rule's jurisdiction (interstate), for
    /// the same date and facility (so it follows every change of the federal rules, waivers
    /// included). `None` when the rule is not a reference or does not cover the call; a line
    /// whose `per_minute` is `None` when no federal cap was in force.
    pub fn referenced_cap(
        &self,
        rule: &StateRule,
        date: NaiveDate,
        facility: &Facility,
        call: CallKind,
    ) -> Option<CapLine> {
        let StateRuleValue::CapRefFederal { jurisdiction } = rule.value else {
            return None;
        };
        if !rule.covers(call) {
            return None;
        }
        let referenced = CallKind {
            jurisdiction,
            ..call
        };
        self.rules(date, facility).cap(referenced).cloned()
    }

    /// The federal fee rules a `fee_rule` with a `reference` applies (Indiana IC 24-5-27-20:
    /// only the ancillary charges the FCC permits), for the same date and facility; `None`
    /// for a rule without a reference.
    pub fn referenced_fees(
        &self,
        rule: &StateRule,
        date: NaiveDate,
        facility: &Facility,
    ) -> Option<Vec<FeeRule>> {
        match rule.value {
            StateRuleValue::FeeRule {
                reference: Some(_), ..
            } => Some(self.rules(date, facility).ancillary_fees),
            _ => None,
        }
    }

    /// Every day on which a state or local rule starts or ends (the day after its `until`),
    /// in order.
    pub fn state_change_dates(&self) -> Vec<NaiveDate> {
        self.rule_dates(|_, _, _| true)
    }

    /// Every day on which a state or local rule that can apply at `place` starts or ends, in
    /// order: of [`state_change_dates`](Self::state_change_dates), the days of the rules
    /// [`state_rules`](Self::state_rules) can find for `place` on some date. On the other
    /// days, what it finds for `place` stays the same.
    pub fn state_change_dates_at(&self, place: &Place) -> Vec<NaiveDate> {
        self.rule_dates(|code, fips, def| doubts(code, fips, def, place).is_some())
    }

    /// The days the rules `keep` keeps start or end, in order.
    fn rule_dates(&self, keep: impl Fn(&str, &str, &StateRuleDef) -> bool) -> Vec<NaiveDate> {
        let mut dates: Vec<NaiveDate> = Vec::new();
        for (code, file) in &self.state_rules {
            let fips = self.states.get(code).map_or("", |s| s.fips.as_str());
            dates.extend(
                file.rule
                    .iter()
                    .filter(|r| keep(code, fips, r))
                    .flat_map(|r| [Some(r.from), r.until.and_then(|u| u.succ_opt())])
                    .flatten(),
            );
        }
        dates.sort();
        dates.dedup();
        dates
    }

    /// The postal codes of the states the book has rules for.
    pub fn states_covered(&self) -> impl Iterator<Item = &str> {
        self.state_rules.keys().map(String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::call::Service;
    use crate::vocab::Doubt;

    fn d(s: &str) -> NaiveDate {
        crate::dated::parse_date(s).expect("a date")
    }

    fn book() -> RateBook {
        RateBook::bundled().expect("the bundled book")
    }

    fn place(state: &str, operator: Option<Operator>) -> Place<'_> {
        Place {
            state: Some(state),
            operator,
            ..Place::default()
        }
    }

    fn ids(rules: &StateRules) -> Vec<&str> {
        rules.rules.iter().map(|r| r.id.as_str()).collect()
    }

    const AUDIO_IN_STATE: CallKind = CallKind {
        service: Service::Audio,
        jurisdiction: Jurisdiction::Intrastate,
        payment: Payment::Debit,
    };

    #[test]
    fn a_rule_is_in_force_from_its_first_day_through_its_last() {
        let book = book();
        let co = place("CO", Some(Operator::State));
        let on = |date: &str| book.state_rules(d(date), &co);
        assert!(!ids(&on("2023-08-31")).contains(&"co-hb23-1133-share-25"));
        assert!(ids(&on("2023-09-01")).contains(&"co-hb23-1133-share-25"));
        assert!(ids(&on("2024-06-30")).contains(&"co-hb23-1133-share-25"));
        let july = on("2024-07-01");
        assert!(!ids(&july).contains(&"co-hb23-1133-share-25"));
        let share = july
            .get("co-hb23-1133-share-35")
            .expect("35% from 2024-07-01");
        assert_eq!(
            share.value,
            StateRuleValue::AgencyShare {
                share: Decimal::new(35, 2)
            }
        );
        assert_eq!(share.provenance.until, Some(d("2025-06-30")));
        assert!(ids(&on("2026-06-30")).contains(&"co-sb25-208-share-75"));
        let free = on("2026-07-01");
        assert!(!ids(&free).contains(&"co-sb25-208-share-75"));
        assert_eq!(
            free.for_call(AUDIO_IN_STATE).free(),
            Some(Certainty::Applies)
        );

        let nj = place("NJ", Some(Operator::County));
        assert!(book.state_rules(d("2016-08-30"), &nj).rules.is_empty());
        assert_eq!(book.state_rules(d("2016-08-31"), &nj).rules.len(), 3);
    }

    #[test]
    fn every_rule_starts_and_ends_on_its_days() {
        let book = book();
        let anywhere = Place::default();
        let mut checked = 0;
        for file in book.state_rules.values() {
            for r in &file.rule {
                let has = |date: NaiveDate| {
                    book.state_rules(date, &anywhere)
                        .rules
                        .iter()
                        .any(|x| x.id == r.id)
                };
                assert!(has(r.from), "{} on its first day", r.id);
                assert!(!has(r.from.pred_opt().unwrap()), "{} the day before", r.id);
                if let Some(u) = r.until {
                    assert!(has(u), "{} on its last day", r.id);
                    assert!(!has(u.succ_opt().unwrap()), "{} the day after", r.id);
                }
                checked += 1;
            }
        }
        assert!(checked >= 50, "{checked} rules");
        assert!(book.state_change_dates().windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn a_place_s_change_days_are_those_of_the_rules_that_can_apply_there() {
        let book = book();
        let every = book.state_change_dates();
        // Nothing known of the place: every rule may apply, so every day.
        assert_eq!(book.state_change_dates_at(&Place::default()), every);
        for code in book.states_covered() {
            let place = Place {
                state: Some(code),
                ..Place::default()
            };
            let days = book.state_change_dates_at(&place);
            let file = &book.state_rules[code];
            let own: std::collections::BTreeSet<NaiveDate> = file
                .rule
                .iter()
                .flat_map(|r| [Some(r.from), r.until.and_then(|u| u.succ_opt())])
                .flatten()
                .collect();
            assert_eq!(days, own.into_iter().collect::<Vec<_>>(), "{code}");
            assert!(days.iter().all(|d| every.contains(d)));
        }
        // A state without rules of its own has no days.
        let none = Place {
            state: Some("ZZ"),
            ..Place::default()
        };
        assert!(book.state_change_dates_at(&none).is_empty());
    }

    #[test]
    fn a_county_jail_is_outside_a_prisons_only_law() {
        let book = book();
        let date = d("2024-01-01");
        let jail = book.state_rules(date, &place("MN", Some(Operator::County)));
        assert!(jail.rules.is_empty(), "{:?}", ids(&jail));
        assert!(
            jail.state_covered,
            "Minnesota has a file: no rule is known to apply"
        );
        let prison = book.state_rules(date, &place("MN", Some(Operator::State)));
        let free = prison.get("mn-241-252-free").expect("the DOC's free calls");
        assert!(free.applies());
        assert!(prison.for_call(AUDIO_IN_STATE).free() == Some(Certainty::Applies));
        // Video is not free under § 241.252.
        let video = CallKind {
            service: Service::Video,
            ..AUDIO_IN_STATE
        };
        assert_eq!(prison.for_call(video).free(), None);
    }

    #[test]
    fn an_unknown_operator_county_or_state_makes_a_rule_one_that_may_apply() {
        let book = book();
        let date = d("2024-01-01");
        let unknown = book.state_rules(date, &place("MN", None));
        let free = unknown.get("mn-241-252-free").expect("never dropped");
        assert_eq!(free.certainty, Certainty::MayApply);
        assert_eq!(free.doubts, [Doubt::OperatorUnknown]);
        assert_eq!(
            unknown.for_call(AUDIO_IN_STATE).free(),
            Some(Certainty::MayApply)
        );

        // A local rule with no county given may apply; in another county it does not.
        let la = book.state_rules(d("2024-01-01"), &place("CA", Some(Operator::County)));
        let free = la.get("ca-los-angeles-free").expect("may apply");
        assert_eq!(free.doubts, [Doubt::CountyUnknown]);
        let elsewhere = Place {
            county_fips: Some("06001"),
            ..place("CA", Some(Operator::County))
        };
        assert!(book
            .state_rules(date, &elsewhere)
            .get("ca-los-angeles-free")
            .is_none());
        // The county names the state when the state is not given.
        let by_county = Place {
            county_fips: Some("06037"),
            operator: Some(Operator::County),
            ..Place::default()
        };
        let rules = book.state_rules(date, &by_county);
        assert!(rules.state_covered);
        assert!(rules
            .get("ca-los-angeles-free")
            .is_some_and(StateRule::applies));
        assert!(rules.rules.iter().all(|r| r.state == "CA"));

        // No state at all: every rule in force may apply, none is dropped.
        let anywhere = book.state_rules(date, &Place::default());
        assert!(!anywhere.state_covered);
        assert!(anywhere.rules.len() > 20);
        assert!(anywhere
            .rules
            .iter()
            .all(|r| r.doubts.contains(&Doubt::StateUnknown) && !r.applies()));

        // A condition callcap cannot check keeps a rule one that may apply.
        let youth = book.state_rules(date, &place("CA", Some(Operator::County)));
        let r = youth.get("ca-sb1008-free-youth").expect("youth facilities");
        assert_eq!(r.doubts, [Doubt::Condition]);
        // A facility kind a rule depends on: Alabama's caps differ for prisons and jails.
        let al = book.state_rules(d("2015-07-01"), &place("AL", Some(Operator::County)));
        assert!(al
            .rules
            .iter()
            .all(|r| r.doubts == [Doubt::FacilityUnknown]));
        let al_jail = Place {
            facility: Some(FacilityKind::Jail),
            ..place("AL", Some(Operator::County))
        };
        let jail = book.state_rules(d("2015-07-01"), &al_jail);
        assert_eq!(ids(&jail), ["al-psc-2014-cap-year-1"]);
    }

    #[test]
    fn indianas_cap_follows_the_federal_interstate_cap() {
        let book = book();
        let jail = Facility::new(FacilityKind::Jail, 640);
        let at = |date: &str| {
            let date = d(date);
            let rules = book.state_rules(date, &place("IN", Some(Operator::County)));
            let rule = rules
                .get("in-24-5-27-19-cap")
                .expect("Indiana's cap")
                .clone();
            let line = book
                .referenced_cap(&rule, date, &jail, AUDIO_IN_STATE)
                .expect("a reference");
            let federal = book
                .rules(date, &jail)
                .cap(CallKind {
                    jurisdiction: Jurisdiction::Interstate,
                    ..AUDIO_IN_STATE
                })
                .and_then(|c| c.per_minute);
            assert_eq!(line.per_minute, federal);
            assert_eq!(line.jurisdiction, Jurisdiction::Interstate);
            let lowest = rules
                .for_call(AUDIO_IN_STATE)
                .lowest_cap(&book, date, &jail)
                .map(|l| l.per_minute);
            assert_eq!(lowest, federal);
            federal.expect("a federal cap")
        };
        // FCC 21-60 for a jail under 1,000 ADP, then FCC 24-75 from 2025-04-01, then the 2021
        // caps again under the waiver from 2025-06-30.
        assert_eq!(at("2022-07-01"), Decimal::new(21, 2));
        let under_24_75 = at("2025-04-01");
        assert!(under_24_75 < Decimal::new(21, 2), "{under_24_75}");
        assert_eq!(at("2025-06-30"), Decimal::new(21, 2));
        // Before the law, no rule; an interstate call is not covered by it.
        let before = book.state_rules(d("2022-06-30"), &place("IN", Some(Operator::County)));
        assert!(before.get("in-24-5-27-19-cap").is_none());
        let rules = book.state_rules(d("2022-07-01"), &place("IN", Some(Operator::County)));
        let rule = rules.get("in-24-5-27-19-cap").unwrap();
        let interstate = CallKind {
            jurisdiction: Jurisdiction::Interstate,
            ..AUDIO_IN_STATE
        };
        assert!(!rule.covers(interstate));
        assert_eq!(
            book.referenced_cap(rule, d("2022-07-01"), &jail, interstate),
            None
        );
        let fees = rules.get("in-24-5-27-20-fees").unwrap();
        assert_eq!(
            book.referenced_fees(fees, d("2022-07-01"), &jail)
                .map(|f| f.len()),
            Some(FeeKind::ALL.len())
        );
    }

    #[test]
    fn monroe_countys_free_calls_end() {
        let book = book();
        let monroe = Place {
            county_fips: Some("36055"),
            ..place("NY", Some(Operator::County))
        };
        let on = |date: &str| book.state_rules(d(date), &monroe);
        assert!(on("2021-12-31").get("ny-monroe-allowance-2021").is_some());
        assert!(on("2022-01-01").rules.is_empty());
        let allowance = on("2024-12-31");
        let r = allowance
            .get("ny-monroe-allowance-2022")
            .expect("two calls a week");
        assert_eq!(
            r.value,
            StateRuleValue::Allowance {
                minutes: None,
                free_calls: Some(2),
                call_minutes: Some(15),
                period: AllowancePeriod::Week
            }
        );
        assert_eq!(r.provenance.until, Some(d("2024-12-31")));
        assert_eq!(r.provenance.level, Level::Local);
        assert_eq!(r.provenance.locality.as_deref(), Some("Monroe County"));
        assert!(on("2025-01-01").rules.is_empty(), "ended in 2025");
        // The state's own rules are not Monroe County's: a state prison there has DOCCS'.
        let prison = book.state_rules(d("2025-08-01"), &place("NY", Some(Operator::State)));
        assert!(prison.get("ny-doccs-free").is_some_and(StateRule::applies));
    }

    #[test]
    fn the_lowest_cap_and_what_covers_a_call() {
        let book = book();
        let date = d("2024-01-01");
        let jail = Facility::new(FacilityKind::Jail, 640);
        let ca = book.state_rules(date, &place("CA", Some(Operator::County)));
        let lowest = ca
            .for_call(AUDIO_IN_STATE)
            .lowest_cap(&book, date, &jail)
            .expect("the CPUC cap");
        assert_eq!(lowest.per_minute, Decimal::new(7, 2));
        assert_eq!(lowest.rule.id, "ca-cpuc-d2108037-cap");
        assert_eq!(lowest.rule.provenance.source, "CPUC D.21-08-037");
        assert!(lowest.rule.provenance.link.starts_with("https://"));
        let interstate = CallKind {
            jurisdiction: Jurisdiction::Interstate,
            ..AUDIO_IN_STATE
        };
        assert!(ca
            .for_call(interstate)
            .lowest_cap(&book, date, &jail)
            .is_none());
        // New Jersey's cap covers domestic calls, not international ones.
        let nj = book.state_rules(date, &place("NJ", Some(Operator::Private)));
        let cap = nj.get("nj-30-4-8-12-cap").unwrap();
        assert!(cap.covers(interstate));
        assert!(!cap.covers(CallKind {
            jurisdiction: Jurisdiction::International,
            ..AUDIO_IN_STATE
        }));
        let kinds: Vec<RuleKind> = nj
            .for_call(AUDIO_IN_STATE)
            .rules
            .iter()
            .map(|r| r.kind)
            .collect();
        assert_eq!(
            kinds,
            [RuleKind::RateCap, RuleKind::FeeRule, RuleKind::NoCommission]
        );
        // New Mexico: a 15-minute total by payment.
        let nm = book.state_rules(date, &place("NM", Some(Operator::County)));
        let collect = CallKind {
            payment: Payment::Collect,
            ..AUDIO_IN_STATE
        };
        let caps: Vec<&StateRule> = nm.for_call(collect).of_kind(RuleKind::RateCap).collect();
        assert_eq!(caps.len(), 1);
        assert_eq!(
            caps[0].value,
            StateRuleValue::RateCap {
                per_minute: Some(Decimal::new(15, 2)),
                per_call: Some(CallTotal {
                    minutes: 15,
                    max: Decimal::new(325, 2)
                })
            }
        );
    }
}
