//! `/account`: change the password, sign out on every device. Plain HTML
//! from the server; the forms post to the server functions, which come back
//! here with the outcome.

use crate::auth::api::{current_user, ChangePassword, LogoutEverywhere};
use crate::model::SessionUser;
use leptos::prelude::*;

#[component]
fn AccountBody(user: SessionUser) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let st = lang.server_texts();
    let change = ServerAction::<ChangePassword>::new();
    let error = move || {
        change
            .value()
            .get()
            .and_then(|r| r.err())
            .map(|e| e.message(lang))
    };
    let changed = crate::nav::query_param("changed").as_deref() == Some("password");
    let everywhere_path = <LogoutEverywhere as leptos::server_fn::ServerFn>::PATH;
    view! {
        <main class="auth-page">
            <section class="auth-card account" aria-labelledby="account-title">
                <a href="/">{t.back_arrow}</a>
                <h1 id="account-title">{t.account_title}</h1>
                <p class="hint">{st.signed_in_as}" " <strong>{user.username}</strong></p>
                <h2>{st.change_password}</h2>
                {changed.then(|| view! { <p class="form-ok" role="status">{st.password_changed}</p> })}
                <ActionForm action=change>
                    <label for="current_password">{st.current_password}</label>
                    <input id="current_password" type="password" name="current_password" autocomplete="current-password" required/>
                    <label for="new_password">{st.new_password}" " <span class="hint">{t.password_hint}</span></label>
                    <input id="new_password" type="password" name="new_password" autocomplete="new-password" required minlength="8"/>
                    <button type="submit">{st.change_password}</button>
                </ActionForm>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <h2>{st.sign_out_everywhere}</h2>
                <p class="hint">{st.sign_out_everywhere_hint}</p>
                <form method="post" action=everywhere_path>
                    <button type="submit" class="secondary">{st.sign_out_everywhere}</button>
                </form>
            </section>
        </main>
    }
}

/// `/account`, for the signed-in user; others go to the sign-in page.
#[component]
pub fn AccountPage() -> impl IntoView {
    let user = Resource::new_blocking(|| (), |_| current_user());
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    view! {
        <Suspense fallback=move || view! { <p class="page-loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(Some(user)) => view! { <AccountBody user/> }.into_any(),
                    Ok(None) => {
                        crate::nav::redirect("/login");
                        ().into_any()
                    }
                    Err(err) => view! { <p class="form-error" role="alert">{err.message(lang)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}
