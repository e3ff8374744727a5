//! Merge rules (requirements that share a type and key become one resource), one test each:
//! what the merged Terraform looks like, or which diagnostic code a conflict raises (with its
//! rendered report as a snapshot).

use crate::support::{backend_with, resource, resource_names, Workspace};

/// `baas synth backend.yaml -o out` for a backend with these components, expected to fail
/// with `code`; nothing may be written.
#[track_caller]
fn synth_fails_with(components: &str, code: &str) -> crate::support::Outcome {
    let workspace = Workspace::with_backend(&backend_with(components));
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(1).expect_code(code);
    assert!(!workspace.join("out").exists(), "synth wrote `out`");
    workspace
        .baas(&["validate", "backend.yaml"])
        .expect_exit(1)
        .expect_code(code);
    synth
}

// ---------------------------------------------------------------------------------------------
// Cosmos DB
// ---------------------------------------------------------------------------------------------

const CONSISTENCY_CONFLICT: &str = "  users:
    type: crud-api
    entity: User
    cosmos: {consistency: Strong}
  orders:
    type: crud-api
    entity: Order
    cosmos: {consistency: Eventual}
";

#[test]
fn cosmos_consistency_conflict_between_two_crud_apis() {
    let synth = synth_fails_with(CONSISTENCY_CONFLICT, "baas::merge::cosmos_settings");
    insta::assert_snapshot!(synth.block("baas::merge::cosmos_settings"));
}

const SERVERLESS_CONFLICT: &str = "  users:
    type: crud-api
    entity: User
  orders:
    type: crud-api
    entity: Order
    cosmos: {serverless: false}
";

#[test]
fn cosmos_serverless_conflict_between_two_crud_apis() {
    synth_fails_with(SERVERLESS_CONFLICT, "baas::merge::cosmos_settings");
}

#[test]
fn cosmos_serverless_conflict_against_the_top_level_setting_points_at_it() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
cosmos: {serverless: true}
components:
  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order, cosmos: {serverless: false}}
",
    );
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate
        .expect_exit(1)
        .expect_code("baas::merge::cosmos_settings");
    insta::assert_snapshot!(validate.block("baas::merge::cosmos_settings"));
}

/// When neither API wrote the setting (it is baas's default), the "first set here" label must
/// not point at an unrelated line: offset 0 is the document's first key, `name: shop`.
#[test]
fn cosmos_conflict_with_a_default_setting_does_not_point_at_the_first_line() {
    for (components, what) in [
        (SERVERLESS_CONFLICT, "serverless"),
        (
            "  users: {type: crud-api, entity: User}\n  orders: {type: crud-api, entity: Order, cosmos: {consistency: Strong}}\n",
            "consistency",
        ),
    ] {
        let synth = synth_fails_with(components, "baas::merge::cosmos_settings");
        let block = synth.block("baas::merge::cosmos_settings");
        assert!(
            !block.contains("[backend.yaml:1:1]"),
            "the {what} conflict labels `name: shop` (1:1) as where the setting was first set:\n{block}"
        );
    }
}

#[test]
fn most_restrictive_network_access_wins_with_a_warning() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders:
    type: crud-api
    entity: Order
    cosmos: {public_network_access: false}
",
    ));
    let synth = workspace.synth_ok("out");
    synth.expect_code("baas::merge::network_access");
    assert_eq!(synth.counts(), (0, 1));
    insta::assert_snapshot!(synth.block("baas::merge::network_access"));
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_account"),
        ["shared"]
    );
    assert_eq!(
        resource(&stack, "azurerm_cosmosdb_account", "shared")["public_network_access_enabled"],
        false
    );
    workspace
        .baas(&["validate", "backend.yaml"])
        .expect_exit(0)
        .expect_code("baas::merge::network_access");
}

#[test]
fn network_access_closed_by_the_only_component_raises_no_warning() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, cosmos: {public_network_access: false}}\n",
    ));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), Vec::<String>::new(), "{}", synth.stderr);
    assert_eq!(
        resource(
            &workspace.stack("out"),
            "azurerm_cosmosdb_account",
            "shared"
        )["public_network_access_enabled"],
        false
    );
}

#[test]
fn databases_dedupe_by_name() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, database: app}
  orders: {type: crud-api, entity: Order, database: app}
  audit: {type: crud-api, entity: Audit}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_database"),
        ["app", "shop"],
        "two APIs on `app` share one database; `audit` uses the default one named after the backend"
    );
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_account"),
        ["shared"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_container"),
        ["app-orders", "app-users", "audit"]
    );
}

#[test]
fn same_container_with_same_partition_key_is_one_container() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, container: people, partition_key: /id}
  customers: {type: crud-api, entity: Customer, container: people, partition_key: /id}
",
    ));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), Vec::<String>::new(), "{}", synth.stderr);
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_container"),
        ["people"]
    );
    assert_eq!(
        resource(&stack, "azurerm_cosmosdb_sql_container", "people")["partition_key_paths"],
        serde_json::json!(["/id"])
    );
    // One data-plane grant from the shared app to the shared container.
    assert_eq!(
        resource_names(&stack, "azurerm_cosmosdb_sql_role_assignment"),
        ["node-people"]
    );
}

const PARTITION_KEY_CONFLICT: &str =
    "  users: {type: crud-api, entity: User, container: people, partition_key: /id}
  customers: {type: crud-api, entity: Customer, container: people, partition_key: /email}
";

#[test]
fn same_container_with_different_partition_keys_is_an_error() {
    let synth = synth_fails_with(PARTITION_KEY_CONFLICT, "baas::merge::partition_key");
    insta::assert_snapshot!(synth.block("baas::merge::partition_key"));
}

// ---------------------------------------------------------------------------------------------
// Function apps
// ---------------------------------------------------------------------------------------------

#[test]
fn one_function_app_per_runtime() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order}
  hooks:
    type: function-app
    runtime: node
    functions:
      ping: {trigger: http}
  reports:
    type: function-app
    runtime: python
    functions:
      nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_linux_function_app"),
        ["node", "python"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_service_plan"),
        ["node", "python"]
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    let node_functions: Vec<&String> = manifest["function_apps"]["node"]["functions"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        node_functions.len(),
        12,
        "five CRUD functions for each API plus `ping` and the generated `health`: {node_functions:?}"
    );
    assert!(node_functions.iter().any(|f| *f == "ping"));
    assert!(node_functions.iter().any(|f| *f == "health"));
    assert!(node_functions.iter().any(|f| *f == "users-create"));
    assert!(node_functions.iter().any(|f| *f == "orders-list"));
}

const VERSION_CONFLICT: &str = "  users: {type: crud-api, entity: User, version: \"20\"}
  orders: {type: crud-api, entity: Order, version: \"22\"}
";

#[test]
fn runtime_version_conflict_on_one_app() {
    let synth = synth_fails_with(VERSION_CONFLICT, "baas::merge::runtime_version");
    insta::assert_snapshot!(synth.block("baas::merge::runtime_version"));
}

#[test]
fn a_version_set_once_applies_to_the_shared_app() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order, version: \"20\"}
",
    ));
    workspace.synth_ok("out");
    assert_eq!(
        resource(
            &workspace.stack("out"),
            "azurerm_linux_function_app",
            "node"
        )["site_config"]["application_stack"]["node_version"],
        "20"
    );
}

const FUNCTION_NAME_COLLISION: &str = "  users: {type: crud-api, entity: User}
  jobs:
    type: function-app
    runtime: node
    functions:
      users-create: {trigger: timer, schedule: \"0 0 * * * *\"}
";

#[test]
fn function_name_collision_on_one_app() {
    let synth = synth_fails_with(FUNCTION_NAME_COLLISION, "baas::merge::function_name");
    insta::assert_snapshot!(synth.block("baas::merge::function_name"));
}

#[test]
fn same_function_name_on_different_runtimes_is_fine() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  jobs:
    type: function-app
    runtime: python
    functions:
      users-create: {trigger: timer, schedule: \"0 0 * * * *\"}
",
    ));
    workspace.synth_ok("out");
}

const DUPLICATE_ROUTE: &str = "  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    functions:
      make-user: {trigger: http, route: users, methods: [post]}
";

#[test]
fn duplicate_route_and_method_on_one_app() {
    let synth = synth_fails_with(DUPLICATE_ROUTE, "baas::merge::route");
    insta::assert_snapshot!(synth.block("baas::merge::route"));
}

const DUPLICATE_ROUTE_PARAMETER: &str = "  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    functions:
      get-user: {trigger: http, route: \"users/{userId}\", methods: [GET]}
";

#[test]
fn routes_that_differ_only_in_parameter_names_collide() {
    synth_fails_with(DUPLICATE_ROUTE_PARAMETER, "baas::merge::route");
}

#[test]
fn same_route_with_other_methods_is_fine() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    functions:
      users-options: {trigger: http, route: users, methods: [options]}
",
    ));
    workspace.synth_ok("out");
}

#[test]
fn highest_plan_wins_with_a_warning() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    plan: EP1
    functions:
      ping: {trigger: http}
",
    ));
    let synth = workspace.synth_ok("out");
    synth.expect_code("baas::merge::plan");
    assert_eq!(synth.counts(), (0, 1));
    insta::assert_snapshot!(synth.block("baas::merge::plan"));
    let stack = workspace.stack("out");
    assert_eq!(resource_names(&stack, "azurerm_service_plan"), ["node"]);
    assert_eq!(
        resource(&stack, "azurerm_service_plan", "node")["sku_name"],
        "EP1"
    );
}

#[test]
fn a_lower_plan_does_not_lower_the_default() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
functions: {plan: EP2}
components:
  users: {type: crud-api, entity: User}
  hooks:
    type: function-app
    runtime: node
    plan: Y1
    functions:
      ping: {trigger: http}
",
    );
    workspace.synth_ok("out");
    assert_eq!(
        resource(&workspace.stack("out"), "azurerm_service_plan", "node")["sku_name"],
        "EP2"
    );
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

#[test]
fn function_hosts_share_one_storage_account_and_containers_dedupe() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order}
  hooks:
    type: function-app
    runtime: node
    functions:
      ping: {trigger: http}
  reports:
    type: function-app
    runtime: python
    functions:
      nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_storage_account"),
        ["functions"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_storage_container"),
        ["deploy-node", "deploy-python"],
        "one deployment container per app, however many components share the app"
    );
    for app in ["node", "python"] {
        assert_eq!(
            resource(&stack, "azurerm_linux_function_app", app)["storage_account_name"],
            "${azurerm_storage_account.functions.name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A merge conflict is the whole story
// ---------------------------------------------------------------------------------------------

/// When a merge fails, the merged resource does not exist, so nothing may be generated from
/// it. The report must hold the merge error only, not "bug in baas" schema errors about
/// references to the resource that was never provisioned.
#[test]
fn merge_conflicts_report_only_the_conflict() {
    let mut problems = Vec::new();
    for (components, code) in [
        (CONSISTENCY_CONFLICT, "baas::merge::cosmos_settings"),
        (SERVERLESS_CONFLICT, "baas::merge::cosmos_settings"),
        (PARTITION_KEY_CONFLICT, "baas::merge::partition_key"),
        (VERSION_CONFLICT, "baas::merge::runtime_version"),
        (FUNCTION_NAME_COLLISION, "baas::merge::function_name"),
        (DUPLICATE_ROUTE, "baas::merge::route"),
    ] {
        let synth = synth_fails_with(components, code);
        let others: Vec<String> = synth.codes().into_iter().filter(|c| c != code).collect();
        if !others.is_empty() {
            problems.push(format!(
                "`{code}` came with {} other diagnostic(s): {others:?}",
                others.len()
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

// ---------------------------------------------------------------------------------------------
// Service Bus
// ---------------------------------------------------------------------------------------------

#[test]
fn servicebus_highest_sku_wins() {
    let workspace = Workspace::with_backend(&backend_with(
        "  small:
    type: service-bus
    sku: Basic
    queues: [a]
  big:
    type: service-bus
    sku: Premium
    queues: [b]
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_namespace"),
        ["shared"]
    );
    let namespace = resource(&stack, "azurerm_servicebus_namespace", "shared");
    assert_eq!(namespace["sku"], "Premium");
    assert_eq!(namespace["capacity"], 1);
    assert_eq!(namespace["local_auth_enabled"], false);
    assert_eq!(namespace["minimum_tls_version"], "1.2");
}

#[test]
fn servicebus_entities_dedupe_and_triggers_share_the_declared_queue() {
    let workspace = Workspace::with_backend(&backend_with(
        "  bus:
    type: service-bus
    queues: [{name: orders, max_delivery_count: 3}]
    topics: [{name: events, subscriptions: [audit]}]
  worker:
    type: function-app
    runtime: node
    functions:
      on-order: {trigger: queue, queue: orders}
      on-event: {trigger: topic, topic: events, subscription: billing}
      also-audit: {trigger: topic, topic: events, subscription: audit}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_queue"),
        ["orders"]
    );
    assert_eq!(
        resource(&stack, "azurerm_servicebus_queue", "orders")["max_delivery_count"],
        3
    );
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_topic"),
        ["events"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_subscription"),
        ["events-audit", "events-billing"]
    );
    // One receiver grant per entity, however many functions consume it.
    let grants = resource_names(&stack, "azurerm_role_assignment");
    assert!(
        grants.contains(&"node-sb-orders-receive".to_owned()),
        "{grants:?}"
    );
    assert!(
        grants.contains(&"node-sb-events-receive".to_owned()),
        "{grants:?}"
    );
    let app = resource(&stack, "azurerm_linux_function_app", "node");
    assert_eq!(
        app["app_settings"]["SERVICEBUS__fullyQualifiedNamespace"],
        "${regex(\"^https://([^:/]+)\", azurerm_servicebus_namespace.shared.endpoint)[0]}"
    );
}

#[test]
fn servicebus_sender_and_receiver_grants_are_scoped_to_the_entity() {
    let workspace = Workspace::with_backend(&backend_with(
        "  bus:
    type: service-bus
    queues: [in, out]
  worker:
    type: function-app
    runtime: python
    functions:
      relay: {trigger: queue, queue: in, sends_to: [out]}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let receive = resource(&stack, "azurerm_role_assignment", "python-sb-in-receive");
    // Owner rather than Receiver on Consumption: the scale controller reads the queue's
    // length (apply_time::servicebus_triggers_that_scale_on_backlog_get_data_owner).
    assert_eq!(
        receive["role_definition_name"],
        "Azure Service Bus Data Owner"
    );
    assert_eq!(receive["scope"], "${azurerm_servicebus_queue.in.id}");
    let send = resource(&stack, "azurerm_role_assignment", "python-sb-out-send");
    assert_eq!(
        send["role_definition_name"],
        "Azure Service Bus Data Sender"
    );
    assert_eq!(send["scope"], "${azurerm_servicebus_queue.out.id}");
}

#[test]
fn servicebus_dead_lettering_on_expiration_is_on_by_default() {
    let workspace = Workspace::with_backend(&backend_with(
        "  bus:
    type: service-bus
    queues: [a, {name: b, dead_lettering_on_expiration: false}]
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource(&stack, "azurerm_servicebus_queue", "a")["dead_lettering_on_message_expiration"],
        true
    );
    assert_eq!(
        resource(&stack, "azurerm_servicebus_queue", "b")["dead_lettering_on_message_expiration"],
        false
    );
}

/// A trigger may consume the dead-letter sub-queue of a queue (`orders/$deadletterqueue`) or
/// of a subscription (`subscription: audit/$deadletterqueue`, any case). The sub-queue is part
/// of its parent: the parent is the entity that exists and the scope of the grant, shared with
/// a trigger on the parent itself; the manifest keeps the path the binding names.
#[test]
fn servicebus_dead_letter_sub_queues_are_consumed_through_their_parent() {
    let workspace = Workspace::with_backend(&backend_with(
        "  bus:
    type: service-bus
    queues: [orders]
    topics: [{name: events, subscriptions: [audit]}]
  worker:
    type: function-app
    runtime: node
    functions:
      on-order: {trigger: queue, queue: orders}
      on-dead-order: {trigger: queue, queue: orders/$deadletterqueue}
      on-dead-event: {trigger: topic, topic: events, subscription: audit/$DeadLetterQueue}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_queue"),
        ["orders"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_subscription"),
        ["events-audit"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_role_assignment")
            .into_iter()
            .filter(|name| name.contains("-sb-"))
            .collect::<Vec<_>>(),
        ["node-sb-events-receive", "node-sb-orders-receive"]
    );
    assert_eq!(
        resource(&stack, "azurerm_role_assignment", "node-sb-orders-receive")["scope"],
        "${azurerm_servicebus_queue.orders.id}"
    );
    assert_eq!(
        resource(&stack, "azurerm_role_assignment", "node-sb-events-receive")["scope"],
        "${azurerm_servicebus_topic.events.id}"
    );
    let manifest: serde_json::Value =
        serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    let functions = &manifest["function_apps"]["node"]["functions"];
    assert_eq!(
        functions["on-dead-order"]["trigger"]["queue"],
        "orders/$deadletterqueue"
    );
    assert_eq!(
        functions["on-dead-event"]["trigger"]["subscription"],
        "audit/$DeadLetterQueue"
    );
}

/// Without a declaration the parent exists all the same, as for any trigger; a dead-letter
/// sub-queue is never a `sends_to` target (nothing sends to one).
#[test]
fn servicebus_dead_letter_trigger_declares_its_parent_and_is_no_send_target() {
    let workspace = Workspace::with_backend(&backend_with(
        "  worker:
    type: function-app
    runtime: node
    functions:
      on-dead-order: {trigger: queue, queue: orders/$DEADLETTERQUEUE}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        resource_names(&stack, "azurerm_servicebus_queue"),
        ["orders"]
    );
    synth_fails_with(
        "  bus:
    type: service-bus
    queues: [orders]
  worker:
    type: function-app
    runtime: node
    functions:
      relay: {trigger: queue, queue: orders, sends_to: [orders/$deadletterqueue]}
",
        "baas::servicebus::unknown_entity",
    );
}

/// Elastic Premium and Dedicated plans are billed per instance and a Linux plan hosts apps of
/// every runtime, so apps on one SKU share one plan (the first app's, in key order); apps on
/// other SKUs and Consumption apps keep their own, and `plan_per_runtime: true` separates them.
#[test]
fn apps_on_one_sku_share_one_plan() {
    let plans = |functions: &str, python_plan: &str| {
        let workspace = Workspace::with_backend(&format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {functions}\ncomponents:
  users: {{type: crud-api, entity: User}}
  jobs:
    type: function-app
    runtime: python
    plan: {python_plan}
    functions:
      tick: {{trigger: timer, schedule: \"0 0 * * * *\"}}
  reports:
    type: function-app
    runtime: java
    functions:
      tick: {{trigger: timer, schedule: \"0 0 * * * *\"}}
"
        ));
        workspace.synth_ok("out");
        let stack = workspace.stack("out");
        let plan_of = |app: &str| {
            resource(&stack, "azurerm_linux_function_app", app)["service_plan_id"]
                .as_str()
                .unwrap()
                .to_owned()
        };
        (
            resource_names(&stack, "azurerm_service_plan"),
            ["java", "node", "python"].map(plan_of),
        )
    };
    let (names, ids) = plans("{plan: B1}", "B1");
    assert_eq!(names, ["java"], "one B1 plan, the first app's");
    assert_eq!(ids, ["${azurerm_service_plan.java.id}"; 3]);
    let (names, ids) = plans("{plan: EP1}", "B1");
    assert_eq!(names, ["java", "python"]);
    assert_eq!(
        ids,
        [
            "${azurerm_service_plan.java.id}",
            "${azurerm_service_plan.java.id}",
            "${azurerm_service_plan.python.id}"
        ]
    );
    let (names, _) = plans("{plan: EP1, plan_per_runtime: true}", "EP1");
    assert_eq!(names, ["java", "node", "python"]);
    let (names, _) = plans("{plan: Y1}", "Y1");
    assert_eq!(
        names,
        ["java", "node", "python"],
        "Consumption: a plan per app"
    );
}
