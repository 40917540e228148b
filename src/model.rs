//! Types shared by the server and the browser.

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

/// Whether a stored message is finished.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MessageStatus {
    /// The message is whole.
    Complete,
    /// The provider failed; `error` on the message says why and what to do.
    Failed,
}

impl MessageStatus {
    /// The database name of the status.
    pub fn as_str(self) -> &'static str {
        match self {
            MessageStatus::Complete => "complete",
            MessageStatus::Failed => "failed",
        }
    }

    /// Parses a stored status name; anything unknown reads as complete.
    pub fn parse(value: &str) -> MessageStatus {
        match value {
            "failed" => MessageStatus::Failed,
            _ => MessageStatus::Complete,
        }
    }
}

/// One message of a conversation as the page shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Database id.
    pub id: i64,
    /// Who wrote it.
    pub role: Role,
    /// The text.
    pub content: String,
    /// Finished or failed.
    pub status: MessageStatus,
    /// For a failed reply: what went wrong and how to fix it.
    pub error: Option<String>,
    /// Id of the provider that answered (assistant messages).
    pub provider: Option<String>,
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
    /// Last change, RFC 3339 in UTC.
    pub updated_at: String,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conversation {
    /// The sidebar entry.
    pub summary: ConversationSummary,
    /// The messages, oldest first.
    pub messages: Vec<ChatMessage>,
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
}

/// What the chat page gets back after sending a message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SendOutcome {
    /// The conversation the message went to (new or existing).
    pub conversation_id: i64,
    /// The stored user message.
    pub user_message: ChatMessage,
    /// The stored reply; `status` is `Failed` when the provider failed.
    pub reply: ChatMessage,
}
