//! Everything the page asks of the browser besides the DOM: the analysis worker, remembered
//! settings, country names, local clock times, the dropped or picked files, the page's
//! address (share links), downloads, the clipboard and the share sheet.

pub mod clock;
pub mod download;
pub mod intl;
pub mod js_error;
pub mod location;
pub mod sharing;
pub mod storage;
pub mod worker_link;
