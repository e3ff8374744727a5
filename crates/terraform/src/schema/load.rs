//! Loading a provider schema: the embedded azurerm schema (decompressed and indexed by
//! `build.rs`), `terraform providers schema -json` text, and the index of type schemas that are
//! parsed on first use.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Range;
use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::cty::{Block, SchemaEntry};
use super::{ProviderSchema, SchemaLoadError, AZURERM_PROVIDER_SOURCE};

/// The schema entries (`{"block": ...}`) of azurerm [`AZURERM_PROVIDER_VERSION`]'s provider
/// block, resource types and data sources, one per line, as `build.rs` writes them from
/// `schemas/azurerm-4.55.0.schema.json.gz`.
static AZURERM_SCHEMAS: &str = include_str!(concat!(env!("OUT_DIR"), "/azurerm.schemas.json"));

// `AZURERM_PROVIDER_ENTRY: (u32, u32)` and `AZURERM_RESOURCES` / `AZURERM_DATA_SOURCES:
// &[(&str, u32, u32)]`: byte ranges in `AZURERM_SCHEMAS`, by type name, sorted.
include!(concat!(env!("OUT_DIR"), "/azurerm.index.rs"));

impl ProviderSchema {
    /// The schema from the build script's pre-indexed form of the embedded file.
    pub(super) fn embedded() -> Result<ProviderSchema, SchemaLoadError> {
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

    /// [`ProviderSchema::from_json`] on owned text, which the schema keeps and parses types from.
    pub(super) fn from_text(
        text: String,
        provider_source: &str,
    ) -> Result<ProviderSchema, SchemaLoadError> {
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
pub(super) struct SchemaText(Cow<'static, str>);

impl fmt::Debug for SchemaText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SchemaText({} bytes)", self.0.len())
    }
}

/// Type schemas by name, as byte ranges of the schema text, parsed on first use.
pub(super) struct LazyTypes {
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
    pub(super) fn embedded(index: &'static [(&'static str, u32, u32)]) -> Self {
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

    pub(super) fn contains(&self, name: &str) -> bool {
        self.position(name).is_some()
    }

    pub(super) fn names(&self) -> impl Iterator<Item = &str> {
        self.index.iter().map(|(name, _)| name.as_ref())
    }

    /// `None` if there is no such type. `text` is the text the index points into.
    pub(super) fn get(&self, text: &SchemaText, name: &str) -> Option<Result<&Block, &str>> {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The build script's stripped, pre-indexed form must hold exactly the schema of the file.
    #[test]
    fn the_embedded_form_matches_the_schema_file() {
        use std::io::Read;
        let gz = include_bytes!("../../../../schemas/azurerm-4.55.0.schema.json.gz");
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
}
