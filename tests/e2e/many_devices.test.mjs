// A report with thousands of devices stays usable, and a scanning device is called out: the
// device grid draws one page of cards (the most important first) whatever the report, finds
// any device by search, draws more on request, and the rest of the page keeps working; a card
// lists a device's first ten destinations and all of them in the table on request.
import assert from "node:assert/strict";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureFolder, cli, expectedReport } from "./captures.mjs";
import { chooseFile, headline, openSite } from "./harness.mjs";

const DEVICES = 5_000;

describe("thousands of devices and a scan", () => {
  let site, folder, devices, scan, busy, expected;

  before(async () => {
    folder = await captureFolder();
    devices = join(folder.dir, "devices.pcap");
    cli(["generate", devices, "--shape", "devices", "--items", String(DEVICES)]);
    scan = join(folder.dir, "scan.pcap");
    cli(["generate", scan, "--shape", "scan", "--items", "20000"]);
    busy = join(folder.dir, "busy.pcap");
    cli(["generate", busy, "--busy", "--size", "5", "--seed", "3"]);
    expected = expectedReport(devices);
    site = await openSite();
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("draws one page of device cards, finds any device, and draws more on request", async () => {
    const { page } = site;
    assert.equal(expected.devices.length, DEVICES);
    await chooseFile(page, devices);
    await headline(page);
    const status = page.locator(".device-search .row-count");
    await status.getByText(`Showing 30 of ${DEVICES.toLocaleString("en-US")} devices`).waitFor();
    assert.equal(await page.locator("article.device").count(), 30);

    // A device far down the list, by its address.
    const wanted = expected.devices[DEVICES - 1];
    const address = wanted.ips[0];
    await page.locator("#device-search").fill(address);
    await status.getByText(/^1 of [\d,]+ devices match$/).waitFor();
    const card = page.locator(`article.device[data-device="${wanted.id}"]`);
    await card.waitFor();
    assert.ok((await card.innerText()).includes(address));

    await page.locator("#device-search").fill("");
    await page.getByRole("button", { name: "Show 30 more devices" }).click();
    await status.getByText(`Showing 60 of ${DEVICES.toLocaleString("en-US")} devices`).waitFor();
    assert.equal(await page.locator("article.device").count(), 60);

    // The rest of the report answers: the server's row opens its flows from the worker.
    const row = page.locator("table.destination-table tr.row").filter({ hasText: "52.1.2.3" });
    await row.getByRole("button", { name: /flows with 52\.1\.2\.3/ }).click();
    await page.getByRole("heading", { name: /^Flows with 52\.1\.2\.3/ }).waitFor();
    await page.locator(".flows-view .row-count").getByText(/^[\d,]+ flows · start times/).waitFor();
    assert.deepEqual(site.problems, []);
  });

  it("lists a device's first ten destinations on its card, and all of them in the table on request", async () => {
    const { page } = site;
    const report = expectedReport(busy);
    // The device with most destinations, and how many it has.
    const per = new Map();
    for (const d of report.destinations) for (const id of d.devices) per.set(id, (per.get(id) ?? 0) + 1);
    const [id, count] = [...per].sort((a, b) => b[1] - a[1])[0];
    assert.ok(count > 10, `a device with more than ten destinations (${count})`);
    await chooseFile(page, busy);
    await headline(page);
    const card = page.locator(`article.device[data-device="${id}"]`);
    assert.equal(await card.locator("li.dest").count(), 10);
    assert.match(await card.locator(".more").innerText(), new RegExp(`^and ${count - 10} more\\.`));

    await card.getByRole("button", { name: new RegExp(`^List all ${count} in the table for `) }).click();
    const total = report.destinations.length;
    await page.locator(".destinations .row-count").getByText(`${count} of ${total} destinations match`).waitFor();
    assert.equal(await page.locator("#filter-device").inputValue(), id);
    // The table is brought into view, and the keyboard to the filter that says what it shows.
    assert.ok(await page.getByRole("heading", { name: "All destinations" }).evaluate((h) => {
      const top = h.getBoundingClientRect().top;
      return top >= 0 && top < innerHeight / 2;
    }));
    assert.equal(await page.evaluate(() => document.activeElement?.id), "filter-device");
    // Every listed row is one of the device's.
    const theirs = new Set(report.destinations.filter((d) => d.devices.includes(id)).map((d) => d.ip));
    for (const ip of await page.locator("table.destination-table tr.row .col-ip").allInnerTexts()) {
      assert.ok(theirs.has(ip), `${ip} is one of the device's destinations`);
    }

    // "Any device" lists them all again.
    await page.locator("#filter-device").selectOption("");
    await page.locator(".destinations .row-count").getByText(`${total} destinations`, { exact: true }).waitFor();
    assert.deepEqual(site.problems, []);
  });

  it("calls a scanning device out instead of listing its attempts", async () => {
    const { page } = site;
    const report = expectedReport(scan);
    const scanner = report.devices.find((d) => d.scan);
    assert.ok(scanner, "the CLI finds the scan");
    assert.equal(report.destinations.length, 0, "its attempts are not destinations");
    await chooseFile(page, scan);
    await page.locator(".capture-facts").getByText("scan.pcap").waitFor();
    const warning = page.locator(`article.device[data-device="${scanner.id}"] .scan-warning`);
    await warning.waitFor();
    assert.match(await warning.innerText(), /Tried 20,000 addresses on [\d,]+ ports \(400 answered\)/);
    assert.deepEqual(site.problems, []);
  });
});
