// Starts the analysis worker as early as the page can: a classic script loaded with `async`,
// so it waits neither for the style sheet nor for the page's WebAssembly (www/boot.js). The
// worker then loads its wasm and the IP table while the page starts, and the table is usable
// sooner. The worker is named after the table's digest (src/geo/table.sha256, which trunk
// inlines into the page just above this script's tag), with which it fetches the table.
// The page adopts this worker with whatever it said meanwhile
// (src/bin/app/browser/worker_link.rs); if it could not be started here, the page starts one.
try {
  const integrity = document.getElementById("geo-table-integrity")?.content.textContent.trim() ?? "";
  if (integrity.startsWith("sha256-")) {
    const worker = new Worker("./worker_boot.js", { name: integrity });
    const events = [];
    worker.onmessage = (event) => events.push(event);
    worker.onerror = (event) => {
      event.preventDefault();
      events.push(event);
    };
    window.phonehomeWorker = { worker, events };
  }
} catch {
  // The page starts its worker itself.
}
