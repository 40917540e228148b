//! The JSON API and the server functions against the real router, a real
//! SQLite file and a real mock provider.

mod support;

use mock_provider::{Fault, MockOptions};
use serde_json::{json, Value};
use support::{closed_port, done_message, no_redirects, TestApp};

fn user_says(text: &str) -> Value {
    json!({"messages": [{"role": "user", "content": text}]})
}

#[tokio::test]
async fn signup_login_and_the_first_account_is_admin() {
    let app = TestApp::spawn(&[]).await;
    let first = app.signup("admin").await;
    let second = app.signup("second").await;

    let (status, body) = app.post("/api/current_user", Some(&first), json!({})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["username"], "admin");
    assert_eq!(body["is_admin"], true);
    let (_, body) = app
        .post("/api/current_user", Some(&second), json!({}))
        .await;
    assert_eq!(body["is_admin"], false);

    let (status, body) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "ADMIN", "password": "long-enough-pw"}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["token"]
        .as_str()
        .is_some_and(|t| t.split('.').count() == 3));

    let (status, body) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "admin", "password": "wrong-password"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (401, Some("bad_credentials"))
    );
    let (status, _) = app
        .post(
            "/api/auth/login",
            None,
            json!({"username": "nobody", "password": "whatever-pw"}),
        )
        .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn signup_refuses_bad_names_taken_names_and_closed_signup() {
    let app = TestApp::spawn(&[("ALLOW_SIGNUP", "false")]).await;
    let (status, body) = app
        .post(
            "/api/auth/signup",
            None,
            json!({"username": "a b", "password": "long-enough-pw"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("letters, digits")),
        "{body}"
    );
    let (status, body) = app
        .post(
            "/api/auth/signup",
            None,
            json!({"username": "ana", "password": "short"}),
        )
        .await;
    assert_eq!(status, 400);
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("at least 8")),
        "{body}"
    );

    // Sign-up closed still lets the very first account in, then nobody else.
    app.signup("owner").await;
    let (status, body) = app
        .post(
            "/api/auth/signup",
            None,
            json!({"username": "guest", "password": "long-enough-pw"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (403, Some("signup_closed"))
    );

    let open = TestApp::spawn(&[]).await;
    open.signup("ana").await;
    let (status, body) = open
        .post(
            "/api/auth/signup",
            None,
            json!({"username": "Ana", "password": "long-enough-pw"}),
        )
        .await;
    assert_eq!(
        (status, body["code"].as_str()),
        (409, Some("username_taken"))
    );
}

#[tokio::test]
async fn chat_needs_a_valid_token() {
    let app = TestApp::spawn(&[]).await;
    let (status, body) = app.post("/api/ai/chat", None, user_says("hi")).await;
    assert_eq!((status, body["code"].as_str()), (401, Some("unauthorized")));
    let (status, _) = app.chat("not.a.jwt", user_says("hi")).await;
    assert_eq!(status, 401);
    // A token signed with another secret.
    let other = TestApp::spawn(&[]).await;
    let foreign = other.signup("ana").await;
    let (status, _) = app.chat(&foreign, user_says("hi")).await;
    assert_eq!(status, 401);
    assert!(
        app.mock.state().requests().is_empty(),
        "nothing reached the provider"
    );
}

#[tokio::test]
async fn bad_bodies_get_json_errors_never_a_500() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let cases = [
        (json!({}), 422),
        (json!({"messages": "hello"}), 422),
        (json!({"messages": [{"role": "user"}]}), 422),
        (json!({"messages": []}), 400),
        (
            json!({"messages": [{"role": "robot", "content": "x"}]}),
            400,
        ),
        (
            json!({"messages": [{"role": "user", "content": "x"}], "provider": "nope"}),
            400,
        ),
    ];
    for (body, want) in cases {
        let (status, answer) = app.chat(&token, body.clone()).await;
        assert_eq!(status, want, "{body} -> {answer}");
        assert!(
            answer["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{answer}"
        );
    }
    let res = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 400);
    let body: Value = res.json().await.expect("json error body");
    assert!(body["error"]
        .as_str()
        .is_some_and(|e| e.contains("not valid JSON")));
    let res = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .body("hello")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 415);
}

#[tokio::test]
async fn the_whole_history_reaches_the_provider_in_order() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let history = json!({"messages": [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "¿Hola? 👋"},
        {"role": "assistant", "content": "Hi!"},
        {"role": "user", "content": "Second question"}
    ]});
    let (status, body) = app.chat(&token, history.clone()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["reply"],
        "Mock reply 1: you said \"Second question\" (4 messages in the history)."
    );
    let sent = app.mock.state().requests();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["messages"], history["messages"]);
    assert_eq!(sent[0]["stream"], false);
    // No LOCAL_AI_MODEL: the model the server lists is used.
    assert_eq!(sent[0]["model"], "mock-instruct-7b");
}

#[tokio::test]
async fn hugging_face_gets_its_model_and_token() {
    let options = MockOptions {
        required_key: Some("hf_test_token".into()),
        ..MockOptions::default()
    };
    let app = TestApp::spawn_with_mock(&[("HF_CHAT_MODEL", "org/model:cheapest")], options).await;
    let token = app.signup("ana").await;
    let mut body = user_says("hi");
    body["provider"] = json!("huggingface");
    let (status, answer) = app.chat(&token, body).await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(
        app.mock.state().requests()[0]["model"],
        "org/model:cheapest"
    );

    // The local provider sends no key here, so this mock refuses it: the fix names LOCAL_AI_API_KEY.
    let (status, answer) = app.chat(&token, user_says("hi")).await;
    assert_eq!(status, 502);
    assert_eq!(answer["code"], "local_unauthorized");
    assert!(answer["error"]
        .as_str()
        .is_some_and(|e| e.contains("LOCAL_AI_API_KEY")));
}

#[tokio::test]
async fn local_server_unreachable_is_a_502_that_names_the_url() {
    let port = closed_port().await;
    let url = format!("http://127.0.0.1:{port}/v1");
    let app = TestApp::spawn(&[("LOCAL_AI_URL", &url)]).await;
    let token = app.signup("ana").await;
    let (status, body) = app.chat(&token, user_says("hi")).await;
    assert_eq!(status, 502);
    assert_eq!(body["code"], "local_unreachable");
    let message = body["error"].as_str().unwrap_or_default();
    assert!(
        message.contains(&format!("http://127.0.0.1:{port}/v1/chat/completions")),
        "{message}"
    );
    assert!(
        message.contains("LM Studio") && message.contains("LOCAL_AI_URL"),
        "{message}"
    );
}

/// Each documented provider failure and what the user is told.
#[tokio::test]
async fn each_provider_failure_maps_to_its_message() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let hf = |text: &str| {
        let mut b = user_says(text);
        b["provider"] = json!("huggingface");
        b
    };
    let status_fault = |status: u16, body: &str| Fault::Status {
        status,
        body: body.to_string(),
        content_type: None,
    };
    let cases: Vec<(Fault, Value, u16, &str, &str)> = vec![
        (Fault::Empty, user_says("x"), 502, "empty_reply", "Instruct"),
        (
            status_fault(
                400,
                r#"{"error":{"message":"The requested model 'x' is not supported by any provider you have enabled.","type":"invalid_request_error","code":"model_not_supported"}}"#,
            ),
            hf("x"),
            502,
            "hf_model_not_supported",
            "huggingface.co/settings/inference-providers",
        ),
        (
            status_fault(
                401,
                r#"{"error":"Invalid credentials in Authorization header"}"#,
            ),
            hf("x"),
            502,
            "hf_token_invalid",
            "Make calls to Inference Providers",
        ),
        (
            status_fault(
                402,
                r#"{"error":"You have exceeded your monthly included credits for Inference Providers."}"#,
            ),
            hf("x"),
            402,
            "hf_credits_exceeded",
            "huggingface.co/settings/billing",
        ),
        (
            status_fault(404, r#"{"error":"Model not found"}"#),
            hf("x"),
            502,
            "hf_model_not_found",
            ":cheapest",
        ),
        (
            Fault::RateLimited { retry_after: 17 },
            hf("x"),
            429,
            "hf_rate_limited",
            "Wait 17 seconds",
        ),
        (
            status_fault(
                400,
                r#"{"error":"No models loaded. Please load a model in the developer page or use the `lms load` command."}"#,
            ),
            user_says("x"),
            502,
            "local_no_model_loaded",
            "Developer tab",
        ),
        (
            status_fault(
                400,
                r#"{"error":"Multiple models are loaded. Please specify a model by providing a 'model' field in the request."}"#,
            ),
            user_says("x"),
            502,
            "local_pick_model",
            "LOCAL_AI_MODEL",
        ),
        (
            status_fault(
                404,
                r#"{"error":{"message":"Model \"qwen-7b\" not found","type":"invalid_request_error","code":"model_not_found"}}"#,
            ),
            user_says("x"),
            502,
            "local_model_missing",
            "/v1/models",
        ),
        (
            status_fault(401, r#"{"detail":"Unauthorized"}"#),
            user_says("x"),
            502,
            "local_unauthorized",
            "LOCAL_AI_API_KEY",
        ),
        (
            status_fault(400, r#"{"detail":"Invalid host header"}"#),
            user_says("x"),
            502,
            "local_invalid_host",
            "--listen",
        ),
        (
            status_fault(
                404,
                r#"{"error":{"message":"model \"llama3.2\" not found, try pulling it first","type":"not_found_error"}}"#,
            ),
            user_says("x"),
            502,
            "local_model_missing",
            "ollama pull llama3.2",
        ),
        (
            status_fault(
                500,
                r#"{"error":{"code":500,"message":"could not load model: rpc error: code = Unknown","type":""}}"#,
            ),
            user_says("x"),
            502,
            "local_model_load_failed",
            "LocalAI",
        ),
        (
            status_fault(403, r#"{"error":"insufficient permissions"}"#),
            hf("x"),
            502,
            "hf_token_rejected",
            "fine-grained token",
        ),
        (
            status_fault(503, r#"{"error":"Model is loading","estimated_time":12.5}"#),
            hf("x"),
            503,
            "hf_model_loading",
            "about 13 seconds",
        ),
        (
            status_fault(
                410,
                r#"{"error":"The requested API is no longer supported"}"#,
            ),
            hf("x"),
            502,
            "hf_endpoint_gone",
            "router.huggingface.co",
        ),
        (
            Fault::ErrorInBody {
                body: json!({"error": {"code": 500, "message": "could not load model - all backends returned error"}}),
            },
            user_says("x"),
            502,
            "local_model_load_failed",
            "could not load model",
        ),
        (
            Fault::Status {
                status: 502,
                body: "<html><body><h1>502 Bad Gateway</h1></body></html>".into(),
                content_type: Some("text/html".into()),
            },
            user_says("x"),
            502,
            "local_error",
            "HTTP 502",
        ),
    ];
    // The wait a provider asks for reaches API clients as Retry-After.
    app.mock
        .state()
        .push_fault(Fault::RateLimited { retry_after: 17 });
    let response = app
        .client
        .post(format!("{}/api/ai/chat", app.base))
        .bearer_auth(&token)
        .json(&hf("x"))
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), 429);
    assert_eq!(
        response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok()),
        Some("17")
    );
    for (fault, body, want_status, want_code, want_text) in cases {
        app.mock.state().push_fault(fault.clone());
        let (status, answer) = app.chat(&token, body).await;
        assert_eq!(status, want_status, "{fault:?} -> {answer}");
        assert_eq!(answer["code"], want_code, "{fault:?} -> {answer}");
        let message = answer["error"].as_str().unwrap_or_default();
        assert!(message.contains(want_text), "{fault:?} -> {message}");
        assert!(!message.contains('<'), "no raw HTML shown: {message}");
    }
}

#[tokio::test]
async fn hugging_face_without_a_token_says_how_to_get_one() {
    let app = TestApp::spawn(&[("HUGGINGFACE_API_TOKEN", "")]).await;
    let token = app.signup("ana").await;
    let mut body = user_says("x");
    body["provider"] = json!("huggingface");
    let (status, answer) = app.chat(&token, body).await;
    assert_eq!(
        (status, answer["code"].as_str()),
        (400, Some("hf_not_configured"))
    );
    assert!(answer["error"]
        .as_str()
        .is_some_and(|e| e.contains("Make calls to Inference Providers")));
    let (_, providers) = app
        .post("/api/list_providers", Some(&token), json!({}))
        .await;
    let hf = providers
        .as_array()
        .and_then(|list| list.iter().find(|p| p["id"] == "huggingface").cloned())
        .expect("huggingface listed");
    assert_eq!(hf["configured"], false);
}

#[tokio::test]
async fn no_provider_key_leaves_the_server() {
    let app = TestApp::spawn(&[
        ("HUGGINGFACE_API_TOKEN", "hf_SECRET_token_1"),
        ("LOCAL_AI_API_KEY", "local-SECRET-key-2"),
    ])
    .await;
    let admin = app.signup("ana").await;
    let (status, providers) = app
        .post("/api/list_providers", Some(&admin), json!({}))
        .await;
    assert_eq!(status, 200, "{providers}");
    let hf = providers
        .as_array()
        .and_then(|list| list.iter().find(|p| p["id"] == "huggingface").cloned())
        .expect("huggingface listed");
    assert_eq!(hf["configured"], true, "the key is there: {providers}");
    // Everything a page or a script can read: the provider list, the chat
    // page, the admin's diagnostics, a failed reply, the API's errors.
    let (_, diagnostics) = app.post_form("/api/run_diagnostics", &admin, &[]).await;
    app.mock.state().push_fault(mock_provider::Fault::Status {
        status: 401,
        body: r#"{"error":"bad key"}"#.into(),
        content_type: None,
    });
    let (_, failed_chat) = app.chat(&admin, user_says("x")).await;
    let page = app.page("/", Some(&admin), &[]).await;
    let seen = [
        providers.to_string(),
        diagnostics.to_string(),
        failed_chat.to_string(),
        page,
    ];
    // The keys were used: the mock saw them.
    assert!(!diagnostics.to_string().is_empty());
    for text in seen {
        assert!(!text.contains("SECRET"), "a key left the server: {text}");
    }
}

#[tokio::test]
async fn conversations_are_stored_failures_kept_and_retried() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    let first = app.send(&token, None, "Hello there").await;
    let id = first["conversation_id"].as_i64().expect("id");
    let done = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(done["status"], "complete");

    app.mock.state().push_fault(Fault::Status {
        status: 503,
        body: r#"{"error":"busy"}"#.into(),
        content_type: None,
    });
    app.send(&token, Some(id), "Again").await;
    let failed = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"]
        .as_str()
        .is_some_and(|e| e.contains("Retry")));

    let (_, conv) = app
        .post(
            "/api/get_conversation",
            Some(&token),
            serde_json::json!({ "id": id }),
        )
        .await;
    let roles: Vec<(&str, &str)> = conv["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .map(|m| {
            (
                m["role"].as_str().unwrap_or(""),
                m["status"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        roles,
        vec![
            ("user", "complete"),
            ("assistant", "complete"),
            ("user", "complete"),
            ("assistant", "failed")
        ]
    );
    assert_eq!(conv["summary"]["title"], "Hello there");

    let (status, retried) = app
        .post(
            "/api/retry_reply",
            Some(&token),
            json!({"conversation_id": id, "provider": "local"}),
        )
        .await;
    assert_eq!(status, 200, "{retried}");
    assert_eq!(retried["status"], "streaming");
    let retried = done_message(&app.follow(&token, id, None, 1000).await);
    assert_eq!(
        retried["content"],
        "Mock reply 3: you said \"Again\" (3 messages in the history)."
    );
    // The failed reply was never sent back to the provider.
    let last = app.last_request();
    assert_eq!(last["messages"].as_array().map(Vec::len), Some(3));

    // Someone else cannot read it.
    let other = app.signup("mallory").await;
    let (status, body) = app
        .post(
            "/api/get_conversation",
            Some(&other),
            serde_json::json!({ "id": id }),
        )
        .await;
    assert_eq!(status, 404);
    assert!(body.to_string().contains("NotFound"), "{body}");
    let (_, list) = app
        .post("/api/list_conversations", Some(&other), json!({}))
        .await;
    assert_eq!(list, json!([]));
}

#[tokio::test]
async fn pages_send_strangers_to_sign_in_and_render_for_users() {
    let app = TestApp::spawn(&[]).await;
    let no_redirects = no_redirects();
    let res = no_redirects
        .get(format!("{}/", app.base))
        .header("accept", "text/html")
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 302);
    assert_eq!(
        res.headers().get("location").and_then(|v| v.to_str().ok()),
        Some("/login")
    );

    let login = no_redirects
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(login.status().as_u16(), 200);
    let html = login.text().await.expect("html");
    assert!(html.contains("Sign in to Nexa Chat"));
    assert!(html.contains("<title>Nexa Chat</title>"), "{html}");
    assert!(
        html.contains(r#"<link rel="stylesheet" id="leptos" href="/pkg/"#)
            || html.contains(r#"<link id="leptos" rel="stylesheet" href="/pkg/"#),
        "the stylesheet is linked: {html}"
    );

    let token = app.signup("ana").await;
    let page = no_redirects
        .get(format!("{}/", app.base))
        .header("cookie", format!("nexa_session={token}"))
        .send()
        .await
        .expect("request");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("What can I help with?"), "{html}");
    assert!(html.contains("Local AI"));
}

#[tokio::test]
async fn login_form_sets_a_safe_cookie() {
    let app = TestApp::spawn(&[]).await;
    app.signup("ana").await;
    let no_redirects = no_redirects();
    // The form as a browser without WASM posts it.
    let res = no_redirects
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .form(&[("username", "ana"), ("password", "long-enough-pw")])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status().as_u16(), 302);
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(cookie.starts_with("nexa_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP on loopback: {cookie}"
    );
}

/// A browser's form post, without scripts: HTML accepted, coming from `page`.
async fn form_post(
    client: &reqwest::Client,
    app: &TestApp,
    action: &str,
    page: &str,
    form: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(format!("{}{action}", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}{page}", app.base))
        .form(form)
        .send()
        .await
        .expect("request")
}

#[tokio::test]
async fn sign_in_works_as_plain_html_and_shows_its_errors() {
    let app = TestApp::spawn(&[]).await;
    app.signup("ana").await;
    let no_redirects = no_redirects();
    // The sign-in page loads no script: it is HTML and a stylesheet.
    let login = no_redirects
        .get(format!("{}/login", app.base))
        .send()
        .await
        .expect("request");
    let html = login.text().await.expect("html");
    // (Leptos still ends the page with its inline bookkeeping, no file.)
    assert!(
        !html.contains(".wasm") && !html.contains("<script src") && !html.contains("modulepreload"),
        "{html}"
    );
    assert!(
        html.contains(r#"<form action="/api/login" method="post">"#),
        "{html}"
    );

    // A wrong password comes back to the page, which says what went wrong.
    let res = form_post(
        &no_redirects,
        &app,
        "/api/login",
        "/login",
        &[("username", "ana"), ("password", "not-the-password")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 302);
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert!(back.starts_with("/login?"), "{back}");
    assert!(res.headers().get("set-cookie").is_none());
    let page = no_redirects
        .get(format!("{}{back}", app.base))
        .send()
        .await
        .expect("request");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(r#"role="alert" class="form-error">Wrong username or password."#),
        "{html}"
    );
    assert!(
        html.contains(r#"value="ana""#),
        "the username stays typed: {html}"
    );
    // Failing again from there leaves one error and one username in the URL.
    let again = form_post(
        &no_redirects,
        &app,
        "/api/login",
        &back,
        &[("username", "ana"), ("password", "still-wrong")],
    )
    .await;
    let twice = again
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(twice.matches("__err=").count(), 1, "{twice}");
    assert_eq!(twice.matches("username=").count(), 1, "{twice}");
    // A forged Referer cannot send the browser to another site.
    let res = no_redirects
        .post(format!("{}/api/login", app.base))
        .header("accept", "text/html")
        .header("referer", format!("{}//evil.example/x", app.base))
        .form(&[("username", "ana"), ("password", "nope-nope")])
        .send()
        .await
        .expect("request");
    let location = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(location.starts_with("/login?"), "{location}");

    // Scripts and API clients get the error itself, not a redirect.
    let res = no_redirects
        .post(format!("{}/api/login", app.base))
        .header("referer", format!("{}/login", app.base))
        .form(&[("username", "ana"), ("password", "nope-nope")])
        .send()
        .await
        .expect("request");
    assert!(res.headers().get("location").is_none());
    assert!(res.status().is_client_error() || res.status().is_server_error());
    assert!(res
        .text()
        .await
        .unwrap_or_default()
        .contains("BadCredentials"));

    // The chat page is the one that runs the WASM.
    let token = app.signup("bob").await;
    let chat = no_redirects
        .get(format!("{}/", app.base))
        .header("cookie", format!("nexa_session={token}"))
        .send()
        .await
        .expect("request");
    let html = chat.text().await.expect("html");
    assert!(
        html.contains(".wasm") && html.contains("modulepreload"),
        "{html}"
    );
}

#[tokio::test]
async fn the_language_switch_works_as_a_plain_form() {
    let app = TestApp::spawn(&[]).await;
    let no_redirects = no_redirects();
    let login = app.page("/login", None, &[]).await;
    assert!(
        login.contains(r#"<form method="post" action="/api/set_language">"#),
        "{login}"
    );
    let res = form_post(
        &no_redirects,
        &app,
        "/api/set_language",
        "/login",
        &[("lang", "es")],
    )
    .await;
    assert_eq!(res.status().as_u16(), 302);
    let back = res
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert_eq!(
        back.trim_end_matches('?'),
        format!("{}/login", app.base),
        "back to the page it was sent from"
    );
    let cookie = res
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .split(';')
        .next()
        .unwrap_or_default()
        .to_string();
    assert_eq!(cookie, "nexa_lang=es");
    let spanish = no_redirects
        .get(format!("{}/login", app.base))
        .header("cookie", cookie)
        .send()
        .await
        .expect("request")
        .text()
        .await
        .expect("html");
    assert!(spanish.contains("Inicia sesión en Nexa Chat"), "{spanish}");
}

#[tokio::test]
async fn server_functions_without_a_session_answer_401() {
    let app = TestApp::spawn(&[]).await;
    let calls = [
        ("/api/list_providers", json!({})),
        ("/api/list_conversations", json!({})),
        ("/api/get_conversation", json!({"id": 1})),
        ("/api/search_conversations", json!({"query": "x"})),
        ("/api/rename_conversation", json!({"id": 1, "title": "x"})),
        ("/api/delete_conversation", json!({"id": 1})),
        ("/api/import_conversation", json!({"json": "{}"})),
        ("/api/stop_reply", json!({"conversation_id": 1})),
        (
            "/api/retry_reply",
            json!({"conversation_id": 1, "provider": "local"}),
        ),
        (
            "/api/send_message",
            json!({"conversation_id": null, "provider": "local", "content": "hi"}),
        ),
        (
            "/api/edit_message",
            json!({"conversation_id": 1, "message_id": 1, "content": "x", "provider": "local"}),
        ),
        (
            "/api/save_chat_settings",
            json!({"id": 1, "fields": {"system_prompt": "", "temperature": "", "max_tokens": ""}}),
        ),
        ("/api/run_diagnostics", json!({})),
    ];
    for (path, body) in calls {
        let (status, error) = app.post(path, None, body.clone()).await;
        assert_eq!((status, error), (401, json!("Unauthorized")), "{path}");
        // A token that is not one of ours is no session either.
        let (status, _) = app.post(path, Some("forged.token.here"), body).await;
        assert_eq!(status, 401, "{path} with a forged token");
    }
}

#[tokio::test]
async fn server_function_arguments_it_cannot_read_answer_400() {
    let app = TestApp::spawn(&[]).await;
    let token = app.signup("ana").await;
    // A JSON server function given the wrong shape, and one missing an argument.
    for body in [json!({"id": "not a number"}), json!({})] {
        let (status, error) = app
            .post("/api/get_conversation", Some(&token), body.clone())
            .await;
        assert_eq!(status, 400, "{body}: {error}");
        // Worded by the server in the reader's language: the page shows it.
        assert_eq!(error["Said"]["code"], "invalid_request", "{error}");
        let words = error["Said"]["message"].as_str().unwrap_or_default();
        assert!(words.starts_with("The request was malformed"), "{error}");
    }
}
