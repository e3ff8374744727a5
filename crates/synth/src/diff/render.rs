//! A [`Diff`] for people (terminal), for a pull request comment (Markdown) and for programs
//! (JSON, schema in `docs/diff.md`). Data loss comes first in all three.

use super::{Action, AttributeChange, ChangeEffect, Diff, ItemChange, ItemKind, Replaces, Status};
use baas_providers::lifecycle::FORCENEW_VERSION;
use serde_json::{json, Value};

/// The version of the JSON format; bumped when a field changes meaning or goes away.
pub const JSON_FORMAT_VERSION: u64 = 1;

/// Values longer than this are cut in the human and Markdown formats (JSON has them whole).
const SHOWN_VALUE: usize = 120;

fn summary(diff: &Diff) -> String {
    if diff.is_empty() {
        return "no changes: the committed output is what synth would write".to_owned();
    }
    let loss = diff.data_loss().count();
    let mut parts = Vec::new();
    for (action, word) in [
        (Action::Replaced, "replaced"),
        (Action::MayBeReplaced, "may be replaced"),
        (Action::Removed, "removed"),
        (Action::Added, "added"),
        (Action::Changed, "changed in place"),
        (Action::Moved, "moved"),
        (Action::Forgotten, "now existing (forgotten, not destroyed)"),
    ] {
        let n = diff.count(action);
        if n > 0 {
            parts.push(format!("{n} {word}"));
        }
    }
    if !diff.files.is_empty() {
        parts.push(format!("{} other files", diff.files.len()));
    }
    let head = if loss > 0 {
        format!(
            "{loss} data-holding {} destroyed; ",
            plural(loss, "resource", "resources")
        )
    } else {
        String::new()
    };
    format!("{head}{}", parts.join(", "))
}

fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 {
        one
    } else {
        many
    }
}

fn shown(value: &Option<Value>) -> String {
    match value {
        None => "(absent)".to_owned(),
        Some(value) => {
            let text = value.to_string();
            if text.chars().count() > SHOWN_VALUE {
                let cut: String = text.chars().take(SHOWN_VALUE).collect();
                format!("{cut}…")
            } else {
                text
            }
        }
    }
}

fn action_word(item: &ItemChange) -> String {
    let word = match item.action {
        Action::Added => "added",
        Action::Removed => "removed",
        Action::Changed => "changed",
        Action::MayBeReplaced => "may be replaced",
        Action::Replaced => "replaced",
        Action::Moved => "moved",
        Action::Forgotten => "now existing (forgotten, not destroyed)",
    };
    match (&item.moved_from, &item.nothing_to_move, item.action) {
        (Some(from), _, Action::Moved) => format!("moved from {from}"),
        (Some(from), _, _) => format!("moved from {from} and {word}"),
        (None, Some(from), _) => {
            format!(
                "{word}; a `moved` block names {from}, which the committed output does not hold"
            )
        }
        (None, None, _) => word.to_owned(),
    }
}

fn sign(action: Action) -> &'static str {
    match action {
        Action::Added => "+",
        Action::Removed => "-",
        Action::Changed => "~",
        Action::MayBeReplaced => "-/+?",
        Action::Replaced => "-/+",
        Action::Moved => "->",
        Action::Forgotten => ".",
    }
}

fn effect_note(change: &AttributeChange) -> String {
    match &change.effect {
        ChangeEffect::InPlace => String::new(),
        ChangeEffect::Replaces { rule, source } => {
            format!("forces replacement (`{rule}`, azurerm {FORCENEW_VERSION} {source})")
        }
        ChangeEffect::MayReplace { rule, source } => {
            format!("may force replacement (`{rule}`, azurerm {FORCENEW_VERSION} {source})")
        }
        ChangeEffect::UnknownType => format!(
            "may force replacement: the type is not in the ForceNew table of azurerm {FORCENEW_VERSION}"
        ),
        ChangeEffect::Follows { target, replaces } => format!(
            "known after apply: `{target}` changes{}",
            match replaces {
                Replaces::Yes => "; forces replacement",
                Replaces::Maybe => "; may force replacement",
                Replaces::No => "",
            }
        ),
    }
}

/// Why an item loses data, in one line.
fn loss_reason(item: &ItemChange) -> String {
    match item.action {
        Action::Removed => "removed".to_owned(),
        _ => {
            let cause = item.changes.iter().find(|c| {
                matches!(
                    c.effect,
                    ChangeEffect::Replaces { .. }
                        | ChangeEffect::MayReplace { .. }
                        | ChangeEffect::UnknownType
                        | ChangeEffect::Follows {
                            replaces: Replaces::Yes | Replaces::Maybe,
                            ..
                        }
                )
            });
            match cause {
                Some(c) => format!("{} by `{}`: {}", action_word(item), c.path, effect_note(c)),
                None => action_word(item),
            }
        }
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Added => "added",
        Status::Removed => "removed",
        Status::Changed => "changed",
        Status::Foreign => "foreign",
    }
}

fn version_line(diff: &Diff) -> Option<String> {
    let v = &diff.baas_version;
    (v.old != v.new).then(|| {
        format!(
            "baas version: {} -> {}",
            v.old.as_deref().unwrap_or("(none)"),
            v.new.as_deref().unwrap_or("(none)")
        )
    })
}

/// For a terminal.
pub fn human(diff: &Diff) -> String {
    let mut out = format!("{}\n", summary(diff));
    if let Some(line) = version_line(diff) {
        out.push_str(&format!("{line}\n"));
    }
    let losses: Vec<_> = diff.data_loss().collect();
    if !losses.is_empty() {
        out.push_str("\nDATA LOSS\n");
        for (stack, item) in losses {
            out.push_str(&format!(
                "  {stack}: {} {}\n",
                item.address,
                loss_reason(item)
            ));
        }
    }
    for stack in &diff.stacks {
        out.push_str(&format!(
            "\nstack {} ({})\n",
            stack.name,
            status_word(stack.status)
        ));
        for item in &stack.items {
            let data = if item.holds_data { ", holds data" } else { "" };
            out.push_str(&format!(
                "  {} {} ({}{data})\n",
                sign(item.action),
                item.address,
                action_word(item)
            ));
            for change in &item.changes {
                let note = effect_note(change);
                let note = if note.is_empty() {
                    String::new()
                } else {
                    format!("  # {note}")
                };
                if let ChangeEffect::Follows { .. } = change.effect {
                    out.push_str(&format!(
                        "      {}: {}{note}\n",
                        change.path,
                        shown(&change.new)
                    ));
                } else {
                    out.push_str(&format!(
                        "      {}: {} -> {}{note}\n",
                        change.path,
                        shown(&change.old),
                        shown(&change.new)
                    ));
                }
            }
        }
    }
    if !diff.files.is_empty() {
        out.push_str("\nother files\n");
        for file in &diff.files {
            out.push_str(&format!("  {} {}\n", status_word(file.status), file.path));
        }
    }
    out
}

fn code(text: &str) -> String {
    // A backtick inside would end the span early; two around it keep it whole.
    if text.contains('`') {
        format!("`` {} ``", text.replace('|', "\\|"))
    } else {
        format!("`{}`", text.replace('|', "\\|"))
    }
}

/// For a pull request comment.
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::from("### baas diff\n\n");
    let losses: Vec<_> = diff.data_loss().collect();
    if !losses.is_empty() {
        out.push_str(&format!(
            "> [!CAUTION]\n> **Data loss**: this change destroys {} data-holding {}.\n\n",
            losses.len(),
            plural(losses.len(), "resource", "resources")
        ));
        out.push_str("| stack | resource | why |\n|---|---|---|\n");
        for (stack, item) in &losses {
            out.push_str(&format!(
                "| {} | {} | {} |\n",
                code(stack),
                code(&item.address),
                loss_reason(item).replace('|', "\\|")
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("**{}**\n", summary(diff)));
    if let Some(line) = version_line(diff) {
        out.push_str(&format!("\n{line}\n"));
    }
    for stack in &diff.stacks {
        out.push_str(&format!(
            "\n#### Stack {} ({})\n\n",
            code(&stack.name),
            status_word(stack.status)
        ));
        if stack.items.is_empty() {
            continue;
        }
        out.push_str("| | resource | what changes |\n|---|---|---|\n");
        for item in &stack.items {
            let changes: Vec<String> = item
                .changes
                .iter()
                .map(|c| {
                    let note = effect_note(c);
                    let value = if let ChangeEffect::Follows { .. } = c.effect {
                        String::new()
                    } else {
                        format!(": {} → {}", code(&shown(&c.old)), code(&shown(&c.new)))
                    };
                    let note = if note.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", note.replace('|', "\\|"))
                    };
                    format!("{}{value}{note}", code(&c.path))
                })
                .collect();
            let data = if item.holds_data {
                " · holds data"
            } else {
                ""
            };
            out.push_str(&format!(
                "| {} | {} | {}{data}{} |\n",
                sign(item.action),
                code(&item.address),
                action_word(item),
                if changes.is_empty() {
                    String::new()
                } else {
                    format!("<br>{}", changes.join("<br>"))
                }
            ));
        }
    }
    if !diff.files.is_empty() {
        out.push_str("\n#### Other files\n\n");
        for file in &diff.files {
            out.push_str(&format!(
                "- {} {}\n",
                status_word(file.status),
                code(&file.path)
            ));
        }
    }
    out
}

fn kind_word(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Resource => "resource",
        ItemKind::Data => "data",
        ItemKind::Output => "output",
        ItemKind::Setting => "setting",
    }
}

fn action_key(action: Action) -> &'static str {
    match action {
        Action::Added => "added",
        Action::Removed => "removed",
        Action::Changed => "changed",
        Action::MayBeReplaced => "may_be_replaced",
        Action::Replaced => "replaced",
        Action::Moved => "moved",
        Action::Forgotten => "forgotten",
    }
}

fn change_json(change: &AttributeChange) -> Value {
    let mut value = json!({ "path": change.path });
    if let Some(old) = &change.old {
        value["old"] = old.clone();
    }
    if let Some(new) = &change.new {
        value["new"] = new.clone();
    }
    match &change.effect {
        ChangeEffect::InPlace => value["effect"] = json!("in_place"),
        ChangeEffect::Replaces { rule, source } => {
            value["effect"] = json!("replaces");
            value["rule"] = json!({ "path": rule, "source": source });
        }
        ChangeEffect::MayReplace { rule, source } => {
            value["effect"] = json!("may_replace");
            value["rule"] = json!({ "path": rule, "source": source });
        }
        ChangeEffect::UnknownType => {
            value["effect"] = json!("may_replace");
            value["unknown_type"] = json!(true);
        }
        ChangeEffect::Follows { target, replaces } => {
            value["effect"] = json!(match replaces {
                Replaces::Yes => "replaces",
                Replaces::Maybe => "may_replace",
                Replaces::No => "in_place",
            });
            value["follows"] = json!(target);
        }
    }
    value
}

/// For programs: the schema is in `docs/diff.md`.
pub fn json(diff: &Diff) -> String {
    let losses: Vec<Value> = diff
        .data_loss()
        .map(|(stack, item)| {
            json!({ "stack": stack, "address": item.address, "action": action_key(item.action) })
        })
        .collect();
    let stacks: Vec<Value> = diff
        .stacks
        .iter()
        .map(|stack| {
            let items: Vec<Value> = stack
                .items
                .iter()
                .map(|item| {
                    let mut value = json!({
                        "address": item.address,
                        "kind": kind_word(item.kind),
                        "type": item.resource_type,
                        "action": action_key(item.action),
                        "holds_data": item.holds_data,
                        "changes": item.changes.iter().map(change_json).collect::<Vec<_>>(),
                    });
                    if let Some(from) = &item.moved_from {
                        value["moved_from"] = json!(from);
                    }
                    if let Some(from) = &item.nothing_to_move {
                        value["nothing_to_move"] = json!(from);
                    }
                    value
                })
                .collect();
            json!({ "name": stack.name, "status": status_word(stack.status), "resources": items })
        })
        .collect();
    let files: Vec<Value> = diff
        .files
        .iter()
        .map(|f| json!({ "path": f.path, "status": status_word(f.status) }))
        .collect();
    let count = |action| diff.count(action);
    let value = json!({
        "format_version": JSON_FORMAT_VERSION,
        "forcenew_table": format!("azurerm {FORCENEW_VERSION}"),
        "identical": diff.is_empty(),
        "baas_version": { "old": diff.baas_version.old, "new": diff.baas_version.new },
        "summary": {
            "data_loss": losses.len(),
            "replaced": count(Action::Replaced),
            "may_be_replaced": count(Action::MayBeReplaced),
            "removed": count(Action::Removed),
            "added": count(Action::Added),
            "changed": count(Action::Changed),
            "moved": diff.stacks.iter().flat_map(|s| &s.items).filter(|i| i.moved_from.is_some()).count(),
            "forgotten": count(Action::Forgotten),
            "files": diff.files.len(),
        },
        "data_loss": losses,
        "stacks": stacks,
        "files": files,
    });
    baas_terraform::document::to_json(&value)
}
