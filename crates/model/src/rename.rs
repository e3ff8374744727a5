//! `renamed_from: <old key>` on a component: the component was called `<old key>` before, and
//! renaming it must not replace anything in Azure.
//!
//! What baas derives from a component key, and what a rename keeps:
//! - `static-site`: the Terraform addresses of its resources (and of their diagnostic
//!   settings) and the Azure names of its storage account, Front Door profile, endpoint and
//!   rule set. The names keep the old key (rendered from [`Component::name_key`]); the
//!   addresses take the new key, and synth writes a `moved` block from each old address.
//! - `crud-api`: the default `container` name, which is also the container's address (and its
//!   role assignment's). A renamed API keeps the old key as its default container, so nothing
//!   moves. Its function names (`<key>-create`, ...), its app settings (`<KEY>_DATABASE`) and
//!   the generated code's table take the new key: they are deployed code and in-place settings
//!   of the function app, not resources Terraform would replace.
//! - `function-app`, `service-bus` and `custom`: nothing (apps are keyed by runtime, queues and
//!   topics by their own names, custom requirements by the keys they declare), so
//!   `renamed_from` there names nothing, and so does it on a `crud-api` whose `container` is
//!   written out.
//!
//! Queues, topics, subscriptions and containers have no keys of their own: their names are
//! their Azure names, which Azure cannot change, so a new name is a new entity.

use crate::backend::{Component, ComponentKind};
use crate::codes;
use crate::decode::{self, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::Spanned;
use crate::yaml::Node;
use indexmap::IndexMap;
use std::collections::BTreeMap;

/// Reads `renamed_from`: a component key as `components` accepts them.
pub fn read(node: &Node, sink: &mut Sink) -> Option<Spanned<String>> {
    let old = decode::string(node, "`renamed_from`", sink)?;
    if !crate::read::valid_component_key(&old.value) {
        sink.push(
            Diagnostic::error(
                &codes::SCHEMA_VALUE,
                format!(
                    "`renamed_from` `{}` is not a component key: {}",
                    old.value,
                    crate::read::KEY_RULE
                ),
            )
            .at(old.span)
            .help("write the component's key as it was before the rename"),
        );
        return None;
    }
    Some(old)
}

/// Why nothing of Azure is named from this component's key, if nothing is.
fn derives_nothing(component: &Component) -> Option<&'static str> {
    match &component.kind {
        ComponentKind::StaticSite(_) => None,
        ComponentKind::CrudApi(api) if api.container.span != component.key_span => {
            Some("its `container` is written out, so no Azure name comes from the key")
        }
        ComponentKind::CrudApi(_) => None,
        ComponentKind::FunctionApp(_) => {
            Some("a function app is keyed by its runtime, not by the component key")
        }
        ComponentKind::ServiceBus(_) => {
            Some("the namespace is shared and queues and topics are keyed by their own names")
        }
        ComponentKind::Custom(_) => {
            Some("custom requirements are keyed by the keys they declare under `requires`")
        }
    }
}

/// Every rule of `renamed_from` over the enabled components.
pub fn check(components: &IndexMap<String, Component>, sink: &mut Sink) {
    let mut claimed: BTreeMap<&str, &Component> = BTreeMap::new();
    for component in components.values() {
        let Some(old) = &component.renamed_from else {
            continue;
        };
        if old.value == component.key {
            sink.push(
                Diagnostic::error(
                    &codes::RENAME_NOTHING,
                    format!("component `{}` is renamed from itself", component.key),
                )
                .at(old.span)
                .help("remove `renamed_from`, or write the key the component had before"),
            );
            continue;
        }
        if let Some(existing) = components.get(&old.value) {
            let (kind, other) = (component.kind.type_name(), existing.kind.type_name());
            let diagnostic = if kind == other {
                Diagnostic::error(
                    &codes::RENAME_STILL_EXISTS,
                    format!("`renamed_from` names `{}`, which is still a component", old.value),
                )
                .help(format!("a rename moves `{}`'s resources to `{}`: remove or rename the old component first, or drop `renamed_from` to keep both", old.value, component.key))
            } else {
                Diagnostic::error(
                    &codes::RENAME_ACROSS_KINDS,
                    format!("`renamed_from` names `{}`, a `{other}`, from a `{kind}`", old.value),
                )
                .help(format!("a rename keeps the component's type: Terraform cannot move a `{other}`'s resources into a `{kind}`'s; drop `renamed_from` (`baas diff` lists what goes and what comes)"))
            };
            sink.push(
                diagnostic
                    .at(old.span)
                    .related(existing.key_span, "this component"),
            );
            continue;
        }
        if let Some(reason) = derives_nothing(component) {
            sink.push(
                Diagnostic::error(
                    &codes::RENAME_NOTHING,
                    format!(
                        "`renamed_from` on `{}` keeps nothing: {reason}",
                        component.key
                    ),
                )
                .at(old.span)
                .help("remove `renamed_from`: renaming this component changes no Terraform address and no Azure name"),
            );
            continue;
        }
        if let Some(first) = claimed.get(old.value.as_str()) {
            let first_span = first
                .renamed_from
                .as_ref()
                .map_or(first.key_span, |r| r.span);
            sink.push(
                Diagnostic::error(
                    &codes::RENAME_CLAIMED_TWICE,
                    format!(
                        "`{}` and `{}` are both renamed from `{}`",
                        first.key, component.key, old.value
                    ),
                )
                .at(old.span)
                .related(first_span, "also claimed here")
                .help("one component takes over an old key's resources: keep `renamed_from` on one of them"),
            );
            continue;
        }
        claimed.insert(&old.value, component);
    }
}
