//! What went wrong with a reply, as data: a kind and its parameters. The
//! stable code, the HTTP status, whether another provider is worth asking
//! and, through the message catalogs ([`crate::i18n`]), the wording in each
//! language all derive from it. Failed replies store these values (JSON),
//! never sentences, so a message reads in the reader's language and a
//! better wording reaches old replies too.

use serde::{Deserialize, Serialize};

/// Which server a provider is; decides how messages name it and what to check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    /// The built-in Local AI: LM Studio, LocalAI, text-generation-webui, Ollama…
    #[default]
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

    /// The prefix of its failure codes: `hf` for Hugging Face, else `local`.
    pub fn code_prefix(self) -> &'static str {
        match self {
            ProviderKind::HuggingFace => "hf",
            _ => "local",
        }
    }
}

/// A setting people change to fix a provider, named in its messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Setting {
    /// An environment variable (`.env.local`), e.g. `LOCAL_AI_URL`.
    Var(String),
    /// A field of one provider in providers.toml.
    File {
        /// The field, e.g. `base_url`.
        field: String,
        /// The provider's id.
        provider: String,
    },
}

impl Default for Setting {
    fn default() -> Self {
        Setting::Var(String::new())
    }
}

/// The settings people change to fix a provider.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderSettings {
    /// Where the URL is set.
    pub url: Setting,
    /// Where the API key is set.
    pub key: Setting,
    /// Where the model is set.
    pub model: Setting,
}

/// The provider a failure is about, as its messages name it. Never carries
/// a secret: the URL is shown without credentials.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Upstream {
    /// Which server it is.
    pub kind: ProviderKind,
    /// Display name.
    pub name: String,
    /// The chat-completions URL, without `user:password@`.
    pub url: String,
    /// The settings to name.
    pub settings: ProviderSettings,
    /// The configured model, if any.
    #[serde(default)]
    pub model: Option<String>,
}

/// What a provider did wrong, classified from what it really answered
/// (`providers::errors`). The provider's own words, when useful, are kept
/// short (`detail`) and never as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(test, derive(strum::EnumIter))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The provider lacks its settings; `missing_key` names the API key
    /// setting that is named but empty.
    NotConfigured {
        /// The empty key setting, if that is what is missing.
        missing_key: Option<Setting>,
    },
    /// The host name does not resolve.
    DnsFailed,
    /// The TLS handshake or certificate failed.
    TlsFailed,
    /// Connection refused, dropped before an answer.
    Unreachable,
    /// No answer in time.
    Timeout {
        /// The limit that passed.
        seconds: u64,
    },
    /// A 200 answer with no text (usually a base model).
    EmptyReply,
    /// The connection broke after the reply had started.
    StreamDropped,
    /// A 200 answer not in the OpenAI chat format.
    BadResponse,
    /// One SSE event or a whole body longer than we read: the server is
    /// broken or hostile, and the connection was dropped.
    TooLarge {
        /// The bound, in MiB.
        mib: u64,
    },
    /// A 200 answer that carried an error object.
    ReportedError {
        /// What it said.
        detail: Option<String>,
    },
    /// A status with no better explanation.
    HttpError {
        /// HTTP status.
        status: u16,
        /// What it said.
        detail: Option<String>,
    },
    /// A local server with no model loaded.
    NoModelLoaded,
    /// LM Studio with several models loaded and none named.
    PickModel,
    /// text-generation-webui refused the host name.
    InvalidHost,
    /// Ollama does not have the model.
    OllamaModelMissing {
        /// The model it was asked for.
        name: Option<String>,
    },
    /// The local server does not have the model it was asked for.
    ModelMissing {
        /// What it said.
        detail: Option<String>,
    },
    /// The local server could not load the model.
    ModelLoadFailed {
        /// What it said.
        detail: Option<String>,
    },
    /// A local server that wants an API key (401/403).
    KeyRefused {
        /// HTTP status.
        status: u16,
        /// What it said.
        detail: Option<String>,
    },
    /// A local server answered 404.
    EndpointNotFound {
        /// What it said.
        detail: Option<String>,
    },
    /// A local server busy or loading the model (503).
    Busy {
        /// Seconds from `Retry-After`.
        retry_after: Option<u64>,
        /// What it said.
        detail: Option<String>,
    },
    /// No Hugging Face provider the user enabled serves the model.
    ModelNotSupported,
    /// Hugging Face does not accept the token (401).
    TokenInvalid,
    /// Hugging Face refused the token's permissions.
    TokenRejected {
        /// HTTP status.
        status: u16,
    },
    /// Hugging Face's included credits are used up (402).
    CreditsExceeded,
    /// Hugging Face could not find the model (404).
    ModelNotFound {
        /// What it said.
        detail: Option<String>,
    },
    /// The old api-inference URL (410).
    EndpointGone,
    /// Hugging Face is loading the model (503).
    ModelLoading {
        /// Seconds it said it needs.
        seconds: Option<u64>,
    },
    /// Hugging Face is rate-limiting the token (429).
    RateLimited {
        /// Seconds from `Retry-After`.
        retry_after: Option<u64>,
    },
}

/// A provider failure: which provider, and what it did wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProviderError {
    /// The provider, as messages name it.
    pub provider: Box<Upstream>,
    /// What went wrong.
    pub problem: Problem,
}

impl ProviderError {
    /// Replaces the provider's address with `placeholder` (for a reader who
    /// is not an admin).
    pub fn hide_address(&mut self, placeholder: &str) {
        self.provider.url = placeholder.to_string();
    }

    /// Stable code for scripts, e.g. `local_unreachable`.
    pub fn code(&self) -> String {
        let prefix = self.provider.kind.code_prefix();
        let name = match &self.problem {
            Problem::EmptyReply => return "empty_reply".to_string(),
            Problem::NotConfigured { .. } => "not_configured",
            Problem::DnsFailed => "dns_failed",
            Problem::TlsFailed => "tls_failed",
            Problem::Unreachable => "unreachable",
            Problem::Timeout { .. } => "timeout",
            Problem::StreamDropped => "stream_dropped",
            Problem::BadResponse => "bad_response",
            Problem::TooLarge { .. } => "too_large",
            Problem::ReportedError { .. } | Problem::HttpError { .. } => "error",
            Problem::NoModelLoaded => "no_model_loaded",
            Problem::PickModel => "pick_model",
            Problem::InvalidHost => "invalid_host",
            Problem::OllamaModelMissing { .. } | Problem::ModelMissing { .. } => "model_missing",
            Problem::ModelLoadFailed { .. } => "model_load_failed",
            Problem::KeyRefused { .. } => "unauthorized",
            Problem::EndpointNotFound { .. } => "not_found",
            Problem::Busy { .. } => "loading",
            Problem::ModelNotSupported => "model_not_supported",
            Problem::TokenInvalid => "token_invalid",
            Problem::TokenRejected { .. } => "token_rejected",
            Problem::CreditsExceeded => "credits_exceeded",
            Problem::ModelNotFound { .. } => "model_not_found",
            Problem::EndpointGone => "endpoint_gone",
            Problem::ModelLoading { .. } => "model_loading",
            Problem::RateLimited { .. } => "rate_limited",
        };
        format!("{prefix}_{name}")
    }

    /// The HTTP status our API answers with. Every way of not getting a
    /// reply from the provider is a 502, but for waits (429, 503), a bill
    /// (402) and a provider not set up (400).
    pub fn status(&self) -> u16 {
        match self.problem {
            Problem::NotConfigured { .. } => 400,
            Problem::CreditsExceeded => 402,
            Problem::RateLimited { .. } => 429,
            Problem::Busy { .. } | Problem::ModelLoading { .. } => 503,
            _ => 502,
        }
    }

    /// Seconds to wait before retrying, when the provider said.
    pub fn retry_after(&self) -> Option<u64> {
        match self.problem {
            Problem::Busy { retry_after, .. } | Problem::RateLimited { retry_after } => retry_after,
            Problem::ModelLoading { seconds } => seconds,
            _ => None,
        }
    }

    /// Why a fallback provider is worth asking instead, when it is: the
    /// provider could not be reached or is overloaded.
    pub fn failover_reason(&self) -> Option<FailoverReason> {
        match self.problem {
            Problem::RateLimited { .. } => Some(FailoverReason::RateLimited),
            Problem::Busy { .. } | Problem::ModelLoading { .. } => Some(FailoverReason::Busy),
            Problem::Timeout { .. } => Some(FailoverReason::TimedOut),
            Problem::Unreachable | Problem::DnsFailed | Problem::TlsFailed => {
                Some(FailoverReason::Unreachable)
            }
            _ => None,
        }
    }
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&crate::i18n::Lang::En.provider_error(self))
    }
}

impl std::error::Error for ProviderError {}

/// Why a reply failed, as stored on the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Failure {
    /// The provider failed.
    Provider(ProviderError),
    /// The provider failed, and so did its fallback.
    FallbackFailed {
        /// The chosen provider's failure.
        first: ProviderError,
        /// The fallback's name.
        fallback: String,
        /// The fallback's failure.
        second: ProviderError,
    },
    /// The conversation's provider is no longer configured.
    ProviderRemoved {
        /// Its id.
        id: String,
    },
    /// The server stopped or failed while the reply was written.
    Interrupted,
    /// The reply reached the longest the server keeps and was stopped
    /// there (stored as stopped, its text kept).
    TooLong {
        /// The bound, in characters.
        max_chars: usize,
    },
    /// Words stored by a version before failures were data (a migration
    /// moved them here); shown as they were written.
    Recorded {
        /// English.
        en: String,
        /// Spanish, when it was stored.
        #[serde(default)]
        es: Option<String>,
    },
}

impl Failure {
    /// The failure with every provider address replaced by `placeholder`,
    /// for a reader who is not an admin.
    pub fn without_addresses(&self, placeholder: &str) -> Failure {
        let mut failure = self.clone();
        match &mut failure {
            Failure::Provider(err) => err.hide_address(placeholder),
            Failure::FallbackFailed { first, second, .. } => {
                first.hide_address(placeholder);
                second.hide_address(placeholder);
            }
            _ => {}
        }
        failure
    }

    /// Stable code for scripts.
    pub fn code(&self) -> String {
        match self {
            Failure::Provider(err) | Failure::FallbackFailed { first: err, .. } => err.code(),
            Failure::ProviderRemoved { .. } => "unknown_provider".to_string(),
            Failure::Interrupted => "interrupted".to_string(),
            Failure::TooLong { .. } => "reply_too_long".to_string(),
            Failure::Recorded { .. } => "recorded".to_string(),
        }
    }
}

/// Why another provider answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailoverReason {
    /// The chosen one was rate-limited.
    RateLimited,
    /// It was busy or loading.
    Busy,
    /// It did not answer in time.
    TimedOut,
    /// It could not be reached.
    Unreachable,
}

/// Said under a reply a fallback provider wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failover {
    /// The provider the conversation chose.
    pub chosen: String,
    /// The provider that answered.
    pub answered: String,
    /// Why.
    pub reason: FailoverReason,
}

/// Said under a reply when the oldest messages of its conversation were not
/// sent to the model: how many were, and the bound they had to fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    /// Messages sent (a system prompt not counted).
    pub sent: usize,
    /// Messages the conversation had to send.
    pub total: usize,
    /// The bound the history had to fit.
    pub budget: HistoryBudget,
}

/// The bound a history sent to a model has to fit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HistoryBudget {
    /// The server's own bound, in characters (`MAX_HISTORY_CHARS`).
    Chars {
        /// The most characters sent.
        max: usize,
    },
}

/// What a reply waits for, shown where it will appear.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Waiting {
    /// The provider is loading the model; asked again after `seconds_left`.
    ModelLoading {
        /// The provider's name.
        provider: String,
        /// Seconds until it is asked again.
        seconds_left: u64,
    },
    /// Asking the provider again.
    TryingAgain {
        /// The provider's name.
        provider: String,
    },
}
