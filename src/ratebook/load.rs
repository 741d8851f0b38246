//! Loading a rate book: the bundled one (from its pack, or its TOML when the pack is out of
//! date), a directory of files, or (name, text) pairs.

use super::schema::{
    by_id, edition, periods, CallChargePeriod, CapPeriod, CommissionPeriod, ComponentPeriod,
    ExceptionDef, FeePeriod, NeverEffectiveOrder, Places, RegimePeriod, SourceDoc, TierPeriod,
    BUNDLED, FILES,
};
use super::states::{state_file, states};
use super::RateBook;
use crate::error::{Error, Result};
use std::collections::BTreeMap;
use std::path::Path;

/// The bundled book, read, validated and packed (see [`crate::pack`]).
#[cfg(not(target_arch = "wasm32"))]
const PACKED: &[u8] = include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/rates/bundled.pack"));

// size: the page embeds the bundled book without its notes: the state and local rules' (what
// was read, quotes, doubts: 4.1 KB of the pack's gzip size), the federal tables' (4.6 KB) and
// the regimes' (1.5 KB): research notes for auditors, whom the CLI and the library serve, which
// name the book's own files and source ids (issue 13, item 10: the page shows sources a reader
// can open instead). It keeps every rule's source, citation, link, dates and confidence. Measured: the state rules cost the page's module 11.5 KB gzip with
// their notes, and the federal notes grew with issue 11 §4; both put the page over its 175 KB
// transfer budget (web/README.md, "Budgets").
/// The bundled book as the page embeds it: [`RateBook::for_page`], packed.
#[cfg(any(test, target_arch = "wasm32"))]
const PAGE_PACKED: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/rates/bundled-page.pack"
));
#[cfg(target_arch = "wasm32")]
const PACKED: &[u8] = PAGE_PACKED;

/// The path of [`PACKED`], for messages.
const PACKED_PATH: &str = if cfg!(target_arch = "wasm32") {
    "rates/bundled-page.pack"
} else {
    "rates/bundled.pack"
};

/// What [`PACKED`] must have been made from: the layout of the book's types and the bundled
/// TOML files. Computed by the compiler.
const BUNDLED_FINGERPRINT: u64 = {
    let mut h = <RateBook as crate::pack::Pack>::FINGERPRINT;
    let mut i = 0;
    while i < BUNDLED.len() {
        h = crate::pack::fnv(h, BUNDLED[i].0.as_bytes());
        h = crate::pack::fnv(h, BUNDLED[i].1.as_bytes());
        i += 1;
    }
    h
};

/// True when [`PACKED`] is the bundled TOML, read by the types being compiled. When false,
/// [`RateBook::bundled`] reads the TOML instead, and a test fails until the pack is regenerated.
const PACK_IS_FRESH: bool = crate::pack::recorded(PACKED) == BUNDLED_FINGERPRINT;

/// The command that regenerates [`PACKED`].
const REGENERATE: &str = "cargo run --example pack_rates --features pack-writer";

// size: the page's module must unpack the bundled book, not read its TOML (22.5 KB gzip more,
// and 30-90 ms at start): a stale pack stops the WebAssembly build instead of falling back.
#[cfg(target_arch = "wasm32")]
const _: () = assert!(
    PACK_IS_FRESH,
    "rates/bundled.pack is out of date with rates/*.toml or the rate book's types; regenerate it: cargo run --example pack_rates --features pack-writer"
);

impl RateBook {
    /// The rate book bundled with this version of callcap.
    ///
    /// Read from its pack (`rates/bundled.pack`: the same files, read and validated when the
    /// pack was generated), or from the TOML files when the pack is out of date.
    pub fn bundled() -> Result<RateBook> {
        if PACK_IS_FRESH {
            return RateBook::unpack_bundled(PACKED).ok_or_else(|| {
                Error::file(
                    PACKED_PATH,
                    format!("the packed rate book is damaged; regenerate it: {REGENERATE}"),
                )
            });
        }
        RateBook::from_files(BUNDLED.iter().copied(), "bundled")
    }

    /// Reads a whole pack; `None` unless it holds a book and nothing after it.
    fn unpack_bundled(bytes: &[u8]) -> Option<RateBook> {
        let mut r = crate::pack::Reader::open(bytes)?;
        let book = <RateBook as crate::pack::Pack>::unpack(&mut r)?;
        r.is_done().then_some(book)
    }

    /// The pack of the bundled TOML files, read and validated: what `rates/bundled.pack` must
    /// hold. Written by `cargo run --example pack_rates --features pack-writer`.
    #[cfg(feature = "pack-writer")]
    pub fn bundled_pack_from_toml() -> Result<Vec<u8>> {
        Ok(RateBook::from_files(BUNDLED.iter().copied(), "bundled")?.pack_bundled())
    }

    /// The pack the page embeds (`rates/bundled-page.pack`): the bundled book without its
    /// state and local rules' notes ([`RateBook::for_page`]).
    #[cfg(feature = "pack-writer")]
    pub fn bundled_page_pack_from_toml() -> Result<Vec<u8>> {
        Ok(RateBook::from_files(BUNDLED.iter().copied(), "bundled")?
            .for_page()
            .pack_bundled())
    }

    /// The book as the page embeds it: the same, less its notes (research notes for auditors,
    /// which name the book's own files and source ids): those of its state and local rules and
    /// of its federal tables and regimes. Each rule keeps its source, citation, link, dates and
    /// confidence, which the page shows instead.
    #[cfg(any(test, feature = "pack-writer"))]
    fn for_page(&self) -> RateBook {
        use crate::dated::Periods;
        /// Each period of `periods`, changed by `f` (its dates stay as they are).
        fn each<T>(periods: &mut Periods<T>, f: impl Fn(&mut T)) {
            periods.values_mut().for_each(f);
        }
        macro_rules! no_notes {
            ($($x:expr),* $(,)?) => { $(for e in $x.iter_mut() { e.note = None; })* };
        }
        let mut book = self.clone();
        each(&mut book.regimes, |p| p.note = None);
        for file in book.state_rules.values_mut() {
            no_notes!(file.rule);
        }
        each(&mut book.tiers, |p| {
            p.note = None;
            no_notes!(p.tier);
        });
        each(&mut book.caps, |p| {
            p.note = None;
            no_notes!(p.cap);
        });
        each(&mut book.components, |p| {
            p.note = None;
            no_notes!(p.component);
        });
        each(&mut book.commissions, |p| {
            p.note = None;
            no_notes!(p.rule);
        });
        each(&mut book.fees, |p| {
            p.note = None;
            no_notes!(p.fee);
            if let Some(taxes) = &mut p.taxes {
                no_notes!(taxes);
            }
        });
        each(&mut book.call_charges, |p| {
            p.note = None;
            no_notes!(p.rule);
        });
        for order in book.never_effective.values_mut() {
            order.note = None;
            no_notes!(order.tier, order.cap);
        }
        for (_, exception) in &mut book.exceptions {
            exception.note = None;
            no_notes!(exception.window);
        }
        book
    }

    /// The pack of this book, stamped with the bundled files' fingerprint.
    #[cfg(any(test, feature = "pack-writer"))]
    fn pack_bundled(&self) -> Vec<u8> {
        let mut out = crate::pack::header(BUNDLED_FINGERPRINT);
        crate::pack::Pack::pack(self, &mut out);
        out
    }

    /// Loads a rate book from a directory holding the files listed in [`FILES`], and the
    /// state files in its `states/` folder (`states/*.toml`, in name order; a directory
    /// without a `states/` folder has no state or local rules).
    pub fn load_dir(dir: &Path) -> Result<RateBook> {
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|e| Error::file(path.display().to_string(), format!("cannot read: {e}")))
        };
        let mut texts = Vec::with_capacity(FILES.len());
        for name in FILES {
            texts.push(read(&dir.join(name))?);
        }
        let states_dir = dir.join("states");
        if states_dir.is_dir() {
            let entries = std::fs::read_dir(&states_dir).map_err(|e| {
                Error::io(
                    states_dir.display().to_string(),
                    format!("cannot read: {e}"),
                )
            })?;
            let mut paths = Vec::new();
            for entry in entries {
                let path = entry
                    .map_err(|e| {
                        Error::io(
                            states_dir.display().to_string(),
                            format!("cannot read: {e}"),
                        )
                    })?
                    .path();
                if path.extension().is_some_and(|e| e == "toml") {
                    paths.push(path);
                }
            }
            paths.sort();
            for path in paths {
                texts.push(read(&path)?);
            }
        }
        RateBook::from_files(
            texts.iter().map(|(n, t)| (n.as_str(), t.as_str())),
            &dir.display().to_string(),
        )
    }

    /// Loads a rate book from (file name, contents) pairs: the files of [`FILES`] in their
    /// order, then any number of state files, each named by its state's postal code
    /// (`states/NJ.toml`, or any path ending in `NJ.toml`).
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
        origin: &str,
    ) -> Result<RateBook> {
        let files: Vec<(&str, &str)> = files.into_iter().collect();
        if files.len() < FILES.len() {
            return Err(Error::file(
                origin,
                format!(
                    "a rate book has at least {} files: {}, then its state files",
                    FILES.len(),
                    FILES.join(", ")
                ),
            ));
        }
        let f = |i: usize| files[i];
        let mut places: Vec<Places> = vec![Places::new(); FILES.len()];
        let [p0, p1, p2, p3, p4, p5, p6, p7, p8, p9, _, _] = &mut places[..] else {
            unreachable!("FILES has twelve files")
        };
        let state_list = states(f(10).0, f(10).1)?;
        let mut ids = BTreeMap::new();
        let mut state_rules = BTreeMap::new();
        for &(name, text) in &files[FILES.len()..] {
            let (code, file) = state_file(name, text, &state_list, &mut ids)?;
            if state_rules.insert(code.clone(), file).is_some() {
                return Err(Error::file(
                    name,
                    format!("a second file for {code}; each state has one file"),
                ));
            }
        }
        let book = RateBook {
            sources: by_id(f(0).0, f(0).1, "sources", p0, SourceDoc::read)?,
            regimes: periods(f(1).0, f(1).1, p1, RegimePeriod::read)?,
            tiers: periods(f(2).0, f(2).1, p2, TierPeriod::read)?,
            caps: periods(f(3).0, f(3).1, p3, CapPeriod::read)?,
            components: periods(f(4).0, f(4).1, p4, ComponentPeriod::read)?,
            commissions: periods(f(5).0, f(5).1, p5, CommissionPeriod::read)?,
            fees: periods(f(6).0, f(6).1, p6, FeePeriod::read)?,
            call_charges: periods(f(7).0, f(7).1, p7, CallChargePeriod::read)?,
            never_effective: by_id(f(8).0, f(8).1, "orders", p8, NeverEffectiveOrder::read)?,
            exceptions: by_id(f(9).0, f(9).1, "exceptions", p9, ExceptionDef::read)?
                .into_iter()
                .collect(),
            states: state_list,
            state_rules,
            edition: edition(f(11).0, f(11).1)?,
            origin: origin.to_string(),
        };
        book.validate(&files, &places)?;
        Ok(book)
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{CapDef, ComponentDef};
    use super::*;

    /// The bundled book read from its TOML files (validated), as the generator reads it.
    fn from_toml() -> RateBook {
        RateBook::from_files(BUNDLED.iter().copied(), "bundled").expect("the bundled TOML loads")
    }

    /// The guard of `rates/bundled.pack`: it must be exactly the pack of the bundled TOML
    /// files, as the types being compiled write it.
    #[test]
    fn bundled_pack_is_current() {
        let book = from_toml();
        assert!(
            book.pack_bundled() == PACKED && PACK_IS_FRESH,
            "rates/bundled.pack is out of date with rates/*.toml or the rate book's types \
             (callcap reads the TOML until it is regenerated); run:\n  {REGENERATE}"
        );
        assert!(
            book.for_page().pack_bundled() == PAGE_PACKED,
            "rates/bundled-page.pack is out of date (the WebAssembly build refuses to compile); run:\n  {REGENERATE}"
        );
    }

    #[test]
    fn the_page_pack_is_the_book_without_the_notes_the_page_never_shows() {
        let book = from_toml();
        let page = RateBook::unpack_bundled(PAGE_PACKED).expect("the page's pack");
        assert_eq!(page, book.for_page());
        assert_ne!(page, book, "the rules have notes");
        assert_eq!(page.for_page(), page, "no note is left to drop");
        assert!(page
            .state_rules
            .values()
            .flat_map(|f| &f.rule)
            .all(|r| r.note.is_none()));
        assert!(page.regimes.iter().all(|(_, r)| r.note.is_none()));
        assert!(book.regimes.iter().any(|(_, r)| r.note.is_some()));
        // Every rule keeps everything else.
        let without_notes = |r: &crate::report::CapsReport| {
            let mut v = serde_json::to_value(r).expect("JSON");
            fn strip(v: &mut serde_json::Value) {
                match v {
                    serde_json::Value::Object(m) => {
                        m.remove("note");
                        m.values_mut().for_each(strip);
                    }
                    serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
                    _ => {}
                }
            }
            strip(&mut v);
            v
        };
        for date in book.change_dates() {
            for kind in [crate::FacilityKind::Jail, crate::FacilityKind::Prison] {
                for state in ["CA", "MA", "NY"] {
                    let mut f = crate::Facility::new(kind, 300);
                    f.state = Some(state.into());
                    let (full, small) = (book.rules(date, &f), page.rules(date, &f));
                    let (full, small) = (
                        crate::report::CapsReport::new(&full),
                        crate::report::CapsReport::new(&small),
                    );
                    // The caps' own notes are the same but for the regime's note.
                    let regime_note = full.regime.as_ref().and_then(|g| g.note.clone());
                    let mut notes = full.notes.clone();
                    notes.retain(|n| Some(n) != regime_note.as_ref());
                    assert_eq!(notes, small.notes, "{date}");
                    let (mut full, mut small) = (full, small);
                    (full.notes, small.notes) = (Vec::new(), Vec::new());
                    assert_eq!(without_notes(&full), without_notes(&small), "{date}");
                }
            }
        }
        assert!(PAGE_PACKED.len() < PACKED.len());
    }

    #[test]
    fn the_pack_reads_back_as_the_toml_book() {
        let book = from_toml();
        assert_eq!(
            RateBook::unpack_bundled(&book.pack_bundled()),
            Some(book.clone())
        );
        // What `bundled()` returns, packed or not, is the TOML book.
        assert_eq!(RateBook::bundled().expect("bundled"), book);
    }

    #[test]
    fn a_damaged_pack_is_refused_not_misread() {
        let pack = from_toml().pack_bundled();
        // Cut short anywhere (sampled), or with a byte after the end.
        for cut in (0..pack.len()).step_by(37) {
            assert_eq!(RateBook::unpack_bundled(&pack[..cut]), None, "cut at {cut}");
        }
        let mut longer = pack.clone();
        longer.push(0);
        assert_eq!(RateBook::unpack_bundled(&longer), None);
        // A vocabulary word that is not one: the byte after the first state rule's id is its
        // `kind`, packed as its place in the vocabulary; a place past every word is refused.
        let id = b"al-psc-2014-cap-year-1";
        let at = pack
            .windows(id.len())
            .position(|w| w == id)
            .expect("the first state rule's id")
            + id.len();
        let mut bad = pack.clone();
        bad[at] = 0xff;
        assert_eq!(RateBook::unpack_bundled(&bad), None);
    }

    #[test]
    fn the_fingerprint_follows_the_files_and_the_types() {
        let mut h = <RateBook as crate::pack::Pack>::FINGERPRINT;
        for (name, text) in BUNDLED {
            h = crate::pack::fnv(h, name.as_bytes());
            h = crate::pack::fnv(h, text.as_bytes());
        }
        assert_eq!(h, BUNDLED_FINGERPRINT);
        // A changed layout (a field's type) changes the types' fingerprint.
        assert_ne!(
            <CapDef as crate::pack::Pack>::FINGERPRINT,
            <ComponentDef as crate::pack::Pack>::FINGERPRINT
        );
        assert_ne!(
            <Vec<u32> as crate::pack::Pack>::FINGERPRINT,
            <Option<u32> as crate::pack::Pack>::FINGERPRINT
        );
    }
}
