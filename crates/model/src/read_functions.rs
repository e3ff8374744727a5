//! A `function-app` component: its plan, functions and their triggers (HTTP routes, timer
//! schedules, Service Bus queues and topics).

use crate::backend::*;
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::ncrontab;
use crate::read::{access, keys, runtime};
use crate::span::{Span, Spanned};
use crate::yaml::{Node, Value};
use indexmap::IndexMap;

pub const FUNCTION_APP_KEYS: &[&str] = &[
    "type",
    "enabled",
    "protect",
    "renamed_from",
    "runtime",
    "version",
    "plan",
    "functions",
    "cors",
    "auth",
];

pub(crate) fn function_app(
    what: &str,
    map: &MapReader<'_>,
    sink: &mut Sink,
) -> Option<FunctionApp> {
    let runtime = map
        .require("runtime", what, sink)
        .and_then(|n| runtime(n, sink));
    let version = map
        .get("version")
        .and_then(|n| decode::string(n, "`version`", sink));
    let plan_written = map.get("plan").is_some();
    let plan = map
        .get("plan")
        .and_then(|n| crate::plan::read(n, "`plan`", sink));
    let functions = map
        .require("functions", what, sink)
        .and_then(|n| functions(n, sink));
    let (cors, auth) = access(what, map, sink);
    Some(FunctionApp {
        runtime: runtime?,
        version,
        plan,
        plan_written,
        functions: functions?,
        cors,
        auth: auth.map(Box::new),
    })
}

fn functions(node: &Node, sink: &mut Sink) -> Option<IndexMap<String, Function>> {
    let Some(map) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(
            node,
            "`functions` must be a mapping of function names to triggers",
        ));
        return None;
    };
    if map.entries().is_empty() {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_VALUE, "`functions` is empty")
                .at(node.span)
                .help("declare at least one function, e.g. `hello: {trigger: http}`"),
        );
        return None;
    }
    let mut functions = IndexMap::new();
    for (key, value) in map.entries() {
        let name = decode::scalar_text(key);
        if !valid_function_name(name) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("function name `{name}` is not valid"),
                )
                .at(key.span)
                .help(
                    "start with a letter; use letters, digits, `-` and `_`; at most 127 characters",
                ),
            );
            continue;
        }
        if functions.contains_key(name) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_DUPLICATE_KEY,
                    format!("function `{name}` is written twice"),
                )
                .at(key.span)
                .help("function names are unique within an app"),
            );
            continue;
        }
        if let Some((trigger, sends_to)) = function(name, value, sink) {
            functions.insert(
                name.to_owned(),
                Function {
                    name: Spanned::new(name.to_owned(), key.span),
                    trigger,
                    sends_to,
                },
            );
        }
    }
    Some(functions)
}

fn valid_function_name(name: &str) -> bool {
    name.len() <= 127
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

pub const TRIGGERS: &[&str] = &["http", "timer", "queue", "topic"];

/// A function: its trigger, and the Service Bus entities it sends to.
fn function(name: &str, node: &Node, sink: &mut Sink) -> Option<(Trigger, Vec<Spanned<String>>)> {
    let trigger = trigger(name, node, sink)?;
    let sends_to = match &node.value {
        Value::Map(entries) => entries
            .iter()
            .find(|(k, _)| decode::scalar_text(k) == "sends_to")
            .map(|(_, v)| v),
        _ => None,
    };
    let sends_to = match sends_to {
        Some(list) => decode::list(list, "`sends_to`", sink)?
            .iter()
            .filter_map(|item| decode::string(item, "a queue or topic name", sink))
            .collect(),
        None => Vec::new(),
    };
    Some((trigger, sends_to))
}

fn trigger(name: &str, node: &Node, sink: &mut Sink) -> Option<Trigger> {
    let what = format!("function `{name}`");
    let probe = MapReader::any_keys(node);
    let Some(probe) = probe else {
        sink.push(decode::type_error(
            node,
            &format!("{what} must be a mapping with a `trigger`"),
        ));
        return None;
    };
    let trigger_node = probe.require("trigger", &what, sink)?;
    let kind = decode::one_of(trigger_node, "trigger", TRIGGERS, sink)?;
    if kind.value == 0 {
        let map = MapReader::new(node, &what, keys::HTTP_TRIGGER, sink)?;
        return http_trigger(name, &map, sink);
    }
    if kind.value == 1 {
        let map = MapReader::new(node, &what, keys::TIMER_TRIGGER, sink)?;
        let schedule = map
            .require("schedule", &what, sink)
            .and_then(|n| schedule(n, sink))?;
        return Some(Trigger::Timer { schedule });
    }
    if kind.value == 2 {
        let map = MapReader::new(node, &what, keys::QUEUE_TRIGGER, sink)?;
        let queue = map
            .require("queue", &what, sink)
            .and_then(|n| decode::string(n, "`queue`", sink))?;
        return Some(Trigger::Queue { queue });
    }
    let map = MapReader::new(node, &what, keys::TOPIC_TRIGGER, sink)?;
    let topic = map
        .require("topic", &what, sink)
        .and_then(|n| decode::string(n, "`topic`", sink));
    let subscription = map
        .require("subscription", &what, sink)
        .and_then(|n| decode::string(n, "`subscription`", sink));
    Some(Trigger::Topic {
        topic: topic?,
        subscription: subscription?,
    })
}

fn http_trigger(name: &str, map: &MapReader<'_>, sink: &mut Sink) -> Option<Trigger> {
    let route = match map.get("route") {
        Some(node) => route(node, sink)?,
        None => Spanned::defaulted(name.to_owned(), map.span),
    };
    let methods = match map.get("methods") {
        Some(node) => {
            let items = decode::list(node, "`methods`", sink)?;
            let mut methods = Vec::new();
            for item in items {
                let lower = Node {
                    value: match &item.value {
                        Value::Scalar { text, quoted } => Value::Scalar {
                            text: text.to_lowercase(),
                            quoted: *quoted,
                        },
                        other => other.clone(),
                    },
                    span: item.span,
                };
                if let Some(m) = decode::one_of(&lower, "HTTP method", HttpMethod::NAMES, sink) {
                    if !methods.contains(&HttpMethod::ALL[m.value]) {
                        methods.push(HttpMethod::ALL[m.value]);
                    }
                }
            }
            methods
        }
        None => vec![HttpMethod::Get, HttpMethod::Post],
    };
    let auth_level = match map.get("auth_level") {
        Some(node) => {
            AuthLevel::ALL[decode::one_of(node, "auth level", AuthLevel::NAMES, sink)?.value]
        }
        None => AuthLevel::Function,
    };
    Some(Trigger::Http {
        route,
        methods,
        auth_level,
    })
}

fn route(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, "`route`", sink)?;
    let problem = if text.starts_with('/') {
        Some("starts with `/`: routes are relative to the app's `api/` prefix".to_owned())
    } else if text.starts_with("api/") {
        Some("starts with `api/`, which Azure Functions adds itself".to_owned())
    } else if text.is_empty()
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./{}:?*".contains(c))
    {
        Some("has characters a route cannot hold".to_owned())
    } else if text.matches('{').count() != text.matches('}').count() {
        Some("has unbalanced `{` `}`".to_owned())
    } else {
        None
    };
    if let Some(problem) = problem {
        sink.push(
            Diagnostic::error(&codes::ROUTE, format!("route `{}` {problem}", text.value))
                .at(node.span)
                .help("write a relative route like `orders/{id}`"),
        );
        return None;
    }
    Some(text)
}

fn schedule(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, "`schedule`", sink)?;
    if is_app_setting_reference(&text) {
        // `%NAME%` takes the schedule from an app setting at run time.
        return Some(text);
    }
    if let Err(error) = ncrontab::validate(&text) {
        // Point at the offending field inside the quoted value when we know which one.
        let span = match (&error.field_range, quote_offset(node)) {
            (Some(range), Some(offset)) => Span {
                start: node.span.start + offset + range.start,
                end: node.span.start + offset + range.end,
                line: node.span.line,
                column: node.span.column + offset + range.start,
            },
            _ => node.span,
        };
        sink.push(
            Diagnostic::error(&codes::SCHEDULE, error.message)
                .at(span)
                .label("here")
                .help(error.help),
        );
        return None;
    }
    Some(text)
}

fn is_app_setting_reference(text: &str) -> bool {
    text.len() > 2
        && text.starts_with('%')
        && text.ends_with('%')
        && text[1..text.len() - 1]
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Where the text of a single-line scalar starts inside its span (after a quote, if any).
fn quote_offset(node: &Node) -> Option<usize> {
    match &node.value {
        Value::Scalar { text, quoted } if node.span.len() >= text.len() && !text.contains('\n') => {
            Some(usize::from(*quoted))
        }
        _ => None,
    }
}
