//! No input makes baas panic, and every rejected input says why.
//!
//! A bounded, deterministic property test: every example and every bad fixture, plus many
//! mutations of each (byte flips, truncations, splices, deleted and duplicated lines), runs
//! through the whole in-memory pipeline. The long-running search for crashes is the cargo-fuzz
//! target under `fuzz/`; this test keeps CI honest in seconds.

use baas_providers::Registry;
use std::path::Path;

/// xorshift64*: deterministic, dependency-free randomness for reproducible runs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const INTERESTING: &[&str] = &[
    "\t",
    ":",
    "- ",
    "{",
    "}",
    "[",
    "]",
    "&a ",
    "*a",
    "'",
    "\"",
    "\n",
    "~",
    "null",
    "true",
    "0x1F",
    "-1",
    "99999999999999999999",
    "é",
    "\u{0}",
    "---\n",
    "!!str ",
    "<<: ",
    "%",
    "#",
    "type: service-bus",
    "trigger: queue",
    "partition_key: x",
    "schedule: \"* * *\"",
    "runtime: cobol",
    "plan: Y9",
];

fn mutate(seed: &str, rng: &mut Rng) -> Vec<u8> {
    let mut bytes = seed.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let at = rng.below(bytes.len());
                bytes[at] = (rng.next() & 0xff) as u8;
            }
            1 => {
                let at = rng.below(bytes.len() + 1);
                bytes.truncate(at);
            }
            2 => {
                let at = rng.below(bytes.len() + 1);
                let insert = INTERESTING[rng.below(INTERESTING.len())].as_bytes();
                bytes.splice(at..at, insert.iter().copied());
            }
            3 => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    lines.remove(rng.below(lines.len()));
                }
                bytes = lines.join("\n").into_bytes();
            }
            4 => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let line = lines[rng.below(lines.len())];
                    lines.insert(rng.below(lines.len() + 1), line);
                }
                bytes = lines.join("\n").into_bytes();
            }
            _ if !bytes.is_empty() => {
                // Re-indent one line by a random amount.
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
                let at = rng.below(lines.len());
                lines[at] = format!("{}{}", " ".repeat(rng.below(6)), lines[at].trim_start());
                bytes = lines.join("\n").into_bytes();
            }
            _ => {}
        }
    }
    bytes
}

fn seeds() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut seeds = Vec::new();
    for dir in ["examples", "tests/fixtures/bad"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let file = if path.is_dir() {
                path.join("backend.yaml")
            } else {
                path
            };
            if let Ok(text) = std::fs::read(&file) {
                seeds.push(String::from_utf8_lossy(&text).into_owned());
            }
        }
    }
    seeds.push(baas_synth::STARTER_BACKEND.to_owned());
    seeds
}

/// Runs one input through decoding and the pipeline; a rejection must carry an error.
fn check(bytes: &[u8], registry: &Registry) {
    let source = match baas_model::decode_source("backend.yaml", bytes) {
        Ok(source) => source,
        Err((_, diagnostic)) => {
            assert!(diagnostic.is_error());
            return;
        }
    };
    let synthesis = baas_synth::synthesize(&source, registry);
    if synthesis.files.is_empty() {
        assert!(
            synthesis.has_errors(),
            "rejected without an error:\n{}",
            source.text
        );
    }
    for diagnostic in &synthesis.diagnostics {
        if let Some(span) = diagnostic.span {
            assert!(
                span.end <= source.text.len() && span.start <= span.end,
                "span out of bounds: {diagnostic:?}"
            );
            assert!(
                source.text.is_char_boundary(span.start) && source.text.is_char_boundary(span.end)
            );
        }
    }
}

#[test]
fn mutated_inputs_never_panic_and_rejections_say_why() {
    let registry = Registry::builtin();
    let seeds = seeds();
    assert!(seeds.len() >= 3, "no seeds found");
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut runs = 0;
    for seed in &seeds {
        check(seed.as_bytes(), &registry);
        for _ in 0..150 {
            let input = mutate(seed, &mut rng);
            check(&input, &registry);
            runs += 1;
        }
    }
    assert!(runs >= 150 * seeds.len());
}

#[test]
fn hostile_shapes_are_rejected_cleanly() {
    let registry = Registry::builtin();
    let deep = format!("{}{}", "[".repeat(5000), "]".repeat(5000));
    let wide_key = format!("{}: 1", "k".repeat(100_000));
    for input in [
        "", " ", "\u{feff}", "---", "...", "- a\n- b", "\"just a string\"", "42", "{}", "[]", "name: [", "a: *nothing",
        "name: shop\nname: shop", deep.as_str(), wide_key.as_str(), "components: {a: {type: crud-api, entity: A, schema: {id: string}, partition_key: /id, cosmos: {consistency: [1]}}}",
    ] {
        check(input.as_bytes(), &registry);
    }
    check(&[0xff, 0xfe, 0x00, 0x41], &registry);
}

/// A template loader that serves one text for every path.
struct OneTemplate(String);

impl baas_synth::TemplateLoader for OneTemplate {
    fn load(&self, _path: &str) -> Result<String, String> {
        Ok(self.0.clone())
    }
}

const TEMPLATE_BACKEND: &str = "name: shop\nenvironment: prod\nlocation: eastus\n\
functions: {plan: Y1}\ncomponents:\n  \
a: {type: custom, requires: [{type: redis, key: shared, config: {sku: Balanced_B1}}]}\n  \
b: {type: custom, requires: [{type: redis, key: shared, config: {policy: AllKeysLRU}}]}\n\
providers:\n  redis: {template: providers/redis.hbs}\n";

const TEMPLATE: &str = r#"{
  "azurerm_managed_redis": {
    "{{key}}": {
      "name": "{{name}}-{{unique_suffix}}",
      "location": "{{location}}",
      "resource_group_name": "{{resource_group_name}}",
      "sku_name": {{json config.sku}},
      "default_database": {"access_keys_authentication_enabled": false, "eviction_policy": {{json config.policy}}}
    }
  }
}
"#;

/// Handlebars and JSON pieces a template edit is made of.
const TEMPLATE_PIECES: &[&str] = &[
    "{{",
    "}}",
    "{{#if key}}",
    "{{/if}}",
    "{{#each config}}",
    "{{/each}}",
    "{{> p}}",
    "{{#*inline \"p\"}}",
    "{{/inline}}",
    "{{json config}}",
    "{{name",
    "{{{",
    "}}}",
    "\"",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    "\\",
    "\n",
    "null",
    "\u{feff}",
    "\u{0}",
    "é",
];

/// Template texts near the valid one: pieces inserted, bytes dropped, a line repeated, one
/// very long line.
fn mutate_template(rng: &mut Rng) -> String {
    let mut text = TEMPLATE.to_owned();
    for _ in 0..=rng.below(3) {
        let mut at = rng.below(text.len() + 1);
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        match rng.below(4) {
            0 => text.insert_str(at, TEMPLATE_PIECES[rng.below(TEMPLATE_PIECES.len())]),
            1 => {
                let mut end = (at + 1 + rng.below(8)).min(text.len());
                while !text.is_char_boundary(end) {
                    end += 1;
                }
                text.replace_range(at..end, "");
            }
            2 => {
                let line = text
                    .lines()
                    .nth(rng.below(text.lines().count()))
                    .unwrap_or("")
                    .to_owned();
                text.insert_str(at, &format!("{line}\n"));
            }
            _ => text.insert_str(at, &"x".repeat(70_000)),
        }
    }
    text
}

/// Template bodies, not just backend.yaml, never make baas panic; a rejection carries an
/// error; a diagnostic that points into the template lies within its text.
#[test]
fn mutated_templates_never_panic_and_rejections_say_why() {
    let registry = Registry::builtin();
    let source = baas_model::SourceFile::new("backend.yaml", TEMPLATE_BACKEND);
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    let valid = baas_synth::synthesize_with(
        &source,
        &registry,
        &baas_synth::Options {
            env: None,
            templates: &OneTemplate(TEMPLATE.to_owned()),
        },
    );
    assert!(!valid.files.is_empty(), "{:?}", valid.diagnostics);
    for _ in 0..120 {
        let template = mutate_template(&mut rng);
        let loader = OneTemplate(template.clone());
        let synthesis = baas_synth::synthesize_with(
            &source,
            &registry,
            &baas_synth::Options {
                env: None,
                templates: &loader,
            },
        );
        if synthesis.files.is_empty() {
            assert!(
                synthesis.has_errors(),
                "rejected without an error:\n{template}"
            );
        }
        for diagnostic in &synthesis.diagnostics {
            let (Some(span), Some(file)) = (diagnostic.span, &diagnostic.file) else {
                continue;
            };
            assert!(
                span.start <= span.end && span.end <= file.text.len(),
                "span out of the template: {diagnostic:?}"
            );
            assert!(file.text.is_char_boundary(span.start) && file.text.is_char_boundary(span.end));
        }
    }
}
