//! Fetching the generator's files.

use amed_model::explorer_format::{Decode, from_json};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The text of `url`.
pub async fn text(url: &str) -> Result<String, String> {
    let response = JsFuture::from(leptos::prelude::window().fetch_with_str(url))
        .await
        .map_err(|_| format!("cannot fetch {url}"))?;
    let response: web_sys::Response = response.dyn_into().map_err(|_| "not a response")?;
    if !response.ok() {
        return Err(format!("fetch {url}: HTTP {}", response.status()));
    }
    let read_error = || format!("cannot read {url}");
    let text = JsFuture::from(response.text().map_err(|_| read_error())?)
        .await
        .map_err(|_| read_error())?;
    text.as_string().ok_or_else(read_error)
}

/// The JSON file at `url`, decoded.
pub async fn json<T: Decode>(url: &str) -> Result<T, String> {
    let text = text(url).await?;
    // The generator wrote this file from the same types; a decoding error
    // means a stale or foreign file.
    from_json(&text).map_err(|e| format!("{url} is not an index file of this version: {e}"))
}
