//! Helpers that read spanned YAML nodes into typed values, collecting a diagnostic for every
//! problem instead of stopping at the first.

use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::suggest::did_you_mean;
use crate::yaml::{Node, Value};

/// Collects diagnostics while a document is decoded.
#[derive(Debug, Default)]
pub struct Sink {
    pub diagnostics: Vec<Diagnostic>,
}

impl Sink {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }
}

/// The entries of one mapping. Creating it reports unknown and duplicate keys.
#[derive(Debug)]
pub struct MapReader<'n> {
    pub span: Span,
    entries: &'n [(Node, Node)],
}

impl<'n> MapReader<'n> {
    /// `what` names the mapping in messages ("`cosmos`", "component `users`").
    pub fn new(
        node: &'n Node,
        what: &str,
        known: &[&str],
        sink: &mut Sink,
    ) -> Option<MapReader<'n>> {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => {
                sink.push(type_error(node, &format!("{what} must be a mapping")));
                return None;
            }
        };
        // First occurrence of each key, so duplicate detection stays O(n log n).
        let mut seen: std::collections::BTreeMap<&str, &Node> = std::collections::BTreeMap::new();
        for (key, _) in entries {
            let name = scalar_text(key);
            if let Some(first) = seen.get(name).copied() {
                sink.push(
                    Diagnostic::error(
                        &codes::SCHEMA_DUPLICATE_KEY,
                        format!("`{name}` is written twice in {what}"),
                    )
                    .at(key.span)
                    .label("second")
                    .related(first.span, "first")
                    .help("remove one of them"),
                );
            } else if !known.contains(&name) {
                sink.push(unknown_key(key, name, what, known));
            }
            seen.entry(name).or_insert(key);
        }
        Some(MapReader {
            span: node.span,
            entries,
        })
    }

    /// A mapping whose keys the caller checks itself (user-chosen names, or a probe for the
    /// key that decides which keys are known): no key is reported, nothing is formatted.
    /// `None` when the node is not a mapping.
    pub fn any_keys(node: &'n Node) -> Option<MapReader<'n>> {
        let entries: &[(Node, Node)] = match &node.value {
            Value::Map(entries) => entries,
            Value::Null => &[],
            _ => return None,
        };
        Some(MapReader {
            span: node.span,
            entries,
        })
    }

    pub fn get(&self, key: &str) -> Option<&'n Node> {
        self.entries
            .iter()
            .find(|(k, _)| scalar_text(k) == key)
            .map(|(_, v)| v)
    }

    /// The key node itself, for diagnostics that point at a key.
    pub fn key_span(&self, key: &str) -> Option<Span> {
        self.entries
            .iter()
            .find(|(k, _)| scalar_text(k) == key)
            .map(|(k, _)| k.span)
    }

    pub fn entries(&self) -> &'n [(Node, Node)] {
        self.entries
    }

    /// A required key: reports it missing (at the mapping) when absent.
    pub fn require(&self, key: &str, what: &str, sink: &mut Sink) -> Option<&'n Node> {
        let found = self.get(key).filter(|n| n.value != Value::Null);
        if found.is_none() {
            sink.push(
                Diagnostic::error(&codes::SCHEMA_MISSING, format!("{what} needs `{key}`"))
                    .at(self.first_line_span())
                    .label(format!("`{key}` missing here"))
                    .help(format!("add `{key}:`")),
            );
        }
        found
    }

    /// The first line of the mapping: pointing at a whole multi-line block is noise.
    fn first_line_span(&self) -> Span {
        match self.entries.first() {
            Some((key, _)) => key.span,
            None => self.span,
        }
    }
}

fn unknown_key(key: &Node, name: &str, what: &str, known: &[&str]) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        &codes::SCHEMA_UNKNOWN_KEY,
        format!("unknown key `{name}` in {what}"),
    )
    .at(key.span)
    .label("not a known key");
    match did_you_mean(name, known.iter().copied()) {
        Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")),
        None => diagnostic.help(format!("known keys: {}", backticked(known))),
    }
}

pub fn backticked(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn scalar_text(node: &Node) -> &str {
    match &node.value {
        Value::Scalar { text, .. } => text,
        _ => "",
    }
}

pub fn type_error(node: &Node, message: &str) -> Diagnostic {
    Diagnostic::error(&codes::SCHEMA_TYPE, format!("{message}, found {}", node.describe()))
        .at(node.span)
        .label("wrong type")
        .help("`baas schema` prints the expected shape of every key; check the indentation and brackets here")
}

/// Text: any scalar. Numbers are accepted as text (`version: 20`).
pub fn string(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<String>> {
    match &node.value {
        Value::Scalar { text, .. } => Some(Spanned::new(text.clone(), node.span)),
        _ => {
            sink.push(type_error(node, &format!("{what} must be text")));
            None
        }
    }
}

pub fn boolean(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<bool>> {
    if let Value::Scalar {
        text,
        quoted: false,
    } = &node.value
    {
        match text.as_str() {
            "true" | "True" | "TRUE" => return Some(Spanned::new(true, node.span)),
            "false" | "False" | "FALSE" => return Some(Spanned::new(false, node.span)),
            _ => {}
        }
    }
    sink.push(type_error(
        node,
        &format!("{what} must be `true` or `false`"),
    ));
    None
}

/// An integer within `min..=max`.
pub fn integer(
    node: &Node,
    what: &str,
    min: i64,
    max: i64,
    sink: &mut Sink,
) -> Option<Spanned<i64>> {
    let parsed = match &node.value {
        Value::Scalar {
            text,
            quoted: false,
        } => text.replace('_', "").parse::<i64>().ok(),
        _ => None,
    };
    let Some(value) = parsed else {
        sink.push(type_error(node, &format!("{what} must be a whole number")));
        return None;
    };
    if value < min || value > max {
        sink.push(
            Diagnostic::error(
                &codes::SCHEMA_VALUE,
                format!("{what} is {value}, outside {min}..={max}"),
            )
            .at(node.span)
            .label("out of range")
            .help(format!("use a value from {min} to {max}")),
        );
        return None;
    }
    Some(Spanned::new(value, node.span))
}

/// A number within `min..=max`.
pub fn number(
    node: &Node,
    what: &str,
    min: f64,
    max: f64,
    sink: &mut Sink,
) -> Option<Spanned<f64>> {
    let parsed = match &node.value {
        Value::Scalar {
            text,
            quoted: false,
        } => text.parse::<f64>().ok().filter(|v| v.is_finite()),
        _ => None,
    };
    let Some(value) = parsed else {
        sink.push(type_error(node, &format!("{what} must be a number")));
        return None;
    };
    if value < min || value > max {
        sink.push(
            Diagnostic::error(
                &codes::SCHEMA_VALUE,
                format!("{what} is {value}, outside {min}..={max}"),
            )
            .at(node.span)
            .label("out of range")
            .help(format!("use a value from {min} to {max}")),
        );
        return None;
    }
    Some(Spanned::new(value, node.span))
}

/// One of a fixed set of words; returns its index in `allowed`.
pub fn one_of(
    node: &Node,
    what: &str,
    allowed: &[&str],
    sink: &mut Sink,
) -> Option<Spanned<usize>> {
    let text = string(node, what, sink)?;
    if let Some(index) = allowed.iter().position(|a| *a == text.value) {
        return Some(Spanned::new(index, node.span));
    }
    let mut diagnostic = Diagnostic::error(
        &codes::SCHEMA_VALUE,
        format!("`{}` is not a valid {what}", text.value),
    )
    .at(node.span)
    .label("not allowed");
    diagnostic = match did_you_mean(&text.value, allowed.iter().copied()) {
        Some(s) => diagnostic.help(format!(
            "did you mean `{s}`? allowed: {}",
            backticked(allowed)
        )),
        None => diagnostic.help(format!("allowed: {}", backticked(allowed))),
    };
    sink.push(diagnostic);
    None
}

/// A list; a null value is an empty list.
pub fn list<'n>(node: &'n Node, what: &str, sink: &mut Sink) -> Option<&'n [Node]> {
    match &node.value {
        Value::Seq(items) => Some(items),
        Value::Null => Some(&[]),
        _ => {
            sink.push(type_error(node, &format!("{what} must be a list")));
            None
        }
    }
}
