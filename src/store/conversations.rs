//! Conversation and message queries. Every query takes the owner's id, so a
//! user can never read or change someone else's chat.

use crate::model::{ChatMessage, Conversation, ConversationSummary, MessageStatus, Role};
use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqlitePool};

fn summary_from_row(row: &SqliteRow) -> Result<ConversationSummary, sqlx::Error> {
    Ok(ConversationSummary {
        id: row.try_get("id")?,
        title: row.try_get("title")?,
        provider: row.try_get("provider")?,
        updated_at: row.try_get("updated_at")?,
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
        status: MessageStatus::parse(&status),
        error: row.try_get("error")?,
        provider: row.try_get("provider")?,
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

/// The user's conversations, most recently changed first.
pub async fn list_conversations(
    pool: &SqlitePool,
    user_id: i64,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title, provider, updated_at FROM conversations
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
        "SELECT id, title, provider, updated_at FROM conversations WHERE id = ?1 AND user_id = ?2",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(pool)
    .await?
    else {
        return Ok(None);
    };
    let summary = summary_from_row(&row)?;
    let rows = sqlx::query(
        "SELECT id, role, content, status, error, provider FROM messages
         WHERE conversation_id = ?1 ORDER BY id",
    )
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
    let row = sqlx::query(
        "INSERT INTO messages (conversation_id, role, content, status, error, provider)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         RETURNING id, role, content, status, error, provider",
    )
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

/// Deletes the trailing failed replies of a conversation (before a retry).
pub async fn delete_trailing_failed(
    pool: &SqlitePool,
    conversation_id: i64,
) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND status = 'failed'
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND status != 'failed'), 0)",
    )
    .bind(conversation_id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected())
}
