// Starts the analysis worker (classic worker script, loaded by the page as ./worker_boot.js).
//
// The page names the worker after the IP table's checksum (src/geo/table.xxh3), followed by
// " new" when this browser has not seen that table before (www/worker_start.js). Getting the
// table starts here, before the wasm loads, so table and wasm arrive together; the wasm takes
// over (src/bin/worker/geo_table.rs) and uses the table only if it has the checksum it was
// built with.
//
// First it looks for the table's own bytes kept in Cache Storage by an earlier visit (under
// `geo/table.bin?v=<checksum>`; not for a table not seen before): reading those 11 MB takes
// about 20 ms, where downloading the shipped file (packed and brotli-compressed,
// src/geo/packed.rs) even from the HTTP cache and decoding it takes 200 ms or more. Only when there is no kept copy (or the wasm finds it
// damaged) is the shipped file downloaded; the wasm then decodes and checks it and hands the
// table back to `keep`, which stores it for the next visit and deletes the copies of other
// tables. Cache Storage is only ever a shortcut: when it is missing (`caches` undefined),
// refused (private browsing, quota) or fails in any way, the table is downloaded as before and
// nothing is reported. It is the browser's own storage: no request leaves the page for it.
//
// The download's address carries the checksum as its version, so each table has its own HTTP
// cache entry, and a cached copy is used without asking the server again ("force-cache").
// There is no Subresource Integrity here: its SHA-256 of the 11 MB table held every start back
// by 50 to 110 ms, and the wasm's own check costs a few.
//
// If the wasm cannot be fetched or compiled, this says so in the worker protocol's words (see
// src/bin/app/protocol.rs, message version 4), instead of leaving the page waiting for a
// "ready" that never comes.
// Block-scoped: the global lexical scope is shared with worker.js.
{
  const [, version, unseen] = /^([0-9a-f]{16})( new)?$/.exec(self.name) ?? [];
  if (version) {
    const url = `./geo/table.packed.br?v=${version}`;
    const keptUrl = new URL(`./geo/table.bin?v=${version}`, location.href).href;
    const CACHE = "phonehome-geo-table";

    /** The kept table's bytes (an ArrayBuffer), or null when there are none or they cannot be read. */
    const lookUp = async () => {
      try {
        performance.mark?.("phonehome:geo-table-lookup");
        const kept = await (await caches.open(CACHE)).match(keptUrl);
        const bytes = kept ? await kept.arrayBuffer() : null;
        performance.mark?.("phonehome:geo-table-looked-up");
        return bytes;
      } catch {
        return null;
      }
    };
    let download;
    /** Starts the download (once) and returns its response's promise. */
    const fetchTable = () => {
      if (!download) {
        performance.mark?.("phonehome:geo-table-fetch");
        download = fetch(url, { cache: "force-cache" });
        // A failure is the wasm's to report; until it looks, it is not an unhandled rejection.
        download.catch(() => {});
      }
      return download;
    };
    /**
     * Keeps a checked table (a Uint8Array the wasm no longer touches) for the next visit, in
     * place of any other table's; resolves to whether it was stored, never rejects.
     */
    const keep = async (bytes) => {
      try {
        const cache = await caches.open(CACHE);
        const path = new URL(keptUrl).pathname;
        for (const request of await cache.keys()) {
          // Only this site's copies: another site on the same origin keeps its own path.
          if (new URL(request.url).pathname === path && request.url !== keptUrl) await cache.delete(request);
        }
        const headers = { "content-type": "application/octet-stream" };
        await cache.put(keptUrl, new Response(bytes, { headers }));
        performance.mark?.("phonehome:geo-table-kept");
        return true;
      } catch {
        return false;
      }
    };
    // A table this browser has not seen is not kept yet (www/worker_start.js).
    const stored = unseen ? Promise.resolve(null) : lookUp();
    // Without a kept copy, download at once rather than when the wasm asks.
    stored.then((bytes) => bytes || fetchTable());
    self.phonehomeGeoTable = {
      version,
      url,
      stored,
      download: fetchTable,
      keep: (bytes) => (self.phonehomeGeoTable.keeping = keep(bytes)),
    };
  }
}
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" }).catch((error) => {
  const message = `the analysis worker could not start (${error}); reload the page to try again`;
  postMessage(JSON.stringify({ v: 4, message: { error: { message } } }));
});
