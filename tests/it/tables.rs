//! `phonehome analyze FILE... --out DIR` on the committed real captures: the five tables, the
//! same rows in Parquet and NDJSON, the same files whatever the number of threads, an
//! unreadable or cut capture among good ones, the exit codes, and the single-capture command
//! left as it was. (The check against DuckDB is `tests/tables/duckdb_check.py`, run by
//! `make test`.)

use std::path::{Path, PathBuf};
use std::process::Command;

use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use phonehome::tables::ndjson::rfc3339;
use phonehome::tables::Table;
use phonehome::{geo, Analyzer};
use serde_json::Value;

const CAPTURES: [&str; 5] = [
    "tests/captures/zeek__wikipedia.pcap",
    "tests/captures/suricata-verify__tls-tls-subjectaltname-input.pcap",
    "tests/captures/pcapplusplus__many_interfaces-1.pcapng",
    "tests/captures/zeek__dns-mdns.pcap",
    "tests/captures/arkime__v6-http.pcap",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh folder for one test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("tables").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs the CLI in the repository's folder: (exit code, stdout, stderr).
fn phonehome(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_phonehome")).current_dir(root()).args(args).output().unwrap();
    (out.status.code().unwrap_or(-1), out.stdout, String::from_utf8_lossy(&out.stderr).into())
}

fn analyze_into(out: &Path, files: &[&str], extra: &[&str]) -> (i32, String) {
    let mut args = vec!["analyze"];
    args.extend(files);
    args.extend(["--out", out.to_str().unwrap(), "--home", "DE", "--watch", "CN,US"]);
    args.extend(extra);
    let (code, stdout, stderr) = phonehome(&args);
    assert!(stdout.is_empty(), "the tables go to files, nothing to stdout");
    (code, stderr)
}

fn ndjson(path: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines().map(|line| serde_json::from_str(line).unwrap()).collect()
}

/// A Parquet table's rows as the NDJSON writer writes them (timestamps as RFC 3339 text).
fn parquet(path: &Path) -> Vec<Value> {
    fn value(field: &Field) -> Value {
        match field {
            Field::Null => Value::Null,
            Field::Bool(b) => Value::Bool(*b),
            Field::Long(n) => Value::from(*n),
            Field::Double(x) => Value::from(*x),
            Field::Str(s) => Value::from(s.as_str()),
            Field::TimestampMicros(t) => Value::from(rfc3339(*t)),
            Field::ListInternal(list) => Value::Array(list.elements().iter().map(value).collect()),
            Field::Group(row) => object(row),
            other => panic!("a column of an unexpected type: {other:?}"),
        }
    }
    fn object(row: &parquet::record::Row) -> Value {
        Value::Object(row.get_column_iter().map(|(name, field)| (name.clone(), value(field))).collect())
    }
    let reader = SerializedFileReader::new(std::fs::File::open(path).unwrap()).unwrap();
    reader.get_row_iter(None).unwrap().map(|row| object(&row.unwrap())).collect()
}

fn table(dir: &Path, table: Table, extension: &str) -> PathBuf {
    dir.join(format!("{}.{extension}", table.name()))
}

#[test]
fn many_captures_give_five_tables_with_the_same_rows_in_parquet_and_ndjson() {
    let (as_parquet, as_ndjson) = (scratch("parquet"), scratch("ndjson"));
    assert_eq!(analyze_into(&as_parquet, &CAPTURES, &[]).0, 0);
    assert_eq!(analyze_into(&as_ndjson, &CAPTURES, &["--table-format", "ndjson"]).0, 0);
    for t in Table::ALL {
        let rows = ndjson(&table(&as_ndjson, t, "ndjson"));
        assert_eq!(parquet(&table(&as_parquet, t, "parquet")), rows, "{}", t.name());
        let columns: Vec<&str> = t.columns().iter().map(|c| c.name).collect();
        let keys: Vec<&str> = rows[0].as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.len(), columns.len());
    }
    // One captures row per file, in the order given, each with the totals its analysis has.
    let captures = ndjson(&table(&as_ndjson, Table::Captures, "ndjson"));
    let flows = ndjson(&table(&as_ndjson, Table::Flows, "ndjson"));
    assert_eq!(captures.len(), CAPTURES.len());
    for (row, path) in captures.iter().zip(CAPTURES) {
        let bytes = std::fs::read(root().join(path)).unwrap();
        let mut analyzer = Analyzer::new();
        analyzer.feed(&bytes);
        let analysis = analyzer.finish(geo::embedded()).unwrap();
        assert_eq!(row["capture_path"], path);
        assert_eq!(row["capture_bytes"], bytes.len());
        assert_eq!(row["capture_id"].as_str().unwrap().len(), 16);
        assert_eq!(
            (row["packets"].as_u64(), row["bytes"].as_u64()),
            (Some(analysis.capture.packets), Some(analysis.capture.bytes))
        );
        assert_eq!(row["error"], Value::Null);
        let listed = flows.iter().filter(|f| f["capture_id"] == row["capture_id"]).count();
        assert_eq!(listed, analysis.flows.len(), "{path}");
    }
}

#[test]
fn the_same_inputs_give_the_same_files_whatever_the_number_of_threads() {
    // The biggest capture first, so that with several threads the small ones finish before it.
    let mut files = vec!["tests/captures/zeek__quic-chromium-115.0.5790.110-api-cirrus-com.pcap"];
    files.extend(CAPTURES);
    files.push("README.md");
    for format in ["ndjson", "parquet"] {
        let one = scratch(&format!("one-thread-{format}"));
        let three = scratch(&format!("three-threads-{format}"));
        assert_eq!(analyze_into(&one, &files, &["--table-format", format, "--jobs", "1"]).0, 1);
        assert_eq!(analyze_into(&three, &files, &["--table-format", format, "--jobs", "3"]).0, 1);
        for t in Table::ALL {
            let read = |dir: &Path| std::fs::read(table(dir, t, format)).unwrap();
            assert!(read(&one) == read(&three), "{}.{format} differs between 1 and 3 threads", t.name());
        }
    }
}

#[test]
fn an_unreadable_or_cut_capture_is_a_row_and_the_others_are_still_analysed() {
    let dir = scratch("bad");
    let wikipedia = std::fs::read(root().join(CAPTURES[0])).unwrap();
    let cut = dir.join("cut.pcap");
    std::fs::write(&cut, &wikipedia[..wikipedia.len() * 2 / 3]).unwrap();
    let renamed = dir.join("renamed.pcap");
    std::fs::write(&renamed, &wikipedia).unwrap();
    let missing = dir.join("missing.pcap");
    let (cut, renamed, missing) = (cut.to_str().unwrap(), renamed.to_str().unwrap(), missing.to_str().unwrap());
    let out = dir.join("tables");
    let files = ["README.md", CAPTURES[0], missing, cut, renamed];
    let (code, stderr) = analyze_into(&out, &files, &["--table-format", "ndjson"]);
    assert_eq!(code, 1, "a file that could not be read: exit 1");
    assert!(stderr.contains("README.md: not a pcap or pcapng capture"), "{stderr}");
    assert!(stderr.contains("missing.pcap: No such file"), "{stderr}");
    let captures = ndjson(&table(&out, Table::Captures, "ndjson"));
    let paths: Vec<&str> = captures.iter().map(|c| c["capture_path"].as_str().unwrap()).collect();
    assert_eq!(paths, files);
    let [readme, good, missing, cut, renamed] = &captures[..] else { panic!("five rows") };
    assert!(readme["error"].as_str().unwrap().starts_with("not a pcap"));
    assert_eq!(readme["capture_id"].as_str().map(str::len), Some(16), "read to its end, so it has an id");
    assert_eq!((missing["capture_bytes"].clone(), missing["capture_id"].clone()), (Value::Null, Value::Null));
    assert!(missing["error"].is_string());
    // A renamed copy is the same capture.
    assert_eq!(renamed["capture_id"], good["capture_id"]);
    assert_eq!(renamed["flows"], good["flows"]);
    // A cut capture gives what was read before the cut, and says where it was cut.
    assert_eq!(cut["error"], Value::Null);
    let kinds: Vec<&Value> = cut["diagnostics"].as_array().unwrap().iter().map(|d| &d["kind"]).collect();
    assert!(kinds.contains(&&Value::from("truncated-file")), "{cut}");
    assert!(cut["packets"].as_u64().unwrap() > 0 && cut["packets"].as_u64() < good["packets"].as_u64());
    let flows = ndjson(&table(&out, Table::Flows, "ndjson"));
    assert!(flows.iter().any(|f| f["capture_id"] == cut["capture_id"]));
}

#[test]
fn usage_errors_exit_2_and_a_single_capture_is_analysed_as_before() {
    let dir = scratch("usage");
    let out = dir.to_str().unwrap();
    for args in [
        &["analyze", CAPTURES[0], CAPTURES[1]][..],
        &["analyze", "-", "--out", out],
        &["analyze", CAPTURES[0], "--table-format", "ndjson"],
        &["analyze", CAPTURES[0], "--out", out, "--table-format", "csv"],
        &["analyze", CAPTURES[0], "--out", out, "--format", "text"],
    ] {
        let (code, stdout, stderr) = phonehome(args);
        assert_eq!((code, stdout.is_empty()), (2, true), "{args:?}: {stderr}");
    }
    // Without --out, one capture prints its report, byte for byte the committed one.
    let (code, stdout, _) = phonehome(&["analyze", CAPTURES[0], "--home", "DE", "--watch", "US,CN"]);
    assert_eq!(code, 0);
    let expected = std::fs::read(root().join("tests/reports/zeek__wikipedia.pcap.home-DE.watch-CN-US.json")).unwrap();
    assert!(stdout == expected, "the single-capture JSON changed");
    // With --out, one capture is one set of tables.
    assert_eq!(analyze_into(&dir, &[CAPTURES[0]], &[]).0, 0);
    assert_eq!(parquet(&table(&dir, Table::Captures, "parquet")).len(), 1);
}
