//! JSON API for scripts: `POST /api/auth/signup` and `POST /api/auth/login`.

use super::service;
use crate::api_json::ApiJson;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

/// Body of the sign-up and login calls.
#[derive(Debug, Deserialize)]
pub struct Credentials {
    /// Login name.
    pub username: String,
    /// Password.
    pub password: String,
}

/// Answer of the sign-up and login calls.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer`.
    pub token: String,
}

async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Json<TokenResponse>, AppError> {
    let (_, token) = service::signup(&state, &body.username, &body.password).await?;
    Ok(Json(TokenResponse { token }))
}

async fn login(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Json<TokenResponse>, AppError> {
    let (_, token) = service::login(&state, &body.username, &body.password).await?;
    Ok(Json(TokenResponse { token }))
}

/// The auth routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/signup", post(signup))
        .route("/api/auth/login", post(login))
}
