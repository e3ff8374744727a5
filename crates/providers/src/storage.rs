//! Storage accounts: the one account all function hosts share, with a blob container per app
//! for deployment packages. Keys are off: everything authenticates with Entra ID.
//!
//! Merge rules: one account per key; containers dedupe by name.

use crate::context::{Context, Merged, Provisioned};
use crate::naming::ResourceKind;
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::requirement::kinds;
use baas_model::{Requirement, RequirementConfig};
use baas_terraform::Address;
use serde_json::json;

#[derive(Debug)]
pub struct StorageProvider;

pub fn account_address(key: &str) -> Address {
    Address::resource("azurerm_storage_account", key)
}

pub fn container_address(name: &str) -> Address {
    Address::resource("azurerm_storage_container", name)
}

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
        let address = account_address(&merged.key);
        let mut body = secure_account_body(&name, context);
        // Isolated: the function hosts reach their storage through the virtual network.
        match crate::network::data_access(context) {
            crate::network::DataAccess::Public => {}
            crate::network::DataAccess::PrivateEndpoints => {
                body["public_network_access_enabled"] = json!(false);
                body["network_rules"] =
                    json!({ "default_action": "Deny", "bypass": ["AzureServices"] });
            }
            crate::network::DataAccess::ServiceEndpoints(subnets) => {
                body["network_rules"] = json!({ "default_action": "Deny", "bypass": ["AzureServices"], "virtual_network_subnet_ids": subnets });
            }
        }
        out.block(address.clone(), body, &merged.sources);
        for container in &storage.containers {
            out.block(
                container_address(container),
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

/// A storage account with baas's secure defaults: TLS 1.2, HTTPS only, no public blobs, shared
/// keys off (Entra ID only), soft delete. Static sites use it too.
pub fn secure_account_body(name: &str, context: &Context<'_>) -> serde_json::Value {
    json!({
        "name": name,
        "location": context.location(),
        "resource_group_name": context.resource_group_name(),
        "account_tier": "Standard",
        "account_replication_type": "LRS",
        "account_kind": "StorageV2",
        "min_tls_version": "TLS1_2",
        "https_traffic_only_enabled": true,
        "allow_nested_items_to_be_public": false,
        "shared_access_key_enabled": false,
        "default_to_oauth_authentication": true,
        "local_user_enabled": false,
        "cross_tenant_replication_enabled": false,
        "blob_properties": {
            "delete_retention_policy": { "days": 7 },
            "container_delete_retention_policy": { "days": 7 },
        },
    })
}
