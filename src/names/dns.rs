//! DNS and mDNS answers: which address was given for which asked-for name.
//!
//! simple-dns parses the message (it follows compression pointers safely); this module only
//! walks CNAME chains back to the question, so `www.vendor.com -> CNAME cdn.net -> A x`
//! names `x` as `www.vendor.com`, the name the device actually wanted. This module and its
//! child `mdns` (the names devices announce for themselves) are the only users of simple-dns.

use foldhash::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use simple_dns::rdata::RData;
use simple_dns::{Name, Packet};

use crate::decode::{seq_order, SeqOrder};

pub mod mdns;

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
    // A message without answer or additional records (every plain query) names nothing: its
    // header says so before any parsing.
    if let [_, _, _, _, _, _, an_high, an_low, _, _, ar_high, ar_low, ..] = *payload {
        if [an_high, an_low, ar_high, ar_low] == [0; 4] {
            return Vec::new();
        }
    }
    let Ok(packet) = Packet::parse(payload) else {
        return Vec::new();
    };
    // mDNS announcements carry their records in the answer section with no question, and
    // often A/AAAA in the additional section too.
    let records = packet.answers.iter().chain(packet.additional_records.iter());
    let mut alias_of: HashMap<String, String> = HashMap::default();
    let mut addresses: Vec<(String, IpAddr)> = Vec::new();
    for record in records {
        let owner = text(&record.name);
        match &record.rdata {
            RData::A(a) => addresses.push((owner, IpAddr::V4(Ipv4Addr::from(a.address)))),
            RData::AAAA(a) => addresses.push((owner, IpAddr::V6(Ipv6Addr::from(a.address)))),
            RData::CNAME(target) => {
                alias_of.insert(text(&target.0), owner);
            }
            _ => {}
        }
    }
    let questions: Vec<String> = packet.questions.iter().map(|q| text(&q.qname)).collect();
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
        if let Some(name) = super::clean_owned(name) {
            out.push(Answer { ip, name });
        }
    }
    out
}

/// The answers in one direction of a DNS-over-TCP connection (RFC 1035 section 4.2.2,
/// RFC 7766): the server's bytes are messages back to back, each after its length as two
/// bytes. Resolvers fall back to TCP when an answer is too large for UDP, and some devices
/// ask over TCP from the start.
///
/// Framing by hand, because it is two bytes of length: simple-dns reads the messages. Only
/// in-order bytes are used; after a gap the rest cannot be framed and is left. Memory stays
/// below one message (at most 64 KiB) per connection.
#[derive(Debug, Default)]
pub struct TcpAnswers {
    /// The sequence number of the next byte expected, once the stream's start is known.
    next_seq: Option<u32>,
    /// Bytes of a message not yet complete, its length prefix included.
    pending: Vec<u8>,
    /// A gap was seen: nothing more is read.
    stopped: bool,
}

impl TcpAnswers {
    /// Takes one segment of the server's stream (`syn` when it is the SYN-ACK, whose sequence
    /// number comes before the first byte), and gives the answers of the messages it completes.
    pub fn segment(&mut self, seq: u32, syn: bool, payload: &[u8]) -> Vec<Answer> {
        if self.stopped {
            return Vec::new();
        }
        let start = seq.wrapping_add(syn as u32);
        // Without the handshake, the first segment seen is taken as the start of a message.
        let next = *self.next_seq.get_or_insert(start);
        if payload.is_empty() {
            return Vec::new();
        }
        match seq_order(start, next) {
            SeqOrder::Next => {}
            // Ahead of what is expected: bytes are missing. Behind: a retransmission.
            order => {
                self.stopped = order == SeqOrder::Ahead;
                return Vec::new();
            }
        }
        self.next_seq = Some(start.wrapping_add(payload.len() as u32));
        self.pending.extend_from_slice(payload);
        let mut out = Vec::new();
        let mut used = 0;
        while let [high, low, rest @ ..] = &self.pending[used..] {
            let len = usize::from(u16::from_be_bytes([*high, *low]));
            let Some(message) = rest.get(..len) else { break };
            out.extend(answers(message));
            used += 2 + len;
        }
        self.pending.drain(..used);
        out
    }
}

/// A name as text in lower case, without a trailing dot: what simple-dns's `Display` writes
/// (labels joined by dots; a dot or backslash inside a label escaped with a backslash; bytes
/// that are not UTF-8 replaced), lowered, written label by label without the formatting
/// machinery, which cost more than parsing the whole message.
fn text(name: &Name<'_>) -> String {
    let mut out = String::with_capacity(64);
    for (i, label) in name.as_bytes().enumerate() {
        if i > 0 {
            out.push('.');
        }
        if label.iter().all(|b| b.is_ascii() && !matches!(b, b'.' | b'\\')) {
            out.extend(label.iter().map(|b| char::from(b.to_ascii_lowercase())));
            continue;
        }
        for c in String::from_utf8_lossy(label).chars() {
            match c {
                '.' => out.push_str("\\."),
                '\\' => out.push_str("\\\\"),
                c => out.push(c.to_ascii_lowercase()),
            }
        }
    }
    while out.ends_with('.') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use simple_dns::rdata::{A, AAAA, CNAME};
    use simple_dns::{Label, Name, Question, ResourceRecord, CLASS, QCLASS, QTYPE, TYPE};

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

    /// `messages` as a DNS-over-TCP byte stream: each after its two-byte length.
    fn framed(messages: &[Vec<u8>]) -> Vec<u8> {
        messages.iter().flat_map(|m| (m.len() as u16).to_be_bytes().into_iter().chain(m.iter().copied())).collect()
    }

    #[test]
    fn tcp_messages_are_read_however_the_stream_is_cut() {
        let stream = framed(&[response(), response()]);
        for cut in [1, 2, 3, 40, stream.len() / 2 + 1, stream.len() - 1] {
            let mut reader = TcpAnswers::default();
            let seq = 1000u32;
            assert!(reader.segment(seq, true, &[]).is_empty(), "the SYN-ACK");
            let mut got = reader.segment(seq + 1, false, &stream[..cut]);
            got.extend(reader.segment(seq + 1 + cut as u32, false, &stream[cut..]));
            assert_eq!(got.len(), 4, "cut at {cut}");
            assert!(got.iter().all(|a| a.name == "cam.vendor.com"));
        }
    }

    #[test]
    fn tcp_retransmissions_are_ignored_and_a_gap_stops_reading() {
        let stream = framed(&[response(), response()]);
        let half = stream.len() / 2;
        let mut reader = TcpAnswers::default();
        // No handshake seen: the first segment starts the stream, across the sequence wrap.
        let seq = u32::MAX - 10;
        assert_eq!(reader.segment(seq, false, &stream[..half]).len(), 2, "the first message, whole");
        assert!(reader.segment(seq, false, &stream[..half]).is_empty(), "a retransmission");
        assert_eq!(reader.segment(seq.wrapping_add(half as u32), false, &stream[half..]).len(), 2);

        let mut gapped = TcpAnswers::default();
        assert!(gapped.segment(0, false, &stream[..10]).is_empty());
        assert!(gapped.segment(20, false, &stream[20..]).is_empty(), "bytes 10..20 are missing");
        assert!(gapped.segment(10, false, &stream[10..]).is_empty(), "and nothing is read after a gap");
    }

    #[test]
    fn tcp_garbage_keeps_memory_bounded() {
        let mut reader = TcpAnswers::default();
        let mut seq = 0u32;
        for _ in 0..100 {
            let junk = [0xffu8; 1400];
            assert!(reader.segment(seq, false, &junk).is_empty());
            seq = seq.wrapping_add(junk.len() as u32);
            assert!(reader.pending.len() < 2 + 65_535 + 1400);
        }
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

    /// `text` writes what simple-dns's `Display` writes, lowered and without a trailing dot.
    #[test]
    fn name_text_is_the_displayed_name_lowered() {
        let labels: [&[u8]; 7] = [b"WWW", b"a.b", b"back\\slash", b"\xff\xfeX", b"caf\xc3\xa9", b"Example", b"dot."];
        for first in labels {
            for last in labels {
                let name = Name::new_with_labels(&[Label::new_unchecked(first), Label::new_unchecked(last)]);
                let displayed = name.to_string().trim_end_matches('.').to_ascii_lowercase();
                assert_eq!(text(&name), displayed, "{first:?} {last:?}");
            }
        }
    }

    /// A query (no answer or additional records) is not parsed at all; an answer still is.
    #[test]
    fn queries_name_nothing() {
        let mut query = Packet::new_query(9);
        query.questions.push(Question::new(
            Name::new_unchecked("cam.vendor.com"),
            QTYPE::TYPE(TYPE::A),
            QCLASS::CLASS(CLASS::IN),
            false,
        ));
        assert!(answers(&query.build_bytes_vec().unwrap()).is_empty());
        assert!(!answers(&response()).is_empty());
    }
}
