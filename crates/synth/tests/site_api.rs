//! What a static site's `api` writes: the `/api/*` route and origin group on the site's Front
//! Door, with one origin per app (and per region or color under a topology, shared as Traffic
//! Manager shares them), and with `waf` the WAF and security policies on a Premium profile.

use baas_model::SourceFile;
use baas_providers::Registry;
use serde_json::{json, Value};

/// The synthesized files of `yaml`, which must have no errors.
fn synth(yaml: &str) -> std::collections::BTreeMap<String, String> {
    let synthesis =
        baas_synth::synthesize(&SourceFile::new("backend.yaml", yaml), &Registry::builtin());
    assert!(!synthesis.has_errors(), "{:?}", synthesis.diagnostics);
    synthesis.files
}

fn stack(files: &std::collections::BTreeMap<String, String>, name: &str) -> Value {
    serde_json::from_str(&files[&format!("{name}/main.tf.json")]).expect("synth writes JSON")
}

/// The origins of `stack`'s API origin group: name -> (enabled, priority, weight, host).
fn origins(stack: &Value) -> Vec<(String, Value, Value, Value, Value)> {
    let mut found: Vec<_> = stack["resource"]["azurerm_cdn_frontdoor_origin"]
        .as_object()
        .expect("origins")
        .iter()
        .filter(|(address, _)| address.starts_with("web_api"))
        .map(|(_, o)| {
            (
                o["name"].as_str().unwrap_or_default().to_owned(),
                o["enabled"].clone(),
                o["priority"].clone(),
                o["weight"].clone(),
                o["host_name"].clone(),
            )
        })
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
}

const APP: &str = "functions: {plan: EP1}\ncomponents:\n  web: {type: static-site, api: true}\n  users: {type: crud-api, entity: User}\n";

#[test]
fn a_single_stack_routes_api_to_its_own_app_without_caching() {
    let files = synth(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\ncomponents:\n  \
         web: {type: static-site, custom_domain: www.example.com, dns_zone: example.com, api: [users]}\n  \
         users: {type: crud-api, entity: User}\n",
    );
    let main = stack(&files, "main");
    let resources = &main["resource"];
    let route = &resources["azurerm_cdn_frontdoor_route"]["web_api"];
    assert_eq!(route["patterns_to_match"], json!(["/api/*"]));
    assert_eq!(route["forwarding_protocol"], json!("HttpsOnly"));
    assert_eq!(route["https_redirect_enabled"], json!(true));
    assert!(route.get("cache").is_none(), "API answers are not cached");
    assert!(route.get("cdn_frontdoor_rule_set_ids").is_none());
    assert_eq!(
        route["cdn_frontdoor_custom_domain_ids"],
        json!(["${azurerm_cdn_frontdoor_custom_domain.web.id}"])
    );
    // The association lists every route that serves the domain.
    assert_eq!(
        resources["azurerm_cdn_frontdoor_custom_domain_association"]["web"]
            ["cdn_frontdoor_route_ids"],
        json!([
            "${azurerm_cdn_frontdoor_route.web.id}",
            "${azurerm_cdn_frontdoor_route.web_api.id}"
        ])
    );
    let group = &resources["azurerm_cdn_frontdoor_origin_group"]["web_api"];
    assert_eq!(
        group["health_probe"],
        json!({"interval_in_seconds": 100, "path": "/api/health", "protocol": "Https", "request_type": "GET"})
    );
    let origin = &resources["azurerm_cdn_frontdoor_origin"]["web_api_node"];
    let host = json!("${azurerm_linux_function_app.node.default_hostname}");
    assert_eq!(origin["host_name"], host);
    assert_eq!(origin["origin_host_header"], host);
    assert_eq!(origin["certificate_name_check_enabled"], json!(true));
    // Standard without a WAF.
    assert_eq!(
        resources["azurerm_cdn_frontdoor_profile"]["web"]["sku_name"],
        json!("Standard_AzureFrontDoor")
    );
    assert!(resources
        .get("azurerm_cdn_frontdoor_firewall_policy")
        .is_none());
    assert_eq!(
        main["output"]["static_site_web_api_url"]["value"],
        json!("https://${azurerm_cdn_frontdoor_endpoint.web.host_name}/api")
    );
}

#[test]
fn multi_region_priority_puts_every_regions_app_in_the_origin_group_in_order() {
    let files = synth(&format!(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         deployment: {{strategy: multi-region, regions: [eastus, westus2], routing: Priority}}\n{APP}"
    ));
    let global = stack(&files, "global");
    assert_eq!(
        origins(&global),
        vec![
            (
                "node-eastus".to_owned(),
                json!(true),
                json!(1),
                json!(1000),
                json!("${data.azurerm_linux_function_app.node-eastus.default_hostname}")
            ),
            (
                "node-westus2".to_owned(),
                json!(true),
                json!(2),
                json!(1000),
                json!("${data.azurerm_linux_function_app.node-westus2.default_hostname}")
            ),
        ]
    );
    // The origins read the apps through Traffic Manager's data sources: one each.
    let reads = global["data"]["azurerm_linux_function_app"]
        .as_object()
        .expect("reads");
    assert_eq!(
        reads.keys().collect::<Vec<_>>(),
        ["node-eastus", "node-westus2"]
    );
    let endpoints = &global["resource"]["azurerm_traffic_manager_external_endpoint"];
    assert_eq!(endpoints["node-eastus"]["priority"], json!(1));
    assert_eq!(endpoints["node-westus2"]["priority"], json!(2));
    // Nothing of the site in the regional stacks.
    assert!(stack(&files, "eastus")["resource"]
        .get("azurerm_cdn_frontdoor_origin")
        .is_none());
}

#[test]
fn blue_green_gives_the_active_color_the_traffic_and_disables_the_other() {
    let files = synth(&format!(
        "name: shop\nenvironment: prod\nlocation: eastus\n\
         deployment: {{strategy: blue-green, active: green}}\n{APP}"
    ));
    let global = stack(&files, "global");
    let found = origins(&global);
    assert_eq!(
        found
            .iter()
            .map(|(name, enabled, priority, weight, _)| (
                name.as_str(),
                enabled.clone(),
                priority.clone(),
                weight.clone()
            ))
            .collect::<Vec<_>>(),
        vec![
            ("node-blue", json!(false), json!(1), json!(1)),
            ("node-green", json!(true), json!(1), json!(1000)),
        ]
    );
    // Weights, not latency, share the traffic.
    assert_eq!(
        global["resource"]["azurerm_cdn_frontdoor_origin_group"]["web_api"]["load_balancing"]
            ["additional_latency_in_milliseconds"],
        json!(1000)
    );
}

#[test]
fn the_waf_makes_the_profile_premium_and_rate_limits_the_api() {
    let files = synth(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\ncomponents:\n  \
         web: {type: static-site, api: {waf: true, rate_limit: 300}}\n  \
         users: {type: crud-api, entity: User}\n",
    );
    let main = stack(&files, "main");
    let resources = &main["resource"];
    assert_eq!(
        resources["azurerm_cdn_frontdoor_profile"]["web"]["sku_name"],
        json!("Premium_AzureFrontDoor")
    );
    let policy = &resources["azurerm_cdn_frontdoor_firewall_policy"]["web"];
    assert_eq!(policy["mode"], json!("Prevention"));
    assert_eq!(policy["sku_name"], json!("Premium_AzureFrontDoor"));
    assert_eq!(policy["custom_rule"][0]["type"], json!("RateLimitRule"));
    assert_eq!(policy["custom_rule"][0]["rate_limit_threshold"], json!(300));
    assert_eq!(
        policy["managed_rule"][0]["type"],
        json!("Microsoft_DefaultRuleSet")
    );
    let security = &resources["azurerm_cdn_frontdoor_security_policy"]["web"];
    assert_eq!(
        security["security_policies"]["firewall"]["association"],
        json!({
            "domain": [{"cdn_frontdoor_domain_id": "${azurerm_cdn_frontdoor_endpoint.web.id}"}],
            "patterns_to_match": ["/*"],
        })
    );
}

#[test]
fn a_second_app_gets_its_own_origin_group_and_the_first_segments_of_its_routes() {
    let files = synth(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         deployment: {strategy: multi-region, regions: [eastus, westus2], routing: Weighted}\ncomponents:\n  \
         web: {type: static-site, api: true}\n  users: {type: crud-api, entity: User}\n  \
         reports: {type: crud-api, entity: Report, runtime: python}\n",
    );
    let global = stack(&files, "global");
    let resources = &global["resource"];
    let routes = &resources["azurerm_cdn_frontdoor_route"];
    // The first app (in key order) answers every path under /api/ the others do not.
    assert_eq!(routes["web_api"]["patterns_to_match"], json!(["/api/*"]));
    assert_eq!(
        routes["web_api"]["cdn_frontdoor_origin_group_id"],
        json!("${azurerm_cdn_frontdoor_origin_group.web_api.id}")
    );
    assert_eq!(
        routes["web_api_python"]["patterns_to_match"],
        json!(["/api/reports", "/api/reports/*"])
    );
    assert_eq!(routes["web_api_python"]["name"], json!("api-python"));
    assert_eq!(
        routes["web_api_python"]["cdn_frontdoor_origin_ids"],
        json!([
            "${azurerm_cdn_frontdoor_origin.web_api_python_eastus.id}",
            "${azurerm_cdn_frontdoor_origin.web_api_python_westus2.id}"
        ])
    );
    let python = &resources["azurerm_cdn_frontdoor_origin"]["web_api_python_westus2"];
    assert_eq!(
        python["cdn_frontdoor_origin_group_id"],
        json!("${azurerm_cdn_frontdoor_origin_group.web_api_python.id}")
    );
    // Weighted: equal weights, as Traffic Manager's endpoints.
    assert_eq!(python["weight"], json!(1));
    assert_eq!(
        global["resource"]["azurerm_traffic_manager_external_endpoint"]["python-westus2"]["weight"],
        json!(1)
    );
}
