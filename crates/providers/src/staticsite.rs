//! Static websites: a storage account of the site's own (static website hosting is
//! account-wide) behind Azure Front Door Standard, with an optional custom domain whose
//! records go into an existing Azure DNS zone.
//!
//! **A site exists once per deployment** ([`Placement::Deployment`]): under `multi-region`,
//! `blue-green`, `disaster-recovery` or several `isolation: account` tenants it lives in the
//! `global` stack, not in each regional, color or tenant stack (which would each create the same
//! custom domain, `_dnsauth` TXT record and CNAME, and the second apply would fail). Its origin
//! is one storage account in that stack, not one per region or color: a site's files are build
//! output that Front Door caches at its edge, so regional copies would add little availability
//! (an origin is reached only on a cache miss) while every deploy would have to upload to each of
//! them and keep them alike; one account is one upload target (the manifest's
//! `stacks.<stack>.static_sites`), one name and one `max_storage_accounts` count. The price: while
//! the global stack's region (the primary `location`) is down, files not cached at the edge
//! fail, and a blue-green switch-over does not switch the site's files (deploy files both colors
//! can serve).
//!
//! Merge rules: none — each `static-site` component is its own requirement (key = component
//! key). Validation: document names, `custom_domain` with `dns_zone` (the domain inside the
//! zone, unique across sites), `cache_max_age` within Front Door's range, compression only
//! with caching, `cors` origins.
//!
//! What is generated for a site `web`:
//! - `azurerm_storage_account.web` with the secure defaults of [`crate::facts::defaults`], and
//!   `azurerm_storage_account_static_website.web` (the account's `static_website` block is
//!   deprecated in azurerm 4.x). A single-page app gets the index document as its 404 document, or its `error_document`,
//!   served for missing files (paths with an extension; the others are rewritten).
//! - `azurerm_cdn_frontdoor_profile.web` (Standard), `…_endpoint.web`, `…_origin_group.web`
//!   (HEAD `/` over HTTPS every 100 s), `…_origin.web` (the account's `primary_web_host`, with
//!   certificate name check), `…_route.web` (`/*`, HTTP redirected to HTTPS, HTTPS to the
//!   origin, caching with compression).
//! - `azurerm_cdn_frontdoor_rule_set.web` with rules: `cache` (edge cache duration when the
//!   file has no `Cache-Control`: `route_configuration_override_action`), `spa` (paths without
//!   a file extension are rewritten to the index document, so client-side routes answer 200),
//!   and CORS rules (`Access-Control-Allow-Origin`, `Vary: Origin`).
//! - With `api`: an origin group, origins and a `/api/*` route to the function apps, and with
//!   `waf` a WAF policy and a Premium profile (see [`api`]).
//! - With `custom_domain`: `data.azurerm_dns_zone.web`, `azurerm_cdn_frontdoor_custom_domain.web`
//!   (managed certificate, TLS 1.2), the `_dnsauth` TXT record with its validation token, a
//!   CNAME to the endpoint (an alias A record at the zone apex), and
//!   `azurerm_cdn_frontdoor_custom_domain_association.web`.

mod api;
mod front_door;
mod validate;

use crate::codes;
use crate::context::{Claimed, Context, Merged, Provisioned};
use crate::facts::defaults::secure_storage_account;
use crate::facts::dns::{dns_name_problem, relative_name, resource_group_problem};
use crate::facts::refs;
use crate::naming::ResourceKind;
use crate::Placement;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::kinds;
use baas_model::{Requirement, RequirementConfig, Span, Spanned, StaticSite};
use baas_terraform::Address;
use front_door::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use validate::*;

/// Front Door's longest cache duration is `365.23:59:59`; baas allows whole days up to 365.
pub const MAX_CACHE_MAX_AGE: i64 = 365 * 86_400;
/// One Front Door rule per origin, and a rule set holds 100 rules (baas uses up to 3 others).
pub const MAX_CORS_ORIGINS: usize = 90;
/// The blob container Azure creates for a static website's files.
pub const WEB_CONTAINER: &str = "$web";
const DNS_TTL: u32 = 3600;
const HEALTH_PROBE_INTERVAL: u32 = 100;
/// Compressible types, all from the list Front Door accepts (`application/wasm` is not on it).
const CONTENT_TYPES_TO_COMPRESS: &[&str] = &[
    "application/javascript",
    "application/json",
    "application/vnd.ms-fontobject",
    "application/x-javascript",
    "application/xhtml+xml",
    "application/xml",
    "font/eot",
    "font/otf",
    "font/ttf",
    "image/svg+xml",
    "text/css",
    "text/csv",
    "text/html",
    "text/javascript",
    "text/plain",
    "text/xml",
];

static STATIC_SITE_CODES: &[&Code] = &[
    &codes::STATIC_SITE_DOCUMENT,
    &codes::STATIC_SITE_DOMAIN_ZONE,
    &codes::STATIC_SITE_DOMAIN_NAME,
    &codes::STATIC_SITE_DOMAIN_OUTSIDE_ZONE,
    &codes::STATIC_SITE_DOMAIN_TAKEN,
    &codes::STATIC_SITE_RESOURCE_GROUP,
    &codes::STATIC_SITE_CACHE_MAX_AGE,
    &codes::STATIC_SITE_COMPRESSION,
    &codes::STATIC_SITE_CORS,
    &codes::STATIC_SITE_API,
];

#[derive(Debug)]
pub struct StaticSiteProvider;

fn address(resource_type: &str, key: &str) -> Address {
    Address::resource(resource_type, key)
}

/// The name of the output that holds a site's URL.
pub fn url_output(key: &str) -> String {
    format!("static_site_{key}_url")
}

impl ResourceProvider for StaticSiteProvider {
    fn name(&self) -> &'static str {
        "static-site"
    }

    fn serves(&self) -> Vec<&str> {
        vec![kinds::STATIC_SITE]
    }

    /// A site is one thing for the whole deployment: one Front Door profile, endpoint, custom
    /// domain and set of DNS records, and one storage account as its origin (in the `global`
    /// stack when the backend is deployed as several stacks; see the module doc).
    fn placement(&self, _merged: &Merged) -> Placement {
        Placement::Deployment
    }

    /// Component keys are unique, so a group holds one requirement.
    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        Ok(Merged::from_group(group))
    }

    fn validate(&self, merged: &Merged, context: &Context<'_>) -> Vec<Diagnostic> {
        let RequirementConfig::StaticSite(site) = &merged.config else {
            return Vec::new();
        };
        let mut out = Vec::new();
        documents(site, &mut out);
        domain(site, &mut out);
        domain_taken(site, context, &mut out);
        caching(site, &mut out);
        cors(site, &mut out);
        api::validate(site, context, &mut out);
        out
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::StaticSite(site) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let key = merged.key.as_str();
        let span = merged.span();
        // A renamed site keeps the Azure names of its old key; its addresses take the new key
        // (synth moves them: `baas_model::rename`).
        let name_key = context
            .backend
            .components
            .get(key)
            .map_or(key, |c| c.name_key());
        let names = [
            context.name(ResourceKind::StorageAccount, name_key, span),
            context.name(ResourceKind::FrontDoorProfile, name_key, span),
            context.name(ResourceKind::FrontDoorEndpoint, name_key, span),
        ];
        let errors: Vec<Diagnostic> = names
            .iter()
            .filter_map(|n| n.as_ref().err().cloned())
            .collect();
        let [Ok(account_name), Ok(profile_name), Ok(endpoint_name)] = names else {
            return Err(errors);
        };
        let mut out = Provisioned::default();
        let sources = &merged.sources;
        let addresses = Addresses::new(key, name_key);
        storage(site, context, &account_name, &addresses, sources, &mut out);
        front_door(
            site,
            context,
            &profile_name,
            &endpoint_name,
            &addresses,
            sources,
            &mut out,
        );
        let domain = valid_domain(site);
        let api_routes = api::provision(
            site,
            &api::SiteFrontDoor {
                key,
                profile: &addresses.profile,
                endpoint: &addresses.endpoint,
                custom_domain: domain.as_ref().map(|_| &addresses.custom_domain),
                sources,
            },
            context,
            &mut out,
        )?;
        if let Some(domain) = &domain {
            let span = site.custom_domain.as_ref().map_or(span, |d| d.span);
            custom_domain(domain, &addresses, &api_routes, sources, &mut out);
            claim_domain(domain, span, &mut out);
        }
        if !api_routes.is_empty() {
            out.output(
                &format!("static_site_{key}_api_url"),
                format!("https://{}/api", addresses.endpoint.attr("host_name")),
                "The API through the site's Front Door (`/api/*`)",
            );
        }
        out.output(
            &url_output(key),
            format!("https://{}", addresses.endpoint.attr("host_name")),
            "Static site URL (the Front Door endpoint)",
        );
        if let Some(domain) = &domain {
            out.output(
                &format!("static_site_{key}_custom_domain_url"),
                format!("https://{}", domain.host),
                "Static site URL on its custom domain",
            );
        }
        out.output(
            &format!("static_site_{key}_storage_account"),
            addresses.account.attr("name"),
            "Storage account whose `$web` container holds the site's files",
        );
        // Where this stack's deploy uploads the files, and the endpoint to purge afterwards.
        let group = context.resource_group_azure_name().map_err(|e| vec![e])?;
        out.stack_manifest_entry(
            "static_sites",
            key,
            json!({
                "storage_account": account_name,
                "container": WEB_CONTAINER,
                "resource_group": group,
                "front_door_profile": profile_name,
                "front_door_endpoint": endpoint_name,
            }),
        );
        out.manifest_entry(context, "static_sites", key, || {
            manifest_entry(
                site,
                &addresses,
                &account_name,
                &profile_name,
                &endpoint_name,
                domain.as_ref(),
                key,
            )
        });
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        STATIC_SITE_CODES
    }
}

/// Every address of one site, from its component key.
struct Addresses {
    key: String,
    /// The key the site's Azure names come from: its old key when it was renamed.
    name_key: String,
    account: Address,
    website: Address,
    profile: Address,
    endpoint: Address,
    origin_group: Address,
    origin: Address,
    rule_set: Address,
    route: Address,
    zone: Address,
    custom_domain: Address,
    association: Address,
}

impl Addresses {
    fn new(key: &str, name_key: &str) -> Addresses {
        Addresses {
            key: key.to_owned(),
            name_key: name_key.to_owned(),
            account: refs::storage_account(key),
            website: address("azurerm_storage_account_static_website", key),
            profile: refs::frontdoor_profile(key),
            endpoint: refs::frontdoor_endpoint(key),
            origin_group: address("azurerm_cdn_frontdoor_origin_group", key),
            origin: address("azurerm_cdn_frontdoor_origin", key),
            rule_set: address("azurerm_cdn_frontdoor_rule_set", key),
            route: address("azurerm_cdn_frontdoor_route", key),
            zone: Address::data("azurerm_dns_zone", key),
            custom_domain: address("azurerm_cdn_frontdoor_custom_domain", key),
            association: address("azurerm_cdn_frontdoor_custom_domain_association", key),
        }
    }

    fn rule(&self, suffix: &str) -> Address {
        address(
            "azurerm_cdn_frontdoor_rule",
            &format!("{}-{suffix}", self.key),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Provisioning
// ---------------------------------------------------------------------------------------------

fn storage(
    site: &StaticSite,
    context: &Context<'_>,
    name: &str,
    addresses: &Addresses,
    sources: &[baas_model::Source],
    out: &mut Provisioned,
) {
    // The secure defaults of every storage account (crate::facts::defaults). The static website
    // endpoint serves `$web` anonymously whatever these say: shared keys off and no public
    // blob access do not affect it.
    out.block(
        addresses.account.clone(),
        secure_storage_account(name, context),
        sources,
    );
    out.block(
        addresses.website.clone(),
        json!({
            "storage_account_id": addresses.account.id(),
            "index_document": site.index_document(),
            "error_404_document": site.error_document(),
        }),
        sources,
    );
}

fn manifest_entry(
    site: &StaticSite,
    addresses: &Addresses,
    account_name: &str,
    profile_name: &str,
    endpoint_name: &str,
    domain: Option<&Domain>,
    key: &str,
) -> Value {
    let custom_domain = domain.map(|d| {
        json!({
            "host_name": d.host,
            "dns_zone": d.zone,
            "dns_zone_resource_group": d.resource_group,
            "address": addresses.custom_domain.to_string(),
            "url_output": format!("static_site_{key}_custom_domain_url"),
        })
    });
    json!({
        "storage_account": { "address": addresses.account.to_string(), "name": account_name },
        "container": WEB_CONTAINER,
        "index_document": site.index_document(),
        "error_document": site.error_document(),
        "spa": site.spa(),
        "front_door": {
            "profile": { "address": addresses.profile.to_string(), "name": profile_name },
            "endpoint": { "address": addresses.endpoint.to_string(), "name": endpoint_name },
        },
        "custom_domain": custom_domain,
        "url_output": url_output(key),
        "cache_max_age": site.cache_max_age(),
        "compression": site.compression(),
        "cors": site.cors.iter().map(|o| o.value.as_str()).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_durations_use_front_doors_format() {
        assert_eq!(cache_duration(1), "00:00:01");
        assert_eq!(cache_duration(3600), "01:00:00");
        assert_eq!(cache_duration(86_399), "23:59:59");
        assert_eq!(cache_duration(86_400), "1.00:00:00");
        assert_eq!(cache_duration(90_061), "1.01:01:01");
        assert_eq!(cache_duration(MAX_CACHE_MAX_AGE), "365.00:00:00");
    }

    #[test]
    fn origins() {
        for ok in [
            "https://app.example.com",
            "http://localhost:3000",
            "https://a.b:8443",
        ] {
            assert_eq!(
                baas_model::read_access::origin_shape_problem(ok),
                None,
                "{ok}"
            );
        }
        for bad in [
            "app.example.com",
            "ftp://x.com",
            "https://x.com/",
            "https://x.com/a",
            "https://X.com",
            "https://x.com:0",
            "https://x.com:99999",
            "https://",
            "https://a..b",
        ] {
            assert!(
                baas_model::read_access::origin_shape_problem(bad).is_some(),
                "{bad}"
            );
        }
    }

    #[test]
    fn origin_addresses_are_terraform_names() {
        assert_eq!(
            origin_address("https://app.example.com"),
            "https-app_example_com"
        );
        assert_eq!(
            origin_address("http://localhost:3000"),
            "http-localhost-3000"
        );
        assert!(baas_terraform::document::is_valid_name(&format!(
            "web-cors-{}",
            origin_address("https://a-b.example.com:8443")
        )));
    }
}
