//! The JSON Schema of backend.yaml, for editors (yaml-language-server completion and hover)
//! and for `baas schema`.
//!
//! baas reads backend.yaml by hand rather than through serde (it must report every problem,
//! each at its own line and column), so the schema cannot be derived from serde types with
//! schemars. It is written here next to the reader instead, and the tests below hold the two
//! together: every mapping's properties must be exactly the keys the reader accepts.

use crate::backend::*;
use crate::read::{self, keys};
use crate::read_custom;
use crate::read_deployment;
use crate::read_monitoring;
use crate::read_servicebus;
use crate::read_staticsite;
use serde_json::{json, Map, Value};

/// A GUID in any case, as `Guid::parse` accepts it.
const GUID_PATTERN: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

pub const SCHEMA_ID: &str = "https://baas.dev/schemas/backend.schema.json";

/// The schema as a JSON value.
pub fn backend_schema() -> Value {
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "baas backend.yaml",
        "description": "A declarative backend that baas turns into Terraform JSON for Azure (azurerm).",
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "environment", "location", "components"],
        "properties": top_level_properties(),
        "definitions": definitions(),
    })
}

fn top_level_properties() -> Value {
    json!({
        "name": {
            "description": "Application name: 2-12 lowercase letters and digits, starting with a letter. Part of every resource name.",
            "type": "string", "pattern": "^[a-z][a-z0-9]{1,11}$", "examples": ["shop"],
        },
        "environment": {
            "description": "Environment: 1-8 lowercase letters and digits. Part of every resource name and the `environment` tag.",
            "type": "string", "pattern": "^[a-z0-9]{1,8}$", "examples": ["dev", "prod"],
        },
        "location": {
            "description": "Primary Azure region, as its programmatic name.",
            "type": "string",
            "enum": crate::regions::all().iter().map(|r| r.name).collect::<Vec<_>>(),
            "examples": ["eastus", "westeurope"],
        },
        "tags": {
            "description": "Tags on every taggable resource, next to baas's own.",
            "type": "object", "additionalProperties": { "type": "string", "maxLength": 256 },
            "examples": [{ "project": "shop" }],
        },
        "naming": object("Resource naming.", &[
            ("template", json!({ "type": "string", "description": "Handlebars template; variables: abbr, name, env, region (short code), location, instance.", "examples": ["{{abbr}}-{{name}}-{{instance}}-{{env}}-{{region}}"] })),
            ("abbreviations", json!({ "type": "object", "description": "Overrides of the CAF abbreviations, by resource kind (e.g. function_app, storage_account).", "additionalProperties": { "type": "string" } })),
            ("unique_suffix", json!({ "type": "boolean", "default": true, "description": "Append a deterministic 6-hex hash to globally unique names." })),
            ("salt", json!({ "type": "string", "default": "", "description": "Extra input to the unique-suffix hash, e.g. an organisation id." })),
        ], keys::NAMING),
        "limits": object("Caps counted after merging; exceeding one is an error.", &Limits::KEYS.iter().map(|k| (*k, json!({ "type": "integer", "minimum": 0, "maximum": 10000 }))).collect::<Vec<_>>(), Limits::KEYS),
        "monitoring": object("Log Analytics and workspace-based Application Insights.", &[
            ("enabled", json!({ "type": "boolean", "default": true })),
            ("retention_days", json!({ "type": "integer", "minimum": 30, "maximum": 730, "default": 90 })),
            ("sampling_percentage", json!({ "type": "number", "minimum": 0, "maximum": 100, "default": 100 })),
            ("diagnostics", json!({ "type": "boolean", "default": true, "description": "Diagnostic settings on every Cosmos DB account, Service Bus namespace, function app, storage account's blob service, Front Door profile and Traffic Manager profile: their logs (category group `allLogs`) and metrics to the Log Analytics workspace." })),
            ("alerts", json!({
                "description": "An action group per stack and metric alert rules (function app HTTP 5xx and failed executions, Service Bus dead-lettered and active messages, Cosmos DB throttling and normalized RU consumption, availability). `false`: none (e.g. in a dev overlay).",
                "oneOf": [
                    object("Who is notified, and how severe the rules are.", &[
                        ("email", json!({ "type": "array", "items": { "type": "string", "format": "email" }, "uniqueItems": true, "examples": [["oncall@example.com"]] })),
                        ("webhook", json!({ "type": "string", "pattern": "^https://", "description": "An HTTPS hook (chat, paging), sent Azure's common alert schema." })),
                        ("severity", json!({ "type": "integer", "minimum": 0, "maximum": 4, "default": 2, "description": "Azure's 0 (critical) to 4 (verbose)." })),
                    ], read_monitoring::ALERT_KEYS),
                    { "const": false },
                ],
            })),
            ("availability", json!({ "type": "boolean", "default": true, "description": "An Application Insights standard web test on every app that serves HTTP, calling its health endpoint from five locations (with an alert on failed locations when `alerts` is given)." })),
            ("workspace", existing("An existing Log Analytics workspace (a landing zone's) that every stack's diagnostic settings and Application Insights send to, read with a data source by name, never created or destroyed; `retention_days` is then not applied. One workspace may serve every stack.", "log-platform-{{env}}", "rg-monitoring")),
        ], keys::MONITORING),
        "cosmos": object("Cosmos DB account settings (shared account; a CRUD API may override them, and all must agree), or the landing zone's account (`existing`).", &[
            ("consistency", json!({ "enum": strings(Consistency::NAMES), "default": "Session" })),
            ("serverless", json!({ "type": "boolean", "default": true })),
            ("public_network_access", json!({ "type": "boolean", "default": true })),
            ("existing", existing("An existing Cosmos DB account (a landing zone's), read with a data source by name: baas adds its databases, containers, data-plane role assignments and (isolated) private endpoints, never the account, its settings, diagnostics or alerts; `consistency`, `serverless`, `public_network_access` and `multi_write` are then not applied. Under `data: global` and `disaster-recovery` every stack uses the one account, named with the first stack's values; stacks with data of their own (`data: regional`, blue-green colors, tenants) must render different accounts.", "cosmos-shop-{{env}}", "rg-data")),
        ], keys::TOP_COSMOS),
        "functions": object("Function app defaults.", &[
            ("plan", json!({ "type": "string", "default": "Y1", "description": "Linux hosting plan: Y1 (the default; retires 2028-09-30), EP1-EP3, B1-B3, S1-S3, P0v3-P3v3. FC1 is refused until the azurerm provider can deploy it.", "examples": ["Y1", "EP1", "B1"] })),
            ("plan_per_runtime", json!({ "type": "boolean", "default": false, "description": "Elastic Premium and Dedicated apps of one SKU share one App Service plan in each stack (one bill); true gives each runtime's app a plan of its own." })),
        ], keys::FUNCTIONS),
        "networking": object("Network isolation. `public` (default): every service keeps its public endpoint. `isolated`: a virtual network carved into /26 subnets, VNet-integrated function apps, and data services (Cosmos DB, host storage, Service Bus) closed to public traffic.", &[
            ("mode", json!({ "enum": strings(NetworkMode::NAMES), "default": "public" })),
            ("address_space", json!({ "type": "string", "pattern": "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$", "description": "isolated: the virtual network's private IPv4 range (RFC 1918 or 100.64.0.0/10), at least a /24; a /23 when java or powershell apps are present.", "examples": ["10.0.0.0/16"] })),
            ("private_endpoints", json!({ "type": "boolean", "default": true, "description": "isolated: reach data services through private endpoints and private DNS (true), or through service endpoints and VNet firewall rules (false). Service Bus needs Premium either way." })),
            ("existing", json!({ "description": "isolated: the landing zone's virtual network and subnets, read with data sources instead of created (no `address_space`, no NSGs, no tags on them). `false` (in an environment overlay): create the network.", "oneOf": [
                object("The existing network; names are templates with `{{stack}}`, `{{region}}`, `{{location}}`, `{{env}}`, `{{name}}` and `{{tenant}}`, rendered per stack.", &[
                    ("virtual_network", object("The virtual network, in the stack's region.", &[
                        ("name", json!({ "type": "string", "examples": ["vnet-spoke-shop-{{region}}"] })),
                        ("resource_group", json!({ "type": "string", "examples": ["rg-network-{{region}}"] })),
                    ], crate::existing::VIRTUAL_NETWORK_KEYS)),
                    ("subnets", json!({
                        "description": "The subnet of each role the backend needs: `private-endpoints` (with private endpoints), and `functions-<runtime>` for each App Service plan (named by the runtime of its first app); integration subnets must be delegated to `Microsoft.Web/serverFarms`, one plan each.",
                        "type": "object", "additionalProperties": false,
                        "properties": crate::existing::SubnetRole::all().map(|r| (r.key(), json!({ "type": "string" }))).collect::<Map<String, Value>>(),
                    })),
                ], crate::existing::NETWORK_KEYS),
                { "const": false },
            ] })),
            ("private_dns", json!({ "description": "isolated with private endpoints: the landing zone's central private DNS zones (`privatelink.*`, usually in a hub); the private endpoints' zone groups register there, and baas creates no zone and no virtual network link. `false` (in an environment overlay): zones of the stack's own.", "oneOf": [
                object("Where the zones are.", &[
                    ("resource_group", json!({ "type": "string", "description": "The zones' resource group (a template, like the network's names).", "examples": ["rg-hub-dns"] })),
                    ("subscription_id", json!({ "type": "string", "description": "The zones' subscription when it is not the deployment's: the zones are then named by id, not read.", "pattern": "^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$" })),
                ], crate::existing::PRIVATE_DNS_KEYS),
                { "const": false },
            ] })),
        ], keys::NETWORKING),
        "deployment": {
            "description": "The topology. `single` (default): one stack `main`; `multi-region`: a stack per region plus `global` (Traffic Manager); `blue-green`: `blue`, `green` and `global` (weighted Traffic Manager); `disaster-recovery`: `primary`, `secondary` (one geo-replicated Cosmos account) and `global` (priority routing).",
            "type": "object",
            "required": ["strategy"],
            "properties": {
                "strategy": { "enum": strings(read_deployment::STRATEGIES), "default": "single" },
                "regions": { "type": "array", "items": { "type": "string" }, "minItems": 2, "uniqueItems": true, "description": "multi-region: the regions; the primary `location` takes part." },
                "routing": { "enum": strings(Routing::NAMES), "default": "Performance", "description": "multi-region: Traffic Manager routing." },
                "data": { "enum": strings(DataPlacement::NAMES), "default": "global", "description": "multi-region: `global` shares one Cosmos DB account, created in the primary region's stack and geo-replicated to every region (provisioned autoscale throughput; each app prefers its own region's replica); `regional` gives every region its own account (data kept per region)." },
                "multi_write": { "type": "boolean", "default": false, "description": "multi-region with `data: global`: every region takes writes (multi-region writes), not only the primary." },
                "custom_domain": { "type": "string", "description": "multi-region, blue-green, disaster-recovery: the API's host name (a subdomain, at most 64 characters), with `dns_zone`: a CNAME to the Traffic Manager profile, and on every regional or color app a host name binding (with its `asuid` TXT verification record) and an App Service managed certificate.", "examples": ["api.example.com"] },
                "dns_zone": { "type": "string", "description": "The existing Azure DNS zone that holds `custom_domain`.", "examples": ["example.com"] },
                "dns_zone_resource_group": { "type": "string", "description": "The zone's resource group; default: the zone is looked up by name in the subscription." },
                "active": { "enum": strings(Color::NAMES), "description": "blue-green: the color that takes the traffic." },
                "weights": { "type": "object", "additionalProperties": false, "properties": { "blue": { "type": "integer", "minimum": 0, "maximum": 1000 }, "green": { "type": "integer", "minimum": 0, "maximum": 1000 } }, "description": "blue-green: a gradual shift; 0 disables a color." },
                "secondary": { "type": "string", "description": "disaster-recovery: the secondary region." },
                "rto": { "type": "string", "description": "disaster-recovery: recovery time objective, written into tags.", "examples": ["1h"] },
                "rpo": { "type": "string", "description": "disaster-recovery: recovery point objective, written into tags.", "examples": ["15m"] },
                "automatic_failover": { "type": "boolean", "default": true },
                "health_probe": object("Traffic Manager endpoint monitoring, and the DNS TTL of its answers.", &[
                    ("path", json!({ "type": "string", "default": "/api/health", "description": "An anonymous GET function's path; the default is the health function baas generates on every app that serves HTTP." })),
                    ("protocol", json!({ "enum": strings(ProbeProtocol::NAMES), "default": "HTTPS" })),
                    ("port", json!({ "type": "integer", "default": 443 })),
                    ("interval_seconds", json!({ "enum": [10, 30], "default": 30 })),
                    ("timeout_seconds", json!({ "type": "integer", "minimum": 5, "maximum": 10, "default": 10 })),
                    ("tolerated_failures", json!({ "type": "integer", "minimum": 0, "maximum": 9, "default": 3 })),
                    ("ttl_seconds", json!({ "type": "integer", "minimum": 0, "maximum": 2_147_483_647, "default": 60, "description": "How long DNS resolvers cache the Traffic Manager answer (the profile's DNS TTL): a client reaches another endpoint after a failover or a weight change only once its cached answer expires." })),
                ], read_deployment::PROBE_KEYS),
            },
            "additionalProperties": false,
        },
        "state": object("Remote state: `terraform.backend.azurerm` in every stack, with Entra ID auth.", &[
            ("resource_group", json!({ "type": "string" })),
            ("storage_account", json!({ "type": "string", "pattern": "^[a-z0-9]{3,24}$" })),
            ("container", json!({ "type": "string" })),
            ("key", json!({ "type": "string", "default": read_deployment::DEFAULT_STATE_KEY, "description": "Template with {{name}}, {{env}} and {{stack}} (required)." })),
        ], read_deployment::STATE_KEYS),
        "tenancy": {
            "description": "Multi-tenant isolation; composes with every deployment strategy.",
            "type": "object", "additionalProperties": false, "required": ["isolation", "tenants"],
            "properties": {
                "isolation": { "enum": strings(Isolation::NAMES), "description": "partition: containers partitioned by /tenantId; database: a Cosmos database per tenant; account: a full backend per tenant (stacks tenant-<id>)." },
                "tenants": { "type": "array", "minItems": 1, "items": {
                    "type": "object", "additionalProperties": false, "required": ["id"],
                    "properties": {
                        "id": { "type": "string", "pattern": "^[a-z][a-z0-9]{0,9}$" },
                        "name": { "type": "string" },
                        "tier": { "type": "string", "examples": ["standard", "enterprise"] },
                    },
                } },
            },
        },
        "resource_group": { "oneOf": [object("An existing resource group (a landing zone's) that every stack deploys into, read with a data source by name, never created or destroyed. Without it each stack creates its own.", &[
            ("name", json!({ "type": "string", "description": "The group's name; `{{stack}}`, `{{region}}`, `{{location}}`, `{{env}}`, `{{name}}` and `{{tenant}}` are each stack's values. With several stacks the names must differ (use `{{stack}}`).", "examples": ["rg-shop-{{stack}}-{{env}}"] })),
        ], crate::existing::RESOURCE_GROUP_KEYS), { "const": false, "description": "Create a group per stack (in an environment overlay, over a base document that names the landing zone's)." }] },
        "protect": {
            "description": "`lifecycle.prevent_destroy = true` on every data-holding resource (Cosmos DB accounts, databases and containers, Service Bus namespaces and entities), so Terraform refuses to destroy or replace them. `false` turns it off, e.g. in a `dev` environment overlay.",
            "type": "boolean", "default": true,
        },
        "environments": {
            "description": "Overlays chosen with `--env NAME`, deep-merged over the document.",
            "type": "object",
            "additionalProperties": { "type": "object" },
            "examples": [{ "dev": { "monitoring": { "sampling_percentage": 10 } } }],
        },
        "providers": {
            "description": "Template providers for custom requirement types.",
            "type": "object",
            "propertyNames": { "pattern": "^[a-z][a-z0-9-]{0,39}$" },
            "additionalProperties": {
                "type": "object", "additionalProperties": false, "required": ["template"],
                "properties": { "template": { "type": "string", "description": "A handlebars file relative to backend.yaml that renders `{\"<resource type>\": {\"<name>\": {...}}}`.", "examples": ["providers/redis.tf.json.hbs"] } },
            },
        },
        "auth": { "$ref": "#/definitions/auth" },
        "components": {
            "description": "The components of the backend; keys are lowercase letters, digits and hyphens.",
            "type": "object", "minProperties": 1,
            "propertyNames": { "pattern": "^[a-z][a-z0-9-]{0,39}$" },
            "additionalProperties": { "$ref": "#/definitions/component" },
        },
    })
}

/// `{name, resource_group}` of an existing resource, both per-stack templates.
fn existing(description: &str, name: &str, group: &str) -> Value {
    let template = "`{{stack}}`, `{{region}}`, `{{location}}`, `{{env}}`, `{{name}}` and `{{tenant}}` are each stack's values.";
    let mut value = object(
        description,
        &[
            (
                "name",
                json!({ "type": "string", "description": format!("Its name; {template}"), "examples": [name] }),
            ),
            (
                "resource_group",
                json!({ "type": "string", "description": format!("Its resource group; {template}"), "examples": [group] }),
            ),
        ],
        crate::existing::EXISTING_KEYS,
    );
    value["required"] = json!(["name", "resource_group"]);
    // `false`: what an environment overlay writes to create it after all.
    json!({ "oneOf": [value, { "const": false, "description": "Create it instead (in an environment overlay, over a base document that names the landing zone's)." }] })
}

/// An object schema with exactly `properties`, which must be the reader's `keys`.
fn object(description: &str, properties: &[(&str, Value)], keys: &[&str]) -> Value {
    debug_assert_eq!(properties.len(), keys.len(), "{description}");
    let properties: Map<String, Value> = properties
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    json!({ "description": description, "type": "object", "additionalProperties": false, "properties": properties })
}

fn strings(values: &[&str]) -> Value {
    json!(values)
}

fn definitions() -> Value {
    let entity_settings = |extra: &[(&str, Value)]| {
        let mut properties = Map::new();
        properties.insert("name".into(), json!({ "type": "string" }));
        properties.insert("max_size_mb".into(), json!({ "type": "integer", "description": "1024-5120 (Basic, Standard) or multiples of 1024 up to 81920 (Premium)." }));
        properties.insert(
            "max_delivery_count".into(),
            json!({ "type": "integer", "minimum": 1, "maximum": 2000, "default": 10 }),
        );
        properties.insert(
            "lock_duration".into(),
            json!({ "type": "string", "description": "ISO 8601, PT5S-PT5M.", "default": "PT1M" }),
        );
        properties.insert(
            "default_message_ttl".into(),
            json!({ "type": "string", "description": "ISO 8601 duration.", "examples": ["P14D"] }),
        );
        properties.insert(
            "dead_lettering_on_expiration".into(),
            json!({ "type": "boolean", "default": true }),
        );
        for (k, v) in extra {
            properties.insert((*k).to_owned(), v.clone());
        }
        json!({ "oneOf": [
            { "type": "string", "description": "Just the name, with default settings." },
            { "type": "object", "additionalProperties": false, "required": ["name"], "properties": properties },
        ] })
    };
    json!({
        "cosmos": object("Cosmos DB account settings (shared account; a CRUD API may override them, and all must agree).", &[
            ("consistency", json!({ "enum": strings(Consistency::NAMES), "default": "Session" })),
            ("serverless", json!({ "type": "boolean", "default": true })),
            ("public_network_access", json!({ "type": "boolean", "default": true })),
        ], keys::COSMOS),
        "auth": {
            "description": "Sign-in with Microsoft Entra ID (App Service Authentication) on every function app that serves HTTP: callers present an access token for the app registration `client_id`; requests without a valid one get 401, except `/api/health`. No client secret is written: tokens are validated, never obtained, by the app. On a `function-app` or `crud-api` it replaces the top-level `auth` for that component; components that share an app must agree.",
            "type": "object", "additionalProperties": false,
            "required": ["provider", "tenant_id", "client_id"],
            "properties": {
                "provider": { "enum": strings(AuthProvider::NAMES), "description": "Microsoft Entra ID." },
                "tenant_id": { "type": "string", "pattern": GUID_PATTERN, "description": "Directory (tenant) ID that issues the tokens." },
                "client_id": { "type": "string", "pattern": GUID_PATTERN, "description": "Application (client) ID of the app registration callers get tokens for (always an allowed audience)." },
                "allowed_audiences": { "type": "array", "items": { "type": "string", "minLength": 1 }, "uniqueItems": true, "description": "Further `aud` values to accept, e.g. the Application ID URI.", "examples": [["api://shop-api"]] },
            },
        },
        "app-cors": {
            "description": "Origins whose pages may call this function app from a browser, besides the backend's static sites (added automatically): `*` alone, `https://host[:port]`, or `http://localhost[:port]`. The mapping form adds `credentials` (cookies; not with `*`).",
            "oneOf": [
                { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "examples": [["https://admin.example.com", "http://localhost:3000"]] },
                { "type": "object", "additionalProperties": false, "required": ["origins"], "properties": {
                    "origins": { "type": "array", "items": { "type": "string" }, "uniqueItems": true },
                    "credentials": { "type": "boolean", "default": false, "description": "`Access-Control-Allow-Credentials: true`: pages may send cookies. Not needed for a bearer token." },
                } },
            ],
        },
        "component": {
            "type": "object",
            "required": ["type"],
            "properties": { "type": { "enum": strings(read::COMPONENT_TYPES) } },
            "oneOf": [
                { "$ref": "#/definitions/crud-api" },
                { "$ref": "#/definitions/function-app" },
                { "$ref": "#/definitions/service-bus" },
                { "$ref": "#/definitions/static-site" },
                { "$ref": "#/definitions/custom" },
            ],
        },
        "custom": component("custom", "Declares requirements for custom providers (a template under `providers`, or a provider registered in Rust), and nothing else.", &[
            ("requires", json!({ "type": "array", "minItems": 1, "items": {
                "type": "object", "additionalProperties": false, "required": ["type", "key"],
                "properties": {
                    "type": { "type": "string", "pattern": "^[a-z][a-z0-9-]{0,39}$", "description": "The requirement type a provider serves.", "examples": ["redis"] },
                    "key": { "type": "string", "pattern": "^[a-z][a-z0-9-]{0,39}$", "description": "Requirements with the same type and key merge into one resource." },
                    "config": { "type": "object", "description": "Deep-merged across requirements with the same type and key; the template sees it as `config`." },
                },
            } })),
        ], read_custom::KEYS, &["requires"]),
        "crud-api": component("crud-api", "A CRUD API: a Cosmos DB container and one HTTP function per operation.", &[
            ("entity", json!({ "type": "string", "pattern": "^[A-Z][A-Za-z0-9]{0,63}$", "examples": ["User"] })),
            ("schema", json!({ "type": "object", "additionalProperties": { "enum": strings(FieldType::NAMES) }, "examples": [{ "id": "string", "email": "string" }] })),
            ("partition_key", json!({ "type": "string", "pattern": "^(/[A-Za-z0-9_]+)+$", "default": "/id" })),
            ("plural", json!({ "type": "string", "description": "Route name; default: the entity pluralised." })),
            ("database", json!({ "type": "string", "description": "Default: the application name." })),
            ("container", json!({ "type": "string", "description": "Default: the component key." })),
            ("operations", json!({ "type": "array", "items": { "enum": strings(Operation::NAMES) }, "uniqueItems": true, "minItems": 1 })),
            ("runtime", json!({ "enum": strings(Runtime::NAMES), "default": "node" })),
            ("version", json!({ "type": ["string", "number"] })),
            ("cosmos", json!({ "$ref": "#/definitions/cosmos" })),
            ("cors", json!({ "$ref": "#/definitions/app-cors" })),
            ("auth", json!({ "$ref": "#/definitions/auth" })),
        ], read::CRUD_API_KEYS, &["entity"]),
        "function-app": component("function-app", "A function app with its own functions; one app per runtime is shared.", &[
            ("runtime", json!({ "enum": strings(Runtime::NAMES) })),
            ("version", json!({ "type": ["string", "number"] })),
            ("plan", json!({ "type": "string", "examples": ["Y1", "EP1", "B1"] })),
            ("functions", json!({ "type": "object", "minProperties": 1, "additionalProperties": { "$ref": "#/definitions/function" } })),
            ("cors", json!({ "$ref": "#/definitions/app-cors" })),
            ("auth", json!({ "$ref": "#/definitions/auth" })),
        ], read::FUNCTION_APP_KEYS, &["runtime", "functions"]),
        "service-bus": component("service-bus", "Service Bus queues and topics in the shared namespace.", &[
            ("sku", json!({ "enum": strings(ServiceBusSku::NAMES), "default": "Standard" })),
            ("queues", json!({ "type": "array", "items": entity_settings(&[]) })),
            ("topics", json!({ "type": "array", "items": entity_settings(&[("subscriptions", json!({ "type": "array", "items": entity_settings(&[]) }))]) })),
        ], read_servicebus::KEYS, &[]),
        "static-site": component("static-site", "A static website: its own storage account behind Azure Front Door Standard, with an optional custom domain in an Azure DNS zone.", &[
            ("index_document", json!({ "type": "string", "default": StaticSite::DEFAULT_INDEX_DOCUMENT, "description": "File served for a folder, in every folder (a file name, no `/`)." })),
            ("error_document", json!({ "type": "string", "default": StaticSite::DEFAULT_ERROR_DOCUMENT, "description": "Blob served with status 404 for missing files, relative to `$web`. With `spa: true` it defaults to the index document and serves paths with a file extension." })),
            ("spa", json!({ "type": "boolean", "default": false, "description": "Single-page app: unknown paths serve the index document." })),
            ("custom_domain", json!({ "type": "string", "description": "Host name inside `dns_zone` (the apex works too).", "examples": ["www.example.com"] })),
            ("dns_zone", json!({ "type": "string", "description": "Existing Azure DNS zone that holds `custom_domain`.", "examples": ["example.com"] })),
            ("dns_zone_resource_group", json!({ "type": "string", "description": "Resource group of the DNS zone; default: the zone is looked up by name." })),
            ("compression", json!({ "type": "boolean", "default": true, "description": "Front Door compresses text files (needs caching)." })),
            ("cache_max_age", json!({ "type": "integer", "minimum": 0, "maximum": 31_536_000, "default": StaticSite::DEFAULT_CACHE_MAX_AGE, "description": "Seconds Front Door caches files without their own Cache-Control; 0 turns caching off." })),
            ("cors", json!({ "type": "array", "items": { "type": "string" }, "uniqueItems": true, "description": "Origins allowed to read the files: `*`, or `https://host[:port]`.", "examples": [["https://app.example.com"]] })),
            ("api", json!({
                "description": "Serve the API through the site's Front Door under `/api/*` (one host name for page and API, no CORS needed): `true` for every function app that serves HTTP, a list of `crud-api` or `function-app` component keys, or a mapping that adds a WAF with a rate limit (Front Door Premium).",
                "oneOf": [
                    { "type": "boolean" },
                    { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "minItems": 1, "examples": [["users", "orders"]] },
                    { "type": "object", "additionalProperties": false, "properties": {
                        "components": { "type": "array", "items": { "type": "string" }, "uniqueItems": true, "minItems": 1, "description": "Default: every function app that serves HTTP." },
                        "waf": { "type": "boolean", "default": false, "description": "A Front Door WAF policy in Prevention mode (Microsoft's default rule set and bot manager rules, and a rate limit on `/api/*`); switches the profile to Premium_AzureFrontDoor." },
                        "rate_limit": { "type": "integer", "minimum": 1, "maximum": 2_147_483_647, "default": SiteApi::DEFAULT_RATE_LIMIT, "description": "With `waf`: requests per minute from one client IP to `/api/*` before the WAF blocks it." },
                    } },
                ],
            })),
        ], read_staticsite::KEYS, &[]),
        "function": {
            "type": "object",
            "required": ["trigger"],
            "oneOf": [
                trigger("http", &[
                    ("route", json!({ "type": "string", "description": "Relative route without `api/`, e.g. `orders/{id}`." })),
                    ("methods", json!({ "type": "array", "items": { "enum": strings(HttpMethod::NAMES) } })),
                    ("auth_level", json!({ "enum": strings(AuthLevel::NAMES), "default": "function" })),
                ], keys::HTTP_TRIGGER, &[]),
                trigger("timer", &[("schedule", json!({ "type": "string", "description": "Six-field NCRONTAB: second minute hour day month day-of-week.", "examples": ["0 */5 * * * *"] }))], keys::TIMER_TRIGGER, &["schedule"]),
                trigger("queue", &[("queue", json!({ "type": "string" }))], keys::QUEUE_TRIGGER, &["queue"]),
                trigger("topic", &[("topic", json!({ "type": "string" })), ("subscription", json!({ "type": "string" }))], keys::TOPIC_TRIGGER, &["topic", "subscription"]),
            ],
        },
    })
}

fn component(
    kind: &str,
    description: &str,
    own: &[(&str, Value)],
    keys: &[&str],
    required: &[&str],
) -> Value {
    let mut properties: Vec<(&str, Value)> = vec![
        ("type", json!({ "const": kind })),
        (
            "enabled",
            json!({ "type": "boolean", "default": true, "description": "`false` leaves the component out." }),
        ),
        (
            "protect",
            json!({ "type": "boolean", "default": true, "description": "`false`: the data-holding resources only this component asks for (Cosmos DB containers, Service Bus entities) get no `lifecycle.prevent_destroy`." }),
        ),
        (
            "renamed_from",
            json!({ "type": "string", "pattern": "^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$", "description": "The component's key before a rename: Azure names derived from it are kept and Terraform `moved` blocks move the old addresses (static sites; a CRUD API keeps it as its default container). Remove it once every environment has applied the move.", "examples": ["web"] }),
        ),
    ];
    properties.extend(own.iter().cloned());
    let mut schema = object(description, &properties, keys);
    let mut required: Vec<&str> = required.to_vec();
    required.insert(0, "type");
    schema["required"] = json!(required);
    schema
}

fn trigger(kind: &str, own: &[(&str, Value)], keys: &[&str], required: &[&str]) -> Value {
    let mut properties: Vec<(&str, Value)> = vec![
        ("trigger", json!({ "const": kind })),
        (
            "sends_to",
            json!({ "type": "array", "items": { "type": "string" }, "description": "Service Bus queues and topics this function sends to." }),
        ),
    ];
    properties.extend(own.iter().cloned());
    let mut schema = object(
        &format!("A function with a {kind} trigger."),
        &properties,
        keys,
    );
    let mut required: Vec<&str> = required.to_vec();
    required.insert(0, "trigger");
    schema["required"] = json!(required);
    schema
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn property_names(schema: &Value) -> BTreeSet<String> {
        schema["properties"]
            .as_object()
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn set(keys: &[&str]) -> BTreeSet<String> {
        keys.iter().map(|k| (*k).to_owned()).collect()
    }

    /// The schema and the reader accept exactly the same keys, mapping by mapping.
    #[test]
    fn schema_properties_are_the_readers_keys() {
        let schema = backend_schema();
        let top = &schema["properties"];
        let definitions = &schema["definitions"];
        // `environments` is applied and removed before the reader runs.
        let top_level_with_overlays: Vec<&str> = read::TOP_LEVEL
            .iter()
            .copied()
            .chain([crate::overlay::KEY])
            .collect();
        let subnet_roles: Vec<String> = crate::existing::SubnetRole::all()
            .map(crate::existing::SubnetRole::key)
            .collect();
        let subnet_roles: Vec<&str> = subnet_roles.iter().map(String::as_str).collect();
        let cases: Vec<(&str, &Value, &[&str])> = vec![
            ("top level", &schema, &top_level_with_overlays),
            ("naming", &top["naming"], keys::NAMING),
            ("limits", &top["limits"], Limits::KEYS),
            ("monitoring", &top["monitoring"], keys::MONITORING),
            (
                "monitoring.workspace",
                &top["monitoring"]["properties"]["workspace"]["oneOf"][0],
                crate::existing::EXISTING_KEYS,
            ),
            ("top-level cosmos", &top["cosmos"], keys::TOP_COSMOS),
            (
                "resource_group",
                &top["resource_group"]["oneOf"][0],
                crate::existing::RESOURCE_GROUP_KEYS,
            ),
            (
                "cosmos.existing",
                &top["cosmos"]["properties"]["existing"]["oneOf"][0],
                crate::existing::EXISTING_KEYS,
            ),
            (
                "alerts",
                &top["monitoring"]["properties"]["alerts"]["oneOf"][0],
                read_monitoring::ALERT_KEYS,
            ),
            ("functions", &top["functions"], keys::FUNCTIONS),
            ("networking", &top["networking"], keys::NETWORKING),
            (
                "networking.existing",
                &top["networking"]["properties"]["existing"]["oneOf"][0],
                crate::existing::NETWORK_KEYS,
            ),
            (
                "networking.existing.virtual_network",
                &top["networking"]["properties"]["existing"]["oneOf"][0]["properties"]
                    ["virtual_network"],
                crate::existing::VIRTUAL_NETWORK_KEYS,
            ),
            (
                "networking.existing.subnets",
                &top["networking"]["properties"]["existing"]["oneOf"][0]["properties"]["subnets"],
                &subnet_roles,
            ),
            (
                "networking.private_dns",
                &top["networking"]["properties"]["private_dns"]["oneOf"][0],
                crate::existing::PRIVATE_DNS_KEYS,
            ),
            ("cosmos", &definitions["cosmos"], keys::COSMOS),
            ("crud-api", &definitions["crud-api"], read::CRUD_API_KEYS),
            (
                "function-app",
                &definitions["function-app"],
                read::FUNCTION_APP_KEYS,
            ),
            (
                "service-bus",
                &definitions["service-bus"],
                read_servicebus::KEYS,
            ),
            (
                "static-site",
                &definitions["static-site"],
                read_staticsite::KEYS,
            ),
            (
                "api of a static site",
                &definitions["static-site"]["properties"]["api"]["oneOf"][2],
                read_staticsite::API_KEYS,
            ),
            ("custom", &definitions["custom"], read_custom::KEYS),
            ("auth", &definitions["auth"], crate::read_access::AUTH_KEYS),
            (
                "cors of an app",
                &definitions["app-cors"]["oneOf"][1],
                crate::read_access::CORS_KEYS,
            ),
            ("state", &top["state"], read_deployment::STATE_KEYS),
            ("tenancy", &top["tenancy"], read_deployment::TENANCY_KEYS),
            (
                "a tenant",
                &top["tenancy"]["properties"]["tenants"]["items"],
                read_deployment::TENANT_KEYS,
            ),
            (
                "health_probe",
                &top["deployment"]["properties"]["health_probe"],
                read_deployment::PROBE_KEYS,
            ),
            (
                "a custom requirement",
                &definitions["custom"]["properties"]["requires"]["items"],
                read_custom::REQUIREMENT_KEYS,
            ),
            (
                "a template provider",
                &top["providers"]["additionalProperties"],
                read_custom::PROVIDER_KEYS,
            ),
        ];
        for (what, node, keys) in cases {
            assert_eq!(property_names(node), set(keys), "{what}");
            assert_eq!(
                node["additionalProperties"],
                json!(false),
                "{what} must be strict"
            );
        }
        let triggers = definitions["function"]["oneOf"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let trigger_keys = [
            keys::HTTP_TRIGGER,
            keys::TIMER_TRIGGER,
            keys::QUEUE_TRIGGER,
            keys::TOPIC_TRIGGER,
        ];
        assert_eq!(triggers.len(), read::TRIGGERS.len());
        for ((trigger, keys), name) in triggers.iter().zip(trigger_keys).zip(read::TRIGGERS) {
            assert_eq!(property_names(trigger), set(keys), "{name} trigger");
            assert_eq!(trigger["properties"]["trigger"]["const"], json!(name));
        }
        let entity = &definitions["service-bus"]["properties"]["queues"]["items"]["oneOf"][1];
        let mut entity_keys = set(read_servicebus::SETTINGS);
        entity_keys.insert("name".to_owned());
        assert_eq!(property_names(entity), entity_keys);
    }

    #[test]
    fn every_component_type_has_a_definition() {
        let schema = backend_schema();
        for kind in read::COMPONENT_TYPES {
            assert_eq!(
                schema["definitions"][kind]["properties"]["type"]["const"],
                json!(kind),
                "{kind}"
            );
        }
        assert_eq!(
            schema["definitions"]["component"]["oneOf"]
                .as_array()
                .map(Vec::len),
            Some(read::COMPONENT_TYPES.len())
        );
    }
}
