//! The live preview's incremental build: the checked content, each
//! collection's index, the last publish's plan and the output manifest
//! stay in memory between saves, and a save redoes only what it touches.
//!
//! A saved record file is read and checked again on its own (with its
//! English or Japanese twin). When a save only replaced records, each
//! checked without problems and claiming the same ids and links as before,
//! the last library is patched (checks across records would find nothing
//! new); otherwise cross-record rules are checked again over every
//! record's claims. Indexes of collections whose published entries did not
//! change are kept, and with them the lists. The record pages of records
//! that did not change keep last time's plan, and the sitemap its files
//! when no page came or went; everything else is planned again and found,
//! by fingerprint, to be the few outputs the edit changed. Only those are
//! rendered and written. A change to `site.toml`, `taxonomies.toml` or
//! the folder layout reloads everything (still writing only changed files).
//! Debug builds (the tests) check every reused plan against one made anew.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use amed_model::{Collection, Dataset, Library, Record, Site, Taxonomies};

use crate::error::{BuildError, Diagnostic, Diagnostics};
use crate::history::History;
use crate::load::{self, RawDocument, RawRecord, RawTranslation, RecordFile};
use crate::publish::StaticFile;
use crate::render::{self, Assets, CollectionIndex, Collections};
use crate::validate::{self, CheckedRecord};
use crate::write::{Committed, OutputDir};
use crate::{BuildOptions, BuildReport};

/// A record file: its collection and file name (`delytact.md`).
type FileKey = (Collection, String);

/// The content as last read, file by file.
#[derive(Default)]
struct Content {
    site: Option<Site>,
    taxonomies: Option<Taxonomies>,
    /// Problems found while reading, by file shown to users.
    read_problems: BTreeMap<String, Vec<Diagnostic>>,
    /// Problems of `site.toml` and `taxonomies.toml` themselves.
    settings_problems: Vec<Diagnostic>,
    records: BTreeMap<FileKey, RawRecord>,
    translations: BTreeMap<FileKey, RawDocument<RawTranslation>>,
    /// Every Japanese record file present, parsed or not.
    japanese: BTreeSet<FileKey>,
    checked: BTreeMap<FileKey, CheckedRecord>,
    /// Collections with records read from tables: a save in their folders
    /// reads the folder again (a table holds many records; a Markdown file
    /// there may be a row's body).
    tables: BTreeSet<Collection>,
    /// A hash of each record's texts (and where its fields are), in the
    /// collections with tables: after a table is saved, only the records
    /// whose hash changed are checked again.
    hashes: BTreeMap<FileKey, u128>,
}

/// A hash of what a record's check reads: its text, its English text, and
/// where each is (a row moved is checked again, for its problems' places).
fn text_hash(record: &RawRecord, translation: Option<&RawDocument<RawTranslation>>) -> u128 {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for file in std::iter::once(record.file()).chain(translation.map(|t| &t.file)) {
        hasher.update(file.text.as_bytes());
        hasher.update(format!("\0{:?}\0", file.spot(0)).as_bytes());
    }
    hasher.digest128()
}

/// The Japanese file of a record file: `x.en.md` → `x.md`.
fn japanese_name(name: &str) -> String {
    match name.strip_suffix(".en.md") {
        Some(stem) => format!("{stem}.md"),
        None => name.to_string(),
    }
}

fn english_name(name: &str) -> String {
    format!("{}.en.md", name.trim_end_matches(".md"))
}

impl Content {
    /// Reads the whole content folder.
    fn read(dir: &Path) -> Result<Content, BuildError> {
        let mut d = Diagnostics::default();
        let raw = load::load(dir, &mut d)?;
        let mut content = Content::default();
        for problem in d.into_sorted() {
            content
                .read_problems
                .entry(problem.file.clone())
                .or_default()
                .push(problem);
        }
        let mut settings = Diagnostics::default();
        content.site = raw
            .site
            .as_ref()
            .and_then(|(file, site)| validate::check_site(file, site, &mut settings));
        content.taxonomies = raw
            .taxonomies
            .as_ref()
            .map(|(file, t)| validate::check_taxonomies(file, t, &mut settings));
        content.settings_problems = settings.into_sorted();
        content.tables = raw.with_tables;
        for (collection, stem) in raw.japanese_files {
            content.japanese.insert((collection, format!("{stem}.md")));
        }
        for record in raw.records {
            let key = (record.collection(), format!("{}.md", record.stem()));
            content.records.insert(key, record);
        }
        for (collection, doc) in raw.translations {
            let key = (collection, english_name(&format!("{}.md", doc.stem)));
            content.translations.insert(key, doc);
        }
        for (key, record) in &content.records {
            if content.tables.contains(&key.0) {
                let english = content.translations.get(&(key.0, english_name(&key.1)));
                content
                    .hashes
                    .insert(key.clone(), text_hash(record, english));
            }
        }
        let keys: Vec<FileKey> = content.records.keys().cloned().collect();
        content.check(keys);
        let every: Vec<FileKey> = content.japanese.iter().cloned().collect();
        content.forget_raw(&every);
        Ok(content)
    }

    /// Checks the records of `keys` again (their files or twins changed),
    /// returning what they were before.
    fn check(&mut self, keys: impl IntoIterator<Item = FileKey>) -> Vec<Option<CheckedRecord>> {
        use rayon::prelude::*;
        let Some(taxonomies) = &self.taxonomies else {
            return vec![];
        };
        let keys: Vec<FileKey> = keys.into_iter().collect();
        let checked: Vec<(FileKey, Option<CheckedRecord>)> = keys
            .into_par_iter()
            .map(|key| {
                let en = (key.0, english_name(&key.1));
                let checked = self.records.get(&key).map(|record| {
                    validate::check_record(record, self.translations.get(&en), taxonomies)
                });
                (key, checked)
            })
            .collect();
        checked
            .into_iter()
            .map(|(key, checked)| match checked {
                Some(c) => self.checked.insert(key, c),
                None => self.checked.remove(&key),
            })
            .collect()
    }

    /// Drops the front matter and text of the records of `keys`, once
    /// checked: at 100,000 records they are a third of the preview's
    /// memory, and a save reads the files it needs again. An English file
    /// without its Japanese record is kept, to be reported.
    fn forget_raw(&mut self, keys: &[FileKey]) {
        for key in keys {
            self.records.remove(key);
            if self.japanese.contains(key) {
                self.translations.remove(&(key.0, english_name(&key.1)));
            }
        }
    }

    /// Whether the content has a problem that is not a record's own.
    fn has_file_problems(&self) -> bool {
        !self.read_problems.is_empty() || !self.settings_problems.is_empty()
    }

    /// Reads one record file again (or notes that it is gone).
    fn reread(&mut self, dir: &Path, collection: Collection, name: &str) -> Result<(), BuildError> {
        let path = dir.join(collection.dir()).join(name);
        let display = crate::folder::display(&path);
        let key = (collection, name.to_string());
        self.read_problems.remove(&display);
        let is_english = name.ends_with(".en.md");
        if is_english {
            self.translations.remove(&key);
        } else {
            self.records.remove(&key);
            self.japanese.remove(&key);
        }
        if !path.exists() {
            return Ok(());
        }
        let mut d = Diagnostics::default();
        let loaded = load::load_record_file(collection, &path, &mut d)?;
        if !is_english && name.ends_with(".md") && !name.starts_with('.') {
            self.japanese.insert(key.clone());
        }
        match loaded {
            Some(RecordFile::Record(Some(record))) => {
                self.records.insert(key, *record);
            }
            Some(RecordFile::Translation(Some(doc))) => {
                self.translations.insert(key, *doc);
            }
            _ => {}
        }
        let problems = d.into_sorted();
        if !problems.is_empty() {
            self.read_problems.insert(display, problems);
        }
        Ok(())
    }

    /// Reads a collection folder with tables again, after a save in it:
    /// every file of the folder is read, and the records whose texts
    /// changed, came or went are returned, to be checked again. `None` if
    /// the taxonomies are unknown (then everything is read again).
    fn reread_collection(
        &mut self,
        dir: &Path,
        collection: Collection,
    ) -> Result<Option<Vec<FileKey>>, BuildError> {
        let Some(taxonomies) = &self.taxonomies else {
            return Ok(None);
        };
        let vocabularies = portal_content::table::cell::Vocabularies::from_checked(taxonomies);
        let mut d = Diagnostics::default();
        let raw = load::load_one_collection(dir, collection, &vocabularies, &mut d)?;
        let folder = format!("{}/", crate::folder::display(&dir.join(collection.dir())));
        self.read_problems
            .retain(|file, _| !file.starts_with(&folder));
        for problem in d.into_sorted() {
            self.read_problems
                .entry(problem.file.clone())
                .or_default()
                .push(problem);
        }
        if raw.with_tables.is_empty() {
            self.tables.remove(&collection);
        } else {
            self.tables.insert(collection);
        }
        let before: BTreeSet<FileKey> = (self.japanese.iter())
            .chain(self.checked.keys())
            .filter(|k| k.0 == collection)
            .cloned()
            .collect();
        self.japanese.retain(|k| k.0 != collection);
        self.translations.retain(|k, _| k.0 != collection);
        for (c, stem) in raw.japanese_files {
            self.japanese.insert((c, format!("{stem}.md")));
        }
        let mut translations: BTreeMap<FileKey, RawDocument<RawTranslation>> = raw
            .translations
            .into_iter()
            .map(|(c, doc)| ((c, english_name(&format!("{}.md", doc.stem))), doc))
            .collect();
        let mut seen = BTreeSet::new();
        let mut changed = vec![];
        for record in raw.records {
            let key = (collection, format!("{}.md", record.stem()));
            let english = (collection, english_name(&key.1));
            let hash = text_hash(&record, translations.get(&english));
            seen.insert(key.clone());
            if self.hashes.get(&key) == Some(&hash) && self.checked.contains_key(&key) {
                continue;
            }
            self.hashes.insert(key.clone(), hash);
            self.records.insert(key.clone(), record);
            if let Some(doc) = translations.remove(&english) {
                self.translations.insert(english, doc);
            }
            changed.push(key);
        }
        // English files without their Japanese record stay, to be reported.
        for (key, doc) in translations {
            if !self.japanese.contains(&(key.0, japanese_name(&key.1))) {
                self.translations.insert(key, doc);
            }
        }
        for key in before.into_iter().filter(|k| !seen.contains(k)) {
            self.hashes.remove(&key);
            changed.push(key);
        }
        changed.sort();
        changed.dedup();
        Ok(Some(changed))
    }

    /// Every problem of the content, or the checked library.
    fn library(&self) -> Result<Library, Vec<Diagnostic>> {
        let mut problems: Vec<Diagnostic> =
            self.read_problems.values().flatten().cloned().collect();
        problems.extend(self.settings_problems.iter().cloned());
        for ((collection, name), doc) in &self.translations {
            if !self.japanese.contains(&(*collection, japanese_name(name))) {
                problems.push(validate::orphan(doc));
            }
        }
        for checked in self.checked.values() {
            problems.extend(checked.problems.iter().cloned());
        }
        let present = |file: &str| {
            file.split_once('/').is_some_and(|(dir, name)| {
                Collection::from_dir(dir)
                    .is_some_and(|c| self.japanese.contains(&(c, name.to_string())))
            })
        };
        problems.extend(validate::cross_check(
            self.checked.values().map(|c| &c.claims),
            &present,
        ));
        let (Some(site), Some(taxonomies)) = (&self.site, &self.taxonomies) else {
            problems.sort();
            return Err(problems);
        };
        if !problems.is_empty() {
            problems.sort();
            problems.dedup();
            return Err(problems);
        }
        let records = self.checked.values().map(|c| c.record.clone());
        Ok(validate::assemble(
            site.clone(),
            taxonomies.clone(),
            records,
        ))
    }
}

/// A live preview in progress.
pub struct Preview {
    options: BuildOptions,
    content: Content,
    assets: Assets,
    statics: Vec<StaticFile>,
    /// The last good library and its indexes.
    last: Option<(Library, Collections)>,
    /// Whether the last good library is the content as it was before the
    /// save being applied (the last publish succeeded): then a save that
    /// replaces records and nothing else patches it.
    in_sync: bool,
    /// What the last publish planned, for the next one to reuse.
    reuse: render::Reuse,
    /// The output folder's state after the last commit.
    committed: Option<Committed>,
    /// The content's version history, read at start (commits made while
    /// the preview runs show after a restart).
    history: History,
}

/// What changed on disk, as told by the file watcher.
#[derive(Debug, Default)]
pub struct Changes {
    /// Paths of changed files (created, modified or removed).
    pub paths: Vec<PathBuf>,
    /// The watcher lost track (overflow, folder replaced): read everything.
    pub rescan: bool,
}

/// What a batch of changes asks for.
#[derive(Default)]
struct Sorted {
    /// Read the whole content folder again.
    rescan: bool,
    /// Collection folders with tables, read again as a whole.
    with_tables: BTreeSet<Collection>,
    /// Something under `public/` changed.
    public_changed: bool,
    /// Records to check again (by their Japanese file).
    dirty: BTreeSet<FileKey>,
    /// Record files already read again.
    reread: BTreeSet<FileKey>,
}

impl Preview {
    /// Reads and checks all content and builds the preview once.
    pub fn start(
        options: BuildOptions,
    ) -> Result<(Preview, Result<BuildReport, BuildError>), BuildError> {
        crate::check_output_folder(&options)?;
        let explorer = crate::explorer_bundle(&options.explorer)?;
        let assets = Assets::new(explorer.as_ref(), options.live_reload);
        let statics = crate::static_files(
            explorer.as_ref(),
            crate::publish::public_files(options.public.as_deref())?,
        );
        let content = Content::read(&options.content)?;
        let mut preview = Preview {
            options,
            content,
            assets,
            statics,
            last: None,
            in_sync: false,
            reuse: render::Reuse::default(),
            committed: None,
            history: History::default(),
        };
        preview.history = History::read(&preview.options.content);
        let first = preview.publish(None);
        Ok((preview, first))
    }

    /// Sorts `changes` by what they ask for, reading again each record
    /// file saved.
    fn sort(&mut self, changes: &Changes) -> Result<Sorted, BuildError> {
        let content_dir = self.options.content.clone();
        let content_root = content_dir.canonicalize().unwrap_or(content_dir.clone());
        let mut sorted = Sorted {
            rescan: changes.rescan,
            ..Sorted::default()
        };
        for path in &changes.paths {
            let rel = path
                .strip_prefix(&content_root)
                .or_else(|_| path.strip_prefix(&content_dir))
                .ok();
            let Some(rel) = rel else {
                sorted.public_changed = true;
                continue;
            };
            let parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let collection = parts.first().and_then(|dir| Collection::from_dir(dir));
            match (parts.as_slice(), collection) {
                ([_, name], Some(_)) if portal_content::folder::is_editor_leftover(name) => {}
                ([_, name], Some(collection))
                    if self.content.tables.contains(&collection)
                        || portal_content::table::Format::of(name).is_some()
                        || name.ends_with(".toml") =>
                {
                    sorted.with_tables.insert(collection);
                }
                ([_, name], Some(collection)) if !path.is_dir() => {
                    // A record file, or a stray file to report (or, gone, to forget).
                    self.content.reread(&content_dir, collection, name)?;
                    sorted.reread.insert((collection, name.clone()));
                    sorted.dirty.insert((collection, japanese_name(name)));
                }
                ([name], None) if portal_content::folder::is_editor_leftover(name) => {}
                _ => sorted.rescan = true,
            }
        }
        Ok(sorted)
    }

    /// Applies `changes` and publishes what they changed.
    pub fn update(&mut self, changes: &Changes) -> Result<BuildReport, BuildError> {
        let content_dir = self.options.content.clone();
        let Sorted {
            mut rescan,
            with_tables,
            public_changed,
            dirty,
            reread,
        } = self.sort(changes)?;
        let t0 = Instant::now();
        let mut table_keys = vec![];
        for &collection in &with_tables {
            if rescan {
                break;
            }
            match self.content.reread_collection(&content_dir, collection)? {
                Some(keys) => table_keys.extend(keys),
                None => rescan = true,
            }
        }
        let mut patch = None;
        if rescan {
            self.content = Content::read(&content_dir)?;
        } else {
            // A record is checked with both its files; the content keeps
            // neither once checked, so the one not saved is read again.
            let mut keys: Vec<FileKey> = dirty.into_iter().collect();
            for (collection, name) in keys.iter().filter(|(_, name)| name.ends_with(".md")) {
                for file in [name.clone(), english_name(name)] {
                    if !reread.contains(&(*collection, file.clone())) {
                        self.content.reread(&content_dir, *collection, &file)?;
                    }
                }
            }
            keys.extend(table_keys);
            let before = self.content.check(keys.iter().cloned());
            self.content.forget_raw(&keys);
            patch = self.replaced(&keys, before);
        }
        crate::progress::profile("reread+check", t0);
        if public_changed {
            self.reread_public()?;
        }
        self.publish(patch)
    }

    /// Reads `public/` again, keeping the explorer's files.
    fn reread_public(&mut self) -> Result<(), BuildError> {
        self.statics.retain(|s| matches!(s, StaticFile::Bytes(_)));
        self.statics.extend(crate::publish::public_files(
            self.options.public.as_deref(),
        )?);
        Ok(())
    }

    /// The records a save replaced, old and new, when that is all it did:
    /// the last publish is the content just before it, every file read and
    /// checked without problems before and after, and the new records claim
    /// the same ids and links as the old ones (so checks across records
    /// find nothing new).
    fn replaced(
        &self,
        keys: &[FileKey],
        before: Vec<Option<CheckedRecord>>,
    ) -> Option<Vec<(Record, Record)>> {
        if !self.in_sync || self.content.has_file_problems() || keys.len() != before.len() {
            return None;
        }
        let mut pairs = Vec::new();
        for (key, old) in keys.iter().zip(before) {
            match (old, self.content.checked.get(key)) {
                // Not a record before or after (an editor's passing file).
                (None, None) => {}
                (Some(old), Some(new))
                    if old.problems.is_empty()
                        && new.problems.is_empty()
                        && new.claims.says_the_same(&old.claims) =>
                {
                    pairs.push((old.record, new.record.clone()));
                }
                _ => return None,
            }
        }
        Some(pairs)
    }

    /// The checked library: the last one with `patch`'s records replaced,
    /// or assembled and checked across records anew.
    fn library(&self, patch: Option<&[(Record, Record)]>) -> Result<Library, BuildError> {
        if let (Some(patch), Some((last, _))) = (patch, &self.last) {
            let mut library = last.clone();
            if patch
                .iter()
                .all(|(old, new)| library.replace(old, new.clone()))
            {
                return Ok(library);
            }
        }
        let mut library = self.content.library().map_err(BuildError::Content)?;
        if let Some(url) = &self.options.base_url {
            library.site.base_url = crate::with_slash(url);
        }
        Ok(library)
    }

    fn publish(&mut self, patch: Option<Vec<(Record, Record)>>) -> Result<BuildReport, BuildError> {
        let started = Instant::now();
        self.in_sync = false;
        let library = self.library(patch.as_deref())?;
        crate::progress::profile("library", started);
        let t = Instant::now();
        let collections = self.collections(&library, patch.as_deref());
        crate::progress::profile("collections", t);
        let t = Instant::now();
        let dir = match self.committed.take() {
            Some(committed) => OutputDir::resume(&self.options.out, committed),
            None => OutputDir::open(&self.options.out)?,
        };
        let mut reuse = std::mem::take(&mut self.reuse);
        let before = reuse.others.take();
        let ctx =
            render::Context::reusing(&library, &self.assets, &collections, reuse, &self.history);
        crate::progress::profile("context", t);
        let t = Instant::now();
        self.options.progress.stage("plan", 0);
        let plan = render::plan(&ctx);
        #[cfg(debug_assertions)]
        same_as_planned_anew(&library, &self.assets, &collections, &self.history, &plan);
        crate::progress::profile("plan", t);
        let t = Instant::now();
        let (committed, others) = crate::publish::publish_plan(
            dir,
            &ctx,
            &plan,
            &self.statics,
            &self.options.progress,
            before.as_ref(),
        )?;
        crate::progress::profile("publish", t);
        let t = Instant::now();
        let summary = committed.summary;
        self.committed = Some(committed);
        self.reuse = ctx.into_reuse(plan, others);
        let records = library.documents().count();
        // Freeing the previous library takes a while at scale: not on the
        // path to the reload message.
        // The history is read once, when the preview starts: say what is
        // wrong with it once.
        let warnings = match self.last {
            None => self.history.warnings(),
            Some(_) => vec![],
        };
        let previous = self.last.replace((library, collections));
        self.in_sync = true;
        std::thread::spawn(move || drop(previous));
        crate::progress::profile("after", t);
        Ok(BuildReport {
            files: summary.written + summary.unchanged,
            summary,
            records,
            elapsed: started.elapsed(),
            explorer: None,
            warnings,
        })
    }

    /// Each collection's index: the previous one where the collection's
    /// published entries are the same, the previous one patched where a
    /// save replaced records in their places, a new one otherwise.
    /// `replaced`, if known, is every record that differs from the last
    /// library.
    fn collections(&self, library: &Library, replaced: Option<&[(Record, Record)]>) -> Collections {
        use rayon::prelude::*;
        // What every collection's entries depend on besides its records.
        let date = library.content_date();
        let same_settings = self.last.as_ref().is_some_and(|(old, _)| {
            old.site == library.site
                && old.taxonomies == library.taxonomies
                && old.content_date() == date
        });
        let last = self.last.as_ref().filter(|_| same_settings);
        Collection::ALL
            .par_iter()
            .map(|&c| {
                let index = match (last, replaced) {
                    (Some((old, indexes)), Some(pairs)) => {
                        let known = &indexes[&c];
                        match replaced_entries(old, library, date, known, c, pairs) {
                            Some(fresh) if fresh.is_empty() => known.clone(),
                            Some(fresh) => Arc::new(known.patched(library, fresh)),
                            None => Arc::new(CollectionIndex::new(library, c, true)),
                        }
                    }
                    (Some((old, indexes)), None) if same_entries(old, library, c) => {
                        indexes[&c].clone()
                    }
                    _ => Arc::new(CollectionIndex::new(library, c, true)),
                };
                (c, index)
            })
            .collect()
    }
}

/// The entries of `collection` that differ from those of `known` (the
/// index of `old`) in `new`, which is `old` with the records of `pairs`
/// replaced, with their positions; `None` if a replaced record moved.
fn replaced_entries(
    old: &Library,
    new: &Library,
    date: Option<amed_model::PartialDate>,
    known: &CollectionIndex,
    collection: Collection,
    pairs: &[(Record, Record)],
) -> Option<Vec<(usize, Arc<amed_model::Entry>)>> {
    let mut fresh = Vec::new();
    for (a, b) in pairs.iter().filter(|(a, _)| a.collection() == collection) {
        let position = old.position(a)?;
        if new.position(b) != Some(position) {
            return None;
        }
        let entry = Dataset::from_library_part(new, collection, position..position + 1, date)
            .records
            .pop()?;
        if known.dataset.records.get(position) != Some(&entry) {
            fresh.push((position, entry));
        }
    }
    Some(fresh)
}

/// Checks (in debug builds: every test of the preview) that what a
/// publish reused from the last one is what planning everything anew gives.
#[cfg(debug_assertions)]
fn same_as_planned_anew(
    library: &Library,
    assets: &render::Assets,
    collections: &Collections,
    history: &History,
    plan: &render::Plan,
) {
    let fresh_collections = render::index_collections(library);
    for (c, index) in collections {
        assert_eq!(
            index.published, fresh_collections[c].published,
            "kept index of {c:?} is stale"
        );
    }
    let ctx = render::Context::new(library, assets, collections, history);
    let anew = render::plan(&ctx);
    let jobs = |plan: &render::Plan| -> Vec<(String, crate::fingerprint::Fingerprint)> {
        plan.jobs()
            .map(|j| (j.path.clone(), j.fingerprint))
            .collect()
    };
    assert_eq!(
        jobs(plan),
        jobs(&anew),
        "reused plan differs from a fresh one"
    );
}

/// Whether `collection` publishes the same entries, in the same order, in
/// both libraries of the same settings. Compares shared records by
/// pointer, so only records an edit replaced are looked at closely.
fn same_entries(old: &Library, new: &Library, collection: Collection) -> bool {
    let old_records: Vec<Record> = old
        .records()
        .filter(|r| r.collection() == collection)
        .collect();
    let new_records: Vec<Record> = new
        .records()
        .filter(|r| r.collection() == collection)
        .collect();
    if old_records.len() != new_records.len() {
        return false;
    }
    let mut changed_old = Library::new(old.site.clone(), old.taxonomies.clone());
    let mut changed_new = Library::new(new.site.clone(), new.taxonomies.clone());
    for (a, b) in old_records.iter().zip(&new_records) {
        if a.is_same(b) {
            continue;
        }
        if a.doc().id != b.doc().id {
            return false;
        }
        changed_old.insert(a.clone());
        changed_new.insert(b.clone());
    }
    let entries = |lib: &Library| Dataset::from_library(lib, collection).records;
    entries(&changed_old) == entries(&changed_new)
}
