//! What the providers' unit tests share: a context built the way synth builds one.

use crate::context::Context;
use crate::naming::{Namer, NamingConfig};
use crate::Registry;
use baas_model::{requirement, SourceFile};

/// Runs `check` against the context of `yaml` (which must load without errors), its
/// requirements merged by the built-in providers.
pub fn with_context(yaml: &str, check: impl FnOnce(&Context<'_>)) {
    let (backend, diagnostics) = baas_model::load(&SourceFile::new("backend.yaml", yaml));
    assert!(
        !baas_model::diagnostic::has_errors(&diagnostics),
        "{diagnostics:?}"
    );
    let backend = backend.unwrap();
    let namer = Namer::new(&NamingConfig::standard()).unwrap();
    let merged = Registry::builtin()
        .merge(&requirement::expand(&backend))
        .merged;
    check(&Context::new(&backend, &namer, &merged));
}
