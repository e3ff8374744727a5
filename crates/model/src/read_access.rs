//! Who may call a function app: `auth` (sign-in with Microsoft Entra ID, at the top level or on
//! a `function-app` or `crud-api`) and `cors` (the origins whose pages may call it). This
//! module reads shapes and checks each value on its own; how the settings of the components
//! that share one app combine is the functions provider's merge.

use crate::backend::{Auth, AuthProvider, Cors, Guid};
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;

pub const AUTH_KEYS: &[&str] = &["provider", "tenant_id", "client_id", "allowed_audiences"];
pub const CORS_KEYS: &[&str] = &["origins", "credentials"];

/// `auth: {provider: entra, tenant_id, client_id, allowed_audiences}`; `what` names it.
pub fn auth(node: &Node, what: &str, sink: &mut Sink) -> Option<Auth> {
    let map = MapReader::new(node, what, AUTH_KEYS, sink)?;
    let provider = map
        .require("provider", what, sink)
        .and_then(|n| decode::one_of(n, "sign-in provider", AuthProvider::NAMES, sink))
        .map(|p| Spanned::new(AuthProvider::ALL[p.value], p.span));
    let tenant_id = map
        .require("tenant_id", what, sink)
        .and_then(|n| guid(n, "tenant_id", "the directory (tenant) ID", sink));
    let client_id = map
        .require("client_id", what, sink)
        .and_then(|n| guid(n, "client_id", "the application (client) ID", sink));
    let allowed_audiences = match map.get("allowed_audiences") {
        Some(node) => audiences(node, sink)?,
        None => Vec::new(),
    };
    Some(Auth {
        provider: provider?,
        tenant_id: tenant_id?,
        client_id: client_id?,
        allowed_audiences,
        span: node.span,
    })
}

fn guid(node: &Node, key: &str, meaning: &str, sink: &mut Sink) -> Option<Spanned<Guid>> {
    let text = decode::string(node, &format!("`{key}`"), sink)?;
    match Guid::parse(&text.value) {
        Some(guid) => Some(Spanned::new(guid, text.span)),
        None => {
            sink.push(
                Diagnostic::error(
                    &codes::AUTH_ID,
                    format!("`{key}` `{}` is not a GUID", text.value),
                )
                .at(node.span)
                .label("not a GUID")
                .help(format!(
                    "write {meaning} of the app registration as shown in the Entra admin center, e.g. `00000000-0000-0000-0000-000000000000`"
                )),
            );
            None
        }
    }
}

fn audiences(node: &Node, sink: &mut Sink) -> Option<Vec<Spanned<String>>> {
    let items = decode::list(node, "`allowed_audiences`", sink)?;
    let mut out: Vec<Spanned<String>> = Vec::new();
    for item in items {
        let Some(text) = decode::string(item, "an audience", sink) else {
            continue;
        };
        if text.is_empty() || text.chars().any(|c| c.is_whitespace() || c.is_control()) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("audience `{}` is empty or holds spaces", text.value),
                )
                .at(item.span)
                .help("write the Application ID URI (`api://…`) or the client id that tokens carry in `aud`"),
            );
            continue;
        }
        if out.iter().any(|a| a.value == text.value) {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_DUPLICATE_KEY,
                    format!("audience `{}` is listed twice", text.value),
                )
                .at(item.span)
                .help("list each audience once"),
            );
            continue;
        }
        out.push(text);
    }
    Some(out)
}

/// `cors: [origin, ...]` or `cors: {origins: [...], credentials: true}`.
pub fn cors(node: &Node, sink: &mut Sink) -> Cors {
    let mut cors = Cors::default();
    let list = match &node.value {
        Value::Map(_) => {
            let Some(map) = MapReader::new(node, "`cors`", CORS_KEYS, sink) else {
                return cors;
            };
            cors.credentials = map
                .get("credentials")
                .and_then(|n| decode::boolean(n, "`cors.credentials`", sink));
            match map.require("origins", "`cors`", sink) {
                Some(list) => list,
                None => return cors,
            }
        }
        _ => node,
    };
    let Some(items) = decode::list(list, "`cors`", sink) else {
        return cors;
    };
    let mut seen: BTreeMap<String, Span> = BTreeMap::new();
    for item in items {
        let Some(origin) = decode::string(item, "an origin in `cors`", sink) else {
            continue;
        };
        if let Some(first) = seen.get(&origin.value) {
            sink.push(
                origin_error(&origin, "is listed twice", "list each origin once")
                    .related(*first, "first"),
            );
            continue;
        }
        seen.insert(origin.value.clone(), origin.span);
        if let Some((problem, help)) = origin_problem(&origin.value) {
            sink.push(origin_error(&origin, &problem, &help));
            continue;
        }
        cors.origins.push(origin);
    }
    if let Some(any) = cors.origins.iter().find(|o| o.value == "*") {
        if cors.origins.len() > 1 {
            sink.push(origin_error(
                any,
                "allows every origin and cannot be combined with others",
                "keep `*` alone, or list the origins without it",
            ));
        }
    }
    cors
}

fn origin_error(origin: &Spanned<String>, problem: &str, help: &str) -> Diagnostic {
    Diagnostic::error(
        &codes::CORS_ORIGIN,
        format!("`{}` in `cors` {problem}", origin.value),
    )
    .at(origin.span)
    .label("not an allowed origin")
    .help(help.to_owned())
}

/// `*`, `https://host[:port]`, or `http://localhost[:port]` for local development: pages served
/// over plain HTTP from anywhere else could be tampered with on the way, and the API trusts them.
pub fn origin_problem(text: &str) -> Option<(String, String)> {
    if text == "*" {
        return None;
    }
    if let Some(problem) = origin_shape_problem(text) {
        return Some(problem);
    }
    match text.split_once("://") {
        Some(("http", rest)) => {
            let host = rest.rsplit_once(':').map_or(rest, |(host, _)| host);
            if host == "localhost" || host == "127.0.0.1" {
                None
            } else {
                Some((
                    "is plain `http`, which only `localhost` may use".to_owned(),
                    format!("serve the page over HTTPS and write `https://{rest}`"),
                ))
            }
        }
        _ => None,
    }
}

/// What makes `text` no browser origin: `http` or `https`, `://`, a lowercase host, an optional
/// port, nothing after it. The one check of an origin's shape; callers add their own policy
/// (the API's `cors` admits plain `http` for `localhost` only, a static site's for any host).
pub fn origin_shape_problem(text: &str) -> Option<(String, String)> {
    let example = "write `https://app.example.com` or `http://localhost:3000`".to_owned();
    let Some((scheme, rest)) = text.split_once("://") else {
        return Some(("has no scheme".to_owned(), example));
    };
    if scheme != "https" && scheme != "http" {
        return Some(("is not an `http` or `https` origin".to_owned(), example));
    }
    if rest.contains(['/', '?', '#']) {
        let help = match rest.split_once('/') {
            Some((host, "")) => format!("remove the trailing `/`: `{scheme}://{host}`"),
            _ => "an origin is a scheme, a host and a port, without a path".to_owned(),
        };
        return Some(("is not an origin: it has a path".to_owned(), help));
    }
    let (host, port) = match rest.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (rest, None),
    };
    if let Some(port) = port {
        if !port.parse::<u16>().is_ok_and(|p| p > 0) {
            return Some((format!("has the invalid port `{port}`"), example));
        }
    }
    if host.chars().any(|c| c.is_ascii_uppercase()) {
        return Some((
            "has uppercase letters in its host".to_owned(),
            "write the host in lowercase, as browsers send it".to_owned(),
        ));
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
    };
    if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
        return Some((format!("has the invalid host `{host}`"), example));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins() {
        for ok in [
            "*",
            "https://app.example.com",
            "https://a.b:8443",
            "http://localhost:3000",
            "http://localhost",
            "http://127.0.0.1:5173",
        ] {
            assert_eq!(origin_problem(ok), None, "{ok}");
        }
        for bad in [
            "app.example.com",
            "ftp://x.com",
            "http://x.com",
            "https://x.com/",
            "https://x.com/api",
            "https://X.com",
            "https://x.com:0",
            "https://x.com:99999",
            "https://",
            "https://a..b",
            "https://-a.b",
        ] {
            assert!(origin_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn guids() {
        let id = Guid::parse("72F988BF-86f1-41af-91ab-2d7cd011db47").map(|g| g.as_str().to_owned());
        assert_eq!(id.as_deref(), Some("72f988bf-86f1-41af-91ab-2d7cd011db47"));
        for bad in [
            "",
            "72f988bf86f141af91ab2d7cd011db47",
            "72f988bf-86f1-41af-91ab-2d7cd011db4",
            "72f988bf-86f1-41af-91ab-2d7cd011db4g",
            "{72f988bf-86f1-41af-91ab-2d7cd011db47}",
            "contoso.onmicrosoft.com",
        ] {
            assert_eq!(Guid::parse(bad), None, "{bad}");
        }
    }
}
