//! What an empty result says: what was searched, and the next step
//! (keep only the words, search the whole site, use other words).

use std::sync::Arc;

use amed_model::explore::quoted;
use amed_model::search::{PAGE, SiteQuery};
use amed_model::{FacetSpec, Lang, Query};
use leptos::prelude::*;

use crate::i18n::{Words, words};
use crate::location;

/// The conditions of `query` joined for reading, e.g. `「遺伝子」、がん`.
pub fn conditions(query: &Query, facets: &[FacetSpec], lang: Lang) -> String {
    query
        .describe(facets, lang)
        .join(words(lang).list_separator)
}

/// The link to site search for `text`, from the language's home.
fn site_search_href(home: &str, text: &str) -> String {
    let query = SiteQuery {
        text: text.to_string(),
        collection: None,
    };
    format!("{home}{PAGE}?{}", location::url_query(query.url_pairs()))
}

/// Said in place of the result list when a view matches nothing.
#[component]
pub fn EmptyResult(
    /// The collection's facets, for the options' labels.
    facets: Arc<Vec<FacetSpec>>,
    /// The page's language.
    lang: Lang,
    /// The view.
    query: RwSignal<Query>,
    /// The site's home in this language.
    home: String,
) -> impl IntoView {
    let w: &'static Words = words(lang);
    move || {
        let q = query.read();
        if !q.is_filtering() {
            return view! { <div class="empty-result" data-testid="empty-result"><p>{w.list_empty}</p></div> }.into_any();
        }
        let said = format!(
            "{}{}{}",
            w.nothing_for[0],
            conditions(&q, &facets, lang),
            w.nothing_for[1]
        );
        let text = q.text.trim().to_string();
        let filtered = !q.selected.is_empty() || q.year_from.is_some() || q.year_to.is_some();
        let keep_text = (filtered && !text.is_empty()).then(|| {
            view! {
                <li>
                    <button
                        type="button"
                        class="button button--link"
                        data-testid="keep-text-only"
                        on:click=move |_| {
                            query.update(|q| *q = Query { text: q.text.clone(), sort: q.sort, ..Query::default() });
                            crate::focus_search();
                        }
                    >
                        {w.keep_text_only}
                    </button>
                </li>
            }
        });
        let everywhere = (!text.is_empty()).then(|| {
            let href = site_search_href(&home, &text);
            let label = format!(
                "{}{}{}",
                w.search_everywhere[0],
                quoted(&text, lang),
                w.search_everywhere[1]
            );
            view! { <li><a href=href data-testid="search-everywhere">{label}</a></li> }
        });
        let fewer = (!text.is_empty()).then(|| view! { <li>{w.fewer_words}</li> });
        view! {
            <div class="empty-result" data-testid="empty-result">
                <p>{said}</p>
                {q.years_inverted().then(|| view! { <p class="notice" data-testid="years-inverted">{w.years_inverted}</p> })}
                <p>{w.next_steps}</p>
                <ul>
                    {keep_text}
                    {filtered.then(|| view! { <li>{w.clear_hint}</li> })}
                    {everywhere}
                    {fewer}
                </ul>
            </div>
        }
        .into_any()
    }
}
