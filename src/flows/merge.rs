//! Flow tables that read the same capture side by side, each counting the flows of its share
//! of the address pairs, put back together as the one table a single reader would have made.
//! A flow lives in exactly one table, so nothing is added up: the flows are only put back in
//! the order they were made, which every table dated by the capture's frames.

use super::{Born, Clock, Flow, FlowTable};

impl FlowTable {
    /// The flows of all `tables` in the order they were made, the time bins they share (every
    /// table observed every frame), and for each table where its flows went: `moved[t][i]` is
    /// the merged index of table `t`'s flow `i`. One table comes back as it is.
    pub fn merge(tables: Vec<FlowTable>) -> (Vec<Flow>, Clock, Vec<Vec<usize>>) {
        let mut clock = None;
        let mut parts: Vec<(Vec<Born>, Vec<Flow>)> = Vec::with_capacity(tables.len());
        for mut table in tables {
            table.settle_orphans(u64::MAX);
            debug_assert!(clock.is_none_or(|c| c == table.clock), "tables that read one capture share its clock");
            clock.get_or_insert(table.clock);
            parts.push((table.born, table.flows));
        }
        let clock = clock.unwrap_or_default();
        if parts.len() == 1 {
            let (_, flows) = parts.pop().unwrap_or_default();
            let moved = vec![(0..flows.len()).collect()];
            return (flows, clock, moved);
        }
        let mut order: Vec<(Born, usize, usize)> = parts
            .iter()
            .enumerate()
            .flat_map(|(t, (born, _))| born.iter().enumerate().map(move |(i, b)| (*b, t, i)))
            .collect();
        order.sort_unstable();
        let mut moved: Vec<Vec<usize>> = parts.iter().map(|(born, _)| vec![0; born.len()]).collect();
        let mut slots: Vec<Vec<Option<Flow>>> =
            parts.into_iter().map(|(_, flows)| flows.into_iter().map(Some).collect()).collect();
        let mut flows = Vec::with_capacity(order.len());
        for (_, t, i) in order {
            moved[t][i] = flows.len();
            flows.extend(slots[t][i].take());
        }
        (flows, clock, moved)
    }
}
