// Starts the analysis worker (classic worker script, loaded by the page as ./worker_boot.js).
//
// The page names the worker after the IP table's checksum (src/geo/table.xxh3). The table
// download starts here, before the wasm loads, so both arrive together; the wasm takes the
// response over (src/bin/worker/geo_table.rs), decodes it (the site ships the table packed and
// zstd-compressed, src/geo/packed.rs) and uses the table only if it has the checksum it was
// built with. The checksum is also the file's version in its address, so each
// table has its own cache entry, and a cached copy is used without asking the server again
// ("force-cache"). There is no Subresource Integrity here: its SHA-256 of the 11 MB table held every
// start back by 50 to 110 ms, and the wasm's own check costs a few.
//
// If the wasm cannot be fetched or compiled, this says so in the worker protocol's words (see
// src/bin/app/protocol.rs, message version 3), instead of leaving the page waiting for a
// "ready" that never comes.
if (/^[0-9a-f]{16}$/.test(self.name)) {
  const version = self.name;
  const url = `./geo/table.packed.zst?v=${version}`;
  performance.mark?.("phonehome:geo-table-fetch");
  const response = fetch(url, { cache: "force-cache" });
  // A failure is the wasm's to report; until it looks, it is not an unhandled rejection.
  response.catch(() => {});
  self.phonehomeGeoTable = { version, url, response };
}
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  const message = `the analysis worker could not start (${error}); reload the page to try again`;
  postMessage(JSON.stringify({ v: 3, message: { error: { message } } }));
});
