//! Spanned YAML -> [`Backend`]: shapes, defaults and value rules. Every problem becomes a
//! diagnostic; decoding goes on past it so that one run reports them all.

use crate::backend::*;
use crate::codes;
use crate::decode::{self, backticked, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::regions;
use crate::span::{Span, Spanned};
use crate::yaml::{Node, Value};
use indexmap::IndexMap;
use std::collections::BTreeMap;

use crate::read_crud::crud_api;
pub use crate::read_crud::CRUD_API_KEYS;
use crate::read_functions::function_app;
pub use crate::read_functions::{FUNCTION_APP_KEYS, TRIGGERS};

/// The keys each mapping accepts; the JSON Schema (`crate::schema`) is tested against them.
pub mod keys {
    pub const NAMING: &[&str] = &["template", "abbreviations", "unique_suffix", "salt"];
    pub const MONITORING: &[&str] = &[
        "enabled",
        "retention_days",
        "sampling_percentage",
        "diagnostics",
        "alerts",
        "availability",
        "workspace",
    ];
    pub const COSMOS: &[&str] = &["consistency", "serverless", "public_network_access"];
    /// The top-level `cosmos`: a CRUD API's keys and the account itself (`existing`).
    pub const TOP_COSMOS: &[&str] = &[
        "consistency",
        "serverless",
        "public_network_access",
        "existing",
    ];
    pub const FUNCTIONS: &[&str] = &["plan", "plan_per_runtime"];
    pub const NETWORKING: &[&str] = &[
        "mode",
        "address_space",
        "private_endpoints",
        "existing",
        "private_dns",
    ];
    pub const HTTP_TRIGGER: &[&str] = &["trigger", "route", "methods", "auth_level", "sends_to"];
    pub const TIMER_TRIGGER: &[&str] = &["trigger", "schedule", "sends_to"];
    pub const QUEUE_TRIGGER: &[&str] = &["trigger", "queue", "sends_to"];
    pub const TOPIC_TRIGGER: &[&str] = &["trigger", "topic", "subscription", "sends_to"];
}

pub const TOP_LEVEL: &[&str] = &[
    "name",
    "environment",
    "location",
    "tags",
    "naming",
    "limits",
    "monitoring",
    "cosmos",
    "functions",
    "networking",
    "components",
    "providers",
    "deployment",
    "state",
    "tenancy",
    "protect",
    "auth",
    "resource_group",
];
pub const COMPONENT_TYPES: &[&str] = &[
    "crud-api",
    "function-app",
    "service-bus",
    "static-site",
    "custom",
];

/// Reads the document into a [`Backend`]. Returns `None` only when the document is not a
/// mapping. When `name`, `environment` or `location` is missing or invalid, the backend gets
/// a stand-in value so that later stages can still check merges and limits; the sink holds
/// the error, and synth never generates Terraform from a backend with model errors.
pub fn read(root: &Node, sink: &mut Sink) -> Option<Backend> {
    let top = MapReader::new(root, "the document", TOP_LEVEL, sink)?;
    let name = top
        .require("name", "the document", sink)
        .and_then(|n| app_name(n, sink));
    let environment = top
        .require("environment", "the document", sink)
        .and_then(|n| environment(n, sink));
    let location = top
        .require("location", "the document", sink)
        .and_then(|n| region(n, "`location`", sink));
    let tags = top.get("tags").map(|n| tags(n, sink)).unwrap_or_default();
    let naming = top
        .get("naming")
        .map_or_else(Naming::defaults, |n| naming(n, sink));
    let limits = top
        .get("limits")
        .map(|n| limits(n, sink))
        .unwrap_or_default();
    let monitoring = crate::read_monitoring::monitoring(top.get("monitoring"), root.span, sink);
    let cosmos = cosmos_settings(top.get("cosmos"), None, "`cosmos`", sink);
    let functions = functions_settings(top.get("functions"), root.span, sink);
    let networking = crate::read_networking::networking(top.get("networking"), root.span, sink);
    let primary = location.as_ref().map_or(&regions::all()[0], |l| l.value);
    let deployment = match top.get("deployment") {
        Some(node) => crate::read_deployment::deployment(node, primary, sink),
        None => Deployment {
            custom_domain: None,
            strategy: Strategy::Single,
            span: root.span,
        },
    };
    let state = top
        .get("state")
        .and_then(|n| crate::read_deployment::state(n, sink));
    let tenancy = top
        .get("tenancy")
        .and_then(|n| crate::read_deployment::tenancy(n, sink));
    let protect = top
        .get("protect")
        .and_then(|n| decode::boolean(n, "`protect`", sink))
        .is_none_or(|p| p.value);
    let auth = top
        .get("auth")
        .and_then(|n| crate::read_access::auth(n, "`auth`", sink));
    let resource_group = top
        .get("resource_group")
        .and_then(|n| crate::existing::resource_group(n, sink));
    let providers = top
        .get("providers")
        .map(|n| crate::read_custom::providers(n, sink))
        .unwrap_or_default();
    let defaults = ComponentDefaults {
        database: name
            .as_ref()
            .map_or_else(|| "main".to_owned(), |n| n.value.clone()),
        cosmos: cosmos.clone(),
    };
    let components = top
        .require("components", "the document", sink)
        .map(|n| components(n, &defaults, sink))
        .unwrap_or_default();
    crate::rename::check(&components, sink);
    if top.get("components").is_some() && components.is_empty() && !has_component_errors(sink) {
        sink.push(
            Diagnostic::error(
                &codes::NO_COMPONENTS,
                "the backend has no enabled component",
            )
            .at(top.key_span("components").unwrap_or(root.span))
            .help("add a component, e.g. `users: {type: crud-api, entity: User}`"),
        );
    }
    let backend = Backend {
        name: name.unwrap_or_else(|| Spanned::new("app".to_owned(), root.span)),
        environment: environment.unwrap_or_else(|| Spanned::new("env".to_owned(), root.span)),
        location: location.unwrap_or_else(|| Spanned::new(&regions::all()[0], root.span)),
        tags,
        naming,
        limits,
        monitoring,
        cosmos,
        functions,
        networking,
        deployment,
        state,
        tenancy,
        providers,
        components,
        protect,
        auth: auth.map(Box::new),
        resource_group,
    };
    crate::read_deployment::check_tenant_partitions(&backend, sink);
    Some(backend)
}

fn has_component_errors(sink: &Sink) -> bool {
    sink.diagnostics.iter().any(|d| d.is_error())
}

pub(crate) fn pattern_error(
    code: &'static crate::diagnostic::Code,
    node: &Node,
    what: &str,
    rule: &str,
) -> Diagnostic {
    Diagnostic::error(
        code,
        format!(
            "{what} `{}` does not match {rule}",
            decode::scalar_text(node)
        ),
    )
    .at(node.span)
    .label("invalid")
}

fn app_name(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, "`name`", sink)?;
    let ok = text.len() >= 2
        && text.len() <= 12
        && text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok {
        sink.push(
            pattern_error(&codes::NAME_PATTERN, node, "`name`", "`[a-z][a-z0-9]{1,11}`")
                .help("use 2-12 lowercase letters and digits, starting with a letter (it goes into every Azure resource name)"),
        );
        return None;
    }
    Some(text)
}

fn environment(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let text = decode::string(node, "`environment`", sink)?;
    let ok = !text.is_empty()
        && text.len() <= 8
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !ok {
        sink.push(
            pattern_error(
                &codes::ENVIRONMENT_PATTERN,
                node,
                "`environment`",
                "`[a-z0-9]{1,8}`",
            )
            .help("use 1-8 lowercase letters and digits, e.g. `dev`, `test`, `stg`, `prod`"),
        );
        return None;
    }
    Some(text)
}

/// A known region; `what` names the key in messages.
pub(crate) fn region(
    node: &Node,
    what: &str,
    sink: &mut Sink,
) -> Option<Spanned<&'static regions::Region>> {
    let text = decode::string(node, what, sink)?;
    if let Some(region) = regions::lookup(&text) {
        return Some(Spanned::new(region, node.span));
    }
    let suggestions = regions::suggestions(&text);
    let help = if suggestions.is_empty() {
        "use an Azure region's programmatic name, e.g. `eastus` or `westeurope` (`az account list-locations -o table`)".to_owned()
    } else {
        format!("did you mean {}?", backticked(&suggestions))
    };
    sink.push(
        Diagnostic::error(
            &codes::LOCATION,
            format!("`{}` is not a known Azure region", text.value),
        )
        .at(node.span)
        .label("unknown region")
        .help(help),
    );
    None
}

fn tags(node: &Node, sink: &mut Sink) -> BTreeMap<String, Spanned<String>> {
    let mut tags = BTreeMap::new();
    let Some(map) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(
            node,
            "`tags` must be a mapping of text to text",
        ));
        return tags;
    };
    for (key, value) in map.entries() {
        let name = decode::scalar_text(key);
        if name.is_empty()
            || name.len() > 512
            || name.contains(['<', '>', '%', '&', '\\', '?', '/'])
        {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("tag name `{name}` is not allowed by Azure"),
                )
                .at(key.span)
                .help(
                    "tag names are 1-512 characters without `<`, `>`, `%`, `&`, `\\`, `?` or `/`",
                ),
            );
            continue;
        }
        if tags.contains_key(name) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_DUPLICATE_KEY,
                    format!("tag `{name}` is written twice"),
                )
                .at(key.span)
                .help("remove one of them"),
            );
            continue;
        }
        let Some(text) = decode::string(value, &format!("tag `{name}`"), sink) else {
            continue;
        };
        if text.len() > 256 {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("tag `{name}` is longer than Azure's 256 characters"),
                )
                .at(value.span)
                .help("shorten the value"),
            );
            continue;
        }
        if text.chars().any(char::is_control) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("tag `{name}` holds a control character"),
                )
                .at(value.span)
                .help("tag values are printable text: remove the escape (`\\e`, `\\0`, ...)"),
            );
            continue;
        }
        tags.insert(name.to_owned(), text);
    }
    tags
}

impl Naming {
    fn defaults() -> Naming {
        Naming {
            unique_suffix: true,
            ..Naming::default()
        }
    }
}

fn naming(node: &Node, sink: &mut Sink) -> Naming {
    let mut naming = Naming::defaults();
    naming.span = node.span;
    let Some(map) = MapReader::new(node, "`naming`", keys::NAMING, sink) else {
        return naming;
    };
    naming.template = map
        .get("template")
        .and_then(|n| decode::string(n, "`naming.template`", sink));
    naming.unique_suffix = map
        .get("unique_suffix")
        .and_then(|n| decode::boolean(n, "`naming.unique_suffix`", sink))
        .is_none_or(|b| b.value);
    naming.salt = map
        .get("salt")
        .and_then(|n| decode::string(n, "`naming.salt`", sink))
        .map(|s| s.value)
        .unwrap_or_default();
    if let Some(abbreviations) = map.get("abbreviations") {
        if let Some(inner) = MapReader::new(
            abbreviations,
            "`naming.abbreviations`",
            &[],
            &mut Sink::default(),
        ) {
            for (key, value) in inner.entries() {
                if let Some(text) = decode::string(value, "an abbreviation", sink) {
                    // The key is checked against the resource kinds by the naming rules, which own them.
                    naming.abbreviations.insert(
                        decode::scalar_text(key).to_owned(),
                        Spanned::new(text.value, key.span),
                    );
                }
            }
        } else {
            sink.push(decode::type_error(
                abbreviations,
                "`naming.abbreviations` must be a mapping",
            ));
        }
    }
    naming
}

fn limits(node: &Node, sink: &mut Sink) -> Limits {
    let mut limits = Limits::default();
    let Some(map) = MapReader::new(node, "`limits`", Limits::KEYS, sink) else {
        return limits;
    };
    let read = |key: &str, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::integer(n, &format!("`limits.{key}`"), 0, 10_000, sink))
            .map(|v| Spanned::new(v.value as u32, v.span))
    };
    limits.max_cosmos_accounts = read("max_cosmos_accounts", sink);
    limits.max_function_apps = read("max_function_apps", sink);
    limits.max_storage_accounts = read("max_storage_accounts", sink);
    limits.max_functions_per_app = read("max_functions_per_app", sink);
    limits.max_containers_per_storage = read("max_containers_per_storage", sink);
    limits.max_servicebus_namespaces = read("max_servicebus_namespaces", sink);
    limits
}

/// The shared `cosmos` block, or a CRUD API's override of it (`base` = the shared settings).
pub(crate) fn cosmos_settings(
    node: Option<&Node>,
    base: Option<&CosmosSettings>,
    what: &str,
    sink: &mut Sink,
) -> CosmosSettings {
    // Built-in defaults: nobody wrote them, so diagnostics must not point at them.
    let span = Span::default();
    let mut settings = base.cloned().unwrap_or(CosmosSettings {
        consistency: Spanned::defaulted(Consistency::Session, span),
        serverless: Spanned::defaulted(true, span),
        public_network_access: Spanned::defaulted(true, span),
        existing: None,
    });
    let Some(node) = node else { return settings };
    // Only the top level names the account; a CRUD API's `cosmos` overrides settings.
    let keys = if base.is_none() {
        keys::TOP_COSMOS
    } else {
        keys::COSMOS
    };
    let Some(map) = MapReader::new(node, what, keys, sink) else {
        return settings;
    };
    if let Some(existing) = map.get("existing") {
        settings.existing = crate::existing::existing_resource(
            existing,
            "cosmos.existing",
            "cosmos-shop-{{env}}",
            sink,
        );
    }
    if let Some(c) = map
        .get("consistency")
        .and_then(|n| decode::one_of(n, "consistency level", Consistency::NAMES, sink))
    {
        settings.consistency = Spanned::new(Consistency::ALL[c.value], c.span);
    }
    if let Some(b) = map
        .get("serverless")
        .and_then(|n| decode::boolean(n, "`serverless`", sink))
    {
        settings.serverless = b;
    }
    if let Some(b) = map
        .get("public_network_access")
        .and_then(|n| decode::boolean(n, "`public_network_access`", sink))
    {
        settings.public_network_access = b;
    }
    settings
}

fn functions_settings(node: Option<&Node>, fallback: Span, sink: &mut Sink) -> FunctionsSettings {
    let mut settings = FunctionsSettings {
        plan: Spanned::defaulted(FunctionPlan::DEFAULT, node.map_or(fallback, |n| n.span)),
        plan_written: false,
        plan_unknown: false,
        plan_per_runtime: false,
    };
    let Some(node) = node else { return settings };
    let Some(map) = MapReader::new(node, "`functions`", keys::FUNCTIONS, sink) else {
        return settings;
    };
    // Written, even if it names no plan baas knows (reported there): no default is assumed.
    settings.plan_written = map.get("plan").is_some();
    match map
        .get("plan")
        .map(|n| crate::plan::read(n, "`functions.plan`", sink))
    {
        Some(Some(plan)) => settings.plan = plan,
        Some(None) => settings.plan_unknown = true,
        None => {}
    }
    if let Some(separate) = map
        .get("plan_per_runtime")
        .and_then(|n| decode::boolean(n, "`functions.plan_per_runtime`", sink))
    {
        settings.plan_per_runtime = separate.value;
    }
    settings
}

pub(crate) struct ComponentDefaults {
    pub(crate) database: String,
    pub(crate) cosmos: CosmosSettings,
}

fn components(
    node: &Node,
    defaults: &ComponentDefaults,
    sink: &mut Sink,
) -> IndexMap<String, Component> {
    let mut components = IndexMap::new();
    let Some(map) = MapReader::any_keys(node) else {
        sink.push(decode::type_error(
            node,
            "`components` must be a mapping of component keys to components",
        ));
        return components;
    };
    for (key_node, value) in map.entries() {
        let key = decode::scalar_text(key_node);
        if components.contains_key(key) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_DUPLICATE_KEY,
                    format!("component `{key}` is written twice"),
                )
                .at(key_node.span)
                .help("component keys must be unique"),
            );
            continue;
        }
        if !valid_component_key(key) {
            sink.push(
                Diagnostic::error(
                    &codes::COMPONENT_KEY,
                    format!("component key `{key}` is not {KEY_RULE}"),
                )
                .at(key_node.span)
                .label("invalid key")
                .help("it becomes a Terraform address and part of Azure names"),
            );
            continue;
        }
        if let Some(component) = component(key, key_node.span, value, defaults, sink) {
            components.insert(key.to_owned(), component);
        }
    }
    components
}

/// The rule [`valid_component_key`] checks, in words.
pub const KEY_RULE: &str = "1 to 40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen";

pub(crate) fn valid_component_key(key: &str) -> bool {
    key.len() <= 40
        && key.starts_with(|c: char| c.is_ascii_lowercase())
        && !key.ends_with('-')
        && key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

fn component(
    key: &str,
    key_span: Span,
    node: &Node,
    defaults: &ComponentDefaults,
    sink: &mut Sink,
) -> Option<Component> {
    let what = format!("component `{key}`");
    let Value::Map(_) = &node.value else {
        sink.push(decode::type_error(
            node,
            &format!("{what} must be a mapping with a `type`"),
        ));
        return None;
    };
    // Read `type` first: it decides which keys are known.
    let probe = MapReader::any_keys(node)?;
    let Some(type_node) = probe.get("type") else {
        sink.push(
            Diagnostic::error(&codes::SCHEMA_MISSING, format!("{what} needs `type`"))
                .at(key_span)
                .help(format!(
                    "add `type:` with one of {}",
                    backticked(COMPONENT_TYPES)
                )),
        );
        return None;
    };
    let kind = decode::one_of(type_node, "component type", COMPONENT_TYPES, sink)?;
    let known = match kind.value {
        0 => CRUD_API_KEYS,
        1 => FUNCTION_APP_KEYS,
        2 => crate::read_servicebus::KEYS,
        3 => crate::read_staticsite::KEYS,
        _ => crate::read_custom::KEYS,
    };
    let map = MapReader::new(node, &what, known, sink)?;
    if let Some(enabled) = map
        .get("enabled")
        .and_then(|n| decode::boolean(n, "`enabled`", sink))
    {
        if !enabled.value {
            return None;
        }
    }
    let renamed_from = map
        .get("renamed_from")
        .and_then(|n| crate::rename::read(n, sink));
    // A renamed CRUD API keeps the container its old key named (see `rename`).
    let name_key = renamed_from.as_ref().map_or(key, |r| r.value.as_str());
    let kind = match kind.value {
        0 => ComponentKind::CrudApi(crud_api(key, name_key, key_span, &map, defaults, sink)?),
        1 => ComponentKind::FunctionApp(function_app(&what, &map, sink)?),
        2 => ComponentKind::ServiceBus(crate::read_servicebus::service_bus(&what, &map, sink)?),
        3 => ComponentKind::StaticSite(crate::read_staticsite::static_site(&map, sink)?),
        _ => ComponentKind::Custom(crate::read_custom::custom(&what, &map, sink)?),
    };
    let protect = map
        .get("protect")
        .and_then(|n| decode::boolean(n, "`protect`", sink))
        .is_none_or(|p| p.value);
    Some(Component {
        key: key.to_owned(),
        key_span,
        kind,
        protect,
        renamed_from,
    })
}

pub(crate) fn runtime(node: &Node, sink: &mut Sink) -> Option<Spanned<Runtime>> {
    decode::one_of(node, "runtime", Runtime::NAMES, sink)
        .map(|r| Spanned::new(Runtime::ALL[r.value], r.span))
}

/// A component's `cors` and `auth` (see [`crate::read_access`]).
pub(crate) fn access(what: &str, map: &MapReader<'_>, sink: &mut Sink) -> (Cors, Option<Auth>) {
    let cors = map
        .get("cors")
        .map(|n| crate::read_access::cors(n, sink))
        .unwrap_or_default();
    let auth = map
        .get("auth")
        .and_then(|n| crate::read_access::auth(n, &format!("`auth` of {what}"), sink));
    (cors, auth)
}
