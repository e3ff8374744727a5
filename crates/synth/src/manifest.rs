//! `baas.manifest.json`: what was generated, where, in which order to apply it, and what the
//! application code must implement (functions, triggers, routes).

use crate::topology::BuiltStack;
use baas_model::{Backend, SourceFile};
use baas_providers::Registry;
use baas_terraform::document::{object_of_texts, to_json_at};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Provider entries, written: section -> entry key -> the entry's JSON text, as deep as the
/// manifest holds it.
pub type Sections = BTreeMap<String, BTreeMap<String, String>>;

/// Puts the providers' manifest entries of one stack (one map per merged requirement) into
/// sections; the entries are already written.
pub fn write_sections(provided: Vec<BTreeMap<String, BTreeMap<String, String>>>) -> Sections {
    let mut sections = Sections::new();
    for provided in provided {
        for (section, entries) in provided {
            // Providers write their entries as they record them (`Provisioned::manifest_entry`).
            sections.entry(section).or_default().extend(entries);
        }
    }
    sections
}

/// Puts the sections of several stacks together (later ones add entries).
pub fn extend_sections(sections: &mut Sections, more: Sections) {
    for (section, entries) in more {
        sections.entry(section).or_default().extend(entries);
    }
}

pub fn build(
    source: &SourceFile,
    backend: &Backend,
    stacks: &[BuiltStack],
    sections: &Sections,
) -> String {
    let digest = Sha256::digest(source.text.as_bytes());
    let digest: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    let mut described = Map::new();
    for built in stacks {
        let info = &built.info;
        let mut entry = json!({
            "path": format!("{}/main.tf.json", built.stack.name),
            "role": info.role.as_str(),
            "region": info.region.name,
            "resource_group": Registry::resource_group_address(backend).to_string(),
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
        for (section, entries) in &built.deploys {
            entry[section.as_str()] = json!(entries);
        }
        described.insert(built.stack.name.clone(), entry);
    }
    let order: Vec<&str> = stacks.iter().map(|b| b.stack.name.as_str()).collect();
    let mut fixed: Vec<(&str, Value)> = vec![
        ("baas_version", json!(crate::BAAS_VERSION)),
        ("input_digest", json!(format!("sha256:{digest}"))),
        ("name", json!(backend.name.value)),
        ("environment", json!(backend.environment.value)),
        ("location", json!(backend.location.value.name)),
        ("stacks", Value::Object(described)),
        ("deploy_order", json!(order)),
    ];
    if let Some(tenancy) = &backend.tenancy {
        let tenants: Vec<serde_json::Value> = tenancy
            .tenants
            .iter()
            .map(|t| json!({ "id": t.id.value, "name": t.name, "tier": t.tier }))
            .collect();
        fixed.push((
            "tenancy",
            json!({ "isolation": tenancy.isolation.value.as_str(), "tenants": tenants }),
        ));
    }
    let mut members: BTreeMap<&str, String> = fixed
        .iter()
        .map(|(key, value)| (*key, to_json_at(value, 1)))
        .collect();
    for (section, entries) in sections {
        let entries = entries.iter().map(|(k, text)| (k.as_str(), text.as_str()));
        members.insert(section, object_of_texts(entries, 1));
    }
    let members = members.iter().map(|(k, text)| (*k, text.as_str()));
    object_of_texts(members, 0) + "\n"
}
