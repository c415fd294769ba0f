//! The pieces of the page's state that the reducer (`state.rs`) puts together: a load in
//! progress, the IP table's status, a failure, a shared report's origin, the share dialog's
//! preview, one destination's flows, and a comparison with an earlier file.

use phonehome::report::model::{Address, Flow};
use phonehome::report::verdict::Viewpoint;
use phonehome::Analysis;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    pub file_name: String,
    pub bytes_total: u64,
    pub bytes_read: u64,
    pub packets: u64,
    pub started_ms: f64,
    pub updated_ms: f64,
}

impl Loading {
    pub fn elapsed_seconds(&self) -> f64 {
        (self.updated_ms - self.started_ms).max(0.0) / 1000.0
    }
}

/// The worker's IP table (AS numbers, organisations, countries), as the worker last said.
/// Each fresh worker loads it again (from the browser's cache) and says so again.
#[derive(Debug, Clone, PartialEq)]
pub enum GeoTable {
    /// The worker has not said yet: it is starting and loading the table.
    Loading,
    /// The table is in use; the date of its data, if it records one.
    Loaded(Option<String>),
    /// The table could not be loaded (why, in the browser's words): reports come without AS
    /// and country, and no destination is marked foreign.
    Unavailable(String),
}

impl GeoTable {
    /// The date of the table in use.
    pub fn date(&self) -> Option<&str> {
        match self {
            GeoTable::Loaded(date) => date.as_deref(),
            GeoTable::Loading | GeoTable::Unavailable(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub file_name: String,
    pub message: String,
}

/// Where a shared report comes from, as its link says.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedOrigin {
    /// When the link was made, Unix seconds.
    pub created: u64,
    /// Date of the IP table the sender used.
    pub table_date: Option<String>,
    /// Set when only the top destinations were shared: how many there were.
    pub total_destinations: Option<u32>,
    /// Whether local addresses and MACs were replaced by labels.
    pub redacted: bool,
}

/// A share link's contents as a recipient sees them: the analysis, and the countries the
/// sender chose.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedView {
    pub analysis: Rc<Analysis>,
    pub viewpoint: Viewpoint,
    pub origin: SharedOrigin,
}

/// The share dialog's preview: the link it made, read back by the worker.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    pub id: u32,
    /// `None` while the worker reads it; the damage message if it could not.
    pub outcome: Option<Result<Rc<SharedView>, String>>,
}

/// One destination's flows, asked of the worker (which holds every flow) with request `id`.
#[derive(Debug, Clone, PartialEq)]
pub struct FlowsFor {
    pub destination: Address,
    pub id: u32,
    /// `None` while the worker looks them up.
    pub flows: Option<Rc<Vec<Flow>>>,
}

/// The comparison with an earlier capture or report that the user asked for (request `id`).
#[derive(Debug, Clone, PartialEq)]
pub struct Comparison {
    pub id: u32,
    pub file_name: String,
    /// `None` while the worker reads the file; why it could not, if it could not.
    pub outcome: Option<Result<(), String>>,
}
