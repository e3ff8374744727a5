//! Who may call a function app from a browser: CORS (`site_config.cors`) and sign-in with
//! Microsoft Entra ID (`auth_settings_v2`). Both are settings of the one app per runtime, so
//! the components that share it combine here:
//!
//! - `cors`: the origins of every component add up; `credentials` is on when any component asks
//!   for it, and then no origin may be `*` (browsers refuse a wildcard with credentials, and App
//!   Service refuses to save it). The static sites of the backend are allowed: their custom
//!   domain, and their Front Door endpoint (`facts::refs::static_site_origin`) when the site is
//!   in the app's stack — a site in the `global` stack without a custom domain gets a warning
//!   (`baas::functions::cors_site_elsewhere`), unless it serves the API itself under `/api/*`
//!   (`api`), so that its pages call their own origin.
//! - `auth`: each component brings its own `auth` or the backend's; those that bring one must
//!   bring the same settings (`baas::merge::auth`). The app then authenticates every request
//!   except the health path, so its CRUD routes need no function key (`auth_level: anonymous`).
//!
//! Only apps that serve HTTP get either block: nothing else answers a browser.

use crate::codes;
use crate::context::Context;
use crate::facts::{health, refs};
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::{kinds, AppRequirement, FunctionOrigin};
use baas_model::{Auth, AuthLevel, RequirementConfig, Strategy, Trigger};
use serde_json::{json, Map, Value};

/// Adds `next`'s CORS origins and sign-in settings to the app's (`component` names `next`).
pub fn merge(
    app: &mut AppRequirement,
    next: &AppRequirement,
    component: &str,
    errors: &mut Vec<Diagnostic>,
) {
    for origin in &next.cors.origins {
        if !app.cors.origins.iter().any(|o| o.value == origin.value) {
            app.cors.origins.push(origin.clone());
        }
    }
    let asks_credentials = |c: &baas_model::Cors| c.credentials.as_ref().is_some_and(|c| c.value);
    if !asks_credentials(&app.cors) && asks_credentials(&next.cors) {
        app.cors.credentials = next.cors.credentials.clone();
    }
    match (&app.auth, &next.auth) {
        (None, Some(auth)) => app.auth = Some(auth.clone()),
        (Some(first), Some(auth)) if !first.same_settings(auth) => errors.push(
            Diagnostic::error(
                &codes::MERGE_AUTH,
                format!(
                    "`{component}` asks for other `auth` settings than the shared {} app already has",
                    app.runtime.as_str()
                ),
            )
            .at(auth.span)
            .label(format!("asks for {}", describe(auth)))
            .related(first.span, format!("the app already has {}", describe(first)))
            .help("components on one runtime share one function app, and an app has one sign-in configuration: give them the same `auth`, or put them on different runtimes"),
        ),
        _ => {}
    }
}

fn describe(auth: &Auth) -> String {
    format!(
        "client `{}` in tenant `{}`",
        auth.client_id.value.as_str(),
        auth.tenant_id.value.as_str()
    )
}

/// With sign-in on, the platform has authenticated every request that reaches a CRUD route,
/// so the generated routes drop the function key, which a browser could not keep secret.
pub fn crud_routes_anonymous(app: &mut AppRequirement) {
    if app.auth.is_none() {
        return;
    }
    for function in &mut app.functions {
        if let (FunctionOrigin::Crud { .. }, Trigger::Http { auth_level, .. }) =
            (&function.origin, &mut function.trigger)
        {
            *auth_level = AuthLevel::Anonymous;
        }
    }
}

/// `*` with credentials is refused by browsers (the CORS standard forbids it) and by App Service.
pub fn validate(app: &AppRequirement, out: &mut Vec<Diagnostic>) {
    credentials_with_any_origin(app, out);
}

/// The static sites whose pages the apps cannot allow by CORS: in the `global` stack (see
/// `facts::refs::static_site_origin`) without a custom domain. Reported once, by the first app
/// that serves HTTP, at each such site.
pub fn sites_elsewhere(key: &str, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let first_http_app = context
        .all(kinds::FUNCTION_APP)
        .find(|m| matches!(&m.config, RequirementConfig::FunctionApp(app) if health::serves(app)));
    if first_http_app.is_none_or(|m| m.key != key) {
        return;
    }
    for site in context.all(kinds::STATIC_SITE) {
        let RequirementConfig::StaticSite(config) = &site.config else {
            continue;
        };
        // A site that routes the API through its own Front Door (`api`) calls its own origin.
        if config.custom_domain.is_some()
            || config.api.is_some()
            || refs::static_site_origin(context, &site.key).is_some()
        {
            continue;
        }
        out.push(
            Diagnostic::warning(
                &codes::CORS_SITE_ELSEWHERE,
                format!(
                    "the function apps cannot allow the `{}` site's pages by CORS: its Front Door endpoint is created in the `global` stack, after theirs",
                    site.key
                ),
            )
            .at(site.span())
            .label("no known origin")
            .help(format!(
                "give the site a `custom_domain` (allowed automatically), or add its endpoint to `cors` on the API after the first apply (the `global` stack's `static_site_{}_url` output)",
                site.key
            )),
        );
    }
}

fn credentials_with_any_origin(app: &AppRequirement, out: &mut Vec<Diagnostic>) {
    let Some(credentials) = app.cors.credentials.as_ref().filter(|c| c.value) else {
        return;
    };
    if let Some(any) = app.cors.origins.iter().find(|o| o.value == "*") {
        out.push(
            Diagnostic::error(
                &codes::CORS_CREDENTIALS,
                format!(
                    "the {} app allows every origin (`*`) with credentials, which browsers refuse",
                    app.runtime.as_str()
                ),
            )
            .at(any.span)
            .label("any origin")
            .related(credentials.span, "credentials asked for here")
            .help("list the origins instead of `*`, or remove `credentials: true` (a bearer token in `Authorization` needs no credentials)"),
        );
    }
}

/// Sets `site_config.cors` and `auth_settings_v2` on an app that serves HTTP.
pub fn apply(body: &mut Value, app: &AppRequirement, context: &Context<'_>) {
    if !health::serves(app) {
        return;
    }
    if let Some(cors) = cors_block(app, context) {
        body["site_config"]["cors"] = cors;
    }
    if let Some(auth) = &app.auth {
        body["auth_settings_v2"] = auth_settings(auth, context);
    }
}

/// `site_config.cors`: the static sites' origins, then the components' (`*` alone when any
/// component allows every origin). `allowed_origins` needs at least one item
/// (`helpers/shared_schema.go:321-324` in v4.55.0), so an app with none gets no block.
fn cors_block(app: &AppRequirement, context: &Context<'_>) -> Option<Value> {
    let credentials = app.cors.credentials.as_ref().is_some_and(|c| c.value);
    let origins: Vec<String> = if app.cors.origins.iter().any(|o| o.value == "*") {
        vec!["*".to_owned()]
    } else {
        let mut origins = static_site_origins(context);
        for origin in &app.cors.origins {
            if !origins.contains(&origin.value) {
                origins.push(origin.value.clone());
            }
        }
        origins
    };
    if origins.is_empty() {
        return None;
    }
    Some(json!({ "allowed_origins": origins, "support_credentials": credentials }))
}

/// Every static site of the stack: its Front Door endpoint and its custom domain.
fn static_site_origins(context: &Context<'_>) -> Vec<String> {
    let mut origins = Vec::new();
    for site in context.all(kinds::STATIC_SITE) {
        origins.extend(refs::static_site_origin(context, &site.key));
        if let RequirementConfig::StaticSite(config) = &site.config {
            if let Some(domain) = &config.custom_domain {
                origins.push(format!("https://{}", domain.value));
            }
        }
    }
    origins
}

/// The issuer App Service checks tokens against: the tenant's v2.0 endpoint.
pub fn tenant_auth_endpoint(auth: &Auth) -> String {
    format!(
        "https://login.microsoftonline.com/{}/v2.0",
        auth.tenant_id.value.as_str()
    )
}

/// `auth_settings_v2` for API callers: every request needs a valid Entra ID token and gets 401
/// without one (no login redirect: an API has no page to redirect to), except the health path,
/// which App Service's health check, the availability tests and Traffic Manager call without a
/// token. No client secret is written:
/// App Service validates bearer tokens with the tenant's public signing keys and never needs
/// one; a secret is only for the login flow (`/.auth/login`), which baas does not turn on.
fn auth_settings(auth: &Auth, context: &Context<'_>) -> Value {
    let mut directory = Map::new();
    directory.insert("client_id".into(), json!(auth.client_id.value.as_str()));
    directory.insert(
        "tenant_auth_endpoint".into(),
        json!(tenant_auth_endpoint(auth)),
    );
    if !auth.allowed_audiences.is_empty() {
        let audiences: Vec<&str> = auth
            .allowed_audiences
            .iter()
            .map(|a| a.value.as_str())
            .collect();
        directory.insert("allowed_audiences".into(), json!(audiences));
    }
    json!({
        "auth_enabled": true,
        "require_authentication": true,
        "unauthenticated_action": "Return401",
        "excluded_paths": excluded_paths(context),
        "require_https": true,
        "active_directory_v2": directory,
        // Required by the provider (`authV2LoginSchema`, `Required: true`,
        // helpers/auth_v2_schema.go:294-298 in v4.55.0); no token store, since no one signs
        // in through the app.
        "login": { "token_store_enabled": false },
    })
}

/// The health path, and the deployment's probe path when it is another one: probes carry no
/// token, and a probe that gets 401 marks every endpoint degraded (and App Service's health
/// check replaces instances that fail it).
fn excluded_paths(context: &Context<'_>) -> Vec<String> {
    let mut paths = vec![health::PATH.to_owned()];
    let probe = match &context.backend.deployment.strategy {
        Strategy::Single => None,
        Strategy::MultiRegion { probe, .. }
        | Strategy::BlueGreen { probe, .. }
        | Strategy::DisasterRecovery { probe, .. } => Some(&probe.path.value),
    };
    // Excluded paths match the request path: a probe's query string is not part of it.
    if let Some(path) = probe.and_then(|p| p.split('?').next()) {
        if !paths.iter().any(|p| p == path) {
            paths.push(path.to_owned());
        }
    }
    paths
}
