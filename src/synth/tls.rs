//! TLS records as a client and a server put them on the wire: a real ClientHello (RFC 8446
//! section 4.1.2, with the extensions a browser or an IoT TLS stack sends, including SNI), the
//! server's ServerHello, ChangeCipherSpec, and opaque encrypted records.

use super::rng::Rng;

const CONTENT_CCS: u8 = 20;
const CONTENT_HANDSHAKE: u8 = 22;
const CONTENT_APPLICATION: u8 = 23;
const HELLO_CLIENT: u8 = 1;
const HELLO_SERVER: u8 = 2;

/// Which TLS stack the client is: the shape of its hello.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stack {
    /// A small embedded TLS 1.2 library (mbedTLS-like): few suites, no TLS 1.3.
    Embedded12,
    /// A TLS 1.3 client with an X25519 key share.
    Modern13,
    /// A TLS 1.3 browser with a hybrid post-quantum key share (X25519MLKEM768): a hello of about
    /// 1.8 KB, larger than one TCP segment.
    PostQuantum13,
}

impl Stack {
    pub fn is_tls13(self) -> bool {
        self != Stack::Embedded12
    }
}

fn record(content_type: u8, legacy_version: u16, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 5);
    out.push(content_type);
    out.extend_from_slice(&legacy_version.to_be_bytes());
    out.extend_from_slice(&(body.len() as u16).to_be_bytes());
    out.extend_from_slice(body);
    out
}

fn handshake(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 4);
    out.push(kind);
    out.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
    out.extend_from_slice(body);
    out
}

fn extension(out: &mut Vec<u8>, kind: u16, data: &[u8]) {
    out.extend_from_slice(&kind.to_be_bytes());
    out.extend_from_slice(&(data.len() as u16).to_be_bytes());
    out.extend_from_slice(data);
}

fn u16_list(values: &[u16]) -> Vec<u8> {
    let mut out = ((values.len() * 2) as u16).to_be_bytes().to_vec();
    for v in values {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out
}

/// The whole ClientHello record for `server_name`; `session_id` is echoed by the server.
pub fn client_hello(stack: Stack, server_name: &str, session_id: &[u8; 32], rng: &mut Rng) -> Vec<u8> {
    let mut body = Vec::with_capacity(512);
    body.extend_from_slice(&0x0303u16.to_be_bytes());
    body.extend_from_slice(&rng.bytes::<32>());
    body.push(32);
    body.extend_from_slice(session_id);
    let suites: &[u16] = match stack {
        Stack::Embedded12 => &[0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0x009c, 0x00ff],
        Stack::Modern13 | Stack::PostQuantum13 => &[
            0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
            0x002f, 0x0035,
        ],
    };
    body.extend_from_slice(&u16_list(suites));
    body.extend_from_slice(&[1, 0]); // compression methods: null only

    let mut ext = Vec::with_capacity(2048);
    let name = server_name.as_bytes();
    let mut sni = Vec::with_capacity(name.len() + 5);
    sni.extend_from_slice(&((name.len() + 3) as u16).to_be_bytes());
    sni.push(0); // host_name
    sni.extend_from_slice(&(name.len() as u16).to_be_bytes());
    sni.extend_from_slice(name);
    extension(&mut ext, 0x0000, &sni);
    extension(&mut ext, 0x0017, &[]); // extended_master_secret
    extension(&mut ext, 0xff01, &[0]); // renegotiation_info
    let groups: &[u16] = match stack {
        Stack::Embedded12 => &[0x0017, 0x0018, 0x001d],
        Stack::Modern13 => &[0x001d, 0x0017, 0x0018],
        Stack::PostQuantum13 => &[0x11ec, 0x001d, 0x0017, 0x0018],
    };
    extension(&mut ext, 0x000a, &u16_list(groups));
    extension(&mut ext, 0x000b, &[1, 0]); // ec_point_formats: uncompressed
    extension(&mut ext, 0x0023, &[]); // session_ticket
    if stack != Stack::Embedded12 {
        let mut alpn = Vec::new();
        for proto in [&b"h2"[..], &b"http/1.1"[..]] {
            alpn.push(proto.len() as u8);
            alpn.extend_from_slice(proto);
        }
        let mut data = (alpn.len() as u16).to_be_bytes().to_vec();
        data.extend_from_slice(&alpn);
        extension(&mut ext, 0x0010, &data);
        extension(&mut ext, 0x0005, &[1, 0, 0, 0, 0]); // status_request (OCSP)
    }
    let sigalgs: &[u16] = &[0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];
    extension(&mut ext, 0x000d, &u16_list(sigalgs));
    if stack.is_tls13() {
        let mut shares = Vec::new();
        if stack == Stack::PostQuantum13 {
            // ML-KEM-768 encapsulation key (1184 bytes) followed by the X25519 share (32).
            let mut key = vec![0u8; 1216];
            rng.fill(&mut key);
            shares.extend_from_slice(&0x11ecu16.to_be_bytes());
            shares.extend_from_slice(&(key.len() as u16).to_be_bytes());
            shares.extend_from_slice(&key);
        }
        shares.extend_from_slice(&0x001du16.to_be_bytes());
        shares.extend_from_slice(&32u16.to_be_bytes());
        shares.extend_from_slice(&rng.bytes::<32>());
        let mut data = (shares.len() as u16).to_be_bytes().to_vec();
        data.extend_from_slice(&shares);
        extension(&mut ext, 0x0033, &data);
        extension(&mut ext, 0x002d, &[1, 1]); // psk_key_exchange_modes: psk_dhe_ke
        extension(&mut ext, 0x002b, &[4, 0x03, 0x04, 0x03, 0x03]); // supported_versions
    }
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);
    record(CONTENT_HANDSHAKE, 0x0301, &handshake(HELLO_CLIENT, &body))
}

/// The server's first flight: ServerHello, ChangeCipherSpec, and the encrypted rest of the
/// handshake (TLS 1.3), or an abbreviated (resumed) TLS 1.2 handshake's encrypted Finished.
pub fn server_flight(stack: Stack, session_id: &[u8; 32], rng: &mut Rng) -> Vec<u8> {
    let mut body = Vec::with_capacity(128);
    body.extend_from_slice(&0x0303u16.to_be_bytes());
    body.extend_from_slice(&rng.bytes::<32>());
    body.push(32);
    body.extend_from_slice(session_id);
    let mut ext = Vec::new();
    if stack.is_tls13() {
        body.extend_from_slice(&0x1301u16.to_be_bytes());
        body.push(0);
        extension(&mut ext, 0x002b, &[0x03, 0x04]);
        let mut share = 0x001du16.to_be_bytes().to_vec();
        share.extend_from_slice(&32u16.to_be_bytes());
        share.extend_from_slice(&rng.bytes::<32>());
        extension(&mut ext, 0x0033, &share);
    } else {
        body.extend_from_slice(&0xc02fu16.to_be_bytes());
        body.push(0);
        extension(&mut ext, 0xff01, &[0]);
        extension(&mut ext, 0x0017, &[]);
        extension(&mut ext, 0x000b, &[1, 0]);
    }
    body.extend_from_slice(&(ext.len() as u16).to_be_bytes());
    body.extend_from_slice(&ext);
    let mut out = record(CONTENT_HANDSHAKE, 0x0303, &handshake(HELLO_SERVER, &body));
    out.extend_from_slice(&change_cipher_spec());
    if stack.is_tls13() {
        // EncryptedExtensions, Certificate, CertificateVerify, Finished: opaque to an observer.
        out.extend_from_slice(&encrypted(CONTENT_APPLICATION, 2_000 + rng.below(1_200) as usize, rng));
    } else {
        out.extend_from_slice(&encrypted(CONTENT_HANDSHAKE, 40, rng));
    }
    out
}

/// The client's second flight: ChangeCipherSpec and its encrypted Finished.
pub fn client_finish(stack: Stack, rng: &mut Rng) -> Vec<u8> {
    let mut out = change_cipher_spec();
    if stack.is_tls13() {
        out.extend_from_slice(&encrypted(CONTENT_APPLICATION, 53, rng));
    } else {
        out.extend_from_slice(&encrypted(CONTENT_HANDSHAKE, 40, rng));
    }
    out
}

pub fn change_cipher_spec() -> Vec<u8> {
    record(CONTENT_CCS, 0x0303, &[1])
}

/// One record of `len` random (ciphertext-looking) bytes.
pub fn encrypted(content_type: u8, len: usize, rng: &mut Rng) -> Vec<u8> {
    let mut body = vec![0u8; len.min(16_384 + 256)];
    rng.fill(&mut body);
    record(content_type, 0x0303, &body)
}

/// Application data of `len` bytes of ciphertext.
pub fn application_data(len: usize, rng: &mut Rng) -> Vec<u8> {
    encrypted(CONTENT_APPLICATION, len, rng)
}

/// Writes the 5-byte application-data record header for `len` bytes of ciphertext, for callers
/// that supply the ciphertext themselves (bulk transfers reuse a block of noise).
pub fn application_data_header(len: u16) -> [u8; 5] {
    let l = len.to_be_bytes();
    [CONTENT_APPLICATION, 0x03, 0x03, l[0], l[1]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use tls_parser::{
        parse_tls_extensions, parse_tls_plaintext, SNIType, TlsExtension, TlsMessage, TlsMessageHandshake,
    };

    fn sni_of(record: &[u8]) -> Vec<String> {
        let (rest, plaintext) = parse_tls_plaintext(record).unwrap();
        assert!(rest.is_empty());
        let mut names = Vec::new();
        for msg in plaintext.msg {
            if let TlsMessage::Handshake(TlsMessageHandshake::ClientHello(hello)) = msg {
                let (_, exts) = parse_tls_extensions(hello.ext.unwrap()).unwrap();
                for ext in exts {
                    if let TlsExtension::SNI(list) = ext {
                        for (kind, name) in list {
                            assert_eq!(kind, SNIType::HostName);
                            names.push(String::from_utf8(name.to_vec()).unwrap());
                        }
                    }
                }
            }
        }
        names
    }

    #[test]
    fn every_stack_hello_parses_with_its_sni() {
        let mut rng = Rng::new(3);
        for stack in [Stack::Embedded12, Stack::Modern13, Stack::PostQuantum13] {
            let hello = client_hello(stack, "a1.tuyaus.com", &[7; 32], &mut rng);
            assert_eq!(sni_of(&hello), vec!["a1.tuyaus.com".to_string()], "{stack:?}");
        }
    }

    #[test]
    fn post_quantum_hello_needs_two_segments() {
        let mut rng = Rng::new(3);
        let hello = client_hello(Stack::PostQuantum13, "www.google.com", &[1; 32], &mut rng);
        assert!(hello.len() > 1460, "{} bytes", hello.len());
    }

    #[test]
    fn server_flight_starts_with_a_server_hello() {
        let mut rng = Rng::new(3);
        let flight = server_flight(Stack::Modern13, &[1; 32], &mut rng);
        let (_, first) = parse_tls_plaintext(&flight).unwrap();
        assert!(matches!(first.msg[0], TlsMessage::Handshake(TlsMessageHandshake::ServerHello(_))));
    }
}
