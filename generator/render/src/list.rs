//! Lists and pagination: each collection's list, and the static facet
//! pages of approvals (`/approvals/modality/<key>/`…) that make filtering
//! work without JavaScript.

use amed_model::dataset::facet;
use amed_model::explorer_format;
use amed_model::{Collection, Dataset, Entry, FacetKind, Lang, Query};
use minijinja::context;
use portal_output::explorer::App;
use serde::Serialize;

use super::catalog;
use super::chrome::{Chrome, Link, Preload};
use super::data::Format;
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
    /// The facet option it is restricted to, with its label.
    pub filter: Option<(String, String, String)>,
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
        self.filter.is_none() && super::explore::EXPLORED.contains(&self.collection)
    }
}

/// Every list of the site: the collections' lists and approval facet pages.
pub fn lists(ctx: &Context<'_>) -> Vec<ListSpec> {
    let mut lists = Vec::new();
    for lang in Lang::ALL {
        for collection in [
            Collection::Approvals,
            Collection::Cases,
            Collection::Seeds,
            Collection::Ppi,
        ] {
            lists.push(spec(ctx, lang, collection, collection.list_path(), None));
        }
        let dataset = ctx.dataset(Collection::Approvals);
        let counts = &ctx.index(Collection::Approvals).unfiltered.counts;
        for (facet_spec, counts) in dataset.facets.iter().zip(counts) {
            for (option, &count) in facet_spec.options.iter().zip(counts) {
                // A facet page exists only for an option some record has:
                // no link, sitemap entry or feed leads to an empty page.
                let Some(path) =
                    routes::approval_facet(&facet_spec.id, &option.key).filter(|_| count > 0)
                else {
                    continue;
                };
                let label = if facet_spec.id == facet::INTERNATIONAL {
                    ui(lang, "international_collaboration").to_string()
                } else {
                    format!(
                        "{}{}{}",
                        facet_spec.label.get(lang),
                        ui(lang, "label_separator"),
                        option.label.get(lang)
                    )
                };
                let filter = (facet_spec.id.clone(), option.key.clone(), label);
                lists.push(spec(ctx, lang, Collection::Approvals, &path, Some(filter)));
            }
        }
    }
    lists
}

fn spec(
    ctx: &Context<'_>,
    lang: Lang,
    collection: Collection,
    path: &str,
    filter: Option<(String, String, String)>,
) -> ListSpec {
    let index = ctx.index(collection);
    let matches = match &filter {
        Some((facet_id, key, _)) => {
            let mut query = Query::default();
            query.toggle(facet_id, key, true);
            index.index.evaluate(&query, lang, None).matches
        }
        None => index.unfiltered.matches.clone(),
    };
    let records = &index.dataset.records;
    let has_sample = matches.iter().any(|&i| records[i as usize].sample);
    ListSpec {
        collection,
        lang,
        path: path.to_string(),
        filter,
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
            (1..=pages).map(move |page| {
                let rows = list.matches.chunks(PAGE_SIZE).nth(page - 1).unwrap_or(&[]);
                let rows: Vec<_> = rows.iter().map(|&i| index.entries[i as usize]).collect();
                let fingerprint = ctx
                    .print("list")
                    .with(&list.lang)
                    .with(&list.path)
                    .with(&list.filter)
                    .with(&(page, pages, list.matches.len(), list.has_sample))
                    .with(&index.summary)
                    .with(&rows)
                    // Every page of a whole collection's list carries the note
                    // saying what it is a selection of, with the KPI's source.
                    .with(
                        &list
                            .filter
                            .is_none()
                            .then(|| ctx.selection_total(list.collection)),
                    );
                // The first page of a whole collection describes the dataset
                // (JSON-LD): its dates and the content date are inputs too.
                let fingerprint = if list.filter.is_none() && page == 1 {
                    fingerprint
                        .with(&index.meta)
                        .with(&ctx.content_date)
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
    tags: Vec<&'a str>,
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
        let label = list
            .filter
            .as_ref()
            .map(|f| f.2.as_str())
            .unwrap_or_default();
        Download {
            label: format!(
                "{}{label}{}{}{}{}",
                ui(lang, "paren_open"),
                ui(lang, "list_separator"),
                list.matches.len(),
                ui(lang, "results_count_suffix"),
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
                    |d| d.format(lang),
                ),
            );
        Some(Selection {
            text,
            href: ctx
                .site
                .href(lang, &Collection::Kpis.record_path(&kpi.doc.id)),
            source: kpi
                .doc
                .sources
                .first()
                .map(|s| amed_model::export::source_line(s, lang)),
        })
    }
}

#[derive(Serialize)]
struct FacetGroup {
    legend: String,
    options: Vec<FacetLink>,
}

#[derive(Serialize)]
struct FacetLink {
    label: String,
    href: Option<String>,
    count: usize,
    current: bool,
}

#[derive(Serialize)]
struct Pagination {
    pages: Vec<Link>,
    previous: Option<String>,
    next: Option<String>,
}

/// Facet option counts for the static list page, linking to facet pages
/// where they exist (approvals), so every view works without JavaScript.
fn facet_groups(
    ctx: &Context<'_>,
    lang: Lang,
    collection: Collection,
    current: Option<(&str, &str)>,
) -> Vec<FacetGroup> {
    let dataset = ctx.dataset(collection);
    let counts = &ctx.index(collection).unfiltered.counts;
    dataset
        .facets
        .iter()
        .zip(counts)
        .filter(|(spec, _)| spec.kind == FacetKind::Terms)
        .map(|(spec, counts)| FacetGroup {
            legend: spec.label.get(lang).to_string(),
            options: spec
                .options
                .iter()
                .zip(counts)
                .map(|(option, &count)| {
                    // The facet page of an option shows exactly `count`
                    // records: the option's count without other filters.
                    let page = routes::approval_facet(&spec.id, &option.key).filter(|_| count > 0);
                    FacetLink {
                        label: option.label.get(lang).to_string(),
                        href: page
                            .filter(|_| collection == Collection::Approvals)
                            .map(|p| ctx.site.href(lang, &p)),
                        count: count as usize,
                        current: current == Some((spec.id.as_str(), option.key.as_str())),
                    }
                })
                .filter(|o| o.count > 0 || o.href.is_some())
                .collect(),
        })
        .filter(|g| !g.options.is_empty())
        .collect()
}

/// Page `n` of `list`.
pub fn render(ctx: &Context<'_>, list: &ListSpec, n: usize) -> Result<String, BuildError> {
    let (lang, collection) = (list.lang, list.collection);
    let dataset = ctx.dataset(collection);
    let heading = match &list.filter {
        Some((_, _, label)) => format!("{label} — {}", collection.label(lang)),
        None => collection.label(lang).to_string(),
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
    let current = list
        .filter
        .as_ref()
        .map(|(f, k, _)| (f.as_str(), k.as_str()));
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
        facets => facet_groups(ctx, lang, collection, current),
        show_facets => matches!(collection, Collection::Approvals | Collection::Seeds | Collection::Ppi),
        sample_notice => list.has_sample,
        portal_classified => portal_classified(ctx, lang, collection),
        get_in_touch => ctx.get_in_touch(lang, collection),
        selection => list.filter.is_none().then(|| Selection::of(ctx, lang, collection, list.matches.len())).flatten(),
        download => match list.filter {
            Some(_) => Download::of_list(ctx, list),
            None => Download::new(ctx, lang, collection),
        },
        feed => list.filter.as_ref().map(|_| ctx.site.href(lang, &routes::list_feed(&list.path))),
        // Offered when it holds an event: only events dated to the day go in.
        calendar => (collection == Collection::Ppi
            && ctx.dataset(Collection::Ppi).records.iter().any(|e| super::calendar::is_dated(e)))
            .then(|| ctx.site.href(lang, routes::PPI_CALENDAR)),
    };
    Ok(TEMPLATES.get_template("list.html")?.render(ctx_value)?)
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
    if list.filter.is_none() && first_page {
        chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_dataset(
            ctx, lang, collection,
        )])];
    }
    let mut trail = vec![];
    if list.filter.is_some() {
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
    let labels: Vec<&str> = ctx
        .dataset(collection)
        .facets
        .iter()
        .filter(|f| facet::is_portal_classified(&f.id))
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
