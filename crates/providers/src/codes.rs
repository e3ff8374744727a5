//! Diagnostic codes of the provider stage: merges, limits, names, Azure value rules.

use baas_model::diagnostic::Code;

macro_rules! codes {
    ($($name:ident = $id:literal, $summary:literal, $explanation:literal;)*) => {
        $(pub static $name: Code = Code { id: $id, summary: $summary, explanation: $explanation };)*
        /// Every code this crate can emit.
        pub static ALL: &[&Code] = &[$(&$name),*];
    };
}

codes! {
    UNSERVED = "baas::registry::unserved", "no provider serves a requirement type",
        "A component declared a requirement whose type no registered provider serves. Built-in types are served by the built-in providers; a custom type needs a provider registered with the registry.";
    MERGE_COSMOS_SETTINGS = "baas::merge::cosmos_settings", "components disagree on a shared Cosmos account's settings",
        "All CRUD APIs share one Cosmos DB account, so their `cosmos` overrides of `consistency` and `serverless` must agree: an account has one default consistency level and is either serverless or provisioned. Set the value once under the top-level `cosmos` key and remove the conflicting overrides.";
    MERGE_NETWORK_ACCESS = "baas::merge::network_access", "the most restrictive network access won for a shared Cosmos account",
        "When one component asks for public network access to the shared Cosmos account to be off and another does not, the account is closed for all of them: the most restrictive setting wins. This warning names the component that closed it, because the others lose public access too.";
    MERGE_PARTITION_KEY = "baas::merge::partition_key", "a container is requested twice with different partition keys",
        "A Cosmos DB container's partition key is fixed at creation. Two CRUD APIs that share a container (same `database` and `container`) must use the same `partition_key`.";
    MERGE_RUNTIME_VERSION = "baas::merge::runtime_version", "components on one function app ask for different runtime versions",
        "baas runs one function app per runtime, and an app runs one version of its runtime. Components that share the app must agree on `version`; leave it out on all but one, or set the same value.";
    MERGE_FUNCTION_NAME = "baas::merge::function_name", "two functions with the same name on one function app",
        "Function names are unique within a function app, and every component on the same runtime shares one app. CRUD APIs name their functions `<component>-<operation>`; rename the function-app function that collides.";
    MERGE_ROUTE = "baas::merge::route", "two HTTP functions serve the same route and method on one app",
        "Azure Functions cannot route one method and path to two functions. Change the `route` or `methods` of one of them (CRUD APIs use their `plural` as the route).";
    PLAN_RAISED = "baas::merge::plan", "a function app runs on a bigger plan than some of its components asked for",
        "Components that share a function app share its hosting plan, and the highest plan asked for wins (Y1 < FC1 < B1-B3 < S1-S3 < P0v3-P3v3 < EP1-EP3). This warning says which component raised it, because it changes the cost of the others.";
    LIMIT = "baas::limits::exceeded", "a configured limit is exceeded after merging",
        "`limits` caps how many resources the deployment may create, to stay inside subscription quotas and budgets. Counts are taken after merging (three CRUD APIs on one Cosmos account count as one account) and added up over every stack: each region, color or tenant (`isolation: account`) stack holds its own accounts and apps, so two tenants in two regions make four Cosmos accounts of one (a disaster-recovery secondary reads the primary's Cosmos account and adds none). The message says how many each stack contributes. Raise the limit, change the components named in the message so that they share resources, or deploy fewer stacks.";
    NAME = "baas::names::invalid", "an Azure resource name cannot be built within Azure's rules",
        "Azure limits each resource name's length and characters (storage accounts: 3-24 lowercase letters and digits). baas builds names from `name`, `environment`, the region and the component; when the result cannot fit, shorten `name` or `environment`, set a shorter `naming.abbreviations` entry, or change `naming.template`.";
    NAMING_CONFIG = "baas::names::config", "the `naming` settings are invalid",
        "`naming.template` must be a valid handlebars template using only `abbr`, `name`, `env`, `region`, `location` and `instance`; `naming.abbreviations` keys must be resource kinds baas names.";
    PLAN = "baas::functions::plan", "an unknown function hosting plan",
        "Function apps run on Linux plans: `Y1` (Consumption), `FC1` (Flex Consumption), `EP1`-`EP3` (Elastic Premium), `B1`-`B3`, `S1`-`S3`, `P0v3`-`P3v3` (Dedicated).";
    RUNTIME_VERSION = "baas::functions::runtime_version", "a runtime version Azure Functions does not support",
        "Each runtime supports a few versions on Linux, and Flex Consumption (`FC1`) supports fewer. The message lists the supported ones; leave `version` out to take baas's default.";
    HEALTH_RESERVED = "baas::functions::health_reserved", "a function takes the name or route of the generated health function",
        "Every function app that serves HTTP gets a function named `health` that answers `GET api/health` with 200 `{\"status\": \"ok\"}`, anonymously: it is the default Traffic Manager probe path of every topology, and its code is generated for Node and Python apps. A function of your own may not use that name or serve `GET health`: rename it or change its route.";
    NO_GENERATED_CODE = "baas::functions::no_generated_code", "a CRUD API on a runtime baas generates no code for",
        "baas generates the CRUD handlers and the health function for Node and Python apps (`out/apps/node`, `out/apps/python`). On `dotnet-isolated`, `java` and `powershell` a `crud-api` still gets its Cosmos container, data-plane role and app settings, and the manifest lists its routes under `function_apps`, but the code is yours to write. Use `runtime: node` or `runtime: python` to have it generated.";
    PROBE_PATH = "baas::deployment::probe_path", "Traffic Manager probes a path that no function serves anonymously",
        "Traffic Manager calls `health_probe.path` on every app behind it and expects a 2xx answer without a key. A path that no anonymous `GET` function serves marks every endpoint degraded, and with every endpoint degraded Traffic Manager routes to all of them: failover never happens. Leave `path` out to probe `/api/health`, the health function baas generates on every app that serves HTTP, or point it at an anonymous `GET` function of your own (function routes start with `/api/`).";
    LIMIT_FUNCTIONS = "baas::limits::functions_per_app", "a function app holds more functions than `limits.max_functions_per_app`",
        "Every component on the same runtime adds its functions to one app (a CRUD API adds one per operation). The limit holds for each app, which is the same in every stack. Raise `limits.max_functions_per_app`, trim `operations`, or move components to another runtime.";
    SERVICEBUS_BASIC_TOPICS = "baas::servicebus::basic_topics", "a Basic Service Bus namespace cannot hold topics",
        "Topics and subscriptions need the Standard or Premium tier. The namespace's SKU is the highest any component asks for (Basic < Standard < Premium); set `sku: Standard` on the `service-bus` component, or replace the topics with queues.";
    SERVICEBUS_NAME_CLASH = "baas::servicebus::name_clash", "a queue and a topic with the same name",
        "Queues and topics share one name space within a Service Bus namespace. Rename one of them; the message names both declarations.";
    SERVICEBUS_ENTITY_NAME = "baas::servicebus::entity_name", "a queue, topic or subscription name Azure does not accept",
        "Queue and topic names are 1-260 characters of letters, digits, `.`, `-`, `_` and `/`, starting and ending with a letter or digit. Subscription names are 1-50 characters of letters, digits, `.`, `-` and `_`, starting and ending with a letter or digit.";
    SERVICEBUS_ENTITY_SETTINGS = "baas::servicebus::entity_settings", "a queue, topic or subscription is declared twice with different settings",
        "Components may declare the same entity (a `service-bus` component and a queue trigger, say); settings one leaves out come from the other, but a setting both give must agree.";
    SERVICEBUS_VALUE = "baas::servicebus::value", "a Service Bus setting outside what Azure accepts",
        "`max_size_mb` is 1024, 2048, 3072, 4096 or 5120 on Basic and Standard, and a multiple of 1024 up to 81920 on Premium; `lock_duration` is an ISO 8601 duration from PT5S to PT5M; `default_message_ttl` is an ISO 8601 duration (`P14D`); `max_delivery_count` is 1-2000. Lock duration, delivery count and dead-lettering belong to queues and subscriptions, not topics.";
    SERVICEBUS_UNKNOWN_ENTITY = "baas::servicebus::unknown_entity", "`sends_to` names no queue or topic",
        "A function's `sends_to` lists queues and topics it produces to; each must be declared by a `service-bus` component or consumed by a trigger, so that it exists and the app can be granted `Azure Service Bus Data Sender` on it.";
    STATIC_SITE_DOCUMENT = "baas::static_site::document", "an index or error document name the static website cannot serve",
        "`index_document` is the file served for a folder (`/`, `/docs/`) in every folder of the site, so it is a file name without `/`: 3 to 255 characters, e.g. `index.html` (Azure's rule). `error_document` is the blob in the `$web` container served with status 404, as a path relative to the container without a leading `/`, e.g. `404.html` or `errors/404.html`. Neither may hold `\\`, `..` segments or control characters.";
    STATIC_SITE_SPA_ERROR_DOCUMENT = "baas::static_site::spa_error_document", "`error_document` on a single-page app would never be served",
        "With `spa: true` unknown paths serve the index document so that the app's client-side router can handle them: Front Door rewrites paths without a file extension to the index document, and the storage account's 404 document is the index document too. An `error_document` would never be served, and baas does not ignore what you wrote: remove it, or set `spa: false` to serve it for unknown paths.";
    STATIC_SITE_DOMAIN_ZONE = "baas::static_site::domain_zone", "`custom_domain` and `dns_zone` go together",
        "Front Door serves a custom domain only after it has validated it, and baas writes the records that prove you own it (the `_dnsauth` TXT record, and the CNAME or, at the zone apex, an alias A record) into an Azure DNS zone that already exists. So `custom_domain` needs `dns_zone`, the zone that holds it, and `dns_zone` and `dns_zone_resource_group` mean nothing without `custom_domain`. Delegate the domain to Azure DNS first (`az network dns zone create`, then point the registrar's name servers at the zone).";
    STATIC_SITE_DOMAIN_NAME = "baas::static_site::domain_name", "a custom domain or DNS zone that is not a DNS name baas can use",
        "`custom_domain` and `dns_zone` are fully qualified DNS names without the trailing dot: at least two labels separated by `.`, each 1 to 63 lowercase ASCII letters, digits and hyphens, not starting or ending with a hyphen, at most 253 characters in all (`www.example.com`, `example.com`). Write internationalised names in their ASCII (punycode) form. Wildcard domains (`*.example.com`) are refused: Front Door's managed certificates do not cover them.";
    STATIC_SITE_DOMAIN_OUTSIDE_ZONE = "baas::static_site::domain_outside_zone", "the custom domain is not inside `dns_zone`",
        "baas writes the custom domain's records into `dns_zone`, so the domain must be the zone itself (the apex: `example.com` in zone `example.com`, served through an alias A record) or a name under it (`www.example.com`, `app.eu.example.com`). Set `dns_zone` to the Azure DNS zone that holds the domain.";
    STATIC_SITE_DOMAIN_TAKEN = "baas::static_site::domain_taken", "two static sites claim the same custom domain",
        "A host name can be validated on one Front Door profile only, and each static site has its own profile. Give each site its own `custom_domain`.";
    STATIC_SITE_RESOURCE_GROUP = "baas::static_site::dns_zone_resource_group", "`dns_zone_resource_group` is not a resource group name",
        "Resource group names are 1 to 90 letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with `.`. Leave `dns_zone_resource_group` out to look the zone up by name in the subscription (the first zone of that name is used).";
    STATIC_SITE_CACHE_MAX_AGE = "baas::static_site::cache_max_age", "`cache_max_age` is outside what Front Door accepts",
        "`cache_max_age` is how long, in seconds, Front Door keeps a file at its edge when the file has no `Cache-Control` header of its own (files uploaded with one keep theirs, at the edge and in browsers). It is 0 (no caching: every request goes to the storage account) to 31536000 (365 days); the default is 3600. After a deploy, purge the endpoint (`az afd endpoint purge`) or new files appear once cached copies expire.";
    STATIC_SITE_COMPRESSION = "baas::static_site::compression_without_cache", "compression asked for on a site that is not cached",
        "Front Door compresses files as part of caching: a route without caching cannot compress. With `cache_max_age: 0` compression is off; asking for it with `compression: true` is an error rather than silently ignored. Set a `cache_max_age`, or remove `compression: true`.";
    STATIC_SITE_CORS = "baas::static_site::cors_origin", "a `cors` entry that is not an origin",
        "`cors` lists the origins whose scripts may read the site's files: `*` for any, or origins written as `https://host` or `https://host:port` (scheme, lowercase host, optional port; no path, no trailing slash). The storage account's CORS rules do not apply to its static website endpoint, so baas writes Front Door rules instead: with `*` every response carries `Access-Control-Allow-Origin: *`; with a list, a request whose `Origin` is listed gets it back in `Access-Control-Allow-Origin`, and every response carries `Vary: Origin`. `*` cannot be combined with other origins, each origin is listed once, and there are at most 90 (one Front Door rule each; a rule set holds 100). The static website endpoint answers GET and HEAD only, so requests that need a CORS preflight are not supported.";
    TEMPLATE = "baas::template::render", "a provider template does not compile, render or produce valid resources",
        "`providers.<type>.template` is a handlebars file (relative to backend.yaml) that renders, for one merged requirement, a JSON object `{\"<resource type>\": {\"<name>\": {...}}}`. The template is strict: an unknown variable is an error. It sees `type`, `key`, `config`, `name`, `unique_suffix`, `app`, `environment`, `location`, `region`, `resource_group_name` and `tags`; `{{json value}}` writes a value as JSON. The diagnostic points into the template file.";
    TEMPLATE_FILE = "baas::template::file", "a provider template cannot be read",
        "The file named by `providers.<type>.template` must exist relative to backend.yaml and be UTF-8 text.";
    MERGE_CUSTOM_CONFIG = "baas::merge::custom_config", "custom requirements of one type and key disagree on a config value",
        "Requirements of a custom type with the same key merge into one: their `config` mappings merge key by key, and a value given twice must be the same.";
    NETWORK_TOO_SMALL = "baas::network::address_space_too_small", "the address space cannot hold the subnets baas carves",
        "In isolated mode baas carves `networking.address_space` into /26 subnets (64 addresses each, the size Microsoft recommends for VNet integration, and what Flex Consumption needs) at fixed positions, so that adding an app never moves another subnet: the first /26 holds the private endpoints, the next ones the function apps' integration subnets in the order node, python, dotnet-isolated, java, powershell. The address space must be at least a /24 (four /26s: private endpoints plus node, python and dotnet-isolated apps); java and powershell apps need a /23. Changing the address space later replaces the virtual network and everything in it, so leave room: a /16 is common.";
    NETWORK_PLAN = "baas::network::plan", "a function app plan that cannot join a virtual network",
        "Isolated mode integrates every function app with the virtual network so that it reaches the data services over their private endpoints. The Consumption plan (`Y1`) has no VNet integration. Use Flex Consumption (`FC1`, serverless billing with VNet integration), Elastic Premium (`EP1`-`EP3`) or a Dedicated plan (`B1`-`B3`, `S1`-`S3`, `P0v3`-`P3v3`): set `functions.plan`, or `plan` on the function-app component whose app it is. The default plan is `Y1`, so an isolated backend always names one.";
    NETWORK_SERVICEBUS_SKU = "baas::network::servicebus_sku", "Service Bus in isolated mode needs the Premium tier",
        "Only Premium Service Bus namespaces accept private endpoints or virtual network rules; Basic and Standard can only be reached over the internet. In isolated mode the namespace must be Premium (priced per messaging unit, not per operation). The namespace takes the highest SKU any component asks for, so `sku: Premium` on one `service-bus` component raises it; a namespace that exists only because of queue or topic triggers needs such a component (`bus: {type: service-bus, sku: Premium}`).";
    NETWORK_PUBLIC_ACCESS = "baas::network::public_access", "public network access asked for in isolated mode",
        "Isolated mode turns public network access off on the data services (or, with `private_endpoints: false`, allows only the virtual network through their firewalls). `public_network_access: true` on `cosmos` (or a CRUD API's `cosmos` override) asks for the opposite; baas refuses to silently drop it. Remove it, or use `mode: public`.";
    COSMOS_DR_SERVERLESS = "baas::deployment::serverless_dr", "a serverless Cosmos account under disaster recovery",
        "Serverless Cosmos DB accounts are single-region, so they cannot replicate to the secondary region. Under `disaster-recovery` baas provisions autoscale throughput unless `serverless: true` is written, which is this error: remove it.";
    COSMOS_DR_CONSISTENCY = "baas::deployment::consistency", "a consistency level that is costly or refused across regions",
        "Strong consistency across regions makes every write wait for the other region, and Azure refuses it for regions more than 5,000 miles apart without approval. Bounded staleness across regions needs at least 300 seconds and 100,000 operations of lag, which baas sets.";
    TRAFFIC = "baas::deployment::traffic", "the global stack cannot route to an app",
        "Traffic Manager endpoints point at each regional function app's host name, read by a data source. Flex Consumption (FC1) apps have no azurerm data source and unique host names, so they cannot be endpoints yet; other plans can.";
    REGIONAL_DATA = "baas::deployment::regional_data", "each region of a multi-region deployment owns its own data",
        "Under `multi-region` every region's stack holds the whole backend, its Cosmos DB account and Service Bus namespace included: data written in one region is not seen in the others, and which region a user reaches is Traffic Manager's choice. That suits data kept per region (residency, region-partitioned users). A deployment that needs one set of data everywhere should keep it in one backend that every region's code reaches; baas does not generate a shared geo-replicated account for `multi-region` yet (`disaster-recovery` does share one).";
    STATEFUL_COLORS = "baas::deployment::stateful_colors", "each blue-green color owns its own data",
        "Blue and green stacks are identical, so each has its own Cosmos account, Service Bus namespace and storage: data written while one color is active is not in the other. Migrate data on switch-over, or keep stateful services outside the color stacks.";
}
