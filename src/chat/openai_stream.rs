//! `POST /api/ai/chat` with `"stream": true`: the reply as OpenAI
//! `chat.completion.chunk` events, so OpenAI-style clients can stream through
//! Nexa Chat. Closing the connection drops the upstream request.

use crate::generation::Reservation;
use crate::providers::errors::map_failure;
use crate::providers::{ProviderRegistry, ReplyStream};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::stream::{self, StreamExt};
use serde_json::{json, Value};
use std::convert::Infallible;
use std::sync::Arc;

/// One `chat.completion.chunk`.
pub fn chunk(id: &str, created: u64, model: &str, delta: Value, finish: Option<&str>) -> Value {
    json!({
        "id": id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
    })
}

/// The delta of one upstream chunk, in OpenAI's shape.
pub fn delta(content: &str, reasoning: &str) -> Value {
    let mut delta = json!({ "content": content });
    if !reasoning.is_empty() {
        delta["reasoning_content"] = json!(reasoning);
    }
    delta
}

struct Relay {
    upstream: ReplyStream,
    /// This reply's place under the reply limits, freed with the relay.
    _hold: Reservation,
    providers: Arc<ProviderRegistry>,
    provider_id: String,
    id: String,
    created: u64,
    stage: Stage,
}

#[derive(PartialEq)]
enum Stage {
    Role,
    Body,
    Done,
    Over,
}

fn data(value: &Value) -> Result<Event, Infallible> {
    Ok(Event::default().data(value.to_string()))
}

/// Relays an opened upstream stream as OpenAI chunks.
pub fn relay(
    upstream: ReplyStream,
    hold: Reservation,
    providers: Arc<ProviderRegistry>,
    provider_id: String,
) -> Response {
    let mut id_bytes = [0u8; 12];
    let _ = getrandom::fill(&mut id_bytes);
    let id = format!(
        "chatcmpl-{}",
        id_bytes
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let created = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let relay = Relay {
        upstream,
        _hold: hold,
        providers,
        provider_id,
        id,
        created,
        stage: Stage::Role,
    };
    let events = stream::unfold(relay, |mut r| async move {
        let model = r.upstream.model.clone();
        match r.stage {
            Stage::Role => {
                r.stage = Stage::Body;
                let first = chunk(&r.id, r.created, &model, json!({"role": "assistant", "content": ""}), None);
                Some((data(&first), r))
            }
            Stage::Body => match r.upstream.next().await {
                Some(Ok(parts)) => {
                    let value = match parts.usage {
                        Some(usage) if parts.content.is_empty() && parts.reasoning.is_empty() => {
                            let mut value = chunk(&r.id, r.created, &model, json!({}), None);
                            value["choices"] = json!([]);
                            value["usage"] = json!({
                                "prompt_tokens": usage.prompt_tokens,
                                "completion_tokens": usage.completion_tokens,
                            });
                            value
                        }
                        _ => chunk(&r.id, r.created, &model, delta(&parts.content, &parts.reasoning), None),
                    };
                    Some((data(&value), r))
                }
                Some(Err(failure)) => {
                    r.stage = Stage::Over;
                    let error = match r.providers.get(&r.provider_id) {
                        Some(provider) => map_failure(provider, failure),
                        None => return None,
                    };
                    let value = json!({"error": {"message": error.to_string(), "code": error.code(), "type": "provider_error"}});
                    Some((data(&value), r))
                }
                None => {
                    r.stage = Stage::Done;
                    let last = chunk(&r.id, r.created, &model, json!({}), Some("stop"));
                    Some((data(&last), r))
                }
            },
            Stage::Done => {
                r.stage = Stage::Over;
                Some((Ok(Event::default().data("[DONE]")), r))
            }
            Stage::Over => None,
        }
    })
    .boxed();
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}
