//! What a static site's settings must satisfy: document names, the custom domain and its
//! zone (unique across sites), caching and compression, CORS origins.

use super::*;

pub(super) fn error(
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

pub(super) fn documents(site: &StaticSite, out: &mut Vec<Diagnostic>) {
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

pub(super) fn document_problem(text: &str) -> Option<String> {
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
pub(super) struct Domain {
    pub(super) host: String,
    pub(super) zone: String,
    /// `@` at the zone apex, else the labels before the zone (`www`, `app.eu`).
    pub(super) relative: String,
    pub(super) resource_group: Option<String>,
}

impl Domain {
    pub(super) fn is_apex(&self) -> bool {
        self.relative == "@"
    }

    pub(super) fn txt_name(&self) -> String {
        if self.is_apex() {
            "_dnsauth".to_owned()
        } else {
            format!("_dnsauth.{}", self.relative)
        }
    }
}

pub(super) fn valid_domain(site: &StaticSite) -> Option<Domain> {
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

pub(super) fn domain(site: &StaticSite, out: &mut Vec<Diagnostic>) {
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
pub(super) fn domain_taken(site: &StaticSite, context: &Context<'_>, out: &mut Vec<Diagnostic>) {
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

pub(super) fn caching(site: &StaticSite, out: &mut Vec<Diagnostic>) {
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

pub(super) fn cors(site: &StaticSite, out: &mut Vec<Diagnostic>) {
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
