//! Reading a capture into the analyzer: in chunks, on a thread of its own so that copying the
//! next chunk out of the kernel (a tenth to a fifth of the time for a big file) overlaps the
//! analysis of this one. The same thread counts the bytes for the progress display and, for
//! the tables, hashes them into the capture's id, so neither costs the analysis any time. Also
//! what an earlier capture or report had met, for `--since`.

use std::io::Read;
use std::sync::mpsc;

use phonehome::report::compare::Known;
use phonehome::report::json;
use phonehome::tables::CaptureId;
use phonehome::Analyzer;

use crate::progress::Progress;

/// Read size: big enough to amortise system calls and the hand-over between the reading
/// thread and the analysis, small enough to stay cache-friendly.
const CHUNK: usize = 4 * 1024 * 1024;

/// What reading a whole input gave besides the analysis.
pub struct Fed {
    /// Bytes read.
    pub bytes: u64,
    /// The capture's id, when asked for and the input was read to its end.
    pub id: Option<String>,
}

/// Feeds `input` to the analyzer. With `identify`, the input is read to its end even once it
/// is known not to be a capture, so that it still gets its id; without, reading stops there.
/// `size`, when known, keeps the buffers of a small file small: most captures of a research
/// collection are kilobytes, and preparing a whole chunk for each would cost more than
/// analysing it.
pub fn feed(
    mut input: Box<dyn Read + Send>,
    size: Option<u64>,
    analyzer: &mut Analyzer,
    identify: bool,
    progress: &Progress,
) -> std::io::Result<Fed> {
    // One byte more than the file, so that its first read takes all of it.
    let chunk = size.map_or(CHUNK, |size| usize::try_from(size).unwrap_or(CHUNK).saturating_add(1).min(CHUNK));
    // One chunk waiting while another is read and a third analysed; the reader reuses the
    // chunks the analyzer is done with.
    let (full_tx, full_rx) = mpsc::sync_channel::<std::io::Result<Vec<u8>>>(1);
    let (done_tx, done_rx) = mpsc::channel::<Vec<u8>>();
    std::thread::scope(move |scope| {
        let reader = scope.spawn(move || {
            let mut id = identify.then(CaptureId::default);
            loop {
                let mut buf = done_rx.try_recv().unwrap_or_default();
                buf.resize(chunk, 0);
                let read = loop {
                    match input.read(&mut buf) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        other => break other,
                    }
                };
                if let Ok(n) = read {
                    id.iter_mut().for_each(|id| id.update(&buf[..n]));
                    progress.read(n);
                }
                let end = matches!(read, Ok(0));
                let last = !matches!(read, Ok(n) if n > 0);
                let sent = full_tx.send(read.map(|n| {
                    buf.truncate(n);
                    buf
                }));
                if last || sent.is_err() {
                    // The id only of an input read to its end.
                    return id.filter(|_| end && sent.is_ok()).map(CaptureId::finish);
                }
            }
        });
        let mut bytes = 0u64;
        let fed = (|| {
            // Leaving (at the end, on an error or early) drops `full_rx`, which ends the reader.
            for chunk in full_rx {
                let chunk = chunk?;
                if chunk.is_empty() {
                    break;
                }
                bytes += chunk.len() as u64;
                if analyzer.rejected().is_none() {
                    analyzer.feed(&chunk);
                } else if !identify {
                    break;
                }
                // The reader may have finished: then the chunk is simply dropped.
                let _ = done_tx.send(chunk);
            }
            Ok(())
        })();
        let id = reader.join().unwrap_or(None);
        fed.map(|()| Fed { bytes, id })
    })
}

/// A plain (uncompressed) capture file at least this big is analysed by several threads, each
/// reading the whole file (see [`Analyzer::shard`]); below it, threads cost more than they
/// save.
pub const SHARDED_FROM: u64 = 64 << 20;

/// Read size of each shard's thread. Measured on a busy gateway's gigabyte with two threads:
/// 256 KiB, 1 MiB and 4 MiB all within the noise (0.65-0.69 s); mapping the file instead
/// (memmap2, 4 and 64 MiB windows, with and without populating them) was slower, 0.72-0.86 s.
const SHARD_CHUNK: usize = 1 << 20;

/// Whether `path` is a capture worth reading by `threads` shards: big enough, and not
/// compressed (every shard would decompress all of it).
pub fn worth_sharding(path: &std::path::Path, size: u64, threads: usize) -> bool {
    if threads < 2 || size < SHARDED_FROM {
        return false;
    }
    let mut head = [0u8; 8];
    let read = std::fs::File::open(path).and_then(|mut file| file.read_exact(&mut head));
    read.is_ok() && phonehome::capture::Compression::sniff(&head).is_none()
}

/// Feeds one capture, `input` opened from `path` (`size` when known): a big uncompressed file
/// by `jobs` shards side by side, anything else by one analyzer. The analyzers, to finish
/// with `Analyzer::finish_shards`.
pub fn feed_one(
    path: &std::path::Path,
    input: Box<dyn Read + Send>,
    size: Option<u64>,
    jobs: usize,
    progress: &Progress,
) -> std::io::Result<Vec<Analyzer>> {
    match size {
        Some(size) if worth_sharding(path, size, jobs) => {
            drop(input);
            feed_shards(path, jobs, progress)
        }
        _ => {
            let mut analyzer = Analyzer::new();
            feed(input, size, &mut analyzer, false, progress)?;
            Ok(vec![analyzer])
        }
    }
}

/// Reads the capture at `path` with `count` analyzers side by side, each on a thread of its
/// own reading the whole file; finished together by `Analyzer::finish_shards`. The first
/// thread counts the bytes for the progress display.
pub fn feed_shards(path: &std::path::Path, count: usize, progress: &Progress) -> std::io::Result<Vec<Analyzer>> {
    std::thread::scope(|scope| {
        let threads: Vec<_> = (0..count)
            .map(|index| {
                scope.spawn(move || -> std::io::Result<Analyzer> {
                    let mut file = std::fs::File::open(path)?;
                    let mut analyzer = Analyzer::shard(index, count);
                    let mut buf = vec![0u8; SHARD_CHUNK];
                    loop {
                        let n = match file.read(&mut buf) {
                            Ok(0) => break,
                            Ok(n) => n,
                            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                            Err(e) => return Err(e),
                        };
                        if index == 0 {
                            progress.read(n);
                        }
                        analyzer.feed(&buf[..n]);
                        if analyzer.rejected().is_some() {
                            break;
                        }
                    }
                    Ok(analyzer)
                })
            })
            .collect();
        threads
            .into_iter()
            .map(|thread| thread.join().unwrap_or_else(|_| Err(std::io::Error::other("a reading thread failed"))))
            .collect()
    })
}

/// What an earlier capture or phonehome JSON report had met, for `--since`. A report is
/// told from a capture by its first character; either that cannot be read is an error.
pub fn known_of(path: &std::path::Path) -> Result<Known, String> {
    use std::io::BufRead;
    let shown = path.display();
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: {e}"))?;
    let mut input = std::io::BufReader::with_capacity(1 << 16, file);
    let first = input.fill_buf().map_err(|e| format!("{shown}: {e}"))?.iter().find(|b| !b.is_ascii_whitespace());
    if first == Some(&b'{') {
        let mut text = String::new();
        input.read_to_string(&mut text).map_err(|e| format!("{shown}: {e}"))?;
        return json::known_from_json(&text).map_err(|e| format!("{shown}: {e}"));
    }
    let mut analyzer = Analyzer::new();
    feed(Box::new(input), None, &mut analyzer, false, &Progress::hidden()).map_err(|e| format!("{shown}: {e}"))?;
    // Only addresses and names are compared: no table needed.
    let earlier = analyzer.finish(None).map_err(|e| format!("{shown}: {e}"))?;
    Ok(Known::of(&earlier))
}
