//! `baas diff`: the committed output against a fresh synth, with the exit codes 0 (identical),
//! 3 (differences) and 4 (data loss).

use crate::support::Workspace;
use serde_json::Value;
use std::fs;

const BASE: &str = "name: shop
environment: prod
location: eastus
components:
  users:
    type: crud-api
    entity: User
    schema: {id: string, tenantId: string}
  bus:
    type: service-bus
    sku: Premium
    queues: [orders]
";

/// Commits the output of `BASE`, writes `edited` as backend.yaml, and runs `baas diff` in
/// `format`.
fn diff_after(edited: &str, format: &str) -> crate::support::Outcome {
    let workspace = Workspace::with_backend(BASE);
    workspace.synth_ok("out");
    workspace.write("backend.yaml", edited);
    let before = workspace.tree("out");
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", format]);
    assert_eq!(workspace.tree("out"), before, "diff wrote to `out`");
    outcome
}

fn json(outcome: &crate::support::Outcome) -> Value {
    serde_json::from_str(&outcome.stdout).expect("diff --format json prints JSON")
}

/// The resource entry of `address` in the JSON report.
fn resource<'a>(report: &'a Value, address: &str) -> &'a Value {
    report["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["resources"].as_array().unwrap())
        .find(|r| r["address"] == address)
        .unwrap_or_else(|| panic!("{address} is not in the report: {report:#}"))
}

fn data_loss(report: &Value) -> Vec<String> {
    report["data_loss"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["address"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn identical_output_exits_0() {
    let outcome = diff_after(BASE, "human");
    outcome.expect_exit(0);
    assert!(
        outcome.stdout.starts_with("no changes"),
        "{}",
        outcome.stdout
    );
    let outcome = diff_after(BASE, "json");
    outcome.expect_exit(0);
    assert_eq!(json(&outcome)["identical"], true);
}

#[test]
fn a_partition_key_path_change_replaces_the_container_and_exits_4() {
    let outcome = diff_after(
        &BASE.replace(
            "schema: {id: string, tenantId: string}",
            "schema: {id: string, tenantId: string}\n    partition_key: /tenantId",
        ),
        "json",
    );
    outcome.expect_exit(4);
    let report = json(&outcome);
    let container = resource(&report, "azurerm_cosmosdb_sql_container.users");
    assert_eq!(container["action"], "replaced");
    assert_eq!(container["holds_data"], true);
    assert_eq!(container["changes"][0]["path"], "partition_key_paths[0]");
    assert_eq!(container["changes"][0]["old"], "/id");
    assert_eq!(container["changes"][0]["new"], "/tenantId");
    assert_eq!(container["changes"][0]["effect"], "replaces");
    assert_eq!(
        container["changes"][0]["rule"]["path"],
        "partition_key_paths"
    );
    assert_eq!(data_loss(&report), ["azurerm_cosmosdb_sql_container.users"]);
}

#[test]
fn a_new_location_replaces_the_account_and_everything_in_the_group() {
    let outcome = diff_after(&BASE.replace("eastus", "westeurope"), "json");
    outcome.expect_exit(4);
    let report = json(&outcome);
    let account = resource(&report, "azurerm_cosmosdb_account.shared");
    assert_eq!(account["action"], "replaced");
    let location = account["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["path"] == "location")
        .expect("the location changes");
    assert_eq!(
        (&location["old"], &location["new"], &location["effect"]),
        (
            &Value::from("eastus"),
            &Value::from("westeurope"),
            &Value::from("replaces")
        )
    );
    let lost = data_loss(&report);
    for address in [
        "azurerm_cosmosdb_account.shared",
        "azurerm_cosmosdb_sql_container.users",
        "azurerm_servicebus_namespace.shared",
        "azurerm_servicebus_queue.orders",
    ] {
        assert!(
            lost.iter().any(|l| l == address),
            "{address} not in {lost:?}"
        );
    }
}

#[test]
fn a_new_storage_account_name_replaces_it_without_data_loss() {
    let outcome = diff_after(
        &BASE.replace(
            "components:",
            "naming: {abbreviations: {storage_account: sto}}\ncomponents:",
        ),
        "json",
    );
    outcome.expect_exit(3);
    let report = json(&outcome);
    let storage = report["stacks"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "azurerm_storage_account")
        .expect("the host storage account changes");
    assert_eq!(storage["action"], "replaced");
    assert_eq!(storage["holds_data"], false);
    assert!(storage["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["path"] == "name" && c["effect"] == "replaces"));
    assert!(data_loss(&report).is_empty());
}

#[test]
fn a_service_bus_sku_downgrade_from_premium_replaces_the_namespace() {
    let outcome = diff_after(&BASE.replace("sku: Premium", "sku: Standard"), "human");
    outcome.expect_exit(4);
    assert!(
        outcome.stdout.contains("DATA LOSS")
            && outcome
                .stdout
                .contains("main: azurerm_servicebus_namespace.shared replaced by")
            && outcome.stdout.contains(
                "sku: \"Premium\" -> \"Standard\"  # forces replacement (`sku`, azurerm v4.55.0 internal/services/servicebus/servicebus_namespace_resource.go:259)"
            ),
        "{}",
        outcome.stdout
    );
    let report = json(&diff_after(
        &BASE.replace("sku: Premium", "sku: Standard"),
        "json",
    ));
    let namespace = resource(&report, "azurerm_servicebus_namespace.shared");
    assert_eq!(namespace["action"], "replaced");
    // The queue's text is the same; it lives in the namespace that is replaced.
    let queue = resource(&report, "azurerm_servicebus_queue.orders");
    assert_eq!(queue["action"], "replaced");
    assert_eq!(
        queue["changes"][0]["follows"],
        "azurerm_servicebus_namespace.shared"
    );
}

#[test]
fn an_added_container_exits_3() {
    let edited = format!(
        "{BASE}  orders-api:\n    type: crud-api\n    entity: Order\n    schema: {{id: string}}\n"
    );
    let outcome = diff_after(&edited, "json");
    outcome.expect_exit(3);
    let report = json(&outcome);
    let container = resource(&report, "azurerm_cosmosdb_sql_container.orders-api");
    assert_eq!(container["action"], "added");
    assert!(data_loss(&report).is_empty());
    assert_eq!(report["identical"], false);
}

#[test]
fn markdown_puts_data_loss_first() {
    let outcome = diff_after(&BASE.replace("sku: Premium", "sku: Standard"), "markdown");
    outcome.expect_exit(4);
    let caution = outcome.stdout.find("[!CAUTION]").expect("a caution block");
    let stack = outcome.stdout.find("#### Stack").expect("a stack section");
    assert!(caution < stack, "{}", outcome.stdout);
}

#[test]
fn links_in_the_committed_output_are_reported_and_never_followed() {
    let workspace = Workspace::with_backend(BASE);
    workspace.synth_ok("out");
    workspace.write("outside/secret.json", "{}");
    std::os::unix::fs::symlink(workspace.join("outside"), workspace.join("out/linked")).unwrap();
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    let report = json(&outcome);
    assert_eq!(
        report["files"],
        serde_json::json!([{ "path": "linked", "status": "foreign" }])
    );

    // A stack that is a link cannot be compared without following it: a usage error.
    let stack = workspace.join("out/main/main.tf.json");
    fs::rename(&stack, workspace.join("outside/main.tf.json")).unwrap();
    std::os::unix::fs::symlink(workspace.join("outside/main.tf.json"), &stack).unwrap();
    workspace
        .baas(&["diff", "backend.yaml", "-o", "out"])
        .expect_exit(2)
        .expect_stderr("never follows a symbolic link");

    // So is a stack folder that is a link.
    fs::remove_file(&stack).unwrap();
    fs::rename(workspace.join("out/main"), workspace.join("outside/main")).unwrap();
    std::os::unix::fs::symlink(workspace.join("outside/main"), workspace.join("out/main")).unwrap();
    workspace
        .baas(&["diff", "backend.yaml", "-o", "out"])
        .expect_exit(2)
        .expect_stderr("never follows a symbolic link");
}

#[test]
fn a_missing_output_folder_is_all_added() {
    let workspace = Workspace::with_backend(BASE);
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    assert_eq!(json(&outcome)["summary"]["removed"], 0);
}

/// Every resource type the examples' stacks hold (the checked-in snapshots) is in the ForceNew
/// table, so a resource baas starts to write cannot silently go without one: regenerate it
/// with `scripts/forcenew.py > crates/providers/data/forcenew.tsv`.
#[test]
fn the_forcenew_table_covers_every_resource_type_the_examples_emit() {
    let table = baas_providers::lifecycle::forcenew_table();
    let folder = crate::support::repo_root().join("tests/integration/snapshots");
    let mut types = std::collections::BTreeSet::new();
    for entry in fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // `integration__examples__<stack>__main.tf.json@<example>__backend.yaml.snap`
        if !name.starts_with("integration__examples__") || !name.contains("main.tf.json@") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        // insta's header ends at the second `---` line.
        let body = text.splitn(3, "---\n").nth(2).unwrap();
        let stack: Value = serde_json::from_str(body).unwrap();
        types.extend(
            stack["resource"]
                .as_object()
                .into_iter()
                .flat_map(|r| r.keys().cloned()),
        );
    }
    assert!(types.len() > 20, "too few resource types found: {types:?}");
    let missing: Vec<&String> = types.iter().filter(|t| !table.knows(t)).collect();
    assert!(missing.is_empty(), "not in forcenew.tsv: {missing:?}");
}

/// Copies the output committed by an earlier baas (`tests/fixtures/upgrade/out`) and its
/// backend into a workspace.
fn upgrade_workspace() -> Workspace {
    let fixture = crate::support::repo_root().join("tests/fixtures/upgrade");
    let workspace = Workspace::new();
    workspace.write(
        "backend.yaml",
        fs::read(fixture.join("backend.yaml")).unwrap(),
    );
    for (relative, contents) in crate::support::tree(&fixture.join("out")) {
        workspace.write(&format!("out/{relative}"), contents);
    }
    workspace
}

/// A baas upgrade is reviewed like any other change: the output baas 0.1.0 wrote must still
/// diff without data loss against today's synth (a change of baas that would replace a
/// user's database fails here), and a changed naming template — what an upgrade that changes
/// names does — shows every replacement it causes.
#[test]
fn output_of_an_earlier_baas_diffs_without_data_loss_and_a_new_naming_template_replaces() {
    let workspace = upgrade_workspace();
    let report = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    assert!(
        report.code == 0 || report.code == 3,
        "today's baas changes the data of a backend written by 0.1.0:\n{}",
        report.stdout
    );
    let report: Value = serde_json::from_str(&report.stdout).unwrap();
    assert_eq!(report["baas_version"]["old"], "0.1.0");

    let yaml = fs::read_to_string(workspace.join("backend.yaml")).unwrap();
    workspace.write(
        "backend.yaml",
        yaml.replace(
            "components:",
            "naming: {template: \"{{name}}-{{env}}-{{region}}-{{abbr}}-{{instance}}\"}\ncomponents:",
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(4);
    let report = json(&outcome);
    let group = resource(&report, "azurerm_resource_group.main");
    assert_eq!(group["action"], "replaced");
    assert_eq!(group["changes"][0]["path"], "name");
    assert_eq!(group["changes"][0]["old"], "rg-shop-prod-eus");
    assert_eq!(group["changes"][0]["new"], "shop-prod-eus-rg");
    // Everything in the group follows it; the data goes with the Cosmos DB account and the
    // Service Bus namespace, whose names change too.
    let queue = resource(&report, "azurerm_servicebus_queue.orders");
    assert_eq!(queue["action"], "replaced");
    assert_eq!(
        data_loss(&report),
        [
            "azurerm_cosmosdb_account.shared",
            "azurerm_cosmosdb_sql_container.users",
            "azurerm_cosmosdb_sql_database.shop",
            "azurerm_servicebus_namespace.shared",
            "azurerm_servicebus_queue.orders",
        ]
    );
    assert_eq!(report["summary"]["removed"], 0);
}

#[test]
fn a_folder_that_is_not_baas_output_is_refused() {
    let workspace = Workspace::with_backend(BASE);
    workspace.write("notes/todo.txt", "buy milk");
    workspace
        .baas(&["diff", "backend.yaml", "-o", "notes"])
        .expect_exit(2)
        .expect_stderr("is not baas output");
}

#[test]
fn a_region_taken_out_removes_its_stack_and_its_data() {
    // `data: regional`: each region owns its Cosmos DB account (with `data: global` it lives
    // in the primary region's stack, which stays).
    let regions =
        "deployment: {strategy: multi-region, regions: [eastus, westeurope], data: regional}\ncomponents:";
    let workspace = Workspace::with_backend(&BASE.replace("components:", regions));
    workspace.synth_ok("out");
    workspace.write(
        "backend.yaml",
        BASE.replace(
            "components:",
            "deployment: {strategy: multi-region, regions: [eastus, centralus], data: regional}\ncomponents:",
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(4);
    let report = json(&outcome);
    let stacks: Vec<(&str, &str)> = report["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert!(stacks.contains(&("westeurope", "removed")), "{stacks:?}");
    assert!(stacks.contains(&("centralus", "added")), "{stacks:?}");
    let lost: Vec<&Value> = report["data_loss"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["stack"] == "westeurope")
        .collect();
    assert!(lost.iter().all(|l| l["action"] == "removed"));
    assert!(lost
        .iter()
        .any(|l| l["address"] == "azurerm_cosmosdb_account.shared"));
}
