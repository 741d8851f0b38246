//! Writes the spreadsheet templates of the example bids, `rates/examples/bids/bids-template.csv`
//! and `.xlsx`, from the bids' TOML files (so the three stay the same bids; tests/sheets.rs
//! compares them):
//!
//! ```text
//! cargo run --example sheet_templates --features sheets
//! ```

use callcap::Tariff;
use rust_decimal::Decimal;

const BIDS: &[&str] = &[
    "riverbend-vendor-a-high-commission.toml",
    "riverbend-vendor-b-no-commission-under-cap.toml",
    "riverbend-vendor-c-middle-starts-2025.toml",
];

const HEADER: &[&str] = &[
    "bid",
    "facility",
    "kind",
    "state",
    "operator",
    "average_daily_population",
    "provider",
    "start",
    "term_years",
    "commission_percent",
    "commission_per_minute",
    "minimum_annual_guarantee",
    "signing_bonus",
    "in_kind_per_year",
    "fee_automated_payment",
    "fee_live_agent",
    "fee_paper_statement",
    "fee_third_party_transaction",
    "service",
    "jurisdiction",
    "payment",
    "per_minute",
    "first_minute",
    "per_call",
    "billing_increment_seconds",
];

fn money(d: Decimal) -> String {
    d.normalize().to_string()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rates/examples/bids");
    let mut rows: Vec<Vec<String>> = vec![HEADER.iter().map(|h| h.to_string()).collect()];
    for name in BIDS {
        let t = Tariff::from_toml(name, &std::fs::read_to_string(dir.join(name))?)?;
        let bid = t.bid.as_ref().ok_or("not a bid")?;
        let fee = |kind: &str| {
            t.fees
                .iter()
                .find(|f| f.kind.as_str() == kind)
                .map_or(String::new(), |f| money(f.amount))
        };
        for (i, r) in t.rates.iter().enumerate() {
            // The bid's own values on its first row; the rows after give only their rate.
            let first = i == 0;
            let once = |v: String| if first { v } else { String::new() };
            let c = &t.commission;
            rows.push(vec![
                bid.name.clone(),
                once(t.facility.name.clone().unwrap_or_default()),
                once(t.facility.kind.to_string()),
                once(t.facility.state.clone().unwrap_or_default()),
                once(t.facility.operator.map_or(String::new(), |o| o.to_string())),
                once(t.facility.average_daily_population.to_string()),
                once(
                    t.provider
                        .as_ref()
                        .map_or(String::new(), |p| p.name.clone()),
                ),
                once(bid.start.to_string()),
                once(bid.term_years.to_string()),
                once(money(c.percent_of_revenue)),
                once(money(c.per_minute)),
                once(money(c.minimum_annual_guarantee)),
                once(money(c.signing_bonus)),
                once(money(bid.in_kind_per_year)),
                once(fee("automated_payment")),
                once(fee("live_agent")),
                once(fee("paper_statement")),
                once(fee("third_party_transaction")),
                r.service.map_or(String::new(), |s| s.to_string()),
                r.jurisdiction.map_or(String::new(), |s| s.to_string()),
                r.payment.map_or(String::new(), |s| s.to_string()),
                money(r.per_minute),
                r.first_minute.map_or(String::new(), money),
                if r.per_call.is_zero() {
                    String::new()
                } else {
                    money(r.per_call)
                },
                r.billing_increment_seconds.to_string(),
            ]);
        }
    }
    let mut csv = csv::Writer::from_path(dir.join("bids-template.csv"))?;
    for row in &rows {
        csv.write_record(row)?;
    }
    csv.flush()?;

    // The XLSX: amounts and counts as numbers (as people type them), the rest as text.
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Bids")?;
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let numeric = r > 0 && !["start"].contains(&HEADER[c]) && value.parse::<f64>().is_ok();
            if numeric {
                sheet.write_number(r as u32, c as u16, value.parse::<f64>()?)?;
            } else if !value.is_empty() {
                sheet.write_string(r as u32, c as u16, value)?;
            }
        }
    }
    book.save(dir.join("bids-template.xlsx"))?;
    Ok(())
}
