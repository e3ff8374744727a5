//! Template providers: `providers.<type>.template` names a handlebars file that renders the
//! Terraform `resource` object for one merged requirement of a custom type.
//!
//! Merge rule: requirements of one `(type, key)` deep-merge their `config`; two different
//! scalars at one path are an error. The rendered output goes through the same azurerm
//! schema check as built-in resources (synth does that for every block).
//!
//! The template sees: `type`, `key`, `config`, `name` (`<type>-<app>-<key>-<env>-<region>`),
//! `unique_suffix` (6 hex, as built-in globally unique names use), `app`, `environment`,
//! `location`, `region` (short code), `resource_group_name` (a Terraform reference), `tags`.
//! The helper `{{json value}}` writes any value as JSON.

use crate::codes;
use crate::context::{Context, Merged, Provisioned};
use crate::ResourceProvider;
use baas_model::diagnostic::{Code, Diagnostic};
use baas_model::{Requirement, RequirementConfig, SourceFile, Span, Spanned};
use baas_terraform::document::is_valid_name;
use baas_terraform::Address;
use handlebars::Handlebars;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::sync::Arc;

static TEMPLATE_CODES: &[&Code] = &[&codes::TEMPLATE, &codes::MERGE_CUSTOM_CONFIG];

/// Serves one custom requirement type with a compiled template.
#[derive(Debug)]
pub struct TemplateProvider {
    kind: String,
    file: Arc<SourceFile>,
    handlebars: Handlebars<'static>,
}

handlebars::handlebars_helper!(json_helper: |value: Json| value.to_string());

impl TemplateProvider {
    /// Compiles the template; a syntax error points at its line and column in the file.
    pub fn new(kind: &str, file: Arc<SourceFile>) -> Result<TemplateProvider, Diagnostic> {
        let mut handlebars = Handlebars::new();
        handlebars.set_strict_mode(true);
        handlebars.register_escape_fn(handlebars::no_escape);
        handlebars.register_helper("json", Box::new(json_helper));
        if let Err(error) = handlebars.register_template_string(kind, &file.text) {
            let span = position(&file, error.pos());
            let reason = error.reason().to_string();
            return Err(Diagnostic::error(&codes::TEMPLATE, format!("template for `{kind}` does not compile: {reason}"))
                .at(span)
                .label("here")
                .help("fix the handlebars syntax; the template renders a JSON object `{\"<resource type>\": {\"<name>\": {...}}}`")
                .in_file(file));
        }
        // Partials are the only way a template can call itself, and handlebars recurses on the
        // stack until the process aborts: a template renders one object and needs none.
        if let Some(offset) = partial_offset(&file.text) {
            let span = file.span(offset, offset + 2);
            return Err(Diagnostic::error(
                &codes::TEMPLATE,
                format!("template for `{kind}` uses a partial (`{{{{> …}}}}`), which baas does not support"),
            )
            .at(span)
            .label("partial")
            .help("write the resources out in the template itself; `{{#each}}` repeats a block")
            .in_file(file));
        }
        Ok(TemplateProvider {
            kind: kind.to_owned(),
            file,
            handlebars,
        })
    }

    fn error(&self, message: String, at: Option<(usize, usize)>, help: &str) -> Diagnostic {
        Diagnostic::error(&codes::TEMPLATE, message)
            .at(position(&self.file, at))
            .label("here")
            .help(help.to_owned())
            .in_file(Arc::clone(&self.file))
    }
}

/// A 1-based (line, column) in a file as a span of one character.
fn position(file: &SourceFile, at: Option<(usize, usize)>) -> Span {
    let (line, column) = at.unwrap_or((1, 1));
    let line_start: usize = file
        .text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    let start = file.text[line_start..]
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(file.text.len(), |(i, _)| line_start + i);
    let end = file.text[start..]
        .chars()
        .next()
        .map_or(start, |c| start + c.len_utf8());
    file.span(start, end)
}

impl ResourceProvider for TemplateProvider {
    fn name(&self) -> &'static str {
        "template"
    }

    fn serves(&self) -> Vec<&str> {
        vec![self.kind.as_str()]
    }

    fn merge(&self, group: &[Requirement]) -> Result<Merged, Vec<Diagnostic>> {
        let mut merged = Merged::from_group(group);
        let RequirementConfig::Custom(config) = &mut merged.config else {
            return Ok(merged);
        };
        let mut errors = Vec::new();
        for other in &group[1..] {
            if let RequirementConfig::Custom(next) = &other.config {
                deep_merge(
                    &mut config.value,
                    &next.value,
                    "config",
                    &mut |path, a, b| {
                        errors.push(
                        Diagnostic::error(
                            &codes::MERGE_CUSTOM_CONFIG,
                            format!("`{}/{}` is required twice with different `{path}`: {a} and {b}", self.kind, merged.key),
                        )
                        .at(next.span)
                        .label("second declaration")
                        .related(config.span, "first declaration")
                        .help("requirements with the same type and key merge; give a value once, or the same value in both"),
                    );
                    },
                );
            }
        }
        if errors.is_empty() {
            Ok(merged)
        } else {
            Err(errors)
        }
    }

    fn provision(
        &self,
        merged: &Merged,
        context: &Context<'_>,
    ) -> Result<Provisioned, Vec<Diagnostic>> {
        let RequirementConfig::Custom(config) = &merged.config else {
            return Ok(Provisioned::default());
        };
        let data = template_context(&self.kind, &merged.key, config, context);
        let rendered = self.handlebars.render(&self.kind, &data).map_err(|error| {
            let at = error.line_no.zip(error.column_no);
            vec![self.error(
                format!("template for `{}` fails to render for key `{}`: {}", self.kind, merged.key, error.reason()),
                at,
                "the template sees type, key, config, name, unique_suffix, app, environment, location, region, resource_group_name and tags",
            )]
        })?;
        let resources: Value = serde_json::from_str(&rendered).map_err(|error| {
            vec![self.error(
                format!(
                    "template for `{}` renders invalid JSON for key `{}`: {error} (line {} of the rendered output)",
                    self.kind,
                    merged.key,
                    error.line()
                ),
                None,
                "render a JSON object `{\"<resource type>\": {\"<name>\": {...}}}`; write values with `{{json config.x}}`",
            )]
        })?;
        let mut out = Provisioned::default();
        let Some(types) = resources.as_object() else {
            return Err(vec![self.error(
                format!(
                    "template for `{}` must render a JSON object of resource types",
                    self.kind
                ),
                None,
                "render `{\"azurerm_redis_cache\": {\"cache\": {...}}}`",
            )]);
        };
        for (resource_type, blocks) in types {
            if !is_resource_type(resource_type) {
                return Err(vec![self.error(
                    format!("`{resource_type}` is not a Terraform resource type"),
                    None,
                    "resource types are lowercase letters, digits and `_`, starting with a letter, such as `azurerm_redis_cache`",
                )]);
            }
            let Some(blocks) = blocks.as_object() else {
                return Err(vec![self.error(
                    format!("`{resource_type}` must map names to resource bodies"),
                    None,
                    "render `{\"<type>\": {\"<name>\": {...}}}`",
                )]);
            };
            for (name, body) in blocks {
                if !body.is_object() {
                    return Err(vec![self.error(
                        format!(
                            "`{resource_type}.{name}` must be an object of arguments, not {}",
                            kind_of(body)
                        ),
                        None,
                        "render `{\"<type>\": {\"<name>\": {\"argument\": ...}}}`",
                    )]);
                }
                if !is_valid_name(name) {
                    return Err(vec![self.error(
                        format!("`{name}` is not a valid Terraform resource name"),
                        None,
                        "use letters, digits, `_` and `-`, starting with a letter",
                    )]);
                }
                out.rendered_block(
                    Address::resource(resource_type, name),
                    body.clone(),
                    &merged.sources,
                    &self.file,
                );
            }
        }
        out.manifest_entry(
            context,
            "custom",
            &format!("{}/{}", self.kind, merged.key),
            || json!({
                // As written in backend.yaml: the manifest never holds machine-specific paths.
                "template": context.backend.providers.get(&self.kind).map_or(self.file.name.as_str(), |p| p.template.value.as_str()),
                "config": config.value,
            }),
        );
        Ok(out)
    }

    fn codes(&self) -> &'static [&'static Code] {
        TEMPLATE_CODES
    }
}

/// The byte offset of the first partial (`{{> p}}`, `{{#> p}}`, `{{~> p}}`) or inline partial
/// definition (`{{#*inline}}`) in a template's text.
fn partial_offset(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let start = from + found;
        let rest = text[start + 2..].trim_start_matches(['~', '#', ' ']);
        if rest.starts_with('>') || rest.starts_with("*inline") {
            return Some(start);
        }
        from = start + 2;
    }
    None
}

/// `azurerm_redis_cache`: what a resource type may be (it becomes part of an address).
fn is_resource_type(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_lowercase())
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// A JSON value's kind, for messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn template_context(
    kind: &str,
    key: &str,
    config: &Spanned<Value>,
    context: &Context<'_>,
) -> Value {
    let backend = context.backend;
    let region = backend.location.value;
    let name = format!(
        "{kind}-{}-{key}-{}-{}",
        backend.name.value, backend.environment.value, region.short
    );
    let hash = Sha256::digest(format!(
        "{}\0{}\0{}\0{}\0{kind}\0{key}",
        backend.name.value, backend.environment.value, region.name, backend.naming.salt
    ));
    let unique_suffix: String = hash.iter().take(3).map(|b| format!("{b:02x}")).collect();
    let tags: Map<String, Value> = backend
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), json!(v.value)))
        .collect();
    json!({
        "type": kind,
        "key": key,
        "config": config.value,
        "name": name,
        "unique_suffix": unique_suffix,
        "app": backend.name.value,
        "environment": backend.environment.value,
        "location": region.name,
        "region": region.short,
        "resource_group_name": context.resource_group_name(),
        "tags": tags,
    })
}

/// Merges `from` into `into`: objects merge key by key, anything else must be equal.
fn deep_merge(
    into: &mut Value,
    from: &Value,
    path: &str,
    conflict: &mut dyn FnMut(&str, &Value, &Value),
) {
    match (into, from) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in b {
                match a.get_mut(key) {
                    Some(existing) => {
                        deep_merge(existing, value, &format!("{path}.{key}"), conflict)
                    }
                    None => {
                        a.insert(key.clone(), value.clone());
                    }
                }
            }
        }
        (a, b) if a != b => conflict(path, a, b),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_merge_combines_objects_and_reports_conflicts() {
        let mut into = json!({"sku": "Standard", "redis": {"maxmemory": "allkeys-lru"}});
        let mut conflicts = Vec::new();
        deep_merge(
            &mut into,
            &json!({"capacity": 1, "redis": {"notify": "Ex"}}),
            "config",
            &mut |p, _, _| conflicts.push(p.to_owned()),
        );
        assert_eq!(
            into,
            json!({"sku": "Standard", "capacity": 1, "redis": {"maxmemory": "allkeys-lru", "notify": "Ex"}})
        );
        assert!(conflicts.is_empty());
        deep_merge(
            &mut into,
            &json!({"redis": {"notify": "K"}}),
            "config",
            &mut |p, _, _| conflicts.push(p.to_owned()),
        );
        assert_eq!(conflicts, ["config.redis.notify"]);
    }

    #[test]
    fn positions_map_to_the_template_file() {
        let file = SourceFile::new("t.hbs", "{\n  \"a\": {{x\n}");
        let span = position(&file, Some((2, 8)));
        assert_eq!((span.line, span.column), (2, 8));
        assert_eq!(&file.text[span.start..span.end], "{");
    }
}
