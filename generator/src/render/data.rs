//! Open data: each collection, and each approval facet page's subset, as
//! JSON and two CSV flavours, and the catalogue `data/index.json` listing
//! them. The standards descriptions (data package, DCAT, JSON-LD and the
//! data dictionary) live in [`super::catalog`].

use amed_model::export::{self, CsvFlavour};
use amed_model::{Collection, Dataset, Lang};

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

    fn bytes(self, dataset: &Dataset) -> Vec<u8> {
        match self {
            Format::Json => export::to_json(dataset),
            Format::Csv => export::to_csv_as(dataset, CsvFlavour::Plain),
            Format::ExcelCsv => export::to_csv_as(dataset, CsvFlavour::Excel),
        }
        .into_bytes()
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
    format.bytes(ctx.dataset(collection))
}

/// The records of facet list `list` (index into [`Context::lists`]) in
/// `format`: exactly what the facet page lists.
pub fn render_facet(ctx: &Context<'_>, list: usize, format: Format) -> Vec<u8> {
    let list = &ctx.lists[list];
    let subset = ctx.dataset(list.collection).subset(&list.matches);
    format.bytes(&subset)
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
