//! The real server process killed or stopped in the middle of 100 replies:
//! nothing is lost. `kill -9` keeps every reply with its text up to the
//! last save, marked failed (Retry works); `SIGTERM` stores every reply as
//! stopped and exits within the drain time.

use mock_provider::{MockOptions, MockSwitch};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const REPLIES: usize = 100;

/// The server binary, its data folder and its address.
struct Server {
    dir: tempfile::TempDir,
    mock: String,
    port: u16,
    child: Option<Child>,
    client: reqwest::Client,
}

/// A port nothing listens on now.
fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

impl Server {
    fn new(mock: &MockSwitch) -> Server {
        let dir = tempfile::tempdir().expect("tempdir");
        // The page's files: the server checks they exist; these tests use
        // the JSON API only.
        let pkg = dir.path().join("site").join("pkg");
        std::fs::create_dir_all(&pkg).expect("site");
        for file in ["nexa-chat.js", "nexa-chat.wasm", "nexa-chat.css"] {
            std::fs::write(pkg.join(file), "").expect("site file");
        }
        Server {
            dir,
            mock: mock.base_url(),
            port: free_port(),
            child: None,
            client: reqwest::Client::new(),
        }
    }

    fn base(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn database(&self) -> PathBuf {
        self.dir.path().join("nexa.db")
    }

    /// Starts the process and waits until it answers.
    async fn start(&mut self) {
        let dir = self.dir.path();
        let child = Command::new(env!("CARGO_BIN_EXE_nexa-chat"))
            .current_dir(dir)
            .env("LISTEN_ADDR", format!("127.0.0.1:{}", self.port))
            .env("DATA_DIR", dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}?mode=rwc", self.database().display()),
            )
            .env("LOCAL_AI_URL", &self.mock)
            .env("HUGGINGFACE_API_TOKEN", "")
            .env("MAX_REPLIES_PER_ACCOUNT", "1000")
            .env("MAX_REPLIES_IN_ALL", "1000")
            .env("LEPTOS_OUTPUT_NAME", "nexa-chat")
            .env("LEPTOS_SITE_ROOT", dir.join("site"))
            .env("LEPTOS_SITE_PKG_DIR", "pkg")
            .env("LEPTOS_HASH_FILES", "false")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the server starts");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let health = self
                .client
                .get(format!("{}/api/health", self.base()))
                .send()
                .await;
            if health.is_ok_and(|r| r.status().is_success()) {
                return;
            }
            assert!(Instant::now() < deadline, "the server never answered");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base()))
            .json(&body);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    /// Signs up and sends one message in each of `REPLIES` new chats.
    async fn start_replies(&self) -> String {
        let (status, body) = self
            .post(
                "/api/auth/signup",
                None,
                json!({"username": "ana", "password": "long-enough-pw"}),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let token = body["token"].as_str().expect("token").to_string();
        for n in 0..REPLIES {
            let (status, body) = self
                .post(
                    "/api/send_message",
                    Some(&token),
                    json!({"conversation_id": null, "provider": "local", "content": format!("count {n}")}),
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
        token
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The replies as stored: (status, content, failure).
async fn stored_replies(database: &Path) -> Vec<(String, String, Option<String>)> {
    use sqlx::sqlite::SqliteConnectOptions;
    use sqlx::{ConnectOptions, Row};
    let mut conn = SqliteConnectOptions::new()
        .filename(database)
        .read_only(true)
        .connect()
        .await
        .expect("open the database");
    let rows = sqlx::query(
        "SELECT status, content, failure FROM messages WHERE role = 'assistant' ORDER BY id",
    )
    .fetch_all(&mut conn)
    .await
    .expect("replies");
    rows.iter()
        .map(|row| {
            (
                row.get::<String, _>("status"),
                row.get::<String, _>("content"),
                row.get::<Option<String>, _>("failure"),
            )
        })
        .collect()
}

/// Waits until every reply has saved some text.
async fn wait_for_saved_text(database: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let replies = stored_replies(database).await;
        let saved = replies
            .iter()
            .filter(|(status, content, _)| status == "streaming" && !content.is_empty())
            .count();
        if saved == REPLIES {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{saved} of {REPLIES} replies saved some text"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A mock whose replies take minutes: 5,000 words, one every 20 ms.
async fn slow_mock() -> MockSwitch {
    MockSwitch::start(
        "127.0.0.1:0".parse().expect("addr"),
        MockOptions {
            delta_pause: Duration::from_millis(20),
            stream_words: Some(5_000),
            record_requests: false,
            ..MockOptions::default()
        },
    )
    .await
    .expect("mock")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_during_100_replies_keeps_every_text_and_retry_works() {
    let mock = slow_mock().await;
    let mut server = Server::new(&mock);
    server.start().await;
    server.start_replies().await;
    wait_for_saved_text(&server.database()).await;
    let mut child = server.child.take().expect("running");
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
    let before = stored_replies(&server.database()).await;

    server.start().await;
    let after = stored_replies(&server.database()).await;
    assert_eq!(after.len(), REPLIES);
    for ((_, text_before, _), (status, text, failure)) in before.iter().zip(&after) {
        assert_eq!(status, "failed");
        assert!(!text.is_empty() && text == text_before, "text lost");
        assert!(
            failure
                .as_deref()
                .is_some_and(|f| f.contains("interrupted")),
            "{failure:?}"
        );
    }
    // Retry works on one of them, after the restart.
    let (status, body) = server
        .post(
            "/api/auth/login",
            None,
            json!({"username": "ana", "password": "long-enough-pw"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let token = body["token"].as_str().expect("token").to_string();
    let (status, body) = server
        .post(
            "/api/retry_reply",
            Some(&token),
            json!({"conversation_id": 1, "provider": "local"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "streaming", "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_100_replies_stores_them_all_as_stopped_and_exits() {
    let mock = slow_mock().await;
    let mut server = Server::new(&mock);
    server.start().await;
    server.start_replies().await;
    wait_for_saved_text(&server.database()).await;
    let mut child = server.child.take().expect("running");
    let stopped = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill -TERM");
    assert!(stopped.success());
    // The drain: live replies stop, their text is stored, the process ends.
    let deadline = Instant::now() + Duration::from_secs(30);
    let exit = loop {
        if let Some(exit) = child.try_wait().expect("wait") {
            break exit;
        }
        assert!(Instant::now() < deadline, "still running after SIGTERM");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "{exit:?}");
    let replies = stored_replies(&server.database()).await;
    assert_eq!(replies.len(), REPLIES);
    for (status, text, _) in &replies {
        assert_eq!(status, "stopped");
        assert!(!text.is_empty(), "a reply lost its text");
    }
}
