//! Stage 2, validate: turn raw front matter into the checked [`Library`].
//!
//! Owns every rule that needs more than one field: slugs, dates, taxonomy
//! keys, duplicate ids, English files without their Japanese record,
//! cross-references and internal `@/collection/file.md` links. A record that
//! leaves this stage is valid; later stages never check again.

use std::collections::{BTreeSet, HashMap};

use amed_model::{
    Approval, CaseStudy, Collection, Document, Kpi, KpiGroup, Lang, Library, Milestone, Page,
    PartialDate, Pillar, PpiActivity, Project, Seed, Site, Source, Taxonomies, TaxonomyKind, Term,
    Text,
};
use pulldown_cmark::{Event, Parser, Tag};
use toml::Spanned;

use crate::error::Diagnostics;
use crate::load::{
    RawCollection, RawCommon, RawContent, RawDocument, RawSite, RawTaxonomies, RawTranslation,
    SourceFile,
};
use crate::markdown;

/// Page ids that would collide with the site's own routes.
const RESERVED_PAGE_IDS: &[&str] = &[
    "approvals",
    "cases",
    "kpis",
    "policy",
    "seeds",
    "ppi",
    "en",
    "assets",
];

/// Whether `s` is a slug: non-empty `[a-z0-9-]`, so it can never escape the
/// output folder or need escaping in a URL.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

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

    let mut translations: HashMap<(Collection, String), RawDocument<RawTranslation>> =
        HashMap::new();
    for (collection, doc) in raw.translations {
        if raw.japanese_files.contains(&(collection, doc.stem.clone())) {
            translations.insert((collection, doc.stem.clone()), doc);
        } else {
            doc.file.report(
                d,
                0,
                format!(
                    "English file without its Japanese record: expected {}/{}.md beside it",
                    doc.file.display.rsplit_once('/').map_or("", |(dir, _)| dir),
                    doc.stem
                ),
            );
        }
    }

    let mut checker = Checker {
        taxonomies: &taxonomies,
        d,
        translations,
        ids: HashMap::new(),
        links: vec![],
        approval_refs: vec![],
        projects: HashMap::new(),
    };
    let mut library = Library {
        site: site.clone().unwrap_or(Site {
            base_url: "/".into(),
            title: Text::default(),
            description: Text::default(),
        }),
        taxonomies: taxonomies.clone(),
        approvals: vec![],
        cases: vec![],
        kpis: vec![],
        pillars: vec![],
        projects: vec![],
        seeds: vec![],
        ppi: vec![],
        pages: vec![],
    };
    for (collection, coll) in &raw.collections {
        checker.collection(*collection, coll, &mut library);
    }
    checker.cross_references(&library);
    sort(&mut library);
    (checker.d.is_empty() && site.is_some() && raw.taxonomies.is_some()).then_some(library)
}

fn check_site(file: &SourceFile, raw: &RawSite, d: &mut Diagnostics) -> Option<Site> {
    let mut ok = true;
    let url = raw.base_url.get_ref();
    let plain =
        !url.contains(|c: char| c.is_whitespace() || c.is_control() || "\"'<>?#\\`".contains(c));
    if !(url.starts_with("https://") || url.starts_with("http://")) || !url.ends_with('/') || !plain
    {
        file.report(d, raw.base_url.span().start, format!("base_url {url:?} must be an absolute http(s) URL ending in `/`, without spaces, quotes, query or fragment, e.g. \"https://example.org/amed/\""));
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
    ok.then(|| Site {
        base_url: url.clone(),
        title: Text::new(&raw.title.ja, &raw.title.en),
        description: Text::new(&raw.description.ja, &raw.description.en),
    })
}

fn check_taxonomies(file: &SourceFile, raw: &RawTaxonomies, d: &mut Diagnostics) -> Taxonomies {
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
            if !is_slug(key) {
                file.report(
                    d,
                    term.span().start,
                    format!("bad key {key:?} in [{table}]: keys use only a-z, 0-9 and -"),
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

fn join(items: &[impl AsRef<str>]) -> String {
    items
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A reference to another record (an internal link or a related approval),
/// checked once every record is known.
struct Reference {
    file: SourceFile,
    offset: usize,
    target: String,
}

struct Checker<'a> {
    taxonomies: &'a Taxonomies,
    d: &'a mut Diagnostics,
    translations: HashMap<(Collection, String), RawDocument<RawTranslation>>,
    /// (collection, id) → file that defined it.
    ids: HashMap<(Collection, String), String>,
    links: Vec<Reference>,
    approval_refs: Vec<Reference>,
    /// `project_third` key → file that describes it.
    projects: HashMap<String, String>,
}

impl Checker<'_> {
    fn key<F>(
        &mut self,
        doc: &RawDocument<F>,
        kind: TaxonomyKind,
        key: &Spanned<String>,
    ) -> String {
        let value = key.get_ref();
        if self.taxonomies.get(kind, value).is_none() {
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
    ) -> Document {
        let id = common.id.get_ref();
        if !is_slug(id) {
            doc.report_span(
                self.d,
                common.id.span(),
                format!("bad id {id:?}: ids use only a-z, 0-9 and - (they become URLs)"),
            );
        } else if collection == Collection::Pages && RESERVED_PAGE_IDS.contains(&id.as_str()) {
            doc.report_span(
                self.d,
                common.id.span(),
                format!(
                    "page id {id:?} is taken by the site's own pages (reserved: {})",
                    RESERVED_PAGE_IDS.join(", ")
                ),
            );
        }
        if !is_slug(&doc.stem) {
            doc.file.report(
                self.d,
                0,
                format!(
                    "bad file name {:?}: use only a-z, 0-9 and - before .md",
                    doc.stem
                ),
            );
        }
        if let Some(first) = self.ids.get(&(collection, id.clone())) {
            doc.report_span(
                self.d,
                common.id.span(),
                format!("duplicate id {id:?}: already used by {first}"),
            );
        } else {
            self.ids
                .insert((collection, id.clone()), doc.file.display.clone());
        }
        for (field, value) in [("title", common.title), ("summary", common.summary)] {
            if value.trim().is_empty() {
                doc.report_span(self.d, common.id.span(), format!("{field} is empty"));
            }
        }
        if common.sources.get_ref().is_empty() {
            doc.report_span(
                self.d,
                common.sources.span(),
                "at least one source is required: add a [[sources]] table with title and date",
            );
        }
        let sources = common
            .sources
            .get_ref()
            .iter()
            .map(|s| {
                if let Some(url) = &s.url
                    && !(url.get_ref().starts_with("https://")
                        || url.get_ref().starts_with("http://"))
                {
                    doc.report_span(
                        self.d,
                        url.span(),
                        format!(
                            "source url {:?} must start with https:// or http://",
                            url.get_ref()
                        ),
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
                    date: self.date(doc, &s.date),
                    publisher: s.publisher.clone(),
                    url: s.url.as_ref().map(|u| u.get_ref().clone()),
                    page: s.page.clone(),
                }
            })
            .collect();
        self.scan_links(&doc.file, doc.body_offset, &doc.body);
        let translation = self.translations.remove(&(collection, doc.stem.clone()));
        if let Some(en) = &translation {
            self.scan_links(&en.file, en.body_offset, &en.body);
        }
        let en = translation.as_ref();
        Document {
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
                ja: doc.body.clone(),
                en: en.map(|t| t.body.clone()),
            },
            sources,
            sample: common.sample,
            file: format!("{}/{}.md", collection.dir(), doc.stem),
        }
    }

    fn scan_links(&mut self, file: &SourceFile, body_offset: usize, body: &str) {
        for (event, range) in Parser::new_ext(body, markdown::options()).into_offset_iter() {
            if let Event::Start(Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. }) = event
                && let Some(target) = dest_url.strip_prefix("@/")
            {
                self.links.push(Reference {
                    file: file.clone(),
                    offset: body_offset + range.start,
                    target: target.to_string(),
                });
            }
        }
    }

    fn collection(&mut self, collection: Collection, raw: &RawCollection, lib: &mut Library) {
        use TaxonomyKind as T;
        match raw {
            RawCollection::Approvals(docs) => {
                for doc in docs {
                    let f = &doc.front;
                    let record = Approval {
                        doc: self.document(collection, doc, f.common()),
                        approved: self.date(doc, &f.approved),
                        category: self.key(doc, T::ApprovalCategory, &f.category),
                        modality: self.keys(doc, T::Modality, &f.modality),
                        disease: self.keys(doc, T::DiseaseArea, &f.disease),
                        projects: self.keys(doc, T::ProjectSecond, &f.projects),
                        international: f.international,
                        countries: self.keys(doc, T::Country, &f.countries),
                        conditional: f.conditional,
                        milestones: f
                            .milestones
                            .iter()
                            .map(|m| Milestone {
                                date: self.date(doc, &m.date),
                                kind: self.key(doc, T::Milestone, &m.kind),
                            })
                            .collect(),
                    };
                    self.countries_need_international(doc, f.international, &f.countries);
                    lib.approvals.push(record);
                }
            }
            RawCollection::Cases(docs) => {
                for doc in docs {
                    let f = &doc.front;
                    let record = CaseStudy {
                        doc: self.document(collection, doc, f.common()),
                        projects: self.keys(doc, T::ProjectSecond, &f.projects),
                        approvals: f.approvals.iter().map(|a| a.get_ref().clone()).collect(),
                    };
                    for approval in &f.approvals {
                        self.approval_refs.push(Reference {
                            file: doc.file.clone(),
                            offset: doc.front_offset + approval.span().start,
                            target: approval.get_ref().clone(),
                        });
                    }
                    lib.cases.push(record);
                }
            }
            RawCollection::Kpis(docs) => {
                for doc in docs {
                    let f = &doc.front;
                    let group = match f.group.get_ref().as_str() {
                        "second-term" => KpiGroup::SecondTerm,
                        "covid-19" => KpiGroup::Covid19,
                        other => {
                            doc.report_span(self.d, f.group.span(), format!("unknown KPI group {other:?} (expected one of: second-term, covid-19)"));
                            KpiGroup::SecondTerm
                        }
                    };
                    let record = Kpi {
                        doc: self.document(collection, doc, f.common()),
                        value: f.value,
                        group,
                        as_of: self.date(doc, &f.as_of),
                        order: f.order,
                        headline: f.headline,
                    };
                    lib.kpis.push(record);
                }
            }
            RawCollection::Pillars(docs) => {
                for doc in docs {
                    let record = Pillar {
                        doc: self.document(collection, doc, doc.front.common()),
                        number: doc.front.number,
                    };
                    lib.pillars.push(record);
                }
            }
            RawCollection::Projects(docs) => {
                for doc in docs {
                    let record = Project {
                        doc: self.document(collection, doc, doc.front.common()),
                        project: self.key(doc, T::ProjectThird, &doc.front.project),
                    };
                    let key = &doc.front.project;
                    if let Some(first) = self.projects.get(key.get_ref()) {
                        doc.report_span(
                            self.d,
                            key.span(),
                            format!(
                                "integrated project {:?} is already described by {first}",
                                key.get_ref()
                            ),
                        );
                    } else {
                        self.projects
                            .insert(key.get_ref().clone(), doc.file.display.clone());
                    }
                    lib.projects.push(record);
                }
            }
            RawCollection::Seeds(docs) => {
                for doc in docs {
                    let f = &doc.front;
                    let record = Seed {
                        doc: self.document(collection, doc, f.common()),
                        modality: self.keys(doc, T::Modality, &f.modality),
                        disease: self.keys(doc, T::DiseaseArea, &f.disease),
                        stage: self.key(doc, T::SeedStage, &f.stage),
                        licensing: self.key(doc, T::LicensingStatus, &f.licensing),
                        international: f.international,
                        countries: self.keys(doc, T::Country, &f.countries),
                    };
                    self.countries_need_international(doc, f.international, &f.countries);
                    lib.seeds.push(record);
                }
            }
            RawCollection::Ppi(docs) => {
                for doc in docs {
                    let f = &doc.front;
                    let record = PpiActivity {
                        doc: self.document(collection, doc, f.common()),
                        activity: self.key(doc, T::PpiActivity, &f.activity),
                        disease: self.keys(doc, T::DiseaseArea, &f.disease),
                        date: self.date(doc, &f.date),
                        location: f.location.clone(),
                    };
                    lib.ppi.push(record);
                }
            }
            RawCollection::Pages(docs) => {
                for doc in docs {
                    lib.pages.push(Page {
                        doc: self.document(collection, doc, doc.front.common()),
                    });
                }
            }
        }
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

    fn cross_references(&mut self, lib: &Library) {
        let files: BTreeSet<&str> = lib.documents().map(|(_, d)| d.file.as_str()).collect();
        for link in std::mem::take(&mut self.links) {
            let target = link.target.split('#').next().unwrap_or_default();
            if !files.contains(target) {
                let hint = if target.ends_with(".md") {
                    ""
                } else {
                    " (internal links name the file, e.g. @/approvals/delytact.md)"
                };
                link.file.report(
                    self.d,
                    link.offset,
                    format!(
                        "broken internal link @/{}: no such file content/{target}{hint}",
                        link.target
                    ),
                );
            }
        }
        let approvals: BTreeSet<&str> = lib.approvals.iter().map(|a| a.doc.id.as_str()).collect();
        for reference in std::mem::take(&mut self.approval_refs) {
            if !approvals.contains(reference.target.as_str()) {
                reference.file.report(
                    self.d,
                    reference.offset,
                    format!(
                        "unknown approval {:?} (expected the id of a file in content/approvals/)",
                        reference.target
                    ),
                );
            }
        }
    }
}

fn sort(lib: &mut Library) {
    lib.approvals.sort_by(|a, b| {
        b.approved
            .cmp(&a.approved)
            .then_with(|| a.doc.id.cmp(&b.doc.id))
    });
    lib.cases.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    lib.kpis
        .sort_by(|a, b| (a.group, a.order, &a.doc.id).cmp(&(b.group, b.order, &b.doc.id)));
    lib.pillars
        .sort_by(|a, b| (a.number, &a.doc.id).cmp(&(b.number, &b.doc.id)));
    let tax = lib.taxonomies.clone();
    let position = |key: &str| {
        tax.terms(TaxonomyKind::ProjectThird)
            .iter()
            .position(|t| t.key == key)
    };
    lib.projects
        .sort_by(|a, b| (position(&a.project), &a.doc.id).cmp(&(position(&b.project), &b.doc.id)));
    lib.seeds.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
    lib.ppi
        .sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.doc.id.cmp(&b.doc.id)));
    lib.pages.sort_by(|a, b| a.doc.id.cmp(&b.doc.id));
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
        let file = SourceFile {
            display: "content/taxonomies.toml".into(),
            text: "[modalities.x]\nja = \"x\"\nen = \"x\"\n\n[project_second.drugs]\nja = \"医薬品\"\nen = \"Drugs\"\n\n[project_third.pharma]\nja = \"医薬品\"\nen = \"Pharma\"\nfrom_second = [\"drug\"]\n".into(),
        };
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
}
