//! Generates realistic synthetic tariff and bid files for bulk tests and benchmarks.
//!
//! ```text
//! cargo run --release --example generate_tariffs -- --count 100000 --seed 1 --out target/scale/100k
//! ```
//!
//! The files look like the rate sheets a regulator collects: prisons and jails of every FCC size
//! tier (ADP from 5 to 30,000), rate sheets from every era (before the first caps in 2014,
//! FCC 13-113, FCC 21-60, FCC 24-75 and the 2025 waiver, FCC 25-75), about half meant to comply
//! with the caps of their era and half not, with 1 to 12 `[[rate]]` entries (one for every call,
//! by service, by service and jurisdiction, or by service, jurisdiction and payment), first-minute
//! and per-call charges, billing increments, ancillary fees, taxes, site commissions (contractual
//! and legally mandated) and, in about one file in ten, a `[bid]`. Each file opens with a comment
//! block, as real filings do. Every file is valid: `callcap check` reads them all.
//!
//! Seeded: file `i` depends only on the seed and `i`, so the same seed always gives the same
//! files, and the first 1,000 files of a 100,000-file set are the 1,000-file set. The generator
//! has its own small random number generator (SplitMix64), so the files do not change when a
//! dependency does.
//!
//! Files are written 1,000 to a folder: `OUT/000/t000000.toml`, `OUT/000/t000001.toml`, ….

use std::fmt::Write as _;
use std::path::PathBuf;

const HELP: &str = "\
generate_tariffs: realistic synthetic tariff and bid files for callcap's bulk tests

USAGE:
    cargo run --release --example generate_tariffs -- --count N --out DIR [--seed S]

OPTIONS:
    --count N   how many files to write (required)
    --out DIR   where to write them, 1,000 to a folder: DIR/000/t000000.toml, ...
    --seed S    the seed (default 1): the same seed gives the same files, byte for byte
    --help      this text

The mix: prisons and jails of every FCC size tier; rate sheets from every era since 2012; about
half meant to comply with the caps of their era; 1 to 12 rate entries; first-minute and per-call
charges; billing increments; ancillary fees; taxes; site commissions; about 10% bids.
Every file is a valid tariff; `callcap check` reads them all.
";

/// SplitMix64: small, fast, and fixed forever (the files must not change between releases).
pub struct Rng(u64);

impl Rng {
    /// The generator for file `index` under `seed`.
    pub fn for_file(seed: u64, index: u64) -> Rng {
        let mut r = Rng(seed ^ index.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        r.next();
        r
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A whole number in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    /// True with probability `percent` in 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.range(1, 100) <= percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.range(0, items.len() as u64 - 1) as usize]
    }
}

const STATES: &[&str] = &[
    "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS",
    "KY", "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY",
    "NC", "ND", "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV",
    "WI", "WY",
];

const PLACES: &[&str] = &[
    "Adams",
    "Benton",
    "Clark",
    "Douglas",
    "Franklin",
    "Grant",
    "Hamilton",
    "Jackson",
    "Jefferson",
    "Lincoln",
    "Madison",
    "Marion",
    "Monroe",
    "Montgomery",
    "Polk",
    "Union",
    "Warren",
    "Washington",
    "Wayne",
    "Riverbend",
    "Silver Sage",
    "Blue Ridge",
    "Cedar Falls",
    "Pine Hollow",
    "Red Rock",
];

const PROVIDERS: &[&str] = &[
    "Keystone Correctional Communications",
    "Basin & Range Inmate Communications",
    "Lakeshore Family Connect",
    "Tri-County Telecom Services",
    "Prairie Link Detention Phones",
    "Harbor Point Communications",
    "Summit Justice Technologies",
];

/// Rate-sheet eras: when the sheet took effect and the lowest audio cap that applied then (in
/// ten-thousandths of a dollar; 0 = no cap yet).
const ERAS: &[(&str, u64)] = &[
    ("2012-09-01", 0),
    ("2014-02-11", 2100),
    ("2017-07-01", 2100),
    ("2021-10-26", 1400),
    ("2023-01-09", 1400),
    ("2025-06-30", 1400),
    ("2026-04-06", 900),
    ("2026-09-01", 900),
];

/// Rate entries: which calls each names (service, jurisdiction, payment), without overlaps.
fn layout(rng: &mut Rng) -> Vec<[Option<&'static str>; 3]> {
    const SERVICES: [&str; 2] = ["audio", "video"];
    const JURISDICTIONS: [&str; 4] = ["local", "intrastate", "interstate", "international"];
    const PAYMENTS: [&str; 3] = ["debit", "prepaid", "collect"];
    match rng.range(0, 9) {
        0..=1 => vec![[None, None, None]],
        2..=4 => {
            let mut v = vec![[Some("audio"), None, None]];
            if rng.chance(70) {
                v.push([Some("video"), None, None]);
            }
            v
        }
        5..=7 => {
            let mut v = Vec::new();
            for s in SERVICES {
                for j in JURISDICTIONS {
                    if rng.chance(if s == "audio" { 85 } else { 30 }) {
                        v.push([Some(s), Some(j), None]);
                    }
                }
            }
            if v.is_empty() {
                v.push([Some("audio"), Some("intrastate"), None]);
            }
            v
        }
        _ => {
            let mut v = Vec::new();
            for j in JURISDICTIONS {
                for p in PAYMENTS {
                    if v.len() < 12 && rng.chance(55) {
                        v.push([Some("audio"), Some(j), Some(p)]);
                    }
                }
            }
            if v.is_empty() {
                v.push([Some("audio"), Some("interstate"), Some("prepaid")]);
            }
            v
        }
    }
}

/// An amount in ten-thousandths of a dollar, as a quoted decimal with 2 to 4 places.
fn money(ten_thousandths: u64) -> String {
    let whole = ten_thousandths / 10_000;
    let frac = ten_thousandths % 10_000;
    if frac % 100 == 0 {
        format!("\"{whole}.{:02}\"", frac / 100)
    } else if frac % 10 == 0 {
        format!("\"{whole}.{:03}\"", frac / 10)
    } else {
        format!("\"{whole}.{frac:04}\"")
    }
}

/// A percentage in hundredths, as a quoted decimal.
fn percent(hundredths: u64) -> String {
    if hundredths % 100 == 0 {
        format!("\"{}\"", hundredths / 100)
    } else {
        format!("\"{}.{:02}\"", hundredths / 100, hundredths % 100)
    }
}

/// The text of synthetic file `index` under `seed`.
pub fn tariff(seed: u64, index: u64) -> String {
    let rng = &mut Rng::for_file(seed, index);
    let prison = rng.chance(30);
    // Every tier: extremely small (<50), very small (50-99), small (100-349), medium
    // (350-999), large (1,000+) jails; prisons of every size.
    let adp = if prison {
        rng.range(150, 30_000)
    } else {
        match rng.range(0, 9) {
            0..=1 => rng.range(5, 49),
            2..=3 => rng.range(50, 99),
            4..=5 => rng.range(100, 349),
            6..=7 => rng.range(350, 999),
            _ => rng.range(1_000, 12_000),
        }
    };
    let state = rng.pick(STATES);
    let place = rng.pick(PLACES);
    let provider = rng.pick(PROVIDERS);
    let &(effective, era_cap) = rng.pick(ERAS);
    let comply = rng.chance(50);
    let kind = if prison { "prison" } else { "jail" };
    let name = if prison {
        format!("{place} State Correctional Institution")
    } else {
        format!("{place} County Jail")
    };

    let mut s = String::with_capacity(2048);
    let _ = writeln!(
        s,
        "# SYNTHETIC — generated by examples/generate_tariffs.rs (seed {seed}, file {index})."
    );
    let _ = writeln!(
        s,
        "# {name}, {state} — {kind}, ADP {adp}. Rate sheet effective {effective}."
    );
    let _ = writeln!(
        s,
        "# Meant to {} the caps of its era; not a real provider's rates.",
        if comply { "comply with" } else { "break" }
    );
    let _ = writeln!(
        s,
        "#\n# Rates are per minute; fees per use; decimals are quoted strings.\n"
    );
    let _ = writeln!(s, "[facility]\nname = \"{name}\"\nkind = \"{kind}\"");
    let _ = writeln!(s, "average_daily_population = {adp}");
    if rng.chance(90) {
        let _ = writeln!(s, "state = \"{state}\"");
    }
    let _ = writeln!(
        s,
        "\n[provider]\nname = \"{provider}\"\neffective = \"{effective}\""
    );

    // The cap the sheet aims under (or over); before 2014 there was none, so prices are old ones.
    let ceiling = if era_cap == 0 { 8_900 } else { era_cap };
    for [service, jurisdiction, payment] in layout(rng) {
        let _ = writeln!(s, "\n[[rate]]");
        for (key, value) in [
            ("service", service),
            ("jurisdiction", jurisdiction),
            ("payment", payment),
        ] {
            if let Some(v) = value {
                let _ = writeln!(s, "{key} = \"{v}\"");
            }
        }
        let video = service == Some("video");
        let base = if comply || era_cap == 0 {
            rng.range(ceiling * 4 / 10, ceiling)
        } else {
            rng.range(ceiling + 100, ceiling * 3)
        };
        let per_minute = if video { base * 2 } else { base };
        let _ = writeln!(s, "per_minute = {}", money(per_minute));
        if (!comply || era_cap == 0) && rng.chance(25) {
            let _ = writeln!(
                s,
                "first_minute = {}",
                money(per_minute + rng.range(500, 30_000))
            );
        }
        if (!comply || era_cap == 0) && rng.chance(20) {
            let _ = writeln!(s, "per_call = {}", money(rng.range(50, 395) * 100));
        } else if rng.chance(10) {
            let _ = writeln!(s, "per_call = \"0.00\"");
        }
        if rng.chance(30) {
            let increment = if comply {
                *rng.pick(&[6, 30, 60])
            } else {
                *rng.pick(&[60, 60, 120, 300])
            };
            let _ = writeln!(s, "billing_increment_seconds = {increment}");
        }
    }

    let fees = if comply && era_cap >= 900 && effective >= "2024" {
        0
    } else {
        rng.range(0, 4)
    };
    const FEES: &[(&str, u64, u64)] = &[
        ("automated_payment", 100, 495),
        ("live_agent", 295, 995),
        ("paper_statement", 100, 300),
        ("third_party_transaction", 0, 0),
        ("single_call", 495, 1_495),
        ("account_maintenance", 100, 500),
        ("inactivity", 100, 300),
        ("refund", 0, 1_000),
    ];
    let mut used = Vec::new();
    for _ in 0..fees {
        let &(kind, lo, hi) = rng.pick(FEES);
        if used.contains(&kind) {
            continue;
        }
        used.push(kind);
        let _ = writeln!(s, "\n[[fee]]\nkind = \"{kind}\"");
        if kind == "third_party_transaction" {
            let _ = writeln!(s, "percent = {}", percent(rng.range(150, 400)));
            let _ = writeln!(s, "amount = {}", money(rng.range(0, 50) * 100));
        } else {
            let amount = if comply {
                lo.min(300)
            } else {
                rng.range(lo, hi)
            };
            let _ = writeln!(s, "amount = {}", money(amount * 100));
        }
    }

    const TAXES: &[(&str, u64, u64)] = &[
        ("state sales tax", 400, 825),
        ("universal service fee", 200, 3_400),
        ("county 911 fee", 50, 300),
    ];
    let first_tax = rng.range(0, 2) as usize;
    for i in 0..rng.range(0, 2) as usize {
        let (tax, lo, hi) = TAXES[(first_tax + i) % TAXES.len()];
        let _ = writeln!(
            s,
            "\n[[tax]]\nname = \"{tax}\"\npercent = {}",
            percent(rng.range(lo, hi))
        );
    }

    let commission = !(comply && effective >= "2024") && rng.chance(60);
    if commission {
        let _ = writeln!(s, "\n[commission]");
        let _ = writeln!(
            s,
            "percent_of_revenue = {}",
            percent(rng.range(10, 80) * 100)
        );
        if rng.chance(20) {
            let _ = writeln!(s, "per_minute = {}", money(rng.range(1, 5) * 100));
        }
        if rng.chance(25) {
            let _ = writeln!(
                s,
                "minimum_annual_guarantee = {}",
                money(rng.range(10, 500) * 10_000_000)
            );
        }
        if rng.chance(15) {
            let _ = writeln!(
                s,
                "signing_bonus = {}",
                money(rng.range(5, 100) * 10_000_000)
            );
        }
        let basis = if prison && rng.chance(30) {
            "legally_mandated"
        } else {
            "contractual"
        };
        let _ = writeln!(s, "basis = \"{basis}\"");
    }

    if rng.chance(10) {
        let _ = writeln!(s, "\n[bid]");
        let _ = writeln!(s, "name = \"{provider} — {place} proposal {index}\"");
        let _ = writeln!(s, "term_years = {}", rng.range(3, 7));
        let _ = writeln!(s, "start = \"{}-07-01\"", rng.range(2025, 2027));
        if rng.chance(30) {
            let _ = writeln!(
                s,
                "in_kind_per_year = {}",
                money(rng.range(1, 50) * 10_000_000)
            );
        }
    }
    s
}

fn main() {
    let mut count: Option<u64> = None;
    let mut seed: u64 = 1;
    let mut out: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    let fail = |m: &str| -> ! {
        eprintln!("generate_tariffs: {m}\n\n{HELP}");
        std::process::exit(2)
    };
    while let Some(a) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .unwrap_or_else(|| fail(&format!("{name} needs a value")))
        };
        match a.as_str() {
            "--help" | "-h" => {
                print!("{HELP}");
                return;
            }
            "--count" => {
                count = Some(
                    value("--count")
                        .parse()
                        .unwrap_or_else(|_| fail("--count must be a whole number")),
                )
            }
            "--seed" => {
                seed = value("--seed")
                    .parse()
                    .unwrap_or_else(|_| fail("--seed must be a whole number"))
            }
            "--out" => out = Some(PathBuf::from(value("--out"))),
            other => fail(&format!("unknown argument `{other}`")),
        }
    }
    let count = count.unwrap_or_else(|| fail("give --count"));
    let out = out.unwrap_or_else(|| fail("give --out"));
    let mut bytes = 0usize;
    for i in 0..count {
        let dir = out.join(format!("{:03}", i / 1000));
        if i % 1000 == 0 {
            std::fs::create_dir_all(&dir)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())));
        }
        let text = tariff(seed, i);
        bytes += text.len();
        let path = dir.join(format!("t{i:06}.toml"));
        std::fs::write(&path, text).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    }
    eprintln!(
        "generate_tariffs: wrote {count} files ({:.1} MB) under {} with seed {seed}",
        bytes as f64 / 1e6,
        out.display()
    );
}
