//! Taxonomies: the controlled vocabularies records refer to by key.

use serde::{Deserialize, Serialize};

use crate::Text;

/// A controlled vocabulary, defined once in `content/taxonomies.toml`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxonomyKind {
    /// Therapeutic modality (small molecule, antibody, regenerative…).
    Modality,
    /// Regulatory category of an approval (new drug, indication expansion…).
    ApprovalCategory,
    /// Disease area (cancer, intractable and rare diseases, life course…).
    DiseaseArea,
    /// The six integrated projects of the second period (FY2020–2024).
    ProjectSecond,
    /// The eight integrated projects of the third period (from FY2025).
    ProjectThird,
    /// Development stage of a research seed.
    SeedStage,
    /// Licensing status of a research seed.
    LicensingStatus,
    /// Type of a patient and public involvement activity.
    PpiActivity,
    /// Partner country, keyed by ISO 3166-1 alpha-2 code in lower case.
    Country,
    /// Kind of a regulatory milestone (approval, partial change…).
    Milestone,
}

impl TaxonomyKind {
    /// Every kind, in the order of `taxonomies.toml`.
    pub const ALL: [TaxonomyKind; 10] = [
        TaxonomyKind::Modality,
        TaxonomyKind::ApprovalCategory,
        TaxonomyKind::DiseaseArea,
        TaxonomyKind::ProjectSecond,
        TaxonomyKind::ProjectThird,
        TaxonomyKind::SeedStage,
        TaxonomyKind::LicensingStatus,
        TaxonomyKind::PpiActivity,
        TaxonomyKind::Country,
        TaxonomyKind::Milestone,
    ];

    /// The table name in `taxonomies.toml`.
    pub fn table(self) -> &'static str {
        match self {
            TaxonomyKind::Modality => "modality",
            TaxonomyKind::ApprovalCategory => "approval_category",
            TaxonomyKind::DiseaseArea => "disease_area",
            TaxonomyKind::ProjectSecond => "project_second",
            TaxonomyKind::ProjectThird => "project_third",
            TaxonomyKind::SeedStage => "seed_stage",
            TaxonomyKind::LicensingStatus => "licensing_status",
            TaxonomyKind::PpiActivity => "ppi_activity",
            TaxonomyKind::Country => "country",
            TaxonomyKind::Milestone => "milestone",
        }
    }

    /// What a key of this kind is called in error messages.
    pub fn noun(self) -> &'static str {
        match self {
            TaxonomyKind::Modality => "modality",
            TaxonomyKind::ApprovalCategory => "approval category",
            TaxonomyKind::DiseaseArea => "disease area",
            TaxonomyKind::ProjectSecond => "second-term integrated project",
            TaxonomyKind::ProjectThird => "third-term integrated project",
            TaxonomyKind::SeedStage => "seed stage",
            TaxonomyKind::LicensingStatus => "licensing status",
            TaxonomyKind::PpiActivity => "PPI activity type",
            TaxonomyKind::Country => "country",
            TaxonomyKind::Milestone => "milestone kind",
        }
    }

    /// The kind whose table is named `table`.
    pub fn from_table(table: &str) -> Option<TaxonomyKind> {
        TaxonomyKind::ALL.into_iter().find(|k| k.table() == table)
    }
}

/// One entry of a taxonomy.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Term {
    /// The key records use, e.g. `regenerative`.
    pub key: String,
    /// The label in both languages.
    pub label: Text,
    /// The official number of an integrated project (①–⑧), if any.
    pub number: Option<u32>,
    /// For a third-term project: the second-term projects it continues.
    pub from_second: Vec<String>,
    /// Other words readers use for the term (再生医療 for 再生・細胞医療,
    /// "gene therapy" for 遺伝子治療), in either language: search finds the
    /// term's records by them as by its labels.
    pub synonyms: Vec<String>,
}

/// Every taxonomy of the site, each in the order it is defined.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Taxonomies {
    kinds: Vec<(TaxonomyKind, Vec<Term>)>,
}

impl Taxonomies {
    /// Adds a taxonomy; later definitions of the same kind replace earlier ones.
    pub fn insert(&mut self, kind: TaxonomyKind, terms: Vec<Term>) {
        self.kinds.retain(|(k, _)| *k != kind);
        self.kinds.push((kind, terms));
        self.kinds.sort_by_key(|(k, _)| *k);
    }

    /// The terms of `kind`, in definition order.
    pub fn terms(&self, kind: TaxonomyKind) -> &[Term] {
        self.kinds
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(&[], |(_, t)| t)
    }

    /// The term of `kind` with `key`.
    pub fn get(&self, kind: TaxonomyKind, key: &str) -> Option<&Term> {
        self.terms(kind).iter().find(|t| t.key == key)
    }

    /// The label of a key that validation has already resolved.
    ///
    /// # Panics
    /// If the key is unknown: records only hold keys that exist.
    pub fn label(&self, kind: TaxonomyKind, key: &str) -> &Text {
        &self
            .get(kind, key)
            .unwrap_or_else(|| panic!("unresolved {} key {key:?}", kind.noun()))
            .label
    }
}
