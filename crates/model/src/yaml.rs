//! YAML text -> a tree of spanned nodes.
//!
//! We drive saphyr-parser's event API ourselves instead of deserializing with serde: serde
//! stops at the first error, while baas must report every problem in one run, each at its own
//! line and column. The tree keeps every scalar's original text, so `version: 3.10` stays
//! `"3.10"` and is not rounded through a float.

use crate::codes;
use crate::diagnostic::Diagnostic;
use crate::span::{SourceFile, Span};
use saphyr_parser::{Marker, Parser, ScalarStyle};
use std::borrow::Cow;

mod quick;

/// Nesting deeper than this is rejected: no real backend.yaml comes close, and it keeps every
/// later recursive walk far from the stack limit.
const MAX_DEPTH: usize = 64;
/// Alias expansion budget (nodes), against "billion laughs" documents.
const MAX_ALIAS_NODES: usize = 100_000;

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub value: Value,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    /// A scalar with its text; `quoted` scalars are always strings in YAML.
    Scalar {
        text: String,
        quoted: bool,
    },
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// What this node is, for "expected X, found Y" messages.
    pub fn describe(&self) -> String {
        match &self.value {
            Value::Null => "nothing (null)".to_owned(),
            Value::Scalar { text, .. } => format!("`{text}`"),
            Value::Seq(_) => "a list".to_owned(),
            Value::Map(_) => "a mapping".to_owned(),
        }
    }
}

/// Parses one YAML document. Syntax errors, empty input, several documents and too-deep
/// nesting come back as located diagnostics.
///
/// Most backend.yaml files are read by [`quick`], which knows only the plain block-and-flow
/// YAML they are written in and is several times faster than saphyr. Anything else, and every
/// document with a problem, is read again by saphyr, whose tree is the same wherever both
/// read a document (tested against each other) and whose errors are the ones users see.
pub fn parse(source: &SourceFile) -> Result<Node, Diagnostic> {
    if source.text.trim().is_empty() || only_comments(&source.text) {
        return Err(Diagnostic::error(&codes::PARSE_EMPTY, format!("`{}` is empty", source.name))
            .help("start from `baas init`, or write at least `name`, `environment`, `location` and one component"));
    }
    let lines = LineIndex::new(&source.text);
    match parse_quick(source, &lines) {
        Some(root) => Ok(root),
        None => parse_full(source, lines),
    }
}

/// The tree as [`quick`] reads it; `None` when it does not read the document (outside its
/// subset, or with a problem to report).
fn parse_quick(source: &SourceFile, lines: &LineIndex) -> Option<Node> {
    let mut builder = Builder::new(source, lines);
    quick::read(&source.text, &mut builder).ok()?;
    builder.root
}

/// The tree as saphyr reads it.
fn parse_full(source: &SourceFile, lines: LineIndex) -> Result<Node, Diagnostic> {
    let offsets = CharOffsets::new(&source.text);
    let mut builder = Builder::new(source, &lines);
    let mut parser = Parser::new_from_str(&source.text);
    while let Some(event) = parser.next_event() {
        match event {
            Ok((event, span)) => {
                let start = offsets.byte(span.start.index());
                let end = offsets.byte(span.end.index());
                if let Some(event) = Event::from_saphyr(event) {
                    builder.on_event(event, start, end)?;
                }
            }
            Err(error) => return Err(syntax_error(source, &offsets, error.marker(), error.info())),
        }
    }
    builder.root.ok_or_else(|| {
        Diagnostic::error(
            &codes::PARSE_EMPTY,
            format!("`{}` holds no YAML document", source.name),
        )
    })
}

/// What the tree builder is told, by saphyr or by [`quick`], with byte offsets.
#[derive(Debug)]
enum Event<'t> {
    DocumentStart,
    /// `anchor` is 0 for none.
    Scalar {
        text: Cow<'t, str>,
        quoted: bool,
        anchor: usize,
    },
    SequenceStart {
        anchor: usize,
    },
    MappingStart {
        anchor: usize,
    },
    /// The end of the innermost open sequence or mapping.
    End,
    Alias(usize),
}

impl<'t> Event<'t> {
    /// The event the builder needs, if any (stream and document ends carry nothing).
    fn from_saphyr(event: saphyr_parser::Event<'t>) -> Option<Self> {
        use saphyr_parser::Event as E;
        Some(match event {
            E::DocumentStart(_) => Event::DocumentStart,
            E::Scalar(text, style, anchor, _tag) => Event::Scalar {
                text,
                quoted: !matches!(style, ScalarStyle::Plain),
                anchor,
            },
            E::SequenceStart(anchor, _) => Event::SequenceStart { anchor },
            E::MappingStart(anchor, _) => Event::MappingStart { anchor },
            E::SequenceEnd | E::MappingEnd => Event::End,
            E::Alias(id) => Event::Alias(id),
            E::StreamStart | E::StreamEnd | E::DocumentEnd | E::Nothing => return None,
        })
    }
}

fn only_comments(text: &str) -> bool {
    text.lines().all(|line| {
        line.trim().is_empty() || line.trim_start().starts_with('#') || line.trim() == "---"
    })
}

fn syntax_error(
    source: &SourceFile,
    offsets: &CharOffsets,
    marker: &Marker,
    info: &str,
) -> Diagnostic {
    let start = offsets.byte(marker.index()).min(source.text.len());
    let end = next_char_boundary(&source.text, start);
    let span = source.span(start, end);
    let line_text = source
        .text
        .lines()
        .nth(span.line.saturating_sub(1))
        .unwrap_or("");
    let mut diagnostic = Diagnostic::error(&codes::PARSE_SYNTAX, format!("invalid YAML: {info}"))
        .at(span)
        .label("here");
    if line_text.contains('\t') {
        diagnostic =
            diagnostic.help("YAML does not allow tabs for indentation: indent with spaces");
    } else {
        diagnostic = diagnostic.help("check the indentation and the quoting around this point");
    }
    diagnostic
}

fn next_char_boundary(text: &str, start: usize) -> usize {
    text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8())
}

/// Byte offsets of line starts, for O(log n) line/column look-ups while building the tree.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(crate::span::line_breaks(text))
            .collect();
        LineIndex { starts }
    }

    /// 1-based line and column (in characters), as `SourceFile::line_column` computes them.
    fn line_column(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let column = text
            .get(start..offset)
            .map_or(offset - start, |prefix| prefix.chars().count())
            + 1;
        (line, column)
    }
}

/// saphyr reports positions in characters; miette and our spans use bytes.
struct CharOffsets {
    /// Byte offset of each char index, present only for non-ASCII text.
    bytes: Option<Vec<usize>>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let bytes = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        CharOffsets {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.bytes {
            None => char_index.min(self.len),
            Some(table) => table.get(char_index).copied().unwrap_or(self.len),
        }
    }
}

enum Frame {
    Seq {
        items: Vec<Node>,
        start: Span,
        anchor: usize,
    },
    Map {
        entries: Vec<(Node, Node)>,
        pending_key: Option<Node>,
        start: Span,
        anchor: usize,
    },
}

struct Builder<'a> {
    source: &'a SourceFile,
    lines: &'a LineIndex,
    stack: Vec<Frame>,
    anchors: Vec<(usize, Node)>,
    root: Option<Node>,
    documents: usize,
    alias_nodes: usize,
}

impl<'a> Builder<'a> {
    fn new(source: &'a SourceFile, lines: &'a LineIndex) -> Self {
        Builder {
            source,
            lines,
            stack: Vec::new(),
            anchors: Vec::new(),
            root: None,
            documents: 0,
            alias_nodes: 0,
        }
    }

    fn span(&self, start: usize, end: usize) -> Span {
        // Line and column from our own index, the same one every renderer uses, rather than
        // the parser's markers.
        let (line, column) = self.lines.line_column(&self.source.text, start);
        Span {
            start,
            end: end.max(start),
            line,
            column,
        }
    }

    fn on_event(&mut self, event: Event<'_>, start: usize, end: usize) -> Result<(), Diagnostic> {
        let span = self.span(start, end);
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(Diagnostic::error(
                        &codes::PARSE_SYNTAX,
                        "more than one YAML document in the file",
                    )
                    .at(span)
                    .label("a second document starts here")
                    .help(
                        "a backend.yaml holds exactly one document: remove the extra `---` section",
                    ));
                }
            }
            Event::Scalar {
                text,
                quoted,
                anchor,
            } => {
                let value = if !quoted && is_null(&text) {
                    Value::Null
                } else {
                    Value::Scalar {
                        text: text.into_owned(),
                        quoted,
                    }
                };
                self.push(Node { value, span }, anchor)?;
            }
            Event::SequenceStart { anchor } => {
                self.enter(span)?;
                self.stack.push(Frame::Seq {
                    items: Vec::new(),
                    start: span,
                    anchor,
                });
            }
            Event::MappingStart { anchor } => {
                self.enter(span)?;
                self.stack.push(Frame::Map {
                    entries: Vec::new(),
                    pending_key: None,
                    start: span,
                    anchor,
                });
            }
            Event::End => self.leave(span)?,
            Event::Alias(id) => {
                let Some(node) = self
                    .anchors
                    .iter()
                    .rev()
                    .find(|(a, _)| *a == id)
                    .map(|(_, n)| n.clone())
                else {
                    return Err(Diagnostic::error(
                        &codes::PARSE_SYNTAX,
                        "alias refers to an unknown anchor",
                    )
                    .at(span));
                };
                self.alias_nodes += count_nodes(&node);
                if self.alias_nodes > MAX_ALIAS_NODES {
                    return Err(Diagnostic::error(
                        &codes::PARSE_SYNTAX,
                        "aliases expand to too many nodes",
                    )
                    .at(span)
                    .help("write the repeated part out, or use fewer nested aliases"));
                }
                // The copy keeps the anchor's spans: a problem in it points at the original text.
                self.push(Node { span, ..node }, 0)?;
            }
        }
        Ok(())
    }

    fn enter(&self, span: Span) -> Result<(), Diagnostic> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Diagnostic::error(
                &codes::PARSE_SYNTAX,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            )
            .at(span)
            .help("backend.yaml never needs this depth: flatten the structure"));
        }
        Ok(())
    }

    fn leave(&mut self, end: Span) -> Result<(), Diagnostic> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (value, start, anchor) = match frame {
            Frame::Seq {
                items,
                start,
                anchor,
            } => (Value::Seq(items), start, anchor),
            Frame::Map {
                entries,
                start,
                anchor,
                ..
            } => (Value::Map(entries), start, anchor),
        };
        // The start event already knows its line and column: recomputing them from the
        // text here would make parsing quadratic.
        let end_byte = end.end.max(start.start);
        let span = Span {
            end: trim_trailing_whitespace(&self.source.text, start.start, end_byte),
            ..start
        };
        self.push(Node { value, span }, anchor)
    }

    fn push(&mut self, node: Node, anchor: usize) -> Result<(), Diagnostic> {
        if anchor != 0 {
            self.anchors.push((anchor, node.clone()));
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                pending_key,
                ..
            }) => match pending_key.take() {
                None => {
                    if !matches!(node.value, Value::Scalar { .. }) {
                        return Err(Diagnostic::error(
                            &codes::PARSE_SYNTAX,
                            "mapping keys must be plain text",
                        )
                        .at(node.span)
                        .help("write the key as a plain word, e.g. `users:`"));
                    }
                    *pending_key = Some(node);
                }
                Some(key) => entries.push((key, node)),
            },
        }
        Ok(())
    }
}

fn trim_trailing_whitespace(text: &str, start: usize, end: usize) -> usize {
    let end = end.min(text.len());
    if !text.is_char_boundary(start) || !text.is_char_boundary(end) || start > end {
        return end;
    }
    // YAML's white space and line breaks only: a value may end in another space character
    // (U+00A0), and the collection holding it must not end before it does.
    start
        + text[start..end]
            .trim_end_matches([' ', '\t', '\n', '\r'])
            .len()
}

fn count_nodes(node: &Node) -> usize {
    match &node.value {
        Value::Null | Value::Scalar { .. } => 1,
        Value::Seq(items) => 1 + items.iter().map(count_nodes).sum::<usize>(),
        Value::Map(entries) => {
            1 + entries
                .iter()
                .map(|(k, v)| count_nodes(k) + count_nodes(v))
                .sum::<usize>()
        }
    }
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Node, Diagnostic> {
        parse(&SourceFile::new("backend.yaml", text))
    }

    #[test]
    fn keeps_scalar_text_and_positions() {
        let node = parse_str("a: 3.10\nb:\n  - x\n").unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].1.value,
            Value::Scalar {
                text: "3.10".into(),
                quoted: false
            }
        );
        assert_eq!((entries[0].1.span.line, entries[0].1.span.column), (1, 4));
        let Value::Seq(items) = &entries[1].1.value else {
            panic!("not a seq")
        };
        assert_eq!((items[0].span.line, items[0].span.column), (3, 5));
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let source = SourceFile::new("f", "é: ü\nk: v\n");
        let node = parse(&source).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        let span = entries[1].0.span;
        assert_eq!(&source.text[span.start..span.end], "k");
    }

    #[test]
    fn empty_and_comment_only_files_are_empty() {
        assert_eq!(parse_str("").unwrap_err().code.id, codes::PARSE_EMPTY.id);
        assert_eq!(
            parse_str("# nothing\n\n").unwrap_err().code.id,
            codes::PARSE_EMPTY.id
        );
    }

    #[test]
    fn tabs_get_a_hint() {
        let error = parse_str("a:\n\tb: 1\n").unwrap_err();
        assert_eq!(error.code.id, codes::PARSE_SYNTAX.id);
        assert!(error.help.unwrap().contains("tabs"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = "[".repeat(10_000);
        assert_eq!(
            parse_str(&text).unwrap_err().code.id,
            codes::PARSE_SYNTAX.id
        );
    }

    #[test]
    fn alias_bombs_are_refused() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..8 {
            let prev = if i == 0 {
                "a".to_string()
            } else {
                format!("a{}", i - 1)
            };
            text.push_str(&format!("a{i}: &a{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        assert_eq!(
            parse_str(&text).unwrap_err().code.id,
            codes::PARSE_SYNTAX.id
        );
    }

    #[test]
    fn a_collection_ends_after_a_value_ending_in_a_non_yaml_space() {
        let text = "a:\n  b: c\u{a0}\nd: e\n";
        let node = parse_str(text).unwrap();
        let Value::Map(entries) = node.value else {
            panic!("not a map")
        };
        let inner = &entries[0].1;
        let Value::Map(inner_entries) = &inner.value else {
            panic!("not a map")
        };
        assert_eq!(inner.span.end, inner_entries[0].1.span.end);
        assert_eq!(&text[inner.span.start..inner.span.end], "b: c\u{a0}");
    }

    #[test]
    fn json_is_yaml() {
        let node = parse_str(r#"{"name": "shop", "n": [1, 2]}"#).unwrap();
        assert!(matches!(node.value, Value::Map(ref e) if e.len() == 2));
    }
}
