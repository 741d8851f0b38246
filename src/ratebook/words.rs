//! The rate book's own vocabularies: how sure a value is, how serious a finding is, what a
//! facility component adds, and the per-call rule; with the words files use for them.

use crate::toml_reader::Word;
use serde::Serialize;

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
