//! The explorer screen: facets, search, sort, result count, downloads and
//! the (windowed) result list.

use std::sync::Arc;

use amed_model::{Collection, Dataset, Entry, Index, Lang, PartialDate, Query, Sort};
use leptos::ev;
use leptos::prelude::*;

use crate::download::{self, Format};
use crate::i18n::{Words, words};
use crate::location;

/// Result lists longer than this are windowed: only rows near the viewport
/// are in the DOM, so 100,000 results cost as much as a few dozen.
const WINDOW_FROM: usize = 200;
/// Height of a row in windowed mode, in rems (fixed so row positions are
/// arithmetic, not measured; `.result--windowed` in site.css matches).
const ROW_REMS: usize = 9;
/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 8;

/// The interactive explorer of one collection.
#[component]
pub fn Explorer(
    /// The collection's published dataset.
    dataset: Dataset,
    /// The page's language.
    lang: Lang,
    /// Today's date, for upcoming/past.
    today: PartialDate,
    /// The site's home in this language (`/` or `/en/`): record links start here.
    home: String,
) -> impl IntoView {
    let index = Arc::new(Index::new(dataset, today));
    let w = words(lang);
    let query = RwSignal::new(location::read(index.dataset()));
    let outcome = Memo::new({
        let index = index.clone();
        move |_| query.with(|q| index.evaluate(q, lang))
    });

    // Effects only sync with the outside world: the address bar.
    Effect::new({
        let index = index.clone();
        move |previous: Option<Query>| {
            let current = query.get();
            if let Some(previous) = previous {
                let typing = previous.text != current.text
                    && Query {
                        text: current.text.clone(),
                        ..previous.clone()
                    } == current;
                location::write(&current, index.dataset(), !typing);
            }
            current
        }
    });
    let popstate = window_event_listener(ev::popstate, {
        let index = index.clone();
        move |_| query.set(location::read(index.dataset()))
    });
    on_cleanup(move || popstate.remove());

    view! {
        <aside class="facets" aria-labelledby="facets-heading">
            <h2 id="facets-heading">{w.filters}</h2>
            <Facets index=index.clone() lang query outcome />
        </aside>
        <section class="results" aria-labelledby="results-heading">
            <h2 id="results-heading" class="visually-hidden">{w.results_heading}</h2>
            <Controls index=index.clone() lang query />
            <p class="result-count" role="status">
                <span data-testid="result-count">{move || outcome.with(|o| o.matches.len())}</span>
                {w.results}
            </p>
            <Downloads index=index.clone() w outcome />
            <Results index lang outcome home />
        </section>
    }
}

/// One fieldset per facet, a labelled checkbox per option with its count.
#[component]
fn Facets(
    index: Arc<Index>,
    lang: Lang,
    query: RwSignal<Query>,
    outcome: Memo<amed_model::Outcome>,
) -> impl IntoView {
    index
        .dataset()
        .facets
        .iter()
        .enumerate()
        .map(|(f, spec)| {
            let options = spec
                .options
                .iter()
                .enumerate()
                .map(|(o, option)| {
                    let (id, key) = (spec.id.clone(), option.key.clone());
                    let count = move || outcome.with(|out| out.counts[f][o]);
                    let checked = {
                        let (id, key) = (id.clone(), key.clone());
                        move || query.with(|q| q.is_selected(&id, &key))
                    };
                    let disabled = {
                        let checked = checked.clone();
                        move || count() == 0 && !checked()
                    };
                    let (name, value) = (id.clone(), key.clone());
                    let (label, label_lang) = option.label.resolve(lang);
                    view! {
                        <li>
                            <label>
                                <input
                                    type="checkbox"
                                    name=name
                                    value=value
                                    prop:checked=checked
                                    prop:disabled=disabled
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        query.update(|q| q.toggle(&id, &key, on));
                                    }
                                />
                                <span lang=(label_lang != lang).then_some(label_lang.code())>{label.to_string()}</span>
                                <span class="count">"(" {count} ")"</span>
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="facet">
                    <legend>{spec.label.get(lang).to_string()}</legend>
                    <ul class="facet__options">{options}</ul>
                </fieldset>
            }
        })
        .collect_view()
}

/// Search box, year range (approvals), sort and clear-all.
#[component]
fn Controls(index: Arc<Index>, lang: Lang, query: RwSignal<Query>) -> impl IntoView {
    let w = words(lang);
    let dataset = index.dataset();
    let years: Vec<u16> = dataset
        .records
        .iter()
        .filter_map(|e| e.date.map(|d| d.year()))
        .collect();
    let (min_year, max_year) = (years.iter().min().copied(), years.iter().max().copied());
    let year_range = (dataset.collection == Collection::Approvals).then(|| {
        let year_input = move |label: &'static str, name: &'static str, get: fn(&Query) -> Option<u16>, set: fn(&mut Query, Option<u16>)| {
            view! {
                <label>
                    {label}
                    <input
                        type="number"
                        name=name
                        inputmode="numeric"
                        min=min_year
                        max=max_year
                        prop:value=move || query.with(|q| get(q).map(|y| y.to_string()).unwrap_or_default())
                        on:change=move |ev| {
                            let year = event_target_value(&ev).trim().parse().ok();
                            query.update(|q| set(q, year));
                        }
                    />
                </label>
            }
        };
        view! {
            {year_input(w.from, "from", |q| q.year_from, |q, y| q.year_from = y)}
            {year_input(w.to, "to", |q| q.year_to, |q, y| q.year_to = y)}
        }
    });
    let sort_option = move |sort: Sort, label: &'static str| {
        view! { <option value=sort.key() prop:selected=move || query.with(|q| q.sort == sort)>{label}</option> }
    };
    view! {
        <div class="controls">
            <label>
                {w.search}
                <input
                    type="search"
                    name="q"
                    placeholder=w.search_hint
                    prop:value=move || query.with(|q| q.text.clone())
                    on:input=move |ev| query.update(|q| q.text = event_target_value(&ev))
                />
            </label>
            {year_range}
            <label>
                {w.sort}
                <select
                    name="sort"
                    on:change=move |ev| {
                        let sort = Sort::from_key(&event_target_value(&ev)).unwrap_or_default();
                        query.update(|q| q.sort = sort);
                    }
                >
                    {sort_option(Sort::Newest, w.newest)}
                    {sort_option(Sort::Oldest, w.oldest)}
                    {sort_option(Sort::Title, w.title)}
                </select>
            </label>
            <button
                type="button"
                class="button"
                data-testid="clear-all"
                prop:disabled=move || !query.with(Query::is_filtering)
                on:click=move |_| {
                    query.update(|q| *q = Query { sort: q.sort, ..Query::default() });
                    // The button disables itself; keep focus somewhere useful.
                    focus_search();
                }
            >
                {w.clear}
            </button>
        </div>
    }
}

/// CSV and JSON of exactly the records shown.
#[component]
fn Downloads(
    index: Arc<Index>,
    w: &'static Words,
    outcome: Memo<amed_model::Outcome>,
) -> impl IntoView {
    let name = index.dataset().collection;
    let link = move |format: Format, label: &'static str| {
        let index = index.clone();
        let node = NodeRef::<leptos::html::A>::new();
        let (ext, testid) = match format {
            Format::Csv => ("csv", "download-csv"),
            Format::Json => ("json", "download-json"),
        };
        view! {
            <a
                node_ref=node
                href="#"
                download=format!("{}-filtered.{ext}", name.dir())
                data-testid=testid
                on:click=move |_| {
                    if let Some(a) = node.get_untracked() {
                        outcome.with_untracked(|o| download::prepare(&a, index.dataset(), &o.matches, format));
                    }
                }
            >
                {label}
            </a>
        }
    };
    let csv = link.clone()(Format::Csv, w.csv);
    let json = link(Format::Json, w.json);
    view! { <p class="downloads">{w.download} ": " {csv} " " {json}</p> }
}

/// The result list, windowed when long.
#[component]
fn Results(
    index: Arc<Index>,
    lang: Lang,
    outcome: Memo<amed_model::Outcome>,
    home: String,
) -> impl IntoView {
    let w = words(lang);
    // Rows are a fixed number of rems high, so they grow with the reader's
    // font size instead of clipping it; measured once in pixels.
    let row_height = row_height_px();
    let list = NodeRef::<leptos::html::Ol>::new();
    // (how far the list's top is above the viewport's top, viewport height)
    let viewport = RwSignal::new((0_i64, 1000_i64));
    let measure = move || {
        if let Some(ol) = list.get_untracked() {
            let top = ol.get_bounding_client_rect().top();
            let height = window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(1000.0);
            // Whole pixels: float formatting would add kilobytes to the bundle.
            viewport.set((-top as i64, height as i64));
        }
    };
    let scroll = window_event_listener(ev::scroll, move |_| measure());
    let resize = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || {
        scroll.remove();
        resize.remove();
    });
    let total = Memo::new(move |_| outcome.with(|o| o.matches.len()));
    let windowed = Memo::new(move |_| total.get() > WINDOW_FROM);
    let range = Memo::new(move |_| {
        let n = total.get();
        if n <= WINDOW_FROM {
            return (0, n);
        }
        let (above, height) = viewport.get();
        let first = (above.max(0) as usize / row_height)
            .saturating_sub(OVERSCAN)
            .min(n);
        let count = (height.max(0) as usize).div_ceil(row_height) + 2 * OVERSCAN;
        (first, (first + count).min(n))
    });
    // (position in the results, record index, result count): position and
    // count feed aria-posinset/-setsize, so screen readers hear "12 of
    // 2,000", not "12 of 30". A row is made anew when any of them changes,
    // so its attributes need no reactivity of their own.
    let rows = move || {
        let (first, last) = range.get();
        outcome.with(|o| {
            let total = o.matches.len();
            (first..last)
                .zip(o.matches[first..last].iter().copied())
                .map(|(position, i)| (position + 1, i, total))
                .collect::<Vec<_>>()
        })
    };
    let pad = move |rows: usize| {
        if windowed.get() {
            format!("{}px", rows * row_height)
        } else {
            "0".into()
        }
    };
    view! {
        {move || (total.get() == 0).then(|| view! { <p>{w.no_results}</p> })}
        <ol
            class="result-list"
            class:result-list--windowed=windowed
            node_ref=list
            style:padding-top=move || pad(range.get().0)
            style:padding-bottom=move || pad(total.get() - range.get().1)
        >
            <For
                each=rows
                key=|row| *row
                children=move |(position, i, total)| {
                    let entry = &index.dataset().records[i as usize];
                    result_row(entry, &index, lang, &home, (position, total))
                }
            />
        </ol>
    }
}

/// One result, in the same markup as the generator's static list.
fn result_row(
    entry: &Entry,
    index: &Index,
    lang: Lang,
    home: &str,
    (position, total): (usize, usize),
) -> impl IntoView + use<> {
    let windowed = total > WINDOW_FROM;
    let w = words(lang);
    let (title, title_lang) = entry.title.resolve(lang);
    let (summary, summary_lang) = entry.summary.resolve(lang);
    let foreign = move |l: Lang| (l != lang).then_some(l.code());
    let tags = entry.tags(&index.dataset().facets, lang, w.international);
    view! {
        <li
            class="result"
            class:result--windowed=windowed
            aria-setsize=windowed.then(|| total.to_string())
            aria-posinset=windowed.then(|| position.to_string())
            data-testid="result"
            data-id=entry.id.clone()
        >
            <h3 class="result__title">
                <a href=format!("{home}{}", entry.path) lang=foreign(title_lang)>{title.to_string()}</a>
            </h3>
            <p class="result__meta">
                {entry.date.map(|d| view! { <time datetime=d.to_string()>{d.format(lang)}</time> })}
                {entry.sample.then(|| view! { <span class="badge badge--sample">{w.sample}</span> })}
                {tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
            </p>
            <p class="result__summary" lang=foreign(summary_lang)>{summary.to_string()}</p>
        </li>
    }
}

/// Moves keyboard focus to the explorer's search box.
pub fn focus_search() {
    use wasm_bindgen::JsCast;
    let search = document()
        .query_selector("#explorer input[type=search]")
        .ok()
        .flatten();
    if let Some(input) = search.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = input.focus();
    }
}

/// `ROW_REMS` in CSS pixels at the reader's root font size.
fn row_height_px() -> usize {
    let root = document().document_element();
    let size = root
        .and_then(|r| window().get_computed_style(&r).ok().flatten())
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|px| {
            px.trim_end_matches("px")
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(16);
    ROW_REMS * size.max(1)
}
