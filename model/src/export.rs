//! Open-data exports: the CSV and JSON forms of a [`Dataset`].
//!
//! `/data/<collection>.csv` and `.json` and the explorer's downloads of a
//! filtered view are written by these functions, so a download has exactly
//! the columns and encoding of the published file.

use crate::{Collection, Dataset, Entry, Lang, Text};

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

/// One CSV line of `values` (CRLF included), quoted and neutralised as
/// every published CSV is: for small tables besides the datasets (a
/// chart's numbers).
pub fn csv_line<'a>(values: impl IntoIterator<Item = &'a str>) -> String {
    let mut out = String::new();
    row(&mut out, values);
    out
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

/// What a column's values are, as the data package and the data
/// dictionary describe them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ColumnKind {
    /// Free text.
    Text,
    /// A whole number.
    Integer,
    /// `yes` or `no`.
    Boolean,
    /// ISO 8601 at year, month or day precision (`2021`, `2021-06`, `2021-06-01`).
    Date,
    /// Several values separated by `;`.
    List,
    /// An absolute URL.
    Url,
}

impl From<crate::FieldKind> for ColumnKind {
    fn from(kind: crate::FieldKind) -> Self {
        match kind {
            crate::FieldKind::Text => ColumnKind::Text,
            crate::FieldKind::Integer => ColumnKind::Integer,
            crate::FieldKind::Boolean => ColumnKind::Boolean,
            crate::FieldKind::Date => ColumnKind::Date,
            crate::FieldKind::List => ColumnKind::List,
        }
    }
}

/// One column of a collection's CSV: the schema the header, the data
/// package and the data dictionary are all made from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Column {
    /// The header name.
    pub name: String,
    /// What its values are.
    pub kind: ColumnKind,
    /// What it holds, in both languages.
    pub description: Text,
    /// Whether every row has a value.
    pub required: bool,
}

fn column(name: impl Into<String>, kind: ColumnKind, ja: &str, en: &str, required: bool) -> Column {
    Column {
        name: name.into(),
        kind,
        description: Text::new(ja, en),
        required,
    }
}

/// What the `date` column means in `collection`.
fn date_meaning(collection: Collection) -> (&'static str, &'static str) {
    match collection {
        Collection::Approvals => ("承認された年月", "When it was approved"),
        Collection::Ppi => (
            "開催日（または開催の年・年月）",
            "When the event takes or took place",
        ),
        Collection::Kpis => ("数値の時点", "The date the figure stands at"),
        _ => ("（このコレクションでは空）", "(empty in this collection)"),
    }
}

/// The columns of `dataset`'s CSV, in order.
pub fn csv_columns(dataset: &Dataset) -> Vec<Column> {
    use ColumnKind as K;
    let (date_ja, date_en) = date_meaning(dataset.collection);
    let has_date = !dataset.records.is_empty() && dataset.records.iter().all(|e| e.date.is_some());
    let mut columns = vec![
        column(
            "id",
            K::Text,
            "記録の識別子（URLの一部）",
            "The record's identifier (part of its URL)",
            true,
        ),
        column(
            "title_ja",
            K::Text,
            "題名（日本語）",
            "Title in Japanese",
            true,
        ),
        column(
            "title_en",
            K::Text,
            "題名（英語、未翻訳なら空）",
            "Title in English (empty if not translated)",
            false,
        ),
        column(
            "summary_ja",
            K::Text,
            "概要（日本語）",
            "Summary in Japanese",
            true,
        ),
        column(
            "summary_en",
            K::Text,
            "概要（英語、未翻訳なら空）",
            "Summary in English (empty if not translated)",
            false,
        ),
        column("date", K::Date, date_ja, date_en, has_date),
        column(
            "sample",
            K::Boolean,
            "サンプルデータなら yes（実在の記録ではありません）",
            "yes for sample data (not a real record)",
            true,
        ),
    ];
    for spec in dataset
        .facets
        .iter()
        .filter(|f| f.kind == crate::FacetKind::Terms)
    {
        let (ja, en) = (&spec.label.ja, spec.label.get(Lang::En));
        let (whose_ja, whose_en) = if crate::dataset::facet::is_portal_classified(&spec.id) {
            (
                "。本ポータルによる分類で、出典の資料による分類ではありません",
                "; this portal's classification, not the cited sources'",
            )
        } else if spec.id == crate::dataset::facet::INTERNATIONAL {
            (
                "。yes は引用した出典が国際共同研究と述べているもの、no は出典に記載がないもの（国際共同研究がなかったという意味ではありません）",
                "; yes where a cited source states international collaboration, no where none does (not a statement that there was none)",
            )
        } else {
            ("", "")
        };
        columns.push(column(
            spec.id.clone(),
            K::List,
            &format!("{ja}のキー（;区切り）{whose_ja}"),
            &format!("{en}: keys, ;-separated{whose_en}"),
            false,
        ));
        columns.push(column(
            format!("{}_ja", spec.id),
            K::List,
            &format!("{ja}の名称（日本語、;区切り）"),
            &format!("{en}: Japanese labels, ;-separated"),
            false,
        ));
        columns.push(column(
            format!("{}_en", spec.id),
            K::List,
            &format!("{ja}の名称（英語、;区切り）"),
            &format!("{en}: English labels, ;-separated"),
            false,
        ));
    }
    for field in &dataset.fields {
        let required = matches!(
            field.kind,
            crate::FieldKind::Integer | crate::FieldKind::Boolean
        ) && dataset
            .records
            .iter()
            .all(|e| e.fields.contains_key(&field.id));
        columns.push(column(
            field.id.clone(),
            field.kind.into(),
            &field.label.ja,
            field.label.get(Lang::En),
            required,
        ));
    }
    columns.extend([
        column(
            "url_ja",
            K::Url,
            "日本語のページのURL",
            "URL of the Japanese page",
            true,
        ),
        column(
            "url_en",
            K::Url,
            "英語のページのURL",
            "URL of the English page",
            true,
        ),
        column(
            "sources",
            K::Text,
            "出典（発行者［英訳］「資料名」［英訳］ 日付, 該当箇所［英訳］ <URL>。英語の資料の名は“”で囲む。| 区切り）",
            "Sources: publisher［English］「title」［English］ date, page［English］ <URL>; an English source's title in “”; |-separated",
            true,
        ),
    ]);
    columns
}

/// The CSV header of `dataset`.
pub fn csv_header(dataset: &Dataset) -> Vec<String> {
    csv_columns(dataset).into_iter().map(|c| c.name).collect()
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
        values.push(
            entry
                .fields
                .get(&spec.id)
                .map(crate::FieldValue::to_cell)
                .unwrap_or_default(),
        );
    }
    values.push(entry.url.ja.clone());
    values.push(entry.url.get(Lang::En).to_string());
    let sources: Vec<String> = entry.sources.iter().map(source_cell).collect();
    values.push(sources.join(" | "));
    values
}

/// A source in one cell, every part the record gives, so the CSV loses
/// nothing the pages show and reads back as the same source:
/// `publisher［publisher_en］「title」［title_en］ date, page［page_en］ <url>`,
/// the English glosses of a Japanese source in full-width brackets (names
/// may end in parentheses of their own), and the title of an English
/// source in “” instead of 「」.
pub fn source_cell(s: &crate::Source) -> String {
    let quotes = match s.lang {
        Lang::Ja => ('「', '」'),
        Lang::En => ('“', '”'),
    };
    source_text(s, Lang::En, quotes, ('［', '］'))
}

/// A source on one line for a reader of `lang`: as [`source_cell`], with
/// the English glosses of a Japanese source's parts for English readers.
pub fn source_line(s: &crate::Source, lang: Lang) -> String {
    source_text(s, lang, ('「', '」'), (' ', ' '))
}

/// A source on one line: the title between `quotes`, each English gloss
/// between `brackets` (a space and parentheses when they are spaces).
fn source_text(
    s: &crate::Source,
    lang: Lang,
    (open, close): (char, char),
    brackets: (char, char),
) -> String {
    let gloss = |part: &Option<String>| {
        s.gloss(lang, part)
            .map_or_else(String::new, |g| match brackets {
                (' ', ' ') => format!(" ({g})"),
                (l, r) => format!("{l}{g}{r}"),
            })
    };
    let mut cell = String::new();
    if let Some(publisher) = &s.publisher {
        cell.push_str(&format!("{publisher}{} ", gloss(&s.publisher_en)));
    }
    cell.push_str(&format!(
        "{open}{}{close}{} {}",
        s.title,
        gloss(&s.title_en),
        s.date
    ));
    if let Some(page) = &s.page {
        cell.push_str(&format!(", {page}{}", gloss(&s.page_en)));
    }
    if let Some(url) = &s.url {
        cell.push_str(&format!(" <{url}>"));
    }
    cell
}

/// Whether a CSV file starts with a byte-order mark.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CsvFlavour {
    /// Plain UTF-8, for tools and programming languages.
    Plain,
    /// UTF-8 with a byte-order mark, for Excel.
    Excel,
}

/// The dataset as CSV: UTF-8 with BOM, CRLF line ends, one row per record.
pub fn to_csv(dataset: &Dataset) -> String {
    to_csv_as(dataset, CsvFlavour::Excel)
}

/// The dataset as CSV in `flavour`: CRLF line ends, one row per record.
pub fn to_csv_as(dataset: &Dataset, flavour: CsvFlavour) -> String {
    let mut out = String::new();
    if flavour == CsvFlavour::Excel {
        out.push_str(BOM);
    }
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

/// One record's CSV row (CRLF included) in a file of `dataset`'s columns.
pub fn csv_row(dataset: &Dataset, entry: &Entry) -> String {
    let mut out = String::new();
    row(
        &mut out,
        csv_values(dataset, entry).iter().map(String::as_str),
    );
    out
}

/// The CSV of `dataset`'s columns holding `rows` (from [`csv_row`]) in
/// order: the same bytes as [`to_csv_as`] of a dataset of those records.
pub fn csv_with_rows<'r>(
    dataset: &Dataset,
    flavour: CsvFlavour,
    rows: impl IntoIterator<Item = &'r str>,
) -> String {
    let mut out = String::new();
    CsvFrame::new(dataset, flavour).emit(rows, &mut |part| out.push_str(part));
    out
}

/// What a CSV file holds besides its rows: the byte-order mark if any
/// and the header row. Emitting the file part by part lets a writer
/// stream 100,000 rows without holding the file.
#[derive(Debug, Clone)]
pub struct CsvFrame {
    head: String,
}

impl CsvFrame {
    /// The frame of a CSV of `dataset`'s columns in `flavour`.
    pub fn new(dataset: &Dataset, flavour: CsvFlavour) -> CsvFrame {
        let mut head = String::new();
        if flavour == CsvFlavour::Excel {
            head.push_str(BOM);
        }
        row(&mut head, csv_header(dataset).iter().map(String::as_str));
        CsvFrame { head }
    }

    /// Emits the file holding `rows` (from [`csv_row`]), part by part.
    pub fn emit<'r>(&self, rows: impl IntoIterator<Item = &'r str>, out: &mut dyn FnMut(&str)) {
        out(&self.head);
        for r in rows {
            out(r);
        }
    }
}

/// One record of the `records` array of [`to_json`]'s output, compact:
/// [`JsonFrame::emit`] indents it as it emits it. Kept compact, the rows
/// of 100,000 records take 85 MB instead of 147 MB in a live preview.
pub fn json_row(entry: &Entry) -> String {
    serde_json::to_string(entry).expect("an entry always serializes")
}

/// Appends compact JSON `row` to `out` as `serde_json`'s pretty printer
/// writes it two levels deep (two spaces a level): the record as it
/// stands in the `records` array.
fn indent_row(row: &str, out: &mut String) {
    const DEPTH: usize = 2;
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth));
    };
    out.extend(std::iter::repeat_n("  ", DEPTH));
    let bytes = row.as_bytes();
    let mut depth = DEPTH;
    let mut i = 0;
    while i < bytes.len() {
        // Copy everything up to the next byte that matters at once.
        let run = bytes[i..]
            .iter()
            .position(|b| matches!(b, b'"' | b'{' | b'}' | b'[' | b']' | b',' | b':'))
            .map_or(bytes.len(), |p| i + p);
        out.push_str(&row[i..run]);
        i = run;
        let Some(&b) = bytes.get(i) else { break };
        match b {
            b'"' => {
                // A string, escapes and all, as it is.
                let mut j = i + 1;
                while let Some(k) = memchr::memchr2(b'"', b'\\', &bytes[j.min(bytes.len())..]) {
                    j += k;
                    if bytes[j] == b'"' {
                        break;
                    }
                    j += 2;
                }
                out.push_str(&row[i..=j.min(bytes.len() - 1)]);
                i = j + 1;
                continue;
            }
            b'{' | b'[' => {
                let close = if b == b'{' { b'}' } else { b']' };
                if bytes.get(i + 1) == Some(&close) {
                    out.push_str(&row[i..i + 2]);
                    i += 2;
                    continue;
                }
                out.push(b as char);
                depth += 1;
                newline(out, depth);
            }
            b'}' | b']' => {
                depth -= 1;
                newline(out, depth);
                out.push(b as char);
            }
            b',' => {
                out.push(',');
                newline(out, depth);
            }
            _ => out.push_str(": "),
        }
        i += 1;
    }
}

/// The JSON of `dataset` (its records left aside) holding `rows` (from
/// [`json_row`]) in order: the same bytes as [`to_json`] of a dataset of
/// those records.
pub fn json_with_rows<'r>(dataset: &Dataset, rows: impl IntoIterator<Item = &'r str>) -> String {
    let mut json = String::new();
    JsonFrame::new(dataset).emit(rows, &mut |part| json.push_str(part));
    json
}

/// What a dataset's JSON holds besides its records, to emit it part by
/// part (see [`CsvFrame`]).
#[derive(Debug, Clone)]
pub struct JsonFrame {
    /// Everything up to the records' array, which is last.
    open: String,
}

impl JsonFrame {
    /// The frame of `dataset`'s JSON.
    pub fn new(dataset: &Dataset) -> JsonFrame {
        let head = Dataset {
            records: vec![],
            facets: dataset.facets.clone(),
            fields: dataset.fields.clone(),
            license: dataset.license.clone(),
            ..*dataset
        };
        let empty = to_json(&head);
        // `records` is the last field: the output ends `"records": []\n}\n`.
        let open = empty
            .strip_suffix("[]\n}\n")
            .expect("records is the dataset's last field")
            .to_string();
        JsonFrame { open }
    }

    /// Emits the JSON holding `rows` (from [`json_row`]), part by part.
    pub fn emit<'r>(&self, rows: impl IntoIterator<Item = &'r str>, out: &mut dyn FnMut(&str)) {
        out(&self.open);
        let mut rows = rows.into_iter().peekable();
        if rows.peek().is_none() {
            out("[]\n}\n");
            return;
        }
        out("[\n");
        let mut pretty = String::new();
        for (i, row) in rows.enumerate() {
            pretty.clear();
            if i > 0 {
                pretty.push_str(",\n");
            }
            indent_row(row, &mut pretty);
            out(&pretty);
        }
        out("\n  ]\n}\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compact_row_is_indented_as_the_pretty_printer_writes_it() {
        let value = serde_json::json!({
            "id": "a\"b\\c,d:e{f}[g]",
            "empty_list": [],
            "empty_map": {},
            "title": { "ja": "「がん」, {x}: [y]", "en": null },
            "nested": [[1, 2], [], [{ "k": true }], "s"],
            "n": -1.5e3
        });
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let mut out = String::new();
        indent_row(&serde_json::to_string(&value).unwrap(), &mut out);
        assert_eq!(out, format!("    {}", pretty.replace('\n', "\n    ")));
    }

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
