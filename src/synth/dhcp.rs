//! DHCPv4 messages of a device joining the network (RFC 2131, options RFC 2132): DISCOVER and
//! REQUEST carry the device's host name (option 12), OFFER and ACK come from the router.

use std::net::Ipv4Addr;

use super::wire::Mac;

const MAGIC_COOKIE: [u8; 4] = [99, 130, 83, 99];
/// BOOTP messages are padded to at least this length, as most clients and servers do.
const MIN_LEN: usize = 300;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Discover = 1,
    Offer = 2,
    Request = 3,
    Ack = 5,
}

/// What one exchange is about: the client, the address it gets, and the router's settings.
#[derive(Debug, Clone)]
pub struct Lease<'a> {
    pub xid: u32,
    pub client_mac: Mac,
    pub hostname: &'a str,
    pub address: Ipv4Addr,
    pub router: Ipv4Addr,
    pub netmask: Ipv4Addr,
    pub lease_secs: u32,
}

fn option(out: &mut Vec<u8>, code: u8, data: &[u8]) {
    out.push(code);
    out.push(data.len() as u8);
    out.extend_from_slice(data);
}

pub fn message(kind: Kind, lease: &Lease<'_>) -> Vec<u8> {
    let from_client = matches!(kind, Kind::Discover | Kind::Request);
    let mut out = Vec::with_capacity(MIN_LEN);
    out.extend_from_slice(&[if from_client { 1 } else { 2 }, 1, 6, 0]);
    out.extend_from_slice(&lease.xid.to_be_bytes());
    out.extend_from_slice(&[0, 0]); // secs
    out.extend_from_slice(&0x8000u16.to_be_bytes()); // broadcast: the client has no address yet
    out.extend_from_slice(&[0; 4]); // ciaddr
    let yiaddr = if from_client { [0; 4] } else { lease.address.octets() };
    out.extend_from_slice(&yiaddr);
    let siaddr = if from_client { [0; 4] } else { lease.router.octets() };
    out.extend_from_slice(&siaddr);
    out.extend_from_slice(&[0; 4]); // giaddr
    out.extend_from_slice(&lease.client_mac);
    out.extend_from_slice(&[0; 10]);
    out.extend_from_slice(&[0; 64 + 128]); // sname, file
    out.extend_from_slice(&MAGIC_COOKIE);
    option(&mut out, 53, &[kind as u8]);
    if from_client {
        let mut client_id = vec![1];
        client_id.extend_from_slice(&lease.client_mac);
        option(&mut out, 61, &client_id);
        if kind == Kind::Request {
            option(&mut out, 50, &lease.address.octets());
            option(&mut out, 54, &lease.router.octets());
        }
        option(&mut out, 57, &1500u16.to_be_bytes());
        option(&mut out, 12, lease.hostname.as_bytes());
        option(&mut out, 55, &[1, 3, 6, 12, 15, 28, 42, 119]);
    } else {
        option(&mut out, 54, &lease.router.octets());
        option(&mut out, 51, &lease.lease_secs.to_be_bytes());
        option(&mut out, 58, &(lease.lease_secs / 2).to_be_bytes());
        option(&mut out, 59, &(lease.lease_secs / 8 * 7).to_be_bytes());
        option(&mut out, 1, &lease.netmask.octets());
        let r = lease.router.octets();
        let m = lease.netmask.octets();
        let broadcast: Vec<u8> = r.iter().zip(m).map(|(a, m)| a | !m).collect();
        option(&mut out, 28, &broadcast);
        option(&mut out, 3, &lease.router.octets());
        option(&mut out, 6, &lease.router.octets());
        option(&mut out, 15, b"lan");
    }
    out.push(255);
    if out.len() < MIN_LEN {
        out.resize(MIN_LEN, 0);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_carries_hostname_and_requested_address() {
        let lease = Lease {
            xid: 0xdead_beef,
            client_mac: [0x24, 0x0a, 0xc4, 1, 2, 3],
            hostname: "doorbell-5c2e",
            address: Ipv4Addr::new(192, 168, 1, 23),
            router: Ipv4Addr::new(192, 168, 1, 1),
            netmask: Ipv4Addr::new(255, 255, 255, 0),
            lease_secs: 86_400,
        };
        let msg = message(Kind::Request, &lease);
        assert_eq!(msg.len(), MIN_LEN);
        assert_eq!(&msg[236..240], &MAGIC_COOKIE);
        // Walk the options the way a reader would.
        let mut i = 240;
        let mut seen = Vec::new();
        while msg[i] != 255 {
            let (code, len) = (msg[i], msg[i + 1] as usize);
            seen.push((code, msg[i + 2..i + 2 + len].to_vec()));
            i += 2 + len;
        }
        assert!(seen.contains(&(53, vec![3])));
        assert!(seen.contains(&(12, b"doorbell-5c2e".to_vec())));
        assert!(seen.contains(&(50, vec![192, 168, 1, 23])));
        let ack = message(Kind::Ack, &lease);
        assert_eq!(&ack[16..20], &[192, 168, 1, 23]);
        assert!(ack.windows(6).any(|w| w == [28, 4, 192, 168, 1, 255]));
    }
}
