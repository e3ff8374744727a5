//! Source locations. Every value read from backend.yaml keeps the span it came from, so a
//! diagnostic raised three stages later still points at the right line and column.

/// A byte range in the source file, with the 1-based line and column of its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
}

impl Span {
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A value together with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Spanned<T> {
    pub fn new(value: T, span: Span) -> Self {
        Spanned { value, span }
    }
}

impl<T> std::ops::Deref for Spanned<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

/// The text of backend.yaml (or any other input file) with a name for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// The 1-based line and column (in characters) of a byte offset. Lines end at `\n`,
    /// `\r\n` or a lone `\r`, as miette counts them for the human report.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let mut line = 1;
        let mut line_start = 0;
        for start in line_breaks(&self.text) {
            if start > offset {
                break;
            }
            line += 1;
            line_start = start;
        }
        let column = self
            .text
            .get(line_start..offset)
            .map_or(offset - line_start, |p| p.chars().count())
            + 1;
        (line, column)
    }

    /// A span covering `start..end` bytes.
    pub fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.line_column(start);
        Span {
            start,
            end: end.max(start),
            line,
            column,
        }
    }
}

/// Byte offsets where a new line starts: after `\n`, after `\r\n`, after a lone `\r`.
pub fn line_breaks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| match b {
        b'\n' => Some(i + 1),
        b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
        _ => None,
    })
}
