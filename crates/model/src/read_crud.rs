//! A `crud-api` component: its entity, schema, partition key, Cosmos DB names, route and
//! operations. The component's shared keys (`runtime`, `cors`, `auth`) are read as for every
//! app (`read.rs`).

use crate::backend::*;
use crate::codes;
use crate::decode::{self, backticked, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::read::{
    access, cosmos_settings, runtime, valid_component_key, ComponentDefaults, KEY_RULE,
};
use crate::span::{Span, Spanned};
use crate::yaml::Node;
use indexmap::IndexMap;

pub const CRUD_API_KEYS: &[&str] = &[
    "type",
    "enabled",
    "protect",
    "renamed_from",
    "entity",
    "schema",
    "partition_key",
    "plural",
    "database",
    "container",
    "operations",
    "runtime",
    "version",
    "cosmos",
    "cors",
    "auth",
];

pub(crate) fn crud_api(
    key: &str,
    name_key: &str,
    key_span: Span,
    map: &MapReader<'_>,
    defaults: &ComponentDefaults,
    sink: &mut Sink,
) -> Option<CrudApi> {
    let what = format!("component `{key}`");
    let entity = map
        .require("entity", &what, sink)
        .and_then(|n| entity(n, sink));
    let schema = map
        .get("schema")
        .map(|n| schema(n, sink))
        .unwrap_or_default();
    let partition_key = match map.get("partition_key") {
        Some(node) => partition_key(node, &schema, sink),
        None => Some(Spanned::defaulted("/id".to_owned(), key_span)),
    };
    let plural = match map.get("plural") {
        Some(node) => route_segment(node, "`plural`", sink),
        None => entity.as_ref().map(|e| pluralize(&e.value.to_lowercase())),
    };
    let database = match map.get("database") {
        Some(node) => cosmos_name(node, "`database`", sink),
        None => Some(Spanned::defaulted(defaults.database.clone(), key_span)),
    };
    let container = match map.get("container") {
        Some(node) => cosmos_name(node, "`container`", sink),
        None => Some(Spanned::defaulted(name_key.to_owned(), key_span)),
    };
    let operations = match map.get("operations") {
        Some(node) => operations(node, sink)?,
        None => Operation::ALL.to_vec(),
    };
    let runtime = match map.get("runtime") {
        Some(node) => runtime(node, sink),
        None => Some(Spanned::defaulted(Runtime::Node, key_span)),
    };
    let version = map
        .get("version")
        .and_then(|n| decode::string(n, "`version`", sink));
    let cosmos = cosmos_settings(
        map.get("cosmos"),
        Some(&defaults.cosmos),
        &format!("`{key}.cosmos`"),
        sink,
    );
    let (cors, auth) = access(&what, map, sink);
    Some(CrudApi {
        entity: entity?,
        schema,
        partition_key: partition_key?,
        plural: plural?,
        database: database?,
        container: container?,
        operations,
        runtime: runtime?,
        version,
        cosmos,
        cors,
        auth: auth.map(Box::new),
    })
}

fn entity(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, "`entity`", sink)?;
    let ok = text.len() <= 64
        && text.starts_with(|c: char| c.is_ascii_uppercase())
        && text.chars().all(|c| c.is_ascii_alphanumeric());
    if !ok {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, format!("entity `{}` is not a PascalCase name", text.value))
                .at(node.span)
                .help("write the entity as a type name: `User`, `OrderLine` (letters and digits, starting uppercase)"),
        );
        return None;
    }
    Some(text)
}

fn schema(node: &Node, sink: &mut Sink) -> IndexMap<String, Spanned<FieldType>> {
    let mut fields = IndexMap::new();
    let Some(map) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(
            node,
            "`schema` must be a mapping of field names to types",
        ));
        return fields;
    };
    for (key, value) in map.entries() {
        let name = decode::scalar_text(key);
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("field name `{name}` is not an identifier"),
                )
                .at(key.span)
                .help("use letters, digits and `_`, starting with a letter"),
            );
            continue;
        }
        if let Some(t) = decode::one_of(value, "field type", FieldType::NAMES, sink) {
            fields.insert(
                name.to_owned(),
                Spanned::new(FieldType::ALL[t.value], t.span),
            );
        }
    }
    fields
}

fn partition_key(
    node: &Node,
    schema: &IndexMap<String, Spanned<FieldType>>,
    sink: &mut Sink,
) -> Option<Spanned<String>> {
    let text = decode::string(node, "`partition_key`", sink)?;
    let segments: Vec<&str> = text
        .strip_prefix('/')
        .map(|p| p.split('/').collect())
        .unwrap_or_default();
    if segments.is_empty()
        || segments
            .iter()
            .any(|s| s.is_empty() || !s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
    {
        sink.push(
            Diagnostic::error(
                &codes::PARTITION_KEY,
                format!("partition key `{}` is not a JSON path", text.value),
            )
            .at(node.span)
            .help("write a path that starts with `/`, e.g. `/id` or `/tenantId`"),
        );
        return None;
    }
    if !schema.is_empty() && !schema.contains_key(segments[0]) {
        let fields: Vec<&str> = schema.keys().map(String::as_str).collect();
        let help = match crate::suggest::did_you_mean(segments[0], fields.iter().copied()) {
            Some(s) => format!("did you mean `/{s}`? or add `{}` to `schema`", segments[0]),
            None => format!(
                "use one of the schema's fields ({}) or add `{}` to `schema`",
                backticked(&fields),
                segments[0]
            ),
        };
        sink.push(
            Diagnostic::error(
                &codes::PARTITION_KEY,
                format!("partition key `{}` names no field of `schema`", text.value),
            )
            .at(node.span)
            .label("unknown field")
            .help(help),
        );
        return None;
    }
    Some(text)
}

/// Cosmos database and container names: 1-255 characters, no `/ \ # ?` and no trailing space.
/// baas is stricter (lowercase letters, digits, hyphens) because they also become addresses.
fn cosmos_name(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, what, sink)?;
    if !valid_component_key(&text) {
        sink.push(
            Diagnostic::error(
                &codes::SCHEMA_VALUE,
                format!("{what} `{}` is not {KEY_RULE}", text.value),
            )
            .at(node.span)
            .help("it becomes part of Terraform addresses"),
        );
        return None;
    }
    Some(text)
}

fn route_segment(node: &Node, what: &str, sink: &mut Sink) -> Option<String> {
    let text = decode::string(node, what, sink)?;
    if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        sink.push(
            Diagnostic::error(
                &codes::ROUTE,
                format!("{what} `{}` is not a route segment", text.value),
            )
            .at(node.span)
            .help("use letters, digits, `-` and `_`"),
        );
        return None;
    }
    Some(text.value)
}

/// English plural for route names; `plural:` overrides it for irregular words.
fn pluralize(word: &str) -> String {
    if word.ends_with('y')
        && !word.ends_with("ay")
        && !word.ends_with("ey")
        && !word.ends_with("oy")
        && !word.ends_with("uy")
    {
        format!("{}ies", &word[..word.len() - 1])
    } else if word.ends_with('s')
        || word.ends_with('x')
        || word.ends_with("ch")
        || word.ends_with("sh")
        || word.ends_with('z')
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

fn operations(node: &Node, sink: &mut Sink) -> Option<Vec<Operation>> {
    let items = decode::list(node, "`operations`", sink)?;
    let mut operations = Vec::new();
    for item in items {
        if let Some(op) = decode::one_of(item, "operation", Operation::NAMES, sink) {
            let op = Operation::ALL[op.value];
            if operations.contains(&op) {
                sink.push(
                    Diagnostic::error(
                        &codes::SCHEMA_DUPLICATE_KEY,
                        format!("operation `{}` is listed twice", op.as_str()),
                    )
                    .at(item.span)
                    .help("list each operation once"),
                );
            } else {
                operations.push(op);
            }
        }
    }
    if operations.is_empty() && !items.is_empty() {
        return None;
    }
    if items.is_empty() {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, "`operations` is empty")
                .at(node.span)
                .help(format!(
                    "list at least one of {}, or leave `operations` out for all of them",
                    backticked(Operation::NAMES)
                )),
        );
        return None;
    }
    Some(operations)
}
