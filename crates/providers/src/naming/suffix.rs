//! The unique suffix of globally unique names: a hash of what identifies the resource, and
//! fitting it onto a name without ever cutting the hash.

use sha2::{Digest, Sha256};

use super::{NameParts, ResourceKind, HASH_LEN, SEPARATORS};

/// The unique suffix of a globally unique name: the first [`HASH_LEN`] lowercase hex digits
/// of SHA-256 over `app \0 env \0 location \0 salt \0 kind key \0 instance`.
///
/// The abbreviation and the template are deliberately not inputs, so restyling names keeps
/// each resource's hash.
pub fn unique_hash(kind: ResourceKind, parts: &NameParts<'_>, salt: &str) -> String {
    let mut hasher = Sha256::new();
    for (i, field) in [
        parts.app,
        parts.env,
        parts.location,
        salt,
        kind.key(),
        parts.instance,
    ]
    .iter()
    .enumerate()
    {
        if i > 0 {
            hasher.update([0u8]);
        }
        hasher.update(field.as_bytes());
    }
    let digest = hasher.finalize();
    let mut hex = String::with_capacity(HASH_LEN + 1);
    for byte in digest.iter().take(HASH_LEN.div_ceil(2)) {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex.truncate(HASH_LEN);
    hex
}

/// `human + separator + hash`, cutting `human` so the whole fits in `max` characters.
///
/// When `human` ends with `keep` (the region code, where the default template puts it), the
/// cut is made before it, so a shortened name still says where the resource is: a colour
/// stack's `func-shop-node-blue-prod-eus2` becomes `func-shop-node-blue-eus2-<hash>`, not
/// `func-shop-node-blue-prod-<hash>`. What is cut is still in the hash, so names stay unique.
pub(super) fn append_suffix(
    human: &str,
    keep: &str,
    separator: &str,
    hash: &str,
    max: usize,
) -> String {
    let budget = max.saturating_sub(separator.chars().count() + hash.chars().count());
    let mut head = if human.chars().count() <= budget {
        human.to_owned()
    } else {
        let tail_len = keep.chars().count();
        let front = human.strip_suffix(keep).filter(|_| !keep.is_empty());
        // Only names with separators keep the region: whole segments are dropped before it,
        // and without separators (storage accounts) a cut would leave unreadable fragments.
        let joint = front.and_then(|f| f.chars().last().filter(|c| SEPARATORS.contains(c)));
        match (front, joint) {
            (Some(front), Some(joint)) if tail_len + 1 < budget => {
                whole_segments(front, budget - tail_len - 1).map_or_else(
                    || human.chars().take(budget).collect(),
                    |mut head| {
                        head.push(joint);
                        head.push_str(keep);
                        head
                    },
                )
            }
            _ => human.chars().take(budget).collect(),
        }
    };
    while head.ends_with(SEPARATORS) {
        head.pop();
    }
    if head.is_empty() {
        hash.to_owned()
    } else {
        format!("{head}{separator}{hash}")
    }
}

/// The longest prefix of `front` of at most `budget` characters that ends at a segment
/// boundary, without trailing separators; `None` when not even the first segment fits.
fn whole_segments(front: &str, budget: usize) -> Option<String> {
    let mut kept: String = front.chars().take(budget).collect();
    let cut_inside_a_segment = front
        .chars()
        .nth(budget)
        .is_some_and(|next| !SEPARATORS.contains(&next));
    if cut_inside_a_segment {
        while kept.pop().is_some_and(|c| !SEPARATORS.contains(&c)) {}
    }
    while kept.ends_with(SEPARATORS) {
        kept.pop();
    }
    (!kept.is_empty()).then_some(kept)
}
