//! Every documented diagnostic code is reachable from a backend.yaml, and every code baas
//! emits is documented.
//!
//! The documented codes are the `## `baas::...`` headings of `baas explain --all`. The
//! emitted codes come from `baas validate --format json` over every file in
//! `tests/fixtures/bad/`, every example with a backend.yaml, and the inline scenarios below
//! (merge rules, limits, address collisions and template providers, which no bad fixture
//! triggers). A code that cannot be reached from a backend.yaml by design is listed in
//! `UNREACHABLE` with the reason; listing a code there that something emits is an error too.

use crate::support::{baas_in, bad_fixtures_dir, repo_root, Workspace};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Codes no backend.yaml can trigger with the built-in registry, and why.
const UNREACHABLE: &[(&str, &str)] = &[(
    "baas::terraform::schema",
    "fires only when baas (or a custom provider) generates Terraform that does not match \
         the azurerm schema: a bug, never a user error",
)];

/// A backend with the required keys, the given top-level `extra` lines and these components.
fn backend(extra: &str, components: &str) -> String {
    format!("name: shop\nenvironment: prod\nlocation: eastus\n{extra}components:\n{components}")
}

/// A provider template for the custom scenarios (as in tests/integration/custom.rs).
const REDIS_TEMPLATE: &str = r#"{"azurerm_redis_cache": {"{{key}}": {
  "name": "{{name}}-{{unique_suffix}}", "location": "{{location}}",
  "resource_group_name": "{{resource_group_name}}", "sku_name": {{json config.sku}},
  "family": "C", "capacity": {{json config.capacity}}, "minimum_tls_version": "1.2"}}}
"#;

/// Two custom components that need one Redis cache, rendered by `providers/redis.hbs`.
fn custom_backend(second_config: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         providers:\n  redis: {{template: providers/redis.hbs}}\n\
         components:\n  \
         a: {{type: custom, requires: [{{type: redis, key: shared, config: {{sku: Standard, capacity: 1}}}}]}}\n  \
         b: {{type: custom, requires: [{{type: redis, key: shared, config: {second_config}}}]}}\n"
    )
}

/// One inline scenario: the code it exists for, backend.yaml, and other files beside it.
type Scenario = (&'static str, String, Vec<(&'static str, &'static str)>);

/// Inline backends for codes that no file in `tests/fixtures/bad/` triggers.
fn scenarios() -> Vec<Scenario> {
    let mut scenarios: Vec<Scenario> = backends()
        .into_iter()
        .map(|(code, yaml)| (code, yaml, Vec::new()))
        .collect();
    scenarios.push((
        "baas::landing_zone::resource_group",
        backend(
            "resource_group: {name: \"rg-{{name}}\"}\nfunctions: {plan: EP1}\ndeployment: {strategy: multi-region, regions: [eastus, westus2]}\n",
            "  users: {type: crud-api, entity: User}\n",
        ),
        Vec::new(),
    ));
    scenarios.push((
        "baas::names::host_id",
        "name: inventorysvc\nenvironment: staging1\nlocation: southeastasia\n\
         naming: {template: \"{{abbr}}-{{name}}-{{env}}-{{location}}-{{instance}}\"}\n\
         functions: {plan: EP1}\ncomponents:\n  users: {type: crud-api, entity: User}\n  \
         jobs: {type: function-app, runtime: python, functions: {tick: {trigger: timer, schedule: \"0 0 * * * *\"}}}\n"
            .to_owned(),
        Vec::new(),
    ));
    scenarios.push((
        "baas::deployment::consistency",
        backend(
            "cosmos: {consistency: Strong}\ndeployment: {strategy: disaster-recovery, secondary: westus}\nfunctions: {plan: EP1}\n",
            "  users: {type: crud-api, entity: User}\n",
        ),
        Vec::new(),
    ));
    scenarios.push((
        "baas::merge::custom_config",
        custom_backend("{sku: Premium}"),
        vec![("providers/redis.hbs", REDIS_TEMPLATE)],
    ));
    scenarios.push((
        "baas::template::render",
        custom_backend("{capacity: 1}"),
        vec![(
            "providers/redis.hbs",
            "{\n  \"azurerm_redis_cache\": {{#if key}\n}\n",
        )],
    ));
    scenarios
}

/// Scenarios that are a backend.yaml alone.
fn backends() -> Vec<(&'static str, String)> {
    let existing = "cosmos: {existing: {name: cosmos-shared, resource_group: rg-data}}\n";
    vec![
        (
            "baas::landing_zone::workspace",
            backend(
                "monitoring: {retention_days: 30, workspace: {name: log-platform, resource_group: rg-monitoring}}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::cosmos_settings",
            backend(
                "cosmos: {serverless: true, existing: {name: cosmos-shared, resource_group: rg-data}}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::cosmos_service_endpoints",
            backend(
                &format!("{existing}networking: {{mode: isolated, address_space: 10.0.0.0/16, private_endpoints: false}}\nfunctions: {{plan: EP1}}\n"),
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::cosmos_account",
            backend(
                &format!("{existing}deployment: {{strategy: multi-region, regions: [eastus, westus2], data: regional}}\nfunctions: {{plan: EP1}}\n"),
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::functions::cors_site_elsewhere",
            backend(
                "deployment: {strategy: multi-region, regions: [eastus, westus2]}\nfunctions: {plan: EP1}\n",
                "  web: {type: static-site}\n  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::deployment::shared_service_endpoints",
            backend(
                "networking: {mode: isolated, address_space: 10.0.0.0/16, private_endpoints: false}\n\
                 deployment: {strategy: disaster-recovery, secondary: westus}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::subnet_missing",
            backend(
                "networking: {mode: isolated, existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe}}}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::network",
            backend(
                "networking: {mode: isolated, existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe, functions-node: \"snet-node-{{stack}}\"}}}\n\
                 deployment: {strategy: multi-region, regions: [eastus, westus2]}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::subnet",
            backend(
                "networking: {mode: isolated, existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe, functions-node: snet-pe}}}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::landing_zone::address_space",
            backend(
                "networking: {mode: isolated, address_space: 10.0.0.0/16, existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe, functions-node: snet-node}}}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::deployment::custom_domain",
            backend(
                "deployment: {strategy: blue-green, active: blue, custom_domain: api.example.com}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::deployment::regional_data",
            backend(
                "deployment: {strategy: multi-region, regions: [eastus, westus2], data: regional}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::deployment::multi_write_strong",
            backend(
                "cosmos: {consistency: Strong}\n\
                 deployment: {strategy: multi-region, regions: [eastus, westus2], multi_write: true}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::deployment::duplicate",
            backend(
                "naming: {template: \"{{abbr}}-{{name}}-{{env}}\"}\n\
                 deployment: {strategy: blue-green, active: blue}\nfunctions: {plan: EP1}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::functions::no_generated_code",
            backend(
                "",
                "  users: {type: crud-api, entity: User, runtime: dotnet-isolated}\n",
            ),
        ),
        (
            "baas::merge::cosmos_settings",
            backend(
                "",
                "  users: {type: crud-api, entity: User, cosmos: {consistency: Strong}}\n  \
                 orders: {type: crud-api, entity: Order, cosmos: {consistency: Eventual}}\n",
            ),
        ),
        (
            "baas::merge::network_access",
            backend(
                "",
                "  users: {type: crud-api, entity: User}\n  \
                 orders: {type: crud-api, entity: Order, cosmos: {public_network_access: false}}\n",
            ),
        ),
        (
            "baas::merge::partition_key",
            backend(
                "",
                "  users: {type: crud-api, entity: User, container: people, partition_key: /id}\n  \
                 customers: {type: crud-api, entity: Customer, container: people, partition_key: /email}\n",
            ),
        ),
        (
            "baas::merge::runtime_version",
            backend(
                "",
                "  users: {type: crud-api, entity: User, version: \"20\"}\n  \
                 orders: {type: crud-api, entity: Order, version: \"22\"}\n",
            ),
        ),
        (
            "baas::merge::function_name",
            backend(
                "",
                "  users: {type: crud-api, entity: User}\n  \
                 jobs:\n    type: function-app\n    runtime: node\n    functions:\n      \
                 users-create: {trigger: timer, schedule: \"0 0 * * * *\"}\n",
            ),
        ),
        (
            "baas::merge::route",
            backend(
                "",
                "  users: {type: crud-api, entity: User}\n  \
                 hooks:\n    type: function-app\n    runtime: node\n    functions:\n      \
                 make-user: {trigger: http, route: users, methods: [post]}\n",
            ),
        ),
        (
            "baas::merge::plan",
            backend(
                "",
                "  users: {type: crud-api, entity: User}\n  \
                 hooks:\n    type: function-app\n    runtime: node\n    plan: EP1\n    functions:\n      \
                 ping: {trigger: http}\n",
            ),
        ),
        (
            "baas::limits::exceeded",
            backend(
                "limits: {max_cosmos_accounts: 0}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        (
            "baas::limits::functions_per_app",
            backend(
                "limits: {max_functions_per_app: 4}\n",
                "  users: {type: crud-api, entity: User}\n",
            ),
        ),
        // crates/providers/src/cosmos.rs `container_address`: a container outside the default
        // database is addressed `<database>-<container>`, so `a-b` + `c` and `a` + `b-c` are
        // both `azurerm_cosmosdb_sql_container.a-b-c`.
        (
            "baas::terraform::duplicate_address",
            backend(
                "functions: {plan: Y1}\n",
                "  one: {type: crud-api, entity: One, database: a-b, container: c}\n  \
                 two: {type: crud-api, entity: Two, database: a, container: b-c}\n",
            ),
        ),
    ]
}

/// The codes of `baas explain --all`: one `## `CODE`` heading each.
fn documented_codes() -> BTreeSet<String> {
    let explain = baas_in(&repo_root(), &["explain", "--all"]);
    explain.expect_exit(0);
    let codes: BTreeSet<String> = explain
        .stdout
        .lines()
        .filter_map(|line| line.strip_prefix("## `")?.strip_suffix('`'))
        .map(str::to_owned)
        .collect();
    assert!(
        codes.len() >= 20 && codes.iter().all(|c| c.starts_with("baas::")),
        "`baas explain --all` lists no codes as `## `baas::...`` headings:\n{}",
        explain.stdout
    );
    codes
}

/// `baas validate --format json FILE` in `dir`: the codes it emitted. Exit code 0 or 1 only.
fn emitted_codes(dir: &Path, file: &str) -> Vec<String> {
    let validate = baas_in(dir, &["validate", "--format", "json", file]);
    assert!(
        validate.code == 0 || validate.code == 1,
        "`baas validate --format json {file}` exited with {}:\n{}",
        validate.code,
        validate.stderr
    );
    validate
        .json_diagnostics()
        .iter()
        .map(|d| {
            d["code"]
                .as_str()
                .unwrap_or_else(|| panic!("{file}: a diagnostic without a code: {d}"))
                .to_owned()
        })
        .collect()
}

/// Every code emitted by every input this test knows, with the first input that emitted it.
fn emitted_everywhere() -> BTreeMap<String, String> {
    let mut emitted: BTreeMap<String, String> = BTreeMap::new();
    let mut record = |codes: Vec<String>, input: &str| {
        for code in codes {
            emitted.entry(code).or_insert_with(|| input.to_owned());
        }
    };

    let fixtures = bad_fixtures_dir();
    let mut files: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no fixtures in {}", fixtures.display());
    for file in &files {
        record(
            emitted_codes(&fixtures, file),
            &format!("tests/fixtures/bad/{file}"),
        );
    }

    let examples = repo_root().join("examples");
    // Examples with a backend.yaml (`examples/custom-provider` is a Rust program).
    let mut dirs: Vec<String> = std::fs::read_dir(&examples)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|dir| examples.join(dir).join("backend.yaml").is_file())
        .collect();
    dirs.sort();
    for dir in &dirs {
        record(
            emitted_codes(&examples.join(dir), "backend.yaml"),
            &format!("examples/{dir}"),
        );
    }

    for (code, yaml, files) in scenarios() {
        let workspace = Workspace::with_backend(&yaml);
        for (path, contents) in files {
            workspace.write(path, contents);
        }
        let codes = emitted_codes(workspace.path(), "backend.yaml");
        assert!(
            codes.iter().any(|c| c == code),
            "the scenario for `{code}` did not emit it; it emitted {codes:?}:\n{yaml}"
        );
        record(codes, &format!("the inline scenario for `{code}`"));
    }
    emitted
}

#[test]
fn every_documented_code_is_emitted_and_every_emitted_code_is_documented() {
    let documented = documented_codes();
    let emitted = emitted_everywhere();
    let unreachable: BTreeSet<String> = UNREACHABLE.iter().map(|(c, _)| (*c).to_owned()).collect();

    let mut problems = Vec::new();
    for code in &documented {
        if !emitted.contains_key(code) && !unreachable.contains(code) {
            problems.push(format!(
                "`{code}` is documented but nothing emitted it: add a fixture to \
                 tests/fixtures/bad/ or a scenario to tests/integration/reachability.rs, \
                 or list it in UNREACHABLE with the reason"
            ));
        }
    }
    for (code, input) in &emitted {
        if !documented.contains(code) {
            problems.push(format!(
                "`{code}` (emitted by {input}) is not in `baas explain --all`"
            ));
        }
        if unreachable.contains(code) {
            problems.push(format!(
                "`{code}` is listed as unreachable, but {input} emitted it"
            ));
        }
    }
    for code in &unreachable {
        if !documented.contains(code) {
            problems.push(format!(
                "UNREACHABLE lists `{code}`, which `baas explain --all` does not document"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The collision of crates/providers/src/cosmos.rs `container_address` is caught: both the
/// container and the role assignment scoped to it would share one address, synth fails with
/// `baas::terraform::duplicate_address` at the second component (pointing back at the
/// first), and nothing is written.
#[test]
fn database_and_container_names_that_join_into_one_address_are_refused() {
    let scenario = backends()
        .into_iter()
        .find(|(code, _)| *code == "baas::terraform::duplicate_address")
        .unwrap()
        .1;
    let workspace = Workspace::with_backend(&scenario);
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(1);
    assert!(!workspace.join("out").exists(), "synth wrote `out`");
    assert_eq!(
        synth.codes().iter().collect::<BTreeSet<_>>(),
        BTreeSet::from([&"baas::terraform::duplicate_address".to_owned()]),
        "{}",
        synth.stderr
    );
    let json = workspace.baas(&["validate", "--format", "json", "backend.yaml"]);
    let messages: Vec<String> = json
        .json_diagnostics()
        .iter()
        .map(|d| d["message"].as_str().unwrap().to_owned())
        .collect();
    for address in [
        "azurerm_cosmosdb_sql_container.a-b-c",
        "azurerm_cosmosdb_sql_role_assignment.node-a-b-c",
    ] {
        assert!(
            messages.iter().any(|m| m.contains(address)),
            "no diagnostic names `{address}`: {messages:?}"
        );
    }
    for diagnostic in json.json_diagnostics() {
        // `two:` is on line 7: the second claimant is reported, the first is related.
        assert_eq!(diagnostic["line"], 7, "{diagnostic}");
    }
    assert!(
        synth.stderr.contains("the other one comes from here"),
        "the report does not point at the first claimant:\n{}",
        synth.stderr
    );
}
