//! Network isolation (`networking.mode: isolated`): one virtual network, its subnets and their
//! network security groups, and private access to every data service.
//!
//! **Carving.** The address space is cut into /26 subnets (64 addresses: Microsoft's
//! recommended size for VNet integration, and enough for Flex Consumption) at fixed
//! positions, so that adding or removing an app never moves another subnet:
//!
//! | /26 | subnet | holds |
//! |---|---|---|
//! | 1st | `private-endpoints` | the data services' private endpoints (network policies on) |
//! | 2nd-6th | `functions-<runtime>` | one function app each, in the order node, python, dotnet-isolated, java, powershell; delegated to `Microsoft.Web/serverFarms` (Flex Consumption, which would need `Microsoft.App/environments`, is refused) (n) |
//!
//! The address space must be at least a /24; java and powershell apps need a /23. Every
//! subnet gets its own network security group with the rules of the seed example: HTTPS from
//! the virtual network allowed, anything from the internet denied (Azure's default rules
//! still allow other traffic inside the virtual network: Service Bus AMQP on 5671, Cosmos DB
//! direct mode).
//!
//! **Data services.** With `private_endpoints: true` (the default) each gets a private endpoint
//! in the `private-endpoints` subnet, a private DNS zone linked to the network, and a DNS zone
//! group that registers the endpoint's address: Cosmos DB (`Sql`), the function hosts'
//! storage (`blob` only: see [`HOST_STORAGE_SUBRESOURCES`]), Service Bus (`namespace`,
//! Premium only). Their public network access is off. With `private_endpoints: false` the
//! integration subnets get service endpoints instead and the data services' firewalls admit
//! those subnets only. Static sites keep their public storage: Front Door Standard reaches its
//! origin over the internet.
//!
//! **Function apps** join their subnet (`virtual_network_subnet_id`) and route all outbound
//! traffic through it; Elastic Premium apps monitor their triggers from inside the network
//! (runtime scale monitoring), because the scale controller cannot reach a private namespace.
//! The slots, the subnets' addresses and how each data service and app is reached are facts
//! ([`crate::facts::network`]): the functions, Cosmos DB, storage and Service Bus providers
//! read them and write those fields into their own resources.
//!
//! **Landing zones.** With `networking.existing` the network and the subnet of each role the
//! stack uses are data sources, named per stack from templates: no address space, no NSG, no
//! association, no tag, nothing written onto them; the subnets' addresses (facts) point at the
//! data sources, so the apps and private endpoints join them. With `networking.private_dns`
//! the zone groups register in the hub's zones (read by name, or named by id in another
//! subscription) and baas creates no zone and no link. [`check_stacks`] says what stacks may
//! not share.
//!
//! Merge rule: every component that has compute or a data service asks for the one network
//! (`network`/`shared`); the requirements are identical and merge into one.

use crate::codes;
use crate::context::{Context, Merged, Provisioned, StackInfo, StackRole};
use crate::facts::network::{
    integration_slots, network_address, subnet_address, used_slots, Slot, SUBNET_PREFIX,
};
use crate::facts::refs;
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::cidr::Ipv4Cidr;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::existing::ExistingNetwork;
use baas_model::requirement::{kinds, SHARED_NETWORK, SHARED_SERVICEBUS};
use baas_model::{
    Backend, ComponentKind, Requirement, RequirementConfig, ServiceBusSku, Source, Span, Spanned,
};
use baas_terraform::Address;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The smallest address space baas accepts: four /26 subnets.
pub const MIN_ADDRESS_SPACE_PREFIX: u8 = 24;
/// Storage services the function hosts use, and so get private endpoints. The host runs on
/// blobs (keys, timer locks, deployment packages) with the `Storage Blob Data Owner` role;
/// queues and tables serve only blob triggers and Durable Functions, which baas does not
/// generate, and Azure Files is not used because the content share is off (keys are).
pub const HOST_STORAGE_SUBRESOURCES: &[&str] = &["blob"];

static NETWORK_CODES: &[&Code] = &[
    &codes::NETWORK_TOO_SMALL,
    &codes::NETWORK_PLAN,
    &codes::NETWORK_SERVICEBUS_SKU,
    &codes::NETWORK_PUBLIC_ACCESS,
    &codes::LANDING_ZONE_SUBNET_MISSING,
    &codes::LANDING_ZONE_NETWORK,
    &codes::LANDING_ZONE_SUBNET,
];

/// A data service that can be reached privately.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Service {
    /// Part of the DNS zone's and the endpoint's Terraform names.
    key: &'static str,
    zone: &'static str,
    subresource: &'static str,
    /// The service endpoint that admits an integration subnet through the firewall.
    service_endpoint: &'static str,
}

const COSMOS_SQL: Service = Service {
    key: "cosmos-sql",
    zone: "privatelink.documents.azure.com",
    subresource: "Sql",
    service_endpoint: "Microsoft.AzureCosmosDB",
};
const STORAGE_BLOB: Service = Service {
    key: "storage-blob",
    zone: "privatelink.blob.core.windows.net",
    subresource: "blob",
    service_endpoint: "Microsoft.Storage",
};
const SERVICEBUS: Service = Service {
    key: "servicebus",
    zone: "privatelink.servicebus.windows.net",
    subresource: "namespace",
    service_endpoint: "Microsoft.ServiceBus",
};

/// What isolation needs of the provider's `features` block. In isolated mode the storage data
/// plane is unreachable from where Terraform runs, so the provider must not read it (queue
/// properties): every storage setting baas writes goes through Resource Manager
/// (`storage_account_id` containers, blob properties). Static websites still use the data
/// plane, on their own public accounts.
fn add_provider_features(backend: &Backend, features: &mut Value) {
    if backend.networking.is_isolated() {
        features["storage"] = json!({ "data_plane_available": false });
    }
}

#[derive(Debug)]
pub struct NetworkProvider;

impl ResourceProvider for NetworkProvider {
    fn name(&self) -> &'static str {
        "network"
    }

    fn provider_features(&self, context: &Context<'_>, features: &mut Value) {
        add_provider_features(context.backend, features);
    }

    fn serves(&self) -> Vec<&str> {
        vec![kinds::NETWORK]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        Ok(Merged::from_group(group))
    }

    fn validate(&self, _merged: &Merged, context: &Context<'_>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        let networking = &context.backend.networking;
        if !networking.is_isolated() {
            return out;
        }
        match &networking.existing {
            Some(existing) => subnets_named(existing, context, &mut out),
            None => {
                if let Some(space) = &networking.address_space {
                    address_space_fits(space, context, &mut out);
                }
            }
        }
        plans_can_join(context, &mut out);
        servicebus_is_premium(context, &mut out);
        no_public_access_asked(context, &mut out);
        out
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let mut out = Provisioned::default();
        let networking = &context.backend.networking;
        if !networking.is_isolated() || context.stack.role == StackRole::Global {
            return Ok(out);
        }
        let sources = &merged.sources;
        let network = network_address(context.backend);
        let private_endpoints = networking.private_endpoints.value;
        let services = services(context);
        let mut subnets = Map::new();
        let mut errors = Vec::new();
        let (network_name, space) = match &networking.existing {
            Some(existing) => {
                let name = existing_network(existing, context, sources, &mut out)?;
                existing_subnets(
                    existing,
                    &services,
                    context,
                    sources,
                    &mut out,
                    &mut subnets,
                    &mut errors,
                );
                (name, None)
            }
            None => {
                let Some(space) = networking.address_space.as_ref().map(|s| s.value) else {
                    return Ok(out);
                };
                let name = context
                    .name(ResourceKind::VirtualNetwork, "", merged.span())
                    .map_err(|d| vec![d])?;
                out.block(
                    network.clone(),
                    json!({
                        "name": name,
                        "location": context.location(),
                        "resource_group_name": context.resource_group_name(),
                        "address_space": [space.to_string()],
                    }),
                    sources,
                );
                carved_subnets(
                    space,
                    &services,
                    context,
                    sources,
                    &mut out,
                    &mut subnets,
                    &mut errors,
                );
                (name, Some(space))
            }
        };
        let mut endpoints = Map::new();
        if private_endpoints {
            let zones = Zones::of(context);
            for (service, targets) in &services {
                for target in targets {
                    match private_endpoint(*service, target, &zones, context) {
                        Ok((address, name, body)) => {
                            endpoints.insert(
                                address.name.clone(),
                                json!({ "address": address.to_string(), "name": name, "subresource": service.subresource, "dns_zone": service.zone }),
                            );
                            out.block(address, body, &target.sources);
                        }
                        Err(d) => errors.push(d),
                    }
                }
            }
            match zones {
                Ok(zones) => {
                    for (service, _) in &services {
                        zones.provision(
                            *service,
                            &network,
                            &network_name,
                            context,
                            sources,
                            &mut out,
                        );
                    }
                }
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        out.output(
            "virtual_network_name",
            network.attr("name"),
            "Virtual network of the isolated backend",
        );
        let access = if private_endpoints {
            "private-endpoints"
        } else {
            "service-endpoints"
        };
        out.manifest_entry(context, "networks", &merged.key, || {
            let mut entry = json!({
                "address": network.to_string(),
                "name": network_name,
                "data_access": access,
                "subnets": subnets,
                "private_endpoints": endpoints,
            });
            match space {
                Some(space) => entry["address_space"] = json!(space.to_string()),
                None => entry["existing"] = json!(true),
            }
            if let (Some(dns), true) = (&networking.private_dns, private_endpoints) {
                let group = context.existing_name(ResourceKind::ResourceGroup, &dns.resource_group);
                let mut zones =
                    json!({ "existing": true, "resource_group": group.unwrap_or_default() });
                if let Some(subscription) = &dns.subscription_id {
                    zones["subscription_id"] = json!(subscription.value.as_str());
                }
                entry["private_dns_zones"] = zones;
            }
            entry
        });
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        NETWORK_CODES
    }
}

/// The subnets carved from `space`, each with its NSG: the private endpoints' (with private
/// endpoints) and each App Service plan's, delegated to `Microsoft.Web/serverFarms` (with
/// service endpoints when the data services admit subnets instead).
fn carved_subnets(
    space: Ipv4Cidr,
    services: &[(Service, Vec<Target>)],
    context: &Context<'_>,
    sources: &[Source],
    out: &mut Provisioned,
    subnets: &mut Map<String, Value>,
    errors: &mut Vec<Diagnostic>,
) {
    let private_endpoints = context.backend.networking.private_endpoints.value;
    if private_endpoints {
        let slot = Slot::PrivateEndpoints;
        if let Some(prefix) = slot.subnet(space) {
            let body = json!({
                // NSG rules (and route tables) apply to the private endpoints too.
                "private_endpoint_network_policies": "Enabled",
            });
            subnet(slot, prefix, body, context, sources, out, errors);
            subnets.insert(slot.key(), json!(prefix.to_string()));
        }
    }
    for (slot, _) in integration_slots(context) {
        let Some(prefix) = slot.subnet(space) else {
            continue; // validate reported it
        };
        // Every plan that joins a network is an App Service plan (Flex Consumption, whose
        // subnets are delegated to `Microsoft.App/environments`, is refused).
        let (service, action) = (
            "Microsoft.Web/serverFarms",
            "Microsoft.Network/virtualNetworks/subnets/action",
        );
        let mut body = json!({
            "delegation": [{
                "name": "function-app",
                "service_delegation": { "name": service, "actions": [action] },
            }],
        });
        if !private_endpoints {
            let endpoints: Vec<&str> = services.iter().map(|(s, _)| s.service_endpoint).collect();
            body["service_endpoints"] = json!(endpoints);
        }
        subnet(slot, prefix, body, context, sources, out, errors);
        subnets.insert(slot.key(), json!(prefix.to_string()));
    }
}

/// The landing zone's virtual network, read by name; returns its name.
fn existing_network(
    existing: &ExistingNetwork,
    context: &Context<'_>,
    sources: &[Source],
    out: &mut Provisioned,
) -> Result<String, Vec<Diagnostic>> {
    let name = context.existing_name(ResourceKind::VirtualNetwork, &existing.name);
    let group = context.existing_name(ResourceKind::ResourceGroup, &existing.resource_group);
    let (name, group) = match (name, group) {
        (Ok(name), Ok(group)) => (name, group),
        (name, group) => return Err(name.err().into_iter().chain(group.err()).collect()),
    };
    out.block(
        network_address(context.backend),
        json!({ "name": name, "resource_group_name": group }),
        sources,
    );
    // A network this stack created before the switch is forgotten, never destroyed
    // (`Provisioned::forget`); its private DNS zones are not: linked to a network the apps
    // might still use, they would shadow the central zones.
    out.forget(Address::resource("azurerm_virtual_network", SHARED_NETWORK));
    Ok(name)
}

/// The landing zone's subnet of each role this stack uses, read by name: baas writes nothing
/// onto them (no NSG, delegation, service endpoint or tag). The `azurerm_subnet` data source
/// exports `service_endpoints` but not `delegation` (azurerm v4.55.0
/// `internal/services/network/subnet_data_source.go:30-87`), so with service endpoints a
/// postcondition stops `terraform plan` on an integration subnet that lacks one, while the
/// delegation to `Microsoft.Web/serverFarms` is a documented requirement.
fn existing_subnets(
    existing: &ExistingNetwork,
    services: &[(Service, Vec<Target>)],
    context: &Context<'_>,
    sources: &[Source],
    out: &mut Provisioned,
    subnets: &mut Map<String, Value>,
    errors: &mut Vec<Diagnostic>,
) {
    let network = network_address(context.backend);
    let private_endpoints = context.backend.networking.private_endpoints.value;
    for slot in used_slots(context) {
        let Some(template) = existing.subnets.get(&slot.role()) else {
            continue; // validate reported it
        };
        let name = match context.existing_name(ResourceKind::Subnet, template) {
            Ok(name) => name,
            Err(d) => {
                errors.push(d);
                continue;
            }
        };
        out.forget(Address::resource("azurerm_subnet", &slot.key()));
        let mut body = json!({
            "name": name,
            "virtual_network_name": network.attr("name"),
            "resource_group_name": network.attr("resource_group_name"),
        });
        if let (Slot::Functions(_), false) = (slot, private_endpoints) {
            let needed: Vec<&str> = services.iter().map(|(s, _)| s.service_endpoint).collect();
            if !needed.is_empty() {
                let list = needed
                    .iter()
                    .map(|e| format!("\"{e}\""))
                    .collect::<Vec<_>>()
                    .join(", ");
                body["lifecycle"] = json!({ "postcondition": [{
                    "condition": format!("${{length(setsubtract([{list}], self.service_endpoints)) == 0}}"),
                    "error_message": format!(
                        "Subnet {name} (networking.existing.subnets.{}) needs the service endpoints {}: the data services admit it through their firewalls. baas does not change a landing zone's subnet; ask its owners to enable them.",
                        slot.key(),
                        needed.join(", ")
                    ),
                }] });
            }
        }
        out.block(subnet_address(context.backend, slot), body, sources);
        subnets.insert(slot.key(), json!(name));
    }
}

/// Every subnet role the backend uses is named in `networking.existing.subnets`.
fn subnets_named(existing: &ExistingNetwork, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for slot in used_slots(context) {
        if existing.subnets.contains_key(&slot.role()) {
            continue;
        }
        let key = slot.key();
        let (what, help) = match slot {
            Slot::PrivateEndpoints => (
                "the data services' private endpoints go into".to_owned(),
                format!("add `{key}: <subnet>` (any subnet of the network with room for the endpoints), or set `private_endpoints: false`"),
            ),
            Slot::Functions(runtime) => (
                format!("the App Service plan of the `{}` function app joins", runtime.as_str()),
                format!("add `{key}: <subnet>`: an empty subnet delegated to `Microsoft.Web/serverFarms`, for this plan alone"),
            ),
        };
        out.push(
            Diagnostic::error(
                &codes::LANDING_ZONE_SUBNET_MISSING,
                format!("`networking.existing.subnets` names no `{key}` subnet, which {what}"),
            )
            .at(existing.subnets_span)
            .label(format!("no `{key}`"))
            .help(help),
        );
    }
    // A role nothing joins is read for nothing: most likely a runtime that changed, or a
    // subnet meant for another backend.
    let used: Vec<_> = used_slots(context).iter().map(|slot| slot.role()).collect();
    for (role, template) in &existing.subnets {
        if used.contains(role) {
            continue;
        }
        out.push(
            Diagnostic::warning(
                &baas_model::codes::NETWORK_UNUSED_SETTING,
                format!(
                    "`networking.existing.subnets` names a `{}` subnet, which nothing in this backend joins",
                    role.key()
                ),
            )
            .at(template.text.span)
            .label("not used")
            .help("remove it, or add what would join it (a function app on that runtime; private endpoints for the private-endpoints subnet)"),
        );
    }
}

/// An existing network as Azure tells networks apart: resource group and name, lowercase.
type NetworkKey = (String, String);

/// What several stacks (regions, colors, tenants) of one deployment may not share of a
/// landing zone's network, rendered per stack: a virtual network across regions (it lives in
/// one; apps and private endpoints join networks of their own region), a network whose stacks
/// would each link zones of their own to it (Azure links one zone of a name to a network), and
/// an integration subnet between App Service plans (a subnet serves one plan). Names Azure
/// would refuse are reported at their templates.
pub fn check_stacks(context: &Context<'_>, stacks: &[StackInfo]) -> Vec<Diagnostic> {
    let networking = &context.backend.networking;
    let Some(existing) = networking
        .existing
        .as_ref()
        .filter(|_| networking.is_isolated())
    else {
        return Vec::new();
    };
    let mut found: Vec<Diagnostic> = Vec::new();
    let report = |found: &mut Vec<Diagnostic>, d: Diagnostic| {
        if !found.contains(&d) {
            found.push(d);
        }
    };
    let mut networks: BTreeMap<NetworkKey, Vec<&StackInfo>> = BTreeMap::new();
    let mut subnets: BTreeMap<(NetworkKey, String), Vec<(&StackInfo, Slot)>> = BTreeMap::new();
    for stack in stacks.iter().filter(|s| s.role != StackRole::Global) {
        let context = context.with_stack(stack.clone());
        let name = context.existing_name(ResourceKind::VirtualNetwork, &existing.name);
        let group = context.existing_name(ResourceKind::ResourceGroup, &existing.resource_group);
        let (name, group) = match (name, group) {
            (Ok(name), Ok(group)) => (name.to_lowercase(), group.to_lowercase()),
            (name, group) => {
                for d in name.err().into_iter().chain(group.err()) {
                    report(&mut found, d);
                }
                continue;
            }
        };
        networks
            .entry((group.clone(), name.clone()))
            .or_default()
            .push(stack);
        for slot in used_slots(&context) {
            let Some(template) = existing.subnets.get(&slot.role()) else {
                continue;
            };
            match context.existing_name(ResourceKind::Subnet, template) {
                Ok(subnet) => subnets
                    .entry(((group.clone(), name.clone()), subnet.to_lowercase()))
                    .or_default()
                    .push((stack, slot)),
                Err(d) => report(&mut found, d),
            }
        }
    }
    let listed = |names: Vec<&str>| {
        names
            .iter()
            .map(|n| format!("`{n}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    // Networks several regions would share: their subnets' clashes follow from it.
    let mut across_regions: Vec<&NetworkKey> = Vec::new();
    for (key, stacks) in networks.iter().filter(|(_, s)| s.len() > 1) {
        let name = &key.1;
        let names = listed(stacks.iter().map(|s| s.name.as_str()).collect());
        let mut regions: Vec<&str> = stacks.iter().map(|s| s.region.name).collect();
        regions.sort_unstable();
        regions.dedup();
        if regions.len() > 1 {
            across_regions.push(key);
            report(&mut found, Diagnostic::error(
                &codes::LANDING_ZONE_NETWORK,
                format!("stacks {names} in regions {} would all use virtual network `{name}`, which is in one region", listed(regions)),
            )
            .at(existing.name.text.span)
            .label("the same network for several regions")
            .help("put `{{region}}` (or `{{stack}}`) in `networking.existing.virtual_network.name` or its `resource_group`, so that each region uses its own spoke"));
        } else if networking.private_endpoints.value && networking.private_dns.is_none() {
            report(&mut found, Diagnostic::error(
                &codes::LANDING_ZONE_NETWORK,
                format!("stacks {names} share virtual network `{name}`, and each would link private DNS zones of its own to it"),
            )
            .at(existing.name.text.span)
            .label("one network for several stacks")
            .related(existing.span, "no `private_dns`")
            .help("use the landing zone's central zones (`networking.private_dns: {resource_group: ...}`), or give each stack a network of its own with `{{stack}}` in the name"));
        }
    }
    for ((network, subnet), uses) in &subnets {
        if across_regions.contains(&network) {
            continue;
        }
        let plans: Vec<&(&StackInfo, Slot)> = uses
            .iter()
            .filter(|(_, slot)| *slot != Slot::PrivateEndpoints)
            .collect();
        // Private endpoints of several stacks may share a subnet; a plan may not.
        if plans.is_empty() || uses.len() < 2 {
            continue;
        }
        let (_, slot) = plans[0];
        let Some(template) = existing.subnets.get(&slot.role()) else {
            continue;
        };
        let who = uses
            .iter()
            .map(|(stack, slot)| format!("`{}` of stack `{}`", slot.key(), stack.name))
            .collect::<Vec<_>>()
            .join(", ");
        report(&mut found, Diagnostic::error(
            &codes::LANDING_ZONE_SUBNET,
            format!("subnet `{subnet}` would serve {who}; an integration subnet serves one App Service plan and nothing else"),
        )
        .at(template.text.span)
        .label("the same subnet for several uses")
        .help("give each plan a subnet of its own: `{{stack}}` in the name when several stacks share the network, and a different subnet for each role"));
    }
    found
}

/// A data service instance to reach privately, and the components that use it.
struct Target {
    /// Terraform name of its private endpoint.
    endpoint: String,
    /// Naming instance of its private endpoint.
    instance: String,
    resource_id: String,
    sources: Vec<Source>,
}

/// The data services present, each with the instances to reach.
fn services(context: &Context<'_>) -> Vec<(Service, Vec<Target>)> {
    let target =
        |endpoint: String, instance: String, resource_id: String, merged: &Merged| Target {
            endpoint,
            instance,
            resource_id,
            sources: merged.sources.clone(),
        };
    let cosmos: Vec<Target> = context
        .all(kinds::COSMOS_ACCOUNT)
        .map(|m| {
            let account = refs::cosmos_account_ref(context, &m.key);
            target(
                format!("cosmos-{}", m.key),
                format!("cosmos-{}", m.key),
                account.id(),
                m,
            )
        })
        .collect();
    let storage: Vec<Target> = context
        .all(kinds::STORAGE)
        .flat_map(|m| {
            HOST_STORAGE_SUBRESOURCES.iter().map(move |sub| {
                let account = refs::storage_account(&m.key);
                target(
                    format!("storage-{}-{sub}", m.key),
                    format!("st-{}-{sub}", m.key),
                    account.id(),
                    m,
                )
            })
        })
        .collect();
    let servicebus: Vec<Target> = context
        .all(kinds::SERVICEBUS_NAMESPACE)
        .map(|m| {
            let namespace = refs::servicebus_namespace();
            target(
                format!("servicebus-{}", m.key),
                format!("sbns-{}", m.key),
                namespace.id(),
                m,
            )
        })
        .collect();
    [
        (COSMOS_SQL, cosmos),
        (STORAGE_BLOB, storage),
        (SERVICEBUS, servicebus),
    ]
    .into_iter()
    .filter(|(_, targets)| !targets.is_empty())
    .collect()
}

/// Where the private endpoints' zone groups register: zones of the stack's own, linked to its
/// network, or the landing zone's central zones (`networking.private_dns`), read by name in
/// this subscription or named by id in another one (the stack's provider reads only its own
/// subscription). baas creates no zone and no link then: the hub's zones are linked to the
/// networks that resolve through them by the platform team.
enum Zones {
    Created,
    Read {
        resource_group: String,
    },
    ById {
        subscription: String,
        resource_group: String,
    },
}

impl Zones {
    fn of(context: &Context<'_>) -> Result<Zones, Diagnostic> {
        let Some(dns) = &context.backend.networking.private_dns else {
            return Ok(Zones::Created);
        };
        let resource_group =
            context.existing_name(ResourceKind::ResourceGroup, &dns.resource_group)?;
        Ok(match &dns.subscription_id {
            Some(subscription) => Zones::ById {
                subscription: subscription.value.as_str().to_owned(),
                resource_group,
            },
            None => Zones::Read { resource_group },
        })
    }

    /// The Terraform expression of the zone's id.
    fn id(&self, service: Service) -> String {
        match self {
            Zones::Created => Address::resource("azurerm_private_dns_zone", service.key).id(),
            Zones::Read { .. } => Address::data("azurerm_private_dns_zone", service.key).id(),
            Zones::ById {
                subscription,
                resource_group,
            } => format!(
                "/subscriptions/{subscription}/resourceGroups/{resource_group}/providers/Microsoft.Network/privateDnsZones/{}",
                service.zone
            ),
        }
    }

    /// The zone of `service` (and its link to the network), or the data source that reads
    /// the central one.
    fn provision(
        &self,
        service: Service,
        network: &Address,
        network_name: &str,
        context: &Context<'_>,
        sources: &[Source],
        out: &mut Provisioned,
    ) {
        match self {
            Zones::Created => {
                let zone = Address::resource("azurerm_private_dns_zone", service.key);
                out.block(
                    zone.clone(),
                    json!({ "name": service.zone, "resource_group_name": context.resource_group_name() }),
                    sources,
                );
                out.block(
                    Address::resource("azurerm_private_dns_zone_virtual_network_link", service.key),
                    json!({
                        "name": network_name,
                        "resource_group_name": context.resource_group_name(),
                        "private_dns_zone_name": zone.attr("name"),
                        "virtual_network_id": network.id(),
                        "registration_enabled": false,
                    }),
                    sources,
                );
            }
            Zones::Read { resource_group } => out.block(
                Address::data("azurerm_private_dns_zone", service.key),
                json!({ "name": service.zone, "resource_group_name": resource_group }),
                sources,
            ),
            Zones::ById { .. } => {}
        }
    }
}

fn private_endpoint(
    service: Service,
    target: &Target,
    zones: &Result<Zones, Diagnostic>,
    context: &Context<'_>,
) -> Result<(Address, String, Value), Diagnostic> {
    let span = target.sources.first().map(|s| s.span).unwrap_or_default();
    let name = context.name(ResourceKind::PrivateEndpoint, &target.instance, span)?;
    let zone_id = zones
        .as_ref()
        .map_or_else(|_| String::new(), |z| z.id(service));
    let body = json!({
        "name": name,
        "location": context.location(),
        "resource_group_name": context.resource_group_name(),
        "subnet_id": subnet_address(context.backend, Slot::PrivateEndpoints).id(),
        "custom_network_interface_name": format!("{name}-nic"),
        "private_service_connection": {
            "name": name,
            "private_connection_resource_id": target.resource_id,
            "subresource_names": [service.subresource],
            "is_manual_connection": false,
        },
        "private_dns_zone_group": {
            "name": "default",
            "private_dns_zone_ids": [zone_id],
        },
    });
    Ok((
        Address::resource("azurerm_private_endpoint", &target.endpoint),
        name,
        body,
    ))
}

/// A subnet (`extra` holds its role's settings), its NSG with the seed's rules, and the
/// association of the two.
fn subnet(
    slot: Slot,
    prefix: Ipv4Cidr,
    extra: Value,
    context: &Context<'_>,
    sources: &[Source],
    out: &mut Provisioned,
    errors: &mut Vec<Diagnostic>,
) {
    let span = sources.first().map(|s| s.span).unwrap_or_default();
    let key = slot.key();
    let names = (
        context.name(ResourceKind::Subnet, &key, span),
        context.name(ResourceKind::NetworkSecurityGroup, &key, span),
    );
    let (subnet_name, nsg_name) = match names {
        (Ok(s), Ok(n)) => (s, n),
        (s, n) => {
            errors.extend(s.err().into_iter().chain(n.err()));
            return;
        }
    };
    let address = subnet_address(context.backend, slot);
    let mut body = json!({
        "name": subnet_name,
        "resource_group_name": context.resource_group_name(),
        "virtual_network_name": network_address(context.backend).attr("name"),
        "address_prefixes": [prefix.to_string()],
    });
    if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
        body.extend(extra);
    }
    out.block(address.clone(), body, sources);
    let nsg = Address::resource("azurerm_network_security_group", &key);
    out.block(
        nsg.clone(),
        json!({
            "name": nsg_name,
            "location": context.location(),
            "resource_group_name": context.resource_group_name(),
        }),
        sources,
    );
    // The seed's rules: HTTPS inside the network, nothing from the internet.
    let rules = [
        (
            "allow-vnet-https",
            100,
            "Allow",
            "Tcp",
            "443",
            "VirtualNetwork",
            "VirtualNetwork",
        ),
        ("deny-internet", 200, "Deny", "*", "*", "Internet", "*"),
    ];
    for (rule, priority, access, protocol, port, from, to) in rules {
        out.block(
            Address::resource("azurerm_network_security_rule", &format!("{key}-{rule}")),
            json!({
                "name": rule,
                "resource_group_name": context.resource_group_name(),
                "network_security_group_name": nsg.attr("name"),
                "priority": priority,
                "direction": "Inbound",
                "access": access,
                "protocol": protocol,
                "source_port_range": "*",
                "destination_port_range": port,
                "source_address_prefix": from,
                "destination_address_prefix": to,
            }),
            sources,
        );
    }
    out.block(
        Address::resource("azurerm_subnet_network_security_group_association", &key),
        json!({ "subnet_id": address.id(), "network_security_group_id": nsg.id() }),
        sources,
    );
}

fn ordinal(n: u32) -> String {
    match n {
        1 => "first".to_owned(),
        2 => "second".to_owned(),
        3 => "third".to_owned(),
        4 => "fourth".to_owned(),
        5 => "fifth".to_owned(),
        6 => "sixth".to_owned(),
        n => format!("{n}th"),
    }
}

fn address_space_fits(space: &Spanned<Ipv4Cidr>, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let network = space.value;
    if network.prefix() > MIN_ADDRESS_SPACE_PREFIX {
        out.push(
            Diagnostic::error(
                &codes::NETWORK_TOO_SMALL,
                format!("`{network}` holds {} addresses; baas needs at least a /{MIN_ADDRESS_SPACE_PREFIX} (256) to carve its /{SUBNET_PREFIX} subnets", network.size()),
            )
            .at(space.span)
            .label("too small")
            .help(format!("use a /{MIN_ADDRESS_SPACE_PREFIX} or larger, e.g. `{}`", Ipv4Cidr::from_octets(network.octets(), MIN_ADDRESS_SPACE_PREFIX))),
        );
        return;
    }
    let outside: Vec<String> = integration_slots(context)
        .into_iter()
        .filter(|(slot, _)| slot.subnet(network).is_none())
        .map(|(slot, _)| match slot {
            Slot::Functions(runtime) => format!(
                "the `{}` function app's subnet is the {} /{SUBNET_PREFIX}",
                runtime.as_str(),
                ordinal(slot.index() + 1)
            ),
            Slot::PrivateEndpoints => "the private endpoints' subnet".to_owned(),
        })
        .collect();
    if outside.is_empty() {
        return;
    }
    let slots = network.size() / (1 << (32 - u32::from(SUBNET_PREFIX)));
    out.push(
        Diagnostic::error(
            &codes::NETWORK_TOO_SMALL,
            format!("`{network}` holds {slots} /{SUBNET_PREFIX} subnets, but {}", outside.join(" and ")),
        )
        .at(space.span)
        .label("too small")
        .help(format!(
            "use a /23 or larger, e.g. `{}`: subnets sit at fixed positions (private endpoints, then node, python, dotnet-isolated, java, powershell apps)",
            Ipv4Cidr::from_octets(network.octets(), 23.min(network.prefix()))
        )),
    );
}

const JOINING_PLANS: &str =
    "`EP1`-`EP3` (Elastic Premium), `B1`-`B3`, `S1`-`S3` or `P0v3`-`P3v3` (Dedicated)";

fn plans_can_join(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mode = &context.backend.networking.mode;
    for merged in context.all(kinds::FUNCTION_APP) {
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            continue;
        };
        let plan = &app.plan;
        // An unknown plan has its own error, where it is written.
        if app.plan_unknown || plan.value.can_join_network() {
            continue;
        }
        let message = format!(
            "the `{}` function app runs on `{}` (Consumption), which cannot join a virtual network",
            merged.key, plan.value
        );
        // A plan nobody wrote is baas's default: the fix is to write one.
        let diagnostic = if !app.plan_defaulted {
            Diagnostic::error(&codes::NETWORK_PLAN, message)
                .at(plan.span)
                .label("no VNet integration")
                .related(mode.span, "isolated here")
                .help(format!("use a plan that can: {JOINING_PLANS}"))
        } else {
            Diagnostic::error(&codes::NETWORK_PLAN, message)
                .at(mode.span)
                .label("needs VNet integration")
                .help(format!(
                    "`Y1` is the default plan: set `functions: {{plan: EP1}}` or another plan that can join a virtual network: {JOINING_PLANS}"
                ))
        };
        out.push(diagnostic);
    }
}

fn servicebus_is_premium(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(merged) = context.find(kinds::SERVICEBUS_NAMESPACE, SHARED_SERVICEBUS) else {
        return;
    };
    let RequirementConfig::ServiceBusNamespace { sku } = &merged.config else {
        return;
    };
    let effective = sku.as_ref().map_or(ServiceBusSku::Standard, |s| s.value);
    if effective == ServiceBusSku::Premium {
        return;
    }
    let networking = &context.backend.networking;
    let how = if networking.private_endpoints.value {
        "private endpoints"
    } else {
        "virtual network rules"
    };
    let message = format!(
        "the Service Bus namespace is {}, but only Premium namespaces accept {how}",
        effective.as_str()
    );
    let diagnostic = match sku {
        Some(sku) => Diagnostic::error(&codes::NETWORK_SERVICEBUS_SKU, message)
            .at(sku.span)
            .label("not Premium")
            .related(networking.mode.span, "isolated here")
            .help("set `sku: Premium`: isolated mode closes the namespace to the internet"),
        None => Diagnostic::error(&codes::NETWORK_SERVICEBUS_SKU, message)
            .at(merged.span())
            .label("uses the namespace (Standard by default)")
            .related(networking.mode.span, "isolated here")
            .help("add a component that raises the namespace to Premium, e.g. `bus: {type: service-bus, sku: Premium}`"),
    };
    out.push(diagnostic);
}

fn no_public_access_asked(context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let backend = context.backend;
    let mut asked: Vec<Span> = Vec::new();
    let top = &backend.cosmos.public_network_access;
    if top.value && top.is_written() {
        asked.push(top.span);
    }
    for component in backend.components.values() {
        if let ComponentKind::CrudApi(api) = &component.kind {
            let access = &api.cosmos.public_network_access;
            if access.value && access.is_written() && !asked.contains(&access.span) {
                asked.push(access.span);
            }
        }
    }
    for span in asked {
        out.push(
            Diagnostic::error(
                &codes::NETWORK_PUBLIC_ACCESS,
                "`public_network_access: true` asks for a public Cosmos DB account in an isolated backend",
            )
            .at(span)
            .label("public access")
            .related(backend.networking.mode.span, "isolated here")
            .help("remove it: isolated mode reaches Cosmos DB through the virtual network only"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use baas_model::Runtime;

    fn space(text: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(text).unwrap_or_else(|e| panic!("{}", e.message))
    }

    #[test]
    fn slots_sit_at_fixed_positions() {
        let space = space("10.0.0.0/16");
        assert_eq!(
            Slot::PrivateEndpoints
                .subnet(space)
                .map(|s| s.to_string())
                .as_deref(),
            Some("10.0.0.0/26")
        );
        let apps: Vec<String> = Runtime::ALL
            .iter()
            .map(|r| {
                Slot::Functions(*r)
                    .subnet(space)
                    .map(|s| s.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(
            apps,
            [
                "10.0.0.64/26",
                "10.0.0.128/26",
                "10.0.0.192/26",
                "10.0.1.0/26",
                "10.0.1.64/26"
            ]
        );
    }

    #[test]
    fn a_24_holds_private_endpoints_and_three_runtimes() {
        let space = space("192.168.10.0/24");
        assert!(Slot::PrivateEndpoints.subnet(space).is_some());
        for runtime in [Runtime::Node, Runtime::Python, Runtime::DotnetIsolated] {
            assert!(
                Slot::Functions(runtime).subnet(space).is_some(),
                "{runtime:?}"
            );
        }
        for runtime in [Runtime::Java, Runtime::Powershell] {
            assert!(
                Slot::Functions(runtime).subnet(space).is_none(),
                "{runtime:?}"
            );
        }
    }
}
