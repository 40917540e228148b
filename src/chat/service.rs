//! The chat service: store the user's message, send the whole history to the
//! provider, store the reply (or the explained failure).

use super::history::{fit_history, history_for_provider};
use crate::error::{AppError, Invalid};
use crate::generation::{self, GenerationJob, Limits, Refused, Reservation};
use crate::model::{ChatMessage, ChatSettings, Role, SendOutcome, SessionUser};
use crate::providers::{self, WireMessage};
use crate::state::AppState;
use crate::store::{self, TurnChoice, TurnRefused, TurnStep};

/// Longest message accepted, in characters.
pub const MAX_MESSAGE_CHARS: usize = 100_000;
/// Most messages accepted in one API call.
pub const MAX_HISTORY: usize = 1_000;

/// A title for a new conversation: the first line of the first message, cut
/// at a word near 60 characters.
pub fn title_from(content: &str) -> String {
    let line = content
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("New chat");
    if line.chars().count() <= 60 {
        return line.to_string();
    }
    let cut: String = line.chars().take(60).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > 30 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end())
}

/// Checks one message's text.
pub fn check_content(content: &str) -> Result<(), AppError> {
    if content.trim().is_empty() {
        return Err(Invalid::MessageEmpty.into());
    }
    if content.chars().count() > MAX_MESSAGE_CHARS {
        return Err(Invalid::MessageTooLong {
            max: MAX_MESSAGE_CHARS,
        }
        .into());
    }
    Ok(())
}

/// The provider with this id, or an error listing the known ones.
pub fn find_provider<'a>(
    state: &'a AppState,
    id: &str,
) -> Result<&'a providers::Provider, AppError> {
    state.providers.get(id).ok_or_else(|| {
        let known = state
            .providers
            .all()
            .iter()
            .map(|p| format!("\"{}\"", p.id))
            .collect::<Vec<_>>()
            .join(", ");
        AppError::from(Invalid::UnknownProvider {
            id: id.to_string(),
            known,
        })
    })
}

/// `NotFound` unless the conversation is the user's.
pub async fn require_owner(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
) -> Result<(), AppError> {
    if store::owns_conversation(&state.db, user.id, conversation_id).await? {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

/// How many replies may be written at once, from the settings.
pub fn reply_limits(state: &AppState) -> Limits {
    Limits {
        per_account: state.config.max_replies_per_account,
        in_all: state.config.max_replies_in_all,
    }
}

/// Holds a place for a reply of the JSON API for `user`, or says why not.
pub fn hold_for_api(state: &AppState, user: &SessionUser) -> Result<Reservation, AppError> {
    let limits = reply_limits(state);
    state
        .generations
        .hold_for_api(user.id, limits)
        .map_err(|refused| match refused {
            Refused::ServerFull => AppError::ServerBusy {
                limit: limits.in_all,
            },
            Refused::Busy | Refused::TooManyForAccount => AppError::TooManyReplies {
                limit: limits.per_account,
            },
        })
}

/// A turn whose reply is being written.
struct Turn {
    /// The conversation (new for a first message).
    conversation_id: i64,
    /// The message the step added (a send's; none for retry and edit).
    user_message: Option<ChatMessage>,
    /// The reply, empty and streaming.
    reply: ChatMessage,
}

/// Stores a turn's step and its empty reply (one transaction, which holds
/// the conversation for this reply before writing), then starts the task
/// that writes the reply.
async fn start_turn(
    state: &AppState,
    user: &SessionUser,
    step: TurnStep<'_>,
    provider: &providers::Provider,
    model: Option<&str>,
) -> Result<Turn, AppError> {
    let choice = TurnChoice {
        provider: &provider.id,
        model,
    };
    let limits = reply_limits(state);
    let started = store::start_turn(&state.db, user.id, step, choice, |id| {
        state
            .generations
            .reserve_for(id, user.id, limits)
            .map_err(|refused| match refused {
                Refused::Busy => TurnRefused::Busy,
                Refused::TooManyForAccount => TurnRefused::TooManyReplies,
                Refused::ServerFull => TurnRefused::ServerBusy,
            })
    })
    .await?
    .map_err(|refused| match refused {
        TurnRefused::NotFound => AppError::NotFound,
        TurnRefused::Busy => AppError::ReplyInProgress,
        TurnRefused::TooManyReplies => AppError::TooManyReplies {
            limit: limits.per_account,
        },
        TurnRefused::ServerBusy => AppError::ServerBusy {
            limit: limits.in_all,
        },
        TurnRefused::NothingToAnswer => Invalid::NothingToAnswer.into(),
        TurnRefused::NotAUserMessage => Invalid::NotAUserMessage.into(),
    })?;
    let conversation = started.conversation;
    let settings = effective_settings(&conversation.settings, &state.config.chat_defaults);
    let system_prompt = settings.system_prompt.as_ref().map(|prompt| WireMessage {
        role: Role::System.as_str().to_string(),
        content: prompt.clone(),
    });
    let (history, left_out) = fit_history(
        system_prompt,
        history_for_provider(&conversation.messages),
        state.config.max_history_chars,
    );
    let job = GenerationJob {
        live: started.hold.start(started.reply.id),
        user_id: user.id,
        provider_id: provider.id.to_string(),
        history,
        left_out,
        model: conversation.summary.model,
        sampling: providers::Sampling {
            temperature: settings.temperature,
            max_tokens: settings.max_tokens,
        },
    };
    tokio::spawn(generation::run(state.clone(), job));
    Ok(Turn {
        conversation_id: conversation.summary.id,
        user_message: started.user_message,
        reply: started.reply,
    })
}

/// Longest model name.
pub const MAX_MODEL_CHARS: usize = 200;

/// A model name picked in the page: trimmed, `None` when empty.
pub fn check_model(model: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(model) = model.map(str::trim).filter(|m| !m.is_empty()) else {
        return Ok(None);
    };
    if model.chars().count() > MAX_MODEL_CHARS || model.chars().any(char::is_control) {
        return Err(Invalid::ModelName {
            max: MAX_MODEL_CHARS,
        }
        .into());
    }
    Ok(Some(model.to_string()))
}

/// Stores a user message in a new or existing conversation and starts the
/// reply with `model` (else the provider's default); the reply streams at
/// `GET /api/chats/{id}/stream`.
pub async fn send(
    state: &AppState,
    user: &SessionUser,
    conversation_id: Option<i64>,
    provider_id: &str,
    model: Option<&str>,
    content: &str,
) -> Result<SendOutcome, AppError> {
    check_content(content)?;
    let model = check_model(model)?;
    let provider = find_provider(state, provider_id)?;
    let title = title_from(content);
    let step = TurnStep::Message {
        conversation_id,
        title: &title,
        content,
    };
    let turn = start_turn(state, user, step, provider, model.as_deref()).await?;
    // A message step always stores the message: this never fails.
    let user_message = turn.user_message.ok_or(AppError::Internal)?;
    Ok(SendOutcome {
        conversation_id: turn.conversation_id,
        user_message,
        reply: turn.reply,
    })
}

/// A conversation's settings, each missing one taken from the defaults.
pub fn effective_settings(own: &ChatSettings, defaults: &ChatSettings) -> ChatSettings {
    ChatSettings {
        system_prompt: own
            .system_prompt
            .clone()
            .or_else(|| defaults.system_prompt.clone()),
        temperature: own.temperature.or(defaults.temperature),
        max_tokens: own.max_tokens.or(defaults.max_tokens),
    }
}

/// Replaces the last reply of a conversation (failed, stopped or complete)
/// with a new one: Retry and Regenerate.
pub async fn retry(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
    provider_id: &str,
    model: Option<&str>,
) -> Result<ChatMessage, AppError> {
    let model = check_model(model)?;
    let provider = find_provider(state, provider_id)?;
    let step = TurnStep::AnswerAgain { conversation_id };
    Ok(start_turn(state, user, step, provider, model.as_deref())
        .await?
        .reply)
}

/// Changes a user message and answers it again: every later message of the
/// conversation is replaced by the new reply.
pub async fn edit_and_resend(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
    message_id: i64,
    content: &str,
    provider_id: &str,
    model: Option<&str>,
) -> Result<ChatMessage, AppError> {
    check_content(content)?;
    let model = check_model(model)?;
    let provider = find_provider(state, provider_id)?;
    let step = TurnStep::Edit {
        conversation_id,
        message_id,
        content,
    };
    Ok(start_turn(state, user, step, provider, model.as_deref())
        .await?
        .reply)
}

/// Stops the reply being written in a conversation. The text so far is kept
/// and marked stopped; stopping a finished reply does nothing.
pub async fn stop(
    state: &AppState,
    user: &SessionUser,
    conversation_id: i64,
) -> Result<bool, AppError> {
    require_owner(state, user, conversation_id).await?;
    Ok(state.generations.stop(conversation_id))
}

/// Checks a history sent by an API client.
pub fn check_history(messages: &[WireMessage]) -> Result<(), AppError> {
    if messages.is_empty() {
        return Err(Invalid::HistoryEmpty.into());
    }
    if messages.len() > MAX_HISTORY {
        return Err(Invalid::HistoryTooLong { max: MAX_HISTORY }.into());
    }
    for (i, m) in messages.iter().enumerate() {
        if Role::parse(&m.role).is_none() {
            return Err(Invalid::HistoryRole {
                index: i,
                role: m.role.clone(),
            }
            .into());
        }
        if m.content.chars().count() > MAX_MESSAGE_CHARS {
            return Err(Invalid::HistoryContentTooLong {
                index: i,
                max: MAX_MESSAGE_CHARS,
            }
            .into());
        }
    }
    Ok(())
}

/// One stateless completion for the JSON API: the caller sends the history.
pub async fn complete_history(
    state: &AppState,
    provider_id: &str,
    messages: &[WireMessage],
) -> Result<String, AppError> {
    let provider = find_provider(state, provider_id)?;
    check_history(messages)?;
    providers::complete(
        &state.http,
        provider,
        messages,
        state.config.provider_timeout,
    )
    .await
    .map_err(AppError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_the_first_line() {
        assert_eq!(title_from("\n  Hello there\nsecond"), "Hello there");
        let long = "word ".repeat(30);
        let title = title_from(&long);
        assert!(
            title.ends_with('…') && title.chars().count() <= 61,
            "{title}"
        );
        assert_eq!(title_from("   "), "New chat");
    }

    #[test]
    fn empty_and_huge_messages_are_refused() {
        assert!(check_content(" \n").is_err());
        assert!(check_content(&"x".repeat(MAX_MESSAGE_CHARS + 1)).is_err());
        assert!(check_content("hi").is_ok());
    }
}
