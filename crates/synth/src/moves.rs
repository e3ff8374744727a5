//! The `moved` blocks of renamed components (`renamed_from`, `baas_model::rename`).
//!
//! Which addresses derive from a component key is the providers' knowledge, spread over
//! several of them (a static site's own resources, and the diagnostic settings the
//! monitoring provider writes for it). Rather than have each provider list its old addresses,
//! a stack that holds a renamed component is provisioned a second time with the requirements
//! keyed as before the rename: the same providers, run on the same backend, write the same
//! blocks in the same order, and only the addresses that derive from the key differ. Each
//! pair of blocks whose addresses differ is a move. Names do not differ: a renamed component's
//! Azure names are rendered from its old key in both runs. The second run costs one more
//! provisioning of the stack, only while a `renamed_from` is written.

use baas_model::requirement::kinds;
use baas_providers::{Context, Merged, Provisioned};
use baas_terraform::Address;

/// The merged requirements as they were keyed before the renames, or `None` when no
/// requirement's key comes from a renamed component (only static sites key their requirement
/// by the component key; a renamed CRUD API keeps its container, so nothing of it moves).
pub fn before_renames(context: &Context<'_>) -> Option<Vec<Merged>> {
    let old_key = |merged: &Merged| {
        if merged.kind != kinds::STATIC_SITE {
            return None;
        }
        let component = context.backend.components.get(&merged.key)?;
        component.renamed_from.as_ref().map(|old| old.value.clone())
    };
    if !context.merged.iter().any(|m| old_key(m).is_some()) {
        return None;
    }
    Some(
        context
            .merged
            .iter()
            .map(|merged| {
                let mut before = merged.clone();
                if let Some(old) = old_key(merged) {
                    before.key = old;
                }
                before
            })
            .collect(),
    )
}

/// The moves between what the stack provisioned before the renames (`old`) and now (`new`),
/// slot by slot: block `i` of a slot is the same resource in both.
pub fn pair(old: &[Provisioned], new: &[Provisioned]) -> Vec<(Address, Address)> {
    let mut moves = Vec::new();
    for (before, after) in old.iter().zip(new) {
        if before.blocks.len() != after.blocks.len() {
            // A provider whose blocks depend on the key beyond their addresses: its moves
            // cannot be paired, and Terraform plans its resources as replaced (`baas diff`
            // shows them).
            continue;
        }
        for (b, a) in before.blocks.iter().zip(&after.blocks) {
            // Data sources hold no state to move.
            if !a.address.data
                && a.address != b.address
                && a.address.resource_type == b.address.resource_type
            {
                moves.push((b.address.clone(), a.address.clone()));
            }
        }
    }
    moves
}
