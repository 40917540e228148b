//! Sign-up and login, as plain functions the server functions and the JSON
//! API both call.

use super::{password, validate};
use crate::error::AppError;
use crate::model::SessionUser;
use crate::state::AppState;
use crate::store::{self, CreateUser};

/// Creates an account and returns it with a session token.
pub async fn signup(
    state: &AppState,
    username: &str,
    password_text: &str,
) -> Result<(SessionUser, String), AppError> {
    let username = username.trim();
    validate::check_username(username)?;
    validate::check_password(password_text)?;
    let hash = password::hash(password_text.to_string()).await?;
    match store::create_user(&state.db, username, &hash, state.config.allow_signup).await? {
        CreateUser::Created(user) => {
            tracing::info!(user = %user.username, admin = user.is_admin, "account created");
            let token = state.jwt.issue(&user)?;
            Ok((user, token))
        }
        CreateUser::Taken => Err(AppError::UsernameTaken),
        CreateUser::Closed => Err(AppError::SignupClosed),
    }
}

/// Checks credentials and returns the user with a session token.
pub async fn login(
    state: &AppState,
    username: &str,
    password_text: &str,
) -> Result<(SessionUser, String), AppError> {
    let username = username.trim();
    if username.is_empty()
        || password_text.is_empty()
        || password_text.len() > validate::MAX_PASSWORD_LEN
    {
        return Err(AppError::BadCredentials);
    }
    let Some(stored) = store::find_user_by_name(&state.db, username).await? else {
        // Same work as a real check, so timing does not reveal which names exist.
        let _ = password::verify(password_text.to_string(), password::dummy_hash().await).await;
        return Err(AppError::BadCredentials);
    };
    if !password::verify(password_text.to_string(), stored.password_hash).await? {
        return Err(AppError::BadCredentials);
    }
    let token = state.jwt.issue(&stored.user)?;
    Ok((stored.user, token))
}
