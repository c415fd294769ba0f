// The page's privacy promise, checked in a real browser: every request goes to the page's own
// origin, none carries capture bytes, no WebSocket is opened, and the Content-Security-Policy
// is in force (nothing on the page violates it, the worker's IP table download included), on a
// visit served by the site's service worker.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { captureFolder, generate } from "./captures.mjs";
import { chooseFile, dropFile, headline, openSite } from "./harness.mjs";

const POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; " +
  "style-src 'self'; object-src 'none'; base-uri 'self'; form-action 'none'";

describe("privacy", () => {
  let site, folder, capture;

  before(async () => {
    folder = await captureFolder();
    capture = generate(folder.dir, "private.pcap", 1, 11);
    site = await openSite();
    // Record policy violations from the start of every document.
    await site.context.addInitScript(() => {
      window.__violations = [];
      document.addEventListener("securitypolicyviolation", (e) =>
        window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    // The rest runs under the site's service worker, as every later visit does.
    await site.page.evaluate(() =>
      Promise.race([navigator.serviceWorker.ready, new Promise((_, fail) => setTimeout(() => fail(new Error("no service worker")), 30_000))]),
    );
    await site.page.reload();
    await site.page.getByRole("heading", { name: "phonehome", level: 1 }).waitFor();
    assert.ok(await site.page.evaluate(() => navigator.serviceWorker.controller !== null), "served by the service worker");
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("declares the strict Content-Security-Policy", async () => {
    const content = await site.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute("content");
    assert.equal(content, POLICY);
  });

  it("analyses captures without sending them anywhere", async () => {
    const { page, requests, sockets, server } = site;
    await dropFile(page, capture, "private.pcap");
    await headline(page);
    await chooseFile(page, capture);
    await page.locator(".capture-facts").getByText("private.pcap").waitFor();
    await page.getByRole("button", { name: "Show flows with 180.76.76.76" }).first().click();
    await page.locator("#flows-title").waitFor();

    assert.ok(requests.length > 0, "requests were recorded");
    for (const request of requests) {
      assert.equal(new URL(request.url).origin, server.origin, `same origin: ${request.url}`);
      assert.equal(request.method, "GET", `${request.method} ${request.url}`);
      assert.ok(!request.body || request.body.length === 0, `no request body: ${request.url}`);
    }
    assert.deepEqual(sockets, [], "no WebSocket");
    // Only the site's own files were fetched: nothing that could carry the capture.
    const paths = new Set(requests.map((r) => new URL(r.url).pathname.replace(/-[0-9a-f]+(?=[._])/, "-HASH")));
    const allowed = [
      "/phonehome/",
      "/phonehome/boot.js",
      "/phonehome/app-HASH.js",
      "/phonehome/app-HASH_bg.wasm",
      "/phonehome/style-HASH.css",
      "/phonehome/worker_start.js",
      "/phonehome/worker_boot.js",
      "/phonehome/worker.js",
      "/phonehome/worker_bg.wasm",
      "/phonehome/slice_reader.js",
      "/phonehome/geo/table.packed.br",
      "/phonehome/service_worker.js",
      "/phonehome/manifest.webmanifest",
      "/phonehome/icon.svg",
    ];
    for (const path of paths) assert.ok(allowed.includes(path), `expected file: ${path}`);
    // And no URL holds a run of the capture's bytes (e.g. encoded in a query string). The only
    // query is the IP table's version: its checksum, fixed when the site was built (a Rust
    // test checks that src/geo/table.xxh3 is the committed table's).
    const tableQuery = `?v=${(await readFile("src/geo/table.xxh3", "utf8")).trim()}`;
    const bytes = await readFile(capture);
    const sample = bytes.subarray(4096, 4096 + 32).toString("hex");
    for (const request of requests) {
      const { pathname, search } = new URL(request.url);
      assert.ok(!request.url.includes(sample), request.url);
      assert.equal(search, pathname.endsWith("/geo/table.packed.br") ? tableQuery : "", request.url);
    }
  });

  it("breaks none of its own policy", async () => {
    assert.deepEqual(await site.page.evaluate(() => window.__violations), []);
    // Style attributes appear only where the page's script sized the table spacers through
    // the CSSOM, which the policy allows; none comes from markup.
    assert.equal(await site.page.locator("[style]:not(tr.spacer)").count(), 0, "no inline style attributes");
    assert.deepEqual(site.problems, []);
  });
});
