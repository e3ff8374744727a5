//! Custom components and template providers (`providers`): the template renders the Terraform
//! resource of one merged requirement; template problems point into the template file.

use crate::support::{resource, Workspace};

const BACKEND: &str = "name: shop
environment: prod
location: eastus
providers:
  redis: {template: providers/redis.hbs}
components:
  a:
    type: custom
    requires: [{type: redis, key: shared, config: {sku: Standard, capacity: 1}}]
  b:
    type: custom
    requires: [{type: redis, key: shared, config: {policy: allkeys-lru}}]
";

const TEMPLATE: &str = r#"{
  "azurerm_redis_cache": {
    "{{key}}": {
      "name": "{{name}}-{{unique_suffix}}",
      "location": "{{location}}",
      "resource_group_name": "{{resource_group_name}}",
      "sku_name": {{json config.sku}},
      "family": "C",
      "capacity": {{json config.capacity}},
      "minimum_tls_version": "1.2",
      "redis_configuration": {"maxmemory_policy": {{json config.policy}}}
    }
  }
}
"#;

fn workspace(backend: &str, template: &str) -> Workspace {
    let workspace = Workspace::with_backend(backend);
    workspace.write("providers/redis.hbs", template);
    workspace
}

#[test]
fn requirements_with_one_key_deep_merge_into_one_rendered_resource() {
    let workspace = workspace(BACKEND, TEMPLATE);
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    let cache = resource(&stack, "azurerm_redis_cache", "shared");
    assert_eq!(cache["sku_name"], "Standard");
    assert_eq!(cache["capacity"], 1);
    assert_eq!(
        cache["redis_configuration"]["maxmemory_policy"],
        "allkeys-lru"
    );
    assert_eq!(
        cache["resource_group_name"],
        "${azurerm_resource_group.main.name}"
    );
    // Tags come from synth, as on every taggable resource.
    assert_eq!(cache["tags"]["managed-by"], "baas");
}

#[test]
fn conflicting_config_values_are_an_error_at_both_declarations() {
    let backend = BACKEND.replace("config: {policy: allkeys-lru}", "config: {sku: Premium}");
    let workspace = workspace(&backend, TEMPLATE);
    let outcome = workspace.baas(&["validate", "backend.yaml"]);
    outcome
        .expect_exit(1)
        .expect_code("baas::merge::custom_config");
    insta::assert_snapshot!(outcome.block("baas::merge::custom_config"));
}

#[test]
fn a_template_syntax_error_points_into_the_template() {
    let workspace = workspace(BACKEND, "{\n  \"azurerm_redis_cache\": {{#if key}\n}\n");
    let outcome = workspace.baas(&["validate", "backend.yaml"]);
    outcome.expect_exit(1).expect_code("baas::template::render");
    assert_eq!(
        outcome.codes(),
        ["baas::template::render"],
        "no follow-up noise"
    );
    insta::assert_snapshot!(outcome.block("baas::template::render"));
}

#[test]
fn an_unknown_template_variable_points_at_its_line() {
    let workspace = workspace(BACKEND, &TEMPLATE.replace("{{location}}", "{{locaton}}"));
    let outcome = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    outcome.expect_exit(1);
    let diagnostics = outcome.json_diagnostics();
    let error = diagnostics
        .iter()
        .find(|d| d["code"] == "baas::template::render")
        .unwrap();
    assert_eq!(error["file"], "providers/redis.hbs");
    assert_eq!(error["line"], 5);
}

#[test]
fn rendered_output_that_is_not_json_is_an_error() {
    let workspace = workspace(
        BACKEND,
        &TEMPLATE.replace("{{json config.sku}}", "{{config.sku}}"),
    );
    workspace
        .baas(&["validate", "backend.yaml"])
        .expect_exit(1)
        .expect_code("baas::template::render");
}

#[test]
fn rendered_resources_go_through_the_schema_check() {
    let workspace = workspace(BACKEND, &TEMPLATE.replace("\"family\"", "\"familly\""));
    let outcome = workspace.baas(&["validate", "backend.yaml"]);
    outcome
        .expect_exit(1)
        .expect_code("baas::terraform::schema");
    assert!(outcome.stderr.contains("familly"), "{}", outcome.stderr);
    // The template's output is at fault, not baas: the problems are reported in the template,
    // the unknown attribute where it is written (line 8, column 7: `"familly"`).
    assert!(
        outcome.stderr.contains("fix the template's output")
            && !outcome.stderr.contains("is a bug"),
        "{}",
        outcome.stderr
    );
    let json = workspace.baas(&["validate", "--format", "json", "backend.yaml"]);
    let schema: Vec<_> = json
        .json_diagnostics()
        .into_iter()
        .filter(|d| d["code"] == "baas::terraform::schema")
        .collect();
    assert!(!schema.is_empty(), "{}", json.stdout);
    for diagnostic in &schema {
        assert_eq!(diagnostic["file"], "providers/redis.hbs", "{diagnostic}");
        assert!(
            diagnostic["message"]
                .as_str()
                .unwrap()
                .contains("component `a`"),
            "{diagnostic}"
        );
    }
    let unknown = schema
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("familly"))
        .expect("the misspelt attribute is reported");
    assert_eq!(
        (unknown["line"].as_u64(), unknown["column"].as_u64()),
        (Some(8), Some(7)),
        "{unknown}"
    );
}

/// A problem in an attribute the template does not write (a required one left out) is
/// reported at the block's type in the template, the deepest place that holds it.
#[test]
fn a_missing_attribute_is_reported_at_the_templates_resource_type() {
    let workspace = workspace(BACKEND, &TEMPLATE.replace("      \"family\": \"C\",\n", ""));
    let json = workspace.baas(&["validate", "--format", "json", "backend.yaml"]);
    json.expect_exit(1);
    let schema: Vec<_> = json
        .json_diagnostics()
        .into_iter()
        .filter(|d| d["code"] == "baas::terraform::schema")
        .collect();
    assert!(!schema.is_empty(), "{}", json.stdout);
    for diagnostic in schema {
        assert!(
            diagnostic["message"].as_str().unwrap().contains("family"),
            "{diagnostic}"
        );
        assert_eq!(diagnostic["file"], "providers/redis.hbs", "{diagnostic}");
        assert_eq!(
            (diagnostic["line"].as_u64(), diagnostic["column"].as_u64()),
            (Some(2), Some(3)),
            "{diagnostic}"
        );
    }
}

/// A resource body that is not an object is an error at the template, in synth, validate and
/// graph alike (it used to panic while tags were added).
#[test]
fn a_resource_body_that_is_not_an_object_is_an_error() {
    let workspace = workspace(BACKEND, r#"{ "azurerm_resource_group": { "x": "s" } }"#);
    for command in ["validate", "synth", "graph"] {
        let run = workspace.baas(&[command, "backend.yaml"]);
        run.expect_exit(1);
        assert!(
            run.stderr.contains(
                "`azurerm_resource_group.x` must be an object of arguments, not a string"
            ),
            "{command}: {}",
            run.stderr
        );
    }
}

/// A recursive partial overflowed the stack and aborted the process; partials are refused at
/// the template's line and column instead.
#[test]
fn a_template_with_a_partial_is_refused_where_it_is_written() {
    let workspace = workspace(BACKEND, "{{#*inline \"p\"}}{{> p}}{{/inline}}{{> p}}\n");
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1).expect_stderr("uses a partial");
    assert!(
        validate.stderr.contains("redis.hbs:1:1"),
        "{}",
        validate.stderr
    );
}

/// A rendered resource type becomes part of an address and a file's contents: it must be one.
#[test]
fn a_rendered_resource_type_must_be_a_terraform_type() {
    let workspace = workspace(BACKEND, r#"{ "../../evil": { "x": { "name": "n" } } }"#);
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate.expect_exit(1);
    assert!(
        validate
            .stderr
            .contains("`../../evil` is not a Terraform resource type"),
        "{}",
        validate.stderr
    );
}

/// Resources of other providers' types are written as rendered: baas has no schema for them,
/// so an attribute their provider does not know gets through, and no tags are added.
#[test]
fn resources_of_other_providers_are_written_as_rendered() {
    let workspace = workspace(
        BACKEND,
        r#"{"random_string": {"{{key}}": {"length": 8, "special": false, "not_checked": 1}}}"#,
    );
    workspace.synth_ok("out");
    let stack = workspace.stack("out");
    assert_eq!(
        stack["resource"]["random_string"]["shared"],
        serde_json::json!({ "length": 8, "special": false, "not_checked": 1 })
    );
    assert_eq!(
        stack["terraform"]["required_providers"]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["azurerm"]
    );
}
