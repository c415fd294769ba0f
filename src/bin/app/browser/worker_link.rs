//! The page's side of the analysis worker: starts it, queues requests until the worker's wasm
//! is ready, forwards its messages, and replaces it with a fresh one for every analysis (which
//! also gives the memory of the last one back) or on cancel. After an analysis the worker
//! keeps it and answers questions about it (a destination's flows, exports). Share links are
//! opened by the same worker (it holds the IP table); opening one does not use the worker up.
//!
//! The worker starts from `www/worker_boot.js` (copied next to the page), which starts the IP
//! table's download, loads the wasm trunk built and reports a failed start as an error message;
//! the URL is relative so the site works from any sub-path. Each worker is named after the
//! table's checksum, with which it fetches and checks the table. The first worker is started by the page's
//! start script (`www/worker_start.js`) before this wasm loads, so the table is ready sooner: it is
//! adopted here together with the messages it sent before.

use crate::protocol::{self, Compare, FromWorker, OpenShared, Query, Start};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, Event, MessageEvent, Worker, WorkerOptions};
use yew::Callback;

const WORKER_URL: &str = "./worker_boot.js";
/// Where `www/worker_start.js` leaves the worker it started: `{ worker, events }`.
const EARLY_WORKER: &str = "phonehomeWorker";

/// What the page hears from the worker.
#[derive(Debug, Clone, PartialEq)]
pub enum WorkerEvent {
    Message(FromWorker),
    /// An export the worker wrote: the file's name and media type, and its contents.
    Exported {
        id: u32,
        name: String,
        media_type: String,
        blob: Blob,
    },
    /// The worker could not be started, crashed, or said something unreadable.
    Broken(String),
}

/// One worker and what it needs to live: dropping it terminates the worker.
struct Running {
    worker: Worker,
    /// Posted, in order, once the worker says it is ready.
    queued: Rc<RefCell<Vec<JsValue>>>,
    ready: Rc<Cell<bool>>,
    /// Set when the worker failed (for instance its files did not load): it is replaced
    /// before the next start instead of being handed a file it would never read.
    broken: Rc<Cell<bool>>,
    /// Set once it was given a capture: the next capture goes to a fresh worker.
    busy: bool,
    /// Set while it analyses a capture (until its report or error arrives): a link opened
    /// meanwhile goes to a fresh worker instead of waiting behind the analysis.
    analysing: Rc<Cell<bool>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(Event)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        // Detach first so no queued event reaches the closures after they are freed.
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

struct Inner {
    running: Option<Running>,
    on_event: Callback<WorkerEvent>,
}

pub struct WorkerLink {
    inner: Rc<RefCell<Inner>>,
}

impl WorkerLink {
    /// Starts a worker right away, so its wasm is ready by the time the user picks a file.
    pub fn new(on_event: Callback<WorkerEvent>) -> Self {
        let inner = Rc::new(RefCell::new(Inner { running: None, on_event }));
        replace(&inner);
        WorkerLink { inner }
    }

    /// Sends a capture to the worker (a fresh one if the current one has been used).
    pub fn start(&self, blob: &Blob, start: &Start) {
        let needs_fresh = self.inner.borrow().running.as_ref().is_none_or(|r| r.busy || r.broken.get());
        if needs_fresh {
            replace(&self.inner);
        }
        let message = js_sys::Object::new();
        let text = serde_json::to_string(start).unwrap_or_default();
        let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(key), value);
        if set(protocol::START_KEY, &JsValue::from_str(&text)).is_err() || set(protocol::FILE_KEY, blob).is_err() {
            self.report(WorkerEvent::Broken("the page could not build the start request".into()));
            return;
        }
        if let Some(e) = self.post(message.into(), true) {
            self.report(WorkerEvent::Broken(format!("the file could not be handed to the worker ({e:?})")));
        }
    }

    /// Asks the worker to read a share link's fragment; the answer carries `id`. A worker
    /// that is analysing a capture would answer only after it: the caller cancels first
    /// when the link replaces the analysis.
    pub fn open_shared(&self, id: u32, fragment: &str) {
        // A worker that holds a finished analysis keeps it: the page may still ask about it.
        let needs_fresh = self.inner.borrow().running.as_ref().is_none_or(|r| r.analysing.get() || r.broken.get());
        if needs_fresh {
            replace(&self.inner);
        }
        let request = OpenShared { v: protocol::VERSION, id, fragment: fragment.to_string() };
        let message = js_sys::Object::new();
        let text = serde_json::to_string(&request).unwrap_or_default();
        if js_sys::Reflect::set(&message, &JsValue::from_str(protocol::OPEN_KEY), &JsValue::from_str(&text)).is_err() {
            self.report(WorkerEvent::Broken("the page could not build the link request".into()));
            return;
        }
        if let Some(e) = self.post(message.into(), false) {
            self.report(WorkerEvent::Broken(format!("the link could not be handed to the worker ({e:?})")));
        }
    }

    /// Asks the worker about the analysis it holds; the answer carries the query's id.
    pub fn query(&self, query: &Query) {
        let message = js_sys::Object::new();
        let text = serde_json::to_string(query).unwrap_or_default();
        if js_sys::Reflect::set(&message, &JsValue::from_str(protocol::QUERY_KEY), &JsValue::from_str(&text)).is_err() {
            self.report(WorkerEvent::Broken("the page could not build the question".into()));
            return;
        }
        if self.inner.borrow().running.is_none() {
            self.report(WorkerEvent::Broken("the analysis worker is gone; analyse the capture again".into()));
        } else if let Some(e) = self.post(message.into(), false) {
            self.report(WorkerEvent::Broken(format!("the question could not be handed to the worker ({e:?})")));
        }
    }

    /// Asks the worker to compare the analysis it holds with an earlier capture or report
    /// (`blob`, posted as an object: no bytes copied); the answer carries `id`.
    pub fn compare(&self, id: u32, blob: &Blob) {
        let message = js_sys::Object::new();
        let text = serde_json::to_string(&Compare { v: protocol::VERSION, id }).unwrap_or_default();
        let set = |key: &str, value: &JsValue| js_sys::Reflect::set(&message, &JsValue::from_str(key), value);
        if set(protocol::COMPARE_KEY, &JsValue::from_str(&text)).is_err() || set(protocol::FILE_KEY, blob).is_err() {
            self.report(WorkerEvent::Broken("the page could not build the comparison request".into()));
        } else if self.inner.borrow().running.is_none() {
            self.report(WorkerEvent::Broken("the analysis worker is gone; analyse the capture again".into()));
        } else if let Some(e) = self.post(message.into(), false) {
            self.report(WorkerEvent::Broken(format!("the file could not be handed to the worker ({e:?})")));
        }
    }

    /// Posts to the current worker, or queues until it is ready. `uses_up`: an analysis,
    /// after which the worker is replaced. Returns the posting error, if any.
    fn post(&self, message: JsValue, uses_up: bool) -> Option<JsValue> {
        let mut inner = self.inner.borrow_mut();
        let running = inner.running.as_mut()?;
        running.busy |= uses_up;
        if uses_up {
            running.analysing.set(true);
        }
        if running.ready.get() {
            running.worker.post_message(&message).err()
        } else {
            running.queued.borrow_mut().push(message);
            None
        }
    }

    /// Stops the running analysis at once and gets a fresh worker ready.
    pub fn cancel(&self) {
        replace(&self.inner);
    }

    fn report(&self, event: WorkerEvent) {
        let on_event = self.inner.borrow().on_event.clone();
        on_event.emit(event);
    }
}

/// Terminates the current worker (if any) and starts a new one.
fn replace(inner: &Rc<RefCell<Inner>>) {
    let on_event = {
        let mut state = inner.borrow_mut();
        state.running = None;
        state.on_event.clone()
    };
    match spawn(on_event.clone()) {
        Ok(running) => inner.borrow_mut().running = Some(running),
        Err(message) => on_event.emit(WorkerEvent::Broken(message)),
    }
}

/// The worker's analysis message (`protocol::DONE_KEY`), if `data` is one: its pieces read,
/// each copied into the page's memory only when it is decoded.
fn analysis(data: &JsValue) -> Option<Result<FromWorker, String>> {
    let field = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    let pieces: js_sys::Array = field(protocol::DONE_KEY)?.dyn_into().ok()?;
    let version = field("v").and_then(|v| v.as_f64());
    if version != Some(f64::from(protocol::VERSION)) {
        let found = version.unwrap_or(0.0) as u32;
        return Some(Err(protocol::DecodeError::Version { found }.to_string()));
    }
    let flows = field(protocol::DONE_FLOWS_KEY).and_then(|v| v.as_f64()).unwrap_or(0.0) as u64;
    let bytes = pieces.iter().map(|buffer| js_sys::Uint8Array::new(&buffer).to_vec());
    Some(
        crate::analysis_pieces::analysis_of_pieces(bytes)
            .map(|analysis| FromWorker::Done { analysis: Box::new(analysis), flows })
            .map_err(|e| e.to_string()),
    )
}

/// An export message of the worker (`protocol::EXPORTED_KEY`), if `data` is one.
fn exported(data: &JsValue) -> Option<WorkerEvent> {
    let field = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
    let version = field("v")?.as_f64()?;
    if version != f64::from(protocol::VERSION) {
        return None;
    }
    Some(WorkerEvent::Exported {
        id: field(protocol::EXPORTED_KEY)?.as_f64()? as u32,
        name: field(protocol::EXPORT_NAME_KEY)?.as_string()?,
        media_type: field(protocol::EXPORT_TYPE_KEY)?.as_string()?,
        blob: field(protocol::EXPORT_BLOB_KEY)?.dyn_into().ok()?,
    })
}

/// The worker the boot script started, with the events it raised before the page listened;
/// only the first caller gets it.
fn take_early_worker() -> Option<(Worker, js_sys::Array)> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(EARLY_WORKER);
    let early = js_sys::Reflect::get(&window, &key).ok().filter(|v| v.is_object())?;
    let _ = js_sys::Reflect::delete_property(&window, &key);
    let field = |name: &str| js_sys::Reflect::get(&early, &JsValue::from_str(name)).ok();
    let worker = field("worker")?.dyn_into::<Worker>().ok()?;
    let events = field("events").and_then(|v| v.dyn_into::<js_sys::Array>().ok()).unwrap_or_default();
    Some((worker, events))
}

fn start_worker() -> Result<Worker, String> {
    let options = WorkerOptions::new();
    options.set_name(phonehome::geo::TABLE_CHECKSUM);
    Worker::new_with_options(WORKER_URL, &options)
        .map_err(|e| format!("the analysis worker could not be started ({e:?})"))
}

fn spawn(on_event: Callback<WorkerEvent>) -> Result<Running, String> {
    let (worker, early_events) = match take_early_worker() {
        Some(early) => early,
        None => (start_worker()?, js_sys::Array::new()),
    };
    let queued: Rc<RefCell<Vec<JsValue>>> = Rc::new(RefCell::new(Vec::new()));
    let ready = Rc::new(Cell::new(false));
    let broken = Rc::new(Cell::new(false));
    let analysing = Rc::new(Cell::new(false));

    let on_message = {
        let (worker, queued, ready, broken, analysing, on_event) =
            (worker.clone(), queued.clone(), ready.clone(), broken.clone(), analysing.clone(), on_event.clone());
        Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let data = event.data();
            let decoded = match data.as_string() {
                Some(text) => protocol::decode(&text).map_err(|e| e.to_string()),
                // Objects: an analysis in a transferred buffer, or an export in a Blob.
                None => match (analysis(&data), exported(&data)) {
                    (Some(done), _) => done,
                    (None, Some(exported)) => {
                        on_event.emit(exported);
                        return;
                    }
                    (None, None) => Err("the analysis worker sent a message the page does not understand".into()),
                },
            };
            let message = match decoded {
                Ok(message) => message,
                Err(why) => {
                    on_event.emit(WorkerEvent::Broken(why));
                    return;
                }
            };
            if let FromWorker::Ready { .. } = message {
                ready.set(true);
                on_event.emit(WorkerEvent::Message(message));
                let pending = std::mem::take(&mut *queued.borrow_mut());
                for message in pending {
                    if let Err(e) = worker.post_message(&message) {
                        on_event.emit(WorkerEvent::Broken(format!(
                            "the request could not be handed to the worker ({e:?})"
                        )));
                    }
                }
                return;
            }
            let finished = matches!(message, FromWorker::Done { .. } | FromWorker::Error { .. });
            if finished {
                analysing.set(false);
            }
            if finished && !ready.get() {
                // It failed to start: replaced at the next start, not now (it would only fail
                // again, over and over, while nobody needs it).
                broken.set(true);
            }
            // A finished worker keeps its analysis to answer questions; the next capture gets
            // a fresh worker (see `start`), which gives this one's memory back.
            on_event.emit(WorkerEvent::Message(message));
        })
    };
    // A script that fails to load raises a plain `Event`; a crash raises an `ErrorEvent`
    // with a message: read the message without assuming which one arrived.
    let on_error = Closure::<dyn FnMut(Event)>::new({
        let broken = broken.clone();
        move |event: Event| {
            event.prevent_default();
            broken.set(true);
            let detail = js_sys::Reflect::get(&event, &JsValue::from_str("message"))
                .ok()
                .and_then(|m| m.as_string())
                .unwrap_or_default();
            on_event.emit(WorkerEvent::Broken(if detail.is_empty() {
                "the analysis worker failed to load or stopped unexpectedly".to_string()
            } else {
                format!("the analysis stopped unexpectedly ({detail})")
            }));
        }
    });
    worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
    // What the boot script's worker said before the page listened, in order, before anything
    // newer (events are only dispatched once this task has finished).
    for event in early_events.iter() {
        let handler: &js_sys::Function =
            if event.is_instance_of::<MessageEvent>() { on_message.as_ref() } else { on_error.as_ref() }
                .unchecked_ref();
        let _ = handler.call1(&JsValue::NULL, &event);
    }
    Ok(Running { worker, queued, ready, broken, busy: false, analysing, _on_message: on_message, _on_error: on_error })
}
