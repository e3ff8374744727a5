//! Validation of Azure Functions timer-trigger schedules.
//!
//! Azure Functions parses timer schedules with the NCrontab library in its
//! six-field form: `{second} {minute} {hour} {day} {month} {day-of-week}`.
//! This module accepts the same language, with a few deliberate refusals of
//! things NCrontab would silently reinterpret:
//!
//! - a range whose start is after its end (NCrontab swaps the ends, which is
//!   never what `22-2` in the hour field meant);
//! - a step of 0 (NCrontab treats it as 1) or a step larger than the field's
//!   whole range;
//! - month and day-of-week names shorter than three letters (NCrontab takes
//!   any prefix, so `Ju` quietly means June);
//! - the TimeSpan form (`00:05:00`), which Azure accepts on App Service plans
//!   only.
//!
//! Day-of-week runs 0-6 with 0 = Sunday; NCrontab rejects 7, and so does this.

use std::fmt;
use std::ops::Range;

/// Why a schedule is not a valid six-field NCRONTAB expression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    /// What is wrong, e.g. "`61` is out of range for the second field (0-59)".
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// Byte range of the offending field inside the expression, if a single
    /// field is at fault.
    pub field_range: Option<Range<usize>>,
}

impl fmt::Display for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ScheduleError {}

/// One of the six fields: its name in messages, its range, and the names it
/// accepts (lowercase full names, the first standing for `min`).
#[derive(Debug, Clone, Copy)]
struct Field {
    name: &'static str,
    min: u32,
    max: u32,
    names: &'static [&'static str],
}

const MONTH_NAMES: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const DAY_NAMES: &[&str] = &[
    "sunday",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
];

const FIELDS: [Field; 6] = [
    Field {
        name: "second",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "minute",
        min: 0,
        max: 59,
        names: &[],
    },
    Field {
        name: "hour",
        min: 0,
        max: 23,
        names: &[],
    },
    Field {
        name: "day",
        min: 1,
        max: 31,
        names: &[],
    },
    Field {
        name: "month",
        min: 1,
        max: 12,
        names: MONTH_NAMES,
    },
    Field {
        name: "day-of-week",
        min: 0,
        max: 6,
        names: DAY_NAMES,
    },
];

/// Shortest accepted prefix of a month or day-of-week name (`Jan`, `Mon`).
const MIN_NAME_LEN: usize = 3;

const EXAMPLE_HELP: &str =
    "write six space-separated fields (second minute hour day month day-of-week), e.g. `0 */5 * * * *` for every five minutes";

/// A field-level failure: message and help, before the field's range is known.
type FieldError = (String, String);

/// Validates a six-field NCRONTAB expression as Azure Functions timer triggers accept it.
pub fn validate(expression: &str) -> Result<(), ScheduleError> {
    if let Some((at, c)) = expression
        .char_indices()
        .find(|&(_, c)| c.is_whitespace() && c != ' ')
    {
        return Err(ScheduleError {
            message: format!(
                "fields must be separated by spaces, found {}",
                describe_whitespace(c)
            ),
            help: "Azure splits the schedule on spaces only: replace it with a space".to_owned(),
            field_range: Some(at..at + c.len_utf8()),
        });
    }

    let fields = split_fields(expression);

    match fields.as_slice() {
        [] => {
            return Err(ScheduleError {
                message: "the schedule is empty".to_owned(),
                help: EXAMPLE_HELP.to_owned(),
                field_range: None,
            })
        }
        [(range, text)] if text.contains(':') => {
            return Err(ScheduleError {
                message: format!(
                    "`{text}` is a TimeSpan schedule; use a six-field NCRONTAB expression instead"
                ),
                help: timespan_help(text),
                field_range: Some(range.clone()),
            })
        }
        _ => {}
    }

    if fields.len() != FIELDS.len() {
        return Err(ScheduleError {
            message: format!(
                "expected 6 fields (second minute hour day month day-of-week), found {}",
                fields.len()
            ),
            help: field_count_help(&fields),
            field_range: None,
        });
    }

    for (field, (range, text)) in FIELDS.iter().zip(&fields) {
        validate_field(field, text).map_err(|(message, help)| ScheduleError {
            message,
            help,
            field_range: Some(range.clone()),
        })?;
    }
    Ok(())
}

/// Space-separated fields with their byte ranges (runs of spaces are one separator).
fn split_fields(expression: &str) -> Vec<(Range<usize>, &str)> {
    let mut fields = Vec::new();
    let mut start = None;
    for (i, c) in expression.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                fields.push((s..i, &expression[s..i]));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        fields.push((s..expression.len(), &expression[s..]));
    }
    fields
}

fn describe_whitespace(c: char) -> String {
    match c {
        '\t' => "a tab".to_owned(),
        '\n' | '\r' => "a line break".to_owned(),
        other => format!("`U+{:04X}`", u32::from(other)),
    }
}

fn field_count_help(fields: &[(Range<usize>, &str)]) -> String {
    match fields.len() {
        5 => {
            let texts: Vec<&str> = fields.iter().map(|(_, text)| *text).collect();
            let proposal = format!("0 {}", texts.join(" "));
            if validate(&proposal).is_ok() {
                format!(
                    "a five-field cron expression lacks the leading seconds field: write `{proposal}` to run at second 0 of the same minutes"
                )
            } else {
                "a five-field cron expression lacks the leading seconds field: prepend `0 ` to run at second 0".to_owned()
            }
        }
        7 => "NCRONTAB has no year field: if the seventh field is a year, remove it".to_owned(),
        _ => EXAMPLE_HELP.to_owned(),
    }
}

/// Help for a TimeSpan schedule, proposing the matching NCRONTAB expression
/// when the interval divides its unit evenly.
fn timespan_help(text: &str) -> String {
    const PLANS: &str =
        "TimeSpan schedules work only on App Service plans, not on Consumption or Flex Consumption";
    let parts: Option<Vec<u32>> = text
        .split(':')
        .map(|p| {
            if !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()) {
                p.parse().ok()
            } else {
                None
            }
        })
        .collect();
    let (h, m, s) = match parts.as_deref() {
        Some(&[h, m]) => (h, m, 0),
        Some(&[h, m, s]) => (h, m, s),
        _ => return format!("{PLANS}: {EXAMPLE_HELP}"),
    };
    let every = |n: u32| {
        if n == 1 {
            "*".to_owned()
        } else {
            format!("*/{n}")
        }
    };
    let proposal = match (h, m, s) {
        (0, 0, s) if s > 0 && 60 % s == 0 => format!("{} * * * * *", every(s)),
        (0, m, 0) if m > 0 && 60 % m == 0 => format!("0 {} * * * *", every(m)),
        (h, 0, 0) if h > 0 && 24 % h == 0 => format!("0 0 {} * * *", every(h)),
        _ => return format!("{PLANS}: {EXAMPLE_HELP}"),
    };
    format!("{PLANS}: write `{proposal}` instead")
}

fn validate_field(field: &Field, text: &str) -> Result<(), FieldError> {
    for item in text.split(',') {
        if item.is_empty() {
            return Err((
                format!("the {} field `{text}` has an empty list item", field.name),
                "separate list items with single commas, e.g. `1,15,30`".to_owned(),
            ));
        }
        validate_item(field, item)?;
    }
    Ok(())
}

/// One list item: `*`, `v`, `a-b`, each optionally followed by `/step`.
fn validate_item(field: &Field, item: &str) -> Result<(), FieldError> {
    let (base, step) = match item.split_once('/') {
        Some((base, step)) => (base, Some(step)),
        None => (item, None),
    };

    if let Some(step) = step {
        validate_step(field, item, base, step)?;
    }

    if base == "*" {
        return Ok(());
    }
    if base == "?" {
        return Err((
            format!("`?` is not supported in the {} field", field.name),
            "NCRONTAB has no `?`: use `*` for any value".to_owned(),
        ));
    }

    match base.split_once('-') {
        Some((start, end)) => {
            if start.is_empty() || end.is_empty() || end.contains('-') {
                return Err((
                    format!("`{base}` is not a valid range in the {} field", field.name),
                    format!(
                        "write a range as `start-end` within {}, e.g. `{}-{}`",
                        bounds(field),
                        field.min,
                        field.min + 1
                    ),
                ));
            }
            let first = parse_value(field, start)?;
            let last = parse_value(field, end)?;
            if first > last {
                let help = if step.is_none() {
                    format!(
                        "NCRONTAB ranges do not wrap around: write `{first}-{max},{min}-{last}` instead",
                        max = field.max,
                        min = field.min
                    )
                } else {
                    "NCRONTAB ranges do not wrap around: split it into two ranges".to_owned()
                };
                return Err((
                    format!(
                        "range `{base}` in the {} field starts after it ends",
                        field.name
                    ),
                    help,
                ));
            }
            Ok(())
        }
        None => parse_value(field, base).map(|_| ()),
    }
}

fn validate_step(field: &Field, item: &str, base: &str, step: &str) -> Result<(), FieldError> {
    if step.contains('/') {
        return Err((
            format!("`{item}` has more than one `/` in the {} field", field.name),
            "write a step once, as in `*/5` or `0-30/10`".to_owned(),
        ));
    }
    if base.is_empty() {
        return Err((
            format!(
                "`{item}` lacks a start before `/` in the {} field",
                field.name
            ),
            format!("write `*/{step}` to step through the whole range"),
        ));
    }
    if step.is_empty() || !step.bytes().all(|b| b.is_ascii_digit()) {
        return Err((
            format!("`{step}` is not a valid step in the {} field", field.name),
            "a step is a positive whole number, as in `*/5`".to_owned(),
        ));
    }
    let span = field.max - field.min + 1;
    match step.parse::<u32>() {
        Ok(0) => Err((
            format!("a step of `0` in `{item}` never advances"),
            "use a step of at least 1, e.g. `*/5`".to_owned(),
        )),
        Ok(n) if n <= span => Ok(()),
        _ => Err((
            format!(
                "step `{step}` is larger than the {} field's range ({})",
                field.name,
                bounds(field)
            ),
            format!("a step above {span} matches only the first value: write that value instead"),
        )),
    }
}

/// Parses a number or (for month and day-of-week) a name, and checks its range.
fn parse_value(field: &Field, text: &str) -> Result<u32, FieldError> {
    if text.bytes().all(|b| b.is_ascii_digit()) {
        let value = text
            .parse::<u32>()
            .ok()
            .filter(|v| (field.min..=field.max).contains(v));
        return value.ok_or_else(|| {
            (
                format!(
                    "`{text}` is out of range for the {} field ({})",
                    field.name,
                    bounds(field)
                ),
                out_of_range_help(field, text),
            )
        });
    }

    if !field.names.is_empty() && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        let lower = text.to_ascii_lowercase();
        if lower.len() >= MIN_NAME_LEN {
            if let Some(index) = field.names.iter().position(|n| n.starts_with(&lower)) {
                // The name tables have at most 12 entries.
                return Ok(field.min + u32::try_from(index).unwrap_or(0));
            }
        }
        return Err((
            format!("`{text}` is not a {} name", field.name),
            accepted(field),
        ));
    }

    Err((
        format!("`{text}` is not a valid value in the {} field", field.name),
        accepted(field),
    ))
}

fn bounds(field: &Field) -> String {
    format!("{}-{}", field.min, field.max)
}

fn accepted(field: &Field) -> String {
    match field.name {
        "month" => "the month field accepts 1-12 or `Jan`..`Dec`, with `*`, ranges, lists and steps"
            .to_owned(),
        "day-of-week" => {
            "the day-of-week field accepts 0-6 (0 = Sunday) or `Sun`..`Sat`, with `*`, ranges, lists and steps"
                .to_owned()
        }
        name => format!(
            "the {name} field accepts numbers {}, with `*`, ranges (`a-b`), lists (`a,b`) and steps (`*/n`)",
            bounds(field)
        ),
    }
}

fn out_of_range_help(field: &Field, text: &str) -> String {
    if field.name == "day-of-week" && text.parse::<u32>().ok() == Some(7) {
        "NCRONTAB numbers the days of the week 0-6 starting on Sunday: write `0` or `Sun` for Sunday"
            .to_owned()
    } else {
        accepted(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `None`: valid; `Some(message)`: rejected with exactly that message.
    const CASES: &[(&str, Option<&str>)] = &[
        // Valid.
        ("0 */5 * * * *", None),
        ("0 0 * * * *", None),
        ("0 30 9 * * 1-5", None),
        ("0 30 9 * * Mon-Fri", None),
        ("0 0 0 1 jan,JUL *", None),
        ("*/15 * * * * *", None),
        ("0 0-30/10 8-18 * * *", None),
        ("0 5/15 * * * *", None),
        ("59 59 23 31 12 6", None),
        ("0 0 12 * Sept Thurs", None),
        ("0 0 12 * December Sunday", None),
        ("  0  0 12 * * *  ", None),
        ("0 0 */24 * * *", None),
        // Invalid.
        ("", Some("the schedule is empty")),
        (
            "*/5 * * * *",
            Some("expected 6 fields (second minute hour day month day-of-week), found 5"),
        ),
        (
            "0 0 0 * * * 2025",
            Some("expected 6 fields (second minute hour day month day-of-week), found 7"),
        ),
        (
            "00:05:00",
            Some("`00:05:00` is a TimeSpan schedule; use a six-field NCRONTAB expression instead"),
        ),
        (
            "61 * * * * *",
            Some("`61` is out of range for the second field (0-59)"),
        ),
        (
            "0 60 * * * *",
            Some("`60` is out of range for the minute field (0-59)"),
        ),
        (
            "0 0 24 * * *",
            Some("`24` is out of range for the hour field (0-23)"),
        ),
        (
            "0 0 0 0 * *",
            Some("`0` is out of range for the day field (1-31)"),
        ),
        (
            "0 0 0 * 13 *",
            Some("`13` is out of range for the month field (1-12)"),
        ),
        (
            "0 0 0 * * 7",
            Some("`7` is out of range for the day-of-week field (0-6)"),
        ),
        (
            "0 0 0 * * 1-7",
            Some("`7` is out of range for the day-of-week field (0-6)"),
        ),
        (
            "0 */0 * * * *",
            Some("a step of `0` in `*/0` never advances"),
        ),
        (
            "0 0 22-2 * * *",
            Some("range `22-2` in the hour field starts after it ends"),
        ),
        (
            "0 0 0 * * Fri-Mon",
            Some("range `Fri-Mon` in the day-of-week field starts after it ends"),
        ),
        ("0 0 0 * Foo *", Some("`Foo` is not a month name")),
        ("0 0 0 * Ju *", Some("`Ju` is not a month name")),
        (
            "0 0 0 * * Mon#2",
            Some("`Mon#2` is not a valid value in the day-of-week field"),
        ),
        (
            "0 0 0 ? * MON",
            Some("`?` is not supported in the day field"),
        ),
        (
            "0 0 0 L * *",
            Some("`L` is not a valid value in the day field"),
        ),
        (
            "0 1,,2 * * * *",
            Some("the minute field `1,,2` has an empty list item"),
        ),
        (
            "0 */x * * * *",
            Some("`x` is not a valid step in the minute field"),
        ),
        (
            "*/90 * * * * *",
            Some("step `90` is larger than the second field's range (0-59)"),
        ),
        (
            "0 /5 * * * *",
            Some("`/5` lacks a start before `/` in the minute field"),
        ),
        (
            "0 1-2-3 * * * *",
            Some("`1-2-3` is not a valid range in the minute field"),
        ),
        (
            "0 -5 * * * *",
            Some("`-5` is not a valid range in the minute field"),
        ),
        (
            "0 0 99999999999 * * *",
            Some("`99999999999` is out of range for the hour field (0-23)"),
        ),
        (
            "0\t0 0 * * *",
            Some("fields must be separated by spaces, found a tab"),
        ),
    ];

    #[test]
    fn table() {
        for (expression, expected) in CASES {
            let got = validate(expression);
            match expected {
                None => assert_eq!(got, Ok(()), "{expression:?} should be valid"),
                Some(message) => {
                    let err = got.expect_err(&format!("{expression:?} should be rejected"));
                    assert_eq!(err.message, *message, "message for {expression:?}");
                    assert!(!err.help.is_empty(), "help for {expression:?}");
                    assert!(!err.help.ends_with('.'), "help for {expression:?}");
                    assert!(!err.message.ends_with('.'), "message for {expression:?}");
                }
            }
        }
    }

    #[test]
    fn five_fields_propose_a_seconds_field() {
        let err = validate("*/5 * * * *").expect_err("five fields");
        assert_eq!(
            err.help,
            "a five-field cron expression lacks the leading seconds field: write `0 */5 * * * *` to run at second 0 of the same minutes"
        );
        assert_eq!(err.field_range, None);

        let err = validate("*/5 * * * 8").expect_err("five fields, invalid");
        assert_eq!(
            err.help,
            "a five-field cron expression lacks the leading seconds field: prepend `0 ` to run at second 0"
        );
    }

    #[test]
    fn field_range_points_at_the_field() {
        let expression = "0  */5 25 * * *";
        let err = validate(expression).expect_err("hour out of range");
        assert_eq!(err.field_range, Some(7..9));
        assert_eq!(&expression[7..9], "25");
    }

    #[test]
    fn timespan_help_proposes_cron() {
        let help = |e: &str| validate(e).expect_err("timespan").help;
        assert!(help("00:05:00").ends_with("write `0 */5 * * * *` instead"));
        assert!(help("00:00:30").ends_with("write `*/30 * * * * *` instead"));
        assert!(help("01:00:00").ends_with("write `0 0 * * * *` instead"));
        assert!(help("00:07:00").contains("e.g. `0 */5 * * * *`"));
        assert_eq!(
            validate(" 00:05:00").expect_err("timespan").field_range,
            Some(1..9)
        );
    }

    #[test]
    fn wrapping_range_help() {
        let err = validate("0 0 22-2 * * *").expect_err("backwards range");
        assert_eq!(
            err.help,
            "NCRONTAB ranges do not wrap around: write `22-23,0-2` instead"
        );
    }

    #[test]
    fn sunday_as_seven() {
        let err = validate("0 0 0 * * 7").expect_err("7");
        assert_eq!(
            err.help,
            "NCRONTAB numbers the days of the week 0-6 starting on Sunday: write `0` or `Sun` for Sunday"
        );
    }
}
