//! Renames without replacement (`renamed_from`) and foundations switched to existing: synth
//! writes `moved` and `removed` blocks, Azure names stay, and `baas diff` reports moves and
//! forgotten resources, never data loss.

use crate::support::Workspace;
use serde_json::Value;
use std::collections::BTreeMap;
use std::fs;

const MULTI_REGION: &str = "name: shop
environment: prod
location: eastus
deployment: {strategy: multi-region, regions: [eastus, westeurope]}
functions: {plan: Y1}
components:
  users:
    type: crud-api
    entity: User
  web:
    type: static-site
    cache_max_age: 600
";

/// `MULTI_REGION` with `users` renamed to `members` and `web` to `site`.
fn renamed() -> String {
    MULTI_REGION
        .replace("  users:\n", "  members:\n    renamed_from: users\n")
        .replace("  web:\n", "  site:\n    renamed_from: web\n")
}

fn stacks(workspace: &Workspace, out: &str) -> BTreeMap<String, Value> {
    workspace
        .tree(out)
        .into_iter()
        .filter(|(path, _)| path.ends_with("/main.tf.json"))
        .map(|(path, text)| (path, serde_json::from_slice(&text).unwrap()))
        .collect()
}

/// Every Azure `name` of every resource and data source, by stack, type and Terraform name
/// with the addresses left out: `(stack, type, name)`.
fn azure_names(stacks: &BTreeMap<String, Value>) -> Vec<(String, String, String)> {
    let mut names = Vec::new();
    for (path, stack) in stacks {
        for kind in ["resource", "data"] {
            for (resource_type, blocks) in stack[kind].as_object().into_iter().flatten() {
                for body in blocks.as_object().into_iter().flatten().map(|(_, b)| b) {
                    if let Some(name) = body["name"].as_str() {
                        names.push((path.clone(), resource_type.clone(), name.to_owned()));
                    }
                }
            }
        }
    }
    names.sort();
    names
}

#[test]
fn a_rename_keeps_every_azure_name_in_every_region_and_moves_the_addresses() {
    let workspace = Workspace::with_backend(MULTI_REGION);
    workspace.synth_ok("before");
    workspace.write("backend.yaml", renamed());
    workspace.synth_ok("after");
    let (before, after) = (stacks(&workspace, "before"), stacks(&workspace, "after"));
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        vec![
            "eastus/main.tf.json",
            "global/main.tf.json",
            "westeurope/main.tf.json"
        ]
    );
    assert_eq!(azure_names(&before), azure_names(&after));
    // The container keeps its key, so nothing of the CRUD API moves; the site moves in the
    // global stack, where it lives.
    for region in ["eastus", "westeurope"] {
        let stack = &after[&format!("{region}/main.tf.json")];
        assert!(stack.get("moved").is_none(), "{region}: {stack:#}");
    }
    let global = &after["global/main.tf.json"];
    let moved: Vec<(String, String)> = global["moved"]
        .as_array()
        .expect("the global stack moves the site")
        .iter()
        .map(|m| {
            (
                m["from"].as_str().unwrap().to_owned(),
                m["to"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    for (from, to) in [
        (
            "azurerm_storage_account.web",
            "azurerm_storage_account.site",
        ),
        (
            "azurerm_cdn_frontdoor_profile.web",
            "azurerm_cdn_frontdoor_profile.site",
        ),
        (
            "azurerm_cdn_frontdoor_rule.web-cache",
            "azurerm_cdn_frontdoor_rule.site-cache",
        ),
        (
            "azurerm_monitor_diagnostic_setting.frontdoor-web",
            "azurerm_monitor_diagnostic_setting.frontdoor-site",
        ),
    ] {
        assert!(
            moved.contains(&(from.to_owned(), to.to_owned())),
            "{from} -> {to}: {moved:?}"
        );
    }
    // Every old address is gone and every new one declared.
    let old_stack = &before["global/main.tf.json"];
    for (from, to) in &moved {
        let (t, n) = from.split_once('.').unwrap();
        assert!(
            !old_stack["resource"][t][n].is_null(),
            "{from} was in the committed stack"
        );
        assert!(
            global["resource"][t][n].is_null(),
            "{from} is still declared"
        );
        let (t, n) = to.split_once('.').unwrap();
        assert!(!global["resource"][t][n].is_null(), "{to} is declared");
    }
}

#[test]
fn diff_shows_a_rename_as_moved_without_data_loss() {
    let workspace = Workspace::with_backend(MULTI_REGION);
    workspace.synth_ok("out");
    workspace.write("backend.yaml", renamed());
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["data_loss"], serde_json::json!([]));
    assert_eq!(report["summary"]["replaced"], 0, "{report:#}");
    assert_eq!(report["summary"]["may_be_replaced"], 0, "{report:#}");
    // Only the outputs named after the site's key go and come.
    for stack in report["stacks"].as_array().unwrap() {
        for item in stack["resources"].as_array().unwrap() {
            if item["action"] == "added" || item["action"] == "removed" {
                assert_eq!(item["kind"], "output", "{item:#}");
            }
        }
    }
    let global = report["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "global")
        .expect("the global stack changes");
    let account = global["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "azurerm_storage_account.site")
        .expect("the account is listed");
    assert_eq!(account["moved_from"], "azurerm_storage_account.web");
    // Only its `component` tag follows the new key.
    assert_eq!(account["action"], "changed", "{account:#}");
    let website = global["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "azurerm_storage_account_static_website.site")
        .expect("the static website is listed");
    assert_eq!(website["action"], "moved", "{website:#}");
    assert_eq!(
        website["moved_from"],
        "azurerm_storage_account_static_website.web"
    );
    let human = workspace.baas(&["diff", "backend.yaml", "-o", "out"]);
    human.expect_exit(3);
    assert!(
        human.stdout.contains(
            "-> azurerm_storage_account_static_website.site (moved from azurerm_storage_account_static_website.web)"
        ),
        "{}",
        human.stdout
    );
    // Once applied and committed, the moves are no difference.
    workspace.synth_ok("out");
    workspace
        .baas(&["diff", "backend.yaml", "-o", "out"])
        .expect_exit(0);
}

#[test]
fn a_resource_group_switched_to_existing_is_forgotten_not_destroyed() {
    let created = crate::support::backend_with("  users: {type: crud-api, entity: User}\n");
    let workspace = Workspace::with_backend(&created);
    workspace.synth_ok("out");
    let group = workspace.stack("out")["resource"]["azurerm_resource_group"]["main"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(group, "rg-shop-prod-eus");
    workspace.write(
        "backend.yaml",
        format!(
            "resource_group: {{name: \"rg-{{{{name}}}}-{{{{env}}}}-{{{{region}}}}\"}}\n{created}"
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["data_loss"], serde_json::json!([]));
    assert_eq!(report["summary"]["forgotten"], 1, "{report:#}");
    assert_eq!(report["summary"]["removed"], 0, "{report:#}");
    assert_eq!(report["summary"]["replaced"], 0, "{report:#}");
    assert_eq!(report["summary"]["may_be_replaced"], 0, "{report:#}");
    let human = workspace.baas(&["diff", "backend.yaml", "-o", "out"]);
    assert!(
        human
            .stdout
            .contains(". azurerm_resource_group.main (now existing (forgotten, not destroyed))"),
        "{}",
        human.stdout
    );
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        stack["removed"],
        serde_json::json!([{ "from": "azurerm_resource_group.main", "lifecycle": { "destroy": false } }])
    );
    assert_eq!(stack["terraform"]["required_version"], ">= 1.7.0");
    assert_eq!(
        stack["data"]["azurerm_resource_group"]["main"]["name"],
        group
    );
    assert!(fs::read_to_string(workspace.join("out/main/main.tf.json"))
        .unwrap()
        .contains("\"removed\""));
}

#[test]
fn a_site_with_a_custom_domain_renamed_under_colors_and_tenants_replaces_nothing() {
    let before = "name: shop
environment: prod
location: eastus
deployment: {strategy: blue-green, active: blue}
tenancy: {isolation: account, tenants: [{id: acme, name: Acme}]}
functions: {plan: Y1}
components:
  users: {type: crud-api, entity: User}
  web: {type: static-site, custom_domain: www.example.com, dns_zone: example.com}
";
    let workspace = Workspace::with_backend(before);
    workspace.synth_ok("out");
    let committed = stacks(&workspace, "out");
    workspace.write(
        "backend.yaml",
        before.replace(
            "  web: {type: static-site,",
            "  site: {type: static-site, renamed_from: web,",
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["summary"]["replaced"], 0, "{report:#}");
    assert_eq!(report["summary"]["may_be_replaced"], 0, "{report:#}");
    // The DNS records read the zone through a data source keyed by the site: under its new
    // address it reads the same zone, so the records only move.
    let global = report["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "global")
        .unwrap();
    let record = global["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["address"] == "azurerm_dns_cname_record.site")
        .expect("the CNAME record is listed");
    assert_eq!(record["action"], "changed", "{record:#}");
    assert_eq!(record["moved_from"], "azurerm_dns_cname_record.web");
    workspace.synth_ok("out");
    assert_eq!(
        azure_names(&committed),
        azure_names(&stacks(&workspace, "out"))
    );
}

#[test]
fn a_workspace_and_a_cosmos_account_switched_to_existing_are_forgotten() {
    let created = crate::support::backend_with("  users: {type: crud-api, entity: User}\n");
    let workspace = Workspace::with_backend(&created);
    workspace.synth_ok("out");
    let account = workspace.stack("out")["resource"]["azurerm_cosmosdb_account"]["shared"]["name"]
        .as_str()
        .unwrap()
        .to_owned();
    workspace.write(
        "backend.yaml",
        format!(
            "monitoring: {{workspace: {{name: log-shop-prod-eus, resource_group: rg-shop-prod-eus}}}}\n\
             cosmos: {{existing: {{name: {account}, resource_group: rg-shop-prod-eus}}}}\n{created}"
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    let main = report["stacks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "main")
        .unwrap();
    for address in [
        "azurerm_log_analytics_workspace.shared",
        "azurerm_cosmosdb_account.shared",
    ] {
        let item = main["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["address"] == address)
            .unwrap_or_else(|| panic!("{address}: {report:#}"));
        assert_eq!(item["action"], "forgotten", "{item:#}");
    }
    let losses: Vec<&str> = report["data_loss"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["address"].as_str().unwrap())
        .collect();
    assert!(
        !losses.contains(&"azurerm_cosmosdb_account.shared"),
        "{losses:?}"
    );
    workspace.synth_ok("out");
    let removed = &workspace.stack("out")["removed"];
    assert_eq!(
        removed,
        &serde_json::json!([
            { "from": "azurerm_cosmosdb_account.shared", "lifecycle": { "destroy": false } },
            { "from": "azurerm_log_analytics_workspace.shared", "lifecycle": { "destroy": false } },
        ])
    );
}

#[test]
fn a_network_switched_to_existing_forgets_the_created_network_and_subnets() {
    let created = "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
                   networking:\n  mode: isolated\n  address_space: 10.0.0.0/24\n\
                   components:\n  users: {type: crud-api, entity: User}\n";
    let workspace = Workspace::with_backend(created);
    workspace.synth_ok("out");
    let subnets = crate::support::resource_names(&workspace.stack("out"), "azurerm_subnet");
    assert_eq!(subnets, vec!["functions-node", "private-endpoints"]);
    workspace.write(
        "backend.yaml",
        created.replace(
            "  address_space: 10.0.0.0/24\n",
            "  existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe, functions-node: snet-node}}\n",
        ),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    let forgotten: Vec<&str> = report["stacks"][0]["resources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "forgotten")
        .map(|r| r["address"].as_str().unwrap())
        .collect();
    assert_eq!(
        forgotten,
        vec![
            "azurerm_subnet.functions-node",
            "azurerm_subnet.private-endpoints",
            "azurerm_virtual_network.shared",
        ],
        "{report:#}"
    );
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let removed: Vec<&str> = stack["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["from"].as_str().unwrap())
        .collect();
    assert_eq!(
        removed,
        vec![
            "azurerm_subnet.functions-node",
            "azurerm_subnet.private-endpoints",
            "azurerm_virtual_network.shared",
        ]
    );
}
