// Installable and offline: the web app manifest is served and valid, and the service worker
// (www/service_worker.js, its list of files written by www/service_worker_build.mjs) keeps the
// site, so a second visit starts with the server stopped and analyses a capture with the IP
// table (which the worker keeps in Cache Storage itself). A new version of the site, once
// served, is installed in the background, replaces the kept one (whose cache is deleted) and
// is the one the next visit shows, with the server stopped again.
import assert from "node:assert/strict";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { execFileSync } from "node:child_process";
import { DIST, dropFile, expectedHeadline, headline, useSite } from "./harness.mjs";
import { startServer } from "./serve.mjs";

const TABLE_DATE = /Table date: \d{4}-\d{2}-\d{2}\./;
const SECOND_VERSION = '<meta name="phonehome-test-version" content="2">';

/** The version and files a built site's service worker was given. */
async function siteOf(dir) {
  const script = await readFile(join(dir, "service_worker.js"), "utf8");
  return JSON.parse(/^const SITE = (\{.*\});$/m.exec(script)[1]);
}

/** The site's caches (the service worker's, not the IP table's), by name. */
const siteCaches = (page) => page.evaluate(async () => (await caches.keys()).filter((name) => name.startsWith("phonehome-site ")));

/** Polls `check` (an async function) until it returns true, for at most 30 s. */
async function until(check, what) {
  for (const started = Date.now(); !(await check()); ) {
    if (Date.now() - started > 30_000) throw new Error(`timed out waiting until ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}

/** Waits until the table is shown and kept, and the service worker is active with its files. */
async function keptForOffline(page) {
  await page.locator("footer").getByText(TABLE_DATE).waitFor();
  await Promise.all(page.workers().map((worker) => worker.evaluate(() => self.phonehomeGeoTable?.keeping)));
  await until(
    () => page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.active?.state === "activated"),
    "the service worker is activated",
  );
}

/** A report of the generated home is made with the table: the Baidu server is abroad. */
async function analysedWithTable(page, capture, expected) {
  await page.locator("footer").getByText(TABLE_DATE).waitFor();
  await dropFile(page, capture, "home.pcap");
  assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
  const row = page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: "180.76.76.76" }) });
  assert.equal(await row.locator(".mark-foreign").innerText(), "ABROAD");
}

/** Reloads and waits for the page's masthead. */
async function reload(page) {
  await page.reload();
  await page.getByRole("heading", { name: "phonehome", level: 1 }).waitFor();
}

describe("the web app manifest", () => {
  const fixture = useSite();

  it("is linked, served and valid: name, relative start address, display, icons", async () => {
    const { page, server } = fixture.site;
    const href = await page.locator('link[rel="manifest"]').getAttribute("href");
    assert.equal(href, "manifest.webmanifest");
    const response = await fetch(new URL(href, server.url));
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type"), /^application\/manifest\+json/);
    const manifest = await response.json();
    assert.equal(manifest.short_name, "phonehome");
    assert.match(manifest.name, /^phonehome/);
    // Relative, so the installed site starts wherever it is published.
    assert.equal(manifest.start_url, "./");
    assert.equal(manifest.scope, "./");
    assert.equal(manifest.display, "standalone");
    assert.ok(manifest.icons.length > 0);
    for (const icon of manifest.icons) {
      assert.ok(!/^[a-z]+:|^\//i.test(icon.src), `relative icon address: ${icon.src}`);
      const image = await fetch(new URL(icon.src, new URL(href, server.url)));
      assert.equal(image.status, 200, icon.src);
      assert.equal(image.headers.get("content-type"), icon.type);
      assert.match(await image.text(), /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it("makes the site installable in Chromium's judgement", async () => {
    const { page } = fixture.site;
    await keptForOffline(page);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send("Page.getInstallabilityErrors");
    assert.deepEqual(installabilityErrors, []);
    await cdp.detach();
  });
});

describe("offline", () => {
  const fixture = useSite();
  let folder, server;

  after(async () => {
    await server?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it("a second visit starts with the server stopped and analyses a capture with the IP table", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await keptForOffline(page);
    const { version, files } = await siteOf(DIST);
    const name = `phonehome-site ${site.server.url} ${version}`;
    assert.deepEqual(await siteCaches(page), [name]);
    // Every file of the version is kept, under its address (the page under the site's own).
    const kept = await page.evaluate(async (name) => (await (await caches.open(name)).keys()).map((r) => r.url), name);
    const expectedAddresses = Object.keys(files).map((file) => new URL(file === "index.html" ? "./" : file, site.server.url).href);
    assert.deepEqual(kept.sort(), expectedAddresses.sort());

    await site.server.close();
    await reload(page);
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "served by the service worker");
    await analysedWithTable(page, capture, expected);
    assert.deepEqual(site.problems, []);
  });

  it("a new version of the site replaces the kept one", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    // The same site with a changed page, its service worker rewritten by the build step.
    folder = await mkdtemp(join(tmpdir(), "phonehome-site-"));
    await cp(DIST, folder, { recursive: true });
    const index = join(folder, "index.html");
    await writeFile(index, (await readFile(index, "utf8")).replace('<meta charset="utf-8">', `$&${SECOND_VERSION}`));
    execFileSync("node", ["www/service_worker_build.mjs", folder], { stdio: "ignore" });
    const [first, second] = [(await siteOf(DIST)).version, (await siteOf(folder)).version];
    assert.notEqual(first, second);
    const cacheOf = (version) => `phonehome-site ${site.server.url} ${version}`;
    const isSecond = () => page.locator('meta[name="phonehome-test-version"]').count();

    // Served at the same address, the new version is not shown yet: the kept one starts at
    // once, and the new one installs meanwhile, deleting the old one's cache.
    server = await startServer({ dir: folder, port: Number(new URL(site.server.url).port) });
    await reload(page);
    assert.equal(await isSecond(), 0, "the kept version starts");
    await until(async () => (await siteCaches(page)).join() === cacheOf(second), "only the new version is kept");

    await reload(page);
    assert.equal(await isSecond(), 1, "the new version is shown");

    await server.close();
    await reload(page);
    assert.equal(await isSecond(), 1, "the new version starts offline");
    await analysedWithTable(page, capture, expected);
    assert.deepEqual(await siteCaches(page), [cacheOf(second)]);
    assert.deepEqual(site.problems, []);
  });
});
