//! Names devices give themselves, as they wrote them (DHCP, mDNS, SSDP, NetBIOS), and the
//! book that keeps them by sender while the capture is read.
//!
//! Unlike destination names these keep their case and may hold spaces (`Living Room TV`,
//! `Linux/3.14 UPnP/1.0 IpBridge/1.26.0`): they are what a person recognises. So they get
//! their own cleaner, which refuses what could hurt wherever they are shown instead of
//! everything that is not a host name.

use foldhash::HashMap;
use std::net::IpAddr;

use super::{dhcp, dns, http, netbios};
use crate::decode::Mac;

const MDNS_PORT: u16 = 5353;
const SSDP_PORT: u16 = 1900;
const NETBIOS_NAME_PORT: u16 = 137;

/// Longest name kept, as for DNS names (RFC 1035); longer is no name anyone chose.
const MAX_DEVICE_NAME_LEN: usize = 253;
/// Most names of one kind kept for one sender, and listed per source for one device: a device
/// has a handful, a flood has many.
pub const MAX_PER_SOURCE: usize = 10;

/// Characters that turn the direction of the text around them (bidi embeddings, overrides,
/// isolates and marks): a name holding one could make the page show text in another order
/// than it has.
fn turns_direction(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}')
}

/// A device's name as the device wrote it: UTF-8, trimmed of spaces, of the NUL padding some
/// DHCP clients and firmwares add, and of a trailing dot. Refused when empty, longer than 253
/// bytes, or holding control characters, markup (`<`, `>`) or direction-changing characters.
pub fn clean_device_name(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?.trim_end_matches('\0').trim().trim_end_matches('.').trim_end();
    is_device_name(text).then(|| text.to_string())
}

/// Whether `text` is a clean device name as it stands (what [`clean_device_name`] gives).
pub fn is_device_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= MAX_DEVICE_NAME_LEN
        && text.trim() == text
        && !text.ends_with('.')
        && !text.chars().any(|c| c.is_control() || matches!(c, '<' | '>') || turns_direction(c))
}

/// What kind of name a device gave, and in what.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NameKind {
    /// DHCP option 12 (host name) or 81 (client FQDN).
    DhcpHost,
    /// DHCP option 60: the client's software (`udhcp 1.19.4`, `MSFT 5.0`).
    DhcpVendorClass,
    /// The host of its own mDNS A/AAAA records (`Annas-iPhone` of `Annas-iPhone.local`).
    MdnsHost,
    /// One of its mDNS service instances (`Living Room TV` of `Living Room TV._googlecast._tcp.local`).
    MdnsInstance,
    /// The `model=` of its mDNS `_device-info._tcp` TXT record.
    MdnsModel,
    /// An SSDP `SERVER` header or the `uuid:` of a `USN`.
    Ssdp,
    /// A unique NetBIOS name it registered or answered for.
    Netbios,
}

impl NameKind {
    /// The report's source of names of this kind: the three mDNS kinds share one list.
    pub fn source(self) -> usize {
        match self {
            NameKind::DhcpHost => 0,
            NameKind::DhcpVendorClass => 1,
            NameKind::MdnsHost | NameKind::MdnsInstance | NameKind::MdnsModel => 2,
            NameKind::Ssdp => 3,
            NameKind::Netbios => 4,
        }
    }
}

/// Who sent a name: DHCP says the client's MAC; the other protocols only the packet's source
/// address and the MAC it came from, which the report turns into a device as it does for the
/// address's flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sender {
    Mac(Mac),
    Ip(IpAddr, Option<Mac>),
}

/// One name as a device gave it, with its place in the order names were first seen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenName {
    /// Counts up over the whole capture, so names of several senders (one device's IPv4 and
    /// IPv6 addresses) can be put back in the order first seen.
    pub seen: u64,
    pub kind: NameKind,
    pub name: String,
}

/// Every name each sender gave, once per source, at most [`MAX_PER_SOURCE`] of each kind (so ten
/// service instances never crowd out the host name that comes after them).
#[derive(Debug, Default)]
pub struct DeviceNameBook {
    by_sender: HashMap<Sender, Vec<GivenName>>,
    next: u64,
}

impl DeviceNameBook {
    pub fn add(&mut self, sender: Sender, kind: NameKind, name: String) {
        let names = self.by_sender.entry(sender).or_default();
        let source = kind.source();
        // Announcements repeat all day: a known name is the common case, and the list is short.
        if names.iter().any(|g| g.kind.source() == source && g.name == name)
            || names.iter().filter(|g| g.kind == kind).count() >= MAX_PER_SOURCE
        {
            return;
        }
        names.push(GivenName { seen: self.next, kind, name });
        self.next += 1;
    }

    /// The names a UDP datagram gives its sender, by its ports: mDNS answers and NetBIOS name
    /// service messages come from their protocol's port; SSDP announcements go to 1900 from
    /// any port, and answers to searches come from it.
    pub fn datagram(&mut self, src: IpAddr, src_mac: Option<Mac>, ports: (u16, u16), payload: &[u8]) {
        let sender = Sender::Ip(src, src_mac);
        let (src_port, dst_port) = ports;
        if src_port == SSDP_PORT || dst_port == SSDP_PORT {
            for name in http::ssdp_names(payload) {
                self.add(sender, NameKind::Ssdp, name);
            }
            return;
        }
        match src_port {
            MDNS_PORT => {
                for (kind, name) in dns::mdns::sender_names(payload) {
                    self.add(sender, kind, name);
                }
            }
            NETBIOS_NAME_PORT => {
                // A name server answering for another machine gives that machine's address.
                if let Some(claim) = netbios::claim(payload).filter(|c| IpAddr::V4(c.address) == src) {
                    self.add(sender, NameKind::Netbios, claim.name);
                }
            }
            _ => {}
        }
    }

    /// The names a DHCP message gives its client.
    pub fn lease(&mut self, lease: &dhcp::Lease) {
        let sender = Sender::Mac(lease.mac);
        if let Some(name) = &lease.hostname {
            self.add(sender, NameKind::DhcpHost, name.clone());
        }
        if let Some(class) = &lease.vendor_class {
            self.add(sender, NameKind::DhcpVendorClass, class.clone());
        }
    }

    /// Every sender with the names it gave, in the order first seen.
    pub fn into_senders(self) -> impl Iterator<Item = (Sender, Vec<GivenName>)> {
        self.by_sender.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn device_names_keep_case_and_spaces_and_refuse_what_could_hurt() {
        let clean = |raw: &str| clean_device_name(raw.as_bytes());
        assert_eq!(clean("RingDoorbellPro-3f2a"), Some("RingDoorbellPro-3f2a".into()));
        assert_eq!(clean(" Living Room TV "), Some("Living Room TV".into()));
        assert_eq!(clean("Annas-iPhone.local."), Some("Annas-iPhone.local".into()));
        assert_eq!(clean("plug\0\0"), Some("plug".into()), "NUL padding");
        assert_eq!(clean("Wohnzimmer-Lautsprecher \u{e9}"), Some("Wohnzimmer-Lautsprecher \u{e9}".into()));
        for bad in ["", " ", ".", "a\nb", "a\u{7f}b", "<script>", "a>b", "\u{202E}gnp.exe", "a\u{2067}b", "a\u{200F}"] {
            assert_eq!(clean(bad), None, "{bad:?}");
        }
        assert_eq!(clean("a\u{061C}b"), None);
        assert_eq!(clean_device_name(&[0xff, 0xfe]), None);
        assert_eq!(clean(&"x".repeat(253)).map(|n| n.len()), Some(253));
        assert_eq!(clean(&"x".repeat(254)), None);
        assert!(is_device_name("Living Room TV") && !is_device_name(" padded") && !is_device_name("dot."));
    }

    #[test]
    fn the_book_keeps_each_name_once_and_at_most_ten_of_a_kind() {
        let mut book = DeviceNameBook::default();
        let who = Sender::Ip("192.168.1.9".parse().unwrap(), None);
        for round in 0..3 {
            for i in 0..20 {
                book.add(who, NameKind::MdnsInstance, format!("Speaker {i}"));
                book.add(who, NameKind::Ssdp, format!("uuid:{i}"));
            }
            book.add(who, NameKind::MdnsHost, "Kitchen".into());
            book.add(who, NameKind::Netbios, format!("KITCHEN{}", round.min(1)));
        }
        let (_, names) = book.into_senders().next().unwrap();
        let of = |source: usize| names.iter().filter(|g| g.kind.source() == source).count();
        assert_eq!((of(2), of(3), of(4)), (11, 10, 2));
        assert!(names.windows(2).all(|w| w[0].seen < w[1].seen));
        assert!(names.iter().any(|g| g.name == "Kitchen"), "ten instances do not crowd out the host name");
    }

    #[test]
    fn datagrams_are_read_by_their_ports() {
        let mut book = DeviceNameBook::default();
        let hub: IpAddr = "10.10.10.87".parse().unwrap();
        let notify = b"NOTIFY * HTTP/1.1\r\nSERVER: Unspecified, UPnP/1.0, Unspecified\r\n\r\n";
        book.datagram(hub, None, (49086, SSDP_PORT), notify);
        book.datagram(hub, None, (49086, 8080), notify);
        // A NetBIOS answer for another machine's address is not the sender's name.
        let mut answer = vec![0x12, 0x34, 0x85, 0x00, 0, 0, 0, 1, 0, 0, 0, 0, 32];
        answer.extend(b"EBEOFEEBCACACACACACACACACACACAAA\0".iter());
        answer.extend([0, 0x20, 0, 1, 0, 0, 0, 0, 0, 6, 0, 0, 10, 10, 10, 87]);
        book.datagram(hub, None, (NETBIOS_NAME_PORT, NETBIOS_NAME_PORT), &answer);
        *answer.last_mut().unwrap() = 9;
        book.datagram(hub, None, (NETBIOS_NAME_PORT, NETBIOS_NAME_PORT), &answer);
        let (_, names) = book.into_senders().next().unwrap();
        let got: Vec<(NameKind, &str)> = names.iter().map(|g| (g.kind, g.name.as_str())).collect();
        assert_eq!(got, [(NameKind::Ssdp, "Unspecified, UPnP/1.0, Unspecified"), (NameKind::Netbios, "ANTA")]);
    }
}
