//! Reader tests on byte streams built here, fed in chunks of many sizes.

use super::*;
use crate::diagnostic::DiagnosticKind;

#[derive(Default)]
struct Collect {
    frames: Vec<(u64, i64, u32, u32, Vec<u8>)>,
    notices: Vec<DiagnosticKind>,
}

impl Sink for Collect {
    fn frame(&mut self, f: Frame<'_>) {
        self.frames.push((f.index, f.ts_ns, f.link_type.0, f.orig_len, f.data.to_vec()));
    }
    fn notice(&mut self, kind: DiagnosticKind, _packet: u64, _message: String) {
        self.notices.push(kind);
    }
}

fn read(bytes: &[u8], chunk: usize) -> (CaptureReader, Collect) {
    let mut reader = CaptureReader::new();
    let mut sink = Collect::default();
    for piece in bytes.chunks(chunk.max(1)) {
        reader.feed(piece, &mut sink);
    }
    reader.finish(&mut sink);
    (reader, sink)
}

/// A classic pcap with the given magic (file byte order) and two records.
fn legacy(magic: [u8; 4], big_endian: bool, modified: bool) -> Vec<u8> {
    let w32 = |v: u32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let w16 = |v: u16| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut out = magic.to_vec();
    out.extend(w16(2));
    out.extend(w16(4));
    out.extend(w32(0));
    out.extend(w32(0));
    out.extend(w32(65535));
    out.extend(w32(1));
    for (i, len) in [(0u32, 60u32), (1, 4)] {
        out.extend(w32(1_700_000_000 + i));
        out.extend(w32(500 + i));
        out.extend(w32(len));
        out.extend(w32(len + 10));
        if modified {
            out.extend([0u8; 8]);
        }
        out.extend(std::iter::repeat_n(0xab, len as usize));
    }
    out
}

#[test]
fn classic_pcap_all_magics_any_chunking() {
    let cases = [
        ([0xd4, 0xc3, 0xb2, 0xa1], false, false, 1000, "pcap"),
        ([0xa1, 0xb2, 0xc3, 0xd4], true, false, 1000, "pcap"),
        ([0x4d, 0x3c, 0xb2, 0xa1], false, false, 1, "pcap"),
        ([0xa1, 0xb2, 0x3c, 0x4d], true, false, 1, "pcap"),
        ([0x34, 0xcd, 0xb2, 0xa1], false, true, 1000, "pcap-modified"),
        ([0xa1, 0xb2, 0xcd, 0x34], true, true, 1000, "pcap-modified"),
    ];
    for (magic, be, modified, sub_scale, name) in cases {
        let bytes = legacy(magic, be, modified);
        for chunk in [1, 3, 17, 24, 4096] {
            let (reader, sink) = read(&bytes, chunk);
            assert_eq!(reader.format_name().as_deref(), Some(name));
            assert!(reader.problem().is_none(), "{magic:x?} chunk {chunk}: {:?}", reader.problem());
            assert_eq!(sink.frames.len(), 2);
            let (index, ts, link, orig, data) = &sink.frames[1];
            assert_eq!(*index, 2);
            assert_eq!(*ts, 1_700_000_001 * 1_000_000_000 + 501 * sub_scale);
            assert_eq!((*link, *orig, data.len()), (1, 14, 4));
        }
    }
}

#[test]
fn truncated_pcap_keeps_whole_records_and_says_where() {
    let bytes = legacy([0xd4, 0xc3, 0xb2, 0xa1], false, false);
    let cut = &bytes[..bytes.len() - 2];
    let (reader, sink) = read(cut, 7);
    assert_eq!(sink.frames.len(), 1);
    let problem = reader.problem().expect("a problem");
    assert_eq!(problem.kind, DiagnosticKind::TruncatedFile);
    assert_eq!(problem.after_packet, 1);
    assert_eq!(problem.offset, 24 + 16 + 60);
    assert_eq!(reader.format_name().as_deref(), Some("pcap"));
}

#[test]
fn absurd_record_length_stops_instead_of_buffering() {
    let mut bytes = legacy([0xd4, 0xc3, 0xb2, 0xa1], false, false);
    let second = 24 + 16 + 60;
    bytes[second + 8..second + 12].copy_from_slice(&u32::MAX.to_le_bytes());
    let (reader, sink) = read(&bytes, 5);
    assert_eq!(sink.frames.len(), 1);
    assert_eq!(reader.problem().map(|p| p.kind), Some(DiagnosticKind::CorruptRecord));
}

#[test]
fn not_a_capture_is_recognised() {
    let (reader, sink) = read(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 4);
    assert!(reader.not_a_capture().unwrap().contains("not a pcap"));
    assert!(sink.frames.is_empty());
    let (reader, _) = read(b"", 4);
    assert_eq!(reader.not_a_capture(), Some("the file is empty"));
    let (reader, _) = read(&[0xd4, 0xc3], 4);
    assert!(reader.not_a_capture().is_some());
}

fn ng_block(be: bool, block_type: u32, body: &[u8]) -> Vec<u8> {
    let w32 = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let padded = body.len().div_ceil(4) * 4;
    let total = (12 + padded) as u32;
    let mut out = w32(block_type).to_vec();
    out.extend(w32(total));
    out.extend(body);
    out.extend(std::iter::repeat_n(0, padded - body.len()));
    out.extend(w32(total));
    out
}

fn ng_section(be: bool, tsresol: Option<u8>, tsoffset: Option<i64>, link: u16) -> Vec<u8> {
    let w32 = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let w16 = |v: u16| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut shb = w32(0x1A2B_3C4D).to_vec();
    shb.extend(w16(1));
    shb.extend(w16(0));
    shb.extend([0xff; 8]);
    let mut out = ng_block(be, 0x0A0D_0D0A, &shb);
    let mut idb = w16(link).to_vec();
    idb.extend(w16(0));
    idb.extend(w32(0));
    if let Some(r) = tsresol {
        idb.extend(w16(9));
        idb.extend(w16(1));
        idb.extend([r, 0, 0, 0]);
    }
    if let Some(o) = tsoffset {
        idb.extend(w16(14));
        idb.extend(w16(8));
        idb.extend(if be { o.to_be_bytes() } else { o.to_le_bytes() });
    }
    idb.extend([0; 4]);
    out.extend(ng_block(be, 1, &idb));
    out
}

fn ng_epb(be: bool, units: u64, data: &[u8]) -> Vec<u8> {
    let w32 = |v: u32| if be { v.to_be_bytes() } else { v.to_le_bytes() };
    let mut body = w32(0).to_vec();
    body.extend(w32((units >> 32) as u32));
    body.extend(w32(units as u32));
    body.extend(w32(data.len() as u32));
    body.extend(w32(data.len() as u32 + 100));
    body.extend(data);
    ng_block(be, 6, &body)
}

#[test]
fn pcapng_sections_of_both_byte_orders_with_resolution_and_offset() {
    let mut bytes = ng_section(false, None, None, 1);
    bytes.extend(ng_epb(false, 1_700_000_000_123_456, &[1; 30]));
    bytes.extend(ng_block(false, 0x0BAD_0000, &[9; 7])); // unknown block: skipped
    bytes.extend(ng_section(true, Some(9), Some(100), 101));
    bytes.extend(ng_epb(true, 5_000_000_001, &[2; 41]));
    bytes.extend(ng_section(false, Some(0x80 | 10), None, 113));
    bytes.extend(ng_epb(false, 3 * 1024 + 512, &[3; 8]));
    for chunk in [1, 13, 64, 100_000] {
        let (reader, sink) = read(&bytes, chunk);
        assert!(reader.problem().is_none(), "{:?}", reader.problem());
        assert_eq!(reader.format_name().as_deref(), Some("pcapng"));
        let got: Vec<_> = sink.frames.iter().map(|f| (f.1, f.2, f.3, f.4.len())).collect();
        assert_eq!(
            got,
            vec![
                (1_700_000_000_123_456_000, 1, 130, 30),
                (105_000_000_001, 101, 141, 41),
                (3_500_000_000, 113, 108, 8),
            ]
        );
    }
}

#[test]
fn pcapng_truncated_mid_block() {
    let mut bytes = ng_section(false, None, None, 1);
    bytes.extend(ng_epb(false, 1, &[1; 30]));
    bytes.extend(ng_epb(false, 2, &[1; 30]));
    let (reader, sink) = read(&bytes[..bytes.len() - 5], 9);
    assert_eq!(sink.frames.len(), 1);
    assert_eq!(reader.problem().map(|p| p.kind), Some(DiagnosticKind::TruncatedFile));
    assert_eq!(reader.format_name().as_deref(), Some("pcapng"));
}

#[test]
fn gzip_wrapped_pcap() {
    use std::io::Write as _;
    let bytes = legacy([0xd4, 0xc3, 0xb2, 0xa1], false, false);
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(&bytes).unwrap();
    let gz = enc.finish().unwrap();
    let (reader, sink) = read(&gz, 3);
    assert_eq!(reader.format_name().as_deref(), Some("gzip+pcap"));
    assert_eq!(sink.frames.len(), 2);
}

#[test]
fn timestamp_units() {
    assert_eq!(units_to_ns(1_500, TsResolution::Decimal(3)), 1_500_000_000);
    assert_eq!(units_to_ns(7, TsResolution::Decimal(12)), 0);
    assert_eq!(units_to_ns(7_000, TsResolution::Decimal(12)), 7);
    assert_eq!(units_to_ns(3, TsResolution::Binary(1)), 1_500_000_000);
    assert_eq!(units_to_ns(u64::MAX, TsResolution::Decimal(0)), i64::MAX);
}
