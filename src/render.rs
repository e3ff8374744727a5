//! Diagnostics on stderr: miette's graphical report for people, JSON for tools.

use crate::Format;
use baas_model::{Diagnostic, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

pub fn print(source: &SourceFile, diagnostics: &[Diagnostic], format: Format) {
    match format {
        Format::Human => eprint!("{}", human(source, diagnostics, colors())),
        Format::Json => println!("{}", json(source, diagnostics)),
        Format::Sarif => println!("{}", sarif(source, diagnostics, &[])),
    }
}

fn colors() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// The rendered report; without colours it is stable text, used by the snapshot tests.
pub fn human(source: &SourceFile, diagnostics: &[Diagnostic], colors: bool) -> String {
    let theme = if colors {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    let named = CharColumns(NamedSource::new(source.name.clone(), source.text.clone()));
    let mut out = String::new();
    for diagnostic in diagnostics {
        // A diagnostic about a provider template points into that file.
        let other = diagnostic
            .file
            .as_ref()
            .map(|file| CharColumns(NamedSource::new(file.name.clone(), file.text.clone())));
        let report = Report {
            diagnostic,
            source: other.as_ref().unwrap_or(&named),
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", diagnostic.code.id, diagnostic.message));
        }
        out.push('\n');
    }
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    let warnings = diagnostics.len() - errors;
    if !diagnostics.is_empty() {
        out.push_str(&format!(
            "{}: {errors} error(s), {warnings} warning(s)\n",
            source.name
        ));
    }
    out
}

fn json(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
    let items: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let source = d.file.as_deref().unwrap_or(source);
            let (end_line, end_column) = d.span.map_or((0, 0), |s| source.line_column(s.end));
            serde_json::json!({
                "code": d.code.id,
                "severity": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": d.message,
                "help": d.help,
                "file": source.name,
                "line": d.span.map(|s| s.line),
                "column": d.span.map(|s| s.column),
                "end": d.span.map(|_| serde_json::json!({ "line": end_line, "column": end_column })),
            })
        })
        .collect();
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    baas_terraform::document::to_json(&serde_json::json!({
        "diagnostics": items,
        "errors": errors,
        "warnings": diagnostics.len() - errors,
    }))
    .trim_end()
    .to_owned()
}

/// SARIF 2.1.0 with one rule per known code, for GitHub code scanning.
pub fn sarif(
    source: &SourceFile,
    diagnostics: &[Diagnostic],
    codes: &[&baas_model::diagnostic::Code],
) -> String {
    let rules: Vec<serde_json::Value> = codes
        .iter()
        .map(|c| {
            serde_json::json!({
                "id": c.id,
                "shortDescription": { "text": c.summary },
                "fullDescription": { "text": c.explanation },
                "help": { "text": c.explanation },
            })
        })
        .collect();
    let results: Vec<serde_json::Value> = diagnostics
        .iter()
        .map(|d| {
            let text = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            let mut result = serde_json::json!({
                "ruleId": d.code.id,
                "level": match d.severity { Severity::Error => "error", Severity::Warning => "warning" },
                "message": { "text": text },
            });
            let (line, column, end_line, end_column) = match d.span {
                Some(s) => {
                    let (end_line, end_column) = d.file.as_deref().unwrap_or(source).line_column(s.end);
                    (s.line, s.column, end_line, end_column)
                }
                None => (1, 1, 1, 1),
            };
            result["locations"] = serde_json::json!([{
                "physicalLocation": {
                    "artifactLocation": { "uri": d.file.as_deref().unwrap_or(source).name },
                    "region": { "startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column },
                }
            }]);
            result
        })
        .collect();
    let report = serde_json::json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "columnKind": "unicodeCodePoints",
            "tool": { "driver": {
                "name": "baas",
                "version": baas_synth::BAAS_VERSION,
                "rules": rules,
            } },
            "results": results,
        }],
    });
    baas_terraform::document::to_json(&report)
        .trim_end()
        .to_owned()
}

/// Adapts a baas diagnostic to miette's trait, at the edge only.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a CharColumns,
}

/// miette counts columns in bytes; baas (and its JSON and SARIF output) counts characters.
/// This wrapper makes the `file:line:col` header agree with them on non-ASCII lines.
#[derive(Debug)]
struct CharColumns(NamedSource<String>);

impl miette::SourceCode for CharColumns {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn miette::SpanContents<'a> + 'a>, miette::MietteError> {
        let contents = self
            .0
            .read_span(span, context_lines_before, context_lines_after)?;
        let text = self.0.inner().as_str();
        let start = contents.span().offset().min(text.len());
        let line_start = text[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
        let column = text
            .get(line_start..start)
            .map_or(contents.column(), |prefix| prefix.chars().count());
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.0.name().to_owned(),
            contents.data(),
            *contents.span(),
            contents.line(),
            column,
            contents.line_count(),
        )))
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diagnostic.code.id))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diagnostic
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic
            .span
            .map(|_| self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.diagnostic.span?;
        let primary =
            LabeledSpan::new_primary_with_span(self.diagnostic.label.clone(), to_source_span(span));
        let related = self
            .diagnostic
            .related
            .iter()
            .map(|r| LabeledSpan::new_with_span(Some(r.label.clone()), to_source_span(r.span)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

fn to_source_span(span: baas_model::Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}
