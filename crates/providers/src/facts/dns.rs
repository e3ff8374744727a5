//! DNS names and Azure DNS zones, as static sites and the API's custom domain use them: what a
//! usable name is, and where a host name's records go in its zone.

/// Why `name` is not a lowercase, fully qualified DNS name without the trailing dot, and how
/// to fix it.
pub fn dns_name_problem(name: &str) -> Option<(String, String)> {
    let fix = |problem: &str, help: &str| Some((problem.to_owned(), help.to_owned()));
    if name.is_empty() {
        return fix("is empty", "write a name such as `www.example.com`");
    }
    if name.starts_with("*.") {
        return fix(
            "is a wildcard domain",
            "name one host, e.g. `www.example.com`: managed certificates (Front Door's and App Service's) do not cover wildcard domains",
        );
    }
    if name.ends_with('.') {
        return fix("ends with `.`", "leave out the trailing dot");
    }
    if name.contains("://") || name.contains('/') {
        return fix(
            "is a URL, not a host name",
            "write only the host name, e.g. `www.example.com`",
        );
    }
    if !name.is_ascii() {
        return fix(
            "holds characters outside ASCII",
            "write an internationalised name in its ASCII (punycode) form",
        );
    }
    if name.chars().any(|c| c.is_ascii_uppercase()) {
        return fix("holds uppercase letters", "write it in lowercase");
    }
    if name.len() > 253 {
        return fix("is longer than 253 characters", "use a shorter name");
    }
    let labels: Vec<&str> = name.split('.').collect();
    if labels.len() < 2 {
        return fix(
            "is a single label",
            "write the fully qualified name, e.g. `www.example.com`",
        );
    }
    for label in &labels {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Some((
                format!("has the invalid label `{label}`"),
                "labels are 1-63 lowercase letters, digits and hyphens, not starting or ending with a hyphen".to_owned(),
            ));
        }
    }
    if labels
        .last()
        .is_some_and(|tld| tld.chars().all(|c| c.is_ascii_digit()))
    {
        return fix(
            "looks like an IP address",
            "write a domain name, e.g. `www.example.com`",
        );
    }
    None
}

/// Why `name` is not an Azure resource group name.
pub fn resource_group_problem(name: &str) -> Option<&'static str> {
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '(' | ')');
    if name.is_empty() || name.chars().count() > 90 {
        Some("is not 1 to 90 characters long")
    } else if !name.chars().all(allowed) {
        Some("holds characters a resource group name cannot")
    } else if name.ends_with('.') {
        Some("ends with `.`")
    } else {
        None
    }
}

/// The record name of `host` inside `zone`: `@` at the apex, else the labels before the zone
/// (`www`, `app.eu`); `None` when `host` is not in the zone.
pub fn relative_name(host: &str, zone: &str) -> Option<String> {
    if host == zone {
        return Some("@".to_owned());
    }
    host.strip_suffix(zone)
        .and_then(|rest| rest.strip_suffix('.'))
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_names() {
        for ok in [
            "example.com",
            "www.example.com",
            "a-b.c0.example.co.uk",
            "xn--bcher-kva.example",
        ] {
            assert_eq!(dns_name_problem(ok), None, "{ok}");
        }
        for bad in [
            "",
            "com",
            "example.com.",
            "*.example.com",
            "Example.com",
            "-a.example.com",
            "a-.example.com",
            "a..example.com",
            "https://example.com",
            "1.2.3.4",
            "bücher.de",
            "a_b.example.com",
        ] {
            assert!(dns_name_problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn relative_names() {
        assert_eq!(
            relative_name("example.com", "example.com").as_deref(),
            Some("@")
        );
        assert_eq!(
            relative_name("www.example.com", "example.com").as_deref(),
            Some("www")
        );
        assert_eq!(
            relative_name("a.b.example.com", "example.com").as_deref(),
            Some("a.b")
        );
        assert_eq!(relative_name("myexample.com", "example.com"), None);
        assert_eq!(relative_name("example.org", "example.com"), None);
    }
}
