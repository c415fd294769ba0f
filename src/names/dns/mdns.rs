//! What a device calls itself in its own mDNS responses (RFC 6762, DNS-SD RFC 6763): the host
//! of its A/AAAA records, its service instances, and the model its `_device-info` TXT gives.
//! The caller ties them to the packet's source address: a device answers for itself.
//!
//! Labels are read as sent (simple-dns parses the message), so `Annas-iPhone` keeps its
//! capitals and `Living Room TV` its spaces.

use simple_dns::rdata::RData;
use simple_dns::{Name, Packet, PacketFlag};

use crate::names::device::{clean_device_name, NameKind};

/// A name's labels, as sent.
fn labels<'a>(name: &'a Name<'_>) -> Vec<&'a [u8]> {
    name.as_bytes().collect()
}

fn is(label: &[u8], text: &str) -> bool {
    label.eq_ignore_ascii_case(text.as_bytes())
}

/// `host.local`: the host.
fn host_of<'a>(labels: &[&'a [u8]]) -> Option<&'a [u8]> {
    match labels {
        [host, local] if is(local, "local") => Some(host),
        _ => None,
    }
}

/// `Instance._service._tcp.local` (or `._udp`): the instance, whose label may hold dots and
/// spaces. Service types themselves (`_googlecast._tcp.local`, what the
/// `_services._dns-sd._udp` meta records list) start with `_` and are no instance.
fn instance_of<'a>(labels: &[&'a [u8]]) -> Option<&'a [u8]> {
    match labels {
        [instance, service, proto, local]
            if is(local, "local")
                && (is(proto, "_tcp") || is(proto, "_udp"))
                && service.starts_with(b"_")
                && !instance.starts_with(b"_") =>
        {
            Some(instance)
        }
        _ => None,
    }
}

/// Whether a PTR owner is a reverse-mapping name (`9.1.168.192.in-addr.arpa`).
fn is_reverse(labels: &[&[u8]]) -> bool {
    matches!(labels, [.., zone, arpa] if is(arpa, "arpa") && (is(zone, "in-addr") || is(zone, "ip6")))
}

/// The names an mDNS response gives its sender, in the order of its records (answers, then
/// additional records). Queries, and their proposed records while probing, give none.
pub fn sender_names(payload: &[u8]) -> Vec<(NameKind, String)> {
    // The QR bit (first bit of the third byte): only responses announce.
    if payload.get(2).is_none_or(|flags| flags & 0x80 == 0) {
        return Vec::new();
    }
    let Ok(packet) = Packet::parse(payload) else {
        return Vec::new();
    };
    if !packet.has_flags(PacketFlag::RESPONSE) {
        return Vec::new();
    }
    let mut out: Vec<(NameKind, String)> = Vec::new();
    let mut give = |kind: NameKind, raw: &[u8]| {
        if let Some(name) = clean_device_name(raw) {
            if !out.iter().any(|(k, n)| *k == kind && *n == name) {
                out.push((kind, name));
            }
        }
    };
    for record in packet.answers.iter().chain(&packet.additional_records) {
        let owner = labels(&record.name);
        match &record.rdata {
            RData::A(_) | RData::AAAA(_) => {
                if let Some(host) = host_of(&owner) {
                    give(NameKind::MdnsHost, host);
                }
            }
            RData::PTR(target) => {
                let target = labels(&target.0);
                if is_reverse(&owner) {
                    if let Some(host) = host_of(&target) {
                        give(NameKind::MdnsHost, host);
                    }
                } else if let Some(instance) = instance_of(&target) {
                    give(NameKind::MdnsInstance, instance);
                }
            }
            RData::SRV(srv) => {
                if let Some(instance) = instance_of(&owner) {
                    give(NameKind::MdnsInstance, instance);
                }
                if let Some(host) = host_of(&labels(&srv.target)) {
                    give(NameKind::MdnsHost, host);
                }
            }
            RData::TXT(txt) => {
                let Some(instance) = instance_of(&owner) else { continue };
                give(NameKind::MdnsInstance, instance);
                if is(owner[1], "_device-info") {
                    let model = txt.iter_raw().find(|(key, _)| key.eq_ignore_ascii_case(b"model"));
                    if let Some((_, Some(model))) = model {
                        give(NameKind::MdnsModel, model);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::rdata::{A, PTR, SRV, TXT};
    use simple_dns::{ResourceRecord, CLASS};

    fn record<'a>(owner: &'a str, rdata: RData<'a>) -> ResourceRecord<'a> {
        ResourceRecord::new(Name::new_unchecked(owner), CLASS::IN, 120, rdata)
    }

    /// A Chromecast-like announcement: meta record, service, instance, device info, host.
    #[test]
    fn host_instances_and_model_of_an_announcement() {
        let mut p = Packet::new_reply(0);
        let ptr = |t| RData::PTR(PTR(Name::new_unchecked(t)));
        p.answers.push(record("_services._dns-sd._udp.local", ptr("_googlecast._tcp.local")));
        p.answers.push(record("_googlecast._tcp.local", ptr("Living Room TV._googlecast._tcp.local")));
        let srv = SRV { priority: 0, weight: 0, port: 8009, target: Name::new_unchecked("Annas-TV.local") };
        p.additional_records.push(record("Living Room TV._googlecast._tcp.local", RData::SRV(srv)));
        let info = TXT::new().with_string("model=Chromecast Ultra").unwrap();
        p.additional_records.push(record("Living Room TV._device-info._tcp.local", RData::TXT(info)));
        p.additional_records.push(record("Annas-TV.local", RData::A(A { address: 0xc0a8_0115 })));
        p.additional_records.push(record("21.1.168.192.in-addr.arpa", ptr("Annas-TV.local")));
        let got = sender_names(&p.build_bytes_vec_compressed().unwrap());
        assert_eq!(
            got,
            [
                (NameKind::MdnsInstance, "Living Room TV".to_string()),
                (NameKind::MdnsHost, "Annas-TV".into()),
                (NameKind::MdnsModel, "Chromecast Ultra".into()),
            ]
        );
    }

    /// Frame 3 of tests/captures/zeek__dns-mdns.pcap (UDP payload): an announcement with
    /// AAAA and reverse PTR records, the host name in its own capitals.
    const ZEEK_ANNOUNCEMENT: &str =
        "0000840000000004000000001c6a6f68616e6e612d51454d552d5669727475616c2d4d616368696e65056c6f63616c00\
        001c8001000000000010fd52429ec03c8235883cd6fffee14dc401340163016401340131016501650166016601660136\
        016401630133013801380135013301320138016301330130016301650139013201340132013501640166036970360461\
        72706100000c8001000000000002c00cc00c001c8001000000000010fd52429ec03c823559685bc61563f82f01660132\
        01380166013301360135013101360163016201350138013601390135c06a000c8001000000000002c00c";

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn a_real_announcement_names_its_host_as_sent() {
        let got = sender_names(&hex(ZEEK_ANNOUNCEMENT));
        assert_eq!(got, [(NameKind::MdnsHost, "johanna-QEMU-Virtual-Machine".to_string())]);
    }

    /// Frame 7 of tests/captures/arkime__v6-http.pcap: HINFO and AAAA records of `linux.local`.
    #[test]
    fn a_real_answer_with_host_information() {
        let bytes = hex("000084000000000400000000056c696e7578056c6f63616c00000d800100000078000b0449363836054c494e5558\
            c00c001c8001000000780010200106f8102d0000a9d217821995b63bc00c001c8001000000780010200106f8102d0000\
            02d009fffee3e8dec00c001c8001000000780010200106f8102d000010330c4c7e57b19e");
        assert_eq!(sender_names(&bytes), [(NameKind::MdnsHost, "linux".to_string())]);
    }

    #[test]
    fn queries_and_garbage_name_nothing() {
        let mut query = Packet::new_query(0);
        query.answers.push(record("Probe.local", RData::A(A { address: 1 })));
        assert!(sender_names(&query.build_bytes_vec().unwrap()).is_empty(), "a probe's proposed record");
        let bytes = hex(ZEEK_ANNOUNCEMENT);
        for cut in 0..bytes.len() {
            let _ = sender_names(&bytes[..cut]);
        }
        assert!(sender_names(&[0, 0, 0x84]).is_empty());
    }
}
