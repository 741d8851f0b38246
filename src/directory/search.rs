//! Finding facilities by name or city: case- and accent-insensitive, in any word order,
//! tolerant of small typos, best match first.
//!
//! Text is [`normalize`]d (lower case, accents taken off, punctuation a space) and split into
//! words. Each word of the query is matched against the words of every name and city: exactly,
//! as the start of a word (three letters or more: `midl` finds MIDLAND), or with one typo (a
//! letter missing, added, changed, or two swapped; words of four letters or more) or two
//! (eight or more). Two query words that make one word of a name (`cold spring`,
//! COLDSPRING) match it. A word weighs what it tells apart: `harris` (five facilities) far more
//! than `county` (three thousand), by its inverse document frequency. A facility's score is the
//! weight of the query words it matches, each by its best match (a city match counts 0.9 of a
//! name match), over the weight a perfect match would have; a name that is the query exactly,
//! or that matches every query word, scores more. Facilities below half the best score are
//! left out.

use super::Entry;

/// The most words a query may have.
pub const MAX_QUERY_WORDS: usize = 12;

/// Lower case, accents off, anything but letters and digits a space; apostrophes are dropped
/// (`MEN'S` is `mens`). Accents: the Latin-1 and Latin Extended-A letters and combining marks
/// (U+0300–U+036F), by a table, which covers every name in HIFLD's file (Spanish names in
/// Puerto Rico among them).
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            '\'' | '\u{2019}' | '\u{0300}'..='\u{036f}' => {}
            c if c.is_ascii_alphanumeric() => out.push(c),
            c if c.is_ascii() => out.push(' '),
            c => match fold(c) {
                Some(s) => out.push_str(s),
                None if c.is_alphanumeric() => out.push(c),
                None => out.push(' '),
            },
        }
    }
    out
}

/// The ASCII letters of an accented Latin letter (lower case).
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
        'ĥ' | 'ħ' => "h",
        'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
        'ĳ' => "ij",
        'ĵ' => "j",
        'ķ' => "k",
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => "l",
        'ñ' | 'ń' | 'ņ' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
        'œ' => "oe",
        'ŕ' | 'ŗ' | 'ř' => "r",
        'ś' | 'ŝ' | 'ş' | 'š' => "s",
        'ß' => "ss",
        'ţ' | 'ť' | 'ŧ' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
        'ŵ' => "w",
        'ý' | 'ÿ' | 'ŷ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// The words of a text, normalised.
pub fn words(text: &str) -> Vec<String> {
    normalize(text)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The letters of a word as a set: a bit for each of a–z and 0–9, one for anything else.
fn letters(word: &str) -> u64 {
    word.chars().fold(0, |m, c| {
        m | 1
            << match c {
                'a'..='z' => c as u32 - 'a' as u32,
                '0'..='9' => 26 + (c as u32 - '0' as u32),
                _ => 63,
            }
    })
}

/// The directory's words and where they are: built once, searched many times.
#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Every word of every name and city, once.
    words: Vec<String>,
    /// Each word's letters as a set ([`letters`]), to rule out typos cheaply.
    masks: Vec<u64>,
    /// Its weight: ln(1 + facilities / facilities with the word).
    weight: Vec<f32>,
    /// For each word, the facilities it is in, and whether in the name (else the city).
    postings: Vec<Vec<(u32, bool)>>,
    /// Each facility's name, normalised, for exact matches.
    names: Vec<String>,
    /// How many words each facility's name has.
    name_words: Vec<u16>,
}

impl Index {
    pub(crate) fn new(entries: &[Entry]) -> Index {
        let mut index = Index::default();
        let mut ids: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for (row, e) in entries.iter().enumerate() {
            let row = row as u32;
            for (text, in_name) in [(&e.name, true), (&e.city, false)] {
                for w in words(text) {
                    let id = *ids.entry(w).or_insert_with_key(|w| {
                        index.masks.push(letters(w));
                        index.words.push(w.clone());
                        index.postings.push(Vec::new());
                        index.words.len() - 1
                    });
                    let list = &mut index.postings[id];
                    match list.last_mut() {
                        // a word in both the name and the city counts as the name's
                        Some((r, name)) if *r == row => *name |= in_name,
                        _ => list.push((row, in_name)),
                    }
                }
            }
            let name = words(&e.name);
            index
                .name_words
                .push(u16::try_from(name.len()).unwrap_or(u16::MAX));
            index.names.push(name.join(" "));
        }
        let n = entries.len().max(1) as f32;
        index.weight = index
            .postings
            .iter()
            .map(|p| (1.0 + n / p.len().max(1) as f32).ln())
            .collect();
        index
    }

    /// The words of the index a query word matches, with how well (1 exact, less for a
    /// prefix or a typo).
    fn matches(&self, q: &str) -> Vec<(usize, f32)> {
        let qlen = q.chars().count();
        let max_typos = match qlen {
            0..=3 => 0,
            4..=7 => 1,
            _ => 2,
        };
        let mask = letters(q);
        let mut out = Vec::new();
        for (id, w) in self.words.iter().enumerate() {
            let quality = if w == q {
                1.0
            } else if qlen >= 3 && w.starts_with(q) {
                0.85
            } else if max_typos > 0
                && w.len().abs_diff(q.len()) <= max_typos
                // A typo changes at most two letters of the set (a swap none): a word whose
                // letters differ more is more typos away.
                && (self.masks[id] ^ mask).count_ones() as usize <= 2 * max_typos
            {
                match strsim::osa_distance(q, w) {
                    1 => 0.75,
                    2 if max_typos >= 2 => 0.6,
                    _ => continue,
                }
            } else {
                continue;
            };
            out.push((id, quality));
        }
        out
    }

    /// The facilities matching `query` among those `keep` accepts, best first: (row, score).
    pub(crate) fn search(
        &self,
        query: &[String],
        keep: impl Fn(usize) -> bool,
    ) -> Vec<(usize, f32)> {
        let nq = query.len();
        let rows = self.names.len();
        if nq == 0 || rows == 0 {
            return Vec::new();
        }
        // For each query word, the index words it matches, with the weight of the match: the
        // word's own weight (its exact word's, else that of the rarest word it matches) times
        // how well it matches. A rare word that merely starts with it (`jails` for `jail`)
        // does not make it weigh more.
        let mut own = Vec::with_capacity(nq);
        let mut candidates: Vec<Vec<(usize, f32)>> = query
            .iter()
            .map(|q| {
                let found = self.matches(q);
                let w = found
                    .iter()
                    .find(|&&(_, quality)| quality == 1.0)
                    .map(|&(id, _)| self.weight[id])
                    .unwrap_or_else(|| {
                        found
                            .iter()
                            .map(|&(id, _)| self.weight[id])
                            .fold(0f32, f32::max)
                    });
                own.push(w);
                found
                    .into_iter()
                    .map(|(id, quality)| (id, w * quality))
                    .collect()
            })
            .collect();
        // Two query words that make one word of the index match it, both (`cold spring`,
        // COLDSPRING; `county jail`, LEE COUNTYJAIL), each at its own weight.
        for i in 0..nq.saturating_sub(1) {
            let joined = format!("{}{}", query[i], query[i + 1]);
            if let Some(id) = self.words.iter().position(|w| *w == joined) {
                for j in [i, i + 1] {
                    if own[j] == 0.0 {
                        own[j] = self.weight[id];
                    }
                    candidates[j].push((id, own[j] * 0.95));
                }
            }
        }
        // best[row * nq + i]: the best weighted match of query word i in the row.
        let mut best = vec![0f32; rows * nq];
        let mut touched: Vec<u32> = Vec::new();
        let mut seen = vec![false; rows];
        for (i, cands) in candidates.iter().enumerate() {
            for &(id, weight) in cands {
                for &(row, in_name) in &self.postings[id] {
                    let r = row as usize;
                    let v = if in_name { weight } else { weight * 0.9 };
                    let cell = &mut best[r * nq + i];
                    if v > *cell {
                        *cell = v;
                    }
                    if !seen[r] {
                        seen[r] = true;
                        touched.push(row);
                    }
                }
            }
        }
        // What every word matched exactly would weigh. A word that matches nothing still
        // counts against every facility: the query asked for it.
        let perfect: f32 = own.iter().map(|&w| if w > 0.0 { w } else { 1.0 }).sum();
        let whole = query.join(" ");
        let mut scored: Vec<(usize, f32)> = touched
            .into_iter()
            .map(|row| row as usize)
            .filter(|&r| keep(r))
            .map(|r| {
                let cells = &best[r * nq..(r + 1) * nq];
                let sum: f32 = cells.iter().sum();
                let matched = cells.iter().filter(|&&c| c > 0.0).count();
                let mut score = sum / perfect;
                if matched == nq {
                    score += 0.2;
                }
                // Of two names that match as well, the one with fewer other words first.
                score += 0.1 * (matched as f32 / f32::from(self.name_words[r].max(1))).min(1.0);
                if self.names[r] == whole {
                    score += 0.5;
                }
                (r, score)
            })
            .collect();
        let top = scored.iter().map(|&(_, s)| s).fold(0f32, f32::max);
        scored.retain(|&(_, s)| s >= top * 0.5);
        scored
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalising_takes_off_case_accents_and_punctuation() {
        assert_eq!(normalize("BAYAMÓN"), "bayamon");
        assert_eq!(
            normalize("Bayamo\u{0301}n"),
            "bayamon",
            "a combining accent"
        );
        assert_eq!(
            normalize("MEN'S  Detention/Diversion"),
            "mens  detention diversion"
        );
        assert_eq!(normalize("Peñuelas, P.R."), "penuelas  p r ");
        assert_eq!(normalize("Straße ÆØ"), "strasse aeo");
        assert_eq!(
            normalize("\u{200f}jail"),
            " jail",
            "an invisible character is a space"
        );
        assert_eq!(words("  FCI   Terre-Haute "), ["fci", "terre", "haute"]);
        assert!(words(" -- ").is_empty());
    }

    proptest::proptest! {
        /// The letter-set filter never rules out a word one typo away: a letter changed,
        /// added, dropped, or two swapped.
        #[test]
        fn the_letter_filter_keeps_every_word_one_typo_away(
            word in "[a-z0-9]{4,12}",
            at in 0usize..12,
            c in "[a-z0-9]",
            edit in 0u8..4,
        ) {
            let chars: Vec<char> = word.chars().collect();
            let at = at % chars.len();
            let c = c.chars().next().unwrap_or('a');
            let mut typo = chars.clone();
            match edit {
                0 => typo[at] = c,
                1 => typo.insert(at, c),
                2 => { typo.remove(at); }
                _ => typo.swap(at, (at + 1) % chars.len()),
            }
            let typo: String = typo.into_iter().collect();
            if strsim::osa_distance(&word, &typo) <= 1 {
                proptest::prop_assert!((letters(&word) ^ letters(&typo)).count_ones() <= 2);
            }
        }
    }
}
