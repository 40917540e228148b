//! Sign-up, sign-in, sign-out and password changes, as plain functions the
//! server functions and the JSON API both call.

use super::jwt::TokenSession;
use super::throttle::{retry_after_seconds, ThrottleKey};
use super::validate;
use crate::error::{AccountRefusal, AppError};
use crate::model::SessionUser;
use crate::state::AppState;
use crate::store::{self, CreateUser, SignupRight};
use std::net::IpAddr;

/// An account signed in: a new session and the token naming it.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// The account.
    pub user: SessionUser,
    /// The JWT for the cookie or `Authorization: Bearer`.
    pub token: String,
}

/// Whether anyone may sign up now: the admin's switch (else the
/// `ALLOW_SIGNUP` default), or no account exists yet.
pub async fn signup_open(state: &AppState) -> Result<bool, AppError> {
    let switch = store::signup_setting(&state.db).await?;
    Ok(switch.unwrap_or(state.config.allow_signup) || store::count_users(&state.db).await? == 0)
}

/// Creates an account and signs it in. While sign-up is closed, an
/// invitation (its id, from the link) lets one account in.
pub async fn signup(
    state: &AppState,
    username: &str,
    password_text: &str,
    invite: Option<&str>,
) -> Result<SignedIn, AppError> {
    let username = username.trim();
    validate::check_username(username)?;
    validate::check_password(password_text)?;
    let now = super::jwt::now();
    // Refused before hashing: a closed server spends nothing on strangers.
    let right = if signup_open(state).await? {
        SignupRight::Open
    } else {
        match invite.map(str::trim).filter(|i| !i.is_empty()) {
            None => return Err(AppError::SignupClosed),
            Some(invite) if store::invite_usable(&state.db, invite, now).await? => {
                SignupRight::Invite(invite)
            }
            Some(_) => return Err(AccountRefusal::InviteInvalid.into()),
        }
    };
    let hash = state.hasher.hash(password_text.to_string()).await?;
    match store::create_user(&state.db, username, &hash, right, now).await? {
        CreateUser::Created(user) => {
            tracing::info!(user = %user.username, admin = user.is_admin, "account created");
            start_session(state, user).await
        }
        CreateUser::Taken => Err(AppError::UsernameTaken),
        CreateUser::Closed => Err(AppError::SignupClosed),
        CreateUser::InviteInvalid => Err(AccountRefusal::InviteInvalid.into()),
    }
}

/// What a failed sign-in from `client` as `username` counts against.
fn throttle_keys(username: &str, client: Option<IpAddr>) -> Vec<ThrottleKey> {
    let mut keys = vec![ThrottleKey::account(username)];
    keys.extend(client.map(ThrottleKey::address));
    keys
}

/// The error for a lock of `wait`.
fn locked(wait: std::time::Duration) -> AppError {
    AccountRefusal::TooManyAttempts {
        seconds: retry_after_seconds(wait),
    }
    .into()
}

/// Checks a password for the account and address in `keys`, throttled:
/// a locked one gets `TooManyAttempts` before any hashing, and a failure
/// is counted (and may lock).
async fn check_password_throttled(
    state: &AppState,
    keys: &[ThrottleKey],
    password_text: &str,
    stored_hash: Option<String>,
) -> Result<(), AppError> {
    if let Some(wait) = state.login_throttle.locked_for(keys) {
        return Err(locked(wait));
    }
    // Checked again when the hashing turn comes: in a storm of parallel
    // guesses, the ones that queued before the lock are refused unhashed.
    let still_open = || state.login_throttle.locked_for(keys).is_none();
    let checked = state
        .hasher
        .verify_if(still_open, password_text.to_string(), stored_hash)
        .await?;
    let Some(right) = checked else {
        let wait = state.login_throttle.locked_for(keys).unwrap_or_default();
        return Err(locked(wait));
    };
    if right {
        return Ok(());
    }
    match state.login_throttle.failed(keys) {
        Some(wait) => {
            tracing::warn!(keys = ?keys, "sign-ins locked after repeated failures");
            Err(locked(wait))
        }
        None => Err(AppError::BadCredentials),
    }
}

/// Checks credentials and signs the account in. Failures count per account
/// name and per client address; past the limit every attempt answers
/// `TooManyAttempts`, the right password too.
pub async fn login(
    state: &AppState,
    username: &str,
    password_text: &str,
    client: Option<IpAddr>,
) -> Result<SignedIn, AppError> {
    let username = username.trim();
    if username.is_empty()
        || password_text.is_empty()
        || password_text.len() > validate::MAX_PASSWORD_LEN
    {
        return Err(AppError::BadCredentials);
    }
    let keys = throttle_keys(username, client);
    if let Some(wait) = state.login_throttle.locked_for(&keys) {
        return Err(locked(wait));
    }
    let stored = store::find_user_by_name(&state.db, username).await?;
    let hash = stored.as_ref().map(|s| s.password_hash.clone());
    check_password_throttled(state, &keys, password_text, hash)
        .await
        .inspect_err(|err| {
            if *err == AppError::BadCredentials {
                tracing::info!(user = %username, client = ?client, "failed sign-in");
            }
        })?;
    let Some(stored) = stored else {
        return Err(AppError::BadCredentials);
    };
    if stored.disabled {
        return Err(AccountRefusal::Disabled.into());
    }
    start_session(state, stored.user).await
}

/// Stores a new session for `user` and issues its token.
async fn start_session(state: &AppState, user: SessionUser) -> Result<SignedIn, AppError> {
    let issued = state.jwt.issue(&user)?;
    store::create_session(
        &state.db,
        &issued.sid,
        user.id,
        issued.issued_at,
        issued.expires_at,
    )
    .await?;
    Ok(SignedIn {
        user,
        token: issued.token,
    })
}

/// Ends the session `token` names, if it is one of ours. Signing out never
/// fails for a token that is already invalid.
pub async fn logout(state: &AppState, token: Option<&str>) -> Result<(), AppError> {
    let Some(Ok(session)) = token.map(|t| state.jwt.verify(t)) else {
        return Ok(());
    };
    store::end_session(&state.db, &session.sid).await?;
    state.known_sessions.forget(&session.sid);
    Ok(())
}

/// Ends every session of `user`, on every device.
pub async fn logout_everywhere(state: &AppState, user: &SessionUser) -> Result<u64, AppError> {
    let ended = store::end_sessions_of(&state.db, user.id).await?;
    state.known_sessions.forget_user(user.id);
    tracing::info!(user = %user.username, ended, "signed out everywhere");
    Ok(ended)
}

/// Changes the password of the signed-in account after checking the
/// current one (throttled as a sign-in), and ends every other session.
pub async fn change_password(
    state: &AppState,
    user: &SessionUser,
    session: &TokenSession,
    current: &str,
    new: &str,
    client: Option<IpAddr>,
) -> Result<(), AppError> {
    validate::check_password(new)?;
    if current.len() > validate::MAX_PASSWORD_LEN {
        return Err(AccountRefusal::WrongPassword.into());
    }
    let keys = throttle_keys(&user.username, client);
    let stored = store::password_hash_of(&state.db, user.id).await?;
    match check_password_throttled(state, &keys, current, stored).await {
        Ok(()) => {}
        Err(AppError::BadCredentials) => return Err(AccountRefusal::WrongPassword.into()),
        Err(other) => return Err(other),
    }
    let hash = state.hasher.hash(new.to_string()).await?;
    store::set_password(&state.db, user.id, &hash, Some(&session.sid)).await?;
    state.known_sessions.forget_user(user.id);
    tracing::info!(user = %user.username, "password changed; other sessions ended");
    Ok(())
}
