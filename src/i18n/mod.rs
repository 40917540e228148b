//! Languages of the app: English and Spanish. The language comes from the
//! `nexa_lang` cookie (the reader's own choice) or else the browser's
//! `Accept-Language`; the page text lives in [`texts`].

pub mod texts;

use serde::{Deserialize, Serialize};

pub use texts::Texts;

/// Name of the cookie that remembers the reader's language.
pub const LANG_COOKIE: &str = "nexa_lang";

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Spanish.
    Es,
}

impl Lang {
    /// Both languages, in the order the switcher lists them.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Es];

    /// The BCP 47 tag (`en`, `es`), as in `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Es => "es",
        }
    }

    /// The language's own name, as the switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Es => "Español",
        }
    }

    /// Reads a tag such as `es`, `es-MX` or `EN_us`; `None` for other languages.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag
            .trim()
            .split(['-', '_'])
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        match primary.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            _ => None,
        }
    }

    /// The best language for an `Accept-Language` header: the supported one
    /// with the highest weight (earlier wins a tie), else English.
    pub fn from_accept_language(header: &str) -> Lang {
        let mut best: Option<(Lang, f32)> = None;
        for part in header.split(',') {
            let mut pieces = part.split(';');
            let Some(lang) = pieces.next().and_then(Lang::from_tag) else {
                continue;
            };
            let weight = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(|q| q.trim().parse::<f32>().unwrap_or(0.0))
                .unwrap_or(1.0);
            if weight > 0.0 && best.is_none_or(|(_, w)| weight > w) {
                best = Some((lang, weight));
            }
        }
        best.map(|(lang, _)| lang).unwrap_or_default()
    }

    /// The page text in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &texts::EN,
            Lang::Es => &texts::ES,
        }
    }

    /// Picks `en` or `es`; an empty Spanish text falls back to English.
    pub fn pick<'a>(self, en: &'a str, es: &'a str) -> &'a str {
        match self {
            Lang::Es if !es.is_empty() => es,
            _ => en,
        }
    }
}

/// The language of a request: the `nexa_lang` cookie, else `Accept-Language`.
#[cfg(feature = "ssr")]
pub fn lang_of_request(headers: &axum::http::HeaderMap) -> Lang {
    let from_cookie =
        crate::prefs::cookie_value(headers, LANG_COOKIE).and_then(|v| Lang::from_tag(&v));
    from_cookie.unwrap_or_else(|| {
        headers
            .get(axum::http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .map(Lang::from_accept_language)
            .unwrap_or_default()
    })
}

/// The language of the page being rendered or running, worked out once by
/// the app and shared through context (see [`detect_lang`]).
pub fn current_lang() -> Lang {
    leptos::prelude::use_context::<Lang>().unwrap_or_else(detect_lang)
}

/// Works the language out: on the server from the request, in the browser
/// from `<html lang>` (which the server set).
pub fn detect_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<axum::http::request::Parts>()
            .map(|parts| lang_of_request(&parts.headers))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        #[cfg(feature = "hydrate")]
        {
            leptos::prelude::document()
                .document_element()
                .and_then(|html| html.get_attribute("lang"))
                .and_then(|tag| Lang::from_tag(&tag))
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Lang::En
        }
    }
}

/// Shorthand for the page text in the current language.
pub fn t() -> &'static Texts {
    current_lang().texts()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_heaviest_supported_language() {
        assert_eq!(
            Lang::from_accept_language("es-ES,es;q=0.9,en;q=0.8"),
            Lang::Es
        );
        assert_eq!(
            Lang::from_accept_language("fr-FR,fr;q=0.9,es;q=0.5,en;q=0.7"),
            Lang::En
        );
        assert_eq!(Lang::from_accept_language("fr, de;q=0.5"), Lang::En);
        assert_eq!(Lang::from_accept_language("en;q=0.2, es-MX"), Lang::Es);
        assert_eq!(Lang::from_accept_language("es;q=0, en;q=0.1"), Lang::En);
        assert_eq!(Lang::from_accept_language(""), Lang::En);
        assert_eq!(Lang::from_accept_language("es;q=banana"), Lang::En);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_cookie_beats_the_browser() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("accept-language", "es".parse().unwrap());
        assert_eq!(lang_of_request(&headers), Lang::Es);
        headers.insert("cookie", "nexa_session=x; nexa_lang=en".parse().unwrap());
        assert_eq!(lang_of_request(&headers), Lang::En);
    }

    #[test]
    fn spanish_falls_back_to_english_when_missing() {
        assert_eq!(Lang::Es.pick("Hello", ""), "Hello");
        assert_eq!(Lang::Es.pick("Hello", "Hola"), "Hola");
        assert_eq!(Lang::En.pick("Hello", "Hola"), "Hello");
    }
}
