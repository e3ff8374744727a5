//! Facts under the providers: what one provider needs to know of another's resources, worked
//! out from the [`Context`](crate::context::Context) and owned by no provider.
//!
//! Provider modules import only `context`, `facts`, `naming`, `codes` and the model and
//! terraform crates, never each other (checked by `layering::no_provider_imports_another`).
//! What one provider needs of another's resource is a fact here: an address to point at, a
//! property of the function plan, how the network reaches a data service; the provider that
//! owns a resource reads the facts and writes every field of it.

pub mod cosmos;
pub mod defaults;
pub mod dns;
pub mod health;
pub mod network;
pub mod plan;
pub mod refs;
pub mod routing;
pub mod stacks;
