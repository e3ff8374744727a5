//! The `static-site` component end to end: its own storage account with static website
//! hosting, Front Door Standard in front of it, the custom domain's DNS records, outputs and
//! manifest entry; and the rules that need more than one fixture to show.

use crate::support::{backend_with, resource, resource_names, Workspace};
use serde_json::{json, Value};

/// Synthesizes a backend with these components; returns the stack and the manifest.
#[track_caller]
fn synth(components: &str) -> (Value, Value) {
    let workspace = Workspace::with_backend(&backend_with(components));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), Vec::<String>::new(), "{}", synth.stderr);
    workspace.baas(&["validate", "backend.yaml"]).expect_exit(0);
    let manifest = serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    (workspace.stack("out"), manifest)
}

#[track_caller]
fn fails_with(components: &str, code: &str) {
    let workspace = Workspace::with_backend(&backend_with(components));
    workspace
        .baas(&["synth", "backend.yaml", "-o", "out"])
        .expect_exit(1)
        .expect_code(code);
    assert!(!workspace.join("out").exists(), "synth wrote `out`");
}

const SUBDOMAIN: &str = "  web:
    type: static-site
    custom_domain: www.example.com
    dns_zone: example.com
    dns_zone_resource_group: rg-dns
";

#[test]
fn a_site_gets_its_own_storage_account_with_static_website_hosting() {
    let (stack, _) = synth("  users: {type: crud-api, entity: User}\n  web: {type: static-site}\n");
    assert_eq!(
        resource_names(&stack, "azurerm_storage_account"),
        ["functions", "web"],
        "the site does not share the function host's account"
    );
    let account = resource(&stack, "azurerm_storage_account", "web");
    for (key, value) in [
        ("min_tls_version", json!("TLS1_2")),
        ("https_traffic_only_enabled", json!(true)),
        ("allow_nested_items_to_be_public", json!(false)),
        ("shared_access_key_enabled", json!(false)),
        ("default_to_oauth_authentication", json!(true)),
        ("account_kind", json!("StorageV2")),
    ] {
        assert_eq!(account[key], value, "{key}");
    }
    let website = resource(&stack, "azurerm_storage_account_static_website", "web");
    assert_eq!(
        website["storage_account_id"],
        "${azurerm_storage_account.web.id}"
    );
    assert_eq!(website["index_document"], "index.html");
    assert_eq!(website["error_404_document"], "404.html");
    assert!(
        account.get("static_website").is_none(),
        "the account's `static_website` block is deprecated in azurerm 4.x"
    );
}

#[test]
fn a_single_page_app_serves_the_index_for_unknown_paths() {
    let (stack, _) = synth("  web: {type: static-site, spa: true, index_document: app.html}\n");
    let website = resource(&stack, "azurerm_storage_account_static_website", "web");
    assert_eq!(website["index_document"], "app.html");
    assert_eq!(website["error_404_document"], "app.html");
    let spa = resource(&stack, "azurerm_cdn_frontdoor_rule", "web-spa");
    assert_eq!(
        spa["conditions"]["url_file_extension_condition"],
        json!({ "operator": "LessThan", "match_values": ["1"] }),
        "paths without a file extension are client-side routes"
    );
    assert_eq!(
        spa["actions"]["url_rewrite_action"],
        json!({ "source_pattern": "/", "destination": "/app.html", "preserve_unmatched_path": false })
    );
}

/// With an `error_document`, a single-page app still rewrites client-side routes (no file
/// extension) to its index, and missing files (`/assets/gone.js`) get the error document
/// with a 404 instead of the index.
#[test]
fn a_single_page_app_serves_its_error_document_for_missing_files() {
    let (stack, _) =
        synth("  web: {type: static-site, spa: true, error_document: errors/404.html}\n");
    let website = resource(&stack, "azurerm_storage_account_static_website", "web");
    assert_eq!(website["index_document"], "index.html");
    assert_eq!(website["error_404_document"], "errors/404.html");
    let spa = resource(&stack, "azurerm_cdn_frontdoor_rule", "web-spa");
    assert_eq!(
        spa["actions"]["url_rewrite_action"]["destination"],
        "/index.html"
    );
}

#[test]
fn front_door_standard_fronts_the_web_endpoint_over_https() {
    let (stack, _) = synth("  web: {type: static-site}\n");
    let profile = resource(&stack, "azurerm_cdn_frontdoor_profile", "web");
    assert_eq!(profile["sku_name"], "Standard_AzureFrontDoor");
    let endpoint = resource(&stack, "azurerm_cdn_frontdoor_endpoint", "web");
    assert_eq!(
        endpoint["cdn_frontdoor_profile_id"],
        "${azurerm_cdn_frontdoor_profile.web.id}"
    );
    let group = resource(&stack, "azurerm_cdn_frontdoor_origin_group", "web");
    assert_eq!(group["health_probe"]["protocol"], "Https");
    assert_eq!(group["health_probe"]["path"], "/");
    assert_eq!(group["health_probe"]["request_type"], "HEAD");
    assert!(group["load_balancing"].is_object());
    let origin = resource(&stack, "azurerm_cdn_frontdoor_origin", "web");
    assert_eq!(
        origin["host_name"],
        "${azurerm_storage_account.web.primary_web_host}"
    );
    assert_eq!(origin["origin_host_header"], origin["host_name"]);
    assert_eq!(origin["certificate_name_check_enabled"], true);

    let route = resource(&stack, "azurerm_cdn_frontdoor_route", "web");
    assert_eq!(route["patterns_to_match"], json!(["/*"]));
    assert_eq!(route["supported_protocols"], json!(["Http", "Https"]));
    assert_eq!(route["https_redirect_enabled"], true);
    assert_eq!(route["forwarding_protocol"], "HttpsOnly");
    assert_eq!(route["link_to_default_domain"], true);
    assert_eq!(
        route["cdn_frontdoor_origin_ids"],
        json!(["${azurerm_cdn_frontdoor_origin.web.id}"])
    );
    assert_eq!(
        route["cdn_frontdoor_rule_set_ids"],
        json!(["${azurerm_cdn_frontdoor_rule_set.web.id}"])
    );
    assert!(route.get("cdn_frontdoor_custom_domain_ids").is_none());
}

#[test]
fn compression_and_caching_are_on_by_default() {
    let (stack, manifest) = synth("  web: {type: static-site}\n");
    let cache = &resource(&stack, "azurerm_cdn_frontdoor_route", "web")["cache"];
    assert_eq!(cache["compression_enabled"], true);
    let types = cache["content_types_to_compress"].as_array().unwrap();
    for wanted in [
        "text/html",
        "text/css",
        "application/javascript",
        "image/svg+xml",
    ] {
        assert!(types.contains(&json!(wanted)), "{wanted} is compressed");
    }
    assert_eq!(cache["query_string_caching_behavior"], "UseQueryString");
    let rule = resource(&stack, "azurerm_cdn_frontdoor_rule", "web-cache");
    assert_eq!(rule["order"], 1);
    assert!(rule.get("conditions").is_none(), "applies to every request");
    assert_eq!(
        rule["actions"]["route_configuration_override_action"],
        json!({
            "cache_behavior": "OverrideIfOriginMissing",
            "cache_duration": "01:00:00",
            "query_string_caching_behavior": "UseQueryString",
            "compression_enabled": true,
        })
    );
    assert_eq!(manifest["static_sites"]["web"]["cache_max_age"], 3600);
}

#[test]
fn cache_max_age_sets_the_edge_cache_duration() {
    let (stack, _) =
        synth("  web: {type: static-site, cache_max_age: 90061, compression: false}\n");
    let action = &resource(&stack, "azurerm_cdn_frontdoor_rule", "web-cache")["actions"]
        ["route_configuration_override_action"];
    assert_eq!(action["cache_duration"], "1.01:01:01");
    assert_eq!(action["compression_enabled"], false);
    let cache = &resource(&stack, "azurerm_cdn_frontdoor_route", "web")["cache"];
    assert_eq!(cache["compression_enabled"], false);
    assert!(cache.get("content_types_to_compress").is_none());
}

#[test]
fn no_cache_means_no_cache_block_no_compression_and_no_rule_set() {
    let (stack, manifest) = synth("  web: {type: static-site, cache_max_age: 0}\n");
    let route = resource(&stack, "azurerm_cdn_frontdoor_route", "web");
    assert!(
        route.get("cache").is_none(),
        "a route without `cache` does not cache"
    );
    assert!(route.get("cdn_frontdoor_rule_set_ids").is_none());
    assert!(resource_names(&stack, "azurerm_cdn_frontdoor_rule_set").is_empty());
    assert_eq!(manifest["static_sites"]["web"]["compression"], false);
}

#[test]
fn cors_any_origin_is_one_header_rule() {
    let (stack, _) = synth("  web: {type: static-site, cors: [\"*\"]}\n");
    let rule = resource(&stack, "azurerm_cdn_frontdoor_rule", "web-cors");
    assert!(rule.get("conditions").is_none());
    assert_eq!(
        rule["actions"]["response_header_action"],
        json!({ "header_action": "Overwrite", "header_name": "Access-Control-Allow-Origin", "value": "*" })
    );
}

#[test]
fn cors_origins_are_echoed_back_one_rule_each() {
    let (stack, _) = synth(
        "  web: {type: static-site, cors: [\"https://app.example.com\", \"http://localhost:3000\"]}\n",
    );
    assert_eq!(
        resource_names(&stack, "azurerm_cdn_frontdoor_rule"),
        [
            "web-cache",
            "web-cors-http-localhost-3000",
            "web-cors-https-app_example_com",
            "web-cors-vary",
        ],
        "addresses come from the origins, not their positions"
    );
    let rule = resource(
        &stack,
        "azurerm_cdn_frontdoor_rule",
        "web-cors-https-app_example_com",
    );
    assert_eq!(
        rule["conditions"]["request_header_condition"],
        json!({ "header_name": "Origin", "operator": "Equal", "match_values": ["https://app.example.com"] })
    );
    assert_eq!(
        rule["actions"]["response_header_action"]["value"],
        "https://app.example.com"
    );
    let vary = resource(&stack, "azurerm_cdn_frontdoor_rule", "web-cors-vary");
    assert_eq!(
        vary["actions"]["response_header_action"],
        json!({ "header_action": "Overwrite", "header_name": "Vary", "value": "Origin, Accept-Encoding" })
    );
    let orders: Vec<&Value> = resource_names(&stack, "azurerm_cdn_frontdoor_rule")
        .iter()
        .map(|name| &stack["resource"]["azurerm_cdn_frontdoor_rule"][name]["order"])
        .collect();
    let mut orders: Vec<i64> = orders.iter().map(|o| o.as_i64().unwrap()).collect();
    orders.sort_unstable();
    assert_eq!(
        orders,
        [1, 2, 3, 4],
        "rule orders are unique and sequential"
    );
}

#[test]
fn a_custom_domain_gets_validation_and_routing_records_in_the_zone() {
    let (stack, manifest) = synth(SUBDOMAIN);
    let zone = &stack["data"]["azurerm_dns_zone"]["web"];
    assert_eq!(
        zone,
        &json!({ "name": "example.com", "resource_group_name": "rg-dns" })
    );
    let domain = resource(&stack, "azurerm_cdn_frontdoor_custom_domain", "web");
    assert_eq!(domain["host_name"], "www.example.com");
    assert_eq!(domain["dns_zone_id"], "${data.azurerm_dns_zone.web.id}");
    assert_eq!(
        domain["tls"],
        json!({ "certificate_type": "ManagedCertificate", "minimum_tls_version": "TLS12" })
    );
    let txt = resource(&stack, "azurerm_dns_txt_record", "web");
    assert_eq!(txt["name"], "_dnsauth.www");
    assert_eq!(txt["zone_name"], "${data.azurerm_dns_zone.web.name}");
    assert_eq!(
        txt["resource_group_name"],
        "${data.azurerm_dns_zone.web.resource_group_name}"
    );
    assert_eq!(
        txt["record"],
        json!([{ "value": "${azurerm_cdn_frontdoor_custom_domain.web.validation_token}" }])
    );
    let cname = resource(&stack, "azurerm_dns_cname_record", "web");
    assert_eq!(cname["name"], "www");
    assert_eq!(
        cname["record"],
        "${azurerm_cdn_frontdoor_endpoint.web.host_name}"
    );
    assert!(cname["depends_on"]
        .as_array()
        .unwrap()
        .contains(&json!("azurerm_cdn_frontdoor_route.web")));
    assert!(resource_names(&stack, "azurerm_dns_a_record").is_empty());
    let association = resource(
        &stack,
        "azurerm_cdn_frontdoor_custom_domain_association",
        "web",
    );
    assert_eq!(
        association["cdn_frontdoor_custom_domain_id"],
        "${azurerm_cdn_frontdoor_custom_domain.web.id}"
    );
    assert_eq!(
        association["cdn_frontdoor_route_ids"],
        json!(["${azurerm_cdn_frontdoor_route.web.id}"])
    );
    assert_eq!(
        resource(&stack, "azurerm_cdn_frontdoor_route", "web")["cdn_frontdoor_custom_domain_ids"],
        json!(["${azurerm_cdn_frontdoor_custom_domain.web.id}"])
    );
    // Outputs and manifest.
    assert_eq!(
        stack["output"]["static_site_web_url"]["value"],
        "https://${azurerm_cdn_frontdoor_endpoint.web.host_name}"
    );
    assert_eq!(
        stack["output"]["static_site_web_custom_domain_url"]["value"],
        "https://www.example.com"
    );
    assert_eq!(
        stack["output"]["static_site_web_storage_account"]["value"],
        "${azurerm_storage_account.web.name}"
    );
    let entry = &manifest["static_sites"]["web"];
    assert_eq!(entry["container"], "$web");
    assert_eq!(
        entry["storage_account"]["address"],
        "azurerm_storage_account.web"
    );
    assert_eq!(
        entry["storage_account"]["name"],
        resource(&stack, "azurerm_storage_account", "web")["name"]
    );
    assert_eq!(
        entry["front_door"]["endpoint"]["name"],
        resource(&stack, "azurerm_cdn_frontdoor_endpoint", "web")["name"]
    );
    assert_eq!(entry["custom_domain"]["host_name"], "www.example.com");
    assert_eq!(entry["url_output"], "static_site_web_url");
}

#[test]
fn an_apex_domain_gets_an_alias_a_record_instead_of_a_cname() {
    let (stack, _) =
        synth("  web: {type: static-site, custom_domain: example.com, dns_zone: example.com}\n");
    assert!(resource_names(&stack, "azurerm_dns_cname_record").is_empty());
    let alias = resource(&stack, "azurerm_dns_a_record", "web");
    assert_eq!(alias["name"], "@");
    assert_eq!(
        alias["target_resource_id"],
        "${azurerm_cdn_frontdoor_endpoint.web.id}"
    );
    assert!(alias.get("records").is_none());
    assert_eq!(
        resource(&stack, "azurerm_dns_txt_record", "web")["name"],
        "_dnsauth"
    );
    assert_eq!(
        stack["data"]["azurerm_dns_zone"]["web"],
        json!({ "name": "example.com" }),
        "without `dns_zone_resource_group` the zone is looked up by name"
    );
}

#[test]
fn a_deeper_subdomain_keeps_all_its_labels() {
    let (stack, _) = synth(
        "  web: {type: static-site, custom_domain: app.eu.example.com, dns_zone: example.com}\n",
    );
    assert_eq!(
        resource(&stack, "azurerm_dns_cname_record", "web")["name"],
        "app.eu"
    );
    assert_eq!(
        resource(&stack, "azurerm_dns_txt_record", "web")["name"],
        "_dnsauth.app.eu"
    );
}

#[test]
fn data_sources_get_no_tags() {
    let (stack, _) = synth(SUBDOMAIN);
    assert!(stack["data"]["azurerm_dns_zone"]["web"]
        .get("tags")
        .is_none());
    assert!(resource(&stack, "azurerm_dns_cname_record", "web")["tags"].is_object());
}

#[test]
fn a_dns_zone_without_a_custom_domain_is_an_error() {
    fails_with(
        "  web: {type: static-site, dns_zone: example.com}\n",
        "baas::static_site::domain_zone",
    );
}

#[test]
fn two_sites_are_two_accounts_and_two_profiles() {
    let (stack, manifest) = synth("  web: {type: static-site}\n  docs: {type: static-site}\n");
    assert_eq!(
        resource_names(&stack, "azurerm_storage_account"),
        ["docs", "web"]
    );
    assert_eq!(
        resource_names(&stack, "azurerm_cdn_frontdoor_profile"),
        ["docs", "web"]
    );
    let names: Vec<&Value> = ["docs", "web"]
        .iter()
        .map(|k| &resource(&stack, "azurerm_cdn_frontdoor_endpoint", k)["name"])
        .collect();
    assert_ne!(names[0], names[1]);
    assert_eq!(manifest["static_sites"].as_object().unwrap().len(), 2);
}

#[test]
fn static_sites_count_towards_max_storage_accounts() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
limits: {max_storage_accounts: 2}
components:
  users: {type: crud-api, entity: User}
  web: {type: static-site}
  docs: {type: static-site}
",
    );
    let validate = workspace.baas(&["validate", "backend.yaml"]);
    validate
        .expect_exit(1)
        .expect_code("baas::limits::exceeded");
    let block = validate.block("baas::limits::exceeded");
    assert!(
        block.contains("needs 3 storage accounts"),
        "the host account and one per site:\n{block}"
    );
}

/// Reads a stack of `out` as JSON.
fn stack_of(workspace: &Workspace, stack: &str) -> Value {
    let text = std::fs::read_to_string(workspace.join(&format!("out/{stack}/main.tf.json")))
        .unwrap_or_else(|e| panic!("{stack}: {e}"));
    serde_json::from_str(&text).unwrap()
}

/// Under every topology of several stacks a site is one thing: its storage account, Front
/// Door profile, custom domain and DNS records are in the `global` stack alone, and the
/// manifest says where to upload its files.
#[test]
fn a_site_lives_once_in_the_global_stack_under_every_topology() {
    let cases: [(&str, &[&str]); 5] = [
        (
            "deployment: {strategy: multi-region, regions: [eastus, westus2]}",
            &["eastus", "westus2"],
        ),
        (
            "deployment: {strategy: blue-green, active: green}",
            &["blue", "green"],
        ),
        (
            "deployment: {strategy: disaster-recovery, secondary: westus}",
            &["primary", "secondary"],
        ),
        (
            "tenancy: {isolation: account, tenants: [{id: acme, name: Acme}, {id: beta, name: Beta}]}",
            &["tenant-acme", "tenant-beta"],
        ),
        (
            "tenancy: {isolation: account, tenants: [{id: acme, name: Acme}, {id: beta, name: Beta}]}\n\
             deployment: {strategy: multi-region, regions: [eastus, westus2]}",
            &[
                "tenant-acme-eastus",
                "tenant-acme-westus2",
                "tenant-beta-eastus",
                "tenant-beta-westus2",
            ],
        ),
    ];
    for (topology, regional) in cases {
        let workspace = Workspace::with_backend(&format!(
            "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {{plan: EP1}}\n{topology}\n\
             components:\n  users: {{type: crud-api, entity: User}}\n{SUBDOMAIN}"
        ));
        let synth = workspace.synth_ok("out");
        assert!(
            !synth.stderr.contains("baas::deployment::duplicate"),
            "{}",
            synth.stderr
        );
        let global = stack_of(&workspace, "global");
        for resource_type in [
            "azurerm_storage_account",
            "azurerm_cdn_frontdoor_profile",
            "azurerm_cdn_frontdoor_custom_domain",
            "azurerm_dns_txt_record",
            "azurerm_dns_cname_record",
        ] {
            assert_eq!(
                resource_names(&global, resource_type),
                ["web"],
                "{topology}: {resource_type}"
            );
        }
        for stack in regional {
            let regional = stack_of(&workspace, stack);
            assert!(
                regional["resource"]
                    .get("azurerm_cdn_frontdoor_profile")
                    .is_none()
                    && regional["resource"]
                        .get("azurerm_dns_cname_record")
                        .is_none(),
                "{topology}: {stack} holds no part of the site"
            );
        }
        let manifest: Value =
            serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
        let target = &manifest["stacks"]["global"]["static_sites"]["web"];
        assert_eq!(target["container"], "$web", "{topology}");
        assert_eq!(
            target["storage_account"],
            resource(&global, "azurerm_storage_account", "web")["name"],
            "{topology}"
        );
        assert_eq!(
            manifest["deploy_order"].as_array().unwrap().last().unwrap(),
            "global",
            "{topology}"
        );
    }
}

/// A single stack keeps its site: no `global` stack for a backend that is one stack.
#[test]
fn a_single_stack_keeps_its_site() {
    let workspace = Workspace::with_backend(&backend_with(SUBDOMAIN));
    workspace.synth_ok("out");
    assert!(!workspace.join("out/global").exists());
    let main = stack_of(&workspace, "main");
    assert_eq!(
        resource_names(&main, "azurerm_cdn_frontdoor_profile"),
        ["web"]
    );
}

/// Limits count a site's storage account once, in the `global` stack.
#[test]
fn a_sites_storage_account_counts_once_under_several_stacks() {
    let workspace = Workspace::with_backend(
        "name: shop
environment: prod
location: eastus
functions: {plan: EP1}
limits: {max_storage_accounts: 2}
deployment: {strategy: multi-region, regions: [eastus, westus2]}
components:
  users: {type: crud-api, entity: User}
  web: {type: static-site}
",
    );
    let validate = workspace.baas(&["validate", "backend.yaml", "--format", "json"]);
    validate.expect_exit(1);
    let errors = validate.json_errors();
    let message = errors[0]["message"].as_str().unwrap();
    assert!(
        message.contains("needs 3 storage accounts, 1 in each of 2 stacks (`eastus`, `westus2`) and 1 in the `global` stack"),
        "{message}"
    );
}
