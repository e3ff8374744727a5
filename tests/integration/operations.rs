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

const ALERT: &str = "azurerm_monitor_metric_alert";
const WEB_TEST: &str = "azurerm_application_insights_standard_web_test";

fn example(workspace: &Workspace, name: &str) {
    let text = std::fs::read_to_string(
        crate::support::repo_root()
            .join("examples")
            .join(name)
            .join("backend.yaml"),
    )
    .unwrap();
    workspace.write("backend.yaml", text);
}

#[test]
fn alerts_create_an_action_group_and_a_rule_per_watched_resource() {
    let workspace = Workspace::new();
    example(&workspace, "isolated-network");
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let group = resource(&stack, "azurerm_monitor_action_group", "shared");
    assert_eq!(group["short_name"], "secure");
    assert_eq!(
        group["email_receiver"][1],
        json!({ "name": "email-2", "email_address": "platform-oncall@example.com", "use_common_alert_schema": true })
    );
    assert_eq!(
        group["webhook_receiver"][0]["service_uri"],
        "https://hooks.example.com/azure-alerts"
    );
    assert_eq!(
        resource_names(&stack, ALERT),
        [
            "app-node-availability",
            "app-node-failed-executions",
            "app-node-http-5xx",
            "app-python-failed-executions",
            "cosmos-shared-throttled",
            "servicebus-shared-active-messages",
            "servicebus-shared-dead-lettered",
        ],
        "the python app serves no HTTP; the account is serverless (no normalized RU rule)"
    );
    for label in resource_names(&stack, ALERT) {
        let rule = resource(&stack, ALERT, &label);
        assert_eq!(rule["severity"], 1, "{label}");
        assert_eq!(
            rule["action"],
            json!([{ "action_group_id": "${azurerm_monitor_action_group.shared.id}" }])
        );
        let description = rule["description"].as_str().unwrap();
        let name = rule["name"].as_str().unwrap();
        let resource_name = name
            .rsplit_once("}-")
            .map(|(r, _)| format!("{r}}}"))
            .unwrap();
        assert!(
            description.contains(&resource_name),
            "{label} names its resource: {description}"
        );
    }
    let failed = resource(&stack, ALERT, "app-python-failed-executions");
    assert_eq!(
        failed["scopes"],
        json!(["${azurerm_application_insights.shared.id}"])
    );
    assert_eq!(
        failed["criteria"][0]["dimension"],
        json!([{ "name": "cloud/roleName", "operator": "Include", "values": ["${azurerm_linux_function_app.python.name}"] }])
    );
    let availability = resource(&stack, ALERT, "app-node-availability");
    assert_eq!(
        availability["application_insights_web_test_location_availability_criteria"]
            ["failed_location_count"],
        3
    );
    let test = resource(&stack, WEB_TEST, "node");
    assert_eq!(
        test["request"]["url"],
        "https://${azurerm_linux_function_app.node.default_hostname}/api/health"
    );
    assert!(test["geo_locations"].as_array().unwrap().len() >= 3);
    assert_eq!(resource_names(&stack, WEB_TEST), ["node"]);
    let manifest = read(&workspace, "out/baas.manifest.json");
    let listed = &manifest["stacks"]["main"];
    assert_eq!(
        listed["alerts"].as_object().unwrap().len(),
        8,
        "seven rules and the group"
    );
    assert_eq!(
        listed["availability_tests"]["node"]["address"],
        "azurerm_application_insights_standard_web_test.node"
    );
}

#[test]
fn a_dev_overlay_without_alerts_drops_the_rules_and_tests_but_keeps_diagnostics() {
    let workspace = Workspace::new();
    example(&workspace, "isolated-network");
    workspace
        .baas(&["synth", "backend.yaml", "-o", "out", "--env", "dev"])
        .expect_exit(0);
    let stack = workspace.stack("out");
    for kind in ["azurerm_monitor_action_group", ALERT, WEB_TEST] {
        assert_eq!(resource_names(&stack, kind), Vec::<String>::new(), "{kind}");
    }
    assert!(!resource_names(&stack, DIAGNOSTIC_SETTING).is_empty());
    let manifest = read(&workspace, "out/baas.manifest.json");
    assert!(manifest["stacks"]["main"].get("alerts").is_none());
}

#[test]
fn availability_tests_need_no_alerts_and_only_http_apps_get_one() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  worker:
    type: function-app
    runtime: python
    functions: {nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(resource_names(&stack, WEB_TEST), ["node"]);
    assert_eq!(resource_names(&stack, ALERT), Vec::<String>::new());
    let off = Workspace::with_backend(&format!(
        "{}monitoring: {{availability: false}}\n",
        backend_with("  users: {type: crud-api, entity: User}\n")
    ));
    off.synth_ok("out");
    assert_eq!(
        resource_names(&off.stack("out"), WEB_TEST),
        Vec::<String>::new()
    );
}

#[test]
fn every_stack_alerts_on_what_it_holds() {
    let workspace = Workspace::with_backend(&format!(
        "{}monitoring: {{alerts: {{email: [oncall@example.com]}}}}\ndeployment: {{strategy: disaster-recovery, secondary: westus}}\n",
        backend_with("  users: {type: crud-api, entity: User}\n").replace("{plan: Y1}", "{plan: EP1}")
    ));
    workspace.synth_ok("out");
    let primary = read(&workspace, "out/primary/main.tf.json");
    let secondary = read(&workspace, "out/secondary/main.tf.json");
    assert_eq!(
        resource_names(&primary, "azurerm_monitor_action_group"),
        ["shared"]
    );
    assert_eq!(
        resource_names(&secondary, "azurerm_monitor_action_group"),
        ["shared"]
    );
    let rules = |stack: &Value| resource_names(stack, ALERT);
    assert!(
        rules(&primary).contains(&"cosmos-shared-normalized-ru".to_owned()),
        "disaster recovery provisions throughput"
    );
    assert!(
        !rules(&secondary).iter().any(|r| r.starts_with("cosmos-")),
        "the secondary reads the primary's account"
    );
    assert!(rules(&secondary).contains(&"app-node-http-5xx".to_owned()));
}

/// With `deployment.custom_domain`, the global endpoint is tested too: from the global stack,
/// through Traffic Manager, with the first stack's Application Insights and action group.
#[test]
fn the_global_endpoint_is_tested_on_its_custom_domain() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         monitoring: {alerts: {email: [oncall@example.com]}}\n\
         deployment: {strategy: multi-region, regions: [eastus, westeurope], \
         custom_domain: api.example.com, dns_zone: example.com}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    workspace.synth_ok("out");
    let global = read(&workspace, "out/global/main.tf.json");
    let test = resource(&global, WEB_TEST, "node-global");
    assert_eq!(test["request"]["url"], "https://api.example.com/api/health");
    assert_eq!(test["location"], "eastus", "the component's region");
    assert_eq!(
        test["application_insights_id"],
        "${data.azurerm_application_insights.eastus.id}"
    );
    let rule = resource(&global, ALERT, "node-global-availability");
    assert_eq!(
        rule["action"][0]["action_group_id"],
        "${data.azurerm_monitor_action_group.eastus.id}"
    );
    // Without a custom domain the Traffic Manager name reaches no app: no global test.
    let plain = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         deployment: {strategy: multi-region, regions: [eastus, westeurope]}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    plain.synth_ok("out");
    let global = read(&plain, "out/global/main.tf.json");
    assert!(resource_names(&global, WEB_TEST).is_empty());
}

/// Under `isolation: account` each tenant's global endpoint is watched with that tenant's own
/// Application Insights and action group: one tenant's outage never pages another's receivers.
#[test]
fn each_tenant_s_global_endpoint_is_watched_with_its_own_component() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         monitoring: {alerts: {email: [oncall@example.com]}}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}\n\
         deployment: {strategy: multi-region, regions: [eastus, westeurope], \
         custom_domain: api.example.com, dns_zone: example.com}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    workspace.synth_ok("out");
    let global = read(&workspace, "out/global/main.tf.json");
    for tenant in ["acme", "globex"] {
        let test = resource(&global, WEB_TEST, &format!("node-{tenant}-global"));
        assert_eq!(
            test["application_insights_id"],
            format!("${{data.azurerm_application_insights.tenant-{tenant}-eastus.id}}")
        );
        assert_eq!(
            test["request"]["url"],
            format!("https://{tenant}.api.example.com/api/health")
        );
        let rule = resource(
            &global,
            ALERT,
            &format!("node-{tenant}-global-availability"),
        );
        assert_eq!(
            rule["action"][0]["action_group_id"],
            format!("${{data.azurerm_monitor_action_group.tenant-{tenant}-eastus.id}}")
        );
    }
}
