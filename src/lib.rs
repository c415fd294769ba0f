//! phonehome core: from packet-capture bytes to a report of which device talked to whom.
//!
//! (Architecture overview: see README.md, section "Architecture".)

pub mod analyze;
pub mod geo;
pub mod report;
pub mod synth;

pub use analyze::{Analyzer, FatalError, Progress, Settings};
pub use report::model::Report;
