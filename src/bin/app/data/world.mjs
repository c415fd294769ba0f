// Writes world.txt, the world map's shapes (see world.sh, which fetches the pinned packages
// and runs this): node world.mjs WORLD_ATLAS_DIR CODES_JSON > world.txt
//
// Countries of world-atlas's countries-110m.json (Natural Earth 1:110m admin 0, public domain)
// are projected with the Natural Earth projection onto a 1000-unit-wide plane, rounded to
// whole units, and written as SVG path data (one absolute move per ring, then relative lines).
// ISO 3166 numeric ids become alpha-2 codes through i18n-iso-countries' codes.json; the three
// 110m shapes without an id are named by hand below. A country whose 110m shape is missing or
// too small to see or click also gets a marker point: the centre of the largest ring of its
// 1:10m shape (the same source, finer). Antarctica is left out: no traffic lands there, and it
// would take a fifth of the map's height.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const [atlasDir, codesPath] = process.argv.slice(2);
const WIDTH = 1000;
// Below this area (in square units of the 1000-unit-wide map, about square pixels on a
// desktop screen) a shape gets a marker: Luxembourg, Qatar, Brunei and smaller.
const MARKER_AREA = 25;
// 110m shapes with no ISO id: the parts of the countries the IP data can name.
const BY_NAME = { Kosovo: "XK", "N. Cyprus": "CY", Somaliland: "SO" };
const LEFT_OUT = new Set(["AQ"]);

const alpha2 = new Map(JSON.parse(readFileSync(codesPath, "utf8")).map(([a2, , num]) => [num, a2]));
const codeOf = (g) => (g.id !== undefined ? alpha2.get(g.id) : BY_NAME[g.properties.name]);

// Natural Earth I (Šavrič, Patterson, Jenny, 2011), as d3-geo's geoNaturalEarth1Raw.
function project([lon, lat]) {
  const l = (lon * Math.PI) / 180, p = (lat * Math.PI) / 180;
  const p2 = p * p, p4 = p2 * p2;
  return [
    l * (0.8707 - 0.131979 * p2 + p4 * (-0.013791 + p4 * (0.003971 * p2 - 0.001529 * p4))),
    p * (1.007226 + p2 * (0.015085 + p4 * (-0.044475 + 0.028874 * p2 - 0.005916 * p4))),
  ];
}
const HALF = project([180, 0])[0];
const SCALE = WIDTH / (2 * HALF);
const TOP = project([0, 84])[1]; // north of Greenland's and Svalbard's coasts
const plane = (point) => {
  const [x, y] = project(point);
  return [(x + HALF) * SCALE, (TOP - y) * SCALE];
};

/** Each geometry's polygons as rings of [lon, lat], from a TopoJSON topology. */
function decode(topology) {
  const { scale, translate } = topology.transform;
  const arcs = topology.arcs.map((arc) => {
    let x = 0, y = 0;
    return arc.map(([dx, dy]) => [(x += dx) * scale[0] + translate[0], (y += dy) * scale[1] + translate[1]]);
  });
  const ring = (indexes) => {
    const points = [];
    for (const i of indexes) {
      const arc = i < 0 ? arcs[~i].slice().reverse() : arcs[i];
      points.push(...(points.length ? arc.slice(1) : arc));
    }
    return points;
  };
  return topology.objects.countries.geometries.map((g) => {
    const polygons = g.type === "Polygon" ? [g.arcs] : g.type === "MultiPolygon" ? g.arcs : [];
    return { code: codeOf(g), name: g.properties.name, polygons: polygons.map((p) => p.map(ring)).flatMap(cut) };
  });
}

/**
 * A polygon that crosses the antimeridian (world-atlas stitches Russia's, Fiji's and
 * Kiribati's shapes across it, for drawing on a globe) as polygons on either side of it:
 * drawn flat, it would otherwise streak across the whole map. Their holes are dropped (none
 * of them has one).
 */
function cut(polygon) {
  const outer = polygon[0];
  const unwrapped = [outer[0]];
  let crossed = false;
  for (const [lon, lat] of outer.slice(1)) {
    const previous = unwrapped[unwrapped.length - 1][0];
    const shift = Math.round((previous - lon) / 360) * 360;
    crossed ||= shift !== 0;
    unwrapped.push([lon + shift, lat]);
  }
  if (!crossed) return [polygon];
  return [
    [-540, -180, 360],
    [-180, 180, 0],
    [180, 540, -360],
  ]
    .map(([low, high, shift]) => clip(clip(unwrapped, low, 1), high, -1).map(([lon, lat]) => [lon + shift, lat]))
    .filter((part) => part.length >= 4)
    .map((part) => [part]);
}

/** Sutherland-Hodgman: the part of a closed ring on one side of the meridian `at` (side 1: east). */
function clip(ring, at, side) {
  const inside = ([lon]) => (lon - at) * side >= 0;
  const out = [];
  for (let i = 0; i + 1 < ring.length; i++) {
    const [a, b] = [ring[i], ring[i + 1]];
    if (inside(a)) out.push(a);
    if (inside(a) !== inside(b)) out.push([at, a[1] + ((b[1] - a[1]) * (at - a[0])) / (b[0] - a[0])]);
  }
  if (out.length) out.push(out[0]);
  return out;
}

const area = (ring) => {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[(i + 1) % ring.length];
    sum += x0 * y1 - x1 * y0;
  }
  return sum / 2;
};
const centroid = (ring) => {
  const a = area(ring);
  if (Math.abs(a) < 1e-9) return ring[0];
  let cx = 0, cy = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x0, y0] = ring[i], [x1, y1] = ring[(i + 1) % ring.length];
    const f = x0 * y1 - x1 * y0;
    cx += (x0 + x1) * f;
    cy += (y0 + y1) * f;
  }
  return [cx / (6 * a), cy / (6 * a)];
};
const largestRing = (shapes) =>
  shapes.flatMap((s) => s.polygons.map((p) => p[0].map(plane))).reduce((a, b) => (Math.abs(area(b)) > Math.abs(area(a)) ? b : a));

/** A ring as whole units without repeated points, or null when fewer than three remain. */
function rounded(ring) {
  const out = [];
  for (const [x, y] of ring.slice(0, -1).map(plane)) {
    const point = [Math.round(x), Math.round(y)];
    const last = out[out.length - 1];
    if (!last || last[0] !== point[0] || last[1] !== point[1]) out.push(point);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out.length >= 3 && area(out) !== 0 ? out : null;
}

const numbers = (list) => list.map((n, i) => (i > 0 && n >= 0 ? " " : "") + n).join("");
const pathOf = (rings) =>
  rings
    .map((r) => {
      const deltas = [];
      for (let i = 1; i < r.length; i++) deltas.push(r[i][0] - r[i - 1][0], r[i][1] - r[i - 1][1]);
      return `M${numbers(r[0])}l${numbers(deltas)}z`;
    })
    .join("");

const coarse = decode(JSON.parse(readFileSync(join(atlasDir, "countries-110m.json"), "utf8")));
const fine = decode(JSON.parse(readFileSync(join(atlasDir, "countries-10m.json"), "utf8")));
const countries = new Map();
const entry = (code) => {
  if (!countries.has(code)) countries.set(code, { rings: [], drawnArea: 0, coarse: [], fine: [] });
  return countries.get(code);
};
for (const shape of coarse) {
  if (!shape.code) throw new Error(`no code for the 110m shape ${shape.name}`);
  if (LEFT_OUT.has(shape.code)) continue;
  const c = entry(shape.code);
  c.coarse.push(shape);
  for (const polygon of shape.polygons) {
    for (const ring of polygon) {
      const r = rounded(ring);
      if (r) {
        c.rings.push(r);
        c.drawnArea += area(r) * (ring === polygon[0] ? 1 : -1) * Math.sign(area(r)) ;
      }
    }
  }
}
for (const shape of fine) {
  if (!shape.code || LEFT_OUT.has(shape.code) || !shape.polygons.length) continue;
  entry(shape.code).fine.push(shape);
}

const lines = [];
for (const code of [...countries.keys()].sort()) {
  const c = countries.get(code);
  const marked = c.drawnArea < MARKER_AREA;
  // A marker sits where the country is; a label point for a drawn country is not needed.
  const at = marked ? centroid(largestRing(c.fine.length ? c.fine : c.coarse)).map(Math.round) : ["", ""];
  lines.push([code, marked ? "m" : "s", at[0], at[1], pathOf(c.rings)].join("\t"));
}
const bottom = Math.ceil(Math.max(...coarse.filter((s) => !LEFT_OUT.has(s.code)).flatMap((s) => s.polygons.flat(2).length ? s.polygons.flatMap((p) => p[0].map((q) => plane(q)[1])) : [])));
process.stdout.write(
  [
    "# The world map's countries (src/bin/app/world_map.rs reads this; world.sh regenerates it).",
    "# Shapes: Natural Earth 1:110m and 1:10m admin 0 countries (public domain), from the npm",
    "# package world-atlas 2.0.2 (TopoJSON by Mike Bostock; ISC licence: Copyright 2013-2019",
    "# Michael Bostock. Permission to use, copy, modify, and/or distribute this software for any",
    "# purpose with or without fee is hereby granted, provided that the above copyright notice and",
    "# this permission notice appear in all copies.) Country codes: i18n-iso-countries 7.14.0 (MIT).",
    "# Natural Earth projection, 1000 units wide. Columns: code, s (shape) or m (shape too small,",
    "# draw a marker), marker x, marker y, SVG path data.",
    `size\t${WIDTH}\t${bottom}`,
    ...lines,
    "",
  ].join("\n"),
);
