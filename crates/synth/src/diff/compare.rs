//! Comparing two JSON bodies leaf by leaf, and the paths that name what differs.

use serde_json::Value;

/// One difference: path, old value, new value (`None`: absent).
pub(super) type Leaf = (String, Option<Value>, Option<Value>);

/// Appends every difference between `old` and `new` under `path`. Objects are compared key by
/// key and lists item by item; anything else, or a value present on one side only, is one
/// difference at its own path.
pub(super) fn values(
    path: &mut String,
    old: Option<&Value>,
    new: Option<&Value>,
    out: &mut Vec<Leaf>,
) {
    if old == new {
        return;
    }
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                values(path, a.get(key), b.get(key), out);
                path.truncate(length);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) => {
            for index in 0..a.len().max(b.len()) {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                values(path, a.get(index), b.get(index), out);
                path.truncate(length);
            }
        }
        _ => out.push((path.clone(), old.cloned(), new.cloned())),
    }
}

/// Calls `found` with the path and text of every string under `value`.
pub(super) fn strings(path: &mut String, value: &Value, found: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::String(text) => found(path, text),
        Value::Object(map) => {
            for (key, item) in map {
                let length = path.len();
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
                strings(path, item, found);
                path.truncate(length);
            }
        }
        Value::Array(list) => {
            for (index, item) in list.iter().enumerate() {
                let length = path.len();
                path.push_str(&format!("[{index}]"));
                strings(path, item, found);
                path.truncate(length);
            }
        }
        _ => {}
    }
}

/// The path as the provider schema names it: list indices and map keys of plain maps dropped
/// (`site_config[0].cors.allowed_origins[1]` -> `site_config.cors.allowed_origins`).
pub(super) fn schema_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut depth = 0;
    for c in path.chars() {
        match c {
            '[' => depth += 1,
            ']' => depth -= 1,
            _ if depth == 0 => out.push(c),
            _ => {}
        }
    }
    out
}

/// The resource's own attribute a path starts with: `identity` for `identity[0].type`.
pub(super) fn top_attribute(path: &str) -> &str {
    path.split(['.', '[']).next().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn differences_are_leaves_with_paths() {
        let old = json!({ "a": { "b": [1, 2] }, "gone": true, "same": "x" });
        let new = json!({ "a": { "b": [1, 3, 4] }, "same": "x", "new": { "c": 1 } });
        let mut out = Vec::new();
        values(&mut String::new(), Some(&old), Some(&new), &mut out);
        assert_eq!(
            out,
            vec![
                ("a.b[1]".to_owned(), Some(json!(2)), Some(json!(3))),
                ("a.b[2]".to_owned(), None, Some(json!(4))),
                ("gone".to_owned(), Some(json!(true)), None),
                ("new".to_owned(), None, Some(json!({ "c": 1 }))),
            ]
        );
    }

    #[test]
    fn schema_paths_drop_indices() {
        assert_eq!(
            schema_path("site_config[0].cors.allowed_origins[1]"),
            "site_config.cors.allowed_origins"
        );
        assert_eq!(top_attribute("identity[0].type"), "identity");
        assert_eq!(top_attribute("name"), "name");
    }
}
