//! The `global` stack of multi-region, blue-green and disaster-recovery deployments: a Traffic
//! Manager profile per function app that serves HTTP, with an endpoint per regional (or color)
//! stack. Endpoints read each app's host name through a data source by its deterministic
//! name, so the global stack never hard-codes ids and applies after the others.
//!
//! Azure weights are 1-1000: a color that should get no traffic is disabled, never weight 0.
//!
//! With `deployment.custom_domain` the stack also holds the API's host name: a CNAME to each
//! profile, one `asuid` TXT record, and on every app behind the profile a host name binding, an
//! App Service managed certificate and its SNI binding (see `domain_records`, `bind_host_name`).
//! Without one, a warning says that the Traffic Manager name alone does not reach the apps.
//! (Static sites in this stack are the static site provider's: it places them here.)

use crate::codes;
use crate::context::{Claimed, Context, Provisioned, StackInfo};
use crate::naming::ResourceKind;
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::{kinds, AppRequirement};
use baas_model::{
    AuthLevel, HealthProbe, HttpMethod, RequirementConfig, Routing, Strategy, Trigger,
};
use baas_terraform::Address;
use serde_json::{json, Value};

fn routing_and_probe(strategy: &Strategy) -> Option<(Routing, &HealthProbe)> {
    let routing = crate::facts::routing::routing(strategy)?;
    match strategy {
        Strategy::MultiRegion { probe, .. }
        | Strategy::BlueGreen { probe, .. }
        | Strategy::DisasterRecovery { probe, .. } => Some((routing, probe)),
        Strategy::Single => None,
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
    found.extend(custom_domain_problems(context));
    found
}

/// The apps Traffic Manager fronts: those that serve HTTP, in merged order.
fn fronted_apps<'c>(context: &'c Context<'_>) -> Vec<&'c crate::context::Merged> {
    context
        .all(kinds::FUNCTION_APP)
        .filter(|m| matches!(&m.config, RequirementConfig::FunctionApp(app) if serves_http(app)))
        .collect()
}

/// `deployment.custom_domain`, checked: the host name, its zone, the record name inside it.
struct ApiDomain {
    host: String,
    zone: String,
    /// The labels before the zone (`api`, `api.eu`); never the apex.
    relative: String,
    resource_group: Option<String>,
    span: baas_model::Span,
}

impl ApiDomain {
    /// Under `isolation: account` each tenant's profile gets its own host name, the tenant id
    /// in front: `acme.api.example.com`.
    fn of_tenant(&self, tenant: Option<&str>) -> (String, String) {
        match tenant {
            Some(tenant) => (
                format!("{tenant}.{}", self.host),
                format!("{tenant}.{}", self.relative),
            ),
            None => (self.host.clone(), self.relative.clone()),
        }
    }
}

/// App Service managed certificates take host names of up to 64 characters.
const MAX_MANAGED_CERTIFICATE_HOST: usize = 64;

/// The custom domain when it is usable, else `None` (validate says why).
fn api_domain(context: &Context<'_>) -> Option<ApiDomain> {
    custom_domain_checked(context).ok()
}

fn custom_domain_problems(context: &Context<'_>) -> Vec<Diagnostic> {
    match custom_domain_checked(context) {
        Ok(_) => Vec::new(),
        Err(found) => found,
    }
}

fn custom_domain_checked(context: &Context<'_>) -> Result<ApiDomain, Vec<Diagnostic>> {
    use crate::facts::dns::{dns_name_problem, relative_name, resource_group_problem};
    let deployment = &context.backend.deployment;
    let fronted = fronted_apps(context);
    let Some(domain) = &deployment.custom_domain else {
        if routing_and_probe(&deployment.strategy).is_none() || fronted.is_empty() {
            return Err(Vec::new());
        }
        // A static site that routes `/api` already gives the apps one host name (its Front
        // Door sends each app its own host name): only Traffic Manager's is unreachable.
        let site_api = context
            .backend
            .components
            .iter()
            .find(|(_, c)| matches!(&c.kind, baas_model::ComponentKind::StaticSite(site) if site.api.is_some()))
            .map(|(key, _)| key);
        let help = match site_api {
            Some(key) => format!("the `{key}` static site's Front Door already serves the apps under one host name (the `static_site_{key}_api_url` output); to reach them through Traffic Manager too, set `custom_domain` (and `dns_zone`) in `deployment`"),
            None => "set `custom_domain` (and `dns_zone`) in `deployment` to bind one host name on every app behind Traffic Manager, or call each app on its own host name (the `function_app_<app>_hostname` outputs)".to_owned(),
        };
        return Err(vec![Diagnostic::warning(
            &codes::NO_CUSTOM_DOMAIN,
            "the Traffic Manager host name alone does not reach the apps: App Service answers 404 for a host name it has no binding for",
        )
        .at(deployment.span)
        .label("no custom domain")
        .help(help)]);
    };
    let error = |span, message: String, label: &str, help: String| {
        Diagnostic::error(&codes::CUSTOM_DOMAIN, message)
            .at(span)
            .label(label.to_owned())
            .help(help)
    };
    let host = &domain.host;
    let mut found = Vec::new();
    for (name, key) in [
        (Some(host), "custom_domain"),
        (domain.zone.as_ref(), "dns_zone"),
    ] {
        let Some(name) = name else { continue };
        if let Some((problem, help)) = dns_name_problem(&name.value) {
            found.push(error(
                name.span,
                format!("`{key}: {}` {problem}", name.value),
                "not a DNS name baas can use",
                help,
            ));
        }
    }
    let Some(zone) = &domain.zone else {
        let parent = host
            .value
            .split_once('.')
            .map_or("example.com", |(_, parent)| parent);
        found.push(error(
            host.span,
            "`custom_domain` needs `dns_zone`, the Azure DNS zone that holds it".to_owned(),
            "no zone for this domain",
            format!("add `dns_zone: {parent}` (the zone must already exist in Azure DNS)"),
        ));
        return Err(found);
    };
    if let Some(rg) = &domain.zone_resource_group {
        if let Some(problem) = resource_group_problem(&rg.value) {
            found.push(error(
                rg.span,
                format!("`dns_zone_resource_group: {}` {problem}", rg.value),
                "not a resource group name",
                "use 1-90 letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with `.`"
                    .to_owned(),
            ));
        }
    }
    if !found.is_empty() {
        return Err(found);
    }
    let relative = match relative_name(&host.value, &zone.value) {
        None => {
            return Err(vec![error(
                host.span,
                format!("`{}` is not inside the DNS zone `{}`", host.value, zone.value),
                "outside the zone",
                format!("use a name under `{}` (e.g. `api.{}`), or set `dns_zone` to the zone that holds `{}`", zone.value, zone.value, host.value),
            )
            .related(zone.span, "the zone")]);
        }
        Some(relative) if relative == "@" => {
            return Err(vec![error(
                host.span,
                format!("`{}` is the zone apex, which cannot hold the CNAME to Traffic Manager that App Service's managed certificate needs", host.value),
                "zone apex",
                format!("use a subdomain such as `api.{}`", zone.value),
            )]);
        }
        Some(relative) => relative,
    };
    // The longest host name: a tenant's, with its id in front.
    let longest = context
        .backend
        .tenancy
        .as_ref()
        .filter(|t| t.isolation.value == baas_model::Isolation::Account)
        .and_then(|t| t.tenants.iter().map(|t| t.id.value.len() + 1).max())
        .unwrap_or(0)
        + host.value.len();
    if longest > MAX_MANAGED_CERTIFICATE_HOST {
        found.push(error(
            host.span,
            format!("`{}` makes host names of {longest} characters; App Service managed certificates take at most {MAX_MANAGED_CERTIFICATE_HOST}", host.value),
            "too long",
            "use a shorter host name (under `isolation: account` each tenant's is `<tenant id>.<custom_domain>`)".to_owned(),
        ));
    }
    match fronted.as_slice() {
        [] => found.push(error(
            host.span,
            "`custom_domain` is set, but no app serves HTTP behind Traffic Manager".to_owned(),
            "nothing to reach",
            "remove `custom_domain`, or add a component that serves HTTP (a `crud-api`, an `http` function)".to_owned(),
        )),
        [_] => {}
        several => {
            let names: Vec<String> = several.iter().map(|m| format!("`{}`", m.key)).collect();
            found.push(error(
                host.span,
                format!("one custom domain reaches one Traffic Manager profile, but {} apps serve HTTP ({})", several.len(), names.join(", ")),
                "which app?",
                "put the components that serve HTTP on one runtime (one app), or leave `custom_domain` out and call each app on its own host name".to_owned(),
            ));
        }
    }
    if !found.is_empty() {
        return Err(found);
    }
    Ok(ApiDomain {
        host: host.value.clone(),
        zone: zone.value.clone(),
        relative,
        resource_group: domain
            .zone_resource_group
            .as_ref()
            .map(|rg| rg.value.clone()),
        span: host.span,
    })
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

/// Each blue-green color owns its own data; each region of a multi-region deployment its own
/// Service Bus namespace, and its own Cosmos DB account too under `data: regional`.
fn stateful_colors(context: &Context<'_>) -> Vec<Diagnostic> {
    let deployment = &context.backend.deployment;
    let shared_cosmos = deployment
        .shared_data_regions(context.backend.location.value)
        .is_some();
    let (code, each, consequence, label, help, span) = match &deployment.strategy {
        Strategy::BlueGreen { .. } => (
            &codes::STATEFUL_COLORS,
            "each color",
            "data does not follow a switch-over",
            "blue-green",
            "migrate data when switching colors, or keep stateful services in a separate backend",
            deployment.span,
        ),
        Strategy::MultiRegion { data, .. } if shared_cosmos => (
            &codes::REGIONAL_DATA,
            "each region",
            "a message is received in the region it was sent in (the Cosmos DB account is shared: `data: global`)",
            "multi-region",
            "intended when each region's work stays in that region; Service Bus geo-replication (Premium) is not generated",
            if data.span.is_empty() { deployment.span } else { data.span },
        ),
        Strategy::MultiRegion { data, .. } => (
            &codes::REGIONAL_DATA,
            "each region",
            "what is written in one region is not seen in the others, and Traffic Manager decides which one a user reaches",
            "data: regional",
            "intended for data kept per region (residency); leave `data` out (or write `data: global`) to share one geo-replicated Cosmos DB account",
            data.span,
        ),
        _ => return Vec::new(),
    };
    // A static site is not among them: it exists once, in the global stack.
    let stateful: Vec<&str> = [kinds::COSMOS_ACCOUNT, kinds::SERVICEBUS_NAMESPACE]
        .iter()
        .filter(|kind| !(shared_cosmos && **kind == kinds::COSMOS_ACCOUNT))
        .filter(|kind| context.all(kind).next().is_some())
        .map(|kind| match *kind {
            kinds::COSMOS_ACCOUNT => "Cosmos DB account",
            _ => "Service Bus namespace",
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
    .at(span)
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
    let domain = api_domain(context);
    if let Some(domain) = &domain {
        let mut zone = json!({ "name": domain.zone });
        if let Some(rg) = &domain.resource_group {
            zone["resource_group_name"] = json!(rg);
        }
        let sources: Vec<baas_model::Source> = fronted_apps(context)
            .iter()
            .flat_map(|m| m.sources.iter().cloned())
            .take(1)
            .collect();
        out.block(zone_address(), zone, &sources);
    }
    // Under `isolation: account` each tenant's stacks get their own profiles.
    let mut tenants: Vec<Option<&str>> = regional.iter().map(|s| s.tenant.as_deref()).collect();
    tenants.dedup();
    for tenant in tenants {
        let stacks: Vec<StackInfo> = regional
            .iter()
            .filter(|s| s.tenant.as_deref() == tenant)
            .cloned()
            .collect();
        provision_profiles(
            context,
            &stacks,
            tenant,
            domain.as_ref(),
            &mut out,
            &mut errors,
        );
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The zone of the API's custom domain, read once per deployment. Component keys cannot hold
/// `_`, so no static site's zone (addressed by its key) takes this address.
fn zone_address() -> Address {
    Address::data("azurerm_dns_zone", "api_domain")
}

/// The TTL of the API domain's records.
const DNS_TTL: u32 = 3600;

fn provision_profiles(
    context: &Context<'_>,
    regional: &[StackInfo],
    tenant: Option<&str>,
    domain: Option<&ApiDomain>,
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
        let records = domain.map(|domain| {
            domain_records(
                domain,
                tenant,
                &profile_key,
                &profile,
                regional,
                &merged.key,
                &merged.sources,
                out,
            )
        });
        let mut endpoints = Vec::new();
        for (index, stack) in regional.iter().enumerate() {
            let (app, read) = match crate::facts::refs::regional_function_app(
                context,
                &merged.key,
                stack,
                span,
            ) {
                Ok(found) => found,
                Err(error) => {
                    errors.push(error);
                    continue;
                }
            };
            let label = format!("{}-{}", merged.key, stack.name);
            out.block(app.clone(), read, &merged.sources);
            let plan = crate::facts::routing::share(strategy, index, stack);
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
            if let Some(records) = &records {
                bind_host_name(records, &app, &label, &merged.sources, out);
            }
        }
        out.output(
            &format!("traffic_manager_{profile_key}_fqdn"),
            profile.attr("fqdn"),
            "Traffic Manager host name of the app",
        );
        let custom_domain = records.as_ref().map(|r| r.host.clone());
        if let Some(host) = &custom_domain {
            out.output(
                &format!("api_{profile_key}_url"),
                format!("https://{host}"),
                "The API on its custom domain, through Traffic Manager",
            );
        }
        out.manifest_entry(context, "traffic_managers", &profile_key, || json!({ "address": profile.to_string(), "name": name, "routing": routing.as_str(), "endpoints": Value::Array(endpoints), "custom_domain": custom_domain }));
    }
}

/// A profile's custom domain records, for the bindings on its apps.
struct DomainRecords {
    host: String,
    /// The TXT and CNAME records every binding waits for.
    records: [Address; 2],
}

/// The CNAME from the custom domain to the profile and the `asuid` TXT record that proves to
/// App Service that the domain is ours. One TXT record serves every app: its value, the
/// custom domain verification id, is the subscription's, the same on every app (read from the
/// first stack's). Both live in the global stack, once: a TXT record in every regional stack
/// would be the same record set created several times.
#[allow(clippy::too_many_arguments)]
fn domain_records(
    domain: &ApiDomain,
    tenant: Option<&str>,
    profile_key: &str,
    profile: &Address,
    regional: &[StackInfo],
    app_key: &str,
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) -> DomainRecords {
    let (host, relative) = domain.of_tenant(tenant);
    let zone = zone_address();
    let label = format!("{profile_key}_domain");
    let cname = Address::resource("azurerm_dns_cname_record", &label);
    out.block(
        cname.clone(),
        json!({
            "name": relative,
            "zone_name": zone.attr("name"),
            "resource_group_name": zone.attr("resource_group_name"),
            "ttl": DNS_TTL,
            "record": profile.attr("fqdn"),
        }),
        sources,
    );
    let txt = Address::resource("azurerm_dns_txt_record", &label);
    let first_app = regional.first().map(|stack| {
        Address::data(
            "azurerm_linux_function_app",
            &format!("{app_key}-{}", stack.name),
        )
    });
    if let Some(first_app) = first_app {
        out.block(
            txt.clone(),
            json!({
                "name": format!("asuid.{relative}"),
                "zone_name": zone.attr("name"),
                "resource_group_name": zone.attr("resource_group_name"),
                "ttl": DNS_TTL,
                "record": [{ "value": first_app.attr("custom_domain_verification_id") }],
            }),
            sources,
        );
    }
    let record = |name: String, record_type| Claimed::DnsRecord {
        zone: domain.zone.clone(),
        name,
        record_type,
    };
    out.claim(Claimed::CustomDomain(host.clone()), domain.span);
    out.claim(record(relative.clone(), "CNAME"), domain.span);
    out.claim(record(format!("asuid.{relative}"), "TXT"), domain.span);
    DomainRecords {
        host,
        records: [txt, cname],
    }
}

/// On one app behind the profile: the host name binding (after the TXT and CNAME records:
/// App Service checks `asuid` when binding, and the managed certificate is issued only once
/// the CNAME resolves to Traffic Manager), the App Service managed certificate, and the SNI
/// binding of the certificate to the host name. The app is read by name through its data
/// source, so these live in the global stack, which is applied after the app's.
fn bind_host_name(
    records: &DomainRecords,
    app: &Address,
    label: &str,
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) {
    let binding = Address::resource("azurerm_app_service_custom_hostname_binding", label);
    out.block(
        binding.clone(),
        json!({
            "hostname": records.host,
            "app_service_name": app.attr("name"),
            "resource_group_name": app.attr("resource_group_name"),
            "depends_on": records.records.iter().map(Address::to_string).collect::<Vec<_>>(),
        }),
        sources,
    );
    let certificate = Address::resource("azurerm_app_service_managed_certificate", label);
    out.block(
        certificate.clone(),
        json!({ "custom_hostname_binding_id": binding.id() }),
        sources,
    );
    out.block(
        Address::resource("azurerm_app_service_certificate_binding", label),
        json!({
            "hostname_binding_id": binding.id(),
            "certificate_id": certificate.id(),
            "ssl_state": "SniEnabled",
        }),
        sources,
    );
}
