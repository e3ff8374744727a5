//! baas-providers: resource providers, the registry, merge rules, limits and naming.

pub mod naming;
