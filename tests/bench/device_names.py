#!/usr/bin/env python3
"""Device-name recall against tshark: what devices call themselves (DHCP, mDNS, SSDP, NetBIOS)
as tshark reads it, against the report's `devices[].names_by_source`.

    tests/bench/device_names.py [DIR_OR_CAPTURE ...]    (default: ../shared/captures/iot)

For each capture, tshark gives the set of (sender, source, name):
  dhcp               dhcp.option.hostname, by the client's MAC (dhcp.hw.mac_addr)
  dhcp_vendor_class  dhcp.option.vendor_class_id, by the client's MAC (requests only)
  mdns               from mDNS responses (UDP 5353) by their sender: every dns.resp.name and
                     dns.ptr.domain_name ending in .local that is a host (`host.local`) or a
                     service instance (`Instance._svc._tcp.local`), as the instance label
  ssdp               http.server and the USN's `uuid:` part of SSDP NOTIFY and 200 responses
  netbios            nbns.name of registrations and refreshes (opcodes 5, 8, 9) and positive
                     query answers, unique (not group) names with suffix <00> or <20>
Names are compared trimmed of surrounding spaces, as the report keeps them. The sender is its
Ethernet source MAC (and source address). A pair is recalled when the
report has a device whose id is that MAC or address, or which lists that address, and the
name is in that source's list, as written (case kept). "extra" counts report names tshark
did not give by these rules (the mDNS model of a `_device-info` TXT record is always extra).

Needs tshark and a release build of the CLI (it builds one). Reads only; writes nothing.
"""
import json
import os
import subprocess
import sys
from collections import defaultdict

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
SOURCES = ["dhcp", "dhcp_vendor_class", "mdns", "ssdp", "netbios"]
SEP = "\x1e"  # between occurrences of one field: names may hold commas and spaces
FIELDS = [
    "eth.src", "ip.src", "ipv6.src", "udp.srcport", "udp.dstport",
    "dhcp.hw.mac_addr", "dhcp.option.hostname", "dhcp.option.vendor_class_id", "dhcp.type",
    "dns.flags.response", "dns.resp.name", "dns.ptr.domain_name",
    "http.request.method", "http.response.code", "http.server", "http.unknown_header",
    "nbns.flags.opcode", "nbns.flags.response", "nbns.flags.rcode", "nbns.name", "nbns.name_flags.group",
    "nbns.addr",
]


def local_name(name):
    """(kind, name) of an mDNS name ending in .local, or None."""
    if not name.lower().endswith(".local"):
        return None
    stem = name[: -len(".local")]
    labels = stem.split(".")
    if len(labels) == 1 and stem and not stem.startswith("_"):
        return stem
    if len(labels) >= 3 and labels[-1].lower() in ("_tcp", "_udp") and labels[-2].startswith("_"):
        instance = ".".join(labels[:-2])
        if instance and not instance.startswith("_"):
            return instance
    return None


def truth_of(capture):
    out = subprocess.run(
        ["tshark", "-r", capture, "-Y", "dhcp || mdns || ssdp || nbns", "-T", "fields",
         "-E", "occurrence=a", "-E", "aggregator=" + SEP, "-E", "separator=/t"]
        + [a for f in FIELDS for a in ("-e", f)],
        capture_output=True, text=True, errors="replace").stdout
    truth = set()
    for line in out.split("\n"):
        row = dict(zip(FIELDS, (v.split(SEP) if v else [] for v in line.split("\t"))))
        first = lambda f: (row.get(f) or [""])[0]
        mac = first("eth.src").lower()
        ip = first("ip.src") or first("ipv6.src")
        sender = (mac, ip)
        sport, dport = first("udp.srcport"), first("udp.dstport")
        if row.get("dhcp.hw.mac_addr"):
            client = (first("dhcp.hw.mac_addr").lower(), "")
            for name in row.get("dhcp.option.hostname", []):
                truth.add((client, "dhcp", name))
            # A client's message (BOOTREQUEST): a server's reply would carry the server's class.
            if first("dhcp.type") == "1":
                for name in row.get("dhcp.option.vendor_class_id", []):
                    truth.add((client, "dhcp_vendor_class", name))
        if sport == "5353" and first("dns.flags.response") in ("1", "True"):
            for name in row.get("dns.resp.name", []) + row.get("dns.ptr.domain_name", []):
                found = local_name(name)
                if found:
                    truth.add((sender, "mdns", found))
        if "1900" in (sport, dport) and (first("http.request.method") == "NOTIFY" or first("http.response.code") == "200"):
            for server in row.get("http.server", []):
                truth.add((sender, "ssdp", server.strip()))
            for header in row.get("http.unknown_header", []):
                key, _, value = header.partition(":")
                if key.strip().lower() == "usn":
                    uuid = value.strip().removesuffix("\\r\\n").split("::")[0].strip()
                    if uuid.lower().startswith("uuid:"):
                        truth.add((sender, "ssdp", uuid))
        if sport == "137" and row.get("nbns.name"):
            opcode, response = first("nbns.flags.opcode"), first("nbns.flags.response") in ("1", "True")
            registers = not response and opcode in ("5", "8", "9")
            answers = response and opcode == "0" and first("nbns.flags.rcode") == "0"
            group = first("nbns.name_flags.group") in ("1", "True")
            owned = first("nbns.addr") in ("", ip)
            name = first("nbns.name")
            if (registers or answers) and not group and owned and name.endswith(("<00>", "<20>")):
                truth.add((sender, "netbios", name[:-4].rstrip()))
    return {(sender, source, name.strip()) for sender, source, name in truth}


def report_of(capture, cli):
    text = subprocess.run([cli, "analyze", capture, "--format", "json"], capture_output=True, text=True).stdout
    return json.loads(text)["devices"]


def measure(capture, cli, totals):
    truth = truth_of(capture)
    devices = report_of(capture, cli)
    got = set()
    for d in devices:
        for source, names in d.get("names_by_source", {}).items():
            for name in names:
                got.add((d["id"].lower(), source, name))

    def recalled(sender, source, name):
        mac, ip = sender
        for d in devices:
            if d["id"].lower() in (mac, ip) or ip in d["ips"]:
                if name in d.get("names_by_source", {}).get(source, []):
                    return d["id"].lower()
        return None

    matched = set()
    line = []
    for source in SOURCES:
        want = {t for t in truth if t[1] == source}
        hits = set()
        for sender, _, name in want:
            who = recalled(sender, source, name)
            if who:
                hits.add((sender, name))
                matched.add((who, source, name))
            elif os.environ.get("VERBOSE"):
                print(f"  missed {source}: {sender} {name!r}")
        # Distinct pairs: one name from two addresses of one device counts once.
        t = totals[source]
        t[0] += len({(s[0] or s[1], n) for s, n in ((s, n) for s, _, n in want)})
        t[1] += len({(s[0] or s[1], n) for s, n in hits})
        line.append(f"{source} {len(hits)}/{len(want)}")
    extra = got - matched
    for who, source, name in sorted(extra):
        totals[source][2] += 1
        if os.environ.get("VERBOSE"):
            print(f"  extra {source}: {who} {name!r}")
    print(f"{os.path.basename(capture)}: " + ", ".join(line) + f", extra {len(extra)}")


def main():
    args = sys.argv[1:] or [os.path.join(ROOT, "..", "shared", "captures", "iot")]
    captures = []
    for arg in args:
        if os.path.isdir(arg):
            for base, _, files in os.walk(arg):
                captures += [os.path.join(base, f) for f in files if f.endswith((".pcap", ".pcapng", ".gz", ".zst"))]
        else:
            captures.append(arg)
    subprocess.run(["cargo", "build", "--release", "--bin", "phonehome", "--quiet"], cwd=ROOT, check=True)
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
    cli = os.path.join(target, "release", "phonehome")
    totals = defaultdict(lambda: [0, 0, 0])
    for capture in sorted(captures):
        measure(capture, cli, totals)
    print("\nsource             recalled / tshark   recall   extra")
    all_want = all_hit = 0
    for source in SOURCES:
        want, hit, extra = totals[source]
        all_want += want
        all_hit += hit
        rate = f"{100 * hit / want:5.1f}%" if want else "    -"
        print(f"{source:<18} {hit:>8} / {want:<8} {rate}   {extra}")
    rate = f"{100 * all_hit / all_want:5.1f}%" if all_want else "-"
    print(f"{'all':<18} {all_hit:>8} / {all_want:<8} {rate}   {sum(t[2] for t in totals.values())}")


if __name__ == "__main__":
    main()
