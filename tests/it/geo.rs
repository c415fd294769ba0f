//! Exactness of the embedded geo table: for over 100,000 seeded random addresses (IPv4 and
//! IPv6) plus the boundaries (and boundary ± 1) of a few thousand source ranges and of every
//! special-purpose block, `phonehome::geo::lookup` must equal a straightforward lookup in the
//! source CSVs the table names (narrowest containing range, later row on a tie; nothing for
//! addresses the core's scope classification does not call public). A second test checks that
//! the generator's special-purpose list agrees with that classification.
//!
//! The CSVs come from `.ci/geo-sources.sh` (CI runs it before the tests). Without them the
//! test fails and says so, unless `PHONEHOME_SKIP_GEO_EXACT=1`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::{Path, PathBuf};

use phonehome::geo::{self, GeoInfo};
use phonehome::scope;
use phonehome::synth::Rng;

#[path = "../../examples/geo_table/special.rs"]
mod special;

/// One source CSV: rows in file order, plus a start-sorted view for searching.
struct Source {
    /// (first, last, value columns)
    rows: Vec<(u128, u128, Vec<String>)>,
    /// Row numbers sorted by first address.
    by_first: Vec<usize>,
    /// `reach[j]`: the highest last address among `by_first[..=j]`.
    reach: Vec<u128>,
}

impl Source {
    fn read(path: &Path) -> Source {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_path(path)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let number = |text: &str| match text.parse::<IpAddr>() {
            Ok(IpAddr::V4(a)) => u128::from(u32::from(a)),
            Ok(IpAddr::V6(a)) => u128::from(a),
            Err(e) => panic!("{}: {text:?}: {e}", path.display()),
        };
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let values = record.iter().skip(2).map(str::to_owned).collect();
            rows.push((number(&record[0]), number(&record[1]), values));
        }
        let mut by_first: Vec<usize> = (0..rows.len()).collect();
        by_first.sort_by_key(|&i| rows[i].0);
        let mut reach = Vec::with_capacity(rows.len());
        for &i in &by_first {
            let previous = reach.last().copied().unwrap_or(0);
            reach.push(rows[i].1.max(previous));
        }
        Source { rows, by_first, reach }
    }

    /// The value columns of the narrowest row containing `address` (later row on a tie).
    fn find(&self, address: u128) -> Option<&[String]> {
        let candidates = self.by_first.partition_point(|&i| self.rows[i].0 <= address);
        let mut best: Option<(u128, usize)> = None;
        for j in (0..candidates).rev() {
            if self.reach[j] < address {
                break; // no row at or before j reaches the address
            }
            let i = self.by_first[j];
            let (first, last, _) = &self.rows[i];
            let width = last - first;
            let better = best.is_none_or(|(w, b)| width < w || (width == w && i > b));
            if *last >= address && better {
                best = Some((width, i));
            }
        }
        best.map(|(_, i)| self.rows[i].2.as_slice())
    }
}

/// Both sources of one address family.
struct Family {
    asn: Source,
    country: Source,
}

impl Family {
    fn expected(&self, ip: IpAddr, address: u128) -> Option<GeoInfo> {
        if !scope::is_public(ip) {
            return None;
        }
        let asn = self.asn.find(address);
        let country = self.country.find(address);
        let leak = |s: &str| -> &'static str { Box::leak(s.to_owned().into_boxed_str()) };
        let info = GeoInfo {
            asn: asn.map(|v| v[0].parse().expect("AS numbers are numbers")),
            as_org: asn.map(|v| v[1].as_str()).filter(|o| !o.is_empty()).map(leak),
            country: country.map(|v| leak(&v[0])),
        };
        (info.asn.is_some() || info.country.is_some()).then_some(info)
    }

    /// Seeded addresses inside the family's rows, so the sample is not mostly empty space.
    fn inside_rows(&self, rng: &mut Rng, count: usize, into: &mut Vec<u128>) {
        for k in 0..count {
            let source = if k % 2 == 0 { &self.asn } else { &self.country };
            let (first, last, _) = &source.rows[rng.below_u128(source.rows.len() as u128) as usize];
            into.push(first + rng.below_u128(last - first + 1));
        }
    }

    /// The first and last address, each with its neighbours, of every 200th row and of every
    /// row that overlaps an earlier-starting one (nested, duplicated or partly overlapping
    /// ranges: where the narrowest-range rule decides). Returns how many ranges.
    fn boundaries(&self, into: &mut Vec<u128>) -> usize {
        let mut ranges = 0;
        for source in [&self.asn, &self.country] {
            for (j, &i) in source.by_first.iter().enumerate() {
                let (first, last, _) = source.rows[i];
                let overlaps = j > 0 && first <= source.reach[j - 1];
                if i % 200 == 0 || overlaps {
                    ranges += 1;
                    for edge in [first, last] {
                        into.extend([edge.wrapping_sub(1), edge, edge.wrapping_add(1)]);
                    }
                }
            }
        }
        ranges
    }
}

/// Sampling over the library's seeded generator: a fixed seed gives the same sample on every
/// run.
trait Sample {
    fn next_u128(&mut self) -> u128;
    /// Uniform enough in `0..n` for sampling (n > 0).
    fn below_u128(&mut self, n: u128) -> u128;
}

impl Sample for Rng {
    fn next_u128(&mut self) -> u128 {
        u128::from(self.next_u64()) << 64 | u128::from(self.next_u64())
    }

    fn below_u128(&mut self, n: u128) -> u128 {
        self.next_u128() % n
    }
}

/// The cached package folder for `spec` (`@scope/name@version`), as `.ci/geo-sources.sh`
/// names it; `None` when it is not there.
fn package_dir(cache: &Path, spec: &str) -> Option<PathBuf> {
    let (name, version) = spec.rsplit_once('@')?;
    let name = name.rsplit('/').next()?;
    let dir = cache.join(format!("{name}-{version}")).join("package");
    dir.join("package.json").is_file().then_some(dir)
}

#[test]
fn lookup_equals_the_source_csvs() {
    let sources = geo::embedded().and_then(|t| t.sources()).expect("the embedded table names its sources");
    let cache = std::env::var_os("PHONEHOME_GEO_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target-geo-src"));
    let (asn_dir, country_dir) = match (package_dir(&cache, sources.asn), package_dir(&cache, sources.country)) {
        (Some(a), Some(c)) => (a, c),
        _ if std::env::var("PHONEHOME_SKIP_GEO_EXACT").as_deref() == Ok("1") => {
            println!("geo exactness skipped (PHONEHOME_SKIP_GEO_EXACT=1)");
            return;
        }
        _ => panic!(
            "{} or {} missing from {}: run .ci/geo-sources.sh \
             (or set PHONEHOME_SKIP_GEO_EXACT=1 to skip this test)",
            sources.asn,
            sources.country,
            cache.display()
        ),
    };
    let family = |name: &str| Family {
        asn: Source::read(&asn_dir.join(format!("asn-{name}.csv"))),
        country: Source::read(&country_dir.join(format!("geo-whois-asn-country-{name}.csv"))),
    };
    let (v4, v6) = (family("ipv4"), family("ipv6"));

    let mut rng = Rng::new(0x5eed_0f9e_07ab_1e00);
    let (mut v4_sample, mut v6_sample) = (Vec::new(), Vec::new());
    v4_sample.extend((0..40_000).map(|_| u128::from(rng.next_u32())));
    v4.inside_rows(&mut rng, 30_000, &mut v4_sample);
    // Uniform over 2000::/3, the global unicast space: mostly gaps between allocations.
    v6_sample.extend((0..10_000).map(|_| rng.next_u128() >> 3 | 1 << 125));
    v6.inside_rows(&mut rng, 30_000, &mut v6_sample);
    let random = v4_sample.len() + v6_sample.len();
    let ranges = v4.boundaries(&mut v4_sample) + v6.boundaries(&mut v6_sample);
    for ipv6 in [false, true] {
        let into = if ipv6 { &mut v6_sample } else { &mut v4_sample };
        for (first, last) in special::special_intervals(ipv6) {
            into.extend([first.wrapping_sub(1), first, last, last.wrapping_add(1)]);
        }
    }
    v4_sample.retain(|&a| a <= u128::from(u32::MAX));

    let (mut checked, mut mismatched) = (0, 0);
    let mut mismatches = Vec::new();
    let mut compare = |ip: IpAddr, expected: Option<GeoInfo>| {
        checked += 1;
        let got = geo::embedded().and_then(|t| t.lookup(ip));
        if got != expected {
            mismatched += 1;
            if mismatches.len() < 20 {
                mismatches.push(format!("{ip}: table {got:?}, CSVs {expected:?}"));
            }
        }
    };
    for &address in &v4_sample {
        let ip = Ipv4Addr::from(address as u32);
        let expected = v4.expected(IpAddr::V4(ip), address);
        compare(IpAddr::V4(ip), expected.clone());
        if address % 16 == 0 {
            compare(IpAddr::V6(ip.to_ipv6_mapped()), expected);
        }
    }
    for &address in &v6_sample {
        let ip = IpAddr::V6(Ipv6Addr::from(address));
        compare(ip, v6.expected(ip, address));
    }
    println!(
        "geo exactness: {checked} addresses ({random} random, boundaries of {ranges} ranges \
         and of the special-purpose blocks), {mismatched} mismatches"
    );
    assert!(random >= 100_000);
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

/// What the generator drops must be exactly what the core's scope classification does not
/// call public, or the table would miss rows the core looks up (or keep rows it never does).
/// Checked with both forms of the generator's list, per address and as intervals: at every
/// block edge and its neighbours, at the first address of every IPv4 /16 and of every /24 in
/// 192/8, 198/8 and 203/8 (the registry's narrower IPv4 blocks), at IPv6 prefixes in steps
/// fine enough for the registry's IPv6 blocks, and at seeded random IPv6 addresses. IPv4-mapped IPv6 is left out: the core classifies it as IPv4, and the lookup
/// answers it from the IPv4 table.
#[test]
fn special_list_agrees_with_scope() {
    let mut disagreements = Vec::new();
    let mut check = |ip: IpAddr, in_intervals: bool| {
        let mapped = matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some());
        let public = scope::is_public(ip);
        if !mapped && (special::is_special(ip) == public || in_intervals == public) && disagreements.len() < 20 {
            disagreements.push(format!("{ip}: generator drops it: {in_intervals}, core: {:?}", scope::classify(ip)));
        }
    };
    for ipv6 in [false, true] {
        let max = if ipv6 { u128::MAX } else { u128::from(u32::MAX) };
        let intervals = special::special_intervals(ipv6);
        let in_intervals = |n: u128| intervals.iter().any(|&(first, last)| (first..=last).contains(&n));
        let to_ip = |n: u128| -> IpAddr {
            if ipv6 {
                IpAddr::V6(Ipv6Addr::from(n))
            } else {
                IpAddr::V4(Ipv4Addr::from(n as u32))
            }
        };
        for &(network, len, _) in special::SPECIAL.iter().filter(|b| b.0.is_ipv6() == ipv6) {
            let (first, last) = special::block_bounds(network, len);
            let edges = [first.checked_sub(1), Some(first), Some(last), last.checked_add(1)];
            for n in edges.into_iter().flatten().filter(|&n| n <= max) {
                check(to_ip(n), in_intervals(n));
            }
        }
        if ipv6 {
            // Every /16; every /32 of 2001::/16 and 3fff::/16, and every /48 of 2001::/29,
            // where the registry's narrower global-unicast blocks are; and random addresses.
            let slash16s = (0..1u128 << 16).map(|n| n << 112);
            let slash32s =
                [0x2001u128, 0x3fff].into_iter().flat_map(|a| (0..1u128 << 16).map(move |n| a << 112 | n << 96));
            let slash48s = (0..1u128 << 19).map(|n| 0x2001 << 112 | n << 80);
            let mut rng = Rng::new(0xa9ee_0001_5c09_e000);
            let random: Vec<u128> = (0..20_000).map(|_| rng.next_u128() >> rng.below(8)).collect();
            for n in slash16s.chain(slash32s).chain(slash48s).chain(random) {
                check(to_ip(n), in_intervals(n));
            }
        } else {
            // Every /16, and every /24 of the /8s where the registry has /24 blocks.
            let slash16s = (0..1u32 << 16).map(|n| n << 16);
            let slash24s = [192u32, 198, 203].into_iter().flat_map(|a| (0..1u32 << 16).map(move |n| a << 24 | n << 8));
            for n in slash16s.chain(slash24s).map(u128::from) {
                check(to_ip(n), in_intervals(n));
            }
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
}

/// Every MA-L entry (six hex digits) of the `oui-data` listing the table names, looked up as a
/// MAC, gives the entry's first line, trimmed, with the exceptions the table documents: OUIs
/// with the locally administered or group bit (no vendor's MAC has them) and the blocks of the
/// IEEE Registration Authority (handed out in MA-M/MA-S pieces the table leaves out) give
/// nothing. Also every such OUI's neighbours: an OUI the listing lacks gives nothing.
#[test]
fn vendor_equals_the_oui_listing() {
    let source = geo::embedded().and_then(|t| t.vendor_source()).expect("the embedded table names its OUI source");
    let cache = std::env::var_os("PHONEHOME_GEO_SRC")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target-geo-src"));
    let Some(dir) = package_dir(&cache, source) else {
        if std::env::var("PHONEHOME_SKIP_GEO_EXACT").as_deref() == Ok("1") {
            println!("OUI exactness skipped (PHONEHOME_SKIP_GEO_EXACT=1)");
            return;
        }
        panic!("{source} missing from {}: run .ci/geo-sources.sh (or set PHONEHOME_SKIP_GEO_EXACT=1)", cache.display());
    };
    let path = dir.join("index.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let listing: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut expected: std::collections::BTreeMap<u32, Option<&str>> = std::collections::BTreeMap::new();
    for (key, entry) in &listing {
        if key.len() != 6 {
            continue;
        }
        let oui = u32::from_str_radix(key, 16).unwrap_or_else(|_| panic!("OUI key {key:?} is not hex"));
        let name = entry.lines().next().unwrap_or_default().trim();
        let first = (oui >> 16) as u8;
        let vendor = first & 0x03 == 0 && name != "IEEE Registration Authority" && !name.is_empty();
        expected.insert(oui, vendor.then_some(name));
    }
    let listed = expected.len();
    for oui in expected.keys().copied().collect::<Vec<_>>() {
        for neighbour in [oui.wrapping_sub(1), oui + 1].into_iter().filter(|&n| n < 1 << 24) {
            expected.entry(neighbour).or_insert(None);
        }
    }
    let (mut named, mut mismatches) = (0, Vec::new());
    for (&oui, &want) in &expected {
        let [_, a, b, c] = oui.to_be_bytes();
        // The last three bytes do not matter: try two.
        for tail in [[0, 0, 0], [0xfe, 0xdc, 0xba]] {
            let got = geo::embedded().and_then(|t| t.vendor([a, b, c, tail[0], tail[1], tail[2]]));
            if got != want && mismatches.len() < 20 {
                mismatches.push(format!("{oui:06X}: table {got:?}, listing {want:?}"));
            }
        }
        named += usize::from(want.is_some());
    }
    println!("OUI exactness: {listed} listed MA-L OUIs ({named} with a vendor), {} OUIs checked", expected.len());
    assert!(named > 30_000, "{named}");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
