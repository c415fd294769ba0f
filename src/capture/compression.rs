//! Push-style decompression of gzip- and zstd-compressed captures.
//!
//! Both decoders are pure Rust (flate2 on miniz_oxide, ruzstd) so they build for wasm32.
//! Input arrives in chunks of any size; output is handed on as soon as it is decoded, so a
//! multi-gigabyte compressed capture never sits whole in memory. This is the only module that
//! uses flate2, and the only reader of captures with ruzstd (`geo::packed` decodes the shipped
//! IP table with it, a whole file in memory).

use std::io::Write;

use flate2::write::MultiGzDecoder;
use ruzstd::decoding::FrameDecoder;

/// Magic bytes that open a gzip member.
pub const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];
/// Magic number that opens a zstd frame (little-endian `0xFD2FB528`).
pub const ZSTD_MAGIC: [u8; 4] = [0x28, 0xb5, 0x2f, 0xfd];

/// A zstd block is at most 128 KiB, its header 3 bytes, a frame header at most 18 bytes and a
/// checksum 4: with this much input buffered, ruzstd's slice decoder always makes progress.
const ZSTD_MIN_INPUT: usize = 128 * 1024 + 3 + 18 + 4;
/// How much decoded output to take from ruzstd per call.
const ZSTD_OUTPUT_STEP: usize = 256 * 1024;

/// Which compression wraps the capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    Gzip,
    Zstd,
}

impl Compression {
    /// Recognises a compressed stream from its first bytes (at least 4 are needed for zstd).
    pub fn sniff(prefix: &[u8]) -> Option<Compression> {
        if prefix.starts_with(&ZSTD_MAGIC) {
            Some(Compression::Zstd)
        } else if prefix.starts_with(&GZIP_MAGIC) {
            Some(Compression::Gzip)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Compression::Gzip => "gzip",
            Compression::Zstd => "zstd",
        }
    }
}

/// A streaming decompressor: compressed chunks in, plain bytes out through a callback.
pub enum Decompressor {
    Gzip(Box<MultiGzDecoder<Vec<u8>>>),
    Zstd(Box<ZstdStream>),
}

impl Decompressor {
    pub fn new(kind: Compression) -> Decompressor {
        match kind {
            Compression::Gzip => Decompressor::Gzip(Box::new(MultiGzDecoder::new(Vec::new()))),
            Compression::Zstd => Decompressor::Zstd(Box::new(ZstdStream::new())),
        }
    }

    /// Decompresses `chunk`, passing every decoded piece to `out`.
    /// An error means the compressed stream is corrupt; what was decoded before stays valid.
    pub fn push(&mut self, chunk: &[u8], out: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        match self {
            Decompressor::Gzip(decoder) => {
                let result = decoder.write_all(chunk);
                drain_vec(decoder.get_mut(), out);
                result.map_err(|e| format!("gzip data is corrupt: {e}"))
            }
            Decompressor::Zstd(stream) => stream.push(chunk, false, out),
        }
    }

    /// Flushes what is left at the end of the input.
    pub fn finish(&mut self, out: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        match self {
            Decompressor::Gzip(decoder) => {
                let result = decoder.try_finish();
                drain_vec(decoder.get_mut(), out);
                result.map_err(|e| format!("gzip stream ends early: {e}"))
            }
            Decompressor::Zstd(stream) => stream.push(&[], true, out),
        }
    }
}

fn drain_vec(buffer: &mut Vec<u8>, out: &mut dyn FnMut(&[u8])) {
    if !buffer.is_empty() {
        out(buffer);
        buffer.clear();
    }
}

/// zstd over ruzstd's slice API. ruzstd only offers pull-style readers or a slice decoder that
/// needs whole blocks, so this keeps the not-yet-decodable tail of the input and feeds the
/// decoder only when a whole block is guaranteed to be present (or the input has ended).
pub struct ZstdStream {
    decoder: FrameDecoder,
    pending: Vec<u8>,
    in_frame: bool,
    output: Vec<u8>,
}

impl ZstdStream {
    fn new() -> ZstdStream {
        ZstdStream {
            decoder: FrameDecoder::new(),
            pending: Vec::new(),
            in_frame: false,
            output: vec![0; ZSTD_OUTPUT_STEP],
        }
    }

    fn push(&mut self, chunk: &[u8], at_end: bool, out: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        self.pending.extend_from_slice(chunk);
        let mut start = 0;
        let result = self.decode_pending(&mut start, at_end, out);
        self.pending.drain(..start);
        result?;
        if at_end && (self.in_frame || !self.pending.is_empty()) {
            return Err("zstd stream ends in the middle of a frame".to_string());
        }
        Ok(())
    }

    fn decode_pending(&mut self, start: &mut usize, at_end: bool, out: &mut dyn FnMut(&[u8])) -> Result<(), String> {
        loop {
            let available = self.pending.len() - *start;
            // At the end an open frame may still hold decoded bytes to drain, even with no
            // input left.
            let drain_only = at_end && available == 0 && self.in_frame;
            if (available == 0 && !drain_only) || (!at_end && available < ZSTD_MIN_INPUT) {
                return Ok(());
            }
            let source = &self.pending[*start..];
            if !self.in_frame {
                if let Some(skip) = skippable_frame_len(source) {
                    if skip > available {
                        return if at_end { Err("zstd skippable frame is cut short".to_string()) } else { Ok(()) };
                    }
                    *start += skip;
                    continue;
                }
                let mut reader = source;
                self.decoder.reset(&mut reader).map_err(|e| format!("zstd frame header is corrupt: {e}"))?;
                *start += available - reader.len();
                self.in_frame = true;
                continue;
            }
            let (read, written) = self
                .decoder
                .decode_from_to(source, &mut self.output)
                .map_err(|e| format!("zstd data is corrupt: {e}"))?;
            // ruzstd can claim a 4-byte checksum it was not given: never step past the input.
            if read > source.len() {
                return Err("zstd stream ends in the middle of a frame".to_string());
            }
            *start += read;
            if written > 0 {
                out(&self.output[..written]);
            }
            if self.decoder.is_finished() && self.decoder.can_collect() == 0 {
                self.in_frame = false;
            } else if read == 0 && written == 0 {
                if at_end {
                    return Err("zstd stream ends in the middle of a block".to_string());
                }
                return Ok(());
            }
        }
    }
}

/// Skippable frames carry user data that is not part of the content: magic `0x184D2A5?`,
/// then a 4-byte little-endian length.
fn skippable_frame_len(source: &[u8]) -> Option<usize> {
    let header: [u8; 8] = source.get(..8)?.try_into().ok()?;
    let magic = u32::from_le_bytes([header[0], header[1], header[2], header[3]]);
    if magic & 0xFFFF_FFF0 != 0x184D_2A50 {
        return None;
    }
    let len = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    Some(8 + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn push_all(kind: Compression, data: &[u8], chunk: usize) -> Result<Vec<u8>, String> {
        let mut d = Decompressor::new(kind);
        let mut plain = Vec::new();
        for piece in data.chunks(chunk.max(1)) {
            d.push(piece, &mut |b| plain.extend_from_slice(b))?;
        }
        d.finish(&mut |b| plain.extend_from_slice(b))?;
        Ok(plain)
    }

    fn sample(len: usize) -> Vec<u8> {
        let mut x: u32 = 7;
        (0..len)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i % 3 == 0 {
                    (x >> 24) as u8
                } else {
                    b'a' + (i % 7) as u8
                }
            })
            .collect()
    }

    #[test]
    fn gzip_round_trip_in_odd_chunks() {
        let data = sample(300_000);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&data).unwrap();
        let gz = enc.finish().unwrap();
        assert_eq!(Compression::sniff(&gz), Some(Compression::Gzip));
        for chunk in [1, 7, 4096, 1 << 20] {
            assert_eq!(push_all(Compression::Gzip, &gz, chunk).unwrap(), data);
        }
    }

    #[test]
    fn gzip_cut_short_is_an_error_after_partial_output() {
        let data = sample(100_000);
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        enc.write_all(&data).unwrap();
        let gz = enc.finish().unwrap();
        let mut d = Decompressor::new(Compression::Gzip);
        let mut plain = Vec::new();
        d.push(&gz[..gz.len() / 2], &mut |b| plain.extend_from_slice(b)).unwrap();
        assert!(d.finish(&mut |b| plain.extend_from_slice(b)).is_err());
        assert!(!plain.is_empty());
        assert_eq!(&data[..plain.len()], &plain[..]);
    }

    #[test]
    fn zstd_round_trip_in_odd_chunks_and_multiple_frames() {
        let data = sample(700_000);
        let mut z = ruzstd::encoding::compress_to_vec(&data[..], ruzstd::encoding::CompressionLevel::Fastest);
        let second = ruzstd::encoding::compress_to_vec(&data[..1000], ruzstd::encoding::CompressionLevel::Fastest);
        z.extend_from_slice(&second);
        let mut expected = data.clone();
        expected.extend_from_slice(&data[..1000]);
        assert_eq!(Compression::sniff(&z), Some(Compression::Zstd));
        for chunk in [1, 333, 65536, 1 << 22] {
            assert_eq!(push_all(Compression::Zstd, &z, chunk).unwrap(), expected, "chunk {chunk}");
        }
    }

    #[test]
    fn zstd_garbage_and_truncation_are_errors_not_panics() {
        let data = sample(50_000);
        let z = ruzstd::encoding::compress_to_vec(&data[..], ruzstd::encoding::CompressionLevel::Fastest);
        assert!(push_all(Compression::Zstd, &z[..z.len() - 10], 100).is_err());
        let mut bad = ZSTD_MAGIC.to_vec();
        bad.extend_from_slice(&[0xff; 64]);
        assert!(push_all(Compression::Zstd, &bad, 5).is_err());
    }
}
