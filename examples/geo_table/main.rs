//! Generates the embedded geo table (`src/geo/table.bin`) from the source packages fetched by
//! `.ci/geo-sources.sh`:
//!
//! ```text
//! cargo run --release --features ship-table --example geo_table -- target-geo-src src/geo/table.bin
//! ```
//!
//! Reads the IPv4 and IPv6 CSVs of `@ip-location-db/asn` and
//! `@ip-location-db/geo-whois-asn-country`, resolves nested ranges (narrowest wins), drops
//! special-purpose addresses, adds the MAC vendors of `oui-data` (IEEE OUI registry), and
//! writes the layout described in `phonehome::geo::layout`.
//! Everything is sorted before it is written, so the same inputs give the same bytes. Next to
//! the table it writes its checksum (`table.xxh3`), with which the page's worker checks it, and
//! the form the site ships it in (`table.packed.br`, see `ship.rs`).

mod encode;
mod segments;
mod ship;
mod sources;
// Shared with tests/it/geo.rs, which also uses the per-address check; this needs the intervals.
#[allow(dead_code)]
mod special;
mod vendors;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use encode::Contents;
use sources::{Package, Row};

const ASN_PACKAGE: &str = "@ip-location-db/asn";
const COUNTRY_PACKAGE: &str = "@ip-location-db/geo-whois-asn-country";
const OUI_PACKAGE: &str = "oui-data";

fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [src, out] = args.as_slice() else {
        eprintln!("usage: geo_table <source cache dir> <output table file>");
        std::process::exit(2);
    };
    if let Err(message) = generate(src, out) {
        eprintln!("geo_table: {message}");
        std::process::exit(1);
    }
}

/// One family's rows from both sources.
struct FamilyRows {
    asn: Vec<Row<(u32, String)>>,
    country: Vec<Row<String>>,
}

fn read_family(asn: &Package, country: &Package, ipv6: bool) -> Result<FamilyRows, String> {
    let family = if ipv6 { "ipv6" } else { "ipv4" };
    let asn_rows = sources::read_rows(&asn.dir.join(format!("asn-{family}.csv")), ipv6, |r| {
        let number = r.get(2).unwrap_or_default();
        let number = number.parse::<u32>().map_err(|_| format!("bad AS number {number:?}"))?;
        Ok((number, r.get(3).unwrap_or_default().to_owned()))
    })?;
    let country_path = country.dir.join(format!("geo-whois-asn-country-{family}.csv"));
    let country_rows = sources::read_rows(&country_path, ipv6, |r| {
        let code = r.get(2).unwrap_or_default();
        if code.len() == 2 && code.bytes().all(|b| b.is_ascii_uppercase()) {
            Ok(code.to_owned())
        } else {
            Err(format!("bad country code {code:?}"))
        }
    })?;
    println!("{family}: {} AS rows, {} country rows", asn_rows.len(), country_rows.len());
    Ok(FamilyRows { asn: asn_rows, country: country_rows })
}

/// Sorted distinct values and each one's 1-based index (0 stays "unknown").
fn intern<T: Ord + Clone>(values: impl Iterator<Item = T>) -> (Vec<T>, BTreeMap<T, usize>) {
    let sorted: Vec<T> = values.collect::<BTreeSet<T>>().into_iter().collect();
    let index = sorted.iter().cloned().zip(1..).collect();
    (sorted, index)
}

fn generate(src: &Path, out: &Path) -> Result<(), String> {
    let asn_package = sources::find_package(src, "asn", ASN_PACKAGE)?;
    let country_package = sources::find_package(src, "geo-whois-asn-country", COUNTRY_PACKAGE)?;
    // The table is as old as its older source.
    let date = sources::version_date(&asn_package.version)?.min(sources::version_date(&country_package.version)?);
    let families =
        [read_family(&asn_package, &country_package, false)?, read_family(&asn_package, &country_package, true)?];

    // Each row's share of its family's address space (IPv6: of 2000::/3, where public
    // unicast lies), so that the records most addresses lead to come first.
    let share = |row: &Row<(u32, String)>, space: f64| ((row.last - row.first) as f64 + 1.0) / space;
    let weighted = families
        .iter()
        .zip([2f64.powi(32), 2f64.powi(125)])
        .flat_map(|(family, space)| family.asn.iter().map(move |row| (row.value.clone(), share(row, space))));
    let (asn, asn_values) = encode::asn_records(weighted)?;
    let all_country = families.iter().flat_map(|f| f.country.iter());
    let (countries, country_index) = intern(all_country.map(|r| r.value.clone()));
    if countries.len() >= usize::from(phonehome::geo::layout::FINE_MARKER) {
        return Err(format!("{} countries do not fit one byte", countries.len()));
    }

    let mut segments = Vec::new();
    for (ipv6, rows) in [false, true].into_iter().zip(&families) {
        let family_max = if ipv6 { u128::MAX } else { u128::from(u32::MAX) };
        let numbered_asn: Vec<Row<u32>> = rows
            .asn
            .iter()
            .map(|r| Row { first: r.first, last: r.last, value: asn_values.get(&r.value).copied().unwrap_or(0) })
            .collect();
        let numbered_country: Vec<Row<u8>> = rows
            .country
            .iter()
            .map(|r| Row { first: r.first, last: r.last, value: country_index.get(&r.value).map_or(0, |&i| i as u8) })
            .collect();
        let asn = segments::flatten(&numbered_asn, family_max);
        let country = segments::flatten(&numbered_country, family_max);
        let special = special::special_intervals(ipv6);
        segments.push(segments::combine(&asn, &country, &special, family_max));
    }
    let [v4, v6] = <[_; 2]>::try_from(segments).map_err(|_| "two families expected")?;
    let oui_package = sources::find_package(src, "oui-data", OUI_PACKAGE)?;
    let vendors = vendors::sections(&vendors::read_listing(&oui_package.dir)?)?;

    let contents = Contents {
        meta: format!(
            "date={date}\nasn_source={}\ncountry_source={}\noui_source={}\n",
            asn_package.spec, country_package.spec, oui_package.spec
        ),
        countries,
        asn,
        v4,
        v6,
        vendors,
    };
    println!("{} AS records, {} countries", asn_values.len(), contents.countries.len());
    let bytes = encode::encode(&contents)?;
    std::fs::write(out, &bytes).map_err(|e| format!("{}: {e}", out.display()))?;
    println!("wrote {}: {} bytes, {} gzipped", out.display(), bytes.len(), encode::gzipped_len(&bytes));
    // The page's worker fetches and checks the table with it (`phonehome::geo::TABLE_CHECKSUM`),
    // so a new table also gets a new address and no cached copy of an older one is used.
    let checksum_path = out.with_extension("xxh3");
    let checksum = phonehome::geo::checksum(&bytes);
    std::fs::write(&checksum_path, format!("{checksum}\n")).map_err(|e| format!("{}: {e}", checksum_path.display()))?;
    println!("wrote {}: {checksum}", checksum_path.display());
    // What the page's worker downloads (`phonehome::geo::packed`).
    let shipped_path = out.with_extension("packed.br");
    let shipped = ship::shipped(&bytes)?;
    std::fs::write(&shipped_path, &shipped).map_err(|e| format!("{}: {e}", shipped_path.display()))?;
    println!("wrote {}: {} bytes", shipped_path.display(), shipped.len());
    Ok(())
}
