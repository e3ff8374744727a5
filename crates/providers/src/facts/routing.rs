//! How the backend's stacks share traffic under the deployment strategy: one decision per
//! stack (weight, priority, enabled), taken by the global stack's Traffic Manager endpoints and
//! by a static site's Front Door origins for `/api/*` alike, so both send a request to the
//! same region or color.
//!
//! Azure weights are 1-1000 (Traffic Manager and Front Door): a color that should get no
//! traffic is disabled, never weight 0.

use crate::context::StackInfo;
use baas_model::{Color, Routing, Strategy};

/// How one stack's endpoint (or origin) takes part in routing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share {
    pub weight: Option<u32>,
    pub priority: Option<u32>,
    pub enabled: bool,
}

/// The routing method of the strategy; `None` for `single`, which routes nothing.
pub fn routing(strategy: &Strategy) -> Option<Routing> {
    match strategy {
        Strategy::Single => None,
        Strategy::MultiRegion { routing, .. } => Some(routing.value),
        Strategy::BlueGreen { .. } => Some(Routing::Weighted),
        Strategy::DisasterRecovery { .. } => Some(Routing::Priority),
    }
}

/// The share of the stack at `index` (0-based, in the order of the backend's stacks).
pub fn share(strategy: &Strategy, index: usize, stack: &StackInfo) -> Share {
    let position = u32::try_from(index + 1).unwrap_or(u32::MAX);
    match strategy {
        Strategy::MultiRegion { routing, .. } => match routing.value {
            Routing::Performance => Share {
                weight: None,
                priority: None,
                enabled: true,
            },
            Routing::Priority => Share {
                weight: None,
                priority: Some(position),
                enabled: true,
            },
            Routing::Weighted => Share {
                weight: Some(1),
                priority: None,
                enabled: true,
            },
        },
        Strategy::BlueGreen {
            active, weights, ..
        } => {
            let color = stack.color.unwrap_or(Color::Blue);
            let weight = match weights {
                Some(weights) => weights[color as usize].value,
                None if color == active.value => 1000,
                None => 0,
            };
            Share {
                weight: Some(weight.max(1)),
                priority: None,
                enabled: weight > 0,
            }
        }
        Strategy::DisasterRecovery { .. } | Strategy::Single => Share {
            weight: None,
            priority: Some(position),
            enabled: true,
        },
    }
}
