//! Journalists follow exactly the view they filtered: by a feed offered
//! beside the results, explained on the feeds page; and readers without
//! JavaScript narrow by links, one option and then a second.

use super::*;

/// Clicks the element at `css` in the page. (WebDriver counts everything
/// in a `<details>` without `open` as hidden; on wide screens the page's
/// style shows those folds' contents, so the click goes through the page.)
async fn page_click(client: &Client, css: &str) {
    let before = client.current_url().await.unwrap().to_string();
    client
        .execute(
            "document.querySelector(arguments[0]).click();",
            vec![json!(css)],
        )
        .await
        .unwrap();
    wait_for(client, &format!("location.href !== {}", json!(before))).await;
}

/// The text of the element at `css`, shown or folded.
async fn text_content(client: &Client, css: &str) -> String {
    let v = client
        .execute(
            "return document.querySelector(arguments[0]).textContent;",
            vec![json!(css)],
        )
        .await
        .unwrap();
    v.as_str().unwrap().to_string()
}

/// The address in the feeds page's highlighted (`:target`) row.
async fn targeted_feed_url(client: &Client) -> String {
    client
        .find(Locator::Css("tr:target [data-testid=feed-url]"))
        .await
        .expect("the subscribe link leads to its feed's row")
        .text()
        .await
        .unwrap()
}

/// The record ids an Atom feed lists, from its entries' ids.
fn feed_ids(feed: &str) -> Vec<String> {
    feed.split("<entry>")
        .skip(1)
        .map(|e| {
            let id = e
                .split("<id>")
                .nth(1)
                .unwrap()
                .split("</id>")
                .next()
                .unwrap();
            id.trim_end_matches('/')
                .rsplit('/')
                .next()
                .unwrap()
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_filtered_view_offers_the_feed_of_exactly_that_view() {
    let _one = lock().await;
    let site = served_showcase();
    let approvals = dataset(site, "approvals");
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let today = browser_today(&client).await;

    open(
        &client,
        &format!(
            "{}en/approvals/?modality=gene-therapy&disease=cancer",
            site.base
        ),
    )
    .await;
    settled(&client).await;
    assert_eq!(
        text_content(&client, "[data-testid=follow-view] a").await,
        "Follow this view with a feed"
    );
    let url = client.current_url().await.unwrap().to_string();
    let expected = native_ids(&approvals, &url, Lang::En, today);
    assert!(!expected.is_empty());
    page_click(&client, "[data-testid=follow-view] a").await;
    wait_for(&client, "location.pathname.endsWith('/feeds/')").await;
    let address = targeted_feed_url(&client).await;
    let file = "en/approvals/modality/gene-therapy/disease/cancer/feed.xml";
    assert!(address.ends_with(&format!("/{file}")), "{address}");
    let feed = std::fs::read_to_string(site.out.join(file)).unwrap();
    assert_eq!(
        feed_ids(&feed),
        expected,
        "the feed lists exactly the filtered records"
    );

    // A view with words or a third option gets the closest feed, named.
    open(
        &client,
        &format!(
            "{}approvals/?modality=gene-therapy&disease=cancer&q=%E6%97%A5%E6%9C%AC",
            site.base
        ),
    )
    .await;
    settled(&client).await;
    let label = text_content(&client, "[data-testid=follow-view] a").await;
    assert_eq!(
        label,
        "この絞り込みに最も近いフィードで受け取る：遺伝子治療・ウイルス療法、がん"
    );
    // With nothing filtered, the list's own subscribe link (outside the
    // explorer) is enough.
    open(&client, &format!("{}approvals/", site.base)).await;
    settled(&client).await;
    assert!(
        client
            .find_all(Locator::Css("[data-testid=follow-view]"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn without_javascript_gene_therapy_for_cancer_is_two_links_away() {
    let _one = lock().await;
    let site = served_showcase();
    let approvals = dataset(site, "approvals");
    let driver = Chromedriver::start();
    let client = driver.session(false).await;
    // On a phone, as a reader would: the filters are folded under a button.
    client.set_window_size(375, 667).await.unwrap();
    client
        .goto(&format!("{}approvals/", site.base))
        .await
        .unwrap();
    for link in [
        "/approvals/modality/gene-therapy/",
        "/approvals/modality/gene-therapy/disease/cancer/",
    ] {
        click(&client, "[data-testid=facets-fold]").await;
        click(&client, &format!(".facets a[href$='{link}']")).await;
    }
    let url = client.current_url().await.unwrap().to_string();
    assert!(
        url.ends_with("/approvals/modality/gene-therapy/disease/cancer/"),
        "{url}"
    );
    let expected: Vec<String> = approvals
        .records
        .iter()
        .filter(|r| {
            r.keys("modality").any(|k| k == "gene-therapy")
                && r.keys("disease").any(|k| k == "cancer")
        })
        .map(|r| r.id.clone())
        .collect();
    assert!(!expected.is_empty());
    assert_eq!(result_ids(&client).await, expected);
    assert_eq!(count(&client).await, expected.len().to_string());
    // Each option can be removed on its own, and the page's feed is offered.
    let removals = strings(&client, "return Array.from(document.querySelectorAll('[data-testid=removals] a')).map(a => a.getAttribute('href'));").await;
    assert_eq!(
        removals,
        [
            "/approvals/disease/cancer/",
            "/approvals/modality/gene-therapy/"
        ]
    );
    click(&client, "[data-testid=subscribe]").await;
    let address = targeted_feed_url(&client).await;
    assert!(
        address.ends_with("/approvals/modality/gene-therapy/disease/cancer/feed.xml"),
        "{address}"
    );

    // Seeds and PPI narrow by links too.
    for collection in ["seeds", "ppi"] {
        client
            .goto(&format!("{}{collection}/", site.base))
            .await
            .unwrap();
        let links = strings(&client, "return Array.from(document.querySelectorAll('.facets a')).map(a => a.getAttribute('href'));").await;
        assert!(
            links
                .iter()
                .any(|l| l.starts_with(&format!("/{collection}/"))),
            "{collection}: {links:?}"
        );
    }
    client.close().await.unwrap();
}

#[tokio::test]
async fn the_ppi_list_explains_ppi_and_says_when_no_event_is_ahead() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(&client, &format!("{}ppi/", site.base)).await;
    settled(&client).await;
    // The lead says what PPI is and links the page that says more.
    let lead = text_content(&client, "[data-testid=list-lead]").await;
    assert!(
        lead.starts_with("患者・市民参画（PPI）とは、医学研究や臨床試験"),
        "{lead}"
    );
    assert!(
        lead.ends_with("患者・市民参画（PPI）とは"),
        "the link to the page: {lead}"
    );
    let ahead = client
        .execute(
            "const box = document.querySelector('input[name=timing][value=upcoming]'); return parseInt(box.closest('label').querySelector('.count').textContent.replace(/[()]/g, ''));",
            vec![],
        )
        .await
        .unwrap();
    // Every event of the test site is dated before today.
    assert_eq!(ahead, json!(0));
    let today = browser_today(&client).await;
    assert_eq!(
        text_content(&client, "[data-testid=no-upcoming]").await,
        format!(
            "{}以降に予定されている催しは、いまはありません。",
            today.format(Lang::Ja)
        )
    );
    open(&client, &format!("{}en/ppi/?timing=past", site.base)).await;
    settled(&client).await;
    assert_eq!(
        text_content(&client, "[data-testid=no-upcoming]").await,
        format!(
            "No events are scheduled from {} on, for now.",
            today.format(Lang::En)
        )
    );
    client.close().await.unwrap();
}
