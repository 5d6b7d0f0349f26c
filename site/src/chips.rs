//! The filters a reader has set, as removable chips, with "clear all".

use std::sync::Arc;

use amed_model::{FacetSpec, Lang, Query};
use leptos::prelude::*;

use crate::i18n::words;

/// One chip: what it says and how to remove it.
#[derive(Clone, PartialEq)]
enum Chip {
    Option {
        facet: String,
        key: String,
        label: String,
    },
    Text(String),
    From(u16),
    To(u16),
}

fn chips_of(q: &Query, facets: &[FacetSpec], lang: Lang) -> Vec<Chip> {
    let w = words(lang);
    let mut chips = Vec::new();
    for spec in facets {
        for option in &spec.options {
            if q.is_selected(&spec.id, &option.key) {
                chips.push(Chip::Option {
                    facet: spec.id.clone(),
                    key: option.key.clone(),
                    label: format!(
                        "{}{}{}",
                        spec.label.get(lang),
                        w.separator,
                        option.label.get(lang)
                    ),
                });
            }
        }
    }
    if !q.text.trim().is_empty() {
        chips.push(Chip::Text(q.text.trim().to_string()));
    }
    chips.extend(q.year_from.map(Chip::From));
    chips.extend(q.year_to.map(Chip::To));
    chips
}

/// The chips of the current query.
#[component]
pub fn Chips(facets: Arc<Vec<FacetSpec>>, lang: Lang, query: RwSignal<Query>) -> impl IntoView {
    let w = words(lang);
    let chips = Memo::new(move |_| chips_of(&query.read(), &facets, lang));
    let remove = move |chip: &Chip, position: usize| {
        query.update(|q| match chip {
            Chip::Option { facet, key, .. } => q.toggle(facet, key, false),
            Chip::Text(_) => q.text.clear(),
            Chip::From(_) => q.year_from = None,
            Chip::To(_) => q.year_to = None,
        });
        // The chip is gone: focus the one that took its place, or the
        // results when it was the last, once the chips are drawn again.
        request_animation_frame(move || focus_chip_or_results(position));
    };
    view! {
        <div class="chips" class:chips--none=move || chips.read().is_empty() role="group" aria-label=w.chips_label data-testid="chips">
            <ul class="chips__list">
                // Remade whole when the query changes: a handful of chips,
                // and a keyed list would cost the bundle a second diff.
                {move || chips.get().into_iter().enumerate().map(|(position, chip)| {
                    let text = match &chip {
                        Chip::Option { label, .. } => label.clone(),
                        Chip::Text(text) => format!("{}{}「{text}」", w.search, w.separator),
                        Chip::From(y) => format!("{}{}{y}", w.from, w.separator),
                        Chip::To(y) => format!("{}{}{y}", w.to, w.separator),
                    };
                    let aria = format!("{}{}", text, w.remove_suffix);
                    view! {
                        <li>
                            <button
                                type="button"
                                class="chip"
                                data-testid="chip"
                                aria-label=aria
                                on:click=move |_| remove(&chip, position)
                            >
                                <span>{text}</span>
                                <span class="chip__x" aria-hidden="true">"×"</span>
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <button
                type="button"
                class="button"
                data-testid="clear-all"
                prop:disabled=move || !query.read().is_filtering()
                on:click=move |_| {
                    query.update(|q| *q = Query { sort: q.sort, ..Query::default() });
                    // The button disables itself; keep focus somewhere useful.
                    crate::focus_search();
                }
            >
                {w.clear}
            </button>
        </div>
    }
}

/// Focuses chip `position` (the next one, after a removal), or the one
/// before it, or the results' heading when no chip is left.
fn focus_chip_or_results(position: usize) {
    use wasm_bindgen::JsCast;
    let nth = |n: usize| {
        document()
            .query_selector(&format!("[data-testid=chips] li:nth-child({n}) .chip"))
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    };
    // nth-child counts from 1: the chip now at `position`, else the one before.
    match nth(position + 1).or_else(|| (position > 0).then(|| nth(position)).flatten()) {
        Some(chip) => {
            let _ = chip.focus();
        }
        None => crate::focus_results(),
    }
}
