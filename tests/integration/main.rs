//! End-to-end tests of the `baas` binary: one test binary, one module per area.

// clippy.toml allows unwrap in `#[test]` functions; the helpers these tests share are test code
// too, and a panic with the failing call's location is what a test should do.
#![allow(clippy::unwrap_used)]

mod apply_time;
mod apps;
mod cli;
mod custom;
mod diagnostics;
mod diff;
mod examples;
mod existing_data;
mod filesystem;
mod formats;
mod graph;
mod limits;
mod merge_rules;
mod network;
mod operations;
mod protect;
mod reachability;
mod rename;
mod static_site;
mod streams;
mod support;
mod topology;
