//! The page's components, one per file, and the small shared pieces they pass around.

pub mod activity_chart;
pub mod app;
pub mod blocklist_panel;
pub mod compare_button;
pub mod country_chart;
pub mod country_settings;
pub mod country_tag;
pub mod destination_filters;
pub mod destination_table;
pub mod device_card;
pub mod device_list;
pub mod diagnostics_view;
pub mod error_panel;
pub mod flag_mark;
pub mod flows_view;
pub mod geo_table_notice;
pub mod headline_view;
pub mod heartbeat_mark;
pub mod hooks;
pub mod link_error_panel;
pub mod load_panel;
pub mod progress_panel;
pub mod protection_bar;
pub mod report_actions;
pub mod report_view;
pub mod share_dialog;
pub mod share_preview;
pub mod shared_banner;
pub mod site_footer;
mod sparkline;
pub mod world_map_view;

pub use crate::shown::ReportRef;
pub use sparkline::sparkline;
use std::rc::Rc;

/// Any shared derived table as props, compared by identity like [`ReportRef`].
pub struct Shared<T>(pub Rc<T>);

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> std::ops::Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}
