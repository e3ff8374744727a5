//! Tests of naming: the kinds table, the rules, templates, the unique suffix and the errors.

use super::suffix::append_suffix;
use super::*;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

const SHOP: NameParts<'static> = NameParts {
    app: "shop",
    env: "prod",
    region: "eus",
    location: "eastus",
    instance: "node",
};

fn check(
    kind: ResourceKind,
    parts: &NameParts<'_>,
    config: &NamingConfig,
) -> Result<String, NamingError> {
    Namer::new(config)?.name(kind, parts)
}

fn standard() -> NamingConfig {
    NamingConfig::standard()
}

fn is_hash(s: &str) -> bool {
    s.len() == HASH_LEN
        && s.chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
}

#[test]
fn default_names_for_every_kind() {
    let namer = Namer::new(&standard()).unwrap();
    let mut table = String::new();
    for kind in ResourceKind::all() {
        let name = namer.name(*kind, &SHOP).unwrap();
        let rule = kind.rule();
        table.push_str(&format!(
            "{:<24} {:<6} {:>3}-{:<3} {:<6} {name}\n",
            kind.key(),
            kind.abbreviation(),
            rule.min,
            rule.max,
            if rule.globally_unique() { "global" } else { "" },
        ));
    }
    insta::assert_snapshot!("default_names", table);
}

#[test]
fn every_default_name_passes_its_rule_and_keeps_its_prefix() {
    let namer = Namer::new(&standard()).unwrap();
    for kind in ResourceKind::all() {
        let name = namer.name(*kind, &SHOP).unwrap();
        kind.rule().check(*kind, &name).unwrap();
        let expected = if kind.rule().charset.allows_hyphen() {
            format!("{}-shop-node-prod-eus", kind.abbreviation())
        } else {
            format!("{}shopnodeprodeus", kind.abbreviation())
        };
        assert!(name.starts_with(&expected), "{name} for {kind:?}");
        if kind.rule().globally_unique() {
            assert!(is_hash(&name[name.len() - HASH_LEN..]), "{name}");
        } else {
            assert_eq!(name, expected);
        }
    }
}

#[test]
fn rule_table_is_consistent() {
    let mut abbreviations = Vec::new();
    for kind in ResourceKind::all() {
        let rule = kind.rule();
        assert!(rule.min >= 1 && rule.min <= rule.max, "{kind:?}");
        assert_eq!(ResourceKind::from_key(kind.key()), Some(*kind));
        assert!(!kind.row().terraform_types.is_empty(), "{kind:?}");
        for ty in kind.row().terraform_types {
            assert!(
                baas_terraform::schema::ProviderSchema::azurerm().has_resource(ty),
                "{kind:?}: `{ty}` is not an azurerm resource type"
            );
        }
        assert!(!abbreviations.contains(&kind.abbreviation()));
        abbreviations.push(kind.abbreviation());
        // A name of just the hash must be valid, so truncation never produces a bad name.
        if rule.globally_unique() {
            rule.check(*kind, "a0b1c2").unwrap();
        }
    }
    assert_eq!(ResourceKind::all().len(), 19);
    assert_eq!(ResourceKind::from_key("storage"), None);
}

#[test]
fn storage_account_strips_hyphens_and_fits() {
    let name = check(ResourceKind::StorageAccount, &SHOP, &standard()).unwrap();
    assert!(name.starts_with("stshopnodeprodeus"), "{name}");
    assert!(!name.contains('-'));
    assert_eq!(name.len(), "stshopnodeprodeus".len() + HASH_LEN);
    assert!(name.len() <= 24);

    let config = NamingConfig {
        template: Some("{{abbr}}_{{name}}.{{env}}-{{region}}".to_owned()),
        ..standard()
    };
    let name = check(ResourceKind::StorageAccount, &SHOP, &config).unwrap();
    assert!(name.starts_with("stshopprodeus"), "{name}");
}

#[test]
fn storage_account_lowercases() {
    let parts = NameParts {
        app: "Shop",
        ..SHOP
    };
    let name = check(ResourceKind::StorageAccount, &parts, &standard()).unwrap();
    assert!(name.starts_with("stshopnode"), "{name}");
}

#[test]
fn long_names_are_truncated_but_keep_their_hash() {
    let parts = NameParts {
        app: "inventorysvc",
        env: "staging1",
        region: "weu",
        location: "westeurope",
        instance: "orders-history",
    };
    let namer = Namer::new(&standard()).unwrap();
    let hash = unique_hash(ResourceKind::StorageAccount, &parts, "");

    let storage = namer.name(ResourceKind::StorageAccount, &parts).unwrap();
    assert_eq!(storage.len(), 24);
    // Without separators the region is not kept: a cut would leave fragments.
    assert_eq!(storage, format!("stinventorysvcorde{hash}"));

    let func = namer.name(ResourceKind::FunctionApp, &parts).unwrap();
    let func_hash = unique_hash(ResourceKind::FunctionApp, &parts, "");
    // Function app names take 60 characters: nothing is cut.
    assert_eq!(
        func,
        format!("func-inventorysvc-orders-history-staging1-weu-{func_hash}")
    );
    assert_ne!(hash, func_hash);
}

#[test]
fn truncation_trims_trailing_separators() {
    assert_eq!(
        append_suffix("abc-def", "", "-", "123456", 11),
        "abc-123456"
    );
    assert_eq!(
        append_suffix("abc-def", "", "-", "123456", 20),
        "abc-def-123456"
    );
    assert_eq!(append_suffix("", "", "-", "123456", 20), "123456");
    assert_eq!(append_suffix("---", "", "-", "123456", 20), "123456");
}

#[test]
fn same_input_same_hash_and_salt_changes_it() {
    let a = check(ResourceKind::CosmosAccount, &SHOP, &standard()).unwrap();
    let b = check(ResourceKind::CosmosAccount, &SHOP, &standard()).unwrap();
    assert_eq!(a, b);

    let salted = NamingConfig {
        salt: "contoso".to_owned(),
        ..standard()
    };
    let c = check(ResourceKind::CosmosAccount, &SHOP, &salted).unwrap();
    assert_ne!(a, c);
    assert_eq!(&a[..a.len() - HASH_LEN], &c[..c.len() - HASH_LEN]);

    // The hash is a pure function of its documented inputs.
    let expected = {
        let digest = Sha256::digest(b"shop\0prod\0eastus\0\0cosmos_account\0node");
        format!("{:02x}{:02x}{:02x}", digest[0], digest[1], digest[2])
    };
    assert_eq!(
        unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
        expected
    );
    assert!(a.ends_with(&expected));

    // Kind and instance both feed the hash.
    let other_instance = NameParts {
        instance: "api",
        ..SHOP
    };
    assert_ne!(
        unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
        unique_hash(ResourceKind::CosmosAccount, &other_instance, "")
    );
    assert_ne!(
        unique_hash(ResourceKind::CosmosAccount, &SHOP, ""),
        unique_hash(ResourceKind::RedisCache, &SHOP, "")
    );
    // The abbreviation does not.
    let overridden = NamingConfig {
        abbreviations: BTreeMap::from([("cosmos_account".to_owned(), "cosno".to_owned())]),
        ..standard()
    };
    let d = check(ResourceKind::CosmosAccount, &SHOP, &overridden).unwrap();
    assert_eq!(d, a.replacen("cosmos-", "cosno-", 1));
}

#[test]
fn custom_template() {
    let config = NamingConfig {
        template: Some("{{abbr}}-{{name}}-{{env}}-{{location}}".to_owned()),
        ..standard()
    };
    assert_eq!(
        check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
        "rg-shop-prod-eastus"
    );
    let config = NamingConfig {
        template: Some("{{name}}{{#if instance}}-{{instance}}{{/if}}-{{env}}".to_owned()),
        ..standard()
    };
    let parts = NameParts {
        instance: "",
        ..SHOP
    };
    assert_eq!(
        check(ResourceKind::VirtualNetwork, &parts, &config).unwrap(),
        "shop-prod"
    );
    assert_eq!(
        check(ResourceKind::VirtualNetwork, &SHOP, &config).unwrap(),
        "shop-node-prod"
    );
}

#[test]
fn empty_parts_collapse_separators() {
    let parts = NameParts {
        instance: "",
        ..SHOP
    };
    assert_eq!(
        check(ResourceKind::ResourceGroup, &parts, &standard()).unwrap(),
        "rg-shop-prod-eus"
    );
    let config = NamingConfig {
        template: Some("{{instance}}-{{abbr}}--{{name}}-{{instance}}".to_owned()),
        ..standard()
    };
    assert_eq!(
        check(ResourceKind::ResourceGroup, &parts, &config).unwrap(),
        "rg-shop"
    );
}

#[test]
fn template_with_unknown_variable_errors() {
    let config = NamingConfig {
        template: Some("{{abbr}}-{{environment}}".to_owned()),
        ..standard()
    };
    let err = Namer::new(&config).unwrap_err();
    assert_eq!(
        err,
        NamingError::Template {
            message: "uses unknown variable `environment` (did you mean `env`?)".to_owned()
        }
    );
    assert_eq!(
        err.to_string(),
        "`naming.template` uses unknown variable `environment` (did you mean `env`?); the \
         template variables are `abbr`, `name`, `env`, `region`, `location` and `instance`"
    );

    let config = NamingConfig {
        template: Some("{{abbr}}-{{nmae}}".to_owned()),
        ..standard()
    };
    let err = Namer::new(&config).unwrap_err();
    assert!(err.to_string().contains("did you mean `name`?"), "{err}");

    let config = NamingConfig {
        template: Some("{{abbr}-{{name}}".to_owned()),
        ..standard()
    };
    let err = Namer::new(&config).unwrap_err();
    assert!(
        err.message()
            .starts_with("`naming.template` is not a valid handlebars template at line 1"),
        "{err}"
    );

    let config = NamingConfig {
        template: Some("{{upper name}}".to_owned()),
        ..standard()
    };
    let err = Namer::new(&config).unwrap_err();
    assert_eq!(
        err.message(),
        "`naming.template` uses unknown helper `upper`"
    );
}

#[test]
fn non_unique_kind_too_long_errors() {
    let parts = NameParts {
        instance: "a-very-long-component-key-that-goes-on-and-on-and-on-for-ever",
        ..SHOP
    };
    let err = check(ResourceKind::LogAnalyticsWorkspace, &parts, &standard()).unwrap_err();
    let name = format!("log-shop-{}-prod-eus", parts.instance);
    assert_eq!(
        err,
        NamingError::TooLong {
            kind: ResourceKind::LogAnalyticsWorkspace,
            name: name.clone(),
            max: 63
        }
    );
    assert_eq!(
        err.to_string(),
        format!(
            "the Log Analytics workspace name `{name}` is {} characters long, but Azure \
             allows at most 63; use a shorter `name` or `environment`, a shorter \
             abbreviation in `naming.abbreviations.log_analytics_workspace`, or fewer parts \
             in `naming.template`",
            name.len()
        )
    );
}

#[test]
fn globally_unique_without_suffix_is_not_truncated() {
    let parts = NameParts {
        app: "inventorysvc",
        env: "staging1",
        ..SHOP
    };
    let config = NamingConfig {
        unique_suffix: false,
        ..standard()
    };
    let err = check(ResourceKind::StorageAccount, &parts, &config).unwrap_err();
    assert!(
        matches!(err, NamingError::TooLong { max: 24, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("`naming.unique_suffix: true`"));
}

#[test]
fn too_short_errors() {
    let config = NamingConfig {
        template: Some("{{abbr}}".to_owned()),
        unique_suffix: false,
        ..standard()
    };
    let err = check(ResourceKind::LogAnalyticsWorkspace, &SHOP, &config).unwrap_err();
    assert_eq!(
        err,
        NamingError::TooShort {
            kind: ResourceKind::LogAnalyticsWorkspace,
            name: "log".to_owned(),
            min: 4
        }
    );
    assert!(err.to_string().contains("`{{env}}`"), "{err}");
}

#[test]
fn invalid_characters_and_format() {
    let config = NamingConfig {
        template: Some("{{abbr}}_{{name}}".to_owned()),
        ..standard()
    };
    let err = check(ResourceKind::FunctionApp, &SHOP, &config).unwrap_err();
    assert_eq!(
        err.message(),
        "the function app name `func_shop-5bb0c6` contains `_`, but only letters, digits and \
         hyphens are allowed"
            .replace("5bb0c6", &unique_hash(ResourceKind::FunctionApp, &SHOP, ""))
    );

    let parts = NameParts {
        app: "9lives",
        ..SHOP
    };
    let config = NamingConfig {
        template: Some("{{name}}-{{env}}".to_owned()),
        ..standard()
    };
    let err = check(ResourceKind::ServiceBusNamespace, &parts, &config).unwrap_err();
    assert!(matches!(err, NamingError::InvalidFormat { .. }), "{err:?}");
    assert!(err.message().ends_with("must start with a letter"), "{err}");

    let config = NamingConfig {
        template: Some("{{name}}-{{env}}-sb".to_owned()),
        unique_suffix: false,
        ..standard()
    };
    let err = check(ResourceKind::ServiceBusNamespace, &SHOP, &config).unwrap_err();
    assert_eq!(
        err.message(),
        "the Service Bus namespace name `shop-prod-sb` must not end with `-sb`"
    );

    let config = NamingConfig {
        template: Some("{{name}} {{env}}".to_owned()),
        ..standard()
    };
    let err = check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap_err();
    assert!(err.message().contains("contains spaces"), "{err}");

    let err = ResourceKind::ResourceGroup
        .rule()
        .check(ResourceKind::ResourceGroup, "rg.")
        .unwrap_err();
    assert!(err.message().ends_with("must not end with a period"));
    let err = ResourceKind::RedisCache
        .rule()
        .check(ResourceKind::RedisCache, "redis--x")
        .unwrap_err();
    assert!(err
        .message()
        .ends_with("must not contain consecutive hyphens"));
    ResourceKind::VirtualNetwork
        .rule()
        .check(ResourceKind::VirtualNetwork, "vnet_")
        .unwrap();
}

#[test]
fn unknown_abbreviation_key_suggests() {
    for (typo, expected) in [
        ("stroage_account", Some("storage_account")),
        ("StorageAccount", Some("storage_account")),
        ("storage-account", Some("storage_account")),
        ("st", Some("storage_account")),
        ("cosmos", Some("cosmos_account")),
        ("cosmosdb_account", Some("cosmos_account")),
        ("service_bus_namespace", Some("servicebus_namespace")),
        ("function", Some("function_app")),
        ("frontdoor_profile", Some("front_door_profile")),
        ("kubernetes", None),
    ] {
        let config = NamingConfig {
            abbreviations: BTreeMap::from([(typo.to_owned(), "x".to_owned())]),
            ..standard()
        };
        let err = Namer::new(&config).unwrap_err();
        assert_eq!(
            err,
            NamingError::UnknownAbbreviationKey {
                key: typo.to_owned(),
                suggestion: expected.map(str::to_owned)
            },
            "{typo}"
        );
    }
    let config = NamingConfig {
        abbreviations: BTreeMap::from([("stroage_account".to_owned(), "sa".to_owned())]),
        ..standard()
    };
    assert_eq!(
        Namer::new(&config).unwrap_err().to_string(),
        "unknown resource type `stroage_account` in `naming.abbreviations`; did you mean \
         `storage_account`?"
    );
}

#[test]
fn abbreviation_override_applies() {
    let config = NamingConfig {
        abbreviations: BTreeMap::from([("resource_group".to_owned(), "grp".to_owned())]),
        ..standard()
    };
    assert_eq!(
        check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
        "grp-shop-node-prod-eus"
    );
    // An empty override drops the abbreviation; the separators collapse.
    let config = NamingConfig {
        abbreviations: BTreeMap::from([("resource_group".to_owned(), String::new())]),
        ..standard()
    };
    assert_eq!(
        check(ResourceKind::ResourceGroup, &SHOP, &config).unwrap(),
        "shop-node-prod-eus"
    );
}

#[test]
fn config_errors_reports_everything() {
    let config = NamingConfig {
        template: Some("{{nope}}".to_owned()),
        abbreviations: BTreeMap::from([
            ("resource_grup".to_owned(), "x".to_owned()),
            ("subnet".to_owned(), "sn".to_owned()),
            ("vnet".to_owned(), "x".to_owned()),
        ]),
        ..standard()
    };
    let errors = config_errors(&config);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(matches!(errors[0], NamingError::Template { .. }));
    assert_eq!(
        errors[2],
        NamingError::UnknownAbbreviationKey {
            key: "vnet".to_owned(),
            suggestion: Some("virtual_network".to_owned())
        }
    );
    assert!(config_errors(&standard()).is_empty());
}

#[test]
fn unique_suffix_false_leaves_no_hash() {
    let config = NamingConfig {
        unique_suffix: false,
        ..standard()
    };
    let namer = Namer::new(&config).unwrap();
    for kind in ResourceKind::all() {
        let name = namer.name(*kind, &SHOP).unwrap();
        let expected = if kind.rule().charset.allows_hyphen() {
            format!("{}-shop-node-prod-eus", kind.abbreviation())
        } else {
            format!("{}shopnodeprodeus", kind.abbreviation())
        };
        assert_eq!(name, expected, "{kind:?}");
    }
}

/// A shortened name keeps the region code the template ends with: the cut is made before it.
#[test]
fn truncation_keeps_the_region_at_the_end() {
    // 32 characters with `-` and a 6-character hash leave 25 for the human part.
    assert_eq!(
        append_suffix("func-shop-node-blue-prod-eus2", "eus2", "-", "d55f9c", 32),
        "func-shop-node-blue-eus2-d55f9c"
    );
    // Whole segments are dropped, never cut in the middle.
    assert_eq!(
        append_suffix("func-tickets-python-prod-uks", "uks", "-", "271a0d", 32),
        "func-tickets-python-uks-271a0d"
    );
    // Storage accounts have no separators: cut at the end, as before.
    assert_eq!(
        append_suffix("stshopfunctionsprodeus", "eus", "", "412a4e", 24),
        "stshopfunctionspro412a4e"
    );
    // A name that fits is left alone; a name not ending with the region is cut at the end.
    assert_eq!(
        append_suffix("func-shop-node-prod-eus", "eus", "-", "00f443", 32),
        "func-shop-node-prod-eus-00f443"
    );
    assert_eq!(
        append_suffix("func-shop-node-blue-prod-x", "eus2", "-", "d55f9c", 32),
        "func-shop-node-blue-prod-d55f9c"
    );
    // A region that leaves no room for a whole segment is not kept.
    assert_eq!(
        append_suffix("abcd-efgh", "efgh", "-", "123456", 10),
        "abc-123456"
    );
}
