//! The explorer's own words, in the page's language: the fields are
//! declared here, their words come from `model/ui.toml` (see `build.rs`).

use amed_model::Lang;

/// Interface text of the explorer and site search.
pub struct Words {
    pub filters: &'static str,
    pub search: &'static str,
    pub search_hint: &'static str,
    pub sort: &'static str,
    pub newest: &'static str,
    pub oldest: &'static str,
    pub title: &'static str,
    pub clear: &'static str,
    pub years: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub download: &'static str,
    pub csv: &'static str,
    pub excel: &'static str,
    pub json: &'static str,
    pub results: &'static str,
    /// The same after a count of one.
    pub result: &'static str,
    pub results_heading: &'static str,
    pub international: &'static str,
    pub sample: &'static str,
    pub loading: &'static str,
    pub chips_label: &'static str,
    pub remove_suffix: &'static str,
    pub separator: &'static str,
    pub search_label: &'static str,
    pub search_page: &'static str,
    pub search_button: &'static str,
    pub all_collections: &'static str,
    pub narrow: &'static str,
    pub more: &'static str,
    pub type_to_search: &'static str,
    /// Around the list of conditions an empty result repeats.
    pub nothing_for: [&'static str; 2],
    /// An empty list with no condition set.
    pub list_empty: &'static str,
    pub next_steps: &'static str,
    /// Clears the filters but keeps the search words.
    pub keep_text_only: &'static str,
    pub clear_hint: &'static str,
    /// Around the search words, on the link to site search.
    pub search_everywhere: [&'static str; 2],
    pub fewer_words: &'static str,
    pub years_inverted: &'static str,
    /// Around the conditions the live region reads after the count.
    pub results_for: [&'static str; 2],
    /// Between conditions.
    pub list_separator: &'static str,
    /// Site search narrowed to one kind finds nothing there.
    pub search_all_kinds: &'static str,
    pub browse_lists: &'static str,
    /// Around the kind a site search was narrowed to.
    pub in_kind: [&'static str; 2],
    /// The feed of exactly the view.
    pub follow_view: &'static str,
    /// The closest feed, before what it follows.
    pub follow_closest: &'static str,
    /// What the closest feed follows when it is the whole list's.
    pub whole_list: &'static str,
    pub skip_to_results: &'static str,
    /// What the fold of downloads and the feed link says on a phone.
    pub list_actions: &'static str,
    /// Around the count, on the filter panel's last button.
    pub show_results: [&'static str; 2],
    /// Around today's date, when no event is ahead.
    pub no_upcoming: [&'static str; 2],
}

include!(concat!(env!("OUT_DIR"), "/words.rs"));

/// The words for `lang`.
pub fn words(lang: Lang) -> &'static Words {
    match lang {
        Lang::Ja => &JA,
        Lang::En => &EN,
    }
}
