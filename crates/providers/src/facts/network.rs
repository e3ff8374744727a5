//! The network plan: how this stack's data services are reached and which subnet each function
//! app joins, worked out from the backend's `networking` and the merged function apps. The
//! network provider carves and creates the network; every other provider reads these facts and
//! writes the fields of its own resources (a data service its firewall, a function app its
//! subnet).

use crate::context::Context;
use baas_model::cidr::Ipv4Cidr;
use baas_model::existing::SubnetRole;
use baas_model::requirement::{kinds, SHARED_NETWORK};
use baas_model::{Backend, RequirementConfig, Runtime};
use baas_terraform::Address;

use super::plan::FunctionPlan;

/// Every subnet baas carves is this long.
pub const SUBNET_PREFIX: u8 = 26;

/// Where one /26 of the address space goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Slot {
    PrivateEndpoints,
    Functions(Runtime),
}

impl Slot {
    /// The position in the address space, in /26 steps. Fixed per slot, so that subnets never
    /// move when apps come and go.
    pub fn index(self) -> u32 {
        match self {
            Slot::PrivateEndpoints => 0,
            Slot::Functions(runtime) => 1 + runtime as u32,
        }
    }

    /// What the subnet is for: with an existing network, the key that names the landing
    /// zone's subnet in `networking.existing.subnets`.
    pub fn role(self) -> SubnetRole {
        match self {
            Slot::PrivateEndpoints => SubnetRole::PrivateEndpoints,
            Slot::Functions(runtime) => SubnetRole::Functions(runtime),
        }
    }

    /// The subnet's Terraform name and the naming instance of it and its NSG.
    pub fn key(self) -> String {
        self.role().key()
    }

    /// The subnet this slot gets in `space`, if it fits.
    pub fn subnet(self, space: Ipv4Cidr) -> Option<Ipv4Cidr> {
        space.subnet(SUBNET_PREFIX, self.index())
    }
}

/// How the data services of this backend can be reached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataAccess {
    /// Public endpoints (public mode).
    Public,
    /// Public access off; private endpoints in the virtual network.
    PrivateEndpoints,
    /// Public endpoint on, its firewall admitting only these subnets (Terraform ids).
    ServiceEndpoints(Vec<String>),
}

/// The stack's virtual network: created, or the landing zone's, read by name
/// (`networking.existing`).
pub fn network_address(backend: &Backend) -> Address {
    if backend.networking.existing.is_some() {
        Address::data("azurerm_virtual_network", SHARED_NETWORK)
    } else {
        Address::resource("azurerm_virtual_network", SHARED_NETWORK)
    }
}

/// The subnet of `slot`: carved, or the landing zone's subnet of that role, read by name.
pub fn subnet_address(backend: &Backend, slot: Slot) -> Address {
    if backend.networking.existing.is_some() {
        Address::data("azurerm_subnet", &slot.key())
    } else {
        Address::resource("azurerm_subnet", &slot.key())
    }
}

/// The subnets this stack uses, in slot order: the private endpoints' (with private
/// endpoints) and each App Service plan's.
pub fn used_slots(context: &Context<'_>) -> Vec<Slot> {
    let private_endpoints = context.backend.networking.private_endpoints.value;
    private_endpoints
        .then_some(Slot::PrivateEndpoints)
        .into_iter()
        .chain(integration_slots(context).into_iter().map(|(slot, _)| slot))
        .collect()
}

fn runtime_of(app_key: &str) -> Option<Runtime> {
    Runtime::ALL.iter().copied().find(|r| r.as_str() == app_key)
}

/// How this stack's data services are reached.
pub fn data_access(context: &Context<'_>) -> DataAccess {
    let networking = &context.backend.networking;
    if !networking.is_isolated() {
        return DataAccess::Public;
    }
    if networking.private_endpoints.value {
        return DataAccess::PrivateEndpoints;
    }
    DataAccess::ServiceEndpoints(
        integration_slots(context)
            .into_iter()
            .map(|(slot, _)| subnet_address(context.backend, slot).id())
            .collect(),
    )
}

/// The function apps' subnets, in slot order, with the plan of each: one per App Service plan,
/// the slot of the runtime whose app owns the plan. Apps that share a plan share its subnet:
/// the apps of one plan all integrate with one subnet, and a subnet serves one plan (App
/// Service, "Virtual network integration", limits).
pub fn integration_slots(context: &Context<'_>) -> Vec<(Slot, FunctionPlan)> {
    let mut slots: Vec<(Slot, FunctionPlan)> = context
        .all(kinds::FUNCTION_APP)
        .filter(|m| crate::facts::plan::plan_owner(context, &m.key) == m.key)
        .filter_map(|m| match &m.config {
            RequirementConfig::FunctionApp(app) => {
                Some((Slot::Functions(app.runtime), app.plan.value))
            }
            _ => None,
        })
        .collect();
    slots.sort();
    slots
}

/// What a function app sets to join the virtual network (isolated mode only): its subnet,
/// all outbound traffic through it (where the data services' private addresses resolve), and,
/// on Elastic Premium, runtime scale monitoring, because the platform's scale controller sits
/// outside the network and cannot read a private Service Bus: the app reports its own scale
/// needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppIntegration {
    /// The Terraform id of the app's subnet.
    pub subnet_id: String,
    pub route_all: bool,
    pub runtime_scale_monitoring: bool,
}

/// How the function app `app_key` on `plan` joins the network; `None` in public mode.
pub fn app_integration(
    context: &Context<'_>,
    app_key: &str,
    plan: FunctionPlan,
) -> Option<AppIntegration> {
    if !context.backend.networking.is_isolated() {
        return None;
    }
    let runtime = runtime_of(crate::facts::plan::plan_owner(context, app_key))?;
    Some(AppIntegration {
        subnet_id: subnet_address(context.backend, Slot::Functions(runtime)).id(),
        route_all: true,
        runtime_scale_monitoring: plan.is_elastic_premium(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(name: &str) -> FunctionPlan {
        FunctionPlan::parse(name).unwrap()
    }
    use crate::test_support::with_context;

    fn backend(networking: &str) -> String {
        format!(
            "name: shop\nenvironment: dev\nlocation: eastus\n{networking}\nfunctions: {{plan: EP1}}\n\
             components:\n  worker:\n    type: function-app\n    runtime: python\n    functions:\n      \
             tick: {{trigger: timer, schedule: '0 */5 * * * *'}}\n"
        )
    }

    #[test]
    fn public_mode_reaches_services_publicly_and_joins_no_app() {
        with_context(&backend(""), |context| {
            assert_eq!(data_access(context), DataAccess::Public);
            assert_eq!(app_integration(context, "python", plan("EP1")), None);
        });
    }

    #[test]
    fn isolated_apps_join_their_runtime_subnet() {
        let yaml = backend("networking: {mode: isolated, address_space: 10.0.0.0/16}");
        with_context(&yaml, |context| {
            assert_eq!(data_access(context), DataAccess::PrivateEndpoints);
            let joined = |name| app_integration(context, "python", plan(name)).unwrap();
            assert_eq!(
                joined("EP1"),
                AppIntegration {
                    subnet_id: "${azurerm_subnet.functions-python.id}".to_owned(),
                    route_all: true,
                    runtime_scale_monitoring: true,
                }
            );
            // Only Elastic Premium monitors its own scale.
            assert!(!joined("FC1").runtime_scale_monitoring);
            assert!(!joined("S1").runtime_scale_monitoring);
        });
    }

    #[test]
    fn a_landing_zone_s_subnets_are_read_not_carved() {
        let yaml = backend(
            "networking: {mode: isolated, private_endpoints: false, existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {functions-python: snet-func}}}",
        );
        with_context(&yaml, |context| {
            assert_eq!(
                network_address(context.backend).to_string(),
                "data.azurerm_virtual_network.shared"
            );
            assert_eq!(used_slots(context), [Slot::Functions(Runtime::Python)]);
            assert_eq!(
                app_integration(context, "python", plan("EP1"))
                    .unwrap()
                    .subnet_id,
                "${data.azurerm_subnet.functions-python.id}"
            );
            assert_eq!(
                data_access(context),
                DataAccess::ServiceEndpoints(vec![
                    "${data.azurerm_subnet.functions-python.id}".to_owned()
                ])
            );
        });
    }

    #[test]
    fn every_slot_is_named_by_its_role_s_key() {
        let slots =
            std::iter::once(Slot::PrivateEndpoints).chain(Runtime::ALL.map(Slot::Functions));
        let keys: Vec<String> = slots.map(Slot::key).collect();
        let roles: Vec<String> = SubnetRole::all().map(SubnetRole::key).collect();
        assert_eq!(keys, roles);
        assert_eq!(keys[0], "private-endpoints");
        assert_eq!(keys[3], "functions-dotnet-isolated");
    }

    #[test]
    fn service_endpoints_admit_the_integration_subnets() {
        let yaml = backend(
            "networking: {mode: isolated, address_space: 10.0.0.0/16, private_endpoints: false}",
        );
        with_context(&yaml, |context| {
            assert_eq!(
                data_access(context),
                DataAccess::ServiceEndpoints(vec![
                    "${azurerm_subnet.functions-python.id}".to_owned()
                ])
            );
        });
    }
}
