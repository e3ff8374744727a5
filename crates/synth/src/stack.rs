//! Provisioned blocks -> one Terraform root module (a stack), with tags, outputs, and the
//! schema conformance check of everything in it.

use crate::codes;
use baas_model::diagnostic::Diagnostic;
use baas_model::{Source, Span};
use baas_providers::{resource_group, Block, Context, Provisioned};
use baas_terraform::schema::{ProviderSchema, AZURERM_PROVIDER_VERSION};
use baas_terraform::{Address, Document};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// The single-region stack.
pub const MAIN: &str = "main";
/// The provider range baas is tested against.
pub const AZURERM_CONSTRAINT: &str = "~> 4.55";
pub const TERRAFORM_REQUIRED_VERSION: &str = ">= 1.6.0";

#[derive(Debug)]
pub struct Stack {
    pub name: String,
    /// The finished root module, checked against the provider schema.
    pub module: Value,
    pub resource_count: usize,
    pub outputs: Vec<String>,
}

/// Consumes the provisioned blocks: at 1,000 components a stack holds tens of thousands of
/// values, and moving them instead of cloning keeps synth linear and lean.
pub fn build(
    context: &Context<'_>,
    provisioned: Vec<Provisioned>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Stack {
    let mut document = Document {
        terraform: terraform_block(),
        ..Document::default()
    };
    document.providers.insert(
        "azurerm".to_owned(),
        // Storage keys are off, so the provider must use Entra ID for the data plane too.
        json!({ "features": {}, "storage_use_azuread": true }),
    );
    let mut origins: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    let mut outputs = Vec::new();
    let mut blocks: Vec<Block> = Vec::new();
    match resource_group::block(context) {
        Ok(block) => blocks.push(block),
        Err(diagnostic) => diagnostics.push(diagnostic),
    }
    for p in provisioned {
        blocks.extend(p.blocks);
        outputs.extend(p.outputs);
    }
    let schema = ProviderSchema::azurerm();
    for block in blocks {
        let Block {
            address,
            mut body,
            sources,
        } = block;
        // Data sources only read: their `tags` are computed.
        if !address.data && schema.resource_has_attribute(&address.resource_type, "tags") {
            body["tags"] = tags(context, &sources);
        }
        if let Err(duplicate) = document.add(&address, body) {
            diagnostics.push(duplicate_address(&duplicate.0, &sources, &origins));
            continue;
        }
        origins.insert(address.to_string(), sources);
    }
    for (name, (expression, description)) in outputs {
        document.output(&name, expression, &description);
    }
    document.output(
        "resource_group_name",
        resource_group::address().attr("name"),
        "Resource group of the stack",
    );
    let resource_count = document.resource_count();
    let outputs = document.outputs.keys().cloned().collect();
    let module = document.into_value();
    // After an earlier error some blocks are missing, and the schema check would report the
    // dangling references as baas bugs: check conformance only of a module that is complete.
    if !baas_model::diagnostic::has_errors(diagnostics) {
        conformance(context, &module, &origins, diagnostics);
    }
    Stack {
        name: MAIN.to_owned(),
        module,
        resource_count,
        outputs,
    }
}

fn terraform_block() -> Map<String, Value> {
    let mut terraform = Map::new();
    terraform.insert("required_version".into(), json!(TERRAFORM_REQUIRED_VERSION));
    terraform.insert(
        "required_providers".into(),
        json!({ "azurerm": { "source": "hashicorp/azurerm", "version": AZURERM_CONSTRAINT } }),
    );
    terraform
}

/// User tags, then baas's own (which win: they are how resources are traced back).
fn tags(context: &Context<'_>, sources: &[Source]) -> Value {
    let mut tags: BTreeMap<String, String> = context
        .backend
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), v.value.clone()))
        .collect();
    tags.insert("managed-by".into(), "baas".into());
    tags.insert(
        "environment".into(),
        context.backend.environment.value.clone(),
    );
    tags.insert("application".into(), context.backend.name.value.clone());
    let mut components: Vec<&str> = sources.iter().map(|s| s.component.as_str()).collect();
    components.dedup();
    if let [only] = components.as_slice() {
        tags.insert("component".into(), (*only).to_owned());
    }
    json!(tags)
}

fn duplicate_address(
    address: &str,
    sources: &[Source],
    origins: &BTreeMap<String, Vec<Source>>,
) -> Diagnostic {
    let span = sources.first().map(|s| s.span).unwrap_or_default();
    let mut diagnostic = Diagnostic::error(
        &codes::DUPLICATE_ADDRESS,
        format!("two resources would both be `{address}`"),
    )
    .at(span)
    .help("rename one of the components, databases or containers involved");
    if let Some(first) = origins.get(address).and_then(|s| s.first()) {
        diagnostic = diagnostic.related(first.span, "the other one comes from here");
    }
    diagnostic
}

/// Schema problems point at the component that produced the block, so a user can act on them.
fn conformance(
    context: &Context<'_>,
    module: &Value,
    origins: &BTreeMap<String, Vec<Source>>,
    out: &mut Vec<Diagnostic>,
) {
    let problems = ProviderSchema::azurerm().check_document(module);
    for problem in problems {
        let span: Span = origins
            .get(&problem.address)
            .and_then(|sources| sources.first())
            .map_or(context.backend.name.span, |s| s.span);
        let at = if problem.path.is_empty() {
            problem.address.clone()
        } else {
            format!("{}.{}", problem.address, problem.path)
        };
        out.push(
            Diagnostic::error(&codes::SCHEMA_CONFORMANCE, format!("`{at}`: {}", problem.message))
                .at(span)
                .label("generated from here")
                .help(format!("this is a bug in the Terraform baas generates for azurerm {AZURERM_PROVIDER_VERSION}; please report it with this backend.yaml")),
        );
    }
}

/// The address of the stack's resource group, for manifests.
pub fn resource_group_address() -> Address {
    resource_group::address()
}
