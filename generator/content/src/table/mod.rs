//! Tables as a collection's source: a spreadsheet or table in a collection
//! folder (`approvals/approvals.xlsx`, `seeds/seeds.csv`) gives one record
//! per row, beside or instead of Markdown files.
//!
//! Each row becomes the text a Markdown file would hold: its fields as
//! TOML, one line per cell, then its body. That text goes through the same
//! parsing and checks as a file, so a table obeys every rule a file does,
//! and each line remembers its cell ([`LineOrigin`]), so every problem is
//! shown at the cell (`approvals.xlsx: sheet 承認一覧, cell D12`) or at
//! `seeds.csv:12:4`. Columns are named as the portal's own CSV names them
//! (so a published CSV reads back as it is), or as a mapping file beside
//! the table says ([`mapping`]).

pub mod cell;
pub mod mapping;
pub mod sheet;

use std::sync::Arc;

use amed_model::Collection;

use crate::error::{Diagnostic, Diagnostics, LineOrigin};
use crate::load::SourceFile;
use cell::{Typed, Vocabularies};
use mapping::{Field, FieldKind, Mapping};
use sheet::{Cell, Row, Sheet};

pub use sheet::{Format, MAX_TABLE_FILE};

/// Rows made into records at once (in parallel).
const ROWS_AT_ONCE: usize = 4096;
/// After this many problems in a table, the rows after are not checked.
const MAX_TABLE_PROBLEMS: usize = 1000;

/// The text of one language of a row: what a Markdown file would hold.
#[derive(Debug)]
pub struct RowText {
    /// The table, as shown to users.
    pub display: String,
    /// The fields, as TOML.
    pub front: String,
    /// Where each line of `front` came from.
    origins: Vec<LineOrigin>,
    /// The body and its cell, if the row has one.
    pub body: Option<(String, LineOrigin)>,
}

impl RowText {
    /// The text as a file (fields, then the body: the row's cell, or
    /// `file`'s text for a body kept in a Markdown file), and where its
    /// body starts.
    pub fn into_file(self, file: Option<&SourceFile>) -> (SourceFile, usize) {
        let mut origins = self.origins;
        let mut text = self.front;
        let body_offset = text.len();
        let first = origins.len() + 1;
        match (file, self.body) {
            (Some(file), _) => {
                text.push_str(&file.text);
                origins.push(LineOrigin::File {
                    file: Arc::from(file.display.as_str()),
                    first,
                    first_in_file: 1,
                });
            }
            (None, Some((body, origin))) => {
                text.push_str(&body);
                origins.push(origin);
            }
            (None, None) => {}
        }
        (
            SourceFile::from_table(self.display, text, origins),
            body_offset,
        )
    }
}

/// One row of a table, as the texts of its record.
#[derive(Debug)]
pub struct TableRecord {
    /// The record's id.
    pub id: String,
    /// Where the id is.
    pub id_origin: LineOrigin,
    /// The Japanese record.
    pub japanese: RowText,
    /// The English translation, if the row has an English title.
    pub english: Option<RowText>,
}

/// Where each field of a collection is in a table.
struct Columns {
    /// `(field, column index)` of each field the table has.
    fields: Vec<(&'static Field, usize)>,
    /// Each `[[sources]]` of the mapping: `(part, column index)`.
    sources: Vec<Vec<(&'static str, usize)>>,
}

/// Reads the table `bytes` (the file `display`, with its mapping if it has
/// one) as records of `collection`. Problems go to `d`; rows with problems
/// give no record.
pub fn records(
    collection: Collection,
    display: &str,
    bytes: &[u8],
    mapping: Option<(&SourceFile, &Mapping)>,
    vocabularies: &Vocabularies,
    d: &mut Diagnostics,
) -> Option<Vec<TableRecord>> {
    let format = Format::of(display)?;
    let empty = Mapping::default();
    let (mapping_file, map) = match mapping {
        Some((file, map)) => (Some(file), map),
        None => (None, &empty),
    };
    if let Some(file) = mapping_file
        && !layout_is_usable(file, map, format, d)
    {
        return None;
    }
    let layout = sheet::Layout {
        sheet: map.sheet.as_ref().map(|s| s.get_ref().clone()),
        header_row: map.header_row.as_ref().map(|h| *h.get_ref()),
    };
    let table = match sheet::read(format, display, bytes, &layout) {
        Ok(table) => table,
        Err(problem) => {
            d.push(problem);
            return None;
        }
    };
    let columns = find_columns(collection, &table, mapping_file, map, d)?;
    let separator = map.separator();
    // Rows are independent: made into records in parallel, gathered back
    // in row order so that problems and ids stay stable. A table with
    // problems in thousands of rows is not checked to its end: the first
    // ones are enough to see what is wrong, and the rest would fill memory.
    use rayon::prelude::*;
    let mut records = Vec::with_capacity(table.rows.len());
    let mut found = 0;
    for (done, chunk) in table.rows.chunks(ROWS_AT_ONCE).enumerate() {
        if found >= MAX_TABLE_PROBLEMS {
            let from = chunk[0].number;
            d.push(table.spot(from, 1).problem(format!(
                "{found} problems found before this row; the {} rows from here on were not checked: correct the problems above and check again",
                table.rows.len() - done * ROWS_AT_ONCE
            )));
            return Some(records);
        }
        let made: Vec<(Diagnostics, Option<TableRecord>)> = chunk
            .par_iter()
            .map(|row| {
                let mut problems = Diagnostics::default();
                let made = record(
                    &table,
                    row,
                    &columns,
                    separator,
                    vocabularies,
                    &mut problems,
                );
                (problems, made)
            })
            .collect();
        for (problems, made) in made {
            found += problems.len();
            d.extend(problems);
            records.extend(made);
        }
    }
    Some(records)
}

/// Whether the mapping `map` (in `file`) says how to read a table of
/// `format`; its problems go to `d` (a sheet named for a table without
/// sheets is reported but harmless).
fn layout_is_usable(file: &SourceFile, map: &Mapping, format: Format, d: &mut Diagnostics) -> bool {
    if let Some(sheet) = &map.sheet
        && !format.is_workbook()
    {
        file.report(
            d,
            sheet.span().start,
            "sheet is for .xlsx and .ods workbooks; this table has no sheets: leave it out",
        );
    }
    if let Some(separator) = &map.separator
        && separator.get_ref().trim().is_empty()
    {
        file.report(
            d,
            separator.span().start,
            "separator is empty: write what separates several values in one cell, such as \";\" or \"、\"",
        );
        return false;
    }
    if let Some(row) = &map.header_row
        && *row.get_ref() == 0
    {
        file.report(
            d,
            row.span().start,
            "header_row counts from 1: the first row is 1",
        );
        return false;
    }
    true
}

/// Where each field is: named by the mapping, or as the portal's CSV
/// names it. `None` when a required field has no column.
fn find_columns(
    collection: Collection,
    table: &Sheet,
    mapping_file: Option<&SourceFile>,
    map: &Mapping,
    d: &mut Diagnostics,
) -> Option<Columns> {
    let header_names = || header_names(table);
    let index_of = |name: &str| column_index(table, name);
    let mut ok = true;
    let mut in_mapping: Vec<(usize, String)> = vec![];
    let mut report_mapping = |at: usize, message: String| in_mapping.push((at, message));
    let fields: Vec<&'static Field> = mapping::fields(collection).collect();
    for (name, _) in &map.columns {
        if !fields.iter().any(|f| f.name == name.get_ref()) {
            let known: Vec<&str> = fields.iter().map(|f| f.name).collect();
            report_mapping(
                name.span().start,
                format!(
                    "{:?} is not a field of {}: expected one of {}",
                    name.get_ref(),
                    collection.dir(),
                    known.join(", ")
                ),
            );
        }
    }
    let mut found = vec![];
    let mut missing = vec![];
    let mut d_header: Vec<String> = vec![];
    for field in fields {
        let renamed = map.columns.iter().find(|(k, _)| k.get_ref() == field.name);
        let heading = renamed.map_or(field.column, |(_, v)| v.get_ref().as_str());
        match (renamed, index_of(heading)) {
            (_, Some(index)) => {
                let twice = table
                    .header
                    .iter()
                    .filter(|h| h.as_deref() == Some(heading));
                if twice.count() > 1 {
                    d_header.push(format!(
                        "two columns are headed {heading:?}: rename one, so that {} is read from one column",
                        field.name
                    ));
                }
                found.push((field, index));
            }
            (Some((_, column)), None) => {
                report_mapping(
                    column.span().start,
                    format!(
                        "no column named {:?} in row {} of {}; its columns are {}",
                        column.get_ref(),
                        table.header_row.max(1),
                        table.name.file,
                        header_names()
                    ),
                );
                // Rows are still read, so that their problems show too;
                // without a required field none can become a record.
                ok &= !field.required;
            }
            (None, None) if field.required => missing.push(field),
            (None, None) => {}
        }
    }
    let sources = source_columns(table, map, &mut report_mapping);
    if let Some(file) = mapping_file {
        for (at, message) in in_mapping {
            file.report(d, at, message);
        }
    }
    ok &= header_is_usable(table, d_header, &missing, d);
    ok.then_some(Columns {
        fields: found,
        sources,
    })
}

/// Reports, at `table`'s header row, `twice` (columns headed alike) and
/// the required fields `missing` a column; whether there were none.
fn header_is_usable(
    table: &Sheet,
    twice: Vec<String>,
    missing: &[&Field],
    d: &mut Diagnostics,
) -> bool {
    let at = table.spot(table.header_row.max(1), 1);
    let usable = twice.is_empty() && missing.is_empty();
    for message in twice {
        d.push(at.problem(message));
    }
    if !missing.is_empty() {
        let names: Vec<String> = missing
            .iter()
            .map(|f| format!("{} (column {:?})", f.name, f.column))
            .collect();
        d.push(at.problem(format!(
            "the header row names no column for {}: name the columns so, or map yours in {} ([columns] {} = \"your column\"); its columns are {}",
            names.join(", "),
            mapping_name(&table.name.file),
            missing[0].name,
            header_names(table)
        )));
    }
    usable
}

/// The headings of `table`'s columns, quoted, for messages.
fn header_names(table: &Sheet) -> String {
    table
        .header
        .iter()
        .flatten()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The column of `table` headed `name`.
fn column_index(table: &Sheet, name: &str) -> Option<usize> {
    table.header.iter().position(|h| h.as_deref() == Some(name))
}

/// The columns of each source the mapping names (`[[sources]]`), each as
/// (part, column); problems of the mapping go to `report_mapping`.
fn source_columns(
    table: &Sheet,
    map: &Mapping,
    report_mapping: &mut impl FnMut(usize, String),
) -> Vec<Vec<(&'static str, usize)>> {
    let mut sources = vec![];
    for group in &map.sources {
        let mut parts = vec![];
        for (part, column) in group {
            let Some(&known) = mapping::SOURCE_PARTS.iter().find(|p| **p == part.get_ref()) else {
                report_mapping(
                    part.span().start,
                    format!(
                        "{:?} is not a part of a source: expected one of {}",
                        part.get_ref(),
                        mapping::SOURCE_PARTS.join(", ")
                    ),
                );
                continue;
            };
            match column_index(table, column.get_ref()) {
                Some(index) => parts.push((known, index)),
                None => {
                    report_mapping(
                        column.span().start,
                        format!(
                            "no column named {:?} in the header of {}; its columns are {}",
                            column.get_ref(),
                            table.name.file,
                            header_names(table)
                        ),
                    );
                }
            }
        }
        if !parts.iter().any(|(part, _)| *part == "title")
            && let Some((first, _)) = group.first()
        {
            report_mapping(
                first.span().start,
                "a source needs its title: add title = \"column heading\" to this [[sources]]"
                    .into(),
            );
        }
        sources.push(parts);
    }
    sources
}

/// The mapping file of the table `display`: `approvals.xlsx` → `approvals.toml`.
pub fn mapping_name(display: &str) -> String {
    let name = display.rsplit('/').next().unwrap_or(display);
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    format!("{stem}.toml")
}

/// The TOML of one value.
fn toml_value(typed: &Typed) -> String {
    let quoted = |s: &str| toml::Value::String(s.to_string()).to_string();
    match typed {
        Typed::Str(s) => quoted(s),
        Typed::Strs(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|s| quoted(s))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Typed::Bool(b) => b.to_string(),
        Typed::Int(n) => n.to_string(),
        Typed::Milestones(_) | Typed::Sources(_) => String::new(),
    }
}

/// The text of a row's fields, line by line, each with its cell.
#[derive(Default)]
struct Lines {
    /// `key = value` lines.
    keys: String,
    key_origins: Vec<LineOrigin>,
    /// `[[table]]` blocks, which TOML wants after every key.
    tables: String,
    table_origins: Vec<LineOrigin>,
}

impl Lines {
    /// Writes `line` (which may span several lines: a value with line
    /// breaks is a multi-line TOML string) with `origin` for each line.
    fn write(text: &mut String, origins: &mut Vec<LineOrigin>, line: &str, origin: &LineOrigin) {
        text.push_str(line);
        let lines = line.matches('\n').count();
        origins.extend(std::iter::repeat_n(origin, lines).cloned());
    }

    fn key(&mut self, name: &str, value: &str, origin: &LineOrigin) {
        let line = format!("{name} = {value}\n");
        Lines::write(&mut self.keys, &mut self.key_origins, &line, origin);
    }

    /// A `[[name]]` table of `fields`, each with the cell it came from.
    fn table(&mut self, name: &str, fields: &[(&str, String, LineOrigin)]) {
        let Some((_, _, first)) = fields.first() else {
            return;
        };
        let header = format!("[[{name}]]\n");
        Lines::write(&mut self.tables, &mut self.table_origins, &header, first);
        for (field, value, origin) in fields {
            let line = format!("{field} = {}\n", toml_value(&Typed::Str(value.clone())));
            Lines::write(&mut self.tables, &mut self.table_origins, &line, origin);
        }
    }

    fn into_text(mut self, display: &str, body: Option<(String, LineOrigin)>) -> RowText {
        self.keys.push_str(&self.tables);
        self.key_origins.extend(self.table_origins);
        RowText {
            display: display.to_string(),
            front: self.keys,
            origins: self.key_origins,
            body,
        }
    }
}

fn origin(table: &Sheet, row: &Row, cell: &Cell) -> LineOrigin {
    LineOrigin::Cell {
        table: table.name.clone(),
        row: row.number,
        column: cell.shown,
    }
}

/// The record of one row, or `None` (its problems reported) if it has any.
fn record(
    table: &Sheet,
    row: &Row,
    columns: &Columns,
    separator: &str,
    vocabularies: &Vocabularies,
    d: &mut Diagnostics,
) -> Option<TableRecord> {
    let mut problems = Diagnostics::default();
    for cell in &row.cells {
        forbidden_characters(&origin(table, row, cell), &cell.value, &mut problems);
    }
    let cells = RowCells {
        table,
        row,
        separator,
        vocabularies,
    };
    let mut text = RowFields::default();
    for &(field, index) in &columns.fields {
        let at = cells.origin_of(index);
        if let Some(typed) = cells.typed(field, index, &at, &mut text, &mut problems) {
            text.put(field.name, typed, at, &mut problems);
        }
    }
    text.has_sources |= cells.source_groups(&columns.sources, &mut text.ja, &mut problems);
    if !text.has_sources {
        let row_origin = LineOrigin::Cell {
            table: table.name.clone(),
            row: row.number,
            column: 1,
        };
        text.ja.key("sources", "[]", &row_origin);
    }
    let Some((id, id_origin)) = text.id else {
        // Reported above as an empty required cell.
        d.extend(problems);
        return None;
    };
    if text.en.keys.is_empty()
        && let Some((_, at)) = &text.body_en
    {
        problems.push(
            at.spot(1, 1)
                .problem("an English body needs an English title in the same row (title_en)"),
        );
    }
    d.extend(problems);
    if text.bad_id {
        return None;
    }
    let en = text.en;
    let english = (!en.keys.is_empty()).then(|| en.into_text(&table.name.file, text.body_en));
    Some(TableRecord {
        id,
        id_origin,
        japanese: text.ja.into_text(&table.name.file, text.body),
        english,
    })
}

/// What a row says, as the text of its Markdown files: the Japanese and
/// English front matter, the bodies, the id, and what the checks need.
#[derive(Default)]
struct RowFields {
    ja: Lines,
    en: Lines,
    body: Option<(String, LineOrigin)>,
    body_en: Option<(String, LineOrigin)>,
    id: Option<(String, LineOrigin)>,
    has_sources: bool,
    bad_id: bool,
}

impl RowFields {
    /// Puts field `name`'s value `typed`, read at `at`, where it goes.
    fn put(&mut self, name: &str, typed: Typed, at: LineOrigin, problems: &mut Diagnostics) {
        match (name, &typed) {
            ("id", Typed::Str(value)) => {
                if let Err(bad) = crate::routes::check_id(value) {
                    problems.push(at.spot(1, 1).problem(format!("bad id {value:?}: {bad}")));
                    self.bad_id = true;
                }
                self.id = Some((value.clone(), at.clone()));
                self.ja.key("id", &toml_value(&typed), &at);
            }
            ("title_en", _) => self.en.key("title", &toml_value(&typed), &at),
            ("summary_en", _) => self.en.key("summary", &toml_value(&typed), &at),
            ("body", Typed::Str(text)) => self.body = Some((text.clone(), at)),
            ("body_en", Typed::Str(text)) => self.body_en = Some((text.clone(), at)),
            (_, Typed::Milestones(items)) => {
                for (date, kind) in items {
                    let fields = [
                        ("date", date.clone(), at.clone()),
                        ("kind", kind.clone(), at.clone()),
                    ];
                    self.ja.table("milestones", &fields);
                }
            }
            (_, Typed::Sources(sources)) => {
                for parts in sources {
                    self.has_sources = true;
                    let fields: Vec<(&str, String, LineOrigin)> = parts
                        .iter()
                        .map(|(part, value)| (*part, value.clone(), at.clone()))
                        .collect();
                    self.ja.table("sources", &fields);
                }
            }
            (name, _) => self.ja.key(name, &toml_value(&typed), &at),
        }
    }
}

/// The cells of one row of a table, with how they are read.
struct RowCells<'a> {
    table: &'a Sheet,
    row: &'a Row,
    separator: &'a str,
    vocabularies: &'a Vocabularies,
}

impl RowCells<'_> {
    /// Where column `index` of the row is, whether it has a cell or not.
    fn origin_of(&self, index: usize) -> LineOrigin {
        match self.row.cells.iter().find(|c| c.index == index) {
            Some(cell) => origin(self.table, self.row, cell),
            None => LineOrigin::Cell {
                table: self.table.name.clone(),
                row: self.row.number,
                column: index as u32 + 1,
            },
        }
    }

    /// The value of `field` in column `index` (at `at`), or `None` when
    /// there is none to put. A cell that cannot be read is reported, and a
    /// stand-in of its field's type lets the row be checked for its other
    /// problems (the build fails on the first anyway).
    fn typed(
        &self,
        field: &Field,
        index: usize,
        at: &LineOrigin,
        text: &mut RowFields,
        problems: &mut Diagnostics,
    ) -> Option<Typed> {
        let cell = self.row.cells.iter().find(|c| c.index == index);
        let read =
            cell.map(|c| cell::read(field.kind, &c.value, self.separator, self.vocabularies));
        match read {
            Some(Err(message)) => {
                problems.push(at.spot(1, 1).problem(message));
                if field.kind == FieldKind::Sources {
                    text.has_sources = true;
                    let fields = [
                        ("title", "-".to_string(), at.clone()),
                        ("date", "2000".to_string(), at.clone()),
                    ];
                    text.ja.table("sources", &fields);
                }
                stand_in(field.kind, self.vocabularies).filter(|_| field.required)
            }
            Some(Ok(Some(typed))) => Some(typed),
            _ if field.required => {
                let header = self.table.header[index].as_deref().unwrap_or_default();
                problems.push(at.spot(1, 1).problem(format!(
                    "empty cell: every record needs its {} (column {header:?})",
                    field.name
                )));
                stand_in(field.kind, self.vocabularies).filter(|_| field.name != "id")
            }
            _ => None,
        }
    }

    /// Adds the sources of the row's source column groups (title, date,
    /// publisher… of one source each) to `ja`; whether it has any.
    fn source_groups(
        &self,
        groups: &[Vec<(&'static str, usize)>],
        ja: &mut Lines,
        problems: &mut Diagnostics,
    ) -> bool {
        let (table, row, separator, vocabularies) =
            (self.table, self.row, self.separator, self.vocabularies);
        let cell_at = |index: usize| row.cells.iter().find(|c| c.index == index);
        let mut has_sources = false;
        for group in groups {
            let mut fields: Vec<(&str, String, LineOrigin)> = vec![];
            for &(part, index) in group {
                let Some(cell) = cell_at(index) else { continue };
                let at = origin(table, row, cell);
                let kind = if part == "date" {
                    FieldKind::Date
                } else {
                    FieldKind::Text
                };
                match cell::read(kind, &cell.value, separator, vocabularies) {
                    Ok(Some(Typed::Str(text))) => fields.push((part, text, at)),
                    Ok(_) => {}
                    Err(message) => problems.push(at.spot(1, 1).problem(message)),
                }
            }
            if fields.is_empty() {
                continue;
            }
            if !fields.iter().any(|(part, ..)| *part == "title") {
                let (_, _, at) = &fields[0];
                problems.push(at.spot(1, 1).problem(
                    "this source has no title: fill in the title column of this source, or empty its other cells",
                ));
                continue;
            }
            has_sources = true;
            // The title first: the source's own problems are placed at it.
            fields.sort_by_key(|(part, ..)| *part != "title");
            ja.table("sources", &fields);
        }
        has_sources
    }
}

/// A value of `kind` that passes parsing, for a required cell that could
/// not be read: its row is then checked for its other problems.
/// It passes every check, so nothing else is said of that cell.
fn stand_in(kind: FieldKind, vocabularies: &Vocabularies) -> Option<Typed> {
    Some(match kind {
        FieldKind::Bool => Typed::Bool(false),
        FieldKind::Integer => Typed::Int(1),
        FieldKind::Date => Typed::Str("2000".into()),
        FieldKind::Text | FieldKind::Body => Typed::Str("-".into()),
        FieldKind::Term(v) => Typed::Str(vocabularies.any_key(v)?),
        FieldKind::Terms(v) => Typed::Strs(vec![vocabularies.any_key(v)?]),
        FieldKind::Ids => Typed::Strs(vec![]),
        FieldKind::Id | FieldKind::Milestones | FieldKind::Sources => return None,
    })
}

/// Reports characters content may not hold in a cell, at the cell.
fn forbidden_characters(at: &LineOrigin, value: &sheet::Value, d: &mut Diagnostics) {
    let texts: Vec<&str> = match value {
        sheet::Value::Text(t) => vec![t],
        sheet::Value::List(items) => items.iter().map(String::as_str).collect(),
        _ => vec![],
    };
    let found = texts
        .iter()
        .flat_map(|t| t.chars())
        .find_map(|c| crate::load::forbidden_character(c).map(|why| (c, why)));
    if let Some((c, why)) = found {
        d.push(
            at.spot(1, 1)
                .problem(format!("U+{:04X} is a {why}; remove it", c as u32)),
        );
    }
}

/// A problem of the whole table.
pub fn table_problem(display: &str, message: impl Into<String>) -> Diagnostic {
    crate::error::Spot::at(display, 1, 1).problem(message)
}
