//! Turns each source's rows into disjoint pieces, then lays the AS pieces, the country pieces
//! and the special-purpose holes over each other into one run of segments covering the whole
//! address space, each with its (AS value, country value).
//!
//! The sources nest ranges: a broad block, then a narrower one inside it with a different
//! answer (a provider's geofeed correcting a registry entry), sometimes with the same start,
//! and rarely a partial overlap. The narrowest range containing an address wins; on a tie,
//! the later row.

use std::cmp::Reverse;
use std::collections::BTreeSet;

use crate::sources::Row;

/// A disjoint, inclusive piece of one source: (first, last, value).
pub type Piece<V> = (u128, u128, V);

/// Values of one segment: 1 + AS record index, 1 + country index; 0 = unknown.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Value {
    pub asn: u32,
    pub country: u8,
}

/// Sorted, disjoint pieces of `rows` under the narrowest-range rule.
pub fn flatten<V: Copy + Eq>(rows: &[Row<V>], family_max: u128) -> Vec<Piece<V>> {
    // (point, row, starts): a row becomes active at its first address and inactive after
    // its last one.
    let mut events: Vec<(u128, usize, bool)> = Vec::with_capacity(rows.len() * 2);
    for (i, row) in rows.iter().enumerate() {
        events.push((row.first, i, true));
        if row.last < family_max {
            events.push((row.last + 1, i, false));
        }
    }
    events.sort_unstable();
    // Active rows ordered so that the first one is the winner.
    let mut active: BTreeSet<(u128, Reverse<usize>)> = BTreeSet::new();
    let mut pieces: Vec<Piece<V>> = Vec::new();
    let mut e = 0;
    while e < events.len() {
        let point = events[e].0;
        while e < events.len() && events[e].0 == point {
            let (_, i, starts) = events[e];
            let key = (rows[i].last - rows[i].first, Reverse(i));
            if starts {
                active.insert(key);
            } else {
                active.remove(&key);
            }
            e += 1;
        }
        let last = events.get(e).map_or(family_max, |next| next.0 - 1);
        if let Some(&(_, Reverse(winner))) = active.first() {
            let value = rows[winner].value;
            match pieces.last_mut() {
                Some(previous) if previous.1 + 1 == point && previous.2 == value => previous.1 = last,
                _ => pieces.push((point, last, value)),
            }
        }
    }
    pieces
}

/// The value of a sorted, disjoint piece list at `point`, walking a cursor forward (points
/// must be asked in increasing order).
fn value_at<V: Copy>(pieces: &[Piece<V>], cursor: &mut usize, point: u128) -> Option<V> {
    while pieces.get(*cursor).is_some_and(|piece| piece.1 < point) {
        *cursor += 1;
    }
    pieces.get(*cursor).filter(|piece| piece.0 <= point).map(|piece| piece.2)
}

/// Segments `(start, value)` covering `0..=family_max`, first start 0, neighbours differing.
/// Addresses inside `special` get no values.
pub fn combine(
    asn: &[Piece<u32>],
    country: &[Piece<u8>],
    special: &[(u128, u128)],
    family_max: u128,
) -> Vec<(u128, Value)> {
    let mut points = vec![0u128];
    let ends = |first: u128, last: u128| [Some(first), (last < family_max).then(|| last + 1)];
    points.extend(asn.iter().flat_map(|p| ends(p.0, p.1)).flatten());
    points.extend(country.iter().flat_map(|p| ends(p.0, p.1)).flatten());
    points.extend(special.iter().flat_map(|p| ends(p.0, p.1)).flatten());
    points.sort_unstable();
    points.dedup();
    let special: Vec<Piece<()>> = special.iter().map(|&(f, l)| (f, l, ())).collect();
    let (mut a, mut c, mut s) = (0, 0, 0);
    let mut segments: Vec<(u128, Value)> = Vec::new();
    for point in points {
        let asn = value_at(asn, &mut a, point);
        let country = value_at(country, &mut c, point);
        let value = match value_at(&special, &mut s, point) {
            Some(()) => Value { asn: 0, country: 0 },
            None => Value { asn: asn.unwrap_or(0), country: country.unwrap_or(0) },
        };
        if segments.last().is_none_or(|previous| previous.1 != value) {
            segments.push((point, value));
        }
    }
    segments
}
