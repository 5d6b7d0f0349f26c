//! The AMED Results Portal explorer and site search.
//!
//! Progressive enhancement: the generator has already rendered every list
//! page as plain HTML. When this module loads, it looks for `#explorer`
//! (a list page) or `#search` (the search page), fetches the small files of
//! the explorer's index it needs first ([`amed_model::explorer_format`]),
//! and replaces the static content in place with the interactive one.
//! Titles, summaries and search postings follow only for what a reader
//! looks at. Without JavaScript, nothing here runs and the static page
//! stays fully usable.

// Each page loads only its own app: `portal build` compiles this crate
// twice, with the `lists` feature for list pages and with `search` for the
// search page (about 19 and 58 KB less gzip than one bundle of both). The
// parts one app does not call are dead code in the other's build.
#![cfg_attr(
    not(all(feature = "lists", feature = "search")),
    allow(dead_code, unused_imports)
)]

#[cfg(feature = "lists")]
mod app;
#[cfg(feature = "lists")]
mod chips;
#[cfg(feature = "lists")]
mod download;
#[cfg(feature = "lists")]
mod empty;
mod fetch;
mod i18n;
mod location;
#[cfg(feature = "search")]
mod search;
mod store;

use amed_model::explorer_format::{CollectionCore, SearchManifest};
use amed_model::{Index, Lang, PartialDate};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// Entry point, run when the module is instantiated.
#[wasm_bindgen(start)]
pub fn start() {
    let root = |id: &str| {
        document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    // A page has one mount point or none.
    #[cfg(feature = "lists")]
    if let Some(root) = root("explorer") {
        wasm_bindgen_futures::spawn_local(async move { report(mount_explorer(root).await) });
    }
    #[cfg(feature = "search")]
    if let Some(root) = root("search") {
        wasm_bindgen_futures::spawn_local(async move { report(mount_search(root).await) });
    }
}

/// Says in the console why the page stayed static, if it did.
fn report(result: Result<(), String>) {
    if let Err(err) = result {
        // The static page is still there and usable; say why it stayed static.
        web_sys::console::warn_1(&JsValue::from_str(&format!("explorer not started: {err}")));
    }
}

/// What the generator put on the mount point.
struct Mount {
    root: web_sys::HtmlElement,
    lang: Lang,
    home: String,
}

impl Mount {
    fn of(root: web_sys::HtmlElement) -> Mount {
        let lang = root
            .get_attribute("data-lang")
            .and_then(|l| Lang::from_tag(&l))
            .unwrap_or(Lang::Ja);
        let home = root
            .get_attribute("data-home")
            .unwrap_or_else(|| "/".into());
        Mount { root, lang, home }
    }

    fn attr(&self, name: &str) -> Result<String, String> {
        self.root
            .get_attribute(name)
            .ok_or_else(|| format!("no {name} attribute"))
    }

    /// Empties the mount point and marks it ready; whether focus was inside.
    fn take_over(&self) -> Result<bool, String> {
        // A reader may already be inside the static content: after the
        // swap, give them the search box rather than dropping focus.
        let had_focus = document()
            .active_element()
            .is_some_and(|e| self.root.contains(Some(&e)));
        self.root.set_inner_html("");
        self.root
            .set_attribute("data-ready", "true")
            .map_err(|_| "cannot mark the explorer ready")?;
        Ok(had_focus)
    }
}

/// A mark for the benchmark's time-to-interactive figure.
fn mark_ready() {
    if let Some(performance) = window().performance() {
        let _ = performance.mark("explorer-ready");
    }
}

/// Moves keyboard focus to the results' heading (after the view changed
/// under the reader's hands, so they hear where they are).
fn focus_results() {
    let heading = document().get_element_by_id("results-heading");
    if let Some(h) = heading.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = h.focus();
    }
}

/// Moves keyboard focus to the page's search box.
fn focus_search() {
    let search = document()
        .query_selector("#explorer input[type=search], #search input[type=search]")
        .ok()
        .flatten();
    if let Some(input) = search.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = input.focus();
    }
}

#[cfg(feature = "lists")]
async fn mount_explorer(root: web_sys::HtmlElement) -> Result<(), String> {
    let mount = Mount::of(root);
    let core: CollectionCore = fetch::json(&mount.attr("data-core")?).await?;
    core.check().map_err(|e| e.to_string())?;
    let store = store::Store::new(mount.attr("data-root")?, mount.lang, core.layout);
    let explore_root = mount.attr("data-root")?;
    let files = download::Published {
        csv: mount.attr("data-csv")?,
        excel: mount.attr("data-excel")?,
        json: mount.attr("data-json")?,
        // The site's root: where the explorer's index folder sits.
        root: explore_root
            .strip_suffix(amed_model::explorer_format::ROOT)
            .unwrap_or("/")
            .to_string(),
    };
    let info = app::CoreInfo {
        collection: core.collection,
        first_doc: core.first_doc,
    };
    let index = Index::from_core(core, today());
    let had_focus = mount.take_over()?;
    let (lang, home) = (mount.lang, mount.home.clone());
    leptos::mount::mount_to(mount.root, move || {
        view! { <app::Explorer index info store files lang home /> }
    })
    .forget();
    if had_focus {
        focus_search();
    }
    mark_ready();
    Ok(())
}

#[cfg(feature = "search")]
async fn mount_search(root: web_sys::HtmlElement) -> Result<(), String> {
    let mount = Mount::of(root);
    let manifest: SearchManifest = fetch::json(&mount.attr("data-manifest")?).await?;
    manifest.check().map_err(|e| e.to_string())?;
    let store = store::Store::new(mount.attr("data-root")?, mount.lang, manifest.layout);
    let had_focus = mount.take_over()?;
    let (lang, home) = (mount.lang, mount.home.clone());
    leptos::mount::mount_to(mount.root, move || {
        view! { <search::SiteSearch manifest store lang home /> }
    })
    .forget();
    if had_focus {
        focus_search();
    }
    mark_ready();
    Ok(())
}

/// Today's date in the reader's time zone, for upcoming/past.
pub(crate) fn today() -> PartialDate {
    let now = js_sys::Date::new_0();
    PartialDate::ymd(
        now.get_full_year() as u16,
        now.get_month() as u8 + 1,
        now.get_date() as u8,
    )
    .unwrap_or_else(|| PartialDate::ymd(1970, 1, 1).expect("a real date"))
}
