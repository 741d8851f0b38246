//! The core's TOML parser (`callcap::toml_parse`) against `toml_edit` 0.22, the parser it
//! replaced: on every `.toml` file of the repository, on hand-written cases of each TOML
//! construct (valid and invalid) and on random documents (from a grammar of TOML pieces, and
//! byte-mutated), both accept or both refuse, and an accepted document gives the same tree:
//! the same keys in the same order, the same values, and the same offsets for keys, values and
//! tables (the offsets errors point at).

use callcap::toml_parse;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

#[path = "support/toml_tree.rs"]
mod toml_tree;
use toml_tree::{ours_table, theirs_table, Kv};

/// Both parsers' verdicts on `text`: the tree, or the error (ours with its offset).
fn both(text: &str) -> (Result<Vec<Kv>, String>, Result<Vec<Kv>, String>) {
    let ours = toml_parse::parse(text)
        .map(|d| ours_table(text, &d, d.root()))
        .map_err(|e| format!("{}: {}", e.offset, e.message));
    let theirs = toml_edit::ImDocument::parse(text)
        .map(|d| theirs_table(text, d.as_table()))
        .map_err(|e| e.to_string());
    (ours, theirs)
}

/// Fails unless both parsers agree on `text`.
fn agree(text: &str) -> Result<bool, TestCaseError> {
    match both(text) {
        (Ok(a), Ok(b)) => {
            prop_assert_eq!(a, b, "different trees for {:?}", text);
            Ok(true)
        }
        (Err(e), Err(_)) => {
            prop_assert!(!e.trim().is_empty(), "an empty message for {:?}", text);
            let offset: usize = e
                .split(':')
                .next()
                .unwrap_or("")
                .parse()
                .unwrap_or(usize::MAX);
            prop_assert!(
                offset <= text.len(),
                "offset past the end for {:?}: {}",
                text,
                e
            );
            Ok(false)
        }
        (Ok(_), Err(e)) => Err(TestCaseError::fail(format!(
            "we accept what toml_edit refuses: {text:?}\ntoml_edit: {e}"
        ))),
        (Err(e), Ok(_)) => Err(TestCaseError::fail(format!(
            "we refuse what toml_edit accepts: {text:?}\nours: {e}"
        ))),
    }
}

fn check(text: &str) -> bool {
    agree(text).unwrap_or_else(|e| panic!("{e}"))
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !matches!(
                name,
                "target" | "corpus" | "artifacts" | "node_modules" | ".git"
            ) {
                walk(&path, out);
            }
        } else if name.ends_with(".toml") {
            out.push(path);
        }
    }
}

#[test]
fn every_toml_file_of_the_repository() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    walk(root, &mut files);
    files.sort();
    let (mut accepted, mut refused) = (0, 0);
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue; // not UTF-8: the core refuses it before parsing
        };
        if check(&text) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    // The rate book, the examples and the schema's files parse; some bad inputs do not.
    assert!(accepted >= 40, "{accepted} files accepted");
    assert!(refused >= 5, "{refused} files refused");
}

/// Valid documents: one or more of each construct.
const VALID: &[&str] = &[
    "",
    "\n\n",
    "# only a comment",
    "# comment\r\na = 1\r\n",
    "\u{feff}a = 1",
    "a = 1 # comment",
    "a=1\nb = 2",
    "  \t a = 1",
    "bare_key-1 = 1\n1234 = 2\n-_- = 3",
    "\"quoted key\" = 1\n'literal key' = 2\n\"\" = 3",
    "\"a\\u00e9\\n\" = 1",
    "a.b.c = 1",
    "a . b . c = 1\na. d = 2",
    "\"a.b\".c = 1\n'x'.\"y\" = 2",
    "3.14159 = \"pi\"",
    "a.b = 1\na.c = 2",
    "[a]\nb = 1\n[a.c]\nd = 2",
    "[ a . b ]\nc = 1",
    "[a.b.c]\n[a]\nx = 1",
    "[a.b]\n[x]\n[a]\nc = 1",
    "[a.\"b.c\"]\nd = 1",
    "[a]\n[b]\n[a.c]",
    "[[a]]\nb = 1\n[[a]]\nb = 2",
    "[[a]]\n[a.b]\nc = 1\n[[a]]\n[a.b]\nc = 2",
    "[[a]]\n[[a.b]]\nx = 1\n[[a.b]]\nx = 2\n[[a]]",
    "[[ a . b ]]\nc = 1",
    "[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.texture]\nsmooth = true",
    "[a.b.c]\nz = 9\n[a]\nb.x.y = 1",
    "s = \"\"",
    "s = \"tab\there\"",
    "s = \"\\b\\t\\n\\f\\r\\\"\\\\ \\u00E9 \\U0001F600\"",
    "s = \"\\uD7FF\\uE000\\U0010FFFF\"",
    "s = 'C:\\Users\\nodejs\\templates'",
    "s = '<\\i\\c*\\s*>'",
    "s = ''",
    "s = \"\"\"\nRoses are red\nViolets are blue\"\"\"",
    "s = \"\"\"\r\nRoses\r\nViolets\"\"\"",
    "s = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"",
    "s = \"\"\"\\\n       The quick brown \\\n       fox.\\\n       \"\"\"",
    "s = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"",
    "s = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"",
    "s = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"",
    "s = \"\"\"a\"\"\"\"\"",
    "s = \"\"\"\"\"\"",
    "s = \"\"\"\\   \n  x\"\"\"",
    "s = \"\"\"a\\\t \r\n b\"\"\"",
    "s = '''\nThe first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''",
    "s = '''I [dw]on't need \\d{2} apples'''",
    "s = '''Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"'''",
    "s = ''''That,' she said, 'is still pointless.''''",
    "s = '''a\r\nb'''",
    "s = ''''''",
    "s = \"é ü 日本 \u{1F600}\"",
    "i = 0\nj = +0\nk = -0\nl = 99\nm = +99\nn = -17",
    "i = 1_000\nj = 5_349_221\nk = 1_2_3_4_5",
    "i = 9223372036854775807\nj = -9223372036854775808",
    "h = 0xDEADBEEF\ni = 0xdeadbeef\nj = 0xdead_beef\nk = 0x0\nl = 0x7FFFFFFFFFFFFFFF",
    "o = 0o01234567\np = 0o755\nb = 0b11010110\nc = 0b0",
    "f = +1.0\ng = 3.1415\nh = -0.01\ni = 5e+22\nj = 1e06\nk = -2E-2\nl = 6.626e-34",
    "f = 224_617.445_991_228\ng = 0.0\nh = +0.0\ni = -0.0\nj = 0e0\nk = 1e1_0",
    "f = inf\ng = +inf\nh = -inf\ni = nan\nj = +nan\nk = -nan",
    "f = 1.7976931348623157e308\ng = 1.7976931348623158e308\nh = -1e400\ni = 1e-400",
    "f = 0.0000000000000000000000000000000001e342",
    "t = true\nf = false",
    "d = 1979-05-27T07:32:00Z\ne = 1979-05-27T00:32:00-07:00\nf = 1979-05-27T00:32:00.999999-07:00",
    "d = 1979-05-27 07:32:00Z\ne = 1979-05-27t07:32:00z",
    "d = 1979-05-27T07:32:00\ne = 1979-05-27T00:32:00.999999",
    "d = 1979-05-27\ne = 07:32:00\nf = 00:32:00.999999",
    "d = 2000-02-29\ne = 2024-02-29\nf = 0000-01-01\ng = 1979-05-27T23:59:60Z",
    "d = 1979-05-27 # a comment\ne = 1979-05-27T07:32:00.123456789123Z",
    "d = 1979-05-27T07:32:00+23:59",
    "a = []\nb = [ ]\nc = [1]\nd = [1,]\ne = [1, 2, 3]",
    "a = [ \"red\", \"yellow\", \"green\" ]\nb = [ [ 1, 2 ], [3, 4, 5] ]",
    "a = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\nb = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]",
    "a = [\n  1,\n  2, # this is ok\n]",
    "a = [# comment\n# comment2\n\n\n   ]",
    "a = [# comment\n# comment2\n      1\n\n#sd\n,\n# comment3\n\n   ]",
    "a = [ { x = 1, y = 2 }, { x = 3 } ]\nb = [1, \"a\", [true], {c = 1}]",
    "a = [\r\n 1,\r\n 2\r\n]",
    "t = {}\nu = { }\nv = { a = 1 }\nw = { a = 1, b = \"x\" }",
    "t = { a.b = 1, a.c = 2, d = { e = 3 } }",
    "t = {a=1,b=2}",
    "name = { first = \"Tom\", last = \"Preston-Werner\" }\npoint = { x = 1, y = 2 }",
    "animal = { type.name = \"pug\" }",
    "a = { b = [ 1, 2 ], c = { d = [] } }",
    "[a]\nb = { c = 1 }\n[a.d]",
    "a = 1\n[b]\nc = 2\n\n\n[d]\n",
    "key = \"value\"\n[table-1]\nkey1 = \"some string\"\nkey2 = 123\n[table-2]\nkey1 = \"another string\"\nkey2 = 456",
    "[dog.\"tater.man\"]\ntype.name = \"pug\"",
    "[ j . \"ʞ\" . 'l' ]",
    "[x.y.z.w]\n[x]",
    "[x]\n[x.y]\n[x.y.z]\n[x.y.z.w]",
    "[[products]]\nname = \"Hammer\"\nsku = 738594937\n[[products]]\n[[products]]\nname = \"Nail\"",
    "[[fruits]]\nname = \"apple\"\n[fruits.physical]\ncolor = \"red\"\n[[fruits.varieties]]\nname = \"red delicious\"\n[[fruits.varieties]]\nname = \"granny smith\"\n[[fruits]]\nname = \"banana\"\n[[fruits.varieties]]\nname = \"plantain\"",
    "[[x.y]]\n[x]\ny.z.w = 1",
    "[a]\n[[a.b]]\n[a.b.c]",
    "a = \"\\u0000\"",
    "a = 'tab\tin literal'",
    "a=1#c\n[b]#c\n[[c]]#c\nd=[1]#c",
    "a = 1\t# tab\t",
    "\"\\\"\" = 1",
    "a.'b'.\"c\" = 1",
    "a = \"#not a comment\"",
    // Just under 2^1024 - 2^970, the first number that rounds to infinity.
    "f = 179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791.0\ng = 179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791000e-3\nh = 0.179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497791e309" ,
    "f = -179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792.0",
    "a = 2001-01-01T01:01:01.1",
];

/// Invalid documents: each breaks one rule.
const INVALID: &[&str] = &[
    "a",
    "a =",
    "a = ",
    "= 1",
    "a = 1 b = 2",
    "a = 1\na = 2",
    "a = 1\n\"a\" = 2",
    "a = 1\n'a' = 2",
    "a.b = 1\na.b = 2",
    "a = 1\na.b = 2",
    "a.b = 1\na = 2",
    "a = {}\na.b = 1",
    "a = [1]\na.b = 1",
    "a = {b = 1}\n[a]",
    "a = {b = 1}\n[a.c]",
    "a = [1]\n[[a]]",
    "[a]\n[a]",
    "[a.b]\n[a.b]",
    "[a]\nb = 1\n[a.b]",
    "[a]\n[[a]]",
    "[[a]]\n[a]",
    "a.b = 1\n[a]",
    "a.b.c = 1\n[a.b]",
    "[a.b]\n[a]\nb.c = 1",
    "[a.b.c]\nz = 9\n[a]\nb.c.t = 1",
    "[a.b.c]\n[a]\nb.c = 1",
    "[fruit]\napple.color = \"red\"\n[fruit.apple]",
    "[[x.y]]\n[x]\ny.z = 1",
    "[]",
    "[a",
    "[a]]",
    "[a] b",
    "[[a]",
    "[[a] ]",
    "[ [a] ]",
    "[a.]",
    "[.a]",
    "[a..b]",
    "a..b = 1",
    ".a = 1",
    "a. = 1",
    "a b = 1",
    "\"a\nb\" = 1",
    "'a' 'b' = 1",
    "\"\"\"a\"\"\" = 1",
    "a = \"unclosed",
    "a = \"unclosed\nb = 1",
    "a = 'unclosed",
    "a = \"\"\"unclosed",
    "a = '''unclosed",
    "a = \"\\x\"",
    "a = \"\\ \"",
    "a = \"\\u12\"",
    "a = \"\\u12G4\"",
    "a = \"\\uD800\"",
    "a = \"\\uDFFF\"",
    "a = \"\\U00110000\"",
    "a = \"\\UFFFFFFFF\"",
    "a = \"\u{7}\"",
    "a = \"\u{0}\"",
    "a = \"\u{7f}\"",
    "a = \"\u{1b}\"",
    "a = 'a\u{7}b'",
    "a = \"\"\"\u{7}\"\"\"",
    "a = '''\u{0}'''",
    "a = \"\"\"a\\ b\"\"\"",
    "a = \"\"\"a\"\"\"\"\"\"",
    "a = '''a''''''",
    "a = \"\"\"\ra\"\"\"",
    "a = '''a\rb'''",
    "# comment \u{7}",
    "# comment \u{7f}",
    "# comment \u{0}",
    "a = 1 # \u{1f}",
    "a = 1\r",
    "a = 1\rb = 2",
    "\r",
    "a = 01",
    "a = 00",
    "a = -01",
    "a = 0_1",
    "a = 1__0",
    "a = 1_",
    "a = _1",
    "a = 1_000_",
    "a = 9223372036854775808",
    "a = -9223372036854775809",
    "a = 99999999999999999999",
    "a = 0x",
    "a = 0xG",
    "a = 0x_1",
    "a = 0x1_",
    "a = 0X1",
    "a = +0x1",
    "a = -0x1",
    "a = 0x8000000000000000",
    "a = 0o8",
    "a = 0b2",
    "a = 0b",
    "a = 1.",
    "a = .1",
    "a = 1.e1",
    "a = 1e",
    "a = 1e+",
    "a = 1e_1",
    "a = 1_e1",
    "a = 1._1",
    "a = 01.1",
    "a = 1.1.1",
    "a = 1e400",
    // 2^1024 - 2^970 exactly rounds (to even) to infinity.
    "a = 179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792.0",
    "a = 0.179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792e309",
    "a = 1\n\u{feff}b = 2",
    "a = +1e400",
    "a = 1.7976931348623159e308",
    "a = 2e308",
    "a = infinity",
    "a = inf1",
    "a = +",
    "a = -",
    "a = nan_",
    "a = Inf",
    "a = NaN",
    "a = tru",
    "a = True",
    "a = falsey",
    "a = yes",
    "a = $0.21",
    "a = jail",
    "a = 1979-5-27",
    "a = 1979-05-7",
    "a = 1979-13-01",
    "a = 1979-00-01",
    "a = 1979-01-00",
    "a = 1979-01-32",
    "a = 1979-02-30",
    "a = 2100-02-29",
    "a = 2023-02-29",
    "a = 1979-04-31",
    "a = 1979-05-27T",
    "a = 1979-05-27T7:32:00",
    "a = 1979-05-27T24:00:00",
    "a = 1979-05-27T07:60:00",
    "a = 1979-05-27T07:32:61",
    "a = 1979-05-27T07:32",
    "a = 1979-05-27T07:32:00.",
    "a = 1979-05-27T07:32:00+",
    "a = 1979-05-27T07:32:00+7:00",
    "a = 1979-05-27T07:32:00+24:00",
    "a = 1979-05-27T07:32:00+07:60",
    "a = 1979-05-27T07:32:00 Z",
    "a = 1979-05-27 25:00:00",
    "a = 1979-05-27 07",
    "a = 07:32",
    "a = 07:32:00Z",
    "a = 24:00:00",
    "a = 1979-05-27x",
    "a = 12345-01-01",
    "a = [",
    "a = [1",
    "a = [1,",
    "a = [,]",
    "a = [,1]",
    "a = [1,,2]",
    "a = [1 2]",
    "a = [1] 2",
    "a = [1]]",
    "a = [# comment]",
    "a = [ \"a\u{7}\" ]",
    "a = {",
    "a = {a = 1",
    "a = {a = 1,}",
    "a = {,}",
    "a = {a = 1 b = 2}",
    "a = {a = 1,\nb = 2}",
    "a = {\na = 1}",
    "a = {a = 1\n}",
    "a = {a = 1, a = 2}",
    "a = {a.b = 1, a = 2}",
    "a = {a = {b = 1}, a.c = 2}",
    "a = {a = 1, a.b = 2}",
    "a = {a}",
    "a = {a = }",
    "a = }",
    "a = ]",
    "a = ,",
    "a = #",
    "a = 1,",
    "<!DOCTYPE html>",
    "{\"a\": 1}",
    "a = 1\n[",
    "[a]\nb = 1\n[a.b.c]",
    "[a.b]\nc = 1\n[a]\nb = 2",
    "x = 1 ]",
    "a = \"x\" \"y\"",
    "[a] # ok\n[a] # twice",
    "a = \"\"\"\n\\u00\"\"\"",
];

#[test]
fn valid_cases_are_accepted_by_both() {
    for text in VALID {
        assert!(check(text), "refused by both: {text:?}: {:?}", both(text).1);
    }
}

#[test]
fn invalid_cases_are_refused_by_both() {
    for text in INVALID {
        assert!(!check(text), "accepted by both: {text:?}");
    }
}

#[test]
fn nesting_limits_match() {
    for depth in [1, 78, 79, 80, 81, 200] {
        let arrays = format!("a = {}{}", "[".repeat(depth), "]".repeat(depth));
        let tables = format!("a = {}{}", "{ b = ".repeat(depth), "1 }".repeat(depth));
        let mixed = format!(
            "a = {}{}",
            "[{b = ".repeat(depth / 2),
            "1}]".repeat(depth / 2)
        );
        let dotted = format!("{} = 1", vec!["k"; depth].join("."));
        let header = format!("[{}]", vec!["k"; depth].join("."));
        let array_header = format!("[[{}]]", vec!["k"; depth].join("."));
        let inline_dotted = format!("a = {{ {} = 1 }}", vec!["k"; depth].join("."));
        for text in [
            arrays,
            tables,
            mixed,
            dotted,
            header,
            array_header,
            inline_dotted,
        ] {
            check(&text);
        }
    }
}

#[test]
fn large_tables_and_arrays_match() {
    // Tables past the size where lookups use the sorted index, with keys in every order.
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&format!("k{} = {i}\n", (i * 7919) % 2000));
    }
    assert!(check(&text));
    let dup = format!("{text}k1999 = 0\n");
    assert!(!check(&dup));
    // Headers moving implicit tables to the end, among many keys.
    let mut text = String::new();
    for i in 0..300 {
        text.push_str(&format!("[t{i}.x]\n"));
    }
    for i in (0..300).step_by(3) {
        text.push_str(&format!("[t{i}]\na = 1\n"));
    }
    for i in 0..300 {
        text.push_str(&format!("[t{i}.y]\n"));
    }
    assert!(check(&text));
    assert!(!check(&format!("{text}[t3]\n")));
    assert!(check(&format!("{text}[t4]\n")));
    let list = format!("a = [{}]", vec!["1"; 5000].join(", "));
    assert!(check(&list));
}

/// Pieces of TOML documents: keys, values and lines, valid and not.
fn key() -> impl Strategy<Value = String> {
    let simple = prop_oneof![
        Just("a".to_string()),
        Just("b".to_string()),
        Just("c".to_string()),
        Just("1".to_string()),
        Just("a-b_c".to_string()),
        Just("\"a\"".to_string()),
        Just("'b'".to_string()),
        Just("\"a.b\"".to_string()),
        Just("\"\"".to_string()),
        Just("\"\\u0061\"".to_string()),
    ];
    prop::collection::vec(simple, 1..4).prop_map(|parts| parts.join("."))
}

fn scalar() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "0",
        "1",
        "-1",
        "+5",
        "1_000",
        "0x1F",
        "0o7",
        "0b1",
        "01",
        "1__0",
        "9223372036854775807",
        "9223372036854775808",
        "-9223372036854775808",
        "1.5",
        "-0.0",
        "1e10",
        "1E-5",
        "6.02e+23",
        "1e400",
        "-1e400",
        "inf",
        "-nan",
        "1.",
        ".5",
        "true",
        "false",
        "tru",
        "\"text\"",
        "\"esc\\t\\u00e9\"",
        "\"bad\\q\"",
        "'lit'",
        "''",
        "\"\"\"ml\nbasic\"\"\"",
        "'''ml\nlit'''",
        "\"\"\"a\\\n  b\"\"\"",
        "1979-05-27",
        "1979-05-27T07:32:00Z",
        "1979-05-27 07:32:00",
        "07:32:00",
        "1979-02-29",
        "2000-02-29",
        "24:00:00",
        "1979-05-27T07:32:00.5+01:00",
        "word",
    ])
    .prop_map(str::to_string)
}

fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(", "))),
            prop::collection::vec(inner.clone(), 1..3)
                .prop_map(|v| format!("[\n  {},\n]", v.join(",\n  # c\n  "))),
            prop::collection::vec((key(), inner), 0..3).prop_map(|kv| {
                let kv: Vec<String> = kv.into_iter().map(|(k, v)| format!("{k} = {v}")).collect();
                format!("{{ {} }}", kv.join(", "))
            }),
        ]
    })
}

fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => (key(), value()).prop_map(|(k, v)| format!("{k} = {v}")),
        1 => key().prop_map(|k| format!("[{k}]")),
        1 => key().prop_map(|k| format!("[[{k}]]")),
        1 => Just("# comment".to_string()),
        1 => Just(String::new()),
        1 => (key(), value()).prop_map(|(k, v)| format!("  {k}={v} # trailing")),
    ]
}

fn document() -> impl Strategy<Value = String> {
    (prop::collection::vec(line(), 0..8), any::<bool>())
        .prop_map(|(lines, crlf)| lines.join(if crlf { "\r\n" } else { "\n" }))
}

/// Characters that matter to TOML's grammar, for mutations.
const MUTATIONS: &[&str] = &[
    "\"", "'", "[", "]", "{", "}", "=", ".", ",", "#", "\n", "\r", "\\", " ", "\t", "\0", "\u{7}",
    "é", "0", "1", "_", "-", "+", "e", ":", "T", "Z", "a", "\"\"\"", "'''", "[[", "]]",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn random_documents_agree(doc in document()) {
        agree(&doc)?;
    }

    #[test]
    fn mutated_documents_agree(
        doc in document(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0..3usize, prop::sample::select(MUTATIONS)), 1..4),
    ) {
        let mut text = doc;
        for (at, kind, with) in edits {
            let mut at = at.index(text.len() + 1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            match kind {
                0 => text.insert_str(at, with),
                1 if at < text.len() => {
                    text.remove(at);
                }
                _ => {
                    if at < text.len() {
                        text.remove(at);
                    }
                    text.insert_str(at, with);
                }
            }
        }
        agree(&text)?;
    }
}

/// The grammar makes documents both parsers accept as well as ones both refuse, so that the
/// random tests compare trees, not only refusals.
#[test]
fn the_grammar_makes_valid_and_invalid_documents() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = document();
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..500 {
        let doc = strategy
            .new_tree(&mut runner)
            .expect("a document")
            .current();
        if check(&doc) {
            accepted += 1;
        } else {
            refused += 1;
        }
    }
    assert!(
        accepted >= 100 && refused >= 100,
        "{accepted} accepted, {refused} refused"
    );
}
