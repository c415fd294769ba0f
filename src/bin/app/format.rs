//! Readable numbers for people: durations and shares here; byte sizes, counts and plurals are
//! the core's (`phonehome::report::wording`), so the page and the CLI write them alike.
//!
//! Exact values stay available in tooltips; these are what a non-expert reads at a glance.

// The components (wasm only) use all three; natively only the page logic is built.
#[cfg_attr(not(target_arch = "wasm32"), allow(unused_imports))]
pub use phonehome::report::wording::{bytes, count, plural};

/// A span of time in seconds ("0.25 s", "2 s", "12 s", "3 min 05 s", "2 h 03 min", "3 d 4 h").
pub fn duration(seconds: f64) -> String {
    if !seconds.is_finite() || seconds < 0.0 {
        return "–".into();
    }
    if seconds < 10.0 {
        // Two decimals at most, without trailing zeros: "2 s", "2.5 s", "0.25 s".
        let text = format!("{seconds:.2}");
        return format!("{} s", text.trim_end_matches('0').trim_end_matches('.'));
    }
    let whole = seconds.round() as u64;
    let (d, h, m, s) = (whole / 86_400, whole / 3600 % 24, whole / 60 % 60, whole % 60);
    if d > 0 {
        format!("{d} d {h} h")
    } else if h > 0 {
        format!("{h} h {m:02} min")
    } else if m > 0 {
        format!("{m} min {s:02} s")
    } else {
        format!("{s} s")
    }
}

/// A share of a whole as a whole percentage, 0 when the whole is empty.
pub fn percent(part: u64, whole: u64) -> u64 {
    if whole == 0 {
        0
    } else {
        (part.min(whole) as u128 * 100 / whole as u128) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        let cases = [
            (0.25, "0.25 s"),
            (2.0, "2 s"),
            (2.5, "2.5 s"),
            (0.0, "0 s"),
            (12.4, "12 s"),
            (185.0, "3 min 05 s"),
            (7380.0, "2 h 03 min"),
            (273_600.0, "3 d 4 h"),
            (-1.0, "–"),
            (f64::NAN, "–"),
        ];
        for (s, expected) in cases {
            assert_eq!(duration(s), expected, "{s}");
        }
    }

    #[test]
    fn percentages_are_clamped() {
        assert_eq!(percent(1, 0), 0);
        assert_eq!(percent(50, 200), 25);
        assert_eq!(percent(300, 200), 100);
        assert_eq!(percent(u64::MAX, u64::MAX), 100);
    }
}
