//! A custom resource provider in Rust: the seed's "custom provider with merge and validate"
//! example, done against the baas library. `RedisProvider` serves the custom requirement type
//! `redis`: requirements with one key merge (highest SKU and capacity win), the merged cache
//! is validated against Azure's SKU/capacity rules, and it provisions an `azurerm_redis_cache`
//! with Entra ID authentication and keys off. The registry does the rest: naming, tags,
//! schema conformance of the generated block, the manifest.
//!
//! Run: `cargo run -p baas-example-custom-provider [OUT_DIR]`

use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::{Requirement, RequirementConfig, SourceFile};
use baas_providers::{Context, Merged, Provisioned, Registry, ResourceProvider};
use baas_terraform::Address;
use serde_json::json;
use std::process::ExitCode;

static REDIS_CAPACITY: Code = Code {
    id: "example::redis::capacity",
    summary: "a Redis cache capacity its SKU does not offer",
    explanation:
        "Basic and Standard caches (family C) have capacities 0-6; Premium (family P) 1-5.",
};
static REDIS_CODES: &[&Code] = &[&REDIS_CAPACITY];
const SKUS: [&str; 3] = ["Basic", "Standard", "Premium"];

#[derive(Debug)]
struct RedisProvider;

/// The SKU and capacity of one requirement's `config`.
fn settings(config: &serde_json::Value) -> (usize, u64) {
    let sku = config["sku"]
        .as_str()
        .and_then(|s| SKUS.iter().position(|k| *k == s))
        .unwrap_or(1);
    (sku, config["capacity"].as_u64().unwrap_or(1))
}

impl ResourceProvider for RedisProvider {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn serves(&self) -> Vec<&str> {
        vec!["redis"]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let (mut sku, mut capacity) = (0, 0);
        for requirement in group {
            if let RequirementConfig::Custom(config) = &requirement.config {
                let (s, c) = settings(&config.value);
                sku = sku.max(s);
                capacity = capacity.max(c);
            }
        }
        if let RequirementConfig::Custom(config) = &mut merged.config {
            config.value = json!({ "sku": SKUS[sku], "capacity": capacity });
        }
        Ok(merged)
    }

    fn validate(&self, merged: &Merged, _context: &Context<'_>) -> Vec<Diagnostic> {
        let RequirementConfig::Custom(config) = &merged.config else {
            return Vec::new();
        };
        let (sku, capacity) = settings(&config.value);
        let range = if SKUS[sku] == "Premium" { 1..=5 } else { 0..=6 };
        if range.contains(&capacity) {
            return Vec::new();
        }
        vec![Diagnostic::error(
            &REDIS_CAPACITY,
            format!("{} caches have no capacity {capacity}", SKUS[sku]),
        )
        .at(config.span)
        .help(format!(
            "use a capacity from {} to {}",
            range.start(),
            range.end()
        ))]
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::Custom(config) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let (sku, capacity) = settings(&config.value);
        let name = context
            .name(
                baas_providers::naming::ResourceKind::RedisCache,
                &merged.key,
                merged.span(),
            )
            .map_err(|d| vec![d])?;
        let address = Address::resource("azurerm_redis_cache", &merged.key);
        let mut out = Provisioned::default();
        out.block(
            address.clone(),
            json!({
                "name": name,
                "location": context.location(),
                "resource_group_name": context.resource_group_name(),
                "sku_name": SKUS[sku],
                "family": if SKUS[sku] == "Premium" { "P" } else { "C" },
                "capacity": capacity,
                "minimum_tls_version": "1.2",
                "non_ssl_port_enabled": false,
                "access_keys_authentication_enabled": false,
                "redis_configuration": { "active_directory_authentication_enabled": true },
            }),
            &merged.sources,
        );
        out.output(
            &format!("redis_{}_hostname", merged.key),
            address.attr("hostname"),
            "Redis cache host name",
        );
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        REDIS_CODES
    }
}

/// The built-in providers plus ours.
fn registry() -> Registry {
    let mut registry = Registry::builtin();
    if let Err(error) = registry.register(Box::new(RedisProvider)) {
        unreachable!("`redis` is not a built-in type: {error}");
    }
    registry
}

fn main() -> ExitCode {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/redis.yaml");
    let source = SourceFile::new("redis.yaml", include_str!("../redis.yaml"));
    let synthesis = baas_synth::synthesize(&source, &registry());
    for diagnostic in &synthesis.diagnostics {
        let line = diagnostic.span.map_or(0, |s| s.line);
        eprintln!(
            "{path}:{line}: {}: {}",
            diagnostic.code.id, diagnostic.message
        );
    }
    if synthesis.has_errors() {
        return ExitCode::FAILURE;
    }
    match std::env::args().nth(1) {
        Some(dir) => {
            for (file, contents) in &synthesis.files {
                let target = std::path::Path::new(&dir).join(file);
                let written = target
                    .parent()
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .and_then(|()| std::fs::write(&target, contents));
                if let Err(error) = written {
                    eprintln!("cannot write `{}`: {error}", target.display());
                    return ExitCode::FAILURE;
                }
            }
            eprintln!("wrote {} files to `{dir}`", synthesis.files.len());
        }
        None => print!(
            "{}",
            synthesis
                .files
                .get("main/main.tf.json")
                .map_or("", String::as_str)
        ),
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_registered_provider_merges_validates_and_provisions() {
        let source = SourceFile::new("redis.yaml", include_str!("../redis.yaml"));
        let synthesis = baas_synth::synthesize(&source, &registry());
        assert_eq!(synthesis.diagnostics, Vec::new());
        let stack: serde_json::Value =
            serde_json::from_str(&synthesis.files["main/main.tf.json"]).unwrap();
        let cache = &stack["resource"]["azurerm_redis_cache"]["shared"];
        // Two requirements with one key merged: the higher SKU and capacity won.
        assert_eq!(cache["sku_name"], "Premium");
        assert_eq!(cache["family"], "P");
        assert_eq!(cache["capacity"], 2);
        assert_eq!(cache["tags"]["managed-by"], "baas");
    }

    #[test]
    fn its_validation_reaches_the_user_with_a_location() {
        let text = include_str!("../redis.yaml").replace("capacity: 2", "capacity: 9");
        let synthesis = baas_synth::synthesize(&SourceFile::new("redis.yaml", text), &registry());
        let error = synthesis
            .diagnostics
            .iter()
            .find(|d| d.code.id == "example::redis::capacity")
            .unwrap();
        assert!(error.span.is_some_and(|s| s.line > 0));
        assert!(synthesis.files.is_empty());
    }

    #[test]
    fn without_the_provider_the_type_is_unserved() {
        let source = SourceFile::new("redis.yaml", include_str!("../redis.yaml"));
        let synthesis = baas_synth::synthesize(&source, &Registry::builtin());
        assert!(synthesis
            .diagnostics
            .iter()
            .any(|d| d.code.id == "baas::registry::unserved"));
    }
}
