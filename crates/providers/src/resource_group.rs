//! The one resource group of a stack.

use crate::context::{Block, Context};
use baas_model::diagnostic::Diagnostic;
use serde_json::json;

/// The resource group block: the group baas creates, or a data source that reads the
/// landing zone's by name (no tags, no lock, never destroyed). Its span for naming errors is
/// the document's `name`, or the `resource_group.name` template.
pub fn block(context: &Context<'_>) -> Result<Block, Diagnostic> {
    let name = context.resource_group_azure_name()?;
    let body = if context.backend.resource_group.is_some() {
        json!({ "name": name })
    } else {
        json!({ "name": name, "location": context.location() })
    };
    Ok(Block {
        address: context.resource_group(),
        body,
        sources: Vec::new(),
        holds_data: false,
        rendered_from: None,
    })
}

/// The group's resource address when the landing zone provides it: a stack that created the
/// group before forgets it rather than destroying it (and everything in it).
pub fn forgotten(context: &Context<'_>) -> Option<baas_terraform::Address> {
    context
        .backend
        .resource_group
        .is_some()
        .then(|| baas_terraform::Address::resource("azurerm_resource_group", "main"))
}
