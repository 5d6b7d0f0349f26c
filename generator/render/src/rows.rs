//! Open-data rows and formats: each record's row of the JSON and CSV
//! files, made once and shared by every file that lists it, and the
//! formats those files are streamed in.

use std::sync::{Arc, OnceLock, RwLock};

use amed_model::Dataset;
use amed_model::export::{self, CsvFlavour};
use portal_content::routes;
use rayon::prelude::*;

use super::rendered::Rendered;

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

    /// The records at `positions` of `dataset`, whose rows are `rows`, in
    /// this format, streamed from their rows.
    pub(super) fn stream<'c>(
        self,
        dataset: &'c Dataset,
        rows: &'c Rows,
        positions: &[u32],
    ) -> Rendered<'c> {
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
