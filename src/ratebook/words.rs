//! The rate book's own vocabularies, defined with every other one in [`crate::vocab`].

pub use crate::vocab::{
    Applies, Concept, Confidence, ContractBasis, ExceptionStatus, PerCallRule, Severity,
};
