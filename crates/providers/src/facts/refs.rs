//! The addresses and attributes providers point at in each other's resources. Each resource's
//! Terraform address is written here once; the provider that creates the resource and the
//! providers that refer to it both take it from here.

use crate::context::{Context, StackInfo, StackRole};
use baas_model::requirement::SHARED_SERVICEBUS;
use baas_model::Backend;
use baas_terraform::Address;

/// The one resource group of a stack: created, or read by name when the landing zone
/// provides it (`resource_group.name`).
pub fn resource_group(backend: &baas_model::Backend) -> Address {
    if backend.resource_group.is_some() {
        Address::data("azurerm_resource_group", "main")
    } else {
        Address::resource("azurerm_resource_group", "main")
    }
}

/// The function app `key`. Every plan baas deploys is a `azurerm_linux_function_app`; Flex
/// Consumption, which has its own resource type, is refused (`baas::functions::flex_consumption`).
pub fn function_app(_context: &Context<'_>, key: &str) -> Address {
    Address::resource("azurerm_linux_function_app", key)
}

/// The system-assigned identity of a function app, for role assignments made elsewhere.
pub fn principal_id(context: &Context<'_>, key: &str) -> String {
    function_app(context, key).attr("identity[0].principal_id")
}

/// A storage account (the function hosts' shared one, or a static site's).
pub fn storage_account(key: &str) -> Address {
    Address::resource("azurerm_storage_account", key)
}

/// A blob container of the function hosts' storage account.
pub fn storage_container(name: &str) -> Address {
    Address::resource("azurerm_storage_container", name)
}

/// The shared Log Analytics workspace of a stack: created, or read by name when the landing
/// zone provides it (`monitoring.workspace`).
pub fn workspace(backend: &Backend) -> Address {
    if backend.monitoring.workspace.is_some() {
        Address::data("azurerm_log_analytics_workspace", "shared")
    } else {
        Address::resource("azurerm_log_analytics_workspace", "shared")
    }
}

/// The shared Application Insights component.
pub fn insights() -> Address {
    Address::resource("azurerm_application_insights", "shared")
}

/// A Cosmos DB account created by this stack.
pub fn cosmos_account(key: &str) -> Address {
    Address::resource("azurerm_cosmosdb_account", key)
}

/// Whether a stack holds the Cosmos DB data (the databases and containers, in the account it
/// creates or in the landing zone's), or uses the geo-replicated account of the stack that does:
/// a disaster-recovery secondary uses its primary's, and under `multi-region` with `data:
/// global` every region but the primary `location` uses that region's.
pub fn holds_cosmos_data(backend: &Backend, stack: &StackInfo) -> bool {
    match stack.role {
        StackRole::Secondary => false,
        StackRole::Region => {
            backend
                .deployment
                .shared_data_regions(backend.location.value)
                .is_none()
                || stack.region.name == backend.location.value.name
        }
        _ => true,
    }
}

/// Whether a stack creates the Cosmos DB accounts: it holds the data and the account is not
/// the landing zone's (`cosmos.existing`), which every stack reads.
pub fn creates_cosmos_account(backend: &Backend, stack: &StackInfo) -> bool {
    backend.cosmos.existing.is_none() && holds_cosmos_data(backend, stack)
}

/// The stack whose values name the Cosmos DB account `context`'s stack uses: its own when it
/// holds the data, else the one that does ([`cosmos_account_stack`]).
pub fn cosmos_data_stack(context: &Context<'_>) -> StackInfo {
    if holds_cosmos_data(context.backend, &context.stack) {
        context.stack.clone()
    } else {
        cosmos_account_stack(context)
    }
}

/// The stack that creates the shared Cosmos DB account a stack reads (of the same tenant): the
/// disaster-recovery primary, or the primary `location`'s region stack under `multi-region`.
pub fn cosmos_account_stack(context: &Context<'_>) -> StackInfo {
    let primary = context.backend.location.value;
    let (name, role) = match context.stack.role {
        StackRole::Region => (primary.name, StackRole::Region),
        _ => (StackRole::Primary.as_str(), StackRole::Primary),
    };
    let stack = StackInfo {
        name: name.to_owned(),
        role,
        region: primary,
        color: None,
        tenant: None,
    };
    match &context.stack.tenant {
        Some(tenant) => stack.of_tenant(tenant),
        None => stack,
    }
}

/// The app setting that lists the regions the generated code's Cosmos DB client prefers, and
/// its value for this stack: its own region first, then the shared account's others in
/// failover order, as display names (what both SDKs compare with the account's regions).
/// Only a geo-replicated account has regions to prefer. Not `COSMOS__…`: the Functions host
/// reads the `COSMOS__` settings as the Cosmos DB connection's own.
pub fn cosmos_preferred_regions(context: &Context<'_>) -> Option<(&'static str, String)> {
    let regions = context
        .backend
        .deployment
        .shared_data_regions(context.backend.location.value)?;
    let own = context.stack.region;
    let ordered: Vec<&str> = std::iter::once(own)
        .chain(regions.into_iter().filter(|r| r.name != own.name))
        .map(|r| r.display_name)
        .collect();
    Some(("COSMOS_PREFERRED_REGIONS", ordered.join(",")))
}

/// The Cosmos DB account as this stack sees it: a stack that does not create it reads the
/// shared account, or the landing zone's, by name (see [`creates_cosmos_account`]).
pub fn cosmos_account_ref(context: &Context<'_>, key: &str) -> Address {
    if creates_cosmos_account(context.backend, &context.stack) {
        cosmos_account(key)
    } else {
        Address::data("azurerm_cosmosdb_account", key)
    }
}

/// The shared Service Bus namespace.
pub fn servicebus_namespace() -> Address {
    Address::resource("azurerm_servicebus_namespace", SHARED_SERVICEBUS)
}

/// A static site's Front Door endpoint.
pub fn frontdoor_endpoint(key: &str) -> Address {
    Address::resource("azurerm_cdn_frontdoor_endpoint", key)
}

/// The origin browsers send (`Origin`) from the pages of the static site `key` on its Front
/// Door endpoint, as a Terraform expression, for the function apps' CORS — when the site is in
/// the stack of `context`. A site exists once per deployment (`Placement::Deployment`): with
/// several backend stacks it lives in the `global` stack, which is applied after the others
/// (it reads their apps for Traffic Manager), so their apps cannot refer to its endpoint; and
/// Azure generates the endpoint's host name (`<name>-<hash>.z01.azurefd.net`), so it cannot be
/// written out either. Then `None`: the site's custom domain is its known origin.
pub fn static_site_origin(context: &Context<'_>, key: &str) -> Option<String> {
    (!context.several_backend_stacks())
        .then(|| format!("https://{}", frontdoor_endpoint(key).attr("host_name")))
}

/// A static site's Front Door profile.
pub fn frontdoor_profile(key: &str) -> Address {
    Address::resource("azurerm_cdn_frontdoor_profile", key)
}

/// The global stack's Traffic Manager profile of the function app `app`; under
/// `isolation: account` each tenant has its own.
pub fn traffic_manager_profile(app: &str, tenant: Option<&str>) -> Address {
    match tenant {
        Some(tenant) => Address::resource(
            "azurerm_traffic_manager_profile",
            &format!("{app}-{tenant}"),
        ),
        None => Address::resource("azurerm_traffic_manager_profile", app),
    }
}
