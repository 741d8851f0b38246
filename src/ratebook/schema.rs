//! The files as written: the list of a rate book's files, and the period and entry types that
//! each file's tables are read into (strictly: unknown keys, bare floats and impossible dates
//! are errors), with the macros that define and read them.

use super::words::{Applies, Concept, Confidence, ContractBasis, PerCallRule, Severity};
use crate::call::{Jurisdiction, Payment, Service};
use crate::dated::Periods;
use crate::error::{Location, Result};
use crate::facility::FacilityKind;
use crate::toml_reader::{Doc, Field, Table};
use crate::vocab::FeeKind;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Defines [`FILES`], [`STATE_FILES`] and [`BUNDLED`] from one list of names, so they cannot
/// drift apart.
macro_rules! bundled_files {
    (files: $($name:literal),* ; states: $($state:literal),* $(,)?) => {
        /// The files every rate book has, in the order they are loaded (the FCC's rules, the
        /// list of states, the edition). A book may also have state files (`states/XX.toml`),
        /// after these.
        pub const FILES: &[&str] = &[$($name),*];

        /// The state files of the bundled book (`states/XX.toml`, one per state with rules).
        pub const STATE_FILES: &[&str] = &[$($state),*];

        /// The rate book shipped with this version of callcap: (file name, contents), the
        /// [`FILES`] in order, then the [`STATE_FILES`].
        pub const BUNDLED: &[(&str, &str)] = &[
            $(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/", $name)))),*,
            $(($state, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/", $state)))),*
        ];
    };
}

bundled_files!(
    files:
    "sources.toml",
    "regimes.toml",
    "tiers.toml",
    "caps.toml",
    "facility_component.toml",
    "site_commissions.toml",
    "ancillary_fees.toml",
    "call_charges.toml",
    "never_effective.toml",
    "contract_exceptions.toml",
    "states.toml",
    "edition.toml";
    states:
    "states/AL.toml",
    "states/CA.toml",
    "states/CO.toml",
    "states/CT.toml",
    "states/FL.toml",
    "states/IL.toml",
    "states/IN.toml",
    "states/KY.toml",
    "states/MA.toml",
    "states/MN.toml",
    "states/NJ.toml",
    "states/NM.toml",
    "states/NY.toml",
    "states/RI.toml",
    "states/TX.toml",
    "states/VA.toml",
    "states/WI.toml",
);

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
    pub link: Arc<str>,
    /// How a provenance names it: the document, with its Federal Register citation when
    /// known (`FCC 21-60, 86 FR 40682 (2021-07-28)`). Made once, when the document is read,
    /// and shared by every value citing it, not formatted for each (provenance was a third of
    /// the time an audit of 1 million calls spent resolving the rules, perf). Not packed: made
    /// again when a pack is read.
    #[serde(skip)]
    pub(crate) label: Arc<str>,
}

/// A [`SourceDoc`] as packed: without its label.
struct PackedSource {
    title: String,
    document: String,
    federal_register: Option<String>,
    link: Arc<str>,
}
crate::pack::packed!(PackedSource {
    title: String,
    document: String,
    federal_register: Option<String>,
    link: Arc<str>,
});

impl crate::pack::Pack for SourceDoc {
    const FINGERPRINT: u64 = <PackedSource as crate::pack::Pack>::FINGERPRINT;
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        let packed = PackedSource {
            title: self.title.clone(),
            document: self.document.clone(),
            federal_register: self.federal_register.clone(),
            link: self.link.clone(),
        };
        crate::pack::Pack::pack(&packed, out);
    }
    fn unpack(r: &mut crate::pack::Reader<'_>) -> Option<Self> {
        let p = <PackedSource as crate::pack::Pack>::unpack(r)?;
        Some(SourceDoc::new(
            p.title,
            p.document,
            p.federal_register,
            p.link,
        ))
    }
}

impl SourceDoc {
    /// A document, named as a provenance names it.
    pub(crate) fn new(
        title: String,
        document: String,
        federal_register: Option<String>,
        link: impl Into<Arc<str>>,
    ) -> SourceDoc {
        let label = match &federal_register {
            Some(fr) => format!("{document}, {fr}").into(),
            None => document.as_str().into(),
        };
        SourceDoc {
            title,
            document,
            federal_register,
            link: link.into(),
            label,
        }
    }
}

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

/// Defines a cited table of a file, with its reader, its pack and its `Cite`:
/// `cited!(period NAME { ... })`, a dated period, whose `source`, `citation` and `confidence`
/// are required; `cited!(entry NAME { ... })`, an entry of a period, where each is optional and
/// overrides its period's. Each further field is `name: Type = MODE READ` (see `read_field!`).
macro_rules! cited {
    (period $($rest:tt)*) => {
        cited!(@ [String, Arc<str>, Confidence, req] $($rest)*);
    };
    (entry $($rest:tt)*) => {
        cited!(@ [Option<String>, Option<Arc<str>>, Option<Confidence>, opt] $($rest)*);
    };
    (@ [$text:ty, $shared:ty, $confidence:ty, $cited:ident]
     $(#[$m:meta])* $name:ident { $($field:ident : $ty:ty = $mode:ident $($read:expr)?),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq)]
        pub(super) struct $name {
            pub(super) source: $text,
            pub(super) citation: $shared,
            pub(super) confidence: $confidence,
            pub(super) note: Option<Arc<str>>,
            $(pub(super) $field: $ty),*
        }
        impl $name {
            pub(super) fn read(t: Table) -> Result<Self> {
                t.keys(&["source", "citation", "confidence", "note", $(stringify!($field)),*])?;
                Ok($name {
                    source: read_field!(t, "source", $cited Field::string),
                    citation: read_field!(t, "citation", $cited shared),
                    confidence: read_field!(t, "confidence", $cited Field::word),
                    note: t.opt("note", shared)?,
                    $($field: read_field!(t, stringify!($field), $mode $($read)?)),*
                })
            }
        }
        crate::pack::packed!($name {
            source: $text,
            citation: $shared,
            confidence: $confidence,
            note: Option<Arc<str>>,
            $($field: $ty),*
        });
        impl Cited for $name {
            fn cite(&self) -> Cite<'_> {
                // `Option::from` takes a period's value (into `Some`) and an entry's `Option`
                // (as it is) alike.
                Cite {
                    source: Option::<&String>::from(&self.source).map(String::as_str),
                    citation: Option::from(&self.citation),
                    confidence: Option::from(self.confidence),
                    note: self.note.as_ref(),
                }
            }
        }
    };
}

/// A text field kept as shared text: a citation or a note, which every value resolved from it
/// shares rather than copies (the copies were a fifth of the instructions an audit of 1 million
/// calls spent resolving the rules: 774 M, then 614 M shared, callgrind).
fn shared(f: Field) -> Result<Arc<str>> {
    f.string().map(Into::into)
}

/// The citation fields of a period or an entry (an entry's override only what it sets).
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Cite<'a> {
    pub(super) source: Option<&'a str>,
    pub(super) citation: Option<&'a Arc<str>>,
    pub(super) confidence: Option<Confidence>,
    pub(super) note: Option<&'a Arc<str>>,
}

pub(super) trait Cited {
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

cited!(period RegimePeriod {
    regime: String = req Field::string,
    name: String = req Field::string,
});

cited!(period TierPeriod { tier: Vec<TierDef> = list TierDef::read });

cited!(entry TierDef {
    id: String = req Field::string,
    name: String = req Field::string,
    kind: FacilityKind = req Field::word,
    adp_min: u32 = req whole,
    adp_max: Option<u32> = opt whole,
});

cited!(period CapPeriod { cap: Vec<CapDef> = list CapDef::read });

cited!(entry CapDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    jurisdictions: Option<Vec<Jurisdiction>> = opt Field::words,
    payments: Option<Vec<Payment>> = opt Field::words,
    per_minute: Decimal = req Field::amount,
    plus_termination_cost: bool = flag,
});

cited!(period ComponentPeriod { component: Vec<ComponentDef> = list ComponentDef::read });

cited!(entry ComponentDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    amount: Decimal = req Field::amount,
    applies: Applies = req Field::word,
    legally_mandated_max_total: Option<Decimal> = opt Field::amount,
});

cited!(period CommissionPeriod { rule: Vec<CommissionDef> = list CommissionDef::read });

cited!(entry CommissionDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    allowed: bool = req Field::bool,
});

cited!(period FeePeriod {
    percent_fee_reference_deposit: Option<Decimal> = opt Field::amount,
    fee: Vec<FeeDef> = list FeeDef::read,
    taxes: Option<Vec<TaxDef>> = opt |f: Field| {
        f.tables()?.into_iter().map(TaxDef::read).collect::<Result<Vec<_>>>()
    },
});

cited!(entry TaxDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    jurisdictions: Option<Vec<Jurisdiction>> = opt Field::words,
});

cited!(entry FeeDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    kinds: Vec<FeeKind> = req Field::words,
    allowed: bool = req Field::bool,
    limit: Option<Decimal> = opt Field::amount,
    limit_automated_payment: Option<Decimal> = opt Field::amount,
    limit_live_agent: Option<Decimal> = opt Field::amount,
    pass_through: bool = flag,
});

cited!(period CallChargePeriod { rule: Vec<CallChargeDef> = list CallChargeDef::read });

cited!(entry CallChargeDef {
    tiers: Option<Vec<String>> = opt Field::strings,
    services: Option<Vec<Service>> = opt Field::words,
    jurisdictions: Option<Vec<Jurisdiction>> = opt Field::words,
    per_call: PerCallRule = req Field::word,
    equivalence_minutes: Option<u32> = opt whole,
    max_billing_increment_seconds: Option<u32> = opt whole,
});

cited!(period NeverEffectiveOrder {
    name: String = req Field::string,
    from: NaiveDate = req Field::date,
    to: NaiveDate = req Field::date,
    tier: Vec<TierDef> = list TierDef::read,
    cap: Vec<CapDef> = list CapDef::read,
});

cited!(period ExceptionDef {
    name: String = req Field::string,
    basis: ContractBasis = req Field::word,
    existing_on: NaiveDate = req Field::date,
    regimes: Vec<String> = req Field::strings,
    defers: Vec<Concept> = req Field::words,
    window: Vec<ExceptionWindow> = list ExceptionWindow::read,
});

cited!(entry ExceptionWindow {
    tiers: Vec<String> = req Field::strings,
    from: NaiveDate = req Field::date,
    expires_on_or_after: NaiveDate = req Field::date,
    until: NaiveDate = req Field::date,
});

crate::pack::pack_words!(
    Confidence,
    ContractBasis,
    Concept,
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
    pub(super) fn read(t: Table) -> Result<SourceDoc> {
        t.keys(&["title", "document", "federal_register", "link"])?;
        Ok(SourceDoc::new(
            t.req("title", Field::string)?,
            t.req("document", Field::string)?,
            t.opt("federal_register", Field::string)?,
            t.req("link", Field::string)?,
        ))
    }
}

/// Where each table of a file is (`[periods.DATE]` by its date, `[orders.ID]` by its id), for
/// the validation that runs once every file is read.
pub(super) type Places = BTreeMap<String, Location>;

/// A file holding one map of tables by id (`[sources.ID]`, `[orders.ID]`).
pub(super) fn by_id<T>(
    file: &str,
    text: &str,
    key: &str,
    places: &mut Places,
    read: impl Fn(Table) -> Result<T>,
) -> Result<BTreeMap<String, T>> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&[key])?;
    let map = root.need(key)?.table()?;
    map.entries()
        .into_iter()
        .map(|(id, f)| {
            let t = f.table()?;
            places.insert(id.to_string(), t.spot().location());
            Ok((id.to_string(), read(t)?))
        })
        .collect()
}

/// The rate book's edition (`edition.toml`): the day of its last change, which every answer
/// reports beside callcap's version (`rates/CHANGELOG.md` says what changed).
pub(super) fn edition(file: &str, text: &str) -> Result<NaiveDate> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&["edition"])?;
    root.req("edition", Field::date)
}

/// A file of tables by the day they take effect (`[periods.2021-10-26]`).
pub(super) fn periods<T>(
    file: &str,
    text: &str,
    places: &mut Places,
    read: impl FnMut(Table) -> Result<T>,
) -> Result<Periods<T>> {
    let doc = Doc::parse(file, text)?;
    let root = doc.root();
    root.keys(&["periods"])?;
    let table = root.need("periods")?.table()?;
    let periods = table.dated(read)?;
    // Every key is a date now (`dated` refused any other).
    for (key, f) in table.entries() {
        if let Ok(date) = crate::dated::parse_date(key) {
            places.insert(date.to_string(), f.table()?.spot().location());
        }
    }
    Ok(Periods::from(periods))
}

pub(super) fn selected<T: PartialEq>(selector: &Option<Vec<T>>, value: &T) -> bool {
    selector.as_ref().is_none_or(|list| list.contains(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parts<'a> = (
        Option<&'a str>,
        Option<&'a str>,
        Option<Confidence>,
        Option<&'a str>,
    );

    fn parts(c: Cite<'_>) -> Parts<'_> {
        (
            c.source,
            c.citation.map(|a| &**a),
            c.confidence,
            c.note.map(|a| &**a),
        )
    }

    fn cap_period(text: &str) -> Result<CapPeriod> {
        CapPeriod::read(Doc::parse("caps.toml", text)?.root())
    }

    #[test]
    fn an_entry_cites_its_own_source_or_leaves_it_to_its_period() {
        let p = cap_period(
            r#"
            source = "fcc-21-60"
            citation = "§ 64.6030"
            confidence = "medium"
            note = "the period's note"

            [[cap]]
            per_minute = "0.21"

            [[cap]]
            per_minute = "0.14"
            source = "fcc-24-75"
            citation = "§ 64.6030(b)"
            confidence = "low"
            note = "the entry's note"
            "#,
        )
        .expect("a cap period");
        assert_eq!(
            parts(p.cite()),
            (
                Some("fcc-21-60"),
                Some("§ 64.6030"),
                Some(Confidence::Medium),
                Some("the period's note")
            )
        );
        assert_eq!(parts(p.cap[0].cite()), (None, None, None, None));
        assert_eq!(
            parts(p.cap[1].cite()),
            (
                Some("fcc-24-75"),
                Some("§ 64.6030(b)"),
                Some(Confidence::Low),
                Some("the entry's note")
            )
        );
    }

    #[test]
    fn a_period_must_be_cited() {
        for key in ["source", "citation", "confidence"] {
            let text: String = [
                "source = \"fcc-21-60\"\n",
                "citation = \"§ 64.6030\"\n",
                "confidence = \"high\"\n",
                "cap = []\n",
            ]
            .into_iter()
            .filter(|line| !line.starts_with(key))
            .collect();
            let e = cap_period(&text).expect_err(key);
            assert!(e.to_string().contains(key), "{key}: {e}");
        }
    }
}
