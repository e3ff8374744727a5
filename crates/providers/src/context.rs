//! What providers see: merged requirements, the backend's settings, names and references.

use crate::naming::{NameParts, Namer, NamingError, ResourceKind};
use baas_model::diagnostic::Diagnostic;
use baas_model::existing::{ExistingResource, NameTemplate, StackVar};
use baas_model::{Backend, Requirement, RequirementConfig, Source, SourceFile, Span};
use baas_terraform::Address;
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Requirements of one `(type, key)` merged into one, with every component that asked.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub kind: String,
    pub key: String,
    pub config: RequirementConfig,
    pub sources: Vec<Source>,
}

impl Merged {
    /// The start of every merge: the first requirement's settings (which the provider then
    /// combines with the others'), and every requirement's source. `group` is never empty.
    pub fn from_group(group: &[Requirement]) -> Merged {
        let first = &group[0];
        Merged {
            kind: first.kind.clone(),
            key: first.key.clone(),
            config: first.config.clone(),
            sources: group.iter().map(|r| r.source.clone()).collect(),
        }
    }

    /// Where to point a diagnostic about the merged resource: its first source.
    pub fn span(&self) -> Span {
        self.sources.first().map(|s| s.span).unwrap_or_default()
    }

    /// The components that asked, deduplicated, in order.
    pub fn components(&self) -> Vec<&str> {
        let mut seen = std::collections::BTreeSet::new();
        self.sources
            .iter()
            .map(|s| s.component.as_str())
            .filter(|c| seen.insert(*c))
            .collect()
    }
}

/// One Terraform resource block and the components it was made for.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    pub address: Address,
    pub body: Value,
    pub sources: Vec<Source>,
    /// Destroying the resource destroys data users put there (a database, a queue's
    /// messages): synth protects it with `lifecycle.prevent_destroy` unless `protect: false`,
    /// and `baas diff` calls its removal or replacement data loss.
    pub holds_data: bool,
    /// The template file that rendered the block (a template provider's), so that a problem
    /// the schema check finds in it is reported in that file.
    pub rendered_from: Option<Arc<SourceFile>>,
}

/// What one provider produced for one merged requirement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provisioned {
    pub blocks: Vec<Block>,
    /// Output name -> (expression, description).
    pub outputs: BTreeMap<String, (String, String)>,
    /// Manifest section -> entry key -> entry, already written as the manifest holds it (two
    /// levels deep): a written entry is a fraction of its values' size, and the primary stack
    /// of 1,000 CRUD APIs records 5,000 functions while it is assembled, checked and written.
    pub manifest: BTreeMap<String, BTreeMap<String, String>>,
    /// What this stack deploys to, for its own entry under the manifest's `stacks`: section ->
    /// entry key -> entry. Every stack records these (they are small: one per function app).
    pub stack_manifest: BTreeMap<String, BTreeMap<String, Value>>,
    /// What these blocks create that must exist once in the deployment besides the names of
    /// their resources (which are claimed from the blocks themselves): DNS records and custom
    /// domains.
    pub claims: Vec<Claim>,
    /// `(from, to)`: resources that keep living in Azure under a new address (a renamed
    /// component). Each becomes a Terraform `moved` block in the stack.
    pub moved: Vec<(Address, Address)>,
    /// Resources the stack no longer creates but must not destroy: a foundation that was
    /// created and is existing now (read by a data source). Each becomes a Terraform `removed`
    /// block with `lifecycle.destroy = false`, so the switch forgets the resource from state;
    /// for an address not in state the block does nothing.
    pub forgotten: Vec<Address>,
}

/// Something a stack creates that no other resource of the deployment may create too: the
/// second `terraform apply` would fail with "already exists".
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Claimed {
    /// A record set in an Azure DNS zone. A CNAME excludes every other record of its name.
    DnsRecord {
        zone: String,
        name: String,
        record_type: &'static str,
    },
    /// A host name validated on a Front Door profile or served through Traffic Manager.
    CustomDomain(String),
    /// A resource name that is unique across Azure or the subscription.
    Name {
        kind: crate::naming::ResourceKind,
        name: String,
    },
}

/// A claim and the YAML that caused it.
#[derive(Debug, Clone, PartialEq)]
pub struct Claim {
    pub what: Claimed,
    pub span: Span,
}

impl Provisioned {
    pub fn block(&mut self, address: Address, body: Value, sources: &[Source]) {
        self.blocks.push(Block {
            address,
            body,
            sources: sources.to_vec(),
            holds_data: false,
            rendered_from: None,
        });
    }

    /// A block a template rendered (see [`Block::rendered_from`]).
    pub fn rendered_block(
        &mut self,
        address: Address,
        body: Value,
        sources: &[Source],
        template: &Arc<SourceFile>,
    ) {
        self.blocks.push(Block {
            address,
            body,
            sources: sources.to_vec(),
            holds_data: false,
            rendered_from: Some(Arc::clone(template)),
        });
    }

    /// A block of a resource that holds data (see [`Block::holds_data`]).
    pub fn data_block(&mut self, address: Address, body: Value, sources: &[Source]) {
        self.blocks.push(Block {
            address,
            body,
            sources: sources.to_vec(),
            holds_data: true,
            rendered_from: None,
        });
    }

    /// The resource once at `from` is at `to` now: Terraform moves its state, Azure sees no
    /// change.
    pub fn moved(&mut self, from: Address, to: Address) {
        self.moved.push((from, to));
    }

    /// The resource at `address` (written by baas before) is existing now: forget it, never
    /// destroy it. A provider that can read a foundation instead of creating it calls this
    /// whenever it reads it, so that a stack switched from created to existing keeps it.
    pub fn forget(&mut self, address: Address) {
        self.forgotten.push(address);
    }

    pub fn output(&mut self, name: &str, expression: String, description: &str) {
        self.outputs
            .insert(name.to_owned(), (expression, description.to_owned()));
    }

    /// Describes what was provisioned in `baas.manifest.json`. The entry is built only for
    /// the stack the manifest describes the backend by (see [`Context::without_manifest`]):
    /// at 1,000 components the function apps' entries alone are tens of thousands of values,
    /// and every other regional copy would build them only to drop them.
    pub fn manifest_entry(
        &mut self,
        context: &Context<'_>,
        section: &str,
        key: &str,
        entry: impl FnOnce() -> Value,
    ) {
        if context.records_manifest {
            self.manifest
                .entry(section.to_owned())
                .or_default()
                // manifest -> section -> entry: two levels deep.
                .insert(
                    key.to_owned(),
                    baas_terraform::document::to_json_at(&entry(), 2),
                );
        }
    }

    /// Records something that must exist once in the deployment (see [`Claimed`]).
    pub fn claim(&mut self, what: Claimed, span: Span) {
        self.claims.push(Claim { what, span });
    }

    /// Describes what this stack deploys to, in its own entry of the manifest's `stacks`.
    pub fn stack_manifest_entry(&mut self, section: &str, key: &str, entry: Value) {
        self.stack_manifest
            .entry(section.to_owned())
            .or_default()
            .insert(key.to_owned(), entry);
    }
}

/// The read-only view providers validate and provision against.
#[derive(Debug)]
pub struct Context<'a> {
    pub backend: &'a Backend,
    pub namer: &'a Namer,
    /// Every merged requirement, for cross-references (which plan an app runs on, say).
    pub merged: &'a [Merged],
    /// `(kind, key)` -> position in `merged`, so cross-references stay O(log n).
    index: BTreeMap<(&'a str, &'a str), usize>,
    /// The stack being provisioned: its region and color go into names.
    pub stack: StackInfo,
    /// Whether manifest entries are wanted from this stack.
    records_manifest: bool,
}

/// What a stack is for, which decides what providers put in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StackRole {
    /// `single`: the whole backend.
    Main,
    /// `multi-region`: the whole backend in one region.
    Region,
    /// `blue-green`: the whole backend in one color.
    Color,
    /// `disaster-recovery`: the backend with the geo-replicated Cosmos account.
    Primary,
    /// `disaster-recovery`: compute only; reads the primary's Cosmos account.
    Secondary,
    /// Traffic Manager in front of the other stacks.
    Global,
}

impl StackRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StackRole::Main => "main",
            StackRole::Region => "region",
            StackRole::Color => "color",
            StackRole::Primary => "primary",
            StackRole::Secondary => "secondary",
            StackRole::Global => "global",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackInfo {
    /// The stack's folder under the output folder: `main`, `eastus`, `blue`, `global`, ...
    pub name: String,
    pub role: StackRole,
    pub region: &'static baas_model::regions::Region,
    pub color: Option<baas_model::Color>,
    /// Under `isolation: account`, the tenant whose backend this stack is.
    pub tenant: Option<String>,
}

impl StackInfo {
    /// The same stack as part of `tenant`'s backend under `isolation: account`: `tenant-<id>`,
    /// or `tenant-<id>-<stack>` under a strategy with more than one stack.
    pub fn of_tenant(self, tenant: &str) -> StackInfo {
        let name = if self.role == StackRole::Main {
            format!("tenant-{tenant}")
        } else {
            format!("tenant-{tenant}-{}", self.name)
        };
        StackInfo {
            name,
            tenant: Some(tenant.to_owned()),
            ..self
        }
    }

    /// What the names of this stack's resources carry besides their own instance and the
    /// region: the tenant, then the color or `global`. Two stacks in one region with the same
    /// qualifiers would name their resources alike.
    pub fn qualifiers(&self) -> impl Iterator<Item = &str> {
        let role = match (self.color, self.role) {
            (Some(color), _) => Some(color.as_str()),
            (None, StackRole::Global) => Some(StackRole::Global.as_str()),
            _ => None,
        };
        [self.tenant.as_deref(), role].into_iter().flatten()
    }
}

impl<'a> Context<'a> {
    pub fn new(backend: &'a Backend, namer: &'a Namer, merged: &'a [Merged]) -> Self {
        let index = merged
            .iter()
            .enumerate()
            .map(|(i, m)| ((m.kind.as_str(), m.key.as_str()), i))
            .collect();
        let stack = StackInfo {
            name: "main".to_owned(),
            role: StackRole::Main,
            region: backend.location.value,
            color: None,
            tenant: None,
        };
        Context {
            backend,
            namer,
            merged,
            index,
            stack,
            records_manifest: true,
        }
    }

    /// The same view, provisioning another stack.
    pub fn with_stack(&self, stack: StackInfo) -> Context<'a> {
        Context {
            backend: self.backend,
            namer: self.namer,
            merged: self.merged,
            index: self.index.clone(),
            stack,
            records_manifest: self.records_manifest,
        }
    }

    /// The same view for a stack whose manifest entries nobody reads: the manifest describes
    /// the backend once, as its first stack names it, so the other regions and colors skip
    /// building them.
    pub fn without_manifest(mut self) -> Self {
        self.records_manifest = false;
        self
    }
}

impl Context<'_> {
    pub fn find(&self, kind: &str, key: &str) -> Option<&Merged> {
        self.index.get(&(kind, key)).map(|&i| &self.merged[i])
    }

    pub fn all(&self, kind: &str) -> impl Iterator<Item = &Merged> {
        let kind = kind.to_owned();
        self.merged.iter().filter(move |m| m.kind == kind)
    }

    /// The region of the stack being provisioned.
    pub fn location(&self) -> &'static str {
        self.stack.region.name
    }

    /// The Azure name of a resource, or a diagnostic at `span` that says why none fits.
    pub fn name(
        &self,
        kind: ResourceKind,
        instance: &str,
        span: Span,
    ) -> Result<String, Diagnostic> {
        let region = self.stack.region;
        // Names carry the stack's region (through the template) and its tenant and color or
        // role (through the instance), so stacks never collide.
        let qualified: Vec<&str> = std::iter::once(instance)
            .chain(self.stack.qualifiers())
            .filter(|part| !part.is_empty())
            .collect();
        let qualified = qualified.join("-");
        let instance = qualified.as_str();
        let parts = NameParts {
            app: &self.backend.name.value,
            env: &self.backend.environment.value,
            region: region.short,
            location: region.name,
            instance,
        };
        self.namer
            .name(kind, &parts)
            .map_err(|error| naming_diagnostic(&error, span))
    }

    /// The resource group every resource of the stack lives in.
    pub fn resource_group(&self) -> Address {
        crate::facts::refs::resource_group(self.backend)
    }

    /// Whether the backend is deployed as several stacks (regions, colors, tenants): then what
    /// exists once per deployment ([`crate::Placement::Deployment`]) lives in the `global` stack.
    pub fn several_backend_stacks(&self) -> bool {
        let several_tenants = self.backend.tenancy.as_ref().is_some_and(|t| {
            t.isolation.value == baas_model::Isolation::Account && t.tenants.len() > 1
        });
        !matches!(
            self.backend.deployment.strategy,
            baas_model::Strategy::Single
        ) || several_tenants
    }

    /// The Terraform reference to the name of the stack's resource group.
    pub fn resource_group_name(&self) -> String {
        self.resource_group().attr("name")
    }

    /// The Azure name of the stack's resource group, as a value (for data sources in other
    /// stacks and the manifest); a name that cannot fit is reported at the document's `name`.
    pub fn resource_group_azure_name(&self) -> Result<String, Diagnostic> {
        let Some(existing) = &self.backend.resource_group else {
            return self.name(ResourceKind::ResourceGroup, "", self.backend.name.span);
        };
        self.existing_name(ResourceKind::ResourceGroup, &existing.name)
    }

    /// The name and resource group of an existing resource of `kind` (the landing zone's
    /// workspace or Cosmos DB account) as this stack renders them; a name Azure refuses is
    /// reported at its template.
    pub fn existing_azure_name(
        &self,
        existing: &ExistingResource,
        kind: ResourceKind,
    ) -> Result<(String, String), Diagnostic> {
        let name = self.existing_name(kind, &existing.name);
        let group = self.existing_name(ResourceKind::ResourceGroup, &existing.resource_group);
        match (name, group) {
            (Ok(name), Ok(group)) => Ok((name, group)),
            (Err(error), _) | (_, Err(error)) => Err(error),
        }
    }

    /// The name of an existing resource of `kind` (a landing zone's) as this stack renders its
    /// template; a name Azure would refuse is reported at the template.
    pub fn existing_name(
        &self,
        kind: ResourceKind,
        template: &NameTemplate,
    ) -> Result<String, Diagnostic> {
        let name = template.render(|var| match var {
            StackVar::Stack => self.stack.name.clone(),
            StackVar::Region => self.stack.region.short.to_owned(),
            StackVar::Location => self.stack.region.name.to_owned(),
            StackVar::Env => self.backend.environment.value.clone(),
            StackVar::Name => self.backend.name.value.clone(),
            StackVar::Tenant => self.stack.tenant.clone().unwrap_or_default(),
        });
        kind.rule()
            .check(kind, &name)
            .map(|()| name)
            .map_err(|error| naming_diagnostic(&error, template.text.span))
    }
}

pub fn naming_diagnostic(error: &NamingError, span: Span) -> Diagnostic {
    let diagnostic = Diagnostic::error(&crate::codes::NAME, error.message())
        .at(span)
        .label("this resource's name");
    match error.help() {
        Some(help) => diagnostic.help(help),
        None => diagnostic,
    }
}
