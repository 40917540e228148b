//! `POST /api/ai/chat`: the original app's JSON endpoint, for scripts.

use super::{openai_stream, service};
use crate::api_json::ApiJson;
use crate::auth::session::AuthUser;
use crate::error::AppError;
use crate::providers::{open_stream, WireMessage, LOCAL};
use crate::state::AppState;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
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
}

/// Answer of `POST /api/ai/chat`.
#[derive(Debug, Serialize, Deserialize)]
pub struct ChatResponse {
    /// The model's reply.
    pub reply: String,
}

async fn chat(
    State(state): State<AppState>,
    AuthUser(_user): AuthUser,
    ApiJson(body): ApiJson<ChatRequest>,
) -> Result<Response, AppError> {
    let provider_id = body.provider.as_deref().unwrap_or(LOCAL);
    if !body.stream {
        let reply = service::complete_history(&state, provider_id, &body.messages).await?;
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
        state.config.provider_timeout,
    )
    .await
    .map_err(AppError::Provider)?;
    Ok(openai_stream::relay(
        upstream,
        state.providers.clone(),
        provider.id.clone(),
    ))
}

/// The chat API routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/ai/chat", post(chat))
        .merge(super::follow::router())
}
