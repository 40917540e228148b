//! A real app on a random loopback port, with a real SQLite file in a
//! temporary folder and a real mock provider on another port.

#![allow(dead_code)]

use leptos::config::LeptosOptions;
use mock_provider::{MockOptions, MockSwitch};
use nexa_chat::config::Config;
use nexa_chat::server::{build_state, router};
use serde_json::{json, Value};
use std::collections::HashMap;
use tempfile::TempDir;

/// A running app and its mock provider.
pub struct TestApp {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// The mock provider both Local AI and Hugging Face point at.
    pub mock: MockSwitch,
    /// Client without cookies.
    pub client: reqwest::Client,
    /// The app's SQLite database, for tests that set up odd states.
    pub database_url: String,
    /// The app's shared state, for tests that look inside (how many
    /// passwords were hashed).
    pub state: nexa_chat::state::AppState,
    _dir: TempDir,
}

/// A client that shows redirects instead of following them, for tests
/// that check where a form sends the browser.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// A port where nothing listens: port 1 on loopback. A port freed by a
/// listener is no good, since tests running in parallel may be handed it
/// again; the system never hands out port 1 and nothing here binds it.
pub async fn closed_port() -> u16 {
    let refused = tokio::net::TcpStream::connect("127.0.0.1:1").await.is_err();
    assert!(
        refused,
        "something listens on 127.0.0.1:1; the tests need it closed"
    );
    1
}

impl TestApp {
    /// Starts the app; `overrides` replace or add settings.
    pub async fn spawn(overrides: &[(&str, &str)]) -> TestApp {
        Self::spawn_with_mock(overrides, MockOptions::default()).await
    }

    /// Starts the app with a mock configured by `options`.
    pub async fn spawn_with_mock(overrides: &[(&str, &str)], options: MockOptions) -> TestApp {
        let overrides: Vec<(String, String)> = overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Self::spawn_custom(options, move |_, _| overrides).await
    }

    /// Starts the mock, then lets `prepare` write files into the app's data
    /// folder (knowing the mock's address) and return settings, then starts
    /// the app.
    pub async fn spawn_custom(
        options: MockOptions,
        prepare: impl FnOnce(&MockSwitch, &std::path::Path) -> Vec<(String, String)>,
    ) -> TestApp {
        let mock = MockSwitch::start("127.0.0.1:0".parse().expect("addr"), options)
            .await
            .expect("mock provider starts");
        let dir = tempfile::tempdir().expect("tempdir");
        let overrides = prepare(&mock, dir.path());
        let mut vars: HashMap<String, String> = HashMap::new();
        vars.insert("DATA_DIR".into(), dir.path().display().to_string());
        vars.insert(
            "DATABASE_URL".into(),
            format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
        );
        vars.insert("LOCAL_AI_URL".into(), mock.base_url());
        vars.insert("HUGGINGFACE_API_TOKEN".into(), "hf_test_token".into());
        vars.insert("HF_API_URL".into(), mock.base_url());
        // A developer's own ./providers.toml must not leak into the tests.
        let no_providers = dir.path().join("no-providers.toml");
        std::fs::write(&no_providers, "").expect("write an empty providers file");
        vars.insert("PROVIDERS_FILE".into(), no_providers.display().to_string());
        for (k, v) in overrides {
            vars.insert(k, v);
        }
        let database_url = vars.get("DATABASE_URL").cloned().unwrap_or_default();
        let vars_for_lookup = vars.clone();
        let config =
            Config::from_lookup(move |k| vars_for_lookup.get(k).cloned()).expect("valid config");
        let options = LeptosOptions::builder()
            .output_name("nexa-chat")
            .site_root("target/site")
            .build();
        let client_timeout = config.client_timeout;
        let state = build_state(config, options).await.expect("state");
        let shared = state.clone();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            nexa_chat::serve::serve(
                listener,
                router(state),
                client_timeout,
                std::future::pending(),
            )
            .await;
        });
        TestApp {
            base,
            mock,
            client: reqwest::Client::new(),
            database_url,
            state: shared,
            _dir: dir,
        }
    }

    /// GETs a page as a browser with the session cookie of `token` (if any)
    /// and these extra headers would; returns its HTML.
    pub async fn page(&self, path: &str, token: Option<&str>, headers: &[(&str, &str)]) -> String {
        let mut req = self.client.get(format!("{}{path}", self.base));
        if let Some(token) = token {
            req = req.header("cookie", format!("nexa_session={token}"));
        }
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.expect("request");
        res.text().await.expect("html")
    }

    /// POSTs JSON, optionally with a bearer token; returns status and JSON body.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut req = self.client.post(format!("{}{path}", self.base)).json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// POSTs a form (how server functions take plain arguments) with a bearer token.
    pub async fn post_form(&self, path: &str, token: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let res = self
            .client
            .post(format!("{}{path}", self.base))
            .bearer_auth(token)
            .form(form)
            .send()
            .await
            .expect("request");
        let status = res.status().as_u16();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Signs up through the JSON API and returns the token.
    pub async fn signup(&self, username: &str) -> String {
        let (status, body) = self
            .post(
                "/api/auth/signup",
                None,
                json!({"username": username, "password": "long-enough-pw"}),
            )
            .await;
        assert_eq!(status, 200, "signup failed: {body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// POSTs a form as a browser without scripts does (the session cookie
    /// of `token`, our own origin, HTML accepted), redirects not followed.
    pub async fn browser_form(
        &self,
        path: &str,
        token: &str,
        form: &[(&str, &str)],
    ) -> reqwest::Response {
        no_redirects()
            .post(format!("{}{path}", self.base))
            .header("cookie", format!("nexa_session={token}"))
            .header("origin", &self.base)
            .header("accept", "text/html")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// The app's database connection that writes (tests that set up odd
    /// states write through it, in line with the app's own writes).
    pub async fn db(&self) -> sqlx::SqlitePool {
        self.state.db.writes.clone()
    }

    /// Calls `POST /api/ai/chat`.
    pub async fn chat(&self, token: &str, body: Value) -> (u16, Value) {
        self.post("/api/ai/chat", Some(token), body).await
    }
}

impl TestApp {
    /// The last completion request the mock provider received.
    pub fn last_request(&self) -> Value {
        self.mock
            .state()
            .requests()
            .last()
            .cloned()
            .expect("the provider got a request")
    }

    /// The message texts of the last completion request, in order.
    pub fn last_sent_contents(&self) -> Vec<String> {
        self.last_request()["messages"]
            .as_array()
            .map(|messages| {
                messages
                    .iter()
                    .map(|m| m["content"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// One event read from an SSE answer.
pub type Sse = nexa_chat::providers::sse::SseEvent;

impl TestApp {
    /// Sends a chat message through the page's server function.
    pub async fn send(&self, token: &str, conversation_id: Option<i64>, content: &str) -> Value {
        let (status, outcome) = self
            .post(
                "/api/send_message",
                Some(token),
                json!({"conversation_id": conversation_id, "provider": "local", "content": content}),
            )
            .await;
        assert_eq!(status, 200, "send failed: {outcome}");
        outcome
    }

    /// Opens `GET /api/chats/{id}/stream`.
    pub async fn open_follow(
        &self,
        token: &str,
        conversation_id: i64,
        last_event_id: Option<&str>,
    ) -> reqwest::Response {
        let mut req = self
            .client
            .get(format!("{}/api/chats/{conversation_id}/stream", self.base))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            req = req.header("Last-Event-ID", id);
        }
        req.send().await.expect("follow request")
    }

    /// Follows a conversation's reply; stops after `limit` events, at `done`
    /// or after 10 s.
    pub async fn follow(
        &self,
        token: &str,
        conversation_id: i64,
        last_event_id: Option<&str>,
        limit: usize,
    ) -> Vec<Sse> {
        let response = self
            .open_follow(token, conversation_id, last_event_id)
            .await;
        assert_eq!(response.status(), 200);
        read_events(response, limit).await
    }
}

/// Reads SSE events from a response, up to `limit`, the `done` event or 10 s.
pub async fn read_events(mut response: reqwest::Response, limit: usize) -> Vec<Sse> {
    let mut decoder = nexa_chat::providers::sse::SseDecoder::new();
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while events.len() < limit {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("events within 10 s")
            .expect("readable stream");
        let Some(chunk) = chunk else { break };
        for event in decoder.push(&chunk).expect("sse") {
            let done = event.event.as_deref() == Some("done");
            events.push(event);
            if done || events.len() >= limit {
                return events;
            }
        }
    }
    events
}

/// The text a follower ends up with: snapshots replace, deltas append.
pub fn followed_text(events: &[Sse]) -> String {
    let mut text = String::new();
    for event in events {
        let value: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
        match event.event.as_deref() {
            Some("snapshot") => text = value["content"].as_str().unwrap_or("").to_string(),
            Some("delta") => text.push_str(value["content"].as_str().unwrap_or("")),
            _ => {}
        }
    }
    text
}

/// The rendered answer a follower of `events` ends up holding: each text
/// event's `html` keeps that many bytes and appends the rest.
pub fn followed_html(events: &[Sse]) -> String {
    let mut html = String::new();
    for event in events {
        let value: Value = serde_json::from_str(&event.data).unwrap_or(Value::Null);
        let patch = &value["html"];
        if patch.is_null() || !matches!(event.event.as_deref(), Some("snapshot" | "delta")) {
            continue;
        }
        let keep = patch["keep"].as_u64().expect("keep is a number") as usize;
        let kept = html
            .get(..keep)
            .expect("the patch fits what was sent before");
        html = format!("{kept}{}", patch["add"].as_str().expect("add is text"));
    }
    html
}

/// The `done` event's message.
pub fn done_message(events: &[Sse]) -> Value {
    events
        .iter()
        .find(|e| e.event.as_deref() == Some("done"))
        .map(|e| serde_json::from_str(&e.data).expect("done is JSON"))
        .unwrap_or(Value::Null)
}

/// How a reply that finished well is stored.
pub fn complete_reply(content: &str) -> nexa_chat::store::FinishedReply<'_> {
    nexa_chat::store::FinishedReply {
        content,
        reasoning: "",
        status: nexa_chat::model::MessageStatus::Complete,
        failure: None,
        usage: None,
        generation_ms: None,
        provider: "local",
        failover: None,
        left_out: None,
    }
}

/// A fresh database of its own with one account; returns it and the
/// account's id (keep the folder alive while the database is used).
pub async fn store_with_user(name: &str) -> (TempDir, nexa_chat::store::Db, i64) {
    let dir = tempfile::tempdir().expect("tempdir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("t.db").display());
    let db = nexa_chat::store::connect(&url).await.expect("db");
    let user = add_user(&db, name).await;
    (dir, db, user)
}

/// Creates an account straight in the store; returns its id.
pub async fn add_user(db: &nexa_chat::store::Db, name: &str) -> i64 {
    match nexa_chat::store::create_user(db, name, "hash", nexa_chat::store::SignupRight::Open, 0)
        .await
        .expect("user")
    {
        nexa_chat::store::CreateUser::Created(user) => user.id,
        _ => panic!("{name} not created"),
    }
}
