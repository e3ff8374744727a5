//! `networking`: public endpoints (the default) or an isolated virtual network. This module
//! reads the mode and checks `address_space` as a private IPv4 network; whether the network is
//! big enough for the subnets is the network provider's rule, because it carves them. A
//! landing zone's network (`existing`) replaces the address space, and its central private
//! DNS zones (`private_dns`) the stack's own zones; which subnet roles the backend needs is
//! the network provider's rule too.

use crate::backend::{NetworkMode, Networking};
use crate::cidr::{Ipv4Cidr, PRIVATE_RANGES};
use crate::codes;
use crate::decode::{self, MapReader, Sink};
use crate::diagnostic::Diagnostic;
use crate::span::{Span, Spanned};
use crate::yaml::Node;

/// Reads `networking`; `fallback` (the document) is where defaults point.
pub fn networking(node: Option<&Node>, fallback: Span, sink: &mut Sink) -> Networking {
    let span = node.map_or(fallback, |n| n.span);
    let mut networking = Networking {
        mode: Spanned::defaulted(NetworkMode::Public, span),
        address_space: None,
        private_endpoints: Spanned::defaulted(true, span),
        existing: None,
        private_dns: None,
        span,
    };
    let Some(node) = node else {
        return networking;
    };
    let Some(map) = MapReader::new(node, "`networking`", crate::read::keys::NETWORKING, sink)
    else {
        return networking;
    };
    if let Some(mode) = map
        .get("mode")
        .and_then(|n| decode::one_of(n, "networking mode", NetworkMode::NAMES, sink))
    {
        networking.mode = Spanned::new(NetworkMode::ALL[mode.value], mode.span);
    }
    if let Some(flag) = map
        .get("private_endpoints")
        .and_then(|n| decode::boolean(n, "`networking.private_endpoints`", sink))
    {
        networking.private_endpoints = flag;
    }
    let written = map.get("address_space");
    networking.address_space = written.and_then(|n| address_space(n, sink));
    if let (Some(node), Some(key)) = (map.get("existing"), map.key_span("existing")) {
        networking.existing = crate::existing::network(node, key, sink);
    }
    if let (Some(node), Some(key)) = (map.get("private_dns"), map.key_span("private_dns")) {
        networking.private_dns = crate::existing::private_dns(node, key, sink);
    }
    if let (Some(existing), Some(space)) = (&networking.existing, map.key_span("address_space")) {
        sink.push(
            Diagnostic::error(
                &codes::LANDING_ZONE_ADDRESS_SPACE,
                "`networking.address_space` and `networking.existing` both say where the network comes from",
            )
            .at(space)
            .label("a network to create")
            .related(existing.span, "an existing network")
            .help("remove `address_space`: the landing zone's subnets are used as they are (an environment that creates its own network writes `existing: false` and its `address_space`)"),
        );
    }
    if networking.is_isolated() {
        if networking.private_dns.is_some() && !networking.private_endpoints.value {
            if let Some(key_span) = map.key_span("private_dns") {
                sink.push(
                    Diagnostic::warning(
                        &codes::NETWORK_UNUSED_SETTING,
                        "`networking.private_dns` has no effect with `private_endpoints: false`",
                    )
                    .at(key_span)
                    .label("unused")
                    .related(networking.private_endpoints.span, "service endpoints")
                    .help("remove it, or use private endpoints, whose zone groups register in the central zones"),
                );
            }
        }
        // An `existing` block with a problem has its own error.
        let existing_written = map
            .get("existing")
            .is_some_and(|n| !matches!(&n.value, crate::yaml::Value::Scalar { text, quoted: false } if text == "false"));
        if written.is_none() && !existing_written {
            sink.push(
                Diagnostic::error(
                    &codes::NETWORK_ADDRESS_SPACE_MISSING,
                    "isolated mode needs `networking.address_space` to carve subnets from",
                )
                .at(networking.mode.span)
                .label("isolated here")
                .help("add a private range, e.g. `address_space: 10.0.0.0/16` (at least a /24), or the landing zone's network as `existing: {virtual_network: {name, resource_group}, subnets: {...}}`"),
            );
        }
    } else {
        for key in [
            "address_space",
            "private_endpoints",
            "existing",
            "private_dns",
        ] {
            if let Some(key_span) = map.key_span(key) {
                sink.push(
                    Diagnostic::warning(
                        &codes::NETWORK_UNUSED_SETTING,
                        format!("`networking.{key}` has no effect in public mode"),
                    )
                    .at(key_span)
                    .label("unused")
                    .help("set `mode: isolated` to use it, or remove it"),
                );
            }
        }
    }
    networking
}

fn address_space(node: &Node, sink: &mut Sink) -> Option<Spanned<Ipv4Cidr>> {
    let text = decode::string(node, "`networking.address_space`", sink)?;
    let network = match Ipv4Cidr::parse(text.value.trim()) {
        Ok(network) => network,
        Err(error) => {
            sink.push(
                Diagnostic::error(&codes::NETWORK_CIDR, error.message)
                    .at(node.span)
                    .label("not a network")
                    .help(error.help),
            );
            return None;
        }
    };
    if network.private_range().is_none() {
        let ranges = PRIVATE_RANGES
            .iter()
            .map(|(range, rfc)| format!("`{range}` ({rfc})"))
            .collect::<Vec<_>>()
            .join(", ");
        sink.push(
            Diagnostic::error(
                &codes::NETWORK_PRIVATE_RANGE,
                format!("`{network}` is not inside a private address range"),
            )
            .at(node.span)
            .label("public or reserved addresses")
            .help(format!("use a network inside {ranges}")),
        );
        return None;
    }
    Some(Spanned::new(network, text.span))
}
