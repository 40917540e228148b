//! `POST /api/ai/chat`: the original app's JSON endpoint, for scripts.

use super::service;
use crate::api_json::ApiJson;
use crate::auth::session::AuthUser;
use crate::error::AppError;
use crate::providers::{WireMessage, LOCAL};
use crate::state::AppState;
use axum::extract::State;
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
) -> Result<Json<ChatResponse>, AppError> {
    let provider = body.provider.as_deref().unwrap_or(LOCAL);
    let reply = service::complete_history(&state, provider, &body.messages).await?;
    Ok(Json(ChatResponse { reply }))
}

/// The chat API routes.
pub fn router() -> Router<AppState> {
    Router::new().route("/api/ai/chat", post(chat))
}
