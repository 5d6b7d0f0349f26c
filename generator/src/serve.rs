//! Live preview: build, serve on 127.0.0.1, rebuild when content changes.
//!
//! Serves the output folder with the same Content-Security-Policy as the
//! pages declare, so anything the policy would block in production is
//! blocked in preview too. The explorer is compiled once at start; content
//! edits rebuild pages and data only. Pages built for preview load a small
//! script that listens on a server-sent event stream and reloads the page
//! after each successful rebuild.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::routing::get;
use notify::{RecursiveMode, Watcher};
use tokio::sync::broadcast;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::BuildError;
use crate::render::{CONTENT_SECURITY_POLICY, LIVE_RELOAD_SCRIPT};
use crate::{BuildOptions, Explorer, build};

/// Builds once, then serves `options.out` on `port` and rebuilds on every
/// change under the content and public folders. `report` prints outcomes.
pub fn serve(
    mut options: BuildOptions,
    port: u16,
    report: impl Fn(Result<crate::BuildReport, BuildError>) + Send + 'static,
) -> Result<(), BuildError> {
    options.base_url = Some(format!("http://127.0.0.1:{port}/"));
    options.live_reload = true;
    let (rebuilt, _) = broadcast::channel::<()>(16);
    // The explorer does not depend on content: compile it once, up front,
    // so no rebuild (even after a failed first build) compiles it again.
    if let Explorer::Build(source) = &options.explorer {
        options.explorer = Explorer::Prebuilt(crate::bundle::build(source)?);
    }
    let first = build(&options);
    let first_failed = first.is_err();
    report(first);
    if first_failed && !options.out.join("index.html").exists() {
        eprintln!("portal: nothing to serve yet; fix the content and save to rebuild");
    }

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if event.is_ok_and(|e| !e.kind.is_access()) {
            let _ = tx.send(());
        }
    })
    .map_err(|e| BuildError::Io {
        action: "cannot watch",
        path: options.content.clone(),
        source: std::io::Error::other(e),
    })?;
    // A project without public/ is fine: builds skip it, so does the watcher.
    let watched: Vec<PathBuf> = std::iter::once(options.content.clone())
        .chain(options.public.clone().filter(|p| p.exists()))
        .collect();
    for dir in &watched {
        watcher
            .watch(dir, RecursiveMode::Recursive)
            .map_err(|e| BuildError::Io {
                action: "cannot watch",
                path: dir.clone(),
                source: std::io::Error::other(e),
            })?;
    }
    let rebuild_options = options.clone();
    let notify_pages = rebuilt.clone();
    std::thread::spawn(move || {
        let _watcher = watcher;
        while rx.recv().is_ok() {
            // Editors save in bursts (temp file, rename, chmod): wait for quiet.
            while rx.recv_timeout(Duration::from_millis(250)).is_ok() {}
            let result = build(&rebuild_options);
            if result.is_ok() {
                // No open page is fine: nobody to tell.
                let _ = notify_pages.send(());
            }
            report(result);
        }
    });

    let out = options.out.clone();
    let runtime = tokio::runtime::Runtime::new()
        .map_err(BuildError::io("cannot start", "the preview server"))?;
    runtime.block_on(async move {
        let events = move || {
            let receiver = rebuilt.subscribe();
            let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
                loop {
                    match receiver.recv().await {
                        Ok(()) => {
                            let event = Event::default().data("rebuilt");
                            return Some((Ok::<_, std::convert::Infallible>(event), receiver));
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => continue,
                        Err(broadcast::error::RecvError::Closed) => return None,
                    }
                }
            });
            async move { Sse::new(stream).keep_alive(KeepAlive::default()) }
        };
        let script = || async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                LIVE_RELOAD_JS,
            )
        };
        let app = Router::new()
            .route(&format!("/{LIVE_RELOAD_SCRIPT}"), get(script))
            .route("/__live-reload", get(events))
            .merge(router(&out));
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(BuildError::io("cannot listen on", addr.to_string()))?;
        eprintln!("portal: serving http://{addr}/ (Ctrl+C to stop)");
        axum::serve(listener, app)
            .await
            .map_err(BuildError::io("server failed on", addr.to_string()))
    })
}

/// Serves a built site as a static host would: files, `404.html` for
/// anything else, and the pages' Content-Security-Policy as a header.
pub fn router(out: &std::path::Path) -> Router {
    let files = ServeDir::new(out).not_found_service(ServeFile::new(out.join("404.html")));
    Router::new()
        .fallback_service(files)
        .layer(SetResponseHeaderLayer::overriding(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static(CONTENT_SECURITY_POLICY),
        ))
}

/// Reloads the page when the preview server says a rebuild finished.
const LIVE_RELOAD_JS: &str =
    "new EventSource('/__live-reload').onmessage = () => location.reload();\n";
