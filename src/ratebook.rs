//! The rate book: the FCC's rules as dated, cited data (the files under `rates/`).
//!
//! The bundled book is compiled into the library, so the browser build needs no files;
//! [`RateBook::load_dir`] reads a user's own copy. Loading is strict: unknown keys, bare
//! floats, impossible or duplicate dates, unknown source or tier ids, tier tables with gaps or
//! overlaps, and entries that contradict each other are all errors naming the file and line.

use crate::call::{CallKind, Jurisdiction, Payment, Service};
use crate::dated::Periods;
use crate::error::{Error, Result};
use crate::facility::{Facility, FacilityKind};
use crate::tariff::FeeKind;
use crate::toml_reader::{Doc, Field, Table, Word};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

/// The files of a rate book, in the order they are loaded.
pub const FILES: &[&str] = &[
    "sources.toml",
    "regimes.toml",
    "tiers.toml",
    "caps.toml",
    "facility_component.toml",
    "site_commissions.toml",
    "ancillary_fees.toml",
    "call_charges.toml",
    "never_effective.toml",
];

macro_rules! bundled_files {
    ($($name:literal),*) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/", $name)))),*]
    };
}

/// The rate book shipped with this version of callcap: (file name, contents).
pub const BUNDLED: &[(&str, &str)] = bundled_files!(
    "sources.toml",
    "regimes.toml",
    "tiers.toml",
    "caps.toml",
    "facility_component.toml",
    "site_commissions.toml",
    "ancillary_fees.toml",
    "call_charges.toml",
    "never_effective.toml"
);

/// How sure the sources are of a value (see `rates/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Read in rule text.
    High,
    /// Consistent secondary sources, not read in rule text.
    Medium,
    /// A single secondary source, conflicting sources, or an unclear rule.
    Low,
}

/// How sure a finding is meant to be: a violation, a warning, or information.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Breaks a rule in force.
    Violation,
    /// Probably breaks a rule, or breaks one whose text is uncertain.
    Warning,
    /// Worth knowing; not a breach.
    Info,
}

/// What a facility component may add to the per-minute cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// Only the per-minute site commission actually paid, up to the amount.
    SiteCommission,
    /// A flat additive any provider may charge.
    Always,
}

/// The FCC's rule on per-call (connection) and first-minute charges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PerCallRule {
    /// No federal rule.
    NotRegulated,
    /// Per-call and first-minute surcharges are banned.
    Prohibited,
    /// Allowed if a call of `equivalence_minutes`, with them, costs no more than that many
    /// minutes at the cap (FCC 13-113).
    FifteenMinuteEquivalence,
}

/// The words files use for the rate book's own vocabularies.
macro_rules! words {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl Word for $name {
            fn all() -> &'static [Self] {
                &[$($name::$variant),+]
            }
            fn word(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }
        }
    };
}

words!(Confidence { High = "high", Medium = "medium", Low = "low" });
words!(Severity { Violation = "violation", Warning = "warning", Info = "info" });
words!(Applies { SiteCommission = "site_commission", Always = "always" });
words!(PerCallRule {
    NotRegulated = "not_regulated",
    Prohibited = "prohibited",
    FifteenMinuteEquivalence = "fifteen_minute_equivalence",
});

crate::pack::packed! {
    /// A source document.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize)]
    pub struct SourceDoc {
        /// Its title.
        pub title: String,
        /// The document number, e.g. `FCC 21-60`.
        pub document: String,
        /// Federal Register citation, e.g. `86 FR 40682 (2021-07-28)`.
        #[serde(skip_serializing_if = "Option::is_none")]
        pub federal_register: Option<String>,
        /// Where to read it.
        pub link: String,
    }
}

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
    pub note: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The files as written.

/// Reads one field of a table: `req READ` (required), `opt READ` (optional), `flag` (a bool,
/// false when absent), `list READ` (a required list of tables, each read by READ).
macro_rules! read_field {
    ($t:ident, $key:expr, req $read:expr) => {
        $t.req($key, $read)?
    };
    ($t:ident, $key:expr, opt $read:expr) => {
        $t.opt($key, $read)?
    };
    ($t:ident, $key:expr, flag) => {
        $t.opt($key, Field::bool)?.unwrap_or(false)
    };
    ($t:ident, $key:expr, list $read:expr) => {
        $t.need($key)?
            .tables()?
            .into_iter()
            .map($read)
            .collect::<Result<Vec<_>>>()?
    };
}

macro_rules! cited_period {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty = $mode:ident $($read:expr)?),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        struct $name {
            source: String,
            citation: String,
            confidence: Confidence,
            note: Option<String>,
            $($field: $ty),*
        }
        impl $name {
            fn read(t: Table) -> Result<Self> {
                t.keys(&["source", "citation", "confidence", "note", $(stringify!($field)),*])?;
                Ok($name {
                    source: t.req("source", Field::string)?,
                    citation: t.req("citation", Field::string)?,
                    confidence: t.req("confidence", Field::word)?,
                    note: t.opt("note", Field::string)?,
                    $($field: read_field!(t, stringify!($field), $mode $($read)?)),*
                })
            }
        }
        crate::pack::packed!($name {
            source: String,
            citation: String,
            confidence: Confidence,
            note: Option<String>,
            $($field: $ty),*
        });
        impl Cited for $name {
            fn cite(&self) -> Cite<'_> {
                Cite { source: Some(&self.source), citation: Some(&self.citation),
                       confidence: Some(self.confidence), note: self.note.as_deref() }
            }
        }
    };
}

macro_rules! cited_entry {
    ($(#[$m:meta])* $name:ident { $($field:ident : $ty:ty = $mode:ident $($read:expr)?),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        struct $name {
            source: Option<String>,
            citation: Option<String>,
            confidence: Option<Confidence>,
            note: Option<String>,
            $($field: $ty),*
        }
        impl $name {
            fn read(t: Table) -> Result<Self> {
                t.keys(&["source", "citation", "confidence", "note", $(stringify!($field)),*])?;
                Ok($name {
                    source: t.opt("source", Field::string)?,
                    citation: t.opt("citation", Field::string)?,
                    confidence: t.opt("confidence", Field::word)?,
                    note: t.opt("note", Field::string)?,
                    $($field: read_field!(t, stringify!($field), $mode $($read)?)),*
                })
            }
        }
        crate::pack::packed!($name {
            source: Option<String>,
            citation: Option<String>,
            confidence: Option<Confidence>,
            note: Option<String>,
            $($field: $ty),*
        });
        impl Cited for $name {
            fn cite(&self) -> Cite<'_> {
                Cite { source: self.source.as_deref(), citation: self.citation.as_deref(),
                       confidence: self.confidence, note: self.note.as_deref() }
            }
        }
    };
}

/// The citation fields of a period or an entry (an entry's override only what it sets).
#[derive(Debug, Clone, Copy, Default)]
struct Cite<'a> {
    source: Option<&'a str>,
    citation: Option<&'a str>,
    confidence: Option<Confidence>,
    note: Option<&'a str>,
}

trait Cited {
    fn cite(&self) -> Cite<'_>;
}

/// A whole number of a `u32` field (`adp_min`, `equivalence_minutes`).
fn whole(f: Field) -> Result<u32> {
    let n = f.int()?;
    u32::try_from(n).map_err(|_| {
        f.err(format!(
            "`{n}` must be a whole number from 0 to {}",
            u32::MAX
        ))
    })
}

cited_period!(RegimePeriod {
    regime: String = req Field::string,
    name: String = req Field::string,
});

cited_period!(TierPeriod { tier: Vec<TierDef> = list TierDef::read });

cited_entry!(TierDef {
    id: String = req Field::string,
    name: String = req Field::string,
    kind: FacilityKind = req Field::word,
    adp_min: u32 = req whole,
    adp_max: Option<u32> = opt whole,
});

cited_period!(CapPeriod { cap: Vec<CapDef> = list CapDef::read });

cited_entry!(CapDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    jurisdictions: Option<Vec<Jurisdiction>> = opt Field::words,
    payments: Option<Vec<Payment>> = opt Field::words,
    per_minute: Decimal = req Field::amount,
    plus_termination_cost: bool = flag,
});

cited_period!(ComponentPeriod { component: Vec<ComponentDef> = list ComponentDef::read });

cited_entry!(ComponentDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    amount: Decimal = req Field::amount,
    applies: Applies = req Field::word,
    legally_mandated_max_total: Option<Decimal> = opt Field::amount,
});

cited_period!(CommissionPeriod { rule: Vec<CommissionDef> = list CommissionDef::read });

cited_entry!(CommissionDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    allowed: bool = req Field::bool,
});

cited_period!(FeePeriod {
    percent_fee_reference_deposit: Option<Decimal> = opt Field::amount,
    fee: Vec<FeeDef> = list FeeDef::read,
});

cited_entry!(FeeDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    kinds: Vec<FeeKind> = req Field::words,
    allowed: bool = req Field::bool,
    limit: Option<Decimal> = opt Field::amount,
    pass_through: bool = flag,
});

cited_period!(CallChargePeriod { rule: Vec<CallChargeDef> = list CallChargeDef::read });

cited_entry!(CallChargeDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    jurisdictions: Option<Vec<Jurisdiction>> = opt Field::words,
    per_call: PerCallRule = req Field::word,
    equivalence_minutes: Option<u32> = opt whole,
    max_billing_increment_seconds: Option<u32> = opt whole,
    billing_increment_severity: Option<Severity> = opt Field::word,
});

cited_period!(NeverEffectiveOrder {
    name: String = req Field::string,
    from: NaiveDate = req Field::date,
    to: NaiveDate = req Field::date,
    tier: Vec<TierDef> = list TierDef::read,
    cap: Vec<CapDef> = list CapDef::read,
});

crate::pack::pack_words!(
    Confidence,
    Severity,
    Applies,
    PerCallRule,
    FacilityKind,
    Service,
    Jurisdiction,
    Payment,
    FeeKind,
);

impl SourceDoc {
    fn read(t: Table) -> Result<SourceDoc> {
        t.keys(&["title", "document", "federal_register", "link"])?;
        Ok(SourceDoc {
            title: t.req("title", Field::string)?,
            document: t.req("document", Field::string)?,
            federal_register: t.opt("federal_register", Field::string)?,
            link: t.req("link", Field::string)?,
        })
    }
}

/// A file holding one map of tables by id (`[sources.ID]`, `[orders.ID]`).
fn by_id<T>(
    file: &str,
    text: &str,
    key: &str,
    read: impl Fn(Table) -> Result<T>,
) -> Result<BTreeMap<String, T>> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&[key])?;
    let map = root.need(key)?.table()?;
    map.entries()
        .into_iter()
        .map(|(id, f)| Ok((id.to_string(), read(f.table()?)?)))
        .collect()
}

/// A file of tables by the day they take effect (`[periods.2021-10-26]`).
fn periods<T>(file: &str, text: &str, read: impl FnMut(Table) -> Result<T>) -> Result<Periods<T>> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&["periods"])?;
    Ok(Periods::from(root.need("periods")?.table()?.dated(read)?))
}

fn selected<T: PartialEq>(selector: &Option<Vec<T>>, value: &T) -> bool {
    selector.as_ref().is_none_or(|list| list.contains(value))
}

// ---------------------------------------------------------------------------------------------
// The loaded book.

crate::pack::packed! {
    /// The FCC's rules over time, loaded and checked.
    #[derive(Debug, Clone, PartialEq)]
    pub struct RateBook {
        sources: BTreeMap<String, SourceDoc>,
        regimes: Periods<RegimePeriod>,
        tiers: Periods<TierPeriod>,
        caps: Periods<CapPeriod>,
        components: Periods<ComponentPeriod>,
        commissions: Periods<CommissionPeriod>,
        fees: Periods<FeePeriod>,
        call_charges: Periods<CallChargePeriod>,
        never_effective: BTreeMap<String, NeverEffectiveOrder>,
        /// Where it was loaded from (`bundled` or a directory).
        pub origin: String,
    }
}

/// The bundled book, read, validated and packed (see [`crate::pack`]).
const PACKED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/bundled.pack"));

/// The path of [`PACKED`], for messages.
const PACKED_PATH: &str = "rates/bundled.pack";

/// What [`PACKED`] must have been made from: the layout of the book's types and the bundled
/// TOML files. Computed by the compiler.
const BUNDLED_FINGERPRINT: u64 = {
    let mut h = <RateBook as crate::pack::Pack>::FINGERPRINT;
    let mut i = 0;
    while i < BUNDLED.len() {
        h = crate::pack::fnv(h, BUNDLED[i].0.as_bytes());
        h = crate::pack::fnv(h, BUNDLED[i].1.as_bytes());
        i += 1;
    }
    h
};

/// True when [`PACKED`] is the bundled TOML, read by the types being compiled. When false,
/// [`RateBook::bundled`] reads the TOML instead, and a test fails until the pack is regenerated.
const PACK_IS_FRESH: bool = crate::pack::recorded(PACKED) == BUNDLED_FINGERPRINT;

impl RateBook {
    /// The rate book bundled with this version of callcap.
    ///
    /// Read from its pack (`rates/bundled.pack`: the same files, read and validated when the
    /// pack was generated), or from the TOML files when the pack is out of date.
    pub fn bundled() -> Result<RateBook> {
        if PACK_IS_FRESH {
            return RateBook::unpack_bundled(PACKED).ok_or_else(|| {
                Error::file(
                    PACKED_PATH,
                    "the packed rate book is damaged; regenerate it: CALLCAP_UPDATE_PACK=1 cargo test --lib bundled_pack",
                )
            });
        }
        RateBook::from_files(BUNDLED.iter().copied(), "bundled")
    }

    /// Reads a whole pack; `None` unless it holds a book and nothing after it.
    fn unpack_bundled(bytes: &[u8]) -> Option<RateBook> {
        let mut r = crate::pack::Reader::open(bytes)?;
        let book = <RateBook as crate::pack::Pack>::unpack(&mut r)?;
        r.is_done().then_some(book)
    }

    /// The pack of this book, stamped with the bundled files' fingerprint.
    #[cfg(test)]
    fn pack_bundled(&self) -> Vec<u8> {
        let mut out = crate::pack::header(BUNDLED_FINGERPRINT);
        crate::pack::Pack::pack(self, &mut out);
        out
    }

    /// Loads a rate book from a directory holding the files listed in [`FILES`].
    pub fn load_dir(dir: &Path) -> Result<RateBook> {
        let mut texts = Vec::with_capacity(FILES.len());
        for name in FILES {
            let path = dir.join(name);
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Error::file(path.display().to_string(), format!("cannot read: {e}"))
            })?;
            texts.push((path.display().to_string(), text));
        }
        RateBook::from_files(
            texts.iter().map(|(n, t)| (n.as_str(), t.as_str())),
            &dir.display().to_string(),
        )
    }

    /// Loads a rate book from (file name, contents) pairs in the order of [`FILES`].
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: &str,
    ) -> Result<RateBook> {
        let files: Vec<(&str, &str)> = files.into_iter().collect();
        if files.len() != FILES.len() {
            return Err(Error::file(
                origin,
                format!(
                    "a rate book has {} files: {}",
                    FILES.len(),
                    FILES.join(", ")
                ),
            ));
        }
        let f = |i: usize| files[i];
        let book = RateBook {
            sources: by_id(f(0).0, f(0).1, "sources", SourceDoc::read)?,
            regimes: periods(f(1).0, f(1).1, RegimePeriod::read)?,
            tiers: periods(f(2).0, f(2).1, TierPeriod::read)?,
            caps: periods(f(3).0, f(3).1, CapPeriod::read)?,
            components: periods(f(4).0, f(4).1, ComponentPeriod::read)?,
            commissions: periods(f(5).0, f(5).1, CommissionPeriod::read)?,
            fees: periods(f(6).0, f(6).1, FeePeriod::read)?,
            call_charges: periods(f(7).0, f(7).1, CallChargePeriod::read)?,
            never_effective: by_id(f(8).0, f(8).1, "orders", NeverEffectiveOrder::read)?,
            origin: origin.to_string(),
        };
        book.validate(&files)?;
        Ok(book)
    }

    /// Every date on which some rule changes, in order.
    pub fn change_dates(&self) -> Vec<NaiveDate> {
        let mut dates = BTreeSet::new();
        dates.extend(self.regimes.dates());
        dates.extend(self.tiers.dates());
        dates.extend(self.caps.dates());
        dates.extend(self.components.dates());
        dates.extend(self.commissions.dates());
        dates.extend(self.fees.dates());
        dates.extend(self.call_charges.dates());
        dates.into_iter().collect()
    }

    /// Every source document, by id.
    pub fn sources(&self) -> &BTreeMap<String, SourceDoc> {
        &self.sources
    }

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

    /// The id of the tier `facility` falls in on `date` (none before the first tier table).
    pub fn tier_id(&self, date: NaiveDate, facility: &Facility) -> Option<&str> {
        self.tiers.at(date).and_then(|(_, p)| {
            p.tier
                .iter()
                .find(|t| t.kind == facility.kind && in_tier(t, facility.average_daily_population))
                .map(|t| t.id.as_str())
        })
    }

    /// The rules in force on `date` for calls from `facility`.
    pub fn rules(&self, date: NaiveDate, facility: &Facility) -> Rules {
        let adp = facility.average_daily_population;
        let tier = self.tiers.at(date).and_then(|(_, p)| {
            p.tier
                .iter()
                .find(|t| t.kind == facility.kind && in_tier(t, adp))
        });
        let tier_id = tier.map(|t| t.id.clone());
        let on_tier =
            |sel: &Option<Vec<String>>| tier_id.as_ref().is_some_and(|id| selected(sel, id));
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
                        limit: f.limit,
                        pass_through: f.pass_through,
                        provenance: Some(self.provenance(d, p.cite(), f.cite())),
                    },
                    None => FeeRule {
                        kind,
                        regulated: false,
                        allowed: true,
                        limit: None,
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
                            billing_increment_severity: r
                                .billing_increment_severity
                                .unwrap_or(Severity::Warning),
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
                let tier = o
                    .tier
                    .iter()
                    .find(|t| t.kind == facility.kind && in_tier(t, adp));
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
            date,
            regime,
            facility: FacilityTier {
                kind: facility.kind,
                average_daily_population: adp,
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

fn in_tier(t: &TierDef, adp: u32) -> bool {
    adp >= t.adp_min && t.adp_max.is_none_or(|max| adp <= max)
}

// ---------------------------------------------------------------------------------------------
// Validation.

struct Validator<'a> {
    book: &'a RateBook,
    files: &'a [(&'a str, &'a str)],
}

impl Validator<'_> {
    /// An error at the header of `[periods.DATE]` (or the first line naming the date).
    fn at_period(&self, file: usize, date: NaiveDate, message: String) -> Error {
        let (name, text) = self.files[file];
        let needle = date.to_string();
        match text.find(&needle) {
            Some(off) => Error::at(name, text, off, message),
            None => Error::file(name, message),
        }
    }

    fn at_text(&self, file: usize, needle: &str, message: String) -> Error {
        let (name, text) = self.files[file];
        match text.find(needle) {
            Some(off) => Error::at(name, text, off, message),
            None => Error::file(name, message),
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

    /// Checks the source ids of every period of a file and of its entries.
    fn sources<T: Cited>(
        &self,
        file: usize,
        periods: &Periods<T>,
        entries: impl Fn(&T) -> Vec<Cite<'_>>,
    ) -> Result<()> {
        for (date, p) in periods.iter() {
            self.source(file, date, p.cite())?;
            for cite in entries(p) {
                self.source(file, date, cite)?;
            }
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
    fn validate(&self, files: &[(&str, &str)]) -> Result<()> {
        let v = Validator { book: self, files };
        v.sources(1, &self.regimes, |_| Vec::new())?;
        v.sources(2, &self.tiers, |p| p.tier.iter().map(Cited::cite).collect())?;
        for (date, p) in self.tiers.iter() {
            tier_gaps(&p.tier).map_err(|m| v.at_period(2, date, m))?;
        }
        v.sources(3, &self.caps, |p| p.cap.iter().map(Cited::cite).collect())?;
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
        v.sources(4, &self.components, |p| {
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
        v.sources(5, &self.commissions, |p| {
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
        v.sources(6, &self.fees, |p| p.fee.iter().map(Cited::cite).collect())?;
        v.each_tier(6, &self.fees, |p| p.fee.iter().map(|f| &f.tiers).collect(), |on, p, t| {
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
        v.sources(7, &self.call_charges, |p| {
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
                if r.billing_increment_severity.is_some()
                    && r.max_billing_increment_seconds.is_none()
                {
                    return Err(v.at_period(
                        7,
                        date,
                        "billing_increment_severity needs max_billing_increment_seconds".into(),
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
            let here = |m: String| v.at_text(8, &format!("orders.{id}"), m);
            if let Some(s) = o.cite().source.filter(|s| !self.sources.contains_key(*s)) {
                return Err(here(format!("unknown source `{s}`")));
            }
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
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// The rules in force, resolved for one date and facility.

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
#[derive(Debug, Clone, Serialize)]
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

/// The rule on one kind of ancillary fee.
#[derive(Debug, Clone, Serialize)]
pub struct FeeRule {
    /// Which fee.
    pub kind: FeeKind,
    /// Whether any federal rule covered it.
    pub regulated: bool,
    /// Whether it may be charged.
    pub allowed: bool,
    /// The most per use, if capped.
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub limit: Option<Decimal>,
    /// Only the third party's own charge, without markup.
    pub pass_through: bool,
    /// Where the rule comes from.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
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

impl SiteCommissionRule {
    fn unregulated() -> Self {
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
    /// Longer billing increments bill for time not used.
    pub max_billing_increment_seconds: Option<u32>,
    /// How a longer increment is reported.
    pub billing_increment_severity: Severity,
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

/// Everything in force on one date for one facility, with sources.
#[derive(Debug, Clone, Serialize)]
pub struct Rules {
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
    /// Whether site commissions may be paid.
    pub site_commissions: SiteCommissionRule,
    /// Per-call / first-minute / billing-increment rules by service and jurisdiction.
    pub call_charges: Vec<CallChargeRule>,
    /// Orders adopted but never in force whose span covers the date.
    pub never_effective: Vec<NeverEffective>,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The bundled book read from its TOML files (validated), as the generator reads it.
    fn from_toml() -> RateBook {
        RateBook::from_files(BUNDLED.iter().copied(), "bundled").expect("the bundled TOML loads")
    }

    /// The generator and the guard of `rates/bundled.pack`: it must be exactly the pack of the
    /// bundled TOML files. `CALLCAP_UPDATE_PACK=1` rewrites it.
    #[test]
    fn bundled_pack_is_current() {
        let fresh = from_toml().pack_bundled();
        if fresh == PACKED && PACK_IS_FRESH {
            return;
        }
        if std::env::var_os("CALLCAP_UPDATE_PACK").is_some() {
            let path = concat!(env!("CARGO_MANIFEST_DIR"), "/rates/bundled.pack");
            std::fs::write(path, &fresh).expect("write rates/bundled.pack");
            eprintln!("wrote {path} ({} bytes); rebuild to use it", fresh.len());
            return;
        }
        panic!(
            "rates/bundled.pack is out of date with rates/*.toml or the rate book's types \
             (callcap reads the TOML until it is regenerated); run:\n  \
             CALLCAP_UPDATE_PACK=1 cargo test --lib bundled_pack"
        );
    }

    #[test]
    fn the_pack_reads_back_as_the_toml_book() {
        let book = from_toml();
        assert_eq!(
            RateBook::unpack_bundled(&book.pack_bundled()),
            Some(book.clone())
        );
        // What `bundled()` returns, packed or not, is the TOML book.
        assert_eq!(RateBook::bundled().expect("bundled"), book);
    }

    #[test]
    fn a_damaged_pack_is_refused_not_misread() {
        let pack = from_toml().pack_bundled();
        // Cut short anywhere (sampled), or with a byte after the end.
        for cut in (0..pack.len()).step_by(37) {
            assert_eq!(RateBook::unpack_bundled(&pack[..cut]), None, "cut at {cut}");
        }
        let mut longer = pack.clone();
        longer.push(0);
        assert_eq!(RateBook::unpack_bundled(&longer), None);
        // A vocabulary word that is not one (the first `high` becomes `hig!`).
        let at = pack
            .windows(4)
            .position(|w| w == b"high")
            .expect("a confidence word");
        let mut bad = pack.clone();
        bad[at + 3] = b'!';
        assert_eq!(RateBook::unpack_bundled(&bad), None);
    }

    #[test]
    fn the_fingerprint_follows_the_files_and_the_types() {
        let mut h = <RateBook as crate::pack::Pack>::FINGERPRINT;
        for (name, text) in BUNDLED {
            h = crate::pack::fnv(h, name.as_bytes());
            h = crate::pack::fnv(h, text.as_bytes());
        }
        assert_eq!(h, BUNDLED_FINGERPRINT);
        // A changed layout (a field's type) changes the types' fingerprint.
        assert_ne!(
            <CapDef as crate::pack::Pack>::FINGERPRINT,
            <ComponentDef as crate::pack::Pack>::FINGERPRINT
        );
        assert_ne!(
            <Vec<u32> as crate::pack::Pack>::FINGERPRINT,
            <Option<u32> as crate::pack::Pack>::FINGERPRINT
        );
    }
}
