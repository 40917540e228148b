//! Languages of the app: English and Spanish. The language comes from the
//! `nexa_lang` cookie (the reader's own choice) or else the browser's
//! `Accept-Language`.
//!
//! Every word the app says is in one catalog per language: `en.rs` and
//! `es.rs` each implement [`Catalog`] (the page text, [`Texts`], and every
//! message, matched exhaustively). A third language is one new file
//! implementing it, plus its arm in [`Lang`]'s matches.

pub mod catalog;
pub mod en;
pub mod es;
#[cfg(feature = "ssr")]
pub mod server_texts;
pub mod texts;

use crate::error::{AppError, Invalid};
use crate::failure::{Failover, Failure, LeftOut, ProviderError, Setting, Waiting};
use catalog::Catalog;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
pub use server_texts::ServerTexts;
pub use texts::Texts;

/// Calls the catalog of `$lang` (static dispatch: the browser build keeps
/// only the words its code can say).
macro_rules! in_catalog {
    ($lang:expr, $($call:tt)+) => {
        match $lang {
            Lang::En => <en::English as Catalog>::$($call)+,
            Lang::Es => <es::Spanish as Catalog>::$($call)+,
        }
    };
}

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

    /// What stands for a provider's address for a reader who is not an
    /// admin.
    pub fn provider_address(self) -> &'static str {
        in_catalog!(self, PROVIDER_ADDRESS)
    }

    /// The page text in this language.
    pub fn texts(self) -> &'static Texts {
        in_catalog!(self, TEXTS)
    }

    /// The text of the server-only pages in this language.
    #[cfg(feature = "ssr")]
    pub fn server_texts(self) -> &'static ServerTexts {
        in_catalog!(self, SERVER_TEXTS)
    }

    /// An error of a request, worded in this language.
    pub fn app_error(self, err: &AppError) -> String {
        match err {
            // Only the server words refusals and provider failures: the page
            // gets them worded (`AppError::Said`), so the browser build
            // leaves those words out.
            #[cfg(feature = "ssr")]
            AppError::Invalid(reason) => self.invalid(reason),
            #[cfg(feature = "ssr")]
            AppError::Provider(failure) => self.provider_error(failure),
            #[cfg(feature = "ssr")]
            AppError::Account(refusal) => in_catalog!(self, account(refusal)),
            _ => in_catalog!(self, app_error(err)),
        }
    }

    /// Why a request is invalid, in this language.
    pub fn invalid(self, reason: &Invalid) -> String {
        in_catalog!(self, invalid(reason))
    }

    /// A provider failure and its fix, in this language.
    pub fn provider_error(self, err: &ProviderError) -> String {
        in_catalog!(self, provider_error(err))
    }

    /// Why a reply failed, in this language.
    pub fn failure(self, failure: &Failure) -> String {
        in_catalog!(self, failure(failure))
    }

    /// The note under a reply a fallback wrote, in this language.
    pub fn failover(self, notice: &Failover) -> String {
        in_catalog!(self, failover(notice))
    }

    /// That the oldest messages were not sent, in this language.
    pub fn left_out(self, left_out: &LeftOut) -> String {
        in_catalog!(self, left_out(left_out))
    }

    /// What a reply waits for, in this language.
    pub fn waiting(self, waiting: &Waiting) -> String {
        in_catalog!(self, waiting(waiting))
    }

    /// A setting as messages in this language name it.
    pub fn setting(self, setting: &Setting) -> String {
        in_catalog!(self, setting(setting))
    }

    /// What a diagnostics step found, or its fix, in this language.
    pub fn finding(self, finding: &crate::model::Finding) -> String {
        in_catalog!(self, finding(finding))
    }

    /// How Hugging Face model names work, in this language.
    pub fn hf_model_help(self) -> &'static str {
        in_catalog!(self, HF_MODEL_HELP)
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

/// Shorthand for the server-only page text in the current language.
#[cfg(feature = "ssr")]
pub fn st() -> &'static ServerTexts {
    current_lang().server_texts()
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

    /// Every message the app can say, with sample parameters: every
    /// provider problem for a local server and for Hugging Face, every
    /// refusal, every request error, every other failure, note and wait.
    fn every_message(lang: Lang) -> Vec<(String, String)> {
        use crate::error::{AppError, Invalid, ProviderError};
        use crate::failure::*;
        use crate::model::Finding;
        use strum::IntoEnumIterator;
        let upstream = |kind| Upstream {
            kind,
            name: "Box".into(),
            url: "http://box:1234/v1/chat/completions".into(),
            settings: ProviderSettings {
                url: Setting::Var("LOCAL_AI_URL".into()),
                key: Setting::File {
                    field: "api_key_env".into(),
                    provider: "box".into(),
                },
                model: Setting::Var("LOCAL_AI_MODEL".into()),
            },
            model: Some("qwen".into()),
        };
        let mut said = Vec::new();
        let mut errors = Vec::new();
        for kind in [
            ProviderKind::Local,
            ProviderKind::Ollama,
            ProviderKind::HuggingFace,
        ] {
            for problem in Problem::iter() {
                errors.push(ProviderError {
                    provider: Box::new(upstream(kind)),
                    problem,
                });
            }
        }
        for err in &errors {
            said.push((format!("{err:?}"), lang.provider_error(err)));
        }
        for reason in Invalid::iter() {
            said.push((format!("{reason:?}"), lang.invalid(&reason)));
        }
        for refusal in crate::error::AccountRefusal::iter().chain([
            crate::error::AccountRefusal::TooManyAttempts { seconds: 90 },
            crate::error::AccountRefusal::TooManyAttempts { seconds: 900 },
        ]) {
            let err = AppError::Account(refusal);
            said.push((format!("{err:?}"), lang.app_error(&err)));
        }
        let app_errors = [
            AppError::Unauthorized,
            AppError::BadCredentials,
            AppError::SignupClosed,
            AppError::UsernameTaken,
            AppError::NotFound,
            AppError::AdminOnly,
            AppError::ReplyInProgress,
            AppError::CrossSiteRefused,
            AppError::TooManyReplies { limit: 4 },
            AppError::ServerBusy { limit: 64 },
            AppError::TooManyFollowers { limit: 32 },
            AppError::Internal,
            AppError::Transport("timed out".into()),
        ];
        for err in app_errors {
            said.push((format!("{err:?}"), lang.app_error(&err)));
        }
        let failures = [
            Failure::Interrupted,
            Failure::TooLong { max_chars: 200_000 },
            Failure::ProviderRemoved { id: "box".into() },
            Failure::FallbackFailed {
                first: errors[0].clone(),
                fallback: "Spare".into(),
                second: errors[1].clone(),
            },
        ];
        for failure in failures {
            said.push((format!("{failure:?}"), lang.failure(&failure)));
        }
        for reason in [
            FailoverReason::RateLimited,
            FailoverReason::Busy,
            FailoverReason::TimedOut,
            FailoverReason::Unreachable,
        ] {
            let notice = Failover {
                chosen: "Box".into(),
                answered: "Spare".into(),
                reason,
            };
            said.push((format!("{notice:?}"), lang.failover(&notice)));
        }
        for waiting in [
            Waiting::ModelLoading {
                provider: "Box".into(),
                seconds_left: 3,
            },
            Waiting::TryingAgain {
                provider: "Box".into(),
            },
        ] {
            said.push((format!("{waiting:?}"), lang.waiting(&waiting)));
        }
        said.push(("hf_model_help".into(), lang.hf_model_help().into()));
        let setting = Setting::Var("LOCAL_AI_MODEL".into());
        let findings = [
            Finding::NotConfigured,
            Finding::KeySet {
                setting: setting.clone(),
            },
            Finding::NoToken,
            Finding::NoKey,
            Finding::Answered { status: 200, ms: 5 },
            Finding::Lists {
                count: 0,
                shown: String::new(),
                more: 0,
            },
            Finding::Lists {
                count: 1,
                shown: "qwen".into(),
                more: 0,
            },
            Finding::Lists {
                count: 9,
                shown: "qwen".into(),
                more: 8,
            },
            Finding::NoModelList { status: 404 },
            Finding::SetModel {
                setting: setting.clone(),
            },
            Finding::CheckedByTestReply {
                model: "qwen".into(),
            },
            Finding::ModelNotListed {
                model: "qwen".into(),
            },
            Finding::PickListedModel {
                setting: setting.clone(),
                listed: "a, b".into(),
                model: "qwen".into(),
            },
            Finding::NoModelLoaded,
            Finding::LoadAModel,
            Finding::FirstListedUsed {
                model: "qwen".into(),
            },
            Finding::NoneSetNoneListed,
            Finding::SetModelIfReplyFails { setting },
            Finding::RepliedIn { ms: 5 },
            Finding::NoReply {
                code: "local_timeout".into(),
            },
            Finding::NotTried,
        ];
        for finding in findings {
            said.push((format!("{finding:?}"), lang.finding(&finding)));
        }
        for (i, name) in lang.texts().diagnosis_steps.iter().enumerate() {
            // "Model list (/v1/models)" keeps its path in every language.
            said.push((format!("diagnosis step {i}"), name.to_string()));
        }
        said
    }

    /// The catalogs match every message exhaustively, so a language without
    /// one does not compile; this checks what the compiler cannot: that each
    /// message is really worded in each language, and no placeholder is left.
    #[test]
    fn every_message_is_worded_in_every_language() {
        let english = every_message(Lang::En);
        assert!(english.len() > 100, "{} messages", english.len());
        for (key, text) in &english {
            assert!(!text.trim().is_empty(), "{key}: empty in English");
            assert!(!text.contains('{') && !text.contains('}'), "{key}: {text}");
        }
        for lang in Lang::ALL.into_iter().filter(|l| *l != Lang::En) {
            let words = every_message(lang);
            assert_eq!(words.len(), english.len());
            for ((key, en), (_, text)) in english.iter().zip(&words) {
                assert!(!text.trim().is_empty(), "{key}: empty in {}", lang.code());
                assert_ne!(text, en, "{key}: not translated to {}", lang.code());
                assert!(!text.contains('{') && !text.contains('}'), "{key}: {text}");
            }
        }
    }
}
