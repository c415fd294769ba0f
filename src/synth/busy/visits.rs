//! One visit of a client to the Internet: which client, which service, which protocol; and
//! the DNS lookup, TLS and HTTP conversations (QUIC, NTP, ICMP echo and voice are `media`'s).

use std::io;
use std::net::IpAddr;

use super::super::dns::{self, Rdata, Record, TYPE_A, TYPE_AAAA};
use super::super::tcp::{Ends, TcpSession};
use super::super::tls::{self, Stack};
use super::super::wire::{IpHead, Link, Transport};
use super::population;
use super::{FlowKind, Gateway};

/// How long a client trusts a DNS answer before it asks again.
const DNS_CACHE_US: u64 = 60_000_000;
/// Of the visits, per thousand: TLS, then QUIC, HTTP, NTP, ICMP echo, voice; the rest are
/// lookups that lead nowhere (prefetching, a connection that goes elsewhere).
const TLS_UNTIL: u64 = 630;
const QUIC_UNTIL: u64 = 760;
const HTTP_UNTIL: u64 = 815;
const NTP_UNTIL: u64 = 860;
const PING_UNTIL: u64 = 905;
const VOICE_UNTIL: u64 = 906;
/// Of the visits, per thousand, those that pick a web service (all but NTP, voice and the
/// pings that go to a public resolver).
const WEB_SHARE: u64 = 860;
/// Percent of connections over IPv6 when both the client and the service have it.
const IPV6_PREFERENCE: u64 = 90;
/// Percent of ClientHellos sent over two TCP segments.
const SPLIT_HELLOS: u64 = 25;
/// Per thousand TLS connections, those that end in a bulk download.
const BULK: u64 = 25;

impl Gateway {
    /// A client uses a service at `t`. `visits_left` is about how many visits the capture
    /// still has room for.
    pub(super) fn visit(&mut self, t: u64, visits_left: u64) -> io::Result<()> {
        let c = self.pick_client(visits_left);
        match self.rng.below(1_000) {
            0..TLS_UNTIL => {
                let s = self.pick_web(visits_left);
                self.tls(c, s, t)
            }
            TLS_UNTIL..QUIC_UNTIL => {
                let s = self.pick_web(visits_left);
                self.quic(c, s, t)
            }
            QUIC_UNTIL..HTTP_UNTIL => {
                let s = self.pick_web(visits_left);
                self.http(c, s, t)
            }
            HTTP_UNTIL..NTP_UNTIL => {
                let s = self.pick_ntp(visits_left);
                self.ntp(c, s, t)
            }
            NTP_UNTIL..PING_UNTIL => self.ping(c, visits_left, t),
            PING_UNTIL..VOICE_UNTIL => self.voice(c, visits_left, t),
            _ => {
                let s = self.pick_web(visits_left);
                self.lookup(c, s, t).map(|_| ())
            }
        }
    }

    /// Clients come online over the first 30% of the capture; half the visits are by the
    /// busiest ones.
    fn pick_client(&mut self, visits_left: u64) -> u32 {
        let chances = visits_left.saturating_sub(self.plan.visits * 7 / 10);
        let skew = u32::from(self.rng.chance(50));
        let (c, fresh) = self.client_intro.pick(&mut self.rng, chances, skew);
        if fresh {
            let vlan_every = 33;
            let client = population::client(c, &self.router, vlan_every, &mut self.rng);
            self.clients.push(client);
        }
        c
    }

    pub(super) fn pick_web(&mut self, visits_left: u64) -> u32 {
        let chances = visits_left * WEB_SHARE / 1_000;
        let (i, fresh) = self.web_intro.pick(&mut self.rng, chances, 2);
        if fresh {
            let service = population::web_service(i, &mut self.addresses, &mut self.rng);
            self.web.push(self.services.len() as u32);
            self.services.push(service);
        }
        self.web[i as usize]
    }

    fn pick_ntp(&mut self, visits_left: u64) -> u32 {
        let chances = visits_left * (NTP_UNTIL - HTTP_UNTIL) / 1_000;
        let (i, fresh) = self.ntp_intro.pick(&mut self.rng, chances, 1);
        if fresh {
            let service = population::ntp_service(i as usize, &mut self.addresses, &mut self.rng);
            self.ntp.push(self.services.len() as u32);
            self.services.push(service);
        }
        self.ntp[i as usize]
    }

    pub(super) fn pick_relay(&mut self, visits_left: u64) -> IpAddr {
        let chances = visits_left * (VOICE_UNTIL - PING_UNTIL) / 1_000;
        let (i, fresh) = self.relay_intro.pick(&mut self.rng, chances, 0);
        if fresh {
            let address = self.addresses.v4(&mut self.rng);
            self.relays.push(address);
        }
        self.relays[i as usize].into()
    }

    /// Client `c`'s frames to the router; the router's to it are the reverse.
    pub(super) fn uplink(&self, c: u32) -> Link {
        let client = &self.clients[c as usize];
        Link { src: client.mac, dst: self.router.mac, vlan: client.vlan }
    }

    /// The client's own address of `remote`'s family.
    pub(super) fn source_for(&self, c: u32, remote: IpAddr) -> IpAddr {
        let client = &self.clients[c as usize];
        match (remote, client.ipv6) {
            (IpAddr::V6(_), Some(v6)) => v6.into(),
            _ => client.ipv4.into(),
        }
    }

    /// The address of service `s` that client `c` connects to: IPv6 mostly when both have it.
    pub(super) fn remote_address(&mut self, c: u32, s: u32) -> IpAddr {
        let service = &self.services[s as usize];
        if self.clients[c as usize].ipv6.is_some() && !service.v6.is_empty() && self.rng.chance(IPV6_PREFERENCE) {
            return service.v6[self.rng.below(service.v6.len() as u64) as usize].into();
        }
        service.v4[self.rng.below(service.v4.len() as u64) as usize].into()
    }

    /// Asks the client's resolver for service `s` (A, and AAAA from the same port for IPv6
    /// clients, as stub resolvers do) unless a recent answer is cached; returns when the
    /// answers are in.
    pub(super) fn lookup(&mut self, c: u32, s: u32, t: u64) -> io::Result<u64> {
        if self.dns_cache.get(&(c, s)).is_some_and(|&until| until > t) {
            return Ok(t);
        }
        self.dns_cache.insert((c, s), t + DNS_CACHE_US);
        let client = &self.clients[c as usize];
        let resolver = client.resolver;
        let public = resolver != self.router.lan && resolver != self.router.vlan;
        let me: IpAddr = client.ipv4.into();
        let qtypes: &[u16] = if client.ipv6.is_some() { &[TYPE_A, TYPE_AAAA] } else { &[TYPE_A] };
        let rtt = match (public, self.rng.chance(70)) {
            (false, true) => self.rng.between(300, 1_500),
            (false, false) => self.rng.between(8_000, 40_000),
            (true, _) => self.rng.between(9_000, 30_000),
        };
        let port = self.clients[c as usize].take_port();
        let link = self.uplink(c);
        let ttl = if public { 57 } else { 64 };
        let mut done = t;
        for (i, &qtype) in qtypes.iter().enumerate() {
            let service = &self.services[s as usize];
            let query = dns::Message::query(self.rng.next_u16(), &service.name, qtype);
            let mut answers = Vec::with_capacity(service.cnames.len() + 4);
            let mut owner = service.name.as_str();
            for cname in &service.cnames {
                answers.push(Record { name: owner.into(), ttl: 300, data: Rdata::Cname(cname.clone()) });
                owner = cname;
            }
            if qtype == TYPE_A {
                answers.extend(service.v4.iter().map(|&a| Record { name: owner.into(), ttl: 60, data: Rdata::A(a) }));
            } else {
                answers.extend(service.v6.iter().map(|&a| Record {
                    name: owner.into(),
                    ttl: 60,
                    data: Rdata::Aaaa(a),
                }));
            }
            let answer = dns::Message::answer(&query, answers).to_bytes();
            let sent = t + i as u64 * 150;
            let up = Transport::Udp { sport: port, dport: 53 };
            let resolver = IpAddr::V4(resolver);
            self.round.ip(sent, &link, IpHead { src: me, dst: resolver, ttl: 64 }, up, &query.to_bytes())?;
            done = done.max(sent + rtt + self.rng.below(400));
            let down = Transport::Udp { sport: 53, dport: port };
            self.round.ip(done, &link.reversed(), IpHead { src: resolver, dst: me, ttl }, down, &answer)?;
        }
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Dns, c, client, public.then_some(IpAddr::V4(resolver)), None);
        Ok(done + self.rng.between(100, 2_000))
    }

    pub(super) fn ends(&mut self, c: u32, server: IpAddr, port: u16, s: u32) -> Ends {
        Ends {
            link: self.uplink(c),
            client: self.source_for(c, server),
            server,
            client_port: self.clients[c as usize].take_port(),
            server_port: port,
            client_ttl: 64,
            server_ttl: self.services[s as usize].ttl,
        }
    }

    pub(super) fn rtt_us(&mut self, s: u32) -> u64 {
        let base = self.services[s as usize].rtt_us;
        base + self.rng.below(base / 10 + 1)
    }

    /// Looks service `s` up for client `c`, then opens a TCP connection to one of its
    /// addresses on `port`.
    fn connect(&mut self, c: u32, s: u32, port: u16, t: u64) -> io::Result<(IpAddr, TcpSession)> {
        let t = self.lookup(c, s, t)?;
        let server = self.remote_address(c, s);
        let ends = self.ends(c, server, port, s);
        let rtt = self.rtt_us(s);
        Ok((server, TcpSession::connect(&mut self.round, ends, t, rtt, &mut self.rng)?))
    }

    /// Looks the service up, then a TLS connection: the ClientHello naming it, the server's
    /// flight, a few requests and responses (or a bulk download at the end), close.
    fn tls(&mut self, c: u32, s: u32, t: u64) -> io::Result<()> {
        let (server, mut session) = self.connect(c, s, 443, t)?;
        let client = &self.clients[c as usize];
        let two_segments = self.rng.chance(SPLIT_HELLOS);
        let stack = if two_segments && client.browser { Stack::PostQuantum13 } else { client.stack };
        let session_id = self.rng.bytes::<32>();
        let hello = tls::client_hello(stack, &self.services[s as usize].name, &session_id, &mut self.rng);
        // The post-quantum hello needs two segments anyway; other stacks write it in two parts.
        let split = (two_segments && stack != Stack::PostQuantum13)
            .then(|| self.rng.between(10, hello.len() as u64 - 10) as usize);
        session.client_sends(&mut self.round, &hello, split)?;
        self.tally.hellos += 1;
        self.tally.split_hellos += u64::from(two_segments);
        let flight = tls::server_flight(stack, &session_id, &mut self.rng);
        session.server_sends(&mut self.round, &flight)?;
        session.now += self.rng.between(200, 3_000);
        session.client_sends(&mut self.round, &tls::client_finish(stack, &mut self.rng), None)?;
        let exchanges = self.rng.between(1, 2);
        let bulk = self.rng.below(1_000) < BULK;
        for i in 0..exchanges {
            let len = self.rng.between(60, 900) as usize;
            let request = self.record(len);
            session.client_sends(&mut self.round, &request, None)?;
            if bulk && i + 1 == exchanges {
                let total = self.rng.between(40_000, 600_000).min(self.plan.max_visit_bytes);
                let gap = self.rng.between(40, 250);
                session.server_streams(&mut self.round, total, gap, &self.noise, &mut self.rng)?;
            } else {
                let len = match self.rng.below(100) {
                    0..80 => self.rng.between(100, 2_000),
                    _ => self.rng.between(2_000, 12_000),
                };
                let response = self.record(len as usize);
                session.server_sends(&mut self.round, &response)?;
            }
            session.now += self.rng.between(1_000, 200_000);
        }
        session.close(&mut self.round)?;
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Tls, c, client, Some(server), Some(s));
        Ok(())
    }

    /// TLS application data records of `len` bytes in all, cut from the noise.
    fn record(&mut self, len: usize) -> Vec<u8> {
        let mut out = Vec::with_capacity(len + 5 * (len / 16_384 + 1));
        let mut left = len.max(1);
        while left > 0 {
            let body = left.min(16_384);
            let start = self.rng.below((self.noise.len() - body) as u64) as usize;
            out.extend_from_slice(&tls::application_data_header(body as u16));
            out.extend_from_slice(&self.noise[start..start + body]);
            left -= body;
        }
        out
    }

    /// Looks the service up, then a plain HTTP/1.1 GET with its `Host` and the response.
    fn http(&mut self, c: u32, s: u32, t: u64) -> io::Result<()> {
        let (server, mut session) = self.connect(c, s, 80, t)?;
        let (path, kind) = [
            ("/", "text/html"),
            ("/generate_204", "text/plain"),
            ("/firmware/latest.json", "application/json"),
            ("/images/banner.jpg", "image/jpeg"),
            ("/pki/crl/root.crl", "application/pkix-crl"),
        ][self.rng.below(5) as usize];
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: Mozilla/5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            self.services[s as usize].name
        );
        session.client_sends(&mut self.round, request.as_bytes(), None)?;
        let body_len = self.rng.between(0, 20_000) as usize;
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: {kind}\r\nContent-Length: {body_len}\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        let start = self.rng.below((self.noise.len() - body_len) as u64) as usize;
        response.extend_from_slice(&self.noise[start..start + body_len]);
        session.server_sends(&mut self.round, &response)?;
        session.close(&mut self.round)?;
        let client = &self.clients[c as usize];
        self.tally.flow(FlowKind::Http, c, client, Some(server), Some(s));
        Ok(())
    }
}
