//! Reading a table file into rows of cells, whatever its format: CSV
//! (UTF-8 with or without a byte-order mark, or Shift_JIS/CP932 as
//! Japanese Excel saves it), JSON Lines, and `.xlsx` / `.ods` workbooks.
//!
//! Nothing here knows what the columns mean. Every cell keeps where it is
//! (row and column as the editor sees them), and hostile files (zip bombs,
//! a million columns, huge sheets) end in one located problem within
//! bounded time and memory.

use std::io::{Cursor, Read};
use std::sync::Arc;

use crate::error::{Diagnostic, LineOrigin, Spot, TableName};

/// The largest table file read.
pub const MAX_TABLE_FILE: u64 = 512 << 20;
/// The most a workbook may hold once unpacked (all its parts together).
pub const MAX_UNPACKED: u64 = 1 << 30;
/// The most columns a table may have.
pub const MAX_COLUMNS: u32 = 1_000;
/// The most rows a table may have (as many as a sheet of Excel).
pub const MAX_ROWS: u32 = 1_048_576;

/// A cell's value as the file stores it.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    /// Text (CSV fields are all text).
    Text(String),
    /// A number (a workbook's numeric cell, a JSON number).
    Number(f64),
    /// A workbook's or JSON's true/false.
    Bool(bool),
    /// A workbook's date cell: year, month, day.
    Date(u16, u8, u8),
    /// Several values (a JSON array).
    List(Vec<String>),
    /// A workbook's error cell (`#REF!`, `#DIV/0!`…).
    Error(String),
}

/// One non-empty cell.
#[derive(Clone, Debug)]
pub struct Cell {
    /// The index of its column in [`Sheet::header`].
    pub index: usize,
    /// The column number shown to the editor (1-based): the column of a
    /// sheet or a CSV, the character column of the key in a JSON line.
    pub shown: u32,
    /// Its value.
    pub value: Value,
}

/// One row below the header.
#[derive(Clone, Debug)]
pub struct Row {
    /// Its number as the editor sees it (1-based): the sheet's row, or the
    /// line of a CSV or JSON Lines file where it starts.
    pub number: u32,
    /// Its non-empty cells, by column.
    pub cells: Vec<Cell>,
}

/// A table: its column names and rows.
#[derive(Debug)]
pub struct Sheet {
    /// The file (and sheet) it was read from.
    pub name: Arc<TableName>,
    /// The names of its columns, trimmed; `None` for a column without one.
    pub header: Vec<Option<String>>,
    /// The row holding the names (1-based).
    pub header_row: u32,
    /// The rows below it.
    pub rows: Vec<Row>,
}

impl Sheet {
    /// Where the cell at `row` and `shown` column is.
    pub fn spot(&self, row: u32, shown: u32) -> Spot {
        LineOrigin::Cell {
            table: self.name.clone(),
            row,
            column: shown,
        }
        .spot(1, 1)
    }
}

/// The formats a table can be in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// One JSON object per line.
    JsonLines,
    /// An Excel workbook.
    Xlsx,
    /// An OpenDocument spreadsheet (LibreOffice, Google Sheets export).
    Ods,
}

impl Format {
    /// The format of a file named `name`, if it is a table.
    pub fn of(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "csv" => Format::Csv,
            "jsonl" => Format::JsonLines,
            "xlsx" => Format::Xlsx,
            "ods" => Format::Ods,
            _ => return None,
        })
    }

    /// Whether the format has named sheets.
    pub fn is_workbook(self) -> bool {
        matches!(self, Format::Xlsx | Format::Ods)
    }
}

/// What to read: which sheet of a workbook, which row names the columns.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// The sheet's name; the first sheet when `None`.
    pub sheet: Option<String>,
    /// The row holding the column names (1-based; 1 when `None`).
    pub header_row: Option<u32>,
}

/// Reads `bytes`, the file `display`, as a table of `format`.
pub fn read(
    format: Format,
    display: &str,
    bytes: &[u8],
    layout: &Layout,
) -> Result<Sheet, Diagnostic> {
    let header_row = layout.header_row.unwrap_or(1).max(1);
    let plain = |display: &str| {
        Arc::new(TableName {
            file: display.to_string(),
            sheet: None,
        })
    };
    let grid = match format {
        Format::Csv => csv_grid(plain(display), bytes)?,
        Format::JsonLines => return json_lines(plain(display), bytes),
        Format::Xlsx | Format::Ods => {
            check_unpacked(display, bytes)?;
            workbook_grid(format, display, bytes, layout.sheet.as_deref())?
        }
    };
    Ok(grid.into_sheet(header_row))
}

/// Cells by row, before the header is known.
struct Grid {
    name: Arc<TableName>,
    /// `(row number, cells as (column, value))`, rows in order.
    rows: Vec<(u32, Vec<(u32, Value)>)>,
}

impl Grid {
    fn into_sheet(self, header_row: u32) -> Sheet {
        let mut header: Vec<Option<String>> = vec![];
        let mut rows = vec![];
        for (number, cells) in self.rows {
            if number < header_row {
                continue;
            }
            if number == header_row {
                for (column, value) in cells {
                    let at = column as usize - 1;
                    if header.len() <= at {
                        header.resize(at + 1, None);
                    }
                    header[at] = Some(value_text(&value).trim().to_string());
                }
                continue;
            }
            let cells: Vec<Cell> = cells
                .into_iter()
                .map(|(column, value)| Cell {
                    index: column as usize - 1,
                    shown: column,
                    value,
                })
                .collect();
            if !cells.is_empty() {
                rows.push(Row { number, cells });
            }
        }
        Sheet {
            name: self.name,
            header,
            header_row,
            rows,
        }
    }
}

/// A value as text (for header cells).
fn value_text(value: &Value) -> String {
    match value {
        Value::Text(t) | Value::Error(t) => t.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Date(y, m, d) => format!("{y:04}-{m:02}-{d:02}"),
        Value::List(items) => items.join(";"),
    }
}

fn too_many_columns(name: &Arc<TableName>, row: u32, columns: usize) -> Diagnostic {
    LineOrigin::Cell {
        table: name.clone(),
        row,
        column: MAX_COLUMNS + 1,
    }
    .spot(1, 1)
    .problem(format!(
        "this row has {columns} or more columns; a table may have at most {MAX_COLUMNS}: remove the columns beyond"
    ))
}

fn too_much_text(name: &Arc<TableName>, row: u32, column: u32) -> Diagnostic {
    LineOrigin::Cell {
        table: name.clone(),
        row,
        column,
    }
    .spot(1, 1)
    .problem(format!(
        "the sheet's cells hold more than {} MiB of text by here: split it into several tables",
        MAX_UNPACKED >> 20
    ))
}

/// The bytes a value's text takes.
fn value_len(value: &Value) -> usize {
    match value {
        Value::Text(t) | Value::Error(t) => t.len(),
        Value::List(items) => items.iter().map(String::len).sum(),
        _ => 8,
    }
}

fn too_many_rows(name: &Arc<TableName>) -> Diagnostic {
    LineOrigin::Cell {
        table: name.clone(),
        row: MAX_ROWS + 1,
        column: 1,
    }
    .spot(1, 1)
    .problem(format!(
        "the table has more than {MAX_ROWS} rows; split it into several tables"
    ))
}

/// The text of a CSV file: UTF-8 (a byte-order mark is skipped) or, when
/// it is not UTF-8, Shift_JIS as Japanese Excel writes it.
fn csv_text<'b>(display: &str, bytes: &'b [u8]) -> Result<std::borrow::Cow<'b, str>, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(std::borrow::Cow::Borrowed(text)),
        Err(utf8) => {
            // Windows-31J (CP932) is what "CSV" means in Japanese Excel;
            // the WHATWG Shift_JIS decoder reads its extensions too.
            encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or_else(|| {
                    let valid = utf8.valid_up_to();
                    let prefix = String::from_utf8_lossy(&bytes[..valid]);
                    let (line, column) = crate::error::position(&prefix, prefix.len());
                    Spot::at(display, line, column).problem(format!(
                        "byte 0x{:02X} is neither UTF-8 nor Shift_JIS (CP932): save the file as \"CSV UTF-8\"",
                        bytes[valid]
                    ))
                })
        }
    }
}

fn csv_grid(name: Arc<TableName>, bytes: &[u8]) -> Result<Grid, Diagnostic> {
    let text = csv_text(&name.file, bytes)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = vec![];
    let mut record = csv::StringRecord::new();
    // The reader's own line numbers lag a record behind, and its byte
    // offsets point before the line ends (and blank lines) that precede a
    // record: lines are counted here, up to each record's first byte,
    // with a lone CR (old Mac files) ending a line too.
    let bytes = text.as_bytes();
    let (mut line, mut counted) = (1u32, 0usize);
    let mut last_fields = 0;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) => {
                let line = err.position().map_or(1, |p| p.line() as usize);
                return Err(Spot::at(name.file.clone(), line, 1)
                    .problem(format!("cannot read this CSV row: {err}")));
            }
        }
        let mut start = record.position().map_or(counted, |p| p.byte() as usize);
        start = start.clamp(counted, bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        line += count_lines(&bytes[counted..start]);
        counted = start;
        last_fields = record.len();
        if record.len() > MAX_COLUMNS as usize {
            return Err(too_many_columns(&name, line, record.len()));
        }
        if rows.len() >= MAX_ROWS as usize {
            return Err(too_many_rows(&name));
        }
        let cells = record
            .iter()
            .enumerate()
            .filter(|(_, field)| !field.trim().is_empty())
            .map(|(i, field)| (i as u32 + 1, Value::Text(field.to_string())))
            .collect();
        rows.push((line, cells));
    }
    // A quote never closed makes the rest of the file one cell, which the
    // reader accepts at the end of the file: quotes then come in odd number.
    if bytes.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
        return Err(Spot::at(name.file.clone(), line as usize, last_fields.max(1)).problem(
            "a quote (\") opened in this row is never closed, so the rest of the file was read as one cell: close it with another \" (write \"\" for a quote inside a quoted cell)",
        ));
    }
    Ok(Grid { name, rows })
}

/// How many line ends `bytes` holds: LF, CRLF and a lone CR each end one.
fn count_lines(bytes: &[u8]) -> u32 {
    let lone_cr = |i: usize| bytes[i] == b'\r' && bytes.get(i + 1) != Some(&b'\n');
    (0..bytes.len())
        .filter(|&i| bytes[i] == b'\n' || lone_cr(i))
        .count() as u32
}

/// JSON Lines: each line one object; its keys name the columns, in the
/// order they first appear.
fn json_lines(name: Arc<TableName>, bytes: &[u8]) -> Result<Sheet, Diagnostic> {
    let text =
        std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)).map_err(|e| {
            let prefix = String::from_utf8_lossy(&bytes[..e.valid_up_to()]);
            let (line, column) = crate::error::position(&prefix, prefix.len());
            Spot::at(name.file.clone(), line, column)
                .problem("invalid UTF-8: JSON Lines files are UTF-8")
        })?;
    let mut header: Vec<Option<String>> = vec![];
    let mut columns: rustc_hash::FxHashMap<String, usize> = Default::default();
    let mut rows = vec![];
    for (i, line) in text.lines().enumerate() {
        let number = i as u32 + 1;
        if line.trim().is_empty() {
            continue;
        }
        if rows.len() >= MAX_ROWS as usize {
            return Err(too_many_rows(&name));
        }
        let object: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line)
            .map_err(|e| {
                Spot::at(name.file.clone(), number as usize, e.column().max(1)).problem(format!(
                    "not a JSON object: {e} (each line of a .jsonl file is one record, {{\"id\": …, …}})"
                ))
            })?;
        let mut cells = vec![];
        for (key, value) in object {
            let index = match columns.get(&key) {
                Some(&index) => index,
                None => {
                    if header.len() >= MAX_COLUMNS as usize {
                        return Err(too_many_columns(&name, number, header.len() + 1));
                    }
                    columns.insert(key.clone(), header.len());
                    header.push(Some(key.clone()));
                    header.len() - 1
                }
            };
            let at = line.find(&format!("\"{key}\"")).unwrap_or(0);
            let shown = line[..at].chars().count() as u32 + 1;
            let value = match value {
                serde_json::Value::Null => continue,
                serde_json::Value::String(s) => Value::Text(s),
                serde_json::Value::Bool(b) => Value::Bool(b),
                serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
                serde_json::Value::Array(items) => Value::List(
                    items
                        .into_iter()
                        .map(|v| match v {
                            serde_json::Value::String(s) => s,
                            other => other.to_string(),
                        })
                        .collect(),
                ),
                other @ serde_json::Value::Object(_) => Value::Text(other.to_string()),
            };
            cells.push(Cell {
                index,
                shown,
                value,
            });
        }
        cells.sort_by_key(|c| c.index);
        rows.push(Row { number, cells });
    }
    Ok(Sheet {
        name,
        header,
        header_row: 0,
        rows,
    })
}

/// Refuses a workbook that would unpack to more than [`MAX_UNPACKED`]:
/// each part is inflated into nothing and counted, so a zip bomb (or a
/// part whose declared size lies) costs time bounded by the limit, not
/// memory.
fn check_unpacked(display: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
    check_unpacked_within(display, bytes, MAX_UNPACKED)
}

fn check_unpacked_within(display: &str, bytes: &[u8], limit: u64) -> Result<(), Diagnostic> {
    let problem = |message: String| Spot::at(display, 1, 1).problem(message);
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        problem(format!(
            "not a spreadsheet: {e} (save it from Excel or LibreOffice as .xlsx or .ods)"
        ))
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let mut part = archive
            .by_index(i)
            .map_err(|e| problem(format!("cannot read the workbook: {e}")))?;
        let left = limit.saturating_sub(total);
        let read = std::io::copy(&mut (&mut part).take(left + 1), &mut std::io::sink())
            .map_err(|e| problem(format!("cannot read the workbook: {e}")))?;
        total += read;
        if total > limit {
            return Err(problem(format!(
                "the workbook unpacks to more than {} MiB: split it, or save it as CSV",
                limit >> 20
            )));
        }
    }
    Ok(())
}

fn workbook_grid(
    format: Format,
    display: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<Grid, Diagnostic> {
    let (chosen, rows) = match format {
        Format::Xlsx => xlsx_rows(display, bytes, sheet)?,
        _ => ods_rows(display, bytes, sheet)?,
    };
    Ok(Grid {
        name: table_name(display, &chosen),
        rows,
    })
}

/// A workbook's cells, row by row: (row, [(column, value)]), numbered from 1.
type WorkbookRows = Vec<(u32, Vec<(u32, Value)>)>;

/// A problem of the workbook `display` as a whole.
fn workbook_problem(display: &str, message: String) -> Diagnostic {
    Spot::at(display, 1, 1).problem(message)
}

/// A workbook that cannot be read, and why.
fn unreadable(display: &str, e: &dyn std::fmt::Display) -> Diagnostic {
    workbook_problem(display, format!("cannot read the workbook: {e}"))
}

/// The sheet to read of those named `names`: `sheet`, or the first.
fn pick_sheet(
    display: &str,
    names: Vec<String>,
    sheet: Option<&str>,
) -> Result<String, Diagnostic> {
    match sheet {
        None => names
            .first()
            .cloned()
            .ok_or_else(|| workbook_problem(display, "the workbook has no sheet".into())),
        Some(wanted) if names.iter().any(|n| n == wanted) => Ok(wanted.to_string()),
        Some(wanted) => Err(workbook_problem(
            display,
            format!(
                "no sheet named {wanted:?}: the workbook has {}",
                names
                    .iter()
                    .map(|n| format!("{n:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
}

/// A workbook sheet's cells as they are read, each checked against the
/// limits as it comes, before anything piles up.
struct Gathered {
    name: Arc<TableName>,
    rows: WorkbookRows,
    /// Characters the cells hold so far.
    text: usize,
}

impl Gathered {
    fn new(name: Arc<TableName>) -> Gathered {
        Gathered {
            name,
            rows: vec![],
            text: 0,
        }
    }

    /// Adds the cell at `row`, `column` (from 1), or says which limit it
    /// passes.
    fn add(&mut self, row: u32, column: u32, value: Value) -> Result<(), Diagnostic> {
        if column > MAX_COLUMNS {
            return Err(too_many_columns(&self.name, row, column as usize));
        }
        if row > MAX_ROWS {
            return Err(too_many_rows(&self.name));
        }
        // One shared string may fill thousands of cells: what the cells
        // hold is counted, not what the file stores.
        self.text += value_len(&value);
        if self.text as u64 > MAX_UNPACKED {
            return Err(too_much_text(&self.name, row, column));
        }
        match self.rows.last_mut() {
            Some((r, cells)) if *r == row => cells.push((column, value)),
            _ => self.rows.push((row, vec![(column, value)])),
        }
        Ok(())
    }
}

/// The chosen sheet of an `.xlsx` workbook and its cells, each checked
/// against the limits as it comes, before anything piles up.
fn xlsx_rows(
    display: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(String, WorkbookRows), Diagnostic> {
    use calamine::Reader;
    let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(|e| unreadable(display, &e))?;
    let chosen = pick_sheet(display, book.sheet_names(), sheet)?;
    let mut gathered = Gathered::new(table_name(display, &chosen));
    let mut cells = book
        .worksheet_cells_reader(&chosen)
        .map_err(|e| unreadable(display, &e))?;
    // Cells come row by row, left to right.
    while let Some(cell) = cells.next_cell().map_err(|e| unreadable(display, &e))? {
        let (row, column) = cell.get_position();
        let (row, column) = (row + 1, column + 1);
        let Some(value) = data_ref_value(cell.get_value()) else {
            continue;
        };
        gathered.add(row, column, value)?;
    }
    drop(cells);
    gathered.rows.sort_by_key(|(r, _)| *r);
    Ok((chosen, gathered.rows))
}

/// The chosen sheet of an `.ods` workbook and its cells, checked against
/// the limits.
fn ods_rows(
    display: &str,
    bytes: &[u8],
    sheet: Option<&str>,
) -> Result<(String, WorkbookRows), Diagnostic> {
    use calamine::Reader;
    let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(|e| unreadable(display, &e))?;
    let chosen = pick_sheet(display, book.sheet_names(), sheet)?;
    let name = table_name(display, &chosen);
    let mut gathered = Gathered::new(name.clone());
    let range = book
        .worksheet_range(&chosen)
        .map_err(|e| unreadable(display, &e))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    // calamine stops reading at the last row a sheet can have: a
    // sheet that reaches it may have had more.
    if range
        .end()
        .is_some_and(|(bottom, _)| bottom + 1 >= MAX_ROWS)
    {
        return Err(too_many_rows(&name));
    }
    for (r, c, data) in range.used_cells() {
        let (row, column) = (top + r as u32 + 1, left + c as u32 + 1);
        let Some(value) = data_value(data) else {
            continue;
        };
        gathered.add(row, column, value)?;
    }
    Ok((chosen, gathered.rows))
}

fn table_name(display: &str, sheet: &str) -> Arc<TableName> {
    Arc::new(TableName {
        file: display.to_string(),
        sheet: Some(sheet.to_string()),
    })
}

fn date_value(dt: &calamine::ExcelDateTime) -> Value {
    if dt.is_datetime() {
        let (y, m, d, ..) = dt.to_ymd_hms_milli();
        Value::Date(y, m, d)
    } else {
        Value::Number(dt.as_f64())
    }
}

fn data_ref_value(data: &calamine::DataRef<'_>) -> Option<Value> {
    use calamine::DataRef as D;
    Some(match data {
        D::Empty => return None,
        D::String(s) | D::DateTimeIso(s) | D::DurationIso(s) => text_value(s)?,
        D::SharedString(s) => text_value(s)?,
        D::Int(i) => Value::Number(*i as f64),
        D::Float(f) => Value::Number(*f),
        D::Bool(b) => Value::Bool(*b),
        D::DateTime(dt) => date_value(dt),
        D::Error(e) => Value::Error(e.to_string()),
    })
}

fn data_value(data: &calamine::Data) -> Option<Value> {
    use calamine::Data as D;
    Some(match data {
        D::Empty => return None,
        D::String(s) | D::DateTimeIso(s) | D::DurationIso(s) => text_value(s)?,
        D::Int(i) => Value::Number(*i as f64),
        D::Float(f) => Value::Number(*f),
        D::Bool(b) => Value::Bool(*b),
        D::DateTime(dt) => date_value(dt),
        D::Error(e) => Value::Error(e.to_string()),
    })
}

/// A text cell, or nothing for one holding only spaces (as a CSV field
/// of spaces is empty).
fn text_value(text: &str) -> Option<Value> {
    (!text.trim().is_empty()).then(|| Value::Text(text.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheet: &Sheet) -> Vec<(u32, Vec<(u32, String)>)> {
        sheet
            .rows
            .iter()
            .map(|r| {
                let cells = r
                    .cells
                    .iter()
                    .map(|c| (c.shown, value_text(&c.value)))
                    .collect();
                (r.number, cells)
            })
            .collect()
    }

    #[test]
    fn reads_csv_in_utf8_with_and_without_bom_and_in_shift_jis() {
        let text = "id,名称\r\nx,遺伝子治療\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        for bytes in [
            text.as_bytes().to_vec(),
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat(),
            sjis.into_owned(),
        ] {
            let sheet = read(Format::Csv, "t.csv", &bytes, &Layout::default()).unwrap();
            assert_eq!(sheet.header, [Some("id".into()), Some("名称".into())]);
            assert_eq!(
                texts(&sheet),
                [(2, vec![(1, "x".into()), (2, "遺伝子治療".into())])]
            );
        }
    }

    #[test]
    fn csv_rows_are_placed_at_their_lines_whatever_the_line_ends() {
        for end in ["\n", "\r\n", "\r"] {
            let text = ["id", "", "a", "", "", "\"b", "b\"", "c"].join(end) + end;
            let sheet = read(Format::Csv, "t.csv", text.as_bytes(), &Layout::default()).unwrap();
            let lines: Vec<u32> = sheet.rows.iter().map(|r| r.number).collect();
            assert_eq!(lines, [3, 6, 8], "{end:?}");
        }
    }

    #[test]
    fn a_quote_never_closed_is_a_problem_not_a_swallowed_file() {
        let text = "id,note\nx,\"open\ny,z\n";
        let err = read(Format::Csv, "t.csv", text.as_bytes(), &Layout::default()).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("t.csv:2:2: a quote (\") opened in this row is never closed"),
            "{err}"
        );
    }

    #[test]
    fn a_csv_row_of_a_million_columns_is_one_problem() {
        let bytes = format!("id\n{}\n", ",".repeat(1_000_000));
        let err = read(Format::Csv, "t.csv", bytes.as_bytes(), &Layout::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:2:1001: this row has 1000001 or more columns; a table may have at most 1000: remove the columns beyond"
        );
    }

    #[test]
    fn bytes_that_are_neither_utf8_nor_shift_jis_are_located() {
        let err = read(
            Format::Csv,
            "t.csv",
            b"id\nab\xFF\xFF\n",
            &Layout::default(),
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv:2:3: byte 0xFF is neither UTF-8 nor Shift_JIS (CP932): save the file as \"CSV UTF-8\""
        );
    }

    #[test]
    fn json_lines_name_columns_by_key_and_place_cells_at_their_key() {
        let bytes = "{\"id\": \"x\", \"modality\": [\"a\", \"b\"]}\n\n{\"id\": \"y\"}\n";
        let sheet = read(
            Format::JsonLines,
            "t.jsonl",
            bytes.as_bytes(),
            &Layout::default(),
        )
        .unwrap();
        assert_eq!(sheet.header, [Some("id".into()), Some("modality".into())]);
        assert_eq!(
            texts(&sheet),
            [
                (1, vec![(2, "x".into()), (13, "a;b".into())]),
                (3, vec![(2, "y".into())])
            ]
        );
    }

    #[test]
    fn a_zip_bomb_is_refused_by_what_it_unpacks_to() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(vec![]));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..9 {
            zip.write_all(&zeros).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert!(bytes.len() < 64 << 10, "{}", bytes.len());
        let err = check_unpacked_within("t.xlsx", &bytes, 8 << 20).unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.xlsx:1:1: the workbook unpacks to more than 8 MiB: split it, or save it as CSV"
        );
    }
}
