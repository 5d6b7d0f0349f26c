//! Readers search with the words of the classification, and an empty
//! result tells them what was searched and what to try next.

use super::*;

/// The ids of the first three results of the open list.
async fn first_three(client: &Client) -> Vec<String> {
    result_ids(client).await.into_iter().take(3).collect()
}

/// Types `text` into the list's search box and waits for the answer.
async fn type_search(client: &Client, text: &str) {
    let search = client
        .find(Locator::Css("#explorer input[type=search][name=q]"))
        .await
        .unwrap();
    search.clear().await.unwrap();
    search.send_keys(text).await.unwrap();
    wait_for(client, "location.search.includes('q=')").await;
    settled(client).await;
}

async fn text_of(client: &Client, css: &str) -> String {
    client
        .find(Locator::Css(css))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn classification_words_and_synonyms_find_the_record() {
    let _one = lock().await;
    let site = served_showcase();
    let approvals = dataset(site, "approvals");
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    let today = browser_today(&client).await;
    // Delytact's text never says 遺伝子治療 or "gene therapy": only its
    // modality does; 再生医療 is a synonym kept with the taxonomies.
    for (page, lang, text) in [
        ("approvals/", Lang::Ja, "遺伝子治療"),
        ("approvals/", Lang::Ja, "再生医療"),
        ("en/approvals/", Lang::En, "gene therapy"),
        ("en/approvals/", Lang::En, "oncolytic virus"),
    ] {
        open(&client, &format!("{}{page}", site.base)).await;
        type_search(&client, text).await;
        let shown = first_three(&client).await;
        assert!(
            shown.iter().any(|id| id == "delytact"),
            "{text} finds Delytact in the first three: {shown:?}"
        );
        let url = client.current_url().await.unwrap().to_string();
        assert_eq!(
            result_ids(&client).await,
            native_ids(&approvals, &url, lang, today),
            "{text}: the explorer answers as the model does"
        );
        // The live region says what the count is of.
        let status = text_of(&client, "#explorer .result-count").await;
        assert!(status.contains(text), "{text}: status {status:?}");
    }

    // Site search: the same words, and real records before sample ones.
    for (page, text) in [("en/search/", "gene therapy"), ("search/", "遺伝子治療")] {
        client.goto(&format!("{}{page}", site.base)).await.unwrap();
        wait_for(&client, "document.querySelector('#search[data-ready]')").await;
        client
            .find(Locator::Css("#search-q"))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
        wait_for(&client, "location.search.includes('q=')").await;
        settled(&client).await;
        let hits = search_hits(&client).await;
        assert!(
            hits.iter().take(3).any(|p| p == "approvals/delytact/"),
            "{text}: {hits:?}"
        );
        assert_eq!(
            hits,
            native_search(site, text)
                .into_iter()
                .take(20)
                .collect::<Vec<_>>()
        );
    }
    client
        .goto(&format!("{}search/?q=%E3%81%8C%E3%82%93", site.base))
        .await
        .unwrap();
    wait_for(&client, "document.querySelector('#search[data-ready]')").await;
    settled(&client).await;
    let samples: Vec<bool> = serde_json::from_value(
        client
            .execute("return Array.from(document.querySelectorAll('[data-testid=search-hit]')).map(h => !!h.querySelector('.badge--sample'));", vec![])
            .await
            .unwrap(),
    )
    .unwrap();
    assert!(
        samples.contains(&false) && samples.contains(&true),
        "がん finds real and sample records: {samples:?}"
    );
    assert!(
        samples.windows(2).all(|w| !w[0] || w[1]),
        "every real record before the first sample: {samples:?}"
    );
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn an_empty_result_says_what_was_searched_and_what_to_try() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;

    // A filter and a word that together match nothing.
    open(
        &client,
        &format!(
            "{}approvals/?modality=vaccine&q=%E3%81%8C%E3%82%93",
            site.base
        ),
    )
    .await;
    settled(&client).await;
    assert_eq!(count(&client).await, "0");
    let said = text_of(&client, "[data-testid=empty-result]").await;
    assert!(
        said.contains("ワクチン")
            && said.contains("「がん」")
            && said.contains("一致する記録はありません"),
        "{said}"
    );
    let everywhere = client
        .find(Locator::Css("[data-testid=search-everywhere]"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(everywhere, "/search/?q=%E3%81%8C%E3%82%93");
    // Keeping only the words finds what the words find.
    click(&client, "[data-testid=keep-text-only]").await;
    wait_for(&client, "!location.search.includes('modality')").await;
    settled(&client).await;
    assert_ne!(count(&client).await, "0");
    assert!(
        client
            .find_all(Locator::Css("[data-testid=empty-result]"))
            .await
            .unwrap()
            .is_empty()
    );

    // An upside-down year range is named.
    open(
        &client,
        &format!("{}en/approvals/?from=2024&to=2019", site.base),
    )
    .await;
    settled(&client).await;
    let said = text_of(&client, "[data-testid=empty-result]").await;
    assert!(said.contains("2024–2019"), "{said}");
    assert!(
        text_of(&client, "[data-testid=years-inverted]")
            .await
            .contains("start year is after the end year")
    );

    // Site search narrowed to a kind without hits offers every kind.
    client
        .goto(&format!("{}en/search/?q=Delytact&c=seeds", site.base))
        .await
        .unwrap();
    wait_for(&client, "document.querySelector('#search[data-ready]')").await;
    settled(&client).await;
    let said = text_of(&client, "[data-testid=empty-result]").await;
    assert!(said.contains("“Delytact” (in "), "{said}");
    click(&client, "[data-testid=search-all-kinds]").await;
    wait_for(&client, "!location.search.includes('c=')").await;
    settled(&client).await;
    assert_eq!(
        search_hits(&client).await.first().map(String::as_str),
        Some("approvals/delytact/")
    );
    assert_eq!(console_errors(&client).await, Vec::<String>::new());
    client.close().await.unwrap();
}

#[tokio::test]
async fn keyboard_users_skip_to_results_and_keep_their_place_when_removing_chips() {
    let _one = lock().await;
    let site = served_showcase();
    let driver = Chromedriver::start();
    let client = driver.session(true).await;
    open(
        &client,
        &format!("{}approvals/?modality=antibody&disease=cancer", site.base),
    )
    .await;
    settled(&client).await;
    // The skip link leads past the filters to the results.
    let skip = client
        .find(Locator::Css("[data-testid=skip-to-results]"))
        .await
        .unwrap();
    assert_eq!(
        skip.attr("href").await.unwrap().as_deref(),
        Some("#results-heading")
    );
    // Chips come before the filters in reading order.
    let before = client
        .execute(
            "const c = document.querySelector('[data-testid=chips]'), f = document.querySelector('#explorer-facets'); return !!(c.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING);",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(before, json!(true));
    let focused = "return document.activeElement.dataset.testid || document.activeElement.id;";
    // Removing a chip moves focus to the chip that took its place…
    click(&client, "[data-testid=chip]").await;
    wait_for(
        &client,
        "document.querySelectorAll('[data-testid=chip]').length === 1",
    )
    .await;
    wait_for(&client, "document.activeElement.dataset.testid === 'chip'").await;
    // …and removing the last one to the results.
    click(&client, "[data-testid=chip]").await;
    wait_for(&client, "document.activeElement.id === 'results-heading'").await;
    assert_eq!(
        client.execute(focused, vec![]).await.unwrap(),
        json!("results-heading")
    );
    client.close().await.unwrap();
}
