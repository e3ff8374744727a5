//! The addresses and attributes providers point at in each other's resources. Each resource's
//! Terraform address is written here once; the provider that creates the resource and the
//! providers that refer to it both take it from here.

use crate::context::{Context, StackInfo, StackRole};
use baas_model::requirement::SHARED_SERVICEBUS;
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

/// The shared Log Analytics workspace of a stack.
pub fn workspace() -> Address {
    Address::resource("azurerm_log_analytics_workspace", "shared")
}

/// The shared Application Insights component.
pub fn insights() -> Address {
    Address::resource("azurerm_application_insights", "shared")
}

/// A Cosmos DB account created by this stack.
pub fn cosmos_account(key: &str) -> Address {
    Address::resource("azurerm_cosmosdb_account", key)
}

/// Whether a stack creates the Cosmos DB accounts, or (a DR secondary) reads its primary's.
pub fn creates_cosmos_account(stack: &StackInfo) -> bool {
    stack.role != StackRole::Secondary
}

/// The Cosmos DB account as this stack sees it: the DR secondary reads the primary's by name.
pub fn cosmos_account_ref(context: &Context<'_>, key: &str) -> Address {
    if creates_cosmos_account(&context.stack) {
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
/// Door endpoint: a Terraform expression, for the function apps' CORS. Where the endpoint lives
/// is decided here, so that moving static sites to another stack changes this one place.
pub fn static_site_origin(_context: &Context<'_>, key: &str) -> String {
    format!("https://{}", frontdoor_endpoint(key).attr("host_name"))
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
