//! `GET /api/chats/{id}/stream`: follow the reply being written in a
//! conversation, as Server-Sent Events.
//!
//! - `snapshot`: the text so far (replace what you have);
//! - `delta`: text added since the last event (append);
//! - `status`: `{"text": …, "text_es": …}` what the reply waits for (a model loading), or
//!   `null` text once it goes on;
//! - `done`: the stored message as it ended (`null` when the chat has no reply).
//!
//! Event ids are `message:answer_bytes:reasoning_bytes`; a reconnect with
//! `Last-Event-ID` continues exactly after what the client already has.

use crate::auth::session::AuthUser;
use crate::error::AppError;
use crate::generation::{LiveReply, ReplyProgress};
use crate::model::{ChatMessage, MessageStatus, StreamText};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::convert::Infallible;
use std::sync::Arc;

/// Where a follower is in a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowPosition {
    /// The reply's message id.
    pub message_id: i64,
    /// Bytes of answer text already received.
    pub content_len: usize,
    /// Bytes of reasoning already received.
    pub reasoning_len: usize,
}

impl FollowPosition {
    /// The SSE event id for this position.
    pub fn event_id(&self) -> String {
        format!(
            "{}:{}:{}",
            self.message_id, self.content_len, self.reasoning_len
        )
    }

    /// Reads a `Last-Event-ID`; anything malformed reads as `None` (the
    /// follower then gets a snapshot).
    pub fn parse(id: &str) -> Option<FollowPosition> {
        let mut parts = id.trim().split(':');
        let position = FollowPosition {
            message_id: parts.next()?.parse().ok()?,
            content_len: parts.next()?.parse().ok()?,
            reasoning_len: parts.next()?.parse().ok()?,
        };
        parts.next().is_none().then_some(position)
    }
}

type Events = BoxStream<'static, Result<Event, Infallible>>;

fn text_event(kind: &str, text: &StreamText, position: FollowPosition) -> Event {
    Event::default()
        .event(kind)
        .id(position.event_id())
        .data(serde_json::to_string(text).unwrap_or_default())
}

fn done_event(message: Option<&ChatMessage>) -> Event {
    let id = message.map_or(0, |m| m.id);
    Event::default()
        .event("done")
        .id(format!("{id}:done"))
        .data(serde_json::to_string(&message).unwrap_or_else(|_| "null".into()))
}

enum Phase {
    Snapshot,
    /// Following from a position, having seen this status version.
    Live(FollowPosition, u64),
    Done,
}

/// The events of a live reply, from `resume` when it fits, else from a snapshot.
pub fn live_events(live: Arc<LiveReply>, resume: Option<FollowPosition>) -> Events {
    let changes = live.subscribe();
    let phase = match resume {
        Some(position) if position.message_id == live.message_id => Phase::Live(position, 0),
        _ => Phase::Snapshot,
    };
    stream::unfold(
        (live, changes, phase),
        |(live, mut changes, mut phase)| async move {
            loop {
                // Marked seen before reading, so no change can slip between.
                changes.borrow_and_update();
                match phase {
                    Phase::Done => return None,
                    Phase::Snapshot => {
                        if let Some(message) = live.finished() {
                            return Some((
                                Ok(done_event(Some(&message))),
                                (live, changes, Phase::Done),
                            ));
                        }
                        let (content, reasoning) = live.snapshot();
                        let position = FollowPosition {
                            message_id: live.message_id,
                            content_len: content.len(),
                            reasoning_len: reasoning.len(),
                        };
                        let event =
                            text_event("snapshot", &StreamText { content, reasoning }, position);
                        return Some((Ok(event), (live, changes, Phase::Live(position, 0))));
                    }
                    Phase::Live(position, status_seen) => {
                        match live.progress_since(
                            position.content_len,
                            position.reasoning_len,
                            status_seen,
                        ) {
                            ReplyProgress::Delta {
                                content,
                                reasoning,
                                content_len,
                                reasoning_len,
                            } => {
                                let next = FollowPosition {
                                    content_len,
                                    reasoning_len,
                                    ..position
                                };
                                let event =
                                    text_event("delta", &StreamText { content, reasoning }, next);
                                return Some((
                                    Ok(event),
                                    (live, changes, Phase::Live(next, status_seen)),
                                ));
                            }
                            ReplyProgress::Status { text, version } => {
                                let event = Event::default()
                                    .event("status")
                                    .id(position.event_id())
                                    .data(match &text {
                                        Some(line) => serde_json::to_string(line)
                                            .unwrap_or_else(|_| r#"{"text":null}"#.into()),
                                        None => r#"{"text":null}"#.to_string(),
                                    });
                                return Some((
                                    Ok(event),
                                    (live, changes, Phase::Live(position, version)),
                                ));
                            }
                            ReplyProgress::Finished(message) => {
                                return Some((
                                    Ok(done_event(Some(&message))),
                                    (live, changes, Phase::Done),
                                ));
                            }
                            ReplyProgress::BadOffsets => phase = Phase::Snapshot,
                            ReplyProgress::Nothing => {
                                if changes.changed().await.is_err() {
                                    return None;
                                }
                            }
                        }
                    }
                }
            }
        },
    )
    .boxed()
}

async fn follow(
    State(state): State<AppState>,
    AuthUser(user): AuthUser,
    Path(conversation_id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    super::service::require_owner(&state, &user, conversation_id).await?;
    let resume = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(FollowPosition::parse);
    // A send that holds the conversation starts its reply within moments:
    // wait for it rather than report the previous reply as the last one.
    let mut live = state.generations.get(conversation_id);
    for _ in 0..100 {
        if live.is_some() || !state.generations.is_live(conversation_id) {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        live = state.generations.get(conversation_id);
    }
    let events = match live {
        Some(live) => live_events(live, resume),
        None => {
            let mut last = crate::store::last_reply(&state.db, conversation_id).await?;
            if let Some(orphan) = last
                .as_ref()
                .filter(|m| m.status == MessageStatus::Streaming)
            {
                // No task writes it (it failed or the server lost it): say so
                // instead of letting the page follow it forever.
                let id = orphan.id;
                last = crate::store::fail_interrupted_reply(&state.db, id)
                    .await?
                    .or(crate::store::last_reply(&state.db, conversation_id).await?);
            }
            stream::iter([Ok(done_event(last.as_ref()))]).boxed()
        }
    };
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}

/// The follow route.
pub fn router() -> axum::Router<AppState> {
    axum::Router::new().route("/api/chats/{id}/stream", axum::routing::get(follow))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_ids_round_trip() {
        let p = FollowPosition {
            message_id: 42,
            content_len: 17,
            reasoning_len: 0,
        };
        assert_eq!(FollowPosition::parse(&p.event_id()), Some(p));
        assert_eq!(FollowPosition::parse("42:done"), None);
        assert_eq!(FollowPosition::parse("1:2:3:4"), None);
        assert_eq!(FollowPosition::parse("x"), None);
    }
}
