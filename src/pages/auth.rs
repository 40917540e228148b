//! Sign-in and sign-up pages: plain HTML from the server, no WASM. The forms
//! post to the server functions, which set the cookie and send the browser
//! to the chat, or back here with the error, which the page then shows.

use crate::auth::api::{signup_open, Login, Signup};
use crate::error::AppError;
use crate::prefs::PreferenceForms;
use leptos::prelude::*;

fn error_text<T>(value: Option<Result<T, AppError>>) -> Option<String> {
    let lang = crate::i18n::current_lang();
    value.and_then(|r| r.err()).map(|e| e.message(lang))
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<Login>::new();
    // After a failed attempt the server sends the username back.
    let typed = crate::nav::query_param("username");
    let error = move || error_text(action.value().get());
    let t = crate::i18n::t();
    view! {
        <main class="auth-page">
            <section class="auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title">{t.sign_in_title}</h1>
                <ActionForm action=action>
                    <label for="username">{t.username}</label>
                    <input id="username" name="username" autocomplete="username" value=typed.clone() required/>
                    <label for="password">{t.password}</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    <button type="submit">{t.sign_in}</button>
                </ActionForm>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <p class="auth-switch">{t.no_account} <a href="/signup">{t.create_one}</a></p>
            </section>
            <PreferenceForms/>
        </main>
    }
}

/// The sign-up page; says so when sign-up is closed.
#[component]
pub fn SignupPage() -> impl IntoView {
    let action = ServerAction::<Signup>::new();
    let typed = crate::nav::query_param("username");
    // An invitation link: `/signup?invite=…`, kept through a failed try.
    let invite = crate::nav::query_param("invite").filter(|i| !i.trim().is_empty());
    let invited = invite.is_some();
    let open = Resource::new(|| (), |_| signup_open());
    let error = move || error_text(action.value().get());
    let t = crate::i18n::t();
    let st = crate::i18n::st();
    view! {
        <main class="auth-page">
            <section class="auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title">{t.sign_up_title}</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match open.await {
                            Ok(false) if invited => view! {
                                <p class="hint">{st.invited}</p>
                            }.into_any(),
                            Ok(false) => view! {
                                <p class="form-error" role="alert">
                                    {t.signup_closed}
                                </p>
                            }.into_any(),
                            _ => view! {
                                <p class="hint">{t.first_account_admin}</p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                <ActionForm action=action>
                    <label for="username">{t.username}</label>
                    <input id="username" name="username" autocomplete="username" value=typed.clone() required minlength="3" maxlength="32"/>
                    <label for="password">{t.password}" " <span class="hint">{t.password_hint}</span></label>
                    <input id="password" type="password" name="password" autocomplete="new-password" required minlength="8"/>
                    {invite.map(|invite| view! { <input type="hidden" name="invite" value=invite/> })}
                    <button type="submit">{t.create_account}</button>
                </ActionForm>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <p class="auth-switch">{t.have_account} <a href="/login">{t.sign_in}</a></p>
            </section>
            <PreferenceForms/>
        </main>
    }
}
