//! Downloads of exactly the filtered records, cut from the published
//! open-data files when a link is used: the file is fetched on the first
//! click, never before, so the explorer's first answer does not wait for it.
//!
//! CSV rows are cut from `/data/<collection>.csv` (header, then the rows
//! of the matches in result order; the Excel flavour adds the byte-order
//! mark, as the generator does). JSON is cut from the published JSON with
//! the browser's `JSON.parse`/`JSON.stringify` (two-space indent, as the
//! generator writes it). Both keep serde's and the exporter's code out of
//! the bundle; the browser tests check the bytes equal the generator's
//! export of the same records.

use std::cell::RefCell;

use wasm_bindgen::{JsCast, JsValue};

/// The published files of a collection.
#[derive(Clone)]
pub struct Published {
    /// `/data/<collection>.csv`.
    pub csv: String,
    /// `/data/<collection>.excel.csv`.
    pub excel: String,
    /// `/data/<collection>.json`.
    pub json: String,
    /// The site's root (`/` or `/amed/`), for facet pages' files.
    pub root: String,
}

impl Published {
    /// The full file a format's link offers before filtering.
    pub fn url(&self, format: Format) -> &str {
        match format {
            Format::Json => &self.json,
            Format::Csv => &self.csv,
            Format::ExcelCsv => &self.excel,
        }
    }
}

/// Which format to download.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain UTF-8 CSV.
    Csv,
    /// UTF-8 CSV with a byte-order mark, for Excel.
    ExcelCsv,
    /// JSON as published.
    Json,
}

impl Format {
    /// File name ending.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::ExcelCsv => "excel.csv",
            Format::Json => "json",
        }
    }

    /// The test id of its link.
    pub fn testid(self) -> &'static str {
        match self {
            Format::Csv => "download-csv",
            Format::ExcelCsv => "download-excel",
            Format::Json => "download-json",
        }
    }
}

thread_local! {
    /// Published files fetched so far (JS strings) with their URLs: at most
    /// the two a collection offers.
    static FETCHED: RefCell<Vec<(String, JsValue)>> = const { RefCell::new(Vec::new()) };
    /// Bumped by every new result set: a file prepared for an older one is
    /// dropped, not offered.
    static GENERATION: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Points `link` at the file of a new result set: `exact`, a published
/// file holding exactly these records (the whole collection's, or a facet
/// page's), when there is one, so the link is the file before any click;
/// else the full file, until a click cuts the subset.
pub fn reset(
    link: &web_sys::HtmlAnchorElement,
    files: &Published,
    format: Format,
    exact: Option<String>,
) {
    let previous = link.href();
    if previous.starts_with("blob:") {
        let _ = web_sys::Url::revoke_object_url(&previous);
    }
    let _ = link.remove_attribute("aria-busy");
    GENERATION.with(|g| g.set(g.get() + 1));
    match exact {
        Some(url) => {
            link.set_href(&url);
            let _ = link.set_attribute("data-prepared", "");
        }
        None => {
            link.set_href(files.url(format));
            let _ = link.remove_attribute("data-prepared");
        }
    }
}

/// A click on a download link: the first one prepares the file of
/// `matches` and clicks again; the second lets the browser save it.
pub fn on_click(
    ev: &web_sys::MouseEvent,
    link: &web_sys::HtmlAnchorElement,
    files: &Published,
    matches: &[u32],
    format: Format,
) {
    if link.has_attribute("data-prepared") {
        return;
    }
    ev.prevent_default();
    if link.has_attribute("aria-busy") {
        // Already being prepared: one file, one download.
        return;
    }
    let _ = link.set_attribute("aria-busy", "true");
    let generation = GENERATION.with(|g| g.get());
    let (link, matches) = (link.clone(), matches.to_vec());
    // Both CSV flavours are cut from the plain file (fetched once).
    let url = match format {
        Format::Json => files.json.clone(),
        Format::Csv | Format::ExcelCsv => files.csv.clone(),
    };
    wasm_bindgen_futures::spawn_local(async move {
        let text = published(&url).await;
        if GENERATION.with(|g| g.get()) != generation {
            // The results changed while the file was on its way.
            return;
        }
        let _ = link.remove_attribute("aria-busy");
        let Some(text) = text else {
            // The published file could not be fetched: offer it whole.
            let _ = link.set_attribute("data-prepared", "");
            return;
        };
        let body = match format {
            Format::Json => json_subset(&text, &matches),
            Format::Csv => text.as_string().map(|t| csv_subset(&t, &matches)),
            Format::ExcelCsv => text
                .as_string()
                .map(|t| format!("\u{FEFF}{}", csv_subset(&t, &matches))),
        };
        let Some(body) = body else { return };
        let mime = if format == Format::Json {
            "application/json"
        } else {
            "text/csv;charset=utf-8"
        };
        let parts = js_sys::Array::of1(&JsValue::from_str(&body));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(mime);
        let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options) else {
            return;
        };
        let Ok(object) = web_sys::Url::create_object_url_with_blob(&blob) else {
            return;
        };
        link.set_href(&object);
        let _ = link.set_attribute("data-prepared", "");
        link.click();
    });
}

/// The published file at `url`, fetched once.
async fn published(url: &str) -> Option<JsValue> {
    let known = FETCHED.with(|f| {
        f.borrow()
            .iter()
            .find(|(u, _)| u == url)
            .map(|(_, text)| text.clone())
    });
    if let Some(text) = known {
        return Some(text);
    }
    let text = JsValue::from_str(&crate::fetch::text(url).await.ok()?);
    FETCHED.with(|f| f.borrow_mut().push((url.to_string(), text.clone())));
    Some(text)
}

/// The CSV `text` with only the rows `matches` (0-based, after the
/// header), in that order. Rows end at a line break outside quotes.
fn csv_subset(text: &str, matches: &[u32]) -> String {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut rows: Vec<&str> = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'"' => quoted = !quoted,
            // Rows end at a line feed, always a character boundary: `get`
            // never misses, and the module carries no slicing panic.
            b'\n' if !quoted => {
                rows.extend(text.get(start..=i));
                start = i + 1;
            }
            _ => {}
        }
    }
    rows.extend(text.get(start..).filter(|rest| !rest.is_empty()));
    let mut out = String::from(rows.first().copied().unwrap_or_default());
    for &i in matches {
        if let Some(row) = rows.get(i as usize + 1) {
            out.push_str(row);
        }
    }
    out
}

/// The published JSON with only `matches` in `records`, as the generator
/// would write it.
fn json_subset(text: &JsValue, matches: &[u32]) -> Option<String> {
    let json = js_sys::global().dyn_into::<js_sys::Object>().ok()?;
    let json = js_sys::Reflect::get(&json, &"JSON".into()).ok()?;
    let parse: js_sys::Function = js_sys::Reflect::get(&json, &"parse".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let dataset = parse.call1(&json, text).ok()?;
    let records: js_sys::Array = js_sys::Reflect::get(&dataset, &"records".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let subset: js_sys::Array = matches.iter().map(|&i| records.get(i)).collect();
    js_sys::Reflect::set(&dataset, &"records".into(), &subset).ok()?;
    let body = js_sys::JSON::stringify_with_replacer_and_space(
        &dataset,
        &JsValue::NULL,
        &JsValue::from(2),
    )
    .ok()?;
    Some(String::from(body) + "\n")
}
