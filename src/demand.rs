//! Demand assumptions for comparing bids: how much a facility's population calls and how
//! families deposit. The defaults (`rates/demand.toml`) are illustrative, not measured; a
//! county replaces them with its own records.

use crate::call::CallKind;
use crate::error::Result;
use crate::toml_reader::{Doc, Field, Spot, Table};
use crate::vocab::FeeKind;
use rust_decimal::Decimal;
use serde::Serialize;

/// The minutes in a 31-day month: no one calls for longer.
pub const MAX_MINUTES_PER_MONTH: Decimal = Decimal::from_parts(31 * 24 * 60, 0, 0, false, 0);

/// The largest deposit a demand file may assume, in dollars (a typo guard, like the smallest:
/// no provider takes deposits of more; a sanity bound, not a rule).
pub const MAX_DEPOSIT: Decimal = Decimal::from_parts(10_000, 0, 0, false, 0);

/// The most deposits per person per month a demand file may assume (a sanity bound: three a
/// day).
pub const MAX_DEPOSITS_PER_PERSON_PER_MONTH: Decimal = Decimal::from_parts(93, 0, 0, false, 0);

/// The bundled default demand file.
pub const DEFAULT_DEMAND: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/demand.toml"));

/// Calling by one kind of call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CallDemand {
    /// The kind of call.
    pub call: CallKind,
    /// Minutes per incarcerated person per month.
    #[serde(serialize_with = "crate::money::serialize_quantity")]
    pub minutes_per_person_per_month: Decimal,
    /// Length of a typical call, whole minutes.
    pub minutes_per_call: u32,
}

/// One way of depositing and its share of deposits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DepositMethod {
    /// `automated_payment` or `live_agent`.
    pub kind: FeeKind,
    /// Percent of deposits made this way.
    #[serde(serialize_with = "crate::money::serialize")]
    pub share: Decimal,
}

/// How families deposit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deposits {
    /// Each deposit's size.
    #[serde(serialize_with = "crate::money::serialize")]
    pub amount: Decimal,
    /// Deposits per person per month (none: as many as call spending needs).
    #[serde(serialize_with = "crate::money::serialize_opt")]
    pub per_person_per_month: Option<Decimal>,
    /// How deposits are made (shares add to 100).
    pub methods: Vec<DepositMethod>,
}

/// A facility's demand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Demand {
    /// Where the assumptions came from (`bundled default` or a file).
    pub file: String,
    /// Calling by kind of call.
    pub calls: Vec<CallDemand>,
    /// Deposits.
    pub deposits: Deposits,
}

struct RawCalls<'a> {
    at: Spot<'a>,
    call: CallKind,
    minutes_per_person_per_month: Decimal,
    minutes_per_call: u32,
}

struct RawDeposits<'a> {
    at: Spot<'a>,
    amount: Decimal,
    per_person_per_month: Option<Decimal>,
    method: Vec<(FeeKind, Decimal)>,
}

fn read(root: Table<'_>) -> Result<(Vec<RawCalls<'_>>, RawDeposits<'_>)> {
    root.keys(&["calls", "deposits"])?;
    let calls_field = root.need("calls")?;
    let tables = calls_field.tables()?;
    if tables.is_empty() {
        return Err(calls_field.err(
            "no [[calls]] entries; a demand file needs at least one kind of call (see the README)",
        ));
    }
    let calls = tables
        .into_iter()
        .map(|c| {
            c.keys(&[
                "service",
                "jurisdiction",
                "payment",
                "minutes_per_person_per_month",
                "minutes_per_call",
            ])?;
            Ok(RawCalls {
                at: c.spot(),
                call: CallKind {
                    service: c.req("service", Field::word)?,
                    jurisdiction: c.req("jurisdiction", Field::word)?,
                    payment: c.req("payment", Field::word)?,
                },
                minutes_per_person_per_month: c
                    .req("minutes_per_person_per_month", Field::amount)?,
                minutes_per_call: c.req("minutes_per_call", |f| {
                    f.bounded("minutes_per_call", 1, crate::tariff::MAX_MINUTES_PER_CALL)
                })?,
            })
        })
        .collect::<Result<_>>()?;
    let d = root.need("deposits")?.table()?;
    d.keys(&["amount", "per_person_per_month", "method"])?;
    let deposits = RawDeposits {
        at: d.spot(),
        amount: d.req("amount", Field::amount)?,
        per_person_per_month: d.opt("per_person_per_month", Field::amount)?,
        method: d
            .need("method")?
            .tables()?
            .into_iter()
            .map(|m| {
                m.keys(&["kind", "share"])?;
                Ok((m.req("kind", Field::word)?, m.req("share", Field::percent)?))
            })
            .collect::<Result<_>>()?,
    };
    Ok((calls, deposits))
}

impl Demand {
    /// The bundled defaults.
    pub fn bundled() -> Result<Demand> {
        Demand::from_toml("bundled default demand (rates/demand.toml)", DEFAULT_DEMAND)
    }

    /// Reads a demand file from raw bytes (as read from `file`).
    pub fn from_bytes(file: &str, bytes: &[u8]) -> Result<Demand> {
        Demand::from_toml(file, crate::error::decode(file, bytes)?)
    }

    /// Reads a demand file.
    pub fn from_toml(file: &str, text: &str) -> Result<Demand> {
        let doc = Doc::parse(file, text)?;
        let (raw_calls, d) = read(doc.root())?;
        let at = |spot: Spot, m: String| Err(spot.err(m));
        let mut calls: Vec<CallDemand> = Vec::new();
        for r in &raw_calls {
            let call = r.call;
            if calls.iter().any(|o| o.call == call) {
                return at(
                    r.at,
                    format!("{call} calls are listed twice; give each kind of call one entry"),
                );
            }
            if r.minutes_per_person_per_month > MAX_MINUTES_PER_MONTH {
                return at(
                    r.at,
                    format!(
                        "{} minutes per person per month is more than a month holds ({MAX_MINUTES_PER_MONTH})",
                        r.minutes_per_person_per_month
                    ),
                );
            }
            calls.push(CallDemand {
                call,
                minutes_per_person_per_month: r.minutes_per_person_per_month,
                minutes_per_call: r.minutes_per_call,
            });
        }
        let start = d.at;
        if d.amount < crate::money::MIN_DEPOSIT {
            return at(
                start,
                format!(
                    "deposits amount `{}` is under ${}; a deposit is in dollars, like \"25.00\"",
                    d.amount,
                    crate::money::MIN_DEPOSIT
                ),
            );
        }
        if d.amount > MAX_DEPOSIT {
            return at(
                start,
                format!(
                    "deposits amount `{}` is over ${MAX_DEPOSIT}; a deposit is in dollars, like \"25.00\"",
                    d.amount
                ),
            );
        }
        if d.per_person_per_month
            .is_some_and(|n| n > MAX_DEPOSITS_PER_PERSON_PER_MONTH)
        {
            return at(
                start,
                format!(
                    "more than {MAX_DEPOSITS_PER_PERSON_PER_MONTH} deposits per person per month (three a day) is not a demand to price"
                ),
            );
        }
        let mut methods: Vec<DepositMethod> = Vec::new();
        for &(kind, share) in &d.method {
            if !matches!(kind, FeeKind::AutomatedPayment | FeeKind::LiveAgent) {
                return at(start, format!("deposit method `{kind}` is not a way to deposit; use automated_payment or live_agent"));
            }
            if methods.iter().any(|o| o.kind == kind) {
                return at(start, format!("deposit method `{kind}` is listed twice"));
            }
            methods.push(DepositMethod { kind, share });
        }
        let total: Decimal = methods.iter().map(|m| m.share).sum();
        if total != Decimal::ONE_HUNDRED {
            return at(
                start,
                format!("deposit method shares add to {total}; they must add to 100"),
            );
        }
        Ok(Demand {
            file: file.to_string(),
            calls,
            deposits: Deposits {
                amount: d.amount,
                per_person_per_month: d.per_person_per_month,
                methods,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_demand_loads() {
        let d = Demand::bundled().unwrap();
        assert_eq!(d.calls.len(), 4);
        assert_eq!(
            d.deposits.methods.iter().map(|m| m.share).sum::<Decimal>(),
            Decimal::ONE_HUNDRED
        );
    }

    #[test]
    fn bad_demand_is_refused_with_its_line() {
        let bad_share = DEFAULT_DEMAND.replace("share = \"20\"", "share = \"30\"");
        let e = Demand::from_toml("d.toml", &bad_share)
            .unwrap_err()
            .to_string();
        assert!(e.contains("add to 110"), "{e}");
        let twice = format!("{DEFAULT_DEMAND}\n[[calls]]\nservice = \"audio\"\njurisdiction = \"local\"\npayment = \"prepaid\"\nminutes_per_person_per_month = \"1\"\nminutes_per_call = 5\n");
        let e = Demand::from_toml("d.toml", &twice).unwrap_err().to_string();
        assert!(
            e.contains("listed twice") && e.starts_with("d.toml:"),
            "{e}"
        );
        let e = Demand::from_toml(
            "d.toml",
            &DEFAULT_DEMAND.replacen("minutes_per_call = 15", "minutes_per_call = 0", 1),
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("[[calls]] minutes_per_call") && e.contains("from 1 to"),
            "{e}"
        );
    }
}
