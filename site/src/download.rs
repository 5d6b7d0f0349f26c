//! Downloads of exactly the filtered records, made when the link is used
//! (not on every change, which would cost a CSV per click at 100,000 rows).
//!
//! CSV comes from the shared exporter. JSON is cut from the published file
//! itself with the browser's `JSON.parse`/`JSON.stringify` (two-space
//! indent, as the generator writes it), which keeps serde's serializers
//! out of the bundle; the browser tests check the bytes equal the
//! generator's `export::to_json` of the same records.

use std::cell::RefCell;

use amed_model::{Dataset, export};
use wasm_bindgen::{JsCast, JsValue};

thread_local! {
    /// The published dataset file as fetched, a JS string.
    static PUBLISHED: RefCell<JsValue> = const { RefCell::new(JsValue::UNDEFINED) };
}

/// Keeps the fetched `/data/<collection>.json` text for JSON downloads.
pub fn keep_published(text: JsValue) {
    PUBLISHED.with(|p| *p.borrow_mut() = text);
}

/// The published file with only `indices` in `records`, as the generator
/// would write it.
fn json_subset(indices: &[u32]) -> Option<String> {
    let text = PUBLISHED.with(|p| p.borrow().clone());
    let json = js_sys::global().dyn_into::<js_sys::Object>().ok()?;
    let json = js_sys::Reflect::get(&json, &"JSON".into()).ok()?;
    let parse: js_sys::Function = js_sys::Reflect::get(&json, &"parse".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let dataset = parse.call1(&json, &text).ok()?;
    let records: js_sys::Array = js_sys::Reflect::get(&dataset, &"records".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let subset: js_sys::Array = indices.iter().map(|&i| records.get(i)).collect();
    js_sys::Reflect::set(&dataset, &"records".into(), &subset).ok()?;
    let body = js_sys::JSON::stringify_with_replacer_and_space(
        &dataset,
        &JsValue::NULL,
        &JsValue::from(2),
    )
    .ok()?;
    Some(String::from(body) + "\n")
}

/// Which format to download.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Points `link` at a fresh object URL holding `indices` of `dataset`.
pub fn prepare(
    link: &web_sys::HtmlAnchorElement,
    dataset: &Dataset,
    indices: &[u32],
    format: Format,
) {
    let (body, mime) = match format {
        Format::Csv => (
            export::to_csv(&dataset.subset(indices)),
            "text/csv;charset=utf-8",
        ),
        Format::Json => match json_subset(indices) {
            Some(json) => (json, "application/json"),
            None => return,
        },
    };
    let parts = js_sys::Array::of1(&JsValue::from_str(&body));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let previous = link.href();
    if previous.starts_with("blob:") {
        let _ = web_sys::Url::revoke_object_url(&previous);
    }
    link.set_href(&url);
}
