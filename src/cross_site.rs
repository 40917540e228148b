//! Refuses changes that another site (or another page on this host, on
//! another port) asks a signed-in browser to make. The session cookie is
//! `SameSite=Lax`, which stops neither a page of the same site nor a
//! cross-site form that signs the victim in as the attacker.
//!
//! Every request that may change something (any method but GET, HEAD and
//! OPTIONS) must come from our own pages: its `Origin`, or without one its
//! `Sec-Fetch-Site`, must say so. Requests carrying `Authorization` (API
//! scripts with a Bearer token) pass: a page cannot add that header to a
//! request to another origin without CORS, which this server never grants.
//! So do requests with neither header: they do not come from a browser.

use crate::error::AppError;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The origins trusted besides the request's own (`PUBLIC_URL`,
/// `TRUSTED_ORIGINS`), shared by the middleware.
#[derive(Debug, Clone, Default)]
pub struct TrustedOrigins(Arc<Vec<String>>);

impl TrustedOrigins {
    /// Trusts these origins (`https://chat.example.com`) too.
    pub fn new(origins: Vec<String>) -> Self {
        TrustedOrigins(Arc::new(origins))
    }
}

/// Whether a request that may change something came from another site or
/// another origin of this host.
pub fn is_cross_site(method: &Method, headers: &HeaderMap, trusted: &[String]) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    if headers.contains_key(header::AUTHORIZATION) {
        return false;
    }
    if let Some(origin) = headers.get(header::ORIGIN) {
        return !origin
            .to_str()
            .is_ok_and(|origin| is_own_origin(origin, headers, trusted));
    }
    match headers.get("sec-fetch-site").map(|v| v.to_str()) {
        // `none`: the person typed the address or used a bookmark.
        Some(Ok("same-origin" | "none")) => false,
        Some(_) => true,
        None => false,
    }
}

/// An origin is ours when it is trusted, or names the host and port the
/// request was sent to (the browser sets `Host`; a page cannot).
fn is_own_origin(origin: &str, headers: &HeaderMap, trusted: &[String]) -> bool {
    if trusted.iter().any(|t| t.eq_ignore_ascii_case(origin)) {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .strip_prefix("http://")
        .or_else(|| origin.strip_prefix("https://"))
        .is_some_and(|authority| authority.eq_ignore_ascii_case(host))
}

/// Middleware: answers 403 `cross_site_refused` before anything runs (no
/// change, no cookie) when [`is_cross_site`].
pub async fn refuse_cross_site(
    State(trusted): State<TrustedOrigins>,
    request: Request,
    next: Next,
) -> Response {
    if is_cross_site(request.method(), request.headers(), &trusted.0) {
        tracing::warn!(
            method = %request.method(),
            path = request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "refused a cross-site request"
        );
        let lang = crate::i18n::lang_of_request(request.headers());
        return AppError::CrossSiteRefused
            .into_response_in(lang)
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        map.insert(header::HOST, "127.0.0.1:3000".parse().expect("host"));
        for (name, value) in pairs {
            map.insert(*name, value.parse().expect("value"));
        }
        map
    }

    fn refused(pairs: &[(&'static str, &'static str)]) -> bool {
        is_cross_site(&Method::POST, &headers(pairs), &[])
    }

    #[test]
    fn pages_of_other_origins_are_refused() {
        assert!(refused(&[("origin", "http://127.0.0.1:8080")]));
        assert!(refused(&[("origin", "http://evil.example")]));
        assert!(refused(&[("origin", "null")]));
        assert!(refused(&[("origin", "http://127.0.0.1:3000.evil.example")]));
        assert!(refused(&[("sec-fetch-site", "same-site")]));
        assert!(refused(&[("sec-fetch-site", "cross-site")]));
        // Origin decides, whatever Sec-Fetch-Site says.
        assert!(refused(&[
            ("origin", "http://127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin")
        ]));
    }

    #[test]
    fn our_pages_scripts_and_reads_pass() {
        assert!(!refused(&[("origin", "http://127.0.0.1:3000")]));
        assert!(!refused(&[("origin", "https://127.0.0.1:3000")]));
        assert!(!refused(&[("sec-fetch-site", "same-origin")]));
        assert!(!refused(&[("sec-fetch-site", "none")]));
        assert!(!refused(&[]));
        assert!(!refused(&[
            ("authorization", "Bearer x"),
            ("origin", "http://evil.example")
        ]));
        let foreign = headers(&[("origin", "http://evil.example")]);
        assert!(!is_cross_site(&Method::GET, &foreign, &[]));
    }

    #[test]
    fn a_trusted_public_address_passes_behind_a_proxy() {
        let behind_proxy = headers(&[("origin", "https://chat.example.com")]);
        let trusted = ["https://chat.example.com".to_string()];
        assert!(!is_cross_site(&Method::POST, &behind_proxy, &trusted));
        assert!(is_cross_site(&Method::POST, &behind_proxy, &[]));
    }
}
