//! The `phonehome` command-line tool: thin glue that reads files and prints what the core
//! reports, or writes the tables of many captures (`many.rs`). All analysis lives in the
//! library.

fn main() {
    std::process::exit(cli::run());
}

#[cfg(not(target_arch = "wasm32"))]
mod alloc;
#[cfg(not(target_arch = "wasm32"))]
mod input;
#[cfg(not(target_arch = "wasm32"))]
mod many;
#[cfg(not(target_arch = "wasm32"))]
mod out;
#[cfg(not(target_arch = "wasm32"))]
mod progress;

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::io::Read;
    use std::net::IpAddr;
    use std::path::PathBuf;

    use crate::out::write_stdout;
    use crate::progress::{Progress, LARGE_CAPTURE};

    use lexopt::prelude::*;
    use phonehome::country::CountryCode;
    use phonehome::report::compare::mark_new;
    use phonehome::report::verdict::{judge, Viewpoint};
    use phonehome::report::{blocklist, csv, json, text, wording, Report};
    use phonehome::{geo, scope, Analyzer};

    const USAGE: &str = "\
usage:
  phonehome analyze FILE [--home CC] [--watch CC,CC] [--format json|csv|text|hosts] [--flows-csv]
                        [--since OLD] [--jobs N]
  phonehome analyze FILE... --out DIR [--table-format parquet|ndjson] [--home CC] [--watch CC,CC] [--jobs N]
  phonehome analyze FILE --share-link [--share-base URL] [--keep-local] [--keep-names] [--top N]
  phonehome lookup IP...
  phonehome generate OUT [--size MB] [--seed N] [--no-vlan]
  phonehome generate OUT --shape scan|fragments|names|devices|names-of-one-address|scattered-fragments [--items N]
  phonehome generate OUT --busy [--size MB] [--seed N]   (a busy gateway; 1000 MB unless --size)

FILE is a pcap or pcapng capture, optionally gzip- or zstd-compressed ('-' reads stdin).
With --out, the captures, devices, device_destinations, destinations and flows of every FILE
are written as tables in DIR (Parquet unless --table-format ndjson), by N threads (all cores
unless --jobs); exit status 1 when any FILE could not be read. One uncompressed FILE of 64 MiB
or more is read by N threads side by side (all cores unless --jobs), with the same report.

--since OLD marks each destination \"new\": true or false against OLD, an earlier capture or
phonehome JSON report. --format hosts is a blocklist of the destinations abroad or watched.";

    /// Where `make serve` serves the page; `--share-base` points links at a published copy.
    const DEFAULT_SHARE_BASE: &str = "http://127.0.0.1:8080/";

    pub fn run() -> i32 {
        match dispatch() {
            Ok(code) => code,
            Err(message) => {
                eprintln!("phonehome: {message}");
                2
            }
        }
    }

    fn dispatch() -> Result<i32, String> {
        let mut parser = lexopt::Parser::from_env();
        let command = match parser.next().map_err(|e| e.to_string())? {
            Some(Value(v)) => v.string().map_err(|e| e.to_string())?,
            Some(Long("help")) | Some(Short('h')) | None => {
                println!("{USAGE}");
                return Ok(0);
            }
            Some(other) => return Err(format!("{}\n{USAGE}", other.unexpected())),
        };
        match command.as_str() {
            "analyze" => analyze(parser),
            "lookup" => lookup(parser),
            "generate" => generate(parser),
            other => Err(format!("unknown command '{other}'\n{USAGE}")),
        }
    }

    fn analyze(mut parser: lexopt::Parser) -> Result<i32, String> {
        let mut files: Vec<PathBuf> = Vec::new();
        let mut viewpoint = Viewpoint::default();
        let mut out_dir: Option<PathBuf> = None;
        let mut table_format: Option<phonehome::tables::TableFormat> = None;
        let mut jobs: Option<usize> = None;
        let mut format_given = false;
        let mut format = String::from("json");
        let mut flows_csv = false;
        let mut share_link = false;
        let mut since: Option<PathBuf> = None;
        let mut share_base = String::from(DEFAULT_SHARE_BASE);
        let mut share_options = phonehome::share::ShareOptions::default();
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            match arg {
                Long("home") => {
                    let cc = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                    viewpoint.home = Some(country(&cc)?);
                }
                Long("watch") => {
                    let list = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                    for cc in list.split(',').filter(|c| !c.trim().is_empty()) {
                        viewpoint.watch.push(country(cc)?);
                    }
                }
                Long("format") => {
                    format = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?;
                    if !matches!(format.as_str(), "json" | "csv" | "text" | "hosts") {
                        return Err(format!("unknown format '{format}' (json, csv, text or hosts)"));
                    }
                    format_given = true;
                }
                Long("out") => out_dir = Some(parser.value().map_err(|e| e.to_string())?.into()),
                Long("table-format") => {
                    table_format =
                        Some(parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?.parse()?)
                }
                Long("jobs") => {
                    let n: usize =
                        parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--jobs: {e}"))?;
                    jobs = Some(n.max(1));
                }
                Long("since") => since = Some(parser.value().map_err(|e| e.to_string())?.into()),
                Long("flows-csv") => flows_csv = true,
                Long("share-link") => share_link = true,
                Long("share-base") => {
                    share_base = parser.value().map_err(|e| e.to_string())?.string().map_err(|e| e.to_string())?
                }
                Long("keep-local") => share_options.redact_local = false,
                Long("keep-names") => share_options.keep_device_names = true,
                Long("top") => {
                    let n: usize =
                        parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--top: {e}"))?;
                    share_options.max_destinations = Some(n);
                }
                Value(v) => files.push(v.into()),
                other => return Err(other.unexpected().to_string()),
            }
        }
        if files.is_empty() {
            return Err(format!("analyze needs a capture file\n{USAGE}"));
        }
        let Some(out_dir) = out_dir else {
            if files.len() > 1 {
                return Err("several captures are analysed into tables: give --out DIR".into());
            }
            if table_format.is_some() {
                return Err("--table-format goes with --out DIR".into());
            }
            return analyze_one(
                &files[0],
                jobs.unwrap_or_else(cores),
                viewpoint,
                &format,
                flows_csv,
                since.as_deref(),
                share_link.then_some((share_options, share_base)),
            );
        };
        if files.iter().any(|f| f.as_os_str() == "-") {
            return Err("'-' (stdin) cannot be analysed into tables: give the capture's file name".into());
        }
        if format_given || flows_csv || share_link || since.is_some() {
            return Err("--format, --flows-csv, --since and --share-link are for one capture without --out".into());
        }
        let jobs = jobs.unwrap_or_else(cores);
        Ok(crate::many::run(crate::many::Job {
            files: files.iter().map(|f| f.display().to_string()).collect(),
            out: out_dir,
            format: table_format.unwrap_or(phonehome::tables::TableFormat::Parquet),
            viewpoint,
            jobs,
        }))
    }

    fn cores() -> usize {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    }

    /// One capture, its report printed on stdout as JSON, CSV, text or a share link; a big
    /// one read by `jobs` threads side by side.
    fn analyze_one(
        file: &std::path::Path,
        jobs: usize,
        viewpoint: Viewpoint,
        format: &str,
        flows_csv: bool,
        since: Option<&std::path::Path>,
        share: Option<(phonehome::share::ShareOptions, String)>,
    ) -> Result<i32, String> {
        let shown = file.display().to_string();
        let (input, size): (Box<dyn Read + Send>, Option<u64>) = if shown == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let input = std::fs::File::open(file).map_err(|e| format!("{shown}: {e}"))?;
            let size = input.metadata().ok().map(|m| m.len());
            (Box::new(input), size)
        };
        let progress = match size {
            Some(size) if size >= LARGE_CAPTURE => Progress::new(1, size),
            _ => Progress::hidden(),
        };
        let shards = crate::input::feed_one(file, input, size, jobs, &progress);
        progress.finish();
        let shards = shards.map_err(|e| format!("{shown}: {e}"))?;
        let mut analysis = match Analyzer::finish_shards(shards, geo::embedded()) {
            Ok(analysis) => analysis,
            Err(e) => {
                eprintln!("phonehome: {shown}: {e}");
                return Ok(1);
            }
        };
        // An earlier capture or report that cannot be read is as fatal as this capture.
        let known = match since.map(crate::input::known_of).transpose() {
            Ok(known) => known,
            Err(reason) => {
                eprintln!("phonehome: {reason}");
                return Ok(1);
            }
        };
        let new = known.as_ref().map(|known| (mark_new(&mut analysis, known).len(), known.since));
        let verdicts = judge(&analysis, viewpoint);
        let report = Report::new(&analysis, &verdicts);
        if let Some((mut share_options, share_base)) = share {
            share_options.created =
                std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            return match phonehome::share::encode(report, &share_options) {
                Ok(fragment) => {
                    write_stdout(|out| writeln!(out, "{}#{fragment}", share_base.trim_end_matches('#')))?;
                    Ok(0)
                }
                Err(e) => Err(e.to_string()),
            };
        }
        let text = match (format, flows_csv) {
            (_, true) => Some(csv::flows(report)),
            ("csv", _) => Some(csv::destinations(report)),
            ("text", _) => Some({
                let out = text::render(report);
                match new {
                    // Right after the headline sentence.
                    Some((count, since)) => {
                        let line = wording::new_since(count as u64, since.and_then(wording::utc_day).as_deref());
                        out.replacen('\n', &format!("\n{line}\n"), 1)
                    }
                    None => out,
                }
            }),
            ("hosts", _) => Some(blocklist::hosts(blocklist::flagged(report))),
            // Written as it is made (below): a big capture's JSON is hundreds of megabytes.
            _ => None,
        };
        write_stdout(|out| match &text {
            Some(text) => out.write_all(text.as_bytes()),
            None => json::write_json(report, out),
        })?;
        // The process ends now: freeing a big capture's analysis (hundreds of thousands of
        // strings and vectors) piece by piece would only cost time.
        std::mem::forget(analysis);
        Ok(0)
    }

    /// A country code the user gave: known to the list of assigned codes or to the table.
    fn country(code: &str) -> Result<CountryCode, String> {
        CountryCode::known(code, geo::embedded())
    }

    fn lookup(mut parser: lexopt::Parser) -> Result<i32, String> {
        let mut out = String::new();
        let mut any = false;
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            let Value(v) = arg else {
                return Err(arg.unexpected().to_string());
            };
            let text = v.string().map_err(|e| e.to_string())?;
            let ip: IpAddr = text.trim().parse().map_err(|_| format!("'{text}' is not an IP address"))?;
            let scope = scope::classify(ip);
            let geo = geo::embedded().filter(|_| scope == scope::Scope::Public).and_then(|table| table.lookup(ip));
            let line = serde_json::json!({
                "ip": ip.to_string(),
                "scope": scope.as_str(),
                "asn": geo.as_ref().and_then(|g| g.asn),
                "as_org": geo.as_ref().and_then(|g| g.as_org),
                "country": geo.as_ref().and_then(|g| g.country),
            });
            out.push_str(&line.to_string());
            out.push('\n');
            any = true;
        }
        if !any {
            return Err(format!("lookup needs at least one IP address\n{USAGE}"));
        }
        write_stdout(|stdout| stdout.write_all(out.as_bytes()))?;
        Ok(0)
    }

    /// Writes a synthetic home-network capture (see `phonehome::synth`).
    #[cfg(not(feature = "synth"))]
    fn generate(_: lexopt::Parser) -> Result<i32, String> {
        Err("this build has no capture generator: build with the cargo feature 'synth' (on by default)".into())
    }

    /// Writes a synthetic home-network capture, a hostile shape, or a busy gateway's capture
    /// (see `phonehome::synth`).
    #[cfg(feature = "synth")]
    fn generate(mut parser: lexopt::Parser) -> Result<i32, String> {
        let mut out: Option<PathBuf> = None;
        let mut config = phonehome::synth::SynthConfig::default();
        let mut shape: Option<phonehome::synth::hostile::Shape> = None;
        let mut items: u64 = 500_000;
        let mut busy = false;
        let mut size_given = false;
        let mut vlan_given = false;
        let mut items_given = false;
        while let Some(arg) = parser.next().map_err(|e| e.to_string())? {
            match arg {
                Long("shape") => {
                    shape =
                        Some(parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--shape: {e}"))?)
                }
                Long("items") => {
                    items = parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--items: {e}"))?;
                    items_given = true;
                }
                Long("size") => {
                    let mb: f64 =
                        parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--size: {e}"))?;
                    if !(mb > 0.0 && mb <= 1e6) {
                        return Err("--size takes megabytes, more than 0".into());
                    }
                    config.target_bytes = (mb * 1e6) as u64;
                    size_given = true;
                }
                Long("seed") => {
                    config.seed =
                        parser.value().map_err(|e| e.to_string())?.parse().map_err(|e| format!("--seed: {e}"))?
                }
                Long("no-vlan") => {
                    config.vlan = false;
                    vlan_given = true;
                }
                Long("busy") => busy = true,
                Value(v) if out.is_none() => out = Some(v.into()),
                other => return Err(other.unexpected().to_string()),
            }
        }
        let path = out.ok_or_else(|| format!("generate needs an output file\n{USAGE}"))?;
        if busy && (shape.is_some() || items_given || vlan_given) {
            return Err("--busy takes only --size and --seed".into());
        }
        let file = std::fs::File::create(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let out = std::io::BufWriter::with_capacity(1 << 20, file);
        let written = if busy {
            let target_bytes = if size_given { config.target_bytes } else { 1_000_000_000 };
            let busy = phonehome::synth::busy::BusyConfig { seed: config.seed, target_bytes };
            let truth =
                phonehome::synth::busy::generate_to(&busy, out).map_err(|e| format!("{}: {e}", path.display()))?;
            eprintln!(
                "busy gateway: {} packets ({:.0} bytes each in the file), {} flows ({} IPv6, {} on the VLAN), {} \
                 clients ({} on the VLAN), {} destinations ({} named, {} names), {} TLS hellos ({} over two \
                 segments), {:.0} s",
                truth.packets,
                truth.file_bytes as f64 / truth.packets.max(1) as f64,
                truth.flows,
                truth.ipv6_flows,
                truth.vlan_flows,
                truth.clients,
                truth.vlan_clients,
                truth.destinations,
                truth.named_destinations,
                truth.names,
                truth.hellos,
                truth.split_hellos,
                truth.span_us as f64 / 1e6,
            );
            truth.file_bytes
        } else {
            match shape {
                Some(shape) => phonehome::synth::hostile::hostile_to(shape, items, out),
                None => phonehome::synth::generate_to(&config, out),
            }
            .map_err(|e| format!("{}: {e}", path.display()))?
        };
        eprintln!("wrote {written} bytes to {}", path.display());
        Ok(0)
    }
}
