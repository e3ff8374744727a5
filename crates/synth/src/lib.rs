//! baas-synth: the pipeline from backend.yaml text to the files of the output folder.
//!
//! `source text -> Backend -> Requirements -> merged Requirements -> Terraform blocks ->
//! stacks -> JSON text`. Every stage is a pure function; this crate does no I/O and returns the
//! files as a map of relative paths to contents, plus every diagnostic found on the way.

pub mod codes;
pub mod diff;
pub mod graph;
mod manifest;
mod moves;
mod parallel;
mod stack;
mod topology;

use baas_model::diagnostic::{self, Code, Diagnostic};
use baas_model::{requirement, Backend, Requirement, SourceFile};
use baas_providers::naming::{self, Namer, NamingConfig};
use baas_providers::{Context, Merged, Registry};
use baas_terraform::Address;
use std::collections::BTreeMap;

/// The commented starter backend.yaml that `baas init` writes; it validates as is.
pub const STARTER_BACKEND: &str = include_str!("starter.yaml");

/// The JSON Schema of backend.yaml as written to `schemas/backend.schema.json`.
pub fn backend_schema_json() -> String {
    baas_terraform::document::to_json(&baas_model::schema::backend_schema())
}

/// The version of baas written into the manifest.
pub const BAAS_VERSION: &str = env!("CARGO_PKG_VERSION");

/// Files to write (relative path -> contents) and what the run found. `files` is empty
/// whenever `diagnostics` holds an error: nothing is written unless everything validates.
#[derive(Debug, Default)]
pub struct Synthesis {
    pub files: BTreeMap<String, String>,
    pub diagnostics: Vec<Diagnostic>,
}

impl Synthesis {
    pub fn has_errors(&self) -> bool {
        diagnostic::has_errors(&self.diagnostics)
    }
}

/// Runs every check and, when all pass, produces the output files.
pub fn synthesize(source: &SourceFile, registry: &Registry) -> Synthesis {
    synthesize_with(source, registry, &Options::plain())
}

/// `synthesize` with templates for custom providers.
pub fn synthesize_with(
    source: &SourceFile,
    registry: &Registry,
    options: &Options<'_>,
) -> Synthesis {
    // The stacks' values are dropped as soon as they are serialized: only the text is kept.
    match run(source, registry, options, false) {
        Ok(plan) => plan.into_synthesis(source),
        Err(diagnostics) => Synthesis {
            files: BTreeMap::new(),
            diagnostics,
        },
    }
}

/// What the pipeline computed for a definition without errors: every intermediate value from
/// the backend to the stacks. `synthesize` turns it into files; `baas graph` draws it.
#[derive(Debug)]
pub struct Plan {
    pub backend: Backend,
    /// Every requirement of every enabled component, in component order (held by `plan`,
    /// dropped after merging by `synthesize`).
    pub requirements: Vec<Requirement>,
    /// One per `(type, key)`, sorted by it.
    pub merged: Vec<Merged>,
    /// The addresses of the blocks each merged requirement provisioned: index-aligned with
    /// `merged`.
    pub provisioned: Vec<Vec<Address>>,
    /// Warnings, sorted by position (a plan has no errors).
    pub diagnostics: Vec<Diagnostic>,
    /// In deploy order.
    stacks: Vec<topology::BuiltStack>,
    sections: manifest::Sections,
    /// The output's other files: the function apps' generated projects.
    files: Vec<(String, String)>,
}

impl Plan {
    /// Every stack as `(name, root module)`, in output order.
    pub fn stacks(&self) -> impl Iterator<Item = (&str, &serde_json::Value)> {
        self.stacks.iter().filter_map(|s| {
            s.stack
                .module
                .as_ref()
                .map(|module| (s.stack.name.as_str(), module))
        })
    }

    fn into_synthesis(self, source: &SourceFile) -> Synthesis {
        let mut files = BTreeMap::new();
        let manifest = manifest::build(source, &self.backend, &self.stacks, &self.sections);
        for built in self.stacks {
            files.insert(
                format!("{}/main.tf.json", built.stack.name),
                built.stack.text,
            );
        }
        files.insert("baas.manifest.json".to_owned(), manifest);
        files.extend(self.files);
        Synthesis {
            files,
            diagnostics: self.diagnostics,
        }
    }
}

/// Reads the files that `providers.<type>.template` names, relative to backend.yaml. Only the
/// caller does I/O: the CLI reads from disk, tests and library users from anywhere.
pub trait TemplateLoader {
    fn load(&self, path: &str) -> Result<String, String>;

    /// How diagnostics name the file (the CLI: relative to the working directory).
    fn display_name(&self, path: &str) -> String {
        path.to_owned()
    }
}

/// What a run needs besides backend.yaml and the registry.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// The `environments` overlay to apply (`--env`).
    pub env: Option<&'a str>,
    pub templates: &'a dyn TemplateLoader,
}

impl std::fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Options")
            .field("env", &self.env)
            .finish_non_exhaustive()
    }
}

impl Options<'static> {
    /// No overlay, no templates.
    pub fn plain() -> Self {
        Options {
            env: None,
            templates: &NoTemplates,
        }
    }
}

/// For callers without templates: any `providers` entry is reported as unreadable.
#[derive(Debug)]
pub struct NoTemplates;

impl TemplateLoader for NoTemplates {
    fn load(&self, path: &str) -> Result<String, String> {
        Err(format!(
            "no template loader was given, so `{path}` cannot be read"
        ))
    }
}

/// Runs the pipeline: `Ok` when nothing found an error, else every diagnostic, sorted.
pub fn plan(source: &SourceFile, registry: &Registry) -> Result<Plan, Vec<Diagnostic>> {
    plan_with(source, registry, &Options::plain())
}

/// The registry of this run: the caller's, plus a template provider per `providers` entry.
fn with_templates(
    backend: &Backend,
    registry: &Registry,
    templates: &dyn TemplateLoader,
    diagnostics: &mut Vec<Diagnostic>,
) -> Registry {
    let mut registry = registry.clone();
    for (kind, spec) in &backend.providers {
        if !baas_model::read_custom::template_path_is_inside(&spec.template.value) {
            continue; // already reported by the model
        }
        let text = match templates.load(&spec.template.value) {
            Ok(text) => text,
            Err(error) => {
                diagnostics.push(
                    Diagnostic::error(
                        &baas_providers::codes::TEMPLATE_FILE,
                        format!("cannot read the template for `{kind}`: {error}"),
                    )
                    .at(spec.template.span)
                    .label("this file")
                    .help("give a path relative to backend.yaml"),
                );
                continue;
            }
        };
        let file = std::sync::Arc::new(SourceFile::new(
            templates.display_name(&spec.template.value),
            text,
        ));
        match baas_providers::template::TemplateProvider::new(kind, file) {
            Ok(provider) => {
                if let Err(clash) = registry.register_shared(std::sync::Arc::new(provider)) {
                    diagnostics.push(
                        Diagnostic::error(
                            &baas_providers::codes::TEMPLATE_FILE,
                            format!("`{kind}` has a template, but {clash}"),
                        )
                        .at(spec.kind.span)
                        .help("remove the template, or the provider registered in Rust"),
                    );
                }
            }
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    registry
}

/// Requirement types whose template failed to load or compile: their error is reported, and
/// merging their requirements would only add "no provider serves it" for each.
fn broken_template_kinds(backend: &Backend, registry: &Registry) -> Vec<String> {
    backend
        .providers
        .keys()
        .filter(|kind| registry.provider_for(kind).is_none())
        .cloned()
        .collect()
}

/// `plan` with templates for custom providers.
pub fn plan_with(
    source: &SourceFile,
    registry: &Registry,
    options: &Options<'_>,
) -> Result<Plan, Vec<Diagnostic>> {
    run(source, registry, options, true)
}

/// The pipeline; `keep_modules` keeps every stack's root module as a value besides its text.
fn run(
    source: &SourceFile,
    registry: &Registry,
    options: &Options<'_>,
    keep_modules: bool,
) -> Result<Plan, Vec<Diagnostic>> {
    let templates = options.templates;
    let (backend, mut diagnostics) = baas_model::load_env(source, options.env);
    let Some(backend) = backend else {
        return Err(sorted(diagnostics));
    };
    let registry = &with_templates(&backend, registry, templates, &mut diagnostics);
    let namer = match build_namer(&backend) {
        Ok(namer) => namer,
        Err(errors) => {
            diagnostics.extend(errors);
            return Err(sorted(diagnostics));
        }
    };
    // With model errors, names may rest on stand-in values: check merges and limits, but
    // generate nothing.
    let model_is_valid = !diagnostic::has_errors(&diagnostics);
    let mut requirements = requirement::expand(&backend);
    let broken = broken_template_kinds(&backend, registry);
    if !broken.is_empty() {
        requirements.retain(|r| !broken.contains(&r.kind));
    }
    // Only `baas graph` draws the unmerged requirements; `synthesize` moves them into the
    // merge instead of holding megabytes of copies through the stacks.
    let (resolution, requirements) = if keep_modules {
        (registry.merge(&requirements), requirements)
    } else {
        (registry.merge_owned(requirements), Vec::new())
    };
    diagnostics.extend(resolution.diagnostics);
    let merged = resolution.merged;
    let context = Context::new(&backend, &namer, &merged);
    diagnostics.extend(registry.validate(&context));
    diagnostics.extend(registry.validate_topology(&context));
    let regional = topology::regional_stacks(&context);
    diagnostics.extend(registry.check_limits(&context, &regional));
    diagnostics.extend(registry.shared_existing_accounts(&context, &regional));
    diagnostics.extend(topology::stack_name_clashes(&context, registry));
    diagnostics.extend(topology::shared_resource_groups(&context, registry));
    diagnostics
        .extend(registry.check_existing_network(&context, &topology::regional_stacks(&context)));
    if !model_is_valid {
        return Err(sorted(diagnostics));
    }
    let finish = topology::Finish {
        keep_modules,
        prior_errors: diagnostic::has_errors(&diagnostics),
    };
    let built = topology::build(&context, registry, finish);
    diagnostics.extend(built.diagnostics);
    let diagnostics = sorted(diagnostics);
    if diagnostic::has_errors(&diagnostics) {
        return Err(diagnostics);
    }
    // After the stacks: the projects do not sit in memory while the stacks are built.
    let files = registry.files(&context);
    drop(context);
    // `provision` yields one `Provisioned` per merged requirement unless one fails.
    debug_assert_eq!(built.addresses.len(), merged.len());
    Ok(Plan {
        backend,
        requirements,
        merged,
        provisioned: built.addresses,
        diagnostics,
        stacks: built.stacks,
        sections: built.sections,
        files,
    })
}

/// Sorted by position, without repeats: one cause found on several paths (a resource group
/// name every stack and provider asks for) is reported once.
fn sorted(mut diagnostics: Vec<Diagnostic>) -> Vec<Diagnostic> {
    diagnostic::sort(&mut diagnostics);
    diagnostics.dedup();
    diagnostics
}

/// The naming settings, checked once up front: a bad template would fail every name.
fn build_namer(backend: &baas_model::Backend) -> Result<Namer, Vec<Diagnostic>> {
    let config = NamingConfig {
        template: backend.naming.template.as_ref().map(|t| t.value.clone()),
        abbreviations: backend
            .naming
            .abbreviations
            .iter()
            .map(|(k, v)| (k.clone(), v.value.clone()))
            .collect(),
        unique_suffix: backend.naming.unique_suffix,
        salt: backend.naming.salt.clone(),
    };
    let errors = naming::config_errors(&config);
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|error| naming_config_diagnostic(backend, error))
            .collect());
    }
    Namer::new(&config).map_err(|error| vec![naming_config_diagnostic(backend, &error)])
}

fn naming_config_diagnostic(
    backend: &baas_model::Backend,
    error: &naming::NamingError,
) -> Diagnostic {
    let span = match error {
        naming::NamingError::UnknownAbbreviationKey { key, .. } => {
            backend.naming.abbreviations.get(key).map(|v| v.span)
        }
        _ => backend.naming.template.as_ref().map(|t| t.span),
    }
    .unwrap_or(backend.naming.span);
    let diagnostic =
        Diagnostic::error(&baas_providers::codes::NAMING_CONFIG, error.message()).at(span);
    match error.help() {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}

/// Every diagnostic code baas can emit with this registry, sorted by id: the source of
/// `baas explain` and the diagnostics reference.
pub fn all_codes(registry: &Registry) -> Vec<&'static Code> {
    let mut all: Vec<&'static Code> = baas_model::codes::ALL.to_vec();
    all.extend(registry.codes());
    all.extend(codes::ALL.iter().copied());
    all.sort_by_key(|c| c.id);
    all.dedup_by_key(|c| c.id);
    all
}

/// The diagnostics reference (`docs/diagnostics.md`), generated from the same codes that
/// `baas explain` prints, so the two never disagree.
pub fn diagnostics_reference(registry: &Registry) -> String {
    let mut out = String::from(
        "# Diagnostics reference\n\nGenerated by `baas explain --all`; do not edit by hand. \
         Every diagnostic baas prints carries one of these codes.\n",
    );
    for code in all_codes(registry) {
        out.push_str(&format!(
            "\n## `{}`\n\n{}.\n\n{}\n",
            code.id, code.summary, code.explanation
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_checked_in_json_schema_is_current() {
        let checked_in = include_str!("../../../schemas/backend.schema.json");
        assert!(
            checked_in == backend_schema_json(),
            "schemas/backend.schema.json is stale: run `cargo run -- schema > schemas/backend.schema.json`"
        );
    }

    #[test]
    fn the_diagnostics_reference_is_current() {
        let checked_in = include_str!("../../../docs/diagnostics.md");
        assert!(
            checked_in == diagnostics_reference(&Registry::builtin()),
            "docs/diagnostics.md is stale: run `cargo run -- explain --all > docs/diagnostics.md`"
        );
    }

    #[test]
    fn every_code_is_unique_and_documented() {
        let codes = all_codes(&Registry::builtin());
        for code in &codes {
            assert!(code.id.starts_with("baas::"), "{}", code.id);
            assert!(
                !code.summary.is_empty() && code.explanation.len() > 40,
                "{} lacks documentation",
                code.id
            );
        }
        let mut ids: Vec<&str> = codes.iter().map(|c| c.id).collect();
        ids.dedup();
        assert_eq!(ids.len(), codes.len());
    }

    #[test]
    fn the_starter_backend_synthesizes_cleanly() {
        let source = SourceFile::new("backend.yaml", STARTER_BACKEND);
        let synthesis = synthesize(&source, &Registry::builtin());
        assert_eq!(synthesis.diagnostics, Vec::new());
        assert!(synthesis.files.contains_key("main/main.tf.json"));
    }
}
