//! baas-providers: the only crate that knows Azure resource types.
//!
//! A [`ResourceProvider`] serves some requirement types. The [`Registry`] groups requirements
//! by `(type, key)`, asks the serving provider to merge each group into one, validates the
//! merged result (errors and warnings, never dropped), checks the configured limits across
//! everything merged, and finally asks each provider for the Terraform blocks it provisions.

pub mod claims;
pub mod codes;
pub mod context;
pub mod cosmos;
pub mod facts;
pub mod functions;
pub mod global;
pub mod lifecycle;
pub mod limits;
pub mod monitoring;
pub mod naming;
pub mod network;
pub mod registry;
pub mod resource_group;
pub mod servicebus;
pub mod staticsite;
pub mod storage;
pub mod template;

#[cfg(test)]
mod layering;
#[cfg(test)]
mod test_support;

pub use context::{Block, Claim, Claimed, Context, Merged, Provisioned, StackInfo, StackRole};
pub use registry::{Registry, Resolution};

use baas_model::diagnostic::Code;
use baas_model::{Diagnostic, Requirement};

/// Which stacks hold a merged requirement's resources.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// Every stack that holds the backend: each region, color and tenant gets its own copy.
    EveryStack,
    /// Once per deployment: in the `global` stack when the backend is deployed as several
    /// stacks (regions, colors, tenants), else in the one stack. For what must exist once,
    /// such as a custom domain and its DNS records.
    Deployment,
}

/// One kind of Azure resource family that baas can provision.
pub trait ResourceProvider: std::fmt::Debug + Send + Sync {
    /// A short name for diagnostics and the manifest (`cosmos`).
    fn name(&self) -> &'static str;

    /// The requirement types this provider serves (`cosmos-account`, ...).
    fn serves(&self) -> Vec<&str>;

    /// Merges requirements of one `(type, key)` into one. `group` is never empty and is in
    /// component order. Conflicts are errors pointing at both declarations.
    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>>;

    /// Checks one merged requirement in the context of everything merged. Nothing to check by
    /// default.
    fn validate(&self, _merged: &Merged, _context: &Context<'_>) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// Which stacks hold this requirement's resources: every stack that holds the backend (the
    /// default), or the deployment once (a static site).
    fn placement(&self, _merged: &Merged) -> Placement {
        Placement::EveryStack
    }

    /// The Terraform blocks, outputs and manifest entries for one merged requirement.
    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>>;

    /// What this provider needs of the azurerm provider's `features` block in the stack of
    /// `context`, added to `features` (an object). Nothing by default.
    fn provider_features(&self, _context: &Context<'_>, _features: &mut serde_json::Value) {}

    /// Files for the output folder besides the stacks (path, contents), such as generated
    /// application code, for one merged requirement. They are the same for every stack, so they
    /// are asked for once, after the stacks are built. None by default.
    fn files(&self, _merged: &Merged, _context: &Context<'_>) -> Vec<(String, String)> {
        Vec::new()
    }

    /// Every diagnostic code this provider can emit, for `baas explain`.
    fn codes(&self) -> &'static [&'static Code];
}
