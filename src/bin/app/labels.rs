//! Names the user gives devices ("Front door"), remembered in the browser's localStorage on
//! this device only, by MAC (by the device id where there is no MAC), so the same device
//! keeps its name in the next capture. A label replaces the device's own name wherever the
//! page shows it, and goes into a share link only when the link keeps names.

use phonehome::report::model::Device;
use std::collections::BTreeMap;

/// Longest label kept, in characters.
const MAX_CHARS: usize = 64;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Labels(BTreeMap<String, String>);

impl Labels {
    /// Where a device's label is kept.
    pub fn key(device: &Device) -> String {
        device.mac.map_or_else(|| device.id.clone(), |mac| mac.to_string())
    }

    pub fn of(&self, device: &Device) -> Option<&str> {
        self.0.get(&Labels::key(device)).map(String::as_str)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// These labels with `key` named `label`; an empty or unusable label removes the name.
    pub fn with(&self, key: &str, label: &str) -> Labels {
        let mut next = self.clone();
        match clean(label) {
            Some(label) => next.0.insert(key.to_string(), label),
            None => next.0.remove(key),
        };
        next
    }

    /// Reads what [`Labels::to_json`] wrote; anything else, or any unusable entry, is dropped.
    pub fn from_json(text: &str) -> Labels {
        let read: BTreeMap<String, String> = serde_json::from_str(text).unwrap_or_default();
        Labels(read.into_iter().filter_map(|(key, label)| Some((key, clean(&label)?))).collect())
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }
}

/// A label as typed, trimmed; `None` when empty or when it holds control characters or
/// characters that change the direction of text (which could make a label read as something
/// else). Long labels are cut.
pub fn clean(label: &str) -> Option<String> {
    let label = label.trim();
    let direction =
        |c: char| matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{061c}');
    if label.is_empty() || label.chars().any(|c| c.is_control() || direction(c)) {
        return None;
    }
    Some(label.chars().take(MAX_CHARS).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::device;

    #[test]
    fn labels_are_kept_by_mac_and_read_back() {
        let doorbell = device("00:11:22:33:44:55", &["10.0.0.2"], &[]);
        let labels = Labels::default().with(&Labels::key(&doorbell), "  Front door ");
        assert_eq!(labels.of(&doorbell), Some("Front door"));
        assert_eq!(Labels::from_json(&labels.to_json()), labels);
        let cleared = labels.with(&Labels::key(&doorbell), "   ");
        assert!(cleared.is_empty(), "an empty label removes the name");
        // Without a MAC, the device id.
        let mut no_mac = device("10.0.0.9", &["10.0.0.9"], &[]);
        no_mac.mac = None;
        assert_eq!(Labels::key(&no_mac), "10.0.0.9");
    }

    #[test]
    fn unusable_labels_are_refused() {
        assert_eq!(clean("Kitchen\u{202e}cod"), None);
        assert_eq!(clean("a\nb"), None);
        assert_eq!(clean("Living room TV").as_deref(), Some("Living room TV"));
        assert_eq!(clean(&"x".repeat(100)).map(|l| l.len()), Some(MAX_CHARS));
        assert_eq!(Labels::from_json("not json"), Labels::default());
        assert!(Labels::from_json(r#"{"aa":"\u202eevil","bb":"ok"}"#).0.len() == 1);
    }
}
