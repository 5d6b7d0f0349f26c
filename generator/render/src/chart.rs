//! Charts drawn at build time as SVG: approvals per year by modality and
//! each group of KPIs. Every chart comes with a text summary, a title and
//! description for screen readers, and a data-table twin holding the same
//! numbers; colours come from classes in the stylesheet (no inline style,
//! so the CSP holds, and forced-colours mode can restyle them).

use std::fmt::Write as _;

use amed_model::dataset::facet;
use amed_model::{Collection, KpiGroup, Lang};
use serde::Serialize;

use super::Context;
use super::templates::{thousands, ui};

/// A chart with everything that makes it readable without seeing it.
#[derive(Serialize)]
pub struct Chart {
    /// Element id prefix.
    pub id: String,
    /// Heading.
    pub title: String,
    /// What the chart shows, in one or two sentences.
    pub summary: String,
    /// The drawing.
    pub svg: String,
    /// The same numbers as a table.
    pub table: Table,
}

/// A chart's data-table twin: a row per category, a column per series.
#[derive(Serialize)]
pub struct Table {
    /// Header of the first column.
    pub corner: String,
    /// Series names.
    pub columns: Vec<String>,
    /// Category label and one value per series.
    pub rows: Vec<(String, Vec<u64>)>,
}

/// Series colours in the stylesheet: `chart__series--0` … `--7`.
const PALETTE: usize = 8;

fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn open_svg(out: &mut String, id: &str, width: u32, height: u32, title: &str, summary: &str) {
    let _ = write!(
        out,
        r#"<svg class="chart__svg" viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id}-title {id}-desc" focusable="false"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        esc(title),
        esc(summary)
    );
}

/// A vertical bar chart of `table`, its series stacked, with a legend.
fn stacked_bars(id: &str, title: &str, summary: &str, table: &Table) -> String {
    let (left, top, plot_w, plot_h, legend_w) = (40.0, 16.0, 400.0, 240.0, 200.0);
    let totals: Vec<u64> = table.rows.iter().map(|(_, v)| v.iter().sum()).collect();
    let max = totals.iter().copied().max().unwrap_or(0).max(1);
    let step = (max as f64 / 4.0).ceil().max(1.0) as u64;
    let top_value = (max.div_ceil(step) * step) as f64;
    let scale = plot_h / top_value;
    let mut out = String::new();
    let (w, h) = (
        (left + plot_w + legend_w) as u32,
        (top + plot_h + 40.0) as u32,
    );
    open_svg(&mut out, id, w, h, title, summary);
    let mut tick = 0;
    while tick as f64 <= top_value {
        let y = top + plot_h - tick as f64 * scale;
        let _ = write!(
            out,
            r#"<line class="chart__grid" x1="{left}" x2="{}" y1="{y:.1}" y2="{y:.1}"/><text class="chart__tick" x="{}" y="{:.1}" text-anchor="end">{tick}</text>"#,
            left + plot_w,
            left - 6.0,
            y + 4.0
        );
        tick += step;
    }
    let band = plot_w / table.rows.len().max(1) as f64;
    for (i, (category, values)) in table.rows.iter().enumerate() {
        let x = left + band * i as f64 + band * 0.2;
        let mut base = top + plot_h;
        for (s, &value) in values.iter().enumerate().filter(|(_, v)| **v > 0) {
            let height = value as f64 * scale;
            base -= height;
            let _ = write!(
                out,
                r#"<rect class="chart__series--{}" x="{x:.1}" y="{base:.1}" width="{:.1}" height="{height:.1}" data-category="{}" data-series="{}" data-value="{value}"><title>{} {}: {value}</title></rect>"#,
                s % PALETTE,
                band * 0.6,
                esc(category),
                esc(&table.columns[s]),
                esc(category),
                esc(&table.columns[s])
            );
        }
        let _ = write!(
            out,
            r#"<text class="chart__label" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            x + band * 0.3,
            top + plot_h + 20.0,
            esc(category)
        );
    }
    for (s, series) in table.columns.iter().enumerate() {
        let y = top + 18.0 * s as f64;
        let x = left + plot_w + 16.0;
        let _ = write!(
            out,
            r#"<rect class="chart__series--{}" x="{x}" y="{y}" width="12" height="12"/><text class="chart__legend" x="{}" y="{}">{}</text>"#,
            s % PALETTE,
            x + 18.0,
            y + 11.0,
            esc(series)
        );
    }
    out.push_str("</svg>");
    out
}

/// A horizontal bar chart of one series: a labelled bar per row.
fn bars(id: &str, title: &str, summary: &str, table: &Table) -> String {
    let (left, width, row_h) = (8.0, 560.0, 44.0);
    let max = table
        .rows
        .iter()
        .map(|(_, v)| v[0])
        .max()
        .unwrap_or(0)
        .max(1) as f64;
    let mut out = String::new();
    let h = (row_h * table.rows.len() as f64 + 8.0) as u32;
    open_svg(
        &mut out,
        id,
        (left + width + 80.0) as u32,
        h,
        title,
        summary,
    );
    for (i, (label, values)) in table.rows.iter().enumerate() {
        let y = 4.0 + row_h * i as f64;
        let value = values[0];
        let bar = (value as f64 / max * width).max(2.0);
        let _ = write!(
            out,
            r#"<text class="chart__label" x="{left}" y="{:.1}">{}</text><rect class="chart__series--0" x="{left}" y="{:.1}" width="{bar:.1}" height="18" data-category="{}" data-series="{}" data-value="{value}"><title>{}: {value}</title></rect><text class="chart__value" x="{:.1}" y="{:.1}">{}</text>"#,
            y + 14.0,
            esc(label),
            y + 20.0,
            esc(label),
            esc(&table.columns[0]),
            esc(label),
            left + bar + 6.0,
            y + 34.0,
            thousands(value)
        );
    }
    out.push_str("</svg>");
    out
}

/// Approvals per year of approval, by modality (an approval of two
/// modalities counts once in each).
pub fn approvals_by_year(ctx: &Context<'_>, lang: Lang) -> Option<Chart> {
    let dataset = ctx.dataset(Collection::Approvals);
    let modality = dataset.facets.iter().find(|f| f.id == facet::MODALITY)?;
    let mut years: Vec<u16> = dataset
        .records
        .iter()
        .filter_map(|e| e.date.map(|d| d.year()))
        .collect();
    years.sort_unstable();
    years.dedup();
    let (first, last) = (*years.first()?, *years.last()?);
    let used: Vec<_> = modality
        .options
        .iter()
        .filter(|o| {
            dataset
                .records
                .iter()
                .any(|e| e.keys(facet::MODALITY).any(|k| k == o.key))
        })
        .collect();
    let rows = (first..=last)
        .map(|year| {
            let in_year: Vec<_> = dataset
                .records
                .iter()
                .filter(|e| e.date.is_some_and(|d| d.year() == year))
                .collect();
            let values = used
                .iter()
                .map(|o| {
                    in_year
                        .iter()
                        .filter(|e| e.keys(facet::MODALITY).any(|k| k == o.key))
                        .count() as u64
                })
                .collect();
            (year.to_string(), values)
        })
        .collect();
    let table = Table {
        corner: ui(lang, "chart_year").into(),
        columns: used.iter().map(|o| o.label.get(lang).to_string()).collect(),
        rows,
    };
    let title = ui(lang, "chart_approvals_title").to_string();
    let summary = ui(lang, "chart_approvals_summary")
        .replace("{n}", &dataset.records.len().to_string())
        .replace("{first}", &first.to_string())
        .replace("{last}", &last.to_string());
    let id = "chart-approvals".to_string();
    Some(Chart {
        svg: stacked_bars(&id, &title, &summary, &table),
        id,
        title,
        summary,
        table,
    })
}

/// The KPIs of `group` as bars, with the period they cover.
pub fn kpi_group(ctx: &Context<'_>, lang: Lang, group: KpiGroup) -> Option<Chart> {
    let kpis: Vec<_> = ctx.lib.kpis.iter().filter(|k| k.group == group).collect();
    if kpis.is_empty() {
        return None;
    }
    let newest = kpis.iter().filter_map(|k| k.as_of).max();
    let rows = kpis
        .iter()
        .map(|k| (k.doc.title.get(lang).to_string(), vec![k.value]))
        .collect();
    let table = Table {
        corner: ui(lang, "chart_indicator").into(),
        columns: vec![ui(lang, "value").into()],
        rows,
    };
    let title = group.label(lang).to_string();
    let summary = match newest {
        Some(d) => ui(lang, "chart_kpi_summary").replace("{as_of}", &d.format(lang)),
        None => ui(lang, "chart_kpi_summary_undated").to_string(),
    }
    .replace("{period}", group.label(lang))
    .replace("{n}", &kpis.len().to_string());
    let id = format!("chart-{}", group.key());
    Some(Chart {
        svg: bars(&id, &title, &summary, &table),
        id,
        title,
        summary,
        table,
    })
}
