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

/// The nginx and Apache files a new site carries send every security
/// header and media type the `_headers` file does, with the same values:
/// the headers are written once, in `render::host`, and these follow.
#[test]
fn the_nginx_and_apache_files_send_the_headers_the_pages_need() {
    use portal::render::host::{CONTENT_TYPES, IMMUTABLE_CACHE, SECURITY_HEADERS};
    let file = |path: &str| {
        let (_, bytes) = portal::init::STARTER
            .iter()
            .find(|(p, _)| *p == path)
            .unwrap_or_else(|| panic!("the starter has {path}"));
        String::from_utf8(bytes.to_vec()).unwrap()
    };
    for path in ["deploy/nginx.conf", "deploy/apache.htaccess"] {
        let text = file(path);
        for (name, value) in SECURITY_HEADERS {
            let sent = text.lines().any(|l| l.contains(name) && l.contains(value));
            assert!(sent, "{path} sends {name}: {value}");
        }
        for (_, media_type) in CONTENT_TYPES {
            // nginx gives the charset of text types apart (charset_types).
            let base = media_type.split(';').next().unwrap();
            let wanted = if path.ends_with("nginx.conf") && !media_type.contains("atom") {
                base
            } else {
                media_type
            };
            assert!(text.contains(wanted), "{path} gives {media_type}");
        }
        assert!(
            text.contains(IMMUTABLE_CACHE),
            "{path} caches the explorer's files"
        );
    }
}
