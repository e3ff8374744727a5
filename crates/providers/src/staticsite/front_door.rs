//! A site's Front Door: profile, endpoint, origin group and origin, route, the rule set
//! (edge caching, single-page app rewrites, CORS headers) and the custom domain with its
//! DNS records and managed certificate.

use super::*;

pub(super) fn front_door(
    site: &StaticSite,
    context: &Context<'_>,
    profile_name: &str,
    endpoint_name: &str,
    addresses: &Addresses,
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) {
    out.block(
        addresses.profile.clone(),
        json!({
            "name": profile_name,
            "resource_group_name": context.resource_group_name(),
            // Premium only for the WAF's managed rule sets (see `api`).
            "sku_name": api::profile_sku(site),
        }),
        sources,
    );
    out.block(
        addresses.endpoint.clone(),
        json!({
            "name": endpoint_name,
            "cdn_frontdoor_profile_id": addresses.profile.id(),
            "enabled": true,
        }),
        sources,
    );
    out.block(
        addresses.origin_group.clone(),
        json!({
            "name": "storage",
            "cdn_frontdoor_profile_id": addresses.profile.id(),
            "session_affinity_enabled": false,
            "health_probe": {
                "interval_in_seconds": HEALTH_PROBE_INTERVAL,
                "path": "/",
                "protocol": "Https",
                "request_type": "HEAD",
            },
            "load_balancing": {
                "sample_size": 4,
                "successful_samples_required": 3,
                "additional_latency_in_milliseconds": 50,
            },
        }),
        sources,
    );
    let web_host = addresses.account.attr("primary_web_host");
    out.block(
        addresses.origin.clone(),
        json!({
            "name": "storage-web",
            "cdn_frontdoor_origin_group_id": addresses.origin_group.id(),
            "enabled": true,
            "host_name": web_host,
            "origin_host_header": web_host,
            "certificate_name_check_enabled": true,
            "http_port": 80,
            "https_port": 443,
            "priority": 1,
            "weight": 1000,
            // The web endpoint answers once static website hosting is on.
            "depends_on": [addresses.website.to_string()],
        }),
        sources,
    );
    let rules = rules(site);
    if !rules.is_empty() {
        out.block(
            addresses.rule_set.clone(),
            json!({
                "name": rule_set_name(&addresses.name_key),
                "cdn_frontdoor_profile_id": addresses.profile.id(),
            }),
            sources,
        );
    }
    for (order, rule) in rules.iter().enumerate() {
        let mut body = json!({
            "name": rule.name,
            "cdn_frontdoor_rule_set_id": addresses.rule_set.id(),
            "order": order + 1,
            "behavior_on_match": "Continue",
            "actions": rule.actions,
            // Front Door rejects rules that are created before the origin they serve.
            "depends_on": [addresses.origin_group.to_string(), addresses.origin.to_string()],
        });
        if let Some(conditions) = &rule.conditions {
            body["conditions"] = conditions.clone();
        }
        out.block(addresses.rule(&rule.address), body, sources);
    }
    let mut route = json!({
        "name": "site",
        "cdn_frontdoor_endpoint_id": addresses.endpoint.id(),
        "cdn_frontdoor_origin_group_id": addresses.origin_group.id(),
        "cdn_frontdoor_origin_ids": [addresses.origin.id()],
        "enabled": true,
        "patterns_to_match": ["/*"],
        "supported_protocols": ["Http", "Https"],
        "https_redirect_enabled": true,
        "forwarding_protocol": "HttpsOnly",
        "link_to_default_domain": true,
    });
    if !rules.is_empty() {
        route["cdn_frontdoor_rule_set_ids"] = json!([addresses.rule_set.id()]);
    }
    if site.cache_max_age() > 0 {
        route["cache"] = cache_block(site);
    }
    if valid_domain(site).is_some() {
        route["cdn_frontdoor_custom_domain_ids"] = json!([addresses.custom_domain.id()]);
    }
    out.block(addresses.route.clone(), route, sources);
}

/// The route's caching: query strings are part of the cache key, so `app.js?v=2` is fresh.
pub(super) fn cache_block(site: &StaticSite) -> Value {
    let mut cache = json!({
        "query_string_caching_behavior": "UseQueryString",
        "compression_enabled": site.compression(),
    });
    if site.compression() {
        cache["content_types_to_compress"] = json!(CONTENT_TYPES_TO_COMPRESS);
    }
    cache
}

/// Rule set names are letters and digits, starting with a letter; one per profile.
pub(super) fn rule_set_name(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).collect()
}

pub(super) struct Rule {
    /// Appended to the component key in the Terraform address.
    address: String,
    /// Letters and digits only.
    name: String,
    conditions: Option<Value>,
    actions: Value,
}

pub(super) fn rules(site: &StaticSite) -> Vec<Rule> {
    let mut rules = Vec::new();
    let age = site.cache_max_age();
    if age > 0 {
        // Files without their own Cache-Control stay at the edge for `cache_max_age`.
        rules.push(Rule {
            address: "cache".to_owned(),
            name: "CacheMaxAge".to_owned(),
            conditions: None,
            actions: json!({
                "route_configuration_override_action": {
                    "cache_behavior": "OverrideIfOriginMissing",
                    "cache_duration": cache_duration(age),
                    "query_string_caching_behavior": "UseQueryString",
                    "compression_enabled": site.compression(),
                },
            }),
        });
    }
    if site.spa() {
        // Client-side routes (no file extension) get the index document with status 200.
        rules.push(Rule {
            address: "spa".to_owned(),
            name: "SpaFallback".to_owned(),
            conditions: Some(json!({
                "url_file_extension_condition": {
                    "operator": "LessThan",
                    "match_values": ["1"],
                },
            })),
            actions: json!({
                "url_rewrite_action": {
                    "source_pattern": "/",
                    "destination": format!("/{}", site.index_document()),
                    "preserve_unmatched_path": false,
                },
            }),
        });
    }
    let origins: Vec<&Spanned<String>> = site.cors.iter().collect();
    if origins.iter().any(|o| o.value == "*") {
        rules.push(Rule {
            address: "cors".to_owned(),
            name: "CorsAnyOrigin".to_owned(),
            conditions: None,
            actions: json!({
                "response_header_action": {
                    "header_action": "Overwrite",
                    "header_name": "Access-Control-Allow-Origin",
                    "value": "*",
                },
            }),
        });
    } else if !origins.is_empty() {
        let vary = if site.compression() && age > 0 {
            "Origin, Accept-Encoding"
        } else {
            "Origin"
        };
        rules.push(Rule {
            address: "cors-vary".to_owned(),
            name: "CorsVary".to_owned(),
            conditions: None,
            actions: json!({
                "response_header_action": {
                    "header_action": "Overwrite",
                    "header_name": "Vary",
                    "value": vary,
                },
            }),
        });
        let mut seen = std::collections::BTreeSet::new();
        for origin in origins {
            if !seen.insert(origin.value.as_str()) {
                continue;
            }
            rules.push(Rule {
                address: format!("cors-{}", origin_address(&origin.value)),
                name: format!("Cors{}", short_hash(&origin.value)),
                conditions: Some(json!({
                    "request_header_condition": {
                        "header_name": "Origin",
                        "operator": "Equal",
                        "match_values": [origin.value],
                    },
                })),
                actions: json!({
                    "response_header_action": {
                        "header_action": "Overwrite",
                        "header_name": "Access-Control-Allow-Origin",
                        "value": origin.value,
                    },
                }),
            });
        }
    }
    rules
}

/// Front Door's `HH:MM:SS` below a day, `d.HH:MM:SS` from one day up.
pub(super) fn cache_duration(seconds: i64) -> String {
    let seconds = seconds.clamp(0, MAX_CACHE_MAX_AGE);
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let time = format!(
        "{:02}:{:02}:{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    );
    if days == 0 {
        time
    } else {
        format!("{days}.{time}")
    }
}

/// An origin as a Terraform name part: `https://app.example.com:8443` → `https-app_example_com-8443`.
pub(super) fn origin_address(origin: &str) -> String {
    origin
        .replace("://", "-")
        .chars()
        .map(|c| match c {
            '.' => '_',
            c if c.is_ascii_alphanumeric() || c == '-' || c == '_' => c,
            _ => '-',
        })
        .collect()
}

/// Eight hex digits of SHA-256: stable Azure names for rules that follow list edits.
pub(super) fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(super) fn custom_domain(
    domain: &Domain,
    addresses: &Addresses,
    api_routes: &[Address],
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) {
    let mut zone = json!({ "name": domain.zone });
    if let Some(rg) = &domain.resource_group {
        zone["resource_group_name"] = json!(rg);
    }
    out.block(addresses.zone.clone(), zone, sources);
    let zone_name = addresses.zone.attr("name");
    let zone_group = addresses.zone.attr("resource_group_name");
    out.block(
        addresses.custom_domain.clone(),
        json!({
            "name": domain.host.replace('.', "-"),
            "cdn_frontdoor_profile_id": addresses.profile.id(),
            "dns_zone_id": addresses.zone.id(),
            "host_name": domain.host,
            "tls": {
                "certificate_type": "ManagedCertificate",
                "minimum_tls_version": "TLS12",
            },
        }),
        sources,
    );
    out.block(
        addresses.association.clone(),
        json!({
            "cdn_frontdoor_custom_domain_id": addresses.custom_domain.id(),
            // Every route that serves the domain: the provider checks that each one lists it
            // (`cdn_frontdoor_custom_domain_association_resource.go:211-228`, v4.55.0).
            "cdn_frontdoor_route_ids": std::iter::once(&addresses.route)
                .chain(api_routes)
                .map(Address::id)
                .collect::<Vec<_>>(),
        }),
        sources,
    );
    out.block(
        address("azurerm_dns_txt_record", &addresses.key),
        json!({
            "name": domain.txt_name(),
            "zone_name": zone_name,
            "resource_group_name": zone_group,
            "ttl": DNS_TTL,
            "record": [{ "value": addresses.custom_domain.attr("validation_token") }],
        }),
        sources,
    );
    // Traffic moves only once Front Door knows the domain and its routes.
    let after: Vec<String> = std::iter::once(&addresses.route)
        .chain(api_routes)
        .chain([&addresses.association])
        .map(Address::to_string)
        .collect();
    if domain.is_apex() {
        // A CNAME cannot live at the zone apex: an alias A record points at the endpoint.
        out.block(
            address("azurerm_dns_a_record", &addresses.key),
            json!({
                "name": "@",
                "zone_name": zone_name,
                "resource_group_name": zone_group,
                "ttl": DNS_TTL,
                "target_resource_id": addresses.endpoint.id(),
                "depends_on": after,
            }),
            sources,
        );
    } else {
        out.block(
            address("azurerm_dns_cname_record", &addresses.key),
            json!({
                "name": domain.relative,
                "zone_name": zone_name,
                "resource_group_name": zone_group,
                "ttl": DNS_TTL,
                "record": addresses.endpoint.attr("host_name"),
                "depends_on": after,
            }),
            sources,
        );
    }
}

/// The custom domain and its records exist once: a second Front Door profile or stack that
/// wrote them would fail to apply.
pub(super) fn claim_domain(domain: &Domain, span: Span, out: &mut Provisioned) {
    let record = |name: String, record_type| Claimed::DnsRecord {
        zone: domain.zone.clone(),
        name,
        record_type,
    };
    out.claim(Claimed::CustomDomain(domain.host.clone()), span);
    out.claim(record(domain.txt_name(), "TXT"), span);
    let target = if domain.is_apex() {
        record("@".to_owned(), "A")
    } else {
        record(domain.relative.clone(), "CNAME")
    };
    out.claim(target, span);
}
