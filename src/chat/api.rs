//! Server functions the chat page calls. Each one checks who is asking and
//! hands over to the chat service.

use crate::error::AppError;
use crate::model::{ChatMessage, Conversation, ConversationSummary, ProviderInfo, SendOutcome};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

#[cfg(feature = "ssr")]
async fn signed_in() -> Result<(crate::state::AppState, crate::model::SessionUser), AppError> {
    let state = crate::state::app_state()?;
    let parts = crate::auth::api::request_parts()?;
    let user = crate::auth::session::authenticate(&state, &parts.headers).await?;
    Ok((state, user))
}

/// Gives an error its HTTP status (409, 404…) instead of the generic 500,
/// so scripts calling the server functions can tell failures apart.
#[cfg(feature = "ssr")]
fn with_status<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(err) = &result {
        if let (Some(options), Ok(status)) = (
            use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(err.status_code()),
        ) {
            options.set_status(status);
        }
    }
    result
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
    Ok(state.providers.infos(&state.catalog))
}

/// The user's conversations, newest first.
#[server(endpoint = "list_conversations")]
pub async fn list_conversations() -> Result<Vec<ConversationSummary>, AppError> {
    let (state, user) = signed_in().await?;
    Ok(crate::store::list_conversations(&state.pool, user.id).await?)
}

/// One conversation with its messages.
#[server(endpoint = "get_conversation")]
pub async fn get_conversation(id: i64) -> Result<Conversation, AppError> {
    let (state, user) = signed_in().await?;
    crate::store::load_conversation(&state.pool, user.id, id)
        .await?
        .ok_or(AppError::NotFound)
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
    with_status(
        crate::chat::service::send(
            &state,
            &user,
            conversation_id,
            &provider,
            model.as_deref(),
            &content,
        )
        .await,
    )
}

/// Asks again for the failed last reply of a conversation.
#[server(input = Json, endpoint = "retry_reply")]
pub async fn retry_reply(
    conversation_id: i64,
    provider: String,
    #[server(default)] model: Option<String>,
) -> Result<ChatMessage, AppError> {
    let (state, user) = signed_in().await?;
    with_status(
        crate::chat::service::retry(&state, &user, conversation_id, &provider, model.as_deref())
            .await,
    )
}

/// Stops the reply being written in a conversation; the text so far is kept.
/// Answers whether a reply was running.
#[server(input = Json, endpoint = "stop_reply")]
pub async fn stop_reply(conversation_id: i64) -> Result<bool, AppError> {
    let (state, user) = signed_in().await?;
    with_status(crate::chat::service::stop(&state, &user, conversation_id).await)
}
