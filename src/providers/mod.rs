//! Model providers: which ones are configured, how to call them, and how their
//! failures are explained to people.

pub mod catalog;
pub mod chunk;
mod client;
pub mod diagnose;
pub mod errors;
pub mod file;
pub mod sse;
pub mod stream;

pub use client::{complete, list_models, probe, ModelsAnswer, WireMessage};
pub use stream::{open_stream, ReplyStream, ReplyText, Sampling};

use crate::config::Config;
use crate::model::ProviderInfo;
use file::ProviderSpec;
use secrecy::SecretString;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::RwLock;

/// Id of the local OpenAI-compatible server.
pub const LOCAL: &str = "local";
/// Id of the Hugging Face router.
pub const HUGGINGFACE: &str = "huggingface";

pub use crate::failure::{ProviderKind, ProviderSettings, Setting};

/// A URL as messages and logs show it: without `user:password@`, the
/// query string (where some servers take keys) and the fragment. Text that
/// is not a URL is shown as it is.
pub fn safe_url(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.set_query(None);
            parsed.set_fragment(None);
            parsed.to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// One provider, ready to call.
pub struct Provider {
    /// Stable id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Family.
    pub kind: ProviderKind,
    /// Chat-completions URL.
    pub url: String,
    /// The URL without any `user:password@`, for messages and pages.
    pub display_url: String,
    /// Bearer token, when needed.
    pub api_key: Option<SecretString>,
    /// Configured model, if any.
    pub model: Option<String>,
    /// The settings to name in messages.
    pub settings: ProviderSettings,
    /// Id of the provider that answers when this one is down.
    pub fallback: Option<String>,
    /// The key setting that is named but empty.
    missing_key: Option<Setting>,
    /// Model found on the server when none is configured (local only).
    discovered_model: RwLock<Option<String>>,
    /// Set once the provider refused `stream_options` with a 400.
    refuses_stream_options: AtomicBool,
}

/// Its key stays out of logs, and its URL's `user:password@` too.
impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider")
            .field("id", &self.id)
            .field("name", &self.name)
            .field("kind", &self.kind)
            .field("url", &self.display_url)
            .field("api_key", &self.api_key)
            .field("model", &self.model)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl Provider {
    /// Whether the provider has what it needs to be called.
    pub fn is_configured(&self) -> bool {
        match self.kind {
            ProviderKind::HuggingFace => self.api_key.is_some(),
            _ => self.missing_key.is_none(),
        }
    }

    /// The provider as failure messages name it.
    pub fn upstream(&self) -> crate::failure::Upstream {
        crate::failure::Upstream {
            kind: self.kind,
            name: self.name.clone(),
            url: self.display_url.clone(),
            settings: self.settings.clone(),
            model: self.model.clone(),
        }
    }

    /// A failure of this provider.
    pub fn failed(&self, problem: crate::failure::Problem) -> crate::error::ProviderError {
        crate::error::ProviderError {
            provider: Box::new(self.upstream()),
            problem,
        }
    }

    /// What is missing, while the provider is not configured.
    pub fn not_configured(&self) -> Option<crate::error::ProviderError> {
        if self.is_configured() {
            return None;
        }
        Some(self.failed(crate::failure::Problem::NotConfigured {
            missing_key: self.missing_key.clone(),
        }))
    }

    /// Setup help in `lang`, while the provider is not configured.
    pub fn setup_hint_in(&self, lang: crate::i18n::Lang) -> Option<String> {
        self.not_configured().map(|err| lang.provider_error(&err))
    }

    /// Whether to ask for usage with `stream_options` (until refused once).
    pub fn accepts_stream_options(&self) -> bool {
        !self.refuses_stream_options.load(Ordering::Relaxed)
    }

    /// Remembers that the provider refuses `stream_options`.
    pub fn refuse_stream_options(&self) {
        self.refuses_stream_options.store(true, Ordering::Relaxed);
    }

    /// The model last discovered from the server's model list.
    pub async fn discovered_model(&self) -> Option<String> {
        self.discovered_model.read().await.clone()
    }

    /// After a failed call: a 404 may mean the discovered model is gone from
    /// the server, so it is looked up again next time.
    pub async fn note_failed_status(&self, status: u16) {
        if status == 404 && self.model.is_none() {
            self.remember_model(None).await;
        }
    }

    /// Remembers the model found on the server.
    pub async fn remember_model(&self, model: Option<String>) {
        *self.discovered_model.write().await = model;
    }

    fn new(
        id: &str,
        name: &str,
        kind: ProviderKind,
        url: String,
        api_key: Option<SecretString>,
        model: Option<String>,
        settings: ProviderSettings,
    ) -> Self {
        Provider {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            display_url: safe_url(&url),
            url,
            api_key,
            model,
            settings,
            fallback: None,
            missing_key: None,
            discovered_model: RwLock::new(None),
            refuses_stream_options: AtomicBool::new(false),
        }
    }

    fn from_spec(spec: &ProviderSpec) -> Self {
        let at = |field: &str| Setting::File {
            field: field.to_string(),
            provider: spec.id.clone(),
        };
        let mut provider = Provider::new(
            &spec.id,
            &spec.name,
            spec.kind,
            spec.url.clone(),
            spec.api_key.clone(),
            spec.model.clone(),
            ProviderSettings {
                url: at("base_url"),
                key: spec
                    .api_key_env
                    .clone()
                    .map(Setting::Var)
                    .unwrap_or_else(|| at("api_key_env")),
                model: at("model"),
            },
        );
        provider.fallback = spec.fallback.clone();
        provider.missing_key = match (&spec.api_key_env, &spec.api_key) {
            (Some(var), None) => Some(Setting::Var(var.clone())),
            _ => None,
        };
        if spec.kind == ProviderKind::HuggingFace && spec.api_key_env.is_none() {
            provider.missing_key = Some(at("api_key_env"));
        }
        provider
    }
}

/// The configured providers.
#[derive(Debug)]
pub struct ProviderRegistry {
    providers: Vec<Provider>,
}

impl ProviderRegistry {
    /// Builds the registry from the settings: Local AI, Hugging Face, then
    /// the providers of providers.toml. Fails when a fallback names no
    /// provider.
    pub fn from_config(config: &Config) -> Result<Self, String> {
        let mut local = Provider::new(
            LOCAL,
            "Local AI",
            ProviderKind::Local,
            config.local_ai_url.clone(),
            config.local_ai_api_key.clone(),
            config.local_ai_model.clone(),
            ProviderSettings {
                url: Setting::Var("LOCAL_AI_URL".into()),
                key: Setting::Var("LOCAL_AI_API_KEY".into()),
                model: Setting::Var("LOCAL_AI_MODEL".into()),
            },
        );
        let mut huggingface = Provider::new(
            HUGGINGFACE,
            "Hugging Face",
            ProviderKind::HuggingFace,
            config.hf_api_url.clone(),
            config.hf_token.clone(),
            Some(config.hf_model.clone()),
            ProviderSettings {
                url: Setting::Var("HF_API_URL".into()),
                key: Setting::Var("HUGGINGFACE_API_TOKEN".into()),
                model: Setting::Var("HF_CHAT_MODEL".into()),
            },
        );
        if let Some(fallback) = &config.fallback_provider {
            for provider in [&mut local, &mut huggingface] {
                if provider.id != *fallback {
                    provider.fallback = Some(fallback.clone());
                }
            }
        }
        let mut providers = vec![local, huggingface];
        providers.extend(config.extra_providers.iter().map(Provider::from_spec));
        for provider in &providers {
            if let Some(fallback) = &provider.fallback {
                if !providers.iter().any(|p| &p.id == fallback) || fallback == &provider.id {
                    let setting =
                        if provider.kind == ProviderKind::Local || provider.id == HUGGINGFACE {
                            "FALLBACK_PROVIDER".to_string()
                        } else {
                            format!("fallback of \"{}\" in providers.toml", provider.id)
                        };
                    return Err(format!(
                        "{setting}: '{fallback}' is not another configured provider (known: {})",
                        providers
                            .iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
            }
        }
        Ok(ProviderRegistry { providers })
    }

    /// Looks a provider up by id.
    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// Every provider, built-in ones first.
    pub fn all(&self) -> &[Provider] {
        &self.providers
    }

    /// What the chat page shows of each provider (no secrets), with the
    /// last model-list check; the setup and model help are worded in `lang`.
    pub fn infos(
        &self,
        catalog: &catalog::ModelCatalog,
        lang: crate::i18n::Lang,
    ) -> Vec<ProviderInfo> {
        self.providers
            .iter()
            .map(|p| {
                let checked = catalog.get(&p.id);
                ProviderInfo {
                    id: p.id.clone(),
                    name: p.name.clone(),
                    configured: p.is_configured(),
                    model: p.model.clone(),
                    hint: p.setup_hint_in(lang),
                    online: checked.as_ref().map(|c| c.online),
                    models: checked.map(|c| c.models).unwrap_or_default(),
                    model_help: (p.kind == ProviderKind::HuggingFace)
                        .then(|| lang.hf_model_help().to_string()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_and_queries_in_a_url_are_never_shown() {
        assert_eq!(
            safe_url("http://ana:s3cret@nas.lan:8080/v1/chat/completions?key=abc#x"),
            "http://nas.lan:8080/v1/chat/completions"
        );
        assert_eq!(
            safe_url("http://localhost:1234/v1/chat/completions"),
            "http://localhost:1234/v1/chat/completions"
        );
    }

    #[test]
    fn providers_toml_settings_are_named_in_each_language() {
        let file = Setting::File {
            field: "base_url".into(),
            provider: "groq".into(),
        };
        use crate::i18n::Lang;
        assert_eq!(
            Lang::En.setting(&file),
            "base_url of \"groq\" in providers.toml"
        );
        assert_eq!(
            Lang::Es.setting(&file),
            "base_url de \"groq\" en providers.toml"
        );
        let var = Setting::Var("LOCAL_AI_URL".into());
        assert_eq!(Lang::Es.setting(&var), "LOCAL_AI_URL");
    }
}
