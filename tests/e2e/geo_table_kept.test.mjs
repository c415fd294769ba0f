// The IP table kept in Cache Storage (www/worker_boot.js): a worker that had to download and
// decode the shipped file keeps the table's own bytes there, under its checksum, so the next
// visit reads them back instead of downloading and decoding again. A kept copy is used only if
// it has the table's checksum; a damaged or missing one falls back to the download and is
// replaced, and copies of other tables are deleted. Cache Storage that is missing or fails
// (private browsing, quota) never breaks the page: the table is downloaded as before.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { dropFile, expectedHeadline, headline, useSite } from "./harness.mjs";

const CACHE = "phonehome-geo-table";
const TABLE_FILE = "/geo/table.packed.br";
const TABLE_DATE = /Table date: \d{4}-\d{2}-\d{2}\./;
const version = (await readFile("src/geo/table.xxh3", "utf8")).trim();
const tableSha256 = createHash("sha256").update(await readFile("src/geo/table.bin")).digest("hex");
// Another site under another path of the same origin keeps its own copy, which stays.
const OTHER_SITE = "/other/geo/table.bin?v=0123456789abcdef";

/** Waits until the table is in the page's footer and every worker has kept what it decoded. */
async function tableLoaded(page) {
  await page.locator("footer").getByText(TABLE_DATE).waitFor();
  await Promise.all(page.workers().map((worker) => worker.evaluate(() => self.phonehomeGeoTable?.keeping)));
}

/** The kept copies: address (path and query) → SHA-256 of the bytes. */
function keptCopies(page) {
  return page.evaluate(async (name) => {
    const hex = (buffer) => [...new Uint8Array(buffer)].map((b) => b.toString(16).padStart(2, "0")).join("");
    const cache = await caches.open(name);
    const copies = {};
    for (const request of await cache.keys()) {
      const bytes = await (await cache.match(request)).arrayBuffer();
      const url = new URL(request.url);
      copies[url.pathname + url.search] = hex(await crypto.subtle.digest("SHA-256", bytes));
    }
    return copies;
  }, CACHE);
}

/** Stores the kept table's bytes under `address` (relative to the page), damaged if `damaged`. */
function putCopy(page, address, damaged = false) {
  return page.evaluate(
    async ({ name, address, damaged, version }) => {
      const cache = await caches.open(name);
      const kept = await cache.match(new URL(`geo/table.bin?v=${version}`, location.href).href);
      const bytes = new Uint8Array(await kept.arrayBuffer());
      // Same length, one byte changed deep inside.
      if (damaged) bytes[bytes.length >> 1] ^= 0x55;
      await cache.put(new URL(address, location.href).href, new Response(bytes));
    },
    { name: CACHE, address, damaged, version },
  );
}

/** Whether the page asked for the shipped table since the `from`th request. */
const downloadedSince = (site, from) => site.requests.slice(from).some((r) => new URL(r.url).pathname.endsWith(TABLE_FILE));

/** A report of the generated home is made with the table: the Baidu server is abroad. */
async function analysedWithTable(page, capture, expected) {
  await dropFile(page, capture, "home.pcap");
  assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
  const row = page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: "180.76.76.76" }) });
  assert.equal(await row.locator(".mark-foreign").innerText(), "ABROAD");
}

describe("the IP table kept in Cache Storage", () => {
  const fixture = useSite();
  const own = `/phonehome/geo/table.bin?v=${version}`;

  it("is stored by the first visit and read back by the second, which downloads nothing", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await tableLoaded(page);
    assert.ok(downloadedSince(site, 0), "the first visit downloads the shipped table");
    assert.deepEqual(await keptCopies(page), { [own]: tableSha256 }, "the table's own bytes, under its checksum");

    const before = site.requests.length;
    await page.reload();
    await tableLoaded(page);
    assert.ok(!downloadedSince(site, before), "no request for the shipped table");
    await analysedWithTable(page, capture, expected);
    // The analysis ran in a fresh worker, which read the kept table too.
    assert.ok(!downloadedSince(site, before), "no request for the shipped table");
    assert.deepEqual(site.problems, []);
  });

  it("is ignored when damaged, and replaced; other tables' copies are deleted", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    // An older table's copy, another site's copy, and this table's copy damaged.
    await putCopy(page, "geo/table.bin?v=00000000deadbeef");
    await putCopy(page, OTHER_SITE);
    await putCopy(page, own, true);
    assert.notEqual((await keptCopies(page))[own], tableSha256);

    const before = site.requests.length;
    await page.reload();
    await tableLoaded(page);
    assert.ok(downloadedSince(site, before), "the shipped table is downloaded instead");
    assert.deepEqual(await keptCopies(page), { [own]: tableSha256, [OTHER_SITE]: tableSha256 });
    await analysedWithTable(page, capture, expected);
    assert.deepEqual(site.problems, [], "nothing said about the damaged copy");
  });

  it("is downloaded again when the browser has evicted it", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    assert.ok(await page.evaluate((name) => caches.delete(name), CACHE));
    const before = site.requests.length;
    await page.reload();
    await tableLoaded(page);
    assert.ok(downloadedSince(site, before));
    assert.deepEqual(await keptCopies(page), { [own]: tableSha256 });
    await analysedWithTable(page, capture, expected);
    assert.deepEqual(site.problems, []);
  });
});

// Each failure is set up in the worker's boot script before it runs (the same script, with a
// line in front), or in the page before its scripts run. Where the worker cannot use Cache
// Storage, every visit downloads the table; without localStorage, the page's hint that it has
// seen the table is lost, but the kept copy is still found.
for (const [failure, sabotage, inPage] of [
  ["Cache Storage is missing (caches undefined)", `Object.defineProperty(self, "caches", { value: undefined });`],
  ["opening it throws (private browsing)", `CacheStorage.prototype.open = () => { throw new DOMException("no", "SecurityError"); };`],
  ["opening it is refused", `CacheStorage.prototype.open = () => Promise.reject(new DOMException("no", "SecurityError"));`],
  ["storing is over quota", `Cache.prototype.put = () => Promise.reject(new DOMException("full", "QuotaExceededError"));`],
  ["reading the kept copy fails", `Cache.prototype.match = () => Promise.resolve({ arrayBuffer: () => Promise.reject(new TypeError("gone")) });`],
  ["localStorage throws in the page", `Object.defineProperty(window, "localStorage", { get() { throw new DOMException("no", "SecurityError"); } });`, true],
]) {
  describe(`when ${failure}`, () => {
    const fixture = useSite({
      open: {
        serviceWorkers: inPage ? "allow" : "block",
        beforeLoad: (context) =>
          inPage
            ? context.addInitScript({ content: sabotage })
            : context.route("**/worker_boot.js", async (route) => {
                const response = await route.fetch();
                await route.fulfill({ response, body: `${sabotage}\n${await response.text()}` });
              }),
      },
    });

    it("the page loads the table all the same, on every visit, and says nothing", async () => {
      const { site, capture, expected } = fixture;
      const { page } = site;
      await tableLoaded(page);
      const before = site.requests.length;
      await page.reload();
      await tableLoaded(page);
      assert.equal(downloadedSince(site, before), !inPage, "downloaded on the second visit");
      await analysedWithTable(page, capture, expected);
      assert.equal(await page.locator("#geo-table-notice").count(), 0, "no notice");
      assert.deepEqual(site.problems, [], "no error in the page or the worker");
    });
  });
}
