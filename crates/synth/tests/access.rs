//! What `cors` and `auth` write: `site_config.cors` with the static sites' origins,
//! `auth_settings_v2` with Entra ID that answers 401 and excludes the probe paths, anonymous CRUD
//! routes under sign-in, and the generated code's `platform_auth`.

use baas_model::SourceFile;
use baas_providers::Registry;
use serde_json::{json, Value};

const AUTH: &str = "auth: {provider: entra, tenant_id: 72F988BF-86f1-41af-91ab-2d7cd011db47, client_id: 11111111-2222-3333-4444-555555555555, allowed_audiences: [\"api://shop\"]}\n";

/// The synthesized files of `yaml`, which must have no errors.
fn synth(yaml: &str) -> std::collections::BTreeMap<String, String> {
    let synthesis =
        baas_synth::synthesize(&SourceFile::new("backend.yaml", yaml), &Registry::builtin());
    assert!(!synthesis.has_errors(), "{:?}", synthesis.diagnostics);
    synthesis.files
}

fn json_file(files: &std::collections::BTreeMap<String, String>, path: &str) -> Value {
    serde_json::from_str(&files[path]).expect("synth writes JSON")
}

fn app<'a>(stack: &'a Value, key: &str) -> &'a Value {
    &stack["resource"]["azurerm_linux_function_app"][key]
}

const BASE: &str = "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: Y1}\n";

#[test]
fn http_apps_allow_the_static_sites_and_their_own_origins() {
    let files = synth(&format!(
        "{BASE}components:\n  \
         web: {{type: static-site, custom_domain: www.example.com, dns_zone: example.com}}\n  \
         users: {{type: crud-api, entity: User, cors: [\"https://admin.example.com\"]}}\n  \
         hooks: {{type: function-app, runtime: node, cors: [\"http://localhost:3000\", \"https://admin.example.com\"], functions: {{ping: {{trigger: http}}}}}}\n  \
         jobs: {{type: function-app, runtime: python, functions: {{tick: {{trigger: timer, schedule: \"0 0 * * * *\"}}}}}}\n"
    ));
    let stack = json_file(&files, "main/main.tf.json");
    assert_eq!(
        app(&stack, "node")["site_config"]["cors"],
        json!({
            "allowed_origins": [
                "https://${azurerm_cdn_frontdoor_endpoint.web.host_name}",
                "https://www.example.com",
                "https://admin.example.com",
                "http://localhost:3000",
            ],
            "support_credentials": false,
        })
    );
    // A timer-only app answers no browser.
    assert_eq!(app(&stack, "python")["site_config"].get("cors"), None);
    assert_eq!(app(&stack, "node").get("auth_settings_v2"), None);
    // Without sign-in the CRUD routes keep their function key.
    let manifest = json_file(&files, "baas.manifest.json");
    let create = &manifest["function_apps"]["node"]["functions"]["users-create"];
    assert_eq!(create["trigger"]["auth_level"], "function");
    let table = json_file(&files, "apps/node/src/baas/api.json");
    assert_eq!(table["platform_auth"], false);
}

#[test]
fn every_origin_stays_alone_and_credentials_are_written() {
    let files = synth(&format!(
        "{BASE}components:\n  \
         web: {{type: static-site}}\n  \
         users: {{type: crud-api, entity: User, cors: {{origins: [\"https://a.example.com\"], credentials: true}}}}\n"
    ));
    let stack = json_file(&files, "main/main.tf.json");
    assert_eq!(
        app(&stack, "node")["site_config"]["cors"],
        json!({
            "allowed_origins": ["https://${azurerm_cdn_frontdoor_endpoint.web.host_name}", "https://a.example.com"],
            "support_credentials": true,
        })
    );
    let files = synth(&format!(
        "{BASE}components:\n  web: {{type: static-site}}\n  users: {{type: crud-api, entity: User, cors: [\"*\"]}}\n"
    ));
    let stack = json_file(&files, "main/main.tf.json");
    assert_eq!(
        app(&stack, "node")["site_config"]["cors"]["allowed_origins"],
        json!(["*"])
    );
}

#[test]
fn sign_in_validates_entra_tokens_answers_401_and_spares_the_health_path() {
    let files = synth(&format!(
        "{BASE}{AUTH}components:\n  users: {{type: crud-api, entity: User}}\n  \
         hooks: {{type: function-app, runtime: node, functions: {{ping: {{trigger: http}}}}}}\n"
    ));
    let stack = json_file(&files, "main/main.tf.json");
    assert_eq!(
        app(&stack, "node")["auth_settings_v2"],
        json!({
            "auth_enabled": true,
            "require_authentication": true,
            "unauthenticated_action": "Return401",
            "excluded_paths": ["/api/health"],
            "require_https": true,
            "active_directory_v2": {
                "client_id": "11111111-2222-3333-4444-555555555555",
                "tenant_auth_endpoint": "https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0",
                "allowed_audiences": ["api://shop"],
            },
            "login": { "token_store_enabled": false },
        })
    );
    assert!(
        !files["main/main.tf.json"].contains("client_secret"),
        "no secret is ever written"
    );
    let manifest = json_file(&files, "baas.manifest.json");
    let functions = &manifest["function_apps"]["node"]["functions"];
    // The platform authenticates: generated CRUD routes need no key; your functions keep theirs.
    assert_eq!(
        functions["users-create"]["trigger"]["auth_level"],
        "anonymous"
    );
    assert_eq!(functions["ping"]["trigger"]["auth_level"], "function");
    assert_eq!(functions["health"]["trigger"]["auth_level"], "anonymous");
    let table = json_file(&files, "apps/node/src/baas/api.json");
    assert_eq!(table["platform_auth"], true);
}

/// Excluded paths match the request path, so a probe's query string is left out.
#[test]
fn a_custom_probe_path_is_excluded_from_sign_in_too() {
    let files = synth(&format!(
        "{BASE}{AUTH}deployment: {{strategy: multi-region, regions: [eastus, westus2], health_probe: {{path: \"/api/ready?deep=1\"}}}}\n\
         components:\n  users: {{type: crud-api, entity: User}}\n  \
         ready: {{type: function-app, runtime: node, functions: {{ready: {{trigger: http, methods: [get], auth_level: anonymous}}}}}}\n"
    ));
    let stack = json_file(&files, "eastus/main.tf.json");
    assert_eq!(
        app(&stack, "node")["auth_settings_v2"]["excluded_paths"],
        json!(["/api/health", "/api/ready"])
    );
}

#[test]
fn a_site_in_the_global_stack_is_allowed_by_its_custom_domain() {
    let deployment = "deployment: {strategy: multi-region, regions: [eastus, westus2]}\n";
    let files = synth(&format!(
        "{BASE}{deployment}components:\n  \
         web: {{type: static-site, custom_domain: www.example.com, dns_zone: example.com}}\n  \
         users: {{type: crud-api, entity: User}}\n"
    ));
    for region in ["eastus", "westus2"] {
        let stack = json_file(&files, &format!("{region}/main.tf.json"));
        // The endpoint is in the `global` stack, applied after this one: only the domain is known.
        assert_eq!(
            app(&stack, "node")["site_config"]["cors"]["allowed_origins"],
            json!(["https://www.example.com"]),
            "{region}"
        );
    }
}
