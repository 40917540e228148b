//! Types shared by the server and the browser.

use crate::i18n::Lang;
use serde::{Deserialize, Serialize};

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions for the model.
    System,
    /// The person chatting.
    User,
    /// The model's reply.
    Assistant,
}

impl Role {
    /// The wire and database name of the role.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }

    /// Parses a stored role name.
    pub fn parse(value: &str) -> Option<Role> {
        match value {
            "system" => Some(Role::System),
            "user" => Some(Role::User),
            "assistant" => Some(Role::Assistant),
            _ => None,
        }
    }
}

/// Where a stored message stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// The message is whole.
    Complete,
    /// The reply is still being written by a server task.
    Streaming,
    /// The user stopped the reply; the text so far is kept.
    Stopped,
    /// The provider failed; `error` on the message says why and what to do.
    /// Any text that arrived before the failure is kept.
    Failed,
}

impl MessageStatus {
    /// The database name of the status.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Complete => "complete",
            MessageStatus::Streaming => "streaming",
            MessageStatus::Stopped => "stopped",
            MessageStatus::Failed => "failed",
        }
    }

    /// Parses a stored status name; anything unknown reads as complete.
    pub fn parse(value: &str) -> MessageStatus {
        match value {
            "failed" => MessageStatus::Failed,
            "streaming" => MessageStatus::Streaming,
            "stopped" => MessageStatus::Stopped,
            _ => MessageStatus::Complete,
        }
    }
}

/// Token counts of a reply, as the provider reported them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens of the prompt (the history sent).
    pub prompt_tokens: Option<u32>,
    /// Tokens generated.
    pub completion_tokens: u32,
    /// Generation speed, from the first token to the last.
    pub tokens_per_second: Option<f64>,
}

/// One message of a conversation as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Database id.
    pub id: i64,
    /// Who wrote it.
    pub role: Role,
    /// The text. For replies it may hold inline `<think>` reasoning: see
    /// [`crate::think::split_think`].
    pub content: String,
    /// Reasoning the provider sent apart from the answer (`reasoning_content`…).
    #[serde(default)]
    pub reasoning: String,
    /// Finished, still streaming, stopped or failed.
    pub status: MessageStatus,
    /// For a failed reply: what went wrong and how to fix it.
    pub error: Option<String>,
    /// The same in Spanish.
    #[serde(default)]
    pub error_es: Option<String>,
    /// Id of the provider that answered (assistant messages).
    pub provider: Option<String>,
    /// Token usage, when the provider reported it.
    #[serde(default)]
    pub usage: Option<Usage>,
    /// Said under the reply, e.g. that a fallback provider answered.
    #[serde(default)]
    pub notice: Option<String>,
    /// The same in Spanish.
    #[serde(default)]
    pub notice_es: Option<String>,
}

impl ChatMessage {
    /// The failure's explanation in `lang`.
    pub fn error_in(&self, lang: Lang) -> Option<&str> {
        let en = self.error.as_deref()?;
        Some(lang.pick(en, self.error_es.as_deref().unwrap_or_default()))
    }

    /// The notice in `lang`.
    pub fn notice_in(&self, lang: Lang) -> Option<&str> {
        let en = self.notice.as_deref()?;
        Some(lang.pick(en, self.notice_es.as_deref().unwrap_or_default()))
    }
}

/// How the model answers in one conversation; `None`: the server's default.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ChatSettings {
    /// Instructions sent first, as a system message.
    #[serde(default)]
    pub system_prompt: Option<String>,
    /// Sampling temperature, 0 to 2.
    #[serde(default)]
    pub temperature: Option<f32>,
    /// Longest reply, in tokens.
    #[serde(default)]
    pub max_tokens: Option<u32>,
}

/// The settings dialog's fields as typed (empty: the default); the server
/// reads and checks them, so the page never parses a number.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SettingsFields {
    /// The system prompt.
    #[serde(default)]
    pub system_prompt: String,
    /// The temperature, `0.7` or `0,7`.
    #[serde(default)]
    pub temperature: String,
    /// Max tokens, a whole number.
    #[serde(default)]
    pub max_tokens: String,
}

impl ChatSettings {
    /// The dialog's fields showing these settings.
    pub fn to_fields(&self) -> SettingsFields {
        SettingsFields {
            system_prompt: self.system_prompt.clone().unwrap_or_default(),
            temperature: self
                .temperature
                .map(crate::numbers::temperature_text)
                .unwrap_or_default(),
            max_tokens: self.max_tokens.map(|n| n.to_string()).unwrap_or_default(),
        }
    }
}

/// A conversation in the sidebar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationSummary {
    /// Database id.
    pub id: i64,
    /// Title, from the first message.
    pub title: String,
    /// Provider id last used.
    pub provider: String,
    /// Model picked for this conversation (`None`: the provider's default).
    #[serde(default)]
    pub model: Option<String>,
    /// Last change, RFC 3339 in UTC.
    pub updated_at: String,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The sidebar entry.
    pub summary: ConversationSummary,
    /// The messages, oldest first (the most recent ones when paged).
    pub messages: Vec<ChatMessage>,
    /// How the model answers here.
    #[serde(default)]
    pub settings: ChatSettings,
    /// How many older messages were left out of `messages`.
    #[serde(default)]
    pub earlier: u32,
}

/// The signed-in account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionUser {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// The first account is the admin.
    pub is_admin: bool,
}

/// A provider as the chat page lists it. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderInfo {
    /// Stable id used on the wire ("local", "huggingface").
    pub id: String,
    /// Name shown to people.
    pub name: String,
    /// Whether it can be used; when not, `hint` says how to set it up.
    pub configured: bool,
    /// Model that will answer, when known.
    pub model: Option<String>,
    /// Setup help when the provider is not configured.
    pub hint: Option<String>,
    /// Whether its server answered the last model-list check (`None`: not
    /// checked yet).
    #[serde(default)]
    pub online: Option<bool>,
    /// Models its server lists, for the picker.
    #[serde(default)]
    pub models: Vec<String>,
    /// How model names work for it (Hugging Face's suffixes).
    #[serde(default)]
    pub model_help: Option<String>,
}

/// What the chat page gets back after sending a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendOutcome {
    /// The conversation the message went to (new or existing).
    pub conversation_id: i64,
    /// The stored user message.
    pub user_message: ChatMessage,
    /// The reply, stored as `Streaming` and being written by a server task;
    /// follow it at `GET /api/chats/{conversation_id}/stream`.
    pub reply: ChatMessage,
}

/// Text carried by the `snapshot` (replace) and `delta` (append) events of
/// `GET /api/chats/{id}/stream`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StreamText {
    /// Answer text.
    #[serde(default)]
    pub content: String,
    /// Reasoning text.
    #[serde(default)]
    pub reasoning: String,
}

/// What a reply waits for (a model loading…), in both languages, as the
/// `status` event of `GET /api/chats/{id}/stream` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusLine {
    /// English.
    #[serde(rename = "text")]
    pub en: String,
    /// Spanish.
    #[serde(rename = "text_es", default)]
    pub es: String,
}

impl StatusLine {
    /// The line in `lang`.
    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.en, &self.es)
    }
}

/// How one diagnostics step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckStatus {
    /// Works.
    Pass,
    /// Works, with something to know.
    Warn,
    /// Broken: `fix` says what to do.
    Fail,
    /// Not tried, because an earlier step failed.
    Skipped,
}

/// One step of a provider check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosisStep {
    /// What was checked.
    pub name: String,
    /// How it went.
    pub status: CheckStatus,
    /// What was seen.
    pub detail: String,
    /// What to do, when it did not work.
    pub fix: Option<String>,
}

/// The check of one provider, step by step. Never carries a secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProviderDiagnosis {
    /// Provider id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Chat-completions URL checked.
    pub url: String,
    /// The steps, in order.
    pub steps: Vec<DiagnosisStep>,
}
