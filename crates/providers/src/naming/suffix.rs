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
pub(super) fn append_suffix(human: &str, separator: &str, hash: &str, max: usize) -> String {
    let budget = max.saturating_sub(separator.chars().count() + hash.chars().count());
    let mut head: String = human.chars().take(budget).collect();
    while head.ends_with(SEPARATORS) {
        head.pop();
    }
    if head.is_empty() {
        hash.to_owned()
    } else {
        format!("{head}{separator}{hash}")
    }
}
