//! Unit tests of the geo table: known addresses of the embedded data, the rules around it
//! (IPv4-mapped, special-purpose holes, one source missing), and that neither a cut nor a
//! scrambled table can make opening or lookups panic. The full comparison with the source
//! CSVs is `tests/it/geo.rs`.

use std::net::IpAddr;

use super::*;

fn ip(text: &str) -> IpAddr {
    text.parse().expect("test addresses are valid")
}

fn table() -> &'static Table<'static> {
    embedded().expect("the embedded table opens")
}

fn lookup(ip: IpAddr) -> Option<GeoInfo> {
    table().lookup(ip)
}

/// `check(address, (asn, org, country))` with `None` meaning "the table knows nothing".
fn check(address: &str, expected: Option<(Option<u32>, Option<&str>, Option<&str>)>) {
    let got = lookup(ip(address)).map(|g| (g.asn, g.as_org, g.country));
    assert_eq!(got, expected, "{address}");
}

#[test]
fn well_known_resolvers() {
    check("8.8.8.8", Some((Some(15169), Some("Google LLC"), Some("US"))));
    check("2001:4860:4860::8888", Some((Some(15169), Some("Google LLC"), Some("US"))));
    check("1.1.1.1", Some((Some(13335), Some("Cloudflare, Inc."), Some("AU"))));
    check("2606:4700:4700::1111", Some((Some(13335), Some("Cloudflare, Inc."), Some("US"))));
    check("9.9.9.9", Some((Some(19281), Some("Quad9"), Some("US"))));
}

#[test]
fn baidu_is_in_china() {
    let baidu = "Beijing Baidu Netcom Science and Technology Co., Ltd.";
    check("180.76.76.76", Some((Some(55967), Some(baidu), Some("CN"))));
}

#[test]
fn ipv4_mapped_ipv6_is_looked_up_as_ipv4() {
    assert_eq!(lookup(ip("::ffff:8.8.8.8")), lookup(ip("8.8.8.8")));
    assert_eq!(lookup(ip("::ffff:192.168.1.1")), None);
}

#[test]
fn special_purpose_addresses_have_no_rows() {
    // The sources place 192.168.1.1 in AU and 2001:2::/48 in JP; both must stay unknown.
    for address in [
        "192.168.1.1",
        "10.1.2.3",
        "100.64.0.1",
        "127.0.0.1",
        "169.254.1.1",
        "192.0.2.1",
        "224.0.0.251",
        "255.255.255.255",
        "0.0.0.0",
        "::",
        "::1",
        "fe80::1",
        "fd00::1",
        "ff02::fb",
        "2001:db8::1",
        "2001:2::1",
    ] {
        check(address, None);
    }
}

#[test]
fn narrower_range_inside_a_broader_one_wins() {
    let lume = Some("Mario Kurz trading as LUME Solutions");
    check("2.58.197.15", Some((Some(207695), lume, Some("BE"))));
    check("2.58.197.16", Some((Some(207695), lume, Some("DE"))));
}

#[test]
fn ranges_finer_than_a_slash_64() {
    let cogent = Some("Cogent Communications");
    check("2c0f:e9a0:2::29:ffff", Some((Some(174), cogent, Some("ZA"))));
    check("2c0f:e9a0:2::2a:0", Some((Some(174), cogent, Some("FR"))));
    check("2c0f:e9a0:2::2a:ffff", Some((Some(174), cogent, Some("FR"))));
    check("2c0f:e9a0:2::2b:0", Some((Some(174), cogent, Some("ZA"))));
}

#[test]
fn one_source_missing_still_gives_the_other() {
    check("45.250.76.0", Some((None, None, Some("CN"))));
    check("2001:df1:21c2::", Some((None, None, Some("AU"))));
    let wiocc = Some("West Indian Ocean Cable Company");
    check("2c0f:ef68::", Some((Some(37662), wiocc, None)));
}

#[test]
fn table_records_its_date_and_sources() {
    let date = table().date().expect("embedded table has a date");
    let shape = date.len() == 10
        && date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    assert!(shape, "{date}");
    let sources = table().sources().expect("embedded table names its sources");
    assert!(sources.asn.starts_with("@ip-location-db/asn@"), "{sources:?}");
    assert!(sources.country.starts_with("@ip-location-db/geo-whois-asn-country@"), "{sources:?}");
}

/// Addresses spread over both families, hitting every part of the layout.
fn probe_addresses() -> Vec<IpAddr> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut addresses = Vec::new();
    for _ in 0..2000 {
        addresses.push(IpAddr::from((next() as u32).to_be_bytes()));
        let v6 = (u128::from(next()) << 64 | u128::from(next())) >> 3 | 0x2000 << 112;
        addresses.push(IpAddr::from(v6.to_be_bytes()));
    }
    addresses.push(ip("2c0f:e9a0:2::2a:1"));
    addresses
}

#[test]
fn cut_tables_fail_to_open_or_answer_without_panicking() {
    let whole = EMBEDDED_BYTES;
    let probes = probe_addresses();
    let cuts = (0..600).chain((0..whole.len()).step_by(whole.len() / 64 + 1));
    for cut in cuts {
        if let Ok(table) = Table::open(&whole[..cut]) {
            for &address in &probes {
                let _ = table.find(address);
            }
        }
    }
    assert!(Table::open(&[]).is_err());
    assert!(Table::open(whole).is_ok());
}

#[test]
fn scrambled_tables_do_not_panic() {
    let probes = probe_addresses();
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut opened = 0;
    for round in 0..12 {
        let mut bytes = EMBEDDED_BYTES.to_vec();
        // Early rounds hit the header and directory, later ones whole sections.
        let span = if round < 6 { 512 } else { bytes.len() };
        for _ in 0..(1 + round * 2000) {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let at = (state >> 33) as usize % span;
            bytes[at] ^= (state >> 24) as u8 | 1;
        }
        if let Ok(table) = Table::open(&bytes) {
            opened += 1;
            for &address in &probes {
                let _ = table.find(address);
            }
            let _ = table.date();
        }
    }
    // Scrambled contents behind an intact directory must have been searched, not just refused.
    assert!(opened > 0);
}
