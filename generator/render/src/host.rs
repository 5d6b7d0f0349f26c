//! Host configuration: the HTTP response headers the site needs from
//! whatever serves it, as a `_headers` file (Netlify, Cloudflare Pages)
//! and as the list the preview server sends. nginx and Apache take the
//! same headers from the files `portal init` writes
//! (`generator/portal/starter/deploy/`), which a test holds to these.

use super::context::Context;
use super::inputs::{self, Family};
use super::job::Job;
use super::rendered::Rendered;
use super::shared::Shared;
use portal_content::error::BuildError;
use portal_content::routes;

macro_rules! page_policy {
    () => {
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'"
    };
}

/// The Content-Security-Policy every page declares in a `<meta>` element.
/// `'wasm-unsafe-eval'` lets the explorer compile its WebAssembly; nothing
/// else may run but same-origin files. `blob:` in `connect-src` lets a
/// page read back the downloads it made.
pub const CONTENT_SECURITY_POLICY: &str = page_policy!();

/// The same policy as a response header, which can also forbid framing
/// (browsers ignore `frame-ancestors` in `<meta>`).
pub const CONTENT_SECURITY_POLICY_HEADER: &str =
    concat!(page_policy!(), "; frame-ancestors 'none'");

/// Headers every response of the site carries, in the order written.
pub const SECURITY_HEADERS: [(&str, &str); 5] = [
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY_HEADER),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    (
        "Permissions-Policy",
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    ),
    ("X-Frame-Options", "DENY"),
];

/// The media types of the site's files that hosts guess poorly or without
/// a charset, by the pattern of their paths (one `*` each, as Cloudflare
/// Pages allows): feeds, CSV, calendars and the JSON-LD catalogue.
pub const CONTENT_TYPES: [(&str, &str); 5] = [
    ("*.csv", "text/csv; charset=utf-8"),
    (routes::FEED, "application/atom+xml; charset=utf-8"),
    ("*/feed.xml", "application/atom+xml; charset=utf-8"),
    ("*.ics", "text/calendar; charset=utf-8"),
    ("*.jsonld", "application/ld+json"),
];

/// Files whose names carry a hash of their content: cached for a year.
pub const IMMUTABLE_CACHE: &str = "public, max-age=31536000, immutable";

/// Whether the file at site path `path` is named by its content's hash
/// (the explorer bundle: `assets/explorer-<hash>.js`,
/// `assets/explorer-search-<hash>.js`, their modules and twins).
pub fn is_content_hashed(path: &str) -> bool {
    path.strip_prefix(routes::EXPLORER_ASSETS)
        .is_some_and(|rest| rest.starts_with('-') && !rest.contains('/'))
}

/// `_headers`, the host's header configuration.
pub struct HostHeaders;

impl Family for HostHeaders {
    const NAME: &'static str = "host-headers";
    type Key = ();
    /// Where the site is deployed, in what every output reads.
    type Inputs<'c> = &'c Shared<'c>;

    fn inputs<'c>(ctx: &'c Context<'_>, _: &()) -> &'c Shared<'c> {
        &ctx.shared
    }

    fn render(shared: Self::Inputs<'_>) -> Result<Rendered<'_>, BuildError> {
        inputs::text(headers(&shared.site.base_path))
    }
}

/// The job of `_headers`.
pub fn job(ctx: &Context<'_>) -> Job {
    Job::of::<HostHeaders>(ctx, routes::HOST_HEADERS.to_string(), ())
}

/// `_headers` in the format of Netlify and Cloudflare Pages, for a site
/// whose path is `root`.
fn headers(root: &str) -> String {
    let mut out =
        String::from("# Response headers for Netlify and Cloudflare Pages, written by portal.\n");
    out.push_str(&format!("{root}*\n"));
    for (name, value) in SECURITY_HEADERS {
        out.push_str(&format!("  {name}: {value}\n"));
    }
    for (pattern, media_type) in CONTENT_TYPES {
        out.push_str(&format!("{root}{pattern}\n  Content-Type: {media_type}\n"));
    }
    out.push_str(&format!(
        "{root}{}-*\n  Cache-Control: {IMMUTABLE_CACHE}\n",
        routes::EXPLORER_ASSETS
    ));
    // The explorer's index keeps its names from build to build: a browser
    // must check it again, or it could mix old and new files.
    out.push_str(&format!("{root}explore/*\n  Cache-Control: no-cache\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bundle_files_are_content_hashed() {
        assert!(is_content_hashed("assets/explorer-0123abcd.js"));
        assert!(is_content_hashed("assets/explorer-0123abcd_bg.wasm"));
        assert!(is_content_hashed("assets/explorer-search-0123abcd.js.gz"));
        assert!(!is_content_hashed("assets/explorers.js"));
        assert!(!is_content_hashed("assets/site.css"));
        assert!(!is_content_hashed("approvals/explorer-x/index.html"));
    }
}
