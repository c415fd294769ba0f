//! Progress of long work on stderr: captures done, bytes read, MB/s and the time left. Drawn
//! only when stderr is a terminal, so it never reaches a file, a pipe or a test's captured
//! output, and never stdout, where the data goes. The only user of indicatif.

use std::io::IsTerminal;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A single capture smaller than this is read in about a second: no display for it.
pub const LARGE_CAPTURE: u64 = 256 * 1024 * 1024;

pub struct Progress {
    bar: Option<ProgressBar>,
    files: usize,
    done: AtomicUsize,
}

impl Progress {
    /// Nothing shown.
    pub fn hidden() -> Progress {
        Progress { bar: None, files: 0, done: AtomicUsize::new(0) }
    }

    /// A display of `files` captures of `total_bytes` in all, if stderr is a terminal.
    pub fn new(files: usize, total_bytes: u64) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let style = ProgressStyle::with_template(
            "{msg} {decimal_bytes}/{decimal_total_bytes} at {decimal_bytes_per_sec}, {eta} left {wide_bar}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        let bar = ProgressBar::with_draw_target(Some(total_bytes), ProgressDrawTarget::stderr()).with_style(style);
        bar.enable_steady_tick(Duration::from_millis(250));
        let progress = Progress { bar: Some(bar), files, done: AtomicUsize::new(0) };
        progress.show_files(0);
        progress
    }

    /// `bytes` more were read.
    pub fn read(&self, bytes: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(bytes as u64);
        }
    }

    /// One more capture is done.
    pub fn capture_done(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        self.show_files(done);
    }

    fn show_files(&self, done: usize) {
        if let Some(bar) = &self.bar {
            let noun = if self.files == 1 { "capture" } else { "captures" };
            bar.set_message(format!("{done}/{} {noun}", self.files));
        }
    }

    /// Prints a line to stderr above the display.
    pub fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }

    /// Takes the display off the terminal.
    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
