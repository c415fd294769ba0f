// Measures the page on a large report, not a test (not named *.test.mjs, so `node --test`
// leaves it alone). A generated capture in which one device sends a UDP packet to each of
// COUNT public addresses spread over many /8 blocks (so over many countries), with a reply
// from some of them, gives a report with COUNT destinations. In headless Chromium it measures:
//   (a) choosing the file to the report's first render (headline and destination table shown),
//   (b) re-rendering after the home country changes in the page's "Home country" control,
//       until the headline names the new country (median of CHANGES changes),
//   (d) the destination table's interactions (median of CHANGES each): sorting by a column,
//       filtering by text and by "flagged only", scrolling to the middle, and opening a
//       destination's flows until they are listed; each from the action to the DOM showing its
//       result and to the frame after it,
//   (c) memory once the report is shown: PSS of all of this browser's processes (summed from
//       /proc/<pid>/smaps_rollup) minus the same sum on the idle page, and the page's JS heap
//       (CDP Performance.getMetrics).
// It relies only on what the page shows (labels, roles, the headline's words, the table's
// rows), not on component internals, so the same script runs before and after a refactor.
//
//   DIST=/path/to/dist node tests/e2e/bench_countries.mjs [COUNT] [CHANGES]
//   CAPTURE=file.pcap node tests/e2e/bench_countries.mjs 0 [CHANGES]   (any capture, e.g. a busy
//   gateway's from `phonehome generate --busy`, instead of the generated destinations)
//   PROFILE=out.cpuprofile ...   also records the page's main thread during the home-country
//   changes with the DevTools profiler, writes the profile (open it in DevTools) and prints the
//   functions with the most self time. The wasm functions have names in a site built with
//   them kept: a copy of index.html whose app has data-wasm-opt="0", built with
//   `CARGO_PROFILE_WASM_RELEASE_STRIP=false trunk build --release true --dist dist-prof COPY`.
//
// COUNT defaults to 50000, CHANGES to 7; DIST defaults to dist/ (after `trunk build --release`).
import { readdir, readFile, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { captureFolder } from "./captures.mjs";
import { DIST, chooseFile, openSite } from "./harness.mjs";

const count = Number(process.argv[2] ?? 50_000);
const changes = Number(process.argv[3] ?? 7);
if (!Number.isInteger(count) || count < 0 || count > 5_000_000) throw new Error(`bad COUNT: ${process.argv[2]}`);
if (!Number.isInteger(changes) || changes < 1) throw new Error(`bad CHANGES: ${process.argv[3]}`);
const TABLE_READY = /Table date|IP table (has no date|could not be loaded)/;
// The home countries the page is switched to in turn (it starts on the browser's, en-US: the
// United States). Names as the page's picker shows them (Intl.DisplayNames, English).
const COUNTRIES = ["Germany", "China", "United States", "Japan", "Brazil", "France", "India", "Russia", "Australia"];

// ---------------------------------------------------------------------------------------------
// The capture.

/** Whether a public-looking IPv4 address (as an unsigned 32-bit number) is special-purpose. */
function special(ip) {
  const inside = (base, bits) => (ip >>> (32 - bits)) === (base >>> (32 - bits));
  const a = ip >>> 24;
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    inside(0x64400000, 10) || // 100.64.0.0/10 shared (CGNAT)
    inside(0xa9fe0000, 16) || // 169.254.0.0/16 link-local
    inside(0xac100000, 12) || // 172.16.0.0/12
    inside(0xc0000000, 24) || // 192.0.0.0/24 IETF protocol assignments
    inside(0xc0000200, 24) || // 192.0.2.0/24 documentation
    inside(0xc0586300, 24) || // 192.88.99.0/24 6to4 relay
    inside(0xc0a80000, 16) || // 192.168.0.0/16
    inside(0xc6120000, 15) || // 198.18.0.0/15 benchmarking
    inside(0xc6336400, 24) || // 198.51.100.0/24 documentation
    inside(0xcb007100, 24) // 203.0.113.0/24 documentation
  );
}

/**
 * `count` distinct public addresses, taken in turn from every /8 block of 1.0.0.0 to
 * 223.0.0.0 that is not wholly special-purpose (so from every registry's space and many
 * countries), spread over each block by an odd multiplier (a bijection of the 24-bit offset).
 */
function destinations(count) {
  const blocks = [];
  for (let a = 1; a < 224; a++) if (a !== 10 && a !== 127) blocks.push(a);
  const seen = new Set();
  const out = [];
  for (let j = 0; out.length < count; j++) {
    if (j >= 1 << 24) throw new Error("ran out of addresses");
    for (const a of blocks) {
      const offset = (Math.imul(j, 0x9e3779b1) + 0x010203) & 0xffffff;
      const ip = ((a << 24) | offset) >>> 0;
      if (special(ip) || seen.has(ip)) continue;
      seen.add(ip);
      out.push(ip);
      if (out.length === count) break;
    }
  }
  return out;
}

const DEVICE_MAC = [0x3c, 0xa9, 0xf4, 0x12, 0x34, 0x56]; // an Intel OUI
const GATEWAY_MAC = [0xf4, 0xf2, 0x6d, 0xab, 0xcd, 0xef]; // a TP-Link OUI
const DEVICE_IP = 0xc0a80132; // 192.168.1.50
// Over 300 bytes from the device: a datagram that carries data, so the report lists each
// address as a destination (hundreds of tiny datagrams to addresses never looked up are a
// scan, which the report summarises; see README "Scans and very big captures").
const PAYLOAD = 400;
const FRAME = 14 + 20 + 8 + PAYLOAD;
const RECORD = 16 + FRAME;
/** One reply for every REPLY_EVERY-th destination. */
const REPLY_EVERY = 4;

/**
 * Writes a classic pcap (little-endian, microseconds, Ethernet) of one UDP datagram from the
 * device to each address of `addresses`, and a reply from every REPLY_EVERY-th, over an hour.
 */
async function writeCapture(path, addresses) {
  const replies = Math.ceil(addresses.length / REPLY_EVERY);
  const records = addresses.length + replies;
  const file = Buffer.alloc(24 + records * RECORD);
  file.writeUInt32LE(0xa1b2c3d4, 0);
  file.writeUInt16LE(2, 4);
  file.writeUInt16LE(4, 6);
  file.writeUInt32LE(65535, 16);
  file.writeUInt32LE(1, 20); // LINKTYPE_ETHERNET
  const startUs = 1_717_200_000n * 1_000_000n;
  const stepUs = BigInt(Math.max(1, Math.floor(3_600_000_000 / records)));
  let at = 24;
  let n = 0;
  const record = (srcMac, dstMac, src, dst, srcPort, dstPort, id) => {
    const ts = startUs + BigInt(n++) * stepUs;
    file.writeUInt32LE(Number(ts / 1_000_000n), at);
    file.writeUInt32LE(Number(ts % 1_000_000n), at + 4);
    file.writeUInt32LE(FRAME, at + 8);
    file.writeUInt32LE(FRAME, at + 12);
    const eth = at + 16;
    Buffer.from(dstMac).copy(file, eth);
    Buffer.from(srcMac).copy(file, eth + 6);
    file.writeUInt16BE(0x0800, eth + 12);
    const ip = eth + 14;
    file.writeUInt8(0x45, ip);
    file.writeUInt16BE(20 + 8 + PAYLOAD, ip + 2);
    file.writeUInt16BE(id & 0xffff, ip + 4);
    file.writeUInt8(64, ip + 8); // TTL
    file.writeUInt8(17, ip + 9); // UDP
    file.writeUInt32BE(src, ip + 12);
    file.writeUInt32BE(dst, ip + 16);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += file.readUInt16BE(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    file.writeUInt16BE(~sum & 0xffff, ip + 10);
    const udp = ip + 20;
    file.writeUInt16BE(srcPort, udp);
    file.writeUInt16BE(dstPort, udp + 2);
    file.writeUInt16BE(8 + PAYLOAD, udp + 4);
    file.writeUInt16BE(0, udp + 6); // no checksum (allowed over IPv4)
    for (let k = 0; k < PAYLOAD; k++) file.writeUInt8((id + k) & 0xff, udp + 8 + k);
    at += RECORD;
  };
  addresses.forEach((dst, i) => {
    const port = 40_000 + (i % 20_000);
    record(DEVICE_MAC, GATEWAY_MAC, DEVICE_IP, dst, port, 9999, i);
    if (i % REPLY_EVERY === 0) record(GATEWAY_MAC, DEVICE_MAC, dst, DEVICE_IP, 9999, port, i);
  });
  if (at !== file.length) throw new Error("capture size mismatch");
  await writeFile(path, file);
  return { path, bytes: file.length, packets: records };
}

// ---------------------------------------------------------------------------------------------
// Reading the page by what it shows. These run in the page (passed to page.evaluate), so they
// are self-contained.

/**
 * Installs `window.__bench`: a watcher that resolves when `condition` (the name of one of the
 * checks below) holds, with the page-clock time the user's action happened (the first
 * `input`, `change` or `drop` event after arming: choosing a file, picking a country), the time the DOM
 * first met the condition, the time of the frame after it, and the time of the last DOM
 * change before the page went quiet for `quietMs` (later renders, e.g. deferred ones).
 */
function arm({ condition, args, quietMs }) {
  const headlineText = () => {
    const byId = document.getElementById("headline-sentence");
    if (byId) return byId.textContent;
    const p = [...document.querySelectorAll("p")].find((e) => /talked to .* on the Internet|found, but no traffic|found; no destination/.test(e.textContent));
    return p?.textContent ?? null;
  };
  const checks = {
    // The headline is shown and a table shows at least one destination: a cell that holds
    // an IPv4 address and nothing else.
    report: () => {
      if (!headlineText()) return false;
      return [...document.querySelectorAll("table, [role=table], [role=grid]")].some((table) =>
        [...table.querySelectorAll("td, [role=cell], [role=gridcell]")].some((cell) => /^\s*\d{1,3}(\.\d{1,3}){3}\s*$/.test(cell.textContent)),
      );
    },
    // The headline differs from `before` and names the new home country.
    headline: () => {
      const text = headlineText();
      return text !== null && text !== args.before && text.includes(args.name);
    },
  };
  const check = checks[condition];
  const state = { action: null, dom: null, frame: null, lastMutation: null, mutations: 0 };
  const onAction = (event) => {
    if (state.action !== null) return;
    if (event.type === "drop" || event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) {
      state.action = performance.now();
    }
  };
  for (const type of ["input", "change", "drop"]) window.addEventListener(type, onAction, true);
  window.__bench = new Promise((done, fail) => {
    let quietTimer;
    const finish = () => {
      observer.disconnect();
      for (const type of ["input", "change", "drop"]) window.removeEventListener(type, onAction, true);
      done(state);
    };
    const touch = () => {
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => state.frame !== null && finish(), quietMs);
    };
    const observer = new MutationObserver(() => {
      const now = performance.now();
      state.mutations++;
      if (state.action === null) return;
      state.lastMutation = now;
      if (state.dom === null && check()) {
        state.dom = now;
        // The frame after the change: rAF runs before its paint, the task after it once painted.
        requestAnimationFrame(() => setTimeout(() => {
          state.frame = performance.now();
          touch();
        }, 0));
      }
      if (state.dom !== null) touch();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => {
      observer.disconnect();
      fail(new Error(`timed out waiting for the ${condition} condition: ${JSON.stringify(state)}`));
    }, 120_000);
  });
}

/** The headline's text, as harness.headline() reads it, with a fallback on its words. */
async function headlineText(page) {
  return page.evaluate(() => {
    const byId = document.getElementById("headline-sentence");
    if (byId) return byId.textContent;
    const p = [...document.querySelectorAll("p")].find((e) => /talked to .* on the Internet|found, but no traffic|found; no destination/.test(e.textContent));
    return p?.textContent ?? null;
  });
}

/** The page's "N destinations" status line of the destination table, by its role and words. */
async function rowCount(page) {
  const status = page.getByRole("status").filter({ hasText: /^\s*[\d,]+ destinations?\s*$/ });
  return (await status.count()) ? (await status.first().innerText()).trim() : "(no row count shown)";
}

/**
 * Runs in the page: performs one of the table's interactions (`kind`, with `step` varying it
 * between runs) and times it from the action to the DOM showing its result, and to the frame
 * after that. The action is dispatched here, so its time is exact.
 */
function interact({ kind, step }) {
  const table = document.querySelector(".destinations");
  const status = () => table.querySelector(".row-count").textContent;
  const firstRow = () => table.querySelector("tbody tr.row")?.textContent ?? "";
  const before = { status: status(), first: firstRow() };
  let act;
  let done;
  if (kind === "sort") {
    const buttons = [...table.querySelectorAll("thead button.sort")];
    const button = buttons[(3 + step) % buttons.length];
    const sortBefore = button.closest("th").getAttribute("aria-sort");
    act = () => button.click();
    done = () => button.closest("th").getAttribute("aria-sort") !== sortBefore && firstRow() !== "";
  } else if (kind === "filter") {
    const input = table.querySelector("#filter-text");
    const words = ["com", "net", "443", "amazon", "google", "udp"];
    const word = input.value === "" ? words[step % words.length] : "";
    act = () => {
      input.value = word;
      input.dispatchEvent(new InputEvent("input", { bubbles: true }));
    };
    done = () => status() !== before.status;
  } else if (kind === "flagged") {
    const box = table.querySelector("#filter-flagged");
    act = () => box.click();
    done = () => status() !== before.status;
  } else if (kind === "scroll") {
    const scroller = table.querySelector(".table-scroll");
    const target = step % 2 ? 0 : Math.floor(scroller.scrollHeight / 2);
    act = () => {
      scroller.scrollTop = target;
    };
    done = () => firstRow() !== before.first;
  } else if (kind === "flows") {
    const buttons = [...table.querySelectorAll("tbody tr.row td button.link")];
    const button = buttons[step % buttons.length];
    act = () => button.click();
    done = () => {
      const view = document.querySelector(".flows-view");
      return view && /^[\d,]+ flows? ·/.test(view.querySelector(".row-count")?.textContent ?? "");
    };
  }
  return new Promise((resolve, reject) => {
    const result = { dom: null, frame: null };
    let start;
    const check = () => {
      if (result.dom !== null || !done()) return;
      result.dom = performance.now() - start;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        result.frame = performance.now() - start;
        resolve(result);
      }, 0));
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    setTimeout(() => reject(new Error(`${kind}: no result after 30 s`)), 30_000);
    start = performance.now();
    act();
    check();
  });
}

// ---------------------------------------------------------------------------------------------
// Memory.

/** This process's descendants (the browser it launched and all of that browser's children). */
async function descendants(root) {
  const parents = new Map();
  for (const name of await readdir("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, "utf8");
      // Field 4 (ppid) comes after the command in parentheses, which may contain spaces.
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      parents.set(Number(name), ppid);
    } catch {
      // The process ended meanwhile.
    }
  }
  const found = new Set([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parents) {
      if (!found.has(pid) && found.has(ppid)) {
        found.add(pid);
        grew = true;
      }
    }
  }
  found.delete(root);
  return [...found];
}

/**
 * Sum of the PSS (kB) of this process's descendants, and how many there are: the Chromium it
 * launched (browser, renderer, GPU, utility and zygote processes). The server is in-process.
 * `rendererKb` is the part of the renderer processes (the page and its worker live in one).
 */
async function browserPss() {
  let kb = 0;
  let rendererKb = 0;
  let processes = 0;
  for (const pid of await descendants(process.pid)) {
    try {
      const rollup = await readFile(`/proc/${pid}/smaps_rollup`, "utf8");
      const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8");
      const pss = /^Pss:\s+(\d+) kB/m.exec(rollup);
      if (pss) {
        kb += Number(pss[1]);
        if (cmdline.includes("--type=renderer")) rendererKb += Number(pss[1]);
        processes++;
      }
    } catch {
      // The process ended meanwhile.
    }
  }
  return { kb, rendererKb, processes };
}

/** The page's JS heap (main thread) from CDP, after a garbage collection. */
async function jsHeap(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { metrics } = await cdp.send("Performance.getMetrics");
  const get = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
  return { used: get("JSHeapUsedSize"), total: get("JSHeapTotalSize") };
}

const settle = (ms) => new Promise((done) => setTimeout(done, ms));

/** The page's WebAssembly memories (the app's), in bytes: found through the heap, so the page
 * needs no hook for the bench. */
async function pageWasmBytes(cdp) {
  const { result: proto } = await cdp.send("Runtime.evaluate", { expression: "WebAssembly.Memory.prototype" });
  const { objects } = await cdp.send("Runtime.queryObjects", { prototypeObjectId: proto.objectId });
  const { result } = await cdp.send("Runtime.callFunctionOn", {
    objectId: objects.objectId,
    functionDeclaration: "function () { return this.reduce((sum, m) => sum + m.buffer.byteLength, 0); }",
    returnByValue: true,
  });
  return result.value;
}

/** Memory after letting the page settle: browser PSS, the page's JS heap and wasm memory, and
 * the worker's wasm memory (its peak: wasm memory never shrinks). */
async function memory(cdp, page) {
  const heap = await jsHeap(cdp);
  const appWasm = await pageWasmBytes(cdp);
  const workers = await Promise.all(page.workers().map((w) => w.evaluate(() => self.phonehomeWasmBytes).catch(() => 0)));
  await settle(1500);
  const pss = await browserPss();
  return { ...pss, heapUsed: heap.used, heapTotal: heap.total, appWasm, workerWasm: Math.max(0, ...workers.map((b) => b || 0)) };
}

// ---------------------------------------------------------------------------------------------
// The profile.

/** Prints the 25 functions with the most self time in a DevTools CPU profile, and their share. */
function printSelfTime(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  for (const [id, n] of counts) {
    const { functionName, url } = byId.get(id).callFrame;
    if (functionName === "(idle)" || functionName === "(program)") continue;
    const key = `${functionName || "(anonymous)"} ${url.split("/").pop()}`;
    self.set(key, (self.get(key) ?? 0) + n);
    total += n;
  }
  console.log(`profile: ${total} busy samples; self time by function:`);
  for (const [key, n] of [...self].sort((a, b) => b[1] - a[1]).slice(0, 25)) {
    console.log(`  ${((100 * n) / total).toFixed(1).padStart(5)}%  ${key}`);
  }
}

// ---------------------------------------------------------------------------------------------
// The run.

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (n) => `${n.toFixed(0)} ms`;
const mb = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;

const folder = await captureFolder();
let site;
try {
  const generated = Date.now();
  const capture = process.env.CAPTURE
    ? { path: resolve(process.env.CAPTURE), packets: 0, bytes: (await stat(process.env.CAPTURE)).size }
    : await writeCapture(join(folder.dir, `destinations-${count}.pcap`), destinations(count));
  console.log(`dist: ${resolve(DIST)}`);
  console.log(`capture: ${count.toLocaleString("en-US")} destinations, ${capture.packets.toLocaleString("en-US")} packets, ` +
    `${mb(capture.bytes)} (written in ${Date.now() - generated} ms)`);

  site = await openSite();
  const { page, context } = site;
  const cdp = await context.newCDPSession(page);
  await cdp.send("Performance.enable");
  // The worker has its IP table by the time a person has picked a file.
  await page.locator("footer").getByText(TABLE_READY).waitFor({ timeout: 120_000 });
  const homeSelect = page.getByLabel("Home country", { exact: true });
  const startHome = await homeSelect.evaluate((s) => s.selectedOptions[0]?.textContent.trim());
  await settle(1000);
  const idle = await memory(cdp, page);

  // (a) Choosing the file to the first render of the report.
  await page.evaluate(arm, { condition: "report", args: {}, quietMs: 1000 });
  await chooseFile(page, capture.path);
  const first = await page.evaluate(() => window.__bench);
  const shown = await rowCount(page);
  // The page's own "analysed in 4.3 s" (choosing the file to the worker's report in hand).
  const facts = (await page.getByText(/^analysed in /).last().innerText().catch(() => "")).replace(/\s+/g, " ");
  const analysedMs = /^analysed in (\d+(?:\.\d+)?) s$/.test(facts) ? Number(facts.split(" ")[2]) * 1000 : NaN;
  console.log(`page shows: ${shown}; ${await headlineText(page)}`);
  if (!process.env.CAPTURE && !shown.startsWith(count.toLocaleString("en-US"))) console.log(`WARNING: expected ${count} destinations`);
  const afterReport = await memory(cdp, page);

  // (b) Re-rendering after the home country changes.
  const changeRuns = [];
  if (process.env.PROFILE) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 100 });
    await cdp.send("Profiler.start");
  }
  const names = COUNTRIES.filter((name) => !startHome?.endsWith(` ${name}`) && startHome !== name);
  for (let i = 0; i < changes; i++) {
    const name = names[i % names.length];
    const value = await homeSelect.evaluate((select, name) => {
      const option = [...select.options].find((o) => o.textContent.trim() === name || o.textContent.trim().endsWith(` ${name}`));
      return option?.value ?? null;
    }, name);
    if (value === null) throw new Error(`no "${name}" in the home-country control`);
    const before = await headlineText(page);
    await page.evaluate(arm, { condition: "headline", args: { before, name }, quietMs: 500 });
    await homeSelect.selectOption(value);
    const run = await page.evaluate(() => window.__bench);
    const after = await headlineText(page);
    changeRuns.push({ name, dom: run.dom - run.action, frame: run.frame - run.action, settled: run.lastMutation - run.action });
    console.log(`home → ${name.padEnd(14)} dom ${ms(run.dom - run.action).padStart(8)}  frame ${ms(run.frame - run.action).padStart(8)}` +
      `  settled ${ms(run.lastMutation - run.action).padStart(8)}: ${after}`);
  }
  if (process.env.PROFILE) {
    const { profile } = await cdp.send("Profiler.stop");
    await writeFile(process.env.PROFILE, JSON.stringify(profile));
    printSelfTime(profile);
  }
  const afterChanges = await memory(cdp, page);

  // (d) The table's interactions.
  const interactions = [];
  for (const kind of ["sort", "filter", "flagged", "scroll", "flows"]) {
    const runs = [];
    for (let step = 0; step < changes; step++) {
      runs.push(await page.evaluate(interact, { kind, step }));
      if (kind === "flows") await page.locator(".flows-view").getByRole("button", { name: "Close" }).click();
      await settle(300);
    }
    // Leave the table as it was: no text filter, no "flagged only".
    if (kind === "filter" && changes % 2) await page.evaluate(interact, { kind, step: 0 });
    if (kind === "flagged" && changes % 2) await page.evaluate(interact, { kind, step: 0 });
    interactions.push([kind, median(runs.map((r) => r.dom)), median(runs.map((r) => r.frame)), Math.max(...runs.map((r) => r.frame))]);
  }

  const rows = [
    ["(a) choose file → headline + table in DOM", ms(first.dom - first.action)],
    ["    → frame after it painted", ms(first.frame - first.action)],
    ["    → last DOM change before 1 s quiet", ms(first.lastMutation - first.action)],
    ["    of which after the page's own \"analysed in\" (≈ render)", ms(first.dom - first.action - analysedMs)],
    [`(b) home change → headline, median of ${changes}`, ms(median(changeRuns.map((r) => r.dom)))],
    ["    → frame after it painted, median", ms(median(changeRuns.map((r) => r.frame)))],
    ["    → last DOM change before 0.5 s quiet, median", ms(median(changeRuns.map((r) => r.settled)))],
    ["    min / max (headline)", `${ms(Math.min(...changeRuns.map((r) => r.dom)))} / ${ms(Math.max(...changeRuns.map((r) => r.dom)))}`],
    ...interactions.map(([kind, dom, frame, max]) => [`(d) ${kind}: result in DOM / frame, median (max frame)`, `${ms(dom)} / ${ms(frame)} (${ms(max)})`]),
    [`(c) browser PSS, idle page (${idle.processes} processes)`, mb(idle.kb * 1024)],
    [`    browser PSS, report shown (${afterReport.processes} processes)`, mb(afterReport.kb * 1024)],
    ["    report shown minus idle", mb((afterReport.kb - idle.kb) * 1024)],
    ["      of which renderer (page and worker)", mb((afterReport.rendererKb - idle.rendererKb) * 1024)],
    ["    after the country changes minus idle", mb((afterChanges.kb - idle.kb) * 1024)],
    ["    page JS heap used: idle / report / after changes",
      `${mb(idle.heapUsed)} / ${mb(afterReport.heapUsed)} / ${mb(afterChanges.heapUsed)}`],
    ["    page JS heap total: idle / report / after changes",
      `${mb(idle.heapTotal)} / ${mb(afterReport.heapTotal)} / ${mb(afterChanges.heapTotal)}`],
    ["    page wasm memory: idle / report / after changes",
      `${mb(idle.appWasm)} / ${mb(afterReport.appWasm)} / ${mb(afterChanges.appWasm)}`],
    ["    worker wasm memory (its peak) after the report", mb(afterReport.workerWasm)],
  ];
  console.log(`\n${count.toLocaleString("en-US")} destinations${facts ? ` (page: ${facts})` : ""}`);
  for (const [label, value] of rows) console.log(`${label.padEnd(56)} ${value.padStart(24)}`);
  if (site.problems.length) console.log(`page problems: ${site.problems.join("; ")}`);
} finally {
  await site?.close();
  await folder.remove();
}
