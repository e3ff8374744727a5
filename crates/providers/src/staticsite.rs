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
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

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
// Validation
// ---------------------------------------------------------------------------------------------

fn error(
    code: &'static Code,
    span: Span,
    message: String,
    label: &str,
    help: String,
) -> Diagnostic {
    Diagnostic::error(code, message)
        .at(span)
        .label(label.to_owned())
        .help(help)
}

fn documents(site: &StaticSite, out: &mut Vec<Diagnostic>) {
    if let Some(index) = &site.index_document {
        let problem = document_problem(&index.value).or_else(|| {
            if index.value.contains('/') {
                Some(
                    "is a path: the index document is a file name, served in every folder"
                        .to_owned(),
                )
            } else if !(3..=255).contains(&index.value.chars().count()) {
                Some("is not 3 to 255 characters long".to_owned())
            } else {
                None
            }
        });
        if let Some(problem) = problem {
            out.push(error(
                &codes::STATIC_SITE_DOCUMENT,
                index.span,
                format!("`index_document: {}` {problem}", index.value),
                "invalid document",
                "write a file name such as `index.html`".to_owned(),
            ));
        }
    }
    if let Some(document) = &site.error_document {
        let problem = document_problem(&document.value).or_else(|| {
            if document.value.starts_with('/') {
                Some("starts with `/`: it is a path inside the `$web` container".to_owned())
            } else if document.value.ends_with('/') {
                Some("ends with `/`: it names a folder, not a file".to_owned())
            } else if document
                .value
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
            {
                Some("has an empty, `.` or `..` path segment".to_owned())
            } else if document.value.chars().count() > 1024 {
                Some("is longer than a blob name's 1024 characters".to_owned())
            } else {
                None
            }
        });
        if let Some(problem) = problem {
            out.push(error(
                &codes::STATIC_SITE_DOCUMENT,
                document.span,
                format!("`error_document: {}` {problem}", document.value),
                "invalid document",
                "write a path inside the `$web` container such as `404.html` or `errors/404.html`"
                    .to_owned(),
            ));
        }
    }
}

fn document_problem(text: &str) -> Option<String> {
    if text.trim().is_empty() {
        Some("is empty".to_owned())
    } else if text.contains('\\') {
        Some("holds `\\`; blob paths use `/`".to_owned())
    } else if text.chars().any(char::is_control) {
        Some("holds a control character".to_owned())
    } else {
        None
    }
}

/// The custom domain, its zone and the record name inside the zone, when all are valid.
#[derive(Debug, Clone, PartialEq)]
struct Domain {
    host: String,
    zone: String,
    /// `@` at the zone apex, else the labels before the zone (`www`, `app.eu`).
    relative: String,
    resource_group: Option<String>,
}

impl Domain {
    fn is_apex(&self) -> bool {
        self.relative == "@"
    }

    fn txt_name(&self) -> String {
        if self.is_apex() {
            "_dnsauth".to_owned()
        } else {
            format!("_dnsauth.{}", self.relative)
        }
    }
}

fn valid_domain(site: &StaticSite) -> Option<Domain> {
    let (host, zone) = (site.custom_domain.as_ref()?, site.dns_zone.as_ref()?);
    if dns_name_problem(&host.value).is_some() || dns_name_problem(&zone.value).is_some() {
        return None;
    }
    let relative = relative_name(&host.value, &zone.value)?;
    let resource_group = match &site.dns_zone_resource_group {
        Some(rg) if resource_group_problem(&rg.value).is_some() => return None,
        Some(rg) => Some(rg.value.clone()),
        None => None,
    };
    Some(Domain {
        host: host.value.clone(),
        zone: zone.value.clone(),
        relative,
        resource_group,
    })
}

fn domain(site: &StaticSite, out: &mut Vec<Diagnostic>) {
    let mut names_ok = true;
    for (name, what) in [
        (&site.custom_domain, "custom_domain"),
        (&site.dns_zone, "dns_zone"),
    ] {
        let Some(name) = name else { continue };
        if let Some((problem, help)) = dns_name_problem(&name.value) {
            names_ok = false;
            out.push(error(
                &codes::STATIC_SITE_DOMAIN_NAME,
                name.span,
                format!("`{what}: {}` {problem}", name.value),
                "not a DNS name baas can use",
                help,
            ));
        }
    }
    match (&site.custom_domain, &site.dns_zone) {
        (Some(host), None) => {
            let parent = host
                .value
                .split_once('.')
                .map_or("example.com", |(_, parent)| parent);
            out.push(error(
                &codes::STATIC_SITE_DOMAIN_ZONE,
                host.span,
                "`custom_domain` needs `dns_zone`, the Azure DNS zone that holds it".to_owned(),
                "no zone for this domain",
                format!("add `dns_zone: {parent}` (the zone must already exist in Azure DNS)"),
            ));
        }
        (None, Some(zone)) => out.push(error(
            &codes::STATIC_SITE_DOMAIN_ZONE,
            zone.span,
            "`dns_zone` is set without `custom_domain`".to_owned(),
            "zone for no domain",
            format!(
                "add `custom_domain: www.{}` (or `{}` for the zone apex), or remove `dns_zone`",
                zone.value, zone.value
            ),
        )),
        (Some(host), Some(zone)) => {
            if names_ok && relative_name(&host.value, &zone.value).is_none() {
                out.push(
                    error(
                        &codes::STATIC_SITE_DOMAIN_OUTSIDE_ZONE,
                        host.span,
                        format!(
                            "`{}` is not inside the DNS zone `{}`",
                            host.value, zone.value
                        ),
                        "outside the zone",
                        format!(
                            "use a name under `{}` (e.g. `www.{}`, or `{}` itself), or set `dns_zone` to the zone that holds `{}`",
                            zone.value, zone.value, zone.value, host.value
                        ),
                    )
                    .related(zone.span, "the zone"),
                );
            }
        }
        (None, None) => {}
    }
    if let Some(rg) = &site.dns_zone_resource_group {
        if site.dns_zone.is_none() && site.custom_domain.is_none() {
            out.push(error(
                &codes::STATIC_SITE_DOMAIN_ZONE,
                rg.span,
                "`dns_zone_resource_group` is set without `custom_domain` and `dns_zone`"
                    .to_owned(),
                "resource group for no zone",
                "remove it, or add `custom_domain` and `dns_zone`".to_owned(),
            ));
        }
        if let Some(problem) = resource_group_problem(&rg.value) {
            out.push(error(
                &codes::STATIC_SITE_RESOURCE_GROUP,
                rg.span,
                format!("`dns_zone_resource_group: {}` {problem}", rg.value),
                "not a resource group name",
                "use 1-90 letters, digits, `-`, `_`, `.`, `(` and `)`, not ending with `.`"
                    .to_owned(),
            ));
        }
    }
}

/// Reported once, at the site written later, pointing at the one written first.
fn domain_taken(site: &StaticSite, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let Some(host) = &site.custom_domain else {
        return;
    };
    let first = context
        .all(kinds::STATIC_SITE)
        .filter_map(|m| match &m.config {
            RequirementConfig::StaticSite(other) => other.custom_domain.as_ref().map(|d| (m, d)),
            _ => None,
        })
        .filter(|(_, other)| other.value == host.value && other.span.start < host.span.start)
        .min_by_key(|(_, other)| other.span.start);
    if let Some((other_site, other)) = first {
        out.push(
            error(
                &codes::STATIC_SITE_DOMAIN_TAKEN,
                host.span,
                format!(
                    "`{}` is already the custom domain of static site `{}`",
                    host.value, other_site.key
                ),
                "taken",
                "give each static site its own custom domain".to_owned(),
            )
            .related(other.span, "first claimed here"),
        );
    }
}

fn caching(site: &StaticSite, out: &mut Vec<Diagnostic>) {
    if let Some(age) = &site.cache_max_age {
        if !(0..=MAX_CACHE_MAX_AGE).contains(&age.value) {
            out.push(error(
                &codes::STATIC_SITE_CACHE_MAX_AGE,
                age.span,
                format!(
                    "`cache_max_age: {}` is outside 0..={MAX_CACHE_MAX_AGE} seconds",
                    age.value
                ),
                "out of range",
                format!(
                    "use 0 (no caching) to {MAX_CACHE_MAX_AGE} (365 days); the default is {}",
                    StaticSite::DEFAULT_CACHE_MAX_AGE
                ),
            ));
            return;
        }
    }
    if let (Some(compression), Some(age)) = (&site.compression, &site.cache_max_age) {
        if compression.value && age.value == 0 {
            out.push(
                error(
                    &codes::STATIC_SITE_COMPRESSION,
                    compression.span,
                    "`compression: true` needs caching, and `cache_max_age: 0` turns it off"
                        .to_owned(),
                    "cannot compress",
                    "set `cache_max_age` above 0, or remove `compression: true`".to_owned(),
                )
                .related(age.span, "caching off"),
            );
        }
    }
}

fn cors(site: &StaticSite, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
    let any = site.cors.iter().find(|o| o.value == "*");
    for (position, origin) in site.cors.iter().enumerate() {
        if let Some(first) = seen.get(origin.value.as_str()) {
            out.push(
                error(
                    &codes::STATIC_SITE_CORS,
                    origin.span,
                    format!("`{}` is listed twice in `cors`", origin.value),
                    "second",
                    "list each origin once".to_owned(),
                )
                .related(*first, "first"),
            );
            continue;
        }
        seen.insert(&origin.value, origin.span);
        if origin.value == "*" {
            if site.cors.len() > 1 {
                out.push(error(
                    &codes::STATIC_SITE_CORS,
                    origin.span,
                    "`*` in `cors` allows every origin and cannot be combined with others"
                        .to_owned(),
                    "any origin",
                    "keep `*` alone, or list the origins without it".to_owned(),
                ));
            }
            continue;
        }
        if let Some((problem, help)) = baas_model::read_access::origin_shape_problem(&origin.value)
        {
            out.push(error(
                &codes::STATIC_SITE_CORS,
                origin.span,
                format!("`{}` in `cors` {problem}", origin.value),
                "not an origin",
                help,
            ));
        }
        if position == MAX_CORS_ORIGINS && any.is_none() {
            out.push(error(
                &codes::STATIC_SITE_CORS,
                origin.span,
                format!(
                    "`cors` lists {} origins; at most {MAX_CORS_ORIGINS} fit Front Door's rule set",
                    site.cors.len()
                ),
                "one too many",
                "use `*`, or trim the list: each origin is one Front Door rule".to_owned(),
            ));
        }
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

fn front_door(
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
fn cache_block(site: &StaticSite) -> Value {
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
fn rule_set_name(key: &str) -> String {
    key.chars().filter(char::is_ascii_alphanumeric).collect()
}

struct Rule {
    /// Appended to the component key in the Terraform address.
    address: String,
    /// Letters and digits only.
    name: String,
    conditions: Option<Value>,
    actions: Value,
}

fn rules(site: &StaticSite) -> Vec<Rule> {
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
fn cache_duration(seconds: i64) -> String {
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
fn origin_address(origin: &str) -> String {
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
fn short_hash(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn custom_domain(
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
fn claim_domain(domain: &Domain, span: Span, out: &mut Provisioned) {
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
