//! Country names from the browser's own `Intl.DisplayNames`, so the page ships no name table.
//! English, like the rest of the page's text.

use js_sys::{Array, Intl};
use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    static NAMES: RefCell<Option<Intl::DisplayNames>> = const { RefCell::new(None) };
    static CACHE: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

fn display_names() -> Intl::DisplayNames {
    NAMES.with(|cell| {
        cell.borrow_mut()
            .get_or_insert_with(|| {
                let options = Intl::DisplayNamesOptions::new();
                options.set_type(Intl::DisplayNamesType::Region);
                let locales = Array::of1(&"en".into());
                Intl::DisplayNames::new(&locales, &options)
            })
            .clone()
    })
}

/// "China" for "CN"; the code itself when the browser knows no name or it is malformed.
pub fn country_name(code: &str) -> String {
    // `Intl.DisplayNames.of` throws on malformed codes: only pass it two ASCII letters.
    if code.len() != 2 || !code.bytes().all(|b| b.is_ascii_alphabetic()) {
        return code.to_string();
    }
    if let Some(name) = CACHE.with(|c| c.borrow().get(code).cloned()) {
        return name;
    }
    let name = display_names().of(code).map(String::from).unwrap_or_else(|| code.to_string());
    CACHE.with(|c| c.borrow_mut().insert(code.to_string(), name.clone()));
    name
}

/// Codes with their names, sorted by name, for the country pickers.
pub fn countries_by_name() -> Vec<(&'static str, String)> {
    let mut list: Vec<(&'static str, String)> =
        phonehome::country::CODES.iter().map(|&c| (c, country_name(c))).collect();
    list.sort_by(|a, b| a.1.cmp(&b.1));
    list
}
