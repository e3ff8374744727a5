//! Secure defaults shared by every provider that creates a resource of one kind.

use crate::context::Context;
use serde_json::json;

/// A storage account with baas's secure defaults: TLS 1.2, HTTPS only, no public blobs, shared
/// keys off (Entra ID only), soft delete. The function hosts' storage and static sites use it.
pub fn secure_storage_account(name: &str, context: &Context<'_>) -> serde_json::Value {
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
