//! Topologies (`deployment.strategy`): which stacks exist, what each holds, the deploy order,
//! remote state, and environment overlays.

use crate::support::{resource, resource_names, Workspace};
use serde_json::{json, Value};

const COMPONENTS: &str = "components:
  users: {type: crud-api, entity: User, schema: {id: string}}
";

fn backend(extra: &str) -> String {
    format!("name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n{extra}\n{COMPONENTS}")
}

fn read(workspace: &Workspace, path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(workspace.join(path)).unwrap()).unwrap()
}

#[test]
fn multi_region_has_a_stack_per_region_and_a_global_one_applied_last() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: multi-region, regions: [westeurope, eastus], data: regional}",
    ));
    workspace.synth_ok("out");
    let manifest = read(&workspace, "out/baas.manifest.json");
    // The primary `location` leads wherever `regions` lists it.
    assert_eq!(
        manifest["deploy_order"],
        serde_json::json!(["eastus", "westeurope", "global"])
    );
    let west = read(&workspace, "out/westeurope/main.tf.json");
    let east = read(&workspace, "out/eastus/main.tf.json");
    let name = |stack: &Value| {
        resource(stack, "azurerm_cosmosdb_account", "shared")["name"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(
        name(&west).contains("-weu-") && name(&east).contains("-eus-"),
        "names carry the region"
    );
    assert_eq!(
        resource(&west, "azurerm_cosmosdb_account", "shared")["location"],
        "westeurope"
    );
    let global = read(&workspace, "out/global/main.tf.json");
    let profile = resource(&global, "azurerm_traffic_manager_profile", "node");
    assert_eq!(profile["traffic_routing_method"], "Performance");
    assert_eq!(
        profile["monitor_config"]["path"], "/api/health",
        "the default probe path is the generated health function"
    );
    assert_eq!(
        resource_names(&global, "azurerm_traffic_manager_external_endpoint"),
        ["node-eastus", "node-westeurope"]
    );
    let endpoint = resource(
        &global,
        "azurerm_traffic_manager_external_endpoint",
        "node-westeurope",
    );
    assert_eq!(
        endpoint["target"],
        "${data.azurerm_linux_function_app.node-westeurope.default_hostname}"
    );
    assert_eq!(
        global["data"]["azurerm_linux_function_app"]["node-westeurope"]["resource_group_name"],
        west["resource"]["azurerm_resource_group"]["main"]["name"]
    );
}

#[test]
fn blue_green_disables_the_inactive_color_instead_of_weight_zero() {
    let workspace =
        Workspace::with_backend(&backend("deployment: {strategy: blue-green, active: blue}"));
    let synth = workspace.synth_ok("out");
    assert!(
        synth.stderr.contains("baas::deployment::stateful_colors"),
        "{}",
        synth.stderr
    );
    let global = read(&workspace, "out/global/main.tf.json");
    let blue = resource(
        &global,
        "azurerm_traffic_manager_external_endpoint",
        "node-blue",
    );
    let green = resource(
        &global,
        "azurerm_traffic_manager_external_endpoint",
        "node-green",
    );
    assert_eq!(
        (blue["weight"].as_u64(), blue["enabled"].as_bool()),
        (Some(1000), Some(true))
    );
    assert_eq!(
        (green["weight"].as_u64(), green["enabled"].as_bool()),
        (Some(1), Some(false))
    );
    assert_eq!(
        resource(&global, "azurerm_traffic_manager_profile", "node")["traffic_routing_method"],
        "Weighted"
    );
    let blue_stack = read(&workspace, "out/blue/main.tf.json");
    let group = resource(&blue_stack, "azurerm_resource_group", "main");
    assert!(group["name"].as_str().unwrap().contains("blue"));
    assert_eq!(group["tags"]["color"], "blue");
}

/// The warning names what each color duplicates, as English: "its own Cosmos DB account"
/// (it once read "its own a Cosmos DB account"), and a list ends with "and".
#[test]
fn blue_green_stateful_colors_warning_names_the_services() {
    let blue_green = backend("deployment: {strategy: blue-green, active: blue}");
    let with_queue = format!(
        "{blue_green}  jobs:
    type: function-app
    runtime: node
    functions:
      on-order: {{trigger: queue, queue: orders}}
"
    );
    for (yaml, services) in [
        (blue_green.clone(), "Cosmos DB account"),
        (with_queue, "Cosmos DB account and Service Bus namespace"),
    ] {
        let workspace = Workspace::with_backend(&yaml);
        let validate = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
        validate.expect_exit(0);
        let messages: Vec<String> = validate
            .json_diagnostics()
            .iter()
            .filter(|d| d["code"] == "baas::deployment::stateful_colors")
            .map(|d| d["message"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            messages,
            [format!(
                "each color gets its own {services}: data does not follow a switch-over"
            )]
        );
    }
}

#[test]
fn blue_green_weights_shift_traffic_gradually() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: blue-green, active: green, weights: {blue: 10, green: 90}}",
    ));
    workspace.synth_ok("out");
    let global = read(&workspace, "out/global/main.tf.json");
    assert_eq!(
        resource(
            &global,
            "azurerm_traffic_manager_external_endpoint",
            "node-blue"
        )["weight"],
        10
    );
    assert_eq!(
        resource(
            &global,
            "azurerm_traffic_manager_external_endpoint",
            "node-green"
        )["weight"],
        90
    );
}

/// Equal weights (a 50/50 canary) do not contradict `active`; less weight for the active color
/// does (the fixture `deployment-active-contradicts-weights.yaml`).
#[test]
fn equal_weights_agree_with_either_active_color() {
    for active in ["blue", "green"] {
        let workspace = Workspace::with_backend(&backend(&format!(
            "deployment: {{strategy: blue-green, active: {active}, weights: {{blue: 50, green: 50}}}}"
        )));
        workspace.synth_ok("out");
    }
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: blue-green, active: green, weights: {blue: 60, green: 40}}",
    ));
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate
        .expect_exit(1)
        .expect_code("baas::deployment::invalid");
    let block = validate.block("baas::deployment::invalid");
    assert!(
        block.contains("`active: green` contradicts `weights`, which send more traffic to blue (blue 60, green 40)"),
        "{block}"
    );
}

/// The profile's DNS TTL is 60 seconds unless `health_probe.ttl_seconds` says otherwise.
#[test]
fn the_profile_ttl_is_60_seconds_unless_ttl_seconds_is_written() {
    let ttl = |probe: &str| {
        let workspace = Workspace::with_backend(&backend(&format!(
            "deployment: {{strategy: multi-region, regions: [eastus, westeurope]{probe}}}"
        )));
        workspace.synth_ok("out");
        let global = read(&workspace, "out/global/main.tf.json");
        resource(&global, "azurerm_traffic_manager_profile", "node")["dns_config"]["ttl"].clone()
    };
    assert_eq!(ttl(""), 60);
    assert_eq!(ttl(", health_probe: {ttl_seconds: 30}"), 30);
    assert_eq!(ttl(", health_probe: {ttl_seconds: 0}"), 0);
    assert_eq!(
        ttl(", health_probe: {ttl_seconds: 2147483647}"),
        2_147_483_647
    );
}

/// azurerm accepts a TTL from 0 to 2,147,483,647 seconds; anything else is reported at the value.
#[test]
fn a_ttl_outside_what_azure_accepts_is_an_error_at_the_value() {
    for ttl in ["-1", "2147483648"] {
        let workspace = Workspace::with_backend(&backend(&format!(
            "deployment: {{strategy: multi-region, regions: [eastus, westeurope], health_probe: {{ttl_seconds: {ttl}}}}}"
        )));
        let validate = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
        validate.expect_exit(1);
        let diagnostics = validate.json_errors();
        assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
        assert_eq!(diagnostics[0]["code"], "baas::schema::invalid_value");
        assert!(
            diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("`health_probe.ttl_seconds`"),
            "{diagnostics:?}"
        );
        // `deployment:` is on line 5 of `backend`; the value is the only `ttl` on it.
        let line = "deployment: {strategy: multi-region, regions: [eastus, westeurope], health_probe: {ttl_seconds: ";
        assert_eq!(diagnostics[0]["line"], 5);
        assert_eq!(diagnostics[0]["column"], line.chars().count() + 1);
    }
}

#[test]
fn disaster_recovery_replicates_one_account_and_the_secondary_reads_it() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: disaster-recovery, secondary: westus2, rto: 1h, rpo: 5m}",
    ));
    workspace.synth_ok("out");
    let manifest = read(&workspace, "out/baas.manifest.json");
    assert_eq!(
        manifest["deploy_order"],
        serde_json::json!(["primary", "secondary", "global"])
    );
    let primary = read(&workspace, "out/primary/main.tf.json");
    let account = resource(&primary, "azurerm_cosmosdb_account", "shared");
    assert_eq!(account["geo_location"].as_array().unwrap().len(), 2);
    assert_eq!(account["automatic_failover_enabled"], true);
    assert!(
        account.get("capabilities").is_none(),
        "provisioned, not serverless"
    );
    assert_eq!(account["tags"]["rto"], "1h");
    let secondary = read(&workspace, "out/secondary/main.tf.json");
    assert!(
        secondary["resource"]
            .get("azurerm_cosmosdb_account")
            .is_none(),
        "no second account"
    );
    assert_eq!(
        secondary["data"]["azurerm_cosmosdb_account"]["shared"]["name"],
        account["name"]
    );
    let global = read(&workspace, "out/global/main.tf.json");
    assert_eq!(
        resource(&global, "azurerm_traffic_manager_profile", "node")["traffic_routing_method"],
        "Priority"
    );
    assert_eq!(
        resource(
            &global,
            "azurerm_traffic_manager_external_endpoint",
            "node-secondary"
        )["priority"],
        2
    );
}

#[test]
fn remote_state_gives_every_stack_its_own_key() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: multi-region, regions: [eastus, westus2]}\nstate: {resource_group: rg-tf, storage_account: sttf, container: tfstate}",
    ));
    workspace.synth_ok("out");
    for stack in ["eastus", "westus2", "global"] {
        let module = read(&workspace, &format!("out/{stack}/main.tf.json"));
        let backend = &module["terraform"]["backend"]["azurerm"];
        assert_eq!(backend["key"], format!("shop/prod/{stack}.tfstate"));
        assert_eq!(backend["use_azuread_auth"], true);
    }
}

const OVERLAID: &str = "name: shop
environment: prod
location: eastus
monitoring: {retention_days: 90}
environments:
  dev:
    environment: dev
    monitoring: {retention_days: 7}
    components: {reports: {enabled: false}}
  test:
    environment: test
components:
  users: {type: crud-api, entity: User}
  reports:
    type: function-app
    runtime: python
    functions: {weekly: {trigger: timer, schedule: \"0 0 6 * * Mon\"}}
functions: {plan: Y1}
";

#[test]
fn an_environment_overlay_is_chosen_with_env_and_reported_at_its_own_lines() {
    let workspace = Workspace::with_backend(OVERLAID);
    let outcome = workspace.baas(&[
        "validate",
        "backend.yaml",
        "--env",
        "dev",
        "--format",
        "json",
    ]);
    outcome.expect_exit(1);
    let diagnostics = outcome.json_diagnostics();
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!(diagnostics[0]["line"], 8, "the overlay's retention_days");
    let test = workspace.baas(&["synth", "backend.yaml", "--env", "test", "-o", "out"]);
    test.expect_exit(0);
    let stack = workspace.stack("out");
    assert_eq!(
        resource(&stack, "azurerm_resource_group", "main")["tags"]["environment"],
        "test"
    );
    assert!(stack["resource"]["azurerm_linux_function_app"]
        .get("python")
        .is_some());
}

#[test]
fn an_overlay_can_disable_a_component() {
    let workspace =
        Workspace::with_backend(&OVERLAID.replace("retention_days: 7", "retention_days: 30"));
    workspace
        .baas(&["synth", "backend.yaml", "--env", "dev", "-o", "out"])
        .expect_exit(0);
    let stack = workspace.stack("out");
    assert!(stack["resource"]["azurerm_linux_function_app"]
        .get("python")
        .is_none());
}

#[test]
fn an_unknown_environment_lists_the_known_ones() {
    let workspace = Workspace::with_backend(OVERLAID);
    let outcome = workspace.baas(&["validate", "backend.yaml", "--env", "prod"]);
    outcome
        .expect_exit(1)
        .expect_code("baas::environments::unknown");
    assert!(
        outcome.stderr.contains("`dev`, `test`"),
        "{}",
        outcome.stderr
    );
}

#[test]
fn database_isolation_gives_each_tenant_its_own_database_and_settings() {
    let workspace = Workspace::with_backend(&backend(
        "tenancy: {isolation: database, tenants: [{id: acme}, {id: globex}]}",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_database"),
        ["shop-acme", "shop-globex"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_role_assignment"),
        ["node-shop-acme-users", "node-shop-globex-users"]
    );
    let settings = &resource(&stack, "azurerm_linux_function_app", "node")["app_settings"];
    assert_eq!(settings["USERS_ACME_DATABASE"], "shop-acme");
}

#[test]
fn account_isolation_composes_with_multi_region() {
    let workspace = Workspace::with_backend(&backend(
        "tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}\ndeployment: {strategy: multi-region, regions: [eastus, westus2]}",
    ));
    workspace.synth_ok("out");
    let manifest = read(&workspace, "out/baas.manifest.json");
    assert_eq!(
        manifest["deploy_order"],
        serde_json::json!([
            "tenant-acme-eastus",
            "tenant-acme-westus2",
            "tenant-globex-eastus",
            "tenant-globex-westus2",
            "global"
        ])
    );
    assert_eq!(
        manifest["stacks"]["tenant-globex-westus2"]["tenant"],
        "globex"
    );
    let global = read(&workspace, "out/global/main.tf.json");
    assert_eq!(
        resource_names(&global, "azurerm_traffic_manager_profile"),
        ["node-acme", "node-globex"]
    );
    let acme = read(&workspace, "out/tenant-acme-eastus/main.tf.json");
    let group = resource(&acme, "azurerm_resource_group", "main");
    assert!(group["name"].as_str().unwrap().contains("acme"));
    assert_eq!(group["tags"]["tenant"], "acme");
}

/// A tenant whose id is `secondary` (or `primary`) must not confuse which stack reads which:
/// a secondary reads the primary of its own tenant, found by role, not by editing names.
#[test]
fn a_tenant_named_secondary_reads_its_own_primary() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: disaster-recovery, secondary: westus2}\n\
         tenancy: {isolation: account, tenants: [{id: secondary}, {id: primary}]}",
    ));
    workspace.synth_ok("out");
    let manifest = read(&workspace, "out/baas.manifest.json");
    let stacks = &manifest["stacks"];
    assert_eq!(
        stacks["tenant-secondary-secondary"]["reads"],
        serde_json::json!(["tenant-secondary-primary"])
    );
    assert_eq!(
        stacks["tenant-primary-secondary"]["reads"],
        serde_json::json!(["tenant-primary-primary"])
    );
    let order: Vec<&str> = manifest["deploy_order"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let position = |name: &str| order.iter().position(|s| *s == name).unwrap();
    assert!(position("tenant-secondary-primary") < position("tenant-secondary-secondary"));
    assert!(position("tenant-primary-primary") < position("tenant-primary-secondary"));
}

/// Tenant ids that are also stack roles, colors or a region.
const TRICKY_TENANTS: &str =
    "[{id: primary}, {id: secondary}, {id: blue}, {id: green}, {id: main}, {id: eastus}]";

const STRATEGIES: &[&str] = &[
    "{strategy: single}",
    "{strategy: multi-region, regions: [eastus, westeurope]}",
    "{strategy: blue-green, active: blue}",
    "{strategy: disaster-recovery, secondary: westus2}",
];

/// Tenant ids such as `primary`, `blue` or `eastus` are ordinary ids under every strategy (and
/// `global` where no stack of its would be named like the `global` stack): every stack has its
/// own name, the deploy order puts each stack after the stacks it reads, and no two stacks
/// create a resource of the same type and name.
#[test]
fn tenant_ids_that_are_roles_colors_or_regions_work_under_every_strategy() {
    for strategy in STRATEGIES {
        let tenants = if strategy.contains("single") || strategy.contains("blue-green") {
            TRICKY_TENANTS.replace("]", ", {id: global}]")
        } else {
            TRICKY_TENANTS.to_owned()
        };
        let workspace = Workspace::with_backend(&backend(&format!(
            "deployment: {strategy}\ntenancy: {{isolation: account, tenants: {tenants}}}"
        )));
        workspace.synth_ok("out");
        let manifest = read(&workspace, "out/baas.manifest.json");
        let order: Vec<&str> = manifest["deploy_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap())
            .collect();
        let stacks = manifest["stacks"].as_object().unwrap();
        assert_eq!(
            order.len(),
            stacks.len(),
            "{strategy}: stack names are unique"
        );
        let position = |name: &str| order.iter().position(|s| *s == name);
        for (name, stack) in stacks {
            for read in stack["reads"].as_array().into_iter().flatten() {
                let read = read.as_str().unwrap();
                assert!(
                    position(read) < position(name) && position(read).is_some(),
                    "{strategy}: `{name}` reads `{read}` but deploys before it: {order:?}"
                );
            }
        }
        let mut owners: std::collections::BTreeMap<(String, String), &str> =
            std::collections::BTreeMap::new();
        let modules: Vec<(&str, Value)> = order
            .iter()
            .map(|name| (*name, read(&workspace, &format!("out/{name}/main.tf.json"))))
            .collect();
        for (name, module) in &modules {
            for (kind, resources) in module["resource"].as_object().unwrap() {
                for body in resources.as_object().unwrap().values() {
                    // Resources with a location of their own are the ones Azure names in a
                    // resource group or globally; child resources repeat names per parent.
                    let (Some(resource_name), Some(_)) =
                        (body["name"].as_str(), body.get("location"))
                    else {
                        continue;
                    };
                    let key = (kind.clone(), resource_name.to_owned());
                    if let Some(first) = owners.insert(key, name) {
                        panic!("{strategy}: `{kind}` `{resource_name}` is created by `{first}` and `{name}`");
                    }
                }
            }
        }
    }
}

/// A tenant called `global` beside the `global` stack, under a strategy whose stacks have no
/// color, would give its primary-region stack the `global` stack's resource names (the same
/// resource group): an error at the tenant id, before anything is written.
#[test]
fn a_tenant_named_global_beside_the_global_stack_is_an_error_at_its_id() {
    for strategy in [STRATEGIES[1], STRATEGIES[3]] {
        let workspace = Workspace::with_backend(&backend(&format!(
            "deployment: {strategy}\ntenancy: {{isolation: account, tenants: [{{id: acme}}, {{id: global}}]}}"
        )));
        let validate = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
        validate.expect_exit(1);
        let diagnostics = validate.json_errors();
        assert_eq!(diagnostics.len(), 1, "{strategy}: {diagnostics:?}");
        assert_eq!(diagnostics[0]["code"], "baas::tenancy::invalid");
        assert_eq!(diagnostics[0]["line"], 6, "{diagnostics:?}");
        let line = "tenancy: {isolation: account, tenants: [{id: acme}, {id: ";
        assert_eq!(diagnostics[0]["column"], line.len() + 1, "{diagnostics:?}");
        assert!(
            diagnostics[0]["message"]
                .as_str()
                .unwrap()
                .contains("its `tenant-global-"),
            "{diagnostics:?}"
        );
    }
}

/// `data: global` (the default): one Cosmos DB account in the primary `location`'s stack,
/// replicated to every region with autoscale throughput; the other regions read it through a
/// data source, are applied after it, and tell the generated code to prefer their own region.
#[test]
fn multi_region_shares_one_geo_replicated_account_by_default() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: multi-region, regions: [westeurope, eastus, southeastasia], multi_write: true}",
    ));
    let synth = workspace.synth_ok("out");
    assert!(!synth.stderr.contains("regional_data"), "{}", synth.stderr);
    let manifest = read(&workspace, "out/baas.manifest.json");
    assert_eq!(
        manifest["deploy_order"],
        serde_json::json!(["eastus", "westeurope", "southeastasia", "global"]),
        "the account's stack first"
    );
    assert_eq!(
        manifest["stacks"]["westeurope"]["reads"],
        serde_json::json!(["eastus"])
    );
    let east = read(&workspace, "out/eastus/main.tf.json");
    let account = resource(&east, "azurerm_cosmosdb_account", "shared");
    assert_eq!(
        account["geo_location"],
        serde_json::json!([
            {"location": "eastus", "failover_priority": 0},
            {"location": "westeurope", "failover_priority": 1},
            {"location": "southeastasia", "failover_priority": 2},
        ])
    );
    assert!(account.get("capabilities").is_none(), "not serverless");
    assert_eq!(account["multiple_write_locations_enabled"], true);
    assert_eq!(account["automatic_failover_enabled"], true);
    assert_eq!(
        resource(&east, "azurerm_cosmosdb_sql_database", "shop")["autoscale_settings"]
            ["max_throughput"],
        1000
    );
    let west = read(&workspace, "out/westeurope/main.tf.json");
    assert!(west["resource"].get("azurerm_cosmosdb_account").is_none());
    assert!(west["resource"]
        .get("azurerm_cosmosdb_sql_container")
        .is_none());
    assert_eq!(
        west["data"]["azurerm_cosmosdb_account"]["shared"],
        serde_json::json!({
            "name": account["name"],
            "resource_group_name": east["resource"]["azurerm_resource_group"]["main"]["name"],
        })
    );
    let settings = &resource(&west, "azurerm_linux_function_app", "node")["app_settings"];
    assert_eq!(
        settings["COSMOS__accountEndpoint"],
        "${data.azurerm_cosmosdb_account.shared.endpoint}"
    );
    assert_eq!(
        settings["COSMOS_PREFERRED_REGIONS"],
        "West Europe,East US,Southeast Asia"
    );
    let role = &west["resource"]["azurerm_cosmosdb_sql_role_assignment"]["node-users"];
    assert_eq!(
        role["resource_group_name"],
        "${data.azurerm_cosmosdb_account.shared.resource_group_name}"
    );
    assert!(
        role.get("depends_on").is_none(),
        "the container is in the eastus stack"
    );
}

/// `deployment.custom_domain`: a CNAME to each Traffic Manager profile and one `asuid` TXT
/// record in the global stack, and on every app behind it a host name binding (after both
/// records), a managed certificate and its SNI binding. Under `isolation: account` each
/// tenant's profile gets `<tenant>.<custom_domain>`.
#[test]
fn a_custom_domain_is_bound_on_every_app_behind_traffic_manager() {
    let workspace = Workspace::with_backend(&backend(
        "deployment: {strategy: disaster-recovery, secondary: westus, custom_domain: api.example.com, dns_zone: example.com}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: beta}]}",
    ));
    let synth = workspace.synth_ok("out");
    assert!(
        !synth.stderr.contains("no_custom_domain"),
        "{}",
        synth.stderr
    );
    let global = read(&workspace, "out/global/main.tf.json");
    assert_eq!(
        resource_names(&global, "azurerm_dns_cname_record"),
        ["node-acme_domain", "node-beta_domain"]
    );
    let cname = resource(&global, "azurerm_dns_cname_record", "node-acme_domain");
    assert_eq!(cname["name"], "acme.api");
    assert_eq!(
        cname["record"],
        "${azurerm_traffic_manager_profile.node-acme.fqdn}"
    );
    let txt = resource(&global, "azurerm_dns_txt_record", "node-acme_domain");
    assert_eq!(txt["name"], "asuid.acme.api");
    assert_eq!(
        txt["record"][0]["value"],
        "${data.azurerm_linux_function_app.node-tenant-acme-primary.custom_domain_verification_id}"
    );
    assert_eq!(
        resource_names(&global, "azurerm_app_service_custom_hostname_binding"),
        [
            "node-tenant-acme-primary",
            "node-tenant-acme-secondary",
            "node-tenant-beta-primary",
            "node-tenant-beta-secondary"
        ]
    );
    let binding = resource(
        &global,
        "azurerm_app_service_custom_hostname_binding",
        "node-tenant-beta-secondary",
    );
    assert_eq!(binding["hostname"], "beta.api.example.com");
    assert_eq!(
        binding["depends_on"],
        serde_json::json!([
            "azurerm_dns_txt_record.node-beta_domain",
            "azurerm_dns_cname_record.node-beta_domain"
        ])
    );
    assert_eq!(
        resource(
            &global,
            "azurerm_app_service_certificate_binding",
            "node-tenant-beta-secondary"
        )["ssl_state"],
        "SniEnabled"
    );
    assert_eq!(
        global["output"]["api_node-acme_url"]["value"],
        "https://acme.api.example.com"
    );
}

/// Every stack's names carry the region, in full: colour stacks too (function apps once lost
/// it to a 32-character cap), and `eastus2` is `eus2`, never `eus`.
#[test]
fn names_carry_the_region_under_every_topology() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus2\nfunctions: {plan: EP1}\n\
         deployment: {strategy: blue-green, active: blue}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    workspace.synth_ok("out");
    let tree = workspace.tree("out");
    for color in ["blue", "green"] {
        let stack: Value = serde_json::from_slice(&tree[&format!("{color}/main.tf.json")]).unwrap();
        let app = resource(&stack, "azurerm_linux_function_app", "node");
        let name = app["name"].as_str().unwrap();
        assert!(
            name.starts_with(&format!("func-shop-node-{color}-prod-eus2-")),
            "{name}"
        );
        let group = resource(&stack, "azurerm_resource_group", "main");
        assert_eq!(group["name"], format!("rg-shop-{color}-prod-eus2"));
    }
}

/// An existing resource group is read, never created: every stack has a data source named
/// from the template with its own values, every resource points at it, and a
/// disaster-recovery secondary reads the primary's Cosmos DB account in the primary's group.
#[test]
fn an_existing_resource_group_is_read_by_every_stack() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         resource_group: {name: \"rg-{{name}}-{{stack}}-{{env}}\"}\n\
         deployment: {strategy: disaster-recovery, secondary: westus2}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    workspace.synth_ok("out");
    let tree = workspace.tree("out");
    for stack in ["primary", "secondary", "global"] {
        let text = String::from_utf8(tree[&format!("{stack}/main.tf.json")].clone()).unwrap();
        let module: Value = serde_json::from_str(&text).unwrap();
        assert!(
            module["resource"].get("azurerm_resource_group").is_none(),
            "{stack} creates a resource group"
        );
        assert_eq!(
            module["data"]["azurerm_resource_group"]["main"],
            json!({ "name": format!("rg-shop-{stack}-prod") }),
            "{stack}"
        );
        assert!(!text.contains("${azurerm_resource_group."), "{stack}");
    }
    let secondary: Value = serde_json::from_slice(&tree["secondary/main.tf.json"]).unwrap();
    assert_eq!(
        secondary["data"]["azurerm_cosmosdb_account"]["shared"]["resource_group_name"],
        "rg-shop-primary-prod"
    );
    let manifest: Value = serde_json::from_slice(&tree["baas.manifest.json"]).unwrap();
    assert_eq!(
        manifest["stacks"]["primary"]["resource_group"],
        "data.azurerm_resource_group.main"
    );
}
