//! phonehome core: from packet-capture bytes to a report of which device talked to whom.
//!
//! (Architecture overview: see README.md, section "Architecture".)

pub mod analyze;
pub mod capture;
pub mod decode;
pub mod devices;
pub mod flows;
pub mod geo;
pub mod names;
pub mod report;
pub mod rhythm;
pub mod scope;
pub mod share;
pub mod synth;

pub use analyze::{Analyzer, FatalError, Progress, Settings};
pub use report::model::Report;
