//! baas-model: what a backend.yaml says, and nothing about how Azure or Terraform realise it.
//!
//! Pipeline stages owned here: source text -> [`yaml::Node`] (spans kept) -> [`Backend`]
//! (validated, defaults applied) -> [`Requirement`]s (what each component needs).

pub mod backend;
pub mod cidr;
pub mod codes;
pub mod decode;
pub mod diagnostic;
pub mod existing;
pub mod ncrontab;
pub mod overlay;
pub mod plan;
pub mod read;
pub mod read_access;
pub mod read_crud;
pub mod read_custom;
pub mod read_deployment;
pub mod read_functions;
pub mod read_monitoring;
pub mod read_networking;
pub mod read_servicebus;
pub mod read_staticsite;
pub mod regions;
pub mod rename;
pub mod requirement;
pub mod schema;
pub mod span;
pub mod suggest;
pub mod yaml;

pub use backend::*;
pub use diagnostic::{Diagnostic, Severity};
pub use requirement::{Requirement, RequirementConfig, Source};
pub use span::{SourceFile, Span, Spanned};

/// Decodes raw bytes as UTF-8 text, refusing binary input with a located diagnostic.
/// On failure the returned source holds the valid prefix, so the diagnostic can be rendered.
pub fn decode_source(name: &str, bytes: &[u8]) -> Result<SourceFile, (SourceFile, Diagnostic)> {
    let problem = match std::str::from_utf8(bytes) {
        Ok(text) => text
            .find('\0')
            .map(|at| (at, "a NUL byte: this looks like a binary file")),
        Err(error) => Some((error.valid_up_to(), "not valid UTF-8")),
    };
    let Some((at, what)) = problem else {
        let text = String::from_utf8_lossy(bytes).into_owned();
        return Ok(SourceFile::new(
            name,
            text.strip_prefix('\u{feff}')
                .map(str::to_owned)
                .unwrap_or(text),
        ));
    };
    // Keep the valid prefix so the diagnostic can show a line and column.
    let prefix = String::from_utf8_lossy(&bytes[..at]).into_owned();
    let source = SourceFile::new(name, prefix);
    let span = source.span(at, at);
    let diagnostic = Diagnostic::error(
        &codes::PARSE_ENCODING,
        format!("`{name}` is not UTF-8 text: byte {at} is {what}"),
    )
    .at(span)
    .help("save the file as UTF-8, or check that the right file was passed");
    Err((source, diagnostic))
}

/// Parses and validates a backend.yaml. Returns the backend (when it could be built) and every
/// diagnostic found on the way.
pub fn load(source: &SourceFile) -> (Option<Backend>, Vec<Diagnostic>) {
    load_env(source, None)
}

/// `load` with the overlay `environments.<env>` applied first.
pub fn load_env(source: &SourceFile, env: Option<&str>) -> (Option<Backend>, Vec<Diagnostic>) {
    let root = match yaml::parse(source).and_then(|root| overlay::apply(root, env)) {
        Ok(root) => root,
        Err(diagnostic) => return (None, vec![diagnostic]),
    };
    let mut sink = decode::Sink::default();
    let backend = read::read(&root, &mut sink);
    (backend, sink.diagnostics)
}
