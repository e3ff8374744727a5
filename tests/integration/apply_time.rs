//! Issue 13: apply-time behaviour a schema check cannot see. Every stack passes the azurerm
//! schema check; these tests pin what makes `terraform apply` (and `destroy`) succeed on a
//! fresh subscription and the app run, one test per problem, named after it.

use crate::support::{backend_with, resource, Workspace};

/// The Cosmos data-plane role assignment's `scope` is a plain string to the provider, so a
/// scope spelled from names gave Terraform no edge to the container: the first apply could
/// create the assignment first and fail ("collection … could not be found"). `depends_on` on
/// the container orders the two.
#[test]
fn cosmos_role_assignment_waits_for_its_container() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order, database: sales}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let users = resource(&stack, "azurerm_cosmosdb_sql_role_assignment", "node-users");
    assert_eq!(
        users["scope"],
        "${azurerm_cosmosdb_account.shared.id}/dbs/shop/colls/users"
    );
    assert_eq!(
        users["depends_on"],
        serde_json::json!(["azurerm_cosmosdb_sql_container.users"])
    );
    let orders = resource(
        &stack,
        "azurerm_cosmosdb_sql_role_assignment",
        "node-sales-orders",
    );
    assert_eq!(
        orders["scope"],
        "${azurerm_cosmosdb_account.shared.id}/dbs/sales/colls/orders"
    );
    assert_eq!(
        orders["depends_on"],
        serde_json::json!(["azurerm_cosmosdb_sql_container.sales-orders"])
    );
}

/// A Dedicated plan has no scale controller to wake an idle host, so timer and Service Bus
/// triggers stopped firing after a few minutes: apps on B, S and Pv3 plans get
/// `site_config.always_on = true`. Consumption and Elastic Premium must not have it.
#[test]
fn dedicated_plans_keep_the_host_always_on() {
    for (plan, always_on) in [
        ("B1", Some(true)),
        ("B3", Some(true)),
        ("S1", Some(true)),
        ("S3", Some(true)),
        ("P0v3", Some(true)),
        ("P3v3", Some(true)),
        ("Y1", None),
        ("EP1", None),
        ("EP3", None),
    ] {
        let workspace = Workspace::with_backend(&format!(
            "name: shop
environment: prod
location: eastus
functions: {{plan: {plan}}}
components:
  jobs:
    type: function-app
    runtime: node
    functions:
      nightly: {{trigger: timer, schedule: \"0 0 2 * * *\"}}
"
        ));
        workspace.synth_ok("out");
        let stack = workspace.stack("out");
        let app = resource(&stack, "azurerm_linux_function_app", "node");
        assert_eq!(
            app["site_config"]["always_on"].as_bool(),
            always_on,
            "{plan}: {}",
            app["site_config"]
        );
    }
}

/// Azure creates a "Failure Anomalies" smart detector rule beside every Application Insights
/// component, outside Terraform, and `terraform destroy` then fails on the resource group that
/// still holds it. The provider feature `application_insights.disable_generated_rule` makes
/// the provider disable that rule and delete it with the component.
#[test]
fn destroy_is_not_blocked_by_the_generated_failure_anomalies_rule() {
    let workspace = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User}
",
    ));
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert!(!crate::support::resource_names(&stack, "azurerm_application_insights").is_empty());
    assert_eq!(
        stack["provider"]["azurerm"]["features"]["application_insights"],
        serde_json::json!({ "disable_generated_rule": true })
    );

    // Without Application Insights there is nothing to disable: the features block is empty.
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
monitoring: {enabled: false}
components:
  users: {type: crud-api, entity: User}
",
    );
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        stack["provider"]["azurerm"]["features"],
        serde_json::json!({})
    );
}

/// Where the platform scales an app by a Service Bus backlog (Consumption, Elastic Premium), the scale monitor reads the entity's message count, which needs Manage
/// rights: with Data Receiver alone it sees at most one message and scales as if one were
/// waiting. Those apps get Data Owner on the entity they consume (still scoped to it);
/// Dedicated plans do not scale on events and keep Data Receiver. Sending is unchanged.
#[test]
fn servicebus_triggers_that_scale_on_backlog_get_data_owner() {
    for (plan, role) in [
        ("Y1", "Azure Service Bus Data Owner"),
        ("EP1", "Azure Service Bus Data Owner"),
        ("B1", "Azure Service Bus Data Receiver"),
        ("S1", "Azure Service Bus Data Receiver"),
        ("P1v3", "Azure Service Bus Data Receiver"),
    ] {
        let workspace = Workspace::with_backend(&backend_with(&format!(
            "  bus:
    type: service-bus
    queues: [orders, shipments]
    topics: [{{name: events, subscriptions: [audit]}}]
  worker:
    type: function-app
    runtime: node
    plan: {plan}
    functions:
      on-order: {{trigger: queue, queue: orders, sends_to: [shipments]}}
      on-event: {{trigger: topic, topic: events, subscription: audit}}
"
        )));
        workspace.synth_ok("out");
        let stack = workspace.stack("out");
        for (name, scope) in [
            (
                "node-sb-orders-receive",
                "${azurerm_servicebus_queue.orders.id}",
            ),
            (
                "node-sb-events-receive",
                "${azurerm_servicebus_topic.events.id}",
            ),
        ] {
            let grant = resource(&stack, "azurerm_role_assignment", name);
            assert_eq!(grant["role_definition_name"], role, "{plan}: {name}");
            assert_eq!(grant["scope"], scope, "{plan}: {name}");
        }
        let send = resource(&stack, "azurerm_role_assignment", "node-sb-shipments-send");
        assert_eq!(
            send["role_definition_name"], "Azure Service Bus Data Sender",
            "{plan}"
        );
    }
}
