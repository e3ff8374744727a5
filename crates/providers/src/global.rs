//! The `global` stack of multi-region, blue-green and disaster-recovery deployments: a Traffic
//! Manager profile per function app that serves HTTP, with an endpoint per regional (or color)
//! stack. Endpoints read each app's host name through a data source by its deterministic
//! name, so the global stack never hard-codes ids and applies after the others.
//!
//! Azure weights are 1-1000: a color that should get no traffic is disabled, never weight 0.

use crate::codes;
use crate::context::{Context, Provisioned, StackInfo};
use crate::naming::ResourceKind;
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::{kinds, AppRequirement};
use baas_model::{
    AuthLevel, Color, HealthProbe, HttpMethod, RequirementConfig, Routing, Strategy, Trigger,
};
use baas_terraform::Address;
use serde_json::{json, Value};

/// How one endpoint takes part in routing.
struct Endpoint {
    weight: Option<u32>,
    priority: Option<u32>,
    enabled: bool,
}

fn routing_and_probe(strategy: &Strategy) -> Option<(Routing, &HealthProbe)> {
    match strategy {
        Strategy::Single => None,
        Strategy::MultiRegion { routing, probe, .. } => Some((routing.value, probe)),
        Strategy::BlueGreen { probe, .. } => Some((Routing::Weighted, probe)),
        Strategy::DisasterRecovery { probe, .. } => Some((Routing::Priority, probe)),
    }
}

fn endpoint(strategy: &Strategy, index: usize, stack: &StackInfo) -> Endpoint {
    let position = u32::try_from(index + 1).unwrap_or(u32::MAX);
    match strategy {
        Strategy::MultiRegion { routing, .. } => match routing.value {
            Routing::Performance => Endpoint {
                weight: None,
                priority: None,
                enabled: true,
            },
            Routing::Priority => Endpoint {
                weight: None,
                priority: Some(position),
                enabled: true,
            },
            Routing::Weighted => Endpoint {
                weight: Some(1),
                priority: None,
                enabled: true,
            },
        },
        Strategy::BlueGreen {
            active, weights, ..
        } => {
            let color = stack.color.unwrap_or(Color::Blue);
            let weight = match weights {
                Some(weights) => weights[color as usize].value,
                None if color == active.value => 1000,
                None => 0,
            };
            Endpoint {
                weight: Some(weight.max(1)),
                priority: None,
                enabled: weight > 0,
            }
        }
        Strategy::DisasterRecovery { .. } | Strategy::Single => Endpoint {
            weight: None,
            priority: Some(position),
            enabled: true,
        },
    }
}

fn serves_http(app: &AppRequirement) -> bool {
    app.functions
        .iter()
        .any(|f| matches!(f.trigger, Trigger::Http { .. }))
}

/// Problems of the topology itself.
pub fn validate(context: &Context<'_>) -> Vec<Diagnostic> {
    let mut found = unserved_probe_path(context);
    found.extend(stateful_colors(context));
    found
}

/// Traffic Manager expects a 2xx answer without a key from every app behind it: a probe path
/// that no anonymous `GET` function serves marks every endpoint degraded, and then Traffic
/// Manager routes to all of them, so failover never happens.
fn unserved_probe_path(context: &Context<'_>) -> Vec<Diagnostic> {
    let Some((_, probe)) = routing_and_probe(&context.backend.deployment.strategy) else {
        return Vec::new();
    };
    let path = probe.path.value.split('?').next().unwrap_or_default();
    // Function routes live under the host's `api` prefix.
    let wanted = path.strip_prefix("/api/").map(baas_model::route_key);
    let span = if probe.path.span.is_empty() {
        context.backend.deployment.span
    } else {
        probe.path.span
    };
    let mut found = Vec::new();
    for merged in context.all(kinds::FUNCTION_APP) {
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            continue;
        };
        if !serves_http(app) {
            continue;
        }
        let served = app.functions.iter().any(|f| match &f.trigger {
            Trigger::Http {
                route,
                methods,
                auth_level,
            } => {
                *auth_level == AuthLevel::Anonymous
                    && methods.contains(&HttpMethod::Get)
                    && wanted.as_deref() == Some(baas_model::route_key(&route.value).as_str())
            }
            _ => false,
        });
        if !served {
            found.push(
                Diagnostic::error(
                    &codes::PROBE_PATH,
                    format!(
                        "Traffic Manager probes `{}`, which no anonymous `GET` function of the `{}` app serves",
                        probe.path.value, merged.key
                    ),
                )
                .at(span)
                .label("probe path")
                .help("leave `health_probe.path` out to probe `/api/health`, the health function baas generates, or name an anonymous `GET` function's route (routes start with `/api/`)"),
            );
        }
    }
    found
}

/// Each blue-green color owns its own data.
fn stateful_colors(context: &Context<'_>) -> Vec<Diagnostic> {
    let (code, each, consequence, label, help) = match &context.backend.deployment.strategy {
        Strategy::BlueGreen { .. } => (
            &codes::STATEFUL_COLORS,
            "each color",
            "data does not follow a switch-over",
            "blue-green",
            "migrate data when switching colors, or keep stateful services in a separate backend",
        ),
        Strategy::MultiRegion { .. } => (
            &codes::REGIONAL_DATA,
            "each region",
            "what is written in one region is not seen in the others, and Traffic Manager decides which one a user reaches",
            "multi-region",
            "intended for data kept per region (residency); otherwise keep the data in one backend that every region's code reaches — a shared geo-replicated account is not generated yet",
        ),
        _ => return Vec::new(),
    };
    let colors = matches!(
        context.backend.deployment.strategy,
        Strategy::BlueGreen { .. }
    );
    let stateful: Vec<&str> = [
        kinds::COSMOS_ACCOUNT,
        kinds::SERVICEBUS_NAMESPACE,
        kinds::STATIC_SITE,
    ]
    .iter()
    // A static site's storage holds rebuildable files: only a color switch-over cares.
    .filter(|kind| colors || **kind != kinds::STATIC_SITE)
    .filter(|kind| context.all(kind).next().is_some())
    .map(|kind| match *kind {
        kinds::COSMOS_ACCOUNT => "Cosmos DB account",
        kinds::SERVICEBUS_NAMESPACE => "Service Bus namespace",
        _ => "static site storage",
    })
    .collect();
    let Some((last, rest)) = stateful.split_last() else {
        return Vec::new();
    };
    // "its own Cosmos DB account", "its own Cosmos DB account and Service Bus namespace".
    let services = if rest.is_empty() {
        (*last).to_owned()
    } else {
        format!("{} and {last}", rest.join(", "))
    };
    vec![Diagnostic::warning(
        code,
        format!("{each} gets its own {services}: {consequence}"),
    )
    .at(context.backend.deployment.span)
    .label(label)
    .help(help)]
}

/// The Traffic Manager profiles and endpoints of the global stack; `context` is the global
/// stack's, `regional` the stacks behind it, in priority order.
pub fn provision(
    context: &Context<'_>,
    regional: &[StackInfo],
) -> Result<Provisioned, Vec<Diagnostic>> {
    let mut out = Provisioned::default();
    let mut errors = Vec::new();
    // Under `isolation: account` each tenant's stacks get their own profiles.
    let mut tenants: Vec<Option<&str>> = regional.iter().map(|s| s.tenant.as_deref()).collect();
    tenants.dedup();
    for tenant in tenants {
        let stacks: Vec<StackInfo> = regional
            .iter()
            .filter(|s| s.tenant.as_deref() == tenant)
            .cloned()
            .collect();
        provision_profiles(context, &stacks, tenant, &mut out, &mut errors);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn provision_profiles(
    context: &Context<'_>,
    regional: &[StackInfo],
    tenant: Option<&str>,
    out: &mut Provisioned,
    errors: &mut Vec<Diagnostic>,
) {
    let strategy = &context.backend.deployment.strategy;
    let Some((routing, probe)) = routing_and_probe(strategy) else {
        return;
    };
    let span = context.backend.deployment.span;
    for merged in context.all(kinds::FUNCTION_APP) {
        let profile_key = match tenant {
            Some(tenant) => format!("{}-{tenant}", merged.key),
            None => merged.key.clone(),
        };
        let profile = crate::facts::refs::traffic_manager_profile(&merged.key, tenant);
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            continue;
        };
        if !serves_http(app) {
            continue;
        }
        let name = match context.name(ResourceKind::TrafficManagerProfile, &profile_key, span) {
            Ok(name) => name,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        out.block(
            profile.clone(),
            json!({
                "name": name,
                "resource_group_name": context.resource_group_name(),
                "traffic_routing_method": routing.as_str(),
                "dns_config": { "relative_name": name, "ttl": probe.ttl_seconds },
                "monitor_config": {
                    "protocol": probe.protocol.as_str(),
                    "port": probe.port,
                    "path": probe.path.value,
                    "interval_in_seconds": probe.interval_seconds,
                    "timeout_in_seconds": probe.timeout_seconds,
                    "tolerated_number_of_failures": probe.tolerated_failures,
                    "expected_status_code_ranges": ["200-299"],
                },
            }),
            &merged.sources,
        );
        let mut endpoints = Vec::new();
        for (index, stack) in regional.iter().enumerate() {
            let regional_context = context.with_stack(stack.clone());
            let names = regional_context
                .name(ResourceKind::FunctionApp, &merged.key, span)
                .and_then(|app| Ok((app, regional_context.resource_group_azure_name()?)));
            let (app_name, group) = match names {
                Ok(names) => names,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let label = format!("{}-{}", merged.key, stack.name);
            let app = Address::data("azurerm_linux_function_app", &label);
            out.block(
                app.clone(),
                json!({ "name": app_name, "resource_group_name": group }),
                &merged.sources,
            );
            let plan = endpoint(strategy, index, stack);
            let mut body = json!({
                "name": stack.name,
                "profile_id": profile.id(),
                "target": app.attr("default_hostname"),
                "endpoint_location": stack.region.name,
                "enabled": plan.enabled,
            });
            if let Some(weight) = plan.weight {
                body["weight"] = json!(weight);
            }
            if let Some(priority) = plan.priority {
                body["priority"] = json!(priority);
            }
            endpoints.push(json!({ "stack": stack.name, "weight": plan.weight, "priority": plan.priority, "enabled": plan.enabled }));
            out.block(
                Address::resource("azurerm_traffic_manager_external_endpoint", &label),
                body,
                &merged.sources,
            );
        }
        out.output(
            &format!("traffic_manager_{profile_key}_fqdn"),
            profile.attr("fqdn"),
            "Traffic Manager host name of the app",
        );
        out.manifest_entry(context, "traffic_managers", &profile_key, || json!({ "address": profile.to_string(), "name": name, "routing": routing.as_str(), "endpoints": Value::Array(endpoints) }));
    }
}
