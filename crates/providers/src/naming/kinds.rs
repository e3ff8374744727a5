//! The resource kinds baas names, one row each in [`KINDS`]: the kind's key, abbreviation,
//! display name, azurerm resource types and Azure naming rule. Everything else about a kind
//! (the list of kinds, lookups by key) is derived from the rows.

use std::fmt;

use super::rules::{Charset, End, NameRule, Scope, Start};

/// Azure resource kinds baas names. Each is described by one [`KindRow`] in [`KINDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ResourceKind {
    /// `azurerm_resource_group`
    ResourceGroup,
    /// `azurerm_cosmosdb_account`
    CosmosAccount,
    /// `azurerm_storage_account`
    StorageAccount,
    /// `azurerm_linux_function_app` / `azurerm_windows_function_app`
    FunctionApp,
    /// `azurerm_service_plan`
    ServicePlan,
    /// `azurerm_log_analytics_workspace`
    LogAnalyticsWorkspace,
    /// `azurerm_application_insights`
    ApplicationInsights,
    /// `azurerm_servicebus_namespace`
    ServiceBusNamespace,
    /// `azurerm_cdn_frontdoor_profile`
    FrontDoorProfile,
    /// `azurerm_cdn_frontdoor_endpoint`
    FrontDoorEndpoint,
    /// `azurerm_virtual_network`
    VirtualNetwork,
    /// `azurerm_subnet`
    Subnet,
    /// `azurerm_network_security_group`
    NetworkSecurityGroup,
    /// `azurerm_private_endpoint`
    PrivateEndpoint,
    /// `azurerm_traffic_manager_profile`
    TrafficManagerProfile,
    /// `azurerm_redis_cache`
    RedisCache,
    /// `azurerm_managed_redis`
    ManagedRedis,
    /// `azurerm_monitor_action_group`
    ActionGroup,
    /// `azurerm_cdn_frontdoor_firewall_policy`
    FrontDoorFirewallPolicy,
}

/// Everything baas knows about one resource kind.
#[derive(Debug)]
pub struct KindRow {
    pub kind: ResourceKind,
    /// The key users write under `naming.abbreviations`.
    pub key: &'static str,
    /// The built-in abbreviation, from the Cloud Adoption Framework's list of recommended
    /// abbreviations for Azure resource types.
    pub abbreviation: &'static str,
    /// A lowercase, human name for messages: "storage account", "Cosmos DB account".
    pub display_name: &'static str,
    /// The azurerm resource types whose names this kind's rule governs.
    pub terraform_types: &'static [&'static str],
    /// Azure's naming rule for the kind.
    pub rule: NameRule,
}

/// Every kind, one row each, in the enum's declaration order (a row's position is its kind's
/// discriminant; checked at compile time below).
pub static KINDS: [KindRow; 19] = [
    // Resource group: 1-90, letters, digits, `-_.()`, not ending in a period; unique in the
    // subscription.
    KindRow {
        kind: ResourceKind::ResourceGroup,
        key: "resource_group",
        abbreviation: "rg",
        display_name: "resource group",
        terraform_types: &["azurerm_resource_group"],
        rule: NameRule {
            min: 1,
            max: 90,
            charset: Charset::AlphanumericHyphenUnderscorePeriodParentheses,
            scope: Scope::Subscription,
            start: Start::Any,
            end: End::NotPeriod,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Cosmos DB account: 3-44, lowercase letters, digits and hyphens, starting and ending with a
    // letter or digit; global (`<name>.documents.azure.com`).
    KindRow {
        kind: ResourceKind::CosmosAccount,
        key: "cosmos_account",
        abbreviation: "cosmos",
        display_name: "Cosmos DB account",
        terraform_types: &["azurerm_cosmosdb_account"],
        rule: NameRule {
            min: 3,
            max: 44,
            charset: Charset::LowerAlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Storage account: 3-24 lowercase letters and digits; global.
    KindRow {
        kind: ResourceKind::StorageAccount,
        key: "storage_account",
        abbreviation: "st",
        display_name: "storage account",
        terraform_types: &["azurerm_storage_account"],
        rule: NameRule {
            min: 3,
            max: 24,
            charset: Charset::LowerAlphanumeric,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Function app: letters, digits and hyphens, starting and ending with a letter or digit;
    // global (`<name>.azurewebsites.net`).
    //
    // Azure accepts 2-60 characters. The Functions host ID is the app name truncated to 32
    // characters, and two apps whose host IDs collide on a shared storage account fail at
    // start-up (learn.microsoft.com, "Host ID considerations"); the apps of a stack share its
    // host storage account, so the functions provider checks that their first 32 characters
    // differ (`baas::names::host_id`). A cap of 32 here instead cut the region, the colour or
    // the tenant off every long name.
    KindRow {
        kind: ResourceKind::FunctionApp,
        key: "function_app",
        abbreviation: "func",
        display_name: "function app",
        terraform_types: &["azurerm_linux_function_app", "azurerm_windows_function_app"],
        rule: NameRule {
            min: 2,
            max: 60,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // App Service plan: 1-60, letters, digits and hyphens; unique in the resource group.
    KindRow {
        kind: ResourceKind::ServicePlan,
        key: "service_plan",
        abbreviation: "asp",
        display_name: "App Service plan",
        terraform_types: &["azurerm_service_plan"],
        rule: NameRule {
            min: 1,
            max: 60,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Log Analytics workspace: 4-63, letters, digits and hyphens, starting and ending with a
    // letter or digit; unique in the resource group.
    KindRow {
        kind: ResourceKind::LogAnalyticsWorkspace,
        key: "log_analytics_workspace",
        abbreviation: "log",
        display_name: "Log Analytics workspace",
        terraform_types: &["azurerm_log_analytics_workspace"],
        rule: NameRule {
            min: 4,
            max: 63,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Application Insights: 1-260, letters, digits, `-_.()`, not ending in a period; unique in the
    // resource group.
    KindRow {
        kind: ResourceKind::ApplicationInsights,
        key: "application_insights",
        abbreviation: "appi",
        display_name: "Application Insights component",
        terraform_types: &["azurerm_application_insights"],
        rule: NameRule {
            min: 1,
            max: 260,
            charset: Charset::AlphanumericHyphenUnderscorePeriodParentheses,
            scope: Scope::ResourceGroup,
            start: Start::Any,
            end: End::NotPeriod,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Service Bus namespace: 6-50, letters, digits and hyphens, starting with a letter, ending
    // with a letter or digit, not ending in `-sb` or `-mgmt`; global
    // (`<name>.servicebus.windows.net`).
    KindRow {
        kind: ResourceKind::ServiceBusNamespace,
        key: "servicebus_namespace",
        abbreviation: "sbns",
        display_name: "Service Bus namespace",
        terraform_types: &["azurerm_servicebus_namespace"],
        rule: NameRule {
            min: 6,
            max: 50,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Letter,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &["-sb", "-mgmt"],
        },
    },
    // Front Door (Standard/Premium) profile: 2-90, letters, digits and hyphens, starting and
    // ending with a letter or digit; unique in the resource group.
    KindRow {
        kind: ResourceKind::FrontDoorProfile,
        key: "front_door_profile",
        abbreviation: "afd",
        display_name: "Front Door profile",
        terraform_types: &["azurerm_cdn_frontdoor_profile"],
        rule: NameRule {
            min: 2,
            max: 90,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Front Door endpoint: 2-46, letters, digits and hyphens, starting and ending with a letter
    // or digit; global (`<name>-<hash>.z01.azurefd.net`).
    KindRow {
        kind: ResourceKind::FrontDoorEndpoint,
        key: "front_door_endpoint",
        abbreviation: "fde",
        display_name: "Front Door endpoint",
        terraform_types: &["azurerm_cdn_frontdoor_endpoint"],
        rule: NameRule {
            min: 2,
            max: 46,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Virtual network: 2-64, letters, digits, `-_.`, starting with a letter or digit, ending with
    // a letter, digit or underscore; unique in the resource group.
    KindRow {
        kind: ResourceKind::VirtualNetwork,
        key: "virtual_network",
        abbreviation: "vnet",
        display_name: "virtual network",
        terraform_types: &["azurerm_virtual_network"],
        rule: NameRule {
            min: 2,
            max: 64,
            charset: Charset::AlphanumericHyphenUnderscorePeriod,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::AlphanumericOrUnderscore,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Subnet: 1-80, as a virtual network; unique in its virtual network.
    KindRow {
        kind: ResourceKind::Subnet,
        key: "subnet",
        abbreviation: "snet",
        display_name: "subnet",
        terraform_types: &["azurerm_subnet"],
        rule: NameRule {
            min: 1,
            max: 80,
            charset: Charset::AlphanumericHyphenUnderscorePeriod,
            scope: Scope::Parent,
            start: Start::Alphanumeric,
            end: End::AlphanumericOrUnderscore,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Network security group: 1-80, as a virtual network; unique in the resource group.
    KindRow {
        kind: ResourceKind::NetworkSecurityGroup,
        key: "network_security_group",
        abbreviation: "nsg",
        display_name: "network security group",
        terraform_types: &["azurerm_network_security_group"],
        rule: NameRule {
            min: 1,
            max: 80,
            charset: Charset::AlphanumericHyphenUnderscorePeriod,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::AlphanumericOrUnderscore,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Private endpoint: 2-64, as a virtual network; unique in the resource group.
    KindRow {
        kind: ResourceKind::PrivateEndpoint,
        key: "private_endpoint",
        abbreviation: "pep",
        display_name: "private endpoint",
        terraform_types: &["azurerm_private_endpoint"],
        rule: NameRule {
            min: 2,
            max: 64,
            charset: Charset::AlphanumericHyphenUnderscorePeriod,
            scope: Scope::ResourceGroup,
            start: Start::Alphanumeric,
            end: End::AlphanumericOrUnderscore,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Traffic Manager profile: 1-63, letters, digits, hyphens and periods, starting and ending
    // with a letter or digit; global (`<name>.trafficmanager.net`).
    KindRow {
        kind: ResourceKind::TrafficManagerProfile,
        key: "traffic_manager_profile",
        abbreviation: "traf",
        display_name: "Traffic Manager profile",
        terraform_types: &["azurerm_traffic_manager_profile"],
        rule: NameRule {
            min: 1,
            max: 63,
            charset: Charset::AlphanumericHyphenPeriod,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Redis cache: 1-63, letters, digits and hyphens, starting and ending with a letter or digit,
    // no consecutive hyphens; global (`<name>.redis.cache.windows.net`).
    KindRow {
        kind: ResourceKind::RedisCache,
        key: "redis_cache",
        abbreviation: "redis",
        display_name: "Redis cache",
        terraform_types: &["azurerm_redis_cache"],
        rule: NameRule {
            min: 1,
            max: 63,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: true,
            reserved_suffixes: &[],
        },
    },
    // Azure Managed Redis: 3-63, letters, digits and hyphens, starting and ending with a letter
    // or digit, no consecutive hyphens (managedredis/validate/managed_redis_name.go, 4.55.0);
    // global (`<name>.<region>.redis.azure.net`). It replaces Azure Cache for Redis, which
    // stops taking new caches.
    KindRow {
        kind: ResourceKind::ManagedRedis,
        key: "managed_redis",
        abbreviation: "amr",
        display_name: "Azure Managed Redis",
        terraform_types: &["azurerm_managed_redis"],
        rule: NameRule {
            min: 3,
            max: 63,
            charset: Charset::AlphanumericHyphen,
            scope: Scope::Global,
            start: Start::Alphanumeric,
            end: End::Alphanumeric,
            no_consecutive_hyphens: true,
            reserved_suffixes: &[],
        },
    },
    // Action group: 1-260, letters, digits, `-_.()`, not ending in a period; unique in the
    // resource group.
    KindRow {
        kind: ResourceKind::ActionGroup,
        key: "action_group",
        abbreviation: "ag",
        display_name: "action group",
        terraform_types: &["azurerm_monitor_action_group"],
        rule: NameRule {
            min: 1,
            max: 260,
            charset: Charset::AlphanumericHyphenUnderscorePeriodParentheses,
            scope: Scope::ResourceGroup,
            start: Start::Any,
            end: End::NotPeriod,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
    // Front Door WAF policy: 1-128 letters and digits, starting with a letter
    // (`validate.FrontDoorFirewallPolicyName`, azurerm v4.55.0
    // `internal/services/cdn/validate/front_door_firewall_policy_name.go:13`); unique in the
    // resource group.
    KindRow {
        kind: ResourceKind::FrontDoorFirewallPolicy,
        key: "front_door_firewall_policy",
        abbreviation: "fdfp",
        display_name: "Front Door WAF policy",
        terraform_types: &["azurerm_cdn_frontdoor_firewall_policy"],
        rule: NameRule {
            min: 1,
            max: 128,
            charset: Charset::Alphanumeric,
            scope: Scope::ResourceGroup,
            start: Start::Letter,
            end: End::Any,
            no_consecutive_hyphens: false,
            reserved_suffixes: &[],
        },
    },
];

const _: () = {
    let mut i = 0;
    while i < KINDS.len() {
        assert!(
            KINDS[i].kind as usize == i,
            "KINDS must list the kinds in declaration order"
        );
        i += 1;
    }
};

/// The kinds of [`KINDS`], in order.
static ALL_KINDS: [ResourceKind; KINDS.len()] = {
    let mut all = [ResourceKind::ResourceGroup; KINDS.len()];
    let mut i = 0;
    while i < KINDS.len() {
        all[i] = KINDS[i].kind;
        i += 1;
    }
    all
};

impl ResourceKind {
    /// Every kind, in declaration order.
    pub fn all() -> &'static [ResourceKind] {
        &ALL_KINDS
    }

    /// The kind's row of [`KINDS`].
    pub fn row(self) -> &'static KindRow {
        &KINDS[self as usize]
    }

    /// The built-in abbreviation ([`KindRow::abbreviation`]).
    pub fn abbreviation(self) -> &'static str {
        self.row().abbreviation
    }

    /// The key users write under `naming.abbreviations`.
    pub fn key(self) -> &'static str {
        self.row().key
    }

    /// The kind whose [`key`](ResourceKind::key) is `key`, exactly.
    pub fn from_key(key: &str) -> Option<ResourceKind> {
        KINDS.iter().find(|row| row.key == key).map(|row| row.kind)
    }

    /// A lowercase, human name for messages: "storage account", "Cosmos DB account".
    pub fn display_name(self) -> &'static str {
        self.row().display_name
    }

    /// The Azure naming rule for this kind.
    pub fn rule(self) -> &'static NameRule {
        &self.row().rule
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}
