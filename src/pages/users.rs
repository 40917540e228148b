//! `/admin/users`: the admin's accounts, the sign-up switch and invitation
//! links. Plain HTML from the server: every button is a form posting to a
//! server function (`crate::admin::users`), which comes back here.

use crate::admin::users::{
    load_users_overview, AdminCreateInvite, AdminDeleteUser, AdminResetPassword, AdminSetAdmin,
    AdminSetDisabled, AdminSetSignup, AdminWithdrawInvite,
};
use crate::error::AppError;
use crate::model::{AccountSummary, InviteSummary, SessionUser, UsersOverview};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The address an invitation link starts with: `PUBLIC_URL` when set, else
/// the address this page was asked for.
fn site_address() -> String {
    let state = crate::state::app_state().ok();
    if let Some(public) = state.and_then(|s| s.config.trusted_origins.first().cloned()) {
        return public;
    }
    let Some(parts) = use_context::<axum::http::request::Parts>() else {
        return String::new();
    };
    let header = |name: &str| parts.headers.get(name).and_then(|v| v.to_str().ok());
    let scheme = header("x-forwarded-proto").unwrap_or("http");
    header("host")
        .map(|host| format!("{scheme}://{host}"))
        .unwrap_or_default()
}

#[component]
fn AccountRow(account: AccountSummary, me: i64) -> impl IntoView {
    let st = crate::i18n::st();
    let t = crate::i18n::t();
    let id = account.id.to_string();
    let own = account.id == me;
    let created = account.created_at.get(..10).unwrap_or_default().to_string();
    view! {
        <tr class:disabled=account.disabled>
            <td>
                <strong>{account.username.clone()}</strong>
                {own.then(|| view! { " " <span class="badge">{st.you}</span> })}
                {account.is_admin.then(|| view! { " " <span class="badge">{t.admin}</span> })}
                {account.disabled.then(|| view! { " " <span class="badge warn">{st.disabled}</span> })}
            </td>
            <td>{created}</td>
            <td>{account.conversations}</td>
            <td class="actions">
                {(!own).then(|| view! {
                    <form method="post" action=AdminSetDisabled::PATH>
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <input type="hidden" name="disabled" value=(!account.disabled).to_string()/>
                        <button type="submit">{if account.disabled { st.enable } else { st.disable }}</button>
                    </form>
                    <form method="post" action=AdminSetAdmin::PATH>
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <input type="hidden" name="is_admin" value=(!account.is_admin).to_string()/>
                        <button type="submit">{if account.is_admin { st.remove_admin } else { st.make_admin }}</button>
                    </form>
                })}
                <form method="post" action=AdminResetPassword::PATH>
                    <input type="hidden" name="user_id" value=id.clone()/>
                    <input type="password" name="new_password" autocomplete="new-password" minlength="8" required
                        placeholder=st.reset_password_placeholder aria-label=st.reset_password_placeholder/>
                    <button type="submit">{st.reset_password}</button>
                </form>
                {(!own).then(|| view! {
                    <form method="post" action=AdminDeleteUser::PATH class="danger">
                        <input type="hidden" name="user_id" value=id.clone()/>
                        <label><input type="checkbox" required/>" "{st.delete_account_confirm}</label>
                        <button type="submit">{st.delete_account}</button>
                    </form>
                })}
            </td>
        </tr>
    }
}

#[component]
fn InviteRow(invite: InviteSummary, site: String) -> impl IntoView {
    let st = crate::i18n::st();
    let link = format!("{site}/signup?invite={}", invite.id);
    view! {
        <li>
            <input type="text" readonly value=link.clone() aria-label=st.invites_heading class="invite-link"/>
            <span class="hint">{st.expires}" "{invite.expires.replace('T', " ").replace('Z', " UTC")}</span>
            <form method="post" action=AdminWithdrawInvite::PATH>
                <input type="hidden" name="invite" value=invite.id.clone()/>
                <button type="submit">{st.withdraw_invite}</button>
            </form>
        </li>
    }
}

#[component]
fn UsersBody(overview: UsersOverview, me: SessionUser) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let st = lang.server_texts();
    let error = crate::nav::form_error().map(|err| err.message(lang));
    let site = site_address();
    let open = overview.signup_open;
    view! {
        <main class="admin-page">
            <a href="/">{t.back_arrow}</a>
            <h1>{st.users_title}</h1>
            {error.map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
            <table class="accounts">
                <thead>
                    <tr>
                        <th scope="col">{st.col_name}</th>
                        <th scope="col">{st.col_created}</th>
                        <th scope="col">{st.col_chats}</th>
                        <th scope="col">{st.col_actions}</th>
                    </tr>
                </thead>
                <tbody>
                    {overview.accounts.into_iter().map(|account| view! { <AccountRow account me=me.id/> }).collect_view()}
                </tbody>
            </table>
            <h2>{st.signup_heading}</h2>
            <p>{if open { st.signup_is_open } else { st.signup_is_closed }}</p>
            <form method="post" action=AdminSetSignup::PATH>
                <input type="hidden" name="open" value=(!open).to_string()/>
                <button type="submit">{if open { st.close_signup } else { st.open_signup }}</button>
            </form>
            <h2>{st.invites_heading}</h2>
            <p class="hint">{st.invites_intro}</p>
            <form method="post" action=AdminCreateInvite::PATH>
                <button type="submit">{st.create_invite}</button>
            </form>
            {if overview.invites.is_empty() {
                view! { <p class="hint">{st.no_invites}</p> }.into_any()
            } else {
                view! {
                    <ul class="invites">
                        {overview.invites.into_iter().map(|invite| view! { <InviteRow invite site=site.clone()/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </main>
    }
}

/// `/admin/users`, for admins; others are told it is not theirs, and
/// signed-out visitors go to the sign-in page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let user = Resource::new_blocking(|| (), |_| crate::auth::api::current_user());
    let overview = Resource::new_blocking(|| (), |_| load_users_overview());
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    view! {
        <Suspense fallback=move || view! { <p class="page-loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match (user.await, overview.await) {
                    (Ok(Some(me)), Ok(overview)) if me.is_admin => view! { <UsersBody overview me/> }.into_any(),
                    (Ok(Some(me)), Err(err)) if me.is_admin => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                    (Ok(None), _) => {
                        crate::nav::redirect("/login");
                        ().into_any()
                    }
                    (Ok(Some(_)), _) => view! {
                        <main class="centered">
                            <p class="form-error" role="alert">{AppError::AdminOnly.message(lang)}</p>
                            <a href="/">{t.back_to_chat}</a>
                        </main>
                    }.into_any(),
                    (Err(err), _) => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
