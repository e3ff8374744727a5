//! bytes -> `decode_source` -> `synthesize` with the built-in registry, all in memory.
//!
//! Properties checked on every input (see docs/fuzzing.md):
//! - nothing panics (libFuzzer reports a panic as a crash);
//! - an input that produces no files carries at least one error;
//! - every diagnostic span (and every related span) lies within the text, with
//!   `start <= end`, on char boundaries, and its line/column agree with the byte offset;
//! - synthesis is deterministic: a second run gives byte-identical files and the same
//!   diagnostics.

#![no_main]

use baas_model::{Diagnostic, SourceFile, Span};
use baas_providers::Registry;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(Registry::builtin)
}

fn check_span(source: &SourceFile, span: Span, diagnostic: &Diagnostic) {
    let text = &source.text;
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "span {span:?} out of bounds (text is {} bytes): {diagnostic:?}",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "span {span:?} is not on char boundaries: {diagnostic:?}"
    );
    if skip_line_column() {
        return;
    }
    assert_eq!(
        (span.line, span.column),
        source.line_column(span.start),
        "span {span:?} has a line/column that disagrees with its start offset: {diagnostic:?}"
    );
}

/// `BAAS_FUZZ_SKIP_LINE_COLUMN=1` turns off the check that a span's line and column agree
/// with its byte offset, so that a long run is not stopped again and again by that one known
/// bug (docs/fuzzing.md, "Findings"). Every other property is still checked.
fn skip_line_column() -> bool {
    static SKIP: OnceLock<bool> = OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os("BAAS_FUZZ_SKIP_LINE_COLUMN").is_some_and(|v| v == "1"))
}

fn check_diagnostics(source: &SourceFile, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        assert!(
            diagnostic.code.id.starts_with("baas::"),
            "undocumented code: {diagnostic:?}"
        );
        // A diagnostic may point into another file than backend.yaml (a provider template);
        // its related spans point into backend.yaml.
        if let Some(span) = diagnostic.span {
            check_span(
                diagnostic.file.as_deref().unwrap_or(source),
                span,
                diagnostic,
            );
        }
        for related in &diagnostic.related {
            check_span(source, related.span, diagnostic);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let source = match baas_model::decode_source("backend.yaml", data) {
        Ok(source) => source,
        Err((source, diagnostic)) => {
            assert!(
                diagnostic.is_error(),
                "an undecodable input is not an error"
            );
            check_diagnostics(&source, std::slice::from_ref(&diagnostic));
            return;
        }
    };
    let synthesis = baas_synth::synthesize(&source, registry());
    check_diagnostics(&source, &synthesis.diagnostics);
    if synthesis.files.is_empty() {
        assert!(
            synthesis.has_errors(),
            "no files, but no error either: {:?}",
            synthesis.diagnostics
        );
    } else {
        assert!(
            !synthesis.has_errors(),
            "files produced despite errors: {:?}",
            synthesis.diagnostics
        );
        let again = baas_synth::synthesize(&source, registry());
        assert!(
            again.files == synthesis.files,
            "synthesis is not deterministic: two runs gave different files"
        );
        assert_eq!(
            again.diagnostics, synthesis.diagnostics,
            "synthesis is not deterministic: two runs gave different diagnostics"
        );
    }
});
