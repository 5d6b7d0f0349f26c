//! Downloads of exactly the filtered records, made when the link is used
//! (not on every change, which would cost a CSV per click at 100,000 rows).

use amed_model::{Dataset, export};
use wasm_bindgen::JsValue;

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
    let subset = dataset.subset(indices);
    let (body, mime) = match format {
        Format::Csv => (export::to_csv(&subset), "text/csv;charset=utf-8"),
        Format::Json => (export::to_json(&subset), "application/json"),
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
