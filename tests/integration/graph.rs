//! `baas graph`: the resource graph in DOT, Mermaid and JSON, drawn from the same plan synth
//! writes, deterministic, and refused (exit 1) when the definition has errors.

use crate::support::{baas_in, backend_with, bad_fixtures_dir, examples, repo_root, Workspace};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

const FORMATS: [&str; 3] = ["dot", "mermaid", "json"];

/// The small backend whose graph is snapshotted in every format.
fn small_backend() -> String {
    "name: shop\nenvironment: prod\nlocation: eastus\nmonitoring: {enabled: false}\nfunctions: {plan: Y1}\n\
     components:\n  users:\n    type: crud-api\n    entity: User\n    \
     schema: {id: string, email: string}\n    operations: [read]\n"
        .to_owned()
}

fn example(name: &str) -> String {
    repo_root()
        .join("examples")
        .join(name)
        .join("backend.yaml")
        .to_str()
        .unwrap()
        .to_owned()
}

/// `baas graph FILE --format json`, parsed.
fn json_graph(workspace: &Workspace, file: &str) -> Value {
    let outcome = workspace.baas(&["graph", file, "--format", "json"]);
    outcome.expect_exit(0);
    serde_json::from_str(&outcome.stdout).expect("graph --format json prints JSON")
}

fn strings<'a>(items: impl IntoIterator<Item = &'a Value>, key: &str) -> Vec<String> {
    items
        .into_iter()
        .map(|item| item[key].as_str().unwrap().to_owned())
        .collect()
}

/// `(from, to, kind)` of every edge.
fn edges(graph: &Value) -> Vec<(String, String, String)> {
    graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let field = |k: &str| e[k].as_str().unwrap().to_owned();
            (field("from"), field("to"), field("kind"))
        })
        .collect()
}

#[test]
fn three_crud_apis_share_one_merged_cosmos_account() {
    let workspace = Workspace::new();
    let graph = json_graph(&workspace, &example("multiple-crud-apis"));
    let accounts: Vec<String> = strings(graph["nodes"].as_array().unwrap(), "id")
        .into_iter()
        .filter(|id| id.starts_with("merged:cosmos-account:"))
        .collect();
    assert_eq!(accounts, ["merged:cosmos-account:shared"]);

    let edges = edges(&graph);
    let incoming: Vec<&str> = edges
        .iter()
        .filter(|(_, to, _)| to == "merged:cosmos-account:shared")
        .map(|(from, _, kind)| {
            assert_eq!(kind, "merged-into");
            from.as_str()
        })
        .collect();
    assert_eq!(
        incoming,
        [
            "requirement:cosmos-account:shared:orders",
            "requirement:cosmos-account:shared:products",
            "requirement:cosmos-account:shared:users",
        ]
    );
    // Each of those requirements is declared by its own component.
    let declarers: BTreeSet<&str> = edges
        .iter()
        .filter(|(from, to, kind)| {
            kind == "declares"
                && from.starts_with("component:")
                && to.starts_with("requirement:cosmos-account:shared:")
                && to.ends_with(from.trim_start_matches("component:"))
        })
        .map(|(from, _, _)| from.as_str())
        .collect();
    assert_eq!(
        declarers,
        BTreeSet::from(["component:orders", "component:products", "component:users"])
    );
    // The merged account provisions the one account resource, which is in the main stack.
    assert!(edges.contains(&(
        "merged:cosmos-account:shared".into(),
        "resource:azurerm_cosmosdb_account.shared".into(),
        "provisions".into()
    )));
    assert!(edges.contains(&(
        "resource:azurerm_cosmosdb_account.shared".into(),
        "stack:main".into(),
        "in-stack".into()
    )));
    assert!(edges.contains(&(
        "resource:azurerm_cosmosdb_sql_container.users".into(),
        "resource:azurerm_cosmosdb_account.shared".into(),
        "references".into()
    )));
}

#[test]
fn the_graph_shows_exactly_the_resources_synth_writes() {
    for name in examples() {
        let workspace = Workspace::new();
        let file = example(&name);
        workspace
            .baas(&["synth", &file, "-o", "out"])
            .expect_exit(0);
        let manifest: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(workspace.join("out/baas.manifest.json")).unwrap(),
        )
        .unwrap();
        let stacks: Vec<String> = manifest["deploy_order"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
        // resource id -> the stacks that hold it
        let mut written: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
        for stack_name in &stacks {
            let text =
                std::fs::read_to_string(workspace.join(&format!("out/{stack_name}/main.tf.json")))
                    .unwrap();
            let stack: serde_json::Value = serde_json::from_str(&text).unwrap();
            for (section, prefix) in [("resource", ""), ("data", "data.")] {
                let Some(types) = stack[section].as_object() else {
                    continue;
                };
                for (resource_type, blocks) in types {
                    for block in blocks.as_object().unwrap().keys() {
                        written
                            .entry(format!("resource:{prefix}{resource_type}.{block}"))
                            .or_default()
                            .insert(stack_name.clone());
                    }
                }
            }
        }
        let graph = json_graph(&workspace, &file);
        let nodes = graph["nodes"].as_array().unwrap();
        let drawn: BTreeSet<String> = nodes
            .iter()
            .filter(|n| n["kind"] == "resource")
            .map(|n| n["id"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(
            drawn,
            written.keys().cloned().collect::<BTreeSet<_>>(),
            "{name}"
        );
        // Every resource is in its stacks; every one of the first stack but the resource
        // group was provisioned for a merged requirement.
        let edges = edges(&graph);
        for (id, holders) in &written {
            for holder in holders {
                assert!(
                    edges.contains(&(id.clone(), format!("stack:{holder}"), "in-stack".into())),
                    "{name}: {id} is not in stack {holder}"
                );
            }
            if holders.contains(&stacks[0]) && id != "resource:azurerm_resource_group.main" {
                assert!(
                    edges.iter().any(|(from, to, kind)| to == id
                        && kind == "provisions"
                        && from.starts_with("merged:")),
                    "{name}: nothing provisions {id}"
                );
            }
        }
    }
}

#[test]
fn output_is_sorted_well_formed_and_byte_identical_across_runs() {
    for name in examples() {
        let file = example(&name);
        let workspace = Workspace::new();
        for format in FORMATS {
            let first = workspace.baas(&["graph", &file, "--format", format]);
            first.expect_exit(0);
            let second = workspace.baas(&["graph", &file, "--format", format]);
            assert!(
                first.stdout == second.stdout,
                "{name}: graph --format {format} differs between two runs"
            );
            assert!(!first.stdout.contains(workspace.path().to_str().unwrap()));
            match format {
                "dot" => check_dot(&first.stdout),
                "mermaid" => check_mermaid(&first.stdout),
                _ => check_json(&first.stdout),
            }
        }
        assert_eq!(
            workspace.baas(&["graph", &file]).stdout,
            workspace.baas(&["graph", &file, "--format", "dot"]).stdout,
            "dot is the default format"
        );
    }
}

#[test]
fn every_format_of_a_small_backend() {
    let workspace = Workspace::with_backend(&small_backend());
    for format in FORMATS {
        let outcome = workspace.baas(&["graph", "--format", format]);
        outcome.expect_exit(0);
        assert_eq!(outcome.stderr, "", "a clean backend prints no diagnostics");
        insta::with_settings!({
            description => format!("baas graph --format {format} (one crud-api, no monitoring)"),
            omit_expression => true,
        }, {
            insta::assert_snapshot!(format!("small_{format}"), outcome.stdout);
        });
    }
}

#[test]
fn the_dot_output_renders_with_graphviz_when_installed() {
    let workspace = Workspace::new();
    let file = example("crud-and-functions");
    let outcome = workspace.baas(&["graph", &file]);
    outcome.expect_exit(0);
    check_dot(&outcome.stdout);
    let dot = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let Ok(mut dot) = dot else {
        eprintln!("graphviz `dot` is not on PATH; checked the DOT syntax only");
        return;
    };
    {
        use std::io::Write;
        let mut stdin = dot.stdin.take().unwrap();
        stdin.write_all(outcome.stdout.as_bytes()).unwrap();
    }
    let rendered = dot.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&rendered.stderr);
    assert!(rendered.status.success(), "dot -Tsvg failed:\n{stderr}");
    assert!(stderr.trim().is_empty(), "dot -Tsvg warned:\n{stderr}");
    let svg = String::from_utf8(rendered.stdout).unwrap();
    assert!(svg.contains("<svg") && svg.contains("stack:main"), "{svg}");
}

#[test]
fn a_definition_with_errors_prints_diagnostics_and_exits_1() {
    // A reader error and a merge conflict: each refused as `validate` refuses it.
    let outcome = baas_in(
        &bad_fixtures_dir(),
        &["graph", "unknown-region.yaml", "--format", "json"],
    );
    outcome.expect_exit(1).expect_code("baas::model::location");
    assert_eq!(outcome.stdout, "", "nothing is drawn");

    let conflict = Workspace::with_backend(&backend_with(
        "  users: {type: crud-api, entity: User, container: people, partition_key: /id}
  customers: {type: crud-api, entity: Customer, container: people, partition_key: /email}
",
    ));
    for format in FORMATS {
        let outcome = conflict.baas(&["graph", "--format", format]);
        outcome
            .expect_exit(1)
            .expect_code("baas::merge::partition_key");
        assert_eq!(outcome.stdout, "");
        let validate = conflict.baas(&["validate"]);
        assert_eq!(
            outcome.stderr, validate.stderr,
            "graph reports like validate"
        );
    }

    let missing = Workspace::new().baas(&["graph", "nope.yaml"]);
    missing.expect_exit(2);
}

/// The DOT grammar subset `to_dot` writes: a `digraph` of attribute, node and edge statements,
/// one per line, with quoted ids; every edge joins declared nodes. Checked without graphviz.
fn check_dot(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("digraph baas {"));
    assert!(text.ends_with("}\n"), "DOT ends with the closing brace");
    let mut nodes = BTreeSet::new();
    let mut edges = Vec::new();
    let mut last_node: Option<String> = None;
    let mut last_edge: Option<(String, String)> = None;
    for line in lines {
        if line == "}" {
            continue;
        }
        let statement = line
            .strip_prefix("  ")
            .and_then(|l| l.strip_suffix(';'))
            .unwrap_or_else(|| panic!("not an indented statement: {line:?}"));
        if let Some(rest) = statement.strip_prefix('"') {
            let (id, rest) = quoted(rest).unwrap_or_else(|| panic!("bad id in {line:?}"));
            if let Some(rest) = rest.strip_prefix(" -> \"") {
                let (to, rest) = quoted(rest).unwrap_or_else(|| panic!("bad id in {line:?}"));
                attributes(rest.strip_prefix(' ').unwrap_or(rest), line);
                let edge = (id.clone(), to.clone());
                assert!(
                    last_edge.as_ref() < Some(&edge),
                    "edges not sorted at {line:?}"
                );
                last_edge = Some(edge);
                edges.push((id, to));
            } else {
                attributes(rest.strip_prefix(' ').unwrap_or(rest), line);
                assert!(last_node < Some(id.clone()), "nodes not sorted at {line:?}");
                assert!(edges.is_empty(), "node {id} after the edges");
                last_node = Some(id.clone());
                nodes.insert(id);
            }
        } else if let Some(rest) = statement
            .strip_prefix("node ")
            .or_else(|| statement.strip_prefix("edge "))
        {
            attributes(rest, line);
        } else {
            let (key, value) = statement.split_once('=').unwrap();
            assert!(key.chars().all(|c| c.is_ascii_alphabetic()), "{line:?}");
            assert!(value.chars().all(|c| c.is_ascii_alphanumeric()), "{line:?}");
        }
    }
    assert!(!nodes.is_empty());
    for (from, to) in edges {
        assert!(
            nodes.contains(&from) && nodes.contains(&to),
            "edge {from} -> {to} joins an undeclared node"
        );
    }
}

/// The rest of a DOT quoted string after its opening quote: `(content, after the closing quote)`.
fn quoted(text: &str) -> Option<(String, &str)> {
    let mut content = String::new();
    let mut chars = text.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((content, &text[i + 1..])),
            '\\' => content.push(chars.next()?.1),
            '\n' => return None,
            c => content.push(c),
        }
    }
    None
}

/// `[key=value, key="value", ...]`
fn attributes(text: &str, line: &str) {
    let mut rest = text
        .strip_prefix('[')
        .and_then(|t| t.strip_suffix(']'))
        .unwrap_or_else(|| panic!("no attribute list in {line:?}"));
    while !rest.is_empty() {
        let (key, after) = rest
            .split_once('=')
            .unwrap_or_else(|| panic!("bad attribute in {line:?}"));
        assert!(
            !key.is_empty() && key.chars().all(|c| c.is_ascii_alphabetic()),
            "bad attribute name {key:?} in {line:?}"
        );
        let after = if let Some(after) = after.strip_prefix('"') {
            quoted(after)
                .unwrap_or_else(|| panic!("unterminated string in {line:?}"))
                .1
        } else {
            let end = after.find(',').unwrap_or(after.len());
            let value = &after[..end];
            assert!(
                !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric()),
                "bad bare value {value:?} in {line:?}"
            );
            &after[end..]
        };
        rest = match after.strip_prefix(", ") {
            Some(next) => next,
            None if after.is_empty() => after,
            None => panic!("attributes not separated by `, ` in {line:?}"),
        };
    }
}

/// `flowchart LR`, quoted escaped labels on `nN` nodes, edges between declared nodes.
fn check_mermaid(text: &str) {
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("flowchart LR"));
    let mut nodes = BTreeSet::new();
    for line in lines {
        let line = line
            .strip_prefix("  ")
            .unwrap_or_else(|| panic!("not indented: {line:?}"));
        if line.starts_with("classDef ") {
            continue;
        }
        let (id, rest) = line.split_at(line.find(|c: char| !c.is_ascii_alphanumeric()).unwrap());
        assert!(
            id.starts_with('n') && id[1..].parse::<usize>().is_ok(),
            "{line:?}"
        );
        if let Some(edge) = rest.strip_prefix(' ') {
            let (arrow, to) = edge.rsplit_once("| ").unwrap();
            assert!(
                arrow.starts_with("-->|") || arrow.starts_with("-.->|"),
                "{line:?}"
            );
            assert!(nodes.contains(id) && nodes.contains(to), "{line:?}");
        } else {
            // `n0(["label"]):::kind`: exactly two quotes, nothing unescaped in between.
            let (shape, class) = rest.rsplit_once(":::").unwrap();
            assert!(class.chars().all(|c| c.is_ascii_lowercase()), "{line:?}");
            let label = &shape[shape.find('"').unwrap()..=shape.rfind('"').unwrap()];
            let inner = &label[1..label.len() - 1];
            assert!(
                !inner.contains('"') && !inner.contains('`') && !inner.contains('<'),
                "{line:?}"
            );
            nodes.insert(id.to_owned());
        }
    }
    assert!(!nodes.is_empty());
}

/// `{nodes: [{id, kind, label}], edges: [{from, to, kind}]}`, sorted, edges between nodes.
fn check_json(text: &str) {
    let graph: Value = serde_json::from_str(text).unwrap();
    let keys: Vec<&String> = graph.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["edges", "nodes"]);
    let kinds = ["component", "requirement", "merged", "resource", "stack"];
    let mut nodes = BTreeMap::new();
    for node in graph["nodes"].as_array().unwrap() {
        let keys: Vec<&String> = node.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["id", "kind", "label"]);
        let kind = node["kind"].as_str().unwrap();
        assert!(kinds.contains(&kind), "{node}");
        let id = node["id"].as_str().unwrap();
        assert!(id.starts_with(&format!("{kind}:")), "{node}");
        assert!(
            nodes.insert(id.to_owned(), kind).is_none(),
            "duplicate {id}"
        );
    }
    let ids: Vec<&String> = nodes.keys().collect();
    assert_eq!(
        ids,
        strings(graph["nodes"].as_array().unwrap(), "id")
            .iter()
            .collect::<Vec<_>>()
    );
    let edges = edges(&graph);
    let mut sorted = edges.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(edges, sorted, "edges are sorted and unique");
    for (from, to, kind) in &edges {
        let expected = match kind.as_str() {
            "declares" => ("component", "requirement"),
            "merged-into" => ("requirement", "merged"),
            "provisions" => ("merged", "resource"),
            "in-stack" => ("resource", "stack"),
            "references" => ("resource", "resource"),
            other => panic!("unknown edge kind {other}"),
        };
        assert_eq!(
            (nodes[from], nodes[to]),
            expected,
            "{from} -> {to} ({kind})"
        );
    }
}

/// A landing zone's network shows as data sources: the private endpoints and the app refer to
/// the existing subnets, which the network provider read for the `network` requirement, and no
/// created network, subnet or zone appears.
#[test]
fn an_existing_network_shows_as_the_data_sources_it_is_read_with() {
    let workspace = Workspace::with_backend(
        "name: shop\nenvironment: prod\nlocation: eastus\nfunctions: {plan: EP1}\n\
         networking:\n  mode: isolated\n  \
         existing: {virtual_network: {name: vnet-spoke, resource_group: rg-network}, subnets: {private-endpoints: snet-pe, functions-node: snet-node}}\n  \
         private_dns: {resource_group: rg-hub-dns}\n\
         components:\n  users: {type: crud-api, entity: User}\n",
    );
    let graph = json_graph(&workspace, "backend.yaml");
    let nodes: BTreeSet<String> = strings(graph["nodes"].as_array().unwrap(), "id")
        .into_iter()
        .collect();
    for node in [
        "resource:data.azurerm_virtual_network.shared",
        "resource:data.azurerm_subnet.private-endpoints",
        "resource:data.azurerm_subnet.functions-node",
        "resource:data.azurerm_private_dns_zone.cosmos-sql",
    ] {
        assert!(nodes.contains(node), "{node}");
    }
    assert!(!nodes
        .iter()
        .any(|n| n.starts_with("resource:azurerm_virtual_network.")
            || n.starts_with("resource:azurerm_subnet.")
            || n.starts_with("resource:azurerm_private_dns_zone.")));
    let edges = edges(&graph);
    for (from, to) in [
        (
            "resource:azurerm_private_endpoint.cosmos-shared",
            "resource:data.azurerm_subnet.private-endpoints",
        ),
        (
            "resource:azurerm_private_endpoint.cosmos-shared",
            "resource:data.azurerm_private_dns_zone.cosmos-sql",
        ),
        (
            "resource:azurerm_linux_function_app.node",
            "resource:data.azurerm_subnet.functions-node",
        ),
        (
            "resource:data.azurerm_subnet.functions-node",
            "resource:data.azurerm_virtual_network.shared",
        ),
    ] {
        assert!(
            edges.contains(&(from.to_owned(), to.to_owned(), "references".to_owned())),
            "{from} -> {to}"
        );
    }
    assert!(edges.contains(&(
        "merged:network:shared".to_owned(),
        "resource:data.azurerm_virtual_network.shared".to_owned(),
        "provisions".to_owned()
    )));
}
