//! The `static-site` component: documents, single-page routing, a custom domain in an Azure
//! DNS zone, compression, caching and CORS. Domain names, documents and values are checked
//! against Azure's rules by the static site provider, which owns them; this module reads
//! shapes and types.

use crate::backend::{SiteApi, StaticSite};
use crate::decode::{self, MapReader, Sink};
use crate::yaml::{Node, Value};

pub const KEYS: &[&str] = &[
    "type",
    "enabled",
    "protect",
    "renamed_from",
    "index_document",
    "error_document",
    "spa",
    "custom_domain",
    "dns_zone",
    "dns_zone_resource_group",
    "compression",
    "cache_max_age",
    "cors",
    "api",
];

/// The keys of `api` in its mapping form.
pub const API_KEYS: &[&str] = &["components", "waf", "rate_limit"];

pub fn static_site(map: &MapReader<'_>, sink: &mut Sink) -> Option<StaticSite> {
    let text = |key: &str, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::string(n, &format!("`{key}`"), sink))
    };
    let flag = |key: &str, sink: &mut Sink| {
        map.get(key)
            .and_then(|n| decode::boolean(n, &format!("`{key}`"), sink))
    };
    let index_document = text("index_document", sink);
    let error_document = text("error_document", sink);
    let spa = flag("spa", sink);
    let custom_domain = text("custom_domain", sink);
    let dns_zone = text("dns_zone", sink);
    let dns_zone_resource_group = text("dns_zone_resource_group", sink);
    let compression = flag("compression", sink);
    // Any whole number: the provider reports values outside Front Door's range with its own code.
    let cache_max_age = map
        .get("cache_max_age")
        .and_then(|n| decode::integer(n, "`cache_max_age`", i64::MIN, i64::MAX, sink));
    let cors = match map.get("cors") {
        Some(node) => decode::list(node, "`cors`", sink)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| decode::string(item, "an origin in `cors`", sink))
            .collect(),
        None => Vec::new(),
    };
    let api = map.get("api").and_then(|node| api(node, sink));
    Some(StaticSite {
        index_document,
        error_document,
        spa,
        custom_domain,
        dns_zone,
        dns_zone_resource_group,
        compression,
        cache_max_age,
        cors,
        api,
    })
}

/// `api: true | false | [component keys] | {components, waf, rate_limit}`; `false` is none.
fn api(node: &Node, sink: &mut Sink) -> Option<SiteApi> {
    let keys = |list: &Node, sink: &mut Sink| -> Vec<_> {
        decode::list(list, "`api`", sink)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| decode::string(item, "a component key in `api`", sink))
            .collect()
    };
    let mut api = SiteApi {
        components: None,
        waf: None,
        rate_limit: None,
        span: node.span,
    };
    match &node.value {
        Value::Seq(_) => api.components = Some(keys(node, sink)),
        Value::Map(_) => {
            let map = MapReader::new(node, "`api`", API_KEYS, sink)?;
            api.components = map.get("components").map(|list| keys(list, sink));
            api.waf = map
                .get("waf")
                .and_then(|n| decode::boolean(n, "`api.waf`", sink));
            // Any whole number: the provider reports values outside the WAF's range.
            api.rate_limit = map
                .get("rate_limit")
                .and_then(|n| decode::integer(n, "`api.rate_limit`", i64::MIN, i64::MAX, sink));
        }
        _ => {
            let on = decode::boolean(
                node,
                "`api` (true, a list of component keys, or a mapping)",
                sink,
            )?;
            if !on.value {
                return None;
            }
        }
    }
    Some(api)
}
