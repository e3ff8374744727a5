//! A custom resource provider in Rust: the seed's "custom provider with merge and validate"
//! example, done against the baas library. `RedisProvider` serves the custom requirement type
//! `redis`: requirements with one key merge (the largest size wins), the merged cache is
//! validated against the SKUs Azure Managed Redis offers, and it provisions an
//! `azurerm_managed_redis` (Azure Cache for Redis takes no new caches) with access keys off,
//! so clients sign in with Entra ID. The registry does the rest: naming, tags, schema
//! conformance of the generated block, the manifest.
//!
//! Run: `cargo run -p baas-example-custom-provider [OUT_DIR]`

use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::{Requirement, RequirementConfig, SourceFile};
use baas_providers::{Context, Merged, Provisioned, Registry, ResourceProvider};
use baas_terraform::Address;
use serde_json::json;
use std::process::ExitCode;

static REDIS_SKU: Code = Code {
    id: "example::redis::sku",
    summary: "an Azure Managed Redis SKU that does not exist",
    explanation: "Azure Managed Redis sizes are `Balanced_B0`-`Balanced_B1000`, \
        `MemoryOptimized_M10`-`M1500`, `ComputeOptimized_X3`-`X700` and \
        `FlashOptimized_A250`-`A4500` (the azurerm provider's `sku_name` list).",
};
static REDIS_CODES: &[&Code] = &[&REDIS_SKU];

/// The SKUs the azurerm 4.55 provider accepts for `azurerm_managed_redis`
/// (`managedredis/validate/managed_redis_sku.go`; the retired `Enterprise_*` ones are not), in
/// the order "largest wins" ranks them within a family.
const SKUS: &[&str] = &[
    "Balanced_B0",
    "Balanced_B1",
    "Balanced_B3",
    "Balanced_B5",
    "Balanced_B10",
    "Balanced_B20",
    "Balanced_B50",
    "Balanced_B100",
    "Balanced_B150",
    "Balanced_B250",
    "Balanced_B350",
    "Balanced_B500",
    "Balanced_B700",
    "Balanced_B1000",
    "MemoryOptimized_M10",
    "MemoryOptimized_M20",
    "MemoryOptimized_M50",
    "MemoryOptimized_M100",
    "MemoryOptimized_M150",
    "MemoryOptimized_M250",
    "MemoryOptimized_M350",
    "MemoryOptimized_M500",
    "MemoryOptimized_M700",
    "MemoryOptimized_M1000",
    "MemoryOptimized_M1500",
    "ComputeOptimized_X3",
    "ComputeOptimized_X5",
    "ComputeOptimized_X10",
    "ComputeOptimized_X20",
    "ComputeOptimized_X50",
    "ComputeOptimized_X100",
    "ComputeOptimized_X150",
    "ComputeOptimized_X250",
    "ComputeOptimized_X350",
    "ComputeOptimized_X500",
    "ComputeOptimized_X700",
    "FlashOptimized_A250",
    "FlashOptimized_A500",
    "FlashOptimized_A700",
    "FlashOptimized_A1000",
    "FlashOptimized_A1500",
    "FlashOptimized_A2000",
    "FlashOptimized_A4500",
];
const DEFAULT_SKU: &str = "Balanced_B0";

#[derive(Debug)]
struct RedisProvider;

/// The SKU a requirement's `config` asks for (the default when it names none).
fn sku(config: &serde_json::Value) -> &str {
    config["sku"].as_str().unwrap_or(DEFAULT_SKU)
}

impl ResourceProvider for RedisProvider {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn serves(&self) -> Vec<&str> {
        vec!["redis"]
    }

    /// The largest SKU wins; an unknown one ranks above all, so that `validate` reports it.
    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let rank = |s: &str| SKUS.iter().position(|k| *k == s).unwrap_or(usize::MAX);
        let chosen = group
            .iter()
            .filter_map(|r| match &r.config {
                RequirementConfig::Custom(config) => Some(sku(&config.value).to_owned()),
                _ => None,
            })
            .max_by_key(|s| rank(s))
            .unwrap_or_else(|| DEFAULT_SKU.to_owned());
        if let RequirementConfig::Custom(config) = &mut merged.config {
            config.value = json!({ "sku": chosen });
        }
        Ok(merged)
    }

    fn validate(&self, merged: &Merged, _context: &Context<'_>) -> Vec<Diagnostic> {
        let RequirementConfig::Custom(config) = &merged.config else {
            return Vec::new();
        };
        let asked = sku(&config.value);
        if SKUS.contains(&asked) {
            return Vec::new();
        }
        vec![Diagnostic::error(
            &REDIS_SKU,
            format!("Azure Managed Redis has no SKU `{asked}`"),
        )
        .at(config.span)
        .help("use a size such as `Balanced_B0`, `Balanced_B1` or `MemoryOptimized_M10`")]
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::Custom(config) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let name = context
            .name(
                baas_providers::naming::ResourceKind::ManagedRedis,
                &merged.key,
                merged.span(),
            )
            .map_err(|d| vec![d])?;
        let address = Address::resource("azurerm_managed_redis", &merged.key);
        let mut out = Provisioned::default();
        out.block(
            address.clone(),
            json!({
                "name": name,
                "location": context.location(),
                "resource_group_name": context.resource_group_name(),
                "sku_name": sku(&config.value),
                "high_availability_enabled": true,
                "default_database": {
                    // Entra ID only: no access keys to leak or rotate.
                    "access_keys_authentication_enabled": false,
                    "client_protocol": "Encrypted",
                },
            }),
            &merged.sources,
        );
        out.output(
            &format!("redis_{}_hostname", merged.key),
            address.attr("hostname"),
            "Azure Managed Redis host name",
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
        let cache = &stack["resource"]["azurerm_managed_redis"]["shared"];
        // Two requirements with one key merged: the larger SKU won.
        assert_eq!(cache["sku_name"], "Balanced_B3");
        assert_eq!(
            cache["default_database"]["access_keys_authentication_enabled"],
            false
        );
        assert_eq!(cache["tags"]["managed-by"], "baas");
    }

    #[test]
    fn its_validation_reaches_the_user_with_a_location() {
        let text = include_str!("../redis.yaml").replace("Balanced_B3", "Balanced_B2");
        let synthesis = baas_synth::synthesize(&SourceFile::new("redis.yaml", text), &registry());
        let error = synthesis
            .diagnostics
            .iter()
            .find(|d| d.code.id == "example::redis::sku")
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
