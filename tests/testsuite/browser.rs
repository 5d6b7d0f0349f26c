//! The explorer in real headless Chromium, driven through chromedriver:
//! what journalists, keyboard users and readers without JavaScript get.

use std::path::Path;

use amed_model::explore::text_matches;
use amed_model::{Dataset, Index, Lang, PartialDate, Query, export};
use fantoccini::{Client, Locator};
use portal_e2e::{
    Chromedriver, ServedSite, console_errors, root, served_showcase, synthetic_content, wait_for,
};
use serde_json::{Value, json};

/// One browser at a time: the machine has two cores.
/// (An async lock: it is held across awaits, and a failed test does not
/// poison it for the others.)
static BROWSER: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn lock() -> tokio::sync::MutexGuard<'static, ()> {
    BROWSER.lock().await
}

fn dataset(site: &ServedSite, collection: &str) -> Dataset {
    let json = std::fs::read_to_string(site.out.join(format!("data/{collection}.json")))
        .expect("dataset file");
    serde_json::from_str(&json).expect("dataset decodes")
}

/// Today as the browser sees it (same machine, local time).
async fn browser_today(client: &Client) -> PartialDate {
    let v = client
        .execute(
            "const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()];",
            vec![],
        )
        .await
        .unwrap();
    let n = |i: usize| v[i].as_u64().unwrap();
    PartialDate::ymd(n(0) as u16, n(1) as u8, n(2) as u8).unwrap()
}

/// The ids the Rust filter selects natively for the explorer's URL query.
fn native_ids(dataset: &Dataset, url: &str, lang: Lang, today: PartialDate) -> Vec<String> {
    let query = Query::from_url_query(url.split_once('?').map_or("", |(_, q)| q), &dataset.facets);
    let index = Index::new(dataset, today);
    index
        .evaluate(&query, lang, text_matches(dataset, &query.text).as_deref())
        .matches
        .iter()
        .map(|&i| dataset.records[i as usize].id.clone())
        .collect()
}

async fn open(client: &Client, url: &str) {
    client.goto(url).await.expect("open page");
    wait_for(client, "document.querySelector('#explorer[data-ready]') && document.querySelector('#explorer input[type=search][name=q]')").await;
}

/// The list of strings `script` returns in the open page.
async fn strings(client: &Client, script: &str) -> Vec<String> {
    let v = client.execute(script, vec![]).await.unwrap();
    serde_json::from_value(v).unwrap()
}

async fn result_ids(client: &Client) -> Vec<String> {
    strings(
        client,
        "return Array.from(document.querySelectorAll('[data-testid=result]')).map(e => e.dataset.id);",
    )
    .await
}

async fn count(client: &Client) -> String {
    client
        .find(Locator::Css("[data-testid=result-count]"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn click_option(client: &Client, facet: &str, key: &str) {
    let before = client.current_url().await.unwrap().to_string();
    client
        .find(Locator::Css(&format!(
            "input[type=checkbox][name={facet}][value={key}]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(client, &format!("location.href !== {}", json!(before))).await;
}

/// Fetches the object URL behind a download link, as bytes.
async fn download(client: &Client, testid: &str) -> Vec<u8> {
    let script = format!(
        "const [done] = arguments; const a = document.querySelector('[data-testid={testid}]'); a.click();
         const wait = () => a.hasAttribute('data-prepared')
           ? fetch(a.href).then(r => r.arrayBuffer()).then(b => done(Array.from(new Uint8Array(b))))
           : setTimeout(wait, 20);
         wait();"
    );
    let bytes = client
        .execute_async(&script, vec![])
        .await
        .expect("download");
    serde_json::from_value(bytes).unwrap()
}

#[tokio::test]
async fn journalist_filters_shares_and_downloads() {
    let _one = lock().await;
    let site = served_showcase();
    let approvals = dataset(site, "approvals");
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    assert_eq!(count(&client).await, "8");

    click_option(&client, "modality", "small-molecule").await;
    click_option(&client, "modality", "antibody").await;
    click_option(&client, "disease", "cancer").await;
    assert_eq!(result_ids(&client).await, ["ezharmia", "unituxin"]);
    assert_eq!(count(&client).await, "2");
    let url = client.current_url().await.unwrap().to_string();
    assert!(
        url.ends_with("/approvals/?modality=small-molecule&modality=antibody&disease=cancer"),
        "{url}"
    );
    let today = browser_today(&client).await;
    assert_eq!(
        result_ids(&client).await,
        native_ids(&approvals, &url, Lang::Ja, today),
        "browser and native filter agree"
    );

    // The shared link, opened in a fresh session, shows the same records.
    let other = driver.session(true).await;
    open(&other, &url).await;
    assert_eq!(result_ids(&other).await, ["ezharmia", "unituxin"]);
    let checked = other.execute("return Array.from(document.querySelectorAll('#explorer input:checked')).map(i => i.name + '=' + i.value);", vec![]).await.unwrap();
    assert_eq!(
        checked,
        json!([
            "modality=small-molecule",
            "modality=antibody",
            "disease=cancer"
        ])
    );
    other.close().await.unwrap();

    // Downloads hold exactly the filtered set, in the published format.
    let query = Query::from_url_query(url.split_once('?').unwrap().1, &approvals.facets);
    let matches = Index::new(&approvals, today)
        .evaluate(
            &query,
            Lang::Ja,
            text_matches(&approvals, &query.text).as_deref(),
        )
        .matches;
    let subset = approvals.subset(&matches);
    let csv = download(&client, "download-csv").await;
    assert_eq!(
        String::from_utf8(csv).unwrap(),
        export::to_csv_as(&subset, export::CsvFlavour::Plain)
    );
    let excel = download(&client, "download-excel").await;
    assert_eq!(
        &excel[..3],
        b"\xEF\xBB\xBF",
        "the Excel CSV starts with a BOM"
    );
    assert_eq!(String::from_utf8(excel).unwrap(), export::to_csv(&subset));
    let json = download(&client, "download-json").await;
    assert_eq!(String::from_utf8(json).unwrap(), export::to_json(&subset));
    let published = std::fs::read_to_string(site.out.join("data/approvals.excel.csv")).unwrap();
    assert_eq!(
        published.lines().next(),
        export::to_csv(&subset).lines().next(),
        "same columns as /data/approvals.excel.csv"
    );

    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn back_and_forward_restore_the_view() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    click_option(&client, "category", "regenerative-product").await;
    let regenerative = result_ids(&client).await;
    assert_eq!(regenerative, ["vyznova", "delytact"]);
    click_option(&client, "modality", "gene-therapy").await;
    assert_eq!(result_ids(&client).await, ["delytact"]);
    client.back().await.unwrap();
    wait_for(
        &client,
        "document.querySelectorAll('#explorer [data-testid=result]').length === 2",
    )
    .await;
    assert_eq!(result_ids(&client).await, regenerative);
    let gene_therapy = client
        .find(Locator::Css("input[name=modality][value=gene-therapy]"))
        .await
        .unwrap();
    assert_eq!(
        gene_therapy.prop("checked").await.unwrap().as_deref(),
        Some("false")
    );
    client.forward().await.unwrap();
    wait_for(
        &client,
        "document.querySelectorAll('#explorer [data-testid=result]').length === 1",
    )
    .await;
    client.refresh().await.unwrap();
    wait_for(&client, "document.querySelector('#explorer[data-ready]') && document.querySelectorAll('#explorer [data-testid=result]').length === 1").await;
    assert_eq!(result_ids(&client).await, ["delytact"]);
    client.close().await.unwrap();
}

#[tokio::test]
async fn searches_japanese_and_english() {
    let _one = lock().await;
    let site = served_showcase();
    let approvals = dataset(site, "approvals");
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let today = browser_today(&client).await;
    for (page, lang, text) in [
        ("approvals/", Lang::Ja, "がん"),
        ("approvals/", Lang::Ja, "再生医療"),
        ("en/approvals/", Lang::En, "CANCER"),
    ] {
        open(&client, &format!("{}{page}", site.base)).await;
        let search = client
            .find(Locator::Css("#explorer input[type=search][name=q]"))
            .await
            .unwrap();
        search.send_keys(text).await.unwrap();
        wait_for(&client, "location.search.includes('q=')").await;
        settled(&client).await;
        let url = client.current_url().await.unwrap().to_string();
        // The browser's URLSearchParams encodes the view as the model does.
        let written = url.split_once('?').map_or("", |(_, q)| q);
        assert_eq!(
            written,
            Query::from_url_query(written, &approvals.facets).to_url_query(&approvals.facets),
            "the explorer's URL for {text}"
        );
        let expected = native_ids(&approvals, &url, lang, today);
        assert!(!expected.is_empty(), "{text} should find something");
        assert!(
            expected.len() < approvals.records.len(),
            "{text} should narrow the list"
        );
        assert_eq!(result_ids(&client).await, expected, "search for {text}");
        let digits = count(&client).await;
        assert_eq!(digits, expected.len().to_string());
    }
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("en"));
    let legends = client
        .execute("return Array.from(document.querySelectorAll('#explorer legend')).map(l => l.textContent);", vec![])
        .await
        .unwrap();
    assert_eq!(
        (&legends[0], &legends[1]),
        (&json!("Year approved"), &json!("Modality")),
        "English page, English interface"
    );
    client.close().await.unwrap();
}

#[tokio::test]
async fn filters_with_the_keyboard_alone() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    let body = client.find(Locator::Css("body")).await.unwrap();
    let mut reached = false;
    for _ in 0..80 {
        body.send_keys("\u{E004}").await.unwrap(); // Tab
        let active = client.execute("const e = document.activeElement; return e.type === 'checkbox' ? e.name + '=' + e.value : '';", vec![]).await.unwrap();
        if active == json!("modality=small-molecule") {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab reaches the first modality option");
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(" ")
        .await
        .unwrap();
    wait_for(&client, "location.search === '?modality=small-molecule'").await;
    assert_eq!(result_ids(&client).await, ["ezharmia", "rapalimus"]);
    let outline = client
        .execute("const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;", vec![])
        .await
        .unwrap();
    assert_eq!(outline, json!(true), "keyboard focus is visible");
    let status = client.execute("return document.querySelector('[data-testid=result-count]').closest('[role=status]') !== null;", vec![]).await.unwrap();
    assert_eq!(status, json!(true), "the count is in a live status region");
    client.close().await.unwrap();
}

#[tokio::test]
async fn lists_every_record_without_javascript() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(false).await;
    for collection in ["approvals", "seeds", "ppi"] {
        client
            .goto(&format!("{}{collection}/", site.base))
            .await
            .unwrap();
        let ids = result_ids(&client).await;
        let expected: Vec<String> = dataset(site, collection)
            .records
            .iter()
            .map(|r| r.id.clone())
            .collect();
        assert_eq!(ids, expected, "{collection} without JavaScript");
        let ready = client
            .execute(
                "return document.querySelector('#explorer[data-ready]') === null;",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(ready, json!(true), "the explorer did not run");
    }
    // Static facet pages stand in for filters.
    client
        .goto(&format!("{}approvals/disease/cancer/", site.base))
        .await
        .unwrap();
    let cancer: Vec<String> = dataset(site, "approvals")
        .records
        .iter()
        .filter(|r| r.keys("disease").any(|k| k == "cancer"))
        .map(|r| r.id.clone())
        .collect();
    assert_eq!(result_ids(&client).await, cancer);
    client.close().await.unwrap();
}

#[tokio::test]
async fn seeds_and_ppi_filter_like_natively() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let today = browser_today(&client).await;
    open(&client, &format!("{}seeds/", site.base)).await;
    click_option(&client, "licensing", "in-negotiation").await;
    click_option(&client, "licensing", "licensed").await;
    let url = client.current_url().await.unwrap().to_string();
    let expected = native_ids(&dataset(site, "seeds"), &url, Lang::Ja, today);
    assert_eq!(expected.len(), 4);
    assert_eq!(result_ids(&client).await, expected);

    open(&client, &format!("{}en/ppi/", site.base)).await;
    click_option(&client, "disease", "rare").await;
    click_option(&client, "timing", "past").await;
    let url = client.current_url().await.unwrap().to_string();
    let expected = native_ids(&dataset(site, "ppi"), &url, Lang::En, today);
    assert_eq!(expected.len(), 2);
    assert_eq!(result_ids(&client).await, expected);
    let sample = client
        .find(Locator::Css(".notice--sample"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(sample.contains("sample data"), "{sample}");
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn zero_count_options_stay_visible_but_disabled() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    let digital = client
        .find(Locator::Css("input[name=modality][value=digital]"))
        .await
        .unwrap();
    assert_eq!(
        digital.prop("disabled").await.unwrap().as_deref(),
        Some("true")
    );
    click_option(&client, "disease", "infection").await;
    let cancer = client
        .find(Locator::Css("input[name=disease][value=cancer]"))
        .await
        .unwrap();
    assert_eq!(
        cancer.prop("disabled").await.unwrap().as_deref(),
        Some("false"),
        "own facet counts ignore own selection"
    );
    let vaccine = client
        .find(Locator::Css("input[name=modality][value=antibody]"))
        .await
        .unwrap();
    assert_eq!(
        vaccine.prop("disabled").await.unwrap().as_deref(),
        Some("true"),
        "other facets follow the selection"
    );
    click(&client, "[data-testid=clear-all]").await;
    wait_for(&client, "location.search === ''").await;
    assert_eq!(count(&client).await, "8");
    client.close().await.unwrap();
}

#[tokio::test]
async fn pages_pass_an_accessibility_audit() {
    let _one = lock().await;
    let site = served_showcase();
    let axe = std::fs::read_to_string(root().join("node_modules/axe-core/axe.min.js"))
        .expect("axe-core is installed by scripts/test.sh (npm ci)");
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    for page in [
        "",
        "approvals/",
        "approvals/delytact/",
        "policy/",
        "kpis/",
        "seeds/",
        "en/",
        "en/approvals/",
        "en/ppi/",
        "about/",
        "data/",
        "data/dictionary/",
        "sitemap/",
        "terms/",
        "privacy/",
        "en/accessibility/",
        "contact/",
        "approvals/disease/cancer/",
        "search/?q=%E3%81%8C%E3%82%93",
        "en/search/?q=vaccine&c=cases",
        "approvals/?modality=antibody&q=%E3%81%8C%E3%82%93",
        "approvals/?modality=vaccine&disease=cancer",
        "approvals/modality/gene-therapy/disease/cancer/",
        "en/seeds/modality/regenerative/",
        "feeds/",
        "en/feeds/",
        "about-ppi/",
        "search/?q=zzzz",
    ] {
        client.goto(&format!("{}{page}", site.base)).await.unwrap();
        if page.contains("approvals/?")
            || page.ends_with("approvals/")
            || page.ends_with("seeds/")
            || page.ends_with("/ppi/")
        {
            wait_for(&client, "document.querySelector('#explorer[data-ready]') && document.querySelector('#explorer legend')").await;
            settled(&client).await;
        }
        if page.contains("search/") {
            wait_for(&client, "document.querySelector('#search[data-ready]')").await;
            settled(&client).await;
        }
        client.execute(&axe, vec![]).await.expect("inject axe-core");
        let script = "const [done] = arguments;
            axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } })
               .then(r => done(r.violations.map(v => v.id + ': ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).join(', '))));";
        let violations: Value = client.execute_async(script, vec![]).await.unwrap();
        assert_eq!(violations, json!([]), "WCAG violations on /{page}");
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn long_result_lists_are_windowed() {
    let _one = lock().await;
    let dir = root()
        .join("target/e2e")
        .join(format!("windowed-{}", std::process::id()));
    let content = dir.join("content");
    let _ = std::fs::remove_dir_all(&dir);
    synthetic_content(&content, 2_000);
    let site = ServedSite::start(&content, &dir.join("site"));
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    wait_for(
        &client,
        "document.querySelectorAll('#explorer [data-testid=result]').length > 0",
    )
    .await;
    assert_eq!(count(&client).await, "2000");
    let rendered = result_ids(&client).await.len();
    assert!(
        rendered < 60,
        "only rows near the viewport are in the DOM ({rendered})"
    );
    client
        .execute("window.scrollTo(0, document.body.scrollHeight);", vec![])
        .await
        .unwrap();
    let dataset = dataset(&site, "approvals");
    let today = browser_today(&client).await;
    let all = native_ids(&dataset, "", Lang::Ja, today);
    let last = all.last().unwrap().clone();
    wait_for(
        &client,
        &format!("document.querySelector('[data-id=\"{last}\"]') !== null"),
    )
    .await;
    assert!(result_ids(&client).await.len() < 60);
    assert_eq!(
        console_errors(&client).await,
        Vec::<String>::new(),
        "windowing stays within the CSP"
    );
    client.close().await.unwrap();
    let _ = std::fs::remove_dir_all(Path::new(&dir));
}

#[tokio::test]
async fn the_preview_shows_content_errors_over_the_page_until_fixed() {
    let _one = lock().await;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    portal_e2e::copy_dir(&portal_e2e::fixture("site-minimal"), &content);
    let port = start_preview(dir.path(), &content);
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let page = format!("http://127.0.0.1:{port}/approvals/delytact/");
    client.goto(&page).await.unwrap();
    wait_for(&client, "document.querySelector('h1')").await;
    // Give the page time to subscribe to the event stream.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    let file = content.join("approvals/delytact.md");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        good.replace("approved = \"2021-06\"", "approved = \"2021-13\""),
    )
    .unwrap();
    let overlay = overlay_text(&client).await;
    assert!(overlay.contains("1 problem in the content"), "{overlay}");
    assert!(
        overlay.contains("approvals/delytact.md:5:12: impossible date \"2021-13\""),
        "{overlay}"
    );
    assert_eq!(
        client
            .find(Locator::Css("#portal-overlay"))
            .await
            .unwrap()
            .attr("role")
            .await
            .unwrap()
            .as_deref(),
        Some("alert"),
        "screen readers announce it"
    );
    // The last good preview is still what the page shows and the server serves.
    assert!(
        client
            .source()
            .await
            .unwrap()
            .contains("<h1>デリタクト注</h1>")
    );
    // A page opened while the problem stands shows it at once.
    let other = driver.session(true).await;
    other
        .goto(&format!("http://127.0.0.1:{port}/approvals/"))
        .await
        .unwrap();
    wait_for(&other, "document.getElementById('portal-overlay')").await;
    other.close().await.unwrap();

    std::fs::write(
        &file,
        good.replace(
            "title = \"デリタクト注\"",
            "title = \"デリタクト注（修正済み）\"",
        ),
    )
    .unwrap();
    wait_for(
        &client,
        "!document.getElementById('portal-overlay') && document.querySelector('h1') && document.querySelector('h1').textContent === 'デリタクト注（修正済み）'",
    )
    .await;
    assert!(console_errors(&client).await.is_empty());
    client.close().await.unwrap();
}

/// Starts `portal serve` of `content` (output in `dir`), with live reload,
/// and waits until it answers; returns its port.
fn start_preview(dir: &std::path::Path, content: &std::path::Path) -> u16 {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let options = portal::BuildOptions {
        content: content.to_path_buf(),
        out: dir.join("preview"),
        public: Some(root().join("public")),
        base_url: None,
        explorer: portal::Explorer::Skip,
        live_reload: true,
        require_public_url: false,
        progress: portal::Progress::default(),
    };
    std::thread::spawn(move || portal::serve::serve(options, port, |_| {}));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the preview did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    port
}

/// Saves a workbook of one approval (sheet 承認一覧) as `path`, as a
/// spreadsheet program would: written elsewhere, then renamed over it.
fn save_approvals_workbook(path: &std::path::Path, title: &str, modality: &str) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("承認一覧").unwrap();
    let rows = [
        [
            "id",
            "title_ja",
            "summary_ja",
            "date",
            "category",
            "modality",
            "disease",
            "sources",
        ],
        [
            "sheet-record",
            title,
            "表の記録。",
            "2021-06",
            "new-drug",
            modality,
            "cancer",
            "AMED「資料」 2025-05-14",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *value).unwrap();
        }
    }
    let temporary = path.ancestors().nth(3).unwrap().join("saving.xlsx");
    book.save(&temporary).unwrap();
    std::fs::rename(&temporary, path).unwrap();
}

#[tokio::test]
async fn the_preview_follows_a_saved_spreadsheet_and_shows_its_problems_at_the_cell() {
    let _one = lock().await;
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    portal_e2e::copy_dir(&portal_e2e::fixture("site-minimal"), &content);
    let workbook = content.join("approvals/approvals.xlsx");
    save_approvals_workbook(&workbook, "表の記録", "small-molecule");
    let port = start_preview(dir.path(), &content);
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    client
        .goto(&format!("http://127.0.0.1:{port}/approvals/sheet-record/"))
        .await
        .unwrap();
    wait_for(
        &client,
        "document.querySelector('h1') && document.querySelector('h1').textContent === '表の記録'",
    )
    .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;

    save_approvals_workbook(&workbook, "表の記録", "gene thrapy");
    let overlay = overlay_text(&client).await;
    assert!(
        overlay.contains(
            "approvals/approvals.xlsx: sheet 承認一覧, cell F2: unknown modality \"gene thrapy\""
        ),
        "{overlay}"
    );

    save_approvals_workbook(&workbook, "表の記録（改）", "gene-therapy");
    wait_for(
        &client,
        "!document.getElementById('portal-overlay') && document.querySelector('h1') && document.querySelector('h1').textContent === '表の記録（改）'",
    )
    .await;
    assert!(console_errors(&client).await.is_empty());
    client.close().await.unwrap();
}

/// The preview's problem overlay's text, once it shows.
async fn overlay_text(client: &Client) -> String {
    wait_for(client, "document.getElementById('portal-overlay')").await;
    client
        .find(Locator::Id("portal-overlay"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Clicks the element `css` selects.
async fn click(client: &Client, css: &str) {
    let element = client.find(Locator::Css(css)).await.unwrap();
    element.click().await.unwrap();
}

/// Waits until the explorer's answer and its rows are on screen.
async fn settled(client: &Client) {
    wait_for(
        client,
        "document.querySelector('#explorer .results[aria-busy=false], #search .results[aria-busy=false]') && !document.querySelector('.result--loading')",
    )
    .await;
}

/// The site's documents in the explorer index's numbering, natively.
fn native_search(site: &ServedSite, text: &str) -> Vec<String> {
    use amed_model::search::{self, InvertedIndex};
    use amed_model::{Collection, Entry, FacetSpec};
    let mut entries: Vec<(std::sync::Arc<Entry>, std::sync::Arc<Vec<FacetSpec>>)> = Vec::new();
    for c in Collection::ALL {
        let published = dataset(site, c.dir());
        let facets = std::sync::Arc::new(published.facets);
        entries.extend(published.records.into_iter().map(|e| (e, facets.clone())));
    }
    let mut index = InvertedIndex::default();
    for (i, (e, facets)) in entries.iter().enumerate() {
        let [titles, rest] = amed_model::explore::search_texts(e, facets);
        index.add(i as u32, &titles, &rest);
    }
    let postings: std::collections::BTreeMap<_, _> =
        index.grams().map(|(g, p)| (g, p.clone())).collect();
    search::ranked(
        &search::terms(text),
        |g| postings.get(&g),
        |d| entries[d as usize].0.sample,
    )
    .into_iter()
    .map(|d| entries[d as usize].0.path.clone())
    .collect()
}

async fn search_hits(client: &Client) -> Vec<String> {
    strings(
        client,
        "return Array.from(document.querySelectorAll('[data-testid=search-hit]')).map(e => e.dataset.path);",
    )
    .await
}

#[tokio::test]
async fn site_search_in_both_languages() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    // The header's search box is a plain GET form: the link works and is shareable.
    client
        .goto(&format!("{}approvals/delytact/", site.base))
        .await
        .unwrap();
    let header = client.find(Locator::Css("#site-search-q")).await.unwrap();
    header.send_keys("ウイルス療法\u{E007}").await.unwrap(); // Enter
    wait_for(
        &client,
        "location.pathname.endsWith('/search/') && document.querySelector('#search[data-ready]')",
    )
    .await;
    settled(&client).await;
    let url = client.current_url().await.unwrap().to_string();
    assert!(url.contains("?q=%E3%82%A6"), "{url}");
    let hits = search_hits(&client).await;
    assert_eq!(hits, native_search(site, "ウイルス療法"));
    assert_eq!(
        hits.first().map(String::as_str),
        Some("approvals/delytact/")
    );
    let marked = client.execute("return Array.from(document.querySelectorAll('[data-testid=search-hit] mark')).map(m => m.textContent);", vec![]).await.unwrap();
    assert!(
        marked
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m == "ウイルス療法"),
        "{marked}"
    );

    for (page, text) in [
        ("search/", "がん"),
        ("search/", "再生医療"),
        ("search/", "ワクチン"),
        ("en/search/", "ＣＯＶＩＤ"),
        ("en/search/", "VACCINE"),
    ] {
        client.goto(&format!("{}{page}", site.base)).await.unwrap();
        wait_for(&client, "document.querySelector('#search[data-ready]')").await;
        let input = client.find(Locator::Css("#search-q")).await.unwrap();
        input.send_keys(text).await.unwrap();
        wait_for(&client, "location.search.includes('q=')").await;
        settled(&client).await;
        let expected = native_search(site, text);
        assert!(!expected.is_empty(), "{text} finds something");
        let shown = search_hits(&client).await;
        assert_eq!(
            shown,
            expected.iter().take(20).cloned().collect::<Vec<_>>(),
            "{text}"
        );
        let count = client
            .find(Locator::Css("[data-testid=search-count]"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(count, expected.len().to_string(), "{text}: the count");
    }
    // Full-width and half-width forms find the same.
    assert_eq!(
        native_search(site, "ＣＯＶＩＤ"),
        native_search(site, "covid")
    );

    // Title matches rank first: 治療 is in some titles and some summaries only.
    let ranked = native_search(site, "治療");
    client
        .goto(&format!("{}search/?q=%E6%B2%BB%E7%99%82", site.base))
        .await
        .unwrap();
    wait_for(&client, "document.querySelector('#search[data-ready]')").await;
    settled(&client).await;
    // (sample, title lacks the word) of each hit, in order shown.
    let keys = client.execute("return Array.from(document.querySelectorAll('[data-testid=search-hit]')).map(h => [!!h.querySelector('.badge--sample'), !h.querySelector('.result__title').textContent.includes('治療')]);", vec![]).await.unwrap();
    let keys: Vec<(bool, bool)> = serde_json::from_value(keys).unwrap();
    assert!(
        keys.windows(2).all(|w| w[0] <= w[1]),
        "real records first, and among each, title matches first: {keys:?}"
    );
    let titles: Vec<bool> = keys.iter().map(|k| !k.1).collect();
    assert!(
        titles.contains(&true) && titles.contains(&false),
        "both kinds present: {titles:?}"
    );
    assert_eq!(
        search_hits(&client).await,
        ranked.iter().take(20).cloned().collect::<Vec<_>>()
    );

    // Narrowing by collection keeps ?q= and adds ?c=; reload restores it.
    click(&client, "input[type=radio][name=c][value=approvals]").await;
    wait_for(&client, "location.search.includes('c=approvals')").await;
    settled(&client).await;
    let approvals: Vec<String> = ranked
        .iter()
        .filter(|p| p.starts_with("approvals/"))
        .cloned()
        .collect();
    assert_eq!(search_hits(&client).await, approvals);
    client.refresh().await.unwrap();
    wait_for(&client, "document.querySelector('#search[data-ready]')").await;
    settled(&client).await;
    assert_eq!(search_hits(&client).await, approvals);
    let value = client
        .find(Locator::Css("#search-q"))
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap();
    assert_eq!(value.as_deref(), Some("治療"), "?q= round trip");
    let collections = client.execute("return Array.from(document.querySelectorAll('[data-testid=search-collection]')).map(t => t.textContent);", vec![]).await.unwrap();
    assert!(
        collections
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c == "薬事承認"),
        "{collections}"
    );
    assert_eq!(console_errors(&client).await, Vec::<String>::new());

    // Without JavaScript the page says search needs it and links every list.
    let plain = driver.session(false).await;
    plain
        .goto(&format!("{}search/?q=x", site.base))
        .await
        .unwrap();
    let notice = plain
        .find(Locator::Css("[data-testid=search-needs-js]"))
        .await
        .unwrap();
    let links = notice.find_all(Locator::Css("a")).await.unwrap();
    assert!(links.len() >= 6, "links every list");
    plain.close().await.unwrap();
    client.close().await.unwrap();
}

#[tokio::test]
async fn chips_show_and_remove_filters_and_the_language_switch_keeps_them() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    click_option(&client, "modality", "small-molecule").await;
    click_option(&client, "disease", "cancer").await;
    settled(&client).await;
    let chips = client.execute("return Array.from(document.querySelectorAll('[data-testid=chip]')).map(c => c.getAttribute('aria-label'));", vec![]).await.unwrap();
    assert_eq!(
        chips,
        json!(["モダリティ：低分子医薬品（解除）", "疾患領域：がん（解除）"])
    );
    // The switch to English carries the same view.
    let switch = client
        .find(Locator::Css("a.language-switch"))
        .await
        .unwrap();
    let href = switch.attr("href").await.unwrap().unwrap();
    assert!(
        href.ends_with("/en/approvals/?modality=small-molecule&disease=cancer"),
        "{href}"
    );
    switch.click().await.unwrap();
    wait_for(
        &client,
        "document.documentElement.lang === 'en' && document.querySelector('#explorer[data-ready]')",
    )
    .await;
    settled(&client).await;
    let checked = client.execute("return Array.from(document.querySelectorAll('#explorer input:checked')).map(i => i.name + '=' + i.value);", vec![]).await.unwrap();
    assert_eq!(
        checked,
        json!(["modality=small-molecule", "disease=cancer"])
    );
    // Removing a chip removes the filter.
    let ids = result_ids(&client).await;
    click(&client, "[data-testid=chip]").await;
    wait_for(&client, "location.search === '?disease=cancer'").await;
    settled(&client).await;
    assert!(result_ids(&client).await.len() >= ids.len());
    let chips = client
        .execute(
            "return document.querySelectorAll('[data-testid=chip]').length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(chips, json!(1));
    click(&client, "[data-testid=clear-all]").await;
    wait_for(&client, "location.search === ''").await;
    settled(&client).await;
    assert_eq!(count(&client).await, "8");
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

/// Sets the page's viewport (not the window's) to `width`×`height`.
async fn viewport(client: &Client, width: u32, height: u32) {
    client.set_window_size(width, height).await.unwrap();
    let frame = client.execute("return [window.outerWidth - window.innerWidth, window.outerHeight - window.innerHeight];", vec![]).await.unwrap();
    let extra = |i: usize| frame[i].as_u64().unwrap() as u32;
    client
        .set_window_size(width + extra(0), height + extra(1))
        .await
        .unwrap();
}

/// Where the first result's top is, and the viewport's height.
async fn first_result_top(client: &Client) -> (f64, f64) {
    let fold = client.execute("const r = document.querySelector('[data-testid=result]').getBoundingClientRect(); return [r.top, window.innerHeight];", vec![]).await.unwrap();
    (fold[0].as_f64().unwrap(), fold[1].as_f64().unwrap())
}

#[tokio::test]
async fn the_first_result_is_on_the_first_phone_screen() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    // Every list and a shared filtered link, in both languages, with
    // JavaScript on and off, with a Japanese font (scripts/test.sh
    // installs one): the count and the first result's title are on the
    // first screen of a 375×667 phone.
    let pages = [
        "approvals/",
        "en/approvals/",
        "en/approvals/?modality=gene-therapy&disease=cancer",
        "approvals/?q=%E3%81%8C%E3%82%93&from=2019",
        "seeds/",
        "en/seeds/",
        "ppi/",
        "en/ppi/",
        "cases/",
        "approvals/modality/gene-therapy/disease/cancer/",
        "en/seeds/modality/regenerative/",
    ];
    for javascript in [true, false] {
        let client = driver.session(javascript).await;
        viewport(&client, 375, 667).await;
        for page in pages {
            let is_explored = !page.starts_with("cases") && !page.contains("/modality/");
            if javascript && is_explored {
                open(&client, &format!("{}{page}", site.base)).await;
                settled(&client).await;
            } else {
                client.goto(&format!("{}{page}", site.base)).await.unwrap();
            }
            let (top, height) = first_result_top(&client).await;
            assert_eq!(height, 667.0, "viewport height");
            assert!(
                top + 60.0 < height,
                "{page} (JavaScript {javascript}): first result at {top}px of a {height}px screen"
            );
        }
        client.close().await.unwrap();
    }
    // The home page answers "what did the funding produce, and what comes
    // next" on its first two screens: figures with their date and source,
    // then the third term's pillars as cards that link to their pages.
    let client = driver.session(false).await;
    viewport(&client, 375, 667).await;
    client.goto(&site.base).await.unwrap();
    let home = client
        .execute(
            "const top = s => document.querySelector(s).getBoundingClientRect().top; \
             return [top('#pillars-heading'), top('.pillars li:last-child'), \
             document.querySelectorAll('.kpi').length, document.querySelectorAll('.kpi .kpi__as-of').length, \
             document.querySelectorAll('[data-testid=kpi-source]').length];",
            vec![],
        )
        .await
        .unwrap();
    let home: (f64, f64, usize, usize, usize) = serde_json::from_value(home).unwrap();
    assert!(
        home.1 < 2.0 * 667.0,
        "the pillars end on the second screen: {home:?}"
    );
    assert!(
        home.2 > 0 && home.2 == home.3,
        "every figure says when: {home:?}"
    );
    assert!(home.4 > 0, "the figures' source is named: {home:?}");
    // Chart text is at least 12 px on the phone.
    client.goto(&format!("{}kpis/", site.base)).await.unwrap();
    let smallest = client
        .execute(
            "const svg = document.querySelector('.chart__svg'); \
             const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width; \
             return Math.min(...Array.from(svg.querySelectorAll('text')).map(t => parseFloat(getComputedStyle(t).fontSize) * scale));",
            vec![],
        )
        .await
        .unwrap();
    assert!(
        smallest.as_f64().unwrap() >= 12.0,
        "chart text at {smallest}px"
    );
    client.close().await.unwrap();

    // The filters are one button away, it says how many are set, and the
    // panel ends by showing the results.
    let client = driver.session(true).await;
    viewport(&client, 375, 667).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    settled(&client).await;
    let toggle = client
        .find(Locator::Css("[data-testid=facets-toggle]"))
        .await
        .unwrap();
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false")
    );
    toggle.click().await.unwrap();
    click_option(&client, "modality", "antibody").await;
    let label = toggle.text().await.unwrap();
    assert!(label.ends_with("(1)"), "{label}");
    let show = client
        .find(Locator::Css("[data-testid=show-results]"))
        .await
        .unwrap();
    assert_eq!(
        show.text().await.unwrap(),
        format!("{}件を表示", count(&client).await)
    );
    show.click().await.unwrap();
    assert_eq!(
        toggle.attr("aria-expanded").await.unwrap().as_deref(),
        Some("false"),
        "the panel closed"
    );
    let focused = client
        .execute("return document.activeElement.id;", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!("results-heading"));
    // The menu is a disclosure button, not a sideways scroller.
    let menu = client
        .find(Locator::Css("[data-testid=menu-button]"))
        .await
        .unwrap();
    assert!(menu.text().await.unwrap().starts_with("メニュー"));
    let wide = client.execute("const u = document.querySelector('.site-nav ul'); return u.scrollWidth > u.clientWidth;", vec![]).await.unwrap();
    assert_eq!(wide, json!(false), "the menu does not scroll sideways");
    menu.click().await.unwrap();
    client
        .find(Locator::Css(".site-nav a[href='/ppi/']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(&client, "location.pathname === '/ppi/'").await;
    client.close().await.unwrap();
}

async fn fetched_modules(client: &Client) -> Vec<String> {
    strings(
        client,
        "return performance.getEntriesByType('resource').map(r => new URL(r.name).pathname.split('/').pop()).filter(n => n.endsWith('.wasm'));",
    )
    .await
}

#[tokio::test]
async fn each_page_loads_only_its_own_app() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}approvals/", site.base)).await;
    let lists = fetched_modules(&client).await;
    assert_eq!(lists.len(), 1, "{lists:?}");
    assert!(
        lists[0].starts_with("explorer-") && !lists[0].starts_with("explorer-search-"),
        "{lists:?}"
    );
    client
        .goto(&format!("{}search/?q=がん", site.base))
        .await
        .unwrap();
    wait_for(&client, "document.querySelector('#search[data-ready]')").await;
    let search = fetched_modules(&client).await;
    assert_eq!(search.len(), 1, "{search:?}");
    assert!(search[0].starts_with("explorer-search-"), "{search:?}");
    client
        .goto(&format!("{}approvals/delytact/", site.base))
        .await
        .unwrap();
    wait_for(&client, "document.readyState === 'complete'").await;
    assert_eq!(fetched_modules(&client).await, Vec::<String>::new());
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

mod downloads;
mod follow;
mod vocabulary;
