//! The admin's account management, as plain functions: the server
//! functions of the Users page call them after checking the caller is an
//! admin. Whatever ends or changes an account's sessions forgets them in
//! [`crate::auth::known_sessions`] at once.

use crate::auth::session::authenticate;
use crate::auth::validate;
use crate::error::{AccountRefusal, AppError};
use crate::model::{InviteSummary, SessionUser, UsersOverview};
use crate::state::AppState;
use crate::store;
use axum::http::HeaderMap;
use std::time::Duration;

/// How long an invitation works.
pub const INVITE_LIFETIME: Duration = Duration::from_secs(7 * 24 * 3600);

/// The signed-in admin, or `Unauthorized` / `AdminOnly`.
pub async fn require_admin(state: &AppState, headers: &HeaderMap) -> Result<SessionUser, AppError> {
    let user = authenticate(state, headers).await?;
    if !user.is_admin {
        return Err(AppError::AdminOnly);
    }
    Ok(user)
}

/// The accounts, the sign-up switch and the waiting invitations.
pub async fn overview(state: &AppState) -> Result<UsersOverview, AppError> {
    Ok(UsersOverview {
        accounts: store::list_accounts(&state.db).await?,
        signup_open: crate::auth::service::signup_open(state).await?,
        invites: store::usable_invites(&state.db, crate::auth::jwt::now()).await?,
    })
}

/// Refuses an action of the admin on their own account: they could lock
/// themselves (and maybe everyone) out.
fn not_own(admin: &SessionUser, id: i64) -> Result<(), AppError> {
    if admin.id == id {
        return Err(AccountRefusal::OwnAccount.into());
    }
    Ok(())
}

fn found(changed: bool) -> Result<(), AppError> {
    if changed {
        Ok(())
    } else {
        Err(AccountRefusal::NotFound.into())
    }
}

/// Disables account `id` (its sessions end and its replies stop at once)
/// or enables it again.
pub async fn set_disabled(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    disabled: bool,
) -> Result<(), AppError> {
    not_own(admin, id)?;
    found(store::set_disabled(&state.db, id, disabled).await?)?;
    state.known_sessions.forget_user(id);
    if disabled {
        state.generations.stop_user(id);
    }
    tracing::info!(admin = %admin.username, account = id, disabled, "account switched");
    Ok(())
}

/// Makes account `id` an admin, or not.
pub async fn set_admin(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    is_admin: bool,
) -> Result<(), AppError> {
    not_own(admin, id)?;
    found(store::set_admin(&state.db, id, is_admin).await?)?;
    state.known_sessions.forget_user(id);
    tracing::info!(admin = %admin.username, account = id, is_admin, "admin role changed");
    Ok(())
}

/// Sets account `id`'s password to `new` and ends all its sessions.
pub async fn reset_password(
    state: &AppState,
    admin: &SessionUser,
    id: i64,
    new: &str,
) -> Result<(), AppError> {
    validate::check_password(new)?;
    let hash = state.hasher.hash(new.to_string()).await?;
    found(store::set_password(&state.db, id, &hash, None).await?)?;
    state.known_sessions.forget_user(id);
    tracing::info!(admin = %admin.username, account = id, "password reset by the admin");
    Ok(())
}

/// Deletes account `id` with its conversations; its replies stop.
pub async fn delete(state: &AppState, admin: &SessionUser, id: i64) -> Result<(), AppError> {
    not_own(admin, id)?;
    state.generations.forget_user(id);
    found(store::delete_account(&state.db, id).await?)?;
    state.known_sessions.forget_user(id);
    tracing::info!(admin = %admin.username, account = id, "account deleted");
    Ok(())
}

/// Opens or closes sign-up (until changed again; it outlives restarts).
pub async fn set_signup(state: &AppState, admin: &SessionUser, open: bool) -> Result<(), AppError> {
    store::set_signup_setting(&state.db, open).await?;
    tracing::info!(admin = %admin.username, open, "sign-up switched");
    Ok(())
}

/// A new one-time invitation, working for [`INVITE_LIFETIME`].
pub async fn create_invite(
    state: &AppState,
    admin: &SessionUser,
) -> Result<InviteSummary, AppError> {
    let id = crate::auth::jwt::random_id()?;
    let expires_at = crate::auth::jwt::now() + INVITE_LIFETIME.as_secs();
    store::create_invite(&state.db, &id, admin.id, expires_at).await?;
    let invites = store::usable_invites(&state.db, crate::auth::jwt::now()).await?;
    invites
        .into_iter()
        .find(|invite| invite.id == id)
        .ok_or(AppError::Internal)
}

/// Withdraws an invitation not used yet.
pub async fn withdraw_invite(state: &AppState, id: &str) -> Result<(), AppError> {
    store::delete_invite(&state.db, id).await?;
    Ok(())
}
