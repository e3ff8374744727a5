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

/// A value together with where it was written, or, for a default nobody wrote, where it
/// applies (a block, a component's key) or nowhere ([`Span::default`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    pub value: T,
    pub span: Span,
    /// Whether the value was written in the input (not a default baas put there).
    written: bool,
}

impl<T> Spanned<T> {
    /// A value written in the input at `span`.
    pub fn new(value: T, span: Span) -> Self {
        Spanned {
            value,
            span,
            written: true,
        }
    }

    /// A default nobody wrote, applying at `span`: diagnostics about it point at what it
    /// applies to, or ask for it to be written.
    pub fn defaulted(value: T, span: Span) -> Self {
        Spanned {
            value,
            span,
            written: false,
        }
    }

    /// Whether the value was written in the input.
    pub fn is_written(&self) -> bool {
        self.written
    }

    /// The same kind of value (written or defaulted) at the same place.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Spanned<U> {
        Spanned {
            value: f(self.value),
            span: self.span,
            written: self.written,
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_is_told_from_a_written_value_wherever_it_points() {
        let block = Span {
            start: 10,
            end: 40,
            line: 2,
            column: 1,
        };
        assert!(Spanned::new("EP1", block).is_written());
        // A default that applies to a block still points there, but nobody wrote it.
        assert!(!Spanned::defaulted("Y1", block).is_written());
        assert!(!Spanned::defaulted("Y1", block).map(str::len).is_written());
        assert!(Spanned::new("EP1", block).map(str::len).is_written());
    }
}
