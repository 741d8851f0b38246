#![cfg(not(target_arch = "wasm32"))]
//! The TypeScript types of the binding, generated from the Rust types.
//!
//! Reads the core (`src/`) and this crate (`web/wasm/src/`) with `syn`, starts from the types
//! the exported functions take and return (the names in their `unchecked_return_type` and
//! `unchecked_param_type` attributes), follows every type they name, and writes their
//! TypeScript as serde serializes them (field renames, `flatten`, `skip_serializing_if`, the
//! core's decimal serializers, unit enums as string unions). The result is `web/wasm/types.d.ts`,
//! which `src/lib.rs` puts into the `.d.ts` that wasm-bindgen writes beside the functions'
//! signatures, so the page's TypeScript is checked against the Rust types.
//!
//! This test fails when `types.d.ts` is out of date (a core type changed shape); to rewrite it:
//!
//! ```text
//! UPDATE_TYPES=1 cargo test -p callcap-wasm --test typescript
//! ```
//!
//! Why not tsify or ts-rs: both derive on the type itself, and the core's result types live in
//! the `callcap` crate, which should not depend on a TypeScript tool; their decimals are
//! serialized through `serialize_with` functions, which both tools would need told about field
//! by field. Reading the source handles both with one rule.

use proc_macro2::{TokenStream, TokenTree};
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use syn::{Attribute, Fields, GenericArgument, Item, LitStr, PathArguments, Type};

/// Names in a TypeScript type that are not types of the binding.
const TS_BUILTINS: &[&str] = &["string", "number", "boolean", "null", "undefined"];

/// The types the exported functions take and return: every type named in an
/// `unchecked_return_type`, `unchecked_param_type` or `unchecked_optional_param_type` of
/// `src/lib.rs`, in order. (wasm-bindgen writes the functions' signatures itself; plain strings
/// and arrays of strings need no declaration.)
fn roots(lib: &syn::File) -> Vec<String> {
    let mut types = Vec::new();
    let mut read = |attrs: &[Attribute]| {
        items(attrs, "wasm_bindgen", |name, meta| {
            if name.starts_with("unchecked_") && name.ends_with("_type") {
                types.push(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        })
    };
    for item in &lib.items {
        if let Item::Fn(f) = item {
            read(&f.attrs);
            for input in &f.sig.inputs {
                if let syn::FnArg::Typed(arg) = input {
                    read(&arg.attrs);
                }
            }
        }
    }
    let mut names: Vec<String> = Vec::new();
    for ts in &types {
        for name in ts.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
            if !name.is_empty() && !TS_BUILTINS.contains(&name) && !names.iter().any(|n| n == name)
            {
                names.push(name.to_string());
            }
        }
    }
    assert!(!names.is_empty(), "src/lib.rs names no result types");
    names
}

/// The core's `serialize_with` functions and the JSON they write.
const SERIALIZERS: &[(&str, &str)] = &[
    ("crate::money::serialize", "string"),
    ("crate::money::serialize_quantity", "string"),
    ("crate::money::serialize_opt", "string | null"),
];

/// Types from other crates and how serde writes them.
const EXTERNAL: &[(&str, &str)] = &[
    ("String", "string"),
    ("str", "string"),
    ("bool", "boolean"),
    ("u8", "number"),
    ("u16", "number"),
    ("u32", "number"),
    ("u64", "number"),
    ("usize", "number"),
    ("i32", "number"),
    ("i64", "number"),
    ("NaiveDate", "string"),
    ("Decimal", "string"),
];

#[derive(Debug, Default)]
struct SerdeAttrs {
    rename: Option<String>,
    rename_all: Option<String>,
    serialize_with: Option<String>,
    skip_serializing_if: Option<String>,
    flatten: bool,
    skip: bool,
    untagged: bool,
    transparent: bool,
}

/// Calls `f` with the name and the parser of each item of the `#[attr(...)]` attributes in
/// `attrs` (`f` reads the item's `= value`, if any).
fn items(
    attrs: &[Attribute],
    attr: &str,
    mut f: impl FnMut(&str, &syn::meta::ParseNestedMeta) -> syn::Result<()>,
) {
    for a in attrs.iter().filter(|a| a.path().is_ident(attr)) {
        if a.meta.require_list().is_err() {
            continue; // a bare `#[wasm_bindgen]`
        }
        a.parse_nested_meta(|meta| {
            let name = meta.path.get_ident().map(|i| i.to_string());
            f(&name.unwrap_or_default(), &meta)
        })
        .unwrap_or_else(|e| panic!("a #[{attr}(...)] attribute the generator cannot read: {e}"));
    }
}

fn serde_attrs(attrs: &[Attribute]) -> SerdeAttrs {
    let mut out = SerdeAttrs::default();
    items(attrs, "serde", |name, meta| {
        let value = || -> syn::Result<String> { Ok(meta.value()?.parse::<LitStr>()?.value()) };
        match name {
            "rename" => out.rename = Some(value()?),
            "rename_all" => out.rename_all = Some(value()?),
            "serialize_with" | "with" => out.serialize_with = Some(value()?),
            "skip_serializing_if" => out.skip_serializing_if = Some(value()?),
            "flatten" => out.flatten = true,
            "skip" | "skip_serializing" => out.skip = true,
            "untagged" => out.untagged = true,
            "transparent" => out.transparent = true,
            _ => {
                if meta.input.peek(syn::Token![=]) {
                    meta.value()?.parse::<syn::Expr>()?;
                }
            }
        }
        Ok(())
    });
    out
}

fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(last) = meta.path.segments.last() {
                out.push(last.ident.to_string());
            }
            Ok(())
        });
    }
    out
}

fn docs(attrs: &[Attribute]) -> Vec<String> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value().trim().to_string()),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

fn snake_case(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// A type definition found in the source.
#[derive(Clone)]
enum Def {
    Struct(syn::ItemStruct),
    Enum(syn::ItemEnum),
    /// A `vocabulary!` enum: its docs and its words.
    Words(Vec<String>, Vec<String>),
}

/// Every serde type and `vocabulary!` enum in a file, by name (test modules skipped).
fn collect(items: &[Item], out: &mut BTreeMap<String, Vec<Def>>) {
    for item in items {
        match item {
            Item::Struct(s) if is_serde(&s.attrs) => {
                out.entry(s.ident.to_string())
                    .or_default()
                    .push(Def::Struct(s.clone()));
            }
            Item::Enum(e) if is_serde(&e.attrs) => {
                out.entry(e.ident.to_string())
                    .or_default()
                    .push(Def::Enum(e.clone()));
            }
            // `packed! { struct ... }` (src/pack.rs) defines a struct and packs it.
            Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "packed") =>
            {
                if let Ok(s) = syn::parse2::<syn::ItemStruct>(m.mac.tokens.clone()) {
                    if is_serde(&s.attrs) {
                        out.entry(s.ident.to_string())
                            .or_default()
                            .push(Def::Struct(s));
                    }
                }
            }
            Item::Macro(m) if m.mac.path.is_ident("vocabulary") => {
                let (name, docs, words) = vocabulary(m.mac.tokens.clone());
                out.entry(name).or_default().push(Def::Words(docs, words));
            }
            Item::Mod(m) if !is_test(&m.attrs) => {
                if let Some((_, items)) = &m.content {
                    collect(items, out);
                }
            }
            _ => {}
        }
    }
}

fn is_serde(attrs: &[Attribute]) -> bool {
    derives(attrs)
        .iter()
        .any(|d| d == "Serialize" || d == "Deserialize")
}

fn is_test(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.meta
                .require_list()
                .is_ok_and(|l| l.tokens.to_string() == "test")
    })
}

/// Reads `vocabulary! { /// docs  Name { /// docs  Variant = "word", ... } }`.
fn vocabulary(tokens: TokenStream) -> (String, Vec<String>, Vec<String>) {
    let mut docs = Vec::new();
    let mut name = None;
    let mut words = Vec::new();
    for tt in tokens {
        match tt {
            TokenTree::Group(g)
                if name.is_none() && g.delimiter() == proc_macro2::Delimiter::Bracket =>
            {
                let attr: syn::Meta = syn::parse2(g.stream()).expect("an attribute");
                if let syn::Meta::NameValue(nv) = attr {
                    if let syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) = nv.value
                    {
                        docs.push(s.value().trim().to_string());
                    }
                }
            }
            TokenTree::Ident(i) if name.is_none() => name = Some(i.to_string()),
            TokenTree::Group(g) if g.delimiter() == proc_macro2::Delimiter::Brace => {
                let inner: Vec<TokenTree> = g.stream().into_iter().collect();
                for w in inner.windows(3) {
                    if let (TokenTree::Ident(_), TokenTree::Punct(p), TokenTree::Literal(l)) =
                        (&w[0], &w[1], &w[2])
                    {
                        if p.as_char() == '=' {
                            let lit: LitStr = syn::parse_str(&l.to_string()).expect("a word");
                            words.push(lit.value());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    (name.expect("a vocabulary name"), docs, words)
}

struct Generator {
    defs: BTreeMap<String, Vec<Def>>,
    queue: VecDeque<String>,
    seen: Vec<String>,
}

impl Generator {
    fn want(&mut self, name: &str) {
        if !self.seen.iter().any(|s| s == name) {
            self.seen.push(name.to_string());
            self.queue.push_back(name.to_string());
        }
    }

    fn def(&self, name: &str) -> Def {
        let defs = self
            .defs
            .get(name)
            .unwrap_or_else(|| panic!("no serde type or vocabulary named `{name}` in the source"));
        assert_eq!(
            defs.len(),
            1,
            "several serde types are named `{name}`; the generator needs one"
        );
        defs[0].clone()
    }

    /// The TypeScript for a Rust type.
    fn ts(&mut self, ty: &Type) -> String {
        match ty {
            Type::Reference(r) => self.ts(&r.elem),
            Type::Path(p) => {
                let seg = p.path.segments.last().expect("a type name");
                let name = seg.ident.to_string();
                let args: Vec<Type> = match &seg.arguments {
                    PathArguments::AngleBracketed(a) => a
                        .args
                        .iter()
                        .filter_map(|g| match g {
                            GenericArgument::Type(t) => Some(t.clone()),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                match name.as_str() {
                    "Option" => format!("{} | null", self.ts(&args[0])),
                    "Vec" => {
                        let inner = self.ts(&args[0]);
                        if inner.contains(' ') {
                            format!("({inner})[]")
                        } else {
                            format!("{inner}[]")
                        }
                    }
                    "Box" | "Arc" | "Rc" => self.ts(&args[0]),
                    "BTreeMap" | "HashMap" => {
                        let key = self.ts(&args[0]);
                        let value = self.ts(&args[1]);
                        if key == "string" {
                            format!("{{ [key: string]: {value} }}")
                        } else {
                            format!("{{ [key in {key}]?: {value} }}")
                        }
                    }
                    _ => match EXTERNAL.iter().find(|(n, _)| *n == name) {
                        Some((_, ts)) => ts.to_string(),
                        None => {
                            self.want(&name);
                            name
                        }
                    },
                }
            }
            other => panic!("unsupported type: {}", quote_type(other)),
        }
    }

    fn jsdoc(out: &mut String, docs: &[String], indent: &str) {
        match docs.len() {
            0 => {}
            1 => writeln!(out, "{indent}/** {} */", docs[0]).unwrap(),
            _ => {
                writeln!(out, "{indent}/**").unwrap();
                for d in docs {
                    writeln!(out, "{indent} * {d}").unwrap();
                }
                writeln!(out, "{indent} */").unwrap();
            }
        }
    }

    fn emit(&mut self, name: &str, out: &mut String) {
        match self.def(name) {
            Def::Words(docs, words) => {
                Self::jsdoc(out, &docs, "");
                let union: Vec<String> = words.iter().map(|w| format!("\"{w}\"")).collect();
                writeln!(out, "export type {name} = {};", union.join(" | ")).unwrap();
            }
            Def::Enum(e) => {
                let attrs = serde_attrs(&e.attrs);
                Self::jsdoc(out, &docs(&e.attrs), "");
                let mut variants = Vec::new();
                for v in &e.variants {
                    let v_attrs = serde_attrs(&v.attrs);
                    match (&v.fields, attrs.untagged) {
                        (Fields::Unit, false) => {
                            let word = v_attrs.rename.clone().unwrap_or_else(|| {
                                match attrs.rename_all.as_deref() {
                                    Some("snake_case") => snake_case(&v.ident.to_string()),
                                    None => v.ident.to_string(),
                                    Some(other) => panic!("rename_all = {other} is not supported"),
                                }
                            });
                            variants.push(format!("\"{word}\""));
                        }
                        (Fields::Unnamed(f), true) if f.unnamed.len() == 1 => {
                            variants.push(self.ts(&f.unnamed[0].ty));
                        }
                        (Fields::Named(f), true) => {
                            let mut body = String::from("{ ");
                            for field in &f.named {
                                let (key, optional, ty) = self.field(field);
                                let q = if optional { "?" } else { "" };
                                write!(body, "{key}{q}: {ty}; ").unwrap();
                            }
                            body.push('}');
                            variants.push(body);
                        }
                        _ => panic!(
                            "enum `{name}`: only unit enums and untagged enums are supported"
                        ),
                    }
                }
                writeln!(out, "export type {name} = {};", variants.join(" | ")).unwrap();
            }
            Def::Struct(s) => {
                let attrs = serde_attrs(&s.attrs);
                Self::jsdoc(out, &docs(&s.attrs), "");
                let Fields::Named(fields) = &s.fields else {
                    panic!("struct `{name}`: only structs with named fields are supported")
                };
                assert!(
                    !attrs.transparent,
                    "struct `{name}`: transparent is not supported"
                );
                let mut extends = Vec::new();
                let mut body = String::new();
                for field in &fields.named {
                    let f_attrs = serde_attrs(&field.attrs);
                    if f_attrs.skip {
                        continue;
                    }
                    if f_attrs.flatten {
                        let ty = self.ts(&field.ty);
                        extends.push(match ty.strip_suffix(" | null") {
                            Some(inner) => format!("Partial<{inner}>"),
                            None => ty,
                        });
                        continue;
                    }
                    Self::jsdoc(&mut body, &docs(&field.attrs), "  ");
                    let (key, optional, ty) = self.field(field);
                    let q = if optional { "?" } else { "" };
                    writeln!(body, "  {key}{q}: {ty};").unwrap();
                }
                let extends = if extends.is_empty() {
                    String::new()
                } else {
                    format!(" extends {}", extends.join(", "))
                };
                writeln!(out, "export interface {name}{extends} {{\n{body}}}").unwrap();
            }
        }
    }

    /// A field's JSON key, whether it may be missing, and its TypeScript type.
    fn field(&mut self, field: &syn::Field) -> (String, bool, String) {
        let attrs = serde_attrs(&field.attrs);
        let key = attrs
            .rename
            .clone()
            .unwrap_or_else(|| field.ident.as_ref().expect("a named field").to_string());
        let mut ty = match &attrs.serialize_with {
            Some(path) => SERIALIZERS
                .iter()
                .find(|(p, _)| p == path)
                .unwrap_or_else(|| panic!("unknown serialize_with `{path}`: add it to SERIALIZERS"))
                .1
                .to_string(),
            None => self.ts(&field.ty),
        };
        let optional = match attrs.skip_serializing_if.as_deref() {
            Some("Option::is_none") => {
                ty = ty.trim_end_matches(" | null").to_string();
                true
            }
            // Left out when empty: the field may be missing; present, it is the list.
            Some("Vec::is_empty") => true,
            Some(other) => panic!("skip_serializing_if = {other} is not supported"),
            None => false,
        };
        (key, optional, ty)
    }
}

fn quote_type(ty: &Type) -> String {
    use quote::ToTokens;
    ty.to_token_stream().to_string()
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn generate() -> String {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    rust_files(&here.join("../../src"), &mut files);
    rust_files(&here.join("src"), &mut files);
    let mut defs = BTreeMap::new();
    let mut lib = None;
    for file in &files {
        if file.components().any(|c| c.as_os_str() == "cli") {
            continue; // the command line's own types are not part of the contract
        }
        let text = std::fs::read_to_string(file).unwrap();
        let parsed = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("cannot parse {}: {e}", file.display()));
        collect(&parsed.items, &mut defs);
        if *file == here.join("src/lib.rs") {
            lib = Some(parsed);
        }
    }
    let mut g = Generator {
        defs,
        queue: VecDeque::new(),
        seen: Vec::new(),
    };
    for root in roots(&lib.expect("the binding's src/lib.rs")) {
        g.want(&root);
    }
    let mut out = String::from(
        "// Generated by web/wasm/tests/typescript.rs from the Rust types of the core (src/) and\n\
         // the binding (web/wasm/src/). Do not edit: change the Rust, then run\n\
         //   UPDATE_TYPES=1 cargo test -p callcap-wasm --test typescript\n\
         // Decimals and dates are strings; a field that may be missing is marked `?`.\n",
    );
    while let Some(name) = g.queue.pop_front() {
        out.push('\n');
        g.emit(&name, &mut out);
    }
    out
}

#[test]
fn typescript_types_match_the_rust_types() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("types.d.ts");
    let generated = generate();
    if std::env::var_os("UPDATE_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "web/wasm/types.d.ts is out of date with the Rust types (a result's shape changed).\n\
         Rewrite it with:  UPDATE_TYPES=1 cargo test -p callcap-wasm --test typescript\n\
         then rebuild the page (scripts/build-wasm.sh) and fix any TypeScript errors it shows."
    );
}
