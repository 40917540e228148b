//! Following the reply being written, from the browser: an `EventSource` on
//! `GET /api/chats/{id}/stream`. The browser reconnects by itself after a
//! network drop and sends `Last-Event-ID`, so nothing is missed or repeated.

use crate::model::{ChatMessage, StatusLine, StreamText};

/// What the follower hears.
#[derive(Debug, Clone, PartialEq)]
pub enum FollowEvent {
    /// The text so far: replace.
    Snapshot(StreamText),
    /// New text: append.
    Delta(StreamText),
    /// What the reply waits for, e.g. a model loading (`None`: nothing).
    Status(Option<StatusLine>),
    /// The reply ended (`None`: the chat has no reply).
    Done(Option<ChatMessage>),
    /// The stream closed for good (signed out, chat deleted).
    Lost,
}

/// Reads one event's payload.
pub fn parse_event(kind: &str, data: &str) -> Option<FollowEvent> {
    match kind {
        "snapshot" => serde_json::from_str(data).ok().map(FollowEvent::Snapshot),
        "delta" => serde_json::from_str(data).ok().map(FollowEvent::Delta),
        "done" => serde_json::from_str(data).ok().map(FollowEvent::Done),
        // `{"text": null}` clears the line.
        "status" => Some(FollowEvent::Status(serde_json::from_str(data).ok())),
        _ => None,
    }
}

/// Applies a text event to the reply being shown.
pub fn apply_text(message: &mut ChatMessage, event: &FollowEvent) {
    match event {
        FollowEvent::Snapshot(text) => {
            message.content.clone_from(&text.content);
            message.reasoning.clone_from(&text.reasoning);
            apply_html(message, text);
        }
        FollowEvent::Delta(text) => {
            message.content.push_str(&text.content);
            message.reasoning.push_str(&text.reasoning);
            apply_html(message, text);
        }
        FollowEvent::Status(_) | FollowEvent::Done(_) | FollowEvent::Lost => {}
    }
}

/// The rendered answer follows the server's patch. One that does not fit
/// (never expected: each stream starts from a whole answer) leaves the
/// answer as it was until the next whole one or the stored copy.
fn apply_html(message: &mut ChatMessage, text: &StreamText) {
    if let Some(patch) = &text.html {
        patch.apply(message.html.get_or_insert_default());
    }
}

/// Stops following when dropped. Send + Sync so the page can keep it in a
/// plain `StoredValue` (the browser side is single-threaded anyway).
pub struct FollowHandle {
    #[cfg(feature = "hydrate")]
    _source: send_wrapper::SendWrapper<gloo_net::eventsource::futures::EventSource>,
    #[cfg(feature = "hydrate")]
    abort: futures_util::future::AbortHandle,
}

impl Drop for FollowHandle {
    fn drop(&mut self) {
        #[cfg(feature = "hydrate")]
        self.abort.abort();
    }
}

/// Follows the reply of a conversation, calling `on_event` for each event.
#[cfg(feature = "hydrate")]
pub fn follow(
    conversation_id: i64,
    on_event: impl Fn(FollowEvent) + 'static,
) -> Option<FollowHandle> {
    use futures_util::StreamExt;
    let url = format!("/api/chats/{conversation_id}/stream");
    let mut source = gloo_net::eventsource::futures::EventSource::new(&url).ok()?;
    let subscriptions = ["snapshot", "delta", "status", "done"]
        .into_iter()
        .map(|kind| source.subscribe(kind).ok())
        .collect::<Option<Vec<_>>>()?;
    let mut events = futures_util::stream::select_all(subscriptions);
    let reading = async move {
        while let Some(next) = events.next().await {
            match next {
                Ok((kind, message)) => {
                    let data = message.data().as_string().unwrap_or_default();
                    if let Some(event) = parse_event(&kind, &data) {
                        let done = matches!(event, FollowEvent::Done(_));
                        on_event(event);
                        if done {
                            return;
                        }
                    }
                }
                Err(_) => {
                    on_event(FollowEvent::Lost);
                    return;
                }
            }
        }
    };
    let (reading, abort) = futures_util::future::abortable(reading);
    leptos::task::spawn_local(async move {
        let _ = reading.await;
    });
    Some(FollowHandle {
        _source: send_wrapper::SendWrapper::new(source),
        abort,
    })
}

/// On the server nothing is followed: the page follows once hydrated.
#[cfg(not(feature = "hydrate"))]
pub fn follow(
    _conversation_id: i64,
    _on_event: impl Fn(FollowEvent) + 'static,
) -> Option<FollowHandle> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{MessageStatus, Role};

    #[test]
    fn snapshots_replace_and_deltas_append() {
        let mut message = ChatMessage {
            html: Some("<p>stale</p>\n".into()),
            ..ChatMessage::new(1, Role::Assistant, "stale", MessageStatus::Streaming)
        };
        let snapshot = parse_event(
            "snapshot",
            r#"{"content":"Hola","reasoning":"r","html":{"keep":0,"add":"<p>Hola</p>\n"}}"#,
        )
        .expect("snapshot");
        apply_text(&mut message, &snapshot);
        let delta = parse_event(
            "delta",
            r#"{"content":" ñandú","reasoning":"","html":{"keep":7,"add":" ñandú</p>\n"}}"#,
        )
        .expect("delta");
        apply_text(&mut message, &delta);
        assert_eq!(
            (message.content.as_str(), message.reasoning.as_str()),
            ("Hola ñandú", "r")
        );
        assert_eq!(message.html.as_deref(), Some("<p>Hola ñandú</p>\n"));
        // Reasoning alone leaves the answer's HTML alone.
        let thought = parse_event("delta", r#"{"content":"","reasoning":"…"}"#).expect("delta");
        apply_text(&mut message, &thought);
        assert_eq!(message.html.as_deref(), Some("<p>Hola ñandú</p>\n"));
        assert_eq!(parse_event("done", "null"), Some(FollowEvent::Done(None)));
        assert_eq!(parse_event("delta", "not json"), None);
        assert_eq!(
            parse_event("status", r#"{"text":"cargando"}"#),
            Some(FollowEvent::Status(Some(StatusLine {
                text: "cargando".into()
            })))
        );
        assert_eq!(
            parse_event("status", r#"{"text":null}"#),
            Some(FollowEvent::Status(None))
        );
    }
}
