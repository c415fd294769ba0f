//! The `phonehome` command line as scripts use it: subcommands, flags, output formats and
//! exit codes are an interface.

use std::process::Command;

use phonehome::report::json;
use phonehome::report::verdict::judge;
use phonehome::scope::Scope;
use phonehome::{geo, Report};

fn phonehome(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_phonehome")).args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

const CAPTURE: &str = "tests/captures/suricata-verify__tls-tls-subjectaltname-input.pcap";

#[test]
fn analyze_json_is_the_report_contract() {
    let (code, stdout, _) = phonehome(&["analyze", CAPTURE, "--home", "us", "--watch", "RU,CN"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["schema"], "phonehome.report/1");
    assert_eq!(json["home_country"], "US");
    assert_eq!(json["watch"], serde_json::json!(["RU", "CN"]));
    for key in ["format", "packets", "bytes", "first_ts", "last_ts", "link_types", "diagnostics"] {
        assert!(json["capture"].get(key).is_some(), "capture.{key}");
    }
    let flow = &json["flows"][0];
    for key in ["proto", "client", "server", "c2s", "s2c", "first_ts", "last_ts", "name", "name_source"] {
        assert!(flow.get(key).is_some(), "flows[].{key}");
    }
    let yandex = json["destinations"].as_array().unwrap().iter().find(|d| d["ip"] == "93.158.134.119").unwrap();
    assert_eq!(
        (yandex["country"].as_str(), yandex["foreign"].as_bool(), yandex["watched"].as_bool()),
        (Some("RU"), Some(true), Some(true))
    );
    assert!(yandex["names"].as_array().unwrap().iter().any(|n| n == "mc.yandex.ru"));
    // The typed model reads it back, and writes the same bytes.
    let (analysis, viewpoint) = json::from_json(&stdout).unwrap();
    let verdicts = judge(&analysis, viewpoint);
    assert_eq!(json::to_json(Report::new(&analysis, &verdicts)), stdout);
}

#[test]
fn csv_and_text_formats() {
    let (code, csv, _) = phonehome(&["analyze", CAPTURE, "--format", "csv"]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert!(lines.next().unwrap().starts_with("ip,scope,names,asn,as_org,country,foreign,watched"));
    assert!(lines.count() >= 30);
    let (code, text, _) = phonehome(&["analyze", CAPTURE, "--format", "text", "--home", "US"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("1 device talked to"), "{text}");
    assert!(text.contains("FOREIGN") && text.contains("mc.yandex.ru"));
    let (code, flows, _) = phonehome(&["analyze", CAPTURE, "--flows-csv"]);
    assert_eq!(code, 0);
    assert!(flows.starts_with("proto,client_ip,client_port,server_ip,server_port"));
}

#[test]
fn lookup_prints_one_object_per_line() {
    let (code, stdout, _) = phonehome(&["lookup", "8.8.8.8", "192.168.1.1", "2001:4860:4860::8888"]);
    assert_eq!(code, 0);
    let lines: Vec<serde_json::Value> = stdout.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        (lines[0]["asn"].as_u64(), lines[0]["country"].as_str(), lines[0]["scope"].as_str()),
        (Some(15169), Some("US"), Some("public"))
    );
    assert_eq!((lines[1]["scope"].as_str(), lines[1]["country"].as_str()), (Some("private"), None));
    assert_eq!(lines[2]["asn"].as_u64(), Some(15169));
}

#[test]
fn share_link_opens_to_the_same_destinations() {
    let (code, link, _) =
        phonehome(&["analyze", CAPTURE, "--share-link", "--share-base", "https://example.org/phonehome/"]);
    assert_eq!(code, 0);
    let (base, fragment) = link.trim().split_once('#').unwrap();
    assert_eq!(base, "https://example.org/phonehome/");
    let shared = phonehome::share::decode(fragment, geo::embedded()).unwrap();
    let (_, text, _) = phonehome(&["analyze", CAPTURE]);
    let (analysis, _) = json::from_json(&text).unwrap();
    let public = |a: &phonehome::Analysis| {
        a.destinations.iter().filter(|d| d.scope == Scope::Public).map(|d| d.ip).collect::<Vec<_>>()
    };
    let (mut want, mut got) = (public(&analysis), public(&shared.analysis));
    want.sort();
    got.sort();
    assert_eq!(got, want);
    assert!(!link.contains("192.168.100.206"));
}

#[test]
fn exit_codes_and_one_line_reasons() {
    let (code, stdout, stderr) = phonehome(&["analyze", "Cargo.toml"]);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("not a pcap or pcapng capture"), "{stderr}");
    let (code, _, stderr) = phonehome(&["analyze", "no/such/file.pcap"]);
    assert_eq!(code, 2);
    assert!(stderr.starts_with("phonehome: no/such/file.pcap"), "{stderr}");
    let (code, _, _) = phonehome(&["analyze", CAPTURE, "--format", "xml"]);
    assert_eq!(code, 2);
    let (code, _, stderr) = phonehome(&["analyze", CAPTURE, "--home", "USA"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("'USA' is not a two-letter country code"), "{stderr}");
    // Codes of the right shape that no country has are refused by name too.
    for (flag, value, named) in [("--home", "XX", "'XX'"), ("--watch", "CN,ZZ", "'ZZ'"), ("--watch", "ru, qq", "'qq'")]
    {
        let (code, stdout, stderr) = phonehome(&["analyze", CAPTURE, flag, value]);
        assert_eq!((code, stdout.as_str()), (2, ""), "{flag} {value}");
        assert!(stderr.contains(named) && stderr.contains("not an assigned country code"), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    // Kosovo has no ISO code of its own, but IP registries use XK.
    assert_eq!(phonehome(&["analyze", CAPTURE, "--home", "xk", "--watch", "cn"]).0, 0);
    let (code, _, _) = phonehome(&["lookup", "not-an-ip"]);
    assert_eq!(code, 2);
    // A truncated capture still gives a report (exit 0) with the diagnostic.
    let bytes = std::fs::read(CAPTURE).unwrap();
    let cut = std::env::temp_dir().join(format!("phonehome-cut-{}.pcap", std::process::id()));
    std::fs::write(&cut, &bytes[..bytes.len() / 2 + 7]).unwrap();
    let (code, stdout, _) = phonehome(&["analyze", cut.to_str().unwrap()]);
    std::fs::remove_file(&cut).ok();
    assert_eq!(code, 0);
    let (analysis, _) = json::from_json(&stdout).unwrap();
    let kinds: Vec<&str> = analysis.capture.diagnostics.iter().map(|d| d.kind.as_str()).collect();
    assert!(kinds.contains(&"truncated-file"), "{kinds:?}");
    assert!(analysis.capture.packets > 1000);
}

#[test]
fn hosts_format_is_a_blocklist_of_the_destinations_abroad_or_watched() {
    // The demo home seen from the US, watching China: Baidu's hard-coded address has no name,
    // so only the router can block it; the anycast resolvers (1.1.1.1, 8.8.8.8), foreign but
    // never abroad, are not listed.
    let (code, hosts, stderr) =
        phonehome(&["analyze", "www/demo.pcap", "--home", "US", "--watch", "CN", "--format", "hosts"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        hosts,
        "# Blocklist from phonehome: 3 destinations, 2 names (hosts format)\n\
         # 180.76.76.76 (AS55967 Beijing Baidu Netcom Science and Technology Co., Ltd., CN): no name; block this \
         address on the router\n\
         0.0.0.0 broker.hivemq.com\n\
         0.0.0.0 ntp1.aliyun.com\n"
    );
    // Without a home country or watch list nothing is flagged.
    let (code, hosts, _) = phonehome(&["analyze", "www/demo.pcap", "--format", "hosts"]);
    assert_eq!((code, hosts.as_str()), (0, "# Blocklist from phonehome: 0 destinations, 0 names (hosts format)\n"));
}

/// A busy gateway's capture of `megabytes` (`phonehome generate --busy`) in the tests' folder.
fn busy_capture(megabytes: u32, seed: u32) -> String {
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-busy-{megabytes}MB.pcap"));
    let file = file.to_str().unwrap().to_string();
    let (size, seed) = (megabytes.to_string(), seed.to_string());
    let (code, _, stderr) = phonehome(&["generate", &file, "--busy", "--size", &size, "--seed", &seed]);
    assert_eq!(code, 0, "{stderr}");
    file
}

/// A capture big enough to be read by several threads (64 MiB and more) gives the same report
/// with one thread and with two, whole or cut off in the middle of a record.
#[test]
fn a_big_capture_read_by_two_threads_gives_the_same_report() {
    let file = &busy_capture(70, 3);
    let one = phonehome(&["analyze", file, "--jobs", "1"]);
    let two = phonehome(&["analyze", file, "--jobs", "2"]);
    assert_eq!(one.0, 0, "{}", one.2);
    assert!(one.1.contains("\"destinations\""));
    assert!(one == two, "one thread and two differ");

    let bytes = std::fs::read(file).unwrap();
    let cut = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli-busy-70MB-cut.pcap");
    std::fs::write(&cut, &bytes[..bytes.len() - 1_000_001]).unwrap();
    let cut = cut.to_str().unwrap();
    let one = phonehome(&["analyze", cut, "--jobs", "1", "--format", "text"]);
    let two = phonehome(&["analyze", cut, "--jobs", "2", "--format", "text"]);
    assert_eq!(one.0, 0, "{}", one.2);
    assert!(one.1.contains("ends in the middle of a record"), "{}", one.1);
    assert!(one == two, "one thread and two differ on a cut capture");
}

/// The JSON report is written as it is made; a reader that stops early (`| head`) is no error.
#[test]
fn a_reader_that_stops_early_is_no_error() {
    use std::io::Read;
    let file = &busy_capture(20, 4);
    let (code, whole, _) = phonehome(&["analyze", file]);
    assert_eq!(code, 0);
    // More than the pipe and the writer's buffer hold, so the reader stops it mid-report.
    assert!(whole.len() > 3 << 19, "{} bytes", whole.len());
    let mut child = Command::new(env!("CARGO_BIN_EXE_phonehome"))
        .args(["analyze", file])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut start = [0u8; 4096];
    child.stdout.take().unwrap().read_exact(&mut start).unwrap();
    assert!(whole.as_bytes().starts_with(&start));
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
