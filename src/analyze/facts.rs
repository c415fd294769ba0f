//! The facts of the collectors that read one capture, put together for the report: one
//! collector's as they are, or the shards' merged into what one collector would have found.

use foldhash::{HashMap, HashSet};
use std::net::IpAddr;

use super::Collector;
use crate::capture::LinkType;
use crate::decode::Mac;
use crate::flows::FlowTable;
use crate::names::answers::AnswerBook;
use crate::report::build::Facts;
use crate::report::model::Diagnostic;

impl Collector {
    /// The facts of collectors that read one capture, in shard order: each counted the flows of
    /// its address pairs, the first also every frame's facts that are not a flow's.
    pub(super) fn into_facts(mut shards: Vec<Collector>, format: String) -> Facts {
        let threads = shards.len();
        let tables = shards.iter_mut().map(|c| std::mem::take(&mut c.flows)).collect();
        let (flows, clock, moved) = FlowTable::merge(tables);
        let mut flow_names = HashMap::default();
        let mut upgraded = HashSet::default();
        let mut dns = AnswerBook::default();
        for (shard, moved) in shards.iter_mut().zip(&moved) {
            flow_names.extend(std::mem::take(&mut shard.flow_names).into_iter().map(|(f, name)| (moved[f], name)));
            upgraded.extend(std::mem::take(&mut shard.upgraded).into_iter().map(|f| moved[f]));
            dns.absorb(std::mem::take(&mut shard.dns));
        }
        dns.seal();
        let this = shards.into_iter().next().unwrap_or_default();
        let mut pairs: Vec<(Mac, IpAddr)> = this.arp.into_iter().collect();
        pairs.extend(this.leases.iter().filter_map(|(mac, ip)| ip.map(|ip| (*mac, ip))));
        let diagnostics = this
            .diagnostics
            .into_iter()
            .map(|((kind, _), d)| Diagnostic { kind, count: d.count, first_packet: d.first_packet, message: d.message })
            .collect();
        Facts {
            format,
            packets: this.packets,
            bytes: this.bytes,
            first_ns: this.first_ns,
            last_ns: this.last_ns,
            non_ip_packets: this.non_ip,
            link_types: this.link_types.into_iter().map(LinkType::name).collect(),
            diagnostics,
            flows,
            clock,
            flow_names,
            upgraded,
            dns,
            device_names: this.device_names,
            mac_ip_pairs: pairs,
            threads,
        }
    }
}
