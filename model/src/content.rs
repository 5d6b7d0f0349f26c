//! Records: the checked form of the files under `content/`.
//!
//! A value of these types is always valid: every taxonomy key resolves,
//! every date exists, every id is a safe slug. The generator's validation
//! stage is the only place that builds them from raw front matter.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::{Lang, PartialDate, Taxonomies, Text};

/// A collection of records, one folder under `content/`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Collection {
    /// Regulatory approvals that AMED funding contributed to.
    Approvals,
    /// Case studies of how AMED's support worked.
    Cases,
    /// Key performance indicators.
    Kpis,
    /// The five policy pillars of the third period.
    Pillars,
    /// The integrated projects of the third period.
    Projects,
    /// Research seeds, licensed or open to licensing (samples for now).
    Seeds,
    /// Patient and public involvement activities.
    Ppi,
    /// Free pages such as the organisation profile.
    Pages,
}

impl Collection {
    /// Every collection, in the order of the site's navigation.
    pub const ALL: [Collection; 8] = [
        Collection::Approvals,
        Collection::Cases,
        Collection::Kpis,
        Collection::Pillars,
        Collection::Projects,
        Collection::Seeds,
        Collection::Ppi,
        Collection::Pages,
    ];

    /// The folder under `content/` and the name of the `/data/` files.
    pub fn dir(self) -> &'static str {
        match self {
            Collection::Approvals => "approvals",
            Collection::Cases => "cases",
            Collection::Kpis => "kpis",
            Collection::Pillars => "pillars",
            Collection::Projects => "projects",
            Collection::Seeds => "seeds",
            Collection::Ppi => "ppi",
            Collection::Pages => "pages",
        }
    }

    /// The collection stored in folder `dir`.
    pub fn from_dir(dir: &str) -> Option<Collection> {
        Collection::ALL.into_iter().find(|c| c.dir() == dir)
    }

    /// The site path of a record, without language prefix: `approvals/delytact/`.
    pub fn record_path(self, id: &str) -> String {
        match self {
            Collection::Pillars => format!("policy/pillars/{id}/"),
            Collection::Projects => format!("policy/projects/{id}/"),
            Collection::Pages => format!("{id}/"),
            other => format!("{}/{id}/", other.dir()),
        }
    }

    /// The site path of the collection's list page, without language prefix.
    pub fn list_path(self) -> &'static str {
        match self {
            Collection::Pillars | Collection::Projects => "policy/",
            Collection::Pages => "",
            Collection::Approvals => "approvals/",
            Collection::Cases => "cases/",
            Collection::Kpis => "kpis/",
            Collection::Seeds => "seeds/",
            Collection::Ppi => "ppi/",
        }
    }

    /// The collection's name for readers.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Collection::Approvals, Lang::Ja) => "薬事承認",
            (Collection::Approvals, Lang::En) => "Approvals",
            (Collection::Cases, Lang::Ja) => "事例",
            (Collection::Cases, Lang::En) => "Case studies",
            (Collection::Kpis, Lang::Ja) => "成果指標",
            (Collection::Kpis, Lang::En) => "Key figures",
            (Collection::Pillars, Lang::Ja) => "運営方針",
            (Collection::Pillars, Lang::En) => "Policy pillars",
            (Collection::Projects, Lang::Ja) => "統合プロジェクト",
            (Collection::Projects, Lang::En) => "Integrated projects",
            (Collection::Seeds, Lang::Ja) => "研究シーズ",
            (Collection::Seeds, Lang::En) => "Research seeds",
            (Collection::Ppi, Lang::Ja) => "患者・市民参画",
            (Collection::Ppi, Lang::En) => "Patient and public involvement",
            (Collection::Pages, Lang::Ja) => "ページ",
            (Collection::Pages, Lang::En) => "Pages",
        }
    }
}

/// Where a fact comes from. Every record cites at least one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Title of the cited document.
    pub title: String,
    /// Date of the cited document.
    pub date: PartialDate,
    /// Who published it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// Where it can be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Page or slide within the document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    /// The document's language (of its title, publisher and page).
    #[serde(default, skip_serializing_if = "Lang::is_japanese")]
    pub lang: Lang,
    /// An English gloss of a Japanese title, shown beside it on English pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title_en: Option<String>,
    /// An English gloss of a Japanese publisher's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publisher_en: Option<String>,
    /// An English gloss of a Japanese page or section name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page_en: Option<String>,
}

impl Source {
    /// The English gloss `part` (one of this source's `*_en` fields) as a
    /// reader of `lang` sees it: only English readers of a Japanese source.
    pub fn gloss<'a>(&self, lang: Lang, part: &'a Option<String>) -> Option<&'a str> {
        part.as_deref()
            .filter(|_| lang == Lang::En && self.lang == Lang::Ja)
    }
}

/// What every record has: identity, bilingual text and sources.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Document {
    /// The record's id: a slug of `[a-z0-9-]`, unique in its collection.
    pub id: String,
    /// Title in both languages.
    pub title: Text,
    /// One- or two-sentence summary.
    pub summary: Text,
    /// Markdown body.
    pub body: Text,
    /// Cited sources, at least one.
    pub sources: Vec<Source>,
    /// Illustrative data, not facts: labelled as sample data wherever shown.
    pub sample: bool,
    /// The Japanese file, relative to the content folder (for error messages).
    pub file: String,
    /// The content files its bodies link to (`@/approvals/x.md` → `approvals/x.md`),
    /// sorted and without duplicates: the records whose address it shows.
    pub links: Vec<String>,
}

/// A dated regulatory event of an approved product.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Milestone {
    /// When it happened.
    pub date: PartialDate,
    /// A `milestone` taxonomy key.
    pub kind: String,
}

/// A regulatory approval that AMED-funded research led to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Approval {
    /// Identity and text.
    pub doc: Document,
    /// Date of the (first) approval.
    pub approved: PartialDate,
    /// `approval_category` key.
    pub category: String,
    /// `modality` keys.
    pub modality: Vec<String>,
    /// `disease_area` keys.
    pub disease: Vec<String>,
    /// `project_second` keys of the integrated projects behind it.
    pub projects: Vec<String>,
    /// Whether development involved international collaboration.
    pub international: bool,
    /// `country` keys of partner countries.
    pub countries: Vec<String>,
    /// Approved with conditions and a time limit.
    pub conditional: bool,
    /// Every dated regulatory event, oldest first.
    pub milestones: Vec<Milestone>,
}

/// A case study of how AMED support worked.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CaseStudy {
    /// Identity and text.
    pub doc: Document,
    /// `project_second` keys.
    pub projects: Vec<String>,
    /// Ids of related approvals.
    pub approvals: Vec<String>,
}

/// The group a KPI belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum KpiGroup {
    /// Results of the second medium/long-term period.
    SecondTerm,
    /// COVID-19 related approvals.
    #[serde(rename = "covid-19")]
    Covid19,
}

impl KpiGroup {
    /// Every group, in display order.
    pub const ALL: [KpiGroup; 2] = [KpiGroup::SecondTerm, KpiGroup::Covid19];

    /// The group's heading.
    pub fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (KpiGroup::SecondTerm, Lang::Ja) => {
                "第2期中長期目標期間の主な成果（2023年度末までの実績）"
            }
            (KpiGroup::SecondTerm, Lang::En) => {
                "Main results of the second medium/long-term period (to the end of FY2023)"
            }
            (KpiGroup::Covid19, Lang::Ja) => "新型コロナウイルス感染症関係の承認",
            (KpiGroup::Covid19, Lang::En) => "COVID-19 related approvals",
        }
    }

    /// The key used in content and data files.
    pub fn key(self) -> &'static str {
        match self {
            KpiGroup::SecondTerm => "second-term",
            KpiGroup::Covid19 => "covid-19",
        }
    }
}

/// A key figure.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Kpi {
    /// Identity and text.
    pub doc: Document,
    /// The count.
    pub value: u64,
    /// Which group it belongs to.
    pub group: KpiGroup,
    /// The date the figure stands at.
    pub as_of: Option<PartialDate>,
    /// Position within its group.
    pub order: u32,
    /// Shown on the home page.
    pub headline: bool,
    /// The collection whose records are a selection of what it counts.
    pub total_of: Option<Collection>,
}

/// A third-period policy pillar.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Pillar {
    /// Identity and text.
    pub doc: Document,
    /// Its number, 1–5.
    pub number: u32,
}

/// A third-period integrated project.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Project {
    /// Identity and text.
    pub doc: Document,
    /// The `project_third` key it describes.
    pub project: String,
}

/// A research seed available for licensing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Seed {
    /// Identity and text.
    pub doc: Document,
    /// `modality` keys.
    pub modality: Vec<String>,
    /// `disease_area` keys.
    pub disease: Vec<String>,
    /// `seed_stage` key.
    pub stage: String,
    /// `licensing_status` key.
    pub licensing: String,
    /// Whether it involves international collaboration.
    pub international: bool,
    /// `country` keys.
    pub countries: Vec<String>,
}

/// A patient and public involvement activity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PpiActivity {
    /// Identity and text.
    pub doc: Document,
    /// `ppi_activity` key.
    pub activity: String,
    /// `disease_area` keys.
    pub disease: Vec<String>,
    /// When it takes (or took) place.
    pub date: PartialDate,
    /// Where, as free text: in Japanese, and in English where the
    /// editor gave it (`location_en`).
    pub location: Option<Text>,
}

/// A free page such as the organisation profile.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Page {
    /// Identity and text.
    pub doc: Document,
}

/// Site settings from `content/site.toml`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Site {
    /// Absolute URL the site is deployed at, ending in `/`.
    pub base_url: String,
    /// The site's name.
    pub title: Text,
    /// One-line description for search engines and feeds.
    pub description: Text,
    /// The licence of the site's text and open data.
    pub license: License,
}

/// The licence the site's pages and data files are offered under.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct License {
    /// Short identifier, e.g. `PDL-1.0`.
    pub id: String,
    /// Its name in each language.
    pub name: Text,
    /// Where its text is published.
    pub url: String,
}

impl Default for License {
    /// The Public Data License 1.0 of Japan's Digital Agency, compatible
    /// with CC BY 4.0: the licence Japanese public bodies publish data under.
    fn default() -> Self {
        License {
            id: "PDL-1.0".into(),
            name: Text::new(
                "公共データ利用規約（第1.0版）",
                "Public Data License (Version 1.0)",
            ),
            url: "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0".into(),
        }
    }
}

impl Site {
    /// The path part of the base URL (`/` or `/amed/`), for root-relative links.
    pub fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(scheme) => {
                let rest = &self.base_url[scheme + 3..];
                rest.find('/').map_or("/", |slash| &rest[slash..])
            }
            None => &self.base_url,
        }
    }
}

/// All content of the site, checked. Records are shared (`Arc`) so that a
/// live preview can assemble a new library from unchanged records cheaply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Library {
    /// Site settings.
    pub site: Site,
    /// Every taxonomy.
    pub taxonomies: Taxonomies,
    /// Approvals, newest first.
    pub approvals: Vec<Arc<Approval>>,
    /// Case studies, by id.
    pub cases: Vec<Arc<CaseStudy>>,
    /// KPIs, by group and order.
    pub kpis: Vec<Arc<Kpi>>,
    /// Pillars, by number.
    pub pillars: Vec<Arc<Pillar>>,
    /// Integrated projects, in taxonomy order.
    pub projects: Vec<Arc<Project>>,
    /// Seeds, by id.
    pub seeds: Vec<Arc<Seed>>,
    /// PPI activities, newest first.
    pub ppi: Vec<Arc<PpiActivity>>,
    /// Free pages, by id.
    pub pages: Vec<Arc<Page>>,
    /// [`Library::content_date`], once known (a pass over every source).
    content_date: KnownDate,
}

/// A library's content date, once known; forgotten when records come or
/// go. Not part of what makes two libraries equal.
#[derive(Clone, Debug, Default)]
struct KnownDate(std::sync::OnceLock<Option<PartialDate>>);

impl PartialEq for KnownDate {
    fn eq(&self, _: &KnownDate) -> bool {
        true
    }
}

impl Eq for KnownDate {}

impl Library {
    /// The date the content stands at: the newest date of any cited source.
    /// Derived from the content, not the clock, so builds stay reproducible.
    pub fn content_date(&self) -> Option<PartialDate> {
        *self.content_date.0.get_or_init(|| {
            self.documents()
                .flat_map(|(_, d)| d.sources.iter().map(|s| s.date))
                .max()
        })
    }

    /// Every record's document with its collection.
    pub fn documents(&self) -> impl Iterator<Item = (Collection, &Document)> {
        let a = self
            .approvals
            .iter()
            .map(|r| (Collection::Approvals, &r.doc));
        let c = self.cases.iter().map(|r| (Collection::Cases, &r.doc));
        let k = self.kpis.iter().map(|r| (Collection::Kpis, &r.doc));
        let pi = self.pillars.iter().map(|r| (Collection::Pillars, &r.doc));
        let pr = self.projects.iter().map(|r| (Collection::Projects, &r.doc));
        let s = self.seeds.iter().map(|r| (Collection::Seeds, &r.doc));
        let pp = self.ppi.iter().map(|r| (Collection::Ppi, &r.doc));
        let pg = self.pages.iter().map(|r| (Collection::Pages, &r.doc));
        a.chain(c)
            .chain(k)
            .chain(pi)
            .chain(pr)
            .chain(s)
            .chain(pp)
            .chain(pg)
    }
}

/// A record of any collection, shared.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Record {
    /// An approval.
    Approval(Arc<Approval>),
    /// A case study.
    Case(Arc<CaseStudy>),
    /// A KPI.
    Kpi(Arc<Kpi>),
    /// A policy pillar.
    Pillar(Arc<Pillar>),
    /// An integrated project.
    Project(Arc<Project>),
    /// A seed.
    Seed(Arc<Seed>),
    /// A PPI activity.
    Ppi(Arc<PpiActivity>),
    /// A free page.
    Page(Arc<Page>),
}

impl Record {
    /// Whether both are the same shared record (not merely equal): what
    /// lets an incremental build skip records an edit did not replace.
    pub fn is_same(&self, other: &Record) -> bool {
        match (self, other) {
            (Record::Approval(x), Record::Approval(y)) => Arc::ptr_eq(x, y),
            (Record::Case(x), Record::Case(y)) => Arc::ptr_eq(x, y),
            (Record::Kpi(x), Record::Kpi(y)) => Arc::ptr_eq(x, y),
            (Record::Pillar(x), Record::Pillar(y)) => Arc::ptr_eq(x, y),
            (Record::Project(x), Record::Project(y)) => Arc::ptr_eq(x, y),
            (Record::Seed(x), Record::Seed(y)) => Arc::ptr_eq(x, y),
            (Record::Ppi(x), Record::Ppi(y)) => Arc::ptr_eq(x, y),
            (Record::Page(x), Record::Page(y)) => Arc::ptr_eq(x, y),
            _ => false,
        }
    }

    /// Identity, text and sources.
    pub fn doc(&self) -> &Document {
        match self {
            Record::Approval(r) => &r.doc,
            Record::Case(r) => &r.doc,
            Record::Kpi(r) => &r.doc,
            Record::Pillar(r) => &r.doc,
            Record::Project(r) => &r.doc,
            Record::Seed(r) => &r.doc,
            Record::Ppi(r) => &r.doc,
            Record::Page(r) => &r.doc,
        }
    }

    /// The collection it belongs to.
    pub fn collection(&self) -> Collection {
        match self {
            Record::Approval(_) => Collection::Approvals,
            Record::Case(_) => Collection::Cases,
            Record::Kpi(_) => Collection::Kpis,
            Record::Pillar(_) => Collection::Pillars,
            Record::Project(_) => Collection::Projects,
            Record::Seed(_) => Collection::Seeds,
            Record::Ppi(_) => Collection::Ppi,
            Record::Page(_) => Collection::Pages,
        }
    }
}

impl Library {
    /// An empty library with these settings.
    pub fn new(site: Site, taxonomies: Taxonomies) -> Library {
        Library {
            site,
            taxonomies,
            approvals: vec![],
            cases: vec![],
            kpis: vec![],
            pillars: vec![],
            projects: vec![],
            seeds: vec![],
            ppi: vec![],
            pages: vec![],
            content_date: KnownDate::default(),
        }
    }

    /// The number of records of `collection`.
    pub fn count(&self, collection: Collection) -> usize {
        match collection {
            Collection::Approvals => self.approvals.len(),
            Collection::Cases => self.cases.len(),
            Collection::Kpis => self.kpis.len(),
            Collection::Pillars => self.pillars.len(),
            Collection::Projects => self.projects.len(),
            Collection::Seeds => self.seeds.len(),
            Collection::Ppi => self.ppi.len(),
            Collection::Pages => self.pages.len(),
        }
    }

    /// Adds a record to its collection; call [`Library::sort`] when done.
    pub fn insert(&mut self, record: Record) {
        self.content_date = KnownDate::default();
        match record {
            Record::Approval(r) => self.approvals.push(r),
            Record::Case(r) => self.cases.push(r),
            Record::Kpi(r) => self.kpis.push(r),
            Record::Pillar(r) => self.pillars.push(r),
            Record::Project(r) => self.projects.push(r),
            Record::Seed(r) => self.seeds.push(r),
            Record::Ppi(r) => self.ppi.push(r),
            Record::Page(r) => self.pages.push(r),
        }
    }

    /// Puts `new` where `old` is (the same shared record) and restores
    /// the display order of its collection. Returns whether `old` was
    /// there.
    pub fn replace(&mut self, old: &Record, new: Record) -> bool {
        fn swap<T>(records: &mut [Arc<T>], old: &Arc<T>, new: Arc<T>) -> bool {
            match records.iter_mut().find(|r| Arc::ptr_eq(r, old)) {
                Some(slot) => {
                    *slot = new;
                    true
                }
                None => false,
            }
        }
        let replaced = match (old, new) {
            (Record::Approval(o), Record::Approval(n)) => swap(&mut self.approvals, o, n),
            (Record::Case(o), Record::Case(n)) => swap(&mut self.cases, o, n),
            (Record::Kpi(o), Record::Kpi(n)) => swap(&mut self.kpis, o, n),
            (Record::Pillar(o), Record::Pillar(n)) => swap(&mut self.pillars, o, n),
            (Record::Project(o), Record::Project(n)) => swap(&mut self.projects, o, n),
            (Record::Seed(o), Record::Seed(n)) => swap(&mut self.seeds, o, n),
            (Record::Ppi(o), Record::Ppi(n)) => swap(&mut self.ppi, o, n),
            (Record::Page(o), Record::Page(n)) => swap(&mut self.pages, o, n),
            _ => false,
        };
        if replaced {
            self.content_date = KnownDate::default();
            self.sort();
        }
        replaced
    }

    /// The position of `record` (the same shared record) in its
    /// collection's display order.
    pub fn position(&self, record: &Record) -> Option<usize> {
        fn find<T>(records: &[Arc<T>], record: &Arc<T>) -> Option<usize> {
            records.iter().position(|r| Arc::ptr_eq(r, record))
        }
        match record {
            Record::Approval(r) => find(&self.approvals, r),
            Record::Case(r) => find(&self.cases, r),
            Record::Kpi(r) => find(&self.kpis, r),
            Record::Pillar(r) => find(&self.pillars, r),
            Record::Project(r) => find(&self.projects, r),
            Record::Seed(r) => find(&self.seeds, r),
            Record::Ppi(r) => find(&self.ppi, r),
            Record::Page(r) => find(&self.pages, r),
        }
    }

    /// Every record, collection by collection, in display order.
    pub fn records(&self) -> impl Iterator<Item = Record> + '_ {
        let a = self.approvals.iter().cloned().map(Record::Approval);
        let c = self.cases.iter().cloned().map(Record::Case);
        let k = self.kpis.iter().cloned().map(Record::Kpi);
        let pi = self.pillars.iter().cloned().map(Record::Pillar);
        let pr = self.projects.iter().cloned().map(Record::Project);
        let s = self.seeds.iter().cloned().map(Record::Seed);
        let pp = self.ppi.iter().cloned().map(Record::Ppi);
        let pg = self.pages.iter().cloned().map(Record::Page);
        a.chain(c)
            .chain(k)
            .chain(pi)
            .chain(pr)
            .chain(s)
            .chain(pp)
            .chain(pg)
    }

    /// Puts every collection in its display order: approvals and PPI
    /// newest first, KPIs by group and position, pillars by number,
    /// projects in taxonomy order, the rest by id.
    pub fn sort(&mut self) {
        self.approvals.sort_by(|a, b| {
            b.approved
                .cmp(&a.approved)
                .then_with(|| a.doc.id.cmp(&b.doc.id))
        });
        self.cases.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
        self.kpis
            .sort_by(|a, b| (a.group, a.order, &a.doc.id).cmp(&(b.group, b.order, &b.doc.id)));
        self.pillars
            .sort_by(|a, b| (a.number, &a.doc.id).cmp(&(b.number, &b.doc.id)));
        let thirds = self.taxonomies.terms(crate::TaxonomyKind::ProjectThird);
        let position = |key: &str| thirds.iter().position(|t| t.key == key);
        self.projects.sort_by(|a, b| {
            (position(&a.project), &a.doc.id).cmp(&(position(&b.project), &b.doc.id))
        });
        self.seeds.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
        self.ppi
            .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.doc.id.cmp(&b.doc.id)));
        self.pages.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    }
}
