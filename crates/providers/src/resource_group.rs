//! The one resource group of a stack.

use crate::context::{Block, Context};
use crate::naming::ResourceKind;
use baas_model::diagnostic::Diagnostic;
use baas_terraform::Address;
use serde_json::json;

pub fn address() -> Address {
    Address::resource("azurerm_resource_group", "main")
}

/// The resource group block; its span for naming errors is the document's `name`.
pub fn block(context: &Context<'_>) -> Result<Block, Diagnostic> {
    let name = context.name(ResourceKind::ResourceGroup, "", context.backend.name.span)?;
    Ok(Block {
        address: address(),
        body: json!({ "name": name, "location": context.location() }),
        sources: Vec::new(),
    })
}
