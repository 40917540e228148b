//! Server functions of the admin's Users page. Thin: each checks the caller
//! is an admin, calls [`super::accounts`], then sends the browser back to
//! the page (with the error, when there is one, which the page shows).

use crate::error::AppError;
use crate::model::UsersOverview;
use leptos::prelude::*;

/// Where the page is.
pub const USERS_PATH: &str = "/admin/users";

#[cfg(feature = "ssr")]
mod ssr {
    use crate::error::AppError;
    use crate::model::SessionUser;
    use crate::state::AppState;

    /// The state and the signed-in admin of this call.
    pub async fn admin() -> Result<(AppState, SessionUser), AppError> {
        let state = crate::state::app_state()?;
        let parts = crate::auth::api::request_parts()?;
        let admin = crate::admin::accounts::require_admin(&state, &parts.headers).await?;
        Ok((state, admin))
    }

    /// Back to the Users page: with the error when `result` is one.
    pub fn back(path: &str, result: Result<(), AppError>) -> Result<(), AppError> {
        match result {
            Ok(()) => {
                leptos_axum::redirect(super::USERS_PATH);
                Ok(())
            }
            Err(err) => {
                crate::auth::api::back_to_form(path, "", &err);
                Err(err)
            }
        }
    }
}

/// Runs an admin action and goes back to the page.
#[cfg(feature = "ssr")]
macro_rules! admin_action {
    ($fn_type:ty, |$state:ident, $admin:ident| $body:expr) => {{
        let outcome = async {
            let ($state, $admin) = ssr::admin().await?;
            $body.await
        }
        .await;
        ssr::back(<$fn_type as leptos::server_fn::ServerFn>::PATH, outcome)
    }};
}

/// Everything the Users page shows (admin only).
#[server(endpoint = "users_overview")]
pub async fn load_users_overview() -> Result<UsersOverview, AppError> {
    let (state, _) = ssr::admin().await?;
    crate::admin::accounts::overview(&state).await
}

/// Disables or enables an account.
#[server(endpoint = "admin_set_disabled")]
pub async fn admin_set_disabled(user_id: i64, disabled: bool) -> Result<(), AppError> {
    admin_action!(AdminSetDisabled, |state, admin| {
        crate::admin::accounts::set_disabled(&state, &admin, user_id, disabled)
    })
}

/// Makes an account an admin, or not.
#[server(endpoint = "admin_set_admin")]
pub async fn admin_set_admin(user_id: i64, is_admin: bool) -> Result<(), AppError> {
    admin_action!(AdminSetAdmin, |state, admin| {
        crate::admin::accounts::set_admin(&state, &admin, user_id, is_admin)
    })
}

/// Sets an account's password; its sessions end.
#[server(endpoint = "admin_reset_password")]
pub async fn admin_reset_password(user_id: i64, new_password: String) -> Result<(), AppError> {
    admin_action!(AdminResetPassword, |state, admin| {
        crate::admin::accounts::reset_password(&state, &admin, user_id, &new_password)
    })
}

/// Deletes an account with its chats.
#[server(endpoint = "admin_delete_user")]
pub async fn admin_delete_user(user_id: i64) -> Result<(), AppError> {
    admin_action!(AdminDeleteUser, |state, admin| {
        crate::admin::accounts::delete(&state, &admin, user_id)
    })
}

/// Opens or closes sign-up.
#[server(endpoint = "admin_set_signup")]
pub async fn admin_set_signup(open: bool) -> Result<(), AppError> {
    admin_action!(AdminSetSignup, |state, admin| {
        crate::admin::accounts::set_signup(&state, &admin, open)
    })
}

/// Creates a one-time invitation link.
#[server(endpoint = "admin_create_invite")]
pub async fn admin_create_invite() -> Result<(), AppError> {
    admin_action!(AdminCreateInvite, |state, admin| async move {
        crate::admin::accounts::create_invite(&state, &admin)
            .await
            .map(|_| ())
    })
}

/// Withdraws an invitation not used yet.
#[server(endpoint = "admin_withdraw_invite")]
pub async fn admin_withdraw_invite(invite: String) -> Result<(), AppError> {
    admin_action!(AdminWithdrawInvite, |state, _admin| {
        crate::admin::accounts::withdraw_invite(&state, &invite)
    })
}
