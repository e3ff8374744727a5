//! Components -> resource requirements.
//!
//! A requirement says "this component needs a thing of type T identified by key K, configured
//! so". Requirements of equal `(kind, key)` are merged later by the provider that serves the
//! type, which is how three CRUD APIs end up on one Cosmos account and one function app. The
//! model names requirement types but knows nothing of the Azure resources that realise them.

use crate::backend::*;
use crate::span::{Span, Spanned};
use std::collections::BTreeSet;

/// Built-in requirement types.
pub mod kinds {
    pub const COSMOS_ACCOUNT: &str = "cosmos-account";
    pub const COSMOS_DATABASE: &str = "cosmos-database";
    pub const COSMOS_CONTAINER: &str = "cosmos-container";
    /// Data-plane access from a function app's identity to one container.
    pub const COSMOS_DATA_ACCESS: &str = "cosmos-data-access";
    pub const FUNCTION_APP: &str = "function-app";
    pub const STORAGE: &str = "storage";
    pub const MONITORING: &str = "monitoring";
    pub const SERVICEBUS_NAMESPACE: &str = "servicebus-namespace";
    pub const SERVICEBUS_QUEUE: &str = "servicebus-queue";
    pub const SERVICEBUS_TOPIC: &str = "servicebus-topic";
    /// Send and receive rights of a function app's identity on one queue or topic.
    pub const SERVICEBUS_ACCESS: &str = "servicebus-access";
    /// A static website: its own storage account behind a Front Door endpoint.
    pub const STATIC_SITE: &str = "static-site";
    /// The isolated virtual network, its subnets and the data services' private access.
    pub const NETWORK: &str = "network";

    /// Every built-in type: a `custom` component may not declare one (its provider would
    /// serve it with built-in meaning, or ignore it, as `network` is in public mode).
    pub const ALL: &[&str] = &[
        COSMOS_ACCOUNT,
        COSMOS_DATABASE,
        COSMOS_CONTAINER,
        COSMOS_DATA_ACCESS,
        FUNCTION_APP,
        STORAGE,
        MONITORING,
        SERVICEBUS_NAMESPACE,
        SERVICEBUS_QUEUE,
        SERVICEBUS_TOPIC,
        SERVICEBUS_ACCESS,
        STATIC_SITE,
        NETWORK,
    ];
}

/// The key of the one virtual network an isolated backend has.
pub const SHARED_NETWORK: &str = "shared";

/// The key of the one Service Bus namespace the backend shares.
pub const SHARED_SERVICEBUS: &str = "shared";

/// The key of the one Cosmos account every CRUD API shares.
pub const SHARED_COSMOS_ACCOUNT: &str = "shared";
/// The key of the storage account that all function hosts share.
pub const FUNCTIONS_STORAGE: &str = "functions";
pub const SHARED_MONITORING: &str = "shared";

/// Which component asked, and where it is written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Source {
    pub component: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    pub kind: String,
    pub key: String,
    pub source: Source,
    pub config: RequirementConfig,
}

/// The large settings (queues, topics, static sites: 300 to 430 bytes) are boxed, so that a
/// requirement stays small: a 1,000-component backend has thousands of them to sort and merge.
#[derive(Debug, Clone, PartialEq)]
pub enum RequirementConfig {
    CosmosAccount(CosmosAccountRequirement),
    CosmosDatabase {
        account: String,
        name: String,
    },
    CosmosContainer(ContainerRequirement),
    CosmosDataAccess(DataAccessRequirement),
    FunctionApp(AppRequirement),
    Storage(StorageRequirement),
    Monitoring(MonitoringRequirement),
    ServiceBusNamespace {
        sku: Option<Spanned<ServiceBusSku>>,
    },
    ServiceBusQueue(Box<QueueSpec>),
    ServiceBusTopic(Box<TopicSpec>),
    ServiceBusAccess(ServiceBusAccessRequirement),
    StaticSite(Box<StaticSite>),
    /// Network isolation; its settings are the backend's `networking`.
    Network,
    /// Requirements of types that a provider registered by a Rust program serves.
    Custom(Spanned<serde_json::Value>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct CosmosAccountRequirement {
    pub consistency: Spanned<Consistency>,
    pub serverless: Spanned<bool>,
    pub public_network_access: Spanned<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ContainerRequirement {
    pub account: String,
    pub database: String,
    pub name: String,
    pub partition_key: Spanned<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataAccessRequirement {
    /// The function app key (its runtime).
    pub app: String,
    pub account: String,
    pub database: String,
    pub container: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppRequirement {
    pub runtime: Runtime,
    pub version: Option<Spanned<String>>,
    pub plan: Spanned<FunctionPlan>,
    /// The plan is baas's default: neither the component nor `functions.plan` names one.
    pub plan_defaulted: bool,
    /// The plan written for the app names no plan baas knows (reported by the reader); `plan`
    /// holds the default in its place, so nothing that depends on the plan is checked.
    pub plan_unknown: bool,
    pub functions: Vec<FunctionSpec>,
    /// Containers the app's code reads and writes, for its app settings.
    pub cosmos_bindings: Vec<CosmosBinding>,
    /// Origins the component lets call the app (the static sites' are added when provisioned).
    pub cors: Cors,
    /// Sign-in: the component's `auth`, else the backend's. Components on one app must agree.
    pub auth: Option<Box<Auth>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionSpec {
    pub name: Spanned<String>,
    pub origin: FunctionOrigin,
    pub trigger: Trigger,
    pub sends_to: Vec<Spanned<String>>,
}

impl FunctionSpec {
    /// The component that declared the function; none for the health function.
    pub fn component(&self) -> Option<&str> {
        match &self.origin {
            FunctionOrigin::User { component } | FunctionOrigin::Crud { component, .. } => {
                Some(component)
            }
            FunctionOrigin::Health => None,
        }
    }
}

/// Where a function's code comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FunctionOrigin {
    /// A `function-app` component's function: the user writes it.
    User { component: String },
    /// One operation of a `crud-api` component: generated for Node and Python apps.
    Crud {
        component: String,
        operation: Operation,
    },
    /// `GET api/health`, which every app that serves HTTP gets: generated for Node and Python
    /// apps, and the default probe path of every topology.
    Health,
}

/// The name of the health function and its route (under the `api` prefix).
pub const HEALTH_FUNCTION: &str = "health";

/// A CRUD API as the generated code serves it.
#[derive(Debug, Clone, PartialEq)]
pub struct CrudEntity {
    pub component: String,
    pub entity: String,
    pub plural: String,
    /// The top-level field the container is partitioned by (the path without its `/`).
    pub partition_key: String,
    pub fields: Vec<(String, FieldType)>,
    /// The declared operations, in the order `operations` lists them.
    pub operations: Vec<Operation>,
    /// Where its database and container names are: the names of its Cosmos bindings.
    pub databases: CrudDatabases,
}

/// Which Cosmos binding (and so which app settings) a request uses.
#[derive(Debug, Clone, PartialEq)]
pub enum CrudDatabases {
    /// One database: the binding named after the component.
    Shared { binding: String },
    /// `isolation: database`: tenant id -> its binding, picked per request.
    PerTenant(Vec<(String, String)>),
}

/// The prefix of a Cosmos binding's app settings: `users` -> `USERS_DATABASE` and
/// `USERS_CONTAINER`.
pub fn setting_prefix(binding: &str) -> String {
    binding.to_uppercase().replace('-', "_")
}

/// The function that serves one operation of a CRUD API.
pub fn crud_function_name(component: &str, operation: Operation) -> String {
    format!("{component}-{}", operation.as_str())
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct CosmosBinding {
    pub component: String,
    pub account: String,
    pub database: String,
    pub container: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceBusAccessRequirement {
    /// The function app key (its runtime).
    pub app: String,
    /// The queue or topic; which of the two is resolved against the merged entities.
    pub entity: Spanned<String>,
    pub receive: bool,
    pub send: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StorageRequirement {
    /// Blob containers the account must hold.
    pub containers: BTreeSet<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MonitoringRequirement {
    pub retention_days: Spanned<u32>,
    pub sampling_percentage: Spanned<f64>,
}

/// The blob container that holds a function app's deployment packages.
pub fn deployment_container(app: &str) -> String {
    format!("deploy-{app}")
}

/// Every requirement of every enabled component, in component order.
pub fn expand(backend: &Backend) -> Vec<Requirement> {
    let mut requirements = Vec::new();
    for component in backend.components.values() {
        let source = Source {
            component: component.key.clone(),
            span: component.key_span,
        };
        match &component.kind {
            ComponentKind::CrudApi(api) => {
                crud_api(backend, component, api, &source, &mut requirements)
            }
            ComponentKind::FunctionApp(app) => {
                function_app(backend, app, &source, &mut requirements)
            }
            ComponentKind::ServiceBus(bus) => {
                service_bus(bus, &source, &mut requirements);
                isolated_network(backend, &source, &mut requirements);
                // A namespace runs no code, but its logs go to the workspace.
                if backend.monitoring.sends_diagnostics() {
                    monitoring(backend, &source, &mut requirements);
                }
                continue;
            }
            ComponentKind::StaticSite(site) => {
                // Static sites get their own storage account (static website hosting is
                // account-wide), so the key is the component's and nothing merges.
                push(
                    &mut requirements,
                    kinds::STATIC_SITE,
                    component.key.clone(),
                    &source,
                    RequirementConfig::StaticSite(Box::new(site.clone())),
                );
                // Static files run no code, but Front Door's logs go to the workspace.
                if backend.monitoring.sends_diagnostics() {
                    monitoring(backend, &source, &mut requirements);
                }
                continue;
            }
            ComponentKind::Custom(custom) => {
                for requirement in &custom.requires {
                    push(
                        &mut requirements,
                        &requirement.kind.value,
                        requirement.key.value.clone(),
                        &source,
                        RequirementConfig::Custom(requirement.config.clone()),
                    );
                }
                // What a custom requirement runs is its provider's business.
                continue;
            }
        }
        isolated_network(backend, &source, &mut requirements);
        if backend.monitoring.enabled {
            monitoring(backend, &source, &mut requirements);
        }
    }
    requirements
}

/// The shared workspace: every component that runs code reports to it, and every service gets a
/// diagnostic setting that sends to it (so a namespace or a static site alone needs it too).
fn monitoring(backend: &Backend, source: &Source, requirements: &mut Vec<Requirement>) {
    push(
        requirements,
        kinds::MONITORING,
        SHARED_MONITORING.to_owned(),
        source,
        RequirementConfig::Monitoring(MonitoringRequirement {
            retention_days: backend.monitoring.retention_days.clone(),
            sampling_percentage: backend.monitoring.sampling_percentage.clone(),
        }),
    );
}

/// In isolated mode, components with compute or data services need the virtual network (static
/// sites keep their public origin; custom requirements are their providers' business).
fn isolated_network(backend: &Backend, source: &Source, requirements: &mut Vec<Requirement>) {
    if backend.networking.is_isolated() {
        push(
            requirements,
            kinds::NETWORK,
            SHARED_NETWORK.to_owned(),
            source,
            RequirementConfig::Network,
        );
    }
}

fn push(
    requirements: &mut Vec<Requirement>,
    kind: &str,
    key: String,
    source: &Source,
    config: RequirementConfig,
) {
    requirements.push(Requirement {
        kind: kind.to_owned(),
        key,
        source: source.clone(),
        config,
    });
}

/// A component's source pointed at one of its parts (a queue or topic name), so that what is
/// reported about the part — two queues of one component that would share an address, a
/// conflict between two declarations — points at the part, not at the component's key.
fn at(source: &Source, span: Span) -> Source {
    Source {
        component: source.component.clone(),
        span,
    }
}

fn host_storage(app: &str, source: &Source, requirements: &mut Vec<Requirement>) {
    let containers = BTreeSet::from([deployment_container(app)]);
    push(
        requirements,
        kinds::STORAGE,
        FUNCTIONS_STORAGE.to_owned(),
        source,
        RequirementConfig::Storage(StorageRequirement { containers }),
    );
}

/// The databases a CRUD API's data lives in, with the name its app settings use: one per
/// tenant under `isolation: database`, else the API's own.
fn tenant_databases(
    backend: &Backend,
    component: &Component,
    api: &CrudApi,
) -> Vec<(String, String)> {
    match &backend.tenancy {
        Some(tenancy) if tenancy.isolation.value == Isolation::Database => tenancy
            .tenants
            .iter()
            .map(|t| {
                (
                    format!("{}-{}", api.database.value, t.id.value),
                    format!("{}-{}", component.key, t.id.value),
                )
            })
            .collect(),
        _ => vec![(api.database.value.clone(), component.key.clone())],
    }
}

fn crud_api(
    backend: &Backend,
    component: &Component,
    api: &CrudApi,
    source: &Source,
    out: &mut Vec<Requirement>,
) {
    let account = SHARED_COSMOS_ACCOUNT.to_owned();
    let container = api.container.value.clone();
    let app = api.runtime.as_str().to_owned();
    push(
        out,
        kinds::COSMOS_ACCOUNT,
        account.clone(),
        source,
        RequirementConfig::CosmosAccount(CosmosAccountRequirement {
            consistency: api.cosmos.consistency.clone(),
            serverless: api.cosmos.serverless.clone(),
            public_network_access: api.cosmos.public_network_access.clone(),
        }),
    );
    let mut bindings = Vec::new();
    let tenant_databases = tenant_databases(backend, component, api);
    for (database, binding_name) in tenant_databases {
        push(
            out,
            kinds::COSMOS_DATABASE,
            database.clone(),
            source,
            RequirementConfig::CosmosDatabase {
                account: account.clone(),
                name: database.clone(),
            },
        );
        push(
            out,
            kinds::COSMOS_CONTAINER,
            format!("{database}/{container}"),
            source,
            RequirementConfig::CosmosContainer(ContainerRequirement {
                account: account.clone(),
                database: database.clone(),
                name: container.clone(),
                partition_key: api.partition_key.clone(),
            }),
        );
        push(
            out,
            kinds::COSMOS_DATA_ACCESS,
            format!("{app}/{database}/{container}"),
            source,
            RequirementConfig::CosmosDataAccess(DataAccessRequirement {
                app: app.clone(),
                account: account.clone(),
                database: database.clone(),
                container: container.clone(),
            }),
        );
        bindings.push(CosmosBinding {
            component: binding_name,
            account: account.clone(),
            database,
            container: container.clone(),
        });
    }
    let functions = api
        .operations
        .iter()
        .map(|op| crud_function(component, api, *op))
        .collect();
    push(
        out,
        kinds::FUNCTION_APP,
        app.clone(),
        source,
        RequirementConfig::FunctionApp(AppRequirement {
            runtime: api.runtime.value,
            version: api.version.clone(),
            plan: backend.functions.plan.clone(),
            plan_defaulted: !backend.functions.plan_written,
            plan_unknown: backend.functions.plan_unknown,
            functions,
            cosmos_bindings: bindings,
            cors: api.cors.clone(),
            auth: api.auth.clone().or_else(|| backend.auth.clone()),
        }),
    );
    host_storage(&app, source, out);
}

/// The CRUD APIs that the app of `runtime` serves, in component order.
pub fn crud_apis(
    backend: &Backend,
    runtime: Runtime,
) -> impl Iterator<Item = (&Component, &CrudApi)> + '_ {
    backend
        .components
        .values()
        .filter_map(move |component| match &component.kind {
            ComponentKind::CrudApi(api) if api.runtime.value == runtime => Some((component, api)),
            _ => None,
        })
}

/// A CRUD API as the generated code serves it. Built when the code is written rather than
/// carried through the merge: a thousand APIs' schemas need not sit in memory while the stacks
/// are built.
pub fn crud_entity(backend: &Backend, component: &Component, api: &CrudApi) -> CrudEntity {
    let databases = match &backend.tenancy {
        Some(tenancy) if tenancy.isolation.value == Isolation::Database => {
            CrudDatabases::PerTenant(
                tenancy
                    .tenants
                    .iter()
                    .zip(tenant_databases(backend, component, api))
                    .map(|(tenant, (_, binding))| (tenant.id.value.clone(), binding))
                    .collect(),
            )
        }
        _ => CrudDatabases::Shared {
            binding: component.key.clone(),
        },
    };
    CrudEntity {
        component: component.key.clone(),
        entity: api.entity.value.clone(),
        plural: api.plural.clone(),
        partition_key: api.partition_key.value.trim_start_matches('/').to_owned(),
        fields: api
            .schema
            .iter()
            .map(|(name, kind)| (name.clone(), kind.value))
            .collect(),
        operations: api.operations.clone(),
        databases,
    }
}

/// One HTTP function per CRUD operation, REST-shaped routes on the plural.
fn crud_function(component: &Component, api: &CrudApi, operation: Operation) -> FunctionSpec {
    let plural = &api.plural;
    let (method, route) = match operation {
        Operation::Create => (HttpMethod::Post, plural.clone()),
        Operation::Read => (HttpMethod::Get, format!("{plural}/{{id}}")),
        Operation::Update => (HttpMethod::Put, format!("{plural}/{{id}}")),
        Operation::Delete => (HttpMethod::Delete, format!("{plural}/{{id}}")),
        Operation::List => (HttpMethod::Get, plural.clone()),
    };
    FunctionSpec {
        name: Spanned::new(
            crud_function_name(&component.key, operation),
            component.key_span,
        ),
        origin: FunctionOrigin::Crud {
            component: component.key.clone(),
            operation,
        },
        trigger: Trigger::Http {
            route: Spanned::new(route, component.key_span),
            methods: vec![method],
            auth_level: AuthLevel::Function,
        },
        sends_to: Vec::new(),
    }
}

fn service_bus(bus: &ServiceBus, source: &Source, out: &mut Vec<Requirement>) {
    namespace(bus.sku.clone(), source, out);
    for queue in &bus.queues {
        push(
            out,
            kinds::SERVICEBUS_QUEUE,
            queue.name.value.clone(),
            &at(source, queue.name.span),
            RequirementConfig::ServiceBusQueue(Box::new(queue.clone())),
        );
    }
    for topic in &bus.topics {
        push(
            out,
            kinds::SERVICEBUS_TOPIC,
            topic.name.value.clone(),
            &at(source, topic.name.span),
            RequirementConfig::ServiceBusTopic(Box::new(topic.clone())),
        );
    }
}

fn namespace(sku: Option<Spanned<ServiceBusSku>>, source: &Source, out: &mut Vec<Requirement>) {
    push(
        out,
        kinds::SERVICEBUS_NAMESPACE,
        SHARED_SERVICEBUS.to_owned(),
        source,
        RequirementConfig::ServiceBusNamespace { sku },
    );
}

fn access(
    app: &str,
    entity: &Spanned<String>,
    receive: bool,
    source: &Source,
    out: &mut Vec<Requirement>,
) {
    push(
        out,
        kinds::SERVICEBUS_ACCESS,
        format!("{app}/{}", entity.value),
        source,
        RequirementConfig::ServiceBusAccess(ServiceBusAccessRequirement {
            app: app.to_owned(),
            entity: entity.clone(),
            receive,
            send: !receive,
        }),
    );
}

/// The suffix that names the dead-letter sub-queue of a queue or subscription, as a trigger's
/// `queue` (`orders/$deadletterqueue`) or `subscription` (`audit/$deadletterqueue`) gives it.
/// Service Bus and the Functions extension compare it without regard to case.
pub const DEAD_LETTER_SUFFIX: &str = "/$deadletterqueue";

/// The queue or subscription whose dead-letter sub-queue `name` is, if it names one. The
/// sub-queue is part of its parent: the parent is what must exist and what access is granted
/// on; the trigger keeps the full path, which is what its binding names.
pub fn dead_letter_parent(name: &Spanned<String>) -> Option<Spanned<String>> {
    let text = &name.value;
    let split = text.len().checked_sub(DEAD_LETTER_SUFFIX.len())?;
    let suffix = text.get(split..)?;
    suffix
        .eq_ignore_ascii_case(DEAD_LETTER_SUFFIX)
        .then(|| Spanned::new(text[..split].to_owned(), name.span))
}

/// The entity a trigger names, with a dead-letter sub-queue resolved to its parent.
fn consumed(name: &Spanned<String>) -> Spanned<String> {
    dead_letter_parent(name).unwrap_or_else(|| name.clone())
}

/// A queue or topic trigger consumes an entity: the namespace and the entity (with its
/// subscription) exist, and the app may receive from it. `sends_to` grants send rights.
fn messaging(app: &str, function: &Function, source: &Source, out: &mut Vec<Requirement>) {
    match &function.trigger {
        Trigger::Queue { queue } => {
            let queue = &consumed(queue);
            namespace(None, source, out);
            let spec = QueueSpec {
                name: queue.clone(),
                settings: EntitySettings::default(),
            };
            push(
                out,
                kinds::SERVICEBUS_QUEUE,
                queue.value.clone(),
                &at(source, queue.span),
                RequirementConfig::ServiceBusQueue(Box::new(spec)),
            );
            access(app, queue, true, source, out);
        }
        Trigger::Topic {
            topic,
            subscription,
        } => {
            namespace(None, source, out);
            let spec = TopicSpec {
                name: topic.clone(),
                settings: EntitySettings::default(),
                subscriptions: vec![SubscriptionSpec {
                    name: consumed(subscription),
                    settings: EntitySettings::default(),
                }],
            };
            push(
                out,
                kinds::SERVICEBUS_TOPIC,
                topic.value.clone(),
                &at(source, topic.span),
                RequirementConfig::ServiceBusTopic(Box::new(spec)),
            );
            access(app, topic, true, source, out);
        }
        Trigger::Http { .. } | Trigger::Timer { .. } => {}
    }
    for target in &function.sends_to {
        namespace(None, source, out);
        access(app, target, false, source, out);
    }
}

fn function_app(backend: &Backend, app: &FunctionApp, source: &Source, out: &mut Vec<Requirement>) {
    let key = app.runtime.as_str().to_owned();
    let functions = app
        .functions
        .values()
        .map(|f| FunctionSpec {
            name: f.name.clone(),
            origin: FunctionOrigin::User {
                component: source.component.clone(),
            },
            trigger: f.trigger.clone(),
            sends_to: f.sends_to.clone(),
        })
        .collect();
    for function in app.functions.values() {
        messaging(&key, function, source, out);
    }
    push(
        out,
        kinds::FUNCTION_APP,
        key.clone(),
        source,
        RequirementConfig::FunctionApp(AppRequirement {
            runtime: app.runtime.value,
            version: app.version.clone(),
            plan: app
                .plan
                .clone()
                .unwrap_or_else(|| backend.functions.plan.clone()),
            plan_defaulted: !app.plan_written && !backend.functions.plan_written,
            plan_unknown: if app.plan_written {
                app.plan.is_none()
            } else {
                backend.functions.plan_unknown
            },
            functions,
            cosmos_bindings: Vec::new(),
            cors: app.cors.clone(),
            auth: app.auth.clone().or_else(|| backend.auth.clone()),
        }),
    );
    host_storage(&key, source, out);
}
