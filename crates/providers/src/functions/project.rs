//! The Azure Functions project baas writes for each Node and Python app (`apps/<runtime>/`).
//!
//! Every file is static — the same for every backend, embedded by `build.rs` from
//! `crates/providers/apps/<runtime>/` — except one generated table, `api.json`, which the
//! shared handler module reads at start-up: the CRUD APIs the app serves (fields, partition
//! key, declared operations, the app settings that hold database and container names),
//! whether it serves the health function, and whether the platform signs callers in
//! (`platform_auth`: CRUD routes anonymous, `x-ms-client-principal` trusted). One reviewed
//! handler module driven by a table, rather than code generated per entity, keeps the output
//! small and its behaviour the same for every entity; the same project deploys to the app in every stack, because everything
//! stack-specific is an app setting.

use baas_model::requirement::{
    self, setting_prefix, AppRequirement, CrudDatabases, CrudEntity, FunctionOrigin,
    HEALTH_FUNCTION,
};
use baas_model::{Backend, Runtime};
use baas_terraform::document::{array_of_texts, object_of_texts, to_json_at};
use serde_json::{json, Map, Value};

include!(concat!(env!("OUT_DIR"), "/assets.rs"));

/// The request header that names the tenant under `isolation: database`.
const TENANT_HEADER: &str = "x-tenant-id";

/// Whether baas generates code for apps on `runtime`.
pub fn generates(runtime: Runtime) -> bool {
    matches!(runtime, Runtime::Node | Runtime::Python)
}

/// The project's folder in the output, for runtimes baas generates code for.
pub fn folder(runtime: Runtime, key: &str) -> Option<String> {
    generates(runtime).then(|| format!("apps/{key}"))
}

/// The project's files (path in the output folder, contents).
pub fn files(folder: &str, app: &AppRequirement, backend: &Backend) -> Vec<(String, String)> {
    let (assets, table_path): (&[(&str, &str)], &str) = match app.runtime {
        Runtime::Node => (NODE, "src/baas/api.json"),
        Runtime::Python => (PYTHON, "baas/api.json"),
        _ => return Vec::new(),
    };
    let mut files: Vec<(String, String)> = assets
        .iter()
        .map(|(path, text)| (format!("{folder}/{path}"), (*text).to_owned()))
        .collect();
    files.push((format!("{folder}/{table_path}"), table(app, backend)));
    files
}

/// `api.json`: what the handler module registers and how it reaches the data. Each entity is
/// built from its component and written at once, so a table of a thousand APIs never exists as
/// values.
fn table(app: &AppRequirement, backend: &Backend) -> String {
    let serves_health = app
        .functions
        .iter()
        .any(|f| f.origin == FunctionOrigin::Health);
    let health = if serves_health {
        json!({ "function": HEALTH_FUNCTION, "route": HEALTH_FUNCTION })
    } else {
        Value::Null
    };
    // table -> entities -> entity: two levels deep.
    let entities = requirement::crud_apis(backend, app.runtime)
        .map(|(component, api)| requirement::crud_entity(backend, component, api))
        .map(|e| to_json_at(&entity(&e), 2));
    let entities = array_of_texts(entities, 1);
    let health = to_json_at(&health, 1);
    let tenant_header = to_json_at(&json!(TENANT_HEADER), 1);
    // App Service Authentication checks every caller (but the health path) before the code
    // runs: the CRUD routes are then anonymous at the function level, and the code may trust
    // the `x-ms-client-principal` header, which the platform sets (without `auth` anyone can).
    let platform_auth = to_json_at(&json!(app.auth.is_some()), 1);
    let members = [
        ("entities", entities.as_str()),
        ("health", health.as_str()),
        ("platform_auth", platform_auth.as_str()),
        ("tenant_header", tenant_header.as_str()),
    ];
    object_of_texts(members.into_iter(), 0) + "\n"
}

fn entity(entity: &CrudEntity) -> Value {
    let fields: Map<String, Value> = entity
        .fields
        .iter()
        .map(|(name, kind)| (name.clone(), json!(kind.as_str())))
        .collect();
    let operations: Map<String, Value> = entity
        .operations
        .iter()
        .map(|op| {
            let name = baas_model::requirement::crud_function_name(&entity.component, *op);
            (op.as_str().to_owned(), json!(name))
        })
        .collect();
    let mut out = json!({
        "component": entity.component,
        "entity": entity.entity,
        "fields": fields,
        "operations": operations,
        "partition_key": entity.partition_key,
        "plural": entity.plural,
    });
    match &entity.databases {
        CrudDatabases::Shared { binding } => out["settings"] = settings(binding),
        CrudDatabases::PerTenant(tenants) => {
            let tenants: Map<String, Value> = tenants
                .iter()
                .map(|(tenant, binding)| (tenant.clone(), settings(binding)))
                .collect();
            out["tenants"] = Value::Object(tenants);
        }
    }
    out
}

/// The app settings a binding's database and container names are in.
fn settings(binding: &str) -> Value {
    let prefix = setting_prefix(binding);
    json!({ "database": format!("{prefix}_DATABASE"), "container": format!("{prefix}_CONTAINER") })
}
