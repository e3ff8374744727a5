//! The health endpoint every app that serves HTTP gets (the functions provider's merge adds the
//! `health` function, `GET api/health`, anonymous), as App Service's health check, the
//! availability tests and Traffic Manager's default probe call it.

use baas_model::requirement::{AppRequirement, FunctionOrigin};

/// The path of the generated health function.
pub const PATH: &str = baas_model::HEALTH_PROBE_PATH;

/// Whether the (merged) app serves HTTP, and so has the generated health function.
pub fn serves(app: &AppRequirement) -> bool {
    app.functions
        .iter()
        .any(|f| f.origin == FunctionOrigin::Health)
}
