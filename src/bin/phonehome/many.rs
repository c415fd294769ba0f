//! `phonehome analyze FILE... --out DIR`: many captures analysed in parallel into the five
//! tables of `phonehome::tables`. Each worker thread analyses one capture at a time (with the
//! bounded memory of one analysis) and hands its rows to this thread, which writes them in
//! the order the files were given, whatever order the workers finish in: the same inputs
//! always give the same files. Workers may run at most [`AHEAD`] captures per worker past the
//! last one written, so a slow capture at the head cannot make finished rows pile up.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Condvar, Mutex};

use phonehome::report::verdict::{judge, Viewpoint};
use phonehome::tables::{capture_rows, CaptureFile, Table, TableFormat, TableRows, TableWriter};
use phonehome::{geo, Analyzer, Report};

use crate::input;
use crate::progress::Progress;

/// Captures each worker may have finished and waiting to be written.
const AHEAD: usize = 2;

pub struct Job {
    pub files: Vec<String>,
    pub out: PathBuf,
    pub format: TableFormat,
    pub viewpoint: Viewpoint,
    /// Worker threads.
    pub jobs: usize,
}

/// Runs the job; 0 when every capture was read, 1 when any could not be (each is a row of
/// `captures` with its error, and said on stderr) or the tables could not be written.
pub fn run(job: Job) -> i32 {
    let mut writers = match open(&job) {
        Ok(writers) => writers,
        Err(message) => {
            eprintln!("phonehome: {message}");
            return 1;
        }
    };
    let total: u64 = job.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let progress = Progress::new(job.files.len(), total);
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many captures are written: workers wait on it before running too far ahead.
    let written = (Mutex::new(0usize), Condvar::new());
    let window = AHEAD * job.jobs.max(1);
    let mut unreadable = 0usize;
    let mut write_error: Option<String> = None;
    std::thread::scope(|scope| {
        let (tx, rx) = mpsc::channel::<(usize, TableRows, Option<String>)>();
        for _ in 0..job.jobs.clamp(1, job.files.len().max(1)) {
            let (tx, job, progress, next, stop, written) = (tx.clone(), &job, &progress, &next, &stop, &written);
            scope.spawn(move || loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = job.files.get(index) else { return };
                // The capture at the head is always claimed, so the head always advances.
                let mut count = written.0.lock().unwrap_or_else(|e| e.into_inner());
                while index >= *count + window && !stop.load(Ordering::Relaxed) {
                    count = written.1.wait(count).unwrap_or_else(|e| e.into_inner());
                }
                drop(count);
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let (rows, error) = analyse(path, &job.viewpoint, progress);
                progress.capture_done();
                if tx.send((index, rows, error)).is_err() {
                    return;
                }
            });
        }
        drop(tx);
        let mut waiting = BTreeMap::new();
        let mut head = 0;
        for (index, rows, error) in rx {
            if let Some(error) = error {
                progress.say(&format!("phonehome: {}: {error}", job.files[index]));
                unreadable += 1;
            }
            waiting.insert(index, rows);
            while let Some(rows) = waiting.remove(&head) {
                if write_error.is_none() {
                    if let Err(e) = write(&mut writers, &rows) {
                        write_error = Some(e.to_string());
                        stop.store(true, Ordering::Relaxed);
                    }
                }
                head += 1;
                *written.0.lock().unwrap_or_else(|e| e.into_inner()) = head;
                written.1.notify_all();
            }
        }
    });
    for writer in writers {
        if let Err(e) = writer.finish() {
            write_error.get_or_insert(e.to_string());
        }
    }
    progress.finish();
    if let Some(e) = write_error {
        eprintln!("phonehome: writing the tables in {}: {e}", job.out.display());
        return 1;
    }
    let read = job.files.len() - unreadable;
    eprintln!(
        "phonehome: {read} of {} captures read; tables written to {}",
        job.files.len(),
        job.out.join(format!("*.{}", job.format.extension())).display()
    );
    i32::from(unreadable > 0)
}

/// One writer per table, in `Table::ALL`'s order, each on its file in the output folder.
fn open(job: &Job) -> Result<Vec<Box<dyn TableWriter>>, String> {
    std::fs::create_dir_all(&job.out).map_err(|e| format!("{}: {e}", job.out.display()))?;
    Table::ALL
        .iter()
        .map(|table| {
            let path = job.out.join(format!("{}.{}", table.name(), job.format.extension()));
            std::fs::File::create(&path)
                .and_then(|file| job.format.writer(*table, file))
                .map_err(|e| format!("{}: {e}", path.display()))
        })
        .collect()
}

fn write(writers: &mut [Box<dyn TableWriter>], rows: &TableRows) -> std::io::Result<()> {
    for (writer, table) in writers.iter_mut().zip(Table::ALL) {
        writer.write(rows.of(table))?;
    }
    Ok(())
}

/// One capture's rows, and why it could not be read when it could not.
fn analyse(path: &str, viewpoint: &Viewpoint, progress: &Progress) -> (TableRows, Option<String>) {
    let unread = |error: String| {
        let file = CaptureFile { path: path.to_string(), bytes: None, id: None };
        (capture_rows(&file, Err(&error)), Some(error))
    };
    let input = match std::fs::File::open(path) {
        Ok(input) => input,
        Err(e) => return unread(e.to_string()),
    };
    let size = input.metadata().ok().map(|m| m.len());
    let mut analyzer = Analyzer::new();
    let fed = match input::feed(Box::new(input), size, &mut analyzer, true, progress) {
        Ok(fed) => fed,
        Err(e) => return unread(e.to_string()),
    };
    let file = CaptureFile { path: path.to_string(), bytes: Some(fed.bytes), id: fed.id };
    match analyzer.finish(geo::embedded()) {
        Ok(analysis) => {
            let verdicts = judge(&analysis, viewpoint.clone());
            (capture_rows(&file, Ok(Report::new(&analysis, &verdicts))), None)
        }
        Err(e) => (capture_rows(&file, Err(&e.message)), Some(e.message)),
    }
}
