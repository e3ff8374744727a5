//! Why a name could not be built, with a message and a help line for each case.

use std::fmt;

use super::{ResourceKind, TEMPLATE_VARIABLES};

/// Why a name could not be built. `Display` gives the problem and the fix; [`message`] and
/// [`help`] give them separately.
///
/// [`message`]: NamingError::message
/// [`help`]: NamingError::help
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamingError {
    /// `naming.template` does not parse or uses something that does not exist. `message`
    /// completes the sentence "`naming.template` ...".
    Template { message: String },
    /// A key under `naming.abbreviations` is not a [`ResourceKind::key`].
    UnknownAbbreviationKey {
        key: String,
        suggestion: Option<String>,
    },
    /// The name is longer than Azure allows for the kind.
    TooLong {
        kind: ResourceKind,
        name: String,
        max: usize,
    },
    /// The name is shorter than Azure allows for the kind.
    TooShort {
        kind: ResourceKind,
        name: String,
        min: usize,
    },
    /// The name has characters the kind does not allow; `detail` lists them.
    InvalidCharacters {
        kind: ResourceKind,
        name: String,
        detail: String,
    },
    /// The name's first or last character, or a reserved ending, breaks the kind's rule.
    InvalidFormat {
        kind: ResourceKind,
        name: String,
        detail: String,
    },
}

impl NamingError {
    /// The resource kind the error is about, if any.
    pub fn kind(&self) -> Option<ResourceKind> {
        match self {
            NamingError::Template { .. } | NamingError::UnknownAbbreviationKey { .. } => None,
            NamingError::TooLong { kind, .. }
            | NamingError::TooShort { kind, .. }
            | NamingError::InvalidCharacters { kind, .. }
            | NamingError::InvalidFormat { kind, .. } => Some(*kind),
        }
    }

    /// The problem alone, without the fix.
    pub fn message(&self) -> String {
        match self {
            NamingError::Template { message } => format!("`naming.template` {message}"),
            NamingError::UnknownAbbreviationKey { key, .. } => {
                format!("unknown resource type `{key}` in `naming.abbreviations`")
            }
            NamingError::TooLong { kind, name, max } => format!(
                "the {kind} name `{name}` is {} characters long, but Azure allows at most {max}",
                name.chars().count()
            ),
            NamingError::TooShort { kind, name, min } => format!(
                "the {kind} name `{name}` is {} characters long, but Azure requires at least {min}",
                name.chars().count()
            ),
            NamingError::InvalidCharacters { kind, name, detail }
            | NamingError::InvalidFormat { kind, name, detail } => {
                format!("the {kind} name `{name}` {detail}")
            }
        }
    }

    /// How to fix it.
    pub fn help(&self) -> Option<String> {
        let help = match self {
            NamingError::Template { .. } => format!(
                "the template variables are {}",
                join_words(
                    &TEMPLATE_VARIABLES
                        .iter()
                        .map(|v| format!("`{v}`"))
                        .collect::<Vec<_>>(),
                    "and"
                )
            ),
            NamingError::UnknownAbbreviationKey {
                suggestion: Some(suggestion),
                ..
            } => format!("did you mean `{suggestion}`?"),
            NamingError::UnknownAbbreviationKey {
                suggestion: None, ..
            } => format!(
                "the keys are {}",
                join_words(
                    &ResourceKind::all()
                        .iter()
                        .map(|k| format!("`{}`", k.key()))
                        .collect::<Vec<_>>(),
                    "and"
                )
            ),
            NamingError::TooLong { kind, .. } => {
                let mut help = format!(
                    "use a shorter `name` or `environment`, a shorter abbreviation in \
                     `naming.abbreviations.{}`, or fewer parts in `naming.template`",
                    kind.key()
                );
                if kind.rule().globally_unique() {
                    help.push_str(
                        "; with `naming.unique_suffix: true` long names are shortened before \
                         their hash instead",
                    );
                }
                help
            }
            NamingError::TooShort { kind, .. } => format!(
                "use a longer `name`, a longer abbreviation in `naming.abbreviations.{}`, or add \
                 parts such as `{{{{env}}}}` to `naming.template`",
                kind.key()
            ),
            NamingError::InvalidCharacters { kind, .. }
            | NamingError::InvalidFormat { kind, .. } => format!(
                "change `naming.template` or `naming.abbreviations.{}` so the name only has {}, \
                 starting and ending as Azure requires",
                kind.key(),
                kind.rule().charset.describe()
            ),
        };
        Some(help)
    }
}

impl fmt::Display for NamingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())?;
        if let Some(help) = self.help() {
            write!(f, "; {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for NamingError {}

/// `a`, `a and b`, `a, b and c`.
pub(super) fn join_words(items: &[String], conjunction: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {conjunction} {last}", init.join(", ")),
    }
}
