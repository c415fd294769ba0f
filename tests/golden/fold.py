#!/usr/bin/env python3
"""Folds tshark's per-frame field dump of one capture into the golden expectation files.

Used by regen.sh only. Input: the TSV that regen.sh asks tshark for (fields in FIELDS order,
every occurrence, '|' between occurrences). Output, in OUT_DIR:
  capture.tsv  packets and bytes (sum of frame.len) of the whole file
  conv.tsv     per IP address pair, frames and bytes in each direction, as `tshark -z conv,ip`
               and `-z conv,ipv6` count them: every IP header of a frame except those quoted
               inside ICMP errors (tshark's IP tap skips those)
  dns.tsv      queried name -> answer address, following the CNAME chain of the answer section
  sni.tsv      TLS ClientHello server names over TCP, with the flow's client and server
  http.tsv     HTTP/1 request Host headers over TCP, with the flow's client and server
  quic.tsv     TLS ClientHello server names in QUIC Initial packets (UDP), likewise
Captures with tunnelled IP are refused: tshark counts each layer, phonehome the inner one.
Then checks the frame counts of conv.tsv against tshark's own conv tables (CONV_TEXT), so a
capture whose IP layering we fold differently from tshark (tunnels) is refused, not committed.
"""
import ipaddress
import re
import sys

FIELDS = [
    "frame.number", "frame.len", "frame.protocols",
    "ip.src", "ip.dst", "ipv6.src", "ipv6.dst",
    "tcp.srcport", "tcp.dstport",
    "dns.flags.response", "dns.qry.name", "dns.count.answers",
    "dns.resp.name", "dns.resp.type", "dns.a", "dns.aaaa", "dns.cname",
    "tls.handshake.type", "tls.handshake.extensions_server_name",
    "http.request", "http.host",
    "udp.srcport", "udp.dstport",
]

# Protocol names in frame.protocols that open an IP header whose addresses appear in
# ip.src/ipv6.src (in the same order as the occurrences).
IP_LAYERS = {"ip": "ip", "ipv6": "ipv6"}
ICMP_LAYERS = {"icmp", "icmpv6"}


def canon(addr):
    return str(ipaddress.ip_address(addr))


def sort_key(addr):
    a = ipaddress.ip_address(addr)
    return (a.version, int(a))


def split(value):
    return value.split("|") if value else []


def ip_headers(rec):
    """IP headers tshark's conversation tap sees: (src, dst) per header, outside ICMP errors."""
    v4 = list(zip(split(rec["ip.src"]), split(rec["ip.dst"])))
    v6 = list(zip(split(rec["ipv6.src"]), split(rec["ipv6.dst"])))
    headers, in_icmp = [], False
    for proto in rec["frame.protocols"].split(":"):
        if proto in ICMP_LAYERS:
            in_icmp = True
        elif proto in IP_LAYERS:
            pool = v4 if proto == "ip" else v6
            if not pool:
                continue
            header = pool.pop(0)
            if not in_icmp:
                headers.append(header)
    return headers


def dns_answers(rec):
    """(queried name, address) for each A/AAAA answer reachable from the question."""
    if len(split(rec["dns.flags.response"])) != 1 or rec["dns.flags.response"] != "1":
        return []
    names, types = split(rec["dns.resp.name"]), split(rec["dns.resp.type"])
    pools = {"1": split(rec["dns.a"]), "28": split(rec["dns.aaaa"]), "5": split(rec["dns.cname"])}
    if len(names) != len(types):
        return []
    expected = {t: sum(1 for x in types if x == t) for t in pools}
    if any(expected[t] != len(pools[t]) for t in pools):
        return []  # a record tshark could not decode: the occurrences would not line up
    try:
        answers = int(split(rec["dns.count.answers"])[0])
    except (ValueError, IndexError):
        return []
    records = []
    for name, rtype in zip(names, types):
        data = pools[rtype].pop(0) if rtype in pools else None
        records.append((name.lower(), rtype, data))
    records = records[:answers]
    questions = split(rec["dns.qry.name"])
    out = []
    if questions:
        for q in questions:
            chain = {q.lower()}
            grew = True
            while grew:
                grew = False
                for owner, rtype, data in records:
                    if rtype == "5" and owner in chain and data.lower() not in chain:
                        chain.add(data.lower())
                        grew = True
            for owner, rtype, data in records:
                if rtype in ("1", "28") and owner in chain:
                    out.append((q.lower(), canon(data)))
    elif "mdns" in rec["frame.protocols"].split(":"):
        # mDNS announcements carry no question: the owner name is what the device answers to.
        for owner, rtype, data in records:
            if rtype in ("1", "28"):
                out.append((owner, canon(data)))
    return out


def main():
    fields_path, conv_text_path, out_dir = sys.argv[1:4]
    packets = total_bytes = 0
    conv = {}
    dns, sni, http, quic = set(), set(), set(), set()
    with open(fields_path, encoding="utf-8", errors="replace") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            cols += [""] * (len(FIELDS) - len(cols))
            rec = dict(zip(FIELDS, cols))
            packets += 1
            length = int(rec["frame.len"])
            total_bytes += length
            headers = ip_headers(rec)
            if len(headers) > 1:
                # tshark counts every layer of a tunnel, phonehome only the inner packet: such
                # captures cannot be golden for conv totals.
                sys.exit(f"frame {rec['frame.number']}: tunnelled IP ({rec['frame.protocols']})")
            for src, dst in headers:
                src, dst = canon(src), canon(dst)
                a, b = sorted((src, dst), key=sort_key)
                row = conv.setdefault((a, b), [0, 0, 0, 0])
                i = 0 if src == a else 2
                row[i] += 1
                row[i + 1] += length
            protos = rec["frame.protocols"].split(":")
            if ICMP_LAYERS & set(protos) or not headers:
                continue  # names quoted in ICMP errors are not the flow's own
            src, dst = canon(headers[0][0]), canon(headers[0][1])
            for pair in dns_answers(rec):
                dns.add(pair)
            if "tcp" in protos:
                sport, dport = rec["tcp.srcport"], rec["tcp.dstport"]
                if "1" in split(rec["tls.handshake.type"]):
                    for name in split(rec["tls.handshake.extensions_server_name"]):
                        sni.add((src, sport, dst, dport, name))
                if rec["http.request"]:
                    for host in split(rec["http.host"]):
                        http.add((src, sport, dst, dport, host))
            elif "quic" in protos and "1" in split(rec["tls.handshake.type"]):
                sport, dport = rec["udp.srcport"], rec["udp.dstport"]
                for name in split(rec["tls.handshake.extensions_server_name"]):
                    quic.add((src, sport, dst, dport, name))

    check_against_tshark_conv(conv, conv_text_path)

    def write(name, header, rows):
        with open(f"{out_dir}/{name}", "w", encoding="utf-8") as f:
            f.write("# " + "\t".join(header) + "\n")
            for row in rows:
                f.write("\t".join(str(x) for x in row) + "\n")

    write("capture.tsv", ["key", "value"], [("packets", packets), ("bytes", total_bytes)])
    write("conv.tsv", ["addr_a", "addr_b", "frames_a_to_b", "bytes_a_to_b",
                       "frames_b_to_a", "bytes_b_to_a"],
          [(a, b, *v) for (a, b), v in sorted(conv.items(),
                                               key=lambda kv: (sort_key(kv[0][0]), sort_key(kv[0][1])))])
    write("dns.tsv", ["name", "address"], sorted(dns))
    write("sni.tsv", ["client_ip", "client_port", "server_ip", "server_port", "name"], sorted(sni))
    write("http.tsv", ["client_ip", "client_port", "server_ip", "server_port", "host"], sorted(http))
    write("quic.tsv", ["client_ip", "client_port", "server_ip", "server_port", "name"], sorted(quic))


def check_against_tshark_conv(conv, conv_text_path):
    """tshark's conv tables print bytes with units (kB), so only frames are compared exactly."""
    theirs = {}
    pattern = re.compile(r"^(\S+)\s+<->\s+(\S+)\s+(\d+)\s+\S+\s+\S+\s+(\d+)\s+\S+\s+\S+\s+(\d+)")
    with open(conv_text_path, encoding="utf-8") as f:
        for line in f:
            m = pattern.match(line)
            if m:
                a, b = canon(m.group(1)), canon(m.group(2))
                key = tuple(sorted((a, b), key=sort_key))
                prev = theirs.get(key, 0)
                theirs[key] = prev + int(m.group(5))
    ours = {k: v[0] + v[2] for k, v in conv.items()}
    if ours != theirs:
        diff = {k: (ours.get(k), theirs.get(k)) for k in set(ours) | set(theirs)
                if ours.get(k) != theirs.get(k)}
        sys.exit(f"conv mismatch with tshark (ours, tshark): {diff}")


if __name__ == "__main__":
    main()
