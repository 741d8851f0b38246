//! What kind of call: service, jurisdiction and how it is paid.

use serde::Serialize;
use std::fmt;

macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vm])* $variant),+
        }

        impl $name {
            /// Every value, in the order the FCC's tables list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in files, the CLI and JSON.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the word used in files and the CLI, or says which words are valid.
            pub fn parse(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!(
                        "unknown {} `{}`, expected one of: {}",
                        stringify!($name).to_lowercase(),
                        text,
                        [$($text),+].join(", ")
                    )),
                }
            }
        }

        impl $crate::toml_reader::Word for $name {
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn word(self) -> &'static str {
                self.as_str()
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

vocabulary! {
    /// Audio (phone) or video calling.
    Service { /// A phone call.
        Audio = "audio", /// A video call.
        Video = "video" }
}

vocabulary! {
    /// Where the call goes. `local` counts as `intrastate` for the caps.
    Jurisdiction {
        /// Within the local calling area.
        Local = "local",
        /// Within the state.
        Intrastate = "intrastate",
        /// To another state.
        Interstate = "interstate",
        /// To another country.
        International = "international",
    }
}

vocabulary! {
    /// How the call is paid for. The CFR's "prepaid collect" is `prepaid`.
    Payment {
        /// From the incarcerated person's debit account.
        Debit = "debit",
        /// From a prepaid account held by the family.
        Prepaid = "prepaid",
        /// Collect: the called party pays on a bill.
        Collect = "collect",
    }
}

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
    fn words_round_trip_and_unknown_words_list_the_valid_ones() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Ok(*s));
        }
        let e = Jurisdiction::parse("state").unwrap_err();
        assert_eq!(
            e,
            "unknown jurisdiction `state`, expected one of: local, intrastate, interstate, international"
        );
        assert_eq!(Jurisdiction::Local.for_caps(), Jurisdiction::Intrastate);
        assert_eq!(CallKind::all_capped().count(), 18);
    }
}
