//! The report: the JSON contract ([`model`]) and its renderings.

pub mod build;
pub mod csv;
pub mod model;
pub mod text;

/// The report as `phonehome analyze --format json` prints it; the page's JSON export uses the
/// same function, so both give the same bytes for the same capture and settings.
pub fn to_json(report: &model::Report) -> String {
    // Serialising plain data (strings, numbers, finite floats) cannot fail.
    let mut text = serde_json::to_string_pretty(report).unwrap_or_default();
    text.push('\n');
    text
}

/// The report of a capture among the test captures (`tests/captures/`), with default settings,
/// for the renderings' tests.
#[cfg(all(test, feature = "embedded-geo"))]
fn report_of_test_capture(bytes: &[u8]) -> model::Report {
    let mut analyzer = crate::Analyzer::new(crate::Settings::default());
    analyzer.feed(bytes);
    analyzer.finish().expect("the test capture reads")
}
