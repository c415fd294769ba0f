//! pcapng: sections (each with its own byte order), interfaces with their own link type,
//! timestamp resolution and offset, and packet blocks (enhanced, simple, and the obsolete
//! packet block). Other blocks are skipped. Block bodies are parsed by pcap-parser; only the
//! framing (type and length, needed to know whether a whole block has arrived) is read here.

use crate::diagnostic::DiagnosticKind;
use pcap_parser::nom;
use pcap_parser::pcapng::{parse_block_be, parse_block_le, Block};

use super::{prefetch, units_to_ns, Frame, LinkType, Sink, Stop, TsResolution, MAX_RECORD_LEN};

/// The section header block type reads the same in both byte orders.
pub const SHB_TYPE_BYTES: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
/// Byte-order magic as it appears in a little-endian section.
const BOM_LE: [u8; 4] = [0x4d, 0x3c, 0x2b, 0x1a];
const BOM_BE: [u8; 4] = [0x1a, 0x2b, 0x3c, 0x4d];
const BLOCK_LEN_OFFSET: usize = 4;
const BOM_OFFSET: usize = 8;
/// Type, length, and trailing length.
const MIN_BLOCK_LEN: usize = 12;
/// The obsolete Packet Block, which pcap-parser hands over as an unknown block.
const OPB_TYPE: u32 = 0x0000_0002;
/// OPB body: interface id (2), drops (2), timestamp high (4), low (4), caplen (4), len (4).
const OPB_FIXED_LEN: usize = 20;

#[derive(Debug, Clone)]
struct Interface {
    link_type: LinkType,
    resolution: TsResolution,
    offset_s: i64,
}

#[derive(Debug, Default)]
pub struct NgReader {
    big_endian: bool,
    interfaces: Vec<Interface>,
    /// Timestamp of the last packet, given to simple packet blocks (which carry none).
    last_ts_ns: i64,
}

impl NgReader {
    pub fn parse(&mut self, data: &[u8], sink: &mut dyn Sink) -> Result<usize, Stop> {
        let mut pos = 0;
        loop {
            let rest = &data[pos..];
            if rest.len() < MIN_BLOCK_LEN {
                return Ok(pos);
            }
            if rest[..4] == SHB_TYPE_BYTES {
                let bom = &rest[BOM_OFFSET..BOM_OFFSET + 4];
                self.big_endian = if bom == BOM_LE {
                    false
                } else if bom == BOM_BE {
                    true
                } else {
                    return Err(stop(
                        pos,
                        DiagnosticKind::CorruptBlock,
                        "a pcapng section header has no valid byte-order mark".into(),
                    ));
                };
            }
            let len_bytes = [
                rest[BLOCK_LEN_OFFSET],
                rest[BLOCK_LEN_OFFSET + 1],
                rest[BLOCK_LEN_OFFSET + 2],
                rest[BLOCK_LEN_OFFSET + 3],
            ];
            let block_len =
                if self.big_endian { u32::from_be_bytes(len_bytes) } else { u32::from_le_bytes(len_bytes) } as usize;
            if block_len < MIN_BLOCK_LEN || block_len % 4 != 0 || block_len > MAX_RECORD_LEN + 64 {
                return Err(stop(
                    pos,
                    DiagnosticKind::CorruptBlock,
                    format!(
                        "a pcapng block has an impossible length ({block_len} bytes); the file is corrupt from here on"
                    ),
                ));
            }
            if rest.len() < block_len {
                return Ok(pos);
            }
            prefetch(rest, block_len);
            let block_bytes = &rest[..block_len];
            let parsed = if self.big_endian { parse_block_be(block_bytes) } else { parse_block_le(block_bytes) };
            match parsed {
                Ok((_, block)) => self.handle(block, sink),
                Err(nom::Err::Incomplete(_)) | Err(nom::Err::Error(_)) | Err(nom::Err::Failure(_)) => {
                    // The framing is sound, so the next block can still be read.
                    sink.notice(
                        DiagnosticKind::CorruptBlock,
                        0,
                        "a pcapng block could not be read and was skipped".into(),
                    );
                }
            }
            pos += block_len;
        }
    }

    fn handle(&mut self, block: Block<'_>, sink: &mut dyn Sink) {
        match block {
            Block::SectionHeader(_) => self.interfaces.clear(),
            Block::InterfaceDescription(idb) => {
                let raw = idb.if_tsresol;
                let resolution =
                    if raw & 0x80 != 0 { TsResolution::Binary(raw & 0x7f) } else { TsResolution::Decimal(raw) };
                self.interfaces.push(Interface {
                    link_type: LinkType(idb.linktype.0 as u32 & 0xFFFF),
                    resolution,
                    offset_s: self.ts_offset(&idb),
                });
            }
            Block::EnhancedPacket(epb) => {
                let units = ((epb.ts_high as u64) << 32) | epb.ts_low as u64;
                let caplen = (epb.caplen as usize).min(epb.data.len());
                self.packet(epb.if_id as usize, Some(units), epb.origlen, &epb.data[..caplen], sink);
            }
            Block::SimplePacket(spb) => {
                let caplen = (spb.origlen as usize).min(spb.data.len());
                self.packet(0, None, spb.origlen, &spb.data[..caplen], sink);
            }
            Block::Unknown(unknown) if unknown.block_type == OPB_TYPE => self.obsolete_packet(unknown.data, sink),
            _ => {}
        }
    }

    /// `if_tsoffset` in the section's byte order: pcap-parser reads it as little-endian always.
    fn ts_offset(&self, idb: &pcap_parser::pcapng::InterfaceDescriptionBlock<'_>) -> i64 {
        idb.options
            .iter()
            .find(|o| o.code == pcap_parser::pcapng::OptionCode::IfTsoffset)
            .and_then(|o| <[u8; 8]>::try_from(o.value.get(..8)?).ok())
            .map(|b| if self.big_endian { i64::from_be_bytes(b) } else { i64::from_le_bytes(b) })
            .unwrap_or(0)
    }

    /// The obsolete Packet Block: pcap-parser does not decode it, and its body is six fixed
    /// fields plus the data.
    fn obsolete_packet(&mut self, body: &[u8], sink: &mut dyn Sink) {
        if body.len() < OPB_FIXED_LEN {
            sink.notice(DiagnosticKind::CorruptBlock, 0, "an obsolete packet block is too short".into());
            return;
        }
        let u16_at = |at: usize| {
            let b = [body[at], body[at + 1]];
            if self.big_endian {
                u16::from_be_bytes(b)
            } else {
                u16::from_le_bytes(b)
            }
        };
        let u32_at = |at: usize| {
            let b = [body[at], body[at + 1], body[at + 2], body[at + 3]];
            if self.big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            }
        };
        let if_id = u16_at(0) as usize;
        let units = ((u32_at(4) as u64) << 32) | u32_at(8) as u64;
        let caplen = (u32_at(12) as usize).min(body.len() - OPB_FIXED_LEN);
        let orig_len = u32_at(16);
        self.packet(if_id, Some(units), orig_len, &body[OPB_FIXED_LEN..OPB_FIXED_LEN + caplen], sink);
    }

    fn packet(&mut self, if_id: usize, units: Option<u64>, orig_len: u32, data: &[u8], sink: &mut dyn Sink) {
        let Some(interface) = self.interfaces.get(if_id) else {
            sink.notice(
                DiagnosticKind::UnknownInterface,
                0,
                format!("a packet names interface {if_id}, which its section does not describe; it was skipped"),
            );
            return;
        };
        let ts_ns = match units {
            Some(units) => units_to_ns(units, interface.resolution)
                .saturating_add(interface.offset_s.saturating_mul(1_000_000_000)),
            None => self.last_ts_ns,
        };
        self.last_ts_ns = ts_ns;
        sink.frame(Frame {
            index: 0,
            ts_ns,
            link_type: interface.link_type,
            orig_len: orig_len.max(data.len() as u32),
            data,
        });
    }
}

fn stop(consumed: usize, kind: DiagnosticKind, message: String) -> Stop {
    Stop { consumed, kind, message }
}
