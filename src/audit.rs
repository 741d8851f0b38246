//! Auditing call records: every call a provider billed, against the rules of its day.
//!
//! For each call, the legal maximum is what [`crate::check::lawful_call`] says the most any
//! tariff could lawfully charge for it is, under the federal, state and local rules in force on
//! its date, for its facility as the facilities table describes it: its minutes (the duration
//! rounded up to a whole minute) at the cap plus the most the rules could allow above it. Where
//! the table does not say what allows more (the site commission paid, its basis, the contract),
//! the most that could be allowed is assumed, so that no lawful call is called an overcharge.
//! The overcharge is what was billed above the legal maximum, compared exactly (no rounding).
//!
//! No I/O: the command line reads the files and hands rows to an [`Auditor`].

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::check::{lawful_call, Basis};
use crate::error::{Error, Result};
use crate::facility::{Facility, FacilityKind, Operator};
use crate::ratebook::{Confidence, ContractBasis, ExceptionStatus, RateBook, Rules};
use crate::tariff::{Commission, CommissionBasis, Contract, Rate, Tariff};
use crate::toml_reader::Doc;
use crate::vocab::{Level, Word};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::sync::Arc;

/// The rule for calls of unknown jurisdiction, as data (`rates/audit/unknown_jurisdiction.toml`).
const UNKNOWN_RULE: (&str, &str) = (
    "rates/audit/unknown_jurisdiction.toml",
    include_str!("../rates/audit/unknown_jurisdiction.toml"),
);

/// Where a call went, as a call record says it: one of the jurisdictions, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallJurisdiction {
    /// Known.
    Known(Jurisdiction),
    /// Not known (`unknown`): priced by [`UnknownRule`].
    Unknown,
}

impl CallJurisdiction {
    /// Reads `local`, `intrastate`, `interstate`, `international` or `unknown`.
    pub fn parse(text: &str) -> std::result::Result<Self, String> {
        let text = crate::error::trim(text);
        if text.eq_ignore_ascii_case("unknown") {
            return Ok(CallJurisdiction::Unknown);
        }
        Jurisdiction::parse(text)
            .map(CallJurisdiction::Known)
            .map_err(|e| format!("{e}, or unknown"))
    }

    /// The word, as a call record writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            CallJurisdiction::Known(j) => j.as_str(),
            CallJurisdiction::Unknown => "unknown",
        }
    }
}

/// How a call of unknown jurisdiction is priced: as a call of `priced_as` from `effective`
/// (before it, no rule caps it), by the rule of `basis`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownRule {
    /// The jurisdiction whose caps apply.
    pub priced_as: Jurisdiction,
    /// The first day the rule applies.
    pub effective: NaiveDate,
    /// Where the rule comes from.
    pub basis: Arc<Basis>,
}

impl UnknownRule {
    /// The bundled rule (`rates/audit/unknown_jurisdiction.toml`), its source named by `book`.
    pub fn bundled(book: &RateBook) -> Result<UnknownRule> {
        let (file, text) = UNKNOWN_RULE;
        let doc = Doc::parse(file, text)?;
        let root = doc.root();
        root.keys(&["unknown_jurisdiction"])?;
        let t = root.need("unknown_jurisdiction")?.table()?;
        t.keys(&[
            "priced_as",
            "effective",
            "source",
            "citation",
            "link",
            "confidence",
        ])?;
        let source_id = t.req("source", |f| f.string())?;
        let source = book
            .sources()
            .get(&source_id)
            .map(|d| d.document.clone())
            .ok_or_else(|| Error::file(file, format!("unknown source `{source_id}`")))?;
        Ok(UnknownRule {
            priced_as: t.req("priced_as", |f| f.word())?,
            effective: t.req("effective", |f| f.date())?,
            basis: Arc::new(Basis {
                level: Level::Federal,
                source: source.into(),
                citation: t.req("citation", |f| f.string())?.into(),
                link: t.req("link", |f| f.string())?.into(),
                confidence: t.req("confidence", |f| f.word::<Confidence>())?,
            }),
        })
    }
}

/// One facility of the facilities table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditFacility {
    /// Its id, as the call records name it.
    pub id: String,
    /// Kind, size and place.
    pub facility: Facility,
    /// The basis of the site commission it is paid, if the table says.
    pub commission_basis: Option<CommissionBasis>,
    /// The site commission it is paid a minute, if the table says (none: the most the rules
    /// allow to be recovered is assumed).
    pub facility_component_per_minute: Option<Decimal>,
    /// Its contract, if the table states it (none: the existing-contract exception that allows
    /// the most is assumed wherever one could apply).
    pub contract: Option<Contract>,
}

/// One call record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallRecord<'a> {
    /// The record's id.
    pub call_id: &'a str,
    /// The facility it was made from.
    pub facility_id: &'a str,
    /// The day it started (decides the rules).
    pub date: NaiveDate,
    /// How long it lasted.
    pub duration_seconds: u32,
    /// Audio or video.
    pub service: Service,
    /// Where it went.
    pub jurisdiction: CallJurisdiction,
    /// How it was paid.
    pub payment: Payment,
    /// What it was billed.
    pub charged: Decimal,
    /// The account billed, if given.
    pub account_id: Option<&'a str>,
}

/// Reads a call's `started_at`: a date (`2025-03-01`) or an RFC 3339 date-time
/// (`2025-03-01T23:59:00-05:00`), whose date as written decides the rules.
pub fn parse_started_at(text: &str) -> std::result::Result<NaiveDate, String> {
    let t = crate::error::trim(text);
    if t.len() == 10 {
        return crate::dated::parse_date(t);
    }
    if let Some(date) = plain_rfc3339_date(t) {
        return Ok(date);
    }
    chrono::DateTime::parse_from_rfc3339(t)
        .map(|d| d.date_naive())
        .map_err(|_| {
            format!(
                "{} is not a date (YYYY-MM-DD) or an RFC 3339 date-time",
                crate::error::quoted(t)
            )
        })
}

/// The date of the commonest RFC 3339 date-time, `YYYY-MM-DDTHH:MM:SS` then `Z` or `±HH:MM`
/// (no fraction, no leap second, `T` upper case), every part in range; `None` for anything
/// else, which chrono then reads (perf: chrono's general reader was 3.6% of an audit of a
/// million calls). A strict part of what chrono accepts, held to it by a property test.
fn plain_rfc3339_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    let two = |at: usize, max: u8| {
        let (h, l) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
        (h < 10 && l < 10 && h * 10 + l <= max).then_some(())
    };
    let shape = match b.len() {
        20 => b[19] == b'Z',
        25 => {
            matches!(b[19], b'+' | b'-')
                && b[22] == b':'
                && two(20, 23).is_some()
                && two(23, 59).is_some()
        }
        _ => false,
    };
    if !shape || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return None;
    }
    two(11, 23)?;
    two(14, 59)?;
    two(17, 59)?;
    crate::dated::parse_date(t.get(..10)?).ok()
}

/// Reads a duration in whole seconds (0 or more).
pub fn parse_duration(text: &str) -> std::result::Result<u32, String> {
    let t = crate::error::trim(text);
    if let Some(rest) = t.strip_prefix('-') {
        if rest.bytes().any(|b| b != b'0') {
            return Err(format!(
                "`{t}` is negative; a duration is 0 or more seconds"
            ));
        }
    }
    t.parse::<u32>().map_err(|_| {
        format!(
            "{} is not a whole number of seconds",
            crate::error::quoted(t)
        )
    })
}

/// Reads a word of a vocabulary, case-insensitively.
pub(crate) fn parse_word<T: Word>(text: &str) -> std::result::Result<T, String> {
    let t = crate::error::trim(text);
    crate::vocab::parse_word(t)
        .or_else(|e| crate::vocab::parse_word(&t.to_ascii_lowercase()).map_err(|_| e))
}

/// What one call comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Judged {
    /// The facility's place among those the [`Auditor`] was given.
    pub facility: usize,
    /// The duration rounded up to whole minutes.
    pub minutes_billed: u32,
    /// The most the call could lawfully cost (none: no rule capped it).
    pub legal_max: Option<Decimal>,
    /// The rule that set it (shared with every call it sets: an [`Arc`], not a copy).
    pub basis: Option<Arc<Basis>>,
    /// What was billed above the legal maximum (0 when within it or uncapped).
    pub overcharge: Decimal,
    /// The jurisdiction was unknown.
    pub unknown_jurisdiction: bool,
    /// The legal maximum is higher because an existing-contract exception was assumed.
    pub assumed_exception: bool,
}

/// The terms for one kind of call, at one facility, over one span of dates: the call's legal
/// maximum is `per_minute` × max(minutes, `floor_minutes`).
#[derive(Debug, Clone)]
struct Terms {
    per_minute: Decimal,
    floor_minutes: u32,
    basis: Option<Arc<Basis>>,
    assumed_exception: bool,
}

/// Kinds of call: service × jurisdiction (local, intrastate, interstate, international) ×
/// payment.
const KINDS: usize = 2 * 4 * 3;

/// No rule caps the call.
const NONE: u32 = u32::MAX;

/// Not resolved yet (in [`Auditor`]'s cache).
const UNRESOLVED: u32 = u32::MAX - 1;

fn kind_index(service: Service, jurisdiction: Jurisdiction, payment: Payment) -> usize {
    let s = Service::ALL.iter().position(|&x| x == service).unwrap_or(0);
    let j = Jurisdiction::ALL
        .iter()
        .position(|&x| x == jurisdiction)
        .unwrap_or(0);
    let p = Payment::ALL.iter().position(|&x| x == payment).unwrap_or(0);
    (s * 4 + j) * 3 + p
}

/// Audits calls, resolving the rules once per facility and span of dates in which none of its
/// rules changes (the rate book's change dates, those of the state and local rules that can
/// apply where it is, the exceptions' windows and the facility's contract dates). Its clones
/// (one per thread) share what any has resolved.
#[derive(Clone)]
pub struct Auditor<'b> {
    book: &'b RateBook,
    facilities: Vec<AuditFacility>,
    /// By id (kept in the key: 300 facilities' ids compared without following a pointer).
    index: HashMap<IdKey, usize>,
    unknown: UnknownRule,
    /// By facility: the days on which its rules may change, in order (the rate book's, the
    /// exceptions' windows, those of the state and local rules of its place and of its own
    /// contract: not other states' rules or other facilities' contracts, so that neither
    /// multiplies every facility's spans).
    changes: Vec<Vec<NaiveDate>>,
    /// By facility: where its spans begin among all the facilities' (its span `s` is slot
    /// `starts[fi] + s`; it has one span more than change days).
    starts: Vec<usize>,
    /// By slot (facility and span), then kind: the terms, resolved on first use. Flat
    /// ([`UNRESOLVED`] until the slot is first used), so that a call's terms are one read of
    /// one cache line.
    cache: Vec<u32>,
    /// The distinct terms, which `cache` indexes ([`NONE`]: no rule caps the call): kept
    /// once each, so the cache stays small and in the processor's caches.
    /// (A copy of the first of `shared.terms`, read without a lock.)
    terms: Vec<Terms>,
    /// What this auditor and its clones (on other threads) have resolved: each span of each
    /// facility is resolved once, by whichever needs it first.
    shared: Arc<Resolved>,
}

/// Where a call's terms are cached: its facility's place in the table, its span of dates,
/// its kind, and the place of its terms in [`Auditor`]'s cache.
#[derive(Debug, Clone, Copy)]
struct Slot {
    fi: usize,
    span: usize,
    kind: usize,
    at: usize,
}

/// What makes terms the same: the per-minute limit (and its scale, so that a legal maximum
/// keeps the decimals it had), the floor, the exception assumed, the rule.
type TermsKey = (Decimal, u32, u32, bool, Option<Arc<Basis>>);

/// The terms resolved so far, shared by an [`Auditor`] and its clones.
struct Resolved {
    /// By slot (facility and span): the terms of each kind of call, as indices of the
    /// distinct terms; set once, by the first thread to need it.
    slots: Vec<std::sync::OnceLock<[u32; KINDS]>>,
    /// The distinct terms.
    terms: std::sync::Mutex<Interned>,
}

/// The distinct terms the slots index, each kept once.
#[derive(Default)]
struct Interned {
    /// An index, once given, always means the same terms.
    terms: Vec<Terms>,
    interned: HashMap<TermsKey, u32>,
}

impl Resolved {
    /// The distinct terms, under their lock (a thread that panicked holding it left them
    /// whole: terms are only ever added, after they are made).
    fn terms(&self) -> std::sync::MutexGuard<'_, Interned> {
        self.terms
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl<'b> Auditor<'b> {
    /// An auditor for calls from `facilities`; a facility id given twice is an error.
    pub fn new(
        book: &'b RateBook,
        facilities: Vec<AuditFacility>,
    ) -> std::result::Result<Self, String> {
        let unknown = UnknownRule::bundled(book).map_err(|e| e.to_string())?;
        let mut index = HashMap::default();
        let (mut changes, mut starts, mut slots) = (Vec::new(), Vec::new(), 0);
        for (i, f) in facilities.iter().enumerate() {
            if index.insert(IdKey::new(&f.id), i).is_some() {
                return Err(format!("facility `{}` is given twice", f.id));
            }
            // Its place's rules' days, not every state's: the benchmark's 300 facilities
            // (examples/generate_calls.rs) get about 4,600 spans instead of 17,100 (counted
            // from rates/); an audit of their 1 million calls took 0.91 s of CPU on one
            // thread instead of 1.13 s (measured).
            let mut own = book.change_dates_for(&f.facility);
            own.push(unknown.effective);
            if let Some(c) = &f.contract {
                own.extend([c.signed, c.ends]);
                own.extend(c.ends.succ_opt());
            }
            own.sort();
            own.dedup();
            starts.push(slots);
            slots += own.len() + 1;
            changes.push(own);
        }
        let cache = vec![UNRESOLVED; slots * KINDS];
        Ok(Auditor {
            book,
            facilities,
            index,
            unknown,
            changes,
            starts,
            cache,
            terms: Vec::new(),
            shared: Arc::new(Resolved {
                slots: (0..slots).map(|_| std::sync::OnceLock::new()).collect(),
                terms: std::sync::Mutex::default(),
            }),
        })
    }

    /// The terms every call is judged on, as a table: for each facility and kind of call
    /// (service, jurisdiction including `unknown`, payment), each span of dates over which
    /// they do not change, with the per-minute limit and the least minutes a call is judged on
    /// (a call's legal maximum is `per_minute` × max(its minutes, `floor_minutes`)). What a
    /// peer (an SQL audit, say) joins call records against, so that it encodes no rule of its
    /// own. In order of facility (as given), kind, date.
    pub fn terms_table(&mut self) -> Vec<TermsRow> {
        let mut out = Vec::new();
        for fi in 0..self.facilities.len() {
            // Each span's first day (the first span: from the beginning of time).
            let starts: Vec<NaiveDate> = std::iter::once(NaiveDate::MIN)
                .chain(self.changes[fi].iter().copied())
                .collect();
            let slots: Vec<[u32; KINDS]> = starts
                .iter()
                .enumerate()
                .map(|(span, &date)| self.slot(fi, span, date))
                .collect();
            let jurisdictions = Jurisdiction::ALL
                .iter()
                .map(|&j| CallJurisdiction::Known(j))
                .chain([CallJurisdiction::Unknown]);
            for jurisdiction in jurisdictions {
                for &service in Service::ALL {
                    for &payment in Payment::ALL {
                        let (j, unknown) = match jurisdiction {
                            CallJurisdiction::Known(j) => (j, false),
                            CallJurisdiction::Unknown => (self.unknown.priced_as, true),
                        };
                        let k = kind_index(service, j, payment);
                        let mut last: Option<TermsRow> = None;
                        for (span, &from) in starts.iter().enumerate() {
                            let i = slots[span][k];
                            let t = (i != NONE && !(unknown && from < self.unknown.effective))
                                .then(|| &self.terms[i as usize]);
                            let row = TermsRow {
                                facility_id: self.facilities[fi].id.clone(),
                                from,
                                until: starts.get(span + 1).copied(),
                                service,
                                jurisdiction,
                                payment,
                                per_minute: t.map(|t| t.per_minute),
                                floor_minutes: t.map_or(0, |t| t.floor_minutes),
                                assumed_exception: t.is_some_and(|t| t.assumed_exception),
                                basis: match t {
                                    Some(_) if unknown => Some(self.unknown.basis.clone()),
                                    Some(t) => t.basis.clone(),
                                    None => None,
                                },
                            };
                            match &mut last {
                                Some(l) if l.same_terms(&row) => l.until = row.until,
                                _ => out.extend(last.replace(row)),
                            }
                        }
                        out.extend(last);
                    }
                }
            }
        }
        out
    }

    /// Whether the table has a facility.
    pub fn knows(&self, facility_id: &str) -> bool {
        self.index.contains_key(facility_id.as_bytes())
    }

    /// Where the terms `call` is judged on are cached (none when its facility is not in the
    /// table): found once, for [`Auditor::touch`] and [`Auditor::judge_at`] both.
    fn locate(&self, call: &CallRecord) -> Option<Slot> {
        let &fi = self.index.get(call.facility_id.as_bytes())?;
        let j = match call.jurisdiction {
            CallJurisdiction::Known(j) => j,
            CallJurisdiction::Unknown => self.unknown.priced_as,
        };
        let span = self.changes[fi].partition_point(|d| *d <= call.date);
        let kind = kind_index(call.service, j, call.payment);
        Some(Slot {
            fi,
            span,
            kind,
            at: (self.starts[fi] + span) * KINDS + kind,
        })
    }

    /// Reads the cached terms `judge_at` will read at `slot` (a cache line, only read): for a
    /// batch of calls, done for all before any is judged, so that their cache misses overlap.
    fn touch(&self, slot: &Slot) -> u32 {
        self.cache.get(slot.at).copied().unwrap_or(0)
    }

    /// Judges one call; none when its facility is not in the table.
    pub fn judge(&mut self, call: &CallRecord) -> Option<Judged> {
        let slot = self.locate(call)?;
        Some(self.judge_at(call, slot))
    }

    /// Judges `call`, whose terms are at `slot` ([`Auditor::locate`]).
    fn judge_at(&mut self, call: &CallRecord, slot: Slot) -> Judged {
        let fi = slot.fi;
        let minutes = call.duration_seconds.div_ceil(60);
        let unknown = call.jurisdiction == CallJurisdiction::Unknown;
        let terms = if unknown && call.date < self.unknown.effective {
            None
        } else {
            let i = match self.cache.get(slot.at) {
                Some(&UNRESOLVED) | None => self.slot(fi, slot.span, call.date)[slot.kind],
                Some(&i) => i,
            };
            (i != NONE).then(|| &self.terms[i as usize])
        };
        match terms {
            None => Judged {
                facility: fi,
                minutes_billed: minutes,
                legal_max: None,
                basis: None,
                overcharge: Decimal::ZERO,
                unknown_jurisdiction: unknown,
                assumed_exception: false,
            },
            Some(t) => {
                let legal = t.per_minute * Decimal::from(minutes.max(t.floor_minutes));
                let basis = if unknown {
                    Some(self.unknown.basis.clone())
                } else {
                    t.basis.clone()
                };
                Judged {
                    facility: fi,
                    minutes_billed: minutes,
                    legal_max: Some(legal),
                    basis,
                    overcharge: (call.charged - legal).max(Decimal::ZERO),
                    unknown_jurisdiction: unknown,
                    assumed_exception: t.assumed_exception,
                }
            }
        }
    }
}

impl Auditor<'_> {
    /// The terms of every kind of call at facility `fi` in span `span`, which holds `date`.
    #[inline]
    fn slot(&mut self, fi: usize, span: usize, date: NaiveDate) -> [u32; KINDS] {
        let at = (self.starts[fi] + span) * KINDS;
        let cached = self.cache.get(at..at + KINDS).unwrap_or_default();
        if let Ok(slot) = <[u32; KINDS]>::try_from(cached) {
            if !slot.contains(&UNRESOLVED) {
                return slot;
            }
        }
        let key = self.starts[fi] + span;
        // Each span is resolved once, by the first thread that needs it: another thread
        // needing the same span waits for it, one needing another resolves that one at the
        // same time (the spans' cells are apart; only the interning of the terms found is
        // under a lock, and briefly). Resolved under one lock, the two threads of an audit of
        // 1 million calls waited for each other while both met their first spans (perf: 2.3%
        // of the CPU in the lock's contended path, 3.9% in the kernel's futex calls).
        let (book, facility, shared) = (self.book, &self.facilities[fi], &*self.shared);
        let resolve_here = || {
            let resolved = resolve(book, facility, date);
            let mut terms = shared.terms();
            resolved.map(|t| t.map_or(NONE, |t| terms.intern(t)))
        };
        let slot = match shared.slots.get(key) {
            Some(cell) => *cell.get_or_init(resolve_here),
            // Not a span of this auditor (none is asked for): resolved, not kept.
            None => resolve_here(),
        };
        if slot
            .iter()
            .any(|&i| i != NONE && i as usize >= self.terms.len())
        {
            let known = self.terms.len();
            let shared = self.shared.terms();
            self.terms
                .extend_from_slice(shared.terms.get(known..).unwrap_or_default());
        }
        if let Some(cached) = self.cache.get_mut(at..at + KINDS) {
            cached.copy_from_slice(&slot);
        }
        slot
    }
}

impl Interned {
    fn intern(&mut self, t: Terms) -> u32 {
        // A tuple, not a formatted string: formatting one for each kind of call of each span
        // was a tenth of an audit of 100,000 calls (perf).
        let key = (
            t.per_minute,
            t.per_minute.scale(),
            t.floor_minutes,
            t.assumed_exception,
            t.basis.clone(),
        );
        if let Some(&i) = self.interned.get(&key) {
            return i;
        }
        // No index is ever a sentinel (UNRESOLVED, NONE): 4 billion distinct terms would take
        // over 190 GB, so memory ends long before an index could reach one.
        let i = u32::try_from(self.terms.len())
            .unwrap_or(UNRESOLVED - 1)
            .min(UNRESOLVED - 1);
        self.terms.push(t);
        self.interned.insert(key, i);
        i
    }
}

/// The tariff that allows the most the facilities table permits: a commission paid at the
/// given rate (or more than any component allows), of the given basis (or legally mandated,
/// which allows the most).
fn most_allowed_tariff(f: &AuditFacility, contract: Option<Contract>) -> Tariff {
    Tariff {
        file: String::new(),
        facility: f.facility.clone(),
        provider: None,
        rates: Vec::new(),
        fees: Vec::new(),
        taxes: Vec::new(),
        commission: Commission {
            per_minute: f
                .facility_component_per_minute
                .unwrap_or(Decimal::ONE_HUNDRED),
            basis: f
                .commission_basis
                .unwrap_or(CommissionBasis::LegallyMandated),
            ..Commission::default()
        },
        bid: None,
        contract,
    }
}

/// The terms for every kind of call at `f` on `date`.
fn resolve(book: &RateBook, f: &AuditFacility, date: NaiveDate) -> [Option<Terms>; KINDS] {
    let tariff = most_allowed_tariff(f, f.contract.clone());
    let rules = book.rules_for(date, &f.facility, f.contract.as_ref());
    // Without contract facts, where an exception may apply, the contracts that would qualify
    // for each exception (signed long before, ending long after, of either basis).
    let may_apply = f.contract.is_none()
        && rules
            .contract_exception
            .as_ref()
            .is_some_and(|x| x.status == ExceptionStatus::MayApply);
    let assumed: Vec<(Rules, Tariff)> = if may_apply {
        [ContractBasis::Contractual, ContractBasis::LegallyMandated]
            .into_iter()
            .map(|basis| {
                let c = Contract {
                    signed: NaiveDate::MIN,
                    ends: NaiveDate::MAX,
                    basis,
                    line: 0,
                };
                (
                    book.rules_for(date, &f.facility, Some(&c)),
                    most_allowed_tariff(f, Some(c)),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut out: [Option<Terms>; KINDS] = std::array::from_fn(|_| None);
    for &service in Service::ALL {
        for &jurisdiction in Jurisdiction::ALL {
            for &payment in Payment::ALL {
                let call = CallKind {
                    service,
                    jurisdiction,
                    payment,
                };
                let mut best = terms_of(&rules, &tariff, call, false);
                for (r, t) in &assumed {
                    if let Some(alt) = terms_of(r, t, call, true) {
                        if best.as_ref().is_none_or(|b| allows_more(&alt, b)) {
                            best = Some(alt);
                        }
                    }
                }
                out[kind_index(service, jurisdiction, payment)] = best;
            }
        }
    }
    out
}

/// Whether `a` allows more than `b` for some length of call (for calls of a minute or more).
fn allows_more(a: &Terms, b: &Terms) -> bool {
    let at = |t: &Terms, m: u32| t.per_minute * Decimal::from(m.max(t.floor_minutes));
    a.per_minute > b.per_minute || at(a, 1) > at(b, 1)
}

/// The terms `rules` set for `call`, read from [`lawful_call`] on a one-minute call: its legal
/// maximum is the per-minute limit times the least number of minutes it is judged on.
fn terms_of(rules: &Rules, tariff: &Tariff, call: CallKind, assumed: bool) -> Option<Terms> {
    let rate = Rate {
        service: Some(call.service),
        jurisdiction: Some(call.jurisdiction),
        payment: Some(call.payment),
        per_minute: Decimal::ZERO,
        first_minute: None,
        per_call: Decimal::ZERO,
        billing_increment_seconds: 60,
        line: 0,
    };
    let judged = lawful_call(rules, tariff, &rate, call, 60);
    let legal = judged.legal_max?;
    let per_minute = judged.per_minute_limit.unwrap_or(legal);
    // A one-minute call judged on more minutes (the 15-minute equivalence) shows the floor;
    // otherwise there is none (a call of no seconds has no minutes).
    let floor_minutes = if per_minute.is_zero() {
        0
    } else {
        u32::try_from((legal / per_minute).ceil().mantissa())
            .unwrap_or(0)
            .saturating_sub(1)
            .checked_add(1)
            .filter(|&m| m > 1)
            .unwrap_or(0)
    };
    Some(Terms {
        per_minute,
        floor_minutes,
        basis: judged.basis.map(Arc::new),
        assumed_exception: assumed,
    })
}

/// One row of [`Auditor::terms_table`]: the terms of one kind of call at one facility from
/// `from` until the day before `until`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermsRow {
    /// The facility.
    pub facility_id: String,
    /// The first day (`NaiveDate::MIN`: since the beginning).
    pub from: NaiveDate,
    /// The first day after (none: to this day and on).
    pub until: Option<NaiveDate>,
    /// Audio or video.
    pub service: Service,
    /// Where the call goes, or `unknown`.
    pub jurisdiction: CallJurisdiction,
    /// How it is paid.
    pub payment: Payment,
    /// The most a minute may cost (none: no rule caps the call).
    pub per_minute: Option<Decimal>,
    /// The least minutes a call is judged on (0: its own).
    pub floor_minutes: u32,
    /// The terms assume an existing-contract exception.
    pub assumed_exception: bool,
    /// The rule that sets them.
    pub basis: Option<Arc<Basis>>,
}

impl TermsRow {
    fn same_terms(&self, o: &TermsRow) -> bool {
        self.per_minute == o.per_minute
            && self.floor_minutes == o.floor_minutes
            && self.assumed_exception == o.assumed_exception
            && self.basis == o.basis
    }
}

/// The names of [`Totals`]' figures, in the order of its fields (as the CLI's CSV and the
/// Python tables have them).
pub const TOTALS_FIGURES: [&str; 9] = [
    "calls",
    "minutes_billed",
    "charged",
    "legal_maximum",
    "overcharge",
    "calls_over",
    "calls_uncapped",
    "calls_unknown_jurisdiction",
    "calls_assumed_exception",
];

/// Totals over some calls.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Calls audited.
    pub calls: u64,
    /// Their minutes, each rounded up.
    pub minutes_billed: u64,
    /// What they were billed.
    #[serde(serialize_with = "crate::money::serialize")]
    pub charged: Decimal,
    /// The legal maximum of the capped calls.
    #[serde(serialize_with = "crate::money::serialize")]
    pub legal_maximum: Decimal,
    /// What the capped calls were billed above their legal maximum.
    #[serde(serialize_with = "crate::money::serialize")]
    pub overcharge: Decimal,
    /// Calls billed above their legal maximum.
    pub calls_over: u64,
    /// Calls no rule capped.
    pub calls_uncapped: u64,
    /// Calls whose jurisdiction was unknown.
    pub calls_unknown_jurisdiction: u64,
    /// Calls whose legal maximum assumed an existing-contract exception.
    pub calls_assumed_exception: u64,
}

impl Totals {
    /// Adds another set of totals to these (exactly: counts and decimals are summed).
    pub fn merge(&mut self, other: &Totals) {
        self.calls += other.calls;
        self.minutes_billed += other.minutes_billed;
        self.charged += other.charged;
        self.legal_maximum += other.legal_maximum;
        self.overcharge += other.overcharge;
        self.calls_over += other.calls_over;
        self.calls_uncapped += other.calls_uncapped;
        self.calls_unknown_jurisdiction += other.calls_unknown_jurisdiction;
        self.calls_assumed_exception += other.calls_assumed_exception;
    }

    fn add(&mut self, charged: Decimal, j: &Judged) {
        self.calls += 1;
        self.minutes_billed += u64::from(j.minutes_billed);
        self.charged += charged;
        match j.legal_max {
            Some(max) => {
                self.legal_maximum += max;
                self.overcharge += j.overcharge;
                if j.overcharge > Decimal::ZERO {
                    self.calls_over += 1;
                }
            }
            None => self.calls_uncapped += 1,
        }
        if j.unknown_jurisdiction {
            self.calls_unknown_jurisdiction += 1;
        }
        if j.assumed_exception {
            self.calls_assumed_exception += 1;
        }
    }
}

/// The whole audit's totals.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Over every call audited.
    #[serde(flatten)]
    pub totals: Totals,
    /// Rows that could not be audited.
    pub rows_rejected: u64,
}

/// Totals for one facility and month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacilityMonth {
    /// The facility.
    pub facility_id: String,
    /// `YYYY-MM`.
    pub month: String,
    /// Its totals.
    #[serde(flatten)]
    pub totals: Totals,
}

/// Totals for one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Account {
    /// The account.
    pub account_id: String,
    /// Its totals.
    #[serde(flatten)]
    pub totals: Totals,
}

/// What an audit found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// Over every call.
    pub summary: Summary,
    /// By facility and month, in order.
    pub by_facility_month: Vec<FacilityMonth>,
    /// By account, in order (empty when no call names one).
    pub by_account: Vec<Account>,
}

impl Report {
    /// The report of two parts of the calls audited apart (partitions of a data set, on other
    /// threads or machines): what one audit of all of them would report, rows in order.
    pub fn merge(self, other: Report) -> Report {
        let mut summary = self.summary;
        summary.totals.merge(&other.summary.totals);
        summary.rows_rejected += other.summary.rows_rejected;
        let mut months: std::collections::BTreeMap<(String, String), Totals> = self
            .by_facility_month
            .into_iter()
            .map(|m| ((m.facility_id, m.month), m.totals))
            .collect();
        for m in other.by_facility_month {
            months
                .entry((m.facility_id, m.month))
                .or_default()
                .merge(&m.totals);
        }
        let mut accounts: std::collections::BTreeMap<String, Totals> = self
            .by_account
            .into_iter()
            .map(|a| (a.account_id, a.totals))
            .collect();
        for a in other.by_account {
            accounts.entry(a.account_id).or_default().merge(&a.totals);
        }
        Report {
            summary,
            by_facility_month: months
                .into_iter()
                .map(|((facility_id, month), totals)| FacilityMonth {
                    facility_id,
                    month,
                    totals,
                })
                .collect(),
            by_account: accounts
                .into_iter()
                .map(|(account_id, totals)| Account { account_id, totals })
                .collect(),
        }
    }
}

/// Adds up judged calls.
///
/// Each call's totals are found by number, not by name: its facility by the place the
/// [`Auditor`] gave it ([`Judged::facility`]), its month by its offset in a vector of that
/// facility's months, and only its account by a (FxHash) lookup of the id. They are kept
/// compact (`Sum`, 48 bytes): among 50,000 accounts and 47,000 facility-months the time is
/// in the processor's cache misses, and this machine's cache holds about 8 MB (measured:
/// random reads cost 16 ns within 4 MB, 59 ns within 8 MB, 139 ns within 16 MB). So calls
/// are summed by account later, many at a time, in parts of the accounts that each fit a
/// core's cache (`Tally::flush_accounts`); sums are exact in any order.
#[derive(Debug, Default, Clone)]
pub struct Tally {
    summary: Sum,
    rows_rejected: u64,
    /// By facility (its place in the auditor's table): its id and its months.
    by_facility: Vec<Option<(Box<str>, Months)>>,
    /// By account, in [`ACCOUNT_PARTS`] maps by the id's hash ([`account_part`]); empty until
    /// the first call with an account.
    by_account: Vec<HashMap<IdKey, Sum>>,
    /// What did not fit the compact sums, in full: by key.
    wide: HashMap<Key, Totals>,
    /// Calls added but not yet summed by facility-month (see [`Tally::flush_months`]).
    months_pending: Vec<(usize, i32, Part)>,
    /// Calls added but not yet summed by account, by part of `by_account` (see
    /// [`Tally::flush_accounts`]); `accounts_waiting` in all.
    accounts_pending: Vec<Vec<(IdKey, Part)>>,
    accounts_waiting: usize,
}

/// Calls summed by facility-month at a time.
const PENDING: usize = 64;

/// The parts the accounts are kept in: 50,000 accounts make parts of about 56 KB each, which
/// stay in a core's cache while their calls are summed.
const ACCOUNT_PARTS: usize = 64;

/// Calls kept, over all parts, before they are summed by account: each part then takes about
/// 2,000 calls at once (8 MB of calls waiting).
const ACCOUNTS_PENDING: usize = 1 << 17;

/// The part of [`Tally::by_account`] an account id is kept in: bits of its hash that the
/// maps' own hashing does not use (hashbrown takes a bucket from the low bits and a tag from
/// the top seven).
fn account_part(id: &str) -> usize {
    use std::hash::BuildHasher;
    let h = rustc_hash::FxBuildHasher.hash_one(id);
    usize::try_from(h >> 32).unwrap_or(0) % ACCOUNT_PARTS
}

/// `v`, with at least [`ACCOUNT_PARTS`] items.
fn parts<T: Default>(v: &mut Vec<T>) -> &mut Vec<T> {
    if v.len() < ACCOUNT_PARTS {
        v.resize_with(ACCOUNT_PARTS, T::default);
    }
    v
}

/// Whose totals: the whole audit's, a facility-month's, an account's.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Summary,
    Month(usize, i32),
    Account(IdKey),
}

/// The money of a compact sum: exact units of 10^-[`SUM_SCALE`] dollars.
const SUM_SCALE: u32 = 10;

/// An amount in units of 10^-[`SUM_SCALE`], if it has at most that many decimals and fits.
fn units(d: Decimal) -> Option<i64> {
    let up = SUM_SCALE.checked_sub(d.scale())?;
    i64::try_from(d.mantissa().checked_mul(10i128.checked_pow(up)?)?).ok()
}

/// What one call adds to each of its sums, in a [`Sum`]'s units.
#[derive(Debug, Clone, Copy)]
struct Part {
    minutes: u32,
    charged: i64,
    /// Its legal maximum and overcharge (none: uncapped).
    capped: Option<(i64, i64)>,
    unknown: bool,
    assumed: bool,
}

impl Part {
    /// The call's part, if its amounts are a [`Sum`]'s units.
    fn of(charged: Decimal, j: &Judged) -> Option<Part> {
        Some(Part {
            minutes: j.minutes_billed,
            charged: units(charged)?,
            capped: match j.legal_max {
                Some(max) => Some((units(max)?, units(j.overcharge)?)),
                None => None,
            },
            unknown: j.unknown_jurisdiction,
            assumed: j.assumed_exception,
        })
    }
}

/// [`Totals`] in 48 bytes: counts to `u32::MAX`, money in `i64` units of 10^-[`SUM_SCALE`]
/// (to about $922 million). A call that would take one past its limit first moves the sum
/// into the tally's wide totals (exact [`Totals`]), so nothing is lost or rounded.
#[derive(Debug, Default, Clone, Copy)]
struct Sum {
    calls: u32,
    minutes: u32,
    over: u32,
    uncapped: u32,
    unknown: u32,
    assumed: u32,
    charged: i64,
    legal: i64,
    overcharge: i64,
}

impl Sum {
    /// The sum of one call.
    fn one(p: &Part) -> Sum {
        let (legal, overcharge) = p.capped.unwrap_or((0, 0));
        Sum {
            calls: 1,
            minutes: p.minutes,
            over: u32::from(overcharge > 0),
            uncapped: u32::from(p.capped.is_none()),
            unknown: u32::from(p.unknown),
            assumed: u32::from(p.assumed),
            charged: p.charged,
            legal,
            overcharge,
        }
    }

    /// The sum of two sums, if it fits.
    fn plus_sum(&self, o: &Sum) -> Option<Sum> {
        Some(Sum {
            calls: self.calls.checked_add(o.calls)?,
            minutes: self.minutes.checked_add(o.minutes)?,
            over: self.over.checked_add(o.over)?,
            uncapped: self.uncapped.checked_add(o.uncapped)?,
            unknown: self.unknown.checked_add(o.unknown)?,
            assumed: self.assumed.checked_add(o.assumed)?,
            charged: self.charged.checked_add(o.charged)?,
            legal: self.legal.checked_add(o.legal)?,
            overcharge: self.overcharge.checked_add(o.overcharge)?,
        })
    }

    fn totals(&self) -> Totals {
        let money = |u: i64| Decimal::from_i128_with_scale(i128::from(u), SUM_SCALE).normalize();
        Totals {
            calls: u64::from(self.calls),
            minutes_billed: u64::from(self.minutes),
            charged: money(self.charged),
            legal_maximum: money(self.legal),
            overcharge: money(self.overcharge),
            calls_over: u64::from(self.over),
            calls_uncapped: u64::from(self.uncapped),
            calls_unknown_jurisdiction: u64::from(self.unknown),
            calls_assumed_exception: u64::from(self.assumed),
        }
    }
}

/// Adds the sum `o` (one call's: [`Sum::one`], or a part's) to `sum`, whose key is `key()`;
/// when they would overflow, `sum` moves into `wide` first and `o` takes its place, so nothing
/// is lost or rounded.
fn add_sum(sum: &mut Sum, o: &Sum, key: impl FnOnce() -> Key, wide: &mut HashMap<Key, Totals>) {
    match sum.plus_sum(o) {
        Some(next) => *sum = next,
        None => {
            wide.entry(key()).or_default().merge(&sum.totals());
            *sum = *o;
        }
    }
}

/// An id (an account's, a facility's) as a hash key: up to 16 bytes held in the key itself, so
/// that comparing it follows no pointer (an account's boxed id was one cache miss more a call:
/// 8% of the audit's time in `memcmp`, measured with perf on 1 million calls); longer ones boxed. It hashes and compares
/// as its `str`, so the map is searched with the call's `&str` (no key made to look one up).
#[derive(Debug, Clone)]
enum IdKey {
    Short(u8, [u8; 16]),
    Long(Box<str>),
}

impl IdKey {
    fn new(id: &str) -> Self {
        match u8::try_from(id.len()) {
            Ok(n) if n <= 16 => {
                let mut bytes = [0; 16];
                bytes[..id.len()].copy_from_slice(id.as_bytes());
                IdKey::Short(n, bytes)
            }
            _ => IdKey::Long(id.into()),
        }
    }

    /// The id as text (for the report: its bytes are checked for UTF-8 each time).
    fn as_str(&self) -> &str {
        match self {
            // Made from a `str` above: always UTF-8.
            IdKey::Short(..) => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            IdKey::Long(id) => id,
        }
    }

    /// The id's bytes, what keys are compared and hashed by: not the text, so that a lookup
    /// checks no UTF-8 (as text, that check was 5% of an audit of 1 million calls: a facility
    /// and an account looked up for each call, callgrind).
    fn as_bytes(&self) -> &[u8] {
        match self {
            IdKey::Short(n, bytes) => bytes.get(..usize::from(*n)).unwrap_or_default(),
            IdKey::Long(id) => id.as_bytes(),
        }
    }
}

/// Looked up by an id's bytes (as `[u8]` hashes them: the same hash as the key's).
impl std::borrow::Borrow<[u8]> for IdKey {
    fn borrow(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl PartialEq for IdKey {
    fn eq(&self, other: &Self) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

impl Eq for IdKey {}

impl std::hash::Hash for IdKey {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_bytes().hash(state);
    }
}

/// One facility's sums by month, from its first month with a call.
#[derive(Debug, Default, Clone)]
struct Months {
    /// The first month's number (year × 12 + month − 1).
    first: i32,
    sums: Vec<Sum>,
}

impl Months {
    /// The calls of a month so far (0 if none), read only.
    fn peek(&self, month: i32) -> u32 {
        usize::try_from(month - self.first)
            .ok()
            .and_then(|i| self.sums.get(i))
            .map_or(0, |s| s.calls)
    }

    fn at(&mut self, month: i32) -> &mut Sum {
        if self.sums.is_empty() {
            self.first = month;
        } else if month < self.first {
            // An earlier month than any so far: the months before the first are made room for.
            let missing = usize::try_from(self.first - month).unwrap_or(0);
            self.sums
                .splice(0..0, std::iter::repeat_n(Sum::default(), missing));
            self.first = month;
        }
        let i = usize::try_from(month - self.first).unwrap_or(0);
        if i >= self.sums.len() {
            self.sums.resize(i + 1, Sum::default());
        }
        &mut self.sums[i]
    }
}

impl Tally {
    /// Adds a judged call.
    pub fn add(&mut self, call: &CallRecord, j: &Judged) {
        if j.facility >= self.by_facility.len() {
            self.by_facility.resize_with(j.facility + 1, || None);
        }
        if self.by_facility[j.facility].is_none() {
            self.by_facility[j.facility] = Some((call.facility_id.into(), Months::default()));
        }
        let month = call.date.year() * 12 + i32::try_from(call.date.month0()).unwrap_or(0);
        let account = call.account_id.filter(|a| !a.is_empty());
        let Some(part) = Part::of(call.charged, j) else {
            // Amounts that are not a sum's units go into the wide totals as they are, at
            // once; their month and account get a sum (none added) so the report finds them.
            let wide = &mut self.wide;
            wide.entry(Key::Summary).or_default().add(call.charged, j);
            wide.entry(Key::Month(j.facility, month))
                .or_default()
                .add(call.charged, j);
            if let Some(Some((_, months))) = self.by_facility.get_mut(j.facility) {
                months.at(month);
            }
            if let Some(a) = account {
                let key = IdKey::new(a);
                wide.entry(Key::Account(key.clone()))
                    .or_default()
                    .add(call.charged, j);
                parts(&mut self.by_account)[account_part(a)]
                    .entry(key)
                    .or_default();
            }
            return;
        };
        add_sum(
            &mut self.summary,
            &Sum::one(&part),
            || Key::Summary,
            &mut self.wide,
        );
        self.months_pending.push((j.facility, month, part));
        if self.months_pending.len() >= PENDING {
            self.flush_months();
        }
        if let Some(a) = account {
            parts(&mut self.accounts_pending)[account_part(a)].push((IdKey::new(a), part));
            self.accounts_waiting += 1;
            if self.accounts_waiting >= ACCOUNTS_PENDING {
                self.flush_accounts();
            }
        }
    }

    /// Sums every call not summed yet.
    fn flush(&mut self) {
        self.flush_months();
        self.flush_accounts();
    }

    /// Sums the pending calls by facility-month. Each sum is first read, for all of them,
    /// then added to: the reads are independent, so the processor waits for their cache
    /// misses together rather than one call's after another's (memory-level parallelism; a
    /// loop of one call at a time has too many instructions between them).
    fn flush_months(&mut self) {
        let mut seen = 0u32;
        for &(fi, month, _) in &self.months_pending {
            if let Some(Some((_, months))) = self.by_facility.get(fi) {
                seen ^= months.peek(month);
            }
        }
        std::hint::black_box(seen);
        let wide = &mut self.wide;
        for (fi, month, part) in self.months_pending.drain(..) {
            if let Some(Some((_, months))) = self.by_facility.get_mut(fi) {
                add_sum(
                    months.at(month),
                    &Sum::one(&part),
                    || Key::Month(fi, month),
                    wide,
                );
            }
        }
    }

    /// Sums the pending calls by account, a part at a time: 50,000 accounts (4.7 MB of sums)
    /// do not fit a core's cache, one part does, so a call's account is then mostly found in
    /// the cache (an account looked up per call was a third of an audit of 10 million calls:
    /// a cache miss each).
    fn flush_accounts(&mut self) {
        if self.accounts_waiting == 0 {
            return;
        }
        let wide = &mut self.wide;
        let maps = parts(&mut self.by_account);
        for (pending, map) in self.accounts_pending.iter_mut().zip(maps.iter_mut()) {
            for (id, part) in pending.drain(..) {
                match map.get_mut(&id) {
                    Some(sum) => add_sum(sum, &Sum::one(&part), || Key::Account(id), wide),
                    None => {
                        let sum = map.entry(id.clone()).or_default();
                        add_sum(sum, &Sum::one(&part), || Key::Account(id), wide);
                    }
                }
            }
        }
        self.accounts_waiting = 0;
    }

    /// Counts a row that could not be audited.
    pub fn reject(&mut self) {
        self.rows_rejected += 1;
    }

    /// Adds what `other` added up: calls judged by a clone of the same [`Auditor`] (so that a
    /// facility's place is the same in both). Compact sums are added as they are, so parts
    /// audited on other threads join before anything is turned into decimals and ordered
    /// (merging their [`Report`]s was a tenth of a two-thread audit of 1 million calls).
    fn merge(&mut self, mut other: Tally) {
        self.flush();
        other.flush();
        self.rows_rejected += other.rows_rejected;
        let wide = &mut self.wide;
        add_sum(&mut self.summary, &other.summary, || Key::Summary, wide);
        if self.by_facility.len() < other.by_facility.len() {
            self.by_facility
                .resize_with(other.by_facility.len(), || None);
        }
        for (fi, theirs) in other.by_facility.into_iter().enumerate() {
            let Some((id, months)) = theirs else { continue };
            match &mut self.by_facility[fi] {
                None => self.by_facility[fi] = Some((id, months)),
                Some((_, mine)) => {
                    for (i, sum) in months.sums.iter().enumerate() {
                        if sum.calls == 0 {
                            continue;
                        }
                        let n = months.first + i32::try_from(i).unwrap_or(0);
                        add_sum(mine.at(n), sum, || Key::Month(fi, n), wide);
                    }
                }
            }
        }
        if !other.by_account.is_empty() {
            let maps = parts(&mut self.by_account);
            for (theirs, mine) in other.by_account.into_iter().zip(maps.iter_mut()) {
                for (id, sum) in theirs {
                    match mine.get_mut(&id) {
                        Some(m) => add_sum(m, &sum, || Key::Account(id), wide),
                        None => {
                            mine.insert(id, sum);
                        }
                    }
                }
            }
        }
        for (key, totals) in other.wide {
            wide.entry(key).or_default().merge(&totals);
        }
    }

    /// The totals of a sum, with what went into the wide totals.
    fn totals(wide: &mut HashMap<Key, Totals>, key: Key, sum: &Sum) -> Totals {
        let mut t = sum.totals();
        if let Some(w) = wide.remove(&key) {
            t.merge(&w);
        }
        t
    }

    /// The report.
    pub fn report(mut self) -> Report {
        self.flush();
        let wide = &mut self.wide;
        let mut by_facility_month: Vec<FacilityMonth> = Vec::new();
        // Facilities in order of id (each id is one facility's), each's months in order: the
        // rows in order without sorting them.
        let mut facilities: Vec<(usize, &str, &Months)> = self
            .by_facility
            .iter()
            .enumerate()
            .filter_map(|(fi, e)| e.as_ref().map(|(id, months)| (fi, &**id, months)))
            .collect();
        facilities.sort_unstable_by(|a, b| a.1.cmp(b.1));
        for (fi, id, months) in facilities {
            for (i, sum) in months.sums.iter().enumerate() {
                let n = months.first + i32::try_from(i).unwrap_or(0);
                let totals = Tally::totals(wide, Key::Month(fi, n), sum);
                if totals.calls == 0 {
                    continue;
                }
                by_facility_month.push(FacilityMonth {
                    facility_id: id.to_string(),
                    month: month_text(n),
                    totals,
                });
            }
        }
        let mut by_account: Vec<Account> = self
            .by_account
            .iter()
            .flatten()
            .map(|(id, sum)| Account {
                account_id: id.as_str().to_string(),
                totals: Tally::totals(wide, Key::Account(id.clone()), sum),
            })
            .collect();
        // Each id is one account's: an unstable sort gives the one order.
        by_account.sort_unstable_by(|a, b| a.account_id.cmp(&b.account_id));
        Report {
            summary: Summary {
                totals: Tally::totals(wide, Key::Summary, &self.summary),
                rows_rejected: self.rows_rejected,
            },
            by_facility_month,
            by_account,
        }
    }
}

/// A month counted from year 0 (`year * 12 + month0`) as `YYYY-MM`; written by hand, not
/// formatted: there is a month for each facility and month of an audit (46,800 of them in the
/// benchmark's 1 million calls), and `format!` was 1% of its instructions (callgrind).
fn month_text(n: i32) -> String {
    let (year, month) = (n.div_euclid(12), n.rem_euclid(12) + 1);
    if !(0..=9999).contains(&year) {
        return format!("{year:04}-{month:02}");
    }
    let digit = |d: i32| char::from(b'0' + u8::try_from(d % 10).unwrap_or(0));
    [
        digit(year / 1000),
        digit(year / 100),
        digit(year / 10),
        digit(year),
        '-',
        digit(month / 10),
        digit(month),
    ]
    .iter()
    .collect()
}

/// Why a row could not be audited: its column, and what is wrong with it.
pub type Rejection = (&'static str, String);

/// What [`AuditRun::rows`] hands on for each row: the call and its judgement, or why the row
/// was rejected.
pub type RowOutcome<'r, 'c> = std::result::Result<(&'r CallRecord<'c>, &'r Judged), &'r Rejection>;

/// An audit under way: each row judged against the rules of its day and added up, or rejected
/// and counted. What the command line, the Python package and each partition of a larger audit
/// run (the reports of parts [merge](Report::merge) into the report of the whole).
#[derive(Clone)]
pub struct AuditRun<'b> {
    auditor: Auditor<'b>,
    tally: Tally,
    /// Where a batch's calls' terms are ([`AuditRun::rows`]), kept for the next batch.
    slots: Vec<Option<Slot>>,
}

impl<'b> AuditRun<'b> {
    /// A run judging calls with `auditor`.
    pub fn new(auditor: Auditor<'b>) -> Self {
        AuditRun {
            auditor,
            tally: Tally::default(),
            slots: Vec::new(),
        }
    }

    /// Audits one row, read as `call` (or not readable, for the reason given): the call and
    /// its judgement, added up; or why it was rejected (a call from a facility the table does
    /// not have is), counted in `rows_rejected`.
    pub fn row<'c>(
        &mut self,
        call: std::result::Result<CallRecord<'c>, Rejection>,
    ) -> std::result::Result<(CallRecord<'c>, Judged), Rejection> {
        let call = call.inspect_err(|_| self.tally.reject())?;
        let slot = self.auditor.locate(&call);
        let judged = self.row_at(&call, slot)?;
        Ok((call, judged))
    }

    /// [`AuditRun::row`] of a call whose terms are at `slot` (none: its facility is not in the
    /// table).
    fn row_at(
        &mut self,
        call: &CallRecord,
        slot: Option<Slot>,
    ) -> std::result::Result<Judged, Rejection> {
        match slot {
            Some(slot) => {
                let judged = self.auditor.judge_at(call, slot);
                self.tally.add(call, &judged);
                Ok(judged)
            }
            None => {
                self.tally.reject();
                Err((
                    "facility_id",
                    format!(
                        "facility `{}` is not in the facilities table",
                        call.facility_id
                    ),
                ))
            }
        }
    }

    /// Audits a batch of rows as [`AuditRun::row`] does each, in order, handing each outcome to
    /// `each` with its place in the batch (by reference: moving each call and its judgement
    /// twice was 9% of an audit of 1 million calls, perf). The rules each call is judged on
    /// are first read for all of them, so that the processor waits for those cache misses
    /// together (measured on 10 million calls: 8% of the time was one call's wait after
    /// another's).
    pub fn rows<'c, E>(
        &mut self,
        calls: &[std::result::Result<CallRecord<'c>, Rejection>],
        mut each: impl FnMut(usize, RowOutcome<'_, 'c>) -> std::result::Result<(), E>,
    ) -> std::result::Result<(), E> {
        let mut slots = std::mem::take(&mut self.slots);
        slots.clear();
        slots.extend(
            calls
                .iter()
                .map(|c| c.as_ref().ok().and_then(|c| self.auditor.locate(c))),
        );
        let seen = slots
            .iter()
            .flatten()
            .fold(0u32, |seen, s| seen ^ self.auditor.touch(s));
        std::hint::black_box(seen);
        let mut outcome = Ok(());
        for (i, (call, &slot)) in calls.iter().zip(&slots).enumerate() {
            let judged;
            let row = match call {
                Ok(call) => {
                    judged = self.row_at(call, slot);
                    judged.as_ref().map(|j| (call, j))
                }
                Err(rejected) => {
                    self.tally.reject();
                    Err(rejected)
                }
            };
            outcome = each(i, row);
            if outcome.is_err() {
                break;
            }
        }
        self.slots = slots;
        outcome
    }

    /// Counts a row that could not be read at all (its fields not found).
    pub fn reject(&mut self) {
        self.tally.reject();
    }

    /// Adds what `other` found, a run of a clone of this run's auditor (a part of the same
    /// audit, on another thread): the report is then that of one run over both parts. Runs
    /// of other auditors (another facilities table) cannot be joined this way: their
    /// [reports](Report::merge) can.
    pub fn merge(&mut self, other: AuditRun<'b>) -> std::result::Result<(), String> {
        if !Arc::ptr_eq(&self.auditor.shared, &other.auditor.shared) {
            return Err("the runs audit against different facilities tables".into());
        }
        self.tally.merge(other.tally);
        Ok(())
    }

    /// What the run found.
    pub fn report(self) -> Report {
        self.tally.report()
    }
}

/// Reads a facility row from its fields by (lowercase) column name; an error names the column.
pub fn facility_from_fields<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> std::result::Result<AuditFacility, (String, String)> {
    let need = |c: &str| {
        get(c)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| (c.to_string(), "missing".to_string()))
    };
    let opt = |c: &str| get(c).map(str::trim).filter(|v| !v.is_empty());
    let at = |c: &'static str| move |m: String| (c.to_string(), m);
    let id = need("facility_id")?.to_string();
    let kind: FacilityKind = parse_word(need("kind")?).map_err(at("kind"))?;
    let adp = crate::facility::parse_adp(need("average_daily_population")?)
        .map_err(at("average_daily_population"))?;
    let mut facility = Facility::new(kind, adp);
    if let Some(s) = opt("state") {
        let s = s.to_ascii_uppercase();
        crate::facility::validate_state(&s).map_err(at("state"))?;
        facility.state = Some(s);
    }
    if let Some(o) = opt("operator") {
        facility.operator = Some(parse_word::<Operator>(o).map_err(at("operator"))?);
    }
    if let Some(c) = opt("county_fips") {
        crate::facility::validate_county_fips(c).map_err(at("county_fips"))?;
        facility.county_fips = Some(c.to_string());
    }
    let commission_basis = opt("commission_basis")
        .map(parse_word::<CommissionBasis>)
        .transpose()
        .map_err(at("commission_basis"))?;
    let facility_component_per_minute = opt("facility_component_per_minute")
        .map(crate::money::parse_amount)
        .transpose()
        .map_err(at("facility_component_per_minute"))?;
    let date = |c: &'static str| {
        opt(c)
            .map(crate::dated::parse_date)
            .transpose()
            .map_err(at(c))
    };
    let (signed, ends) = (date("contract_signed")?, date("contract_ends")?);
    let basis = opt("contract_basis")
        .map(parse_word::<ContractBasis>)
        .transpose()
        .map_err(at("contract_basis"))?;
    let contract =
        Contract::from_parts(signed, ends, basis).map_err(|(c, m)| (c.to_string(), m))?;
    Ok(AuditFacility {
        id,
        facility,
        commission_basis,
        facility_component_per_minute,
        contract,
    })
}

/// Why a row of the facilities table could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FacilityRowError {
    /// A field is missing or not valid.
    Field {
        /// Its column.
        column: String,
        /// What is wrong.
        message: String,
    },
    /// The row leaves out the kind or population and the facility directory cannot fill them
    /// in for its id.
    Directory {
        /// The row's `facility_id`.
        id: String,
        /// What is wrong.
        message: String,
    },
}

/// Reads a row of the facilities table by (lowercase) column name. A row that leaves out the
/// kind or the average daily population is filled in from the facility directory by its
/// `facility_id` ([`facility_from_directory`]).
#[cfg(feature = "directory")]
pub fn facility_from_row<'a>(
    get: impl Fn(&str) -> Option<&'a str>,
) -> std::result::Result<AuditFacility, FacilityRowError> {
    let blank = |c: &str| get(c).is_none_or(|v| v.trim().is_empty());
    if blank("kind") || blank("average_daily_population") {
        let id = get("facility_id").unwrap_or_default().trim().to_string();
        facility_from_directory(&id, &get)
            .map_err(|message| FacilityRowError::Directory { id, message })
    } else {
        facility_from_fields(get)
            .map_err(|(column, message)| FacilityRowError::Field { column, message })
    }
}

/// A facility whose kind or size the table leaves out, filled in from the facility directory
/// by its id; the row's own fields win where it gives them.
#[cfg(feature = "directory")]
pub fn facility_from_directory<'a>(
    id: &str,
    get: &impl Fn(&str) -> Option<&'a str>,
) -> std::result::Result<AuditFacility, String> {
    let directory = crate::directory::Directory::bundled().map_err(|e| e.to_string())?;
    let given = crate::directory::Given::default();
    let f = directory.fill(id, given).map_err(|e| match e {
        crate::directory::FillError::UnknownId(m) | crate::directory::FillError::NoKind(m) => m,
    })?;
    // A size the directory only reports (or does not know) is taken at the low end of what
    // the ADP could be: smaller tiers' caps are the higher ones (the rate book's tests hold
    // the smallest tier to that), so no lawful call is called an overcharge.
    let adp = match f.adp_source.possible_adp() {
        Some((low, _)) => low.max(1),
        None => f.average_daily_population,
    }
    .to_string();
    let kind = f.kind.as_str();
    let state = f.state.clone();
    let operator = f.operator.map(|o| o.as_str());
    let fips = f.county_fips.clone();
    let filled = |c: &str| -> Option<&str> {
        let own = get(c).filter(|v| !v.trim().is_empty());
        own.or(match c {
            "kind" => Some(kind),
            "average_daily_population" => Some(adp.as_str()),
            "state" => state.as_deref(),
            "operator" => operator,
            "county_fips" => fips.as_deref(),
            _ => None,
        })
    };
    facility_from_fields(filled).map_err(|(c, m)| format!("column {c}: {m}"))
}

/// A column's name as the audit matches it: without a byte-order mark before it or the spaces
/// around it, in lowercase (`" Call_ID"` is `call_id`).
pub fn column_name(header: &str) -> String {
    header
        .trim_start_matches('\u{feff}')
        .trim()
        .to_ascii_lowercase()
}

/// Where each call column is among `names` (each as [`column_name`] gives it): those of
/// [`CALL_COLUMNS`], then `account_id` (none: not given); an error names the first missing
/// column and says which there must be.
pub fn call_columns(names: &[String]) -> std::result::Result<[Option<usize>; 9], String> {
    let mut columns = [None; 9];
    for (slot, name) in columns
        .iter_mut()
        .zip(CALL_COLUMNS.iter().copied().chain(["account_id"]))
    {
        *slot = names.iter().position(|n| n == name);
    }
    match CALL_COLUMNS.iter().zip(&columns).find(|(_, c)| c.is_none()) {
        Some((missing, _)) => Err(format!(
            "no `{missing}` column; the columns are {} and, optionally, account_id",
            CALL_COLUMNS.join(", ")
        )),
        None => Ok(columns),
    }
}

/// The columns a call record must have.
pub const CALL_COLUMNS: [&str; 8] = [
    "call_id",
    "facility_id",
    "started_at",
    "duration_seconds",
    "service",
    "jurisdiction",
    "payment",
    "charged",
];

/// A field of a call record as a file holds it: text (CSV, or a string column of Parquet), or
/// a typed value of a typed column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field<'a> {
    /// Empty or null.
    Missing,
    /// Text, read as a CSV field is.
    Text(&'a str),
    /// A whole number (a duration in seconds).
    Int(i64),
    /// A date (`started_at`).
    Date(NaiveDate),
    /// A decimal (`charged`).
    Amount(Decimal),
}

/// Reads a call record from its fields, in the order of [`CALL_COLUMNS`] then `account_id`;
/// an error names the column.
pub fn call_from_fields<'a>(
    fields: [Option<&'a str>; 9],
) -> std::result::Result<CallRecord<'a>, (&'static str, String)> {
    call_from_values(fields.map(|f| f.map_or(Field::Missing, Field::Text)))
}

/// Reads a call record from its fields, text or typed, in the order of [`CALL_COLUMNS`] then
/// `account_id`: a typed value is held to the same rules as the text (a duration is 0 or
/// more seconds, an amount has at most [`crate::money::MAX_INPUT_SCALE`] decimals, ...); an
/// error names the column. Ids and words are text only.
pub fn call_from_values<'a>(
    fields: [Field<'a>; 9],
) -> std::result::Result<CallRecord<'a>, (&'static str, String)> {
    let [call_id, facility_id, started_at, duration, service, jurisdiction, payment, charged, account] =
        fields;
    let text = |v: Field<'a>, c: &'static str| match v {
        Field::Text(t) => {
            let t = crate::error::trim(t);
            if t.is_empty() {
                Err((c, "missing".to_string()))
            } else {
                Ok(t)
            }
        }
        Field::Missing => Err((c, "missing".to_string())),
        Field::Int(n) => Err((c, format!("the number {n} is not text"))),
        Field::Date(d) => Err((c, format!("the date {d} is not text"))),
        Field::Amount(d) => Err((c, format!("the amount {d} is not text"))),
    };
    let at = |c: &'static str| move |m: String| (c, m);
    let date = match started_at {
        Field::Date(d) => d,
        f => parse_started_at(text(f, "started_at")?).map_err(at("started_at"))?,
    };
    let duration_seconds = match duration {
        Field::Int(n) => duration_from_int(n).map_err(at("duration_seconds"))?,
        f => parse_duration(text(f, "duration_seconds")?).map_err(at("duration_seconds"))?,
    };
    let charged = match charged {
        Field::Amount(d) => crate::money::check_amount(d).map_err(at("charged"))?,
        f => crate::money::parse_amount(text(f, "charged")?).map_err(at("charged"))?,
    };
    Ok(CallRecord {
        call_id: text(call_id, "call_id")?,
        facility_id: text(facility_id, "facility_id")?,
        date,
        duration_seconds,
        service: parse_word(text(service, "service")?).map_err(at("service"))?,
        jurisdiction: CallJurisdiction::parse(text(jurisdiction, "jurisdiction")?)
            .map_err(at("jurisdiction"))?,
        payment: parse_word(text(payment, "payment")?).map_err(at("payment"))?,
        charged,
        account_id: match account {
            Field::Text(a) => Some(crate::error::trim(a)).filter(|a| !a.is_empty()),
            _ => None,
        },
    })
}

/// A duration given as a whole number of seconds: 0 or more, at most `u32::MAX`.
pub fn duration_from_int(n: i64) -> std::result::Result<u32, String> {
    if n < 0 {
        return Err(format!(
            "`{n}` is negative; a duration is 0 or more seconds"
        ));
    }
    u32::try_from(n).map_err(|_| format!("`{n}` seconds is too long for a call"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `started_at` read by chrono alone, as before the plain date-times' own reading.
    fn started_at_by_chrono(text: &str) -> Option<NaiveDate> {
        let t = crate::error::trim(text);
        if t.len() == 10 {
            return crate::dated::parse_date(t).ok();
        }
        chrono::DateTime::parse_from_rfc3339(t)
            .ok()
            .map(|d| d.date_naive())
    }

    proptest::proptest! {
        /// Date-times near the plain shape, in range and out of it (hours to 29, minutes and
        /// seconds to 69, leap seconds, fractions, lower case `t` and `z`, a space): the same
        /// date as chrono reads, or none when chrono reads none.
        #[test]
        fn date_times_are_read_as_chrono_reads_them(
            t in r"(19|20)[0-9]{2}-(0[0-9]|1[0-3])-([0-3][0-9])[Tt ]([0-2][0-9]):[0-6][0-9]:[0-6][0-9](\.[0-9]{1,4})?(Z|z|[+-][0-2][0-9]:[0-6][0-9])"
        ) {
            let fast = plain_rfc3339_date(&t);
            if fast.is_some() {
                proptest::prop_assert_eq!(fast, started_at_by_chrono(&t));
            }
            proptest::prop_assert_eq!(parse_started_at(&t).ok(), started_at_by_chrono(&t));
        }

        /// The plain shape itself, each part a little past its range at times.
        #[test]
        fn plain_date_times_are_read_as_chrono_reads_them(
            t in r"20[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T[0-2][0-9]:[0-6][0-9]:[0-6][0-9](Z|[+-][0-2][0-9]:[0-6][0-9])"
        ) {
            // Left to chrono in the plain shape: only what chrono refuses, and leap seconds.
            match plain_rfc3339_date(&t) {
                Some(d) => proptest::prop_assert_eq!(Some(d), started_at_by_chrono(&t)),
                None => proptest::prop_assert!(started_at_by_chrono(&t).is_none() || &t[17..19] == "60", "{}", t),
            }
        }
    }

    #[test]
    fn plain_date_times_are_read_by_hand_and_the_rest_by_chrono() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        for (text, fast, date) in [
            ("2026-07-09T18:30:00-05:00", true, d("2026-07-09")),
            ("2026-07-09T23:59:59Z", true, d("2026-07-09")),
            ("2024-02-29T00:00:00+23:59", true, d("2024-02-29")),
            ("2026-07-09T18:30:00.5Z", false, d("2026-07-09")),
            ("2026-07-09t18:30:00z", false, d("2026-07-09")),
            ("2026-07-09 18:30:00Z", false, d("2026-07-09")),
            ("2026-06-30T23:59:60Z", false, d("2026-06-30")),
            ("2025-02-29T10:00:00Z", false, None),
            ("2026-07-09T24:00:00Z", false, None),
            ("2026-07-09T18:60:00Z", false, None),
            ("2026-07-09T18:30:00+24:00", false, None),
        ] {
            assert_eq!(plain_rfc3339_date(text).is_some(), fast, "{text}");
            assert_eq!(parse_started_at(text).ok(), date, "{text}");
            assert_eq!(started_at_by_chrono(text), date, "{text}");
        }
    }

    fn d(s: &str) -> NaiveDate {
        crate::dated::parse_date(s).unwrap()
    }

    fn facility(id: &str, kind: FacilityKind, adp: u32, state: Option<&str>) -> AuditFacility {
        let mut f = Facility::new(kind, adp);
        f.state = state.map(str::to_string);
        f.operator = Some(match kind {
            FacilityKind::Prison => Operator::State,
            _ => Operator::County,
        });
        AuditFacility {
            id: id.to_string(),
            facility: f,
            commission_basis: None,
            facility_component_per_minute: Some(Decimal::ZERO),
            contract: None,
        }
    }

    fn call<'a>(
        facility_id: &'a str,
        date: &str,
        seconds: u32,
        j: CallJurisdiction,
        charged: &str,
    ) -> CallRecord<'a> {
        CallRecord {
            call_id: "c",
            facility_id,
            date: d(date),
            duration_seconds: seconds,
            service: Service::Audio,
            jurisdiction: j,
            payment: Payment::Debit,
            charged: charged.parse().unwrap(),
            account_id: None,
        }
    }

    const INTER: CallJurisdiction = CallJurisdiction::Known(Jurisdiction::Interstate);
    const INTRA: CallJurisdiction = CallJurisdiction::Known(Jurisdiction::Intrastate);

    fn book() -> RateBook {
        RateBook::bundled().unwrap()
    }

    #[test]
    fn minutes_round_up_and_the_2021_cap_starts_on_its_day() {
        let book = book();
        let mut a =
            Auditor::new(&book, vec![facility("P", FacilityKind::Prison, 5000, None)]).unwrap();
        // 2021-10-25: FCC 13-113's $0.21 interstate debit cap; 61 s is 2 minutes, but the
        // 15-minute equivalence judges a call on at least 15 minutes.
        let before = a
            .judge(&call("P", "2021-10-25", 61, INTER, "0.50"))
            .unwrap();
        assert_eq!(before.minutes_billed, 2);
        // 2021-10-26: FCC 21-60's $0.12 prison cap (no equivalence): 2 minutes at 0.12.
        let after = a
            .judge(&call("P", "2021-10-26", 61, INTER, "0.50"))
            .unwrap();
        assert_eq!(after.legal_max, Some("0.24".parse().unwrap()));
        assert_eq!(after.overcharge, "0.26".parse().unwrap());
        assert!(before.legal_max.unwrap() >= "0.42".parse().unwrap());
        assert_ne!(before.basis, after.basis);
    }

    #[test]
    fn cached_terms_agree_with_lawful_call_on_every_length_and_change_day() {
        let book = book();
        let mut facilities = vec![
            facility("P", FacilityKind::Prison, 5000, Some("CA")),
            facility("J", FacilityKind::Jail, 300, Some("NY")),
            facility("K", FacilityKind::Jail, 1500, None),
        ];
        // A jail of every state the book has rules for, and of counties with local rules
        // (known by their county only, or also by their state), so that every day on which
        // some facility's rules change is tried against the spans the auditor gave it.
        let states: Vec<String> = book.states_covered().map(str::to_string).collect();
        for (i, s) in states.iter().enumerate() {
            facilities.push(facility(&format!("S{i}"), FacilityKind::Jail, 300, Some(s)));
        }
        for (i, (state, county)) in [
            (Some("CA"), "06073"),
            (None, "06037"),
            (Some("FL"), "12086"),
        ]
        .into_iter()
        .enumerate()
        {
            let mut f = facility(&format!("C{i}"), FacilityKind::Jail, 900, state);
            f.facility.county_fips = Some(county.to_string());
            f.facility.operator = None;
            facilities.push(f);
        }
        let mut a = Auditor::new(&book, facilities.clone()).unwrap();
        let mut days: Vec<NaiveDate> = book.change_dates();
        days.extend(book.state_change_dates());
        let days: Vec<NaiveDate> = days
            .iter()
            .flat_map(|d| [d.pred_opt().unwrap(), *d])
            .collect();
        for f in &facilities {
            for &day in &days {
                let rules = book.rules_for(day, &f.facility, None);
                if rules.contract_exception.is_some() {
                    continue; // judged with assumed contracts: see the test below
                }
                let tariff = most_allowed_tariff(f, None);
                for kind in CallKind::all_capped() {
                    let rate = Rate {
                        service: Some(kind.service),
                        jurisdiction: Some(kind.jurisdiction),
                        payment: Some(kind.payment),
                        per_minute: Decimal::ZERO,
                        first_minute: None,
                        per_call: Decimal::ZERO,
                        billing_increment_seconds: 60,
                        line: 0,
                    };
                    for seconds in [0, 1, 60, 61, 600, 899, 900, 901, 3600] {
                        let direct = lawful_call(&rules, &tariff, &rate, kind, seconds);
                        let c = CallRecord {
                            service: kind.service,
                            jurisdiction: CallJurisdiction::Known(kind.jurisdiction),
                            payment: kind.payment,
                            ..call(&f.id, &day.to_string(), seconds, INTER, "0")
                        };
                        let j = a.judge(&c).unwrap();
                        // A call of 0 seconds is billed as no minutes; lawful_call judges it
                        // the same way.
                        assert_eq!(
                            j.legal_max, direct.legal_max,
                            "{} {day} {kind} {seconds}",
                            f.id
                        );
                        // (At no minutes every cap allows nothing, and lawful_call names
                        // the federal rule on a tie: the audit names the rule that sets a
                        // minute's limit.)
                        if seconds > 0 {
                            assert_eq!(
                                j.basis.as_deref(),
                                direct.basis.as_ref(),
                                "{} {day} {kind}",
                                f.id
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_jurisdiction_is_priced_as_interstate_and_counted_apart() {
        let book = book();
        let mut a =
            Auditor::new(&book, vec![facility("J", FacilityKind::Jail, 300, None)]).unwrap();
        let unknown = a
            .judge(&call(
                "J",
                "2022-01-05",
                600,
                CallJurisdiction::Unknown,
                "3.00",
            ))
            .unwrap();
        let inter = a
            .judge(&call("J", "2022-01-05", 600, INTER, "3.00"))
            .unwrap();
        assert_eq!(unknown.legal_max, inter.legal_max);
        assert!(unknown.unknown_jurisdiction);
        assert!(unknown
            .basis
            .as_ref()
            .unwrap()
            .citation
            .contains("86 FR 40340"));
        // Before the rule's day: uncapped, not lawful.
        let early = a
            .judge(&call(
                "J",
                "2021-07-27",
                600,
                CallJurisdiction::Unknown,
                "3.00",
            ))
            .unwrap();
        assert_eq!(early.legal_max, None);
        let mut t = Tally::default();
        t.add(
            &call("J", "2022-01-05", 600, CallJurisdiction::Unknown, "3.00"),
            &unknown,
        );
        t.add(
            &call("J", "2021-07-27", 600, CallJurisdiction::Unknown, "3.00"),
            &early,
        );
        let r = t.report();
        assert_eq!(r.summary.totals.calls_unknown_jurisdiction, 2);
        assert_eq!(r.summary.totals.calls_uncapped, 1);
        assert_eq!(r.summary.totals.legal_maximum, unknown.legal_max.unwrap());
        assert_eq!(r.by_facility_month.len(), 2);
    }

    #[test]
    fn an_intrastate_call_before_2024_rules_is_uncapped() {
        let book = book();
        let mut a =
            Auditor::new(&book, vec![facility("J", FacilityKind::Jail, 300, None)]).unwrap();
        let j = a
            .judge(&call("J", "2022-01-05", 600, INTRA, "9.00"))
            .unwrap();
        assert_eq!(j.legal_max, None);
        assert_eq!(j.overcharge, Decimal::ZERO);
    }

    #[test]
    fn a_free_calls_state_allows_nothing() {
        let book = book();
        // Find a state whose rules make some call free for a state prison today.
        let day = d("2026-06-01");
        let mut found = None;
        for s in book.states_covered() {
            let mut f = facility("P", FacilityKind::Prison, 5000, Some(s));
            f.facility.state = Some(s.to_string());
            let mut a = Auditor::new(&book, vec![f]).unwrap();
            let j = a
                .judge(&call("P", "2026-06-01", 600, INTRA, "1.00"))
                .unwrap();
            if j.legal_max == Some(Decimal::ZERO) {
                found = Some((s.to_string(), j));
                break;
            }
        }
        let (state, j) = found.expect("some state has free calls from its prisons");
        assert_eq!(j.overcharge, "1.00".parse().unwrap(), "{state} {day}");
        assert_ne!(j.basis.unwrap().level, Level::Federal);
    }

    #[test]
    fn without_contract_facts_the_exception_allowing_most_is_assumed() {
        let book = book();
        let f = facility("K", FacilityKind::Jail, 1500, None);
        let mut with = f.clone();
        with.contract = Some(Contract {
            signed: d("2025-01-01"),
            ends: d("2030-01-01"),
            basis: ContractBasis::Contractual,
            line: 0,
        });
        with.id = "K2".to_string();
        let mut a = Auditor::new(&book, vec![f, with]).unwrap();
        let assumed = a.judge(&call("K", "2025-02-01", 600, INTER, "0")).unwrap();
        let known = a.judge(&call("K2", "2025-02-01", 600, INTER, "0")).unwrap();
        assert!(assumed.assumed_exception);
        assert!(!known.assumed_exception);
        assert!(assumed.legal_max.unwrap() > known.legal_max.unwrap());
    }

    #[test]
    fn reports_of_parts_merge_into_the_report_of_the_whole() {
        let book = book();
        let facilities = vec![
            facility("P", FacilityKind::Prison, 5000, Some("CA")),
            facility("J", FacilityKind::Jail, 300, None),
        ];
        let mut a = Auditor::new(&book, facilities).unwrap();
        let days = ["2021-10-25", "2021-10-26", "2022-01-05", "2026-06-01"];
        let mut calls = Vec::new();
        for (i, day) in days.iter().cycle().take(40).enumerate() {
            let f = if i % 3 == 0 { "J" } else { "P" };
            let j = if i % 5 == 0 {
                CallJurisdiction::Unknown
            } else {
                INTER
            };
            let charged = format!("{}.{:02}", i % 4, (i * 7) % 100);
            let mut c = call(f, day, 30 + 61 * i as u32, j, "0");
            c.charged = charged.parse().unwrap();
            c.account_id = Some(["A1", "A2", "A3"][i % 3]);
            calls.push(c);
        }
        let tally = |a: &mut Auditor, calls: &[CallRecord], rejected: u64| {
            let mut t = Tally::default();
            for c in calls {
                let j = a.judge(c).unwrap();
                t.add(c, &j);
            }
            (0..rejected).for_each(|_| t.reject());
            t.report()
        };
        let whole = tally(&mut a, &calls, 3);
        let (left, right) = calls.split_at(17);
        let merged = tally(&mut a, left, 1).merge(tally(&mut a, right, 2));
        assert_eq!(merged, whole);
        assert!(whole.summary.totals.overcharge > Decimal::ZERO);
        assert!(whole.by_facility_month.len() > 2);
        // In the other order, and with an empty part, the same.
        let swapped = tally(&mut a, right, 2).merge(tally(&mut a, left, 1));
        assert_eq!(swapped, whole);
        assert_eq!(whole.clone().merge(Report::default()), whole);
    }

    #[test]
    fn runs_of_parts_merge_into_the_run_of_the_whole() {
        let book = book();
        let facilities = vec![
            facility("P", FacilityKind::Prison, 5000, Some("CA")),
            facility("J", FacilityKind::Jail, 300, None),
            facility("K", FacilityKind::Jail, 40, Some("NY")),
        ];
        let a = Auditor::new(&book, facilities.clone()).unwrap();
        let days = ["2019-03-02", "2021-10-26", "2022-01-05", "2026-06-01"];
        let mut calls = Vec::new();
        for (i, day) in days.iter().cycle().take(300).enumerate() {
            let f = ["J", "P", "K"][i % 3];
            let mut c = call(f, day, 30 + 61 * i as u32, INTER, "0");
            // $600 million calls make both parts' sums spill into their wide totals, and
            // the two parts' sums together overflow where neither did alone.
            let charged = match i % 50 {
                7 => "600000000".to_string(),
                _ => format!("{}.{:02}", i % 4, (i * 7) % 100),
            };
            c.charged = charged.parse().unwrap();
            c.account_id = Some(["A1", "A2", "an-account-id-longer-than-16"][i % 3]);
            calls.push(c);
        }
        let run = |calls: &[CallRecord], rejected: u64| {
            let mut r = AuditRun::new(a.clone());
            for c in calls {
                r.row(Ok(c.clone())).unwrap();
            }
            (0..rejected).for_each(|_| r.reject());
            r
        };
        let whole = run(&calls, 3).report();
        // Parts of every size (each less than a batch, or several), in both orders.
        for cut in [0, 1, 17, PENDING + 3, 150, 300] {
            let (left, right) = calls.split_at(cut);
            let mut merged = run(left, 1);
            merged.merge(run(right, 2)).unwrap();
            assert_eq!(merged.report(), whole, "cut at {cut}");
            let mut swapped = run(right, 2);
            swapped.merge(run(left, 1)).unwrap();
            assert_eq!(swapped.report(), whole, "cut at {cut}, swapped");
        }
        assert!(whole.summary.totals.charged > Decimal::from(1_000_000_000));
        assert_eq!(whole.by_account.len(), 3);
        // A run of another auditor (another table, even an equal one) is refused.
        let other = Auditor::new(&book, facilities).unwrap();
        let mut r = run(&calls, 0);
        assert!(r.merge(AuditRun::new(other)).is_err());
        // Two sums that fit alone but not together: the first moves into the wide totals.
        let p = Part {
            minutes: 3,
            charged: 1,
            capped: None,
            unknown: false,
            assumed: true,
        };
        let mut sum = Sum {
            calls: u32::MAX - 1,
            ..Sum::one(&p)
        };
        let mut wide = HashMap::default();
        add_sum(
            &mut sum,
            &Sum {
                calls: 2,
                ..Sum::one(&p)
            },
            || Key::Summary,
            &mut wide,
        );
        let mut t = wide[&Key::Summary].clone();
        t.merge(&sum.totals());
        assert_eq!(t.calls, u64::from(u32::MAX) + 1);
        assert_eq!(
            (
                t.minutes_billed,
                t.calls_uncapped,
                t.calls_assumed_exception
            ),
            (6, 2, 2)
        );
    }

    #[test]
    fn a_facility_s_spans_are_its_place_s() {
        use crate::ratebook::Place;
        let book = book();
        let facilities = vec![
            facility("CA", FacilityKind::Prison, 5000, Some("CA")),
            facility("NY", FacilityKind::Jail, 300, Some("NY")),
            facility("none", FacilityKind::Jail, 300, None),
        ];
        let a = Auditor::new(&book, facilities).unwrap();
        let unknown = UnknownRule::bundled(&book).unwrap().effective;
        let mut common = book.change_dates();
        common.extend(book.exception_dates());
        common.push(unknown);
        let any_rule_of = |state: &str| {
            book.state_change_dates_at(&Place {
                state: Some(state),
                ..Place::default()
            })
        };
        let (ca, ny) = (any_rule_of("CA"), any_rule_of("NY"));
        // Each facility's days: the common ones and its own state's, no other state's.
        let only_ny: Vec<_> = ny
            .iter()
            .filter(|d| !ca.contains(d) && !common.contains(d))
            .collect();
        assert!(!only_ny.is_empty());
        assert!(only_ny.iter().all(|d| !a.changes[0].contains(d)));
        assert!(a.changes[0]
            .iter()
            .all(|d| common.contains(d) || ca.contains(d)));
        let ny_jail = book.state_change_dates_at(&Place {
            state: Some("NY"),
            operator: Some(Operator::County),
            county_fips: None,
            facility: Some(FacilityKind::Jail),
        });
        assert!(!ny_jail.is_empty());
        assert!(ny_jail.iter().all(|d| a.changes[1].contains(d)));
        assert!(common
            .iter()
            .all(|d| a.changes.iter().all(|c| c.contains(d))));
        // Without a place, no state's days at all.
        assert!(a.changes[2].iter().all(|d| common.contains(d)));
        assert!(a.changes[2].len() < a.changes[1].len());
    }

    #[test]
    fn a_batch_of_rows_is_audited_as_each_row_is() {
        let book = book();
        let facilities = vec![
            facility("P", FacilityKind::Prison, 5000, Some("CA")),
            facility("J", FacilityKind::Jail, 300, None),
        ];
        let a = Auditor::new(&book, facilities).unwrap();
        let rows = || {
            (0..150u32).map(|i| {
                let f = ["P", "J", "nowhere"][i as usize % 3];
                let day = ["2021-10-25", "2026-06-01", "2013-01-01"][i as usize % 3];
                let mut c = call(f, day, 30 + 37 * i, INTER, "2.50");
                c.account_id = Some(["A1", "A2"][i as usize % 2]);
                if i % 11 == 0 {
                    Err(("charged", "bad".to_string()))
                } else {
                    Ok(c)
                }
            })
        };
        let mut one = AuditRun::new(a.clone());
        let singly: Vec<_> = rows().map(|r| one.row(r).map(|(_, j)| j)).collect();
        let mut batch = AuditRun::new(a);
        let mut batched = Vec::new();
        for chunk in rows().collect::<Vec<_>>().chunks(64) {
            batch
                .rows(chunk, |i, r| {
                    assert_eq!(i, batched.len() % 64);
                    batched.push(r.map(|(_, j)| j.clone()).map_err(Clone::clone));
                    Ok::<(), ()>(())
                })
                .unwrap();
        }
        assert_eq!(singly, batched);
        let (one, batch) = (one.report(), batch.report());
        assert_eq!(one, batch);
        assert!(one.summary.rows_rejected > 50 && one.summary.totals.calls > 50);
    }

    /// Clones of one auditor on threads at once, each meeting the spans in its own order
    /// (so that they resolve different spans at the same time, and sometimes the same one),
    /// judge every call as an auditor alone does, and their terms are each kept once.
    #[test]
    fn clones_on_threads_judge_as_one_auditor_alone() {
        let book = book();
        let facilities = vec![
            facility("P", FacilityKind::Prison, 5000, Some("CA")),
            facility("J", FacilityKind::Jail, 300, Some("NY")),
            facility("K", FacilityKind::Jail, 40, None),
        ];
        let calls: Vec<CallRecord> = (0..3000u32)
            .map(|i| {
                let f = ["P", "J", "K"][i as usize % 3];
                let j = [INTER, INTRA, CallJurisdiction::Unknown][i as usize / 3 % 3];
                let mut c = call(f, "2013-01-01", 17 + 41 * i % 3600, j, "3.10");
                // Days from 2013 to 2027, in no order.
                c.date = c.date + chrono::Days::new(u64::from(i * 389 % 5113));
                c.payment = Payment::ALL[i as usize / 45 % Payment::ALL.len()];
                c.service = Service::ALL[i as usize / 135 % Service::ALL.len()];
                c
            })
            .collect();
        let mut alone = Auditor::new(&book, facilities.clone()).unwrap();
        let expected: Vec<Judged> = calls.iter().map(|c| alone.judge(c).unwrap()).collect();
        let shared = Auditor::new(&book, facilities).unwrap();
        let judged: Vec<Vec<Judged>> = std::thread::scope(|scope| {
            let threads: Vec<_> = (0..4)
                .map(|t| {
                    let (mut a, calls) = (shared.clone(), &calls);
                    scope.spawn(move || {
                        // Thread t starts at a different place and half go backwards.
                        let n = calls.len();
                        let mut out: Vec<(usize, Judged)> = (0..n)
                            .map(|k| if t % 2 == 0 { k } else { n - 1 - k })
                            .map(|k| (k + t * 750) % n)
                            .map(|i| (i, a.judge(&calls[i]).unwrap()))
                            .collect();
                        out.sort_by_key(|(i, _)| *i);
                        out.into_iter().map(|(_, j)| j).collect()
                    })
                })
                .collect();
            threads.into_iter().map(|t| t.join().unwrap()).collect()
        });
        for j in judged {
            assert_eq!(j, expected);
        }
        assert_eq!(
            shared.shared.terms().terms.len(),
            alone.shared.terms().terms.len()
        );
        let resolved = |a: &Auditor| a.shared.slots.iter().filter(|s| s.get().is_some()).count();
        assert_eq!(resolved(&shared), resolved(&alone));
        assert!(resolved(&alone) > 20);
    }

    #[test]
    fn call_columns_are_found_by_name_and_a_missing_one_is_named() {
        let names = |hs: &[&str]| hs.iter().map(|h| column_name(h)).collect::<Vec<_>>();
        let mut header: Vec<&str> = CALL_COLUMNS.iter().rev().copied().collect();
        header[0] = "\u{feff} Charged ";
        let found = call_columns(&names(&header)).unwrap();
        assert_eq!(found[..8], [7, 6, 5, 4, 3, 2, 1, 0].map(Some));
        assert_eq!(found[8], None, "account_id is optional");
        header.insert(3, "ACCOUNT_ID");
        assert_eq!(call_columns(&names(&header)).unwrap()[8], Some(3));
        header.retain(|h| *h != "started_at");
        let e = call_columns(&names(&header)).unwrap_err();
        assert!(
            e.starts_with("no `started_at` column; the columns are call_id, "),
            "{e}"
        );
    }

    /// Ids of any length and alphabet are found (short ones are kept in the key, longer ones
    /// apart) and reported as given.
    #[test]
    fn ids_short_long_and_not_ascii_are_found_and_reported() {
        let book = book();
        let ids = [
            "P",
            "sixteen-bytes-id",
            "a-facility-id-of-more-than-16-bytes",
            "Zoë",
        ];
        let facilities = ids
            .iter()
            .map(|id| facility(id, FacilityKind::Jail, 300, None))
            .collect();
        let a = Auditor::new(&book, facilities).unwrap();
        assert!(ids.iter().all(|id| a.knows(id)));
        assert!(!a.knows("sixteen-bytes-iD") && !a.knows("Zoe"));
        let mut run = AuditRun::new(a);
        for id in ids {
            let mut c = call(id, "2025-01-01", 60, INTER, "0.10");
            c.account_id = Some(id);
            assert_eq!(
                run.row(Ok(c)).unwrap().1.facility,
                ids.iter().position(|i| *i == id).unwrap()
            );
        }
        let r = run.report();
        let mut sorted = ids.map(str::to_string);
        sorted.sort();
        let accounts: Vec<String> = r.by_account.into_iter().map(|a| a.account_id).collect();
        assert_eq!(accounts, sorted);
        let months: Vec<String> = r
            .by_facility_month
            .into_iter()
            .map(|m| m.facility_id)
            .collect();
        assert_eq!(months, sorted);
    }

    #[test]
    fn months_are_written_as_format_writes_them() {
        for n in (-30i32..30).chain(24_000..24_400).chain(119_980..120_020) {
            let (year, month) = (n.div_euclid(12), n.rem_euclid(12) + 1);
            assert_eq!(month_text(n), format!("{year:04}-{month:02}"), "{n}");
        }
    }

    /// Facilities given out of the order of their ids, their calls out of the order of their
    /// months: the report's rows are in order of facility id, then month.
    #[test]
    fn facility_months_are_reported_in_order_of_id_then_month() {
        let book = book();
        let ids = ["m", "b", "x", "a"];
        let facilities = ids
            .iter()
            .map(|id| facility(id, FacilityKind::Jail, 300, None))
            .collect();
        let mut run = AuditRun::new(Auditor::new(&book, facilities).unwrap());
        for (i, day) in ["2025-07-01", "2019-02-11", "2024-12-31", "2021-01-05"]
            .iter()
            .cycle()
            .take(24)
            .enumerate()
        {
            run.row(Ok(call(ids[i % 4], day, 60, INTER, "1.00")))
                .unwrap();
        }
        let rows: Vec<(String, String)> = run
            .report()
            .by_facility_month
            .into_iter()
            .map(|m| (m.facility_id, m.month))
            .collect();
        let mut sorted = rows.clone();
        sorted.sort();
        assert_eq!(rows, sorted);
        assert_eq!(rows.len(), 4);
        assert_eq!(rows[0], ("a".to_string(), "2021-01".to_string()));
    }

    #[test]
    fn each_facility_has_its_own_contract_dates_not_the_others() {
        let book = book();
        let n = 2_000;
        let facilities: Vec<AuditFacility> = (0..n)
            .map(|i| {
                let mut f = facility(&format!("J{i}"), FacilityKind::Jail, 300, Some("IA"));
                let signed = d("2019-01-01") + chrono::Days::new(i);
                f.contract = Some(Contract {
                    signed,
                    ends: signed + chrono::Days::new(2_000),
                    basis: ContractBasis::Contractual,
                    line: 0,
                });
                f
            })
            .collect();
        let a = Auditor::new(&book, facilities).unwrap();
        // 6,000 distinct contract dates in all, at most 3 a facility: the cache grows with the
        // facilities, not with their product (which would be 2,000 × 6,000 slots).
        let every = a.changes.iter().map(Vec::len).min().unwrap();
        assert!(a.changes.iter().all(|c| c.len() <= every + 3));
        assert!(a.cache.len() <= n as usize * (every + 4) * KINDS);
        // A facility's spans start on its own contract's days.
        let c = a.facilities[7].contract.clone().unwrap();
        assert!(a.changes[7].contains(&c.signed) && a.changes[7].contains(&c.ends));
        assert!(!a.changes[8].contains(&c.signed));
    }

    #[test]
    fn compact_sums_past_their_limits_stay_exact() {
        let book = book();
        let facilities = vec![facility("P", FacilityKind::Prison, 5000, Some("CA"))];
        let mut a = Auditor::new(&book, facilities).unwrap();
        // $600 million twice passes an i64 of 10^-10 dollars (a spill into the wide totals);
        // $999,999,999.9999 is not one at all (the wide totals take it as it is).
        let charges = [
            "600000000",
            "0.0001",
            "600000000",
            "999999999.9999",
            "1.25",
            "600000000",
        ];
        let mut tally = Tally::default();
        let mut total = Decimal::ZERO;
        for (i, charged) in charges.iter().cycle().take(PENDING * 3 + 5).enumerate() {
            let mut c = call("P", "2026-06-01", 61 + i as u32, INTER, charged);
            c.account_id = Some(["A1", "an-account-id-longer-than-16"][i % 2]);
            let j = a.judge(&c).unwrap();
            tally.add(&c, &j);
            total += c.charged;
        }
        let r = tally.report();
        assert_eq!(r.summary.totals.charged, total);
        assert_eq!(r.by_facility_month.len(), 1);
        assert_eq!(r.by_facility_month[0].totals, r.summary.totals);
        let accounts: Decimal = r.by_account.iter().map(|x| x.totals.charged).sum();
        assert_eq!(accounts, total);
        assert_eq!(
            r.by_account.iter().map(|x| x.totals.calls).sum::<u64>(),
            r.summary.totals.calls
        );
        assert_eq!(r.by_account[1].account_id, "an-account-id-longer-than-16");
        // A count at its limit: the sum moves into the wide totals, and counts on.
        let p = Part {
            minutes: 3,
            charged: 1,
            capped: Some((2, 0)),
            unknown: true,
            assumed: false,
        };
        let mut sum = Sum {
            calls: u32::MAX,
            ..Sum::one(&p)
        };
        let mut wide = HashMap::default();
        add_sum(&mut sum, &Sum::one(&p), || Key::Summary, &mut wide);
        let mut t = wide[&Key::Summary].clone();
        t.merge(&sum.totals());
        assert_eq!(t.calls, u64::from(u32::MAX) + 1);
        assert_eq!(t.minutes_billed, 6);
        assert_eq!(t.calls_unknown_jurisdiction, 2);
    }

    #[test]
    fn accounts_summed_in_parts_give_each_account_its_calls() {
        let book = book();
        let facilities = vec![facility("P", FacilityKind::Prison, 5000, Some("CA"))];
        let mut a = Auditor::new(&book, facilities).unwrap();
        let ids: Vec<String> = (0..1000)
            .map(|i| format!("acct-{i}"))
            .chain(["an-account-id-longer-than-16-bytes".to_string()])
            .collect();
        // More calls than wait for their accounts at once (twice over), some not in a
        // sum's units ($0.00000000001), some without an account.
        let mut tally = Tally::default();
        let mut expected: std::collections::BTreeMap<String, Totals> = Default::default();
        let mut summary = Totals::default();
        for i in 0..ACCOUNTS_PENDING * 2 + 3 {
            let id = &ids[(i * 7919) % ids.len()];
            let mut c = call("P", "2026-06-01", 30 + (i % 900) as u32, INTER, "0");
            c.charged = match i % 1000 {
                999 => Decimal::new(1, 11),
                n => Decimal::new(n as i64, 2),
            };
            c.account_id = (i % 13 != 0).then_some(id.as_str());
            let j = a.judge(&c).unwrap();
            tally.add(&c, &j);
            summary.add(c.charged, &j);
            if let Some(id) = c.account_id {
                expected
                    .entry(id.to_string())
                    .or_default()
                    .add(c.charged, &j);
            }
        }
        let r = tally.report();
        assert_eq!(r.summary.totals, summary);
        let got: std::collections::BTreeMap<String, Totals> = r
            .by_account
            .into_iter()
            .map(|x| (x.account_id, x.totals))
            .collect();
        assert!(got.len() > 900 && got.contains_key(ids.last().unwrap()));
        assert_eq!(got, expected);
    }

    #[test]
    fn the_terms_table_gives_what_judge_gives_on_its_first_and_last_days() {
        let book = book();
        let mut a = Auditor::new(
            &book,
            vec![
                facility("P", FacilityKind::Prison, 5000, Some("CA")),
                facility("J", FacilityKind::Jail, 300, None),
            ],
        )
        .unwrap();
        let rows = a.terms_table();
        assert!(rows
            .iter()
            .any(|r| r.per_minute.is_some() && r.floor_minutes == 15));
        assert!(rows
            .iter()
            .any(|r| r.jurisdiction == CallJurisdiction::Unknown));
        for r in &rows {
            let last = r.until.and_then(|u| u.pred_opt());
            for day in [Some(r.from), last].into_iter().flatten() {
                for seconds in [59, 600, 1800] {
                    let c = CallRecord {
                        facility_id: &r.facility_id,
                        date: day,
                        duration_seconds: seconds,
                        service: r.service,
                        jurisdiction: r.jurisdiction,
                        payment: r.payment,
                        ..call("P", "2020-01-01", 0, INTER, "0")
                    };
                    let j = a.judge(&c).unwrap();
                    let minutes = seconds.div_ceil(60).max(r.floor_minutes);
                    let expected = r.per_minute.map(|p| p * Decimal::from(minutes));
                    assert_eq!(j.legal_max, expected, "{r:?} {day} {seconds}");
                    assert_eq!(j.basis, r.basis, "{r:?} {day}");
                }
            }
        }
    }

    #[test]
    fn bad_fields_name_their_column() {
        let ok = [
            Some("1"),
            Some("P"),
            Some("2025-01-01T23:30:00-05:00"),
            Some("61"),
            Some("Audio"),
            Some("unknown"),
            Some("debit"),
            Some("1.10"),
            None,
        ];
        let c = call_from_fields(ok).unwrap();
        assert_eq!(c.date, d("2025-01-01"));
        assert_eq!(c.jurisdiction, CallJurisdiction::Unknown);
        let mut bad = ok;
        bad[3] = Some("-5");
        assert_eq!(call_from_fields(bad).unwrap_err().0, "duration_seconds");
        let mut bad = ok;
        bad[2] = Some("2025-02-30");
        assert_eq!(call_from_fields(bad).unwrap_err().0, "started_at");
        let mut bad = ok;
        bad[7] = None;
        assert_eq!(
            call_from_fields(bad).unwrap_err(),
            ("charged", "missing".into())
        );
        let f = facility_from_fields(|c| match c {
            "facility_id" => Some("X"),
            "kind" => Some("jail"),
            "average_daily_population" => Some("ten"),
            _ => None,
        });
        assert_eq!(f.unwrap_err().0, "average_daily_population");
    }

    /// The facilities table's contract facts are held to the rules a tariff's `[contract]` is:
    /// all three or none, and an end after the day it was signed.
    #[test]
    fn a_facility_s_contract_ends_after_it_was_signed() {
        let row = |signed: &'static str, ends: &'static str, basis: &'static str| {
            facility_from_fields(move |c| match c {
                "facility_id" => Some("X"),
                "kind" => Some("jail"),
                "average_daily_population" => Some("300"),
                "contract_signed" => Some(signed),
                "contract_ends" => Some(ends),
                "contract_basis" => Some(basis),
                _ => None,
            })
        };
        let f = row("2023-01-01", "2026-12-31", "contractual").unwrap();
        let c = f.contract.unwrap();
        assert_eq!((c.signed, c.ends), (d("2023-01-01"), d("2026-12-31")));
        assert_eq!(row("", "", "").unwrap().contract, None);
        let (column, message) = row("2023-01-01", "2023-01-01", "contractual").unwrap_err();
        assert_eq!(column, "contract_ends");
        assert!(
            message.contains("not after it was signed (2023-01-01)"),
            "{message}"
        );
        assert_eq!(
            row("2023-01-01", "", "contractual").unwrap_err().0,
            "contract_signed"
        );
    }
}
