//! phonehome core: from packet-capture bytes to a report of which device talked to whom.
//!
//! (Architecture overview: see README.md, section "Architecture".)

pub mod activity;
pub mod analyze;
pub mod capture;
pub mod country;
pub mod decode;
pub mod devices;
pub mod diagnostic;
pub mod flows;
pub mod geo;
pub mod names;
pub mod party;
pub mod report;
pub mod rhythm;
pub mod scope;
pub mod share;
#[cfg(feature = "synth")]
pub mod synth;
#[cfg(not(target_arch = "wasm32"))]
pub mod tables;

pub use analyze::{Analyzer, FatalError, Progress};
pub use report::model::Analysis;
pub use report::Report;
