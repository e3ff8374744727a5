//! The resource graph behind `baas graph`: components -> requirements -> merged requirements
//! -> Terraform resources -> stacks, plus the references between resources.
//!
//! The graph is drawn from a [`Plan`], the same values `synthesize` writes, so it shows exactly
//! what synth produces. It is a petgraph [`DiGraph`]; petgraph's indices never reach the
//! output: every node has an id derived from user keys and Terraform addresses, and nodes and
//! edges are printed sorted by id.
//!
//! | node kind     | id                                        | label                          |
//! |---------------|-------------------------------------------|--------------------------------|
//! | `component`   | `component:KEY`                           | `KEY (TYPE)`                   |
//! | `requirement` | `requirement:KIND:KEY:COMPONENT`          | `KIND KEY`                     |
//! | `merged`      | `merged:KIND:KEY`                         | `KIND KEY [PROVIDER]`          |
//! | `resource`    | `resource:TYPE.NAME` (`resource:data.…`)  | the Terraform address          |
//! | `stack`       | `stack:NAME`                              | `NAME`                         |
//!
//! | edge kind     | from -> to                                                            |
//! |---------------|-----------------------------------------------------------------------|
//! | `declares`    | component -> each requirement it declares                             |
//! | `merged-into` | requirement -> the merged requirement of its `(kind, key)`           |
//! | `provisions`  | merged requirement -> each resource its provider generated            |
//! | `in-stack`    | resource -> each stack that holds it                                  |
//! | `references`  | resource -> each resource its body refers to (`${TYPE.NAME…}`)        |
//!
//! A resource that several stacks hold (regions, blue/green) is one node with an `in-stack`
//! edge to each; its `references` edges are the union over those stacks.
//!
//! Formats: [`Graph::to_dot`] (Graphviz), [`Graph::to_mermaid`] (`flowchart LR`) and
//! [`Graph::to_json`]:
//!
//! ```json
//! {
//!   "edges": [{"from": "component:users", "kind": "declares", "to": "requirement:…"}],
//!   "nodes": [{"id": "component:users", "kind": "component", "label": "users (crud-api)"}]
//! }
//! ```
//!
//! Building is linear in the size of the plan (plus sorting): edges are deduplicated with a
//! set, never by scanning a node's neighbours, and each resource body is scanned once.

use crate::Plan;
use baas_model::{Diagnostic, SourceFile};
use baas_providers::Registry;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// What a node stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NodeKind {
    Component,
    Requirement,
    Merged,
    Resource,
    Stack,
}

impl NodeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Component => "component",
            NodeKind::Requirement => "requirement",
            NodeKind::Merged => "merged",
            NodeKind::Resource => "resource",
            NodeKind::Stack => "stack",
        }
    }
}

/// What an edge says about its two nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EdgeKind {
    Declares,
    MergedInto,
    Provisions,
    InStack,
    References,
}

impl EdgeKind {
    /// The machine name, as in the JSON output.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Declares => "declares",
            EdgeKind::MergedInto => "merged-into",
            EdgeKind::Provisions => "provisions",
            EdgeKind::InStack => "in-stack",
            EdgeKind::References => "references",
        }
    }

    /// The label drawn on the edge in DOT and Mermaid.
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Declares => "declares",
            EdgeKind::MergedInto => "merged into",
            EdgeKind::Provisions => "provisions",
            EdgeKind::InStack => "in stack",
            EdgeKind::References => "references",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// Stable and unique: derived from keys and addresses, never from an index.
    pub id: String,
    pub kind: NodeKind,
    pub label: String,
}

/// The resource graph of one plan.
#[derive(Debug, Default)]
pub struct Graph {
    graph: DiGraph<Node, EdgeKind>,
    /// Node id -> index: the sorted order every format prints in.
    ids: BTreeMap<String, NodeIndex>,
}

/// Runs the pipeline and draws its graph, or returns every diagnostic when it has errors.
pub fn graph(source: &SourceFile, registry: &Registry) -> Result<Graph, Vec<Diagnostic>> {
    crate::plan(source, registry).map(|plan| build(&plan, registry))
}

/// Draws the graph of a plan; `registry` names the provider of each merged requirement.
pub fn build(plan: &Plan, registry: &Registry) -> Graph {
    let mut builder = Builder::default();
    for component in plan.backend.components.values() {
        builder.node(
            format!("component:{}", component.key),
            NodeKind::Component,
            || format!("{} ({})", component.key, component.kind.type_name()),
        );
    }
    for (merged, addresses) in plan.merged.iter().zip(&plan.provisioned) {
        let provider = registry
            .provider_for(&merged.kind)
            .map_or("no provider", |p| p.name());
        let from = builder.node(
            format!("merged:{}:{}", merged.kind, merged.key),
            NodeKind::Merged,
            || format!("{} {} [{provider}]", merged.kind, merged.key),
        );
        for address in addresses {
            let to = builder.resource(&address.to_string());
            builder.edge(from, to, EdgeKind::Provisions);
        }
    }
    for requirement in &plan.requirements {
        let component = &requirement.source.component;
        let from = builder.node(
            format!("component:{component}"),
            NodeKind::Component,
            || component.clone(),
        );
        let (kind, key) = (&requirement.kind, &requirement.key);
        let id = format!("requirement:{kind}:{key}:{component}");
        let node = builder.node(id, NodeKind::Requirement, || format!("{kind} {key}"));
        builder.edge(from, node, EdgeKind::Declares);
        let merged = builder.node(format!("merged:{kind}:{key}"), NodeKind::Merged, || {
            format!("{kind} {key}")
        });
        builder.edge(node, merged, EdgeKind::MergedInto);
    }
    for (name, module) in plan.stacks() {
        builder.stack(name, module);
    }
    builder.graph
}

#[derive(Debug, Default)]
struct Builder {
    graph: Graph,
    /// Edges added so far: deduplicates in O(log E) instead of scanning a node's edges.
    edges: BTreeSet<(NodeIndex, NodeIndex, EdgeKind)>,
}

impl Builder {
    /// The node with this id, added with `label()` the first time.
    fn node(&mut self, id: String, kind: NodeKind, label: impl FnOnce() -> String) -> NodeIndex {
        if let Some(&index) = self.graph.ids.get(&id) {
            return index;
        }
        let index = self.graph.graph.add_node(Node {
            id: id.clone(),
            kind,
            label: label(),
        });
        self.graph.ids.insert(id, index);
        index
    }

    fn resource(&mut self, address: &str) -> NodeIndex {
        self.node(format!("resource:{address}"), NodeKind::Resource, || {
            address.to_owned()
        })
    }

    fn edge(&mut self, from: NodeIndex, to: NodeIndex, kind: EdgeKind) {
        if self.edges.insert((from, to, kind)) {
            self.graph.graph.add_edge(from, to, kind);
        }
    }

    /// The stack node, `in-stack` edges from its resources and `references` between them.
    fn stack(&mut self, name: &str, module: &Value) {
        let stack = self.node(format!("stack:{name}"), NodeKind::Stack, || name.to_owned());
        // (data?, type, name) -> node, to resolve references without building strings.
        let mut declared: BTreeMap<(bool, &str, &str), NodeIndex> = BTreeMap::new();
        let mut bodies = Vec::new();
        for (data, section) in [(false, "resource"), (true, "data")] {
            let Some(types) = module.get(section).and_then(Value::as_object) else {
                continue;
            };
            for (resource_type, blocks) in types {
                let Some(blocks) = blocks.as_object() else {
                    continue;
                };
                for (block_name, body) in blocks {
                    let prefix = if data { "data." } else { "" };
                    let index = self.resource(&format!("{prefix}{resource_type}.{block_name}"));
                    self.edge(index, stack, EdgeKind::InStack);
                    declared.insert((data, resource_type, block_name), index);
                    bodies.push((index, body));
                }
            }
        }
        for (from, body) in bodies {
            let mut targets = Vec::new();
            references(body, &mut |first, second, third| {
                let key = match (first, third) {
                    ("data", Some(third)) => (true, second, third),
                    _ => (false, first, second),
                };
                if let Some(&to) = declared.get(&key) {
                    targets.push(to);
                }
            });
            for to in targets {
                if to != from {
                    self.edge(from, to, EdgeKind::References);
                }
            }
        }
    }
}

/// Calls `found(a, b, c)` for the head `a.b[.c]` of every identifier chain inside the
/// interpolations (`${…}`, `%{…}`) of the strings in `value`, and in `depends_on` entries.
fn references<'v>(value: &'v Value, found: &mut impl FnMut(&'v str, &'v str, Option<&'v str>)) {
    match value {
        Value::String(text) => scan(text, false, found),
        Value::Array(items) => items.iter().for_each(|item| references(item, found)),
        Value::Object(entries) => {
            for (key, item) in entries {
                match (key.as_str(), item) {
                    ("depends_on", Value::Array(items)) => {
                        for text in items.iter().filter_map(Value::as_str) {
                            scan(text, true, found);
                        }
                    }
                    _ => references(item, found),
                }
            }
        }
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Calls `found(a, b, c)` for the head `a.b[.c]` of every reference in template text (or, with
/// `bare`, in one expression), as the conformance check reads them. Only chains that name a
/// declared block become edges.
fn scan<'t>(text: &'t str, bare: bool, found: &mut impl FnMut(&'t str, &'t str, Option<&'t str>)) {
    baas_terraform::schema::references(text, bare, &mut |root, names| {
        if let Some(&second) = names.first() {
            found(root, second, names.get(1).copied());
        }
    });
}

impl Graph {
    /// The petgraph graph, for algorithms. Its indices are not stable across plans.
    pub fn petgraph(&self) -> &DiGraph<Node, EdgeKind> {
        &self.graph
    }

    /// Every node, sorted by id.
    pub fn nodes(&self) -> impl Iterator<Item = &Node> {
        self.ids.values().map(|&index| &self.graph[index])
    }

    pub fn node(&self, id: &str) -> Option<&Node> {
        self.ids.get(id).map(|&index| &self.graph[index])
    }

    /// Every edge as `(from, to, kind)`, sorted by from id, to id and kind.
    pub fn edges(&self) -> Vec<(&Node, &Node, EdgeKind)> {
        let mut edges: Vec<(&Node, &Node, EdgeKind)> = self
            .graph
            .edge_references()
            .map(|e| {
                (
                    &self.graph[e.source()],
                    &self.graph[e.target()],
                    *e.weight(),
                )
            })
            .collect();
        edges.sort_by(|a, b| (&a.0.id, &a.1.id, a.2).cmp(&(&b.0.id, &b.1.id, b.2)));
        edges
    }

    /// Graphviz DOT: `dot -Tsvg` renders it.
    pub fn to_dot(&self) -> String {
        let mut out = String::from("digraph baas {\n");
        out.push_str("  rankdir=LR;\n");
        out.push_str("  node [fontname=\"Helvetica\", fontsize=10];\n");
        out.push_str("  edge [fontname=\"Helvetica\", fontsize=8];\n");
        for node in self.nodes() {
            let style = match node.kind {
                NodeKind::Component => "shape=box, style=\"rounded,filled\", fillcolor=lightblue",
                NodeKind::Requirement => "shape=note, style=filled, fillcolor=lightyellow",
                NodeKind::Merged => "shape=box3d, style=filled, fillcolor=orange",
                NodeKind::Resource => "shape=box, style=filled, fillcolor=palegreen",
                NodeKind::Stack => "shape=folder, style=filled, fillcolor=lightgrey",
            };
            let _ = writeln!(
                out,
                "  {} [label={}, {style}];",
                dot_string(&node.id),
                dot_string(&node.label)
            );
        }
        for (from, to, kind) in self.edges() {
            let style = match kind {
                // References would drag resources into a rank per dependency level; keep
                // them out of the layering so each node kind stays one column.
                EdgeKind::References => ", style=dashed, constraint=false",
                EdgeKind::InStack => ", style=dotted",
                _ => "",
            };
            let _ = writeln!(
                out,
                "  {} -> {} [label={}{style}];",
                dot_string(&from.id),
                dot_string(&to.id),
                dot_string(kind.label())
            );
        }
        out.push_str("}\n");
        out
    }

    /// A Mermaid `flowchart LR`. Mermaid ids cannot hold `:` or `.`, so nodes are `n0`, `n1`…
    /// in id order; labels are quoted and escaped.
    pub fn to_mermaid(&self) -> String {
        let mut out = String::from("flowchart LR\n");
        let mut short: BTreeMap<&str, String> = BTreeMap::new();
        for (i, node) in self.nodes().enumerate() {
            let id = format!("n{i}");
            let label = mermaid_label(&node.label);
            let shape = match node.kind {
                NodeKind::Component => format!("([{label}])"),
                NodeKind::Requirement => format!("[{label}]"),
                NodeKind::Merged => format!("[[{label}]]"),
                NodeKind::Resource => format!("[{label}]"),
                NodeKind::Stack => format!("[({label})]"),
            };
            let _ = writeln!(out, "  {id}{shape}:::{}", node.kind.as_str());
            short.insert(&node.id, id);
        }
        for (from, to, kind) in self.edges() {
            let arrow = match kind {
                EdgeKind::References | EdgeKind::InStack => "-.->",
                _ => "-->",
            };
            let (Some(from), Some(to)) = (short.get(from.id.as_str()), short.get(to.id.as_str()))
            else {
                continue;
            };
            let _ = writeln!(out, "  {from} {arrow}|{}| {to}", kind.label());
        }
        for (kind, color) in [
            (NodeKind::Component, "#add8e6"),
            (NodeKind::Requirement, "#ffffe0"),
            (NodeKind::Merged, "#ffa500"),
            (NodeKind::Resource, "#98fb98"),
            (NodeKind::Stack, "#d3d3d3"),
        ] {
            let _ = writeln!(out, "  classDef {} fill:{color}", kind.as_str());
        }
        out
    }

    /// `{"nodes": [{id, kind, label}], "edges": [{from, to, kind}]}`, sorted, laid out as
    /// baas's JSON writer lays out every file (sorted keys, two-space indent, trailing
    /// newline). Written directly: a `serde_json::Value` of a large graph would more than
    /// double the memory the plan takes.
    pub fn to_json(&self) -> String {
        let mut out = String::from("{\n  \"edges\": ");
        let edges = self.edges();
        json_array(&mut out, &edges, |out, (from, to, kind)| {
            json_object(
                out,
                &[("from", &from.id), ("kind", kind.as_str()), ("to", &to.id)],
            );
        });
        out.push_str(",\n  \"nodes\": ");
        let nodes: Vec<&Node> = self.nodes().collect();
        json_array(&mut out, &nodes, |out, node| {
            json_object(
                out,
                &[
                    ("id", &node.id),
                    ("kind", node.kind.as_str()),
                    ("label", &node.label),
                ],
            );
        });
        out.push_str("\n}\n");
        out
    }
}

/// An array at depth 1 of `{...}` items at depth 2.
fn json_array<T>(out: &mut String, items: &[T], mut item: impl FnMut(&mut String, &T)) {
    if items.is_empty() {
        out.push_str("[]");
        return;
    }
    out.push('[');
    for (i, value) in items.iter().enumerate() {
        out.push_str(if i == 0 { "\n    " } else { ",\n    " });
        item(out, value);
    }
    out.push_str("\n  ]");
}

/// An object at depth 2 whose fields, given in key order, are strings.
fn json_object(out: &mut String, fields: &[(&str, &str)]) {
    out.push('{');
    for (i, (key, value)) in fields.iter().enumerate() {
        out.push_str(if i == 0 { "\n      " } else { ",\n      " });
        let _ = write!(out, "\"{key}\": {}", json_string(value));
    }
    out.push_str("\n    }");
}

fn json_string(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// A DOT double-quoted string.
fn dot_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A quoted Mermaid label: anything beyond plain text becomes an entity code (`#35;`), so no
/// label can close its quotes or shape, or be read as Markdown or HTML.
fn mermaid_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || " -_.:/,()[]+=@".contains(c) {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", u32::from(c));
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chains(text: &str) -> Vec<String> {
        let mut out = Vec::new();
        scan(text, false, &mut |a, b, c| {
            out.push(match c {
                Some(c) => format!("{a}.{b}.{c}"),
                None => format!("{a}.{b}"),
            })
        });
        out
    }

    #[test]
    fn scans_only_interpolations() {
        assert_eq!(chains("azurerm_x.y plain text"), Vec::<String>::new());
        assert_eq!(chains("$${azurerm_x.y}"), Vec::<String>::new());
        assert_eq!(
            chains("${azurerm_storage_account.sa.identity[0].principal_id}"),
            ["azurerm_storage_account.sa.identity"]
        );
        assert_eq!(
            chains("https://${azurerm_x.a.name}.x/${lower(data.t.n.id)}"),
            ["azurerm_x.a.name", "data.t.n"]
        );
        assert_eq!(
            chains("${{ a = azurerm_x.b.id }.a}"),
            ["azurerm_x.b.id"],
            "nested braces stay inside the interpolation"
        );
        assert_eq!(chains("${1.5e3}"), Vec::<String>::new());
    }

    #[test]
    fn bare_expressions_are_scanned_whole() {
        let mut out = Vec::new();
        scan("azurerm_x.y", true, &mut |a, b, _| {
            out.push(format!("{a}.{b}"))
        });
        assert_eq!(out, ["azurerm_x.y"]);
    }

    #[test]
    fn labels_are_escaped() {
        assert_eq!(dot_string(r#"a "b" \c"#), r#""a \"b\" \\c""#);
        assert_eq!(mermaid_label("a\"b#<c>"), "\"a#34;b#35;#60;c#62;\"");
    }

    #[test]
    fn the_starter_graph_is_acyclic_and_complete() {
        let source = SourceFile::new("backend.yaml", crate::STARTER_BACKEND);
        let registry = Registry::builtin();
        let graph = graph(&source, &registry).unwrap_or_default();
        assert!(graph.node("stack:main").is_some());
        assert!(!petgraph::algo::is_cyclic_directed(graph.petgraph()));
        let kinds: BTreeSet<NodeKind> = graph.nodes().map(|n| n.kind).collect();
        assert_eq!(kinds.len(), 5, "every node kind appears: {kinds:?}");
        // Every resource is in the stack, and every resource but the resource group comes
        // from a merged requirement.
        let edges = graph.edges();
        for node in graph.nodes().filter(|n| n.kind == NodeKind::Resource) {
            assert!(edges.iter().any(|(f, t, k)| f.id == node.id
                && t.id == "stack:main"
                && *k == EdgeKind::InStack));
            if node.id != "resource:azurerm_resource_group.main" {
                assert!(edges
                    .iter()
                    .any(|(_, t, k)| t.id == node.id && *k == EdgeKind::Provisions));
            }
        }
        assert!(edges
            .iter()
            .any(|(_, t, k)| t.id == "resource:azurerm_resource_group.main"
                && *k == EdgeKind::References));
    }

    #[test]
    fn json_is_laid_out_by_the_baas_writer() {
        let source = SourceFile::new("backend.yaml", crate::STARTER_BACKEND);
        let registry = Registry::builtin();
        let mut graph = graph(&source, &registry).unwrap_or_default();
        // A label that needs escaping.
        graph.graph.add_node(Node {
            id: "component:x".into(),
            kind: NodeKind::Component,
            label: "a \"b\"\n\\c\u{1}é".into(),
        });
        let index = NodeIndex::new(graph.graph.node_count() - 1);
        graph.ids.insert("component:x".into(), index);
        let nodes: Vec<Value> = graph
            .nodes()
            .map(|n| serde_json::json!({ "id": n.id, "kind": n.kind.as_str(), "label": n.label }))
            .collect();
        let edges: Vec<Value> = graph
            .edges()
            .into_iter()
            .map(|(f, t, k)| serde_json::json!({ "from": f.id, "to": t.id, "kind": k.as_str() }))
            .collect();
        let expected = baas_terraform::document::to_json(
            &serde_json::json!({ "nodes": nodes, "edges": edges }),
        );
        assert_eq!(graph.to_json(), expected);
        assert_eq!(
            Graph::default().to_json(),
            "{\n  \"edges\": [],\n  \"nodes\": []\n}\n"
        );
    }

    #[test]
    fn output_is_independent_of_insertion_order() {
        let source = SourceFile::new("backend.yaml", crate::STARTER_BACKEND);
        let registry = Registry::builtin();
        let Ok(mut plan) = crate::plan(&source, &registry) else {
            panic!("the starter backend plans");
        };
        let forward = build(&plan, &registry);
        plan.requirements.reverse();
        plan.merged.reverse();
        plan.provisioned.reverse();
        let backward = build(&plan, &registry);
        assert_eq!(forward.to_json(), backward.to_json());
        assert_eq!(forward.to_dot(), backward.to_dot());
        assert_eq!(forward.to_mermaid(), backward.to_mermaid());
    }
}
