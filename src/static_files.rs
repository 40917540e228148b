//! The page's static files: how long browsers keep them, and a check at
//! start that the built files the page names are there.
//!
//! Release builds (`make run`, `make bench`, `make test`: they set
//! `LEPTOS_HASH_FILES=true`) name the WASM, JS and CSS after their content,
//! so a file under `/pkg/` never changes: browsers keep it a year without
//! asking again, and a new build is fetched at once because its names are
//! new. Any other file from disk, and the unhashed names of `cargo leptos
//! watch` (which does not re-hash on rebuilds), is checked with the server
//! on each use: `/pkg/` is served by a `ServeDir` that answers 304. Without
//! this, browsers guessed a lifetime from `Last-Modified` and could run an
//! old WASM against a new server for days after an upgrade.

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
        // `name.HASH.ext`: a plain `name.ext` is revalidated even when
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
    let policy = matches!(*request.method(), Method::GET | Method::HEAD)
        .then(|| files.policy(request.uri().path()));
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if let Some(policy) = policy {
        if headers.contains_key(header::LAST_MODIFIED)
            && !headers.contains_key(header::CACHE_CONTROL)
        {
            headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(policy));
        }
    }
    response
}

/// The content hashes in cargo-leptos' `hash.txt`: `(kind, hash)` pairs
/// such as `("wasm", "gYWv…")`, from lines `kind: hash`.
pub fn parse_hashes(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|line| line.split_once(':'))
        .map(|(kind, hash)| (kind.trim().to_string(), hash.trim().to_string()))
        .filter(|(kind, hash)| !kind.is_empty() && !hash.is_empty())
        .collect()
}

/// The built file of `kind` (`wasm`, `js`, `css`): `output.HASH.kind` when
/// `hashes` has one, else `output.kind`.
pub fn built_file_name(output: &str, hashes: &[(String, String)], kind: &str) -> String {
    match hashes.iter().find(|(k, _)| k == kind) {
        Some((_, hash)) => format!("{output}.{hash}.{kind}"),
        None => format!("{output}.{kind}"),
    }
}

/// Refuses to start without the built page: every page would ask for files
/// that do not exist. Checks the site folder and, with hashed names, that
/// the `hash.txt` beside the binary names files that are there (a debug
/// and a release build share the site folder but not `hash.txt`).
pub fn check_built_site(
    options: &leptos::config::LeptosOptions,
    exe_dir: &std::path::Path,
) -> Result<(), String> {
    let rebuild =
        "build it with `make run` (or `cargo leptos build --release` with LEPTOS_HASH_FILES=true)";
    let pkg = std::path::Path::new(options.site_root.as_ref()).join(options.site_pkg_dir.as_ref());
    if !pkg.is_dir() {
        return Err(format!(
            "LEPTOS_SITE_ROOT: {} does not exist: {rebuild}",
            pkg.display()
        ));
    }
    let hashes = if options.hash_files {
        let hash_file = exe_dir.join(options.hash_file.as_ref());
        let text = std::fs::read_to_string(&hash_file).map_err(|e| {
            format!(
                "{} cannot be read ({e}): it names the page's files; {rebuild}, keep target/release/{} beside the binary, or set LEPTOS_HASH_FILES=false for a build without hashed names",
                hash_file.display(),
                options.hash_file
            )
        })?;
        parse_hashes(&text)
    } else {
        Vec::new()
    };
    for kind in ["js", "wasm"] {
        let file = pkg.join(built_file_name(&options.output_name, &hashes, kind));
        if !file.is_file() {
            return Err(format!(
                "{} is missing (the page needs it; another build may have replaced the site folder): {rebuild}",
                file.display()
            ));
        }
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
        let pkg = site.path().join("pkg");
        let check = |hashed| check_built_site(&options(site.path(), hashed), exe.path());
        assert!(check(false).expect_err("no pkg").contains("does not exist"));

        std::fs::create_dir(&pkg).expect("pkg");
        assert!(check(false)
            .expect_err("no files")
            .contains("nexa-chat.js is missing"));
        std::fs::write(pkg.join("nexa-chat.js"), "").expect("js");
        std::fs::write(pkg.join("nexa-chat.wasm"), "").expect("wasm");
        assert_eq!(check(false), Ok(()));

        assert!(check(true)
            .expect_err("no hash.txt")
            .contains("hash.txt cannot be read"));
        std::fs::write(exe.path().join("hash.txt"), "js: a1\nwasm: b2\ncss: c3\n")
            .expect("hash.txt");
        let err = check(true).expect_err("names files of another build");
        assert!(err.contains("nexa-chat.a1.js is missing"), "{err}");
        std::fs::write(pkg.join("nexa-chat.a1.js"), "").expect("js");
        std::fs::write(pkg.join("nexa-chat.b2.wasm"), "").expect("wasm");
        assert_eq!(check(true), Ok(()));
    }

    #[test]
    fn hash_file_lines_name_the_built_files() {
        let hashes = parse_hashes("js: jE94P0G\nwasm: gYWv-_1\ncss: Ea1m\n\nbroken line\n");
        assert_eq!(
            built_file_name("nexa-chat", &hashes, "wasm"),
            "nexa-chat.gYWv-_1.wasm"
        );
        assert_eq!(
            built_file_name("nexa-chat", &hashes, "css"),
            "nexa-chat.Ea1m.css"
        );
        assert_eq!(built_file_name("nexa-chat", &[], "js"), "nexa-chat.js");
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
