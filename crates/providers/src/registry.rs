//! The registry: which provider serves which requirement type, and the merge -> validate ->
//! provision sequence over all of them. It is synth's one way into the providers: what a stack
//! holds besides the merged requirements' blocks (its resource group, the azurerm `features`
//! block, the global stack's Traffic Manager) is asked of it too.

use crate::codes;
use crate::context::{Block, Context, Merged, Provisioned, StackInfo};
use crate::{Placement, ResourceProvider};
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::Requirement;
use baas_terraform::Address;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Cheap to clone: a run extends a copy of the registry with its template providers.
#[derive(Debug, Default, Clone)]
pub struct Registry {
    providers: Vec<Arc<dyn ResourceProvider>>,
    /// Requirement type -> position in `providers`: looked up for every merged requirement
    /// of every stack.
    served: BTreeMap<String, usize>,
}

/// Merged requirements, sorted by `(type, key)`, and what merging found.
#[derive(Debug, Default)]
pub struct Resolution {
    pub merged: Vec<Merged>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Two providers claimed one requirement type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyServed {
    pub kind: String,
    pub provider: &'static str,
}

impl std::fmt::Display for AlreadyServed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "requirement type `{}` is already served by provider `{}`",
            self.kind, self.provider
        )
    }
}

impl std::error::Error for AlreadyServed {}

impl Registry {
    pub fn empty() -> Self {
        Registry::default()
    }

    /// The built-in providers: cosmos, functions, storage, monitoring, Service Bus, network,
    /// static sites.
    pub fn builtin() -> Self {
        let mut registry = Registry::empty();
        let builtins: [Box<dyn ResourceProvider>; 7] = [
            Box::new(crate::cosmos::CosmosProvider),
            Box::new(crate::functions::FunctionsProvider),
            Box::new(crate::storage::StorageProvider),
            Box::new(crate::monitoring::MonitoringProvider),
            Box::new(crate::servicebus::ServiceBusProvider),
            Box::new(crate::network::NetworkProvider),
            Box::new(crate::staticsite::StaticSiteProvider),
        ];
        for provider in builtins {
            // The built-ins serve disjoint types; a clash here is a bug caught by the tests.
            if let Err(error) = registry.register(provider) {
                unreachable!("built-in providers overlap: {error}");
            }
        }
        registry
    }

    /// Adds a provider. Each requirement type has exactly one provider.
    pub fn register(&mut self, provider: Box<dyn ResourceProvider>) -> Result<(), AlreadyServed> {
        self.register_shared(Arc::from(provider))
    }

    /// Adds a provider that other registries may share.
    pub fn register_shared(
        &mut self,
        provider: Arc<dyn ResourceProvider>,
    ) -> Result<(), AlreadyServed> {
        for kind in provider.serves() {
            if let Some(existing) = self.provider_for(kind) {
                return Err(AlreadyServed {
                    kind: (*kind).to_owned(),
                    provider: existing.name(),
                });
            }
        }
        let at = self.providers.len();
        for kind in provider.serves() {
            self.served.insert(kind.to_owned(), at);
        }
        self.providers.push(provider);
        Ok(())
    }

    pub fn provider_for(&self, kind: &str) -> Option<&dyn ResourceProvider> {
        let at = *self.served.get(kind)?;
        self.providers.get(at).map(|p| p.as_ref())
    }

    /// Every code the registered providers and the registry itself can emit.
    pub fn codes(&self) -> Vec<&'static Code> {
        let mut all: Vec<&'static Code> = codes::ALL.to_vec();
        for provider in &self.providers {
            for code in provider.codes() {
                if !all.iter().any(|c| c.id == code.id) {
                    all.push(code);
                }
            }
        }
        all
    }

    /// Groups by `(type, key)` and merges each group with its provider.
    pub fn merge(&self, requirements: &[Requirement]) -> Resolution {
        self.merge_owned(requirements.to_vec())
    }

    /// [`Registry::merge`] of requirements the caller no longer needs: grouped by moving them,
    /// not by copying each one.
    pub fn merge_owned(&self, mut requirements: Vec<Requirement>) -> Resolution {
        // Sorted through positions, since a requirement is hundreds of bytes to move; stable,
        // so a group keeps its requirements in component order.
        let mut order: Vec<usize> = (0..requirements.len()).collect();
        order.sort_by(|&a, &b| {
            let (a, b) = (&requirements[a], &requirements[b]);
            (&a.kind, &a.key).cmp(&(&b.kind, &b.key))
        });
        permute(&mut requirements, order);
        let mut resolution = Resolution::default();
        for group in requirements.chunk_by(|a, b| a.kind == b.kind && a.key == b.key) {
            let (kind, key) = (&group[0].kind, &group[0].key);
            let Some(provider) = self.provider_for(kind) else {
                resolution.diagnostics.push(
                    Diagnostic::error(
                        &codes::UNSERVED,
                        format!("no provider serves requirement type `{kind}` (key `{key}`)"),
                    )
                    .at(group[0].source.span)
                    .help("register a provider for this type, or remove the requirement"),
                );
                continue;
            };
            match provider.merge(group) {
                Ok(merged) => resolution.merged.push(merged),
                Err(diagnostics) => resolution.diagnostics.extend(diagnostics),
            }
        }
        resolution
    }

    /// Validates every merged requirement with its provider.
    pub fn validate(&self, context: &Context<'_>) -> Vec<Diagnostic> {
        let mut diagnostics = Vec::new();
        for merged in context.merged {
            if let Some(provider) = self.provider_for(&merged.kind) {
                diagnostics.extend(provider.validate(merged, context));
            }
        }
        diagnostics
    }

    /// Provisions every merged requirement the stack of `context` holds, in `(type, key)`
    /// order: one `Provisioned` per merged requirement (empty for those another stack holds),
    /// so the list stays aligned with `context.merged`. A stack that holds the backend holds
    /// the requirements placed in every stack, and those placed once per deployment when it
    /// is the only one; the `global` stack holds those placed once per deployment.
    pub fn provision(&self, context: &Context<'_>) -> (Vec<Provisioned>, Vec<Diagnostic>) {
        let mut provisioned = Vec::new();
        let mut diagnostics = Vec::new();
        let global = context.stack.role == crate::StackRole::Global;
        let several = context.several_backend_stacks();
        for merged in context.merged {
            let Some(provider) = self.provider_for(&merged.kind) else {
                continue;
            };
            let here = match provider.placement(merged) {
                Placement::EveryStack => !global,
                Placement::Deployment => global || !several,
            };
            if !here {
                provisioned.push(Provisioned::default());
                continue;
            }
            match provider.provision(merged, context) {
                Ok(p) => provisioned.push(p),
                Err(d) => diagnostics.extend(d),
            }
        }
        (provisioned, diagnostics)
    }

    /// The stacks (of `regional`) whose resources `stack` reads through data sources: a stack
    /// that shares a geo-replicated Cosmos DB account (a disaster-recovery secondary, a region
    /// of `multi-region` with `data: global`) reads it from the stack of the same tenant that
    /// creates it — found by role, region and tenant, never by editing a stack name.
    pub fn reads(
        &self,
        context: &Context<'_>,
        stack: &StackInfo,
        regional: &[StackInfo],
    ) -> Vec<String> {
        // Reading the landing zone's account (`cosmos.existing`) still waits for the stack that
        // adds the databases and containers the role assignments are scoped to.
        use crate::facts::refs::holds_cosmos_data;
        let backend = context.backend;
        let has_cosmos = context
            .all(baas_model::requirement::kinds::COSMOS_ACCOUNT)
            .next()
            .is_some();
        if !has_cosmos || holds_cosmos_data(backend, stack) {
            return Vec::new();
        }
        regional
            .iter()
            .filter(|s| s.tenant == stack.tenant && holds_cosmos_data(backend, s))
            .map(|s| s.name.clone())
            .collect()
    }

    /// Whether any merged requirement exists once per deployment ([`Placement::Deployment`]):
    /// a backend deployed as several stacks then needs the `global` stack to hold it, even
    /// without Traffic Manager.
    pub fn has_deployment_wide(&self, context: &Context<'_>) -> bool {
        context.merged.iter().any(|merged| {
            self.provider_for(&merged.kind)
                .is_some_and(|p| p.placement(merged) == Placement::Deployment)
        })
    }

    /// What the blocks of one stack must be alone in creating: the names Azure keeps unique
    /// (taken from the blocks) and what the providers claimed (DNS records, custom domains).
    pub fn claims(context: &Context<'_>, provisioned: &mut [Provisioned]) -> Vec<crate::Claim> {
        let mut claims = Vec::new();
        // The resource group is no requirement's block; a name that cannot fit is reported
        // where the block is made.
        if let Ok(name) = context.resource_group_azure_name() {
            claims.push(crate::Claim {
                what: crate::Claimed::Name {
                    kind: crate::naming::ResourceKind::ResourceGroup,
                    name,
                },
                span: context.backend.name.span,
            });
        }
        for p in provisioned {
            claims.extend(crate::claims::names(&p.blocks));
            claims.append(&mut p.claims);
        }
        claims
    }

    /// An error for each DNS record, custom domain or unique name that two resources of the
    /// deployment create; `stacks` in deploy order.
    pub fn claim_clashes(
        &self,
        context: &Context<'_>,
        stacks: &[(&str, &[crate::Claim])],
    ) -> Vec<Diagnostic> {
        let naming = &context.backend.naming;
        let span = naming.template.as_ref().map_or(naming.span, |t| t.span);
        crate::claims::clashes(stacks, span)
    }

    /// Problems of the deployment's topology that belong to no one requirement (what the
    /// global stack's Traffic Manager cannot front, state shared between colors).
    pub fn validate_topology(&self, context: &Context<'_>) -> Vec<Diagnostic> {
        crate::global::validate(context)
    }

    /// With the landing zone's Cosmos DB account (`cosmos.existing`): the stacks (of `stacks`)
    /// that hold data of their own but would name one account.
    pub fn shared_existing_accounts(
        &self,
        context: &Context<'_>,
        stacks: &[StackInfo],
    ) -> Vec<Diagnostic> {
        crate::cosmos::shared_existing_accounts(context, stacks)
    }

    /// What the stacks may not share of a landing zone's network (`networking.existing`),
    /// rendered for each of `stacks`.
    pub fn check_existing_network(
        &self,
        context: &Context<'_>,
        stacks: &[StackInfo],
    ) -> Vec<Diagnostic> {
        crate::network::check_stacks(context, stacks)
    }

    /// Checks every configured limit (`limits.*`) against the merged requirements, as
    /// provisioned in `stacks` (the stacks that hold the backend).
    pub fn check_limits(&self, context: &Context<'_>, stacks: &[StackInfo]) -> Vec<Diagnostic> {
        crate::limits::check(context, stacks)
    }

    /// The global stack's Traffic Manager profiles and endpoints and their diagnostic settings;
    /// `context` is the global stack's, `regional` the stacks behind it, in priority order.
    pub fn provision_global(
        &self,
        context: &Context<'_>,
        regional: &[StackInfo],
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        // Traffic Manager only where a strategy spreads the backend; a `single` deployment of
        // several tenants has a global stack for its static sites alone.
        let traffic_manager = !matches!(
            context.backend.deployment.strategy,
            baas_model::Strategy::Single
        );
        let mut global = if traffic_manager {
            crate::global::provision(context, regional)?
        } else {
            Provisioned::default()
        };
        // The diagnostic settings and availability tests of what the global stack holds belong
        // to the monitoring provider.
        let monitoring = crate::monitoring::provision_global(context, regional, &global)?;
        global.blocks.extend(monitoring.blocks);
        for (section, entries) in monitoring.stack_manifest {
            global
                .stack_manifest
                .entry(section)
                .or_default()
                .extend(entries);
        }
        Ok(global)
    }

    /// The stack's resource group block.
    pub fn resource_group(&self, context: &Context<'_>) -> Result<Block, Diagnostic> {
        crate::resource_group::block(context)
    }

    /// What the stack forgets besides the providers' `Provisioned::forgotten`: the resource
    /// group it created before, when the landing zone provides it now.
    pub fn forgotten_resource_group(&self, context: &Context<'_>) -> Option<Address> {
        crate::resource_group::forgotten(context)
    }

    /// The address of every stack's resource group (a data source when it exists already).
    pub fn resource_group_address(backend: &baas_model::Backend) -> Address {
        crate::facts::refs::resource_group(backend)
    }

    /// The azurerm provider's `features` block of a stack: what each provider needs of it.
    pub fn provider_features(&self, context: &Context<'_>) -> serde_json::Value {
        let mut features = serde_json::json!({});
        for provider in &self.providers {
            provider.provider_features(context, &mut features);
        }
        features
    }

    /// Every provider's files for the output folder besides the stacks, in merged order.
    pub fn files(&self, context: &Context<'_>) -> Vec<(String, String)> {
        context
            .merged
            .iter()
            .filter_map(|merged| Some((self.provider_for(&merged.kind)?, merged)))
            .flat_map(|(provider, merged)| provider.files(merged, context))
            .collect()
    }
}

/// Puts `items[order[i]]` at position `i`, in place: each cycle of the permutation is followed
/// once, so every item moves about once and nothing is copied aside.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..items.len() {
        let mut at = start;
        loop {
            let from = order[at];
            order[at] = at;
            if from == start || from == at {
                break;
            }
            items.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::permute;

    #[test]
    fn permute_puts_every_item_where_the_order_says() {
        // Every permutation of five items: fixed points, 2-cycles, one 5-cycle, and mixes.
        let mut order: Vec<usize> = (0..5).collect();
        let mut count = 0;
        loop {
            let mut items: Vec<String> = (0..5).map(|i| format!("item{i}")).collect();
            permute(&mut items, order.clone());
            let expected: Vec<String> = order.iter().map(|i| format!("item{i}")).collect();
            assert_eq!(items, expected, "order {order:?}");
            count += 1;
            if !next_permutation(&mut order) {
                break;
            }
        }
        assert_eq!(count, 120);
    }

    /// Lexicographic successor; false after the last permutation.
    fn next_permutation(v: &mut [usize]) -> bool {
        let Some(i) = (1..v.len()).rev().find(|&i| v[i - 1] < v[i]) else {
            return false;
        };
        let j = (i..v.len()).rev().find(|&j| v[j] > v[i - 1]).unwrap_or(i);
        v.swap(i - 1, j);
        v[i..].reverse();
        true
    }
}
