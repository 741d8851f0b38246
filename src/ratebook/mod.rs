//! The rate book: the FCC's rules as dated, cited data (the files under `rates/`).
//!
//! The bundled book is compiled into the library, so the browser build needs no files;
//! [`RateBook::load_dir`] reads a user's own copy. Loading is strict: unknown keys, bare
//! floats, impossible or duplicate dates, unknown source or tier ids, tier tables with gaps or
//! overlaps, and entries that contradict each other are all errors naming the file and line.
//!
//! The module by job: `schema` (the files as written), `load` (reading them), `validate`
//! (checking them as a whole), `resolve` (the rules in force on a date) and `rules` (the
//! resolved rules it returns); `words` holds the book's own vocabularies. State and local
//! rules (`rates/states/XX.toml`) are read by `states` and queried through `state_rules`
//! ([`RateBook::state_rules`]).

mod load;
mod resolve;
mod rules;
mod schema;
mod state_rules;
mod states;
mod validate;
mod words;

pub use rules::{
    CallChargeRule, CapLine, ContractException, FacilityComponent, FacilityTier, FeeRule,
    LocalRule, LocalRules, MethodLimits, NeverEffective, NeverEffectiveCap, Provenance, RegimeInfo,
    Rules, SiteCommissionRule, TaxRule, TierInfo,
};
pub use schema::{SourceDoc, BUNDLED, FILES, STATE_FILES};
pub use state_rules::{
    CallStateRules, CallTotal, FeeCap, LowestCap, Place, StateProvenance, StateRule,
    StateRuleValue, StateRules, StateScope,
};
pub use words::{
    Applies, Concept, Confidence, ContractBasis, ExceptionStatus, PerCallRule, Severity,
};

use crate::dated::Periods;
use chrono::NaiveDate;
use schema::{
    CallChargePeriod, CapPeriod, CommissionPeriod, ComponentPeriod, ExceptionDef, FeePeriod,
    NeverEffectiveOrder, RegimePeriod, TierPeriod,
};
use std::collections::{BTreeMap, BTreeSet};

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
        /// By id, in order of id (a list, not a map: it is only ever walked).
        exceptions: Vec<(String, ExceptionDef)>,
        states: BTreeMap<String, states::StateInfo>,
        state_rules: BTreeMap<String, states::StateFile>,
        edition: NaiveDate,
        /// Where it was loaded from (`bundled` or a directory).
        pub origin: String,
    }
}

impl RateBook {
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

    /// The book's edition: the day of its last change (`rates/edition.toml`).
    pub fn edition(&self) -> NaiveDate {
        self.edition
    }

    /// What produced an answer from this book: callcap's version and the book's edition.
    pub fn versions(&self) -> Versions {
        Versions {
            callcap: crate::VERSION,
            rates: self.edition.to_string(),
        }
    }
}

/// What produced an answer: every result says it (`"version": {"callcap", "rates"}`), so a
/// finding can be traced to the code and the data that made it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Versions {
    /// callcap's version (the crate's).
    pub callcap: &'static str,
    /// The rate book's edition (`YYYY-MM-DD`, the day of its last change).
    pub rates: String,
}
