//! The corpus of bad inputs in `tests/fixtures/bad`: one file per rule, named after it.
//!
//! For each one, `baas validate` exits 1 with exactly the codes listed here and the rendered
//! report is a snapshot; `baas synth` exits 1 with the same report, creates no output folder,
//! and leaves a previous output byte-for-byte as it was.

use crate::support::{baas_in, bad_fixtures_dir, Workspace};
use serde_json::Value;
use std::collections::BTreeSet;

/// A valid backend, synthesized first so that a failing synth has something to destroy.
const GOOD: &str = "name: shop\nenvironment: prod\nlocation: eastus\ncomponents:\n  users: {type: crud-api, entity: User}\n";

/// Fixtures whose only diagnostic has no place in the file to point at.
const UNLOCATED: &[&str] = &["empty.yaml", "comments-only.yaml"];

macro_rules! bad_fixtures {
    ($($test:ident => ($file:literal, [$($code:literal),+ $(,)?]),)*) => {
        $(
            #[test]
            fn $test() {
                check_fixture($file, &[$($code),+]);
            }
        )*
        /// Every fixture with the codes its report must hold (and no others).
        const FIXTURES: &[(&str, &[&str])] = &[$(($file, &[$($code),+])),*];
    };
}

bad_fixtures! {
    rename_still_exists => ("rename-still-exists.yaml", ["baas::rename::still_exists"]),
    rename_across_kinds => ("rename-across-kinds.yaml", ["baas::rename::across_kinds"]),
    rename_nothing => ("rename-nothing.yaml", ["baas::rename::nothing"]),
    rename_claimed_twice => ("rename-claimed-twice.yaml", ["baas::rename::claimed_twice"]),
    deployment_duplicate_domain => ("deployment-duplicate-domain.yaml", ["baas::deployment::duplicate"]),
    deployment_custom_domain_apex => ("deployment-custom-domain-apex.yaml", ["baas::deployment::custom_domain", "baas::deployment::stateful_colors"]),
    tenancy_partition_key => ("tenancy-partition-key.yaml", ["baas::tenancy::invalid"]),
    tenancy_duplicate_tenant => ("tenancy-duplicate-tenant.yaml", ["baas::tenancy::invalid"]),
    tenancy_bad_id => ("tenancy-bad-id.yaml", ["baas::tenancy::invalid"]),
    deployment_unknown_strategy => ("deployment-unknown-strategy.yaml", ["baas::schema::invalid_value"]),
    deployment_foreign_setting => ("deployment-foreign-setting.yaml", ["baas::deployment::invalid", "baas::deployment::no_custom_domain"]),
    deployment_too_few_regions => ("deployment-too-few-regions.yaml", ["baas::deployment::invalid"]),
    deployment_secondary_is_primary => ("deployment-secondary-is-primary.yaml", ["baas::deployment::invalid"]),
    deployment_zero_weights => ("deployment-zero-weights.yaml", ["baas::deployment::invalid"]),
    deployment_active_contradicts_weights => ("deployment-active-contradicts-weights.yaml", ["baas::deployment::invalid"]),
    deployment_probe_interval => ("deployment-probe-interval.yaml", ["baas::deployment::invalid", "baas::deployment::no_custom_domain", "baas::deployment::stateful_colors"]),
    deployment_serverless_dr => ("deployment-serverless-dr.yaml", ["baas::deployment::no_custom_domain", "baas::deployment::serverless_dr"]),
    deployment_probe_path_unserved => ("deployment-probe-path-unserved.yaml", ["baas::deployment::no_custom_domain", "baas::deployment::probe_path"]),
    function_takes_health_route => ("function-takes-health-route.yaml", ["baas::functions::health_reserved"]),
    state_key_without_stack => ("state-key-without-stack.yaml", ["baas::state::invalid"]),
    state_bad_storage_account => ("state-bad-storage-account.yaml", ["baas::state::invalid"]),
    environments_overlay_not_a_mapping => ("environments-overlay-not-a-mapping.yaml", ["baas::environments::unknown"]),
    all_components_disabled => ("all-components-disabled.yaml", ["baas::model::no_components"]),
    bad_auth_level => ("bad-auth-level.yaml", ["baas::schema::invalid_value"]),
    bad_component_key => ("bad-component-key.yaml", ["baas::model::component_key"]),
    bad_database_name => ("bad-database-name.yaml", ["baas::schema::invalid_value"]),
    bad_entity => ("bad-entity.yaml", ["baas::schema::invalid_value"]),
    bad_environment => ("bad-environment.yaml", ["baas::model::environment"]),
    bad_function_name => ("bad-function-name.yaml", ["baas::schema::invalid_value"]),
    bad_http_method => ("bad-http-method.yaml", ["baas::schema::invalid_value"]),
    bad_name_pattern => ("bad-name-pattern.yaml", ["baas::model::name"]),
    bad_partition_key_path => ("bad-partition-key-path.yaml", ["baas::model::partition_key"]),
    bad_plural => ("bad-plural.yaml", ["baas::model::route"]),
    bad_route => ("bad-route.yaml", ["baas::model::route"]),
    bad_tag_name => ("bad-tag-name.yaml", ["baas::schema::invalid_value"]),
    binary => ("binary.bin", ["baas::parse::encoding"]),
    comments_only => ("comments-only.yaml", ["baas::parse::empty"]),
    cron_out_of_range => ("cron-out-of-range.yaml", ["baas::model::schedule"]),
    duplicate_component => ("duplicate-component.yaml", ["baas::schema::duplicate_key"]),
    duplicate_key => ("duplicate-key.yaml", ["baas::schema::duplicate_key"]),
    duplicate_operation => ("duplicate-operation.yaml", ["baas::schema::duplicate_key"]),
    empty_functions => ("empty-functions.yaml", ["baas::schema::invalid_value"]),
    empty => ("empty.yaml", ["baas::parse::empty"]),
    five_field_cron => ("five-field-cron.yaml", ["baas::model::schedule"]),
    flex_consumption => ("flex-consumption.yaml", ["baas::functions::flex_consumption"]),
    consumption_unsupported_runtime_version => ("consumption-unsupported-runtime-version.yaml", ["baas::functions::runtime_version"]),
    runtime_end_of_support => ("runtime-end-of-support.yaml", ["baas::functions::end_of_support", "baas::schema::invalid_value"]),
    invalid_utf8 => ("invalid-utf8.yaml", ["baas::parse::encoding"]),
    many_errors => ("many-errors.yaml", ["baas::model::name", "baas::model::partition_key", "baas::model::schedule", "baas::schema::invalid_value"]),
    monitoring_bad_alerts => ("monitoring-bad-alerts.yaml", ["baas::monitoring::alerts", "baas::monitoring::alerts", "baas::monitoring::alerts", "baas::schema::invalid_value"]),
    missing_component_type => ("missing-component-type.yaml", ["baas::schema::missing_key"]),
    missing_components => ("missing-components.yaml", ["baas::schema::missing_key"]),
    missing_name => ("missing-name.yaml", ["baas::schema::missing_key"]),
    missing_runtime => ("missing-runtime.yaml", ["baas::schema::missing_key"]),
    multiple_documents => ("multiple-documents.yaml", ["baas::parse::syntax"]),
    // Only the name errors: the Terraform that would use those names is never generated, so
    // there is nothing for the schema check (`baas::terraform::schema`) to report.
    name_cannot_fit => ("name-cannot-fit.yaml", ["baas::names::invalid"]),
    naming_template_syntax => ("naming-template-syntax.yaml", ["baas::names::config"]),
    naming_template_unknown_variable => ("naming-template-unknown-variable.yaml", ["baas::names::config"]),
    naming_unknown_abbreviation => ("naming-unknown-abbreviation.yaml", ["baas::names::config"]),
    no_components => ("no-components.yaml", ["baas::model::no_components"]),
    non_ascii_before_error => ("non-ascii-before-error.yaml", ["baas::schema::invalid_value"]),
    not_a_mapping => ("not-a-mapping.yaml", ["baas::schema::type"]),
    network_address_space_missing => ("network-address-space-missing.yaml", ["baas::network::address_space_missing"]),
    network_address_space_too_small => ("network-address-space-too-small.yaml", ["baas::network::address_space_too_small"]),
    network_bad_cidr => ("network-bad-cidr.yaml", ["baas::network::cidr"]),
    network_consumption_plan => ("network-consumption-plan.yaml", ["baas::network::plan", "baas::network::plan", "baas::functions::consumption_default"]),
    network_public_access => ("network-public-access.yaml", ["baas::network::public_access"]),
    network_public_mode_settings => ("network-public-mode-settings.yaml", ["baas::network::cidr", "baas::network::unused_setting"]),
    network_public_range => ("network-public-range.yaml", ["baas::network::private_range"]),
    network_servicebus_standard => ("network-servicebus-standard.yaml", ["baas::network::servicebus_sku"]),
    custom_unserved => ("custom-unserved.yaml", ["baas::registry::unserved"]),
    custom_built_in_type => ("custom-built-in-type.yaml", ["baas::schema::invalid_value"]),
    template_file_missing => ("template-file-missing.yaml", ["baas::template::file"]),
    template_path_outside => ("template-path-outside.yaml", ["baas::schema::invalid_value"]),
    servicebus_basic_with_topics => ("servicebus-basic-with-topics.yaml", ["baas::servicebus::basic_topics"]),
    servicebus_queue_topic_name_clash => ("servicebus-queue-topic-name-clash.yaml", ["baas::servicebus::name_clash"]),
    servicebus_bad_entity_name => ("servicebus-bad-entity-name.yaml", ["baas::servicebus::entity_name", "baas::servicebus::entity_name"]),
    servicebus_entity_settings_conflict => ("servicebus-entity-settings-conflict.yaml", ["baas::servicebus::entity_settings"]),
    servicebus_invalid_values => ("servicebus-invalid-values.yaml", ["baas::servicebus::value", "baas::servicebus::value", "baas::servicebus::value", "baas::servicebus::value", "baas::servicebus::value"]),
    servicebus_sends_to_unknown => ("servicebus-sends-to-unknown.yaml", ["baas::servicebus::unknown_entity"]),
    servicebus_namespace_limit => ("servicebus-namespace-limit.yaml", ["baas::limits::exceeded"]),
    servicebus_topic_trigger_missing_subscription => ("servicebus-topic-trigger-missing-subscription.yaml", ["baas::schema::missing_key"]),
    auth_bad_ids => ("auth-bad-ids.yaml", ["baas::model::auth_id", "baas::model::auth_id"]),
    auth_conflict => ("auth-conflict.yaml", ["baas::merge::auth"]),
    app_bad_cors => ("app-bad-cors.yaml", ["baas::model::cors_origin", "baas::model::cors_origin", "baas::model::cors_origin", "baas::model::cors_origin", "baas::model::cors_origin"]),
    app_cors_credentials => ("app-cors-credentials.yaml", ["baas::functions::cors_credentials"]),
    static_site_bad_cors => ("static-site-bad-cors.yaml", ["baas::static_site::cors_origin", "baas::static_site::cors_origin", "baas::static_site::cors_origin", "baas::static_site::cors_origin"]),
    static_site_bad_dns_zone_resource_group => ("static-site-bad-dns-zone-resource-group.yaml", ["baas::static_site::dns_zone_resource_group"]),
    static_site_bad_documents => ("static-site-bad-documents.yaml", ["baas::static_site::document", "baas::static_site::document"]),
    static_site_bad_domain_name => ("static-site-bad-domain-name.yaml", ["baas::static_site::domain_name", "baas::static_site::domain_name"]),
    static_site_cache_max_age_out_of_range => ("static-site-cache-max-age-out-of-range.yaml", ["baas::static_site::cache_max_age"]),
    static_site_compression_without_cache => ("static-site-compression-without-cache.yaml", ["baas::static_site::compression_without_cache"]),
    static_site_domain_outside_zone => ("static-site-domain-outside-zone.yaml", ["baas::static_site::domain_outside_zone"]),
    static_site_domain_taken => ("static-site-domain-taken.yaml", ["baas::static_site::domain_taken"]),
    static_site_domain_without_zone => ("static-site-domain-without-zone.yaml", ["baas::static_site::domain_zone"]),
    static_site_storage_limit => ("static-site-storage-limit.yaml", ["baas::limits::exceeded"]),
    static_site_unknown_key => ("static-site-unknown-key.yaml", ["baas::schema::unknown_key"]),
    static_site_wrong_types => ("static-site-wrong-types.yaml", ["baas::schema::type", "baas::schema::type"]),
    partition_key_not_in_schema => ("partition-key-not-in-schema.yaml", ["baas::model::partition_key"]),
    region_display_name => ("region-display-name.yaml", ["baas::model::location"]),
    retention_out_of_range => ("retention-out-of-range.yaml", ["baas::schema::invalid_value"]),
    route_api_prefix => ("route-api-prefix.yaml", ["baas::model::route"]),
    route_unbalanced_braces => ("route-unbalanced-braces.yaml", ["baas::model::route"]),
    sampling_out_of_range => ("sampling-out-of-range.yaml", ["baas::schema::invalid_value"]),
    tab_indentation => ("tab-indentation.yaml", ["baas::parse::syntax"]),
    timer_missing_schedule => ("timer-missing-schedule.yaml", ["baas::schema::missing_key"]),
    unclosed_quote => ("unclosed-quote.yaml", ["baas::parse::syntax"]),
    unknown_component_key => ("unknown-component-key.yaml", ["baas::schema::unknown_key"]),
    unknown_component_type => ("unknown-component-type.yaml", ["baas::schema::invalid_value"]),
    unknown_consistency => ("unknown-consistency.yaml", ["baas::schema::invalid_value"]),
    unknown_field_type => ("unknown-field-type.yaml", ["baas::schema::invalid_value"]),
    unknown_operation => ("unknown-operation.yaml", ["baas::schema::invalid_value"]),
    unknown_plan => ("unknown-plan.yaml", ["baas::functions::plan"]),
    unknown_region => ("unknown-region.yaml", ["baas::model::location"]),
    unknown_runtime => ("unknown-runtime.yaml", ["baas::schema::invalid_value"]),
    unknown_top_level_key => ("unknown-top-level-key.yaml", ["baas::schema::unknown_key"]),
    unknown_trigger => ("unknown-trigger.yaml", ["baas::schema::invalid_value"]),
    unsupported_runtime_version => ("unsupported-runtime-version.yaml", ["baas::functions::runtime_version"]),
    wrong_type_component => ("wrong-type-component.yaml", ["baas::schema::type"]),
    wrong_type_components_list => ("wrong-type-components-list.yaml", ["baas::schema::type"]),
    wrong_type_limit => ("wrong-type-limit.yaml", ["baas::schema::type"]),
}

fn stem(file: &str) -> &str {
    file.rsplit_once('.').map_or(file, |(stem, _)| stem)
}

fn sorted_unique(codes: Vec<String>) -> Vec<String> {
    codes
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

fn check_fixture(file: &str, expected: &[&str]) {
    let fixtures = bad_fixtures_dir();

    // $ baas validate FIXTURE   (from the fixtures folder, so the report names it relatively)
    let validate = baas_in(&fixtures, &["validate", file]);
    validate.expect_exit(1);
    insta::with_settings!({
        description => format!("baas validate {file}"),
        omit_expression => true,
    }, {
        insta::assert_snapshot!(stem(file), validate.stderr);
    });

    assert_eq!(
        sorted_unique(validate.codes()),
        sorted_unique(expected.iter().map(|c| (*c).to_owned()).collect()),
        "{file}: unexpected diagnostic codes\n{}",
        validate.stderr
    );

    // $ baas synth FIXTURE -o TMP/out   -> nothing is written, not even a staging folder
    let workspace = Workspace::new();
    let out = workspace.join("out");
    let synth = baas_in(&fixtures, &["synth", file, "-o", out.to_str().unwrap()]);
    synth.expect_exit(1);
    assert_eq!(
        synth.stderr, validate.stderr,
        "{file}: synth and validate must report the same diagnostics"
    );
    assert!(!out.exists(), "{file}: synth created `out` despite errors");
    assert!(
        workspace.entries().is_empty(),
        "{file}: synth left {:?} behind",
        workspace.entries()
    );

    // A previous good output in TMP/out survives a failing synth and a failing --check.
    workspace.write("backend.yaml", GOOD);
    workspace.synth_ok("out");
    let before = workspace.tree("out");
    assert!(!before.is_empty());
    baas_in(&fixtures, &["synth", file, "-o", out.to_str().unwrap()]).expect_exit(1);
    baas_in(
        &fixtures,
        &["synth", file, "-o", out.to_str().unwrap(), "--check"],
    )
    .expect_exit(1);
    assert!(
        workspace.tree("out") == before,
        "{file}: a failing synth changed the previous output"
    );
    assert_eq!(
        workspace.entries(),
        ["backend.yaml", "out"],
        "{file}: a failing synth left files beside the output"
    );
}

#[test]
fn every_fixture_file_has_a_test() {
    let on_disk: BTreeSet<String> = std::fs::read_dir(bad_fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let listed: BTreeSet<String> = FIXTURES.iter().map(|(f, _)| (*f).to_owned()).collect();
    assert_eq!(
        on_disk, listed,
        "add every file in tests/fixtures/bad to `bad_fixtures!` (and remove tests of deleted ones)"
    );
}

/// Every diagnostic carries the file, line and column of the offending key. The
/// human report shows them in miette's header (`╭─[file:line:col]`), and they must be the same
/// line and column that `--format json` reports.
#[test]
fn every_located_diagnostic_shows_file_line_and_column() {
    let fixtures = bad_fixtures_dir();
    let mut problems = Vec::new();
    for (file, _) in FIXTURES {
        let human = baas_in(&fixtures, &["validate", file]);
        let json = baas_in(&fixtures, &["validate", "--format", "json", file]);
        json.expect_exit(1);
        let report: Value = serde_json::from_str(&json.stdout)
            .unwrap_or_else(|e| panic!("{file}: --format json printed no JSON: {e}"));
        let diagnostics = report["diagnostics"].as_array().unwrap();
        let json_codes: Vec<String> = diagnostics
            .iter()
            .map(|d| d["code"].as_str().unwrap().to_owned())
            .collect();
        if json_codes != human.codes() {
            problems.push(format!(
                "{file}: JSON reports {json_codes:?}, the human report {:?}",
                human.codes()
            ));
        }
        for d in diagnostics {
            let code = d["code"].as_str().unwrap();
            if d["file"] != *file {
                problems.push(format!("{file}: `{code}` names the file {}", d["file"]));
            }
            match (d["line"].as_u64(), d["column"].as_u64()) {
                (Some(line), Some(column)) => {
                    let header = format!("╭─[{file}:{line}:{column}]");
                    if !human.stderr.contains(&header) {
                        problems.push(format!(
                            "{file}: `{code}` is at {line}:{column} in JSON, but the human report has no `{header}`:\n{}",
                            human.stderr
                        ));
                    }
                }
                _ if UNLOCATED.contains(file) => {}
                _ => problems.push(format!("{file}: `{code}` has no line and column")),
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `baas explain` knows every code the corpus produces.
#[test]
fn every_code_in_the_corpus_can_be_explained() {
    let fixtures = bad_fixtures_dir();
    let codes: BTreeSet<String> = FIXTURES
        .iter()
        .flat_map(|(file, _)| baas_in(&fixtures, &["validate", file]).codes())
        .collect();
    for code in codes {
        let explain = baas_in(&fixtures, &["explain", &code]);
        explain.expect_exit(0);
        assert!(
            explain.stdout.starts_with(&format!("{code}: ")),
            "explain {code} printed:\n{}",
            explain.stdout
        );
    }
}
