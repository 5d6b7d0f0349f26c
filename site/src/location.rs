//! The filter state's home in the URL query, so reload, back/forward and
//! shared links restore the same view.

use amed_model::{Dataset, Query};
use wasm_bindgen::JsValue;

/// The query of the current URL.
pub fn read(dataset: &Dataset) -> Query {
    let search = leptos::prelude::window()
        .location()
        .search()
        .unwrap_or_default();
    Query::from_url_query(&search, dataset)
}

/// Puts `query` in the address bar: a new history entry when `push`,
/// otherwise replacing the current one (typing in the search box).
pub fn write(query: &Query, dataset: &Dataset, push: bool) {
    let window = leptos::prelude::window();
    let location = window.location();
    let search = query.to_url_query(dataset);
    let current = location.search().unwrap_or_default();
    if current.trim_start_matches('?') == search {
        return;
    }
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let url = if search.is_empty() {
        format!("{path}{hash}")
    } else {
        format!("{path}?{search}{hash}")
    };
    let Ok(history) = window.history() else {
        return;
    };
    let _ = if push {
        history.push_state_with_url(&JsValue::NULL, "", Some(&url))
    } else {
        history.replace_state_with_url(&JsValue::NULL, "", Some(&url))
    };
}
