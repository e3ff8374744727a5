//! Cosmos DB (SQL API): one account per key, databases, containers, and data-plane role
//! assignments for the function apps that read and write them.
//!
//! Merge rules: consistency and serverless must agree; most restrictive network access wins;
//! databases dedupe by name; a container requested twice must keep one partition key.

use crate::codes;
use crate::context::{Context, Merged, Provisioned, StackInfo};
use crate::facts::cosmos::{effective_serverless, is_serverless, shared_regions};
use crate::facts::network::{self, DataAccess};
use crate::facts::refs;
use crate::facts::stacks::shared_renderings;
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::existing::ExistingResource;
use baas_model::requirement::{
    kinds, ContainerRequirement, CosmosAccountRequirement, DataAccessRequirement,
};
use baas_model::{
    ComponentKind, Consistency, Requirement, RequirementConfig, Span, Spanned, Strategy,
};
use baas_terraform::Address;
use serde_json::json;

/// Built-in role "Cosmos DB Built-in Data Contributor" (data plane, SQL API).
const DATA_CONTRIBUTOR_ROLE: &str = "00000000-0000-0000-0000-000000000002";

static COSMOS_CODES: &[&Code] = &[
    &codes::LANDING_ZONE_COSMOS_ACCOUNT,
    &codes::LANDING_ZONE_COSMOS_SETTINGS,
    &codes::LANDING_ZONE_COSMOS_SERVICE_ENDPOINTS,
    &codes::COSMOS_DR_SERVERLESS,
    &codes::COSMOS_DR_CONSISTENCY,
    &codes::COSMOS_MULTI_WRITE_STRONG,
    &codes::COSMOS_SHARED_SERVICE_ENDPOINTS,
    &codes::MERGE_COSMOS_SETTINGS,
    &codes::MERGE_NETWORK_ACCESS,
    &codes::MERGE_PARTITION_KEY,
];

#[derive(Debug)]
pub struct CosmosProvider;

pub fn database_address(name: &str) -> Address {
    Address::resource("azurerm_cosmosdb_sql_database", name)
}

/// Containers in the default database (named after the backend) are addressed by their own
/// name (`azurerm_cosmosdb_sql_container.users`); others are prefixed with their database.
pub fn container_address(context: &Context<'_>, database: &str, container: &str) -> Address {
    Address::resource(
        "azurerm_cosmosdb_sql_container",
        &scoped_name(context, database, container),
    )
}

fn scoped_name(context: &Context<'_>, database: &str, container: &str) -> String {
    if database == context.backend.name.value {
        container.to_owned()
    } else {
        format!("{database}-{container}")
    }
}

impl ResourceProvider for CosmosProvider {
    fn name(&self) -> &'static str {
        "cosmos"
    }

    fn serves(&self) -> Vec<&str> {
        vec![
            kinds::COSMOS_ACCOUNT,
            kinds::COSMOS_DATABASE,
            kinds::COSMOS_CONTAINER,
            kinds::COSMOS_DATA_ACCESS,
        ]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let mut errors = Vec::new();
        match &mut merged.config {
            RequirementConfig::CosmosAccount(account) => merge_account(account, group, &mut errors),
            RequirementConfig::CosmosContainer(container) => {
                merge_container(container, group, &mut errors)
            }
            // Databases and access grants are identical when their keys are.
            _ => {}
        }
        if errors.iter().any(Diagnostic::is_error) {
            Err(errors)
        } else {
            // Warnings travel through validate: keep them by re-raising there.
            Ok(merged)
        }
    }

    fn validate(&self, merged: &Merged, context: &Context<'_>) -> Vec<Diagnostic> {
        let RequirementConfig::CosmosAccount(account) = &merged.config else {
            return Vec::new();
        };
        if let Some(existing) = &context.backend.cosmos.existing {
            // None of the account's own settings apply: the checks below are about them.
            return existing_account_problems(context, existing);
        }
        // Most restrictive network access wins; say who closed it.
        let mut warnings = Vec::new();
        if let Some(regions) = shared_regions(context) {
            let networking = &context.backend.networking;
            if networking.is_isolated() && !networking.private_endpoints.value {
                // The account's firewall (`virtual_network_rule`) is written by the stack that
                // creates it and names that stack's subnets: the other regions' apps, in
                // networks of their own stacks, would be refused.
                warnings.push(
                    Diagnostic::error(&codes::COSMOS_SHARED_SERVICE_ENDPOINTS, "the geo-replicated Cosmos account would admit only its own region's subnets: `private_endpoints: false` cannot reach it from the other regions")
                        .at(networking.private_endpoints.span)
                        .label("service endpoints")
                        .help("remove `private_endpoints: false` (each region then reaches the shared account through a private endpoint of its own), or (multi-region) set `deployment.data: regional`"),
                );
            }
            let others: Vec<&str> = regions[1..].iter().map(|r| r.name).collect();
            let others = others.join("`, `");
            let (replicas, drop) = if disaster_recovery(context).is_some() {
                (
                    "a secondary region",
                    format!("drop the `{others}` secondary"),
                )
            } else {
                (
                    "the other regions",
                    "set `deployment.data: regional` to give each region its own account"
                        .to_owned(),
                )
            };
            if account.serverless.value && account.serverless.is_written() {
                warnings.push(
                    Diagnostic::error(&codes::COSMOS_DR_SERVERLESS, format!("a serverless Cosmos account cannot replicate to {replicas}"))
                        .at(account.serverless.span)
                        .label("serverless")
                        .help(format!("remove `serverless: true` (a geo-replicated account gets autoscale throughput by default), or {drop}")),
                );
            }
            if account.consistency.value == Consistency::Strong {
                if context.backend.deployment.multi_write() {
                    warnings.push(
                        Diagnostic::error(&codes::COSMOS_MULTI_WRITE_STRONG, "Strong consistency cannot be combined with multi-region writes")
                            .at(account.consistency.span)
                            .label("Strong")
                            .help("choose `BoundedStaleness`, `Session`, `ConsistentPrefix` or `Eventual`, or remove `multi_write: true`"),
                    );
                } else {
                    warnings.push(
                        Diagnostic::warning(&codes::COSMOS_DR_CONSISTENCY, format!("Strong consistency across {} regions makes every write wait for the others", regions.len()))
                            .at(account.consistency.span)
                            .label("Strong")
                            .help("Azure refuses Strong for regions more than 5,000 miles apart without approval; `BoundedStaleness` or `Session` keep writes local"),
                    );
                }
            }
        }
        if !account.public_network_access.value && merged.sources.len() > 1 {
            warnings.push(
                Diagnostic::warning(
                    &codes::MERGE_NETWORK_ACCESS,
                    format!("public network access to the shared Cosmos account is off for all {} components that use it", merged.components().len()),
                )
                .at(account.public_network_access.span)
                .label("closed here")
                .help("this is intended when the data should be private; otherwise remove `public_network_access: false`"),
            );
        }
        warnings
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let mut out = Provisioned::default();
        let holds_data = refs::holds_cosmos_data(context.backend, &context.stack);
        let creates = refs::creates_cosmos_account(context.backend, &context.stack);
        match &merged.config {
            RequirementConfig::CosmosAccount(_) if !creates => {
                read_account(merged, context, holds_data, &mut out)?
            }
            // A stack that uses another stack's geo-replicated account holds no data: the
            // stack that holds it (the DR primary, the primary region), applied first, does.
            RequirementConfig::CosmosDatabase { .. } | RequirementConfig::CosmosContainer(_)
                if !holds_data => {}
            RequirementConfig::CosmosAccount(account) => {
                provision_account(merged, account, context, &mut out)?
            }
            RequirementConfig::CosmosDatabase { account, name } => {
                let account_ref = refs::cosmos_account_ref(context, account);
                let mut body = json!({
                    "name": name,
                    "resource_group_name": account_group(context, account),
                    "account_name": account_ref.attr("name"),
                });
                if !creates {
                    // The landing zone's account: serverless or provisioned is its owner's
                    // choice, read from its capabilities; a provisioned one gets what baas
                    // gives the accounts it creates.
                    body["dynamic"] = json!({ "autoscale_settings": {
                        "for_each": format!("${{contains({account_ref}.capabilities[*].name, \"EnableServerless\") ? [] : [1000]}}"),
                        "content": { "max_throughput": "${autoscale_settings.value}" },
                    } });
                } else if !is_serverless(context, account) {
                    // Provisioned accounts share autoscale throughput at the database level.
                    body["autoscale_settings"] = json!({ "max_throughput": 1000 });
                }
                out.data_block(database_address(name), body, &merged.sources);
            }
            RequirementConfig::CosmosContainer(container) => {
                let body = json!({
                    "name": container.name,
                    "resource_group_name": account_group(context, &container.account),
                    "account_name": refs::cosmos_account_ref(context, &container.account).attr("name"),
                    "database_name": database_address(&container.database).attr("name"),
                    "partition_key_paths": [container.partition_key.value],
                    "partition_key_version": 2,
                });
                out.data_block(
                    container_address(context, &container.database, &container.name),
                    body,
                    &merged.sources,
                );
            }
            RequirementConfig::CosmosDataAccess(access) => {
                provision_access(merged, access, context, &mut out)
            }
            _ => {}
        }
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        COSMOS_CODES
    }
}

/// The account a stack uses but does not create, read by name: the landing zone's
/// (`cosmos.existing`, named with the values of the stack that holds the data), or the shared
/// geo-replicated account of the stack that creates it. The stack that holds the landing
/// zone's account's data records it as its own (output and manifest).
fn read_account(
    merged: &Merged,
    context: &Context<'_>,
    holds_data: bool,
    out: &mut Provisioned,
) -> Result<(), Vec<Diagnostic>> {
    let owner = context.with_stack(refs::cosmos_data_stack(context));
    let existing = context.backend.cosmos.existing.as_ref();
    let (name, group) = match existing {
        Some(existing) => owner.existing_azure_name(existing, ResourceKind::CosmosAccount),
        None => owner
            .name(ResourceKind::CosmosAccount, "", merged.span())
            .and_then(|name| Ok((name, owner.resource_group_azure_name()?))),
    }
    .map_err(|d| vec![d])?;
    let address = Address::data("azurerm_cosmosdb_account", &merged.key);
    if existing.is_some() && holds_data {
        // The account this stack created before the switch, if it did: forgotten, never
        // destroyed (`Provisioned::forget`).
        out.forget(refs::cosmos_account(&merged.key));
        out.output(
            "cosmos_endpoint",
            address.attr("endpoint"),
            "Cosmos DB account endpoint (the landing zone's account)",
        );
        out.manifest_entry(context, "cosmos_accounts", &merged.key, || {
            json!({ "address": address.to_string(), "name": name, "resource_group": group, "existing": true })
        });
    }
    out.block(
        address.clone(),
        json!({ "name": name, "resource_group_name": group }),
        &merged.sources,
    );
    Ok(())
}

/// With `cosmos.existing`, the stacks (of `stacks`) that hold data of their own must each name
/// an account of their own: two that render the same would create one database twice. A name
/// Azure refuses is reported at its template, once.
pub fn shared_existing_accounts(context: &Context<'_>, stacks: &[StackInfo]) -> Vec<Diagnostic> {
    let Some(existing) = &context.backend.cosmos.existing else {
        return Vec::new();
    };
    if context.all(kinds::COSMOS_ACCOUNT).next().is_none() {
        return Vec::new();
    }
    let holders: Vec<StackInfo> = stacks
        .iter()
        .filter(|s| refs::holds_cosmos_data(context.backend, s))
        .cloned()
        .collect();
    let mut found = Vec::new();
    let render = |stack: &StackInfo| {
        context
            .with_stack(stack.clone())
            .existing_azure_name(existing, ResourceKind::CosmosAccount)
    };
    for ((name, group), stacks) in shared_renderings(&holders, render, &mut found) {
        found.push(
            Diagnostic::error(
                &codes::LANDING_ZONE_COSMOS_ACCOUNT,
                format!("stacks {stacks} hold data of their own but would all add it to Cosmos DB account `{name}` in `{group}`"),
            )
            .at(existing.name.text.span)
            .label("the same account for several stacks")
            .help("put `{{stack}}` in `cosmos.existing.name` (or `{{region}}`, `{{tenant}}`: whatever tells the stacks apart), so that each stack has an account of its own"),
        );
    }
    found
}

/// The resource group of the account `key`, for its databases, containers and role
/// assignments: the stack's own where it creates the account, else the account's, as read.
fn account_group(context: &Context<'_>, key: &str) -> String {
    if refs::creates_cosmos_account(context.backend, &context.stack) {
        context.resource_group_name()
    } else {
        refs::cosmos_account_ref(context, key).attr("resource_group_name")
    }
}

/// What cannot be done to the landing zone's account: its settings are its owner's (a
/// warning at each one written, top level, CRUD API or `multi_write`), and its firewall cannot
/// admit service endpoints (an error).
fn existing_account_problems(
    context: &Context<'_>,
    existing: &ExistingResource,
) -> Vec<Diagnostic> {
    let backend = context.backend;
    let mut written: Vec<(Span, &str)> = Vec::new();
    let settings = std::iter::once(&backend.cosmos).chain(backend.components.values().filter_map(
        |component| match &component.kind {
            ComponentKind::CrudApi(api) => Some(&api.cosmos),
            _ => None,
        },
    ));
    for settings in settings {
        // A CRUD API's settings start as a copy of the top level's: one span, one warning.
        for (is_written, span, key) in [
            (
                settings.consistency.is_written(),
                settings.consistency.span,
                "consistency",
            ),
            (
                settings.serverless.is_written(),
                settings.serverless.span,
                "serverless",
            ),
            (
                settings.public_network_access.is_written(),
                settings.public_network_access.span,
                "public_network_access",
            ),
        ] {
            if is_written && !written.iter().any(|(s, _)| *s == span) {
                written.push((span, key));
            }
        }
    }
    if let Strategy::MultiRegion {
        multi_write: Some(write),
        ..
    } = &backend.deployment.strategy
    {
        written.push((write.span, "multi_write"));
    }
    let mut problems: Vec<Diagnostic> = written
        .into_iter()
        .map(|(span, key)| {
            Diagnostic::warning(
                &codes::LANDING_ZONE_COSMOS_SETTINGS,
                format!("`{key}` is not applied to the existing Cosmos DB account"),
            )
            .at(span)
            .label("the account keeps its own setting")
            .related(existing.span, "existing account")
            .help(format!("remove `{key}` (the account's owner sets it), or keep it in the environments that create their own account"))
        })
        .collect();
    let networking = &backend.networking;
    if networking.is_isolated() && !networking.private_endpoints.value {
        problems.push(
            Diagnostic::error(
                &codes::LANDING_ZONE_COSMOS_SERVICE_ENDPOINTS,
                "service endpoints cannot reach the existing Cosmos DB account: its firewall is not baas's to open",
            )
            .at(networking.private_endpoints.span)
            .label("service endpoints")
            .related(existing.span, "existing account")
            .help("remove `private_endpoints: false`: baas then reaches the account through a private endpoint of its own"),
        );
    }
    problems
}

/// The secondary region and automatic failover, under `disaster-recovery`.
fn disaster_recovery(
    context: &Context<'_>,
) -> Option<(&'static baas_model::regions::Region, bool)> {
    match &context.backend.deployment.strategy {
        Strategy::DisasterRecovery {
            secondary,
            automatic_failover,
            ..
        } => Some((secondary.value, *automatic_failover)),
        _ => None,
    }
}

fn merge_account(
    account: &mut CosmosAccountRequirement,
    group: &[Requirement],
    errors: &mut Vec<Diagnostic>,
) {
    let first = &group[0];
    for other in &group[1..] {
        let RequirementConfig::CosmosAccount(next) = &other.config else {
            continue;
        };
        if next.consistency.value != account.consistency.value {
            let show = |c: &Consistency| format!("`{}` consistency", c.as_str());
            errors.push(
                conflict((first, &account.consistency), (other, &next.consistency), show)
                    .help("an account has one default consistency level: set it once under the top-level `cosmos` key"),
            );
        }
        if next.serverless.value != account.serverless.value {
            let show = |serverless: &bool| format!("a {} account", capacity(*serverless));
            errors.push(
                conflict((first, &account.serverless), (other, &next.serverless), show)
                    .help("an account is either serverless or provisioned: set `serverless` once under the top-level `cosmos` key"),
            );
        }
        if !next.public_network_access.value && account.public_network_access.value {
            account.public_network_access = next.public_network_access.clone();
        }
    }
}

/// Two components disagree on a setting of the shared account. Either side may be a default
/// nobody wrote (an empty span): the diagnostic points at what was written.
fn conflict<T>(
    (first, first_value): (&Requirement, &Spanned<T>),
    (other, other_value): (&Requirement, &Spanned<T>),
    show: impl Fn(&T) -> String,
) -> Diagnostic {
    let written = |v: &Spanned<T>| v.is_written();
    let says = |r: &Requirement, v: &Spanned<T>| {
        if written(v) {
            format!("`{}` asks for {}", r.source.component, show(&v.value))
        } else {
            format!(
                "`{}` keeps the default, {}",
                r.source.component,
                show(&v.value)
            )
        }
    };
    let message = format!(
        "components sharing one Cosmos account disagree: {}, but {}",
        says(other, other_value),
        says(first, first_value)
    );
    let (primary, label, secondary) = if written(other_value) {
        (
            other_value.span,
            "conflicting setting",
            written(first_value).then_some(first_value.span),
        )
    } else if written(first_value) {
        (first_value.span, "conflicting setting", None)
    } else {
        (other.source.span, "this component", None)
    };
    let diagnostic = Diagnostic::error(&codes::MERGE_COSMOS_SETTINGS, message)
        .at(primary)
        .label(label);
    match secondary {
        Some(span) => diagnostic.related(span, "first set here"),
        None => diagnostic.related(
            if written(other_value) {
                first.source.span
            } else {
                other.source.span
            },
            "shares the account",
        ),
    }
}

fn capacity(serverless: bool) -> &'static str {
    if serverless {
        "serverless"
    } else {
        "provisioned-throughput"
    }
}

fn merge_container(
    container: &mut ContainerRequirement,
    group: &[Requirement],
    errors: &mut Vec<Diagnostic>,
) {
    let first = &group[0];
    for other in &group[1..] {
        let RequirementConfig::CosmosContainer(next) = &other.config else {
            continue;
        };
        if next.partition_key.value != container.partition_key.value {
            errors.push(
                Diagnostic::error(
                    &codes::MERGE_PARTITION_KEY,
                    format!(
                        "container `{}/{}` is partitioned by `{}` for `{}` but by `{}` for `{}`",
                        container.database, container.name, next.partition_key.value, other.source.component, container.partition_key.value, first.source.component
                    ),
                )
                .at(next.partition_key.span)
                .label("conflicting partition key")
                .related(container.partition_key.span, "first declared here")
                .help("a container has one partition key: use the same `partition_key`, or give one of them its own `container`"),
            );
        }
    }
}

fn provision_account(
    merged: &Merged,
    account: &CosmosAccountRequirement,
    context: &Context<'_>,
    out: &mut Provisioned,
) -> Result<(), Vec<Diagnostic>> {
    let name = context
        .name(ResourceKind::CosmosAccount, "", merged.span())
        .map_err(|d| vec![d])?;
    let consistency = account.consistency.value.as_str();
    let shared = shared_regions(context);
    let mut policy = json!({ "consistency_level": consistency });
    if consistency == "BoundedStaleness" {
        // Azure's minimums: single-region, and multi-region accounts.
        let (interval, prefix) = if shared.is_some() {
            (300, 100_000)
        } else {
            (5, 100)
        };
        policy["max_interval_in_seconds"] = json!(interval);
        policy["max_staleness_prefix"] = json!(prefix);
    }
    // The account's own region first (failover priority 0), then the others in order.
    let regions = shared.clone().unwrap_or_else(|| vec![context.stack.region]);
    let geo_location: Vec<_> = regions
        .iter()
        .enumerate()
        .map(|(priority, region)| json!({ "location": region.name, "failover_priority": priority }))
        .collect();
    let mut body = json!({
        "name": name,
        "location": context.location(),
        "resource_group_name": context.resource_group_name(),
        "offer_type": "Standard",
        "kind": "GlobalDocumentDB",
        "consistency_policy": policy,
        "geo_location": geo_location,
        "local_authentication_disabled": true,
        "access_key_metadata_writes_enabled": false,
        "minimal_tls_version": "Tls12",
        "public_network_access_enabled": account.public_network_access.value,
    });
    match network::data_access(context) {
        DataAccess::Public => {}
        DataAccess::PrivateEndpoints => {
            body["public_network_access_enabled"] = json!(false);
        }
        DataAccess::ServiceEndpoints(subnets) => {
            body["public_network_access_enabled"] = json!(true);
            body["is_virtual_network_filter_enabled"] = json!(true);
            body["virtual_network_rule"] = subnets.iter().map(|id| json!({ "id": id })).collect();
        }
    }
    let serverless = effective_serverless(account, context);
    if serverless {
        body["capabilities"] = json!([{ "name": "EnableServerless" }]);
    }
    if shared.is_some() {
        // Under multi-region the account fails over on its own; DR lets the user decide.
        let automatic_failover = disaster_recovery(context).is_none_or(|(_, on)| on);
        body["automatic_failover_enabled"] = json!(automatic_failover);
    }
    if context.backend.deployment.multi_write() {
        body["multiple_write_locations_enabled"] = json!(true);
    }
    let address = refs::cosmos_account(&merged.key);
    out.output(
        "cosmos_endpoint",
        address.attr("endpoint"),
        "Cosmos DB account endpoint",
    );
    out.manifest_entry(context, "cosmos_accounts", &merged.key, || json!({ "address": address.to_string(), "name": name, "serverless": serverless, "consistency": consistency }));
    out.data_block(address, body, &merged.sources);
    Ok(())
}

/// The containers a role assignment must wait for. `scope` is a plain string to the provider
/// (`cosmosdb_sql_role_assignment_resource.go:70-75` in v4.55.0: `TypeString`, `ForceNew`,
/// only `StringIsNotEmpty`), so a scope spelled from names gives Terraform no edge to the
/// container, and the first apply can create the assignment before the container exists.
/// `depends_on` adds the edge; reading the names from the container's attributes would too,
/// but would make every scope a distinct template for the conformance check to scan (15% more
/// work at 1,000 APIs). A DR secondary provisions no containers (the primary stack, deployed
/// first, holds them): nothing to wait for.
fn access_dependencies(context: &Context<'_>, access: &DataAccessRequirement) -> Vec<String> {
    if !refs::holds_cosmos_data(context.backend, &context.stack) {
        return Vec::new();
    }
    vec![container_address(context, &access.database, &access.container).to_string()]
}

fn provision_access(
    merged: &Merged,
    access: &DataAccessRequirement,
    context: &Context<'_>,
    out: &mut Provisioned,
) {
    let account = refs::cosmos_account_ref(context, &access.account);
    let container = scoped_name(context, &access.database, &access.container);
    let body = json!({
        // The account's own group: read from another stack or the landing zone, it lives in
        // that stack's, or the landing zone's.
        "resource_group_name": account_group(context, &access.account),
        "account_name": account.attr("name"),
        "role_definition_id": format!("{}/sqlRoleDefinitions/{DATA_CONTRIBUTOR_ROLE}", account.id()),
        "principal_id": refs::principal_id(context, &access.app),
        "scope": format!("{}/dbs/{}/colls/{}", account.id(), access.database, access.container),
    });
    let mut body = body;
    let dependencies = access_dependencies(context, access);
    if !dependencies.is_empty() {
        body["depends_on"] = json!(dependencies);
    }
    let address = Address::resource(
        "azurerm_cosmosdb_sql_role_assignment",
        &format!("{}-{container}", access.app),
    );
    out.block(address, body, &merged.sources);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::with_context;

    #[test]
    fn containers_of_the_default_database_are_addressed_by_their_own_name() {
        let yaml = "name: shop\nenvironment: dev\nlocation: eastus\nfunctions: {plan: Y1}\n\
                    components:\n  users: {type: crud-api, entity: User}\n";
        with_context(yaml, |context| {
            assert_eq!(
                container_address(context, "shop", "users").to_string(),
                "azurerm_cosmosdb_sql_container.users"
            );
            // Another database prefixes it, so two databases' `users` do not collide.
            assert_eq!(
                container_address(context, "audit", "users").to_string(),
                "azurerm_cosmosdb_sql_container.audit-users"
            );
            assert_eq!(
                database_address("audit").to_string(),
                "azurerm_cosmosdb_sql_database.audit"
            );
        });
    }

    #[test]
    fn serverless_and_provisioned_accounts_are_told_apart_in_the_manifest() {
        assert_eq!(capacity(true), "serverless");
        assert_eq!(capacity(false), "provisioned-throughput");
    }
}
