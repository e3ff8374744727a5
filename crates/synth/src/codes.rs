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
        "Every block baas generates is checked against the schema of the azurerm provider version it pins (attribute names, required attributes, block shapes, value types, references to declared resources). A problem in a built-in component's block is a bug in baas: please report it with the backend.yaml that triggers it. A problem in a custom component's block comes from its provider (a template or Rust code): fix that output. A template's problem is reported in the template file, at the key of the deepest part of the attribute's path written there (the attribute itself, or the resource type's key for a required attribute the template leaves out); when the template renders the resource type from a variable, at the component instead.";
    SHARED_RESOURCE_GROUP = "baas::landing_zone::resource_group", "two stacks would deploy into one existing resource group",
        "With `resource_group.name`, each stack (region, color, tenant, `global`) reads an existing resource group whose name it renders from the template's variables. A template without `{{stack}}` (or another variable that tells the stacks apart) gives several stacks one group, where their resources and Terraform states would collide. Put `{{stack}}` in the name, and have the landing zone provide one group per stack.";
    DUPLICATE_ADDRESS = "baas::terraform::duplicate_address", "two resources claim the same Terraform address",
        "Terraform addresses come from user keys and names: component keys, runtimes, database and container names (a container outside the backend's default database is `<database>-<container>`), queue, topic and subscription names (with `.` and `/` turned into `-`, which Terraform names cannot hold). Two different declarations can therefore produce one address: database `db1` with container `x-y` and database `db1-x` with container `y`, or queues `a.b` and `a-b`. The report points at the second declaration and the first; rename one of them so that the names differ after that mapping. Addresses are kept as they are rather than made longer, because changing them would make Terraform replace resources that hold data.";
}
