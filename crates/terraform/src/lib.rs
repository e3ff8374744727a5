//! baas-terraform: the Terraform JSON document model and the azurerm schema conformance check.

pub mod schema;
