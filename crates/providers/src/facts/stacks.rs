//! The stacks that hold the backend (every stack but `global`), as the deployment strategy
//! and `isolation: account` make them: synth builds one root module for each, and what lives
//! in the `global` stack (Traffic Manager, a static site's Front Door origins) points at the
//! apps of each of them.

use crate::context::{StackInfo, StackRole};
use baas_model::diagnostic::Diagnostic;
use baas_model::{Backend, Color, Strategy};
use std::collections::BTreeMap;

/// The backend's stacks, primary first: the strategy's stacks, once per tenant under
/// `isolation: account`.
pub fn backend_stacks(backend: &Backend) -> Vec<StackInfo> {
    let stacks = strategy_stacks(backend);
    // `isolation: account`: the whole backend once per tenant, as its own stacks.
    match &backend.tenancy {
        Some(tenancy) if tenancy.isolation.value == baas_model::Isolation::Account => tenancy
            .tenants
            .iter()
            .flat_map(|tenant| {
                stacks
                    .iter()
                    .map(|stack| stack.clone().of_tenant(&tenant.id.value))
            })
            .collect(),
        _ => stacks,
    }
}

fn strategy_stacks(backend: &Backend) -> Vec<StackInfo> {
    let primary = backend.location.value;
    let info = |name: &str, role, region, color| StackInfo {
        name: name.to_owned(),
        role,
        region,
        color,
        tenant: None,
    };
    match &backend.deployment.strategy {
        Strategy::Single => vec![info("main", StackRole::Main, primary, None)],
        Strategy::MultiRegion { regions, .. } => regions
            .iter()
            .map(|r| info(r.value.name, StackRole::Region, r.value, None))
            .collect(),
        Strategy::BlueGreen { .. } => Color::ALL
            .iter()
            .map(|c| info(c.as_str(), StackRole::Color, primary, Some(*c)))
            .collect(),
        Strategy::DisasterRecovery { secondary, .. } => vec![
            info("primary", StackRole::Primary, primary, None),
            info("secondary", StackRole::Secondary, secondary.value, None),
        ],
    }
}

/// What several stacks render for one per-stack name (an existing resource group or Cosmos DB
/// account): each rendering two or more of `stacks` share, with their names listed for a
/// message (`` `eastus`, `westus2` ``), in rendering order. A rendering problem (a name Azure
/// refuses) goes to `problems` once, however many stacks meet it.
pub fn shared_renderings<K: Ord>(
    stacks: &[StackInfo],
    mut render: impl FnMut(&StackInfo) -> Result<K, Diagnostic>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<(K, String)> {
    let mut by_rendering: BTreeMap<K, Vec<&str>> = BTreeMap::new();
    for stack in stacks {
        match render(stack) {
            Ok(rendered) => by_rendering.entry(rendered).or_default().push(&stack.name),
            Err(problem) => {
                if !problems.contains(&problem) {
                    problems.push(problem);
                }
            }
        }
    }
    by_rendering
        .into_iter()
        .filter(|(_, names)| names.len() > 1)
        .map(|(rendered, names)| {
            let listed = names
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ");
            (rendered, listed)
        })
        .collect()
}
