// Measures the page, not a test: release file sizes (raw and gzip), the total page weight,
// the start-up times of the page and of the worker's IP table (first and second visit), and
// the time from dropping a generated 100 MB capture to the report in headless Chromium.
// Beside the page's start-up it measures a floor: a bare page whose worker does nothing but
// read the same table file from the same server, the least any page can take to have it.
//
//   node tests/e2e/bench.mjs [SIZE_MB] [START_RUNS]   (after `trunk build --release`; `make bench`)
//
// SIZE_MB 0 measures the start-up only. BUSY=1 drops a busy gateway's capture (`phonehome
// generate --busy`: per GB 1.8 M packets, 126 k flows, 20 k destinations, 1,484 clients)
// instead of a home's; CAPTURE=file drops that file (any SIZE_MB but 0), e.g. a scan from
// `phonehome generate --shape scan`.
import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { captureFolder, cli, generate } from "./captures.mjs";
import { DIST, chooseFile, headline, openSite } from "./harness.mjs";

const sizeMb = Number(process.argv[2] ?? 100);
const startRuns = Number(process.argv[3] ?? 5);
const kb = (n) => `${(n / 1000).toFixed(1)} kB`;
const TABLE_READY = /Table date|IP table (has no date|could not be loaded)/;
// The IP table as the site ships it (packed, brotli), which the worker fetches and decodes.
const TABLE_FILE = "geo/table.packed.br";

// Sizes of what the browser downloads to start (everything but the demo capture, which is
// fetched only when the user asks for the demo). A file the site ships compressed (the IP
// table, .br) counts as it is: a server's gzip would not shrink it. `tests/bench/weight.sh`
// gives the same total without a browser.
let rawTotal = 0;
let gzipTotal = 0;
console.log("file                                  raw          gzip -9");
for (const name of (await readdir(DIST, { recursive: true })).sort()) {
  if (name === "demo.pcap" || name.startsWith(".") || (await stat(join(DIST, name))).isDirectory()) continue;
  const bytes = await readFile(join(DIST, name));
  const gz = name.endsWith(".br") ? bytes.length : gzipSync(bytes, { level: 9 }).length;
  rawTotal += bytes.length;
  gzipTotal += gz;
  console.log(`${name.padEnd(36)} ${kb(bytes.length).padStart(12)} ${kb(gz).padStart(12)}`);
}
console.log(`${"page weight (all of the above)".padEnd(36)} ${kb(rawTotal).padStart(12)} ${kb(gzipTotal).padStart(12)}`);

/**
 * One visit's start-up, in ms after navigation start, from the User Timing marks the page and
 * the worker set: the page takes files (`phonehome:interactive`), the worker starts looking for
 * the table kept by an earlier visit (`phonehome:geo-table-lookup`; builds before it had none),
 * starts downloading the shipped file if it must (`...-fetch`), has the table's bytes in hand
 * (kept or shipped), has them in wasm memory (copied, or copied and decoded), has checked
 * their checksum, and has the table installed (`...-received`, `...-decoded`, `...-checked`,
 * `...-installed`). `downloaded` says whether this visit downloaded the shipped file.
 */
async function startup(page, worker) {
  await page.locator("footer").getByText(TABLE_READY).waitFor();
  const pageTimes = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    interactive: performance.getEntriesByName("phonehome:interactive")[0]?.startTime,
  }));
  const workerTimes = await worker.evaluate(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime;
    const table = performance.getEntriesByType("resource").find((e) => e.name.includes("/geo/table."));
    return {
      origin: performance.timeOrigin,
      lookup: at("phonehome:geo-table-lookup"),
      lookedUp: at("phonehome:geo-table-looked-up"),
      fetch: at("phonehome:geo-table-fetch"),
      wasm: at("phonehome:geo-table-wasm"),
      received: at("phonehome:geo-table-received"),
      decoded: at("phonehome:geo-table-decoded"),
      checked: at("phonehome:geo-table-checked"),
      installed: at("phonehome:geo-table-installed"),
      response: table?.responseEnd,
    };
  });
  if (workerTimes.installed === undefined) throw new Error("the worker did not install the IP table");
  const shift = workerTimes.origin - pageTimes.origin;
  const start = workerTimes.lookup ?? workerTimes.fetch;
  return {
    downloaded: workerTimes.fetch !== undefined,
    interactive: pageTimes.interactive,
    workerStart: shift,
    wasmRunning: shift + workerTimes.wasm,
    lookupStart: shift + workerTimes.lookup,
    lookedUp: shift + workerTimes.lookedUp,
    bodyInHand: shift + workerTimes.received,
    tableUsable: shift + workerTimes.installed,
    startToInstalled: workerTimes.installed - start,
    fetchToResponse: workerTimes.response === undefined ? NaN : workerTimes.response - workerTimes.fetch,
    responseToReceived: workerTimes.response === undefined ? NaN : workerTimes.received - workerTimes.response,
    receivedToInstalled: workerTimes.installed - workerTimes.received,
    receivedToDecoded: workerTimes.decoded - workerTimes.received,
    decodedToChecked: workerTimes.checked - workerTimes.decoded,
    checkedToInstalled: workerTimes.installed - workerTimes.checked,
  };
}

/** Opens the page in a browser with an empty cache, then visits it again with a warm one. */
async function visits() {
  let worker;
  const site = await openSite({
    beforeLoad: (context) => context.pages()[0].on("worker", (w) => (worker = w)),
  });
  try {
    const cold = await startup(site.page, worker);
    // Let the first visit finish keeping the table it decoded (as it has long before anyone
    // comes back); builds that keep nothing have nothing to wait for.
    await worker.evaluate(() => self.phonehomeGeoTable?.keeping);
    worker = undefined;
    await site.page.goto(site.server.url);
    await site.page.waitForFunction(() => performance.getEntriesByName("phonehome:interactive").length > 0);
    while (!worker) await new Promise((done) => setTimeout(done, 5));
    const warm = await startup(site.page, worker);
    return { cold, warm };
  } finally {
    await site.close();
  }
}

/**
 * The floor: a bare page (no style, no wasm) starts a worker (from a blob: no script to fetch)
 * that reads the table under the same address as the page's worker, first with an empty
 * cache, then with a warm one. Returns when each visit's worker had the whole body in hand.
 */
async function floorVisits() {
  const version = (await readFile("src/geo/table.xxh3", "utf8")).trim();
  const page = `<!DOCTYPE html><title>floor</title><h1>phonehome</h1><script>
    const table = new URL("${TABLE_FILE}?v=${version}", location).href;
    const code = "fetch(" + JSON.stringify(table) + ", { cache: 'force-cache' }).then((r) => r.arrayBuffer())" +
      ".then((b) => postMessage({ origin: performance.timeOrigin, body: performance.now(), length: b.byteLength }));";
    const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
    window.floor = new Promise((done) => (worker.onmessage = (e) => done(e.data)));
  </script>`;
  const address = (server) => `${server.url}bench-floor.html`;
  // Opening it is the first (cold) visit; the second is warm.
  const site = await openSite({
    url: address,
    beforeLoad: (context) =>
      context.route("**/bench-floor.html", (route) => route.fulfill({ contentType: "text/html", body: page })),
  });
  try {
    const visit = async (again) => {
      if (again) await site.page.goto(address(site.server));
      const { origin, body, length } = await site.page.evaluate(() => window.floor);
      if (length !== (await stat(join(DIST, TABLE_FILE))).size) throw new Error("the floor read a short table");
      const pageOrigin = await site.page.evaluate(() => performance.timeOrigin);
      return { workerStart: origin - pageOrigin, bodyInHand: origin - pageOrigin + body };
    };
    const cold = await visit(false);
    const warm = await visit(true);
    return { cold, warm };
  } finally {
    await site.close();
  }
}

/** The median of the numbers among `values` (a visit that did not download has no fetch times). */
const median = (values) => {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const samples = { cold: [], warm: [] };
const floor = { cold: [], warm: [] };
for (let run = 0; run < startRuns; run++) {
  const { cold, warm } = await visits();
  samples.cold.push(cold);
  samples.warm.push(warm);
  const bare = await floorVisits();
  floor.cold.push(bare.cold);
  floor.warm.push(bare.warm);
}
const rows = [
  ["page load to page interactive (drop zone usable)", "interactive"],
  ["page load to worker started", "workerStart"],
  ["page load to worker's wasm running", "wasmRunning"],
  ["page load to start of looking for a kept table", "lookupStart"],
  ["page load to kept table read (or none found)", "lookedUp"],
  ["page load to table's bytes in hand in the worker", "bodyInHand"],
  ["page load to IP table usable in the worker", "tableUsable"],
  ["table lookup (or fetch) start to table installed", "startToInstalled"],
  ["  of which fetch start to response end (downloads)", "fetchToResponse"],
  ["  then response end to body in hand", "responseToReceived"],
  ["  then body in hand to table usable", "receivedToInstalled"],
  ["    of which copy into wasm memory (and decode)", "receivedToDecoded"],
  ["    then checksum", "decodedToChecked"],
  ["    then open (directory, UTF-8 of the names)", "checkedToInstalled"],
];
/** One line per [label, key] of `rows`: the medians of the first and of the second visits. */
function printMedians(rows, visits) {
  for (const [label, key] of rows) {
    const [cold, warm] = ["cold", "warm"].map((visit) => median(visits[visit].map((s) => s[key])));
    console.log(`${label.padEnd(52)} ${cold.toFixed(0).padStart(8)} ${warm.toFixed(0).padStart(12)}`);
  }
}
console.log(`\nstart-up, median of ${startRuns} runs (ms)              first visit   second visit`);
printMedians(rows, samples);
console.log("floor: a bare page whose worker only reads the table");
printMedians(
  [
    ["  page load to worker started", "workerStart"],
    ["  page load to table's bytes in hand in the worker", "bodyInHand"],
  ],
  floor,
);
for (const visit of ["cold", "warm"]) {
  const runs = samples[visit].map((s) => s.tableUsable.toFixed(0)).join(", ");
  const downloads = samples[visit].filter((s) => s.downloaded).length;
  console.log(`table usable, ${visit === "cold" ? "first" : "second"} visit runs: ${runs} ms ` +
    `(${downloads} of ${startRuns} downloaded the shipped table)`);
}

if (sizeMb === 0) process.exit(0);
const folder = await captureFolder();
const site = await openSite();
try {
  const capture = process.env.CAPTURE
    ? process.env.CAPTURE
    : process.env.BUSY
    ? (cli(["generate", join(folder.dir, "bench.pcap"), "--busy", "--size", String(sizeMb), "--seed", "5"]), join(folder.dir, "bench.pcap"))
    : generate(folder.dir, "bench.pcap", sizeMb, 5);
  const { size } = await stat(capture);
  // Let the worker finish loading and warming up (src/bin/worker/warm_up.rs), as it has by the
  // time a person has picked a file.
  const warmedUp = async () => {
    await site.page.locator("footer").getByText(TABLE_READY).waitFor();
    const outcomes = await Promise.all(site.page.workers().map((w) => w.evaluate(async () => {
      for (let wait = 0; wait < 300 && !self.phonehomeWarmUp; wait++) await new Promise((r) => setTimeout(r, 50));
      return self.phonehomeWarmUp ?? null;
    }).catch(() => null)));
    const outcome = outcomes.find(Boolean);
    return outcome ? `warm-up ${outcome.done ? "done" : "stopped"} in ${outcome.ms.toFixed(0)} ms of work` : "no warm-up";
  };
  let warm = await warmedUp();
  const runs = [];
  const coreRuns = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    await chooseFile(site.page, capture);
    await headline(site.page);
    // Wait for this run's report, not the previous one.
    await site.page.locator(".capture-facts").getByText(basename(capture)).waitFor();
    const seconds = (performance.now() - started) / 1000;
    const facts = await site.page.locator(".capture-facts").innerText();
    runs.push(seconds);
    // The worker's core alone (feeding and finishing, without reading the file or posting).
    const cores = await Promise.all(site.page.workers().map((w) =>
      w.evaluate(() => [self.phonehomeCoreMs, self.phonehomeWasmBytes]).catch(() => [])));
    const [coreMs, wasmBytes] = cores.find(([ms]) => typeof ms === "number") ?? [];
    coreRuns.push(coreMs);
    console.log(`run ${run + 1}: ${(size / 1e6).toFixed(1)} MB capture, drop to report ${seconds.toFixed(2)} s ` +
      `(${(size / 1e6 / seconds).toFixed(0)} MB/s), the worker's core ${(coreMs / 1000).toFixed(2)} s ` +
      `and wasm memory ${(wasmBytes / 1e6).toFixed(0)} MB; ` +
      `page says: ${facts.split("\n").pop()}; ${warm} before the drop`);
    await site.page.reload();
    warm = await warmedUp();
  }
  console.log(`median drop-to-report time: ${median(runs).toFixed(2)} s for ${(size / 1e6).toFixed(1)} MB`);
  console.log(`median time of the worker's core: ${(median(coreRuns) / 1000).toFixed(2)} s ` +
    "(natively: `phonehome generate F --busy --size N --seed 5` for BUSY, then `phonehome analyze F --jobs 1`)");
  // The core alone: the same file already in the worker's wasm memory, analysed with nothing
  // read or posted meanwhile (during a drop, reading the next slices shares the two cores), as
  // `cargo bench --bench core` times it natively (PHONEHOME_BENCH_BUSY_MB=1000 for the busy
  // gigabyte of seed 1), after one run not counted, as criterion warms up. The worker fetches
  // the chosen file through a blob URL of the page's.
  // (The page clears its own file input once it has the file: this one is the bench's.)
  await site.page.evaluate(() => {
    const input = Object.assign(document.createElement("input"), { type: "file", id: "bench-core-file", hidden: true });
    document.body.append(input);
  });
  await site.page.locator("#bench-core-file").setInputFiles(capture);
  const url = await site.page.evaluate(() => URL.createObjectURL(document.querySelector("#bench-core-file").files[0]));
  const alone = [];
  for (const worker of site.page.workers()) {
    const times = await worker.evaluate(async ({ url, runs }) => {
      if (typeof wasm_bindgen?.time_core !== "function") return null;
      const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
      const out = [];
      for (let run = 0; run <= runs; run++) out.push(wasm_bindgen.time_core(bytes));
      return out.slice(1);
    }, { url, runs: 5 }).catch(() => null);
    if (times) {
      alone.push(...times);
      break;
    }
  }
  if (alone.length > 0) {
    console.log(`the worker's core alone (the file in wasm memory), ${alone.length} runs: ` +
      `median ${(median(alone) / 1000).toFixed(2)} s, best ${(Math.min(...alone) / 1000).toFixed(2)} s ` +
      `(${alone.map((ms) => (ms / 1000).toFixed(2)).join(", ")})`);
    // The native core on the same bytes, when criterion measured it: its busy capture of seed 1
    // is the file `phonehome generate --busy --size N --seed 1` writes.
    const busy = /^busy-(\d+)MB-seed1\.pcap$/.exec(basename(capture));
    const estimates = busy && `target/criterion/analyze_busy_${busy[1]}MB_capture/4MiB_chunks/new/estimates.json`;
    const native = estimates && JSON.parse(await readFile(estimates, "utf8").catch(() => "null"));
    if (native) {
      const nativeMs = native.median.point_estimate / 1e6;
      console.log(`native core (criterion, ${estimates}): median ${(nativeMs / 1000).toFixed(3)} s; ` +
        `wasm / native: ${(median(alone) / nativeMs).toFixed(2)} (median), ${(Math.min(...alone) / nativeMs).toFixed(2)} (best)`);
    }
  }
} finally {
  await site.close();
  await folder.remove();
}
