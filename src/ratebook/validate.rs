//! Validating a loaded rate book: source and tier ids that exist, tier tables without gaps or
//! overlaps, and at most one entry for each kind of call, fee or tier.

use super::schema::{selected, Cite, Cited, Places, TierDef};
use super::words::{Confidence, PerCallRule};
use super::RateBook;
use crate::call::{CallKind, Jurisdiction, Service};
use crate::dated::Periods;
use crate::error::{Error, Result};
use crate::facility::FacilityKind;
use crate::vocab::FeeKind;
use chrono::NaiveDate;
use std::collections::BTreeSet;

struct Validator<'a> {
    book: &'a RateBook,
    files: &'a [(&'a str, &'a str)],
    /// Where the reader found each file's tables.
    places: &'a [Places],
}

impl Validator<'_> {
    /// An error at the header of `[periods.DATE]`.
    fn at_period(&self, file: usize, date: NaiveDate, message: String) -> Error {
        self.at_table(file, &date.to_string(), message)
    }

    /// An error at the header of the table keyed `key` (a date or an id).
    fn at_table(&self, file: usize, key: &str, message: String) -> Error {
        match self.places.get(file).and_then(|p| p.get(key)) {
            Some(place) => Error::at_location(place.clone(), message),
            None => Error::file(self.files.get(file).map_or("", |f| f.0), message),
        }
    }

    fn source(&self, file: usize, date: NaiveDate, cite: Cite) -> Result<()> {
        match cite.source {
            Some(id) if !self.book.sources.contains_key(id) => Err(self.at_period(
                file,
                date,
                format!(
                    "unknown source `{id}`; sources.toml defines: {}",
                    self.book
                        .sources
                        .keys()
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )),
            _ => Ok(()),
        }
    }

    /// Checks the source ids of every period of a file and of its entries, and that no period
    /// is surer than an entry it holds (see [`surer_than_its_entries`]). `entry` names the
    /// entries' table (`cap`), for messages.
    fn sources<T: Cited>(
        &self,
        file: usize,
        periods: &Periods<T>,
        entry: &str,
        entries: impl Fn(&T) -> Vec<Cite<'_>>,
    ) -> Result<()> {
        for (date, p) in periods.iter() {
            self.source(file, date, p.cite())?;
            let cites = entries(p);
            for &cite in &cites {
                self.source(file, date, cite)?;
            }
            surer_than_its_entries(p.cite(), &cites, entry)
                .map_err(|m| self.at_period(file, date, m))?;
        }
        Ok(())
    }

    /// The dates within `[from, until)` on which the tier table changes, plus `from` itself.
    fn tier_dates(&self, from: NaiveDate, until: Option<NaiveDate>) -> Vec<NaiveDate> {
        let mut dates = vec![from];
        dates.extend(
            self.book
                .tiers
                .dates()
                .filter(|d| *d > from && until.is_none_or(|u| *d < u)),
        );
        dates
    }

    /// Checks a period's tier references against every tier table in force during it, and
    /// runs `per_tier` for each tier in force (to check entries for overlaps).
    fn each_tier<T>(
        &self,
        file: usize,
        periods: &Periods<T>,
        refs: impl Fn(&T) -> Vec<&Option<Vec<String>>>,
        per_tier: impl Fn(NaiveDate, &T, &TierDef) -> Result<(), String>,
    ) -> Result<()> {
        let dates: Vec<NaiveDate> = periods.dates().collect();
        for (i, (date, period)) in periods.iter().enumerate() {
            for on in self.tier_dates(date, dates.get(i + 1).copied()) {
                let Some((_, tiers)) = self.book.tiers.at(on) else {
                    return Err(self.at_period(
                        file,
                        date,
                        format!("no tier table is in force on {on} (tiers.toml starts later)"),
                    ));
                };
                for sel in refs(period).into_iter().flatten() {
                    for id in sel {
                        if !tiers.tier.iter().any(|t| &t.id == id) {
                            return Err(self.at_period(
                                file,
                                date,
                                format!(
                                    "unknown tier `{id}` on {on}; tiers.toml has: {}",
                                    tiers
                                        .tier
                                        .iter()
                                        .map(|t| t.id.as_str())
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                ),
                            ));
                        }
                    }
                }
                for t in &tiers.tier {
                    per_tier(on, period, t).map_err(|m| self.at_period(file, date, m))?;
                }
            }
        }
        Ok(())
    }
}

fn tier_gaps(tiers: &[TierDef]) -> Result<(), String> {
    let mut ids = BTreeSet::new();
    for t in tiers {
        if !ids.insert(&t.id) {
            return Err(format!("tier `{}` is defined twice", t.id));
        }
        if t.adp_max.is_some_and(|max| max < t.adp_min) {
            return Err(format!("tier `{}` has adp_max below adp_min", t.id));
        }
    }
    for &kind in FacilityKind::ALL {
        let mut of_kind: Vec<&TierDef> = tiers.iter().filter(|t| t.kind == kind).collect();
        of_kind.sort_by_key(|t| t.adp_min);
        let mut next = Some(0u32);
        for t in &of_kind {
            match next {
                Some(n) if t.adp_min == n => {}
                Some(n) if t.adp_min < n => {
                    return Err(format!(
                        "{kind} tier `{}` overlaps the tier before it at ADP {}",
                        t.id, t.adp_min
                    ));
                }
                Some(n) => {
                    return Err(format!(
                        "{kind} tiers leave ADP {n}–{} uncovered (before `{}`)",
                        t.adp_min - 1,
                        t.id
                    ));
                }
                None => {
                    return Err(format!(
                        "{kind} tier `{}` follows a tier with no upper bound",
                        t.id
                    ));
                }
            }
            next = t.adp_max.map(|m| m.saturating_add(1));
        }
        if let Some(n) = next {
            return Err(format!(
                "{kind} tiers leave ADP {n} and above uncovered; give the last tier no adp_max"
            ));
        }
    }
    Ok(())
}

/// A table's confidence is that of the whole table: it may not be higher than the confidence
/// any of its entries gives itself (an entry may be surer than its table, never less sure
/// while the table claims more). Without this a period marked `high` could hold `medium`
/// values and a finding citing the period would claim more than its values have.
fn surer_than_its_entries(table: Cite, entries: &[Cite], entry: &str) -> Result<(), String> {
    let Some(claimed) = table.confidence else {
        return Ok(());
    };
    for (i, e) in entries.iter().enumerate() {
        if let Some(own) = e.confidence.filter(|own| surer(claimed, *own)) {
            return Err(format!(
                "the table is marked confidence `{claimed}` but its [[{entry}]] entry #{} is `{own}`: a table may not be surer than any of its entries; mark the table `{own}` and give the surer entries their own confidence",
                i + 1
            ));
        }
    }
    Ok(())
}

/// Whether confidence `a` claims more than `b` (`high` over `medium` over `low`).
fn surer(a: Confidence, b: Confidence) -> bool {
    let rank = |c: Confidence| match c {
        Confidence::High => 2,
        Confidence::Medium => 1,
        Confidence::Low => 0,
    };
    rank(a) > rank(b)
}

fn at_most_one(count: usize, what: impl FnOnce() -> String) -> Result<(), String> {
    if count > 1 {
        Err(format!(
            "{} entries apply to {}; each must have one",
            count,
            what()
        ))
    } else {
        Ok(())
    }
}

impl RateBook {
    pub(super) fn validate(&self, files: &[(&str, &str)], places: &[Places]) -> Result<()> {
        let v = Validator {
            book: self,
            files,
            places,
        };
        v.sources(1, &self.regimes, "", |_| Vec::new())?;
        // A regime's values are its caps: a regime may not be surer than the caps table that
        // takes effect with it (a finding judged under the regime shows the regime's confidence).
        for (date, r) in self.regimes.iter() {
            if let Some((_, caps)) = self.caps.at(date).filter(|(d, _)| *d == date) {
                if let (Some(claimed), Some(values)) = (r.cite().confidence, caps.cite().confidence)
                {
                    if surer(claimed, values) {
                        return Err(v.at_period(
                            1,
                            date,
                            format!(
                                "the regime is marked confidence `{claimed}` but the caps that take effect with it (caps.toml [periods.{date}]) are `{values}`: a regime may not be surer than its caps"
                            ),
                        ));
                    }
                }
            }
        }
        v.sources(2, &self.tiers, "tier", |p| {
            p.tier.iter().map(Cited::cite).collect()
        })?;
        for (date, p) in self.tiers.iter() {
            tier_gaps(&p.tier).map_err(|m| v.at_period(2, date, m))?;
        }
        v.sources(3, &self.caps, "cap", |p| {
            p.cap.iter().map(Cited::cite).collect()
        })?;
        v.each_tier(
            3,
            &self.caps,
            |p| p.cap.iter().map(|c| &c.tiers).collect(),
            |on, p, t| {
                for call in CallKind::all_capped() {
                    let n = p
                        .cap
                        .iter()
                        .filter(|c| {
                            selected(&c.tiers, &t.id)
                                && selected(&c.services, &call.service)
                                && selected(&c.jurisdictions, &call.jurisdiction)
                                && selected(&c.payments, &call.payment)
                        })
                        .count();
                    at_most_one(n, || format!("tier `{}` {call} calls on {on}", t.id))?;
                }
                Ok(())
            },
        )?;
        v.sources(4, &self.components, "component", |p| {
            p.component.iter().map(Cited::cite).collect()
        })?;
        v.each_tier(
            4,
            &self.components,
            |p| p.component.iter().map(|c| &c.tiers).collect(),
            |on, p, t| {
                for s in Service::ALL {
                    let n = p
                        .component
                        .iter()
                        .filter(|c| selected(&c.tiers, &t.id) && selected(&c.services, s))
                        .count();
                    at_most_one(n, || format!("tier `{}` {s} calls on {on}", t.id))?;
                }
                Ok(())
            },
        )?;
        v.sources(5, &self.commissions, "rule", |p| {
            p.rule.iter().map(Cited::cite).collect()
        })?;
        v.each_tier(
            5,
            &self.commissions,
            |p| p.rule.iter().map(|r| &r.tiers).collect(),
            |on, p, t| {
                let n = p.rule.iter().filter(|r| selected(&r.tiers, &t.id)).count();
                at_most_one(n, || format!("tier `{}` on {on}", t.id))
            },
        )?;
        v.sources(6, &self.fees, "fee", |p| {
            p.fee
                .iter()
                .map(Cited::cite)
                .chain(p.taxes.iter().flatten().map(Cited::cite))
                .collect()
        })?;
        for (date, p) in self.fees.iter() {
            for f in &p.fee {
                let by_method = [f.limit_automated_payment, f.limit_live_agent];
                let given = by_method.iter().filter(|l| l.is_some()).count();
                if given == 1 || (given == 2 && f.limit.is_some()) {
                    return Err(v.at_period(
                        6,
                        date,
                        "a fee rule whose limit depends on how the deposit is made gives both `limit_automated_payment` and `limit_live_agent`, and no `limit` (where the method is not known, the higher one applies)".into(),
                    ));
                }
            }
        }
        v.each_tier(6, &self.fees, |p| p.fee.iter().map(|f| &f.tiers).chain(p.taxes.iter().flatten().map(|t| &t.tiers)).collect(), |on, p, t| {
            let taxes = p.taxes.iter().flatten().filter(|x| selected(&x.tiers, &t.id)).count();
            at_most_one(taxes, || format!("tier `{}` tax rules on {on}", t.id))?;
            let named = p.fee.iter().any(|f| selected(&f.tiers, &t.id));
            for kind in FeeKind::ALL {
                let n = p.fee.iter().filter(|f| selected(&f.tiers, &t.id) && f.kinds.contains(kind)).count();
                at_most_one(n, || format!("tier `{}` {kind} fees on {on}", t.id))?;
                if named && n == 0 {
                    return Err(format!("tier `{}` has fee rules on {on} but none for `{kind}`; give every kind a rule", t.id));
                }
            }
            Ok(())
        })?;
        v.sources(7, &self.call_charges, "rule", |p| {
            p.rule.iter().map(Cited::cite).collect()
        })?;
        for (date, p) in self.call_charges.iter() {
            for r in &p.rule {
                if r.per_call == PerCallRule::FifteenMinuteEquivalence
                    && r.equivalence_minutes.is_none()
                {
                    return Err(v.at_period(
                        7,
                        date,
                        "per_call = \"fifteen_minute_equivalence\" needs equivalence_minutes"
                            .into(),
                    ));
                }
            }
        }
        v.each_tier(
            7,
            &self.call_charges,
            |p| p.rule.iter().map(|r| &r.tiers).collect(),
            |on, p, t| {
                for s in Service::ALL {
                    for j in Jurisdiction::CAPPED {
                        let n = p
                            .rule
                            .iter()
                            .filter(|r| {
                                selected(&r.tiers, &t.id)
                                    && selected(&r.services, s)
                                    && selected(&r.jurisdictions, j)
                            })
                            .count();
                        at_most_one(n, || format!("tier `{}` {s} {j} calls on {on}", t.id))?;
                    }
                }
                Ok(())
            },
        )?;
        for (id, o) in &self.never_effective {
            let here = |m: String| v.at_table(8, id, m);
            if let Some(s) = o.cite().source.filter(|s| !self.sources.contains_key(*s)) {
                return Err(here(format!("unknown source `{s}`")));
            }
            let entries: Vec<Cite> = o
                .tier
                .iter()
                .map(Cited::cite)
                .chain(o.cap.iter().map(Cited::cite))
                .collect();
            surer_than_its_entries(o.cite(), &entries, "tier or cap").map_err(here)?;
            if o.to <= o.from {
                return Err(here("`to` must be after `from`".into()));
            }
            tier_gaps(&o.tier).map_err(here)?;
            for c in &o.cap {
                for tid in c.tiers.iter().flatten() {
                    if !o.tier.iter().any(|t| &t.id == tid) {
                        return Err(here(format!("unknown tier `{tid}` in this order's caps")));
                    }
                }
            }
        }
        for (id, x) in &self.exceptions {
            let here = |m: String| v.at_table(9, id, m);
            let windows: Vec<Cite> = x.window.iter().map(Cited::cite).collect();
            for cite in std::iter::once(x.cite()).chain(windows.iter().copied()) {
                if let Some(s) = cite.source.filter(|s| !self.sources.contains_key(*s)) {
                    return Err(here(format!("unknown source `{s}`")));
                }
            }
            surer_than_its_entries(x.cite(), &windows, "window").map_err(here)?;
            for r in &x.regimes {
                if !self.regimes.iter().any(|(_, p)| &p.regime == r) {
                    let known: Vec<&str> = self
                        .regimes
                        .iter()
                        .map(|(_, p)| p.regime.as_str())
                        .collect();
                    return Err(here(format!(
                        "unknown regime `{r}`; regimes.toml defines: {}",
                        known.join(", ")
                    )));
                }
            }
            if x.regimes.is_empty() || x.defers.is_empty() || x.window.is_empty() {
                return Err(here(
                    "an exception names the regimes whose rules it defers (`regimes`), which rules (`defers`) and at least one [[window]]".into(),
                ));
            }
            for w in &x.window {
                if w.from <= x.existing_on || w.until <= w.from {
                    return Err(here(format!(
                        "a window runs from after `existing_on` ({}) to a later `until`; this one runs from {} to {}",
                        x.existing_on, w.from, w.until
                    )));
                }
                let Some((_, tiers)) = self.tiers.at(w.from) else {
                    return Err(here(format!("no tier table is in force on {}", w.from)));
                };
                if let Some(t) = w
                    .tiers
                    .iter()
                    .find(|t| !tiers.tier.iter().any(|d| &d.id == *t))
                {
                    return Err(here(format!(
                        "unknown tier `{t}` on {}; tiers.toml has: {}",
                        w.from,
                        tiers
                            .tier
                            .iter()
                            .map(|d| d.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                }
            }
        }
        Ok(())
    }
}
