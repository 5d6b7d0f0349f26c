//! The one judge of URLs: the deployment URL (`base_url` in `site.toml`
//! and `--base-url`) and the link and image targets of content, written in
//! Markdown or in raw HTML alike.
//!
//! Browsers are lenient: they read `\` as `/` (so `/\evil.example` leaves
//! the site), drop tabs and line breaks inside URLs, and take `https:host`
//! as `https://host`. Content is untrusted, so anything a browser could
//! read in more than one way is refused.

/// Where a link or image of content points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target<'a> {
    /// Another content file: `@/approvals/delytact.md#part` (without `@/`).
    Internal(&'a str),
    /// A path or fragment of this site (`/assets/x.png`, `#top`, `x/`).
    Site,
    /// Another site (`https://…`, `//…`, `mailto:`, `tel:`).
    External,
    /// A scheme content may not use (`javascript:`, `data:`…): removed from
    /// the output like scripts are, without a word.
    Unsafe,
    /// Written in a form browsers read more than one way, and why: a
    /// problem to report.
    Refused(&'static str),
}

/// Judges the target of a link or image written in content.
pub fn content_target(url: &str) -> Target<'_> {
    if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
        return Target::Refused("it holds spaces or control characters");
    }
    if url.contains('\\') {
        return Target::Refused("it holds a backslash, which browsers read as `/`");
    }
    if let Some(file) = url.strip_prefix("@/") {
        return Target::Internal(file);
    }
    if url.starts_with("//") {
        return Target::External;
    }
    let end = url.find(['/', '?', '#']).unwrap_or(url.len());
    let Some((scheme, rest)) = url[..end]
        .split_once(':')
        .map(|(s, _)| (s, &url[s.len() + 1..]))
    else {
        return Target::Site;
    };
    match scheme.to_ascii_lowercase().as_str() {
        "http" | "https" if rest.starts_with("//") && rest.len() > 2 => Target::External,
        "http" | "https" => Target::Refused("write web addresses in full: https://host/…"),
        "mailto" | "tel" => Target::External,
        _ => Target::Unsafe,
    }
}

/// Checks the address of a page elsewhere (a source, a licence): http or
/// https, with a host, no user name or password, nothing a browser would
/// refuse; a query and a fragment are allowed.
pub fn external(url: &str) -> Result<(), String> {
    let example = "e.g. https://www.amed.go.jp/ppi/teiginado.html";
    let rest = scheme_and_characters(url, example)?;
    host_and_syntax(url, rest, example)
}

/// Checks a deployment URL and returns it ending in `/`, or says what is
/// wrong with it.
pub fn deployment(url: &str) -> Result<String, String> {
    let example = "e.g. https://example.org/amed/";
    let rest = scheme_and_characters(url, example)?;
    if url.contains(['?', '#']) {
        return Err(format!(
            "it must not have a query (?…) or a fragment (#…) ({example})"
        ));
    }
    host_and_syntax(url, rest, example)?;
    Ok(if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    })
}

/// The part of `url` after `http(s)://`, if it has that scheme and no
/// character a link cannot hold.
fn scheme_and_characters<'u>(url: &'u str, example: &str) -> Result<&'u str, String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("it must start with https:// or http:// ({example})"))?;
    if let Some(c) = url
        .chars()
        .find(|c| c.is_whitespace() || c.is_control() || "\"'<>\\`^{}|".contains(*c))
    {
        return Err(format!("it must not hold {c:?} ({example})"));
    }
    Ok(rest)
}

/// Whether `url` (`rest` after its scheme) names a valid host and parses
/// as browsers parse it.
fn host_and_syntax(url: &str, rest: &str, example: &str) -> Result<(), String> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.contains('@') {
        return Err("it must not hold a user name or password (user@…)".into());
    }
    let host = host_of(authority);
    let valid_host = !host.is_empty()
        && (host.starts_with('[')
            || host
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'));
    let port_ok = authority.strip_prefix(host).is_none_or(|p| {
        p.is_empty() || (p.len() > 1 && p[1..].chars().all(|c| c.is_ascii_digit()))
    });
    if !valid_host || !port_ok {
        return Err(format!("it has no valid host name ({example})"));
    }
    // What a browser makes of it (WHATWG URL): a port past 65535 or a
    // host no browser accepts is refused here, not found by readers.
    if let Err(err) = url::Url::parse(url) {
        return Err(format!("it is not a usable address: {err} ({example})"));
    }
    Ok(())
}

fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        authority
            .find(']')
            .map_or(authority, |end| &authority[..=end])
    } else {
        authority.split(':').next().unwrap_or_default()
    }
}

/// Whether a deployment URL points at this machine (the preview's
/// address): fine to preview, wrong to publish. The host is read as a
/// browser reads it, so every spelling of a loopback address counts:
/// `localhost.`, `2130706433`, `0x7f000001`, `[::ffff:127.0.0.1]`.
pub fn is_local(url: &str) -> bool {
    use std::net::{Ipv4Addr, Ipv6Addr};
    let v4 = |ip: Ipv4Addr| ip.is_loopback() || ip.is_unspecified();
    let v6 = |ip: Ipv6Addr| {
        ip.is_loopback() || ip.is_unspecified() || ip.to_ipv4_mapped().is_some_and(v4)
    };
    match url::Url::parse(url).ok().as_ref().and_then(url::Url::host) {
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        Some(url::Host::Ipv4(ip)) => v4(ip),
        Some(url::Host::Ipv6(ip)) => v6(ip),
        // Not an address at all: deployment() refuses it.
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_targets_browsers_read_two_ways() {
        for url in [
            "/\\evil.example/x.png",
            "\\\\evil.example",
            "https:evil.example",
            "http:/evil.example",
            "/a\tb",
            "https://a b",
        ] {
            assert!(
                matches!(content_target(url), Target::Refused(_)),
                "{url} should be refused"
            );
        }
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            "data:text/html,x",
            "vbscript:x",
        ] {
            assert_eq!(content_target(url), Target::Unsafe, "{url}");
        }
        assert_eq!(content_target("https://www.amed.go.jp/"), Target::External);
        assert_eq!(content_target("//cdn.example/x"), Target::External);
        assert_eq!(content_target("mailto:a@example.org"), Target::External);
        assert_eq!(content_target("/assets/x.png"), Target::Site);
        assert_eq!(content_target("#top"), Target::Site);
        assert_eq!(content_target("x/y:z"), Target::Site);
        assert_eq!(
            content_target("@/approvals/x.md#a"),
            Target::Internal("approvals/x.md#a")
        );
    }

    #[test]
    fn deployment_urls_are_plain_http_urls() {
        assert_eq!(
            deployment("https://example.org/amed").as_deref(),
            Ok("https://example.org/amed/")
        );
        assert!(deployment("http://127.0.0.1:8000/").is_ok());
        assert!(deployment("http://[::1]:8000/").is_ok());
        for bad in [
            "ftp://example.org/",
            "example.org",
            "https://example.org/?x=1",
            "https://example.org/#top",
            "https://exa mple.org/",
            "https://user:pw@example.org/",
            "https:///path",
            "https://example.org:80a/",
            "https://example.org:99999/",
            "https://example.org:65536/",
            "javascript:alert(1)//",
        ] {
            assert!(deployment(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn pages_elsewhere_may_have_a_query_and_a_fragment() {
        for good in [
            "https://mixonline.jp/tabid55.html?artid=72371",
            "https://www.amed.go.jp/ppi/teiginado.html#definition",
        ] {
            assert_eq!(external(good), Ok(()), "{good}");
        }
        for bad in [
            "ftp://example.org/",
            "https://exa mple.org/",
            "https://user:pw@example.org/",
            "https://?x=1",
            "https://example.org:99999/",
            "javascript:alert(1)//",
        ] {
            assert!(external(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn local_addresses() {
        for url in [
            "http://127.0.0.1:8000/",
            "http://localhost/",
            "http://LOCALHOST:1/",
            "http://[::1]/",
            "http://localhost./",
            "http://a.localhost/",
            "http://2130706433/",
            "http://0x7f000001/",
            "http://0177.0.0.1/",
            "http://127.1/",
            "http://[::ffff:127.0.0.1]/",
            "http://0.0.0.0/",
            "http://[::]/",
        ] {
            assert!(is_local(url), "{url}");
        }
        assert!(!is_local("https://example.org/"));
        assert!(!is_local("https://127.example.org/"));
    }
}
