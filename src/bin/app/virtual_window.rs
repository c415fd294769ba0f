//! Which rows of a long table are on screen: only those (plus a margin) are rendered, so a
//! table of 50,000 rows costs the same as one of 50.

/// Rows `start..end` are rendered; the rest are replaced by two spacers of known height.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub start: usize,
    pub end: usize,
}

/// Rows rendered beyond the visible ones on each side, so fast scrolling shows no gap.
pub const OVERSCAN: usize = 10;

/// The rows to render for a scroll position. `row_height` must be > 0; a zero-sized viewport
/// (not laid out yet) still renders a first screenful.
pub fn visible(scroll_top: f64, viewport_height: f64, row_height: f64, total: usize) -> Window {
    let row_height = if row_height > 0.0 { row_height } else { 1.0 };
    let viewport_height = if viewport_height > 0.0 { viewport_height } else { 800.0 };
    // Past the end (the list shrank under a scrolled view): keep the last rows visible.
    let first = ((scroll_top.max(0.0) / row_height).floor() as usize).min(total.saturating_sub(1));
    let shown = (viewport_height / row_height).ceil() as usize + 1;
    let start = first.saturating_sub(OVERSCAN).min(total);
    let end = first.saturating_add(shown).saturating_add(OVERSCAN).min(total);
    Window { start, end }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_rows_around_the_viewport_are_rendered() {
        assert_eq!(visible(0.0, 360.0, 36.0, 50_000), Window { start: 0, end: 21 });
        assert_eq!(visible(36_000.0, 360.0, 36.0, 50_000), Window { start: 990, end: 1021 });
        assert_eq!(visible(1e12, 360.0, 36.0, 50_000), Window { start: 49_989, end: 50_000 });
        assert_eq!(visible(0.0, 360.0, 36.0, 5), Window { start: 0, end: 5 });
        assert_eq!(visible(-50.0, 0.0, 0.0, 3), Window { start: 0, end: 3 });
        assert_eq!(visible(500.0, 360.0, 36.0, 0), Window { start: 0, end: 0 });
    }
}
