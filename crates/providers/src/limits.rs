//! `limits`: counts taken after merging, so shared resources count once.

use crate::codes;
use crate::context::{Context, Merged};
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::kinds;
use baas_model::{RequirementConfig, Spanned};

/// Checks every configured limit against the merged requirements.
pub fn check(context: &Context<'_>) -> Vec<Diagnostic> {
    let limits = &context.backend.limits;
    let mut diagnostics = Vec::new();
    let count = |kind: &str| context.all(kind).collect::<Vec<_>>();
    check_count(
        &limits.max_cosmos_accounts,
        "max_cosmos_accounts",
        "Cosmos DB account",
        &count(kinds::COSMOS_ACCOUNT),
        &mut diagnostics,
    );
    check_count(
        &limits.max_function_apps,
        "max_function_apps",
        "function app",
        &count(kinds::FUNCTION_APP),
        &mut diagnostics,
    );
    // Every static site has a storage account of its own.
    let mut storage_accounts = count(kinds::STORAGE);
    storage_accounts.extend(count(kinds::STATIC_SITE));
    check_count(
        &limits.max_storage_accounts,
        "max_storage_accounts",
        "storage account",
        &storage_accounts,
        &mut diagnostics,
    );
    check_count(
        &limits.max_servicebus_namespaces,
        "max_servicebus_namespaces",
        "Service Bus namespace",
        &count(kinds::SERVICEBUS_NAMESPACE),
        &mut diagnostics,
    );
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
    limit: &Option<Spanned<u32>>,
    key: &str,
    what: &str,
    merged: &[&Merged],
    out: &mut Vec<Diagnostic>,
) {
    let Some(limit) = limit else { return };
    let count = merged.len();
    if count <= limit.value as usize {
        return;
    }
    let causes: Vec<String> = merged
        .iter()
        .map(|m| format!("`{}` (from {})", m.key, list(&m.components())))
        .collect();
    out.push(
        Diagnostic::error(&codes::LIMIT, format!("`limits.{key}` is {} but the backend needs {count} {}: {}", limit.value, noun(count, what), causes.join(", ")))
            .at(limit.span)
            .label(format!("limit {}", limit.value))
            .help(format!("raise `limits.{key}` to {count}, or remove or merge the components that need the extra {}", noun(count, what))),
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
