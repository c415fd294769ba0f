//! DNS messages as a resolver or an mDNS responder writes them (RFC 1035, RFC 6762): a header,
//! questions, and answers with names compressed against everything written before them.

use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr};

pub const TYPE_A: u16 = 1;
pub const TYPE_CNAME: u16 = 5;
pub const TYPE_AAAA: u16 = 28;
const CLASS_IN: u16 = 1;
/// mDNS "cache flush" bit on the class of unique records.
const CLASS_FLUSH: u16 = 0x8000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rdata {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub name: String,
    pub ttl: u32,
    pub data: Rdata,
}

/// One DNS message; `flags` is the 16-bit flags word (0x0100 query with recursion desired,
/// 0x8180 recursive answer, 0x8400 authoritative mDNS answer).
#[derive(Debug, Clone, Default)]
pub struct Message {
    pub id: u16,
    pub flags: u16,
    pub questions: Vec<(String, u16)>,
    pub answers: Vec<Record>,
    /// Set the mDNS cache-flush bit on answers.
    pub mdns: bool,
}

impl Message {
    pub fn query(id: u16, name: &str, qtype: u16) -> Message {
        Message { id, flags: 0x0100, questions: vec![(name.to_string(), qtype)], ..Default::default() }
    }

    /// The resolver's answer to `query`: same id and question, the given answer records.
    pub fn answer(query: &Message, answers: Vec<Record>) -> Message {
        Message { id: query.id, flags: 0x8180, questions: query.questions.clone(), answers, mdns: false }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer { out: Vec::with_capacity(128), names: HashMap::new() };
        w.u16(self.id);
        w.u16(self.flags);
        w.u16(self.questions.len() as u16);
        w.u16(self.answers.len() as u16);
        w.u16(0);
        w.u16(0);
        for (name, qtype) in &self.questions {
            w.name(name);
            w.u16(*qtype);
            w.u16(CLASS_IN);
        }
        for record in &self.answers {
            w.name(&record.name);
            let rtype = match record.data {
                Rdata::A(_) => TYPE_A,
                Rdata::Aaaa(_) => TYPE_AAAA,
                Rdata::Cname(_) => TYPE_CNAME,
            };
            w.u16(rtype);
            w.u16(if self.mdns { CLASS_IN | CLASS_FLUSH } else { CLASS_IN });
            w.out.extend_from_slice(&record.ttl.to_be_bytes());
            let len_at = w.out.len();
            w.u16(0);
            match &record.data {
                Rdata::A(a) => w.out.extend_from_slice(&a.octets()),
                Rdata::Aaaa(a) => w.out.extend_from_slice(&a.octets()),
                Rdata::Cname(target) => w.name(target),
            }
            let rdlen = (w.out.len() - len_at - 2) as u16;
            w.out[len_at..len_at + 2].copy_from_slice(&rdlen.to_be_bytes());
        }
        w.out
    }
}

struct Writer {
    out: Vec<u8>,
    /// Offsets of name suffixes already written (lower case), for compression pointers.
    names: HashMap<String, u16>,
}

impl Writer {
    fn u16(&mut self, v: u16) {
        self.out.extend_from_slice(&v.to_be_bytes());
    }

    /// Writes `name` label by label until a suffix already in the message can be pointed to.
    fn name(&mut self, name: &str) {
        let labels: Vec<&str> = name.trim_end_matches('.').split('.').filter(|l| !l.is_empty()).collect();
        for i in 0..labels.len() {
            let suffix = labels[i..].join(".").to_ascii_lowercase();
            if let Some(&offset) = self.names.get(&suffix) {
                self.u16(0xc000 | offset);
                return;
            }
            // Pointers have 14 bits: later names are simply written out in full.
            if self.out.len() < 0x3fff {
                self.names.insert(suffix, self.out.len() as u16);
            }
            let label = &labels[i].as_bytes()[..labels[i].len().min(63)];
            self.out.push(label.len() as u8);
            self.out.extend_from_slice(label);
        }
        self.out.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::{rdata::RData, Packet};

    #[test]
    fn cname_chain_with_compression_reads_back() {
        let query = Message::query(0x1234, "api-global.netflix.com", TYPE_A);
        let answer = Message::answer(
            &query,
            vec![
                Record {
                    name: "api-global.netflix.com".into(),
                    ttl: 300,
                    data: Rdata::Cname("api-global.geo.netflix.com".into()),
                },
                Record {
                    name: "api-global.geo.netflix.com".into(),
                    ttl: 60,
                    data: Rdata::A(Ipv4Addr::new(54, 69, 87, 107)),
                },
            ],
        );
        let bytes = answer.to_bytes();
        // Both answers' owner names are single pointers (2 bytes), and the CNAME target reuses
        // "netflix.com": the whole message stays small.
        assert!(bytes.len() < 100, "{} bytes", bytes.len());
        let packet = Packet::parse(&bytes).unwrap();
        assert_eq!(packet.id(), 0x1234);
        assert_eq!(packet.questions[0].qname.to_string(), "api-global.netflix.com");
        match &packet.answers[0].rdata {
            RData::CNAME(c) => assert_eq!(c.0.to_string(), "api-global.geo.netflix.com"),
            other => panic!("{other:?}"),
        }
        match &packet.answers[1].rdata {
            RData::A(a) => assert_eq!(Ipv4Addr::from(a.address), Ipv4Addr::new(54, 69, 87, 107)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn mdns_announcement_has_no_question_and_flush_bit() {
        let msg = Message {
            flags: 0x8400,
            answers: vec![Record {
                name: "LGwebOSTV.local".into(),
                ttl: 120,
                data: Rdata::A(Ipv4Addr::new(192, 168, 1, 31)),
            }],
            mdns: true,
            ..Default::default()
        };
        let bytes = msg.to_bytes();
        assert_eq!(&bytes[4..6], &[0, 0]);
        let packet = Packet::parse(&bytes).unwrap();
        assert!(packet.answers[0].cache_flush);
    }
}
