//! State and local rules as written (`rates/states.toml`, `rates/states/XX.toml`), read and
//! checked strictly: unknown keys (and keys of another kind of rule), bare floats and dates,
//! `until` before `from`, unknown states, bad county FIPS codes, unknown sources, rule ids used
//! twice, and two rules of one kind whose dates and scopes overlap are errors naming the file
//! and line (both lines, for an overlap).
//!
//! What a state file holds, key by key, is in `rates/README.md` ("State and local rules").

use super::schema::SourceDoc;
use super::words::{Confidence, PerCallRule};
use crate::call::{Jurisdiction, Payment};
use crate::error::{Location, Result};
use crate::facility::FacilityKind;
use crate::toml_reader::{expected_words, Doc, Field, Spot, Table};
use crate::vocab::{
    AllowancePeriod, CallScope, Communication, FeeKind, Level, Operator, RuleKind, Word,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

crate::pack::packed! {
    /// A state, district or territory (`rates/states.toml`).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct StateInfo {
        pub(super) name: String,
        /// Its two-digit FIPS code: the first two digits of its counties' codes.
        pub(super) fips: String,
    }
}

crate::pack::packed! {
    /// One state's file: its sources and its state and local rules.
    #[derive(Debug, Clone, PartialEq)]
    pub(super) struct StateFile {
        pub(super) sources: BTreeMap<String, SourceDoc>,
        pub(super) rule: Vec<StateRuleDef>,
    }
}

crate::pack::packed! {
    /// A capped fee of a `fee_rule`.
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub(super) struct FeeCapDef {
        pub(super) kind: FeeKind,
        pub(super) limit: Decimal,
        pub(super) pass_through: bool,
    }
}

crate::pack::packed! {
    /// One `[[rule]]` of a state file, as written: its scope, dates and citation, and the values
    /// of its kind (the others are `None` or empty; the reader refuses them).
    #[derive(Debug, Clone, PartialEq)]
    pub(super) struct StateRuleDef {
        pub(super) id: String,
        pub(super) kind: RuleKind,
        pub(super) level: Level,
        pub(super) locality: Option<String>,
        pub(super) county_fips: Vec<String>,
        pub(super) operators: Vec<Operator>,
        pub(super) services: Vec<Communication>,
        pub(super) calls: CallScope,
        pub(super) payments: Option<Vec<Payment>>,
        pub(super) facilities: Option<Vec<FacilityKind>>,
        pub(super) condition: Option<String>,
        pub(super) from: NaiveDate,
        pub(super) until: Option<NaiveDate>,
        pub(super) source: String,
        pub(super) citation: String,
        pub(super) confidence: Confidence,
        pub(super) note: Option<String>,
        pub(super) share: Option<Decimal>,
        pub(super) per_minute: Option<Decimal>,
        pub(super) per_call: Option<Decimal>,
        pub(super) call_minutes: Option<u32>,
        pub(super) reference: Option<Jurisdiction>,
        pub(super) banned: Vec<FeeKind>,
        pub(super) capped: Vec<FeeCapDef>,
        pub(super) per_call_charges: Option<PerCallRule>,
        pub(super) cost_recovery: bool,
        pub(super) minutes: Option<u32>,
        pub(super) free_calls: Option<u32>,
        pub(super) period: Option<AllowancePeriod>,
    }
}

crate::pack::pack_words!(
    Operator,
    Level,
    RuleKind,
    Communication,
    CallScope,
    AllowancePeriod,
);

/// Keys every rule may have.
const COMMON: &[&str] = &[
    "id",
    "kind",
    "level",
    "locality",
    "county_fips",
    "operators",
    "services",
    "calls",
    "payments",
    "facilities",
    "condition",
    "from",
    "until",
    "source",
    "citation",
    "confidence",
    "note",
];

/// The keys of each kind's values.
fn kind_keys(kind: RuleKind) -> &'static [&'static str] {
    match kind {
        RuleKind::Free => &[],
        RuleKind::AgencyShare => &["share"],
        RuleKind::RateCap => &["per_minute", "per_call", "call_minutes"],
        RuleKind::CapRefFederal => &["reference"],
        RuleKind::FeeRule => &["banned", "capped", "per_call_charges", "reference"],
        RuleKind::NoCommission => &["cost_recovery"],
        RuleKind::Allowance => &["minutes", "free_calls", "call_minutes", "period"],
    }
}

/// The states file (`states.toml`): `[states.XX]` with `name` and `fips`.
pub(super) fn states(file: &str, text: &str) -> Result<BTreeMap<String, StateInfo>> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&["states"])?;
    let mut out = BTreeMap::new();
    for (code, f) in root.need("states")?.table()?.entries() {
        let t = f.table()?;
        t.keys(&["name", "fips"])?;
        if !(code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase())) {
            return Err(t.err(format!(
                "`{code}` is not a postal code: two capital letters, like NJ"
            )));
        }
        let fips = t.need("fips")?;
        let fips_text = fips.string()?;
        if !(fips_text.len() == 2 && fips_text.bytes().all(|b| b.is_ascii_digit())) {
            return Err(fips.err(format!(
                "`{fips_text}` is not a two-digit FIPS state code, like \"34\""
            )));
        }
        if let Some((other, _)) = out
            .iter()
            .find(|(_, s): &(_, &StateInfo)| s.fips == fips_text)
        {
            return Err(fips.err(format!("FIPS code {fips_text} is also {other}'s")));
        }
        out.insert(
            code.to_string(),
            StateInfo {
                name: t.req("name", Field::string)?,
                fips: fips_text,
            },
        );
    }
    Ok(out)
}

/// The postal code a state file is named by (`rates/states/NJ.toml` is `NJ`).
pub(super) fn code_of(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Reads one state file, checking it against the states and the rule ids already read
/// (`ids`: every rule id of the book so far, with where it is).
pub(super) fn state_file(
    file: &str,
    text: &str,
    states: &BTreeMap<String, StateInfo>,
    ids: &mut BTreeMap<String, Location>,
) -> Result<(String, StateFile)> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&["state", "sources", "rule"])?;
    let state = root.need("state")?;
    let code = state.string()?;
    let Some(info) = states.get(&code) else {
        return Err(state.err(format!(
            "unknown state `{code}`; states.toml lists: {}",
            states.keys().cloned().collect::<Vec<_>>().join(", ")
        )));
    };
    let named = code_of(file);
    if named != code {
        return Err(state.err(format!(
            "the file says state = \"{code}\" but is named {named}.toml; a state's file is named by its postal code: {code}.toml"
        )));
    }
    let mut sources = BTreeMap::new();
    if let Some(f) = root.get("sources") {
        for (id, f) in f.table()?.entries() {
            let t = f.table()?;
            t.keys(&["title", "document", "link"])?;
            sources.insert(
                id.to_string(),
                SourceDoc::new(
                    t.req("title", Field::string)?,
                    t.req("document", Field::string)?,
                    None,
                    t.req("link", Field::string)?,
                ),
            );
        }
    }
    let cx = Context {
        code: &code,
        info,
        sources: &sources,
    };
    let mut rules: Vec<(StateRuleDef, Spot)> = Vec::new();
    for t in root.tables("rule")? {
        let rule = cx.rule(t)?;
        let at = t.spot().location();
        if let Some(first) = ids.get(&rule.id) {
            return Err(t.need("id")?.err(format!(
                "the rule id `{}` is used twice (first at {}); every rule id is unique in the book",
                rule.id,
                place(first)
            )));
        }
        ids.insert(rule.id.clone(), at);
        rules.push((rule, t.spot()));
    }
    for (j, (b, spot)) in rules.iter().enumerate() {
        for (a, first) in &rules[..j] {
            if let Some(shared) = overlap(a, b) {
                return Err(spot.err(format!(
                    "rule `{}` overlaps rule `{}` (line {}): both are `{}` rules in force on {} for {shared}; end the first with `until`, or narrow a scope",
                    b.id,
                    a.id,
                    first.location().line.unwrap_or(0),
                    b.kind,
                    b.from.max(a.from),
                )));
            }
        }
    }
    Ok((
        code.clone(),
        StateFile {
            sources,
            rule: rules.into_iter().map(|(r, _)| r).collect(),
        },
    ))
}

/// `file:line`, for messages naming another place.
fn place(l: &Location) -> String {
    match (&l.file, l.line) {
        (Some(f), Some(n)) => format!("{f}:{n}"),
        (Some(f), None) => f.clone(),
        _ => "another file".into(),
    }
}

struct Context<'c> {
    code: &'c str,
    info: &'c StateInfo,
    sources: &'c BTreeMap<String, SourceDoc>,
}

/// A list that must name something, each item once.
fn set<'a, T: Word + PartialEq>(f: Field<'a>) -> Result<Vec<T>> {
    let items: Vec<(T, Field<'a>)> = f.each(|item| Ok((item.word::<T>()?, item)))?;
    if items.is_empty() {
        return Err(f.err(format!(
            "the list is empty; name at least one: {}",
            expected_words(T::all().iter().map(|w| w.word()))
        )));
    }
    for (i, (w, item)) in items.iter().enumerate() {
        if items[..i].iter().any(|(v, _)| v == w) {
            return Err(item.err(format!("`{}` is given twice", w.word())));
        }
    }
    Ok(items.into_iter().map(|(w, _)| w).collect())
}

/// A positive whole number (minutes, calls).
fn count(f: Field) -> Result<u32> {
    f.bounded(f.key(), 1, 1_000_000)
}

/// A positive amount.
fn positive(f: Field) -> Result<Decimal> {
    let a = f.amount()?;
    if a <= Decimal::ZERO {
        return Err(f.err(format!(
            "`{a}` must be more than 0 (a rule that makes calls cost nothing is `kind = \"free\"`)"
        )));
    }
    Ok(a)
}

impl Context<'_> {
    fn rule(&self, t: Table) -> Result<StateRuleDef> {
        let kind: RuleKind = t.req("kind", Field::word)?;
        let valid: Vec<&str> = COMMON.iter().chain(kind_keys(kind)).copied().collect();
        for (key, f) in t.entries() {
            if valid.contains(&key) {
                continue;
            }
            if let Some(owner) = RuleKind::ALL.iter().find(|k| kind_keys(**k).contains(&key)) {
                return Err(f.err(format!(
                    "`{key}` is a key of `{owner}` rules, not of `{kind}` ones; a `{kind}` rule takes {}",
                    expected_words(COMMON.iter().chain(kind_keys(kind)).copied())
                )));
            }
        }
        t.keys(&valid)?;

        let id_field = t.need("id")?;
        let id = id_field.string()?;
        let prefix = format!("{}-", self.code.to_ascii_lowercase());
        let well_formed = id.len() > prefix.len()
            && id.starts_with(&prefix)
            && id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !well_formed {
            return Err(id_field.err(format!(
                "rule id `{id}` must start with `{prefix}` and hold only lower-case letters, digits and hyphens, like \"{prefix}statute-cap\""
            )));
        }

        let level_field = t.need("level")?;
        let level: Level = level_field.word()?;
        let locality = t.opt("locality", Field::string)?;
        let county_fips = match t.get("county_fips") {
            Some(f) => self.fips(f)?,
            None => Vec::new(),
        };
        match level {
            Level::Federal => {
                return Err(level_field.err(
                    "a state file holds `state` and `local` rules; the FCC's rules are in the federal files (caps.toml, ...)",
                ))
            }
            Level::State => {
                for key in ["locality", "county_fips"] {
                    if let Some(f) = t.get(key) {
                        return Err(f.err(format!(
                            "`{key}` is for `level = \"local\"` rules; a state rule covers the whole state"
                        )));
                    }
                }
            }
            Level::Local => {
                if locality.is_none() {
                    return Err(t.err(
                        "missing field `locality`: a local rule names its county or city, like \"San Diego County\"",
                    ));
                }
                if county_fips.is_empty() {
                    return Err(t.err(
                        "missing field `county_fips`: a local rule lists the counties it covers, like [\"06073\"]",
                    ));
                }
            }
        }

        let from: NaiveDate = t.req("from", Field::date)?;
        let until = match t.get("until") {
            Some(f) => {
                let until = f.date()?;
                if until < from {
                    return Err(f.err(format!(
                        "`until` {until} is before `from` {from}; `until` is the last day the rule is in force"
                    )));
                }
                Some(until)
            }
            None => None,
        };

        let source_field = t.need("source")?;
        let source = source_field.string()?;
        if !self.sources.contains_key(&source) {
            return Err(source_field.err(if self.sources.is_empty() {
                format!("unknown source `{source}`; this file defines no [sources.ID] tables")
            } else {
                format!(
                    "unknown source `{source}`; this file's [sources] define: {}",
                    self.sources.keys().cloned().collect::<Vec<_>>().join(", ")
                )
            }));
        }

        let mut rule = StateRuleDef {
            id,
            kind,
            level,
            locality,
            county_fips,
            operators: t.req("operators", set)?,
            services: t.req("services", set)?,
            calls: t.req("calls", Field::word)?,
            payments: t.opt("payments", set)?,
            facilities: t.opt("facilities", set)?,
            condition: t.opt("condition", Field::string)?,
            from,
            until,
            source,
            citation: t.req("citation", Field::string)?,
            confidence: t.req("confidence", Field::word)?,
            note: t.opt("note", Field::string)?,
            share: None,
            per_minute: None,
            per_call: None,
            call_minutes: None,
            reference: None,
            banned: Vec::new(),
            capped: Vec::new(),
            per_call_charges: None,
            cost_recovery: false,
            minutes: None,
            free_calls: None,
            period: None,
        };
        self.values(&t, &mut rule)?;
        Ok(rule)
    }

    /// The county FIPS codes of a local rule: five digits each, in this state, each once.
    fn fips(&self, f: Field) -> Result<Vec<String>> {
        let codes: Vec<(String, Field)> = f.each(|item| Ok((item.string()?, item)))?;
        let mut out: Vec<String> = Vec::new();
        for (code, item) in codes {
            if !(code.len() == 5 && code.bytes().all(|b| b.is_ascii_digit())) {
                return Err(item.err(format!(
                    "`{code}` is not a county FIPS code: five digits, the state's two and the county's three, like \"{}073\"",
                    self.info.fips
                )));
            }
            if !code.starts_with(&self.info.fips) {
                return Err(item.err(format!(
                    "county {code} is not in {} (its counties' FIPS codes start with {})",
                    self.info.name, self.info.fips
                )));
            }
            if out.contains(&code) {
                return Err(item.err(format!("county {code} is given twice")));
            }
            out.push(code);
        }
        if out.is_empty() {
            return Err(f.err("the list is empty; a local rule lists at least one county"));
        }
        Ok(out)
    }

    /// The values of the rule's kind, each checked.
    fn values(&self, t: &Table, r: &mut StateRuleDef) -> Result<()> {
        match r.kind {
            RuleKind::Free => {}
            RuleKind::AgencyShare => {
                let f = t.need("share")?;
                let share = f.amount()?;
                if share <= Decimal::ZERO || share >= Decimal::ONE {
                    return Err(f.err(format!(
                        "share `{share}` must be more than 0 and less than 1 (the agency's part of the cost, like \"0.35\"); an agency that pays it all makes calls `kind = \"free\"`"
                    )));
                }
                r.share = Some(share);
            }
            RuleKind::RateCap => {
                r.per_minute = t.opt("per_minute", positive)?;
                r.per_call = t.opt("per_call", positive)?;
                r.call_minutes = t.opt("call_minutes", count)?;
                if r.per_minute.is_none() && r.per_call.is_none() {
                    return Err(t.err(
                        "a `rate_cap` rule needs `per_minute` or `per_call` (with `call_minutes`), or both",
                    ));
                }
                if r.per_call.is_some() != r.call_minutes.is_some() {
                    return Err(t.err(
                        "`per_call` and `call_minutes` go together: a call of `call_minutes` minutes, with every charge, may cost at most `per_call`",
                    ));
                }
            }
            RuleKind::CapRefFederal => {
                r.reference = Some(self.reference(t.need("reference")?)?);
            }
            RuleKind::FeeRule => {
                r.banned = match t.get("banned") {
                    Some(f) => set(f)?,
                    None => Vec::new(),
                };
                if let Some(f) = t.get("capped") {
                    for c in f.tables()? {
                        c.keys(&["kind", "limit", "pass_through"])?;
                        let kind_field = c.need("kind")?;
                        let kind: FeeKind = kind_field.word()?;
                        if r.banned.contains(&kind) || r.capped.iter().any(|x| x.kind == kind) {
                            return Err(kind_field
                                .err(format!("the fee `{kind}` is given twice in this rule")));
                        }
                        r.capped.push(FeeCapDef {
                            kind,
                            limit: c.req("limit", Field::amount)?,
                            pass_through: c.opt("pass_through", Field::bool)?.unwrap_or(false),
                        });
                    }
                }
                r.per_call_charges = t.opt("per_call_charges", Field::word)?;
                if let Some(f) = t.get("reference") {
                    if !r.banned.is_empty() || !r.capped.is_empty() {
                        return Err(f.err(
                            "`reference` applies the federal fee rules; give it alone, or give `banned` and `capped` instead",
                        ));
                    }
                    r.reference = Some(self.reference(f)?);
                }
                if r.banned.is_empty()
                    && r.capped.is_empty()
                    && r.per_call_charges.is_none()
                    && r.reference.is_none()
                {
                    return Err(t.err(
                        "a `fee_rule` needs `banned`, `capped`, `per_call_charges` or `reference`",
                    ));
                }
            }
            RuleKind::NoCommission => {
                r.cost_recovery = t.opt("cost_recovery", Field::bool)?.unwrap_or(false);
            }
            RuleKind::Allowance => {
                r.minutes = t.opt("minutes", count)?;
                r.free_calls = t.opt("free_calls", count)?;
                r.call_minutes = t.opt("call_minutes", count)?;
                r.period = Some(t.req("period", Field::word)?);
                match (r.minutes, r.free_calls, r.call_minutes) {
                    (Some(_), None, None) | (None, Some(_), Some(_)) => {}
                    (Some(_), Some(_), _) => {
                        return Err(t.err(
                            "an `allowance` gives `minutes` or `free_calls` (with `call_minutes`), not both",
                        ))
                    }
                    (None, Some(_), None) => {
                        return Err(t.err(
                            "`free_calls` needs `call_minutes`: how long each free call may be",
                        ))
                    }
                    (Some(_), None, Some(_)) => {
                        return Err(t.err(
                            "`call_minutes` goes with `free_calls`; an allowance of `minutes` has no call length",
                        ))
                    }
                    (None, None, _) => {
                        return Err(t.err(
                            "an `allowance` needs `minutes`, or `free_calls` with `call_minutes`",
                        ))
                    }
                }
            }
        }
        Ok(())
    }

    /// The federal jurisdiction a rule refers to: one the FCC caps.
    fn reference(&self, f: Field) -> Result<Jurisdiction> {
        let j: Jurisdiction = f.word()?;
        if matches!(j, Jurisdiction::Local | Jurisdiction::Intrastate) {
            return Err(f.err(format!(
                "the FCC sets no {j} caps; refer to `interstate` or `international`"
            )));
        }
        Ok(j)
    }
}

/// What two rules of one state share, if they are of one kind and level, in force on a common
/// day, for a common operator, service, call, payment, facility kind and county, under the same
/// condition: a description of the shared scope, for the message.
fn overlap(a: &StateRuleDef, b: &StateRuleDef) -> Option<String> {
    if a.kind != b.kind || a.level != b.level || a.condition != b.condition {
        return None;
    }
    let ends_before = |x: &StateRuleDef, y: &StateRuleDef| x.until.is_some_and(|u| u < y.from);
    if ends_before(a, b) || ends_before(b, a) {
        return None;
    }
    let operator = a.operators.iter().find(|o| b.operators.contains(o))?;
    let service = a.services.iter().find(|s| b.services.contains(s))?;
    let call = Jurisdiction::ALL
        .iter()
        .find(|j| a.calls.covers(**j) && b.calls.covers(**j))?;
    let shared_selector = |x: &Option<Vec<Payment>>, y: &Option<Vec<Payment>>| match (x, y) {
        (Some(x), Some(y)) => x.iter().any(|p| y.contains(p)),
        _ => true,
    };
    if !shared_selector(&a.payments, &b.payments) {
        return None;
    }
    if let (Some(x), Some(y)) = (&a.facilities, &b.facilities) {
        if !x.iter().any(|k| y.contains(k)) {
            return None;
        }
    }
    let county = match a.level {
        Level::Local => Some(a.county_fips.iter().find(|c| b.county_fips.contains(c))?),
        _ => None,
    };
    Some(match county {
        Some(c) => format!("{operator} {service} {call} calls in county {c}"),
        None => format!("{operator} {service} {call} calls"),
    })
}
