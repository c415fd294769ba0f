//! The UDP and ICMP visits: QUIC-like connections on UDP 443, NTP, ICMP echo, and RTP-like
//! voice calls.
//!
//! The QUIC connections have the shape of QUIC v1 (RFC 9000 section 17): the client's first
//! datagram is a 1,250-byte Initial packet with its connection IDs in the clear, the server
//! answers with Initial and Handshake packets, then both sides send short-header packets.
//! The protected parts are random bytes, so no reader can decrypt them: such flows are named
//! by the DNS answer before them.

use std::io;
use std::net::IpAddr;

use super::super::wire::{IpHead, Transport};
use super::population::PUBLIC_RESOLVERS;
use super::{FlowKind, Gateway};

const QUIC_V1: u32 = 1;
const INITIAL: u8 = 0;
const HANDSHAKE: u8 = 2;
/// What browsers pad their first Initial datagram to.
const CLIENT_INITIAL_LEN: usize = 1_250;
/// Bytes of a long header before the packet number with 8-byte connection IDs, an empty
/// token (Initial only) and a two-byte length.
const INITIAL_HEADER_LEN: usize = 26;
const HANDSHAKE_HEADER_LEN: usize = 25;
/// Per thousand QUIC connections, those that end in a bulk download.
const QUIC_BULK: u64 = 20;
/// G.711 speech: 160 bytes of samples every 20 ms after a 12-byte RTP header.
const VOICE_PERIOD_US: u64 = 20_000;
const VOICE_SAMPLES: usize = 160;
const RTP_HEADER_LEN: usize = 12;

/// Appends a long-header packet of `kind` whose packet number and protected payload are `len`
/// bytes cut from `noise` at `at`.
fn long_packet(out: &mut Vec<u8>, kind: u8, ids: (&[u8; 8], &[u8; 8]), len: usize, noise: &[u8], at: usize) {
    out.push(0xc0 | kind << 4 | 0x03);
    out.extend_from_slice(&QUIC_V1.to_be_bytes());
    for id in [ids.0, ids.1] {
        out.push(id.len() as u8);
        out.extend_from_slice(id);
    }
    if kind == INITIAL {
        out.push(0); // no token
    }
    out.extend_from_slice(&(0x4000 | len as u16).to_be_bytes());
    out.extend_from_slice(&noise[at..at + len]);
}

/// A short-header (1-RTT) packet of `len` bytes to connection `dcid`.
fn short_packet(out: &mut Vec<u8>, dcid: &[u8; 8], len: usize, noise: &[u8], at: usize) {
    out.push(0x40 | (noise[at] & 0x3f));
    out.extend_from_slice(dcid);
    out.extend_from_slice(&noise[at..at + len.saturating_sub(1 + dcid.len())]);
}

impl Gateway {
    fn noise_at(&mut self, len: usize) -> usize {
        self.rng.below((self.noise.len() - len) as u64) as usize
    }

    /// Looks the service up, then a QUIC-like connection: the handshake's long-header
    /// packets, some requests and responses (or a bulk download) in short-header packets.
    pub(super) fn quic(&mut self, c: u32, s: u32, t: u64) -> io::Result<()> {
        let t = self.lookup(c, s, t)?;
        let server = self.remote_address(c, s);
        let me = self.source_for(c, server);
        let port = self.clients[c as usize].take_port();
        let link = self.uplink(c);
        let ttl = self.services[s as usize].ttl;
        let rtt = self.rtt_us(s);
        let (first_dcid, client_cid, server_cid) =
            (self.rng.bytes::<8>(), self.rng.bytes::<8>(), self.rng.bytes::<8>());
        let up_head = IpHead { src: me, dst: server, ttl: 64 };
        let down_head = IpHead { src: server, dst: me, ttl };
        let up = Transport::Udp { sport: port, dport: 443 };
        let down = Transport::Udp { sport: 443, dport: port };
        let mut datagram = Vec::with_capacity(1_400);

        let len = CLIENT_INITIAL_LEN - INITIAL_HEADER_LEN;
        let at = self.noise_at(len);
        long_packet(&mut datagram, INITIAL, (&first_dcid, &client_cid), len, &self.noise, at);
        self.round.ip(t, &link, up_head, up, &datagram)?;

        let mut now = t + rtt;
        datagram.clear();
        let at = self.noise_at(1_300);
        long_packet(&mut datagram, INITIAL, (&client_cid, &server_cid), 100, &self.noise, at);
        let len = self.rng.between(1_050, 1_100) as usize - HANDSHAKE_HEADER_LEN;
        long_packet(&mut datagram, HANDSHAKE, (&client_cid, &server_cid), len, &self.noise, at + 100);
        self.round.ip(now, &link.reversed(), down_head, down, &datagram)?;
        now += 60;
        datagram.clear();
        let len = self.rng.between(500, 1_100) as usize;
        let at = self.noise_at(len);
        long_packet(&mut datagram, HANDSHAKE, (&client_cid, &server_cid), len, &self.noise, at);
        self.round.ip(now, &link.reversed(), down_head, down, &datagram)?;

        // The client acknowledges the server's Initial and finishes the handshake, padded.
        now += self.rng.between(300, 2_000);
        datagram.clear();
        let at = self.noise_at(200);
        long_packet(&mut datagram, INITIAL, (&server_cid, &client_cid), 40, &self.noise, at);
        long_packet(&mut datagram, HANDSHAKE, (&server_cid, &client_cid), 80, &self.noise, at + 40);
        datagram.resize(CLIENT_INITIAL_LEN, 0);
        self.round.ip(now, &link, up_head, up, &datagram)?;

        let exchanges = self.rng.between(1, 6);
        let bulk = self.rng.below(1_000) < QUIC_BULK;
        for i in 0..exchanges {
            now += self.rng.between(100, 2_000);
            datagram.clear();
            let len = self.rng.between(40, 500) as usize;
            let at = self.noise_at(len);
            short_packet(&mut datagram, &server_cid, len, &self.noise, at);
            self.round.ip(now, &link, up_head, up, &datagram)?;
            now += rtt;
            let packets = if bulk && i + 1 == exchanges {
                self.rng.between(40_000, 600_000).min(self.plan.max_visit_bytes) / 1_300 + 1
            } else {
                self.rng.between(1, 3)
            };
            for p in 0..packets {
                datagram.clear();
                let len = self.rng.between(1_150, 1_350) as usize;
                let at = self.noise_at(len);
                short_packet(&mut datagram, &client_cid, len, &self.noise, at);
                self.round.ip(now, &link.reversed(), down_head, down, &datagram)?;
                if p % 2 == 1 || p + 1 == packets {
                    datagram.clear();
                    let len = self.rng.between(30, 50) as usize;
                    let at = self.noise_at(len);
                    short_packet(&mut datagram, &server_cid, len, &self.noise, at);
                    self.round.ip(now + 250, &link, up_head, up, &datagram)?;
                }
                now += self.rng.between(30, 120);
            }
            now += self.rng.between(1_000, 150_000);
        }
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Quic, c, client, Some(server), Some(s));
        Ok(())
    }

    /// Looks the time server up and asks it for the time (NTPv4 client and server packets).
    pub(super) fn ntp(&mut self, c: u32, s: u32, t: u64) -> io::Result<()> {
        let t = self.lookup(c, s, t)?;
        let server = self.remote_address(c, s);
        let me = self.source_for(c, server);
        let port = self.clients[c as usize].take_port();
        let link = self.uplink(c);
        let mut request = [0u8; 48];
        request[0] = 0x23; // version 4, client
        request[40..48].copy_from_slice(&self.rng.bytes::<8>()); // transmit timestamp
        let up = Transport::Udp { sport: port, dport: 123 };
        self.round.ip(t, &link, IpHead { src: me, dst: server, ttl: 64 }, up, &request)?;
        let mut reply = [0u8; 48];
        reply[0] = 0x24; // version 4, server
        reply[1] = 2; // stratum
        reply[2] = 3;
        reply[3] = 0xe9; // precision
        reply[24..32].copy_from_slice(&request[40..48]); // origin = client's transmit
        let seconds = (t / 1_000_000 + 2_208_988_800) as u32; // NTP era 0
        for at in [16, 32, 40] {
            reply[at..at + 4].copy_from_slice(&seconds.to_be_bytes());
        }
        let back = t + self.rtt_us(s);
        let down = Transport::Udp { sport: 123, dport: port };
        let ttl = self.services[s as usize].ttl;
        self.round.ip(back, &link.reversed(), IpHead { src: server, dst: me, ttl }, down, &reply)?;
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Ntp, c, client, Some(server), Some(s));
        Ok(())
    }

    /// One to four echo requests a second apart, each answered: mostly to a service looked up
    /// by name, sometimes to a public resolver's address typed by hand. A client pings an
    /// address at most once, so each ping is a flow of its own.
    pub(super) fn ping(&mut self, c: u32, visits_left: u64, t: u64) -> io::Result<()> {
        let (target, service, t, rtt, ttl) = if self.rng.chance(80) {
            let s = self.pick_web(visits_left);
            let t = self.lookup(c, s, t)?;
            (self.remote_address(c, s), Some(s), t, self.rtt_us(s), self.services[s as usize].ttl)
        } else {
            let resolver = PUBLIC_RESOLVERS[self.rng.below(PUBLIC_RESOLVERS.len() as u64) as usize];
            (IpAddr::V4(resolver), None, t, self.rng.between(5_000, 30_000), 57)
        };
        if !self.pinged.insert((c, target)) {
            return Ok(());
        }
        let me = self.source_for(c, target);
        let link = self.uplink(c);
        let id = self.rng.next_u16();
        let mut payload = [0u8; 56];
        for (i, b) in payload.iter_mut().enumerate() {
            *b = i as u8;
        }
        for seq in 1..=self.rng.between(1, 4) as u16 {
            let sent = t + u64::from(seq - 1) * 1_000_000;
            let (request, reply) = if target.is_ipv6() {
                let head = [(id >> 8) as u8, id as u8, (seq >> 8) as u8, seq as u8];
                (Transport::Icmpv6 { kind: 128, code: 0, head }, Transport::Icmpv6 { kind: 129, code: 0, head })
            } else {
                (Transport::IcmpEcho { request: true, id, seq }, Transport::IcmpEcho { request: false, id, seq })
            };
            self.round.ip(sent, &link, IpHead { src: me, dst: target, ttl: 64 }, request, &payload)?;
            let back = sent + rtt + self.rng.below(rtt / 10 + 1);
            self.round.ip(back, &link.reversed(), IpHead { src: target, dst: me, ttl }, reply, &payload)?;
        }
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Ping, c, client, Some(target), service);
        Ok(())
    }

    /// A voice call through a relay reached by address (its signalling went elsewhere): RTP
    /// packets of G.711 speech every 20 ms each way for 5 to 45 seconds.
    pub(super) fn voice(&mut self, c: u32, visits_left: u64, t: u64) -> io::Result<()> {
        let relay = self.pick_relay(visits_left);
        let me: IpAddr = self.clients[c as usize].ipv4.into();
        let link = self.uplink(c);
        let port = self.clients[c as usize].take_port();
        let relay_port = (self.rng.between(10_000, 59_999) & !1) as u16;
        let frame = (14 + 20 + 8 + RTP_HEADER_LEN + VOICE_SAMPLES) as u64;
        let most = (self.plan.max_visit_bytes / (2 * (frame + 16))).max(50);
        let packets = self.rng.between(250, 2_250).min(most);
        let one_way = self.rng.between(10_000, 80_000);
        let up = Transport::Udp { sport: port, dport: relay_port };
        let down = Transport::Udp { sport: relay_port, dport: port };
        let mut streams = [(self.rng.next_u32(), self.rng.next_u16(), self.rng.next_u32()); 2];
        streams[1] = (self.rng.next_u32(), self.rng.next_u16(), self.rng.next_u32());
        let mut packet = [0u8; RTP_HEADER_LEN + VOICE_SAMPLES];
        for i in 0..packets {
            for (way, stream) in streams.iter_mut().enumerate() {
                let (ssrc, seq, clock) = *stream;
                packet[0] = 0x80; // version 2
                packet[1] = if i == 0 { 0x80 } else { 0 }; // marker on the first; PCMU
                packet[2..4].copy_from_slice(&seq.to_be_bytes());
                packet[4..8].copy_from_slice(&clock.to_be_bytes());
                packet[8..12].copy_from_slice(&ssrc.to_be_bytes());
                let at = self.noise_at(VOICE_SAMPLES);
                packet[RTP_HEADER_LEN..].copy_from_slice(&self.noise[at..at + VOICE_SAMPLES]);
                *stream = (ssrc, seq.wrapping_add(1), clock.wrapping_add(VOICE_SAMPLES as u32));
                let due = t + i * VOICE_PERIOD_US;
                if way == 0 {
                    let sent = due + self.rng.below(300);
                    self.round.ip(sent, &link, IpHead { src: me, dst: relay, ttl: 64 }, up, &packet)?;
                } else {
                    let heard = due + 2 * one_way + self.rng.below(4_000);
                    let head = IpHead { src: relay, dst: me, ttl: 54 };
                    self.round.ip(heard, &link.reversed(), head, down, &packet)?;
                }
            }
        }
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Voice, c, client, Some(relay), None);
        Ok(())
    }
}
