//! Every closed vocabulary of callcap: the words files, the command line, JSON, CSV, tables
//! and the page use, each spelled in one place by one mechanism (`vocabulary!`), so that no
//! two outputs can spell a word differently.
//!
//! What kind of call (service, jurisdiction, payment), what kind of facility, fee and
//! commission basis, and the rate book's and the checks' own words (confidence, severity,
//! what a facility component applies to, the per-call rule, rule ids).

use crate::error::quoted;

/// A closed vocabulary: its values and their words (implemented by `vocabulary!`; the TOML
/// reader and the rate book's pack read words through it).
pub(crate) trait Word: Copy + 'static {
    /// What the vocabulary names, for messages: `jurisdiction`, `fee kind`.
    const WHAT: &'static str;
    /// Every word in order, each followed by a space (the rate book's pack records it in its
    /// fingerprint, since it packs a word as its place in this order).
    const WORDS: &'static str;
    /// Every value, in the order messages list them.
    fn all() -> &'static [Self];
    /// The word used in files.
    fn word(self) -> &'static str;
}

/// The value a word names, or a message naming the word and the valid ones, the same from a
/// file, an argument or the page.
pub(crate) fn parse_word<T: Word>(text: &str) -> Result<T, String> {
    T::all()
        .iter()
        .copied()
        .find(|w| w.word() == text)
        .ok_or_else(|| {
            format!(
                "unknown {} {}, expected {}{}",
                T::WHAT,
                quoted(text),
                expected_words(T::all().iter().map(|w| w.word())),
                crate::error::invisible_note(text)
            )
        })
}

/// "`a`", "`a` or `b`", "one of `a`, `b`, `c`": the valid words, as messages list them.
pub(crate) fn expected_words<'w>(words: impl IntoIterator<Item = &'w str>) -> String {
    let words: Vec<String> = words.into_iter().map(|w| format!("`{w}`")).collect();
    match words.len() {
        0 => "no keys".into(),
        1 => words[0].clone(),
        2 => format!("{} or {}", words[0], words[1]),
        _ => format!("one of {}", words.join(", ")),
    }
}

/// Declares a closed vocabulary: the enum, `ALL`, `as_str` (its word), `parse` (with a message
/// naming the valid words), `Display` and `Serialize` (both the word), and [`Word`].
macro_rules! vocabulary {
    ($(#[$m:meta])* $name:ident ($what:literal) { $($(#[$vm:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vm])* $variant),+
        }

        impl $name {
            /// Every value, in the order files, tables and messages list them.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word used in files, the CLI, JSON, CSV, tables and the page.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Parses the word used in files and the CLI, or says which words are valid.
            pub fn parse(text: &str) -> Result<Self, String> {
                $crate::vocab::parse_word(text)
            }
        }

        impl $crate::vocab::Word for $name {
            const WHAT: &'static str = $what;
            const WORDS: &'static str = concat!($($text, " "),+);
            fn all() -> &'static [Self] {
                $name::ALL
            }
            fn word(self) -> &'static str {
                self.as_str()
            }
        }

        // Serialized as its word, so JSON and CSV spell it as `as_str` does.
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

vocabulary! {
    /// Audio (phone) or video calling.
    Service ("service") { /// A phone call.
        Audio = "audio", /// A video call.
        Video = "video" }
}

vocabulary! {
    /// Where the call goes. `local` counts as `intrastate` for the caps.
    Jurisdiction ("jurisdiction") {
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
    Payment ("payment") {
        /// From the incarcerated person's debit account.
        Debit = "debit",
        /// From a prepaid account held by the family.
        Prepaid = "prepaid",
        /// Collect: the called party pays on a bill.
        Collect = "collect",
    }
}

vocabulary! {
    /// Prison or jail, as the FCC's rules distinguish them.
    FacilityKind ("facility kind") {
        /// A state or federal prison.
        Prison = "prison",
        /// A jail (the FCC's definition includes juvenile detention, immigration detention and
        /// secure mental-health facilities).
        Jail = "jail",
    }
}

vocabulary! {
    /// Why the facility directory gives a facility the kind it gives (`rates/facilities/`):
    /// which of HIFLD's fields decided it, and whether that is a guess
    /// ([`KindBasis::is_guess`]). The mapping is `callcap::directory::kind_from_hifld`.
    KindBasis ("kind basis") {
        /// HIFLD security level JUVENILE: a jail (47 CFR § 64.6000 counts juvenile detention
        /// centers as jails).
        Juvenile = "juvenile",
        /// HIFLD type STATE: a prison (run by a state agency).
        StateAgency = "state_agency",
        /// HIFLD type STATE in a state that runs its jails too (AK, CT, DE, HI, RI, VT): taken
        /// as a prison, a guess.
        StateUnifiedSystem = "state_unified_system",
        /// HIFLD type STATE, but the name says jail, pretrial, booking, intake or detention: taken as
        /// a jail, a guess.
        StateNamedJail = "state_named_jail",
        /// HIFLD type COUNTY or LOCAL: a jail (§ 64.6000's prisons are run by territorial,
        /// state or federal agencies).
        LocalAgency = "local_agency",
        /// HIFLD type COUNTY or LOCAL, named a prison: taken as a jail, a guess (one housing
        /// state prisoners may be a prison under § 64.6000).
        LocalNamedPrison = "local_named_prison",
        /// HIFLD type FEDERAL, named a detention or processing center: a jail, a guess from
        /// the name.
        FederalDetention = "federal_detention",
        /// HIFLD type FEDERAL, named a correctional institution (FCI, USP, ...): a prison, a
        /// guess from the name.
        FederalInstitution = "federal_institution",
        /// HIFLD type MULTI, NOT AVAILABLE or an unrecognised FEDERAL name, named a jail or
        /// detention center: a jail, a guess from the name.
        NamedJail = "named_jail",
        /// The same, named a prison or correctional facility: a prison, a guess from the name.
        NamedPrison = "named_prison",
        /// Nothing in HIFLD's fields says: no kind.
        Unknown = "unknown",
    }
}

impl KindBasis {
    /// Whether the kind is a guess (not decided by HIFLD's type and the rule's definitions).
    pub fn is_guess(self) -> bool {
        !matches!(
            self,
            KindBasis::Juvenile | KindBasis::StateAgency | KindBasis::LocalAgency
        )
    }
}

vocabulary! {
    /// Whether a facility was open when its source reported on it.
    FacilityStatus ("facility status") {
        /// Open.
        Open = "open",
        /// Closed.
        Closed = "closed",
        /// The source does not say.
        Unknown = "unknown",
    }
}

vocabulary! {
    /// Kinds of ancillary fee (charges other than the per-minute price of calls).
    FeeKind ("fee kind") {
        /// Paying by an automated system (web, app, phone menu).
        AutomatedPayment = "automated_payment",
        /// Paying through a live agent.
        LiveAgent = "live_agent",
        /// A paper bill or statement.
        PaperStatement = "paper_statement",
        /// A third party's charge for moving money (card or money-transfer fees).
        ThirdPartyTransaction = "third_party_transaction",
        /// A single call paid for on its own (text-to-pay, bill-to-card).
        SingleCall = "single_call",
        /// Opening an account.
        AccountSetup = "account_setup",
        /// Keeping an account open.
        AccountMaintenance = "account_maintenance",
        /// An account not used for a while.
        Inactivity = "inactivity",
        /// Refunding a balance.
        Refund = "refund",
        /// Anything else.
        Other = "other",
    }
}

vocabulary! {
    /// Why a site commission is paid.
    CommissionBasis ("commission basis") {
        /// Required by the facility's contract.
        Contractual = "contractual",
        /// Required by state statute or rules adopted with notice and comment.
        LegallyMandated = "legally_mandated",
    }
}

vocabulary! {
    /// How sure the sources are of a value (see `rates/README.md`).
    Confidence ("confidence") {
        /// Read in rule text.
        High = "high",
        /// Consistent secondary sources, not read in rule text.
        Medium = "medium",
        /// A single secondary source, conflicting sources, or an unclear rule.
        Low = "low",
    }
}

vocabulary! {
    /// How sure a finding is meant to be: a violation, a warning, or information.
    Severity ("severity") {
        /// Breaks a rule in force.
        Violation = "violation",
        /// Probably breaks a rule, or breaks one whose text is uncertain.
        Warning = "warning",
        /// Worth knowing; not a breach.
        Info = "info",
    }
}

vocabulary! {
    /// What a facility component may add to the per-minute cap.
    Applies ("facility component kind") {
        /// Only the per-minute site commission actually paid, up to the amount.
        SiteCommission = "site_commission",
        /// A flat additive any provider may charge.
        Always = "always",
    }
}

vocabulary! {
    /// The FCC's rule on per-call (connection) and first-minute charges.
    PerCallRule ("per-call rule") {
        /// No federal rule.
        NotRegulated = "not_regulated",
        /// Per-call and first-minute surcharges are banned.
        Prohibited = "prohibited",
        /// Allowed if a call of `equivalence_minutes`, with them, costs no more than that many
        /// minutes at the cap (FCC 13-113).
        FifteenMinuteEquivalence = "fifteen_minute_equivalence",
    }
}

vocabulary! {
    /// Who runs a facility, as state and local rules scope themselves (the CLI's `--operator`).
    Operator ("operator") {
        /// The state's prison system (its department of corrections, or juvenile agency).
        State = "state",
        /// A county jail (a sheriff's jail or house of correction).
        County = "county",
        /// A city (municipal) jail.
        City = "city",
        /// A private facility holding people under contract with a government.
        Private = "private",
        /// A federal facility (Bureau of Prisons; immigration detention run federally).
        Federal = "federal",
    }
}

vocabulary! {
    /// Whose rule it is: the FCC's, a state's, or a county's or city's.
    Level ("level") {
        /// The FCC's rules (`rates/*.toml`).
        Federal = "federal",
        /// A state's statute, regulation or agency policy (`rates/states/XX.toml`).
        State = "state",
        /// A county's or city's ordinance, budget or contract policy (in its state's file).
        Local = "local",
    }
}

vocabulary! {
    /// What a state or local rule does (see `rates/README.md`, "State and local rules").
    RuleKind ("rule kind") {
        /// The person calling and the person called pay nothing; the agency pays the provider.
        Free = "free",
        /// The agency pays this share of the cost; the family pays the rest.
        AgencyShare = "agency_share",
        /// A per-minute cap, or a cap on a call of a given length, on what a call may cost.
        RateCap = "rate_cap",
        /// A cap defined as the FCC's cap for a federal jurisdiction (Indiana: "the rate cap
        /// for the comparable interstate service"), resolved through the federal rules.
        CapRefFederal = "cap_ref_federal",
        /// Ancillary fees banned or capped, or the federal fee rules applied to these calls.
        FeeRule = "fee_rule",
        /// The agency may not take a commission (or any revenue) from the calls.
        NoCommission = "no_commission",
        /// Free minutes or calls each period, used before the tariff applies.
        Allowance = "allowance",
    }
}

vocabulary! {
    /// The services a state or local rule covers: audio and video calls (the federal
    /// [`Service`]s) and messaging (email, tablet messages), which the federal caps do not
    /// cover.
    Communication ("service") {
        /// Phone calls.
        Audio = "audio",
        /// Video calls.
        Video = "video",
        /// Email and electronic messages.
        Messaging = "messaging",
    }
}

vocabulary! {
    /// Which calls a state or local rule covers, by where they go.
    CallScope ("calls") {
        /// Calls within the state: local and intrastate.
        InState = "in_state",
        /// Calls within the United States: local, intrastate and interstate.
        Domestic = "domestic",
        /// Calls abroad only.
        International = "international",
        /// Every call.
        All = "all",
    }
}

vocabulary! {
    /// The period a free allowance renews over.
    AllowancePeriod ("period") {
        /// Each day.
        Day = "day",
        /// Each week.
        Week = "week",
        /// Each month.
        Month = "month",
    }
}

vocabulary! {
    /// Whether a state or local rule certainly applies to a place, or may apply because the
    /// place does not say something the rule depends on.
    Certainty ("certainty") {
        /// The place is inside the rule's scope.
        Applies = "applies",
        /// The rule applies if what is unknown (see [`Doubt`]) is inside its scope.
        MayApply = "may_apply",
    }
}

vocabulary! {
    /// Why a state or local rule only may apply to a place.
    Doubt ("doubt") {
        /// The place names no state.
        StateUnknown = "state_unknown",
        /// The rule covers only some operators and the place names none.
        OperatorUnknown = "operator_unknown",
        /// The rule is a county's or city's and the place names no county.
        CountyUnknown = "county_unknown",
        /// The rule covers only prisons or only jails and the place names neither.
        FacilityUnknown = "facility_unknown",
        /// The rule has a condition callcap cannot check (its `condition`).
        Condition = "condition",
    }
}

impl Communication {
    /// The federal service this is, if any (messaging has none).
    pub fn service(self) -> Option<Service> {
        match self {
            Communication::Audio => Some(Service::Audio),
            Communication::Video => Some(Service::Video),
            Communication::Messaging => None,
        }
    }
}

impl From<Service> for Communication {
    fn from(s: Service) -> Self {
        match s {
            Service::Audio => Communication::Audio,
            Service::Video => Communication::Video,
        }
    }
}

impl CallScope {
    /// Whether calls of a jurisdiction are in this scope.
    pub fn covers(self, j: Jurisdiction) -> bool {
        match self {
            CallScope::All => true,
            CallScope::InState => matches!(j, Jurisdiction::Local | Jurisdiction::Intrastate),
            CallScope::Domestic => j != Jurisdiction::International,
            CallScope::International => j == Jurisdiction::International,
        }
    }
}

vocabulary! {
    /// The rule a finding is about.
    RuleId ("rule") {
        /// Per-minute rate above the cap (plus any facility component allowed).
        PerMinuteCap = "per_minute_cap",
        /// A 15-minute call, with per-call charges, above 15 minutes at the cap (FCC 13-113).
        FifteenMinuteEquivalence = "fifteen_minute_equivalence",
        /// A per-call (connection) charge where they are banned.
        PerCallCharge = "per_call_charge",
        /// A first minute priced above the other minutes where per-call charges are banned.
        FirstMinuteCharge = "first_minute_charge",
        /// Billing increments longer than a minute: charging for time not used.
        BillingIncrement = "billing_increment",
        /// An ancillary fee of a kind not permitted.
        AncillaryFeeProhibited = "ancillary_fee_prohibited",
        /// An ancillary fee above its cap.
        AncillaryFeeCap = "ancillary_fee_cap",
        /// A third-party fee allowed only as an exact pass-through.
        ThirdPartyPassThrough = "third_party_pass_through",
        /// A tax or fee passed through that callcap cannot verify is one the rules allow.
        PassThroughTax = "pass_through_tax",
        /// A site commission where they are banned.
        SiteCommissionProhibited = "site_commission_prohibited",
        /// A site commission above what may be recovered through rates.
        SiteCommissionComponent = "site_commission_component",
        /// An exception for contracts existing when a rule was adopted: applied, or one that
        /// may apply (the tariff does not give its contract's dates).
        ContractException = "contract_exception",
        /// A call no federal cap covered on the date.
        NoFederalCap = "no_federal_cap",
        /// A charge for calls a state or local rule makes free to families.
        StateFreeCalls = "state_free_calls",
        /// A per-minute price above a state or local cap (or a cap defined by reference to the
        /// FCC's interstate cap).
        StateRateCap = "state_rate_cap",
        /// A call of a given length costing more than a state or local cap on such a call.
        StateCallTotal = "state_call_total",
        /// A per-call charge (or a dear first minute) where a state or local rule bans them.
        StatePerCallCharge = "state_per_call_charge",
        /// A fee a state or local rule bans.
        StateFeeProhibited = "state_fee_prohibited",
        /// A fee above a state or local cap.
        StateFeeCap = "state_fee_cap",
        /// A site commission where a state or local rule bans them.
        StateCommissionProhibited = "state_commission_prohibited",
        /// An agency pays part of the cost of calls: what families pay is the rest.
        StateAgencyShare = "state_agency_share",
        /// Free minutes or calls each period before the tariff applies.
        StateAllowance = "state_allowance",
        /// A state or local rule that applies if what the tariff does not say (who runs the
        /// facility, its county) is inside its scope.
        StateRuleMayApply = "state_rule_may_apply",
        /// No state or local rule was looked up: no state given, or a state callcap has not
        /// researched yet.
        StateRulesUnknown = "state_rules_unknown",
    }
}

vocabulary! {
    /// Why a facility's contract would have to be renegotiated under new rules: the two
    /// exceptions of 47 CFR § 64.6010(d) (2024) for contracts existing on 2024-06-27.
    ContractBasis ("contract basis") {
        /// Its rates, contractually negotiated site commissions or pass-through charges in the
        /// rates conflict with the new rules (§ 64.6010(d)(1)).
        Contractual = "contractual",
        /// It incorporates legally mandated site commissions (§ 64.6010(d)(2)).
        LegallyMandated = "legally_mandated",
    }
}

vocabulary! {
    /// A part of the rules in force, as an exception may keep an earlier one (the parts the
    /// exceptions so far keep; another is added when an exception needs it).
    Concept ("rule concept") {
        /// The per-minute caps, with what may be charged above them (`caps.toml`,
        /// `facility_component.toml`).
        Caps = "caps",
        /// Whether site commissions may be paid (`site_commissions.toml`).
        SiteCommissions = "site_commissions",
    }
}

vocabulary! {
    /// What an existing-contract exception means for a facility on a date.
    ExceptionStatus ("exception status") {
        /// The facility's contract qualifies: the earlier rules are applied.
        Applied = "applied",
        /// It may apply, but the tariff does not give its contract's dates.
        MayApply = "may_apply",
        /// The contract given does not qualify.
        NotMet = "not_met",
        /// The contract qualified, but the exception ended (the contract's end) before the date.
        Ended = "ended",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every vocabulary, as (its words, its words as serde writes them).
    fn spellings() -> Vec<(&'static str, Vec<String>, Vec<String>)> {
        fn of<T: Copy + serde::Serialize>(
            name: &'static str,
            all: &[T],
            word: fn(T) -> &'static str,
        ) -> (&'static str, Vec<String>, Vec<String>) {
            let words = all.iter().map(|&w| word(w).to_string()).collect();
            let serde = all
                .iter()
                .map(|w| {
                    serde_json::to_value(w)
                        .ok()
                        .and_then(|v| v.as_str().map(String::from))
                        .unwrap_or_default()
                })
                .collect();
            (name, words, serde)
        }
        vec![
            of("Service", Service::ALL, Service::as_str),
            of("Jurisdiction", Jurisdiction::ALL, Jurisdiction::as_str),
            of("Payment", Payment::ALL, Payment::as_str),
            of("FacilityKind", FacilityKind::ALL, FacilityKind::as_str),
            of("Operator", Operator::ALL, Operator::as_str),
            of("KindBasis", KindBasis::ALL, KindBasis::as_str),
            of(
                "FacilityStatus",
                FacilityStatus::ALL,
                FacilityStatus::as_str,
            ),
            of("FeeKind", FeeKind::ALL, FeeKind::as_str),
            of(
                "CommissionBasis",
                CommissionBasis::ALL,
                CommissionBasis::as_str,
            ),
            of("Confidence", Confidence::ALL, Confidence::as_str),
            of("Severity", Severity::ALL, Severity::as_str),
            of("Applies", Applies::ALL, Applies::as_str),
            of("PerCallRule", PerCallRule::ALL, PerCallRule::as_str),
            of("RuleId", RuleId::ALL, RuleId::as_str),
            of("Level", Level::ALL, Level::as_str),
            of("RuleKind", RuleKind::ALL, RuleKind::as_str),
            of("Communication", Communication::ALL, Communication::as_str),
            of("CallScope", CallScope::ALL, CallScope::as_str),
            of(
                "AllowancePeriod",
                AllowancePeriod::ALL,
                AllowancePeriod::as_str,
            ),
            of("Certainty", Certainty::ALL, Certainty::as_str),
            of("Doubt", Doubt::ALL, Doubt::as_str),
            of("ContractBasis", ContractBasis::ALL, ContractBasis::as_str),
            of("Concept", Concept::ALL, Concept::as_str),
            of(
                "ExceptionStatus",
                ExceptionStatus::ALL,
                ExceptionStatus::as_str,
            ),
        ]
    }

    #[test]
    fn every_word_is_spelled_one_way_snake_case_and_round_trips() {
        for (name, words, serde) in spellings() {
            assert_eq!(words, serde, "{name}: JSON spells its words as as_str does");
            for w in &words {
                assert!(
                    !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                    "{name}: `{w}` is snake_case"
                );
            }
            let mut unique = words.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), words.len(), "{name}: no word twice");
        }
        assert_eq!(
            Applies::parse("site_commission"),
            Ok(Applies::SiteCommission)
        );
        assert_eq!(
            RuleId::SiteCommissionComponent.to_string(),
            "site_commission_component"
        );
    }

    #[test]
    fn call_scopes_and_communications_map_to_the_federal_words() {
        use Jurisdiction::*;
        for (scope, covered) in [
            (CallScope::InState, [true, true, false, false]),
            (CallScope::Domestic, [true, true, true, false]),
            (CallScope::International, [false, false, false, true]),
            (CallScope::All, [true, true, true, true]),
        ] {
            let got: Vec<bool> = [Local, Intrastate, Interstate, International]
                .iter()
                .map(|&j| scope.covers(j))
                .collect();
            assert_eq!(got, covered, "{scope}");
        }
        for &s in Service::ALL {
            assert_eq!(Communication::from(s).service(), Some(s));
            assert_eq!(Communication::from(s).as_str(), s.as_str());
        }
        assert_eq!(Communication::Messaging.service(), None);
    }

    #[test]
    fn unknown_words_list_the_valid_ones() {
        let e = Jurisdiction::parse("state").unwrap_err();
        assert_eq!(
            e,
            "unknown jurisdiction \"state\", expected one of `local`, `intrastate`, `interstate`, `international`"
        );
    }
}
