//! The server name (SNI) a TLS client asks for, from the start of its byte stream.
//!
//! The ClientHello may span several TCP segments and, rarely, several TLS records: the
//! caller hands in the client's first bytes as reassembled so far, and gets back the name,
//! a request for more bytes, or a verdict that this is not a TLS handshake. Record framing
//! (5-byte headers) is read here to join handshake fragments; the handshake itself is
//! parsed by tls-parser, the only user of that crate.

use tls_parser::{
    parse_tls_extensions, parse_tls_message_handshake, SNIType, TlsExtension, TlsMessage, TlsMessageHandshake,
};

/// Content type of handshake records.
const CONTENT_HANDSHAKE: u8 = 22;
const RECORD_HEADER_LEN: usize = 5;
/// Handshake header: type (1) and 24-bit length.
const HANDSHAKE_HEADER_LEN: usize = 4;
const HANDSHAKE_CLIENT_HELLO: u8 = 1;
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
    let Ok((_, extensions)) = parse_tls_extensions(ext) else {
        return Probe::No;
    };
    for extension in extensions {
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

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A minimal TLS 1.2 ClientHello record carrying the given SNI.
    pub(crate) fn client_hello(sni: &str) -> Vec<u8> {
        let name = sni.as_bytes();
        let mut sni_ext = Vec::new();
        let list_len = 3 + name.len();
        sni_ext.extend((list_len as u16).to_be_bytes());
        sni_ext.push(0);
        sni_ext.extend((name.len() as u16).to_be_bytes());
        sni_ext.extend(name);
        let mut exts = vec![0, 0];
        exts.extend((sni_ext.len() as u16).to_be_bytes());
        exts.extend(&sni_ext);
        let mut body = vec![3, 3];
        body.extend([7u8; 32]);
        body.push(0); // session id
        body.extend([0, 2, 0x13, 0x01]); // one cipher suite
        body.extend([1, 0]); // null compression
        body.extend((exts.len() as u16).to_be_bytes());
        body.extend(&exts);
        let mut hs = vec![1];
        hs.extend(&(body.len() as u32).to_be_bytes()[1..]);
        hs.extend(&body);
        let mut rec = vec![22, 3, 1];
        rec.extend((hs.len() as u16).to_be_bytes());
        rec.extend(&hs);
        rec
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
}
