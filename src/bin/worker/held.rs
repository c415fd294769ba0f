//! The analysis the worker made last, which it keeps, and the questions the page asks about
//! it: the flows of one destination, and whole exports. The page holds what it shows (devices,
//! destinations and their totals); every flow stays here, so a report of a million flows is
//! never copied into the page.

use std::cell::RefCell;

use crate::export::Export;
use crate::js_error::describe;
use crate::protocol::{self, Ask, FromWorker, Query};
use phonehome::report::compare::{self, Known};
use phonehome::report::verdict::{judge, Viewpoint};
use phonehome::{Analysis, Report};
use wasm_bindgen::JsValue;
use web_sys::{Blob, BlobPropertyBag, DedicatedWorkerGlobalScope};

thread_local! {
    static HELD: RefCell<Option<Analysis>> = const { RefCell::new(None) };
}

/// Keeps `analysis` (the last one made), to answer questions about it.
pub fn keep(analysis: Analysis) {
    HELD.with(|held| *held.borrow_mut() = Some(analysis));
}

/// Marks the held analysis's destinations new or not against `known` (so its JSON export
/// says so, as the CLI's `--since` does); the indexes of the new ones, `None` without one.
pub fn mark_new(known: &Known) -> Option<Vec<usize>> {
    HELD.with(|held| held.borrow_mut().as_mut().map(|analysis| compare::mark_new(analysis, known)))
}

/// Answers a query: the flows of a destination as a message, an export as a `Blob` posted
/// here (then `None`).
pub fn answer(scope: &DedicatedWorkerGlobalScope, text: &str) -> Option<FromWorker> {
    let query: Query = match serde_json::from_str(text) {
        Ok(query) => query,
        Err(e) => return Some(FromWorker::Error { message: format!("the page sent an unreadable question ({e})") }),
    };
    if query.v != protocol::VERSION {
        return Some(FromWorker::Error {
            message: format!(
                "the page speaks message version {}, the worker version {}; reload the page",
                query.v,
                protocol::VERSION
            ),
        });
    }
    HELD.with(|held| {
        let held = held.borrow();
        let Some(analysis) = held.as_ref() else {
            return Some(FromWorker::Error {
                message: "the analysis worker no longer holds this report; analyse the capture again".into(),
            });
        };
        match query.ask {
            Ask::Flows { destination } => {
                let ip = destination.ip();
                let flows = analysis
                    .flows
                    .iter()
                    .filter(|f| Some(f.client.ip) == ip || Some(f.server.ip) == ip)
                    .cloned()
                    .collect();
                Some(FromWorker::Flows { id: query.id, flows })
            }
            Ask::Export { export, home, watch } => {
                let verdicts = judge(analysis, Viewpoint { home, watch });
                let text = export.contents(Report::new(analysis, &verdicts));
                match post_export(scope, query.id, export, &text) {
                    Ok(()) => None,
                    Err(why) => Some(FromWorker::Error {
                        message: format!("{} could not be written: {why}", export.file_name()),
                    }),
                }
            }
        }
    })
}

fn post_export(scope: &DedicatedWorkerGlobalScope, id: u32, export: Export, text: &str) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(export.media_type());
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| describe(&e))?;
    let fields = [
        (protocol::EXPORTED_KEY, JsValue::from(id)),
        (protocol::EXPORT_NAME_KEY, JsValue::from_str(export.file_name())),
        (protocol::EXPORT_TYPE_KEY, JsValue::from_str(export.media_type())),
        (protocol::EXPORT_BLOB_KEY, blob.into()),
    ];
    crate::glue::post_object(scope, &fields, None)
}
