//! Descriptions of the open data in the standards data users already
//! use, all made from one schema ([`export::csv_columns`]): the
//! Frictionless Data Package with a table schema for every CSV, the DCAT
//! catalogue, schema.org `Dataset` JSON-LD for pages, and the data
//! dictionary page people read.

use amed_model::export::{self, Column, ColumnKind};
use amed_model::{Collection, Dataset, Lang, PartialDate};
use minijinja::context;
use serde_json::{Value, json};

use super::data::Format;
use super::templates::{TEMPLATES, ui};
use super::{Context, Job, Output};
use portal_content::error::BuildError;
use portal_content::routes;

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
            .with(&ctx.content_date)
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

fn licenses(ctx: &Context<'_>) -> Value {
    let license = &ctx.lib.site.license;
    json!([{ "name": license.id, "path": license.url, "title": license.name.get(Lang::En) }])
}

fn resource(
    ctx: &Context<'_>,
    name: String,
    path: &str,
    format: Format,
    dataset: &Dataset,
    rows: usize,
    title: String,
) -> Value {
    let encoding = match format {
        Format::ExcelCsv => "utf-8-sig",
        _ => "utf-8",
    };
    json!({
        "name": name,
        "title": title,
        "path": path.strip_prefix("data/").unwrap_or(path),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": encoding,
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
            title: collection.label(Lang::En).into(),
        });
    }
    for list in facet_lists(ctx) {
        let label = ctx
            .lists
            .iter()
            .find(|l| l.lang == Lang::En && l.path == list.path)
            .map(|l| l.label())
            .unwrap_or_default();
        files.push(CsvFile {
            name: list.path.trim_end_matches('/').replace('/', "-"),
            path: routes::facet_data_file(&list.path, ""),
            dataset: ctx.dataset(list.collection),
            rows: list.matches.len(),
            title: format!("{} — {label}", list.collection.label(Lang::En)),
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
                    format,
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
        "version": ctx.content_date.map(|d| d.to_string()),
        "licenses": licenses(ctx),
        "resources": resources,
    });
    pretty(&package)
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

/// The schema.org `Dataset` of `collection`, for a page's JSON-LD.
pub fn schema_org_dataset(ctx: &Context<'_>, lang: Lang, collection: Collection) -> Value {
    let dataset = ctx.dataset(collection);
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
    let page = collection.list_path();
    json!({
        "@type": "Dataset",
        "name": format!("{} — {}", ctx.lib.site.title.get(lang), collection.label(lang)),
        "description": format!("{}{}{}", collection.label(lang), ui(lang, "label_separator"), ctx.lib.site.description.get(lang)),
        "url": ctx.site.url(lang, page),
        "inLanguage": ["ja", "en"],
        "license": ctx.lib.site.license.url,
        "isAccessibleForFree": true,
        "temporalCoverage": temporal_coverage(dataset),
        "dateModified": ctx.content_date.map(|d| d.to_string()),
        "distribution": distribution,
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
        "name": ctx.lib.site.title.get(lang),
        "description": ctx.lib.site.description.get(lang),
        "url": ctx.site.url(lang, &Collection::Pages.record_path("data")),
        "license": ctx.lib.site.license.url,
        "dataset": datasets,
    })
}

/// `data/catalog.jsonld`: the DCAT catalogue of every data file.
pub fn dcat(ctx: &Context<'_>) -> String {
    let lang_text = |ja: &str, en: &str| json!([{ "@value": ja, "@language": "ja" }, { "@value": en, "@language": "en" }]);
    let license = json!({ "@id": ctx.lib.site.license.url });
    let modified = ctx.content_date.map(|d| d.to_string());
    let datasets: Vec<Value> = Collection::ALL
        .iter()
        .map(|&collection| {
            let dataset = ctx.dataset(collection);
            let mut files: Vec<(String, Format)> = Format::ALL
                .iter()
                .map(|&f| (routes::data_file(collection, f.extension()), f))
                .collect();
            for list in facet_lists(ctx).filter(|l| l.collection == collection) {
                files.extend(
                    Format::ALL
                        .iter()
                        .map(|&f| (routes::facet_data_file(&list.path, f.extension()), f)),
                );
            }
            let distributions: Vec<Value> = files
                .iter()
                .map(|(path, format)| {
                    json!({
                        "@type": "dcat:Distribution",
                        "dcat:downloadURL": { "@id": ctx.site.asset_url(path) },
                        "dcat:mediaType": format.media_type(),
                        "dct:license": license,
                        "dct:title": path.strip_prefix("data/").unwrap_or(path),
                    })
                })
                .collect();
            let page = collection.list_path();
            json!({
                "@type": "dcat:Dataset",
                "dct:identifier": collection.dir(),
                "dct:title": lang_text(collection.label(Lang::Ja), collection.label(Lang::En)),
                "dct:license": license,
                "dct:modified": modified,
                "dct:temporal": temporal_coverage(dataset),
                "dcat:landingPage": { "@id": ctx.site.url(Lang::Ja, page) },
                "dcat:distribution": distributions,
            })
        })
        .collect();
    let catalog = json!({
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
        },
        "@id": ctx.site.asset_url(routes::DATA_CATALOG),
        "@type": "dcat:Catalog",
        "dct:title": lang_text(&ctx.lib.site.title.ja, ctx.lib.site.title.get(Lang::En)),
        "dct:description": lang_text(&ctx.lib.site.description.ja, ctx.lib.site.description.get(Lang::En)),
        "dct:license": license,
        "dct:modified": modified,
        "dcat:dataset": datasets,
    });
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
