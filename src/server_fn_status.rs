//! The one boundary where a server function's failure gets the HTTP status it
//! means. server_fn answers every `Err` with 500; this layer reads the
//! [`AppError`] in that answer and sets its real status (401 without a
//! session, 400 for arguments it cannot read, 403, 404, 409, 429…), so a
//! server function cannot forget to, whether it failed before or after
//! finding the user. It also words, in the reader's language, the errors
//! the page cannot word itself ([`AppError::for_page`]); a provider's
//! address in them stays with the admins.

use crate::error::AppError;
use crate::i18n::Lang;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;

/// Longest server function error body read back: an [`AppError`] is a few
/// hundred bytes.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Middleware: gives server function errors their status. Other responses,
/// and plain form posts (server_fn sends those back to the form with a 302),
/// pass untouched.
pub async fn set_error_status(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let lang = crate::i18n::lang_of_request(request.headers());
    let credentials = credentials_of(request.headers());
    let response = next.run(request).await;
    if response.status() != StatusCode::INTERNAL_SERVER_ERROR
        || !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_ERROR_BODY).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::error!(%err, "could not read a server function's error");
            return Response::from_parts(parts, Body::empty());
        }
    };
    let Some(error) = read_error(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let (status, retry_after) = error_status(&error);
    parts.status = status;
    if let Some(seconds) = retry_after {
        parts.headers.insert(header::RETRY_AFTER, seconds);
    }
    if !error.needs_words_for_page() {
        return Response::from_parts(parts, Body::from(bytes));
    }
    let admin = match error {
        // Only an error that names a provider needs to know who reads it.
        AppError::Provider(_) => crate::auth::session::authenticate(&state, &credentials)
            .await
            .is_ok_and(|user| user.is_admin),
        _ => false,
    };
    let body = match serde_json::to_vec(&for_reader(error, lang, admin)) {
        Ok(worded) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            Body::from(worded)
        }
        Err(_) => Body::from(bytes),
    };
    Response::from_parts(parts, body)
}

/// The headers that say who sent a request: its session cookie or token.
fn credentials_of(headers: &HeaderMap) -> HeaderMap {
    [header::COOKIE, header::AUTHORIZATION]
        .into_iter()
        .filter_map(|name| Some((name.clone(), headers.get(&name)?.clone())))
        .collect()
}

/// The error as the page shows it to this reader, worded in `lang`: a
/// provider's address only to an admin.
pub fn for_reader(error: AppError, lang: Lang, admin: bool) -> AppError {
    error.seen_by(lang, admin).for_page(lang)
}

/// The error in a server function's error body, if it is one of ours.
pub fn read_error(body: &[u8]) -> Option<AppError> {
    serde_json::from_slice(body).ok()
}

/// The status an error answers with, and its `Retry-After` when the
/// provider gave one.
pub fn error_status(error: &AppError) -> (StatusCode, Option<HeaderValue>) {
    let status =
        StatusCode::from_u16(error.status_code()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let retry_after = error.retry_after().map(HeaderValue::from);
    (status, retry_after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Invalid, ProviderError};
    use crate::failure::{Problem, ProviderKind, Upstream};

    #[test]
    fn each_error_answers_its_own_status() {
        let cases = [
            (AppError::Unauthorized, 401),
            (AppError::AdminOnly, 403),
            (AppError::NotFound, 404),
            (AppError::ReplyInProgress, 409),
            (AppError::Invalid(Invalid::MessageEmpty), 400),
            (AppError::Internal, 500),
        ];
        for (error, status) in cases {
            let body = serde_json::to_vec(&error).expect("an AppError serializes");
            let read = read_error(&body).expect("and reads back");
            assert_eq!(error_status(&read).0.as_u16(), status, "{error:?}");
        }
    }

    #[test]
    fn a_provider_error_carries_its_wait() {
        let error = AppError::from(ProviderError {
            provider: Box::new(Upstream {
                kind: ProviderKind::HuggingFace,
                ..Upstream::default()
            }),
            problem: Problem::RateLimited {
                retry_after: Some(30),
            },
        });
        let (status, retry_after) = error_status(&error);
        assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(retry_after, Some(HeaderValue::from(30u64)));
    }

    #[test]
    fn refusals_reach_the_page_worded_in_its_language() {
        let refused = AppError::Invalid(Invalid::TitleTooLong { max: 60 });
        let page = refused.clone().for_page(crate::i18n::Lang::Es);
        assert_eq!(
            page,
            AppError::Said {
                status: 400,
                code: "invalid_request".into(),
                message: "El título es demasiado largo: como máximo 60 caracteres.".into(),
            }
        );
        assert_eq!(error_status(&page).0, StatusCode::BAD_REQUEST);
        // What the page words itself goes as it is.
        assert_eq!(
            AppError::Unauthorized.for_page(crate::i18n::Lang::Es),
            AppError::Unauthorized
        );
    }

    #[test]
    fn a_provider_address_reaches_admins_only() {
        let error = AppError::from(ProviderError {
            provider: Box::new(Upstream {
                kind: ProviderKind::LmStudio,
                name: "LM Studio".into(),
                url: "http://nas.lan:1234/v1/chat/completions".into(),
                ..Upstream::default()
            }),
            problem: Problem::Unreachable,
        });
        let said = |admin| match for_reader(error.clone(), crate::i18n::Lang::En, admin) {
            AppError::Said {
                message, status, ..
            } => (status, message),
            other => panic!("not worded: {other:?}"),
        };
        let (status, to_admin) = said(true);
        assert_eq!(status, 502);
        assert!(to_admin.contains("nas.lan:1234"), "{to_admin}");
        let (status, to_user) = said(false);
        assert_eq!(status, 502);
        assert!(!to_user.contains("nas.lan"), "{to_user}");
        assert!(to_user.contains("LM Studio"), "{to_user}");
    }

    #[test]
    fn a_body_that_is_not_our_error_is_left_alone() {
        assert_eq!(read_error(b"not json"), None);
        assert_eq!(read_error(br#"{"something":"else"}"#), None);
    }
}
