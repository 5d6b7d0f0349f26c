//! `portal init`: a new site that builds and serves at once. The starter
//! (`generator/portal/starter/`, with the portal's own `public/`) is carried
//! in the binary: site settings with a placeholder address that `portal
//! build` asks to be set, the taxonomies, one sample record per collection
//! (the approvals as a spreadsheet with its mapping), and the deployment
//! files of GitHub Pages, GitLab Pages, Netlify and Cloudflare Pages, and
//! the nginx and Apache configuration of the headers the pages need.

use std::fs;
use std::path::Path;

use crate::error::BuildError;

/// Each file of a new site: its path in the site's folder and its bytes.
pub const STARTER: &[(&str, &[u8])] = &[
    (
        ".github/workflows/pages.yml",
        include_bytes!("../starter/.github/workflows/pages.yml"),
    ),
    (
        ".gitlab-ci.yml",
        include_bytes!("../starter/.gitlab-ci.yml"),
    ),
    ("README.md", include_bytes!("../starter/README.md")),
    (
        "content/approvals/approvals.csv",
        include_bytes!("../starter/content/approvals/approvals.csv"),
    ),
    (
        "content/approvals/approvals.toml",
        include_bytes!("../starter/content/approvals/approvals.toml"),
    ),
    (
        "content/approvals/delytact.en.md",
        include_bytes!("../starter/content/approvals/delytact.en.md"),
    ),
    (
        "content/approvals/delytact.md",
        include_bytes!("../starter/content/approvals/delytact.md"),
    ),
    (
        "content/approvals/ezharmia.md",
        include_bytes!("../starter/content/approvals/ezharmia.md"),
    ),
    (
        "content/cases/covid-19-response.md",
        include_bytes!("../starter/content/cases/covid-19-response.md"),
    ),
    (
        "content/kpis/regulatory-approvals.md",
        include_bytes!("../starter/content/kpis/regulatory-approvals.md"),
    ),
    (
        "content/pages/about.md",
        include_bytes!("../starter/content/pages/about.md"),
    ),
    (
        "content/pillars/programme-links.md",
        include_bytes!("../starter/content/pillars/programme-links.md"),
    ),
    (
        "content/ppi/sample-workshop.md",
        include_bytes!("../starter/content/ppi/sample-workshop.md"),
    ),
    (
        "content/projects/pharmaceuticals.md",
        include_bytes!("../starter/content/projects/pharmaceuticals.md"),
    ),
    (
        "content/seeds/sample-seed.md",
        include_bytes!("../starter/content/seeds/sample-seed.md"),
    ),
    (
        "content/site.toml",
        include_bytes!("../starter/content/site.toml"),
    ),
    (
        "content/taxonomies.toml",
        include_bytes!("../starter/content/taxonomies.toml"),
    ),
    (
        "deploy/apache.htaccess",
        include_bytes!("../starter/deploy/apache.htaccess"),
    ),
    (
        "deploy/cloudflare-pages.yml",
        include_bytes!("../starter/deploy/cloudflare-pages.yml"),
    ),
    (
        "deploy/nginx.conf",
        include_bytes!("../starter/deploy/nginx.conf"),
    ),
    (".gitignore", include_bytes!("../starter/gitignore")),
    ("netlify.toml", include_bytes!("../starter/netlify.toml")),
    (
        "public/favicon.svg",
        include_bytes!("../../../public/favicon.svg"),
    ),
    (
        "public/assets/site.css",
        include_bytes!("../../../public/assets/site.css"),
    ),
];

/// Writes a new site into `dir`, which must not exist or be empty; returns
/// the paths written.
pub fn init(dir: &Path) -> Result<Vec<&'static str>, BuildError> {
    let occupied = fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(BuildError::Io {
            action: "will not write a new site into",
            path: dir.to_path_buf(),
            source: std::io::Error::new(
                std::io::ErrorKind::AlreadyExists,
                "the folder is not empty (choose a new folder)",
            ),
        });
    }
    for (path, bytes) in STARTER {
        let target = dir.join(path);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(BuildError::io("cannot create", parent))?;
        }
        fs::write(&target, bytes).map_err(BuildError::io("cannot write", &target))?;
    }
    Ok(STARTER.iter().map(|(path, _)| *path).collect())
}

/// Whether `base_url` is the placeholder `portal init` writes (an address
/// under `.invalid`, which no site can have): a build for deployment
/// refuses it.
pub fn is_placeholder(base_url: &str) -> bool {
    url::Url::parse(base_url)
        .ok()
        .and_then(|u| {
            u.host_str()
                .map(|h| h.trim_end_matches('.').ends_with(".invalid"))
        })
        .unwrap_or(false)
}
