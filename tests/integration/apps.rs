//! The generated function app projects (`out/apps/<runtime>/`): which apps get one, what the
//! generated table says, the health function, what the manifest tells a deploy script, and that
//! `--check` covers the projects. The projects' own behaviour is tested by their test suites
//! against a Cosmos DB API server (`.ci/apps.sh`).

use crate::support::{backend_with, repo_root, Workspace};
use serde_json::Value;

fn json(workspace: &Workspace, path: &str) -> Value {
    let tree = workspace.tree("out");
    let bytes = tree
        .get(path)
        .unwrap_or_else(|| panic!("no `{path}` in {:?}", tree.keys().collect::<Vec<_>>()));
    serde_json::from_slice(bytes).unwrap()
}

fn example(name: &str) -> String {
    let path = repo_root().join("examples").join(name).join("backend.yaml");
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn node_and_python_apps_get_a_project_with_the_crud_table() {
    let workspace = Workspace::with_backend(&example("crud-and-functions"));
    workspace.synth_ok("out");
    let tree = workspace.tree("out");
    for file in [
        "apps/node/package.json",
        "apps/node/package-lock.json",
        "apps/node/host.json",
        "apps/node/src/baas/index.js",
        "apps/node/src/baas/api.json",
        "apps/python/function_app.py",
        "apps/python/requirements.txt",
        "apps/python/host.json",
        "apps/python/baas/api.json",
    ] {
        assert!(tree.contains_key(file), "no `{file}`");
    }
    let node = json(&workspace, "apps/node/src/baas/api.json");
    let entities = node["entities"].as_array().unwrap();
    let components: Vec<&str> = entities
        .iter()
        .map(|e| e["component"].as_str().unwrap())
        .collect();
    assert_eq!(components, ["projects", "tasks"]);
    let tasks = &entities[1];
    assert_eq!(tasks["partition_key"], "projectId");
    assert_eq!(tasks["plural"], "tasks");
    assert_eq!(tasks["fields"]["due"], "timestamp");
    assert_eq!(tasks["fields"]["done"], "boolean");
    assert_eq!(tasks["operations"]["update"], "tasks-update");
    assert_eq!(tasks["settings"]["database"], "TASKS_DATABASE");
    assert_eq!(node["health"]["route"], "health");

    // The python app hosts user functions only: its table has no entities, but the HTTP
    // function `preview` makes it serve the health function.
    let python = json(&workspace, "apps/python/baas/api.json");
    assert_eq!(python["entities"], serde_json::json!([]));
    assert_eq!(python["health"]["function"], "health");

    let manifest = json(&workspace, "baas.manifest.json");
    assert_eq!(manifest["function_apps"]["node"]["project"], "apps/node");
    let health = &manifest["function_apps"]["python"]["functions"]["health"];
    assert_eq!(health["generated"], true);
    assert_eq!(health["trigger"]["auth_level"], "anonymous");
    assert_eq!(health["trigger"]["route"], "api/health");
    let preview = &manifest["function_apps"]["python"]["functions"]["preview"];
    assert_eq!(preview["generated"], false, "user functions are the user's");
}

#[test]
fn only_declared_operations_are_in_the_table() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, operations: [read, create]}\n",
    ));
    workspace.synth_ok("out");
    let table = json(&workspace, "apps/node/src/baas/api.json");
    let operations: Vec<&String> = table["entities"][0]["operations"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(operations, ["create", "read"]);
}

#[test]
fn an_app_without_http_functions_gets_a_project_without_health() {
    let workspace = Workspace::with_backend(&backend_with(
        "  jobs:\n    type: function-app\n    runtime: python\n    functions:\n      nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}\n",
    ));
    workspace.synth_ok("out");
    let table = json(&workspace, "apps/python/baas/api.json");
    assert_eq!(table["health"], Value::Null);
    let manifest = json(&workspace, "baas.manifest.json");
    let functions = manifest["function_apps"]["python"]["functions"]
        .as_object()
        .unwrap();
    assert!(!functions.contains_key("health"));
}

#[test]
fn database_per_tenant_tables_name_each_tenants_settings() {
    let workspace = Workspace::with_backend(&example("multi-tenant-database"));
    workspace.synth_ok("out");
    let table = json(&workspace, "apps/node/src/baas/api.json");
    let projects = &table["entities"][0];
    assert_eq!(projects["settings"], Value::Null);
    assert_eq!(
        projects["tenants"]["acme"]["database"],
        "PROJECTS_ACME_DATABASE"
    );
    assert_eq!(
        projects["tenants"]["globex"]["container"],
        "PROJECTS_GLOBEX_CONTAINER"
    );
    assert_eq!(table["tenant_header"], "x-tenant-id");
    // The app settings the table names are the ones the app gets.
    let stack = workspace.stack("out");
    let settings = &stack["resource"]["azurerm_linux_function_app"]["node"]["app_settings"];
    assert!(
        settings.get("PROJECTS_ACME_DATABASE").is_some(),
        "{settings}"
    );
}

#[test]
fn runtimes_without_generated_code_warn_and_get_no_project() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, runtime: dotnet-isolated}\n",
    ));
    let synth = workspace.synth_ok("out");
    // On Consumption the newest .NET is 9.0, past its end of support: it warns too.
    assert_eq!(
        synth.codes(),
        [
            "baas::functions::end_of_support",
            "baas::functions::no_generated_code"
        ]
    );
    let block = synth.block("baas::functions::no_generated_code");
    assert!(block.contains("runtime: dotnet-isolated"), "{block}");
    let tree = workspace.tree("out");
    assert!(
        tree.keys().all(|path| !path.starts_with("apps/")),
        "{tree:?}"
    );
    let manifest = json(&workspace, "baas.manifest.json");
    let app = &manifest["function_apps"]["dotnet-isolated"];
    assert_eq!(app["project"], Value::Null);
    assert_eq!(app["functions"]["users-create"]["generated"], false);
    assert_eq!(app["functions"]["health"]["generated"], false);
}

#[test]
fn every_stack_lists_the_apps_to_deploy_to() {
    let workspace = Workspace::with_backend(&example("multi-region"));
    workspace.synth_ok("out");
    let manifest = json(&workspace, "baas.manifest.json");
    let stacks = manifest["stacks"].as_object().unwrap();
    let mut names = Vec::new();
    for region in ["eastus", "westeurope"] {
        let app = &stacks[region]["function_apps"]["node"];
        assert_eq!(app["project"], "apps/node");
        assert!(app["resource_group"].as_str().unwrap().starts_with("rg-"));
        let storage = &stacks[region]["storage_accounts"]["functions"];
        assert!(storage["name"].as_str().unwrap().starts_with("st"));
        names.push(app["name"].as_str().unwrap().to_owned());
    }
    assert_ne!(names[0], names[1], "each region has its own app");
    // The names are the apps' names in the stacks.
    let east: Value =
        serde_json::from_slice(&workspace.tree("out")["eastus/main.tf.json"]).unwrap();
    assert_eq!(
        east["resource"]["azurerm_linux_function_app"]["node"]["name"],
        names[0]
    );
    assert!(stacks["global"].get("function_apps").is_none());
}

#[test]
fn check_names_an_edited_generated_file() {
    let workspace = Workspace::with_backend(&example("crud-and-functions"));
    workspace.synth_ok("out");
    workspace.write("out/apps/node/src/baas/api.json", "{}\n");
    let check = workspace.baas(&["synth", "backend.yaml", "-o", "out", "--check"]);
    check.expect_exit(3);
    assert!(
        check.stderr.contains("apps/node/src/baas/api.json"),
        "{}",
        check.stderr
    );
}

#[test]
fn the_default_probe_is_served_and_an_interval_of_ten_seconds_alone_is_valid() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         deployment: {strategy: multi-region, regions: [eastus, westeurope], health_probe: {interval_seconds: 10}}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    workspace.synth_ok("out");
    let global: Value =
        serde_json::from_slice(&workspace.tree("out")["global/main.tf.json"]).unwrap();
    let monitor = &global["resource"]["azurerm_traffic_manager_profile"]["node"]["monitor_config"];
    assert_eq!(monitor["path"], "/api/health");
    assert_eq!(monitor["interval_in_seconds"], 10);
    // Azure accepts 5-9 s with a 10 s interval.
    assert_eq!(monitor["timeout_in_seconds"], 9);
}

#[test]
fn a_probe_path_served_by_an_anonymous_get_function_is_accepted() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         functions: {plan: Y1}\n\
         deployment: {strategy: multi-region, regions: [eastus, westeurope], health_probe: {path: /api/ready}}\n\
         components:\n  ops:\n    type: function-app\n    runtime: node\n    functions:\n      ready: {trigger: http, route: ready, methods: [get], auth_level: anonymous}\n",
    );
    let synth = workspace.synth_ok("out");
    assert_eq!(
        synth.codes(),
        ["baas::deployment::no_custom_domain"],
        "{}",
        synth.stderr
    );
}

#[test]
fn one_warning_per_app_names_every_api_without_generated_code() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, runtime: java}\n  \
         orders: {type: crud-api, entity: Order, runtime: java}\n  \
         notes: {type: crud-api, entity: Note}\n",
    ));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), ["baas::functions::no_generated_code"]);
    let block = synth.block("baas::functions::no_generated_code");
    assert!(block.contains("`users`, `orders` get their"), "{block}");
    assert!(!block.contains("`notes`"), "{block}");
    assert!(workspace
        .tree("out")
        .contains_key("apps/node/src/baas/api.json"));
}
