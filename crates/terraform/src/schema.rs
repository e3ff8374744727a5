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

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use baas_model::suggest::{self, Closeness};
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// The azurerm provider schema baas is tested against.
pub const AZURERM_PROVIDER_VERSION: &str = "4.55.0";

/// The source address of the azurerm provider, as keyed in `terraform providers schema -json`.
pub const AZURERM_PROVIDER_SOURCE: &str = "registry.terraform.io/hashicorp/azurerm";

/// The schema entries (`{"block": ...}`) of azurerm [`AZURERM_PROVIDER_VERSION`]'s provider
/// block, resource types and data sources, one per line, as `build.rs` writes them from
/// `schemas/azurerm-4.55.0.schema.json.gz`.
static AZURERM_SCHEMAS: &str = include_str!(concat!(env!("OUT_DIR"), "/azurerm.schemas.json"));

// `AZURERM_PROVIDER_ENTRY: (u32, u32)` and `AZURERM_RESOURCES` / `AZURERM_DATA_SOURCES:
// &[(&str, u32, u32)]`: byte ranges in `AZURERM_SCHEMAS`, by type name, sorted.
include!(concat!(env!("OUT_DIR"), "/azurerm.index.rs"));

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
// Loading
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

    /// The schema from the build script's pre-indexed form of the embedded file.
    fn embedded() -> Result<ProviderSchema, SchemaLoadError> {
        let (start, end) = AZURERM_PROVIDER_ENTRY;
        let provider = AZURERM_SCHEMAS
            .get(start as usize..end as usize)
            .unwrap_or_default();
        let provider = serde_json::from_str::<SchemaEntry>(provider)
            .map_err(SchemaLoadError::Json)?
            .block;
        let source = AZURERM_PROVIDER_SOURCE.to_owned();
        let local_name = source.rsplit('/').next().unwrap_or(&source).to_owned();
        Ok(ProviderSchema {
            text: SchemaText(Cow::Borrowed(AZURERM_SCHEMAS)),
            source,
            local_name,
            provider,
            resources: LazyTypes::embedded(AZURERM_RESOURCES),
            data_sources: LazyTypes::embedded(AZURERM_DATA_SOURCES),
        })
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

    /// [`ProviderSchema::from_json`] on owned text, which the schema keeps and parses types from.
    fn from_text(text: String, provider_source: &str) -> Result<ProviderSchema, SchemaLoadError> {
        let file: SchemaFile<'_> = serde_json::from_str(&text).map_err(SchemaLoadError::Json)?;
        if let Some(version) = &file.format_version {
            if version != "1" && !version.starts_with("1.") {
                return Err(SchemaLoadError::UnsupportedFormatVersion(version.clone()));
            }
        }
        let wanted = normalize_source(provider_source);
        let Some((source, provider)) = file
            .provider_schemas
            .iter()
            .find(|(source, _)| source.as_str() == provider_source)
            .or_else(|| {
                file.provider_schemas
                    .iter()
                    .find(|(source, _)| normalize_source(source) == wanted)
            })
        else {
            return Err(SchemaLoadError::ProviderNotFound {
                provider_source: provider_source.to_owned(),
                available: file.provider_schemas.keys().cloned().collect(),
            });
        };
        let provider_block = match provider.provider {
            Some(raw) => {
                serde_json::from_str::<SchemaEntry>(raw.get())
                    .map_err(SchemaLoadError::Json)?
                    .block
            }
            None => Block::default(),
        };
        let resources = LazyTypes::new(&text, &provider.resource_schemas);
        let data_sources = LazyTypes::new(&text, &provider.data_source_schemas);
        let source = source.clone();
        let local_name = source.rsplit('/').next().unwrap_or(&source).to_owned();
        drop(file);
        Ok(ProviderSchema {
            text: SchemaText(Cow::Owned(text)),
            source,
            local_name,
            provider: provider_block,
            resources,
            data_sources,
        })
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

fn normalize_source(source: &str) -> String {
    let lower = source.to_ascii_lowercase();
    match lower.strip_prefix("registry.terraform.io/") {
        Some(rest) => rest.to_owned(),
        None => lower,
    }
}

/// The top level of `terraform providers schema -json`, with type schemas left unparsed.
#[derive(Deserialize)]
struct SchemaFile<'a> {
    #[serde(default)]
    format_version: Option<String>,
    #[serde(borrow, default)]
    provider_schemas: BTreeMap<String, ProviderFile<'a>>,
}

/// One provider's entry, with all schemas left unparsed (borrowed from the text).
#[derive(Deserialize)]
struct ProviderFile<'a> {
    #[serde(borrow, default)]
    provider: Option<&'a RawValue>,
    #[serde(borrow, default)]
    resource_schemas: BTreeMap<String, &'a RawValue>,
    #[serde(borrow, default)]
    data_source_schemas: BTreeMap<String, &'a RawValue>,
}

/// The schema JSON text, which [`LazyTypes`] index into. Its `Debug` shows only the length.
struct SchemaText(Cow<'static, str>);

impl fmt::Debug for SchemaText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SchemaText({} bytes)", self.0.len())
    }
}

/// Type schemas by name, as byte ranges of the schema text, parsed on first use.
struct LazyTypes {
    /// Type names with the byte range of their schema in the text, sorted by name.
    index: Vec<(Cow<'static, str>, Range<usize>)>,
    /// The parsed schemas, by position in `index`.
    parsed: Vec<OnceLock<Result<Block, String>>>,
}

impl LazyTypes {
    fn from_index(index: Vec<(Cow<'static, str>, Range<usize>)>) -> Self {
        debug_assert!(index.is_sorted_by(|a, b| a.0 < b.0));
        let parsed = index.iter().map(|_| OnceLock::new()).collect();
        LazyTypes { index, parsed }
    }

    /// Indexes raw values borrowed from `text` by their position in it.
    fn new(text: &str, raw: &BTreeMap<String, &RawValue>) -> Self {
        let base = text.as_ptr() as usize;
        let index = raw
            .iter()
            .map(|(name, raw)| {
                let json = raw.get();
                let start = (json.as_ptr() as usize).wrapping_sub(base);
                debug_assert_eq!(text.get(start..start + json.len()), Some(json));
                (Cow::Owned(name.clone()), start..start + json.len())
            })
            .collect();
        Self::from_index(index)
    }

    /// The build script's index of the embedded schema text.
    fn embedded(index: &'static [(&'static str, u32, u32)]) -> Self {
        let index = index
            .iter()
            .map(|&(name, start, end)| (Cow::Borrowed(name), start as usize..end as usize))
            .collect();
        Self::from_index(index)
    }

    fn position(&self, name: &str) -> Option<usize> {
        self.index
            .binary_search_by(|(candidate, _)| candidate.as_ref().cmp(name))
            .ok()
    }

    fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    fn names(&self) -> impl Iterator<Item = &str> {
        self.index.iter().map(|(name, _)| name.as_ref())
    }

    /// `None` if there is no such type. `text` is the text the index points into.
    fn get(&self, text: &SchemaText, name: &str) -> Option<Result<&Block, &str>> {
        let at = self.position(name)?;
        let (_, span) = self.index.get(at)?;
        let cell = self.parsed.get(at)?;
        // One thread parses a type; another asking meanwhile waits for it rather than parsing
        // it again (the read-ahead thread and the checks ask for the same types).
        let parsed = cell.get_or_init(|| {
            let json = text.0.get(span.clone()).unwrap_or_default();
            serde_json::from_str::<SchemaEntry>(json)
                .map(|entry| entry.block)
                .map_err(|error| error.to_string())
        });
        Some(parsed.as_ref().map_err(String::as_str))
    }
}

impl fmt::Debug for LazyTypes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parsed = self
            .parsed
            .iter()
            .filter(|cell| cell.get().is_some())
            .count();
        f.debug_struct("LazyTypes")
            .field("types", &self.index.len())
            .field("parsed", &parsed)
            .finish()
    }
}

// ---------------------------------------------------------------------------------------------
// Schema model
// ---------------------------------------------------------------------------------------------

#[derive(Debug, PartialEq, Deserialize)]
struct SchemaEntry {
    #[serde(default)]
    block: Block,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
struct Block {
    #[serde(default)]
    attributes: BTreeMap<String, Attribute>,
    #[serde(default)]
    block_types: BTreeMap<String, BlockType>,
}

#[derive(Debug, PartialEq, Deserialize)]
struct Attribute {
    /// Absent for protocol-6 `nested_type` attributes, which are checked as `dynamic`.
    #[serde(rename = "type", default)]
    ty: CtyType,
    #[serde(default)]
    required: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    computed: bool,
}

impl Attribute {
    fn computed_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }
}

#[derive(Debug, PartialEq, Deserialize)]
struct BlockType {
    nesting_mode: NestingMode,
    #[serde(default)]
    min_items: usize,
    /// 0 means unlimited.
    #[serde(default)]
    max_items: usize,
    #[serde(default)]
    block: Block,
}

impl BlockType {
    fn effective_max(&self) -> usize {
        match self.nesting_mode {
            NestingMode::Single | NestingMode::Group => 1,
            NestingMode::List | NestingMode::Set | NestingMode::Map => self.max_items,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum NestingMode {
    Single,
    Group,
    List,
    Set,
    Map,
}

/// A cty type constraint as serialized in provider schemas.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(try_from = "Value")]
enum CtyType {
    String,
    Number,
    Bool,
    #[default]
    Dynamic,
    List(Box<CtyType>),
    Set(Box<CtyType>),
    Map(Box<CtyType>),
    Object(BTreeMap<String, CtyType>),
    Tuple(Vec<CtyType>),
}

impl TryFrom<Value> for CtyType {
    type Error = String;

    fn try_from(value: Value) -> Result<Self, String> {
        CtyType::parse(&value)
    }
}

impl CtyType {
    fn parse(value: &Value) -> Result<Self, String> {
        let invalid = || format!("invalid cty type `{value}`");
        match value {
            Value::String(name) => match name.as_str() {
                "string" => Ok(CtyType::String),
                "number" => Ok(CtyType::Number),
                "bool" => Ok(CtyType::Bool),
                "dynamic" => Ok(CtyType::Dynamic),
                _ => Err(invalid()),
            },
            Value::Array(parts) => {
                let (Some(Value::String(kind)), Some(arg)) = (parts.first(), parts.get(1)) else {
                    return Err(invalid());
                };
                match kind.as_str() {
                    "list" => Ok(CtyType::List(Box::new(CtyType::parse(arg)?))),
                    "set" => Ok(CtyType::Set(Box::new(CtyType::parse(arg)?))),
                    "map" => Ok(CtyType::Map(Box::new(CtyType::parse(arg)?))),
                    // A third element lists optional attributes; absent ones are not checked anyway.
                    "object" => {
                        let Value::Object(attrs) = arg else {
                            return Err(invalid());
                        };
                        attrs
                            .iter()
                            .map(|(name, ty)| Ok((name.clone(), CtyType::parse(ty)?)))
                            .collect::<Result<_, String>>()
                            .map(CtyType::Object)
                    }
                    "tuple" => {
                        let Value::Array(elems) = arg else {
                            return Err(invalid());
                        };
                        elems
                            .iter()
                            .map(CtyType::parse)
                            .collect::<Result<_, String>>()
                            .map(CtyType::Tuple)
                    }
                    _ => Err(invalid()),
                }
            }
            _ => Err(invalid()),
        }
    }
}

impl fmt::Display for CtyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CtyType::String => f.write_str("string"),
            CtyType::Number => f.write_str("number"),
            CtyType::Bool => f.write_str("bool"),
            CtyType::Dynamic => f.write_str("any value"),
            CtyType::List(e) => write!(f, "list of {e}"),
            CtyType::Set(e) => write!(f, "set of {e}"),
            CtyType::Map(e) => write!(f, "map of {e}"),
            CtyType::Object(_) => f.write_str("object"),
            CtyType::Tuple(_) => f.write_str("tuple"),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Checking
// ---------------------------------------------------------------------------------------------

const TOP_LEVEL_KEYS: &[&str] = &[
    "terraform",
    "provider",
    "resource",
    "data",
    "output",
    "locals",
    "variable",
    "module",
    "moved",
    "import",
    "check",
    "removed",
];
const TERRAFORM_KEYS: &[&str] = &[
    "required_version",
    "required_providers",
    "backend",
    "cloud",
    "experiments",
    "provider_meta",
];
const OUTPUT_KEYS: &[&str] = &[
    "value",
    "description",
    "sensitive",
    "ephemeral",
    "depends_on",
    "precondition",
];
const VARIABLE_KEYS: &[&str] = &[
    "default",
    "type",
    "description",
    "validation",
    "sensitive",
    "nullable",
    "ephemeral",
];

/// The JSON comment key, allowed in every body.
const COMMENT: &str = "//";

#[derive(Clone, Copy, PartialEq, Eq)]
enum BodyKind {
    Resource,
    Data,
    Provider,
    Nested,
}

impl BodyKind {
    fn meta_arguments(self) -> &'static [&'static str] {
        match self {
            BodyKind::Resource => &[
                "count",
                "for_each",
                "depends_on",
                "lifecycle",
                "provider",
                "provisioner",
                "connection",
            ],
            BodyKind::Data => &["count", "for_each", "depends_on", "lifecycle", "provider"],
            BodyKind::Provider => &["alias", "version"],
            BodyKind::Nested => &[],
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum TypeKind {
    Resource,
    Data,
}

#[derive(Clone)]
enum Lookup<'s> {
    Known(&'s Block),
    Unknown,
    Malformed(String),
}

type Body = Map<String, Value>;

/// The blocks a document declares, gathered before checking so references can be resolved.
#[derive(Default)]
struct Declarations<'d> {
    resources: Vec<(&'d str, &'d str, &'d Body)>,
    data: Vec<(&'d str, &'d str, &'d Body)>,
    providers: Vec<(&'d str, &'d Body)>,
    outputs: Vec<(&'d str, &'d Body)>,
    variables: Vec<(&'d str, &'d Body)>,
    modules: Vec<(&'d str, &'d Body)>,
    locals: Vec<(&'d str, &'d Value)>,
    checks: Vec<(&'d str, &'d Body)>,
    imports: Vec<&'d Body>,
    terraform: Vec<&'d Body>,
}

/// The `(type, name)` pairs of a document's blocks, by type: a document declares few types and
/// many names, and every reference is looked up here.
#[derive(Default)]
struct Declared<'d>(BTreeMap<&'d str, BTreeSet<&'d str>>);

impl<'d> Declared<'d> {
    fn insert(&mut self, ty: &'d str, name: &'d str) {
        self.0.entry(ty).or_default().insert(name);
    }

    fn contains(&self, ty: &str, name: &str) -> bool {
        self.0.get(ty).is_some_and(|names| names.contains(name))
    }

    /// Sorted by type, then name.
    fn iter(&self) -> impl Iterator<Item = (&'d str, &'d str)> + '_ {
        self.0
            .iter()
            .flat_map(|(&ty, names)| names.iter().map(move |&name| (ty, name)))
    }
}

struct Checker<'s, 'd> {
    schema: &'s ProviderSchema,
    /// `azurerm_`: resource types of this provider start with it.
    type_prefix: String,
    problems: Vec<SchemaProblem>,
    resources: Declared<'d>,
    data: Declared<'d>,
    variables: BTreeSet<&'d str>,
    locals: BTreeSet<&'d str>,
    modules: BTreeSet<&'d str>,
    aliases: BTreeSet<&'d str>,
    /// Type schemas looked up so far: resources, data sources.
    lookups: [BTreeMap<String, Lookup<'s>>; 2],
    /// Scratch space for scanning expressions (see [`Scan`]).
    segments: Vec<Segment<'d>>,
    /// Template strings whose every reference resolved. A reference resolves or not whatever
    /// block it is in, and a module repeats a few templates hundreds of times
    /// (`${azurerm_resource_group.main.name}`): each distinct one is scanned once.
    resolved: BTreeSet<&'d str>,
}

impl<'s, 'd> Checker<'s, 'd> {
    fn new(schema: &'s ProviderSchema) -> Self {
        Checker {
            schema,
            type_prefix: format!("{}_", schema.local_name),
            problems: Vec::new(),
            resources: Declared::default(),
            data: Declared::default(),
            variables: BTreeSet::new(),
            locals: BTreeSet::new(),
            modules: BTreeSet::new(),
            aliases: BTreeSet::new(),
            lookups: [BTreeMap::new(), BTreeMap::new()],
            segments: Vec::new(),
            resolved: BTreeSet::new(),
        }
    }

    fn push(&mut self, address: &str, path: &str, kind: ProblemKind, message: String) {
        self.problems.push(SchemaProblem {
            address: address.to_owned(),
            path: path.to_owned(),
            kind,
            message,
        });
    }

    fn lookup(&mut self, kind: TypeKind, name: &str) -> Lookup<'s> {
        let schema = self.schema;
        let (slot, types) = match kind {
            TypeKind::Resource => (0, &schema.resources),
            TypeKind::Data => (1, &schema.data_sources),
        };
        if let Some(found) = self.lookups[slot].get(name) {
            return found.clone();
        }
        let found = match types.get(&schema.text, name) {
            None => Lookup::Unknown,
            Some(Ok(block)) => Lookup::Known(block),
            Some(Err(e)) => Lookup::Malformed(e.to_owned()),
        };
        self.lookups[slot].insert(name.to_owned(), found.clone());
        found
    }

    // ----- document structure ---------------------------------------------------------------

    fn check_document(&mut self, document: &'d Value) {
        let Value::Object(top) = document else {
            self.push(
                "",
                "",
                ProblemKind::BlockShape,
                format!(
                    "a Terraform JSON document must be an object, found {}",
                    json_kind(document)
                ),
            );
            return;
        };
        let decls = self.collect(top);
        for &(ty, name, _) in &decls.resources {
            self.resources.insert(ty, name);
        }
        for &(ty, name, _) in &decls.data {
            self.data.insert(ty, name);
        }
        self.variables = decls.variables.iter().map(|&(name, _)| name).collect();
        self.locals = decls.locals.iter().map(|&(name, _)| name).collect();
        self.modules = decls.modules.iter().map(|&(name, _)| name).collect();
        for &(name, body) in &decls.providers {
            if name == self.schema.local_name {
                if let Some(Value::String(alias)) = body.get("alias") {
                    self.aliases.insert(alias);
                }
            }
        }

        for &(ty, name, body) in &decls.resources {
            self.check_resource(ty, name, body);
        }
        for &(ty, name, body) in &decls.data {
            self.check_data(ty, name, body);
        }
        self.check_providers(&decls.providers);
        for &(name, body) in &decls.outputs {
            self.check_output(name, body);
        }
        for &(name, body) in &decls.variables {
            self.check_known_keys(
                &format!("variable.{name}"),
                body,
                VARIABLE_KEYS,
                "a variable",
            );
        }
        for &(name, body) in &decls.modules {
            self.scan_generic_body(&format!("module.{name}"), body, &[]);
        }
        for &(name, value) in &decls.locals {
            self.scan_templates(&format!("local.{name}"), "", value);
        }
        for &(name, body) in &decls.checks {
            // Scoped data blocks were collected with the other data blocks.
            self.scan_generic_body(&format!("check.{name}"), body, &["data"]);
        }
        for &body in &decls.imports {
            for (key, value) in body {
                match key.as_str() {
                    COMMENT | "provider" => {}
                    "to" => self.scan_bare("import", key, value),
                    _ => self.scan_templates("import", key, value),
                }
            }
        }
        for &body in &decls.terraform {
            self.check_known_keys("terraform", body, TERRAFORM_KEYS, "the `terraform` block");
        }
    }

    /// Gathers the document's blocks, reporting unknown top-level keys and malformed nesting.
    fn collect(&mut self, top: &'d Body) -> Declarations<'d> {
        let mut decls = Declarations::default();
        for (key, value) in top {
            match key.as_str() {
                COMMENT | "moved" | "removed" => {}
                "resource" => {
                    for (labels, body) in self.labeled(key, value, 2) {
                        if let [ty, name] = labels[..] {
                            decls.resources.push((ty, name, body));
                        }
                    }
                }
                "data" => {
                    for (labels, body) in self.labeled(key, value, 2) {
                        if let [ty, name] = labels[..] {
                            decls.data.push((ty, name, body));
                        }
                    }
                }
                "provider" | "output" | "variable" | "module" | "check" => {
                    for (labels, body) in self.labeled(key, value, 1) {
                        let [name] = labels[..] else { continue };
                        match key.as_str() {
                            "provider" => decls.providers.push((name, body)),
                            "output" => decls.outputs.push((name, body)),
                            "variable" => decls.variables.push((name, body)),
                            "module" => decls.modules.push((name, body)),
                            _ => {
                                if let Some(scoped) = body.get("data") {
                                    for (labels, data_body) in self.labeled("data", scoped, 2) {
                                        if let [ty, data_name] = labels[..] {
                                            decls.data.push((ty, data_name, data_body));
                                        }
                                    }
                                }
                                decls.checks.push((name, body));
                            }
                        }
                    }
                }
                "locals" => {
                    for (_, body) in self.labeled(key, value, 0) {
                        for (name, value) in body {
                            if name != COMMENT {
                                decls.locals.push((name, value));
                            }
                        }
                    }
                }
                "import" => {
                    for (_, body) in self.labeled(key, value, 0) {
                        decls.imports.push(body);
                    }
                }
                "terraform" => {
                    for (_, body) in self.labeled(key, value, 0) {
                        decls.terraform.push(body);
                    }
                }
                other => {
                    let hint = did_you_mean(suggest(other, TOP_LEVEL_KEYS.iter().copied()));
                    self.push(
                        other,
                        "",
                        ProblemKind::UnknownBlock,
                        format!("`{other}` is not a Terraform top-level block type{hint}"),
                    );
                }
            }
        }
        decls
    }

    /// Walks `depth` levels of `{label: ...}` objects below a top-level key and returns the
    /// bodies with their labels. Every level may be an object or an array of objects.
    fn labeled(
        &mut self,
        top: &str,
        value: &'d Value,
        depth: usize,
    ) -> Vec<(Vec<&'d str>, &'d Body)> {
        let mut out = Vec::new();
        self.labeled_into(top, Vec::new(), value, depth, &mut out);
        out
    }

    fn labeled_into(
        &mut self,
        top: &str,
        labels: Vec<&'d str>,
        value: &'d Value,
        depth: usize,
        out: &mut Vec<(Vec<&'d str>, &'d Body)>,
    ) {
        let Some(objects) = objects(value) else {
            let address = labeled_address(top, &labels);
            let expected = if depth == 0 {
                "the block body must be an object"
            } else {
                "expected an object of labels"
            };
            self.push(
                &address,
                "",
                ProblemKind::BlockShape,
                format!("{expected}, found {}", json_kind(value)),
            );
            return;
        };
        for object in objects {
            if depth == 0 {
                out.push((labels.clone(), object));
                continue;
            }
            for (label, inner) in object {
                if label == COMMENT {
                    continue;
                }
                let mut labels = labels.clone();
                labels.push(label);
                self.labeled_into(top, labels, inner, depth - 1, out);
            }
        }
    }

    // ----- resources, data sources, providers, outputs -----------------------------------

    fn check_resource(&mut self, ty: &'d str, name: &'d str, body: &'d Body) {
        let address = format!("{ty}.{name}");
        match self.lookup(TypeKind::Resource, ty) {
            Lookup::Known(block) => {
                let what = format!("`{ty}`");
                self.check_body(&address, "", &what, block, body, BodyKind::Resource);
            }
            Lookup::Malformed(e) => {
                self.push(
                    &address,
                    "",
                    ProblemKind::UnknownResourceType,
                    format!("the provider schema for resource type `{ty}` is malformed: {e}"),
                );
                self.scan_generic_body(&address, body, &[]);
            }
            Lookup::Unknown => {
                let suggestion = self.suggest_type(ty, self.schema.resource_types());
                if ty.starts_with(&self.type_prefix) || suggestion.is_some() {
                    let hint = did_you_mean(suggestion);
                    let provider = self.provider_name();
                    self.push(
                        &address,
                        "",
                        ProblemKind::UnknownResourceType,
                        format!("the {provider} provider has no resource type `{ty}`{hint}"),
                    );
                }
                // Otherwise another provider's resource: only its references are checked.
                self.scan_generic_body(&address, body, &[]);
            }
        }
    }

    fn check_data(&mut self, ty: &'d str, name: &'d str, body: &'d Body) {
        let address = format!("data.{ty}.{name}");
        match self.lookup(TypeKind::Data, ty) {
            Lookup::Known(block) => {
                let what = format!("data source `{ty}`");
                self.check_body(&address, "", &what, block, body, BodyKind::Data);
            }
            Lookup::Malformed(e) => {
                self.push(
                    &address,
                    "",
                    ProblemKind::UnknownDataSource,
                    format!("the provider schema for data source `{ty}` is malformed: {e}"),
                );
                self.scan_generic_body(&address, body, &[]);
            }
            Lookup::Unknown => {
                let suggestion = self.suggest_type(ty, self.schema.data_source_types());
                if ty.starts_with(&self.type_prefix) || suggestion.is_some() {
                    let hint = did_you_mean(suggestion);
                    let provider = self.provider_name();
                    self.push(
                        &address,
                        "",
                        ProblemKind::UnknownDataSource,
                        format!("the {provider} provider has no data source `{ty}`{hint}"),
                    );
                }
                self.scan_generic_body(&address, body, &[]);
            }
        }
    }

    /// `azurerm 4.55.0` for the embedded schema, else the local name.
    fn provider_name(&self) -> String {
        if self.schema.source == AZURERM_PROVIDER_SOURCE {
            format!("{} {AZURERM_PROVIDER_VERSION}", self.schema.local_name)
        } else {
            self.schema.local_name.clone()
        }
    }

    /// A close type name, or the type with the provider prefix added (`storage_account` →
    /// `azurerm_storage_account`).
    fn suggest_type<'a>(
        &self,
        ty: &str,
        candidates: impl Iterator<Item = &'a str>,
    ) -> Option<String> {
        let candidates: Vec<&str> = candidates.collect();
        let prefixed = format!("{}{ty}", self.type_prefix);
        if candidates.binary_search(&prefixed.as_str()).is_ok() {
            return Some(prefixed);
        }
        suggest(ty, candidates).map(str::to_owned)
    }

    fn check_providers(&mut self, providers: &[(&'d str, &'d Body)]) {
        let local = self.schema.local_name.clone();
        let requires_features = self.schema.provider.block_types.contains_key("features");
        let mut configured = false;
        for &(name, body) in providers {
            if name != local {
                self.scan_generic_body(&format!("provider.{name}"), body, &[]);
                continue;
            }
            configured = true;
            let address = match body.get("alias") {
                Some(Value::String(alias)) => format!("provider.{local}.{alias}"),
                _ => format!("provider.{local}"),
            };
            let what = format!("the `{local}` provider block");
            let schema = self.schema;
            let provider = &schema.provider;
            self.check_body(&address, "", &what, provider, body, BodyKind::Provider);
            if requires_features {
                let count = match body.get("features") {
                    None | Some(Value::Null) => 0,
                    Some(Value::Array(items)) => items.len(),
                    Some(_) => 1,
                };
                if count != 1 {
                    self.push(
                        &address,
                        "features",
                        ProblemKind::MissingProviderFeatures,
                        format!(
                            "the {local} provider needs exactly one `features` block (it may be empty: `\"features\": {{}}`), found {count}"
                        ),
                    );
                }
            }
        }
        if requires_features && !configured {
            self.push(
                &format!("provider.{local}"),
                "",
                ProblemKind::MissingProviderFeatures,
                format!(
                    "the document has no `provider.{local}` block; the {local} provider refuses to run without one holding a `features` block (it may be empty: `\"features\": {{}}`)"
                ),
            );
        }
    }

    fn check_output(&mut self, name: &str, body: &'d Body) {
        let address = format!("output.{name}");
        if !body.contains_key("value") {
            self.push(
                &address,
                "value",
                ProblemKind::MissingRequired,
                format!("output `{name}` has no `value`"),
            );
        }
        self.check_known_keys(&address, body, OUTPUT_KEYS, "an output");
        self.scan_generic_body(&address, body, &[]);
    }

    /// Reports keys of a fixed-shape body (output, variable, terraform) that Terraform does not know.
    fn check_known_keys(&mut self, address: &str, body: &Body, known: &[&str], what: &str) {
        for key in body.keys() {
            if key == COMMENT || known.contains(&key.as_str()) {
                continue;
            }
            let hint = did_you_mean(suggest(key, known.iter().copied()));
            self.push(
                address,
                key,
                ProblemKind::UnknownAttribute,
                format!("`{key}` is not an argument of {what}{hint}"),
            );
        }
    }

    // ----- schema-driven bodies -------------------------------------------------------------

    /// Checks one body against a schema block. `what` names the owner for messages.
    fn check_body(
        &mut self,
        address: &str,
        prefix: &str,
        what: &str,
        block: &Block,
        body: &'d Body,
        kind: BodyKind,
    ) {
        let mut counts: BTreeMap<&str, Option<usize>> = BTreeMap::new();
        let mut dynamic: BTreeSet<&str> = BTreeSet::new();
        for (key, value) in body {
            if key == COMMENT {
                continue;
            }
            let path = join(prefix, key);
            let path = path.as_ref();
            if kind.meta_arguments().contains(&key.as_str()) {
                self.check_meta_argument(address, key, value);
                continue;
            }
            if key == "dynamic" {
                self.check_dynamic(address, prefix, block, value, &mut dynamic);
                continue;
            }
            if let Some(attribute) = block.attributes.get(key) {
                self.check_attribute(address, path, attribute, value);
            } else if let Some((name, block_type)) = block.block_types.get_key_value(key) {
                let count = self.check_nested(address, path, block_type, value);
                counts.insert(name, count);
            } else {
                self.unknown_key(address, path, what, block, key, value);
            }
        }

        for (name, attribute) in &block.attributes {
            if attribute.required && !body.contains_key(name) {
                self.push(
                    address,
                    &join(prefix, name),
                    ProblemKind::MissingRequired,
                    format!("{what} requires `{name}`, which is not set"),
                );
            }
        }
        for (name, block_type) in &block.block_types {
            if dynamic.contains(name.as_str()) {
                continue;
            }
            let Some(count) = counts.get(name.as_str()).copied().unwrap_or(Some(0)) else {
                continue; // malformed, already reported
            };
            if count < block_type.min_items {
                let message = if count == 0 {
                    format!("{what} requires a `{name}` block, which is missing")
                } else {
                    format!(
                        "{what} requires at least {} `{name}` blocks, found {count}",
                        block_type.min_items
                    )
                };
                self.push(
                    address,
                    &join(prefix, name),
                    ProblemKind::TooFewItems,
                    message,
                );
            }
            let max = block_type.effective_max();
            if max > 0 && count > max {
                let message = if max == 1 {
                    format!("{what} allows only one `{name}` block, found {count}")
                } else {
                    format!("{what} allows at most {max} `{name}` blocks, found {count}")
                };
                self.push(
                    address,
                    &join(prefix, name),
                    ProblemKind::TooManyItems,
                    message,
                );
            }
        }
    }

    fn unknown_key(
        &mut self,
        address: &str,
        path: &str,
        what: &str,
        block: &Block,
        key: &str,
        value: &'d Value,
    ) {
        let names = block.attributes.keys().chain(block.block_types.keys());
        let suggestion = suggest(key, names.map(String::as_str));
        let is_block = match suggestion {
            Some(name) => block.block_types.contains_key(name),
            None => objects(value).is_some_and(|objects| !objects.is_empty()),
        };
        let hint = did_you_mean(suggestion);
        let (kind, noun) = if is_block {
            (ProblemKind::UnknownBlock, "block type")
        } else {
            (ProblemKind::UnknownAttribute, "attribute")
        };
        self.push(
            address,
            path,
            kind,
            format!("{what} has no {noun} `{key}`{hint}"),
        );
        self.scan_templates(address, path, value);
    }

    fn check_meta_argument(&mut self, address: &str, key: &str, value: &'d Value) {
        match key {
            "depends_on" => match value {
                Value::Array(items) => {
                    for item in items {
                        self.scan_bare(address, key, item);
                    }
                }
                _ => self.push(
                    address,
                    key,
                    ProblemKind::WrongType,
                    format!(
                        "`depends_on` must be an array of references, found {}",
                        json_kind(value)
                    ),
                ),
            },
            "provider" => {
                if let Value::String(text) = value {
                    self.check_provider_reference(address, text);
                }
            }
            "lifecycle" => {
                for lifecycle in objects(value).unwrap_or_default() {
                    for (name, inner) in lifecycle {
                        let path = format!("{key}.{name}");
                        match name.as_str() {
                            // Attribute paths, not references.
                            "ignore_changes" | COMMENT => {}
                            "replace_triggered_by" => {
                                if let Value::Array(items) = inner {
                                    for item in items {
                                        self.scan_bare(address, &path, item);
                                    }
                                }
                            }
                            _ => self.scan_templates(address, &path, inner),
                        }
                    }
                }
            }
            "alias" | "version" => {}
            _ => self.scan_templates(address, key, value),
        }
    }

    /// `"provider": "azurerm.west"` must name a configured alias.
    fn check_provider_reference(&mut self, address: &str, text: &str) {
        let expr = text
            .strip_prefix("${")
            .and_then(|rest| rest.strip_suffix('}'))
            .unwrap_or(text)
            .trim();
        let Some((provider, alias)) = expr.split_once('.') else {
            return;
        };
        if provider != self.schema.local_name || self.aliases.contains(alias) {
            return;
        }
        let hint = did_you_mean(suggest(alias, self.aliases.iter().copied()));
        self.push(
            address,
            "provider",
            ProblemKind::UnresolvedReference,
            format!("no `provider.{provider}` block has alias `{alias}`{hint}"),
        );
    }

    /// `"dynamic": {"BLOCK": {"for_each": ..., "iterator": ..., "content": {...}}}`.
    fn check_dynamic(
        &mut self,
        address: &str,
        prefix: &str,
        block: &Block,
        value: &'d Value,
        dynamic: &mut BTreeSet<&'d str>,
    ) {
        let path = join(prefix, "dynamic");
        let Some(outer) = objects(value) else {
            self.push(
                address,
                &path,
                ProblemKind::BlockShape,
                format!(
                    "`dynamic` must be an object of block type names, found {}",
                    json_kind(value)
                ),
            );
            return;
        };
        for object in outer {
            for (name, spec) in object {
                if name == COMMENT {
                    continue;
                }
                let block_path = join(prefix, name);
                let Some(block_type) = block.block_types.get(name) else {
                    let names = block.block_types.keys().map(String::as_str);
                    let hint = did_you_mean(suggest(name, names));
                    self.push(
                        address,
                        &block_path,
                        ProblemKind::UnknownBlock,
                        format!("there is no block type `{name}` to generate dynamically{hint}"),
                    );
                    self.scan_templates(address, &block_path, spec);
                    continue;
                };
                dynamic.insert(name);
                let Some(specs) = objects(spec) else {
                    self.push(
                        address,
                        &block_path,
                        ProblemKind::BlockShape,
                        format!(
                            "a `dynamic` block must be an object with `for_each` and `content`, found {}",
                            json_kind(spec)
                        ),
                    );
                    continue;
                };
                for spec in specs {
                    for (key, inner) in spec {
                        match key.as_str() {
                            "content" => match inner {
                                Value::Object(content) => {
                                    let what = format!("the `{name}` block");
                                    let inner_block = &block_type.block;
                                    self.check_body(
                                        address,
                                        &block_path,
                                        &what,
                                        inner_block,
                                        content,
                                        BodyKind::Nested,
                                    );
                                }
                                _ => self.push(
                                    address,
                                    &format!("{block_path}.content"),
                                    ProblemKind::BlockShape,
                                    format!(
                                        "`content` must be an object, found {}",
                                        json_kind(inner)
                                    ),
                                ),
                            },
                            COMMENT | "iterator" => {}
                            _ => self.scan_templates(address, &block_path, inner),
                        }
                    }
                }
            }
        }
    }

    fn check_attribute(
        &mut self,
        address: &str,
        path: &str,
        attribute: &Attribute,
        value: &'d Value,
    ) {
        let name = path.rsplit('.').next().unwrap_or(path);
        if value.is_null() {
            if attribute.required {
                self.push(
                    address,
                    path,
                    ProblemKind::MissingRequired,
                    format!("`{name}` is required and cannot be null"),
                );
            }
            return;
        }
        if attribute.computed_only() {
            self.push(
                address,
                path,
                ProblemKind::ComputedOnly,
                format!("`{name}` is computed by the provider and cannot be set"),
            );
            return;
        }
        self.scan_templates(address, path, value);
        self.check_type(address, ValuePath::Attribute(path), &attribute.ty, value);
    }

    /// Checks a literal value against a cty type. Template strings (`${...}`) and nulls pass.
    fn check_type(&mut self, address: &str, path: ValuePath<'_>, ty: &CtyType, value: &Value) {
        let ok = match (ty, value) {
            (_, Value::Null) | (CtyType::Dynamic, _) => true,
            (_, Value::String(s)) if is_template(s) => true,
            (CtyType::String, Value::String(_) | Value::Number(_) | Value::Bool(_)) => true,
            (CtyType::Number, Value::Number(_)) => true,
            (CtyType::Number, Value::String(s)) => {
                s.trim().parse::<f64>().is_ok_and(f64::is_finite)
            }
            (CtyType::Bool, Value::Bool(_)) => true,
            (CtyType::Bool, Value::String(s)) => s == "true" || s == "false",
            (CtyType::List(element) | CtyType::Set(element), Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    self.check_type(address, ValuePath::Index(&path, i), element, item);
                }
                true
            }
            (CtyType::Map(element), Value::Object(entries)) => {
                for (key, item) in entries {
                    self.check_type(address, ValuePath::Key(&path, key), element, item);
                }
                true
            }
            (CtyType::Object(attributes), Value::Object(entries)) => {
                for (key, item) in entries {
                    let item_path = ValuePath::Key(&path, key);
                    match attributes.get(key) {
                        Some(attribute_type) => {
                            self.check_type(address, item_path, attribute_type, item)
                        }
                        None => {
                            let names = attributes.keys().map(String::as_str);
                            let hint = did_you_mean(suggest(key, names));
                            self.push(
                                address,
                                &item_path.to_string(),
                                ProblemKind::UnknownAttribute,
                                format!(
                                    "the object type of `{path}` has no attribute `{key}`{hint}"
                                ),
                            );
                        }
                    }
                }
                true
            }
            (CtyType::Tuple(elements), Value::Array(items)) if elements.len() == items.len() => {
                for (i, (element, item)) in elements.iter().zip(items).enumerate() {
                    self.check_type(address, ValuePath::Index(&path, i), element, item);
                }
                true
            }
            _ => false,
        };
        if !ok {
            let found = describe(value);
            let path = path.to_string();
            self.push(
                address,
                &path,
                ProblemKind::WrongType,
                format!("`{path}` must be a {ty}, found {found}"),
            );
        }
    }

    /// Checks the value of a nested block key. Returns the number of blocks written, or `None`
    /// if the value is malformed (already reported).
    fn check_nested(
        &mut self,
        address: &str,
        path: &str,
        block_type: &BlockType,
        value: &'d Value,
    ) -> Option<usize> {
        let name = path.rsplit('.').next().unwrap_or(path);
        let what = format!("the `{name}` block");
        let inner = &block_type.block;
        if let NestingMode::Map = block_type.nesting_mode {
            let Value::Object(labels) = value else {
                if value.is_null() {
                    return Some(0);
                }
                self.push(
                    address,
                    path,
                    ProblemKind::BlockShape,
                    format!(
                        "`{name}` is a map of blocks: write it as an object of label to block object, found {}",
                        json_kind(value)
                    ),
                );
                return None;
            };
            let mut count = 0;
            for (label, body) in labels {
                if label == COMMENT {
                    continue;
                }
                let label_path = format!("{path}.{label}");
                match objects(body) {
                    Some(bodies) => {
                        for body in bodies {
                            count += 1;
                            self.check_body(
                                address,
                                &label_path,
                                &what,
                                inner,
                                body,
                                BodyKind::Nested,
                            );
                        }
                    }
                    None => self.push(
                        address,
                        &label_path,
                        ProblemKind::BlockShape,
                        format!(
                            "the `{name}` block `{label}` must be an object, found {}",
                            json_kind(body)
                        ),
                    ),
                }
            }
            return Some(count);
        }

        let single = matches!(
            block_type.nesting_mode,
            NestingMode::Single | NestingMode::Group
        );
        let shape = if single {
            "write it as an object"
        } else {
            "write it as an object or an array of objects"
        };
        match value {
            Value::Null => Some(0),
            Value::Object(body) => {
                self.check_body(address, path, &what, inner, body, BodyKind::Nested);
                Some(1)
            }
            Value::Array(items) => {
                let mut malformed = false;
                for (i, item) in items.iter().enumerate() {
                    let item_path = if items.len() > 1 {
                        format!("{path}[{i}]")
                    } else {
                        path.to_owned()
                    };
                    match item {
                        Value::Object(body) => {
                            self.check_body(
                                address,
                                &item_path,
                                &what,
                                inner,
                                body,
                                BodyKind::Nested,
                            );
                        }
                        _ => {
                            malformed = true;
                            self.push(
                                address,
                                &item_path,
                                ProblemKind::BlockShape,
                                format!(
                                    "`{name}` is a block: {shape}, found an array holding {}",
                                    json_kind(item)
                                ),
                            );
                        }
                    }
                }
                (!malformed).then_some(items.len())
            }
            Value::String(s) if is_template(s) => {
                self.push(
                    address,
                    path,
                    ProblemKind::BlockShape,
                    format!("`{name}` is a block and cannot be set from an expression in Terraform JSON; {shape}, or generate it with `dynamic`"),
                );
                self.scan_templates(address, path, value);
                None
            }
            _ => {
                self.push(
                    address,
                    path,
                    ProblemKind::BlockShape,
                    format!("`{name}` is a block: {shape}, found {}", json_kind(value)),
                );
                None
            }
        }
    }

    // ----- references -----------------------------------------------------------------------

    /// Scans a body without a schema: templates everywhere, bare references in `depends_on`.
    fn scan_generic_body(&mut self, address: &str, body: &'d Body, skip: &[&str]) {
        for (key, value) in body {
            if key == COMMENT || skip.contains(&key.as_str()) {
                continue;
            }
            match key.as_str() {
                "depends_on" => {
                    if let Value::Array(items) = value {
                        for item in items {
                            self.scan_bare(address, key, item);
                        }
                    }
                }
                "lifecycle" => self.check_meta_argument(address, key, value),
                _ => self.scan_templates(address, key, value),
            }
        }
    }

    /// Resolves the references in every template string inside `value`.
    fn scan_templates(&mut self, address: &str, path: &str, value: &'d Value) {
        match value {
            Value::String(text) => {
                if is_template(text) && !self.resolved.contains(text.as_str()) {
                    let problems = self.problems.len();
                    self.resolve_all(address, path, text, scan_template);
                    if self.problems.len() == problems {
                        self.resolved.insert(text);
                    }
                }
            }
            Value::Array(items) => {
                for item in items {
                    self.scan_templates(address, path, item);
                }
            }
            Value::Object(entries) => {
                for (key, item) in entries {
                    if key != COMMENT {
                        self.scan_templates(address, path, item);
                    }
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Resolves the references in a bare expression string (`depends_on` entries).
    fn scan_bare(&mut self, address: &str, path: &str, value: &'d Value) {
        if let Value::String(text) = value {
            self.resolve_all(address, path, text, scan_expression);
        }
    }

    /// Runs `scanner` (`scan_template` or `scan_expression`) over `text`, resolving every
    /// traversal it finds.
    fn resolve_all(
        &mut self,
        address: &str,
        path: &str,
        text: &'d str,
        scanner: fn(&'d str, usize, bool, &mut Scan<'d, '_>) -> usize,
    ) {
        let mut segments = std::mem::take(&mut self.segments);
        let mut found = |traversal: Traversal<'d, '_>| self.resolve(address, path, traversal);
        let mut scan = Scan {
            segments: &mut segments,
            found: &mut found,
        };
        scanner(text, 0, false, &mut scan);
        segments.clear();
        self.segments = segments;
    }

    fn resolve(&mut self, address: &str, path: &str, traversal: Traversal<'d, '_>) {
        let segments = traversal.segments;
        let first = match segments.first() {
            Some(Segment::Attr(name)) => *name,
            _ => return,
        };
        match traversal.root {
            root @ ("var" | "local" | "module") => {
                let (declared, noun) = match root {
                    "var" => (&self.variables, "variable"),
                    "local" => (&self.locals, "local value"),
                    _ => (&self.modules, "module"),
                };
                if declared.contains(first) {
                    return;
                }
                let hint = did_you_mean(suggest(first, declared.iter().copied()));
                self.push(
                    address,
                    path,
                    ProblemKind::UnresolvedReference,
                    format!("`{root}.{first}` refers to an undeclared {noun}{hint}"),
                );
            }
            "data" => {
                let Some(Segment::Attr(name)) = segments.get(1) else {
                    return;
                };
                let declared = self.data.contains(first, name);
                self.resolve_block(
                    address,
                    path,
                    TypeKind::Data,
                    first,
                    name,
                    declared,
                    segments.get(2..),
                );
            }
            root if root.starts_with(&self.type_prefix) => {
                let declared = self.resources.contains(root, first);
                self.resolve_block(
                    address,
                    path,
                    TypeKind::Resource,
                    root,
                    first,
                    declared,
                    segments.get(1..),
                );
            }
            _ => {}
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn resolve_block(
        &mut self,
        address: &str,
        path: &str,
        kind: TypeKind,
        ty: &str,
        name: &str,
        declared: bool,
        rest: Option<&[Segment<'d>]>,
    ) {
        // Built for messages only: most references resolve.
        let target = || match kind {
            TypeKind::Resource => format!("{ty}.{name}"),
            TypeKind::Data => format!("data.{ty}.{name}"),
        };
        if !declared {
            let target = target();
            let candidates: Vec<String> = match kind {
                TypeKind::Resource => self
                    .resources
                    .iter()
                    .map(|(t, n)| format!("{t}.{n}"))
                    .collect(),
                TypeKind::Data => self
                    .data
                    .iter()
                    .map(|(t, n)| format!("data.{t}.{n}"))
                    .collect(),
            };
            let hint = did_you_mean(suggest(&target, candidates.iter().map(String::as_str)));
            self.push(
                address,
                path,
                ProblemKind::UnresolvedReference,
                format!("`{target}` is not declared in this document{hint}"),
            );
            return;
        }
        // The first attribute after optional `[index]` / splat segments.
        let Some(attribute) = rest
            .unwrap_or_default()
            .iter()
            .find_map(|segment| match segment {
                Segment::Attr(name) => Some(*name),
                Segment::Index | Segment::Splat => None,
            })
        else {
            return;
        };
        let Lookup::Known(block) = self.lookup(kind, ty) else {
            return; // unknown or malformed types are reported at their declaration
        };
        if block.attributes.contains_key(attribute) || block.block_types.contains_key(attribute) {
            return;
        }
        let names = block.attributes.keys().chain(block.block_types.keys());
        let hint = did_you_mean(suggest(attribute, names.map(String::as_str)));
        let target = target();
        self.push(
            address,
            path,
            ProblemKind::UnresolvedReference,
            format!("`{target}.{attribute}`: `{ty}` has no attribute `{attribute}`{hint}"),
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// `prefix.name`, or `name` at the top of a body (without copying it: this runs for every key).
fn join<'a>(prefix: &str, name: &'a str) -> Cow<'a, str> {
    if prefix.is_empty() {
        Cow::Borrowed(name)
    } else {
        Cow::Owned(format!("{prefix}.{name}"))
    }
}

fn labeled_address(top: &str, labels: &[&str]) -> String {
    match (top, labels.is_empty()) {
        (_, true) => top.to_owned(),
        ("resource", false) => labels.join("."),
        _ => format!("{top}.{}", labels.join(".")),
    }
}

/// An object, or an array of objects (Terraform JSON's two spellings of blocks and label maps).
fn objects(value: &Value) -> Option<Vec<&Body>> {
    match value {
        Value::Object(object) => Some(vec![object]),
        Value::Array(items) => items
            .iter()
            .map(|item| match item {
                Value::Object(object) => Some(object),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a bool",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The JSON kind of a value, with the value itself when it is a short scalar.
fn describe(value: &Value) -> String {
    match value {
        Value::Bool(_) | Value::Number(_) => format!("{} ({value})", json_kind(value)),
        Value::String(s) if s.chars().count() <= 60 => format!("{} ({value})", json_kind(value)),
        _ => json_kind(value).to_owned(),
    }
}

/// Where a value sits inside an attribute, spelled out only for a problem: checking a value
/// must not build a path string for every map entry and list item.
#[derive(Clone, Copy)]
enum ValuePath<'a> {
    /// The attribute's path in the body, `site_config.app_settings`.
    Attribute(&'a str),
    /// `parent.key`
    Key(&'a ValuePath<'a>, &'a str),
    /// `parent[i]`
    Index(&'a ValuePath<'a>, usize),
}

impl fmt::Display for ValuePath<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ValuePath::Attribute(path) => f.write_str(path),
            ValuePath::Key(parent, key) => write!(f, "{parent}.{key}"),
            ValuePath::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// Whether a JSON string is a Terraform template with interpolations or directives.
fn is_template(text: &str) -> bool {
    text.contains("${") || text.contains("%{")
}

fn did_you_mean<S: AsRef<str>>(suggestion: Option<S>) -> String {
    match suggestion {
        Some(name) => format!("; did you mean `{}`?", name.as_ref()),
        None => String::new(),
    }
}

/// The closest candidate ([`Measure::Typos`](baas_model::suggest::Measure::Typos)): within a
/// third of the shorter name's length (at least 1 edit), case-insensitively.
fn suggest<'a>(name: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    suggest::suggestions(name, candidates, &Closeness::TYPOS)
        .into_iter()
        .next()
}

// ---------------------------------------------------------------------------------------------
// Expression scanning
// ---------------------------------------------------------------------------------------------

/// One step of a traversal after its root identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Segment<'a> {
    /// `.name`
    Attr(&'a str),
    /// `[expr]` or legacy `.0`
    Index,
    /// `[*]` or `.*`
    Splat,
}

/// An identifier chain such as `azurerm_storage_account.sa.identity[0].principal_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Traversal<'a, 'b> {
    root: &'a str,
    segments: &'b [Segment<'a>],
}

/// Where scanning reports the traversals it finds, as it finds them (nested ones first).
///
/// `segments` is scratch space: a traversal's segments are pushed above those of the traversal
/// it is nested in (`a.b[c.d].e`) and removed once reported, so a scan allocates nothing once
/// the buffer has grown. The checker scans every template string of a document.
struct Scan<'a, 'f> {
    segments: &'f mut Vec<Segment<'a>>,
    found: &'f mut dyn FnMut(Traversal<'a, '_>),
}

/// The references in a Terraform JSON string: the traversals in a template's interpolations
/// and directives, or (`bare`, as in `depends_on` entries) in one whole expression — the same
/// traversals the conformance check resolves. `found` gets each traversal's root and the names
/// of its leading `.name` steps (up to the first index or splat); nested traversals come first.
pub fn references<'a>(text: &'a str, bare: bool, found: &mut dyn FnMut(&'a str, &[&'a str])) {
    let mut segments = Vec::new();
    let mut names: Vec<&'a str> = Vec::new();
    let mut report = |traversal: Traversal<'a, '_>| {
        names.clear();
        names.extend(
            traversal
                .segments
                .iter()
                .map_while(|segment| match segment {
                    Segment::Attr(name) => Some(*name),
                    Segment::Index | Segment::Splat => None,
                }),
        );
        found(traversal.root, &names);
    };
    let mut scan = Scan {
        segments: &mut segments,
        found: &mut report,
    };
    if bare {
        scan_expression(text, 0, false, &mut scan);
    } else {
        scan_template(text, 0, false, &mut scan);
    }
}

/// Scans template text from `i`; in a quoted template (inside an expression) stops after the
/// closing quote. Returns the index where scanning stopped.
fn scan_template<'a>(text: &'a str, mut i: usize, quoted: bool, scan: &mut Scan<'a, '_>) -> usize {
    let bytes = text.as_bytes();
    while let Some(&c) = bytes.get(i) {
        let next = bytes.get(i + 1).copied();
        match c {
            b'"' if quoted => return i + 1,
            b'\\' if quoted => i += 2,
            b'$' | b'%' if next == Some(c) && bytes.get(i + 2) == Some(&b'{') => i += 3,
            b'$' | b'%' if next == Some(b'{') => i = scan_expression(text, i + 2, true, scan),
            _ => i += 1,
        }
    }
    i
}

/// Scans an expression from `i`. With `until_close`, stops after the bracket that closes the
/// enclosing `${`, `(` or `[`; otherwise scans to the end. Returns the index where it stopped.
fn scan_expression<'a>(
    text: &'a str,
    mut i: usize,
    until_close: bool,
    scan: &mut Scan<'a, '_>,
) -> usize {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    while let Some(&c) = bytes.get(i) {
        match c {
            b'{' | b'(' | b'[' => {
                depth += 1;
                i += 1;
            }
            b'}' | b')' | b']' => {
                i += 1;
                if depth == 0 {
                    if until_close {
                        return i;
                    }
                } else {
                    depth -= 1;
                }
            }
            b'"' => i = scan_template(text, i + 1, true, scan),
            b'0'..=b'9' => {
                while bytes
                    .get(i)
                    .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_' || *b == b'.')
                {
                    i += 1;
                }
            }
            c if is_ident_start(c) => {
                let after_dot = text
                    .get(..i)
                    .and_then(|before| before.trim_end().as_bytes().last())
                    == Some(&b'.');
                let base = scan.segments.len();
                let (root, next) = parse_traversal(text, i, scan);
                if let Some(root) = root {
                    let segments = scan.segments.get(base..).unwrap_or_default();
                    // A lone identifier (keyword, for-expression variable) refers to nothing here.
                    if !after_dot && !segments.is_empty() {
                        (scan.found)(Traversal { root, segments });
                    }
                }
                scan.segments.truncate(base);
                i = next;
            }
            _ => i += 1,
        }
    }
    i
}

fn is_ident_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_'
}

fn is_ident_continue(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

fn identifier(text: &str, start: usize) -> (&str, usize) {
    let bytes = text.as_bytes();
    let mut end = start;
    while bytes.get(end).copied().is_some_and(is_ident_continue) {
        end += 1;
    }
    (text.get(start..end).unwrap_or(""), end)
}

/// Parses the traversal starting at identifier `start`: returns its root, with its segments
/// pushed onto `scan.segments`. Function calls (`f(`, `provider::p::f(`) give `None`; their
/// arguments are left for the caller to scan.
fn parse_traversal<'a>(
    text: &'a str,
    start: usize,
    scan: &mut Scan<'a, '_>,
) -> (Option<&'a str>, usize) {
    let bytes = text.as_bytes();
    let (root, mut i) = identifier(text, start);
    if bytes.get(i) == Some(&b'(') {
        return (None, i);
    }
    if text.get(i..).is_some_and(|rest| rest.starts_with("::")) {
        while text.get(i..).is_some_and(|rest| rest.starts_with("::")) {
            i = identifier(text, i + 2).1;
        }
        return (None, i);
    }
    loop {
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(b'.'), Some(&c)) if is_ident_start(c) => {
                let (name, next) = identifier(text, i + 1);
                scan.segments.push(Segment::Attr(name));
                i = next;
            }
            (Some(b'.'), Some(c)) if c.is_ascii_digit() => {
                i += 1;
                while bytes.get(i).is_some_and(u8::is_ascii_digit) {
                    i += 1;
                }
                scan.segments.push(Segment::Index);
            }
            (Some(b'.'), Some(b'*')) => {
                scan.segments.push(Segment::Splat);
                i += 2;
            }
            (Some(b'['), Some(b'*')) if bytes.get(i + 2) == Some(&b']') => {
                scan.segments.push(Segment::Splat);
                i += 3;
            }
            (Some(b'['), _) => {
                // Traversals inside the index are reported (and their segments popped) before
                // this one's next segment is pushed.
                i = scan_expression(text, i + 1, true, scan);
                scan.segments.push(Segment::Index);
            }
            _ => break,
        }
    }
    (Some(root), i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(text: &str) -> Vec<String> {
        let mut roots = Vec::new();
        let mut segments = Vec::new();
        let mut found = |t: Traversal<'_, '_>| {
            let mut s = t.root.to_owned();
            for segment in t.segments {
                match segment {
                    Segment::Attr(name) => {
                        s.push('.');
                        s.push_str(name);
                    }
                    Segment::Index => s.push_str("[]"),
                    Segment::Splat => s.push_str("[*]"),
                }
            }
            roots.push(s);
        };
        let mut scan = Scan {
            segments: &mut segments,
            found: &mut found,
        };
        scan_template(text, 0, false, &mut scan);
        assert!(segments.is_empty(), "every traversal's segments are popped");
        roots
    }

    #[test]
    fn scans_interpolations() {
        assert_eq!(roots("plain text"), Vec::<String>::new());
        assert_eq!(roots("$${not.this}"), Vec::<String>::new());
        assert_eq!(
            roots("${azurerm_storage_account.sa.identity[0].principal_id}"),
            ["azurerm_storage_account.sa.identity[].principal_id"]
        );
        assert_eq!(
            roots("${azurerm_x.y.identity.0.principal_id}"),
            ["azurerm_x.y.identity[].principal_id"]
        );
        assert_eq!(
            roots("https://${format(\"%s-${var.name}\", local.prefix)}.example/${data.azurerm_client_config.current.tenant_id}"),
            ["var.name", "local.prefix", "data.azurerm_client_config.current.tenant_id"]
        );
        assert_eq!(
            roots("${azurerm_x.y[count.index].id} ${provider::azurerm::parse_resource_id(azurerm_x.z.id)}"),
            ["count.index", "azurerm_x.y[].id", "azurerm_x.z.id"]
        );
        assert_eq!(roots("${azurerm_x.y[*].id}"), ["azurerm_x.y[*].id"]);
        assert_eq!(roots("${1.5 + var.n}"), ["var.n"]);
        assert_eq!(roots("%{ if var.on }yes%{ endif }"), ["var.on"]);
    }

    #[test]
    fn suggestions_allow_a_third_of_the_name() {
        assert_eq!(
            suggest("acount_tier", ["account_kind", "account_tier"]),
            Some("account_tier")
        );
        assert_eq!(suggest("x", ["id"]), None);
    }

    /// The build script's stripped, pre-indexed form must hold exactly the schema of the file.
    #[test]
    fn the_embedded_form_matches_the_schema_file() {
        use std::io::Read;
        let gz = include_bytes!("../../../schemas/azurerm-4.55.0.schema.json.gz");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        let file = ProviderSchema::from_json(&text, AZURERM_PROVIDER_SOURCE).unwrap();
        let embedded = ProviderSchema::azurerm();
        assert_eq!(embedded.source, file.source);
        assert_eq!(embedded.local_name, file.local_name);
        assert_eq!(embedded.provider, file.provider);
        for (ours, theirs) in [
            (&embedded.resources, &file.resources),
            (&embedded.data_sources, &file.data_sources),
        ] {
            assert!(ours.names().eq(theirs.names()));
            for name in theirs.names() {
                let ours = ours.get(&embedded.text, name).unwrap().unwrap();
                let theirs = theirs.get(&file.text, name).unwrap().unwrap();
                assert!(ours == theirs, "the embedded schema of `{name}` differs");
            }
        }
        // The descriptions are gone: the embedded form is two thirds of the file.
        assert!(AZURERM_SCHEMAS.len() < text.len() * 3 / 4);
    }

    #[test]
    fn nested_value_problems_name_their_path() {
        let text = r#"{"format_version": "1.0", "provider_schemas": {"acme/t": {
            "resource_schemas": {"t_x": {"block": {"attributes": {
                "l": {"type": ["list", "number"], "optional": true},
                "m": {"type": ["map", "bool"], "optional": true},
                "o": {"type": ["object", {"a": "string", "b": ["list", "number"]}], "optional": true},
                "u": {"type": ["tuple", ["string", "number"]], "optional": true}
            }}}}}}}"#;
        let schema = ProviderSchema::from_json(text, "acme/t").unwrap();
        let document = serde_json::json!({"resource": {"t_x": {"y": {
            "l": [1, "x"],
            "m": {"k": "maybe"},
            "o": {"a": "s", "b": [1, {}], "c": 1},
            "u": ["s", "n"]
        }}}});
        let got: Vec<(String, String)> = schema
            .check_document(&document)
            .into_iter()
            .map(|p| (p.path, p.message))
            .collect();
        let want = [
            ("l[1]", "`l[1]` must be a number, found a string (\"x\")"),
            ("m.k", "`m.k` must be a bool, found a string (\"maybe\")"),
            ("o.b[1]", "`o.b[1]` must be a number, found an object"),
            (
                "o.c",
                "the object type of `o` has no attribute `c`; did you mean `a`?",
            ),
            ("u[1]", "`u[1]` must be a number, found a string (\"n\")"),
        ];
        let want: Vec<(String, String)> = want
            .iter()
            .map(|(p, m)| (p.to_string(), m.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn parses_cty_types() {
        let ty: CtyType = serde_json::from_str(
            r#"["list", ["object", {"a": "string", "b": ["set", "number"]}]]"#,
        )
        .unwrap();
        assert_eq!(ty.to_string(), "list of object");
        assert!(serde_json::from_str::<CtyType>(r#"["frob", "string"]"#).is_err());
    }
}
