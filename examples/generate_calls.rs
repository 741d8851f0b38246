//! Generates seeded synthetic call records and their facilities table for `callcap audit`.
//!
//! ```text
//! cargo run --release --example generate_calls -- --rows 1000000 --seed 1 --out target/audit/1m
//! ```
//!
//! Writes `OUT/calls.csv` and `OUT/facilities.csv`: 300 facilities (prisons and jails of every
//! FCC size tier, in states with and without their own rules, some with contract facts and
//! commissions), and calls from 2014 to 2026 (every federal regime) of every service,
//! jurisdiction (about 3% `unknown`) and payment, lasting 0 to 30 minutes, billed at rates
//! from well under to well over the caps of their day, with RFC 3339 date-times on about half
//! and an account on most. Row `i` depends only on the seed and `i` (SplitMix64, no
//! dependency), so the same seed always gives the same file.

use std::io::Write;
use std::path::PathBuf;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const FACILITIES: u64 = 300;
const STATES: &[&str] = &[
    "CA", "NY", "TX", "FL", "IA", "MN", "CT", "MA", "CO", "GA", "PA", "OH",
];

fn main() {
    let mut rows = 1_000_000u64;
    let mut seed = 1u64;
    let mut out = PathBuf::from("target/audit/1m");
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match a.as_str() {
            "--rows" => rows = value().parse().expect("--rows N"),
            "--seed" => seed = value().parse().expect("--seed S"),
            "--out" => out = PathBuf::from(value()),
            _ => panic!("usage: generate_calls --rows N --seed S --out DIR"),
        }
    }
    std::fs::create_dir_all(&out).expect("create the output folder");
    let mut f = std::io::BufWriter::new(
        std::fs::File::create(out.join("facilities.csv")).expect("facilities.csv"),
    );
    writeln!(f, "facility_id,kind,average_daily_population,state,operator,county_fips,commission_basis,facility_component_per_minute,contract_signed,contract_ends,contract_basis").unwrap();
    let mut r = Rng(seed);
    for i in 0..FACILITIES {
        let prison = r.below(3) == 0;
        let adp = *r.pick(&[30u64, 80, 200, 450, 800, 1500, 3000, 12000]);
        let state = r.pick(STATES);
        let commission = match r.below(4) {
            0 => ",",
            1 => "contractual,0.02",
            2 => "legally_mandated,",
            _ => ",0",
        };
        let contract = if r.below(5) == 0 {
            "2023-01-01,2025-09-30,contractual"
        } else {
            ",,"
        };
        let (kind, operator) = if prison {
            ("prison", "state")
        } else {
            ("jail", "county")
        };
        writeln!(
            f,
            "f{i:03},{kind},{adp},{state},{operator},,{commission},{contract}"
        )
        .unwrap();
    }
    f.flush().unwrap();
    let mut c = std::io::BufWriter::with_capacity(
        1 << 20,
        std::fs::File::create(out.join("calls.csv")).expect("calls.csv"),
    );
    writeln!(c, "call_id,facility_id,started_at,duration_seconds,service,jurisdiction,payment,charged,account_id").unwrap();
    for i in 0..rows {
        let mut r = Rng(seed ^ i.wrapping_mul(0xD1B5_4A32_D192_ED03));
        let facility = r.below(FACILITIES);
        let year = 2014 + r.below(13);
        let month = 1 + r.below(12);
        let day = 1 + r.below(28);
        let service = if r.below(10) == 0 { "video" } else { "audio" };
        let jurisdiction = match r.below(100) {
            0..=2 => "unknown",
            3..=40 => "interstate",
            41..=45 => "international",
            46..=60 => "local",
            _ => "intrastate",
        };
        let payment = r.pick(&["debit", "prepaid", "collect"]);
        let seconds = (r.below(1800) * r.below(1800)) / 1800 + r.below(60);
        let minutes = seconds.div_ceil(60);
        // A price a minute in tenths of a cent, 3.0 to 35.0 cents, and now and then a
        // connection charge.
        let per_minute = 30 + r.below(320);
        let connection = if r.below(8) == 0 {
            100 + r.below(300)
        } else {
            0
        };
        let tenths = per_minute * minutes * 10 + connection * 10;
        let cents = tenths.div_ceil(100);
        let started = if r.below(2) == 0 {
            format!("{year}-{month:02}-{day:02}")
        } else {
            format!(
                "{year}-{month:02}-{day:02}T{:02}:{:02}:00-05:00",
                r.below(24),
                r.below(60)
            )
        };
        let account = if r.below(10) == 0 {
            String::new()
        } else {
            format!("a{}", r.below(50_000))
        };
        writeln!(
            c,
            "{i},f{facility:03},{started},{seconds},{service},{jurisdiction},{payment},{}.{:02},{account}",
            cents / 100,
            cents % 100
        )
        .unwrap();
    }
    c.flush().unwrap();
}
