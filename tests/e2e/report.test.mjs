// The report a user sees after dropping or choosing a generated capture: headline, flagged
// destinations with their network and country, the per-device grouping, the home country and
// watch list (remembered across visits), the demo capture and the flows view.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { expectedReport } from "./captures.mjs";
import { chooseFile, deviceLabel, dropFile, expectedHeadline, headline, screenshot, useSite } from "./harness.mjs";

describe("report", () => {
  const fixture = useSite();

  it("starts with the home country from the browser's language and the data credits", async () => {
    const { site } = fixture;
    const { page } = site;
    assert.equal(await page.locator("#home-country").inputValue(), "US");
    const footer = page.locator("footer");
    await assert.doesNotReject(footer.getByRole("link", { name: /DB-IP/ }).waitFor());
    assert.equal(await footer.getByRole("link", { name: /DB-IP/ }).getAttribute("href"), "https://db-ip.com");
    const credits = await footer.innerText();
    for (const words of ["RouteViews", "NRO", "CC BY 4.0", "CC0", "never uploaded"]) {
      assert.ok(credits.includes(words), `footer mentions ${words}: ${credits}`);
    }
    // The worker holds the IP table and announces its date once its wasm is ready.
    await footer.getByText(/Table date: \d{4}-\d{2}-\d{2}\./).waitFor();
  });

  it("analyses a dropped capture and says how many destinations are abroad", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await dropFile(page, capture, "home.pcap");
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    const foreign = expected.destinations.filter((d) => d.foreign);
    assert.ok(foreign.length > 0, "the generated home talks to servers abroad (the doorbell's 180.76.76.76)");
    // The destination of most concern comes first in the headline's list: the most
    // concerns, then the strongest, then the most bytes (the doorbell's hard-coded address).
    const strength = ["watched", "no_dns", "upload_only", "third_party", "plaintext", "heartbeat", "abroad"];
    const rank = (d) => [-d.concerns.length, strength.indexOf(d.concerns[0]), -d.bytes];
    const before = (a, b) => {
      const [x, y] = [rank(a), rank(b)];
      for (let k = 0; k < x.length; k++) if (x[k] !== y[k]) return x[k] - y[k];
      return a.ip < b.ip ? -1 : 1;
    };
    const top = expected.destinations.filter((d) => d.concerns.length > 0).sort(before)[0];
    assert.equal(top.ip, "180.76.76.76");
    assert.deepEqual(top.concerns, ["no_dns", "upload_only", "third_party", "heartbeat", "abroad"]);
    assert.deepEqual(top.party.kind, "third", "Baidu's own network, not the doorbell maker's");
    const line = [top.ip, top.asn ? `AS${top.asn}${top.as_org ? " " + top.as_org : ""}` : top.as_org, top.country]
      .filter(Boolean)
      .join(" · ");
    assert.equal(await page.locator(".top-flagged .one-line").first().innerText(), line);
    const why = await page.locator(".top-flagged .why").first().innerText();
    assert.match(why, /^Why: no DNS lookup for this address in the capture .*; the device only sent to it and received nothing back; another company's service, not the device maker's; .*; outside your home country\.$/);
    const whose = await page.locator(".top-flagged li").first().locator(".why").nth(1).innerText();
    assert.equal(whose, `Whose: ${top.party.basis}.`);
    const row = page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: top.ip }) });
    assert.equal(await row.locator("td.col-party").innerText(), "third party: Baidu");
    await screenshot(page, "report-light");
  });

  it("marks every foreign destination with words, its network and its country", async () => {
    const { site, expected } = fixture;
    const { page } = site;
    await page.locator("#filter-flagged").check();
    const foreign = expected.destinations.filter((d) => d.foreign);
    await page.locator(".row-count").getByText(`${foreign.length} of ${expected.destinations.length} destinations match`).waitFor();
    for (const d of foreign) {
      const row = page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: d.ip }) });
      assert.equal(await row.count(), 1, `one row for ${d.ip}`);
      assert.equal(await row.locator(".mark-foreign").innerText(), "ABROAD");
      const network = await row.locator("td.col-network").innerText();
      if (d.asn) assert.ok(network.includes(`AS${d.asn}`), `${d.ip}: ${network}`);
      if (d.as_org) assert.ok(network.includes(d.as_org), `${d.ip}: ${network}`);
      assert.equal(await row.locator("td.col-country .country").getAttribute("title"), d.country);
    }
    await page.locator("#filter-flagged").uncheck();
  });

  it("groups destinations by device", async () => {
    const { site, expected } = fixture;
    const { page } = site;
    assert.equal(await page.locator("article.device").count(), expected.devices.length);
    for (const device of expected.devices) {
      const card = page.locator(`article.device[data-device="${device.id}"]`);
      assert.equal(await card.locator("h3").innerText(), deviceLabel(device));
      const listed = await card.locator("li.dest").evaluateAll((items) => items.map((li) => li.dataset.ip));
      assert.equal(listed.length, Math.min(25, device.destinations.length), deviceLabel(device));
      for (const ip of listed) assert.ok(device.destinations.includes(ip), `${ip} belongs to ${deviceLabel(device)}`);
    }
    // An anycast address says it is served nearby, and where it is only registered.
    const anycast = page.locator(`li.dest[data-ip="1.1.1.1"] .anycast`).first();
    assert.equal(await anycast.textContent(), "anycast: served nearby, registered in Australia");
    // Flagged destinations lead their device's list.
    const doorbell = expected.devices.find((d) => d.destinations.includes("180.76.76.76"));
    assert.ok(doorbell, "a device talks to 180.76.76.76");
    const first = page.locator(`article.device[data-device="${doorbell.id}"] li.dest`).first();
    assert.ok((await first.locator(".mark").count()) > 0, "the doorbell's first destination is flagged");
  });

  it("shows the flows behind a destination", async () => {
    const { site, expected } = fixture;
    const { page } = site;
    const d = expected.destinations.find((x) => x.ip === "180.76.76.76");
    await page.getByRole("button", { name: "Show flows with 180.76.76.76" }).first().click();
    const view = page.locator("section.flows-view");
    await view.getByRole("heading", { name: /Flows with 180\.76\.76\.76/ }).waitFor();
    const flows = expected.flows.filter((f) => f.client.ip === d.ip || f.server.ip === d.ip);
    assert.equal(flows.length, d.flows);
    const rows = await view.locator("tr.row").count();
    assert.ok(rows > 0 && rows <= flows.length, `${rows} rows rendered of ${flows.length}`);
    assert.ok((await view.locator("tr.row").first().innerText()).includes(d.ip));
    assert.ok((await view.locator(".row-count").innerText()).startsWith(`${d.flows.toLocaleString("en-US")} flow`));
    await view.getByRole("button", { name: "Close" }).click();
    await view.waitFor({ state: "detached" });
  });

  it("re-flags destinations when the home country changes, and remembers it", async () => {
    const { site } = fixture;
    const { page } = site;
    try {
      await homeInChinaWatchingChina(page);
    } finally {
      // Leave the page as the other tests expect it, even when this one fails.
      const stop = page.getByRole("button", { name: "Stop watching China" });
      if (await stop.count()) await stop.click();
      await page.locator("#home-country").selectOption("US");
    }
  });

  async function homeInChinaWatchingChina(page) {
    await page.locator("#home-country").selectOption("CN");
    const asChina = expectedReport(fixture.capture, "CN");
    await page.locator("#headline-sentence").getByText(expectedHeadline(asChina, "China")).waitFor();
    const baidu = page.locator("table.destination-table tr.row", { has: page.locator("td.col-ip", { hasText: /^180\.76\.76\.76$/ }) });
    assert.equal(await baidu.locator(".mark-foreign, .mark-watched").count(), 0, "a Chinese server is not abroad for a home in China");

    await page.locator("#watch-add").selectOption("CN");
    await page.getByRole("button", { name: "Stop watching China" }).waitFor();
    assert.equal(await baidu.locator(".mark-watched").innerText(), "WATCHED");
    assert.equal(await page.locator("#watch-add").inputValue(), "", "the picker is ready for another country");

    await page.reload();
    await page.getByRole("button", { name: "Stop watching China" }).waitFor();
    assert.equal(await page.locator("#home-country").inputValue(), "CN");
  }

  it("analyses a capture chosen with the file picker", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await chooseFile(page, capture);
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    assert.ok((await page.locator(".capture-facts").innerText()).includes("home.pcap"));
  });

  it("loads the demo capture shipped with the site", async () => {
    const { site, capture } = fixture;
    const { page } = site;
    await page.getByRole("button", { name: "Try a demo capture" }).click();
    await page.locator(".capture-facts").getByText("demo.pcap").waitFor();
    assert.match(await headline(page), /^\d+ devices talked to \d+ destinations on the Internet; \d+ (is|are) outside the United States\.$/);
  });

  it("reports no page errors", () => {
    const { site } = fixture;
    assert.deepEqual(site.problems, []);
  });
});
