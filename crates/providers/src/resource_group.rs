//! The one resource group of a stack.

use crate::context::{Block, Context};
use baas_model::diagnostic::Diagnostic;
use serde_json::json;

/// The resource group block; its span for naming errors is the document's `name`.
pub fn block(context: &Context<'_>) -> Result<Block, Diagnostic> {
    let name = context.resource_group_azure_name()?;
    Ok(Block {
        address: crate::facts::refs::resource_group(),
        body: json!({ "name": name, "location": context.location() }),
        sources: Vec::new(),
        holds_data: false,
    })
}
