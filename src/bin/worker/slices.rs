//! The capture's bytes, a slice at a time, read ahead while the analysis runs.
//!
//! The browser hands a file's bytes over on the thread that asked for them: a slice asked for
//! before this worker analyses the one in hand still arrives only when the analysis pauses
//! (busy 1 GB: 0.62-0.72 s spent waiting for slices asked for in advance). So a worker of this
//! worker's own (`www/slice_reader.js`) reads the slices, a few ahead, and transfers each
//! here. Where that worker cannot start, the slices are read here, the next one asked for
//! before the current one is analysed.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use crate::js_error::describe;
use js_sys::{ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent, Worker};

/// The reading worker's script, beside this worker's.
const READER: &str = "slice_reader.js";
/// Slices read before the analysis asks for more: one analysed, the next ones in hand. The
/// browser's memory holds them besides the analysis, so few and not too big.
const AHEAD: u32 = 2;

/// What comes next.
pub enum Next {
    Bytes(Uint8Array),
    End,
    /// The browser stopped reading: why.
    Failed(String),
}

/// Where slices come from.
pub enum Slices {
    Reader(Reader),
    Here(Here),
}

impl Slices {
    pub fn new(blob: &Blob, slice: usize) -> Slices {
        Reader::start(blob, slice).map_or_else(|_| Slices::Here(Here::new(blob, slice)), Slices::Reader)
    }

    pub async fn next(&mut self) -> Next {
        let reader = match self {
            Slices::Here(here) => return here.next().await,
            Slices::Reader(reader) => reader,
        };
        match reader.next().await {
            // Its script did not load or run: read here instead.
            Next::Failed(_) if !reader.received => {
                let mut here = Here::new(&reader.blob, reader.slice);
                let next = here.next().await;
                *self = Slices::Here(here);
                next
            }
            next => next,
        }
    }
}

/// Slices read in this thread: the next one is asked for before the one in hand is analysed.
pub struct Here {
    blob: Blob,
    total: u64,
    slice: u64,
    /// Where the slice asked for starts, and its reading.
    asked: Option<(u64, Result<JsFuture, JsValue>)>,
}

impl Here {
    fn new(blob: &Blob, slice: usize) -> Here {
        let mut here =
            Here { blob: blob.clone(), total: blob.size().max(0.0) as u64, slice: slice as u64, asked: None };
        here.ask(0);
        here
    }

    fn ask(&mut self, from: u64) {
        let end = (from + self.slice).min(self.total);
        self.asked = (from < self.total).then(|| {
            let read = self.blob.slice_with_f64_and_f64(from as f64, end as f64);
            (from, read.map(|b| JsFuture::from(b.array_buffer())))
        });
    }

    async fn next(&mut self) -> Next {
        let Some((start, pending)) = self.asked.take() else { return Next::End };
        let read = match pending {
            Ok(pending) => pending.await,
            Err(e) => Err(e),
        };
        match read {
            Ok(buffer) => {
                let bytes = Uint8Array::new(&buffer);
                self.ask(start + u64::from(bytes.length()));
                if bytes.length() == 0 {
                    return Next::End;
                }
                Next::Bytes(bytes)
            }
            Err(e) => Next::Failed(describe(&e)),
        }
    }
}

/// The reading worker, and the messages it sent that were not asked for yet.
pub struct Reader {
    worker: Worker,
    blob: Blob,
    slice: usize,
    /// Whether a slice came: a failure before any is the reader's own (its script), a failure
    /// after one is the file's.
    received: bool,
    inbox: Rc<RefCell<VecDeque<JsValue>>>,
    /// The resolver of the promise the analysis waits on, when it waits.
    waiting: Rc<RefCell<Option<Function>>>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::Event)>,
}

impl Reader {
    fn start(blob: &Blob, slice: usize) -> Result<Reader, JsValue> {
        let worker = Worker::new(READER)?;
        let inbox: Rc<RefCell<VecDeque<JsValue>>> = Rc::default();
        let waiting: Rc<RefCell<Option<Function>>> = Rc::default();
        let deliver = {
            let (inbox, waiting) = (inbox.clone(), waiting.clone());
            move |data: JsValue| match waiting.borrow_mut().take() {
                Some(resolve) => {
                    let _ = resolve.call1(&JsValue::NULL, &data);
                }
                None => inbox.borrow_mut().push_back(data),
            }
        };
        let on_message = {
            let deliver = deliver.clone();
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| deliver(event.data()))
        };
        // A script that cannot load or run ends the reading with a reason.
        let on_error = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            let failed = Object::new();
            let _ = Reflect::set(&failed, &"error".into(), &"the file reader stopped".into());
            deliver(failed.into());
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let start = Object::new();
        Reflect::set(&start, &"file".into(), blob)?;
        Reflect::set(&start, &"slice".into(), &(slice as f64).into())?;
        Reflect::set(&start, &"ahead".into(), &AHEAD.into())?;
        worker.post_message(&start)?;
        Ok(Reader {
            worker,
            blob: blob.clone(),
            slice,
            received: false,
            inbox,
            waiting,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    async fn next(&mut self) -> Next {
        let queued = self.inbox.borrow_mut().pop_front();
        let data = match queued {
            Some(data) => data,
            None => {
                let waiting = self.waiting.clone();
                let promise = Promise::new(&mut |resolve, _| *waiting.borrow_mut() = Some(resolve));
                JsFuture::from(promise).await.unwrap_or(JsValue::UNDEFINED)
            }
        };
        let field = |key: &str| Reflect::get(&data, &key.into()).ok().filter(|v| !v.is_undefined());
        if let Some(buffer) = field("buffer").and_then(|b| b.dyn_into::<ArrayBuffer>().ok()) {
            let more = Object::new();
            let _ = Reflect::set(&more, &"more".into(), &true.into());
            let _ = self.worker.post_message(&more);
            self.received = true;
            return Next::Bytes(Uint8Array::new(&buffer));
        }
        match field("error") {
            Some(why) => Next::Failed(why.as_string().unwrap_or_else(|| "the file could not be read".into())),
            None => Next::End,
        }
    }
}

impl Drop for Reader {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}
