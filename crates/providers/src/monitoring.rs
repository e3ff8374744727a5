//! Log Analytics and workspace-based Application Insights, shared by every app.
//!
//! Merge rule: one workspace per key; requirements carry the same settings (they all come
//! from the top-level `monitoring` block).

use crate::context::{Context, Merged, Provisioned};
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::kinds;
use baas_model::{Requirement, RequirementConfig};
use baas_terraform::Address;
use serde_json::json;

#[derive(Debug)]
pub struct MonitoringProvider;

pub fn workspace_address() -> Address {
    Address::resource("azurerm_log_analytics_workspace", "shared")
}

pub fn insights_address() -> Address {
    Address::resource("azurerm_application_insights", "shared")
}

impl ResourceProvider for MonitoringProvider {
    fn name(&self) -> &'static str {
        "monitoring"
    }

    fn serves(&self) -> Vec<&str> {
        vec![kinds::MONITORING]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        Ok(Merged::from_group(group))
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::Monitoring(settings) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let span = context.backend.monitoring.span;
        let workspace_name = context.name(ResourceKind::LogAnalyticsWorkspace, "", span);
        let insights_name = context.name(ResourceKind::ApplicationInsights, "", span);
        let (workspace_name, insights_name) = match (workspace_name, insights_name) {
            (Ok(w), Ok(i)) => (w, i),
            (w, i) => return Err(w.err().into_iter().chain(i.err()).collect()),
        };
        let mut out = Provisioned::default();
        let workspace = workspace_address();
        out.block(
            workspace.clone(),
            json!({
                "name": workspace_name,
                "location": context.location(),
                "resource_group_name": context.resource_group_name(),
                "sku": "PerGB2018",
                "retention_in_days": settings.retention_days.value,
            }),
            &merged.sources,
        );
        out.block(
            insights_address(),
            json!({
                "name": insights_name,
                "location": context.location(),
                "resource_group_name": context.resource_group_name(),
                "application_type": "web",
                "workspace_id": workspace.id(),
                "sampling_percentage": settings.sampling_percentage.value,
                "local_authentication_disabled": true,
            }),
            &merged.sources,
        );
        out.manifest_entry(
            context,
            "monitoring",
            &merged.key,
            || json!({ "workspace": workspace_name, "application_insights": insights_name }),
        );
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        &[]
    }
}
