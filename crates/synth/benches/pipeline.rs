//! In-process benchmarks of the pipeline stages at 100 and 1,000 generated CRUD APIs.
//!
//! `cargo bench -p baas-synth --bench pipeline`; the whole-process numbers (release binary,
//! wall time and peak memory) come from `bench/run.sh`. See BENCHMARKS.md.
//!
//! The provider schema is loaded once per process and each resource type's schema is parsed on
//! first use; both happen before the measurements, so these numbers are steady-state costs.
//! Process start-up and those first uses show in `bench/run.sh`.

#[path = "../../../bench/gen.rs"]
mod gen;

use baas_model::{requirement, SourceFile};
use baas_providers::Registry;
use baas_terraform::document::to_json;
use baas_terraform::schema::ProviderSchema;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use serde_json::Value;
use std::hint::black_box;
use std::time::Duration;

const SIZES: [usize; 2] = [100, 1_000];

/// One generated backend and what the stages before each measured one produce.
struct Input {
    source: SourceFile,
    /// The same APIs in three regions (`deployment: multi-region`).
    three_regions: SourceFile,
    requirements: Vec<baas_model::Requirement>,
    stack: Value,
}

fn input(count: usize, registry: &Registry) -> Input {
    let source = SourceFile::new("backend.yaml", gen::backend(count, 1));
    let (backend, diagnostics) = baas_model::load(&source);
    assert!(diagnostics.is_empty(), "{diagnostics:?}");
    let backend = backend.expect("the generated backend loads");
    let requirements = requirement::expand(&backend);
    let synthesis = baas_synth::synthesize(&source, registry);
    assert!(
        synthesis.diagnostics.is_empty(),
        "{:?}",
        synthesis.diagnostics
    );
    let stack = synthesis
        .files
        .get("main/main.tf.json")
        .map(|text| serde_json::from_str(text).expect("the stack is JSON"))
        .expect("synth writes the main stack");
    let three_regions = SourceFile::new("backend.yaml", gen::backend(count, 3));
    let synthesis = baas_synth::synthesize(&three_regions, registry);
    assert!(
        synthesis.diagnostics.is_empty(),
        "{:?}",
        synthesis.diagnostics
    );
    Input {
        source,
        three_regions,
        requirements,
        stack,
    }
}

fn stages(c: &mut Criterion) {
    let registry = Registry::builtin();
    // Load the embedded provider schema outside the measurements.
    black_box(ProviderSchema::azurerm());
    let inputs: Vec<(usize, Input)> = SIZES.iter().map(|&n| (n, input(n, &registry))).collect();

    let mut group = c.benchmark_group("pipeline");
    for (n, input) in &inputs {
        group.throughput(Throughput::Elements(*n as u64));
        group.bench_with_input(BenchmarkId::new("parse", n), input, |b, input| {
            b.iter(|| baas_model::yaml::parse(black_box(&input.source)))
        });
        group.bench_with_input(BenchmarkId::new("load", n), input, |b, input| {
            b.iter(|| baas_model::load(black_box(&input.source)))
        });
        group.bench_with_input(BenchmarkId::new("merge", n), input, |b, input| {
            b.iter(|| registry.merge(black_box(&input.requirements)))
        });
        group.bench_with_input(BenchmarkId::new("synthesize", n), input, |b, input| {
            b.iter(|| baas_synth::synthesize(black_box(&input.source), &registry))
        });
        group.bench_with_input(
            BenchmarkId::new("synthesize-3-regions", n),
            input,
            |b, input| {
                b.iter(|| baas_synth::synthesize(black_box(&input.three_regions), &registry))
            },
        );
        group.bench_with_input(BenchmarkId::new("check", n), input, |b, input| {
            b.iter(|| ProviderSchema::azurerm().check_document(black_box(&input.stack)))
        });
        group.bench_with_input(BenchmarkId::new("serialize", n), input, |b, input| {
            b.iter(|| to_json(black_box(&input.stack)))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short measurements: the whole suite runs in about a minute on two cores.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = stages
}
criterion_main!(benches);
