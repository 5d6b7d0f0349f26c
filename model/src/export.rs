//! Open-data exports: the CSV and JSON forms of a [`Dataset`].
//!
//! `/data/<collection>.csv` and `.json` and the explorer's downloads of a
//! filtered view are written by these functions, so a download has exactly
//! the columns and encoding of the published file.

use crate::{Dataset, Entry, Lang};

/// The byte order mark that makes Excel open UTF-8 CSV correctly (it
/// otherwise assumes Shift_JIS on Japanese Windows).
pub const BOM: &str = "\u{FEFF}";

/// Quotes a CSV field per RFC 4180 when it needs it. Written here rather
/// than taken from the `csv` crate to keep that crate out of the wasm bundle.
///
/// Content is untrusted and the file is made for spreadsheets: a cell that
/// starts like a formula gets a leading `'`, so Excel shows it as text
/// instead of evaluating it. Spreadsheets skip leading white space (also
/// tab, line feed and the ideographic space U+3000) and read full-width
/// signs as half-width ones, so those count as a formula start too.
fn field(out: &mut String, value: &str) {
    let neutralised;
    let value = if starts_like_formula(value) {
        neutralised = format!("'{value}");
        neutralised.as_str()
    } else {
        value
    };
    if value.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&value.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(value);
    }
}

/// Whether a spreadsheet would read `value` as a formula.
fn starts_like_formula(value: &str) -> bool {
    const SIGNS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    let first = value.chars().find(|c| !c.is_whitespace());
    value.starts_with(['\t', '\r', '\n']) || first.is_some_and(|c| SIGNS.contains(&c))
}

fn row<'a>(out: &mut String, values: impl IntoIterator<Item = &'a str>) {
    for (i, value) in values.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, value);
    }
    out.push_str("\r\n");
}

/// The CSV header of `dataset`.
pub fn csv_header(dataset: &Dataset) -> Vec<String> {
    let mut header: Vec<String> = [
        "id",
        "title_ja",
        "title_en",
        "summary_ja",
        "summary_en",
        "date",
        "sample",
    ]
    .map(String::from)
    .into();
    for spec in dataset
        .facets
        .iter()
        .filter(|f| f.kind == crate::FacetKind::Terms)
    {
        header.push(spec.id.clone());
        header.push(format!("{}_ja", spec.id));
        header.push(format!("{}_en", spec.id));
    }
    header.extend(dataset.fields.iter().map(|f| f.id.clone()));
    header.extend(["url_ja", "url_en", "sources"].map(String::from));
    header
}

fn csv_values(dataset: &Dataset, entry: &Entry) -> Vec<String> {
    let mut values = vec![
        entry.id.clone(),
        entry.title.ja.clone(),
        entry.title.en.clone().unwrap_or_default(),
        entry.summary.ja.clone(),
        entry.summary.en.clone().unwrap_or_default(),
        entry.date.map(|d| d.to_string()).unwrap_or_default(),
        if entry.sample { "yes" } else { "no" }.to_string(),
    ];
    for spec in dataset
        .facets
        .iter()
        .filter(|f| f.kind == crate::FacetKind::Terms)
    {
        let labels = entry
            .facets
            .get(&spec.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let joined =
            |pick: fn(&crate::Label) -> &str| labels.iter().map(pick).collect::<Vec<_>>().join(";");
        values.push(joined(|l| &l.key));
        values.push(joined(|l| &l.ja));
        values.push(joined(|l| &l.en));
    }
    for spec in &dataset.fields {
        values.push(entry.fields.get(&spec.id).cloned().unwrap_or_default());
    }
    values.push(entry.url.ja.clone());
    values.push(entry.url.get(Lang::En).to_string());
    let sources: Vec<String> = entry
        .sources
        .iter()
        .map(|s| match &s.url {
            Some(url) => format!("{} ({}) <{url}>", s.title, s.date),
            None => format!("{} ({})", s.title, s.date),
        })
        .collect();
    values.push(sources.join(" | "));
    values
}

/// The dataset as CSV: UTF-8 with BOM, CRLF line ends, one row per record.
pub fn to_csv(dataset: &Dataset) -> String {
    let mut out = String::from(BOM);
    row(&mut out, csv_header(dataset).iter().map(String::as_str));
    for entry in &dataset.records {
        row(
            &mut out,
            csv_values(dataset, entry).iter().map(String::as_str),
        );
    }
    out
}

/// The dataset as pretty-printed JSON with a final newline.
pub fn to_json(dataset: &Dataset) -> String {
    let mut json = serde_json::to_string_pretty(dataset).expect("a dataset always serializes");
    json.push('\n');
    json
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_fields_that_need_it() {
        let mut out = String::new();
        row(&mut out, ["plain", "a,b", "say \"hi\"", "line\nbreak"]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\"\r\n");
    }

    #[test]
    fn neutralises_formulas() {
        let mut out = String::new();
        row(
            &mut out,
            ["=HYPERLINK(\"http://x\")", "@SUM(A1)", "-1", "a=b"],
        );
        assert_eq!(
            out,
            r#""'=HYPERLINK(""http://x"")",'@SUM(A1),'-1,a=b"#.to_string() + "\r\n"
        );
    }

    #[test]
    fn neutralises_full_width_signs_and_leading_white_space() {
        for value in [
            "＝1+1",
            "＋1",
            "－1",
            "＠SUM(A1)",
            " =1",
            "\t=1",
            "\n=1",
            "\u{3000}=1",
            "\u{3000}＝1",
        ] {
            let mut out = String::new();
            field(&mut out, value);
            assert!(
                out.starts_with('\'') || out.starts_with("\"'"),
                "{value:?} gave {out:?}"
            );
        }
        let mut out = String::new();
        field(&mut out, "がん ＝ cancer");
        assert_eq!(out, "がん ＝ cancer");
    }
}
