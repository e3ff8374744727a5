//! What a change to a resource does in Azure: which attributes force the azurerm provider to
//! replace it (destroy, then create), and which resource types hold data that a replacement
//! or removal destroys. `baas diff` asks both; the data-holding flag of a [`Block`] drives
//! `lifecycle.prevent_destroy` in synth.
//!
//! The ForceNew table (`data/forcenew.tsv`) is generated from the azurerm provider's source at
//! v4.55.0 by `scripts/forcenew.py` (how, and what it cannot see, is in the script's doc);
//! it is embedded here and parsed on first use.
//!
//! [`Block`]: crate::context::Block

use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The generated table: `type <TAB> path <TAB> condition <TAB> source`, `#` comments.
pub const FORCENEW_TSV: &str = include_str!("../data/forcenew.tsv");

/// The azurerm version the table was read from.
pub const FORCENEW_VERSION: &str = "v4.55.0";

/// Resource types of baas's built-in providers whose removal or replacement destroys data
/// users put there: Cosmos DB accounts, databases and containers, and Service Bus namespaces
/// and their entities (messages in flight). The function host's and static sites' storage
/// accounts are not here: they hold rebuildable state and build output (README, checkov
/// CKV_AZURE_206). A custom provider marks its own blocks (`Block::holds_data`).
pub const DATA_TYPES: &[&str] = &[
    "azurerm_cosmosdb_account",
    "azurerm_cosmosdb_sql_container",
    "azurerm_cosmosdb_sql_database",
    "azurerm_servicebus_namespace",
    "azurerm_servicebus_queue",
    "azurerm_servicebus_subscription",
    "azurerm_servicebus_topic",
];

/// Whether resources of this type hold data (see [`DATA_TYPES`]).
pub fn holds_data(resource_type: &str) -> bool {
    DATA_TYPES.contains(&resource_type)
}

/// When a change of one attribute forces replacement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// `ForceNew: true`: any change.
    Always,
    /// A `CustomizeDiff` rule: the old value is one of `old` (any when `None`) and the new
    /// one of `new` (any when `None`), compared without case.
    Between {
        old: Option<Vec<&'static str>>,
        new: Option<Vec<&'static str>>,
    },
    /// The old or the new value is this one (Service Bus: to or from Premium).
    Either(&'static str),
    /// The attribute (a block) is removed.
    Removed,
    /// Any change, decided in a `CustomizeDiff` rather than the schema (Terraform shows it
    /// like `Always`).
    Changed,
    /// A `CustomizeDiff` the generator could not read: the change may force replacement.
    Unknown,
}

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForceNew {
    /// Nested blocks joined by dots, without indices: `identity.type`.
    pub path: &'static str,
    pub condition: Condition,
    /// Where in the provider source the rule was read (a file, or `file:line`).
    pub source: &'static str,
}

/// What a change of one attribute does to its resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Updated in place.
    InPlace,
    /// The provider replaces the resource: the rule that says so.
    Replaces(&'static ForceNew),
    /// A rule the table cannot evaluate may force replacement.
    MayReplace(&'static ForceNew),
    /// The resource type is not in the table (a custom template's, say): any change may
    /// force replacement.
    UnknownType,
}

/// The table, by resource type. A type with no ForceNew attribute is present with no rows,
/// so `knows` tells a type read from the source from one the generator never saw.
#[derive(Debug)]
pub struct ForceNewTable {
    types: BTreeMap<&'static str, Vec<ForceNew>>,
}

/// The embedded table.
pub fn forcenew_table() -> &'static ForceNewTable {
    static TABLE: OnceLock<ForceNewTable> = OnceLock::new();
    TABLE.get_or_init(|| ForceNewTable::parse(FORCENEW_TSV))
}

impl ForceNewTable {
    /// Parses the generated text. Rows the generator cannot have written (a wrong column
    /// count, an unknown condition) panic: the table is checked in and tested.
    pub fn parse(text: &'static str) -> ForceNewTable {
        let mut types: BTreeMap<&'static str, Vec<ForceNew>> = BTreeMap::new();
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let columns: Vec<&'static str> = line.split('\t').collect();
            let [resource_type, path, condition, source] = columns[..] else {
                panic!("forcenew.tsv: not four columns: {line}");
            };
            let rows = types.entry(resource_type).or_default();
            if condition == "none" {
                continue;
            }
            rows.push(ForceNew {
                path,
                condition: parse_condition(condition)
                    .unwrap_or_else(|| panic!("forcenew.tsv: unknown condition: {line}")),
                source,
            });
        }
        ForceNewTable { types }
    }

    /// Whether the generator read this resource type.
    pub fn knows(&self, resource_type: &str) -> bool {
        self.types.contains_key(resource_type)
    }

    /// Every resource type in the table.
    pub fn types(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.types.keys().copied()
    }

    /// The rows of one type.
    pub fn rows(&self, resource_type: &str) -> &[ForceNew] {
        self.types.get(resource_type).map_or(&[], Vec::as_slice)
    }

    /// What changing the attribute at `path` (dots, indices already removed) from `old` to
    /// `new` (`None`: absent) does. A rule on the path or on a block that holds it applies; a
    /// replacing rule wins over a possible one.
    pub fn effect(
        &'static self,
        resource_type: &str,
        path: &str,
        old: Option<&Value>,
        new: Option<&Value>,
    ) -> Effect {
        if !self.knows(resource_type) {
            return Effect::UnknownType;
        }
        let mut effect = Effect::InPlace;
        for rule in self.rows(resource_type) {
            if !covers(rule.path, path) {
                continue;
            }
            // A condition reads the rule's own attribute; below it (a field of a block) only
            // `Always` and `Unknown` can be judged.
            let exact = path == rule.path;
            match rule.condition.applies(old, new, exact) {
                Some(true) => return Effect::Replaces(rule),
                None => effect = Effect::MayReplace(rule),
                Some(false) => {}
            }
        }
        effect
    }

    /// What an attribute whose value becomes known only after apply (it refers to a resource
    /// that is replaced) does: Terraform replaces on any unknown ForceNew value; a rule the
    /// table cannot evaluate may replace; rules that compare values are left alone.
    pub fn effect_of_unknown(&'static self, resource_type: &str, path: &str) -> Effect {
        if !self.knows(resource_type) {
            return Effect::UnknownType;
        }
        let mut effect = Effect::InPlace;
        for rule in self.rows(resource_type) {
            if !covers(rule.path, path) {
                continue;
            }
            match rule.condition {
                Condition::Always | Condition::Changed => return Effect::Replaces(rule),
                Condition::Unknown => effect = Effect::MayReplace(rule),
                _ => {}
            }
        }
        effect
    }
}

/// Whether a rule on `rule_path` covers the attribute at `path`: the same, or a block above it.
fn covers(rule_path: &str, path: &str) -> bool {
    path == rule_path
        || (path.starts_with(rule_path) && path.as_bytes().get(rule_path.len()) == Some(&b'.'))
}

impl Condition {
    /// `Some(true)` replaces, `Some(false)` does not, `None` cannot tell.
    fn applies(&self, old: Option<&Value>, new: Option<&Value>, exact: bool) -> Option<bool> {
        let text = |v: Option<&Value>| match v {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None => None,
            Some(other) => Some(other.to_string()),
        };
        let is_one_of = |value: &Option<String>, set: &Option<Vec<&str>>| match set {
            None => true,
            Some(set) => value
                .as_ref()
                .is_some_and(|v| set.iter().any(|s| s.eq_ignore_ascii_case(v))),
        };
        match self {
            Condition::Always | Condition::Changed => Some(true),
            Condition::Unknown => None,
            _ if !exact => None,
            Condition::Between { old: o, new: n } => {
                Some(is_one_of(&text(old), o) && is_one_of(&text(new), n))
            }
            Condition::Either(value) => Some(
                [text(old), text(new)]
                    .iter()
                    .flatten()
                    .any(|v| v.eq_ignore_ascii_case(value)),
            ),
            Condition::Removed => Some(old.is_some() && new.is_none()),
        }
    }
}

fn parse_condition(text: &'static str) -> Option<Condition> {
    Some(match text {
        "always" => Condition::Always,
        "unknown" => Condition::Unknown,
        "removed" => Condition::Removed,
        "changed" => Condition::Changed,
        _ => {
            if let Some(value) = text.strip_prefix("either=") {
                return Some(Condition::Either(value));
            }
            let (mut old, mut new) = (None, None);
            for part in text.split(';') {
                let (side, values) = part.split_once('=')?;
                let values = Some(values.split('|').collect());
                match side {
                    "old" => old = values,
                    "new" => new = values,
                    _ => return None,
                }
            }
            Condition::Between { old, new }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_embedded_table_parses_and_knows_the_data_types() {
        let table = forcenew_table();
        for resource_type in DATA_TYPES {
            assert!(table.knows(resource_type), "{resource_type}");
        }
    }

    #[test]
    fn a_partition_key_path_forces_replacement_and_a_ttl_does_not() {
        let table = forcenew_table();
        let container = "azurerm_cosmosdb_sql_container";
        let (a, b) = (json!("/id"), json!("/tenantId"));
        assert!(matches!(
            table.effect(container, "partition_key_paths", Some(&a), Some(&b)),
            Effect::Replaces(rule) if rule.condition == Condition::Always
        ));
        let (a, b) = (json!(60), json!(120));
        assert_eq!(
            table.effect(container, "default_ttl", Some(&a), Some(&b)),
            Effect::InPlace
        );
    }

    #[test]
    fn service_bus_replaces_only_to_or_from_premium() {
        let table = forcenew_table();
        let ns = "azurerm_servicebus_namespace";
        let (premium, standard, basic) = (json!("Premium"), json!("Standard"), json!("Basic"));
        assert!(matches!(
            table.effect(ns, "sku", Some(&premium), Some(&standard)),
            Effect::Replaces(_)
        ));
        assert_eq!(
            table.effect(ns, "sku", Some(&standard), Some(&basic)),
            Effect::InPlace
        );
    }

    #[test]
    fn a_field_under_a_forcenew_block_replaces() {
        let table = forcenew_table();
        let v = json!(["/a"]);
        assert!(matches!(
            table.effect(
                "azurerm_cosmosdb_sql_container",
                "unique_key.paths",
                None,
                Some(&v)
            ),
            Effect::Replaces(_)
        ));
    }

    /// Every resource type the providers name is in the table (a type read only as a data
    /// source, such as `azurerm_dns_zone`, has no ForceNew attributes to know), so a resource
    /// a provider starts to write cannot go without its rows: regenerate the table with
    /// `scripts/forcenew.py`.
    #[test]
    fn every_resource_type_a_provider_names_is_in_the_table() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = vec![src.clone()];
        let mut named = std::collections::BTreeSet::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") || path.ends_with("lifecycle.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (at, _) in text.match_indices("\"azurerm_") {
                let name: String = text[at + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_')
                    .collect();
                named.insert(name);
            }
        }
        let data_sources_only = ["azurerm_dns_zone"];
        let missing: Vec<&String> = named
            .iter()
            .filter(|t| !forcenew_table().knows(t) && !data_sources_only.contains(&t.as_str()))
            .collect();
        assert!(named.len() > 30, "{named:?}");
        assert!(missing.is_empty(), "not in data/forcenew.tsv: {missing:?}");
    }

    #[test]
    fn a_type_outside_the_table_may_be_replaced_by_any_change() {
        let (a, b) = (json!(1), json!(2));
        assert_eq!(
            forcenew_table().effect("azurerm_not_a_type", "x", Some(&a), Some(&b)),
            Effect::UnknownType
        );
    }

    #[test]
    fn conditions_parse() {
        assert_eq!(
            parse_condition("old=LRS|GRS;new=ZRS"),
            Some(Condition::Between {
                old: Some(vec!["LRS", "GRS"]),
                new: Some(vec!["ZRS"])
            })
        );
        assert_eq!(
            parse_condition("either=Premium"),
            Some(Condition::Either("Premium"))
        );
        assert_eq!(parse_condition("sometimes"), None);
    }
}
