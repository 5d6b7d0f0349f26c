//! The tables of a collection folder, read and joined with the Markdown
//! files that hold their rows' bodies: which entries are tables and
//! mappings, and how a row and its body files become a raw record.

use std::collections::{BTreeSet, HashMap};

use amed_model::Collection;

use super::{Framing, RawContent, RawRecord, SourceFile, parse_toml, read_text, split_document};
use crate::error::Diagnostics;
use crate::folder::{Entry, Folder, Kind, MAX_CONTENT_FILE};
use crate::table::{self, Format, MAX_TABLE_FILE, TableRecord, cell::Vocabularies};

/// The tables of one collection folder, by file stem.
#[derive(Debug, Default)]
pub(super) struct Tables {
    stems: BTreeSet<String>,
}

/// What an entry of a collection folder is.
pub(super) enum Role {
    /// A table.
    Table,
    /// A table's mapping (`<table stem>.toml`).
    Mapping,
    /// Anything else: a Markdown file, or a problem to report.
    File,
}

fn stem(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

impl Tables {
    /// The tables among `entries`.
    pub(super) fn of(entries: &[Entry]) -> Tables {
        let stems = entries
            .iter()
            .filter(|e| e.kind == Kind::File && Format::of(&e.name).is_some())
            .map(|e| stem(&e.name).to_string())
            .collect();
        Tables { stems }
    }

    /// Whether the folder has no table.
    pub(super) fn is_empty(&self) -> bool {
        self.stems.is_empty()
    }

    /// What `entry` is.
    pub(super) fn role(&self, entry: &Entry) -> Role {
        let name = entry.name.as_str();
        if entry.kind != Kind::File {
            Role::File
        } else if Format::of(name).is_some() {
            Role::Table
        } else if name.ends_with(".toml") && self.stems.contains(stem(name)) {
            Role::Mapping
        } else {
            Role::File
        }
    }
}

/// Whether a Markdown file's text starts with front matter (`+++`).
pub(super) fn has_front_matter(text: &str) -> bool {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    text.lines().next().is_some_and(|l| l.trim_end() == "+++")
}

/// Reads the table `entry` with its mapping, if any.
pub(super) fn read_table(
    folder: &Folder,
    collection: Collection,
    entry: &Entry,
    vocabularies: &Vocabularies,
    d: &mut Diagnostics,
) -> Option<Vec<TableRecord>> {
    let display = crate::folder::display(&entry.path);
    let bytes = match folder.read_entry(entry, MAX_TABLE_FILE) {
        Ok(bytes) => bytes,
        Err(problem) => {
            d.push(problem);
            return None;
        }
    };
    let mapping_path = entry.path.with_file_name(table::mapping_name(&entry.name));
    let mapping = match folder.inspect(&mapping_path) {
        Err(_) => None,
        Ok(_) => {
            let read = folder.read(&mapping_path, MAX_CONTENT_FILE);
            let file = read_text(read, crate::folder::display(&mapping_path), d)?;
            let map = parse_toml::<table::mapping::Mapping>(&file, &file.text, 0, d)?;
            Some((file, map))
        }
    };
    table::records(
        collection,
        &display,
        &bytes,
        mapping.as_ref().map(|(f, m)| (f, m)),
        vocabularies,
        d,
    )
}

/// Markdown files without front matter: bodies of table rows, by id and
/// language.
#[derive(Default)]
pub(super) struct Bodies {
    files: HashMap<(String, bool), SourceFile>,
}

impl Bodies {
    /// Adds the body file `name`.
    pub(super) fn add(&mut self, name: &str, file: SourceFile, english: bool) {
        let id = name
            .strip_suffix(".en.md")
            .or_else(|| name.strip_suffix(".md"))
            .unwrap_or(name);
        self.files.insert((id.to_string(), english), file);
    }
}

/// Turns the rows of a collection's tables into raw records, each with
/// its body files; reports body files no row claims and bodies given twice.
///
/// `complete` says whether every table of the folder could be read: if
/// not, a body file without its row may belong to an unread one, and is
/// not reported.
pub(super) fn join(
    collection: Collection,
    rows: Vec<TableRecord>,
    mut bodies: Bodies,
    complete: bool,
    content: &mut RawContent,
    d: &mut Diagnostics,
) {
    use rayon::prelude::*;
    let translated: std::collections::HashMap<String, &SourceFile> = content
        .translations
        .iter()
        .filter(|(c, _)| *c == collection)
        .map(|(_, doc)| (doc.stem.clone(), &doc.file))
        .collect();
    for row in rows.iter().filter(|r| r.english.is_some()) {
        if let Some(file) = translated.get(&row.id) {
            file.report(
                d,
                0,
                format!(
                    "the English text of {:?} is given twice: in this file and in its row of {} (keep one)",
                    row.id, row.japanese.display
                ),
            );
        }
    }
    let mut jobs = Vec::with_capacity(rows.len());
    for row in rows {
        let ja = bodies.files.remove(&(row.id.clone(), false));
        let en = bodies.files.remove(&(row.id.clone(), true));
        for (body, text) in [(&ja, Some(&row.japanese)), (&en, row.english.as_ref())] {
            let Some(body) = body else { continue };
            let problem = match text {
                Some(text) if text.body.is_some() => Some(format!(
                    "the body of {:?} is given twice: in this file and in its row of {} (leave one empty)",
                    row.id, text.display
                )),
                None => Some(format!(
                    "an English body needs an English title: fill in title_en in the row of {:?} in {}",
                    row.id, row.japanese.display
                )),
                Some(_) => None,
            };
            if let Some(problem) = problem {
                body.report(d, 0, problem);
            }
        }
        content.japanese_files.insert((collection, row.id.clone()));
        jobs.push((row, ja, en));
    }
    let parsed: Vec<(
        Diagnostics,
        Option<RawRecord>,
        Option<super::RawDocument<super::RawTranslation>>,
    )> = jobs
        .into_par_iter()
        .map(|(row, ja, en)| {
            let mut d = Diagnostics::default();
            let (file, body_offset) = row.japanese.into_file(ja.as_ref());
            let framing = Framing::Table { body_offset };
            let record = RawRecord::parse_framed(collection, file, &row.id, framing, &mut d);
            let translation = row.english.and_then(|english| {
                let (file, body_offset) = english.into_file(en.as_ref());
                let framing = Framing::Table { body_offset };
                split_document(file, &row.id, framing, &mut d)
            });
            (d, record, translation)
        })
        .collect();
    for (problems, record, translation) in parsed {
        d.extend(problems);
        content.records.extend(record);
        content
            .translations
            .extend(translation.map(|t| (collection, t)));
    }
    if !complete {
        return;
    }
    let mut left: Vec<_> = bodies.files.into_iter().collect();
    left.sort_by(|a, b| a.1.display.cmp(&b.1.display));
    for ((id, _), file) in left {
        file.report(
            d,
            0,
            format!(
                "missing front matter, and no table row of {} has the id {id:?}: a Markdown file starts with a line `+++` and its fields, unless it is the body of a table row with its id",
                collection.dir()
            ),
        );
    }
}
