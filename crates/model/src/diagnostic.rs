//! Diagnostics are values: every stage collects them into a list instead of stopping at the
//! first problem, so one run reports everything it can find.

use crate::span::Span;

/// A stable diagnostic code with its documentation. Codes never change meaning once released;
/// `baas explain CODE` prints `explanation`.
#[derive(Debug, PartialEq, Eq)]
pub struct Code {
    /// `baas::area::rule`
    pub id: &'static str,
    /// One line: what the rule is.
    pub summary: &'static str,
    /// The long form: why the rule exists and how to fix a violation.
    pub explanation: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A secondary location that helps explain a diagnostic (the other declaration of a
/// conflicting setting, say).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub span: Span,
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: &'static Code,
    pub severity: Severity,
    /// What is wrong: lowercase start, no trailing period, literals in backticks.
    pub message: String,
    /// Where in backend.yaml; `None` only for problems that belong to no line (an empty file).
    pub span: Option<Span>,
    /// A short label drawn under the span.
    pub label: Option<String>,
    /// How to fix it.
    pub help: Option<String>,
    pub related: Vec<Related>,
    /// The file `span` points into when it is not backend.yaml (a provider template).
    pub file: Option<std::sync::Arc<crate::span::SourceFile>>,
}

impl Diagnostic {
    /// Points the diagnostic into another input file than backend.yaml.
    pub fn in_file(mut self, file: std::sync::Arc<crate::span::SourceFile>) -> Self {
        self.file = Some(file);
        self
    }

    pub fn error(code: &'static Code, message: impl Into<String>) -> Self {
        Diagnostic {
            code,
            severity: Severity::Error,
            message: message.into(),
            span: None,
            label: None,
            help: None,
            related: Vec::new(),
            file: None,
        }
    }

    pub fn warning(code: &'static Code, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, message)
        }
    }

    pub fn at(mut self, span: Span) -> Self {
        self.span = Some(span);
        self
    }

    pub fn label(mut self, label: impl Into<String>) -> Self {
        self.label = Some(label.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, span: Span, label: impl Into<String>) -> Self {
        self.related.push(Related {
            span,
            label: label.into(),
        });
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position, then code, so output order never depends on the order in
/// which stages happened to find them.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        let key = |d: &Diagnostic| {
            (
                d.span.map(|s| (s.start, s.end)),
                d.code.id,
                d.message.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}

/// "did you mean `x`?" for the closest candidate; [`crate::suggest`] has the other measure.
pub use crate::suggest::did_you_mean;
