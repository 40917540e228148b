//! `POST /api/ai/chat`: the original app's JSON endpoint, for scripts.

use super::{manage, openai_stream, service};
use crate::api_json::ApiJson;
use crate::auth::session::AuthUser;
use crate::error::{AppError, Invalid};
use crate::i18n::lang_of_request;
use crate::model::SessionUser;
use crate::providers::{open_stream, Sampling, WireMessage, LOCAL};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Body of `POST /api/ai/chat`.
#[derive(Debug, Deserialize)]
pub struct ChatRequest {
    /// The whole history, oldest first.
    pub messages: Vec<WireMessage>,
    /// `local` (default) or `huggingface`.
    #[serde(default)]
    pub provider: Option<String>,
    /// Answer as `text/event-stream` in the OpenAI chunk format.
    #[serde(default)]
    pub stream: bool,
    /// Sampling temperature for a streamed answer (the server's default when absent).
    #[serde(default)]
    pub temperature: Option<f32>,
    /// Longest streamed answer, in tokens.
    #[serde(default)]
    pub max_tokens: Option<u32>,
}

/// Query of `GET /api/chats/{id}/export`.
#[derive(Debug, Deserialize)]
pub struct ExportQuery {
    /// `markdown` (default) or `json`.
    #[serde(default)]
    pub format: Option<String>,
}

/// `GET /api/chats/{id}/export?format=markdown|json`: the whole conversation
/// as a file to download (cookie or Bearer; only the owner's).
async fn export(
    State(state): State<AppState>,
    headers: HeaderMap,
    AuthUser(user): AuthUser,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Response {
    let lang = lang_of_request(&headers);
    let conversation = match crate::store::load_conversation(&state.db, user.id, id).await {
        Ok(Some(conversation)) => conversation,
        Ok(None) => return AppError::NotFound.into_response_in(lang),
        Err(err) => return AppError::from(err).into_response_in(lang),
    };
    let (body, mime, extension) = match query.format.as_deref().unwrap_or("markdown") {
        "json" => match serde_json::to_string_pretty(&manage::export_json(conversation.clone())) {
            Ok(json) => (json, "application/json", "json"),
            Err(_) => return AppError::Internal.into_response_in(lang),
        },
        "markdown" | "md" => (
            manage::export_markdown(&conversation, lang),
            "text/markdown; charset=utf-8",
            "md",
        ),
        other => {
            return AppError::from(Invalid::ExportFormat {
                given: other.to_string(),
            })
            .into_response_in(lang)
        }
    };
    let file_name = manage::export_file_name(&conversation, extension);
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        file_name.replace(
            |c: char| !c.is_ascii_alphanumeric() && c != '.' && c != '-',
            "_"
        ),
        percent_encode(&file_name)
    );
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// RFC 5987 encoding of a file name.
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Answer of `POST /api/ai/chat`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The model's reply.
    pub reply: String,
}

/// Errors are worded in the language the client asks for (`Accept-Language`).
async fn chat(
    State(state): State<AppState>,
    headers: HeaderMap,
    AuthUser(user): AuthUser,
    ApiJson(body): ApiJson<ChatRequest>,
) -> Response {
    let lang = lang_of_request(&headers);
    match answer_chat(state, &user, body).await {
        Ok(response) => response,
        Err(err) => err.seen_by(lang, user.is_admin).into_response_in(lang),
    }
}

async fn answer_chat(
    state: AppState,
    user: &SessionUser,
    body: ChatRequest,
) -> Result<Response, AppError> {
    let provider_id = body.provider.as_deref().unwrap_or(LOCAL);
    // Counted with the page's replies, for the account and for everyone.
    let hold = service::hold_for_api(&state, user)?;
    if !body.stream {
        let reply = service::complete_history(&state, provider_id, &body.messages).await?;
        drop(hold);
        return Ok(Json(ChatResponse { reply }).into_response());
    }
    let provider = service::find_provider(&state, provider_id)?;
    service::check_history(&body.messages)?;
    // Failures before the first byte keep their status and JSON body.
    let upstream = open_stream(
        &state.http,
        provider,
        &body.messages,
        None,
        Sampling {
            temperature: body.temperature,
            max_tokens: body.max_tokens,
        },
        state.config.provider_timeout,
    )
    .await
    .map_err(AppError::from)?;
    Ok(openai_stream::relay(
        upstream,
        hold,
        state.providers.clone(),
        provider.id.clone(),
    ))
}

/// The chat API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/ai/chat", post(chat))
        .route("/api/chats/{id}/export", get(export))
        .merge(super::follow::router())
}
