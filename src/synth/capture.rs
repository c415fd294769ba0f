//! The classic pcap file the generator writes (Ethernet, microsecond timestamps, little-endian),
//! and the [`Round`] buffer that lets the scenario emit packets of overlapping conversations in
//! any order while the file stays in timestamp order and memory stays bounded by one round.
//! A round can also be written up to a point in time only ([`Round::flush_before`]), keeping
//! the later frames of conversations still going, for captures whose flows outlast any round.

use std::io::{self, Write};

use super::wire::{self, ArpOp, IpHead, Link, Mac, Transport};

const MAGIC_MICROSECONDS: u32 = 0xa1b2_c3d4;
const LINKTYPE_ETHERNET: u32 = 1;
const SNAPLEN: u32 = 262_144;
const FILE_HEADER_LEN: u64 = 24;
const RECORD_HEADER_LEN: u64 = 16;

/// Writes the pcap file header once, then records; counts what it wrote.
pub struct PcapWriter<W: Write> {
    out: W,
    /// Bytes written to `out`, file header included.
    pub file_bytes: u64,
    pub packets: u64,
    /// Sum of frame lengths, what a reader reports as the capture's bytes.
    pub frame_bytes: u64,
    /// Timestamp of the last record written, in microseconds.
    pub last_ts_us: u64,
}

impl<W: Write> PcapWriter<W> {
    pub fn new(mut out: W) -> io::Result<Self> {
        let mut header = Vec::with_capacity(FILE_HEADER_LEN as usize);
        header.extend_from_slice(&MAGIC_MICROSECONDS.to_le_bytes());
        header.extend_from_slice(&2u16.to_le_bytes());
        header.extend_from_slice(&4u16.to_le_bytes());
        header.extend_from_slice(&0i32.to_le_bytes()); // thiszone
        header.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
        header.extend_from_slice(&SNAPLEN.to_le_bytes());
        header.extend_from_slice(&LINKTYPE_ETHERNET.to_le_bytes());
        out.write_all(&header)?;
        Ok(PcapWriter { out, file_bytes: FILE_HEADER_LEN, packets: 0, frame_bytes: 0, last_ts_us: 0 })
    }

    pub(super) fn record(&mut self, ts_us: u64, frame: &[u8]) -> io::Result<()> {
        let mut header = [0u8; RECORD_HEADER_LEN as usize];
        header[0..4].copy_from_slice(&((ts_us / 1_000_000) as u32).to_le_bytes());
        header[4..8].copy_from_slice(&((ts_us % 1_000_000) as u32).to_le_bytes());
        let len = frame.len() as u32;
        header[8..12].copy_from_slice(&len.to_le_bytes());
        header[12..16].copy_from_slice(&len.to_le_bytes());
        self.out.write_all(&header)?;
        self.out.write_all(frame)?;
        self.file_bytes += RECORD_HEADER_LEN + frame.len() as u64;
        self.packets += 1;
        self.frame_bytes += frame.len() as u64;
        self.last_ts_us = ts_us;
        Ok(())
    }

    pub fn finish(mut self) -> io::Result<()> {
        self.out.flush()
    }
}

struct Entry {
    ts_us: u64,
    start: usize,
    len: usize,
}

/// Frames of one stretch of time, kept until the stretch is complete, then written in order.
pub struct Round {
    arena: Vec<u8>,
    entries: Vec<Entry>,
    /// Where the frames kept by [`Round::flush_before`] are moved to; swapped with `arena`.
    spare: Vec<u8>,
    /// IPv4 identification counter shared by all senders: cheap, and plausible enough.
    ident: u16,
}

impl Round {
    pub fn new() -> Self {
        Round { arena: Vec::with_capacity(1 << 20), entries: Vec::with_capacity(1024), spare: Vec::new(), ident: 1 }
    }

    /// Bytes the buffered frames will take in the file.
    pub fn file_bytes(&self) -> u64 {
        self.arena.len() as u64 + RECORD_HEADER_LEN * self.entries.len() as u64
    }

    fn push(&mut self, ts_us: u64, start: usize) {
        let len = self.arena.len() - start;
        self.entries.push(Entry { ts_us, start, len });
    }

    pub fn ip(
        &mut self,
        ts_us: u64,
        link: &Link,
        head: IpHead,
        transport: Transport,
        payload: &[u8],
    ) -> io::Result<()> {
        self.ident = self.ident.wrapping_add(1);
        let start = self.arena.len();
        if let Err(e) = wire::ip_frame(&mut self.arena, link, &head, self.ident, transport, payload) {
            self.arena.truncate(start);
            return Err(e);
        }
        self.push(ts_us, start);
        Ok(())
    }

    pub fn arp(&mut self, ts_us: u64, link: &Link, op: ArpOp, sender: (Mac, [u8; 4]), target: (Mac, [u8; 4])) {
        let start = self.arena.len();
        wire::arp_frame(&mut self.arena, link, op, sender, target);
        self.push(ts_us, start);
    }

    /// Writes every buffered frame in timestamp order (ties keep the order they were made in,
    /// so a conversation's causality survives equal timestamps) and empties the buffer.
    pub fn flush<W: Write>(&mut self, out: &mut PcapWriter<W>) -> io::Result<()> {
        self.flush_before(u64::MAX, out)
    }

    /// Writes the buffered frames stamped before `cutoff_us`, in timestamp order as
    /// [`Round::flush`] does, and keeps the later ones. Right when nothing made from now on is
    /// stamped before `cutoff_us`.
    pub fn flush_before<W: Write>(&mut self, cutoff_us: u64, out: &mut PcapWriter<W>) -> io::Result<()> {
        self.entries.sort_by_key(|e| e.ts_us);
        let due = self.entries.partition_point(|e| e.ts_us < cutoff_us);
        for e in &self.entries[..due] {
            out.record(e.ts_us, &self.arena[e.start..e.start + e.len])?;
        }
        self.spare.clear();
        let mut kept = 0;
        for i in due..self.entries.len() {
            let e = &self.entries[i];
            let start = self.spare.len();
            self.spare.extend_from_slice(&self.arena[e.start..e.start + e.len]);
            self.entries[kept] = Entry { ts_us: e.ts_us, start, len: e.len };
            kept += 1;
        }
        self.entries.truncate(kept);
        std::mem::swap(&mut self.arena, &mut self.spare);
        self.spare.clear();
        Ok(())
    }

    /// Bytes of frame data buffered (what [`Round::flush_before`] copies for the frames it keeps).
    pub fn buffered(&self) -> usize {
        self.arena.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flush_orders_by_time_and_counts() {
        let mut round = Round::new();
        let link = Link { src: [2, 0, 0, 0, 0, 1], dst: wire::BROADCAST, vlan: None };
        round.arp(20, &link, ArpOp::Request, ([2, 0, 0, 0, 0, 1], [10, 0, 0, 2]), ([0; 6], [10, 0, 0, 1]));
        round.arp(10, &link, ArpOp::Request, ([2, 0, 0, 0, 0, 1], [10, 0, 0, 2]), ([0; 6], [10, 0, 0, 3]));
        let expected = round.file_bytes();
        let mut writer = PcapWriter::new(Vec::new()).unwrap();
        round.flush(&mut writer).unwrap();
        assert_eq!(writer.packets, 2);
        assert_eq!(writer.file_bytes, FILE_HEADER_LEN + expected);
        let bytes = &writer.out;
        assert_eq!(bytes.len() as u64, writer.file_bytes);
        // first record is the one stamped 10 us, asking for 10.0.0.3
        assert_eq!(&bytes[24 + 4..24 + 8], &10u32.to_le_bytes());
        assert_eq!(&bytes[40 + 38..40 + 42], &[10, 0, 0, 3]);
        assert_eq!(round.file_bytes(), 0);
    }

    #[test]
    fn flush_before_keeps_later_frames_for_the_next_flush() {
        let mut round = Round::new();
        let link = Link { src: [2, 0, 0, 0, 0, 1], dst: wire::BROADCAST, vlan: None };
        for (ts, last) in [(30, 3u8), (10, 1), (20, 2), (40, 4)] {
            round.arp(ts, &link, ArpOp::Request, ([2, 0, 0, 0, 0, 1], [10, 0, 0, 9]), ([0; 6], [10, 0, 0, last]));
        }
        let mut writer = PcapWriter::new(Vec::new()).unwrap();
        round.flush_before(25, &mut writer).unwrap();
        assert_eq!(writer.packets, 2);
        round.arp(25, &link, ArpOp::Request, ([2, 0, 0, 0, 0, 1], [10, 0, 0, 9]), ([0; 6], [10, 0, 0, 5]));
        round.flush(&mut writer).unwrap();
        assert_eq!(writer.packets, 5);
        assert_eq!(round.buffered(), 0);
        let asked: Vec<u8> = (0..5).map(|i| writer.out[24 + i * 76 + 16 + 41]).collect();
        assert_eq!(asked, [1, 2, 5, 3, 4]);
    }
}
