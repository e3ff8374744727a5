//! A static site's `api`: the function apps that serve HTTP behind the site's own Front Door,
//! under `/api/`, so the page and the API share one host name and the browser needs no CORS.
//!
//! Front Door sends each request to any healthy origin of a group, and two apps (runtimes)
//! serve different routes, so each app gets an origin group and a route of its own: the first
//! app in key order takes `/api/*`, every further one `/api/<segment>` and `/api/<segment>/*`
//! for the first segment of each of its routes, which Front Door prefers as more specific.
//! Those segments must be literal and belong to one app (else `baas::static_site::api`).
//!
//! - `azurerm_cdn_frontdoor_origin_group.<site>_api` (further apps: `<site>_api_<app>`) probes
//!   the generated health function (`GET /api/health` over HTTPS, anonymous even under
//!   `auth`) every 100 s, the interval of the site's own origin group (the provider takes
//!   1-255 s: `cdn_frontdoor_origin_group_resource.go:115-119`, v4.55.0). Front Door has no
//!   probe timeout to set.
//! - One `azurerm_cdn_frontdoor_origin` per app, or under a topology one per app and backend
//!   stack (every region's or color's copy, read through the same data source Traffic Manager
//!   reads, `facts::refs::regional_function_app`), with the weight, priority and enabled state
//!   Traffic Manager gives the same stack (`facts::routing::share`). Front Door takes
//!   priorities 1-5 and weights 1-1000 (`cdn_frontdoor_origin_resource.go:102-106`, `147-151`):
//!   a sixth region under `routing: Priority` and later ones share priority 5. Weighted routing
//!   widens the latency range to Front Door's 1000 ms, so that the weights, not the latency,
//!   share traffic. Each origin sends the app's own host name as `Host` (`origin_host_header`:
//!   App Service answers only for host names bound to the app) and checks the app's
//!   certificate for it.
//! - `azurerm_cdn_frontdoor_route.<site>_api` (further apps: `<site>_api_<app>`): HTTP
//!   redirected to HTTPS, HTTPS to the apps, no `cache` block (API responses are never cached),
//!   no rule set (the site's SPA rewrite and CORS rules stay on its own route); the custom
//!   domain, when the site has one.
//! - With `waf: true`: `azurerm_cdn_frontdoor_firewall_policy.<site>` (Prevention mode,
//!   Microsoft's default rule set 2.1 and bot manager rule set 1.1, and a rate limit rule on
//!   `/api/` per client IP) and `azurerm_cdn_frontdoor_security_policy.<site>` associating it
//!   with the endpoint and the custom domain. Managed rule sets need the Premium tier (the
//!   provider refuses them on Standard: `cdn_frontdoor_firewall_policy_resource.go:570-573`),
//!   so the site's profile becomes `Premium_AzureFrontDoor`; a security policy's association
//!   takes the pattern `/*` only (`cdn_frontdoor_security_policy_resource.go:111-123`), so
//!   the managed rules cover the whole domain and the rate limit matches `/api/` itself.

use crate::codes;
use crate::context::{Context, Merged, Provisioned};
use crate::facts::{health, refs, routing, stacks};
use crate::naming::ResourceKind;
use crate::StackRole;
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::{kinds, AppRequirement, FunctionOrigin};
use baas_model::{
    ComponentKind, RequirementConfig, Routing, SiteApi, Source, Spanned, StaticSite, Trigger,
};
use baas_terraform::Address;
use serde_json::{json, Value};

/// The route's path pattern.
pub const PATTERN: &str = "/api/*";
/// Seconds between health probes, as for the site's own origin group.
const HEALTH_PROBE_INTERVAL: u32 = 100;
/// Front Door's widest latency sensitivity: every healthy origin shares traffic by weight.
const WEIGHTED_LATENCY_MS: u32 = 1000;
/// Front Door's default latency sensitivity: the fastest origins share traffic.
const DEFAULT_LATENCY_MS: u32 = 50;
/// Front Door's highest origin priority number.
const MAX_PRIORITY: u32 = 5;
/// The WAF's rate limit is a 32-bit integer in the API; the provider checks no range.
pub const MAX_RATE_LIMIT: i64 = i32::MAX as i64;
/// A request to the API, whether the WAF's `RequestUri` holds the path or the whole URL.
const API_URI_REGEX: &str = "^(https?://[^/]+)?/api/";

/// The addresses of a site's API resources. The first routed app (by runtime name) takes
/// `<site>_api` and the catch-all `/api/*`, each further app `<site>_api_<app>`: a backend
/// with one app keeps its addresses when a second app that sorts after it comes (one that
/// sorts first takes them over, as the first app's App Service plan does). Component keys hold
/// no `_`, so these are no other site's addresses.
pub struct ApiAddresses {
    pub firewall_policy: Address,
    pub security_policy: Address,
    key: String,
}

/// One app's origin group and route.
struct AppRoute {
    origin_group: Address,
    route: Address,
    /// The Azure names of the origin group and route: `api`, `api-<app>`.
    name: String,
}

impl ApiAddresses {
    pub fn new(key: &str) -> ApiAddresses {
        ApiAddresses {
            firewall_policy: Address::resource("azurerm_cdn_frontdoor_firewall_policy", key),
            security_policy: Address::resource("azurerm_cdn_frontdoor_security_policy", key),
            key: key.to_owned(),
        }
    }

    fn app_route(&self, app: &str, first: bool) -> AppRoute {
        let (label, name) = if first {
            (format!("{}_api", self.key), "api".to_owned())
        } else {
            (format!("{}_api_{app}", self.key), format!("api-{app}"))
        };
        AppRoute {
            origin_group: Address::resource("azurerm_cdn_frontdoor_origin_group", &label),
            route: Address::resource("azurerm_cdn_frontdoor_route", &label),
            name,
        }
    }

    fn origin(&self, app: &str, stack: Option<&str>) -> Address {
        let name = match stack {
            Some(stack) => format!("{}_api_{app}_{stack}", self.key),
            None => format!("{}_api_{app}", self.key),
        };
        Address::resource("azurerm_cdn_frontdoor_origin", &name)
    }
}

/// Whether the component serves HTTP itself: a CRUD API, or a function app with an `http`
/// function.
fn component_serves_http(kind: &ComponentKind) -> bool {
    match kind {
        ComponentKind::CrudApi(_) => true,
        ComponentKind::FunctionApp(app) => app
            .functions
            .values()
            .any(|f| matches!(f.trigger, Trigger::Http { .. })),
        _ => false,
    }
}

/// Several tenants under `isolation: account`: each has its own apps, and the site is shared.
fn several_tenant_backends(context: &Context<'_>) -> bool {
    context
        .backend
        .tenancy
        .as_ref()
        .is_some_and(|t| t.isolation.value == baas_model::Isolation::Account && t.tenants.len() > 1)
}

fn http_apps<'c>(context: &'c Context<'_>) -> impl Iterator<Item = &'c Merged> {
    context
        .all(kinds::FUNCTION_APP)
        .filter(|m| matches!(&m.config, RequirementConfig::FunctionApp(app) if health::serves(app)))
}

/// The function apps `/api/*` reaches (under a topology, each one's copy in every backend
/// stack), in merged order; empty without `api`, or where it cannot be routed ([`validate`]
/// says why). Front Door sends each request to any healthy origin of a group, and two apps
/// serve different routes, so each app has its own origin group and route: the first takes
/// `/api/*`, every further one the first segments of its routes ([`route_prefixes`]), which
/// Front Door prefers as the more specific patterns.
pub fn routed_apps<'c>(site: &StaticSite, context: &'c Context<'_>) -> Vec<&'c Merged> {
    let apps = candidate_apps(site, context);
    if prefix_problems(&apps).is_empty() {
        apps
    } else {
        Vec::new()
    }
}

/// The first segments of an app's HTTP routes (the health function aside), lowercased, in
/// order; `Err` with the first route that starts with a parameter or wildcard, which no path
/// prefix can route.
fn route_prefixes(app: &AppRequirement) -> Result<Vec<String>, &Spanned<String>> {
    let mut prefixes: Vec<String> = Vec::new();
    for function in &app.functions {
        let Trigger::Http { route, .. } = &function.trigger else {
            continue;
        };
        if function.origin == FunctionOrigin::Health {
            continue;
        }
        let first = first_segment(&route.value);
        if first.is_empty() || first.contains(['{', '*']) {
            return Err(route);
        }
        if !prefixes.contains(&first) {
            prefixes.push(first);
        }
    }
    Ok(prefixes)
}

/// A route's first segment, lowercased: the Functions router compares routes
/// case-insensitively (`baas_model::route_key`), so `Users` and `users` are one segment.
fn first_segment(route: &str) -> String {
    route
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// Why the apps after the first cannot be routed by their routes' first segments: a route
/// that starts with a parameter, or a first segment that another app's routes start with too
/// (Front Door would send that app's requests to this one).
fn prefix_problems(apps: &[&Merged]) -> Vec<Diagnostic> {
    let mut found = Vec::new();
    if apps.len() < 2 {
        return found;
    }
    // Every app's first segments with the route that brought each.
    let mut owners: Vec<(String, &str, &Spanned<String>)> = Vec::new();
    for app in apps {
        let RequirementConfig::FunctionApp(config) = &app.config else {
            continue;
        };
        for function in &config.functions {
            let Trigger::Http { route, .. } = &function.trigger else {
                continue;
            };
            if function.origin == FunctionOrigin::Health {
                continue;
            }
            owners.push((first_segment(&route.value), app.key.as_str(), route));
        }
    }
    for app in &apps[1..] {
        let RequirementConfig::FunctionApp(config) = &app.config else {
            continue;
        };
        match route_prefixes(config) {
            Err(route) => found.push(error(
                route.span,
                format!(
                    "`api` routes the `{}` app by the first segment of its routes, and `{}` starts with a parameter",
                    app.key, route.value
                ),
                "no path prefix",
                format!(
                    "start the route with a literal segment, or list in `api` only the components of one app (the first, `{}`, takes every path under `/api/` the others do not)",
                    apps[0].key
                ),
            )),
            Ok(prefixes) => {
                for prefix in prefixes {
                    let Some((_, other, other_route)) = owners
                        .iter()
                        .find(|(first, owner, _)| *first == prefix && *owner != app.key)
                    else {
                        continue;
                    };
                    let Some((_, _, route)) = owners
                        .iter()
                        .find(|(first, owner, _)| *first == prefix && *owner == app.key)
                    else {
                        continue;
                    };
                    found.push(
                        error(
                            route.span,
                            format!(
                                "`api` routes `/api/{prefix}/*` to one app, and routes of both the `{other}` and the `{}` app start with `{prefix}`",
                                app.key
                            ),
                            "shared first segment",
                            "give the functions of each app routes of their own first segment, or list in `api` only the components of one app".to_owned(),
                        )
                        .related(other_route.span, format!("on the `{other}` app")),
                    );
                }
            }
        }
    }
    found
}

/// The apps `api` asks for, in merged order.
fn candidate_apps<'c>(site: &StaticSite, context: &'c Context<'_>) -> Vec<&'c Merged> {
    let Some(api) = &site.api else {
        return Vec::new();
    };
    if several_tenant_backends(context) {
        return Vec::new();
    }
    match &api.components {
        None => http_apps(context).collect(),
        Some(listed) => http_apps(context)
            .filter(|m| {
                listed.iter().any(|key| {
                    context
                        .backend
                        .components
                        .get(&key.value)
                        .is_some_and(|c| component_serves_http(&c.kind))
                        && m.sources.iter().any(|s| s.component == key.value)
                })
            })
            .collect(),
    }
}

fn error(span: baas_model::Span, message: String, label: &str, help: String) -> Diagnostic {
    Diagnostic::error(&codes::STATIC_SITE_API, message)
        .at(span)
        .label(label.to_owned())
        .help(help)
}

/// `api`'s components, tenancy and WAF settings.
pub fn validate(site: &StaticSite, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(api) = &site.api else {
        return;
    };
    let serving: Vec<String> = context
        .backend
        .components
        .iter()
        .filter(|(_, c)| component_serves_http(&c.kind))
        .map(|(key, _)| format!("`{key}`"))
        .collect();
    let candidates = if serving.is_empty() {
        "the backend has none: add a `crud-api`, or an `http` function to a `function-app`"
            .to_owned()
    } else {
        format!("components that serve HTTP: {}", serving.join(", "))
    };
    match &api.components {
        Some(listed) => {
            for key in listed {
                match context.backend.components.get(&key.value) {
                    None => out.push(error(
                        key.span,
                        format!(
                            "`api` names `{}`, which is no component of the backend",
                            key.value
                        ),
                        "unknown component",
                        format!("list `crud-api` or `function-app` components; {candidates}"),
                    )),
                    Some(component) if !component_serves_http(&component.kind) => {
                        out.push(error(
                            key.span,
                            format!("`api` names `{}`, which serves no HTTP", key.value),
                            "no HTTP functions",
                            format!("Front Door can route `/api/*` only to apps that answer HTTP; {candidates}"),
                        ));
                    }
                    Some(_) => {}
                }
            }
            if listed.is_empty() {
                out.push(error(
                    api.span,
                    "`api` lists no component".to_owned(),
                    "nothing to route",
                    format!("list the components whose apps `/api/*` reaches, or write `api: true`; {candidates}"),
                ));
            }
        }
        None if http_apps(context).next().is_none() => out.push(error(
            api.span,
            "`api` routes `/api/*` to the function apps that serve HTTP, and the backend has none"
                .to_owned(),
            "no function app",
            "add a `crud-api` (or an `http` function to a `function-app`), or remove `api`"
                .to_owned(),
        )),
        None => {}
    }
    out.extend(prefix_problems(&candidate_apps(site, context)));
    if several_tenant_backends(context) {
        out.push(error(
            api.span,
            "under `isolation: account` every tenant has its own apps, but the site is one for all tenants: Front Door cannot tell which tenant's apps a request is for".to_owned(),
            "which tenant?",
            "remove `api` and call each tenant's API on its own host name (Traffic Manager's, or `deployment.custom_domain`'s `<tenant>.` name), or use `isolation: database` or `partition`".to_owned(),
        ));
    }
    rate_limit(api, out);
}

fn rate_limit(api: &SiteApi, out: &mut Vec<Diagnostic>) {
    let Some(limit) = &api.rate_limit else {
        return;
    };
    if !api.waf() {
        let mut found = error(
            limit.span,
            "`rate_limit` needs `waf: true`: the WAF policy enforces it".to_owned(),
            "no WAF",
            "add `waf: true` to `api` (Front Door Premium), or remove `rate_limit`".to_owned(),
        );
        if let Some(waf) = &api.waf {
            found = found.related(waf.span, "WAF off");
        }
        out.push(found);
    } else if !(1..=MAX_RATE_LIMIT).contains(&limit.value) {
        out.push(error(
            limit.span,
            format!(
                "`rate_limit: {}` is outside 1..={MAX_RATE_LIMIT} requests per minute",
                limit.value
            ),
            "out of range",
            format!(
                "give the requests one client IP may send to `/api/*` in a minute; the default is {}",
                SiteApi::DEFAULT_RATE_LIMIT
            ),
        ));
    }
}

/// The profile's tier: Premium only for the WAF's managed rule sets.
pub fn profile_sku(site: &StaticSite) -> &'static str {
    if site.api.as_ref().is_some_and(SiteApi::waf) {
        "Premium_AzureFrontDoor"
    } else {
        "Standard_AzureFrontDoor"
    }
}

/// What [`provision`] points at in the site's own resources.
pub struct SiteFrontDoor<'a> {
    pub key: &'a str,
    pub profile: &'a Address,
    pub endpoint: &'a Address,
    /// The site's custom domain, when it has a valid one.
    pub custom_domain: Option<&'a Address>,
    pub sources: &'a [Source],
}

/// The origin groups, origins and routes of `/api/*` (and the WAF), when the site routes its
/// API; returns the API routes, which the custom domain association must list too.
pub fn provision(
    site: &StaticSite,
    front_door: &SiteFrontDoor<'_>,
    context: &Context<'_>,
    out: &mut Provisioned,
) -> Result<Vec<Address>, Vec<Diagnostic>> {
    let apps = routed_apps(site, context);
    let Some(api) = site.api.as_ref().filter(|_| !apps.is_empty()) else {
        return Ok(Vec::new());
    };
    let addresses = ApiAddresses::new(front_door.key);
    let mut errors = Vec::new();
    let mut routes = Vec::new();
    let mut entries = Vec::new();
    for (position, app) in apps.iter().enumerate() {
        let patterns: Vec<String> = if position == 0 {
            vec![PATTERN.to_owned()]
        } else {
            let RequirementConfig::FunctionApp(config) = &app.config else {
                continue;
            };
            route_prefixes(config)
                .unwrap_or_default()
                .iter()
                .flat_map(|p| [format!("/api/{p}"), format!("/api/{p}/*")])
                .collect()
        };
        let names = addresses.app_route(&app.key, position == 0);
        match app_route(app, &names, &patterns, &addresses, front_door, context, out) {
            Ok(entry) => entries.push(entry),
            Err(found) => errors.extend(found),
        }
        routes.push(names.route);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if api.waf() {
        out.blocks
            .extend(firewall(api, front_door, &addresses, context)?);
    }
    out.manifest_entry(context, "static_site_apis", front_door.key, || {
        json!({
            "routes": entries,
            "health_probe": health::PATH,
            "waf": api.waf(),
            "rate_limit_per_minute": api.waf().then(|| api.rate_limit()),
        })
    });
    Ok(routes)
}

/// One app's origin group, its origins (one per backend stack in the `global` stack) and its
/// route; returns its manifest entry.
#[allow(clippy::too_many_arguments)]
fn app_route(
    app: &Merged,
    names: &AppRoute,
    patterns: &[String],
    addresses: &ApiAddresses,
    front_door: &SiteFrontDoor<'_>,
    context: &Context<'_>,
    out: &mut Provisioned,
) -> Result<Value, Vec<Diagnostic>> {
    let sources = front_door.sources;
    let strategy = &context.backend.deployment.strategy;
    let latency = if routing::routing(strategy) == Some(Routing::Weighted) {
        WEIGHTED_LATENCY_MS
    } else {
        DEFAULT_LATENCY_MS
    };
    out.block(
        names.origin_group.clone(),
        json!({
            "name": names.name,
            "cdn_frontdoor_profile_id": front_door.profile.id(),
            "session_affinity_enabled": false,
            "health_probe": {
                "interval_in_seconds": HEALTH_PROBE_INTERVAL,
                "path": health::PATH,
                "protocol": "Https",
                "request_type": "GET",
            },
            "load_balancing": {
                "sample_size": 4,
                "successful_samples_required": 3,
                "additional_latency_in_milliseconds": latency,
            },
        }),
        sources,
    );
    let mut errors = Vec::new();
    let mut origins: Vec<Value> = Vec::new();
    let mut origin_ids = Vec::new();
    if context.stack.role != StackRole::Global {
        // The site and the app are in one stack.
        let host = refs::function_app(context, &app.key).attr("default_hostname");
        let share = routing::Share {
            weight: None,
            priority: None,
            enabled: true,
        };
        let origin = addresses.origin(&app.key, None);
        out.block(
            origin.clone(),
            origin_body(&names.origin_group, &app.key, host, share),
            sources,
        );
        origins.push(
            json!({ "stack": context.stack.name, "weight": 1000, "priority": 1, "enabled": true }),
        );
        origin_ids.push(origin.id());
    } else {
        for (index, stack) in stacks::backend_stacks(context.backend).iter().enumerate() {
            let (read, body) =
                match refs::regional_function_app(context, &app.key, stack, app.span()) {
                    Ok(found) => found,
                    Err(error) => {
                        errors.push(error);
                        continue;
                    }
                };
            out.block(read.clone(), body, sources);
            let share = routing::share(strategy, index, stack);
            let origin = addresses.origin(&app.key, Some(&stack.name));
            let mut body = origin_body(
                &names.origin_group,
                &app.key,
                read.attr("default_hostname"),
                share,
            );
            body["name"] = json!(format!("{}-{}", app.key, stack.name));
            out.block(origin.clone(), body.clone(), sources);
            origins.push(json!({ "stack": stack.name, "weight": body["weight"], "priority": body["priority"], "enabled": share.enabled }));
            origin_ids.push(origin.id());
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut route = json!({
        "name": names.name,
        "cdn_frontdoor_endpoint_id": front_door.endpoint.id(),
        "cdn_frontdoor_origin_group_id": names.origin_group.id(),
        "cdn_frontdoor_origin_ids": origin_ids,
        "enabled": true,
        "patterns_to_match": patterns,
        "supported_protocols": ["Http", "Https"],
        "https_redirect_enabled": true,
        "forwarding_protocol": "HttpsOnly",
        "link_to_default_domain": true,
    });
    if let Some(domain) = front_door.custom_domain {
        route["cdn_frontdoor_custom_domain_ids"] = json!([domain.id()]);
    }
    out.block(names.route.clone(), route, sources);
    Ok(json!({
        "app": app.key,
        "route": names.route.to_string(),
        "patterns": patterns,
        "origin_group": names.origin_group.to_string(),
        "origins": origins,
    }))
}

fn origin_body(group: &Address, app: &str, host: String, share: routing::Share) -> Value {
    json!({
        "name": app,
        "cdn_frontdoor_origin_group_id": group.id(),
        "enabled": share.enabled,
        "host_name": host,
        // App Service answers only for host names bound to the app.
        "origin_host_header": host,
        "certificate_name_check_enabled": true,
        "http_port": 80,
        "https_port": 443,
        "priority": share.priority.unwrap_or(1).min(MAX_PRIORITY),
        "weight": share.weight.unwrap_or(1000),
    })
}

/// The WAF policy and the security policy that puts it in front of the site's domains.
fn firewall(
    api: &SiteApi,
    front_door: &SiteFrontDoor<'_>,
    addresses: &ApiAddresses,
    context: &Context<'_>,
) -> Result<Vec<crate::context::Block>, Vec<Diagnostic>> {
    let span = api.waf.as_ref().map_or(api.span, |w| w.span);
    let name = context
        .name(ResourceKind::FrontDoorFirewallPolicy, front_door.key, span)
        .map_err(|e| vec![e])?;
    let mut out = Provisioned::default();
    out.block(
        addresses.firewall_policy.clone(),
        json!({
            "name": name,
            "resource_group_name": context.resource_group_name(),
            "sku_name": "Premium_AzureFrontDoor",
            "enabled": true,
            "mode": "Prevention",
            "request_body_check_enabled": true,
            "custom_rule": [{
                "name": "ApiRateLimit",
                "enabled": true,
                "priority": 1,
                "type": "RateLimitRule",
                "rate_limit_duration_in_minutes": 1,
                "rate_limit_threshold": api.rate_limit(),
                "action": "Block",
                "match_condition": [{
                    "match_variable": "RequestUri",
                    "operator": "RegEx",
                    "match_values": [API_URI_REGEX],
                    "transforms": ["Lowercase"],
                }],
            }],
            "managed_rule": [
                { "type": "Microsoft_DefaultRuleSet", "version": "2.1", "action": "Block" },
                { "type": "Microsoft_BotManagerRuleSet", "version": "1.1", "action": "Block" },
            ],
        }),
        front_door.sources,
    );
    let mut domains = vec![json!({ "cdn_frontdoor_domain_id": front_door.endpoint.id() })];
    if let Some(domain) = front_door.custom_domain {
        domains.push(json!({ "cdn_frontdoor_domain_id": domain.id() }));
    }
    out.block(
        addresses.security_policy.clone(),
        json!({
            "name": "waf",
            "cdn_frontdoor_profile_id": front_door.profile.id(),
            "security_policies": {
                "firewall": {
                    "cdn_frontdoor_firewall_policy_id": addresses.firewall_policy.id(),
                    "association": {
                        "domain": domains,
                        "patterns_to_match": ["/*"],
                    },
                },
            },
        }),
        front_door.sources,
    );
    Ok(out.blocks)
}
