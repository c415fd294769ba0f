// The service worker that lets the site start with the network off, from the second visit on.
// The page registers it after it has loaded (www/boot.js); its scope is the site's folder.
//
// The build writes the list of this version's files, each with its SHA-256, into SITE below
// (www/service_worker_build.mjs, a trunk post_build hook), so this script's bytes change with
// every version of the site and the browser installs the new one when it next checks (on each
// visit). Installing downloads every listed file (checked against its hash, so a half-deployed
// site is never kept) into one cache named after the scope and the version; activating
// deletes that scope's caches of other versions. From then on the listed files are answered
// from the cache (the page itself for a navigation to the site's folder or its index.html),
// so a visit shows the version that was installed, and the visit after a new version was
// installed shows the new one. `lazy` files (the demo capture) are kept only once the page asks
// for them. Everything else goes to the network as before: in particular the IP table's
// download, since the worker keeps the table it decoded in Cache Storage itself
// (www/worker_boot.js) and a second copy would only double the storage.
//
// In a debug build SITE is null: nothing is cached and every request goes to the network.
const SITE = null;

const scope = self.registration.scope;
const PREFIX = `phonehome-site ${scope} `;
const CACHE = SITE && PREFIX + SITE.version;
const scopePath = new URL(scope).pathname;

/** The address a file of the site is kept under: the page itself under the site's folder. */
const address = (name) => new URL(name === "index.html" ? "./" : name, scope).href;

/** Fetches one file of this version, refusing any other bytes, and keeps it. */
async function keep(cache, name, integrity) {
  const response = await fetch(address(name), { cache: "no-cache", integrity });
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  // A navigation may not be answered with a redirected response (a host that sends ./ on to
  // ./index.html): keep the bytes and headers only.
  const kept = response.redirected ? new Response(await response.blob(), { headers: response.headers }) : response;
  await cache.put(address(name), kept);
}

self.addEventListener("install", (event) => {
  if (!SITE) return void self.skipWaiting();
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      try {
        await Promise.all(Object.entries(SITE.files).map(([name, integrity]) => keep(cache, name, integrity)));
      } catch (error) {
        // Not installed: the version that runs now stays; the next visit tries again.
        await caches.delete(CACHE);
        throw error;
      }
      // Take over at once. A page open meanwhile keeps the code it has loaded; analysis
      // workers it starts later get this version's files, as they would from the server.
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name.startsWith(PREFIX) && name !== CACHE) await caches.delete(name);
      }
    })(),
  );
});

/** The name of a file of this version the request asks for, or null. */
function fileOf(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin || !url.pathname.startsWith(scopePath)) return null;
  const name = url.pathname.slice(scopePath.length);
  if (request.mode === "navigate") return name === "" || name === "index.html" ? "index.html" : null;
  if (url.search) return null;
  return name in SITE.files || name in SITE.lazy ? name : null;
}

self.addEventListener("fetch", (event) => {
  const name = SITE && fileOf(event.request);
  if (!name) return;
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const kept = await cache.match(address(name));
      if (kept) return kept;
      if (!(name in SITE.lazy)) return fetch(event.request);
      try {
        const response = await fetch(address(name), { integrity: SITE.lazy[name] });
        if (response.ok) await cache.put(address(name), response.clone());
        return response;
      } catch {
        // Another version's file (the site was updated meanwhile): not kept.
        return fetch(event.request);
      }
    })(),
  );
});
