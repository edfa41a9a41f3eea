//! `georestore bench-gate`: the regression gate. Scenarios are simulated
//! (deterministic: the same build gives the same numbers) and compared
//! with baseline files; the engine's speed against a bare binary heap is
//! measured in the same process and compared with a floor per build
//! profile. `bench_gate_cmd.rs` wires the pieces:
//!
//! - [`cli`]: the arguments;
//! - [`metrics`]: what a scenario measures;
//! - [`baseline`]: the files under `reports/baseline/`;
//! - [`verdict`]: a metric's and a scenario's verdict;
//! - [`speed`]: the in-process engine-speed measurement;
//! - [`report`]: the gate's result, as tables or JSON;
//! - [`update`]: `--update`, the files rewritten and the diff.

pub mod baseline;
pub mod cli;
pub mod metrics;
pub mod report;
pub mod speed;
pub mod update;
pub mod verdict;
