//! Topologies -> stacks: which Terraform root modules a deployment strategy produces, the
//! blocks of each, and the order to apply them in (a petgraph dependency graph: a stack that
//! reads another's resources through data sources comes after it).

use crate::stack::{self, Stack};
use baas_model::diagnostic::Diagnostic;
use baas_model::{Color, Strategy};
use baas_providers::{global, Context, Registry, StackInfo, StackRole};
use baas_terraform::Address;
use petgraph::graph::DiGraph;
use std::collections::BTreeMap;

/// A finished stack and what it is.
#[derive(Debug)]
pub struct BuiltStack {
    pub info: StackInfo,
    pub stack: Stack,
    /// Stacks this one reads through data sources.
    pub reads: Vec<String>,
}

#[derive(Debug)]
pub struct Built {
    /// In deploy order.
    pub stacks: Vec<BuiltStack>,
    /// Of the first (primary) stack, index-aligned with the merged requirements.
    pub addresses: Vec<Vec<Address>>,
    pub sections: Vec<BTreeMap<String, BTreeMap<String, serde_json::Value>>>,
}

/// The stacks that hold the backend itself (everything but `global`), primary first.
pub fn regional_stacks(context: &Context<'_>) -> Vec<StackInfo> {
    let stacks = strategy_stacks(context);
    // `isolation: account`: the whole backend once per tenant, as its own stacks.
    match &context.backend.tenancy {
        Some(tenancy) if tenancy.isolation.value == baas_model::Isolation::Account => tenancy
            .tenants
            .iter()
            .flat_map(|tenant| {
                stacks.iter().map(move |stack| {
                    let id = &tenant.id.value;
                    let name = if stack.role == StackRole::Main {
                        format!("tenant-{id}")
                    } else {
                        format!("tenant-{id}-{}", stack.name)
                    };
                    StackInfo {
                        name,
                        tenant: Some(id.clone()),
                        ..stack.clone()
                    }
                })
            })
            .collect(),
        _ => stacks,
    }
}

fn strategy_stacks(context: &Context<'_>) -> Vec<StackInfo> {
    let primary = context.backend.location.value;
    let info = |name: &str, role, region, color| StackInfo {
        name: name.to_owned(),
        role,
        region,
        color,
        tenant: None,
    };
    match &context.backend.deployment.strategy {
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

pub fn build(
    context: &Context<'_>,
    registry: &Registry,
    diagnostics: &mut Vec<Diagnostic>,
) -> Built {
    let regional = regional_stacks(context);
    let mut stacks = Vec::new();
    let mut addresses = Vec::new();
    let mut sections = Vec::new();
    for (index, info) in regional.iter().enumerate() {
        let stack_context = context.with_stack(info.clone());
        let (mut provisioned, found) = registry.provision(&stack_context);
        diagnostics.extend(found);
        if index == 0 {
            // The manifest describes the backend once, as the primary stack names it.
            sections = provisioned
                .iter_mut()
                .map(|p| std::mem::take(&mut p.manifest))
                .collect();
            addresses = provisioned
                .iter()
                .map(|p| p.blocks.iter().map(|b| b.address.clone()).collect())
                .collect();
        }
        let reads = if info.role == StackRole::Secondary {
            vec![info.name.replace("secondary", "primary")]
        } else {
            Vec::new()
        };
        let stack = stack::build(&stack_context, provisioned, diagnostics);
        stacks.push(BuiltStack {
            info: info.clone(),
            stack,
            reads,
        });
    }
    if !matches!(context.backend.deployment.strategy, Strategy::Single) {
        let info = StackInfo {
            name: "global".to_owned(),
            role: StackRole::Global,
            region: context.backend.location.value,
            color: None,
            tenant: None,
        };
        let global_context = context.with_stack(info.clone());
        let provisioned = match global::provision(&global_context, &regional) {
            Ok(mut p) => {
                sections.push(std::mem::take(&mut p.manifest));
                vec![p]
            }
            Err(found) => {
                diagnostics.extend(found);
                Vec::new()
            }
        };
        let stack = stack::build(&global_context, provisioned, diagnostics);
        let reads = regional.iter().map(|s| s.name.clone()).collect();
        stacks.push(BuiltStack { info, stack, reads });
    }
    Built {
        stacks: deploy_order(stacks),
        addresses,
        sections,
    }
}

/// Stacks sorted so that each comes after every stack it reads; ties keep their order.
fn deploy_order(stacks: Vec<BuiltStack>) -> Vec<BuiltStack> {
    let mut graph: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..stacks.len()).map(|i| graph.add_node(i)).collect();
    let index: BTreeMap<&str, usize> = stacks
        .iter()
        .enumerate()
        .map(|(i, s)| (s.info.name.as_str(), i))
        .collect();
    for (i, built) in stacks.iter().enumerate() {
        for read in &built.reads {
            if let Some(&j) = index.get(read.as_str()) {
                graph.add_edge(nodes[j], nodes[i], ());
            }
        }
    }
    // Kahn's algorithm taking the lowest declared index among the ready stacks, so the order
    // is the declared one wherever reads allow. Reads never form a cycle (global reads the
    // regional stacks, secondary reads primary); a stack caught in one would keep its place.
    let mut waiting: Vec<usize> = nodes
        .iter()
        .map(|&n| {
            graph
                .neighbors_directed(n, petgraph::Direction::Incoming)
                .count()
        })
        .collect();
    let mut ready: std::collections::BTreeSet<usize> =
        (0..stacks.len()).filter(|&i| waiting[i] == 0).collect();
    let mut order = Vec::with_capacity(stacks.len());
    while let Some(i) = ready.pop_first() {
        order.push(i);
        for next in graph.neighbors_directed(nodes[i], petgraph::Direction::Outgoing) {
            let j = graph[next];
            waiting[j] -= 1;
            if waiting[j] == 0 {
                ready.insert(j);
            }
        }
    }
    order.extend(
        (0..stacks.len())
            .filter(|i| !order.contains(i))
            .collect::<Vec<_>>(),
    );
    let mut slots: Vec<Option<BuiltStack>> = stacks.into_iter().map(Some).collect();
    order.into_iter().filter_map(|i| slots[i].take()).collect()
}
