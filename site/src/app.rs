//! The explorer screen: facets, chips, search, sort, result count,
//! downloads and the (windowed) result list.

use std::sync::Arc;

use amed_model::dataset::facet;
use amed_model::explorer_format::{self as format, TitleOrder};
use amed_model::search as text_search;
use amed_model::{Collection, FacetKind, Index, Lang, Outcome, Query, Sort};
use leptos::ev;
use leptos::prelude::*;

use crate::chips::Chips;
use crate::download::{self, Format, Published};
use crate::empty::EmptyResult;
use crate::i18n::{Words, words};
use crate::location;
use crate::store::Store;

/// Result lists longer than this are windowed: only rows near the viewport
/// are in the DOM, so 100,000 results cost as much as a few dozen.
const WINDOW_FROM: usize = 200;
/// Height of a row in windowed mode, in rems (fixed so row positions are
/// arithmetic, not measured; `.result--windowed` in site.css matches).
const ROW_REMS: usize = 9;
/// Rows rendered beyond each edge of the viewport.
const OVERSCAN: usize = 8;
/// Rows shown before the first measurement of the viewport.
const FIRST_ROWS: usize = 20;

/// Where the collection sits in the site's document numbering.
#[derive(Clone, Copy)]
pub struct CoreInfo {
    /// The collection.
    pub collection: Collection,
    /// Document number of record 0.
    pub first_doc: u32,
}

/// The interactive explorer of one collection.
#[component]
pub fn Explorer(
    /// The collection's core, indexed.
    index: Index,
    /// Where its documents are numbered.
    info: CoreInfo,
    /// The fetched parts of the index.
    store: Store,
    /// The collection's open-data files, for downloads.
    files: Published,
    /// The page's language.
    lang: Lang,
    /// The site's home in this language (`/` or `/en/`): record links start here.
    home: String,
) -> impl IntoView {
    let index = Arc::new(index);
    let w = words(lang);
    let facets = Arc::new(index.facets().to_vec());
    let query = RwSignal::new(location::read(&facets));
    let titles_ready = RwSignal::new(false);
    let text_hits = text_matches(&index, info, store, query);
    let outcome = Memo::new({
        let index = index.clone();
        move |previous: Option<&Outcome>| {
            let hits = text_hits.get();
            let sorted = query.read().sort != Sort::Title || titles_ready.get();
            match (hits, previous) {
                (Some(hits), _) if sorted => index.evaluate(&query.read(), lang, hits.as_deref()),
                // Until the needed parts arrive, the last answer stays; the
                // first one leaves the text (and title order) out meanwhile,
                // so counts and facets are never blank.
                (_, Some(previous)) => previous.clone(),
                (_, None) => index.evaluate(&query.read(), lang, None),
            }
        }
    });
    let busy = move || {
        text_hits.read().is_none() || (query.read().sort == Sort::Title && !titles_ready.get())
    };
    fetch_titles_when_sorted(index.clone(), info, store, lang, query, titles_ready);
    sync_address_bar(facets.clone(), query);
    let open = RwSignal::new(false);
    let active = move || chips_count(&query.read());
    let (facets_for_status, facets_for_empty) = (facets.clone(), facets.clone());
    let home_for_empty = home.clone();
    view! {
        <div class="controls explorer__bar">
            <a class="skip-results" href="#results-heading" data-testid="skip-to-results">{w.skip_to_results}</a>
            <Controls lang query />
            <button
                type="button"
                class="button facets-toggle"
                aria-controls="explorer-facets"
                aria-expanded=move || open.get().to_string()
                data-testid="facets-toggle"
                on:click=move |_| open.update(|o| *o = !*o)
            >
                {w.filters} " (" {active} ")"
            </button>
        </div>
        // Before the filters in reading order: what is set, then what can be.
        <Chips facets=facets.clone() lang query />
        <aside id="explorer-facets" class="facets" class:facets--open=open aria-labelledby="facets-heading">
            <h2 id="facets-heading">{w.filters}</h2>
            {(info.collection == Collection::Approvals).then(|| view! { <YearRange index=index.clone() lang query /> })}
            <Facets index=index.clone() lang query outcome />
            // On a phone the panel covers the results: its end says how
            // many there are and goes to them.
            <button
                type="button"
                class="button facets__show"
                data-testid="show-results"
                on:click=move |_| {
                    open.set(false);
                    crate::focus_results();
                }
            >
                {w.show_results[0]} {move || outcome.read().matches.len()} {w.show_results[1]}
            </button>
        </aside>
        <section class="results" aria-labelledby="results-heading" aria-busy=move || busy().to_string()>
            <h2 id="results-heading" class="visually-hidden" tabindex="-1">{w.results_heading}</h2>
            <p class="result-count" role="status">
                <span data-testid="result-count">{move || outcome.read().matches.len()}</span>
                {move || if outcome.read().matches.len() == 1 { w.result } else { w.results }}
                // What the count is of, for screen readers: the chips say it to the eye.
                <span class="visually-hidden">{move || announced(&query.read(), &facets_for_status, lang)}</span>
            </p>
            // On a phone these fold under one line, so the first result
            // stays on the first screen; wider screens show them.
            <details class="list-actions" class:list-actions--none=move || outcome.read().matches.is_empty()>
                <summary data-testid="list-actions">{w.list_actions}</summary>
                <Downloads files collection=info.collection w outcome query />
                <Follow index=index.clone() collection=info.collection lang query home=home.clone() />
            </details>
            {move || (outcome.read().matches.is_empty()).then(|| {
                view! { <EmptyResult facets=facets_for_empty.clone() lang query home=home_for_empty.clone() /> }
            })}
            <Results index info store lang outcome home />
        </section>
    }
}

/// The feed of the view a reader built, on the feeds page: exactly this
/// view's where one is built, else the closest one, saying what it follows.
#[component]
fn Follow(
    index: Arc<Index>,
    collection: Collection,
    lang: Lang,
    query: RwSignal<Query>,
    home: String,
) -> impl IntoView {
    use amed_model::facet_pages::{FEEDS_PAGE, closest, feed_anchor, feed_path, page_path};
    let w = words(lang);
    move || {
        let q = query.read();
        if !q.is_filtering() {
            return None;
        }
        let selected = q.selected.options();
        // A page, and its feed, exist only for a view with records.
        let mut kept = closest(collection, &selected);
        while !kept.is_empty()
            && index
                .evaluate(&Query::of_options(&kept), lang, None)
                .matches
                .is_empty()
        {
            kept.pop();
        }
        let exact = kept.len() == selected.len()
            && q.text.trim().is_empty()
            && q.year_from.is_none()
            && q.year_to.is_none();
        let feed = feed_path(&page_path(collection, &kept)?);
        let href = format!("{home}{FEEDS_PAGE}#{}", feed_anchor(&feed));
        let label = if exact {
            w.follow_view.to_string()
        } else if kept.is_empty() {
            format!("{}{}", w.follow_closest, w.whole_list)
        } else {
            let followed = Query::of_options(&kept).describe(index.facets(), lang);
            format!("{}{}", w.follow_closest, followed.join(w.list_separator))
        };
        Some(
            view! { <p class="subscriptions" data-testid="follow-view"><a href=href>{label}</a></p> },
        )
    }
}

/// What the live region adds after the count: the view's conditions
/// ("3 results for gene therapy, cancer"), or nothing when unfiltered.
fn announced(query: &Query, facets: &[amed_model::FacetSpec], lang: Lang) -> String {
    let w = words(lang);
    let conditions = crate::empty::conditions(query, facets, lang);
    if conditions.is_empty() {
        String::new()
    } else {
        format!("{}{conditions}{}", w.results_for[0], w.results_for[1])
    }
}

/// The number of filters a reader has set: what the chips show.
fn chips_count(q: &Query) -> usize {
    q.selected.len()
        + usize::from(!q.text.trim().is_empty())
        + usize::from(q.year_from.is_some())
        + usize::from(q.year_to.is_some())
}

/// The records the query's text matches, from the gram buckets: `None`
/// while buckets are on their way, `Some(None)` when the text filters nothing.
fn text_matches(
    index: &Index,
    info: CoreInfo,
    store: Store,
    query: RwSignal<Query>,
) -> Memo<Option<Option<Vec<u32>>>> {
    let count = index.len() as u32;
    let terms = Memo::new(move |_| text_search::terms(&query.read().text));
    Memo::new(move |_| {
        let terms = &*terms.read();
        if terms.is_empty() {
            return Some(None);
        }
        let needed = text_search::needed_buckets(terms, store.layout.buckets);
        let ranges = store.layout.ranges(info.first_doc..info.first_doc + count);
        if !store.have_buckets(ranges, &needed) {
            return None;
        }
        // The list keeps its own order (by date or title): no ranking.
        let docs = store.ranked(terms, |_| false);
        let range = info.first_doc..info.first_doc + count;
        let hits: Vec<u32> = docs
            .into_iter()
            .filter(|d| range.contains(d))
            .map(|d| d - info.first_doc)
            .collect();
        Some(Some(hits))
    })
}

/// Fetches the title order the first time a reader sorts by title.
fn fetch_titles_when_sorted(
    index: Arc<Index>,
    info: CoreInfo,
    store: Store,
    lang: Lang,
    query: RwSignal<Query>,
    ready: RwSignal<bool>,
) {
    let requested = StoredValue::new(false);
    Effect::new(move |_| {
        if query.read().sort != Sort::Title || requested.get_value() {
            return;
        }
        requested.set_value(true);
        let index = index.clone();
        let url = store.url(&format::titles_file(info.collection, lang));
        wasm_bindgen_futures::spawn_local(async move {
            match crate::fetch::json::<TitleOrder>(&url).await {
                Ok(order) if order.check(index.len() as u32).is_ok() && order.lang == lang => {
                    index.set_title_order(order);
                    ready.set(true);
                }
                _ => web_sys::console::warn_1(&format!("cannot load {url}").into()),
            }
        });
    });
}

/// Keeps the address bar (and the language switch) in step with the query.
fn sync_address_bar(facets: Arc<Vec<amed_model::FacetSpec>>, query: RwSignal<Query>) {
    // Effects only sync with the outside world: the address bar.
    Effect::new({
        let facets = facets.clone();
        move |previous: Option<Query>| {
            let current = query.get();
            match previous {
                Some(previous) => {
                    let typing = previous.text != current.text
                        && Query {
                            text: current.text.clone(),
                            ..previous.clone()
                        } == current;
                    location::write(&current, &facets, !typing);
                }
                None => location::keep_in_language_switch(),
            }
            current
        }
    });
    let popstate = window_event_listener(ev::popstate, move |_| query.set(location::read(&facets)));
    on_cleanup(move || popstate.remove());
}

/// One fieldset per facet, a labelled checkbox per option with its count.
#[component]
fn Facets(
    index: Arc<Index>,
    lang: Lang,
    query: RwSignal<Query>,
    outcome: Memo<Outcome>,
) -> impl IntoView {
    index
        .facets()
        .iter()
        .enumerate()
        .map(|(f, spec)| {
            let options = spec
                .options
                .iter()
                .enumerate()
                .map(|(o, option)| {
                    let (id, key) = (spec.id.clone(), option.key.clone());
                    let count = move || outcome.read().counts.get(f).and_then(|c| c.get(o)).copied().unwrap_or(0);
                    let checked = {
                        let (id, key) = (id.clone(), key.clone());
                        move || query.read().is_selected(&id, &key)
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
            // Timing says plainly when nothing is ahead, and from when.
            let upcoming = spec.options.iter().position(|o| o.key == facet::UPCOMING);
            let note = (spec.kind == FacetKind::Timing).then(|| {
                let w = words(lang);
                let today = crate::today().format(lang);
                move || {
                    let ahead = upcoming
                        .and_then(|o| outcome.read().counts.get(f).and_then(|c| c.get(o)).copied())
                        .unwrap_or(0);
                    (ahead == 0).then(|| {
                        view! { <p class="facet__note" data-testid="no-upcoming">{w.no_upcoming[0]} {today.clone()} {w.no_upcoming[1]}</p> }
                    })
                }
            });
            view! {
                <fieldset class="facet">
                    <legend>{spec.label.get(lang).to_string()}</legend>
                    <ul class="facet__options">{options}</ul>
                    {note}
                </fieldset>
            }
        })
        .collect_view()
}

/// The approval year range, a filter like the facets.
#[component]
fn YearRange(index: Arc<Index>, lang: Lang, query: RwSignal<Query>) -> impl IntoView {
    let w = words(lang);
    let span = index.year_span();
    let (min_year, max_year) = (span.map(|s| s.0), span.map(|s| s.1));
    let year_input = move |label: &'static str,
                           name: &'static str,
                           get: fn(&Query) -> Option<u16>,
                           set: fn(&mut Query, Option<u16>)| {
        view! {
            <label>
                {label}
                <input
                    type="number"
                    name=name
                    inputmode="numeric"
                    min=min_year
                    max=max_year
                    prop:value=move || get(&query.read()).map(|y| y.to_string()).unwrap_or_default()
                    on:change=move |ev| {
                        let year = event_target_value(&ev).trim().parse().ok();
                        query.update(|q| set(q, year));
                    }
                />
            </label>
        }
    };
    view! {
        <fieldset class="facet facet--years">
            <legend>{w.years}</legend>
            {year_input(w.from, "from", |q| q.year_from, |q, y| q.year_from = y)}
            {year_input(w.to, "to", |q| q.year_to, |q, y| q.year_to = y)}
        </fieldset>
    }
}

/// Search box and sort.
#[component]
fn Controls(lang: Lang, query: RwSignal<Query>) -> impl IntoView {
    let w = words(lang);
    let sort_option = move |sort: Sort, label: &'static str| {
        view! { <option value=sort.key() prop:selected=move || query.read().sort == sort>{label}</option> }
    };
    view! {
        <label class="controls__search">
            <span class="controls__label">{w.search}</span>
            <input
                type="search"
                name=amed_model::search::TEXT_KEY
                placeholder=w.search_hint
                prop:value=move || query.read().text.clone()
                on:input=move |ev| query.update(|q| q.text = event_target_value(&ev))
            />
        </label>
        <label class="controls__sort">
            <span class="controls__label">{w.sort}</span>
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
    }
}

/// CSV (plain and for Excel) and JSON of exactly the records shown.
#[component]
fn Downloads(
    files: Published,
    collection: Collection,
    w: &'static Words,
    outcome: Memo<Outcome>,
    query: RwSignal<Query>,
) -> impl IntoView {
    use amed_model::facet_pages::{data_file, download_name, page_path};
    let files = Arc::new(files);
    let today = crate::today().to_string();
    // The published file holding exactly the view's records, if any: the
    // whole collection's, or a one-option facet page's.
    let exact = {
        let files = files.clone();
        move |format: Format| {
            let q = query.read_untracked();
            if !q.text.trim().is_empty() || q.year_from.is_some() || q.year_to.is_some() {
                return None;
            }
            let selected = q.selected.options();
            match selected.as_slice() {
                [] => Some(files.url(format).to_string()),
                [one] => page_path(collection, &[*one])
                    .map(|page| format!("{}{}", files.root, data_file(&page, format.extension()))),
                _ => None,
            }
        }
    };
    let link = move |format: Format, label: &'static str| {
        let node = NodeRef::<leptos::html::A>::new();
        let href = files.url(format).to_string();
        // A new result set makes a prepared file stale.
        Effect::new({
            let (files, exact) = (files.clone(), exact.clone());
            move |_| {
                outcome.track();
                if let Some(a) = node.get_untracked() {
                    download::reset(&a, &files, format, exact(format));
                }
            }
        });
        let files = files.clone();
        let today = today.clone();
        let name = move || {
            let q = query.read();
            let selected = q.selected.options();
            download_name(
                collection,
                &selected,
                &q.text,
                (q.year_from, q.year_to),
                &today,
                format.extension(),
            )
        };
        view! {
            <a
                node_ref=node
                href=href
                download=name
                data-testid=format.testid()
                on:click=move |ev| {
                    if let Some(a) = node.get_untracked() {
                        outcome.with_untracked(|o| download::on_click(&ev, &a, &files, &o.matches, format));
                    }
                }
            >
                {label}
            </a>
        }
    };
    let csv = link.clone()(Format::Csv, w.csv);
    let excel = link.clone()(Format::ExcelCsv, w.excel);
    let json = link(Format::Json, w.json);
    view! { <p class="downloads">{w.download} ": " {csv} " " {excel} " " {json}</p> }
}

/// The result list, windowed when long.
#[component]
fn Results(
    index: Arc<Index>,
    info: CoreInfo,
    store: Store,
    lang: Lang,
    outcome: Memo<Outcome>,
    home: String,
) -> impl IntoView {
    // Rows are a fixed number of rems high, so they grow with the reader's
    // font size instead of clipping it; measured once in pixels.
    let row_height = row_height_px();
    let list = NodeRef::<leptos::html::Ol>::new();
    // (how far the list's top is above the viewport's top, viewport height)
    let viewport = RwSignal::new((0_i64, (FIRST_ROWS * row_height) as i64));
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
    let total = move || outcome.read().matches.len();
    let windowed = move || total() > WINDOW_FROM;
    let range = Memo::new(move |_| {
        let n = total();
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
    // Fetch the documents of the rows in view.
    Effect::new(move |_| {
        let (first, last) = range.get();
        let matches = &outcome.read().matches;
        store.want_docs(matches[first..last].iter().map(|&i| info.first_doc + i));
    });
    // (position in the results, record index, result count): position and
    // count feed aria-posinset/-setsize, so screen readers hear "12 of
    // 2,000", not "12 of 30". A row is made anew when any of them changes.
    let rows = move || {
        let (first, last) = range.get();
        let matches = &outcome.read().matches;
        (first..last)
            .zip(matches[first..last].iter().copied())
            .map(|(position, i)| (position + 1, i, matches.len()))
            .collect::<Vec<_>>()
    };
    let pad = move |rows: usize| {
        if windowed() {
            format!("{}px", rows * row_height)
        } else {
            "0".into()
        }
    };
    view! {
        <ol
            class="result-list"
            class:result-list--windowed=windowed
            node_ref=list
            style:padding-top=move || pad(range.get().0)
            style:padding-bottom=move || pad(total() - range.get().1)
        >
            <For
                each=rows
                key=|row| *row
                children=move |(position, i, total)| {
                    let (index, home) = (index.clone(), home.clone());
                    move || result_row(&index, info, store, lang, &home, i, (position, total))
                }
            />
        </ol>
    }
}

/// One result, in the same markup as the generator's static list; a
/// placeholder of the same height until its document arrives.
fn result_row(
    index: &Index,
    info: CoreInfo,
    store: Store,
    lang: Lang,
    home: &str,
    i: u32,
    (position, total): (usize, usize),
) -> AnyView {
    let windowed = total > WINDOW_FROM;
    let w = words(lang);
    let setsize = windowed.then(|| total.to_string());
    let posinset = windowed.then(|| position.to_string());
    let Some(doc) = store.doc(info.first_doc + i) else {
        return view! {
            <li class="result result--loading" class:result--windowed=windowed aria-setsize=setsize aria-posinset=posinset>
                <p class="result__title">{w.loading}</p>
            </li>
        }
        .into_any();
    };
    let id = doc
        .path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_string();
    let foreign = |l: Option<Lang>| l.map(Lang::code);
    let tags = tags(index, lang, i, w);
    view! {
        <li
            class="result"
            class:result--windowed=windowed
            aria-setsize=setsize
            aria-posinset=posinset
            data-testid="result"
            data-id=id
        >
            <h3 class="result__title">
                <a href=format!("{home}{}", doc.path) lang=foreign(doc.title_lang)>{doc.title}</a>
            </h3>
            <p class="result__meta">
                {doc.date.map(|d| view! { <time datetime=d.to_string()>{d.format(lang)}</time> })}
                {doc.sample.then(|| view! { <span class="badge badge--sample">{w.sample}</span> })}
                {tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}
            </p>
            <p class="result__summary" lang=foreign(doc.summary_lang)>{doc.summary}</p>
        </li>
    }
    .into_any()
}

/// The labels under a result's title, as [`amed_model::Entry::tags`] gives them.
fn tags(index: &Index, lang: Lang, i: u32, w: &Words) -> Vec<String> {
    let mut tags = Vec::new();
    for (f, spec) in index.facets().iter().enumerate() {
        if spec.kind != FacetKind::Terms {
            continue;
        }
        for o in index.options_of(f, i) {
            let option = &spec.options[o];
            if spec.id == facet::INTERNATIONAL {
                if option.key == "yes" {
                    tags.push(w.international.to_string());
                }
            } else {
                let tag =
                    amed_model::dataset::distinct_tag(spec, option.label.get(lang), &tags, lang);
                tags.push(tag);
            }
        }
    }
    tags
}

/// `ROW_REMS` in CSS pixels at the reader's root font size.
fn row_height_px() -> usize {
    let root = document().document_element();
    let size = root
        .and_then(|r| window().get_computed_style(&r).ok().flatten())
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|px| {
            px.strip_suffix("px")?
                .split('.')
                .next()?
                .parse::<usize>()
                .ok()
        })
        .unwrap_or(16);
    ROW_REMS * size.max(1)
}
