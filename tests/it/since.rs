//! `phonehome analyze NEW --since OLD` on generated captures: each destination says whether it
//! is new (neither its address nor any of its names in OLD), the same whether OLD is the
//! capture or its JSON report; without `--since` the field is absent; an OLD that cannot be
//! read ends the run with exit code 1 and a one-line reason.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use phonehome::synth::{generate, SynthConfig};
use serde_json::Value;

fn phonehome(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_phonehome")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

/// A folder of this test's files, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir().join(format!("phonehome-since-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    /// Writes `bytes` to `name` in the folder; its path as text.
    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.0).ok();
    }
}

/// A home network's capture: different seeds reach the same services at partly other addresses.
fn home(seed: u64) -> Vec<u8> {
    generate(&SynthConfig { seed, target_bytes: 300_000, vlan: true })
}

fn report(args: &[&str]) -> Value {
    let (code, stdout, stderr) = phonehome(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

fn strings(value: &Value) -> impl Iterator<Item = String> + '_ {
    value.as_array().into_iter().flatten().filter_map(|v| v.as_str()).map(str::to_string)
}

#[test]
fn since_a_capture_or_its_report_marks_the_same_destinations_new() {
    let folder = Folder::new("marks");
    let old = folder.write("old.pcap", &home(7));
    let new = folder.write("new.pcap", &home(8));
    let old_report = report(&["analyze", &old]);
    let (code, old_json, _) = phonehome(&["analyze", &old, "--home", "DE"]);
    assert_eq!(code, 0);
    let old_json = folder.write("old.json", old_json.as_bytes());

    // What OLD met, read from its report here rather than by the code under test.
    let old_destinations = old_report["destinations"].as_array().unwrap();
    let addresses: HashSet<String> = old_destinations.iter().map(|d| d["ip"].as_str().unwrap().to_string()).collect();
    let names: HashSet<String> = old_destinations.iter().flat_map(|d| strings(&d["names"])).collect();

    let marked = report(&["analyze", &new, "--since", &old]);
    let (mut by_name_only, mut new_ones) = (0, 0);
    for d in marked["destinations"].as_array().unwrap() {
        let ip = d["ip"].as_str().unwrap();
        let named_before = strings(&d["names"]).any(|n| names.contains(&n));
        let expected = !addresses.contains(ip) && !named_before;
        assert_eq!(d["new"].as_bool(), Some(expected), "{ip} {:?}", d["names"]);
        by_name_only += usize::from(!addresses.contains(ip) && named_before);
        new_ones += usize::from(expected);
    }
    assert!(by_name_only > 0, "some servers moved to another address but kept their name");
    assert!(new_ones > 0, "something is new");

    // The report of OLD says the same as OLD itself, to the byte.
    let (code, since_capture, _) = phonehome(&["analyze", &new, "--since", &old]);
    let (code_json, since_report, _) = phonehome(&["analyze", &new, "--since", &old_json]);
    assert_eq!((code, code_json), (0, 0));
    assert_eq!(since_report, since_capture);

    // Nothing is new since itself; without --since nobody says.
    let itself = report(&["analyze", &new, "--since", &new]);
    assert!(itself["destinations"].as_array().unwrap().iter().all(|d| d["new"] == Value::Bool(false)));
    let plain = report(&["analyze", &new]);
    assert!(plain["destinations"].as_array().unwrap().iter().all(|d| d.get("new").is_none()));

    // The text summary says how many, and since when.
    let (code, text, _) = phonehome(&["analyze", &new, "--since", &old, "--format", "text"]);
    assert_eq!(code, 0);
    let second = text.lines().nth(1).unwrap();
    assert!(second.starts_with(&format!("{new_ones} destination")), "{second}");
    assert!(second.contains("new since ") && second.ends_with(" 2024."), "{second}");
}

#[test]
fn an_old_file_that_cannot_be_read_exits_1_with_one_line() {
    let folder = Folder::new("bad");
    let new = folder.write("new.pcap", &home(8));
    let other_schema = folder.write("other.json", br#"{"schema": "someone.else/2", "devices": []}"#);
    let cut_report = folder.write("cut.json", b"{\"schema\": \"phonehome.report/1\", \"capt");
    let missing = Path::new(&folder.0).join("missing.pcap");
    for (old, reason) in [
        ("Cargo.toml", "not a pcap or pcapng capture"),
        (other_schema.as_str(), "not a phonehome report"),
        (cut_report.as_str(), "not a phonehome report"),
        (missing.to_str().unwrap(), "missing.pcap"),
    ] {
        let (code, stdout, stderr) = phonehome(&["analyze", &new, "--since", old]);
        assert_eq!((code, stdout.as_str()), (1, ""), "{old}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.starts_with("phonehome: ") && stderr.contains(reason), "{stderr}");
    }
}

#[test]
fn share_links_do_not_carry_what_is_new() {
    let folder = Folder::new("share");
    let old = folder.write("old.pcap", &home(7));
    let new = folder.write("new.pcap", &home(8));
    let (code, link, stderr) = phonehome(&["analyze", &new, "--since", &old, "--share-link"]);
    assert_eq!(code, 0, "{stderr}");
    let (_, fragment) = link.trim().split_once('#').unwrap();
    let shared = phonehome::share::decode(fragment, phonehome::geo::embedded()).unwrap();
    assert!(!shared.analysis.destinations.is_empty());
    assert!(shared.analysis.destinations.iter().all(|d| d.new.is_none()));
}
