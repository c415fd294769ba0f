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

/** The report the command-line tool makes of a capture, for the given home country. */
export function expectedReport(path, home = "US") {
  build();
  return JSON.parse(execFileSync(CLI, ["analyze", path, "--home", home, "--format", "json"], { maxBuffer: 1 << 30 }));
}
