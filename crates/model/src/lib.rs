//! baas-model: backend.yaml types, spanned parsing and validation.

pub mod ncrontab;
pub mod regions;
