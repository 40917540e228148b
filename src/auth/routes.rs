//! JSON API for scripts: sign up, sign in, sign out (this session or all
//! of the account's), change the password.

use super::service;
use super::session::{authenticate_session, token_from_headers, AuthUser};
use crate::api_json::ApiJson;
use crate::client_addr::ClientAddr;
use crate::error::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
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
    /// Sign-up only: an invitation's id, while sign-up is closed.
    #[serde(default)]
    pub invite: Option<String>,
}

/// Answer of the sign-up and login calls.
#[derive(Debug, Serialize, Deserialize)]
pub struct TokenResponse {
    /// JWT to send as `Authorization: Bearer`.
    pub token: String,
}

/// Body of a password change.
#[derive(Debug, Deserialize)]
pub struct PasswordChange {
    /// The password now.
    pub current_password: String,
    /// The one to use from now on.
    pub new_password: String,
}

async fn signup(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Json<TokenResponse>, AppError> {
    let signed_in = service::signup(
        &state,
        &body.username,
        &body.password,
        body.invite.as_deref(),
    )
    .await?;
    Ok(Json(TokenResponse {
        token: signed_in.token,
    }))
}

async fn login(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<Credentials>,
) -> Result<Json<TokenResponse>, AppError> {
    let signed_in = service::login(&state, &body.username, &body.password, client).await?;
    Ok(Json(TokenResponse {
        token: signed_in.token,
    }))
}

/// Ends the session of the request's token: 204 whether or not it was live.
async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Result<StatusCode, AppError> {
    service::logout(&state, token_from_headers(&headers).as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the account.
async fn logout_everywhere(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
) -> Result<StatusCode, AppError> {
    service::logout_everywhere(&state, &user).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Changes the password; the calling session stays, the others end.
async fn change_password(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    headers: HeaderMap,
    ApiJson(body): ApiJson<PasswordChange>,
) -> Result<StatusCode, AppError> {
    let (user, session) = authenticate_session(&state, &headers).await?;
    service::change_password(
        &state,
        &user,
        &session,
        &body.current_password,
        &body.new_password,
        client,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The auth routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/auth/signup", post(signup))
        .route("/api/auth/login", post(login))
        .route("/api/auth/logout", post(logout))
        .route("/api/auth/logout-everywhere", post(logout_everywhere))
        .route("/api/auth/password", post(change_password))
}
