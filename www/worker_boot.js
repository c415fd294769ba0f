// Starts the analysis worker's WebAssembly (classic worker script, loaded by the page as
// ./worker_boot.js). If the wasm cannot be fetched or compiled, it says so in the worker
// protocol's words (see src/bin/app/protocol.rs, message version 2), instead of leaving the
// page waiting for a "ready" that never comes.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  const message = `the analysis worker could not start (${error}); reload the page to try again`;
  postMessage(JSON.stringify({ v: 2, message: { error: { message } } }));
});
