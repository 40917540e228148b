//! Streaming chat completions: open the upstream request, then read its SSE
//! chunks one by one. Dropping a [`ReplyStream`] drops the HTTP request, which
//! makes the provider stop generating.

use super::chunk::{parse_chunk, ChunkParts, TokenCounts};
use super::client::{model_for, WireMessage};
use super::client::{read_bounded, BoundedBody, MAX_BODY_BYTES};
use super::errors::{self, UpstreamFailure};
use super::sse::SseDecoder;
use super::Provider;
use crate::error::ProviderError;
use crate::think::split_think;
use bytes::Bytes;
use futures_util::stream::BoxStream;
use futures_util::StreamExt;
use secrecy::ExposeSecret;
use serde::Serialize;
use std::collections::VecDeque;
use std::time::Duration;

/// The bytes of an upstream body; errors are transport failures described.
pub type ByteStream = BoxStream<'static, Result<Bytes, String>>;

#[derive(Serialize)]
struct StreamOptions {
    include_usage: bool,
}

/// How the model samples its reply; `None` leaves it to the server.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Sampling {
    /// Sampling temperature.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub temperature: Option<f32>,
    /// Longest reply, in tokens.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_tokens: Option<u32>,
}

#[derive(Serialize)]
struct StreamRequest<'a> {
    model: &'a str,
    messages: &'a [WireMessage],
    stream: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    stream_options: Option<StreamOptions>,
    #[serde(flatten)]
    sampling: Sampling,
}

/// A streamed reply being read.
pub struct ReplyStream {
    body: ByteStream,
    decoder: SseDecoder,
    queue: VecDeque<ChunkParts>,
    ended: bool,
    idle_timeout: Duration,
    /// When the read in progress gives up. Kept across calls: a caller that
    /// drops `next()` (a `select!` with a timer) must not restart the clock.
    read_deadline: Option<tokio::time::Instant>,
    /// The model that was asked.
    pub model: String,
}

impl std::fmt::Debug for ReplyStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReplyStream")
            .field("model", &self.model)
            .field("ended", &self.ended)
            .finish_non_exhaustive()
    }
}

impl ReplyStream {
    /// Reads an SSE body. `idle_timeout` bounds the wait for each next read.
    pub fn from_sse(body: ByteStream, idle_timeout: Duration, model: String) -> Self {
        ReplyStream {
            body,
            decoder: SseDecoder::new(),
            queue: VecDeque::new(),
            ended: false,
            idle_timeout,
            read_deadline: None,
            model,
        }
    }

    /// A reply that came whole (a server that ignored `"stream": true`).
    fn whole(parts: ChunkParts, model: String) -> Self {
        let mut stream =
            Self::from_sse(futures_util::stream::empty().boxed(), Duration::ZERO, model);
        stream.queue.push_back(parts);
        stream.ended = true;
        stream
    }

    fn take_events(&mut self, events: Vec<super::sse::SseEvent>) -> Result<(), UpstreamFailure> {
        for event in events {
            let parts = parse_chunk(&event.data)
                .map_err(|e| UpstreamFailure::Malformed(format!("not JSON: {}", e.0)))?;
            if parts.done {
                // Anything after [DONE] is ignored.
                self.ended = true;
                return Ok(());
            }
            self.queue.push_back(parts);
        }
        Ok(())
    }

    /// The next chunk with something in it; `None` at the end of the reply
    /// (after `[DONE]`, or when the body ends without it).
    pub async fn next(&mut self) -> Option<Result<ChunkParts, UpstreamFailure>> {
        loop {
            if let Some(parts) = self.queue.pop_front() {
                if let Some(raw) = parts.error {
                    self.ended = true;
                    self.queue.clear();
                    return Some(Err(UpstreamFailure::ErrorInBody(raw)));
                }
                if parts.content.is_empty() && parts.reasoning.is_empty() && parts.usage.is_none() {
                    continue;
                }
                return Some(Ok(parts));
            }
            if self.ended {
                return None;
            }
            let read = if self.idle_timeout.is_zero() {
                self.body.next().await
            } else {
                let deadline = *self
                    .read_deadline
                    .get_or_insert_with(|| tokio::time::Instant::now() + self.idle_timeout);
                match tokio::time::timeout_at(deadline, self.body.next()).await {
                    Ok(read) => read,
                    Err(_) => {
                        self.ended = true;
                        return Some(Err(UpstreamFailure::Timeout(self.idle_timeout)));
                    }
                }
            };
            self.read_deadline = None;
            let step = match read {
                Some(Ok(bytes)) => match self.decoder.push(&bytes) {
                    Ok(events) => self.take_events(events),
                    Err(_) => Err(UpstreamFailure::TooLarge(super::sse::MAX_EVENT_BYTES)),
                },
                Some(Err(detail)) => Err(UpstreamFailure::Dropped(detail)),
                None => {
                    // Ended without [DONE]: many servers do; keep what came.
                    self.ended = true;
                    let last = self.decoder.finish().into_iter().collect();
                    self.take_events(last)
                }
            };
            if let Err(failure) = step {
                self.ended = true;
                self.queue.clear();
                return Some(Err(failure));
            }
        }
    }
}

/// A reply gathered from its chunks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReplyText {
    /// The answer as sent (may hold inline `<think>` blocks).
    pub content: String,
    /// Reasoning sent apart from the answer.
    pub reasoning: String,
    /// Token counts, when reported.
    pub usage: Option<TokenCounts>,
}

impl ReplyText {
    /// Adds one chunk.
    pub fn apply(&mut self, parts: &ChunkParts) {
        self.content.push_str(&parts.content);
        self.reasoning.push_str(&parts.reasoning);
        if parts.usage.is_some() {
            self.usage = parts.usage;
        }
    }

    /// No answer and no reasoning: what base models often send.
    pub fn is_empty(&self) -> bool {
        self.reasoning.trim().is_empty() && {
            let split = split_think(&self.content);
            split.answer.is_empty() && split.reasoning.is_empty()
        }
    }
}

/// Reads a whole stream; an empty reply is an [`UpstreamFailure::EmptyReply`].
pub async fn collect_reply(stream: &mut ReplyStream) -> Result<ReplyText, UpstreamFailure> {
    let mut reply = ReplyText::default();
    while let Some(parts) = stream.next().await {
        reply.apply(&parts?);
    }
    if reply.is_empty() {
        return Err(UpstreamFailure::EmptyReply);
    }
    Ok(reply)
}

/// Whether a 400 answer is the provider refusing `stream_options`.
fn rejects_stream_options(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    [
        "stream_options",
        "include_usage",
        "extra inputs",
        "extra fields",
        "unrecognized",
    ]
    .iter()
    .any(|hint| lower.contains(hint))
}

/// Starts a streamed completion with `model` (else the provider's default).
/// `timeout` bounds the wait for the answer's
/// head and for each later read, not the whole reply.
pub async fn open_stream(
    http: &reqwest::Client,
    provider: &Provider,
    messages: &[WireMessage],
    model: Option<&str>,
    sampling: Sampling,
    timeout: Duration,
) -> Result<ReplyStream, ProviderError> {
    if let Some(missing) = provider.not_configured() {
        return Err(missing);
    }
    let model = match model {
        Some(model) => model.to_string(),
        None => model_for(http, provider).await,
    };
    let mut ask_usage = provider.accepts_stream_options();
    loop {
        let body = StreamRequest {
            model: &model,
            messages,
            stream: true,
            stream_options: ask_usage.then_some(StreamOptions {
                include_usage: true,
            }),
            sampling,
        };
        let mut request = http.post(&provider.url).json(&body);
        if let Some(key) = &provider.api_key {
            request = request.bearer_auth(key.expose_secret());
        }
        let failure = |f| errors::map_failure(provider, f);
        let response = match tokio::time::timeout(timeout, request.send()).await {
            Err(_) => return Err(failure(UpstreamFailure::Timeout(timeout))),
            Ok(Err(e)) => return Err(failure(UpstreamFailure::from_reqwest(&e, timeout))),
            Ok(Ok(response)) => response,
        };
        let status = response.status().as_u16();
        let retry_after = errors::retry_after_seconds(response.headers());
        let is_sse = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/event-stream"));
        if (200..300).contains(&status) && is_sse {
            let bytes = response
                .bytes_stream()
                .map(|read| read.map_err(|e| errors::error_chain(&e)))
                .boxed();
            return Ok(ReplyStream::from_sse(bytes, timeout, model));
        }
        let read = read_bounded(response, MAX_BODY_BYTES);
        let body = match tokio::time::timeout(timeout, read).await {
            Err(_) => return Err(failure(UpstreamFailure::Timeout(timeout))),
            Ok(Err(e)) => return Err(failure(UpstreamFailure::from_reqwest(&e, timeout))),
            Ok(Ok(body)) => body,
        };
        if (200..300).contains(&status) && body.cut {
            return Err(failure(BoundedBody::too_long()));
        }
        let text = body.text;
        if (200..300).contains(&status) {
            // The server ignored "stream": true and sent the whole reply.
            let parts = parse_chunk(&text)
                .map_err(|e| failure(UpstreamFailure::Malformed(format!("not JSON: {}", e.0))))?;
            if let Some(raw) = parts.error {
                return Err(failure(UpstreamFailure::ErrorInBody(raw)));
            }
            return Ok(ReplyStream::whole(parts, model));
        }
        if status == 400 && ask_usage && rejects_stream_options(&text) {
            tracing::info!(
                provider = provider.id,
                "provider refused stream_options; asking without"
            );
            provider.refuse_stream_options();
            ask_usage = false;
            continue;
        }
        provider.note_failed_status(status).await;
        return Err(failure(UpstreamFailure::Status {
            status,
            body: text,
            retry_after,
        }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream_of(pieces: Vec<&'static [u8]>) -> ReplyStream {
        let body =
            futures_util::stream::iter(pieces.into_iter().map(|p| Ok(Bytes::from_static(p))));
        ReplyStream::from_sse(body.boxed(), Duration::from_secs(5), "m".into())
    }

    fn delta(text: &str) -> String {
        format!("data: {{\"choices\":[{{\"delta\":{{\"content\":\"{text}\"}}}}]}}\n\n")
    }

    fn leak(s: String) -> &'static [u8] {
        Box::leak(s.into_bytes().into_boxed_slice())
    }

    #[tokio::test]
    async fn a_whole_stream_is_gathered_in_order() {
        let mut s = stream_of(vec![
            b"data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\n",
            leak(delta("Hola, ")),
            b": keep-alive\n\n",
            leak(delta("mundo")),
            b"data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}\n\n",
            b"data: [DONE]\n\n",
            leak(delta("after done is ignored")),
        ]);
        let reply = collect_reply(&mut s).await.expect("reply");
        assert_eq!(reply.content, "Hola, mundo");
        assert_eq!(reply.usage.map(|u| u.completion_tokens), Some(2));
    }

    #[tokio::test]
    async fn a_stream_that_ends_without_done_keeps_its_text() {
        let mut s = stream_of(vec![leak(delta("one ")), leak(delta("two"))]);
        assert_eq!(
            collect_reply(&mut s).await.expect("reply").content,
            "one two"
        );
    }

    #[tokio::test]
    async fn only_done_is_the_empty_reply() {
        let mut s = stream_of(vec![b"data: [DONE]\n\n"]);
        assert_eq!(
            collect_reply(&mut s).await,
            Err(UpstreamFailure::EmptyReply)
        );
    }

    #[tokio::test]
    async fn an_error_inside_a_200_stream_fails_after_the_text_so_far() {
        let mut s = stream_of(vec![
            leak(delta("partial")),
            b"data: {\"error\":{\"message\":\"out of memory\"}}\n\n",
        ]);
        let first = s.next().await.expect("chunk").expect("text");
        assert_eq!(first.content, "partial");
        match s.next().await {
            Some(Err(UpstreamFailure::ErrorInBody(raw))) => assert!(raw.contains("out of memory")),
            other => panic!("expected an error, got {other:?}"),
        }
        assert!(s.next().await.is_none());
    }

    #[tokio::test]
    async fn a_cut_connection_is_a_dropped_stream() {
        let body = futures_util::stream::iter(vec![
            Ok(Bytes::from(delta("partial"))),
            Err("connection reset".to_string()),
        ]);
        let mut s = ReplyStream::from_sse(body.boxed(), Duration::from_secs(5), "m".into());
        assert!(s.next().await.is_some_and(|r| r.is_ok()));
        assert!(matches!(
            s.next().await,
            Some(Err(UpstreamFailure::Dropped(_)))
        ));
    }

    #[tokio::test]
    async fn multibyte_text_split_across_reads_arrives_whole() {
        let event = delta("ñandú 🦙");
        let bytes = leak(event);
        let cut = bytes.iter().position(|&b| b == 0xF0).expect("emoji") + 1;
        let enye = bytes.iter().position(|&b| b == 0xC3).expect("ñ") + 1;
        let mut s = stream_of(vec![&bytes[..enye], &bytes[enye..cut], &bytes[cut..]]);
        assert_eq!(
            collect_reply(&mut s).await.expect("reply").content,
            "ñandú 🦙"
        );
    }

    #[tokio::test]
    async fn reasoning_only_is_not_empty_but_think_tags_alone_are() {
        let mut s = stream_of(vec![
            b"data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}\n\n",
        ]);
        assert_eq!(collect_reply(&mut s).await.expect("reply").reasoning, "hmm");
        let mut s = stream_of(vec![leak(delta("<think></think>"))]);
        assert_eq!(
            collect_reply(&mut s).await,
            Err(UpstreamFailure::EmptyReply)
        );
    }

    #[tokio::test]
    async fn a_silent_provider_times_out_even_when_the_read_is_interrupted() {
        let body = futures_util::stream::pending::<Result<Bytes, String>>().boxed();
        let mut s = ReplyStream::from_sse(body, Duration::from_millis(600), "m".into());
        // A caller that wakes every 100 ms (to save) restarts next() each time.
        let started = tokio::time::Instant::now();
        let outcome = loop {
            tokio::select! {
                next = s.next() => break next,
                () = tokio::time::sleep(Duration::from_millis(100)) => {}
            }
            assert!(
                started.elapsed() < Duration::from_secs(3),
                "the read never timed out"
            );
        };
        assert!(matches!(outcome, Some(Err(UpstreamFailure::Timeout(_)))));
    }

    #[test]
    fn refusals_of_stream_options_are_recognised() {
        assert!(rejects_stream_options(
            r#"{"detail":[{"loc":["body","stream_options"],"msg":"Extra inputs are not permitted"}]}"#
        ));
        assert!(rejects_stream_options(
            "Unrecognized request argument supplied: stream_options"
        ));
        assert!(!rejects_stream_options(
            r#"{"error":"No models loaded. Please load a model"}"#
        ));
    }
}
