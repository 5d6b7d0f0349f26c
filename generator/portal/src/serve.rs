//! Live preview: build, serve on 127.0.0.1, rebuild what each save touches.
//!
//! Serves the output folder with the same Content-Security-Policy as the
//! pages declare, so anything the policy would block in production is
//! blocked in preview too. The explorer is compiled once at start; a save
//! goes through [`crate::preview::Preview::update`], which redoes only
//! what the edit touches. Pages built for preview load a small script that
//! listens on a server-sent event stream: it reloads the page after each
//! successful rebuild, and shows content problems (`path:line:column` and
//! the message) in an overlay while the last good preview stays served.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use notify::{RecursiveMode, Watcher};
use tokio::sync::watch;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::BuildError;
use crate::preview::{Changes, Preview};
use crate::render::LIVE_RELOAD_SCRIPT;
use crate::render::host::SECURITY_HEADERS;
use crate::{BuildOptions, BuildReport, Explorer};

/// Where the overlay's stylesheet is served (a file, for the CSP).
const OVERLAY_STYLESHEET: &str = "__live-reload.css";
/// The server-sent event stream.
const EVENTS: &str = "__live-reload";

/// What open pages should show: the site, or the problems of the content.
#[derive(Clone, Debug, Default)]
struct PreviewState {
    /// Bumped after every rebuild, good or not.
    generation: u64,
    /// JSON array of problems, when the last rebuild failed on content.
    problems: Option<String>,
}

/// Builds once, then serves `options.out` on `port` and rebuilds on every
/// change under the content and public folders. `report` prints outcomes.
pub fn serve(
    mut options: BuildOptions,
    port: u16,
    report: impl Fn(&Result<BuildReport, BuildError>) + Send + 'static,
) -> Result<(), BuildError> {
    options.base_url = Some(format!("http://127.0.0.1:{port}/"));
    options.live_reload = true;
    // The explorer does not depend on content: compile it once, up front.
    if let Explorer::Build(source) = &options.explorer {
        options.explorer = Explorer::Prebuilt(crate::bundle::build(source)?);
    }
    let (mut preview, first) = Preview::start(options.clone())?;
    report(&first);
    let (state_tx, state_rx) = watch::channel(state_of(0, &first));
    if first.is_err() && !options.out.join("index.html").exists() {
        eprintln!("portal: nothing to serve yet; fix the content and save to rebuild");
    }

    let (tx, rx) = mpsc::channel::<Changes>();
    let (watcher, watched) = watch(&options, tx)?;
    std::thread::spawn(move || {
        let mut watcher = watcher;
        let mut generation = 0;
        while let Ok(first) = rx.recv() {
            // Editors save in bursts (temp file, rename, chmod): gather them.
            let mut changes = first;
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(30)) {
                changes.paths.extend(more.paths);
                changes.rescan |= more.rescan;
            }
            changes.paths.sort();
            changes.paths.dedup();
            for dir in &watched {
                if changes.paths.iter().any(|p| p == dir) {
                    // The folder itself was replaced: watch the new one.
                    let _ = watcher.unwatch(dir);
                    let _ = watcher.watch(dir, RecursiveMode::Recursive);
                    changes.rescan = true;
                }
            }
            let result = preview.update(&changes);
            generation += 1;
            // No open page is fine: nobody to tell.
            let _ = state_tx.send(state_of(generation, &result));
            report(&result);
        }
    });
    serve_http(options.out.clone(), port, state_rx)
}

/// Watches the content folder and `public/` (if there is one), sending
/// their changes to `tx`; returns the watcher and the folders watched.
fn watch(
    options: &BuildOptions,
    tx: mpsc::Sender<Changes>,
) -> Result<(notify::RecommendedWatcher, Vec<PathBuf>), BuildError> {
    // A project without public/ is fine: builds skip it, so does the watcher.
    let watched: Vec<PathBuf> = std::iter::once(options.content.clone())
        .chain(options.public.clone().filter(|p| p.exists()))
        .map(|dir| dir.canonicalize().unwrap_or(dir))
        .collect();
    let roots = watched.clone();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        let changes = match event {
            Ok(e) if e.kind.is_access() => return,
            Ok(e) => Changes {
                rescan: e.need_rescan(),
                // The parents are watched only to see a folder replaced.
                paths: e
                    .paths
                    .into_iter()
                    .filter(|p| roots.iter().any(|root| p.starts_with(root)))
                    .collect(),
            },
            Err(_) => Changes {
                paths: vec![],
                rescan: true,
            },
        };
        if changes.rescan || !changes.paths.is_empty() {
            let _ = tx.send(changes);
        }
    })
    .map_err(|e| BuildError::Io {
        action: "cannot watch",
        path: options.content.clone(),
        source: std::io::Error::other(e),
    })?;
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| BuildError::Io {
                action: "cannot watch",
                path: dir.clone(),
                source: std::io::Error::other(e),
            })?;
        // `git checkout` and some editors replace the folder itself: watch
        // its parent too, to watch the new folder when it appears.
        if let Some(parent) = dir.parent() {
            let _ = watcher.watch(parent, RecursiveMode::NonRecursive);
        }
    }
    Ok((watcher, watched))
}

fn state_of(generation: u64, result: &Result<BuildReport, BuildError>) -> PreviewState {
    let problems = match result {
        Err(BuildError::Content(diagnostics)) => {
            let list: Vec<_> = diagnostics
                .iter()
                .map(|d| {
                    serde_json::json!({
                        "file": d.file, "line": d.line, "column": d.column,
                        "where": d.location(), "message": d.message, "text": d.to_string(),
                    })
                })
                .collect();
            Some(serde_json::Value::Array(list).to_string())
        }
        Err(other) => Some(
            serde_json::json!([{ "text": other.to_string(), "message": other.to_string() }])
                .to_string(),
        ),
        Ok(_) => None,
    };
    PreviewState {
        generation,
        problems,
    }
}

fn serve_http(
    out: PathBuf,
    port: u16,
    state: watch::Receiver<PreviewState>,
) -> Result<(), BuildError> {
    let runtime = tokio::runtime::Runtime::new()
        .map_err(BuildError::io("cannot start", "the preview server"))?;
    runtime.block_on(async move {
        let events = move || {
            let mut receiver = state.clone();
            // A page that opens while the content has problems sees them at once.
            let current = receiver.borrow_and_update().problems.clone();
            let initial = current.map(|p| Event::default().event("problems").data(p));
            let stream = futures_util::stream::unfold(
                (receiver, initial),
                |(mut receiver, initial)| async move {
                    if let Some(event) = initial {
                        return Some((Ok::<_, std::convert::Infallible>(event), (receiver, None)));
                    }
                    receiver.changed().await.ok()?;
                    let state = receiver.borrow_and_update().clone();
                    let event = match state.problems {
                        Some(p) => Event::default().event("problems").data(p),
                        None => Event::default()
                            .event("reload")
                            .data(state.generation.to_string()),
                    };
                    Some((Ok(event), (receiver, None)))
                },
            );
            async move { Sse::new(stream).keep_alive(KeepAlive::default()) }
        };
        let script = || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                LIVE_RELOAD_JS,
            )
        };
        let stylesheet = || async {
            (
                [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
                OVERLAY_CSS,
            )
        };
        let app = Router::new()
            .route(&format!("/{LIVE_RELOAD_SCRIPT}"), get(script))
            .route(&format!("/{OVERLAY_STYLESHEET}"), get(stylesheet))
            .route(&format!("/{EVENTS}"), get(events))
            .merge(router(&out));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(BuildError::io("cannot listen on", addr.to_string()))?;
        let port = listener
            .local_addr()
            .map_err(BuildError::io("cannot listen on", addr.to_string()))?
            .port();
        eprintln!("portal: serving http://{addr}/ (Ctrl+C to stop)");
        serve_guarded(listener, loopback_only(app, port))
            .await
            .map_err(BuildError::io("server failed on", addr.to_string()))
    })
}

/// Open connections at most: each open page holds one for its event
/// stream, so this is far more than a person previewing needs, and far
/// fewer than the process's file descriptors. Past it, new connections
/// wait in the kernel's queue until one closes.
pub const MAX_CONNECTIONS: usize = 256;

/// How long a client may take to send a request's headers before its
/// connection is closed: a half-sent request cannot hold a connection.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Serves `app` on `listener` with the guards a server on a developer's
/// machine needs: at most [`MAX_CONNECTIONS`] at once, and a
/// [`HEADER_TIMEOUT`] for each request's headers.
pub async fn serve_guarded(listener: tokio::net::TcpListener, app: Router) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    use hyper_util::service::TowerToHyperService;
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    loop {
        let slot = slots
            .clone()
            .acquire_owned()
            .await
            .expect("the semaphore is never closed");
        let (stream, _) = match listener.accept().await {
            Ok(accepted) => accepted,
            // Out of file descriptors, say: wait, then accept again.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let service = TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}

/// Answers only requests addressed to this machine by name: `Host` must be
/// `127.0.0.1`, `localhost` or `[::1]` with the preview's port. A page
/// elsewhere that rebinds its own host name to 127.0.0.1 (DNS rebinding)
/// sends its own name, and is refused, so it cannot read drafts or the
/// problems stream.
pub fn loopback_only(app: Router, port: u16) -> Router {
    app.layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| async move {
            use axum::response::IntoResponse;
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            if is_loopback_host(host, port) {
                next.run(request).await
            } else {
                (
                    axum::http::StatusCode::MISDIRECTED_REQUEST,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    format!("portal serve answers only to http://127.0.0.1:{port}/ and http://localhost:{port}/\n"),
                )
                    .into_response()
            }
        },
    ))
}

/// Whether a `Host` header names this machine on `port` (browsers leave
/// the port out only when it is 80).
fn is_loopback_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((name, given)) if !given.contains(']') => (name, given.parse().ok()),
        _ => (host, Some(80)),
    };
    given == Some(port)
        && matches!(
            name.to_ascii_lowercase().as_str(),
            "127.0.0.1" | "localhost" | "[::1]"
        )
}

/// Serves a built site as a static host would: files, `404.html` for
/// anything else, and the headers of the site's `_headers` file.
pub fn router(out: &std::path::Path) -> Router {
    let not_found = ServeFile::new(out.join("404.html"));
    // Like a host with `gzip_static` and `brotli_static`: a `.br` or `.gz`
    // twin is sent to browsers that accept it.
    let files = ServeDir::new(out)
        .precompressed_br()
        .precompressed_gzip()
        .not_found_service(not_found.clone());
    let mut router = Router::new()
        .fallback_service(files)
        .layer(axum::middleware::from_fn(move |request, next| {
            reject_unservable(request, next, not_found.clone())
        }));
    for (name, value) in SECURITY_HEADERS {
        router = router.layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_bytes(name.to_ascii_lowercase().as_bytes())
                .expect("a valid header name"),
            HeaderValue::from_static(value),
        ));
    }
    router
}

/// The longest file name the file systems in use accept, in bytes.
const MAX_SEGMENT: usize = 255;

/// Answers paths no file of the site can have (a segment longer than a
/// file name may be, a NUL) with the not-found page, as a static host
/// would, instead of letting the file system's error become a 500.
async fn reject_unservable(
    request: axum::extract::Request,
    next: axum::middleware::Next,
    not_found: ServeFile,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use tower::ServiceExt;
    let path = request.uri().path();
    let decoded = percent_decoded_len_ok(path);
    if decoded {
        return next.run(request).await;
    }
    match not_found.oneshot(request).await {
        Ok(mut response) => {
            *response.status_mut() = axum::http::StatusCode::NOT_FOUND;
            response.into_response()
        }
        Err(never) => match never {},
    }
}

/// Whether every segment of `path`, percent-decoded, is a possible file name.
fn percent_decoded_len_ok(path: &str) -> bool {
    path.split('/').all(|segment| {
        let decoded: Vec<u8> = percent_encoding::percent_decode_str(segment).collect();
        decoded.len() <= MAX_SEGMENT && !decoded.contains(&0)
    })
}

/// Reloads the page after a rebuild; shows content problems in an overlay
/// (built with DOM methods and text only: content never becomes markup).
const LIVE_RELOAD_JS: &str = r#"(() => {
  const events = new EventSource('/__live-reload');
  events.addEventListener('reload', () => location.reload());
  events.addEventListener('problems', (e) => show(JSON.parse(e.data)));
  function show(problems) {
    if (!document.querySelector('link[data-portal-overlay]')) {
      const css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/__live-reload.css';
      css.dataset.portalOverlay = '';
      document.head.append(css);
    }
    document.getElementById('portal-overlay')?.remove();
    const box = document.createElement('section');
    box.id = 'portal-overlay';
    box.setAttribute('role', 'alert');
    box.setAttribute('aria-labelledby', 'portal-overlay-title');
    const title = document.createElement('h2');
    title.id = 'portal-overlay-title';
    title.textContent = problems.length === 1
      ? '1 problem in the content — the last good preview is shown'
      : problems.length + ' problems in the content — the last good preview is shown';
    const list = document.createElement('ul');
    for (const p of problems) {
      const item = document.createElement('li');
      if (p.file) {
        const where = document.createElement('code');
        where.textContent = p.where;
        item.append(where, ': ' + p.message);
      } else {
        item.textContent = p.text;
      }
      list.append(item);
    }
    box.append(title, list);
    document.body.prepend(box);
  }
})();
"#;

/// The overlay's look: on top of the page, readable, high contrast.
const OVERLAY_CSS: &str = "#portal-overlay{position:fixed;inset:0 0 auto 0;z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#fff;color:#1a1a1a;border-bottom:4px solid #b00020;box-shadow:0 4px 16px rgba(0,0,0,.3);font:16px/1.5 system-ui,sans-serif}\n#portal-overlay h2{margin:0 0 .5rem;font-size:1.1rem;color:#b00020}\n#portal-overlay ul{margin:0;padding-left:1.2rem}\n#portal-overlay code{font-family:ui-monospace,monospace;font-weight:600}\n@media (forced-colors: active){#portal-overlay{border-bottom-color:CanvasText}}\n";

#[cfg(test)]
mod tests {
    #[test]
    fn only_this_machine_on_this_port_is_a_host() {
        for good in [
            "127.0.0.1:8000",
            "localhost:8000",
            "LOCALHOST:8000",
            "[::1]:8000",
        ] {
            assert!(super::is_loopback_host(good, 8000), "{good}");
        }
        for bad in [
            "evil.example:8000",
            "127.0.0.1",
            "127.0.0.1:8001",
            "localhost.:8000",
            "127.0.0.1.evil.example:8000",
            "",
            "[::1]",
        ] {
            assert!(!super::is_loopback_host(bad, 8000), "{bad}");
        }
    }
}
