//! The references in Terraform expressions: the traversals (`azurerm_x.y.id`, `var.name`) in a
//! template's interpolations and directives or in a bare expression, found without parsing the
//! whole expression language.

/// One step of a traversal after its root identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Segment<'a> {
    /// `.name`
    Attr(&'a str),
    /// `[expr]` or legacy `.0`
    Index,
    /// `[*]` or `.*`
    Splat,
}

/// An identifier chain such as `azurerm_storage_account.sa.identity[0].principal_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Traversal<'a, 'b> {
    pub(super) root: &'a str,
    pub(super) segments: &'b [Segment<'a>],
}

/// Where scanning reports the traversals it finds, as it finds them (nested ones first).
///
/// `segments` is scratch space: a traversal's segments are pushed above those of the traversal
/// it is nested in (`a.b[c.d].e`) and removed once reported, so a scan allocates nothing once
/// the buffer has grown. The checker scans every template string of a document.
pub(super) struct Scan<'a, 'f> {
    pub(super) segments: &'f mut Vec<Segment<'a>>,
    pub(super) found: &'f mut dyn FnMut(Traversal<'a, '_>),
}

/// The references in a Terraform JSON string: the traversals in a template's interpolations
/// and directives, or (`bare`, as in `depends_on` entries) in one whole expression — the same
/// traversals the conformance check resolves. `found` gets each traversal's root and the names
/// of its leading `.name` steps (up to the first index or splat); nested traversals come first.
pub fn references<'a>(text: &'a str, bare: bool, found: &mut dyn FnMut(&'a str, &[&'a str])) {
    let mut segments = Vec::new();
    let mut names: Vec<&'a str> = Vec::new();
    let mut report = |traversal: Traversal<'a, '_>| {
        names.clear();
        names.extend(
            traversal
                .segments
                .iter()
                .map_while(|segment| match segment {
                    Segment::Attr(name) => Some(*name),
                    Segment::Index | Segment::Splat => None,
                }),
        );
        found(traversal.root, &names);
    };
    let mut scan = Scan {
        segments: &mut segments,
        found: &mut report,
    };
    if bare {
        scan_expression(text, 0, false, &mut scan);
    } else {
        scan_template(text, 0, false, &mut scan);
    }
}

/// Scans template text from `i`; in a quoted template (inside an expression) stops after the
/// closing quote. Returns the index where scanning stopped.
pub(super) fn scan_template<'a>(
    text: &'a str,
    mut i: usize,
    quoted: bool,
    scan: &mut Scan<'a, '_>,
) -> usize {
    let bytes = text.as_bytes();
    while let Some(&c) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        match c {
            b'"' if quoted => return i + 1,
            b'\\' if quoted => i += 2,
            b'$' | b'%' if next == Some(c) && bytes.get(i + 2) == Some(&b'{') => i += 3,
            b'$' | b'%' if next == Some(b'{') => i = scan_expression(text, i + 2, true, scan),
            _ => i += 1,
        }
    }
    i
}

/// Scans an expression from `i`. With `until_close`, stops after the bracket that closes the
/// enclosing `${`, `(` or `[`; otherwise scans to the end. Returns the index where it stopped.
pub(super) fn scan_expression<'a>(
    text: &'a str,
    mut i: usize,
    until_close: bool,
    scan: &mut Scan<'a, '_>,
) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'{' | b'(' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b')' | b']' => {
                i += 1;
                if depth == 0 {
                    if until_close {
                        return i;
                    }
                } else {
                    depth -= 1;
                }
            }
            b'"' => i = scan_template(text, i + 1, true, scan),
            b'0'..=b'9' => {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
            }
            c if is_ident_start(c) => {
                let after_dot = text
                    .get(..i)
                    .and_then(|before| before.trim_end().as_bytes().last())
                    == Some(&b'.');
                let base = scan.segments.len();
                let (root, next) = parse_traversal(text, i, scan);
                if let Some(root) = root {
                    let segments = scan.segments.get(base..).unwrap_or_default();
                    // A lone identifier (keyword, for-expression variable) refers to nothing here.
                    if !after_dot && !segments.is_empty() {
                        (scan.found)(Traversal { root, segments });
                    }
                }
                scan.segments.truncate(base);
                i = next;
            }
            _ => i += 1,
        }
    }
    i
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn identifier(text: &str, start: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let mut end = start;
    while bytes.get(end).copied().is_some_and(is_ident_continue) {
        end += 1;
    }
    (text.get(start..end).unwrap_or(""), end)
}

/// Parses the traversal starting at identifier `start`: returns its root, with its segments
/// pushed onto `scan.segments`. Function calls (`f(`, `provider::p::f(`) give `None`; their
/// arguments are left for the caller to scan.
fn parse_traversal<'a>(
    text: &'a str,
    start: usize,
    scan: &mut Scan<'a, '_>,
) -> (Option<&'a str>, usize) {
    let bytes = text.as_bytes();
    let (root, mut i) = identifier(text, start);
    if bytes.get(i) == Some(&b'(') {
        return (None, i);
    }
    if text.get(i..).is_some_and(|rest| rest.starts_with("::")) {
        while text.get(i..).is_some_and(|rest| rest.starts_with("::")) {
            i = identifier(text, i + 2).1;
        }
        return (None, i);
    }
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'.'), Some(&c)) if is_ident_start(c) => {
                let (name, next) = identifier(text, i + 1);
                scan.segments.push(Segment::Attr(name));
                i = next;
            }
            (Some(b'.'), Some(c)) if c.is_ascii_digit() => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                scan.segments.push(Segment::Index);
            }
            (Some(b'.'), Some(b'*')) => {
                scan.segments.push(Segment::Splat);
                i += 2;
            }
            (Some(b'['), Some(b'*')) if bytes.get(i + 2) == Some(&b']') => {
                scan.segments.push(Segment::Splat);
                i += 3;
            }
            (Some(b'['), _) => {
                // Traversals inside the index are reported (and their segments popped) before
                // this one's next segment is pushed.
                i = scan_expression(text, i + 1, true, scan);
                scan.segments.push(Segment::Index);
            }
            _ => break,
        }
    }
    (Some(root), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(text: &str) -> Vec<String> {
        let mut roots = Vec::new();
        let mut segments = Vec::new();
        let mut found = |t: Traversal<'_, '_>| {
            let mut s = t.root.to_owned();
            for segment in t.segments {
                match segment {
                    Segment::Attr(name) => {
                        s.push('.');
                        s.push_str(name);
                    }
                    Segment::Index => s.push_str("[]"),
                    Segment::Splat => s.push_str("[*]"),
                }
            }
            roots.push(s);
        };
        let mut scan = Scan {
            segments: &mut segments,
            found: &mut found,
        };
        scan_template(text, 0, false, &mut scan);
        assert!(segments.is_empty(), "every traversal's segments are popped");
        roots
    }

    #[test]
    fn scans_interpolations() {
        assert_eq!(roots("plain text"), Vec::<String>::new());
        assert_eq!(roots("$${not.this}"), Vec::<String>::new());
        assert_eq!(
            roots("${azurerm_storage_account.sa.identity[0].principal_id}"),
            ["azurerm_storage_account.sa.identity[].principal_id"]
        );
        assert_eq!(
            roots("${azurerm_x.y.identity.0.principal_id}"),
            ["azurerm_x.y.identity[].principal_id"]
        );
        assert_eq!(
            roots("https://${format(\"%s-${var.name}\", local.prefix)}.example/${data.azurerm_client_config.current.tenant_id}"),
            ["var.name", "local.prefix", "data.azurerm_client_config.current.tenant_id"]
        );
        assert_eq!(
            roots("${azurerm_x.y[count.index].id} ${provider::azurerm::parse_resource_id(azurerm_x.z.id)}"),
            ["count.index", "azurerm_x.y[].id", "azurerm_x.z.id"]
        );
        assert_eq!(roots("${azurerm_x.y[*].id}"), ["azurerm_x.y[*].id"]);
        assert_eq!(roots("${1.5 + var.n}"), ["var.n"]);
        assert_eq!(roots("%{ if var.on }yes%{ endif }"), ["var.on"]);
    }
}
