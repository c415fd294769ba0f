//! Everything the page asks of the browser besides the DOM: the analysis worker, remembered
//! settings, country names, local clock times and the dropped or picked files.

pub mod clock;
pub mod intl;
pub mod storage;
pub mod worker_link;
