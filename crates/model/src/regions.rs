//! Known Azure public-cloud regions.
//!
//! Programmatic names and display names are those `az account list-locations`
//! reports for physical regions. Logical locations (`global`, `asia`,
//! `unitedstates`, ...), EUAP/stage regions, sovereign clouds and regions
//! reserved for specific customers (Jio India, for example) are left out;
//! the paired-only regions that appear in every subscription's location list
//! (France South, Germany North, ...) are in.
//!
//! `short` is a short code for resource names, unique across the table. It
//! follows the codes in common use (`eus`, `weu`, `sea`, ...); since it ends
//! up in resource names, an existing code must never change.

use crate::suggest::{self, Closeness, Measure, Separators};

/// An Azure region.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Programmatic name, e.g. `eastus`.
    pub name: &'static str,
    /// Display name, e.g. `East US`.
    pub display_name: &'static str,
    /// Short code for resource names, e.g. `eus`; unique across the table.
    pub short: &'static str,
    /// Programmatic name of the paired region, if the region has one.
    pub paired: Option<&'static str>,
}

const fn region(
    name: &'static str,
    display_name: &'static str,
    short: &'static str,
    paired: Option<&'static str>,
) -> Region {
    Region {
        name,
        display_name,
        short,
        paired,
    }
}

/// Sorted by `name` (checked by a test; `lookup` relies on it).
static REGIONS: [Region; 54] = [
    region(
        "australiacentral",
        "Australia Central",
        "auc",
        Some("australiacentral2"),
    ),
    region(
        "australiacentral2",
        "Australia Central 2",
        "auc2",
        Some("australiacentral"),
    ),
    region(
        "australiaeast",
        "Australia East",
        "aue",
        Some("australiasoutheast"),
    ),
    region(
        "australiasoutheast",
        "Australia Southeast",
        "ause",
        Some("australiaeast"),
    ),
    region("brazilsouth", "Brazil South", "brs", Some("southcentralus")),
    region(
        "brazilsoutheast",
        "Brazil Southeast",
        "brse",
        Some("brazilsouth"),
    ),
    region("canadacentral", "Canada Central", "cac", Some("canadaeast")),
    region("canadaeast", "Canada East", "cae", Some("canadacentral")),
    region("centralindia", "Central India", "inc", Some("southindia")),
    region("centralus", "Central US", "cus", Some("eastus2")),
    region("chilecentral", "Chile Central", "clc", None),
    region("eastasia", "East Asia", "ea", Some("southeastasia")),
    region("eastus", "East US", "eus", Some("westus")),
    region("eastus2", "East US 2", "eus2", Some("centralus")),
    region(
        "francecentral",
        "France Central",
        "frc",
        Some("francesouth"),
    ),
    region("francesouth", "France South", "frs", Some("francecentral")),
    region(
        "germanynorth",
        "Germany North",
        "gn",
        Some("germanywestcentral"),
    ),
    region(
        "germanywestcentral",
        "Germany West Central",
        "gwc",
        Some("germanynorth"),
    ),
    region("indonesiacentral", "Indonesia Central", "idc", None),
    region("israelcentral", "Israel Central", "ilc", None),
    region("italynorth", "Italy North", "itn", None),
    region("japaneast", "Japan East", "jpe", Some("japanwest")),
    region("japanwest", "Japan West", "jpw", Some("japaneast")),
    region("koreacentral", "Korea Central", "krc", Some("koreasouth")),
    region("koreasouth", "Korea South", "krs", Some("koreacentral")),
    region("malaysiawest", "Malaysia West", "myw", None),
    region("mexicocentral", "Mexico Central", "mxc", None),
    region("newzealandnorth", "New Zealand North", "nzn", None),
    region(
        "northcentralus",
        "North Central US",
        "ncus",
        Some("southcentralus"),
    ),
    region("northeurope", "North Europe", "neu", Some("westeurope")),
    region("norwayeast", "Norway East", "nwe", Some("norwaywest")),
    region("norwaywest", "Norway West", "nww", Some("norwayeast")),
    region("polandcentral", "Poland Central", "plc", None),
    region("qatarcentral", "Qatar Central", "qac", None),
    region(
        "southafricanorth",
        "South Africa North",
        "san",
        Some("southafricawest"),
    ),
    region(
        "southafricawest",
        "South Africa West",
        "saw",
        Some("southafricanorth"),
    ),
    region(
        "southcentralus",
        "South Central US",
        "scus",
        Some("northcentralus"),
    ),
    region("southeastasia", "Southeast Asia", "sea", Some("eastasia")),
    region("southindia", "South India", "ins", Some("centralindia")),
    region("spaincentral", "Spain Central", "spc", None),
    region(
        "swedencentral",
        "Sweden Central",
        "sdc",
        Some("swedensouth"),
    ),
    region("swedensouth", "Sweden South", "sds", Some("swedencentral")),
    region(
        "switzerlandnorth",
        "Switzerland North",
        "szn",
        Some("switzerlandwest"),
    ),
    region(
        "switzerlandwest",
        "Switzerland West",
        "szw",
        Some("switzerlandnorth"),
    ),
    region("uaecentral", "UAE Central", "uac", Some("uaenorth")),
    region("uaenorth", "UAE North", "uan", Some("uaecentral")),
    region("uksouth", "UK South", "uks", Some("ukwest")),
    region("ukwest", "UK West", "ukw", Some("uksouth")),
    region("westcentralus", "West Central US", "wcus", Some("westus2")),
    region("westeurope", "West Europe", "weu", Some("northeurope")),
    region("westindia", "West India", "inw", Some("southindia")),
    region("westus", "West US", "wus", Some("eastus")),
    region("westus2", "West US 2", "wus2", Some("westcentralus")),
    region("westus3", "West US 3", "wus3", Some("eastus")),
];

/// Maximum number of names `suggestions` returns.
const MAX_SUGGESTIONS: usize = 3;

/// All known regions, sorted by name.
pub fn all() -> &'static [Region] {
    &REGIONS
}

/// The region with exactly this programmatic (lowercase) name.
pub fn lookup(name: &str) -> Option<&'static Region> {
    REGIONS
        .binary_search_by(|r| r.name.cmp(name))
        .ok()
        .and_then(|i| REGIONS.get(i))
}

/// Closest known region names for a "did you mean" (e.g. "eastus3" -> "eastus2";
/// "East US" -> "eastus" by ignoring case and spaces). At most 3, best first.
///
/// A region whose name is equal (ignoring case, spaces, hyphens and underscores) comes first,
/// then one whose short code is equal (`weu` -> `westeurope`), then regions within a small
/// edit distance or that start with the input (`germanywest` -> `germanywestcentral`), closest
/// first ([`Measure::Edits`]).
pub fn suggestions(name: &str) -> Vec<&'static str> {
    let short_codes: Vec<(&str, &str)> = REGIONS.iter().map(|r| (r.short, r.name)).collect();
    let closeness = Closeness {
        measure: Measure::Edits(Separators::Drop),
        aliases: &short_codes,
    };
    let mut names = suggest::suggestions(name, REGIONS.iter().map(|r| r.name), &closeness);
    names.truncate(MAX_SUGGESTIONS);
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn sorted_by_name_and_names_unique() {
        assert!(
            all().windows(2).all(|w| w[0].name < w[1].name),
            "regions must be sorted by name without duplicates"
        );
    }

    #[test]
    fn short_codes_unique() {
        let mut seen = BTreeSet::new();
        for r in all() {
            assert!(seen.insert(r.short), "duplicate short code {}", r.short);
            assert!(
                !r.short.is_empty()
                    && r.short.len() <= 5
                    && r.short
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "bad short code {}",
                r.short
            );
        }
    }

    #[test]
    fn names_and_display_names_agree() {
        for r in all() {
            assert!(
                r.name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()),
                "{}",
                r.name
            );
            let normalised: String = r
                .display_name
                .chars()
                .filter(|c| *c != ' ')
                .flat_map(char::to_lowercase)
                .collect();
            assert_eq!(normalised, r.name);
        }
    }

    #[test]
    fn pairs_point_into_the_table() {
        for r in all() {
            if let Some(paired) = r.paired {
                assert_ne!(paired, r.name);
                assert!(
                    lookup(paired).is_some(),
                    "{} pairs with unknown {paired}",
                    r.name
                );
            }
        }
    }

    #[test]
    fn lookup_is_exact() {
        assert_eq!(lookup("eastus").map(|r| r.display_name), Some("East US"));
        assert_eq!(lookup("westus3").map(|r| r.short), Some("wus3"));
        assert_eq!(
            lookup("australiacentral").map(|r| r.name),
            Some("australiacentral")
        );
        assert_eq!(lookup("zzz"), None);
        assert_eq!(lookup("East US"), None);
        assert_eq!(lookup("EASTUS"), None);
        assert_eq!(lookup(""), None);
        for r in all() {
            assert_eq!(lookup(r.name), Some(r));
        }
    }

    #[test]
    fn suggestions_examples() {
        assert_eq!(suggestions("eastus3"), ["eastus2", "eastus", "westus3"]);
        assert_eq!(suggestions("East US").first(), Some(&"eastus"));
        assert_eq!(suggestions("East US 2").first(), Some(&"eastus2"));
        assert_eq!(suggestions("uk-south").first(), Some(&"uksouth"));
        assert_eq!(suggestions("WEU").first(), Some(&"westeurope"));
        assert_eq!(suggestions("westeuorpe").first(), Some(&"westeurope"));
        assert_eq!(suggestions("germanywest"), ["germanywestcentral"]);
        assert_eq!(suggestions("swedencentrl").first(), Some(&"swedencentral"));
        assert!(suggestions("narnia").is_empty());
        assert!(suggestions("").is_empty());
        assert!(suggestions("   ").is_empty());
        for r in all() {
            let got = suggestions(r.name);
            assert!(got.len() <= 3);
            assert_eq!(got.first(), Some(&r.name));
            assert_eq!(suggestions(r.display_name).first(), Some(&r.name));
        }
    }
}
