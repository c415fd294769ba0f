//! The script of the generated capture: a boot stretch in which every device joins the network
//! and uses each of its services once, then ten-second rounds of everyday traffic, with the TV's
//! video stream sized so the file reaches the requested size. The doorbell's audio snippets run
//! through all of it every two seconds or so.

use std::collections::HashMap;
use std::io::{self, Write};
use std::net::{Ipv4Addr, SocketAddr};

use super::capture::{PcapWriter, Round};
use super::home::{self, Device, Kind, Router, Service};
use super::rng::Rng;
use super::truth::{mac_text, PeriodicTruth, Recorder, Truth};
use super::SynthConfig;

/// 2024-03-09 08:00:00 UTC, in microseconds.
const START_US: u64 = 1_709_971_200_000_000;
const BOOT_US: u64 = 24_000_000;
const ROUND_US: u64 = 10_000_000;
/// Activities start early enough in a round to end inside it.
const ROUND_ACTIVE_US: u64 = 6_500_000;
/// At least this many rounds, so that even a small capture has a few minutes of traffic.
const MIN_ROUNDS: u64 = 30;
/// Larger captures get one round per this many bytes, keeping each round's buffer small.
const BYTES_PER_ROUND: u64 = 1 << 20;
const NOISE_LEN: usize = 64 * 1024;

/// Everything the scenario's steps share: the home, the buffer of the current round, the
/// random stream and the truth being recorded.
pub struct World {
    pub rng: Rng,
    pub router: Router,
    pub devices: Vec<Device>,
    pub round: Round,
    pub truth: Recorder,
    /// Until when each (device, name) answer is cached.
    pub dns_cache: HashMap<(usize, &'static str), u64>,
    /// Ciphertext-looking bytes that bulk transfers are cut from.
    pub noise: Vec<u8>,
    pub doorbell_port: u16,
    pub snippet_seq: u64,
    next_snippet: u64,
    snippets: u64,
}

fn index_of(devices: &[Device], kind: Kind) -> usize {
    devices.iter().position(|d| d.kind == kind).unwrap_or(0)
}

/// Generates the whole capture into `out`; returns the truth of what it holds.
pub fn run<W: Write>(config: &SynthConfig, out: W) -> io::Result<Truth> {
    let mut rng = Rng::new(config.seed);
    let router = home::router(&mut rng.fork(1));
    let devices = home::devices(&mut rng.fork(2), config.vlan);
    let mut noise = vec![0u8; NOISE_LEN];
    rng.fork(3).fill(&mut noise);
    let doorbell = index_of(&devices, Kind::Doorbell);
    let mut world = World {
        rng: rng.fork(4),
        router,
        doorbell_port: devices[doorbell].next_port.wrapping_add(4_000),
        devices,
        round: Round::new(),
        truth: Recorder::default(),
        dns_cache: HashMap::new(),
        noise,
        snippet_seq: 0,
        next_snippet: u64::MAX,
        snippets: 0,
    };
    let mut writer = PcapWriter::new(out)?;

    world.boot(START_US)?;
    world.snippets_until(START_US + BOOT_US)?;
    world.round.flush(&mut writer)?;

    let rounds_wanted = (config.target_bytes / BYTES_PER_ROUND).max(MIN_ROUNDS);
    let mut base_per_round: Option<u64> = None;
    let mut index = 0u64;
    while writer.file_bytes < config.target_bytes {
        let start = START_US + BOOT_US + index * ROUND_US;
        let remaining = config.target_bytes - writer.file_bytes;
        let per_round = remaining / rounds_wanted.saturating_sub(index).max(1);
        let stream = per_round.saturating_sub(base_per_round.unwrap_or(per_round / 2));
        let streamed = world.everyday(start, stream)?;
        world.snippets_until(start + ROUND_US)?;
        let base = world.round.file_bytes().saturating_sub(streamed);
        // A running mean of what a round costs without the stream steers the stream's size.
        base_per_round = Some(match base_per_round {
            None => base,
            Some(b) => (b * 7 + base) / 8,
        });
        world.round.flush(&mut writer)?;
        index += 1;
    }

    let d = &world.devices[doorbell];
    let truth = Truth {
        router_mac: mac_text(world.router.mac),
        router_ip: world.router.ipv4.into(),
        devices: world.truth.devices(&world.devices),
        periodic: vec![PeriodicTruth {
            device_mac: mac_text(d.mac),
            proto: "udp",
            client: SocketAddr::new(d.ipv4.into(), world.doorbell_port),
            server: SocketAddr::new(home::DOORBELL_RELAY.into(), home::DOORBELL_RELAY_PORT),
            packets: world.snippets,
            payload_len: home::DOORBELL_SNIPPET_LEN,
            period_ms: home::DOORBELL_PERIOD_US / 1_000,
        }],
        packets: writer.packets,
        frame_bytes: writer.frame_bytes,
        file_bytes: writer.file_bytes,
    };
    writer.finish()?;
    Ok(truth)
}

impl World {
    /// Every device joins, one after another, then uses each of its services once.
    fn boot(&mut self, t0: u64) -> io::Result<()> {
        self.router_advertisement(t0 + 400_000)?;
        for dev in 0..self.devices.len() {
            let t = t0 + 1_000_000 + dev as u64 * 1_300_000 + self.rng.below(300_000);
            self.dhcp_join(dev, t)?;
            self.arp_gateway(dev, t + 20_000);
            self.neighbor_discovery(dev, t + 45_000)?;
            self.mdns_announce(dev, t + 110_000)?;
            if self.devices[dev].kind == Kind::Doorbell {
                self.next_snippet = t + 2_000_000;
            }
        }
        for dev in 0..self.devices.len() {
            for activity in self.activities(dev) {
                let t = t0 + 8_000_000 + self.rng.below(12_000_000);
                self.act(dev, activity, t)?;
            }
        }
        Ok(())
    }

    /// One ordinary round: each device does some of its activities; the TV streams `stream`
    /// bytes. Returns the bytes the stream added to the round.
    fn everyday(&mut self, t0: u64, stream: u64) -> io::Result<u64> {
        if self.rng.chance(8) {
            let t = t0 + self.rng.below(ROUND_ACTIVE_US);
            self.router_advertisement(t)?;
        }
        let tv = index_of(&self.devices, Kind::Tv);
        let before = self.round.file_bytes();
        let video = if stream >= 16_384 {
            stream
        } else if self.rng.chance(8) {
            self.rng.between(8_000, 24_000)
        } else {
            0
        };
        if video > 0 {
            let t = t0 + self.rng.below(ROUND_ACTIVE_US / 2);
            self.tls_visit(tv, &home::NETFLIX_VIDEO, 443, t, 1, video)?;
        }
        let streamed = if stream >= 16_384 { self.round.file_bytes() - before } else { 0 };
        for dev in 0..self.devices.len() {
            for activity in self.activities(dev) {
                if self.rng.chance(activity.percent) {
                    let t = t0 + self.rng.below(ROUND_ACTIVE_US);
                    self.act(dev, activity, t)?;
                }
            }
            if self.rng.chance(4) {
                let t = t0 + self.rng.below(ROUND_ACTIVE_US);
                self.arp_refresh(dev, t);
            }
            if self.rng.chance(5) {
                let t = t0 + self.rng.below(ROUND_ACTIVE_US);
                self.mdns_announce(dev, t)?;
            }
        }
        Ok(streamed)
    }

    /// The doorbell's snippets due before `end`, each two seconds after the last, give or take.
    fn snippets_until(&mut self, end: u64) -> io::Result<()> {
        let doorbell = index_of(&self.devices, Kind::Doorbell);
        while self.next_snippet < end {
            self.doorbell_snippet(doorbell, self.next_snippet)?;
            self.snippets += 1;
            let jitter = self.rng.below(2 * home::DOORBELL_JITTER_US);
            self.next_snippet += home::DOORBELL_PERIOD_US - home::DOORBELL_JITTER_US + jitter;
        }
        Ok(())
    }

    fn act(&mut self, dev: usize, activity: Activity, t: u64) -> io::Result<()> {
        match activity.what {
            What::Tls(service, port, exchanges) => self.tls_visit(dev, service, port, t, exchanges, 0),
            What::Http(service, path) => self.http_visit(dev, service, path, t),
            What::Ntp(service) => self.ntp(dev, service, t),
            What::Ping(target) => self.ping(dev, target, 3, t),
            What::Mqtt(service) => self.mqtt_visit(dev, service, t),
            What::Smtp(service) => self.smtp_visit(dev, service, t),
        }
    }

    /// What each kind of device does, and how likely in a given round.
    fn activities(&self, dev: usize) -> Vec<Activity> {
        use home::*;
        let a = |percent, what| Activity { percent, what };
        match self.devices[dev].kind {
            Kind::Doorbell => vec![
                a(6, What::Tls(&TUYA_API, 443, 1)),
                a(12, What::Tls(&TUYA_MQTT, 8883, 2)),
                a(3, What::Ntp(&ALIYUN_NTP)),
                a(3, What::Smtp(&GMAIL_SMTP)),
            ],
            Kind::SmartPlug => vec![
                a(12, What::Tls(&TPLINK_CLOUD, 443, 1)),
                a(4, What::Ntp(&GOOGLE_NTP)),
                a(5, What::Mqtt(&MQTT_BROKER)),
            ],
            Kind::Tv => vec![
                a(8, What::Tls(&NETFLIX_API, 443, 2)),
                a(5, What::Tls(&LG_SDP, 443, 1)),
                a(4, What::Http(&LG_FTS, "/fts/gftsDownload.lge?biz_code=IND&func_code=ONLINE")),
                a(4, What::Tls(&DOUBLECLICK, 443, 1)),
            ],
            Kind::Phone => vec![
                a(8, What::Tls(&ICLOUD, 443, 2)),
                a(7, What::Tls(&GOOGLE_WWW, 443, 1)),
                a(3, What::Ntp(&APPLE_NTP)),
            ],
            Kind::Laptop => vec![
                a(8, What::Tls(&GITHUB, 443, 3)),
                a(5, What::Http(&UBUNTU_CHECK, "/")),
                a(5, What::Http(&FIREFOX_PORTAL, "/canonical.html")),
                a(4, What::Ping(CLOUDFLARE_DNS)),
            ],
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Activity {
    percent: u64,
    what: What,
}

#[derive(Debug, Clone, Copy)]
enum What {
    Tls(&'static Service, u16, u32),
    Http(&'static Service, &'static str),
    Ntp(&'static Service),
    Ping(Ipv4Addr),
    Mqtt(&'static Service),
    Smtp(&'static Service),
}
