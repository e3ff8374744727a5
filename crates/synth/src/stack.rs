//! Provisioned blocks -> one Terraform root module (a stack), with tags, outputs, and the
//! schema conformance check of everything in it.

use crate::codes;
use baas_model::diagnostic::Diagnostic;
use baas_model::Strategy;
use baas_model::{Source, Span};
use baas_providers::{Block, Context, Provisioned, Registry, StackRole};
use baas_terraform::schema::{ProviderSchema, AZURERM_PROVIDER_VERSION};
use baas_terraform::{Address, Document};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

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
    pub origins: Vec<(Address, Vec<Source>)>,
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
    let mut origins: Vec<(Address, Vec<Source>)> = Vec::with_capacity(blocks.len());
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
        match document.add(&address, body) {
            Ok(()) => origins.push((address, sources)),
            Err(duplicate) => duplicates.push((duplicate.0, address, sources)),
        }
    }
    if !duplicates.is_empty() {
        let first: BTreeMap<&Address, &[Source]> = origins
            .iter()
            .map(|(address, sources)| (address, sources.as_slice()))
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

/// The module's problems against the azurerm schema. They point at the component that
/// produced the block, so a user can act on them.
pub fn conformance(
    context: &Context<'_>,
    module: &Value,
    origins: &[(Address, Vec<Source>)],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let problems = ProviderSchema::azurerm().check_document(module);
    if problems.is_empty() {
        return out;
    }
    // Problems name blocks by their address text (`TYPE.NAME`, `data.TYPE.NAME`).
    let origins: BTreeMap<String, &Vec<Source>> = origins
        .iter()
        .map(|(address, sources)| (address.to_string(), sources))
        .collect();
    for problem in problems {
        let source = origins
            .get(&problem.address)
            .and_then(|sources| sources.first());
        let span: Span = source.map_or(context.backend.name.span, |s| s.span);
        let at = if problem.path.is_empty() {
            problem.address.clone()
        } else {
            format!("{}.{}", problem.address, problem.path)
        };
        // A custom component's blocks come from its provider (a template or Rust code), not
        // from baas: the fix is there.
        let custom = source
            .and_then(|s| context.backend.components.get(&s.component))
            .is_some_and(|c| matches!(c.kind, baas_model::ComponentKind::Custom(_)));
        let help = if custom {
            format!("the provider of this custom requirement (its template or Rust code) rendered the block: fix its output, which is checked against azurerm {AZURERM_PROVIDER_VERSION}")
        } else {
            format!("this is a bug in the Terraform baas generates for azurerm {AZURERM_PROVIDER_VERSION}; please report it with this backend.yaml")
        };
        out.push(
            Diagnostic::error(
                &codes::SCHEMA_CONFORMANCE,
                format!("`{at}`: {}", problem.message),
            )
            .at(span)
            .label("generated from here")
            .help(help),
        );
    }
    out
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
