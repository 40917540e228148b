//! Types shared by the server and the browser.

use crate::failure::{Failover, Failure, LeftOut};
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
    /// For a failed reply: what went wrong, as data (stored, exported, in
    /// the API). The page reads [`error`](Self::error) instead, so the
    /// browser build carries neither this type's reader nor its wording.
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failure: Option<Box<Failure>>,
    /// For a failed reply: what went wrong and how to fix it, worded by
    /// the server in the reader's language ([`ChatMessage::word`]).
    #[serde(default)]
    pub error: Option<String>,
    /// Id of the provider that answered (assistant messages).
    pub provider: Option<String>,
    /// Token usage, when the provider reported it.
    #[serde(default)]
    pub usage: Option<Usage>,
    /// That a fallback provider answered, as data (see `failure`).
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub failover: Option<Box<Failover>>,
    /// That the oldest messages were not sent to the model, as data (see
    /// `failure`).
    #[cfg_attr(not(feature = "ssr"), serde(skip))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub left_out: Option<Box<LeftOut>>,
    /// Said under the reply, e.g. that a fallback provider answered, worded
    /// by the server in the reader's language.
    #[serde(default)]
    pub notice: Option<String>,
    /// A reply's answer as safe HTML, rendered by the server for the page
    /// ([`crate::markdown::render_for_page`]); `None` elsewhere (exports,
    /// the API), where `content` is the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<String>,
}

impl ChatMessage {
    /// A message with only these parts: no reasoning, error, provider,
    /// usage, notice or HTML.
    pub fn new(id: i64, role: Role, content: impl Into<String>, status: MessageStatus) -> Self {
        ChatMessage {
            id,
            role,
            content: content.into(),
            reasoning: String::new(),
            status,
            failure: None,
            error: None,
            provider: None,
            usage: None,
            failover: None,
            left_out: None,
            notice: None,
            html: None,
        }
    }

    /// Words the failure and the notices (failover, messages left out) in
    /// `lang` (the server
    /// does this for every message it sends out). A reader who is not an
    /// `admin` reads no provider address.
    pub fn word(&mut self, lang: Lang, admin: bool) {
        self.error = self.failure.as_ref().map(|failure| {
            if admin {
                lang.failure(failure)
            } else {
                lang.failure(&failure.without_addresses(lang.provider_address()))
            }
        });
        let notices: Vec<String> = [
            self.failover.as_deref().map(|notice| lang.failover(notice)),
            self.left_out
                .as_deref()
                .map(|left_out| lang.left_out(left_out)),
        ]
        .into_iter()
        .flatten()
        .collect();
        self.notice = (!notices.is_empty()).then(|| notices.join(" "));
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

/// An account as the admin's Users page lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// Database id.
    pub id: i64,
    /// Login name.
    pub username: String,
    /// May manage the server.
    pub is_admin: bool,
    /// May not sign in.
    pub disabled: bool,
    /// When it was created (UTC, ISO 8601).
    pub created_at: String,
    /// How many conversations it has.
    pub conversations: i64,
}

/// An invitation to sign up that is still usable.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InviteSummary {
    /// The secret in its link (`/signup?invite=…`).
    pub id: String,
    /// When it stops working (UTC, ISO 8601).
    pub expires: String,
}

/// What the admin's Users page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UsersOverview {
    /// Every account, oldest first.
    pub accounts: Vec<AccountSummary>,
    /// Whether anyone may sign up now.
    pub signup_open: bool,
    /// Invitations not used and not expired.
    pub invites: Vec<InviteSummary>,
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
    /// How the rendered answer changes with this text (the page shows it);
    /// absent when the answer did not change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<HtmlPatch>,
}

/// A change to the rendered answer a follower holds: keep its first `keep`
/// bytes, then append `add`. Streaming Markdown mostly changes at its end,
/// so a patch is about as long as the text that arrived.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct HtmlPatch {
    /// Bytes of the previous HTML that stay.
    pub keep: usize,
    /// What follows them.
    pub add: String,
}

impl HtmlPatch {
    /// The patch that turns `old` into `new`.
    pub fn between(old: &str, new: &str) -> HtmlPatch {
        let mut keep = old
            .bytes()
            .zip(new.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        // Equal bytes up to a boundary of `new` are a boundary of `old` too.
        while !new.is_char_boundary(keep) {
            keep -= 1;
        }
        HtmlPatch {
            keep,
            add: new[keep..].to_string(),
        }
    }

    /// Applies the patch to `html`; `false`, leaving it as it was, when the
    /// patch was made for other HTML (it keeps more than there is).
    pub fn apply(&self, html: &mut String) -> bool {
        if !html.is_char_boundary(self.keep) {
            return false;
        }
        html.truncate(self.keep);
        html.push_str(&self.add);
        true
    }
}

/// What a reply waits for (a model loading…), worded in the follower's
/// language, as the `status` event of `GET /api/chats/{id}/stream` carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusLine {
    /// The words.
    pub text: String,
}

/// What a diagnostics step found, or what to do about it, as data (the
/// catalogs word it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The provider lacks its settings.
    NotConfigured,
    /// An API key is set in `setting`.
    KeySet {
        /// Where.
        setting: crate::failure::Setting,
    },
    /// Hugging Face without a token.
    NoToken,
    /// No API key, none needed unless the server wants one.
    NoKey,
    /// A failure's code.
    Code {
        /// The code.
        code: String,
    },
    /// The server answered.
    Answered {
        /// HTTP status.
        status: u16,
        /// Milliseconds.
        ms: u64,
    },
    /// The model list.
    Lists {
        /// How many models.
        count: usize,
        /// The first few, comma-separated.
        shown: String,
        /// How many more.
        more: usize,
    },
    /// The server does not list its models.
    NoModelList {
        /// HTTP status.
        status: u16,
    },
    /// Fix: name the model.
    SetModel {
        /// Where.
        setting: crate::failure::Setting,
    },
    /// Hugging Face's model is checked by the test reply.
    CheckedByTestReply {
        /// The model.
        model: String,
    },
    /// The configured model is not listed.
    ModelNotListed {
        /// The model.
        model: String,
    },
    /// Fix: pick a listed model or load this one.
    PickListedModel {
        /// Where.
        setting: crate::failure::Setting,
        /// Some listed models.
        listed: String,
        /// The configured model.
        model: String,
    },
    /// The configured model.
    Model {
        /// The model.
        model: String,
    },
    /// No model is loaded.
    NoModelLoaded,
    /// Fix: load a model.
    LoadAModel,
    /// None configured: the first listed is used.
    FirstListedUsed {
        /// The model.
        model: String,
    },
    /// None configured and none listed.
    NoneSetNoneListed,
    /// Fix: set the model if the test reply fails.
    SetModelIfReplyFails {
        /// Where.
        setting: crate::failure::Setting,
    },
    /// The test reply came.
    RepliedIn {
        /// Milliseconds.
        ms: u64,
    },
    /// No test reply.
    NoReply {
        /// The failure's code.
        code: String,
    },
    /// Skipped after a failed step.
    NotTried,
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

#[cfg(test)]
mod tests {
    use super::HtmlPatch;

    #[test]
    fn html_patches_carry_only_what_changed() {
        let old = "<p>Hello <em>wor</em></p>\n";
        let new = "<p>Hello <em>world</em>, and more</p>\n";
        let patch = HtmlPatch::between(old, new);
        assert_eq!(patch.keep, "<p>Hello <em>wor".len());
        assert_eq!(patch.add, "ld</em>, and more</p>\n");
        let mut held = old.to_string();
        assert!(patch.apply(&mut held));
        assert_eq!(held, new);
        // From nothing: the whole HTML; to less: a cut.
        assert_eq!(HtmlPatch::between("", new).add, new);
        let shorter = HtmlPatch::between(new, "<p>Hello</p>\n");
        let mut held = new.to_string();
        assert!(shorter.apply(&mut held));
        assert_eq!(held, "<p>Hello</p>\n");
    }

    #[test]
    fn patches_never_split_a_character() {
        // "é" and "ê" share their first byte.
        let patch = HtmlPatch::between("<p>caf\u{e9}</p>", "<p>caf\u{ea}</p>");
        assert_eq!(patch.keep, "<p>caf".len());
        assert_eq!(patch.add, "\u{ea}</p>");
        let mut held = "<p>caf\u{e9}</p>".to_string();
        assert!(patch.apply(&mut held));
        assert_eq!(held, "<p>caf\u{ea}</p>");
    }

    #[test]
    fn a_patch_for_other_html_is_refused() {
        let patch = HtmlPatch {
            keep: 40,
            add: "x".into(),
        };
        let mut held = "<p>short</p>".to_string();
        assert!(!patch.apply(&mut held));
        assert_eq!(held, "<p>short</p>");
        let mut accented = "\u{e9}".to_string();
        let mid_char = HtmlPatch {
            keep: 1,
            add: String::new(),
        };
        assert!(!mid_char.apply(&mut accented));
        assert_eq!(accented, "\u{e9}");
    }
}
