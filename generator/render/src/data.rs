//! Open data: each collection, and each approval facet page's subset, as
//! JSON and two CSV flavours, and the catalogue `data/index.json` listing
//! them. The standards descriptions (data package, DCAT, JSON-LD and the
//! data dictionary) live in [`super::catalog`].

use std::sync::{Arc, OnceLock, RwLock};

use amed_model::export::{self, CsvFlavour};
use amed_model::{Collection, Dataset, Lang};
use rayon::prelude::*;

use super::inputs::{self, Family, Shared};
use super::views::{self, Whole};
use super::{Context, Job, Output, Rendered};
use portal_content::error::BuildError;
use portal_content::routes;

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

    /// The EU file-type authority's code for the format (DCAT-AP's
    /// `dct:format`).
    pub fn file_type(self) -> &'static str {
        match self {
            Format::Json => "JSON",
            Format::Csv | Format::ExcelCsv => "CSV",
        }
    }

    /// The format's name for readers, in `lang`.
    pub fn label(self, lang: amed_model::Lang) -> &'static str {
        super::templates::ui(
            lang,
            match self {
                Format::Json => "download_json",
                Format::Csv => "download_csv",
                Format::ExcelCsv => "download_excel",
            },
        )
    }

    /// The media type.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Json => "application/json",
            Format::Csv | Format::ExcelCsv => "text/csv",
        }
    }

    /// The records at `positions` of `index`'s dataset in this format,
    /// streamed from their rows.
    pub(super) fn stream<'c>(
        self,
        index: &'c super::CollectionIndex,
        positions: &[u32],
    ) -> Rendered<'c> {
        let dataset = &index.dataset;
        let rows = &index.rows;
        let emit: Box<portal_output::write::Emit<'c>> = match self {
            Format::Json => {
                let rows = rows.json(dataset, positions);
                let frame = export::JsonFrame::new(dataset);
                Box::new(move |out| {
                    frame.emit(rows.iter().map(|r| &**r), &mut |part| out(part.as_bytes()))
                })
            }
            Format::Csv | Format::ExcelCsv => {
                let flavour = match self {
                    Format::ExcelCsv => CsvFlavour::Excel,
                    _ => CsvFlavour::Plain,
                };
                let rows = rows.csv(dataset, positions);
                let frame = export::CsvFrame::new(dataset, flavour);
                Box::new(move |out| {
                    frame.emit(rows.iter().map(|r| &**r), &mut |part| out(part.as_bytes()))
                })
            }
        };
        Rendered::Streamed(emit)
    }
}

/// Each record's rows in the open-data files (JSON and CSV), made the
/// first time a file needs them and shared by the collection's files and
/// every facet subset that lists the record: a record is in half a dozen
/// files of each format, and making its rows once instead of for each file
/// saves a third of a first build's processor time at 100,000 records.
///
/// A live preview keeps them for good, and a patched index keeps the rows
/// of the records that did not change, so a save makes the rows of one
/// record, not of 100,000. A build lets them go once its open data is
/// staged ([`Rows::release`]): held to the end, they would raise its peak
/// memory by a quarter.
#[derive(Debug, Default)]
pub struct Rows {
    json: RwLock<Vec<OnceLock<Arc<str>>>>,
    csv: RwLock<Vec<OnceLock<Arc<str>>>>,
    /// Whether [`Rows::release`] lets the rows go (a build) or they are
    /// kept for good (a live preview).
    releasable: bool,
}

impl Clone for Rows {
    fn clone(&self) -> Rows {
        let cells = |lock: &RwLock<Vec<OnceLock<Arc<str>>>>| {
            RwLock::new(lock.read().unwrap_or_else(|e| e.into_inner()).clone())
        };
        Rows {
            json: cells(&self.json),
            csv: cells(&self.csv),
            releasable: self.releasable,
        }
    }
}

impl Rows {
    /// No rows made yet for `count` records; `releasable` for a build.
    pub fn new(count: usize, releasable: bool) -> Rows {
        Rows {
            json: RwLock::new(vec![OnceLock::new(); count]),
            csv: RwLock::new(vec![OnceLock::new(); count]),
            releasable,
        }
    }

    /// Makes every row now (a live preview, whose first build may find
    /// every file already written, would otherwise make 100,000 rows in
    /// its first save that changes the open data).
    pub fn warm(&self, dataset: &Dataset) {
        let every: Vec<u32> = (0..dataset.records.len() as u32).collect();
        self.json(dataset, &every);
        self.csv(dataset, &every);
    }

    /// Forgets the rows of the record at `position` (it was replaced).
    pub fn forget(&mut self, position: usize) {
        for cells in [&mut self.json, &mut self.csv] {
            let cells = cells.get_mut().unwrap_or_else(|e| e.into_inner());
            if let Some(cell) = cells.get_mut(position) {
                *cell = OnceLock::new();
            }
        }
    }

    /// Lets the rows go, if these are a build's: its open data is staged.
    /// Rows asked for afterwards are made again, not kept.
    pub fn release(&self) {
        if self.releasable {
            for cells in [&self.json, &self.csv] {
                *cells.write().unwrap_or_else(|e| e.into_inner()) = Vec::new();
            }
        }
    }

    fn json(&self, dataset: &Dataset, positions: &[u32]) -> Vec<Arc<str>> {
        made(&self.json, positions, |i| {
            export::json_row(&dataset.records[i])
        })
    }

    fn csv(&self, dataset: &Dataset, positions: &[u32]) -> Vec<Arc<str>> {
        made(&self.csv, positions, |i| {
            export::csv_row(dataset, &dataset.records[i])
        })
    }
}

/// The rows at `positions`, making those not made yet (in parallel).
fn made(
    cells: &RwLock<Vec<OnceLock<Arc<str>>>>,
    positions: &[u32],
    make: impl Fn(usize) -> String + Sync,
) -> Vec<Arc<str>> {
    let cells = cells.read().unwrap_or_else(|e| e.into_inner());
    positions
        .par_iter()
        .map(|&i| {
            let i = i as usize;
            match cells.get(i) {
                Some(cell) => cell.get_or_init(|| make(i).into()).clone(),
                None => make(i).into(),
            }
        })
        .collect()
}

/// Whether `output` is open data put together from rows.
pub fn from_rows(output: &Output) -> bool {
    matches!(output, Output::Data(..) | Output::FacetData(..))
}

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
        Ok(i.format.stream(index, &index.every))
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
