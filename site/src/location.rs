//! The filter state's home in the URL query, so reload, back/forward,
//! shared links and the language switch keep the same view.

use amed_model::{FacetSpec, Query};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::UrlSearchParams;

/// The query of the current URL.
pub fn read(facets: &[FacetSpec]) -> Query {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    Query::from_url_pairs(url_pairs(&search), facets)
}

/// Puts `query` in the address bar: a new history entry when `push`,
/// otherwise replacing the current one (typing in the search box).
pub fn write(query: &Query, facets: &[FacetSpec], push: bool) {
    set_search(&url_query(query.url_pairs(facets)), push);
}

/// The decoded pairs of the URL query `search` (with or without `?`), as
/// the browser's `URLSearchParams` reads them.
pub fn url_pairs(search: &str) -> Vec<(String, String)> {
    let Ok(params) = UrlSearchParams::new_with_str(search) else {
        return Vec::new();
    };
    js_sys::Array::from(&params.entries())
        .iter()
        .filter_map(|entry| {
            let entry: js_sys::Array = entry.unchecked_into();
            Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
        })
        .collect()
}

/// `pairs` as a URL query without `?`, encoded by the browser's
/// `URLSearchParams` (`application/x-www-form-urlencoded`, the same bytes
/// as the model's `Query::to_url_query`).
pub fn url_query<K: AsRef<str>, V: AsRef<str>>(pairs: impl IntoIterator<Item = (K, V)>) -> String {
    let Ok(params) = UrlSearchParams::new() else {
        return String::new();
    };
    for (key, value) in pairs {
        params.append(key.as_ref(), value.as_ref());
    }
    params.to_string().into()
}

/// Puts `search` (without `?`) in the address bar and the language switch.
pub fn set_search(search: &str, push: bool) {
    let window = leptos::prelude::window();
    let location = window.location();
    let current = location.search().unwrap_or_default();
    if current.trim_start_matches('?') != search {
        let path = location.pathname().unwrap_or_default();
        let hash = location.hash().unwrap_or_default();
        let url = if search.is_empty() {
            format!("{path}{hash}")
        } else {
            format!("{path}?{search}{hash}")
        };
        if let Ok(history) = window.history() {
            let _ = if push {
                history.push_state_with_url(&JsValue::NULL, "", Some(&url))
            } else {
                history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
            };
        }
    }
    keep_in_language_switch();
}

/// Gives the language switch the current query, so switching language
/// keeps the filters (both languages use the same keys).
pub fn keep_in_language_switch() {
    let window = leptos::prelude::window();
    let search = window.location().search().unwrap_or_default();
    let Some(link) = window
        .document()
        .and_then(|d| d.query_selector("a.language-switch").ok().flatten())
    else {
        return;
    };
    let href = link.get_attribute("href").unwrap_or_default();
    let base = href.split(['?', '#']).next().unwrap_or_default();
    let _ = link.set_attribute("href", &format!("{base}{search}"));
}
