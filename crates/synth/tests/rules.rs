//! Merge and provider rules, checked in process: one `check(yaml, expect)` per rule, where
//! `expect` lists every diagnostic as `code@line:column`. No binary starts, so a rule costs
//! microseconds to test; the rendered reports are the integration tests' business.

use baas_model::SourceFile;
use baas_providers::Registry;

/// Synthesizes `yaml` and compares every diagnostic, as `code@line:column`, with `expect`.
#[track_caller]
fn check(yaml: &str, expect: &[&str]) {
    let source = SourceFile::new("backend.yaml", yaml);
    let synthesis = baas_synth::synthesize(&source, &Registry::builtin());
    let found: Vec<String> = synthesis
        .diagnostics
        .iter()
        .map(|d| match d.span {
            Some(span) => format!("{}@{}:{}", d.code.id, span.line, span.column),
            None => d.code.id.to_owned(),
        })
        .collect();
    assert_eq!(found, expect, "{yaml}");
    assert_eq!(
        synthesis.files.is_empty(),
        synthesis.has_errors(),
        "files are written exactly when nothing is an error"
    );
}

/// A backend with the required keys, the Consumption plan chosen knowingly (last, so that
/// the components keep their lines; no `baas::functions::consumption_default`), and these components (indented under `components:`).
fn backend(components: &str) -> String {
    format!("name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n{components}functions: {{plan: Y1}}\n")
}

#[test]
fn a_plain_backend_has_no_diagnostics() {
    check(&backend("  users: {type: crud-api, entity: User}\n"), &[]);
}

#[test]
fn shared_cosmos_settings_must_agree() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User, cosmos: {consistency: Strong}}\n  \
             orders: {type: crud-api, entity: Order, cosmos: {consistency: Eventual}}\n",
        ),
        &["baas::merge::cosmos_settings@6:65"],
    );
}

#[test]
fn one_container_keeps_one_partition_key() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User, container: people, partition_key: /id}\n  \
             customers: {type: crud-api, entity: Customer, container: people, partition_key: /id, schema: {id: string, email: string}}\n  \
             buyers: {type: crud-api, entity: Buyer, container: people, partition_key: /email, schema: {id: string, email: string}}\n",
        ),
        &["baas::merge::partition_key@7:77"],
    );
}

#[test]
fn explicit_runtime_versions_on_one_app_must_agree() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User, version: \"20\"}\n  \
             orders: {type: crud-api, entity: Order, version: \"22\"}\n",
        ),
        &["baas::merge::runtime_version@6:52"],
    );
}

#[test]
fn a_function_name_is_unique_on_its_app() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User}\n  \
             hooks:\n    type: function-app\n    runtime: node\n    functions:\n      \
             users-create: {trigger: timer, schedule: \"0 0 * * * *\"}\n",
        ),
        &["baas::merge::function_name@10:7"],
    );
}

#[test]
fn a_route_and_method_are_served_once_per_app() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User}\n  \
             hooks:\n    type: function-app\n    runtime: node\n    functions:\n      \
             list: {trigger: http, route: users, methods: [get]}\n",
        ),
        &["baas::merge::route@10:36"],
    );
}

#[test]
fn the_health_function_name_and_route_are_reserved() {
    check(
        &backend(
            "  hooks:\n    type: function-app\n    runtime: python\n    functions:\n      \
             health: {trigger: timer, schedule: \"0 0 * * * *\"}\n      \
             probe: {trigger: http, route: health, methods: [get]}\n",
        ),
        &[
            "baas::functions::health_reserved@9:7",
            "baas::functions::health_reserved@10:37",
        ],
    );
    // Another method on the same path is not the probe's.
    check(
        &backend(
            "  hooks:\n    type: function-app\n    runtime: python\n    functions:\n      \
             report: {trigger: http, route: health, methods: [post]}\n",
        ),
        &[],
    );
}

#[test]
fn crud_apis_without_generated_code_warn_once_per_app() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User, runtime: java}\n  \
             orders: {type: crud-api, entity: Order, runtime: java}\n",
        ),
        &["baas::functions::no_generated_code@5:50"],
    );
}

#[test]
fn the_probe_path_must_be_served_anonymously() {
    let multi_region = |path: &str, auth: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\n\
             deployment: {{strategy: multi-region, regions: [eastus, westus2], health_probe: {{path: {path}}}}}\n\
             components:\n  ops:\n    type: function-app\n    runtime: node\n    functions:\n      \
             ready: {{trigger: http, route: ready, methods: [get], auth_level: {auth}}}\n\
             functions: {{plan: Y1}}\n"
        )
    };
    // Without `custom_domain`, the deployment also says that Traffic Manager's name alone
    // does not reach the apps.
    let unreachable = "baas::deployment::no_custom_domain@4:13";
    check(&multi_region("/api/ready", "anonymous"), &[unreachable]);
    check(&multi_region("/api/health", "function"), &[unreachable]);
    check(
        &multi_region("/api/ready", "function"),
        &[unreachable, "baas::deployment::probe_path@4:87"],
    );
    check(
        &multi_region("/ready", "anonymous"),
        &[unreachable, "baas::deployment::probe_path@4:87"],
    );
}

#[test]
fn a_key_ending_in_a_hyphen_is_refused_by_the_rule_the_message_states() {
    let source = SourceFile::new(
        "backend.yaml",
        backend("  web-: {type: crud-api, entity: User}\n"),
    );
    let synthesis = baas_synth::synthesize(&source, &Registry::builtin());
    let messages: Vec<&str> = synthesis
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(
        messages[0].contains("not ending with a hyphen"),
        "{messages:?}"
    );
}

#[test]
fn values_azure_would_refuse_are_refused_where_they_are_written() {
    let top = |extra: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\n{extra}\ncomponents:\n  users: {{type: crud-api, entity: User}}\nfunctions: {{plan: Y1}}\n"
        )
    };
    check(
        &top("tags: {owner: \"a\\0b\"}"),
        &["baas::schema::invalid_value@4:15"],
    );
    check(
        &top("state: {resource_group: \"\", storage_account: sttfstate, container: UPPER}"),
        &["baas::state::invalid@4:25", "baas::state::invalid@4:68"],
    );
    check(
        &top("deployment: {strategy: multi-region, regions: [eastus, westus2], health_probe: {path: \"/api/health\\e[2J\"}}"),
        &[
            "baas::deployment::no_custom_domain@4:13",
            "baas::deployment::invalid@4:87",
        ],
    );
}

#[test]
fn a_time_to_live_beyond_azures_longest_time_span_is_refused() {
    let bus = |ttl: &str| {
        backend(&format!(
            "  bus:\n    type: service-bus\n    queues: [{{name: orders, default_message_ttl: {ttl}}}]\n"
        ))
    };
    check(&bus("P10675199D"), &[]);
    check(&bus("P99999999D"), &["baas::servicebus::value@7:50"]);
}

#[test]
fn multi_region_shares_its_data_unless_told_to_keep_it_per_region() {
    let multi_region = |settings: &str, components: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             deployment: {{strategy: multi-region, regions: [eastus, westus2]{settings}}}\n\
             components:\n{components}"
        )
    };
    // An app that serves HTTP, on its custom domain (without one, a warning would say that
    // Traffic Manager's name alone does not reach it).
    let users = "  users: {type: crud-api, entity: User}\n";
    let multi_region = |settings: &str, components: &str| {
        let settings = if components == users {
            format!("{settings}, custom_domain: api.example.com, dns_zone: example.com")
        } else {
            settings.to_owned()
        };
        multi_region(&settings, components)
    };
    // `data: global` (the default): one geo-replicated account, nothing to warn about.
    check(&multi_region("", users), &[]);
    check(
        &multi_region(", data: global, multi_write: true", users),
        &[],
    );
    // `data: regional`: each region's own account, said at `data`.
    check(
        &multi_region(", data: regional", users),
        &["baas::deployment::regional_data@5:72"],
    );
    // Service Bus stays regional under `data: global`: said at the deployment.
    check(
        &multi_region(
            "",
            "  jobs:\n    type: function-app\n    runtime: node\n    functions:\n      \
             on-order: {trigger: queue, queue: orders}\n",
        ),
        &["baas::deployment::regional_data@5:13"],
    );
    // Compute alone holds no data.
    check(
        &multi_region(
            ", data: regional",
            "  jobs:\n    type: function-app\n    runtime: node\n    functions:\n      \
             nightly: {trigger: timer, schedule: \"0 0 2 * * *\"}\n",
        ),
        &[],
    );
    // Multi-region writes need the shared account.
    check(
        &multi_region(", data: regional, multi_write: true", users),
        &[
            "baas::deployment::regional_data@5:72",
            "baas::deployment::invalid@5:95",
        ],
    );
    // A shared account replicates: serverless cannot, and Strong cannot take writes everywhere.
    check(
        &format!("cosmos: {{serverless: true}}\n{}", multi_region("", users)),
        &["baas::deployment::serverless_dr@1:22"],
    );
    check(
        &format!(
            "cosmos: {{consistency: Strong}}\n{}",
            multi_region(", multi_write: true", users)
        ),
        &["baas::deployment::multi_write_strong@1:23"],
    );
    check(
        &format!(
            "cosmos: {{consistency: Strong}}\n{}",
            multi_region("", users)
        ),
        &["baas::deployment::consistency@1:23"],
    );
}

#[test]
fn no_two_stacks_create_the_same_name_or_dns_record() {
    // A naming template without `{{region}}` names every region's resources alike: reported
    // at the template, once for each name. Globally unique names keep their hash of the
    // region unless `unique_suffix` is off; the resource group's name has none (and the
    // `global` stack's is named alike too: its `global` rides in the instance). The shared
    // Cosmos DB account is created once, so its name is no clash.
    check(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         naming: {template: \"{{abbr}}-{{name}}-{{instance}}-{{env}}\"}\n\
         deployment: {strategy: blue-green, active: blue}\nfunctions: {plan: EP1}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
        &[
            "baas::deployment::no_custom_domain@5:13",
            "baas::deployment::stateful_colors@5:13",
        ],
    );
    check(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         naming: {template: \"{{abbr}}-{{name}}-{{env}}\"}\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2]}\nfunctions: {plan: EP1}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
        &[
            "baas::deployment::duplicate@4:20",
            "baas::deployment::duplicate@4:20",
            "baas::deployment::no_custom_domain@5:13",
        ],
    );
    check(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         naming: {template: \"{{abbr}}-{{name}}-{{instance}}-{{env}}\", unique_suffix: false}\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2]}\nfunctions: {plan: EP1}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
        &[
            "baas::deployment::duplicate@4:20",
            "baas::deployment::duplicate@4:20",
            "baas::deployment::duplicate@4:20",
            "baas::deployment::no_custom_domain@5:13",
        ],
    );
}

#[test]
fn the_api_custom_domain_is_checked_where_it_is_written() {
    let with = |domain: &str, components: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             deployment: {{strategy: blue-green, active: blue, {domain}}}\n\
             components:\n{components}"
        )
    };
    let users = "  users: {type: crud-api, entity: User}\n";
    let colors = "baas::deployment::stateful_colors@5:13";
    check(
        &with(
            "custom_domain: api.example.com, dns_zone: example.com",
            users,
        ),
        &[colors],
    );
    // No zone; a zone without a domain; outside the zone; the apex; not a DNS name.
    check(
        &with("custom_domain: api.example.com", users),
        &[colors, "baas::deployment::custom_domain@5:65"],
    );
    check(
        &with("dns_zone: example.com", users),
        &[
            "baas::deployment::no_custom_domain@5:13",
            colors,
            "baas::deployment::invalid@5:60",
        ],
    );
    check(
        &with(
            "custom_domain: api.example.org, dns_zone: example.com",
            users,
        ),
        &[colors, "baas::deployment::custom_domain@5:65"],
    );
    check(
        &with("custom_domain: example.com, dns_zone: example.com", users),
        &[colors, "baas::deployment::custom_domain@5:65"],
    );
    check(
        &with(
            "custom_domain: API.example.com, dns_zone: example.com",
            users,
        ),
        &[colors, "baas::deployment::custom_domain@5:65"],
    );
    // One host name reaches one profile: two apps that serve HTTP cannot share it.
    check(
        &with(
            "custom_domain: api.example.com, dns_zone: example.com",
            "  users: {type: crud-api, entity: User}\n  \
             orders: {type: crud-api, entity: Order, runtime: python}\n",
        ),
        &[colors, "baas::deployment::custom_domain@5:65"],
    );
    // The API's domain and a static site's are one CNAME: refused across the deployment.
    check(
        &with(
            "custom_domain: api.example.com, dns_zone: example.com",
            "  users: {type: crud-api, entity: User}\n  \
             web: {type: static-site, custom_domain: api.example.com, dns_zone: example.com}\n",
        ),
        &[colors, "baas::deployment::duplicate@5:65"],
    );
}

#[test]
fn a_shared_account_cannot_sit_behind_service_endpoints() {
    let isolated = |deployment: &str, private_endpoints: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             networking: {{mode: isolated, address_space: 10.0.0.0/16, private_endpoints: {private_endpoints}}}\n\
             deployment: {deployment}\n\
             components:\n  users: {{type: crud-api, entity: User}}\n"
        )
    };
    let dr = "{strategy: disaster-recovery, secondary: westus, custom_domain: api.example.com, dns_zone: example.com}";
    check(&isolated(dr, "true"), &[]);
    check(
        &isolated(dr, "false"),
        &["baas::deployment::shared_service_endpoints@5:77"],
    );
    // Each region's own account: its own subnets are all it needs to admit.
    check(
        &isolated(
            "{strategy: multi-region, regions: [eastus, westus2], data: regional, custom_domain: api.example.com, dns_zone: example.com}",
            "false",
        ),
        &["baas::deployment::regional_data@6:72"],
    );
}

#[test]
fn a_tenant_called_global_clashes_with_the_global_stack_a_static_site_brings() {
    let tenants = |components: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\n\
             tenancy: {{isolation: account, tenants: [{{id: global}}, {{id: beta}}]}}\n\
             functions: {{plan: EP1}}\ncomponents:\n{components}"
        )
    };
    // No static site: no `global` stack under `single`, so `global` is a tenant id like any.
    check(&tenants("  users: {type: crud-api, entity: User}\n"), &[]);
    check(
        &tenants("  users: {type: crud-api, entity: User}\n  web: {type: static-site}\n"),
        // The site lives in the `global` stack: the tenants' apps cannot allow its endpoint.
        &[
            "baas::tenancy::invalid@4:46",
            "baas::functions::cors_site_elsewhere@8:3",
        ],
    );
}

#[test]
fn flex_consumption_is_refused_at_the_plan() {
    check(
        &backend("  users: {type: crud-api, entity: User, runtime: python}\n")
            .replace("{plan: Y1}", "{plan: FC1}"),
        &["baas::functions::flex_consumption@6:19"],
    );
}

#[test]
fn the_default_plan_warns_once_naming_every_app_that_took_it() {
    let apps = "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  \
                users: {type: crud-api, entity: User}\n  \
                jobs: {type: function-app, runtime: python, functions: {tick: {trigger: timer, schedule: \"0 0 * * * *\"}}}\n  \
                ops: {type: function-app, runtime: java, plan: EP1, functions: {tick: {trigger: timer, schedule: \"0 0 * * * *\"}}}\n";
    check(apps, &["baas::functions::consumption_default@5:3"]);
    let synthesis =
        baas_synth::synthesize(&SourceFile::new("backend.yaml", apps), &Registry::builtin());
    let message = &synthesis.diagnostics[0].message;
    assert!(message.contains("`node`, `python` apps run"), "{message}");
    // Named anywhere, the plan is a choice: no warning.
    check(&format!("{apps}functions: {{plan: Y1}}\n"), &[]);
}

#[test]
fn a_version_past_its_end_of_support_warns_where_it_is_written_or_defaulted() {
    check(
        &backend("  users: {type: crud-api, entity: User, version: \"20\"}\n"),
        &["baas::functions::end_of_support@5:50"],
    );
    // .NET 9, the newest on Consumption, ended on 2026-11-10: the default warns at the app.
    check(
        &backend("  users: {type: crud-api, entity: User, runtime: dotnet-isolated}\n"),
        &[
            "baas::functions::end_of_support@5:3",
            "baas::functions::no_generated_code@5:50",
        ],
    );
    check(
        &backend("  users: {type: crud-api, entity: User, runtime: dotnet-isolated}\n")
            .replace("{plan: Y1}", "{plan: EP1}"),
        &["baas::functions::no_generated_code@5:50"],
    );
}

#[test]
fn function_apps_of_a_stack_need_distinct_host_ids() {
    let source = |template: &str| {
        format!(
            "name: inventorysvc\nenvironment: staging1\nlocation: southeastasia\n\
             naming: {{template: \"{template}\"}}\nfunctions: {{plan: EP1}}\ncomponents:\n  \
             users: {{type: crud-api, entity: User}}\n  \
             jobs: {{type: function-app, runtime: python, functions: {{tick: {{trigger: timer, schedule: \"0 0 * * * *\"}}}}}}\n"
        )
    };
    check(
        &source("{{abbr}}-{{name}}-{{env}}-{{location}}-{{instance}}"),
        &["baas::names::host_id@4:20"],
    );
    check(
        &source("{{abbr}}-{{instance}}-{{name}}-{{env}}-{{location}}"),
        &[],
    );
}

#[test]
fn a_custom_requirement_may_not_take_a_built_in_type() {
    // `network` was served by the network provider, which ignores it in public mode.
    check(
        &backend("  net: {type: custom, requires: [{type: network, key: shared}]}\n"),
        &["baas::schema::invalid_value@5:41"],
    );
}

#[test]
fn an_existing_resource_group_is_named_per_stack() {
    let existing = |name: &str, deployment: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             resource_group: {{name: \"{name}\"}}\n{deployment}components:\n  \
             users: {{type: crud-api, entity: User}}\n"
        )
    };
    check(&existing("rg-{{name}}-{{env}}", ""), &[]);
    check(
        &existing("rg-{{stak}}", ""),
        &["baas::schema::invalid_value@5:24"],
    );
    // Azure refuses a resource group name ending with a period.
    check(&existing("rg-{{env}}.", ""), &["baas::names::invalid@5:24"]);
    let blue_green = "deployment: {strategy: blue-green, active: blue}\n";
    check(
        &existing("rg-{{name}}-{{env}}", blue_green),
        &[
            "baas::landing_zone::resource_group@5:24",
            "baas::deployment::no_custom_domain@6:13",
            "baas::deployment::stateful_colors@6:13",
        ],
    );
    check(
        &existing("rg-{{name}}-{{stack}}-{{env}}", blue_green),
        &[
            "baas::deployment::no_custom_domain@6:13",
            "baas::deployment::stateful_colors@6:13",
        ],
    );
}
/// A backend with one CRUD API and this `monitoring` block (a flow mapping).
fn monitored(monitoring: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: Y1}}\nmonitoring: {monitoring}\ncomponents:\n  users: {{type: crud-api, entity: User}}\n"
    )
}

#[test]
fn alert_emails_must_be_addresses_and_distinct() {
    check(
        &monitored("{alerts: {email: [oncall@example.com, oncall, ONCALL@example.com]}}"),
        &[
            "baas::monitoring::alerts@5:51",
            "baas::monitoring::alerts@5:59",
        ],
    );
}

#[test]
fn an_alert_webhook_must_be_https() {
    check(
        &monitored("{alerts: {webhook: \"http://hooks.example.com\"}}"),
        &["baas::monitoring::alerts@5:32"],
    );
}

#[test]
fn alerts_need_someone_to_notify() {
    check(
        &monitored("{alerts: {severity: 1}}"),
        &["baas::monitoring::alerts@5:22"],
    );
}

#[test]
fn alert_severity_is_zero_to_four() {
    check(
        &monitored("{alerts: {email: [a@example.com], severity: 5}}"),
        &["baas::schema::invalid_value@5:57"],
    );
}

#[test]
fn retention_is_thirty_to_seven_hundred_thirty_days() {
    check(
        &monitored("{retention_days: 7}"),
        &["baas::schema::invalid_value@5:30"],
    );
}

#[test]
fn alerts_without_monitoring_warn_and_alerts_false_is_none() {
    check(
        &monitored("{enabled: false, alerts: {email: [a@example.com]}}"),
        &["baas::monitoring::alerts@5:38"],
    );
    check(&monitored("{alerts: false}"), &[]);
    check(&monitored("{alerts: true}"), &["baas::schema::type@5:22"]);
}

/// An `auth` mapping with this client id (the tenant is fixed).
fn auth(client: &str) -> String {
    format!(
        "{{provider: entra, tenant_id: 72f988bf-86f1-41af-91ab-2d7cd011db47, client_id: {client}}}"
    )
}

const CLIENT_A: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT_B: &str = "99999999-2222-3333-4444-555555555555";

#[test]
fn tenant_and_client_ids_must_be_guids() {
    check(
        &backend(&format!(
            "  users: {{type: crud-api, entity: User, auth: {}}}\n",
            auth("not-a-guid")
        )),
        &["baas::model::auth_id@5:125"],
    );
    check(
        // Any case: the Entra admin center shows lowercase, other tools uppercase.
        &format!(
            "{}auth: {}\n",
            backend("  users: {type: crud-api, entity: User}\n"),
            auth("ABCDEF01-2222-3333-4444-555555555555")
        ),
        &[],
    );
}

#[test]
fn components_on_one_app_must_agree_on_auth() {
    let top = format!("auth: {}\n", auth(CLIENT_A));
    // A component's own `auth` against the top-level one it replaces on another component.
    check(
        &format!(
            "{}{top}",
            backend(&format!(
                "  users: {{type: crud-api, entity: User}}\n  orders: {{type: crud-api, entity: Order, auth: {}}}\n",
                auth(CLIENT_B)
            ))
        ),
        &["baas::merge::auth@6:49"],
    );
    // Another runtime's app may have its own; a component without `auth` takes the app's.
    check(
        &backend(&format!(
            "  users: {{type: crud-api, entity: User, auth: {}}}\n  orders: {{type: crud-api, entity: Order}}\n  \
             reports: {{type: crud-api, entity: Report, runtime: python, auth: {}}}\n",
            auth(CLIENT_A),
            auth(CLIENT_B)
        )),
        &[],
    );
}

#[test]
fn app_cors_origins_are_https_or_localhost() {
    check(
        &backend("  users: {type: crud-api, entity: User, cors: [\"http://app.example.com\", \"https://app.example.com/\", \"http://localhost:5173\"]}\n"),
        &["baas::model::cors_origin@5:48", "baas::model::cors_origin@5:74"],
    );
    check(
        &backend(
            "  users: {type: crud-api, entity: User, cors: [\"*\", \"https://app.example.com\"]}\n",
        ),
        &["baas::model::cors_origin@5:48"],
    );
}

#[test]
fn every_origin_with_credentials_is_refused_on_the_app() {
    let hooks = "  hooks: {type: function-app, runtime: node, cors: [\"*\"], functions: {ping: {trigger: http}}}\n";
    check(
        &backend(&format!(
            "  users: {{type: crud-api, entity: User, cors: {{origins: [\"https://a.example.com\"], credentials: true}}}}\n{hooks}"
        )),
        &["baas::functions::cors_credentials@6:53"],
    );
    check(
        &backend(&format!(
            "  users: {{type: crud-api, entity: User, cors: {{origins: [\"https://a.example.com\"], credentials: false}}}}\n{hooks}"
        )),
        &[],
    );
}

#[test]
fn a_site_in_the_global_stack_without_a_custom_domain_warns_once() {
    let source = |site: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             deployment: {{strategy: multi-region, regions: [eastus, westus2]}}\ncomponents:\n  \
             {site}\n  users: {{type: crud-api, entity: User}}\n  \
             reports: {{type: crud-api, entity: Report, runtime: python}}\n"
        )
    };
    check(
        &source("web: {type: static-site}"),
        &[
            "baas::deployment::no_custom_domain@5:13",
            "baas::functions::cors_site_elsewhere@7:3",
        ],
    );
    check(
        &source("web: {type: static-site, custom_domain: www.example.com, dns_zone: example.com}"),
        &["baas::deployment::no_custom_domain@5:13"],
    );
}

#[test]
fn a_site_that_routes_the_api_needs_no_cors_warning() {
    let source = "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2]}\ncomponents:\n  \
         web: {type: static-site, api: true}\n  users: {type: crud-api, entity: User}\n";
    check(source, &["baas::deployment::no_custom_domain@5:13"]);
}

#[test]
fn site_api_names_an_unknown_component() {
    check(
        &backend("  web: {type: static-site, api: [users, orderz]}\n  users: {type: crud-api, entity: User}\n"),
        &["baas::static_site::api@5:41"],
    );
}

#[test]
fn site_api_names_a_component_that_serves_no_http() {
    check(
        &backend(
            "  web: {type: static-site, api: [worker]}\n  users: {type: crud-api, entity: User}\n  \
             worker: {type: function-app, runtime: node, functions: {tick: {trigger: timer, schedule: \"0 0 * * * *\"}}}\n",
        ),
        &["baas::static_site::api@5:34"],
    );
}

#[test]
fn site_api_routes_further_apps_by_the_first_segment_of_their_routes() {
    let two_apps = "  users: {type: crud-api, entity: User}\n  reports: {type: crud-api, entity: Report, runtime: python}\n";
    // `users` (node) takes `/api/*`, `reports` (python) `/api/reports` and `/api/reports/*`.
    check(
        &backend(&format!(
            "  web: {{type: static-site, api: true}}\n{two_apps}"
        )),
        &[],
    );
    // A python route under `users/` would take node's requests.
    check(
        &backend(&format!(
            "  web: {{type: static-site, api: true}}\n{two_apps}  \
             jobs: {{type: function-app, runtime: python, functions: {{export: {{trigger: http, route: users/export}}}}}}\n"
        )),
        &["baas::static_site::api@8:90"],
    );
    // A route that starts with a parameter has no prefix to route by.
    check(
        &backend(&format!(
            "  web: {{type: static-site, api: true}}\n{two_apps}  \
             jobs: {{type: function-app, runtime: python, functions: {{any: {{trigger: http, route: \"{{name}}/x\"}}}}}}\n"
        )),
        &["baas::static_site::api@8:87"],
    );
}

#[test]
fn site_api_without_a_function_app_is_an_error() {
    check(
        &backend("  web: {type: static-site, api: true}\n"),
        &["baas::static_site::api@5:33"],
    );
}

#[test]
fn site_api_with_an_empty_list_is_an_error() {
    check(
        &backend("  web: {type: static-site, api: {components: []}}\n  users: {type: crud-api, entity: User}\n"),
        &["baas::static_site::api@5:33"],
    );
}

#[test]
fn site_api_is_refused_for_several_account_tenants() {
    let source = "name: shop\nenvironment: prod\nlocation: eastus\n\
                  tenancy: {isolation: account, tenants: [{id: acme}, {id: beta}]}\n\
                  functions: {plan: EP1}\ncomponents:\n  \
                  web: {type: static-site, custom_domain: www.example.com, dns_zone: example.com, api: true}\n  \
                  users: {type: crud-api, entity: User}\n";
    check(source, &["baas::static_site::api@7:88"]);
}

#[test]
fn site_api_rate_limit_needs_the_waf_and_a_range() {
    check(
        &backend("  web: {type: static-site, api: {rate_limit: 100}}\n  users: {type: crud-api, entity: User}\n"),
        &["baas::static_site::api@5:46"],
    );
    check(
        &backend("  web: {type: static-site, api: {waf: true, rate_limit: 0}}\n  users: {type: crud-api, entity: User}\n"),
        &["baas::static_site::api@5:57"],
    );
}

/// Review findings, one test each: the primary location leads the regions wherever it is
/// listed (its stack creates the shared account and records it in the manifest); a `single`
/// deployment of several tenants still watches the static sites in its global stack.
#[test]
fn the_primary_location_leads_the_regions_wherever_it_is_listed() {
    let source = baas_model::SourceFile::new(
        "backend.yaml",
        "name: shop\nenvironment: prod\nlocation: westeurope\nfunctions: {plan: EP1}\n\
         deployment: {strategy: multi-region, regions: [northeurope, westeurope]}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    let synthesis = baas_synth::synthesize(&source, &Registry::builtin());
    let manifest: serde_json::Value =
        serde_json::from_str(&synthesis.files["baas.manifest.json"]).unwrap();
    assert!(manifest["cosmos_accounts"].is_object(), "{manifest}");
    assert_eq!(manifest["deploy_order"][0], "westeurope");
}

#[test]
fn static_sites_of_several_tenants_are_watched_in_the_global_stack() {
    let source = baas_model::SourceFile::new(
        "backend.yaml",
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: Y1}\n\
         tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}\n\
         components:\n  users: {type: crud-api, entity: User}\n  web: {type: static-site}\n",
    );
    let synthesis = baas_synth::synthesize(&source, &Registry::builtin());
    let global: serde_json::Value =
        serde_json::from_str(&synthesis.files["global/main.tf.json"]).unwrap();
    let settings = &global["resource"]["azurerm_monitor_diagnostic_setting"];
    assert!(settings["blob-web"].is_object(), "{global}");
    assert!(settings["frontdoor-web"].is_object(), "{global}");
}

/// `.` in a queue name becomes `-` in its address, so `a.b` and `a-b` would share one: the
/// report points at the queue provisioned second (`a.b`: queues are provisioned in name
/// order, and `-` sorts before `.`), and back at the other, not at the component both are in.
#[test]
fn two_queues_of_one_component_that_share_an_address_are_pointed_at() {
    check(
        &backend("  bus:\n    type: service-bus\n    queues: [a.b, a-b]\n"),
        &["baas::terraform::duplicate_address@7:14"],
    );
}

/// The same for two subscriptions of one topic.
#[test]
fn two_subscriptions_of_one_topic_that_share_an_address_are_pointed_at() {
    check(
        &backend(
            "  bus:\n    type: service-bus\n    topics:\n      - name: events\n        subscriptions: [x.y, x-y]\n",
        ),
        &["baas::terraform::duplicate_address@9:30"],
    );
}

/// `name: shop` in eastus on EP1 with one CRUD API, and `top` (top-level lines) from line 5.
fn landing_zone(top: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n{top}components:\n  \
         users: {{type: crud-api, entity: User}}\n"
    )
}

#[test]
fn an_existing_workspace_keeps_its_own_retention() {
    let workspace = "workspace: {name: \"log-platform-{{env}}\", resource_group: rg-monitoring}";
    check(
        &landing_zone(&format!("monitoring: {{{workspace}}}\n")),
        &[],
    );
    check(
        &landing_zone(&format!(
            "monitoring: {{retention_days: 30, {workspace}}}\n"
        )),
        &["baas::landing_zone::workspace@5:30"],
    );
    // Templates are checked like the resource group's, and Azure's naming rules apply.
    check(
        &landing_zone("monitoring: {workspace: {name: \"log-{{stak}}\", resource_group: rg}}\n"),
        &["baas::schema::invalid_value@5:32"],
    );
    check(
        &landing_zone("monitoring: {workspace: {name: log-, resource_group: rg}}\n"),
        &["baas::names::invalid@5:32"],
    );
    check(
        &landing_zone("monitoring: {workspace: {name: log-platform}}\n"),
        &["baas::schema::missing_key@5:26"],
    );
}

#[test]
fn an_existing_cosmos_account_keeps_its_own_settings() {
    let existing = "existing: {name: cosmos-shared, resource_group: rg-data}";
    check(&landing_zone(&format!("cosmos: {{{existing}}}\n")), &[]);
    check(
        &landing_zone(&format!("cosmos: {{serverless: true, {existing}}}\n"))
            .replace("User}", "User, cosmos: {consistency: Eventual}}"),
        &[
            "baas::landing_zone::cosmos_settings@5:22",
            "baas::landing_zone::cosmos_settings@7:63",
        ],
    );
    // Only the top level names the account: a CRUD API overrides settings of it.
    check(
        &landing_zone("").replace("User}", &format!("User, cosmos: {{{existing}}}}}")),
        &["baas::schema::unknown_key@6:50"],
    );
    check(
        &landing_zone(&format!(
            "cosmos: {{{existing}}}\ndeployment: {{strategy: multi-region, regions: [eastus, westus2], multi_write: true}}\n"
        )),
        &[
            "baas::deployment::no_custom_domain@6:13",
            "baas::landing_zone::cosmos_settings@6:79",
        ],
    );
}

#[test]
fn an_existing_cosmos_account_is_reached_through_private_endpoints_only() {
    let existing = "cosmos: {existing: {name: cosmos-shared, resource_group: rg-data}}\n";
    check(
        &landing_zone(&format!(
            "{existing}networking: {{mode: isolated, address_space: 10.0.0.0/16}}\n"
        )),
        &[],
    );
    check(
        &landing_zone(&format!(
            "{existing}networking: {{mode: isolated, address_space: 10.0.0.0/16, private_endpoints: false}}\n"
        )),
        &["baas::landing_zone::cosmos_service_endpoints@6:77"],
    );
}

#[test]
fn stacks_with_data_of_their_own_need_existing_accounts_of_their_own() {
    let account = |name: &str, deployment: &str| {
        landing_zone(&format!(
            "cosmos: {{existing: {{name: \"{name}\", resource_group: rg-data}}}}\ndeployment: {deployment}\n"
        ))
    };
    let regional = "{strategy: multi-region, regions: [eastus, westus2], data: regional}";
    check(
        &account("cosmos-shop", regional),
        &[
            "baas::landing_zone::cosmos_account@5:27",
            "baas::deployment::no_custom_domain@6:13",
            "baas::deployment::regional_data@6:72",
        ],
    );
    check(
        &account("cosmos-shop-{{stack}}", regional),
        &[
            "baas::deployment::no_custom_domain@6:13",
            "baas::deployment::regional_data@6:72",
        ],
    );
    // One geo-replicated account is shared by design: under `data: global` and DR.
    check(
        &account(
            "cosmos-shop",
            "{strategy: multi-region, regions: [eastus, westus2]}",
        ),
        &["baas::deployment::no_custom_domain@6:13"],
    );
    check(
        &account(
            "cosmos-shop-{{stack}}",
            "{strategy: disaster-recovery, secondary: westus2}",
        ),
        &["baas::deployment::no_custom_domain@6:13"],
    );
    // Each tenant's stacks hold the tenant's data: one account per tenant.
    let tenants = |name: &str| {
        landing_zone(&format!(
            "cosmos: {{existing: {{name: \"{name}\", resource_group: rg-data}}}}\n\
             tenancy: {{isolation: account, tenants: [{{id: acme}}, {{id: globex}}]}}\n"
        ))
    };
    check(
        &tenants("cosmos-shop"),
        &["baas::landing_zone::cosmos_account@5:27"],
    );
    check(&tenants("cosmos-shop-{{tenant}}"), &[]);
    check(
        &account("cosmos-shop", "{strategy: blue-green, active: blue}"),
        &[
            "baas::landing_zone::cosmos_account@5:27",
            "baas::deployment::no_custom_domain@6:13",
            "baas::deployment::stateful_colors@6:13",
        ],
    );
}

/// A backend with a CRUD API (node) and a python worker on `S1` (a plan of its own), this
/// `networking` block (a flow mapping, line 5) and these `deployment` lines (from line 6).
fn network_landing_zone(networking: &str, deployment: &str) -> String {
    format!(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
         networking: {networking}\n{deployment}components:\n  \
         users: {{type: crud-api, entity: User}}\n  \
         worker: {{type: function-app, runtime: python, plan: S1, functions: {{tick: {{trigger: timer, schedule: '0 */5 * * * *'}}}}}}\n"
    )
}

const SUBNETS: &str = "{private-endpoints: snet-pe, functions-node: \"snet-node-{{stack}}\", functions-python: \"snet-python-{{stack}}\"}";

fn existing(vnet: &str, subnets: &str, extra: &str) -> String {
    format!("{{mode: isolated, existing: {{virtual_network: {{name: \"{vnet}\", resource_group: rg-network}}, subnets: {subnets}}}{extra}}}")
}

#[test]
fn an_existing_network_names_a_subnet_for_every_role_the_backend_uses() {
    check(
        &network_landing_zone(&existing("vnet-spoke", SUBNETS, ""), ""),
        &[],
    );
    // The python worker's plan has no subnet; an unknown role gets a did-you-mean.
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                "{private-endpoint: snet-pe, functions-node: snet-node}",
                "",
            ),
            "",
        ),
        &[
            "baas::landing_zone::subnet_missing@5:117",
            "baas::landing_zone::subnet_missing@5:117",
            "baas::schema::unknown_key@5:118",
        ],
    );
}

#[test]
fn an_existing_network_is_no_address_space_to_carve() {
    check(
        &network_landing_zone(
            &existing("vnet-spoke", SUBNETS, ", address_space: 10.0.0.0/16"),
            "",
        ),
        &["baas::landing_zone::address_space@5:230"],
    );
}

#[test]
fn landing_zone_networking_needs_isolated_mode() {
    let public = existing(
        "vnet-spoke",
        SUBNETS,
        ", private_dns: {resource_group: rg-hub-dns}",
    )
    .replace("mode: isolated", "mode: public");
    check(
        &network_landing_zone(&public, ""),
        &[
            "baas::network::unused_setting@5:28",
            "baas::network::unused_setting@5:228",
        ],
    );
    // Service endpoints use no DNS zones, and no private-endpoints subnet.
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                SUBNETS,
                ", private_endpoints: false, private_dns: {resource_group: rg-hub-dns}",
            ),
            "",
        ),
        &[
            "baas::network::unused_setting@5:137",
            "baas::network::unused_setting@5:256",
        ],
    );
}

#[test]
fn regions_each_need_an_existing_network_of_their_own() {
    let regions = "deployment: {strategy: multi-region, regions: [eastus, westus2], data: regional, custom_domain: api.example.com, dns_zone: example.com}\n";
    let dns = ", private_dns: {resource_group: rg-hub-dns}";
    check(
        &network_landing_zone(&existing("vnet-spoke", SUBNETS, dns), regions),
        &[
            "baas::landing_zone::network@5:65",
            "baas::deployment::regional_data@6:72",
        ],
    );
    check(
        &network_landing_zone(&existing("vnet-spoke-{{region}}", SUBNETS, dns), regions),
        &["baas::deployment::regional_data@6:72"],
    );
}

#[test]
fn stacks_that_share_an_existing_network_share_central_dns_and_no_integration_subnet() {
    let colors = "deployment: {strategy: blue-green, active: blue, custom_domain: api.example.com, dns_zone: example.com}\n";
    let stateful = "baas::deployment::stateful_colors@6:13";
    // Blue and green in one region may share a spoke, with the hub's zones.
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                SUBNETS,
                ", private_dns: {resource_group: rg-hub-dns}",
            ),
            colors,
        ),
        &[stateful],
    );
    // Zones of each stack's own cannot both be linked to it.
    check(
        &network_landing_zone(&existing("vnet-spoke", SUBNETS, ""), colors),
        &["baas::landing_zone::network@5:65", stateful],
    );
    // Both colors' node plans would join one subnet.
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                "{private-endpoints: snet-pe, functions-node: snet-node, functions-python: \"snet-python-{{stack}}\"}",
                ", private_dns: {resource_group: rg-hub-dns}",
            ),
            colors,
        ),
        &["baas::landing_zone::subnet@5:162", stateful],
    );
    // In one stack, two plans on one subnet, and a plan beside the private endpoints.
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                "{private-endpoints: snet-pe, functions-node: snet-pe, functions-python: snet-pe}",
                "",
            ),
            "",
        ),
        &["baas::landing_zone::subnet@5:162"],
    );
}

#[test]
fn existing_network_names_are_checked_as_azure_names() {
    check(
        &network_landing_zone(&existing("vnet-{{stak}}", SUBNETS, ""), ""),
        &["baas::schema::invalid_value@5:65"],
    );
    // A virtual network name cannot end with a hyphen.
    check(
        &network_landing_zone(&existing("vnet-", SUBNETS, ""), ""),
        &["baas::names::invalid@5:65"],
    );
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                SUBNETS,
                ", private_dns: {resource_group: rg-hub-dns, subscription_id: not-a-guid}",
            ),
            "",
        ),
        &["baas::schema::invalid_value@5:289"],
    );
}

#[test]
fn tenants_with_a_backend_each_need_integration_subnets_of_their_own() {
    let tenants = "tenancy: {isolation: account, tenants: [{id: acme}, {id: globex}]}\n";
    let dns = ", private_dns: {resource_group: rg-hub-dns}";
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                "{private-endpoints: snet-pe, functions-node: \"snet-node-{{tenant}}\", functions-python: \"snet-python-{{tenant}}\"}",
                dns,
            ),
            tenants,
        ),
        &[],
    );
    check(
        &network_landing_zone(
            &existing(
                "vnet-spoke",
                "{private-endpoints: snet-pe, functions-node: snet-node, functions-python: \"snet-python-{{tenant}}\"}",
                dns,
            ),
            tenants,
        ),
        &["baas::landing_zone::subnet@5:162"],
    );
}

// ----- renamed_from (baas_model::rename) ---------------------------------------------------

#[test]
fn a_rename_from_a_key_that_still_exists_is_an_error() {
    check(
        &backend(
            "  web: {type: static-site}\n  \
             site: {type: static-site, renamed_from: web}\n",
        ),
        &["baas::rename::still_exists@6:43"],
    );
}

#[test]
fn a_rename_from_a_component_of_another_type_is_an_error() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User}\n  \
             site: {type: static-site, renamed_from: users}\n",
        ),
        &["baas::rename::across_kinds@6:43"],
    );
}

#[test]
fn a_rename_where_nothing_derives_from_the_key_is_an_error() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User, container: people, renamed_from: members}\n  \
             worker: {type: function-app, runtime: python, renamed_from: jobs, functions: {tick: {trigger: timer, schedule: \"0 0 * * * *\"}}}\n  \
             self: {type: static-site, renamed_from: self}\n",
        ),
        &[
            "baas::rename::nothing@5:74",
            "baas::rename::nothing@6:63",
            "baas::rename::nothing@7:43",
        ],
    );
}

#[test]
fn two_components_renamed_from_one_key_is_an_error() {
    check(
        &backend(
            "  site: {type: static-site, renamed_from: web}\n  \
             www: {type: static-site, renamed_from: web}\n",
        ),
        &["baas::rename::claimed_twice@6:42"],
    );
}

#[test]
fn a_renamed_from_that_is_no_component_key_is_an_error() {
    check(
        &backend("  site: {type: static-site, renamed_from: Web_1}\n"),
        &["baas::schema::invalid_value@5:43"],
    );
}

#[test]
fn a_renamed_static_site_and_crud_api_are_no_error() {
    check(
        &backend(
            "  site: {type: static-site, renamed_from: web}\n  \
             members: {type: crud-api, entity: Member, renamed_from: users}\n",
        ),
        &[],
    );
}

/// An unknown plan is reported where it is written, by the reader: also on a component whose
/// app another component (here the CRUD API, on the default plan) shares, where "highest
/// wins" used to keep the known plan and drop the unknown one unreported.
#[test]
fn an_unknown_plan_on_a_shared_app_is_reported_where_it_is_written() {
    check(
        &backend(
            "  users: {type: crud-api, entity: User}\n  \
             hooks: {type: function-app, runtime: node, plan: EP9, functions: {ping: {trigger: http}}}\n",
        ),
        &["baas::functions::plan@6:52"],
    );
}

/// An unknown plan is reported once, where it is written: nothing is checked against the
/// default (`Y1`) put in its place — not the virtual network (Consumption cannot join one),
/// not the runtime version (.NET 10 is not offered on Consumption).
#[test]
fn an_unknown_plan_causes_no_errors_about_the_default_in_its_place() {
    check(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP9}\n\
         networking: {mode: isolated, address_space: 10.0.0.0/16}\ncomponents:\n  \
         worker: {type: function-app, runtime: dotnet-isolated, version: '10.0', functions: {tick: {trigger: timer, schedule: '0 */5 * * * *'}}}\n",
        &["baas::functions::plan@4:19"],
    );
}

/// A landing-zone subnet role that nothing joins is read for nothing: a warning at its name.
#[test]
fn a_landing_zone_subnet_nothing_joins_is_a_warning() {
    let subnets = format!(
        "{}, functions-java: snet-java}}",
        &SUBNETS[..SUBNETS.len() - 1]
    );
    let yaml = network_landing_zone(
        &existing(
            "vnet-spoke",
            &subnets,
            ", private_dns: {resource_group: rg-hub-dns}",
        ),
        "",
    );
    let line = yaml.lines().nth(4).unwrap();
    let column = line.find("snet-java").unwrap() + 1;
    check(
        &yaml,
        &[&format!("baas::network::unused_setting@5:{column}")],
    );
}

/// Without a custom domain Traffic Manager's host name reaches no app; when a static site
/// routes `/api`, the warning says the apps already have one host name there.
#[test]
fn the_traffic_manager_warning_points_at_a_sites_api_route() {
    let yaml = |api: &str| {
        format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n\
             deployment: {{strategy: multi-region, regions: [eastus, westus2]}}\ncomponents:\n  \
             users: {{type: crud-api, entity: User}}\n  web: {{type: static-site{api}}}\n"
        )
    };
    let help = |yaml: &str| {
        let synthesis =
            baas_synth::synthesize(&SourceFile::new("backend.yaml", yaml), &Registry::builtin());
        synthesis
            .diagnostics
            .iter()
            .find(|d| d.code.id == "baas::deployment::no_custom_domain")
            .and_then(|d| d.help.clone())
            .expect("the warning")
    };
    assert!(
        help(&yaml(", api: true")).contains("`static_site_web_api_url`"),
        "{}",
        help(&yaml(", api: true"))
    );
    assert!(help(&yaml("")).contains("function_app_<app>_hostname"));
}
