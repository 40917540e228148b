//! Conversation and message queries. Every query takes the owner's id, so a
//! user can never read or change someone else's chat.

use crate::model::{ChatMessage, Conversation, ConversationSummary, MessageStatus, Role, Usage};
use crate::providers::chunk::TokenCounts;
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

fn summary_from_row(row: &SqliteRow) -> Result<ConversationSummary, sqlx::Error> {
    Ok(ConversationSummary {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        provider: row.try_get("provider")?,
        model: row.try_get("model")?,
        updated_at: row.try_get("updated_at")?,
    })
}

/// The message columns every query reads, in [`message_from_row`]'s terms.
const MESSAGE_COLUMNS: &str = "id, role, content, reasoning, status, error, provider, \
     prompt_tokens, completion_tokens, generation_ms, notice";

/// Usage as the page shows it, from the stored counts.
pub fn usage_from(
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
    generation_ms: Option<i64>,
) -> Option<Usage> {
    let completion = u32::try_from(completion_tokens?).ok()?;
    let tokens_per_second = generation_ms
        .filter(|ms| *ms > 0 && completion > 1)
        // The first token starts the clock, so it is not counted.
        .map(|ms| f64::from(completion - 1) * 1000.0 / ms as f64);
    Some(Usage {
        prompt_tokens: prompt_tokens.and_then(|n| u32::try_from(n).ok()),
        completion_tokens: completion,
        tokens_per_second,
    })
}

fn message_from_row(row: &SqliteRow) -> Result<ChatMessage, sqlx::Error> {
    let role: String = row.try_get("role")?;
    let status: String = row.try_get("status")?;
    Ok(ChatMessage {
        id: row.try_get("id")?,
        role: Role::parse(&role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role '{role}'").into()))?,
        content: row.try_get("content")?,
        reasoning: row.try_get("reasoning")?,
        status: MessageStatus::parse(&status),
        error: row.try_get("error")?,
        provider: row.try_get("provider")?,
        usage: usage_from(
            row.try_get("prompt_tokens")?,
            row.try_get("completion_tokens")?,
            row.try_get("generation_ms")?,
        ),
        notice: row.try_get("notice")?,
    })
}

/// Creates a conversation for `user_id` and returns its id.
pub async fn create_conversation(
    pool: &SqlitePool,
    user_id: i64,
    title: &str,
    provider: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO conversations (user_id, title, provider) VALUES (?1, ?2, ?3) RETURNING id",
    )
    .bind(user_id)
    .bind(title)
    .bind(provider)
    .fetch_one(pool)
    .await
}

/// Remembers the provider and model picked for a conversation.
pub async fn set_conversation_choice(
    pool: &SqlitePool,
    conversation_id: i64,
    provider: &str,
    model: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE conversations SET provider = ?2, model = ?3 WHERE id = ?1")
        .bind(conversation_id)
        .bind(provider)
        .bind(model)
        .execute(pool)
        .await?;
    Ok(())
}

/// The user's conversations, most recently changed first.
pub async fn list_conversations(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title, provider, model, updated_at FROM conversations
         WHERE user_id = ?1 ORDER BY updated_at DESC, id DESC",
    )
    .bind(user_id)
    .fetch_all(pool)
    .await?;
    rows.iter().map(summary_from_row).collect()
}

/// Whether the conversation exists and belongs to the user (no messages read).
pub async fn owns_conversation(
    pool: &SqlitePool,
    user_id: i64,
    conversation_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1 AND user_id = ?2)")
        .bind(conversation_id)
        .bind(user_id)
        .fetch_one(pool)
        .await
}

/// One conversation of the user's with its messages, or `None`.
pub async fn load_conversation(
    pool: &SqlitePool,
    user_id: i64,
    conversation_id: i64,
) -> Result<Option<Conversation>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, title, provider, model, updated_at FROM conversations WHERE id = ?1 AND user_id = ?2",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let summary = summary_from_row(&row)?;
    let rows = sqlx::query(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 ORDER BY id"
    ))
    .bind(conversation_id)
    .fetch_all(pool)
    .await?;
    let messages = rows
        .iter()
        .map(message_from_row)
        .collect::<Result<_, _>>()?;
    Ok(Some(Conversation { summary, messages }))
}

/// A message to store.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    /// Who wrote it.
    pub role: Role,
    /// The text.
    pub content: &'a str,
    /// Complete or failed.
    pub status: MessageStatus,
    /// What went wrong, for a failed reply.
    pub error: Option<&'a str>,
    /// Provider id that answered.
    pub provider: Option<&'a str>,
}

/// Appends a message to a conversation and touches its `updated_at`.
pub async fn insert_message(
    pool: &SqlitePool,
    conversation_id: i64,
    message: NewMessage<'_>,
) -> Result<ChatMessage, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let row = sqlx::query(&format!(
        "INSERT INTO messages (conversation_id, role, content, status, error, provider)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(conversation_id)
    .bind(message.role.as_str())
    .bind(message.content)
    .bind(message.status.as_str())
    .bind(message.error)
    .bind(message.provider)
    .fetch_one(&mut *tx)
    .await?;
    let provider_update = if message.role == Role::Assistant {
        message.provider
    } else {
        None
    };
    sqlx::query(
        "UPDATE conversations SET updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
         provider = COALESCE(?2, provider) WHERE id = ?1",
    )
    .bind(conversation_id)
    .bind(provider_update)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    message_from_row(&row)
}

/// Deletes the trailing failed replies of a conversation: all of them before
/// a retry (`keep_partial` false), only those with no text before a new
/// message (a partial reply stays readable).
pub async fn delete_trailing_failed(
    pool: &SqlitePool,
    conversation_id: i64,
    keep_partial: bool,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND status = 'failed'
         AND (?2 = 0 OR content = '')
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND status != 'failed'), 0)",
    )
    .bind(conversation_id)
    .bind(keep_partial)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}

/// Saves the text of a reply that is still streaming.
pub async fn save_reply_text(
    pool: &SqlitePool,
    message_id: i64,
    content: &str,
    reasoning: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE messages SET content = ?2, reasoning = ?3 WHERE id = ?1 AND status = 'streaming'",
    )
    .bind(message_id)
    .bind(content)
    .bind(reasoning)
    .execute(pool)
    .await?;
    Ok(())
}

/// How a reply ended, to store.
#[derive(Debug, Clone)]
pub struct FinishedReply<'a> {
    /// The whole answer.
    pub content: &'a str,
    /// The whole reasoning.
    pub reasoning: &'a str,
    /// Complete, stopped or failed.
    pub status: MessageStatus,
    /// Why it failed.
    pub error: Option<&'a str>,
    /// Token counts, when reported.
    pub usage: Option<TokenCounts>,
    /// Milliseconds from the first token to the last.
    pub generation_ms: Option<i64>,
    /// Id of the provider that answered.
    pub provider: &'a str,
    /// Why another provider than the chosen one answered.
    pub notice: Option<&'a str>,
}

/// Stores the end of a reply and returns it as the page shows it.
pub async fn finish_reply(
    pool: &SqlitePool,
    message_id: i64,
    reply: FinishedReply<'_>,
) -> Result<ChatMessage, sqlx::Error> {
    let row = sqlx::query(&format!(
        "UPDATE messages SET content = ?2, reasoning = ?3, status = ?4, error = ?5,
         prompt_tokens = ?6, completion_tokens = ?7, generation_ms = ?8, provider = ?9, notice = ?10
         WHERE id = ?1 RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(message_id)
    .bind(reply.content)
    .bind(reply.reasoning)
    .bind(reply.status.as_str())
    .bind(reply.error)
    .bind(reply.usage.and_then(|u| u.prompt_tokens))
    .bind(reply.usage.map(|u| u.completion_tokens))
    .bind(reply.generation_ms)
    .bind(reply.provider)
    .bind(reply.notice)
    .fetch_one(pool)
    .await?;
    message_from_row(&row)
}

/// Text stored on replies that were streaming when the server stopped.
pub const INTERRUPTED_REPLY: &str = "This reply was cut off: the server stopped or failed while \
writing it. The text so far is kept; press Retry for a new reply.";

/// Marks replies left streaming by a previous run as failed (at start-up,
/// before any new reply begins). Returns how many there were.
pub async fn fail_interrupted_replies(pool: &SqlitePool) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("UPDATE messages SET status = 'failed', error = ?1 WHERE status = 'streaming'")
            .bind(INTERRUPTED_REPLY)
            .execute(pool)
            .await?;
    Ok(done.rows_affected())
}

/// Marks one reply left `streaming` with no task behind it as failed, keeping
/// its text; returns it as stored. `None` when it is not streaming (any more).
pub async fn fail_interrupted_reply(
    pool: &SqlitePool,
    message_id: i64,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "UPDATE messages SET status = 'failed', error = ?2 WHERE id = ?1 AND status = 'streaming'
         RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(message_id)
    .bind(INTERRUPTED_REPLY)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(message_from_row).transpose()
}

/// The last assistant message of a conversation.
pub async fn last_reply(
    pool: &SqlitePool,
    conversation_id: i64,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND role = 'assistant'
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(conversation_id)
    .fetch_optional(pool)
    .await?;
    row.as_ref().map(message_from_row).transpose()
}
