//! What the devices do on the Internet: DNS lookups (with CNAME chains), HTTPS and HTTP visits,
//! a video stream, NTP, ping, plain MQTT, mail with STARTTLS, and the doorbell's periodic audio
//! snippets. Each activity records in the truth which destination it reached and by which name.

use std::io;
use std::net::{IpAddr, Ipv4Addr};

use super::dns::{self, Rdata, Record, TYPE_A, TYPE_AAAA};
use super::home::{Resolver, Service, DOORBELL_RELAY, DOORBELL_RELAY_PORT, DOORBELL_SNIPPET_LEN};
use super::scenario::World;
use super::tcp::{Ends, TcpSession};
use super::tls;
use super::truth::NameSource;
use super::wire::{IpHead, Link, Transport};
use crate::report::model::Concern;

/// How long a device trusts a DNS answer before it asks again.
const DNS_CACHE_US: u64 = 60_000_000;

impl World {
    fn uplink(&self, dev: usize) -> Link {
        let d = &self.devices[dev];
        Link { src: d.mac, dst: self.router.mac, vlan: d.vlan }
    }

    /// The device's own address of the same family as `peer`.
    fn source_for(&self, dev: usize, peer: IpAddr) -> Option<IpAddr> {
        let d = &self.devices[dev];
        match peer {
            IpAddr::V4(_) => Some(d.ipv4.into()),
            IpAddr::V6(_) => d.ipv6.map(IpAddr::from),
        }
    }

    /// The address the device connects to: IPv6 when both sides have it, as dual-stack hosts
    /// prefer.
    fn pick_address(&mut self, dev: usize, service: &Service) -> IpAddr {
        let v6: Vec<IpAddr> = service.v6_addrs().map(IpAddr::from).collect();
        if self.devices[dev].ipv6.is_some() && !v6.is_empty() {
            return v6[self.rng.below(v6.len() as u64) as usize];
        }
        let v4: Vec<IpAddr> = service.v4_addrs().map(IpAddr::from).collect();
        v4[self.rng.below(v4.len() as u64) as usize]
    }

    /// Asks the device's resolver for `service` (A, and AAAA for IPv6 devices) unless a recent
    /// answer is cached; returns when the answers are in.
    pub fn lookup(&mut self, dev: usize, service: &Service, t: u64) -> io::Result<u64> {
        let key = (dev, service.name);
        if self.dns_cache.get(&key).is_some_and(|&until| until > t) {
            return Ok(t);
        }
        self.dns_cache.insert(key, t + DNS_CACHE_US);
        let resolver = self.devices[dev].resolver;
        let server = resolver.address();
        let Some(client) = self.source_for(dev, server) else { return Ok(t) };
        if resolver != Resolver::Router {
            self.truth.reached(dev, server, None, None);
        }
        let rtt = match resolver {
            Resolver::Router if self.rng.chance(60) => self.rng.between(300, 1_500),
            Resolver::Router => self.rng.between(8_000, 30_000),
            _ => self.rng.between(11_000, 16_000),
        };
        let mut qtypes = vec![TYPE_A];
        if self.devices[dev].ipv6.is_some() {
            qtypes.push(TYPE_AAAA);
        }
        let link = self.uplink(dev);
        let server_ttl = if resolver == Resolver::Router { 64 } else { 119 };
        let mut done = t;
        for (i, qtype) in qtypes.into_iter().enumerate() {
            let sent = t + i as u64 * 120;
            let port = self.devices[dev].take_port();
            let query = dns::Message::query(self.rng.next_u16(), service.name, qtype);
            let mut answers = Vec::new();
            let mut owner = service.name;
            for cname in service.cnames {
                answers.push(Record { name: owner.into(), ttl: 300, data: Rdata::Cname((*cname).into()) });
                owner = cname;
            }
            if qtype == TYPE_A {
                answers.extend(service.v4_addrs().map(|a| Record { name: owner.into(), ttl: 60, data: Rdata::A(a) }));
            } else {
                answers.extend(service.v6_addrs().map(|a| Record {
                    name: owner.into(),
                    ttl: 60,
                    data: Rdata::Aaaa(a),
                }));
            }
            let answer = dns::Message::answer(&query, answers);
            let up = Transport::Udp { sport: port, dport: 53 };
            let down = Transport::Udp { sport: 53, dport: port };
            self.round.ip(sent, &link, IpHead { src: client, dst: server, ttl: 64 }, up, &query.to_bytes())?;
            done = sent + rtt;
            self.round.ip(
                done,
                &link.reversed(),
                IpHead { src: server, dst: client, ttl: server_ttl },
                down,
                &answer.to_bytes(),
            )?;
        }
        Ok(done + 200)
    }

    fn ends(&mut self, dev: usize, server: IpAddr, port: u16, service: &Service) -> Option<Ends> {
        Some(Ends {
            link: self.uplink(dev),
            client: self.source_for(dev, server)?,
            server,
            client_port: self.devices[dev].take_port(),
            server_port: port,
            client_ttl: 64,
            server_ttl: service.ttl,
        })
    }

    /// Looks the service up, then opens a TCP connection to one of its addresses on `port`;
    /// `None` when the device has no address of that family.
    fn connect(
        &mut self,
        dev: usize,
        service: &Service,
        port: u16,
        t: u64,
    ) -> io::Result<Option<(IpAddr, TcpSession)>> {
        let t = self.lookup(dev, service, t)?;
        let server = self.pick_address(dev, service);
        let Some(ends) = self.ends(dev, server, port, service) else { return Ok(None) };
        let rtt = self.rtt_us(service);
        Ok(Some((server, TcpSession::connect(&mut self.round, ends, t, rtt, &mut self.rng)?)))
    }

    fn rtt_us(&mut self, service: &Service) -> u64 {
        service.rtt_ms * 1_000 + self.rng.below(service.rtt_ms * 100 + 1)
    }

    /// Looks the service up, then a TLS connection: ClientHello with SNI, the server's flight,
    /// `exchanges` request/response pairs of application data, close. `stream` bytes of video
    /// (paced over about a second) replace the last response when non-zero.
    pub fn tls_visit(
        &mut self,
        dev: usize,
        service: &Service,
        port: u16,
        t: u64,
        exchanges: u32,
        stream: u64,
    ) -> io::Result<()> {
        let Some((server, mut session)) = self.connect(dev, service, port, t)? else { return Ok(()) };
        self.tls_in(dev, &mut session, service, exchanges, stream)?;
        self.truth.reached(dev, server, Some(service.name), Some(NameSource::Sni));
        if service.name == super::home::DOUBLECLICK.name {
            self.truth.concern(dev, server, Concern::ThirdParty);
        }
        Ok(())
    }

    /// Looks the mail server up, then SMTP on the submission port (587): greeting, EHLO,
    /// STARTTLS, and the rest in TLS, whose ClientHello names the server. A camera mailing a
    /// snapshot does this.
    pub fn smtp_visit(&mut self, dev: usize, service: &Service, t: u64) -> io::Result<()> {
        let Some((server, mut session)) = self.connect(dev, service, 587, t)? else { return Ok(()) };
        let greeting = format!("220 {} ESMTP ready\r\n", service.name);
        session.server_sends(&mut self.round, greeting.as_bytes())?;
        let ehlo = format!("EHLO {}\r\n", self.devices[dev].hostname);
        session.client_sends(&mut self.round, ehlo.as_bytes(), None)?;
        let capabilities = format!(
            "250-{} at your service\r\n250-SIZE 35882577\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n",
            service.name
        );
        session.server_sends(&mut self.round, capabilities.as_bytes())?;
        session.client_sends(&mut self.round, b"STARTTLS\r\n", None)?;
        session.server_sends(&mut self.round, b"220 2.0.0 Ready to start TLS\r\n")?;
        // The snapshot: a few kilobytes in the last exchange.
        let snapshot = self.rng.between(4_000, 12_000);
        self.tls_in(dev, &mut session, service, 3, snapshot)?;
        self.truth.reached(dev, server, Some(service.name), Some(NameSource::Sni));
        Ok(())
    }

    /// A TLS session on an open connection: ClientHello with SNI, the server's flight,
    /// `exchanges` request/response pairs of application data, close. `stream` bytes (paced
    /// over about a second) replace the last response when non-zero.
    fn tls_in(
        &mut self,
        dev: usize,
        session: &mut TcpSession,
        service: &Service,
        exchanges: u32,
        stream: u64,
    ) -> io::Result<()> {
        let stack = self.devices[dev].stack;
        let session_id = self.rng.bytes::<32>();
        let hello = tls::client_hello(stack, service.name, &session_id, &mut self.rng);
        // Some stacks write the record in two parts; the post-quantum hello needs two segments
        // anyway. Either way a reader has to reassemble it to find the name.
        let split = (stack != tls::Stack::PostQuantum13 && self.rng.chance(25))
            .then(|| self.rng.between(10, hello.len() as u64 - 10) as usize);
        session.client_sends(&mut self.round, &hello, split)?;
        let flight = tls::server_flight(stack, &session_id, &mut self.rng);
        session.server_sends(&mut self.round, &flight)?;
        session.now += 400;
        let finish = tls::client_finish(stack, &mut self.rng);
        session.client_sends(&mut self.round, &finish, None)?;
        for i in 0..exchanges.max(1) {
            let request = tls::application_data(self.rng.between(60, 700) as usize, &mut self.rng);
            session.client_sends(&mut self.round, &request, None)?;
            if stream > 0 && i + 1 == exchanges.max(1) {
                let segments = stream.div_ceil(1_400).max(1);
                let gap = (1_200_000 / segments).clamp(15, 800);
                session.server_streams(&mut self.round, stream, gap, &self.noise, &mut self.rng)?;
            } else {
                let len = self.rng.between(60, 1_800) as usize;
                let response = tls::application_data(len, &mut self.rng);
                session.server_sends(&mut self.round, &response)?;
            }
            session.now += self.rng.between(2_000, 60_000);
        }
        session.close(&mut self.round)
    }

    /// Looks the service up, then a plain HTTP/1.1 GET with its `Host` header and the response.
    pub fn http_visit(&mut self, dev: usize, service: &Service, path: &str, t: u64) -> io::Result<()> {
        let Some((server, mut session)) = self.connect(dev, service, 80, t)? else { return Ok(()) };
        let agent = match self.devices[dev].kind {
            super::home::Kind::Tv => "Mozilla/5.0 (Web0S; Linux/SmartTV) AppleWebKit/537.36",
            _ => "NetworkManager/1.46.0",
        };
        let request = format!(
            "GET {path} HTTP/1.1\r\nHost: {}\r\nUser-Agent: {agent}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            service.name
        );
        session.client_sends(&mut self.round, request.as_bytes(), None)?;
        let body_len = self.rng.between(0, 3) as usize * 900 + 42;
        let mut body = vec![b'x'; body_len];
        let line = b"<html><body>online</body></html>\n";
        body[..line.len().min(body_len)].copy_from_slice(&line[..line.len().min(body_len)]);
        let mut response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {body_len}\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n"
        )
        .into_bytes();
        response.extend_from_slice(&body);
        session.server_sends(&mut self.round, &response)?;
        session.close(&mut self.round)?;
        self.truth.reached(dev, server, Some(service.name), Some(NameSource::Http));
        self.truth.concern(dev, server, Concern::Plaintext);
        Ok(())
    }

    /// Looks the broker up, then plain MQTT 3.1.1 on port 1883: CONNECT, the broker's
    /// CONNACK, one PUBLISH of a reading (QoS 0), DISCONNECT. Anyone on the path reads it.
    pub fn mqtt_visit(&mut self, dev: usize, service: &Service, t: u64) -> io::Result<()> {
        let Some((server, mut session)) = self.connect(dev, service, 1883, t)? else { return Ok(()) };
        let client_id = self.devices[dev].hostname.to_string();
        let mut connect = vec![0x00, 0x04, b'M', b'Q', b'T', b'T', 0x04, 0x02, 0x00, 0x3c];
        connect.extend_from_slice(&(client_id.len() as u16).to_be_bytes());
        connect.extend_from_slice(client_id.as_bytes());
        session.client_sends(&mut self.round, &mqtt_packet(0x10, &connect), None)?;
        session.server_sends(&mut self.round, &[0x20, 0x02, 0x00, 0x00])?;
        let topic = format!("home/{client_id}/energy");
        let reading =
            format!("{{\"power_w\":{},\"voltage_v\":{}}}", self.rng.between(0, 2_000), self.rng.between(228, 242));
        let mut publish = (topic.len() as u16).to_be_bytes().to_vec();
        publish.extend_from_slice(topic.as_bytes());
        publish.extend_from_slice(reading.as_bytes());
        session.client_sends(&mut self.round, &mqtt_packet(0x30, &publish), None)?;
        session.client_sends(&mut self.round, &[0xe0, 0x00], None)?;
        session.close(&mut self.round)?;
        self.truth.reached(dev, server, Some(service.name), Some(NameSource::Dns));
        self.truth.concern(dev, server, Concern::Plaintext);
        Ok(())
    }

    /// Looks the NTP service up and asks it for the time (NTPv4 client and server packets).
    pub fn ntp(&mut self, dev: usize, service: &Service, t: u64) -> io::Result<()> {
        let t = self.lookup(dev, service, t)?;
        let server = self.pick_address(dev, service);
        let Some(client) = self.source_for(dev, server) else { return Ok(()) };
        let link = self.uplink(dev);
        let port = self.devices[dev].take_port();
        let mut request = [0u8; 48];
        request[0] = 0x23; // version 4, client
        request[40..48].copy_from_slice(&self.rng.bytes::<8>()); // transmit timestamp
        self.round.ip(
            t,
            &link,
            IpHead { src: client, dst: server, ttl: 64 },
            Transport::Udp { sport: port, dport: 123 },
            &request,
        )?;
        let mut reply = [0u8; 48];
        reply[0] = 0x24; // version 4, server
        reply[1] = 1; // stratum
        reply[2] = 3;
        reply[3] = 0xe9; // precision
        reply[12..16].copy_from_slice(b"GOOG");
        reply[24..32].copy_from_slice(&request[40..48]); // origin = client's transmit
        let seconds = (t / 1_000_000 + 2_208_988_800) as u32; // NTP era 0
        for at in [16, 32, 40] {
            reply[at..at + 4].copy_from_slice(&seconds.to_be_bytes());
        }
        let rtt = self.rtt_us(service);
        let down = Transport::Udp { sport: 123, dport: port };
        self.round.ip(
            t + rtt,
            &link.reversed(),
            IpHead { src: server, dst: client, ttl: service.ttl },
            down,
            &reply,
        )?;
        self.truth.reached(dev, server, Some(service.name), Some(NameSource::Dns));
        Ok(())
    }

    /// `count` ICMP echo requests a second apart to an address typed by hand.
    pub fn ping(&mut self, dev: usize, target: Ipv4Addr, count: u16, t: u64) -> io::Result<()> {
        let link = self.uplink(dev);
        let me: IpAddr = self.devices[dev].ipv4.into();
        let id = self.rng.next_u16();
        let mut payload = [0u8; 56];
        for (i, b) in payload.iter_mut().enumerate() {
            *b = i as u8;
        }
        for seq in 1..=count {
            let sent = t + u64::from(seq - 1) * 1_000_000;
            let request = Transport::IcmpEcho { request: true, id, seq };
            self.round.ip(sent, &link, IpHead { src: me, dst: target.into(), ttl: 64 }, request, &payload)?;
            let reply = Transport::IcmpEcho { request: false, id, seq };
            let back = sent + self.rng.between(9_000, 14_000);
            self.round.ip(back, &link.reversed(), IpHead { src: target.into(), dst: me, ttl: 58 }, reply, &payload)?;
        }
        self.truth.reached(dev, target.into(), None, None);
        self.truth.concern(dev, target.into(), Concern::NoDns);
        Ok(())
    }

    /// One audio snippet from the doorbell to its relay, straight to the address (no lookup).
    pub fn doorbell_snippet(&mut self, dev: usize, t: u64) -> io::Result<()> {
        let link = self.uplink(dev);
        let me: IpAddr = self.devices[dev].ipv4.into();
        // A vendor framing: magic, sequence number, sample clock, then 12 bytes of coded audio.
        // (Its first byte also keeps RTP/RTCP heuristics from claiming the packet.)
        let mut snippet = [0u8; DOORBELL_SNIPPET_LEN];
        self.rng.fill(&mut snippet[8..]);
        snippet[..2].copy_from_slice(&[0x55, 0xaa]);
        snippet[2..4].copy_from_slice(&(self.snippet_seq as u16).to_be_bytes());
        snippet[4..8].copy_from_slice(&((t / 125) as u32).to_be_bytes()); // 8 kHz clock
        self.snippet_seq += 1;
        let udp = Transport::Udp { sport: self.doorbell_port, dport: DOORBELL_RELAY_PORT };
        self.round.ip(t, &link, IpHead { src: me, dst: DOORBELL_RELAY.into(), ttl: 64 }, udp, &snippet)?;
        self.truth.reached(dev, DOORBELL_RELAY.into(), None, None);
        // Baidu's own network, reached by address, never answering, every two seconds or so.
        for concern in [Concern::NoDns, Concern::UploadOnly, Concern::ThirdParty, Concern::Heartbeat] {
            self.truth.concern(dev, DOORBELL_RELAY.into(), concern);
        }
        Ok(())
    }
}

/// An MQTT control packet: its type byte, the remaining length (one byte: the scenario's
/// packets are short), the rest.
fn mqtt_packet(kind: u8, rest: &[u8]) -> Vec<u8> {
    let mut packet = vec![kind, rest.len().min(127) as u8];
    packet.extend_from_slice(&rest[..rest.len().min(127)]);
    packet
}
