//! Open data: each collection as JSON and CSV, and the catalogue
//! `data/index.json` listing them.

use amed_model::{Collection, Lang, export};

use super::{Context, Job, Output};
use crate::routes;

/// A format of the open data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
    /// `data/<collection>.json`.
    Json,
    /// `data/<collection>.csv`, UTF-8 with a byte-order mark.
    Csv,
}

impl Format {
    fn extension(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

/// The open-data jobs. A collection's files depend on its whole dataset;
/// the catalogue on the record counts and the content date.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let mut jobs = Vec::new();
    let mut counts = Vec::new();
    for collection in Collection::ALL {
        let index = ctx.index(collection);
        counts.push(index.entries.len());
        for format in [Format::Json, Format::Csv] {
            jobs.push(Job {
                path: routes::data_file(collection, format.extension()),
                fingerprint: ctx
                    .print("data")
                    .with(&collection)
                    .with(&format)
                    .with(&index.dataset)
                    .finish128(),
                output: Output::Data(collection, format),
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
    let dataset = ctx.dataset(collection);
    match format {
        Format::Json => export::to_json(dataset).into_bytes(),
        Format::Csv => export::to_csv(dataset).into_bytes(),
    }
}

/// The catalogue of open-data files.
pub fn index(ctx: &Context<'_>) -> String {
    let collections: Vec<_> = Collection::ALL
        .into_iter()
        .map(|collection| {
            let name = collection.dir();
            serde_json::json!({
                "collection": name,
                "title": { "ja": collection.label(Lang::Ja), "en": collection.label(Lang::En) },
                "records": ctx.dataset(collection).records.len(),
                "json": ctx.site.asset_url(&routes::data_file(collection, "json")),
                "csv": ctx.site.asset_url(&routes::data_file(collection, "csv")),
            })
        })
        .collect();
    let index = serde_json::json!({
        "title": { "ja": ctx.lib.site.title.ja, "en": ctx.lib.site.title.get(Lang::En) },
        "content_date": ctx.content_date.map(|d| d.to_string()),
        "collections": collections,
    });
    let mut json = serde_json::to_string_pretty(&index).expect("JSON values serialize");
    json.push('\n');
    json
}
