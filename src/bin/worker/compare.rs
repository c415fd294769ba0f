//! Comparing the analysis the worker holds with an earlier capture or phonehome JSON report
//! the page posts: the earlier file is read here, in the worker (a capture is analysed, a
//! report parsed), never on the page's thread; the comparison itself is the core's
//! (`report::compare`), the same as the CLI's `--since`. A file that cannot be read changes
//! nothing: the answer says why.

use crate::glue::read_slices;
use crate::held;
use crate::protocol::{self, Compare, FromWorker};
use phonehome::report::compare::Known;
use phonehome::report::json;
use phonehome::Analyzer;
use web_sys::Blob;

/// The answer to a compare request (`text`, the JSON of [`Compare`]) with its file.
pub async fn answer(text: &str, file: Option<Blob>) -> FromWorker {
    let request = match serde_json::from_str::<Compare>(text) {
        Ok(request) if request.v == protocol::VERSION => request,
        _ => {
            return FromWorker::Error {
                message: "the page sent an unreadable comparison request; reload the page".into(),
            }
        }
    };
    let id = request.id;
    let known = match file {
        Some(blob) => known_of(&blob).await,
        None => Err("the page sent no file".to_string()),
    };
    let known = match known {
        Ok(known) => known,
        Err(message) => return FromWorker::CompareFailed { id, message },
    };
    match held::mark_new(&known) {
        Some(new) => FromWorker::Compared { id, new: new.into_iter().map(|i| i as u32).collect(), since: known.since },
        None => FromWorker::CompareFailed {
            id,
            message: "the analysis worker no longer holds this report; analyse the capture again".into(),
        },
    }
}

/// What the earlier file met. A report is told from a capture by its first character, as
/// the CLI does.
async fn known_of(blob: &Blob) -> Result<Known, String> {
    let mut report: Option<Vec<u8>> = None;
    let mut analyzer = Analyzer::new();
    let mut first = true;
    let (_, failure) = read_slices(blob, |bytes, _| {
        if std::mem::take(&mut first) && bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{') {
            report = Some(Vec::new());
        }
        match &mut report {
            Some(text) => text.extend_from_slice(bytes),
            None => analyzer.feed(bytes),
        }
        analyzer.rejected().is_none()
    })
    .await?;
    if let Some(why) = failure {
        return Err(format!("the browser could not read the file ({why})"));
    }
    match report {
        Some(bytes) => {
            let text = String::from_utf8(bytes).map_err(|_| "not a phonehome report (not UTF-8 text)".to_string())?;
            json::known_from_json(&text)
        }
        // Only addresses and names are compared: no IP table needed.
        None => analyzer.finish(None).map(|earlier| Known::of(&earlier)).map_err(|e| e.message),
    }
}
