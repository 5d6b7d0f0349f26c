//! Stage 1, load: read `content/` into raw, unchecked front matter.
//!
//! Owns file discovery, UTF-8 decoding, splitting `+++` front matter from the
//! Markdown body, and TOML parsing into raw structs that reject unknown
//! fields. Nothing here knows about taxonomies or cross-references; that is
//! the validate stage's job. Every problem becomes a [`Diagnostic`] and
//! loading goes on, so one run reports every bad file.

use std::fs;
use std::path::Path;

use amed_model::Collection;
use indexmap::IndexMap;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use toml::Spanned;

use crate::error::{BuildError, Diagnostics, LineIndex, LineOrigin, Spot};
use crate::folder::{Entry, Folder, Kind, MAX_CONTENT_FILE, is_editor_leftover};

mod tables;

/// A text file of the content folder.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The path as shown to users (`content/approvals/x.md`).
    pub display: String,
    /// The full text.
    pub text: String,
    /// Line starts, built on the first problem reported: locating many
    /// problems in one file stays linear.
    lines: std::sync::OnceLock<LineIndex>,
    /// For a text put together from a table row, where each line came
    /// from; empty for a file read as it is.
    origins: Vec<LineOrigin>,
}

impl SourceFile {
    /// A file named `display` holding `text`.
    pub fn new(display: impl Into<String>, text: impl Into<String>) -> SourceFile {
        SourceFile {
            display: display.into(),
            text: text.into(),
            lines: std::sync::OnceLock::new(),
            origins: vec![],
        }
    }

    /// A text put together from a table row, line `n` (1-based) of which
    /// came from `origins[n - 1]` (or the last origin, past the end).
    pub fn from_table(
        display: impl Into<String>,
        text: impl Into<String>,
        origins: Vec<LineOrigin>,
    ) -> SourceFile {
        SourceFile {
            origins,
            ..SourceFile::new(display, text)
        }
    }

    /// Whether this text was put together from a table row.
    pub fn is_from_table(&self) -> bool {
        !self.origins.is_empty()
    }

    /// The 1-based line and column of byte `offset`.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        self.lines
            .get_or_init(|| LineIndex::new(&self.text))
            .position(&self.text, offset)
    }

    /// Where byte `offset` of this file is, for a problem found later.
    pub fn spot(&self, offset: usize) -> Spot {
        let (line, column) = self.position(offset);
        match self.origins.get(line - 1).or(self.origins.last()) {
            Some(origin) => origin.spot(line, column),
            None => Spot::at(self.display.clone(), line, column),
        }
    }

    /// Records a problem at byte `offset` of this file.
    pub fn report(&self, diagnostics: &mut Diagnostics, offset: usize, message: impl Into<String>) {
        diagnostics.push(self.spot(offset).problem(message));
    }
}

/// A Markdown file split into front matter and body.
#[derive(Debug)]
pub struct RawDocument<F> {
    /// The file.
    pub file: SourceFile,
    /// File name without `.md` / `.en.md`.
    pub stem: String,
    /// Byte offset of the front matter within the file.
    pub front_offset: usize,
    /// The parsed front matter.
    pub front: F,
    /// Byte offset of the body within the file.
    pub body_offset: usize,
}

impl<F> RawDocument<F> {
    /// The Markdown body: the file from `body_offset` on.
    pub fn body(&self) -> &str {
        &self.file.text[self.body_offset..]
    }

    /// Records a problem at `span` of the front matter.
    pub fn report_span(
        &self,
        d: &mut Diagnostics,
        span: std::ops::Range<usize>,
        message: impl Into<String>,
    ) {
        self.file.report(d, self.front_offset + span.start, message);
    }
}

/// Bilingual text as written in TOML: `{ ja = "…", en = "…" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawText {
    /// Japanese.
    pub ja: String,
    /// English.
    pub en: String,
}

/// `content/site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    /// Absolute URL the site is deployed at.
    pub base_url: Spanned<String>,
    /// Must be `ja`.
    pub default_language: Spanned<String>,
    /// Must be `["ja", "en"]`.
    pub languages: Spanned<Vec<String>>,
    /// Site name.
    pub title: RawText,
    /// Site description.
    pub description: RawText,
    /// The licence of pages and data; PDL 1.0 when absent.
    pub license: Option<RawLicense>,
}

/// `[license]` of `content/site.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawLicense {
    /// Short identifier, e.g. `PDL-1.0` or `CC-BY-4.0`.
    pub id: String,
    /// Its name in each language.
    pub name: RawText,
    /// Where its text is published.
    pub url: Spanned<String>,
}

/// One entry of `content/taxonomies.toml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTerm {
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
    /// Official number (integrated projects).
    pub number: Option<u32>,
    /// Second-term projects a third-term project continues.
    pub from_second: Option<Vec<Spanned<String>>>,
    /// Other words readers search for the term by, in either language.
    pub synonyms: Option<Vec<Spanned<String>>>,
}

/// `content/taxonomies.toml`: table name → key → term, in file order.
pub type RawTaxonomies = IndexMap<String, Spanned<IndexMap<String, Spanned<RawTerm>>>>;

/// A cited source.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    /// Title of the document.
    pub title: String,
    /// Its date.
    pub date: Spanned<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// URL.
    pub url: Option<Spanned<String>>,
    /// Page or slide.
    pub page: Option<String>,
    /// The document's language, `ja` (default) or `en`.
    pub lang: Option<Spanned<String>>,
    /// English gloss of a Japanese title.
    pub title_en: Option<Spanned<String>>,
    /// English gloss of a Japanese publisher.
    pub publisher_en: Option<Spanned<String>>,
    /// English gloss of a Japanese page or section.
    pub page_en: Option<Spanned<String>>,
}

/// A dated regulatory event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMilestone {
    /// When.
    pub date: Spanned<String>,
    /// `milestone` key.
    pub kind: Spanned<String>,
}

/// The fields every record has, borrowed from a raw front matter.
pub struct RawCommon<'a> {
    /// The id.
    pub id: &'a Spanned<String>,
    /// Japanese title.
    pub title: &'a str,
    /// Japanese summary.
    pub summary: &'a str,
    /// Sample data flag.
    pub sample: bool,
    /// Sources.
    pub sources: &'a Spanned<Vec<RawSource>>,
}

/// Declares the raw front matter of a collection: the common fields plus its
/// own, rejecting anything else. A macro, because serde cannot combine
/// `flatten` with `deny_unknown_fields`.
macro_rules! front_matter {
    ($(#[$doc:meta])* $name:ident { $($(#[$attr:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The record's id.
            pub id: Spanned<String>,
            /// Japanese title.
            pub title: String,
            /// Japanese summary.
            pub summary: String,
            /// Sample data, not facts.
            #[serde(default)]
            pub sample: bool,
            $($(#[$attr])* pub $field: $ty,)*
            /// Cited sources.
            pub sources: Spanned<Vec<RawSource>>,
        }

        impl $name {
            /// The common fields.
            pub fn common(&self) -> RawCommon<'_> {
                RawCommon {
                    id: &self.id,
                    title: &self.title,
                    summary: &self.summary,
                    sample: self.sample,
                    sources: &self.sources,
                }
            }
        }
    };
}

type Keys = Vec<Spanned<String>>;

front_matter!(
    /// Front matter of `content/approvals/*.md`.
    RawApproval {
        /// Approval date.
        approved: Spanned<String>,
        /// `approval_category` key.
        category: Spanned<String>,
        /// `modality` keys.
        modality: Keys,
        /// `disease_area` keys.
        disease: Keys,
        /// `project_second` keys.
        #[serde(default)]
        projects: Keys,
        /// International collaboration.
        #[serde(default)]
        international: bool,
        /// `country` keys.
        #[serde(default)]
        countries: Keys,
        /// Conditional, time-limited approval.
        #[serde(default)]
        conditional: bool,
        /// Dated regulatory events.
        #[serde(default)]
        milestones: Vec<RawMilestone>,
    }
);

front_matter!(
    /// Front matter of `content/cases/*.md`.
    RawCase {
        /// `project_second` keys.
        #[serde(default)]
        projects: Keys,
        /// Related approval ids.
        #[serde(default)]
        approvals: Keys,
    }
);

front_matter!(
    /// Front matter of `content/kpis/*.md`.
    RawKpi {
        /// The count.
        value: Spanned<u64>,
        /// `second-term` or `covid-19`.
        group: Spanned<String>,
        /// As-of date.
        as_of: Option<Spanned<String>>,
        /// Position in its group.
        order: u32,
        /// Shown on the home page.
        #[serde(default)]
        headline: bool,
        /// The collection (e.g. `approvals`) whose records are a selection
        /// of what this figure counts: its list then says so.
        total_of: Option<Spanned<String>>,
    }
);

front_matter!(
    /// Front matter of `content/pillars/*.md`.
    RawPillar {
        /// Number, 1–5.
        number: u32,
    }
);

front_matter!(
    /// Front matter of `content/projects/*.md`.
    RawProject {
        /// `project_third` key.
        project: Spanned<String>,
    }
);

front_matter!(
    /// Front matter of `content/seeds/*.md`.
    RawSeed {
        /// `modality` keys.
        modality: Keys,
        /// `disease_area` keys.
        disease: Keys,
        /// `seed_stage` key.
        stage: Spanned<String>,
        /// `licensing_status` key.
        licensing: Spanned<String>,
        /// International collaboration.
        #[serde(default)]
        international: bool,
        /// `country` keys.
        #[serde(default)]
        countries: Keys,
    }
);

front_matter!(
    /// Front matter of `content/ppi/*.md`.
    RawPpi {
        /// `ppi_activity` key.
        activity: Spanned<String>,
        /// `disease_area` keys.
        #[serde(default)]
        disease: Keys,
        /// Date.
        date: Spanned<String>,
        /// Where.
        location: Option<String>,
        /// Where, in English.
        location_en: Option<String>,
    }
);

front_matter!(
    /// Front matter of `content/pages/*.md`.
    RawPage {}
);

/// Front matter of an English `<slug>.en.md`: text only.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTranslation {
    /// English title.
    pub title: String,
    /// English summary.
    pub summary: Option<String>,
}

/// One Japanese record file, parsed with its collection's front matter.
#[derive(Debug)]
pub enum RawRecord {
    /// An approval.
    Approval(RawDocument<RawApproval>),
    /// A case study.
    Case(RawDocument<RawCase>),
    /// A KPI.
    Kpi(RawDocument<RawKpi>),
    /// A pillar.
    Pillar(RawDocument<RawPillar>),
    /// An integrated project.
    Project(RawDocument<RawProject>),
    /// A seed.
    Seed(RawDocument<RawSeed>),
    /// A PPI activity.
    Ppi(RawDocument<RawPpi>),
    /// A free page.
    Page(RawDocument<RawPage>),
}

impl RawRecord {
    /// The collection the record belongs to.
    pub fn collection(&self) -> Collection {
        match self {
            RawRecord::Approval(_) => Collection::Approvals,
            RawRecord::Case(_) => Collection::Cases,
            RawRecord::Kpi(_) => Collection::Kpis,
            RawRecord::Pillar(_) => Collection::Pillars,
            RawRecord::Project(_) => Collection::Projects,
            RawRecord::Seed(_) => Collection::Seeds,
            RawRecord::Ppi(_) => Collection::Ppi,
            RawRecord::Page(_) => Collection::Pages,
        }
    }

    /// Whether the record was read from a table row.
    pub fn is_from_table(&self) -> bool {
        self.file().is_from_table()
    }

    /// The file (or table row text) the record was read from.
    pub fn file(&self) -> &SourceFile {
        match self {
            RawRecord::Approval(d) => &d.file,
            RawRecord::Case(d) => &d.file,
            RawRecord::Kpi(d) => &d.file,
            RawRecord::Pillar(d) => &d.file,
            RawRecord::Project(d) => &d.file,
            RawRecord::Seed(d) => &d.file,
            RawRecord::Ppi(d) => &d.file,
            RawRecord::Page(d) => &d.file,
        }
    }

    /// The file's stem (`delytact` for `delytact.md`).
    pub fn stem(&self) -> &str {
        match self {
            RawRecord::Approval(d) => &d.stem,
            RawRecord::Case(d) => &d.stem,
            RawRecord::Kpi(d) => &d.stem,
            RawRecord::Pillar(d) => &d.stem,
            RawRecord::Project(d) => &d.stem,
            RawRecord::Seed(d) => &d.stem,
            RawRecord::Ppi(d) => &d.stem,
            RawRecord::Page(d) => &d.stem,
        }
    }

    /// Parses `file` as a record of `collection`; problems go to `d`.
    pub fn parse(
        collection: Collection,
        file: SourceFile,
        stem: &str,
        d: &mut Diagnostics,
    ) -> Option<RawRecord> {
        RawRecord::parse_framed(collection, file, stem, Framing::FrontMatter, d)
    }

    /// Parses `file`, framed as `framing` says, as a record of `collection`.
    pub fn parse_framed(
        collection: Collection,
        file: SourceFile,
        stem: &str,
        framing: Framing,
        d: &mut Diagnostics,
    ) -> Option<RawRecord> {
        let f = framing;
        Some(match collection {
            Collection::Approvals => RawRecord::Approval(split_document(file, stem, f, d)?),
            Collection::Cases => RawRecord::Case(split_document(file, stem, f, d)?),
            Collection::Kpis => RawRecord::Kpi(split_document(file, stem, f, d)?),
            Collection::Pillars => RawRecord::Pillar(split_document(file, stem, f, d)?),
            Collection::Projects => RawRecord::Project(split_document(file, stem, f, d)?),
            Collection::Seeds => RawRecord::Seed(split_document(file, stem, f, d)?),
            Collection::Ppi => RawRecord::Ppi(split_document(file, stem, f, d)?),
            Collection::Pages => RawRecord::Page(split_document(file, stem, f, d)?),
        })
    }
}

/// What one file of a collection folder holds, once read and parsed.
#[derive(Debug)]
pub enum RecordFile {
    /// A Japanese record (`<slug>.md`); `None` when it did not parse.
    Record(Option<Box<RawRecord>>),
    /// An English translation (`<slug>.en.md`); `None` when it did not parse.
    Translation(Option<Box<RawDocument<RawTranslation>>>),
    /// In a collection with tables, a Markdown file without front matter:
    /// the body of the table row with its id (`<id>.md`, or `<id>.en.md`
    /// for the English body).
    Body {
        /// The file.
        file: SourceFile,
        /// Whether it is the English body.
        english: bool,
    },
}

/// Everything read from the content folder.
#[derive(Debug, Default)]
pub struct RawContent {
    /// `site.toml`, if it parsed.
    pub site: Option<(SourceFile, RawSite)>,
    /// `taxonomies.toml`, if it parsed.
    pub taxonomies: Option<(SourceFile, RawTaxonomies)>,
    /// Japanese records, in file order.
    pub records: Vec<RawRecord>,
    /// English translations, with their collection.
    pub translations: Vec<(Collection, RawDocument<RawTranslation>)>,
    /// Every Japanese record file found, parsed or not, by collection and
    /// stem: an English file beside a broken Japanese one is not an orphan.
    pub japanese_files: std::collections::BTreeSet<(Collection, String)>,
    /// The collections whose folders hold tables.
    pub with_tables: std::collections::BTreeSet<Collection>,
}

/// Reads the content folder. I/O failures on the folder itself are errors;
/// problems in files are collected into `diagnostics`.
pub fn load(content_dir: &Path, diagnostics: &mut Diagnostics) -> Result<RawContent, BuildError> {
    let mut content = RawContent::default();
    let folder = Folder::new(content_dir).map_err(BuildError::io("cannot read", content_dir))?;
    let display = |rel: &str| crate::folder::display(&content_dir.join(rel));

    for name in ["site.toml", "taxonomies.toml"] {
        let path = content_dir.join(name);
        if fs::symlink_metadata(&path).is_err() {
            diagnostics.at(
                &display(name),
                "",
                0,
                format!("missing {name}: every content folder needs one"),
            );
            continue;
        }
        let read = folder.read(&path, MAX_CONTENT_FILE);
        let Some(file) = read_text(read, display(name), diagnostics) else {
            continue;
        };
        match name {
            "site.toml" => {
                content.site = parse_toml(&file, &file.text, 0, diagnostics).map(|s| (file, s))
            }
            _ => {
                content.taxonomies =
                    parse_toml(&file, &file.text, 0, diagnostics).map(|t| (file, t))
            }
        }
    }

    let vocabularies =
        crate::table::cell::Vocabularies::new(content.taxonomies.as_ref().map(|(_, t)| t));
    for entry in folder.entries(content_dir, diagnostics) {
        let name = entry.name.as_str();
        if name == "site.toml" || name == "taxonomies.toml" {
            continue;
        }
        let Some(collection) = (entry.kind == Kind::Dir)
            .then(|| Collection::from_dir(name))
            .flatten()
        else {
            let expected: Vec<&str> = Collection::ALL.iter().map(|c| c.dir()).collect();
            diagnostics.at(
                &display(name),
                "",
                0,
                format!(
                    "unexpected {} in the content folder (expected site.toml, taxonomies.toml or a collection folder: {})",
                    if entry.kind == Kind::Dir { "folder" } else { "file" },
                    expected.join(", ")
                ),
            );
            continue;
        };
        load_collection(
            &folder,
            collection,
            &vocabularies,
            &mut content,
            diagnostics,
        );
    }
    Ok(content)
}

/// Reads one collection folder of the content folder `content_dir` (for
/// the live preview, when a table in it changed): its records, English
/// translations and files, and the problems found.
pub fn load_one_collection(
    content_dir: &Path,
    collection: Collection,
    vocabularies: &crate::table::cell::Vocabularies,
    diagnostics: &mut Diagnostics,
) -> Result<RawContent, BuildError> {
    let mut content = RawContent::default();
    let folder = Folder::new(content_dir).map_err(BuildError::io("cannot read", content_dir))?;
    if matches!(
        folder.inspect(&content_dir.join(collection.dir())),
        Ok(Kind::Dir)
    ) {
        load_collection(&folder, collection, vocabularies, &mut content, diagnostics);
    }
    Ok(content)
}

fn load_collection(
    folder: &Folder,
    collection: Collection,
    vocabularies: &crate::table::cell::Vocabularies,
    content: &mut RawContent,
    diagnostics: &mut Diagnostics,
) {
    use rayon::prelude::*;
    let dir = folder.root().join(collection.dir());
    let entries = folder.entries(&dir, diagnostics);
    let tables = tables::Tables::of(&entries);
    // Reading and parsing are independent per file: done in parallel,
    // gathered back in file order so reports and ids stay stable.
    let loaded: Vec<(Diagnostics, Loaded)> = entries
        .par_iter()
        .map(|entry| {
            let mut d = Diagnostics::default();
            let loaded = match tables.role(entry) {
                tables::Role::Table => Loaded::Table(tables::read_table(
                    folder,
                    collection,
                    entry,
                    vocabularies,
                    &mut d,
                )),
                tables::Role::Mapping => Loaded::Nothing,
                tables::Role::File => {
                    match load_entry(folder, collection, entry, &tables, &mut d) {
                        Some(file) => Loaded::File(file),
                        None => Loaded::Nothing,
                    }
                }
            };
            (d, loaded)
        })
        .collect();
    let mut rows = vec![];
    let mut complete = true;
    let mut bodies = tables::Bodies::default();
    for (entry, (d, loaded)) in entries.iter().zip(loaded) {
        diagnostics.extend(d);
        let name = entry.name.as_str();
        let is_body = matches!(loaded, Loaded::File(RecordFile::Body { .. }));
        if !name.ends_with(".en.md") && name.ends_with(".md") && !is_body {
            let stem = name.trim_end_matches(".md").to_string();
            content.japanese_files.insert((collection, stem));
        }
        match loaded {
            Loaded::File(RecordFile::Record(Some(record))) => content.records.push(*record),
            Loaded::File(RecordFile::Translation(Some(doc))) => {
                content.translations.push((collection, *doc))
            }
            Loaded::File(RecordFile::Body { file, english }) => bodies.add(name, file, english),
            Loaded::Table(Some(table_rows)) => rows.extend(table_rows),
            Loaded::Table(None) => complete = false,
            _ => {}
        }
    }
    if !tables.is_empty() {
        content.with_tables.insert(collection);
        tables::join(collection, rows, bodies, complete, content, diagnostics);
    }
}

/// What one entry of a collection folder gave.
enum Loaded {
    /// A Markdown file.
    File(RecordFile),
    /// A table's rows; `None` if it could not be read at all.
    Table(Option<Vec<crate::table::TableRecord>>),
    /// Nothing (a mapping, read with its table, or a problem).
    Nothing,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .unwrap_or_default()
        .to_string_lossy()
        .into_owned()
}

/// Reads and parses one file of a collection folder (in the content
/// folder two levels up). `None` for what is not a record file at all
/// (reported as a problem, except editors' leftovers).
pub fn load_record_file(
    collection: Collection,
    path: &Path,
    diagnostics: &mut Diagnostics,
) -> Result<Option<RecordFile>, BuildError> {
    let root = path
        .parent()
        .and_then(Path::parent)
        .unwrap_or(Path::new("."));
    let folder = Folder::new(root).map_err(BuildError::io("cannot read", root))?;
    let name = file_name(path);
    if is_editor_leftover(&name) {
        return Ok(None);
    }
    match folder.inspect(path) {
        Ok(kind) => Ok(load_entry(
            &folder,
            collection,
            &Entry {
                path: path.to_path_buf(),
                name,
                kind,
            },
            &tables::Tables::default(),
            diagnostics,
        )),
        Err(problem) => {
            diagnostics.push(problem);
            Ok(None)
        }
    }
}

fn load_entry(
    folder: &Folder,
    collection: Collection,
    entry: &Entry,
    tables: &tables::Tables,
    diagnostics: &mut Diagnostics,
) -> Option<RecordFile> {
    let (path, name) = (&entry.path, entry.name.as_str());
    let display = crate::folder::display(path);
    if entry.kind == Kind::Dir || !name.ends_with(".md") {
        diagnostics.at(&display, "", 0, "unexpected entry: a collection folder holds Markdown files (<slug>.md and <slug>.en.md), tables (.csv, .xlsx, .ods, .jsonl) and their mappings (<table>.toml)");
        return None;
    }
    // The name first: a file misnamed (`x.EN.md`) is one problem, not the
    // complaints of reading it as something it is not.
    let stem = name
        .strip_suffix(".en.md")
        .unwrap_or_else(|| name.trim_end_matches(".md"));
    if let Err(bad) = crate::routes::check_id(stem) {
        let why = match bad {
            crate::routes::BadId::NotSlug => {
                "use only a-z, 0-9 and - before .md (the English file ends in .en.md)".to_string()
            }
            other => other.to_string(),
        };
        diagnostics.at(&display, "", 0, format!("bad file name {name:?}: {why}"));
        return None;
    }
    let file = read_text(
        folder.read_entry(entry, MAX_CONTENT_FILE),
        display,
        diagnostics,
    );
    if !tables.is_empty()
        && let Some(file) = file.as_ref().filter(|f| !tables::has_front_matter(&f.text))
    {
        return Some(RecordFile::Body {
            file: file.clone(),
            english: name.ends_with(".en.md"),
        });
    }
    Some(match name.strip_suffix(".en.md") {
        Some(stem) => RecordFile::Translation(
            file.and_then(|file| {
                split_document::<RawTranslation>(file, stem, Framing::FrontMatter, diagnostics)
            })
            .map(Box::new),
        ),
        None => {
            let stem = name.trim_end_matches(".md");
            RecordFile::Record(
                file.and_then(|file| RawRecord::parse(collection, file, stem, diagnostics))
                    .map(Box::new),
            )
        }
    })
}

/// Reads a file as UTF-8; a file that cannot be read or is not UTF-8 is a
/// located problem.
fn read_text(
    read: Result<Vec<u8>, crate::error::Diagnostic>,
    display: String,
    diagnostics: &mut Diagnostics,
) -> Option<SourceFile> {
    let bytes = match read {
        Ok(bytes) => bytes,
        Err(problem) => {
            diagnostics.push(problem);
            return None;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => {
            let file = SourceFile::new(display, text);
            check_characters(&file, diagnostics);
            Some(file)
        }
        Err(err) => {
            let valid = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let prefix = String::from_utf8_lossy(&bytes[..valid]).into_owned();
            diagnostics.at(
                &display,
                &prefix,
                valid,
                format!(
                    "invalid UTF-8 (byte 0x{:02X} at offset {valid}); save the file as UTF-8 (not Shift_JIS)",
                    bytes[valid]
                ),
            );
            None
        }
    }
}

/// Parses TOML at `offset` of `file`, reporting the error where it is.
/// A string that escapes (`\u0001`) a character content may not hold is a
/// problem too, located at the string.
fn parse_toml<T: DeserializeOwned>(
    file: &SourceFile,
    toml_text: &str,
    offset: usize,
    d: &mut Diagnostics,
) -> Option<T> {
    match toml::from_str::<T>(toml_text) {
        Ok(value) => {
            // A table row's text escapes what its cells hold, and the cells
            // were checked for such characters at their places.
            if toml_text.contains('\\')
                && !file.is_from_table()
                && let Ok(table) = toml::de::DeTable::parse(toml_text)
            {
                check_strings(file, offset, table.get_ref(), d);
            }
            Some(value)
        }
        Err(err) => {
            let span = err.span().unwrap_or(0..0);
            let at = offset + span.start;
            let mut message = err.message().trim().replace('\n', " ");
            let value = toml_text.get(span).unwrap_or_default();
            if message.contains("invalid type: map")
                && value.starts_with(|c: char| c.is_ascii_digit())
            {
                message = format!(
                    "dates are written in quotes: write \"{}\" instead of {}",
                    value.trim(),
                    value.trim()
                );
            }
            file.report(d, at, message);
            None
        }
    }
}

/// Why content may not hold `c`, if it may not.
pub fn forbidden_character(c: char) -> Option<&'static str> {
    match c {
        '\t' | '\n' | '\r' => None,
        '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' => {
            Some("control character: it would make the feeds and the sitemap invalid XML")
        }
        '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => {
            Some("bidirectional control: it can make text read in a misleading order")
        }
        '\u{fffe}' | '\u{ffff}' => Some("non-character: it is not allowed in XML"),
        _ => None,
    }
}

/// At most this many characters are reported per file: one is enough to
/// find them, thousands would bury other problems.
const MAX_CHARACTER_PROBLEMS: usize = 10;

/// Reports characters content may not hold, written as they are in `text`.
fn check_characters(file: &SourceFile, d: &mut Diagnostics) {
    let found = file
        .text
        .char_indices()
        .filter_map(|(at, c)| forbidden_character(c).map(|why| (at, c, why)));
    for (at, c, why) in found.take(MAX_CHARACTER_PROBLEMS) {
        file.report(d, at, format!("U+{:04X} is a {why}; remove it", c as u32));
    }
}

/// The escapes of a TOML string as written (`raw`, quotes included): each
/// one's byte offset, the character it stands for, and how it is written.
fn escapes(raw: &str) -> impl Iterator<Item = (usize, char, &str)> {
    let mut at = 0;
    std::iter::from_fn(move || {
        while let Some(found) = raw[at..].find('\\') {
            let start = at + found;
            let kind = raw[start + 1..].chars().next()?;
            let digits = match kind {
                'u' => 4,
                'U' => 8,
                'x' => 2,
                _ => 0,
            };
            let mut end = (start + 2 + digits).min(raw.len());
            while !raw.is_char_boundary(end) {
                end += 1;
            }
            at = end;
            let c = match kind {
                'b' => Some('\u{8}'),
                'f' => Some('\u{c}'),
                'e' => Some('\u{1b}'),
                'u' | 'U' | 'x' => raw
                    .get(start + 2..end)
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .and_then(char::from_u32),
                _ => None,
            };
            if let Some(c) = c {
                return Some((start, c, &raw[start..end]));
            }
        }
        None
    })
}

/// Reports strings of `table` holding characters content may not hold.
fn check_strings(
    file: &SourceFile,
    offset: usize,
    table: &toml::de::DeTable<'_>,
    d: &mut Diagnostics,
) {
    fn walk(
        file: &SourceFile,
        offset: usize,
        value: &toml::Spanned<toml::de::DeValue<'_>>,
        d: &mut Diagnostics,
    ) {
        match value.get_ref() {
            // Characters written as they are were reported by
            // `check_characters`; here, each written as an escape.
            toml::de::DeValue::String(text)
                if text.chars().any(|c| forbidden_character(c).is_some()) =>
            {
                let start = offset + value.span().start;
                let raw = file
                    .text
                    .get(start..offset + value.span().end)
                    .unwrap_or("");
                let escaped = escapes(raw)
                    .filter_map(|(at, c, written)| {
                        forbidden_character(c).map(|why| (at, c, written, why))
                    })
                    .take(MAX_CHARACTER_PROBLEMS);
                for (at, c, written, why) in escaped {
                    file.report(
                        d,
                        start + at,
                        format!(
                            "U+{:04X} (written as the escape {written}) is a {why}; remove it",
                            c as u32
                        ),
                    );
                }
            }
            toml::de::DeValue::Array(items) => {
                for item in items.iter() {
                    walk(file, offset, item, d);
                }
            }
            toml::de::DeValue::Table(table) => {
                for (_, item) in table.iter() {
                    walk(file, offset, item, d);
                }
            }
            _ => {}
        }
    }
    for (_, value) in table.iter() {
        walk(file, offset, value, d);
    }
}

/// How a record's text holds its fields.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Framing {
    /// A Markdown file: TOML between `+++` lines, then the body.
    FrontMatter,
    /// A table row's text: TOML up to `body_offset`, then the body.
    Table {
        /// Where the body starts.
        body_offset: usize,
    },
}

/// Splits the fields from the body and parses the fields.
fn split_document<F: DeserializeOwned>(
    file: SourceFile,
    stem: &str,
    framing: Framing,
    d: &mut Diagnostics,
) -> Option<RawDocument<F>> {
    if let Framing::Table { body_offset } = framing {
        let front = parse_toml::<F>(&file, &file.text[..body_offset], 0, d)?;
        return Some(RawDocument {
            stem: stem.to_string(),
            front_offset: 0,
            front,
            body_offset,
            file,
        });
    }
    let text = file.text.strip_prefix('\u{FEFF}').unwrap_or(&file.text);
    let bom = file.text.len() - text.len();
    let first_line_end = text.find('\n').unwrap_or(text.len());
    if text[..first_line_end].trim_end() != "+++" {
        file.report(d, bom, "missing front matter: the file must start with a line `+++`, then TOML fields, then another `+++` line. Did you forget to add `+++`?");
        return None;
    }
    let front_offset = bom + first_line_end + 1;
    let rest = file.text.get(front_offset..).unwrap_or("");
    let mut pos = 0;
    let close = loop {
        let Some(line) = rest[pos..].split_inclusive('\n').next() else {
            break None;
        };
        if line.trim_end() == "+++" {
            break Some((pos, pos + line.len()));
        }
        pos += line.len();
    };
    let Some((front_end, body_start)) = close else {
        file.report(
            d,
            bom,
            "front matter is never closed: add a line `+++` after the TOML fields",
        );
        return None;
    };
    let front_text = &rest[..front_end];
    let front = parse_toml::<F>(&file, front_text, front_offset, d)?;
    let body_offset = front_offset + body_start;
    Some(RawDocument {
        stem: stem.to_string(),
        front_offset,
        front,
        body_offset,
        file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(text: &str) -> SourceFile {
        SourceFile::new("content/pages/x.md", text)
    }

    fn problems(d: Diagnostics) -> Vec<String> {
        d.into_sorted().iter().map(ToString::to_string).collect()
    }

    const FRONT: &str = "id = \"x\"\ntitle = \"t\"\nsummary = \"s\"\n[[sources]]\ntitle = \"src\"\ndate = \"2025-05-14\"\n";

    #[test]
    fn splits_front_matter_from_body() {
        let mut d = Diagnostics::default();
        let doc: RawDocument<RawPage> = split_document(
            file(&format!("+++\n{FRONT}+++\n\n# 本文\n")),
            "x",
            Framing::FrontMatter,
            &mut d,
        )
        .unwrap();
        assert!(d.is_empty());
        assert_eq!(doc.front.id.get_ref(), "x");
        assert_eq!(doc.body(), "\n# 本文\n");
        assert_eq!(&doc.file.text[doc.body_offset..], doc.body());
    }

    #[test]
    fn accepts_byte_order_mark_and_windows_line_ends() {
        let mut d = Diagnostics::default();
        let text = format!(
            "\u{FEFF}+++\r\n{}+++\r\nbody\r\n",
            FRONT.replace('\n', "\r\n")
        );
        let doc: Option<RawDocument<RawPage>> =
            split_document(file(&text), "x", Framing::FrontMatter, &mut d);
        assert!(d.is_empty(), "{:?}", problems(d));
        assert_eq!(doc.unwrap().body(), "body\r\n");
    }

    #[test]
    fn reports_front_matter_that_never_closes() {
        let mut d = Diagnostics::default();
        let doc: Option<RawDocument<RawPage>> = split_document(
            file(&format!("+++\n{FRONT}")),
            "x",
            Framing::FrontMatter,
            &mut d,
        );
        assert!(doc.is_none());
        assert_eq!(
            problems(d),
            [
                "content/pages/x.md:1:1: front matter is never closed: add a line `+++` after the TOML fields"
            ]
        );
    }

    #[test]
    fn locates_toml_errors_in_the_file_not_the_front_matter() {
        let mut d = Diagnostics::default();
        let text = format!(
            "+++\n{}+++\n",
            FRONT.replace("summary = \"s\"", "summary = 3")
        );
        let _: Option<RawDocument<RawPage>> =
            split_document(file(&text), "x", Framing::FrontMatter, &mut d);
        assert_eq!(
            problems(d),
            ["content/pages/x.md:4:11: invalid type: integer `3`, expected a string"]
        );
    }
}
