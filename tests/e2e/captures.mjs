// Test captures for the browser tests, made by the repository's own generator
// (examples/make_capture.rs) in a temporary folder, with the expected report from the
// command-line tool (same core, same embedded IP table) to compare the page against.
import { execFileSync } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const TARGET = resolve(process.env.CARGO_TARGET_DIR ?? "target", "release");
const CLI = join(TARGET, "phonehome");
const MAKE_CAPTURE = join(TARGET, "examples", "make_capture");

let built = false;
/** Builds the CLI and the generator (a no-op when `cargo test --release` already did). */
function build() {
  if (!built) {
    execFileSync("cargo", ["build", "--release", "--quiet", "--bin", "phonehome", "--example", "make_capture"], {
      stdio: "inherit",
    });
    built = true;
  }
}

/** A folder for this test file's captures; `remove()` deletes it. */
export async function captureFolder() {
  const dir = await mkdtemp(join(tmpdir(), "phonehome-e2e-"));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a generated home-network capture of about `megabytes` MB and returns its path. */
export function generate(dir, name, megabytes, seed = 7) {
  build();
  const path = join(dir, name);
  execFileSync(MAKE_CAPTURE, [path, String(megabytes), String(seed)], { stdio: "ignore" });
  return path;
}

/** Writes the first `bytes` bytes of `source` to `name`: a capture cut off mid-record. */
export async function truncate(dir, source, name, bytes) {
  const path = join(dir, name);
  await writeFile(path, (await readFile(source)).subarray(0, bytes));
  return path;
}

/** What the command-line tool prints for these arguments, as bytes. */
export function cli(args) {
  build();
  return execFileSync(CLI, args, { maxBuffer: 1 << 30 });
}

/** The report the command-line tool makes of a capture, for the given home country. */
export function expectedReport(path, home = "US") {
  build();
  return JSON.parse(execFileSync(CLI, ["analyze", path, "--home", home, "--format", "json"], { maxBuffer: 1 << 30 }));
}

/**
 * Writes a pcap (microseconds, Ethernet) in which one device (192.168.1.50) sends one UDP
 * datagram to port 9999 per frame: `{ destination (IPv4 address as a number), payload (bytes
 * of data), micros (time after 1,717,200,000 s, in microseconds), port (the source port) }`.
 */
async function writeDatagrams(dir, name, frames) {
  const size = frames.reduce((sum, f) => sum + 16 + 14 + 20 + 8 + f.payload, 24);
  const file = Buffer.alloc(size);
  file.writeUInt32LE(0xa1b2c3d4, 0); // pcap, microseconds
  file.writeUInt16LE(2, 4);
  file.writeUInt16LE(4, 6);
  file.writeUInt32LE(65535, 16); // snapshot length
  file.writeUInt32LE(1, 20); // Ethernet
  let at = 24;
  for (const { destination, payload, micros, port } of frames) {
    const frameLength = 14 + 20 + 8 + payload;
    file.writeUInt32LE(1_717_200_000 + Math.floor(micros / 1_000_000), at);
    file.writeUInt32LE(micros % 1_000_000, at + 4);
    file.writeUInt32LE(frameLength, at + 8);
    file.writeUInt32LE(frameLength, at + 12);
    at += 16;
    Buffer.from([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00]).copy(file, at);
    const ip = at + 14;
    file.writeUInt8(0x45, ip);
    file.writeUInt16BE(20 + 8 + payload, ip + 2);
    file.writeUInt8(64, ip + 8); // TTL
    file.writeUInt8(17, ip + 9); // UDP
    file.writeUInt32BE(0xc0a80132, ip + 12); // 192.168.1.50
    file.writeUInt32BE(destination, ip + 16);
    let sum = 0;
    for (let k = 0; k < 20; k += 2) sum += file.readUInt16BE(ip + k);
    while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
    file.writeUInt16BE(~sum & 0xffff, ip + 10);
    file.writeUInt16BE(port, ip + 20); // UDP source port
    file.writeUInt16BE(9999, ip + 22);
    file.writeUInt16BE(8 + payload, ip + 24);
    at += frameLength;
  }
  const path = join(dir, name);
  await writeFile(path, file);
  return path;
}

/**
 * Writes a pcap in which one device sends one UDP datagram (400 bytes of data) to each of `count` distinct
 * public addresses (20.0.0.0 upwards), a hundred a second, for the large-table test. The
 * repository's generator models a home, which never has tens of thousands of destinations.
 */
export function manyDestinations(dir, name, count) {
  // Each datagram carries 400 bytes of data: tiny datagrams to thousands of addresses never
  // looked up would be a scan, which the report summarises instead of listing.
  const frames = Array.from({ length: count }, (_, i) => ({
    destination: 0x14000000 + i * 257 + 1, // 20.0.0.1, 20.0.1.2, ...
    payload: 400,
    micros: Math.floor(i / 100) * 1_000_000 + (i % 100) * 10_000,
    port: 40_000 + (i % 20_000),
  }));
  return writeDatagrams(dir, name, frames);
}

/**
 * Writes a pcap in which one device (192.168.1.50) sends UDP datagrams to the given public
 * addresses: `[{ ip: "a.b.c.d", datagrams, payload }]`, each datagram `payload` bytes of data,
 * one a second. For tests that need traffic to chosen countries (the world map).
 */
export function datagramsTo(dir, name, destinations) {
  const frames = destinations
    .flatMap(({ ip, datagrams, payload }) => Array.from({ length: datagrams }, () => ({ ip, payload })))
    .map(({ ip, payload }, i) => ({
      destination: ip.split(".").reduce((n, octet) => n * 256 + Number(octet), 0),
      payload,
      micros: i * 1_000_000,
      port: 40_000,
    }));
  return writeDatagrams(dir, name, frames);
}
