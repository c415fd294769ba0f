//! Robustness on a corpus of real captures: every file under `../shared/captures` (or the
//! folder in `PHONEHOME_CORPUS`), readable or not, goes through the analyzer in 64 KiB chunks,
//! and none may panic. Skipped, with a message, when the folder does not exist: the corpus is
//! not part of the repository.

use std::cell::RefCell;
use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use phonehome::{geo, Analyzer};

const CHUNK: usize = 64 * 1024;

thread_local! {
    /// The file this thread is analysing, for the panic hook.
    static CURRENT: RefCell<Option<PathBuf>> = const { RefCell::new(None) };
}

/// Names the file in every panic message of the corpus thread. Some panics cannot unwind (a
/// failed precondition check inside a dependency's `unsafe` code aborts the whole test binary)
/// and only the hook gets to say which file caused them. Written straight to stderr, because
/// the test harness's capture is lost on abort.
fn name_the_file_in_panics() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            CURRENT.with(|current| {
                if let Some(path) = current.borrow().as_ref() {
                    let _ = writeln!(std::io::stderr(), "corpus: panic while analysing {}", path.display());
                }
            });
            previous(info);
        }));
    });
}

fn corpus_dir() -> PathBuf {
    match std::env::var_os("PHONEHOME_CORPUS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/captures"),
    }
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn no_file_in_the_corpus_panics_the_analyzer() {
    let dir = corpus_dir();
    if !dir.is_dir() {
        eprintln!("corpus {} not found: skipped (set PHONEHOME_CORPUS to run it)", dir.display());
        return;
    }
    name_the_file_in_panics();
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let started = Instant::now();
    let (mut total, mut reports, mut panicked) = (0u64, 0usize, Vec::new());
    let mut slowest: Vec<(Duration, PathBuf)> = Vec::new();
    for path in &paths {
        let Ok(bytes) = std::fs::read(path) else { continue };
        total += bytes.len() as u64;
        let t = Instant::now();
        CURRENT.with(|current| *current.borrow_mut() = Some(path.clone()));
        let outcome = panic::catch_unwind(AssertUnwindSafe(|| {
            let mut analyzer = Analyzer::new();
            for chunk in bytes.chunks(CHUNK) {
                analyzer.feed(chunk);
            }
            analyzer.finish(geo::embedded()).is_ok()
        }));
        CURRENT.with(|current| *current.borrow_mut() = None);
        slowest.push((t.elapsed(), path.clone()));
        match outcome {
            Ok(read) => reports += usize::from(read),
            Err(cause) => {
                let why = cause
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| cause.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                panicked.push(format!("{}: {why}", path.display()));
            }
        }
    }
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    eprintln!(
        "corpus: {} files, {:.1} MB, {} read as captures, {} panicked, {:.1} s; slowest: {:?}",
        paths.len(),
        total as f64 / 1e6,
        reports,
        panicked.len(),
        started.elapsed().as_secs_f64(),
        slowest.iter().take(3).map(|(d, p)| (d.as_secs_f64(), p.file_name())).collect::<Vec<_>>()
    );
    assert!(!paths.is_empty(), "corpus folder {} is empty", dir.display());
    assert!(panicked.is_empty(), "{} files panicked the analyzer:\n{}", panicked.len(), panicked.join("\n"));
}
