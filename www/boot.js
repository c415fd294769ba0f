// Starts the page. It is a file rather than an inline script because the page's
// Content-Security-Policy allows only its own files to run. trunk writes the generated
// (content-hashed) file names into this tag's data attributes.
//
// The analysis worker is started first, before the page's own WebAssembly, so that the worker's
// wasm and the IP table load while the page's does: the table is usable sooner. The worker is
// named after the table's digest (src/geo/table.sha256, inlined into the page by trunk), with
// which it fetches the table. The page adopts this worker with whatever it said meanwhile
// (src/bin/app/browser/worker_link.rs); if it could not be started here, the page starts one.
try {
  const integrity = document.getElementById("geo-table-integrity")?.content.textContent.trim() ?? "";
  const worker = new Worker("./worker_boot.js", { name: integrity });
  const events = [];
  worker.onmessage = (event) => events.push(event);
  worker.onerror = (event) => {
    event.preventDefault();
    events.push(event);
  };
  window.phonehomeWorker = { worker, events };
} catch {
  // The page starts its worker itself.
}

const tag = document.querySelector("script[data-wasm]");
try {
  const { default: init } = await import(tag.dataset.js);
  await init({ module_or_path: tag.dataset.wasm });
} catch (error) {
  const message = document.getElementById("boot-error");
  message.textContent =
    "phonehome could not start in this browser (" + error + "). It needs WebAssembly and module scripts, " +
    "available in current versions of Chrome, Edge, Firefox and Safari.";
  message.hidden = false;
}
