//! Storage accounts: the one account all function hosts share, with a blob container per app
//! for deployment packages. Keys are off: everything authenticates with Entra ID.
//!
//! Merge rules: one account per key; containers dedupe by name.

use crate::context::{Context, Merged, Provisioned};
use crate::facts::defaults::secure_storage_account;
use crate::facts::network::{self, DataAccess};
use crate::facts::refs;
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::kinds;
use baas_model::{Requirement, RequirementConfig};
use serde_json::json;

#[derive(Debug)]
pub struct StorageProvider;

impl ResourceProvider for StorageProvider {
    fn name(&self) -> &'static str {
        "storage"
    }

    fn serves(&self) -> Vec<&str> {
        vec![kinds::STORAGE]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        if let RequirementConfig::Storage(storage) = &mut merged.config {
            for other in &group[1..] {
                if let RequirementConfig::Storage(next) = &other.config {
                    storage.containers.extend(next.containers.iter().cloned());
                }
            }
        }
        Ok(merged)
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::Storage(storage) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let name = context
            .name(ResourceKind::StorageAccount, &merged.key, merged.span())
            .map_err(|d| vec![d])?;
        let mut out = Provisioned::default();
        let address = refs::storage_account(&merged.key);
        let mut body = secure_storage_account(&name, context);
        // Isolated: the function hosts reach their storage through the virtual network.
        match network::data_access(context) {
            DataAccess::Public => {}
            DataAccess::PrivateEndpoints => {
                body["public_network_access_enabled"] = json!(false);
                body["network_rules"] =
                    json!({ "default_action": "Deny", "bypass": ["AzureServices"] });
            }
            DataAccess::ServiceEndpoints(subnets) => {
                body["network_rules"] = json!({ "default_action": "Deny", "bypass": ["AzureServices"], "virtual_network_subnet_ids": subnets });
            }
        }
        out.block(address.clone(), body, &merged.sources);
        for container in &storage.containers {
            out.block(
                refs::storage_container(container),
                json!({ "name": container, "storage_account_id": address.id(), "container_access_type": "private" }),
                &merged.sources,
            );
        }
        out.stack_manifest_entry(
            "storage_accounts",
            &merged.key,
            json!({ "name": name, "containers": storage.containers }),
        );
        out.manifest_entry(context, "storage_accounts", &merged.key, || json!({ "address": address.to_string(), "name": name, "containers": storage.containers }));
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        &[]
    }
}
