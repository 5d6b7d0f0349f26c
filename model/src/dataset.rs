//! The published form of a collection: the contract between the generator
//! and the explorer.
//!
//! The generator writes one [`Dataset`] per collection to
//! `/data/<collection>.json`; the explorer fetches and decodes that very
//! file. Facets are declared here, per collection, so both sides agree on
//! what can be filtered and how each record is classified.

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::{Collection, Document, Lang, Library, PartialDate, Source, TaxonomyKind, Text};

/// A collection as published: facets with their options, and every record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Dataset {
    /// Which collection this is.
    pub collection: Collection,
    /// The date the content stands at (newest cited source).
    pub content_date: Option<PartialDate>,
    /// The licence the records are offered under.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub license: Option<crate::License>,
    /// The facets records can be filtered by, in display order.
    pub facets: Vec<FacetSpec>,
    /// Extra columns of the collection, in export order.
    pub fields: Vec<FieldSpec>,
    /// The records, shared (a live preview's save replaces a few of
    /// 100,000 without copying the rest).
    pub records: Vec<std::sync::Arc<Entry>>,
}

/// How a facet classifies records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FacetKind {
    /// Records carry their keys in [`Entry::facets`].
    Terms,
    /// `upcoming` or `past`, from the record's date and today's date; not
    /// stored, because it changes while the published file does not.
    Timing,
}

/// A facet: a named dimension with a fixed list of options.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FacetSpec {
    /// The facet's id, also its URL query key: `modality`, `disease`…
    pub id: String,
    /// The facet's name (a fieldset legend).
    pub label: Text,
    /// How records are classified.
    pub kind: FacetKind,
    /// Every option, in display order, used or not.
    pub options: Vec<FacetOption>,
}

/// One option of a facet.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FacetOption {
    /// The key, as in the URL query.
    pub key: String,
    /// The option's label.
    pub label: Text,
    /// Other words for it that search knows ([`crate::taxonomy::Term::synonyms`]).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub synonyms: Vec<String>,
}

/// An extra column of a collection (e.g. a KPI's value).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FieldSpec {
    /// Column id.
    pub id: String,
    /// Column heading.
    pub label: Text,
    /// What its values are.
    pub kind: FieldKind,
}

/// The type of an extra column, as data packages and the data dictionary
/// describe it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FieldKind {
    /// Free text.
    Text,
    /// A whole number, a JSON number.
    Integer,
    /// Yes or no: JSON `true`/`false`, CSV `yes`/`no`.
    Boolean,
    /// An ISO 8601 date of year, month or day precision.
    Date,
    /// Several values, `;`-separated.
    List,
}

/// The value of an extra column.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(untagged)]
pub enum FieldValue {
    /// [`FieldKind::Boolean`].
    Boolean(bool),
    /// [`FieldKind::Integer`].
    Integer(u64),
    /// Every other kind.
    Text(String),
}

impl FieldValue {
    /// The value as a CSV cell.
    pub fn to_cell(&self) -> String {
        match self {
            FieldValue::Boolean(b) => if *b { "yes" } else { "no" }.into(),
            FieldValue::Integer(n) => n.to_string(),
            FieldValue::Text(t) => t.clone(),
        }
    }
}

impl From<String> for FieldValue {
    fn from(text: String) -> Self {
        FieldValue::Text(text)
    }
}

/// A taxonomy key with its labels, as published with every record so the
/// open data is readable without the taxonomy file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Label {
    /// The taxonomy key.
    pub key: String,
    /// Japanese label.
    pub ja: String,
    /// English label.
    pub en: String,
}

/// One record as published.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Entry {
    /// The record's id.
    pub id: String,
    /// Site path without language prefix, e.g. `approvals/delytact/`.
    pub path: String,
    /// Absolute URL of the record's page in each language.
    pub url: Text,
    /// Title.
    pub title: Text,
    /// Summary.
    pub summary: Text,
    /// The record's main date (approval, event, as-of), if it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date: Option<PartialDate>,
    /// Sample data, not facts.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub sample: bool,
    /// Facet values, by facet id (only [`FacetKind::Terms`] facets).
    pub facets: BTreeMap<String, Vec<Label>>,
    /// Extra column values, by field id.
    #[serde(skip_serializing_if = "BTreeMap::is_empty", default)]
    pub fields: BTreeMap<String, FieldValue>,
    /// Cited sources.
    pub sources: Vec<Source>,
}

impl Entry {
    /// The keys of `facet` this record carries.
    pub fn keys<'a>(&'a self, facet: &str) -> impl Iterator<Item = &'a str> + 'a {
        self.facets
            .get(facet)
            .into_iter()
            .flatten()
            .map(|l| l.key.as_str())
    }

    /// The labels shown under the record's title in a result list, in
    /// facet and option order: every term except international collaboration, which
    /// shows as `international` when present and not at all otherwise.
    pub fn tags(&self, facets: &[FacetSpec], lang: Lang, international: &str) -> Vec<String> {
        let mut tags = Vec::new();
        for spec in facets.iter().filter(|f| f.kind == FacetKind::Terms) {
            let Some(labels) = self.facets.get(&spec.id) else {
                continue;
            };
            // In the facet's option order, as the explorer lists them.
            let mut labels: Vec<&Label> = labels.iter().collect();
            if labels.len() > 1 {
                labels.sort_by_cached_key(|l| spec.options.iter().position(|o| o.key == l.key));
            }
            for label in labels {
                match (spec.id.as_str(), label.key.as_str()) {
                    (facet::INTERNATIONAL, "yes") => tags.push(international.to_string()),
                    (facet::INTERNATIONAL, _) => {}
                    _ => {
                        let text = if lang == Lang::Ja {
                            &label.ja
                        } else {
                            &label.en
                        };
                        let tag = distinct_tag(spec, text, &tags, lang);
                        tags.push(tag);
                    }
                }
            }
        }
        tags
    }
}

/// A result's tag for option `label` of facet `spec`: the label, or, when
/// an earlier tag already reads the same (医療機器 is both a modality and an
/// approval category), the label after its facet's name, so that the two
/// are told apart: `承認区分：医療機器`.
pub fn distinct_tag(spec: &FacetSpec, label: &str, earlier: &[String], lang: Lang) -> String {
    if earlier.iter().any(|t| t == label) {
        let separator = if lang == Lang::Ja { "：" } else { ": " };
        format!("{}{separator}{label}", spec.label.get(lang))
    } else {
        label.to_string()
    }
}

/// Facet ids, as used in URLs and data files.
pub mod facet {
    /// Modality.
    pub const MODALITY: &str = "modality";
    /// Approval category.
    pub const CATEGORY: &str = "category";
    /// Disease area.
    pub const DISEASE: &str = "disease";
    /// International collaboration, `yes` or `no`.
    pub const INTERNATIONAL: &str = "intl";
    /// Partner country.
    pub const COUNTRY: &str = "country";
    /// Integrated project (second term).
    pub const PROJECT: &str = "project";
    /// Seed development stage.
    pub const STAGE: &str = "stage";
    /// Seed licensing status.
    pub const LICENSING: &str = "licensing";
    /// PPI activity type.
    pub const ACTIVITY: &str = "activity";
    /// PPI timing, `upcoming` or `past`.
    pub const TIMING: &str = "timing";
    /// The timing option of events from today on (the other is `past`).
    pub const UPCOMING: &str = "upcoming";
    /// KPI group.
    pub const GROUP: &str = "group";

    /// Facets whose values are this portal's own classification: the cited
    /// sources do not classify records this way (the approval category,
    /// by contrast, is the heading the source lists an approval under).
    /// Pages, the data dictionary and the data package say so wherever
    /// these values are shown.
    pub const PORTAL_CLASSIFIED: [&str; 3] = [MODALITY, DISEASE, PROJECT];

    /// Whether facet `id`'s values are this portal's own classification.
    pub fn is_portal_classified(id: &str) -> bool {
        PORTAL_CLASSIFIED.contains(&id)
    }

    /// The name of facet `id` in both languages, the same in every collection.
    pub fn label(id: &str) -> crate::Text {
        let (ja, en) = match id {
            MODALITY => ("モダリティ", "Modality"),
            CATEGORY => ("承認区分", "Approval category"),
            DISEASE => ("疾患領域", "Disease area"),
            INTERNATIONAL => ("国際共同研究", "International collaboration"),
            COUNTRY => ("連携国", "Partner country"),
            PROJECT => ("統合プロジェクト（第2期）", "Integrated project (2nd term)"),
            STAGE => ("開発段階", "Development stage"),
            LICENSING => ("導出状況", "Licensing status"),
            ACTIVITY => ("活動の種類", "Activity type"),
            TIMING => ("開催時期", "When"),
            GROUP => ("区分", "Group"),
            other => (other, other),
        };
        crate::Text::new(ja, en)
    }
}

struct Builder<'a> {
    library: &'a Library,
    collection: Collection,
    content_date: Option<PartialDate>,
    facets: Vec<FacetSpec>,
    fields: Vec<FieldSpec>,
    records: Vec<Entry>,
}

impl<'a> Builder<'a> {
    fn new(
        library: &'a Library,
        collection: Collection,
        content_date: Option<PartialDate>,
    ) -> Self {
        Builder {
            library,
            collection,
            content_date,
            facets: vec![],
            fields: vec![],
            records: vec![],
        }
    }

    fn taxonomy_facet(mut self, id: &str, kind: TaxonomyKind) -> Self {
        let label = facet::label(id);
        let options = self
            .library
            .taxonomies
            .terms(kind)
            .iter()
            .map(|t| FacetOption {
                key: t.key.clone(),
                label: t.label.clone(),
                synonyms: t.synonyms.clone(),
            })
            .collect();
        self.facets.push(FacetSpec {
            id: id.into(),
            label,
            kind: FacetKind::Terms,
            options,
        });
        self
    }

    fn fixed_facet(mut self, id: &str, kind: FacetKind, options: &[(&str, Text)]) -> Self {
        let label = facet::label(id);
        let options = options
            .iter()
            .map(|(k, l)| FacetOption {
                key: (*k).into(),
                label: l.clone(),
                synonyms: Vec::new(),
            })
            .collect();
        self.facets.push(FacetSpec {
            id: id.into(),
            label,
            kind,
            options,
        });
        self
    }

    fn field(mut self, id: &str, label: Text, kind: FieldKind) -> Self {
        self.fields.push(FieldSpec {
            id: id.into(),
            label,
            kind,
        });
        self
    }

    fn entry(&self, doc: &Document, date: Option<PartialDate>) -> Entry {
        let path = self.collection.record_path(&doc.id);
        let base = &self.library.site.base_url;
        Entry {
            id: doc.id.clone(),
            url: Text::new(format!("{base}{path}"), format!("{base}en/{path}")),
            path,
            title: doc.title.clone(),
            summary: doc.summary.clone(),
            date,
            sample: doc.sample,
            facets: BTreeMap::new(),
            fields: BTreeMap::new(),
            sources: doc.sources.clone(),
        }
    }

    fn labels(&self, kind: TaxonomyKind, keys: &[String]) -> Vec<Label> {
        keys.iter()
            .map(|key| {
                let label = self.library.taxonomies.label(kind, key);
                Label {
                    key: key.clone(),
                    ja: label.ja.clone(),
                    en: label.get(Lang::En).into(),
                }
            })
            .collect()
    }

    /// International collaboration as the sources state it: `yes` where a
    /// cited source says so, `no` where none does (which is not a statement
    /// that there was none).
    fn yes_no(&self, value: bool) -> Vec<Label> {
        let [yes, no] = yes_no_options();
        let (key, label) = if value { yes } else { no };
        vec![Label {
            key: key.into(),
            ja: label.ja.clone(),
            en: label.get(Lang::En).into(),
        }]
    }

    fn finish(self) -> Dataset {
        Dataset {
            collection: self.collection,
            content_date: self.content_date,
            license: Some(self.library.site.license.clone()),
            facets: self.facets,
            fields: self.fields,
            records: self.records.into_iter().map(std::sync::Arc::new).collect(),
        }
    }
}

fn yes_no_options() -> [(&'static str, Text); 2] {
    [
        ("yes", Text::new("あり", "Yes")),
        ("no", Text::new("記載なし", "Not stated")),
    ]
}

fn join(values: &[String]) -> String {
    values.join(";")
}

/// The records of `part` of `items` (clamped to what there is).
fn part_of<'x, T>(items: &'x [T], part: &Range<usize>) -> &'x [T] {
    let end = part.end.min(items.len());
    &items[part.start.min(end)..end]
}

impl Dataset {
    /// The published dataset of `collection`.
    pub fn from_library(library: &Library, collection: Collection) -> Dataset {
        Dataset::from_library_part(library, collection, 0..usize::MAX, library.content_date())
    }

    /// The published dataset of `collection` with only the records at
    /// positions `part` of that collection, dated `content_date`: parts
    /// built side by side and joined in order equal the whole dataset.
    pub fn from_library_part(
        library: &Library,
        collection: Collection,
        part: Range<usize>,
        content_date: Option<PartialDate>,
    ) -> Dataset {
        let b = Builder::new(library, collection, content_date);
        let part = &part;
        match collection {
            Collection::Approvals => approvals(b, library, part),
            Collection::Seeds => seeds(b, library, part),
            Collection::Ppi => ppi(b, library, part),
            Collection::Cases => cases(b, library, part),
            Collection::Kpis => kpis(b, library, part),
            Collection::Pillars => pillars(b, library, part),
            Collection::Projects => projects(b, library, part),
            Collection::Pages => pages(b, library, part),
        }
    }

    /// The same dataset holding only the records at `indices`, in that order:
    /// what the explorer downloads for a filtered view.
    pub fn subset(&self, indices: &[u32]) -> Dataset {
        Dataset {
            collection: self.collection,
            content_date: self.content_date,
            license: self.license.clone(),
            facets: self.facets.clone(),
            fields: self.fields.clone(),
            records: indices
                .iter()
                .map(|&i| self.records[i as usize].clone())
                .collect(),
        }
    }
}

/// Approvals: modality, category, disease area, international
/// collaboration, country and second-term project; conditional approval
/// and milestones.
fn approvals(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use TaxonomyKind as T;
    use facet::*;
    let mut b = b
        .taxonomy_facet(MODALITY, T::Modality)
        .taxonomy_facet(CATEGORY, T::ApprovalCategory)
        .taxonomy_facet(DISEASE, T::DiseaseArea)
        .fixed_facet(INTERNATIONAL, FacetKind::Terms, &yes_no_options())
        .taxonomy_facet(COUNTRY, T::Country)
        .taxonomy_facet(PROJECT, T::ProjectSecond)
        .field(
            "conditional",
            Text::new("条件及び期限付承認", "Conditional, time-limited approval"),
            FieldKind::Boolean,
        )
        .field(
            "milestones",
            Text::new("経緯", "Milestones"),
            FieldKind::List,
        );
    for a in part_of(&library.approvals, part) {
        let mut e = b.entry(&a.doc, Some(a.approved));
        e.facets
            .insert(MODALITY.into(), b.labels(T::Modality, &a.modality));
        e.facets.insert(
            CATEGORY.into(),
            b.labels(T::ApprovalCategory, std::slice::from_ref(&a.category)),
        );
        e.facets
            .insert(DISEASE.into(), b.labels(T::DiseaseArea, &a.disease));
        e.facets
            .insert(INTERNATIONAL.into(), b.yes_no(a.international));
        e.facets
            .insert(COUNTRY.into(), b.labels(T::Country, &a.countries));
        e.facets
            .insert(PROJECT.into(), b.labels(T::ProjectSecond, &a.projects));
        e.fields
            .insert("conditional".into(), FieldValue::Boolean(a.conditional));
        let milestones: Vec<String> = a
            .milestones
            .iter()
            .map(|m| format!("{} {}", m.date, m.kind))
            .collect();
        e.fields
            .insert("milestones".into(), join(&milestones).into());
        b.records.push(e);
    }
    b.finish()
}

/// Research seeds: modality, disease area, stage, licensing, international
/// collaboration and country.
fn seeds(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use TaxonomyKind as T;
    use facet::*;
    let mut b = b
        .taxonomy_facet(MODALITY, T::Modality)
        .taxonomy_facet(DISEASE, T::DiseaseArea)
        .taxonomy_facet(STAGE, T::SeedStage)
        .taxonomy_facet(LICENSING, T::LicensingStatus)
        .fixed_facet(INTERNATIONAL, FacetKind::Terms, &yes_no_options())
        .taxonomy_facet(COUNTRY, T::Country);
    for s in part_of(&library.seeds, part) {
        let mut e = b.entry(&s.doc, None);
        e.facets
            .insert(MODALITY.into(), b.labels(T::Modality, &s.modality));
        e.facets
            .insert(DISEASE.into(), b.labels(T::DiseaseArea, &s.disease));
        e.facets.insert(
            STAGE.into(),
            b.labels(T::SeedStage, std::slice::from_ref(&s.stage)),
        );
        e.facets.insert(
            LICENSING.into(),
            b.labels(T::LicensingStatus, std::slice::from_ref(&s.licensing)),
        );
        e.facets
            .insert(INTERNATIONAL.into(), b.yes_no(s.international));
        e.facets
            .insert(COUNTRY.into(), b.labels(T::Country, &s.countries));
        b.records.push(e);
    }
    b.finish()
}

/// PPI activities: activity, disease area and timing; the location.
fn ppi(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use TaxonomyKind as T;
    use facet::*;
    let mut b = b
        .taxonomy_facet(ACTIVITY, T::PpiActivity)
        .taxonomy_facet(DISEASE, T::DiseaseArea)
        .fixed_facet(
            TIMING,
            FacetKind::Timing,
            &[
                (UPCOMING, Text::new("今後の予定", "Upcoming")),
                ("past", Text::new("終了", "Past")),
            ],
        )
        .field("location", Text::new("場所", "Location"), FieldKind::Text)
        .field(
            "location_en",
            Text::new("場所（英語）", "Location in English"),
            FieldKind::Text,
        );
    for p in part_of(&library.ppi, part) {
        let mut e = b.entry(&p.doc, Some(p.date));
        e.facets.insert(
            ACTIVITY.into(),
            b.labels(T::PpiActivity, std::slice::from_ref(&p.activity)),
        );
        e.facets
            .insert(DISEASE.into(), b.labels(T::DiseaseArea, &p.disease));
        let location = p.location.as_ref();
        e.fields.insert(
            "location".into(),
            location.map(|l| l.ja.clone()).unwrap_or_default().into(),
        );
        e.fields.insert(
            "location_en".into(),
            location
                .and_then(|l| l.en.clone())
                .unwrap_or_default()
                .into(),
        );
        b.records.push(e);
    }
    b.finish()
}

/// Case studies: second-term project; the approvals they relate to.
fn cases(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use TaxonomyKind as T;
    use facet::*;
    let mut b = b.taxonomy_facet(PROJECT, T::ProjectSecond).field(
        "approvals",
        Text::new("関連する承認", "Related approvals"),
        FieldKind::List,
    );
    for c in part_of(&library.cases, part) {
        let mut e = b.entry(&c.doc, None);
        e.facets
            .insert(PROJECT.into(), b.labels(T::ProjectSecond, &c.projects));
        e.fields
            .insert("approvals".into(), join(&c.approvals).into());
        b.records.push(e);
    }
    b.finish()
}

/// KPIs: their group; the count and its date.
fn kpis(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use facet::*;
    let groups =
        crate::KpiGroup::ALL.map(|g| (g.key(), Text::new(g.label(Lang::Ja), g.label(Lang::En))));
    let mut b = b
        .fixed_facet(GROUP, FacetKind::Terms, &groups)
        .field("value", Text::new("件数", "Count"), FieldKind::Integer)
        .field("as_of", Text::new("時点", "As of"), FieldKind::Date)
        .field(
            "order",
            Text::new("グループ内の表示順", "Position in its group"),
            FieldKind::Integer,
        )
        .field(
            "headline",
            Text::new("トップページに表示", "Shown on the home page"),
            FieldKind::Boolean,
        )
        .field(
            "total_of",
            Text::new(
                "この数値の一部を記録として掲載するコレクション",
                "The collection listing some of what this figure counts",
            ),
            FieldKind::Text,
        );
    for k in part_of(&library.kpis, part) {
        let mut e = b.entry(&k.doc, k.as_of);
        let label = Text::new(k.group.label(Lang::Ja), k.group.label(Lang::En));
        e.facets.insert(
            GROUP.into(),
            vec![Label {
                key: k.group.key().into(),
                ja: label.ja.clone(),
                en: label.get(Lang::En).into(),
            }],
        );
        e.fields
            .insert("value".into(), FieldValue::Integer(k.value));
        if let Some(as_of) = k.as_of {
            e.fields.insert("as_of".into(), as_of.to_string().into());
        }
        e.fields
            .insert("order".into(), FieldValue::Integer(k.order.into()));
        e.fields
            .insert("headline".into(), FieldValue::Boolean(k.headline));
        e.fields.insert(
            "total_of".into(),
            k.total_of
                .map(|c| c.dir().to_string())
                .unwrap_or_default()
                .into(),
        );
        b.records.push(e);
    }
    b.finish()
}

/// The policy pillars: their number.
fn pillars(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    let mut b = b.field("number", Text::new("番号", "Number"), FieldKind::Integer);
    for p in part_of(&library.pillars, part) {
        let mut e = b.entry(&p.doc, None);
        e.fields
            .insert("number".into(), FieldValue::Integer(p.number.into()));
        b.records.push(e);
    }
    b.finish()
}

/// Integrated projects: their number and the second-term projects they
/// continue.
fn projects(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    use TaxonomyKind as T;
    let mut b = b
        .field("number", Text::new("番号", "Number"), FieldKind::Integer)
        .field(
            "project",
            Text::new("第3期の統合プロジェクトのキー", "Third-term project key"),
            FieldKind::Text,
        )
        .field(
            "from_second",
            Text::new(
                "第2期の統合プロジェクト（本ポータルによる対応付け）",
                "Second-term projects continued (this portal's mapping)",
            ),
            FieldKind::List,
        );
    for p in part_of(&library.projects, part) {
        let mut e = b.entry(&p.doc, None);
        let term = library.taxonomies.get(T::ProjectThird, &p.project);
        if let Some(number) = term.and_then(|t| t.number) {
            e.fields
                .insert("number".into(), FieldValue::Integer(number.into()));
        }
        e.fields.insert("project".into(), p.project.clone().into());
        e.fields.insert(
            "from_second".into(),
            term.map(|t| join(&t.from_second))
                .unwrap_or_default()
                .into(),
        );
        b.records.push(e);
    }
    b.finish()
}

/// The site's own pages: no facets.
fn pages(b: Builder<'_>, library: &Library, part: &Range<usize>) -> Dataset {
    let mut b = b;
    for p in part_of(&library.pages, part) {
        let e = b.entry(&p.doc, None);
        b.records.push(e);
    }
    b.finish()
}
