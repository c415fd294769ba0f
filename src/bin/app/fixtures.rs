//! Small hand-made analyses for the page logic's tests: the core's (`analysis`,
//! `destination`, `code`), and what only the page needs.

use crate::shown::ReportRef;
pub use phonehome::report::fixtures::{analysis, code, destination};
use phonehome::report::model::Device;
use phonehome::report::verdict::Viewpoint;
use phonehome::Analysis;
use std::rc::Rc;

/// A device with MAC `mac`, local addresses `ips` and the destinations it talked to.
pub fn device(mac: &str, ips: &[&str], destinations: &[&str]) -> Device {
    Device {
        id: mac.into(),
        mac: mac.parse().ok(),
        ips: ips.iter().map(|s| s.parse().expect("a test address")).collect(),
        name: None,
        names_by_source: Default::default(),
        destinations: destinations.iter().map(|s| s.parse().expect("a test address")).collect(),
        gateway: false,
        vendor: None,
        randomized_mac: false,
        traffic: vec![],
        scan: None,
        timeline: None,
        protection: None,
    }
}

/// `analysis` seen from `home`, watching `watch`.
pub fn seen(analysis: Analysis, home: Option<&str>, watch: &[&str]) -> ReportRef {
    let flows = analysis.flows.len() as u64;
    let viewpoint = Viewpoint { home: home.map(code), watch: watch.iter().map(|c| code(c)).collect() };
    ReportRef::new(Rc::new(analysis), viewpoint, flows)
}
