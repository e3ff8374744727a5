//! `naming.template`: compiling and checking it, turning its render errors into messages, and
//! tidying a rendered name (separators collapsed, normalised for the kind's charset).

use baas_model::suggest::{suggestions, Closeness, Measure, Separators};
use handlebars::{Handlebars, RenderErrorReason};

use super::rules::Charset;
use super::{
    NamingError, ResourceKind, DEFAULT_TEMPLATE, SEPARATORS, TEMPLATE_NAME, TEMPLATE_VARIABLES,
};

pub(super) fn compile_template(template: Option<&str>) -> Result<Handlebars<'static>, NamingError> {
    let source = template.unwrap_or(DEFAULT_TEMPLATE);
    let mut registry = Handlebars::new();
    registry.set_strict_mode(true);
    registry.register_escape_fn(handlebars::no_escape);
    registry
        .register_template_string(TEMPLATE_NAME, source)
        .map_err(|e| {
            let position = e
                .pos()
                .map(|(line, column)| format!(" at line {line}, column {column}"))
                .unwrap_or_default();
            NamingError::Template {
                message: format!(
                    "is not a valid handlebars template{position}: {}",
                    e.reason()
                ),
            }
        })?;
    // Unknown variables only surface when rendering: render with every variable set, once
    // non-empty and once empty (to reach both sides of `{{#if}}`), so a typo is an error now
    // rather than on the first name.
    for value in ["x", ""] {
        let sample: serde_json::Map<String, serde_json::Value> = TEMPLATE_VARIABLES
            .iter()
            .map(|v| ((*v).to_owned(), serde_json::Value::String(value.to_owned())))
            .collect();
        registry
            .render(TEMPLATE_NAME, &sample)
            .map_err(|e| render_error(&e))?;
    }
    Ok(registry)
}

pub(super) fn render_error(error: &handlebars::RenderError) -> NamingError {
    let message = match error.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => {
            let root = path
                .trim_start_matches("./")
                .split(['.', '/', '['])
                .next()
                .unwrap_or(path);
            match suggest(root, TEMPLATE_VARIABLES.iter().copied(), VARIABLE_ALIASES) {
                Some(s) => format!("uses unknown variable `{path}` (did you mean `{s}`?)"),
                None => format!("uses unknown variable `{path}`"),
            }
        }
        RenderErrorReason::MissingVariable(None) => "uses an unknown variable".to_owned(),
        RenderErrorReason::HelperNotFound(helper) => format!("uses unknown helper `{helper}`"),
        RenderErrorReason::PartialNotFound(partial) => {
            format!("uses partial `{partial}`, but partials are not supported")
        }
        other => format!("cannot be rendered: {other}"),
    };
    NamingError::Template { message }
}

/// Names people reach for instead of the template variables.
const VARIABLE_ALIASES: &[(&str, &str)] = &[
    ("app", "name"),
    ("application", "name"),
    ("environment", "env"),
    ("abbreviation", "abbr"),
    ("prefix", "abbr"),
    ("type", "abbr"),
    ("short_region", "region"),
    ("region_code", "region"),
    ("component", "instance"),
    ("key", "instance"),
];

pub(super) fn unknown_key_error(key: &str) -> NamingError {
    let abbreviation_aliases: Vec<(&str, &str)> = ResourceKind::all()
        .iter()
        .map(|k| (k.abbreviation(), k.key()))
        .collect();
    NamingError::UnknownAbbreviationKey {
        key: key.to_owned(),
        suggestion: suggest(
            key,
            ResourceKind::all().iter().map(|k| k.key()),
            &abbreviation_aliases,
        )
        .map(str::to_owned),
    }
}

/// Collapses runs of the same separator and trims separators at both ends:
/// `rg-shop--prod-` becomes `rg-shop-prod`.
pub(super) fn collapse_separators(rendered: &str) -> String {
    let mut out = String::with_capacity(rendered.len());
    let mut previous: Option<char> = None;
    for c in rendered.chars() {
        if SEPARATORS.contains(&c) && previous == Some(c) {
            continue;
        }
        out.push(c);
        previous = Some(c);
    }
    out.trim_matches(SEPARATORS.as_slice()).to_owned()
}

/// Kinds without hyphens drop all punctuation; lowercase-only kinds are lowercased.
pub(super) fn normalise(charset: Charset, name: &str) -> String {
    let kept: String = if charset.allows_hyphen() {
        name.to_owned()
    } else {
        name.chars().filter(|c| c.is_alphanumeric()).collect()
    };
    if charset.is_lowercase_only() {
        kept.to_lowercase()
    } else {
        kept
    }
}

/// The candidate `input` most likely meant, ignoring case and separators, by its aliases or by
/// edit distance ([`Measure::Edits`]).
fn suggest<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    aliases: &[(&str, &str)],
) -> Option<&'a str> {
    let closeness = Closeness {
        measure: Measure::Edits(Separators::Underscore),
        aliases,
    };
    suggestions(input, candidates, &closeness)
        .into_iter()
        .next()
}
