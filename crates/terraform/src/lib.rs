//! baas-terraform: the Terraform JSON document model, its deterministic writer, and the
//! conformance check against a provider schema. Knows Terraform, not Azure: resource types
//! are strings here.

pub mod document;
pub mod schema;

pub use document::{Address, Document};
