//! The page shell and the routes.

use crate::nav::{page_for, Page};
#[cfg(feature = "ssr")]
use crate::pages::account::AccountPage;
#[cfg(feature = "ssr")]
use crate::pages::auth::{LoginPage, SignupPage};
use crate::pages::chat::ChatPage;
#[cfg(feature = "ssr")]
use crate::pages::diagnostics::DiagnosticsPage;
#[cfg(feature = "ssr")]
use crate::pages::users::UsersPage;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags};

/// The HTML document around the app, rendered on the server.
#[cfg(feature = "ssr")]
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let theme = crate::prefs::current_theme();
    set_content_security_policy();
    // Server-only: every page has the same title, so the browser bundle needs
    // no leptos_meta (the stylesheet link is registered here too).
    provide_meta_context();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code() data-theme=theme.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <title>"Nexa Chat"</title>
                <meta name="description" content="Self-hosted AI chat"/>
                // File names carry a content hash (cargo-leptos hash-files).
                <HashedStylesheet options=options.clone() id="leptos"/>
                {crate::nav::requested_page().hydrates().then(|| view! {
                    <AutoReload options=options.clone()/>
                    <HydrationScripts options/>
                })}
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// What a page may load and run, with this response's nonce: scripts only
/// when they carry the nonce (Leptos puts it on its hydration and resource
/// scripts) or are loaded by one (`'strict-dynamic'`: the app's JS and
/// WASM); styles, images, requests and forms only from this site; no
/// plugins, no `<base>`, no framing. Should the Markdown renderer ever let
/// a script or an inline handler through, the browser refuses to run it.
///
/// Under `cargo leptos watch` (`LEPTOS_WATCH`), the page's live-reload
/// socket may connect too.
#[cfg(feature = "ssr")]
pub fn page_policy(nonce: &str) -> String {
    let reload = if std::env::var("LEPTOS_WATCH").is_ok() {
        " ws: wss:"
    } else {
        ""
    };
    format!(
        "default-src 'self'; script-src 'nonce-{nonce}' 'strict-dynamic' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'{reload}; font-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets the page's Content-Security-Policy header (see [`page_policy`]).
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    use axum::http::{header::CONTENT_SECURITY_POLICY, HeaderValue};
    let Some(nonce) = leptos::nonce::use_nonce() else {
        tracing::error!("no nonce for this page: leptos' nonce feature is off");
        return;
    };
    let Ok(policy) = HeaderValue::from_str(&page_policy(&nonce)) else {
        return;
    };
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(CONTENT_SECURITY_POLICY, policy);
    }
}

/// The app: chat at `/` and `/c/{id}`, sign-in and sign-up pages, the
/// admin's diagnostics (paths: [`crate::nav`]).
#[component]
pub fn App() -> impl IntoView {
    provide_context(crate::i18n::detect_lang());
    #[cfg(feature = "ssr")]
    crate::nav::provide_form_error();
    let path = crate::nav::provide_current_path();
    // Moving between chats changes the path, not the page: the chat stays.
    let page = Memo::new(move |_| page_for(&path.get()));
    view! { {move || page_view(page.get())} }
}

/// What a page shows, on the server: every page.
#[cfg(feature = "ssr")]
fn page_view(page: Page) -> AnyView {
    match page {
        Page::Chat => view! { <ChatPage/> }.into_any(),
        Page::Login => view! { <LoginPage/> }.into_any(),
        Page::Signup => view! { <SignupPage/> }.into_any(),
        Page::Account => view! { <AccountPage/> }.into_any(),
        Page::Users => view! { <UsersPage/> }.into_any(),
        Page::Diagnostics => view! { <DiagnosticsPage/> }.into_any(),
        Page::NotFound => view! { <NotFound/> }.into_any(),
    }
}

/// What a page shows, in the browser: only the chat runs there (see
/// [`Page::hydrates`]); moving between chats never leaves it.
#[cfg(not(feature = "ssr"))]
fn page_view(page: Page) -> AnyView {
    match page {
        Page::Chat => view! { <ChatPage/> }.into_any(),
        _ => ().into_any(),
    }
}

/// Shown for unknown paths.
#[cfg(feature = "ssr")]
#[component]
fn NotFound() -> impl IntoView {
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(axum::http::StatusCode::NOT_FOUND);
    }
    let t = crate::i18n::t();
    view! {
        <main class="centered">
            <h1>{t.not_found}</h1>
            <a href="/">{t.back_to_chat}</a>
        </main>
    }
}
