//! Initial keys against the RFCs' test vectors, and client Initial packets built here (with
//! the same keys, by the sealing path a client takes) read back whole, split, reordered,
//! coalesced, damaged and cut.

use super::*;
use crate::names::tls::tests::{chrome_extensions, client_hello, hello_with};

fn hex(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

/// The Destination Connection ID of the RFCs' examples.
const RFC_DCID: &str = "8394c8f03e515708";

#[test]
fn initial_keys_match_rfc_9001_and_rfc_9369() {
    for (version, key, iv, hp) in [
        (
            Version::V1,
            "1f369613dd76d5467730efcbe3b1a22d",
            "fa044b2f42a3fd3b46fb255c",
            "9f50449e04a0e810283a1e9933adedd2",
        ),
        (
            Version::V2,
            "8b1a0bc121284290a29e0971b5cd045d",
            "91f73e2351d8fa91660e909f",
            "45b95e15235d6f45a6b19cbcb0294ba9",
        ),
    ] {
        let initial = Hkdf::<Sha256>::extract(Some(&version.salt()), &hex(RFC_DCID)).0;
        let initial = Hkdf::<Sha256>::from_prk(&initial).unwrap();
        let client = Hkdf::<Sha256>::from_prk(&expand_label::<32>(&initial, "client in").unwrap()).unwrap();
        let [key_label, iv_label, hp_label] = version.labels();
        assert_eq!(expand_label::<16>(&client, key_label).unwrap().to_vec(), hex(key), "{version:?} key");
        assert_eq!(expand_label::<12>(&client, iv_label).unwrap().to_vec(), hex(iv), "{version:?} iv");
        assert_eq!(expand_label::<16>(&client, hp_label).unwrap().to_vec(), hex(hp), "{version:?} hp");
    }
}

fn varint(value: u64) -> Vec<u8> {
    match value {
        0..=63 => vec![value as u8],
        64..=16383 => (value as u16 | 0x4000).to_be_bytes().to_vec(),
        _ => (value as u32 | 0x8000_0000).to_be_bytes().to_vec(),
    }
}

fn crypto_frame(offset: u64, data: &[u8]) -> Vec<u8> {
    let mut frame = vec![0x06];
    frame.extend(varint(offset));
    frame.extend(varint(data.len() as u64));
    frame.extend(data);
    frame
}

/// A protected client Initial packet carrying `frames`, padded as clients pad.
fn seal(version: Version, wire_version: u32, dcid: &[u8], packet_number: u32, frames: &[u8]) -> Vec<u8> {
    seal_addressed(version, wire_version, dcid, dcid, packet_number, frames)
}

/// The same, with the keys of `keys_dcid` but addressed to `dcid`.
fn seal_addressed(
    version: Version,
    wire_version: u32,
    keys_dcid: &[u8],
    dcid: &[u8],
    packet_number: u32,
    frames: &[u8],
) -> Vec<u8> {
    let keys = ClientKeys::derive(version, keys_dcid).unwrap();
    let mut plain = frames.to_vec();
    plain.resize(plain.len().max(64), 0); // PADDING
    let pn_len = 2;
    let mut header = vec![0xC0 | version.initial_type() << 4 | (pn_len as u8 - 1)];
    header.extend(wire_version.to_be_bytes());
    header.push(dcid.len() as u8);
    header.extend(dcid);
    header.push(0); // no source connection ID
    header.push(0); // no token
    header.extend(((pn_len + plain.len() + TAG_LEN) as u16 | 0x4000).to_be_bytes());
    let pn_offset = header.len();
    header.extend(&packet_number.to_be_bytes()[4 - pn_len..]);
    let mut nonce = keys.iv;
    for (byte, pn) in nonce[4..].iter_mut().zip(u64::from(packet_number).to_be_bytes()) {
        *byte ^= pn;
    }
    let sealed = keys.aead.encrypt(Nonce::from_slice(&nonce), Payload { msg: &plain, aad: &header }).unwrap();
    let mut packet = header;
    packet.extend(sealed);
    let mut mask = aes::Block::clone_from_slice(&packet[pn_offset + 4..pn_offset + 4 + SAMPLE_LEN]);
    keys.hp.encrypt_block(&mut mask);
    packet[0] ^= mask[0] & 0x0F;
    for i in 0..pn_len {
        packet[pn_offset + i] ^= mask[1 + i];
    }
    packet
}

/// The ClientHello handshake message (no TLS record) asking for `sni`.
fn hello(sni: &str) -> Vec<u8> {
    client_hello(sni)[5..].to_vec()
}

const DCID: [u8; 8] = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];

#[test]
fn sni_from_one_initial_of_each_version() {
    for (version, wire) in [(Version::V1, 1), (Version::V2, 0x6b33_43cf), (Version::Draft29, 0xff00_001d)] {
        let packet = seal(version, wire, &DCID, 0, &crypto_frame(0, &hello("Cam.Example.NET")));
        assert!(looks_like_quic(&packet), "{version:?}");
        let mut probe = InitialProbe::default();
        assert_eq!(probe.datagram(&packet), Probe::Found("cam.example.net".into()), "{version:?}");
    }
}

#[test]
fn sni_from_a_hello_split_over_packets_and_shuffled_frames() {
    let hello = hello("doorbell.example.com");
    let cut = hello.len() / 3;
    // Packet 0 carries the end and the start (in that order, with a PING and an ACK between),
    // packet 1 the middle.
    let mut frames0 = crypto_frame(2 * cut as u64, &hello[2 * cut..]);
    frames0.extend([0x01, 0x02, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00]); // PING; ACK, 1 range
    frames0.extend(crypto_frame(0, &hello[..cut]));
    let frames1 = crypto_frame(cut as u64, &hello[cut..2 * cut]);
    let first = seal(Version::V1, 1, &DCID, 0, &frames0);
    let second = seal(Version::V1, 1, &DCID, 1, &frames1);
    let mut probe = InitialProbe::default();
    assert_eq!(probe.datagram(&first), Probe::NeedMore);
    assert_eq!(probe.datagram(&second), Probe::Found("doorbell.example.com".into()));

    // The same, arriving in the other order.
    let mut probe = InitialProbe::default();
    assert_eq!(probe.datagram(&second), Probe::NeedMore);
    assert_eq!(probe.datagram(&first), Probe::Found("doorbell.example.com".into()));
}

/// Chrome's layout (tshark on zeek's quic-multiple-initial-fragmented-crypto.pcap): the first
/// Initial carries CRYPTO offsets 0, 1560, 37, 55 and 53, the second 60, the third 1198, 1376
/// and 1179, with PINGs and PADDING between the frames; the hello has GREASE, ECH and an
/// X25519MLKEM768 key share. The name comes with the last piece, whatever the packet order.
#[test]
fn sni_from_a_chrome_hello_scattered_over_three_initials() {
    let hello = hello_with(&chrome_extensions("googleads.g.doubleclick.net"));
    assert!(hello.len() > 1560, "the hello reaches past the last cut ({} bytes)", hello.len());
    let piece = |start: usize, end: usize| crypto_frame(start as u64, &hello[start..end]);
    let end = hello.len();
    let packets: Vec<Vec<u8>> = [
        vec![
            piece(0, 37),
            vec![0x01, 0x01, 0, 0],
            piece(1560, end),
            piece(37, 53),
            vec![0x01],
            piece(55, 60),
            piece(53, 55),
        ],
        vec![piece(60, 1179)],
        vec![piece(1198, 1376), vec![0, 0, 0x01], piece(1376, 1560), piece(1179, 1198)],
    ]
    .iter()
    .enumerate()
    .map(|(n, frames)| seal(Version::V1, 1, &DCID, n as u32, &frames.concat()))
    .collect();
    for order in [[0, 1, 2], [2, 0, 1], [1, 2, 0], [2, 1, 0]] {
        let mut probe = InitialProbe::default();
        let verdicts: Vec<Probe<String>> = order.iter().map(|&n| probe.datagram(&packets[n])).collect();
        let named = Probe::Found("googleads.g.doubleclick.net".to_string());
        assert_eq!(verdicts, [Probe::NeedMore, Probe::NeedMore, named], "packets in order {order:?}");
    }
}

#[test]
fn coalesced_packets_and_overlapping_frames() {
    let hello = hello("a.example.org");
    let mut frames = crypto_frame(0, &hello[..20]);
    frames.extend(crypto_frame(10, &hello[10..])); // overlaps the first
    let mut datagram = seal(Version::V1, 1, &DCID, 0, &frames);
    // A 0-RTT packet (type 1) coalesced behind it: skipped by its length.
    datagram.extend([0xD1, 0, 0, 0, 1, 0, 0, 0x05, 1, 2, 3, 4, 5]);
    assert_eq!(InitialProbe::default().datagram(&datagram), Probe::Found("a.example.org".into()));
}

#[test]
fn damaged_foreign_and_cut_packets_name_nothing() {
    let packet = seal(Version::V1, 1, &DCID, 0, &crypto_frame(0, &hello("x.example")));
    // A flipped ciphertext bit fails authentication.
    let mut damaged = packet.clone();
    let last = damaged.len() - 1;
    damaged[last] ^= 1;
    let mut probe = InitialProbe::default();
    assert_eq!(probe.datagram(&damaged), Probe::NeedMore);
    assert_eq!(probe.datagram(&packet), Probe::Found("x.example".into()), "the retransmission is read");
    // Not QUIC: DNS, RTP, an unknown version.
    assert!(!looks_like_quic(b"\x12\x34\x01\x00\x00\x01"));
    assert!(!looks_like_quic(&[0x80, 0x60, 0, 1, 0, 0, 0, 0]));
    let mut unknown = packet.clone();
    unknown[1..5].copy_from_slice(&0x0a0a_0a0au32.to_be_bytes());
    assert!(!looks_like_quic(&unknown));
    // Every cut of a real packet, and noise after a real header: no panic, no name.
    for cut in 0..packet.len() {
        assert_ne!(InitialProbe::default().datagram(&packet[..cut]), Probe::Found("x.example".into()));
    }
    let mut x = 7u32;
    for len in 0..400 {
        let mut noise = packet[..30.min(packet.len())].to_vec();
        noise.extend((0..len).map(|_| {
            x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (x >> 24) as u8
        }));
        let _ = InitialProbe::default().datagram(&noise);
    }
}

#[test]
fn later_initials_to_the_servers_connection_id_use_the_first_keys() {
    let hello = hello("meet.example.com");
    let cut = hello.len() / 2;
    let first = seal(Version::V1, 1, &DCID, 0, &crypto_frame(0, &hello[..cut]));
    // Addressed to the server's connection ID, sealed with the first packet's keys.
    let server_cid = [0xAB; 4];
    let frames = crypto_frame(cut as u64, &hello[cut..]);
    let second = seal_addressed(Version::V1, 1, &DCID, &server_cid, 1, &frames);
    let mut probe = InitialProbe::default();
    assert_eq!(probe.datagram(&first), Probe::NeedMore);
    assert_eq!(probe.datagram(&second), Probe::Found("meet.example.com".into()));
    // Without the first packet, the second cannot be opened.
    assert_eq!(InitialProbe::default().datagram(&second), Probe::NeedMore);
}

#[test]
fn zero_rtt_packets_before_the_initial_are_waited_through() {
    let zero_rtt = [0xD1, 0, 0, 0, 1, 8, 1, 2, 3, 4, 5, 6, 7, 8, 0, 0x05, 1, 2, 3, 4, 5];
    assert!(looks_like_quic(&zero_rtt));
    let mut probe = InitialProbe::default();
    assert_eq!(probe.datagram(&zero_rtt), Probe::NeedMore);
    let initial = seal(Version::V1, 1, &DCID, 0, &crypto_frame(0, &hello("ads.example")));
    assert_eq!(probe.datagram(&initial), Probe::Found("ads.example".into()));
}

#[test]
fn a_server_initial_or_other_frames_do_not_hang_on() {
    // A hello that never completes gives up after the packet budget.
    let hello = hello("slow.example");
    let mut probe = InitialProbe::default();
    let mut verdict = Probe::NeedMore;
    for n in 0..u32::from(MAX_PACKETS) {
        verdict = probe.datagram(&seal(Version::V1, 1, &DCID, n, &crypto_frame(0, &hello[..10])));
        if verdict != Probe::NeedMore {
            break;
        }
    }
    assert_eq!(verdict, Probe::No);
    // CRYPTO data starting beyond any ClientHello's size is refused at once.
    let far = seal(Version::V1, 1, &DCID, 0, &crypto_frame(MAX_HELLO_LEN as u64 + 1, b"x"));
    assert_eq!(InitialProbe::default().datagram(&far), Probe::No);
}
