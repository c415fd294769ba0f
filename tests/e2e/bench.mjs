// Measures the page, not a test: release wasm sizes (raw and gzip), the total page weight,
// and the time from dropping a generated 100 MB capture to the report in headless Chromium.
//
//   node tests/e2e/bench.mjs [SIZE_MB]      (after `trunk build --release`; `make bench`)
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { captureFolder, generate } from "./captures.mjs";
import { DIST, chooseFile, headline, openSite } from "./harness.mjs";

const sizeMb = Number(process.argv[2] ?? 100);
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;

// Sizes of what the browser downloads to start (everything but the demo capture).
let rawTotal = 0;
let gzipTotal = 0;
console.log("file                                  raw          gzip -9");
for (const name of (await readdir(DIST)).sort()) {
  if (name === "demo.pcap" || name.startsWith(".")) continue;
  const bytes = await readFile(join(DIST, name));
  const gz = gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzipTotal += gz;
  console.log(`${name.padEnd(36)} ${kb(bytes.length).padStart(12)} ${kb(gz).padStart(12)}`);
}
console.log(`${"page weight (all of the above)".padEnd(36)} ${kb(rawTotal).padStart(12)} ${kb(gzipTotal).padStart(12)}`);

const folder = await captureFolder();
const site = await openSite();
try {
  // Start-up of the geo table: from navigation to the worker's "ready" (its wasm, which embeds
  // the table, fetched, compiled and instantiated; the table date read from it), shown in the
  // footer. Three reloads, median.
  const startups = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await site.page.reload();
    await site.page.locator("footer").getByText(/Table date|No IP table/).waitFor();
    startups.push(performance.now() - started);
  }
  startups.sort((a, b) => a - b);
  console.log(`page load to worker ready (geo table usable): median ${startups[1].toFixed(0)} ms ` +
    `(runs: ${startups.map((t) => t.toFixed(0)).join(", ")} ms)`);

  const capture = generate(folder.dir, "bench.pcap", sizeMb, 5);
  const { size } = await (await import("node:fs/promises")).stat(capture);
  // Let the warm worker finish loading, as it has by the time a person has picked a file.
  await site.page.locator("footer").getByText(/Table date|No IP table/).waitFor();
  const runs = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await chooseFile(site.page, capture);
    await headline(site.page);
    // Wait for this run's report, not the previous one.
    await site.page.locator(".capture-facts").getByText("bench.pcap").waitFor();
    const seconds = (performance.now() - started) / 1000;
    const facts = await site.page.locator(".capture-facts").innerText();
    runs.push(seconds);
    console.log(`run ${run + 1}: ${(size / 1e6).toFixed(1)} MB capture, drop to report ${seconds.toFixed(2)} s ` +
      `(${(size / 1e6 / seconds).toFixed(0)} MB/s); page says: ${facts.split("\n").pop()}`);
    await site.page.reload();
    await site.page.locator("footer").getByText(/Table date|No IP table/).waitFor();
  }
  runs.sort((a, b) => a - b);
  console.log(`median drop-to-report time: ${runs[1].toFixed(2)} s for ${(size / 1e6).toFixed(1)} MB`);
} finally {
  await site.close();
  await folder.remove();
}
