//! `networking.mode: isolated` end to end: the virtual network and its carved subnets, a
//! network security group per subnet, private endpoints with private DNS for every data
//! service, public access off, VNet-integrated function apps; service endpoints instead of
//! private endpoints; and the rules that need more than one fixture to show.

use crate::support::{resource, resource_names, Workspace};
use serde_json::{json, Value};

/// A plan per runtime, so that every runtime's subnet shows (`shared_plans_share_a_subnet`
/// covers the default, one plan per SKU).
const ISOLATED: &str = "networking:\n  mode: isolated\n  address_space: 10.0.0.0/16\n\
                        functions: {plan: EP1, plan_per_runtime: true}\n";

/// Users on Cosmos DB, a Premium Service Bus queue consumed by a python worker, a static site.
const FULL: &str = "  users: {type: crud-api, entity: User}
  bus: {type: service-bus, sku: Premium, queues: [jobs]}
  worker:
    type: function-app
    runtime: python
    functions:
      work: {trigger: queue, queue: jobs}
  web: {type: static-site}
";

fn backend(top: &str, components: &str) -> String {
    format!("name: shop\nenvironment: prod\nlocation: eastus\n{top}components:\n{components}")
}

/// Synthesizes and validates; returns the stack and the manifest.
#[track_caller]
fn synth(top: &str, components: &str) -> (Value, Value) {
    let workspace = Workspace::with_backend(&backend(top, components));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), Vec::<String>::new(), "{}", synth.stderr);
    workspace.baas(&["validate", "backend.yaml"]).expect_exit(0);
    let manifest = serde_json::from_slice(&workspace.tree("out")["baas.manifest.json"]).unwrap();
    (workspace.stack("out"), manifest)
}

/// Fails with `code`, writes nothing; returns the human report.
#[track_caller]
fn fails_with(top: &str, components: &str, code: &str) -> String {
    let workspace = Workspace::with_backend(&backend(top, components));
    let synth = workspace.baas(&["synth", "backend.yaml", "-o", "out"]);
    synth.expect_exit(1).expect_code(code);
    assert!(!workspace.join("out").exists(), "synth wrote `out`");
    synth.block(code)
}

fn prefixes(stack: &Value) -> Vec<(String, String)> {
    resource_names(stack, "azurerm_subnet")
        .into_iter()
        .map(|name| {
            let prefix = resource(stack, "azurerm_subnet", &name)["address_prefixes"][0]
                .as_str()
                .unwrap()
                .to_owned();
            (name, prefix)
        })
        .collect()
}

#[test]
fn the_address_space_is_carved_into_fixed_26_subnets() {
    let (stack, manifest) = synth(ISOLATED, FULL);
    let network = resource(&stack, "azurerm_virtual_network", "shared");
    assert_eq!(network["address_space"], json!(["10.0.0.0/16"]));
    assert_eq!(network["name"], "vnet-shop-prod-eus");
    assert_eq!(
        prefixes(&stack),
        [
            ("functions-node".to_owned(), "10.0.0.64/26".to_owned()),
            ("functions-python".to_owned(), "10.0.0.128/26".to_owned()),
            ("private-endpoints".to_owned(), "10.0.0.0/26".to_owned()),
        ]
    );
    for name in ["functions-node", "functions-python"] {
        let subnet = resource(&stack, "azurerm_subnet", name);
        assert_eq!(
            subnet["delegation"][0]["service_delegation"],
            json!({ "name": "Microsoft.Web/serverFarms", "actions": ["Microsoft.Network/virtualNetworks/subnets/action"] }),
            "{name}"
        );
        assert_eq!(
            subnet["virtual_network_name"],
            "${azurerm_virtual_network.shared.name}"
        );
    }
    let endpoints = resource(&stack, "azurerm_subnet", "private-endpoints");
    assert_eq!(endpoints["private_endpoint_network_policies"], "Enabled");
    assert!(endpoints.get("delegation").is_none());
    assert_eq!(
        manifest["networks"]["shared"]["subnets"]["private-endpoints"],
        "10.0.0.0/26"
    );
    assert_eq!(
        manifest["networks"]["shared"]["data_access"],
        "private-endpoints"
    );
}

#[test]
fn every_subnet_has_its_own_nsg_with_the_seed_rules() {
    let (stack, _) = synth(ISOLATED, FULL);
    let subnets = resource_names(&stack, "azurerm_subnet");
    assert_eq!(
        resource_names(&stack, "azurerm_network_security_group"),
        subnets
    );
    assert_eq!(
        resource_names(&stack, "azurerm_subnet_network_security_group_association"),
        subnets
    );
    for subnet in &subnets {
        let association = resource(
            &stack,
            "azurerm_subnet_network_security_group_association",
            subnet,
        );
        assert_eq!(
            association["subnet_id"],
            format!("${{azurerm_subnet.{subnet}.id}}")
        );
        assert_eq!(
            association["network_security_group_id"],
            format!("${{azurerm_network_security_group.{subnet}.id}}")
        );
        let allow = resource(
            &stack,
            "azurerm_network_security_rule",
            &format!("{subnet}-allow-vnet-https"),
        );
        for (key, value) in [
            ("direction", json!("Inbound")),
            ("access", json!("Allow")),
            ("priority", json!(100)),
            ("protocol", json!("Tcp")),
            ("destination_port_range", json!("443")),
            ("source_address_prefix", json!("VirtualNetwork")),
            ("destination_address_prefix", json!("VirtualNetwork")),
        ] {
            assert_eq!(allow[key], value, "{subnet} allow: {key}");
        }
        let deny = resource(
            &stack,
            "azurerm_network_security_rule",
            &format!("{subnet}-deny-internet"),
        );
        for (key, value) in [
            ("direction", json!("Inbound")),
            ("access", json!("Deny")),
            ("priority", json!(200)),
            ("protocol", json!("*")),
            ("source_address_prefix", json!("Internet")),
        ] {
            assert_eq!(deny[key], value, "{subnet} deny: {key}");
        }
        assert_eq!(
            allow["network_security_group_name"],
            format!("${{azurerm_network_security_group.{subnet}.name}}")
        );
    }
}

#[test]
fn every_data_service_gets_a_private_endpoint_and_a_private_dns_zone() {
    let (stack, manifest) = synth(ISOLATED, FULL);
    let expected = [
        (
            "cosmos-shared",
            "cosmos-sql",
            "privatelink.documents.azure.com",
            "Sql",
            "${azurerm_cosmosdb_account.shared.id}",
        ),
        (
            "storage-functions-blob",
            "storage-blob",
            "privatelink.blob.core.windows.net",
            "blob",
            "${azurerm_storage_account.functions.id}",
        ),
        (
            "servicebus-shared",
            "servicebus",
            "privatelink.servicebus.windows.net",
            "namespace",
            "${azurerm_servicebus_namespace.shared.id}",
        ),
    ];
    let mut names: Vec<&str> = expected.iter().map(|e| e.0).collect();
    names.sort_unstable();
    assert_eq!(resource_names(&stack, "azurerm_private_endpoint"), names);
    for (endpoint, zone, zone_name, subresource, target) in expected {
        let body = resource(&stack, "azurerm_private_endpoint", endpoint);
        assert_eq!(
            body["subnet_id"], "${azurerm_subnet.private-endpoints.id}",
            "{endpoint}"
        );
        let connection = &body["private_service_connection"];
        assert_eq!(
            connection["private_connection_resource_id"], target,
            "{endpoint}"
        );
        assert_eq!(
            connection["subresource_names"],
            json!([subresource]),
            "{endpoint}"
        );
        assert_eq!(connection["is_manual_connection"], false, "{endpoint}");
        assert_eq!(
            body["private_dns_zone_group"]["private_dns_zone_ids"],
            json!([format!("${{azurerm_private_dns_zone.{zone}.id}}")]),
            "{endpoint}"
        );
        assert_eq!(
            resource(&stack, "azurerm_private_dns_zone", zone)["name"],
            zone_name
        );
        let link = resource(
            &stack,
            "azurerm_private_dns_zone_virtual_network_link",
            zone,
        );
        assert_eq!(
            link["virtual_network_id"],
            "${azurerm_virtual_network.shared.id}"
        );
        assert_eq!(
            link["private_dns_zone_name"],
            format!("${{azurerm_private_dns_zone.{zone}.name}}")
        );
        assert_eq!(link["registration_enabled"], false);
        assert_eq!(
            manifest["networks"]["shared"]["private_endpoints"][endpoint]["dns_zone"],
            zone_name
        );
    }
    // Only the blob service of the host storage: no queue, table or file endpoints.
    assert!(!stack
        .to_string()
        .contains("privatelink.queue.core.windows.net"));
    assert!(!stack
        .to_string()
        .contains("privatelink.file.core.windows.net"));
}

#[test]
fn data_services_refuse_public_traffic_but_static_sites_keep_their_origin() {
    let (stack, _) = synth(ISOLATED, FULL);
    assert_eq!(
        resource(&stack, "azurerm_cosmosdb_account", "shared")["public_network_access_enabled"],
        false
    );
    assert_eq!(
        resource(&stack, "azurerm_servicebus_namespace", "shared")["public_network_access_enabled"],
        false
    );
    let host = resource(&stack, "azurerm_storage_account", "functions");
    assert_eq!(host["public_network_access_enabled"], false);
    assert_eq!(host["network_rules"]["default_action"], "Deny");
    let site = resource(&stack, "azurerm_storage_account", "web");
    assert!(
        site.get("public_network_access_enabled").is_none(),
        "Front Door Standard needs a public origin"
    );
    assert!(site.get("network_rules").is_none());
    assert_eq!(
        stack["provider"]["azurerm"]["features"]["storage"],
        json!({ "data_plane_available": false }),
        "Terraform cannot reach the storage data plane of a closed account"
    );
}

#[test]
fn function_apps_join_their_subnet_and_route_everything_through_it() {
    let (stack, _) = synth(ISOLATED, FULL);
    for app in ["node", "python"] {
        let body = resource(&stack, "azurerm_linux_function_app", app);
        assert_eq!(
            body["virtual_network_subnet_id"],
            format!("${{azurerm_subnet.functions-{app}.id}}")
        );
        assert_eq!(body["site_config"]["vnet_route_all_enabled"], true, "{app}");
        assert_eq!(
            body["site_config"]["runtime_scale_monitoring_enabled"], true,
            "{app}: Elastic Premium scales from inside the network"
        );
        assert_eq!(
            body["app_settings"]["SERVICEBUS__fullyQualifiedNamespace"].is_null(),
            app == "node"
        );
    }
}

/// By default the apps of one SKU share one App Service plan, so they join its subnet: the
/// apps of a plan integrate with one subnet, and a subnet serves one plan.
#[test]
fn shared_plans_share_a_subnet() {
    let (stack, _) = synth(
        "networking:\n  mode: isolated\n  address_space: 10.0.0.0/16\nfunctions: {plan: EP1}\n",
        FULL,
    );
    assert_eq!(resource_names(&stack, "azurerm_service_plan"), ["node"]);
    assert_eq!(
        prefixes(&stack),
        [
            ("functions-node".to_owned(), "10.0.0.64/26".to_owned()),
            ("private-endpoints".to_owned(), "10.0.0.0/26".to_owned()),
        ]
    );
    for app in ["node", "python"] {
        let body = resource(&stack, "azurerm_linux_function_app", app);
        assert_eq!(
            body["virtual_network_subnet_id"],
            "${azurerm_subnet.functions-node.id}"
        );
        assert_eq!(body["service_plan_id"], "${azurerm_service_plan.node.id}");
    }
}

#[test]
fn adding_an_app_moves_no_subnet() {
    let (before, _) = synth(ISOLATED, "  users: {type: crud-api, entity: User}\n");
    let (after, _) = synth(ISOLATED, FULL);
    for (name, prefix) in prefixes(&before) {
        assert_eq!(
            resource(&after, "azurerm_subnet", &name)["address_prefixes"][0],
            prefix.as_str(),
            "{name} moved"
        );
    }
}

#[test]
fn java_and_powershell_apps_need_a_23() {
    let java = "  jobs:\n    type: function-app\n    runtime: java\n    functions:\n      tick: {trigger: timer, schedule: \"0 0 * * * *\"}\n";
    let report = fails_with(
        "networking: {mode: isolated, address_space: 10.0.0.0/24}\nfunctions: {plan: EP1}\n",
        java,
        "baas::network::address_space_too_small",
    );
    assert!(
        report.contains("the `java` function app's subnet is the fifth /26"),
        "{report}"
    );
    assert!(
        report.contains("use a /23 or larger, e.g. `10.0.0.0/23`"),
        "{report}"
    );
    let (stack, _) = synth(
        "networking: {mode: isolated, address_space: 10.0.0.0/23}\nfunctions: {plan: EP1}\n",
        java,
    );
    assert_eq!(
        prefixes(&stack),
        [
            ("functions-java".to_owned(), "10.0.1.0/26".to_owned()),
            ("private-endpoints".to_owned(), "10.0.0.0/26".to_owned()),
        ]
    );
}

#[test]
fn service_endpoints_replace_private_endpoints_when_asked() {
    let (stack, manifest) = synth(
        "networking: {mode: isolated, address_space: 10.0.0.0/16, private_endpoints: false}\nfunctions: {plan: EP1, plan_per_runtime: true}\n",
        FULL,
    );
    assert_eq!(
        resource_names(&stack, "azurerm_private_endpoint"),
        Vec::<String>::new()
    );
    assert_eq!(
        resource_names(&stack, "azurerm_private_dns_zone"),
        Vec::<String>::new()
    );
    assert_eq!(
        resource_names(&stack, "azurerm_subnet"),
        ["functions-node", "functions-python"],
        "no private endpoint subnet"
    );
    let subnets = json!([
        "${azurerm_subnet.functions-node.id}",
        "${azurerm_subnet.functions-python.id}"
    ]);
    for name in ["functions-node", "functions-python"] {
        assert_eq!(
            resource(&stack, "azurerm_subnet", name)["service_endpoints"],
            json!([
                "Microsoft.AzureCosmosDB",
                "Microsoft.Storage",
                "Microsoft.ServiceBus"
            ])
        );
    }
    let cosmos = resource(&stack, "azurerm_cosmosdb_account", "shared");
    assert_eq!(cosmos["is_virtual_network_filter_enabled"], true);
    assert_eq!(
        cosmos["virtual_network_rule"],
        json!([{ "id": subnets[0] }, { "id": subnets[1] }])
    );
    let storage = resource(&stack, "azurerm_storage_account", "functions");
    assert_eq!(storage["network_rules"]["default_action"], "Deny");
    assert_eq!(
        storage["network_rules"]["virtual_network_subnet_ids"],
        subnets
    );
    let bus = resource(&stack, "azurerm_servicebus_namespace", "shared");
    assert_eq!(bus["network_rule_set"]["default_action"], "Deny");
    assert_eq!(
        bus["network_rule_set"]["network_rules"][1]["subnet_id"],
        subnets[1]
    );
    assert_eq!(
        manifest["networks"]["shared"]["data_access"],
        "service-endpoints"
    );
}

#[test]
fn public_mode_provisions_no_network() {
    let (stack, manifest) = synth("functions: {plan: Y1}\n", FULL);
    assert_eq!(
        resource_names(&stack, "azurerm_virtual_network"),
        Vec::<String>::new()
    );
    assert_eq!(
        resource_names(&stack, "azurerm_private_endpoint"),
        Vec::<String>::new()
    );
    assert!(stack["provider"]["azurerm"]["features"]
        .get("storage")
        .is_none());
    assert!(manifest.get("networks").is_none());
    let app = resource(&stack, "azurerm_linux_function_app", "node");
    assert!(app.get("virtual_network_subnet_id").is_none());
}

#[test]
fn public_mode_warns_about_isolated_settings() {
    let workspace = Workspace::with_backend(&backend(
        "networking: {address_space: 10.0.0.0/16, private_endpoints: false}\nfunctions: {plan: Y1}\n",
        "  users: {type: crud-api, entity: User}\n",
    ));
    let synth = workspace.synth_ok("out");
    assert_eq!(
        synth.codes(),
        [
            "baas::network::unused_setting",
            "baas::network::unused_setting"
        ]
    );
    assert_eq!(
        resource_names(&workspace.stack("out"), "azurerm_virtual_network"),
        Vec::<String>::new()
    );
}

#[test]
fn a_namespace_that_only_triggers_create_needs_a_premium_component() {
    let report = fails_with(
        ISOLATED,
        "  worker:\n    type: function-app\n    runtime: node\n    functions:\n      on-job: {trigger: queue, queue: jobs}\n",
        "baas::network::servicebus_sku",
    );
    assert!(
        report.contains("uses the namespace (Standard by default)"),
        "{report}"
    );
    assert!(
        report.contains("add a component that raises the namespace to Premium"),
        "{report}"
    );
}

#[test]
fn a_plan_raised_by_a_component_is_enough() {
    // The default Y1 of the shared node app is raised to EP1 by one of its components.
    let workspace = Workspace::with_backend(&backend(
        "networking: {mode: isolated, address_space: 10.0.0.0/16}\n",
        "  users: {type: crud-api, entity: User}\n  jobs:\n    type: function-app\n    runtime: node\n    plan: EP1\n    functions:\n      tick: {trigger: timer, schedule: \"0 0 * * * *\"}\n",
    ));
    let synth = workspace.synth_ok("out");
    assert_eq!(synth.codes(), ["baas::merge::plan"]);
    let stack = workspace.stack("out");
    assert_eq!(
        resource(&stack, "azurerm_service_plan", "node")["sku_name"],
        "EP1"
    );
}

/// The landing zone's spoke (named per region) and its subnets, for an EP1 node app and a
/// python worker on a plan of its own.
const LANDING_ZONE: &str = "networking:
  mode: isolated
  existing:
    virtual_network: {name: \"vnet-spoke-shop-{{region}}\", resource_group: \"rg-network-{{region}}\"}
    subnets: {private-endpoints: snet-pe, functions-node: \"snet-func-node-{{stack}}\", functions-python: \"snet-func-python-{{stack}}\"}
";
const HUB_DNS: &str = "  private_dns: {resource_group: rg-hub-dns}\n";
const APPS: &str = "  users: {type: crud-api, entity: User}
  worker: {type: function-app, runtime: python, plan: S1, functions: {tick: {trigger: timer, schedule: '0 */5 * * * *'}}}
";

/// What baas creates of a network it carves, and never of a landing zone's.
const NETWORK_TYPES: &[&str] = &[
    "azurerm_virtual_network",
    "azurerm_subnet",
    "azurerm_network_security_group",
    "azurerm_network_security_rule",
    "azurerm_subnet_network_security_group_association",
    "azurerm_private_dns_zone",
    "azurerm_private_dns_zone_virtual_network_link",
];

fn creates_no_network(stack: &Value, what: &str) {
    for resource_type in NETWORK_TYPES {
        assert!(
            stack["resource"].get(*resource_type).is_none(),
            "{what} creates {resource_type}"
        );
    }
}

/// The existing network and subnets are data sources with no tags; the private endpoints, the
/// apps and the zone groups point at them and at the hub's zones; nothing of the network is
/// created. The snapshot pins the data sources and what refers to them.
#[test]
fn an_existing_network_and_central_zones_are_read_never_created() {
    let top = format!("{LANDING_ZONE}{HUB_DNS}functions: {{plan: EP1}}\n");
    let (stack, manifest) = synth(&top, APPS);
    creates_no_network(&stack, "main");
    let data = &stack["data"];
    assert_eq!(
        data["azurerm_virtual_network"]["shared"],
        json!({ "name": "vnet-spoke-shop-eus", "resource_group_name": "rg-network-eus" })
    );
    assert!(
        !data.to_string().contains("\"tags\""),
        "tags on a data source"
    );
    for (subnet, name) in [
        ("private-endpoints", "snet-pe"),
        ("functions-node", "snet-func-node-main"),
        ("functions-python", "snet-func-python-main"),
    ] {
        assert_eq!(
            data["azurerm_subnet"][subnet],
            json!({
                "name": name,
                "virtual_network_name": "${data.azurerm_virtual_network.shared.name}",
                "resource_group_name": "${data.azurerm_virtual_network.shared.resource_group_name}",
            }),
            "{subnet}"
        );
    }
    for app in ["node", "python"] {
        assert_eq!(
            resource(&stack, "azurerm_linux_function_app", app)["virtual_network_subnet_id"],
            format!("${{data.azurerm_subnet.functions-{app}.id}}")
        );
    }
    for (endpoint, zone) in [
        ("cosmos-shared", "cosmos-sql"),
        ("storage-functions-blob", "storage-blob"),
    ] {
        let body = resource(&stack, "azurerm_private_endpoint", endpoint);
        assert_eq!(
            body["subnet_id"],
            "${data.azurerm_subnet.private-endpoints.id}"
        );
        assert_eq!(
            body["private_dns_zone_group"]["private_dns_zone_ids"],
            json!([format!("${{data.azurerm_private_dns_zone.{zone}.id}}")])
        );
        assert_eq!(
            data["azurerm_private_dns_zone"][zone]["resource_group_name"],
            "rg-hub-dns"
        );
    }
    let network = &manifest["networks"]["shared"];
    assert_eq!(network["address"], "data.azurerm_virtual_network.shared");
    assert_eq!(network["existing"], true);
    assert_eq!(network["subnets"]["functions-node"], "snet-func-node-main");
    assert_eq!(
        network["private_dns_zones"],
        json!({ "existing": true, "resource_group": "rg-hub-dns" })
    );
    let endpoints = stack["resource"]["azurerm_private_endpoint"].clone();
    let apps: serde_json::Map<String, Value> = ["node", "python"]
        .iter()
        .map(|app| {
            let body = resource(&stack, "azurerm_linux_function_app", app);
            (
                (*app).to_owned(),
                json!({
                    "virtual_network_subnet_id": body["virtual_network_subnet_id"],
                    "vnet_route_all_enabled": body["site_config"]["vnet_route_all_enabled"],
                }),
            )
        })
        .collect();
    insta::assert_snapshot!(
        "landing-zone-network",
        serde_json::to_string_pretty(
            &json!({ "data": data, "private_endpoints": endpoints, "apps": apps })
        )
        .unwrap()
    );
}

/// Every region reads its own spoke, rendered from `{{region}}`, with subnets named per stack;
/// the global stack has no network.
#[test]
fn each_region_reads_the_spoke_its_templates_name() {
    let top = format!(
        "{LANDING_ZONE}{HUB_DNS}functions: {{plan: EP1}}\n\
         deployment: {{strategy: multi-region, regions: [eastus, westus2]}}\n"
    );
    let workspace = Workspace::with_backend(&backend(&top, APPS));
    workspace.synth_ok("out");
    let tree = workspace.tree("out");
    let stack = |name: &str| -> Value {
        serde_json::from_slice(&tree[&format!("{name}/main.tf.json")]).unwrap()
    };
    for (region, short) in [("eastus", "eus"), ("westus2", "wus2")] {
        let stack = stack(region);
        creates_no_network(&stack, region);
        assert_eq!(
            stack["data"]["azurerm_virtual_network"]["shared"],
            json!({ "name": format!("vnet-spoke-shop-{short}"), "resource_group_name": format!("rg-network-{short}") })
        );
        assert_eq!(
            stack["data"]["azurerm_subnet"]["functions-node"]["name"],
            format!("snet-func-node-{region}")
        );
        // westus2 reaches the shared account through a private endpoint of its own.
        assert_eq!(
            resource(&stack, "azurerm_private_endpoint", "cosmos-shared")["subnet_id"],
            "${data.azurerm_subnet.private-endpoints.id}"
        );
    }
    let global = stack("global");
    assert!(global["data"].get("azurerm_virtual_network").is_none());
    assert!(global["data"].get("azurerm_subnet").is_none());
}

/// Zones in a hub subscription are named by id: the stack's provider reads only its own
/// subscription, and a zone group needs only the id.
#[test]
fn central_zones_in_another_subscription_are_named_by_id() {
    let top = format!(
        "{LANDING_ZONE}  private_dns: {{resource_group: rg-hub-dns, subscription_id: 11111111-2222-3333-4444-555555555555}}\n\
         functions: {{plan: EP1}}\n"
    );
    let (stack, manifest) = synth(&top, APPS);
    assert!(stack["data"].get("azurerm_private_dns_zone").is_none());
    creates_no_network(&stack, "main");
    assert_eq!(
        resource(&stack, "azurerm_private_endpoint", "cosmos-shared")["private_dns_zone_group"]
            ["private_dns_zone_ids"],
        json!(["/subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg-hub-dns/providers/Microsoft.Network/privateDnsZones/privatelink.documents.azure.com"])
    );
    assert_eq!(
        manifest["networks"]["shared"]["private_dns_zones"]["subscription_id"],
        "11111111-2222-3333-4444-555555555555"
    );
}

/// Without `private_dns` the stack keeps zones of its own, linked to the existing network.
#[test]
fn an_existing_network_can_keep_zones_of_the_stack_s_own() {
    let top = format!("{LANDING_ZONE}functions: {{plan: EP1}}\n");
    let (stack, _) = synth(&top, APPS);
    assert_eq!(
        resource(
            &stack,
            "azurerm_private_dns_zone_virtual_network_link",
            "cosmos-sql"
        )["virtual_network_id"],
        "${data.azurerm_virtual_network.shared.id}"
    );
    assert_eq!(
        resource(&stack, "azurerm_private_endpoint", "cosmos-shared")["private_dns_zone_group"]
            ["private_dns_zone_ids"],
        json!(["${azurerm_private_dns_zone.cosmos-sql.id}"])
    );
    assert!(stack["resource"].get("azurerm_subnet").is_none());
    assert!(stack["resource"]
        .get("azurerm_network_security_group")
        .is_none());
}

/// With service endpoints the data services admit the landing zone's integration subnets, and
/// a postcondition stops `terraform plan` on a subnet without the service endpoints they need.
#[test]
fn existing_integration_subnets_must_have_the_service_endpoints() {
    // No private endpoints, so no `private-endpoints` subnet (naming one warns: nothing joins it).
    let landing_zone = LANDING_ZONE.replace("private-endpoints: snet-pe, ", "");
    let top = format!("{landing_zone}  private_endpoints: false\nfunctions: {{plan: EP1}}\n");
    let (stack, _) = synth(&top, APPS);
    assert!(stack["data"]["azurerm_subnet"]
        .get("private-endpoints")
        .is_none());
    let subnet = &stack["data"]["azurerm_subnet"]["functions-python"];
    let condition = &subnet["lifecycle"]["postcondition"][0];
    assert_eq!(
        condition["condition"],
        "${length(setsubtract([\"Microsoft.AzureCosmosDB\", \"Microsoft.Storage\"], self.service_endpoints)) == 0}"
    );
    assert!(condition["error_message"]
        .as_str()
        .unwrap()
        .starts_with("Subnet snet-func-python-main (networking.existing.subnets.functions-python) needs the service endpoints Microsoft.AzureCosmosDB, Microsoft.Storage"));
    assert_eq!(
        resource(&stack, "azurerm_cosmosdb_account", "shared")["virtual_network_rule"],
        json!([{ "id": "${data.azurerm_subnet.functions-node.id}" }, { "id": "${data.azurerm_subnet.functions-python.id}" }])
    );
}

/// `dev` creates its own network, `prod` (the base) uses the landing zone's.
#[test]
fn an_environment_switches_between_a_created_and_an_existing_network() {
    let yaml = backend(
        &format!(
            "{LANDING_ZONE}{HUB_DNS}functions: {{plan: EP1}}\n\
             environments:\n  dev:\n    environment: dev\n    \
             networking: {{existing: false, private_dns: false, address_space: 10.1.0.0/16}}\n"
        ),
        APPS,
    );
    let workspace = Workspace::with_backend(&yaml);
    workspace.synth_ok("prod");
    let prod = workspace.stack("prod");
    creates_no_network(&prod, "prod");
    workspace
        .baas(&["synth", "backend.yaml", "--env", "dev", "-o", "dev"])
        .expect_exit(0);
    let dev = workspace.stack("dev");
    assert!(dev
        .get("data")
        .is_none_or(|d| d.get("azurerm_subnet").is_none()));
    assert_eq!(
        resource(&dev, "azurerm_virtual_network", "shared")["address_space"],
        json!(["10.1.0.0/16"])
    );
    assert_eq!(
        resource(&dev, "azurerm_linux_function_app", "node")["virtual_network_subnet_id"],
        "${azurerm_subnet.functions-node.id}"
    );
    assert_eq!(
        resource(&dev, "azurerm_private_endpoint", "cosmos-shared")["private_dns_zone_group"]
            ["private_dns_zone_ids"],
        json!(["${azurerm_private_dns_zone.cosmos-sql.id}"])
    );
}
