use super::*;
use baas_model::SourceFile;
use baas_providers::Registry;

const BASE: &str = "name: shop
environment: prod
location: eastus
components:
  users:
    type: crud-api
    entity: User
    schema: {id: string, tenantId: string}
";

fn files(yaml: &str) -> BTreeMap<String, String> {
    let synthesis = crate::synthesize(&SourceFile::new("backend.yaml", yaml), &Registry::builtin());
    assert!(!synthesis.has_errors(), "{:?}", synthesis.diagnostics);
    synthesis.files
}

fn item<'a>(diff: &'a Diff, address: &str) -> &'a ItemChange {
    diff.stacks
        .iter()
        .flat_map(|s| &s.items)
        .find(|i| i.address == address)
        .unwrap_or_else(|| panic!("{address} is not in the diff: {diff:#?}"))
}

#[test]
fn the_same_files_make_an_empty_diff() {
    let files = files(BASE);
    let diff = diff(&files, &files).unwrap();
    assert!(diff.is_empty());
    assert_eq!(diff.baas_version.old.as_deref(), Some(crate::BAAS_VERSION));
    assert_eq!(render::human(&diff).lines().count(), 1);
}

#[test]
fn a_new_partition_key_replaces_the_container_and_loses_data() {
    let old = files(BASE);
    let new = files(&BASE.replace(
        "schema: {id: string, tenantId: string}",
        "schema: {id: string, tenantId: string}\n    partition_key: /tenantId",
    ));
    let diff = diff(&old, &new).unwrap();
    let container = item(&diff, "azurerm_cosmosdb_sql_container.users");
    assert_eq!(container.action, Action::Replaced);
    assert!(container.loses_data());
    assert_eq!(container.changes[0].path, "partition_key_paths[0]");
    let losses: Vec<&str> = diff.data_loss().map(|(_, i)| i.address.as_str()).collect();
    assert_eq!(losses, ["azurerm_cosmosdb_sql_container.users"]);
}

#[test]
fn a_new_location_replaces_everything_in_the_resource_group() {
    let old = files(BASE);
    let new = files(&BASE.replace("eastus", "westeurope"));
    let diff = diff(&old, &new).unwrap();
    assert_eq!(
        item(&diff, "azurerm_resource_group.main").action,
        Action::Replaced
    );
    let account = item(&diff, "azurerm_cosmosdb_account.shared");
    assert_eq!(account.action, Action::Replaced);
    assert!(account.loses_data());
    // The database's text is the same; it refers to the replaced account.
    let database = item(&diff, "azurerm_cosmosdb_sql_database.shop");
    assert_eq!(database.action, Action::Replaced);
    assert!(database.changes.iter().any(|c| matches!(
        &c.effect,
        ChangeEffect::Follows {
            replaces: Replaces::Yes,
            ..
        }
    )));
}

#[test]
fn an_unreadable_committed_stack_is_an_error() {
    let new = files(BASE);
    let mut old = new.clone();
    old.insert("main/main.tf.json".to_owned(), "{".to_owned());
    let error = diff(&old, &new).unwrap_err();
    assert_eq!(error.path, "main/main.tf.json");
}

#[test]
fn json_lists_data_loss_first_and_parses() {
    let old = files(BASE);
    let new = files(&BASE.replace("eastus", "westeurope"));
    let text = render::json(&diff(&old, &new).unwrap());
    let value: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(value["format_version"], 1);
    assert!(value["summary"]["data_loss"].as_u64().unwrap() >= 3);
    assert_eq!(value["identical"], false);
    assert!(render::markdown(&diff(&old, &new).unwrap()).contains("[!CAUTION]"));
}

#[test]
fn references_to_a_moved_address_are_renamed_whole_only() {
    let renames = [(
        "azurerm_storage_account.web".to_owned(),
        "azurerm_storage_account.site".to_owned(),
    )];
    for (text, expected) in [
        (
            "${azurerm_storage_account.web.id}",
            "${azurerm_storage_account.site.id}",
        ),
        (
            "azurerm_storage_account.web",
            "azurerm_storage_account.site",
        ),
        (
            "${azurerm_storage_account.web2.id}",
            "${azurerm_storage_account.web2.id}",
        ),
        (
            "${data.azurerm_storage_account.web.id}",
            "${data.azurerm_storage_account.web.id}",
        ),
        (
            "${xazurerm_storage_account.web.id}",
            "${xazurerm_storage_account.web.id}",
        ),
        (
            "${azurerm_storage_account.web-x.id}",
            "${azurerm_storage_account.web-x.id}",
        ),
        (
            "${azurerm_storage_account.web.id}/${azurerm_storage_account.web.name}",
            "${azurerm_storage_account.site.id}/${azurerm_storage_account.site.name}",
        ),
    ] {
        assert_eq!(rename_in(text, &renames), expected, "{text}");
    }
}

#[test]
fn a_move_without_other_change_is_moved_and_not_removed_and_added() {
    let old = files(&format!("{BASE}  web: {{type: static-site}}\n"));
    let new = files(&format!(
        "{BASE}  site: {{type: static-site, renamed_from: web}}\n"
    ));
    let diff = diff(&old, &new).unwrap();
    let website = item(&diff, "azurerm_storage_account_static_website.site");
    assert_eq!(website.action, Action::Moved);
    assert_eq!(
        website.moved_from.as_deref(),
        Some("azurerm_storage_account_static_website.web")
    );
    // Only the outputs, named after the key, are removed and added.
    for item in diff.stacks.iter().flat_map(|s| &s.items) {
        if matches!(item.action, Action::Added | Action::Removed) {
            assert_eq!(item.kind, ItemKind::Output, "{item:#?}");
        }
    }
    assert_eq!(diff.count(Action::Replaced), 0, "{diff:#?}");
    assert!(!diff
        .stacks
        .iter()
        .flat_map(|s| &s.items)
        .any(|i| i.address.ends_with(".web")));
    assert_eq!(diff.data_loss().count(), 0);
}

#[test]
fn a_move_from_an_address_the_committed_stack_never_held_is_an_addition_with_a_note() {
    // `renamed_from` names `www`, but the committed site was `web`.
    let old = files(&format!("{BASE}  web: {{type: static-site}}\n"));
    let new = files(&format!(
        "{BASE}  site: {{type: static-site, renamed_from: www}}\n"
    ));
    let diff = diff(&old, &new).unwrap();
    let account = item(&diff, "azurerm_storage_account.site");
    assert_eq!(account.action, Action::Added);
    assert_eq!(account.moved_from, None);
    assert_eq!(
        account.nothing_to_move.as_deref(),
        Some("azurerm_storage_account.www")
    );
    assert_eq!(
        item(&diff, "azurerm_storage_account.web").action,
        Action::Removed
    );
    assert!(render::human(&diff).contains(
        "+ azurerm_storage_account.site (added; a `moved` block names azurerm_storage_account.www, which the committed output does not hold)"
    ));
    assert!(render::json(&diff).contains("\"nothing_to_move\": \"azurerm_storage_account.www\""));
}
