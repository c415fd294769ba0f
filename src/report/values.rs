//! The small typed values of a report, and how each is written as text in the JSON contract:
//! a destination's [`Address`] (an IP, or a hidden local address of a share link), an IP
//! [`Proto`]col and a [`Service`] (`tcp/443`), and the text forms of MACs and TCP flags.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decode::{Mac, TcpFlags};

/// A destination's address: an IP, or in a share link whose sender hid local addresses, the
/// label that stands for one (`Local address 3`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Address {
    Ip(IpAddr),
    /// The n-th hidden local address of a redacted share link (from 1).
    Hidden(u32),
}

const HIDDEN_PREFIX: &str = "Local address ";

impl Address {
    pub fn ip(self) -> Option<IpAddr> {
        match self {
            Address::Ip(ip) => Some(ip),
            Address::Hidden(_) => None,
        }
    }
}

impl From<IpAddr> for Address {
    fn from(ip: IpAddr) -> Address {
        Address::Ip(ip)
    }
}

impl PartialEq<IpAddr> for Address {
    fn eq(&self, other: &IpAddr) -> bool {
        *self == Address::Ip(*other)
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Address::Ip(ip) => ip.fmt(f),
            Address::Hidden(n) => write!(f, "{HIDDEN_PREFIX}{n}"),
        }
    }
}

impl FromStr for Address {
    type Err = String;

    fn from_str(text: &str) -> Result<Address, String> {
        if let Ok(ip) = text.parse() {
            return Ok(Address::Ip(ip));
        }
        text.strip_prefix(HIDDEN_PREFIX)
            .and_then(|n| n.parse().ok())
            .map(Address::Hidden)
            .ok_or_else(|| format!("'{text}' is not an IP address"))
    }
}

/// An IP protocol, by number; written `tcp`, `udp`, `icmp`, `icmpv6` or `ip:<number>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Proto(pub u8);

impl Proto {
    pub const ICMP: Proto = Proto(1);
    pub const TCP: Proto = Proto(6);
    pub const UDP: Proto = Proto(17);
    pub const ICMPV6: Proto = Proto(58);

    /// Whether its packets carry ports.
    pub fn has_ports(self) -> bool {
        matches!(self, Proto::TCP | Proto::UDP)
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Proto::TCP => f.write_str("tcp"),
            Proto::UDP => f.write_str("udp"),
            Proto::ICMP => f.write_str("icmp"),
            Proto::ICMPV6 => f.write_str("icmpv6"),
            Proto(other) => write!(f, "ip:{other}"),
        }
    }
}

impl FromStr for Proto {
    type Err = String;

    fn from_str(text: &str) -> Result<Proto, String> {
        match text {
            "tcp" => Ok(Proto::TCP),
            "udp" => Ok(Proto::UDP),
            "icmp" => Ok(Proto::ICMP),
            "icmpv6" => Ok(Proto::ICMPV6),
            other => other
                .strip_prefix("ip:")
                .and_then(|n| n.parse().ok())
                .map(Proto)
                .ok_or_else(|| format!("'{text}' is not an IP protocol")),
        }
    }
}

/// What a client asked a server for: the protocol and, when it has ports, the server's port.
/// Written `tcp/443`, or the protocol alone (`icmp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Service {
    pub proto: Proto,
    pub port: Option<u16>,
}

impl fmt::Display for Service {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.port {
            Some(port) => write!(f, "{}/{port}", self.proto),
            None => self.proto.fmt(f),
        }
    }
}

impl FromStr for Service {
    type Err = String;

    fn from_str(text: &str) -> Result<Service, String> {
        let (proto, port) = match text.split_once('/') {
            Some((proto, port)) => {
                (proto, Some(port.parse().map_err(|_| format!("'{text}' does not end in a port number"))?))
            }
            None => (text, None),
        };
        Ok(Service { proto: proto.parse()?, port })
    }
}

/// Sorts services as report/1 always listed them: by their text.
pub fn sort_services(services: &mut [Service]) {
    services.sort_by_cached_key(Service::to_string);
}

/// Serde as text for the values above that have a `Display` and a `FromStr`.
macro_rules! serde_as_text {
    ($($type:ty),*) => {$(
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    )*};
}

serde_as_text!(Address, Proto, Service, Mac);

impl Serialize for TcpFlags {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // A sequence of known length: compact formats (the worker's messages) need it.
        serializer.collect_seq(self.names().collect::<Vec<_>>())
    }
}

impl<'de> Deserialize<'de> for TcpFlags {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let names = Vec::<std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        let mut flags = 0;
        for name in names {
            let (bit, _) = TcpFlags::NAMES
                .iter()
                .find(|(_, known)| *known == name)
                .ok_or_else(|| serde::de::Error::custom(format!("'{name}' is not a TCP flag")))?;
            flags |= bit;
        }
        Ok(TcpFlags(flags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::NameSource;
    use crate::scope::Scope;

    fn round_trip<T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug>(value: T, json: &str) {
        assert_eq!(serde_json::to_string(&value).unwrap(), json);
        assert_eq!(serde_json::from_str::<T>(json).unwrap(), value);
    }

    #[test]
    fn values_are_written_as_report_1_writes_them() {
        round_trip(Address::Ip("2001:db8::1".parse().unwrap()), r#""2001:db8::1""#);
        round_trip(Address::Hidden(3), r#""Local address 3""#);
        round_trip(Service { proto: Proto::TCP, port: Some(443) }, r#""tcp/443""#);
        round_trip(Service { proto: Proto::ICMP, port: None }, r#""icmp""#);
        round_trip(Service { proto: Proto(47), port: None }, r#""ip:47""#);
        round_trip(Service { proto: Proto::UDP, port: Some(0) }, r#""udp/0""#);
        round_trip(Mac([0xaa, 0xbb, 0, 1, 2, 0xff]), r#""aa:bb:00:01:02:ff""#);
        round_trip(TcpFlags(TcpFlags::SYN | TcpFlags::ACK | TcpFlags::FIN), r#"["SYN","ACK","FIN"]"#);
        round_trip(NameSource::Sni, r#""sni""#);
        round_trip(Scope::LinkLocal, r#""link-local""#);
    }

    #[test]
    fn malformed_values_are_refused() {
        for bad in [r#""tcp/""#, r#""tcp/99999""#, r#""ip:x""#, r#""smtp/25""#] {
            assert!(serde_json::from_str::<Service>(bad).is_err(), "{bad}");
        }
        assert!(serde_json::from_str::<Address>(r#""Local address x""#).is_err());
        assert!(serde_json::from_str::<TcpFlags>(r#"["SYN","NOPE"]"#).is_err());
    }

    #[test]
    fn services_sort_by_their_text() {
        let mut services: Vec<Service> = ["udp/123", "tcp/80", "tcp/443", "icmp"].map(|s| s.parse().unwrap()).to_vec();
        sort_services(&mut services);
        assert_eq!(
            services.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ["icmp", "tcp/443", "tcp/80", "udp/123"]
        );
    }
}
