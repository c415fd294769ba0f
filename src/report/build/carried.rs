//! How a flow carried its application data (encrypted, in plaintext, or unknown): the one
//! classifier behind both a destination's `plaintext` concern and each device's
//! [`crate::report::model::Protection`].

use super::FoundIn;
use crate::decode::TcpFlags;
use crate::flows;

/// Services that carry application data unencrypted: FTP, telnet, HTTP, POP3, IMAP, RTSP,
/// HTTP on 8080, plain MQTT; TFTP and CoAP over UDP.
const PLAINTEXT_TCP: [u16; 8] = [21, 23, 80, 110, 143, 554, 8080, 1883];
const PLAINTEXT_UDP: [u16; 2] = [69, 5683];
/// Services that are TLS from the first byte: HTTPS, SMTP submission over TLS, DNS over TLS,
/// IMAPS, POP3S, HTTPS on 8443, MQTT over TLS; over UDP, QUIC on 443.
const TLS_TCP: [u16; 7] = [443, 465, 853, 993, 995, 8443, 8883];
const QUIC_UDP: u16 = 443;

/// How a flow carried its application data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Carried {
    Encrypted,
    Plaintext,
    Unknown,
}

/// How a flow to its server carried application data. A flow that went on in TLS (POP3 or
/// IMAP after STARTTLS: `upgraded`, or a ClientHello that named the server) is encrypted; one
/// whose HTTP Host was read is not. Without either, its service decides, once it carried data
/// (a pushed TCP segment, a UDP datagram from the client): a plaintext service, or a TLS port.
pub(super) fn carried(flow: &flows::Flow, found: Option<FoundIn>, upgraded: bool) -> Carried {
    let port = flow.server.port.unwrap_or(0);
    let (plain, tls) = match flow.proto {
        6 if TcpFlags(flow.tcp_flags).has(TcpFlags::PSH) => (PLAINTEXT_TCP.contains(&port), TLS_TCP.contains(&port)),
        17 if flow.c2s.packets > 0 => (PLAINTEXT_UDP.contains(&port), port == QUIC_UDP),
        _ => (false, false),
    };
    match found {
        Some(FoundIn::Http) => Carried::Plaintext,
        Some(FoundIn::Sni | FoundIn::Quic) => Carried::Encrypted,
        None if upgraded || tls => Carried::Encrypted,
        None if plain => Carried::Plaintext,
        None => Carried::Unknown,
    }
}
