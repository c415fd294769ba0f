// Share links and exports in a real browser: the share dialog (keyboard, preview, copy), a
// link opened in a fresh browser showing the same report, local identity hidden by default
// and present only when kept, damaged links refused with one message and no report, a report
// too large for a link, exported files equal to the command-line tool's output, and no
// request anywhere while sharing.
import assert from "node:assert/strict";
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { captureFolder, cli, generate, manyDestinations } from "./captures.mjs";
import { chooseFile, headline, openSite, RESULTS, screenshot } from "./harness.mjs";

const DAMAGED = "This link is damaged or was made by a newer version of phonehome";
// Tall enough that the destinations table renders every row of the generated home.
const TALL = { width: 1280, height: 2400 };

/** RFC 4180: fields separated by commas, quoted fields with doubled quotes, CRLF or LF rows. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"' && field === "") {
      quoted = true;
    } else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else {
      field += c;
    }
  }
  assert.ok(!quoted, "every quoted field is closed");
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** The bytes inside a share fragment (`r=` + base64url), and back. */
const bytesOf = (fragment) => Buffer.from(fragment.slice(2), "base64url");
const fragmentOf = (bytes) => `r=${Buffer.from(bytes).toString("base64url")}`;

/** Unsigned LEB128, as postcard writes lengths and integers. */
function varint(n) {
  const out = [];
  let v = BigInt(n);
  do {
    let byte = Number(v & 0x7fn);
    v >>= 7n;
    if (v > 0n) byte |= 0x80;
    out.push(byte);
  } while (v > 0n);
  return out;
}

/** A version-1 payload by hand: an empty capture, no devices, then `destinations` raw. */
function payload(destinationBytes) {
  const text = (s) => [...varint(s.length), ...Buffer.from(s)];
  // created, table_date None, home None, watch [], capture { format, packets, bytes,
  // first_ms None, duration_ms, diagnostics [] }, devices []
  const head = [0, 0, 0, 0, ...text("pcap"), 0, 0, 0, 0, 0, 0];
  return Buffer.from([...head, ...destinationBytes]);
}

const pack = (plain) => fragmentOf(Buffer.concat([Buffer.from([1]), deflateRawSync(plain)]));

/** Saves a screenshot of one element (e.g. the dialog) or of the visible part of a page. */
async function shot(target, name) {
  await mkdir(RESULTS, { recursive: true });
  await target.screenshot({ path: join(RESULTS, `${name}.png`) });
}

async function download(page, name) {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name }).click()]);
  return { name: file.suggestedFilename(), bytes: await readFile(await file.path()) };
}

/** The destination rows the page shows: address, first name, country code or scope. */
async function shownDestinations(page) {
  await page.locator("table.destination-table tr.row").first().waitFor();
  return page.locator("table.destination-table tr.row").evaluateAll((rows) =>
    rows.map((row) => ({
      ip: row.querySelector("td.col-ip").textContent,
      name: row.querySelector("td.col-name").textContent,
      where: row.querySelector("td.col-country .country")?.getAttribute("title") ?? row.querySelector("td.col-country").textContent,
    })),
  );
}

/** Opens `link` as the first page of a browser with a fresh profile. */
const openLink = (link) => openSite({ viewport: TALL, url: link });

describe("share links and exports", () => {
  let folder, capture, expected, expectedJson, sender, redactedLink, fullLink;
  const recipients = [];

  before(async () => {
    folder = await captureFolder();
    capture = generate(folder.dir, "share.pcap", 1, 7);
    expectedJson = cli(["analyze", capture, "--format", "json", "--home", "US", "--watch", "CN"]);
    expected = JSON.parse(expectedJson);
    sender = await openSite({
      viewport: TALL,
      acceptDownloads: true,
      beforeLoad: async (context) => {
        await context.grantPermissions(["clipboard-read", "clipboard-write"]);
        // Downloads and dialogs must live within the page's Content-Security-Policy.
        await context.addInitScript(() => {
          window.__violations = [];
          document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
      },
    });
    await sender.page.locator("#watch-add").selectOption("CN");
    await sender.page.getByRole("button", { name: "Stop watching China" }).waitFor();
    await chooseFile(sender.page, capture);
    await headline(sender.page);
  });

  after(async () => {
    for (const site of recipients) await site.close();
    await sender?.close();
    await folder?.remove();
  });

  /** Identity of the home's devices, as it must not leak: addresses, MACs and names. */
  function localIdentity() {
    const ips = expected.devices.flatMap((d) => d.ips);
    const macs = expected.devices.map((d) => d.mac).filter(Boolean);
    const names = expected.devices.map((d) => d.name).filter(Boolean);
    assert.ok(ips.some((ip) => ip.startsWith("192.168.")), "the home has IPv4 addresses");
    assert.ok(ips.some((ip) => ip.startsWith("2601:647:")), "and addresses from the ISP's IPv6 prefix");
    assert.ok(macs.length >= 5 && names.length >= 3, "and MACs and names");
    return { ips, macs, names, all: [...ips, ...macs, "192.168.", "2601:647:"] };
  }

  it("exports the JSON the command-line tool prints, and CSVs that match the report", async () => {
    const { page } = sender;
    const json = await download(page, "Download JSON");
    assert.equal(json.name, "phonehome-report.json");
    assert.ok(json.bytes.equals(expectedJson), "same bytes as phonehome analyze --format json --home US --watch CN");

    const destinations = await download(page, "Download destinations (CSV)");
    assert.equal(destinations.name, "phonehome-destinations.csv");
    const table = parseCsv(destinations.bytes.toString("utf8"));
    assert.equal(table[0][0], "ip");
    assert.ok(table.every((row) => row.length === table[0].length), "every row has every column");
    assert.deepEqual(table.slice(1).map((row) => row[0]).sort(), expected.destinations.map((d) => d.ip).sort());
    const column = (name) => table[0].indexOf(name);
    for (const row of table.slice(1)) {
      const d = expected.destinations.find((x) => x.ip === row[0]);
      assert.equal(row[column("bytes")], String(d.bytes), d.ip);
      assert.equal(row[column("country")], d.country ?? "", d.ip);
      assert.equal(row[column("names")], d.names.join(" "), d.ip);
    }

    const flows = await download(page, "Download flows (CSV)");
    assert.equal(flows.name, "phonehome-flows.csv");
    const flowRows = parseCsv(flows.bytes.toString("utf8"));
    assert.equal(flowRows[0].join(","), "proto,client_ip,client_port,server_ip,server_port,c2s_packets,c2s_bytes,s2c_packets,s2c_bytes,first_ts,last_ts,name,name_source");
    assert.equal(flowRows.length - 1, expected.flows.length);
  });

  it("opens an accessible share dialog that keeps focus and closes with Escape", async () => {
    const { page } = sender;
    const share = page.getByRole("button", { name: "Share report…" });
    await share.click();
    const dialog = page.getByRole("dialog", { name: "Share this report" });
    await dialog.waitFor();
    assert.equal(await page.locator("#share-hide-local").isChecked(), true, "local identity hidden by default");
    assert.equal(await page.locator("#share-keep-names").isChecked(), false, "names dropped by default");
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press(i % 5 === 4 ? "Shift+Tab" : "Tab");
      assert.ok(await page.evaluate(() => document.querySelector("dialog.share-dialog").contains(document.activeElement)), `focus stays in the dialog (step ${i})`);
    }
    await page.keyboard.press("Escape");
    await dialog.waitFor({ state: "detached" });
    assert.ok(await share.evaluate((button) => button === document.activeElement), "focus returns to the Share button");
  });

  it("previews exactly what the link holds, without local identity, and copies it", async () => {
    const { page } = sender;
    // The page's and its workers' requests (not the service worker's, keeping the site meanwhile).
    const asked = () => sender.requests.filter((r) => !r.byServiceWorker);
    const before = asked().length;
    await page.getByRole("button", { name: "Share report…" }).click();
    const dialog = page.getByRole("dialog", { name: "Share this report" });
    const preview = dialog.locator("#share-preview");
    await preview.waitFor();
    const text = await preview.innerText();
    assert.ok(text.includes("Device 1") && text.includes("Local address 1"), text);
    assert.ok(text.includes("United States") && text.includes("China"), "home country and watch list");
    for (const d of expected.destinations.filter((x) => x.scope === "public" && !localIdentity().ips.includes(x.ip))) {
      assert.ok(text.includes(d.ip), `${d.ip} is in the preview`);
      for (const name of d.names) assert.ok(text.includes(name), `${name} is in the preview`);
    }
    for (const secret of localIdentity().all.concat(localIdentity().names)) {
      assert.ok(!text.includes(secret), `${secret} is not in the preview`);
    }
    redactedLink = await page.locator("#share-link").inputValue();
    assert.ok(redactedLink.startsWith(`${sender.server.url}#r=`), redactedLink);
    const label = await dialog.locator(".share-link label").innerText();
    assert.equal(label, `The link (${redactedLink.length.toLocaleString("en-US")} characters)`);
    console.log(`share link of the generated home (${expected.destinations.length} destinations): ${redactedLink.length} characters`);

    await dialog.getByRole("button", { name: "Copy link" }).click();
    await dialog.getByText("Link copied to the clipboard.").waitFor();
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), redactedLink);
    assert.equal(await dialog.getByRole("button", { name: "Share…" }).count(), 0, "no share sheet on desktop Linux");
    await shot(dialog, "share-dialog");

    // Where the browser has a share sheet, the link can go there too (a stand-in records it).
    await page.evaluate(() => {
      Object.defineProperty(navigator, "share", { configurable: true, value: async (data) => (window.__shared = data) });
    });
    // Keeping names, then keeping everything: each change makes a new link and preview.
    await page.locator("#share-keep-names").check();
    await preview.getByText(localIdentity().names[0]).first().waitFor();
    await dialog.getByRole("button", { name: "Share…" }).click();
    assert.equal(await page.evaluate(() => window.__shared?.url), await page.locator("#share-link").inputValue());
    await page.evaluate(() => delete navigator.share);
    await page.locator("#share-hide-local").uncheck();
    assert.equal(await page.locator("#share-keep-names").isDisabled(), true, "names go with the addresses");
    await preview.getByText(localIdentity().macs[0]).first().waitFor();
    fullLink = await page.locator("#share-link").inputValue();
    assert.notEqual(fullLink, redactedLink);
    await dialog.getByRole("button", { name: "Done" }).click();
    await dialog.waitFor({ state: "detached" });

    // Making links and previews asked nothing of any server.
    assert.equal(asked().length, before, asked().slice(before).map((r) => r.url).join(", "));
  });

  it("opens the link in a fresh browser with the same report and no local identity", async () => {
    const site = await openLink(redactedLink);
    recipients.push(site);
    const { page } = site;
    await page.getByRole("heading", { name: /^Shared report, made \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/ }).waitFor();
    assert.equal(await headline(page), await sender.page.locator("#headline-sentence").innerText());
    assert.ok((await page.locator("#shared-banner").innerText()).includes("replaced by labels"));

    const identity = localIdentity();
    const shown = await shownDestinations(page);
    assert.equal(shown.length, expected.destinations.length);
    for (const d of expected.destinations) {
      if (d.scope !== "public" && d.scope !== "multicast" && d.scope !== "broadcast") continue;
      if (identity.ips.includes(d.ip)) continue;
      // Solicited-node multicast groups carry the low 24 bits of a device's address: hidden.
      if (/^ff02::1:ff/i.test(d.ip)) {
        assert.ok(!shown.some((r) => r.ip === d.ip), `${d.ip} is hidden`);
        continue;
      }
      const row = shown.find((r) => r.ip === d.ip);
      assert.ok(row, `${d.ip} is shown`);
      assert.equal(row.name, d.names[0] ?? "", d.ip);
      if (d.scope === "public" && d.country) assert.equal(row.where, d.country, d.ip);
    }
    assert.ok(shown.some((r) => /^Local address \d+$/.test(r.ip)), "local destinations have labels");
    // The router keeps its mark, though not its addresses.
    const routers = (p) => p.locator("article.device").filter({ hasText: "the router (gateway to the Internet)" }).count();
    assert.ok(expected.devices.some((d) => d.gateway), "the home has a router");
    assert.ok((await routers(sender.page)) >= 1, "the sender sees it");
    assert.equal(await routers(page), await routers(sender.page));
    // Each device card shows what that device itself exchanged, as the sender's cards do: the
    // link carries every device's traffic, so no card falls back to a shared total.
    const cards = (p) =>
      p.locator("article.device").evaluateAll((all) =>
        all.map((card) => [...card.querySelectorAll(".dest-traffic")].map((e) => e.textContent).sort()),
      );
    const senderCards = await cards(sender.page);
    assert.ok(senderCards.flat().length >= 20, "the home's cards list its destinations");
    assert.deepEqual(await cards(page), senderCards);
    assert.equal(await page.getByText(/with \d+ devices together/).count(), 0);

    const html = await page.content();
    for (const secret of identity.all.concat(identity.names)) {
      assert.ok(!html.includes(secret), `${secret} is not in the page`);
      assert.ok(!page.url().includes(secret), `${secret} is not in the address`);
    }
    // Read-only: no flows to show, no re-sharing; the files a shared report can give.
    assert.equal(await page.getByRole("button", { name: /^Show flows with/ }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Share report…" }).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Download flows (CSV)" }).count(), 0);
    await page.getByRole("button", { name: "Download JSON" }).waitFor();
    await screenshot(page, "shared-report");
    await shot(page, "shared-report-top");

    // Nothing but the site's own files was fetched, and the link went to no server.
    const origin = new URL(redactedLink).origin;
    assert.ok(site.requests.length > 0, "the page's files were requested");
    for (const request of site.requests) {
      assert.equal(new URL(request.url).origin, origin, request.url);
      assert.equal(request.method, "GET", request.url);
      assert.ok(!request.url.includes("r="), `the fragment is never sent: ${request.url}`);
    }
    assert.deepEqual(site.sockets, []);
    assert.deepEqual(site.problems, []);
  });

  it("shows local addresses, MACs and names when the sender kept them", async () => {
    const site = await openLink(fullLink);
    recipients.push(site);
    const { page } = site;
    await page.locator("#shared-banner").waitFor();
    const shown = await shownDestinations(page);
    for (const d of expected.destinations) assert.ok(shown.some((r) => r.ip === d.ip), `${d.ip} is shown`);
    const html = await page.content();
    const identity = localIdentity();
    for (const kept of [...identity.macs, ...identity.names, ...identity.ips]) {
      assert.ok(html.includes(kept), `${kept} is in the page`);
    }
  });

  it("returns from a shared report to the drop zone, and Back returns to it", async () => {
    const { page } = recipients[0];
    await page.getByRole("button", { name: "Analyse your own capture" }).click();
    await page.getByRole("heading", { name: "Analyse a capture" }).waitFor();
    assert.equal(new URL(page.url()).hash, "");
    assert.equal(await page.locator("#report").count(), 0);
    assert.ok(await page.locator("#choose-capture").evaluate((b) => b === document.activeElement));
    // The link's countries were not remembered as the user's own.
    assert.equal(await page.evaluate(() => localStorage.getItem("phonehome.watch")), null);

    // Back returns to the shared report, Forward to the drop zone again.
    await page.goBack();
    await page.getByRole("heading", { name: /^Shared report, made / }).waitFor();
    assert.match(new URL(page.url()).hash, /^#r=/);
    await page.locator("#report").waitFor();
    await page.goForward();
    await page.getByRole("heading", { name: "Analyse a capture" }).waitFor();
    assert.equal(new URL(page.url()).hash, "");
    assert.equal(await page.locator("#report").count(), 0);
    assert.equal(await page.evaluate(() => localStorage.getItem("phonehome.watch")), null);
  });

  it("refuses damaged links with one message and no report", async () => {
    const site = recipients[0];
    const { page } = site;
    const good = new URL(redactedLink).hash.slice(1);
    const bytes = bytesOf(good);
    const plain = inflateRawSync(bytes.subarray(1));
    const name = expected.destinations.flatMap((d) => d.names).find((n) => n.length >= 12);
    const at = plain.indexOf(Buffer.from(name));
    assert.ok(at > 0, `${name} is in the payload`);
    const markup = `<b>${"x".repeat(name.length - 7)}</b>`;
    const withMarkup = Buffer.concat([plain.subarray(0, at), Buffer.from(markup), plain.subarray(at + name.length)]);
    // A destination as postcard writes it: V4 address, no names or devices, zero counters,
    // no services, no heartbeat.
    const tiny = [0, 20, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    const cases = {
      "bad base64": `r=${good.slice(2, 30)}*!%3Cscript%3E${good.slice(30)}`,
      // Links are version 5 (versions 1 to 4 still open): 6 is a version this page does not read.
      "wrong version": fragmentOf(Buffer.concat([Buffer.from([6]), bytes.subarray(1)])),
      truncated: fragmentOf(bytes.subarray(0, Math.floor(bytes.length / 2))),
      "bad compression": fragmentOf(Buffer.from([1, 0xff, 0xfe, 0xfd, 0x00, 0x11, 0x22])),
      "markup in a name": pack(withMarkup),
      "absurd count": pack(payload([...varint(2 ** 32 - 1), ...tiny])),
      "too many destinations": pack(payload([...varint(200_000), ...Array(200_000).fill(tiny).flat(), 0, 0, 0])),
      "decompression bomb": pack(Buffer.alloc(8 << 20)),
      empty: "r=",
    };
    for (const [what, fragment] of Object.entries(cases)) {
      await page.goto("about:blank");
      await page.goto(`${site.server.url}#${fragment}`);
      const alert = page.locator("#link-error");
      await alert.waitFor();
      const message = await alert.locator(".error-reason").innerText();
      assert.ok(message.startsWith(DAMAGED), `${what}: ${message}`);
      assert.equal(await page.locator("#report, #shared-banner").count(), 0, `${what}: no report`);
      assert.equal(await page.locator("main b, main script, main img").count(), 0, `${what}: no markup`);
    }
    await shot(page, "damaged-link");

    // A damaged link pasted over a shared report replaces it: nothing partial stays.
    await page.goto(redactedLink);
    await page.locator("#shared-banner").waitFor();
    await page.evaluate((hash) => (location.hash = hash), cases.truncated);
    await page.locator("#link-error").waitFor();
    assert.equal(await page.locator("#report").count(), 0);
    assert.deepEqual(site.problems, []);
  });

  it("offers the top destinations or the JSON when a report is too large for a link", async () => {
    const { page } = sender;
    const many = await manyDestinations(folder.dir, "many.pcap", 5000);
    await chooseFile(page, many);
    await page.locator(".capture-facts").getByText("many.pcap").waitFor();
    await page.getByRole("button", { name: "Share report…" }).click();
    const dialog = page.getByRole("dialog", { name: "Share this report" });
    const tooLarge = dialog.locator("#share-too-large");
    await tooLarge.waitFor();
    const said = await tooLarge.innerText();
    assert.match(said, /With all 5,000 destinations the link would be [\d,]+ characters long; links over 32,768 characters/);
    const chars = Number(said.match(/would be ([\d,]+) characters/)[1].replaceAll(",", ""));
    assert.ok(chars > 32 * 1024, `${chars}`);
    console.log(`share link for 5,000 destinations: ${chars} characters (too large)`);
    await shot(dialog, "share-too-large");

    const json = await download(page, "Download the JSON instead");
    assert.equal(json.name, "phonehome-report.json");
    assert.equal(JSON.parse(json.bytes).destinations.length, 5000);

    await dialog.getByRole("button", { name: "Share the top 50 destinations only" }).click();
    await dialog.getByText("Only the top 50 of 5,000 destinations").waitFor();
    assert.ok(await page.locator("#share-link").evaluate((field) => field === document.activeElement), "the new link has the focus");
    await dialog.locator("#share-preview").getByText("Destinations: 50 of 5,000").waitFor();
    const top = await page.locator("#share-link").inputValue();
    console.log(`share link for the top 50 of 5,000 destinations: ${top.length} characters`);
    await dialog.getByRole("button", { name: "Done" }).click();

    const site = recipients[1];
    await site.page.goto("about:blank");
    await site.page.goto(top);
    await site.page.locator("#shared-banner").getByText("Only the top 50 of 5,000 destinations").waitFor();
    await site.page.locator(".destinations .row-count").getByText("50 destinations").waitFor();
  });

  it("reports no page errors and breaks none of its policy", async () => {
    assert.deepEqual(sender.problems, []);
    assert.deepEqual(await sender.page.evaluate(() => window.__violations), []);
  });
});
