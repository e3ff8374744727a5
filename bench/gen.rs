//! Writes a backend.yaml with N generated CRUD APIs, for the benchmarks.
//!
//! One file, two uses: `bench/run.sh` compiles it on its own (`rustc -O bench/gen.rs`) and runs
//! `gen N [REGIONS] > backend.yaml`; the criterion benches (`crates/synth/benches/pipeline.rs`)
//! include it as a module and call [`backend`].
//!
//! The APIs vary like real ones: entities from a list of nouns, schemas of 3 to 8 fields of
//! every field type, partition keys on different fields, four operation sets, four runtimes
//! (four function apps sharing the host storage account) and three Cosmos databases. Output is
//! deterministic: the same arguments always give the same bytes.
//!
//! `REGIONS` > 1 adds `deployment: {strategy: multi-region, regions: [...], data: regional}`.

const NOUNS: &[&str] = &[
    "User",
    "Order",
    "Product",
    "Invoice",
    "Customer",
    "Shipment",
    "Payment",
    "Review",
    "Category",
    "Coupon",
    "Cart",
    "Address",
    "Ticket",
    "Comment",
    "Project",
    "Task",
    "Account",
    "Device",
    "Session",
    "Report",
    "Event",
    "Booking",
    "Vendor",
    "Warehouse",
];

const FIELDS: &[(&str, &str)] = &[
    ("name", "string"),
    ("email", "string"),
    ("created", "timestamp"),
    ("price", "number"),
    ("active", "boolean"),
    ("tags", "array"),
    ("owner", "string"),
    ("status", "string"),
    ("total", "number"),
    ("meta", "object"),
    ("updated", "timestamp"),
    ("tenantId", "string"),
];

/// String fields a partition key may name, in order of preference.
const KEY_FIELDS: &[&str] = &["id", "owner", "tenantId", "status"];

/// `None` is the default (all five operations).
const OPERATION_SETS: &[Option<&str>] = &[
    None,
    Some("create, read, list"),
    Some("read, list"),
    Some("create, read, update, delete"),
];

const RUNTIMES: &[&str] = &["node", "python", "dotnet-isolated", "java"];
const DATABASES: &[&str] = &["shop", "catalog", "ops"];
const REGIONS: &[&str] = &[
    "eastus",
    "westeurope",
    "southeastasia",
    "westus2",
    "northeurope",
];

/// The backend.yaml text with `count` CRUD APIs, deployed to `regions` regions (1 = single).
pub fn backend(count: usize, regions: usize) -> String {
    let mut out = format!("# {count} generated CRUD APIs (bench/gen.rs); do not edit.\n");
    out.push_str(
        "name: bench\n\
         environment: prod\n\
         location: eastus\n\
         tags: {project: bench, cost-center: \"4711\"}\n\
         cosmos: {consistency: Session, serverless: true}\n\
         monitoring: {retention_days: 30, sampling_percentage: 50}\n",
    );
    if regions > 1 {
        let list: Vec<&str> = REGIONS.iter().copied().cycle().take(regions).collect();
        out.push_str(&format!(
            // `data: regional`: a Cosmos DB account per region, the heavier shape (and the one
            // measured before shared geo-replicated data became the default).
            "deployment: {{strategy: multi-region, regions: [{}], data: regional}}\n",
            list.join(", ")
        ));
    }
    out.push_str("components:\n");
    for i in 0..count {
        component(i, &mut out);
    }
    out
}

fn component(i: usize, out: &mut String) {
    let noun = NOUNS[i % NOUNS.len()];
    let mut fields: Vec<(&str, &str)> = vec![("id", "string")];
    for j in 0..2 + i % 7 {
        let field = FIELDS[(i * 5 + j * 7) % FIELDS.len()];
        if !fields.iter().any(|(name, _)| *name == field.0) {
            fields.push(field);
        }
    }
    let partition = KEY_FIELDS[i % KEY_FIELDS.len()..]
        .iter()
        .chain(KEY_FIELDS)
        .find(|key| fields.iter().any(|(name, _)| name == *key))
        .copied()
        .unwrap_or("id");
    let schema: Vec<String> = fields
        .iter()
        .map(|(name, ty)| format!("{name}: {ty}"))
        .collect();
    out.push_str(&format!(
        "  {key}{i}:\n    type: crud-api\n    entity: {noun}{i}\n    schema: {{{schema}}}\n    \
         partition_key: /{partition}\n    runtime: {runtime}\n    database: {database}\n",
        key = noun.to_lowercase(),
        schema = schema.join(", "),
        runtime = RUNTIMES[i % RUNTIMES.len()],
        database = DATABASES[i % DATABASES.len()],
    ));
    if let Some(operations) = OPERATION_SETS[i % OPERATION_SETS.len()] {
        out.push_str(&format!("    operations: [{operations}]\n"));
    }
}

/// `gen COUNT [REGIONS]`: prints the backend.yaml.
#[allow(dead_code)] // the criterion benches include this file for `backend` only
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let number = |at: usize, default: Option<usize>| -> usize {
        match (args.get(at).map(|a| a.parse::<usize>()), default) {
            (Some(Ok(n)), _) if n > 0 => n,
            (None, Some(n)) => n,
            _ => {
                eprintln!("usage: gen COUNT [REGIONS]   (positive numbers)");
                std::process::exit(2);
            }
        }
    };
    let count = number(0, None);
    let regions = number(1, Some(1));
    print!("{}", backend(count, regions));
}
