//! The parts of a zip archive (an XLSX workbook is one), by name: the central directory read here,
//! each part inflated by miniz_oxide and checked against its CRC-32 (the `crc` crate).
//!
//! size: written here rather than taken from the `zip` crate, measured: with `zip` (and flate2 over
//! miniz_oxide) the page's XLSX reader was 137 KB gzip, against 116 KB with this module and
//! miniz_oxide, and its budget is 100 KB (web/README.md, "Budgets"); `zip` carries features a
//! workbook does not use (writing, zip64, encryption, extra fields, other compression methods).
//! What a workbook does use is small: the end record, the central directory, each part's local
//! header, stored or deflated data. What is outside that (zip64, encryption, another method) is
//! refused by name, never guessed at. Every offset and length is checked against the archive's
//! bytes: a bad archive is an error naming what is wrong, never a panic.

use std::fmt;

/// What is wrong with an archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bad {
    /// No end of central directory record: not a zip archive.
    NotZip,
    /// A record that runs past the archive's end, or has the wrong signature.
    Truncated(&'static str),
    /// ZIP64 (an archive over 4 GB or of more than 65,535 parts).
    Zip64,
    /// A part that is encrypted.
    Encrypted(String),
    /// A part compressed by a method other than stored (0) or deflate (8).
    Method(String, u16),
    /// A part whose data does not inflate, or not to its recorded size and CRC-32.
    Corrupt(String, &'static str),
    /// A part larger (unpacked) than the limit.
    TooLarge(String, u64),
}

impl fmt::Display for Bad {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Bad::NotZip => write!(f, "not a zip archive"),
            Bad::Truncated(what) => write!(f, "its {what} is cut short or damaged"),
            Bad::Zip64 => write!(
                f,
                "a ZIP64 archive (over 4 GB or 65,535 parts), which callcap does not read"
            ),
            Bad::Encrypted(name) => write!(f, "`{name}` is encrypted"),
            Bad::Method(name, m) => write!(f, "`{name}` is compressed by method {m}, not deflate"),
            Bad::Corrupt(name, what) => write!(f, "`{name}` is damaged ({what})"),
            Bad::TooLarge(name, limit) => {
                write!(f, "`{name}` is larger than {} MB unpacked", limit >> 20)
            }
        }
    }
}

/// One part as the central directory lists it.
struct Entry {
    name: String,
    flags: u16,
    method: u16,
    crc: u32,
    packed: u32,
    size: u32,
    local: u32,
}

/// A zip archive's bytes and its central directory.
pub struct Archive {
    bytes: Vec<u8>,
    entries: Vec<Entry>,
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// size: CRC-32 (zip's, ISO-HDLC) by a table of 256 entries built at compile time (1 KB);
/// crc32fast's 16 tables of 256 made the page's XLSX reader 17 KB gzip larger, measured.
static CRC_32: crc::Crc<u32, crc::Table<1>> =
    crc::Crc::<u32, crc::Table<1>>::new(&crc::CRC_32_ISO_HDLC);

const END: u32 = 0x0605_4b50;
const CENTRAL: u32 = 0x0201_4b50;
const LOCAL: u32 = 0x0403_4b50;

impl Archive {
    /// Reads the central directory of the archive in `bytes`.
    pub fn new(bytes: Vec<u8>) -> Result<Archive, Bad> {
        // The end record (22 bytes and a comment of at most 65,535) closes the archive.
        let lowest = bytes.len().saturating_sub(22 + 0xFFFF);
        let end = (lowest..=bytes.len().saturating_sub(22))
            .rev()
            .find(|&i| u32_at(&bytes, i) == Some(END))
            .ok_or(Bad::NotZip)?;
        let cut = Bad::Truncated("central directory");
        let count = u16_at(&bytes, end + 10).ok_or(cut.clone())?;
        let offset = u32_at(&bytes, end + 16).ok_or(cut.clone())?;
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            return Err(Bad::Zip64);
        }
        let mut entries = Vec::with_capacity(usize::from(count));
        let mut at = offset as usize;
        for _ in 0..count {
            if u32_at(&bytes, at) != Some(CENTRAL) {
                return Err(cut);
            }
            let field16 = |o: usize| u16_at(&bytes, at + o).ok_or(cut.clone());
            let field32 = |o: usize| u32_at(&bytes, at + o).ok_or(cut.clone());
            let (name_len, extra_len, comment_len) = (field16(28)?, field16(30)?, field16(32)?);
            let name = bytes
                .get(at + 46..at + 46 + usize::from(name_len))
                .ok_or(cut.clone())?;
            let entry = Entry {
                name: String::from_utf8_lossy(name).into_owned(),
                flags: field16(8)?,
                method: field16(10)?,
                crc: field32(16)?,
                packed: field32(20)?,
                size: field32(24)?,
                local: field32(42)?,
            };
            if [entry.packed, entry.size, entry.local].contains(&0xFFFF_FFFF) {
                return Err(Bad::Zip64);
            }
            entries.push(entry);
            at += 46 + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
        }
        Ok(Archive { bytes, entries })
    }

    /// The names of the parts, as the archive spells them.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.name.as_str())
    }

    /// The part named `name` (as [`names`](Self::names) gives it), unpacked; `None` when there
    /// is none; an error when it is larger than `limit` bytes or damaged.
    pub fn read(&self, name: &str, limit: u64) -> Result<Option<Vec<u8>>, Bad> {
        let Some(e) = self.entries.iter().find(|e| e.name == name) else {
            return Ok(None);
        };
        let corrupt = |what| Bad::Corrupt(e.name.clone(), what);
        if e.flags & 1 != 0 {
            return Err(Bad::Encrypted(e.name.clone()));
        }
        if u64::from(e.size) > limit {
            return Err(Bad::TooLarge(e.name.clone(), limit));
        }
        // The local header repeats the name and has its own extra field; the data follows.
        let at = e.local as usize;
        if u32_at(&self.bytes, at) != Some(LOCAL) {
            return Err(corrupt("no local header where the directory says"));
        }
        let lens = u16_at(&self.bytes, at + 26).zip(u16_at(&self.bytes, at + 28));
        let (n, m) = lens.ok_or_else(|| corrupt("local header cut short"))?;
        let start = at + 30 + usize::from(n) + usize::from(m);
        let data = self
            .bytes
            .get(start..start + e.packed as usize)
            .ok_or_else(|| corrupt("data cut short"))?;
        let unpacked = match e.method {
            0 => data.to_vec(),
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, e.size as usize)
                .map_err(|_| corrupt("its deflate data does not unpack to its size"))?,
            m => return Err(Bad::Method(e.name.clone(), m)),
        };
        if unpacked.len() != e.size as usize {
            return Err(corrupt("not the size the directory records"));
        }
        if CRC_32.checksum(&unpacked) != e.crc {
            return Err(corrupt("its CRC-32 does not match"));
        }
        Ok(Some(unpacked))
    }
}
