// Starts the analysis worker as early as the page can: a classic script at the top of the
// page, run before the style sheet and the page's WebAssembly (www/boot.js) are even asked
// for, so the worker loads its wasm and the IP table while the page starts. (Run `async`, it
// waited for the page's wasm, and the worker started about 90 ms later.) The worker is named
// after the table's checksum (src/geo/table.xxh3, which trunk inlines into the page just above
// this script's tag), under which it fetches and checks the table. The page adopts this
// worker with whatever it said meanwhile (src/bin/app/browser/worker_link.rs); if it could not
// be started here, the page starts one.
//
// It also remembers (localStorage) the table this browser last started a worker for. A table
// not seen before is not kept in Cache Storage yet (www/worker_boot.js), so its worker, named
// `<checksum> new`, downloads the table at once instead of looking there first: the first
// look into Cache Storage of a new profile takes 40 to 120 ms. It is only a hint; a wrong one
// costs that look, or a download.
try {
  const version = document.getElementById("geo-table-version")?.content.textContent.trim() ?? "";
  if (/^[0-9a-f]{16}$/.test(version)) {
    let seen = false;
    try {
      seen = localStorage.getItem("phonehome.geoTable") === version;
      if (!seen) localStorage.setItem("phonehome.geoTable", version);
    } catch {
      // Without storage, look into Cache Storage first, as the page's own workers do.
      seen = true;
    }
    const worker = new Worker("./worker_boot.js", { name: seen ? version : `${version} new` });
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
