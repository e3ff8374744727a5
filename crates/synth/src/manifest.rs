//! `baas.manifest.json`: what was generated, where, in which order to apply it, and what the
//! application code must implement (functions, triggers, routes).

use crate::topology::BuiltStack;
use baas_model::{Backend, SourceFile};
use baas_terraform::document::to_json;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// `provided_sections` are the providers' manifest entries, moved in.
pub fn build(
    source: &SourceFile,
    backend: &Backend,
    stacks: &[BuiltStack],
    provided_sections: Vec<BTreeMap<String, BTreeMap<String, Value>>>,
) -> String {
    let digest = Sha256::digest(source.text.as_bytes());
    let digest: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut sections: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
    for provided in provided_sections {
        for (section, entries) in provided {
            sections.entry(section).or_default().extend(entries);
        }
    }
    let mut described = Map::new();
    for built in stacks {
        let info = &built.info;
        let mut entry = json!({
            "path": format!("{}/main.tf.json", built.stack.name),
            "role": info.role.as_str(),
            "region": info.region.name,
            "resource_group": crate::stack::resource_group_address().to_string(),
            "resources": built.stack.resource_count,
            "outputs": built.stack.outputs,
        });
        if let Some(color) = info.color {
            entry["color"] = json!(color.as_str());
        }
        if let Some(tenant) = &info.tenant {
            entry["tenant"] = json!(tenant);
        }
        if !built.reads.is_empty() {
            entry["reads"] = json!(built.reads);
        }
        described.insert(built.stack.name.clone(), entry);
    }
    let order: Vec<&str> = stacks.iter().map(|b| b.stack.name.as_str()).collect();
    let mut manifest = json!({
        "baas_version": crate::BAAS_VERSION,
        "input_digest": format!("sha256:{digest}"),
        "name": backend.name.value,
        "environment": backend.environment.value,
        "location": backend.location.value.name,
        "stacks": described,
        "deploy_order": order,
    });
    if let Some(tenancy) = &backend.tenancy {
        let tenants: Vec<serde_json::Value> = tenancy
            .tenants
            .iter()
            .map(|t| json!({ "id": t.id.value, "name": t.name, "tier": t.tier }))
            .collect();
        manifest["tenancy"] =
            json!({ "isolation": tenancy.isolation.value.as_str(), "tenants": tenants });
    }
    for (section, entries) in sections {
        manifest[section] = Value::Object(entries);
    }
    to_json(&manifest)
}
