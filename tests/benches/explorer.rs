//! Explorer and site-search benchmark in headless Chromium: synthetic
//! collections of 1,000 / 10,000 / 100,000 approvals, each built and
//! served (with the gzip twins, as a host with `gzip_static` serves them),
//! then measured in the browser. Prints, per size: when the explorer
//! answers (its `explorer-ready` mark) and the gzip size of every file
//! fetched until then, the median and 95th percentile from a facet click to the updated
//! DOM, and for a two-character Japanese query on `/search/` the time from
//! the arrival of the last needed file to the results on screen and the
//! index bytes fetched for it; and the gzip size of each app's wasm + js
//! (the list pages' explorer, the search page's app). Sizes are of the
//! `.gz` twins the build writes, what a `gzip_static` host sends.
//!
//! `cargo bench -p portal-e2e --bench explorer` (sizes: `BENCH_SIZES=1000,10000`).

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use portal_e2e::{Chromedriver, ServedSite, bench_sizes, root, synthetic_content, wait_for};
use serde_json::Value;

/// Clicks measured per size (each click toggles an option on or off).
const CLICKS: usize = 41;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len()
}

/// The bytes a host with `gzip_static` sends for `file`: its `.gz` twin,
/// or the file gzipped at level 9 when the build wrote none.
fn served_len(file: &std::path::Path) -> usize {
    let mut twin = file.as_os_str().to_owned();
    twin.push(".gz");
    std::fs::metadata(&twin)
        .map(|m| m.len() as usize)
        .or_else(|_| std::fs::read(file).map(|b| gzip_len(&b)))
        .unwrap_or(0)
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Clicks facet options in turn; after each, waits for the DOM to change
/// (a MutationObserver on the explorer) and records the elapsed time.
const CLICK_SCRIPT: &str = r#"
const [clicks, done] = arguments;
const root = document.getElementById('explorer');
const boxes = Array.from(root.querySelectorAll('input[type=checkbox][name=modality]:not(:disabled)'));
const times = [];
let i = 0;
function next() {
  if (i >= clicks) { done(times); return; }
  const box = boxes[i % boxes.length];
  const observer = new MutationObserver(() => {
    times.push(performance.now() - t0);
    observer.disconnect();
    i += 1;
    requestAnimationFrame(() => setTimeout(next, 0));
  });
  observer.observe(root, { subtree: true, childList: true, characterData: true, attributes: true });
  const t0 = performance.now();
  box.click();
}
next();
"#;

/// The ready mark's time, and the URLs of the page and of every resource
/// that finished before it (their gzip sizes are read from the output, so
/// the figure does not depend on which files the server compresses).
const FETCHED_BEFORE_READY: &str = r#"
const ready = performance.getEntriesByName('explorer-ready')[0].startTime;
const urls = [location.href];
for (const r of performance.getEntriesByType('resource')) {
  if (r.responseEnd <= ready) urls.push(r.name);
}
return [ready, urls];
"#;

/// The gzip size of the files behind `urls` of `site`.
fn gzip_of_urls(site: &ServedSite, urls: &Value) -> usize {
    urls.as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|url| {
            let path = url
                .strip_prefix(site.base.as_str())
                .unwrap_or(url)
                .split(['?', '#'])
                .next()
                .unwrap_or_default();
            let file = if path.is_empty() || path.ends_with('/') {
                site.out.join(path).join("index.html")
            } else {
                site.out.join(path)
            };
            served_len(&file)
        })
        .sum()
}

/// Types a query into the search page and waits for the hits; returns
/// [ms from the last index file's arrival to the hits on screen,
///  index bytes fetched for the query, hit count].
const SEARCH_SCRIPT: &str = r#"
const [text, done] = arguments;
const input = document.getElementById('search-q');
const t0 = performance.now();
input.value = text;
input.dispatchEvent(new Event('input', { bubbles: true }));
function check() {
  const count = document.querySelector('[data-testid=search-count]');
  const busy = document.querySelector('#search .results[aria-busy=true]');
  if (count && !busy && !document.querySelector('.result--loading') && document.querySelector('[data-testid=search-hit]')) {
    const t1 = performance.now();
    let last = t0, bytes = 0;
    for (const r of performance.getEntriesByType('resource')) {
      if (r.startTime >= t0 && r.name.includes('/explore/')) {
        last = Math.max(last, r.responseEnd);
        bytes += r.transferSize;
      }
    }
    done([t1 - last, bytes, Number(count.textContent)]);
  } else {
    requestAnimationFrame(check);
  }
}
check();
"#;

fn percentile(mut values: Vec<f64>, p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    let i = ((values.len() as f64 - 1.0) * p).round() as usize;
    values[i]
}

#[tokio::main]
async fn main() {
    let work = root().join("target/bench");
    let driver = Chromedriver::start();
    println!(
        "| records | explorer answers | bytes before it (gzip) | click → DOM median / p95 (of {CLICKS}) | search 「がん」: hits after last file | index bytes for it | hits | list app gzip (wasm + js) | search app gzip (wasm + js) |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for n in bench_sizes() {
        let content = work.join(format!("content-{n}"));
        if std::fs::read_dir(content.join("approvals"))
            .map(|d| d.count())
            .unwrap_or(0)
            < n
        {
            let _ = std::fs::remove_dir_all(&content);
            synthetic_content(&content, n);
        }
        let site = ServedSite::start(&content, &work.join(format!("explorer-site-{n}")));
        // [lists wasm, lists js, search wasm, search js]
        let mut app = [0usize; 4];
        for entry in std::fs::read_dir(site.out.join("assets")).expect("assets") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let search = usize::from(name.starts_with("explorer-search-")) * 2;
            if name.starts_with("explorer-") && name.ends_with(".wasm") {
                app[search] = served_len(&path);
            } else if name.starts_with("explorer-") && name.ends_with(".js") {
                app[search + 1] = served_len(&path);
            }
        }
        let client = driver.session(true).await;
        client
            .goto(&format!("{}approvals/", site.base))
            .await
            .expect("open approvals");
        wait_for(
            &client,
            "performance.getEntriesByName('explorer-ready').length > 0",
        )
        .await;
        let ready: Value = client
            .execute(FETCHED_BEFORE_READY, vec![])
            .await
            .expect("read mark");
        let before = gzip_of_urls(&site, &ready[1]);
        let times: Value = client
            .execute_async(CLICK_SCRIPT, vec![Value::from(CLICKS)])
            .await
            .expect("clicks");
        let times: Vec<f64> = times
            .as_array()
            .expect("times")
            .iter()
            .filter_map(Value::as_f64)
            .collect();
        client
            .goto(&format!("{}search/", site.base))
            .await
            .expect("open search");
        wait_for(&client, "document.querySelector('#search[data-ready]')").await;
        let search: Value = client
            .execute_async(SEARCH_SCRIPT, vec![Value::from("がん")])
            .await
            .expect("search");
        let f = |v: &Value, i: usize| v[i].as_f64().unwrap_or_default();
        println!(
            "| {n} | {:.0} ms | {:.0} KiB | {:.1} ms / {:.1} ms | {:.1} ms | {:.0} KiB | {} | {:.1} KiB ({} + {} B) | {:.1} KiB ({} + {} B) |",
            f(&ready, 0),
            before as f64 / 1024.0,
            median(times.clone()),
            percentile(times, 0.95),
            f(&search, 0),
            f(&search, 1) / 1024.0,
            f(&search, 2),
            (app[0] + app[1]) as f64 / 1024.0,
            app[0],
            app[1],
            (app[2] + app[3]) as f64 / 1024.0,
            app[2],
            app[3],
        );
        client.close().await.expect("close");
        let _ = std::fs::remove_dir_all(&site.out);
    }
}
