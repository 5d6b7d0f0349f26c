//! Charts drawn at build time as SVG: approvals per year. One measure per
//! chart, on one axis with its title; each bar carries its value as a
//! label, so colour is never the only cue; text stays at least 12 px on a
//! 375 px phone. Every chart comes with a text summary, a source line, a
//! title and description for screen readers, a data-table twin holding
//! the same numbers, and downloads of those numbers (CSV) and of the
//! drawing itself (SVG). Colours come from classes in the stylesheet on
//! pages (no inline style, so the CSP holds, and forced-colours mode can
//! restyle them); the downloadable SVG carries its own presentation
//! attributes, as it is opened without the stylesheet.

use std::fmt::Write as _;

use amed_model::dataset::facet;
use amed_model::{Collection, Lang};
use serde::Serialize;

use super::shared::Shared;
use super::templates::ui;
use super::views::Shape;
use portal_content::routes;

/// A chart with everything that makes it readable without seeing it.
#[derive(Serialize)]
pub struct Chart {
    /// Element id prefix, and the name of its download files.
    pub id: String,
    /// Heading.
    pub title: String,
    /// What the chart shows, in one or two sentences.
    pub summary: String,
    /// Where its numbers come from.
    pub source: String,
    /// The drawing, for the page.
    pub svg: String,
    /// The same numbers as a table.
    pub table: Table,
    /// Its numbers as CSV, and its drawing as SVG, to download.
    pub csv_href: String,
    /// See [`Chart::csv_href`].
    pub svg_href: String,
}

/// A chart's data-table twin: a row per category, a column per series;
/// the first series is the one drawn.
#[derive(Serialize)]
pub struct Table {
    /// Header of the first column.
    pub corner: String,
    /// Series names.
    pub columns: Vec<String>,
    /// Category label and one value per series.
    pub rows: Vec<(String, Vec<u64>)>,
}

/// The chart files a build writes: each chart's numbers and drawing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ChartFile {
    /// The data-table twin as CSV (UTF-8 with a byte-order mark, for Excel).
    Csv,
    /// The drawing as a standalone SVG.
    Svg,
}

impl ChartFile {
    /// Both files.
    pub const ALL: [ChartFile; 2] = [ChartFile::Csv, ChartFile::Svg];

    fn extension(self) -> &'static str {
        match self {
            ChartFile::Csv => "csv",
            ChartFile::Svg => "svg",
        }
    }
}

/// How bars are painted: by stylesheet class (pages) or by attribute (the
/// standalone file).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Paint {
    Classes,
    Attributes,
}

impl Paint {
    fn attrs(self, class: &str, fill: &str) -> String {
        match self {
            Paint::Classes => format!(r#"class="{class}""#),
            Paint::Attributes => format!(r#"fill="{fill}""#),
        }
    }
}

/// The page's colours, for the standalone SVG.
const INK: &str = "#1a1a1a";
const BAR: &str = "#0b5cad";
const GRID: &str = "#c8ced6";

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A vertical bar chart of the table's first series, each bar labelled
/// with its value, with both axes titled.
fn bars(chart: &Chart, axis: (&str, &str), paint: Paint) -> String {
    let table = &chart.table;
    let (left, top, plot_w, plot_h) = (44.0, 28.0, 300.0, 180.0);
    let values: Vec<u64> = table.rows.iter().map(|(_, v)| v[0]).collect();
    let max = values.iter().copied().max().unwrap_or(0).max(1);
    let step = (max as f64 / 4.0).ceil().max(1.0) as u64;
    let top_value = (max.div_ceil(step) * step) as f64;
    let scale = plot_h / top_value;
    let (w, h) = ((left + plot_w + 8.0) as u32, (top + plot_h + 48.0) as u32);
    let text = paint.attrs("chart__text", INK);
    let mut out = String::new();
    let xmlns = match paint {
        Paint::Classes => "",
        Paint::Attributes => {
            r#" xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="13""#
        }
    };
    let id = &chart.id;
    let _ = write!(
        out,
        r#"<svg{xmlns} class="chart__svg" viewBox="0 0 {w} {h}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(&chart.title),
        esc(&chart.summary)
    );
    let _ = write!(
        out,
        r#"<text {text} x="4" y="14">{}</text><text {text} x="{}" y="{h}" dy="-4" text-anchor="middle">{}</text>"#,
        esc(axis.1),
        left + plot_w / 2.0,
        esc(axis.0)
    );
    let grid = paint.attrs("chart__grid", "none");
    let stroke = if paint == Paint::Attributes {
        format!(r#" stroke="{GRID}""#)
    } else {
        String::new()
    };
    let mut tick = 0;
    while tick as f64 <= top_value {
        let y = top + plot_h - tick as f64 * scale;
        let _ = write!(
            out,
            r#"<line {grid}{stroke} x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text {text} x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#,
            left + plot_w,
            left - 6.0,
            y + 4.0
        );
        tick += step;
    }
    let band = plot_w / table.rows.len().max(1) as f64;
    let bar = paint.attrs("chart__series--0", BAR);
    for (i, (category, row)) in table.rows.iter().enumerate() {
        let value = row[0];
        let x = left + band * i as f64 + band * 0.15;
        let height = value as f64 * scale;
        let y = top + plot_h - height;
        let _ = write!(
            out,
            r#"<rect {bar} x="{x:.1}" y="{y:.1}" width="{:.1}" height="{height:.1}" data-category="{}" data-series="{}" data-value="{value}"/><text {text} x="{:.1}" y="{:.1}" text-anchor="middle">{value}</text><text {text} x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            band * 0.7,
            esc(category),
            esc(&table.columns[0]),
            x + band * 0.35,
            y - 4.0,
            x + band * 0.35,
            top + plot_h + 18.0,
            esc(category)
        );
    }
    out.push_str("</svg>");
    out
}

/// The chart `id`'s download file of `kind` in `lang`: `kpis/chart-approvals.csv`.
pub fn file_path(lang: Lang, id: &str, kind: ChartFile) -> String {
    format!("{}{}{id}.{}", lang.prefix(), routes::KPIS, kind.extension())
}

/// Approvals per year of approval: the count drawn, and per modality in
/// the table (an approval of two modalities counts once in each).
pub fn approvals_by_year(shared: &Shared<'_>, approvals: Shape<'_>, lang: Lang) -> Option<Chart> {
    debug_assert_eq!(approvals.collection(), Collection::Approvals);
    let modality = approvals
        .facets()
        .iter()
        .find(|f| f.id == facet::MODALITY)?;
    let records: Vec<_> = approvals.records().collect();
    let mut years: Vec<u16> = records
        .iter()
        .filter_map(|e| e.date().map(|d| d.year()))
        .collect();
    years.sort_unstable();
    years.dedup();
    let (first, last) = (*years.first()?, *years.last()?);
    let used: Vec<_> = modality
        .options
        .iter()
        .filter(|o| {
            records
                .iter()
                .any(|e| e.keys(facet::MODALITY).any(|k| k == o.key))
        })
        .collect();
    let rows = (first..=last)
        .map(|year| {
            let in_year: Vec<_> = records
                .iter()
                .filter(|e| e.date().is_some_and(|d| d.year() == year))
                .collect();
            let mut values = vec![in_year.len() as u64];
            values.extend(used.iter().map(|o| {
                in_year
                    .iter()
                    .filter(|e| e.keys(facet::MODALITY).any(|k| k == o.key))
                    .count() as u64
            }));
            (year.to_string(), values)
        })
        .collect();
    let mut columns = vec![ui(lang, "chart_approvals_count").to_string()];
    columns.extend(used.iter().map(|o| o.label.get(lang).to_string()));
    let table = Table {
        corner: ui(lang, "chart_year").into(),
        columns,
        rows,
    };
    let n = records.len().to_string();
    let id = "chart-approvals".to_string();
    let mut chart = Chart {
        title: ui(lang, "chart_approvals_title").to_string(),
        summary: ui(lang, "chart_approvals_summary")
            .replace("{n}", &n)
            .replace("{first}", &first.to_string())
            .replace("{last}", &last.to_string()),
        source: ui(lang, "chart_approvals_source").replace("{n}", &n),
        svg: String::new(),
        table,
        csv_href: shared.site.asset(&file_path(lang, &id, ChartFile::Csv)),
        svg_href: shared.site.asset(&file_path(lang, &id, ChartFile::Svg)),
        id,
    };
    chart.svg = bars(&chart, axes(lang), Paint::Classes);
    Some(chart)
}

/// The axis titles of the approvals chart: (x, y).
fn axes(lang: Lang) -> (&'static str, &'static str) {
    (ui(lang, "chart_year_axis"), ui(lang, "chart_count_axis"))
}

/// The bytes of `chart`'s download of `kind`.
pub fn file(chart: &Chart, lang: Lang, kind: ChartFile) -> String {
    match kind {
        ChartFile::Csv => {
            let table = &chart.table;
            let mut out = String::from("\u{FEFF}");
            out.push_str(&amed_model::export::csv_line(
                std::iter::once(table.corner.as_str())
                    .chain(table.columns.iter().map(String::as_str)),
            ));
            for (category, values) in &table.rows {
                let values: Vec<String> = values.iter().map(u64::to_string).collect();
                out.push_str(&amed_model::export::csv_line(
                    std::iter::once(category.as_str()).chain(values.iter().map(String::as_str)),
                ));
            }
            out
        }
        ChartFile::Svg => {
            let mut svg = String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
            svg.push_str(&bars(chart, axes(lang), Paint::Attributes));
            svg.push('\n');
            svg
        }
    }
}
