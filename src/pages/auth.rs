//! Sign-in and sign-up pages. Both work before the WASM loads: the forms post
//! to the server functions, which set the cookie and redirect.

use crate::auth::api::{signup_open, Login, Signup};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::components::A;

fn error_text<T>(value: Option<Result<T, AppError>>) -> Option<String> {
    value.and_then(|r| r.err()).map(|e| e.to_string())
}

/// The sign-in page.
#[component]
pub fn LoginPage() -> impl IntoView {
    crate::components::hydration::mark_hydrated();
    let action = ServerAction::<Login>::new();
    let error = move || error_text(action.value().get());
    view! {
        <main class="auth-page">
            <section class="auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title">"Sign in to Nexa Chat"</h1>
                <ActionForm action=action>
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" required/>
                    <label for="password">"Password"</label>
                    <input id="password" type="password" name="password" autocomplete="current-password" required/>
                    <button type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Signing in…" } else { "Sign in" }}
                    </button>
                </ActionForm>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <p class="auth-switch">"No account yet? " <A href="/signup">"Create one"</A></p>
            </section>
        </main>
    }
}

/// The sign-up page; says so when sign-up is closed.
#[component]
pub fn SignupPage() -> impl IntoView {
    crate::components::hydration::mark_hydrated();
    let action = ServerAction::<Signup>::new();
    let open = Resource::new(|| (), |_| signup_open());
    let error = move || error_text(action.value().get());
    view! {
        <main class="auth-page">
            <section class="auth-card" aria-labelledby="auth-title">
                <h1 id="auth-title">"Create your account"</h1>
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match open.await {
                            Ok(false) => view! {
                                <p class="form-error" role="alert">
                                    "Sign-up is closed on this server. Ask the admin for an account."
                                </p>
                            }.into_any(),
                            _ => view! {
                                <p class="hint">"The first account on a new server becomes its admin."</p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
                <ActionForm action=action>
                    <label for="username">"Username"</label>
                    <input id="username" name="username" autocomplete="username" required minlength="3" maxlength="32"/>
                    <label for="password">"Password " <span class="hint">"(at least 8 characters)"</span></label>
                    <input id="password" type="password" name="password" autocomplete="new-password" required minlength="8"/>
                    <button type="submit" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating…" } else { "Create account" }}
                    </button>
                </ActionForm>
                {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
                <p class="auth-switch">"Already have an account? " <A href="/login">"Sign in"</A></p>
            </section>
        </main>
    }
}
