// Writes the site's service worker (www/service_worker.js) into a built site, with the list
// of that build's files and their SHA-256 in place of its `const SITE = null;` line. Run by
// trunk after each build (a post_build hook in Trunk.toml, on the staging folder it names in
// TRUNK_STAGING_DIR), or by hand on a built folder:
//
//   node www/service_worker_build.mjs [DIR] [--debug]
//
// Every file is listed except the service worker itself, the IP table (the worker keeps it,
// decoded, in Cache Storage) and the demo capture, which is listed as `lazy`: kept only once
// the page asks for it, so a first visit downloads nothing it did not download before. The
// version is a hash of the list, so it changes with any file. A debug build (trunk's
// TRUNK_PROFILE) gets SITE = null: the service worker then keeps nothing, so a page under
// `trunk serve` always shows the latest build.
import { createHash } from "node:crypto";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

const SERVICE_WORKER = "service_worker.js";
const LEFT_OUT = new Set([SERVICE_WORKER, "geo/table.packed.br"]);
const LAZY = new Set(["demo.pcap"]);
const PLACEHOLDER = "const SITE = null;";

const args = process.argv.slice(2);
const dir = args.find((a) => !a.startsWith("--")) ?? process.env.TRUNK_STAGING_DIR;
const debug = args.includes("--debug") || process.env.TRUNK_PROFILE === "debug";
if (!dir) {
  console.error("service_worker_build: no folder given and TRUNK_STAGING_DIR unset");
  process.exit(2);
}

const sha256 = (bytes) => `sha256-${createHash("sha256").update(bytes).digest("base64")}`;
const files = {};
const lazy = {};
for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) =>
  join(a.parentPath, a.name) < join(b.parentPath, b.name) ? -1 : 1,
)) {
  if (!entry.isFile()) continue;
  const name = relative(dir, join(entry.parentPath, entry.name)).split(sep).join("/");
  if (name.split("/").some((part) => part.startsWith(".")) || LEFT_OUT.has(name)) continue;
  (LAZY.has(name) ? lazy : files)[name] = sha256(await readFile(join(dir, name)));
}
if (!("index.html" in files)) {
  console.error(`service_worker_build: no index.html in ${dir}`);
  process.exit(1);
}
const version = createHash("sha256").update(JSON.stringify({ files, lazy })).digest("hex").slice(0, 16);
const site = debug ? "null" : JSON.stringify({ version, files, lazy });

const template = await readFile(join(dirname(fileURLToPath(import.meta.url)), SERVICE_WORKER), "utf8");
if (!template.includes(PLACEHOLDER)) {
  console.error(`service_worker_build: www/${SERVICE_WORKER} lacks the line "${PLACEHOLDER}"`);
  process.exit(1);
}
await writeFile(join(dir, SERVICE_WORKER), template.replace(PLACEHOLDER, `const SITE = ${site};`));
console.log(`service_worker_build: ${debug ? "debug build, nothing kept" : `version ${version}, ${Object.keys(files).length} files`}`);
