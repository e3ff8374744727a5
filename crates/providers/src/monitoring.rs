//! Log Analytics and workspace-based Application Insights, shared by every app.
//!
//! Merge rule: one workspace per key; requirements carry the same settings (they all come
//! from the top-level `monitoring` block).

use crate::context::{Context, Merged, Provisioned, StackRole};
use crate::facts::refs;
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::{kinds, SHARED_MONITORING};
use baas_model::{Requirement, RequirementConfig};
use baas_terraform::Address;
use serde_json::json;

#[derive(Debug)]
pub struct MonitoringProvider;

pub fn workspace_address() -> Address {
    Address::resource("azurerm_log_analytics_workspace", "shared")
}

/// What Application Insights needs of the provider's `features` block, in stacks that hold it.
///
/// Azure creates a "Failure Anomalies - <name>" smart detector alert rule (and an action
/// group) beside every Application Insights component, outside Terraform, so `destroy` fails
/// on a resource group that still holds them. With `disable_generated_rule` the provider
/// disables the rule after create and deletes it when it deletes the component
/// (`internal/services/applicationinsights/application_insights_resource.go:288-320` and
/// `:553-561`, feature declared at `internal/provider/features.go:61-73`, v4.55.0).
fn add_provider_features(context: &Context<'_>, features: &mut serde_json::Value) {
    let has_insights = context.find(kinds::MONITORING, SHARED_MONITORING).is_some()
        && context.stack.role != StackRole::Global;
    if has_insights {
        features["application_insights"] = json!({ "disable_generated_rule": true });
    }
}

impl ResourceProvider for MonitoringProvider {
    fn name(&self) -> &'static str {
        "monitoring"
    }

    fn provider_features(&self, context: &Context<'_>, features: &mut serde_json::Value) {
        add_provider_features(context, features);
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
            refs::insights(),
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
