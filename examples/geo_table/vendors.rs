//! Reads the MAC vendor listing of the npm package `oui-data` (the IEEE Registration
//! Authority's public MA-L, MA-M and MA-S registries as one JSON object: hex prefix ->
//! "Name\naddress lines...") and lays out its 24-bit OUIs for `phonehome::geo::layout`'s
//! `OUI_*` sections.
//!
//! Only MA-L entries (six hex digits, one 24-bit OUI) are kept: the longer MA-M and MA-S
//! prefixes are small sub-blocks, and carrying them would push the table past its download
//! budget. Left out too, because no lookup can use them: OUIs with the locally administered
//! or group bit set, and the MA-L blocks the Registration Authority keeps to hand out in those
//! sub-blocks (their name is the Authority's, not a maker's).

use std::collections::BTreeMap;
use std::path::Path;

use phonehome::geo::layout;

use crate::encode::{planes, push_name};

/// The registrant of blocks handed out in pieces (MA-M, MA-S, IAB): never a device's maker.
pub const REGISTRATION_AUTHORITY: &str = "IEEE Registration Authority";

/// The `OUI_*` sections, ready to write.
pub struct VendorSections {
    /// `OUI_KEY_BYTES` byte planes of the ascending OUIs.
    pub keys: Vec<u8>,
    /// u32 per OUI, little-endian: `offset << 8 | length` of its name in `names`.
    pub spans: Vec<u8>,
    pub names: Vec<u8>,
    /// How many OUIs and distinct names the sections hold.
    pub oui_count: usize,
    pub name_count: usize,
}

/// The vendor name the listing gives an entry: its first line, trimmed.
pub fn vendor_name(entry: &str) -> &str {
    entry.lines().next().unwrap_or_default().trim()
}

/// The 24-bit OUI an MA-L key (`"B8D61A"`) names; `None` for longer (MA-M, MA-S) or bad keys.
pub fn ma_l_oui(key: &str) -> Option<u32> {
    let hex = key.len() == 6 && key.bytes().all(|b| b.is_ascii_hexdigit());
    hex.then(|| u32::from_str_radix(key, 16).ok()).flatten()
}

/// Whether a lookup can ever reach `oui`: no MAC of a vendor has the locally administered
/// (0x02) or group (0x01) bit of its first byte set.
pub fn is_vendor_oui(oui: u32) -> bool {
    (oui >> 16) & 0x03 == 0
}

/// Reads `index.json` of the package folder `dir` into OUI -> vendor name, keeping only what
/// the table stores (see the module documentation). A `BTreeMap`: ascending OUIs.
pub fn read_listing(dir: &Path) -> Result<BTreeMap<u32, String>, String> {
    let path = dir.join("index.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let listing: BTreeMap<String, String> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut vendors = BTreeMap::new();
    for (key, entry) in &listing {
        let Some(oui) = ma_l_oui(key) else { continue };
        let name = vendor_name(entry);
        if is_vendor_oui(oui) && !name.is_empty() && name != REGISTRATION_AUTHORITY {
            vendors.insert(oui, name.to_owned());
        }
    }
    if vendors.is_empty() {
        return Err(format!("{}: no MA-L entries", path.display()));
    }
    Ok(vendors)
}

/// Lays out the vendors: keys as byte planes, each name stored once in alphabetical order.
pub fn sections(vendors: &BTreeMap<u32, String>) -> Result<VendorSections, String> {
    let mut spans_of: BTreeMap<&str, u32> = vendors.values().map(|name| (name.as_str(), 0)).collect();
    let mut names = Vec::new();
    for (name, span) in spans_of.iter_mut() {
        *span = push_name(&mut names, name)?;
    }
    let keys = planes(vendors.keys().map(|&oui| u64::from(oui)), layout::OUI_KEY_BYTES);
    let spans = vendors.values().flat_map(|name| spans_of[name.as_str()].to_le_bytes()).collect();
    Ok(VendorSections { keys, spans, names, oui_count: vendors.len(), name_count: spans_of.len() })
}
