#!/usr/bin/env python3
"""The tables as DuckDB reads them, against the single-capture JSON reports.

Runs `phonehome analyze FILE... --out DIR` on every committed capture of tests/captures/ (and
README.md, which is no capture: its row must carry its error), in Parquet and in NDJSON, and
checks with DuckDB that
  - each capture's totals in the tables (packets, bytes, flows, devices, destinations, their
    bytes, each device's traffic, foreign and watched destinations) equal those of
    `phonehome analyze FILE --format json` with the same countries;
  - every table holds the same rows in Parquet and in NDJSON, and has the columns and types
    the README lists;
  - the README's queries (its ```sql blocks) run on the Parquet tables.
Run by `make test` with the virtual environment .ci/setup.sh makes:
    .venv/bin/python tests/tables/duckdb_check.py
Ends with a line 'N passed, N failed'; exits 1 on any failure.
"""
import glob
import json
import os
import re
import shutil
import subprocess
import sys

import duckdb

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
TARGET = os.path.join(ROOT, os.environ.get("CARGO_TARGET_DIR", "target"))
BIN = os.environ.get("PHONEHOME_BIN", os.path.join(TARGET, "release", "phonehome"))
WORK = os.path.join(TARGET, "tables-check")
TABLES = ["captures", "devices", "device_destinations", "destinations", "flows"]
COUNTRIES = ["--home", "DE", "--watch", "CN,US"]

passed, failed = 0, 0


def check(what, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {what} {detail}")


def json_totals(path):
    out = subprocess.run([BIN, "analyze", path, "--format", "json", *COUNTRIES], cwd=ROOT,
                         capture_output=True, check=True).stdout
    report = json.loads(out)
    destinations, devices = report["destinations"], report["devices"]
    traffic = [t for d in devices for t in d["traffic"]]
    return {
        "packets": report["capture"]["packets"],
        "bytes": report["capture"]["bytes"],
        "flows": len(report["flows"]),
        "flow_bytes": sum(f["c2s"]["bytes"] + f["s2c"]["bytes"] for f in report["flows"]),
        "devices": len(devices),
        "destinations": len(destinations),
        "destination_bytes": sum(d["bytes"] for d in destinations),
        "traffic_rows": len(traffic),
        "traffic_bytes": sum(t["sent"]["bytes"] + t["received"]["bytes"] for t in traffic),
        "foreign": sum(d["foreign"] for d in destinations),
        "watched": sum(d["watched"] for d in destinations),
        "diagnostics": len(report["capture"]["diagnostics"]),
    }


TABLE_TOTALS = """
WITH c AS (SELECT * FROM '{d}/captures.parquet'),
f AS (SELECT capture_path, count(*) AS n, sum(c2s.bytes + s2c.bytes) AS bytes
      FROM '{d}/flows.parquet' GROUP BY ALL),
dv AS (SELECT capture_path, count(*) AS n FROM '{d}/devices.parquet' GROUP BY ALL),
ds AS (SELECT capture_path, count(*) AS n, sum(bytes) AS bytes, count_if("foreign") AS n_foreign,
              count_if(watched) AS n_watched FROM '{d}/destinations.parquet' GROUP BY ALL),
t AS (SELECT capture_path, count(*) AS n, sum(sent.bytes + received.bytes) AS bytes
      FROM '{d}/device_destinations.parquet' GROUP BY ALL)
SELECT c.capture_path, c.packets, c.bytes, coalesce(f.n, 0), coalesce(f.bytes, 0), coalesce(dv.n, 0),
       coalesce(ds.n, 0), coalesce(ds.bytes, 0), coalesce(t.n, 0), coalesce(t.bytes, 0),
       coalesce(ds.n_foreign, 0), coalesce(ds.n_watched, 0), len(c.diagnostics), c.error
FROM c LEFT JOIN f USING (capture_path) LEFT JOIN dv USING (capture_path)
LEFT JOIN ds USING (capture_path) LEFT JOIN t USING (capture_path)
"""


def main():
    captures = sorted(glob.glob("tests/captures/*.pcap*", root_dir=ROOT))
    files = captures + ["README.md"]
    shutil.rmtree(WORK, ignore_errors=True)
    parquet_dir, ndjson_dir = os.path.join(WORK, "tables"), os.path.join(WORK, "ndjson")
    for out, fmt in [(parquet_dir, "parquet"), (ndjson_dir, "ndjson")]:
        run = subprocess.run([BIN, "analyze", *files, "--out", out, "--table-format", fmt, *COUNTRIES],
                             cwd=ROOT, capture_output=True, text=True)
        check(f"{fmt}: exit 1 for the one file that is no capture", run.returncode == 1, run.stderr)

    db = duckdb.connect()
    rows = {r[0]: r for r in db.sql(TABLE_TOTALS.format(d=parquet_dir)).fetchall()}
    check("a captures row per file", sorted(rows) == sorted(files), sorted(rows))
    readme = rows.get("README.md")
    check("README.md's row carries its error", readme is not None and readme[-1] is not None
          and readme[-1].startswith("not a pcap"), readme)
    for path in captures:
        want = json_totals(path)
        row = rows.get(path)
        got = dict(zip(want.keys(), row[1:13])) if row else None
        check(f"{path}: totals in the tables equal its JSON report", got == want, f"\n  tables {got}\n  json   {want}")
    print(f"{len(captures)} captures' totals compared with their JSON reports")

    readme_text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    for table in TABLES:
        parquet = f"'{parquet_dir}/{table}.parquet'"
        # NDJSON read with the Parquet file's types, so that a column null in every row (no
        # capture had a scan) is compared as what it is.
        types = db.sql(f"DESCRIBE SELECT * FROM {parquet}").fetchall()
        columns = "{" + ", ".join(f"'{name}': '{kind}'" for name, kind, *_ in types) + "}"
        ndjson = f"read_json('{ndjson_dir}/{table}.ndjson', columns = {columns})"
        documented = re.search(rf"^- `{table}`: (.*)$", readme_text, re.M)
        described = ", ".join(f"`{name}` {kind}" for name, kind, *_ in types[3:]).replace(
            "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ")
        check(f"{table}: the README lists its columns and types", documented and documented.group(1) == described,
              f"\n  README: {documented and documented.group(1)}\n  tables: {described}")
        count = db.sql(f"SELECT count(*) FROM {parquet}").fetchall()[0][0]
        only_parquet = db.sql(f"SELECT count(*) FROM (FROM {parquet} EXCEPT ALL FROM {ndjson})").fetchall()[0][0]
        only_ndjson = db.sql(f"SELECT count(*) FROM (FROM {ndjson} EXCEPT ALL FROM {parquet})").fetchall()[0][0]
        check(f"{table}: the same rows in Parquet and NDJSON", (only_parquet, only_ndjson) == (0, 0),
              f"{only_parquet} rows only in Parquet, {only_ndjson} only in NDJSON")
        print(f"{table}: {count} rows, the same in Parquet and NDJSON")

    queries = re.findall(r"```sql\n(.*?)```", readme_text, re.S)
    check("the README has its three queries", len(queries) == 3, len(queries))
    os.chdir(WORK)  # the queries read 'tables/<name>.parquet'
    for query in queries:
        try:
            result = db.sql(query).fetchall()
            check("a README query runs", True)
            print(f"README query ({query.splitlines()[0]} ...): {len(result)} rows")
        except duckdb.Error as e:
            check("a README query runs", False, f"{query}\n{e}")

    print(f"duckdb {duckdb.__version__}: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
