//! Which column of a table is which field of a record: each collection's
//! fields (what kind of value each takes and the column it is read from
//! by default, the name the portal's own CSV gives it), and the optional
//! mapping file beside a table that renames columns, picks the sheet and
//! sets the separator of several values in one cell.

use amed_model::{Collection, TaxonomyKind};
use indexmap::IndexMap;
use serde::Deserialize;
use toml::Spanned;

/// The words a cell's value must be one of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Vocabulary {
    /// A taxonomy of `taxonomies.toml`: a key, or a term's Japanese or
    /// English name.
    Taxonomy(TaxonomyKind),
    /// A KPI's group (`second-term`, `covid-19`).
    KpiGroup,
    /// A collection's folder name (`approvals`).
    Collection,
}

/// What a field's cells hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldKind {
    /// The record's id (also its URL).
    Id,
    /// One line of text.
    Text,
    /// Markdown.
    Body,
    /// Yes or no.
    Bool,
    /// A year, month or day.
    Date,
    /// A whole number.
    Integer,
    /// One word of a vocabulary.
    Term(Vocabulary),
    /// Words of a vocabulary, separated.
    Terms(Vocabulary),
    /// Record ids, separated.
    Ids,
    /// Dated events, separated: `2021-06 conditional-approval`.
    Milestones,
    /// Sources in the portal's one-cell form, separated by ` | `.
    Sources,
}

/// One field of a collection's records, as read from a table.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    /// The field's name, as in a Markdown file's front matter (`approved`);
    /// `title_en`, `summary_en`, `body` and `body_en` for the rest.
    pub name: &'static str,
    /// What its cells hold.
    pub kind: FieldKind,
    /// The column it is read from when no mapping renames it: the name the
    /// portal's own CSV gives it, so a published CSV reads back as it is.
    pub column: &'static str,
    /// Whether every row needs it.
    pub required: bool,
}

const fn field(name: &'static str, kind: FieldKind, column: &'static str, required: bool) -> Field {
    Field {
        name,
        kind,
        column,
        required,
    }
}

/// The fields every collection has.
const COMMON: [Field; 9] = [
    field("id", FieldKind::Id, "id", true),
    field("title", FieldKind::Text, "title_ja", true),
    field("title_en", FieldKind::Text, "title_en", false),
    field("summary", FieldKind::Text, "summary_ja", true),
    field("summary_en", FieldKind::Text, "summary_en", false),
    field("sample", FieldKind::Bool, "sample", false),
    field("body", FieldKind::Body, "body_ja", false),
    field("body_en", FieldKind::Body, "body_en", false),
    field("sources", FieldKind::Sources, "sources", false),
];

/// The fields of `collection`'s records besides the common ones.
fn own_fields(collection: Collection) -> &'static [Field] {
    use FieldKind::*;
    use TaxonomyKind as T;
    use Vocabulary::{KpiGroup, Taxonomy};
    const APPROVALS: &[Field] = &[
        field("approved", Date, "date", true),
        field(
            "category",
            Term(Taxonomy(T::ApprovalCategory)),
            "category",
            true,
        ),
        field("modality", Terms(Taxonomy(T::Modality)), "modality", true),
        field("disease", Terms(Taxonomy(T::DiseaseArea)), "disease", true),
        field(
            "projects",
            Terms(Taxonomy(T::ProjectSecond)),
            "project",
            false,
        ),
        field("international", Bool, "intl", false),
        field("countries", Terms(Taxonomy(T::Country)), "country", false),
        field("conditional", Bool, "conditional", false),
        field("milestones", Milestones, "milestones", false),
    ];
    const CASES: &[Field] = &[
        field(
            "projects",
            Terms(Taxonomy(T::ProjectSecond)),
            "project",
            false,
        ),
        field("approvals", Ids, "approvals", false),
    ];
    const KPIS: &[Field] = &[
        field("value", Integer, "value", true),
        field("group", Term(KpiGroup), "group", true),
        field("as_of", Date, "as_of", false),
        field("order", Integer, "order", true),
        field("headline", Bool, "headline", false),
        field("total_of", Term(Vocabulary::Collection), "total_of", false),
    ];
    const PILLARS: &[Field] = &[field("number", Integer, "number", true)];
    const PROJECTS: &[Field] = &[field(
        "project",
        Term(Taxonomy(T::ProjectThird)),
        "project",
        true,
    )];
    const SEEDS: &[Field] = &[
        field("modality", Terms(Taxonomy(T::Modality)), "modality", true),
        field("disease", Terms(Taxonomy(T::DiseaseArea)), "disease", true),
        field("stage", Term(Taxonomy(T::SeedStage)), "stage", true),
        field(
            "licensing",
            Term(Taxonomy(T::LicensingStatus)),
            "licensing",
            true,
        ),
        field("international", Bool, "intl", false),
        field("countries", Terms(Taxonomy(T::Country)), "country", false),
    ];
    const PPI: &[Field] = &[
        field("activity", Term(Taxonomy(T::PpiActivity)), "activity", true),
        field("disease", Terms(Taxonomy(T::DiseaseArea)), "disease", false),
        field("date", Date, "date", true),
        field("location", Text, "location", false),
        field("location_en", Text, "location_en", false),
    ];
    match collection {
        Collection::Approvals => APPROVALS,
        Collection::Cases => CASES,
        Collection::Kpis => KPIS,
        Collection::Pillars => PILLARS,
        Collection::Projects => PROJECTS,
        Collection::Seeds => SEEDS,
        Collection::Ppi => PPI,
        Collection::Pages => &[],
    }
}

/// Every field of `collection`'s records, common ones first.
pub fn fields(collection: Collection) -> impl Iterator<Item = &'static Field> {
    COMMON.iter().chain(own_fields(collection))
}

/// The parts of a source that columns can give (`[[sources]]` of a
/// mapping), as in a Markdown file's `[[sources]]`.
pub const SOURCE_PARTS: [&str; 9] = [
    "title",
    "title_en",
    "publisher",
    "publisher_en",
    "date",
    "page",
    "page_en",
    "url",
    "lang",
];

/// A mapping file, `<table>.toml` beside the table: every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// The sheet of a workbook to read (the first when absent).
    pub sheet: Option<Spanned<String>>,
    /// The row holding the column names (1 when absent).
    pub header_row: Option<Spanned<u32>>,
    /// What separates several values in one cell (`;` when absent).
    pub separator: Option<Spanned<String>>,
    /// Field name → column name, for columns not named as the portal's
    /// CSV names them.
    #[serde(default)]
    pub columns: IndexMap<Spanned<String>, Spanned<String>>,
    /// Sources given part by part: part → column name, one table per
    /// source a row can have.
    #[serde(default)]
    pub sources: Vec<IndexMap<Spanned<String>, Spanned<String>>>,
}

impl Mapping {
    /// The separator of several values in one cell.
    pub fn separator(&self) -> &str {
        self.separator
            .as_ref()
            .map_or(";", |s| s.get_ref().as_str())
    }
}
