//! Makes the explorer's `Words` (`src/i18n.rs`) from the site's one list of
//! UI words, `model/ui.toml`, at compile time: the generated pages and the
//! explorer cannot drift apart, and the explorer carries no TOML parser.

use std::collections::BTreeMap;
use std::fmt::Write;

/// Each field of `Words`, the `ui.toml` key it takes, and whether it is a
/// pair of words around a value (the key's `{}`).
const FIELDS: &[(&str, &str, bool)] = &[
    ("filters", "explorer_filters", false),
    ("search", "explorer_search", false),
    ("search_hint", "explorer_search_hint", false),
    ("sort", "explorer_sort", false),
    ("newest", "explorer_newest", false),
    ("oldest", "explorer_oldest", false),
    ("title", "explorer_title", false),
    ("clear", "explorer_clear", false),
    ("years", "explorer_years", false),
    ("from", "explorer_from", false),
    ("to", "explorer_to", false),
    ("download", "explorer_download", false),
    ("csv", "download_csv", false),
    ("excel", "download_excel", false),
    ("json", "download_json", false),
    ("results", "results_count_suffix", false),
    ("result", "result_count_suffix_one", false),
    ("results_heading", "results_label", false),
    ("international", "international_collaboration", false),
    ("sample", "sample_badge", false),
    ("loading", "explorer_loading", false),
    ("chips_label", "explorer_chips_label", false),
    ("remove_suffix", "remove_filter", false),
    ("separator", "label_separator", false),
    ("search_label", "search_label", false),
    ("search_page", "search_header_label", false),
    ("search_button", "search_button", false),
    ("all_collections", "explorer_all_collections", false),
    ("narrow", "explorer_narrow", false),
    ("more", "explorer_more", false),
    ("type_to_search", "explorer_type_to_search", false),
    ("nothing_for", "explorer_nothing_for", true),
    ("list_empty", "explorer_list_empty", false),
    ("next_steps", "explorer_next_steps", false),
    ("keep_text_only", "explorer_keep_text_only", false),
    ("clear_hint", "explorer_clear_hint", false),
    ("search_everywhere", "explorer_search_everywhere", true),
    ("fewer_words", "explorer_fewer_words", false),
    ("years_inverted", "explorer_years_inverted", false),
    ("results_for", "explorer_results_for", true),
    ("list_separator", "list_separator", false),
    ("search_all_kinds", "explorer_search_all_kinds", false),
    ("browse_lists", "explorer_browse_lists", false),
    ("in_kind", "explorer_in_kind", true),
    ("follow_view", "explorer_follow_view", false),
    ("follow_closest", "explorer_follow_closest", false),
    ("whole_list", "explorer_whole_list", false),
    ("skip_to_results", "explorer_skip_to_results", false),
    ("list_actions", "explorer_list_actions", false),
    ("show_results", "explorer_show_results", true),
    ("no_upcoming", "explorer_no_upcoming", true),
];

fn main() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../model/ui.toml");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(&path).expect("model/ui.toml is readable");
    let words: BTreeMap<String, BTreeMap<String, String>> =
        toml::from_str(&text).expect("model/ui.toml is valid");
    let mut out = String::new();
    for (lang, name) in [("ja", "JA"), ("en", "EN")] {
        let table = &words[lang];
        writeln!(
            out,
            "/// The explorer's words in `{lang}`, from `model/ui.toml`."
        )
        .unwrap();
        writeln!(out, "pub const {name}: Words = Words {{").unwrap();
        for (field, key, pair) in FIELDS {
            let word = table
                .get(*key)
                .unwrap_or_else(|| panic!("model/ui.toml [{lang}] lacks {key}"));
            if *pair {
                let (before, after) = word
                    .split_once("{}")
                    .unwrap_or_else(|| panic!("model/ui.toml [{lang}] {key} has no {{}}"));
                writeln!(out, "    {field}: [{before:?}, {after:?}],").unwrap();
            } else {
                writeln!(out, "    {field}: {word:?},").unwrap();
            }
        }
        writeln!(out, "}};").unwrap();
    }
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("words.rs");
    std::fs::write(dest, out).expect("words.rs is written");
}
