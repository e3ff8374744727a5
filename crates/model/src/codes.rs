//! The diagnostic codes of the model stage: parsing, the document's shape and its values.
//! Each code's explanation is what `baas explain CODE` prints.

use crate::diagnostic::Code;

macro_rules! codes {
    ($($name:ident = $id:literal, $summary:literal, $explanation:literal;)*) => {
        $(pub static $name: Code = Code { id: $id, summary: $summary, explanation: $explanation };)*
        /// Every code this crate can emit.
        pub static ALL: &[&Code] = &[$(&$name),*];
    };
}

codes! {
    FUNCTIONS_PLAN = "baas::functions::plan", "an unknown function hosting plan",
        "Function apps run on Linux plans: `Y1` (Consumption), `EP1`-`EP3` (Elastic Premium), `B1`-`B3`, `S1`-`S3`, `P0v3`-`P3v3` (Dedicated). `FC1` (Flex Consumption) is known but refused until the azurerm provider can deploy it (`baas explain baas::functions::flex_consumption`).";
    PARSE_EMPTY = "baas::parse::empty", "the file is empty",
        "backend.yaml holds no YAML document, or only comments. Write at least `name`, `environment`, `location` and one entry under `components`; `baas init` writes a starter file.";
    PARSE_SYNTAX = "baas::parse::syntax", "the file is not valid YAML",
        "The YAML parser could not read the file at the reported position. Common causes are tabs used for indentation (YAML allows only spaces), an unclosed quote or bracket, a key without a colon, or several documents separated by `---`. JSON is valid YAML and is accepted too.";
    PARSE_ENCODING = "baas::parse::encoding", "the file is not UTF-8 text",
        "backend.yaml must be UTF-8 text. The reported position is the first byte that is not valid UTF-8, or a NUL byte that marks a binary file. Save the file as UTF-8 or check that the right file was passed.";
    SCHEMA_UNKNOWN_KEY = "baas::schema::unknown_key", "a key that baas does not know",
        "Every key in backend.yaml has a meaning; a key that has none is almost always a typo, so it is an error rather than silently ignored. The message suggests the closest known key. The JSON Schema (`baas schema`) lists every key.";
    SCHEMA_DUPLICATE_KEY = "baas::schema::duplicate_key", "a key written twice in one mapping",
        "YAML parsers disagree on which of two equal keys wins, so baas refuses both. Remove one of them.";
    SCHEMA_TYPE = "baas::schema::type", "a value of the wrong type",
        "The value has the wrong shape: a list where a mapping belongs, text where a number belongs, and so on. The message says what was expected.";
    SCHEMA_MISSING = "baas::schema::missing_key", "a required key is missing",
        "The mapping lacks a key that has no default. Add it; the message names it.";
    SCHEMA_VALUE = "baas::schema::invalid_value", "a value outside the allowed set or range",
        "The value has the right type but is not one baas accepts: an unknown runtime, a retention outside Azure's range, a malformed partition key path. The message lists what is allowed.";
    NAME_PATTERN = "baas::model::name", "the application name does not match `[a-z][a-z0-9]{1,11}`",
        "`name` goes into every Azure resource name, some of which allow only lowercase letters and digits and few characters (storage accounts: 24). It must start with a lowercase letter and have 2 to 12 lowercase letters or digits.";
    ENVIRONMENT_PATTERN = "baas::model::environment", "the environment does not match `[a-z0-9]{1,8}`",
        "`environment` goes into every resource name and the `environment` tag. It is 1 to 8 lowercase letters or digits: dev, test, stg, prod, ...";
    LOCATION = "baas::model::location", "an unknown Azure region",
        "Regions are written as Azure's programmatic names (`az account list-locations -o table`, column Name): `eastus`, `westeurope`, `southeastasia`. Display names like `East US` are not accepted.";
    COMPONENT_KEY = "baas::model::component_key", "a component key that is not lowercase letters, digits and hyphens",
        "Component keys become Terraform addresses and parts of Azure names, so they are 1 to 40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen (`[a-z]([a-z0-9-]*[a-z0-9])?`).";
    RENAME_STILL_EXISTS = "baas::rename::still_exists", "`renamed_from` names a component that still exists",
        "`renamed_from: <old key>` says that a component was called `<old key>` before: synth keeps the Azure names baas derived from the old key and writes Terraform `moved` blocks from the old addresses to the new ones. While a component with the old key still exists, both would own the same resources. Remove (or rename) the old component in the same change, or drop `renamed_from` to keep both.";
    RENAME_ACROSS_KINDS = "baas::rename::across_kinds", "`renamed_from` names a component of another type",
        "A rename keeps a component's type: a static site's storage account and Front Door profile cannot become a CRUD API's container, and Terraform moves a resource only to an address of the same type. The old key names a component of another type; drop `renamed_from` and let `baas diff` show what is removed and what is added.";
    RENAME_NOTHING = "baas::rename::nothing", "`renamed_from` where nothing is derived from the key",
        "Only some components give their key to Terraform addresses and Azure names: a `static-site` (its storage account, Front Door profile, endpoint and rule set, and their addresses) and a `crud-api` without an explicit `container` (the container's name and address). A `function-app` is keyed by its runtime, a `service-bus` component's queues and topics by their own names, a `custom` component's requirements by the keys they declare, and a `crud-api` with `container` written out names its container itself, so renaming them moves nothing and `renamed_from` is refused. A component renamed from its own key is refused too.";
    RENAME_CLAIMED_TWICE = "baas::rename::claimed_twice", "two components are renamed from one old key",
        "One old key's resources can move to one new address only. Two components name the same `renamed_from`; keep it on the component that takes over the old one's resources.";
    AUTH_ID = "baas::model::auth_id", "a tenant or client id in `auth` that is not a GUID",
        "`auth.tenant_id` is the directory (tenant) ID and `auth.client_id` the application (client) ID of the app registration that callers get tokens for, both GUIDs (`00000000-0000-0000-0000-000000000000`, any case) as the Entra admin center shows them on the registration's overview. A tenant's domain name (`contoso.onmicrosoft.com`) is not accepted: the token issuer App Service checks against is built from the tenant ID.";
    CORS_ORIGIN = "baas::model::cors_origin", "a `cors` entry on a function app or CRUD API that is not an allowed origin",
        "`cors` on a `function-app` or `crud-api` lists the origins whose pages may call the app from a browser: `*` alone for any, or origins written `https://host` or `https://host:port` (scheme, lowercase host, optional port; no path, no trailing `/`, each once). Plain `http` is accepted for `localhost` and `127.0.0.1` only, for local development: a page served over plain HTTP from elsewhere can be altered on the way, and the API would trust it. The static sites of the backend are allowed automatically and need not be listed.";
    NO_COMPONENTS = "baas::model::no_components", "the backend has no enabled component",
        "`components` needs at least one enabled entry: there is nothing to provision otherwise.";
    SCHEDULE = "baas::model::schedule", "a timer schedule that is not six-field NCRONTAB",
        "Azure Functions timer triggers use NCRONTAB with six fields: `{second} {minute} {hour} {day} {month} {day-of-week}`. A five-field Unix cron expression lacks the seconds field: `*/5 * * * *` becomes `0 */5 * * * *`.";
    PARTITION_KEY = "baas::model::partition_key", "a partition key that is not a path to a schema field",
        "A Cosmos DB partition key is a JSON path like `/id` or `/tenantId`. When the CRUD API has a `schema`, the first segment of the path must name one of its fields, or every write would land in one logical partition.";
    ROUTE = "baas::model::route", "an HTTP route or method that Azure Functions cannot serve",
        "Routes are relative paths without a leading slash and without the `api/` prefix, made of letters, digits, `-`, `_`, `.`, `/` and `{parameters}`. Methods are get, post, put, patch, delete, head, options.";
    NETWORK_CIDR = "baas::network::cidr", "`networking.address_space` is not an IPv4 network in CIDR notation",
        "The address space of the virtual network is written as an IPv4 network: four decimal numbers from 0 to 255 (no leading zeros), `/`, and the prefix length from 0 to 32, e.g. `10.0.0.0/16`. The address must be the network's first address: every bit after the prefix is zero (`10.0.1.0/16` has host bits set; its network is `10.0.0.0/16`). baas refuses such an address instead of rounding it, because the two readings name different networks.";
    NETWORK_PRIVATE_RANGE = "baas::network::private_range", "the address space is not inside a private range",
        "A virtual network's address space should be private: inside `10.0.0.0/8`, `172.16.0.0/12` or `192.168.0.0/16` (RFC 1918), or `100.64.0.0/10` (RFC 6598, shared address space, which Azure accepts). Azure lets a virtual network use public addresses, but the internet hosts that own them become unreachable from it, and a typo (`11.0.0.0/16` for `10.0.0.0/16`) would silently do exactly that. Pick a range that does not overlap the networks you will peer with or reach over VPN or ExpressRoute.";
    NETWORK_ADDRESS_SPACE_MISSING = "baas::network::address_space_missing", "isolated mode without `networking.address_space`",
        "`networking.mode: isolated` creates a virtual network, and baas carves its subnets from `address_space`; there is no default because the range must not overlap the networks you peer with or reach over VPN. Add e.g. `address_space: 10.0.0.0/16` (a /24 is the smallest baas accepts), or, where a landing zone provides the network, `existing: {virtual_network: {name, resource_group}, subnets: {...}}` instead.";
    NETWORK_UNUSED_SETTING = "baas::network::unused_setting", "a `networking` setting that public mode does not use",
        "`address_space`, `private_endpoints`, `existing` and `private_dns` only mean something with `mode: isolated`. In public mode (the default) they are ignored, which this warning says rather than doing it silently. Set `mode: isolated`, or remove them. (An environment overlay that switches a backend to public mode may leave them in place on purpose; the warning does not stop synth.) `private_dns` also does nothing with `private_endpoints: false`: service endpoints need no DNS zones. A role in `existing.subnets` that nothing in the backend joins (a runtime no function app uses, `private-endpoints` with `private_endpoints: false`) is reported too, at its subnet's name.";
    LANDING_ZONE_ADDRESS_SPACE = "baas::landing_zone::address_space", "`networking.address_space` together with an existing network",
        "`networking.address_space` asks baas to create a virtual network and carve its subnets; `networking.existing` says the landing zone provides the network and its subnets. One backend cannot have both: remove `address_space`. To create the network in one environment and use the landing zone's in another, write `existing` in the base document (or the environment that uses it) and `existing: false` with an `address_space` in the environment that creates its own (overlays merge key by key and cannot delete a key).";
    DEPLOYMENT = "baas::deployment::invalid", "an invalid deployment topology",
        "`deployment.strategy` is one of `single`, `multi-region` (needs `regions`: two or more distinct known regions; the primary `location` takes part), `blue-green` (needs `active: blue|green`; optional `weights` from 0 to 1000, a 0 disables that color, and the active color gets at least as much as the other) or `disaster-recovery` (needs a `secondary` region other than `location`). Strategies are exclusive: a setting of another strategy is an error. Traffic Manager probes every 10 or 30 seconds with a 5-10 second timeout (5-9 with a 10 second interval); the profile's DNS TTL (`health_probe.ttl_seconds`) is 0 to 2,147,483,647 seconds.";
    STATE = "baas::state::invalid", "invalid remote state settings",
        "`state` needs `resource_group`, `storage_account` (3-24 lowercase letters and digits) and `container`; `key` is a template using `{{name}}`, `{{env}}` and `{{stack}}`, and must contain `{{stack}}` so that every stack gets its own state.";
    ENVIRONMENT_OVERLAY = "baas::environments::unknown", "an unknown or malformed environment overlay",
        "`--env NAME` applies `environments.NAME` over the document (mappings merge key by key, other values replace). The name must be one of the keys under `environments`, and each overlay must be a mapping. Diagnostics caused by an overlay point at the overlay's lines.";
    LANDING_ZONE_WORKSPACE = "baas::landing_zone::workspace", "a monitoring setting that an existing workspace does not take",
        "With `monitoring.workspace`, every stack sends its diagnostic settings and Application Insights to a Log Analytics workspace the landing zone owns, read by name with a data source. baas writes nothing onto that workspace, so `monitoring.retention_days` (a property of the workspace) is not applied: the workspace keeps the retention its owner set. Remove `retention_days`, or keep it in the environments that create their own workspace.";
    MONITORING_ALERTS = "baas::monitoring::alerts", "invalid alert settings",
        "`monitoring.alerts` creates an action group per stack and metric alert rules that notify it. It needs someone to notify: `email` (a list of distinct addresses like `oncall@example.com`), a `webhook` (an HTTPS URL; alerts carry resource names and are never sent in clear text), or both. `severity` is Azure's 0 (critical) to 4 (verbose), 2 by default. `alerts: false` turns alerts off, e.g. in an environment overlay. With `monitoring.enabled: false` nothing is monitored and `alerts` is ignored, with a warning.";
    TENANCY = "baas::tenancy::invalid", "invalid multi-tenant settings",
        "`tenancy.isolation` is `partition` (one container per entity, partitioned by `/tenantId`: every CRUD API must use that partition key), `database` (one Cosmos database per tenant) or `account` (a full backend per tenant, as its own stack `tenant-<id>`). `tenants` lists unique ids of 1-10 lowercase letters and digits, with optional `name` and `tier`. Resource names carry the tenant id, so under `account` a tenant id must not make a stack's names those of another stack: a tenant called `global` under `multi-region` or `disaster-recovery` (or under `single` with a static site, which then lives in a `global` stack) would name its primary-region resources like the `global` stack's.";
}
