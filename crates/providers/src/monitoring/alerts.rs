//! Alerts (`monitoring.alerts`): one action group per stack and the metric alert rules of
//! [`RULES`], each on the resource it watches, notifying the group. The thresholds are in one
//! table, pinned by a test and documented in README.md ("Operating it").
//!
//! Each rule's description names the resource (its Azure name, by reference) and says what to
//! do, because it is what the email or the hook shows first.

use crate::context::{Context, Merged, Provisioned};
use crate::facts::{cosmos, health, refs};
use crate::naming::ResourceKind;
use baas_model::diagnostic::Diagnostic;
use baas_model::requirement::kinds;
use baas_model::{Alerts, RequirementConfig, Source};
use baas_terraform::Address;
use serde_json::{json, Value};

/// The stack's action group.
pub fn action_group() -> Address {
    Address::resource("azurerm_monitor_action_group", "shared")
}

/// What a rule watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Watched {
    /// Every function app that serves HTTP.
    HttpApp,
    /// Every function app, through the shared Application Insights (its invocations are
    /// requests there, whatever their trigger), filtered to the app by its role name.
    AppInsightsOfApp,
    /// Every Service Bus namespace.
    Namespace,
    /// Every Cosmos DB account the stack creates.
    CosmosAccount,
    /// Every Cosmos DB account with provisioned throughput (not serverless).
    ProvisionedCosmosAccount,
}

/// How a rule narrows its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dimension {
    /// The metric as a whole.
    None,
    /// `cloud/roleName` = the app's Azure name: Application Insights is shared by every app.
    RoleNameOfApp,
    /// One value of a dimension, e.g. `StatusCode` = `429`.
    Value(&'static str, &'static str),
}

/// One metric alert rule, per watched resource.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rule {
    /// The last part of the rule's label and name.
    pub id: &'static str,
    pub watched: Watched,
    pub metric_namespace: &'static str,
    pub metric: &'static str,
    pub aggregation: &'static str,
    /// Fires when the aggregate over `window` is greater than this.
    pub threshold: f64,
    pub dimension: Dimension,
    /// ISO 8601 durations azurerm accepts: the window and how often it is evaluated.
    pub window: &'static str,
    pub frequency: &'static str,
    /// What happened, after the resource's name ("answered ...").
    pub what: &'static str,
    /// What to do about it.
    pub action: &'static str,
}

/// Every rule. Thresholds are meant to wake someone only for what needs a person: a handful of
/// server errors or failures in five minutes, any dead-lettered message (the dead-letter
/// pattern: nothing lands there unless a handler gave up), a backlog that stays, sustained
/// throttling, throughput near its limit.
pub const RULES: &[Rule] = &[
    Rule {
        id: "http-5xx",
        watched: Watched::HttpApp,
        metric_namespace: "Microsoft.Web/sites",
        metric: "Http5xx",
        aggregation: "Total",
        threshold: 5.0,
        dimension: Dimension::None,
        window: "PT5M",
        frequency: "PT1M",
        what: "answered more than 5 requests with an HTTP 5xx status in 5 minutes",
        action: "Open its failures in Application Insights (or the FunctionAppLogs table) for the exception; if a deployment caused it, redeploy the previous package",
    },
    Rule {
        id: "failed-executions",
        watched: Watched::AppInsightsOfApp,
        metric_namespace: "microsoft.insights/components",
        metric: "requests/failed",
        aggregation: "Count",
        threshold: 5.0,
        dimension: Dimension::RoleNameOfApp,
        window: "PT5M",
        frequency: "PT1M",
        what: "had more than 5 failed function executions (any trigger) in 5 minutes",
        action: "Open the failed requests in Application Insights for the function and exception; messages that keep failing are dead-lettered, timers retry at their next run",
    },
    Rule {
        id: "dead-lettered",
        watched: Watched::Namespace,
        metric_namespace: "Microsoft.ServiceBus/namespaces",
        metric: "DeadletteredMessages",
        aggregation: "Average",
        threshold: 0.0,
        dimension: Dimension::None,
        window: "PT5M",
        frequency: "PT5M",
        what: "holds dead-lettered messages",
        action: "Find the queue or subscription with Service Bus Explorer, read the messages' DeadLetterReason, fix the handler, then resubmit or delete them",
    },
    Rule {
        id: "active-messages",
        watched: Watched::Namespace,
        metric_namespace: "Microsoft.ServiceBus/namespaces",
        metric: "ActiveMessages",
        aggregation: "Average",
        threshold: 1000.0,
        dimension: Dimension::None,
        window: "PT15M",
        frequency: "PT5M",
        what: "kept more than 1,000 active messages waiting for 15 minutes",
        action: "Check that the consuming functions run and succeed (failed executions, the app's scale-out); raise the plan or the handlers' concurrency if they only fall behind",
    },
    Rule {
        id: "throttled",
        watched: Watched::CosmosAccount,
        metric_namespace: "Microsoft.DocumentDB/databaseAccounts",
        metric: "TotalRequests",
        aggregation: "Count",
        threshold: 10.0,
        dimension: Dimension::Value("StatusCode", "429"),
        window: "PT5M",
        frequency: "PT5M",
        what: "throttled more than 10 requests (HTTP 429) in 5 minutes",
        action: "The SDKs retry 429s, so clients see latency first; look for hot partitions (PartitionKeyRUConsumption) and raise the throughput, or the partition key's spread",
    },
    Rule {
        id: "normalized-ru",
        watched: Watched::ProvisionedCosmosAccount,
        metric_namespace: "Microsoft.DocumentDB/databaseAccounts",
        metric: "NormalizedRUConsumption",
        aggregation: "Maximum",
        threshold: 90.0,
        dimension: Dimension::None,
        window: "PT15M",
        frequency: "PT5M",
        what: "used more than 90% of a partition's provisioned throughput for 15 minutes",
        action: "Raise the autoscale maximum throughput, or spread a hot partition key; throttling (429) follows at 100%",
    },
];

/// One watched resource: its label part, id, Azure name and Application Insights role.
struct WatchedResource {
    label: String,
    display: &'static str,
    scope: String,
    name: String,
    sources: Vec<Source>,
}

/// The action group and every rule of the stack of `context`.
pub fn provision(
    context: &Context<'_>,
    alerts: &Alerts,
    merged: &Merged,
    out: &mut Provisioned,
) -> Result<(), Diagnostic> {
    let name = context.name(ResourceKind::ActionGroup, "", alerts.span)?;
    let group = action_group();
    let emails: Vec<Value> = alerts
        .email
        .iter()
        .enumerate()
        .map(|(i, email)| {
            json!({ "name": format!("email-{}", i + 1), "email_address": email.value, "use_common_alert_schema": true })
        })
        .collect();
    let mut body = json!({
        "name": name,
        "resource_group_name": context.resource_group_name(),
        // Shown as the sender of SMS and emails; the app name fits the 12 characters.
        "short_name": context.backend.name.value,
        "email_receiver": emails,
    });
    if let Some(webhook) = &alerts.webhook {
        body["webhook_receiver"] = json!([{ "name": "webhook", "service_uri": webhook.value, "use_common_alert_schema": true }]);
    }
    out.block(group.clone(), body, &merged.sources);
    out.stack_manifest_entry(
        "alerts",
        "action-group",
        json!({ "address": group.to_string(), "name": name }),
    );
    for rule in RULES {
        for target in targets(context, rule.watched) {
            rule_block(context, rule, &target, alerts, out);
        }
    }
    Ok(())
}

/// The resources `watched` names in this stack.
fn targets(context: &Context<'_>, watched: Watched) -> Vec<WatchedResource> {
    let mut found = Vec::new();
    match watched {
        Watched::HttpApp | Watched::AppInsightsOfApp => {
            for app in context.all(kinds::FUNCTION_APP) {
                let RequirementConfig::FunctionApp(spec) = &app.config else {
                    continue;
                };
                if watched == Watched::HttpApp && !health::serves(spec) {
                    continue;
                }
                let address = refs::function_app(context, &app.key);
                let scope = if watched == Watched::HttpApp {
                    address.id()
                } else {
                    refs::insights().id()
                };
                found.push(WatchedResource {
                    label: format!("app-{}", app.key),
                    display: "Function app",
                    scope,
                    name: address.attr("name"),
                    sources: app.sources.clone(),
                });
            }
        }
        Watched::Namespace => {
            for namespace in context.all(kinds::SERVICEBUS_NAMESPACE) {
                let address = refs::servicebus_namespace();
                found.push(WatchedResource {
                    label: format!("servicebus-{}", namespace.key),
                    display: "Service Bus namespace",
                    scope: address.id(),
                    name: address.attr("name"),
                    sources: namespace.sources.clone(),
                });
            }
        }
        Watched::CosmosAccount | Watched::ProvisionedCosmosAccount => {
            // A DR secondary reads the primary's account, whose stack watches it.
            if !refs::creates_cosmos_account(context.backend, &context.stack) {
                return found;
            }
            for account in context.all(kinds::COSMOS_ACCOUNT) {
                if watched == Watched::ProvisionedCosmosAccount
                    && cosmos::is_serverless(context, &account.key)
                {
                    continue;
                }
                let address = refs::cosmos_account(&account.key);
                found.push(WatchedResource {
                    label: format!("cosmos-{}", account.key),
                    display: "Cosmos DB account",
                    scope: address.id(),
                    name: address.attr("name"),
                    sources: account.sources.clone(),
                });
            }
        }
    }
    found
}

fn rule_block(
    context: &Context<'_>,
    rule: &Rule,
    target: &WatchedResource,
    alerts: &Alerts,
    out: &mut Provisioned,
) {
    let mut criteria = json!({
        "metric_namespace": rule.metric_namespace,
        "metric_name": rule.metric,
        "aggregation": rule.aggregation,
        "operator": "GreaterThan",
        "threshold": rule.threshold,
    });
    match rule.dimension {
        Dimension::None => {}
        Dimension::RoleNameOfApp => {
            criteria["dimension"] = json!([{ "name": "cloud/roleName", "operator": "Include", "values": [target.name] }]);
        }
        Dimension::Value(name, value) => {
            criteria["dimension"] =
                json!([{ "name": name, "operator": "Include", "values": [value] }]);
        }
    }
    let label = format!("{}-{}", target.label, rule.id);
    let address = Address::resource("azurerm_monitor_metric_alert", &label);
    out.block(
        address.clone(),
        json!({
            "name": format!("{}-{}", target.name, rule.id),
            "resource_group_name": context.resource_group_name(),
            "scopes": [target.scope],
            "description": format!("{} {} {}. {}.", target.display, target.name, rule.what, rule.action),
            "severity": alerts.severity.value,
            "frequency": rule.frequency,
            "window_size": rule.window,
            "criteria": [criteria],
            "action": [{ "action_group_id": action_group().id() }],
        }),
        &target.sources,
    );
    out.stack_manifest_entry(
        "alerts",
        &label,
        json!({
            "address": address.to_string(),
            "metric": format!("{}/{}", rule.metric_namespace, rule.metric),
            "condition": format!("{} > {}", rule.aggregation, rule.threshold),
            "window": rule.window,
        }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The thresholds are a promise to whoever is on call: a change here is a change of the
    /// documented behaviour (README.md's table, checked below).
    #[test]
    fn rules_are_pinned() {
        let table: Vec<(&str, &str, &str, f64, &str)> = RULES
            .iter()
            .map(|r| (r.id, r.metric, r.aggregation, r.threshold, r.window))
            .collect();
        assert_eq!(
            table,
            [
                ("http-5xx", "Http5xx", "Total", 5.0, "PT5M"),
                ("failed-executions", "requests/failed", "Count", 5.0, "PT5M"),
                (
                    "dead-lettered",
                    "DeadletteredMessages",
                    "Average",
                    0.0,
                    "PT5M"
                ),
                (
                    "active-messages",
                    "ActiveMessages",
                    "Average",
                    1000.0,
                    "PT15M"
                ),
                ("throttled", "TotalRequests", "Count", 10.0, "PT5M"),
                (
                    "normalized-ru",
                    "NormalizedRUConsumption",
                    "Maximum",
                    90.0,
                    "PT15M"
                ),
            ]
        );
    }

    #[test]
    fn readme_documents_every_rule() {
        let readme = include_str!("../../../../README.md");
        for rule in RULES {
            let row = format!(
                "| `{}` | `{}` {} > {} over {} |",
                rule.id, rule.metric, rule.aggregation, rule.threshold, rule.window
            );
            assert!(readme.contains(&row), "README.md lacks the row {row}");
        }
    }

    #[test]
    fn windows_are_at_least_the_frequency() {
        let minutes = |d: &str| -> u32 {
            d.trim_start_matches("PT")
                .trim_end_matches('M')
                .parse()
                .unwrap_or(u32::MAX)
        };
        for rule in RULES {
            assert!(
                minutes(rule.window) >= minutes(rule.frequency),
                "{}",
                rule.id
            );
            // The description adds the final period.
            assert!(!rule.action.ends_with('.'), "{}", rule.id);
        }
    }
}
