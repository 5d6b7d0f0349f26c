//! Descriptions of the open data in the standards data users already
//! use, all made from one schema ([`export::csv_columns`]): the
//! Frictionless Data Package with a table schema for every CSV, the DCAT
//! catalogue, schema.org `Dataset` JSON-LD for pages, and the data
//! dictionary page people read.

use amed_model::export::{Column, ColumnKind};
use amed_model::{Collection, Lang, Site};
use minijinja::context;
use serde_json::{Value, json};

use super::context::Context;
use super::descriptions::Described;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::rows::Format;
use super::shared::Shared;
use super::templates::{TEMPLATES, ui};
use super::views::Meta;
use portal_content::error::BuildError;
use portal_content::routes;

/// The data package, `data/datapackage.json`.
pub struct DataPackage;

impl Family for DataPackage {
    const NAME: &'static str = "datapackage";
    type Key = ();
    type Inputs<'c> = Described<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, _: &()) -> Described<'c> {
        ctx.described_with_subsets()
    }

    fn render(d: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(datapackage(&d))
    }
}

/// The DCAT catalogue, `data/catalog.jsonld`.
pub struct DataCatalog;

impl Family for DataCatalog {
    const NAME: &'static str = "dcat";
    type Key = ();
    type Inputs<'c> = Described<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, _: &()) -> Described<'c> {
        ctx.described_with_subsets()
    }

    fn render(d: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(dcat(&d))
    }
}

/// The data dictionary page, in each language.
pub struct DataDictionary;

/// What the dictionary reads: each collection's description.
#[derive(Hash)]
pub struct DictionaryInputs<'c> {
    shared: &'c Shared<'c>,
    lang: Lang,
    datasets: Vec<Meta<'c>>,
}

impl Family for DataDictionary {
    const NAME: &'static str = "dictionary";
    type Key = Lang;
    type Inputs<'c> = DictionaryInputs<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, &lang: &Lang) -> DictionaryInputs<'c> {
        DictionaryInputs {
            shared: &ctx.shared,
            lang,
            datasets: Collection::ALL
                .iter()
                .map(|&c| ctx.index(c).meta())
                .collect(),
        }
    }

    fn render(i: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(dictionary(&i)?)
    }
}

/// The jobs of the data package, the DCAT catalogue and the dictionary.
pub fn jobs(ctx: &Context<'_>) -> Vec<Job> {
    let mut jobs = vec![
        Job::of::<DataPackage>(ctx, routes::DATA_PACKAGE.into(), ()),
        Job::of::<DataCatalog>(ctx, routes::DATA_CATALOG.into(), ()),
    ];
    for lang in Lang::ALL {
        let path = routes::page_file(lang, routes::DATA_DICTIONARY);
        jobs.push(Job::of::<DataDictionary>(ctx, path, lang));
    }
    jobs
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

fn table_schema(dataset: Meta<'_>) -> Value {
    let fields: Vec<Value> = dataset.columns().iter().map(table_field).collect();
    json!({ "fields": fields, "primaryKey": "id", "missingValues": [""] })
}

/// The licence entry: its text and title. No `name`: the Data Package
/// standard keeps that for Open Definition ids, and the licences Japanese
/// public bodies use (PDL-1.0) have none.
fn licenses(settings: &Site) -> Value {
    let license = &settings.license;
    json!([{ "path": license.url, "title": license.name.get(Lang::En) }])
}

fn resource(
    settings: &Site,
    name: String,
    path: &str,
    dataset: Meta<'_>,
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
        "licenses": licenses(settings),
        "x-rows": rows,
    })
}

/// One CSV file the data package describes.
struct CsvFile<'a> {
    name: String,
    path: String,
    dataset: Meta<'a>,
    rows: usize,
    title: String,
}

/// `data/datapackage.json`: a Tabular Data Package of every CSV.
fn datapackage(d: &Described<'_>) -> String {
    let (settings, site) = (d.shared.settings, &d.shared.site);
    let mut files = Vec::new();
    for &dataset in &d.datasets {
        let collection = dataset.collection();
        files.push(CsvFile {
            name: collection.dir().into(),
            path: routes::data_file(collection, ""),
            dataset,
            rows: dataset.len(),
            title: d.descriptions.title(dataset, Lang::En),
        });
    }
    for subset in &d.subsets {
        let dataset = d.meta(subset.collection);
        files.push(CsvFile {
            name: subset.path.trim_end_matches('/').replace('/', "-"),
            path: routes::facet_data_file(subset.path, ""),
            dataset,
            rows: subset.rows,
            title: format!(
                "{} — {}",
                d.descriptions.title(dataset, Lang::En),
                subset.label(Lang::En)
            ),
        });
    }
    let resources: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            [(Format::Csv, ""), (Format::ExcelCsv, "-excel")].map(|(format, suffix)| {
                resource(
                    settings,
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
        "title": settings.title.get(Lang::En),
        "description": settings.description.get(Lang::En),
        "homepage": site.url(Lang::Ja, routes::HOME),
        // The day the content last changed, as a calendar version
        // (2026-03-05 → 2026.3.5).
        "version": d.descriptions.last_change().map(calendar_version),
        "licenses": licenses(settings),
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

/// The schema.org `Dataset` of `collection`, for a page's JSON-LD: the
/// same `@id` in both languages and in the DCAT catalogue.
pub fn schema_org_dataset(d: &Described<'_>, lang: Lang, collection: Collection) -> Value {
    let dataset = d.meta(collection);
    let described = d.descriptions;
    let (settings, site) = (d.shared.settings, &d.shared.site);
    let distribution: Vec<Value> = Format::ALL
        .iter()
        .map(|f| {
            json!({
                "@type": "DataDownload",
                "encodingFormat": f.media_type(),
                "contentUrl": site.asset_url(&routes::data_file(collection, f.extension())),
            })
        })
        .collect();
    let keywords: Vec<&str> = std::iter::once(collection.label(lang))
        .chain(dataset.facets().iter().map(|f| f.label.get(lang)))
        .collect();
    json!({
        "@type": "Dataset",
        "@id": site.dataset_id(collection.dir()),
        "name": format!("{} — {}", settings.title.get(lang), described.title(dataset, lang)),
        "description": described.description(settings, dataset, lang),
        "url": site.url(lang, collection.list_path()),
        "identifier": site.dataset_id(collection.dir()),
        "keywords": keywords,
        "creator": publisher(d.shared, lang),
        "includedInDataCatalog": {
            "@type": "DataCatalog",
            "@id": site.asset_url(routes::DATA_CATALOG),
            "name": settings.title.get(lang),
        },
        "inLanguage": ["ja", "en"],
        "license": settings.license.url,
        "isAccessibleForFree": true,
        "temporalCoverage": dataset.temporal_coverage(),
        "dateModified": described.changed(collection),
        "distribution": distribution,
    })
}

/// The site as the organisation that makes and publishes its data.
fn publisher(shared: &Shared<'_>, lang: Lang) -> Value {
    json!({
        "@type": "Organization",
        "@id": shared.site.publisher_id(),
        "name": shared.settings.title.get(lang),
        "url": shared.site.url(lang, routes::HOME),
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
pub fn schema_org_catalog(d: &Described<'_>, lang: Lang) -> Value {
    let (settings, site) = (d.shared.settings, &d.shared.site);
    let datasets: Vec<Value> = d
        .datasets
        .iter()
        .map(|m| schema_org_dataset(d, lang, m.collection()))
        .collect();
    json!({
        "@type": "DataCatalog",
        "@id": site.asset_url(routes::DATA_CATALOG),
        "name": settings.title.get(lang),
        "description": settings.description.get(lang),
        "url": site.url(lang, &Collection::Pages.record_path("data")),
        "license": settings.license.url,
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
fn period_of_time(dataset: Meta<'_>) -> Option<Value> {
    let coverage = dataset.temporal_coverage()?;
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
    site: &routes::Site,
    (path, format): (&str, Format),
    subset: &dyn Fn(Lang) -> String,
    license: &Value,
) -> Value {
    let url = json!({ "@id": site.asset_url(path) });
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
fn contact_point(shared: &Shared<'_>) -> Option<Value> {
    shared.has_page("contact").then(|| {
        json!({
            "@id": format!("{}#contact", shared.site.asset_url(routes::DATA_CATALOG)),
            "@type": ["vcard:Kind", "vcard:Organization"],
            "vcard:fn": shared.settings.title.get(Lang::En),
            "vcard:hasURL": { "@id": shared.site.url(Lang::Ja, &Collection::Pages.record_path("contact")) },
        })
    })
}

/// The DCAT dataset of `dataset`, with a distribution per file of it and
/// of its facet pages' subsets.
fn dcat_dataset(
    d: &Described<'_>,
    dataset: Meta<'_>,
    license: &Value,
    languages: &[Value],
) -> Value {
    let described = d.descriptions;
    let (settings, site) = (d.shared.settings, &d.shared.site);
    let collection = dataset.collection();
    let whole = |lang| described.title(dataset, lang);
    let mut distributions: Vec<Value> = Format::ALL
        .iter()
        .map(|&f| {
            let path = routes::data_file(collection, f.extension());
            distribution(site, (&path, f), &whole, license)
        })
        .collect();
    for subset in d.subsets.iter().filter(|s| s.collection == collection) {
        let named = |lang| format!("{} — {}", whole(lang), subset.label(lang));
        distributions.extend(Format::ALL.iter().map(|&f| {
            let path = routes::facet_data_file(subset.path, f.extension());
            distribution(site, (&path, f), &named, license)
        }));
    }
    let page = collection.list_path();
    let mut node = json!({
        "@id": site.dataset_id(collection.dir()),
        "@type": "dcat:Dataset",
        "dct:identifier": collection.dir(),
        "dct:title": lang_text(&|lang| described.title(dataset, lang)),
        "dct:description": lang_text(&|lang| described.description(settings, dataset, lang)),
        "dcat:keyword": lang_text(&|lang| collection.label(lang).to_string()),
        "dct:publisher": { "@id": site.publisher_id() },
        "dct:language": languages,
        "dct:license": license,
        "dcat:landingPage": { "@id": site.url(Lang::Ja, page), "@type": "foaf:Document" },
        "dct:spatial": { "@id": SPATIAL, "@type": "dct:Location" },
        "dcat:theme": concept((THEME.0, THEME.1)),
        "dcat:distribution": distributions,
    });
    let object = node.as_object_mut().expect("an object");
    if let Some(contact) = contact_point(d.shared) {
        object.insert("dcat:contactPoint".into(), contact);
    }
    if let Some(day) = described.changed(collection) {
        object.insert("dct:modified".into(), typed_date(day));
    }
    if let Some(period) = period_of_time(dataset) {
        object.insert("dct:temporal".into(), period);
    }
    node
}

/// `data/catalog.jsonld`: the DCAT-AP 3 catalogue of every data file.
fn dcat(d: &Described<'_>) -> String {
    let described = d.descriptions;
    let (settings, site) = (d.shared.settings, &d.shared.site);
    let license = json!({ "@id": settings.license.url, "@type": "dct:LicenseDocument" });
    let languages: Vec<Value> = LANGUAGES
        .iter()
        .map(|iri| json!({ "@id": iri, "@type": "dct:LinguisticSystem" }))
        .collect();
    let publisher = json!({
        "@id": site.publisher_id(),
        "@type": "foaf:Agent",
        "foaf:name": lang_text(&|lang| settings.title.get(lang).to_string()),
        "foaf:homepage": { "@id": site.url(Lang::Ja, routes::HOME), "@type": "foaf:Document" },
    });
    let datasets: Vec<Value> = d
        .datasets
        .iter()
        .map(|&dataset| dcat_dataset(d, dataset, &license, &languages))
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
        "@id": site.asset_url(routes::DATA_CATALOG),
        "@type": "dcat:Catalog",
        "dct:title": lang_text(&|lang| settings.title.get(lang).to_string()),
        "dct:description": lang_text(&|lang| settings.description.get(lang).to_string()),
        "dct:publisher": publisher,
        "foaf:homepage": { "@id": site.url(Lang::Ja, routes::HOME), "@type": "foaf:Document" },
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
fn dictionary(i: &DictionaryInputs<'_>) -> Result<String, BuildError> {
    let (shared, lang) = (i.shared, i.lang);
    let title = ui(lang, "data_dictionary");
    let mut chrome = shared.chrome(lang, routes::DATA_DICTIONARY, title, title, None);
    let data_page = Collection::Pages.record_path("data");
    let trail: Vec<(&str, &str)> = if shared.has_page("data") {
        vec![(data_page.as_str(), ui(lang, "open_data"))]
    } else {
        vec![]
    };
    chrome.breadcrumbs = shared.crumbs(lang, &trail);
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
    let collections: Vec<_> = i
        .datasets
        .iter()
        .map(|dataset| {
            let c = dataset.collection();
            let columns: Vec<_> = dataset
                .columns()
                .into_iter()
                .map(|col| context! { name => col.name, kind => kind(col.kind), description => col.description.get(lang).to_string(), required => col.required })
                .collect();
            let files: Vec<_> = Format::ALL
                .iter()
                .map(|f| context! { href => shared.site.asset(&routes::data_file(c, f.extension())), name => routes::data_file(c, f.extension()) })
                .collect();
            context! { id => c.dir(), label => c.label(lang), records => dataset.len(), columns, files }
        })
        .collect();
    let ctx_value = context! {
        page => chrome,
        title,
        collections,
        datapackage => shared.site.asset(routes::DATA_PACKAGE),
        dcat => shared.site.asset(routes::DATA_CATALOG),
        license => &shared.settings.license.url,
        license_name => shared.settings.license.name.get(lang),
    };
    Ok(TEMPLATES
        .get_template("dictionary.html")?
        .render(ctx_value)?)
}
