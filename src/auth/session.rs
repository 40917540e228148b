//! Who is asking: the session cookie or a Bearer token, whose session is
//! checked against the database (at most every `KnownSessions::TTL`, and at
//! once after it ends).

use crate::auth::jwt::TokenSession;
use crate::config::CookieSecure;
use crate::error::AppError;
use crate::model::SessionUser;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::HeaderMap;
use cookie::{Cookie, SameSite};

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "nexa_session";

/// The token a request carries: `Authorization: Bearer` first, then the cookie.
pub fn token_from_headers(headers: &HeaderMap) -> Option<String> {
    if let Some(value) = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()) {
        let mut parts = value.splitn(2, ' ');
        if let (Some(scheme), Some(token)) = (parts.next(), parts.next()) {
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
                return Some(token.trim().to_string());
            }
        }
    }
    crate::prefs::cookie_value(headers, SESSION_COOKIE)
}

/// The signed-in user, or `Unauthorized`.
pub async fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    authenticate_session(state, headers)
        .await
        .map(|(user, _)| user)
}

/// The signed-in user and the session the request's token names, or
/// `Unauthorized` when there is no token, it is not ours or expired, its
/// session ended or its account is disabled.
pub async fn authenticate_session(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<(SessionUser, TokenSession), AppError> {
    let token = token_from_headers(headers).ok_or(AppError::Unauthorized)?;
    let session = state.jwt.verify(&token)?;
    let now = std::time::Instant::now();
    if let Some(user) = state.known_sessions.get(&session.sid, now) {
        if user.id == session.user_id {
            return Ok((user, session));
        }
    }
    let read_at = state.known_sessions.epoch();
    let user = crate::store::session_user(
        &state.db,
        &session.sid,
        session.user_id,
        crate::auth::jwt::now(),
    )
    .await?
    .ok_or(AppError::Unauthorized)?;
    state
        .known_sessions
        .remember(&session.sid, &user, read_at, now);
    Ok((user, session))
}

/// Whether the session cookie should carry `Secure` for this request.
pub fn cookie_is_secure(policy: CookieSecure, headers: &HeaderMap) -> bool {
    match policy {
        CookieSecure::Always => true,
        CookieSecure::Never => false,
        CookieSecure::Auto => headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https")),
    }
}

fn build_cookie(value: &str, max_age: cookie::time::Duration, secure: bool) -> String {
    Cookie::build((SESSION_COOKIE, value.to_string()))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .max_age(max_age)
        .build()
        .to_string()
}

/// `Set-Cookie` value that stores the session token.
pub fn session_cookie(token: &str, max_age_secs: u64, secure: bool) -> String {
    let max_age = cookie::time::Duration::seconds(i64::try_from(max_age_secs).unwrap_or(i64::MAX));
    build_cookie(token, max_age, secure)
}

/// `Set-Cookie` value that removes the session.
pub fn clear_session_cookie(secure: bool) -> String {
    build_cookie("", cookie::time::Duration::ZERO, secure)
}

/// Extractor for handlers that need a signed-in user.
#[derive(Debug, Clone)]
pub struct AuthUser(pub SessionUser);

impl FromRequestParts<AppState> for AuthUser {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.headers).await.map(AuthUser)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::header::COOKIE;
    use axum::http::HeaderValue;

    #[test]
    fn bearer_wins_over_cookie() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; nexa_session=fromcookie"),
        );
        assert_eq!(token_from_headers(&h).as_deref(), Some("fromcookie"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Bearer fromheader"));
        assert_eq!(token_from_headers(&h).as_deref(), Some("fromheader"));
        h.insert(AUTHORIZATION, HeaderValue::from_static("Basic abc"));
        assert_eq!(token_from_headers(&h).as_deref(), Some("fromcookie"));
    }

    #[test]
    fn cookie_flags() {
        let c = session_cookie("t", 60, false);
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && c.contains("Path=/"));
        assert!(!c.contains("Secure"));
        assert!(session_cookie("t", 60, true).contains("Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
    }
}
