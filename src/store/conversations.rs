//! Conversation and message queries. Every query takes the owner's id, so a
//! user can never read or change someone else's chat.

use super::Db;
use crate::model::{
    ChatMessage, ChatSettings, Conversation, ConversationSummary, MessageStatus, Role, Usage,
};
use crate::providers::chunk::TokenCounts;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

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
const MESSAGE_COLUMNS: &str = "id, role, content, reasoning, status, error, error_es, provider, \
     prompt_tokens, completion_tokens, generation_ms, notice, notice_es";

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
        error_es: row.try_get("error_es")?,
        provider: row.try_get("provider")?,
        usage: usage_from(
            row.try_get("prompt_tokens")?,
            row.try_get("completion_tokens")?,
            row.try_get("generation_ms")?,
        ),
        notice: row.try_get("notice")?,
        notice_es: row.try_get("notice_es")?,
        html: None,
    })
}

/// Creates a conversation for `user_id` and returns its id.
pub async fn create_conversation(
    db: &Db,
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
    .fetch_one(&db.writes)
    .await
}

/// Remembers the provider and model picked for a conversation.
pub async fn set_conversation_choice(
    db: &Db,
    conversation_id: i64,
    provider: &str,
    model: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE conversations SET provider = ?2, model = ?3 WHERE id = ?1")
        .bind(conversation_id)
        .bind(provider)
        .bind(model)
        .execute(&db.writes)
        .await?;
    Ok(())
}

/// The user's conversations, most recently changed first.
pub async fn list_conversations(
    db: &Db,
    user_id: i64,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, title, provider, model, updated_at FROM conversations
         WHERE user_id = ?1 ORDER BY updated_at DESC, id DESC",
    )
    .bind(user_id)
    .fetch_all(&db.reads)
    .await?;
    rows.iter().map(summary_from_row).collect()
}

/// Whether the conversation exists and belongs to the user (no messages read).
pub async fn owns_conversation(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1 AND user_id = ?2)")
        .bind(conversation_id)
        .bind(user_id)
        .fetch_one(&db.reads)
        .await
}

/// One conversation of the user's with all its messages, or `None`.
pub async fn load_conversation(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
) -> Result<Option<Conversation>, sqlx::Error> {
    load_recent(db, user_id, conversation_id, None).await
}

/// One conversation of the user's with its last `limit` messages (all when
/// `None`), or `None`. `earlier` counts the messages left out.
pub async fn load_recent(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
    limit: Option<u32>,
) -> Result<Option<Conversation>, sqlx::Error> {
    let Some(row) = sqlx::query(
        "SELECT id, title, provider, model, updated_at, system_prompt, temperature, max_tokens,
         (SELECT COUNT(*) FROM messages WHERE conversation_id = ?1) AS message_count
         FROM conversations WHERE id = ?1 AND user_id = ?2",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(&db.reads)
    .await?
    else {
        return Ok(None);
    };
    let summary = summary_from_row(&row)?;
    let settings = ChatSettings {
        system_prompt: row.try_get("system_prompt")?,
        temperature: row
            .try_get::<Option<f64>, _>("temperature")?
            .map(|t| t as f32),
        max_tokens: row
            .try_get::<Option<i64>, _>("max_tokens")?
            .and_then(|n| u32::try_from(n).ok()),
    };
    let count: i64 = row.try_get("message_count")?;
    let limit = limit.map_or(i64::MAX, i64::from);
    // The newest `limit` messages, put back in order.
    let rows = sqlx::query(&format!(
        "SELECT * FROM (SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1
         ORDER BY id DESC LIMIT ?2) ORDER BY id"
    ))
    .bind(conversation_id)
    .bind(limit)
    .fetch_all(&db.reads)
    .await?;
    let messages: Vec<ChatMessage> = rows
        .iter()
        .map(message_from_row)
        .collect::<Result<_, _>>()?;
    let earlier = u32::try_from(count.saturating_sub(messages.len() as i64)).unwrap_or(u32::MAX);
    Ok(Some(Conversation {
        summary,
        messages,
        settings,
        earlier,
    }))
}

/// Renames a conversation of the user's; `false` when there is none.
pub async fn rename_conversation(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
    title: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE conversations SET title = ?3 WHERE id = ?1 AND user_id = ?2")
        .bind(conversation_id)
        .bind(user_id)
        .bind(title)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Deletes a conversation of the user's and its messages; `false` when there
/// is none.
pub async fn delete_conversation(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("DELETE FROM conversations WHERE id = ?1 AND user_id = ?2")
        .bind(conversation_id)
        .bind(user_id)
        .execute(&db.writes)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Stores how the model answers in a conversation.
pub async fn save_settings(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
    settings: &ChatSettings,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE conversations SET system_prompt = ?3, temperature = ?4, max_tokens = ?5
         WHERE id = ?1 AND user_id = ?2",
    )
    .bind(conversation_id)
    .bind(user_id)
    .bind(settings.system_prompt.as_deref())
    .bind(settings.temperature.map(f64::from))
    .bind(settings.max_tokens.map(i64::from))
    .execute(&db.writes)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// The user's conversations whose title or messages contain `query` (any
/// case), most recently changed first.
pub async fn search_conversations(
    db: &Db,
    user_id: i64,
    query: &str,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let escaped = query
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    let rows = sqlx::query(
        "SELECT id, title, provider, model, updated_at FROM conversations c
         WHERE user_id = ?1 AND (title LIKE ?2 ESCAPE '\\' OR EXISTS (
             SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ?2 ESCAPE '\\'))
         ORDER BY updated_at DESC, id DESC LIMIT 200",
    )
    .bind(user_id)
    .bind(pattern)
    .fetch_all(&db.reads)
    .await?;
    rows.iter().map(summary_from_row).collect()
}

/// Replaces the text of a user message and deletes every later message of
/// its conversation (edit and resend). `false` when the message is not a
/// user message of that conversation.
pub async fn rewrite_from(
    db: &Db,
    conversation_id: i64,
    message_id: i64,
    content: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    let done = sqlx::query(
        "UPDATE messages SET content = ?3 WHERE id = ?2 AND conversation_id = ?1 AND role = 'user'",
    )
    .bind(conversation_id)
    .bind(message_id)
    .bind(content)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM messages WHERE conversation_id = ?1 AND id > ?2")
        .bind(conversation_id)
        .bind(message_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// Deletes the replies after the last user message (regenerate).
pub async fn delete_trailing_replies(db: &Db, conversation_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND role = 'assistant'
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND role = 'user'), 0)",
    )
    .bind(conversation_id)
    .execute(&db.writes)
    .await?;
    Ok(done.rows_affected())
}

/// Stores an imported conversation in one transaction; returns its id.
pub async fn import_conversation(
    db: &Db,
    user_id: i64,
    conversation: &Conversation,
) -> Result<i64, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    let summary = &conversation.summary;
    let settings = &conversation.settings;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO conversations (user_id, title, provider, model, system_prompt, temperature, max_tokens)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id",
    )
    .bind(user_id)
    .bind(&summary.title)
    .bind(&summary.provider)
    .bind(summary.model.as_deref())
    .bind(settings.system_prompt.as_deref())
    .bind(settings.temperature.map(f64::from))
    .bind(settings.max_tokens.map(i64::from))
    .fetch_one(&mut *tx)
    .await?;
    for message in &conversation.messages {
        // A reply that was still streaming when exported is kept as stopped.
        let status = match message.status {
            MessageStatus::Streaming => MessageStatus::Stopped,
            other => other,
        };
        sqlx::query(
            "INSERT INTO messages (conversation_id, role, content, reasoning, status, error, error_es,
             provider, notice, notice_es) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .bind(id)
        .bind(message.role.as_str())
        .bind(&message.content)
        .bind(&message.reasoning)
        .bind(status.as_str())
        .bind(message.error.as_deref())
        .bind(message.error_es.as_deref())
        .bind(message.provider.as_deref())
        .bind(message.notice.as_deref())
        .bind(message.notice_es.as_deref())
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
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
    db: &Db,
    conversation_id: i64,
    message: NewMessage<'_>,
) -> Result<ChatMessage, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
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

/// Deletes the trailing failed replies with no text before a new message (a
/// partial reply stays readable; Retry replaces replies with
/// [`delete_trailing_replies`]).
pub async fn delete_trailing_failed(db: &Db, conversation_id: i64) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND status = 'failed' AND content = ''
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND status != 'failed'), 0)",
    )
    .bind(conversation_id)
    .execute(&db.writes)
    .await?;
    Ok(done.rows_affected())
}

/// Saves the text of a reply that is still streaming.
pub async fn save_reply_text(
    db: &Db,
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
    .execute(&db.writes)
    .await?;
    Ok(())
}

/// Saves the text of several replies still streaming, in one statement
/// (the checkpoint of every live reply): `(message id, answer, reasoning)`.
/// The rows travel as one JSON array, so thousands of replies cost SQLite one
/// statement instead of a round trip to its worker thread each.
pub async fn save_replies_text(
    db: &Db,
    replies: &[(i64, String, String)],
) -> Result<(), sqlx::Error> {
    if replies.is_empty() {
        return Ok(());
    }
    let rows = serde_json::to_string(replies).map_err(|e| sqlx::Error::Encode(Box::new(e)))?;
    sqlx::query(
        "UPDATE messages SET content = saved.value ->> 1, reasoning = saved.value ->> 2
         FROM json_each(?1) AS saved
         WHERE messages.id = saved.value ->> 0 AND messages.status = 'streaming'",
    )
    .bind(rows)
    .execute(&db.writes)
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
    /// The failure in Spanish.
    pub error_es: Option<&'a str>,
    /// The notice in Spanish.
    pub notice_es: Option<&'a str>,
}

/// Stores the end of a reply and returns it as the page shows it.
pub async fn finish_reply(
    db: &Db,
    message_id: i64,
    reply: FinishedReply<'_>,
) -> Result<ChatMessage, sqlx::Error> {
    let row = sqlx::query(&format!(
        "UPDATE messages SET content = ?2, reasoning = ?3, status = ?4, error = ?5,
         prompt_tokens = ?6, completion_tokens = ?7, generation_ms = ?8, provider = ?9, notice = ?10,
         error_es = ?11, notice_es = ?12
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
    .bind(reply.error_es)
    .bind(reply.notice_es)
    .fetch_one(&db.writes)
    .await?;
    message_from_row(&row)
}

/// Text stored on replies that were streaming when the server stopped.
pub const INTERRUPTED_REPLY: &str = "This reply was cut off: the server stopped or failed while \
writing it. The text so far is kept; press Retry for a new reply.";

/// [`INTERRUPTED_REPLY`] in Spanish.
pub const INTERRUPTED_REPLY_ES: &str = "Esta respuesta se cortó: el servidor se detuvo o falló \
mientras la escribía. El texto recibido se conserva; pulsa Reintentar para obtener una respuesta nueva.";

/// Marks replies left streaming by a previous run as failed (at start-up,
/// before any new reply begins). Returns how many there were.
pub async fn fail_interrupted_replies(db: &Db) -> Result<u64, sqlx::Error> {
    let done =
        sqlx::query("UPDATE messages SET status = 'failed', error = ?1, error_es = ?2 WHERE status = 'streaming'")
            .bind(INTERRUPTED_REPLY)
            .bind(INTERRUPTED_REPLY_ES)
            .execute(&db.writes)
            .await?;
    Ok(done.rows_affected())
}

/// Marks one reply left `streaming` with no task behind it as failed, keeping
/// its text; returns it as stored. `None` when it is not streaming (any more).
pub async fn fail_interrupted_reply(
    db: &Db,
    message_id: i64,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "UPDATE messages SET status = 'failed', error = ?2, error_es = ?3
         WHERE id = ?1 AND status = 'streaming' RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(message_id)
    .bind(INTERRUPTED_REPLY)
    .bind(INTERRUPTED_REPLY_ES)
    .fetch_optional(&db.writes)
    .await?;
    row.as_ref().map(message_from_row).transpose()
}

/// The last assistant message of a conversation.
pub async fn last_reply(db: &Db, conversation_id: i64) -> Result<Option<ChatMessage>, sqlx::Error> {
    let row = sqlx::query(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1 AND role = 'assistant'
         ORDER BY id DESC LIMIT 1"
    ))
    .bind(conversation_id)
    .fetch_optional(&db.reads)
    .await?;
    row.as_ref().map(message_from_row).transpose()
}
