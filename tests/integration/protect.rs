//! Protected data: `lifecycle.prevent_destroy` on every data-holding resource unless
//! `protect: false` at the top level, in an environment overlay, or on the components.

use crate::support::{resource, Workspace};
use serde_json::Value;

const BASE: &str = "name: shop
environment: prod
location: eastus
environments:
  dev: {environment: dev, protect: false}
components:
  users:
    type: crud-api
    entity: User
  orders:
    type: crud-api
    entity: Order
  bus:
    type: service-bus
    queues: [jobs]
    topics: [{name: events, subscriptions: [audit]}]
";

const DATA: &[(&str, &str)] = &[
    ("azurerm_cosmosdb_account", "shared"),
    ("azurerm_cosmosdb_sql_database", "shop"),
    ("azurerm_cosmosdb_sql_container", "users"),
    ("azurerm_cosmosdb_sql_container", "orders"),
    ("azurerm_servicebus_namespace", "shared"),
    ("azurerm_servicebus_queue", "jobs"),
    ("azurerm_servicebus_topic", "events"),
    ("azurerm_servicebus_subscription", "events-audit"),
];

fn protected(stack: &Value, resource_type: &str, name: &str) -> bool {
    resource(stack, resource_type, name)["lifecycle"]["prevent_destroy"] == Value::Bool(true)
}

fn stack_of(yaml: &str, args: &[&str]) -> Value {
    let workspace = Workspace::with_backend(yaml);
    let mut command = vec!["synth", "backend.yaml", "-o", "out"];
    command.extend_from_slice(args);
    workspace.baas(&command).expect_exit(0);
    workspace.stack("out")
}

#[test]
fn every_data_holding_resource_is_protected_by_default_and_nothing_else() {
    let stack = stack_of(BASE, &[]);
    for (resource_type, name) in DATA {
        assert!(
            protected(&stack, resource_type, name),
            "{resource_type}.{name}"
        );
    }
    let protected_count: usize = stack["resource"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|named| named.as_object().unwrap().values())
        .filter(|body| body["lifecycle"].get("prevent_destroy").is_some())
        .count();
    assert_eq!(
        protected_count,
        DATA.len(),
        "only data-holding resources are protected"
    );
}

#[test]
fn protect_false_at_the_top_level_or_in_an_overlay_turns_it_off() {
    for stack in [
        stack_of(
            &BASE.replace("location: eastus", "location: eastus\nprotect: false"),
            &[],
        ),
        stack_of(BASE, &["--env", "dev"]),
    ] {
        for (resource_type, name) in DATA {
            assert!(
                !protected(&stack, resource_type, name),
                "{resource_type}.{name}"
            );
        }
    }
}

#[test]
fn protect_false_on_a_component_unprotects_only_what_only_it_asked_for() {
    let stack = stack_of(
        &BASE.replace("entity: User", "entity: User\n    protect: false"),
        &[],
    );
    assert!(!protected(
        &stack,
        "azurerm_cosmosdb_sql_container",
        "users"
    ));
    // The account and the database are shared with `orders`, which keeps protection.
    assert!(protected(
        &stack,
        "azurerm_cosmosdb_sql_container",
        "orders"
    ));
    assert!(protected(&stack, "azurerm_cosmosdb_account", "shared"));
    assert!(protected(&stack, "azurerm_cosmosdb_sql_database", "shop"));
}

#[test]
fn turning_protection_off_is_a_change_diff_reports_in_place() {
    let workspace = Workspace::with_backend(BASE);
    workspace.synth_ok("out");
    let outcome = workspace.baas(&[
        "diff",
        "backend.yaml",
        "-o",
        "out",
        "--env",
        "dev",
        "--format",
        "json",
    ]);
    // `environment: dev` renames everything too; protection alone is an in-place change.
    outcome.expect_exit(4);
    workspace.write(
        "backend.yaml",
        BASE.replace("location: eastus", "location: eastus\nprotect: false"),
    );
    let outcome = workspace.baas(&["diff", "backend.yaml", "-o", "out", "--format", "json"]);
    outcome.expect_exit(3);
    let report: Value = serde_json::from_str(&outcome.stdout).unwrap();
    assert_eq!(report["summary"]["changed"], DATA.len());
    assert_eq!(report["summary"]["data_loss"], 0);
}
