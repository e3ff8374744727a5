//! Topologies -> stacks: which Terraform root modules a deployment strategy produces, the
//! blocks of each, and the order to apply them in (a petgraph dependency graph: a stack that
//! reads another's resources through data sources comes after it).

use crate::codes;
use crate::stack::{self, Stack};
use crate::{manifest, parallel};
use baas_model::diagnostic::Diagnostic;
use baas_model::Strategy;
use baas_providers::facts::stacks::shared_renderings;
use baas_providers::{Claim, Context, Registry, StackInfo, StackRole};
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
    /// What the stack deploys to, for its manifest entry: section -> key -> entry.
    pub deploys: BTreeMap<String, BTreeMap<String, serde_json::Value>>,
    /// What the stack must be alone in creating (names, DNS records, custom domains).
    pub claims: Vec<Claim>,
}

#[derive(Debug)]
pub struct Built {
    /// In deploy order.
    pub stacks: Vec<BuiltStack>,
    /// Of the first (primary) stack, index-aligned with the merged requirements.
    pub addresses: Vec<Vec<Address>>,
    /// The manifest's provider sections, written.
    pub sections: manifest::Sections,
    /// What building the stacks found, in stack order.
    pub diagnostics: Vec<Diagnostic>,
}

/// The stacks that hold the backend itself (everything but `global`), primary first.
pub fn regional_stacks(context: &Context<'_>) -> Vec<StackInfo> {
    baas_providers::facts::stacks::backend_stacks(context.backend)
}

/// The `global` stack: Traffic Manager in front of the regional or color stacks, and what a
/// deployment has once (static sites) when the backend is deployed as several stacks — so a
/// `single` deployment of several tenants gets one too when it has a static site.
fn global_stack_info(context: &Context<'_>, registry: &Registry) -> Option<StackInfo> {
    let traffic_manager = !matches!(context.backend.deployment.strategy, Strategy::Single);
    if !(context.several_backend_stacks()
        && (traffic_manager || registry.has_deployment_wide(context)))
    {
        return None;
    }
    Some(StackInfo {
        name: StackRole::Global.as_str().to_owned(),
        role: StackRole::Global,
        region: context.backend.location.value,
        color: None,
        tenant: None,
    })
}

/// With an existing resource group (`resource_group.name`), every stack renders its own name;
/// two stacks that render the same would deploy into one group, and their resources (named
/// alike per stack, `main` addresses alike) would collide or be destroyed by the other's
/// apply. A name that Azure would refuse is reported too, at the template.
pub fn shared_resource_groups(context: &Context<'_>, registry: &Registry) -> Vec<Diagnostic> {
    let Some(existing) = &context.backend.resource_group else {
        return Vec::new();
    };
    let mut stacks = regional_stacks(context);
    stacks.extend(global_stack_info(context, registry));
    let mut found = Vec::new();
    let render = |stack: &StackInfo| {
        context
            .with_stack(stack.clone())
            .resource_group_azure_name()
    };
    for (name, stacks) in shared_renderings(&stacks, render, &mut found) {
        found.push(
            Diagnostic::error(
                &codes::SHARED_RESOURCE_GROUP,
                format!("stacks {stacks} would all deploy into resource group `{name}`"),
            )
            .at(existing.name.text.span)
            .label("the same name for several stacks")
            .help("put `{{stack}}` in `resource_group.name` (or `{{region}}`, `{{tenant}}`: whatever tells the stacks apart), so that each stack has a group of its own"),
        );
    }
    found
}

/// Every stack names its resources by its region and qualifiers (tenant, then color or
/// `global`): two stacks that share both would create resources of the same names, and the
/// second apply would fail. Only a tenant id can bring that about — a tenant called `global`
/// beside the `global` stack, under a strategy whose stacks have no color — so the error is at
/// the tenant's id.
pub fn stack_name_clashes(context: &Context<'_>, registry: &Registry) -> Vec<Diagnostic> {
    let mut stacks = regional_stacks(context);
    stacks.extend(global_stack_info(context, registry));
    let mut seen: BTreeMap<(&str, String), &StackInfo> = BTreeMap::new();
    let mut found = Vec::new();
    for stack in &stacks {
        let qualifiers = stack.qualifiers().collect::<Vec<_>>().join("-");
        let first = match seen.entry((stack.region.name, qualifiers)) {
            std::collections::btree_map::Entry::Vacant(entry) => {
                entry.insert(stack);
                continue;
            }
            std::collections::btree_map::Entry::Occupied(entry) => *entry.get(),
        };
        let Some((span, own, other)) =
            [(stack, first), (first, stack)]
                .into_iter()
                .find_map(|(own, other)| {
                    Some((tenant_span(context, own.tenant.as_deref()?)?, own, other))
                })
        else {
            continue;
        };
        let id = own.tenant.as_deref().unwrap_or_default();
        found.push(
            Diagnostic::error(
                &baas_model::codes::TENANCY,
                format!(
                    "tenant `{id}`: its `{}` stack would give its resources the names of the `{}` stack's (both in {})",
                    own.name, other.name, stack.region.name
                ),
            )
            .at(span)
            .label(format!("named like the `{}` stack", other.name))
            .help(format!(
                "choose another tenant id: resource names carry the tenant id, and `{}` already marks the names of the `{}` stack",
                other.qualifiers().collect::<Vec<_>>().join("-"),
                other.name
            )),
        );
    }
    found
}

fn tenant_span(context: &Context<'_>, id: &str) -> Option<baas_model::Span> {
    let tenancy = context.backend.tenancy.as_ref()?;
    let tenant = tenancy.tenants.iter().find(|t| t.id.value == id)?;
    Some(tenant.id.span)
}

/// How to finish each stack.
#[derive(Debug, Clone, Copy)]
pub struct Finish {
    /// Keep each root module as a value (for `baas graph`); `synth` needs only the text.
    pub keep_modules: bool,
    /// Whether errors were found before the stacks were built: then no module is complete,
    /// none is checked against the schema and none is written.
    pub prior_errors: bool,
}

/// What building one stack produced.
struct StackJob {
    built: BuiltStack,
    diagnostics: Vec<Diagnostic>,
    /// The primary stack's block addresses per merged requirement and its manifest sections;
    /// the global stack's manifest section.
    addresses: Option<Vec<Vec<Address>>>,
    sections: manifest::Sections,
}

/// Builds every stack: the regional ones, then `global` when the strategy has one. Stacks do
/// not depend on each other, so they are built on every core; with fewer stacks than cores,
/// each stack's check, serialization and manifest entries share the cores instead. Results
/// come back in declared order, so the output never depends on the threads.
pub fn build(context: &Context<'_>, registry: &Registry, finish: Finish) -> Built {
    let regional = regional_stacks(context);
    let global = global_stack_info(context, registry);
    let has_global = global.is_some();
    let jobs = regional.len() + usize::from(has_global);
    // Counting the cores reads cgroup files: one stack needs the count only when it is large.
    let cores = if jobs > 1 { parallel::cores() } else { 1 };
    // Whether finishing one stack may use the other cores.
    let share_cores = jobs == 1 || jobs < cores;
    let results: Vec<StackJob> = parallel::map(jobs, cores, |index| {
        match (&global, index < regional.len()) {
            (Some(info), false) => global_stack(
                context,
                registry,
                info.clone(),
                &regional,
                finish,
                share_cores,
            ),
            _ => regional_stack(context, registry, &regional, index, finish, share_cores),
        }
    });
    let mut stacks = Vec::with_capacity(jobs);
    let mut addresses: Vec<Vec<Address>> = Vec::new();
    let mut sections = manifest::Sections::new();
    let mut diagnostics = Vec::new();
    for job in results {
        stacks.push(job.built);
        diagnostics.extend(job.diagnostics);
        // The primary stack's addresses, with those of what the global stack holds alone (a
        // static site) in the slots the primary left empty.
        if let Some(found) = job.addresses {
            if addresses.is_empty() {
                addresses = found;
            } else {
                for (slot, more) in addresses.iter_mut().zip(found) {
                    if slot.is_empty() {
                        *slot = more;
                    }
                }
            }
        }
        manifest::extend_sections(&mut sections, job.sections);
    }
    let stacks = deploy_order(stacks);
    // After an error the claims may be missing or already reported (two sites with one
    // custom domain): only a deployment that is otherwise valid is checked.
    let prior_errors = finish.prior_errors || baas_model::diagnostic::has_errors(&diagnostics);
    let claims: Vec<(&str, &[Claim])> = stacks
        .iter()
        .map(|s| (s.info.name.as_str(), s.claims.as_slice()))
        .collect();
    if !prior_errors {
        diagnostics.extend(registry.claim_clashes(context, &claims));
    }
    Built {
        stacks,
        addresses,
        sections,
        diagnostics,
    }
}

fn regional_stack(
    context: &Context<'_>,
    registry: &Registry,
    regional: &[StackInfo],
    index: usize,
    finish: Finish,
    share_cores: bool,
) -> StackJob {
    let info = &regional[index];
    let primary = index == 0;
    let stack_context = if primary {
        context.with_stack(info.clone())
    } else {
        context.with_stack(info.clone()).without_manifest()
    };
    let (mut provisioned, mut diagnostics) = registry.provision(&stack_context);
    let claims = Registry::claims(&stack_context, &mut provisioned);
    // Entries are empty unless primary: the other stacks record no manifest entries.
    let (entries, deploys) = take_manifest_records(&mut provisioned);
    let addresses: Vec<Vec<Address>> = if primary {
        provisioned
            .iter()
            .map(|p| p.blocks.iter().map(|b| b.address.clone()).collect())
            .collect()
    } else {
        Vec::new()
    };
    if let Some(before) = crate::moves::before_renames(&stack_context) {
        let old_context = Context::new(context.backend, context.namer, &before)
            .with_stack(info.clone())
            .without_manifest();
        let (old, _) = registry.provision(&old_context);
        provisioned.push(baas_providers::Provisioned {
            moved: crate::moves::pair(&old, &provisioned),
            ..Default::default()
        });
    }
    let reads = registry.reads(context, info, regional);
    // The manifest describes the backend once, as the primary stack names it.
    let (stack, sections) = finish_stack(
        &stack_context,
        registry,
        provisioned,
        entries,
        finish,
        share_cores,
        &mut diagnostics,
    );
    let addresses = primary.then_some(addresses);
    StackJob {
        built: BuiltStack {
            info: info.clone(),
            stack,
            reads,
            deploys,
            claims,
        },
        diagnostics,
        addresses,
        sections,
    }
}

fn global_stack(
    context: &Context<'_>,
    registry: &Registry,
    info: StackInfo,
    regional: &[StackInfo],
    finish: Finish,
    share_cores: bool,
) -> StackJob {
    let global_context = context.with_stack(info.clone());
    // What the deployment has once (static sites), one `Provisioned` per merged requirement.
    let (mut provisioned, mut diagnostics) = registry.provision(&global_context);
    let addresses: Vec<Vec<Address>> = provisioned
        .iter()
        .map(|p| p.blocks.iter().map(|b| b.address.clone()).collect())
        .collect();
    // Traffic Manager reads every regional app through data sources, and the monitoring of
    // what the global stack holds reads the regional workspaces and Application Insights.
    match registry.provision_global(&global_context, regional) {
        Ok(p) => provisioned.push(p),
        Err(found) => diagnostics.extend(found),
    }
    if let Some(before) = crate::moves::before_renames(&global_context) {
        let old_context = Context::new(context.backend, context.namer, &before)
            .with_stack(info.clone())
            .without_manifest();
        let (mut old, _) = registry.provision(&old_context);
        if let Ok(p) = registry.provision_global(&old_context, regional) {
            old.push(p);
        }
        provisioned.push(baas_providers::Provisioned {
            moved: crate::moves::pair(&old, &provisioned),
            ..Default::default()
        });
    }
    let claims = Registry::claims(&global_context, &mut provisioned);
    let (entries, deploys) = take_manifest_records(&mut provisioned);
    let (stack, sections) = finish_stack(
        &global_context,
        registry,
        provisioned,
        entries,
        finish,
        share_cores,
        &mut diagnostics,
    );
    let reads = regional.iter().map(|s| s.name.clone()).collect();
    StackJob {
        built: BuiltStack {
            info,
            stack,
            reads,
            deploys,
            claims,
        },
        diagnostics,
        addresses: Some(addresses),
        sections,
    }
}

/// About how many bytes of text a resource takes (measured: 520 at 100 and 1,000 APIs), with
/// room to spare: a stack's text is written into a string of this size times its resources,
/// so that it is not grown by doubling (the text is shrunk to fit afterwards).
const TEXT_PER_RESOURCE: usize = 600;

/// Below this many resources a stack is finished on one thread (BENCHMARKS.md).
const SPLIT_MIN_RESOURCES: usize = 1_000;

/// What finishing a stack does: up to three independent tasks.
#[derive(Clone, Copy)]
enum Task {
    Check,
    Serialize,
    Sections,
}

enum Finished {
    Problems(Vec<Diagnostic>),
    Text(String),
    Sections(manifest::Sections),
}

/// Assembles the stack's root module from the provisioned blocks, then checks it against the
/// schema, serializes it and writes its manifest entries, on every core if `share_cores`. The module's
/// values are dropped here: only the text is kept.
fn finish_stack(
    context: &Context<'_>,
    registry: &Registry,
    provisioned: Vec<baas_providers::Provisioned>,
    entries: Vec<Written>,
    finish: Finish,
    share_cores: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Stack, manifest::Sections) {
    let stack::Assembled {
        module,
        resource_count,
        outputs,
        origins,
    } = stack::assemble(context, registry, provisioned, diagnostics);
    // After an error some blocks are missing, and the schema check would report the dangling
    // references as baas bugs: check conformance only of a module that is complete. Nothing
    // is written after an error, so there is nothing to serialize either.
    let complete = !finish.prior_errors && !baas_model::diagnostic::has_errors(diagnostics);
    // Moved into the task that writes them, so their values are dropped on its thread.
    let entries = std::sync::Mutex::new(Some(entries));
    // A helper thread costs a few hundred microseconds to start on a virtual machine: for a
    // small stack the three tasks are done sooner on this thread alone.
    let threads = if share_cores && resource_count >= SPLIT_MIN_RESOURCES {
        parallel::cores()
    } else {
        1
    };
    // The longest first, so the calling thread starts on it at once.
    let tasks: &[Task] = if complete {
        &[Task::Check, Task::Serialize, Task::Sections]
    } else {
        &[Task::Sections]
    };
    let finished = parallel::map(tasks.len(), threads, |index| match tasks[index] {
        Task::Check => Finished::Problems(stack::conformance(context, &module, &origins)),
        Task::Serialize => Finished::Text(baas_terraform::document::to_json_with_capacity(
            &module,
            resource_count * TEXT_PER_RESOURCE,
        )),
        Task::Sections => {
            let entries = entries.lock().ok().and_then(|mut e| e.take());
            Finished::Sections(manifest::write_sections(entries.unwrap_or_default()))
        }
    });
    let mut text = String::new();
    let mut sections = manifest::Sections::new();
    for done in finished {
        match done {
            Finished::Problems(problems) => diagnostics.extend(problems),
            Finished::Text(written) => text = written,
            Finished::Sections(written) => sections = written,
        }
    }
    let stack = Stack {
        name: context.stack.name.clone(),
        module: finish.keep_modules.then_some(module),
        text,
        resource_count,
        outputs,
    };
    (stack, sections)
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
    // regional stacks; a stack sharing a geo-replicated Cosmos DB account reads the one that
    // creates it, which reads nothing); a stack caught in one would keep its place.
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

/// Manifest records: section -> entry key -> entry.
type Records = BTreeMap<String, BTreeMap<String, serde_json::Value>>;

/// Provider entries for the manifest, written: section -> entry key -> text.
type Written = BTreeMap<String, BTreeMap<String, String>>;

/// What the provisioned blocks recorded for the manifest, taken out of them: the provider
/// entries (one map per merged requirement, in order) and this stack's own deploy targets.
fn take_manifest_records(
    provisioned: &mut [baas_providers::Provisioned],
) -> (Vec<Written>, Records) {
    let entries = provisioned
        .iter_mut()
        .map(|p| std::mem::take(&mut p.manifest))
        .collect();
    let mut deploys = Records::new();
    for p in provisioned {
        for (section, records) in std::mem::take(&mut p.stack_manifest) {
            deploys.entry(section).or_default().extend(records);
        }
    }
    (entries, deploys)
}

#[cfg(test)]
mod tests {
    use super::*;
    use baas_providers::StackRole;

    fn built(name: &str, reads: &[&str]) -> BuiltStack {
        BuiltStack {
            info: StackInfo {
                name: name.to_owned(),
                role: StackRole::Main,
                region: &baas_model::regions::all()[0],
                color: None,
                tenant: None,
            },
            stack: Stack {
                name: name.to_owned(),
                module: None,
                text: String::new(),
                resource_count: 0,
                outputs: Vec::new(),
            },
            reads: reads.iter().map(|r| (*r).to_owned()).collect(),
            deploys: BTreeMap::new(),
            claims: Vec::new(),
        }
    }

    fn order(stacks: Vec<BuiltStack>) -> Vec<String> {
        deploy_order(stacks)
            .into_iter()
            .map(|s| s.info.name)
            .collect()
    }

    #[test]
    fn a_stack_is_deployed_after_every_stack_it_reads() {
        // The global stack reads the regions; a region that shares the geo-replicated account
        // reads the one that creates it.
        let stacks = vec![
            built("global", &["eastus", "westeurope"]),
            built("westeurope", &["eastus"]),
            built("eastus", &[]),
        ];
        assert_eq!(order(stacks), ["eastus", "westeurope", "global"]);
    }

    #[test]
    fn stacks_that_read_nothing_keep_their_declared_order() {
        let stacks = vec![built("b", &[]), built("a", &[]), built("c", &["a"])];
        assert_eq!(order(stacks), ["b", "a", "c"]);
        // A read of a stack that is not there (a tenant's, filtered out) changes nothing.
        assert_eq!(
            order(vec![built("x", &["gone"]), built("y", &[])]),
            ["x", "y"]
        );
    }
}
