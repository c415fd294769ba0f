//! Streaming capture reading: bytes in chunks of any size, packet records out.
//!
//! [`CaptureReader`] sniffs the container from the first bytes (classic pcap in its four
//! magics plus the "modified" variant, pcapng, each optionally wrapped in gzip or zstd), then
//! hands every packet record to a callback as a [`Frame`]. It never needs the whole file: it
//! keeps only the unfinished tail of the last chunk. Problems never abort silently: a record
//! that cannot be read stops the reading at that point and is reported as a [`ReadProblem`],
//! and everything read before it stays valid.

mod compression;
mod legacy;
mod link_type;
mod pcapng;
mod prefetch;

use crate::diagnostic::DiagnosticKind;
pub use compression::Compression;
use compression::Decompressor;
pub use link_type::LinkType;
use prefetch::prefetch;

/// Largest packet record we accept. Real captures stay far below (jumbo frames and
/// segmentation offload reach a few hundred KiB); a bigger length means the file is corrupt,
/// and trusting it would make us buffer the rest of a multi-GB file waiting for it.
pub const MAX_RECORD_LEN: usize = 16 * 1024 * 1024;

/// How much of a new chunk is first copied behind the tail of the last one to complete the
/// record they share; more is copied only for a bigger record.
const STRADDLE_PREFIX: usize = 64 * 1024;

/// One packet record of the capture.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// 1-based position of the record in the capture.
    pub index: u64,
    /// Nanoseconds since the Unix epoch.
    pub ts_ns: i64,
    pub link_type: LinkType,
    /// Length of the frame on the wire; `data` may be shorter (snapshot length).
    pub orig_len: u32,
    pub data: &'a [u8],
}

/// The container format, once known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Pcap,
    PcapModified,
    PcapNg,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Pcap => "pcap",
            Format::PcapModified => "pcap-modified",
            Format::PcapNg => "pcapng",
        }
    }
}

/// Something that stopped or disturbed the reading. Everything before it stays valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadProblem {
    /// Stable kind, e.g. `truncated-file`, `corrupt-record`.
    pub kind: DiagnosticKind,
    /// Byte offset in the (decompressed) capture where it happened.
    pub offset: u64,
    /// Records read before it.
    pub after_packet: u64,
    pub message: String,
}

/// What the container parsers report back to the reader.
pub trait Sink {
    fn frame(&mut self, frame: Frame<'_>);
    fn notice(&mut self, kind: DiagnosticKind, packet: u64, message: String);
}

enum Container {
    /// Not enough bytes yet to tell.
    Unknown,
    Legacy(legacy::LegacyReader),
    Ng(pcapng::NgReader),
    /// The stream is not a capture we can read; nothing more will be parsed.
    NotACapture(String),
    /// A fatal problem stopped the reading of a capture of this format; later input is ignored.
    Stopped(Format),
}

/// Streaming reader of one capture. Feed it chunks, then call [`CaptureReader::finish`].
pub struct CaptureReader {
    compression: Option<Compression>,
    decompressor: Option<Decompressor>,
    sniffed: bool,
    /// Raw input kept until enough bytes arrived to recognise the format.
    head: Vec<u8>,
    container: Container,
    /// Unparsed tail of the plain (decompressed) stream.
    buf: Vec<u8>,
    /// Plain-stream offset of `buf[0]`.
    buf_offset: u64,
    packets: u64,
    problem: Option<ReadProblem>,
}

impl Default for CaptureReader {
    fn default() -> Self {
        Self::new()
    }
}

impl CaptureReader {
    pub fn new() -> CaptureReader {
        CaptureReader {
            compression: None,
            decompressor: None,
            sniffed: false,
            head: Vec::new(),
            container: Container::Unknown,
            buf: Vec::new(),
            buf_offset: 0,
            packets: 0,
            problem: None,
        }
    }

    /// Format name for reports: `pcapng`, `gzip+pcap`, ...
    pub fn format_name(&self) -> Option<String> {
        let format = self.known_format()?;
        Some(match self.compression {
            Some(c) => format!("{}+{}", c.name(), format.name()),
            None => format.name().to_string(),
        })
    }

    /// The container format, once recognised (also after reading stopped).
    fn known_format(&self) -> Option<Format> {
        match &self.container {
            Container::Legacy(r) => Some(r.format()),
            Container::Ng(_) => Some(Format::PcapNg),
            Container::Stopped(format) => Some(*format),
            Container::Unknown | Container::NotACapture(_) => None,
        }
    }

    /// Packet records read so far.
    pub fn packets(&self) -> u64 {
        self.packets
    }

    /// The problem that stopped the reading, if any.
    pub fn problem(&self) -> Option<&ReadProblem> {
        self.problem.as_ref()
    }

    /// Why the stream is not a capture at all, if that is the case.
    pub fn not_a_capture(&self) -> Option<&str> {
        match &self.container {
            Container::NotACapture(why) => Some(why),
            _ => None,
        }
    }

    pub fn feed(&mut self, chunk: &[u8], sink: &mut dyn Sink) {
        if !self.sniffed {
            self.head.extend_from_slice(chunk);
            if self.head.len() < 4 {
                return;
            }
            self.sniffed = true;
            self.compression = Compression::sniff(&self.head);
            self.decompressor = self.compression.map(Decompressor::new);
            let head = std::mem::take(&mut self.head);
            self.feed_raw(&head, sink);
            return;
        }
        self.feed_raw(chunk, sink);
    }

    fn feed_raw(&mut self, chunk: &[u8], sink: &mut dyn Sink) {
        match self.decompressor.take() {
            None => self.push_plain(chunk, sink),
            Some(mut decompressor) => {
                let result = decompressor.push(chunk, &mut |plain| self.push_plain(plain, sink));
                self.decompressor = Some(decompressor);
                if let Err(message) = result {
                    self.stop(DiagnosticKind::CorruptCompression, message);
                }
            }
        }
    }

    /// Ends the input. Reports a record cut off by the end of the file.
    pub fn finish(&mut self, sink: &mut dyn Sink) {
        if !self.sniffed {
            self.sniffed = true;
            let head = std::mem::take(&mut self.head);
            self.compression = Compression::sniff(&head);
            self.decompressor = self.compression.map(Decompressor::new);
            self.feed_raw(&head, sink);
        }
        if let Some(mut decompressor) = self.decompressor.take() {
            let result = decompressor.finish(&mut |plain| self.push_plain(plain, sink));
            if let Err(message) = result {
                self.stop(DiagnosticKind::TruncatedFile, message);
            }
        }
        if matches!(self.container, Container::Unknown) {
            let why = if self.buf.is_empty() {
                "the file is empty".to_string()
            } else {
                "the file is too short to be a capture".to_string()
            };
            self.container = Container::NotACapture(why);
            return;
        }
        if !self.buf.is_empty() && matches!(self.container, Container::Legacy(_) | Container::Ng(_)) {
            let message = format!(
                "the capture ends in the middle of a record: {} bytes at offset {} are incomplete",
                self.buf.len(),
                self.buf_offset
            );
            self.stop(DiagnosticKind::TruncatedFile, message);
        }
    }

    fn stop(&mut self, kind: DiagnosticKind, message: String) {
        if self.problem.is_none() {
            self.problem = Some(ReadProblem { kind, offset: self.buf_offset, after_packet: self.packets, message });
        }
        match self.known_format() {
            Some(format) => self.container = Container::Stopped(format),
            // Stopped before the format was known (corrupt compression at the very start):
            // nothing was read, so this is not a capture we can read.
            None if matches!(self.container, Container::Unknown) => {
                self.container =
                    Container::NotACapture(self.problem.as_ref().map(|p| p.message.clone()).unwrap_or_default())
            }
            None => {}
        }
        self.buf = Vec::new();
    }

    fn push_plain(&mut self, data: &[u8], sink: &mut dyn Sink) {
        if matches!(self.container, Container::NotACapture(_) | Container::Stopped(_)) {
            return;
        }
        let mut data = data;
        if !self.buf.is_empty() {
            // Finish the record the last chunk cut off with as little of `data` as it needs
            // (a prefix that doubles until it is enough), so that the rest of `data` is read
            // where it lies instead of being copied behind the tail.
            let mut take = STRADDLE_PREFIX.min(data.len());
            loop {
                let mut buf = std::mem::take(&mut self.buf);
                let tail = buf.len();
                buf.extend_from_slice(&data[..take]);
                let Some(used) = self.parse(&buf, sink) else { return };
                self.buf_offset += used as u64;
                if used >= tail {
                    data = &data[used - tail..];
                    break;
                }
                if take == data.len() {
                    buf.drain(..used);
                    self.buf = buf;
                    return;
                }
                buf.truncate(tail);
                buf.drain(..used);
                self.buf = buf;
                take = (take * 2).min(data.len());
            }
        }
        if let Some(used) = self.parse(data, sink) {
            self.buf_offset += used as u64;
            self.buf.extend_from_slice(&data[used..]);
        }
    }

    /// Parses as many whole records from `data` as possible. Returns how many bytes were
    /// consumed, or `None` when the reading stopped for good.
    fn parse(&mut self, data: &[u8], sink: &mut dyn Sink) -> Option<usize> {
        let mut used = 0;
        if matches!(self.container, Container::Unknown) {
            match sniff_container(data) {
                Sniffed::NeedMore => return Some(0),
                Sniffed::No(why) => {
                    self.container = Container::NotACapture(why);
                    return None;
                }
                Sniffed::Legacy => match legacy::LegacyReader::start(data) {
                    Ok(Some((reader, header_len))) => {
                        self.container = Container::Legacy(reader);
                        used = header_len;
                    }
                    Ok(None) => return Some(0),
                    Err(why) => {
                        self.container = Container::NotACapture(why);
                        return None;
                    }
                },
                Sniffed::Ng => self.container = Container::Ng(pcapng::NgReader::default()),
            }
        }
        let mut counted = CountingSink { inner: sink, packets: &mut self.packets };
        let step = match &mut self.container {
            Container::Legacy(reader) => reader.parse(&data[used..], &mut counted),
            Container::Ng(reader) => reader.parse(&data[used..], &mut counted),
            _ => return None,
        };
        match step {
            Ok(n) => Some(used + n),
            Err(stop) => {
                self.buf_offset += (used + stop.consumed) as u64;
                self.stop(stop.kind, stop.message);
                None
            }
        }
    }
}

/// A reason to stop reading, raised by a container parser.
pub(crate) struct Stop {
    /// Bytes of the given data that were fine before the problem.
    pub consumed: usize,
    pub kind: DiagnosticKind,
    pub message: String,
}

struct CountingSink<'s> {
    inner: &'s mut dyn Sink,
    packets: &'s mut u64,
}

impl Sink for CountingSink<'_> {
    fn frame(&mut self, mut frame: Frame<'_>) {
        *self.packets += 1;
        frame.index = *self.packets;
        self.inner.frame(frame);
    }
    fn notice(&mut self, kind: DiagnosticKind, _packet: u64, message: String) {
        self.inner.notice(kind, *self.packets + 1, message);
    }
}

enum Sniffed {
    NeedMore,
    Legacy,
    Ng,
    No(String),
}

fn sniff_container(data: &[u8]) -> Sniffed {
    let Some(magic) = data.get(..4) else {
        return Sniffed::NeedMore;
    };
    if legacy::is_magic(magic) {
        Sniffed::Legacy
    } else if magic == pcapng::SHB_TYPE_BYTES {
        Sniffed::Ng
    } else {
        Sniffed::No(format!(
            "not a pcap or pcapng capture (the file starts with bytes {:02x} {:02x} {:02x} {:02x}); \
             phonehome reads pcap, pcapng, and either of them compressed with gzip or zstd",
            magic[0], magic[1], magic[2], magic[3]
        ))
    }
}

/// Converts a timestamp in units of `10^-exp` or `2^-exp` seconds to nanoseconds, saturating.
pub(crate) fn units_to_ns(units: u64, resolution: TsResolution) -> i64 {
    let ns: u128 = match resolution {
        TsResolution::Decimal(exp) if exp <= 9 => units as u128 * 10u128.pow(9 - exp as u32),
        TsResolution::Decimal(exp) => units as u128 / 10u128.pow((exp as u32 - 9).min(38)),
        TsResolution::Binary(exp) => ((units as u128) * 1_000_000_000u128) >> exp.min(127),
    };
    i64::try_from(ns).unwrap_or(i64::MAX)
}

/// Timestamp unit of a pcapng interface (`if_tsresol`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TsResolution {
    Decimal(u8),
    Binary(u8),
}

#[cfg(test)]
mod tests;
