//! Diagnostic settings (`azurerm_monitor_diagnostic_setting`): every service of a stack sends
//! its resource logs and platform metrics to the stack's Log Analytics workspace. One setting
//! per account, namespace, app or profile (never per container or queue: those log through
//! their parent), so a CRUD API adds none.
//!
//! What a setting may ask for differs per Azure resource type, and Azure refuses a category the
//! type does not have (`Metric category 'AllMetrics' is not supported` on storage), so the
//! categories live in one table, [`Target::categories`], pinned by a test and documented in
//! README.md ("Operating it").

use crate::context::{Context, Provisioned, StackInfo};
use crate::facts::refs;
use crate::naming::ResourceKind;
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::kinds;
use baas_model::Source;
use baas_terraform::Address;
use serde_json::{json, Value};

/// The name of every setting baas writes. A resource may hold up to five settings; the name
/// tells baas's apart from the ones a platform team adds.
pub const SETTING_NAME: &str = "baas-log-analytics";

/// The kinds of resources that get a diagnostic setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    CosmosAccount,
    ServiceBusNamespace,
    FunctionApp,
    /// A storage account's blob service (`<account id>/blobServices/default`): the account
    /// itself has metrics only, and the blobs are what the function hosts and static sites use.
    BlobService,
    FrontDoorProfile,
    TrafficManagerProfile,
}

/// What one setting sends for a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Categories {
    /// The Azure resource type the setting is attached to.
    pub azure_type: &'static str,
    /// Log category groups (`enabled_log.category_group`).
    pub log_groups: &'static [&'static str],
    /// Metric categories (`enabled_metric.category`).
    pub metrics: &'static [&'static str],
    /// `log_analytics_destination_type`, where the service writes resource-specific tables
    /// (`Dedicated`) only when asked; `None` leaves the service's own choice.
    pub destination: Option<&'static str>,
}

impl Target {
    pub const ALL: [Target; 6] = [
        Target::CosmosAccount,
        Target::ServiceBusNamespace,
        Target::FunctionApp,
        Target::BlobService,
        Target::FrontDoorProfile,
        Target::TrafficManagerProfile,
    ];

    /// The one table of categories. `allLogs` is the category group every type with resource
    /// logs offers (it includes `audit`, so asking for both would send audit logs twice);
    /// `AllMetrics` is the metric category of every type here but storage, which refuses it
    /// and offers `Transaction` (and, on the account, `Capacity`) instead.
    pub fn categories(self) -> Categories {
        match self {
            // Resource-specific tables (CDBDataPlaneRequests, ...) are what Microsoft
            // recommends for Cosmos DB; without `Dedicated` logs land in AzureDiagnostics.
            Target::CosmosAccount => Categories {
                azure_type: "Microsoft.DocumentDB/databaseAccounts",
                log_groups: &["allLogs"],
                metrics: &["AllMetrics"],
                destination: Some("Dedicated"),
            },
            // OperationalLogs, VNetAndIPFilteringLogs, RuntimeAuditLogs (Premium), ... in the
            // AZMS* resource-specific tables.
            Target::ServiceBusNamespace => Categories {
                azure_type: "Microsoft.ServiceBus/namespaces",
                log_groups: &["allLogs"],
                metrics: &["AllMetrics"],
                destination: Some("Dedicated"),
            },
            // FunctionAppLogs and the App Service logs; App Service always writes
            // resource-specific tables.
            Target::FunctionApp => Categories {
                azure_type: "Microsoft.Web/sites",
                log_groups: &["allLogs"],
                metrics: &["AllMetrics"],
                destination: None,
            },
            // StorageRead, StorageWrite, StorageDelete into StorageBlobLogs. Azure answers
            // `AllMetrics` with "supported categories are: 'Capacity;Transaction'" on an
            // account, and refuses `Capacity` on the blob service, whose capacity metrics are
            // the account's anyway.
            Target::BlobService => Categories {
                azure_type: "Microsoft.Storage/storageAccounts/blobServices",
                log_groups: &["allLogs"],
                metrics: &["Transaction"],
                destination: None,
            },
            // FrontDoorAccessLog, FrontDoorHealthProbeLog, FrontDoorWebApplicationFirewallLog.
            Target::FrontDoorProfile => Categories {
                azure_type: "Microsoft.Cdn/profiles",
                log_groups: &["allLogs"],
                metrics: &["AllMetrics"],
                destination: None,
            },
            // ProbeHealthStatusEvents: every endpoint's probe results.
            Target::TrafficManagerProfile => Categories {
                azure_type: "Microsoft.Network/trafficManagerProfiles",
                log_groups: &["allLogs"],
                metrics: &["AllMetrics"],
                destination: None,
            },
        }
    }

    /// The first part of the setting's Terraform label: `<prefix>-<resource key>`.
    fn label_prefix(self) -> &'static str {
        match self {
            Target::CosmosAccount => "cosmos",
            Target::ServiceBusNamespace => "servicebus",
            Target::FunctionApp => "app",
            Target::BlobService => "blob",
            Target::FrontDoorProfile => "frontdoor",
            Target::TrafficManagerProfile => "traffic-manager",
        }
    }
}

/// The setting for the resource `key` of kind `target` (`target_id` is its resource id),
/// sending to `workspace_id`.
fn setting(
    target: Target,
    key: &str,
    target_id: String,
    workspace_id: &str,
    sources: &[Source],
    out: &mut Provisioned,
) {
    let categories = target.categories();
    let logs: Vec<Value> = categories
        .log_groups
        .iter()
        .map(|group| json!({ "category_group": group }))
        .collect();
    let metrics: Vec<Value> = categories
        .metrics
        .iter()
        .map(|category| json!({ "category": category }))
        .collect();
    let mut body = json!({
        "name": SETTING_NAME,
        "target_resource_id": target_id,
        "log_analytics_workspace_id": workspace_id,
        "enabled_log": logs,
        "enabled_metric": metrics,
    });
    if let Some(destination) = categories.destination {
        body["log_analytics_destination_type"] = json!(destination);
    }
    let label = format!("{}-{key}", target.label_prefix());
    out.block(
        Address::resource("azurerm_monitor_diagnostic_setting", &label),
        body,
        sources,
    );
}

/// The settings of a regional (or the single) stack: every service it creates.
pub fn provision(context: &Context<'_>, out: &mut Provisioned) {
    let workspace = refs::workspace(context.backend).id();
    // Only an account the stack creates: the landing zone's account is its owner's to watch.
    if refs::creates_cosmos_account(context.backend, &context.stack) {
        for account in context.all(kinds::COSMOS_ACCOUNT) {
            let id = refs::cosmos_account(&account.key).id();
            setting(
                Target::CosmosAccount,
                &account.key,
                id,
                &workspace,
                &account.sources,
                out,
            );
        }
    }
    for namespace in context.all(kinds::SERVICEBUS_NAMESPACE) {
        let id = refs::servicebus_namespace().id();
        setting(
            Target::ServiceBusNamespace,
            &namespace.key,
            id,
            &workspace,
            &namespace.sources,
            out,
        );
    }
    for app in context.all(kinds::FUNCTION_APP) {
        let id = refs::function_app(context, &app.key).id();
        setting(
            Target::FunctionApp,
            &app.key,
            id,
            &workspace,
            &app.sources,
            out,
        );
    }
    // The function hosts' account, and every static site's own account where the site lives:
    // in this stack when it is the backend's only one, else in the global stack.
    let sites_here = !context.several_backend_stacks();
    let sites: Vec<&crate::context::Merged> = context
        .all(kinds::STATIC_SITE)
        .filter(|_| sites_here)
        .collect();
    for account in context.all(kinds::STORAGE).chain(sites.iter().copied()) {
        let id = blob_service_id(&refs::storage_account(&account.key));
        setting(
            Target::BlobService,
            &account.key,
            id,
            &workspace,
            &account.sources,
            out,
        );
    }
    for site in sites {
        site_settings(site, &workspace, out);
    }
}

/// A static site's Front Door profile.
fn site_settings(site: &crate::context::Merged, workspace: &str, out: &mut Provisioned) {
    let id = refs::frontdoor_profile(&site.key).id();
    setting(
        Target::FrontDoorProfile,
        &site.key,
        id,
        workspace,
        &site.sources,
        out,
    );
}

/// The blob service of a storage account: a fixed child of the account, named `default`.
fn blob_service_id(account: &Address) -> String {
    format!("{}/blobServices/default", account.id())
}

/// The settings of the global stack's Traffic Manager profiles. The global stack has no
/// workspace of its own (it holds nothing but Traffic Manager): each profile sends to the
/// workspace of the first stack behind it, read by name like the apps the endpoints point at.
/// `regional` are the stacks behind the global one in priority order; `global` what the global
/// stack holds so far.
pub fn provision_global(
    context: &Context<'_>,
    regional: &[StackInfo],
    global: &Provisioned,
) -> Result<Provisioned, Vec<Diagnostic>> {
    let mut out = Provisioned::default();
    let mut errors = Vec::new();
    let mut tenants: Vec<Option<&str>> = regional.iter().map(|s| s.tenant.as_deref()).collect();
    tenants.dedup();
    for tenant in tenants {
        let Some(first) = regional.iter().find(|s| s.tenant.as_deref() == tenant) else {
            continue;
        };
        let mut workspace: Option<Address> = None;
        for app in context.all(kinds::FUNCTION_APP) {
            let profile = refs::traffic_manager_profile(&app.key, tenant);
            if !global.blocks.iter().any(|b| b.address == profile) {
                continue;
            }
            let workspace = match &workspace {
                Some(address) => address.clone(),
                None => match workspace_of(context, first, &app.sources, &mut out) {
                    Ok(address) => workspace.insert(address).clone(),
                    Err(error) => {
                        errors.push(error);
                        break;
                    }
                },
            };
            setting(
                Target::TrafficManagerProfile,
                &profile.name,
                profile.id(),
                &workspace.id(),
                &app.sources,
                &mut out,
            );
        }
    }
    // Static sites live in the global stack when the backend has several: their account's blob
    // service and Front Door profile send to the first stack's workspace too.
    if context.several_backend_stacks() {
        if let Some(first) = regional.first() {
            // The Traffic Manager settings above may have read that workspace already.
            let read = Address::data("azurerm_log_analytics_workspace", &first.name);
            let mut workspace = out.blocks.iter().any(|b| b.address == read).then_some(read);
            for site in context.all(kinds::STATIC_SITE) {
                let address = match &workspace {
                    Some(address) => address.clone(),
                    None => match workspace_of(context, first, &site.sources, &mut out) {
                        Ok(address) => workspace.insert(address).clone(),
                        Err(error) => {
                            errors.push(error);
                            break;
                        }
                    },
                };
                let id = blob_service_id(&refs::storage_account(&site.key));
                setting(
                    Target::BlobService,
                    &site.key,
                    id,
                    &address.id(),
                    &site.sources,
                    &mut out,
                );
                site_settings(site, &address.id(), &mut out);
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// `data.azurerm_log_analytics_workspace.<stack>`: the workspace of `stack`, by its name (the
/// landing zone's workspace as that stack renders its name, with `monitoring.workspace`).
fn workspace_of(
    context: &Context<'_>,
    stack: &StackInfo,
    sources: &[Source],
    out: &mut Provisioned,
) -> Result<Address, Diagnostic> {
    let span = context.backend.monitoring.span;
    let stack_context = context.with_stack(stack.clone());
    let (name, group) = match &context.backend.monitoring.workspace {
        Some(existing) => {
            stack_context.existing_azure_name(existing, ResourceKind::LogAnalyticsWorkspace)?
        }
        None => (
            stack_context.name(ResourceKind::LogAnalyticsWorkspace, "", span)?,
            stack_context.resource_group_azure_name()?,
        ),
    };
    let address = Address::data("azurerm_log_analytics_workspace", &stack.name);
    out.block(
        address.clone(),
        json!({ "name": name, "resource_group_name": group }),
        sources,
    );
    Ok(address)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Azure type, log category groups, metrics, destination table kind.
    type Row = (
        &'static str,
        &'static [&'static str],
        &'static [&'static str],
        Option<&'static str>,
    );

    /// The categories are Azure's, not baas's: a change here must be checked against Azure's
    /// "supported categories" answer for the type and README.md's table.
    #[test]
    fn categories_per_resource_type_are_pinned() {
        let table: Vec<Row> = Target::ALL
            .iter()
            .map(|t| {
                let c = t.categories();
                (c.azure_type, c.log_groups, c.metrics, c.destination)
            })
            .collect();
        let expected: Vec<Row> = vec![
            (
                "Microsoft.DocumentDB/databaseAccounts",
                &["allLogs"],
                &["AllMetrics"],
                Some("Dedicated"),
            ),
            (
                "Microsoft.ServiceBus/namespaces",
                &["allLogs"],
                &["AllMetrics"],
                Some("Dedicated"),
            ),
            ("Microsoft.Web/sites", &["allLogs"], &["AllMetrics"], None),
            (
                "Microsoft.Storage/storageAccounts/blobServices",
                &["allLogs"],
                &["Transaction"],
                None,
            ),
            (
                "Microsoft.Cdn/profiles",
                &["allLogs"],
                &["AllMetrics"],
                None,
            ),
            (
                "Microsoft.Network/trafficManagerProfiles",
                &["allLogs"],
                &["AllMetrics"],
                None,
            ),
        ];
        assert_eq!(table, expected);
    }

    #[test]
    fn readme_documents_every_type_with_its_categories() {
        let readme = include_str!("../../../../README.md");
        for target in Target::ALL {
            let c = target.categories();
            let row = format!(
                "| `{}` | {} | {} |",
                c.azure_type,
                c.log_groups
                    .iter()
                    .map(|g| format!("`{g}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
                c.metrics
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            assert!(readme.contains(&row), "README.md lacks the row {row}");
        }
    }

    #[test]
    fn labels_are_distinct_per_type() {
        let mut prefixes: Vec<&str> = Target::ALL.iter().map(|t| t.label_prefix()).collect();
        prefixes.sort_unstable();
        prefixes.dedup();
        assert_eq!(prefixes.len(), Target::ALL.len());
    }
}
