//! The bundled rate book, packed: read and validated once, when it is generated, not on every
//! start.
// size: the whole module exists for the page's size and start: without it the page carries the
// rate book's TOML, reader and validation (+22.5 KB gzip, 30-90 ms at start; audit 2026-12 §1.3).
//!
//! Reading and validating the rate book's TOML takes a large share of the browser build's code
//! (the readers of every table, the validation, the TOML text itself). `rates/bundled.pack`
//! holds the same book, already read and validated, in a small binary form that takes a few
//! instructions per field to read back. It is generated from `rates/*.toml` and checked in:
//!
//! ```text
//! cargo run --example pack_rates --features pack-writer
//! ```
//!
//! The writing half (`pack`, behind the `pack-writer` feature and tests) is never in the page's
//! build; only the reading half is.
//!
//! The pack starts with a fingerprint of what it was made from: the TOML files, the layout of
//! every packed type (its fields, as written in the source) and [`FORMAT`]. `PACK_IS_FRESH` (`src/ratebook/load.rs`) compares
//! it, at compile time, with the fingerprint of the files and types being compiled. When they
//! differ (a `.toml` file or a type was edited and the pack not regenerated), the bundled book
//! is read from its TOML as before, so it is never stale, only slower and larger; and the test
//! `bundled_pack_is_current` fails, naming the command above. In the WebAssembly build a stale
//! pack is a compile error instead: the page would silently carry the TOML reading code.
//!
//! Layout: `CCRB`, the fingerprint (u64, little endian), then the book's fields in order.
//! Whole numbers are LEB128 varints; text is its length and UTF-8 bytes; decimals are
//! `rust_decimal`'s 16-byte form; dates are days from the Common Era; options a 0/1 byte before
//! the value; lists their length before the items; vocabulary words their place in their
//! vocabulary (one byte), whose words, in order, are part of the type's fingerprint.

use crate::dated::Periods;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The version of the encoding of the basic values above; bump it when one changes.
pub(crate) const FORMAT: u32 = 2;

/// The first bytes of a pack.
const MAGIC: &[u8; 4] = b"CCRB";

/// A value that can be written to and read back from a pack.
pub(crate) trait Pack: Sized {
    /// A hash of the type's layout: its name and fields as written in the source, and the
    /// fingerprints of the fields' types. Any change to a packed type changes it.
    const FINGERPRINT: u64;
    /// Appends the value to `out` (only the generator packs: see `bundled_pack_is_current`).
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>);
    /// Reads the value back; `None` when the bytes are not a packed value of this type.
    fn unpack(r: &mut Reader<'_>) -> Option<Self>;
}

/// Reads values from a pack, front to back.
pub(crate) struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over a whole pack: checks the magic and skips the fingerprint.
    pub(crate) fn open(bytes: &'a [u8]) -> Option<Reader<'a>> {
        let rest = bytes.strip_prefix(MAGIC)?.get(8..)?;
        Some(Reader { rest })
    }

    /// True when every byte has been read.
    pub(crate) fn is_done(&self) -> bool {
        self.rest.is_empty()
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.rest.len() {
            return None;
        }
        let (head, rest) = self.rest.split_at(n);
        self.rest = rest;
        Some(head)
    }

    pub(crate) fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn varint(&mut self) -> Option<u32> {
        let mut n: u32 = 0;
        for shift in (0..35).step_by(7) {
            let b = self.byte()?;
            n |= u32::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
        None
    }

    fn len(&mut self) -> Option<usize> {
        // A length can never exceed the bytes left (every item takes at least one byte).
        usize::try_from(self.varint()?)
            .ok()
            .filter(|&n| n <= self.rest.len())
    }
}

/// Starts a pack: the magic and the fingerprint.
#[cfg(any(test, feature = "pack-writer"))]
pub(crate) fn header(fingerprint: u64) -> Vec<u8> {
    let mut out = MAGIC.to_vec();
    out.extend_from_slice(&fingerprint.to_le_bytes());
    out
}

/// The fingerprint a pack records, or 0 when it has none (an empty or foreign file).
pub(crate) const fn recorded(bytes: &[u8]) -> u64 {
    if bytes.len() < 12
        || bytes[0] != MAGIC[0]
        || bytes[1] != MAGIC[1]
        || bytes[2] != MAGIC[2]
        || bytes[3] != MAGIC[3]
    {
        return 0;
    }
    u64::from_le_bytes([
        bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9], bytes[10], bytes[11],
    ])
}

/// FNV-1a over `bytes`, continuing from `hash`, then a 0 byte (so that "ab","c" and "a","bc"
/// differ). A `const fn`, so the fingerprint of the sources is computed by the compiler.
pub(crate) const fn fnv(hash: u64, bytes: &[u8]) -> u64 {
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut h = hash;
    let mut i = 0;
    while i < bytes.len() {
        h = (h ^ bytes[i] as u64).wrapping_mul(PRIME);
        i += 1;
    }
    h.wrapping_mul(PRIME)
}

/// Where every fingerprint starts: FNV's offset basis mixed with [`FORMAT`].
pub(crate) const fn fnv_start() -> u64 {
    fnv(0xcbf2_9ce4_8422_2325, &FORMAT.to_le_bytes())
}

#[cfg(any(test, feature = "pack-writer"))]
fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

#[cfg(any(test, feature = "pack-writer"))]
fn put_len(out: &mut Vec<u8>, n: usize) {
    // Packs are generated from a rate book of a few hundred values; nothing is near 2^32.
    put_varint(out, u32::try_from(n).unwrap_or(u32::MAX));
}

impl Pack for u32 {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"u32");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_varint(out, *self);
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        r.varint()
    }
}

impl Pack for bool {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"bool");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
}

/// Text: its length in bytes, then its UTF-8 bytes.
#[cfg(any(test, feature = "pack-writer"))]
fn put_str(out: &mut Vec<u8>, text: &str) {
    put_len(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

/// Text as `put_str` writes it (its length, then its bytes); none if it is cut short or not
/// UTF-8.
fn take_str<'r>(r: &mut Reader<'r>) -> Option<&'r str> {
    let n = r.len()?;
    std::str::from_utf8(r.take(n)?).ok()
}

impl Pack for String {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"String");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_str(out, self);
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        take_str(r).map(str::to_string)
    }
}

/// Written as a [`String`] is.
impl Pack for std::sync::Arc<str> {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"Arc<str>");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_str(out, self);
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        take_str(r).map(Into::into)
    }
}

impl Pack for Decimal {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"Decimal");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.serialize());
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        let bytes: [u8; 16] = r.take(16)?.try_into().ok()?;
        // `deserialize` masks the flags, so any 16 bytes give some decimal; the scale byte is
        // checked so that a corrupt pack is refused rather than read as a strange amount.
        (bytes[2] <= 28 && bytes[0] == 0 && bytes[1] == 0).then(|| Decimal::deserialize(bytes))
    }
}

impl Pack for NaiveDate {
    const FINGERPRINT: u64 = fnv(fnv_start(), b"NaiveDate");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        // Dates in a rate book are after the year 1.
        put_varint(
            out,
            u32::try_from(chrono::Datelike::num_days_from_ce(self)).unwrap_or(0),
        );
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        NaiveDate::from_num_days_from_ce_opt(i32::try_from(r.varint()?).ok()?)
    }
}

impl<T: Pack> Pack for Option<T> {
    const FINGERPRINT: u64 = fnv(T::FINGERPRINT, b"Option");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.pack(out);
            }
        }
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        match r.byte()? {
            0 => Some(None),
            1 => T::unpack(r).map(Some),
            _ => None,
        }
    }
}

impl<T: Pack> Pack for Vec<T> {
    const FINGERPRINT: u64 = fnv(T::FINGERPRINT, b"Vec");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_len(out, self.len());
        for v in self {
            v.pack(out);
        }
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        let n = r.len()?;
        let mut list = Vec::with_capacity(n);
        for _ in 0..n {
            list.push(T::unpack(r)?);
        }
        Some(list)
    }
}

impl<A: Pack, B: Pack> Pack for (A, B) {
    const FINGERPRINT: u64 = fnv(fnv(A::FINGERPRINT, b"pair"), &B::FINGERPRINT.to_le_bytes());
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        self.0.pack(out);
        self.1.pack(out);
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        Some((A::unpack(r)?, B::unpack(r)?))
    }
}

impl<T: Pack> Pack for Periods<T> {
    const FINGERPRINT: u64 = fnv(T::FINGERPRINT, b"Periods");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_len(out, self.iter().count());
        for (date, table) in self.iter() {
            date.pack(out);
            table.pack(out);
        }
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        Periods::from_sorted(Vec::unpack(r)?)
    }
}

impl<T: Pack> Pack for BTreeMap<String, T> {
    const FINGERPRINT: u64 = fnv(T::FINGERPRINT, b"BTreeMap<String>");
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack(&self, out: &mut Vec<u8>) {
        put_len(out, self.len());
        for (key, value) in self {
            key.pack(out);
            value.pack(out);
        }
    }
    fn unpack(r: &mut Reader<'_>) -> Option<Self> {
        // Packed in key order; inserted one by one so that a key out of order (a damaged pack)
        // is refused rather than sorted into place.
        let mut map = BTreeMap::new();
        for _ in 0..r.len()? {
            let key = String::unpack(r)?;
            if map
                .last_key_value()
                .is_some_and(|(last, _): (&String, _)| *last >= key)
            {
                return None;
            }
            let value = T::unpack(r)?;
            map.insert(key, value);
        }
        Some(map)
    }
}

/// Packs a vocabulary (a type implementing `vocab::Word`) as its place in the vocabulary, one
/// byte: its fingerprint holds the vocabulary's words in order, so that adding, removing or
/// reordering a word makes an older pack stale instead of misread.
// size: a byte, not the word's text (the state rules' scopes are lists of words: the pack's
// gzip size fell by about 1 KB; see rates/README.md, "bundled.pack").
macro_rules! pack_words {
    ($($ty:ty),+ $(,)?) => {$(
        impl $crate::pack::Pack for $ty {
            const FINGERPRINT: u64 = {
                let h = $crate::pack::fnv($crate::pack::fnv_start(), stringify!($ty).as_bytes());
                $crate::pack::fnv(h, <$ty as $crate::vocab::Word>::WORDS.as_bytes())
            };
            #[cfg(any(test, feature = "pack-writer"))]
            fn pack(&self, out: &mut Vec<u8>) {
                let all = <$ty as $crate::vocab::Word>::all();
                let at = all.iter().position(|w| w == self).unwrap_or(0);
                // Every vocabulary has far fewer than 256 words.
                out.push(u8::try_from(at).unwrap_or(u8::MAX));
            }
            fn unpack(r: &mut $crate::pack::Reader<'_>) -> Option<Self> {
                let at = usize::from(r.byte()?);
                <$ty as $crate::vocab::Word>::all().get(at).copied()
            }
        }
    )+};
}
pub(crate) use pack_words;

/// Packs a struct field by field, in the order listed (every field must be listed: the
/// struct expression below does not compile otherwise). Its fingerprint hashes the list as
/// written and the fingerprints of the fields' types.
///
/// Given a whole struct definition, defines the struct too, so that its fields are written once.
macro_rules! packed {
    (
        $(#[$m:meta])*
        $vis:vis struct $name:ident {
            $($(#[$fm:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)?
        }
    ) => {
        $(#[$m])*
        $vis struct $name {
            $($(#[$fm])* $fvis $field: $ty),*
        }
        $crate::pack::packed!($name { $($field: $ty),* });
    };
    ($name:ident { $($field:ident : $ty:ty),* $(,)? }) => {
        impl $crate::pack::Pack for $name {
            const FINGERPRINT: u64 = {
                let shape = concat!(stringify!($name), " { ", stringify!($($field: $ty),*), " }");
                #[allow(unused_mut)]
                let mut h = $crate::pack::fnv($crate::pack::fnv_start(), shape.as_bytes());
                $( h = $crate::pack::fnv(h, &<$ty as $crate::pack::Pack>::FINGERPRINT.to_le_bytes()); )*
                h
            };
            #[cfg(any(test, feature = "pack-writer"))]
            fn pack(&self, out: &mut Vec<u8>) {
                $( <$ty as $crate::pack::Pack>::pack(&self.$field, out); )*
            }
            fn unpack(r: &mut $crate::pack::Reader<'_>) -> Option<Self> {
                Some($name { $( $field: <$ty as $crate::pack::Pack>::unpack(r)?, )* })
            }
        }
    };
}
pub(crate) use packed;

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Pack + PartialEq + std::fmt::Debug>(value: T) {
        let mut out = header(7);
        value.pack(&mut out);
        let mut r = Reader::open(&out).expect("a header");
        assert_eq!(T::unpack(&mut r).as_ref(), Some(&value));
        assert!(r.is_done());
        // Every strict prefix is refused, never misread or a panic.
        for cut in 12..out.len() {
            let mut r = Reader::open(&out[..cut]).expect("a header");
            assert_eq!(T::unpack(&mut r), None, "cut at {cut}");
        }
    }

    #[test]
    fn basic_values_round_trip() {
        for n in [0u32, 1, 127, 128, 16_383, 16_384, u32::MAX] {
            round_trip(n);
        }
        round_trip(true);
        round_trip(false);
        round_trip(String::new());
        round_trip("§ 64.6010 — FCC 24-75".to_string());
        round_trip(std::sync::Arc::<str>::from("§ 64.6010 — FCC 24-75"));
        round_trip(std::sync::Arc::<str>::from(""));
        round_trip(Decimal::new(-21, 2));
        round_trip(Decimal::MAX);
        round_trip(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap());
        round_trip(Some(vec![
            (String::from("a"), 1u32),
            (String::from("b"), 2),
        ]));
        round_trip(None::<u32>);
    }

    #[test]
    fn vocabulary_words_pack_as_their_place_and_a_place_beyond_is_refused() {
        use crate::vocab::{Confidence, Word};
        for &c in Confidence::ALL {
            round_trip(c);
        }
        let mut out = Vec::new();
        Confidence::Low.pack(&mut out);
        assert_eq!(out, [2]);
        let mut r = Reader { rest: &[3] };
        assert_eq!(Confidence::unpack(&mut r), None);
        // The words are in the fingerprint: another vocabulary of the same size differs.
        assert_ne!(
            <Confidence as Pack>::FINGERPRINT,
            <crate::vocab::Severity as Pack>::FINGERPRINT
        );
        assert_eq!(Confidence::WORDS, "high medium low ");
    }

    #[test]
    fn corrupt_bytes_are_refused() {
        assert!(Reader::open(b"CCRB1234").is_none(), "a header is 12 bytes");
        assert!(Reader::open(b"XXXX12345678").is_none(), "the magic");
        let mut r = Reader { rest: &[2] };
        assert_eq!(bool::unpack(&mut r), None);
        let mut r = Reader {
            rest: &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
        };
        assert_eq!(u32::unpack(&mut r), None, "a varint over 32 bits");
        let mut r = Reader { rest: &[5, b'a'] };
        assert_eq!(String::unpack(&mut r), None, "a length past the end");
        let mut r = Reader {
            rest: &[2, 0xc3, 0x28],
        };
        assert_eq!(String::unpack(&mut r), None, "not UTF-8");
        let mut bad_scale = Decimal::ONE.serialize();
        bad_scale[2] = 29;
        let mut r = Reader { rest: &bad_scale };
        assert_eq!(<Decimal as Pack>::unpack(&mut r), None);
    }

    #[test]
    fn the_fingerprint_is_recorded_and_read_back() {
        let h = fnv(fnv_start(), b"caps.toml");
        assert_ne!(h, fnv(fnv_start(), b"caps.tom"));
        assert_ne!(
            fnv(fnv(fnv_start(), b"ab"), b"c"),
            fnv(fnv(fnv_start(), b"a"), b"bc")
        );
        assert_eq!(recorded(&header(h)), h);
        assert_eq!(recorded(b""), 0);
        assert_eq!(recorded(b"XXXX12345678"), 0);
    }
}
