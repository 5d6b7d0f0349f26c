//! The static pages of one facet option or a pair of options
//! (`approvals/modality/gene-therapy/disease/cancer/`) and their feeds:
//! which facets have pages and where each page and feed is. The generator
//! writes them; the explorer links the feed closest to a reader's view.

use crate::Collection;
use crate::dataset::facet;

/// Facet pages narrow by at most this many options.
pub const MAX_OPTIONS: usize = 2;

/// The feed of the whole approvals list (the site's feed).
pub const SITE_FEED: &str = "feed.xml";

/// The page that explains feeds and lists every one, to copy its address.
pub const FEEDS_PAGE: &str = "feeds/";

/// The file name of a list's feed, in the list's folder.
const FEED_FILE: &str = "feed.xml";

/// The folder of international collaboration's `yes` in a page's path.
const INTERNATIONAL: &str = "international";

/// The facets of `collection` whose options have pages and feeds, in
/// path order: the classification readers narrow by.
pub fn paged_facets(collection: Collection) -> &'static [&'static str] {
    match collection {
        Collection::Approvals => &[
            facet::MODALITY,
            facet::DISEASE,
            facet::CATEGORY,
            facet::INTERNATIONAL,
        ],
        Collection::Seeds => &[
            facet::MODALITY,
            facet::DISEASE,
            facet::STAGE,
            facet::LICENSING,
        ],
        Collection::Ppi => &[facet::ACTIVITY, facet::DISEASE],
        _ => &[],
    }
}

/// The folders `collection`'s facet pages take beside its records: record
/// ids that cannot be used.
pub fn reserved_folders(collection: Collection) -> Vec<&'static str> {
    paged_facets(collection)
        .iter()
        .map(|&f| {
            if f == facet::INTERNATIONAL {
                INTERNATIONAL
            } else {
                f
            }
        })
        .collect()
}

/// The folders of option `key` of facet `facet_id` in a page's path:
/// `modality/antibody`, or `international` for international
/// collaboration's `yes` (its "not stated" has no page).
fn segment(facet_id: &str, key: &str) -> Option<String> {
    match (facet_id, key) {
        (facet::INTERNATIONAL, "yes") => Some(INTERNATIONAL.into()),
        (facet::INTERNATIONAL, _) => None,
        (f, k) => Some(format!("{f}/{k}")),
    }
}

/// The options of `options` in path order, if a page narrows by exactly
/// them: at most [`MAX_OPTIONS`], each of a paged facet, one per facet.
pub fn in_path_order<'a>(
    collection: Collection,
    options: &[(&'a str, &'a str)],
) -> Option<Vec<(&'a str, &'a str)>> {
    let facets = paged_facets(collection);
    let mut sorted = options.to_vec();
    sorted.sort_by_key(|(f, _)| facets.iter().position(|p| p == f));
    let one_per_facet = sorted.windows(2).all(|w| w[0].0 != w[1].0);
    let paged = sorted.iter().all(|(f, _)| facets.contains(f));
    (sorted.len() <= MAX_OPTIONS && one_per_facet && paged).then_some(sorted)
}

/// The options of a view's `selected` ones that the closest feed follows:
/// those of paged facets that select one option only, in path order, at
/// most [`MAX_OPTIONS`]. A view that selects exactly these (and has no
/// text or years) is followed exactly; any other, approximately.
pub fn closest<'a>(
    collection: Collection,
    selected: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let once = |f: &str| selected.iter().filter(|(g, _)| *g == f).count() == 1;
    let mut kept: Vec<(&str, &str)> = paged_facets(collection)
        .iter()
        .filter(|f| once(f))
        .filter_map(|f| selected.iter().find(|(g, _)| g == f).copied())
        .filter(|&(f, k)| segment(f, k).is_some())
        .collect();
    kept.truncate(MAX_OPTIONS);
    kept
}

/// The path of `collection`'s list narrowed to `options` (in any order):
/// `approvals/` for none, `approvals/modality/gene-therapy/disease/cancer/`
/// for two. `None` where no such page is built (whether one exists also
/// depends on its having records).
pub fn page_path(collection: Collection, options: &[(&str, &str)]) -> Option<String> {
    let sorted = in_path_order(collection, options)?;
    let mut path = collection.list_path().to_string();
    for (f, k) in sorted {
        path.push_str(&segment(f, k)?);
        path.push('/');
    }
    Some(path)
}

/// The open-data file of the facet page at `page_path` with file ending
/// `extension` (`approvals/modality/antibody/`, `csv` →
/// `data/approvals/modality/antibody.csv`): one-option pages have them.
pub fn data_file(page_path: &str, extension: &str) -> String {
    format!("data/{}.{extension}", page_path.trim_end_matches('/'))
}

/// The name a download of a view is saved under: the collection, each
/// selected option, the search words and years, and the day, so that
/// files saved on different days or of different views never collide:
/// `approvals_modality-gene-therapy_disease-cancer_2026-12-06.csv`.
pub fn download_name(
    collection: Collection,
    selected: &[(&str, &str)],
    text: &str,
    years: (Option<u16>, Option<u16>),
    today: &str,
    extension: &str,
) -> String {
    let mut parts = vec![collection.dir().to_string()];
    parts.extend(selected.iter().map(|(f, k)| format!("{f}-{k}")));
    let words: Vec<String> = text
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    if !words.is_empty() {
        parts.push(format!("q-{}", words.join("-")));
    }
    match years {
        (None, None) => {}
        (from, to) => parts.push(format!(
            "{}-{}",
            from.map(|y| y.to_string()).unwrap_or_default(),
            to.map(|y| y.to_string()).unwrap_or_default()
        )),
    }
    parts.push(today.to_string());
    format!("{}.{extension}", parts.join("_"))
}

/// The feed of the list at `list_path` (a whole list or a facet page);
/// the approvals list's feed is the site's.
pub fn feed_path(list_path: &str) -> String {
    if list_path == Collection::Approvals.list_path() {
        SITE_FEED.into()
    } else {
        format!("{list_path}{FEED_FILE}")
    }
}

/// The anchor of the feed at `feed_path` on the feeds page. Folders are
/// joined by `_`, which no key, facet or collection name holds, so two
/// feeds never share one (`modality/antibody/international/` and
/// `modality/antibody-international/` stay apart).
pub fn feed_anchor(feed_path: &str) -> String {
    let stem = feed_path.strip_suffix(FEED_FILE).unwrap_or(feed_path);
    let name = stem.trim_end_matches('/').replace('/', "_");
    if name.is_empty() {
        "feed".into()
    } else {
        format!("feed_{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_have_one_path_whatever_the_order() {
        let pair = [("disease", "cancer"), ("modality", "gene-therapy")];
        assert_eq!(
            page_path(Collection::Approvals, &pair).as_deref(),
            Some("approvals/modality/gene-therapy/disease/cancer/")
        );
        assert_eq!(
            page_path(
                Collection::Approvals,
                &[("intl", "yes"), ("modality", "antibody")]
            )
            .as_deref(),
            Some("approvals/modality/antibody/international/")
        );
        assert_eq!(page_path(Collection::Seeds, &[]).as_deref(), Some("seeds/"));
        assert_eq!(page_path(Collection::Approvals, &[("intl", "no")]), None);
        assert_eq!(page_path(Collection::Approvals, &[("country", "us")]), None);
        assert_eq!(
            page_path(
                Collection::Approvals,
                &[("modality", "a"), ("modality", "b")]
            ),
            None
        );
        assert_eq!(
            page_path(
                Collection::Approvals,
                &[("modality", "a"), ("disease", "b"), ("category", "c")]
            ),
            None
        );
    }

    #[test]
    fn the_closest_feed_keeps_single_options_of_paged_facets() {
        let view = [
            ("category", "new-drug"),
            ("country", "us"),
            ("disease", "cancer"),
            ("modality", "antibody"),
            ("modality", "vaccine"),
        ];
        assert_eq!(
            closest(Collection::Approvals, &view),
            [("disease", "cancer"), ("category", "new-drug")]
        );
        assert_eq!(closest(Collection::Approvals, &[("intl", "no")]), []);
    }

    #[test]
    fn downloads_are_named_by_their_view_and_day() {
        assert_eq!(
            download_name(
                Collection::Approvals,
                &[("modality", "gene-therapy"), ("disease", "cancer")],
                " がん  /x ",
                (Some(2019), None),
                "2026-12-06",
                "excel.csv"
            ),
            "approvals_modality-gene-therapy_disease-cancer_q-がん-x_2019-_2026-12-06.excel.csv"
        );
        assert_eq!(
            download_name(
                Collection::Seeds,
                &[],
                "",
                (None, None),
                "2026-12-06",
                "json"
            ),
            "seeds_2026-12-06.json"
        );
        assert_eq!(
            data_file("approvals/modality/antibody/", "csv"),
            "data/approvals/modality/antibody.csv"
        );
    }

    #[test]
    fn feeds_sit_in_their_list_folder_and_have_anchors() {
        assert_eq!(feed_path("approvals/"), "feed.xml");
        assert_eq!(feed_path("seeds/"), "seeds/feed.xml");
        let pair = feed_path("approvals/modality/gene-therapy/disease/cancer/");
        assert_eq!(
            pair,
            "approvals/modality/gene-therapy/disease/cancer/feed.xml"
        );
        assert_eq!(
            feed_anchor(&pair),
            "feed_approvals_modality_gene-therapy_disease_cancer"
        );
        assert_eq!(feed_anchor("feed.xml"), "feed");
        assert_ne!(
            feed_anchor("approvals/modality/antibody/international/feed.xml"),
            feed_anchor("approvals/modality/antibody-international/feed.xml")
        );
    }
}
