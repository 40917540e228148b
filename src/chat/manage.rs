//! Looking after conversations: rename, delete, search, per-chat settings,
//! export as Markdown or JSON and import of a JSON export.

use crate::error::{AppError, Invalid};
use crate::i18n::Lang;
use crate::model::{ChatSettings, Conversation, MessageStatus, Role, SessionUser, SettingsFields};
use crate::state::AppState;
use crate::store;
use serde::{Deserialize, Serialize};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 200;
/// Longest system prompt, in characters.
pub const MAX_SYSTEM_PROMPT_CHARS: usize = 20_000;
/// Most messages an import may hold.
pub const MAX_IMPORT_MESSAGES: usize = 10_000;
/// Name of the export format, checked on import.
pub const EXPORT_FORMAT: &str = "nexa-chat.conversation";

/// A title as typed: trimmed, on one line, not empty, not too long.
pub fn check_title(title: &str) -> Result<String, AppError> {
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if title.is_empty() {
        return Err(Invalid::TitleEmpty.into());
    }
    if title.chars().count() > MAX_TITLE_CHARS {
        return Err(Invalid::TitleTooLong {
            max: MAX_TITLE_CHARS,
        }
        .into());
    }
    Ok(title)
}

/// Reads the dialog's fields (a decimal comma is fine; empty: the default)
/// and checks them like [`check_settings`].
pub fn read_settings(fields: &SettingsFields) -> Result<ChatSettings, AppError> {
    let temperature = read_number::<f32>(&fields.temperature)
        .map_err(|_| AppError::from(Invalid::TemperatureNotNumber))?;
    let max_tokens = read_number::<u32>(&fields.max_tokens).map_err(|_| max_tokens_error())?;
    check_settings(ChatSettings {
        system_prompt: Some(fields.system_prompt.clone()),
        temperature,
        max_tokens,
    })
}

/// A number field: empty is `None`, anything else must parse.
fn read_number<T: std::str::FromStr>(raw: &str) -> Result<Option<T>, ()> {
    let raw = raw.trim().replace(',', ".");
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| ())
}

fn max_tokens_error() -> AppError {
    AppError::from(Invalid::MaxTokens { max: 1_000_000 })
}

/// Settings as typed: an empty prompt is no prompt; numbers within range.
pub fn check_settings(settings: ChatSettings) -> Result<ChatSettings, AppError> {
    let system_prompt = settings
        .system_prompt
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty());
    if system_prompt
        .as_ref()
        .is_some_and(|p| p.chars().count() > MAX_SYSTEM_PROMPT_CHARS)
    {
        return Err(Invalid::SystemPromptTooLong {
            max: MAX_SYSTEM_PROMPT_CHARS,
        }
        .into());
    }
    if let Some(t) = settings.temperature {
        if !(0.0..=2.0).contains(&t) {
            return Err(Invalid::TemperatureRange.into());
        }
    }
    if let Some(n) = settings.max_tokens {
        if !(1..=1_000_000).contains(&n) {
            return Err(max_tokens_error());
        }
    }
    Ok(ChatSettings {
        system_prompt,
        temperature: settings.temperature,
        max_tokens: settings.max_tokens,
    })
}

/// Renames one of the user's conversations.
pub async fn rename(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
    title: &str,
) -> Result<String, AppError> {
    let title = check_title(title)?;
    if store::rename_conversation(&state.db, user.id, conversation_id, &title).await? {
        Ok(title)
    } else {
        Err(AppError::NotFound)
    }
}

/// Deletes one of the user's conversations and stops its reply.
pub async fn delete(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
) -> Result<(), AppError> {
    super::service::require_owner(state, user, conversation_id).await?;
    if store::delete_conversation(&state.db, user.id, conversation_id).await? {
        state.generations.forget(conversation_id);
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// Stores the settings of one of the user's conversations.
pub async fn save_settings(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
    settings: ChatSettings,
) -> Result<ChatSettings, AppError> {
    let settings = check_settings(settings)?;
    if store::save_settings(&state.db, user.id, conversation_id, &settings).await? {
        Ok(settings)
    } else {
        Err(AppError::NotFound)
    }
}

/// A conversation as a JSON file: what export writes and import reads.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ConversationExport {
    /// Always [`EXPORT_FORMAT`].
    pub format: String,
    /// Version of the format.
    pub version: u32,
    /// The conversation.
    pub conversation: Conversation,
}

/// The JSON export of a conversation.
pub fn export_json(conversation: Conversation) -> ConversationExport {
    ConversationExport {
        format: EXPORT_FORMAT.to_string(),
        version: 1,
        conversation,
    }
}

/// The Markdown export: a heading per message, replies as written.
pub fn export_markdown(conversation: &Conversation, lang: Lang) -> String {
    let t = lang.texts();
    let mut out = format!("# {}\n\n", conversation.summary.title);
    if let Some(prompt) = &conversation.settings.system_prompt {
        out.push_str(&format!("## {}\n\n{prompt}\n\n", t.system_prompt));
    }
    for message in &conversation.messages {
        let who = match message.role {
            Role::User => t.you,
            Role::Assistant => t.assistant,
            Role::System => t.system_prompt,
        };
        out.push_str(&format!("## {who}\n\n"));
        let text = match message.role {
            Role::Assistant => crate::think::split_think(&message.content).answer,
            _ => message.content.clone(),
        };
        out.push_str(text.trim_end());
        out.push_str("\n\n");
        match message.status {
            MessageStatus::Stopped => out.push_str(&format!("*{}*\n\n", t.stopped)),
            MessageStatus::Failed => {
                out.push_str(&format!("*{}*", t.no_reply));
                if let Some(failure) = &message.failure {
                    out.push_str(&format!(" {}", lang.failure(failure)));
                }
                out.push_str("\n\n");
            }
            _ => {}
        }
    }
    out
}

/// A file name for an export: the title's letters and digits, then the id.
pub fn export_file_name(conversation: &Conversation, extension: &str) -> String {
    let slug: String = conversation
        .summary
        .title
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|s| !s.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-");
    let slug = if slug.is_empty() {
        "chat".to_string()
    } else {
        slug
    };
    format!("{slug}-{}.{extension}", conversation.summary.id)
}

/// Reads a JSON export, checking it the way a message is checked.
pub fn parse_import(json: &str) -> Result<Conversation, AppError> {
    let export: ConversationExport = serde_json::from_str(json).map_err(|err| {
        AppError::from(Invalid::ImportNotJson {
            detail: err.to_string(),
        })
    })?;
    if export.format != EXPORT_FORMAT {
        return Err(Invalid::ImportNotConversation.into());
    }
    let mut conversation = export.conversation;
    if conversation.messages.len() > MAX_IMPORT_MESSAGES {
        return Err(Invalid::ImportTooManyMessages {
            max: MAX_IMPORT_MESSAGES,
        }
        .into());
    }
    if conversation
        .messages
        .iter()
        .any(|m| m.content.chars().count() > super::service::MAX_MESSAGE_CHARS)
    {
        return Err(Invalid::ImportMessageTooLong {
            max: super::service::MAX_MESSAGE_CHARS,
        }
        .into());
    }
    conversation.summary.title = check_title(&conversation.summary.title)
        .unwrap_or_else(|_| super::service::title_from(&first_text(&conversation)));
    conversation.settings = check_settings(conversation.settings)?;
    conversation.summary.model =
        super::service::check_model(conversation.summary.model.as_deref())?;
    Ok(conversation)
}

fn first_text(conversation: &Conversation) -> String {
    conversation
        .messages
        .first()
        .map(|m| m.content.clone())
        .unwrap_or_default()
}

/// Imports a JSON export as a new conversation of the user's; returns its id.
pub async fn import(state: &AppState, user: &SessionUser, json: &str) -> Result<i64, AppError> {
    let mut conversation = parse_import(json)?;
    if state
        .providers
        .get(&conversation.summary.provider)
        .is_none()
    {
        // The chat came from a server with other providers: keep its text.
        conversation.summary.provider = crate::model_defaults::DEFAULT_PROVIDER.to_string();
        conversation.summary.model = None;
    }
    Ok(store::import_conversation(&state.db, user.id, &conversation).await?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ChatMessage, ConversationSummary};

    fn conversation() -> Conversation {
        let message = |id, role, content: &str, status| ChatMessage::new(id, role, content, status);
        Conversation {
            summary: ConversationSummary {
                id: 7,
                title: "Rust / lifetimes?".into(),
                provider: "local".into(),
                model: None,
                updated_at: "2026-11-22T00:00:00Z".into(),
            },
            messages: vec![
                message(1, Role::User, "What is 'a?", MessageStatus::Complete),
                message(
                    2,
                    Role::Assistant,
                    "<think>hmm</think>A **lifetime**.",
                    MessageStatus::Complete,
                ),
                message(3, Role::User, "More", MessageStatus::Complete),
                message(4, Role::Assistant, "It", MessageStatus::Stopped),
            ],
            settings: ChatSettings {
                system_prompt: Some("Be brief.".into()),
                temperature: Some(0.2),
                max_tokens: Some(64),
            },
            earlier: 0,
        }
    }

    #[test]
    fn markdown_export_reads_like_the_chat() {
        let md = export_markdown(&conversation(), Lang::En);
        assert!(
            md.starts_with("# Rust / lifetimes?\n\n## System prompt\n\nBe brief."),
            "{md}"
        );
        assert!(
            md.contains("## You\n\nWhat is 'a?\n\n## Assistant\n\nA **lifetime**."),
            "{md}"
        );
        assert!(!md.contains("hmm"), "reasoning is left out: {md}");
        assert!(md.contains("It\n\n*Stopped*"), "{md}");
        assert!(export_markdown(&conversation(), Lang::Es).contains("## Tú"));
        assert_eq!(
            export_file_name(&conversation(), "md"),
            "Rust-lifetimes-7.md"
        );
    }

    #[test]
    fn json_export_comes_back_whole() {
        let json = serde_json::to_string(&export_json(conversation())).unwrap();
        let back = parse_import(&json).unwrap();
        assert_eq!(back.messages, conversation().messages);
        assert_eq!(back.settings, conversation().settings);
        assert_eq!(back.summary.title, "Rust / lifetimes?");
    }

    #[test]
    fn bad_imports_are_explained() {
        let err = parse_import("not json").unwrap_err();
        assert!(
            err.message(Lang::En)
                .starts_with("This file cannot be imported"),
            "{err}"
        );
        assert!(err
            .message(Lang::Es)
            .starts_with("Este archivo no se puede importar"));
        let other = r#"{"format":"something-else","version":1,"conversation":{"summary":{"id":1,"title":"x","provider":"local","updated_at":""},"messages":[]}}"#;
        assert!(parse_import(other).is_err());
        let mut hot = export_json(conversation());
        hot.conversation.settings.temperature = Some(9.0);
        assert!(parse_import(&serde_json::to_string(&hot).unwrap()).is_err());
    }

    #[test]
    fn typed_settings_are_read_or_refused_with_a_reason() {
        let fields = |temperature: &str, max_tokens: &str| SettingsFields {
            system_prompt: " Be brief. ".into(),
            temperature: temperature.into(),
            max_tokens: max_tokens.into(),
        };
        let read = read_settings(&fields(" 0,7 ", "512")).unwrap();
        assert_eq!(read.system_prompt.as_deref(), Some("Be brief."));
        assert_eq!(read.temperature, Some(0.7));
        assert_eq!(read.max_tokens, Some(512));
        let defaults = read_settings(&fields("", " ")).unwrap();
        assert_eq!((defaults.temperature, defaults.max_tokens), (None, None));
        let err = read_settings(&fields("warm", "")).unwrap_err();
        assert!(err
            .message(Lang::En)
            .starts_with("The temperature must be a number"));
        assert!(err
            .message(Lang::Es)
            .starts_with("La temperatura debe ser un número"));
        let err = read_settings(&fields("", "lots")).unwrap_err();
        assert!(err
            .message(Lang::En)
            .starts_with("Max tokens must be a whole number"));
        assert!(read_settings(&fields("2.5", "")).is_err());
        assert!(read_settings(&fields("", "0")).is_err());
        assert!(read_settings(&fields("", "1.5")).is_err());
    }

    #[test]
    fn settings_and_titles_are_checked() {
        assert_eq!(check_title("  Trip \n plans ").unwrap(), "Trip plans");
        assert!(check_title("   ").is_err());
        assert!(check_title(&"x".repeat(201)).is_err());
        let cleaned = check_settings(ChatSettings {
            system_prompt: Some("   ".into()),
            temperature: Some(1.0),
            max_tokens: Some(100),
        })
        .unwrap();
        assert_eq!(cleaned.system_prompt, None);
        assert!(check_settings(ChatSettings {
            max_tokens: Some(0),
            ..ChatSettings::default()
        })
        .is_err());
        assert!(check_settings(ChatSettings {
            temperature: Some(-0.1),
            ..ChatSettings::default()
        })
        .is_err());
    }
}
