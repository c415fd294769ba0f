//! MAC address to vendor ("Espressif Inc.") from the table's `OUI_*` sections: the IEEE MA-L
//! registry's 24-bit OUIs, searched in place like the IP rows (see [`super::layout`]). Opening
//! checks the sections' lengths and that the names are UTF-8; a lookup is one branch-free
//! binary search over about 40,000 keys, and every read is bounds-checked, so a corrupt
//! table gives a wrong or no answer, never a panic.

use super::{last_at_or_before, layout, name_at, section, Directory, Le, Planes, Table, TableError};
use crate::geo::is_locally_administered;

/// The vendor sections of an opened table.
#[derive(Clone, Copy)]
pub(super) struct Vendors<'a> {
    keys: Planes<'a, { layout::OUI_KEY_BYTES }>,
    spans: Le<'a, 4>,
    names: &'a str,
}

impl<'a> Vendors<'a> {
    pub(super) fn open(dir: &Directory<'a>) -> Result<Vendors<'a>, TableError> {
        let keys = dir.planes(section::OUI_KEYS)?;
        Ok(Vendors {
            keys,
            spans: dir.array::<4>(section::OUI_NAME_SPANS, Some(keys.len()))?,
            // Checked once here (under a megabyte), so a lookup takes its name as it is.
            names: dir.text(section::OUI_NAMES)?,
        })
    }

    /// The vendor name of a 24-bit OUI, if the registry lists it.
    fn find(&self, oui: u32) -> Option<&'a str> {
        let target = u64::from(oui);
        let i = last_at_or_before(0, self.keys.len(), target, |i| self.keys.get(i))?;
        if self.keys.get(i) != target {
            return None;
        }
        name_at(self.names, self.spans.get(i)?)
    }
}

impl<'a> Table<'a> {
    /// The maker of the device with this MAC, from the IEEE registry of OUIs (its first three
    /// bytes). `None` when the OUI is not listed, and always for locally administered MACs
    /// (randomised "private" addresses, virtual machines) and group (multicast) MACs: no vendor
    /// assigned those.
    pub fn vendor(&self, mac: [u8; 6]) -> Option<&'a str> {
        if is_locally_administered(mac) || mac[0] & 0x01 != 0 {
            return None;
        }
        self.vendors.find(u32::from_be_bytes([0, mac[0], mac[1], mac[2]]))
    }

    /// The npm package (`name@version`) the MAC vendors come from.
    pub fn vendor_source(&self) -> Option<&'a str> {
        self.meta("oui_source")
    }
}

#[cfg(all(test, feature = "embedded-geo"))]
mod tests {
    use super::*;

    fn mac(text: &str) -> [u8; 6] {
        text.parse::<crate::decode::Mac>().expect("a MAC").0
    }

    /// `check(mac, vendor)` against the embedded table.
    fn check(text: &str, expected: Option<&str>) {
        let table = crate::geo::embedded().expect("the embedded table opens");
        assert_eq!(table.vendor(mac(text)), expected, "{text}");
    }

    #[test]
    fn known_makers() {
        check("b8:d6:1a:12:34:56", Some("Espressif Inc."));
        check("24:0a:c4:00:00:01", Some("Espressif Inc."));
        check("3c:22:fb:01:02:03", Some("Apple, Inc."));
        check("f0:d5:bf:aa:bb:cc", Some("Intel Corporate"));
        check("44:65:0d:00:11:22", Some("Amazon Technologies Inc."));
        check("a0:04:60:ff:ff:ff", Some("NETGEAR"));
    }

    #[test]
    fn the_first_and_last_listed_ouis_are_found() {
        // 00:00:00 is Xerox's, the lowest key; the search must reach both ends.
        check("00:00:00:12:34:56", Some("XEROX CORPORATION"));
        let table = crate::geo::embedded().expect("the embedded table opens");
        let last = table.vendors.keys.get(table.vendors.keys.len() - 1);
        let [_, a, b, c] = u32::try_from(last).expect("24-bit keys").to_be_bytes();
        assert!(table.vendor([a, b, c, 0, 0, 0]).is_some(), "last OUI {last:06x}");
    }

    #[test]
    fn randomised_group_and_unlisted_macs_have_no_vendor() {
        // An iPhone's private Wi-Fi address: locally administered, random.
        check("da:a1:19:5e:22:7b", None);
        // 02:60:8c is listed (3Com, long ago) but has the locally administered bit set.
        check("02:60:8c:01:02:03", None);
        check("01:00:5e:00:00:fb", None);
        check("33:33:00:00:00:fb", None);
        check("ff:ff:ff:ff:ff:ff", None);
        // Handed out in MA-M/MA-S pieces, whose makers the table does not carry.
        check("00:55:da:01:02:03", None);
    }

    #[test]
    fn the_table_names_the_vendor_source() {
        let table = crate::geo::embedded().expect("the embedded table opens");
        assert!(table.vendor_source().is_some_and(|s| s.starts_with("oui-data@")), "{:?}", table.vendor_source());
    }

    #[test]
    fn damaged_vendor_sections_do_not_panic() {
        let whole = crate::geo::EMBEDDED_BYTES;
        let table = Table::open(whole).expect("opens");
        let probes: Vec<[u8; 6]> = (0..4000u32)
            .map(|i| {
                let x = i.wrapping_mul(0x9E37_79B9);
                [(x >> 24) as u8 & 0xFC, (x >> 16) as u8, (x >> 8) as u8, 1, 2, 3]
            })
            .collect();
        // Where the vendor sections lie, to damage them rather than the IP rows.
        let names = table.vendors.names.as_ptr() as usize - whole.as_ptr() as usize;
        let keys = table.vendors.keys.planes[0].as_ptr() as usize - whole.as_ptr() as usize;
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut answered = 0;
        for round in 0..8 {
            let mut bytes = whole.to_vec();
            let (from, span) = if round % 2 == 0 { (keys, names - keys) } else { (names, table.vendors.names.len()) };
            for _ in 0..(1 + round * 500) {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                bytes[from + (state >> 33) as usize % span] ^= (state >> 24) as u8 | 1;
            }
            if let Ok(damaged) = Table::open(&bytes) {
                answered += probes.iter().filter(|&&mac| damaged.vendor(mac).is_some()).count();
            }
        }
        // Damaged keys and spans still answer (wrongly), they do not refuse or crash.
        assert!(answered > 0);
    }
}
