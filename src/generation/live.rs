//! One reply being written: its text so far, who is waiting for more, and
//! the switch that stops it.

use crate::failure::Waiting;
use crate::model::ChatMessage;
use std::sync::{Mutex, MutexGuard};
use tokio::sync::watch;

#[derive(Debug, Default)]
struct Text {
    content: String,
    reasoning: String,
    finished: Option<ChatMessage>,
    /// What the task is waiting for, e.g. a model loading; with a version so
    /// followers see each change once.
    status: Option<Waiting>,
    status_version: u64,
    /// Bytes of text the last checkpoint stored.
    saved_len: usize,
}

/// What a follower has not seen yet.
#[derive(Debug, Clone, PartialEq)]
pub enum ReplyProgress {
    /// New text since the follower's offsets, and the offsets after it.
    Delta {
        /// Answer text added.
        content: String,
        /// Reasoning text added.
        reasoning: String,
        /// Byte length of the answer after this delta.
        content_len: usize,
        /// Byte length of the reasoning after this delta.
        reasoning_len: usize,
    },
    /// The task's status line changed (`None`: cleared).
    Status {
        /// The line to show.
        text: Option<Waiting>,
        /// Its version, to pass back to [`LiveReply::progress_since`].
        version: u64,
    },
    /// The reply is over; this is the stored message.
    Finished(ChatMessage),
    /// Nothing new yet.
    Nothing,
    /// The offsets do not fit this reply (a stale Last-Event-ID).
    BadOffsets,
}

/// A reply being written by a server task.
#[derive(Debug)]
pub struct LiveReply {
    /// Its conversation.
    pub conversation_id: i64,
    /// The stored assistant message it fills.
    pub message_id: i64,
    text: Mutex<Text>,
    version: watch::Sender<u64>,
    stop: watch::Sender<bool>,
}

impl LiveReply {
    /// A reply with no text yet.
    pub fn new(conversation_id: i64, message_id: i64) -> Self {
        LiveReply {
            conversation_id,
            message_id,
            text: Mutex::new(Text::default()),
            version: watch::channel(0).0,
            stop: watch::channel(false).0,
        }
    }

    fn text(&self) -> MutexGuard<'_, Text> {
        self.text.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn bump(&self) {
        self.version.send_modify(|v| *v += 1);
    }

    /// Adds text and wakes the followers.
    pub fn append(&self, content: &str, reasoning: &str) {
        if content.is_empty() && reasoning.is_empty() {
            return;
        }
        {
            let mut text = self.text();
            text.content.push_str(content);
            text.reasoning.push_str(reasoning);
        }
        self.bump();
    }

    /// Sets the status line followers show while nothing streams.
    pub fn set_status(&self, status: Option<Waiting>) {
        {
            let mut text = self.text();
            text.status = status;
            text.status_version += 1;
        }
        self.bump();
    }

    /// The status line and its version.
    pub fn status(&self) -> (Option<Waiting>, u64) {
        let text = self.text();
        (text.status.clone(), text.status_version)
    }

    /// The text so far: (answer, reasoning).
    pub fn snapshot(&self) -> (String, String) {
        let text = self.text();
        (text.content.clone(), text.reasoning.clone())
    }

    /// The first `len` bytes of the reply's content (inline `<think>` tags
    /// included): text only grows, so this is what a follower that has seen
    /// `len` bytes holds.
    pub fn answer_upto(&self, len: usize) -> Option<String> {
        self.text().content.get(..len).map(str::to_string)
    }

    /// The text so far, when it grew since the last call (the periodic
    /// checkpoint stores it); `None` once the reply is finished.
    pub fn unsaved_text(&self) -> Option<(String, String)> {
        let mut text = self.text();
        let len = text.content.len() + text.reasoning.len();
        if text.finished.is_some() || len == text.saved_len {
            return None;
        }
        text.saved_len = len;
        Some((text.content.clone(), text.reasoning.clone()))
    }

    /// Marks the reply finished with its stored form.
    pub fn finish(&self, message: ChatMessage) {
        self.text().finished = Some(message);
        self.bump();
    }

    /// The stored form, once finished.
    pub fn finished(&self) -> Option<ChatMessage> {
        self.text().finished.clone()
    }

    /// What a follower that has seen `content_len` and `reasoning_len` bytes
    /// and status version `status_seen` has not seen yet.
    pub fn progress_since(
        &self,
        content_len: usize,
        reasoning_len: usize,
        status_seen: u64,
    ) -> ReplyProgress {
        let text = self.text();
        let (Some(content), Some(reasoning)) = (
            text.content.get(content_len..),
            text.reasoning.get(reasoning_len..),
        ) else {
            return ReplyProgress::BadOffsets;
        };
        if !content.is_empty() || !reasoning.is_empty() {
            return ReplyProgress::Delta {
                content: content.to_string(),
                reasoning: reasoning.to_string(),
                content_len: text.content.len(),
                reasoning_len: text.reasoning.len(),
            };
        }
        if text.status_version > status_seen && text.finished.is_none() {
            return ReplyProgress::Status {
                text: text.status.clone(),
                version: text.status_version,
            };
        }
        match &text.finished {
            Some(message) => ReplyProgress::Finished(message.clone()),
            None => ReplyProgress::Nothing,
        }
    }

    /// A receiver that wakes on every change.
    pub fn subscribe(&self) -> watch::Receiver<u64> {
        self.version.subscribe()
    }

    /// How many followers watch the reply now.
    pub fn followers(&self) -> usize {
        self.version.receiver_count()
    }

    /// Asks the task to stop.
    pub fn stop(&self) {
        self.stop.send_replace(true);
    }

    /// A receiver that turns true when Stop is pressed.
    pub fn stop_signal(&self) -> watch::Receiver<bool> {
        self.stop.subscribe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn followers_get_only_what_they_miss() {
        let live = LiveReply::new(1, 2);
        live.append("Hola ", "");
        live.append("ñandú", "pienso");
        match live.progress_since(5, 0, 0) {
            ReplyProgress::Delta {
                content,
                reasoning,
                content_len,
                reasoning_len,
            } => {
                assert_eq!((content.as_str(), reasoning.as_str()), ("ñandú", "pienso"));
                assert_eq!(
                    (content_len, reasoning_len),
                    ("Hola ñandú".len(), "pienso".len())
                );
            }
            other => panic!("{other:?}"),
        }
        let end = "Hola ñandú".len();
        assert_eq!(live.progress_since(end, 6, 0), ReplyProgress::Nothing);
        let waiting = Waiting::TryingAgain {
            provider: "LM Studio".into(),
        };
        live.set_status(Some(waiting.clone()));
        assert_eq!(
            live.progress_since(end, 6, 0),
            ReplyProgress::Status {
                text: Some(waiting),
                version: 1
            }
        );
        assert_eq!(live.progress_since(end, 6, 1), ReplyProgress::Nothing);
    }

    #[test]
    fn offsets_inside_a_character_or_past_the_end_are_refused() {
        let live = LiveReply::new(1, 2);
        live.append("ñ", "");
        assert_eq!(live.progress_since(1, 0, 0), ReplyProgress::BadOffsets);
        assert_eq!(live.progress_since(9, 0, 0), ReplyProgress::BadOffsets);
    }
}
