//! Azure Service Bus: one namespace per key, its queues, topics and subscriptions, and the
//! data-plane role assignments of the function apps that receive from or send to them.
//!
//! Merge rules: the highest SKU wins (Basic < Standard < Premium); queues and topics dedupe by
//! name, subscriptions by topic and name; a setting two declarations both give must agree.
//! Validation: Basic with topics is an error; a queue and a topic cannot share a name; names
//! and values follow Azure's rules; local (key) auth is off and TLS 1.2 is the minimum.

use crate::codes;
use crate::context::{Context, Merged, Provisioned};
use crate::facts::network::{self, DataAccess};
use crate::facts::{plan, refs};
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::{kinds, ServiceBusAccessRequirement, Source, SHARED_SERVICEBUS};
use baas_model::suggest::did_you_mean;
use baas_model::{
    EntitySettings, Requirement, RequirementConfig, ServiceBusSku, Span, Spanned, SubscriptionSpec,
};
use baas_terraform::Address;
use serde_json::{json, Map, Value};

const DATA_RECEIVER: &str = "Azure Service Bus Data Receiver";
const DATA_SENDER: &str = "Azure Service Bus Data Sender";
const DATA_OWNER: &str = "Azure Service Bus Data Owner";
/// Azure's defaults, written out so the plan shows them.
const DEFAULT_MAX_SIZE_MB: u32 = 1024;
const DEFAULT_MAX_DELIVERY_COUNT: u32 = 10;
const DEFAULT_LOCK_DURATION: &str = "PT1M";

static SERVICEBUS_CODES: &[&Code] = &[
    &codes::SERVICEBUS_BASIC_TOPICS,
    &codes::SERVICEBUS_NAME_CLASH,
    &codes::SERVICEBUS_ENTITY_NAME,
    &codes::SERVICEBUS_ENTITY_SETTINGS,
    &codes::SERVICEBUS_VALUE,
    &codes::SERVICEBUS_UNKNOWN_ENTITY,
];

#[derive(Debug)]
pub struct ServiceBusProvider;

/// Entity names may hold `.` and `/`, which Terraform names cannot.
fn address_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

fn queue_address(name: &str) -> Address {
    Address::resource("azurerm_servicebus_queue", &address_name(name))
}

fn topic_address(name: &str) -> Address {
    Address::resource("azurerm_servicebus_topic", &address_name(name))
}

fn subscription_address(topic: &str, name: &str) -> Address {
    Address::resource(
        "azurerm_servicebus_subscription",
        &format!("{}-{}", address_name(topic), address_name(name)),
    )
}

/// The SKU the namespace gets: the highest asked for, Standard when nobody asked.
fn effective_sku(sku: Option<&Spanned<ServiceBusSku>>) -> ServiceBusSku {
    sku.map_or(ServiceBusSku::Standard, |s| s.value)
}

impl ResourceProvider for ServiceBusProvider {
    fn name(&self) -> &'static str {
        "servicebus"
    }

    fn serves(&self) -> Vec<&str> {
        vec![
            kinds::SERVICEBUS_NAMESPACE,
            kinds::SERVICEBUS_QUEUE,
            kinds::SERVICEBUS_TOPIC,
            kinds::SERVICEBUS_ACCESS,
        ]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let mut errors = Vec::new();
        for other in &group[1..] {
            match (&mut merged.config, &other.config) {
                (
                    RequirementConfig::ServiceBusNamespace { sku },
                    RequirementConfig::ServiceBusNamespace { sku: next },
                ) if next.as_ref().map(|n| n.value) > sku.as_ref().map(|s| s.value) => {
                    sku.clone_from(next);
                }
                (
                    RequirementConfig::ServiceBusQueue(queue),
                    RequirementConfig::ServiceBusQueue(next),
                ) => {
                    merge_settings(
                        &format!("queue `{}`", queue.name.value),
                        &mut queue.settings,
                        &next.settings,
                        &mut errors,
                    );
                    prefer_declared_name(&mut queue.name, &next.name);
                }
                (
                    RequirementConfig::ServiceBusTopic(topic),
                    RequirementConfig::ServiceBusTopic(next),
                ) => {
                    merge_settings(
                        &format!("topic `{}`", topic.name.value),
                        &mut topic.settings,
                        &next.settings,
                        &mut errors,
                    );
                    for subscription in &next.subscriptions {
                        merge_subscription(
                            &topic.name.value,
                            &mut topic.subscriptions,
                            subscription,
                            &mut errors,
                        );
                    }
                }
                (
                    RequirementConfig::ServiceBusAccess(access),
                    RequirementConfig::ServiceBusAccess(next),
                ) => {
                    access.receive |= next.receive;
                    access.send |= next.send;
                }
                _ => {}
            }
        }
        if errors.is_empty() {
            Ok(merged)
        } else {
            Err(errors)
        }
    }

    fn validate(&self, merged: &Merged, context: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        match &merged.config {
            RequirementConfig::ServiceBusNamespace { sku } => {
                validate_namespace(sku.as_ref(), merged, context, &mut out)
            }
            RequirementConfig::ServiceBusQueue(queue) => {
                entity_name(&queue.name, "queue", 260, true, &mut out);
                let sku = namespace_sku(context);
                validate_settings(
                    &format!("queue `{}`", queue.name.value),
                    &queue.settings,
                    sku,
                    true,
                    true,
                    &mut out,
                );
                if let Some(topic) = context.find(kinds::SERVICEBUS_TOPIC, &merged.key) {
                    let topic_span = match &topic.config {
                        RequirementConfig::ServiceBusTopic(t) => t.name.span,
                        _ => topic.span(),
                    };
                    out.push(
                        Diagnostic::error(&codes::SERVICEBUS_NAME_CLASH, format!("`{}` is both a queue and a topic", queue.name.value))
                            .at(queue.name.span)
                            .label("the queue")
                            .related(topic_span, "the topic")
                            .help("queues and topics share one name space in a namespace: rename one of them"),
                    );
                }
            }
            RequirementConfig::ServiceBusTopic(topic) => {
                entity_name(&topic.name, "topic", 260, true, &mut out);
                let sku = namespace_sku(context);
                validate_settings(
                    &format!("topic `{}`", topic.name.value),
                    &topic.settings,
                    sku,
                    true,
                    false,
                    &mut out,
                );
                for subscription in &topic.subscriptions {
                    entity_name(&subscription.name, "subscription", 50, false, &mut out);
                    let what = format!(
                        "subscription `{}/{}`",
                        topic.name.value, subscription.name.value
                    );
                    validate_settings(&what, &subscription.settings, sku, false, true, &mut out);
                }
            }
            RequirementConfig::ServiceBusAccess(access) => {
                validate_access(access, context, &mut out)
            }
            _ => {}
        }
        out
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let mut out = Provisioned::default();
        let namespace = refs::servicebus_namespace();
        match &merged.config {
            RequirementConfig::ServiceBusNamespace { sku } => {
                let name = context
                    .name(ResourceKind::ServiceBusNamespace, "", merged.span())
                    .map_err(|d| vec![d])?;
                let sku = effective_sku(sku.as_ref());
                let mut body = json!({
                    "name": name,
                    "location": context.location(),
                    "resource_group_name": context.resource_group_name(),
                    "sku": sku.as_str(),
                    "local_auth_enabled": false,
                    "minimum_tls_version": "1.2",
                    "public_network_access_enabled": true,
                    // An identity costs nothing and is what customer-managed keys need later.
                    "identity": { "type": "SystemAssigned" },
                });
                if sku == ServiceBusSku::Premium {
                    // Premium is sold in messaging units and needs its partition count.
                    body["capacity"] = json!(1);
                    body["premium_messaging_partitions"] = json!(1);
                }
                match network::data_access(context) {
                    DataAccess::Public => {}
                    DataAccess::PrivateEndpoints => {
                        body["public_network_access_enabled"] = json!(false);
                    }
                    DataAccess::ServiceEndpoints(subnets) => {
                        let rules: Vec<Value> = subnets.iter().map(|id| json!({ "subnet_id": id, "ignore_missing_vnet_service_endpoint": false })).collect();
                        body["network_rule_set"] = json!({ "default_action": "Deny", "public_network_access_enabled": true, "trusted_services_allowed": true, "network_rules": rules });
                    }
                }
                out.output(
                    "servicebus_namespace",
                    namespace.attr("name"),
                    "Service Bus namespace name",
                );
                out.manifest_entry(
                    context,
                    "servicebus_namespaces",
                    &merged.key,
                    || json!({ "address": namespace.to_string(), "name": name, "sku": sku.as_str() }),
                );
                out.data_block(namespace, body, &merged.sources);
            }
            RequirementConfig::ServiceBusQueue(queue) => {
                let mut body = json!({ "name": queue.name.value, "namespace_id": namespace.id() });
                entity_body(&mut body, &queue.settings, true, true);
                out.data_block(queue_address(&queue.name.value), body, &merged.sources);
            }
            RequirementConfig::ServiceBusTopic(topic) => {
                let address = topic_address(&topic.name.value);
                let mut body = json!({ "name": topic.name.value, "namespace_id": namespace.id() });
                entity_body(&mut body, &topic.settings, true, false);
                out.data_block(address.clone(), body, &merged.sources);
                for subscription in &topic.subscriptions {
                    let mut body =
                        json!({ "name": subscription.name.value, "topic_id": address.id() });
                    entity_body(&mut body, &subscription.settings, false, true);
                    // Pointed at the subscription's name, so that two subscriptions of one
                    // topic that share an address are reported where each is declared.
                    let sources: Vec<Source> = merged
                        .sources
                        .iter()
                        .map(|s| Source {
                            component: s.component.clone(),
                            span: subscription.name.span,
                        })
                        .collect();
                    out.data_block(
                        subscription_address(&topic.name.value, &subscription.name.value),
                        body,
                        &sources,
                    );
                }
            }
            RequirementConfig::ServiceBusAccess(access) => {
                provision_access(access, context, merged, &mut out)
            }
            _ => {}
        }
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        SERVICEBUS_CODES
    }
}

/// A queue consumed by a trigger carries the trigger's span; an explicit declaration is the
/// better place to point diagnostics at, and it may come second.
fn prefer_declared_name(name: &mut Spanned<String>, other: &Spanned<String>) {
    if other.span.start < name.span.start {
        *name = other.clone();
    }
}

fn merge_setting<T: Clone + PartialEq + std::fmt::Debug>(
    what: &str,
    key: &str,
    into: &mut Option<Spanned<T>>,
    from: &Option<Spanned<T>>,
    errors: &mut Vec<Diagnostic>,
) {
    match (into.as_ref(), from) {
        (None, Some(value)) => *into = Some(value.clone()),
        (Some(a), Some(b)) if a.value != b.value => errors.push(
            Diagnostic::error(
                &codes::SERVICEBUS_ENTITY_SETTINGS,
                format!(
                    "{what} is declared twice with different `{key}`: {:?} and {:?}",
                    a.value, b.value
                ),
            )
            .at(b.span)
            .label("second value")
            .related(a.span, "first value")
            .help(format!(
                "give `{key}` once, or the same value in both places"
            )),
        ),
        _ => {}
    }
}

fn merge_settings(
    what: &str,
    into: &mut EntitySettings,
    from: &EntitySettings,
    errors: &mut Vec<Diagnostic>,
) {
    merge_setting(
        what,
        "max_size_mb",
        &mut into.max_size_mb,
        &from.max_size_mb,
        errors,
    );
    merge_setting(
        what,
        "max_delivery_count",
        &mut into.max_delivery_count,
        &from.max_delivery_count,
        errors,
    );
    merge_setting(
        what,
        "lock_duration",
        &mut into.lock_duration,
        &from.lock_duration,
        errors,
    );
    merge_setting(
        what,
        "default_message_ttl",
        &mut into.default_message_ttl,
        &from.default_message_ttl,
        errors,
    );
    merge_setting(
        what,
        "dead_lettering_on_expiration",
        &mut into.dead_lettering_on_expiration,
        &from.dead_lettering_on_expiration,
        errors,
    );
}

fn merge_subscription(
    topic: &str,
    into: &mut Vec<SubscriptionSpec>,
    next: &SubscriptionSpec,
    errors: &mut Vec<Diagnostic>,
) {
    match into.iter_mut().find(|s| s.name.value == next.name.value) {
        Some(existing) => {
            let what = format!("subscription `{topic}/{}`", next.name.value);
            merge_settings(&what, &mut existing.settings, &next.settings, errors);
        }
        None => into.push(next.clone()),
    }
    into.sort_by(|a, b| a.name.value.cmp(&b.name.value));
}

fn namespace_sku(context: &Context<'_>) -> ServiceBusSku {
    match context
        .find(kinds::SERVICEBUS_NAMESPACE, SHARED_SERVICEBUS)
        .map(|m| &m.config)
    {
        Some(RequirementConfig::ServiceBusNamespace { sku }) => effective_sku(sku.as_ref()),
        _ => ServiceBusSku::Standard,
    }
}

fn validate_namespace(
    sku: Option<&Spanned<ServiceBusSku>>,
    merged: &Merged,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if effective_sku(sku) != ServiceBusSku::Basic {
        return;
    }
    let topics: Vec<&Merged> = context.all(kinds::SERVICEBUS_TOPIC).collect();
    let Some(first) = topics.first() else { return };
    let names = topics
        .iter()
        .map(|t| format!("`{}`", t.key))
        .collect::<Vec<_>>()
        .join(", ");
    let mut diagnostic = Diagnostic::error(&codes::SERVICEBUS_BASIC_TOPICS, format!("the Service Bus namespace is Basic, which cannot hold topics ({names})"))
        .at(sku.map_or(merged.span(), |s| s.span))
        .label("Basic tier")
        .help("set `sku: Standard` (or Premium) on the `service-bus` component, or use queues instead of topics");
    if let RequirementConfig::ServiceBusTopic(topic) = &first.config {
        diagnostic = diagnostic.related(topic.name.span, "a topic");
    }
    out.push(diagnostic);
}

fn entity_name(
    name: &Spanned<String>,
    what: &str,
    max: usize,
    slashes: bool,
    out: &mut Vec<Diagnostic>,
) {
    let text = &name.value;
    let allowed = |c: char| {
        c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') || (slashes && c == '/')
    };
    let edges = text.starts_with(|c: char| c.is_ascii_alphanumeric())
        && text.ends_with(|c: char| c.is_ascii_alphanumeric());
    if !text.is_empty() && text.len() <= max && text.chars().all(allowed) && edges {
        return;
    }
    let chars = if slashes {
        "letters, digits, `.`, `-`, `_` and `/`"
    } else {
        "letters, digits, `.`, `-` and `_`"
    };
    out.push(
        Diagnostic::error(
            &codes::SERVICEBUS_ENTITY_NAME,
            format!("`{text}` is not a valid Service Bus {what} name"),
        )
        .at(name.span)
        .label("invalid name")
        .help(format!(
            "use 1-{max} {chars}, starting and ending with a letter or digit"
        )),
    );
}

fn value_error(span: Span, message: String, help: &str) -> Diagnostic {
    Diagnostic::error(&codes::SERVICEBUS_VALUE, message)
        .at(span)
        .label("not accepted")
        .help(help.to_owned())
}

/// `queue_like`: lock duration, delivery count and dead-lettering apply (queues, subscriptions);
/// `sized`: max_size_mb applies (queues, topics).
fn validate_settings(
    what: &str,
    settings: &EntitySettings,
    sku: ServiceBusSku,
    sized: bool,
    queue_like: bool,
    out: &mut Vec<Diagnostic>,
) {
    if let Some(size) = &settings.max_size_mb {
        let ok = match sku {
            ServiceBusSku::Premium => size.value % 1024 == 0 && size.value <= 81_920,
            _ => [1024, 2048, 3072, 4096, 5120].contains(&size.value),
        };
        if !sized {
            out.push(value_error(
                size.span,
                format!("{what} has no size of its own"),
                "set `max_size_mb` on the topic",
            ));
        } else if !ok {
            let allowed = if sku == ServiceBusSku::Premium {
                "a multiple of 1024 up to 81920"
            } else {
                "1024, 2048, 3072, 4096 or 5120"
            };
            out.push(value_error(
                size.span,
                format!(
                    "{what}: `max_size_mb: {}` is not accepted on {}",
                    size.value,
                    sku.as_str()
                ),
                &format!("use {allowed}"),
            ));
        }
    }
    if !queue_like {
        let misplaced = [
            settings
                .lock_duration
                .as_ref()
                .map(|s| ("lock_duration", s.span)),
            settings
                .max_delivery_count
                .as_ref()
                .map(|s| ("max_delivery_count", s.span)),
            settings
                .dead_lettering_on_expiration
                .as_ref()
                .map(|s| ("dead_lettering_on_expiration", s.span)),
        ];
        for (key, span) in misplaced.into_iter().flatten() {
            out.push(value_error(
                span,
                format!("{what}: `{key}` belongs to the topic's subscriptions"),
                "move it to each subscription (`subscriptions: [{name: x, ...}]`)",
            ));
        }
        return;
    }
    if let Some(lock) = &settings.lock_duration {
        match iso8601_seconds(&lock.value) {
            Some(seconds) if (5.0..=300.0).contains(&seconds) => {}
            _ => out.push(value_error(
                lock.span,
                format!(
                    "{what}: `lock_duration: {}` is not an ISO 8601 duration from PT5S to PT5M",
                    lock.value
                ),
                "write e.g. `PT30S` or `PT1M`",
            )),
        }
    }
    if let Some(ttl) = &settings.default_message_ttl {
        match iso8601_seconds(&ttl.value) {
            Some(seconds) if seconds > 0.0 && seconds <= MAX_TIMESPAN_SECONDS => {}
            Some(seconds) if seconds > 0.0 => out.push(value_error(
                ttl.span,
                format!(
                    "{what}: `default_message_ttl: {}` is longer than Azure's longest time span",
                    ttl.value
                ),
                "Service Bus keeps a message at most `P10675199DT2H48M5.4775807S` (about 29,227 years): leave `default_message_ttl` out for that",
            )),
            _ => out.push(value_error(
                ttl.span,
                format!(
                    "{what}: `default_message_ttl: {}` is not an ISO 8601 duration",
                    ttl.value
                ),
                "write e.g. `P14D` or `PT12H`",
            )),
        }
    }
}

/// .NET's `TimeSpan.MaxValue` in whole seconds (922,337,203,685.4775807), the longest time to
/// live Service Bus accepts (and its default).
const MAX_TIMESPAN_SECONDS: f64 = 922_337_203_685.0;

/// Seconds in an ISO 8601 duration like `P1DT2H30M`, `PT45S`, `P2W`; `None` if malformed.
/// Years and months are refused: their length in seconds is not fixed.
fn iso8601_seconds(text: &str) -> Option<f64> {
    let rest = text.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total = 0.0;
    let mut any = false;
    for (part, units) in [
        (date, &[('W', 604_800.0), ('D', 86_400.0)][..]),
        (
            time.unwrap_or(""),
            &[('H', 3_600.0), ('M', 60.0), ('S', 1.0)][..],
        ),
    ] {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                number.push(c);
                continue;
            }
            let position = units[next_unit..].iter().position(|(u, _)| *u == c)? + next_unit;
            total += number.parse::<f64>().ok()? * units[position].1;
            number.clear();
            next_unit = position + 1;
            any = true;
        }
        if !number.is_empty() {
            return None;
        }
    }
    any.then_some(total)
}

fn entity_body(body: &mut Value, settings: &EntitySettings, sized: bool, queue_like: bool) {
    let Some(map) = body.as_object_mut() else {
        return;
    };
    if sized {
        map.insert(
            "max_size_in_megabytes".into(),
            json!(settings
                .max_size_mb
                .as_ref()
                .map_or(DEFAULT_MAX_SIZE_MB, |s| s.value)),
        );
    }
    if let Some(ttl) = &settings.default_message_ttl {
        map.insert("default_message_ttl".into(), json!(ttl.value));
    }
    if queue_like {
        insert_queue_like(map, settings);
    }
}

fn insert_queue_like(map: &mut Map<String, Value>, settings: &EntitySettings) {
    map.insert(
        "max_delivery_count".into(),
        json!(settings
            .max_delivery_count
            .as_ref()
            .map_or(DEFAULT_MAX_DELIVERY_COUNT, |s| s.value)),
    );
    map.insert(
        "lock_duration".into(),
        json!(settings
            .lock_duration
            .as_ref()
            .map_or(DEFAULT_LOCK_DURATION, |s| s.value.as_str())),
    );
    // Expired messages go to the dead-letter queue unless asked otherwise: losing them
    // silently is the worse default.
    map.insert(
        "dead_lettering_on_message_expiration".into(),
        json!(settings
            .dead_lettering_on_expiration
            .as_ref()
            .is_none_or(|s| s.value)),
    );
}

/// Whether the entity a function names is a queue or a topic.
enum Entity {
    Queue,
    Topic,
}

fn resolve(context: &Context<'_>, name: &str) -> Option<Entity> {
    if context.find(kinds::SERVICEBUS_QUEUE, name).is_some() {
        Some(Entity::Queue)
    } else if context.find(kinds::SERVICEBUS_TOPIC, name).is_some() {
        Some(Entity::Topic)
    } else {
        None
    }
}

fn validate_access(
    access: &ServiceBusAccessRequirement,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if resolve(context, &access.entity.value).is_some() {
        return;
    }
    let known: Vec<&str> = context
        .all(kinds::SERVICEBUS_QUEUE)
        .chain(context.all(kinds::SERVICEBUS_TOPIC))
        .map(|m| m.key.as_str())
        .collect();
    let help = match did_you_mean(&access.entity.value, known.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? or declare it under a `service-bus` component's `queues` or `topics`"),
        None => "declare it under a `service-bus` component's `queues` or `topics`".to_owned(),
    };
    out.push(
        Diagnostic::error(
            &codes::SERVICEBUS_UNKNOWN_ENTITY,
            format!(
                "`{}` is not a queue or topic of the Service Bus namespace",
                access.entity.value
            ),
        )
        .at(access.entity.span)
        .label("unknown entity")
        .help(help),
    );
}

/// The role a trigger's app needs on the entity it consumes. Receiving needs Data Receiver.
/// Where the platform scales the app by the entity's backlog (Consumption, Flex Consumption,
/// Elastic Premium, and Elastic Premium's runtime scale monitoring in isolated mode), the
/// scale monitor reads the message count through the administration client, which needs
/// Manage rights; with Listen only it falls back to peeking one message and scales as if
/// one were waiting (Azure/azure-sdk-for-net, Microsoft.Azure.WebJobs.Extensions.ServiceBus
/// `Listeners/ServiceBusMetricsProvider.cs`: "does not have Manage claim … Falling back to
/// using first message enqueued time"). Azure Functions lists Data Receiver and Data Owner
/// for triggers (`includes/functions-service-bus-permissions.md`): such apps get Data
/// Owner, still scoped to the one queue or topic; Dedicated plans, which do not scale on
/// events, keep Data Receiver.
fn receiver_role(context: &Context<'_>, app: &str) -> &'static str {
    match plan::of_app(context, app) {
        Some(plan) if plan.scales_on_event_backlog() => DATA_OWNER,
        _ => DATA_RECEIVER,
    }
}

fn provision_access(
    access: &ServiceBusAccessRequirement,
    context: &Context<'_>,
    merged: &Merged,
    out: &mut Provisioned,
) {
    let scope = match resolve(context, &access.entity.value) {
        Some(Entity::Queue) => queue_address(&access.entity.value).id(),
        Some(Entity::Topic) => topic_address(&access.entity.value).id(),
        None => return,
    };
    let principal = refs::principal_id(context, &access.app);
    let entity = address_name(&access.entity.value);
    for (wanted, role, suffix) in [
        (
            access.receive,
            receiver_role(context, &access.app),
            "receive",
        ),
        (access.send, DATA_SENDER, "send"),
    ] {
        if !wanted {
            continue;
        }
        out.block(
            Address::resource("azurerm_role_assignment", &format!("{}-sb-{entity}-{suffix}", access.app)),
            json!({ "scope": scope, "role_definition_name": role, "principal_id": principal, "principal_type": "ServicePrincipal" }),
            &merged.sources,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::iso8601_seconds;

    #[test]
    fn iso8601_durations() {
        for (text, seconds) in [
            ("PT1M", Some(60.0)),
            ("PT30S", Some(30.0)),
            ("P14D", Some(1_209_600.0)),
            ("P1DT2H", Some(93_600.0)),
            ("P2W", Some(1_209_600.0)),
            ("PT0.5S", Some(0.5)),
        ] {
            assert_eq!(iso8601_seconds(text), seconds, "{text}");
        }
        for text in ["", "P", "PT", "1M", "PT1X", "PT1S1M", "P1Y", "PT5", "P1H"] {
            assert_eq!(iso8601_seconds(text), None, "{text}");
        }
    }
}
