//! The page's static files: how long browsers keep them, and a check at
//! start that the built files the page names are there.
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

/// Refuses to start without the built page: the site folder, and with
/// hashed names the `hash.txt` beside the binary that names the files
/// (without it every page would ask for files that do not exist).
pub fn check_built_site(
    options: &leptos::config::LeptosOptions,
    exe_dir: &std::path::Path,
) -> Result<(), String> {
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    if !pkg.is_dir() {
        return Err(format!(
            "LEPTOS_SITE_ROOT: {} does not exist: build the page first (`make run`, or `cargo leptos build --release`)",
            pkg.display()
        ));
    }
    let hash_file = exe_dir.join(options.hash_file.as_ref());
    if options.hash_files && !hash_file.is_file() {
        return Err(format!(
            "{} is missing: it names the page's files. Build with `make run` or `cargo leptos build --release`, or copy target/release/{} next to the binary (or set LEPTOS_HASH_FILES=false for a build without hashed names)",
            hash_file.display(),
            options.hash_file
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(site_root: &std::path::Path, hash_files: bool) -> leptos::config::LeptosOptions {
        leptos::config::LeptosOptions::builder()
            .output_name("nexa-chat")
            .site_root(site_root.display().to_string())
            .site_pkg_dir("pkg")
            .hash_files(hash_files)
            .build()
    }

    #[test]
    fn a_missing_build_or_hash_file_is_refused_with_the_fix() {
        let site = tempfile::tempdir().expect("temp dir");
        let exe = tempfile::tempdir().expect("temp dir");
        let err = check_built_site(&options(site.path(), false), exe.path()).expect_err("no pkg");
        assert!(err.contains("build the page first"), "{err}");

        std::fs::create_dir(site.path().join("pkg")).expect("pkg");
        assert_eq!(
            check_built_site(&options(site.path(), false), exe.path()),
            Ok(())
        );
        let err =
            check_built_site(&options(site.path(), true), exe.path()).expect_err("no hash.txt");
        assert!(err.contains("hash.txt is missing"), "{err}");

        std::fs::write(exe.path().join("hash.txt"), "js: a\nwasm: b\ncss: c\n").expect("hash.txt");
        assert_eq!(
            check_built_site(&options(site.path(), true), exe.path()),
            Ok(())
        );
    }

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
