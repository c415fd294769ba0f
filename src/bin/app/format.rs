//! Readable numbers for people: byte sizes, counts, durations and plurals.
//!
//! Exact values stay available in tooltips; these are what a non-expert reads at a glance.

/// A byte count in SI units ("999 B", "1.2 kB", "34.5 MB", "1.02 GB"): three significant
/// digits at most, as file managers show sizes.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64;
    let mut unit = 0;
    value /= 1000.0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 9.995 {
        format!("{value:.2} {}", UNITS[unit])
    } else if value < 99.95 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// A count with thousands separators ("50,000").
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 device", "3 devices".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

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
    fn byte_sizes_have_three_significant_digits() {
        let cases = [
            (0, "0 B"),
            (999, "999 B"),
            (1000, "1.00 kB"),
            (1234, "1.23 kB"),
            (12_345, "12.3 kB"),
            (123_456, "123 kB"),
            (999_499, "999 kB"),
            (999_500, "1.00 MB"),
            (999_999, "1.00 MB"),
            (104_857_600, "105 MB"),
            (1_020_000_000, "1.02 GB"),
            (u64::MAX, "18.4 EB"),
        ];
        for (n, expected) in cases {
            assert_eq!(bytes(n), expected, "{n}");
        }
    }

    #[test]
    fn counts_group_thousands() {
        for (n, expected) in [(0, "0"), (999, "999"), (1000, "1,000"), (50_000, "50,000"), (1_234_567, "1,234,567")] {
            assert_eq!(count(n), expected);
        }
        assert_eq!(plural(1, "device", "devices"), "1 device");
        assert_eq!(plural(1200, "device", "devices"), "1,200 devices");
    }

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
