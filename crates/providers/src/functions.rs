//! Azure Functions on Linux: one function app per runtime, its service plan, app settings for
//! identity-based connections, and role assignments to the host storage and App Insights.
//!
//! Merge rules: one app per runtime key; explicit versions must agree; function names are
//! unique within the app, and so is each (route, method); the highest plan wins.

use crate::codes;
use crate::context::{Context, Merged, Provisioned};
use crate::facts::health;
use crate::facts::network::{self, AppIntegration};
use crate::facts::plan::{self, FunctionPlan};
use crate::facts::refs;
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::{
    self, kinds, AppRequirement, FunctionOrigin, FunctionSpec, FUNCTIONS_STORAGE, HEALTH_FUNCTION,
    SHARED_COSMOS_ACCOUNT, SHARED_MONITORING,
};
use baas_model::{
    AuthLevel, HttpMethod, Requirement, RequirementConfig, Runtime, Span, Spanned, Trigger,
};
use baas_terraform::Address;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

mod access;
mod project;
mod support;

/// The connection name the code's Service Bus triggers and clients use; the app setting
/// `SERVICEBUS__fullyQualifiedNamespace` makes it identity-based.
pub const SERVICEBUS_CONNECTION: &str = "SERVICEBUS";

/// Built-in Azure RBAC role definition names.
const STORAGE_BLOB_DATA_OWNER: &str = "Storage Blob Data Owner";
const MONITORING_METRICS_PUBLISHER: &str = "Monitoring Metrics Publisher";

/// Versions Azure Functions supports on Linux on `plan` (first = baas's default).
fn versions(runtime: Runtime, plan: FunctionPlan) -> &'static [&'static str] {
    support::versions(runtime, plan.is_consumption())
}

static FUNCTIONS_CODES: &[&Code] = &[
    &codes::MERGE_RUNTIME_VERSION,
    &codes::MERGE_FUNCTION_NAME,
    &codes::MERGE_ROUTE,
    &codes::PLAN_RAISED,
    &codes::RUNTIME_VERSION,
    &codes::HEALTH_RESERVED,
    &codes::NO_GENERATED_CODE,
    &codes::FLEX_CONSUMPTION,
    &codes::CONSUMPTION_DEFAULT,
    &codes::END_OF_SUPPORT,
    &codes::HOST_ID,
    &codes::MERGE_AUTH,
    &codes::CORS_CREDENTIALS,
    &codes::CORS_SITE_ELSEWHERE,
];

#[derive(Debug)]
pub struct FunctionsProvider;

fn plan_address(key: &str) -> Address {
    Address::resource("azurerm_service_plan", key)
}

impl ResourceProvider for FunctionsProvider {
    fn name(&self) -> &'static str {
        "functions"
    }

    fn serves(&self) -> Vec<&str> {
        vec![kinds::FUNCTION_APP]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let RequirementConfig::FunctionApp(app) = &mut merged.config else {
            return Ok(merged);
        };
        let mut errors = Vec::new();
        for other in &group[1..] {
            let RequirementConfig::FunctionApp(next) = &other.config else {
                continue;
            };
            merge_version(app, next, &other.source.component, &mut errors);
            access::merge(app, next, &other.source.component, &mut errors);
            if next.plan.value.rank() > app.plan.value.rank() {
                app.plan = next.plan.clone();
                app.plan_defaulted = next.plan_defaulted;
            } else if next.plan.value == app.plan.value {
                // Where the plan is written, if anywhere: diagnostics point there.
                if app.plan_defaulted && !next.plan_defaulted {
                    app.plan = next.plan.clone();
                }
                app.plan_defaulted &= next.plan_defaulted;
            }
            // One component's unknown plan leaves the app's plan unknown: which one was meant
            // cannot be told.
            app.plan_unknown |= next.plan_unknown;
            app.functions.extend(next.functions.iter().cloned());
            app.cosmos_bindings
                .extend(next.cosmos_bindings.iter().cloned());
        }
        access::crud_routes_anonymous(app);
        check_unique_functions(&merged.key, app, &mut errors);
        add_health_function(&merged.key, app, &mut errors);
        app.cosmos_bindings.sort();
        app.cosmos_bindings.dedup();
        if errors.is_empty() {
            Ok(merged)
        } else {
            Err(errors)
        }
    }

    fn validate(&self, merged: &Merged, context: &Context<'_>) -> Vec<Diagnostic> {
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            return Vec::new();
        };
        if app.plan_unknown {
            // Reported where it is written; checking versions or names against the default
            // in its place would report what the user never asked for.
            return Vec::new();
        }
        let mut diagnostics = Vec::new();
        if app.plan.value.is_flex() {
            diagnostics.push(flex_consumption_error(&merged.key, app));
            return diagnostics;
        }
        if let Some(version) = &app.version {
            let supported = versions(app.runtime, app.plan.value);
            if !supported.contains(&version.value.as_str()) {
                diagnostics.push(
                    Diagnostic::error(
                        &codes::RUNTIME_VERSION,
                        format!(
                            "{} `{}` is not supported by Azure Functions on `{}`",
                            app.runtime.as_str(),
                            version.value,
                            app.plan.value
                        ),
                    )
                    .at(version.span)
                    .label("unsupported version")
                    .help(format!(
                        "use one of {}, or leave `version` out for {}",
                        backtick_list(supported),
                        supported[0]
                    )),
                );
            }
        }
        end_of_support_warning(merged, app, &mut diagnostics);
        consumption_default_warning(merged, context, &mut diagnostics);
        host_id_collisions(merged, context, &mut diagnostics);
        plan_raised_warning(merged, app, context, &mut diagnostics);
        no_generated_code_warning(app, context, &mut diagnostics);
        access::validate(app, &mut diagnostics);
        access::sites_elsewhere(&merged.key, context, &mut diagnostics);
        diagnostics
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let span = merged.span();
        // Apps on one Elastic Premium or Dedicated SKU share the plan of the first of them.
        let owner = plan::plan_owner(context, &merged.key);
        let app_name = context.name(ResourceKind::FunctionApp, &merged.key, span);
        let plan_name = context.name(ResourceKind::ServicePlan, owner, span);
        let (app_name, plan_name) = match (app_name, plan_name) {
            (Ok(a), Ok(p)) => (a, p),
            (a, p) => return Err(a.err().into_iter().chain(p.err()).collect()),
        };
        let mut out = Provisioned::default();
        let plan = plan_address(owner);
        if owner == merged.key {
            out.block(
                plan.clone(),
                json!({
                    "name": plan_name,
                    "location": context.location(),
                    "resource_group_name": context.resource_group_name(),
                    "os_type": "Linux",
                    "sku_name": app.plan.value.name(),
                }),
                &merged.sources,
            );
        }
        let address = refs::function_app(context, &merged.key);
        let version = app
            .version
            .as_ref()
            .map_or(versions(app.runtime, app.plan.value)[0], |v| {
                v.value.as_str()
            });
        let mut body = linux_app_body(&app_name, &plan, app, version, context);
        if let Some(integration) = network::app_integration(context, &merged.key, app.plan.value) {
            join_network(&mut body, &integration);
        }
        access::apply(&mut body, app, context);
        out.block(address.clone(), body, &merged.sources);
        role_assignments(&merged.key, &address, context, merged, &mut out);
        out.output(
            &format!("function_app_{}_hostname", merged.key),
            address.attr("default_hostname"),
            "Function app host name",
        );
        let project = project::folder(app.runtime, &merged.key);
        out.manifest_entry(context, "function_apps", &merged.key, || {
            manifest_entry(
                &app_name,
                &address,
                app,
                version,
                &merged.key,
                project.as_deref(),
            )
        });
        let group = context.resource_group_azure_name().map_err(|e| vec![e])?;
        out.stack_manifest_entry(
            "function_apps",
            &merged.key,
            json!({ "name": app_name, "resource_group": group, "plan": app.plan.value.name(), "project": project }),
        );
        Ok(out)
    }

    /// The Azure Functions project of a Node or Python app (`apps/<app>/`).
    fn files(&self, merged: &Merged, context: &Context<'_>) -> Vec<(String, String)> {
        let RequirementConfig::FunctionApp(app) = &merged.config else {
            return Vec::new();
        };
        match project::folder(app.runtime, &merged.key) {
            Some(folder) => project::files(&folder, app, context.backend),
            None => Vec::new(),
        }
    }

    fn codes(&self) -> &'static [&'static Code] {
        FUNCTIONS_CODES
    }
}

/// Flex Consumption is refused until the azurerm provider stops writing a key-based
/// `AzureWebJobsStorage` into every Flex Consumption app. In 4.55.0 (and every release up to
/// 5.x) `function_app_flex_consumption_resource.go` builds
/// `DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<storage_access_key>;...`
/// from `storage_container_endpoint` whatever `storage_authentication_type` says (lines 443-448
/// on create, 868-875 on update), and `helpers.ExpandSiteConfigFunctionFlexConsumptionApp`
/// writes it as `AzureWebJobsStorage` (function_app_schema.go:2077-2078). With identity-based
/// storage the key is empty; the Functions host takes any `AzureWebJobsStorage` value as a
/// connection string before the identity settings (azure-functions-host,
/// `StorageClientProvider.IsConnectionStringPresent`), so the host never starts. The
/// published workaround rewrites the app settings with the `azapi` provider after every
/// apply, and the two providers then change the app on every run.
fn flex_consumption_error(key: &str, app: &AppRequirement) -> Diagnostic {
    Diagnostic::error(
        &codes::FLEX_CONSUMPTION,
        format!("the `{key}` app cannot run on Flex Consumption (`FC1`) with the azurerm provider yet"),
    )
    .at(app.plan.span)
    .label("Flex Consumption")
    .help("azurerm writes a key-based `AzureWebJobsStorage` into every Flex Consumption app, which stops the host when storage keys are off (hashicorp/terraform-provider-azurerm#29693): use `EP1` (scales on events, joins a network) or a Dedicated plan such as `B1`")
}

/// Runtime versions past their end of support run, but get no security fixes.
fn end_of_support_warning(merged: &Merged, app: &AppRequirement, out: &mut Vec<Diagnostic>) {
    let (version, span, written) = match &app.version {
        Some(version) => (version.value.as_str(), version.span, true),
        None => (
            versions(app.runtime, app.plan.value)[0],
            merged.span(),
            false,
        ),
    };
    let Some(date) = support::ended(app.runtime, version) else {
        return;
    };
    let supported = versions(app.runtime, app.plan.value);
    let current: Vec<&str> = supported
        .iter()
        .copied()
        .filter(|v| support::ended(app.runtime, v).is_none())
        .collect();
    let how = if current.is_empty() && app.plan.value.is_consumption() {
        "Linux Consumption (`Y1`) gets no newer version: move the app to `EP1` or a Dedicated plan"
            .to_owned()
    } else if current.is_empty() {
        "no newer version is available to baas's azurerm provider yet; plan the upgrade when one is"
            .to_owned()
    } else {
        match current.as_slice() {
            [only] => format!("set `version` to `{only}`"),
            _ => format!("set `version` to one of {}", backtick_list(&current)),
        }
    };
    let what = if written {
        ""
    } else {
        " (baas's default on this plan)"
    };
    out.push(
        Diagnostic::warning(
            &codes::END_OF_SUPPORT,
            format!(
                "{} `{version}`{what} on the `{}` app reached end of support on {date}",
                app.runtime.as_str(),
                merged.key
            ),
        )
        .at(span)
        .label("past end of support")
        .help(how),
    );
}

/// The host ID is the app name cut to 32 characters (lowercase, without a trailing hyphen);
/// the apps of a stack share its host storage account, so their host IDs must differ. Checked
/// once, at the first app, for the stack validation sees; other stacks add the same qualifiers
/// to every app's name.
fn host_id_collisions(merged: &Merged, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    const HOST_ID_LEN: usize = 32;
    let mut apps = context.all(kinds::FUNCTION_APP);
    if apps.next().map(|m| &m.key) != Some(&merged.key) {
        return;
    }
    let mut seen: BTreeMap<String, (&str, String)> = BTreeMap::new();
    for app in context.all(kinds::FUNCTION_APP) {
        let Ok(name) = context.name(ResourceKind::FunctionApp, &app.key, app.span()) else {
            continue; // reported where the app is provisioned
        };
        let host_id: String = name.to_lowercase().chars().take(HOST_ID_LEN).collect();
        let host_id = host_id.trim_end_matches('-').to_owned();
        if let Some((other, other_name)) = seen.get(&host_id) {
            out.push(
                Diagnostic::error(
                    &codes::HOST_ID,
                    format!(
                        "function apps `{other_name}` (`{other}`) and `{name}` (`{}`) share the host ID `{host_id}`",
                        app.key
                    ),
                )
                .at(context.backend.naming.template.as_ref().map_or(app.span(), |t| t.span))
                .label("host IDs collide")
                .help("put `{{instance}}` earlier in `naming.template`, or shorten `name`: the first 32 characters of the names must differ"),
            );
        } else {
            seen.insert(host_id, (app.key.as_str(), name));
        }
    }
}

/// The default plan is Linux Consumption, which retires: say so once per backend, at the first
/// app that took the default, naming every such app. Writing `plan: Y1` (or `functions.plan`)
/// keeps it knowingly and silences the warning.
fn consumption_default_warning(merged: &Merged, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let defaulted: Vec<&Merged> = context
        .all(kinds::FUNCTION_APP)
        .filter(|m| matches!(&m.config, RequirementConfig::FunctionApp(app) if app.plan_defaulted))
        .collect();
    if defaulted.first().map(|m| &m.key) != Some(&merged.key) {
        return;
    }
    let apps = defaulted
        .iter()
        .map(|m| format!("`{}`", m.key))
        .collect::<Vec<_>>()
        .join(", ");
    let (noun, verb) = if defaulted.len() == 1 {
        ("app", "runs")
    } else {
        ("apps", "run")
    };
    out.push(
        Diagnostic::warning(
            &codes::CONSUMPTION_DEFAULT,
            format!(
                "the {apps} {noun} {verb} on baas's default plan, Linux Consumption (`Y1`), which Azure retires on {}",
                support::CONSUMPTION_RETIREMENT
            ),
        )
        .at(merged.span())
        .label("no plan named")
        .help("write `functions.plan: Y1` to keep it knowingly, or choose `EP1` or a Dedicated plan (`B1`, `S1`, `P0v3`); Flex Consumption, Azure's replacement, cannot be deployed with azurerm yet"),
    );
}

/// Every app that serves HTTP gets `GET api/health`, anonymous: the default probe path of every
/// topology. Its code is generated for Node and Python apps; the manifest lists it for others.
fn add_health_function(key: &str, app: &mut AppRequirement, errors: &mut Vec<Diagnostic>) {
    if !app
        .functions
        .iter()
        .any(|f| matches!(f.trigger, Trigger::Http { .. }))
    {
        return;
    }
    for function in &app.functions {
        let route = match &function.trigger {
            Trigger::Http { route, methods, .. }
                if methods.contains(&HttpMethod::Get)
                    && baas_model::route_key(&route.value) == HEALTH_FUNCTION =>
            {
                Some(route)
            }
            _ => None,
        };
        let (span, what) = match route {
            Some(route) => (route.span, format!("`GET api/{}`", route.value)),
            None if function.name.value == HEALTH_FUNCTION => {
                (function.name.span, "the name `health`".to_owned())
            }
            None => continue,
        };
        errors.push(
            Diagnostic::error(
                &codes::HEALTH_RESERVED,
                format!(
                    "function `{}` takes {what}, which the `{key}` app's generated health function serves",
                    function.name.value
                ),
            )
            .at(span)
            .label("reserved for the health function")
            .help("every app that serves HTTP gets `health` (`GET api/health`, anonymous), the probe path of every topology: rename the function or change its route"),
        );
    }
    app.functions.push(FunctionSpec {
        name: Spanned::defaulted(HEALTH_FUNCTION.to_owned(), Span::default()),
        origin: FunctionOrigin::Health,
        trigger: Trigger::Http {
            route: Spanned::defaulted(HEALTH_FUNCTION.to_owned(), Span::default()),
            methods: vec![HttpMethod::Get],
            auth_level: AuthLevel::Anonymous,
        },
        sends_to: Vec::new(),
    });
}

/// CRUD APIs on a runtime baas generates no code for still get their containers, roles and
/// settings, and the manifest lists their routes: the user implements them. One warning per
/// app, at the first such API, names them all: a backend with hundreds of them would otherwise
/// print hundreds of the same warning.
fn no_generated_code_warning(
    app: &AppRequirement,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    if project::generates(app.runtime) {
        return;
    }
    let apis: Vec<_> = requirement::crud_apis(context.backend, app.runtime).collect();
    let Some((_, first)) = apis.first() else {
        return;
    };
    const NAMED: usize = 5;
    let mut names: Vec<String> = apis
        .iter()
        .take(NAMED)
        .map(|(component, _)| format!("`{}`", component.key))
        .collect();
    if apis.len() > NAMED {
        names.push(format!("{} more", apis.len() - NAMED));
    }
    let (subject, verb) = if apis.len() == 1 {
        ("its", "gets")
    } else {
        ("their", "get")
    };
    out.push(
        Diagnostic::warning(
            &codes::NO_GENERATED_CODE,
            format!(
                "baas generates no code for {} apps: {} {verb} {subject} containers, roles and settings, but {subject} routes are yours to implement",
                app.runtime.as_str(),
                names.join(", ")
            ),
        )
        .at(first.runtime.span)
        .label("no generated code on this runtime")
        .help("use `runtime: node` or `runtime: python` for generated handlers, or implement the routes the manifest lists under `function_apps`"),
    );
}

fn backtick_list(items: &[&str]) -> String {
    items
        .iter()
        .map(|i| format!("`{i}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn merge_version(
    app: &mut AppRequirement,
    next: &AppRequirement,
    component: &str,
    errors: &mut Vec<Diagnostic>,
) {
    match (&app.version, &next.version) {
        (None, Some(v)) => app.version = Some(v.clone()),
        (Some(a), Some(b)) if a.value != b.value => errors.push(
            Diagnostic::error(
                &codes::MERGE_RUNTIME_VERSION,
                format!("`{component}` asks for {} `{}` but the shared {} app already runs `{}`", app.runtime.as_str(), b.value, app.runtime.as_str(), a.value),
            )
            .at(b.span)
            .label("conflicting version")
            .related(a.span, "first set here")
            .help("components on one runtime share one function app: use the same `version`, or leave it out on all but one"),
        ),
        _ => {}
    }
}

fn check_unique_functions(key: &str, app: &AppRequirement, errors: &mut Vec<Diagnostic>) {
    let mut names: BTreeMap<&str, &Spanned<String>> = BTreeMap::new();
    let mut routes: BTreeMap<(String, HttpMethod), (&str, &Spanned<String>)> = BTreeMap::new();
    for function in &app.functions {
        if let Some(first) = names.insert(&function.name.value, &function.name) {
            errors.push(
                Diagnostic::error(
                    &codes::MERGE_FUNCTION_NAME,
                    format!(
                        "function `{}` is declared twice on the `{key}` function app",
                        function.name.value
                    ),
                )
                .at(function.name.span)
                .label("second declaration")
                .related(first.span, "first declaration")
                .help("rename one of them: every component on this runtime shares one app"),
            );
        }
        let Trigger::Http { route, methods, .. } = &function.trigger else {
            continue;
        };
        for method in methods {
            let normalized = baas_model::route_key(&route.value);
            if let Some((other, other_route)) =
                routes.insert((normalized, *method), (&function.name.value, route))
            {
                errors.push(
                    Diagnostic::error(
                        &codes::MERGE_ROUTE,
                        format!(
                            "`{} {}` is served by both `{other}` and `{}` on the `{key}` app",
                            method.as_str().to_uppercase(),
                            route.value,
                            function.name.value
                        ),
                    )
                    .at(route.span)
                    .label("duplicate route")
                    .related(other_route.span, "first route")
                    .help("change the `route` or `methods` of one of them"),
                );
            }
        }
    }
}

fn plan_raised_warning(
    merged: &Merged,
    app: &AppRequirement,
    context: &Context<'_>,
    out: &mut Vec<Diagnostic>,
) {
    let default_plan = context.backend.functions.plan.value;
    if app.plan.value.rank() <= default_plan.rank() || merged.components().len() < 2 {
        return;
    }
    // The plan value sits inside the block of the component that wrote it: the last
    // component that starts before it.
    let raiser = merged
        .sources
        .iter()
        .rev()
        .find(|s| s.span.start <= app.plan.span.start)
        .map_or("a component", |s| s.component.as_str());
    out.push(
        Diagnostic::warning(
            &codes::PLAN_RAISED,
            format!(
                "the `{}` function app runs on `{}` for all of {}, raised from `{default_plan}` by `{raiser}`",
                merged.key,
                app.plan.value,
                merged.components().iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        )
        .at(app.plan.span)
        .label("highest plan wins")
        .help("intended when these components should share the bigger plan; otherwise put them on different runtimes"),
    );
}

/// App settings shared by both app resource types: identity-based connections only.
fn app_settings(app: &AppRequirement, context: &Context<'_>) -> Map<String, Value> {
    let mut settings = Map::new();
    if context.find(kinds::MONITORING, SHARED_MONITORING).is_some() {
        // App Insights has local (key) auth off: the app authenticates with its identity.
        settings.insert(
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING".into(),
            json!("Authorization=AAD"),
        );
    }
    if !app.cosmos_bindings.is_empty() {
        let account = refs::cosmos_account_ref(context, SHARED_COSMOS_ACCOUNT);
        // `<connection>__accountEndpoint` is the identity-based form for the Cosmos DB extension.
        settings.insert(
            "COSMOS__accountEndpoint".into(),
            json!(account.attr("endpoint")),
        );
        // A geo-replicated account: the generated code reads and writes its nearest region.
        if let Some((name, regions)) = refs::cosmos_preferred_regions(context) {
            settings.insert(name.into(), json!(regions));
        }
    }
    let uses_servicebus = app.functions.iter().any(|f| {
        matches!(f.trigger, Trigger::Queue { .. } | Trigger::Topic { .. }) || !f.sends_to.is_empty()
    });
    if uses_servicebus {
        let namespace = refs::servicebus_namespace();
        settings.insert(
            format!("{SERVICEBUS_CONNECTION}__fullyQualifiedNamespace"),
            // The host name from the namespace's own `endpoint`
            // (`https://<name>.servicebus.windows.net:443/` in the public cloud,
            // servicebus_namespace_resource.go:549), so no cloud's suffix is written here.
            json!(format!(
                "${{regex(\"^https://([^:/]+)\", {})[0]}}",
                format!("{namespace}.endpoint")
            )),
        );
    }
    for binding in &app.cosmos_bindings {
        let prefix = requirement::setting_prefix(&binding.component);
        settings.insert(format!("{prefix}_DATABASE"), json!(binding.database));
        settings.insert(format!("{prefix}_CONTAINER"), json!(binding.container));
    }
    settings
}

fn insights_connection_string(context: &Context<'_>) -> Option<String> {
    context
        .find(kinds::MONITORING, SHARED_MONITORING)
        .map(|_| refs::insights().attr("connection_string"))
}

fn linux_app_body(
    name: &str,
    plan: &Address,
    app: &AppRequirement,
    version: &str,
    context: &Context<'_>,
) -> Value {
    let storage = refs::storage_account(FUNCTIONS_STORAGE);
    let mut settings = app_settings(app, context);
    // Deployments upload a package to the app's blob container and point
    // WEBSITE_RUN_FROM_PACKAGE at it; the app reads it with its identity.
    settings.insert(
        "WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID".into(),
        json!("SystemAssigned"),
    );
    let mut site_config = json!({
        "minimum_tls_version": "1.2",
        "scm_minimum_tls_version": "1.2",
        "ftps_state": "Disabled",
        "http2_enabled": true,
        "application_stack": application_stack(app.runtime, version),
    });
    if let Some(connection) = insights_connection_string(context) {
        site_config["application_insights_connection_string"] = json!(connection);
    }
    if app.plan.value.is_dedicated() {
        // A Dedicated (App Service) plan has no scale controller to wake the host: without
        // Always On it idles after a few minutes and timer and Service Bus triggers stop
        // firing. Consumption and Elastic Premium must not set it (the platform wakes or
        // pre-warms them; on Premium it causes needless scale-out). The provider passes the
        // value as given (`helpers/function_app_schema.go:74-79` and `:1853` in v4.55.0)
        // and checks no plan, so baas decides here. Flex Consumption has no such setting.
        site_config["always_on"] = json!(true);
    }
    if health::serves(app) && health_checked(app.plan.value) {
        // App Service calls the path on every instance each minute and, after the eviction
        // time of failures, takes the instance out of the load balancer (never more than half
        // of them) and replaces it after an hour. The provider requires both fields together
        // and takes 2-10 minutes, writing the time as WEBSITE_HEALTHCHECK_MAXPINGFAILURES and
        // hiding that setting from the app's settings (`helpers/function_app_schema.go:276-290`,
        // `:1846-1851`, `helpers/common_web_app_schema.go:1401`, v4.55.0).
        site_config["health_check_path"] = json!(health::PATH);
        site_config["health_check_eviction_time_in_min"] = json!(HEALTH_CHECK_EVICTION_MINUTES);
    }
    let mut body = json!({
        "name": name,
        "location": context.location(),
        "resource_group_name": context.resource_group_name(),
        "service_plan_id": plan.id(),
        "storage_account_name": storage.attr("name"),
        "storage_uses_managed_identity": true,
        "https_only": true,
        "ftp_publish_basic_authentication_enabled": false,
        "webdeploy_publish_basic_authentication_enabled": false,
        "identity": { "type": "SystemAssigned" },
        "site_config": site_config,
        "app_settings": settings,
        "lifecycle": { "ignore_changes": ["app_settings[\"WEBSITE_RUN_FROM_PACKAGE\"]"] },
    });
    if app.plan.value.is_consumption() || app.plan.value.is_elastic_premium() {
        // These plans default to an Azure Files content share, which needs a storage key.
        // Keys are off, so the app runs from its package instead.
        body["content_share_force_disabled"] = json!(true);
    }
    body
}

/// Minutes of failed health checks before App Service takes an instance out of its load
/// balancer: half Azure's default of 10, so a broken instance stops taking traffic in five
/// minutes, while a restart or a deployment (well under that) evicts nothing.
const HEALTH_CHECK_EVICTION_MINUTES: u32 = 5;

/// Whether App Service's health check applies on the plan: it load-balances instances of
/// Elastic Premium and Dedicated plans. Consumption has no instance pool of yours to evict
/// from (Microsoft documents the health check for Premium and Dedicated plans); Traffic
/// Manager's probe and the availability tests watch it instead.
fn health_checked(plan: FunctionPlan) -> bool {
    plan.is_elastic_premium() || plan.is_dedicated()
}

/// Joins the app to its subnet as the network plan says (isolated mode).
fn join_network(body: &mut Value, integration: &AppIntegration) {
    body["virtual_network_subnet_id"] = json!(integration.subnet_id);
    if integration.route_all {
        body["site_config"]["vnet_route_all_enabled"] = json!(true);
    }
    if integration.runtime_scale_monitoring {
        body["site_config"]["runtime_scale_monitoring_enabled"] = json!(true);
    }
}

fn application_stack(runtime: Runtime, version: &str) -> Value {
    match runtime {
        Runtime::Node => json!({ "node_version": version }),
        Runtime::Python => json!({ "python_version": version }),
        Runtime::DotnetIsolated => {
            json!({ "dotnet_version": version, "use_dotnet_isolated_runtime": true })
        }
        Runtime::Java => json!({ "java_version": version }),
        Runtime::Powershell => json!({ "powershell_core_version": version }),
    }
}

fn role_assignments(
    key: &str,
    app: &Address,
    context: &Context<'_>,
    merged: &Merged,
    out: &mut Provisioned,
) {
    let principal = app.attr("identity[0].principal_id");
    let storage = refs::storage_account(FUNCTIONS_STORAGE);
    out.block(
        Address::resource("azurerm_role_assignment", &format!("{key}-storage-blob")),
        json!({ "scope": storage.id(), "role_definition_name": STORAGE_BLOB_DATA_OWNER, "principal_id": principal, "principal_type": "ServicePrincipal" }),
        &merged.sources,
    );
    if context.find(kinds::MONITORING, SHARED_MONITORING).is_some() {
        out.block(
            Address::resource("azurerm_role_assignment", &format!("{key}-monitoring")),
            json!({
                "scope": refs::insights().id(),
                "role_definition_name": MONITORING_METRICS_PUBLISHER,
                "principal_id": principal,
                "principal_type": "ServicePrincipal",
            }),
            &merged.sources,
        );
    }
}

/// What the code has to implement: functions, triggers and routes, per app.
fn manifest_entry(
    name: &str,
    address: &Address,
    app: &AppRequirement,
    version: &str,
    key: &str,
    project: Option<&str>,
) -> Value {
    // Built from values rather than with `json!`, which would serialize every interpolated
    // value (a trigger object included) into a copy: this runs for every function.
    let functions: Map<String, Value> = app
        .functions
        .iter()
        .map(|f| {
            let text = |s: &str| Value::String(s.to_owned());
            let trigger = match &f.trigger {
                Trigger::Http {
                    route,
                    methods,
                    auth_level,
                } => object([
                    ("type", text("http")),
                    ("route", Value::String(format!("api/{}", route.value))),
                    (
                        "methods",
                        methods
                            .iter()
                            .map(|m| Value::String(m.as_str().to_uppercase()))
                            .collect(),
                    ),
                    ("auth_level", text(auth_level.as_str())),
                ]),
                Trigger::Timer { schedule } => {
                    object([("type", text("timer")), ("schedule", text(&schedule.value))])
                }
                Trigger::Queue { queue } => object([
                    ("type", text("serviceBusQueue")),
                    ("queue", text(&queue.value)),
                    ("connection", text(SERVICEBUS_CONNECTION)),
                ]),
                Trigger::Topic {
                    topic,
                    subscription,
                } => object([
                    ("type", text("serviceBusTopic")),
                    ("topic", text(&topic.value)),
                    ("subscription", text(&subscription.value)),
                    ("connection", text(SERVICEBUS_CONNECTION)),
                ]),
            };
            let mut entry = Map::new();
            if let Some(component) = f.component() {
                entry.insert("component".to_owned(), text(component));
            }
            let generated = project.is_some() && !matches!(f.origin, FunctionOrigin::User { .. });
            entry.insert("generated".to_owned(), Value::Bool(generated));
            entry.insert("trigger".to_owned(), trigger);
            if !f.sends_to.is_empty() {
                let targets = f.sends_to.iter().map(|t| text(&t.value)).collect();
                entry.insert("sends_to".to_owned(), targets);
            }
            (f.name.value.clone(), Value::Object(entry))
        })
        .collect();
    let mut entry = json!({
        "address": address.to_string(),
        "name": name,
        "runtime": app.runtime.as_str(),
        "version": version,
        "plan": app.plan.value.name(),
        "deployment_container": requirement::deployment_container(key),
        "project": project,
    });
    // Moved in: `json!` would copy the whole map, one value at a time.
    entry["functions"] = Value::Object(functions);
    entry
}

/// A JSON object of `entries`, moved in.
fn object<const N: usize>(entries: [(&str, Value); N]) -> Value {
    Value::Object(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consumption_offers_fewer_versions_than_the_other_plans() {
        let plan = |name| FunctionPlan::parse(name).unwrap();
        let y1 = versions(Runtime::Python, plan("Y1"));
        let ep = versions(Runtime::Python, plan("EP1"));
        assert!(y1.iter().all(|v| ep.contains(v)), "{y1:?} {ep:?}");
        assert!(ep.len() > y1.len(), "{y1:?} {ep:?}");
    }

    #[test]
    fn the_health_check_is_for_plans_with_an_instance_pool() {
        let plan = |name| FunctionPlan::parse(name).unwrap();
        assert!(health_checked(plan("EP1")));
        assert!(health_checked(plan("P1v3")));
        assert!(!health_checked(plan("Y1")));
    }

    #[test]
    fn joining_a_network_sets_only_what_the_network_plan_asks() {
        let mut body = json!({"site_config": {}});
        join_network(
            &mut body,
            &AppIntegration {
                subnet_id: "${azurerm_subnet.node.id}".into(),
                route_all: true,
                runtime_scale_monitoring: false,
            },
        );
        assert_eq!(
            body,
            json!({"virtual_network_subnet_id": "${azurerm_subnet.node.id}", "site_config": {"vnet_route_all_enabled": true}})
        );
    }

    #[test]
    fn each_runtime_names_its_version_in_its_own_attribute() {
        assert_eq!(
            application_stack(Runtime::DotnetIsolated, "8.0"),
            json!({"dotnet_version": "8.0", "use_dotnet_isolated_runtime": true})
        );
        assert_eq!(
            application_stack(Runtime::Powershell, "7.4"),
            json!({"powershell_core_version": "7.4"})
        );
        assert_eq!(
            application_stack(Runtime::Node, "22"),
            json!({"node_version": "22"})
        );
    }
}
