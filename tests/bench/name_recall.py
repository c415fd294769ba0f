#!/usr/bin/env python3
"""Destination-name recall against tshark: the (server address, name) pairs tshark reads from
TLS ClientHellos over TCP, from QUIC Initial packets and from DNS answers, against the
report's `destinations[].names` and `names_by_source`.

    tests/bench/name_recall.py [--bin PATH] [--misses] [--json OUT] [DIR_OR_CAPTURE ...]
        (default: ../shared/captures)

For each capture, tshark gives:
  sni    (ip.dst / ipv6.dst, tls.handshake.extensions_server_name) of each ClientHello over TCP
  quic   the same over QUIC (tshark decrypts the Initial packets and reassembles the CRYPTO
         frames)
  dns    (each dns.a / dns.aaaa of the answer section, dns.qry.name) of answers from port 53,
         for addresses the capture has traffic with (an endpoint of one of the report's
         flows, which agree with tshark's conversations); the report gives the name asked
         for, not the CNAME chain's links
Addresses are the innermost header's (tunnels). A pair is recalled when the report has a
destination with that address listing the name (lower-case) in `names` or in one of
`names_by_source`. Each miss is listed with why: the address is one of the report's devices
(the flow was taken the wrong way round), it is no destination at all, or it is one without
that name.

Captures over 50 MB are skipped and each tool gets a minute per capture. tshark's output is
cached in target/name_recall-cache (keyed by path, size, mtime and the fields asked for), so
a second run, say with another build's binary (--bin), costs only the CLI's time. Reads the
captures only.
"""
import argparse
import hashlib
import ipaddress
import json
import os
import subprocess
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TARGET = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
SOURCES = ["sni", "quic", "dns"]
MAX_BYTES = 50 * 1024 * 1024
TIMEOUT_S = 60
SEP = "\x1e"
FILTER = "tls.handshake.type==1 || (dns.flags.response==1 && (udp.srcport==53 || tcp.srcport==53))"
FIELDS = ["frame.protocols", "ip.dst", "ipv6.dst", "tls.handshake.type",
          "tls.handshake.extensions_server_name", "dns.qry.name", "dns.a", "dns.aaaa",
          "dns.count.answers", "dns.resp.type"]
SKIP_SUFFIXES = (".txt", ".tsv", ".md", ".json", ".yaml", ".out", ".ndpi.out", ".csv", ".log")


def address(text):
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


def tshark_rows(capture):
    """tshark's field rows for the capture, from the cache when it is fresh."""
    st = os.stat(capture)
    what = f"{os.path.abspath(capture)}|{st.st_size}|{st.st_mtime_ns}|{FILTER}|{FIELDS}"
    key = hashlib.sha1(what.encode()).hexdigest()
    cache = os.path.join(TARGET, "name_recall-cache", key + ".tsv")
    if os.path.exists(cache):
        with open(cache, encoding="utf-8", errors="replace") as f:
            return f.read()
    try:
        out = subprocess.run(
            ["tshark", "-r", capture, "-Y", FILTER, "-T", "fields", "-E", "occurrence=a",
             "-E", "aggregator=" + SEP, "-E", "separator=/t", "-o", "tls.desegment_ssl_records:TRUE"]
            + [a for f in FIELDS for a in ("-e", f)],
            capture_output=True, text=True, errors="replace", timeout=TIMEOUT_S).stdout
    except subprocess.TimeoutExpired:
        out = ""
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w", encoding="utf-8") as f:
        f.write(out)
    return out


def truth_of(capture):
    """The set of (source, address, name) tshark shows."""
    truth = set()
    for line in tshark_rows(capture).split("\n"):
        if not line:
            continue
        row = dict(zip(FIELDS, (v.split(SEP) if v else [] for v in line.split("\t"))))
        protocols = (row.get("frame.protocols") or [""])[0].split(":")
        dst = (row.get("ipv6.dst") or row.get("ip.dst") or [""])[-1]
        if "1" in row.get("tls.handshake.type", []):
            source = "quic" if "quic" in protocols else "sni" if "tcp" in protocols else None
            ip = address(dst)
            for name in row.get("tls.handshake.extensions_server_name", []):
                if source and ip and name:
                    truth.add((source, ip, name.lower().rstrip(".")))
        if "dns" in protocols and row.get("dns.qry.name"):
            name = row["dns.qry.name"][0].lower().rstrip(".")
            # Records come answers first, then authority and additional (glue, which names
            # the name servers, not the name asked for): keep the A and AAAA of the answers.
            answers = (row.get("dns.resp.type") or [])[: int((row.get("dns.count.answers") or ["0"])[0] or 0)]
            a, aaaa = answers.count("1"), answers.count("28")
            for ip in row.get("dns.a", [])[:a] + row.get("dns.aaaa", [])[:aaaa]:
                if address(ip) and name:
                    truth.add(("dns", address(ip), name))
    return truth


def report_of(binary, capture):
    try:
        out = subprocess.run([binary, "analyze", capture, "--format", "json"],
                             capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        return None
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


def check(binary, capture):
    """(capture, [(source, ip, name, recalled, why)]) for one capture."""
    truth = truth_of(capture)
    if not truth:
        return capture, []
    report = report_of(binary, capture)
    names = defaultdict(set)
    device_ips = set()
    contacted = set()
    if report:
        for flow in report["flows"]:
            contacted.update(address(flow[side]["ip"]) for side in ("client", "server"))
        for dest in report["destinations"]:
            ip = address(dest["ip"])
            names[ip].update(dest["names"])
            for listed in dest.get("names_by_source", {}).values():
                names[ip].update(listed)
        for device in report["devices"]:
            device_ips.update(address(ip) for ip in device["ips"])
    rows = []
    for source, ip, name in sorted(truth):
        if source == "dns" and report and ip not in contacted:
            continue
        if name in names.get(ip, ()):
            rows.append((source, ip, name, True, ""))
        elif report is None:
            rows.append((source, ip, name, False, "no report"))
        elif ip in device_ips and ip not in names:
            rows.append((source, ip, name, False, "address is a device"))
        elif ip not in names:
            rows.append((source, ip, name, False, "no such destination"))
        else:
            rows.append((source, ip, name, False, "destination names " + ",".join(sorted(names[ip])[:3])))
    return capture, rows


def captures_in(paths):
    for path in paths:
        if os.path.isfile(path):
            yield path
            continue
        for folder, _, files in sorted(os.walk(path)):
            for name in sorted(files):
                full = os.path.join(folder, name)
                if name.endswith(SKIP_SUFFIXES) or name.startswith("_") or os.path.getsize(full) > MAX_BYTES:
                    continue
                yield full


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[os.path.join(ROOT, "..", "shared", "captures")])
    parser.add_argument("--bin", default=os.path.join(TARGET, "release", "phonehome"))
    parser.add_argument("--misses", action="store_true", help="list every miss")
    parser.add_argument("--json", help="write every pair with its outcome to this file")
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    if not os.path.exists(args.bin):
        subprocess.run(["cargo", "build", "--release", "--bin", "phonehome"], cwd=ROOT, check=True)
    captures = list(captures_in(args.paths))
    with ThreadPoolExecutor(args.jobs) as pool:
        results = list(pool.map(lambda c: check(args.bin, c), captures))
    totals = {s: [0, 0] for s in SOURCES}
    misses = []
    for capture, rows in results:
        for source, ip, name, recalled, why in rows:
            totals[source][0] += recalled
            totals[source][1] += 1
            if not recalled:
                misses.append((source, os.path.relpath(capture, args.paths[0]) if os.path.isdir(args.paths[0])
                               else capture, ip, name, why))
    print(f"{len(captures)} captures, {sum(1 for _, r in results if r)} with names")
    for source in SOURCES:
        hit, all_ = totals[source]
        print(f"{source:5} {hit:6} / {all_:6}  {100 * hit / max(all_, 1):5.1f} %")
    reasons = defaultdict(lambda: defaultdict(int))
    for source, _, _, _, why in misses:
        reasons[source][why if not why.startswith("destination names") else "destination without the name"] += 1
    for source in SOURCES:
        for why, count in sorted(reasons[source].items(), key=lambda kv: -kv[1]):
            print(f"  {source} misses: {count:5}  {why}")
    if args.misses:
        for miss in sorted(misses):
            print("\t".join(miss))
    if args.json:
        with open(args.json, "w") as f:
            json.dump([[os.path.abspath(c), r] for c, r in results if r], f)


if __name__ == "__main__":
    sys.exit(main())
