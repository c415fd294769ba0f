//! Reads the source packages unpacked by `.ci/geo-sources.sh`: finds each package's folder,
//! its exact `name@version`, and parses its range CSVs (no header; `first,last,...` with
//! addresses as text, inclusive ranges) with the csv crate.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// One unpacked npm package.
pub struct Package {
    /// `name@version`, as recorded in the table.
    pub spec: String,
    pub version: String,
    /// The folder holding the package's files.
    pub dir: PathBuf,
}

/// One CSV row: an inclusive range of addresses (as numbers of its family) and its value.
pub struct Row<V> {
    pub first: u128,
    pub last: u128,
    pub value: V,
}

/// The package `npm_name` in `src`, in the folder `npm pack` names `<folder_prefix>-<version>`.
/// More than one cached version is an error: the table must come from exactly one.
pub fn find_package(src: &Path, folder_prefix: &str, npm_name: &str) -> Result<Package, String> {
    let entries = std::fs::read_dir(src).map_err(|e| format!("{}: {e}", src.display()))?;
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let version = name.strip_prefix(folder_prefix).and_then(|v| v.strip_prefix('-'));
        if version.is_some_and(|v| v.starts_with(|c: char| c.is_ascii_digit())) {
            found.push(entry.path().join("package"));
        }
    }
    found.sort();
    let dir = match found.as_slice() {
        [dir] => dir.clone(),
        [] => return Err(format!("no {npm_name} in {} (run .ci/geo-sources.sh)", src.display())),
        _ => return Err(format!("several versions of {npm_name} in {}: keep one", src.display())),
    };
    let manifest_path = dir.join("package.json");
    let manifest = std::fs::read_to_string(&manifest_path).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let manifest: serde_json::Value =
        serde_json::from_str(&manifest).map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    let field = |key: &str| manifest.get(key).and_then(|v| v.as_str()).unwrap_or_default();
    if field("name") != npm_name {
        return Err(format!("{} is not {npm_name}", manifest_path.display()));
    }
    let version = field("version").to_owned();
    Ok(Package { spec: format!("{npm_name}@{version}"), version, dir })
}

/// The data date a package version of the form `major.minor.YYYYMMDDHH` carries.
pub fn version_date(version: &str) -> Result<String, String> {
    let stamp = version.rsplit('.').next().unwrap_or_default();
    if stamp.len() < 8 || !stamp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("version {version} does not carry a date"));
    }
    Ok(format!("{}-{}-{}", &stamp[0..4], &stamp[4..6], &stamp[6..8]))
}

/// Reads a range CSV of one family; `value` turns the columns after the range into a value.
pub fn read_rows<V>(
    path: &Path,
    ipv6: bool,
    mut value: impl FnMut(&csv::StringRecord) -> Result<V, String>,
) -> Result<Vec<Row<V>>, String> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let at = || format!("{}:{}", path.display(), line + 1);
        let record = record.map_err(|e| format!("{}: {e}", at()))?;
        let address = |column: usize| -> Result<u128, String> {
            let text = record.get(column).unwrap_or_default();
            match text.parse::<IpAddr>() {
                Ok(IpAddr::V4(a)) if !ipv6 => Ok(u128::from(u32::from(a))),
                Ok(IpAddr::V6(a)) if ipv6 => Ok(u128::from(a)),
                _ => Err(format!("{}: bad address {text:?}", at())),
            }
        };
        let (first, last) = (address(0)?, address(1)?);
        if last < first {
            return Err(format!("{}: range ends before it starts", at()));
        }
        let value = value(&record).map_err(|e| format!("{}: {e}", at()))?;
        rows.push(Row { first, last, value });
    }
    Ok(rows)
}
