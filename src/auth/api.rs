//! Server functions the pages call for accounts. Thin: the work is in
//! `service`, the cookie in `session`.

use crate::error::AppError;
use crate::model::SessionUser;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
mod ssr {
    use crate::auth::session;
    use crate::error::AppError;
    use crate::state::AppState;
    use axum::http::header::SET_COOKIE;
    use axum::http::request::Parts;
    use axum::http::HeaderValue;
    use leptos::prelude::*;

    /// Request headers of the current server call.
    pub fn request_parts() -> Result<Parts, AppError> {
        use_context::<Parts>().ok_or(AppError::Internal)
    }

    /// Sets or clears the session cookie on the response.
    pub fn set_cookie(state: &AppState, token: Option<&str>) -> Result<(), AppError> {
        let parts = request_parts()?;
        let secure = session::cookie_is_secure(state.config.cookie_secure, &parts.headers);
        let value = match token {
            Some(token) => session::session_cookie(token, state.jwt.ttl.as_secs(), secure),
            None => session::clear_session_cookie(secure),
        };
        let header = HeaderValue::from_str(&value).map_err(|_| AppError::Internal)?;
        expect_context::<leptos_axum::ResponseOptions>().append_header(SET_COOKIE, header);
        Ok(())
    }

    /// A sign-in or sign-up form posted without scripts that failed goes
    /// back to its page with the error (which the page shows, see
    /// [`crate::nav::provide_form_error`]) and the username typed (which the
    /// page fills in again). Calls from scripts get the error as it is.
    pub fn back_to_form(path: &str, username: &str, err: &AppError) {
        use axum::http::header::{ACCEPT, REFERER};
        use leptos::server_fn::error::ServerFnUrlError;
        let Ok(parts) = request_parts() else {
            return;
        };
        let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
        let from_form = header(ACCEPT).is_some_and(|accept| accept.contains("text/html"));
        let Some(mut page) = header(REFERER).map(str::to_string).filter(|_| from_form) else {
            return;
        };
        ServerFnUrlError::<AppError>::strip_error_info(&mut page);
        let Ok(mut url) = ServerFnUrlError::new(path, err.clone()).to_url(&page) else {
            return;
        };
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(key, _)| key != "username")
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        url.query_pairs_mut()
            .clear()
            .extend_pairs(kept)
            .append_pair("username", username);
        // Only a path of this site: never send the browser to another one
        // (`//other.example/x` would be one).
        let path = Some(url.path()).filter(|p| p.starts_with('/') && !p.starts_with("//"));
        let path = path.unwrap_or("/login");
        leptos_axum::redirect(&format!("{path}?{}", url.query().unwrap_or_default()));
    }
}

#[cfg(feature = "ssr")]
pub use ssr::{back_to_form, request_parts};

/// The client address of the current server call (throttling counts by it).
#[cfg(feature = "ssr")]
fn client_addr(state: &crate::state::AppState) -> Option<std::net::IpAddr> {
    let parts = ssr::request_parts().ok()?;
    crate::client_addr::of_request(&parts, &state.config.trusted_proxies)
}

/// The signed-in user of the page, or `None`.
#[server(endpoint = "current_user")]
pub async fn current_user() -> Result<Option<SessionUser>, AppError> {
    let state = crate::state::app_state()?;
    let parts = ssr::request_parts()?;
    match crate::auth::session::authenticate(&state, &parts.headers).await {
        Ok(user) => Ok(Some(user)),
        Err(AppError::Unauthorized) => Ok(None),
        Err(other) => Err(other),
    }
}

/// Signs in and sets the session cookie, then sends the browser to the chat.
#[server(endpoint = "login")]
pub async fn login(username: String, password: String) -> Result<SessionUser, AppError> {
    let state = crate::state::app_state()?;
    let client = client_addr(&state);
    let signed_in = crate::auth::service::login(&state, &username, &password, client)
        .await
        .inspect_err(|err| {
            ssr::back_to_form(<Login as leptos::server_fn::ServerFn>::PATH, &username, err)
        })?;
    ssr::set_cookie(&state, Some(&signed_in.token))?;
    leptos_axum::redirect("/");
    Ok(signed_in.user)
}

/// Creates an account, signs it in, then sends the browser to the chat.
#[server(endpoint = "signup")]
pub async fn signup(
    username: String,
    password: String,
    #[server(default)] invite: Option<String>,
) -> Result<SessionUser, AppError> {
    let state = crate::state::app_state()?;
    let signed_in = crate::auth::service::signup(&state, &username, &password, invite.as_deref())
        .await
        .inspect_err(|err| {
            ssr::back_to_form(
                <Signup as leptos::server_fn::ServerFn>::PATH,
                &username,
                err,
            )
        })?;
    ssr::set_cookie(&state, Some(&signed_in.token))?;
    leptos_axum::redirect("/");
    Ok(signed_in.user)
}

/// Ends this session (its cookie and its token), then sends the browser to
/// the sign-in page.
#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let parts = ssr::request_parts()?;
    let token = crate::auth::session::token_from_headers(&parts.headers);
    crate::auth::service::logout(&state, token.as_deref()).await?;
    ssr::set_cookie(&state, None)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Ends every session of the account, on every device, then sends the
/// browser to the sign-in page.
#[server(endpoint = "logout_everywhere")]
pub async fn logout_everywhere() -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let parts = ssr::request_parts()?;
    let user = crate::auth::session::authenticate(&state, &parts.headers).await?;
    crate::auth::service::logout_everywhere(&state, &user).await?;
    ssr::set_cookie(&state, None)?;
    leptos_axum::redirect("/login");
    Ok(())
}

/// Changes the password (the current one checked), ends every other
/// session, then shows the account page with the change confirmed.
#[server(endpoint = "change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let state = crate::state::app_state()?;
    let parts = ssr::request_parts()?;
    let client = client_addr(&state);
    let changed = async {
        let (user, session) =
            crate::auth::session::authenticate_session(&state, &parts.headers).await?;
        crate::auth::service::change_password(
            &state,
            &user,
            &session,
            &current_password,
            &new_password,
            client,
        )
        .await
    }
    .await;
    changed.inspect_err(|err| {
        ssr::back_to_form(
            <ChangePassword as leptos::server_fn::ServerFn>::PATH,
            "",
            err,
        )
    })?;
    leptos_axum::redirect("/account?changed=password");
    Ok(())
}

/// Whether the sign-up form should be offered.
#[server(endpoint = "signup_open")]
pub async fn signup_open() -> Result<bool, AppError> {
    let state = crate::state::app_state()?;
    crate::auth::service::signup_open(&state).await
}
