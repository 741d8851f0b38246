//! # callcap
//!
//! The price of phone and video calls from U.S. prisons and jails, checked against the FCC's
//! rate caps in force on any date. Every cap, tier and fee rule comes from the rate book
//! (`rates/`), dated and cited; money is exact ([`rust_decimal::Decimal`]).
//!
//! ```
//! use callcap::{check, RateBook, Tariff};
//! use chrono::NaiveDate;
//!
//! let book = RateBook::bundled()?;
//! let tariff = Tariff::from_toml("example.toml", r#"
//!     [facility]
//!     kind = "jail"
//!     average_daily_population = 640
//!
//!     [[rate]]
//!     service = "audio"
//!     per_minute = "0.25"
//! "#)?;
//! let date = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
//! let result = check(&book, &tariff, date);
//! assert!(!result.compliant);
//! assert_eq!(result.findings[0].rule.as_str(), "per_minute_cap");
//! # Ok::<(), callcap::Error>(())
//! ```

#![deny(missing_docs)]

pub mod audit;
pub mod call;
pub mod check;
pub mod compare;
pub mod cost;
pub mod dated;
pub mod demand;
#[cfg(feature = "directory")]
pub mod directory;
pub mod error;
pub mod estimate;
pub mod facility;
pub mod money;
mod pack;
pub mod ratebook;
pub mod report;
pub mod sheet;
#[cfg(feature = "directory")]
pub mod sizing;
pub mod tariff;
mod toml_reader;
pub mod vocab;

/// callcap's version, as every answer reports it beside the rate book's edition.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub use call::{CallKind, Jurisdiction, Payment, Service};
pub use check::{check, CheckResult, Finding, RuleId};
pub use error::{Error, ErrorKind, Location, Result};
pub use facility::{Facility, FacilityKind};
pub use ratebook::{Confidence, RateBook, Rules, Severity, Versions};
pub use tariff::{FeeKind, Tariff};
