//! Log Analytics and workspace-based Application Insights, shared by every app, and how the
//! stack is operated: diagnostic settings on every service (`diagnostics`), an action group
//! and metric alert rules (`alerts`), availability tests of the apps that serve HTTP
//! (`availability`).
//!
//! Merge rule: one workspace per key; requirements carry the same settings (they all come
//! from the top-level `monitoring` block). Application Insights exists only in backends with
//! a function app; a backend of a namespace or a static site alone gets the workspace for its
//! diagnostic settings.

mod alerts;
mod availability;
mod diagnostics;

pub use alerts::{Dimension, Rule, Watched, RULES};
pub use availability::{FAILED_LOCATIONS, LOCATIONS};
pub use diagnostics::{Categories, Target, SETTING_NAME};

use crate::context::{Context, Merged, Provisioned, StackInfo, StackRole};
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

/// Whether the stacks hold Application Insights: only function apps report to it.
fn has_insights(context: &Context<'_>) -> bool {
    context.find(kinds::MONITORING, SHARED_MONITORING).is_some()
        && context.all(kinds::FUNCTION_APP).next().is_some()
}

/// The global stack's diagnostic settings (its Traffic Manager profiles), given what it holds
/// so far; nothing without monitoring or with `monitoring.diagnostics: false`.
pub fn provision_global(
    context: &Context<'_>,
    regional: &[StackInfo],
    global: &Provisioned,
) -> Result<Provisioned, Vec<Diagnostic>> {
    if context.find(kinds::MONITORING, SHARED_MONITORING).is_none() {
        return Ok(Provisioned::default());
    }
    let monitoring = &context.backend.monitoring;
    let mut out = if monitoring.sends_diagnostics() {
        diagnostics::provision_global(context, regional, global)?
    } else {
        Provisioned::default()
    };
    if monitoring.tests_availability() {
        availability::provision_global(context, regional, global, monitoring.alerting(), &mut out)
            .map_err(|d| vec![d])?;
    }
    Ok(out)
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
    if has_insights(context) && context.stack.role != StackRole::Global {
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
        let existing = context.backend.monitoring.workspace.as_ref();
        let workspace_name = match existing {
            Some(existing) => context
                .existing_azure_name(existing, ResourceKind::LogAnalyticsWorkspace)
                .map(|(name, group)| (name, Some(group))),
            None => context
                .name(ResourceKind::LogAnalyticsWorkspace, "", span)
                .map(|name| (name, None)),
        };
        let insights_name = context.name(ResourceKind::ApplicationInsights, "", span);
        let ((workspace_name, existing_group), insights_name) =
            match (workspace_name, insights_name) {
                (Ok(w), Ok(i)) => (w, i),
                (w, i) => return Err(w.err().into_iter().chain(i.err()).collect()),
            };
        let mut out = Provisioned::default();
        let workspace = refs::workspace(context.backend);
        match &existing_group {
            // The landing zone's workspace: read, never created; its retention is its owner's.
            // A stack that created one before forgets it rather than destroying it (and its
            // logs): `Provisioned::forget`.
            Some(group) => {
                out.block(
                    workspace.clone(),
                    json!({ "name": workspace_name, "resource_group_name": group }),
                    &merged.sources,
                );
                out.forget(Address::resource(
                    "azurerm_log_analytics_workspace",
                    "shared",
                ));
            }
            None => out.block(
                workspace.clone(),
                json!({
                    "name": workspace_name,
                    "location": context.location(),
                    "resource_group_name": context.resource_group_name(),
                    "sku": "PerGB2018",
                    "retention_in_days": settings.retention_days.value,
                }),
                &merged.sources,
            ),
        }
        let insights = has_insights(context);
        if insights {
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
        }
        let monitoring = &context.backend.monitoring;
        if monitoring.sends_diagnostics() {
            diagnostics::provision(context, &mut out);
        }
        if let Some(settings) = monitoring.alerting() {
            alerts::provision(context, settings, merged, &mut out).map_err(|e| vec![e])?;
        }
        if insights && monitoring.tests_availability() {
            availability::provision(context, monitoring.alerting(), &mut out);
        }
        out.manifest_entry(context, "monitoring", &merged.key, || {
            let mut entry = json!({ "workspace": workspace_name });
            if let Some(group) = &existing_group {
                entry["existing"] = json!({
                    "address": workspace.to_string(),
                    "resource_group": group,
                });
            }
            if insights {
                entry["application_insights"] = json!(insights_name);
            }
            entry
        });
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        &[]
    }
}
