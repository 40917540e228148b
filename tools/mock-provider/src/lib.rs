//! A mock OpenAI-compatible server that answers like LM Studio
//! (`/v1/models`, `/v1/chat/completions`, streaming and not) and can be told
//! to fail in each way real providers fail.
//!
//! Control (on the same port): `POST /__mock/faults` queues a [`Fault`] for
//! the next completion, `DELETE /__mock/faults` clears them,
//! `GET /__mock/requests` lists the completion bodies received,
//! `DELETE /__mock/requests` forgets them. [`MockSwitch`] can also take the
//! provider port down (connections refused) and bring it back.
//!
//! A test double, not part of Nexa Chat: the app's integration tests use this
//! library, the browser tests and `make bench` the `mock-provider` program.

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// One way to fail, applied to the next completion request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fault {
    /// Answer with this status and body.
    Status {
        /// HTTP status.
        status: u16,
        /// Body text (JSON, HTML or empty).
        #[serde(default)]
        body: String,
        /// Content type; JSON when absent.
        #[serde(default)]
        content_type: Option<String>,
    },
    /// HTTP 200 with an empty reply (what base models often do).
    Empty,
    /// HTTP 200 whose body is an error object.
    ErrorInBody {
        /// The JSON body.
        body: Value,
    },
    /// Wait this long, then answer normally.
    Delay {
        /// Milliseconds.
        ms: u64,
    },
    /// HTTP 429 with a `Retry-After` header, like a rate-limited router.
    RateLimited {
        /// Seconds in `Retry-After`.
        retry_after: u64,
    },
    /// Shape the next streamed reply (ignored by non-streaming requests).
    Stream(StreamPlan),
    /// Answer 400 when the request carries `stream_options`, like servers
    /// that do not know it; a request without it is answered normally.
    RejectStreamOptions,
    /// A hostile server: answer `status` with a body that never ends, 64 KiB
    /// at a time until the client goes away. With `sse`, one SSE event
    /// whose `data:` lines never end it; else a JSON string that never
    /// closes.
    Endless {
        /// HTTP status.
        status: u16,
        /// As `text/event-stream` (else `application/json`).
        sse: bool,
    },
}

/// How the next streamed reply is paced and broken.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StreamPlan {
    /// The answer text; the usual mock reply when absent. Sent word by word.
    pub text: Option<String>,
    /// Reasoning sent first, word by word, as `reasoning_content`.
    pub reasoning: Option<String>,
    /// Wait before the first delta (a slow first token).
    pub first_token_ms: u64,
    /// Pause between deltas; the mock's default when absent.
    pub pause_ms: Option<u64>,
    /// After this many deltas, pause `stall_ms` once (a stall mid-stream).
    pub stall_after: Option<usize>,
    /// Length of that stall.
    pub stall_ms: u64,
    /// After this many deltas, break the connection (no `[DONE]`).
    pub cut_after: Option<usize>,
    /// After this many deltas, send an error object inside the 200 stream.
    pub error_after: Option<usize>,
    /// Write every event in two pieces, cut inside a multi-byte character
    /// when it has one.
    pub split_writes: bool,
    /// End the body without `data: [DONE]`.
    pub omit_done: bool,
}

/// What the mock saw of its streams.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreamStats {
    /// Streams begun.
    pub started: u64,
    /// Streams sent to the end.
    pub finished: u64,
    /// Streams whose client went away before the end.
    pub cancelled: u64,
}

/// The mock's settings.
#[derive(Debug, Clone)]
pub struct MockOptions {
    /// Models listed by `/v1/models`.
    pub models: Vec<String>,
    /// Bearer token required, when set (to play Hugging Face).
    pub required_key: Option<String>,
    /// Pause between streamed deltas.
    pub delta_pause: Duration,
    /// Keep every request for `/__mock/requests` (tests); benchmarks turn
    /// it off so memory stays flat.
    pub record_requests: bool,
    /// Streamed replies are "w1 w2 … wN" instead of the usual mock reply
    /// (benchmarks: N deltas, one per word).
    pub stream_words: Option<usize>,
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            models: vec!["mock-instruct-7b".to_string()],
            required_key: None,
            delta_pause: Duration::ZERO,
            record_requests: true,
            stream_words: None,
        }
    }
}

#[derive(Debug, Default)]
struct Recorded {
    requests: Vec<Value>,
    faults: VecDeque<Fault>,
    replies: u64,
    streams: StreamStats,
}

/// Shared state of a running mock.
#[derive(Debug, Clone)]
pub struct MockState {
    options: Arc<MockOptions>,
    recorded: Arc<Mutex<Recorded>>,
}

impl MockState {
    /// A mock state with these options.
    pub fn new(options: MockOptions) -> Self {
        MockState {
            options: Arc::new(options),
            recorded: Arc::new(Mutex::new(Recorded::default())),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Recorded> {
        // A panic while holding the lock leaves plain data behind: keep going.
        self.recorded
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues a fault for the next completion request.
    pub fn push_fault(&self, fault: Fault) {
        self.lock().faults.push_back(fault);
    }

    /// What happened to the streams so far.
    pub fn stream_stats(&self) -> StreamStats {
        self.lock().streams
    }

    /// The completion request bodies received so far.
    pub fn requests(&self) -> Vec<Value> {
        self.lock().requests.clone()
    }
}

/// The text the mock answers to a history: names the last user message and
/// how many messages arrived, so tests can check both.
pub fn mock_reply(messages: &[Value], n: u64) -> String {
    let last_user = messages
        .iter()
        .rev()
        .find(|m| m.get("role").and_then(Value::as_str) == Some("user"))
        .and_then(|m| m.get("content").and_then(Value::as_str))
        .unwrap_or("");
    format!(
        "Mock reply {n}: you said \"{last_user}\" ({} messages in the history).",
        messages.len()
    )
}

/// The mock's router.
pub fn router(state: MockState) -> Router {
    Router::new()
        .route("/v1/models", get(models))
        .route("/v1/chat/completions", post(completions))
        .route("/__mock/faults", post(push_fault).delete(clear_faults))
        .route(
            "/__mock/requests",
            get(list_requests).delete(clear_requests),
        )
        .route("/__mock/streams", get(stream_stats))
        .with_state(state)
}

fn unauthorized_unless_key(state: &MockState, headers: &HeaderMap) -> Option<Response> {
    let required = state.options.required_key.as_deref()?;
    let sent = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    (sent != Some(required)).then(|| {
        (
            StatusCode::UNAUTHORIZED,
            Json(json!({"error": "Invalid credentials in Authorization header"})),
        )
            .into_response()
    })
}

async fn models(State(state): State<MockState>, headers: HeaderMap) -> Response {
    if let Some(denied) = unauthorized_unless_key(&state, &headers) {
        return denied;
    }
    let data: Vec<Value> = state
        .options
        .models
        .iter()
        .map(|id| json!({"id": id, "object": "model", "owned_by": "mock"}))
        .collect();
    Json(json!({"object": "list", "data": data})).into_response()
}

async fn completions(State(state): State<MockState>, headers: HeaderMap, body: String) -> Response {
    let Ok(request) = serde_json::from_str::<Value>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            Json(json!({"error": "body is not JSON"})),
        )
            .into_response();
    };
    let (fault, n) = {
        let mut recorded = state.lock();
        if state.options.record_requests {
            recorded.requests.push(request.clone());
        }
        let fault = recorded.faults.pop_front();
        recorded.replies += 1;
        (fault, recorded.replies)
    };
    if let Some(denied) = unauthorized_unless_key(&state, &headers) {
        return denied;
    }
    let mut reply = request
        .get("messages")
        .and_then(Value::as_array)
        .map(|m| mock_reply(m, n))
        .unwrap_or_default();
    let streaming = request.get("stream").and_then(Value::as_bool) == Some(true);
    let mut plan = StreamPlan::default();
    match fault {
        Some(Fault::RejectStreamOptions) if request.get("stream_options").is_some() => {
            return (
                StatusCode::BAD_REQUEST,
                Json(json!({"detail": [{"loc": ["body", "stream_options"], "msg": "Extra inputs are not permitted"}]})),
            )
                .into_response();
        }
        Some(Fault::RejectStreamOptions) => {}
        Some(Fault::Endless { status, sse }) => return endless_body(state, status, sse),
        Some(Fault::RateLimited { retry_after }) => {
            return (
                StatusCode::TOO_MANY_REQUESTS,
                [(header::RETRY_AFTER, retry_after.to_string())],
                Json(json!({"error": "Rate limit reached. Please retry later."})),
            )
                .into_response();
        }
        Some(Fault::Stream(p)) => plan = p,
        Some(Fault::Status {
            status,
            body,
            content_type,
        }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let content_type = content_type.unwrap_or_else(|| "application/json".into());
            return (status, [(header::CONTENT_TYPE, content_type)], body).into_response();
        }
        Some(Fault::ErrorInBody { body }) => return Json(body).into_response(),
        Some(Fault::Delay { ms }) => tokio::time::sleep(Duration::from_millis(ms)).await,
        Some(Fault::Empty) => reply.clear(),
        None => {}
    }
    let model = request
        .get("model")
        .and_then(Value::as_str)
        .unwrap_or("mock")
        .to_string();
    if streaming {
        if let Some(text) = plan.text.take() {
            reply = text;
        } else if let Some(n) = state.options.stream_words {
            reply = bench_words(n);
        }
        if plan.pause_ms.is_none() {
            plan.pause_ms = Some(state.options.delta_pause.as_millis() as u64);
        }
        let usage = request
            .pointer("/stream_options/include_usage")
            .and_then(Value::as_bool)
            == Some(true);
        return stream_reply(state, model, reply, plan, usage);
    }
    Json(json!({
        "id": format!("chatcmpl-mock-{n}"),
        "object": "chat.completion",
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": reply}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 10, "completion_tokens": reply.split_whitespace().count(), "total_tokens": 10 + reply.split_whitespace().count()}
    }))
    .into_response()
}

/// "w1 w2 … wN": the text of a benchmark stream, one delta per word.
pub fn bench_words(n: usize) -> String {
    (1..=n)
        .map(|i| format!("w{i}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Splits an event in two, inside a multi-byte character when it has one.
fn split_event(event: &str) -> (Vec<u8>, Vec<u8>) {
    let bytes = event.as_bytes();
    let cut = bytes
        .iter()
        .position(|b| *b >= 0xC0)
        .map_or(bytes.len() / 2, |start| start + 1);
    (bytes[..cut].to_vec(), bytes[cut..].to_vec())
}

type BodyItem = Result<Vec<u8>, std::io::Error>;

/// A body that never ends (see [`Fault::Endless`]); counted as a stream,
/// cancelled when the client drops it.
fn endless_body(state: MockState, status: u16, sse: bool) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<BodyItem>(4);
    state.lock().streams.started += 1;
    tokio::spawn(async move {
        let (start, piece) = if sse {
            let line = format!("data: {}\n", "x".repeat(64 * 1024 - 7));
            ("data: {\n".to_string(), line)
        } else {
            ("{\"error\": \"".to_string(), "x".repeat(64 * 1024))
        };
        if tx.send(Ok(start.into_bytes())).await.is_err() {
            state.lock().streams.cancelled += 1;
            return;
        }
        while tx.send(Ok(piece.clone().into_bytes())).await.is_ok() {}
        state.lock().streams.cancelled += 1;
    });
    let content_type = if sse {
        "text/event-stream"
    } else {
        "application/json"
    };
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    let body = Body::from_stream(stream);
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

fn stream_reply(
    state: MockState,
    model: String,
    reply: String,
    plan: StreamPlan,
    usage: bool,
) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<BodyItem>(16);
    state.lock().streams.started += 1;
    tokio::spawn(async move {
        let chunk = |delta: Value| {
            format!(
                "data: {}\n\n",
                json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "model": model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": null}]})
            )
        };
        let mut deltas: Vec<String> = Vec::new();
        if let Some(reasoning) = &plan.reasoning {
            deltas.extend(
                reasoning
                    .split_inclusive(' ')
                    .map(|w| chunk(json!({"content": null, "reasoning_content": w}))),
            );
        }
        deltas.extend(
            reply
                .split_inclusive(' ')
                .map(|w| chunk(json!({"content": w}))),
        );
        let pause = Duration::from_millis(plan.pause_ms.unwrap_or(0));
        // Waits, noticing at once when the client goes away.
        let wait = |ms: Duration, tx: &tokio::sync::mpsc::Sender<BodyItem>| {
            let tx = tx.clone();
            async move {
                tokio::select! {
                    () = tokio::time::sleep(ms) => true,
                    () = tx.closed() => false,
                }
            }
        };
        let send = |bytes: Vec<u8>, tx: &tokio::sync::mpsc::Sender<BodyItem>| {
            let tx = tx.clone();
            async move { tx.send(Ok(bytes)).await.is_ok() }
        };
        let cancelled = |state: &MockState| state.lock().streams.cancelled += 1;
        if !send(
            chunk(json!({"role": "assistant", "content": ""})).into_bytes(),
            &tx,
        )
        .await
            || !wait(Duration::from_millis(plan.first_token_ms), &tx).await
        {
            return cancelled(&state);
        }
        for (i, event) in deltas.iter().enumerate() {
            if plan.cut_after == Some(i) {
                let _ = tx
                    .send(Err(std::io::Error::other("mock cut the connection")))
                    .await;
                return;
            }
            if plan.error_after == Some(i) {
                let error = "data: {\"error\":{\"message\":\"The model crashed (mock)\",\"type\":\"server_error\"}}\n\n";
                let _ = send(error.as_bytes().to_vec(), &tx).await;
                return;
            }
            if plan.stall_after == Some(i) && !wait(Duration::from_millis(plan.stall_ms), &tx).await
            {
                return cancelled(&state);
            }
            let sent = if plan.split_writes {
                let (head, tail) = split_event(event);
                send(head, &tx).await
                    && wait(Duration::from_millis(5), &tx).await
                    && send(tail, &tx).await
            } else {
                send(event.clone().into_bytes(), &tx).await
            };
            if !sent || (!pause.is_zero() && !wait(pause, &tx).await) {
                return cancelled(&state);
            }
        }
        if usage {
            let words = reply.split_whitespace().count();
            let usage = json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "choices": [],
                               "usage": {"prompt_tokens": 10, "completion_tokens": words, "total_tokens": 10 + words}});
            if !send(format!("data: {usage}\n\n").into_bytes(), &tx).await {
                return cancelled(&state);
            }
        }
        if !plan.omit_done && !send(b"data: [DONE]\n\n".to_vec(), &tx).await {
            return cancelled(&state);
        }
        state.lock().streams.finished += 1;
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

async fn push_fault(State(state): State<MockState>, Json(fault): Json<Fault>) -> StatusCode {
    state.push_fault(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(state): State<MockState>) -> StatusCode {
    state.lock().faults.clear();
    StatusCode::NO_CONTENT
}

async fn stream_stats(State(state): State<MockState>) -> Json<StreamStats> {
    Json(state.stream_stats())
}

async fn list_requests(State(state): State<MockState>) -> Json<Vec<Value>> {
    Json(state.requests())
}

async fn clear_requests(State(state): State<MockState>) -> StatusCode {
    state.lock().requests.clear();
    StatusCode::NO_CONTENT
}

/// A running mock provider that can be taken down and brought back on the
/// same port.
#[derive(Debug)]
pub struct MockSwitch {
    addr: SocketAddr,
    state: MockState,
    running: Option<(oneshot::Sender<()>, JoinHandle<()>)>,
}

/// Sends each write at once, as the app does: a stream's small writes would
/// otherwise wait for the peer's delayed ACK (Nagle).
fn no_delay(stream: &mut tokio::net::TcpStream) {
    if let Err(err) = stream.set_nodelay(true) {
        eprintln!("mock provider: could not set TCP_NODELAY: {err}");
    }
}

fn listen(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = if addr.is_ipv4() {
        TcpSocket::new_v4()?
    } else {
        TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

impl MockSwitch {
    /// Starts a mock on `addr` (port 0 picks a free one).
    pub async fn start(addr: SocketAddr, options: MockOptions) -> std::io::Result<MockSwitch> {
        let listener = listen(addr)?;
        let addr = listener.local_addr()?;
        let mut switch = MockSwitch {
            addr,
            state: MockState::new(options),
            running: None,
        };
        switch.serve(listener);
        Ok(switch)
    }

    fn serve(&mut self, listener: TcpListener) {
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let app = router(self.state.clone());
        let task = tokio::spawn(async move {
            let shutdown = async {
                let _ = stop_rx.await;
            };
            let listener = axum::serve::ListenerExt::tap_io(listener, no_delay);
            if let Err(err) = axum::serve(listener, app)
                .with_graceful_shutdown(shutdown)
                .await
            {
                eprintln!("mock provider stopped: {err}");
            }
        });
        self.running = Some((stop_tx, task));
    }

    /// Where the mock listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Base URL, e.g. `http://127.0.0.1:4010/v1`.
    pub fn base_url(&self) -> String {
        format!("http://{}/v1", self.addr)
    }

    /// The shared state (faults, recorded requests).
    pub fn state(&self) -> &MockState {
        &self.state
    }

    /// Stops listening: new connections are refused.
    pub async fn down(&mut self) {
        if let Some((stop, task)) = self.running.take() {
            let _ = stop.send(());
            let _ = tokio::time::timeout(Duration::from_secs(2), task).await;
        }
    }

    /// Listens again on the same port.
    pub async fn up(&mut self) -> std::io::Result<()> {
        if self.running.is_none() {
            let listener = listen(self.addr)?;
            self.serve(listener);
        }
        Ok(())
    }
}
