//! Foundations a landing zone provides: resources baas reads by name instead of creating: the
//! resource group (`resource_group: {name: "rg-shop-{{stack}}-{{env}}"}`), the Log Analytics
//! workspace (`monitoring.workspace`) and the Cosmos DB account (`cosmos.existing`), the last
//! two as a name and a resource group. Each stack renders the names from its own values, so one
//! template serves every stack.

use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::yaml::Node;

pub const RESOURCE_GROUP_KEYS: &[&str] = &["name"];
/// The keys of `monitoring.workspace` and `cosmos.existing`.
pub const EXISTING_KEYS: &[&str] = &["name", "resource_group"];

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
    let name = template(name, "`resource_group.name`", sink)?;
    Some(ExistingResourceGroup { name })
}

/// `{name, resource_group}` of an existing resource at `what` (`monitoring.workspace`,
/// `cosmos.existing`): both required, both templates.
pub fn existing_resource(node: &Node, what: &str, sink: &mut Sink) -> Option<ExistingResource> {
    let map = MapReader::new(node, &format!("`{what}`"), EXISTING_KEYS, sink)?;
    let name = map.require("name", &format!("`{what}`"), sink);
    let group = map.require("resource_group", &format!("`{what}`"), sink);
    let name = name.and_then(|n| template(n, &format!("`{what}.name`"), sink));
    let resource_group = group.and_then(|n| template(n, &format!("`{what}.resource_group`"), sink));
    Some(ExistingResource {
        name: name?,
        resource_group: resource_group?,
        span: node.span,
    })
}

/// A name template; a problem in it is `baas::schema::invalid_value` at the text.
fn template(node: &Node, what: &str, sink: &mut Sink) -> Option<NameTemplate> {
    let text = decode::string(node, what, sink)?;
    match NameTemplate::parse(text.clone()) {
        Ok(template) => Some(template),
        Err(problem) => {
            sink.push(
                Diagnostic::error(&codes::SCHEMA_VALUE, format!("{what}: {problem}"))
                    .at(text.span)
                    .help("write a name with `{{stack}}`, `{{region}}`, `{{location}}`, `{{env}}`, `{{name}}` or `{{tenant}}`, such as `rg-shop-{{stack}}-{{env}}`"),
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
