//! The pcapng conformance suite (both byte orders): every file is read with the packet count
//! its description gives and the timestamps tshark reads, fed in chunks of several sizes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use phonehome::capture::{CaptureReader, Frame, Sink};

const SUITE: &str = "tests/captures/pcapng-suite";

#[derive(Default)]
struct Frames {
    ts_ns: Vec<i64>,
}

impl Sink for Frames {
    fn frame(&mut self, frame: Frame<'_>) {
        self.ts_ns.push(frame.ts_ns);
    }
    fn notice(&mut self, _kind: phonehome::diagnostic::DiagnosticKind, _packet: u64, _message: String) {}
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "pcapng") {
            out.push(path);
        }
    }
}

/// Packet blocks the suite's description lists: enhanced, simple and obsolete packet blocks.
fn expected_packets(description: &str) -> u64 {
    description
        .lines()
        .filter_map(|line| line.trim().split_once(':'))
        .filter(|(block, _)| matches!(*block, "EPB" | "SPB" | "PB" | "OPB"))
        .map(|(_, n)| n.trim().parse::<u64>().unwrap())
        .sum()
}

fn tshark_timestamps() -> HashMap<String, Vec<i64>> {
    let text = std::fs::read_to_string(Path::new(SUITE).join("timestamps.tsv")).unwrap();
    text.lines()
        .filter(|l| !l.starts_with('#'))
        .map(|line| {
            let (file, list) = line.split_once('\t').unwrap_or((line, ""));
            let ts = list.split(',').filter(|t| !t.is_empty()).map(parse_epoch).collect();
            (file.to_string(), ts)
        })
        .collect()
}

/// "1340954905.298858000" to nanoseconds, exactly.
fn parse_epoch(text: &str) -> i64 {
    let (secs, frac) = text.split_once('.').unwrap_or((text, "0"));
    let frac = format!("{frac:0<9}");
    secs.parse::<i64>().unwrap() * 1_000_000_000 + frac[..9].parse::<i64>().unwrap()
}

#[test]
fn every_suite_file_has_its_packets_and_timestamps() {
    let mut paths = Vec::new();
    files(Path::new(SUITE), &mut paths);
    paths.sort();
    assert!(paths.len() >= 48, "the suite is missing: {} files", paths.len());
    let tshark = tshark_timestamps();
    let mut failures = Vec::new();
    for path in &paths {
        let bytes = std::fs::read(path).unwrap();
        let description = std::fs::read_to_string(path.with_extension("txt")).unwrap();
        let rel = path.strip_prefix(SUITE).unwrap().to_string_lossy().to_string();
        for chunk in [1, 7, 4096, 1 << 20] {
            let mut reader = CaptureReader::new();
            let mut frames = Frames::default();
            for piece in bytes.chunks(chunk) {
                reader.feed(piece, &mut frames);
            }
            reader.finish(&mut frames);
            let expected = expected_packets(&description);
            if frames.ts_ns.len() as u64 != expected {
                failures.push(format!("{rel} (chunk {chunk}): {} packets, expected {expected}", frames.ts_ns.len()));
                continue;
            }
            if let Some(problem) = reader.problem() {
                failures.push(format!("{rel}: unexpected problem {problem:?}"));
            }
            // Every timestamp tshark reads is one of ours, in order; simple packet blocks
            // carry none, so files with them may have more of ours.
            let theirs = tshark.get(&rel).cloned().unwrap_or_default();
            let mut ours = frames.ts_ns.iter();
            for t in &theirs {
                if !ours.any(|o| o == t) {
                    failures.push(format!("{rel}: tshark timestamp {t} not found in order in {:?}", frames.ts_ns));
                    break;
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
