//! `deployment` (the topology: single, multi-region, blue-green, disaster-recovery) and
//! `state` (remote state for every stack).

use crate::backend::{
    ApiDomain, Backend, Color, ComponentKind, DataPlacement, Deployment, HealthProbe, Isolation,
    ProbeProtocol, Routing, State, Strategy, Tenancy, Tenant,
};
use crate::codes;
use crate::decode::{self, backticked, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::regions::Region;
use crate::span::Spanned;
use crate::yaml::Node;

pub const STRATEGIES: &[&str] = &["single", "multi-region", "blue-green", "disaster-recovery"];
/// The keys each strategy accepts (besides `strategy`).
pub const STRATEGY_KEYS: &[(&str, &[&str])] = &[
    ("single", &[]),
    (
        "multi-region",
        &[
            "regions",
            "routing",
            "health_probe",
            "data",
            "multi_write",
            "custom_domain",
            "dns_zone",
            "dns_zone_resource_group",
        ],
    ),
    (
        "blue-green",
        &[
            "active",
            "weights",
            "health_probe",
            "custom_domain",
            "dns_zone",
            "dns_zone_resource_group",
        ],
    ),
    (
        "disaster-recovery",
        &[
            "secondary",
            "rto",
            "rpo",
            "automatic_failover",
            "health_probe",
            "custom_domain",
            "dns_zone",
            "dns_zone_resource_group",
        ],
    ),
];
pub const PROBE_KEYS: &[&str] = &[
    "path",
    "protocol",
    "port",
    "interval_seconds",
    "timeout_seconds",
    "tolerated_failures",
    "ttl_seconds",
];
pub const STATE_KEYS: &[&str] = &["resource_group", "storage_account", "container", "key"];
pub const DEFAULT_STATE_KEY: &str = "{{name}}/{{env}}/{{stack}}.tfstate";
const STATE_VARIABLES: &[&str] = &["name", "env", "stack"];

pub fn deployment(node: &Node, primary: &'static Region, sink: &mut Sink) -> Deployment {
    let single = Deployment {
        strategy: Strategy::Single,
        span: node.span,
        custom_domain: None,
    };
    let Some(probe) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(node, "`deployment` must be a mapping"));
        return single;
    };
    let Some(strategy) = probe.get("strategy") else {
        return single;
    };
    let Some(index) = decode::one_of(strategy, "deployment strategy", STRATEGIES, sink) else {
        return single;
    };
    let name = STRATEGIES[index.value];
    let own: Vec<&str> = std::iter::once("strategy")
        .chain(own_keys(name).iter().copied())
        .collect();
    // A key of another strategy gets its own message rather than "unknown key".
    for (key, _) in probe.entries() {
        let key_text = decode::scalar_text(key);
        if own.contains(&key_text) {
            continue;
        }
        if let Some((other, _)) = STRATEGY_KEYS
            .iter()
            .find(|(_, keys)| keys.contains(&key_text))
        {
            sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    format!("`{key_text}` is a `{other}` setting, but the strategy is `{name}`"),
                )
                .at(key.span)
                .label("belongs to another strategy")
                .help(format!(
                    "remove it, or set `strategy: {other}`; strategies are exclusive"
                )),
            );
        }
    }
    let foreign: Vec<&str> = STRATEGY_KEYS
        .iter()
        .flat_map(|(_, keys)| keys.iter().copied())
        .filter(|k| !own.contains(k))
        .collect();
    let known: Vec<&str> = own.iter().chain(foreign.iter()).copied().collect();
    let Some(map) = MapReader::new(node, "`deployment`", &known, sink) else {
        return single;
    };
    let strategy = match name {
        "multi-region" => multi_region(&map, primary, sink),
        "blue-green" => blue_green(&map, sink),
        "disaster-recovery" => disaster_recovery(&map, primary, sink),
        _ => Some(Strategy::Single),
    };
    let text = |key: &str, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::string(n, &format!("`{key}`"), sink))
    };
    // Under `single` these are another strategy's keys, reported above.
    let custom_domain = if name == "single" {
        None
    } else {
        text("custom_domain", sink)
    };
    let custom_domain = custom_domain.map(|host| ApiDomain {
        host,
        zone: text("dns_zone", sink),
        zone_resource_group: text("dns_zone_resource_group", sink),
    });
    // Without `custom_domain` the zone settings mean nothing.
    if custom_domain.is_none() && name != "single" {
        for key in ["dns_zone", "dns_zone_resource_group"] {
            if let Some(node) = map.get(key) {
                sink.push(
                    Diagnostic::error(&codes::DEPLOYMENT, format!("`{key}` is set without `custom_domain`"))
                        .at(node.span)
                        .label("for no domain")
                        .help("add `custom_domain` (the API's host name, e.g. `api.example.com`), or remove it"),
                );
            }
        }
    }
    Deployment {
        strategy: strategy.unwrap_or(Strategy::Single),
        span: node.span,
        custom_domain,
    }
}

fn own_keys(strategy: &str) -> &'static [&'static str] {
    STRATEGY_KEYS
        .iter()
        .find(|(s, _)| *s == strategy)
        .map_or(&[], |(_, keys)| keys)
}

use crate::read::region;

fn multi_region(
    map: &MapReader<'_>,
    primary: &'static Region,
    sink: &mut Sink,
) -> Option<Strategy> {
    let list = map.require("regions", "a multi-region deployment", sink)?;
    let items = decode::list(list, "`regions`", sink)?;
    let mut regions: Vec<Spanned<&'static Region>> = Vec::new();
    for item in items {
        let Some(region) = region(item, "a region", sink) else {
            continue;
        };
        if let Some(first) = regions.iter().find(|r| r.value.name == region.value.name) {
            sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    format!("`{}` is listed twice", region.value.name),
                )
                .at(region.span)
                .related(first.span, "first listed here")
                .help("list each region once"),
            );
            continue;
        }
        regions.push(region);
    }
    // The primary location always takes part, first: its stack holds the shared data and is
    // the one the manifest and the global stack's monitoring take as the first.
    match regions.iter().position(|r| r.value.name == primary.name) {
        Some(0) => {}
        Some(at) => {
            let region = regions.remove(at);
            regions.insert(0, region);
        }
        None => regions.insert(0, Spanned::new(primary, list.span)),
    }
    if regions.len() < 2 {
        sink.push(
            Diagnostic::error(
                &codes::DEPLOYMENT,
                "a multi-region deployment needs at least two distinct regions",
            )
            .at(list.span)
            .help("add another region, e.g. `regions: [eastus, westeurope]`"),
        );
        return None;
    }
    let routing = match map.get("routing") {
        Some(node) => Spanned::new(
            Routing::ALL[decode::one_of(node, "routing method", Routing::NAMES, sink)?.value],
            node.span,
        ),
        None => Spanned::defaulted(Routing::Performance, map.span),
    };
    let data = match map.get("data") {
        Some(node) => Spanned::new(
            DataPlacement::ALL
                [decode::one_of(node, "data placement", DataPlacement::NAMES, sink)?.value],
            node.span,
        ),
        None => Spanned::defaulted(DataPlacement::Global, map.span),
    };
    let multi_write = map
        .get("multi_write")
        .and_then(|n| decode::boolean(n, "`multi_write`", sink));
    if let Some(write) = &multi_write {
        if write.value && data.value == DataPlacement::Regional {
            sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    "`multi_write: true` needs the shared account of `data: global`, but `data` is `regional`",
                )
                .at(write.span)
                .label("multi-region writes")
                .related(data.span, "every region has its own account")
                .help("remove `multi_write`, or set `data: global` to share one geo-replicated account"),
            );
        }
    }
    Some(Strategy::MultiRegion {
        regions,
        routing,
        probe: probe(map.get("health_probe"), sink),
        data,
        multi_write,
    })
}

fn blue_green(map: &MapReader<'_>, sink: &mut Sink) -> Option<Strategy> {
    let active = map.require("active", "a blue-green deployment", sink)?;
    let active = decode::one_of(active, "active color", Color::NAMES, sink)
        .map(|c| Spanned::new(Color::ALL[c.value], c.span))?;
    let weights = match map.get("weights") {
        Some(node) => Some(weights(node, sink)?),
        None => None,
    };
    if let (Some(weights), Some(node)) = (&weights, map.get("weights")) {
        check_active_weight(&active, weights, node, sink)?;
    }
    Some(Strategy::BlueGreen {
        active,
        weights,
        probe: probe(map.get("health_probe"), sink),
    })
}

/// Traffic Manager weights are 1-1000: a color that should get nothing is disabled instead.
fn weights(node: &Node, sink: &mut Sink) -> Option<[Spanned<u32>; 2]> {
    let map = MapReader::new(node, "`weights`", Color::NAMES, sink)?;
    let read = |key: &str, sink: &mut Sink| {
        let value = map.require(key, "`weights`", sink)?;
        decode::integer(value, &format!("`weights.{key}`"), 0, 1000, sink)
            .map(|v| Spanned::new(v.value as u32, v.span))
    };
    let blue = read("blue", sink);
    let green = read("green", sink);
    let (blue, green) = (blue?, green?);
    if blue.value == 0 && green.value == 0 {
        sink.push(
            Diagnostic::error(
                &codes::DEPLOYMENT,
                "both colors have weight 0: no traffic could go anywhere",
            )
            .at(node.span)
            .help("give the active color a weight from 1 to 1000"),
        );
        return None;
    }
    Some([blue, green])
}

/// `active` names the color that serves: weights that send it less traffic than the other
/// color (say `active: blue` with `weights: {blue: 0, green: 100}`) contradict it, and routing
/// would silently follow the weights. Equal weights (a 50/50 canary) are no contradiction.
fn check_active_weight(
    active: &Spanned<Color>,
    weights: &[Spanned<u32>; 2],
    node: &Node,
    sink: &mut Sink,
) -> Option<()> {
    let color = active.value;
    let other = match color {
        Color::Blue => Color::Green,
        Color::Green => Color::Blue,
    };
    let (own, others) = (weights[color as usize].value, weights[other as usize].value);
    if own >= others {
        return Some(());
    }
    let (color, other) = (color.as_str(), other.as_str());
    sink.push(
        Diagnostic::error(
            &codes::DEPLOYMENT,
            format!(
                "`active: {color}` contradicts `weights`, which send more traffic to {other} ({other} {others}, {color} {own})"
            ),
        )
        .at(node.span)
        .label(format!("most traffic goes to {other}"))
        .related(active.span, format!("{color} is the active color"))
        .help(format!(
            "set `active: {other}`, or give {color} at least as much weight as {other}"
        )),
    );
    None
}

fn disaster_recovery(
    map: &MapReader<'_>,
    primary: &'static Region,
    sink: &mut Sink,
) -> Option<Strategy> {
    let secondary = map
        .require("secondary", "a disaster-recovery deployment", sink)
        .and_then(|n| region(n, "`secondary`", sink))?;
    if secondary.value.name == primary.name {
        sink.push(
            Diagnostic::error(
                &codes::DEPLOYMENT,
                format!(
                    "the secondary region is the primary `location` ({})",
                    primary.name
                ),
            )
            .at(secondary.span)
            .help(match primary.paired {
                Some(paired) => format!("use another region, e.g. the paired region `{paired}`"),
                None => "use another region".to_owned(),
            }),
        );
        return None;
    }
    let duration = |key: &str, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::string(n, &format!("`{key}`"), sink))
    };
    let rto = duration("rto", sink);
    let rpo = duration("rpo", sink);
    let automatic_failover = map
        .get("automatic_failover")
        .and_then(|n| decode::boolean(n, "`automatic_failover`", sink))
        .is_none_or(|b| b.value);
    Some(Strategy::DisasterRecovery {
        secondary,
        rto,
        rpo,
        automatic_failover,
        probe: probe(map.get("health_probe"), sink),
    })
}

/// The health probe and the profile's DNS TTL; the defaults are the seed's (HTTPS, every 30 s,
/// 10 s timeout, 3 tolerated failures, TTL 60 s), probing the health function baas generates (`/api/health`).
fn probe(node: Option<&Node>, sink: &mut Sink) -> HealthProbe {
    let mut probe = HealthProbe::default();
    let Some(node) = node else { return probe };
    let Some(map) = MapReader::new(node, "`health_probe`", PROBE_KEYS, sink) else {
        return probe;
    };
    if let Some(path) = map
        .get("path")
        .and_then(|n| decode::string(n, "`health_probe.path`", sink))
    {
        if path.chars().any(|c| c.is_control() || c.is_whitespace()) {
            sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    "the health probe path holds a space or a control character",
                )
                .at(path.span)
                .help("write a URL path such as `/api/health`; encode other characters with `%`"),
            );
        } else if path.starts_with('/') {
            probe.path = path;
        } else {
            sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    "the health probe path must start with `/`",
                )
                .at(path.span)
                .help("write e.g. `/api/health`, the health function baas generates"),
            );
        }
    }
    if let Some(p) = map
        .get("protocol")
        .and_then(|n| decode::one_of(n, "probe protocol", ProbeProtocol::NAMES, sink))
    {
        probe.protocol = ProbeProtocol::ALL[p.value];
    }
    let number = |key: &str, min: i64, max: i64, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::integer(n, &format!("`health_probe.{key}`"), min, max, sink))
            .map(|v| v.value as u32)
    };
    if let Some(port) = number("port", 1, 65_535, sink) {
        probe.port = port;
    }
    if let Some(interval) = map.get("interval_seconds") {
        match decode::integer(interval, "`health_probe.interval_seconds`", 10, 30, sink) {
            Some(v) if v.value == 10 || v.value == 30 => probe.interval_seconds = v.value as u32,
            Some(v) => sink.push(
                Diagnostic::error(
                    &codes::DEPLOYMENT,
                    format!(
                        "Traffic Manager probes every 10 or 30 seconds, not {}",
                        v.value
                    ),
                )
                .at(v.span)
                .help("use `interval_seconds: 30` (or 10 for fast probing)"),
            ),
            None => {}
        }
    }
    // Timeout: 5..=10 s with a 30 s interval, 5..=9 s with a 10 s interval; an unwritten
    // timeout follows the interval, so `interval_seconds: 10` alone stays valid.
    let max_timeout = if probe.interval_seconds == 10 { 9 } else { 10 };
    probe.timeout_seconds = probe.timeout_seconds.min(max_timeout as u32);
    if let Some(timeout) = number("timeout_seconds", 5, max_timeout, sink) {
        probe.timeout_seconds = timeout;
    }
    if let Some(failures) = number("tolerated_failures", 0, 9, sink) {
        probe.tolerated_failures = failures;
    }
    // azurerm 4.55.0 validates `dns_config.ttl` as 0..=2,147,483,647 (`IntBetween(0,
    // math.MaxInt32)`, traffic_manager_profile_resource.go:82-86).
    if let Some(ttl) = number("ttl_seconds", 0, i64::from(i32::MAX), sink) {
        probe.ttl_seconds = ttl;
    }
    probe
}

pub fn state(node: &Node, sink: &mut Sink) -> Option<State> {
    let map = MapReader::new(node, "`state`", STATE_KEYS, sink)?;
    let text = |key: &str, sink: &mut Sink| {
        map.require(key, "`state`", sink)
            .and_then(|n| decode::string(n, &format!("`state.{key}`"), sink))
    };
    let resource_group = text("resource_group", sink);
    let storage_account = text("storage_account", sink);
    let container = text("container", sink);
    let key = match map.get("key") {
        Some(node) => decode::string(node, "`state.key`", sink),
        None => Some(Spanned::defaulted(DEFAULT_STATE_KEY.to_owned(), map.span)),
    };
    if let Some(account) = &storage_account {
        let ok = (3..=24).contains(&account.len())
            && account
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if !ok {
            sink.push(
                Diagnostic::error(
                    &codes::STATE,
                    format!("`{}` is not a storage account name", account.value),
                )
                .at(account.span)
                .help("storage account names are 3-24 lowercase letters and digits"),
            );
        }
    }
    if let Some(group) = &resource_group {
        // Azure: 1-90 letters, digits, `_`, `-`, `.`, `(` and `)`, not ending with a period.
        let ok = (1..=90).contains(&group.chars().count())
            && !group.ends_with('.')
            && group
                .chars()
                .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'));
        if !ok {
            sink.push(
                Diagnostic::error(
                    &codes::STATE,
                    format!("`{}` is not a resource group name", group.value),
                )
                .at(group.span)
                .help("resource group names are 1-90 letters, digits, `_`, `-`, `.`, `(` and `)`, not ending with a period"),
            );
        }
    }
    if let Some(container) = &container {
        // Azure: 3-63 lowercase letters, digits and single hyphens, starting and ending with a
        // letter or digit.
        let ok = (3..=63).contains(&container.len())
            && container
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !container.starts_with('-')
            && !container.ends_with('-')
            && !container.contains("--");
        if !ok {
            sink.push(
                Diagnostic::error(
                    &codes::STATE,
                    format!("`{}` is not a blob container name", container.value),
                )
                .at(container.span)
                .help("container names are 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit"),
            );
        }
    }
    if let Some(key) = &key {
        check_state_key(key, sink);
    }
    Some(State {
        resource_group: resource_group?,
        storage_account: storage_account?,
        container: container?,
        key: key?,
    })
}

fn check_state_key(key: &Spanned<String>, sink: &mut Sink) {
    let mut rest = key.value.as_str();
    while let Some(start) = rest.find("{{") {
        let Some(end) = rest[start..].find("}}") else {
            sink.push(
                Diagnostic::error(&codes::STATE, "`state.key` has an unclosed `{{`")
                    .at(key.span)
                    .help("close it with `}}`"),
            );
            return;
        };
        let variable = rest[start + 2..start + end].trim();
        if !STATE_VARIABLES.contains(&variable) {
            sink.push(
                Diagnostic::error(
                    &codes::STATE,
                    format!("`state.key` uses the unknown variable `{variable}`"),
                )
                .at(key.span)
                .help(format!("use {}", backticked(STATE_VARIABLES))),
            );
        }
        rest = &rest[start + end + 2..];
    }
    if !key.value.contains("{{stack}}") {
        sink.push(
            Diagnostic::error(
                &codes::STATE,
                "`state.key` must contain `{{stack}}`: every stack needs its own state",
            )
            .at(key.span)
            .help(format!("e.g. `{DEFAULT_STATE_KEY}`")),
        );
    }
}

/// The state key of one stack.
pub fn state_key(template: &str, name: &str, env: &str, stack: &str) -> String {
    let mut out = template.to_owned();
    for (variable, value) in [("name", name), ("env", env), ("stack", stack)] {
        for form in [
            format!("{{{{{variable}}}}}"),
            format!("{{{{ {variable} }}}}"),
        ] {
            out = out.replace(&form, value);
        }
    }
    out
}

pub const TENANCY_KEYS: &[&str] = &["isolation", "tenants"];
pub const TENANT_KEYS: &[&str] = &["id", "name", "tier"];
/// The partition key every tenant-scoped container needs under `isolation: partition`.
pub const TENANT_PARTITION_KEY: &str = "/tenantId";

pub fn tenancy(node: &Node, sink: &mut Sink) -> Option<Tenancy> {
    let map = MapReader::new(node, "`tenancy`", TENANCY_KEYS, sink)?;
    let isolation = map
        .require("isolation", "`tenancy`", sink)
        .and_then(|n| decode::one_of(n, "isolation", Isolation::NAMES, sink))
        .map(|i| Spanned::new(Isolation::ALL[i.value], i.span));
    let list = map.require("tenants", "`tenancy`", sink)?;
    let items = decode::list(list, "`tenants`", sink)?;
    let mut tenants: Vec<Tenant> = Vec::new();
    for item in items {
        let Some(tenant) = tenant(item, sink) else {
            continue;
        };
        if let Some(first) = tenants.iter().find(|t| t.id.value == tenant.id.value) {
            sink.push(
                Diagnostic::error(
                    &codes::TENANCY,
                    format!("tenant `{}` is listed twice", tenant.id.value),
                )
                .at(tenant.id.span)
                .related(first.id.span, "first listed here")
                .help("tenant ids are unique"),
            );
            continue;
        }
        tenants.push(tenant);
    }
    if items.is_empty() {
        sink.push(
            Diagnostic::error(&codes::TENANCY, "`tenants` is empty")
                .at(list.span)
                .help("list at least one tenant: `{id: acme, name: Acme Corp}`"),
        );
        return None;
    }
    Some(Tenancy {
        isolation: isolation?,
        tenants,
        span: node.span,
    })
}

fn tenant(node: &Node, sink: &mut Sink) -> Option<Tenant> {
    let map = MapReader::new(node, "a tenant", TENANT_KEYS, sink)?;
    let id = map
        .require("id", "a tenant", sink)
        .and_then(|n| decode::string(n, "`id`", sink))?;
    let ok = id.len() <= 10
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok {
        sink.push(
            Diagnostic::error(&codes::TENANCY, format!("tenant id `{}` does not match `[a-z][a-z0-9]{{0,9}}`", id.value))
                .at(id.span)
                .help("tenant ids go into resource names and tags: 1-10 lowercase letters and digits, starting with a letter"),
        );
        return None;
    }
    let name = map
        .get("name")
        .and_then(|n| decode::string(n, "`name`", sink))
        .map_or_else(|| id.value.clone(), |n| n.value);
    let tier = map
        .get("tier")
        .and_then(|n| decode::string(n, "`tier`", sink))
        .map(|t| t.value);
    Some(Tenant { id, name, tier })
}

/// `isolation: partition`: every CRUD container is shared by all tenants, so each must be
/// partitioned by the tenant id.
pub fn check_tenant_partitions(backend: &Backend, sink: &mut Sink) {
    let Some(tenancy) = &backend.tenancy else {
        return;
    };
    if tenancy.isolation.value != Isolation::Partition {
        return;
    }
    for component in backend.components.values() {
        let ComponentKind::CrudApi(api) = &component.kind else {
            continue;
        };
        if api.partition_key.value == TENANT_PARTITION_KEY {
            continue;
        }
        sink.push(
            Diagnostic::error(
                &codes::TENANCY,
                format!("`{}` is partitioned by `{}`, but partition isolation needs `{TENANT_PARTITION_KEY}`", component.key, api.partition_key.value),
            )
            .at(api.partition_key.span)
            .label("not the tenant id")
            .help(format!("set `partition_key: {TENANT_PARTITION_KEY}` (and add `tenantId: string` to `schema`), or use `isolation: database`")),
        );
    }
}
