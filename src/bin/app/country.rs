//! Countries as the page shows them: flag emoji, and the home country guessed from the
//! browser's language tag. The codes themselves, and which are known, are the core's
//! (`phonehome::country`).
//!
//! Names come from the browser (`Intl.DisplayNames`, see `intl.rs`), so no name table ships
//! with the page.

use phonehome::country::CountryCode;

/// The flag emoji of a country: its two letters as Unicode regional indicator symbols.
/// Empty for anything that is not two ASCII letters.
pub fn flag(code: &str) -> String {
    let bytes = code.as_bytes();
    if bytes.len() != 2 || !bytes.iter().all(u8::is_ascii_alphabetic) {
        return String::new();
    }
    bytes.iter().filter_map(|b| char::from_u32(0x1F1E6 + u32::from(b.to_ascii_uppercase() - b'A'))).collect()
}

/// The region of a BCP 47 language tag ("en-US" -> US, "zh-Hans-TW" -> TW), when it names a
/// country; "de" or "es-419" (a UN area) name none.
pub fn region_of_language(tag: &str) -> Option<CountryCode> {
    tag.split(['-', '_'])
        .skip(1)
        .take_while(|subtag| subtag.len() != 1) // a singleton starts extensions
        .find(|subtag| subtag.len() == 2 && subtag.bytes().all(|b| b.is_ascii_alphabetic()))
        .and_then(CountryCode::listed)
}

/// The first country among the browser's preferred languages.
pub fn home_from_languages<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<CountryCode> {
    tags.into_iter().find_map(region_of_language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_are_regional_indicators() {
        assert_eq!(flag("CN"), "\u{1F1E8}\u{1F1F3}");
        assert_eq!(flag("us"), "\u{1F1FA}\u{1F1F8}");
        for bad in ["", "C", "USA", "1A", "É"] {
            assert_eq!(flag(bad), "", "{bad}");
        }
    }

    #[test]
    fn home_country_comes_from_the_language_region() {
        let cases = [
            ("en-US", Some("US")),
            ("en_GB", Some("GB")),
            ("zh-Hans-TW", Some("TW")),
            ("de", None),
            ("es-419", None),
            ("en-x-ca", None),
            ("en-ZZ", None),
            ("", None),
        ];
        for (tag, expected) in cases {
            assert_eq!(region_of_language(tag).map(|c| c.to_string()).as_deref(), expected, "{tag}");
        }
        assert_eq!(home_from_languages(["fr", "de-AT", "en-US"]).map(|c| c.to_string()).as_deref(), Some("AT"));
        assert_eq!(home_from_languages([]), None);
    }
}
