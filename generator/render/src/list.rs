//! Lists and pagination: each collection's list, and the static facet
//! pages ([`super::narrow`]) that make filtering work without JavaScript.

use amed_model::dataset::facet;
use amed_model::explorer_format;
use amed_model::{Collection, Dataset, Entry, Lang};
use minijinja::context;
use portal_output::explorer::App;
use serde::Serialize;

use super::catalog;
use super::chrome::{Chrome, Link, Preload};
use super::data::Format;
use super::narrow::{self, ListFilter};
use super::templates::{DateView, TEMPLATES, TextView, date, text, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// Records per page on list and facet pages: enough to scan, small enough
/// that a collection of 100,000 records never makes a page of megabytes.
pub const PAGE_SIZE: usize = 50;

/// One list of the site in one language.
#[derive(Debug)]
pub struct ListSpec {
    /// The collection listed.
    pub collection: Collection,
    /// The language.
    pub lang: Lang,
    /// Site path of its first page.
    pub path: String,
    /// The options it is narrowed to (none for a whole collection).
    pub filters: Vec<ListFilter>,
    /// Dataset positions of its records, in list order.
    pub matches: Vec<u32>,
    /// Whether any of its records is sample data.
    pub has_sample: bool,
}

impl ListSpec {
    /// Pages it takes (at least one, which may say "nothing here").
    pub fn pages(&self) -> usize {
        self.matches.len().div_ceil(PAGE_SIZE).max(1)
    }

    fn explorer(&self) -> bool {
        self.filters.is_empty() && super::explore::EXPLORED.contains(&self.collection)
    }

    /// What it is narrowed to, in words: `モダリティ：抗体医薬品、国際共同研究あり`.
    pub fn label(&self) -> String {
        self.label_marking(|_| "")
    }

    /// [`ListSpec::label`], each filter followed by what `mark` says of it.
    pub fn label_marking(&self, mark: impl Fn(&ListFilter) -> &'static str) -> String {
        let labels: Vec<String> = self
            .filters
            .iter()
            .map(|f| format!("{}{}", f.label, mark(f)))
            .collect();
        labels.join(ui(self.lang, "list_separator"))
    }

    /// Whether it has open-data files of its own: a whole collection or
    /// one facet option (pairs of options would multiply the files).
    pub fn has_data_files(&self) -> bool {
        self.filters.len() == 1
    }

    /// Whether it has a feed: every facet page, and the whole lists of
    /// explored collections (the approvals' is the site's feed).
    pub fn has_feed(&self) -> bool {
        !self.filters.is_empty()
            || (self.collection != Collection::Approvals
                && super::explore::EXPLORED.contains(&self.collection))
    }
}

/// Every list of the site: the collections' lists and their facet pages.
pub fn lists(ctx: &Context<'_>) -> Vec<ListSpec> {
    let mut lists = Vec::new();
    for lang in Lang::ALL {
        for collection in [
            Collection::Approvals,
            Collection::Cases,
            Collection::Seeds,
            Collection::Ppi,
        ] {
            lists.push(spec(ctx, lang, collection, collection.list_path(), vec![]));
        }
        for collection in super::explore::EXPLORED {
            for (path, filters) in narrow::facet_lists(ctx, lang, collection) {
                lists.push(spec(ctx, lang, collection, &path, filters));
            }
        }
    }
    lists
}

/// The list of `collection` at `path`, narrowed to `filters`.
fn spec(
    ctx: &Context<'_>,
    lang: Lang,
    collection: Collection,
    path: &str,
    filters: Vec<ListFilter>,
) -> ListSpec {
    let index = ctx.index(collection);
    let matches = if filters.is_empty() {
        index.unfiltered.matches.clone()
    } else {
        index
            .index
            .evaluate(&narrow::query_of(&filters), lang, None)
            .matches
    };
    let records = &index.dataset.records;
    let has_sample = matches.iter().any(|&i| records[i as usize].sample);
    ListSpec {
        collection,
        lang,
        path: path.to_string(),
        filters,
        matches,
        has_sample,
    }
}

/// A job per page of every list. A page's inputs: its rows, the list's
/// length and sample flag, and the collection's counts shown beside it.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    use rayon::prelude::*;
    (0..ctx.lists.len())
        .into_par_iter()
        .flat_map_iter(|l| {
            let list = &ctx.lists[l];
            let index = ctx.index(list.collection);
            let pages = list.pages();
            let calendar = (list.collection == Collection::Ppi)
                .then(|| super::calendar::link(ctx, list.lang))
                .flatten();
            (1..=pages).map(move |page| {
                let rows = list.matches.chunks(PAGE_SIZE).nth(page - 1).unwrap_or(&[]);
                let rows: Vec<_> = rows.iter().map(|&i| index.entries[i as usize]).collect();
                let fingerprint = ctx
                    .print("list")
                    .with(&list.lang)
                    .with(&list.path)
                    .with(&list.filters)
                    .with(&(page, pages, list.matches.len(), list.has_sample))
                    .with(&calendar)
                    // The first page's lead is another page's summary.
                    .with(&(page == 1).then(|| ctx.list_intro(list.lang, list.collection)))
                    // Facet links count within the page's filters.
                    .with(&index.shape)
                    .with(&index.summary)
                    .with(&rows)
                    // Every page of a whole collection's list carries the note
                    // saying what it is a selection of, with the KPI's source.
                    .with(
                        &list
                            .filters
                            .is_empty()
                            .then(|| ctx.selection_total(list.collection)),
                    );
                // The first page of a whole collection describes the dataset
                // (JSON-LD): its dates and the content date are inputs too.
                let fingerprint = if list.filters.is_empty() && page == 1 {
                    fingerprint
                        .with(&index.meta)
                        .with(&*ctx.descriptions)
                        // The explorer's preloads name the first docs shard.
                        .with(&ctx.layout.shard_of(ctx.first_docs[&list.collection]))
                        .with(&ctx.layout)
                } else {
                    fingerprint
                }
                .finish128();
                Job {
                    path: routes::page_file(list.lang, &routes::list_page(&list.path, page)),
                    fingerprint,
                    output: Output::List { list: l, page },
                }
            })
        })
        .collect()
}

/// A row of a list.
#[derive(Serialize)]
pub struct ListItem<'a> {
    id: &'a str,
    href: String,
    title: TextView<'a>,
    summary: TextView<'a>,
    date: Option<DateView>,
    sample: bool,
    tags: Vec<String>,
}

impl<'a> ListItem<'a> {
    /// The row of `entry` of `dataset`.
    pub fn new(ctx: &Context<'_>, lang: Lang, entry: &'a Entry, dataset: &Dataset) -> ListItem<'a> {
        let tags = entry.tags(
            &dataset.facets,
            lang,
            ui(lang, "international_collaboration"),
        );
        ListItem {
            id: &entry.id,
            href: ctx.site.href(lang, &entry.path),
            title: text(&entry.title, lang),
            summary: text(&entry.summary, lang),
            date: entry.date.map(|d| date(d, lang)),
            sample: entry.sample,
            tags,
        }
    }
}

/// The open-data files of a collection or of a facet page's subset,
/// offered for download.
#[derive(Serialize)]
pub struct Download {
    label: String,
    records: usize,
    json: String,
    csv: String,
    excel: String,
}

impl Download {
    /// The downloads of `collection`.
    pub fn new(ctx: &Context<'_>, lang: Lang, collection: Collection) -> Download {
        let file = |f: Format| {
            ctx.site
                .asset(&routes::data_file(collection, f.extension()))
        };
        Download {
            label: collection.label(lang).to_string(),
            records: ctx.dataset(collection).records.len(),
            json: file(Format::Json),
            csv: file(Format::Csv),
            excel: file(Format::ExcelCsv),
        }
    }

    /// The downloads of the facet page `list`: exactly its records.
    fn of_list(ctx: &Context<'_>, list: &ListSpec) -> Download {
        let file = |f: Format| {
            ctx.site
                .asset(&routes::facet_data_file(&list.path, f.extension()))
        };
        let lang = list.lang;
        let label = list.label();
        let count = list.matches.len();
        let suffix = if count == 1 {
            "result_count_suffix_one"
        } else {
            "results_count_suffix"
        };
        Download {
            label: format!(
                "{}{label}{}{count}{}{}",
                ui(lang, "paren_open"),
                ui(lang, "list_separator"),
                ui(lang, suffix),
                ui(lang, "paren_close")
            ),
            records: list.matches.len(),
            json: file(Format::Json),
            csv: file(Format::Csv),
            excel: file(Format::ExcelCsv),
        }
    }
}

/// What a whole collection's list is a selection of: the KPI that counts
/// the total (`total_of` in its front matter), with its source.
#[derive(Serialize)]
pub struct Selection {
    text: String,
    /// The same in a few words, for a phone's first screen.
    short: String,
    href: String,
    source: Option<String>,
}

impl Selection {
    /// The selection note of `collection`'s `listed` records, if a KPI
    /// counts their total.
    pub fn of(
        ctx: &Context<'_>,
        lang: Lang,
        collection: Collection,
        listed: usize,
    ) -> Option<Selection> {
        Selection::with_note(ctx, lang, collection, "selection_note", listed, listed)
    }

    /// The same for the `shown` newest of the `listed` records (the home page).
    pub fn of_newest(
        ctx: &Context<'_>,
        lang: Lang,
        collection: Collection,
        listed: usize,
        shown: usize,
    ) -> Option<Selection> {
        let note = if shown < listed {
            "newest_selection_note"
        } else {
            "selection_note"
        };
        Selection::with_note(ctx, lang, collection, note, listed, shown)
    }

    fn with_note(
        ctx: &Context<'_>,
        lang: Lang,
        collection: Collection,
        note: &str,
        listed: usize,
        shown: usize,
    ) -> Option<Selection> {
        let kpi = ctx.selection_total(collection)?;
        let text = ui(lang, note)
            .replace("{n}", &listed.to_string())
            .replace("{shown}", &shown.to_string())
            .replace("{kpi}", kpi.doc.title.get(lang))
            .replace("{total}", &super::templates::thousands(kpi.value))
            .replace(
                "{as_of}",
                &kpi.as_of.map_or_else(
                    || ui(lang, "as_of_unstated").to_string(),
                    |d| super::templates::as_of(d, lang).text,
                ),
            );
        let short = ui(lang, "selection_short")
            .replace("{n}", &listed.to_string())
            .replace("{total}", &super::templates::thousands(kpi.value));
        Some(Selection {
            text,
            short,
            href: ctx
                .site
                .href(lang, &Collection::Kpis.record_path(&kpi.doc.id)),
            source: kpi
                .doc
                .sources
                .first()
                .map(|s| super::record::source_sentence(s, lang)),
        })
    }
}

#[derive(Serialize)]
struct Pagination {
    pages: Vec<Link>,
    previous: Option<String>,
    next: Option<String>,
}

/// Page `n` of `list`.
pub fn render(ctx: &Context<'_>, list: &ListSpec, n: usize) -> Result<String, BuildError> {
    let (lang, collection) = (list.lang, list.collection);
    let dataset = ctx.dataset(collection);
    let heading = if list.filters.is_empty() {
        collection.label(lang).to_string()
    } else {
        format!("{} — {}", list.label(), collection.label(lang))
    };
    let rows = list.matches.chunks(PAGE_SIZE).nth(n - 1).unwrap_or(&[]);
    let items: Vec<ListItem> = rows
        .iter()
        .map(|&i| ListItem::new(ctx, lang, &dataset.records[i as usize], dataset))
        .collect();
    let this = routes::list_page(&list.path, n);
    let title = if n == 1 {
        heading.clone()
    } else {
        format!(
            "{heading}{}{} {n}{}",
            ui(lang, "paren_open"),
            ui(lang, "page"),
            ui(lang, "paren_close")
        )
    };
    let explorer = list.explorer() && n == 1;
    let chrome = list_chrome(ctx, list, &this, &title, &heading, explorer, n == 1);
    let pagination = pagination(ctx, list, n);
    let ctx_value = context! {
        page => chrome,
        heading,
        collection => collection.dir(),
        explorer,
        core_href => ctx.site.asset(&explorer_format::core_file(collection, lang)),
        explore_root => ctx.site.asset(explorer_format::ROOT),
        csv_href => ctx.site.asset(&routes::data_file(collection, Format::Csv.extension())),
        excel_href => ctx.site.asset(&routes::data_file(collection, Format::ExcelCsv.extension())),
        json_href => ctx.site.asset(&routes::data_file(collection, Format::Json.extension())),
        items,
        total => list.matches.len(),
        first => (n - 1) * PAGE_SIZE + 1,
        pagination,
        facets => narrow::facet_groups(ctx, lang, collection, &list.filters),
        removals => narrow::removals(ctx, lang, collection, &list.filters),
        deepest => narrow::is_deepest(&list.filters),
        show_facets => matches!(collection, Collection::Approvals | Collection::Seeds | Collection::Ppi),
        sample_notice => list.has_sample,
        portal_classified => portal_classified(ctx, lang, collection),
        get_in_touch => ctx.get_in_touch(lang, collection),
        intro => (n == 1).then(|| ctx.list_intro(lang, collection)).flatten(),
        selection => list.filters.is_empty().then(|| Selection::of(ctx, lang, collection, list.matches.len())).flatten(),
        download => downloads(ctx, list),
        feed => list.has_feed().then(|| ctx.site.href(lang, &routes::list_feed(&list.path))),
        subscribe => list.has_feed().then(|| subscribe_href(ctx, lang, &list.path)),
    };
    Ok(TEMPLATES.get_template("list.html")?.render(ctx_value)?)
}

/// The downloads a list page offers: its collection's files, or its facet
/// page's; a pair page offers the files of its first option's page, whose
/// label says what they hold.
fn downloads(ctx: &Context<'_>, list: &ListSpec) -> Download {
    if list.filters.is_empty() {
        return Download::new(ctx, list.lang, list.collection);
    }
    let first = &list.filters[0];
    let single = amed_model::facet_pages::page_path(list.collection, &[(&first.facet, &first.key)]);
    let owner = ctx
        .lists
        .iter()
        .find(|l| l.lang == list.lang && l.has_data_files() && Some(&l.path) == single.as_ref());
    Download::of_list(ctx, owner.unwrap_or(list))
}

/// The feeds page, at the row of the feed of the list at `list_path`.
pub fn subscribe_href(ctx: &Context<'_>, lang: Lang, list_path: &str) -> String {
    use amed_model::facet_pages::{FEEDS_PAGE, feed_anchor, feed_path};
    format!(
        "{}#{}",
        ctx.site.href(lang, FEEDS_PAGE),
        feed_anchor(&feed_path(list_path))
    )
}

/// The chrome of a list page: its structured data on a collection's first
/// page, the trail, and what the explorer fetches first where it runs.
fn list_chrome(
    ctx: &Context<'_>,
    list: &ListSpec,
    this: &str,
    title: &str,
    heading: &str,
    explorer: bool,
    first_page: bool,
) -> Chrome {
    let (lang, collection) = (list.lang, list.collection);
    let mut chrome = ctx.chrome(lang, this, title, heading, explorer.then_some(App::Lists));
    // Offered when it holds an event: only events dated to the day go in.
    if collection == Collection::Ppi {
        chrome.calendar = super::calendar::link(ctx, lang);
    }
    // The page's own feed is the one a feed reader given the page finds.
    if list.has_feed() {
        chrome.feed = ctx.site.href(lang, &routes::list_feed(&list.path));
        chrome.feed_title = format!("{} — {}", ui(lang, "list_feed"), heading);
    }
    if list.filters.is_empty() && first_page {
        chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_dataset(
            ctx, lang, collection,
        )])];
    }
    let mut trail = vec![];
    if !list.filters.is_empty() {
        trail.push((collection.list_path(), collection.label(lang)));
    }
    chrome.breadcrumbs = ctx.crumbs(lang, &trail);
    if explorer && ctx.assets.app(App::Lists).is_some() {
        // The explorer's first answer needs the core; the default view's
        // first rows are in the shard of the collection's first document.
        let first = ctx.layout.shard_of(ctx.first_docs[&collection]);
        for file in [
            explorer_format::core_file(collection, lang),
            explorer_format::docs_file(lang, first),
        ] {
            chrome.preloads.push(Preload::fetch(ctx.site.asset(&file)));
        }
    }
    chrome
}

/// The links to the other pages of `list`, from page `n`; none when it
/// has one page.
fn pagination(ctx: &Context<'_>, list: &ListSpec, n: usize) -> Option<Pagination> {
    let lang = list.lang;
    let pages = list.pages();
    let page_path = |i: usize| routes::list_page(&list.path, i);
    (pages > 1).then(|| Pagination {
        pages: page_numbers(n, pages)
            .into_iter()
            .map(|i| match i {
                Some(i) => Link {
                    href: ctx.site.href(lang, &page_path(i)),
                    label: i.to_string(),
                    current: i == n,
                },
                None => Link {
                    href: String::new(),
                    label: "…".into(),
                    current: false,
                },
            })
            .collect(),
        previous: (n > 1).then(|| ctx.site.href(lang, &page_path(n - 1))),
        next: (n < pages).then(|| ctx.site.href(lang, &page_path(n + 1))),
    })
}

/// Page numbers to link from page `current` of `pages`: the first, the
/// last and two either side of the current one, `None` marking a gap. A
/// constant number of links, so a list of 2,000 pages does not put 2,000
/// links on each of them.
fn page_numbers(current: usize, pages: usize) -> Vec<Option<usize>> {
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(pages);
    let mut numbers = Vec::new();
    for i in std::iter::once(1).chain(near).chain(std::iter::once(pages)) {
        match numbers.last() {
            Some(Some(last)) if i <= *last => continue,
            Some(Some(last)) if i > last + 1 => numbers.push(None),
            _ => {}
        }
        numbers.push(Some(i));
    }
    numbers
}

/// The note that says which of `collection`'s facets are this portal's own
/// classification, if it has any: on every list and facet page, where
/// readers filter by them, and beside the home page's approvals.
pub fn portal_classified(ctx: &Context<'_>, lang: Lang, collection: Collection) -> Option<String> {
    portal_classified_note(ctx, lang, collection, |_| true)
}

/// The note that says which of `collection`'s facets chosen by `chosen`
/// are this portal's own classification, if any is.
pub fn portal_classified_note(
    ctx: &Context<'_>,
    lang: Lang,
    collection: Collection,
    chosen: impl Fn(&str) -> bool,
) -> Option<String> {
    let labels: Vec<&str> = ctx
        .dataset(collection)
        .facets
        .iter()
        .filter(|f| facet::is_portal_classified(&f.id) && chosen(&f.id))
        .map(|f| f.label.get(lang))
        .collect();
    let (last, rest) = labels.split_last()?;
    let names = if rest.is_empty() {
        last.to_string()
    } else {
        format!(
            "{}{}{last}",
            rest.join(ui(lang, "list_separator")),
            ui(lang, "list_last_separator")
        )
    };
    Some(ui(lang, "portal_classified_list").replace("{facets}", &names))
}

#[cfg(test)]
mod tests {
    #[test]
    fn pagination_links_stay_few() {
        let show = |current, pages| {
            super::page_numbers(current, pages)
                .iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(show(1, 3), "1 2 3");
        assert_eq!(show(1, 2000), "1 2 3 … 2000");
        assert_eq!(show(1000, 2000), "1 … 998 999 1000 1001 1002 … 2000");
        assert_eq!(show(2000, 2000), "1 … 1998 1999 2000");
    }
}
