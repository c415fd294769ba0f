// Comparing with an earlier capture or report, blocklists and how each device's bytes
// travelled, in a real browser: the worker reads the earlier file (a capture or the JSON the
// command-line tool wrote), the headline says how many destinations are new and since when,
// exactly as `phonehome analyze --since` does; new rows are marked and can be filtered; a file
// that is neither leaves the report as it was and says why; a share link carries nothing of
// it; the blocklist is the command-line tool's `--format hosts`, or the ticked rows' addresses;
// it warns about a device maker's own servers; every device card has its protection bar.
// Screenshots in light and dark, desktop and phone widths go to test-results/.
import assert from "node:assert/strict";
import { readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureFolder, cli, expectedReport, generate } from "./captures.mjs";
import { chooseFile, headline, openSite, screenshot } from "./harness.mjs";

const TALL = { width: 1280, height: 2400 };
const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations in the page (as tests/e2e/a11y.test.mjs runs it). */
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

async function download(page, button) {
  const [file] = await Promise.all([page.waitForEvent("download"), button.click()]);
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), "utf8") };
}

/** Chooses the earlier file through the compare button's input. */
async function compareWith(page, path) {
  await page.locator("#compare-file").setInputFiles(path);
}

describe("compare, blocklist, protection", () => {
  let folder, old, now, oldJson, expected, since, sentence, site;

  before(async () => {
    folder = await captureFolder();
    old = generate(folder.dir, "old.pcap", 0.3, 7);
    now = generate(folder.dir, "new.pcap", 0.3, 8);
    oldJson = join(folder.dir, "old.json");
    await writeFile(oldJson, cli(["analyze", old]));
    expected = expectedReport(now, "US");
    since = JSON.parse(cli(["analyze", now, "--home", "US", "--since", old]));
    sentence = cli(["analyze", now, "--since", old, "--format", "text"]).toString().split("\n")[1];
    site = await openSite({ viewport: TALL, acceptDownloads: true });
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("says what is new since an earlier capture, marks it and filters it", async () => {
    const { page } = site;
    await chooseFile(page, now);
    await headline(page);
    assert.equal(await page.locator("#headline-new").count(), 0, "nothing said before comparing");
    await compareWith(page, old);
    assert.equal(await page.locator("#headline-new").innerText(), sentence);
    const fresh = since.destinations.filter((d) => d.new);
    assert.ok(fresh.length > 0 && fresh.length < since.destinations.length, sentence);
    assert.match(sentence, /^\d+ destinations? (is|are) new since \d+ \w+ \d{4}\.$/);
    await page.locator("#filter-new").check();
    await page.locator(".row-count").getByText(`${fresh.length} of ${since.destinations.length} destinations match`).waitFor();
    const rows = page.locator("table.destination-table tr.row");
    assert.equal(await rows.count(), fresh.length);
    assert.equal(await rows.locator(".mark-new").count(), fresh.length);
    const shown = await rows.locator("td.col-ip").allInnerTexts();
    assert.deepEqual(shown.sort(), fresh.map((d) => d.ip).sort());
    await page.locator("#filter-new").uncheck();
    // The device cards mark them too.
    assert.ok((await page.locator(".device .dest .mark-new").count()) >= 1);
  });

  it("keeps the report when a file is neither, and says the same for the earlier capture's JSON report", async () => {
    const { page } = site;
    await page.locator("#compare-file").setInputFiles({ name: "notes.txt", mimeType: "text/plain", buffer: Buffer.from("not a capture at all") });
    const problem = page.locator("#compare-problem");
    await problem.waitFor();
    assert.match(await problem.innerText(), /^notes\.txt could not be compared: not a pcap or pcapng capture.*The report shown is unchanged\.$/);
    assert.equal(await page.locator("#headline-new").innerText(), sentence, "the report and its marks stay");
    // The JSON report of the earlier capture: the same sentence, once the worker read it.
    await compareWith(page, oldJson);
    await problem.waitFor({ state: "detached" });
    assert.equal(await page.locator("#headline-new").innerText(), sentence);
    await page.locator("#compare-file").setInputFiles({ name: "broken.json", mimeType: "application/json", buffer: Buffer.from('{"schema": "phonehome.report/1"') });
    await page.locator("#compare-problem", { hasText: "broken.json could not be compared: not a phonehome report" }).waitFor();
    assert.equal(await page.locator("#headline-new").innerText(), sentence);
  });

  it("exports what is new in the JSON, as the command-line tool does", async () => {
    const { page } = site;
    const json = await download(page, page.getByRole("button", { name: "Download JSON" }));
    assert.deepEqual(JSON.parse(json.text), since, "the same as phonehome analyze --since (home US)");
  });

  it("draws each device's protection bar from its bytes", async () => {
    const { page } = site;
    for (const device of expected.devices.filter((d) => d.protection)) {
      const card = page.locator(`article.device[data-device="${device.id}"]`);
      if ((await card.count()) === 0) continue; // cards below the first batch
      const p = device.protection;
      const total = p.encrypted_bytes + p.plaintext_bytes + p.unknown_bytes;
      if (total === 0) continue;
      assert.match(await card.locator(".protection-words").innerText(), /^Bytes: (<1|\d+)% encrypted, (<1|\d+)% unencrypted, (<1|\d+)% unknown$/);
      const widths = await card.locator(".protection-bar rect").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("width"))));
      assert.ok(Math.abs(widths.reduce((a, b) => a + b, 0) - 100) < 0.05, `${device.id}: ${widths}`);
      assert.ok(Math.abs(widths[0] - (100 * p.encrypted_bytes) / total) < 0.01, `${device.id}: ${widths}`);
    }
    assert.ok((await page.locator(".protection-bar").count()) > 0);
  });

  it("downloads the flagged destinations as the command-line tool's hosts file, or the ticked rows' addresses", async () => {
    const { page } = site;
    await page.getByRole("button", { name: "Download blocklist…" }).click();
    const panel = page.locator("section.blocklist");
    await panel.waitFor();
    const hosts = await download(page, panel.getByRole("button", { name: /^Download \(/ }));
    assert.equal(hosts.name, "phonehome-blocklist-hosts.txt");
    assert.equal(hosts.text, cli(["analyze", now, "--home", "US", "--format", "hosts"]).toString());
    // Tick a device maker's own server and another: the list warns about the first.
    const first = expected.destinations.find((d) => d.party?.kind === "first");
    const other = expected.destinations.find((d) => d.party?.kind === "third");
    assert.ok(first && other, "the generated home has first- and third-party destinations");
    for (const d of [first, other]) await page.getByRole("checkbox", { name: `Tick ${d.ip} for the blocklist` }).check();
    await panel.getByLabel(/The rows you ticked/).check();
    await panel.locator("#blocklist-warning", { hasText: "1 of these is the device maker's own" }).waitFor();
    await panel.screenshot({ path: "test-results/blocklist-warning-light.png" });
    await panel.getByLabel(/Address list/).check();
    const addresses = await download(page, panel.getByRole("button", { name: "Download (2 destinations)" }));
    assert.equal(addresses.name, "phonehome-blocklist-addresses.txt");
    const order = expected.destinations.map((d) => d.ip);
    const want = [first.ip, other.ip].sort((a, b) => order.indexOf(a) - order.indexOf(b));
    assert.equal(addresses.text, want.map((ip) => `${ip}\n`).join(""));
    await screenshot(page, "blocklist-light");
  });

  it("opens a share link without what is new", async () => {
    const { page } = site;
    await page.getByRole("button", { name: "Share report…" }).click();
    const dialog = page.getByRole("dialog", { name: "Share this report" });
    await dialog.locator("#share-preview").waitFor();
    const link = await page.locator("#share-link").inputValue();
    await page.keyboard.press("Escape");
    await page.goto(link);
    await page.locator("#shared-banner").waitFor();
    await headline(page);
    assert.equal(await page.locator("#headline-new").count(), 0);
    assert.equal(await page.locator(".mark-new").count(), 0);
    assert.equal(await page.getByRole("button", { name: /^Compare with/ }).count(), 0, "a shared report is not compared");
    assert.deepEqual(site.problems, []);
  });
});

for (const [colorScheme, viewport, name] of [
  ["light", { width: 1280, height: 900 }, "desktop"],
  ["dark", { width: 1280, height: 900 }, "desktop"],
  ["light", { width: 390, height: 844 }, "phone"],
  ["dark", { width: 390, height: 844 }, "phone"],
]) {
  describe(`compare and blocklist, ${colorScheme}, ${name}`, () => {
    let folder, old, now, site;
    before(async () => {
      folder = await captureFolder();
      old = generate(folder.dir, "old.pcap", 0.3, 7);
      now = generate(folder.dir, "new.pcap", 0.3, 8);
      site = await openSite({ viewport, colorScheme });
    });
    after(async () => {
      await site?.close();
      await folder?.remove();
    });

    it("fits the screen's width with nothing overlapping", async () => {
      const { page } = site;
      await chooseFile(page, now);
      await headline(page);
      await compareWith(page, old);
      await page.locator("#headline-new").waitFor();
      await page.getByRole("button", { name: "Download blocklist…" }).click();
      await page.locator("section.blocklist").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.equal(overflow, 0, "no sideways scrolling of the page");
      // The new pieces: none wider than its box, none overlapping the next.
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll(".blocklist, .blocklist *, .headline-new, .protection, .protection-words, .report-actions > *")]
          .filter((e) => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX === "visible" && e.clientWidth > 0)
          .map((e) => e.className || e.tagName),
      );
      assert.deepEqual(clipped, []);
      const cell = await page.locator("table.destination-table td.col-mark").first().evaluate((td) => td.scrollWidth - td.clientWidth);
      assert.ok(cell <= 1, `the flag cell holds its tick box and marks (${cell} px over)`);
      await screenshot(page, `compare-${name}-${colorScheme}`);
      await page.locator("section.blocklist").screenshot({ path: `test-results/blocklist-${name}-${colorScheme}.png` });
      await page.locator("article.device").first().screenshot({ path: `test-results/device-protection-${name}-${colorScheme}.png` });
      await page.locator("section.report-actions").screenshot({ path: `test-results/report-actions-${name}-${colorScheme}.png` });
      await page.locator("section.headline").screenshot({ path: `test-results/headline-new-${name}-${colorScheme}.png` });
      await page.locator("#filter-new").check();
      await page.locator("section.destinations").screenshot({ path: `test-results/destinations-new-${name}-${colorScheme}.png` });
      assert.deepEqual(await seriousViolations(page), [], "axe: the compare line, marks, filter, blocklist and bars");
      assert.deepEqual(site.problems, []);
    });
  });
}
