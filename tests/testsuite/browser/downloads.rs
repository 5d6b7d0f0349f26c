//! Downloads as people expect them: named for the view and the day, the
//! published file itself wherever one holds exactly the view, and none
//! offered for an empty view.

use super::*;

/// (href, download name) of the link with test id `testid`.
async fn link(client: &Client, testid: &str) -> (String, String) {
    let v = client
        .execute(
            "const a = document.querySelector(`[data-testid=${arguments[0]}]`); return [a.getAttribute('href'), a.getAttribute('download')];",
            vec![json!(testid)],
        )
        .await
        .unwrap();
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn download_links_are_the_views_files_named_for_the_view_and_day() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let today = browser_today(&client).await.to_string();

    // One option: the facet page's own published file, before any click.
    open(
        &client,
        &format!("{}approvals/?modality=antibody", site.base),
    )
    .await;
    settled(&client).await;
    let (href, name) = link(&client, "download-excel").await;
    assert_eq!(href, "/data/approvals/modality/antibody.excel.csv");
    assert_eq!(
        name,
        format!("approvals_modality-antibody_{today}.excel.csv")
    );
    let published =
        std::fs::read(site.out.join("data/approvals/modality/antibody.excel.csv")).unwrap();
    assert_eq!(
        download(&client, "download-excel").await,
        published,
        "the link is the file"
    );

    // Two options and words: cut on click, named for all of it.
    open(
        &client,
        &format!(
            "{}en/approvals/?modality=antibody&disease=cancer&q=Unituxin",
            site.base
        ),
    )
    .await;
    settled(&client).await;
    let (_, name) = link(&client, "download-csv").await;
    assert_eq!(
        name,
        format!("approvals_disease-cancer_modality-antibody_q-Unituxin_{today}.csv")
    );

    // Nothing to download for an empty view.
    open(
        &client,
        &format!("{}approvals/?modality=vaccine&disease=cancer", site.base),
    )
    .await;
    settled(&client).await;
    assert_eq!(count(&client).await, "0");
    let shown = client
        .execute(
            "return getComputedStyle(document.querySelector('.list-actions')).display;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(shown, json!("none"));
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}
