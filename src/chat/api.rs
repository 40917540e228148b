//! Server functions the chat page calls. Each one checks who is asking and
//! hands over to the chat service.

use crate::error::AppError;
use crate::model::{
    ChatMessage, ChatSettings, Conversation, ConversationSummary, ProviderInfo, SendOutcome,
    SettingsFields,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
async fn signed_in() -> Result<(crate::state::AppState, crate::model::SessionUser), AppError> {
    let state = crate::state::app_state()?;
    let parts = crate::auth::api::request_parts()?;
    let user = crate::auth::session::authenticate(&state, &parts.headers).await?;
    Ok((state, user))
}

/// The providers the page can offer.
#[server(endpoint = "list_providers")]
pub async fn list_providers() -> Result<Vec<ProviderInfo>, AppError> {
    let (state, _) = signed_in().await?;
    // Never wait for the servers here: the page shows the last check, and a
    // stale one is refreshed in the background.
    if state
        .catalog
        .claim_refresh(std::time::Duration::from_secs(15))
    {
        let (catalog, http, providers) = (
            state.catalog.clone(),
            state.http.clone(),
            state.providers.clone(),
        );
        tokio::spawn(async move { catalog.refresh(&http, &providers).await });
    }
    let lang = crate::i18n::lang_of_request(&crate::auth::api::request_parts()?.headers);
    Ok(state.providers.infos(&state.catalog, lang))
}

/// The user's conversations, newest first.
#[server(endpoint = "list_conversations")]
pub async fn list_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    let (state, user) = signed_in().await?;
    Ok(crate::store::list_conversations(&state.db, user.id).await?)
}

/// Messages a conversation opens with; older ones come on demand.
pub const RECENT_MESSAGES: u32 = 100;

/// Most messages one call returns, whatever it asks for.
pub const MAX_PAGE_MESSAGES: u32 = 5_000;

/// One conversation with its last `limit` messages (default
/// [`RECENT_MESSAGES`]); `earlier` says how many were left out.
#[server(input = Json, endpoint = "get_conversation")]
pub async fn get_conversation(
    id: i64,
    #[server(default)] limit: Option<u32>,
) -> Result<Conversation, AppError> {
    let (state, user) = signed_in().await?;
    let limit = limit.unwrap_or(RECENT_MESSAGES).clamp(1, MAX_PAGE_MESSAGES);
    let lang = crate::i18n::current_lang();
    crate::store::load_recent(&state.db, user.id, id, Some(limit))
        .await?
        .ok_or(AppError::NotFound)
        .map(|mut conversation| {
            for message in &mut conversation.messages {
                crate::markdown::render_for_page(message, lang, user.is_admin);
            }
            conversation
        })
}

/// The user's conversations whose title or messages contain `query`.
#[server(input = Json, endpoint = "search_conversations")]
pub async fn search_conversations(query: String) -> Result<Vec<ConversationSummary>, AppError> {
    let (state, user) = signed_in().await?;
    let query = query.trim();
    if query.is_empty() {
        return Ok(crate::store::list_conversations(&state.db, user.id).await?);
    }
    let query: String = query.chars().take(200).collect();
    Ok(crate::store::search_conversations(&state.db, user.id, &query).await?)
}

/// Renames a conversation; returns the title as stored.
#[server(input = Json, endpoint = "rename_conversation")]
pub async fn rename_conversation(id: i64, title: String) -> Result<String, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::manage::rename(&state, &user, id, &title).await
}

/// Deletes a conversation and its messages.
#[server(input = Json, endpoint = "delete_conversation")]
pub async fn delete_conversation(id: i64) -> Result<(), AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::manage::delete(&state, &user, id).await
}

/// Stores a conversation's system prompt, temperature and max tokens.
#[server(input = Json, endpoint = "save_chat_settings")]
pub async fn save_chat_settings(id: i64, fields: SettingsFields) -> Result<ChatSettings, AppError> {
    let (state, user) = signed_in().await?;
    let settings = crate::chat::manage::read_settings(&fields)?;
    crate::chat::manage::save_settings(&state, &user, id, settings).await
}

/// Imports a JSON export as a new conversation; returns its id.
#[server(input = Json, endpoint = "import_conversation")]
pub async fn import_conversation(json: String) -> Result<i64, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::manage::import(&state, &user, &json).await
}

/// Changes a user message and answers it again; later turns are replaced.
#[server(input = Json, endpoint = "edit_message")]
pub async fn edit_message(
    conversation_id: i64,
    message_id: i64,
    content: String,
    provider: String,
    #[server(default)] model: Option<String>,
) -> Result<ChatMessage, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::service::edit_and_resend(
        &state,
        &user,
        conversation_id,
        message_id,
        &content,
        &provider,
        model.as_deref(),
    )
    .await
}

/// Sends a message (starting a conversation when `conversation_id` is `None`)
/// with `model` (else the provider's default) and returns the stored message
/// and the reply being written.
#[server(input = Json, endpoint = "send_message")]
pub async fn send_message(
    conversation_id: Option<i64>,
    provider: String,
    #[server(default)] model: Option<String>,
    content: String,
) -> Result<SendOutcome, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::service::send(
        &state,
        &user,
        conversation_id,
        &provider,
        model.as_deref(),
        &content,
    )
    .await
}

/// Replaces the last reply of a conversation with a new one (Retry after a
/// failure, Regenerate after a finished reply).
#[server(input = Json, endpoint = "retry_reply")]
pub async fn retry_reply(
    conversation_id: i64,
    provider: String,
    #[server(default)] model: Option<String>,
) -> Result<ChatMessage, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::service::retry(&state, &user, conversation_id, &provider, model.as_deref()).await
}

/// Stops the reply being written in a conversation; the text so far is kept.
/// Answers whether a reply was running.
#[server(input = Json, endpoint = "stop_reply")]
pub async fn stop_reply(conversation_id: i64) -> Result<bool, AppError> {
    let (state, user) = signed_in().await?;
    crate::chat::service::stop(&state, &user, conversation_id).await
}
