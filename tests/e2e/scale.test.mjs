// A report with 50,000 destinations stays usable: the table renders only the rows on screen,
// scrolls to the last row, and sorts and filters without stalling the page.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { captureFolder, expectedReport, manyDestinations } from "./captures.mjs";
import { chooseFile, headline, openSite } from "./harness.mjs";

const COUNT = 50_000;

describe("50,000 destinations", () => {
  let site, folder, capture, expected;

  before(async () => {
    folder = await captureFolder();
    capture = await manyDestinations(folder.dir, "many.pcap", COUNT);
    expected = expectedReport(capture);
    site = await openSite();
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("renders only the visible rows of the table", async () => {
    const { page } = site;
    assert.equal(expected.destinations.length, COUNT);
    await chooseFile(page, capture);
    await headline(page);
    await page.locator(".destinations .row-count").getByText("50,000 destinations").waitFor();
    const rendered = await page.locator("table.destination-table tr.row").count();
    assert.ok(rendered > 0 && rendered < 100, `${rendered} rows in the page`);
  });

  it("scrolls to the last row", async () => {
    const { page } = site;
    await page.locator(".destinations .table-scroll").evaluate((box) => {
      box.scrollTop = box.scrollHeight;
    });
    await page.locator(`table.destination-table tr.row[aria-rowindex="${COUNT + 1}"]`).waitFor();
    assert.ok((await page.locator("table.destination-table tr.row").count()) < 100);
  });

  it("sorts and filters quickly", async () => {
    const { page } = site;
    const first = page.locator("table.destination-table tr.row").first().locator("td.col-ip");
    let started = Date.now();
    await page.getByRole("button", { name: "IP address" }).click();
    await page.locator(".destinations .table-scroll").evaluate((box) => {
      box.scrollTop = 0;
    });
    await page.locator("table.destination-table tr.row").first().locator("td.col-ip").getByText("20.0.0.1", { exact: true }).waitFor();
    const sortMs = Date.now() - started;
    started = Date.now();
    await page.locator("#filter-text").fill("20.0.1.2");
    const matching = expected.destinations.filter((d) => d.ip.includes("20.0.1.2")).length;
    await page.locator(".destinations .row-count").getByText(`${matching} of 50,000 destinations match`).waitFor();
    const filterMs = Date.now() - started;
    console.log(`sort by address: ${sortMs} ms, filter: ${filterMs} ms (50,000 rows)`);
    assert.equal(await first.innerText(), "20.0.1.2");
    // Generous bounds: they catch a table that renders every row, not a slow machine.
    assert.ok(sortMs < 5000, `sorting took ${sortMs} ms`);
    assert.ok(filterMs < 5000, `filtering took ${filterMs} ms`);
    assert.deepEqual(site.problems, []);
  });
});
