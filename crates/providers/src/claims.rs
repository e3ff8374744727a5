//! What must exist once in a deployment: DNS record sets, custom domains, and the names Azure
//! keeps unique across Azure or the subscription. Every stack is applied on its own, so two
//! stacks that create the same one pass every offline check and the second `terraform apply`
//! fails ("already exists - to be managed via Terraform this resource needs to be imported").
//! Providers claim DNS records and custom domains as they write them ([`Provisioned::claim`]);
//! names are claimed from the blocks themselves, so no provider can forget one.
//!
//! [`Provisioned::claim`]: crate::context::Provisioned::claim

use crate::codes;
use crate::context::{Block, Claim, Claimed};
use crate::naming::{KindRow, Scope, KINDS};
use baas_model::diagnostic::Diagnostic;
use baas_model::Span;
use std::collections::{BTreeMap, BTreeSet};

/// The few resource types whose names are unique, with their kinds: looked up for every block
/// of every stack, so listed once.
fn unique_types() -> &'static [(&'static str, &'static KindRow)] {
    static TYPES: std::sync::OnceLock<Vec<(&'static str, &'static KindRow)>> =
        std::sync::OnceLock::new();
    TYPES.get_or_init(|| {
        KINDS
            .iter()
            .filter(|row| matches!(row.rule.scope, Scope::Global | Scope::Subscription))
            .flat_map(|row| row.terraform_types.iter().map(move |t| (*t, row)))
            .collect()
    })
}

/// The names `blocks` create that Azure keeps unique across Azure (DNS labels such as
/// `<name>.azurewebsites.net`) or across the subscription (resource groups). Data sources
/// only read, and a name that is an expression is not known here.
pub fn names(blocks: &[Block]) -> Vec<Claim> {
    let unique = unique_types();
    let mut found = Vec::new();
    for block in blocks.iter().filter(|b| !b.address.data) {
        let resource_type = block.address.resource_type.as_str();
        let Some((_, row)) = unique.iter().find(|(t, _)| *t == resource_type) else {
            continue;
        };
        let Some(name) = block.body.get("name").and_then(|n| n.as_str()) else {
            continue;
        };
        if name.contains("${") {
            continue;
        }
        found.push(Claim {
            what: Claimed::Name {
                kind: row.kind,
                name: name.to_owned(),
            },
            span: block.sources.first().map(|s| s.span).unwrap_or_default(),
        });
    }
    found
}

/// One error for each claim that an earlier stack (or an earlier block of the same stack)
/// already made, at the later claim; a name clash is at `naming` (the template, when written),
/// which is what names resources alike. `stacks` is in deploy order: stack name, its claims.
pub fn clashes(stacks: &[(&str, &[Claim])], naming: Span) -> Vec<Diagnostic> {
    let mut first: BTreeMap<Key<'_>, (&str, &Claim)> = BTreeMap::new();
    let mut found = Vec::new();
    let mut reported: BTreeSet<(Span, Span)> = BTreeSet::new();
    for (stack, claims) in stacks {
        for claim in claims.iter() {
            let (checked, taken) = keys(&claim.what);
            if let Some((other_stack, other)) = checked.iter().find_map(|key| first.get(key)) {
                // One cause, one error: a host name given twice clashes as a custom domain and
                // as its records, all claimed at the same two places.
                let names = matches!(claim.what, Claimed::Name { .. });
                if names || reported.insert((claim.span, other.span)) {
                    found.push(clash(claim, stack, other, other_stack, naming));
                }
                continue;
            }
            for key in taken {
                first.insert(key, (stack, claim));
            }
        }
    }
    found
}

/// What a claim takes. A DNS record set is its zone, name and type, and a CNAME takes its name
/// from every other type (DNS allows no other record beside a CNAME): a CNAME takes and checks
/// every type, any other record takes its own type and checks it and CNAME.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key<'a> {
    Record(&'a str, &'a str, &'a str),
    Other(&'a Claimed),
}

const RECORD_TYPES: &[&str] = &["A", "AAAA", "CAA", "CNAME", "MX", "NS", "PTR", "SRV", "TXT"];

/// The keys a claim must find free, and the keys it then takes.
fn keys(what: &Claimed) -> (Vec<Key<'_>>, Vec<Key<'_>>) {
    match what {
        Claimed::DnsRecord {
            zone,
            name,
            record_type,
        } if *record_type == "CNAME" => {
            let all: Vec<Key<'_>> = RECORD_TYPES
                .iter()
                .map(|t| Key::Record(zone, name, t))
                .collect();
            (all.clone(), all)
        }
        Claimed::DnsRecord {
            zone,
            name,
            record_type,
        } => (
            vec![
                Key::Record(zone, name, record_type),
                Key::Record(zone, name, "CNAME"),
            ],
            vec![Key::Record(zone, name, record_type)],
        ),
        other => (vec![Key::Other(other)], vec![Key::Other(other)]),
    }
}

fn describe(what: &Claimed) -> String {
    match what {
        Claimed::DnsRecord {
            zone,
            name,
            record_type,
        } => format!("the {record_type} record `{name}` in the DNS zone `{zone}`"),
        Claimed::CustomDomain(host) => format!("the custom domain `{host}`"),
        Claimed::Name { kind, name } => format!("the {} name `{name}`", kind.row().display_name),
    }
}

fn clash(claim: &Claim, stack: &str, other: &Claim, other_stack: &str, naming: Span) -> Diagnostic {
    let (what, other_what) = (describe(&claim.what), describe(&other.what));
    let message = if other_stack == stack {
        format!("{what} is created twice in the `{stack}` stack")
    } else {
        format!("{what} is created by both the `{other_stack}` and the `{stack}` stacks")
    };
    let message = if what == other_what {
        message
    } else {
        format!("{message}, where {other_what} already is")
    };
    let help = match &claim.what {
        Claimed::Name { .. } => {
            "keep `{{region}}` and `{{instance}}` in `naming.template`: stacks tell their resources apart by the region and the instance (which carries the tenant, color or `global`)"
        }
        _ => "give each its own host name: a DNS record set and a custom domain can be created once",
    };
    let (span, label) = match &claim.what {
        Claimed::Name { .. } => (naming, "names resources alike in several stacks"),
        _ => (claim.span, "created again"),
    };
    let diagnostic = Diagnostic::error(&codes::DUPLICATE, message)
        .at(span)
        .label(label)
        .help(help);
    if other.span == span || matches!(claim.what, Claimed::Name { .. }) {
        diagnostic
    } else {
        diagnostic.related(other.span, "first created for this")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(name: &str, record_type: &'static str) -> Claim {
        Claim {
            what: Claimed::DnsRecord {
                zone: "example.com".to_owned(),
                name: name.to_owned(),
                record_type,
            },
            span: Span::default(),
        }
    }

    #[test]
    fn a_cname_excludes_every_other_record_of_its_name() {
        let a = [record("www", "TXT")];
        let b = [record("www", "CNAME")];
        assert_eq!(
            clashes(&[("one", &a), ("two", &b)], Span::default()).len(),
            1
        );
        let c = [record("www", "A")];
        assert_eq!(
            clashes(&[("one", &a), ("two", &c)], Span::default()).len(),
            0,
            "a TXT and an A record share a name"
        );
        let d = [record("api", "CNAME")];
        assert_eq!(
            clashes(&[("one", &b), ("two", &d)], Span::default()).len(),
            0
        );
    }

    #[test]
    fn a_clash_is_reported_once_at_the_later_claim() {
        let a = [record("www", "CNAME")];
        let b = [record("www", "CNAME"), record("www", "TXT")];
        let found = clashes(&[("one", &a), ("two", &b)], Span::default());
        assert_eq!(
            found.len(),
            1,
            "one cause at the same two places, one error"
        );
        assert!(
            found[0]
                .message
                .contains("both the `one` and the `two` stacks"),
            "{}",
            found[0].message
        );
    }
}
