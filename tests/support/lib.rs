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

/// A copy of the minimal valid site (`tests/fixtures/site-minimal`) with
/// the named overlays of `tests/fixtures/errors/` copied over it.
pub fn minimal_site_with(overlays: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp folder");
    let content = dir.path().join("content");
    copy_dir(&fixture("site-minimal"), &content);
    for overlay in overlays {
        copy_dir(&fixture("errors").join(overlay), &content);
    }
    (dir, content)
}

/// The problems `portal check` reports of `content`, one per line, paths
/// shown from `content/`.
pub fn content_problems(content: &Path) -> String {
    let err = portal::check(content, None).expect_err("the content is broken");
    let BuildError::Content(diagnostics) = err else {
        panic!("expected content problems, got {err}")
    };
    let prefix = format!("{}/", content.display());
    diagnostics
        .iter()
        .map(|d| d.to_string().replace(&prefix, "content/"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The test site (`tests/fixtures/showcase`), built once per test binary.
pub fn showcase_site() -> &'static BTreeMap<String, Vec<u8>> {
    static SITE: OnceLock<BTreeMap<String, Vec<u8>>> = OnceLock::new();
    SITE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("dist");
        build(&fixture("showcase"), &out, None).expect("the showcase builds");
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
            explorer: Explorer::Build(ExplorerSource {
                workspace: root(),
                fresh: false,
            }),
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

/// The test site, built with the explorer and served once
/// per test binary.
pub fn served_showcase() -> &'static ServedSite {
    static SITE: OnceLock<ServedSite> = OnceLock::new();
    SITE.get_or_init(|| {
        let out = root()
            .join("target/e2e")
            .join(format!("site-{}", std::process::id()));
        ServedSite::start(&fixture("showcase"), &out)
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

/// How big the records of a synthetic site are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecordSize {
    /// As real records are: every record bilingual, bodies of several
    /// paragraphs (1–3 KB per language), one to three values per
    /// multi-valued facet, one or two sources.
    Real,
    /// One-line bodies, half the records without an English twin, one
    /// value per facet: the benchmark's records before issue 23, kept as a
    /// second case.
    Short,
}

impl RecordSize {
    /// `BENCH_RECORDS=short` or, by default, real-size records.
    pub fn from_env() -> RecordSize {
        match std::env::var("BENCH_RECORDS").as_deref() {
            Ok("short") => RecordSize::Short,
            _ => RecordSize::Real,
        }
    }

    /// How it is named in benchmark output.
    pub fn name(self) -> &'static str {
        match self {
            RecordSize::Real => "real-size records",
            RecordSize::Short => "short records",
        }
    }
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

/// Sentences real approval pages are made of, to draw bodies from (the
/// order varies per record, so bodies compress as real ones do).
const SENTENCES_JA: [&str; 12] = [
    "本品は、既存の治療法では十分な効果が得られなかった患者を対象として開発されました。",
    "基礎研究で見いだされた標的分子に基づき、非臨床試験から臨床試験まで段階的に評価が進められました。",
    "AMEDの事業では、研究開発の初期段階から実用化を見据えた伴走支援が行われました。",
    "医師主導治験により有効性と安全性が確認され、その結果が承認申請の根拠となりました。",
    "製造工程の確立と品質管理の手法についても、事業の中で検討が重ねられました。",
    "小児や高齢者など、これまで治療の選択肢が限られていた患者への適用も期待されています。",
    "研究グループは、大学病院、企業、公的研究機関から構成され、役割を分担して開発を進めました。",
    "承認後も、使用成績調査により長期の安全性に関する情報が集められています。",
    "国際共同研究の枠組みを通じて、海外の臨床データも参照されました。",
    "希少な疾患であるため、患者登録の仕組みを活用して治験の参加者が募られました。",
    "知的財産の確保と導出の方針は、研究の早い段階から専門家の助言を受けて定められました。",
    "この成果は、疾患領域を横断する研究開発のマネジメントの一例として紹介されています。",
];
const SENTENCES_EN: [&str; 12] = [
    "The product was developed for patients in whom existing treatments had not worked well enough.",
    "Starting from a target molecule found in basic research, it was evaluated step by step from non-clinical studies to clinical trials.",
    "AMED's programme supported the work from its early stages with practical application in view.",
    "An investigator-initiated trial confirmed its efficacy and safety, and its results supported the application for approval.",
    "The manufacturing process and quality control were also worked out within the programme.",
    "It is also expected to help patients, such as children and older people, who had few treatment options.",
    "The research group brought together university hospitals, companies and public research institutes, each with its own role.",
    "After approval, post-marketing surveillance continues to gather information on long-term safety.",
    "Clinical data from abroad were also consulted through an international research collaboration.",
    "As the disease is rare, a patient registry was used to recruit participants for the trial.",
    "The strategy for securing and licensing intellectual property was set early, with expert advice.",
    "The result is presented as an example of research management across disease areas.",
];

/// A deterministic pseudo-random stream (a linear congruential generator).
struct Draw(u64);

impl Draw {
    fn next(&mut self, m: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % m
    }

    /// `count` distinct values of `from`, in their order there.
    fn some<'a>(&mut self, from: &[&'a str], count: usize) -> Vec<&'a str> {
        let mut picked = vec![false; from.len()];
        for _ in 0..count {
            picked[self.next(from.len())] = true;
        }
        from.iter()
            .zip(picked)
            .filter_map(|(v, p)| p.then_some(*v))
            .collect()
    }

    /// A body of `paragraphs` paragraphs of three to five sentences.
    fn body(&mut self, sentences: &[&str], paragraphs: usize, lead: &str) -> String {
        let mut body = String::new();
        for p in 0..paragraphs {
            if p > 0 {
                body.push_str("\n\n");
            }
            if p == 0 {
                body.push_str(lead);
            }
            for _ in 0..3 + self.next(3) {
                body.push_str(sentences[self.next(sentences.len())]);
                if !sentences[0].is_ascii() {
                    continue;
                }
                body.push(' ');
            }
        }
        body.push('\n');
        body
    }
}

fn quoted(values: &[&str]) -> String {
    let items: Vec<String> = values.iter().map(|v| format!("\"{v}\"")).collect();
    format!("[{}]", items.join(", "))
}

/// Writes a synthetic content folder of `n` approvals of `size` (plus the
/// showcase's taxonomies and site settings), deterministic for a given
/// `n` and size: the input of the benchmarks and of the windowing test.
pub fn synthetic_content(dir: &Path, n: usize) {
    synthetic_content_of(dir, n, RecordSize::Short);
}

/// [`synthetic_content`] with records of `size`.
pub fn synthetic_content_of(dir: &Path, n: usize, size: RecordSize) {
    let content = fixture("showcase");
    fs::create_dir_all(dir.join("approvals")).expect("create approvals folder");
    for file in ["site.toml", "taxonomies.toml"] {
        fs::copy(content.join(file), dir.join(file)).expect("copy settings");
    }
    let mut draw = Draw(0x9E37_79B9_7F4A_7C15);
    for i in 0..n {
        let (ja, en) = match size {
            RecordSize::Short => short_record(&mut draw, i),
            RecordSize::Real => real_record(&mut draw, i),
        };
        fs::write(dir.join(format!("approvals/synthetic-{i:06}.md")), ja)
            .expect("write synthetic record");
        if let Some(en) = en {
            fs::write(dir.join(format!("approvals/synthetic-{i:06}.en.md")), en)
                .expect("write synthetic translation");
        }
    }
}

/// What every synthetic record draws after its classification: a topic
/// word, international collaboration and the approval month.
struct Facts {
    word: &'static str,
    international: bool,
    countries: &'static str,
    year: usize,
    month: usize,
}

impl Draw {
    fn facts(&mut self) -> Facts {
        let word = WORDS[self.next(WORDS.len())];
        let international = self.next(4) == 0;
        let (year, month) = (2015 + self.next(11), 1 + self.next(12));
        let countries = if international {
            "countries = [\"us\"]\n"
        } else {
            ""
        };
        Facts {
            word,
            international,
            countries,
            year,
            month,
        }
    }
}

/// A one-line record; every other one with an English twin.
fn short_record(draw: &mut Draw, i: usize) -> (String, Option<String>) {
    let modality = MODALITIES[draw.next(MODALITIES.len())];
    let category = CATEGORIES[draw.next(CATEGORIES.len())];
    let disease = DISEASES[draw.next(DISEASES.len())];
    let Facts {
        word,
        international,
        countries,
        year,
        month,
    } = draw.facts();
    let ja = format!(
        "+++\nid = \"synthetic-{i:06}\"\ntitle = \"合成データ {i} {word}\"\nsummary = \"ベンチマーク用の合成レコード {i}（{word}）。\"\napproved = \"{year}-{month:02}\"\ncategory = \"{category}\"\nmodality = [\"{modality}\"]\ndisease = [\"{disease}\"]\ninternational = {international}\n{countries}\n[[sources]]\ntitle = \"合成データ\"\ndate = \"2025-05-14\"\n+++\n\n合成レコード {i} の本文。\n"
    );
    let en = i.is_multiple_of(2).then(|| {
        format!(
            "+++\ntitle = \"Synthetic record {i}\"\nsummary = \"Synthetic record {i} for benchmarks.\"\n+++\n\nBody of synthetic record {i}.\n"
        )
    });
    (ja, en)
}

/// A record of real size, in both languages.
fn real_record(draw: &mut Draw, i: usize) -> (String, Option<String>) {
    let modalities = 1 + draw.next(3);
    let modality = draw.some(&MODALITIES, modalities);
    let diseases = 1 + draw.next(3);
    let disease = draw.some(&DISEASES, diseases);
    let category = CATEGORIES[draw.next(CATEGORIES.len())];
    let Facts {
        word,
        international,
        countries,
        year,
        month,
    } = draw.facts();
    let mut sources = String::from(
        "[[sources]]\ntitle = \"日本医療研究開発機構（AMED） 第3期の取組の方向性について\"\ndate = \"2025-05-14\"\npublisher = \"日本医療研究開発機構（AMED）\"\npage = \"薬事承認の事例\"\ntitle_en = \"The direction of AMED's third-term initiatives\"\npublisher_en = \"Japan Agency for Medical Research and Development (AMED)\"\npage_en = \"Examples of regulatory approvals\"\n",
    );
    if draw.next(2) == 0 {
        sources.push_str(&format!(
            "\n[[sources]]\ntitle = \"合成データの成果報告 {i}\"\ndate = \"{year}-{month:02}\"\npublisher = \"合成研究機関\"\nurl = \"https://example.org/results/{i}\"\ntitle_en = \"Results report of synthetic record {i}\"\npublisher_en = \"Synthetic Research Institute\"\n"
        ));
    }
    let paragraphs = 3 + draw.next(3);
    let ja_body = draw.body(
        &SENTENCES_JA,
        paragraphs,
        &format!("合成レコード {i} は{word}の領域の承認事例です。"),
    );
    let en_body = draw.body(
        &SENTENCES_EN,
        paragraphs,
        &format!("Synthetic record {i} is an approval in the area of {word}. "),
    );
    let ja = format!(
        "+++\nid = \"synthetic-{i:06}\"\ntitle = \"合成データ {i} {word}\"\nsummary = \"ベンチマーク用の合成レコード {i}（{word}）。実際の記録と同じ大きさの本文をもちます。\"\napproved = \"{year}-{month:02}\"\ncategory = \"{category}\"\nmodality = {}\ndisease = {}\ninternational = {international}\n{countries}\n{sources}+++\n\n{ja_body}",
        quoted(&modality),
        quoted(&disease),
    );
    let en = format!(
        "+++\ntitle = \"Synthetic record {i} ({word})\"\nsummary = \"Synthetic record {i} for benchmarks, with a body as long as a real record's.\"\n+++\n\n{en_body}"
    );
    (ja, Some(en))
}

/// Time, processor time and peak memory of one command.
pub struct Run {
    /// Wall-clock time.
    pub seconds: f64,
    /// Peak resident memory.
    pub peak_mib: f64,
    /// Processor time in the program and in the kernel for it.
    pub user: f64,
    /// Processor time in the kernel.
    pub system: f64,
}

/// Runs `program args` under `/usr/bin/time` for its peak memory.
pub fn measure(program: &Path, args: &[&str], cwd: &Path) -> Run {
    let report = std::env::temp_dir().join(format!("portal-bench-{}.time", std::process::id()));
    let start = Instant::now();
    let status = Command::new("/usr/bin/time")
        .arg("-f")
        .arg("%M %U %S")
        .arg("-o")
        .arg(&report)
        .arg(program)
        .args(args)
        .current_dir(cwd)
        .stdout(Stdio::null())
        .status()
        .expect("run /usr/bin/time (Debian package `time`)");
    let seconds = start.elapsed().as_secs_f64();
    assert!(status.success(), "{} {args:?} failed", program.display());
    let fields: Vec<f64> = fs::read_to_string(&report)
        .ok()
        .and_then(|t| t.lines().last().map(str::to_string))
        .map(|l| {
            l.split_whitespace()
                .filter_map(|f| f.parse().ok())
                .collect()
        })
        .unwrap_or_default();
    let field = |i: usize| fields.get(i).copied().unwrap_or(f64::NAN);
    Run {
        seconds,
        peak_mib: field(0) / 1024.0,
        user: field(1),
        system: field(2),
    }
}

/// The release `portal` binary, built first.
pub fn portal_binary() -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--release", "-p", "portal", "--quiet"])
        .current_dir(root())
        .status()
        .expect("cargo build");
    assert!(status.success(), "building portal failed");
    root().join("target/release/portal")
}

/// A validator `scripts/test.sh` installs from PyPI into
/// `target/validators` (see `scripts/validators.txt`): `frictionless`,
/// or `python` with `icalendar`.
pub fn validator(name: &str) -> PathBuf {
    let path = root().join("target/validators/bin").join(name);
    assert!(
        path.exists(),
        "{} is missing: scripts/test.sh installs it (scripts/validators.txt)",
        path.display()
    );
    path
}

/// Writes the files of `site` whose paths start with `prefix` under `dir`.
pub fn write_tree(site: &BTreeMap<String, Vec<u8>>, prefix: &str, dir: &Path) {
    for (path, bytes) in site.iter().filter(|(p, _)| p.starts_with(prefix)) {
        let file = dir.join(path);
        fs::create_dir_all(file.parent().expect("a parent")).expect("create folder");
        fs::write(&file, bytes).expect("write file");
    }
}
