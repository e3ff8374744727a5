//! Landing zones: the Log Analytics workspace (`monitoring.workspace`) and the Cosmos DB account
//! (`cosmos.existing`) a platform team provides, read by name in every stack, never created.

use crate::support::{resource, resource_names, Workspace};
use serde_json::{json, Value};

/// `name: shop` in eastus with a CRUD API (node, EP1), an alert receiver, and `top`.
fn backend(top: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
         monitoring: {{alerts: {{email: [oncall@example.com]}}}}\n{top}components:\n  \
         users: {{type: crud-api, entity: User}}\n"
    )
}

const WORKSPACE: &str =
    "workspace: {name: \"log-platform-{{env}}\", resource_group: rg-monitoring}";
const ACCOUNT: &str =
    "cosmos: {existing: {name: \"cosmos-shop-{{env}}\", resource_group: rg-data}}\n";

/// Every stack of `out`, parsed, by folder.
fn stacks(workspace: &Workspace, out: &str) -> Vec<(String, Value)> {
    workspace
        .tree(out)
        .into_iter()
        .filter_map(|(path, bytes)| {
            let stack = path.strip_suffix("/main.tf.json")?;
            (!stack.contains('/'))
                .then(|| (stack.to_owned(), serde_json::from_slice(&bytes).unwrap()))
        })
        .collect()
}

/// A stack that uses both creates neither: the workspace and the account are data sources, and
/// everything that pointed at the created ones points at them; the account gets no diagnostic
/// setting and no alert rule (its owner watches it), the workspace no retention.
#[test]
fn a_stack_on_an_existing_workspace_and_account_creates_neither() {
    let workspace = Workspace::with_backend(
        &backend(ACCOUNT).replace("monitoring: {", &format!("monitoring: {{{WORKSPACE}, ")),
    );
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let text = serde_json::to_string(&stack).unwrap();
    for created in [
        "azurerm_log_analytics_workspace",
        "azurerm_cosmosdb_account",
    ] {
        assert!(
            stack["resource"].get(created).is_none(),
            "{created} is created"
        );
        assert!(
            !text.contains(&format!("${{{created}.")),
            "{created} is referenced"
        );
    }
    assert_eq!(
        stack["data"]["azurerm_log_analytics_workspace"]["shared"],
        json!({ "name": "log-platform-prod", "resource_group_name": "rg-monitoring" })
    );
    assert_eq!(
        stack["data"]["azurerm_cosmosdb_account"]["shared"],
        json!({ "name": "cosmos-shop-prod", "resource_group_name": "rg-data" })
    );
    let workspace_id = "${data.azurerm_log_analytics_workspace.shared.id}";
    assert_eq!(
        resource(&stack, "azurerm_application_insights", "shared")["workspace_id"],
        workspace_id
    );
    let settings = &stack["resource"]["azurerm_monitor_diagnostic_setting"];
    assert_eq!(
        resource_names(&stack, "azurerm_monitor_diagnostic_setting"),
        ["app-node", "blob-functions"]
    );
    for (_, setting) in settings.as_object().unwrap() {
        assert_eq!(setting["log_analytics_workspace_id"], workspace_id);
    }
    assert!(resource_names(&stack, "azurerm_monitor_metric_alert")
        .iter()
        .all(|rule| !rule.starts_with("cosmos")));
    // Databases and containers go into the account, in its own group.
    let account = "data.azurerm_cosmosdb_account.shared";
    let database = resource(&stack, "azurerm_cosmosdb_sql_database", "shop");
    assert_eq!(database["account_name"], format!("${{{account}.name}}"));
    assert_eq!(
        database["resource_group_name"],
        format!("${{{account}.resource_group_name}}")
    );
    assert_eq!(database["lifecycle"]["prevent_destroy"], true);
    // Throughput follows the account: none on a serverless one.
    assert_eq!(
        database["dynamic"]["autoscale_settings"]["for_each"],
        format!(
            "${{contains({account}.capabilities[*].name, \"EnableServerless\") ? [] : [1000]}}"
        )
    );
    let container = resource(&stack, "azurerm_cosmosdb_sql_container", "users");
    assert_eq!(container["account_name"], format!("${{{account}.name}}"));
    // The role assignment is scoped to the container, as on a created account.
    let grant = resource(&stack, "azurerm_cosmosdb_sql_role_assignment", "node-users");
    assert_eq!(
        grant["scope"],
        format!("${{{account}.id}}/dbs/shop/colls/users")
    );
    assert_eq!(
        grant["depends_on"],
        json!(["azurerm_cosmosdb_sql_container.users"])
    );
    let settings = resource(&stack, "azurerm_linux_function_app", "node")["app_settings"].clone();
    assert_eq!(
        settings["COSMOS__accountEndpoint"],
        format!("${{{account}.endpoint}}")
    );
    assert_eq!(
        stack["output"]["cosmos_endpoint"]["value"],
        format!("${{{account}.endpoint}}")
    );
    let manifest: Value =
        serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    assert_eq!(
        manifest["cosmos_accounts"]["shared"],
        json!({ "address": account, "existing": true, "name": "cosmos-shop-prod", "resource_group": "rg-data" })
    );
    assert_eq!(
        manifest["monitoring"]["shared"]["existing"],
        json!({ "address": "data.azurerm_log_analytics_workspace.shared", "resource_group": "rg-monitoring" })
    );
    // The graph draws them as what they are: data sources.
    let graph = workspace.baas(&["graph", "backend.yaml", "--format", "json"]);
    graph.expect_exit(0);
    let graph: Value = serde_json::from_str(&graph.stdout).unwrap();
    let ids: Vec<&str> = graph["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap())
        .collect();
    for id in [
        "resource:data.azurerm_cosmosdb_account.shared",
        "resource:data.azurerm_log_analytics_workspace.shared",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(!ids
        .iter()
        .any(|id| id.starts_with("resource:azurerm_cosmosdb_account.")
            || id.starts_with("resource:azurerm_log_analytics_workspace.")));
}

/// Under `data: global` the landing zone's account is the geo-replicated one of every region:
/// named with the primary `location`'s values, its databases added by that region's stack
/// (applied first), read by the others; one shared workspace serves every stack, and the
/// global stack's settings send to it.
#[test]
fn every_region_uses_the_one_existing_account_under_global_data() {
    let workspace = Workspace::with_backend(&backend(&format!(
        "monitoring: {{{WORKSPACE}}}\ncosmos: {{existing: {{name: \"cosmos-shop-{{{{region}}}}\", resource_group: rg-data}}}}\n\
         deployment: {{strategy: multi-region, regions: [eastus, westus2]}}\n"
    )).replacen("monitoring: {alerts: {email: [oncall@example.com]}}\n", "", 1));
    workspace.synth_ok("out");
    for (name, stack) in stacks(&workspace, "out") {
        if name == "global" {
            assert_eq!(
                stack["data"]["azurerm_log_analytics_workspace"]["eastus"],
                json!({ "name": "log-platform-prod", "resource_group_name": "rg-monitoring" })
            );
            continue;
        }
        assert_eq!(
            stack["data"]["azurerm_cosmosdb_account"]["shared"],
            json!({ "name": "cosmos-shop-eus", "resource_group_name": "rg-data" }),
            "{name}"
        );
        assert!(stack["resource"].get("azurerm_cosmosdb_account").is_none());
        assert!(stack["resource"]
            .get("azurerm_log_analytics_workspace")
            .is_none());
        let holds = !resource_names(&stack, "azurerm_cosmosdb_sql_container").is_empty();
        assert_eq!(holds, name == "eastus", "{name}");
        assert_eq!(
            resource_names(&stack, "azurerm_cosmosdb_sql_role_assignment"),
            ["node-users"]
        );
    }
    let manifest: Value =
        serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    assert_eq!(
        manifest["deploy_order"],
        json!(["eastus", "westus2", "global"])
    );
    assert_eq!(manifest["stacks"]["westus2"]["reads"], json!(["eastus"]));
}

/// Under `disaster-recovery` the existing account is the geo-replicated one: the secondary
/// reads it by the primary's name and adds role assignments only.
#[test]
fn a_disaster_recovery_secondary_reads_the_existing_account() {
    let workspace = Workspace::with_backend(&backend(
        "cosmos: {existing: {name: \"cosmos-shop-{{stack}}\", resource_group: rg-data}}\n\
         deployment: {strategy: disaster-recovery, secondary: westus2}\n",
    ));
    workspace.synth_ok("out");
    let tree = workspace.tree("out");
    let secondary: Value = serde_json::from_slice(&tree["secondary/main.tf.json"]).unwrap();
    assert_eq!(
        secondary["data"]["azurerm_cosmosdb_account"]["shared"],
        json!({ "name": "cosmos-shop-primary", "resource_group_name": "rg-data" })
    );
    assert!(secondary["resource"]
        .get("azurerm_cosmosdb_sql_database")
        .is_none());
    assert_eq!(
        resource(
            &secondary,
            "azurerm_cosmosdb_sql_role_assignment",
            "node-users"
        )["resource_group_name"],
        "${data.azurerm_cosmosdb_account.shared.resource_group_name}"
    );
    let primary: Value = serde_json::from_slice(&tree["primary/main.tf.json"]).unwrap();
    assert!(primary["resource"]
        .get("azurerm_cosmosdb_account")
        .is_none());
    assert_eq!(
        resource_names(&primary, "azurerm_cosmosdb_sql_container"),
        ["users"]
    );
}

/// Under `data: regional` each region holds its own data, in the account its template names.
#[test]
fn each_region_adds_its_data_to_its_own_existing_account_under_regional_data() {
    let workspace = Workspace::with_backend(&backend(
        "cosmos: {existing: {name: \"cosmos-shop-{{region}}\", resource_group: \"rg-data-{{region}}\"}}\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2], data: regional}\n",
    ));
    workspace.synth_ok("out");
    for (region, short) in [("eastus", "eus"), ("westus2", "wus2")] {
        let stack: Value =
            serde_json::from_slice(&workspace.tree("out")[&format!("{region}/main.tf.json")])
                .unwrap();
        assert_eq!(
            stack["data"]["azurerm_cosmosdb_account"]["shared"],
            json!({ "name": format!("cosmos-shop-{short}"), "resource_group_name": format!("rg-data-{short}") })
        );
        assert_eq!(
            resource_names(&stack, "azurerm_cosmosdb_sql_container"),
            ["users"]
        );
    }
}

/// Environments switch each foundation: the base document creates its workspace and account,
/// `--env prod` uses the landing zone's.
#[test]
fn an_environment_switches_between_created_and_existing() {
    let workspace = Workspace::with_backend(&format!(
        "{}environments:\n  prod:\n    monitoring: {{{WORKSPACE}}}\n    {ACCOUNT}",
        backend("")
    ));
    workspace.synth_ok("dev");
    let dev = workspace.stack("dev");
    assert_eq!(
        resource_names(&dev, "azurerm_log_analytics_workspace"),
        ["shared"]
    );
    assert_eq!(resource_names(&dev, "azurerm_cosmosdb_account"), ["shared"]);
    assert!(dev.get("data").is_none());
    workspace
        .baas(&["synth", "backend.yaml", "--env", "prod", "-o", "prod"])
        .expect_exit(0);
    let prod = workspace.stack("prod");
    assert!(prod["resource"]
        .get("azurerm_log_analytics_workspace")
        .is_none());
    assert!(prod["resource"].get("azurerm_cosmosdb_account").is_none());
    assert_eq!(
        prod["data"]["azurerm_cosmosdb_account"]["shared"]["name"],
        "cosmos-shop-prod"
    );
    assert_eq!(
        prod["data"]["azurerm_log_analytics_workspace"]["shared"]["name"],
        "log-platform-prod"
    );
}
