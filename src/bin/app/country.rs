//! Countries as the page shows them: ISO 3166-1 alpha-2 codes, flag emoji, the home country
//! guessed from the browser's language tag, and English phrasing of country names.
//!
//! Names themselves come from the browser (`Intl.DisplayNames`, see `intl.rs`), so no name
//! table ships with the page; the code list below is only what the pickers offer.

/// Every officially assigned ISO 3166-1 alpha-2 code (249), plus XK (Kosovo), which IP
/// registries use.
pub const CODES: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD",
    "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA",
    "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE",
    "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA",
    "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK",
    "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP",
    "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT",
    "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS",
    "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ",
    "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS",
    "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST",
    "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW",
    "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "XK", "YE", "YT",
    "ZA", "ZM", "ZW",
];

/// The code in canonical (upper) case when it is one the page knows.
pub fn normalize(code: &str) -> Option<&'static str> {
    let upper = code.trim().to_ascii_uppercase();
    CODES.binary_search(&upper.as_str()).ok().map(|i| CODES[i])
}

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
pub fn region_of_language(tag: &str) -> Option<&'static str> {
    tag.split(['-', '_'])
        .skip(1)
        .take_while(|subtag| subtag.len() != 1) // a singleton starts extensions
        .find(|subtag| subtag.len() == 2 && subtag.bytes().all(|b| b.is_ascii_alphabetic()))
        .and_then(normalize)
}

/// The first country among the browser's preferred languages.
pub fn home_from_languages<'a>(tags: impl IntoIterator<Item = &'a str>) -> Option<&'static str> {
    tags.into_iter().find_map(region_of_language)
}

/// An English country name as it reads inside a sentence: "the United States" but "China".
pub fn in_sentence(code: &str, name: &str) -> String {
    const WITH_ARTICLE: &[&str] = &[
        "AE", "BS", "CF", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MV", "NL", "PH", "SB", "SC", "TC", "US",
        "VA", "VG", "VI",
    ];
    if WITH_ARTICLE.contains(&code) && !name.starts_with("the ") {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_and_unique_so_lookup_works() {
        assert!(CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(CODES.len(), 250);
        assert_eq!(normalize(" cn "), Some("CN"));
        assert_eq!(normalize("ZZ"), None);
        assert_eq!(normalize(""), None);
    }

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
            assert_eq!(region_of_language(tag), expected, "{tag}");
        }
        assert_eq!(home_from_languages(["fr", "de-AT", "en-US"]), Some("AT"));
        assert_eq!(home_from_languages([]), None);
    }

    #[test]
    fn some_names_take_an_article() {
        assert_eq!(in_sentence("US", "United States"), "the United States");
        assert_eq!(in_sentence("CN", "China"), "China");
    }
}
