//! What a page of another site, or of another port of this host, can make a
//! signed-in browser do: nothing. The requests below are the ones such a
//! page can send (a form or a `no-cors` fetch: `text/plain` or form bodies,
//! the session cookie attached by the browser, `Origin` and
//! `Sec-Fetch-Site` set by the browser).

mod support;

use reqwest::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use serde_json::{json, Value};
use support::TestApp;

/// A page on another port of the same host: same site, another origin.
const OTHER_PORT: &str = "http://127.0.0.1:1";

impl TestApp {
    /// POSTs `body` as `text/plain` with the session cookie and `headers`,
    /// as a browser does for a form or a `no-cors` fetch.
    async fn post_as_browser(
        &self,
        path: &str,
        token: &str,
        body: &str,
        headers: &[(&str, &str)],
    ) -> (u16, Value, bool) {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .header(COOKIE, format!("nexa_session={token}"))
            .header(CONTENT_TYPE, "text/plain;charset=UTF-8")
            .body(body.to_string());
        for (name, value) in headers {
            req = req.header(*name, *value);
        }
        let res = req.send().await.expect("request");
        let status = res.status().as_u16();
        let sets_cookie = res.headers().contains_key(SET_COOKIE);
        let text = res.text().await.expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, body, sets_cookie)
    }

    /// The titles of the user's chats.
    async fn titles(&self, token: &str) -> Vec<String> {
        let (status, list) = self
            .post("/api/list_conversations", Some(token), json!({}))
            .await;
        assert_eq!(status, 200, "{list}");
        list.as_array()
            .expect("a list")
            .iter()
            .map(|c| c["title"].as_str().unwrap_or("").to_string())
            .collect()
    }
}

const SEND: &str = r#"{"conversation_id":null,"provider":"local","content":"pwned"}"#;

#[tokio::test]
async fn another_origin_cannot_send_delete_or_import() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let kept = app.send(&token, None, "mine").await["conversation_id"]
        .as_i64()
        .expect("id");
    let foreign = [
        vec![("origin", OTHER_PORT)],
        vec![("origin", "https://evil.example")],
        vec![("origin", "null")],
        vec![("sec-fetch-site", "same-site")],
        vec![("sec-fetch-site", "cross-site")],
        // A mismatched Origin decides, whatever Sec-Fetch-Site says.
        vec![("origin", OTHER_PORT), ("sec-fetch-site", "same-origin")],
    ];
    let changes = [
        ("/api/send_message", SEND.to_string()),
        ("/api/delete_conversation", format!(r#"{{"id":{kept}}}"#)),
        (
            "/api/rename_conversation",
            format!(r#"{{"id":{kept},"title":"pwned"}}"#),
        ),
        ("/api/import_conversation", r#"{"json":"{}"}"#.to_string()),
    ];
    for headers in &foreign {
        for (path, body) in &changes {
            let (status, answer, sets_cookie) =
                app.post_as_browser(path, &token, body, headers).await;
            assert_eq!(status, 403, "{path} {headers:?}: {answer}");
            assert_eq!(answer["code"], "cross_site_refused", "{path} {headers:?}");
            assert!(!sets_cookie, "{path} {headers:?}");
        }
    }
    // Nothing changed.
    assert_eq!(app.titles(&token).await, ["mine"]);
}

#[tokio::test]
async fn another_origin_cannot_sign_the_browser_in_or_out() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("mallory").await;
    for path in ["/api/login", "/api/signup"] {
        let res = app
            .client
            .post(format!("{}{path}", app.base))
            .header("origin", "https://evil.example")
            .form(&[("username", "mallory"), ("password", "long-enough-pw")])
            .send()
            .await
            .expect("request");
        assert_eq!(res.status().as_u16(), 403, "{path}");
        assert!(!res.headers().contains_key(SET_COOKIE), "{path}");
    }
    let (status, _, sets_cookie) = app
        .post_as_browser("/api/logout", &token, "", &[("origin", OTHER_PORT)])
        .await;
    assert_eq!((status, sets_cookie), (403, false));
}

#[tokio::test]
async fn our_own_pages_scripts_and_bearer_calls_still_work() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let own = app.base.clone();
    // The page itself (Origin = the address it was loaded from).
    let (status, answer, _) = app
        .post_as_browser("/api/send_message", &token, SEND, &[("origin", &own)])
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, answer, _) = app
        .post_as_browser(
            "/api/send_message",
            &token,
            SEND,
            &[("sec-fetch-site", "same-origin")],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    // A script with a Bearer token, whatever it says its origin is.
    let res = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .header("origin", "https://evil.example")
        .json(&json!({"messages": [{"role": "user", "content": "hi"}]}))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
    // Reads are never refused.
    let res = app
        .client
        .get(format!("{}/api/health", app.base))
        .header("origin", "https://evil.example")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn behind_a_proxy_the_public_address_is_ours() {
    let app = TestApp::spawn(&[("PUBLIC_URL", "https://chat.example.com/")]).await;
    let token = app.signup("ana").await;
    let (status, answer, _) = app
        .post_as_browser(
            "/api/send_message",
            &token,
            SEND,
            &[("origin", "https://chat.example.com")],
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, _, _) = app
        .post_as_browser(
            "/api/send_message",
            &token,
            SEND,
            &[("origin", "http://chat.example.com")],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn every_answer_carries_the_hardening_headers() {
    let app = TestApp::spawn(&[]).await;
    for path in ["/login", "/api/health", "/no-such-page"] {
        let res = app
            .client
            .get(format!("{}{path}", app.base))
            .send()
            .await
            .expect("request");
        let header = |name: &str| {
            res.headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        assert_eq!(
            header("x-content-type-options").as_deref(),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{path}");
        assert!(
            header("content-security-policy")
                .is_some_and(|csp| csp.contains("frame-ancestors 'none'")),
            "{path}"
        );
        assert_eq!(
            header("referrer-policy").as_deref(),
            Some("same-origin"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn https_answers_tell_the_browser_to_stay_on_https() {
    let app = TestApp::spawn(&[]).await;
    let hsts = |res: &reqwest::Response| {
        res.headers()
            .get("strict-transport-security")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let behind_https = app
        .client
        .get(format!("{}/login", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("request");
    assert_eq!(hsts(&behind_https).as_deref(), Some("max-age=31536000"));
    // Plain http (a laptop on loopback) must not be told to use https.
    let plain = app
        .client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(hsts(&plain), None);
}

#[tokio::test]
async fn an_account_writes_at_most_its_limit_of_replies_at_once() {
    use mock_provider::{Fault, StreamPlan};
    let app = TestApp::spawn(&[("MAX_REPLIES_PER_ACCOUNT", "2")]).await;
    let ana = app.signup("ana").await;
    let bob = app.signup("bob").await;
    // Replies that take their time: the first token comes after 30 s.
    let slow = || {
        Fault::Stream(StreamPlan {
            first_token_ms: 30_000,
            ..StreamPlan::default()
        })
    };
    for _ in 0..3 {
        app.mock.state().push_fault(slow());
    }
    let first = app.send(&ana, None, "one").await["conversation_id"]
        .as_i64()
        .expect("id");
    app.send(&ana, None, "two").await;
    let third = json!({"conversation_id": null, "provider": "local", "content": "three"});
    let (status, refused) = app
        .post("/api/send_message", Some(&ana), third.clone())
        .await;
    assert_eq!(status, 429, "{refused}");
    assert_eq!(refused["TooManyReplies"]["limit"], 2, "{refused}");
    assert_eq!(
        app.titles(&ana).await.len(),
        2,
        "the refused chat is not kept"
    );
    // Another account is not held back by this one.
    app.send(&bob, None, "mine").await;

    // Stop one reply: a new one may start.
    let (status, _) = app
        .post(
            "/api/stop_reply",
            Some(&ana),
            json!({"conversation_id": first}),
        )
        .await;
    assert_eq!(status, 200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (status, answer) = app
            .post("/api/send_message", Some(&ana), third.clone())
            .await;
        if status == 200 {
            break;
        }
        assert_eq!(status, 429, "{answer}");
        assert!(
            std::time::Instant::now() < deadline,
            "the stopped reply still counts"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert_eq!(app.titles(&ana).await.len(), 3);
}

/// Waits, reading, until the server closes `stream`; sends one more header
/// byte each time `trickle` is set and nothing arrived for 100 ms. True
/// when the server closed it before `deadline`.
async fn closed_by_server(stream: &mut tokio::net::TcpStream, trickle: bool) -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::time::{timeout, Duration, Instant};
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut buf = [0u8; 4096];
    while Instant::now() < deadline {
        match timeout(Duration::from_millis(100), stream.read(&mut buf)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(_)) => {}
            Err(_) if trickle => {
                if stream.write_all(b"x").await.is_err() {
                    return true;
                }
            }
            Err(_) => {}
        }
    }
    false
}

#[tokio::test]
async fn a_client_sending_its_headers_byte_by_byte_is_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn(&[("CLIENT_TIMEOUT", "1s")]).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    let mut stream = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .expect("write");
    assert!(
        closed_by_server(&mut stream, true).await,
        "a header that never ends holds the connection"
    );
    // The server still answers everyone else.
    let res = app
        .client
        .get(format!("{}/api/health", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 200);
}

#[tokio::test]
async fn an_idle_connection_is_closed_and_a_slow_body_cut_off() {
    use tokio::io::AsyncWriteExt;
    let app = TestApp::spawn(&[("CLIENT_TIMEOUT", "1s")]).await;
    let addr = app.base.trim_start_matches("http://").to_string();
    // A request answered, then nothing: the keep-alive connection ends.
    let mut idle = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    idle.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    assert!(closed_by_server(&mut idle, false).await, "idle forever");

    // A body announced and never sent: the request is given up.
    let token = app.signup("ana").await;
    let mut slow = tokio::net::TcpStream::connect(&addr)
        .await
        .expect("connect");
    let head = format!(
        "POST /api/list_conversations HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{{"
    );
    slow.write_all(head.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let closed = {
        use tokio::io::AsyncReadExt;
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(20),
            slow.read_to_end(&mut answer),
        )
        .await;
        read.is_ok()
    };
    assert!(closed, "a body that never comes holds the request");
    let answer = String::from_utf8_lossy(&answer);
    assert!(!answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_reply_streaming_longer_than_the_client_timeout_is_not_cut() {
    use mock_provider::{Fault, StreamPlan};
    let app = TestApp::spawn(&[("CLIENT_TIMEOUT", "1s")]).await;
    let token = app.signup("ana").await;
    // About 3 s of reply, a word every 300 ms.
    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        text: Some("one two three four five six seven eight nine ten".into()),
        pause_ms: Some(300),
        ..StreamPlan::default()
    }));
    let id = app.send(&token, None, "count").await["conversation_id"]
        .as_i64()
        .expect("id");
    let events = app.follow(&token, id, None, 1000).await;
    assert_eq!(
        events.last().and_then(|e| e.event.as_deref()),
        Some("done"),
        "{events:?}"
    );
    assert_eq!(
        support::followed_text(&events),
        "one two three four five six seven eight nine ten"
    );
}

#[tokio::test]
async fn no_key_secret_or_url_password_shows_in_the_state_debug_output() {
    let secrets = [
        "hf_SECRET_one",
        "local-SECRET-two",
        "extra-SECRET-three",
        "jwt-SECRET-four-0123456789abcdef0123456789",
        "url-SECRET-five",
    ];
    let app = TestApp::spawn_custom(mock_provider::MockOptions::default(), move |mock, dir| {
        let file = dir.join("providers.toml");
        let toml = format!(
            "[[provider]]\nid = \"extra\"\nkind = \"openai\"\nbase_url = \"http://me:url-SECRET-five@{}/v1\"\napi_key_env = \"EXTRA_KEY\"\n",
            mock.base_url().trim_start_matches("http://").trim_end_matches("/v1")
        );
        std::fs::write(&file, toml).expect("write providers.toml");
        vec![
            ("PROVIDERS_FILE".into(), file.display().to_string()),
            ("EXTRA_KEY".into(), "extra-SECRET-three".into()),
            ("HUGGINGFACE_API_TOKEN".into(), "hf_SECRET_one".into()),
            ("LOCAL_AI_API_KEY".into(), "local-SECRET-two".into()),
            ("JWT_SECRET".into(), "jwt-SECRET-four-0123456789abcdef0123456789".into()),
            (
                "LOCAL_AI_URL".into(),
                mock.base_url().replace("http://", "http://me:url-SECRET-five@"),
            ),
        ]
    })
    .await;
    let debug = format!("{:?}", app.state);
    assert!(
        debug.contains("Local AI") && debug.contains("extra"),
        "{debug}"
    );
    for secret in secrets {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
    // The keys still reach the providers.
    let token = app.signup("ana").await;
    app.send(&token, None, "hello").await;
}

#[tokio::test]
async fn every_page_runs_only_the_scripts_its_policy_names() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    for (path, token) in [
        ("/login", None),
        ("/", Some(token.as_str())),
        ("/account", Some(token.as_str())),
    ] {
        let mut req = app.client.get(format!("{}{path}", app.base));
        if let Some(token) = token {
            req = req.header("cookie", format!("nexa_session={token}"));
        }
        let res = req.send().await.expect("request");
        let policy = res
            .headers()
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let html = res.text().await.expect("html");
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .unwrap_or_else(|| panic!("{path}: no nonce in {policy:?}"));
        assert!(nonce.len() >= 22, "{path}: a short nonce {nonce}");
        for directive in [
            "default-src 'self'",
            "'strict-dynamic'",
            "style-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(
                policy.contains(directive),
                "{path}: {directive} missing in {policy}"
            );
        }
        assert!(!policy.contains("unsafe-inline"), "{path}: {policy}");
        // Every script of the page carries this response's nonce.
        let scripts = html.matches("<script").count();
        assert!(scripts > 0, "{path}");
        assert_eq!(
            html.matches(&format!("<script nonce=\"{nonce}\"")).count()
                + html
                    .matches(&format!("<script type=\"module\" nonce=\"{nonce}\""))
                    .count(),
            scripts,
            "{path}: {html}"
        );
        assert!(
            !html.contains(" style=\""),
            "{path}: an inline style the policy refuses"
        );
    }
    // Another response, another nonce.
    let first = app
        .client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("request");
    let second = app
        .client
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("request");
    assert_ne!(
        first.headers().get("content-security-policy"),
        second.headers().get("content-security-policy")
    );
}

#[tokio::test]
async fn too_much_at_once_is_refused_with_its_status() {
    use mock_provider::{Fault, StreamPlan};
    let app = TestApp::spawn(&[
        ("MAX_REPLIES_PER_ACCOUNT", "1"),
        ("MAX_REPLIES_IN_ALL", "2"),
    ])
    .await;
    let ana = app.signup("ana").await;
    let bob = app.signup("bob").await;
    let cy = app.signup("cyd").await;
    let slow = || {
        Fault::Stream(StreamPlan {
            first_token_ms: 30_000,
            ..StreamPlan::default()
        })
    };
    for _ in 0..2 {
        app.mock.state().push_fault(slow());
    }
    // Ana streams through the JSON API: it counts against her account...
    let api_stream = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&ana)
        .json(&json!({"messages": [{"role": "user", "content": "hi"}], "stream": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(api_stream.status().as_u16(), 200);
    let send = json!({"conversation_id": null, "provider": "local", "content": "hello"});
    let (status, refused) = app
        .post("/api/send_message", Some(&ana), send.clone())
        .await;
    assert_eq!(status, 429, "{refused}");
    assert_eq!(refused["TooManyReplies"]["limit"], 1, "{refused}");
    // ...and against the server's: with Bob's reply, it is full.
    app.send(&bob, None, "mine").await;
    let res = app
        .client
        .post(format!("{}/api/send_message", app.base))
        .bearer_auth(&cy)
        .json(&send)
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 503);
    assert!(res.headers().contains_key("retry-after"));
    let refused: Value = res.json().await.expect("json");
    assert_eq!(refused["ServerBusy"]["limit"], 2, "{refused}");
    // The API says so too, with its code.
    let (status, body) = app
        .chat(
            &cy,
            json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (503, Some("server_busy")),
        "{body}"
    );
    // Ana's stream ends (her client leaves): her place is free again.
    drop(api_stream);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (status, _) = app.post("/api/send_message", Some(&cy), send.clone()).await;
        if status == 200 {
            break;
        }
        assert_eq!(status, 503);
        assert!(
            std::time::Instant::now() < deadline,
            "the place stayed taken"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn too_large_a_message_or_import_answers_413() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let long = "x".repeat(100_001);
    let (status, body) = app
        .post(
            "/api/send_message",
            Some(&token),
            json!({"conversation_id": null, "provider": "local", "content": long}),
        )
        .await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["Said"]["code"], "invalid_request", "{body}");
    // A body past the server's 4 MiB bound is refused before it is read whole.
    let huge = "x".repeat(5 * 1024 * 1024);
    let (status, _) = app
        .post(
            "/api/import_conversation",
            Some(&token),
            json!({ "json": huge }),
        )
        .await;
    assert_eq!(status, 413);
    let (status, body) = app
        .chat(
            &token,
            json!({"messages": [{"role": "user", "content": long}]}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (413, Some("invalid_request")),
        "{body}"
    );
}

#[tokio::test]
async fn a_reply_has_at_most_its_limit_of_followers() {
    use mock_provider::{Fault, StreamPlan};
    let app = TestApp::spawn(&[("MAX_FOLLOWERS_PER_CHAT", "2")]).await;
    let token = app.signup("ana").await;
    app.mock.state().push_fault(Fault::Stream(StreamPlan {
        first_token_ms: 30_000,
        ..StreamPlan::default()
    }));
    let id = app.send(&token, None, "hello").await["conversation_id"]
        .as_i64()
        .expect("id");
    let first = app.open_follow(&token, id, None).await;
    let second = app.open_follow(&token, id, None).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    let third = app.open_follow(&token, id, None).await;
    assert_eq!(third.status().as_u16(), 429);
    let body: Value = third.json().await.expect("json");
    assert_eq!(body["code"], "too_many_followers", "{body}");
    // A tab closed frees its place.
    drop(first);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while app.open_follow(&token, id, None).await.status().as_u16() != 200 {
        assert!(
            std::time::Instant::now() < deadline,
            "the place stayed taken"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    drop(second);
}

#[tokio::test]
async fn provider_addresses_are_for_the_admin_only() {
    let down = support::closed_port().await;
    let local = format!("http://127.0.0.1:{down}/v1");
    let app = TestApp::spawn(&[("LOCAL_AI_URL", &local)]).await;
    let admin = app.signup("boss").await;
    let bob = app.signup("bob").await;
    let failed_reply = |token: String| {
        let app = &app;
        async move {
            let id = app.send(&token, None, "hello").await["conversation_id"]
                .as_i64()
                .expect("id");
            let done = support::done_message(&app.follow(&token, id, None, 100).await);
            assert_eq!(done["status"], "failed", "{done}");
            done["error"].as_str().unwrap_or_default().to_string()
        }
    };
    let host = format!("127.0.0.1:{down}");
    let for_admin = failed_reply(admin.clone()).await;
    assert!(for_admin.contains(&host), "{for_admin}");
    let for_bob = failed_reply(bob.clone()).await;
    assert!(!for_bob.contains(&host), "{for_bob}");
    assert!(
        for_bob.contains("the address set on this server"),
        "{for_bob}"
    );
    assert!(
        for_bob.contains("LOCAL_AI_URL"),
        "the fix still names the setting"
    );
    // The JSON API too.
    let (status, body) = app
        .chat(
            &bob,
            json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert_eq!(status, 502);
    assert!(!body.to_string().contains(&host), "{body}");
    let (_, body) = app
        .chat(
            &admin,
            json!({"messages": [{"role": "user", "content": "hi"}]}),
        )
        .await;
    assert!(body.to_string().contains(&host), "{body}");
}
