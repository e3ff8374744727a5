//! Availability tests (`monitoring.availability`): an Application Insights standard web test
//! per app that serves HTTP, calling its health endpoint over HTTPS from [`LOCATIONS`], and,
//! with `monitoring.alerts`, a metric alert when [`FAILED_LOCATIONS`] of them fail.

use crate::context::{Context, Provisioned};
use crate::facts::{health, refs};
use crate::naming::ResourceKind;
use baas_model::requirement::kinds;
use baas_model::{Alerts, RequirementConfig};
use baas_terraform::Address;
use serde_json::json;

/// Where the tests run from (Azure's test location ids): East US, West US, North Europe, West
/// Europe, Southeast Asia. Microsoft recommends at least five locations, so that one
/// location's network trouble is not an outage.
pub const LOCATIONS: [&str; 5] = [
    "us-va-ash-azr",
    "us-ca-sjc-azr",
    "emea-gb-db3-azr",
    "emea-nl-ams-azr",
    "apac-sg-dal-azr",
];

/// The alert fires when this many locations fail at once: Microsoft's recommendation of the
/// number of locations minus two, which ignores one or two locations' own trouble.
pub const FAILED_LOCATIONS: u32 = 3;

/// Seconds between runs from each location (azurerm takes 300, 600 or 900).
const FREQUENCY_SECONDS: u32 = 300;

/// The web tests (and with `alerts` their rules) of the stack of `context`.
pub fn provision(context: &Context<'_>, alerts: Option<&Alerts>, out: &mut Provisioned) {
    let insights = refs::insights();
    for app in context.all(kinds::FUNCTION_APP) {
        let RequirementConfig::FunctionApp(spec) = &app.config else {
            continue;
        };
        if !health::serves(spec) {
            continue;
        }
        let address = refs::function_app(context, &app.key);
        // The app's name as a value, as the global stack's data sources name it: a web test
        // is named in its resource group, so each stack's carries its own app's name. A name
        // that cannot fit is the functions provider's error already: not reported twice.
        let Ok(app_name) = context.name(ResourceKind::FunctionApp, &app.key, app.span()) else {
            continue;
        };
        let url = format!(
            "https://{}{}",
            address.attr("default_hostname"),
            health::PATH
        );
        let description = format!(
            "GET {} every {} seconds from {} locations",
            health::PATH,
            FREQUENCY_SECONDS,
            LOCATIONS.len()
        );
        let test = web_test(
            WebTest {
                label: &app.key,
                name: format!("{app_name}-health"),
                group: context.resource_group_name(),
                location: context.location().to_owned(),
                insights: insights.id(),
                url,
                description,
            },
            &app.sources,
            out,
        );
        let Some(alerts) = alerts else { continue };
        let description = format!(
            "Function app {} failed its availability test ({}) from {FAILED_LOCATIONS} of {} locations at once. Open the test's results in Application Insights: a failure everywhere is the app or its plan (restart it, check the last deployment), a certificate failure means its TLS certificate expires within 7 days.",
            address.attr("name"), health::PATH, LOCATIONS.len()
        );
        availability_rule(
            AvailabilityRule {
                label: format!("app-{}-availability", app.key),
                name: format!("{}-availability", address.attr("name")),
                group: context.resource_group_name(),
                test: &test,
                insights: insights.id(),
                action_group: super::alerts::action_group().id(),
                severity: alerts.severity.value,
                description,
            },
            &app.sources,
            out,
        );
    }
}

/// The deployment's global endpoint: with `deployment.custom_domain`, the global stack tests
/// `https://<custom domain>/api/health` through Traffic Manager, once per profile (the global
/// stack's `api_<profile>_url` outputs, written where the domain is bound). The global stack has
/// no Application Insights or action group: the test and its rule use the first stack's, read
/// by name, and run in that component's region, as a web test must.
pub fn provision_global(
    context: &Context<'_>,
    regional: &[crate::context::StackInfo],
    global: &Provisioned,
    alerts: Option<&Alerts>,
    out: &mut Provisioned,
) -> Result<(), baas_model::Diagnostic> {
    // Each tenant's profiles are watched with that tenant's own first stack's component and
    // action group, so one tenant's outage never pages another's receivers.
    let mut tenants: Vec<Option<&str>> = regional.iter().map(|s| s.tenant.as_deref()).collect();
    tenants.dedup();
    for tenant in tenants {
        let Some(first) = regional.iter().find(|s| s.tenant.as_deref() == tenant) else {
            continue;
        };
        let urls: Vec<(String, &str)> = context
            .all(kinds::FUNCTION_APP)
            .filter_map(|app| {
                let profile = refs::traffic_manager_profile(&app.key, tenant).name;
                let (url, _) = global.outputs.get(&format!("api_{profile}_url"))?;
                Some((profile, url.as_str()))
            })
            .collect();
        if !urls.is_empty() {
            tenant_tests(context, first, &urls, alerts, out)?;
        }
    }
    Ok(())
}

/// The global tests of one tenant's (or the backend's) profiles.
fn tenant_tests(
    context: &Context<'_>,
    first: &crate::context::StackInfo,
    urls: &[(String, &str)],
    alerts: Option<&Alerts>,
    out: &mut Provisioned,
) -> Result<(), baas_model::Diagnostic> {
    let span = context.backend.monitoring.span;
    let first_context = context.with_stack(first.clone());
    let group = first_context.resource_group_azure_name()?;
    let insights = Address::data("azurerm_application_insights", &first.name);
    let insights_name = first_context.name(ResourceKind::ApplicationInsights, "", span)?;
    out.block(
        insights.clone(),
        json!({ "name": insights_name, "resource_group_name": group }),
        &[],
    );
    let action_group = match alerts {
        Some(alerts) => {
            let address = Address::data("azurerm_monitor_action_group", &first.name);
            let name = first_context.name(ResourceKind::ActionGroup, "", alerts.span)?;
            out.block(
                address.clone(),
                json!({ "name": name, "resource_group_name": group }),
                &[],
            );
            Some(address)
        }
        None => None,
    };
    for (profile, url) in urls {
        let url = *url;
        let label = format!("{profile}-global");
        let description = format!(
            "GET {} on the global endpoint every {} seconds from {} locations",
            health::PATH,
            FREQUENCY_SECONDS,
            LOCATIONS.len()
        );
        let test = web_test(
            WebTest {
                label: &label,
                name: format!("{insights_name}-{profile}-global-health"),
                group: context.resource_group_name(),
                location: first.region.name.to_owned(),
                insights: insights.id(),
                url: format!("{url}{}", health::PATH),
                description,
            },
            &[],
            out,
        );
        let (Some(alerts), Some(action_group)) = (alerts, &action_group) else {
            continue;
        };
        let description = format!(
            "The global endpoint {url} failed its availability test ({}) from {FAILED_LOCATIONS} of {} locations at once. If the regional apps' own tests pass, look at Traffic Manager (every endpoint degraded?), the custom domain's DNS records and its certificate bindings.",
            health::PATH, LOCATIONS.len()
        );
        availability_rule(
            AvailabilityRule {
                label: format!("{label}-availability"),
                name: format!("{profile}-global-availability"),
                group: context.resource_group_name(),
                test: &test,
                insights: insights.id(),
                action_group: action_group.id(),
                severity: alerts.severity.value,
                description,
            },
            &[],
            out,
        );
    }
    Ok(())
}

/// One standard web test of the health endpoint at `url`.
struct WebTest<'a> {
    label: &'a str,
    name: String,
    group: String,
    location: String,
    insights: String,
    url: String,
    description: String,
}

/// Writes the web test and its manifest entry; returns its address.
fn web_test(test: WebTest<'_>, sources: &[baas_model::Source], out: &mut Provisioned) -> Address {
    let address = Address::resource("azurerm_application_insights_standard_web_test", test.label);
    out.block(
        address.clone(),
        json!({
            "name": test.name,
            "resource_group_name": test.group,
            "location": test.location,
            "application_insights_id": test.insights,
            "description": test.description,
            "enabled": true,
            "frequency": FREQUENCY_SECONDS,
            "timeout": 30,
            "retry_enabled": true,
            "geo_locations": LOCATIONS,
            "request": { "url": test.url, "http_verb": "GET", "follow_redirects_enabled": false },
            "validation_rules": { "expected_status_code": 200, "ssl_check_enabled": true, "ssl_cert_remaining_lifetime": 7 },
        }),
        sources,
    );
    out.stack_manifest_entry(
        "availability_tests",
        test.label,
        json!({ "address": address.to_string(), "url": test.url, "locations": LOCATIONS.len() }),
    );
    address
}

/// A metric alert on a web test's failed locations.
struct AvailabilityRule<'a> {
    label: String,
    name: String,
    group: String,
    test: &'a Address,
    insights: String,
    action_group: String,
    severity: u8,
    description: String,
}

/// Writes the rule and its manifest entry.
fn availability_rule(
    rule: AvailabilityRule<'_>,
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) {
    let address = Address::resource("azurerm_monitor_metric_alert", &rule.label);
    out.block(
        address.clone(),
        json!({
            "name": rule.name,
            "resource_group_name": rule.group,
            "scopes": [rule.test.id(), rule.insights],
            "description": rule.description,
            "severity": rule.severity,
            "frequency": "PT1M",
            "window_size": "PT5M",
            "application_insights_web_test_location_availability_criteria": {
                "web_test_id": rule.test.id(),
                "component_id": rule.insights,
                "failed_location_count": FAILED_LOCATIONS,
            },
            "action": [{ "action_group_id": rule.action_group }],
        }),
        sources,
    );
    out.stack_manifest_entry(
        "alerts",
        &rule.label,
        json!({ "address": address.to_string(), "metric": "availability", "condition": format!("failed locations >= {FAILED_LOCATIONS} of {}", LOCATIONS.len()), "window": "PT5M" }),
    );
}
