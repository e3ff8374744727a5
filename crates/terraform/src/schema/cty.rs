//! The schema's own types: blocks, attributes, nested block types and cty type constraints,
//! as `terraform providers schema -json` writes them.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, PartialEq, Deserialize)]
pub(super) struct SchemaEntry {
    #[serde(default)]
    pub(super) block: Block,
}

#[derive(Debug, Default, PartialEq, Deserialize)]
pub(super) struct Block {
    #[serde(default)]
    pub(super) attributes: BTreeMap<String, Attribute>,
    #[serde(default)]
    pub(super) block_types: BTreeMap<String, BlockType>,
}

#[derive(Debug, PartialEq, Deserialize)]
pub(super) struct Attribute {
    /// Absent for protocol-6 `nested_type` attributes, which are checked as `dynamic`.
    #[serde(rename = "type", default)]
    pub(super) ty: CtyType,
    #[serde(default)]
    pub(super) required: bool,
    #[serde(default)]
    pub(super) optional: bool,
    #[serde(default)]
    pub(super) computed: bool,
}

impl Attribute {
    pub(super) fn computed_only(&self) -> bool {
        self.computed && !self.optional && !self.required
    }
}

#[derive(Debug, PartialEq, Deserialize)]
pub(super) struct BlockType {
    pub(super) nesting_mode: NestingMode,
    #[serde(default)]
    pub(super) min_items: usize,
    /// 0 means unlimited.
    #[serde(default)]
    pub(super) max_items: usize,
    #[serde(default)]
    pub(super) block: Block,
}

impl BlockType {
    pub(super) fn effective_max(&self) -> usize {
        match self.nesting_mode {
            NestingMode::Single | NestingMode::Group => 1,
            NestingMode::List | NestingMode::Set | NestingMode::Map => self.max_items,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum NestingMode {
    Single,
    Group,
    List,
    Set,
    Map,
}

/// A cty type constraint as serialized in provider schemas.
#[derive(Debug, Default, PartialEq, Deserialize)]
#[serde(try_from = "Value")]
pub(super) enum CtyType {
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

#[cfg(test)]
mod tests {
    use super::*;

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
