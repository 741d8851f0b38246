//! Exact money: decimal amounts read only from quoted strings, and the one rounding rule.
//!
//! Every amount, rate and percentage in callcap is a [`rust_decimal::Decimal`]. Input files must
//! quote decimals (`"0.21"`): a bare TOML float has already been through binary floating point
//! and may not be the number the author wrote.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serializer;

/// The most decimal places accepted in any input amount (caps are set to the tenth of a cent;
/// one more place leaves room for per-minute site-commission equivalents).
pub const MAX_INPUT_SCALE: u32 = 4;

/// The largest amount accepted in any input (a sanity bound against typos, not a rule).
pub const MAX_INPUT_AMOUNT: Decimal = Decimal::from_parts(1_000_000_000, 0, 0, false, 0);

/// The rounding rule: money charged or shown is rounded to the cent, half away from zero
/// (a charge of $0.125 is $0.13). Used for every charge a payer sees; comparisons with caps
/// are made on exact values before rounding.
pub fn round_to_cent(amount: Decimal) -> Decimal {
    amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// The rounding rule for derived per-minute prices (an effective price per minute talked):
/// to the hundredth of a cent, half away from zero. Caps are set to the tenth of a cent, so
/// four places show any difference that matters.
pub fn round_rate(rate: Decimal) -> Decimal {
    rate.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// The rounding rule for quantities shown but not priced (minutes billed in increments that are
/// not whole minutes): to four decimal places, half away from zero. Prices use the exact
/// seconds ([`crate::cost::CallCharge::seconds_billed`]).
pub fn round_quantity(quantity: Decimal) -> Decimal {
    quantity.round_dp_with_strategy(4, RoundingStrategy::MidpointAwayFromZero)
}

/// Exact arithmetic that reports a result too large for a decimal (about 7.9 × 10^28) as bad
/// input instead of panicking: `a.times(b)?`. Used wherever inputs multiply together
/// (populations × minutes × rates × deposits), so no accepted input can crash the page.
pub trait Exact: Sized {
    /// `self × other`.
    fn times(self, other: Decimal) -> crate::error::Result<Decimal>;
    /// `self + other`.
    fn plus(self, other: Decimal) -> crate::error::Result<Decimal>;
    /// `self ÷ other` (other is never zero where callcap divides).
    fn over(self, other: Decimal) -> crate::error::Result<Decimal>;
}

fn too_large() -> crate::error::Error {
    crate::error::Error::too_large(
        "the amounts are too large to compute exactly; check the inputs for a typo",
    )
}

impl Exact for Decimal {
    fn times(self, other: Decimal) -> crate::error::Result<Decimal> {
        self.checked_mul(other).ok_or_else(too_large)
    }
    fn plus(self, other: Decimal) -> crate::error::Result<Decimal> {
        self.checked_add(other).ok_or_else(too_large)
    }
    fn over(self, other: Decimal) -> crate::error::Result<Decimal> {
        self.checked_div(other).ok_or_else(too_large)
    }
}

/// The smallest deposit callcap models (a typo guard: deposits are dollars, not cents).
pub const MIN_DEPOSIT: Decimal = Decimal::ONE;

/// An amount as output shows it: at least two decimal places, no trailing zeros beyond them
/// ("0.2" → "0.20", "0.0210" → "0.021", "3" → "3.00"), and at most four: an exact value with
/// no end (a call of 1,000 billed seconds at $0.19 a minute costs $3.1666…) is shown by
/// [`round_rate`], to the hundredth of a cent ("3.1667"). Comparisons are made on the exact
/// values, never on what is shown.
pub fn display(amount: Decimal) -> String {
    let amount = if amount.scale() > 4 {
        round_rate(amount)
    } else {
        amount
    };
    // Amounts are usually already at two decimal places, or at three or four without trailing
    // zeros: those print as they are, without normalizing.
    let scale = amount.scale();
    if (2..=4).contains(&scale) {
        let text = plain(amount);
        if scale == 2 || !text.ends_with('0') {
            return text;
        }
    }
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    plain(d)
}

/// `amount.to_string()` (every digit of the mantissa, the point before the last `scale` of
/// them, a `-` when the sign is negative, even on zero), written directly when the mantissa
/// fits in 64 bits, as every amount shown does: the formatting machinery costs a bulk check
/// about 600 instructions an amount, 23 amounts a file.
fn plain(amount: Decimal) -> String {
    let Ok(mut digits) = u64::try_from(amount.mantissa().unsigned_abs()) else {
        return amount.to_string();
    };
    let scale = amount.scale();
    // at most 28 places, a point, a `0` before it (or 20 digits), and a sign
    let mut text = [0u8; 32];
    let mut at = text.len();
    let mut put = |byte: u8| {
        at -= 1;
        text[at] = byte;
    };
    for _ in 0..scale {
        put(b'0' + (digits % 10) as u8);
        digits /= 10;
    }
    if scale > 0 {
        put(b'.');
    }
    loop {
        put(b'0' + (digits % 10) as u8);
        digits /= 10;
        if digits == 0 {
            break;
        }
    }
    if amount.is_sign_negative() {
        put(b'-');
    }
    // (digits, a point and a sign: always UTF-8)
    std::str::from_utf8(&text[at..]).map_or_else(|_| amount.to_string(), String::from)
}

/// An amount for people to read: [`display`] with thousands separated by commas
/// ("254702.59" → "254,702.59").
pub fn display_grouped(amount: Decimal) -> String {
    let text = display(amount);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{fraction}")
}

/// Serializes a [`Decimal`] as the string [`display`] gives.
pub fn serialize<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&display(*amount))
}

/// Serializes a quantity that is not money (minutes, a count that may be fractional) as its
/// shortest exact string ("15", "1.5").
pub fn serialize_quantity<S: Serializer>(amount: &Decimal, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&amount.normalize().to_string())
}

/// Serializes an optional [`Decimal`] as a string or null.
pub fn serialize_opt<S: Serializer>(amount: &Option<Decimal>, s: S) -> Result<S::Ok, S::Error> {
    match amount {
        Some(a) => s.serialize_str(&display(*a)),
        None => s.serialize_none(),
    }
}

/// Parses a count as a person types it (`" 16 "`): a whole number of 0 or more, saying what is
/// wrong in words of `what` ("calls a week") when it is not one: negative, too large for a
/// count, or not a whole number.
pub fn parse_count(text: &str, what: &str) -> Result<u32, String> {
    let t = text.trim();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = t.strip_prefix('-').filter(|r| digits(r)) {
        if rest.bytes().any(|b| b != b'0') {
            return Err(format!(
                "{} is negative; give a whole number of {what}, 0 or more",
                crate::error::quoted(text)
            ));
        }
        return Ok(0);
    }
    if !digits(t) {
        return Err(format!(
            "{} is not a whole number of {what}; write it like 4{}",
            crate::error::quoted(text),
            crate::error::invisible_note(text)
        ));
    }
    t.parse().map_err(|_| {
        format!(
            "{} is too large a number of {what} (at most {})",
            crate::error::quoted(text),
            u32::MAX
        )
    })
}

/// Holds a decimal given as a typed value (a Parquet decimal column) to the input rules that
/// [`parse_amount`] holds text to: not negative, at most [`MAX_INPUT_SCALE`] decimal places
/// (trailing zeros aside: `1.5000000` of a column of scale 7 is 1.5), at most
/// [`MAX_INPUT_AMOUNT`].
pub fn check_amount(d: Decimal) -> Result<Decimal, String> {
    let n = d.normalize();
    if n.is_sign_negative() && !n.is_zero() {
        return Err(format!("`{d}` is negative; amounts are 0 or more"));
    }
    if n.scale() > MAX_INPUT_SCALE {
        return Err(format!(
            "`{d}` has {} decimal places; at most {MAX_INPUT_SCALE} are accepted",
            n.scale()
        ));
    }
    if n > MAX_INPUT_AMOUNT {
        return Err(format!(
            "`{d}` is too large; amounts up to {MAX_INPUT_AMOUNT} are accepted"
        ));
    }
    // Kept at the scale it was given in, up to MAX_INPUT_SCALE (1.50 stays 1.50).
    let mut kept = n.abs();
    kept.rescale(d.scale().min(MAX_INPUT_SCALE).max(n.scale()));
    Ok(kept)
}

/// Parses a decimal written as text, with the input rules: plain notation, not negative, at
/// most [`MAX_INPUT_SCALE`] decimal places, at most [`MAX_INPUT_AMOUNT`].
pub fn parse_amount(text: &str) -> Result<Decimal, String> {
    // size: read by hand (digits, at most one point, an optional leading minus), not with
    // rust_decimal's parser: the input rules allow nothing more, and its general parser
    // (exponents, separators, rounding of long inputs) is a lot of code in the browser build.
    let t = crate::error::trim(text);
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t),
    };
    // perf: one pass over the bytes (an audit reads an amount on every row): the digits' value,
    // how many there are, where the point is, and whether anything else is there.
    let (mut mantissa, mut digits, mut whole_digits, mut nonzero) = (0i64, 0usize, 0usize, false);
    let (mut point, mut other) = (None, false);
    for b in body.bytes() {
        match b {
            b'0'..=b'9' => {
                nonzero |= b != b'0';
                // Leading zeros of the whole part are not counted: they do not make it larger.
                if point.is_none() && nonzero {
                    whole_digits += 1;
                }
                digits += 1;
                // Used only once the counts below are in bounds (at most 14 digits): saturating
                // keeps a longer text from overflowing before it is refused.
                mantissa = mantissa
                    .saturating_mul(10)
                    .saturating_add(i64::from(b - b'0'));
            }
            b'.' if point.is_none() => point = Some(digits),
            _ => other = true,
        }
    }
    if digits == 0 || other {
        return Err(format!(
            "{} is not a decimal amount; write it like \"0.21\"{}",
            crate::error::quoted(text),
            crate::error::invisible_note(text)
        ));
    }
    if negative && nonzero {
        return Err(format!("`{text}` is negative; amounts are 0 or more"));
    }
    let scale = point.map_or(0, |p| digits - p);
    if scale > MAX_INPUT_SCALE as usize {
        return Err(format!(
            "`{text}` has {scale} decimal places; at most {MAX_INPUT_SCALE} are accepted"
        ));
    }
    let too_large =
        || format!("`{text}` is too large; amounts up to {MAX_INPUT_AMOUNT} are accepted");
    // At most 10 whole digits (the limit has 10) and 4 decimals: the digits fit an i64.
    if whole_digits > 10 || above_max_input(mantissa, scale as u32) {
        return Err(too_large());
    }
    // `scale` is at most MAX_INPUT_SCALE here, far below rust_decimal's 28.
    Ok(Decimal::new(mantissa, scale as u32))
}

/// Whether `mantissa / 10^scale` is above [`MAX_INPUT_AMOUNT`]: compared as integers, the two
/// sides brought to one scale (perf: a `Decimal` comparison rescales each time). `scale` is at
/// most [`MAX_INPUT_SCALE`] and `mantissa` below 10^15: nothing overflows an i128.
fn above_max_input(mantissa: i64, scale: u32) -> bool {
    let max = MAX_INPUT_AMOUNT;
    i128::from(mantissa) * 10i128.pow(max.scale()) > max.mantissa() * 10i128.pow(scale)
}

/// Parses an amount as people type it in a spreadsheet cell: [`parse_amount`]'s rules, after
/// trimming spaces and one leading `$` (`"0.21"`, `"$0.21"`, `" 0.21 "`).
pub fn parse_cell_amount(text: &str) -> Result<Decimal, String> {
    let t = text.trim();
    let t = t.strip_prefix('$').map_or(t, str::trim_start);
    parse_amount(t).map_err(|m| m.replace("\"0.21\"", "0.21 or $0.21"))
}

/// The amount a numeric spreadsheet cell holds (XLSX stores numbers as binary floats).
///
/// Exact for every typed value: a number typed as `0.21` is stored as the double nearest
/// 0.21, and the shortest decimal that reads back as that double (what Rust's `{}` prints
/// for an `f64`, never in exponent notation) is `0.21` again, for any decimal of at most 15
/// significant digits. `Decimal::from_f64` would instead give the double's binary expansion
/// (0.2099999999999999922…). A computed value that is not a short decimal (`=0.1+0.2` is
/// 0.30000000000000004) has more than [`MAX_INPUT_SCALE`] places and is refused, as an
/// over-precise amount in a TOML file is.
pub fn amount_from_f64(value: f64) -> Result<Decimal, String> {
    if !value.is_finite() {
        return Err(format!(
            "`{value}` is not an amount; write it like 0.21 or $0.21"
        ));
    }
    let text = format!("{value}");
    parse_amount(&text).map_err(|m| {
        if m.contains("decimal places") {
            format!("{m} (a number computed by a formula? round it, like 0.21)")
        } else {
            m
        }
    })
}

/// A price per call of `minutes` minutes (as a bill shows it: "$3.15 for a 15-minute call")
/// as a price per minute: `price ÷ minutes`, exact when it has at most four decimal places,
/// else rounded by [`round_rate`] (to the hundredth of a cent, half away from zero). The flag
/// says whether it was rounded, so that an estimate can say so.
pub fn per_minute_from_call_price(price: Decimal, minutes: u32) -> Result<(Decimal, bool), String> {
    if minutes == 0 {
        return Err("a price per call needs the call's length: 1 minute or more".into());
    }
    let exact = price / Decimal::from(minutes);
    let rate = round_rate(exact);
    Ok((rate.normalize(), rate != exact))
}

/// Which mark separates dollars from cents in an amount as a person types it in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecimalMark {
    /// `0.21`, `1,250.00` (English): a comma only groups thousands.
    Point,
    /// `0,21` or `0.21` (Spanish, as written in much of Latin America and Spain): a lone comma
    /// followed by at most [`MAX_INPUT_SCALE`] digits is the decimal mark.
    Comma,
}

/// Reads a money amount as a person types it in a form (`"$0.21"`, `"US$ 25"`, `"1,250.00"`,
/// and with [`DecimalMark::Comma`] `"0,21"`), by the input rules of [`parse_amount`]: a dollar
/// sign and spaces are dropped, thousands separators are taken out where they group by three,
/// and the rest is read as [`parse_amount`] reads it. Messages quote what was typed and say
/// what to type. Files keep the strict rule (plain notation only).
pub fn parse_typed_amount(text: &str, mark: DecimalMark) -> Result<Decimal, String> {
    let t = text.trim();
    let t = t
        .strip_prefix("US$")
        .or_else(|| t.strip_prefix('$'))
        .unwrap_or(t)
        .trim_start();
    let (negative, body) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t),
    };
    let grouped = |whole: &str, sep: char| {
        let mut groups = whole.split(sep);
        let first = groups.next().unwrap_or_default();
        (1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3)
    };
    let (whole, fraction) = match mark {
        DecimalMark::Comma if !body.contains('.') || body.contains(',') => {
            // `0,21`, `1.250,50`: the last comma is the decimal mark, points group thousands.
            match body.rsplit_once(',') {
                Some((w, f)) if !body.contains('.') || grouped(w, '.') => (w.to_string(), Some(f)),
                Some(_) => (body.to_string(), None),
                None => (body.to_string(), None),
            }
        }
        _ => match body.split_once('.') {
            Some((w, f)) => (w.to_string(), Some(f)),
            None => (body.to_string(), None),
        },
    };
    let group_mark = if mark == DecimalMark::Comma && fraction.is_some() && !whole.contains(',') {
        '.'
    } else {
        ','
    };
    let whole = if whole.contains(group_mark) && grouped(&whole, group_mark) {
        whole.replace(group_mark, "")
    } else {
        whole
    };
    let plain = match fraction {
        Some(f) => format!("{negative}{whole}.{f}"),
        None => format!("{negative}{whole}"),
    };
    let like = match mark {
        DecimalMark::Point => "0.21",
        DecimalMark::Comma => "0,21",
    };
    parse_amount(&plain).map_err(|e| {
        if e.contains("not a decimal amount") {
            format!(
                "{} is not an amount of money; write it like {like}{}",
                crate::error::quoted(text),
                crate::error::invisible_note(text)
            )
        } else {
            // The other rules (negative, places, size) say the number as read.
            e
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Written as `Decimal`'s `Display` writes it, for every scale, sign and size of mantissa
    /// (those past 64 bits through `Display` itself).
    #[test]
    fn plain_is_the_decimal_s_display() {
        let mut mantissas: Vec<i128> = vec![0, 1, 9, 10, 99, 100, 101, 12_345, 1 << 40];
        mantissas.extend([u64::MAX as i128, u64::MAX as i128 + 1, (1 << 96) - 1]);
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..2000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            mantissas.push(i128::from(x >> (x % 64)));
        }
        for &m in &mantissas {
            for scale in 0..=28 {
                for negative in [false, true] {
                    let d = Decimal::from_i128_with_scale(if negative { -m } else { m }, scale);
                    assert_eq!(plain(d), d.to_string(), "{m} at scale {scale}");
                    let mut zero = Decimal::new(0, scale);
                    zero.set_sign_negative(negative);
                    assert_eq!(plain(zero), zero.to_string());
                }
            }
        }
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_to_the_cent() {
        for (input, want) in [
            ("0.125", "0.13"),
            ("0.124", "0.12"),
            ("3.15", "3.15"),
            ("0.005", "0.01"),
            ("2.675", "2.68"),
        ] {
            assert_eq!(round_to_cent(dec(input)).to_string(), want, "{input}");
        }
    }

    #[test]
    fn displays_at_least_two_places() {
        for (input, want) in [
            ("0.25", "0.25"),
            ("0.125", "0.125"),
            ("0.1250", "0.125"),
            ("0.0005", "0.0005"),
            ("12.00", "12.00"),
            ("-1.50", "-1.50"),
            ("100", "100.00"),
            ("0.120000", "0.12"),
        ] {
            assert_eq!(display(dec(input)), want, "{input}");
        }
        assert_eq!(display(dec("0.2")), "0.20");
        assert_eq!(display(dec("0.0210")), "0.021");
        assert_eq!(display(dec("3")), "3.00");
        assert_eq!(display(dec("0")), "0.00");
        // An exact value with no end is shown to the hundredth of a cent, never 28 digits.
        let third = Decimal::from(19) / Decimal::from(6);
        assert_eq!(display(third), "3.1667");
        assert_eq!(display(Decimal::from(189) / Decimal::from(60)), "3.15");
    }

    #[test]
    fn counts_say_what_is_wrong_in_the_words_given() {
        assert_eq!(parse_count(" 16 ", "calls a week"), Ok(16));
        assert_eq!(parse_count("-0", "calls a week"), Ok(0));
        let e = parse_count("-5", "calls a week").unwrap_err();
        assert_eq!(
            e,
            "\"-5\" is negative; give a whole number of calls a week, 0 or more"
        );
        let e = parse_count("9223372036854775808", "minutes").unwrap_err();
        assert!(e.contains("too large a number of minutes"), "{e}");
        let e = parse_count("four", "calls a week").unwrap_err();
        assert!(
            e.starts_with("\"four\" is not a whole number of calls a week"),
            "{e}"
        );
        let e = parse_count("1.5", "minutes").unwrap_err();
        assert!(e.contains("not a whole number"), "{e}");
    }

    #[test]
    fn groups_thousands_for_people() {
        assert_eq!(display_grouped(dec("254702.59")), "254,702.59");
        assert_eq!(display_grouped(dec("150000")), "150,000.00");
        assert_eq!(display_grouped(dec("999.5")), "999.50");
        assert_eq!(display_grouped(dec("-1234.5")), "-1,234.50");
        assert_eq!(display_grouped(dec("0.021")), "0.021");
    }

    #[test]
    fn reads_spreadsheet_cells_exactly() {
        for text in ["0.21", "$0.21", " 0.21 ", " $ 0.21", "$.21"] {
            assert_eq!(parse_cell_amount(text), Ok(dec("0.21")), "{text}");
        }
        let e = parse_cell_amount("abc").unwrap_err();
        assert!(e.contains("like 0.21 or $0.21"), "{e}");
        assert!(parse_cell_amount("-$1").is_err());
        for (f, want) in [
            (0.21, "0.21"),
            (0.1, "0.1"),
            (3.15, "3.15"),
            (150000.0, "150000"),
            (0.0001, "0.0001"),
        ] {
            assert_eq!(amount_from_f64(f), Ok(dec(want)), "{f}");
        }
        let e = amount_from_f64(0.1 + 0.2).unwrap_err();
        assert!(e.contains("decimal places") && e.contains("formula"), "{e}");
        assert!(amount_from_f64(-0.5).unwrap_err().contains("negative"));
        assert!(amount_from_f64(f64::NAN).is_err());
    }

    #[test]
    fn turns_a_price_per_call_into_a_price_per_minute() {
        assert_eq!(
            per_minute_from_call_price(dec("3.15"), 15),
            Ok((dec("0.21"), false))
        );
        assert_eq!(
            per_minute_from_call_price(dec("1.00"), 15),
            Ok((dec("0.0667"), true))
        );
        assert!(per_minute_from_call_price(dec("1"), 0).is_err());
    }

    #[test]
    fn parses_only_plain_bounded_decimals() {
        assert_eq!(parse_amount("0.21"), Ok(dec("0.21")));
        assert_eq!(parse_amount("-0"), Ok(Decimal::ZERO));
        for bad in [
            "",
            "abc",
            "1e3",
            "0.2.1",
            "-0.01",
            "0.12345",
            "1000000001",
            "NaN",
        ] {
            assert!(parse_amount(bad).is_err(), "{bad} should be rejected");
        }
        let e = parse_amount("0.00000000000000000001").unwrap_err();
        assert!(e.contains("20 decimal places"), "{e}");
        // The scale is the digits written (trailing zeros count, as in a tariff's text).
        assert_eq!(parse_amount("0.2100").map(|d| d.scale()), Ok(4));
        assert!(parse_amount("0.21000")
            .unwrap_err()
            .contains("5 decimal places"));
        assert_eq!(parse_amount(" 1. "), Ok(Decimal::ONE));
        assert_eq!(parse_amount(".5"), Ok(dec("0.5")));
        assert_eq!(parse_amount("-0.000"), Ok(Decimal::ZERO));
        assert_eq!(parse_amount("0001000000000"), Ok(MAX_INPUT_AMOUNT));
        for bad in [".", "-", "--1", "1-2", "+1", "1_000", " ", "٣"] {
            let e = parse_amount(bad).unwrap_err();
            assert!(e.contains("not a decimal amount"), "{bad}: {e}");
        }
        let e = parse_amount(&"9".repeat(40)).unwrap_err();
        assert!(e.contains("too large"), "{e}");
        assert!(parse_amount("-5").unwrap_err().contains("negative"));
    }

    /// `parse_amount` as it was written before its one-pass reading (split at the point, then
    /// each part's digits; a `Decimal` comparison with the limit): the reference it is held to.
    fn parse_amount_reference(text: &str) -> Result<Decimal, String> {
        let t = crate::error::trim(text);
        let (negative, body) = match t.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, t),
        };
        let (whole, fraction) = body.split_once('.').unwrap_or((body, ""));
        let digits = || whole.bytes().chain(fraction.bytes());
        if whole.len() + fraction.len() == 0 || !digits().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "{} is not a decimal amount; write it like \"0.21\"{}",
                crate::error::quoted(text),
                crate::error::invisible_note(text)
            ));
        }
        if negative && digits().any(|b| b != b'0') {
            return Err(format!("`{text}` is negative; amounts are 0 or more"));
        }
        let scale = fraction.len();
        if scale > MAX_INPUT_SCALE as usize {
            return Err(format!(
                "`{text}` has {scale} decimal places; at most {MAX_INPUT_SCALE} are accepted"
            ));
        }
        let too_large =
            || format!("`{text}` is too large; amounts up to {MAX_INPUT_AMOUNT} are accepted");
        if whole.trim_start_matches('0').len() > 10 {
            return Err(too_large());
        }
        let mantissa = digits().fold(0i64, |n, b| n * 10 + i64::from(b - b'0'));
        let d = Decimal::new(mantissa, scale as u32);
        if d > MAX_INPUT_AMOUNT {
            return Err(too_large());
        }
        Ok(d)
    }

    proptest::proptest! {
        /// Any text: the same amount, or the same message, as the reference.
        #[test]
        fn amounts_are_read_as_the_reference_reads_them(
            text in r"[-0-9. a]{0,24}|-?0*[0-9]{0,12}(\.[0-9]{0,6})?"
        ) {
            proptest::prop_assert_eq!(parse_amount(&text), parse_amount_reference(&text));
        }
    }

    #[test]
    fn amounts_at_the_limit_and_past_it() {
        for text in [
            "1000000000",
            "1000000000.0000",
            "999999999.9999",
            "1000000000.0001",
            "1000000001",
            "9999999999.9999",
            "10000000000",
            "00000000001000000000.00",
        ] {
            assert_eq!(parse_amount(text), parse_amount_reference(text), "{text}");
        }
        assert_eq!(parse_amount("1000000000.0000"), Ok(MAX_INPUT_AMOUNT));
        assert!(parse_amount("1000000000.0001")
            .unwrap_err()
            .contains("too large"));
    }

    #[test]
    fn amounts_as_people_type_them() {
        use DecimalMark::{Comma, Point};
        for (text, mark, want) in [
            ("0.21", Point, "0.21"),
            ("$0.21", Point, "0.21"),
            (" $ 0.21 ", Point, "0.21"),
            ("US$25", Point, "25"),
            ("1,250.00", Point, "1250.00"),
            ("25", Point, "25"),
            ("0,21", Comma, "0.21"),
            ("$0,21", Comma, "0.21"),
            ("0.21", Comma, "0.21"),
            ("1.250,50", Comma, "1250.50"),
            ("1,250", Point, "1250"),
            ("3,95", Comma, "3.95"),
        ] {
            assert_eq!(
                parse_typed_amount(text, mark),
                Ok(dec(want)),
                "{text} ({mark:?})"
            );
        }
        for (text, mark) in [
            ("0,21", Point),
            ("abc", Point),
            ("", Point),
            ("$", Comma),
            ("1,25.00", Point),
            ("0,2,1", Comma),
            ("1.25,5", Comma),
            ("21¢", Point),
        ] {
            let e = parse_typed_amount(text, mark).unwrap_err();
            assert!(
                e.contains("is not an amount of money; write it like"),
                "{text}: {e}"
            );
        }
        // The strict rules still hold, said of the number as read.
        assert!(parse_typed_amount("-$1", Point).is_err());
        assert!(parse_typed_amount("$-1", Point)
            .unwrap_err()
            .contains("negative"));
        assert!(parse_typed_amount("0,12345", Comma)
            .unwrap_err()
            .contains("decimal places"));
    }
}
