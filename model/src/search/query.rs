//! The site search's URL query (`/search/?q=がん&c=approvals`): what the
//! search box of every page submits, what the search page reads, and what
//! it writes back as the reader types.

use crate::Collection;

/// The site search page, from a language's home (`/` or `/en/`).
pub const PAGE: &str = "search/";

/// The key of the search text, on the search page and in a collection
/// view's query alike.
pub const TEXT_KEY: &str = "q";
/// The key of the one collection a site search is narrowed to.
pub const COLLECTION_KEY: &str = "c";

/// A site search: its text and, if narrowed, its collection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SiteQuery {
    /// What was typed, trimmed.
    pub text: String,
    /// The collection searched, or every one.
    pub collection: Option<Collection>,
}

impl SiteQuery {
    /// Reads the decoded pairs of a URL query; unknown keys and an unknown
    /// collection are ignored (a stale link searches everything).
    pub fn from_url_pairs<K, V>(pairs: impl IntoIterator<Item = (K, V)>) -> SiteQuery
    where
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let mut query = SiteQuery::default();
        for (key, value) in pairs {
            match key.as_ref() {
                TEXT_KEY => query.text = value.as_ref().trim().to_string(),
                COLLECTION_KEY => query.collection = Collection::from_dir(value.as_ref()),
                _ => {}
            }
        }
        query
    }

    /// The pairs of this search's URL query, not yet encoded; none when
    /// there is no text and no collection.
    pub fn url_pairs(&self) -> Vec<(&'static str, String)> {
        let text = self.text.trim();
        let text = (!text.is_empty()).then(|| (TEXT_KEY, text.to_string()));
        let collection = self
            .collection
            .map(|c| (COLLECTION_KEY, c.dir().to_string()));
        text.into_iter().chain(collection).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_it_writes() {
        let query = SiteQuery {
            text: "iPS 細胞".into(),
            collection: Some(Collection::Approvals),
        };
        assert_eq!(
            query.url_pairs(),
            [
                ("q", "iPS 細胞".to_string()),
                ("c", "approvals".to_string())
            ]
        );
        assert_eq!(SiteQuery::from_url_pairs(query.url_pairs()), query);
    }

    #[test]
    fn ignores_unknown_keys_and_collections_and_trims_the_text() {
        let query = SiteQuery::from_url_pairs([("q", "  がん "), ("c", "nowhere"), ("x", "1")]);
        assert_eq!(
            query,
            SiteQuery {
                text: "がん".into(),
                collection: None
            }
        );
        assert!(
            SiteQuery::from_url_pairs([("q", "  ")])
                .url_pairs()
                .is_empty()
        );
    }
}
