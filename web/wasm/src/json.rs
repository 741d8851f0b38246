//! Reading the exported functions' inputs: a small JSON reader and typed accessors.
//!
//! Inputs are a few flat objects of strings (what a form holds), so they are read by hand, not
//! with serde: serde_json's deserializers, monomorphised for each input type, were a large part
//! of the module. Results are still written by `serde_json` from the core's serde types.
//! Reading is strict like the core's: an unknown field, a missing one or a word outside a
//! vocabulary is an error naming it (and the valid ones).

use callcap::{FacilityKind, FeeKind, Jurisdiction, Payment, Service};

/// A JSON value. Numbers are kept as written (no input is a number).
#[derive(Debug, Clone, PartialEq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Num(String),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object, its members in order.
    Obj(Vec<(String, Json)>),
}

/// The deepest nesting accepted (inputs nest two levels).
const MAX_DEPTH: usize = 32;

/// Parses JSON text.
pub fn parse(text: &str) -> Result<Json, String> {
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
    };
    let v = p.value(0)?;
    p.ws();
    if p.i != p.b.len() {
        return Err(p.err("trailing characters"));
    }
    Ok(v)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn err(&self, what: &str) -> String {
        format!("the input is not valid JSON: {what} at offset {}", self.i)
    }

    fn ws(&mut self) {
        while self.i < self.b.len() && matches!(self.b[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn eat(&mut self, lit: &str) -> bool {
        if self.b[self.i..].starts_with(lit.as_bytes()) {
            self.i += lit.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, String> {
        if depth > MAX_DEPTH {
            return Err(self.err("nested too deeply"));
        }
        self.ws();
        match self.b.get(self.i) {
            Some(b'{') => {
                self.i += 1;
                let mut members = Vec::new();
                self.ws();
                if self.eat("}") {
                    return Ok(Json::Obj(members));
                }
                loop {
                    self.ws();
                    if self.b.get(self.i) != Some(&b'"') {
                        return Err(self.err("expected a key"));
                    }
                    let key = self.string()?;
                    self.ws();
                    if !self.eat(":") {
                        return Err(self.err("expected `:`"));
                    }
                    members.push((key, self.value(depth + 1)?));
                    self.ws();
                    if self.eat("}") {
                        return Ok(Json::Obj(members));
                    }
                    if !self.eat(",") {
                        return Err(self.err("expected `,` or `}`"));
                    }
                }
            }
            Some(b'[') => {
                self.i += 1;
                let mut items = Vec::new();
                self.ws();
                if self.eat("]") {
                    return Ok(Json::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    self.ws();
                    if self.eat("]") {
                        return Ok(Json::Arr(items));
                    }
                    if !self.eat(",") {
                        return Err(self.err("expected `,` or `]`"));
                    }
                }
            }
            Some(b'"') => self.string().map(Json::Str),
            Some(b't') if self.eat("true") => Ok(Json::Bool(true)),
            Some(b'f') if self.eat("false") => Ok(Json::Bool(false)),
            Some(b'n') if self.eat("null") => Ok(Json::Null),
            Some(c) if *c == b'-' || c.is_ascii_digit() => {
                let start = self.i;
                while self.i < self.b.len()
                    && matches!(
                        self.b[self.i],
                        b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E'
                    )
                {
                    self.i += 1;
                }
                Ok(Json::Num(
                    String::from_utf8_lossy(&self.b[start..self.i]).into_owned(),
                ))
            }
            _ => Err(self.err("expected a value")),
        }
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let h = self
            .b
            .get(self.i..self.i + 4)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .ok_or_else(|| self.err("bad \\u escape"))?;
        self.i += 4;
        Ok(h)
    }

    fn string(&mut self) -> Result<String, String> {
        self.i += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let Some(&c) = self.b.get(self.i) else {
                return Err(self.err("unclosed string"));
            };
            self.i += 1;
            match c {
                b'"' => break,
                b'\\' => {
                    let e = *self.b.get(self.i).ok_or_else(|| self.err("bad escape"))?;
                    self.i += 1;
                    let ch = match e {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hi = self.hex4()?;
                            let code = if (0xD800..0xDC00).contains(&hi) && self.eat("\\u") {
                                let lo = self.hex4()?;
                                0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF)
                            } else {
                                hi
                            };
                            char::from_u32(code).unwrap_or('\u{FFFD}')
                        }
                        _ => return Err(self.err("bad escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
                }
                c => out.push(c),
            }
        }
        String::from_utf8(out).map_err(|_| self.err("a string is not UTF-8"))
    }
}

impl Json {
    fn kind(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "boolean",
            Json::Num(_) => "number",
            Json::Str(_) => "string",
            Json::Arr(_) => "sequence",
            Json::Obj(_) => "map",
        }
    }

    fn wrong(&self, expected: &str) -> String {
        format!("invalid type: {}, expected {expected}", self.kind())
    }

    /// A string.
    pub fn string(&self) -> Result<String, String> {
        match self {
            Json::Str(s) => Ok(s.clone()),
            other => Err(other.wrong("a string")),
        }
    }

    /// An object.
    pub fn object(&self) -> Result<Obj<'_>, String> {
        match self {
            Json::Obj(m) => Ok(Obj(m)),
            other => Err(other.wrong("a map")),
        }
    }

    /// An array of values each read by `read`.
    pub fn array<T>(&self, read: impl Fn(&Json) -> Result<T, String>) -> Result<Vec<T>, String> {
        match self {
            Json::Arr(items) => items.iter().map(read).collect(),
            other => Err(other.wrong("a sequence")),
        }
    }

    /// A word of one of the core's vocabularies.
    pub fn word<T: Word>(&self) -> Result<T, String> {
        let text = match self {
            Json::Str(s) => s,
            other => return Err(other.wrong("a word in quotes")),
        };
        T::all()
            .iter()
            .copied()
            .find(|w| w.word() == text)
            .ok_or_else(|| {
                let words: Vec<String> =
                    T::all().iter().map(|w| format!("`{}`", w.word())).collect();
                let expected = match words.len() {
                    2 => format!("{} or {}", words[0], words[1]),
                    _ => format!("one of {}", words.join(", ")),
                };
                format!("unknown variant `{text}`, expected {expected}")
            })
    }
}

/// An object's members.
#[derive(Clone, Copy)]
pub struct Obj<'a>(&'a [(String, Json)]);

impl<'a> Obj<'a> {
    /// Refuses any member not in `valid`.
    pub fn keys(&self, valid: &[&str]) -> Result<(), String> {
        match self.0.iter().find(|(k, _)| !valid.contains(&k.as_str())) {
            Some((k, _)) => Err(format!(
                "unknown field `{k}`, expected one of {}",
                valid
                    .iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
            None => Ok(()),
        }
    }

    /// A member, if present and not null.
    pub fn get(&self, key: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
            .filter(|v| **v != Json::Null)
    }

    /// A required member read by `read`.
    pub fn req<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Json) -> Result<T, String>,
    ) -> Result<T, String> {
        read(
            self.get(key)
                .ok_or_else(|| format!("missing field `{key}`"))?,
        )
    }

    /// An optional member read by `read`.
    pub fn opt<T>(
        &self,
        key: &str,
        read: impl FnOnce(&'a Json) -> Result<T, String>,
    ) -> Result<Option<T>, String> {
        self.get(key).map(read).transpose()
    }
}

/// A vocabulary of the core read from a word.
pub trait Word: Copy + 'static {
    /// Every value.
    fn all() -> &'static [Self];
    /// Its word.
    fn word(self) -> &'static str;
}

macro_rules! words {
    ($($t:ident),*) => {
        $(impl Word for $t {
            fn all() -> &'static [Self] {
                $t::ALL
            }
            fn word(self) -> &'static str {
                self.as_str()
            }
        })*
    };
}

words!(FacilityKind, FeeKind, Jurisdiction, Payment, Service);

/// An input read from JSON.
pub trait FromJson: Sized {
    /// Reads the input from its JSON value.
    fn from_json(v: &Json) -> Result<Self, String>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_json_stringify_writes() {
        let v =
            parse(r#" {"a":"x\"y\\z\u00e9\ud83d\ude00\n","b":[1,-2.5e3,true,false,null],"c":{}} "#)
                .unwrap();
        let o = v.object().unwrap();
        assert_eq!(o.req("a", Json::string).unwrap(), "x\"y\\zé😀\n");
        assert_eq!(
            o.get("b"),
            Some(&Json::Arr(vec![
                Json::Num("1".into()),
                Json::Num("-2.5e3".into()),
                Json::Bool(true),
                Json::Bool(false),
                Json::Null
            ]))
        );
        for bad in ["", "{", "{\"a\" 1}", "[1,]", "\"abc", "{} x", "tru"] {
            assert!(parse(bad).is_err(), "{bad:?}");
        }
        assert!(parse(&"[".repeat(100)).is_err());
    }

    #[test]
    fn fields_are_strict() {
        let v = parse(r#"{"a":"1","z":null}"#).unwrap();
        let o = v.object().unwrap();
        assert_eq!(
            o.keys(&["a", "b"]).unwrap_err(),
            "unknown field `z`, expected one of `a`, `b`"
        );
        assert_eq!(o.req("b", Json::string).unwrap_err(), "missing field `b`");
        assert_eq!(o.opt("z", Json::string), Ok(None));
        assert!(o
            .req("a", Json::word::<Service>)
            .unwrap_err()
            .starts_with("unknown variant `1`"));
    }
}
