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
