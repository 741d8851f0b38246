//! What a call costs under a tariff.

use crate::tariff::Rate;
use rust_decimal::Decimal;
use serde::Serialize;

/// The charge for one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct CallCharge {
    /// The time billed, in seconds (whole increments; partial increments round up): exact.
    pub seconds_billed: u64,
    /// The time billed, in minutes, as shown: [`crate::money::round_quantity`] of the seconds
    /// over 60 (200-second increments bill 16.6667 minutes for 15 talked). Prices are computed
    /// from the seconds, never from this.
    #[serde(serialize_with = "crate::money::serialize_quantity")]
    pub minutes_billed: Decimal,
    /// The exact charge, before the cent rounding rule is applied to what a payer sees.
    #[serde(serialize_with = "crate::money::serialize")]
    pub charge: Decimal,
}

/// The charge for a call of `seconds` under `rate`.
///
/// Time is billed in whole increments of `billing_increment_seconds`, a partial increment
/// rounding up. The first minute (or any part of it) costs `first_minute` when the rate has one,
/// each further billed minute `per_minute`; `per_call` is added once. A call of 0 seconds (never
/// connected) costs nothing.
///
/// Exact: seconds are multiplied by the rate before dividing by 60, so a charge that is a whole
/// number of hundredths of a cent is computed exactly (1,000 s at $0.189 a minute is $3.15, not
/// $3.1500000000000000000000000001). Only a charge whose exact value has no end (1,000 s at
/// $0.19: $3.1666…) is carried to rust_decimal's 28 digits, and it is never equal to a cap.
pub fn call_charge(rate: &Rate, seconds: u32) -> CallCharge {
    if seconds == 0 {
        return CallCharge {
            seconds_billed: 0,
            minutes_billed: Decimal::ZERO,
            charge: Decimal::ZERO,
        };
    }
    let increment = rate.billing_increment_seconds.max(1);
    let increments = seconds.div_ceil(increment);
    let seconds_billed = u64::from(increments) * u64::from(increment);
    let time = match rate.first_minute {
        Some(first) => first + per_minute_for(rate.per_minute, seconds_billed.saturating_sub(60)),
        None => per_minute_for(rate.per_minute, seconds_billed),
    };
    CallCharge {
        seconds_billed,
        minutes_billed: crate::money::round_quantity(Decimal::from(seconds_billed) / SIXTY),
        charge: rate.per_call + time,
    }
}

const SIXTY: Decimal = Decimal::from_parts(60, 0, 0, false, 0);

/// A call that billing in increments makes cost more than its whole minutes at a cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IncrementExcess {
    /// How long the call is, in seconds.
    pub seconds: u32,
    /// The seconds it is billed for.
    pub seconds_billed: u64,
    /// What its billed time costs at the rate's per-minute price.
    pub cost: Decimal,
    /// Its legal maximum: its minutes, rounded up, at the cap.
    pub legal: Decimal,
}

/// The call on which billing in `rate`'s increments costs the most above the legal maximum of
/// the same call (its minutes, rounded up, at `limit` a minute), if any call costs more.
///
/// Only the per-minute price of the billed time is counted (per-call and first-minute charges
/// are judged by their own rules), and a price above the cap is judged at the cap: that part
/// of the excess is the per-minute rule's, and so the finding never appears when a price is
/// lowered. The excess of a call of `t` seconds is then a step function that rises only where
/// a new increment starts (`t = k × increment + 1`), and its pattern repeats every
/// lcm(increment, 60) seconds, never rising from one repeat to the next: so the calls to try
/// are those starts within the first repeat, at most 60 of them. Comparisons are exact
/// (seconds × price against 60 × minutes × cap). Increments that divide a minute never bill
/// past the call's last minute. The cost reported is the call's at the tariff's own price.
pub fn worst_increment_call(rate: &Rate, limit: Decimal) -> Option<IncrementExcess> {
    let n = u64::from(rate.billing_increment_seconds.max(1));
    let price = rate.per_minute.min(limit);
    if 60 % n == 0 || price <= Decimal::ZERO {
        return None;
    }
    let period = n / gcd(n, 60) * 60;
    let mut worst: Option<(Decimal, IncrementExcess)> = None;
    for k in 0..period / n {
        let t = k * n + 1;
        let billed = (k + 1) * n;
        let minutes = t.div_ceil(60);
        // Both sides times 60: exact.
        let excess = price * Decimal::from(billed) - limit * Decimal::from(minutes * 60);
        if excess > Decimal::ZERO && worst.is_none_or(|(w, _)| excess > w) {
            let seconds = u32::try_from(t).unwrap_or(u32::MAX);
            worst = Some((
                excess,
                IncrementExcess {
                    seconds,
                    seconds_billed: billed,
                    cost: per_minute_for(rate.per_minute, billed),
                    legal: limit * Decimal::from(minutes),
                },
            ));
        }
    }
    worst.map(|(_, w)| w)
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// `seconds` billed at `per_minute`: multiplied first, then divided by 60.
pub fn per_minute_for(per_minute: Decimal, seconds: u64) -> Decimal {
    // At most 1e9 a minute (the input limit) × 3,600 × 240 s fits a Decimal many times over.
    per_minute * Decimal::from(seconds) / SIXTY
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn rate(per_minute: &str, first: Option<&str>, per_call: &str, increment: u32) -> Rate {
        Rate {
            service: None,
            jurisdiction: None,
            payment: None,
            per_minute: Decimal::from_str(per_minute).unwrap(),
            first_minute: first.map(|f| Decimal::from_str(f).unwrap()),
            per_call: Decimal::from_str(per_call).unwrap(),
            billing_increment_seconds: increment,
            line: 1,
        }
    }

    #[test]
    fn hand_worked_charges() {
        // 15 minutes at $0.21 = $3.15
        let c = call_charge(&rate("0.21", None, "0", 60), 900);
        assert_eq!(
            (c.minutes_billed.to_string(), c.charge.to_string()),
            ("15".into(), "3.15".into())
        );
        // 14 min 1 s bills 15 minutes: 15 × 0.10 = 1.50
        assert_eq!(
            call_charge(&rate("0.10", None, "0", 60), 841)
                .charge
                .to_string(),
            "1.50"
        );
        // 61 s in 30-second increments bills 90 s = 1.5 min: 1.5 × 0.12 = 0.180
        let c = call_charge(&rate("0.12", None, "0", 30), 61);
        assert_eq!(
            (
                c.minutes_billed.normalize().to_string(),
                c.charge.normalize().to_string()
            ),
            ("1.5".into(), "0.18".into())
        );
        // first minute $0.50, then 14 × 0.21 = 2.94, plus $1.00 per call: 4.44
        assert_eq!(
            call_charge(&rate("0.21", Some("0.50"), "1.00", 60), 900)
                .charge
                .to_string(),
            "4.44"
        );
        // 15 minutes in 200-second increments bill 1,000 s: at $0.189 exactly $3.15 (not
        // 3.1500000000000000000000000001), shown as 16.6667 minutes
        let c = call_charge(&rate("0.189", None, "0", 200), 900);
        assert_eq!(c.charge.to_string(), "3.150");
        assert_eq!(c.seconds_billed, 1000);
        assert_eq!(c.minutes_billed.to_string(), "16.6667");
        // A first minute, then seconds at the rate: 0.50 + 940 s × 0.189 / 60 = 3.461
        let c = call_charge(&rate("0.189", Some("0.50"), "0", 200), 900);
        assert_eq!(c.charge.normalize().to_string(), "3.461");
        // 59-second increments at the $0.21 cap: a one-minute call (60 s) is billed 118 s,
        // $0.413 against its one minute's $0.21 (a 1-second call bills 59 s, within its minute).
        let w = worst_increment_call(
            &rate("0.21", None, "0", 59),
            Decimal::from_str("0.21").unwrap(),
        )
        .expect("59-second increments bill past the minute");
        assert_eq!((w.seconds, w.seconds_billed), (60, 118));
        assert_eq!(w.cost.normalize().to_string(), "0.413");
        assert_eq!(w.legal.to_string(), "0.21");
        // An hour's increment bills a 1-second call as an hour.
        let w = worst_increment_call(
            &rate("0.10", None, "0", 3600),
            Decimal::from_str("0.21").unwrap(),
        )
        .expect("an hour's increment");
        assert_eq!((w.seconds, w.seconds_billed), (1, 3600));
        assert_eq!(w.cost.to_string(), "6.00");
        // Increments that divide a minute never bill past it; a cheap enough rate is lawful.
        assert_eq!(
            worst_increment_call(
                &rate("0.21", None, "0", 30),
                Decimal::from_str("0.21").unwrap()
            ),
            None
        );
        assert_eq!(
            worst_increment_call(
                &rate("0.10", None, "0", 120),
                Decimal::from_str("0.21").unwrap()
            ),
            None
        );
        // 120 s at more than half the cap: a 1-second call billed two minutes.
        let w = worst_increment_call(
            &rate("0.12", None, "0", 120),
            Decimal::from_str("0.21").unwrap(),
        )
        .expect("120 s at 0.12");
        assert_eq!((w.seconds, w.seconds_billed), (1, 120));
        // 1 s in 5-minute increments bills 5 minutes
        assert_eq!(
            call_charge(&rate("0.10", None, "0", 300), 1)
                .minutes_billed
                .to_string(),
            "5"
        );
        assert_eq!(
            call_charge(&rate("0.10", None, "1", 60), 0).charge,
            Decimal::ZERO
        );
    }
}
