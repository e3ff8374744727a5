//! The validated backend: what backend.yaml says, with defaults filled in and every value
//! still carrying its span. Built once by [`crate::read`]; later stages never see raw YAML.

pub use crate::plan::FunctionPlan;
use crate::regions::Region;
use crate::span::{Span, Spanned};
use indexmap::IndexMap;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Backend {
    pub name: Spanned<String>,
    pub environment: Spanned<String>,
    pub location: Spanned<&'static Region>,
    pub tags: BTreeMap<String, Spanned<String>>,
    pub naming: Naming,
    pub limits: Limits,
    pub monitoring: Monitoring,
    pub cosmos: CosmosSettings,
    pub functions: FunctionsSettings,
    /// Public endpoints, or a virtual network with private access to the data services.
    pub networking: Networking,
    /// The topology: which stacks exist and where.
    pub deployment: Deployment,
    /// Remote state for every stack.
    pub state: Option<State>,
    /// Multi-tenant isolation.
    pub tenancy: Option<Tenancy>,
    /// Template providers for custom requirement types, by type.
    pub providers: BTreeMap<String, TemplateProviderSpec>,
    /// Enabled components in document order (a disabled one is dropped here).
    pub components: IndexMap<String, Component>,
    /// `protect` (default true): data-holding resources get `lifecycle.prevent_destroy`.
    pub protect: bool,
    /// Sign-in for every function app that serves HTTP, unless a component says otherwise.
    pub auth: Option<Box<Auth>>,
    /// `resource_group`: the landing zone's resource group each stack deploys into, read
    /// by name; without it every stack creates its own.
    pub resource_group: Option<crate::existing::ExistingResourceGroup>,
}

#[derive(Debug, Clone, Default)]
pub struct Naming {
    pub template: Option<Spanned<String>>,
    pub abbreviations: BTreeMap<String, Spanned<String>>,
    pub unique_suffix: bool,
    pub salt: String,
    pub span: Span,
}

/// Each limit is optional; when set it is the maximum count after merging.
#[derive(Debug, Clone, Default)]
pub struct Limits {
    pub max_cosmos_accounts: Option<Spanned<u32>>,
    pub max_function_apps: Option<Spanned<u32>>,
    pub max_storage_accounts: Option<Spanned<u32>>,
    pub max_functions_per_app: Option<Spanned<u32>>,
    pub max_containers_per_storage: Option<Spanned<u32>>,
    pub max_servicebus_namespaces: Option<Spanned<u32>>,
}

impl Limits {
    /// The limit keys, as written in backend.yaml.
    pub const KEYS: &'static [&'static str] = &[
        "max_cosmos_accounts",
        "max_function_apps",
        "max_storage_accounts",
        "max_functions_per_app",
        "max_containers_per_storage",
        "max_servicebus_namespaces",
    ];
}

#[derive(Debug, Clone)]
pub struct Monitoring {
    pub enabled: bool,
    pub retention_days: Spanned<u32>,
    pub sampling_percentage: Spanned<f64>,
    /// Diagnostic settings on every service, sending its logs and metrics to the workspace.
    pub diagnostics: Spanned<bool>,
    /// Who is told when a metric alert fires; `None`: no action group and no alert rule.
    pub alerts: Option<Alerts>,
    /// Availability tests on every app that serves HTTP.
    pub availability: Spanned<bool>,
    /// `workspace`: the landing zone's Log Analytics workspace, read by name; without it each
    /// stack creates its own.
    pub workspace: Option<crate::existing::ExistingResource>,
    pub span: Span,
}

/// `monitoring.alerts`: the receivers of the stack's action group and the rules' severity.
#[derive(Debug, Clone)]
pub struct Alerts {
    /// Valid, distinct addresses.
    pub email: Vec<Spanned<String>>,
    /// An HTTPS URL.
    pub webhook: Option<Spanned<String>>,
    /// 0 (critical) to 4 (verbose).
    pub severity: Spanned<u8>,
    pub span: Span,
}

impl Monitoring {
    /// Whether services get diagnostic settings: only with a workspace to send them to.
    pub fn sends_diagnostics(&self) -> bool {
        self.enabled && self.diagnostics.value
    }

    /// The alert settings, when rules are to be created: only with monitoring on.
    pub fn alerting(&self) -> Option<&Alerts> {
        self.alerts.as_ref().filter(|_| self.enabled)
    }

    /// Whether apps that serve HTTP get availability tests (they need Application Insights).
    pub fn tests_availability(&self) -> bool {
        self.enabled && self.availability.value
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Consistency {
    Eventual,
    ConsistentPrefix,
    Session,
    BoundedStaleness,
    Strong,
}

impl Consistency {
    pub const NAMES: &'static [&'static str] = &[
        "Eventual",
        "ConsistentPrefix",
        "Session",
        "BoundedStaleness",
        "Strong",
    ];
    pub const ALL: [Consistency; 5] = [
        Consistency::Eventual,
        Consistency::ConsistentPrefix,
        Consistency::Session,
        Consistency::BoundedStaleness,
        Consistency::Strong,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// Shared Cosmos DB account settings; a CRUD API may override them for its own requirement,
/// and the merge then checks that all requirements of the account agree.
#[derive(Debug, Clone)]
pub struct CosmosSettings {
    pub consistency: Spanned<Consistency>,
    pub serverless: Spanned<bool>,
    pub public_network_access: Spanned<bool>,
    /// `existing` (top-level `cosmos` only): the landing zone's account, read by name, that
    /// baas adds databases, containers and role assignments to; without it baas creates one.
    pub existing: Option<crate::existing::ExistingResource>,
}

#[derive(Debug, Clone)]
pub struct FunctionsSettings {
    /// The default hosting plan (`Y1`, `EP1`, `B1`, ...).
    pub plan: Spanned<FunctionPlan>,
    /// Whether `functions.plan` was written; without it the plan is baas's default (`Y1`).
    pub plan_written: bool,
    /// `functions.plan` was written but names no plan baas knows (reported where it is
    /// written): the apps on it are not checked against the default put in its place.
    pub plan_unknown: bool,
    /// One App Service plan per runtime's app instead of one per SKU (`plan_per_runtime`).
    pub plan_per_runtime: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NetworkMode {
    /// Every service keeps its public endpoint (the default).
    Public,
    /// A virtual network: function apps integrate with it, data services refuse public traffic.
    Isolated,
}

impl NetworkMode {
    pub const NAMES: &'static [&'static str] = &["public", "isolated"];
    pub const ALL: [NetworkMode; 2] = [NetworkMode::Public, NetworkMode::Isolated];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// `networking`. Values are read and checked as networks here; how the address space is
/// carved into subnets is the network provider's business.
#[derive(Debug, Clone)]
pub struct Networking {
    pub mode: Spanned<NetworkMode>,
    pub address_space: Option<Spanned<crate::cidr::Ipv4Cidr>>,
    /// In isolated mode: private endpoints (true, the default) or service endpoints (false).
    pub private_endpoints: Spanned<bool>,
    /// In isolated mode: the landing zone's virtual network and subnets, read instead of
    /// carved from `address_space`.
    pub existing: Option<crate::existing::ExistingNetwork>,
    /// In isolated mode with private endpoints: the landing zone's central private DNS zones,
    /// used instead of zones of the stack's own.
    pub private_dns: Option<crate::existing::ExistingDns>,
    /// The `networking` block, or the document when it is absent.
    pub span: Span,
}

impl Networking {
    pub fn is_isolated(&self) -> bool {
        self.mode.value == NetworkMode::Isolated
    }

    /// Isolated, with private endpoints for the data services.
    pub fn uses_private_endpoints(&self) -> bool {
        self.is_isolated() && self.private_endpoints.value
    }
}

#[derive(Debug, Clone)]
pub struct Component {
    pub key: String,
    pub key_span: Span,
    pub kind: ComponentKind,
    /// `protect: false` on the component: what only it asked for is not protected.
    pub protect: bool,
    /// `renamed_from: <old key>`: the component was called so before; what baas derived from
    /// that key keeps its Azure names, and its Terraform addresses move (see `rename`).
    pub renamed_from: Option<Spanned<String>>,
}

impl Component {
    /// The key its Azure names are rendered from: the old key of a renamed component.
    pub fn name_key(&self) -> &str {
        self.renamed_from.as_ref().map_or(&self.key, |r| &r.value)
    }
}

#[derive(Debug, Clone)]
pub enum ComponentKind {
    CrudApi(CrudApi),
    FunctionApp(FunctionApp),
    ServiceBus(ServiceBus),
    /// Declares requirements for custom providers, and nothing else.
    Custom(Custom),
    StaticSite(StaticSite),
}

impl ComponentKind {
    /// The `type:` the component is written with in backend.yaml.
    pub fn type_name(&self) -> &'static str {
        match self {
            ComponentKind::CrudApi(_) => "crud-api",
            ComponentKind::FunctionApp(_) => "function-app",
            ComponentKind::ServiceBus(_) => "service-bus",
            ComponentKind::StaticSite(_) => "static-site",
            ComponentKind::Custom(_) => "custom",
        }
    }
}

/// A static website as its component declares it: unset values take the defaults below.
/// Values are checked against Azure's rules by the static site provider, which owns them.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticSite {
    pub index_document: Option<Spanned<String>>,
    pub error_document: Option<Spanned<String>>,
    /// Unknown paths serve the index document (client-side routing).
    pub spa: Option<Spanned<bool>>,
    pub custom_domain: Option<Spanned<String>>,
    pub dns_zone: Option<Spanned<String>>,
    /// Where the DNS zone lives; unset, the zone is looked up by name in the subscription.
    pub dns_zone_resource_group: Option<Spanned<String>>,
    pub compression: Option<Spanned<bool>>,
    /// Seconds; read as written so the provider can report any out-of-range value.
    pub cache_max_age: Option<Spanned<i64>>,
    /// Allowed origins (`*` or `https://host[:port]`).
    pub cors: Vec<Spanned<String>>,
    /// `api`: the function apps this site's Front Door serves under `/api/`; `None` without
    /// it (or with `api: false`).
    pub api: Option<SiteApi>,
}

/// A static site's `api`: which components' apps its Front Door routes `/api/` to, and the
/// WAF in front of them. Names and values are checked by the static site provider.
#[derive(Debug, Clone, PartialEq)]
pub struct SiteApi {
    /// The listed component keys; `None` (`api: true`, or the mapping without `components`)
    /// means every function app that serves HTTP.
    pub components: Option<Vec<Spanned<String>>>,
    /// `waf: true`: a Front Door WAF policy with a rate limit on `/api/*`.
    pub waf: Option<Spanned<bool>>,
    /// Requests per minute per client IP before the WAF blocks; read as written.
    pub rate_limit: Option<Spanned<i64>>,
    /// The `api` value.
    pub span: Span,
}

impl SiteApi {
    /// Requests per minute and client IP when `rate_limit` is not written.
    pub const DEFAULT_RATE_LIMIT: i64 = 1000;

    pub fn waf(&self) -> bool {
        self.waf.as_ref().is_some_and(|w| w.value)
    }

    pub fn rate_limit(&self) -> i64 {
        self.rate_limit
            .as_ref()
            .map_or(Self::DEFAULT_RATE_LIMIT, |r| r.value)
    }
}

impl StaticSite {
    pub const DEFAULT_INDEX_DOCUMENT: &'static str = "index.html";
    pub const DEFAULT_ERROR_DOCUMENT: &'static str = "404.html";
    pub const DEFAULT_CACHE_MAX_AGE: i64 = 3600;

    pub fn index_document(&self) -> &str {
        self.index_document
            .as_ref()
            .map_or(Self::DEFAULT_INDEX_DOCUMENT, |d| d.value.as_str())
    }

    pub fn spa(&self) -> bool {
        self.spa.as_ref().is_some_and(|s| s.value)
    }

    /// The document served with a 404: the index for a single-page app.
    /// The storage account's 404 document. A single-page app without an `error_document`
    /// answers missing files with its index document; with one, missing files (paths with an
    /// extension: Front Door rewrites the others to the index document) get it.
    pub fn error_document(&self) -> &str {
        match &self.error_document {
            Some(document) => &document.value,
            None if self.spa() => self.index_document(),
            None => Self::DEFAULT_ERROR_DOCUMENT,
        }
    }

    pub fn cache_max_age(&self) -> i64 {
        self.cache_max_age
            .as_ref()
            .map_or(Self::DEFAULT_CACHE_MAX_AGE, |c| c.value)
    }

    /// Compression is on by default, but only where Front Door caches (it is part of caching).
    pub fn compression(&self) -> bool {
        self.compression
            .as_ref()
            .map_or(self.cache_max_age() > 0, |c| c.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ServiceBusSku {
    Basic,
    Standard,
    Premium,
}

impl ServiceBusSku {
    pub const NAMES: &'static [&'static str] = &["Basic", "Standard", "Premium"];
    pub const ALL: [ServiceBusSku; 3] = [
        ServiceBusSku::Basic,
        ServiceBusSku::Standard,
        ServiceBusSku::Premium,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// A Service Bus namespace's entities, as one component declares them. Unset settings take
/// the provider's defaults, and let another declaration of the same entity decide.
#[derive(Debug, Clone)]
pub struct ServiceBus {
    pub sku: Option<Spanned<ServiceBusSku>>,
    pub queues: Vec<QueueSpec>,
    pub topics: Vec<TopicSpec>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct EntitySettings {
    pub max_size_mb: Option<Spanned<u32>>,
    pub max_delivery_count: Option<Spanned<u32>>,
    /// ISO 8601 duration, e.g. `PT1M`.
    pub lock_duration: Option<Spanned<String>>,
    /// ISO 8601 duration, e.g. `P14D`.
    pub default_message_ttl: Option<Spanned<String>>,
    pub dead_lettering_on_expiration: Option<Spanned<bool>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct QueueSpec {
    pub name: Spanned<String>,
    pub settings: EntitySettings,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TopicSpec {
    pub name: Spanned<String>,
    pub settings: EntitySettings,
    pub subscriptions: Vec<SubscriptionSpec>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SubscriptionSpec {
    pub name: Spanned<String>,
    pub settings: EntitySettings,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Runtime {
    Node,
    Python,
    DotnetIsolated,
    Java,
    Powershell,
}

impl Runtime {
    pub const NAMES: &'static [&'static str] =
        &["node", "python", "dotnet-isolated", "java", "powershell"];
    pub const ALL: [Runtime; 5] = [
        Runtime::Node,
        Runtime::Python,
        Runtime::DotnetIsolated,
        Runtime::Java,
        Runtime::Powershell,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FieldType {
    String,
    Number,
    Boolean,
    Timestamp,
    Array,
    Object,
}

impl FieldType {
    pub const NAMES: &'static [&'static str] = &[
        "string",
        "number",
        "boolean",
        "timestamp",
        "array",
        "object",
    ];
    pub const ALL: [FieldType; 6] = [
        FieldType::String,
        FieldType::Number,
        FieldType::Boolean,
        FieldType::Timestamp,
        FieldType::Array,
        FieldType::Object,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Operation {
    Create,
    Read,
    Update,
    Delete,
    List,
}

impl Operation {
    pub const NAMES: &'static [&'static str] = &["create", "read", "update", "delete", "list"];
    pub const ALL: [Operation; 5] = [
        Operation::Create,
        Operation::Read,
        Operation::Update,
        Operation::Delete,
        Operation::List,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone)]
pub struct CrudApi {
    pub entity: Spanned<String>,
    pub schema: IndexMap<String, Spanned<FieldType>>,
    pub partition_key: Spanned<String>,
    /// The collection name in routes (`/api/users`).
    pub plural: String,
    pub database: Spanned<String>,
    pub container: Spanned<String>,
    pub operations: Vec<Operation>,
    pub runtime: Spanned<Runtime>,
    pub version: Option<Spanned<String>>,
    /// Per-API overrides of the shared Cosmos settings (absent keys take the shared value).
    pub cosmos: CosmosSettings,
    pub cors: Cors,
    /// This API's sign-in settings; unset, the backend's `auth`.
    pub auth: Option<Box<Auth>>,
}

#[derive(Debug, Clone)]
pub struct FunctionApp {
    pub runtime: Spanned<Runtime>,
    pub version: Option<Spanned<String>>,
    pub plan: Option<Spanned<FunctionPlan>>,
    /// Whether `plan` was written, even if it named no plan baas knows (that is reported
    /// where it is written, and the app is not then said to run on the default).
    pub plan_written: bool,
    pub functions: IndexMap<String, Function>,
    pub cors: Cors,
    /// This app's sign-in settings; unset, the backend's `auth`.
    pub auth: Option<Box<Auth>>,
}

#[derive(Debug, Clone)]
pub struct Function {
    pub name: Spanned<String>,
    pub trigger: Trigger,
    /// Service Bus queues and topics the function sends to.
    pub sends_to: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Post,
    Put,
    Patch,
    Delete,
    Head,
    Options,
}

impl HttpMethod {
    pub const NAMES: &'static [&'static str] =
        &["get", "post", "put", "patch", "delete", "head", "options"];
    pub const ALL: [HttpMethod; 7] = [
        HttpMethod::Get,
        HttpMethod::Post,
        HttpMethod::Put,
        HttpMethod::Patch,
        HttpMethod::Delete,
        HttpMethod::Head,
        HttpMethod::Options,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthLevel {
    Anonymous,
    Function,
    Admin,
}

impl AuthLevel {
    pub const NAMES: &'static [&'static str] = &["anonymous", "function", "admin"];
    pub const ALL: [AuthLevel; 3] = [AuthLevel::Anonymous, AuthLevel::Function, AuthLevel::Admin];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// How the Functions router compares routes: case-insensitively, without a trailing `/`, and
/// with every parameter alike (`users/{id}` and `Users/{userId}/` are one route).
pub fn route_key(route: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in route.trim_end_matches('/').chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            c if !in_param => out.push(c.to_ascii_lowercase()),
            _ => {}
        }
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
pub enum Trigger {
    Http {
        route: Spanned<String>,
        methods: Vec<HttpMethod>,
        auth_level: AuthLevel,
    },
    Timer {
        schedule: Spanned<String>,
    },
    /// A Service Bus queue trigger.
    Queue {
        queue: Spanned<String>,
    },
    /// A Service Bus topic subscription trigger.
    Topic {
        topic: Spanned<String>,
        subscription: Spanned<String>,
    },
}

/// `providers.<type>`: a handlebars template that renders the Terraform `resource` object of
/// one merged requirement of that type.
#[derive(Debug, Clone, PartialEq)]
pub struct TemplateProviderSpec {
    pub kind: Spanned<String>,
    /// Relative to backend.yaml.
    pub template: Spanned<String>,
}

#[derive(Debug, Clone)]
pub struct Custom {
    pub requires: Vec<CustomRequirement>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CustomRequirement {
    pub kind: Spanned<String>,
    pub key: Spanned<String>,
    /// The `config` mapping as JSON (YAML core-schema scalars typed), with its span.
    pub config: Spanned<serde_json::Value>,
}

#[derive(Debug, Clone)]
pub struct Deployment {
    pub strategy: Strategy,
    pub span: Span,
    /// The API's own host name in front of Traffic Manager (`custom_domain` with `dns_zone`).
    pub custom_domain: Option<ApiDomain>,
}

/// `deployment.custom_domain`, `dns_zone` and `dns_zone_resource_group`, as written; the
/// providers check them (the same rules as a static site's).
#[derive(Debug, Clone)]
pub struct ApiDomain {
    pub host: Spanned<String>,
    pub zone: Option<Spanned<String>>,
    pub zone_resource_group: Option<Spanned<String>>,
}

#[derive(Debug, Clone)]
pub enum Strategy {
    Single,
    /// The whole regional backend in every region (the primary first), plus a global stack.
    MultiRegion {
        regions: Vec<Spanned<&'static Region>>,
        routing: Spanned<Routing>,
        probe: HealthProbe,
        /// One geo-replicated Cosmos DB account for every region (`global`, the default), or
        /// one per region; the span is the deployment's when `data` is not written.
        data: Spanned<DataPlacement>,
        /// `multi_write: true`: every region of the shared account takes writes.
        multi_write: Option<Spanned<bool>>,
    },
    /// Two identical color stacks and a global weighted Traffic Manager.
    BlueGreen {
        active: Spanned<Color>,
        weights: Option<[Spanned<u32>; 2]>,
        probe: HealthProbe,
    },
    /// One geo-replicated Cosmos account, compute in both regions, priority routing.
    DisasterRecovery {
        secondary: Spanned<&'static Region>,
        rto: Option<Spanned<String>>,
        rpo: Option<Spanned<String>>,
        automatic_failover: bool,
        probe: HealthProbe,
    },
}

/// Where a multi-region deployment keeps its Cosmos DB data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum DataPlacement {
    /// One account, created in the primary region's stack, replicated to every region.
    Global,
    /// An account per region: data is not shared (residency designs).
    Regional,
}

impl DataPlacement {
    pub const NAMES: &'static [&'static str] = &["global", "regional"];
    pub const ALL: [DataPlacement; 2] = [DataPlacement::Global, DataPlacement::Regional];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

impl Deployment {
    /// The regions whose stacks share one geo-replicated Cosmos DB account, the account's own
    /// (the primary `location`) first: `disaster-recovery`, and `multi-region` with
    /// `data: global`. `None` when every stack has its own account.
    pub fn shared_data_regions(&self, primary: &'static Region) -> Option<Vec<&'static Region>> {
        match &self.strategy {
            Strategy::DisasterRecovery { secondary, .. } => Some(vec![primary, secondary.value]),
            Strategy::MultiRegion { regions, data, .. } if data.value == DataPlacement::Global => {
                let mut all = vec![primary];
                all.extend(
                    regions
                        .iter()
                        .map(|r| r.value)
                        .filter(|r| r.name != primary.name),
                );
                Some(all)
            }
            _ => None,
        }
    }

    /// Whether every region of the shared account takes writes (`multi_write: true`).
    pub fn multi_write(&self) -> bool {
        matches!(&self.strategy, Strategy::MultiRegion { data, multi_write: Some(m), .. } if data.value == DataPlacement::Global && m.value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Routing {
    Performance,
    Priority,
    Weighted,
}

impl Routing {
    pub const NAMES: &'static [&'static str] = &["Performance", "Priority", "Weighted"];
    pub const ALL: [Routing; 3] = [Routing::Performance, Routing::Priority, Routing::Weighted];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Color {
    Blue,
    Green,
}

impl Color {
    pub const NAMES: &'static [&'static str] = &["blue", "green"];
    pub const ALL: [Color; 2] = [Color::Blue, Color::Green];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeProtocol {
    Http,
    Https,
}

impl ProbeProtocol {
    pub const NAMES: &'static [&'static str] = &["HTTP", "HTTPS"];
    pub const ALL: [ProbeProtocol; 2] = [ProbeProtocol::Http, ProbeProtocol::Https];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// The path of the health function baas generates on every function app that serves HTTP
/// (`GET api/health`, anonymous), and so the default probe path.
pub const HEALTH_PROBE_PATH: &str = "/api/health";

/// Traffic Manager endpoint monitoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HealthProbe {
    /// The default (`/api/health`) is the health function baas generates on every HTTP app;
    /// its span is the default span unless the path is written.
    pub path: Spanned<String>,
    pub protocol: ProbeProtocol,
    pub port: u32,
    pub interval_seconds: u32,
    pub timeout_seconds: u32,
    pub tolerated_failures: u32,
    /// How long DNS resolvers may cache the profile's answer (the profile's `dns_config.ttl`).
    pub ttl_seconds: u32,
}

impl Default for HealthProbe {
    fn default() -> Self {
        HealthProbe {
            path: Spanned::defaulted(HEALTH_PROBE_PATH.to_owned(), Span::default()),
            protocol: ProbeProtocol::Https,
            port: 443,
            interval_seconds: 30,
            timeout_seconds: 10,
            tolerated_failures: 3,
            ttl_seconds: 60,
        }
    }
}

/// `terraform.backend.azurerm` settings; `key` is a template with `{{name}}`, `{{env}}`, `{{stack}}`.
#[derive(Debug, Clone)]
pub struct State {
    pub resource_group: Spanned<String>,
    pub storage_account: Spanned<String>,
    pub container: Spanned<String>,
    pub key: Spanned<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Isolation {
    /// One container per entity partitioned by `/tenantId`.
    Partition,
    /// One Cosmos database per tenant.
    Database,
    /// A full backend per tenant, as its own stack.
    Account,
}

impl Isolation {
    pub const NAMES: &'static [&'static str] = &["partition", "database", "account"];
    pub const ALL: [Isolation; 3] = [
        Isolation::Partition,
        Isolation::Database,
        Isolation::Account,
    ];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

#[derive(Debug, Clone)]
pub struct Tenancy {
    pub isolation: Spanned<Isolation>,
    pub tenants: Vec<Tenant>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    /// Goes into names, addresses and tags: `[a-z][a-z0-9]{0,9}`.
    pub id: Spanned<String>,
    pub name: String,
    pub tier: Option<String>,
}

/// A GUID as Microsoft Entra ID writes it (`8-4-4-4-12` hexadecimal digits), kept lowercase so
/// that two spellings of one id compare equal.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Guid(String);

impl Guid {
    /// `None` unless `text` is five groups of 8, 4, 4, 4 and 12 hexadecimal digits.
    pub fn parse(text: &str) -> Option<Guid> {
        let groups: Vec<&str> = text.split('-').collect();
        let ok = groups.len() == 5
            && groups
                .iter()
                .zip([8, 4, 4, 4, 12])
                .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()));
        ok.then(|| Guid(text.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who signs callers in. Only Microsoft Entra ID for now; the enum leaves room for others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum AuthProvider {
    Entra,
}

impl AuthProvider {
    pub const NAMES: &'static [&'static str] = &["entra"];
    pub const ALL: [AuthProvider; 1] = [AuthProvider::Entra];

    pub fn as_str(self) -> &'static str {
        Self::NAMES[self as usize]
    }
}

/// `auth`: App Service Authentication in front of a function app. Callers present an access
/// token issued by `tenant_id` for the app registration `client_id`; the platform validates
/// it before any function runs. No client secret: baas supports token validation only.
#[derive(Debug, Clone, PartialEq)]
pub struct Auth {
    pub provider: Spanned<AuthProvider>,
    pub tenant_id: Spanned<Guid>,
    pub client_id: Spanned<Guid>,
    /// Audiences accepted besides the client id (which App Service always accepts).
    pub allowed_audiences: Vec<Spanned<String>>,
    /// The `auth` mapping, where a conflict is reported.
    pub span: Span,
}

impl Auth {
    /// The same settings, wherever they are written.
    pub fn same_settings(&self, other: &Auth) -> bool {
        self.provider.value == other.provider.value
            && self.tenant_id.value == other.tenant_id.value
            && self.client_id.value == other.client_id.value
            && self
                .allowed_audiences
                .iter()
                .map(|a| &a.value)
                .eq(other.allowed_audiences.iter().map(|a| &a.value))
    }
}

/// `cors` on a `function-app` or `crud-api`: origins whose pages may call the app, beyond the
/// static sites of the backend (which are added automatically). Origins are checked by the
/// reader; `*` with credentials is checked per app, after merging.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cors {
    pub origins: Vec<Spanned<String>>,
    /// `credentials: true`: browsers may send cookies with the call. A bearer token in the
    /// `Authorization` header needs no credentials mode.
    pub credentials: Option<Spanned<bool>>,
}
