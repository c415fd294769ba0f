//! The push API over the whole core: feed capture bytes in chunks of any size, then finish
//! to get a [`Report`].

use crate::report::model::Report;

/// User choices that shape the report but not the analysis.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Settings {
    /// ISO 3166-1 alpha-2 home country; `None` flags nothing as foreign.
    pub home: Option<String>,
    /// Watched countries, ISO 3166-1 alpha-2.
    pub watch: Vec<String>,
}

/// Why nothing at all could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FatalError {
    pub message: String,
}

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FatalError {}

/// How far the analysis has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes passed to [`Analyzer::feed`] (compressed bytes for compressed captures).
    pub bytes_in: u64,
    /// Packet records read so far.
    pub packets: u64,
}

/// Streaming analysis of one capture.
pub struct Analyzer {
    settings: Settings,
    progress: Progress,
}

impl Analyzer {
    pub fn new(settings: Settings) -> Self {
        Analyzer { settings, progress: Progress::default() }
    }

    /// Feeds the next bytes of the capture. Never fails: problems become diagnostics, and a
    /// stream that is not a capture at all is reported by [`Analyzer::finish`].
    pub fn feed(&mut self, chunk: &[u8]) {
        self.progress.bytes_in += chunk.len() as u64;
    }

    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// Ends the stream and builds the report.
    pub fn finish(self) -> Result<Report, FatalError> {
        let _ = self.settings;
        Err(FatalError { message: "not implemented".into() })
    }
}
