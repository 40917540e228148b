//! A real app on a random loopback port, with a real SQLite file in a
//! temporary folder and a real mock provider on another port.

#![allow(dead_code)]

use leptos::config::LeptosOptions;
use nexa_chat::config::Config;
use nexa_chat::server::{build_state, router};
use nexa_chat::testing::mock_provider::{MockOptions, MockSwitch};
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
    _dir: TempDir,
}

/// A port where nothing listens.
pub async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("addr").port();
    drop(listener);
    port
}

impl TestApp {
    /// Starts the app; `overrides` replace or add settings.
    pub async fn spawn(overrides: &[(&str, &str)]) -> TestApp {
        Self::spawn_with_mock(overrides, MockOptions::default()).await
    }

    /// Starts the app with a mock configured by `options`.
    pub async fn spawn_with_mock(overrides: &[(&str, &str)], options: MockOptions) -> TestApp {
        let mock = MockSwitch::start("127.0.0.1:0".parse().expect("addr"), options)
            .await
            .expect("mock provider starts");
        let dir = tempfile::tempdir().expect("tempdir");
        let mut vars: HashMap<String, String> = HashMap::new();
        vars.insert("DATA_DIR".into(), dir.path().display().to_string());
        vars.insert(
            "DATABASE_URL".into(),
            format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display()),
        );
        vars.insert("LOCAL_AI_URL".into(), mock.base_url());
        vars.insert("HUGGINGFACE_API_TOKEN".into(), "hf_test_token".into());
        vars.insert("HF_API_URL".into(), mock.base_url());
        for (k, v) in overrides {
            vars.insert(k.to_string(), v.to_string());
        }
        let vars_for_lookup = vars.clone();
        let config =
            Config::from_lookup(move |k| vars_for_lookup.get(k).cloned()).expect("valid config");
        let options = LeptosOptions::builder()
            .output_name("nexa-chat")
            .site_root("target/site")
            .build();
        let state = build_state(config, options).await.expect("state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move {
            axum::serve(listener, router(state)).await.expect("serve");
        });
        TestApp {
            base,
            mock,
            client: reqwest::Client::new(),
            _dir: dir,
        }
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

    /// Calls `POST /api/ai/chat`.
    pub async fn chat(&self, token: &str, body: Value) -> (u16, Value) {
        self.post("/api/ai/chat", Some(token), body).await
    }
}
