//! The facts box of a record page: each kind of record's dates, counts and
//! classified terms, linked to the static facet pages where there are some.

use amed_model::content::{Approval, CaseStudy, Kpi, PpiActivity, Project, Seed};
use amed_model::dataset::facet;
use amed_model::facet_pages;
use amed_model::{Collection, Lang, Record, TaxonomyKind as T, Text};
use serde::Serialize;

use super::shared::Shared;
use super::templates::{text, thousands, ui};
use super::views::Columns;

/// One value of a fact, linked where the site has a page for it.
#[derive(Serialize)]
pub struct FactValue {
    text: String,
    href: Option<String>,
    /// Set when the text is not in the page's language.
    lang: Option<&'static str>,
}

/// One line of the facts box: a label and its values.
#[derive(Serialize)]
pub struct Fact {
    label: String,
    values: Vec<FactValue>,
    /// Set when the values are this portal's own classification, not the
    /// cited sources' (see [`facet::PORTAL_CLASSIFIED`]).
    portal_classified: bool,
}

/// The facts of `record` in `lang`, its collection's facets and fields
/// being `columns` and its related approvals (a case study's) `related`,
/// as (id, title).
pub fn facts(
    shared: &Shared<'_>,
    lang: Lang,
    record: &Record,
    columns: Columns<'_>,
    related: &[(&str, &Text)],
) -> Vec<Fact> {
    let sheet = Sheet {
        shared,
        lang,
        columns,
        related,
    };
    match record {
        Record::Approval(a) => sheet.approval(a),
        Record::Seed(s) => sheet.seed(s),
        Record::Ppi(p) => sheet.ppi(p),
        Record::Kpi(k) => sheet.kpi(k),
        Record::Case(c) => sheet.case(c),
        Record::Project(p) => sheet.project(p),
        Record::Pillar(_) | Record::Page(_) => vec![],
    }
}

/// What the facts of one record page are made with.
struct Sheet<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    /// The facets and fields of the record's collection.
    columns: Columns<'c>,
    /// The related approvals, as (id, title).
    related: &'c [(&'c str, &'c Text)],
}

impl Sheet<'_> {
    /// A fact with one unlinked value.
    fn plain(label: &str, value: String) -> Fact {
        Fact {
            label: label.to_string(),
            values: vec![FactValue {
                text: value,
                href: None,
                lang: None,
            }],
            portal_classified: false,
        }
    }

    fn ui(&self, key: &str) -> &'static str {
        ui(self.lang, key)
    }

    /// The labels of `keys` of taxonomy `kind`, linked to the no-JS pages
    /// of facet `link` if given.
    fn term_values(&self, kind: T, keys: &[String], link: Option<&str>) -> Vec<FactValue> {
        let tax = &self.shared.taxonomies;
        keys.iter()
            .map(|k| FactValue {
                text: tax.label(kind, k).get(self.lang).to_string(),
                href: link
                    .and_then(|f| facet_pages::page_path(Collection::Approvals, &[(f, k)]))
                    .map(|p| self.shared.site.href(self.lang, &p)),
                lang: None,
            })
            .collect()
    }

    /// The values of facet `facet_id`, linked to its no-JS pages if `link`.
    fn terms(&self, facet_id: &str, kind: T, keys: &[String], link: bool) -> Fact {
        Fact {
            label: self.label(facet_id),
            values: self.term_values(kind, keys, link.then_some(facet_id)),
            portal_classified: facet::is_portal_classified(facet_id),
        }
    }

    fn label(&self, facet_id: &str) -> String {
        facet::label(facet_id).get(self.lang).to_string()
    }

    /// International collaboration in the published data's own words: what
    /// the sources state, so "not stated" rather than "no".
    fn stated(&self, international: bool) -> String {
        let key = if international { "yes" } else { "no" };
        self.columns
            .facets()
            .iter()
            .find(|f| f.id == facet::INTERNATIONAL)
            .and_then(|f| f.options.iter().find(|o| o.key == key))
            .map(|o| o.label.get(self.lang).to_string())
            .unwrap_or_default()
    }

    fn approval(&self, a: &Approval) -> Vec<Fact> {
        let lang = self.lang;
        let mut facts = vec![
            Self::plain(self.ui("approved"), a.approved.format(lang)),
            self.terms(
                facet::CATEGORY,
                T::ApprovalCategory,
                std::slice::from_ref(&a.category),
                true,
            ),
            self.terms(facet::MODALITY, T::Modality, &a.modality, true),
            self.terms(facet::DISEASE, T::DiseaseArea, &a.disease, true),
        ];
        let mut intl = Self::plain(
            &self.label(facet::INTERNATIONAL),
            self.stated(a.international),
        );
        if a.international {
            intl.values[0].href =
                facet_pages::page_path(Collection::Approvals, &[(facet::INTERNATIONAL, "yes")])
                    .map(|p| self.shared.site.href(lang, &p));
        }
        facts.push(intl);
        if !a.countries.is_empty() {
            facts.push(self.terms(facet::COUNTRY, T::Country, &a.countries, false));
        }
        if !a.projects.is_empty() {
            facts.push(self.terms(facet::PROJECT, T::ProjectSecond, &a.projects, false));
        }
        if a.conditional {
            let conditional = self.columns.fields().iter().find(|f| f.id == "conditional");
            let label = conditional.map(|f| f.label.get(lang)).unwrap_or_default();
            facts.push(Self::plain(label, self.ui("yes").to_string()));
        }
        if !a.milestones.is_empty() {
            let tax = &self.shared.taxonomies;
            facts.push(Fact {
                label: self.ui("milestones").to_string(),
                values: a
                    .milestones
                    .iter()
                    .map(|m| FactValue {
                        text: format!(
                            "{} — {}",
                            m.date.format(lang),
                            tax.label(T::Milestone, &m.kind).get(lang)
                        ),
                        href: None,
                        lang: None,
                    })
                    .collect(),
                portal_classified: false,
            });
        }
        facts
    }

    fn seed(&self, s: &Seed) -> Vec<Fact> {
        let mut facts = vec![
            self.terms(facet::MODALITY, T::Modality, &s.modality, false),
            self.terms(facet::DISEASE, T::DiseaseArea, &s.disease, false),
            self.terms(
                facet::STAGE,
                T::SeedStage,
                std::slice::from_ref(&s.stage),
                false,
            ),
            self.terms(
                facet::LICENSING,
                T::LicensingStatus,
                std::slice::from_ref(&s.licensing),
                false,
            ),
            Self::plain(
                &self.label(facet::INTERNATIONAL),
                self.stated(s.international),
            ),
        ];
        if !s.countries.is_empty() {
            facts.push(self.terms(facet::COUNTRY, T::Country, &s.countries, false));
        }
        facts
    }

    fn ppi(&self, p: &PpiActivity) -> Vec<Fact> {
        let lang = self.lang;
        let mut facts = vec![
            Self::plain(self.ui("date"), p.date.format(lang)),
            self.terms(
                facet::ACTIVITY,
                T::PpiActivity,
                std::slice::from_ref(&p.activity),
                false,
            ),
        ];
        if !p.disease.is_empty() {
            facts.push(self.terms(facet::DISEASE, T::DiseaseArea, &p.disease, false));
        }
        if let Some(location) = &p.location {
            // In the page's language where the editor gave it, else in
            // Japanese, marked as such.
            let (text, actual) = location.resolve(lang);
            let mut fact = Self::plain(self.ui("location"), text.to_string());
            fact.values[0].lang = (actual != lang).then_some(actual.code());
            facts.push(fact);
        }
        facts
    }

    fn kpi(&self, k: &Kpi) -> Vec<Fact> {
        let lang = self.lang;
        vec![
            Self::plain(self.ui("value"), thousands(k.value)),
            Self::plain(
                self.ui("as_of"),
                k.as_of.map_or_else(
                    || self.ui("as_of_unstated").to_string(),
                    |d| super::templates::as_of(d, lang).text,
                ),
            ),
            Self::plain(&self.label(facet::GROUP), k.group.label(lang).to_string()),
        ]
    }

    fn case(&self, c: &CaseStudy) -> Vec<Fact> {
        let lang = self.lang;
        let mut facts = vec![];
        if !c.projects.is_empty() {
            facts.push(self.terms(facet::PROJECT, T::ProjectSecond, &c.projects, false));
        }
        if !c.approvals.is_empty() {
            facts.push(Fact {
                label: self.ui("related_approvals").to_string(),
                values: self
                    .related
                    .iter()
                    .map(|&(id, title)| {
                        let title = text(title, lang);
                        FactValue {
                            text: title.text.to_string(),
                            href: Some(
                                self.shared
                                    .site
                                    .href(lang, &Collection::Approvals.record_path(id)),
                            ),
                            lang: title.lang,
                        }
                    })
                    .collect(),
                portal_classified: false,
            });
        }
        facts
    }

    fn project(&self, p: &Project) -> Vec<Fact> {
        let term = self.shared.taxonomies.get(T::ProjectThird, &p.project);
        let mut facts = vec![];
        if let Some(n) = term.and_then(|t| t.number) {
            facts.push(Self::plain(self.ui("project_number"), n.to_string()));
        }
        let from = term.map(|t| t.from_second.clone()).unwrap_or_default();
        if from.is_empty() {
            facts.push(Self::plain(
                self.ui("continues_from"),
                self.ui("new_in_third_term").to_string(),
            ));
        } else {
            // The mapping between terms is this portal's reading.
            facts.push(Fact {
                label: self.ui("continues_from").to_string(),
                values: self.term_values(T::ProjectSecond, &from, None),
                portal_classified: true,
            });
        }
        facts
    }
}
