//! The function plan of each app, for every provider that depends on its properties (the
//! function app's resource type and settings, which subnets it joins, which role its Service
//! Bus triggers need). The plan itself, [`FunctionPlan`], is a model type.

use crate::context::Context;
use baas_model::requirement::kinds;
use baas_model::RequirementConfig;

pub use baas_model::plan::{FunctionPlan, NAMES};

/// The plan the function app `key` runs on, once merged; `None` for no such app.
pub fn of_app(context: &Context<'_>, key: &str) -> Option<FunctionPlan> {
    match context.find(kinds::FUNCTION_APP, key).map(|m| &m.config) {
        Some(RequirementConfig::FunctionApp(app)) => Some(app.plan.value),
        _ => None,
    }
}

/// The app whose App Service plan the function app `key` runs on: itself, or, on Elastic
/// Premium and Dedicated plans, the first app (in key order) on the same SKU, because a Linux
/// plan hosts apps of every runtime and each plan is billed by its instances. Consumption apps
/// and `functions.plan_per_runtime: true` keep a plan each. A backend with one app per SKU
/// keeps its addresses (`azurerm_service_plan.<runtime>`).
pub fn plan_owner<'a>(context: &'a Context<'_>, key: &'a str) -> &'a str {
    let Some(RequirementConfig::FunctionApp(app)) =
        context.find(kinds::FUNCTION_APP, key).map(|m| &m.config)
    else {
        return key;
    };
    let shares = app.plan.value.is_elastic_premium() || app.plan.value.is_dedicated();
    if !shares || context.backend.functions.plan_per_runtime {
        return key;
    }
    context
        .all(kinds::FUNCTION_APP)
        .filter(|m| matches!(&m.config, RequirementConfig::FunctionApp(other) if other.plan.value == app.plan.value))
        .map(|m| m.key.as_str())
        .min()
        .unwrap_or(key)
}
