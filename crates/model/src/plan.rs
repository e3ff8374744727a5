//! The Linux function hosting plans baas knows, as a typed value with the properties every
//! provider asks of them (which resource type an app gets, whether it can join a network,
//! whether it scales on events). The reader parses `plan` into one ([`read`]), reporting an
//! unknown plan where it is written.

use crate::codes;
use crate::decode::{self, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::Spanned;
use crate::yaml::Node;

/// Linux plans in the order "highest wins" ranks them.
pub const NAMES: &[&str] = &[
    "Y1", "FC1", "B1", "B2", "B3", "S1", "S2", "S3", "P0v3", "P1v3", "P2v3", "P3v3", "EP1", "EP2",
    "EP3",
];

/// One Linux function hosting plan that baas knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct FunctionPlan {
    /// Position in [`NAMES`]: the plan's rank.
    rank: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Consumption,
    FlexConsumption,
    ElasticPremium,
    Dedicated,
}

impl FunctionPlan {
    /// baas's default without `functions.plan` or a component's `plan`: Consumption (`Y1`).
    pub const DEFAULT: FunctionPlan = FunctionPlan { rank: 0 };

    /// The plan called `name`, if baas knows it.
    pub fn parse(name: &str) -> Option<FunctionPlan> {
        NAMES
            .iter()
            .position(|known| *known == name)
            .map(|rank| FunctionPlan { rank })
    }

    pub fn name(self) -> &'static str {
        NAMES[self.rank]
    }

    /// Where "highest wins" ranks the plan.
    pub fn rank(self) -> usize {
        self.rank
    }

    fn family(self) -> Family {
        match self.name() {
            "Y1" => Family::Consumption,
            "FC1" => Family::FlexConsumption,
            name if name.starts_with("EP") => Family::ElasticPremium,
            _ => Family::Dedicated,
        }
    }

    /// Consumption (`Y1`).
    pub fn is_consumption(self) -> bool {
        self.family() == Family::Consumption
    }

    /// Flex Consumption: known so that it can be refused precisely (the functions provider's
    /// `baas::functions::flex_consumption`: azurerm cannot deploy it with identity-based storage).
    pub fn is_flex(self) -> bool {
        self.family() == Family::FlexConsumption
    }

    /// Elastic Premium scales on events from its own scale controller.
    pub fn is_elastic_premium(self) -> bool {
        self.family() == Family::ElasticPremium
    }

    /// Basic, Standard and Premium v3: always-on workers, no event-driven scaling.
    pub fn is_dedicated(self) -> bool {
        self.family() == Family::Dedicated
    }

    /// Whether an app on this plan can integrate with a virtual network: every Linux plan but
    /// Consumption.
    pub fn can_join_network(self) -> bool {
        !self.is_consumption()
    }

    /// Whether the platform scales an app on this plan by its triggers' backlog: target-based
    /// scaling is on for Consumption, Flex Consumption and Elastic Premium, and event-driven
    /// scaling does not exist on Dedicated plans (learn.microsoft.com, Azure Functions
    /// "Target-based scaling", Considerations).
    pub fn scales_on_event_backlog(self) -> bool {
        !self.is_dedicated()
    }
}

impl std::fmt::Display for FunctionPlan {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The plan at `node` (`functions.plan`, a function app's `plan`); an unknown one is
/// `baas::functions::plan` there, with the closest known name.
pub fn read(node: &Node, what: &str, sink: &mut Sink) -> Option<Spanned<FunctionPlan>> {
    let text = decode::string(node, what, sink)?;
    if let Some(plan) = FunctionPlan::parse(&text.value) {
        return Some(Spanned::new(plan, text.span));
    }
    let known = NAMES
        .iter()
        .map(|p| format!("`{p}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let help = match crate::diagnostic::did_you_mean(&text.value, NAMES.iter().copied()) {
        Some(s) => format!("did you mean `{s}`? Linux function plans: {known}"),
        None => format!("Linux function plans: {known}"),
    };
    sink.push(
        Diagnostic::error(
            &codes::FUNCTIONS_PLAN,
            format!("`{}` is not a Linux function hosting plan", text.value),
        )
        .at(text.span)
        .label("unknown plan")
        .help(help),
    );
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_plan_has_the_properties_of_its_family() {
        let flags = |name: &str| {
            let plan = FunctionPlan::parse(name).unwrap();
            (
                plan.can_join_network(),
                plan.is_flex(),
                plan.is_elastic_premium(),
                plan.is_dedicated(),
                plan.scales_on_event_backlog(),
            )
        };
        assert_eq!(flags("Y1"), (false, false, false, false, true));
        assert_eq!(flags("FC1"), (true, true, false, false, true));
        assert_eq!(flags("EP2"), (true, false, true, false, true));
        assert_eq!(flags("S1"), (true, false, false, true, false));
        assert_eq!(flags("P0v3"), (true, false, false, true, false));
        assert_eq!(FunctionPlan::parse("Y2"), None);
    }

    #[test]
    fn plans_rank_in_the_order_of_names() {
        let ranks: Vec<usize> = NAMES
            .iter()
            .map(|name| FunctionPlan::parse(name).unwrap().rank())
            .collect();
        assert_eq!(ranks, (0..NAMES.len()).collect::<Vec<_>>());
        assert_eq!(FunctionPlan::parse("EP1").unwrap().name(), "EP1");
    }
}
