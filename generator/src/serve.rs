//! Live preview: build, serve on 127.0.0.1, rebuild when content changes.
//!
//! Serves the output folder with the same Content-Security-Policy as the
//! pages declare, so anything the policy would block in production is
//! blocked in preview too. The explorer is compiled once at start; content
//! edits rebuild pages and data only.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderName, HeaderValue};
use notify::{RecursiveMode, Watcher};
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use crate::error::BuildError;
use crate::render::CONTENT_SECURITY_POLICY;
use crate::{BuildOptions, Explorer, build};

/// Builds once, then serves `options.out` on `port` and rebuilds on every
/// change under the content and public folders. `report` prints outcomes.
pub fn serve(
    mut options: BuildOptions,
    port: u16,
    report: impl Fn(Result<crate::BuildReport, BuildError>) + Send + 'static,
) -> Result<(), BuildError> {
    options.base_url = Some(format!("http://127.0.0.1:{port}/"));
    let first = build(&options);
    if let Ok(done) = &first
        && let Some(bundle) = &done.explorer
    {
        options.explorer = Explorer::Prebuilt(bundle.clone());
    }
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
    let watched: Vec<PathBuf> = std::iter::once(options.content.clone())
        .chain(options.public.clone())
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
    std::thread::spawn(move || {
        let _watcher = watcher;
        while rx.recv().is_ok() {
            // Editors save in bursts (temp file, rename, chmod): wait for quiet.
            while rx.recv_timeout(Duration::from_millis(250)).is_ok() {}
            report(build(&rebuild_options));
        }
    });

    let out = options.out.clone();
    let runtime = tokio::runtime::Runtime::new()
        .map_err(BuildError::io("cannot start", "the preview server"))?;
    runtime.block_on(async move {
        let files = ServeDir::new(&out).not_found_service(ServeFile::new(out.join("404.html")));
        let app = Router::new()
            .fallback_service(files)
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("content-security-policy"),
                HeaderValue::from_static(CONTENT_SECURITY_POLICY),
            ));
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
