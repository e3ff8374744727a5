//! Which runtime versions Azure Functions runs on Linux, on which plans, and until when.
//!
//! The tables are data baas ships with, as of [`AS_OF`]: a release updates them, and a backend
//! gets the same warnings on every machine and every day until it does (the output never
//! depends on the clock). Sources, read on the date in `AS_OF`:
//! - learn.microsoft.com, Azure Functions "Supported languages" (versions per language and
//!   their expected end-of-support dates) and "Azure Functions runtime versions overview" (the
//!   Linux Consumption plan retires on 30 September 2028 and gets no language version released
//!   after September 2025: ".NET 9 is the last .NET version supported for Linux Consumption").
//! - The azurerm 4.55.0 provider's `site_config.application_stack` validation
//!   (`internal/services/appservice/helpers/function_app_schema.go`, the `StringInSlice` lists
//!   of `dotnet_version`, `python_version`, `node_version`, `java_version` and
//!   `powershell_core_version`): a version must be in both Azure's and the provider's lists.

use baas_model::Runtime;

/// The date the tables below were last checked against Azure's documentation.
pub const AS_OF: &str = "2026-12-07";

/// The date the Linux Consumption plan (`Y1`) retires.
pub const CONSUMPTION_RETIREMENT: &str = "2028-09-30";

/// Versions Azure Functions supports on Linux, the first being baas's default. Linux
/// Consumption (`Y1`) stopped getting new versions in September 2025, so it lacks .NET 10 and
/// Python 3.13, and its .NET default is 9.0.
pub fn versions(runtime: Runtime, consumption: bool) -> &'static [&'static str] {
    match (runtime, consumption) {
        (Runtime::Node, _) => &["22", "20"],
        (Runtime::Python, false) => &["3.12", "3.13", "3.11", "3.10", "3.9"],
        (Runtime::Python, true) => &["3.12", "3.11", "3.10", "3.9"],
        (Runtime::DotnetIsolated, false) => &["10.0", "9.0", "8.0"],
        (Runtime::DotnetIsolated, true) => &["9.0", "8.0"],
        (Runtime::Java, _) => &["21", "17", "11"],
        (Runtime::Powershell, _) => &["7.4"],
    }
}

/// The end-of-support date (`YYYY-MM-DD`) of each supported version, from the language's own
/// support policy as Azure Functions publishes it.
const END_OF_SUPPORT: &[(Runtime, &str, &str)] = &[
    (Runtime::Node, "20", "2026-04-30"),
    (Runtime::Node, "22", "2027-04-30"),
    (Runtime::Python, "3.9", "2025-10-31"),
    (Runtime::Python, "3.10", "2026-10-31"),
    (Runtime::Python, "3.11", "2027-10-31"),
    (Runtime::Python, "3.12", "2028-10-31"),
    (Runtime::Python, "3.13", "2029-10-31"),
    (Runtime::DotnetIsolated, "8.0", "2026-11-10"),
    (Runtime::DotnetIsolated, "9.0", "2026-11-10"),
    (Runtime::DotnetIsolated, "10.0", "2028-11-14"),
    (Runtime::Java, "11", "2027-09-30"),
    (Runtime::Java, "17", "2027-09-30"),
    (Runtime::Java, "21", "2028-09-30"),
    (Runtime::Powershell, "7.4", "2026-11-10"),
];

/// The date support for `version` ended, when it ended on or before [`AS_OF`].
pub fn ended(runtime: Runtime, version: &str) -> Option<&'static str> {
    END_OF_SUPPORT
        .iter()
        .find(|(r, v, _)| *r == runtime && *v == version)
        .map(|(_, _, date)| *date)
        // ISO dates compare as text.
        .filter(|date| *date <= AS_OF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNTIMES: [Runtime; 5] = [
        Runtime::Node,
        Runtime::Python,
        Runtime::DotnetIsolated,
        Runtime::Java,
        Runtime::Powershell,
    ];

    #[test]
    fn every_supported_version_has_an_end_of_support_date() {
        for runtime in RUNTIMES {
            for consumption in [false, true] {
                for version in versions(runtime, consumption) {
                    assert!(
                        END_OF_SUPPORT
                            .iter()
                            .any(|(r, v, _)| *r == runtime && v == version),
                        "{runtime:?} {version} has no end-of-support date"
                    );
                }
            }
        }
    }

    #[test]
    fn defaults_are_supported_except_where_no_supported_version_exists() {
        // PowerShell 7.4 is the only version the provider accepts, and .NET 9 the last one
        // Linux Consumption runs: both past their end of support, so they warn.
        let mut ended_defaults = Vec::new();
        for runtime in RUNTIMES {
            for consumption in [false, true] {
                let default = versions(runtime, consumption)[0];
                if ended(runtime, default).is_some() {
                    ended_defaults.push((runtime, consumption, default));
                }
            }
        }
        assert_eq!(
            ended_defaults,
            [
                (Runtime::DotnetIsolated, true, "9.0"),
                (Runtime::Powershell, false, "7.4"),
                (Runtime::Powershell, true, "7.4"),
            ]
        );
    }

    #[test]
    fn end_of_support_is_inclusive_of_the_as_of_date() {
        assert_eq!(ended(Runtime::Node, "20"), Some("2026-04-30"));
        assert_eq!(ended(Runtime::Node, "22"), None);
        assert_eq!(ended(Runtime::Python, "3.10"), Some("2026-10-31"));
        assert_eq!(ended(Runtime::Node, "unknown"), None);
    }
}
