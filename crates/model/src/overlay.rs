//! `environments`: overlays chosen with `--env NAME`, deep-merged over the document before it
//! is read. Merging happens on the spanned YAML tree, so every value keeps the line it was
//! written on: a problem an overlay causes is reported at the overlay.

use crate::codes;
use crate::decode::{backticked, scalar_text};
use crate::diagnostic::Diagnostic;
use crate::yaml::{Node, Value};

pub const KEY: &str = "environments";

/// Applies `environments.<env>` (when `env` is given) and removes `environments`, so the
/// reader never sees it. Without `env`, overlays are only checked to be mappings.
pub fn apply(root: Node, env: Option<&str>) -> Result<Node, Diagnostic> {
    let Node {
        value: Value::Map(mut entries),
        span,
    } = root
    else {
        return match env {
            // Not a mapping: the reader reports that; an `--env` has nothing to apply to.
            Some(name) => Err(Diagnostic::error(
                &codes::ENVIRONMENT_OVERLAY,
                format!("`--env {name}` needs an `environments` section"),
            )
            .help("add `environments: {<name>: {...}}` to backend.yaml")),
            None => Ok(root),
        };
    };
    let position = entries.iter().position(|(k, _)| scalar_text(k) == KEY);
    let overlays = position.map(|i| entries.remove(i));
    let Some(name) = env else {
        if let Some((_, overlays)) = &overlays {
            check_shapes(overlays)?;
        }
        return Ok(Node {
            value: Value::Map(entries),
            span,
        });
    };
    let Some((key, overlays)) = overlays else {
        return Err(Diagnostic::error(
            &codes::ENVIRONMENT_OVERLAY,
            format!("`--env {name}` was given, but there is no `environments` section"),
        )
        .at(span)
        .help(format!(
            "add `environments: {{{name}: {{...}}}}`, or drop `--env`"
        )));
    };
    check_shapes(&overlays)?;
    let Value::Map(available) = &overlays.value else {
        return Err(Diagnostic::error(
            &codes::ENVIRONMENT_OVERLAY,
            "`environments` must be a mapping of names to overlays",
        )
        .at(overlays.span));
    };
    let Some((_, overlay)) = available.iter().find(|(k, _)| scalar_text(k) == name) else {
        let known: Vec<&str> = available.iter().map(|(k, _)| scalar_text(k)).collect();
        let mut diagnostic = Diagnostic::error(
            &codes::ENVIRONMENT_OVERLAY,
            format!("there is no environment `{name}`"),
        )
        .at(key.span)
        .label("defined here");
        diagnostic = match crate::suggest::did_you_mean(name, known.iter().copied()) {
            Some(s) => {
                diagnostic.help(format!("did you mean `{s}`? known: {}", backticked(&known)))
            }
            None => diagnostic.help(format!("known environments: {}", backticked(&known))),
        };
        return Err(diagnostic);
    };
    let mut merged = Node {
        value: Value::Map(entries),
        span,
    };
    merge(&mut merged, overlay.clone());
    Ok(merged)
}

fn check_shapes(overlays: &Node) -> Result<(), Diagnostic> {
    let Value::Map(entries) = &overlays.value else {
        return Err(Diagnostic::error(
            &codes::ENVIRONMENT_OVERLAY,
            "`environments` must be a mapping of names to overlays",
        )
        .at(overlays.span)
        .help("write `environments: {dev: {monitoring: {sampling_percentage: 10}}}`"));
    };
    for (key, overlay) in entries {
        if !matches!(overlay.value, Value::Map(_) | Value::Null) {
            return Err(Diagnostic::error(&codes::ENVIRONMENT_OVERLAY, format!("the overlay `{}` must be a mapping", scalar_text(key)))
                .at(overlay.span)
                .help("an overlay holds the same keys as the document, e.g. `{monitoring: {enabled: false}}`"));
        }
        if let Value::Map(inner) = &overlay.value {
            if let Some((nested, _)) = inner.iter().find(|(k, _)| scalar_text(k) == KEY) {
                return Err(Diagnostic::error(
                    &codes::ENVIRONMENT_OVERLAY,
                    "an overlay cannot hold `environments`",
                )
                .at(nested.span)
                .help("overlays do not nest"));
            }
        }
    }
    Ok(())
}

/// Mappings merge key by key (new keys are appended); anything else replaces.
fn merge(base: &mut Node, overlay: Node) {
    match (&mut base.value, overlay.value) {
        (Value::Map(entries), Value::Map(overlay_entries)) => {
            for (key, value) in overlay_entries {
                match entries
                    .iter_mut()
                    .find(|(k, _)| scalar_text(k) == scalar_text(&key))
                {
                    Some((_, existing)) => merge(existing, value),
                    None => entries.push((key, value)),
                }
            }
        }
        (_, value) => {
            base.value = value;
            base.span = overlay.span;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::SourceFile;

    fn parse(text: &str) -> Node {
        crate::yaml::parse(&SourceFile::new("b.yaml", text)).unwrap()
    }

    const DOC: &str = "name: shop\nmonitoring: {enabled: true, sampling_percentage: 100}\nenvironments:\n  dev:\n    monitoring: {sampling_percentage: 10}\n    tags: {tier: dev}\n";

    #[test]
    fn an_overlay_deep_merges_and_keeps_its_spans() {
        let merged = apply(parse(DOC), Some("dev")).unwrap();
        let Value::Map(entries) = &merged.value else {
            panic!("map")
        };
        assert!(entries.iter().all(|(k, _)| scalar_text(k) != KEY));
        let monitoring = &entries
            .iter()
            .find(|(k, _)| scalar_text(k) == "monitoring")
            .unwrap()
            .1;
        let Value::Map(m) = &monitoring.value else {
            panic!("map")
        };
        assert_eq!(m.len(), 2, "enabled kept, sampling replaced");
        let sampling = &m
            .iter()
            .find(|(k, _)| scalar_text(k) == "sampling_percentage")
            .unwrap()
            .1;
        assert_eq!(
            sampling.value,
            Value::Scalar {
                text: "10".into(),
                quoted: false
            }
        );
        assert_eq!(sampling.span.line, 5, "points at the overlay");
        assert!(entries.iter().any(|(k, _)| scalar_text(k) == "tags"));
    }

    #[test]
    fn an_unknown_environment_lists_the_known_ones() {
        let error = apply(parse(DOC), Some("prod")).unwrap_err();
        assert_eq!(error.code.id, codes::ENVIRONMENT_OVERLAY.id);
        assert!(error.help.unwrap().contains("`dev`"));
    }

    #[test]
    fn without_env_the_section_is_removed() {
        let doc = apply(parse(DOC), None).unwrap();
        let Value::Map(entries) = &doc.value else {
            panic!("map")
        };
        assert_eq!(entries.len(), 2);
    }
}
