//! Site search (`/search/`): every collection at once, from the published
//! gram index; its text and collection in the URL ([`SiteQuery`]).

use amed_model::explore::quoted;
use amed_model::explorer_format::SearchManifest;
use amed_model::search::{self as text_search, COLLECTION_KEY, Piece, SiteQuery, TEXT_KEY, Term};
use amed_model::{Collection, Lang};
use leptos::prelude::*;

use crate::i18n::words;
use crate::location;
use crate::store::Store;

/// Hits shown at first, and added by "show more".
const PAGE: usize = 20;
/// Characters of a snippet.
const SNIPPET: usize = 120;

/// The search of the current URL.
fn read() -> SiteQuery {
    let search = window().location().search().unwrap_or_default();
    SiteQuery::from_url_pairs(location::url_pairs(&search))
}

/// The search page's interactive part.
#[component]
pub fn SiteSearch(
    /// Where documents and grams are.
    manifest: SearchManifest,
    /// The fetched parts of the index.
    store: Store,
    /// The page's language.
    lang: Lang,
    /// The site's home in this language.
    home: String,
) -> impl IntoView {
    let w = words(lang);
    let start = read();
    let text = RwSignal::new(start.text);
    let section = RwSignal::new(start.collection);
    let shown = RwSignal::new(PAGE);
    let manifest = StoredValue::new(manifest);
    let terms = Memo::new(move |_| text.with(|t| text_search::terms(t)));
    // Whether the buckets the query needs are here (fetching the missing ones).
    let ready = Memo::new(move |_| {
        terms.with(|terms| {
            terms.is_empty() || {
                let needed = text_search::needed_buckets(terms, store.layout.buckets);
                let ranges = manifest.with_value(|m| store.layout.ranges(m.docs()));
                store.have_buckets(ranges, &needed)
            }
        })
    });
    // Ranked documents; the last answer stays on screen until the next is
    // ready (None only before the first).
    let hits = Memo::new(move |previous: Option<&Option<Vec<u32>>>| {
        if !ready.get() {
            return previous.cloned().flatten();
        }
        terms.with(|terms| Some(manifest.with_value(|m| store.ranked(terms, |d| m.is_sample(d)))))
    });
    let in_section = Memo::new(move |_| {
        let c = section.get();
        hits.with(|h| {
            let hits = h.clone().unwrap_or_default();
            manifest.with_value(|m| match c {
                None => hits,
                Some(c) => hits
                    .into_iter()
                    .filter(|&d| m.section_of(d).is_some_and(|s| s.collection == c))
                    .collect(),
            })
        })
    });
    Effect::new(move |previous: Option<SiteQuery>| {
        let now = SiteQuery {
            text: text.get(),
            collection: section.get(),
        };
        if previous.as_ref().is_some_and(|p| *p != now) {
            shown.set(PAGE);
            location::set_search(&location::url_query(now.url_pairs()), false);
        } else {
            location::keep_in_language_switch();
        }
        now
    });
    Effect::new(move |_| {
        let n = shown.get();
        in_section.with(|h| store.want_docs(h.iter().take(n).copied()));
    });
    let total = move || hits.with(|h| h.as_ref().map_or(0, Vec::len));
    let home_for_empty = home.clone();
    let rows = move || {
        let n = shown.get();
        in_section.with(|h| h.iter().take(n).copied().collect::<Vec<_>>())
    };
    view! {
        <form class="search__form" role="search" aria-label=w.search_page on:submit=move |ev| ev.prevent_default()>
            <label for="search-q">{w.search_label}</label>
            <input
                id="search-q"
                type="search"
                name=TEXT_KEY
                autocomplete="off"
                prop:value=move || text.get()
                on:input=move |ev| text.set(event_target_value(&ev))
            />
            <button type="submit" class="button">{w.search_button}</button>
        </form>
        <div class="explorer">
            <aside class="facets"><Narrow hits section manifest lang/></aside>
            <section class="results" aria-busy=move || (!ready.get()).to_string()>
                <p class="result-count" role="status">
                    {move || terms.with(Vec::is_empty).then_some(w.type_to_search)}
                    {move || (!terms.with(Vec::is_empty)).then(|| view! {
                        <span data-testid="search-count">{move || in_section.with(Vec::len)}</span>
                        {move || if in_section.with(Vec::len) == 1 { w.result } else { w.results }}
                    })}
                </p>
                <ol class="result-list">
                    <For
                        each=rows
                        key=|d| *d
                        children=move |doc| {
                            let home = home.clone();
                            move || hit(store, manifest, lang, &home, doc, &terms.get())
                        }
                    />
                </ol>
                {move || (in_section.with(Vec::len) > shown.get()).then(|| view! {
                    <button type="button" class="button" data-testid="search-more" on:click=move |_| shown.update(|n| *n += PAGE)>
                        {w.more}
                    </button>
                })}
                {move || {
                    let empty = !terms.with(Vec::is_empty) && in_section.with(Vec::is_empty) && hits.with(Option::is_some);
                    empty.then(|| view! { <SearchEmpty text section total=Signal::derive(total) manifest lang home=home_for_empty.clone() /> })
                }}
            </section>
        </div>
    }
}

/// Said when a search finds nothing: what was searched, in which kind,
/// and the next step (every kind, other words, the lists).
#[component]
fn SearchEmpty(
    /// The search text.
    text: RwSignal<String>,
    /// The kind searched, or every one.
    section: RwSignal<Option<Collection>>,
    /// Hits in every kind.
    total: Signal<usize>,
    /// The collections and their lists.
    manifest: StoredValue<SearchManifest>,
    /// The page's language.
    lang: Lang,
    /// The site's home in this language.
    home: String,
) -> impl IntoView {
    let w = words(lang);
    let kind = move || {
        let c = section.get()?;
        manifest.with_value(|m| {
            m.sections
                .iter()
                .find(|s| s.collection == c)
                .map(|s| s.label.get(lang).to_string())
        })
    };
    let said = move || {
        let within = kind()
            .map(|k| format!("{}{k}{}", w.in_kind[0], w.in_kind[1]))
            .unwrap_or_default();
        format!(
            "{}{}{within}{}",
            w.nothing_for[0],
            quoted(text.get().trim(), lang),
            w.nothing_for[1]
        )
    };
    let lists = manifest.with_value(|m| {
        m.sections
            .iter()
            .filter(|s| s.count > 0)
            .map(|s| {
                let href = format!("{home}{}", s.list_path);
                view! { <li><a href=href>{s.label.get(lang).to_string()}</a></li> }
            })
            .collect_view()
    });
    view! {
        <div class="empty-result" data-testid="empty-result">
            <p>{said}</p>
            <p>{w.next_steps}</p>
            <ul>
                {move || (section.get().is_some() && total.get() > 0).then(|| view! {
                    <li>
                        <button type="button" class="button button--link" data-testid="search-all-kinds" on:click=move |_| section.set(None)>
                            {w.search_all_kinds} " (" {total} ")"
                        </button>
                    </li>
                })}
                <li>{w.fewer_words}</li>
                <li>{w.browse_lists} <ul class="empty-result__lists">{lists}</ul></li>
            </ul>
        </div>
    }
}

/// The collections a search can be narrowed to, each with its hits.
#[component]
fn Narrow(
    /// The ranked hits in every collection.
    hits: Memo<Option<Vec<u32>>>,
    /// The collection searched, or every one.
    section: RwSignal<Option<Collection>>,
    /// Where each collection's documents are.
    manifest: StoredValue<SearchManifest>,
    /// The page's language.
    lang: Lang,
) -> impl IntoView {
    let w = words(lang);
    let counts = move || {
        hits.with(|h| {
            let hits = h.as_deref().unwrap_or_default();
            manifest.with_value(|m| {
                m.sections
                    .iter()
                    .map(|s| {
                        let n = hits
                            .iter()
                            .filter(|&&d| (s.first..s.first + s.count).contains(&d))
                            .count();
                        (s.collection, s.label.get(lang).to_string(), n)
                    })
                    .collect::<Vec<_>>()
            })
        })
    };
    let radio = move |c: Option<Collection>, label: String, n: usize| {
        let value = c.map_or("", Collection::dir);
        view! {
            <li>
                <label>
                    <input
                        type="radio"
                        name=COLLECTION_KEY
                        value=value
                        prop:checked=move || section.get() == c
                        on:change=move |_| section.set(c)
                    />
                    {label} <span class="count">"(" {n} ")"</span>
                </label>
            </li>
        }
    };
    move || {
        let counts = counts();
        let all: usize = counts.iter().map(|c| c.2).sum();
        let options = counts
            .into_iter()
            .filter(|(c, _, n)| *n > 0 || section.get_untracked() == Some(*c))
            .map(|(c, label, n)| radio(Some(c), label, n))
            .collect_view();
        view! {
            <fieldset class="facet search__narrow">
                <legend>{w.narrow}</legend>
                <ul class="facet__options">
                    {radio(None, w.all_collections.to_string(), all)}
                    {options}
                </ul>
            </fieldset>
        }
    }
}

/// Text with its matches in `<mark>`.
fn marked(pieces: Vec<Piece>) -> impl IntoView {
    pieces
        .into_iter()
        .map(|p| {
            if p.mark {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}

/// One search hit: collection, title, date and snippet.
fn hit(
    store: Store,
    manifest: StoredValue<SearchManifest>,
    lang: Lang,
    home: &str,
    doc: u32,
    terms: &[Term],
) -> AnyView {
    let w = words(lang);
    let Some(d) = store.doc(doc) else {
        return view! { <li class="result result--loading"><p class="result__title">{w.loading}</p></li> }.into_any();
    };
    let section = manifest.with_value(|m| m.section_of(doc).map(|s| s.label.get(lang).to_string()));
    let foreign = |l: Option<Lang>| l.map(Lang::code);
    let title = marked(text_search::snippet(&d.title, terms, usize::MAX / 2));
    let snippet = marked(text_search::snippet(&d.summary, terms, SNIPPET));
    view! {
        <li class="result" data-testid="search-hit" data-path=d.path.clone()>
            <p class="result__meta">
                <span class="tag tag--collection" data-testid="search-collection">{section}</span>
                {d.date.map(|date| view! { <time datetime=date.to_string()>{date.format(lang)}</time> })}
                {d.sample.then(|| view! { <span class="badge badge--sample">{w.sample}</span> })}
            </p>
            <h2 class="result__title">
                <a href=format!("{home}{}", d.path) lang=foreign(d.title_lang)>{title}</a>
            </h2>
            <p class="result__summary" lang=foreign(d.summary_lang)>{snippet}</p>
        </li>
    }
    .into_any()
}
