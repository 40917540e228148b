//! A mock OpenAI-compatible server that answers like LM Studio
//! (`/v1/models`, `/v1/chat/completions`, streaming and not) and can be told
//! to fail in each way real providers fail.
//!
//! Control (on the same port): `POST /__mock/faults` queues a [`Fault`] for
//! the next completion, `DELETE /__mock/faults` clears them,
//! `GET /__mock/requests` lists the completion bodies received,
//! `DELETE /__mock/requests` forgets them. [`MockSwitch`] can also take the
//! provider port down (connections refused) and bring it back.

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
}

impl Default for MockOptions {
    fn default() -> Self {
        MockOptions {
            models: vec!["mock-instruct-7b".to_string()],
            required_key: None,
            delta_pause: Duration::ZERO,
        }
    }
}

#[derive(Debug, Default)]
struct Recorded {
    requests: Vec<Value>,
    faults: VecDeque<Fault>,
    replies: u64,
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
        recorded.requests.push(request.clone());
        recorded.replies += 1;
        (recorded.faults.pop_front(), recorded.replies)
    };
    if let Some(denied) = unauthorized_unless_key(&state, &headers) {
        return denied;
    }
    let mut reply = request
        .get("messages")
        .and_then(Value::as_array)
        .map(|m| mock_reply(m, n))
        .unwrap_or_default();
    match fault {
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
    if request.get("stream").and_then(Value::as_bool) == Some(true) {
        return stream_reply(model, reply, state.options.delta_pause);
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

fn stream_reply(model: String, reply: String, pause: Duration) -> Response {
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<String, std::io::Error>>(16);
    tokio::spawn(async move {
        let chunk = |delta: Value| {
            format!(
                "data: {}\n\n",
                json!({"id": "chatcmpl-mock", "object": "chat.completion.chunk", "model": model,
                       "choices": [{"index": 0, "delta": delta, "finish_reason": null}]})
            )
        };
        let mut events = vec![chunk(json!({"role": "assistant", "content": ""}))];
        let words: Vec<&str> = reply.split_inclusive(' ').collect();
        events.extend(words.iter().map(|w| chunk(json!({"content": w}))));
        events.push("data: [DONE]\n\n".to_string());
        for event in events {
            if tx.send(Ok(event)).await.is_err() {
                return;
            }
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        }
    });
    let stream = tokio_stream_from(rx);
    Response::builder()
        .header(header::CONTENT_TYPE, "text/event-stream")
        .body(Body::from_stream(stream))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn tokio_stream_from(
    mut rx: tokio::sync::mpsc::Receiver<Result<String, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<String, std::io::Error>> {
    futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx))
}

async fn push_fault(State(state): State<MockState>, Json(fault): Json<Fault>) -> StatusCode {
    state.push_fault(fault);
    StatusCode::NO_CONTENT
}

async fn clear_faults(State(state): State<MockState>) -> StatusCode {
    state.lock().faults.clear();
    StatusCode::NO_CONTENT
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
