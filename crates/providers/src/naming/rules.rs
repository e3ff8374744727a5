//! Azure's naming rules: the characters, lengths, first and last characters and reserved
//! endings a name of one kind may have, and the check of a name against them.

use super::error::{join_words, NamingError};
use super::ResourceKind;

/// The characters a name may contain. Only ASCII letters and digits count as alphanumeric.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// `a-z 0-9`
    LowerAlphanumeric,
    /// `a-z A-Z 0-9`
    Alphanumeric,
    /// `a-z 0-9 -`
    LowerAlphanumericHyphen,
    /// `a-z A-Z 0-9 -`
    AlphanumericHyphen,
    /// `a-z A-Z 0-9 - .`
    AlphanumericHyphenPeriod,
    /// `a-z A-Z 0-9 - _ .`
    AlphanumericHyphenUnderscorePeriod,
    /// `a-z A-Z 0-9 - _ . ( )`
    AlphanumericHyphenUnderscorePeriodParentheses,
}

impl Charset {
    /// Whether `c` is allowed anywhere in a name.
    pub fn allows(self, c: char) -> bool {
        match self {
            Charset::LowerAlphanumeric => c.is_ascii_lowercase() || c.is_ascii_digit(),
            Charset::Alphanumeric => c.is_ascii_alphanumeric(),
            Charset::LowerAlphanumericHyphen => {
                c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'
            }
            Charset::AlphanumericHyphen => c.is_ascii_alphanumeric() || c == '-',
            Charset::AlphanumericHyphenPeriod => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '.')
            }
            Charset::AlphanumericHyphenUnderscorePeriod => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
            }
            Charset::AlphanumericHyphenUnderscorePeriodParentheses => {
                c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')')
            }
        }
    }

    /// Whether a hyphen is allowed, which decides the separator before the unique suffix and
    /// whether punctuation is stripped during normalisation.
    pub fn allows_hyphen(self) -> bool {
        self.allows('-')
    }

    /// Whether only lowercase letters are allowed; such names are lowercased.
    pub fn is_lowercase_only(self) -> bool {
        matches!(
            self,
            Charset::LowerAlphanumeric | Charset::LowerAlphanumericHyphen
        )
    }

    /// The allowed characters, in words.
    pub fn describe(self) -> &'static str {
        match self {
            Charset::LowerAlphanumeric => "lowercase letters and digits",
            Charset::Alphanumeric => "letters and digits",
            Charset::LowerAlphanumericHyphen => "lowercase letters, digits and hyphens",
            Charset::AlphanumericHyphen => "letters, digits and hyphens",
            Charset::AlphanumericHyphenPeriod => "letters, digits, hyphens and periods",
            Charset::AlphanumericHyphenUnderscorePeriod => {
                "letters, digits, hyphens, underscores and periods"
            }
            Charset::AlphanumericHyphenUnderscorePeriodParentheses => {
                "letters, digits, hyphens, underscores, periods and parentheses"
            }
        }
    }
}

/// Where a name must be unique.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Across all of Azure (the name becomes a DNS label).
    Global,
    /// Within the subscription.
    Subscription,
    /// Within the resource group.
    ResourceGroup,
    /// Within the parent resource (a subnet within its virtual network).
    Parent,
}

/// What the first character of a name must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// Any character of the charset.
    Any,
    /// An ASCII letter or digit.
    Alphanumeric,
    /// An ASCII letter.
    Letter,
}

/// What the last character of a name must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// Any character of the charset.
    Any,
    /// An ASCII letter or digit.
    Alphanumeric,
    /// An ASCII letter, digit or an underscore.
    AlphanumericOrUnderscore,
    /// Anything but a period.
    NotPeriod,
}

/// Azure's naming rule for one resource kind (length in characters, allowed characters, first
/// and last character, uniqueness scope).
///
/// Sources: the Azure page "Naming rules and restrictions for Azure resources" and the name
/// validation of the azurerm provider; where they differ, the stricter of the two is used so
/// that a name passing here passes both `terraform validate` and the Azure API.
#[derive(Debug)]
pub struct NameRule {
    /// Minimum length in characters.
    pub min: usize,
    /// Maximum length in characters.
    pub max: usize,
    /// Allowed characters.
    pub charset: Charset,
    /// Where the name must be unique.
    pub scope: Scope,
    /// Constraint on the first character.
    pub start: Start,
    /// Constraint on the last character.
    pub end: End,
    /// Whether `--` is forbidden.
    pub no_consecutive_hyphens: bool,
    /// Endings Azure reserves (compared case-insensitively).
    pub reserved_suffixes: &'static [&'static str],
}

impl NameRule {
    /// Whether the name must be unique across Azure ([`Scope::Global`]). Such names get the
    /// unique suffix.
    pub fn globally_unique(&self) -> bool {
        self.scope == Scope::Global
    }

    /// Checks `name` against this rule, reporting the first violation.
    pub fn check(&self, kind: ResourceKind, name: &str) -> Result<(), NamingError> {
        let len = name.chars().count();
        if len > self.max {
            return Err(NamingError::TooLong {
                kind,
                name: name.to_owned(),
                max: self.max,
            });
        }
        if len < self.min {
            return Err(NamingError::TooShort {
                kind,
                name: name.to_owned(),
                min: self.min,
            });
        }
        let mut bad: Vec<char> = Vec::new();
        for c in name.chars() {
            if !self.charset.allows(c) && !bad.contains(&c) {
                bad.push(c);
            }
        }
        if !bad.is_empty() {
            let list: Vec<String> = bad.iter().map(|c| describe_char(*c)).collect();
            return Err(NamingError::InvalidCharacters {
                kind,
                name: name.to_owned(),
                detail: format!(
                    "contains {}, but only {} are allowed",
                    join_words(&list, "and"),
                    self.charset.describe()
                ),
            });
        }
        let invalid = |detail: String| NamingError::InvalidFormat {
            kind,
            name: name.to_owned(),
            detail,
        };
        // `min >= 1` for every kind, so `name` is not empty here; stay total anyway.
        if let Some(first) = name.chars().next() {
            match self.start {
                Start::Any => {}
                Start::Alphanumeric if !first.is_ascii_alphanumeric() => {
                    return Err(invalid("must start with a letter or a digit".to_owned()));
                }
                Start::Letter if !first.is_ascii_alphabetic() => {
                    return Err(invalid("must start with a letter".to_owned()));
                }
                Start::Alphanumeric | Start::Letter => {}
            }
        }
        if let Some(last) = name.chars().next_back() {
            match self.end {
                End::Any => {}
                End::Alphanumeric if !last.is_ascii_alphanumeric() => {
                    return Err(invalid("must end with a letter or a digit".to_owned()));
                }
                End::AlphanumericOrUnderscore if !(last.is_ascii_alphanumeric() || last == '_') => {
                    return Err(invalid(
                        "must end with a letter, a digit or an underscore".to_owned(),
                    ));
                }
                End::NotPeriod if last == '.' => {
                    return Err(invalid("must not end with a period".to_owned()));
                }
                End::Alphanumeric | End::AlphanumericOrUnderscore | End::NotPeriod => {}
            }
        }
        if self.no_consecutive_hyphens && name.contains("--") {
            return Err(invalid("must not contain consecutive hyphens".to_owned()));
        }
        let lower = name.to_ascii_lowercase();
        if let Some(suffix) = self
            .reserved_suffixes
            .iter()
            .find(|suffix| lower.ends_with(*suffix))
        {
            return Err(invalid(format!("must not end with `{suffix}`")));
        }
        Ok(())
    }
}

fn describe_char(c: char) -> String {
    match c {
        ' ' => "spaces".to_owned(),
        '`' => "backticks".to_owned(),
        c if c.is_control() => format!("control character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}
