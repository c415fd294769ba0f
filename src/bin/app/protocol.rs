//! The messages between the page and the analysis worker: a small, closed, versioned set.
//!
//! This is an interface boundary (page and worker files can be cached separately), so every
//! message carries [`VERSION`] and both sides refuse a message of another version instead of
//! misreading it. Messages travel as JSON text: the worker already has to serialise the report,
//! and text keeps the numbers exact (no JavaScript number conversions).
//!
//! - page -> worker: `{ start: <JSON of Start>, file: Blob }`. The `Blob` (usually a `File`) is
//!   posted as an object, which copies no bytes; the worker reads it in slices. The analysis
//!   does not depend on the user's countries, so the request carries none: the page judges
//!   the analysis it receives itself, and again whenever the user changes a country.
//! - page -> worker: `{ open: <JSON of OpenShared> }`: read a share link's fragment. Only the
//!   worker can: opening a link looks up every address again in the IP table, which only the
//!   worker holds. The page uses it both to open a link and to preview the one it makes.
//! - page -> worker: `{ query: <JSON of Query> }`: a question about the analysis the worker
//!   made last, which it keeps: the flows of one destination, or a whole export. The page holds
//!   what it shows (devices, destinations, their totals), not every flow.
//! - page -> worker: `{ compare: <JSON of Compare>, file: Blob }`: an earlier capture or
//!   phonehome JSON report to compare the analysis it holds with; it marks what is new and
//!   answers [`FromWorker::Compared`] (or [`FromWorker::CompareFailed`], the report unchanged).
//! - worker -> page: JSON of [`Envelope`] holding one [`FromWorker`] message. What the worker
//!   sends the page is decided here and only here.
//! - worker -> page: `{ v, exported: <id>, name, type, blob: Blob }`: an export, as a `Blob` the
//!   worker wrote (a report of a million flows is not copied into the page's memory as text).
//! - worker -> page: `{ v, done: [ArrayBuffer], flows }`: the analysis ([`FromWorker::Done`])
//!   as postcard bytes in pieces (`analysis_pieces.rs`), each a transferred buffer: compact,
//!   moved rather than copied, read without a text parser, and copied into the page's memory
//!   one piece at a time. Postcard is the share link's format too.
//!
//! Cancelling is not a message: the page terminates the worker and starts a fresh one.
//! This file is shared by the `app` and `worker` binaries (the worker includes it by path).

use crate::export::Export;
use phonehome::country::CountryCode;
use phonehome::report::model::{Address, Flow};
use phonehome::Analysis;
use serde::{Deserialize, Serialize};

/// Version of this message set; bump on any incompatible change. (2: share links; 3: the
/// typed analysis, without verdicts; 4: the analysis in pieces.)
pub const VERSION: u32 = 4;

/// Name of the property of the start message that holds the JSON of [`Start`].
pub const START_KEY: &str = "start";
/// Name of the property of the start message that holds the capture `Blob`.
pub const FILE_KEY: &str = "file";
/// Name of the property of the open message that holds the JSON of [`OpenShared`].
pub const OPEN_KEY: &str = "open";
/// Name of the property of the compare message that holds the JSON of [`Compare`] (its file
/// is under [`FILE_KEY`]).
pub const COMPARE_KEY: &str = "compare";
/// Name of the property of the query message that holds the JSON of [`Query`].
pub const QUERY_KEY: &str = "query";
/// Properties of the worker's export message: the query's id, the file's name and media
/// type, and the `Blob`.
pub const EXPORTED_KEY: &str = "exported";
pub const EXPORT_NAME_KEY: &str = "name";
pub const EXPORT_TYPE_KEY: &str = "type";
pub const EXPORT_BLOB_KEY: &str = "blob";
/// Properties of the worker's analysis message: the bytes, and how many flows it holds.
pub const DONE_KEY: &str = "done";
pub const DONE_FLOWS_KEY: &str = "flows";

/// Page to worker: a question about the analysis it made last. The answer carries `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Query {
    pub v: u32,
    pub id: u32,
    pub ask: Ask,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Ask {
    /// Every flow with this destination, in time order ([`FromWorker::Flows`]).
    Flows { destination: Address },
    /// A whole rendering of the report, judged for these countries (the export message).
    Export { export: Export, home: Option<CountryCode>, watch: Vec<CountryCode> },
}

/// Page to worker: analyse the capture posted alongside.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Start {
    pub v: u32,
}

/// Page to worker: compare the analysis held with the earlier capture or report posted
/// alongside. The answer carries `id`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compare {
    pub v: u32,
    pub id: u32,
}

/// Page to worker: read this share-link fragment (`r=...`, without the `#`). The answer
/// carries the same `id`, so the page can tell a preview's answer from a link it opens.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OpenShared {
    pub v: u32,
    pub id: u32,
    pub fragment: String,
}

/// Worker to page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FromWorker {
    /// The worker's wasm is initialised and its IP table settled (loaded, or known to be
    /// unavailable): requests posted from now on are received and answered with that table.
    /// Only the worker holds the table (it is megabytes large), so the page learns its date,
    /// or why it could not be loaded, from here. Without a table, reports and shared reports
    /// have no AS or country, and so no destination is foreign.
    Ready {
        geo_table_date: Option<String>,
        /// Why the table could not be loaded (for instance the browser is offline); absent
        /// when it was loaded. (Added within version 2: absent means loaded, to older pages too.)
        #[serde(default, skip_serializing_if = "Option::is_none")]
        geo_table_error: Option<String>,
    },
    Progress {
        bytes_read: u64,
        bytes_total: u64,
        packets: u64,
    },
    /// The analysis, without its flows: the worker keeps them, and `flows` says how many
    /// there are (the page asks for those of one destination, [`Ask::Flows`]). Posted as
    /// bytes (the `done` message), not as text.
    Done {
        analysis: Box<Analysis>,
        flows: u64,
    },
    /// The answer to [`Ask::Flows`].
    Flows {
        id: u32,
        flows: Vec<Flow>,
    },
    /// Nothing usable could be read; the message says why in the user's terms.
    Error {
        message: String,
    },
    /// The report a share link holds (answer to [`OpenShared`]), as a recipient sees it:
    /// networks and countries looked up again in this worker's table, and the sender's
    /// countries.
    Shared {
        id: u32,
        analysis: Box<Analysis>,
        home: Option<CountryCode>,
        watch: Vec<CountryCode>,
        /// When the link was made, Unix seconds.
        created: u64,
        /// Date of the IP table the sender used.
        table_date: Option<String>,
        /// Set when the sender shared only the top destinations: how many there were.
        total_destinations: Option<u32>,
        /// Whether the sender replaced local addresses and MACs with labels.
        redacted: bool,
    },
    /// The link could not be read; the message is the one to show (from `DamagedLink`).
    DamagedLink {
        id: u32,
        message: String,
    },
    /// The answer to [`Compare`]: indexes (into the analysis's destinations) of those new
    /// since the earlier capture or report, and when that one's capture started (Unix seconds).
    Compared {
        id: u32,
        new: Vec<u32>,
        since: Option<f64>,
    },
    /// The earlier file could not be read; the message says why, for the user.
    CompareFailed {
        id: u32,
        message: String,
    },
}

/// The versioned wrapper around every worker message. The message is externally tagged
/// (`{"done": {...}}`) so the large analysis parses in one pass, without buffering.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope {
    pub v: u32,
    pub message: FromWorker,
}

/// Why a worker message could not be understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The page and the worker come from different builds (a stale cached file).
    Version {
        found: u32,
    },
    Malformed(String),
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Version { found } => write!(
                f,
                "the analysis worker speaks message version {found}, the page version {VERSION}; \
                 reload the page to get matching files"
            ),
            DecodeError::Malformed(why) => {
                write!(f, "the analysis worker sent a message the page does not understand ({why})")
            }
        }
    }
}

/// Serialises a worker message. Serialising our own plain data cannot fail; should it ever,
/// the fallback is still a well-formed error message, so the page is never left waiting.
pub fn encode(message: &FromWorker) -> String {
    /// [`Envelope`] around a borrowed message: the worker keeps what it sends.
    #[derive(Serialize)]
    struct Borrowed<'a> {
        v: u32,
        message: &'a FromWorker,
    }
    serde_json::to_string(&Borrowed { v: VERSION, message }).unwrap_or_else(|e| {
        format!(
            r#"{{"v":{VERSION},"message":{{"error":{{"message":{}}}}}}}"#,
            serde_json::Value::String(format!("the report could not be serialised: {e}"))
        )
    })
}

/// Parses a worker message and checks its version.
pub fn decode(text: &str) -> Result<FromWorker, DecodeError> {
    /// Reads only the version of a message whose body this build does not know.
    #[derive(Deserialize)]
    struct VersionOnly {
        v: u32,
    }
    match serde_json::from_str::<Envelope>(text) {
        Ok(envelope) if envelope.v == VERSION => Ok(envelope.message),
        Ok(envelope) => Err(DecodeError::Version { found: envelope.v }),
        Err(error) => match serde_json::from_str::<VersionOnly>(text) {
            Ok(VersionOnly { v }) if v != VERSION => Err(DecodeError::Version { found: v }),
            _ => Err(DecodeError::Malformed(error.to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(message: FromWorker, expected_json: &str) {
        let text = encode(&message);
        assert_eq!(text, expected_json);
        assert_eq!(decode(&text), Ok(message));
    }

    #[test]
    fn small_messages_have_a_stable_shape() {
        check(
            FromWorker::Ready { geo_table_date: Some("2026-06-17".into()), geo_table_error: None },
            r#"{"v":4,"message":{"ready":{"geo_table_date":"2026-06-17"}}}"#,
        );
        check(
            FromWorker::Ready { geo_table_date: None, geo_table_error: Some("offline".into()) },
            r#"{"v":4,"message":{"ready":{"geo_table_date":null,"geo_table_error":"offline"}}}"#,
        );
        check(
            FromWorker::Progress { bytes_read: 4, bytes_total: 10, packets: 2 },
            r#"{"v":4,"message":{"progress":{"bytes_read":4,"bytes_total":10,"packets":2}}}"#,
        );
        check(
            FromWorker::Error { message: "not a capture".into() },
            r#"{"v":4,"message":{"error":{"message":"not a capture"}}}"#,
        );
    }

    #[test]
    fn another_version_is_refused_by_name() {
        assert_eq!(decode(r#"{"v":2,"message":"ready"}"#), Err(DecodeError::Version { found: 2 }));
        assert!(matches!(decode(r#"{"v":4,"message":"ready"}"#), Err(DecodeError::Malformed(_))));
        assert_eq!(decode(r#"{"v":7,"message":{"future":{"x":1}}}"#), Err(DecodeError::Version { found: 7 }));
    }

    #[test]
    fn garbage_is_malformed_not_a_panic() {
        for text in ["", "{", "null", r#"{"v":4}"#, r#"{"v":4,"message":{"done":{}}}"#] {
            assert!(matches!(decode(text), Err(DecodeError::Malformed(_))), "{text}");
        }
    }

    #[test]
    fn share_link_messages_have_a_stable_shape() {
        let open = OpenShared { v: VERSION, id: 3, fragment: "r=AQ".into() };
        let text = serde_json::to_string(&open).unwrap();
        assert_eq!(text, r#"{"v":4,"id":3,"fragment":"r=AQ"}"#);
        assert_eq!(serde_json::from_str::<OpenShared>(&text).unwrap(), open);
        check(
            FromWorker::DamagedLink { id: 3, message: "This link is damaged.".into() },
            r#"{"v":4,"message":{"damaged-link":{"id":3,"message":"This link is damaged."}}}"#,
        );
        let shared = FromWorker::Shared {
            id: 4,
            analysis: Box::new(crate::fixtures::analysis(vec![crate::fixtures::destination("20.0.0.1", Some("US"))])),
            home: Some(crate::fixtures::code("US")),
            watch: vec![crate::fixtures::code("CN")],
            created: 1_780_000_000,
            table_date: Some("2026-06-17".into()),
            total_destinations: Some(900),
            redacted: true,
        };
        assert_eq!(decode(&encode(&shared)), Ok(shared));
    }

    #[test]
    fn questions_and_their_answers_have_a_stable_shape() {
        let destination: Address = "180.76.76.76".parse().unwrap();
        let flows = Query { v: VERSION, id: 5, ask: Ask::Flows { destination } };
        let text = serde_json::to_string(&flows).unwrap();
        assert_eq!(text, r#"{"v":4,"id":5,"ask":{"flows":{"destination":"180.76.76.76"}}}"#);
        assert_eq!(serde_json::from_str::<Query>(&text).unwrap(), flows);
        let code = crate::fixtures::code;
        let export = Query {
            v: VERSION,
            id: 6,
            ask: Ask::Export { export: Export::FlowsCsv, home: Some(code("US")), watch: vec![code("CN")] },
        };
        let text = serde_json::to_string(&export).unwrap();
        assert_eq!(text, r#"{"v":4,"id":6,"ask":{"export":{"export":"flows-csv","home":"US","watch":["CN"]}}}"#);
        assert_eq!(serde_json::from_str::<Query>(&text).unwrap(), export);
        check(FromWorker::Flows { id: 5, flows: vec![] }, r#"{"v":4,"message":{"flows":{"id":5,"flows":[]}}}"#);
        let done = FromWorker::Done { analysis: Box::new(crate::fixtures::analysis(vec![])), flows: 12 };
        assert_eq!(decode(&encode(&done)), Ok(done));
    }

    #[test]
    fn the_worker_boot_script_speaks_this_version() {
        // It writes its one message (the wasm could not start) by hand.
        let script = include_str!("../../../www/worker_boot.js");
        assert!(script.contains(&format!("JSON.stringify({{ v: {VERSION}, message:")), "www/worker_boot.js");
        assert!(script.contains(&format!("message version {VERSION})")), "www/worker_boot.js names the version");
    }

    #[test]
    fn comparing_has_a_stable_shape() {
        let compare = Compare { v: VERSION, id: 8 };
        assert_eq!(serde_json::to_string(&compare).unwrap(), r#"{"v":4,"id":8}"#);
        check(
            FromWorker::Compared { id: 8, new: vec![0, 4], since: Some(1_793_620_800.0) },
            r#"{"v":4,"message":{"compared":{"id":8,"new":[0,4],"since":1793620800.0}}}"#,
        );
        check(
            FromWorker::CompareFailed { id: 8, message: "not a capture".into() },
            r#"{"v":4,"message":{"compare-failed":{"id":8,"message":"not a capture"}}}"#,
        );
    }

    #[test]
    fn start_round_trips() {
        let start = Start { v: VERSION };
        let text = serde_json::to_string(&start).unwrap();
        assert_eq!(text, r#"{"v":4}"#);
        assert_eq!(serde_json::from_str::<Start>(&text).unwrap(), start);
    }
}
