//! The filter state's home in the URL query, so reload, back/forward,
//! shared links and the language switch keep the same view.

use amed_model::{FacetSpec, Query};
use wasm_bindgen::JsValue;

/// The query of the current URL.
pub fn read(facets: &[FacetSpec]) -> Query {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    Query::from_url_query(&search, facets)
}

/// Puts `query` in the address bar: a new history entry when `push`,
/// otherwise replacing the current one (typing in the search box).
pub fn write(query: &Query, facets: &[FacetSpec], push: bool) {
    set_search(&query.to_url_query(facets), push);
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
