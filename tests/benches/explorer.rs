//! Explorer benchmark in headless Chromium: synthetic collections of
//! 1,000 / 10,000 / 100,000 approvals, each built and served, then
//! measured in the browser. Prints, per size: time to interactive (the
//! explorer's `explorer-ready` mark), the median time from a facet click to
//! the updated DOM, and the gzip size of the wasm + js bundle.
//!
//! `cargo bench -p portal-e2e --bench explorer` (sizes: `BENCH_SIZES=1000,10000`).

use std::io::Write;

use flate2::Compression;
use flate2::write::GzEncoder;
use portal_e2e::{Chromedriver, ServedSite, bench_sizes, root, synthetic_content, wait_for};
use serde_json::Value;

/// Clicks measured per size (each click toggles an option on or off).
const CLICKS: usize = 21;

fn gzip_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip").len()
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

#[tokio::main]
async fn main() {
    let work = root().join("target/bench");
    let driver = Chromedriver::start();
    println!(
        "| records | time to interactive | click → DOM (median of {CLICKS}) | click → DOM (max) | wasm gzip | js gzip | bundle gzip |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
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
        let (mut wasm, mut js) = (0, 0);
        for entry in std::fs::read_dir(site.out.join("assets")).expect("assets") {
            let path = entry.expect("entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let bytes = std::fs::read(&path).expect("asset");
            if name.starts_with("explorer-") && name.ends_with(".wasm") {
                wasm = gzip_len(&bytes);
            } else if name.starts_with("explorer-") && name.ends_with(".js") {
                js = gzip_len(&bytes);
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
        let tti: Value = client
            .execute(
                "return performance.getEntriesByName('explorer-ready')[0].startTime;",
                vec![],
            )
            .await
            .expect("read mark");
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
        let max = times.iter().copied().fold(0.0, f64::max);
        println!(
            "| {n} | {:.0} ms | {:.1} ms | {:.1} ms | {wasm} B | {js} B | {} B ({:.1} KiB) |",
            tti.as_f64().unwrap_or_default(),
            median(times),
            max,
            wasm + js,
            (wasm + js) as f64 / 1024.0
        );
        client.close().await.expect("close");
        let _ = std::fs::remove_dir_all(&site.out);
    }
}
