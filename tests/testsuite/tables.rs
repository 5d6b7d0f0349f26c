//! Tables as a collection's source: each format and encoding gives the
//! same site as the Markdown files it replaces, the portal's own published
//! CSVs read back as the same site, and problems in a table are shown at
//! the cell, all at once.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use amed_model::Collection;
use portal_e2e::{build, copy_dir, fixture, read_tree};
use tempfile::TempDir;

/// A copy of the showcase outside version control (so no page shows a
/// history, whichever way its records are stored).
fn showcase_copy() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp folder");
    let content = dir.path().join("content");
    copy_dir(&fixture("showcase"), &content);
    (dir, content)
}

fn site_of(content: &Path) -> BTreeMap<String, Vec<u8>> {
    let dir = tempfile::tempdir().expect("temp folder");
    let out = dir.path().join("dist");
    build(content, &out, Some("https://example.org/")).expect("the site builds");
    read_tree(&out)
}

/// The body of a Markdown file: what follows its front matter.
fn body_of(text: &str) -> String {
    let rest = text.splitn(3, "+++").nth(2).expect("front matter");
    rest.strip_prefix('\n').unwrap_or(rest).to_string()
}

/// A collection's published CSV as rows of text (header first).
fn rows_of(csv: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv)
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect())
        .collect()
}

/// How a test stores a collection's records.
#[derive(Clone, Copy, Debug)]
enum Store {
    /// The published plain CSV, bodies in Markdown files.
    PlainCsv,
    /// The published CSV for Excel (with BOM), bodies in Markdown files.
    ExcelCsv,
    /// An Excel workbook with typed cells (numbers, dates, true/false) and
    /// the bodies in cells.
    Xlsx,
    /// An OpenDocument spreadsheet, bodies in Markdown files.
    Ods,
    /// JSON Lines with numbers, booleans and arrays, bodies in cells.
    JsonLines,
}

/// `content` with every collection's records moved from Markdown files
/// into a table stored as `store`, read from the published CSVs of `site`.
fn tabled(content: &Path, site: &BTreeMap<String, Vec<u8>>, store: Store) {
    for collection in Collection::ALL {
        let dir = content.join(collection.dir());
        let mut bodies: BTreeMap<String, (String, Option<String>)> = BTreeMap::new();
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let body = body_of(&fs::read_to_string(&path).unwrap());
            let slot = match name.strip_suffix(".en.md") {
                Some(id) => &mut bodies.entry(id.into()).or_default().1,
                None => {
                    let id = name.trim_end_matches(".md").to_string();
                    bodies.entry(id).or_default().0 = body.clone();
                    fs::remove_file(&path).unwrap();
                    continue;
                }
            };
            *slot = Some(body);
            fs::remove_file(&path).unwrap();
        }
        let plain = &site[&format!("data/{}.csv", collection.dir())];
        let excel = &site[&format!("data/{}.excel.csv", collection.dir())];
        let name = collection.dir();
        let bodies_in_cells = matches!(store, Store::Xlsx | Store::JsonLines);
        if !bodies_in_cells {
            for (id, (ja, en)) in &bodies {
                fs::write(dir.join(format!("{id}.md")), ja).unwrap();
                if let Some(en) = en {
                    fs::write(dir.join(format!("{id}.en.md")), en).unwrap();
                }
            }
        }
        let mut rows = rows_of(plain);
        if bodies_in_cells {
            rows[0].extend(["body_ja".to_string(), "body_en".to_string()]);
            for row in rows.iter_mut().skip(1) {
                let (ja, en) = &bodies[&row[0]];
                row.extend([ja.clone(), en.clone().unwrap_or_default()]);
            }
        }
        match store {
            Store::PlainCsv => fs::write(dir.join(format!("{name}.csv")), plain).unwrap(),
            Store::ExcelCsv => fs::write(dir.join(format!("{name}.csv")), excel).unwrap(),
            Store::Xlsx => write_xlsx(&dir.join(format!("{name}.xlsx")), &rows),
            Store::Ods => write_ods(&dir.join(format!("{name}.ods")), &rows),
            Store::JsonLines => write_json_lines(&dir.join(format!("{name}.jsonl")), &rows),
        }
    }
}

/// A cell as a spreadsheet would type it: numbers as numbers, yes/no as
/// true/false, full dates as dates, the rest as text.
enum Typed<'a> {
    Number(f64),
    Bool(bool),
    Date(u16, u8, u8),
    Text(&'a str),
}

fn typed<'a>(column: &str, value: &'a str) -> Typed<'a> {
    let numeric = ["value", "order", "number"];
    let yes_no = ["sample", "intl", "conditional", "headline"];
    if numeric.contains(&column)
        && let Ok(n) = value.parse::<f64>()
    {
        return Typed::Number(n);
    }
    if yes_no.contains(&column) && (value == "yes" || value == "no") {
        return Typed::Bool(value == "yes");
    }
    let parts: Vec<&str> = value.split('-').collect();
    if ["date", "as_of"].contains(&column)
        && let [y, m, d] = parts.as_slice()
        && let (Ok(y), Ok(m), Ok(d)) = (y.parse(), m.parse(), d.parse())
    {
        return Typed::Date(y, m, d);
    }
    Typed::Text(value)
}

fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("記録").unwrap();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("yyyy/m/d");
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if value.is_empty() {
                continue;
            }
            match typed(&rows[0][c as usize], value) {
                _ if r == 0 => sheet.write_string(r, c, value),
                Typed::Number(n) => sheet.write_number(r, c, n),
                Typed::Bool(b) => sheet.write_boolean(r, c, b),
                Typed::Date(y, m, d) => {
                    let date = rust_xlsxwriter::ExcelDateTime::from_ymd(y, m, d).unwrap();
                    sheet.write_datetime_with_format(r, c, &date, &date_format)
                }
                Typed::Text(t) => sheet.write_string(r, c, t),
            }
            .unwrap();
        }
    }
    book.save(path).unwrap();
}

fn xml_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// An OpenDocument spreadsheet, written part by part as LibreOffice would.
fn write_ods(path: &Path, rows: &[Vec<String>]) {
    use std::io::Write;
    let mut table = String::new();
    for (r, row) in rows.iter().enumerate() {
        table.push_str("<table:table-row>");
        for (c, value) in row.iter().enumerate() {
            let cell = match typed(&rows[0][c], value) {
                _ if value.is_empty() => "<table:table-cell/>".to_string(),
                Typed::Number(n) if r > 0 => format!(
                    r#"<table:table-cell office:value-type="float" office:value="{n}"><text:p>{n}</text:p></table:table-cell>"#
                ),
                Typed::Date(y, m, d) if r > 0 => format!(
                    r#"<table:table-cell office:value-type="date" office:date-value="{y:04}-{m:02}-{d:02}"><text:p>{value}</text:p></table:table-cell>"#
                ),
                _ => {
                    let paragraphs: String = value
                        .split('\n')
                        .map(|p| format!("<text:p>{}</text:p>", xml_escape(p)))
                        .collect();
                    format!(
                        r#"<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>"#
                    )
                }
            };
            table.push_str(&cell);
        }
        table.push_str("</table:table-row>");
    }
    let content = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:spreadsheet><table:table table:name="Sheet1">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    );
    let manifest = r#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#;
    let mut zip = zip::ZipWriter::new(fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default();
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    zip.write_all(content.as_bytes()).unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(manifest.as_bytes()).unwrap();
    zip.finish().unwrap();
}

fn write_json_lines(path: &Path, rows: &[Vec<String>]) {
    use serde_json::Value;
    let lists = ["modality", "disease", "project", "country", "approvals"];
    let mut out = String::new();
    for row in &rows[1..] {
        let mut object = serde_json::Map::new();
        for (column, value) in rows[0].iter().zip(row) {
            if value.is_empty() {
                continue;
            }
            let json = match typed(column, value) {
                _ if lists.contains(&column.as_str()) => {
                    Value::Array(value.split(';').map(Value::from).collect())
                }
                Typed::Number(n) => Value::from(n as u64),
                Typed::Bool(b) => Value::Bool(b),
                _ => Value::from(value.as_str()),
            };
            object.insert(column.clone(), json);
        }
        out.push_str(&serde_json::to_string(&object).unwrap());
        out.push('\n');
    }
    fs::write(path, out).unwrap();
}

/// The Markdown showcase, built once.
fn markdown_site() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: std::sync::OnceLock<BTreeMap<String, Vec<u8>>> = std::sync::OnceLock::new();
    SITE.get_or_init(|| {
        let (_dir, content) = showcase_copy();
        site_of(&content)
    })
}

fn same_site_from(store: Store) {
    let markdown = markdown_site();
    let (_dir, content) = showcase_copy();
    tabled(&content, markdown, store);
    let tables = site_of(&content);
    let differ: Vec<&String> = markdown
        .keys()
        .chain(tables.keys())
        .filter(|k| markdown.get(*k) != tables.get(*k))
        .collect();
    assert!(
        differ.is_empty(),
        "{store:?}: {} files differ from the Markdown build, first {:?}",
        differ.len(),
        differ.first()
    );
}

#[test]
fn the_published_csv_of_every_collection_reads_back_as_the_same_site() {
    same_site_from(Store::PlainCsv);
}

#[test]
fn the_published_csv_for_excel_reads_back_as_the_same_site() {
    same_site_from(Store::ExcelCsv);
}

#[test]
fn an_xlsx_workbook_with_typed_cells_and_bodies_in_cells_gives_the_same_site() {
    same_site_from(Store::Xlsx);
}

#[test]
fn an_ods_spreadsheet_gives_the_same_site() {
    same_site_from(Store::Ods);
}

#[test]
fn json_lines_with_arrays_give_the_same_site() {
    same_site_from(Store::JsonLines);
}

fn minimal_with(overlay: Option<&str>) -> (TempDir, PathBuf) {
    portal_e2e::minimal_site_with(overlay.as_slice())
}

fn problems(content: &Path) -> String {
    portal_e2e::content_problems(content)
}

#[test]
fn problems_in_a_csv_and_its_mapping_are_shown_at_their_cells_all_at_once() {
    // An agency's own column names in a mapping, with one field that does
    // not exist; values forgiven (a 令和 date, full-width digits, names
    // instead of keys, はい) and values that are wrong, an empty required
    // cell, a bad id, an id a Markdown file already has, and a body file
    // no row claims.
    let (_dir, content) = minimal_with(Some("bad-table"));
    insta::assert_snapshot!(problems(&content));
}

#[test]
fn problems_in_a_workbook_are_shown_at_their_sheet_and_cell() {
    let (_dir, content) = minimal_with(None);
    let header = [
        "id",
        "title_ja",
        "summary_ja",
        "date",
        "category",
        "modality",
        "disease",
        "sources",
    ];
    let rows = [
        header.map(String::from).to_vec(),
        [
            "sheet-ok",
            "良い記録",
            "概要。",
            "2021-06-01",
            "新薬",
            "small-molecule",
            "がん",
            "AMED「資料」 2025-05-14",
        ]
        .map(String::from)
        .to_vec(),
        [
            "sheet-bad",
            "悪い記録",
            "",
            "2021-06-01",
            "new-drug",
            "gene thrapy",
            "cancer",
            "no source here",
        ]
        .map(String::from)
        .to_vec(),
    ];
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("承認一覧").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate().filter(|(_, v)| !v.is_empty()) {
            sheet.write_string(r as u32, c as u16, value).unwrap();
        }
    }
    // A number where a date belongs is read as Excel's day count.
    sheet.write_number(1, 3, 44348.0).unwrap();
    book.save(content.join("approvals/approvals.xlsx")).unwrap();
    fs::write(
        content.join("approvals/approvals.toml"),
        "sheet = \"承認一覧\"\n",
    )
    .unwrap();
    insta::assert_snapshot!(problems(&content));
    fs::write(
        content.join("approvals/approvals.toml"),
        "sheet = \"Sheet9\"\n",
    )
    .unwrap();
    assert_eq!(
        problems(&content),
        "content/approvals/approvals.xlsx:1:1: no sheet named \"Sheet9\": the workbook has \"承認一覧\""
    );
}

#[test]
fn a_csv_saved_by_japanese_excel_in_shift_jis_is_read() {
    let (_dir, content) = minimal_with(None);
    let csv = "id,title_ja,summary_ja,modality,disease,stage,licensing,sample,sources\r\n\
               sjis-seed,（サンプル）①番目のシーズ,髙橋研究室の例示です。,低分子医薬品,がん,basic,available,はい,AMED「資料」 2025-05-14\r\n";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(csv);
    assert!(!unmappable, "the test text is all in CP932");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the file is not UTF-8"
    );
    fs::write(content.join("seeds/seeds.csv"), &bytes).unwrap();
    let site = site_of(&content);
    let page = String::from_utf8(site["seeds/sjis-seed/index.html"].clone()).unwrap();
    assert!(page.contains("（サンプル）①番目のシーズ"), "{page}");
    assert!(page.contains("髙橋研究室の例示です。"));
    let data = String::from_utf8(site["data/seeds.csv"].clone()).unwrap();
    assert!(
        data.contains("sjis-seed,（サンプル）①番目のシーズ"),
        "{data}"
    );
}

#[test]
fn a_control_character_in_a_cell_is_one_problem_at_its_cell() {
    let (_dir, content) = minimal_with(None);
    let csv = "id,title_ja,summary_ja,modality,disease,stage,licensing,sources\n\
               ctl,題\u{1}名,概要。,small-molecule,cancer,basic,available,AMED「資料」 2025-05-14\n";
    fs::write(content.join("seeds/seeds.csv"), csv).unwrap();
    assert_eq!(
        problems(&content),
        "content/seeds/seeds.csv:2:2: U+0001 is a control character: it would make the feeds and the sitemap invalid XML; remove it"
    );
}
