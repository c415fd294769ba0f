//! Link-layer header types of packet records, and the names reports give them.

/// A link-layer header type, as numbered by the tcpdump LINKTYPE registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LinkType(pub u32);

impl LinkType {
    pub const NULL: LinkType = LinkType(0);
    pub const ETHERNET: LinkType = LinkType(1);
    pub const PPP: LinkType = LinkType(9);
    pub const RAW_12: LinkType = LinkType(12);
    pub const RAW_14: LinkType = LinkType(14);
    pub const PPP_ETHER: LinkType = LinkType(51);
    pub const RAW: LinkType = LinkType(101);
    pub const LOOP: LinkType = LinkType(108);
    pub const LINUX_SLL: LinkType = LinkType(113);
    pub const IPV4: LinkType = LinkType(228);
    pub const IPV6: LinkType = LinkType(229);
    pub const LINUX_SLL2: LinkType = LinkType(276);

    /// The name used in reports.
    pub fn name(self) -> String {
        match self {
            LinkType::NULL => "null".into(),
            LinkType::ETHERNET => "ethernet".into(),
            LinkType::PPP => "ppp".into(),
            LinkType::RAW | LinkType::RAW_12 | LinkType::RAW_14 => "raw".into(),
            LinkType::PPP_ETHER => "pppoe".into(),
            LinkType::LOOP => "loop".into(),
            LinkType::LINUX_SLL => "linux-sll".into(),
            LinkType::IPV4 => "ipv4".into(),
            LinkType::IPV6 => "ipv6".into(),
            LinkType::LINUX_SLL2 => "linux-sll2".into(),
            LinkType(other) => format!("linktype:{other}"),
        }
    }
}
