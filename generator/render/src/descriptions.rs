//! What describes the datasets besides their columns and rows (when the
//! content stands and last changed, which records are samples), and what
//! an output that describes datasets reads ([`Described`]).

use std::collections::BTreeMap;
use std::sync::Arc;

use amed_model::{Collection, Lang, Library, PartialDate, Site};
use portal_content::history::History;

use super::index::Collections;
use super::shared::Shared;
use super::templates::ui;
use super::views::Meta;

/// What the descriptions of the datasets say besides their columns and
/// rows: when the content stands and last changed, and which records are
/// samples. Every output that describes a dataset (the data package,
/// DCAT, the schema.org blocks of list, KPI, policy and data pages) reads
/// it, so its hash is one of their inputs.
#[derive(Debug, Default, Hash)]
pub struct Descriptions {
    /// The date the content stands at (newest cited source).
    pub content_date: Option<PartialDate>,
    /// When each collection's records last changed.
    pub changed: Arc<LastChanges>,
    /// Per collection: how many of its records are samples.
    pub samples: BTreeMap<Collection, usize>,
}

/// Per collection, the day its records last changed (`YYYY-MM-DD`, from
/// the content's history); a collection without history is absent.
#[derive(Debug, Default, Hash)]
pub struct LastChanges(BTreeMap<Collection, String>);

impl LastChanges {
    /// The newest change of each collection's record files in `history`.
    pub fn of(lib: &Library, history: &History) -> LastChanges {
        let mut changed: BTreeMap<Collection, &str> = BTreeMap::new();
        for (collection, doc) in lib.documents() {
            if let Some(date) = history.last_date(&doc.file) {
                let newest = changed.entry(collection).or_default();
                *newest = (*newest).max(date);
            }
        }
        LastChanges(
            changed
                .into_iter()
                .map(|(c, d)| (c, d.to_string()))
                .collect(),
        )
    }
}

/// `name` in `lang`, saying it is sample data: 研究シーズ（サンプルデータ）.
pub fn sample_name(lang: Lang, name: &str) -> String {
    ui(lang, "sample_dataset_title").replace("{label}", name)
}

impl Descriptions {
    /// The descriptions of `collections`, whose records last changed as
    /// `changed` says.
    pub fn new(lib: &Library, collections: &Collections, changed: Arc<LastChanges>) -> Self {
        Descriptions {
            content_date: lib.content_date(),
            changed,
            samples: Collection::ALL
                .iter()
                .map(|&c| {
                    let records = &collections[&c].dataset.records;
                    (c, records.iter().filter(|e| e.sample).count())
                })
                .collect(),
        }
    }

    /// The day the content last changed: the newest of its collections'.
    pub fn last_change(&self) -> Option<&str> {
        self.changed.0.values().map(String::as_str).max()
    }

    /// The day `collection`'s records last changed, if the content has a
    /// history.
    pub fn changed(&self, collection: Collection) -> Option<&str> {
        self.changed.0.get(&collection).map(String::as_str)
    }

    /// Whether every record of `dataset` is a sample (and there is one).
    pub fn all_samples(&self, dataset: Meta<'_>) -> bool {
        let samples = self
            .samples
            .get(&dataset.collection())
            .copied()
            .unwrap_or(0);
        samples > 0 && samples == dataset.len()
    }

    /// `dataset`'s name in `lang`, saying so when it is sample data.
    pub fn title(&self, dataset: Meta<'_>, lang: Lang) -> String {
        let label = dataset.collection().label(lang);
        if self.all_samples(dataset) {
            sample_name(lang, label)
        } else {
            label.to_string()
        }
    }

    /// What `dataset` is in `lang`: whether its records are samples, then
    /// the collection and the site.
    pub(crate) fn description(&self, settings: &Site, dataset: Meta<'_>, lang: Lang) -> String {
        let collection = dataset.collection();
        let about = format!(
            "{}{}{}",
            collection.label(lang),
            ui(lang, "label_separator"),
            settings.description.get(lang)
        );
        let samples = self.samples.get(&collection).copied().unwrap_or(0);
        if self.all_samples(dataset) {
            format!("{} {about}", ui(lang, "dataset_all_samples"))
        } else if samples > 0 {
            let note = ui(lang, "dataset_some_samples").replace("{n}", &samples.to_string());
            format!("{about} {note}")
        } else {
            about
        }
    }
}

/// What describing datasets reads: the site, the [`Descriptions`] and
/// each described dataset's [`Meta`], with the subsets that have files of
/// their own.
#[derive(Hash)]
pub struct Described<'c> {
    /// What every output reads.
    pub shared: &'c Shared<'c>,
    pub(crate) descriptions: &'c Descriptions,
    pub(crate) datasets: Vec<Meta<'c>>,
    pub(crate) subsets: Vec<Subset<'c>>,
}

/// A facet page's subset with files of its own: its collection, path,
/// name in each language and size.
#[derive(Hash)]
pub struct Subset<'c> {
    pub(crate) collection: Collection,
    pub(crate) path: &'c str,
    pub(crate) labels: [String; 2],
    pub(crate) rows: usize,
}

impl Subset<'_> {
    /// Its name in `lang`.
    pub fn label(&self, lang: Lang) -> &str {
        &self.labels[usize::from(lang == Lang::En)]
    }
}

impl<'c> Described<'c> {
    /// The described datasets.
    pub fn datasets(&self) -> impl Iterator<Item = Meta<'c>> + '_ {
        self.datasets.iter().copied()
    }

    /// The day the content last changed.
    pub fn last_change(&self) -> Option<&'c str> {
        self.descriptions.last_change()
    }

    /// The description of `collection`, which must be among those declared.
    pub fn meta(&self, collection: Collection) -> Meta<'c> {
        *self
            .datasets
            .iter()
            .find(|m| m.collection() == collection)
            .unwrap_or_else(|| panic!("{collection:?} is not among the described datasets"))
    }
}
