// Loading a capture: progress and Cancel on a large file, the partial report of a truncated
// file, a clear message for a file that is no capture, and compressed captures.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { captureFolder, expectedReport, generate, truncate } from "./captures.mjs";
import { chooseFile, dropFile, expectedHeadline, headline, openSite, screenshot, useSite } from "./harness.mjs";

describe("loading", () => {
  let site, folder, small, big;

  before(async () => {
    folder = await captureFolder();
    small = generate(folder.dir, "small.pcap", 1);
    // Large enough (about 2 s of work) that Cancel is surely pressed mid-way.
    big = generate(folder.dir, "big.pcap", 250, 3);
    site = await openSite();
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("shows progress for a large capture and stops it on Cancel", async () => {
    const { page } = site;
    // Workers the page started (the service worker's own fetch of the file, to keep it, is none).
    const workersBefore = site.requests.filter((r) => r.url.endsWith("/worker_boot.js") && !r.byServiceWorker).length;
    await chooseFile(page, big);
    const panel = page.locator("section.progress-panel");
    await panel.getByRole("heading", { name: "Analysing big.pcap" }).waitFor();
    // Wait for the worker's first progress message: some bytes read, not all.
    await page.waitForFunction(() => {
      const bar = document.querySelector("#analysis-progress");
      return bar && bar.value > 0 && bar.value < bar.max;
    });
    assert.match(await panel.locator(".progress-numbers").innerText(), /MB of 25\d MB/);
    await screenshot(page, "progress");
    await panel.getByRole("button", { name: "Cancel" }).click();
    await panel.waitFor({ state: "detached" });
    assert.equal(await page.locator("#headline-sentence").count(), 0, "no report after Cancel");
    // A fresh worker replaces the cancelled one, and it works.
    await page.waitForFunction(
      (before) => performance.getEntriesByType("resource").filter((e) => e.name.endsWith("/worker_boot.js")).length > before,
      workersBefore,
    );
    await chooseFile(page, small);
    assert.equal(await headline(page), expectedHeadline(expectedReport(small), "the United States"));
    assert.ok((await page.locator(".capture-facts").innerText()).includes("small.pcap"));
  });

  it("shows the partial report and the diagnostic for a truncated capture", async () => {
    const { page } = site;
    const cut = await truncate(folder.dir, small, "cut.pcap", 600_001);
    const expected = expectedReport(cut);
    const diagnostic = expected.capture.diagnostics.find((d) => d.kind === "truncated-file");
    assert.ok(diagnostic, "the core reports the cut");
    await dropFile(page, cut, "cut.pcap");
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    const section = page.locator("section.diagnostics");
    await section.getByRole("heading", { name: "Partial report: the capture is incomplete" }).waitFor();
    const item = section.locator('li[data-kind="truncated-file"]');
    assert.ok((await item.innerText()).includes(diagnostic.message));
    assert.ok((await item.innerText()).includes("This report covers everything before the cut"));
    await screenshot(page, "truncated");
  });

  it("explains what is wrong with a file that is no capture, and which formats work", async () => {
    const { page } = site;
    const text = join(folder.dir, "notes.txt");
    await writeFile(text, "just some notes\n");
    await chooseFile(page, text);
    const panel = page.getByRole("alert");
    await panel.getByRole("heading", { name: "notes.txt could not be analysed" }).waitFor();
    const message = await panel.innerText();
    assert.match(message, /not a pcap or pcapng capture/i);
    for (const words of ["pcap", "pcapng", "gzip", "zstd"]) assert.ok(message.includes(words), words);
    assert.equal(await page.locator("#headline-sentence").count(), 0);
    await screenshot(page, "not-a-capture");
  });

  it("reads gzip-compressed captures", async () => {
    const { page } = site;
    execFileSync("gzip", ["-k", "-f", small]);
    await chooseFile(page, `${small}.gz`);
    assert.equal(await headline(page), expectedHeadline(expectedReport(small), "the United States"));
    assert.ok((await page.locator(".capture-facts").innerText()).includes("gzip+pcap"));
  });

  it("reports no page errors", () => {
    assert.deepEqual(site.problems, []);
  });
});

describe("a worker that cannot start", () => {
  let site, folder, small;

  before(async () => {
    folder = await captureFolder();
    small = generate(folder.dir, "small.pcap", 1);
    // As if the network dropped the worker's wasm: the page must say so, not wait forever.
    site = await openSite({
      serviceWorkers: "block",
      beforeLoad: (context) => context.route("**/worker_bg.wasm", (route) => route.abort()),
    });
  });

  after(async () => {
    await site?.close();
    await folder?.remove();
  });

  it("shows an error instead of waiting forever", async () => {
    const { page } = site;
    await chooseFile(page, small);
    const panel = page.getByRole("alert");
    await panel.getByRole("heading", { name: "small.pcap could not be analysed" }).waitFor();
    assert.match(await panel.innerText(), /analysis worker could not start/);
  });
});

describe("warming up", () => {
  const fixture = useSite({ name: "small.pcap" });

  it("analyses a generated capture while it waits, and then the user's file as without it", async () => {
    const { site, capture, expected } = fixture;
    const { page } = site;
    const worker = page.workers()[0] ?? (await page.waitForEvent("worker"));
    // The worker says how its warm-up went once it is over (`src/bin/worker/warm_up.rs`).
    const outcome = await worker.evaluate(async () => {
      for (let wait = 0; wait < 600 && !self.phonehomeWarmUp; wait++) await new Promise((resolve) => setTimeout(resolve, 50));
      return self.phonehomeWarmUp ?? null;
    });
    assert.ok(outcome, "the warm-up said how it went within 30 s");
    assert.equal(outcome.done, true, "nothing asked the worker anything: the warm-up ran to its end");
    assert.ok(outcome.ms > 0);
    await chooseFile(page, capture);
    assert.equal(await headline(page), expectedHeadline(expected, "the United States"));
    assert.ok((await page.locator(".capture-facts").innerText()).includes("small.pcap"));
    // The file was read by the worker's own reader (`www/slice_reader.js`), ahead of the analysis.
    assert.ok(site.server.log.some((r) => r.path.endsWith("/slice_reader.js")), "the slice reader started");
    assert.deepEqual(site.problems, []);
  });
});

describe("a slice reader that cannot start", () => {
  const fixture = useSite({ name: "small.pcap", open: { serviceWorkers: "block", missing: ["slice_reader.js"] } });

  it("leaves the worker to read the file itself, with the same report", async () => {
    const { site, capture, expected } = fixture;
    await chooseFile(site.page, capture);
    assert.equal(await headline(site.page), expectedHeadline(expected, "the United States"));
    assert.ok(site.server.log.some((r) => r.path.endsWith("/slice_reader.js")), "the reader was asked for");
    assert.deepEqual(site.problems.filter((p) => !p.includes("slice_reader.js") && !p.includes("404")), []);
  });
});
