//! What other providers need to know of the Cosmos DB accounts: whether an account is
//! serverless (no provisioned throughput, so no normalized RU consumption to watch).

use crate::context::Context;
use baas_model::requirement::{kinds, CosmosAccountRequirement};
use baas_model::RequirementConfig;

/// Whether the account `key` is serverless, as provisioned; an unknown account counts as
/// serverless (it has no throughput of its own).
pub fn is_serverless(context: &Context<'_>, key: &str) -> bool {
    match context.find(kinds::COSMOS_ACCOUNT, key).map(|m| &m.config) {
        Some(RequirementConfig::CosmosAccount(account)) => effective_serverless(account, context),
        _ => true,
    }
}

/// Serverless accounts are single-region: a geo-replicated account (`disaster-recovery`, and
/// `multi-region` with `data: global`) is provisioned (autoscale) unless someone insisted on
/// serverless, which the Cosmos DB provider reports.
pub fn effective_serverless(account: &CosmosAccountRequirement, context: &Context<'_>) -> bool {
    account.serverless.value && shared_regions(context).is_none()
}

/// The regions of the shared geo-replicated account, its own first.
pub fn shared_regions(context: &Context<'_>) -> Option<Vec<&'static baas_model::regions::Region>> {
    context
        .backend
        .deployment
        .shared_data_regions(context.backend.location.value)
}
