//! What kind of call: service, jurisdiction and how it is paid.

use serde::Serialize;
use std::fmt;

pub use crate::vocab::{Jurisdiction, Payment, Service};

impl Jurisdiction {
    /// The jurisdiction the caps are set for (`local` is `intrastate`).
    pub fn for_caps(self) -> Jurisdiction {
        match self {
            Jurisdiction::Local => Jurisdiction::Intrastate,
            j => j,
        }
    }

    /// The jurisdictions the rate book distinguishes (all but `local`).
    pub const CAPPED: &'static [Jurisdiction] = &[
        Jurisdiction::Intrastate,
        Jurisdiction::Interstate,
        Jurisdiction::International,
    ];
}

/// One kind of call: the dimensions rates and caps are set by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct CallKind {
    /// Audio or video.
    pub service: Service,
    /// Where the call goes.
    pub jurisdiction: Jurisdiction,
    /// How it is paid.
    pub payment: Payment,
}

impl fmt::Display for CallKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.service, self.jurisdiction, self.payment)
    }
}

impl CallKind {
    /// Every kind of call the caps distinguish (service × capped jurisdiction × payment).
    pub fn all_capped() -> impl Iterator<Item = CallKind> {
        Service::ALL.iter().flat_map(|&service| {
            Jurisdiction::CAPPED.iter().flat_map(move |&jurisdiction| {
                Payment::ALL.iter().map(move |&payment| CallKind {
                    service,
                    jurisdiction,
                    payment,
                })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_local_counts_as_intrastate() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Ok(*s));
        }
        assert_eq!(Jurisdiction::Local.for_caps(), Jurisdiction::Intrastate);
        assert_eq!(CallKind::all_capped().count(), 18);
    }
}
