//! Diagnostic codes of the synth stage: the generated Terraform itself.

use baas_model::diagnostic::Code;

macro_rules! codes {
    ($($name:ident = $id:literal, $summary:literal, $explanation:literal;)*) => {
        $(pub static $name: Code = Code { id: $id, summary: $summary, explanation: $explanation };)*
        /// Every code this crate can emit.
        pub static ALL: &[&Code] = &[$(&$name),*];
    };
}

codes! {
    SCHEMA_CONFORMANCE = "baas::terraform::schema", "generated Terraform does not conform to the azurerm provider schema",
        "Every block baas generates is checked against the schema of the azurerm provider version it pins (attribute names, required attributes, block shapes, value types, references to declared resources). A problem in a built-in component's block is a bug in baas: please report it with the backend.yaml that triggers it. A problem in a custom component's block comes from its provider (a template or Rust code): fix that output.";
    DUPLICATE_ADDRESS = "baas::terraform::duplicate_address", "two resources claim the same Terraform address",
        "Resource addresses come from component keys, database and container names. Two of them produced the same address; rename one of the components or containers named in the message.";
}
