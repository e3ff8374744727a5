//! A fast reader for the YAML that backend.yaml files are written in: block mappings and
//! sequences indented with spaces, one-line flow collections, plain and one-line quoted
//! scalars, comments. It sends the builder the same events, at the same byte offsets, as
//! saphyr would, and gives up ([`GaveUp`]) on anything else: anchors, tags, block scalars,
//! multi-line scalars, escapes, document markers (but a leading `---`), tabs, unusual line
//! breaks, and every document it finds a problem in. The caller then reads the whole document
//! again with saphyr, so a give-up costs time, never correctness.
//!
//! Where saphyr puts its events (found by experiment, held by the differential tests below):
//! a block mapping starts at its first key and a block sequence at its first `-`, except a
//! sequence at its parent key's indentation, which starts at its first item's content; a block
//! collection ends where the next token starts (the end of the text at the end); an empty
//! value is an empty plain scalar at its key's `:`; a flow collection starts at its bracket
//! and ends after the closing one; a plain scalar's span ends at its last non-space
//! character, while a quoted scalar's and a closing bracket's span run on over the spaces and
//! the comment after them to the end of the line. These are saphyr-parser 0.3.3's placements,
//! which is why the workspace Cargo.toml pins that exact version.

use super::{Builder, Event, MAX_DEPTH};
use crate::diagnostic::Diagnostic;
use std::borrow::Cow;

/// [`read`] gave up: the text uses YAML this reader does not know, or the builder refused an
/// event (a problem saphyr will report in its own words).
#[derive(Debug)]
pub(super) struct GaveUp;

impl From<Diagnostic> for GaveUp {
    fn from(_: Diagnostic) -> Self {
        GaveUp
    }
}

type Read<T> = Result<T, GaveUp>;

/// Reads `text` into `builder`, or stops without a complete tree.
pub(super) fn read(text: &str, builder: &mut Builder<'_>) -> Read<()> {
    if !plain_characters(text) {
        return Err(GaveUp);
    }
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        builder,
        depth: 0,
    };
    reader.document()
}

/// False for text with characters whose handling this reader leaves to saphyr: control
/// characters (tabs and carriage returns included), byte order marks, Unicode line breaks,
/// C1 controls and non-characters; and for directives and document markers, except one `---`
/// alone on its line before any content.
fn plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut line_start = true;
    let mut before_first_token = true;
    let mut content_seen = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' => {
                line_start = true;
                before_first_token = true;
                continue;
            }
            0..=0x1f | 0x7f => return false,
            // U+0080..U+009F (C1 controls, NEL among them).
            0xc2 if bytes.get(i + 1).is_some_and(|n| (0x80..=0x9f).contains(n)) => return false,
            // U+2028, U+2029 (line and paragraph separators).
            0xe2 if bytes.get(i + 1) == Some(&0x80)
                && bytes.get(i + 2).is_some_and(|n| *n == 0xa8 || *n == 0xa9) =>
            {
                return false
            }
            // U+FEFF (byte order mark), U+FFFE and U+FFFF.
            0xef if matches!(
                bytes.get(i + 1..i + 3),
                Some([0xbb, 0xbf] | [0xbf, 0xbe..=0xbf])
            ) =>
            {
                return false
            }
            b'%' if line_start => return false,
            b'.' if line_start && bytes[i..].starts_with(b"...") => return false,
            b'-' if line_start
                && bytes[i..].starts_with(b"---")
                && (content_seen || !marker_alone(&bytes[i + 3..])) =>
            {
                return false
            }
            _ => {}
        }
        // A line whose first token is not a comment holds content.
        if before_first_token && b != b' ' {
            before_first_token = false;
            content_seen |= b != b'#';
        }
        line_start = false;
    }
    true
}

/// Whether what follows a `---` on its line is nothing, spaces, or spaces and a comment.
fn marker_alone(rest: &[u8]) -> bool {
    let line = rest.split(|&b| b == b'\n').next().unwrap_or_default();
    let trimmed = line.trim_ascii_start();
    trimmed.is_empty() || (trimmed[0] == b'#' && trimmed.len() < line.len())
}

/// The next token after some whitespace and comments: its byte offset and column, or `None`
/// for the column at the end of the text.
#[derive(Debug, Clone, Copy)]
struct Token {
    at: usize,
    column: Option<usize>,
}

/// What follows a `:` or `-` on its line.
enum After {
    /// Content starting at this offset.
    Content(usize),
    /// Nothing but spaces and a comment; the next line starts at this offset.
    LineEnd(usize),
}

/// Where a plain scalar stopped.
#[derive(PartialEq, Eq)]
enum PlainEnd {
    /// At the end of its line or text, or before a comment.
    Line,
    /// At a `:` that makes it a mapping key (the offset of the scalar's end is the `:`).
    Colon,
}

struct Reader<'t, 'b, 's> {
    text: &'t str,
    bytes: &'t [u8],
    builder: &'b mut Builder<'s>,
    depth: usize,
}

impl<'t> Reader<'t, '_, '_> {
    fn document(&mut self) -> Read<()> {
        let mut token = self.next_token(0);
        if token.column != Some(0) {
            return Err(GaveUp);
        }
        self.emit(Event::DocumentStart, token.at, token.at)?;
        // An explicit start (`---` alone on its line: see `plain_characters`).
        if self.bytes[token.at..].starts_with(b"---") {
            let line = self.rest_of_line(token.at + 3)?;
            token = self.next_token(line);
            if token.column != Some(0) {
                return Err(GaveUp);
            }
        }
        let after = match self.byte(token.at) {
            b'[' | b'{' => {
                let end = self.flow(token.at)?;
                let line = self.rest_of_line(end)?;
                self.next_token(line)
            }
            _ if self.is_dash(token.at) => self.block_sequence(token.at, 0)?,
            _ => self.block_mapping(token.at, 0)?,
        };
        // One document, nothing after it.
        if after.column.is_some() {
            return Err(GaveUp);
        }
        Ok(())
    }

    // --- block collections ---------------------------------------------------------------

    /// A block mapping whose keys are at `column`, the first at `at` (mid-line after `- `).
    /// Returns the token after it, where its end was sent.
    fn block_mapping(&mut self, mut at: usize, column: usize) -> Read<Token> {
        self.enter()?;
        self.emit(Event::MappingStart { anchor: 0 }, at, at)?;
        loop {
            let colon = self.block_key(at)?;
            let next = match self.after_indicator(colon + 1)? {
                After::Content(value) => {
                    let end = self.inline_value(value)?;
                    self.token_after_line(end, column)?
                }
                After::LineEnd(line) => {
                    let token = self.next_token(line);
                    match token.column {
                        Some(c) if c > column => self.nested_block(token)?,
                        Some(c) if c == column && self.is_dash(token.at) => {
                            self.indentless_sequence(token.at, column)?
                        }
                        _ => {
                            self.scalar(Cow::Borrowed(""), false, colon, colon)?;
                            token
                        }
                    }
                }
            };
            match next.column {
                Some(c) if c == column && !self.is_dash(next.at) => at = next.at,
                Some(c) if c >= column => return Err(GaveUp),
                _ => return self.close(next),
            }
        }
    }

    /// A block sequence whose `-` are at `column`, the first at `at`.
    fn block_sequence(&mut self, mut at: usize, column: usize) -> Read<Token> {
        self.enter()?;
        self.emit(Event::SequenceStart { anchor: 0 }, at, at)?;
        loop {
            let next = match self.after_indicator(at + 1)? {
                After::Content(item) => self.sequence_item(item, column)?,
                After::LineEnd(line) => {
                    let token = self.next_token(line);
                    match token.column {
                        Some(c) if c > column => self.nested_block(token)?,
                        // An empty item.
                        _ => return Err(GaveUp),
                    }
                }
            };
            match next.column {
                Some(c) if c == column && self.is_dash(next.at) => at = next.at,
                Some(c) if c >= column => return Err(GaveUp),
                _ => return self.close(next),
            }
        }
    }

    /// A block sequence at the indentation of the mapping key it is the value of (`key:` then
    /// `- item` lines at the key's column), its first `-` at `at`. saphyr starts it at its
    /// first item's content.
    fn indentless_sequence(&mut self, mut at: usize, column: usize) -> Read<Token> {
        let After::Content(first) = self.after_indicator(at + 1)? else {
            return Err(GaveUp);
        };
        self.enter()?;
        self.emit(Event::SequenceStart { anchor: 0 }, first, first)?;
        loop {
            let After::Content(item) = self.after_indicator(at + 1)? else {
                return Err(GaveUp);
            };
            let next = self.sequence_item(item, column)?;
            match next.column {
                Some(c) if c == column && self.is_dash(next.at) => at = next.at,
                Some(c) if c > column => return Err(GaveUp),
                _ => return self.close(next),
            }
        }
    }

    /// An item written on its `-` line, at `at`: a scalar, a flow collection, or a mapping
    /// whose first key is there (`- name: x`).
    fn sequence_item(&mut self, at: usize, column: usize) -> Read<Token> {
        match self.byte(at) {
            b'[' | b'{' | b'"' | b'\'' => {
                let end = self.inline_value(at)?;
                self.token_after_line(end, column)
            }
            _ if self.is_dash(at) => Err(GaveUp),
            _ => {
                let (end, stop) = self.plain_block(at)?;
                if stop == PlainEnd::Colon {
                    let key_column = at - self.line_start(at);
                    return self.block_mapping(at, key_column);
                }
                self.scalar(Cow::Borrowed(&self.text[at..end]), false, at, end)?;
                self.token_after_line(end, column)
            }
        }
    }

    /// A block collection on the lines below its key or `-`, at `token`.
    fn nested_block(&mut self, token: Token) -> Read<Token> {
        let Some(column) = token.column else {
            return Err(GaveUp);
        };
        match self.byte(token.at) {
            _ if self.is_dash(token.at) => self.block_sequence(token.at, column),
            // A scalar or flow collection alone on the next line.
            b'[' | b'{' | b'"' | b'\'' => Err(GaveUp),
            _ => self.block_mapping(token.at, column),
        }
    }

    /// Sends the end of the innermost collection at `next` and returns it.
    fn close(&mut self, next: Token) -> Read<Token> {
        self.emit(Event::End, next.at, next.at)?;
        self.depth -= 1;
        Ok(next)
    }

    /// A plain key at `at` followed by `:`; sends it and returns the offset of the `:`.
    fn block_key(&mut self, at: usize) -> Read<usize> {
        let (end, stop) = self.plain_block(at)?;
        // saphyr limits implicit keys to 1,024 characters.
        if stop != PlainEnd::Colon || self.byte(end) != b':' || end - at > 1000 {
            return Err(GaveUp);
        }
        self.scalar(Cow::Borrowed(&self.text[at..end]), false, at, end)?;
        Ok(end)
    }

    /// A value on its key's line at `at`: a scalar or a flow collection. Returns its end.
    fn inline_value(&mut self, at: usize) -> Read<usize> {
        match self.byte(at) {
            b'[' | b'{' => self.flow(at),
            b'"' => self.double_quoted(at),
            b'\'' => self.single_quoted(at),
            _ => {
                let (end, stop) = self.plain_block(at)?;
                // `key: a: b` is an error; saphyr words it.
                if stop == PlainEnd::Colon {
                    return Err(GaveUp);
                }
                self.scalar(Cow::Borrowed(&self.text[at..end]), false, at, end)?;
                Ok(end)
            }
        }
    }

    /// The token after the line that ends with the value ending at `end`; it must not be
    /// indented deeper than `column` (that would continue a plain scalar, or be an error).
    fn token_after_line(&mut self, end: usize, column: usize) -> Read<Token> {
        let line = self.rest_of_line(end)?;
        let token = self.next_token(line);
        match token.column {
            Some(c) if c > column => Err(GaveUp),
            _ => Ok(token),
        }
    }

    // --- flow collections ----------------------------------------------------------------

    /// A one-line flow sequence or mapping at `at`; returns the offset after its closing
    /// bracket.
    fn flow(&mut self, at: usize) -> Read<usize> {
        self.enter()?;
        let mapping = self.byte(at) == b'{';
        let (start, close) = if mapping {
            (Event::MappingStart { anchor: 0 }, b'}')
        } else {
            (Event::SequenceStart { anchor: 0 }, b']')
        };
        self.emit(start, at, at + 1)?;
        let mut i = self.skip_spaces(at + 1);
        if self.byte(i) != close {
            loop {
                if mapping {
                    i = self.flow_node(i, true)?;
                    if self.byte(i) != b':' || self.byte(i + 1) != b' ' {
                        return Err(GaveUp);
                    }
                    i = self.skip_spaces(i + 1);
                }
                i = self.flow_node(i, false)?;
                i = self.skip_spaces(i);
                match self.byte(i) {
                    b',' => {
                        i = self.skip_spaces(i + 1);
                        // A trailing comma.
                        if self.byte(i) == close {
                            return Err(GaveUp);
                        }
                    }
                    b if b == close => break,
                    _ => return Err(GaveUp),
                }
            }
        }
        let end = self.span_end_after(i + 1);
        self.emit(Event::End, i, end)?;
        self.depth -= 1;
        Ok(i + 1)
    }

    /// A node inside a flow collection at `at`; a `key` must end right before its `:`.
    /// Returns its end.
    fn flow_node(&mut self, at: usize, key: bool) -> Read<usize> {
        match self.byte(at) {
            b'[' | b'{' if !key => self.flow(at),
            b'"' => self.double_quoted(at),
            b'\'' => self.single_quoted(at),
            b if starts_plain(b, self.byte(at + 1)) => {
                let mut end = at;
                loop {
                    match self.byte(end) {
                        b',' | b']' | b'}' => break,
                        b':' if matches!(self.byte(end + 1), b' ' | b',' | b']' | b'}') => {
                            // Only a key may end at a `:` (`[a: b]` is a pair in a sequence).
                            if !key {
                                return Err(GaveUp);
                            }
                            break;
                        }
                        // Nested flow openers, comments, line breaks, the end of the text.
                        b'[' | b'{' | b'\n' | 0 => return Err(GaveUp),
                        b'#' if self.byte(end - 1) == b' ' => return Err(GaveUp),
                        b'-' if self.dash_word_saphyr_refuses(end) => return Err(GaveUp),
                        _ => end += 1,
                    }
                }
                let trimmed = at + self.text[at..end].trim_end_matches(' ').len();
                if key && trimmed != end {
                    return Err(GaveUp);
                }
                self.scalar(Cow::Borrowed(&self.text[at..trimmed]), false, at, trimmed)?;
                Ok(trimmed)
            }
            _ => Err(GaveUp),
        }
    }

    // --- scalars -------------------------------------------------------------------------

    /// A plain scalar in block context at `at`: returns its end (trailing spaces left out) and
    /// why it ended.
    fn plain_block(&self, at: usize) -> Read<(usize, PlainEnd)> {
        if !starts_plain(self.byte(at), self.byte(at + 1)) {
            return Err(GaveUp);
        }
        let mut end = at;
        let stop = loop {
            match self.byte(end) {
                b'\n' | 0 => break PlainEnd::Line,
                b':' if matches!(self.byte(end + 1), b' ' | b'\n' | 0) => break PlainEnd::Colon,
                b'#' if self.byte(end - 1) == b' ' => break PlainEnd::Line,
                b'-' if self.dash_word_saphyr_refuses(end) => return Err(GaveUp),
                _ => end += 1,
            }
        };
        let trimmed = at + self.text[at..end].trim_end_matches(' ').len();
        // `key :` is valid YAML but rare; saphyr reads it.
        if stop == PlainEnd::Colon && trimmed != end {
            return Err(GaveUp);
        }
        Ok((trimmed, stop))
    }

    /// A word of a plain scalar that starts with `-` and a flow indicator (`a -}`), which
    /// saphyr reads as the start of a new scalar and refuses.
    fn dash_word_saphyr_refuses(&self, at: usize) -> bool {
        self.byte(at.wrapping_sub(1)) == b' '
            && matches!(self.byte(at + 1), b',' | b'[' | b']' | b'{' | b'}')
    }

    /// A one-line double-quoted scalar without escapes at `at`; returns the offset after it.
    fn double_quoted(&mut self, at: usize) -> Read<usize> {
        let mut end = at + 1;
        loop {
            match self.byte(end) {
                b'"' => break,
                b'\\' | b'\n' | 0 => return Err(GaveUp),
                _ => end += 1,
            }
        }
        let span_end = self.span_end_after(end + 1);
        self.scalar(Cow::Borrowed(&self.text[at + 1..end]), true, at, span_end)?;
        Ok(end + 1)
    }

    /// A one-line single-quoted scalar at `at` (`''` is a quote); returns the offset after it.
    fn single_quoted(&mut self, at: usize) -> Read<usize> {
        let mut end = at + 1;
        let mut doubled = false;
        loop {
            match self.byte(end) {
                b'\'' if self.byte(end + 1) == b'\'' => {
                    doubled = true;
                    end += 2;
                }
                b'\'' => break,
                b'\n' | 0 => return Err(GaveUp),
                _ => end += 1,
            }
        }
        let inner = &self.text[at + 1..end];
        let text = if doubled {
            Cow::Owned(inner.replace("''", "'"))
        } else {
            Cow::Borrowed(inner)
        };
        let span_end = self.span_end_after(end + 1);
        self.scalar(text, true, at, span_end)?;
        Ok(end + 1)
    }

    fn scalar(&mut self, text: Cow<'t, str>, quoted: bool, start: usize, end: usize) -> Read<()> {
        let event = Event::Scalar {
            text,
            quoted,
            anchor: 0,
        };
        self.emit(event, start, end)
    }

    // --- positions -----------------------------------------------------------------------

    /// The byte at `i`, or 0 past the end (the text holds no NUL: see [`plain_characters`]).
    fn byte(&self, i: usize) -> u8 {
        self.bytes.get(i).copied().unwrap_or(0)
    }

    /// A block sequence indicator: `-` followed by a space, a line break or the end.
    fn is_dash(&self, at: usize) -> bool {
        self.byte(at) == b'-' && matches!(self.byte(at + 1), b' ' | b'\n' | 0)
    }

    fn skip_spaces(&self, mut i: usize) -> usize {
        while self.byte(i) == b' ' {
            i += 1;
        }
        i
    }

    /// Where saphyr ends the span of a quoted scalar or closing bracket that ends at `at`:
    /// past the spaces after it, and past a comment after those.
    fn span_end_after(&self, at: usize) -> usize {
        let after = self.skip_spaces(at);
        if self.byte(after) == b'#' && after > at {
            self.end_of_line(after)
        } else {
            after
        }
    }

    fn line_start(&self, at: usize) -> usize {
        self.bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1)
    }

    /// After a `:` or `-` at `at - 1`: content on the same line, or the start of the next line.
    fn after_indicator(&self, at: usize) -> Read<After> {
        let i = self.skip_spaces(at);
        match self.byte(i) {
            b'\n' | 0 | b'#' => Ok(After::LineEnd(self.rest_of_line(at)?)),
            _ if i == at => Err(GaveUp),
            _ => Ok(After::Content(i)),
        }
    }

    /// Past spaces and a comment to the start of the next line (or the end of the text);
    /// anything else on the line stops the reader.
    fn rest_of_line(&self, at: usize) -> Read<usize> {
        let i = self.skip_spaces(at);
        let i = match self.byte(i) {
            b'#' if i > at || self.byte(at.wrapping_sub(1)) == b' ' => self.end_of_line(i),
            _ => i,
        };
        match self.byte(i) {
            b'\n' => Ok(i + 1),
            0 => Ok(i),
            _ => Err(GaveUp),
        }
    }

    fn end_of_line(&self, at: usize) -> usize {
        self.bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.bytes.len(), |i| at + i)
    }

    /// The first token at or after the line starting at `line`, past blank and comment lines.
    fn next_token(&self, mut line: usize) -> Token {
        loop {
            let i = self.skip_spaces(line);
            match self.byte(i) {
                0 => {
                    return Token {
                        at: self.bytes.len(),
                        column: None,
                    }
                }
                b'\n' => line = i + 1,
                b'#' => line = self.end_of_line(i) + 1,
                _ => {
                    return Token {
                        at: i,
                        column: Some(i - line),
                    }
                }
            }
        }
    }

    fn enter(&mut self) -> Read<()> {
        self.depth += 1;
        if self.depth >= MAX_DEPTH {
            return Err(GaveUp);
        }
        Ok(())
    }

    fn emit(&mut self, event: Event<'t>, start: usize, end: usize) -> Read<()> {
        self.builder.on_event(event, start, end)?;
        Ok(())
    }
}

/// Whether a plain scalar can start with `first` (followed by `second`): not with an
/// indicator, except `-` before a character that is neither a space nor a flow indicator
/// (`-1`).
fn starts_plain(first: u8, second: u8) -> bool {
    match first {
        b'-' => !matches!(second, b' ' | b'\n' | 0 | b',' | b'[' | b']' | b'{' | b'}'),
        b'?' | b':' | b',' | b'[' | b']' | b'{' | b'}' | b'#' | b'&' | b'*' | b'!' | b'|'
        | b'>' | b'\'' | b'"' | b'%' | b'@' | b'`' | b' ' | b'\n' | 0 => false,
        _ => true,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{parse_full, parse_quick, LineIndex, Node, Value};
    use crate::span::SourceFile;
    use std::path::{Path, PathBuf};

    /// The tree [`read`] builds for `text`, after checking that saphyr builds the same one;
    /// `None` when [`read`] gives up.
    fn quick_checked(text: &str) -> Option<Node> {
        let source = SourceFile::new("backend.yaml", text);
        let quick = parse_quick(&source, &LineIndex::new(text))?;
        let full = parse_full(&source, LineIndex::new(text));
        let full = match full {
            Ok(full) => full,
            Err(error) => panic!("saphyr refuses what quick read ({error:?}):\n{text}"),
        };
        let (ours, theirs) = (flatten(&quick), flatten(&full));
        if let Some(at) = (0..ours.len().max(theirs.len())).find(|&i| ours.get(i) != theirs.get(i))
        {
            panic!(
                "the readers disagree at node {at}: quick {:?}, saphyr {:?}, on:\n{text}",
                ours.get(at),
                theirs.get(at)
            );
        }
        assert_eq!(quick, full);
        Some(quick)
    }

    /// The nodes in document order, one line each, for a readable first difference.
    fn flatten(node: &Node) -> Vec<String> {
        let mut lines = Vec::new();
        let mut stack = vec![node];
        while let Some(node) = stack.pop() {
            let span = node.span;
            let what = match &node.value {
                Value::Null => "null".to_owned(),
                Value::Scalar { text, quoted } => format!("{text:?} quoted={quoted}"),
                Value::Seq(items) => {
                    stack.extend(items.iter().rev());
                    format!("seq of {}", items.len())
                }
                Value::Map(entries) => {
                    stack.extend(entries.iter().rev().flat_map(|(k, v)| [v, k]));
                    format!("map of {}", entries.len())
                }
            };
            lines.push(format!(
                "{what} at {}..{} ({}:{})",
                span.start, span.end, span.line, span.column
            ));
        }
        lines
    }

    fn reads(text: &str) {
        assert!(quick_checked(text).is_some(), "quick gave up on:\n{text}");
    }

    fn leaves(text: &str) {
        let source = SourceFile::new("backend.yaml", text);
        assert!(
            parse_quick(&source, &LineIndex::new(text)).is_none(),
            "quick read:\n{text}"
        );
    }

    fn repository() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
    }

    fn texts_in(dir: &Path, name: impl Fn(&Path) -> bool) -> Vec<(PathBuf, String)> {
        let mut found = Vec::new();
        let mut dirs = vec![dir.to_path_buf()];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if name(&path) {
                    if let Ok(text) = std::fs::read_to_string(&path) {
                        found.push((path, text));
                    }
                }
            }
        }
        found.sort();
        found
    }

    fn examples() -> Vec<(PathBuf, String)> {
        let examples = texts_in(&repository().join("examples"), |p| {
            p.file_name().is_some_and(|n| n == "backend.yaml")
        });
        assert!(examples.len() >= 10, "examples not found");
        examples
    }

    #[test]
    fn reads_every_example_as_saphyr_does() {
        for (path, text) in examples() {
            assert!(quick_checked(&text).is_some(), "quick gave up on {path:?}");
        }
    }

    /// The file `baas init` writes, which most backends start from.
    #[test]
    fn reads_the_init_starter_as_saphyr_does() {
        let starter = repository().join("crates/synth/src/starter.yaml");
        reads(&std::fs::read_to_string(starter).unwrap());
    }

    #[test]
    fn agrees_with_saphyr_on_the_fuzz_corpus() {
        let mut read = 0;
        for dir in ["fuzz/corpus", "fuzz/regressions"] {
            for (_, text) in texts_in(&repository().join(dir), |_| true) {
                if !text.trim().is_empty() && quick_checked(&text).is_some() {
                    read += 1;
                }
            }
        }
        assert!(read > 100, "quick read only {read} corpus files");
    }

    /// Random edits of the examples with YAML's significant characters, each read by both
    /// readers: wherever quick reads the result, saphyr must build the same tree.
    /// `BAAS_YAML_MUTATIONS=N` runs N edits per example (half of them with a leading `---`)
    /// instead of 600, `BAAS_YAML_SEED=S` other edits.
    #[test]
    fn agrees_with_saphyr_on_edited_examples() {
        const ALPHABET: &[u8] = b" \n-:#,[]{}'\"ab1&*!|>?%@`\t\r~.";
        let rounds: usize = std::env::var("BAAS_YAML_MUTATIONS")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(600);
        let mut state = std::env::var("BAAS_YAML_SEED")
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0x9e37_79b9_7f4a_7c15_u64);
        let mut random = |bound: usize| {
            // xorshift64*: deterministic, so a failure reproduces.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % bound.max(1)
        };
        let (mut tried, mut read) = (0, 0);
        // Each example as it is and with an explicit document start.
        let bases = examples()
            .into_iter()
            .flat_map(|(_, text)| [format!("---\n{text}"), text]);
        for text in bases {
            for _ in 0..rounds / 2 {
                let mut bytes = text.clone().into_bytes();
                for _ in 0..1 + random(3) {
                    let at = random(bytes.len());
                    let byte = ALPHABET[random(ALPHABET.len())];
                    match random(5) {
                        0 => bytes.insert(at, byte),
                        1 => {
                            bytes.remove(at);
                        }
                        2 => bytes[at] = byte,
                        // A piece of the document elsewhere: new structure from old parts.
                        3 => {
                            let from = random(bytes.len());
                            let len = random(24).min(bytes.len() - from);
                            let piece = bytes[from..from + len].to_vec();
                            bytes.splice(at..at, piece);
                        }
                        // Indentation one space deeper or shallower.
                        _ => {
                            let line = bytes[..at]
                                .iter()
                                .rposition(|&b| b == b'\n')
                                .map_or(0, |i| i + 1);
                            if bytes.get(line) == Some(&b' ') && random(2) == 0 {
                                bytes.remove(line);
                            } else {
                                bytes.insert(line, b' ');
                            }
                        }
                    }
                }
                let Ok(edited) = String::from_utf8(bytes) else {
                    continue;
                };
                if edited.trim().is_empty() {
                    continue;
                }
                tried += 1;
                if quick_checked(&edited).is_some() {
                    read += 1;
                }
            }
        }
        // Most single edits keep a document quick can read; if none did, this test would
        // check nothing.
        assert!(
            read * 4 > tried,
            "quick read {read} of {tried} edited documents"
        );
        eprintln!("quick read {read} of {tried} edited documents");
    }

    #[test]
    fn block_shapes() {
        reads("a: 1\nb:\n  c: x y  # comment\n  d: 'it''s'\n");
        reads("# lead\n\nname: shop   # trailing\nempty:\nlast: \"q\"");
        reads("a:\n  - x\n  - y\nb: 2\n");
        reads("a:\n- x\n- y\nb: 2\n");
        reads("a:\n- k: 1\n  l: 2\n- [x, y]\nb: 1\n");
        reads("a:\n  - k: 1\n    l: 2\n  - \"q\"\n  - x # c\n\n");
        reads("- a\n- b: 1\n  c:\n  - d\n");
        reads("a:\n  b: 1   # c\n  # comment\n\nc:   # x\nd: -1\n# tail\n");
        reads("a: b#c\nurl: http://x:80/y\nlist: a, b [c]\n");
        reads("a:\n  b:\n    c:\n      d: deep\n  e: f\n");
        reads("key with spaces: value with spaces\n");
        reads("a: é ü\nb: 日本\n");
        reads("-x: 1\n");
    }

    /// The shape of the benchmark's generated backends (bench/gen.rs), which must not fall
    /// back to saphyr unnoticed.
    #[test]
    fn benchmark_shape() {
        reads(concat!(
            "# 2 generated CRUD APIs (bench/gen.rs); do not edit.\n",
            "name: bench\nenvironment: prod\nlocation: eastus\n",
            "tags: {project: bench, cost-center: \"4711\"}\n",
            "cosmos: {consistency: Session, serverless: true}\n",
            "components:\n",
            "  user0:\n    type: crud-api\n    entity: User0\n",
            "    schema: {id: string, name: string, status: string}\n",
            "    partition_key: /id\n    runtime: node\n    database: shop\n",
            "  order1:\n    type: crud-api\n    entity: Order1\n",
            "    operations: [create, read, list]\n",
        ));
    }

    #[test]
    fn an_explicit_document_start() {
        reads("---\na: 1\n");
        reads("# yaml-language-server: $schema=x\n\n--- # the backend\na:\n  - b\n");
        reads("---   \n[a, b]\n");
        leaves("a: 1\n---\nb: 2\n");
        leaves("---\n---\na: 1\n");
        leaves("--- {a: 1}\n");
        leaves("--- a\n");
        leaves("---#\na: 1\n");
        leaves("  # c\nx: 1\n---\n");
    }

    #[test]
    fn flow_shapes() {
        reads("tags: {project: bench, cost-center: \"4711\"}\n");
        reads("l: [a, 'b c', \"d\"]\ne: [ ]\nf: { }\n");
        reads("n: {a: [x, {b: c}], d: e}\n");
        reads("{\"name\": \"shop\", \"n\": [1, 2]}");
        reads("[a, b]\n");
        reads("s: {url: http://x}\n");
        reads("a: \"x\"   # c\nb: \"y\"   \nc: 'z'  #d\nd: [e]  \ne: \"f\"");
        reads("l: [ \"a\" , 'b' , [c] , {d: \"e\" } ]  # c\n");
    }

    /// Corners of the subset, each either read as saphyr reads it or left to saphyr.
    #[test]
    fn corners_agree_with_saphyr() {
        for text in [
            "a: b:c\n",
            "a:b: c\n",
            "a#: 1\n",
            "a: b # c: d\n",
            "a: x #c\nb: 'x' #c\nc: [a, b] #c\n",
            "a: ''''\nb: \"\"\nc: 'it''s'\n",
            "a: b\n  # deeper comment\nc: d\n",
            "a: b\n\n  c\n",
            "a:\n  b\n",
            "a: 1\nb: 2\n c: 3\n",
            "a: -\n",
            "a: - b\n",
            "- - a\n",
            "[a]: b\n",
            "a: [b, c]d\n",
            "a:  \n  b: c\n",
            "a: [ ]\nb: [ a ]\nc: {a: b }\nd: { a: b}\ne: [a , b]\n",
            "a: [b:]\n",
            "a: {b: c:d}\n",
            "a: {b: c: d}\n",
            "a: {b:c}\n",
            "a: {b: c, d: [e, {f: g}]}\n",
            "é: ü\n",
            "a: 1\n# c\n  \n",
            "a:\n  - b\n  -\n",
            "- a:\n  - b\n",
            "- a:\n    b: c\n  d: e\n- f\n",
        ] {
            quick_checked(text);
        }
    }

    #[test]
    fn leaves_the_rest_to_saphyr() {
        for text in [
            "a: &x 1\nb: *x\n",
            "a: !tag 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: one\n  two\n",
            "a: \"x\\ty\"\n",
            "a: \"x\n  y\"\n",
            "a: 1\n...\n",
            "a:\r\n  b: 1\r\n",
            "a:\n\tb: 1\n",
            "\u{feff}a: 1\n",
            "a: 1\u{2028}b: 2\n",
            "? a\n: 1\n",
            "a : 1\n",
            "a: [x,\n  y]\n",
            "a: [x, y,]\n",
            "a:\n  - \n  - x\n",
            "a:\n  [x]\n",
            "a: 1\n - b\n",
            "  a: 1\n",
            "scalar\n",
            "a: b: c\n",
            "a: {b}\n",
            "%YAML 1.2\n---\na: 1\n",
        ] {
            leaves(text);
        }
    }

    #[test]
    fn deep_flow_nesting_is_left_to_saphyr() {
        leaves(&format!("a: {}{}\n", "[".repeat(200), "]".repeat(200)));
    }
}
