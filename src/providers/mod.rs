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
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::RwLock;

/// Id of the local OpenAI-compatible server.
pub const LOCAL: &str = "local";
/// Id of the Hugging Face router.
pub const HUGGINGFACE: &str = "huggingface";

/// Which family a provider belongs to; decides error wording and auth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// The built-in Local AI: LM Studio, LocalAI, text-generation-webui, Ollama…
    Local,
    /// LM Studio's server (default port 1234).
    LmStudio,
    /// LocalAI (default port 8080).
    LocalAi,
    /// text-generation-webui started with `--api` (default port 5000).
    TextgenWebui,
    /// Ollama's OpenAI-compatible API (`:11434/v1`).
    Ollama,
    /// The Hugging Face inference router.
    HuggingFace,
    /// Any other OpenAI-compatible endpoint.
    OpenAi,
}

impl ProviderKind {
    /// Reads a `kind` from providers.toml.
    pub fn parse(raw: &str) -> Option<ProviderKind> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "lmstudio" | "lm-studio" => Some(ProviderKind::LmStudio),
            "localai" => Some(ProviderKind::LocalAi),
            "textgen-webui" | "textgen" | "text-generation-webui" => {
                Some(ProviderKind::TextgenWebui)
            }
            "ollama" => Some(ProviderKind::Ollama),
            "huggingface" => Some(ProviderKind::HuggingFace),
            "openai" => Some(ProviderKind::OpenAi),
            _ => None,
        }
    }

    /// What to check when the server cannot be reached.
    pub fn start_hint(self) -> &'static str {
        match self {
            ProviderKind::Local => {
                "Check that LM Studio (or LocalAI / text-generation-webui) is running with its server started"
            }
            ProviderKind::LmStudio => "Check that LM Studio is running and its server is started (Developer tab)",
            ProviderKind::LocalAi => "Check that LocalAI is running",
            ProviderKind::TextgenWebui => "Check that text-generation-webui is running, started with --api",
            ProviderKind::Ollama => "Check that Ollama is running (ollama serve)",
            ProviderKind::HuggingFace | ProviderKind::OpenAi => "Check that the server is up and reachable from here",
        }
    }

    /// [`start_hint`](Self::start_hint) in Spanish.
    pub fn start_hint_es(self) -> &'static str {
        match self {
            ProviderKind::Local => {
                "Comprueba que LM Studio (o LocalAI / text-generation-webui) está en marcha con su servidor iniciado"
            }
            ProviderKind::LmStudio => {
                "Comprueba que LM Studio está en marcha y su servidor iniciado (pestaña Developer)"
            }
            ProviderKind::LocalAi => "Comprueba que LocalAI está en marcha",
            ProviderKind::TextgenWebui => {
                "Comprueba que text-generation-webui está en marcha, iniciado con --api"
            }
            ProviderKind::Ollama => "Comprueba que Ollama está en marcha (ollama serve)",
            ProviderKind::HuggingFace | ProviderKind::OpenAi => {
                "Comprueba que el servidor está activo y accesible desde aquí"
            }
        }
    }
}

/// A URL without `user:password@`, safe to show.
pub fn without_credentials(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            let _ = parsed.set_username("");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// The settings people change to fix a provider, named in its messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderSettings {
    /// Where the URL is set.
    pub url: String,
    /// Where the API key is set.
    pub key: String,
    /// Where the model is set.
    pub model: String,
}

impl ProviderSettings {
    /// The same settings as Spanish messages name them: `base_url of "x" in
    /// providers.toml` becomes `base_url de "x" en providers.toml`; variable
    /// names stay as they are.
    pub fn es(&self) -> ProviderSettings {
        ProviderSettings {
            url: setting_es(&self.url),
            key: setting_es(&self.key),
            model: setting_es(&self.model),
        }
    }
}

/// A setting of providers.toml named in Spanish (see [`ProviderSettings::es`]).
fn setting_es(setting: &str) -> String {
    setting
        .split_once(" of \"")
        .and_then(|(field, rest)| {
            rest.strip_suffix("\" in providers.toml")
                .map(|id| format!("{field} de \"{id}\" en providers.toml"))
        })
        .unwrap_or_else(|| setting.to_string())
}

/// One provider, ready to call.
#[derive(Debug)]
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
    pub api_key: Option<String>,
    /// Configured model, if any.
    pub model: Option<String>,
    /// The settings to name in messages.
    pub settings: ProviderSettings,
    /// Id of the provider that answers when this one is down.
    pub fallback: Option<String>,
    /// A key variable is named but empty: how to set it.
    missing_key: Option<String>,
    /// Model found on the server when none is configured (local only).
    discovered_model: RwLock<Option<String>>,
    /// Set once the provider refused `stream_options` with a 400.
    refuses_stream_options: AtomicBool,
}

impl Provider {
    /// Whether the provider has what it needs to be called.
    pub fn is_configured(&self) -> bool {
        match self.kind {
            ProviderKind::HuggingFace => self.api_key.is_some(),
            _ => self.missing_key.is_none(),
        }
    }

    /// How people should name the server in messages.
    pub fn who(&self) -> String {
        match self.kind {
            ProviderKind::Local => "the local AI server".to_string(),
            _ => self.name.clone(),
        }
    }

    /// [`who`](Self::who) in Spanish.
    pub fn who_es(&self) -> String {
        match self.kind {
            ProviderKind::Local => "el servidor de IA local".to_string(),
            _ => self.name.clone(),
        }
    }

    /// Setup help while the provider is not configured.
    pub fn setup_hint(&self) -> Option<String> {
        if self.is_configured() {
            return None;
        }
        Some(match (&self.kind, &self.missing_key) {
            (ProviderKind::HuggingFace, _) if self.id == HUGGINGFACE => HF_SETUP_HINT.to_string(),
            (_, Some(var)) => format!(
                "{} is not configured: put its API key in {var} in .env.local and restart Nexa Chat.",
                self.name
            ),
            _ => format!("{} is not configured: set {}.", self.name, self.settings.key),
        })
    }

    /// [`setup_hint`](Self::setup_hint) in Spanish.
    pub fn setup_hint_es(&self) -> Option<String> {
        if self.is_configured() {
            return None;
        }
        Some(match (&self.kind, &self.missing_key) {
            (ProviderKind::HuggingFace, _) if self.id == HUGGINGFACE => HF_SETUP_HINT_ES.to_string(),
            (_, Some(var)) => format!(
                "{} no está configurado: pon su clave de API en {} en .env.local y reinicia Nexa Chat.",
                self.name,
                setting_es(var)
            ),
            _ => format!(
                "{} no está configurado: define {}.",
                self.name,
                setting_es(&self.settings.key)
            ),
        })
    }

    /// Setup help in `lang`.
    pub fn setup_hint_in(&self, lang: crate::i18n::Lang) -> Option<String> {
        match lang {
            crate::i18n::Lang::En => self.setup_hint(),
            crate::i18n::Lang::Es => self.setup_hint_es(),
        }
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
        api_key: Option<String>,
        model: Option<String>,
        settings: ProviderSettings,
    ) -> Self {
        Provider {
            id: id.to_string(),
            name: name.to_string(),
            kind,
            display_url: without_credentials(&url),
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
        let at = |field: &str| format!("{field} of \"{}\" in providers.toml", spec.id);
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
                    .unwrap_or_else(|| at("api_key_env")),
                model: at("model"),
            },
        );
        provider.fallback = spec.fallback.clone();
        provider.missing_key = match (&spec.api_key_env, &spec.api_key) {
            (Some(var), None) => Some(var.clone()),
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

/// Setup help shown while Hugging Face has no token.
pub const HF_SETUP_HINT: &str = "Hugging Face is not configured. Create a fine-grained token at \
huggingface.co/settings/tokens with the \"Make calls to Inference Providers\" permission, put it in \
HUGGINGFACE_API_TOKEN in .env.local and restart Nexa Chat.";

/// [`HF_SETUP_HINT`] in Spanish.
pub const HF_SETUP_HINT_ES: &str =
    "Hugging Face no está configurado. Crea un token de tipo fine-grained en \
huggingface.co/settings/tokens con el permiso \"Make calls to Inference Providers\", ponlo en \
HUGGINGFACE_API_TOKEN en .env.local y reinicia Nexa Chat.";

/// How Hugging Face model names work, shown by the model picker.
pub const HF_MODEL_HELP: &str = "Any model id from huggingface.co works. Add :fastest to let Hugging Face pick \
the fastest provider, :cheapest for the cheapest, or :<provider> (for example :groq or :together) to force one.";

/// [`HF_MODEL_HELP`] in Spanish.
pub const HF_MODEL_HELP_ES: &str = "Funciona cualquier id de modelo de huggingface.co. Añade :fastest para que Hugging \
Face elija el proveedor más rápido, :cheapest para el más barato, o :<provider> (por ejemplo :groq o :together) para \
forzar uno.";

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
                url: "LOCAL_AI_URL".into(),
                key: "LOCAL_AI_API_KEY".into(),
                model: "LOCAL_AI_MODEL".into(),
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
                url: "HF_API_URL".into(),
                key: "HUGGINGFACE_API_TOKEN".into(),
                model: "HF_CHAT_MODEL".into(),
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
                        .then(|| lang.pick(HF_MODEL_HELP, HF_MODEL_HELP_ES).to_string()),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_in_a_url_are_never_shown() {
        assert_eq!(
            without_credentials("http://ana:s3cret@nas.lan:8080/v1/chat/completions"),
            "http://nas.lan:8080/v1/chat/completions"
        );
        assert_eq!(
            without_credentials("http://localhost:1234/v1/chat/completions"),
            "http://localhost:1234/v1/chat/completions"
        );
    }

    #[test]
    fn providers_toml_settings_are_named_in_spanish() {
        assert_eq!(
            setting_es("base_url of \"groq\" in providers.toml"),
            "base_url de \"groq\" en providers.toml"
        );
        assert_eq!(setting_es("LOCAL_AI_URL"), "LOCAL_AI_URL");
    }
}
