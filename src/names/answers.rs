//! What DNS answers in the capture said about each address: its names, each once, in the order
//! first given, with when. Kept so that every step stays near-constant per answer and per flow
//! whatever the capture holds (a CDN address answered under thousands of names, a long
//! capture that repeats the same answers all day):
//!
//! - a repeated name is found by its hash, not by scanning the address's names;
//! - the name a flow gets (the one answered most recently before it started) is found by a
//!   binary search over the address's answers in time order, built once when reading ends.
//!
//! Each name also keeps its place in the capture (see [`AnswerBook::add`]), so that books
//! filled side by side from parts of one capture merge into the book a single reader makes.

use foldhash::HashMap;
use std::collections::hash_map::Entry;
use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use std::net::IpAddr;

/// Addresses with at most this many names are searched name by name: most have one to three.
const SMALL: usize = 8;

/// A name as first given for an address.
#[derive(Debug)]
struct Given {
    /// Where in the capture it was first given (see [`AnswerBook::add`]).
    seen: u64,
    /// When it was first given.
    ts_ns: i64,
    name: String,
}

/// The names one address was given.
#[derive(Debug, Default)]
struct Answers {
    /// In the order first given.
    list: Vec<Given>,
    /// Positions in `list` by the hash of the name, once there are more than [`SMALL`].
    /// Boxed: most addresses never have one, and the book keeps an entry per address.
    by_hash: Option<Box<HashMap<u64, u32>>>,
    /// Positions in `list` in time order (ties in the order given), built by [`AnswerBook::seal`]
    /// for an address with more than one name.
    by_time: Vec<u32>,
}

#[derive(Debug, Default)]
pub struct AnswerBook {
    by_ip: HashMap<IpAddr, Answers>,
    hasher: RandomState,
}

impl AnswerBook {
    /// Notes that `name` is at `ip`, answered at `ts_ns`; a name given before keeps its first time.
    /// `seen` is where in the capture the answer was, growing from one call to the next (the
    /// frame's index, then the answer's place in it).
    pub fn add(&mut self, ip: IpAddr, name: String, ts_ns: i64, seen: u64) {
        let answers = self.by_ip.entry(ip).or_default();
        // Hashed only for an address with many names: most have one to three.
        let hash = (answers.list.len() > SMALL).then(|| self.hasher.hash_one(&name));
        let known = match hash {
            None => answers.list.iter().any(|g| g.name == name),
            Some(hash) => match answers.by_hash.as_ref().and_then(|by_hash| by_hash.get(&hash)) {
                Some(&at) if answers.list[at as usize].name == name => true,
                // Two names with one hash: rare enough to look name by name.
                Some(_) => answers.list.iter().any(|g| g.name == name),
                None => false,
            },
        };
        if known {
            return;
        }
        answers.list.push(Given { seen, ts_ns, name });
        let at = answers.list.len() - 1;
        if answers.list.len() > SMALL {
            match (&mut answers.by_hash, hash) {
                (Some(by_hash), Some(hash)) => {
                    by_hash.entry(hash).or_insert(at as u32);
                }
                // Index the names given so far too.
                (by_hash, _) => *by_hash = Some(Box::new(index(&self.hasher, &answers.list))),
            }
        }
    }

    /// Takes in the answers of a book filled from other frames of the same capture: each name
    /// keeps the time it was first given in either, and the names the order first given.
    /// Before [`AnswerBook::seal`].
    pub fn absorb(&mut self, other: AnswerBook) {
        for (ip, theirs) in other.by_ip {
            let ours = match self.by_ip.entry(ip) {
                Entry::Vacant(entry) => {
                    entry.insert(theirs);
                    continue;
                }
                Entry::Occupied(entry) => entry.into_mut(),
            };
            let mut at: HashMap<String, usize> = HashMap::default();
            let mut list: Vec<Given> = Vec::with_capacity(ours.list.len() + theirs.list.len());
            for given in std::mem::take(&mut ours.list).into_iter().chain(theirs.list) {
                match at.entry(given.name.clone()) {
                    Entry::Occupied(i) if list[*i.get()].seen <= given.seen => {}
                    Entry::Occupied(i) => list[*i.get()] = given,
                    Entry::Vacant(slot) => {
                        slot.insert(list.len());
                        list.push(given);
                    }
                }
            }
            list.sort_by_key(|g| g.seen);
            ours.by_hash = (list.len() > SMALL).then(|| Box::new(index(&self.hasher, &list)));
            ours.list = list;
        }
    }

    /// Called once reading ends: prepares [`AnswerBook::name_at`].
    pub fn seal(&mut self) {
        for answers in self.by_ip.values_mut() {
            // Most addresses have one name, in a list grown for four: the report is built
            // while the book is kept (busy 8 GB: 1.17 M places for 293 k names).
            answers.list.shrink_to_fit();
            answers.by_hash = None;
            if answers.list.len() < 2 {
                continue; // one name is its own order
            }
            let mut order: Vec<u32> = (0..answers.list.len() as u32).collect();
            // Stable: equal times keep the order given.
            order.sort_by_key(|&i| answers.list[i as usize].ts_ns);
            answers.by_time = order;
        }
    }

    /// Whether any answer named `ip`.
    pub fn knows(&self, ip: &IpAddr) -> bool {
        self.by_ip.contains_key(ip)
    }

    /// Every name given for `ip`, in the order first given.
    pub fn names(&self, ip: &IpAddr) -> impl Iterator<Item = &str> {
        self.by_ip.get(ip).into_iter().flat_map(|a| a.list.iter().map(|g| g.name.as_str()))
    }

    /// The name given for `ip` most recently before `at` (the last given of those answered at
    /// the same latest time), else the first given after it. Needs [`AnswerBook::seal`].
    pub fn name_at(&self, ip: &IpAddr, at: i64) -> Option<&str> {
        let answers = self.by_ip.get(ip)?;
        if let [only] = &answers.list[..] {
            return Some(&only.name);
        }
        let time = |&i: &u32| answers.list[i as usize].ts_ns;
        let before = answers.by_time.partition_point(|i| time(i) <= at);
        let chosen = match before {
            0 => answers.by_time.first()?,
            n => &answers.by_time[n - 1],
        };
        Some(&answers.list[*chosen as usize].name)
    }

    /// Names devices announce for themselves over mDNS/LLMNR (`name.local`), by address.
    pub fn local_names(&self) -> HashMap<IpAddr, String> {
        self.by_ip
            .iter()
            .filter_map(|(ip, answers)| {
                let name = answers.list.iter().find_map(|g| g.name.strip_suffix(".local"))?;
                Some((*ip, name.to_string()))
            })
            .collect()
    }
}

/// Positions in `list` by the hash of the name (the first of equal hashes).
fn index(hasher: &RandomState, list: &[Given]) -> HashMap<u64, u32> {
    let mut by_hash = HashMap::default();
    for (i, g) in list.iter().enumerate() {
        by_hash.entry(hasher.hash_one(&g.name)).or_insert(i as u32);
    }
    by_hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn names_are_kept_once_in_the_order_first_given() {
        let mut book = AnswerBook::default();
        for (i, name) in ["a.example", "b.example", "a.example"].into_iter().enumerate() {
            book.add(ip("1.2.3.4"), name.into(), i as i64, i as u64);
        }
        // Many names for one address: duplicates are still found once indexed.
        for round in 0..3 {
            for n in 0..50 {
                let ts = 100 + round * 100 + n;
                book.add(ip("5.6.7.8"), format!("edge{n}.cdn.example"), ts, ts as u64);
            }
        }
        book.seal();
        assert_eq!(book.names(&ip("1.2.3.4")).collect::<Vec<_>>(), ["a.example", "b.example"]);
        assert_eq!(book.names(&ip("5.6.7.8")).count(), 50);
        assert_eq!(book.names(&ip("9.9.9.9")).count(), 0);
    }

    #[test]
    fn a_flow_gets_the_latest_name_before_it_else_the_first_after() {
        let mut book = AnswerBook::default();
        // Out of time order, as captures merged from two interfaces can be.
        for (seen, (name, ts)) in
            [("late.example", 30), ("early.example", 10), ("same-time.example", 10), ("mid.example", 20)]
                .into_iter()
                .enumerate()
        {
            book.add(ip("1.2.3.4"), name.into(), ts, seen as u64);
        }
        book.seal();
        let at = |ts| book.name_at(&ip("1.2.3.4"), ts);
        assert_eq!(at(5), Some("early.example"), "before any answer: the first given at the earliest time");
        assert_eq!(at(10), Some("same-time.example"), "the last given of the latest time");
        assert_eq!(at(25), Some("mid.example"));
        assert_eq!(at(99), Some("late.example"));
        assert_eq!(book.name_at(&ip("9.9.9.9"), 5), None);
    }

    #[test]
    fn local_names_come_from_dot_local_answers() {
        let mut book = AnswerBook::default();
        book.add(ip("192.168.1.9"), "annas-iphone.local".into(), 1, 1);
        book.add(ip("8.8.8.8"), "dns.google".into(), 1, 2);
        assert_eq!(book.local_names().get(&ip("192.168.1.9")).map(String::as_str), Some("annas-iphone"));
        assert_eq!(book.local_names().len(), 1);
    }
}
