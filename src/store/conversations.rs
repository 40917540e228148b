//! Conversation and message queries. Every query a request makes takes the
//! owner's id and matches it in SQL, so no caller can read or change another
//! user's chat by forgetting a check. The generation task's writes name the
//! reply its turn stored ([`finish_reply`], the checkpoint's
//! [`save_replies_text`]), and the start-up sweep
//! ([`fail_interrupted_replies`]) touches every reply left streaming.
//!
//! A chat turn is one call, [`start_turn`], in one transaction: the user's
//! message and the reply that answers it are stored together or not at all.

use super::Db;
use crate::failure::{Failover, Failure, LeftOut};
use crate::model::{
    ChatMessage, ChatSettings, Conversation, ConversationSummary, MessageStatus, Role, Usage,
};
use crate::providers::chunk::TokenCounts;
use sqlx::{Sqlite, SqliteConnection, Transaction};

/// A conversation's sidebar entry as stored.
#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    title: String,
    provider: String,
    model: Option<String>,
    updated_at: String,
}

impl From<SummaryRow> for ConversationSummary {
    fn from(row: SummaryRow) -> Self {
        ConversationSummary {
            id: row.id,
            title: row.title,
            provider: row.provider,
            model: row.model,
            updated_at: row.updated_at,
        }
    }
}

/// A conversation with its settings and how many messages it has.
#[derive(sqlx::FromRow)]
struct ConversationRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    system_prompt: Option<String>,
    temperature: Option<f64>,
    max_tokens: Option<i64>,
    message_count: i64,
}

impl ConversationRow {
    fn settings(&self) -> ChatSettings {
        ChatSettings {
            system_prompt: self.system_prompt.clone(),
            temperature: self.temperature.map(|t| t as f32),
            max_tokens: self.max_tokens.and_then(|n| u32::try_from(n).ok()),
        }
    }
}

/// A message as stored; [`MESSAGE_COLUMNS`] are its columns.
#[derive(sqlx::FromRow)]
struct MessageRow {
    id: i64,
    role: String,
    content: String,
    reasoning: String,
    status: String,
    failure: Option<String>,
    provider: Option<String>,
    prompt_tokens: Option<i64>,
    completion_tokens: Option<i64>,
    generation_ms: Option<i64>,
    failover: Option<String>,
    left_out: Option<String>,
}

/// Reads a stored JSON value. A value this version cannot read is logged
/// and left out, never a reason to refuse the whole conversation.
fn stored_json<T: serde::de::DeserializeOwned>(raw: Option<String>, what: &str) -> Option<T> {
    let raw = raw?;
    match serde_json::from_str(&raw) {
        Ok(value) => Some(value),
        Err(err) => {
            tracing::warn!(%err, what, "a stored value could not be read");
            None
        }
    }
}

/// A value stored as JSON.
fn to_json<T: serde::Serialize>(value: Option<&T>) -> Option<String> {
    value.and_then(|v| serde_json::to_string(v).ok())
}

impl TryFrom<MessageRow> for ChatMessage {
    type Error = sqlx::Error;

    fn try_from(row: MessageRow) -> Result<Self, Self::Error> {
        let role = Role::parse(&row.role)
            .ok_or_else(|| sqlx::Error::Decode(format!("unknown role '{}'", row.role).into()))?;
        Ok(ChatMessage {
            id: row.id,
            role,
            content: row.content,
            reasoning: row.reasoning,
            status: MessageStatus::parse(&row.status),
            failure: stored_json(row.failure, "failure"),
            error: None,
            provider: row.provider,
            usage: usage_from(row.prompt_tokens, row.completion_tokens, row.generation_ms),
            failover: stored_json(row.failover, "failover"),
            left_out: stored_json(row.left_out, "left_out"),
            notice: None,
            html: None,
        })
    }
}

/// The message columns every query reads, as [`MessageRow`] names them.
const MESSAGE_COLUMNS: &str = "id, role, content, reasoning, status, failure, provider, \
     prompt_tokens, completion_tokens, generation_ms, failover, left_out";

/// The conversations a user owns, for `conversation_id IN (...)`; binds `?1` as the user id.
const OWNED_BY_USER: &str = "SELECT id FROM conversations WHERE user_id = ?1";

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

fn messages_from(rows: Vec<MessageRow>) -> Result<Vec<ChatMessage>, sqlx::Error> {
    rows.into_iter().map(ChatMessage::try_from).collect()
}

fn summaries_from(rows: Vec<SummaryRow>) -> Vec<ConversationSummary> {
    rows.into_iter().map(ConversationSummary::from).collect()
}

/// The user's conversations for the sidebar, most recently changed first:
/// the latest 2,000 (search finds the older ones).
pub async fn list_conversations(
    db: &Db,
    user_id: i64,
) -> Result<Vec<ConversationSummary>, sqlx::Error> {
    let rows = sqlx::query_as::<_, SummaryRow>(
        "SELECT id, title, provider, model, updated_at FROM conversations
         WHERE user_id = ?1 ORDER BY updated_at DESC, id DESC LIMIT 2000",
    )
    .bind(user_id)
    .fetch_all(&db.reads)
    .await?;
    Ok(summaries_from(rows))
}

/// Whether the conversation exists and belongs to the user (no messages read).
pub async fn owns_conversation(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
) -> Result<bool, sqlx::Error> {
    let mut conn = db.reads.acquire().await?;
    owns(&mut conn, user_id, conversation_id).await
}

async fn owns(
    conn: &mut SqliteConnection,
    user_id: i64,
    conversation_id: i64,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM conversations WHERE id = ?1 AND user_id = ?2)")
        .bind(conversation_id)
        .bind(user_id)
        .fetch_one(conn)
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
    let mut conn = db.reads.acquire().await?;
    load(&mut conn, user_id, conversation_id, limit).await
}

async fn load(
    conn: &mut SqliteConnection,
    user_id: i64,
    conversation_id: i64,
    limit: Option<u32>,
) -> Result<Option<Conversation>, sqlx::Error> {
    let Some(row) = sqlx::query_as::<_, ConversationRow>(
        "SELECT id, title, provider, model, updated_at, system_prompt, temperature, max_tokens,
         (SELECT COUNT(*) FROM messages WHERE conversation_id = ?1) AS message_count
         FROM conversations WHERE id = ?1 AND user_id = ?2",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(&mut *conn)
    .await?
    else {
        return Ok(None);
    };
    let limit = limit.map_or(i64::MAX, i64::from);
    // The newest `limit` messages, put back in order.
    let rows = sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT * FROM (SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?1
         ORDER BY id DESC LIMIT ?2) ORDER BY id"
    ))
    .bind(conversation_id)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?;
    let messages = messages_from(rows)?;
    let earlier =
        u32::try_from(row.message_count.saturating_sub(messages.len() as i64)).unwrap_or(u32::MAX);
    Ok(Some(Conversation {
        settings: row.settings(),
        summary: row.summary.into(),
        messages,
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

/// Stores how the model answers in a conversation of the user's; `false`
/// when there is none.
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
    let rows = sqlx::query_as::<_, SummaryRow>(
        "SELECT id, title, provider, model, updated_at FROM conversations c
         WHERE user_id = ?1 AND (title LIKE ?2 ESCAPE '\\' OR EXISTS (
             SELECT 1 FROM messages m WHERE m.conversation_id = c.id AND m.content LIKE ?2 ESCAPE '\\'))
         ORDER BY updated_at DESC, id DESC LIMIT 200",
    )
    .bind(user_id)
    .bind(pattern)
    .fetch_all(&db.reads)
    .await?;
    Ok(summaries_from(rows))
}

/// What a chat turn does before its reply is written.
#[derive(Debug, Clone, Copy)]
pub enum TurnStep<'a> {
    /// A new message, in a conversation of the user's or, with `None`, in a
    /// new one titled `title`. A failed reply with no text before it gives
    /// way; a partial one stays readable.
    Message {
        /// The conversation, or `None` for a new one.
        conversation_id: Option<i64>,
        /// Title of a new conversation.
        title: &'a str,
        /// The message.
        content: &'a str,
    },
    /// Answer the last message again (Retry, Regenerate): the replies after
    /// it are replaced.
    AnswerAgain {
        /// The conversation.
        conversation_id: i64,
    },
    /// Change one of the user's messages and answer it again: every later
    /// message is replaced.
    Edit {
        /// The conversation.
        conversation_id: i64,
        /// The user message to change.
        message_id: i64,
        /// Its new text.
        content: &'a str,
    },
}

/// The provider and model a turn's reply comes from, remembered as the
/// conversation's choice.
#[derive(Debug, Clone, Copy)]
pub struct TurnChoice<'a> {
    /// Provider id.
    pub provider: &'a str,
    /// Model, `None` for the provider's default.
    pub model: Option<&'a str>,
}

/// A turn as stored.
#[derive(Debug)]
pub struct StartedTurn<H> {
    /// The conversation with every message the provider may read (the new
    /// reply is the last one; it is streaming, so it is not sent).
    pub conversation: Conversation,
    /// The message the step added (`None` for [`TurnStep::AnswerAgain`]).
    pub user_message: Option<ChatMessage>,
    /// The empty streaming reply its task will write.
    pub reply: ChatMessage,
    /// What `hold` gave for the conversation.
    pub hold: H,
}

/// Why a turn was not started; nothing was stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TurnRefused {
    /// The conversation does not exist or is someone else's.
    NotFound,
    /// `hold` refused the conversation (a reply is being written in it).
    Busy,
    /// `hold` refused: the account has as many replies being written as it
    /// may (`MAX_REPLIES_PER_ACCOUNT`).
    TooManyReplies,
    /// `hold` refused: the server writes as many replies as it may
    /// (`MAX_REPLIES_IN_ALL`).
    ServerBusy,
    /// Nothing to answer again: the last message is not the user's.
    NothingToAnswer,
    /// The message to edit is not a user message of that conversation.
    NotAUserMessage,
}

/// Stores one step of a chat turn and the empty reply that answers it, in
/// one transaction, then reads the history the provider should see. `hold`
/// reserves the conversation for this reply: it is called once the
/// conversation is known to be the user's and before any message is written
/// (a new conversation's row comes first, and goes again if `hold` refuses);
/// what it refuses with is the answer.
pub async fn start_turn<H>(
    db: &Db,
    user_id: i64,
    step: TurnStep<'_>,
    choice: TurnChoice<'_>,
    hold: impl FnOnce(i64) -> Result<H, TurnRefused>,
) -> Result<Result<StartedTurn<H>, TurnRefused>, sqlx::Error> {
    let mut tx = db.writes.begin().await?;
    let conversation_id = match step {
        TurnStep::Message {
            conversation_id: None,
            title,
            ..
        } => sqlx::query_scalar(
            "INSERT INTO conversations (user_id, title, provider) VALUES (?1, ?2, ?3) RETURNING id",
        )
        .bind(user_id)
        .bind(title)
        .bind(choice.provider)
        .fetch_one(&mut *tx)
        .await?,
        TurnStep::Message {
            conversation_id: Some(id),
            ..
        }
        | TurnStep::AnswerAgain {
            conversation_id: id,
        }
        | TurnStep::Edit {
            conversation_id: id,
            ..
        } => {
            if !owns(&mut tx, user_id, id).await? {
                return Ok(Err(TurnRefused::NotFound));
            }
            id
        }
    };
    let hold = match hold(conversation_id) {
        Ok(hold) => hold,
        Err(refused) => return Ok(Err(refused)),
    };
    let user_message = match step {
        TurnStep::Message { content, .. } => {
            delete_trailing_failed(&mut tx, conversation_id).await?;
            Some(insert_message(&mut tx, conversation_id, Role::User, content, None).await?)
        }
        TurnStep::AnswerAgain { .. } => {
            delete_trailing_replies(&mut tx, conversation_id).await?;
            None
        }
        TurnStep::Edit {
            message_id,
            content,
            ..
        } => {
            if !rewrite_from(&mut tx, conversation_id, message_id, content).await? {
                return Ok(Err(TurnRefused::NotAUserMessage));
            }
            None
        }
    };
    sqlx::query(
        "UPDATE conversations SET provider = ?2, model = ?3,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?1",
    )
    .bind(conversation_id)
    .bind(choice.provider)
    .bind(choice.model)
    .execute(&mut *tx)
    .await?;
    let last_role: Option<String> = sqlx::query_scalar(
        "SELECT role FROM messages WHERE conversation_id = ?1 ORDER BY id DESC LIMIT 1",
    )
    .bind(conversation_id)
    .fetch_optional(&mut *tx)
    .await?;
    if last_role.as_deref() != Some(Role::User.as_str()) {
        return Ok(Err(TurnRefused::NothingToAnswer));
    }
    let reply = insert_message(
        &mut tx,
        conversation_id,
        Role::Assistant,
        "",
        Some(choice.provider),
    )
    .await?;
    tx.commit().await?;
    // The history is read after the commit, on a reading connection, so a
    // long chat never holds up the one connection that writes; the hold
    // keeps other turns of this conversation out meanwhile.
    let mut conn = db.reads.acquire().await?;
    let Some(conversation) = load(&mut conn, user_id, conversation_id, None).await? else {
        // Deleted by its owner in the moment since the commit.
        return Ok(Err(TurnRefused::NotFound));
    };
    Ok(Ok(StartedTurn {
        conversation,
        user_message,
        reply,
        hold,
    }))
}

/// Appends a message: a complete user message, or (with its provider) a
/// reply about to stream.
async fn insert_message(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: i64,
    role: Role,
    content: &str,
    provider: Option<&str>,
) -> Result<ChatMessage, sqlx::Error> {
    let status = match role {
        Role::Assistant => MessageStatus::Streaming,
        _ => MessageStatus::Complete,
    };
    sqlx::query_as::<_, MessageRow>(&format!(
        "INSERT INTO messages (conversation_id, role, content, status, provider)
         VALUES (?1, ?2, ?3, ?4, ?5) RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(conversation_id)
    .bind(role.as_str())
    .bind(content)
    .bind(status.as_str())
    .bind(provider)
    .fetch_one(&mut **tx)
    .await?
    .try_into()
}

/// Deletes the trailing failed replies with no text (before a new message).
async fn delete_trailing_failed(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND status = 'failed' AND content = ''
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND status != 'failed'), 0)",
    )
    .bind(conversation_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Deletes the replies after the last user message (Retry, Regenerate).
async fn delete_trailing_replies(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: i64,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "DELETE FROM messages WHERE conversation_id = ?1 AND role = 'assistant'
         AND id > COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = ?1 AND role = 'user'), 0)",
    )
    .bind(conversation_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Replaces the text of a user message and deletes every later message of
/// its conversation; `false` when it is not a user message of that
/// conversation.
async fn rewrite_from(
    tx: &mut Transaction<'_, Sqlite>,
    conversation_id: i64,
    message_id: i64,
    content: &str,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE messages SET content = ?3 WHERE id = ?2 AND conversation_id = ?1 AND role = 'user'",
    )
    .bind(conversation_id)
    .bind(message_id)
    .bind(content)
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query("DELETE FROM messages WHERE conversation_id = ?1 AND id > ?2")
        .bind(conversation_id)
        .bind(message_id)
        .execute(&mut **tx)
        .await?;
    Ok(true)
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
            "INSERT INTO messages (conversation_id, role, content, reasoning, status, failure,
             provider, failover, left_out) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )
        .bind(id)
        .bind(message.role.as_str())
        .bind(&message.content)
        .bind(&message.reasoning)
        .bind(status.as_str())
        .bind(to_json(message.failure.as_deref()))
        .bind(message.provider.as_deref())
        .bind(to_json(message.failover.as_deref()))
        .bind(to_json(message.left_out.as_deref()))
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(id)
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
    pub failure: Option<&'a Failure>,
    /// Token counts, when reported.
    pub usage: Option<TokenCounts>,
    /// Milliseconds from the first token to the last.
    pub generation_ms: Option<i64>,
    /// Id of the provider that answered.
    pub provider: &'a str,
    /// Why another provider than the chosen one answered.
    pub failover: Option<&'a Failover>,
    /// The oldest messages not sent to the model, if any.
    pub left_out: Option<&'a LeftOut>,
}

/// Stores the end of a reply of the user's and returns it as the page
/// shows it; `None` when there is no such reply (its chat was deleted while
/// it was written).
pub async fn finish_reply(
    db: &Db,
    user_id: i64,
    message_id: i64,
    reply: FinishedReply<'_>,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    sqlx::query_as::<_, MessageRow>(&format!(
        "UPDATE messages SET content = ?3, reasoning = ?4, status = ?5, failure = ?6,
         prompt_tokens = ?7, completion_tokens = ?8, generation_ms = ?9, provider = ?10, failover = ?11,
         left_out = ?12 WHERE id = ?2 AND conversation_id IN ({OWNED_BY_USER}) RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(user_id)
    .bind(message_id)
    .bind(reply.content)
    .bind(reply.reasoning)
    .bind(reply.status.as_str())
    .bind(to_json(reply.failure))
    .bind(reply.usage.and_then(|u| u.prompt_tokens))
    .bind(reply.usage.map(|u| u.completion_tokens))
    .bind(reply.generation_ms)
    .bind(reply.provider)
    .bind(to_json(reply.failover))
    .bind(to_json(reply.left_out))
    .fetch_optional(&db.writes)
    .await?
    .map(ChatMessage::try_from)
    .transpose()
}

/// What replies that were streaming when the server stopped store.
fn interrupted() -> Option<String> {
    to_json(Some(&Failure::Interrupted))
}

/// Marks replies left streaming by a previous run as failed (at start-up,
/// before any new reply begins). Returns how many there were.
pub async fn fail_interrupted_replies(db: &Db) -> Result<u64, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE messages SET status = 'failed', failure = ?1 WHERE status = 'streaming'",
    )
    .bind(interrupted())
    .execute(&db.writes)
    .await?;
    Ok(done.rows_affected())
}

/// Marks one reply of the user's left `streaming` with no task behind it as
/// failed, keeping its text; returns it as stored. `None` when it is not
/// streaming (any more).
pub async fn fail_interrupted_reply(
    db: &Db,
    user_id: i64,
    message_id: i64,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    sqlx::query_as::<_, MessageRow>(&format!(
        "UPDATE messages SET status = 'failed', failure = ?3
         WHERE id = ?2 AND status = 'streaming' AND conversation_id IN ({OWNED_BY_USER})
         RETURNING {MESSAGE_COLUMNS}"
    ))
    .bind(user_id)
    .bind(message_id)
    .bind(interrupted())
    .fetch_optional(&db.writes)
    .await?
    .map(ChatMessage::try_from)
    .transpose()
}

/// The last assistant message of a conversation of the user's.
pub async fn last_reply(
    db: &Db,
    user_id: i64,
    conversation_id: i64,
) -> Result<Option<ChatMessage>, sqlx::Error> {
    sqlx::query_as::<_, MessageRow>(&format!(
        "SELECT {MESSAGE_COLUMNS} FROM messages WHERE conversation_id = ?2 AND role = 'assistant'
         AND conversation_id IN ({OWNED_BY_USER}) ORDER BY id DESC LIMIT 1"
    ))
    .bind(user_id)
    .bind(conversation_id)
    .fetch_optional(&db.reads)
    .await?
    .map(ChatMessage::try_from)
    .transpose()
}
