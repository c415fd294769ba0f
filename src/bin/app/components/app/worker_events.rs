//! What each message of the analysis worker changes in the page's state.

use crate::browser::worker_link::WorkerEvent;
use crate::browser::{clock, download};
use crate::protocol::FromWorker;
use crate::state::{Action, GeoTable, SharedOrigin, SharedView};
use phonehome::report::verdict::Viewpoint;
use std::rc::Rc;

/// What a worker event changes in the state (an export is saved as it arrives and changes
/// nothing).
pub(super) fn worker_action(event: WorkerEvent) -> Option<Action> {
    let now_ms = clock::now_ms();
    Some(match event {
        WorkerEvent::Message(FromWorker::Ready { geo_table_date, geo_table_error }) => {
            Action::GeoTable(match geo_table_error {
                Some(reason) => GeoTable::Unavailable(reason),
                None => GeoTable::Loaded(geo_table_date),
            })
        }
        WorkerEvent::Message(FromWorker::Progress { bytes_read, bytes_total, packets }) => {
            Action::Progress { bytes_read, bytes_total, packets, now_ms }
        }
        WorkerEvent::Message(FromWorker::Done { analysis, flows }) => Action::Finish { analysis, flows, now_ms },
        WorkerEvent::Message(FromWorker::Flows { id, flows }) => Action::FlowsRead { id, flows },
        WorkerEvent::Exported { name, blob, .. } => match download::save_blob(&name, &blob) {
            Ok(()) => return None,
            Err(why) => Action::Fail { message: format!("{name} could not be saved: {why}") },
        },
        WorkerEvent::Message(FromWorker::Shared {
            id,
            analysis,
            home,
            watch,
            created,
            table_date,
            total_destinations,
            redacted,
        }) => Action::LinkRead {
            id,
            shared: SharedView {
                analysis: Rc::new(*analysis),
                viewpoint: Viewpoint { home, watch },
                origin: SharedOrigin { created, table_date, total_destinations, redacted },
            },
        },
        WorkerEvent::Message(FromWorker::DamagedLink { id, message }) => Action::LinkDamaged { id, message },
        WorkerEvent::Message(FromWorker::Compared { id, new, since }) => Action::Compared { id, new, since },
        WorkerEvent::Message(FromWorker::CompareFailed { id, message }) => Action::CompareFailed { id, message },
        WorkerEvent::Message(FromWorker::Error { message }) | WorkerEvent::Broken(message) => Action::Fail { message },
    })
}
