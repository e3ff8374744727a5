//! IPv4 networks in CIDR notation (`10.0.0.0/16`): strict parsing with a reason for every
//! refusal, containment, and carving a network into equal subnets.

use std::fmt;

/// An IPv4 network: the address with every host bit zero, and the prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ipv4Cidr {
    address: u32,
    prefix: u8,
}

/// Why a text is not an IPv4 network, and how to write it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrError {
    pub message: String,
    pub help: String,
}

/// The private ranges an address space may use: RFC 1918 and RFC 6598 (shared address
/// space, which Azure accepts for virtual networks).
pub const PRIVATE_RANGES: [(Ipv4Cidr, &str); 4] = [
    (Ipv4Cidr::from_octets([10, 0, 0, 0], 8), "RFC 1918"),
    (Ipv4Cidr::from_octets([172, 16, 0, 0], 12), "RFC 1918"),
    (Ipv4Cidr::from_octets([192, 168, 0, 0], 16), "RFC 1918"),
    (Ipv4Cidr::from_octets([100, 64, 0, 0], 10), "RFC 6598"),
];

impl Ipv4Cidr {
    /// A network from its octets; host bits are cleared.
    pub const fn from_octets(octets: [u8; 4], prefix: u8) -> Ipv4Cidr {
        let address = u32::from_be_bytes(octets);
        Ipv4Cidr {
            address: address & mask(prefix),
            prefix,
        }
    }

    /// Parses `a.b.c.d/n`: four decimal octets (0-255, no leading zeros), a prefix length
    /// from 0 to 32, and no host bits set.
    pub fn parse(text: &str) -> Result<Ipv4Cidr, CidrError> {
        let example = "write a network like `10.0.0.0/16`";
        let Some((address, prefix)) = text.split_once('/') else {
            return Err(CidrError {
                message: format!("`{text}` has no prefix length"),
                help: format!("{example}: an address, `/` and the number of network bits"),
            });
        };
        let octets: Vec<&str> = address.split('.').collect();
        let parsed: Option<Vec<u8>> = (octets.len() == 4)
            .then(|| octets.iter().map(|o| octet(o)).collect())
            .flatten();
        let Some(parsed) = parsed else {
            return Err(CidrError {
                message: format!("`{address}` is not an IPv4 address"),
                help: format!(
                    "{example}: four numbers from 0 to 255 separated by `.`, without leading zeros"
                ),
            });
        };
        let prefix = match prefix.parse::<u8>() {
            Ok(p) if p <= 32 && prefix.chars().all(|c| c.is_ascii_digit()) => p,
            _ => {
                return Err(CidrError {
                    message: format!("`/{prefix}` is not a prefix length"),
                    help: format!("{example}: the prefix length is a number from 0 to 32"),
                })
            }
        };
        let address = u32::from_be_bytes([parsed[0], parsed[1], parsed[2], parsed[3]]);
        let network = Ipv4Cidr::from_octets(address.to_be_bytes(), prefix);
        if network.address != address {
            return Err(CidrError {
                message: format!("`{text}` has host bits set: the network is `{network}`"),
                help: format!(
                    "write `{network}` (the address of a /{prefix} network ends in zero bits)"
                ),
            });
        }
        Ok(network)
    }

    pub fn prefix(self) -> u8 {
        self.prefix
    }

    pub fn octets(self) -> [u8; 4] {
        self.address.to_be_bytes()
    }

    /// How many addresses the network holds.
    pub fn size(self) -> u64 {
        1u64 << (32 - u32::from(self.prefix))
    }

    /// Whether `other` lies entirely inside this network.
    pub fn contains(self, other: Ipv4Cidr) -> bool {
        other.prefix >= self.prefix && other.address & mask(self.prefix) == self.address
    }

    /// Whether the two networks share an address.
    pub fn overlaps(self, other: Ipv4Cidr) -> bool {
        self.contains(other) || other.contains(self)
    }

    /// The `index`-th subnet of length `prefix` (counting from the start of this network), or
    /// `None` when it would not lie inside it.
    pub fn subnet(self, prefix: u8, index: u32) -> Option<Ipv4Cidr> {
        if prefix < self.prefix || prefix > 32 {
            return None;
        }
        let count = 1u64 << (prefix - self.prefix);
        if u64::from(index) >= count {
            return None;
        }
        let step = 1u64 << (32 - u32::from(prefix));
        let address = u64::from(self.address) + u64::from(index) * step;
        Some(Ipv4Cidr {
            address: u32::try_from(address).ok()?,
            prefix,
        })
    }

    /// The private range (and the RFC that reserves it) holding this network, if any.
    pub fn private_range(self) -> Option<(Ipv4Cidr, &'static str)> {
        PRIVATE_RANGES
            .iter()
            .copied()
            .find(|(range, _)| range.contains(self))
    }
}

const fn mask(prefix: u8) -> u32 {
    if prefix == 0 {
        0
    } else {
        u32::MAX << (32 - prefix as u32)
    }
}

fn octet(text: &str) -> Option<u8> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.chars().all(|c| c.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    canonical.then(|| text.parse().ok()).flatten()
}

impl fmt::Display for Ipv4Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.octets();
        write!(f, "{a}.{b}.{c}.{d}/{}", self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn net(text: &str) -> Ipv4Cidr {
        Ipv4Cidr::parse(text).unwrap_or_else(|e| panic!("{text}: {}", e.message))
    }

    #[test]
    fn parses_networks_and_prints_them_back() {
        for text in [
            "10.0.0.0/16",
            "192.168.4.0/24",
            "0.0.0.0/0",
            "100.64.0.0/10",
            "172.16.0.128/25",
            "10.1.2.3/32",
        ] {
            assert_eq!(net(text).to_string(), text);
        }
    }

    #[test]
    fn refuses_what_is_not_a_network() {
        for (text, says) in [
            ("10.0.0.0", "no prefix length"),
            ("10.0.0/16", "not an IPv4 address"),
            ("10.0.0.256/16", "not an IPv4 address"),
            ("10.0.00.0/16", "not an IPv4 address"),
            ("10.0.0.-1/16", "not an IPv4 address"),
            ("ten.0.0.0/8", "not an IPv4 address"),
            ("10.0.0.0/33", "not a prefix length"),
            ("10.0.0.0/+8", "not a prefix length"),
            ("10.0.0.0/", "not a prefix length"),
            ("10.0.1.0/16", "host bits set: the network is `10.0.0.0/16`"),
        ] {
            let error = Ipv4Cidr::parse(text).expect_err(text);
            assert!(error.message.contains(says), "{text}: {}", error.message);
        }
    }

    #[test]
    fn containment_and_overlap() {
        let space = net("10.0.0.0/16");
        assert!(space.contains(net("10.0.255.192/26")));
        assert!(!space.contains(net("10.1.0.0/26")));
        assert!(!net("10.0.0.0/26").contains(space));
        assert!(net("10.0.0.0/26").overlaps(space));
        assert!(!net("10.0.0.0/26").overlaps(net("10.0.0.64/26")));
    }

    #[test]
    fn subnets_are_carved_in_order_and_stay_inside() {
        let space = net("10.0.0.0/24");
        let subnets: Vec<String> = (0..4)
            .map(|i| space.subnet(26, i).unwrap().to_string())
            .collect();
        assert_eq!(
            subnets,
            [
                "10.0.0.0/26",
                "10.0.0.64/26",
                "10.0.0.128/26",
                "10.0.0.192/26"
            ]
        );
        assert_eq!(space.subnet(26, 4), None);
        assert_eq!(space.subnet(23, 0), None);
        assert_eq!(
            net("255.255.255.0/24").subnet(26, 3).unwrap().to_string(),
            "255.255.255.192/26"
        );
    }

    #[test]
    fn carved_subnets_never_overlap_and_stay_inside_for_any_space() {
        for prefix in 8..=26u8 {
            for base in ["10.0.0.0", "172.16.0.0", "192.168.0.0", "100.64.0.0"] {
                let Ok(space) = Ipv4Cidr::parse(&format!("{base}/{prefix}")) else {
                    continue;
                };
                let subnets: Vec<Ipv4Cidr> = (0..8).filter_map(|i| space.subnet(26, i)).collect();
                assert_eq!(subnets.len() as u64, (space.size() / 64).min(8));
                for (i, a) in subnets.iter().enumerate() {
                    assert!(space.contains(*a), "{a} outside {space}");
                    for b in &subnets[i + 1..] {
                        assert!(!a.overlaps(*b), "{a} overlaps {b}");
                    }
                }
            }
        }
    }

    #[test]
    fn private_ranges() {
        assert_eq!(
            net("10.20.0.0/16").private_range().map(|r| r.1),
            Some("RFC 1918")
        );
        assert_eq!(
            net("172.31.0.0/16").private_range().map(|r| r.1),
            Some("RFC 1918")
        );
        assert_eq!(
            net("100.127.0.0/24").private_range().map(|r| r.1),
            Some("RFC 6598")
        );
        assert_eq!(net("172.32.0.0/16").private_range(), None);
        assert_eq!(net("11.0.0.0/16").private_range(), None);
        assert_eq!(net("10.0.0.0/7").private_range(), None);
    }
}
