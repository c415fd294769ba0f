// The IP table (AS, organisation, country) reaches the worker as a static file of the site
// (packed and brotli-compressed): fetched once, from the page's own origin, decoded in the
// worker and checked against the checksum the site was built with. A capture dropped while it is still on its way waits for it. Without it (offline,
// missing, or a copy that does not match) the page says so calmly, and reports come without
// AS and country and with no destination marked abroad.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { DIST, chooseFile, dropFile, expectedHeadline, headline, useSite } from "./harness.mjs";

const TABLE_PATH = "/phonehome/geo/table.packed.br";
const TABLE_ROUTE = "**/geo/table.packed.br*";
const NOTICE = /^The AS and country table could not be loaded \(.+\); destinations are shown without AS and country\.$/;
// 180.76.76.76 (Baidu, CN) is the generated home's doorbell cloud: abroad from the US.
const BAIDU = "180.76.76.76";

const tableBytes = () => readFile(join(DIST, "geo", "table.packed.br"));
// The table's checksum (XXH3-64), written by the generator; a Rust test checks it.
const tableVersion = async () => (await readFile("src/geo/table.xxh3", "utf8")).trim();

function destinationRow(page, ip) {
  return page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: ip }) });
}

/** The headline and rows of a report made without the table: nothing is known abroad. */
async function assertReportWithoutTable(page, expected) {
  const unknown = { ...expected, destinations: expected.destinations.map((d) => ({ ...d, foreign: false })) };
  assert.equal(await headline(page), expectedHeadline(unknown, "the United States"));
  const row = destinationRow(page, BAIDU);
  assert.equal(await row.count(), 1);
  assert.equal(await row.locator("td.col-network").innerText(), "");
  assert.equal(await row.locator("td.col-country").innerText(), "Unknown");
  assert.equal(await page.locator("table.destination-table .mark-foreign").count(), 0, "nothing marked abroad");
}

describe("the IP table", () => {
  const fixture = useSite();

  it("is fetched once, from the site, under its checksum, and names networks and countries", async () => {
    const { site, capture, expected } = fixture;
    const { page, server } = site;
    await page.locator("footer").getByText(/Table date: \d{4}-\d{2}-\d{2}\./).waitFor();
    // The worker started by the page's start script is the one the page uses: no second one.
    // (The service worker's own fetch of the file, to keep it, starts no worker.)
    const started = site.requests.filter((r) => r.url.endsWith("/worker_boot.js") && !r.byServiceWorker);
    assert.equal(started.length, 1, "one worker at start");
    await dropFile(page, capture, "home.pcap");
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    const baidu = expected.destinations.find((d) => d.ip === BAIDU);
    assert.ok(baidu.foreign && baidu.asn && baidu.country, "the command-line tool finds it abroad");
    const row = destinationRow(page, BAIDU);
    assert.equal(await row.locator(".mark-foreign").innerText(), "ABROAD");
    assert.ok((await row.locator("td.col-network").innerText()).includes(`AS${baidu.asn}`));
    assert.equal(await row.locator("td.col-country .country").getAttribute("title"), baidu.country);

    // Every analysis gets a fresh worker, which takes the table from the browser (the copy kept
    // in Cache Storage, or the HTTP cache if that is not stored yet), not from the server.
    await chooseFile(page, capture);
    await page.locator(".capture-facts").getByText("home.pcap").waitFor();
    await page.locator("footer").getByText(/Table date: /).waitFor();
    assert.equal(await destinationRow(page, BAIDU).locator(".mark-foreign").innerText(), "ABROAD");

    const fetched = server.log.filter((r) => r.path === TABLE_PATH);
    assert.deepEqual(fetched, [{ method: "GET", path: TABLE_PATH, search: `?v=${await tableVersion()}` }], "fetched once");
    for (const request of site.requests.filter((r) => r.url.includes("/geo/"))) {
      assert.equal(new URL(request.url).origin, server.origin, request.url);
    }
    assert.equal(await page.locator("#geo-table-notice").count(), 0);
    assert.deepEqual(site.problems, []);
  });
});

describe("a capture dropped while the IP table is still on its way", () => {
  // Hold the table back until the capture has been dropped.
  let release;
  const dropped = new Promise((done) => (release = done));
  const fixture = useSite({
    name: "early.pcap",
    seed: 3,
    open: {
      serviceWorkers: "block",
      beforeLoad: (context) =>
        context.route(TABLE_ROUTE, async (route) => {
          await dropped;
          await route.continue();
        }),
    },
  });

  before(async () => {
    const { site, capture } = fixture;
    // The page takes files once it marks itself interactive (its drop listener is in place).
    await site.page.waitForFunction(() => performance.getEntriesByName("phonehome:interactive").length > 0);
    await dropFile(site.page, capture, "early.pcap");
    release();
  });

  it("is analysed with the table", async () => {
    const { site, expected } = fixture;
    const { page } = site;
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    const baidu = expected.destinations.find((d) => d.ip === BAIDU);
    assert.equal(await destinationRow(page, BAIDU).locator("td.col-country .country").getAttribute("title"), baidu.country);
  });
});

describe("when the page's start script cannot start the worker", () => {
  const fixture = useSite({
    open: { serviceWorkers: "block", beforeLoad: (context) => context.route("**/worker_start.js", (route) => route.abort()) },
  });

  it("the page starts it, and it loads the table all the same", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await page.locator("footer").getByText(/Table date: \d{4}-\d{2}-\d{2}\./).waitFor();
    await dropFile(page, capture, "home.pcap");
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    assert.equal(await destinationRow(page, BAIDU).locator(".mark-foreign").innerText(), "ABROAD");
  });
});

for (const [failure, answer] of [
  ["cannot be downloaded", (route) => route.abort("internetdisconnected")],
  ["is missing from the site", (route) => route.fulfill({ status: 404, body: "" })],
]) {
  describe(`when the IP table ${failure}`, () => {
    const fixture = useSite({ open: { serviceWorkers: "block", beforeLoad: (context) => context.route(TABLE_ROUTE, answer) } });

    it("says so calmly and reports without AS and country, nothing abroad", async () => {
      const { site, capture, expected } = fixture;
      const { page } = site;
      const notice = page.locator("#geo-table-notice");
      await notice.waitFor();
      assert.match(await notice.innerText(), NOTICE);
      assert.equal(await notice.getAttribute("role"), "status", "a status, not an alert");
      await page.locator("footer").getByText("The IP table could not be loaded").waitFor();
      // The data credits stay.
      assert.ok((await page.locator("footer").innerText()).includes("DB-IP"));
      await dropFile(page, capture, "home.pcap");
      await assertReportWithoutTable(page, expected);
      assert.equal(await page.getByRole("alert").count(), 0, "no error panel");
    });
  });
}

for (const [kind, damage] of [
  // Same size, one byte changed deep inside: it decodes to another table, or not at all.
  ["does not match the site's checksum", (bytes) => ((bytes[bytes.length >> 1] ^= 0x55), bytes)],
  // A download cut short (a full disk, a proxy's limit): the compressed stream ends early.
  ["is cut short", (bytes) => bytes.subarray(0, bytes.length >> 1)],
]) {
  describe(`an IP table that ${kind}`, () => {
    let served = 0;
    const fixture = useSite({
      open: async () => {
        const damaged = damage(Buffer.from(await tableBytes()));
        return {
          serviceWorkers: "block",
          beforeLoad: (context) =>
            context.route(TABLE_ROUTE, (route) => {
              served += 1;
              return route.fulfill({ status: 200, contentType: "application/octet-stream", body: damaged });
            }),
        };
      },
    });

    it("is refused after asking the server once more, and the page works on without it", async () => {
      const { site, capture, expected } = fixture;
      const { page } = site;
      const notice = page.locator("#geo-table-notice");
      await notice.waitFor();
      assert.match(await notice.innerText(), NOTICE);
      assert.match(await notice.innerText(), /does not match this version of the page/);
      assert.equal(served, 2, "the cached copy, then the server's");
      await dropFile(page, capture, "home.pcap");
      await assertReportWithoutTable(page, expected);
      assert.deepEqual(site.problems, [], "no error in the page or the worker");
    });
  });
}
