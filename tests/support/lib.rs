//! Helpers shared by the end-to-end tests and the explorer benchmark:
//! fixture folders, whole builds, a served site, and Chromium through
//! chromedriver.

use std::collections::BTreeMap;
use std::fs;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use portal::bundle::ExplorerSource;
use portal::{BuildError, BuildOptions, BuildReport, Explorer};
use serde_json::{Value, json};

/// The workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is inside the workspace")
        .to_path_buf()
}

/// A fixture folder under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    root().join("tests/fixtures").join(name)
}

/// Copies a folder tree.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create folder");
    for entry in fs::read_dir(from).expect("read folder") {
        let entry = entry.expect("folder entry");
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy file");
        }
    }
}

/// The repository's content, built once per test binary.
pub fn content_site() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        build(&root().join("content"), &out, None).expect("content/ builds");
        read_tree(&out)
    })
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in fs::read_dir(dir).expect("read folder") {
            let path = entry.expect("folder entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path
                    .strip_prefix(root)
                    .expect("inside root")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, fs::read(&path).expect("read file"));
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// Builds `content` into `out` without the WebAssembly explorer (fast;
/// pages are complete without it).
pub fn build(
    content: &Path,
    out: &Path,
    base_url: Option<&str>,
) -> Result<BuildReport, BuildError> {
    portal::build(&BuildOptions {
        content: content.to_path_buf(),
        out: out.to_path_buf(),
        public: Some(root().join("public")),
        base_url: base_url.map(str::to_string),
        explorer: Explorer::Skip,
        live_reload: false,
        require_public_url: false,
        progress: portal::Progress::default(),
    })
}

/// A site built with the explorer and served on 127.0.0.1 for the life of
/// the test process.
pub struct ServedSite {
    /// `http://127.0.0.1:PORT/`
    pub base: String,
    /// The output folder.
    pub out: PathBuf,
}

impl ServedSite {
    /// Builds `content` with the explorer into `out` and serves it.
    pub fn start(content: &Path, out: &Path) -> ServedSite {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
        let base = format!("http://{}/", listener.local_addr().expect("local address"));
        let _ = fs::remove_dir_all(out);
        portal::build(&BuildOptions {
            content: content.to_path_buf(),
            out: out.to_path_buf(),
            public: Some(root().join("public")),
            base_url: Some(base.clone()),
            explorer: Explorer::Build(ExplorerSource { workspace: root() }),
            live_reload: false,
            require_public_url: false,
            progress: portal::Progress::default(),
        })
        .unwrap_or_else(|e| panic!("building {} failed: {e}", content.display()));
        let dir = out.to_path_buf();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
            runtime.block_on(async move {
                listener
                    .set_nonblocking(true)
                    .expect("non-blocking listener");
                let listener = tokio::net::TcpListener::from_std(listener).expect("tokio listener");
                let app = portal::serve::router(&dir);
                axum::serve(listener, app).await.expect("serve the site");
            });
        });
        ServedSite {
            base,
            out: out.to_path_buf(),
        }
    }
}

/// The repository's own content, built with the explorer and served once
/// per test binary.
pub fn served_content() -> &'static ServedSite {
    static SITE: OnceLock<ServedSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = root()
            .join("target/e2e")
            .join(format!("site-{}", std::process::id()));
        ServedSite::start(&root().join("content"), &out)
    })
}

/// A chromedriver process, stopped when dropped (with the browser
/// profiles its sessions used).
pub struct Chromedriver {
    child: Child,
    profiles: std::sync::Mutex<Vec<tempfile::TempDir>>,
    /// `http://127.0.0.1:PORT`
    pub url: String,
}

impl Chromedriver {
    /// Starts `/usr/bin/chromedriver` (or `$CHROMEDRIVER`) on a free port.
    pub fn start() -> Chromedriver {
        let port = TcpListener::bind("127.0.0.1:0")
            .expect("free port")
            .local_addr()
            .expect("address")
            .port();
        let binary =
            std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        let child = Command::new(&binary)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {binary} ({e}); install chromium-driver, or run scripts/test.sh which does"));
        let url = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not start on port {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        Chromedriver {
            child,
            url,
            profiles: std::sync::Mutex::default(),
        }
    }

    /// A new headless Chromium session; `javascript: false` turns scripts off.
    pub async fn session(&self, javascript: bool) -> Client {
        let dir = tempfile::tempdir().expect("profile folder");
        let profile = dir.path().to_path_buf();
        self.profiles.lock().expect("profiles").push(dir);
        let mut args = vec![
            "--headless=new".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--disable-quic".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--disable-dev-shm-usage".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", profile.display()),
        ];
        if !javascript {
            args.push("--blink-settings=scriptEnabled=false".into());
        }
        let mut caps = Capabilities::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "args": args,
                "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
                "prefs": { "download.default_directory": profile.join("downloads"), "download.prompt_for_download": false },
            }),
        );
        caps.insert("goog:loggingPrefs".into(), json!({ "browser": "ALL" }));
        let connector = hyper_util::client::legacy::connect::HttpConnector::new();
        ClientBuilder::new(connector)
            .capabilities(caps)
            .connect(&self.url)
            .await
            .expect("start a Chromium session")
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver's log endpoint: what the page printed to the console.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({ "type": "browser" }).to_string()),
        )
    }
}

/// Console messages at level SEVERE since the last call.
pub async fn console_errors(client: &Client) -> Vec<String> {
    let log = client
        .issue_cmd(BrowserLog)
        .await
        .expect("read the browser log");
    log.as_array()
        .into_iter()
        .flatten()
        .filter(|entry| entry["level"] == "SEVERE")
        .map(|entry| entry["message"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Waits until `script` (a JS expression) is truthy, polling.
pub async fn wait_for(client: &Client, script: &str) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let value = client
            .execute(&format!("return !!({script});"), vec![])
            .await
            .expect("run script");
        if value == Value::Bool(true) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out waiting for: {script}");
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
}

/// Benchmark sizes: `BENCH_SIZES=1000,10000` or, by default, 1,000 /
/// 10,000 / 100,000 records.
pub fn bench_sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES")
        .unwrap_or_else(|_| "1000,10000,100000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect()
}

/// Writes a synthetic content folder of `n` approvals (plus the real
/// taxonomies and site settings), deterministic for a given `n`: the input
/// of the benchmarks and of the windowing test.
pub fn synthetic_content(dir: &Path, n: usize) {
    let content = root().join("content");
    fs::create_dir_all(dir.join("approvals")).expect("create approvals folder");
    for file in ["site.toml", "taxonomies.toml"] {
        fs::copy(content.join(file), dir.join(file)).expect("copy settings");
    }
    const MODALITIES: [&str; 9] = [
        "small-molecule",
        "antibody",
        "vaccine",
        "nucleic-acid",
        "regenerative",
        "gene-therapy",
        "device",
        "diagnostic",
        "digital",
    ];
    const CATEGORIES: [&str; 5] = [
        "new-drug",
        "indication-expansion",
        "ivd",
        "device",
        "regenerative-product",
    ];
    const DISEASES: [&str; 4] = ["cancer", "rare", "life-course", "infection"];
    const WORDS: [&str; 8] = [
        "がん",
        "再生医療",
        "希少疾患",
        "ワクチン",
        "診断",
        "小児",
        "感染症",
        "デバイス",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move |m: usize| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % m
    };
    for i in 0..n {
        let modality = MODALITIES[next(MODALITIES.len())];
        let category = CATEGORIES[next(CATEGORIES.len())];
        let disease = DISEASES[next(DISEASES.len())];
        let word = WORDS[next(WORDS.len())];
        let international = next(4) == 0;
        let (year, month) = (2015 + next(11), 1 + next(12));
        let countries = if international {
            "countries = [\"us\"]\n"
        } else {
            ""
        };
        let body = format!(
            "+++\nid = \"synthetic-{i:06}\"\ntitle = \"合成データ {i} {word}\"\nsummary = \"ベンチマーク用の合成レコード {i}（{word}）。\"\napproved = \"{year}-{month:02}\"\ncategory = \"{category}\"\nmodality = [\"{modality}\"]\ndisease = [\"{disease}\"]\ninternational = {international}\n{countries}\n[[sources]]\ntitle = \"合成データ\"\ndate = \"2025-05-14\"\n+++\n\n合成レコード {i} の本文。\n"
        );
        fs::write(dir.join(format!("approvals/synthetic-{i:06}.md")), body)
            .expect("write synthetic record");
        if i % 2 == 0 {
            let en = format!(
                "+++\ntitle = \"Synthetic record {i}\"\nsummary = \"Synthetic record {i} for benchmarks.\"\n+++\n\nBody of synthetic record {i}.\n"
            );
            fs::write(dir.join(format!("approvals/synthetic-{i:06}.en.md")), en)
                .expect("write synthetic translation");
        }
    }
}
