//! The reader's remembered choices: language and theme. Each lives in a
//! long-lived cookie, so the server renders the page right the first time
//! (no flash of the wrong theme or language).

use crate::error::AppError;
use crate::i18n::Lang;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Name of the cookie that remembers the theme.
pub const THEME_COOKIE: &str = "nexa_theme";

/// Light, dark, or whatever the system uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// All themes, in the order the switcher lists them.
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The value of `<html data-theme>` and of the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads a stored theme name.
    pub fn parse(value: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.code() == value.trim())
    }

    /// The theme's name in `lang`.
    pub fn label(self, lang: Lang) -> &'static str {
        let t = lang.texts();
        match self {
            Theme::System => t.theme_system,
            Theme::Light => t.theme_light,
            Theme::Dark => t.theme_dark,
        }
    }
}

/// The value of a cookie in a request (the first one set and not empty).
#[cfg(feature = "ssr")]
pub fn cookie_value(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == name && !c.value().is_empty())
        .map(|c| c.value().to_string())
}

/// The theme of the page being rendered or running.
pub fn current_theme() -> Theme {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| cookie_value(&parts.headers, THEME_COOKIE))
            .and_then(|v| Theme::parse(&v))
            .unwrap_or_default()
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("data-theme"))
            .and_then(|v| Theme::parse(&v))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    {
        Theme::System
    }
}

/// `Set-Cookie` value remembering a preference for a year.
#[cfg(feature = "ssr")]
fn preference_cookie(name: &'static str, value: &'static str) -> String {
    cookie::Cookie::build((name, value))
        .path("/")
        .same_site(cookie::SameSite::Lax)
        .max_age(cookie::time::Duration::days(365))
        .build()
        .to_string()
}

#[cfg(feature = "ssr")]
fn remember(name: &'static str, value: &'static str) -> Result<(), AppError> {
    let header = axum::http::HeaderValue::from_str(&preference_cookie(name, value))
        .map_err(|_| AppError::Internal)?;
    expect_context::<leptos_axum::ResponseOptions>()
        .append_header(axum::http::header::SET_COOKIE, header);
    Ok(())
}

/// Remembers the reader's language (the page reloads to show it).
#[server(endpoint = "set_language")]
pub async fn set_language(lang: Lang) -> Result<(), AppError> {
    remember(crate::i18n::LANG_COOKIE, lang.code())
}

/// Remembers the reader's theme.
#[server(endpoint = "set_theme")]
pub async fn set_theme(theme: Theme) -> Result<(), AppError> {
    remember(THEME_COOKIE, theme.code())
}

/// The language and theme switchers.
#[component]
pub fn PreferenceSwitchers() -> impl IntoView {
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let theme = RwSignal::new(current_theme());
    let set_lang = ServerAction::<SetLanguage>::new();
    let set_theme_action = ServerAction::<SetTheme>::new();
    // The new language needs the whole page rendered again.
    Effect::new(move |_| {
        if let Some(Ok(())) = set_lang.value().get() {
            #[cfg(feature = "hydrate")]
            let _ = window().location().reload();
        }
    });
    view! {
        <div class="preferences">
            <label>
                <span class="visually-hidden">{t.language}</span>
                <select
                    aria-label=t.language
                    class="language-switch"
                    on:change=move |ev| {
                        if let Some(lang) = Lang::from_tag(&event_target_value(&ev)) {
                            set_lang.dispatch(SetLanguage { lang });
                        }
                    }
                >
                    {Lang::ALL
                        .into_iter()
                        .map(|l| view! { <option value=l.code() selected=l == lang>{l.native_name()}</option> })
                        .collect_view()}
                </select>
            </label>
            <label>
                <span class="visually-hidden">{t.theme}</span>
                <select
                    aria-label=t.theme
                    class="theme-switch"
                    on:change=move |ev| {
                        if let Some(choice) = Theme::parse(&event_target_value(&ev)) {
                            theme.set(choice);
                            #[cfg(feature = "hydrate")]
                            if let Some(html) = document().document_element() {
                                let _ = html.set_attribute("data-theme", choice.code());
                            }
                            set_theme_action.dispatch(SetTheme { theme: choice });
                        }
                    }
                >
                    {Theme::ALL
                        .into_iter()
                        .map(|th| view! {
                            <option value=th.code() selected=move || theme.get() == th>{th.label(lang)}</option>
                        })
                        .collect_view()}
                </select>
            </label>
        </div>
    }
}

/// The same switchers for the pages that run no WASM (sign-in, sign-up,
/// diagnostics): plain forms posting to the same server functions, which
/// send the browser back to the page, now in the new language or theme.
#[cfg(feature = "ssr")]
#[component]
pub fn PreferenceForms() -> impl IntoView {
    use leptos::server_fn::ServerFn;
    let lang = crate::i18n::current_lang();
    let t = lang.texts();
    let theme = current_theme();
    let languages = Lang::ALL
        .into_iter()
        .map(|l| (l.code(), l.native_name(), l == lang))
        .collect();
    let themes = Theme::ALL
        .into_iter()
        .map(|th| (th.code(), th.label(lang), th == theme))
        .collect();
    // Picking submits at once. An inline handler (`onchange=`) would need
    // the page's policy to allow inline script; this script carries the
    // response's nonce instead.
    let nonce = leptos::nonce::use_nonce();
    view! {
        <div class="preferences">
            <SwitchForm action=SetLanguage::PATH name="lang" label=t.language class="language-switch" options=languages/>
            <SwitchForm action=SetTheme::PATH name="theme" label=t.theme class="theme-switch" options=themes/>
        </div>
        <script nonce=nonce>
            "for (const s of document.querySelectorAll('.preferences select')) s.addEventListener('change', () => s.form.submit());"
        </script>
    }
}

/// One switcher as a form: picking submits it at once; with scripts off an
/// Apply button shows. Options are (value, label, selected).
#[cfg(feature = "ssr")]
#[component]
fn SwitchForm(
    action: &'static str,
    name: &'static str,
    label: &'static str,
    class: &'static str,
    options: Vec<(&'static str, &'static str, bool)>,
) -> impl IntoView {
    let t = crate::i18n::t();
    view! {
        <form method="post" action=action>
            <label>
                <span class="visually-hidden">{label}</span>
                <select name=name aria-label=label class=class>
                    {options
                        .into_iter()
                        .map(|(value, text, selected)| view! { <option value=value selected=selected>{text}</option> })
                        .collect_view()}
                </select>
            </label>
            <noscript><button type="submit" class="link-button">{t.apply}</button></noscript>
        </form>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn preferences_are_read_from_cookies_and_kept_a_year() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert(
            "cookie",
            "nexa_session=abc; nexa_theme=dark".parse().unwrap(),
        );
        assert_eq!(
            cookie_value(&headers, THEME_COOKIE).as_deref(),
            Some("dark")
        );
        assert_eq!(Theme::parse("dark"), Some(Theme::Dark));
        assert_eq!(Theme::parse("neon"), None);
        let set = preference_cookie(THEME_COOKIE, "light");
        assert!(set.starts_with("nexa_theme=light"), "{set}");
        assert!(set.contains("Max-Age=31536000"), "{set}");
        assert!(!set.contains("HttpOnly"), "{set}");
    }
}
