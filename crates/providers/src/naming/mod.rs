//! Azure resource naming: CAF abbreviations, the per-type rules of Azure and a deterministic
//! unique suffix for globally unique names.
//!
//! A name is built in four steps:
//!
//! 1. **Render** `naming.template` (handlebars, strict mode) with the variables `abbr`, `name`,
//!    `env`, `region` (short code, `eus`), `location` (full region, `eastus`) and `instance`.
//!    The default template is [`DEFAULT_TEMPLATE`].
//! 2. **Tidy**: runs of a separator (`-`, `_`, `.`) left by empty parts collapse to one, and
//!    separators at either end are trimmed.
//! 3. **Normalise** for the kind: kinds whose charset has no hyphen (storage accounts) drop every
//!    non-alphanumeric character; lowercase-only kinds are lowercased.
//! 4. **Suffix** (globally unique kinds, when `naming.unique_suffix` is on): a separator and
//!    [`HASH_LEN`] lowercase hex characters of a SHA-256 over the parts and the salt are
//!    appended. If the result would be too long, the human part is truncated first, so the
//!    hash always survives (see [`Namer::name`]).
//!
//! The result is then checked against the kind's [`NameRule`]; a name that does not fit is a
//! [`NamingError`] at validate time, never a silently shortened name and never a deploy-time
//! surprise.
//!
//! The module is split by concern: `kinds` (one row per resource kind), `rules` (Azure's
//! naming rules and the check), `template` (`naming.template`), `suffix` (the unique hash),
//! `error` (what can go wrong) and `tests`.

use std::collections::BTreeMap;

use handlebars::Handlebars;

mod error;
mod kinds;
mod rules;
mod suffix;
mod template;
#[cfg(test)]
mod tests;

pub use error::NamingError;
pub use kinds::{KindRow, ResourceKind, KINDS};
pub use rules::{Charset, End, NameRule, Scope, Start};
use suffix::append_suffix;
pub use suffix::unique_hash;
use template::{collapse_separators, compile_template, normalise, render_error, unknown_key_error};

/// The template used when `naming.template` is not set.
pub const DEFAULT_TEMPLATE: &str = "{{abbr}}-{{name}}-{{instance}}-{{env}}-{{region}}";

/// The variables a naming template may use, in documentation order.
pub const TEMPLATE_VARIABLES: &[&str] = &["abbr", "name", "env", "region", "location", "instance"];

/// Length of the hexadecimal unique suffix on globally unique names.
pub const HASH_LEN: usize = 6;

/// Name under which the template is registered in the handlebars registry.
const TEMPLATE_NAME: &str = "name";

/// Separators that template parts are usually joined with.
const SEPARATORS: [char; 3] = ['-', '_', '.'];

// ---------------------------------------------------------------------------------------------
// Configuration and parts
// ---------------------------------------------------------------------------------------------

/// The `naming:` section of backend.yaml.
///
/// `Default` gives `unique_suffix: false`; the documented default of the file format is `true`,
/// which [`NamingConfig::standard`] gives and callers should use when the key is absent.
#[derive(Debug, Clone, Default)]
pub struct NamingConfig {
    /// `naming.template`; [`DEFAULT_TEMPLATE`] when `None`.
    pub template: Option<String>,
    /// `naming.abbreviations`: overrides keyed by [`ResourceKind::key`].
    pub abbreviations: BTreeMap<String, String>,
    /// `naming.unique_suffix`: append a deterministic hash to globally unique names.
    pub unique_suffix: bool,
    /// `naming.salt`: extra input to that hash.
    pub salt: String,
}

impl NamingConfig {
    /// The configuration of a file without a `naming:` section: default template, no
    /// overrides, unique suffix on, empty salt.
    pub fn standard() -> NamingConfig {
        NamingConfig {
            unique_suffix: true,
            ..NamingConfig::default()
        }
    }
}

/// What one name is made of.
#[derive(Debug, Clone, Copy)]
pub struct NameParts<'a> {
    /// The application name (`name:` in backend.yaml), template variable `name`.
    pub app: &'a str,
    /// The environment, template variable `env`.
    pub env: &'a str,
    /// The short region code such as `eus`, template variable `region`.
    pub region: &'a str,
    /// The full region such as `eastus`, template variable `location`.
    pub location: &'a str,
    /// What distinguishes resources of one kind: `node`, a component key, or empty. Template
    /// variable `instance`.
    pub instance: &'a str,
}

// ---------------------------------------------------------------------------------------------
// Namer
// ---------------------------------------------------------------------------------------------

/// Builds names from a validated [`NamingConfig`].
#[derive(Debug)]
pub struct Namer {
    registry: Handlebars<'static>,
    abbreviations: BTreeMap<ResourceKind, String>,
    unique_suffix: bool,
    salt: String,
}

impl Namer {
    /// Compiles the template once (handlebars, strict mode: an unknown variable is an error)
    /// and checks the abbreviation overrides. Fails with the first problem; use
    /// [`config_errors`] to get all of them.
    pub fn new(config: &NamingConfig) -> Result<Namer, NamingError> {
        let registry = compile_template(config.template.as_deref())?;
        let mut abbreviations = BTreeMap::new();
        for (key, value) in &config.abbreviations {
            match ResourceKind::from_key(key) {
                Some(kind) => {
                    abbreviations.insert(kind, value.clone());
                }
                None => return Err(unknown_key_error(key)),
            }
        }
        Ok(Namer {
            registry,
            abbreviations,
            unique_suffix: config.unique_suffix,
            salt: config.salt.clone(),
        })
    }

    /// The abbreviation in effect for `kind`: the override if there is one, else the CAF one.
    pub fn abbreviation(&self, kind: ResourceKind) -> &str {
        self.abbreviations
            .get(&kind)
            .map_or_else(|| kind.abbreviation(), String::as_str)
    }

    /// Whether names of `kind` get the unique suffix under this configuration.
    pub fn adds_suffix(&self, kind: ResourceKind) -> bool {
        self.unique_suffix && kind.rule().globally_unique()
    }

    /// The name of one resource.
    ///
    /// Renders the template, collapses separators left by empty parts, normalises for the
    /// kind, and for globally unique kinds (with `unique_suffix` on) appends the unique hash
    /// (see [`unique_hash`]).
    ///
    /// **Truncation.** When the human part plus separator plus hash is longer than the kind
    /// allows, the human part is cut at a character boundary to fit and trailing separators
    /// are trimmed; the hash is never cut. The name stays deterministic and, through the hash
    /// over the full parts, unique. Names without a hash are never shortened: over the limit
    /// they are [`NamingError::TooLong`].
    pub fn name(&self, kind: ResourceKind, parts: &NameParts<'_>) -> Result<String, NamingError> {
        let rule = kind.rule();
        let data = serde_json::json!({
            "abbr": self.abbreviation(kind),
            "name": parts.app,
            "env": parts.env,
            "region": parts.region,
            "location": parts.location,
            "instance": parts.instance,
        });
        let rendered = self
            .registry
            .render(TEMPLATE_NAME, &data)
            .map_err(|e| render_error(&e))?;
        let human = normalise(rule.charset, &collapse_separators(&rendered));
        let name = if self.adds_suffix(kind) {
            let hash = unique_hash(kind, parts, &self.salt);
            let separator = if rule.charset.allows_hyphen() {
                "-"
            } else {
                ""
            };
            let region = normalise(rule.charset, parts.region);
            append_suffix(&human, &region, separator, &hash, rule.max)
        } else {
            human
        };
        rule.check(kind, &name)?;
        Ok(name)
    }
}

/// Every problem in `config` (template first, then unknown abbreviation keys in key order),
/// for reporting them all in one run.
pub fn config_errors(config: &NamingConfig) -> Vec<NamingError> {
    let mut errors = Vec::new();
    if let Err(e) = compile_template(config.template.as_deref()) {
        errors.push(e);
    }
    for key in config.abbreviations.keys() {
        if ResourceKind::from_key(key).is_none() {
            errors.push(unknown_key_error(key));
        }
    }
    errors
}
