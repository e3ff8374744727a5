//! Diagnostics as text: miette's graphical report for people, JSON and SARIF for tools. The
//! caller prints them.

use baas_model::{Diagnostic, Severity, SourceFile};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan};
use std::fmt;

pub fn colors() -> bool {
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
    let named = CharColumns(NamedSource::new(
        visible(&source.name),
        same_length_visible(&source.text),
    ));
    let mut out = String::new();
    for diagnostic in diagnostics {
        // A diagnostic about a provider template points into that file.
        let file = diagnostic.file.as_deref().unwrap_or(source);
        let other = diagnostic.file.as_ref().map(|file| {
            CharColumns(NamedSource::new(
                visible(&file.name),
                same_length_visible(&file.text),
            ))
        });
        // miette cannot draw a snippet past column 65,535 (its padding overflows): a minified
        // one-line document gets the location in words instead.
        let location = diagnostic.span.map(|span| (span.line, span.column));
        let fits = |span: baas_model::Span| {
            let (_, end_column) = file.line_column(span.end);
            span.column.max(end_column) <= MAX_SNIPPET_COLUMN
        };
        let snippet =
            diagnostic.span.is_some_and(fits) && diagnostic.related.iter().all(|r| fits(r.span));
        let report = Report {
            diagnostic,
            message: visible(&diagnostic.message),
            help: diagnostic.help.as_deref().map(visible),
            label: diagnostic.label.as_deref().map(visible),
            related: diagnostic
                .related
                .iter()
                .map(|r| (r.span, visible(&r.label)))
                .collect(),
            source: other.as_ref().unwrap_or(&named),
            snippet,
        };
        if handler.render_report(&mut out, &report).is_err() {
            out.push_str(&format!("{}: {}\n", diagnostic.code.id, report.message));
        }
        if let (false, Some((line, column))) = (snippet, location) {
            out.push_str(&format!("  at {}:{line}:{column}\n", visible(&file.name)));
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

pub fn json(source: &SourceFile, diagnostics: &[Diagnostic]) -> String {
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

/// The widest column miette draws a snippet at; see [`human`].
const MAX_SNIPPET_COLUMN: usize = 10_000;

/// `text` with every control character but line feed and tab written as an escape
/// (`\u{1b}`): values from backend.yaml reach the terminal in messages, and an ESC sequence
/// could retitle or clear it.
/// Long values are cut to `MAX_SHOWN_CHARS` characters: a 50 MB scalar must not make a 50 MB
/// message.
fn visible(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == MAX_SHOWN_CHARS {
            out.push_str(&format!(" … ({} characters in all)", text.chars().count()));
            break;
        }
        if c.is_control() && c != '\n' && c != '\t' {
            out.extend(c.escape_unicode());
        } else {
            out.push(c);
        }
    }
    out
}

/// The most characters of one message, label or help that a report shows.
const MAX_SHOWN_CHARS: usize = 2_000;

/// The source text with its control characters replaced by characters of the same UTF-8
/// length (`?` for the one-byte C0 controls and DEL, `¿` for the two-byte C1 ones), so every
/// span still points at the same bytes and the same character columns. Line breaks and tabs
/// stay.
fn same_length_visible(text: &str) -> String {
    // Most documents hold none: a byte scan finds that (C1 controls are `\u{80}`-`\u{9f}`,
    // `0xc2 0x80`-`0xc2 0x9f` in UTF-8) without building the text a character at a time.
    let bytes = text.as_bytes();
    let has_control = bytes.iter().enumerate().any(|(i, &b)| {
        (b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t'))
            || b == 0x7f
            || (b == 0xc2 && bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)))
    });
    if !has_control {
        return text.to_owned();
    }
    text.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => c,
            c if c.is_control() && c.len_utf8() == 1 => '?',
            c if c.is_control() => '¿',
            c => c,
        })
        .collect()
}

/// Adapts a baas diagnostic to miette's trait, at the edge only, with user text made visible.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    message: String,
    help: Option<String>,
    label: Option<String>,
    related: Vec<(baas_model::Span, String)>,
    source: &'a CharColumns,
    /// Whether miette draws the source snippet.
    snippet: bool,
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
        f.write_str(&self.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
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
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.diagnostic
            .span
            .filter(|_| self.snippet)
            .map(|_| self.source as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = self.diagnostic.span.filter(|_| self.snippet)?;
        let primary = LabeledSpan::new_primary_with_span(self.label.clone(), to_source_span(span));
        let related = self.related.iter().map(|(span, label)| {
            LabeledSpan::new_with_span(Some(label.clone()), to_source_span(*span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

fn to_source_span(span: baas_model::Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_become_visible_at_the_same_length() {
        for (text, shown) in [
            ("name: shop\n\tx: é\r\n", "name: shop\n\tx: é\r\n"),
            ("a\u{1b}]0;x\u{7}b", "a?]0;x?b"),
            ("del\u{7f}", "del?"),
            ("nel\u{85}end", "nel¿end"),
            // `é` is 0xc3 0xa9 and `À` 0xc3 0x80: neither is a C1 control.
            ("éÀ\u{a0}", "éÀ\u{a0}"),
        ] {
            let visible = same_length_visible(text);
            assert_eq!(visible, shown, "{text:?}");
            assert_eq!(visible.len(), text.len(), "{text:?}");
        }
    }
}
