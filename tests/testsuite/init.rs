//! `portal init`: a new site that checks, refuses to deploy with its
//! placeholder address, builds once given one, labels its sample records,
//! reads its example spreadsheet, and carries its deployment files.

use portal::{BuildError, BuildOptions, Explorer};
use portal_e2e::read_tree;

#[test]
fn a_new_site_builds_once_its_address_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("my-portal");
    let files = portal::init::init(&site).expect("a new site");
    for deployment in [
        ".github/workflows/pages.yml",
        ".gitlab-ci.yml",
        "netlify.toml",
        "deploy/cloudflare-pages.yml",
        "public/assets/site.css",
        "content/approvals/approvals.csv",
        "content/approvals/approvals.toml",
    ] {
        assert!(files.contains(&deployment), "{deployment}");
        assert!(site.join(deployment).is_file(), "{deployment}");
    }
    assert!(
        portal::init::init(&site).is_err(),
        "a folder that is not empty is refused"
    );
    let library = portal::check(&site.join("content"), None).expect("the new site is valid");
    assert_eq!(library.approvals.len(), 2, "both rows of the spreadsheet");
    assert!(
        library.documents().all(|(_, d)| d.sample),
        "every example is a sample"
    );

    let options = |base_url: Option<&str>| BuildOptions {
        content: site.join("content"),
        out: site.join("dist"),
        public: Some(site.join("public")),
        base_url: base_url.map(str::to_string),
        explorer: Explorer::Skip,
        live_reload: false,
        require_public_url: base_url.is_none(),
        progress: portal::Progress::default(),
    };
    let err = portal::build(&options(None)).expect_err("the placeholder address is refused");
    assert!(
        matches!(err, BuildError::PlaceholderBaseUrl(ref url) if url == "https://portal.example.invalid/"),
        "{err}"
    );
    portal::build(&options(Some("https://results.example.org/"))).expect("builds");
    let out = read_tree(&site.join("dist"));
    let page = String::from_utf8(out["approvals/delytact/index.html"].clone()).unwrap();
    assert!(page.contains("この記録はサンプルデータです。"), "{page}");
    assert!(page.contains("https://results.example.org/approvals/delytact/"));
    assert!(out.contains_key("assets/site.css"));
}
