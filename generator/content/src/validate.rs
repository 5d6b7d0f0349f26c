//! Stage 2, validate: turn raw front matter into the checked [`Library`].
//!
//! Owns every rule about content. Checking is split in two so a live
//! preview can redo only what an edit touches: [`check_record`] checks one
//! record file (with its English file) on its own and notes what it claims
//! about the others ([`Claims`]: its id, its links, related approvals);
//! [`cross_check`] then checks those claims against every record, which
//! is cheap. A record that leaves this stage is valid; later stages never
//! check again.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use amed_model::{
    Approval, CaseStudy, Collection, Document, Kpi, KpiGroup, Lang, Library, License, Milestone,
    Page, PartialDate, Pillar, PpiActivity, Project, Record, Seed, Site, Source, Taxonomies,
    TaxonomyKind, Term, Text,
};
use toml::Spanned;

use crate::error::{Diagnostic, Diagnostics, Spot};
use crate::load::{
    RawApproval, RawCase, RawCommon, RawContent, RawDocument, RawKpi, RawRecord, RawSite,
    RawSource, RawTaxonomies, RawTerm, RawTranslation, SourceFile,
};
use crate::routes;

pub use crate::routes::is_slug;

/// Checks everything and builds the library; `None` if any problem was found.
pub fn validate(raw: RawContent, d: &mut Diagnostics) -> Option<Library> {
    let site = raw
        .site
        .as_ref()
        .and_then(|(file, site)| check_site(file, site, d));
    let taxonomies = raw
        .taxonomies
        .as_ref()
        .map(|(file, t)| check_taxonomies(file, t, d))
        .unwrap_or_default();
    let mut translations: HashMap<(Collection, String), Arc<RawDocument<RawTranslation>>> =
        HashMap::new();
    for (collection, doc) in raw.translations {
        if raw.japanese_files.contains(&(collection, doc.stem.clone())) {
            translations.insert((collection, doc.stem.clone()), Arc::new(doc));
        } else {
            d.push(orphan(&doc));
        }
    }
    // Each record with its English file, taken out of the raw content and
    // dropped as soon as it is checked: the raw text of 100,000 records is
    // not held beside their checked form.
    type Pair = (RawRecord, Option<Arc<RawDocument<RawTranslation>>>);
    let pairs: Vec<Pair> = raw
        .records
        .into_iter()
        .map(|record| {
            let key = (record.collection(), record.stem().to_string());
            let translation = translations.get(&key).cloned();
            (record, translation)
        })
        .collect();
    drop(translations);
    let checked: Vec<CheckedRecord> = {
        use rayon::prelude::*;
        pairs
            .into_par_iter()
            .map(|(record, translation)| check_record(&record, translation.as_deref(), &taxonomies))
            .collect()
    };
    for c in &checked {
        for problem in &c.problems {
            d.push(problem.clone());
        }
    }
    let present: rustc_hash::FxHashSet<String> = raw
        .japanese_files
        .iter()
        .map(|(collection, stem)| format!("{}/{stem}.md", collection.dir()))
        .collect();
    let present = |file: &str| present.contains(file);
    for problem in cross_check(checked.iter().map(|c| &c.claims), &present) {
        d.push(problem);
    }
    let ok = d.is_empty() && raw.taxonomies.is_some();
    let site = site.filter(|_| ok)?;
    Some(assemble(
        site,
        taxonomies,
        checked.into_iter().map(|c| c.record),
    ))
}

/// The library of `records`, each collection in display order.
pub fn assemble(
    site: Site,
    taxonomies: Taxonomies,
    records: impl IntoIterator<Item = Record>,
) -> Library {
    let mut library = Library::new(site, taxonomies);
    for record in records {
        library.insert(record);
    }
    library.sort();
    library
}

/// The English gloss `{part}_en` of a source's `part`: reported if it is
/// empty, glosses a part the source does not have, or glosses an English
/// source (pages would show it nowhere).
fn gloss<F>(
    d: &mut Diagnostics,
    doc: &RawDocument<F>,
    lang: Lang,
    part: &str,
    original: Option<&String>,
    gloss: &Option<Spanned<String>>,
) -> Option<String> {
    let gloss = gloss.as_ref()?;
    let problem = if gloss.get_ref().trim().is_empty() {
        Some(format!(
            "{part}_en is empty: write the English gloss or leave the field out"
        ))
    } else if original.is_none() {
        Some(format!(
            "{part}_en glosses a {part} this source does not have: add {part} or leave {part}_en out"
        ))
    } else if lang == Lang::En {
        Some(format!(
            "{part}_en is for Japanese sources; this source is lang = \"en\": leave {part}_en out"
        ))
    } else {
        None
    };
    match problem {
        Some(message) => {
            doc.report_span(d, gloss.span(), message);
            None
        }
        None => Some(gloss.get_ref().clone()),
    }
}

/// The problem of an English file that has no Japanese record beside it.
pub fn orphan(doc: &RawDocument<RawTranslation>) -> Diagnostic {
    doc.file.spot(0).problem(format!(
        "English file without its Japanese record: expected {}/{}.md beside it",
        doc.file.display.rsplit_once('/').map_or("", |(dir, _)| dir),
        doc.stem
    ))
}

/// Checks `site.toml`; `None` if it cannot be used.
pub fn check_site(file: &SourceFile, raw: &RawSite, d: &mut Diagnostics) -> Option<Site> {
    let mut ok = true;
    let url = raw.base_url.get_ref();
    if let Err(why) = crate::urls::deployment(url) {
        file.report(
            d,
            raw.base_url.span().start,
            format!("base_url {url:?} is not usable: {why}"),
        );
        ok = false;
    } else if !url.ends_with('/') {
        file.report(
            d,
            raw.base_url.span().start,
            format!("base_url {url:?} must end in `/`"),
        );
        ok = false;
    }
    if raw.default_language.get_ref() != "ja" {
        file.report(
            d,
            raw.default_language.span().start,
            "default_language must be \"ja\": Japanese is the language of record",
        );
        ok = false;
    }
    if raw.languages.get_ref() != &["ja", "en"] {
        file.report(
            d,
            raw.languages.span().start,
            "languages must be [\"ja\", \"en\"]: the portal is published in Japanese and English",
        );
        ok = false;
    }
    let license = match &raw.license {
        None => License::default(),
        Some(l) => {
            if let Err(why) = crate::urls::external(l.url.get_ref()) {
                file.report(
                    d,
                    l.url.span().start,
                    format!("license url {:?} is not usable: {why}", l.url.get_ref()),
                );
                ok = false;
            }
            License {
                id: l.id.clone(),
                name: Text::new(&l.name.ja, &l.name.en),
                url: l.url.get_ref().clone(),
            }
        }
    };
    ok.then(|| Site {
        base_url: url.clone(),
        title: Text::new(&raw.title.ja, &raw.title.en),
        description: Text::new(&raw.description.ja, &raw.description.en),
        license,
    })
}

/// Checks `taxonomies.toml`; what is usable of it even when it has problems.
pub fn check_taxonomies(file: &SourceFile, raw: &RawTaxonomies, d: &mut Diagnostics) -> Taxonomies {
    let mut taxonomies = Taxonomies::default();
    let second: Vec<&String> = raw
        .get("project_second")
        .map(|t| t.get_ref().keys().collect())
        .unwrap_or_default();
    for (table, terms) in raw {
        let Some(kind) = TaxonomyKind::from_table(table) else {
            let expected: Vec<&str> = TaxonomyKind::ALL.iter().map(|k| k.table()).collect();
            file.report(
                d,
                terms.span().start,
                format!(
                    "unknown taxonomy [{table}] (expected one of: {})",
                    expected.join(", ")
                ),
            );
            continue;
        };
        let mut checked = Vec::new();
        for (key, term) in terms.get_ref() {
            // Keys name folders and files of facet pages and data files
            // (`approvals/modality/<key>/`): the rules of record ids hold.
            if let Err(why) = routes::check_id(key) {
                file.report(
                    d,
                    term.span().start,
                    format!("bad key {key:?} in [{table}]: {why}"),
                );
            }
            let from_second = term.get_ref().from_second.iter().flatten().filter_map(|k| {
                if second.contains(&k.get_ref()) {
                    Some(k.get_ref().clone())
                } else {
                    file.report(
                        d,
                        k.span().start,
                        format!(
                            "unknown second-term integrated project {:?} (expected one of: {})",
                            k.get_ref(),
                            join(&second)
                        ),
                    );
                    None
                }
            });
            let from_second = from_second.collect();
            let t = term.get_ref();
            checked.push(Term {
                key: key.clone(),
                label: Text::new(&t.ja, &t.en),
                number: t.number,
                from_second,
                synonyms: checked_synonyms(file, t, d),
            });
        }
        taxonomies.insert(kind, checked);
    }
    for kind in TaxonomyKind::ALL {
        if !raw.contains_key(kind.table()) {
            file.report(
                d,
                file.text.len(),
                format!(
                    "missing taxonomy [{}]: add at least one {} entry",
                    kind.table(),
                    kind.noun()
                ),
            );
        }
    }
    taxonomies
}

/// A term's synonyms: each must hold a letter or digit to search by.
fn checked_synonyms(file: &SourceFile, term: &RawTerm, d: &mut Diagnostics) -> Vec<String> {
    let mut synonyms = Vec::new();
    for word in term.synonyms.iter().flatten() {
        if word.get_ref().chars().any(char::is_alphanumeric) {
            synonyms.push(word.get_ref().trim().to_string());
        } else {
            file.report(
                d,
                word.span().start,
                format!(
                    "synonym {:?} has no letter or digit, so search cannot find anything by it",
                    word.get_ref()
                ),
            );
        }
    }
    synonyms
}

fn join(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A name used somewhere, with where it was written.
#[derive(Clone, Debug)]
pub struct Claim {
    /// The name: an id, a file path or a project key.
    pub name: String,
    /// Where it is written.
    pub spot: Spot,
}

/// What one record says about the others, checked once every record is
/// known: its id must be unique, what it links to must exist.
#[derive(Clone, Debug)]
pub struct Claims {
    /// The record's collection.
    pub collection: Collection,
    /// Its file, relative to the content folder (`approvals/x.md`).
    pub file: String,
    /// Its id.
    pub id: Claim,
    /// The third-term project it describes (projects only).
    pub project: Option<Claim>,
    /// Internal links of its bodies (`approvals/x.md#part`).
    pub links: Vec<Claim>,
    /// Related approval ids (case studies).
    pub approvals: Vec<Claim>,
    /// A KPI's count of a collection's records (`total_of`), which cannot
    /// be smaller than the records listed: `(collection, value, where the
    /// value is written)`.
    pub total: Option<(Collection, u64, Spot)>,
}

impl Claims {
    /// Whether `other` claims the same names (where they are written
    /// aside): [`cross_check`] over claims that say the same finds the
    /// same problems.
    pub fn says_the_same(&self, other: &Claims) -> bool {
        fn names(claims: &[Claim]) -> impl Iterator<Item = &str> {
            claims.iter().map(|c| c.name.as_str())
        }
        self.collection == other.collection
            && self.file == other.file
            && self.id.name == other.id.name
            && self.project.as_ref().map(|c| &c.name) == other.project.as_ref().map(|c| &c.name)
            && names(&self.links).eq(names(&other.links))
            && names(&self.approvals).eq(names(&other.approvals))
            && self.total.as_ref().map(|t| (t.0, t.1)) == other.total.as_ref().map(|t| (t.0, t.1))
    }
}

// What each kind of record needs, made of the checker's primitives.

/// Checks one record: the record, its id and the project it describes.
fn record(
    c: &mut Checker<'_>,
    raw: &RawRecord,
    en: Option<&RawDocument<RawTranslation>>,
) -> (Record, Claim, Option<Claim>) {
    use TaxonomyKind as T;
    let collection = raw.collection();
    let mut project = None;
    let (record, id) = match raw {
        RawRecord::Approval(doc) => approval(c, collection, doc, en),
        RawRecord::Case(doc) => case(c, collection, doc, en),
        RawRecord::Kpi(doc) => kpi(c, collection, doc, en),
        RawRecord::Pillar(doc) => {
            let (document, id) = c.document(collection, doc, doc.front.common(), en);
            let record = Pillar {
                doc: document,
                number: doc.front.number,
            };
            (Record::Pillar(Arc::new(record)), id)
        }
        RawRecord::Project(doc) => {
            let (document, id) = c.document(collection, doc, doc.front.common(), en);
            let key = &doc.front.project;
            project = Some(Claim {
                name: key.get_ref().clone(),
                spot: doc.file.spot(doc.front_offset + key.span().start),
            });
            let record = Project {
                doc: document,
                project: c.key(doc, T::ProjectThird, key),
            };
            (Record::Project(Arc::new(record)), id)
        }
        RawRecord::Seed(doc) => {
            let f = &doc.front;
            let (document, id) = c.document(collection, doc, f.common(), en);
            c.countries_need_international(doc, f.international, &f.countries);
            let record = Seed {
                doc: document,
                modality: c.keys(doc, T::Modality, &f.modality),
                disease: c.keys(doc, T::DiseaseArea, &f.disease),
                stage: c.key(doc, T::SeedStage, &f.stage),
                licensing: c.key(doc, T::LicensingStatus, &f.licensing),
                international: f.international,
                countries: c.keys(doc, T::Country, &f.countries),
            };
            (Record::Seed(Arc::new(record)), id)
        }
        RawRecord::Ppi(doc) => {
            let f = &doc.front;
            let (document, id) = c.document(collection, doc, f.common(), en);
            let record = PpiActivity {
                doc: document,
                activity: c.key(doc, T::PpiActivity, &f.activity),
                disease: c.keys(doc, T::DiseaseArea, &f.disease),
                date: c.date(doc, &f.date),
                location: f.location.clone().map(|ja| Text {
                    ja,
                    en: f.location_en.clone(),
                }),
            };
            (Record::Ppi(Arc::new(record)), id)
        }
        RawRecord::Page(doc) => {
            let (document, id) = c.document(collection, doc, doc.front.common(), en);
            (Record::Page(Arc::new(Page { doc: document })), id)
        }
    };
    (record, id, project)
}

/// An approval, checked.
fn approval(
    c: &mut Checker<'_>,
    collection: Collection,
    doc: &RawDocument<RawApproval>,
    en: Option<&RawDocument<RawTranslation>>,
) -> (Record, Claim) {
    use TaxonomyKind as T;
    let f = &doc.front;
    let (document, id) = c.document(collection, doc, f.common(), en);
    c.countries_need_international(doc, f.international, &f.countries);
    let record = Approval {
        doc: document,
        approved: c.past_date(doc, &f.approved),
        category: c.key(doc, T::ApprovalCategory, &f.category),
        modality: c.keys(doc, T::Modality, &f.modality),
        disease: c.keys(doc, T::DiseaseArea, &f.disease),
        projects: c.keys(doc, T::ProjectSecond, &f.projects),
        international: f.international,
        countries: c.keys(doc, T::Country, &f.countries),
        conditional: f.conditional,
        milestones: f
            .milestones
            .iter()
            .map(|m| Milestone {
                date: c.past_date(doc, &m.date),
                kind: c.key(doc, T::Milestone, &m.kind),
            })
            .collect(),
    };
    (Record::Approval(Arc::new(record)), id)
}

/// A case study, checked; the approvals it names are claims checked later.
fn case(
    c: &mut Checker<'_>,
    collection: Collection,
    doc: &RawDocument<RawCase>,
    en: Option<&RawDocument<RawTranslation>>,
) -> (Record, Claim) {
    use TaxonomyKind as T;
    let f = &doc.front;
    let (document, id) = c.document(collection, doc, f.common(), en);
    for approval in &f.approvals {
        c.approvals.push(Claim {
            name: approval.get_ref().clone(),
            spot: doc.file.spot(doc.front_offset + approval.span().start),
        });
    }
    let record = CaseStudy {
        doc: document,
        projects: c.keys(doc, T::ProjectSecond, &f.projects),
        approvals: f.approvals.iter().map(|a| a.get_ref().clone()).collect(),
    };
    (Record::Case(Arc::new(record)), id)
}

/// A KPI, checked.
fn kpi(
    c: &mut Checker<'_>,
    collection: Collection,
    doc: &RawDocument<RawKpi>,
    en: Option<&RawDocument<RawTranslation>>,
) -> (Record, Claim) {
    let f = &doc.front;
    let group = match f.group.get_ref().as_str() {
        "second-term" => KpiGroup::SecondTerm,
        "covid-19" => KpiGroup::Covid19,
        other => {
            doc.report_span(
                c.d,
                f.group.span(),
                format!("unknown KPI group {other:?} (expected one of: second-term, covid-19)"),
            );
            KpiGroup::SecondTerm
        }
    };
    let total_of = f.total_of.as_ref().and_then(|t| {
        let found = Collection::from_dir(t.get_ref());
        if found.is_none() {
            let expected: Vec<&str> = Collection::ALL.iter().map(|c| c.dir()).collect();
            doc.report_span(
                c.d,
                t.span(),
                format!(
                    "unknown collection {:?} in total_of (expected one of: {})",
                    t.get_ref(),
                    expected.join(", ")
                ),
            );
        }
        found
    });
    if let Some(of) = total_of {
        let spot = doc.file.spot(doc.front_offset + f.value.span().start);
        c.total = Some((of, *f.value.get_ref(), spot));
    }
    let (document, id) = c.document(collection, doc, f.common(), en);
    let record = Kpi {
        doc: document,
        value: *f.value.get_ref(),
        group,
        as_of: f.as_of.as_ref().map(|d| c.past_date(doc, d)),
        order: f.order,
        headline: f.headline,
        total_of,
    };
    (Record::Kpi(Arc::new(record)), id)
}

/// One record file, checked on its own.
#[derive(Clone, Debug)]
pub struct CheckedRecord {
    /// The record (meaningful only when `problems` is empty).
    pub record: Record,
    /// What it says about other records.
    pub claims: Claims,
    /// Problems found in the file or its English file.
    pub problems: Vec<Diagnostic>,
}

/// Checks one record with its English file, if any, against the
/// taxonomies. Problems that need other records are left to [`cross_check`].
pub fn check_record(
    raw: &RawRecord,
    translation: Option<&RawDocument<RawTranslation>>,
    taxonomies: &Taxonomies,
) -> CheckedRecord {
    let mut d = Diagnostics::default();
    let mut checker = Checker {
        taxonomies,
        taxonomies_known: TaxonomyKind::ALL
            .iter()
            .any(|&k| !taxonomies.terms(k).is_empty()),
        d: &mut d,
        links: vec![],
        approvals: vec![],
        total: None,
    };
    let collection = raw.collection();
    let (record, id, project) = record(&mut checker, raw, translation);
    let claims = Claims {
        collection,
        file: record.doc().file.clone(),
        id,
        project,
        links: checker.links,
        approvals: checker.approvals,
        total: checker.total,
    };
    CheckedRecord {
        record,
        claims,
        problems: d.into_sorted(),
    }
}

/// Checks what records say about each other: unique ids, one record per
/// integrated project, links and related approvals that exist. `claims`
/// come in file order, which decides which of two duplicates is "first".
///
/// `present` says whether a record file is there (`approvals/x.md`), read
/// or not: a link to a file whose own problems stopped it from being read
/// is not broken too (its problems are reported once, where they are).
/// It is asked only about targets no record has.
pub fn cross_check<'a>(
    claims: impl Iterator<Item = &'a Claims> + Clone,
    present: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let mut ids: rustc_hash::FxHashMap<(Collection, &str), &str> = Default::default();
    let mut projects: rustc_hash::FxHashMap<&str, &str> = Default::default();
    for c in claims.clone() {
        if is_slug(&c.id.name) {
            match ids.get(&(c.collection, c.id.name.as_str())) {
                Some(first) => problems.push(c.id.spot.problem(format!(
                    "duplicate id {:?}: already used by {first}",
                    c.id.name
                ))),
                None => {
                    ids.insert((c.collection, &c.id.name), &c.id.spot.file);
                }
            }
        }
        if let Some(p) = &c.project {
            match projects.get(p.name.as_str()) {
                Some(first) => problems.push(p.spot.problem(format!(
                    "integrated project {:?} is already described by {first}",
                    p.name
                ))),
                None => {
                    projects.insert(&p.name, &p.spot.file);
                }
            }
        }
    }
    let mut counts: rustc_hash::FxHashMap<Collection, u64> = Default::default();
    for c in claims.clone() {
        *counts.entry(c.collection).or_default() += 1;
    }
    for (collection, value, spot) in claims.clone().filter_map(|c| c.total.as_ref()) {
        let listed = counts.get(collection).copied().unwrap_or(0);
        if *value < listed {
            problems.push(spot.problem(format!(
                "value = {value} is smaller than the {listed} records in content/{}/ it is the total of (total_of = {:?}): correct the figure, or remove total_of if it counts something else",
                collection.dir(),
                collection.dir()
            )));
        }
    }
    let files: rustc_hash::FxHashSet<&str> = claims.clone().map(|c| c.file.as_str()).collect();
    for c in claims {
        for link in &c.links {
            let target = link.name.split('#').next().unwrap_or_default();
            if !files.contains(target) && !present(target) {
                let hint = if target.ends_with(".md") {
                    ""
                } else {
                    " (internal links name the file, e.g. @/approvals/delytact.md)"
                };
                problems.push(link.spot.problem(format!(
                    "broken internal link @/{}: no such file content/{target}{hint}",
                    link.name
                )));
            }
        }
        for approval in &c.approvals {
            if !ids.contains_key(&(Collection::Approvals, approval.name.as_str()))
                && !present(&format!("approvals/{}.md", approval.name))
            {
                problems.push(approval.spot.problem(format!(
                    "unknown approval {:?} (expected the id of a file in content/approvals/)",
                    approval.name
                )));
            }
        }
    }
    problems
}

struct Checker<'a> {
    taxonomies: &'a Taxonomies,
    /// False when taxonomies.toml could not be used (and says so): then
    /// every key would be "unknown", so keys are not checked at all.
    taxonomies_known: bool,
    d: &'a mut Diagnostics,
    links: Vec<Claim>,
    approvals: Vec<Claim>,
    total: Option<(Collection, u64, Spot)>,
}

impl Checker<'_> {
    fn key<F>(
        &mut self,
        doc: &RawDocument<F>,
        kind: TaxonomyKind,
        key: &Spanned<String>,
    ) -> String {
        let value = key.get_ref();
        if self.taxonomies_known && self.taxonomies.get(kind, value).is_none() {
            let expected: Vec<&str> = self
                .taxonomies
                .terms(kind)
                .iter()
                .map(|t| t.key.as_str())
                .collect();
            doc.report_span(
                self.d,
                key.span(),
                format!(
                    "unknown {} {value:?} (expected one of: {})",
                    kind.noun(),
                    expected.join(", ")
                ),
            );
        }
        value.clone()
    }

    fn keys<F>(
        &mut self,
        doc: &RawDocument<F>,
        kind: TaxonomyKind,
        keys: &[Spanned<String>],
    ) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for key in keys {
            let value = self.key(doc, kind, key);
            if out.contains(&value) {
                doc.report_span(
                    self.d,
                    key.span(),
                    format!("{} {value:?} is listed twice", kind.noun()),
                );
            }
            out.push(value);
        }
        out
    }

    /// The date of something that has happened (a source, an approval,
    /// a milestone, a figure's "as of"): a date after today is a typo,
    /// which would otherwise spread into every feed's and page's
    /// "modified" date. (Only whether the content is valid depends on the
    /// clock; what a valid build writes never does.)
    fn past_date<F>(&mut self, doc: &RawDocument<F>, date: &Spanned<String>) -> PartialDate {
        let parsed = self.date(doc, date);
        let today = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 86_400) as i64;
        // A day of slack for time zones ahead of the build machine's UTC.
        if parsed.first_day_number() > today + 1 {
            doc.report_span(
                self.d,
                date.span(),
                format!(
                    "date {:?} is in the future: it dates something that has already happened (a typo?)",
                    date.get_ref()
                ),
            );
        }
        parsed
    }

    fn date<F>(&mut self, doc: &RawDocument<F>, date: &Spanned<String>) -> PartialDate {
        date.get_ref().parse().unwrap_or_else(|err| {
            doc.report_span(
                self.d,
                date.span(),
                format!("impossible date {:?}: {err}", date.get_ref()),
            );
            PartialDate::ymd(1970, 1, 1).expect("a real date")
        })
    }

    fn document<F>(
        &mut self,
        collection: Collection,
        doc: &RawDocument<F>,
        common: RawCommon<'_>,
        translation: Option<&RawDocument<RawTranslation>>,
    ) -> (Document, Claim) {
        let id = common.id.get_ref();
        self.check_names(collection, doc, common.id);
        for (field, value) in [("title", common.title), ("summary", common.summary)] {
            if value.trim().is_empty() {
                doc.report_span(self.d, common.id.span(), format!("{field} is empty"));
            }
        }
        if common.sources.get_ref().is_empty() {
            doc.report_span(
                self.d,
                common.sources.span(),
                if doc.file.is_from_table() {
                    "at least one source is required: fill in the row's sources (publisher「title」date, page <URL>), or map source columns in the table's mapping ([[sources]])"
                } else {
                    "at least one source is required: add a [[sources]] table with title and date"
                },
            );
        }
        let sources = self.sources(doc, common.sources.get_ref());
        self.scan_links(&doc.file, doc.body_offset, doc.body());
        if let Some(en) = translation {
            self.scan_links(&en.file, en.body_offset, en.body());
        }
        let en = translation;
        let links: BTreeSet<String> = self
            .links
            .iter()
            .map(|l| l.name.split('#').next().unwrap_or_default().to_string())
            .collect();
        let id_claim = Claim {
            name: id.clone(),
            spot: doc.file.spot(doc.front_offset + common.id.span().start),
        };
        let document = Document {
            id: id.clone(),
            title: Text {
                ja: common.title.to_string(),
                en: en.map(|t| t.front.title.clone()),
            },
            summary: Text {
                ja: common.summary.to_string(),
                en: en.and_then(|t| t.front.summary.clone()),
            },
            body: Text {
                ja: doc.body().to_string(),
                en: en.map(|t| t.body().to_string()),
            },
            sources,
            sample: common.sample,
            file: format!("{}/{}.md", collection.dir(), doc.stem),
            links: links.into_iter().collect(),
        };
        (document, id_claim)
    }

    /// Checks a document's id and file name: URL-safe, and the id not one
    /// the site's own pages take.
    fn check_names<F>(
        &mut self,
        collection: Collection,
        doc: &RawDocument<F>,
        id: &Spanned<String>,
    ) {
        let span = id.span();
        let id = id.get_ref();
        if let Err(bad) = routes::check_id(id) {
            let why = match bad {
                routes::BadId::NotSlug => {
                    "ids use only a-z, 0-9 and - (they become URLs)".to_string()
                }
                other => other.to_string(),
            };
            doc.report_span(self.d, span, format!("bad id {id:?}: {why}"));
        } else if routes::reserved_ids(collection).contains(&id.as_str()) {
            doc.report_span(
                self.d,
                span,
                format!(
                    "id {id:?} is taken by the site's own pages at /{}{id}/ (reserved in {}: {})",
                    collection.list_path(),
                    collection.dir(),
                    routes::reserved_ids(collection).join(", ")
                ),
            );
        }
    }

    /// A document's sources, each checked: a usable URL, a known language,
    /// English glosses where the source is Japanese.
    fn sources<F>(&mut self, doc: &RawDocument<F>, sources: &[RawSource]) -> Vec<Source> {
        sources
            .iter()
            .map(|s| {
                if let Some(url) = &s.url
                    && let Err(why) = crate::urls::external(url.get_ref())
                {
                    doc.report_span(
                        self.d,
                        url.span(),
                        format!("source url {:?} is not usable: {why}", url.get_ref()),
                    );
                }
                let lang = match s.lang.as_ref().map(|l| (l, l.get_ref().as_str())) {
                    None | Some((_, "ja")) => Lang::Ja,
                    Some((_, "en")) => Lang::En,
                    Some((l, other)) => {
                        doc.report_span(
                            self.d,
                            l.span(),
                            format!("unknown source language {other:?} (expected one of: ja, en)"),
                        );
                        Lang::Ja
                    }
                };
                Source {
                    lang,
                    title: s.title.clone(),
                    date: self.past_date(doc, &s.date),
                    publisher: s.publisher.clone(),
                    url: s.url.as_ref().map(|u| u.get_ref().clone()),
                    page: s.page.clone(),
                    title_en: gloss(self.d, doc, lang, "title", Some(&s.title), &s.title_en),
                    publisher_en: gloss(
                        self.d,
                        doc,
                        lang,
                        "publisher",
                        s.publisher.as_ref(),
                        &s.publisher_en,
                    ),
                    page_en: gloss(self.d, doc, lang, "page", s.page.as_ref(), &s.page_en),
                }
            })
            .collect()
    }

    /// Checks a body (see [`crate::body_check`]); its internal links
    /// become claims checked later.
    fn scan_links(&mut self, file: &SourceFile, body_offset: usize, body: &str) {
        let links = crate::body_check::scan(file, body_offset, body, self.d);
        self.links
            .extend(links.into_iter().map(|(name, spot)| Claim { name, spot }));
    }

    fn countries_need_international<F>(
        &mut self,
        doc: &RawDocument<F>,
        international: bool,
        countries: &[Spanned<String>],
    ) {
        if let Some(first) = countries.first().filter(|_| !international) {
            doc.report_span(self.d, first.span(), "countries are listed but international = false; set international = true or remove the countries");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostics;

    #[test]
    fn slugs_are_lowercase_ascii_digits_and_hyphens() {
        for good in ["delytact", "apoa2-itq", "2024"] {
            assert!(is_slug(good), "{good}");
        }
        for bad in ["", "Delytact", "a_b", "../x", "a/b", "がん", "a b", "a.md"] {
            assert!(!is_slug(bad), "{bad}");
        }
    }

    #[test]
    fn unknown_taxonomy_tables_and_keys_are_reported() {
        let file = SourceFile::new(
            "content/taxonomies.toml",
            "[modalities.x]\nja = \"x\"\nen = \"x\"\n\n[project_second.drugs]\nja = \"医薬品\"\nen = \"Drugs\"\n\n[project_third.pharma]\nja = \"医薬品\"\nen = \"Pharma\"\nfrom_second = [\"drug\"]\n",
        );
        let raw: RawTaxonomies = toml::from_str(&file.text).unwrap();
        let mut d = Diagnostics::default();
        let taxonomies = check_taxonomies(&file, &raw, &mut d);
        let problems: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems[0],
            "content/taxonomies.toml:1:2: unknown taxonomy [modalities] (expected one of: modality, approval_category, disease_area, project_second, project_third, seed_stage, licensing_status, ppi_activity, country, milestone)"
        );
        assert_eq!(
            problems[1],
            "content/taxonomies.toml:12:16: unknown second-term integrated project \"drug\" (expected one of: drugs)"
        );
        assert!(
            problems.iter().any(
                |p| p.ends_with("missing taxonomy [modality]: add at least one modality entry")
            ),
            "{problems:?}"
        );
        assert_eq!(
            taxonomies.terms(TaxonomyKind::ProjectThird)[0].key,
            "pharma"
        );
    }

    #[test]
    fn synonyms_are_kept_and_one_without_letters_is_reported() {
        let file = SourceFile::new(
            "content/taxonomies.toml",
            "[modality.regenerative]\nja = \"再生・細胞医療\"\nen = \"Regenerative\"\nsynonyms = [\" 再生医療 \", \"cell therapy\", \"・・\"]\n",
        );
        let raw: RawTaxonomies = toml::from_str(&file.text).unwrap();
        let mut d = Diagnostics::default();
        let taxonomies = check_taxonomies(&file, &raw, &mut d);
        let problems: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert_eq!(
            problems[0],
            "content/taxonomies.toml:4:39: synonym \"・・\" has no letter or digit, so search cannot find anything by it"
        );
        assert_eq!(
            taxonomies.terms(TaxonomyKind::Modality)[0].synonyms,
            ["再生医療", "cell therapy"]
        );
    }

    #[test]
    fn taxonomy_keys_follow_the_rules_of_ids_as_they_name_folders() {
        let file = SourceFile::new(
            "content/taxonomies.toml",
            "[modality.con]\nja = \"x\"\nen = \"x\"\n",
        );
        let raw: RawTaxonomies = toml::from_str(&file.text).unwrap();
        let mut d = Diagnostics::default();
        check_taxonomies(&file, &raw, &mut d);
        let problems: Vec<String> = d.into_sorted().iter().map(ToString::to_string).collect();
        assert!(
            problems[0].starts_with("content/taxonomies.toml:1:1: bad key \"con\" in [modality]: "),
            "{problems:?}"
        );
    }
}
