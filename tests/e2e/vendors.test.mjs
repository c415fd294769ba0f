// Device makers from MAC addresses (the IEEE OUI registry, carried in the IP table file the
// worker fetches): a real capture's devices show the maker the command-line tool names, a
// randomised MAC says so, the device filter and the search box know the maker, and the footer
// credits the listing.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { expectedReport } from "./captures.mjs";
import { deviceLabel, dropFile, headline, openSite, screenshot } from "./harness.mjs";

// suricata-verify's capture (MIT): an ASUSTek and a Micro-Star machine, and a VirtualBox
// host-only adapter on a locally administered MAC.
const CAPTURE = "tests/captures/suricata-verify__ethernet-eve-test.pcap";

describe("device makers", () => {
  let site, expected;

  before(async () => {
    expected = expectedReport(CAPTURE, "US");
    site = await openSite();
  });

  after(async () => {
    await site?.close();
  });

  it("shows each device's maker under its name", async () => {
    const { page } = site;
    await dropFile(page, CAPTURE, "ethernet-eve-test.pcap");
    await headline(page);
    const makers = expected.devices.map((d) => d.vendor).filter(Boolean);
    assert.ok(makers.includes("ASUSTek COMPUTER INC."), `the capture has an ASUSTek device: ${makers}`);
    assert.ok(expected.devices.some((d) => d.randomized_mac), "and one on a randomised MAC");
    for (const device of expected.devices) {
      const card = page.locator(`article.device[data-device="${device.id}"]`);
      assert.equal(await card.locator("h3").innerText(), deviceLabel(device));
      const vendor = card.locator(".vendor");
      if (device.vendor) {
        assert.equal(await vendor.innerText(), device.vendor, device.id);
      } else if (device.randomized_mac) {
        assert.equal(await vendor.innerText(), "private (randomised) MAC", device.id);
      } else {
        assert.equal(await vendor.count(), 0, `${device.id} has no maker`);
      }
    }
    await screenshot(page, "device-makers");
  });

  it("lists the maker in the device filter and finds a maker's destinations by search", async () => {
    const { page } = site;
    const asus = expected.devices.find((d) => d.vendor === "ASUSTek COMPUTER INC.");
    const option = page.locator(`#filter-device option[value="${asus.id}"]`);
    assert.equal(await option.innerText(), `${deviceLabel(asus)} · ${asus.vendor}`);

    const total = expected.destinations.length;
    const theirs = expected.destinations.filter((d) => d.devices.includes(asus.id)).length;
    assert.ok(theirs > 0 && theirs < total, `${theirs} of ${total} destinations are the ASUSTek device's`);
    await page.locator("#filter-text").fill("asustek");
    await page.locator(".destinations .row-count").getByText(`${theirs} of ${total} destinations match`).waitFor();
    await page.locator("#filter-text").fill("");
    await page.locator(".destinations .row-count").getByText(`${total} destinations`, { exact: true }).waitFor();
  });

  it("credits the OUI listing in the footer", async () => {
    const credits = await site.page.locator("footer").innerText();
    for (const words of ["IEEE Registration Authority", "oui-data", "BSD-2-Clause"]) {
      assert.ok(credits.includes(words), `footer mentions ${words}: ${credits}`);
    }
    assert.deepEqual(site.problems, []);
  });
});
