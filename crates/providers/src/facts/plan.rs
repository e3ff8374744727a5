//! The function plan of each app, for every provider that depends on its properties (the
//! function app's resource type and settings, which subnets it joins, which role its Service
//! Bus triggers need). The plan itself, [`FunctionPlan`], is a model type.

use crate::context::Context;
use baas_model::requirement::kinds;
use baas_model::RequirementConfig;

pub use baas_model::plan::{FunctionPlan, NAMES};

/// The plan the function app `key` runs on, once merged; `None` for no such app or an unknown
/// plan.
pub fn of_app(context: &Context<'_>, key: &str) -> Option<FunctionPlan> {
    match context.find(kinds::FUNCTION_APP, key).map(|m| &m.config) {
        Some(RequirementConfig::FunctionApp(app)) => FunctionPlan::parse(&app.plan.value),
        _ => None,
    }
}
