//! Issue 13: apply-time behaviour a schema check cannot see. Every stack passes the azurerm
//! schema check; these tests pin what makes `terraform apply` (and `destroy`) succeed on a
//! fresh subscription and the app run, one test per problem, named after it.

use crate::support::{backend_with, resource, Workspace};

/// The Cosmos data-plane role assignment's `scope` is a plain string to the provider, so a
/// scope spelled from names gave Terraform no edge to the container: the first apply could
/// create the assignment first and fail ("collection … could not be found"). The scope now
/// reads the container's own attributes, which orders the two.
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
        "${azurerm_cosmosdb_account.shared.id}/dbs/${azurerm_cosmosdb_sql_container.users.database_name}/colls/${azurerm_cosmosdb_sql_container.users.name}"
    );
    let orders = resource(
        &stack,
        "azurerm_cosmosdb_sql_role_assignment",
        "node-sales-orders",
    );
    assert_eq!(
        orders["scope"],
        "${azurerm_cosmosdb_account.shared.id}/dbs/${azurerm_cosmosdb_sql_container.sales-orders.database_name}/colls/${azurerm_cosmosdb_sql_container.sales-orders.name}"
    );
}
