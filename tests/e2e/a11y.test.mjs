// Accessibility and looks: axe-core finds no serious or critical problem in the start page,
// a report with its flows view open, or an error, in the light and dark colour schemes; the
// page fits a phone's width. Screenshots go to test-results/ to be looked at.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { after, before, describe, it } from "node:test";
import { captureFolder, generate } from "./captures.mjs";
import { chooseFile, headline, openSite, screenshot } from "./harness.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** Runs axe-core in the page; returns the serious and critical violations, readable. */
async function seriousViolations(page) {
  // Evaluated through the debugging protocol: an injected <script> would be (rightly) blocked
  // by the page's Content-Security-Policy.
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

for (const colorScheme of ["light", "dark"]) {
  describe(`accessibility (${colorScheme})`, () => {
    let site, folder, capture;

    before(async () => {
      folder = await captureFolder();
      capture = generate(folder.dir, "a11y.pcap", 1);
      site = await openSite({ colorScheme });
    });

    after(async () => {
      await site?.close();
      await folder?.remove();
    });

    it("has no serious problems on the start page", async () => {
      await screenshot(site.page, `start-${colorScheme}`);
      assert.deepEqual(await seriousViolations(site.page), []);
    });

    it("has no serious problems in a report with the flows view open", async () => {
      const { page } = site;
      await chooseFile(page, capture);
      await headline(page);
      await page.getByRole("button", { name: "Show flows with 180.76.76.76" }).first().click();
      await page.locator("#flows-title").waitFor();
      await page.locator("#watch-add").selectOption("CN");
      await page.getByRole("button", { name: "Stop watching China" }).waitFor();
      await screenshot(page, `report-${colorScheme}`);
      assert.deepEqual(await seriousViolations(page), []);
    });

    it("has no serious problems in the share dialog and in a shared report", async () => {
      const { page } = site;
      await page.getByRole("button", { name: "Share report…" }).click();
      const dialog = page.getByRole("dialog", { name: "Share this report" });
      await dialog.locator("#share-preview").waitFor();
      await dialog.screenshot({ path: `test-results/share-dialog-${colorScheme}.png` });
      assert.deepEqual(await seriousViolations(page), []);
      const link = await page.locator("#share-link").inputValue();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "detached" });
      await page.goto(link);
      await page.locator("#shared-banner").waitFor();
      await headline(page);
      await screenshot(page, `shared-report-${colorScheme}`);
      assert.deepEqual(await seriousViolations(page), []);
      await page.getByRole("button", { name: "Analyse your own capture" }).click();
      await page.locator("#choose-capture").waitFor();
    });

    it("has no serious problems in an error message", async () => {
      const { page } = site;
      await page.locator("#capture-file").setInputFiles({ name: "photo.jpg", mimeType: "image/jpeg", buffer: Buffer.from("\xff\xd8\xff\xe0 not a capture") });
      await page.getByRole("alert").waitFor();
      assert.deepEqual(await seriousViolations(page), []);
      assert.deepEqual(site.problems, []);
    });
  });
}

describe("phone width", () => {
  let site, folder, capture;

  before(async () => {
    folder = await captureFolder();
    capture = generate(folder.dir, "phone.pcap", 1);
    site = await openSite({ viewport: { width: 390, height: 844 } });
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("fits the report in the screen's width (wide tables scroll inside their box)", async () => {
    const { page } = site;
    await chooseFile(page, capture);
    await headline(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, "no sideways scrolling of the page");
    await screenshot(page, "report-phone");
  });

  it("fits the share dialog in the screen's width", async () => {
    const { page } = site;
    await page.getByRole("button", { name: "Share report…" }).click();
    const dialog = page.getByRole("dialog", { name: "Share this report" });
    await dialog.locator("#share-preview").waitFor();
    const box = await dialog.boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 390, `dialog from ${box.x} to ${box.x + box.width}`);
    const inside = await dialog.evaluate((d) => d.scrollWidth - d.clientWidth);
    assert.equal(inside, 0, "nothing in the dialog is wider than it");
    await page.screenshot({ path: "test-results/share-dialog-phone.png" });
    await page.keyboard.press("Escape");
  });

  it("can be used with the keyboard alone", async () => {
    const { page } = site;
    await page.reload();
    await page.getByRole("heading", { name: "phonehome", level: 1 }).waitFor();
    // The first Tab reaches the skip link, the next ones the file and demo buttons.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to content");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Choose a capture file…");
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.textContent), "Try a demo capture");
    await page.keyboard.press("Enter");
    await page.locator(".capture-facts").getByText("demo.pcap").waitFor();
    // Sorting is a button in each column header.
    await page.getByRole("button", { name: "Sent" }).focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("th", { has: page.getByRole("button", { name: "Sent" }) }).getAttribute("aria-sort"), "descending");
    assert.deepEqual(site.problems, []);
  });
});
