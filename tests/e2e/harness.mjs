// Shared set-up of the browser tests: the built site on a local server under a sub-path,
// headless Chromium (the system's /usr/bin/chromium, driven by playwright-core) with a fresh
// profile, and a log of every request and WebSocket the page opens.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { chromium } from "playwright-core";
import { captureFolder, expectedReport, generate } from "./captures.mjs";
import { startServer } from "./serve.mjs";

export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
export const DIST = process.env.DIST ?? "dist";
export const RESULTS = "test-results";

const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Starts the server and a browser. Returns { server, context, page, requests, sockets, close }.
 * `beforeLoad(context)` runs before the page is opened (e.g. to route requests or grant
 * permissions); `acceptDownloads` lets a test read the files the page offers for download;
 * `url` opens another address than this server's page (e.g. a share link) first; a function
 * is given the server and returns the address.
 * `requests` collects every request of the context (page, worker, preloads, the service worker's
 * own, marked `byServiceWorker`) with its POST body.
 * `serviceWorkers: "block"` keeps the site's service worker from registering: a test that
 * routes requests needs it, since Playwright's routing does not see the requests a service
 * worker answers. Each site opens in a fresh profile, so no test meets another's kept site.
 * `missing` lists the site's files the server answers 404 for (routing does not see the
 * requests of a worker's own workers either); `server.log` has every request it received.
 */
export async function openSite({
  viewport = { width: 1280, height: 900 },
  colorScheme = "light",
  acceptDownloads = false,
  beforeLoad,
  url,
  serviceWorkers = "allow",
  missing = [],
} = {}) {
  const server = await startServer({ dir: DIST, missing });
  const profile = await mkdtemp(join(tmpdir(), "phonehome-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
    colorScheme,
    locale: "en-US",
    timezoneId: "UTC",
    acceptDownloads,
    serviceWorkers,
  });
  const requests = [];
  const sockets = [];
  context.on("request", (request) => {
    requests.push({
      url: request.url(),
      method: request.method(),
      body: request.postDataBuffer(),
      byServiceWorker: request.serviceWorker() !== null,
    });
  });
  const problems = [];
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("websocket", (socket) => sockets.push(socket.url()));
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
  });
  if (beforeLoad) await beforeLoad(context);
  await page.goto(typeof url === "function" ? url(server) : (url ?? server.url));
  // The app renders its masthead once the wasm runs.
  await page.getByRole("heading", { name: "phonehome", level: 1 }).waitFor();
  return {
    server,
    context,
    page,
    requests,
    sockets,
    problems,
    async close() {
      await context.close();
      await server.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The set-up most suites share, as hooks of the enclosing `describe`: a generated home
 * capture (`name`, `megabytes`, `seed`) in a temporary folder, the report the command-line
 * tool makes of it with home country `home`, and the site open in a fresh browser with
 * `open` (openSite's options, or a function of the fixture giving them, e.g. to route
 * requests). Returns the fixture the hooks fill: `{ site, capture, expected, folder }`.
 * The browser and the folder are removed after the suite.
 */
export function useSite({ name = "home.pcap", megabytes = 1, seed, home = "US", open = {} } = {}) {
  const fixture = {};
  before(async () => {
    fixture.folder = await captureFolder();
    fixture.capture = generate(fixture.folder.dir, name, megabytes, seed);
    fixture.expected = expectedReport(fixture.capture, home);
    fixture.site = await openSite(typeof open === "function" ? await open(fixture) : open);
  });
  after(async () => {
    await fixture.site?.close();
    await fixture.folder?.remove();
  });
  return fixture;
}

/** Waits until the report's headline is shown and returns its text. */
export async function headline(page) {
  const sentence = page.locator("#headline-sentence");
  await sentence.waitFor();
  return sentence.innerText();
}

/**
 * Drops a file on the page the way a user's drag and drop does: a real `drop` event whose
 * DataTransfer holds a File built in the page from the file's bytes.
 */
export async function dropFile(page, path, name) {
  const { readFile } = await import("node:fs/promises");
  const base64 = (await readFile(path)).toString("base64");
  await page.evaluate(
    ({ base64, name }) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], name));
      const init = { dataTransfer: transfer, bubbles: true, cancelable: true };
      document.body.dispatchEvent(new DragEvent("dragenter", init));
      document.body.dispatchEvent(new DragEvent("dragover", init));
      document.body.dispatchEvent(new DragEvent("drop", init));
    },
    { base64, name },
  );
}

/** Picks a file through the page's file input, as the "Choose a capture file" button does. */
export async function chooseFile(page, path) {
  await page.locator("#capture-file").setInputFiles(path);
}

/** The headline the page should show for a report (the same words as src/bin/app/summary.rs). */
export function expectedHeadline(report, homeName) {
  const count = (n, one, many) => `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
  const internet = report.destinations.filter((d) => d.scope === "public").length;
  const foreign = report.destinations.filter((d) => d.foreign).length;
  const talked = `${count(report.devices.length, "device", "devices")} talked to ${count(internet, "destination", "destinations")} on the Internet`;
  const outside = foreign === 0 ? "none is" : `${foreign} ${foreign === 1 ? "is" : "are"}`;
  return `${talked}; ${outside} outside ${homeName}.`;
}

/** How the page names a device: its name, else its MAC, else its first IP. */
export function deviceLabel(device) {
  return device.name ?? device.mac ?? device.ips[0] ?? device.id;
}

/** Saves a full-page screenshot to test-results/<name>.png. */
export async function screenshot(page, name) {
  const { mkdir } = await import("node:fs/promises");
  await mkdir(RESULTS, { recursive: true });
  await page.screenshot({ path: join(RESULTS, `${name}.png`), fullPage: true });
}
