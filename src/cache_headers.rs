//! How long browsers keep the page's static files.
//!
//! cargo-leptos names the WASM, JS and CSS after their content
//! (`hash-files`), so a file under `/pkg/` never changes: browsers keep it a
//! year without asking again, and a new build is fetched at once because its
//! names are new. Any other file from disk (or unhashed names) is checked
//! with the server on each use (a 304 costs no body). Without this, browsers
//! guessed a lifetime from `Last-Modified` and could run an old WASM against
//! a new server for days after an upgrade.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;

/// Kept for a year, never revalidated: the name changes with the content.
pub const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Stored, but checked with the server before each use.
pub const REVALIDATE: &str = "no-cache";

/// Where the static files are and whether their names carry a content hash.
#[derive(Debug, Clone)]
pub struct StaticFiles {
    /// URL prefix of the built files, e.g. `/pkg/`.
    pub pkg_prefix: String,
    /// Whether cargo-leptos hashed the file names (`hash-files`).
    pub hashed: bool,
}

impl StaticFiles {
    /// From the Leptos settings the server runs with.
    pub fn new(options: &leptos::config::LeptosOptions) -> Self {
        StaticFiles {
            pkg_prefix: format!("/{}/", options.site_pkg_dir.trim_matches('/')),
            hashed: options.hash_files,
        }
    }

    /// The `Cache-Control` for a file answer at `path`.
    pub fn policy(&self, path: &str) -> &'static str {
        // `name.HASH.ext`: a plain `name.ext` is kept briefly even when
        // hashing is on, in case the files on disk were built without it.
        let hashed_name = path
            .rsplit('/')
            .next()
            .is_some_and(|name| name.split('.').count() >= 3);
        if self.hashed && hashed_name && path.starts_with(&self.pkg_prefix) {
            IMMUTABLE
        } else {
            REVALIDATE
        }
    }
}

/// Sets `Cache-Control` on answers that are files from disk (they carry
/// `Last-Modified`; pages and API answers do not) unless one is set already.
pub async fn set_cache_control(
    State(files): State<StaticFiles>,
    request: Request,
    next: Next,
) -> Response {
    let get = matches!(*request.method(), Method::GET | Method::HEAD);
    let path = request.uri().path().to_string();
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if get
        && headers.contains_key(header::LAST_MODIFIED)
        && !headers.contains_key(header::CACHE_CONTROL)
    {
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(files.policy(&path)),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_build_files_are_kept_and_the_rest_revalidated() {
        let files = StaticFiles {
            pkg_prefix: "/pkg/".into(),
            hashed: true,
        };
        assert_eq!(files.policy("/pkg/nexa-chat.AbC123.wasm"), IMMUTABLE);
        assert_eq!(files.policy("/favicon.ico"), REVALIDATE);
        assert_eq!(files.policy("/pkgx/file.a1.js"), REVALIDATE);
        assert_eq!(files.policy("/pkg/nexa-chat.wasm"), REVALIDATE);
        let unhashed = StaticFiles {
            hashed: false,
            ..files
        };
        assert_eq!(unhashed.policy("/pkg/nexa-chat.wasm"), REVALIDATE);
    }
}
