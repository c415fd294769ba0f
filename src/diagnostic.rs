//! The kinds of problem met while reading a capture: a closed set, named in reports and share
//! links by stable kebab-case words (`truncated-file`, `malformed-ip`, ...).
//!
//! A problem never stops the analysis on its own: it is counted by kind in the report's
//! diagnostics, with the first packet concerned and a message for people.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DiagnosticKind {
    /// The file ends inside a record or block: everything before it was read.
    TruncatedFile,
    /// A pcapng block could not be read and was skipped.
    CorruptBlock,
    /// A classic pcap record header is impossible (the rest of the file cannot be framed).
    CorruptRecord,
    /// The gzip or zstd stream is damaged.
    CorruptCompression,
    /// A pcapng packet names an interface the section never described.
    UnknownInterface,
    /// Frames of a link type this build cannot decode.
    UnsupportedLinkType,
    /// A link-layer header (Ethernet, VLAN, PPP, SLL, ...) that does not decode.
    MalformedLink,
    /// An IP header that does not decode.
    MalformedIp,
    /// The browser stopped reading the file part-way.
    ReadError,
    /// More flows than a report lists: the smallest are counted in their device's and
    /// destination's totals but not listed one by one.
    FlowsAggregated,
}

impl DiagnosticKind {
    pub const ALL: [DiagnosticKind; 10] = [
        DiagnosticKind::TruncatedFile,
        DiagnosticKind::CorruptBlock,
        DiagnosticKind::CorruptRecord,
        DiagnosticKind::CorruptCompression,
        DiagnosticKind::UnknownInterface,
        DiagnosticKind::UnsupportedLinkType,
        DiagnosticKind::MalformedLink,
        DiagnosticKind::MalformedIp,
        DiagnosticKind::ReadError,
        DiagnosticKind::FlowsAggregated,
    ];

    /// The stable name reports and share links use.
    pub fn as_str(self) -> &'static str {
        match self {
            DiagnosticKind::TruncatedFile => "truncated-file",
            DiagnosticKind::CorruptBlock => "corrupt-block",
            DiagnosticKind::CorruptRecord => "corrupt-record",
            DiagnosticKind::CorruptCompression => "corrupt-compression",
            DiagnosticKind::UnknownInterface => "unknown-interface",
            DiagnosticKind::UnsupportedLinkType => "unsupported-link-type",
            DiagnosticKind::MalformedLink => "malformed-link",
            DiagnosticKind::MalformedIp => "malformed-ip",
            DiagnosticKind::ReadError => "read-error",
            DiagnosticKind::FlowsAggregated => "flows-aggregated",
        }
    }

    /// The kind a stable name stands for.
    pub fn from_name(name: &str) -> Option<DiagnosticKind> {
        DiagnosticKind::ALL.into_iter().find(|kind| kind.as_str() == name)
    }

    /// Whether the report stops short of the end of the capture because of it.
    pub fn cuts_the_report(self) -> bool {
        matches!(self, DiagnosticKind::TruncatedFile | DiagnosticKind::ReadError)
    }
}

impl std::fmt::Display for DiagnosticKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_what_serde_writes_and_read_back() {
        for kind in DiagnosticKind::ALL {
            assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.as_str()));
            assert_eq!(DiagnosticKind::from_name(kind.as_str()), Some(kind));
        }
        assert_eq!(DiagnosticKind::from_name("no-such-kind"), None);
    }
}
