//! Azure resource naming: CAF abbreviations, the per-type rules of Azure and a deterministic
//! unique suffix for globally unique names.
//!
//! A name is built in four steps:
//!
//! 1. **Render** `naming.template` (handlebars, strict mode) with the variables `abbr`, `name`,
//!    `env`, `region` (short code, `eus`), `location` (full region, `eastus`) and `instance`.
//!    The default template is [`DEFAULT_TEMPLATE`].
//! 2. **Tidy**: runs of a separator (`-`, `_`, `.`) left by empty parts collapse to one, and
//!    separators at either end are trimmed.
//! 3. **Normalise** for the kind: kinds whose charset has no hyphen (storage accounts) drop every
//!    non-alphanumeric character; lowercase-only kinds are lowercased.
//! 4. **Suffix** (globally unique kinds, when `naming.unique_suffix` is on): a separator and
//!    [`HASH_LEN`] lowercase hex characters of a SHA-256 over the parts and the salt are
//!    appended. If the result would be too long, the human part is truncated first, so the
//!    hash always survives (see [`Namer::name`]).
//!
//! The result is then checked against the kind's [`NameRule`]; a name that does not fit is a
//! [`NamingError`] at validate time, never a silently shortened name and never a deploy-time
//! surprise.

use std::collections::BTreeMap;
use std::fmt;

use baas_model::suggest::{suggestions, Closeness, Measure};
use handlebars::{Handlebars, RenderErrorReason};
use sha2::{Digest, Sha256};

/// The template used when `naming.template` is not set.
pub const DEFAULT_TEMPLATE: &str = "{{abbr}}-{{name}}-{{instance}}-{{env}}-{{region}}";

/// The variables a naming template may use, in documentation order.
pub const TEMPLATE_VARIABLES: &[&str] = &["abbr", "name", "env", "region", "location", "instance"];

/// Length of the hexadecimal unique suffix on globally unique names.
pub const HASH_LEN: usize = 6;

/// Name under which the template is registered in the handlebars registry.
const TEMPLATE_NAME: &str = "name";

/// Separators that template parts are usually joined with.
const SEPARATORS: [char; 3] = ['-', '_', '.'];

// ---------------------------------------------------------------------------------------------
// Resource kinds
// ---------------------------------------------------------------------------------------------

/// Azure resource kinds baas names. Each has a CAF abbreviation, a length range, a charset rule
/// and a uniqueness scope.
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
}

const ALL_KINDS: [ResourceKind; 16] = [
    ResourceKind::ResourceGroup,
    ResourceKind::CosmosAccount,
    ResourceKind::StorageAccount,
    ResourceKind::FunctionApp,
    ResourceKind::ServicePlan,
    ResourceKind::LogAnalyticsWorkspace,
    ResourceKind::ApplicationInsights,
    ResourceKind::ServiceBusNamespace,
    ResourceKind::FrontDoorProfile,
    ResourceKind::FrontDoorEndpoint,
    ResourceKind::VirtualNetwork,
    ResourceKind::Subnet,
    ResourceKind::NetworkSecurityGroup,
    ResourceKind::PrivateEndpoint,
    ResourceKind::TrafficManagerProfile,
    ResourceKind::RedisCache,
];

impl ResourceKind {
    /// Every kind, in declaration order.
    pub fn all() -> &'static [ResourceKind] {
        &ALL_KINDS
    }

    /// The built-in abbreviation, from the Cloud Adoption Framework's list of recommended
    /// abbreviations for Azure resource types.
    pub fn abbreviation(self) -> &'static str {
        match self {
            ResourceKind::ResourceGroup => "rg",
            ResourceKind::CosmosAccount => "cosmos",
            ResourceKind::StorageAccount => "st",
            ResourceKind::FunctionApp => "func",
            ResourceKind::ServicePlan => "asp",
            ResourceKind::LogAnalyticsWorkspace => "log",
            ResourceKind::ApplicationInsights => "appi",
            ResourceKind::ServiceBusNamespace => "sbns",
            ResourceKind::FrontDoorProfile => "afd",
            ResourceKind::FrontDoorEndpoint => "fde",
            ResourceKind::VirtualNetwork => "vnet",
            ResourceKind::Subnet => "snet",
            ResourceKind::NetworkSecurityGroup => "nsg",
            ResourceKind::PrivateEndpoint => "pep",
            ResourceKind::TrafficManagerProfile => "traf",
            ResourceKind::RedisCache => "redis",
        }
    }

    /// The key users write under `naming.abbreviations`.
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::ResourceGroup => "resource_group",
            ResourceKind::CosmosAccount => "cosmos_account",
            ResourceKind::StorageAccount => "storage_account",
            ResourceKind::FunctionApp => "function_app",
            ResourceKind::ServicePlan => "service_plan",
            ResourceKind::LogAnalyticsWorkspace => "log_analytics_workspace",
            ResourceKind::ApplicationInsights => "application_insights",
            ResourceKind::ServiceBusNamespace => "servicebus_namespace",
            ResourceKind::FrontDoorProfile => "front_door_profile",
            ResourceKind::FrontDoorEndpoint => "front_door_endpoint",
            ResourceKind::VirtualNetwork => "virtual_network",
            ResourceKind::Subnet => "subnet",
            ResourceKind::NetworkSecurityGroup => "network_security_group",
            ResourceKind::PrivateEndpoint => "private_endpoint",
            ResourceKind::TrafficManagerProfile => "traffic_manager_profile",
            ResourceKind::RedisCache => "redis_cache",
        }
    }

    /// The kind whose [`key`](ResourceKind::key) is `key`, exactly.
    pub fn from_key(key: &str) -> Option<ResourceKind> {
        ALL_KINDS.iter().copied().find(|kind| kind.key() == key)
    }

    /// A lowercase, human name for messages: "storage account", "Cosmos DB account".
    pub fn display_name(self) -> &'static str {
        match self {
            ResourceKind::ResourceGroup => "resource group",
            ResourceKind::CosmosAccount => "Cosmos DB account",
            ResourceKind::StorageAccount => "storage account",
            ResourceKind::FunctionApp => "function app",
            ResourceKind::ServicePlan => "App Service plan",
            ResourceKind::LogAnalyticsWorkspace => "Log Analytics workspace",
            ResourceKind::ApplicationInsights => "Application Insights component",
            ResourceKind::ServiceBusNamespace => "Service Bus namespace",
            ResourceKind::FrontDoorProfile => "Front Door profile",
            ResourceKind::FrontDoorEndpoint => "Front Door endpoint",
            ResourceKind::VirtualNetwork => "virtual network",
            ResourceKind::Subnet => "subnet",
            ResourceKind::NetworkSecurityGroup => "network security group",
            ResourceKind::PrivateEndpoint => "private endpoint",
            ResourceKind::TrafficManagerProfile => "Traffic Manager profile",
            ResourceKind::RedisCache => "Redis cache",
        }
    }

    /// The Azure naming rule for this kind.
    pub fn rule(self) -> &'static NameRule {
        match self {
            ResourceKind::ResourceGroup => &RESOURCE_GROUP,
            ResourceKind::CosmosAccount => &COSMOS_ACCOUNT,
            ResourceKind::StorageAccount => &STORAGE_ACCOUNT,
            ResourceKind::FunctionApp => &FUNCTION_APP,
            ResourceKind::ServicePlan => &SERVICE_PLAN,
            ResourceKind::LogAnalyticsWorkspace => &LOG_ANALYTICS_WORKSPACE,
            ResourceKind::ApplicationInsights => &APPLICATION_INSIGHTS,
            ResourceKind::ServiceBusNamespace => &SERVICEBUS_NAMESPACE,
            ResourceKind::FrontDoorProfile => &FRONT_DOOR_PROFILE,
            ResourceKind::FrontDoorEndpoint => &FRONT_DOOR_ENDPOINT,
            ResourceKind::VirtualNetwork => &VIRTUAL_NETWORK,
            ResourceKind::Subnet => &SUBNET,
            ResourceKind::NetworkSecurityGroup => &NETWORK_SECURITY_GROUP,
            ResourceKind::PrivateEndpoint => &PRIVATE_ENDPOINT,
            ResourceKind::TrafficManagerProfile => &TRAFFIC_MANAGER_PROFILE,
            ResourceKind::RedisCache => &REDIS_CACHE,
        }
    }
}

impl fmt::Display for ResourceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.display_name())
    }
}

// ---------------------------------------------------------------------------------------------
// Rules
// ---------------------------------------------------------------------------------------------

/// The characters a name may contain. Only ASCII letters and digits count as alphanumeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `a-z 0-9`
    LowerAlphanumeric,
    /// `a-z 0-9 -`
    LowerAlphanumericHyphen,
    /// `a-z A-Z 0-9 -`
    AlphanumericHyphen,
    /// `a-z A-Z 0-9 - .`
    AlphanumericHyphenPeriod,
    /// `a-z A-Z 0-9 - _ .`
    AlphanumericHyphenUnderscorePeriod,
    /// `a-z A-Z 0-9 - _ . ( )`
    AlphanumericHyphenUnderscorePeriodParentheses,
}

impl Charset {
    /// Whether `c` is allowed anywhere in a name.
    pub fn allows(self, c: char) -> bool {
        match self {
            Charset::LowerAlphanumeric => c.is_ascii_lowercase() || c.is_ascii_digit(),
            Charset::LowerAlphanumericHyphen => {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
            }
            Charset::AlphanumericHyphen => c.is_ascii_alphanumeric() || c == '-',
            Charset::AlphanumericHyphenPeriod => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '.')
            }
            Charset::AlphanumericHyphenUnderscorePeriod => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
            }
            Charset::AlphanumericHyphenUnderscorePeriodParentheses => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')')
            }
        }
    }

    /// Whether a hyphen is allowed, which decides the separator before the unique suffix and
    /// whether punctuation is stripped during normalisation.
    pub fn allows_hyphen(self) -> bool {
        self.allows('-')
    }

    /// Whether only lowercase letters are allowed; such names are lowercased.
    pub fn is_lowercase_only(self) -> bool {
        matches!(
            self,
            Charset::LowerAlphanumeric | Charset::LowerAlphanumericHyphen
        )
    }

    /// The allowed characters, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Charset::LowerAlphanumeric => "lowercase letters and digits",
            Charset::LowerAlphanumericHyphen => "lowercase letters, digits and hyphens",
            Charset::AlphanumericHyphen => "letters, digits and hyphens",
            Charset::AlphanumericHyphenPeriod => "letters, digits, hyphens and periods",
            Charset::AlphanumericHyphenUnderscorePeriod => {
                "letters, digits, hyphens, underscores and periods"
            }
            Charset::AlphanumericHyphenUnderscorePeriodParentheses => {
                "letters, digits, hyphens, underscores, periods and parentheses"
            }
        }
    }
}

/// Where a name must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Across all of Azure (the name becomes a DNS label).
    Global,
    /// Within the subscription.
    Subscription,
    /// Within the resource group.
    ResourceGroup,
    /// Within the parent resource (a subnet within its virtual network).
    Parent,
}

/// What the first character of a name must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Any character of the charset.
    Any,
    /// An ASCII letter or digit.
    Alphanumeric,
    /// An ASCII letter.
    Letter,
}

/// What the last character of a name must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Any character of the charset.
    Any,
    /// An ASCII letter or digit.
    Alphanumeric,
    /// An ASCII letter, digit or an underscore.
    AlphanumericOrUnderscore,
    /// Anything but a period.
    NotPeriod,
}

/// Azure's naming rule for one resource kind (length in characters, allowed characters, first
/// and last character, uniqueness scope).
///
/// Sources: the Azure page "Naming rules and restrictions for Azure resources" and the name
/// validation of the azurerm provider; where they differ, the stricter of the two is used so
/// that a name passing here passes both `terraform validate` and the Azure API.
#[derive(Debug)]
pub struct NameRule {
    /// Minimum length in characters.
    pub min: usize,
    /// Maximum length in characters.
    pub max: usize,
    /// Allowed characters.
    pub charset: Charset,
    /// Whether the name must be unique across Azure. Such names get the unique suffix.
    pub globally_unique: bool,
    /// Where the name must be unique.
    pub scope: Scope,
    /// Constraint on the first character.
    pub start: Start,
    /// Constraint on the last character.
    pub end: End,
    /// Whether `--` is forbidden.
    pub no_consecutive_hyphens: bool,
    /// Endings Azure reserves (compared case-insensitively).
    pub reserved_suffixes: &'static [&'static str],
}

impl NameRule {
    /// Checks `name` against this rule, reporting the first violation.
    pub fn check(&self, kind: ResourceKind, name: &str) -> Result<(), NamingError> {
        let len = name.chars().count();
        if len > self.max {
            return Err(NamingError::TooLong {
                kind,
                name: name.to_owned(),
                max: self.max,
            });
        }
        if len < self.min {
            return Err(NamingError::TooShort {
                kind,
                name: name.to_owned(),
                min: self.min,
            });
        }
        let mut bad: Vec<char> = Vec::new();
        for c in name.chars() {
            if !self.charset.allows(c) && !bad.contains(&c) {
                bad.push(c);
            }
        }
        if !bad.is_empty() {
            let list: Vec<String> = bad.iter().map(|c| describe_char(*c)).collect();
            return Err(NamingError::InvalidCharacters {
                kind,
                name: name.to_owned(),
                detail: format!(
                    "contains {}, but only {} are allowed",
                    join_words(&list, "and"),
                    self.charset.describe()
                ),
            });
        }
        let invalid = |detail: String| NamingError::InvalidFormat {
            kind,
            name: name.to_owned(),
            detail,
        };
        // `min >= 1` for every kind, so `name` is not empty here; stay total anyway.
        if let Some(first) = name.chars().next() {
            match self.start {
                Start::Any => {}
                Start::Alphanumeric if !first.is_ascii_alphanumeric() => {
                    return Err(invalid("must start with a letter or a digit".to_owned()));
                }
                Start::Letter if !first.is_ascii_alphabetic() => {
                    return Err(invalid("must start with a letter".to_owned()));
                }
                Start::Alphanumeric | Start::Letter => {}
            }
        }
        if let Some(last) = name.chars().next_back() {
            match self.end {
                End::Any => {}
                End::Alphanumeric if !last.is_ascii_alphanumeric() => {
                    return Err(invalid("must end with a letter or a digit".to_owned()));
                }
                End::AlphanumericOrUnderscore if !(last.is_ascii_alphanumeric() || last == '_') => {
                    return Err(invalid(
                        "must end with a letter, a digit or an underscore".to_owned(),
                    ));
                }
                End::NotPeriod if last == '.' => {
                    return Err(invalid("must not end with a period".to_owned()));
                }
                End::Alphanumeric | End::AlphanumericOrUnderscore | End::NotPeriod => {}
            }
        }
        if self.no_consecutive_hyphens && name.contains("--") {
            return Err(invalid("must not contain consecutive hyphens".to_owned()));
        }
        let lower = name.to_ascii_lowercase();
        if let Some(suffix) = self
            .reserved_suffixes
            .iter()
            .find(|suffix| lower.ends_with(*suffix))
        {
            return Err(invalid(format!("must not end with `{suffix}`")));
        }
        Ok(())
    }
}

/// Resource group: 1-90, letters, digits, `-_.()`, not ending in a period; unique in the
/// subscription.
static RESOURCE_GROUP: NameRule = NameRule {
    min: 1,
    max: 90,
    charset: Charset::AlphanumericHyphenUnderscorePeriodParentheses,
    globally_unique: false,
    scope: Scope::Subscription,
    start: Start::Any,
    end: End::NotPeriod,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Cosmos DB account: 3-44, lowercase letters, digits and hyphens, starting and ending with a
/// letter or digit; global (`<name>.documents.azure.com`).
static COSMOS_ACCOUNT: NameRule = NameRule {
    min: 3,
    max: 44,
    charset: Charset::LowerAlphanumericHyphen,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Storage account: 3-24 lowercase letters and digits; global.
static STORAGE_ACCOUNT: NameRule = NameRule {
    min: 3,
    max: 24,
    charset: Charset::LowerAlphanumeric,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Function app: letters, digits and hyphens, starting and ending with a letter or digit;
/// global (`<name>.azurewebsites.net`).
///
/// Azure accepts 2-60 characters, but the Functions host ID is the app name truncated to 32
/// characters, and two apps whose host IDs collide on a shared storage account fail at
/// start-up. baas therefore caps function app names at 32, so the unique suffix is always
/// inside the host ID and collisions are caught here rather than at run time.
static FUNCTION_APP: NameRule = NameRule {
    min: 2,
    max: 32,
    charset: Charset::AlphanumericHyphen,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// App Service plan: 1-60, letters, digits and hyphens; unique in the resource group.
static SERVICE_PLAN: NameRule = NameRule {
    min: 1,
    max: 60,
    charset: Charset::AlphanumericHyphen,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Log Analytics workspace: 4-63, letters, digits and hyphens, starting and ending with a
/// letter or digit; unique in the resource group.
static LOG_ANALYTICS_WORKSPACE: NameRule = NameRule {
    min: 4,
    max: 63,
    charset: Charset::AlphanumericHyphen,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Application Insights: 1-260, letters, digits, `-_.()`, not ending in a period; unique in the
/// resource group.
static APPLICATION_INSIGHTS: NameRule = NameRule {
    min: 1,
    max: 260,
    charset: Charset::AlphanumericHyphenUnderscorePeriodParentheses,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Any,
    end: End::NotPeriod,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Service Bus namespace: 6-50, letters, digits and hyphens, starting with a letter, ending
/// with a letter or digit, not ending in `-sb` or `-mgmt`; global
/// (`<name>.servicebus.windows.net`).
static SERVICEBUS_NAMESPACE: NameRule = NameRule {
    min: 6,
    max: 50,
    charset: Charset::AlphanumericHyphen,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Letter,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &["-sb", "-mgmt"],
};

/// Front Door (Standard/Premium) profile: 2-90, letters, digits and hyphens, starting and
/// ending with a letter or digit; unique in the resource group.
static FRONT_DOOR_PROFILE: NameRule = NameRule {
    min: 2,
    max: 90,
    charset: Charset::AlphanumericHyphen,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Front Door endpoint: 2-46, letters, digits and hyphens, starting and ending with a letter
/// or digit; global (`<name>-<hash>.z01.azurefd.net`).
static FRONT_DOOR_ENDPOINT: NameRule = NameRule {
    min: 2,
    max: 46,
    charset: Charset::AlphanumericHyphen,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Virtual network: 2-64, letters, digits, `-_.`, starting with a letter or digit, ending with
/// a letter, digit or underscore; unique in the resource group.
static VIRTUAL_NETWORK: NameRule = NameRule {
    min: 2,
    max: 64,
    charset: Charset::AlphanumericHyphenUnderscorePeriod,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::AlphanumericOrUnderscore,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Subnet: 1-80, as a virtual network; unique in its virtual network.
static SUBNET: NameRule = NameRule {
    min: 1,
    max: 80,
    charset: Charset::AlphanumericHyphenUnderscorePeriod,
    globally_unique: false,
    scope: Scope::Parent,
    start: Start::Alphanumeric,
    end: End::AlphanumericOrUnderscore,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Network security group: 1-80, as a virtual network; unique in the resource group.
static NETWORK_SECURITY_GROUP: NameRule = NameRule {
    min: 1,
    max: 80,
    charset: Charset::AlphanumericHyphenUnderscorePeriod,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::AlphanumericOrUnderscore,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Private endpoint: 2-64, as a virtual network; unique in the resource group.
static PRIVATE_ENDPOINT: NameRule = NameRule {
    min: 2,
    max: 64,
    charset: Charset::AlphanumericHyphenUnderscorePeriod,
    globally_unique: false,
    scope: Scope::ResourceGroup,
    start: Start::Alphanumeric,
    end: End::AlphanumericOrUnderscore,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Traffic Manager profile: 1-63, letters, digits, hyphens and periods, starting and ending
/// with a letter or digit; global (`<name>.trafficmanager.net`).
static TRAFFIC_MANAGER_PROFILE: NameRule = NameRule {
    min: 1,
    max: 63,
    charset: Charset::AlphanumericHyphenPeriod,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: false,
    reserved_suffixes: &[],
};

/// Redis cache: 1-63, letters, digits and hyphens, starting and ending with a letter or digit,
/// no consecutive hyphens; global (`<name>.redis.cache.windows.net`).
static REDIS_CACHE: NameRule = NameRule {
    min: 1,
    max: 63,
    charset: Charset::AlphanumericHyphen,
    globally_unique: true,
    scope: Scope::Global,
    start: Start::Alphanumeric,
    end: End::Alphanumeric,
    no_consecutive_hyphens: true,
    reserved_suffixes: &[],
};

// ---------------------------------------------------------------------------------------------
// Configuration and parts
// ---------------------------------------------------------------------------------------------

/// The `naming:` section of backend.yaml.
///
/// `Default` gives `unique_suffix: false`; the documented default of the file format is `true`,
/// which [`NamingConfig::standard`] gives and callers should use when the key is absent.
#[derive(Debug, Clone, Default)]
pub struct NamingConfig {
    /// `naming.template`; [`DEFAULT_TEMPLATE`] when `None`.
    pub template: Option<String>,
    /// `naming.abbreviations`: overrides keyed by [`ResourceKind::key`].
    pub abbreviations: BTreeMap<String, String>,
    /// `naming.unique_suffix`: append a deterministic hash to globally unique names.
    pub unique_suffix: bool,
    /// `naming.salt`: extra input to that hash.
    pub salt: String,
}

impl NamingConfig {
    /// The configuration of a file without a `naming:` section: default template, no
    /// overrides, unique suffix on, empty salt.
    pub fn standard() -> NamingConfig {
        NamingConfig {
            unique_suffix: true,
            ..NamingConfig::default()
        }
    }
}

/// What one name is made of.
#[derive(Debug, Clone, Copy)]
pub struct NameParts<'a> {
    /// The application name (`name:` in backend.yaml), template variable `name`.
    pub app: &'a str,
    /// The environment, template variable `env`.
    pub env: &'a str,
    /// The short region code such as `eus`, template variable `region`.
    pub region: &'a str,
    /// The full region such as `eastus`, template variable `location`.
    pub location: &'a str,
    /// What distinguishes resources of one kind: `node`, a component key, or empty. Template
    /// variable `instance`.
    pub instance: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Namer
// ---------------------------------------------------------------------------------------------

/// Builds names from a validated [`NamingConfig`].
#[derive(Debug)]
pub struct Namer {
    registry: Handlebars<'static>,
    abbreviations: BTreeMap<ResourceKind, String>,
    unique_suffix: bool,
    salt: String,
}

impl Namer {
    /// Compiles the template once (handlebars, strict mode: an unknown variable is an error)
    /// and checks the abbreviation overrides. Fails with the first problem; use
    /// [`config_errors`] to get all of them.
    pub fn new(config: &NamingConfig) -> Result<Namer, NamingError> {
        let registry = compile_template(config.template.as_deref())?;
        let mut abbreviations = BTreeMap::new();
        for (key, value) in &config.abbreviations {
            match ResourceKind::from_key(key) {
                Some(kind) => {
                    abbreviations.insert(kind, value.clone());
                }
                None => return Err(unknown_key_error(key)),
            }
        }
        Ok(Namer {
            registry,
            abbreviations,
            unique_suffix: config.unique_suffix,
            salt: config.salt.clone(),
        })
    }

    /// The abbreviation in effect for `kind`: the override if there is one, else the CAF one.
    pub fn abbreviation(&self, kind: ResourceKind) -> &str {
        self.abbreviations
            .get(&kind)
            .map_or_else(|| kind.abbreviation(), String::as_str)
    }

    /// Whether names of `kind` get the unique suffix under this configuration.
    pub fn adds_suffix(&self, kind: ResourceKind) -> bool {
        self.unique_suffix && kind.rule().globally_unique
    }

    /// The name of one resource.
    ///
    /// Renders the template, collapses separators left by empty parts, normalises for the
    /// kind, and for globally unique kinds (with `unique_suffix` on) appends the unique hash
    /// (see [`unique_hash`]).
    ///
    /// **Truncation.** When the human part plus separator plus hash is longer than the kind
    /// allows, the human part is cut at a character boundary to fit and trailing separators
    /// are trimmed; the hash is never cut. The name stays deterministic and, through the hash
    /// over the full parts, unique. Names without a hash are never shortened: over the limit
    /// they are [`NamingError::TooLong`].
    pub fn name(&self, kind: ResourceKind, parts: &NameParts<'_>) -> Result<String, NamingError> {
        let rule = kind.rule();
        let data = serde_json::json!({
            "abbr": self.abbreviation(kind),
            "name": parts.app,
            "env": parts.env,
            "region": parts.region,
            "location": parts.location,
            "instance": parts.instance,
        });
        let rendered = self
            .registry
            .render(TEMPLATE_NAME, &data)
            .map_err(|e| render_error(&e))?;
        let human = normalise(rule.charset, &collapse_separators(&rendered));
        let name = if self.adds_suffix(kind) {
            let hash = unique_hash(kind, parts, &self.salt);
            let separator = if rule.charset.allows_hyphen() {
                "-"
            } else {
                ""
            };
            append_suffix(&human, separator, &hash, rule.max)
        } else {
            human
        };
        rule.check(kind, &name)?;
        Ok(name)
    }
}

/// Every problem in `config` (template first, then unknown abbreviation keys in key order),
/// for reporting them all in one run.
pub fn config_errors(config: &NamingConfig) -> Vec<NamingError> {
    let mut errors = Vec::new();
    if let Err(e) = compile_template(config.template.as_deref()) {
        errors.push(e);
    }
    for key in config.abbreviations.keys() {
        if ResourceKind::from_key(key).is_none() {
            errors.push(unknown_key_error(key));
        }
    }
    errors
}

/// The unique suffix of a globally unique name: the first [`HASH_LEN`] lowercase hex digits
/// of SHA-256 over `app \0 env \0 location \0 salt \0 kind key \0 instance`.
///
/// The abbreviation and the template are deliberately not inputs, so restyling names keeps
/// each resource's hash.
pub fn unique_hash(kind: ResourceKind, parts: &NameParts<'_>, salt: &str) -> String {
    let mut hasher = Sha256::new();
    for (i, field) in [
        parts.app,
        parts.env,
        parts.location,
        salt,
        kind.key(),
        parts.instance,
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            hasher.update([0u8]);
        }
        hasher.update(field.as_bytes());
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(HASH_LEN + 1);
    for byte in digest.iter().take(HASH_LEN.div_ceil(2)) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex.truncate(HASH_LEN);
    hex
}

fn compile_template(template: Option<&str>) -> Result<Handlebars<'static>, NamingError> {
    let source = template.unwrap_or(DEFAULT_TEMPLATE);
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    registry
        .register_template_string(TEMPLATE_NAME, source)
        .map_err(|e| {
            let position = e
                .pos()
                .map(|(line, column)| format!(" at line {line}, column {column}"))
                .unwrap_or_default();
            NamingError::Template {
                message: format!(
                    "is not a valid handlebars template{position}: {}",
                    e.reason()
                ),
            }
        })?;
    // Unknown variables only surface when rendering: render with every variable set, once
    // non-empty and once empty (to reach both sides of `{{#if}}`), so a typo is an error now
    // rather than on the first name.
    for value in ["x", ""] {
        let sample: serde_json::Map<String, serde_json::Value> = TEMPLATE_VARIABLES
            .iter()
            .map(|v| ((*v).to_owned(), serde_json::Value::String(value.to_owned())))
            .collect();
        registry
            .render(TEMPLATE_NAME, &sample)
            .map_err(|e| render_error(&e))?;
    }
    Ok(registry)
}

fn render_error(error: &handlebars::RenderError) -> NamingError {
    let message = match error.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => {
            let root = path
                .trim_start_matches("./")
                .split(['.', '/', '['])
                .next()
                .unwrap_or(path);
            match suggest(root, TEMPLATE_VARIABLES.iter().copied(), VARIABLE_ALIASES) {
                Some(s) => format!("uses unknown variable `{path}` (did you mean `{s}`?)"),
                None => format!("uses unknown variable `{path}`"),
            }
        }
        RenderErrorReason::MissingVariable(None) => "uses an unknown variable".to_owned(),
        RenderErrorReason::HelperNotFound(helper) => format!("uses unknown helper `{helper}`"),
        RenderErrorReason::PartialNotFound(partial) => {
            format!("uses partial `{partial}`, but partials are not supported")
        }
        other => format!("cannot be rendered: {other}"),
    };
    NamingError::Template { message }
}

/// Names people reach for instead of the template variables.
const VARIABLE_ALIASES: &[(&str, &str)] = &[
    ("app", "name"),
    ("application", "name"),
    ("environment", "env"),
    ("abbreviation", "abbr"),
    ("prefix", "abbr"),
    ("type", "abbr"),
    ("short_region", "region"),
    ("region_code", "region"),
    ("component", "instance"),
    ("key", "instance"),
];

fn unknown_key_error(key: &str) -> NamingError {
    let abbreviation_aliases: Vec<(&str, &str)> = ALL_KINDS
        .iter()
        .map(|k| (k.abbreviation(), k.key()))
        .collect();
    NamingError::UnknownAbbreviationKey {
        key: key.to_owned(),
        suggestion: suggest(
            key,
            ALL_KINDS.iter().map(|k| k.key()),
            &abbreviation_aliases,
        )
        .map(str::to_owned),
    }
}

/// Collapses runs of the same separator and trims separators at both ends:
/// `rg-shop--prod-` becomes `rg-shop-prod`.
fn collapse_separators(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    let mut previous: Option<char> = None;
    for c in rendered.chars() {
        if SEPARATORS.contains(&c) && previous == Some(c) {
            continue;
        }
        out.push(c);
        previous = Some(c);
    }
    out.trim_matches(SEPARATORS.as_slice()).to_owned()
}

/// Kinds without hyphens drop all punctuation; lowercase-only kinds are lowercased.
fn normalise(charset: Charset, name: &str) -> String {
    let kept: String = if charset.allows_hyphen() {
        name.to_owned()
    } else {
        name.chars().filter(|c| c.is_alphanumeric()).collect()
    };
    if charset.is_lowercase_only() {
        kept.to_lowercase()
    } else {
        kept
    }
}

/// `human + separator + hash`, cutting `human` so the whole fits in `max` characters.
fn append_suffix(human: &str, separator: &str, hash: &str, max: usize) -> String {
    let budget = max.saturating_sub(separator.chars().count() + hash.chars().count());
    let mut head: String = human.chars().take(budget).collect();
    while head.ends_with(SEPARATORS) {
        head.pop();
    }
    if head.is_empty() {
        hash.to_owned()
    } else {
        format!("{head}{separator}{hash}")
    }
}

// ---------------------------------------------------------------------------------------------
// Suggestions
// ---------------------------------------------------------------------------------------------

/// The candidate `input` most likely meant, ignoring case and separators, by its aliases or by
/// edit distance ([`Measure::Edits`]).
fn suggest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    aliases: &[(&str, &str)],
) -> Option<&'a str> {
    let closeness = Closeness {
        measure: Measure::Edits,
        aliases,
    };
    suggestions(input, candidates, &closeness)
        .into_iter()
        .next()
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/// Why a name could not be built. `Display` gives the problem and the fix; [`message`] and
/// [`help`] give them separately.
///
/// [`message`]: NamingError::message
/// [`help`]: NamingError::help
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamingError {
    /// `naming.template` does not parse or uses something that does not exist. `message`
    /// completes the sentence "`naming.template` ...".
    Template { message: String },
    /// A key under `naming.abbreviations` is not a [`ResourceKind::key`].
    UnknownAbbreviationKey {
        key: String,
        suggestion: Option<String>,
    },
    /// The name is longer than Azure allows for the kind.
    TooLong {
        kind: ResourceKind,
        name: String,
        max: usize,
    },
    /// The name is shorter than Azure allows for the kind.
    TooShort {
        kind: ResourceKind,
        name: String,
        min: usize,
    },
    /// The name has characters the kind does not allow; `detail` lists them.
    InvalidCharacters {
        kind: ResourceKind,
        name: String,
        detail: String,
    },
    /// The name's first or last character, or a reserved ending, breaks the kind's rule.
    InvalidFormat {
        kind: ResourceKind,
        name: String,
        detail: String,
    },
}

impl NamingError {
    /// The resource kind the error is about, if any.
    pub fn kind(&self) -> Option<ResourceKind> {
        match self {
            NamingError::Template { .. } | NamingError::UnknownAbbreviationKey { .. } => None,
            NamingError::TooLong { kind, .. }
            | NamingError::TooShort { kind, .. }
            | NamingError::InvalidCharacters { kind, .. }
            | NamingError::InvalidFormat { kind, .. } => Some(*kind),
        }
    }

    /// The problem alone, without the fix.
    pub fn message(&self) -> String {
        match self {
            NamingError::Template { message } => format!("`naming.template` {message}"),
            NamingError::UnknownAbbreviationKey { key, .. } => {
                format!("unknown resource type `{key}` in `naming.abbreviations`")
            }
            NamingError::TooLong { kind, name, max } => format!(
                "the {kind} name `{name}` is {} characters long, but Azure allows at most {max}",
                name.chars().count()
            ),
            NamingError::TooShort { kind, name, min } => format!(
                "the {kind} name `{name}` is {} characters long, but Azure requires at least {min}",
                name.chars().count()
            ),
            NamingError::InvalidCharacters { kind, name, detail }
            | NamingError::InvalidFormat { kind, name, detail } => {
                format!("the {kind} name `{name}` {detail}")
            }
        }
    }

    /// How to fix it.
    pub fn help(&self) -> Option<String> {
        let help = match self {
            NamingError::Template { .. } => format!(
                "the template variables are {}",
                join_words(
                    &TEMPLATE_VARIABLES
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>(),
                    "and"
                )
            ),
            NamingError::UnknownAbbreviationKey {
                suggestion: Some(suggestion),
                ..
            } => format!("did you mean `{suggestion}`?"),
            NamingError::UnknownAbbreviationKey {
                suggestion: None, ..
            } => format!(
                "the keys are {}",
                join_words(
                    &ALL_KINDS
                        .iter()
                        .map(|k| format!("`{}`", k.key()))
                        .collect::<Vec<_>>(),
                    "and"
                )
            ),
            NamingError::TooLong { kind, .. } => {
                let mut help = format!(
                    "use a shorter `name` or `environment`, a shorter abbreviation in \
                     `naming.abbreviations.{}`, or fewer parts in `naming.template`",
                    kind.key()
                );
                if kind.rule().globally_unique {
                    help.push_str(
                        "; with `naming.unique_suffix: true` long names are shortened before \
                         their hash instead",
                    );
                }
                help
            }
            NamingError::TooShort { kind, .. } => format!(
                "use a longer `name`, a longer abbreviation in `naming.abbreviations.{}`, or add \
                 parts such as `{{{{env}}}}` to `naming.template`",
                kind.key()
            ),
            NamingError::InvalidCharacters { kind, .. }
            | NamingError::InvalidFormat { kind, .. } => format!(
                "change `naming.template` or `naming.abbreviations.{}` so the name only has {}, \
                 starting and ending as Azure requires",
                kind.key(),
                kind.rule().charset.describe()
            ),
        };
        Some(help)
    }
}

impl fmt::Display for NamingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(help) = self.help() {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NamingError {}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "spaces".to_owned(),
        '`' => "backticks".to_owned(),
        c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    const SHOP: NameParts<'static> = NameParts {
        app: "shop",
        env: "prod",
        region: "eus",
        location: "eastus",
        instance: "node",
    };

    fn check(
        kind: ResourceKind,
        parts: &NameParts<'_>,
        config: &NamingConfig,
    ) -> Result<String, NamingError> {
        Namer::new(config)?.name(kind, parts)
    }

    fn standard() -> NamingConfig {
        NamingConfig::standard()
    }

    fn is_hash(s: &str) -> bool {
        s.len() == HASH_LEN
            && s.chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
    }

    #[test]
    fn default_names_for_every_kind() {
        let namer = Namer::new(&standard()).unwrap();
        let mut table = String::new();
        for kind in ResourceKind::all() {
            let name = namer.name(*kind, &SHOP).unwrap();
            let rule = kind.rule();
            table.push_str(&format!(
                "{:<24} {:<6} {:>3}-{:<3} {:<6} {name}\n",
                kind.key(),
                kind.abbreviation(),
                rule.min,
                rule.max,
                if rule.globally_unique { "global" } else { "" },
            ));
        }
        insta::assert_snapshot!("default_names", table);
    }

    #[test]
    fn every_default_name_passes_its_rule_and_keeps_its_prefix() {
        let namer = Namer::new(&standard()).unwrap();
        for kind in ResourceKind::all() {
            let name = namer.name(*kind, &SHOP).unwrap();
            kind.rule().check(*kind, &name).unwrap();
            let expected = if kind.rule().charset.allows_hyphen() {
                format!("{}-shop-node-prod-eus", kind.abbreviation())
            } else {
                format!("{}shopnodeprodeus", kind.abbreviation())
            };
            assert!(name.starts_with(&expected), "{name} for {kind:?}");
            if kind.rule().globally_unique {
                assert!(is_hash(&name[name.len() - HASH_LEN..]), "{name}");
            } else {
                assert_eq!(name, expected);
            }
        }
    }

    #[test]
    fn rule_table_is_consistent() {
        let mut abbreviations = Vec::new();
        for kind in ResourceKind::all() {
            let rule = kind.rule();
            assert!(rule.min >= 1 && rule.min <= rule.max, "{kind:?}");
            assert_eq!(
                rule.globally_unique,
                rule.scope == Scope::Global,
                "{kind:?}"
            );
            assert_eq!(ResourceKind::from_key(kind.key()), Some(*kind));
            assert!(!abbreviations.contains(&kind.abbreviation()));
            abbreviations.push(kind.abbreviation());
            // A name of just the hash must be valid, so truncation never produces a bad name.
            if rule.globally_unique {
                rule.check(*kind, "a0b1c2").unwrap();
            }
        }
        assert_eq!(ResourceKind::all().len(), 16);
        assert_eq!(ResourceKind::from_key("storage"), None);
    }

    #[test]
    fn storage_account_strips_hyphens_and_fits() {
        let name = check(ResourceKind::StorageAccount, &SHOP, &standard()).unwrap();
        assert!(name.starts_with("stshopnodeprodeus"), "{name}");
        assert!(!name.contains('-'));
        assert_eq!(name.len(), "stshopnodeprodeus".len() + HASH_LEN);
        assert!(name.len() <= 24);

        let config = NamingConfig {
            template: Some("{{abbr}}_{{name}}.{{env}}-{{region}}".to_owned()),
            ..standard()
        };
        let name = check(ResourceKind::StorageAccount, &SHOP, &config).unwrap();
        assert!(name.starts_with("stshopprodeus"), "{name}");
    }

    #[test]
    fn storage_account_lowercases() {
        let parts = NameParts {
            app: "Shop",
            ..SHOP
        };
        let name = check(ResourceKind::StorageAccount, &parts, &standard()).unwrap();
        assert!(name.starts_with("stshopnode"), "{name}");
    }

    #[test]
    fn long_names_are_truncated_but_keep_their_hash() {
        let parts = NameParts {
            app: "inventorysvc",
            env: "staging1",
            region: "weu",
            location: "westeurope",
            instance: "orders-history",
        };
        let namer = Namer::new(&standard()).unwrap();
        let hash = unique_hash(ResourceKind::StorageAccount, &parts, "");

        let storage = namer.name(ResourceKind::StorageAccount, &parts).unwrap();
        assert_eq!(storage.len(), 24);
        assert_eq!(storage, format!("stinventorysvcorde{hash}"));

        let func = namer.name(ResourceKind::FunctionApp, &parts).unwrap();
        let func_hash = unique_hash(ResourceKind::FunctionApp, &parts, "");
        // 25 characters of human part end on a hyphen, which is trimmed rather than doubled.
        assert_eq!(func, format!("func-inventorysvc-orders-{func_hash}"));
        assert_eq!(func.len(), 31);
        assert_ne!(hash, func_hash);
    }

    #[test]
    fn truncation_trims_trailing_separators() {
        assert_eq!(append_suffix("abc-def", "-", "123456", 11), "abc-123456");
        assert_eq!(
            append_suffix("abc-def", "-", "123456", 20),
            "abc-def-123456"
        );
        assert_eq!(append_suffix("", "-", "123456", 20), "123456");
        assert_eq!(append_suffix("---", "-", "123456", 20), "123456");
    }

    #[test]
    fn same_input_same_hash_and_salt_changes_it() {
        let a = check(ResourceKind::CosmosAccount, &SHOP, &standard()).unwrap();
        let b = check(ResourceKind::CosmosAccount, &SHOP, &standard()).unwrap();
        assert_eq!(a, b);

        let salted = NamingConfig {
            salt: "contoso".to_owned(),
            ..standard()
        };
        let c = check(ResourceKind::CosmosAccount, &SHOP, &salted).unwrap();
        assert_ne!(a, c);
        assert_eq!(&a[..a.len() - HASH_LEN], &c[..c.len() - HASH_LEN]);

        // The hash is a pure function of its documented inputs.
        let expected = {
            let digest = Sha256::digest(b"shop\0prod\0eastus\0\0cosmos_account\0node");
            format!("{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2])
        };
        assert_eq!(
            unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
            expected
        );
        assert!(a.ends_with(&expected));

        // Kind and instance both feed the hash.
        let other_instance = NameParts {
            instance: "api",
            ..SHOP
        };
        assert_ne!(
            unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
            unique_hash(ResourceKind::CosmosAccount, &other_instance, "")
        );
        assert_ne!(
            unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
            unique_hash(ResourceKind::RedisCache, &SHOP, "")
        );
        // The abbreviation does not.
        let overridden = NamingConfig {
            abbreviations: BTreeMap::from([("cosmos_account".to_owned(), "cosno".to_owned())]),
            ..standard()
        };
        let d = check(ResourceKind::CosmosAccount, &SHOP, &overridden).unwrap();
        assert_eq!(d, a.replacen("cosmos-", "cosno-", 1));
    }

    #[test]
    fn custom_template() {
        let config = NamingConfig {
            template: Some("{{abbr}}-{{name}}-{{env}}-{{location}}".to_owned()),
            ..standard()
        };
        assert_eq!(
            check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
            "rg-shop-prod-eastus"
        );
        let config = NamingConfig {
            template: Some("{{name}}{{#if instance}}-{{instance}}{{/if}}-{{env}}".to_owned()),
            ..standard()
        };
        let parts = NameParts {
            instance: "",
            ..SHOP
        };
        assert_eq!(
            check(ResourceKind::VirtualNetwork, &parts, &config).unwrap(),
            "shop-prod"
        );
        assert_eq!(
            check(ResourceKind::VirtualNetwork, &SHOP, &config).unwrap(),
            "shop-node-prod"
        );
    }

    #[test]
    fn empty_parts_collapse_separators() {
        let parts = NameParts {
            instance: "",
            ..SHOP
        };
        assert_eq!(
            check(ResourceKind::ResourceGroup, &parts, &standard()).unwrap(),
            "rg-shop-prod-eus"
        );
        let config = NamingConfig {
            template: Some("{{instance}}-{{abbr}}--{{name}}-{{instance}}".to_owned()),
            ..standard()
        };
        assert_eq!(
            check(ResourceKind::ResourceGroup, &parts, &config).unwrap(),
            "rg-shop"
        );
    }

    #[test]
    fn template_with_unknown_variable_errors() {
        let config = NamingConfig {
            template: Some("{{abbr}}-{{environment}}".to_owned()),
            ..standard()
        };
        let err = Namer::new(&config).unwrap_err();
        assert_eq!(
            err,
            NamingError::Template {
                message: "uses unknown variable `environment` (did you mean `env`?)".to_owned()
            }
        );
        assert_eq!(
            err.to_string(),
            "`naming.template` uses unknown variable `environment` (did you mean `env`?); the \
             template variables are `abbr`, `name`, `env`, `region`, `location` and `instance`"
        );

        let config = NamingConfig {
            template: Some("{{abbr}}-{{nmae}}".to_owned()),
            ..standard()
        };
        let err = Namer::new(&config).unwrap_err();
        assert!(err.to_string().contains("did you mean `name`?"), "{err}");

        let config = NamingConfig {
            template: Some("{{abbr}-{{name}}".to_owned()),
            ..standard()
        };
        let err = Namer::new(&config).unwrap_err();
        assert!(
            err.message()
                .starts_with("`naming.template` is not a valid handlebars template at line 1"),
            "{err}"
        );

        let config = NamingConfig {
            template: Some("{{upper name}}".to_owned()),
            ..standard()
        };
        let err = Namer::new(&config).unwrap_err();
        assert_eq!(
            err.message(),
            "`naming.template` uses unknown helper `upper`"
        );
    }

    #[test]
    fn non_unique_kind_too_long_errors() {
        let parts = NameParts {
            instance: "a-very-long-component-key-that-goes-on-and-on-and-on-for-ever",
            ..SHOP
        };
        let err = check(ResourceKind::LogAnalyticsWorkspace, &parts, &standard()).unwrap_err();
        let name = format!("log-shop-{}-prod-eus", parts.instance);
        assert_eq!(
            err,
            NamingError::TooLong {
                kind: ResourceKind::LogAnalyticsWorkspace,
                name: name.clone(),
                max: 63
            }
        );
        assert_eq!(
            err.to_string(),
            format!(
                "the Log Analytics workspace name `{name}` is {} characters long, but Azure \
                 allows at most 63; use a shorter `name` or `environment`, a shorter \
                 abbreviation in `naming.abbreviations.log_analytics_workspace`, or fewer parts \
                 in `naming.template`",
                name.len()
            )
        );
    }

    #[test]
    fn globally_unique_without_suffix_is_not_truncated() {
        let parts = NameParts {
            app: "inventorysvc",
            env: "staging1",
            ..SHOP
        };
        let config = NamingConfig {
            unique_suffix: false,
            ..standard()
        };
        let err = check(ResourceKind::StorageAccount, &parts, &config).unwrap_err();
        assert!(
            matches!(err, NamingError::TooLong { max: 24, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("`naming.unique_suffix: true`"));
    }

    #[test]
    fn too_short_errors() {
        let config = NamingConfig {
            template: Some("{{abbr}}".to_owned()),
            unique_suffix: false,
            ..standard()
        };
        let err = check(ResourceKind::LogAnalyticsWorkspace, &SHOP, &config).unwrap_err();
        assert_eq!(
            err,
            NamingError::TooShort {
                kind: ResourceKind::LogAnalyticsWorkspace,
                name: "log".to_owned(),
                min: 4
            }
        );
        assert!(err.to_string().contains("`{{env}}`"), "{err}");
    }

    #[test]
    fn invalid_characters_and_format() {
        let config = NamingConfig {
            template: Some("{{abbr}}_{{name}}".to_owned()),
            ..standard()
        };
        let err = check(ResourceKind::FunctionApp, &SHOP, &config).unwrap_err();
        assert_eq!(
            err.message(),
            "the function app name `func_shop-5bb0c6` contains `_`, but only letters, digits and \
             hyphens are allowed"
                .replace("5bb0c6", &unique_hash(ResourceKind::FunctionApp, &SHOP, ""))
        );

        let parts = NameParts {
            app: "9lives",
            ..SHOP
        };
        let config = NamingConfig {
            template: Some("{{name}}-{{env}}".to_owned()),
            ..standard()
        };
        let err = check(ResourceKind::ServiceBusNamespace, &parts, &config).unwrap_err();
        assert!(matches!(err, NamingError::InvalidFormat { .. }), "{err:?}");
        assert!(err.message().ends_with("must start with a letter"), "{err}");

        let config = NamingConfig {
            template: Some("{{name}}-{{env}}-sb".to_owned()),
            unique_suffix: false,
            ..standard()
        };
        let err = check(ResourceKind::ServiceBusNamespace, &SHOP, &config).unwrap_err();
        assert_eq!(
            err.message(),
            "the Service Bus namespace name `shop-prod-sb` must not end with `-sb`"
        );

        let config = NamingConfig {
            template: Some("{{name}} {{env}}".to_owned()),
            ..standard()
        };
        let err = check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap_err();
        assert!(err.message().contains("contains spaces"), "{err}");

        let err = RESOURCE_GROUP
            .check(ResourceKind::ResourceGroup, "rg.")
            .unwrap_err();
        assert!(err.message().ends_with("must not end with a period"));
        let err = REDIS_CACHE
            .check(ResourceKind::RedisCache, "redis--x")
            .unwrap_err();
        assert!(err
            .message()
            .ends_with("must not contain consecutive hyphens"));
        VIRTUAL_NETWORK
            .check(ResourceKind::VirtualNetwork, "vnet_")
            .unwrap();
    }

    #[test]
    fn unknown_abbreviation_key_suggests() {
        for (typo, expected) in [
            ("stroage_account", Some("storage_account")),
            ("StorageAccount", Some("storage_account")),
            ("storage-account", Some("storage_account")),
            ("st", Some("storage_account")),
            ("cosmos", Some("cosmos_account")),
            ("cosmosdb_account", Some("cosmos_account")),
            ("service_bus_namespace", Some("servicebus_namespace")),
            ("function", Some("function_app")),
            ("frontdoor_profile", Some("front_door_profile")),
            ("kubernetes", None),
        ] {
            let config = NamingConfig {
                abbreviations: BTreeMap::from([(typo.to_owned(), "x".to_owned())]),
                ..standard()
            };
            let err = Namer::new(&config).unwrap_err();
            assert_eq!(
                err,
                NamingError::UnknownAbbreviationKey {
                    key: typo.to_owned(),
                    suggestion: expected.map(str::to_owned)
                },
                "{typo}"
            );
        }
        let config = NamingConfig {
            abbreviations: BTreeMap::from([("stroage_account".to_owned(), "sa".to_owned())]),
            ..standard()
        };
        assert_eq!(
            Namer::new(&config).unwrap_err().to_string(),
            "unknown resource type `stroage_account` in `naming.abbreviations`; did you mean \
             `storage_account`?"
        );
    }

    #[test]
    fn abbreviation_override_applies() {
        let config = NamingConfig {
            abbreviations: BTreeMap::from([("resource_group".to_owned(), "grp".to_owned())]),
            ..standard()
        };
        assert_eq!(
            check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
            "grp-shop-node-prod-eus"
        );
        // An empty override drops the abbreviation; the separators collapse.
        let config = NamingConfig {
            abbreviations: BTreeMap::from([("resource_group".to_owned(), String::new())]),
            ..standard()
        };
        assert_eq!(
            check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
            "shop-node-prod-eus"
        );
    }

    #[test]
    fn config_errors_reports_everything() {
        let config = NamingConfig {
            template: Some("{{nope}}".to_owned()),
            abbreviations: BTreeMap::from([
                ("resource_grup".to_owned(), "x".to_owned()),
                ("subnet".to_owned(), "sn".to_owned()),
                ("vnet".to_owned(), "x".to_owned()),
            ]),
            ..standard()
        };
        let errors = config_errors(&config);
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(matches!(errors[0], NamingError::Template { .. }));
        assert_eq!(
            errors[2],
            NamingError::UnknownAbbreviationKey {
                key: "vnet".to_owned(),
                suggestion: Some("virtual_network".to_owned())
            }
        );
        assert!(config_errors(&standard()).is_empty());
    }

    #[test]
    fn unique_suffix_false_leaves_no_hash() {
        let config = NamingConfig {
            unique_suffix: false,
            ..standard()
        };
        let namer = Namer::new(&config).unwrap();
        for kind in ResourceKind::all() {
            let name = namer.name(*kind, &SHOP).unwrap();
            let expected = if kind.rule().charset.allows_hyphen() {
                format!("{}-shop-node-prod-eus", kind.abbreviation())
            } else {
                format!("{}shopnodeprodeus", kind.abbreviation())
            };
            assert_eq!(name, expected, "{kind:?}");
        }
    }
}
