//! Provisioned blocks -> one Terraform root module (a stack), with tags, outputs, and the
//! schema conformance check of everything in it.

use crate::codes;
use baas_model::diagnostic::Diagnostic;
use baas_model::Strategy;
use baas_model::{Source, SourceFile, Span};
use baas_providers::{Block, Context, Provisioned, Registry, StackRole};
use baas_terraform::schema::{ProviderSchema, AZURERM_PROVIDER_VERSION};
use baas_terraform::{Address, Document};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The provider range baas is tested against.
pub const AZURERM_CONSTRAINT: &str = "~> 4.55";
pub const TERRAFORM_REQUIRED_VERSION: &str = ">= 1.6.0";
/// What a stack that forgets a resource (a `removed` block) needs: `removed` came in 1.7.
pub const TERRAFORM_REQUIRED_VERSION_REMOVED: &str = ">= 1.7.0";

#[derive(Debug)]
pub struct Stack {
    pub name: String,
    /// The finished root module, checked against the provider schema; kept only when the
    /// caller asked for it (`baas graph` reads it, `synth` needs only `text`).
    pub module: Option<Value>,
    /// The root module as `main.tf.json` holds it; empty when the run found errors, since
    /// nothing is written then.
    pub text: String,
    pub resource_count: usize,
    pub outputs: Vec<String>,
}

/// A stack's root module before its conformance check, and where each block came from.
#[derive(Debug)]
pub struct Assembled {
    pub module: Value,
    pub resource_count: usize,
    pub outputs: Vec<String>,
    /// In block order; searched only to report a problem.
    pub origins: Vec<Origin>,
}

/// Where one block came from: the components it was made for and, for a block a template
/// rendered, the template file.
#[derive(Debug)]
pub struct Origin {
    pub address: Address,
    pub sources: Vec<Source>,
    pub rendered_from: Option<Arc<SourceFile>>,
}

/// Consumes the provisioned blocks: at 1,000 components a stack holds tens of thousands of
/// values, and moving them instead of cloning keeps synth linear and lean.
pub fn assemble(
    context: &Context<'_>,
    registry: &Registry,
    provisioned: Vec<Provisioned>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Assembled {
    let mut document = Document {
        terraform: terraform_block(context),
        ..Document::default()
    };
    document.providers.insert(
        "azurerm".to_owned(),
        // Storage keys are off, so the provider must use Entra ID for the data plane too.
        // The features block is the providers' business (storage, Application Insights).
        json!({ "features": registry.provider_features(context), "storage_use_azuread": true }),
    );
    let mut outputs = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    match registry.resource_group(context) {
        Ok(block) => blocks.push(block),
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    document
        .forgotten
        .extend(registry.forgotten_resource_group(context));
    for p in provisioned {
        blocks.extend(p.blocks);
        outputs.extend(p.outputs);
        document.moved.extend(p.moved);
        document.forgotten.extend(p.forgotten);
    }
    if !document.forgotten.is_empty() {
        document.terraform.insert(
            "required_version".into(),
            json!(TERRAFORM_REQUIRED_VERSION_REMOVED),
        );
    }
    // Where each block came from, in order; searched only to report a problem.
    let mut origins: Vec<Origin> = Vec::with_capacity(blocks.len());
    let mut duplicates: Vec<(String, Address, Vec<Source>)> = Vec::new();
    let schema = ProviderSchema::azurerm();
    let common_tags = common_tags(context);
    // Whether each resource type takes `tags`, asked of the schema once per type.
    let mut taggable: BTreeMap<String, bool> = BTreeMap::new();
    for block in blocks {
        let Block {
            address,
            mut body,
            sources,
            holds_data,
            rendered_from,
        } = block;
        if holds_data && protected(context.backend, &sources) {
            // Beside what the provider wrote into the lifecycle (`ignore_changes`, say).
            if let Some(arguments) = body.as_object_mut() {
                let lifecycle = arguments
                    .entry("lifecycle")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(lifecycle) = lifecycle.as_object_mut() {
                    lifecycle.insert("prevent_destroy".to_owned(), serde_json::Value::Bool(true));
                }
            }
        }
        // Data sources only read: their `tags` are computed.
        let has_tags = !address.data
            && match taggable.get(&address.resource_type) {
                Some(&has_tags) => has_tags,
                None => {
                    let has_tags = schema.resource_has_attribute(&address.resource_type, "tags");
                    taggable.insert(address.resource_type.clone(), has_tags);
                    has_tags
                }
            };
        // A body that is not an object (a provider's bug) is the schema check's to report;
        // indexing it here would panic.
        if let (true, Some(arguments)) = (has_tags, body.as_object_mut()) {
            arguments.insert("tags".to_owned(), tags(&common_tags, &sources));
        }
        // Two providers may read one thing: the global stack's Traffic Manager endpoints and a
        // static site's Front Door origins read each regional app through one data source, with
        // one body (`facts::refs::regional_function_app`), which the stack keeps once.
        if address.data
            && document
                .data
                .get(&address.resource_type)
                .and_then(|blocks| blocks.get(&address.name))
                == Some(&body)
        {
            continue;
        }
        match document.add(&address, body) {
            Ok(()) => origins.push(Origin {
                address,
                sources,
                rendered_from,
            }),
            Err(duplicate) => duplicates.push((duplicate.0, address, sources)),
        }
    }
    if !duplicates.is_empty() {
        let first: BTreeMap<&Address, &[Source]> = origins
            .iter()
            .map(|o| (&o.address, o.sources.as_slice()))
            .collect();
        for (text, address, sources) in &duplicates {
            diagnostics.push(duplicate_address(
                text,
                sources,
                first.get(address).copied(),
            ));
        }
    }
    for (name, (expression, description)) in outputs {
        document.output(&name, expression, &description);
    }
    document.output(
        "resource_group_name",
        context.resource_group().attr("name"),
        "Resource group of the stack",
    );
    let resource_count = document.resource_count();
    let outputs = document.outputs.keys().cloned().collect();
    Assembled {
        module: document.into_value(),
        resource_count,
        outputs,
        origins,
    }
}

fn terraform_block(context: &Context<'_>) -> Map<String, Value> {
    let mut terraform = Map::new();
    terraform.insert("required_version".into(), json!(TERRAFORM_REQUIRED_VERSION));
    terraform.insert(
        "required_providers".into(),
        json!({ "azurerm": { "source": "hashicorp/azurerm", "version": AZURERM_CONSTRAINT } }),
    );
    if let Some(state) = &context.backend.state {
        let backend = &context.backend;
        let key = baas_model::read_deployment::state_key(
            &state.key.value,
            &backend.name.value,
            &backend.environment.value,
            &context.stack.name,
        );
        terraform.insert(
            "backend".into(),
            json!({ "azurerm": {
                "resource_group_name": state.resource_group.value,
                "storage_account_name": state.storage_account.value,
                "container_name": state.container.value,
                "key": key,
                "use_azuread_auth": true,
            } }),
        );
    }
    terraform
}

/// User tags, then baas's own (which win: they are how resources are traced back).
fn common_tags(context: &Context<'_>) -> Map<String, Value> {
    let mut tags: Map<String, Value> = context
        .backend
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.value.clone())))
        .collect();
    tags.insert("managed-by".into(), "baas".into());
    tags.insert(
        "environment".into(),
        context.backend.environment.value.clone().into(),
    );
    tags.insert(
        "application".into(),
        context.backend.name.value.clone().into(),
    );
    if context.stack.role != StackRole::Main {
        tags.insert("stack".into(), context.stack.name.clone().into());
    }
    if let Some(color) = context.stack.color {
        tags.insert("color".into(), color.as_str().into());
    }
    if let Some(tenancy) = &context.backend.tenancy {
        tags.insert("tenancy".into(), tenancy.isolation.value.as_str().into());
    }
    if let Some(tenant) = &context.stack.tenant {
        tags.insert("tenant".into(), tenant.clone().into());
    }
    if let Strategy::DisasterRecovery { rto, rpo, .. } = &context.backend.deployment.strategy {
        for (key, value) in [("rto", rto), ("rpo", rpo)] {
            if let Some(value) = value {
                tags.insert(key.into(), value.value.clone().into());
            }
        }
    }
    tags
}

/// The common tags, and `component` when one component produced the block.
fn tags(common: &Map<String, Value>, sources: &[Source]) -> Value {
    let mut tags = common.clone();
    let mut components: Vec<&str> = sources.iter().map(|s| s.component.as_str()).collect();
    components.dedup();
    if let [only] = components.as_slice() {
        tags.insert("component".into(), (*only).into());
    }
    Value::Object(tags)
}

/// `first` holds the sources of the block that claimed the address first.
fn duplicate_address(address: &str, sources: &[Source], first: Option<&[Source]>) -> Diagnostic {
    let span = sources.first().map(|s| s.span).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(
        &codes::DUPLICATE_ADDRESS,
        format!("two resources would both be `{address}`"),
    )
    .at(span)
    .help("addresses come from names: `.` and `/` in queue, topic and subscription names become `-`, and a container outside the default database is `<database>-<container>`, so two different names can read the same; rename one of them so they differ");
    if let Some(first) = first.and_then(|s| s.first()) {
        diagnostic = diagnostic.related(first.span, "the other one comes from here");
    }
    diagnostic
}

/// The module's problems against the azurerm schema. They point at what produced the block,
/// so a user can act on them: the component's YAML, or, for a block a template rendered, the
/// place in the template that rendered the offending attribute.
pub fn conformance(context: &Context<'_>, module: &Value, origins: &[Origin]) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let problems = ProviderSchema::azurerm().check_document(module);
    if problems.is_empty() {
        return out;
    }
    // Problems name blocks by their address text (`TYPE.NAME`, `data.TYPE.NAME`).
    let origins: BTreeMap<String, &Origin> = origins
        .iter()
        .map(|origin| (origin.address.to_string(), origin))
        .collect();
    for problem in problems {
        let origin = origins.get(&problem.address);
        let source = origin.and_then(|o| o.sources.first());
        let span: Span = source.map_or(context.backend.name.span, |s| s.span);
        let at = if problem.path.is_empty() {
            problem.address.clone()
        } else {
            format!("{}.{}", problem.address, problem.path)
        };
        let template = origin.and_then(|o| {
            let file = o.rendered_from.as_ref()?;
            let span = template_span(file, &o.address.resource_type, &problem.path)?;
            Some((file, span))
        });
        let diagnostic = match template {
            // The template rendered it: the fix is there, at the attribute where it can be
            // found (a name the template computes, or a missing attribute, is found as far as
            // the block that holds it).
            Some((file, span)) => Diagnostic::error(
                &codes::SCHEMA_CONFORMANCE,
                format!(
                    "`{at}`: {} (rendered for component `{}`)",
                    problem.message,
                    source.map_or("", |s| s.component.as_str())
                ),
            )
            .at(span)
            .in_file(Arc::clone(file))
            .label("rendered from here")
            .help(format!("fix the template's output, which is checked against azurerm {AZURERM_PROVIDER_VERSION}")),
            None => {
                // A custom component's blocks come from its provider (a template or Rust
                // code), not from baas: the fix is there.
                let custom = source
                    .and_then(|s| context.backend.components.get(&s.component))
                    .is_some_and(|c| matches!(c.kind, baas_model::ComponentKind::Custom(_)));
                let help = if custom {
                    format!("the provider of this custom requirement (its template or Rust code) rendered the block: fix its output, which is checked against azurerm {AZURERM_PROVIDER_VERSION}")
                } else {
                    format!("this is a bug in the Terraform baas generates for azurerm {AZURERM_PROVIDER_VERSION}; please report it with this backend.yaml")
                };
                Diagnostic::error(
                    &codes::SCHEMA_CONFORMANCE,
                    format!("`{at}`: {}", problem.message),
                )
                .at(span)
                .label("generated from here")
                .help(help)
            }
        };
        out.push(diagnostic);
    }
    out
}

/// Where in a template the attribute at `path` (`site_config.cors.allowed_origins`; list
/// indices are skipped) of a `resource_type` block is written: the key of the deepest part of
/// the path found, in order, after the resource type's key. `None` when the template does
/// not spell the type out (it renders it from a variable): then the component is reported.
fn template_span(file: &SourceFile, resource_type: &str, path: &str) -> Option<Span> {
    let text = file.text.as_str();
    let (mut start, mut end) = json_key(text, 0, resource_type)?;
    let parts = path
        .split('.')
        .map(|part| part.split('[').next().unwrap_or(part))
        .filter(|part| !part.is_empty() && !part.bytes().all(|b| b.is_ascii_digit()));
    for part in parts {
        match json_key(text, end, part) {
            Some(found) => (start, end) = found,
            None => break,
        }
    }
    Some(file.span(start, end))
}

/// The first `"key"` at or after `from` that is an object key (a `:` follows), as the byte
/// range of the quoted key.
fn json_key(text: &str, from: usize, key: &str) -> Option<(usize, usize)> {
    let quoted = format!("\"{key}\"");
    let mut at = from;
    while let Some(found) = text.get(at..)?.find(&quoted) {
        let start = at + found;
        let end = start + quoted.len();
        if text[end..].trim_start().starts_with(':') {
            return Some((start, end));
        }
        at = end;
    }
    None
}

/// Whether a data-holding block gets `lifecycle.prevent_destroy`: unless `protect: false` at
/// the top level (or in the environment overlay), or on every component it was made for (a
/// shared Cosmos DB account stays protected while any component using it wants protection).
/// This is the one place that writes the lifecycle.
fn protected(backend: &baas_model::Backend, sources: &[Source]) -> bool {
    backend.protect
        && (sources.is_empty()
            || sources.iter().any(|source| {
                backend
                    .components
                    .get(&source.component)
                    .is_none_or(|component| component.protect)
            }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str = r#"{
  "azurerm_redis_cache": {
    "{{key}}": {
      "name": "{{name}}",
      "redis_configuration": {"maxmemory_policy": {{json config.policy}}},
      "tags_note": "name"
    }
  }
}"#;

    fn located(resource_type: &str, path: &str) -> Option<(usize, usize, String)> {
        let file = SourceFile::new("t.hbs", TEMPLATE);
        template_span(&file, resource_type, path).map(|span| {
            (
                span.line,
                span.column,
                TEMPLATE[span.start..span.end].to_owned(),
            )
        })
    }

    #[test]
    fn an_attribute_is_found_where_the_template_writes_it() {
        assert_eq!(
            located("azurerm_redis_cache", "name"),
            Some((4, 7, "\"name\"".to_owned()))
        );
        assert_eq!(
            located(
                "azurerm_redis_cache",
                "redis_configuration.maxmemory_policy"
            ),
            Some((5, 31, "\"maxmemory_policy\"".to_owned()))
        );
    }

    #[test]
    fn list_indices_are_skipped_and_a_missing_part_stops_at_what_holds_it() {
        assert_eq!(
            located("azurerm_redis_cache", "redis_configuration[0].nope"),
            Some((5, 7, "\"redis_configuration\"".to_owned()))
        );
        assert_eq!(
            located("azurerm_redis_cache", "redis_configuration.0.nope"),
            Some((5, 7, "\"redis_configuration\"".to_owned()))
        );
        assert_eq!(
            located("azurerm_redis_cache", "family"),
            Some((2, 3, "\"azurerm_redis_cache\"".to_owned()))
        );
    }

    #[test]
    fn a_string_value_is_not_mistaken_for_a_key() {
        // `"name"` also appears as a value after `tags_note`; only keys count.
        assert_eq!(json_key(TEMPLATE, 100, "name"), None);
        assert!(json_key(TEMPLATE, 0, "name").is_some());
    }

    #[test]
    fn a_type_the_template_renders_from_a_variable_is_not_located() {
        assert_eq!(located("azurerm_storage_account", "name"), None);
    }

    #[test]
    fn the_component_tag_names_the_one_component_a_block_was_made_for() {
        let common = Map::from_iter([("env".to_owned(), json!("prod"))]);
        let source = |component: &str| Source {
            component: component.to_owned(),
            span: Span::default(),
        };
        let one = tags(&common, &[source("users"), source("users")]);
        assert_eq!(one, json!({"env": "prod", "component": "users"}));
        let shared = tags(&common, &[source("users"), source("orders")]);
        assert_eq!(shared, json!({"env": "prod"}));
        assert_eq!(tags(&common, &[]), json!({"env": "prod"}));
    }
}
