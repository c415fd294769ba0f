// When the traffic went: the activity chart shows the capture's timeline bins (flagged
// destinations apart), every destination row and card draws a sparkline, choosing a time range
// (dragging across the bars, or the "from" and "to" selects) lists only the destinations
// active in it, exactly those the CLI's JSON timelines say, and "Whole capture" lists all again.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { headline, screenshot, useSite } from "./harness.mjs";

/** How many destinations the CLI's report has with traffic in bins `from..=to`. */
function activeBetween(report, from, to) {
  return report.destinations.filter((d) => d.timeline.packets.slice(from, to + 1).some((p) => p > 0)).length;
}

describe("when the traffic went", () => {
  const fixture = useSite({ name: "home.pcap", megabytes: 2, seed: 11 });

  it("charts the capture over time and limits the table to a chosen time range", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    await page.locator("#capture-file").setInputFiles(capture);
    await headline(page);
    const bins = expected.destinations[0].timeline.packets.length;
    assert.ok(bins > 10 && bins <= 120, `${bins} bins`);
    assert.ok(expected.destinations.every((d) => d.timeline.packets.length === bins), "one axis");

    const chart = page.locator("section.activity");
    await chart.getByRole("heading", { name: "When the traffic went" }).waitFor();
    assert.equal(await chart.locator("svg.activity-chart > g").count(), bins, "one bar per bin");
    // Bars exist where the capture had traffic; the flagged part is drawn apart.
    const busy = expected.destinations.reduce((n, d) => n + d.timeline.bytes.reduce((a, b) => a + b, 0), 0);
    assert.equal(busy, expected.destinations.reduce((n, d) => n + d.bytes, 0), "timelines add up");
    assert.ok((await chart.locator("rect.activity-other, rect.activity-flagged").count()) > 0);

    // Sparklines: every visible table row and every card's destination has one.
    const rows = page.locator(".destination-table tbody tr.row");
    const rowCount = await rows.count();
    assert.ok(rowCount > 0);
    assert.equal(await page.locator(".destination-table tbody tr.row svg.spark").count(), rowCount);
    assert.ok((await page.locator("article.device li.dest svg.spark").count()) > 0);

    // Dragging from one bar to another chooses that range.
    const status = page.locator(".destinations .row-count");
    const total = expected.destinations.length;
    await status.getByText(`${total} destinations`, { exact: true }).waitFor();
    const [from, to] = [Math.floor(bins / 4), Math.floor(bins / 2)];
    const bar = (i) => chart.locator("svg.activity-chart > g").nth(i);
    await bar(from).dispatchEvent("mousedown");
    await bar(to).dispatchEvent("mouseup");
    const want = activeBetween(expected, from, to);
    assert.ok(want > 0 && want < total, `${want} of ${total} active in bins ${from}..${to}`);
    await status.getByText(`${want} of ${total} destinations match`).waitFor();
    await page.locator(".period-note").getByText(/^Only destinations active from /).waitFor();
    await screenshot(page, "timeline-range");

    // The selects choose a range too: the last bin alone.
    await chart.getByLabel("From", { exact: true }).selectOption(String(bins - 1));
    await chart.getByLabel("to", { exact: true }).selectOption(String(bins - 1));
    const last = activeBetween(expected, bins - 1, bins - 1);
    await status.getByText(last === total ? `${total} destinations` : `${last} of ${total} destinations match`).waitFor();

    // And "Whole capture" lists every destination again.
    await page.locator(".period-note").getByRole("button", { name: "Whole capture" }).click();
    await status.getByText(`${total} destinations`, { exact: true }).waitFor();
    assert.equal(await page.locator(".period-note").count(), 0);

    // One device's activity on demand.
    const device = expected.devices[0];
    const choice = chart.getByLabel("Show", { exact: true });
    const label = await choice.locator("option").nth(1).innerText();
    await choice.selectOption({ index: 1 });
    assert.equal(await chart.locator("rect.activity-flagged").count(), 0, "a device's bars are one series");
    const deviceBins = device.timeline.bytes.filter((b) => b > 0).length;
    assert.ok((await chart.locator("rect.activity-other").count()) <= bins && deviceBins > 0, label);
  });
});
