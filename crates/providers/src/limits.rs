//! `limits`: counts taken after merging, so shared resources count once per stack, and added up
//! over every stack of the deployment (limits stand for subscription quotas and budgets): two
//! tenants in two regions hold four Cosmos DB accounts. Per-resource limits
//! (`max_functions_per_app`, `max_containers_per_storage`) hold for each app or account, which
//! is the same in every stack.

use crate::codes;
use crate::context::{Context, Merged, StackInfo};
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::kinds;
use baas_model::{Backend, RequirementConfig, Spanned};

/// One deployment-wide limit on a kind of resource.
struct Count<'m> {
    key: &'static str,
    what: &'static str,
    /// The merged requirements that each become one such resource in a stack that holds them.
    merged: Vec<&'m Merged>,
    /// Whether a stack creates these resources (a disaster-recovery secondary reads the
    /// primary's Cosmos DB account instead of creating one).
    created_in: fn(&Backend, &StackInfo) -> bool,
    /// Those the deployment creates once, whatever its stacks (a static site's account).
    once: Vec<&'m Merged>,
}

/// Checks every configured limit against the merged requirements, as provisioned in `stacks`
/// (the stacks that hold the backend; what exists once per deployment, a static site's storage
/// account, is counted once, in the `global` stack when there are several).
pub fn check(context: &Context<'_>, stacks: &[StackInfo]) -> Vec<Diagnostic> {
    let limits = &context.backend.limits;
    let mut diagnostics = Vec::new();
    let count = |kind: &str| context.all(kind).collect::<Vec<_>>();
    let every_stack: fn(&Backend, &StackInfo) -> bool = |_, _| true;
    let counts = [
        (
            &limits.max_cosmos_accounts,
            Count {
                key: "max_cosmos_accounts",
                what: "Cosmos DB account",
                merged: count(kinds::COSMOS_ACCOUNT),
                created_in: crate::facts::refs::creates_cosmos_account,
                once: Vec::new(),
            },
        ),
        (
            &limits.max_function_apps,
            Count {
                key: "max_function_apps",
                what: "function app",
                merged: count(kinds::FUNCTION_APP),
                created_in: every_stack,
                once: Vec::new(),
            },
        ),
        (
            &limits.max_storage_accounts,
            Count {
                key: "max_storage_accounts",
                what: "storage account",
                merged: count(kinds::STORAGE),
                created_in: every_stack,
                // Every static site has a storage account of its own, once per deployment.
                once: count(kinds::STATIC_SITE),
            },
        ),
        (
            &limits.max_servicebus_namespaces,
            Count {
                key: "max_servicebus_namespaces",
                what: "Service Bus namespace",
                merged: count(kinds::SERVICEBUS_NAMESPACE),
                created_in: every_stack,
                once: Vec::new(),
            },
        ),
    ];
    for (limit, count) in &counts {
        if let Some(limit) = limit {
            check_count(context.backend, limit, count, stacks, &mut diagnostics);
        }
    }
    if let Some(limit) = &limits.max_functions_per_app {
        for app in context.all(kinds::FUNCTION_APP) {
            if let RequirementConfig::FunctionApp(config) = &app.config {
                let components: Vec<&str> = app.components();
                per_resource(
                    limit,
                    "max_functions_per_app",
                    &format!("function app `{}`", app.key),
                    "function",
                    config.functions.len(),
                    &components,
                    &mut diagnostics,
                );
            }
        }
    }
    if let Some(limit) = &limits.max_containers_per_storage {
        for account in context.all(kinds::STORAGE) {
            if let RequirementConfig::Storage(config) = &account.config {
                let components = account.components();
                per_resource(
                    limit,
                    "max_containers_per_storage",
                    &format!("storage account `{}`", account.key),
                    "blob container",
                    config.containers.len(),
                    &components,
                    &mut diagnostics,
                );
            }
        }
    }
    diagnostics
}

fn check_count(
    backend: &Backend,
    limit: &Spanned<u32>,
    count: &Count<'_>,
    stacks: &[StackInfo],
    out: &mut Vec<Diagnostic>,
) {
    let per_stack = count.merged.len();
    let holding: Vec<&str> = stacks
        .iter()
        .filter(|stack| (count.created_in)(backend, stack))
        .map(|stack| stack.name.as_str())
        .collect();
    let once = count.once.len();
    let total = per_stack * holding.len() + once;
    if total <= limit.value as usize {
        return;
    }
    let (key, what) = (count.key, count.what);
    let causes: Vec<String> = count
        .merged
        .iter()
        .chain(&count.once)
        .map(|m| format!("`{}` (from {})", m.key, list(&m.components())))
        .collect();
    let causes = causes.join(", ");
    // What the deployment has once lives in the `global` stack when there are several.
    let global = match (once, per_stack) {
        (0, _) => String::new(),
        (_, 0) => ", in the `global` stack".to_owned(),
        _ => format!(" and {once} in the `global` stack"),
    };
    // One stack (`single`): the resources are the whole story. Otherwise each stack that
    // holds them adds them again, and the message says which and how many each.
    let (stacks_part, help) = match holding.as_slice() {
        _ if stacks.len() == 1 => (
            String::new(),
            format!("remove or merge the components that need the extra {}", noun(total, what)),
        ),
        _ if per_stack == 0 => (
            global,
            format!("remove or merge the components that need the extra {}", noun(total, what)),
        ),
        [only] => (
            format!(", in the `{only}` stack{global}"),
            format!("remove or merge the components that need the extra {}", noun(total, what)),
        ),
        _ => (
            format!(
                ", {per_stack} in each of {} stacks ({}){global}",
                holding.len(),
                list(&holding)
            ),
            format!(
                "remove or merge components (each {what} is counted once in each of the {} stacks), or deploy fewer regions, colors or tenants",
                holding.len()
            ),
        ),
    };
    out.push(
        Diagnostic::error(
            &codes::LIMIT,
            format!(
                "`limits.{key}` is {} but the deployment needs {total} {}{stacks_part}: {causes}",
                limit.value,
                noun(total, what)
            ),
        )
        .at(limit.span)
        .label(format!("limit {}", limit.value))
        .help(format!("raise `limits.{key}` to {total}, or {help}")),
    );
}

fn per_resource(
    limit: &Spanned<u32>,
    key: &str,
    resource: &str,
    what: &str,
    count: usize,
    components: &[&str],
    out: &mut Vec<Diagnostic>,
) {
    if count <= limit.value as usize {
        return;
    }
    let code = if key == "max_functions_per_app" {
        &codes::LIMIT_FUNCTIONS
    } else {
        &codes::LIMIT
    };
    out.push(
        Diagnostic::error(
            code,
            format!(
                "`limits.{key}` is {} but {resource} holds {count} {}, from {}",
                limit.value,
                noun(count, what),
                list(components)
            ),
        )
        .at(limit.span)
        .label(format!("limit {}", limit.value))
        .help(format!(
            "raise `limits.{key}` to {count}, or move some of {} elsewhere",
            list(components)
        )),
    );
}

fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "1 storage account", "2 storage accounts".
fn noun(count: usize, singular: &str) -> String {
    if count == 1 {
        singular.to_owned()
    } else {
        format!("{singular}s")
    }
}
