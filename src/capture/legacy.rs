//! Classic pcap: the 24-byte file header, then records of a 16-byte header (24 in the
//! "modified" variant) plus the captured bytes. Micro- and nanosecond timestamps, both byte
//! orders. Parsing goes through pcap-parser; its `Incomplete` signals stay inside this file.

use crate::diagnostic::DiagnosticKind;
use pcap_parser::nom;
use pcap_parser::pcap::{parse_pcap_frame, parse_pcap_frame_be, parse_pcap_frame_modified, parse_pcap_header};
use pcap_parser::PcapError;

use super::{prefetch, Format, Frame, LinkType, Sink, Stop, MAX_RECORD_LEN};

/// The file magics in file byte order: micro LE, nano LE, modified LE, and the same big-endian.
const MAGICS: [[u8; 4]; 6] = [
    [0xd4, 0xc3, 0xb2, 0xa1],
    [0x4d, 0x3c, 0xb2, 0xa1],
    [0x34, 0xcd, 0xb2, 0xa1],
    [0xa1, 0xb2, 0xc3, 0xd4],
    [0xa1, 0xb2, 0x3c, 0x4d],
    [0xa1, 0xb2, 0xcd, 0x34],
];
const FILE_HEADER_LEN: usize = 24;
/// Offset of the captured length inside a record header.
const RECORD_CAPLEN_OFFSET: usize = 8;
const RECORD_HEADER_LEN: usize = 16;
const MODIFIED_RECORD_HEADER_LEN: usize = 24;

pub fn is_magic(first4: &[u8]) -> bool {
    MAGICS.iter().any(|m| m[..] == *first4)
}

#[derive(Debug)]
pub struct LegacyReader {
    big_endian: bool,
    nanoseconds: bool,
    modified: bool,
    link_type: LinkType,
}

impl LegacyReader {
    /// Reads the file header. `Ok(None)`: not enough bytes yet.
    pub fn start(data: &[u8]) -> Result<Option<(LegacyReader, usize)>, String> {
        if data.len() < FILE_HEADER_LEN {
            return Ok(None);
        }
        // pcap-parser does not know the big-endian "modified" magic; its header has the same
        // layout as any big-endian header, so it is read with the plain big-endian rule.
        if data[..4] == MAGICS[5] {
            let field = |at: usize| u32::from_be_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
            let reader = LegacyReader {
                big_endian: true,
                nanoseconds: false,
                modified: true,
                link_type: LinkType(field(20) & 0x0FFF_FFFF),
            };
            return Ok(Some((reader, FILE_HEADER_LEN)));
        }
        match parse_pcap_header(data) {
            Ok((_, header)) => {
                let reader = LegacyReader {
                    big_endian: header.is_bigendian(),
                    nanoseconds: header.is_nanosecond_precision(),
                    modified: header.is_modified_format(),
                    // The upper bits of the link-type field carry FCS information.
                    link_type: LinkType(header.network.0 as u32 & 0x0FFF_FFFF),
                };
                Ok(Some((reader, FILE_HEADER_LEN)))
            }
            Err(nom::Err::Incomplete(_)) => Ok(None),
            Err(_) => Err("the pcap file header is not valid".to_string()),
        }
    }

    pub fn format(&self) -> Format {
        if self.modified {
            Format::PcapModified
        } else {
            Format::Pcap
        }
    }

    fn header_len(&self) -> usize {
        if self.modified {
            MODIFIED_RECORD_HEADER_LEN
        } else {
            RECORD_HEADER_LEN
        }
    }

    /// Reads whole records from `data`; returns the bytes consumed.
    pub fn parse(&mut self, data: &[u8], sink: &mut dyn Sink) -> Result<usize, Stop> {
        let mut pos = 0;
        loop {
            let rest = &data[pos..];
            if rest.len() < self.header_len() {
                return Ok(pos);
            }
            let caplen_bytes = [
                rest[RECORD_CAPLEN_OFFSET],
                rest[RECORD_CAPLEN_OFFSET + 1],
                rest[RECORD_CAPLEN_OFFSET + 2],
                rest[RECORD_CAPLEN_OFFSET + 3],
            ];
            let caplen =
                if self.big_endian { u32::from_be_bytes(caplen_bytes) } else { u32::from_le_bytes(caplen_bytes) }
                    as usize;
            if caplen > MAX_RECORD_LEN {
                return Err(Stop {
                    consumed: pos,
                    kind: DiagnosticKind::CorruptRecord,
                    message: format!(
                        "a packet record claims {caplen} captured bytes, more than any real frame; \
                         the file is corrupt from here on"
                    ),
                });
            }
            if rest.len() < self.header_len() + caplen {
                return Ok(pos);
            }
            prefetch(rest, self.header_len() + caplen);
            let parsed = match (self.modified, self.big_endian) {
                (false, false) => parse_pcap_frame(rest),
                (false, true) => parse_pcap_frame_be(rest),
                (true, false) => parse_pcap_frame_modified(rest),
                (true, true) => Ok((&rest[MODIFIED_RECORD_HEADER_LEN + caplen..], modified_be(rest, caplen))),
            };
            match parsed {
                Ok((remaining, block)) => {
                    let sub_ns = if self.nanoseconds { block.ts_usec as i64 } else { block.ts_usec as i64 * 1000 };
                    let frame = Frame {
                        index: 0,
                        ts_ns: (block.ts_sec as i64) * 1_000_000_000 + sub_ns,
                        link_type: self.link_type,
                        orig_len: block.origlen.max(block.caplen),
                        data: block.data,
                    };
                    sink.frame(frame);
                    pos = data.len() - remaining.len();
                }
                Err(nom::Err::Incomplete(_)) => return Ok(pos),
                Err(e) => {
                    return Err(Stop {
                        consumed: pos,
                        kind: DiagnosticKind::CorruptRecord,
                        message: format!("a packet record could not be read: {}", describe(&e)),
                    })
                }
            }
        }
    }
}

/// A big-endian record of the "modified" format (which pcap-parser only reads little-endian).
fn modified_be(rest: &[u8], caplen: usize) -> pcap_parser::LegacyPcapBlock<'_> {
    let field = |at: usize| u32::from_be_bytes([rest[at], rest[at + 1], rest[at + 2], rest[at + 3]]);
    pcap_parser::LegacyPcapBlock {
        ts_sec: field(0),
        ts_usec: field(4),
        caplen: caplen as u32,
        origlen: field(12),
        data: &rest[MODIFIED_RECORD_HEADER_LEN..MODIFIED_RECORD_HEADER_LEN + caplen],
    }
}

fn describe(e: &nom::Err<PcapError<&[u8]>>) -> String {
    match e {
        nom::Err::Incomplete(_) => "incomplete".to_string(),
        nom::Err::Error(inner) | nom::Err::Failure(inner) => format!("{inner:?}").chars().take(120).collect(),
    }
}
