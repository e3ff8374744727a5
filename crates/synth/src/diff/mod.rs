//! `baas diff`: what applying a fresh synth would change, compared with the committed output.
//!
//! Pure: the CLI reads the committed folder and synthesizes; this module compares the two sets
//! of files (relative path -> contents). Stacks (`<stack>/main.tf.json`) are compared resource
//! by resource and attribute by attribute; every other file only as added, removed or changed.
//!
//! A changed attribute that the azurerm provider marks ForceNew (the table in
//! `baas_providers::lifecycle`, generated from the provider's source) replaces its resource.
//! A replacement changes every attribute of the resource (Terraform plans them as known after
//! apply), and an in-place change changes the attribute it changes: resources whose unchanged
//! text refers to either are changed too, and replaced when the referring attribute is ForceNew
//! (a resource group renamed by a new naming template replaces everything in it). Removing or
//! replacing a resource that holds data is data loss, reported first.

mod compare;
pub mod render;

use baas_providers::lifecycle::{self, Effect, ForceNewTable};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

/// The manifest's file name in the output folder.
const MANIFEST: &str = "baas.manifest.json";

/// The whole comparison. Every list is sorted; stacks and files without changes are left out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    /// The baas versions in the committed and the new manifest (an upgrade is a change too).
    pub baas_version: Versions,
    pub stacks: Vec<StackDiff>,
    /// Files other than stacks: the manifest and the function app projects.
    pub files: Vec<FileChange>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Versions {
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct StackDiff {
    pub name: String,
    pub status: Status,
    /// Sorted by address.
    pub items: Vec<ItemChange>,
}

/// Whether a stack or file is new, gone or different.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Added,
    Removed,
    Changed,
    /// In the committed folder but not a regular file (a symbolic link, which is never
    /// followed, a device) or an empty folder: synth would remove it.
    Foreign,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FileChange {
    pub path: String,
    pub status: Status,
}

/// What a stack's top-level entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ItemKind {
    Resource,
    /// A data source: read, never created or destroyed.
    Data,
    Output,
    /// `provider`, `terraform` and any other top-level setting.
    Setting,
}

/// One resource (or data source, output, setting) that differs.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemChange {
    /// `TYPE.NAME`, `data.TYPE.NAME`, `output.NAME`, or the setting's key.
    pub address: String,
    pub kind: ItemKind,
    /// The resource or data source type (empty for outputs and settings).
    pub resource_type: String,
    pub action: Action,
    /// Removing or replacing it destroys data (`lifecycle::holds_data`, or a committed or new
    /// block with `lifecycle.prevent_destroy`).
    pub holds_data: bool,
    /// Sorted by path.
    pub changes: Vec<AttributeChange>,
    /// The committed address of a resource that a `moved` block of the new stack moves here
    /// (a renamed component): compared with what was there, not added.
    pub moved_from: Option<String>,
    /// A `moved` block of the new stack names this resource as its `to`, but the committed
    /// stack holds nothing at its `from` (this address): the resource is created, not moved.
    /// Right for a stack deployed for the first time; after a rename, `renamed_from` names a
    /// key the committed output never had.
    pub nothing_to_move: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    Added,
    Removed,
    /// Updated in place.
    Changed,
    /// A CustomizeDiff rule the table cannot evaluate may replace it.
    MayBeReplaced,
    /// Destroyed and created again.
    Replaced,
    /// Only its address changes (a `moved` block); `moved_from` says from where. A moved
    /// resource whose body changes too takes the action of that change, `moved_from` set.
    Moved,
    /// No longer managed but not destroyed (a `removed` block with `lifecycle.destroy =
    /// false`): a foundation that is existing now, read by a data source.
    Forgotten,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AttributeChange {
    /// Dots between keys, `[n]` for list items: `site_config.application_stack[0].node_version`.
    pub path: String,
    /// `None`: absent on that side.
    pub old: Option<Value>,
    pub new: Option<Value>,
    pub effect: ChangeEffect,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ChangeEffect {
    InPlace,
    /// A ForceNew attribute: the rule's path and where the provider source says so.
    Replaces {
        rule: String,
        source: String,
    },
    MayReplace {
        rule: String,
        source: String,
    },
    /// The resource type is not in the ForceNew table: any change may replace it.
    UnknownType,
    /// The text is the same, but it refers to `target`, which changes: the value is known only
    /// after apply, and what that does to this resource.
    Follows {
        target: String,
        replaces: Replaces,
    },
}

/// Whether a value known only after apply replaces the resource that holds it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replaces {
    No,
    /// A rule the table cannot evaluate covers it.
    Maybe,
    Yes,
}

impl ItemChange {
    /// Removed or replaced (or possibly replaced) while it holds data.
    pub fn loses_data(&self) -> bool {
        self.holds_data
            && matches!(
                self.action,
                Action::Removed | Action::Replaced | Action::MayBeReplaced
            )
    }
}

impl Diff {
    /// Adds what the committed folder holds besides regular files (found by the caller, which
    /// reads the folder), keeping `files` sorted.
    pub fn add_foreign(&mut self, paths: impl IntoIterator<Item = String>) {
        self.files.extend(paths.into_iter().map(|path| FileChange {
            path,
            status: Status::Foreign,
        }));
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn is_empty(&self) -> bool {
        self.stacks.is_empty()
            && self.files.is_empty()
            && self.baas_version.old == self.baas_version.new
    }

    /// Every `(stack, item)` that loses data, in stack and address order.
    pub fn data_loss(&self) -> impl Iterator<Item = (&str, &ItemChange)> {
        self.stacks.iter().flat_map(|s| {
            s.items
                .iter()
                .filter(|i| i.loses_data())
                .map(move |i| (s.name.as_str(), i))
        })
    }

    /// How many items take each action, over every stack.
    pub fn count(&self, action: Action) -> usize {
        self.stacks
            .iter()
            .flat_map(|s| &s.items)
            .filter(|i| i.action == action)
            .count()
    }
}

/// A committed file that cannot be compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub path: String,
    pub reason: String,
}

/// Compares the committed files (`old`) with a fresh synth's (`new`).
pub fn diff(
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
) -> Result<Diff, Unreadable> {
    let table = lifecycle::forcenew_table();
    let mut result = Diff {
        baas_version: Versions {
            old: old.get(MANIFEST).and_then(|m| manifest_version(m)),
            new: new.get(MANIFEST).and_then(|m| manifest_version(m)),
        },
        ..Diff::default()
    };
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut stacks = Vec::new();
    for path in paths {
        let (before, after) = (old.get(path), new.get(path));
        if before == after {
            continue;
        }
        let status = match (before, after) {
            (None, _) => Status::Added,
            (_, None) => Status::Removed,
            _ => Status::Changed,
        };
        match stack_name(path) {
            Some(stack) => stacks.push((path, stack, status, before, after)),
            None => result.files.push(FileChange {
                path: path.clone(),
                status,
            }),
        }
    }
    // Stacks are independent: each is parsed and compared on its own core (a region's stack
    // of 1,000 components is a megabyte of JSON on each side). Results come back in order.
    let compared = crate::parallel::map(stacks.len(), crate::parallel::cores(), |index| {
        let (path, stack, status, before, after) = stacks[index];
        let parse = |text: Option<&String>| -> Result<Value, Unreadable> {
            match text {
                None => Ok(Value::Object(serde_json::Map::new())),
                Some(text) => serde_json::from_str(text).map_err(|e| Unreadable {
                    path: path.clone(),
                    reason: format!("it is not a Terraform JSON stack: {e}"),
                }),
            }
        };
        let items = stack_diff(table, &parse(before)?, &parse(after)?);
        if items.is_empty() && status == Status::Changed {
            // The same resources written differently (a hand-formatted file).
            return Ok(None);
        }
        Ok(Some(StackDiff {
            name: stack.to_owned(),
            status,
            items,
        }))
    });
    for stack in compared {
        result.stacks.extend(stack?);
    }
    Ok(result)
}

/// `main` for `main/main.tf.json`.
fn stack_name(path: &str) -> Option<&str> {
    let (stack, file) = path.split_once('/')?;
    (file == "main.tf.json" && !stack.is_empty()).then_some(stack)
}

/// The manifest's `baas_version`, read as text: the writer puts it on a line of its own, and
/// parsing a manifest of 1,000 components only for it would cost more than the rest of an
/// identical diff. A hand-edited manifest that hides it has no version.
fn manifest_version(text: &str) -> Option<String> {
    let key = "\n  \"baas_version\": \"";
    let start = text.find(key)? + key.len();
    let length = text[start..].find('"')?;
    let version = &text[start..start + length];
    (!version.contains('\\')).then(|| version.to_owned())
}

/// One entry of a stack: kind, type and body.
struct Entry<'a> {
    kind: ItemKind,
    resource_type: &'a str,
    body: &'a Value,
}

/// The stack's entries by address.
fn entries(stack: &Value) -> BTreeMap<String, Entry<'_>> {
    let mut found = BTreeMap::new();
    let Some(top) = stack.as_object() else {
        return found;
    };
    for (key, value) in top {
        match key.as_str() {
            "resource" | "data" => {
                let kind = if key == "data" {
                    ItemKind::Data
                } else {
                    ItemKind::Resource
                };
                for (resource_type, named) in value.as_object().into_iter().flatten() {
                    for (name, body) in named.as_object().into_iter().flatten() {
                        let address = if kind == ItemKind::Data {
                            format!("data.{resource_type}.{name}")
                        } else {
                            format!("{resource_type}.{name}")
                        };
                        found.insert(
                            address,
                            Entry {
                                kind,
                                resource_type,
                                body,
                            },
                        );
                    }
                }
            }
            "output" => {
                for (name, body) in value.as_object().into_iter().flatten() {
                    found.insert(
                        format!("output.{name}"),
                        Entry {
                            kind: ItemKind::Output,
                            resource_type: "",
                            body,
                        },
                    );
                }
            }
            // What they do shows on the resources they move or forget.
            "moved" | "removed" => {}
            _ => {
                found.insert(
                    key.clone(),
                    Entry {
                        kind: ItemKind::Setting,
                        resource_type: "",
                        body: value,
                    },
                );
            }
        }
    }
    found
}

/// Keys of a resource that tell Terraform how to manage it rather than what Azure holds:
/// changing them never replaces anything.
const META: &[&str] = &[
    "count",
    "depends_on",
    "for_each",
    "lifecycle",
    "provider",
    "timeouts",
];

fn stack_diff(table: &'static ForceNewTable, old: &Value, new: &Value) -> Vec<ItemChange> {
    let refactoring = Refactoring::of(old, new);
    // The committed stack as the new one refers to it: references to a moved resource (or to
    // a forgotten one whose data source reads the same name) are the same references.
    let renamed;
    let old = if refactoring.renames.is_empty() {
        old
    } else {
        renamed = rename_references(old, &refactoring.renames);
        &renamed
    };
    let (mut before, after) = (entries(old), entries(new));
    let mut moved_from: BTreeMap<String, String> = BTreeMap::new();
    let mut nothing_to_move: BTreeMap<String, String> = BTreeMap::new();
    for (from, to) in &refactoring.moved {
        if after.contains_key(to) && !before.contains_key(to) && !after.contains_key(from) {
            match before.remove(from) {
                Some(entry) => {
                    before.insert(to.clone(), entry);
                    moved_from.insert(to.clone(), from.clone());
                }
                None => {
                    nothing_to_move.insert(to.clone(), from.clone());
                }
            }
        }
    }
    let mut items: BTreeMap<String, ItemChange> = BTreeMap::new();
    let addresses: BTreeSet<&String> = before.keys().chain(after.keys()).collect();
    for address in addresses {
        let (b, a) = (before.get(address), after.get(address));
        let entry = a.or(b).expect("the address came from one side");
        let holds_data = entry.kind == ItemKind::Resource
            && (lifecycle::holds_data(entry.resource_type)
                || b.is_some_and(|e| prevents_destroy(e.body))
                || a.is_some_and(|e| prevents_destroy(e.body)));
        let mut item = ItemChange {
            address: address.clone(),
            kind: entry.kind,
            resource_type: entry.resource_type.to_owned(),
            action: Action::Changed,
            holds_data,
            changes: Vec::new(),
            moved_from: moved_from.get(address).cloned(),
            nothing_to_move: nothing_to_move.get(address).cloned(),
        };
        match (b, a) {
            (None, Some(_)) => item.action = Action::Added,
            (Some(_), None) if refactoring.forgotten.contains(address) => {
                item.action = Action::Forgotten;
            }
            (Some(_), None) => item.action = Action::Removed,
            (Some(b), Some(a)) => {
                if b.body == a.body {
                    if item.moved_from.is_some() {
                        item.action = Action::Moved;
                        items.insert(address.clone(), item);
                    }
                    continue;
                }
                let mut leaves = Vec::new();
                compare::values(&mut String::new(), Some(b.body), Some(a.body), &mut leaves);
                for (path, old, new) in leaves {
                    let effect = if entry.kind == ItemKind::Resource && !is_meta(&path) {
                        effect_of(table.effect(
                            entry.resource_type,
                            &compare::schema_path(&path),
                            old.as_ref(),
                            new.as_ref(),
                        ))
                    } else {
                        ChangeEffect::InPlace
                    };
                    item.changes.push(AttributeChange {
                        path,
                        old,
                        new,
                        effect,
                    });
                }
                item.action = action_of(&item.changes);
            }
            (None, None) => unreachable!("the address came from one side"),
        }
        items.insert(address.clone(), item);
    }
    follow_references(table, &after, &mut items);
    items.into_values().collect()
}

/// What the new stack's `moved` and `removed` blocks say.
#[derive(Default)]
struct Refactoring {
    /// `(from, to)` addresses.
    moved: Vec<(String, String)>,
    /// Addresses forgotten without being destroyed (`lifecycle.destroy = false`).
    forgotten: BTreeSet<String>,
    /// `(old, new)` reference roots: each move, and each forgotten resource that a data
    /// source of the same address and the same `name` now reads (a resource group switched
    /// to existing is the same group).
    renames: Vec<(String, String)>,
}

impl Refactoring {
    fn of(old: &Value, new: &Value) -> Refactoring {
        let mut found = Refactoring::default();
        let blocks = |key: &str| -> Vec<&serde_json::Map<String, Value>> {
            match new.get(key) {
                Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
                Some(Value::Object(one)) => vec![one],
                _ => Vec::new(),
            }
        };
        for block in blocks("moved") {
            if let (Some(Value::String(from)), Some(Value::String(to))) =
                (block.get("from"), block.get("to"))
            {
                found.moved.push((from.clone(), to.clone()));
                found.renames.push((from.clone(), to.clone()));
            }
        }
        for block in blocks("removed") {
            let Some(Value::String(from)) = block.get("from") else {
                continue;
            };
            let lifecycle = match block.get("lifecycle") {
                Some(Value::Array(items)) => items.first(),
                other => other,
            };
            let keeps = lifecycle
                .and_then(|l| l.get("destroy"))
                .is_some_and(|d| d == &Value::Bool(false));
            if !keeps {
                continue;
            }
            found.forgotten.insert(from.clone());
            let name = |stack: &Value, kind: &str| -> Option<Value> {
                let (resource_type, label) = from.split_once('.')?;
                stack
                    .get(kind)?
                    .get(resource_type)?
                    .get(label)?
                    .get("name")
                    .cloned()
            };
            if let (Some(was), Some(now)) = (name(old, "resource"), name(new, "data")) {
                if was == now {
                    found.renames.push((from.clone(), format!("data.{from}")));
                }
            }
        }
        if !found.moved.is_empty() {
            found.renames.extend(same_reads(old, new));
        }
        found
    }
}

/// `(data.T.old, data.T.new)` for each data source that only the committed stack declares and
/// that one data source of the new stack, of the same type, declares with the same body: a
/// data source keyed by a renamed component reads the same object under its new address, and
/// Terraform reads it at plan time, so what refers to it sees the same values.
fn same_reads(old: &Value, new: &Value) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    let (Some(before), Some(after)) = (
        old.get("data").and_then(Value::as_object),
        new.get("data").and_then(Value::as_object),
    ) else {
        return pairs;
    };
    for (resource_type, blocks) in before {
        let (Some(blocks), Some(now)) = (
            blocks.as_object(),
            after.get(resource_type).and_then(Value::as_object),
        ) else {
            continue;
        };
        for (name, body) in blocks {
            if now.contains_key(name) {
                continue;
            }
            let mut same = now
                .iter()
                .filter(|(other, b)| !blocks.contains_key(*other) && *b == body);
            if let (Some((other, _)), None) = (same.next(), same.next()) {
                pairs.push((
                    format!("data.{resource_type}.{name}"),
                    format!("data.{resource_type}.{other}"),
                ));
            }
        }
    }
    pairs
}

/// `stack` with every reference to an old address in `renames` written with the new one.
fn rename_references(stack: &Value, renames: &[(String, String)]) -> Value {
    match stack {
        Value::String(text) => Value::String(rename_in(text, renames)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| rename_references(item, renames))
                .collect(),
        ),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, value)| (key.clone(), rename_references(value, renames)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// `text` with each whole reference root `old` (not part of a longer name or of `data.old`)
/// replaced by `new`.
fn rename_in(text: &str, renames: &[(String, String)]) -> String {
    let is_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
    let mut text = text.to_owned();
    for (old, new) in renames {
        if !text.contains(old.as_str()) {
            continue;
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text.as_str();
        while let Some(at) = rest.find(old.as_str()) {
            let before = if at > 0 {
                rest[..at].chars().last()
            } else {
                out.chars().last()
            };
            let after = rest[at + old.len()..].chars().next();
            let whole =
                !before.is_some_and(|c| is_name(c) || c == '.') && !after.is_some_and(is_name);
            out.push_str(&rest[..at]);
            out.push_str(if whole { new } else { old });
            rest = &rest[at + old.len()..];
        }
        out.push_str(rest);
        text = out;
    }
    text
}

fn prevents_destroy(body: &Value) -> bool {
    let lifecycle = body.get("lifecycle");
    let lifecycle = match lifecycle {
        Some(Value::Array(list)) => list.first(),
        other => other,
    };
    lifecycle
        .and_then(|l| l.get("prevent_destroy"))
        .is_some_and(|p| p == &Value::Bool(true))
}

fn is_meta(path: &str) -> bool {
    let top = path.split(['.', '[']).next().unwrap_or_default();
    META.contains(&top)
}

fn effect_of(effect: Effect) -> ChangeEffect {
    match effect {
        Effect::InPlace => ChangeEffect::InPlace,
        Effect::Replaces(rule) => ChangeEffect::Replaces {
            rule: rule.path.to_owned(),
            source: rule.source.to_owned(),
        },
        Effect::MayReplace(rule) => ChangeEffect::MayReplace {
            rule: rule.path.to_owned(),
            source: rule.source.to_owned(),
        },
        Effect::UnknownType => ChangeEffect::UnknownType,
    }
}

fn action_of(changes: &[AttributeChange]) -> Action {
    let replaces = |c: &AttributeChange| {
        matches!(
            c.effect,
            ChangeEffect::Replaces { .. }
                | ChangeEffect::Follows {
                    replaces: Replaces::Yes,
                    ..
                }
        )
    };
    let may_replace = |c: &AttributeChange| {
        matches!(
            c.effect,
            ChangeEffect::MayReplace { .. }
                | ChangeEffect::UnknownType
                | ChangeEffect::Follows {
                    replaces: Replaces::Maybe,
                    ..
                }
        )
    };
    if changes.iter().any(replaces) {
        Action::Replaced
    } else if changes.iter().any(may_replace) {
        Action::MayBeReplaced
    } else {
        Action::Changed
    }
}

/// What of a changed resource other resources see change: everything when it is replaced (or
/// a data source whose arguments change), else the top-level attributes that change.
fn changed_targets(
    items: &BTreeMap<String, ItemChange>,
) -> BTreeMap<String, Option<BTreeSet<String>>> {
    let mut targets = BTreeMap::new();
    for item in items.values() {
        match (item.kind, item.action) {
            (ItemKind::Resource, Action::Replaced | Action::MayBeReplaced)
            | (ItemKind::Data, Action::Changed) => {
                targets.insert(item.address.clone(), None);
            }
            (ItemKind::Resource, Action::Changed) => {
                let attributes = item
                    .changes
                    .iter()
                    .filter(|c| !is_meta(&c.path))
                    .map(|c| compare::top_attribute(&c.path).to_owned())
                    .collect();
                targets.insert(item.address.clone(), Some(attributes));
            }
            _ => {}
        }
    }
    targets
}

/// Marks attributes whose text is unchanged but refers to something that changes, until
/// nothing more changes (a replaced resource group replaces what is in it, which replaces what
/// refers to that, ...).
fn follow_references(
    table: &'static ForceNewTable,
    after: &BTreeMap<String, Entry<'_>>,
    items: &mut BTreeMap<String, ItemChange>,
) {
    loop {
        let targets = changed_targets(items);
        if targets.is_empty() {
            return;
        }
        let mut progressed = false;
        for (address, entry) in after {
            if !matches!(entry.kind, ItemKind::Resource | ItemKind::Data) {
                continue;
            }
            let existing = items.get(address);
            if existing.is_some_and(|i| {
                matches!(
                    i.action,
                    Action::Added | Action::Replaced | Action::Forgotten
                ) || (i.kind == ItemKind::Data && i.action == Action::Changed)
            }) {
                continue; // everything about it changes already
            }
            let mut follows = Vec::new();
            compare::strings(&mut String::new(), entry.body, &mut |path, text| {
                if is_meta(path) {
                    return;
                }
                if existing.is_some_and(|i| i.changes.iter().any(|c| c.path == path)) {
                    return;
                }
                if let Some(target) = changed_reference(text, &targets) {
                    follows.push((path.to_owned(), text.to_owned(), target));
                }
            });
            if follows.is_empty() {
                continue;
            }
            progressed = true;
            let item = items.entry(address.clone()).or_insert_with(|| ItemChange {
                address: address.clone(),
                kind: entry.kind,
                resource_type: entry.resource_type.to_owned(),
                action: Action::Changed,
                holds_data: entry.kind == ItemKind::Resource
                    && (lifecycle::holds_data(entry.resource_type) || prevents_destroy(entry.body)),
                changes: Vec::new(),
                moved_from: None,
                nothing_to_move: None,
            });
            for (path, text, target) in follows {
                let replaces = if entry.kind == ItemKind::Resource {
                    match table.effect_of_unknown(entry.resource_type, &compare::schema_path(&path))
                    {
                        Effect::Replaces(_) => Replaces::Yes,
                        Effect::MayReplace(_) | Effect::UnknownType => Replaces::Maybe,
                        Effect::InPlace => Replaces::No,
                    }
                } else {
                    Replaces::No
                };
                item.changes.push(AttributeChange {
                    path,
                    old: Some(Value::String(text.clone())),
                    new: Some(Value::String(text)),
                    effect: ChangeEffect::Follows { target, replaces },
                });
            }
            item.changes.sort_by(|a, b| a.path.cmp(&b.path));
            item.action = action_of(&item.changes);
        }
        if !progressed {
            return;
        }
    }
}

/// The first changing target `text` refers to.
fn changed_reference(
    text: &str,
    targets: &BTreeMap<String, Option<BTreeSet<String>>>,
) -> Option<String> {
    if !text.contains("${") {
        return None;
    }
    let mut hit = None;
    baas_terraform::schema::references(text, false, &mut |root, names| {
        if hit.is_some() {
            return;
        }
        let (address, attribute) = if root == "data" {
            match names {
                [t, n, rest @ ..] => (format!("data.{t}.{n}"), rest.first()),
                _ => return,
            }
        } else {
            match names {
                [n, rest @ ..] => (format!("{root}.{n}"), rest.first()),
                _ => return,
            }
        };
        if let Some(changed) = targets.get(&address) {
            let affected = match (changed, attribute) {
                (None, _) | (Some(_), None) => true,
                (Some(set), Some(attribute)) => set.contains(*attribute),
            };
            if affected {
                hit = Some(address);
            }
        }
    });
    hit
}

#[cfg(test)]
mod tests;
