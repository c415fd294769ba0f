//! The server name (SNI) a TLS client asks for, from the start of its byte stream.
//!
//! The ClientHello may span several TCP segments and, rarely, several TLS records: the
//! caller hands in the client's first bytes as reassembled so far, and gets back the name,
//! a request for more bytes, or a verdict that this is not a TLS handshake. Record framing
//! (5-byte headers) is read here to join handshake fragments; the handshake itself is
//! parsed by tls-parser, the only user of that crate, one extension at a time, so that an
//! extension it refuses does not hide the server name behind it.

use tls_parser::{
    parse_tls_extension, parse_tls_message_handshake, SNIType, TlsExtension, TlsMessage, TlsMessageHandshake,
};

/// Content type of handshake records.
const CONTENT_HANDSHAKE: u8 = 22;
const RECORD_HEADER_LEN: usize = 5;
/// Handshake header: type (1) and 24-bit length.
const HANDSHAKE_HEADER_LEN: usize = 4;
const HANDSHAKE_CLIENT_HELLO: u8 = 1;
/// Extension header: type (2) and 16-bit length.
const EXTENSION_HEADER_LEN: usize = 4;
/// A ClientHello larger than this is not worth waiting for.
pub const MAX_HELLO_LEN: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Probe<T> {
    Found(T),
    /// Looks right so far; more bytes are needed.
    NeedMore,
    /// Not this protocol, or it says nothing useful: stop looking.
    No,
}

/// Whether a stream's first bytes could start a TLS handshake record.
pub fn looks_like_tls(first: &[u8]) -> bool {
    first.len() >= 3 && first[0] == CONTENT_HANDSHAKE && first[1] == 3 && first[2] <= 4
}

/// Looks for the SNI in the client's first bytes.
pub fn client_hello_sni(stream: &[u8]) -> Probe<String> {
    let mut handshake = Vec::new();
    let mut rest = stream;
    loop {
        if rest.len() < RECORD_HEADER_LEN {
            return Probe::NeedMore;
        }
        if !looks_like_tls(rest) {
            return Probe::No;
        }
        let len = u16::from_be_bytes([rest[3], rest[4]]) as usize;
        if rest.len() < RECORD_HEADER_LEN + len {
            return if stream.len() > MAX_HELLO_LEN { Probe::No } else { Probe::NeedMore };
        }
        handshake.extend_from_slice(&rest[RECORD_HEADER_LEN..RECORD_HEADER_LEN + len]);
        rest = &rest[RECORD_HEADER_LEN + len..];
        match handshake_sni(&handshake) {
            Probe::NeedMore => {}
            verdict => return verdict,
        }
    }
}

/// Looks for the SNI in handshake messages without TLS records around them, as QUIC carries
/// them: the bytes start with the ClientHello's handshake header.
pub fn handshake_sni(handshake: &[u8]) -> Probe<String> {
    if handshake.len() < HANDSHAKE_HEADER_LEN {
        return Probe::NeedMore;
    }
    if handshake[0] != HANDSHAKE_CLIENT_HELLO {
        return Probe::No;
    }
    let body_len = u32::from_be_bytes([0, handshake[1], handshake[2], handshake[3]]) as usize;
    if body_len > MAX_HELLO_LEN {
        return Probe::No;
    }
    match handshake.get(..HANDSHAKE_HEADER_LEN + body_len) {
        Some(message) => sni_of(message),
        None => Probe::NeedMore,
    }
}

fn sni_of(handshake: &[u8]) -> Probe<String> {
    let Ok((_, TlsMessage::Handshake(TlsMessageHandshake::ClientHello(hello)))) =
        parse_tls_message_handshake(handshake)
    else {
        return Probe::No;
    };
    let Some(ext) = hello.ext else {
        return Probe::No;
    };
    for extension in extensions(ext) {
        if let TlsExtension::SNI(names) = extension {
            for (kind, name) in names {
                if kind == SNIType::HostName {
                    if let Some(name) = super::clean_name(name) {
                        return Probe::Found(name);
                    }
                }
            }
        }
    }
    Probe::No
}

/// The extensions of a hello's extension list, each read by tls-parser.
///
/// tls-parser's own list reader (`parse_tls_extensions`) stops at the first extension whose
/// contents break its rules for that type and silently drops every later one; browsers shuffle
/// the order, so the server name may be among them. Here each extension is read alone, and one
/// tls-parser refuses is stepped over by its type and length; only a length that runs past the
/// list ends it.
fn extensions(mut list: &[u8]) -> impl Iterator<Item = TlsExtension<'_>> {
    std::iter::from_fn(move || {
        while !list.is_empty() {
            match parse_tls_extension(list) {
                Ok((rest, extension)) => {
                    list = rest;
                    return Some(extension);
                }
                Err(_) => list = after_first_extension(list)?,
            }
        }
        None
    })
}

/// What follows the first extension of `list`, by its length field alone; `None` when the
/// header or the data it announces runs past the end.
fn after_first_extension(list: &[u8]) -> Option<&[u8]> {
    let len = list.get(2..EXTENSION_HEADER_LEN)?;
    let len = usize::from(u16::from_be_bytes([len[0], len[1]]));
    list.get(EXTENSION_HEADER_LEN + len..)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal TLS 1.2 ClientHello record carrying the given SNI.
    pub(crate) fn client_hello(sni: &str) -> Vec<u8> {
        record(&hello_with(&[server_name(sni)]))
    }

    /// The server_name extension asking for `sni`.
    pub(crate) fn server_name(sni: &str) -> (u16, Vec<u8>) {
        let name = sni.as_bytes();
        let mut data = ((3 + name.len()) as u16).to_be_bytes().to_vec();
        data.push(0); // host_name
        data.extend((name.len() as u16).to_be_bytes());
        data.extend(name);
        (0, data)
    }

    /// A ClientHello handshake message (no record around it) with these extensions, in order.
    pub(crate) fn hello_with(extensions: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut exts = Vec::new();
        for (kind, data) in extensions {
            exts.extend(kind.to_be_bytes());
            exts.extend((data.len() as u16).to_be_bytes());
            exts.extend(data);
        }
        let mut body = vec![3, 3];
        body.extend([7u8; 32]);
        body.push(0); // session id
        body.extend([0, 4, 0x3a, 0x3a, 0x13, 0x01]); // a GREASE cipher suite and one real one
        body.extend([1, 0]); // null compression
        body.extend((exts.len() as u16).to_be_bytes());
        body.extend(&exts);
        let mut hs = vec![1];
        hs.extend(&(body.len() as u32).to_be_bytes()[1..]);
        hs.extend(&body);
        hs
    }

    /// A handshake message in one TLS record.
    pub(crate) fn record(handshake: &[u8]) -> Vec<u8> {
        let mut rec = vec![22, 3, 1];
        rec.extend((handshake.len() as u16).to_be_bytes());
        rec.extend(handshake);
        rec
    }

    fn u16_list(values: &[u16]) -> Vec<u8> {
        let mut out = ((values.len() * 2) as u16).to_be_bytes().to_vec();
        values.iter().for_each(|v| out.extend(v.to_be_bytes()));
        out
    }

    /// The extensions of a current Chrome ClientHello, in an order Chrome's shuffling can give,
    /// with the server name late: GREASE types and values, the ECH outer extension (0xfe0d), an
    /// X25519MLKEM768 key share (0x11ec), ALPS (0x44cd), compress_certificate, QUIC transport
    /// parameters.
    pub(crate) fn chrome_extensions(sni: &str) -> Vec<(u16, Vec<u8>)> {
        let mut key_share = u16_list(&[]); // its length is set below
        for (group, len) in [(0xcacau16, 1usize), (0x11ec, 1216), (0x001d, 32)] {
            key_share.extend(group.to_be_bytes());
            key_share.extend((len as u16).to_be_bytes());
            key_share.extend((0..len).map(|i| i as u8));
        }
        let shares_len = (key_share.len() - 2) as u16;
        key_share[..2].copy_from_slice(&shares_len.to_be_bytes());
        let mut ech = vec![0, 0, 1, 0, 1, 0x5c, 0, 32]; // outer, HKDF-SHA256, AES-128-GCM, config 0x5c
        ech.extend([0x42; 32]); // enc
        ech.extend(208u16.to_be_bytes());
        ech.extend([0x99; 208]); // payload
        let signature_algorithms = u16_list(&[0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601]);
        let alpn_h3 = vec![0, 3, 2, b'h', b'3'];
        vec![
            (0x6a6a, vec![]),                                              // GREASE
            (0x002b, vec![6, 0x8a, 0x8a, 3, 4, 3, 3]),                     // supported_versions, GREASE first
            (0x0033, key_share),                                           // key_share
            (0x001b, vec![2, 0, 2]),                                       // compress_certificate: brotli
            (0x0010, alpn_h3.clone()),                                     // ALPN
            (0x0039, vec![1, 2, 0x40, 0x64, 4, 2, 0x40, 0x64]),            // quic_transport_parameters
            (0xfe0d, ech),                                                 // encrypted_client_hello (outer)
            (0x000d, signature_algorithms),                                // signature_algorithms
            (0x44cd, alpn_h3),                                             // ALPS (new codepoint)
            (0x000a, u16_list(&[0xcaca, 0x11ec, 0x001d, 0x0017, 0x0018])), // supported_groups
            (0x002d, vec![1, 1]),                                          // psk_key_exchange_modes
            (0x0005, vec![1, 0, 0, 0, 0]),                                 // status_request
            (0x0012, vec![]),                                              // signed_certificate_timestamp
            server_name(sni),                                              // server_name, late
            (0x2a2a, vec![0]),                                             // GREASE with a byte
        ]
    }

    #[test]
    fn sni_whole_split_and_fragmented_over_records() {
        let rec = client_hello("Device.Example.COM");
        assert_eq!(client_hello_sni(&rec), Probe::Found("device.example.com".into()));
        for cut in [0, 3, 5, 20, rec.len() - 1] {
            assert_eq!(client_hello_sni(&rec[..cut]), Probe::NeedMore, "cut {cut}");
        }
        // The same handshake split over two records.
        let hs = &rec[5..];
        let mut two = vec![22, 3, 1, 0, 10];
        two.extend(&hs[..10]);
        two.extend([22, 3, 1]);
        two.extend(((hs.len() - 10) as u16).to_be_bytes());
        two.extend(&hs[10..]);
        assert_eq!(client_hello_sni(&two), Probe::Found("device.example.com".into()));
    }

    #[test]
    fn not_tls_or_garbage() {
        assert_eq!(client_hello_sni(b"GET / HTTP/1.1\r\n"), Probe::No);
        let mut bad = client_hello("a.example");
        bad[5] = 2; // a ServerHello type
        assert_eq!(client_hello_sni(&bad), Probe::No);
        let mut x = 3u32;
        for len in 0..300 {
            let mut bytes = vec![22, 3, 1];
            bytes.extend((0..len).map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            }));
            let _ = client_hello_sni(&bytes);
        }
    }

    #[test]
    fn sni_of_a_chrome_hello_with_grease_ech_and_post_quantum_key_share() {
        let hello = hello_with(&chrome_extensions("Www.Google.DE"));
        assert_eq!(handshake_sni(&hello), Probe::Found("www.google.de".into()));
        assert_eq!(client_hello_sni(&record(&hello)), Probe::Found("www.google.de".into()));
    }

    /// An extension whose contents tls-parser refuses (by its own rules for that type) before
    /// the server name must not hide the name: browsers shuffle the extensions, so anything
    /// may come first.
    #[test]
    fn sni_after_an_extension_tls_parser_rejects() {
        for (what, rejected) in [
            ("encrypt_then_mac with data", (0x0016, vec![1])),
            ("extended_master_secret with data", (0x0017, vec![0, 0])),
            ("heartbeat without its mode", (0x000f, vec![])),
            ("record_size_limit of one byte", (0x001c, vec![0x40])),
            ("empty supported_versions", (0x002b, vec![])),
            ("supported_groups cut short", (0x000a, vec![0, 8, 0, 0x1d])),
            ("renegotiation_info longer than it is", (0xff01, vec![5, 0])),
            ("a cut encrypted_server_name (0xffce)", (0xffce, vec![0x13, 0x01, 0, 0x1d, 0x01, 0x6e])),
        ] {
            let mut extensions = chrome_extensions("cam.example.net");
            extensions.insert(1, rejected);
            let hello = hello_with(&extensions);
            assert_eq!(handshake_sni(&hello), Probe::Found("cam.example.net".into()), "{what}");
        }
    }

    #[test]
    fn broken_extension_framing_or_server_name_names_nothing() {
        // A server_name extension tls-parser cannot read: no name, and no guess.
        let mut extensions = chrome_extensions("x.example");
        let at = extensions.iter().position(|(kind, _)| *kind == 0).unwrap();
        extensions[at].1.truncate(4);
        assert_eq!(handshake_sni(&hello_with(&extensions)), Probe::No);
        // An extension claiming more bytes than the list holds ends the list.
        let mut hello = hello_with(&[(0x0016, vec![1]), server_name("y.example")]);
        let ext_at = 4 + 2 + 32 + 1 + 6 + 2 + 2;
        hello[ext_at + 2..ext_at + 4].copy_from_slice(&0xfff0u16.to_be_bytes());
        assert_eq!(handshake_sni(&hello), Probe::No);
        // Every cut of the extension list, and noise in place of it: no panic, no name.
        let whole = hello_with(&chrome_extensions("z.example"));
        let list_at = 4 + 2 + 32 + 1 + 6 + 2;
        let mut x = 11u32;
        for cut in list_at..whole.len() {
            let mut hello = whole[..cut].to_vec();
            let body_len = (hello.len() - 4) as u32;
            hello[1..4].copy_from_slice(&body_len.to_be_bytes()[1..]);
            let list_len = hello.len().saturating_sub(list_at + 2) as u16;
            if hello.len() >= list_at + 2 {
                hello[list_at..list_at + 2].copy_from_slice(&list_len.to_be_bytes());
            }
            let _ = handshake_sni(&hello);
            for byte in hello.iter_mut().skip(list_at + 2) {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                *byte = (x >> 24) as u8;
            }
            assert_ne!(handshake_sni(&hello), Probe::Found("z.example".into()));
        }
    }
}
