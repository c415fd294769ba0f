//! Countries as reports name them: [`CountryCode`], an ISO 3166-1 alpha-2 code, validated
//! where it enters (the CLI's `--home` and `--watch`, the page's pickers, share links, JSON).
//!
//! A code the user gives is accepted when the list of assigned codes ([`CODES`], the page's
//! pickers offer the same) or the geo table's own country list knows it, so `ZZ` or `XX` is
//! refused instead of silently flagging every destination as foreign. Codes read from the
//! geo table or from a report are only checked for their shape (two letters): they name where
//! an address is registered, whatever list it comes from.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::geo::Table;

/// Every officially assigned ISO 3166-1 alpha-2 code (249), plus XK (Kosovo), which IP
/// registries use. Sorted, so [`CODES`] can be searched.
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

/// An ISO 3166-1 alpha-2 code, upper case.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 2]);

impl CountryCode {
    /// Two ASCII letters in either case (surrounding space ignored), as a code of that shape.
    /// This checks the shape only; [`CountryCode::known`] checks that a country has it.
    pub fn new(text: &str) -> Option<CountryCode> {
        match text.trim().as_bytes() {
            &[a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                Some(CountryCode([a.to_ascii_uppercase(), b.to_ascii_uppercase()]))
            }
            _ => None,
        }
    }

    /// The code when [`CODES`] or the geo table's country list knows it; else why not, in a
    /// sentence that names what was given.
    pub fn known(text: &str, geo: Option<&Table<'_>>) -> Result<CountryCode, String> {
        let refuse = |why: &str| format!("'{}' {why} (ISO 3166-1 alpha-2, e.g. US, DE, CN)", text.trim());
        let code = CountryCode::new(text).ok_or_else(|| refuse("is not a two-letter country code"))?;
        let listed = CODES.binary_search(&code.as_str()).is_ok();
        if listed || geo.is_some_and(|table| table.countries().any(|c| c == code.as_str())) {
            Ok(code)
        } else {
            Err(refuse("is not an assigned country code"))
        }
    }

    /// The code when [`CODES`] lists it: what the page's pickers accept.
    pub fn listed(text: &str) -> Option<CountryCode> {
        CountryCode::new(text).filter(|code| CODES.binary_search(&code.as_str()).is_ok())
    }

    pub fn as_str(&self) -> &str {
        // Built only from ASCII letters.
        std::str::from_utf8(&self.0).unwrap_or("??")
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl PartialEq<&str> for CountryCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        CountryCode::new(&text).ok_or_else(|| serde::de::Error::custom(format!("'{text}' is not a country code")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_code_list_is_sorted_and_unique_so_it_can_be_searched() {
        assert!(CODES.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(CODES.len(), 250);
    }

    #[test]
    fn codes_are_checked_for_shape_and_for_a_country() {
        assert_eq!(CountryCode::new(" cn ").map(|c| c.to_string()), Some("CN".into()));
        for bad in ["", "C", "USA", "1A", "É", "U "] {
            assert_eq!(CountryCode::new(bad), None, "{bad}");
        }
        assert_eq!(CountryCode::known("xk", None).map(|c| c.to_string()), Ok("XK".into()));
        assert_eq!(CountryCode::listed("de").map(|c| c.to_string()), Some("DE".into()));
        assert_eq!(CountryCode::listed("ZZ"), None);
        let refused = CountryCode::known("zz", None).unwrap_err();
        assert!(refused.starts_with("'zz' is not an assigned country code"), "{refused}");
        let refused = CountryCode::known("USA", None).unwrap_err();
        assert!(refused.starts_with("'USA' is not a two-letter country code"), "{refused}");
    }

    #[cfg(feature = "embedded-geo")]
    #[test]
    fn every_country_of_the_table_is_known() {
        let table = crate::geo::embedded().expect("the built-in table");
        let countries: Vec<&str> = table.countries().collect();
        assert!(countries.len() > 200, "{}", countries.len());
        for code in countries {
            assert!(CountryCode::known(code, Some(table)).is_ok(), "{code}");
        }
    }

    #[test]
    fn serde_writes_the_code_and_reads_any_case() {
        let code = CountryCode::new("us").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"US\"");
        assert_eq!(serde_json::from_str::<CountryCode>("\"de\"").unwrap().as_str(), "DE");
        assert!(serde_json::from_str::<CountryCode>("\"D\"").is_err());
    }
}
