//! The AMED Results Portal explorer: faceted filtering for the list pages.
//!
//! Progressive enhancement: the generator has already rendered every list
//! page as plain HTML. When this module loads, it looks for `#explorer`,
//! fetches the collection's published dataset (`/data/<collection>.json`,
//! decoded into the shared [`amed_model::Dataset`]), and replaces the static
//! list in place with the interactive one. Without JavaScript, nothing here
//! runs and the static page stays fully usable.

mod app;
mod download;
mod i18n;
mod location;

use amed_model::{Dataset, Lang, PartialDate};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// Entry point, run when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    let Some(root) = document().get_element_by_id("explorer") else {
        return;
    };
    let Ok(root) = root.dyn_into::<web_sys::HtmlElement>() else {
        return;
    };
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(err) = mount(root).await {
            // The static page is still there and usable; say why it stayed static.
            web_sys::console::warn_1(&JsValue::from_str(&format!("explorer not started: {err}")));
        }
    });
}

async fn mount(root: web_sys::HtmlElement) -> Result<(), String> {
    let url = root
        .get_attribute("data-dataset")
        .ok_or("no data-dataset attribute")?;
    let lang = root
        .get_attribute("data-lang")
        .and_then(|l| Lang::from_tag(&l))
        .unwrap_or(Lang::Ja);
    let home = root
        .get_attribute("data-home")
        .unwrap_or_else(|| "/".into());
    let dataset = fetch_dataset(&url).await?;
    let today = today();
    // A reader may already be inside the static list: after the swap, give
    // them the search box rather than dropping focus to the page.
    let had_focus = document()
        .active_element()
        .is_some_and(|e| root.contains(Some(&e)));
    root.set_inner_html("");
    root.set_attribute("data-ready", "true")
        .map_err(|_| "cannot mark the explorer ready")?;
    leptos::mount::mount_to(
        root,
        move || view! { <app::Explorer dataset lang today home /> },
    )
    .forget();
    if had_focus {
        app::focus_search();
    }
    // A mark for the benchmark's time-to-interactive figure.
    if let Some(performance) = window().performance() {
        let _ = performance.mark("explorer-ready");
    }
    Ok(())
}

async fn fetch_dataset(url: &str) -> Result<Dataset, String> {
    let window = window();
    let response = JsFuture::from(window.fetch_with_str(url))
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
    let text_js = text;
    let text = text_js.as_string().ok_or("response is not text")?;
    download::keep_published(text_js);
    // The generator wrote this file from the same types; a decoding error
    // means a stale or foreign file, and its details would only add bundle size.
    serde_json::from_str(&text).map_err(|_| format!("{url} is not a dataset of this version"))
}

/// Today's date in the reader's time zone, for upcoming/past.
fn today() -> PartialDate {
    let now = js_sys::Date::new_0();
    PartialDate::ymd(
        now.get_full_year() as u16,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| PartialDate::ymd(1970, 1, 1).expect("a real date"))
}
