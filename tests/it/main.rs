//! Integration tests on real and generated captures, one binary with one module per area.

mod cli;
mod conformance;
mod corpus;
mod geo;
mod golden;
mod regressions;
mod reports;
mod scale;
mod shards;
mod since;
mod synth;
mod tables;
mod timelines;
