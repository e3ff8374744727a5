//! One Terraform root module in the JSON syntax, and the writer that turns it into bytes.
//!
//! Output is deterministic by construction: maps are sorted (BTreeMap), and the writer sorts
//! object keys itself so that no serde_json feature flag can change the byte order.

use serde_json::{Map, Value};
use std::collections::BTreeMap;
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
        format!("${{{self}.{attribute}}}")
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
        let blocks = table.entry(address.resource_type.clone()).or_default();
        if blocks.contains_key(&address.name) {
            return Err(DuplicateAddress(address.to_string()));
        }
        blocks.insert(address.name.clone(), body);
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
        Value::Object(root)
    }

    pub fn to_json(&self) -> String {
        to_json(&self.to_value())
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
    let mut out = String::new();
    write_value(value, 0, &mut out);
    out.push('\n');
    out
}

fn write_value(value: &Value, depth: usize, out: &mut String) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            // serde_json's map is already sorted unless a dependency turns on
            // `preserve_order`; sorting here makes the output independent of that.
            let mut entries: Vec<(&String, &Value)> = map.iter().collect();
            if !entries.is_sorted_by_key(|(k, _)| *k) {
                entries.sort_by_key(|(k, _)| *k);
            }
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(depth + 1, out);
                write_string(key, out);
                out.push_str(": ");
                write_value(item, depth + 1, out);
            }
            out.push('\n');
            indent(depth, out);
            out.push('}');
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
        Value::Object(_) => out.push_str("{}"),
        Value::Array(_) => out.push_str("[]"),
        Value::String(text) => write_string(text, out),
        scalar => out.push_str(&scalar.to_string()),
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

/// A JSON string literal, escaped as serde_json escapes it. Runs of plain characters are
/// copied at once: this function writes most of every output file.
fn write_string(text: &str, out: &mut String) {
    out.push('"');
    let mut plain_from = 0;
    for (at, byte) in text.bytes().enumerate() {
        let escape = match byte {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&text[plain_from..at]);
        if escape.is_empty() {
            out.push_str(&format!("\\u{byte:04x}"));
        } else {
            out.push_str(escape);
        }
        plain_from = at + 1;
    }
    out.push_str(&text[plain_from..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

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
