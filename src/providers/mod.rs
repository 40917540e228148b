//! Model providers: which ones are configured, how to call them, and how their
//! failures are explained to people.

pub mod chunk;
mod client;
pub mod errors;
pub mod sse;
pub mod stream;

pub use client::{complete, WireMessage};
pub use stream::{open_stream, ReplyStream, ReplyText};

use crate::config::Config;
use crate::model::ProviderInfo;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::sync::RwLock;

/// Id of the local OpenAI-compatible server.
pub const LOCAL: &str = "local";
/// Id of the Hugging Face router.
pub const HUGGINGFACE: &str = "huggingface";

/// Which family a provider belongs to; decides error wording and auth.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    /// LM Studio, LocalAI, text-generation-webui, Ollama… on the user's machine.
    Local,
    /// The Hugging Face inference router.
    HuggingFace,
}

/// One provider, ready to call.
#[derive(Debug)]
pub struct Provider {
    /// Stable id.
    pub id: &'static str,
    /// Display name.
    pub name: &'static str,
    /// Family.
    pub kind: ProviderKind,
    /// Chat-completions URL.
    pub url: String,
    /// Bearer token, when needed.
    pub api_key: Option<String>,
    /// Configured model, if any.
    pub model: Option<String>,
    /// Model found on the server when none is configured (local only).
    discovered_model: RwLock<Option<String>>,
    /// Set once the provider refused `stream_options` with a 400.
    refuses_stream_options: AtomicBool,
}

impl Provider {
    /// Whether the provider has what it needs to be called.
    pub fn is_configured(&self) -> bool {
        match self.kind {
            ProviderKind::Local => true,
            ProviderKind::HuggingFace => self.api_key.is_some(),
        }
    }

    /// The model last discovered from the server's model list.
    pub async fn discovered_model(&self) -> Option<String> {
        self.discovered_model.read().await.clone()
    }

    /// Whether to ask for usage with `stream_options` (until refused once).
    pub fn accepts_stream_options(&self) -> bool {
        !self.refuses_stream_options.load(Ordering::Relaxed)
    }

    /// Remembers that the provider refuses `stream_options`.
    pub fn refuse_stream_options(&self) {
        self.refuses_stream_options.store(true, Ordering::Relaxed);
    }

    /// Remembers the model found on the server.
    pub async fn remember_model(&self, model: Option<String>) {
        *self.discovered_model.write().await = model;
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

impl ProviderRegistry {
    /// Builds the registry from the settings.
    pub fn from_config(config: &Config) -> Self {
        ProviderRegistry {
            providers: vec![
                Provider {
                    id: LOCAL,
                    name: "Local AI",
                    kind: ProviderKind::Local,
                    url: config.local_ai_url.clone(),
                    api_key: config.local_ai_api_key.clone(),
                    model: config.local_ai_model.clone(),
                    discovered_model: RwLock::new(None),
                    refuses_stream_options: AtomicBool::new(false),
                },
                Provider {
                    id: HUGGINGFACE,
                    name: "Hugging Face",
                    kind: ProviderKind::HuggingFace,
                    url: config.hf_api_url.clone(),
                    api_key: config.hf_token.clone(),
                    model: Some(config.hf_model.clone()),
                    discovered_model: RwLock::new(None),
                    refuses_stream_options: AtomicBool::new(false),
                },
            ],
        }
    }

    /// Looks a provider up by id.
    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id)
    }

    /// What the chat page shows of each provider (no secrets).
    pub fn infos(&self) -> Vec<ProviderInfo> {
        self.providers
            .iter()
            .map(|p| ProviderInfo {
                id: p.id.to_string(),
                name: p.name.to_string(),
                configured: p.is_configured(),
                model: p.model.clone(),
                hint: (!p.is_configured()).then(|| HF_SETUP_HINT.to_string()),
            })
            .collect()
    }
}
