//! `GET /api/chats/{id}/stream`: follow the reply being written in a
//! conversation, as Server-Sent Events.
//!
//! - `snapshot`: the text so far (replace what you have);
//! - `delta`: text added since the last event (append);
//! - both carry `html` when the rendered answer changes: keep that many bytes
//!   of the HTML you hold and append the rest (a snapshot keeps 0). The page
//!   shows replies from it, so it needs no Markdown parser of its own;
//! - `status`: `{"text": …, "text_es": …}` what the reply waits for (a model loading), or
//!   `null` text once it goes on;
//! - `done`: the stored message as it ended (`null` when the chat has no reply).
//!
//! Event ids are `message:answer_bytes:reasoning_bytes`; a reconnect with
//! `Last-Event-ID` continues exactly after what the client already has.

use crate::auth::session::AuthUser;
use crate::error::AppError;
use crate::generation::{LiveReply, ReplyProgress};
use crate::i18n::Lang;
use crate::model::{ChatMessage, HtmlPatch, MessageStatus, StatusLine, StreamText};
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

/// The stored message as it ended, its answer rendered for the page.
fn done_event(message: Option<&ChatMessage>, lang: Lang, admin: bool) -> Event {
    let id = message.map_or(0, |m| m.id);
    let message = message.cloned().map(|mut m| {
        crate::markdown::render_for_page(&mut m, lang, admin);
        m
    });
    Event::default()
        .event("done")
        .id(format!("{id}:done"))
        .data(serde_json::to_string(&message).unwrap_or_else(|_| "null".into()))
}

/// The rendered answer one follower holds, so each text event carries only
/// the change ([`HtmlPatch`]). It starts empty, also after a reconnect: the
/// first patch then carries the whole answer.
#[derive(Default)]
struct ShownHtml {
    /// The answer text `html` shows.
    answer: String,
    html: String,
    /// A patch went out on this connection: the follower holds `html`.
    sent: bool,
}

impl ShownHtml {
    /// The patch that brings the follower to `content` (the whole reply text
    /// it holds), or `None` when the HTML does not change.
    fn patch_to(&mut self, content: &str, lang: Lang) -> Option<HtmlPatch> {
        let answer = crate::think::split_think(content).answer;
        if answer == self.answer && self.sent {
            return None;
        }
        let html = crate::markdown::extended_html(&self.answer, &self.html, &answer)
            .unwrap_or_else(|| crate::markdown::to_safe_html(&answer, lang));
        self.answer = answer;
        // The first patch of a connection always goes: after a reconnect
        // the page may hold HTML this connection never sent.
        if html == self.html && self.sent {
            return None;
        }
        let patch = HtmlPatch::between(&self.html, &html);
        self.html = html;
        self.sent = true;
        Some(patch)
    }
}

enum Phase {
    Snapshot,
    /// Following from a position, having seen this status version.
    Live(FollowPosition, u64),
    Done,
}

/// The events of a live reply, from `resume` when it fits, else from a
/// snapshot; answers are rendered in `lang`.
pub fn live_events(
    live: Arc<LiveReply>,
    resume: Option<FollowPosition>,
    lang: Lang,
    admin: bool,
) -> Events {
    let changes = live.subscribe();
    let phase = match resume {
        Some(position) if position.message_id == live.message_id => Phase::Live(position, 0),
        _ => Phase::Snapshot,
    };
    stream::unfold(
        (live, changes, phase, ShownHtml::default()),
        move |(live, mut changes, mut phase, mut shown)| async move {
            loop {
                // Marked seen before reading, so no change can slip between.
                changes.borrow_and_update();
                match phase {
                    Phase::Done => return None,
                    Phase::Snapshot => {
                        if let Some(message) = live.finished() {
                            return Some((
                                Ok(done_event(Some(&message), lang, admin)),
                                (live, changes, Phase::Done, shown),
                            ));
                        }
                        let (content, reasoning) = live.snapshot();
                        let position = FollowPosition {
                            message_id: live.message_id,
                            content_len: content.len(),
                            reasoning_len: reasoning.len(),
                        };
                        // A snapshot replaces what the page had: all of it.
                        shown = ShownHtml::default();
                        let html = shown.patch_to(&content, lang);
                        let text = StreamText {
                            content,
                            reasoning,
                            html,
                        };
                        let event = text_event("snapshot", &text, position);
                        return Some((Ok(event), (live, changes, Phase::Live(position, 0), shown)));
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
                                let html = if content.is_empty() {
                                    None
                                } else {
                                    live.answer_upto(content_len)
                                        .and_then(|answer| shown.patch_to(&answer, lang))
                                };
                                let text = StreamText {
                                    content,
                                    reasoning,
                                    html,
                                };
                                let event = text_event("delta", &text, next);
                                return Some((
                                    Ok(event),
                                    (live, changes, Phase::Live(next, status_seen), shown),
                                ));
                            }
                            ReplyProgress::Status { text, version } => {
                                let event = Event::default()
                                    .event("status")
                                    .id(position.event_id())
                                    .data(match &text {
                                        Some(waiting) => serde_json::to_string(&StatusLine {
                                            text: lang.waiting(waiting),
                                        })
                                        .unwrap_or_else(|_| r#"{"text":null}"#.into()),
                                        None => r#"{"text":null}"#.to_string(),
                                    });
                                return Some((
                                    Ok(event),
                                    (live, changes, Phase::Live(position, version), shown),
                                ));
                            }
                            ReplyProgress::Finished(message) => {
                                return Some((
                                    Ok(done_event(Some(&message), lang, admin)),
                                    (live, changes, Phase::Done, shown),
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
    let lang = crate::i18n::lang_of_request(&headers);
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
        Some(live) if live.followers() >= state.config.max_followers_per_chat => {
            return Err(AppError::TooManyFollowers {
                limit: state.config.max_followers_per_chat,
            });
        }
        Some(live) => live_events(live, resume, lang, user.is_admin),
        None => {
            let mut last = crate::store::last_reply(&state.db, user.id, conversation_id).await?;
            if let Some(orphan) = last
                .as_ref()
                .filter(|m| m.status == MessageStatus::Streaming)
            {
                // No task writes it (it failed or the server lost it): say so
                // instead of letting the page follow it forever.
                let id = orphan.id;
                last = crate::store::fail_interrupted_reply(&state.db, user.id, id)
                    .await?
                    .or(crate::store::last_reply(&state.db, user.id, conversation_id).await?);
            }
            stream::iter([Ok(done_event(last.as_ref(), lang, user.is_admin))]).boxed()
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

    /// What the page holds after following `pieces` arriving one by one.
    fn followed(pieces: &[&str]) -> ChatMessage {
        use crate::components::follow::{apply_text, parse_event};
        let mut page = ChatMessage::new(
            1,
            crate::model::Role::Assistant,
            "",
            MessageStatus::Streaming,
        );
        let mut shown = ShownHtml::default();
        let mut sent = String::new();
        for (i, piece) in pieces.iter().enumerate() {
            sent.push_str(piece);
            let text = StreamText {
                content: piece.to_string(),
                reasoning: String::new(),
                html: shown.patch_to(&sent, Lang::En),
            };
            let kind = if i == 0 { "snapshot" } else { "delta" };
            let wire = serde_json::to_string(&text).expect("serialises");
            let event = parse_event(kind, &wire).expect("the page reads it");
            apply_text(&mut page, &event);
        }
        page
    }

    #[test]
    fn the_page_ends_with_the_answer_rendered_whole() {
        let pieces = [
            "Here is **bo",
            "ld** text and a list:\n\n- o",
            "ne\n- two\n\n```rust\nfn main() {",
            "}\n```\n\n| a | b |\n|---|---|\n| é | ñ |",
            "\n\n<think>no</think>Done <script>x</script>",
        ];
        let page = followed(&pieces);
        let whole = pieces.concat();
        assert_eq!(page.content, whole);
        assert_eq!(
            page.html.as_deref(),
            Some(crate::markdown::answer_html(&whole, Lang::En).as_str())
        );
        assert!(page
            .html
            .unwrap_or_default()
            .contains("<strong>bold</strong>"));
    }

    #[test]
    fn a_new_connection_always_sends_the_answer_it_shows() {
        // After a reconnect the answer may render to nothing (its text turned
        // out to be reasoning); the page must still be told.
        let mut shown = ShownHtml::default();
        let first = shown.patch_to("abc</think>", Lang::En);
        assert_eq!(
            first,
            Some(HtmlPatch {
                keep: 0,
                add: String::new()
            })
        );
        assert_eq!(shown.patch_to("abc</think>", Lang::En), None);
    }

    #[test]
    fn patches_are_about_as_long_as_the_text_that_arrived() {
        let mut shown = ShownHtml::default();
        let mut answer = String::new();
        let mut patch_bytes = 0;
        for word in 0..400 {
            answer.push_str(&format!("word{word} "));
            if let Some(patch) = shown.patch_to(&answer, Lang::En) {
                patch_bytes += patch.add.len();
            }
        }
        let html = crate::markdown::answer_html(&answer, Lang::En);
        // Each patch re-sends the paragraph's closing tag, nothing more.
        assert!(
            patch_bytes < html.len() + 400 * "</p>\n".len(),
            "{patch_bytes}"
        );
        assert_eq!(
            shown.patch_to(&answer, Lang::En),
            None,
            "no change, no patch"
        );
    }

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
