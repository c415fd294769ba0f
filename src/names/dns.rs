//! DNS and mDNS answers: which address was given for which asked-for name.
//!
//! simple-dns parses the message (it follows compression pointers safely); this module only
//! walks CNAME chains back to the question, so `www.vendor.com -> CNAME cdn.net -> A x`
//! names `x` as `www.vendor.com`, the name the device actually wanted. This is the only
//! user of simple-dns.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use simple_dns::rdata::RData;
use simple_dns::Packet;

/// Longest CNAME chain followed; real chains are 1 to 4 long.
const MAX_CHAIN: usize = 16;

/// One address-to-name fact from an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub ip: IpAddr,
    /// The name that was asked for (after walking CNAMEs back), lower case, no trailing dot.
    pub name: String,
}

/// Reads the answers of a DNS or mDNS response. Queries and unreadable messages yield none.
pub fn answers(payload: &[u8]) -> Vec<Answer> {
    let Ok(packet) = Packet::parse(payload) else {
        return Vec::new();
    };
    // mDNS announcements carry their records in the answer section with no question, and
    // often A/AAAA in the additional section too.
    let records = packet.answers.iter().chain(packet.additional_records.iter());
    let mut alias_of: HashMap<String, String> = HashMap::new();
    let mut addresses: Vec<(String, IpAddr)> = Vec::new();
    for record in records {
        let owner = normalise(&record.name.to_string());
        match &record.rdata {
            RData::A(a) => addresses.push((owner, IpAddr::V4(Ipv4Addr::from(a.address)))),
            RData::AAAA(a) => addresses.push((owner, IpAddr::V6(Ipv6Addr::from(a.address)))),
            RData::CNAME(target) => {
                alias_of.insert(normalise(&target.0.to_string()), owner);
            }
            _ => {}
        }
    }
    let questions: Vec<String> = packet.questions.iter().map(|q| normalise(&q.qname.to_string())).collect();
    let mut out = Vec::new();
    for (owner, ip) in addresses {
        let mut name = owner;
        for _ in 0..MAX_CHAIN {
            if questions.contains(&name) {
                break;
            }
            match alias_of.get(&name) {
                Some(previous) if *previous != name => name = previous.clone(),
                _ => break,
            }
        }
        if let Some(name) = super::clean_name(name.as_bytes()) {
            out.push(Answer { ip, name });
        }
    }
    out
}

fn normalise(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::rdata::{A, AAAA, CNAME};
    use simple_dns::{Name, Question, ResourceRecord, CLASS, QCLASS, QTYPE, TYPE};

    fn response() -> Vec<u8> {
        let mut p = Packet::new_reply(7);
        p.questions.push(Question::new(
            Name::new_unchecked("Cam.Vendor.com"),
            QTYPE::TYPE(TYPE::A),
            QCLASS::CLASS(CLASS::IN),
            false,
        ));
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("cam.vendor.com"),
            CLASS::IN,
            60,
            RData::CNAME(CNAME(Name::new_unchecked("edge.cdn.net"))),
        ));
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("edge.cdn.net"),
            CLASS::IN,
            60,
            RData::CNAME(CNAME(Name::new_unchecked("e1.cdn.net"))),
        ));
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("e1.cdn.net"),
            CLASS::IN,
            60,
            RData::A(A { address: 0x0808_0808 }),
        ));
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("e1.cdn.net"),
            CLASS::IN,
            60,
            RData::AAAA(AAAA { address: 1 }),
        ));
        p.build_bytes_vec_compressed().unwrap()
    }

    #[test]
    fn cname_chain_names_the_question() {
        let got = answers(&response());
        assert_eq!(got.len(), 2);
        assert_eq!(got[0], Answer { ip: "8.8.8.8".parse().unwrap(), name: "cam.vendor.com".into() });
        assert_eq!(got[1].name, "cam.vendor.com");
    }

    #[test]
    fn mdns_announcement_without_question() {
        let mut p = Packet::new_reply(0);
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("Living-Room-TV.local"),
            CLASS::IN,
            120,
            RData::A(A { address: 0xc0a8_0115 }),
        ));
        let got = answers(&p.build_bytes_vec().unwrap());
        assert_eq!(got, vec![Answer { ip: "192.168.1.21".parse().unwrap(), name: "living-room-tv.local".into() }]);
    }

    #[test]
    fn garbage_and_loops_are_harmless() {
        let bytes = response();
        for cut in 0..bytes.len() {
            let _ = answers(&bytes[..cut]);
        }
        let mut x = 9u32;
        for len in 0..400 {
            let junk: Vec<u8> = (0..len)
                .map(|_| {
                    x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (x >> 24) as u8
                })
                .collect();
            let _ = answers(&junk);
        }
        // A CNAME loop without a question must terminate.
        let mut p = Packet::new_reply(1);
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("a.x"),
            CLASS::IN,
            1,
            RData::CNAME(CNAME(Name::new_unchecked("b.x"))),
        ));
        p.answers.push(ResourceRecord::new(
            Name::new_unchecked("b.x"),
            CLASS::IN,
            1,
            RData::CNAME(CNAME(Name::new_unchecked("a.x"))),
        ));
        p.answers.push(ResourceRecord::new(Name::new_unchecked("b.x"), CLASS::IN, 1, RData::A(A { address: 1 })));
        assert_eq!(answers(&p.build_bytes_vec().unwrap()).len(), 1);
    }
}
