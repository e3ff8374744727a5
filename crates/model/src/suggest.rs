//! "did you mean": the candidates closest to a word that matched none of them.
//!
//! Every suggestion baas makes goes through [`suggestions`] (keys, values, diagnostic codes,
//! regions, naming keys and template variables, Terraform names in the schema check), measured
//! with `strsim`. What differs between callers is how close "close" is, given as a
//! [`Closeness`].

/// How close a candidate must be to be suggested.
#[derive(Debug, Clone, Copy)]
pub struct Closeness<'a> {
    pub measure: Measure,
    /// Other names for a candidate, `(alias, candidate)`: a region's short code, a naming
    /// kind's abbreviation. Only [`Measure::Edits`] reads them.
    pub aliases: &'a [(&'a str, &'a str)],
}

/// The ways baas measures closeness.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// Jaro-Winkler similarity above 0.8 on the text as written, most similar first. Suits
    /// keys and values, which are long and rarely miss their first letters.
    Similar,
    /// Case and separators (spaces, `-`, `_`, `.`) ignored. An equal candidate comes first,
    /// then one with an equal alias, then candidates within an edit distance of a third of
    /// the input (at least 2) or starting with the input (3 characters or more); fewest edits
    /// first, then the nearest length, then the most similar. Edits are counted with the
    /// separators as [`Separators`] says. Suits short names and codes that people write from
    /// memory (`East US`, `WEU`, `stroage_account`).
    Edits(Separators),
    /// Case ignored, within an edit distance of a third of the shorter word (at least 1),
    /// fewest edits first. Suits names a program wrote and must spell exactly (Terraform types,
    /// attributes and blocks), where a prefix or a dropped `_` is no evidence.
    Typos,
}

/// How [`Measure::Edits`] counts separators (spaces, `-`, `_`, `.`) in edit distances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separators {
    /// Dropped, for candidates written without them (regions: `east us 3` is one edit from
    /// `eastus2`).
    Drop,
    /// All made `_`, for snake_case candidates (naming keys: the input's length, separators
    /// included, sets how many edits are close).
    Underscore,
}

impl Closeness<'static> {
    /// [`Measure::Similar`], the measure of [`did_you_mean`].
    pub const SIMILAR: Closeness<'static> = Closeness {
        measure: Measure::Similar,
        aliases: &[],
    };
    /// [`Measure::Typos`].
    pub const TYPOS: Closeness<'static> = Closeness {
        measure: Measure::Typos,
        aliases: &[],
    };
}

/// The closest candidate by [`Measure::Similar`], for a "did you mean `x`?" help line.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    suggestions(input, candidates, &Closeness::SIMILAR)
        .into_iter()
        .next()
}

/// Every candidate close enough to `input`, best first; ties keep the candidates' order.
pub fn suggestions<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    closeness: &Closeness<'_>,
) -> Vec<&'a str> {
    let mut ranked: Vec<(Rank, &'a str)> = match closeness.measure {
        Measure::Similar => candidates
            .into_iter()
            .filter_map(|candidate| {
                let similarity = strsim::jaro_winkler(input, candidate);
                let rank = Rank {
                    tier: Tier::Close,
                    distance: 0,
                    length_difference: 0,
                    similarity,
                };
                (similarity > 0.8).then_some((rank, candidate))
            })
            .collect(),
        Measure::Edits(separators) => {
            let equal = fold(input, Separators::Drop);
            if equal.is_empty() {
                return Vec::new();
            }
            let wanted = Wanted {
                equal,
                edited: fold(input, separators),
                separators,
            };
            candidates
                .into_iter()
                .filter_map(|candidate| {
                    let rank = edit_rank(&wanted, candidate, closeness.aliases)?;
                    Some((rank, candidate))
                })
                .collect()
        }
        Measure::Typos => {
            let wanted = input.to_lowercase();
            candidates
                .into_iter()
                .filter_map(|candidate| Some((typo_rank(&wanted, candidate)?, candidate)))
                .collect()
        }
    };
    // A stable sort: on equal rank, the candidates' own order decides.
    ranked.sort_by(|(a, _), (b, _)| a.cmp_best_first(b));
    ranked.into_iter().map(|(_, candidate)| candidate).collect()
}

/// The input of [`Measure::Edits`], folded for comparing (`equal`) and for counting edits.
struct Wanted {
    equal: String,
    edited: String,
    separators: Separators,
}

/// Where `candidate` ranks for `wanted` by [`Measure::Edits`], or `None` when it is not close.
fn edit_rank(wanted: &Wanted, candidate: &str, aliases: &[(&str, &str)]) -> Option<Rank> {
    let edited = fold(candidate, wanted.separators);
    let wanted_length = wanted.edited.chars().count();
    let distance = strsim::levenshtein(&wanted.edited, &edited);
    let tier = if fold(candidate, Separators::Drop) == wanted.equal {
        Tier::Equal
    } else if aliases.iter().any(|(alias, target)| {
        *target == candidate && fold(alias, Separators::Drop) == wanted.equal
    }) {
        Tier::Alias
    } else if distance <= (wanted_length / 3).max(2)
        || (wanted_length >= 3 && edited.starts_with(&wanted.edited))
    {
        Tier::Close
    } else {
        return None;
    };
    Some(Rank {
        tier,
        distance,
        length_difference: edited.chars().count().abs_diff(wanted_length),
        similarity: strsim::jaro_winkler(&wanted.edited, &edited),
    })
}

/// Where `candidate` ranks for the lowercased input `wanted` by [`Measure::Typos`], or `None`
/// when it is not close.
fn typo_rank(wanted: &str, candidate: &str) -> Option<Rank> {
    let wanted_length = wanted.chars().count();
    let candidate_length = candidate.chars().count();
    let limit = (wanted_length.min(candidate_length) / 3).max(1);
    // The distance is at least the difference in length: skip the work when that is too much.
    if wanted_length.abs_diff(candidate_length) > limit {
        return None;
    }
    let distance = strsim::levenshtein(wanted, &candidate.to_lowercase());
    (distance <= limit).then_some(Rank {
        tier: Tier::Close,
        distance,
        length_difference: 0,
        similarity: 0.0,
    })
}

/// Lowercase, with the separators dropped (`East US` and `east-us` are both `eastus`) or made
/// `_` (`front-door profile` is `front_door_profile`).
fn fold(text: &str, separators: Separators) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_whitespace() || matches!(c, '-' | '_' | '.') {
            if separators == Separators::Underscore {
                folded.push('_');
            }
        } else {
            folded.extend(c.to_lowercase());
        }
    }
    folded
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Tier {
    Equal,
    Alias,
    Close,
}

#[derive(Debug)]
struct Rank {
    tier: Tier,
    distance: usize,
    /// On equal distance, `eastus3` is more likely `eastus2` than `eastus`.
    length_difference: usize,
    similarity: f64,
}

impl Rank {
    fn cmp_best_first(&self, other: &Self) -> std::cmp::Ordering {
        self.tier
            .cmp(&other.tier)
            .then(self.distance.cmp(&other.distance))
            .then(self.length_difference.cmp(&other.length_difference))
            .then(other.similarity.total_cmp(&self.similarity))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const EDITS: Closeness<'static> = Closeness {
        measure: Measure::Edits(Separators::Drop),
        aliases: &[("weu", "westeurope")],
    };

    #[test]
    fn similar_picks_the_most_similar_and_the_first_on_ties() {
        assert_eq!(
            did_you_mean("partitionkey", ["name", "partition_key", "throughput"]),
            Some("partition_key")
        );
        assert_eq!(did_you_mean("ab", ["abc", "abd"]), Some("abc"));
        assert_eq!(did_you_mean("narnia", ["eastus", "westus"]), None);
    }

    #[test]
    fn edits_rank_equal_then_alias_then_closest() {
        let regions = ["eastus", "eastus2", "westeurope", "westus3"];
        assert_eq!(
            suggestions("eastus3", regions, &EDITS),
            ["eastus2", "eastus", "westus3"]
        );
        assert_eq!(suggestions("East US", regions, &EDITS)[0], "eastus");
        assert_eq!(suggestions("WEU", regions, &EDITS), ["westeurope"]);
        assert_eq!(suggestions("westeu", regions, &EDITS), ["westeurope"]);
        assert!(suggestions("narnia", regions, &EDITS).is_empty());
        assert!(suggestions(" - ", regions, &EDITS).is_empty());
    }

    #[test]
    fn edits_count_separators_as_underscores_for_snake_case() {
        let keys = [
            "front_door_profile",
            "front_door_endpoint",
            "storage_account",
        ];
        let snake = Closeness {
            measure: Measure::Edits(Separators::Underscore),
            aliases: &[],
        };
        // Five edits, within a third of 16 characters (not of the 14 without separators).
        assert_eq!(
            suggestions("front_door_plate", keys, &snake)[0],
            "front_door_profile"
        );
        assert_eq!(
            suggestions("Storage-Account", keys, &snake),
            ["storage_account"]
        );
    }

    #[test]
    fn typos_allow_a_third_of_the_shorter_word_and_keep_the_first_on_ties() {
        let attributes = ["account_kind", "account_tier", "id"];
        assert_eq!(
            suggestions("acount_tier", attributes, &Closeness::TYPOS),
            ["account_tier"]
        );
        assert_eq!(
            suggestions("Account_Tier", attributes, &Closeness::TYPOS),
            ["account_tier", "account_kind"]
        );
        assert!(suggestions("x", attributes, &Closeness::TYPOS).is_empty());
        assert_eq!(
            suggestions("accounttier", ["account_tier"], &Closeness::TYPOS),
            ["account_tier"]
        );
        assert!(suggestions("acc", ["account_tier"], &Closeness::TYPOS).is_empty());
        assert_eq!(
            suggestions("ab", ["ax", "ay"], &Closeness::TYPOS),
            ["ax", "ay"]
        );
    }
}
