//! Operating a backend (`monitoring`): diagnostic settings on every service, in every stack.

use crate::support::{backend_with, resource, resource_names, Workspace};
use serde_json::{json, Value};

const DIAGNOSTIC_SETTING: &str = "azurerm_monitor_diagnostic_setting";

fn read(workspace: &Workspace, path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(workspace.join(path)).unwrap()).unwrap()
}

const EVERY_SERVICE: &str = "  users: {type: crud-api, entity: User}
  bus: {type: service-bus, queues: [orders]}
  web: {type: static-site}
";

#[test]
fn every_service_sends_its_logs_and_metrics_to_the_workspace() {
    let workspace = Workspace::with_backend(&backend_with(EVERY_SERVICE));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, DIAGNOSTIC_SETTING),
        [
            "app-node",
            "blob-functions",
            "blob-web",
            "cosmos-shared",
            "frontdoor-web",
            "servicebus-shared"
        ],
        "one setting per account, namespace, app and profile"
    );
    for (label, target, metric) in [
        (
            "app-node",
            "${azurerm_linux_function_app.node.id}",
            "AllMetrics",
        ),
        (
            "blob-web",
            "${azurerm_storage_account.web.id}/blobServices/default",
            "Transaction",
        ),
        (
            "cosmos-shared",
            "${azurerm_cosmosdb_account.shared.id}",
            "AllMetrics",
        ),
        (
            "frontdoor-web",
            "${azurerm_cdn_frontdoor_profile.web.id}",
            "AllMetrics",
        ),
        (
            "servicebus-shared",
            "${azurerm_servicebus_namespace.shared.id}",
            "AllMetrics",
        ),
    ] {
        let setting = resource(&stack, DIAGNOSTIC_SETTING, label);
        assert_eq!(setting["target_resource_id"], target, "{label}");
        assert_eq!(
            setting["log_analytics_workspace_id"],
            "${azurerm_log_analytics_workspace.shared.id}"
        );
        assert_eq!(
            setting["enabled_log"],
            json!([{ "category_group": "allLogs" }])
        );
        assert_eq!(setting["enabled_metric"], json!([{ "category": metric }]));
        assert!(
            setting.get("metric").is_none(),
            "`metric` is deprecated in 4.x"
        );
    }
    assert_eq!(
        resource(&stack, DIAGNOSTIC_SETTING, "cosmos-shared")["log_analytics_destination_type"],
        "Dedicated"
    );
}

#[test]
fn crud_apis_add_no_setting_of_their_own() {
    let one = Workspace::with_backend(&backend_with("  users: {type: crud-api, entity: User}\n"));
    one.synth_ok("out");
    let three = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order}
  items: {type: crud-api, entity: Item}
",
    ));
    three.synth_ok("out");
    assert_eq!(
        resource_names(&one.stack("out"), DIAGNOSTIC_SETTING),
        resource_names(&three.stack("out"), DIAGNOSTIC_SETTING)
    );
}

#[test]
fn diagnostics_false_or_monitoring_off_writes_no_setting() {
    for monitoring in ["{diagnostics: false}", "{enabled: false}"] {
        let workspace = Workspace::with_backend(&format!(
            "{}monitoring: {monitoring}\n",
            backend_with(EVERY_SERVICE)
        ));
        workspace.synth_ok("out");
        let stack = workspace.stack("out");
        assert_eq!(
            resource_names(&stack, DIAGNOSTIC_SETTING),
            Vec::<String>::new(),
            "{monitoring}"
        );
    }
}

#[test]
fn a_namespace_alone_gets_a_workspace_but_no_application_insights() {
    let workspace = Workspace::with_backend(&backend_with(
        "  bus: {type: service-bus, queues: [orders]}\n",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_log_analytics_workspace"),
        ["shared"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_application_insights"),
        Vec::<String>::new()
    );
    assert_eq!(
        resource_names(&stack, DIAGNOSTIC_SETTING),
        ["servicebus-shared"]
    );
    assert!(
        stack["provider"]["azurerm"]["features"]
            .get("application_insights")
            .is_none(),
        "no Application Insights rule to disable"
    );
}

#[test]
fn the_global_stack_sends_traffic_manager_logs_to_the_first_regional_workspace() {
    let workspace = Workspace::with_backend(&format!(
        "{}deployment: {{strategy: disaster-recovery, secondary: westus}}\n",
        backend_with("  users: {type: crud-api, entity: User}\n")
            .replace("{plan: Y1}", "{plan: EP1}")
    ));
    workspace.synth_ok("out");
    let global = read(&workspace, "out/global/main.tf.json");
    let setting = resource(&global, DIAGNOSTIC_SETTING, "traffic-manager-node");
    assert_eq!(
        setting["target_resource_id"],
        "${azurerm_traffic_manager_profile.node.id}"
    );
    assert_eq!(
        setting["log_analytics_workspace_id"],
        "${data.azurerm_log_analytics_workspace.primary.id}"
    );
    let data = &global["data"]["azurerm_log_analytics_workspace"]["primary"];
    let primary = read(&workspace, "out/primary/main.tf.json");
    assert_eq!(
        data["name"],
        resource(&primary, "azurerm_log_analytics_workspace", "shared")["name"]
    );
    assert_eq!(
        data["resource_group_name"],
        resource(&primary, "azurerm_resource_group", "main")["name"]
    );
    // The secondary reads the primary's Cosmos DB account: the primary's setting covers it.
    let secondary = read(&workspace, "out/secondary/main.tf.json");
    assert!(!resource_names(&secondary, DIAGNOSTIC_SETTING).contains(&"cosmos-shared".to_owned()));
    assert!(resource_names(&primary, DIAGNOSTIC_SETTING).contains(&"cosmos-shared".to_owned()));
}

#[test]
fn premium_and_dedicated_apps_that_serve_http_get_app_service_health_checks() {
    let components = "  users: {type: crud-api, entity: User}
  worker:
    type: function-app
    runtime: python
    functions: {nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}}
";
    for (plan, checked) in [("EP1", true), ("B1", true), ("Y1", false)] {
        let workspace = Workspace::with_backend(
            &backend_with(components).replace("{plan: Y1}", &format!("{{plan: {plan}}}")),
        );
        workspace.synth_ok("out");
        let stack = workspace.stack("out");
        let site = &resource(&stack, "azurerm_linux_function_app", "node")["site_config"];
        if checked {
            assert_eq!(site["health_check_path"], "/api/health", "{plan}");
            assert_eq!(site["health_check_eviction_time_in_min"], 5, "{plan}");
        } else {
            assert!(site.get("health_check_path").is_none(), "{plan}");
            assert!(
                site.get("health_check_eviction_time_in_min").is_none(),
                "{plan}"
            );
        }
        // An app without HTTP functions has no health endpoint to check.
        let worker = &resource(&stack, "azurerm_linux_function_app", "python")["site_config"];
        assert!(worker.get("health_check_path").is_none(), "{plan}");
    }
}
