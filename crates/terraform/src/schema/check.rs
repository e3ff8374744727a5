//! The conformance check of a Terraform JSON root module against a provider schema and the
//! Terraform JSON syntax rules.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use baas_model::suggest::{self, Closeness};
use serde_json::{Map, Value};

use super::cty::{Attribute, Block, BlockType, CtyType, NestingMode};
use super::expr::{scan_expression, scan_template, Scan, Segment, Traversal};
use super::{
    ProblemKind, ProviderSchema, SchemaProblem, AZURERM_PROVIDER_SOURCE, AZURERM_PROVIDER_VERSION,
};
use crate::document::is_valid_name;

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
    moved: Vec<&'d Body>,
    removed: Vec<&'d Body>,
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

pub(super) struct Checker<'s, 'd> {
    schema: &'s ProviderSchema,
    /// `azurerm_`: resource types of this provider start with it.
    type_prefix: String,
    pub(super) problems: Vec<SchemaProblem>,
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
    pub(super) fn new(schema: &'s ProviderSchema) -> Self {
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

    pub(super) fn check_document(&mut self, document: &'d Value) {
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
        self.check_moved(&decls.moved);
        self.check_removed(&decls.removed);
    }

    // ----- moved and removed ----------------------------------------------------------------

    /// A `from` or `to` of a `moved` or `removed` block: a string naming a managed resource
    /// (`TYPE.NAME`) of this module. Reports the problem and returns `None` otherwise.
    fn refactoring_address(
        &mut self,
        block: &str,
        key: &str,
        body: &'d Body,
    ) -> Option<(&'d str, &'d str)> {
        let Some(value) = body.get(key) else {
            self.push(
                block,
                key,
                ProblemKind::MissingRequired,
                format!("a `{block}` block needs `{key}`"),
            );
            return None;
        };
        let parsed = value.as_str().and_then(|text| {
            let (ty, name) = text.split_once('.')?;
            (ty != "data" && is_valid_name(ty) && is_valid_name(name)).then_some((ty, name))
        });
        if parsed.is_none() {
            self.push(
                block,
                key,
                ProblemKind::Refactoring,
                format!("`{key}` of a `{block}` block must be a managed resource address `TYPE.NAME`, found {value}"),
            );
        }
        parsed
    }

    /// `moved`: from an address the module no longer declares to one it declares, of the same
    /// type (azurerm moves no state between types), each address in one block only.
    fn check_moved(&mut self, blocks: &[&'d Body]) {
        let mut froms: BTreeSet<(&str, &str)> = BTreeSet::new();
        let mut tos: BTreeSet<(&str, &str)> = BTreeSet::new();
        for &body in blocks {
            self.check_known_keys("moved", body, &["from", "to"], "a `moved` block");
            let from = self.refactoring_address("moved", "from", body);
            let to = self.refactoring_address("moved", "to", body);
            let (Some(from), Some(to)) = (from, to) else {
                continue;
            };
            let text = format!("`{}.{}` to `{}.{}`", from.0, from.1, to.0, to.1);
            if from.0 != to.0 {
                self.push(
                    "moved",
                    "to",
                    ProblemKind::Refactoring,
                    format!("moving {text} changes the resource type"),
                );
            }
            if self.resources.contains(from.0, from.1) {
                self.push(
                    "moved",
                    "from",
                    ProblemKind::Refactoring,
                    format!("moving {text}: `{}.{}` is still declared", from.0, from.1),
                );
            }
            if !self.resources.contains(to.0, to.1) {
                self.push(
                    "moved",
                    "to",
                    ProblemKind::UnresolvedReference,
                    format!("moving {text}: `{}.{}` is not declared", to.0, to.1),
                );
            }
            if !froms.insert(from) || !tos.insert(to) {
                self.push(
                    "moved",
                    "",
                    ProblemKind::Refactoring,
                    format!("moving {text}: another `moved` block moves the same address"),
                );
            }
        }
        for to in &tos {
            if froms.contains(to) {
                self.push(
                    "moved",
                    "",
                    ProblemKind::Refactoring,
                    format!(
                        "`{}.{}` is moved to and from: chained moves are not written",
                        to.0, to.1
                    ),
                );
            }
        }
    }

    /// `removed`: a resource the module no longer declares, with `lifecycle.destroy` a boolean.
    fn check_removed(&mut self, blocks: &[&'d Body]) {
        for &body in blocks {
            self.check_known_keys(
                "removed",
                body,
                &["from", "lifecycle", "provisioner", "connection"],
                "a `removed` block",
            );
            if let Some((ty, name)) = self.refactoring_address("removed", "from", body) {
                if self.resources.contains(ty, name) {
                    self.push(
                        "removed",
                        "from",
                        ProblemKind::Refactoring,
                        format!("`{ty}.{name}` is removed but still declared"),
                    );
                }
            }
            let lifecycle = match body.get("lifecycle") {
                Some(Value::Array(items)) if items.len() == 1 => items.first(),
                other => other,
            };
            match lifecycle {
                None => {}
                Some(Value::Object(lifecycle)) => {
                    self.check_known_keys(
                        "removed",
                        lifecycle,
                        &["destroy"],
                        "a `removed` block's `lifecycle`",
                    );
                    if lifecycle.get("destroy").is_some_and(|d| !d.is_boolean()) {
                        self.push(
                            "removed",
                            "lifecycle.destroy",
                            ProblemKind::WrongType,
                            "`lifecycle.destroy` must be a boolean".to_owned(),
                        );
                    }
                }
                Some(other) => self.push(
                    "removed",
                    "lifecycle",
                    ProblemKind::BlockShape,
                    format!("`lifecycle` must be an object, found {}", json_kind(other)),
                ),
            }
        }
    }

    /// Gathers the document's blocks, reporting unknown top-level keys and malformed nesting.
    fn collect(&mut self, top: &'d Body) -> Declarations<'d> {
        let mut decls = Declarations::default();
        for (key, value) in top {
            match key.as_str() {
                COMMENT => {}
                "moved" | "removed" => {
                    for (_, body) in self.labeled(key, value, 0) {
                        if key == "moved" {
                            decls.moved.push(body);
                        } else {
                            decls.removed.push(body);
                        }
                    }
                }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_allow_a_third_of_the_name() {
        assert_eq!(
            suggest("acount_tier", ["account_kind", "account_tier"]),
            Some("account_tier")
        );
        assert_eq!(suggest("x", ["id"]), None);
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
}
