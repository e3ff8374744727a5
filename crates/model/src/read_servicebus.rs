//! The `service-bus` component: a namespace SKU, queues and topics with subscriptions.
//! Entity names and values are checked against Azure's rules by the Service Bus provider,
//! which owns them; this module reads shapes and types.

use crate::backend::{
    EntitySettings, QueueSpec, ServiceBus, ServiceBusSku, SubscriptionSpec, TopicSpec,
};
use crate::decode::{self, MapReader, Sink};
use crate::span::Spanned;
use crate::yaml::{Node, Value};

pub const KEYS: &[&str] = &[
    "type",
    "enabled",
    "protect",
    "renamed_from",
    "sku",
    "queues",
    "topics",
];
pub const SETTINGS: &[&str] = &[
    "max_size_mb",
    "max_delivery_count",
    "lock_duration",
    "default_message_ttl",
    "dead_lettering_on_expiration",
];

pub fn service_bus(what: &str, map: &MapReader<'_>, sink: &mut Sink) -> Option<ServiceBus> {
    let sku = map
        .get("sku")
        .and_then(|n| decode::one_of(n, "Service Bus SKU", ServiceBusSku::NAMES, sink))
        .map(|s| Spanned::new(ServiceBusSku::ALL[s.value], s.span));
    let queues = match map.get("queues") {
        Some(node) => entities(node, &format!("`queues` of {what}"), sink, queue),
        None => Vec::new(),
    };
    let topics = match map.get("topics") {
        Some(node) => entities(node, &format!("`topics` of {what}"), sink, topic),
        None => Vec::new(),
    };
    Some(ServiceBus {
        sku,
        queues,
        topics,
    })
}

/// A list whose items are either a bare name or a mapping with `name` and settings.
fn entities<T>(
    node: &Node,
    what: &str,
    sink: &mut Sink,
    read: impl Fn(&Node, &mut Sink) -> Option<T>,
) -> Vec<T> {
    let Some(items) = decode::list(node, what, sink) else {
        return Vec::new();
    };
    items.iter().filter_map(|item| read(item, sink)).collect()
}

fn named<'n>(
    node: &'n Node,
    what: &str,
    extra: &[&str],
    sink: &mut Sink,
) -> Option<(Spanned<String>, Option<MapReader<'n>>)> {
    if let Value::Scalar { .. } = node.value {
        return decode::string(node, what, sink).map(|name| (name, None));
    }
    let mut known = vec!["name"];
    known.extend_from_slice(SETTINGS);
    known.extend_from_slice(extra);
    let map = MapReader::new(node, what, &known, sink)?;
    let name = map
        .require("name", what, sink)
        .and_then(|n| decode::string(n, "`name`", sink))?;
    Some((name, Some(map)))
}

fn settings(map: Option<&MapReader<'_>>, sink: &mut Sink) -> EntitySettings {
    let Some(map) = map else {
        return EntitySettings::default();
    };
    let count = |key: &str, min: i64, max: i64, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::integer(n, &format!("`{key}`"), min, max, sink))
            .map(|v| Spanned::new(v.value as u32, v.span))
    };
    EntitySettings {
        max_size_mb: count("max_size_mb", 1, 81_920, sink),
        max_delivery_count: count("max_delivery_count", 1, 2_000, sink),
        lock_duration: map
            .get("lock_duration")
            .and_then(|n| decode::string(n, "`lock_duration`", sink)),
        default_message_ttl: map
            .get("default_message_ttl")
            .and_then(|n| decode::string(n, "`default_message_ttl`", sink)),
        dead_lettering_on_expiration: map
            .get("dead_lettering_on_expiration")
            .and_then(|n| decode::boolean(n, "`dead_lettering_on_expiration`", sink)),
    }
}

fn queue(node: &Node, sink: &mut Sink) -> Option<QueueSpec> {
    let (name, map) = named(node, "a queue", &[], sink)?;
    Some(QueueSpec {
        name,
        settings: settings(map.as_ref(), sink),
    })
}

fn topic(node: &Node, sink: &mut Sink) -> Option<TopicSpec> {
    let (name, map) = named(node, "a topic", &["subscriptions"], sink)?;
    let subscriptions = match map.as_ref().and_then(|m| m.get("subscriptions")) {
        Some(list) => entities(list, "`subscriptions`", sink, subscription),
        None => Vec::new(),
    };
    Some(TopicSpec {
        name,
        settings: settings(map.as_ref(), sink),
        subscriptions,
    })
}

fn subscription(node: &Node, sink: &mut Sink) -> Option<SubscriptionSpec> {
    let (name, map) = named(node, "a subscription", &[], sink)?;
    Some(SubscriptionSpec {
        name,
        settings: settings(map.as_ref(), sink),
    })
}
