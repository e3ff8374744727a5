//! One Terraform root module in the JSON syntax, and the writer that turns it into bytes.
//!
//! Output is deterministic by construction: maps are sorted (BTreeMap), and the writer sorts
//! object keys itself so that no serde_json feature flag can change the byte order.

use serde_json::{Map, Value};
use std::collections::{btree_map, BTreeMap};
use std::fmt;

/// `TYPE.NAME` of a resource, or `data.TYPE.NAME` of a data source.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Address {
    pub resource_type: String,
    pub name: String,
    pub data: bool,
}

impl Address {
    pub fn resource(resource_type: &str, name: &str) -> Self {
        Address {
            resource_type: resource_type.to_owned(),
            name: name.to_owned(),
            data: false,
        }
    }

    pub fn data(resource_type: &str, name: &str) -> Self {
        Address {
            resource_type: resource_type.to_owned(),
            name: name.to_owned(),
            data: true,
        }
    }

    /// The interpolation `${TYPE.NAME.ATTR}` (ATTR may be a path: `identity[0].principal_id`).
    pub fn attr(&self, attribute: &str) -> String {
        // Built by hand: providers call this for every reference they write, and `format!`
        // would grow the string several times.
        let prefix = if self.data { "data." } else { "" };
        let parts = [
            "${",
            prefix,
            &self.resource_type,
            ".",
            &self.name,
            ".",
            attribute,
            "}",
        ];
        parts.concat()
    }

    pub fn id(&self) -> String {
        self.attr("id")
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.data {
            write!(f, "data.")?;
        }
        write!(f, "{}.{}", self.resource_type, self.name)
    }
}

/// Terraform names: a letter or underscore, then letters, digits, `_` and `-`.
pub fn is_valid_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    pub terraform: Map<String, Value>,
    pub providers: BTreeMap<String, Value>,
    pub resources: BTreeMap<String, BTreeMap<String, Value>>,
    pub data: BTreeMap<String, BTreeMap<String, Value>>,
    pub outputs: BTreeMap<String, Value>,
    /// `moved` blocks, `(from, to)`: a resource that lives on under a new address. Written as
    /// `"moved": [{"from": "TYPE.OLD", "to": "TYPE.NEW"}]`, sorted.
    pub moved: Vec<(Address, Address)>,
    /// Resources to forget without destroying them: `"removed": [{"from": "TYPE.NAME",
    /// "lifecycle": {"destroy": false}}]` (Terraform 1.7 and later), sorted.
    pub forgotten: Vec<Address>,
}

/// Two blocks claimed the same address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateAddress(pub String);

impl Document {
    /// Adds a resource or data block; an address can be declared once.
    pub fn add(&mut self, address: &Address, body: Value) -> Result<(), DuplicateAddress> {
        let table = if address.data {
            &mut self.data
        } else {
            &mut self.resources
        };
        // Look the type up before `entry`, which would need its name copied for every block.
        if let Some(blocks) = table.get_mut(&address.resource_type) {
            return match blocks.entry(address.name.clone()) {
                btree_map::Entry::Vacant(slot) => {
                    slot.insert(body);
                    Ok(())
                }
                btree_map::Entry::Occupied(_) => Err(DuplicateAddress(address.to_string())),
            };
        }
        let blocks = BTreeMap::from([(address.name.clone(), body)]);
        table.insert(address.resource_type.clone(), blocks);
        Ok(())
    }

    pub fn contains(&self, address: &Address) -> bool {
        let table = if address.data {
            &self.data
        } else {
            &self.resources
        };
        table
            .get(&address.resource_type)
            .is_some_and(|b| b.contains_key(&address.name))
    }

    pub fn resource_count(&self) -> usize {
        self.resources.values().map(BTreeMap::len).sum()
    }

    pub fn output(&mut self, name: &str, value: String, description: &str) {
        let mut body = Map::new();
        body.insert("value".to_owned(), Value::String(value));
        body.insert(
            "description".to_owned(),
            Value::String(description.to_owned()),
        );
        self.outputs.insert(name.to_owned(), Value::Object(body));
    }

    /// The whole module as a JSON value; empty sections are left out.
    pub fn to_value(&self) -> Value {
        let mut root = Map::new();
        if !self.terraform.is_empty() {
            root.insert(
                "terraform".to_owned(),
                Value::Object(self.terraform.clone()),
            );
        }
        let mut insert = |key: &str, value: Value| {
            if value.as_object().is_some_and(|o| !o.is_empty()) {
                root.insert(key.to_owned(), value);
            }
        };
        insert("provider", to_object(&self.providers));
        insert("resource", nested(&self.resources));
        insert("data", nested(&self.data));
        insert("output", to_object(&self.outputs));
        refactoring(&mut root, &self.moved, &self.forgotten);
        Value::Object(root)
    }

    /// The whole module as a JSON value, without copying it.
    pub fn into_value(self) -> Value {
        let mut root = Map::new();
        if !self.terraform.is_empty() {
            root.insert("terraform".to_owned(), Value::Object(self.terraform));
        }
        let mut insert = |key: &str, value: Map<String, Value>| {
            if !value.is_empty() {
                root.insert(key.to_owned(), Value::Object(value));
            }
        };
        insert("provider", self.providers.into_iter().collect());
        insert("resource", into_nested(self.resources));
        insert("data", into_nested(self.data));
        insert("output", self.outputs.into_iter().collect());
        refactoring(&mut root, &self.moved, &self.forgotten);
        Value::Object(root)
    }

    pub fn to_json(&self) -> String {
        to_json(&self.to_value())
    }
}

/// The `moved` and `removed` lists (Terraform's JSON syntax takes a block type without labels
/// as an array of objects), sorted and without repeats; left out when empty.
fn refactoring(root: &mut Map<String, Value>, moved: &[(Address, Address)], forgotten: &[Address]) {
    let mut moved: Vec<&(Address, Address)> = moved.iter().collect();
    moved.sort();
    moved.dedup();
    if !moved.is_empty() {
        let blocks = moved
            .into_iter()
            .map(|(from, to)| serde_json::json!({ "from": from.to_string(), "to": to.to_string() }))
            .collect();
        root.insert("moved".to_owned(), Value::Array(blocks));
    }
    let mut forgotten: Vec<&Address> = forgotten.iter().collect();
    forgotten.sort();
    forgotten.dedup();
    if !forgotten.is_empty() {
        let blocks = forgotten
            .into_iter()
            .map(|from| serde_json::json!({ "from": from.to_string(), "lifecycle": { "destroy": false } }))
            .collect();
        root.insert("removed".to_owned(), Value::Array(blocks));
    }
}

fn into_nested(map: BTreeMap<String, BTreeMap<String, Value>>) -> Map<String, Value> {
    map.into_iter()
        .map(|(k, v)| (k, Value::Object(v.into_iter().collect())))
        .collect()
}

fn to_object(map: &BTreeMap<String, Value>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
}

fn nested(map: &BTreeMap<String, BTreeMap<String, Value>>) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.clone(), to_object(v))).collect())
}

/// Pretty JSON with sorted keys, two-space indent and a trailing newline.
pub fn to_json(value: &Value) -> String {
    to_json_with_capacity(value, 0)
}

/// [`to_json`] into a string that starts with room for `capacity` bytes: a root module of
/// a thousand resources is a megabyte of text, and growing it by doubling leaves the allocator
/// pages it touched once.
pub fn to_json_with_capacity(value: &Value, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    write_value(value, 0, &mut out);
    out.push('\n');
    // The text grew by doubling; a stack's text is kept until every stack is written, and at
    // 1,000 components the unused room of each is most of a megabyte.
    out.shrink_to_fit();
    out
}

/// `value` as [`to_json`] writes it `depth` levels deep, without the trailing newline: a
/// piece to put together with [`object_of_texts`], so that large parts of a document can be
/// written on other threads.
pub fn to_json_at(value: &Value, depth: usize) -> String {
    let mut out = String::new();
    write_value(value, depth, &mut out);
    out
}

/// The object `{key: text}` as [`to_json`] writes it `depth` levels deep, from members already
/// written by [`to_json_at`] one level deeper. `members` must be sorted by key.
pub fn object_of_texts<'a>(
    members: impl Iterator<Item = (&'a str, &'a str)> + Clone,
    depth: usize,
) -> String {
    // Sized up front: the manifest is put together from pieces of a megabyte and more, and a
    // string that grows by doubling leaves the allocator pages it touched once.
    let size: usize = members
        .clone()
        .map(|(key, text)| key.len() + text.len() + 2 * depth + 8)
        .sum();
    let mut out = String::with_capacity(size + 2 * depth + 4);
    let mut empty = true;
    for (key, text) in members {
        out.push_str(if empty { "{\n" } else { ",\n" });
        empty = false;
        indent(depth + 1, &mut out);
        write_string(key, &mut out);
        out.push_str(": ");
        out.push_str(text);
    }
    if empty {
        out.push_str("{}");
    } else {
        out.push('\n');
        indent(depth, &mut out);
        out.push('}');
    }
    out
}

/// The array `[text, ...]` as [`to_json`] writes it `depth` levels deep, from items already
/// written by [`to_json_at`] one level deeper: a long array is written without holding every
/// item's value at once.
pub fn array_of_texts(items: impl Iterator<Item = String>, depth: usize) -> String {
    let mut out = String::new();
    let mut empty = true;
    for item in items {
        out.push_str(if empty { "[\n" } else { ",\n" });
        empty = false;
        indent(depth + 1, &mut out);
        out.push_str(&item);
    }
    if empty {
        out.push_str("[]");
    } else {
        out.push('\n');
        indent(depth, &mut out);
        out.push(']');
    }
    out
}

fn write_value(value: &Value, depth: usize, out: &mut String) {
    match value {
        // serde_json's map is already sorted unless a dependency turns on `preserve_order`;
        // sorting here makes the output independent of that. Checking is cheaper than sorting.
        Value::Object(map) if map.keys().is_sorted() => write_object(map.iter(), depth, out),
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            entries.sort_by_key(|(k, _)| *k);
            write_object(entries.into_iter(), depth, out);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                write_value(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push(']');
        }
        Value::Array(_) => out.push_str("[]"),
        Value::String(text) => write_string(text, out),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Null => out.push_str("null"),
        // serde_json's own formatting (integers as integers, floats shortest round-trip).
        Value::Number(number) => {
            use std::fmt::Write as _;
            let _ = write!(out, "{number}");
        }
    }
}

fn write_object<'a>(
    entries: impl Iterator<Item = (&'a String, &'a Value)>,
    depth: usize,
    out: &mut String,
) {
    let mut empty = true;
    for (key, item) in entries {
        out.push_str(if empty { "{\n" } else { ",\n" });
        empty = false;
        indent(depth + 1, out);
        write_string(key, out);
        out.push_str(": ");
        write_value(item, depth + 1, out);
    }
    if empty {
        out.push_str("{}");
    } else {
        out.push('\n');
        indent(depth, out);
        out.push('}');
    }
}

fn indent(depth: usize, out: &mut String) {
    const SPACES: &str = "                                                                ";
    let mut width = depth * 2;
    while width > 0 {
        let chunk = width.min(SPACES.len());
        out.push_str(&SPACES[..chunk]);
        width -= chunk;
    }
}

/// A JSON string literal, escaped as serde_json escapes it (`"`, `\` and control characters).
/// This writes most of every output file: plain runs are found eight bytes at a time and
/// copied at once.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let bytes = text.as_bytes();
    let mut plain_from = 0;
    let mut at = next_escape(bytes, 0);
    while let Some(&byte) = bytes.get(at) {
        // `at` is an ASCII byte, so both slices end on character boundaries.
        out.push_str(&text[plain_from..at]);
        match byte {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                use std::fmt::Write as _;
                let _ = write!(out, "\\u{byte:04x}");
            }
        }
        plain_from = at + 1;
        at = next_escape(bytes, plain_from);
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

/// The position of the first byte at or after `from` that JSON must escape, or `bytes.len()`.
fn next_escape(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGHS: u64 = u64::from_ne_bytes([0x80; 8]);
    // Whether any byte of `word` is zero / below `n` (n <= 128): exact, never a false "no".
    let has_zero = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS != 0;
    let has_below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS != 0;
    let mut at = from;
    while let Some(chunk) = bytes.get(at..at + 8) {
        let Ok(chunk) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let word = u64::from_ne_bytes(chunk);
        if has_below(word, 0x20)
            || has_zero(word ^ (ONES * u64::from(b'"')))
            || has_zero(word ^ (ONES * u64::from(b'\\')))
        {
            break;
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|rest| {
            rest.iter()
                .position(|&b| b < 0x20 || b == b'"' || b == b'\\')
        })
        .map_or(bytes.len(), |offset| at + offset)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_document_put_together_from_pieces_is_written_as_a_whole() {
        let whole = json!({
            "a": { "x": [1, "two", { "k": null }], "y": {} },
            "b": "text \"quoted\"",
            "c": { "deep": { "deeper": [true, false] } },
        });
        let Value::Object(map) = &whole else {
            unreachable!()
        };
        // Sections of sections, as the manifest builds them: every level from pieces.
        let sections: Vec<(&str, String)> = map
            .iter()
            .map(|(key, value)| {
                let text = match value {
                    Value::Object(inner) if !inner.is_empty() => {
                        let members: Vec<(&str, String)> = inner
                            .iter()
                            .map(|(k, v)| (k.as_str(), to_json_at(v, 2)))
                            .collect();
                        object_of_texts(members.iter().map(|(k, t)| (*k, t.as_str())), 1)
                    }
                    other => to_json_at(other, 1),
                };
                (key.as_str(), text)
            })
            .collect();
        let pieced = object_of_texts(sections.iter().map(|(k, t)| (*k, t.as_str())), 0) + "\n";
        assert_eq!(pieced, to_json(&whole));
        assert_eq!(object_of_texts(std::iter::empty(), 3), "{}");
    }

    #[test]
    fn an_array_put_together_from_pieces_is_written_as_a_whole() {
        let items = [json!({ "b": [1, 2], "a": "x" }), json!([]), json!(null)];
        let whole = json!({ "list": items.clone() });
        let list = array_of_texts(items.iter().map(|item| to_json_at(item, 2)), 1);
        let pieced = object_of_texts([("list", list.as_str())].into_iter(), 0) + "\n";
        assert_eq!(pieced, to_json(&whole));
        assert_eq!(array_of_texts(std::iter::empty(), 2), "[]");
    }

    #[test]
    fn moved_and_forgotten_are_written_as_sorted_moved_and_removed_arrays() {
        let storage = |name| Address::resource("azurerm_storage_account", name);
        let mut document = Document::default();
        document.add(&storage("site"), json!({})).unwrap();
        document.add(&storage("www"), json!({})).unwrap();
        document.moved = vec![
            (storage("web2"), storage("www")),
            (storage("web"), storage("site")),
            (storage("web"), storage("site")),
        ];
        document.forgotten = vec![Address::resource("azurerm_resource_group", "main")];
        let expected = json!({
            "resource": { "azurerm_storage_account": { "site": {}, "www": {} } },
            "moved": [
                { "from": "azurerm_storage_account.web", "to": "azurerm_storage_account.site" },
                { "from": "azurerm_storage_account.web2", "to": "azurerm_storage_account.www" },
            ],
            "removed": [
                { "from": "azurerm_resource_group.main", "lifecycle": { "destroy": false } },
            ],
        });
        assert_eq!(document.to_value(), expected);
        assert_eq!(document.into_value(), expected);
    }

    #[test]
    fn writes_sorted_two_space_json_with_trailing_newline() {
        let value = json!({"b": [1, {}], "a": {"d": "x", "c": []}});
        assert_eq!(
            to_json(&value),
            "{\n  \"a\": {\n    \"c\": [],\n    \"d\": \"x\"\n  },\n  \"b\": [\n    1,\n    {}\n  ]\n}\n"
        );
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for text in [
            "plain",
            "quote \" and \\ backslash",
            "line\nbreak\ttab\r",
            "\u{1}\u{8}\u{c}",
            "ünïcode ✓",
        ] {
            assert_eq!(
                to_json(&json!(text)).trim_end(),
                serde_json::to_string(text).unwrap()
            );
        }
    }

    #[test]
    fn every_escape_is_found_at_every_position() {
        let specials = ["\"", "\\", "\n", "\u{0}", "\u{1f}", "\u{7f}", "é", "✓", " "];
        for len in 0..24 {
            for at in 0..=len {
                for special in specials {
                    let text: String = (0..len)
                        .map(|i| if i == at { special } else { "a" })
                        .collect();
                    let mut out = String::new();
                    write_string(&text, &mut out);
                    assert_eq!(out, serde_json::to_string(&text).unwrap(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn matches_serde_json_pretty_printing() {
        let value = json!({
            "resource": {"t": {"n": {"a": [1, 2.5, -3, true, null, "x\ty"], "e": {}, "l": []}}},
            "z": [{"k": "v"}, [], {}]
        });
        assert_eq!(
            to_json(&value),
            format!("{}\n", serde_json::to_string_pretty(&value).unwrap())
        );
        // Deeper than one indentation copy covers.
        let mut deep = json!({"leaf": [1, {}]});
        for level in 0..40 {
            deep = if level % 2 == 0 {
                json!({"k": deep, "a": []})
            } else {
                json!([deep, "x"])
            };
        }
        assert_eq!(
            to_json(&deep),
            format!("{}\n", serde_json::to_string_pretty(&deep).unwrap())
        );
    }

    #[test]
    fn an_address_is_declared_once() {
        let mut document = Document::default();
        let address = Address::resource("azurerm_resource_group", "main");
        document.add(&address, json!({})).unwrap();
        assert_eq!(
            document.add(&address, json!({})),
            Err(DuplicateAddress("azurerm_resource_group.main".into()))
        );
        assert_eq!(address.attr("name"), "${azurerm_resource_group.main.name}");
        assert_eq!(
            Address::data("azurerm_client_config", "current").id(),
            "${data.azurerm_client_config.current.id}"
        );
    }
}
