//! Open data: each collection, and each approval facet page's subset, as
//! JSON and two CSV flavours, and the catalogue `data/index.json` listing
//! them. The standards descriptions (data package, DCAT, JSON-LD and the
//! data dictionary) live in [`super::catalog`].

use amed_model::{Collection, Lang};

use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::rows::Format;
use super::shared::Shared;
use super::views::{self, Whole};
use portal_content::error::BuildError;
use portal_content::routes;

/// A collection's open data in one format.
pub struct DataFile;

/// What a collection's open-data file reads: all of the collection.
#[derive(Hash)]
pub struct DataFileInputs<'c> {
    whole: Whole<'c>,
    format: Format,
}

impl Family for DataFile {
    const NAME: &'static str = "data";
    type Key = (Collection, Format);
    type Inputs<'c> = DataFileInputs<'c>;

    fn inputs<'c>(
        ctx: &'c Context<'_>,
        &(collection, format): &(Collection, Format),
    ) -> DataFileInputs<'c> {
        DataFileInputs {
            whole: ctx.index(collection).whole(),
            format,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        let index = i.whole.get();
        Ok(i.format.stream(&index.dataset, &index.rows, &index.every))
    }
}

/// The open data of a facet page of one option: exactly its records.
pub struct FacetData;

/// What a facet page's open-data file reads: its rows.
#[derive(Hash)]
pub struct FacetDataInputs<'c> {
    rows: views::Rows<'c>,
    format: Format,
}

impl Family for FacetData {
    const NAME: &'static str = "facet-data";
    /// The list (index into [`Context::lists`]) and the format.
    type Key = (usize, Format);
    type Inputs<'c> = FacetDataInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &(l, format): &(usize, Format)) -> FacetDataInputs<'c> {
        let list = &ctx.lists[l];
        FacetDataInputs {
            rows: ctx.index(list.collection).rows(&list.matches[..]),
            format,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        Ok(i.rows.stream(i.format))
    }
}

/// The catalogue of open-data files, `data/index.json`.
pub struct DataIndex;

/// What the catalogue reads: each collection's record count, the
/// content date and the site's settings.
#[derive(Hash)]
pub struct DataIndexInputs<'c> {
    shared: &'c Shared<'c>,
    counts: Vec<(Collection, usize)>,
    content_date: Option<amed_model::PartialDate>,
}

impl Family for DataIndex {
    const NAME: &'static str = "data-index";
    type Key = ();
    type Inputs<'c> = DataIndexInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, _: &()) -> DataIndexInputs<'c> {
        DataIndexInputs {
            shared: &ctx.shared,
            counts: Collection::ALL
                .into_iter()
                .map(|c| (c, ctx.index(c).entries.len()))
                .collect(),
            content_date: ctx.content_date,
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(index(&i))
    }
}

/// The open-data jobs: each collection's files, each facet page's of one
/// option, and the catalogue.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let mut jobs = Vec::new();
    for collection in Collection::ALL {
        for format in Format::ALL {
            let path = routes::data_file(collection, format.extension());
            jobs.push(Job::of::<DataFile>(ctx, path, (collection, format)));
        }
    }
    for (l, list) in ctx.lists.iter().enumerate() {
        if list.lang != Lang::Ja || !list.has_data_files() {
            continue;
        }
        for format in Format::ALL {
            let path = routes::facet_data_file(&list.path, format.extension());
            jobs.push(Job::of::<FacetData>(ctx, path, (l, format)));
        }
    }
    jobs.push(Job::of::<DataIndex>(ctx, routes::DATA_INDEX.into(), ()));
    jobs
}

/// The catalogue of open-data files.
fn index(i: &DataIndexInputs<'_>) -> String {
    let (site, settings) = (&i.shared.site, i.shared.settings);
    let collections: Vec<_> = i
        .counts
        .iter()
        .map(|&(collection, records)| {
            let name = collection.dir();
            let file =
                |format: Format| site.asset_url(&routes::data_file(collection, format.extension()));
            serde_json::json!({
                "collection": name,
                "title": { "ja": collection.label(Lang::Ja), "en": collection.label(Lang::En) },
                "records": records,
                "json": file(Format::Json),
                "csv": file(Format::Csv),
                "csv_excel": file(Format::ExcelCsv),
            })
        })
        .collect();
    let license = &settings.license;
    let index = serde_json::json!({
        "title": { "ja": settings.title.ja, "en": settings.title.get(Lang::En) },
        "content_date": i.content_date.map(|d| d.to_string()),
        "license": { "id": license.id, "name": { "ja": license.name.ja, "en": license.name.get(Lang::En) }, "url": license.url },
        "datapackage": site.asset_url(routes::DATA_PACKAGE),
        "dcat": site.asset_url(routes::DATA_CATALOG),
        "collections": collections,
    });
    let mut json = serde_json::to_string_pretty(&index).expect("JSON values serialize");
    json.push('\n');
    json
}
