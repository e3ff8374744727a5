//! The `static-site` component: documents, single-page routing, a custom domain in an Azure
//! DNS zone, compression, caching and CORS. Domain names, documents and values are checked
//! against Azure's rules by the static site provider, which owns them; this module reads
//! shapes and types.

use crate::backend::StaticSite;
use crate::decode::{self, MapReader, Sink};

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
];

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
    })
}
