//! A family's estimate and a bid comparison on any tariff bytes and any demand bytes.
//!
//! Input layout: 8 bytes of plan parameters (calls a month, minutes, deposit, kind of call,
//! deposit method, date), then the tariff bytes, then optionally `\n%%\n` and the demand bytes
//! (without them the bundled demand is used). Nothing may panic; every itemised total must
//! equal the sum of its parts.

#![no_main]

use callcap::compare::compare;
use callcap::demand::Demand;
use callcap::estimate::{estimate, FamilyPlan, Month};
use callcap::money::round_to_cent;
use callcap::{CallKind, FeeKind, Jurisdiction, Payment, RateBook, Service, Tariff};
use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use rust_decimal::Decimal;
use std::sync::OnceLock;

fn book() -> &'static RateBook {
    static BOOK: OnceLock<RateBook> = OnceLock::new();
    BOOK.get_or_init(|| RateBook::bundled().expect("the bundled rate book loads"))
}

const DATES: [(i32, u32, u32); 6] = [
    (2013, 6, 1),
    (2016, 6, 20),
    (2021, 10, 26),
    (2025, 6, 30),
    (2026, 6, 1),
    (2031, 1, 1),
];

const SEPARATOR: &[u8] = b"\n%%\n";

fn split(data: &[u8]) -> (&[u8], Option<&[u8]>) {
    match data.windows(SEPARATOR.len()).position(|w| w == SEPARATOR) {
        Some(i) => (&data[..i], Some(&data[i + SEPARATOR.len()..])),
        None => (data, None),
    }
}

fn month_adds_up(m: &Month) {
    let fees: Decimal = m.fee_items.iter().map(|f| f.total).sum();
    for f in &m.fee_items {
        assert_eq!(f.total, f.per_use * Decimal::from(f.uses));
        assert_eq!(f.per_use, round_to_cent(f.per_use), "fees are whole cents");
    }
    assert_eq!(m.fees, fees, "fee items add up to the fees");
    assert_eq!(
        m.total,
        m.call_charges + m.fees + m.taxes,
        "the parts add up to the total"
    );
    assert_eq!(m.taxes, round_to_cent(m.taxes));
    assert!(m.total >= Decimal::ZERO);
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 8 {
        return;
    }
    let (p, rest) = data.split_at(8);
    let (tariff_bytes, demand_bytes) = split(rest);
    let Ok(tariff) = Tariff::from_bytes("fuzz.toml", tariff_bytes) else {
        return;
    };
    let (y, m, d) = DATES[usize::from(p[7]) % DATES.len()];
    let date = NaiveDate::from_ymd_opt(y, m, d).expect("date");

    let plan = FamilyPlan {
        call: CallKind {
            service: Service::ALL[usize::from(p[4] & 1)],
            jurisdiction: Jurisdiction::ALL[usize::from(p[4] >> 1) % Jurisdiction::ALL.len()],
            payment: Payment::ALL[usize::from(p[4] >> 3) % Payment::ALL.len()],
        },
        calls_per_month: u32::from(u16::from_le_bytes([p[0], p[1]])) % 3200,
        calls_given: callcap::estimate::CallsGiven::PerMonth,
        minutes_per_call: u32::from(p[2]),
        deposit: match p[3] {
            0 => None,
            n => Some(Decimal::new(
                i64::from(u16::from_le_bytes([p[5], p[6]])),
                u32::from(n % 5),
            )),
        },
        deposit_method: if p[4] & 0x40 == 0 {
            FeeKind::AutomatedPayment
        } else {
            FeeKind::LiveAgent
        },
    };
    if let Ok(e) = estimate(book(), &tariff, &plan, date) {
        month_adds_up(&e.month);
        assert_eq!(
            e.month.call_charges,
            e.per_call.charge * Decimal::from(e.month.calls)
        );
        assert_eq!(e.month.minutes, e.month.calls * plan.minutes_per_call);
        if let Some(at_cap) = &e.at_cap {
            month_adds_up(&at_cap.month);
        }
        if let Some(over) = e.overcharge {
            assert!(over >= Decimal::ZERO);
        }
        assert!(e.commission_share <= e.month.call_charges);
        let again = estimate(book(), &tariff, &plan, date).expect("estimates twice");
        assert_eq!(again, e, "estimates are deterministic");
    }

    if tariff.bid.is_none() {
        return;
    }
    let demand = match demand_bytes {
        None => Demand::bundled().expect("bundled demand"),
        Some(bytes) => match std::str::from_utf8(bytes).map(|t| Demand::from_toml("d.toml", t)) {
            Ok(Ok(d)) => d,
            _ => return,
        },
    };
    if let Ok(c) = compare(book(), std::slice::from_ref(&tariff), &demand, date, None) {
        let b = &c.bids[0];
        assert_eq!(
            b.annual_family_cost,
            b.annual_call_charges + b.annual_fees + b.annual_taxes
        );
        let k = &b.commission_breakdown;
        assert_eq!(
            b.annual_commission,
            k.percent_of_revenue
                + k.per_minute
                + k.guarantee_top_up
                + k.signing_bonus_per_year
                + k.in_kind_per_year
        );
        assert_eq!(b.compliant, b.compliance[0].compliant);
        assert!(b.end > b.start);
    }
});
