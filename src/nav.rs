//! Which page a path shows, and moving between chats without reloading.
//!
//! The app has seven fixed paths, so it routes them itself instead of using
//! leptos_router in the browser: the router was 44 KB of the 397 KB (brotli)
//! the page downloaded. The server still registers each path with
//! leptos_axum ([`PAGE_PATHS`]).

use leptos::prelude::*;

/// Every path that renders a page, in axum's syntax.
pub const PAGE_PATHS: [&str; 7] = [
    "/",
    "/c/{id}",
    "/login",
    "/signup",
    "/account",
    "/admin/users",
    "/admin/diagnostics",
];

/// The kinds of page the app has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The chat (`/` for a new one, `/c/{id}` for a stored one).
    Chat,
    /// Sign in.
    Login,
    /// Create an account.
    Signup,
    /// The signed-in user's account: password, sessions.
    Account,
    /// The admin's accounts, sign-up switch and invitations.
    Users,
    /// The admin's provider checks.
    Diagnostics,
    /// Anything else.
    NotFound,
}

impl Page {
    /// Whether the page runs the WASM bundle. Only the chat does: sign-in,
    /// sign-up, diagnostics and not-found are plain server-rendered HTML
    /// whose forms post to the server, so they load no script at all and the
    /// bundle carries none of their code.
    pub fn hydrates(self) -> bool {
        self == Page::Chat
    }
}

/// The page the request being rendered asks for.
#[cfg(feature = "ssr")]
pub fn requested_page() -> Page {
    page_for(&path_now())
}

/// After a form posted without scripts fails, the server function sends the
/// browser back with the error in the query (`__path`, `__err`); this hands
/// it to the page's `ServerAction`, which then shows it (leptos_router does
/// this for apps that use it).
#[cfg(feature = "ssr")]
pub fn provide_form_error() {
    if let (Some(path), Some(err)) = (query_param("__path"), query_param("__err")) {
        provide_context(leptos::server::ServerActionError::new(&path, &err));
    }
}

/// The error a form posted without scripts came back with, whichever
/// server function it posted to (pages with many forms show it once).
#[cfg(feature = "ssr")]
pub fn form_error() -> Option<crate::error::AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    query_param("__err").map(|err| ServerFnUrlError::<crate::error::AppError>::decode_err(&err))
}

/// A query parameter of the request being rendered (`None` when absent).
#[cfg(feature = "ssr")]
pub fn query_param(name: &str) -> Option<String> {
    let parts = use_context::<axum::http::request::Parts>()?;
    let axum::extract::Query(params) =
        axum::extract::Query::<std::collections::HashMap<String, String>>::try_from_uri(&parts.uri)
            .ok()?;
    params.get(name).cloned()
}

/// The page a path shows. Exact paths only: the server registers these,
/// so `/login/` is not found on both sides alike.
pub fn page_for(path: &str) -> Page {
    match path {
        "/" => Page::Chat,
        "/login" => Page::Login,
        "/signup" => Page::Signup,
        "/account" => Page::Account,
        "/admin/users" => Page::Users,
        "/admin/diagnostics" => Page::Diagnostics,
        _ => match path.strip_prefix("/c/") {
            Some(id) if !id.is_empty() && !id.contains('/') => Page::Chat,
            _ => Page::NotFound,
        },
    }
}

/// The conversation a chat path opens (`/c/12` → 12); `None` for a new chat
/// (also for an id that is not a number: a new chat is shown).
pub fn conversation_in(path: &str) -> Option<i64> {
    path.strip_prefix("/c/").and_then(|id| id.parse().ok())
}

/// The path the page shows, as a signal: set from the request on the
/// server, from the address bar in the browser (and on Back / Forward).
#[derive(Clone, Copy)]
pub struct CurrentPath(RwSignal<String>);

/// Makes the current path known to the app; call once at its root.
pub fn provide_current_path() -> CurrentPath {
    let path = CurrentPath(RwSignal::new(path_now()));
    #[cfg(feature = "hydrate")]
    {
        let handle = window_event_listener(leptos::ev::popstate, move |_| {
            path.0.set(path_now());
        });
        on_cleanup(move || handle.remove());
    }
    provide_context(path);
    path
}

impl CurrentPath {
    /// The path now (tracked).
    pub fn get(self) -> String {
        self.0.get()
    }
}

/// The current path from context; `/` outside the app.
pub fn current_path() -> CurrentPath {
    use_context::<CurrentPath>().unwrap_or_else(|| CurrentPath(RwSignal::new("/".into())))
}

#[cfg(feature = "ssr")]
fn path_now() -> String {
    use_context::<axum::http::request::Parts>()
        .map(|parts| parts.uri.path().to_string())
        .unwrap_or_else(|| "/".into())
}

#[cfg(not(feature = "ssr"))]
fn path_now() -> String {
    window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".into())
}

/// Shows `path` without reloading the page, with a history entry so Back
/// returns (none when it is already shown). Only for chat paths: other
/// pages load in full.
pub fn navigate(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let current = current_path();
        if current.0.get_untracked() == path {
            return;
        }
        let pushed = window()
            .history()
            .and_then(|h| h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path)));
        match pushed {
            Ok(()) => current.0.set(path.to_string()),
            Err(_) => {
                let _ = window().location().set_href(path);
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// For a click on a link to a chat path: opens it in place, unless the
/// click asks for a new tab or window.
pub fn follow_link(ev: &leptos::ev::MouseEvent, path: &str) {
    if ev.button() != 0 || ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key() {
        return;
    }
    ev.prevent_default();
    navigate(path);
}

/// Sends the browser to another page: a redirect answer while the server
/// renders, a full page load in the browser.
pub fn redirect(path: &str) {
    #[cfg(feature = "ssr")]
    leptos_axum::redirect(path);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = window().location().set_href(path);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_path_shows_its_page() {
        let pages: Vec<Page> = PAGE_PATHS
            .iter()
            .map(|p| page_for(&p.replace("{id}", "7")))
            .collect();
        assert_eq!(
            pages,
            [
                Page::Chat,
                Page::Chat,
                Page::Login,
                Page::Signup,
                Page::Account,
                Page::Users,
                Page::Diagnostics
            ]
        );
    }

    #[test]
    fn unknown_paths_are_not_found() {
        for path in [
            "/nope", "/c/", "/c/1/2", "/admin", "/login/x", "/login/", "/c/5/", "",
        ] {
            assert_eq!(page_for(path), Page::NotFound, "{path}");
        }
    }

    #[test]
    fn the_conversation_comes_from_the_path() {
        assert_eq!(conversation_in("/c/42"), Some(42));
        assert_eq!(conversation_in("/c/42/"), None);
        assert_eq!(conversation_in("/c/abc"), None);
        assert_eq!(conversation_in("/"), None);
        assert_eq!(conversation_in("/login"), None);
    }
}
