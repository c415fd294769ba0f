// Reads a capture for the analysis worker, which starts this script as a worker of its own
// (src/bin/worker/slices.rs): the browser hands a file's bytes over on the thread that asked for
// them, so the analysis worker, busy analysing one slice, could not have the next one read
// meanwhile. Here the next slices are read while it analyses.
//
// Messages: { file: Blob, slice: bytes per slice, ahead: slices read before any is asked for }
// starts the reading; { more: true } asks for one more slice. Each slice goes back as
// { buffer: ArrayBuffer, end: bytes read so far } with its buffer transferred, not copied;
// then { end, done: true } at the end of the file, or { end, error: "why" } where reading failed.
"use strict";

let file = null;
let slice = 0;
let next = 0;
let credit = 0;

function pump() {
  if (file === null) return;
  const reader = new FileReaderSync();
  while (credit > 0 && next < file.size) {
    const end = Math.min(next + slice, file.size);
    let buffer;
    try {
      buffer = reader.readAsArrayBuffer(file.slice(next, end));
    } catch (error) {
      postMessage({ end: next, error: String(error && error.message ? error.message : error) });
      file = null;
      return;
    }
    next = end;
    credit -= 1;
    postMessage({ buffer, end }, [buffer]);
  }
  if (next >= file.size) {
    postMessage({ end: next, done: true });
    file = null;
  }
}

onmessage = ({ data }) => {
  if (data.file) {
    file = data.file;
    slice = data.slice;
    credit = data.ahead;
    next = 0;
  } else if (data.more) {
    credit += 1;
  }
  pump();
};
