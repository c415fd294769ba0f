//! The server name (SNI) a QUIC client asks for, from its Initial packets.
//!
//! QUIC carries the TLS ClientHello in CRYPTO frames of Initial packets, encrypted with keys
//! that anyone can derive from the packet's Destination Connection ID (RFC 9001 section 5,
//! RFC 9369 for QUIC version 2): they protect against tampering, not against reading. This
//! file derives those keys, removes header protection, decrypts each Initial packet, and
//! gathers its CRYPTO frames by offset (clients split the ClientHello over packets and
//! shuffle the pieces); `tls.rs` then reads the ClientHello. The cryptography is RustCrypto's
//! (hkdf, sha2, aes, aes-gcm), used only here. The packet and frame framing is read by hand:
//! it is a few variable-length integers and lengths, and the crates that parse QUIC packets
//! are whole protocol stacks. Google's own QUIC versions (Q0xx, T05x) are not read.

use aes::cipher::{BlockEncrypt, KeyInit};
use aes::Aes128;
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes128Gcm, Nonce};
use hkdf::Hkdf;
use sha2::Sha256;

use super::tls::{self, Probe, MAX_HELLO_LEN};

/// Client packets of one connection looked at before giving up on its name.
const MAX_PACKETS: u8 = 10;
/// Longest connection ID (RFC 9000 section 17.2).
const MAX_CID_LEN: usize = 20;
/// Header protection samples 16 bytes, starting 4 bytes after the packet number starts.
const SAMPLE_LEN: usize = 16;
const TAG_LEN: usize = 16;

/// The QUIC versions whose Initial packets can be opened: each has its own salt, labels and
/// Initial type bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    /// RFC 9000.
    V1,
    /// RFC 9369.
    V2,
    /// Drafts 29 to 32, which browsers spoke before RFC 9000.
    Draft29,
    /// Drafts 23 to 28, and Facebook's mvfst builds of that time.
    Draft23,
    /// Draft 22, and Facebook's first mvfst build.
    Draft22,
}

impl Version {
    fn of(wire: u32) -> Option<Version> {
        match wire {
            0x0000_0001 => Some(Version::V1),
            0x6b33_43cf => Some(Version::V2),
            0xff00_001d..=0xff00_0020 => Some(Version::Draft29),
            0xff00_0017..=0xff00_001c | 0xface_b002 | 0xface_b00e => Some(Version::Draft23),
            0xff00_0016 | 0xface_b001 => Some(Version::Draft22),
            _ => None,
        }
    }

    /// The initial salt (RFC 9001 section 5.2, RFC 9369 section 3.3.1, and the drafts').
    fn salt(self) -> [u8; 20] {
        match self {
            Version::V1 => [
                0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17, 0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc,
                0xbb, 0x7f, 0x0a,
            ],
            Version::V2 => [
                0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93, 0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9,
                0xbd, 0x2e, 0xd9,
            ],
            Version::Draft29 => [
                0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97, 0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43,
                0x90, 0xa8, 0x99,
            ],
            Version::Draft23 => [
                0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7, 0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe,
                0xf9, 0xf5, 0x02,
            ],
            Version::Draft22 => [
                0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a, 0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a,
                0x02, 0x64, 0x4a,
            ],
        }
    }

    /// The packet type bits (bits 4 and 5 of the first byte) of an Initial packet.
    fn initial_type(self) -> u8 {
        match self {
            Version::V2 => 0b01,
            _ => 0b00,
        }
    }

    /// The packet type bits of a Retry packet.
    fn retry_type(self) -> u8 {
        match self {
            Version::V2 => 0b00,
            _ => 0b11,
        }
    }

    /// The labels of the packet protection key, IV and header protection key.
    fn labels(self) -> [&'static str; 3] {
        match self {
            Version::V2 => ["quicv2 key", "quicv2 iv", "quicv2 hp"],
            _ => ["quic key", "quic iv", "quic hp"],
        }
    }
}

/// What the client's Initial packets of one connection have shown so far.
#[derive(Debug, Default)]
pub struct InitialProbe {
    /// CRYPTO frame data by stream offset, as it arrived.
    fragments: Vec<(u64, Vec<u8>)>,
    held: usize,
    packets: u8,
    /// The Destination Connection ID whose keys opened the last Initial packet, and those
    /// keys. Once the server has answered, the client addresses the connection ID the server
    /// chose, but keeps protecting its Initials with the keys of the first one (RFC 9001
    /// section 5.2). Kept, not derived again: in the page's wasm, without the processor's SHA
    /// instructions, deriving them (16 SHA-256 blocks) is a third of the cost of opening a
    /// packet. Boxed: the analysis keeps a probe, or its place, for every UDP flow.
    keys: Option<(Vec<u8>, Box<ClientKeys>)>,
}

impl InitialProbe {
    /// Reads one UDP payload the client sent. `No` means this is not (or no longer) a QUIC
    /// connection whose ClientHello can be read: stop feeding it.
    pub fn datagram(&mut self, datagram: &[u8]) -> Probe<String> {
        self.packets = self.packets.saturating_add(1);
        let mut rest = datagram;
        let mut opened = false;
        while let Some(packet) = LongPacket::parse(rest) {
            rest = &rest[packet.len..];
            if !packet.is_initial {
                continue; // 0-RTT or Handshake: not readable, and may come first
            }
            let Some(payload) = self.open(&packet) else { continue };
            opened = true;
            if !self.take_crypto_frames(&payload) {
                return Probe::No;
            }
        }
        let verdict = if opened { tls::handshake_sni(&self.contiguous()) } else { Probe::NeedMore };
        match verdict {
            Probe::NeedMore if self.packets >= MAX_PACKETS => Probe::No,
            verdict => verdict,
        }
    }

    /// Opens a client Initial with the keys of its own Destination Connection ID, else with
    /// those that opened the last one.
    fn open(&mut self, packet: &LongPacket) -> Option<Vec<u8>> {
        if let Some((dcid, keys)) = &self.keys {
            if dcid == packet.dcid {
                return packet.open(keys);
            }
        }
        let own = ClientKeys::derive(packet.version, packet.dcid)?;
        if let Some(payload) = packet.open(&own) {
            self.keys = Some((packet.dcid.to_vec(), Box::new(own)));
            return Some(payload);
        }
        self.keys.as_ref().and_then(|(_, first)| packet.open(first))
    }

    /// Keeps the CRYPTO frames of a decrypted payload; false when the frames cannot be read
    /// or there is more than a ClientHello could need.
    fn take_crypto_frames(&mut self, payload: &[u8]) -> bool {
        let mut reader = Reader(payload);
        while let Some(kind) = reader.varint() {
            match kind {
                0x00 | 0x01 => {} // PADDING, PING
                0x02 | 0x03 => {
                    // ACK: largest, delay, range count, first range, ranges; 0x03 adds ECN counts.
                    let (Some(_), Some(_), Some(count), Some(_)) =
                        (reader.varint(), reader.varint(), reader.varint(), reader.varint())
                    else {
                        return false;
                    };
                    let extra = if kind == 0x03 { 3 } else { 0 };
                    for _ in 0..count.saturating_mul(2).saturating_add(extra) {
                        if reader.varint().is_none() {
                            return false;
                        }
                    }
                }
                0x06 => {
                    let (Some(offset), Some(len)) = (reader.varint(), reader.varint()) else {
                        return false;
                    };
                    let Some(data) = usize::try_from(len).ok().and_then(|len| reader.take(len)) else {
                        return false;
                    };
                    self.held += data.len();
                    if offset > MAX_HELLO_LEN as u64 || self.held > MAX_HELLO_LEN {
                        return false;
                    }
                    self.fragments.push((offset, data.to_vec()));
                }
                // CONNECTION_CLOSE, or a frame an Initial packet may not carry: nothing more to read.
                _ => return true,
            }
        }
        true
    }

    /// The CRYPTO stream from offset 0 up to its first gap.
    fn contiguous(&mut self) -> Vec<u8> {
        self.fragments.sort_by_key(|fragment| fragment.0);
        let mut stream = Vec::new();
        for (offset, data) in &self.fragments {
            let Ok(offset) = usize::try_from(*offset) else { break };
            if offset > stream.len() {
                break;
            }
            if let Some(new) = data.get(stream.len() - offset..) {
                stream.extend_from_slice(new);
            }
        }
        stream
    }
}

/// Whether a UDP payload starts with a QUIC long-header packet of a version whose Initial
/// packets this file reads.
pub fn looks_like_quic(datagram: &[u8]) -> bool {
    LongPacket::parse(datagram).is_some()
}

/// One long-header packet at the start of a datagram (several may be coalesced in one).
struct LongPacket<'a> {
    /// The whole packet, header protection still on.
    bytes: &'a [u8],
    version: Version,
    dcid: &'a [u8],
    /// Where the (protected) packet number starts.
    pn_offset: usize,
    is_initial: bool,
    len: usize,
}

impl<'a> LongPacket<'a> {
    fn parse(datagram: &'a [u8]) -> Option<LongPacket<'a>> {
        let mut reader = Reader(datagram);
        let first = reader.byte()?;
        // Long header form and the fixed bit.
        if first & 0xC0 != 0xC0 {
            return None;
        }
        let version = Version::of(u32::from_be_bytes(reader.take(4)?.try_into().ok()?))?;
        let dcid_len = usize::from(reader.byte()?);
        if dcid_len > MAX_CID_LEN {
            return None;
        }
        let dcid = reader.take(dcid_len)?;
        let scid_len = usize::from(reader.byte()?);
        if scid_len > MAX_CID_LEN {
            return None;
        }
        reader.take(scid_len)?;
        let packet_type = (first >> 4) & 0b11;
        let is_initial = packet_type == version.initial_type();
        if is_initial {
            let token_len = usize::try_from(reader.varint()?).ok()?;
            reader.take(token_len)?;
        }
        // Retry packets have no length and end the datagram; they are never Initial.
        if packet_type == version.retry_type() {
            return None;
        }
        let length = usize::try_from(reader.varint()?).ok()?;
        let pn_offset = datagram.len() - reader.0.len();
        let len = pn_offset.checked_add(length).filter(|&len| len <= datagram.len())?;
        Some(LongPacket { bytes: &datagram[..len], version, dcid, pn_offset, is_initial, len })
    }

    /// Removes header protection and decrypts the payload with a client's Initial `keys`;
    /// `None` if the packet does not authenticate (not a client Initial, other keys, or
    /// damaged).
    fn open(&self, keys: &ClientKeys) -> Option<Vec<u8>> {
        let sample_at = self.pn_offset + 4;
        let sample = self.bytes.get(sample_at..sample_at + SAMPLE_LEN)?;
        let mut mask = aes::Block::clone_from_slice(sample);
        keys.hp.encrypt_block(&mut mask);

        let first = self.bytes[0] ^ (mask[0] & 0x0F);
        let pn_len = usize::from(first & 0b11) + 1;
        let payload_at = self.pn_offset + pn_len;
        if self.bytes.len() < payload_at + TAG_LEN {
            return None;
        }
        let mut header = self.bytes[..payload_at].to_vec();
        header[0] = first;
        let mut packet_number = 0u64;
        for i in 0..pn_len {
            header[self.pn_offset + i] ^= mask[1 + i];
            packet_number = packet_number << 8 | u64::from(header[self.pn_offset + i]);
        }
        // The first packets of a connection are numbered from 0, so the truncated number
        // on the wire is the full one.
        let mut nonce = keys.iv;
        for (byte, pn) in nonce[4..].iter_mut().zip(packet_number.to_be_bytes()) {
            *byte ^= pn;
        }
        let payload = Payload { msg: &self.bytes[payload_at..], aad: &header };
        keys.aead.decrypt(Nonce::from_slice(&nonce), payload).ok()
    }
}

/// The client's Initial packet protection keys for one Destination Connection ID.
struct ClientKeys {
    aead: Aes128Gcm,
    iv: [u8; 12],
    hp: Aes128,
}

/// Keys print as nothing: they are no secret, but hundreds of bytes of noise.
impl std::fmt::Debug for ClientKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ClientKeys")
    }
}

impl ClientKeys {
    fn derive(version: Version, dcid: &[u8]) -> Option<ClientKeys> {
        let (initial, _) = Hkdf::<Sha256>::extract(Some(&version.salt()), dcid);
        let initial = Hkdf::<Sha256>::from_prk(&initial).ok()?;
        let client: [u8; 32] = expand_label(&initial, "client in")?;
        let client = Hkdf::<Sha256>::from_prk(&client).ok()?;
        let [key_label, iv_label, hp_label] = version.labels();
        let key: [u8; 16] = expand_label(&client, key_label)?;
        let hp: [u8; 16] = expand_label(&client, hp_label)?;
        Some(ClientKeys {
            aead: Aes128Gcm::new_from_slice(&key).ok()?,
            iv: expand_label(&client, iv_label)?,
            hp: Aes128::new_from_slice(&hp).ok()?,
        })
    }
}

/// TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 section 7.1).
fn expand_label<const N: usize>(secret: &Hkdf<Sha256>, label: &str) -> Option<[u8; N]> {
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len());
    info.extend_from_slice(&u16::try_from(N).ok()?.to_be_bytes());
    info.push(u8::try_from(full.len()).ok()?);
    info.extend_from_slice(full.as_bytes());
    info.push(0);
    let mut out = [0u8; N];
    secret.expand(&info, &mut out).ok()?;
    Some(out)
}

/// Reads a byte slice front to back; every read is checked.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(first)
    }

    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        if len > self.0.len() {
            return None;
        }
        let (taken, rest) = self.0.split_at(len);
        self.0 = rest;
        Some(taken)
    }

    /// A QUIC variable-length integer (RFC 9000 section 16).
    fn varint(&mut self) -> Option<u64> {
        let first = self.byte()?;
        let extra = (1usize << (first >> 6)) - 1;
        let mut value = u64::from(first & 0x3F);
        for &byte in self.take(extra)? {
            value = value << 8 | u64::from(byte);
        }
        Some(value)
    }
}

#[cfg(test)]
mod tests;
