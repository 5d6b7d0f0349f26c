//! Descriptions of the open data in the standards data users already
//! use, all made from one schema ([`export::csv_columns`]): the
//! Frictionless Data Package with a table schema for every CSV, the DCAT
//! catalogue, schema.org `Dataset` JSON-LD for pages, and the data
//! dictionary page people read.

use std::collections::BTreeMap;
use std::sync::Arc;

use amed_model::export::{self, Column, ColumnKind};
use amed_model::{Collection, Dataset, Lang, Library, PartialDate};
use minijinja::context;
use portal_content::history::History;
use serde_json::{Value, json};

use super::data::Format;
use super::templates::{TEMPLATES, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

/// What the descriptions of the datasets say besides their columns and
/// rows: when the content stands and last changed, and which records are
/// samples. Every output that describes a dataset (the data package,
/// DCAT, the schema.org blocks of list, KPI, policy and data pages) reads
/// it, so its hash is one of their inputs.
#[derive(Debug, Default, Hash)]
pub struct Descriptions {
    /// The date the content stands at (newest cited source).
    pub content_date: Option<PartialDate>,
    /// When each collection's records last changed.
    pub changed: Arc<LastChanges>,
    /// Per collection: how many of its records are samples.
    pub samples: BTreeMap<Collection, usize>,
}

/// Per collection, the day its records last changed (`YYYY-MM-DD`, from
/// the content's history); a collection without history is absent.
#[derive(Debug, Default, Hash)]
pub struct LastChanges(BTreeMap<Collection, String>);

impl LastChanges {
    /// The newest change of each collection's record files in `history`.
    pub fn of(lib: &Library, history: &History) -> LastChanges {
        let mut changed: BTreeMap<Collection, &str> = BTreeMap::new();
        for (collection, doc) in lib.documents() {
            if let Some(date) = history.last_date(&doc.file) {
                let newest = changed.entry(collection).or_default();
                *newest = (*newest).max(date);
            }
        }
        LastChanges(
            changed
                .into_iter()
                .map(|(c, d)| (c, d.to_string()))
                .collect(),
        )
    }
}

/// `name` in `lang`, saying it is sample data: 研究シーズ（サンプルデータ）.
pub fn sample_name(lang: Lang, name: &str) -> String {
    ui(lang, "sample_dataset_title").replace("{label}", name)
}

impl Descriptions {
    /// The descriptions of `collections`, whose records last changed as
    /// `changed` says.
    pub fn new(lib: &Library, collections: &super::Collections, changed: Arc<LastChanges>) -> Self {
        Descriptions {
            content_date: lib.content_date(),
            changed,
            samples: Collection::ALL
                .iter()
                .map(|&c| {
                    let records = &collections[&c].dataset.records;
                    (c, records.iter().filter(|e| e.sample).count())
                })
                .collect(),
        }
    }

    /// The day the content last changed: the newest of its collections'.
    pub fn last_change(&self) -> Option<&str> {
        self.changed.0.values().map(String::as_str).max()
    }

    /// The day `collection`'s records last changed, if the content has a
    /// history.
    pub fn changed(&self, collection: Collection) -> Option<&str> {
        self.changed.0.get(&collection).map(String::as_str)
    }

    /// Whether every record of `dataset` is a sample (and there is one).
    pub fn all_samples(&self, dataset: &Dataset) -> bool {
        let samples = self.samples.get(&dataset.collection).copied().unwrap_or(0);
        samples > 0 && samples == dataset.records.len()
    }

    /// `dataset`'s name in `lang`, saying so when it is sample data.
    pub fn title(&self, dataset: &Dataset, lang: Lang) -> String {
        let label = dataset.collection.label(lang);
        if self.all_samples(dataset) {
            sample_name(lang, label)
        } else {
            label.to_string()
        }
    }

    /// What `dataset` is in `lang`: whether its records are samples, then
    /// the collection and the site.
    fn description(&self, ctx: &Context<'_>, dataset: &Dataset, lang: Lang) -> String {
        let collection = dataset.collection;
        let about = format!(
            "{}{}{}",
            collection.label(lang),
            ui(lang, "label_separator"),
            ctx.lib.site.description.get(lang)
        );
        let samples = self.samples.get(&collection).copied().unwrap_or(0);
        if self.all_samples(dataset) {
            format!("{} {about}", ui(lang, "dataset_all_samples"))
        } else if samples > 0 {
            let note = ui(lang, "dataset_some_samples").replace("{n}", &samples.to_string());
            format!("{about} {note}")
        } else {
            about
        }
    }
}

/// The jobs of the data package, the DCAT catalogue and the dictionary.
/// Their inputs: each collection's description (columns, count, dates;
/// not its rows) and the facet subsets' sizes.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let datasets: Vec<_> = Collection::ALL.iter().map(|&c| ctx.index(c).meta).collect();
    let subsets: Vec<_> = facet_lists(ctx)
        .map(|l| (&l.path, l.matches.len()))
        .collect();
    let print = |family: &str| {
        ctx.print(family)
            .with(&datasets)
            .with(&subsets)
            .with(&*ctx.descriptions)
            .finish128()
    };
    let mut jobs = vec![
        Job {
            path: routes::DATA_PACKAGE.into(),
            fingerprint: print("datapackage"),
            output: Output::DataPackage,
        },
        Job {
            path: routes::DATA_CATALOG.into(),
            fingerprint: print("dcat"),
            output: Output::DataCatalog,
        },
    ];
    for lang in Lang::ALL {
        jobs.push(Job {
            path: routes::page_file(lang, routes::DATA_DICTIONARY),
            fingerprint: ctx
                .print("dictionary")
                .with(&lang)
                .with(&datasets)
                .finish128(),
            output: Output::DataDictionary(lang),
        });
    }
    jobs
}

/// The facet lists with their own downloads (one language's, as the
/// files are shared).
fn facet_lists<'c>(ctx: &'c Context<'_>) -> impl Iterator<Item = &'c super::list::ListSpec> + 'c {
    ctx.lists
        .iter()
        .filter(|l| l.lang == Lang::Ja && l.has_data_files())
}

/// The name of the facet list at `path` in `lang`.
fn list_label(ctx: &Context<'_>, path: &str, lang: Lang) -> String {
    ctx.lists
        .iter()
        .find(|l| l.lang == lang && l.path == path)
        .map(|l| l.label())
        .unwrap_or_default()
}

/// The Table Schema type of a column, with its constraints.
fn table_field(column: &Column) -> Value {
    let mut field = json!({
        "name": column.name,
        "title": column.description.get(Lang::En),
        "description": column.description.ja,
    });
    let extra = match column.kind {
        ColumnKind::Text | ColumnKind::List => json!({ "type": "string" }),
        ColumnKind::Url => json!({ "type": "string", "format": "uri" }),
        ColumnKind::Integer => json!({ "type": "integer", "bareNumber": true }),
        ColumnKind::Boolean => {
            json!({ "type": "boolean", "trueValues": ["yes"], "falseValues": ["no"] })
        }
        ColumnKind::Date => json!({
            "type": "string",
            "constraints": { "pattern": "[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?" },
        }),
    };
    let object = field.as_object_mut().expect("an object");
    object.extend(extra.as_object().expect("an object").clone());
    if column.required {
        let constraints = object.entry("constraints").or_insert_with(|| json!({}));
        constraints["required"] = json!(true);
    }
    field
}

fn table_schema(dataset: &Dataset) -> Value {
    let fields: Vec<Value> = export::csv_columns(dataset)
        .iter()
        .map(table_field)
        .collect();
    json!({ "fields": fields, "primaryKey": "id", "missingValues": [""] })
}

/// The licence entry: its text and title. No `name`: the Data Package
/// standard keeps that for Open Definition ids, and the licences Japanese
/// public bodies use (PDL-1.0) have none.
fn licenses(ctx: &Context<'_>) -> Value {
    let license = &ctx.lib.site.license;
    json!([{ "path": license.url, "title": license.name.get(Lang::En) }])
}

fn resource(
    ctx: &Context<'_>,
    name: String,
    path: &str,
    dataset: &Dataset,
    rows: usize,
    title: String,
) -> Value {
    json!({
        "name": name,
        "title": title,
        "path": path.strip_prefix("data/").unwrap_or(path),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        // Both CSV variants are UTF-8 (the IANA charset name); the Excel
        // one starts with a byte-order mark, which UTF-8 readers skip.
        "encoding": "utf-8",
        "dialect": { "delimiter": ",", "lineTerminator": "\r\n", "quoteChar": "\"", "doubleQuote": true, "header": true },
        "schema": table_schema(dataset),
        "licenses": licenses(ctx),
        "x-rows": rows,
    })
}

/// One CSV file the data package describes.
struct CsvFile<'a> {
    name: String,
    path: String,
    dataset: &'a Dataset,
    rows: usize,
    title: String,
}

/// `data/datapackage.json`: a Tabular Data Package of every CSV.
pub fn datapackage(ctx: &Context<'_>) -> String {
    let mut files = Vec::new();
    for collection in Collection::ALL {
        let dataset = ctx.dataset(collection);
        files.push(CsvFile {
            name: collection.dir().into(),
            path: routes::data_file(collection, ""),
            dataset,
            rows: dataset.records.len(),
            title: ctx.descriptions.title(dataset, Lang::En),
        });
    }
    for list in facet_lists(ctx) {
        let label = list_label(ctx, &list.path, Lang::En);
        files.push(CsvFile {
            name: list.path.trim_end_matches('/').replace('/', "-"),
            path: routes::facet_data_file(&list.path, ""),
            dataset: ctx.dataset(list.collection),
            rows: list.matches.len(),
            title: format!(
                "{} — {label}",
                ctx.descriptions
                    .title(ctx.dataset(list.collection), Lang::En)
            ),
        });
    }
    let resources: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            [(Format::Csv, ""), (Format::ExcelCsv, "-excel")].map(|(format, suffix)| {
                resource(
                    ctx,
                    format!("{}{suffix}", file.name),
                    &format!("{}{}", file.path, format.extension()),
                    file.dataset,
                    file.rows,
                    file.title.clone(),
                )
            })
        })
        .collect();
    let package = json!({
        "profile": "tabular-data-package",
        "name": "amed-results-portal",
        "title": ctx.lib.site.title.get(Lang::En),
        "description": ctx.lib.site.description.get(Lang::En),
        "homepage": ctx.site.url(Lang::Ja, routes::HOME),
        // The day the content last changed, as a calendar version
        // (2026-03-05 → 2026.3.5).
        "version": ctx.descriptions.last_change().map(calendar_version),
        "licenses": licenses(ctx),
        "resources": resources,
    });
    pretty(&package)
}

/// `YYYY-MM-DD` as a version number without leading zeros.
fn calendar_version(day: &str) -> String {
    day.split('-')
        .map(|part| part.trim_start_matches('0'))
        .collect::<Vec<_>>()
        .join(".")
}

fn pretty(value: &Value) -> String {
    let mut json = serde_json::to_string_pretty(value).expect("JSON values serialize");
    json.push('\n');
    json
}

/// The range of dates of `dataset`'s records, or of their cited sources
/// when the records carry no dates, as an ISO 8601 interval.
pub fn temporal_coverage(dataset: &Dataset) -> Option<String> {
    let dates: Vec<PartialDate> = dataset.records.iter().filter_map(|e| e.date).collect();
    let dates = if dates.is_empty() {
        dataset
            .records
            .iter()
            .flat_map(|e| e.sources.iter().map(|s| s.date))
            .collect()
    } else {
        dates
    };
    let (min, max) = (dates.iter().min()?, dates.iter().max()?);
    Some(if min == max {
        min.to_string()
    } else {
        format!("{min}/{max}")
    })
}

/// The schema.org `Dataset` of `collection`, for a page's JSON-LD: the
/// same `@id` in both languages and in the DCAT catalogue.
pub fn schema_org_dataset(ctx: &Context<'_>, lang: Lang, collection: Collection) -> Value {
    let dataset = ctx.dataset(collection);
    let described = &ctx.descriptions;
    let distribution: Vec<Value> = Format::ALL
        .iter()
        .map(|f| {
            json!({
                "@type": "DataDownload",
                "encodingFormat": f.media_type(),
                "contentUrl": ctx.site.asset_url(&routes::data_file(collection, f.extension())),
            })
        })
        .collect();
    let keywords: Vec<&str> = std::iter::once(collection.label(lang))
        .chain(dataset.facets.iter().map(|f| f.label.get(lang)))
        .collect();
    json!({
        "@type": "Dataset",
        "@id": ctx.site.dataset_id(collection.dir()),
        "name": format!("{} — {}", ctx.lib.site.title.get(lang), described.title(dataset, lang)),
        "description": described.description(ctx, dataset, lang),
        "url": ctx.site.url(lang, collection.list_path()),
        "identifier": ctx.site.dataset_id(collection.dir()),
        "keywords": keywords,
        "creator": publisher(ctx, lang),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": ctx.site.asset_url(routes::DATA_CATALOG),
            "name": ctx.lib.site.title.get(lang),
        },
        "inLanguage": ["ja", "en"],
        "license": ctx.lib.site.license.url,
        "isAccessibleForFree": true,
        "temporalCoverage": temporal_coverage(dataset),
        "dateModified": described.changed(collection),
        "distribution": distribution,
    })
}

/// The site as the organisation that makes and publishes its data.
fn publisher(ctx: &Context<'_>, lang: Lang) -> Value {
    json!({
        "@type": "Organization",
        "@id": ctx.site.publisher_id(),
        "name": ctx.lib.site.title.get(lang),
        "url": ctx.site.url(lang, routes::HOME),
    })
}

/// JSON-LD for a page: `graph` with its context, escaped so it cannot end
/// the `<script type="application/ld+json">` data block it sits in.
pub fn json_ld(graph: Vec<Value>) -> String {
    let value = json!({ "@context": "https://schema.org", "@graph": graph });
    serde_json::to_string(&value)
        .expect("JSON values serialize")
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// The schema.org `DataCatalog` of every collection, for the open-data page.
pub fn schema_org_catalog(ctx: &Context<'_>, lang: Lang) -> Value {
    let datasets: Vec<Value> = Collection::ALL
        .iter()
        .map(|&c| schema_org_dataset(ctx, lang, c))
        .collect();
    json!({
        "@type": "DataCatalog",
        "@id": ctx.site.asset_url(routes::DATA_CATALOG),
        "name": ctx.lib.site.title.get(lang),
        "description": ctx.lib.site.description.get(lang),
        "url": ctx.site.url(lang, &Collection::Pages.record_path("data")),
        "license": ctx.lib.site.license.url,
        "dataset": datasets,
    })
}

/// The EU authority's identifiers of the site's two languages.
const LANGUAGES: [&str; 2] = [
    "http://publications.europa.eu/resource/authority/language/JPN",
    "http://publications.europa.eu/resource/authority/language/ENG",
];

/// A date as an RDF literal of the XML Schema type its precision allows.
fn typed_date(date: &str) -> Value {
    let kind = match date.len() {
        4 => "xsd:gYear",
        7 => "xsd:gYearMonth",
        _ => "xsd:date",
    };
    json!({ "@value": date, "@type": kind })
}

/// The period `dataset`'s records (or their sources) cover.
fn period_of_time(dataset: &Dataset) -> Option<Value> {
    let coverage = temporal_coverage(dataset)?;
    let (start, end) = coverage.split_once('/').unwrap_or((&coverage, &coverage));
    Some(json!({
        "@type": "dct:PeriodOfTime",
        "dcat:startDate": typed_date(start),
        "dcat:endDate": typed_date(end),
    }))
}

/// Japan, in the EU authority's country list: where the datasets are of.
const SPATIAL: &str = "http://publications.europa.eu/resource/authority/country/JPN";

/// The EU data theme the datasets are under, and its scheme.
const THEME: (&str, &str, &str) = (
    "http://publications.europa.eu/resource/authority/data-theme/HEAL",
    "Health",
    "http://publications.europa.eu/resource/authority/data-theme",
);

/// The EU availability term of the files: kept at their addresses.
const AVAILABILITY: (&str, &str) = (
    "http://publications.europa.eu/resource/authority/planned-availability/STABLE",
    "stable",
);

/// A term of an EU vocabulary, `(IRI, English label)`, as a SKOS concept.
fn concept((iri, label): (&str, &str)) -> Value {
    json!({
        "@id": iri,
        "@type": "skos:Concept",
        "skos:prefLabel": { "@value": label, "@language": "en" },
    })
}

/// Text in both languages, as JSON-LD language-tagged values.
fn lang_text(text: &dyn Fn(Lang) -> String) -> Value {
    json!(Lang::ALL.map(|lang| json!({ "@value": text(lang), "@language": lang.code() })))
}

/// A distribution of a dataset: one file (of the subset named `subset`, in
/// each language, or the whole dataset), by download and access URL.
fn distribution(
    ctx: &Context<'_>,
    (path, format): (&str, Format),
    subset: &dyn Fn(Lang) -> String,
    license: &Value,
) -> Value {
    let url = json!({ "@id": ctx.site.asset_url(path) });
    json!({
        "@type": "dcat:Distribution",
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": {
            "@id": format!("https://www.iana.org/assignments/media-types/{}", format.media_type()),
            "@type": "dct:MediaType",
        },
        "dct:format": {
            "@id": format!("http://publications.europa.eu/resource/authority/file-type/{}", format.file_type()),
            "@type": "dct:MediaTypeOrExtent",
        },
        "dct:license": license,
        "dct:title": path.strip_prefix("data/").unwrap_or(path),
        "dct:description": lang_text(&|lang| format!("{}{}{}", subset(lang), ui(lang, "label_separator"), format.label(lang))),
        "dcatap:availability": concept(AVAILABILITY),
    })
}

/// Whom to ask about the data: the site's contact page, if it has one.
fn contact_point(ctx: &Context<'_>) -> Option<Value> {
    ctx.has_page("contact").then(|| {
        json!({
            "@id": format!("{}#contact", ctx.site.asset_url(routes::DATA_CATALOG)),
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": ctx.lib.site.title.get(Lang::En),
            "vcard:hasURL": { "@id": ctx.site.url(Lang::Ja, &Collection::Pages.record_path("contact")) },
        })
    })
}

/// `data/catalog.jsonld`: the DCAT-AP 3 catalogue of every data file.
pub fn dcat(ctx: &Context<'_>) -> String {
    let described = &ctx.descriptions;
    let license = json!({ "@id": ctx.lib.site.license.url, "@type": "dct:LicenseDocument" });
    let languages: Vec<Value> = LANGUAGES
        .iter()
        .map(|iri| json!({ "@id": iri, "@type": "dct:LinguisticSystem" }))
        .collect();
    let publisher = json!({
        "@id": ctx.site.publisher_id(),
        "@type": "foaf:Agent",
        "foaf:name": lang_text(&|lang| ctx.lib.site.title.get(lang).to_string()),
        "foaf:homepage": { "@id": ctx.site.url(Lang::Ja, routes::HOME), "@type": "foaf:Document" },
    });
    let datasets: Vec<Value> = Collection::ALL
        .iter()
        .map(|&collection| {
            let dataset = ctx.dataset(collection);
            let whole = |lang| described.title(dataset, lang);
            let mut distributions: Vec<Value> = Format::ALL
                .iter()
                .map(|&f| {
                    let path = routes::data_file(collection, f.extension());
                    distribution(ctx, (&path, f), &whole, &license)
                })
                .collect();
            for list in facet_lists(ctx).filter(|l| l.collection == collection) {
                let subset = |lang| format!("{} — {}", whole(lang), list_label(ctx, &list.path, lang));
                distributions.extend(Format::ALL.iter().map(|&f| {
                    let path = routes::facet_data_file(&list.path, f.extension());
                    distribution(ctx, (&path, f), &subset, &license)
                }));
            }
            let page = collection.list_path();
            let mut node = json!({
                "@id": ctx.site.dataset_id(collection.dir()),
                "@type": "dcat:Dataset",
                "dct:identifier": collection.dir(),
                "dct:title": lang_text(&|lang| described.title(dataset, lang)),
                "dct:description": lang_text(&|lang| described.description(ctx, dataset, lang)),
                "dcat:keyword": lang_text(&|lang| collection.label(lang).to_string()),
                "dct:publisher": { "@id": ctx.site.publisher_id() },
                "dct:language": languages,
                "dct:license": license,
                "dcat:landingPage": { "@id": ctx.site.url(Lang::Ja, page), "@type": "foaf:Document" },
                "dct:spatial": { "@id": SPATIAL, "@type": "dct:Location" },
                "dcat:theme": concept((THEME.0, THEME.1)),
                "dcat:distribution": distributions,
            });
            let object = node.as_object_mut().expect("an object");
            if let Some(contact) = contact_point(ctx) {
                object.insert("dcat:contactPoint".into(), contact);
            }
            if let Some(day) = described.changed(collection) {
                object.insert("dct:modified".into(), typed_date(day));
            }
            if let Some(period) = period_of_time(dataset) {
                object.insert("dct:temporal".into(), period);
            }
            node
        })
        .collect();
    let mut catalog = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "dcatap": "http://data.europa.eu/r5r/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "skos": "http://www.w3.org/2004/02/skos/core#",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": ctx.site.asset_url(routes::DATA_CATALOG),
        "@type": "dcat:Catalog",
        "dct:title": lang_text(&|lang| ctx.lib.site.title.get(lang).to_string()),
        "dct:description": lang_text(&|lang| ctx.lib.site.description.get(lang).to_string()),
        "dct:publisher": publisher,
        "foaf:homepage": { "@id": ctx.site.url(Lang::Ja, routes::HOME), "@type": "foaf:Document" },
        "dct:language": languages,
        "dct:license": license,
        "dct:spatial": { "@id": SPATIAL, "@type": "dct:Location" },
        "dcat:themeTaxonomy": {
            "@id": THEME.2,
            "@type": "skos:ConceptScheme",
            "dct:title": { "@value": "Data theme", "@language": "en" },
        },
        "dcat:dataset": datasets,
    });
    if let Some(day) = described.last_change() {
        catalog["dct:modified"] = typed_date(day);
    }
    pretty(&catalog)
}

/// The data dictionary page: every collection's columns, types and
/// meanings, and its files.
pub fn dictionary(ctx: &Context<'_>, lang: Lang) -> Result<String, BuildError> {
    let title = ui(lang, "data_dictionary");
    let mut chrome = ctx.chrome(lang, routes::DATA_DICTIONARY, title, title, None);
    let data_page = Collection::Pages.record_path("data");
    let trail: Vec<(&str, &str)> = if ctx.has_page("data") {
        vec![(data_page.as_str(), ui(lang, "open_data"))]
    } else {
        vec![]
    };
    chrome.breadcrumbs = ctx.crumbs(lang, &trail);
    let kind = |k: ColumnKind| {
        ui(
            lang,
            match k {
                ColumnKind::Text => "kind_text",
                ColumnKind::Integer => "kind_integer",
                ColumnKind::Boolean => "kind_boolean",
                ColumnKind::Date => "kind_date",
                ColumnKind::List => "kind_list",
                ColumnKind::Url => "kind_url",
            },
        )
    };
    let collections: Vec<_> = Collection::ALL
        .iter()
        .map(|&c| {
            let dataset = ctx.dataset(c);
            let columns: Vec<_> = export::csv_columns(dataset)
                .into_iter()
                .map(|col| context! { name => col.name, kind => kind(col.kind), description => col.description.get(lang).to_string(), required => col.required })
                .collect();
            let files: Vec<_> = Format::ALL
                .iter()
                .map(|f| context! { href => ctx.site.asset(&routes::data_file(c, f.extension())), name => routes::data_file(c, f.extension()) })
                .collect();
            context! { id => c.dir(), label => c.label(lang), records => dataset.records.len(), columns, files }
        })
        .collect();
    let ctx_value = context! {
        page => chrome,
        title,
        collections,
        datapackage => ctx.site.asset(routes::DATA_PACKAGE),
        dcat => ctx.site.asset(routes::DATA_CATALOG),
        license => &ctx.lib.site.license.url,
        license_name => ctx.lib.site.license.name.get(lang),
    };
    Ok(TEMPLATES
        .get_template("dictionary.html")?
        .render(ctx_value)?)
}
