//! Open data: each collection, and each approval facet page's subset, as
//! JSON and two CSV flavours, and the catalogue `data/index.json` listing
//! them. The standards descriptions (data package, DCAT, JSON-LD and the
//! data dictionary) live in [`super::catalog`].

use std::borrow::Cow;
use std::sync::{Arc, Mutex, OnceLock};

use amed_model::export::{self, CsvFlavour};
use amed_model::{Collection, Dataset, Lang};
use rustc_hash::FxHashMap;

use super::{Context, Job, Output};
use crate::routes;

/// A format of the open data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `data/<collection>.json`.
    Json,
    /// `data/<collection>.csv`, plain UTF-8 for tools.
    Csv,
    /// `data/<collection>.excel.csv`, UTF-8 with a byte-order mark.
    ExcelCsv,
}

impl Format {
    /// Every format, in the order pages offer them.
    pub const ALL: [Format; 3] = [Format::Json, Format::Csv, Format::ExcelCsv];

    /// The file name ending.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Json => routes::DATA_FORMATS[0],
            Format::Csv => routes::DATA_FORMATS[1],
            Format::ExcelCsv => routes::DATA_FORMATS[2],
        }
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv | Format::ExcelCsv => "text/csv",
        }
    }

    /// `dataset` in this format. The two CSV flavours differ only by the
    /// byte-order mark, so the CSV is made once for both (`key` names it).
    fn bytes<D: std::ops::Deref<Target = Dataset>>(
        self,
        ctx: &Context<'_>,
        key: Table,
        dataset: impl FnOnce() -> D,
    ) -> Vec<u8> {
        match self {
            Format::Json => export::to_json(&dataset()).into_bytes(),
            Format::Csv => ctx.csv.take(key, dataset).to_vec(),
            Format::ExcelCsv => {
                let csv = ctx.csv.take(key, dataset);
                let mut bytes = Vec::with_capacity(export::BOM.len() + csv.len());
                bytes.extend_from_slice(export::BOM.as_bytes());
                bytes.extend_from_slice(&csv);
                bytes
            }
        }
    }
}

/// A table of the open data: a collection, or a facet list's subset
/// (index into [`Context::lists`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Table {
    /// A whole collection.
    Collection(Collection),
    /// A facet page's subset.
    Facet(usize),
}

/// The plain CSV of each table, made by whichever of its two files is
/// rendered first and dropped once both have taken it, so a build holds
/// a CSV only while its twin is still to come.
#[derive(Default)]
pub struct CsvTables(Mutex<FxHashMap<Table, (CsvCell, u8)>>);

/// A table's plain CSV, made once.
type CsvCell = Arc<OnceLock<Arc<[u8]>>>;

impl CsvTables {
    /// The plain CSV of `key`, made from `dataset` if not made yet.
    fn take<D: std::ops::Deref<Target = Dataset>>(
        &self,
        key: Table,
        dataset: impl FnOnce() -> D,
    ) -> Arc<[u8]> {
        let cell = {
            let mut tables = self.0.lock().expect("not poisoned");
            let (cell, taken) = tables.entry(key).or_default();
            *taken += 1;
            let cell = cell.clone();
            if *taken == 2 {
                tables.remove(&key);
            }
            cell
        };
        cell.get_or_init(|| {
            export::to_csv_as(&dataset(), CsvFlavour::Plain)
                .into_bytes()
                .into()
        })
        .clone()
    }
}

/// The open-data jobs. A collection's files depend on its whole dataset;
/// a facet page's files on the rows it lists; the catalogue on the record
/// counts and the content date.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut counts = Vec::new();
    for collection in Collection::ALL {
        let index = ctx.index(collection);
        counts.push(index.entries.len());
        for format in Format::ALL {
            jobs.push(Job {
                path: routes::data_file(collection, format.extension()),
                fingerprint: ctx
                    .print("data")
                    .with(&collection)
                    .with(&format)
                    .with(&index.published)
                    .finish128(),
                output: Output::Data(collection, format),
            });
        }
    }
    for (l, list) in ctx.lists.iter().enumerate() {
        if list.lang != Lang::Ja || list.filter.is_none() {
            continue;
        }
        let index = ctx.index(list.collection);
        let rows: Vec<_> = list
            .matches
            .iter()
            .map(|&i| index.entries[i as usize])
            .collect();
        for format in Format::ALL {
            jobs.push(Job {
                path: routes::facet_data_file(&list.path, format.extension()),
                fingerprint: ctx
                    .print("facet-data")
                    .with(&list.path)
                    .with(&format)
                    .with(&rows)
                    .with(&index.meta)
                    .finish128(),
                output: Output::FacetData(l, format),
            });
        }
    }
    jobs.push(Job {
        path: routes::DATA_INDEX.into(),
        fingerprint: ctx
            .print("data-index")
            .with(&counts)
            .with(&ctx.content_date)
            .finish128(),
        output: Output::DataIndex,
    });
    jobs
}

/// A collection's open data in `format`.
pub fn render(ctx: &Context<'_>, collection: Collection, format: Format) -> Vec<u8> {
    format.bytes(ctx, Table::Collection(collection), || {
        Cow::Borrowed(ctx.dataset(collection))
    })
}

/// The records of facet list `list` (index into [`Context::lists`]) in
/// `format`: exactly what the facet page lists.
pub fn render_facet(ctx: &Context<'_>, l: usize, format: Format) -> Vec<u8> {
    let list = &ctx.lists[l];
    format.bytes(ctx, Table::Facet(l), || {
        Cow::<Dataset>::Owned(ctx.dataset(list.collection).subset(&list.matches))
    })
}

/// The catalogue of open-data files.
pub fn index(ctx: &Context<'_>) -> String {
    let collections: Vec<_> = Collection::ALL
        .into_iter()
        .map(|collection| {
            let name = collection.dir();
            let file = |format: Format| {
                ctx.site
                    .asset_url(&routes::data_file(collection, format.extension()))
            };
            serde_json::json!({
                "collection": name,
                "title": { "ja": collection.label(Lang::Ja), "en": collection.label(Lang::En) },
                "records": ctx.dataset(collection).records.len(),
                "json": file(Format::Json),
                "csv": file(Format::Csv),
                "csv_excel": file(Format::ExcelCsv),
            })
        })
        .collect();
    let license = &ctx.lib.site.license;
    let index = serde_json::json!({
        "title": { "ja": ctx.lib.site.title.ja, "en": ctx.lib.site.title.get(Lang::En) },
        "content_date": ctx.content_date.map(|d| d.to_string()),
        "license": { "id": license.id, "name": { "ja": license.name.ja, "en": license.name.get(Lang::En) }, "url": license.url },
        "datapackage": ctx.site.asset_url(routes::DATA_PACKAGE),
        "dcat": ctx.site.asset_url(routes::DATA_CATALOG),
        "collections": collections,
    });
    let mut json = serde_json::to_string_pretty(&index).expect("JSON values serialize");
    json.push('\n');
    json
}
