//! DHCP: the host name a device gives itself and the software it says it runs (vendor
//! class), tied to its MAC (and address, once known). Both keep the case the device wrote.
//!
//! Hand-written: DHCP options are a flat type-length-value list after a fixed BOOTP header,
//! and the maintained DHCP crates pull in a whole DNS stack we do not need. Every read is
//! bounds-checked; a malformed message yields nothing.

use std::net::Ipv4Addr;

use super::device::clean_device_name;
use crate::decode::Mac;

/// BOOTP fixed header layout.
const OP_OFFSET: usize = 0;
const HTYPE_OFFSET: usize = 1;
const HLEN_OFFSET: usize = 2;
const CIADDR_OFFSET: usize = 12;
const YIADDR_OFFSET: usize = 16;
const CHADDR_OFFSET: usize = 28;
const MAGIC_OFFSET: usize = 236;
const OPTIONS_OFFSET: usize = 240;
const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];
const HTYPE_ETHERNET: u8 = 1;
const OP_REQUEST: u8 = 1;

const OPT_PAD: u8 = 0;
const OPT_HOST_NAME: u8 = 12;
const OPT_REQUESTED_IP: u8 = 50;
const OPT_MESSAGE_TYPE: u8 = 53;
const OPT_VENDOR_CLASS: u8 = 60;
const OPT_CLIENT_FQDN: u8 = 81;
/// Client FQDN (RFC 4702): flags, two obsolete rcodes, then the name; with the E flag the
/// name is in DNS wire format (length-prefixed labels), else ASCII.
const FQDN_NAME_OFFSET: usize = 3;
const FQDN_FLAG_E: u8 = 0x04;
const OPT_END: u8 = 255;
/// Message type of a server's acknowledgement, which carries the leased address.
const DHCPACK: u8 = 5;

/// What one DHCP message says about its client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub mac: Mac,
    pub hostname: Option<String>,
    /// Option 60, e.g. `udhcp 1.19.4`, `android-dhcp-13`, `MSFT 5.0`.
    pub vendor_class: Option<String>,
    /// The address the client has, asks for, or is given.
    pub ip: Option<Ipv4Addr>,
}

pub fn lease(payload: &[u8]) -> Option<Lease> {
    if payload.len() < OPTIONS_OFFSET
        || payload[MAGIC_OFFSET..OPTIONS_OFFSET] != MAGIC_COOKIE
        || payload[HTYPE_OFFSET] != HTYPE_ETHERNET
        || payload[HLEN_OFFSET] != 6
    {
        return None;
    }
    let mut mac = [0; 6];
    mac.copy_from_slice(&payload[CHADDR_OFFSET..CHADDR_OFFSET + 6]);
    let addr = |at: usize| Ipv4Addr::new(payload[at], payload[at + 1], payload[at + 2], payload[at + 3]);
    let mut hostname = None;
    let mut fqdn = None;
    let mut vendor_class = None;
    let mut requested = None;
    let mut message_type = None;
    let mut options = &payload[OPTIONS_OFFSET..];
    while let Some((&code, rest)) = options.split_first() {
        if code == OPT_END {
            break;
        }
        if code == OPT_PAD {
            options = rest;
            continue;
        }
        let (&len, rest) = rest.split_first()?;
        let value = rest.get(..len as usize)?;
        options = &rest[len as usize..];
        match code {
            OPT_HOST_NAME => hostname = clean_device_name(value).or(hostname),
            OPT_CLIENT_FQDN if value.len() > FQDN_NAME_OFFSET => fqdn = fqdn_name(value[0], &value[FQDN_NAME_OFFSET..]),
            // A server's own class in a reply would not be the client's.
            OPT_VENDOR_CLASS if payload[OP_OFFSET] == OP_REQUEST => {
                vendor_class = clean_device_name(value).or(vendor_class)
            }
            OPT_REQUESTED_IP if len == 4 => requested = Some(Ipv4Addr::new(value[0], value[1], value[2], value[3])),
            OPT_MESSAGE_TYPE if len == 1 => message_type = Some(value[0]),
            _ => {}
        }
    }
    let ip = if message_type == Some(DHCPACK) && payload[OP_OFFSET] != OP_REQUEST {
        Some(addr(YIADDR_OFFSET))
    } else {
        requested.or_else(|| Some(addr(CIADDR_OFFSET)))
    }
    .filter(|ip| !ip.is_unspecified());
    Some(Lease { mac: Mac(mac), hostname: hostname.or(fqdn), vendor_class, ip })
}

/// The name of a client FQDN option, from its flags and name bytes.
fn fqdn_name(flags: u8, name: &[u8]) -> Option<String> {
    if flags & FQDN_FLAG_E == 0 {
        return clean_device_name(name);
    }
    let mut text = Vec::with_capacity(name.len());
    let mut rest = name;
    while let Some((&len, tail)) = rest.split_first() {
        if len == 0 {
            break;
        }
        let label = tail.get(..usize::from(len))?;
        if !text.is_empty() {
            text.push(b'.');
        }
        text.extend_from_slice(label);
        rest = &tail[usize::from(len)..];
    }
    clean_device_name(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn request(mac: [u8; 6], name: &str) -> Vec<u8> {
        let mut p = vec![0u8; OPTIONS_OFFSET];
        p[OP_OFFSET] = OP_REQUEST;
        p[HTYPE_OFFSET] = 1;
        p[HLEN_OFFSET] = 6;
        p[CHADDR_OFFSET..CHADDR_OFFSET + 6].copy_from_slice(&mac);
        p[MAGIC_OFFSET..OPTIONS_OFFSET].copy_from_slice(&MAGIC_COOKIE);
        p.extend([
            OPT_MESSAGE_TYPE,
            1,
            3,
            OPT_PAD,
            OPT_REQUESTED_IP,
            4,
            192,
            168,
            1,
            23,
            OPT_HOST_NAME,
            name.len() as u8,
        ]);
        p.extend(name.as_bytes());
        p.push(OPT_END);
        p
    }

    #[test]
    fn hostname_and_requested_address() {
        let got = lease(&request([0x3c, 0x22, 0xfb, 1, 2, 3], "Ring-Doorbell")).unwrap();
        assert_eq!(got.mac.to_string(), "3c:22:fb:01:02:03");
        assert_eq!(got.hostname.as_deref(), Some("Ring-Doorbell"), "as the device wrote it");
        assert_eq!(got.vendor_class, None);
        assert_eq!(got.ip, Some(Ipv4Addr::new(192, 168, 1, 23)));
    }

    /// `request` with more options before its end.
    fn with_options(mut p: Vec<u8>, options: &[(u8, &[u8])]) -> Vec<u8> {
        p.pop();
        for (code, value) in options {
            p.extend([*code, value.len() as u8]);
            p.extend(*value);
        }
        p.push(OPT_END);
        p
    }

    #[test]
    fn vendor_class_and_fqdn() {
        let p = with_options(request([2; 6], "RingDoorbellPro-3f2a"), &[(OPT_VENDOR_CLASS, b"udhcp 1.19.4")]);
        let got = lease(&p).unwrap();
        assert_eq!(got.hostname.as_deref(), Some("RingDoorbellPro-3f2a"));
        assert_eq!(got.vendor_class.as_deref(), Some("udhcp 1.19.4"));
        // No option 12: the FQDN names it, in ASCII or (E flag) in DNS wire format.
        let mut bare = request([2; 6], "x");
        bare.truncate(bare.len() - 4);
        bare.push(OPT_END);
        let ascii = with_options(bare.clone(), &[(OPT_CLIENT_FQDN, b"\x01\0\0DESKTOP-7.corp.example")]);
        assert_eq!(lease(&ascii).unwrap().hostname.as_deref(), Some("DESKTOP-7.corp.example"));
        let wire = with_options(bare.clone(), &[(OPT_CLIENT_FQDN, b"\x05\0\0\x09DESKTOP-7\x04corp\0")]);
        assert_eq!(lease(&wire).unwrap().hostname.as_deref(), Some("DESKTOP-7.corp"));
        let cut = with_options(bare, &[(OPT_CLIENT_FQDN, b"\x05\0\0\x09DESK")]);
        assert_eq!(lease(&cut).unwrap().hostname, None, "a label longer than the option");
        let hostile = with_options(request([2; 6], "a\u{202e}b"), &[(OPT_VENDOR_CLASS, b"<x>")]);
        assert_eq!((lease(&hostile).unwrap().hostname, lease(&hostile).unwrap().vendor_class), (None, None));
    }

    #[test]
    fn truncated_options_and_junk() {
        let full = request([2; 6], "plug");
        for cut in 0..full.len() {
            let _ = lease(&full[..cut]);
        }
        assert!(lease(&[0; 300]).is_none());
    }
}
