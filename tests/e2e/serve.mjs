// A tiny static file server for the built site (dist/), used by the browser tests and by
// `make serve`. It serves the site under a sub-path (default /phonehome/) to prove that every
// asset URL is relative, and binds to 127.0.0.1 only.
//
//   node tests/e2e/serve.mjs [dir] [port] [prefix]
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".pcap": "application/vnd.tcpdump.pcap",
  ".svg": "image/svg+xml",
  ".webmanifest": "application/manifest+json",
};

/**
 * Starts serving `dir` at http://127.0.0.1:<port><prefix>. Port 0 picks a free port.
 * `log` lists every request that reached the server (not those the browser answered from its
 * cache) as { method, path, search }.
 */
export async function startServer({ dir = "dist", port = 0, prefix = "/phonehome/", missing = [] } = {}) {
  const root = resolve(dir);
  const log = [];
  const server = createServer(async (request, response) => {
    const url = new URL(request.url, "http://localhost");
    log.push({ method: request.method, path: url.pathname, search: url.search });
    if (url.pathname === prefix.slice(0, -1)) {
      response.writeHead(301, { location: prefix }).end();
      return;
    }
    if (request.method !== "GET" && request.method !== "HEAD") {
      response.writeHead(405).end();
      return;
    }
    if (!url.pathname.startsWith(prefix)) {
      response.writeHead(404).end();
      return;
    }
    let path = decodeURIComponent(url.pathname.slice(prefix.length)) || "index.html";
    if (missing.includes(path)) {
      response.writeHead(404).end();
      return;
    }
    const file = normalize(join(root, path));
    if (file !== root && !file.startsWith(root + sep)) {
      response.writeHead(403).end();
      return;
    }
    try {
      const info = await stat(file);
      const target = info.isDirectory() ? join(file, "index.html") : file;
      const modified = (await stat(target)).mtime;
      modified.setMilliseconds(0);
      // Revalidation (If-Modified-Since) lets the browser reuse the multi-megabyte worker
      // wasm each time the page starts a fresh worker, as a real static host would.
      const since = Date.parse(request.headers["if-modified-since"] ?? "");
      if (!Number.isNaN(since) && since >= modified.getTime()) {
        response.writeHead(304).end();
        return;
      }
      const body = await readFile(target);
      response.writeHead(200, {
        "content-type": TYPES[extname(target)] ?? "application/octet-stream",
        "last-modified": modified.toUTCString(),
        "cache-control": "no-cache",
      });
      response.end(request.method === "HEAD" ? undefined : body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  });
  const { port: actual } = server.address();
  return {
    origin: `http://127.0.0.1:${actual}`,
    url: `http://127.0.0.1:${actual}${prefix}`,
    log,
    // Stops at once: open keep-alive connections are closed too, so the browser cannot reach
    // the site any more (the offline tests stop the server this way).
    close: () =>
      new Promise((done) => {
        server.close(done);
        server.closeAllConnections();
      }),
  };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [dir = "dist", port = "8080", prefix = "/phonehome/"] = process.argv.slice(2);
  const served = await startServer({ dir, port: Number(port), prefix });
  console.log(`phonehome is served at ${served.url}  (Ctrl-C stops)`);
}
