//! `limits`: counted after merging and over every stack of the deployment; exceeding one fails
//! with the limit key, the limit, the count, the stacks and the components that caused it.
//! Exactly at the limit passes.

use crate::support::Workspace;
use serde_json::Value;

fn backend(limits: &str, components: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\nlimits:\n  {limits}\ncomponents:\n{components}functions: {{plan: Y1}}\n"
    )
}

const TWO_APIS_AND_A_PYTHON_APP: &str = "  users: {type: crud-api, entity: User}
  orders: {type: crud-api, entity: Order}
  reports:
    type: function-app
    runtime: python
    functions:
      nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}
";

/// Runs validate (human and JSON) and synth on a backend that must exceed one limit; returns
/// the JSON message of the one diagnostic with `code`, and snapshots the human report of it.
#[track_caller]
fn exceeds(limits: &str, components: &str, code: &str, snapshot: &str) -> String {
    let workspace = Workspace::with_backend(&backend(limits, components));
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(1).expect_code(code);
    assert!(!workspace.join("out").exists());
    assert_eq!(limit_codes(&synth), [code], "only the limit is wrong here");
    insta::assert_snapshot!(snapshot, synth.block(code));
    let json = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    json.expect_exit(1);
    let diagnostics: Vec<Value> = json
        .json_diagnostics()
        .into_iter()
        .filter(|d| d["code"] == code)
        .collect();
    assert_eq!(diagnostics.len(), 1, "{}", json.stdout);
    // The diagnostic points at the limit's value: `limits:` is on line 4, the value on line 5.
    assert_eq!(diagnostics[0]["line"], 5, "{}", json.stdout);
    diagnostics[0]["message"].as_str().unwrap().to_owned()
}

#[track_caller]
fn within(limits: &str, components: &str) {
    let workspace = Workspace::with_backend(&backend(limits, components));
    let synth = workspace.synth_ok("out");
    assert_eq!(
        limit_codes(&synth),
        Vec::<String>::new(),
        "{}",
        synth.stderr
    );
}

/// The codes a run reported, but for the topology's own warnings (each region owns its data,
/// no custom domain in front of Traffic Manager): they are not these tests' subject.
fn limit_codes(outcome: &crate::support::Outcome) -> Vec<String> {
    outcome
        .codes()
        .into_iter()
        .filter(|c| {
            c != "baas::deployment::regional_data" && c != "baas::deployment::no_custom_domain"
        })
        .collect()
}

#[track_caller]
fn assert_mentions(message: &str, parts: &[&str]) {
    for part in parts {
        assert!(
            message.contains(part),
            "the message does not mention {part}:\n{message}"
        );
    }
}

#[test]
fn max_cosmos_accounts_exceeded() {
    let message = exceeds(
        "max_cosmos_accounts: 0",
        "  users: {type: crud-api, entity: User}\n",
        "baas::limits::exceeded",
        "max_cosmos_accounts",
    );
    assert_mentions(
        &message,
        &["`limits.max_cosmos_accounts`", "is 0", "needs 1", "`users`"],
    );
}

#[test]
fn max_cosmos_accounts_counts_after_merging() {
    // Two CRUD APIs share one account: exactly at a limit of 1.
    within(
        "max_cosmos_accounts: 1",
        "  users: {type: crud-api, entity: User}\n  orders: {type: crud-api, entity: Order}\n",
    );
}

#[test]
fn max_function_apps_exceeded() {
    let message = exceeds(
        "max_function_apps: 1",
        TWO_APIS_AND_A_PYTHON_APP,
        "baas::limits::exceeded",
        "max_function_apps",
    );
    assert_mentions(
        &message,
        &[
            "`limits.max_function_apps`",
            "is 1",
            "needs 2",
            "`users`",
            "`orders`",
            "`reports`",
        ],
    );
}

#[test]
fn max_function_apps_at_the_limit() {
    within("max_function_apps: 2", TWO_APIS_AND_A_PYTHON_APP);
}

#[test]
fn max_storage_accounts_exceeded() {
    let message = exceeds(
        "max_storage_accounts: 0",
        TWO_APIS_AND_A_PYTHON_APP,
        "baas::limits::exceeded",
        "max_storage_accounts",
    );
    assert_mentions(
        &message,
        &[
            "`limits.max_storage_accounts`",
            "is 0",
            "needs 1",
            "`users`",
            "`orders`",
            "`reports`",
        ],
    );
}

#[test]
fn max_storage_accounts_at_the_limit() {
    // Every function host shares one account.
    within("max_storage_accounts: 1", TWO_APIS_AND_A_PYTHON_APP);
}

#[test]
fn max_functions_per_app_exceeded() {
    // Two CRUD APIs on the node app: 5 + 5 functions and the generated health function.
    let message = exceeds(
        "max_functions_per_app: 10",
        TWO_APIS_AND_A_PYTHON_APP,
        "baas::limits::functions_per_app",
        "max_functions_per_app",
    );
    assert_mentions(
        &message,
        &[
            "`limits.max_functions_per_app`",
            "is 10",
            "`node`",
            "holds 11",
            "`users`",
            "`orders`",
        ],
    );
    assert!(
        !message.contains("`reports`"),
        "`reports` is on the python app, not the node app:\n{message}"
    );
}

#[test]
fn max_functions_per_app_at_the_limit() {
    within("max_functions_per_app: 11", TWO_APIS_AND_A_PYTHON_APP);
}

#[test]
fn max_containers_per_storage_exceeded() {
    // One deployment container per app, both in the shared host storage account.
    let message = exceeds(
        "max_containers_per_storage: 1",
        TWO_APIS_AND_A_PYTHON_APP,
        "baas::limits::exceeded",
        "max_containers_per_storage",
    );
    assert_mentions(
        &message,
        &[
            "`limits.max_containers_per_storage`",
            "is 1",
            "`functions`",
            "holds 2",
            "`users`",
            "`orders`",
            "`reports`",
        ],
    );
}

#[test]
fn max_containers_per_storage_at_the_limit() {
    within("max_containers_per_storage: 2", TWO_APIS_AND_A_PYTHON_APP);
}

#[test]
fn every_limit_exceeded_at_once_is_reported_in_one_run() {
    let workspace = Workspace::with_backend(&backend(
        "{max_cosmos_accounts: 0, max_function_apps: 1, max_storage_accounts: 0, max_functions_per_app: 10, max_containers_per_storage: 1}",
        TWO_APIS_AND_A_PYTHON_APP,
    ));
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1);
    assert_eq!(validate.counts(), (5, 0), "{}", validate.stderr);
}

/// Limits count the whole deployment: two tenants in two regions hold four Cosmos DB accounts,
/// and the message names every stack and what each contributes.
#[test]
fn limits_count_every_stack_of_the_deployment() {
    let message = exceeds(
        "max_cosmos_accounts: 1\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2], data: regional}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}",
        "  users: {type: crud-api, entity: User}\n",
        "baas::limits::exceeded",
        "max_cosmos_accounts_across_stacks",
    );
    assert_mentions(
        &message,
        &[
            "is 1 but the deployment needs 4 Cosmos DB accounts",
            "1 in each of 4 stacks (`tenant-acme-eastus`, `tenant-acme-westus2`, `tenant-globex-eastus`, `tenant-globex-westus2`)",
            "`shared` (from `users`)",
        ],
    );
    within(
        "max_cosmos_accounts: 4\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2]}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}",
        "  users: {type: crud-api, entity: User}\n",
    );
}

/// A disaster-recovery secondary reads the primary's Cosmos DB account: it adds none, but its
/// own function host storage counts.
#[test]
fn a_disaster_recovery_secondary_adds_no_cosmos_account() {
    let dr = "deployment: {strategy: disaster-recovery, secondary: westus2}";
    within(
        &format!("max_cosmos_accounts: 1\n{dr}"),
        "  users: {type: crud-api, entity: User}\n",
    );
    let message = exceeds(
        &format!("max_storage_accounts: 1\n{dr}"),
        "  users: {type: crud-api, entity: User}\n",
        "baas::limits::exceeded",
        "max_storage_accounts_disaster_recovery",
    );
    assert_mentions(
        &message,
        &["needs 2 storage accounts, 1 in each of 2 stacks (`primary`, `secondary`)"],
    );
    let message = exceeds(
        "max_cosmos_accounts: 1\n\
         deployment: {strategy: disaster-recovery, secondary: westus2}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}",
        "  users: {type: crud-api, entity: User}\n",
        "baas::limits::exceeded",
        "max_cosmos_accounts_disaster_recovery_tenants",
    );
    assert_mentions(
        &message,
        &["needs 2 Cosmos DB accounts, 1 in each of 2 stacks (`tenant-acme-primary`, `tenant-globex-primary`)"],
    );
}

/// `max_functions_per_app` holds for each app, which is the same in every region.
#[test]
fn max_functions_per_app_stays_per_app_across_regions() {
    // Five CRUD functions and the generated health function, in each of three regions.
    within(
        "max_functions_per_app: 6\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2, westeurope]}",
        "  users: {type: crud-api, entity: User}\n",
    );
}
