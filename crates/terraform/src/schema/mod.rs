//! The azurerm provider schema, and the conformance check of generated Terraform JSON against it.
//!
//! The schema is the output of `terraform providers schema -json`. The build script decompresses
//! it, strips what the checker never reads (descriptions) and indexes the resource and data
//! source types by name, so loading costs nothing at run time; a type's schema is parsed the
//! first time a document uses it, and cached.
//!
//! [`ProviderSchema::check_document`] checks one Terraform JSON root module (`main.tf.json`)
//! against the schema and the Terraform JSON syntax rules: known types, known attributes and
//! blocks, required and computed-only attributes, literal value types, nested block shapes and
//! counts, references between blocks, and the azurerm provider's mandatory `features` block.
//!
//! The module is split by concern: `load` (the embedded schema, schema JSON and the lazy index
//! of type schemas), `cty` (the schema's blocks, attributes and type constraints), `check` (the
//! conformance check) and `expr` (the scanner that finds references in Terraform expressions).

use std::fmt;
use std::sync::OnceLock;

use serde_json::Value;

mod check;
mod cty;
mod expr;
mod load;

use check::Checker;
use cty::Block;
pub use expr::references;
use load::{LazyTypes, SchemaText};

/// The azurerm provider schema baas is tested against.
pub const AZURERM_PROVIDER_VERSION: &str = "4.55.0";

/// The source address of the azurerm provider, as keyed in `terraform providers schema -json`.
pub const AZURERM_PROVIDER_SOURCE: &str = "registry.terraform.io/hashicorp/azurerm";

// ---------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------

/// One provider's schema: its configuration block, resource types and data source types.
///
/// Resource and data source schemas are kept as raw JSON and parsed on first use.
#[derive(Debug)]
pub struct ProviderSchema {
    /// The whole schema JSON; resource and data source schemas are parsed from it on demand.
    text: SchemaText,
    /// Source address, e.g. `registry.terraform.io/hashicorp/azurerm`.
    source: String,
    /// Local name, e.g. `azurerm`: the last segment of the source address.
    local_name: String,
    /// The provider configuration block.
    provider: Block,
    resources: LazyTypes,
    data_sources: LazyTypes,
}

/// One problem found by [`ProviderSchema::check_document`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SchemaProblem {
    /// `azurerm_linux_function_app.node`, `data.azurerm_client_config.current`, `provider.azurerm`, `output.x`, `terraform`
    pub address: String,
    /// Attribute path inside the block, e.g. `site_config.application_stack.node_version`; empty for the block itself.
    pub path: String,
    pub kind: ProblemKind,
    /// A full sentence fragment for users: what is wrong, and (where one fits) a "did you mean `x`" hint.
    pub message: String,
}

impl fmt::Display for SchemaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}: {}", self.address, self.message)
        } else {
            write!(f, "{} ({}): {}", self.address, self.path, self.message)
        }
    }
}

/// What kind of problem a [`SchemaProblem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ProblemKind {
    /// A `resource` type the provider does not have.
    UnknownResourceType,
    /// A `data` type the provider does not have.
    UnknownDataSource,
    /// A key that is neither an attribute, a nested block type nor a meta-argument.
    UnknownAttribute,
    /// A key that looks like (or is closest to) a nested block, but the schema has no such block type.
    UnknownBlock,
    /// A required attribute is missing (or null), or an output has no `value`.
    MissingRequired,
    /// An attribute the provider computes (computed, neither optional nor required) is set.
    ComputedOnly,
    /// A literal value does not convert to the attribute's type.
    WrongType,
    /// A block is not written as an object / array of objects, or a body is not an object.
    BlockShape,
    /// Fewer nested blocks than the schema's `min_items`.
    TooFewItems,
    /// More nested blocks than the schema's `max_items` (or more than one of a `single` block).
    TooManyItems,
    /// An expression refers to a block, variable, local or attribute that does not exist.
    UnresolvedReference,
    /// `provider.azurerm` is missing, or does not have exactly one `features` block.
    MissingProviderFeatures,
    /// A `moved` or `removed` block that is malformed or contradicts the declared resources
    /// (moving between types, from an address still declared, removing a declared one).
    Refactoring,
}

/// Why a provider schema could not be loaded.
#[derive(Debug)]
pub enum SchemaLoadError {
    /// The gzip stream could not be decompressed (or was not UTF-8).
    Decompress(std::io::Error),
    /// The schema is not valid `terraform providers schema -json` output.
    Json(serde_json::Error),
    /// `format_version` is not a 1.x version.
    UnsupportedFormatVersion(String),
    /// The schema holds no provider with the requested source address.
    ProviderNotFound {
        provider_source: String,
        available: Vec<String>,
    },
    /// One resource or data source type's schema is malformed.
    TypeSchema {
        /// `resource` or `data source`.
        kind: &'static str,
        name: String,
        /// serde_json's message: parsed once, the error is kept as text.
        error: String,
    },
}

impl fmt::Display for SchemaLoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Decompress(e) => write!(f, "cannot decompress the provider schema: {e}"),
            Self::Json(e) => write!(f, "the provider schema is not valid schema JSON: {e}"),
            Self::UnsupportedFormatVersion(v) => write!(
                f,
                "unsupported provider schema format_version `{v}` (expected 1.x)"
            ),
            Self::ProviderNotFound {
                provider_source,
                available,
            } => {
                write!(f, "the provider schema has no provider `{provider_source}`")?;
                if available.is_empty() {
                    write!(f, " (it holds no providers)")
                } else {
                    write!(f, " (it holds: {})", available.join(", "))
                }
            }
            Self::TypeSchema { kind, name, error } => {
                write!(f, "the schema of {kind} `{name}` is malformed: {error}")
            }
        }
    }
}

impl std::error::Error for SchemaLoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Decompress(e) => Some(e),
            Self::Json(e) => Some(e),
            Self::TypeSchema { .. }
            | Self::UnsupportedFormatVersion(_)
            | Self::ProviderNotFound { .. } => None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Loading and queries (the loading itself is in `load`)
// ---------------------------------------------------------------------------------------------

impl ProviderSchema {
    /// The embedded azurerm 4.55.0 schema. Decompressed and indexed at build time: the first
    /// call parses only the provider block.
    ///
    /// # Panics
    /// If the embedded schema cannot be loaded, which the crate's tests rule out.
    pub fn azurerm() -> &'static ProviderSchema {
        match Self::try_azurerm() {
            Ok(schema) => schema,
            Err(e) => panic!("the embedded azurerm provider schema is broken: {e}"),
        }
    }

    /// Like [`ProviderSchema::azurerm`], but returns the load error instead of panicking.
    pub fn try_azurerm() -> Result<&'static ProviderSchema, &'static SchemaLoadError> {
        static SCHEMA: OnceLock<Result<ProviderSchema, SchemaLoadError>> = OnceLock::new();
        SCHEMA.get_or_init(Self::embedded).as_ref()
    }

    /// Parses `terraform providers schema -json` text for one provider source address.
    ///
    /// `provider_source` may be the full address (`registry.terraform.io/hashicorp/azurerm`) or
    /// the short form (`hashicorp/azurerm`). Only the provider configuration block is parsed
    /// eagerly; resource and data source schemas are parsed on first use (see
    /// [`ProviderSchema::validate_all`]).
    pub fn from_json(text: &str, provider_source: &str) -> Result<ProviderSchema, SchemaLoadError> {
        Self::from_text(text.to_owned(), provider_source)
    }

    /// The provider's source address, e.g. `registry.terraform.io/hashicorp/azurerm`.
    pub fn provider_source(&self) -> &str {
        &self.source
    }

    /// The provider's local name, e.g. `azurerm`.
    pub fn local_name(&self) -> &str {
        &self.local_name
    }

    pub fn has_resource(&self, resource_type: &str) -> bool {
        self.resources.contains(resource_type)
    }

    /// Whether a resource type has a settable top-level attribute (`tags`, say). Used to put
    /// tags on every taggable resource without a list to keep in sync.
    pub fn resource_has_attribute(&self, resource_type: &str, attribute: &str) -> bool {
        match self.resources.get(&self.text, resource_type) {
            Some(Ok(block)) => block
                .attributes
                .get(attribute)
                .is_some_and(|a| !a.computed_only()),
            _ => false,
        }
    }

    pub fn has_data_source(&self, data_type: &str) -> bool {
        self.data_sources.contains(data_type)
    }

    /// All resource type names, sorted.
    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        self.resources.names()
    }

    /// All data source type names, sorted.
    pub fn data_source_types(&self) -> impl Iterator<Item = &str> {
        self.data_sources.names()
    }

    /// Parses every resource and data source schema (normally parsed lazily), reporting the
    /// first malformed one. Slow (tens of milliseconds); meant for tests.
    pub fn validate_all(&self) -> Result<(), SchemaLoadError> {
        for (kind, types) in [
            ("resource", &self.resources),
            ("data source", &self.data_sources),
        ] {
            for name in types.names() {
                if let Some(Err(error)) = types.get(&self.text, name) {
                    return Err(SchemaLoadError::TypeSchema {
                        kind,
                        name: name.to_owned(),
                        error: error.to_owned(),
                    });
                }
            }
        }
        Ok(())
    }

    /// Checks one Terraform JSON root module.
    ///
    /// Returns the problems sorted and without duplicates; an empty vector means the document
    /// conforms.
    pub fn check_document(&self, document: &Value) -> Vec<SchemaProblem> {
        let mut checker = Checker::new(self);
        checker.check_document(document);
        let mut problems = checker.problems;
        problems.sort();
        problems.dedup();
        problems
    }
}
