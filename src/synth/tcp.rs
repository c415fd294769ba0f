//! One TCP connection seen from the LAN side of the router: handshake, data both ways with
//! correct sequence and acknowledgement numbers, and the FIN exchange. The capture point is at
//! the home, so a server's answer appears one WAN round trip after the request.

use std::io;
use std::net::IpAddr;

use super::capture::Round;
use super::rng::Rng;
use super::tls;
use super::wire::{IpHead, Link, TcpHead, Transport};

/// The two ends of a connection and how their packets look from the LAN.
#[derive(Debug, Clone, Copy)]
pub struct Ends {
    /// The client's frames (device to router); the server's use the reverse.
    pub link: Link,
    pub client: IpAddr,
    pub server: IpAddr,
    pub client_port: u16,
    pub server_port: u16,
    pub client_ttl: u8,
    /// TTL the server's packets arrive with: its initial TTL minus the hops to the home.
    pub server_ttl: u8,
}

pub struct TcpSession {
    ends: Ends,
    /// Capture time of the next packet, microseconds since the epoch.
    pub now: u64,
    rtt: u64,
    client_next: u32,
    server_next: u32,
    mss: usize,
}

/// Gap between back-to-back segments of one burst.
const BURST_GAP_US: u64 = 40;
/// Time the client takes to acknowledge data (LAN round trip plus delayed-ACK work).
const CLIENT_ACK_US: u64 = 250;

impl TcpSession {
    /// Sends SYN, SYN-ACK and ACK starting at `start`.
    pub fn connect(round: &mut Round, ends: Ends, start: u64, rtt: u64, rng: &mut Rng) -> io::Result<Self> {
        let mss = if ends.client.is_ipv4() { 1460 } else { 1440 };
        let mut s = TcpSession { ends, now: start, rtt, client_next: rng.next_u32(), server_next: rng.next_u32(), mss };
        s.client(round, TcpHead { syn: true, ack: None, mss: Some(mss as u16), window: 64_240, ..s.head_c() }, &[])?;
        s.client_next = s.client_next.wrapping_add(1);
        s.now += rtt;
        s.server(
            round,
            TcpHead { syn: true, mss: Some(mss as u16), window: 65_160, ack: Some(s.client_next), ..s.head_s() },
            &[],
        )?;
        s.server_next = s.server_next.wrapping_add(1);
        s.now += CLIENT_ACK_US / 2;
        s.client(round, s.head_c(), &[])?;
        Ok(s)
    }

    fn head_c(&self) -> TcpHead {
        TcpHead {
            sport: self.ends.client_port,
            dport: self.ends.server_port,
            seq: self.client_next,
            ack: Some(self.server_next),
            window: 2_053,
            ..TcpHead::default()
        }
    }

    fn head_s(&self) -> TcpHead {
        TcpHead {
            sport: self.ends.server_port,
            dport: self.ends.client_port,
            seq: self.server_next,
            ack: Some(self.client_next),
            window: 501,
            ..TcpHead::default()
        }
    }

    fn client(&mut self, round: &mut Round, head: TcpHead, payload: &[u8]) -> io::Result<()> {
        let e = self.ends;
        round.ip(
            self.now,
            &e.link,
            IpHead { src: e.client, dst: e.server, ttl: e.client_ttl },
            Transport::Tcp(head),
            payload,
        )
    }

    fn server(&mut self, round: &mut Round, head: TcpHead, payload: &[u8]) -> io::Result<()> {
        let e = self.ends;
        let link = e.link.reversed();
        round.ip(
            self.now,
            &link,
            IpHead { src: e.server, dst: e.client, ttl: e.server_ttl },
            Transport::Tcp(head),
            payload,
        )
    }

    /// The client sends `data`, cut at `split_at` first (a write of two parts) and then into
    /// segments of at most one MSS.
    pub fn client_sends(&mut self, round: &mut Round, data: &[u8], split_at: Option<usize>) -> io::Result<()> {
        let (first, rest) = data.split_at(split_at.unwrap_or(0).min(data.len()));
        for part in [first, rest] {
            for segment in part.chunks(self.mss) {
                let head = TcpHead { psh: true, ..self.head_c() };
                self.client(round, head, segment)?;
                self.client_next = self.client_next.wrapping_add(segment.len() as u32);
                self.now += BURST_GAP_US;
            }
        }
        Ok(())
    }

    /// One round trip later the server answers with `data` (a bare ACK when empty); the client
    /// acknowledges every second segment and the last one.
    pub fn server_sends(&mut self, round: &mut Round, data: &[u8]) -> io::Result<()> {
        self.now += self.rtt;
        if data.is_empty() {
            return self.server(round, self.head_s(), &[]);
        }
        let segments = data.len().div_ceil(self.mss);
        for (i, segment) in data.chunks(self.mss).enumerate() {
            let last = i + 1 == segments;
            self.server(round, TcpHead { psh: last, ..self.head_s() }, segment)?;
            self.server_next = self.server_next.wrapping_add(segment.len() as u32);
            if i % 2 == 1 || last {
                let ack_at = self.now + CLIENT_ACK_US;
                let head = self.head_c();
                let e = self.ends;
                round.ip(
                    ack_at,
                    &e.link,
                    IpHead { src: e.client, dst: e.server, ttl: e.client_ttl },
                    Transport::Tcp(head),
                    &[],
                )?;
            }
            self.now += BURST_GAP_US;
        }
        self.now += CLIENT_ACK_US;
        Ok(())
    }

    /// One round trip later the server streams `total` bytes of TLS application data, one record
    /// per segment, paced `gap_us` apart; the ciphertext is cut from `noise`.
    pub fn server_streams(
        &mut self,
        round: &mut Round,
        total: u64,
        gap_us: u64,
        noise: &[u8],
        rng: &mut Rng,
    ) -> io::Result<()> {
        self.now += self.rtt;
        let body_max = self.mss - 5;
        let mut left = total;
        let mut segment = Vec::with_capacity(self.mss);
        let mut count = 0u64;
        while left > 0 {
            let body = left.min(body_max as u64).max(1) as usize;
            let start = rng.below((noise.len() - body) as u64) as usize;
            segment.clear();
            segment.extend_from_slice(&tls::application_data_header(body as u16));
            segment.extend_from_slice(&noise[start..start + body]);
            self.server(round, TcpHead { psh: left <= body as u64, ..self.head_s() }, &segment)?;
            self.server_next = self.server_next.wrapping_add(segment.len() as u32);
            count += 1;
            left = left.saturating_sub(segment.len() as u64);
            if count % 2 == 0 || left == 0 {
                let head = self.head_c();
                let e = self.ends;
                round.ip(
                    self.now + CLIENT_ACK_US,
                    &e.link,
                    IpHead { src: e.client, dst: e.server, ttl: e.client_ttl },
                    Transport::Tcp(head),
                    &[],
                )?;
            }
            self.now += gap_us;
        }
        self.now += CLIENT_ACK_US;
        Ok(())
    }

    /// The client closes: FIN, the server's FIN, the last ACK.
    pub fn close(&mut self, round: &mut Round) -> io::Result<()> {
        self.now += 1_000;
        self.client(round, TcpHead { fin: true, ..self.head_c() }, &[])?;
        self.client_next = self.client_next.wrapping_add(1);
        self.now += self.rtt;
        self.server(round, TcpHead { fin: true, ..self.head_s() }, &[])?;
        self.server_next = self.server_next.wrapping_add(1);
        self.now += CLIENT_ACK_US / 2;
        self.client(round, self.head_c(), &[])
    }
}
