//! Lists and pagination: each collection's list, and the static facet
//! pages ([`super::narrow`]) that make filtering work without JavaScript.

use amed_model::dataset::facet;
use amed_model::explorer_format;
use amed_model::{Collection, Entry, FacetSpec, Kpi, Lang};
use minijinja::context;
use portal_output::explorer::App;
use serde::Serialize;

use super::catalog;
use super::chrome::ListIntro;
use super::chrome::{Chrome, Link, Preload};
use super::context::Context;
use super::descriptions::Described;
use super::inputs::{self, Family};
use super::job::Job;
use super::lists::{ListHead, ListSpec, PAGE_SIZE};
use super::narrow;
use super::rendered::Rendered;
use super::rows::Format;
use super::shared::Shared;
use super::templates::{DateView, TEMPLATES, TextView, date, text, ui};
use super::views::{Rows, Shape};
use portal_content::error::BuildError;
use portal_content::routes;

/// The pages of every list.
pub struct ListPage;

/// What a list page reads.
#[derive(Hash)]
pub struct PageInputs<'c> {
    shared: &'c Shared<'c>,
    list: ListHead<'c>,
    /// Which page (1-based).
    page: usize,
    /// Its rows.
    rows: Rows<'c>,
    /// The collection's filtering: the facet links count within the
    /// page's filters.
    shape: Shape<'c>,
    /// The calendar of PPI events, on PPI lists.
    calendar: Option<super::chrome::CalendarLink>,
    /// The first page's lead, another page's summary.
    intro: Option<ListIntro>,
    /// A whole collection's list says what it is a selection of.
    selection_total: Option<&'c Kpi>,
    /// A pair page offers the files of its first option's page.
    download_owner: Option<ListHead<'c>>,
    /// The first page of a whole collection describes the dataset.
    described: Option<Described<'c>>,
    /// The explorer's first documents shard, which that page preloads.
    first_shard: Option<u32>,
}

impl Family for ListPage {
    const NAME: &'static str = "list";
    /// The list (index into [`Context::lists`]) and the page (1-based).
    type Key = (usize, usize);
    type Inputs<'c> = PageInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(l, page): &(usize, usize)) -> PageInputs<'c> {
        let list = &ctx.lists[l];
        let head = list.head();
        let (lang, collection) = (list.lang, list.collection);
        let index = ctx.index(collection);
        let rows = list.matches.chunks(PAGE_SIZE).nth(page - 1).unwrap_or(&[]);
        let whole = list.filters.is_empty();
        let first = page == 1;
        PageInputs {
            shared: &ctx.shared,
            list: head,
            page,
            rows: index.rows(rows),
            shape: index.shape(),
            calendar: (collection == Collection::Ppi)
                .then(|| super::calendar::link(ctx, lang))
                .flatten(),
            intro: first.then(|| ctx.list_intro(lang, collection)).flatten(),
            selection_total: whole.then(|| ctx.selection_total(collection)).flatten(),
            download_owner: download_owner(ctx, list),
            described: (whole && first).then(|| ctx.described(&[collection])),
            first_shard: (head.explorer() && first && ctx.shared.assets.app(App::Lists).is_some())
                .then(|| ctx.layout.shard_of(ctx.first_docs[&collection])),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(render(&i)?)
    }
}

/// A job per page of every list.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    use rayon::prelude::*;
    (0..ctx.lists.len())
        .into_par_iter()
        .flat_map_iter(|l| {
            let list = &ctx.lists[l];
            (1..=list.pages()).map(move |page| {
                let path = routes::page_file(list.lang, &routes::list_page(&list.path, page));
                Job::of::<ListPage>(ctx, path, (l, page))
            })
        })
        .collect()
}

/// The list whose files a pair page offers: its first option's page.
fn download_owner<'c>(ctx: &'c Context<'_>, list: &ListSpec) -> Option<ListHead<'c>> {
    list.data_owner.map(|i| ctx.lists[i].head())
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
    /// The row of `entry`, tagged with its values of `facets`.
    pub fn new(
        site: &routes::Site,
        lang: Lang,
        entry: &'a Entry,
        facets: &[FacetSpec],
    ) -> ListItem<'a> {
        let tags = entry.tags(facets, lang, ui(lang, "international_collaboration"));
        ListItem {
            id: &entry.id,
            href: site.href(lang, &entry.path),
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
    /// The downloads of `collection`, of `records` records.
    pub fn new(
        site: &routes::Site,
        lang: Lang,
        collection: Collection,
        records: usize,
    ) -> Download {
        let file = |f: Format| site.asset(&routes::data_file(collection, f.extension()));
        Download {
            label: collection.label(lang).to_string(),
            records,
            json: file(Format::Json),
            csv: file(Format::Csv),
            excel: file(Format::ExcelCsv),
        }
    }

    /// The downloads of the facet page `list`: exactly its records.
    fn of_list(site: &routes::Site, list: &ListHead<'_>) -> Download {
        let file = |f: Format| site.asset(&routes::facet_data_file(list.path, f.extension()));
        let lang = list.lang;
        let label = list.label();
        let count = list.len;
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
            records: count,
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
        site: &routes::Site,
        lang: Lang,
        total: Option<&Kpi>,
        listed: usize,
    ) -> Option<Selection> {
        Selection::with_note(site, lang, total?, "selection_note", listed, listed)
    }

    /// The same for the `shown` newest of the `listed` records (the home page).
    pub fn of_newest(
        site: &routes::Site,
        lang: Lang,
        total: Option<&Kpi>,
        listed: usize,
        shown: usize,
    ) -> Option<Selection> {
        let note = if shown < listed {
            "newest_selection_note"
        } else {
            "selection_note"
        };
        Selection::with_note(site, lang, total?, note, listed, shown)
    }

    fn with_note(
        site: &routes::Site,
        lang: Lang,
        kpi: &Kpi,
        note: &str,
        listed: usize,
        shown: usize,
    ) -> Option<Selection> {
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
            href: site.href(lang, &Collection::Kpis.record_path(&kpi.doc.id)),
            source: kpi
                .doc
                .sources
                .first()
                .map(|s| super::sources::source_sentence(s, lang)),
        })
    }
}

#[derive(Serialize)]
struct Pagination {
    pages: Vec<Link>,
    previous: Option<String>,
    next: Option<String>,
}

/// A list's page, from its inputs.
fn render(i: &PageInputs<'_>) -> Result<String, BuildError> {
    let (shared, list, n) = (i.shared, &i.list, i.page);
    let site = &shared.site;
    let (lang, collection) = (list.lang, list.collection);
    let heading = if list.filters.is_empty() {
        collection.label(lang).to_string()
    } else {
        format!("{} — {}", list.label(), collection.label(lang))
    };
    let items: Vec<ListItem> = i
        .rows
        .entries()
        .map(|e| ListItem::new(site, lang, e, i.rows.facets()))
        .collect();
    let this = routes::list_page(list.path, n);
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
    let chrome = list_chrome(i, &this, &title, &heading, explorer);
    let ctx_value = context! {
        page => chrome,
        heading,
        collection => collection.dir(),
        explorer,
        core_href => site.asset(&explorer_format::core_file(collection, lang)),
        explore_root => site.asset(explorer_format::ROOT),
        csv_href => site.asset(&routes::data_file(collection, Format::Csv.extension())),
        excel_href => site.asset(&routes::data_file(collection, Format::ExcelCsv.extension())),
        json_href => site.asset(&routes::data_file(collection, Format::Json.extension())),
        items,
        total => list.len,
        first => (n - 1) * PAGE_SIZE + 1,
        pagination => pagination(site, list, n),
        facets => narrow::facet_groups(site, i.shape, lang, list.filters),
        removals => narrow::removals(site, lang, collection, list.filters),
        deepest => narrow::is_deepest(list.filters),
        show_facets => matches!(collection, Collection::Approvals | Collection::Seeds | Collection::Ppi),
        sample_notice => list.has_sample,
        portal_classified => portal_classified(i.shape.facets(), lang),
        get_in_touch => shared.get_in_touch(lang, collection),
        intro => &i.intro,
        selection => Selection::of(site, lang, i.selection_total, list.len),
        download => downloads(i),
        feed => list.has_feed().then(|| site.href(lang, &routes::list_feed(list.path))),
        subscribe => list.has_feed().then(|| subscribe_href(site, lang, list.path)),
    };
    Ok(TEMPLATES.get_template("list.html")?.render(ctx_value)?)
}

/// The downloads a list page offers: its collection's files, or its facet
/// page's; a pair page offers the files of its first option's page, whose
/// label says what they hold.
fn downloads(i: &PageInputs<'_>) -> Download {
    let (site, list) = (&i.shared.site, &i.list);
    if list.filters.is_empty() {
        return Download::new(site, list.lang, list.collection, i.shape.len());
    }
    Download::of_list(site, i.download_owner.as_ref().unwrap_or(list))
}

/// The feeds page, at the row of the feed of the list at `list_path`.
pub fn subscribe_href(site: &routes::Site, lang: Lang, list_path: &str) -> String {
    use amed_model::facet_pages::{FEEDS_PAGE, feed_anchor, feed_path};
    format!(
        "{}#{}",
        site.href(lang, FEEDS_PAGE),
        feed_anchor(&feed_path(list_path))
    )
}

/// The chrome of a list page: its structured data on a collection's first
/// page, the trail, and what the explorer fetches first where it runs.
fn list_chrome(
    i: &PageInputs<'_>,
    this: &str,
    title: &str,
    heading: &str,
    explorer: bool,
) -> Chrome {
    let (shared, list) = (i.shared, &i.list);
    let site = &shared.site;
    let (lang, collection) = (list.lang, list.collection);
    let mut chrome = shared.chrome(lang, this, title, heading, explorer.then_some(App::Lists));
    // Offered when it holds an event: only events dated to the day go in.
    chrome.calendar = i.calendar.clone();
    // The page's own feed is the one a feed reader given the page finds.
    if list.has_feed() {
        chrome.feed = site.href(lang, &routes::list_feed(list.path));
        chrome.feed_title = format!("{} — {}", ui(lang, "list_feed"), heading);
    }
    if let Some(described) = &i.described {
        chrome.json_ld = vec![catalog::json_ld(vec![catalog::schema_org_dataset(
            described, lang, collection,
        )])];
    }
    let mut trail = vec![];
    if !list.filters.is_empty() {
        trail.push((collection.list_path(), collection.label(lang)));
    }
    chrome.breadcrumbs = shared.crumbs(lang, &trail);
    if let (true, Some(first)) = (explorer, i.first_shard) {
        // The explorer's first answer needs the core; the default view's
        // first rows are in the shard of the collection's first document.
        for file in [
            explorer_format::core_file(collection, lang),
            explorer_format::docs_file(lang, first),
        ] {
            chrome.preloads.push(Preload::fetch(site.asset(&file)));
        }
    }
    chrome
}

/// The links to the other pages of `list`, from page `n`; none when it
/// has one page.
fn pagination(site: &routes::Site, list: &ListHead<'_>, n: usize) -> Option<Pagination> {
    let lang = list.lang;
    let pages = list.pages();
    let page_path = |i: usize| routes::list_page(list.path, i);
    (pages > 1).then(|| Pagination {
        pages: page_numbers(n, pages)
            .into_iter()
            .map(|i| match i {
                Some(i) => Link {
                    href: site.href(lang, &page_path(i)),
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
        previous: (n > 1).then(|| site.href(lang, &page_path(n - 1))),
        next: (n < pages).then(|| site.href(lang, &page_path(n + 1))),
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
pub fn portal_classified(facets: &[FacetSpec], lang: Lang) -> Option<String> {
    portal_classified_note(facets, lang, |_| true)
}

/// The note that says which of `collection`'s facets chosen by `chosen`
/// are this portal's own classification, if any is.
pub fn portal_classified_note(
    facets: &[FacetSpec],
    lang: Lang,
    chosen: impl Fn(&str) -> bool,
) -> Option<String> {
    let labels: Vec<&str> = facets
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
