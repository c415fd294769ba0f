//! DHCP: the host name a device gives itself, tied to its MAC (and address, once known).
//!
//! Hand-written: DHCP options are a flat type-length-value list after a fixed BOOTP header,
//! and the maintained DHCP crates pull in a whole DNS stack we do not need. Every read is
//! bounds-checked; a malformed message yields nothing.

use std::net::Ipv4Addr;

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
const OPT_CLIENT_FQDN: u8 = 81;
const OPT_END: u8 = 255;
/// Message type of a server's acknowledgement, which carries the leased address.
const DHCPACK: u8 = 5;

/// What one DHCP message says about its client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub mac: Mac,
    pub hostname: Option<String>,
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
            OPT_HOST_NAME => hostname = super::clean_name(value).or(hostname),
            // Client FQDN: flags, two obsolete rcodes, then the name (ASCII in practice).
            OPT_CLIENT_FQDN if value.len() > 3 && hostname.is_none() => hostname = super::clean_name(&value[3..]),
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
    Some(Lease { mac: Mac(mac), hostname, ip })
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
        assert_eq!(got.hostname.as_deref(), Some("ring-doorbell"));
        assert_eq!(got.ip, Some(Ipv4Addr::new(192, 168, 1, 23)));
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
