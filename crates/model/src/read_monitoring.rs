//! `monitoring`: the workspace's retention and sampling, diagnostic settings, alerts and
//! availability tests. Alerts are validated here (receivers, severity); which resources get
//! which rule is the monitoring provider's business.

use crate::backend::{Alerts, Monitoring};
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::yaml::{Node, Value};

/// The keys of `monitoring.alerts`.
pub const ALERT_KEYS: &[&str] = &["email", "webhook", "severity"];

/// The severity of every rule unless `alerts.severity` says otherwise: 2, "warning" in Azure's
/// scale from 0 (critical) to 4 (verbose).
pub const DEFAULT_SEVERITY: u8 = 2;

/// Reads `monitoring`; `fallback` (the document) is where defaults point.
pub fn monitoring(node: Option<&Node>, fallback: Span, sink: &mut Sink) -> Monitoring {
    let span = node.map_or(fallback, |n| n.span);
    let mut monitoring = Monitoring {
        enabled: true,
        retention_days: Spanned::defaulted(90, span),
        sampling_percentage: Spanned::defaulted(100.0, span),
        diagnostics: Spanned::defaulted(true, span),
        alerts: None,
        availability: Spanned::defaulted(true, span),
        workspace: None,
        span,
    };
    let Some(node) = node else { return monitoring };
    let Some(map) = MapReader::new(node, "`monitoring`", crate::read::keys::MONITORING, sink)
    else {
        return monitoring;
    };
    if let Some(enabled) = map
        .get("enabled")
        .and_then(|n| decode::boolean(n, "`monitoring.enabled`", sink))
    {
        monitoring.enabled = enabled.value;
    }
    // Log Analytics accepts 30..=730 days on the PerGB2018 SKU.
    if let Some(days) = map
        .get("retention_days")
        .and_then(|n| decode::integer(n, "`monitoring.retention_days`", 30, 730, sink))
    {
        monitoring.retention_days = Spanned::new(days.value as u32, days.span);
    }
    if let Some(p) = map
        .get("sampling_percentage")
        .and_then(|n| decode::number(n, "`monitoring.sampling_percentage`", 0.0, 100.0, sink))
    {
        monitoring.sampling_percentage = p;
    }
    if let Some(diagnostics) = map
        .get("diagnostics")
        .and_then(|n| decode::boolean(n, "`monitoring.diagnostics`", sink))
    {
        monitoring.diagnostics = diagnostics;
    }
    if let Some(availability) = map
        .get("availability")
        .and_then(|n| decode::boolean(n, "`monitoring.availability`", sink))
    {
        monitoring.availability = availability;
    }
    if let Some(node) = map.get("workspace") {
        monitoring.workspace = crate::existing::existing_resource(
            node,
            "monitoring.workspace",
            "log-platform-{{env}}",
            sink,
        );
        if let (Some(_), Some(days)) = (&monitoring.workspace, map.get("retention_days")) {
            // Retention is a property of the workspace, which its owner sets.
            sink.push(
                Diagnostic::warning(
                    &codes::LANDING_ZONE_WORKSPACE,
                    "`monitoring.retention_days` is not applied to the existing workspace",
                )
                .at(days.span)
                .label("the workspace keeps its own retention")
                .related(node.span, "existing workspace")
                .help("remove `retention_days`, or ask the workspace's owner for the retention you need"),
            );
        }
    }
    if let Some(node) = map.get("alerts") {
        monitoring.alerts = alerts(node, sink);
        if let (Some(alerts), false) = (&monitoring.alerts, monitoring.enabled) {
            sink.push(
                Diagnostic::warning(
                    &codes::MONITORING_ALERTS,
                    "`monitoring.alerts` does nothing with `monitoring.enabled: false`",
                )
                .at(alerts.span)
                .label("no alert rule is created")
                .help("remove `alerts`, or write `alerts: false` in the environment that turns monitoring off"),
            );
        }
    }
    monitoring
}

/// `alerts`: a mapping of receivers and severity, or `false` (an environment without alerts).
fn alerts(node: &Node, sink: &mut Sink) -> Option<Alerts> {
    if matches!(&node.value, Value::Scalar { text, quoted: false } if text == "false") {
        return None;
    }
    if matches!(&node.value, Value::Scalar { .. }) {
        sink.push(decode::type_error(
            node,
            "`monitoring.alerts` must be a mapping with `email` (and `webhook`, `severity`), or `false`",
        ));
        return None;
    }
    let map = MapReader::new(node, "`monitoring.alerts`", ALERT_KEYS, sink)?;
    let mut email = Vec::new();
    if let Some(items) = map
        .get("email")
        .and_then(|n| decode::list(n, "`monitoring.alerts.email`", sink))
    {
        for item in items {
            let Some(address) = decode::string(item, "an alert email address", sink) else {
                continue;
            };
            if !is_email(&address.value) {
                sink.push(
                    Diagnostic::error(
                        &codes::MONITORING_ALERTS,
                        format!("`{}` is not an email address", address.value),
                    )
                    .at(address.span)
                    .label("not an email address")
                    .help("write one address per item, e.g. `oncall@example.com`"),
                );
            } else if email
                .iter()
                .any(|e: &Spanned<String>| e.value.eq_ignore_ascii_case(&address.value))
            {
                sink.push(
                    Diagnostic::error(
                        &codes::MONITORING_ALERTS,
                        format!("`{}` is listed twice", address.value),
                    )
                    .at(address.span)
                    .label("again")
                    .help("remove one of them"),
                );
            } else {
                email.push(address);
            }
        }
    }
    let webhook = map
        .get("webhook")
        .and_then(|n| decode::string(n, "`monitoring.alerts.webhook`", sink))
        .filter(|url| {
            let valid = is_https_url(&url.value);
            if !valid {
                sink.push(
                    Diagnostic::error(
                        &codes::MONITORING_ALERTS,
                        format!("`{}` is not an HTTPS URL", url.value),
                    )
                    .at(url.span)
                    .label("not an HTTPS URL")
                    .help("write the hook's full URL, starting with `https://` (alerts carry resource names: never send them in clear text)"),
                );
            }
            valid
        });
    let severity = map
        .get("severity")
        .and_then(|n| decode::integer(n, "`monitoring.alerts.severity`", 0, 4, sink))
        .map_or(Spanned::defaulted(DEFAULT_SEVERITY, node.span), |s| {
            Spanned::new(s.value as u8, s.span)
        });
    let has_receiver_key = map.get("email").is_some() || map.get("webhook").is_some();
    if !has_receiver_key {
        sink.push(
            Diagnostic::error(
                &codes::MONITORING_ALERTS,
                "`monitoring.alerts` names nobody to notify",
            )
            .at(node.span)
            .label("no `email` or `webhook`")
            .help("add `email: [oncall@example.com]` or a `webhook`, or write `alerts: false` for no alerts"),
        );
    }
    Some(Alerts {
        email,
        webhook,
        severity,
        span: node.span,
    })
}

/// An address of the form `local@domain.tld`: one `@`, no spaces, a dot in the domain, at most
/// 254 characters (the SMTP limit). Azure checks nothing more before it sends.
fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    text.len() <= 254
        && !local.is_empty()
        && !domain.contains('@')
        && !text.chars().any(|c| c.is_whitespace() || c.is_control())
        && domain
            .split_once('.')
            .is_some_and(|(host, rest)| !host.is_empty() && !rest.is_empty())
        && !domain.ends_with('.')
}

/// `https://host[/path]`, without spaces.
fn is_https_url(text: &str) -> bool {
    text.strip_prefix("https://").is_some_and(|rest| {
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        !host.is_empty() && !rest.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    use super::{is_email, is_https_url};

    #[test]
    fn emails() {
        for good in ["oncall@example.com", "a.b+c@sub.example.co.uk"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "oncall",
            "@example.com",
            "a@b",
            "a@@b.com",
            "a b@c.com",
            "a@b.",
            "a@.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn https_urls() {
        assert!(is_https_url("https://hooks.example.com/alerts?key=1"));
        for bad in [
            "http://hooks.example.com",
            "https://",
            "https:///path",
            "hooks.example.com",
            "https://a b",
        ] {
            assert!(!is_https_url(bad), "{bad}");
        }
    }
}
