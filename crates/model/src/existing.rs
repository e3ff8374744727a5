//! Foundations a landing zone provides: resources baas reads by name instead of creating: the
//! resource group (`resource_group: {name: "rg-shop-{{stack}}-{{env}}"}`), the virtual network
//! and its subnets (`networking.existing`), the central private DNS zones
//! (`networking.private_dns`), the Log Analytics workspace (`monitoring.workspace`) and the
//! Cosmos DB account (`cosmos.existing`). Each stack renders the names from its own values, so one
//! template serves every stack.

use crate::backend::{Guid, Runtime};
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;

pub const RESOURCE_GROUP_KEYS: &[&str] = &["name"];
/// The keys of `monitoring.workspace` and `cosmos.existing`.
pub const EXISTING_KEYS: &[&str] = &["name", "resource_group"];
pub const NETWORK_KEYS: &[&str] = &["virtual_network", "subnets"];
pub const VIRTUAL_NETWORK_KEYS: &[&str] = &["name", "resource_group"];
pub const PRIVATE_DNS_KEYS: &[&str] = &["resource_group", "subscription_id"];

/// An existing resource group, read with a data source in every stack.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingResourceGroup {
    pub name: NameTemplate,
}

/// An existing resource in a resource group of its own (`{name, resource_group}`), both
/// templates, read with a data source.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingResource {
    pub name: NameTemplate,
    pub resource_group: NameTemplate,
    /// The mapping, for diagnostics about the resource as a whole.
    pub span: Span,
}

/// What a name template may use, per stack.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StackVar {
    /// The stack's folder: `main`, `eastus`, `blue`, `primary`, `tenant-acme`, ...
    Stack,
    /// The region's short code (`eus`).
    Region,
    /// The region's programmatic name (`eastus`).
    Location,
    /// `environment`.
    Env,
    /// `name`.
    Name,
    /// The tenant id under `isolation: account`; empty otherwise.
    Tenant,
}

impl StackVar {
    const ALL: [(&'static str, StackVar); 6] = [
        ("stack", StackVar::Stack),
        ("region", StackVar::Region),
        ("location", StackVar::Location),
        ("env", StackVar::Env),
        ("name", StackVar::Name),
        ("tenant", StackVar::Tenant),
    ];

    fn parse(text: &str) -> Option<StackVar> {
        Self::ALL.iter().find(|(n, _)| *n == text).map(|(_, v)| *v)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Part {
    Text(String),
    Var(StackVar),
}

/// A name with `{{variable}}` placeholders, parsed once.
#[derive(Debug, Clone, PartialEq)]
pub struct NameTemplate {
    pub text: Spanned<String>,
    parts: Vec<Part>,
}

impl NameTemplate {
    /// Parses `text`; the error says what is wrong (for a located diagnostic).
    pub fn parse(text: Spanned<String>) -> Result<NameTemplate, String> {
        let mut parts = Vec::new();
        let mut rest = text.value.as_str();
        while let Some(open) = rest.find("{{") {
            if open > 0 {
                parts.push(Part::Text(rest[..open].to_owned()));
            }
            let after = &rest[open + 2..];
            let Some(close) = after.find("}}") else {
                return Err("`{{` without a closing `}}`".to_owned());
            };
            let name = after[..close].trim();
            let Some(var) = StackVar::parse(name) else {
                let known = StackVar::ALL.iter().map(|(n, _)| *n);
                let hint = match crate::suggest::did_you_mean(name, known) {
                    Some(s) => format!("; did you mean `{{{{{s}}}}}`?"),
                    None => String::new(),
                };
                return Err(format!("`{{{{{name}}}}}` is not a variable{hint}"));
            };
            parts.push(Part::Var(var));
            rest = &after[close + 2..];
        }
        if rest.contains("}}") {
            return Err("`}}` without an opening `{{`".to_owned());
        }
        if !rest.is_empty() {
            parts.push(Part::Text(rest.to_owned()));
        }
        Ok(NameTemplate { text, parts })
    }

    pub fn uses(&self, var: StackVar) -> bool {
        self.parts.contains(&Part::Var(var))
    }

    /// The name for one stack; `value` gives each variable's value there.
    pub fn render(&self, value: impl Fn(StackVar) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Var(var) => value(*var),
            })
            .collect()
    }
}

/// `resource_group: {name: ...}`.
pub fn resource_group(node: &Node, sink: &mut Sink) -> Option<ExistingResourceGroup> {
    let map = MapReader::new(node, "`resource_group`", RESOURCE_GROUP_KEYS, sink)?;
    let name = map.require("name", "`resource_group`", sink)?;
    let name = template(
        name,
        "resource_group.name",
        "rg-shop-{{stack}}-{{env}}",
        sink,
    )?;
    Some(ExistingResourceGroup { name })
}

/// `{name, resource_group}` of an existing resource at `what` (`monitoring.workspace`,
/// `cosmos.existing`): both required, both templates; `example` is a good name for the help.
pub fn existing_resource(
    node: &Node,
    what: &str,
    example: &str,
    sink: &mut Sink,
) -> Option<ExistingResource> {
    let map = MapReader::new(node, &format!("`{what}`"), EXISTING_KEYS, sink)?;
    let name = map.require("name", &format!("`{what}`"), sink);
    let group = map.require("resource_group", &format!("`{what}`"), sink);
    let name = name.and_then(|n| template(n, &format!("{what}.name"), example, sink));
    let resource_group = group.and_then(|n| {
        template(
            n,
            &format!("{what}.resource_group"),
            "rg-shop-{{env}}",
            sink,
        )
    });
    Some(ExistingResource {
        name: name?,
        resource_group: resource_group?,
        span: node.span,
    })
}

/// A name template at `node`; `what` is its key path, `example` a good name for the help.
fn template(node: &Node, what: &str, example: &str, sink: &mut Sink) -> Option<NameTemplate> {
    let text = decode::string(node, &format!("`{what}`"), sink)?;
    match NameTemplate::parse(text.clone()) {
        Ok(name) => Some(name),
        Err(problem) => {
            sink.push(
                Diagnostic::error(&codes::SCHEMA_VALUE, format!("`{what}`: {problem}"))
                    .at(text.span)
                    .help(format!("write a name with `{{{{stack}}}}`, `{{{{region}}}}`, `{{{{location}}}}`, `{{{{env}}}}`, `{{{{name}}}}` or `{{{{tenant}}}}`, such as `{example}`")),
            );
            None
        }
    }
}

/// What a subnet is for, as baas carves them when it creates the network; with an existing
/// network `networking.existing.subnets` names the landing zone's subnet of each role the
/// backend needs. The keys are the carved subnets' Terraform names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum SubnetRole {
    /// `private-endpoints`: the data services' private endpoints.
    PrivateEndpoints,
    /// `functions-<runtime>`: the App Service plan whose first app (in key order) is this
    /// runtime's joins it (apps that share a plan share its subnet).
    Functions(Runtime),
}

impl SubnetRole {
    pub fn all() -> impl Iterator<Item = SubnetRole> {
        std::iter::once(SubnetRole::PrivateEndpoints)
            .chain(Runtime::ALL.into_iter().map(SubnetRole::Functions))
    }

    pub fn key(self) -> String {
        match self {
            SubnetRole::PrivateEndpoints => "private-endpoints".to_owned(),
            SubnetRole::Functions(runtime) => format!("functions-{}", runtime.as_str()),
        }
    }

    fn keys() -> Vec<String> {
        Self::all().map(Self::key).collect()
    }
}

/// `networking.existing`: the landing zone's virtual network and the subnet of each role.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingNetwork {
    pub name: NameTemplate,
    pub resource_group: NameTemplate,
    pub subnets: BTreeMap<SubnetRole, NameTemplate>,
    /// `networking.existing.subnets` (or `existing` when it is missing), where a role the
    /// backend needs and no subnet names is reported.
    pub subnets_span: Span,
    /// The `existing` key.
    pub span: Span,
}

/// `networking.private_dns`: the landing zone's central private DNS zones (`privatelink.*`),
/// which the private endpoints' zone groups register in; baas creates no zone and no link.
#[derive(Debug, Clone, PartialEq)]
pub struct ExistingDns {
    pub resource_group: NameTemplate,
    /// The zones' subscription when it is not the deployment's (a hub's): the zones are then
    /// named by id, since the stack's provider cannot read another subscription.
    pub subscription_id: Option<Spanned<Guid>>,
    /// The `private_dns` key.
    pub span: Span,
}

/// `networking.existing`; `false` (for an environment overlay) means none.
pub fn network(node: &Node, key: Span, sink: &mut Sink) -> Option<ExistingNetwork> {
    if is_false(node) {
        return None;
    }
    let map = MapReader::new(node, "`networking.existing`", NETWORK_KEYS, sink)?;
    let vnet = map.require("virtual_network", "`networking.existing`", sink);
    let vnet = vnet.and_then(|n| {
        let what = "`networking.existing.virtual_network`";
        let map = MapReader::new(n, what, VIRTUAL_NETWORK_KEYS, sink)?;
        let name = map.require("name", what, sink);
        let group = map.require("resource_group", what, sink);
        let name = name.and_then(|n| {
            template(
                n,
                "networking.existing.virtual_network.name",
                "vnet-spoke-shop-{{region}}",
                sink,
            )
        });
        let group = group.and_then(|n| {
            template(
                n,
                "networking.existing.virtual_network.resource_group",
                "rg-network-{{region}}",
                sink,
            )
        });
        Some((name?, group?))
    });
    let mut subnets = BTreeMap::new();
    let subnets_node = map.require("subnets", "`networking.existing`", sink);
    if let Some(node) = subnets_node {
        let keys = SubnetRole::keys();
        let known: Vec<&str> = keys.iter().map(String::as_str).collect();
        if let Some(roles) = MapReader::new(node, "`networking.existing.subnets`", &known, sink) {
            for (key, value) in roles.entries() {
                let text = decode::scalar_text(key);
                let Some(role) = SubnetRole::all().find(|r| r.key() == text) else {
                    continue; // reported as an unknown key
                };
                let what = format!("networking.existing.subnets.{text}");
                if let Some(name) = template(value, &what, "snet-shop-pe", sink) {
                    subnets.insert(role, name);
                }
            }
        }
    }
    let (name, resource_group) = vnet?;
    Some(ExistingNetwork {
        name,
        resource_group,
        subnets,
        subnets_span: subnets_node.map_or(key, |n| n.span),
        span: key,
    })
}

/// `networking.private_dns`; `false` (for an environment overlay) means none.
pub fn private_dns(node: &Node, key: Span, sink: &mut Sink) -> Option<ExistingDns> {
    if is_false(node) {
        return None;
    }
    let what = "`networking.private_dns`";
    let map = MapReader::new(node, what, PRIVATE_DNS_KEYS, sink)?;
    let group = map.require("resource_group", what, sink).and_then(|n| {
        template(
            n,
            "networking.private_dns.resource_group",
            "rg-hub-dns",
            sink,
        )
    });
    let subscription_id = match map.get("subscription_id") {
        Some(node) => Some(subscription(node, sink)?),
        None => None,
    };
    Some(ExistingDns {
        resource_group: group?,
        subscription_id,
        span: key,
    })
}

/// `false`: what an environment overlay writes to drop a foundation the base document names.
fn is_false(node: &Node) -> bool {
    matches!(&node.value, Value::Scalar { text, quoted: false } if text == "false")
}

fn subscription(node: &Node, sink: &mut Sink) -> Option<Spanned<Guid>> {
    let text = decode::string(node, "`networking.private_dns.subscription_id`", sink)?;
    match Guid::parse(&text.value) {
        Some(guid) => Some(Spanned::new(guid, text.span)),
        None => {
            sink.push(
                Diagnostic::error(
                    &codes::SCHEMA_VALUE,
                    format!("`networking.private_dns.subscription_id` `{}` is not a GUID", text.value),
                )
                .at(text.span)
                .label("not a subscription id")
                .help("write the hub subscription's id, e.g. `00000000-0000-0000-0000-000000000000` (`az account show --query id`)"),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Span;

    fn parse(text: &str) -> Result<NameTemplate, String> {
        NameTemplate::parse(Spanned::new(text.to_owned(), Span::default()))
    }

    #[test]
    fn a_template_renders_each_stack_s_values() {
        let template = parse("rg-{{name}}-{{ stack }}-{{env}}").unwrap();
        assert!(template.uses(StackVar::Stack));
        assert!(!template.uses(StackVar::Tenant));
        let name = template.render(|var| match var {
            StackVar::Name => "shop".into(),
            StackVar::Stack => "blue".into(),
            StackVar::Env => "prod".into(),
            _ => unreachable!(),
        });
        assert_eq!(name, "rg-shop-blue-prod");
        assert_eq!(
            parse("rg-fixed").unwrap().render(|_| unreachable!()),
            "rg-fixed"
        );
    }

    fn read_networking(yaml: &str) -> (Option<ExistingNetwork>, Option<ExistingDns>, Vec<String>) {
        let source = crate::SourceFile::new("backend.yaml", yaml);
        let root = crate::yaml::parse(&source).unwrap();
        let mut sink = Sink::default();
        let networking = crate::read_networking::networking(Some(&root), root.span, &mut sink);
        let codes = sink
            .diagnostics
            .iter()
            .map(|d| d.code.id.to_owned())
            .collect();
        (networking.existing, networking.private_dns, codes)
    }

    #[test]
    fn an_existing_network_is_read_by_role() {
        let (network, dns, codes) = read_networking(
            "mode: isolated
existing: {virtual_network: {name: \"vnet-{{region}}\", resource_group: rg-net}, \
             subnets: {private-endpoints: snet-pe, functions-dotnet-isolated: snet-dotnet}}\n\
             private_dns: {resource_group: rg-dns, subscription_id: 11111111-2222-3333-4444-555555555555}\n",
        );
        assert_eq!(codes, Vec::<String>::new());
        let network = network.unwrap();
        assert!(network.name.uses(StackVar::Region));
        let roles: Vec<SubnetRole> = network.subnets.keys().copied().collect();
        assert_eq!(
            roles,
            [
                SubnetRole::PrivateEndpoints,
                SubnetRole::Functions(Runtime::DotnetIsolated)
            ]
        );
        let dns = dns.unwrap();
        assert_eq!(dns.resource_group.text.value, "rg-dns");
        assert_eq!(
            dns.subscription_id
                .map(|s| s.value.as_str().to_owned())
                .as_deref(),
            Some("11111111-2222-3333-4444-555555555555")
        );
    }

    #[test]
    fn false_drops_a_landing_zone_s_network_and_zones() {
        let (network, dns, codes) = read_networking(
            "mode: isolated
address_space: 10.0.0.0/16
existing: false
private_dns: false
",
        );
        assert_eq!((network, dns, codes), (None, None, Vec::new()));
    }

    #[test]
    fn bad_templates_say_what_is_wrong() {
        assert_eq!(
            parse("rg-{{stak}}").unwrap_err(),
            "`{{stak}}` is not a variable; did you mean `{{stack}}`?"
        );
        assert_eq!(
            parse("rg-{{stack").unwrap_err(),
            "`{{` without a closing `}}`"
        );
        assert_eq!(
            parse("rg-stack}}").unwrap_err(),
            "`}}` without an opening `{{`"
        );
    }
}
