// The world map: countries shaded by bytes, flagged ones outlined, the home country marked, a
// marker for Singapore (too small for the map's shapes), and clicking a country limits the
// destinations table to it (again, or "Show all countries", lifts it; the chart's country
// buttons and the table's own select stay in step). Screenshots in light and dark, at desktop
// and phone widths, go to test-results/map-*.png to be looked at.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { captureFolder, datagramsTo, expectedReport } from "./captures.mjs";
import { dropFile, headline, openSite, screenshot } from "./harness.mjs";

// One device's traffic to servers in five countries, most bytes to the home country (US).
const TRAFFIC = [
  { ip: "52.94.236.248", datagrams: 40, payload: 1200, country: "US" },
  { ip: "180.76.76.76", datagrams: 12, payload: 300, country: "CN" },
  { ip: "203.116.1.1", datagrams: 20, payload: 800, country: "SG" },
  { ip: "85.214.0.1", datagrams: 3, payload: 200, country: "DE" },
  { ip: "85.214.0.2", datagrams: 2, payload: 200, country: "DE" },
];

const classesOf = async (locator) => (await locator.getAttribute("class")).split(/\s+/);
const shadeOf = (classes) => Number(classes.find((c) => c.startsWith("shade-")).slice("shade-".length));

describe("world map", () => {
  let folder, capture, site;

  before(async () => {
    folder = await captureFolder();
    capture = await datagramsTo(folder.dir, "countries.pcap", TRAFFIC);
    site = await openSite();
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("uses addresses the IP table places in the intended countries", () => {
    const report = expectedReport(capture, "US");
    for (const { ip, country } of TRAFFIC) {
      assert.equal(report.destinations.find((d) => d.ip === ip)?.country, country, ip);
    }
  });

  it("shades countries by bytes, outlines flagged ones, marks home and small countries", async () => {
    const { page } = site;
    await dropFile(page, capture, "countries.pcap");
    await headline(page);
    const map = page.locator("section.world-map svg.map");
    await map.waitFor();
    const country = (code) => map.locator(`path.country[data-country="${code}"]`);
    const us = await classesOf(country("US"));
    assert.ok(us.includes("home") && us.includes("active") && !us.includes("flagged"), us.join(" "));
    assert.equal(shadeOf(us), 5, "most bytes, darkest shade");
    const cn = await classesOf(country("CN"));
    assert.ok(cn.includes("flagged") && cn.includes("active"), cn.join(" "));
    const de = await classesOf(country("DE"));
    assert.equal(shadeOf(de), 1, "least bytes, lightest shade");
    assert.ok(shadeOf(cn) > 1 && shadeOf(cn) < 5, cn.join(" "));
    const br = await classesOf(country("BR"));
    assert.ok(shadeOf(br) === 0 && !br.includes("active"), br.join(" "));
    // Singapore has no shape big enough to see: a marker stands in, flagged like a shape.
    const sg = map.locator('circle.marker[data-country="SG"]');
    assert.ok((await classesOf(sg)).includes("flagged"));
    // Markers only where traffic goes: no marker for Luxembourg here.
    assert.equal(await map.locator('circle.marker[data-country="LU"]').count(), 0);
    // The drawing is decoration for assistive technology; the chart carries the words.
    assert.equal(await map.getAttribute("aria-hidden"), "true");
    assert.match(await page.locator(".map-legend").innerText(), /abroad or watched[\s\S]*home country/);
    const credits = await page.locator("footer").innerText();
    assert.ok(credits.includes("Natural Earth") && credits.includes("world-atlas"), credits);
  });

  it("limits the destinations table to a clicked country until it is clicked again", async () => {
    const { page } = site;
    const count = page.locator(".destinations .row-count");
    // Each row's country code (the tag's tooltip).
    const countries = () =>
      page.locator("table.destination-table tr.row td.col-country .country").evaluateAll((tags) => tags.map((t) => t.title));
    assert.equal(await count.innerText(), "5 destinations");

    await page.locator('svg.map path.country[data-country="CN"]').click();
    assert.equal(await count.innerText(), "1 of 5 destinations match");
    assert.deepEqual(await countries(), ["CN"]);
    assert.equal(await page.locator("#filter-country").inputValue(), "CN");
    assert.equal(await page.locator(".map-filter").innerText(), "The table lists only destinations in China. Show all countries");
    assert.equal(await page.getByRole("button", { name: "China", pressed: true }).count(), 1);
    assert.ok((await classesOf(page.locator('svg.map path[data-country="CN"]'))).includes("selected"));

    await page.locator('svg.map path.country[data-country="CN"]').click();
    assert.equal(await count.innerText(), "5 destinations");
    assert.equal(await page.locator("#filter-country").inputValue(), "");

    // A marker filters too, and "Show all countries" lifts it.
    await page.locator('svg.map circle.marker[data-country="SG"]').click();
    assert.equal(await count.innerText(), "1 of 5 destinations match");
    assert.deepEqual(await countries(), ["SG"]);
    await page.getByRole("button", { name: "Show all countries" }).click();
    assert.equal(await count.innerText(), "5 destinations");
    assert.equal(await page.locator(".map-filter").innerText(), "");

    // The chart's buttons and the table's select set the same filter the map shows.
    await page.getByRole("button", { name: "Germany", pressed: false }).click();
    assert.equal(await count.innerText(), "2 of 5 destinations match");
    assert.ok((await classesOf(page.locator('svg.map path[data-country="DE"]'))).includes("selected"));
    await page.locator("#filter-country").selectOption("US");
    assert.equal(await count.innerText(), "1 of 5 destinations match");
    assert.ok((await classesOf(page.locator('svg.map path[data-country="US"]'))).includes("selected"));
    assert.ok(!(await classesOf(page.locator('svg.map path[data-country="DE"]'))).includes("selected"));
    await page.locator("#filter-country").selectOption("");
    assert.equal(await count.innerText(), "5 destinations");
  });

  for (const colorScheme of ["light", "dark"]) {
    for (const [width, height, label] of [
      [1280, 900, "desktop"],
      [390, 844, "phone"],
    ]) {
      it(`fits the page in ${colorScheme} at ${label} width`, async () => {
        const shot = await openSite({ colorScheme, viewport: { width, height } });
        try {
          const { page } = shot;
          await dropFile(page, capture, "countries.pcap");
          await headline(page);
          const section = page.locator("section.world-map");
          await section.waitFor();
          await page.locator('svg.map path.country[data-country="CN"]').click();
          // Nothing wider than the window: the map scales with it.
          const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          assert.ok(overflow <= 0, `page is ${overflow}px wider than the window`);
          const box = await section.boundingBox();
          assert.ok(box.x >= 0 && box.x + box.width <= width, JSON.stringify(box));
          await page.mouse.move(0, 0); // the selected outline, not the hovered one
          await section.screenshot({ path: `test-results/map-${colorScheme}-${label}.png` });
          await page.locator("section.country-chart").screenshot({ path: `test-results/map-chart-${colorScheme}-${label}.png` });
          await screenshot(page, `map-page-${colorScheme}-${label}`);
          assert.deepEqual(shot.problems, []);
        } finally {
          await shot.close();
        }
      });
    }
  }
});
