// Starts the analysis worker (classic worker script, loaded by the page as ./worker_boot.js).
//
// The page names the worker after the IP table's digest (Subresource Integrity form, from
// src/geo/table.sha256). The table download starts here, before the wasm loads, so both
// arrive together; the wasm takes the response over (src/bin/worker/geo_table.rs) and uses it
// only if the digest is the one it was built with. The digest is also the file's version in
// its address, so each table has its own cache entry, and a cached copy is used without asking
// the server again ("force-cache"); the browser still checks it against the digest.
//
// If the wasm cannot be fetched or compiled, this says so in the worker protocol's words (see
// src/bin/app/protocol.rs, message version 2), instead of leaving the page waiting for a
// "ready" that never comes.
if (self.name.startsWith("sha256-")) {
  const integrity = self.name;
  const version = integrity.slice("sha256-".length).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  const url = `./geo/table.bin?v=${version}`;
  performance.mark?.("phonehome:geo-table-fetch");
  const response = fetch(url, { integrity, cache: "force-cache" });
  // A failure is the wasm's to report; until it looks, it is not an unhandled rejection.
  response.catch(() => {});
  self.phonehomeGeoTable = { integrity, url, response };
}
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  const message = `the analysis worker could not start (${error}); reload the page to try again`;
  postMessage(JSON.stringify({ v: 2, message: { error: { message } } }));
});
