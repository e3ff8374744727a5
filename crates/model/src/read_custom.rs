//! The `custom` component (it only declares requirements) and the top-level `providers`
//! section (handlebars templates that serve custom requirement types).

use crate::backend::{Custom, CustomRequirement, TemplateProviderSpec};
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::requirement::kinds;
use crate::span::Spanned;
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;

pub const KEYS: &[&str] = &["type", "enabled", "protect", "renamed_from", "requires"];
pub const REQUIREMENT_KEYS: &[&str] = &["type", "key", "config"];
pub const PROVIDER_KEYS: &[&str] = &["template"];

/// Requirement types the built-in providers serve; a custom requirement cannot use them.
pub const BUILT_IN_KINDS: &[&str] = kinds::ALL;

pub fn custom(what: &str, map: &MapReader<'_>, sink: &mut Sink) -> Option<Custom> {
    let list = map.require("requires", what, sink)?;
    let items = decode::list(list, "`requires`", sink)?;
    if items.is_empty() {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, "`requires` is empty")
                .at(list.span)
                .help("list at least one requirement: `{type: redis, key: cache, config: {...}}`"),
        );
        return None;
    }
    let requires: Vec<CustomRequirement> = items
        .iter()
        .filter_map(|item| requirement(item, sink))
        .collect();
    (requires.len() == items.len()).then_some(Custom { requires })
}

fn requirement(node: &Node, sink: &mut Sink) -> Option<CustomRequirement> {
    let map = MapReader::new(node, "a requirement", REQUIREMENT_KEYS, sink)?;
    let kind = map
        .require("type", "a requirement", sink)
        .and_then(|n| identifier(n, "requirement type", sink));
    let key = map
        .require("key", "a requirement", sink)
        .and_then(|n| identifier(n, "requirement key", sink));
    let config = match map.get("config") {
        Some(node) if matches!(node.value, Value::Map(_) | Value::Null) => {
            Spanned::new(to_json(node), node.span)
        }
        Some(node) => {
            sink.push(decode::type_error(node, "`config` must be a mapping"));
            return None;
        }
        None => Spanned::defaulted(serde_json::json!({}), node.span),
    };
    let kind = kind?;
    if BUILT_IN_KINDS.contains(&kind.value.as_str()) {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, format!("`{}` is a built-in requirement type", kind.value))
                .at(kind.span)
                .help("use the component that declares it (crud-api, function-app, ...), or name your custom type differently"),
        );
        return None;
    }
    Some(CustomRequirement {
        kind,
        key: key?,
        config,
    })
}

/// Requirement types and keys become Terraform addresses: `[a-z][a-z0-9-]*`, at most 40.
fn identifier(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, &format!("`{what}`"), sink)?;
    let ok = text.len() <= 40
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !ok {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, format!("{what} `{}` does not match `[a-z][a-z0-9-]*`", text.value))
                .at(node.span)
                .help("use lowercase letters, digits and hyphens, starting with a letter, at most 40 characters"),
        );
        return None;
    }
    Some(text)
}

pub fn providers(node: &Node, sink: &mut Sink) -> BTreeMap<String, TemplateProviderSpec> {
    let mut providers = BTreeMap::new();
    let Some(map) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(
            node,
            "`providers` must be a mapping of requirement types to providers",
        ));
        return providers;
    };
    for (key, value) in map.entries() {
        let Some(kind) = identifier(key, "provider type", sink) else {
            continue;
        };
        if BUILT_IN_KINDS.contains(&kind.value.as_str()) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("`{}` is served by a built-in provider", kind.value),
                )
                .at(key.span)
                .help("template providers serve custom requirement types only"),
            );
            continue;
        }
        let what = format!("provider `{}`", kind.value);
        let Some(spec) = MapReader::new(value, &what, PROVIDER_KEYS, sink) else {
            continue;
        };
        let Some(template) = spec
            .require("template", &what, sink)
            .and_then(|n| decode::string(n, "`template`", sink))
        else {
            continue;
        };
        if !template_path_is_inside(&template) {
            sink.push(
                Diagnostic::error(&codes::SCHEMA_VALUE, format!("template path `{}` leaves the backend's folder", template.value))
                    .at(template.span)
                    .help("give a path relative to backend.yaml, inside its folder, e.g. `providers/redis.tf.json.hbs`"),
            );
            // Kept, so that the type's requirements are not also reported as unserved;
            // synth never reads a path that fails this check.
        }
        providers.insert(kind.value.clone(), TemplateProviderSpec { kind, template });
    }
    providers
}

/// Templates are read relative to backend.yaml and must stay inside its folder.
pub fn template_path_is_inside(path: &str) -> bool {
    !path.is_empty()
        && !path.starts_with(['/', '\\'])
        && !path.contains(':')
        && !path.split(['/', '\\']).any(|part| part == "..")
}

/// YAML -> JSON with YAML 1.2 core-schema typing of plain scalars.
pub fn to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Scalar { text, quoted: true } => J::String(text.clone()),
        Value::Scalar {
            text,
            quoted: false,
        } => match text.as_str() {
            "true" | "True" | "TRUE" => J::Bool(true),
            "false" | "False" | "FALSE" => J::Bool(false),
            _ => text
                .parse::<i64>()
                .map(J::from)
                .ok()
                .or_else(|| {
                    text.parse::<f64>()
                        .ok()
                        .filter(|f| f.is_finite())
                        .and_then(|f| serde_json::Number::from_f64(f).map(J::Number))
                })
                .unwrap_or_else(|| J::String(text.clone())),
        },
        Value::Seq(items) => J::Array(items.iter().map(to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|(k, v)| (decode::scalar_text(k).to_owned(), to_json(v)))
                .collect(),
        ),
    }
}
